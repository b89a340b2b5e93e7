"""HTML pages: main text and title through trafilatura, the publication date through htmldate."""
from __future__ import annotations

import os

from .. import settings
from ..model import Article
from . import InputError
from .dates import parse_date
from .decode import DecodeError, decode

MAX_NESTING = 2000   # deeper than this, lxml's parser is not trusted with the page
MIN_ARTICLE_WORDS = 8   # fewer words than a sentence is a menu or a caption, not an article


def read_html_file(path: str) -> Article | InputError:
    size = os.path.getsize(path)
    if size == 0:
        return InputError(path, "empty file")
    if size > settings.MAX_ARTICLE_BYTES:
        return InputError(path, f"HTML page too large ({size // (1 << 20)} MB > "
                                f"{settings.MAX_ARTICLE_BYTES // (1 << 20)} MB)")
    with open(path, "rb") as f:
        return read_html_bytes(f.read(), path)


def read_html_bytes(data: bytes, origin: str, url: str | None = None) -> Article | InputError:
    try:
        page = decode(data)
    except DecodeError as e:
        return InputError(origin, str(e))
    except (OSError, EOFError) as e:
        return InputError(origin, f"unreadable: {e}")
    return article_from_html(page, origin, url)


def article_from_html(page: str, origin: str, url: str | None = None) -> Article | InputError:
    import trafilatura
    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=False)
    except (ValueError, RecursionError, MemoryError) as e:
        return InputError(origin, f"HTML could not be parsed ({type(e).__name__})")
    if doc is None or len((doc.text or "").split()) < MIN_ARTICLE_WORDS:
        return InputError(origin, "no article text found in the HTML page")
    return Article(text=doc.text, title=doc.title, published=page_date(page, doc), url=url or doc.url,
                   source=doc.sitename or doc.hostname, origin=origin,
                   id=os.path.basename(origin) if origin != "<stdin>" else None)


def page_date(page: str, doc) -> object:
    """The page's publication date: trafilatura's metadata, else htmldate's original-date search."""
    found = parse_date(doc.date) if doc.date else None
    if found is None:
        try:
            from htmldate import find_date
            found = parse_date(find_date(page, original_date=True, extensive_search=False))
        except (ValueError, RecursionError):
            found = None
    return found
