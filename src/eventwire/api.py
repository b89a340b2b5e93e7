"""The Python API; the CLI mirrors it one to one (`eventwire NAME` calls `eventwire.NAME`)."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from . import __version__, nlp, settings
from .batch import IngestSummary, finish_stories, new_articles, with_published
from .model import Article, Extraction
from .pipeline import Failure, extract, extract_stream
from .read import InputError, read_paths
from .read.dates import parse_date
from .store import open_store
from .store.queries import EventFilter

log = logging.getLogger("eventwire")

__all__ = ["extract", "extract_file", "ingest", "events", "events_frame", "export", "stats", "claims", "unattached_denials", "reprocess",
           "check"]


def extract_file(paths: list[str], published=None, model: str | None = None,
                 jobs: int = 1) -> Iterator[Extraction | Failure | InputError]:
    """Extractions of every article in the paths, in input order; bad inputs come back as errors."""
    return extract_stream(with_published(read_paths(paths), published), model=model, jobs=jobs)


def ingest(paths: list[str], db: str | None = None, model: str | None = None, jobs: int = 1, published=None,
           progress: Callable[[IngestSummary], None] | None = None, dedup: bool = True) -> IngestSummary:
    """Read, extract and store; articles already stored are skipped, so a killed run can simply be run again.
    `progress` is called with the summary so far after each article."""
    from .scale.writer import Writer
    store = open_store(db)
    try:
        summary = IngestSummary()
        pending = new_articles(with_published(read_paths(paths), published), store, summary, cleaned=jobs <= 1)
        writer = Writer(store, summary, dedup=dedup)
        for result in extract_stream(pending, model=model, jobs=jobs):
            writer.write(result)
            if progress:
                progress(summary)
        finish_stories(store, summary)
    finally:
        store.close()
    return summary


def event_filter(filters: dict) -> EventFilter:
    """The filters of the CLI's --since and --until are calendar dates; a mistyped one is an error, not ignored."""
    filters = dict(filters)
    for name in ("since", "until"):
        value = filters.get(name)
        if value is None:
            continue
        day = parse_date(str(value).strip()) if len(str(value).strip()) == 10 else None
        if day is None:
            raise ValueError(f"{name}: not a valid date (YYYY-MM-DD): {value!r}")
        filters[name] = day.isoformat()
    return EventFilter(**filters)


def events(db: str | None = None, limit: int = 100, offset: int = 0, sort: str = "date", **filters) -> list[dict]:
    """Stored events matching the filters (actor, country, side, type, modality, since, until, q)."""
    f = event_filter(filters)
    store = open_store(db)
    try:
        return store.events(f, limit=limit, offset=offset, sort=sort)
    finally:
        store.close()


def events_frame(db: str | None = None, limit: int | None = None, **filters):
    """Stored events matching the filters (those of `events` and of the CLI) as a pandas DataFrame, one row per
    event with the store's columns; every match unless `limit` is given. Needs pandas: pip install eventwire[pandas]."""
    try:
        import pandas
    except ImportError:
        raise ImportError("events_frame needs pandas: pip install 'eventwire[pandas]'") from None
    from .export import COLUMNS
    f = event_filter(filters)
    store = open_store(db)
    try:
        rows = store.iter_events(f)
        if limit is not None:
            rows = (row for row, _ in zip(rows, range(max(0, limit))))
        return pandas.DataFrame.from_records(list(rows), columns=COLUMNS)
    finally:
        store.close()


def export(db: str | None = None, format: str = "jsonl", out: str | None = None, **filters) -> int:
    """Write every matching event, streamed, as CSV, JSON Lines, Parquet, the GDELT 2.0, ICEWS or POLECAT
    layout, or a GraphML network; returns how many events were written (see docs/export-formats.md)."""
    from .export import export_events, require_store
    f = event_filter(filters)
    require_store(db)
    store = open_store(db)
    try:
        return export_events(store, f, format, out)
    finally:
        store.close()


def stats(db: str | None = None) -> dict:
    store = open_store(db)
    try:
        return store.stats()
    finally:
        store.close()


class StaleClaims(Exception):
    """The store's claims were written by an older eventwire: `eventwire reprocess` rebuilds them."""


def stale_claims_message(db: str | None) -> str:
    return (f"the claims in {db or settings.DEFAULT_DB} were stored by an older eventwire and are not grouped "
            f"across articles; run `eventwire reprocess` to rebuild them")


def claims(db: str | None = None, contested: bool = False, limit: int = 100) -> list[dict]:
    """Claims across articles with every actor's stance; contested ones (asserted by one actor, denied by
    another) first. Raises StaleClaims on a store whose claims need `eventwire reprocess`."""
    store = open_store(db)
    try:
        if store.claims_stale():
            raise StaleClaims(stale_claims_message(db))
        return store.claims(contested=contested, limit=limit)
    finally:
        store.close()


def unattached_denials(db: str | None = None, limit: int = 100) -> list[dict]:
    """Denials of 'the accusations' that no claim in the window matches, kept apart."""
    store = open_store(db)
    try:
        return store.unattached_denials(limit=limit)
    finally:
        store.close()


def check(db: str | None = None) -> list[str]:
    """Integrity problems of a store; an empty list means it is sound."""
    store = open_store(db)
    try:
        return store.check()
    finally:
        store.close()


def reprocess(db: str | None = None, model: str | None = None, all_articles: bool = False) -> int:
    """Re-run extraction on articles stored by another eventwire or spaCy pipeline; returns how many."""
    from .pipeline import process_batch
    from .scale.stories import cluster_stories
    store = open_store(db)
    pipeline = nlp.load(model)
    ident = nlp.pipeline_id(pipeline)
    rebuild_claims = store.claims_stale()     # claims of an older eventwire: every article is re-read
    ids = store.stale_articles(__version__, ident["model"], ident["model_version"]) \
        if not (all_articles or rebuild_claims) else [a["id"] for a in store.articles(limit=10**9)]
    done = 0
    for start in range(0, len(ids), settings.BATCH_SIZE):
        batch = [(i, stored_article(store.article(i))) for i in ids[start:start + settings.BATCH_SIZE]]
        results = process_batch([a for _, a in batch], pipeline)
        for (article_id, _), result in zip(batch, results):
            if isinstance(result, Extraction):
                store.replace(article_id, result)
                done += 1
    cluster_stories(store)       # the new events join stories, as an ingest's do
    if rebuild_claims:
        store.mark_claims_fresh()
    store.close()
    return done


def stored_article(row: dict) -> Article:
    doc = row.get("document") or {}
    a = doc.get("article", {})
    title_in_text = bool(row["title"]) and row["text"].lstrip().startswith(row["title"])
    return Article(text=row["text"], id=row["ext_id"], title=row["title"], published=parse_date(row["published"]),
                   url=row["url"], source=row["source"], origin=row["origin"] or a.get("origin", ""),
                   title_in_text=title_in_text)


def train_verifier(folder: str | None = None, corpus: str | None = None, out: str | None = None,
                   model: str | None = None) -> dict:
    """Rebuild the event verifier from the annotations (gold/verifier by default); returns its scores."""
    from pathlib import Path

    from .evaluate.corpus import default_corpus
    from .events import train, verify
    folder_path = Path(folder) if folder else Path(__file__).resolve().parents[2] / "gold" / "verifier"
    if not folder_path.is_dir():
        raise ValueError(f"{folder_path}: no such annotation folder (give --labels)")
    return train.train(folder_path, Path(corpus) if corpus else default_corpus(),
                       Path(out) if out else verify.MODEL_FILE, model)
