"""Plain-text articles: the first line is the title, the rest the body (one-line or blank-line paragraphs)."""
from __future__ import annotations

import os
import re

from .. import settings
from ..model import Article
from . import InputError, read_bounded
from .decode import DecodeError, decode

TITLE_MAX_CHARS = 300
FIRST_LINE = re.compile(r"\s*([^\n\r]*)")


def read_text_file(path: str) -> Article | InputError:
    size = os.path.getsize(path)
    if size == 0:
        return InputError(path, "empty file")
    if size > settings.MAX_ARTICLE_BYTES:
        return InputError(path, too_large(size))
    with open(path, "rb") as f:
        return read_text_bytes(f.read(), path)


def read_text_stream(stream, origin: str) -> Article | InputError:
    """A text article from a stream (standard input), read no further than the size limit."""
    data = read_bounded(stream, settings.MAX_ARTICLE_BYTES)
    if data is None:
        return InputError(origin, too_large(None))
    if not data:
        return InputError(origin, "empty input")
    return read_text_bytes(data, origin)


def too_large(size: int | None) -> str:
    limit = settings.MAX_ARTICLE_BYTES // (1 << 20)
    found = f"{size // (1 << 20)} MB > " if size is not None else "more than "
    return f"too large for one article ({found}{limit} MB); split it or use JSON Lines"


def read_text_bytes(data: bytes, origin: str) -> Article | InputError:
    try:
        text = decode(data)
    except DecodeError as e:
        return InputError(origin, str(e))
    except (OSError, EOFError) as e:
        return InputError(origin, f"unreadable: {e}")
    if not text.strip():
        return InputError(origin, "no text (empty or only whitespace)")
    return article_from_text(text, origin)


def article_from_text(text: str, origin: str, **fields) -> Article:
    """The first line is a title when it is short and more text follows it."""
    first_line = FIRST_LINE.match(text)
    first = first_line.group(1).strip()
    rest = text[first_line.end():].strip()
    has_title = bool(first) and bool(rest) and len(first) <= TITLE_MAX_CHARS
    return Article(text=text, title=first if has_title else None, origin=origin,
                   id=fields.pop("id", None) or (os.path.basename(origin) if origin != "<string>" else None),
                   title_in_text=has_title, **fields)
