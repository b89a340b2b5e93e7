"""Exporting stored events, streamed from the store a chunk at a time: eventwire's own columns (CSV, JSON Lines,
Parquet), the published layouts of GDELT 2.0, ICEWS and POLECAT (tab-separated), and a GraphML network.

A file is written beside its destination under a temporary name and renamed into place once complete,
so an export that fails leaves no half-written file (and an older file of that name stays as it was).
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import layouts, settings
from .store.queries import EventFilter
from .store.schema import events as events_table

COLUMNS = [c.name for c in events_table.c]
FORMATS = ("csv", "jsonl", "parquet", "gdelt", "icews", "polecat", "graphml")
FILE_ONLY = ("parquet", "graphml")          # binary or a whole document: never standard output
ENRICH_CHUNK = 500                          # events enriched with their article, story and actors per query


class ExportError(Exception):
    """An export that cannot be done (nothing to export, nowhere to write): a failure, exit status 1."""


def require_store(db: str | None) -> None:
    """Exporting from a SQLite file that is not there is a mistyped path: say so, and make no empty store there."""
    address = db or os.environ.get(settings.DB_ENV) or settings.DEFAULT_DB
    if "://" not in address and not Path(address).is_file():
        raise ExportError(f"{address}: no such store (ingest articles into it first, or give --db)")


def export_events(store, f: EventFilter, format: str, out: str | None) -> int:
    """Write every matching event in the format to `out` (standard output when None); returns how many."""
    check_request(format, out)
    if not store.count_events(f):
        raise ExportError("no events to export: the store has none" if not store.count_events(EventFilter())
                          else "no events to export: none match the filters")
    if format == "parquet":
        with atomic_path(out) as path:
            return write_parquet(store.iter_events(f), path)
    with output(out) as stream:
        return WRITERS[format](store, f, stream)


def check_request(format: str, out: str | None) -> None:
    """Usage errors (exit 2) first, then a destination that cannot be written (a failure, exit 1)."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (choose {', '.join(FORMATS)})")
    if format in FILE_ONLY and not out:
        raise ValueError(f"{format} needs --out FILE")
    if out is not None:
        folder = Path(out).parent
        if not folder.is_dir():
            raise ExportError(f"{out}: cannot write there, no such folder: {folder}")
        if Path(out).is_dir():
            raise ExportError(f"{out}: is a folder, not a file")


@contextmanager
def atomic_path(out: str) -> Iterator[str]:
    """A temporary file beside `out`, renamed to it when the block ends well and removed when it does not."""
    target = Path(out)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    os.chmod(temporary, 0o666 & ~current_umask())     # mkstemp's 0600 would make the export private
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def output(out: str | None):
    if not out:
        yield sys.stdout
        return
    with atomic_path(out) as path, open(path, "w", encoding="utf-8", newline="") as stream:
        yield stream


# Writers: each returns the number of events written ------------------------------------------------------

def write_csv(store, f: EventFilter, stream) -> int:
    write = csv_rows(stream)
    return count(write(row) for row in store.iter_events(f))


def write_jsonl(store, f: EventFilter, stream) -> int:
    write = jsonl_rows(stream)
    return count(write(row) for row in store.iter_events(f))


def count(results) -> int:
    """How many rows were written (a writer returns the characters it wrote, which are no count of events)."""
    return sum(1 for _ in results)


def layout_writer(layout: str):
    def write(store, f: EventFilter, stream) -> int:
        if layouts.HEADER[layout]:
            stream.write("\t".join(layouts.header(layout)) + "\n")
        total = 0
        for batch in chunks(store.iter_events(f), ENRICH_CHUNK):
            for event in layouts.enrich(store, batch):
                stream.write("\t".join(layouts.cells(layout, event, spreadsheet_safe)) + "\n")
                total += 1
        return total
    return write


def write_graphml(store, f: EventFilter, stream) -> int:
    from .graphml import Network
    network = Network()
    total = sum(network.add(event) for event in store.iter_events(f))
    if not total:
        raise ExportError("no events to export: none of the matching events has both a source and a target")
    network.write(stream)
    return total


def chunks(rows, size: int):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "gdelt": layout_writer("gdelt"), "icews": layout_writer("icews"),
           "polecat": layout_writer("polecat"), "graphml": write_graphml}


def csv_rows(stream, columns=COLUMNS):
    """Writes the header, then returns a function writing one row; every CSV eventwire writes goes through it."""
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    return lambda row: writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})


def spreadsheet_safe(value):
    """Article text is untrusted: a cell starting with = + - @ would run as a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def jsonl_rows(stream):
    return lambda row: stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_parquet(rows, out: str, chunk: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq
    writer, total = None, 0
    for batch in chunks(rows, chunk):
        writer = flush_parquet(writer, batch, out, pa, pq)
        total += len(batch)
    if writer is None:
        raise ExportError("no events to export")
    writer.close()
    return total


def flush_parquet(writer, batch, out, pa, pq):
    table = pa.Table.from_pylist([{c: r.get(c) for c in COLUMNS} for r in batch], schema=parquet_schema(pa))
    writer = writer or pq.ParquetWriter(out, table.schema)
    writer.write_table(table)
    return writer


def parquet_schema(pa):
    numeric = {"id": pa.int64(), "article_id": pa.int64(), "quad_class": pa.int64(), "story_id": pa.int64(),
               "goldstein": pa.float64(), "latitude": pa.float64(), "longitude": pa.float64(),
               "confidence": pa.float64()}
    return pa.schema([(c, numeric.get(c, pa.string())) for c in COLUMNS])
