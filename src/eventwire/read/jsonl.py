"""JSON Lines: one article per line; only `text` is required. A bad line is an error; the file goes on."""
from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator

from .. import settings
from ..model import Article
from . import InputError
from .dates import parse_date
from . import SNIFF_BYTES
from .decode import BOMS, GZIP_MAGIC, DecodeError, decode, gunzip_stream, utf16_without_bom, without_surrogates

STRING_FIELDS = ("id", "title", "url", "source")
TOO_LONG = object()         # stands for a line over the limit, which is skipped unread


def read_jsonl_file(path: str) -> Iterator[Article | InputError]:
    try:
        f = open(path, "rb")
    except OSError as e:
        yield InputError(path, f"unreadable: {e.strerror}")
        return
    with f:
        stream = gunzip_stream(f) if f.peek(2)[:2] == GZIP_MAGIC else f
        encoding = wide_encoding(stream.peek(SNIFF_BYTES))
        yield from read_jsonl_stream(AsUtf8(stream, encoding) if encoding else stream, path)


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 (by BOM, or UTF-16 by its NUL bytes): its newline bytes are not b'\\n' alone,
    so the file is transcoded before it is split into lines."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return utf16_without_bom(head) if b"\0" in head else None


class AsUtf8:
    """A UTF-16/32 byte stream read as lines of UTF-8 bytes (a line's length counted in characters)."""

    def __init__(self, stream, encoding: str):
        self.text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline=None)

    def readline(self, size: int = -1) -> bytes:
        return without_surrogates(self.text.readline(size)).encode("utf-8", errors="replace")


def read_jsonl_stream(stream, origin: str) -> Iterator[Article | InputError]:
    """Every line of a binary stream, read a line at a time; a broken stream ends with one error."""
    try:
        yield from read_jsonl_bytes(bounded_lines(stream), origin)
    except DecodeError as e:
        yield InputError(origin, str(e))


def bounded_lines(f) -> Iterator[bytes | object]:
    """Lines of a binary stream, a line longer than the limit replaced by TOO_LONG (read in chunks, never whole)."""
    while True:
        line = f.readline(settings.MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > settings.MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
            while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield TOO_LONG
        else:
            yield line


def read_jsonl_bytes(lines: Iterable[bytes | object], origin: str) -> Iterator[Article | InputError]:
    for number, raw in enumerate(lines, 1):
        if raw is not TOO_LONG and not raw.strip():
            continue
        yield parse_line(raw, f"{origin}:{number}")


def parse_line(raw: bytes | object, where: str) -> Article | InputError:
    if raw is TOO_LONG:
        return InputError(where, f"line longer than {settings.MAX_JSONL_LINE_BYTES // (1 << 20)} MB")
    try:
        record = json.loads(line_text(raw))
    except DecodeError as e:
        return InputError(where, str(e))
    except (ValueError, RecursionError) as e:
        return InputError(where, f"not valid JSON ({str(e)[:80]})")
    if not isinstance(record, dict):
        return InputError(where, "a JSON object with a 'text' field is expected")
    return article_from_record(record, where)


def line_text(raw: bytes) -> str:
    """UTF-8, else the line's own encoding as a whole file's is found (a Latin-1 line keeps its 'é')."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode(raw)


def article_from_record(record: dict, where: str) -> Article | InputError:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "'text' is missing, empty or not a string")
    fields = {}
    for name in STRING_FIELDS:
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            return InputError(where, f"'{name}' must be a string")
        if isinstance(value, str) and len(value) > settings.MAX_FIELD_CHARS:
            return InputError(where, f"'{name}' is longer than {settings.MAX_FIELD_CHARS:,} characters")
        fields[name] = without_surrogates(str(value)) if value is not None else None
    published = record.get("published")
    if isinstance(published, str) and not published.strip():
        published = None
    date = parse_date(published) if published is not None else None
    if published is not None and date is None:
        return InputError(where, f"'published' is not a valid date: {str(published)[:40]!r}")
    return Article(text=without_surrogates(text), published=date, origin=where, **fields)
