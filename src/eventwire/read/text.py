"""Plain-text articles: the first line is the title, the rest the body (one-line or blank-line paragraphs)."""
from __future__ import annotations

import os
import re

from ..model import Article
from . import InputError, article_bytes, stream_bytes
from .decode import DecodeError, decode

TITLE_MAX_CHARS = 300
FIRST_LINE = re.compile(r"\s*([^\n\r]*)")


TOO_LARGE = "too large for one article ({found}); split it or use JSON Lines"


def read_text_file(path: str) -> Article | InputError:
    data = article_bytes(path, TOO_LARGE)
    return data if isinstance(data, InputError) else read_text_bytes(data, path)


def read_text_stream(stream, origin: str) -> Article | InputError:
    """From a stream (standard input), read no further than the size limit."""
    data = stream_bytes(stream, origin, TOO_LARGE)
    return data if isinstance(data, InputError) else read_text_bytes(data, origin)


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
