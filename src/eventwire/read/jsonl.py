"""JSON Lines: one article per line; only `text` is required. A bad line is an error; the file goes on.
A .json file holds one article as a JSON object, or a list of them; news archives name their fields in
their own ways, so the body may also come as `body`, `content` or a list of paragraphs (`body-paragraphs`,
`paragraphs`), and the date as `date` or `publication_date`."""
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


# Names news archives give the fields of an article, tried after eventwire's own ('text', 'published').
TEXT_ALIASES = ("body", "content", "body-paragraphs", "body_paragraphs", "paragraphs")
DATE_ALIASES = ("date", "publication_date", "published_at", "pubdate")


def read_json_file(path: str) -> Iterator[Article | InputError]:
    """A .json file: one article (an object) or several (a list of objects)."""
    from . import article_bytes
    data = article_bytes(path, "too large for one JSON file ({found}); use JSON Lines")
    if isinstance(data, InputError):
        yield data
        return
    try:
        document = json.loads(decode(data))
    except DecodeError as e:
        yield InputError(path, str(e))
        return
    except (ValueError, RecursionError) as e:
        yield InputError(path, f"not valid JSON ({str(e)[:80]})")
        return
    if isinstance(document, dict):
        yield article_from_record(with_own_names(document), path)
    elif isinstance(document, list) and document:
        for number, record in enumerate(document, 1):
            where = f"{path}:{number}"
            yield article_from_record(with_own_names(record), where) if isinstance(record, dict) else \
                InputError(where, "a JSON object with a 'text' field is expected")
    else:
        yield InputError(path, "a JSON object (one article) or a list of them is expected")


def with_own_names(record: dict) -> dict:
    """The record with 'text' and 'published' filled from the names other archives use, when absent."""
    out = dict(record)
    if out.get("text") is None:
        for name in TEXT_ALIASES:
            if name in record:
                out["text"] = paragraphs_text(record[name])
                break
    if out.get("published") is None:
        out["published"] = next((record[n] for n in DATE_ALIASES if isinstance(record.get(n), str)), None)
    for name in STRING_FIELDS:
        if isinstance(out.get(name), (list, dict)):
            out.pop(name)           # a structured field of another archive (e.g. a source object): not ours
    return out


def paragraphs_text(value) -> str | None:
    """A body as one text: a string as it is; a list of paragraphs (each a string, or a list of sentence
    strings) as paragraphs apart by a blank line."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    paragraphs = []
    for item in value:
        if isinstance(item, str):
            paragraphs.append(item.strip())
        elif isinstance(item, list) and all(isinstance(x, str) for x in item):
            paragraphs.append(" ".join(x.strip() for x in item))
        else:
            return None
    return "\n\n".join(p for p in paragraphs if p)
