"""The feed and folder watcher against a real HTTP server on 127.0.0.1 (http.server in a thread)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventwire import __version__
from eventwire.scale import feeds, netguard
from eventwire.scale.feeds import watch
from eventwire.store import open_store

# The test site runs on loopback, which feeds refuse unless the user allows it.
LOCAL = {"allow_networks": ["127.0.0.0/8"]}

STORIES = {
    "a1": ("Germany criticizes Russia over gas supplies",
           ("Germany sharply criticized Russia on Monday over cuts to gas supplies through the Baltic pipeline. "
            "The economy minister in Berlin said Moscow was using energy as a weapon against Europe.")),
    "a2": ("Japan and India sign defence pact",
           ("Japan and India signed a defence cooperation agreement in Tokyo on Tuesday, officials said. "
            "The two governments agreed to hold joint naval exercises in the Indian Ocean next year.")),
    "a3": ("Brazil recalls ambassador from Israel",
           ("Brazil recalled its ambassador to Israel on Wednesday after a diplomatic dispute over remarks by "
            "the president. The foreign ministry in Brasilia summoned the Israeli envoy for talks.")),
}


def page(key: str) -> bytes:
    title, body = STORIES[key]
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in body.split(". "))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"
            f"<p>The report was filed by our correspondent for the {key} desk, who covers foreign affairs.</p>"
            f"</article></body></html>").encode()


def rss(base: str, keys: list[str]) -> bytes:
    items = "".join(f"<item><title>{STORIES[k][0]}</title><link>{base}/{k}.html</link><guid>{base}/{k}</guid>"
                    f"<pubDate>Mon, 07 Mar 2022 10:00:00 GMT</pubDate></item>" for k in keys)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title><link>{base}</link>'
            f"<description>test</description>{items}</channel></rss>").encode()


def atom_with_content(base: str) -> bytes:
    title, body = STORIES["a3"]
    content = "".join(f"&lt;p&gt;{sentence}.&lt;/p&gt;" for sentence in body.split(". ")) * 2
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>'
            f"<id>{base}/atom</id><updated>2022-03-09T10:00:00Z</updated>"
            f'<entry><title>{title}</title><id>urn:atom:a3</id><link href="{base}/never-fetched.html"/>'
            f'<updated>2022-03-09T10:00:00Z</updated><content type="html">{content}</content></entry></feed>').encode()


class Site:
    """Routes to (status, headers, body); every request's path and headers are kept for the test to read."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.etag = '"v1"'
        self.modified = formatdate(time.time() - 3600, usegmt=True)

    def feed(self, path: str, body: bytes) -> None:
        self.routes[path] = (200, {"Content-Type": "application/rss+xml", "ETag": self.etag,
                                   "Last-Modified": self.modified}, body)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.requests.append((self.path, dict(self.headers)))
            status, headers, body = state.routes.get(self.path, (404, {}, b"not found"))
            if status == 200 and headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    for key in STORIES:
        state.routes[f"/{key}.html"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page(key))
    yield state
    server.shutdown()
    server.server_close()


def titles(db: str) -> list[str]:
    store = open_store(db)
    try:
        return sorted(a["title"] for a in store.articles(limit=100))
    finally:
        store.close()


def test_new_entries_are_ingested_once(site, tmp_path):
    db = str(tmp_path / "feeds.db")
    site.feed("/feed.xml", rss(site.base, ["a1", "a2"]))
    summary = watch([site.base + "/feed.xml"], db=db, once=True, **LOCAL)
    assert summary.stored == 2 and titles(db) == sorted(STORIES[k][0] for k in ("a1", "a2"))
    site.etag = '"v2"'
    site.feed("/feed.xml", rss(site.base, ["a1", "a2", "a3"]))
    assert watch([site.base + "/feed.xml"], db=db, once=True, **LOCAL).stored == 1
    assert (site.hits("/a1.html"), site.hits("/a2.html"), site.hits("/a3.html")) == (1, 1, 1)
    assert len(titles(db)) == 3
    store = open_store(db)
    article = store.article(1)
    assert article["source"] and article["published"] == "2022-03-07" and article["url"].endswith("/a1.html")
    store.close()


def test_a_304_is_honored_and_validators_are_sent(site, tmp_path):
    db = str(tmp_path / "feeds.db")
    site.feed("/feed.xml", rss(site.base, ["a1"]))
    watch([site.base + "/feed.xml"], db=db, once=True, **LOCAL)
    assert watch([site.base + "/feed.xml"], db=db, once=True, **LOCAL).read == 0
    _, headers = [r for r in site.requests if r[0] == "/feed.xml"][-1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == site.modified
    assert headers["User-Agent"] == f"eventwire/{__version__}"
    store = open_store(db)
    assert store.feed_state(site.base + "/feed.xml")["status"] == 304
    store.close()


def test_a_500_backs_off_without_crashing(site, tmp_path):
    db, url = str(tmp_path / "feeds.db"), site.base + "/feed.xml"
    site.routes["/feed.xml"] = (500, {}, b"oops")
    assert watch([url], db=db, once=True, **LOCAL).stored == 0
    store = open_store(db)
    first = store.feed_state(url)
    assert first["failures"] == 1 and first["status"] == 500
    assert first["retry_at"] - time.time() == pytest.approx(feeds.BACKOFF_FIRST_SECONDS, abs=5)
    watch([url], db=db, once=True, **LOCAL)
    assert site.hits("/feed.xml") == 1, "a feed that is backing off is not asked again"
    store.save_feed_state(url, retry_at=time.time() - 1)
    watch([url], db=db, once=True, **LOCAL)
    assert store.feed_state(url)["retry_at"] - time.time() == pytest.approx(2 * feeds.BACKOFF_FIRST_SECONDS, abs=5)
    store.save_feed_state(url, retry_at=time.time() - 1)
    site.feed("/feed.xml", rss(site.base, ["a2"]))
    assert watch([url], db=db, once=True, **LOCAL).stored == 1
    assert store.feed_state(url)["failures"] == 0
    store.close()


def test_a_page_that_fails_is_tried_again_next_poll(site, tmp_path):
    db, url = str(tmp_path / "feeds.db"), site.base + "/feed.xml"
    site.feed("/feed.xml", rss(site.base, ["a1"]))
    healthy = site.routes["/a1.html"]
    site.routes["/a1.html"] = (503, {}, b"busy")
    assert watch([url], db=db, once=True, **LOCAL).stored == 0
    site.routes["/a1.html"] = healthy
    site.etag = '"v2"'
    site.feed("/feed.xml", rss(site.base, ["a1"]))
    assert watch([url], db=db, once=True, **LOCAL).stored == 1


def test_an_oversized_feed_is_refused_and_backed_off(site, tmp_path, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 200)
    db, url = str(tmp_path / "feeds.db"), site.base + "/feed.xml"
    site.feed("/feed.xml", rss(site.base, ["a1", "a2", "a3"]))
    assert watch([url], db=db, once=True, **LOCAL).read == 0
    store = open_store(db)
    assert store.feed_state(url)["failures"] == 1
    store.close()


def test_entry_content_is_used_without_fetching_the_page(site, tmp_path):
    db = str(tmp_path / "feeds.db")
    site.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom_with_content(site.base))
    assert watch([site.base + "/atom.xml"], db=db, once=True, **LOCAL).stored == 1
    assert site.hits("/never-fetched.html") == 0
    assert titles(db) == [STORIES["a3"][0]]


def test_a_folder_watch_picks_up_a_new_file(tmp_path):
    folder, db = tmp_path / "drop", str(tmp_path / "folder.db")
    folder.mkdir()
    write_settled(folder / "one.txt", "a1")
    assert watch([str(folder)], db=db, once=True).stored == 1
    write_settled(folder / "two.txt", "a2")
    (folder / "three.txt").write_text("Still being written", encoding="utf-8")
    summary = watch([str(folder)], db=db, once=True)
    assert summary.read == 1 and summary.stored == 1
    assert titles(db) == sorted(STORIES[k][0] for k in ("a1", "a2"))
    (folder / "three.txt").write_text("Still being written, more", encoding="utf-8")   # the writer goes on
    assert watch([str(folder)], db=db, once=True).read == 0


def write_settled(path, key: str) -> None:
    """A finished file: written, then dated a minute back, as a file that has stopped changing is."""
    title, body = STORIES[key]
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))


def test_a_source_that_is_neither_feed_nor_folder_is_an_error_naming_it(tmp_path):
    missing = str(tmp_path / "missing")
    with pytest.raises(ValueError, match=f"^{re.escape(missing)}: neither a folder nor an http"):
        watch([missing], db=str(tmp_path / "x.db"), once=True)
    assert not (tmp_path / "x.db").exists()              # refused before any store is made


def test_watch_names_a_missing_source_in_one_line_and_exits_2(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    result = subprocess.run([sys.executable, "-m", "eventwire.cli", "watch", str(folder), str(tmp_path / "gone"),
                             "--db", str(tmp_path / "x.db"), "--once"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"eventwire: {tmp_path / 'gone'}: neither a folder nor an "
                                                  "http(s) feed URL"]


def test_an_entry_pubdate_wins_over_a_date_in_its_text(site, tmp_path):
    title, body = STORIES["a1"]
    content = f"&lt;p&gt;{body}&lt;/p&gt;&lt;p&gt;The pipeline treaty of 2005-01-01 still holds, officials said.&lt;/p&gt;"
    site.feed("/dated.xml", (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Dated</title>'
                             f"<link>{site.base}</link><description>d</description><item><title>{title}</title>"
                             f"<guid>urn:dated:1</guid><pubDate>Mon, 06 Sep 2021 10:00:00 GMT</pubDate>"
                             f"<description>{content}</description><content:encoded "
                             f'xmlns:content="http://purl.org/rss/1.0/modules/content/">{content}'
                             f"</content:encoded></item></channel></rss>").encode())
    db = str(tmp_path / "dated.db")
    assert watch([site.base + "/dated.xml"], db=db, once=True, **LOCAL).stored == 1
    store = open_store(db)
    try:
        assert [a["published"] for a in store.articles(limit=10)] == ["2021-09-06"]
    finally:
        store.close()


def test_a_loopback_feed_is_refused_by_default_with_one_line(site, tmp_path, caplog):
    site.feed("/feed.xml", rss(site.base, ["a1"]))
    summary = watch([site.base + "/feed.xml"], db=str(tmp_path / "ssrf.db"), once=True)
    assert (summary.read, site.hits("/feed.xml")) == (0, 0)
    refused = [r.getMessage() for r in caplog.records if "public addresses only" in r.getMessage()]
    assert len(refused) == 1 and "loopback" in refused[0] and "\n" not in refused[0]


def test_an_entry_linking_to_loopback_is_not_fetched(site, tmp_path):
    """A feed from an allowed address whose entry links to an address that is not allowed."""
    site.routes["/evil.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss("http://[::1]:9", ["a1"]))
    db = str(tmp_path / "ssrf.db")
    summary = watch([site.base + "/evil.xml"], db=db, once=True, allow_networks=["127.0.0.1/32"])
    assert summary.stored == 0
    assert len(summary.failed) == 1 and "[::1]" in summary.failed[0] and "loopback" in summary.failed[0]


def test_a_redirect_to_loopback_is_refused(site, tmp_path):
    site.routes["/moved.html"] = (302, {"Location": "http://127.0.0.2:9/a1.html"}, b"")
    site.routes["/redirecting.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                       rss(site.base, ["a1"]).replace(b"/a1.html", b"/moved.html"))
    summary = watch([site.base + "/redirecting.xml"], db=str(tmp_path / "r.db"), once=True,
                    allow_networks=["127.0.0.1"])
    assert summary.stored == 0 and site.hits("/a1.html") == 0
    assert len(summary.failed) == 1 and "127.0.0.2 is a loopback address" in summary.failed[0]


def test_an_allowed_network_is_fetched_after_a_redirect(site, tmp_path):
    site.routes["/moved.html"] = (302, {"Location": f"{site.base}/a1.html"}, b"")
    site.routes["/redirecting.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                       rss(site.base, ["a1"]).replace(b"/a1.html", b"/moved.html"))
    summary = watch([site.base + "/redirecting.xml"], db=str(tmp_path / "r.db"), once=True, **LOCAL)
    assert summary.stored == 1 and site.hits("/a1.html") == 1


@pytest.mark.parametrize("address, kind", [("10.1.2.3", "private"), ("192.168.0.1", "private"),
                                           ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"),
                                           ("::1", "loopback"), ("fe80::1", "link-local"),
                                           ("::ffff:127.0.0.1", "loopback"), ("8.8.8.8", None)])
def test_address_kinds(address, kind):
    import ipaddress
    assert netguard.kind_of(ipaddress.ip_address(address)) == kind


def test_a_bad_allowed_network_is_a_usage_error(tmp_path):
    from eventwire.cli import main
    assert main(["watch", str(tmp_path), "--once", "--db", str(tmp_path / "x.db"),
                 "--allow-network", "nonsense"]) == 2


# --- folders: files that vanish or grow -----------------------------------------------------------

def settle(path) -> None:
    past = time.time() - 60
    os.utime(path, (past, past))


def stored_articles(db: str) -> list[dict]:
    store = open_store(db)
    try:
        return [store.article(a["id"]) for a in store.articles(limit=100)]
    finally:
        store.close()


def test_a_file_that_vanishes_between_listing_and_reading_is_skipped(tmp_path, monkeypatch):
    folder, db = tmp_path / "drop", str(tmp_path / "vanish.db")
    folder.mkdir()
    write_settled(folder / "one.txt", "a1")
    write_settled(folder / "gone.txt", "a2")
    real_read = feeds.read_file

    def read_after_another_process_removed_it(path):
        if path.endswith("gone.txt"):
            os.remove(path)
        return real_read(path)
    monkeypatch.setattr(feeds, "read_file", read_after_another_process_removed_it)
    summary = watch([str(folder)], db=db, once=True)
    assert (summary.stored, summary.failed) == (1, [])
    assert titles(db) == [STORIES["a1"][0]]


def test_the_watch_command_exits_0_when_a_file_vanishes(tmp_path, monkeypatch):
    from eventwire.cli import main
    folder = tmp_path / "drop"
    folder.mkdir()
    write_settled(folder / "gone.txt", "a2")
    real_stat = feeds.Path.stat

    def stat_after_removal(self, *args, **kwargs):
        if self.name == "gone.txt" and os.path.exists(self):
            os.remove(self)
        return real_stat(self, *args, **kwargs)
    monkeypatch.setattr(feeds.Path, "stat", stat_after_removal)
    assert main(["watch", str(folder), "--once", "--db", str(tmp_path / "v.db")]) == 0


def test_a_file_changed_while_read_waits_for_the_next_poll(tmp_path, monkeypatch):
    folder, db = tmp_path / "drop", str(tmp_path / "changing.db")
    folder.mkdir()
    write_settled(folder / "one.txt", "a1")
    real_read = feeds.read_file

    def read_while_the_writer_appends(path):
        items = list(real_read(path))
        with open(path, "a", encoding="utf-8") as f:
            f.write("A later paragraph was added by the writer.\n")
        return items
    monkeypatch.setattr(feeds, "read_file", read_while_the_writer_appends)
    assert watch([str(folder)], db=db, once=True).read == 0
    monkeypatch.setattr(feeds, "read_file", real_read)
    settle(folder / "one.txt")
    assert watch([str(folder)], db=db, once=True).stored == 1
    [article] = stored_articles(db)
    assert article["text"].rstrip().endswith("added by the writer.")


def test_a_grown_file_replaces_its_article(tmp_path):
    folder, db = tmp_path / "drop", str(tmp_path / "grown.db")
    folder.mkdir()
    title, body = STORIES["a1"]
    path = folder / "growing.txt"
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    settle(path)
    assert watch([str(folder)], db=db, once=True).stored == 1
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n" + STORIES["a3"][1] + "\n")
    settle(path)
    assert watch([str(folder)], db=db, once=True).stored == 1
    [article] = stored_articles(db)
    assert article["text"].rstrip().endswith(STORIES["a3"][1].rstrip())
    clean_db = str(tmp_path / "clean.db")
    from eventwire import api
    api.ingest([str(path)], db=clean_db)
    [clean] = stored_articles(clean_db)
    assert len(article["document"]["events"]) == len(clean["document"]["events"])
    store = open_store(db)
    try:
        assert store.count("events") == len(clean["document"]["events"]) and store.count("signatures") == 1
        assert store.check() == []
    finally:
        store.close()
