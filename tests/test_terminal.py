"""`eventwire ingest` at a real terminal (a pseudo-terminal): progress shown there, never in pipes, same store."""
from __future__ import annotations

import fcntl
import io
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from eventwire import api
from eventwire.batch import IngestSummary
from eventwire.progress import Progress, known_total, progress_display

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SCREEN = (30, 100)          # rows, columns of the pseudo-terminal
TIMEOUT = 300


def eventwire(*args: str) -> list[str]:
    return [sys.executable, "-m", "eventwire.cli", *args]


def run_at_terminal(*args: str) -> tuple[int, str]:
    """eventwire with standard input, output and error on one pseudo-terminal: its exit status and what it drew."""
    controller, terminal = os.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", *SCREEN, 0, 0))
    process = subprocess.Popen(eventwire(*args), stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    try:
        screen = read_until_closed(controller, time.monotonic() + TIMEOUT)
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    return process.wait(), screen.decode("utf-8", "replace")


def read_until_closed(fd: int, deadline: float) -> bytes:
    """Everything written to the terminal until its last writer exits (Linux then answers EIO)."""
    chunks = []
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            break
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            return b"".join(chunks)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
    raise AssertionError(f"eventwire still running after {TIMEOUT}s at the terminal: {b''.join(chunks)[-500:]!r}")


def stored(db: str) -> tuple[dict, list[tuple]]:
    """A store's counts and its events, without the ids that depend on the order of writing."""
    rows = api.events(db=db, limit=1000, sort="id")
    return api.stats(db=db), sorted((r["type"], r["source_name"] or "", r["target_name"] or "", r["modality"],
                                     r["trigger"], r["date"] or "", r["sentence"]) for r in rows)


def test_ingest_at_a_terminal_shows_progress_and_stores_what_a_pipe_stores(tmp_path):
    files = len([p for p in SAMPLES.iterdir() if p.is_file()])
    status, screen = run_at_terminal("ingest", str(SAMPLES), "--db", str(tmp_path / "terminal.db"))
    assert status == 0, screen
    assert f"{files}/{files}" in screen and "articles/s" in screen and "0 failed" in screen, screen
    assert f"read {files} articles: {files} stored" in screen

    piped = subprocess.run(eventwire("ingest", str(SAMPLES), "--db", str(tmp_path / "pipe.db")),
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr
    assert piped.stdout.startswith(f"read {files} articles: {files} stored")
    assert stored(str(tmp_path / "terminal.db")) == stored(str(tmp_path / "pipe.db"))

    status, screen = run_at_terminal("ingest", str(SAMPLES), "--db", str(tmp_path / "terminal.db"), "--quiet")
    assert status == 0 and f"0 stored, {files} already stored" in screen, screen
    assert "articles/s" not in screen and "%|" not in screen


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_when_files_tell_the_count_a_counter_otherwise(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "b.html", "sub/c.txt.gz", ".DS_Store"):
        (tmp_path / name).write_text("x")
    assert known_total([str(tmp_path)]) == 3
    assert known_total([str(tmp_path), str(tmp_path / "missing.txt")]) == 4      # one failure counts as one
    (tmp_path / "sub" / "more.jsonl").write_text("{}")
    assert known_total([str(tmp_path)]) is None and known_total(["-"]) is None


def test_progress_shows_articles_per_second_and_failures_and_stays_out_of_pipes(tmp_path):
    for total, shown in ((4, "3/4"), (None, "3 articles")):
        screen = Terminal()
        progress = Progress(total, screen)
        progress(IngestSummary(stored=1, already=1, failed=["x.txt: empty file"]))
        progress.close()
        assert shown in screen.getvalue() and "articles/s" in screen.getvalue() and "1 failed" in screen.getvalue()
    paths = [str(SAMPLES)]
    assert isinstance(progress_display(paths, stream=Terminal()), Progress)
    assert progress_display(paths, stream=io.StringIO()) is None
    assert progress_display(paths, stream=Terminal(), quiet=True) is None
