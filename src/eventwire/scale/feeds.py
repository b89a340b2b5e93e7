"""Watching RSS/Atom feeds and folders: every new entry or file is ingested once, and servers are asked politely.

A feed is fetched with its last ETag and Last-Modified (a 304 costs nothing), responses are size-bounded,
and a feed that fails waits exponentially longer before the next try. What was taken (entry ids, links,
file stamps) and each feed's validators live in the store, so a restarted watcher takes nothing twice.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from .. import __version__, api
from ..model import Article, Extraction
from ..pipeline import extract_stream
from ..read import SKIPPED_NAMES, InputError, read_file
from ..store import open_store
from .netguard import AddressRefused, PublicOnlyTransport, parse_networks
from .stories import cluster_stories
from .writer import Writer

log = logging.getLogger("eventwire")

USER_AGENT = f"eventwire/{__version__}"
CONNECT_SECONDS, READ_SECONDS = 10.0, 30.0
MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_PAGE_BYTES = 10 * 1024 * 1024
BACKOFF_FIRST_SECONDS = 60.0        # after the first failure; doubled after each further one
BACKOFF_MAX_SECONDS = 6 * 3600.0
SETTLE_SECONDS = 2.0                # a file changed more recently may still be being written: next poll
RETRY_STATUSES = {408, 425, 429}    # with 5xx: the page may come back, so its entry is tried again next poll


class TooLarge(Exception):
    pass


@dataclass
class Fetched:
    status: int
    headers: dict
    body: bytes = b""


@dataclass
class Poll:
    """What one source gave in one poll: items to take (key, Article or InputError), and what to save after."""
    source: str
    items: list[tuple[str, Article | InputError]] = field(default_factory=list)
    feed_state: dict | None = None
    replaces: dict[str, int] = field(default_factory=dict)    # a grown file's origin -> its stored article


def watch(sources: list[str], db: str | None = None, interval: float = 300.0, once: bool = False,
          model: str | None = None, allow_networks: list[str] | None = None) -> api.IngestSummary:
    """Poll feeds and folders every `interval` seconds (or once), ingesting what is new; stories follow.
    Feeds and their pages are fetched from public addresses only, and from the `allow_networks` (CIDR)."""
    for source in sources:
        if not is_source(source):
            raise ValueError(f"{source}: neither a folder nor an http(s) feed URL")
    allowed = parse_networks(allow_networks)
    store = open_store(db)
    writer = Writer(store)
    try:
        with http_client(allowed) as client:
            while True:
                for source in sources:
                    take(store, writer, poll_source(store, client, source), model)
                cluster_stories(store)
                log.info("%s", writer.summary.lines()[0])
                if once:
                    break
                time.sleep(interval)
    except KeyboardInterrupt:
        log.info("watch stopped")
    finally:
        store.close()
    return writer.summary


def http_client(allowed: list | None = None):
    """A client that connects to public addresses (and the allowed networks) only, redirects included;
    no proxy from the environment, since a proxy would connect where the check cannot see."""
    import httpx
    return httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True, max_redirects=5,
                        timeout=httpx.Timeout(READ_SECONDS, connect=CONNECT_SECONDS), trust_env=False,
                        transport=PublicOnlyTransport(allowed or []))


def is_source(source: str) -> bool:
    return os.path.isdir(source) or urlparse(source).scheme in ("http", "https")


def poll_source(store, client, source: str) -> Poll:
    if os.path.isdir(source):
        return poll_folder(store, source)
    if urlparse(source).scheme in ("http", "https"):
        return poll_feed(store, client, source)
    # a folder that was there when the watch began may be unmounted for a while: skip it, keep watching
    log.warning("%s: neither a folder nor an http(s) feed URL; skipped", source)
    return Poll(source)


def take(store, writer: Writer, poll: Poll, model: str | None) -> None:
    """Ingest a poll's items, then remember them (and the feed's validators): a crash in between costs a re-read."""
    if poll.items:
        pending = api.new_articles((item for _, item in poll.items), store, writer.summary)
        for result in extract_stream(pending, model=model):
            stored_id = poll.replaces.get(getattr(getattr(result, "article", None), "origin", None))
            if stored_id is not None and isinstance(result, Extraction):
                writer.replace(stored_id, result)
            else:
                writer.write(result)
        store.mark_seen(poll.source, {key for key, _ in poll.items})
    if poll.feed_state is not None:
        store.save_feed_state(poll.source, **poll.feed_state)


# --- folders ---

def poll_folder(store, folder: str) -> Poll:
    """Files not seen before (by path, size and modification time) that have stopped changing: unchanged
    for SETTLE_SECONDS, and still the same when read. A file that grew since it was stored replaces its
    article; a file that vanishes meanwhile is left alone."""
    root, settled_before = Path(folder), time.time() - SETTLE_SECONDS
    stamps = {}
    for path in listed_files(root):
        stat = stat_of(path)
        if stat is not None and stat.st_mtime <= settled_before:
            stamps[stamp_of(root, path, stat)] = path
    seen = store.seen_items(folder, stamps)
    poll = Poll(folder)
    for stamp, path in stamps.items():
        if stamp in seen:
            continue
        items = list(read_file(str(path)))
        stat = stat_of(path)
        if stat is None or stamp_of(root, path, stat) != stamp:
            continue                        # gone or changed while read: the next poll sees what it became
        poll.items += [(stamp, item) for item in items]
        stored_id = store.article_id_of_origin(str(path))
        if stored_id is not None:
            poll.replaces[str(path)] = stored_id
    return poll


def listed_files(root: Path) -> list[Path]:
    try:
        return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in SKIPPED_NAMES)
    except OSError as e:                    # a folder removed while listed: the next poll lists again
        log.warning("%s: %s; listed again next poll", root, e.strerror or e)
        return []


def stat_of(path: Path):
    try:
        return path.stat()
    except OSError:
        return None


def stamp_of(root: Path, path: Path, stat) -> str:
    return f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}"


# --- feeds ---

def poll_feed(store, client, url: str) -> Poll:
    """New entries of a feed, unless it is backing off or unchanged (304)."""
    state = store.feed_state(url) or {}
    if (state.get("retry_at") or 0) > time.time():
        return Poll(url)
    try:
        fetched = fetch(client, url, MAX_FEED_BYTES, conditional_headers(state))
    except Exception as e:  # noqa: BLE001 - any network or size failure backs the feed off, never stops the watch
        return Poll(url, feed_state=backed_off(url, state, f"{type(e).__name__}: {e}"))
    if fetched.status == 304:
        return Poll(url, feed_state={"status": 304, "failures": 0, "retry_at": None})
    if fetched.status != 200:
        return Poll(url, feed_state=backed_off(url, state, f"HTTP {fetched.status}", fetched.status))
    return feed_poll(store, client, url, fetched, state)


def feed_poll(store, client, url: str, fetched: Fetched, state: dict) -> Poll:
    import feedparser
    feed = feedparser.parse(fetched.body, response_headers={"content-location": url,
                                                            "content-type": fetched.headers.get("content-type", "")})
    if feed.bozo and not feed.entries:
        return Poll(url, feed_state=backed_off(url, state, f"not a feed ({feed.get('bozo_exception')})", 200))
    poll = Poll(url, feed_state={"status": 200, "failures": 0, "retry_at": None,
                                 "etag": fetched.headers.get("etag"),
                                 "last_modified": fetched.headers.get("last-modified")})
    keys = {entry_key(entry): entry for entry in feed.entries if entry_key(entry)}
    seen = store.seen_items(url, keys)
    for key, entry in keys.items():
        if key not in seen:
            article = entry_article(client, entry, feed.feed.get("title"))
            if article is not None:
                poll.items.append((key, article))
    return poll


def conditional_headers(state: dict) -> dict:
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return headers


def backed_off(url: str, state: dict, reason: str, status: int | None = None) -> dict:
    """The next try waits BACKOFF_FIRST_SECONDS, doubled for every failure in a row (at most BACKOFF_MAX_SECONDS)."""
    failures = (state.get("failures") or 0) + 1
    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (failures - 1))
    log.warning("%s: %s; next try in %.0f s", url, reason, delay)
    return {"status": status, "failures": failures, "retry_at": time.time() + delay}


def fetch(client, url: str, limit: int, headers: dict | None = None) -> Fetched:
    """GET with a size bound on the (decompressed) body; only a 200's body is read."""
    with client.stream("GET", url, headers=headers or {}) as response:
        fetched = Fetched(response.status_code, dict(response.headers))
        if response.status_code != 200:
            return fetched
        if int(response.headers.get("content-length") or 0) > limit:
            raise TooLarge(f"{url}: more than {limit} bytes")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise TooLarge(f"{url}: more than {limit} bytes")
        fetched.body = bytes(body)
        return fetched


def entry_key(entry) -> str | None:
    """An entry's identity: its id (guid), else its link."""
    return entry.get("id") or entry.get("link") or None


def entry_article(client, entry, feed_title: str | None) -> Article | InputError | None:
    """The entry's own full content when it has some, else its linked page; None to try again next poll."""
    link = entry.get("link")
    origin = link or entry_key(entry)
    article = content_article(entry, origin, link)
    if article is None:
        if urlparse(link or "").scheme not in ("http", "https"):
            return InputError(origin, "feed entry has no content and no web link")
        article = page_article(client, link)
    if isinstance(article, Article):
        fill_from_entry(article, entry, feed_title)
    return article


def content_article(entry, origin: str, link: str | None) -> Article | None:
    from ..read.html import read_html_bytes
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if not contents:
        return None
    page = f"<html><body><article>{''.join(contents)}</article></body></html>"
    article = read_html_bytes(page.encode("utf-8"), origin, url=link)
    return article if isinstance(article, Article) else None


def page_article(client, link: str) -> Article | InputError | None:
    from ..read.html import read_html_bytes
    try:
        fetched = fetch(client, link, MAX_PAGE_BYTES)
    except (TooLarge, AddressRefused) as e:
        return InputError(link, str(e))
    except Exception as e:  # noqa: BLE001 - network trouble: the entry is tried again next poll
        log.warning("%s: %s: %s; tried again next poll", link, type(e).__name__, e)
        return None
    if fetched.status >= 500 or fetched.status in RETRY_STATUSES:
        log.warning("%s: HTTP %d; tried again next poll", link, fetched.status)
        return None
    if fetched.status != 200:
        return InputError(link, f"HTTP {fetched.status}")
    return read_html_bytes(fetched.body, link, url=link)


def fill_from_entry(article: Article, entry, feed_title: str | None) -> None:
    """What the page did not say, the feed does: title, link and publisher. The entry's own date (pubDate)
    wins over one found in the page: the feed states it, the page's may be any date in its markup."""
    article.title = article.title or entry.get("title")
    article.url = article.url or entry.get("link")
    article.source = article.source or feed_title
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        article.published = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
