"""HTML pages: main text and title through trafilatura, the publication date through htmldate."""
from __future__ import annotations

import logging
import os
import re

from ..model import Article
from . import InputError, article_bytes, stream_bytes
from .dates import parse_date
from .decode import DecodeError, decode

MAX_NESTING = 200          # lxml drops what lies deeper than 255 elements; flatten such a page before parsing
MAX_ELEMENTS = 100_000     # a news page has a few thousand; far more is a tag bomb that would take GBs to parse
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
START_TAG = re.compile(r"<[a-zA-Z]")
# Void tags never nest; these others are often left open, the next one closing them.
NOT_NESTING = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
               "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option"}
# Tags that only group others: dropping them keeps every word of a page that nests too deep to parse.
CONTAINERS = re.compile(r"</?(?:div|span|section|font|center|table|tbody|thead|tr|td|th|ul|ol|li|dl|dt|dd|"
                        r"b|i|u|em|strong|small|big|a|abbr|aside|nav|header|footer|main|figure|blockquote|q)"
                        r"(?:\s[^>]*)?/?>", re.IGNORECASE)
MIN_ARTICLE_WORDS = 8      # fewer words than a sentence is a menu or a caption, not an article
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


def quiet_libraries() -> None:
    """The extraction libraries log every odd page as a warning; eventwire reports one error line itself."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


quiet_libraries()


TOO_LARGE = "HTML page too large ({found})"


def read_html_file(path: str) -> Article | InputError:
    data = article_bytes(path, TOO_LARGE)
    return data if isinstance(data, InputError) else read_html_bytes(data, path)


def read_html_stream(stream, origin: str) -> Article | InputError:
    """From a stream (standard input), read no further than the size limit."""
    data = stream_bytes(stream, origin, TOO_LARGE)
    return data if isinstance(data, InputError) else read_html_bytes(data, origin)


def read_html_bytes(data: bytes, origin: str, url: str | None = None) -> Article | InputError:
    try:
        page = decode(data)
    except DecodeError as e:
        return InputError(origin, str(e))
    except (OSError, EOFError) as e:
        return InputError(origin, f"unreadable: {e}")
    return article_from_html(page, origin, url)


def article_from_html(page: str, origin: str, url: str | None = None) -> Article | InputError:
    if too_many_elements(page):
        return InputError(origin, f"HTML page has more than {MAX_ELEMENTS} elements; refused unparsed")
    deep = nesting_depth(page) > MAX_NESTING
    if deep:
        page = CONTAINERS.sub(" ", page)
    import trafilatura
    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=False,
                                          date_extraction_params=date_params())
    except (ValueError, RecursionError, MemoryError) as e:
        return InputError(origin, f"HTML could not be parsed ({type(e).__name__})")
    if doc is None or len((doc.text or "").split()) < MIN_ARTICLE_WORDS:
        still_deep = deep and nesting_depth(page) > MAX_NESTING
        return InputError(origin, "no article text found in the HTML page"
                                  + (f" (elements nested more than {MAX_NESTING} deep)" if still_deep else ""))
    return Article(text=doc.text, title=doc.title, published=page_date(page, doc), url=url or doc.url,
                   source=doc.sitename or doc.hostname, origin=origin,
                   id=os.path.basename(origin) if origin != "<stdin>" else None)


def too_many_elements(page: str) -> bool:
    """More start tags than MAX_ELEMENTS, counted one at a time and only as far as needed."""
    if page.count("<") <= MAX_ELEMENTS:
        return False
    return any(n >= MAX_ELEMENTS for n, _ in enumerate(START_TAG.finditer(page)))


def nesting_depth(page: str) -> int:
    """How deep elements nest, counting open tags not yet closed (void and self-closed tags do not nest)."""
    depth = deepest = 0
    for m in TAG.finditer(page):
        closing, name, self_closed = m.groups()
        if self_closed or name.lower() in NOT_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def date_params() -> dict:
    """htmldate reads dates from the page's markup only: its extensive search takes any year in the text
    ("since 1997") as the publication date, and a date invented is worse than none."""
    from datetime import date
    return {"original_date": True, "extensive_search": False, "max_date": date.today().isoformat()}


def page_date(page: str, doc) -> object:
    """The page's publication date from its metadata (trafilatura through htmldate), else None."""
    return parse_date(doc.date) if doc.date else None
