"""The single writer behind the cluster and the feed watcher: results are stored exactly as api.ingest stores them."""
from __future__ import annotations

from .. import api
from ..model import Extraction


class Writer:
    """Stores extraction results one by one, linking near-duplicates, and counts them in an IngestSummary."""

    def __init__(self, store, summary: api.IngestSummary | None = None, dedup: bool = True):
        self.store = store
        self.summary = summary or api.IngestSummary()
        self.near = api.near_duplicate_checker(store) if dedup else None
        self.last_original: int | None = None     # the original the last article written nearly repeats

    def write(self, result) -> int | None:
        """The new article's id; None for a failure or an article already stored (its hash is known)."""
        if not isinstance(result, Extraction):
            api.record_failure(self.store, self.summary, result)
            return None
        if self.near:
            article_id, original = self.store_checked(result)
        else:
            article_id, original = self.store.add(result), None
        self.last_original = original
        if article_id is None:
            self.summary.already += 1
            return None
        if original is not None:
            self.summary.near_duplicates += 1
        self.count(result)
        return article_id

    def store_checked(self, result: Extraction) -> tuple[int | None, int | None]:
        """Check for a near-duplicate and store, as one step of the whole store: under its near-duplicate lock
        (SQLite's write lock; a PostgreSQL advisory lock), having read the originals other writers stored,
        so that writers running at once link copies exactly as one writer would. (new id or None, original)"""
        from sqlalchemy.exc import IntegrityError

        from ..store.sql import write_extraction
        try:
            with self.store.transaction() as c:
                self.store.lock_near_duplicates(c)
                if self.store.has_hash(c, result.content_hash):
                    return None, None
                self.near.catch_up(c)
                original, sig = self.near.original_of(result)
                if original is not None:
                    as_copy(result)
                article_id = write_extraction(c, result, original)
                if original is None:
                    self.near.save_with(c, article_id, sig)
        except IntegrityError:              # stored meanwhile by a writer that takes no lock
            return None, None
        if original is None:
            self.near.indexed(article_id, sig)
        return article_id, original

    def replace(self, article_id: int, result: Extraction) -> None:
        """A stored article read again, grown (a file still being written when first read): its extraction
        and signature are replaced, so it is counted once, as what it became."""
        from sqlalchemy.exc import IntegrityError
        try:
            self.store.replace(article_id, result)
        except IntegrityError:              # it now reads exactly like another stored article
            self.summary.already += 1
            return
        if self.near:
            self.near.replaced(article_id, result)
        self.count(result)

    def count(self, result: Extraction) -> None:
        self.summary.stored += 1
        self.summary.events += len(result.events)
        self.summary.quotes += len(result.quotes)
        self.summary.actors += len(result.actors)


def as_copy(result: Extraction) -> None:
    """A near-duplicate is linked to its original, not counted as new evidence: its events, quotes and
    claims are the original's, already stored."""
    result.events, result.quotes, result.claims = [], [], []
