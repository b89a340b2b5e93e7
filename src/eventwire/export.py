"""Exporting stored events as CSV, JSON Lines or Parquet, streamed from the store a chunk at a time."""
from __future__ import annotations

import csv
import json
import sys

from .store.queries import EventFilter
from .store.schema import events as events_table

COLUMNS = [c.name for c in events_table.c]
FORMATS = ("csv", "jsonl", "parquet")


def export_events(store, f: EventFilter, format: str, out: str | None) -> int:
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (choose {', '.join(FORMATS)})")
    if format == "parquet":
        if not out:
            raise ValueError("parquet needs --out FILE")
        return write_parquet(store.iter_events(f), out)
    stream = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        writer = csv_rows(stream) if format == "csv" else jsonl_rows(stream)
        return sum(writer(row) or 1 for row in store.iter_events(f))
    finally:
        if out:
            stream.close()


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
    writer, batch, total = None, [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            writer = flush_parquet(writer, batch, out, pa, pq)
            total += len(batch)
            batch = []
    if batch or writer is None:
        writer = flush_parquet(writer, batch, out, pa, pq)
        total += len(batch)
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
