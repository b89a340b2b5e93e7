"""The single writer behind the cluster and the feed watcher: results are stored exactly as api.ingest stores them."""
from __future__ import annotations

from ..batch import IngestSummary, near_duplicate_checker, record_failure
from ..errors import is_store_error, store_reason
from ..model import Extraction
from ..read import InputError


class Writer:
    """Stores extraction results one by one, linking near-duplicates, and counts them in an IngestSummary."""

    def __init__(self, store, summary: IngestSummary | None = None, dedup: bool = True, keep_going: bool = True):
        self.store = store
        self.keep_going = keep_going              # a store error fails the one article (a batch), or is raised
        self.summary = summary or IngestSummary()
        self.near = near_duplicate_checker(store) if dedup else None
        self.last_original: int | None = None     # the original the last article written nearly repeats

    def write(self, result) -> int | None:
        """The new article's id; None for a failure or an article already stored (its hash is known).
        An article the store refuses (full, read-only, gone) is a failure of that article: its transaction
        rolled back whole, and the batch goes on to record and summarise the rest."""
        if not isinstance(result, Extraction):
            record_failure(self.store, self.summary, result)
            return None
        try:
            return self.store_extraction(result)
        except Exception as e:
            if not (self.keep_going and is_store_error(e)):
                raise
            record_failure(self.store, self.summary, InputError(result.article.origin, f"not stored: {store_reason(e)}"))
            return None

    def store_extraction(self, result: Extraction) -> int | None:
        original, sig = self.near.original_of(result) if self.near else (None, None)
        self.last_original = original
        if original is not None:
            as_copy(result)
        article_id = self.store.add(result, duplicate_of=original)
        if article_id is None:
            self.summary.already += 1
            return None
        if original is not None:
            self.summary.near_duplicates += 1
        elif self.near:
            self.near.add(article_id, sig)
        self.count(result)
        return article_id

    def count(self, result: Extraction) -> None:
        self.summary.stored += 1
        self.summary.events += len(result.events)
        self.summary.quotes += len(result.quotes)
        self.summary.actors += len(result.actors)


def as_copy(result: Extraction) -> None:
    """A near-duplicate is linked to its original, not counted as new evidence: its events, quotes and
    claims are the original's, already stored."""
    result.events, result.quotes, result.claims = [], [], []
