"""The ingest plumbing shared by api.ingest, the Dask client and the feed watcher: what is new, what failed,
and the summary of a run. It sits below the API, so the scale layer never reaches up into it."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .clean import clean
from .errors import is_store_error, store_reason
from .model import Article, Extraction
from .read import InputError
from .read.dates import parse_date


@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    already: int = 0
    near_duplicates: int = 0
    events: int = 0
    quotes: int = 0
    actors: int = 0
    failed: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)    # work of the whole run the store did not take

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unfinished

    def lines(self) -> list[str]:
        head = (f"read {self.read} articles: {self.stored} stored, {self.already} already stored, "
                f"{self.near_duplicates} near-duplicates linked, {len(self.failed)} failed; "
                f"{self.events} events, {self.quotes} quotes, {self.actors} actors")
        return [head] + [f"failed: {reason}" for reason in self.failed + self.unfinished]


def with_published(items: Iterable, published) -> Iterator:
    """A publication date given by the user fills in articles that carry none."""
    default = parse_date(published)
    for item in items:
        if default and isinstance(item, Article) and item.published is None:
            item.published = default
        yield item


def near_duplicate_checker(store):
    """The near-duplicate index of a store (MinHash LSH over its stored originals)."""
    from .scale.dedup import NearDuplicates
    return NearDuplicates.from_store(store)


def new_articles(items: Iterable, store, summary: IngestSummary, cleaned: bool = False) -> Iterator:
    """Articles not yet stored (by the hash of their cleaned text); read errors pass through. With `cleaned`,
    each comes as the cleaned Extraction its hash was taken from, so that extracting it in this process
    does not clean it again (an Extraction is not what to send to other processes: it is larger)."""
    seen = set()
    for item in items:
        if isinstance(item, InputError):
            summary.read += 1
            yield item
            continue
        summary.read += 1
        try:
            x = clean(Extraction(item))
        except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
            yield InputError(item.origin, f"could not be cleaned ({type(e).__name__}: {e})")
            continue
        if x.content_hash in seen or store.has(x.content_hash):
            summary.already += 1
            continue
        seen.add(x.content_hash)
        yield x if cleaned else item


def record_failure(store, summary: IngestSummary, error) -> None:
    """Counted in the summary (printed once at the end) and recorded in the store; a store that cannot take
    it (full, read-only) does not stop the batch, and the summary says it was not recorded."""
    try:
        store.add_failure(error.origin, error.reason)
    except Exception as e:
        if not is_store_error(e):
            raise
        summary.failed.append(f"{error} (not recorded in the store: {store_reason(e)})")
        return
    summary.failed.append(str(error))


def finish_stories(store, summary: IngestSummary) -> None:
    """Group the new events into stories; a store that fails here leaves them for the next run, and says so."""
    from .scale.stories import cluster_stories
    try:
        cluster_stories(store)
    except Exception as e:
        if not is_store_error(e):
            raise
        summary.unfinished.append(f"events not yet grouped into stories ({store_reason(e)}); "
                                  "the next ingest groups them")
