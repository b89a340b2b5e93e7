"""Concurrency: SQLite in WAL mode with a busy timeout, so the web server reads while an ingest writes.

The real app (web/app.py's create_app) is served by uvicorn on 127.0.0.1 in a thread; client threads read
every listing while a real `eventwire ingest` subprocess writes the same store, with zero errors. Two
ingests writing one store at once both finish, and every article is stored once.
"""
from __future__ import annotations

import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from test_crash import article_text, snapshot

from eventwire.store import open_store
from eventwire.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "eventwire.cli"]
LIVE_ARTICLES = 140          # more than two batches, so the store grows in steps while it is read
READS = ["/api/events?limit=50", "/api/events?type=ACCUSE&sort=confidence", "/api/articles", "/api/stats",
         "/api/actors", "/api/quotes", "/api/claims", "/api/aggregates?interval=week", "/api/pairs",
         "/api/graph", "/api/map", "/api/export?format=csv", "/", "/events", "/articles", "/claims"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(app):
    """The app on a loopback port, in a thread, for as long as the block runs; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def write_articles(folder: Path, numbers: range, seed: int = 21) -> None:
    """Articles by number: the same number always gives the same text, so two folders can overlap."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        rng = random.Random(seed * 100_000 + n)
        (folder / f"{n:04d}.txt").write_text(article_text(rng, n))


def ingest(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "ingest", str(folder), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_store_is_wal_with_a_busy_timeout(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    try:
        with store.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        store.close()


def reader(base: str, stop: threading.Event, results: list, errors: list, articles_seen: set) -> None:
    """Cycle through the read endpoints until told to stop, noting every failure and the article counts seen."""
    with httpx.Client(base_url=base, timeout=60) as client:
        i = 0
        while not stop.is_set():
            path = READS[i % len(READS)]
            i += 1
            try:
                response = client.get(path)
            except httpx.HTTPError as e:
                errors.append(f"{path}: {type(e).__name__}: {e}")
                continue
            results.append(response.status_code)
            if response.status_code != 200:
                errors.append(f"{path}: {response.status_code} {response.text[:200]}")
            elif path == "/api/stats":
                articles_seen.add(response.json()["articles"])


def test_the_web_answers_many_reads_while_an_ingest_writes(tmp_path):
    db = tmp_path / "live.db"
    write_articles(tmp_path / "corpus", range(LIVE_ARTICLES))
    app = create_app(str(db))
    stop, results, errors, seen = threading.Event(), [], [], set()
    with served(app) as base:
        threads = [threading.Thread(target=reader, args=(base, stop, results, errors, seen)) for _ in range(8)]
        for t in threads:
            t.start()
        writer = ingest(tmp_path / "corpus", db)
        _, err = writer.communicate(timeout=600)
        time.sleep(0.5)                       # a few reads of the finished store too
        stop.set()
        for t in threads:
            t.join(timeout=120)
    assert writer.returncode == 0, err[-2000:]
    assert errors == [], errors[:10]
    assert len(results) >= 300, f"only {len(results)} reads were made"
    assert len(seen) >= 3 and max(seen) == LIVE_ARTICLES, f"reads did not overlap the writes: {sorted(seen)}"


OPEN_WHEN_TOLD = r"""
import os, sys, time
from eventwire.store import open_store
db, ready, go = sys.argv[1:]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
open_store(db).close()
"""


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path):
    """Six processes (ingests, a server, a watcher) opening a store that does not exist yet, at the same instant."""
    db, go = tmp_path / "new.db", tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(6)]
    openers = [subprocess.Popen([sys.executable, "-c", OPEN_WHEN_TOLD, str(db), str(r), str(go)],
                                stderr=subprocess.PIPE, text=True) for r in ready]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    stderrs = [p.communicate(timeout=120)[1] for p in openers]
    # a process that dies without a word (exit status only) is a failure too
    assert [p.returncode for p in openers] == [0] * len(openers), [e.strip().splitlines()[-3:] for e in stderrs]
    assert [r.exists() for r in ready] == [True] * len(ready), "an opener never started"
    store = open_store(str(db))
    try:
        assert store.check() == []
    finally:
        store.close()


def test_two_ingests_writing_one_store_at_once_store_each_article_once(tmp_path):
    db = tmp_path / "shared.db"
    open_store(str(db)).close()              # created first: creating it at once is the test above
    write_articles(tmp_path / "a", range(40))
    write_articles(tmp_path / "b", range(20, 60))
    first, second = ingest(tmp_path / "a", db), ingest(tmp_path / "b", db)
    outputs = [p.communicate(timeout=600) for p in (first, second)]
    for process, (_, err) in zip((first, second), outputs):
        assert process.returncode == 0, err[-2000:]
        assert "locked" not in err
    stored = snapshot(db)                     # raises if any article is stored twice
    assert len([k for k in stored if k != ("failures",)]) == 60 and stored[("failures",)] == ()
    check = subprocess.run([*CLI, "check", "--db", str(db)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert check.returncode == 0 and check.stdout.strip() == "ok", check.stderr
    reference = tmp_path / "reference.db"
    shutil.copytree(tmp_path / "a", tmp_path / "all")
    shutil.copytree(tmp_path / "b", tmp_path / "all", dirs_exist_ok=True)
    assert ingest(tmp_path / "all", reference).wait(timeout=600) == 0
    assert {h: v[:-1] for h, v in stored.items()} == {h: v[:-1] for h, v in snapshot(reference).items()}

