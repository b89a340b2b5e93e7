"""JSON Lines: one article per line; only `text` is required. A bad line is an error; the file goes on."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .. import settings
from ..model import Article
from . import InputError
from .dates import parse_date

STRING_FIELDS = ("id", "title", "url", "source")


def read_jsonl_file(path: str) -> Iterator[Article | InputError]:
    try:
        f = open(path, "rb")
    except OSError as e:
        yield InputError(path, f"unreadable: {e.strerror}")
        return
    with f:
        yield from read_jsonl_bytes(bounded_lines(f), path)


def bounded_lines(f) -> Iterator[bytes]:
    """Lines of a binary file, a line longer than the limit replaced by a marker (read in chunks, never whole)."""
    while True:
        line = f.readline(settings.MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > settings.MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
            while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield b"\x00TOO-LONG"
        else:
            yield line


def read_jsonl_bytes(lines: Iterable[bytes], origin: str) -> Iterator[Article | InputError]:
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        yield parse_line(raw, f"{origin}:{number}")


def parse_line(raw: bytes, where: str) -> Article | InputError:
    if raw == b"\x00TOO-LONG":
        return InputError(where, f"line longer than {settings.MAX_JSONL_LINE_BYTES // (1 << 20)} MB")
    try:
        record = json.loads(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as e:
        return InputError(where, f"not valid JSON ({str(e)[:80]})")
    if not isinstance(record, dict):
        return InputError(where, "a JSON object with a 'text' field is expected")
    return article_from_record(record, where)


def article_from_record(record: dict, where: str) -> Article | InputError:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "'text' is missing, empty or not a string")
    fields = {}
    for name in STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int)):
            return InputError(where, f"'{name}' must be a string")
        fields[name] = str(value) if value is not None else None
    published = record.get("published")
    date = parse_date(published) if published is not None else None
    if published is not None and date is None:
        return InputError(where, f"'published' is not a valid date: {str(published)[:40]!r}")
    return Article(text=text, published=date, origin=where, **fields)
