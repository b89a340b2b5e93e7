"""`--jobs N` when a worker process dies (killed for memory, a crash in native code): here the test kills it
with SIGKILL from outside, as the kernel's OOM killer would. The run never hangs; a batch that was merely in
flight is run again, and a batch whose worker dies every time fails alone, one line per article."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from test_crash import article_text

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "eventwire.cli"]


def write_articles(folder: Path, count: int) -> None:
    import random
    rng = random.Random(17)
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:03d}.txt").write_text(article_text(rng, i))


def workers(pid: int) -> list[psutil.Process]:
    """The pool's worker processes (not multiprocessing's resource tracker)."""
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.Error:
            pass
    return out


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as c:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def ingest(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "ingest", str(folder), "--db", str(db), "--jobs", "2", "--quiet"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_worker_killed_once_costs_no_article(tmp_path):
    write_articles(tmp_path / "in", 48)
    db = tmp_path / "once.db"
    run = ingest(tmp_path / "in", db)
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and time.monotonic() < deadline and run.poll() is None:
        found = workers(run.pid)
        if len(found) == 2 and all(p.cpu_times().user > 1.0 for p in found):   # loaded and working
            found[0].send_signal(signal.SIGKILL)
            killed = found[0].pid
        time.sleep(0.2)
    out, err = run.communicate(timeout=600)
    assert killed is not None, "no worker was seen working"
    assert run.returncode == 0, err
    assert "read 48 articles: 48 stored" in out and stored(db) == 48


def test_a_batch_whose_worker_always_dies_fails_with_a_line_and_the_run_ends(tmp_path):
    write_articles(tmp_path / "in", 6)
    db = tmp_path / "always.db"
    run = ingest(tmp_path / "in", db)
    stop = threading.Event()

    def kill_every_worker():
        while not stop.is_set():
            for p in workers(run.pid):
                try:
                    p.send_signal(signal.SIGKILL)
                except psutil.Error:
                    pass
            time.sleep(0.05)
    killer = threading.Thread(target=kill_every_worker, daemon=True)
    killer.start()
    try:
        out, err = run.communicate(timeout=600)
    finally:
        stop.set()
    died = [line for line in err.splitlines() + out.splitlines() if "worker process died" in line]
    assert run.returncode == 1
    assert len(died) == 6, out + err
    assert "6 failed" in out and stored(db) == 0
