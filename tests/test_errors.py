"""Every way out of the CLI is one line: a store that cannot be used, an option out of range, odd names.

Each error names the store or the input and the reason, on one line of standard error, with exit status 1
for a failure and 2 for a usage error; `--debug` adds the traceback. Names and article text never reach
the terminal raw: a newline cannot split an error line, an escape sequence cannot drive the terminal.
"""
from __future__ import annotations

import ast
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.store.queries import EventFilter
from eventwire.terminal import json_text, printable

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
ARTICLE = "Border talks\nIndia accused Pakistan of shelling the border on Monday, officials said.\n"


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, check=False)


def one_error_line(result: subprocess.CompletedProcess, status: int) -> str:
    """The single line a failed command printed (standard output empty), after checking its exit status."""
    assert result.returncode == status, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stdout == "", result.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["events", "stats", "check", "claims"])
def test_a_store_in_a_missing_folder_is_one_line_naming_it(command):
    line = one_error_line(run(command, "--db", "/nonexistent/x.db"), 1)
    assert line == ("eventwire: store /nonexistent/x.db: unable to open database file: "
                    "the folder /nonexistent does not exist")


def test_a_folder_given_as_the_store_is_one_line(tmp_path):
    line = one_error_line(run("events", "--db", str(tmp_path)), 1)
    assert line == f"eventwire: store {tmp_path}: unable to open database file: it is a folder"


@pytest.mark.parametrize("command", ["events", "check", "stats"])
def test_a_file_that_is_not_a_database_is_one_line(command, tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(os.urandom(8192))
    line = one_error_line(run(command, "--db", str(path)), 1)
    assert line == f"eventwire: store {path}: not an eventwire store (the file is not an SQLite database)"


def damaged_store(tmp_path: Path) -> Path:
    """A real store whose pages past the first are overwritten: the header is sound, the content is not."""
    path = tmp_path / "damaged.db"
    assert run("ingest", str(SAMPLES), "--db", str(path), "--quiet").returncode == 0
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2:page * 6] = b"\xa5" * (page * 4)
    path.write_bytes(bytes(data))
    return path


def test_check_on_a_damaged_store_reports_it_in_one_line(tmp_path):
    result = run("check", "--db", str(damaged_store(tmp_path)))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert all(line.startswith("eventwire: ") for line in result.stderr.splitlines()), result.stderr
    assert "malformed" in result.stderr or "integrity_check" in result.stderr, result.stderr


def test_postgresql_down_is_one_line_without_the_password():
    line = one_error_line(run("stats", "--db", "postgresql://ew:s3cret@127.0.0.1:1/events"), 1)
    assert line.startswith("eventwire: store postgresql://ew:***@127.0.0.1:1/events: ")
    assert "refused" in line.lower() and "s3cret" not in line


@pytest.mark.parametrize("args, option", [
    (["events", "--offset", "99999999999999999999"], "--offset"),
    (["events", "--offset", "-1"], "--offset"),
    (["events", "--limit", "0"], "--limit"),
    (["claims", "--limit", "lots"], "--limit"),
    (["serve", "--port", "99999"], "--port"),
    (["ingest", str(SAMPLES), "--jobs", "0"], "--jobs"),
])
def test_an_out_of_range_number_is_a_usage_error(args, option, tmp_path):
    line = one_error_line(run(*args, "--db", str(tmp_path / "x.db")), 2)
    assert option in line and args[args.index(option) + 1] in line
    assert not (tmp_path / "x.db").exists()


def test_a_large_offset_within_range_is_an_empty_page(tmp_path):
    db = str(tmp_path / "x.db")
    result = run("events", "--db", db, "--offset", str(2**63 - 1), "--format", "jsonl")
    assert result.returncode == 0 and result.stdout == "", result.stderr


def test_debug_adds_the_traceback_before_the_line():
    for args in (["--debug", "events"], ["events", "--debug"]):
        result = run(*args, "--db", "/nonexistent/x.db")
        assert result.returncode == 1
        assert "Traceback (most recent call last)" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("eventwire: store /nonexistent/x.db: ")


def test_without_debug_no_sql_or_parameters_are_shown(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(os.urandom(8192))
    result = run("events", "--db", str(path))
    assert "SELECT" not in result.stderr and "sqlalche.me" not in result.stderr


# --- odd names and text ---

def test_printable_shows_every_control_character_as_an_escape():
    assert printable("a\nfailed: b") == "a\\nfailed: b"
    assert printable("x\x1b[2Jy\x07") == "x\\x1b[2Jy\\x07"
    assert printable("c1 \x9b31m bidi \u202e end\t") == "c1 \\x9b31m bidi \\u202e end\\t"
    assert printable("déjà Россия 北京") == "déjà Россия 北京"


def test_json_text_escapes_what_json_leaves_raw_and_still_parses():
    import json
    value = {"text": "a\x9bb\u202ec\x1bd\n"}
    text = json_text(value)
    assert "\x9b" not in text and "\u202e" not in text and "\x1b" not in text
    assert json.loads(text) == value


def test_a_newline_in_a_file_name_cannot_fake_a_failed_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nfailed: forged.txt").write_text("")
    result = run("ingest", str(folder), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert failed == [f"failed: {folder}/a\\nfailed: forged.txt: empty file"]


def test_escape_sequences_in_names_and_text_never_reach_the_terminal_raw(tmp_path):
    body = " ".join(["India accused Pakistan of shelling the border on Monday, officials said."] * 5)
    path = tmp_path / "esc\x1b[2J.txt"
    path.write_text(f"Title \x1b[31mred\x9b1m\n{body}\n")
    empty = tmp_path / "e\x1b]0;pwned\x07.txt"
    empty.write_text("")
    result = run("extract", str(path), str(empty), "--format", "table")
    shown = result.stdout + result.stderr
    assert result.returncode == 1 and "ACCUSE" in result.stdout, result.stderr
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "# Title \\x1b[31mred\\x9b1m" in result.stdout
    assert result.stderr == f"eventwire: {tmp_path}/e\\x1b]0;pwned\\x07.txt: empty file\n"


# --- the layers ---

def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
            found.update("." * node.level + (node.module + "." if node.module else "") + a.name for a in node.names)
    return found


def test_the_scale_layer_does_not_reach_up_into_the_api():
    for path in (ROOT / "src" / "eventwire" / "scale").glob("*.py"):
        assert not {m for m in imported_modules(path) if m in ("..api", "eventwire.api")}, path.name


def test_the_ontology_sits_next_to_the_model():
    from eventwire import ontology
    assert ontology.PLOVER_TYPES and not (ROOT / "src" / "eventwire" / "events" / "ontology.py").exists()


# --- a store that fills up or turns read-only during a batch ---

def small_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    countries = ["Kenya", "Peru", "Chile", "India", "France", "Ghana", "Japan", "Egypt"]
    for i in range(count):
        a, b = countries[i % 8], countries[(i + 3) % 8]
        (folder / f"{i:02d}.txt").write_text(f"Dispatch {i}\n{a} accused {b} of violating the ceasefire "
                                             f"on Monday, the {i}th such accusation, officials said.\n")
    return folder


def test_a_full_store_fails_each_article_alone_and_the_batch_ends_with_its_summary(tmp_path):
    """SQLite's real SQLITE_FULL (PRAGMA max_page_count): every article the store cannot take is a failure
    of that article, rolled back whole; nothing half-written, and the summary counts every article."""
    from sqlalchemy import event as sa_event

    from eventwire import api
    from eventwire.batch import IngestSummary
    from eventwire.scale.writer import Writer
    from eventwire.store import open_store
    folder = small_articles(tmp_path / "in", 12)
    results = list(api.extract_file([str(folder)]))
    store = open_store(str(tmp_path / "full.db"))
    pages = store.engine.connect().exec_driver_sql("PRAGMA page_count").scalar()
    sa_event.listen(store.engine, "connect", lambda c, _: c.execute(f"PRAGMA max_page_count={pages + 6}"))
    store.engine.dispose()
    summary = IngestSummary(read=len(results))
    writer = Writer(store, summary, dedup=False)
    for result in results:
        writer.write(result)
    assert 0 < summary.stored < 12 and summary.stored + len(summary.failed) == 12
    assert all(f.endswith("not stored: database or disk is full (not recorded in the store: database or disk "
                          "is full)") or f.endswith("not stored: database or disk is full") for f in summary.failed)
    stored = {a["origin"]: a["id"] for a in store.articles(limit=100)}
    assert len(stored) == summary.stored
    for result in results:                          # each stored article is whole: all its events are there
        if result.article.origin in stored:
            assert store.count_events(EventFilter(article_id=stored[result.article.origin])) == len(result.events)
    store.close()


def can_mount() -> bool:
    target = Path("/tmp/eventwire-mount-probe")
    target.mkdir(exist_ok=True)
    probe = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(target)], capture_output=True,
                           check=False)
    if probe.returncode == 0:
        subprocess.run(["umount", str(target)], check=False)
    return probe.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A real 8 MB filesystem (tmpfs), unmounted afterwards; skipped where mounting is not permitted."""
    if not can_mount():
        pytest.skip("mounting a tmpfs is not permitted here (the max_page_count test covers SQLITE_FULL)")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_ingest_onto_a_full_disk_records_every_failure_and_prints_the_summary(small_disk, tmp_path):
    folder = small_articles(tmp_path / "in", 16)
    db = small_disk / "events.db"
    assert run("ingest", str(folder), "--db", str(db), "--quiet").returncode == 0
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 48 * 1024))     # room for a few articles, not forty
    more = small_articles(tmp_path / "more", 0)
    for i in range(20):
        (more / f"{i:02d}.txt").write_text(f"Late dispatch {i}\n" + "Chile praised Peru for its help on Monday. "
                                           * 8 + f"Number {i}.\n")
    result = run("ingest", str(more), "--db", str(db), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    head = result.stdout.splitlines()
    assert len(head) == 1 and head[0].startswith("read 20 articles: "), result.stdout
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert failed and all("database or disk is full" in line for line in failed)
    assert f", {len([f for f in failed if 'stories' not in f])} failed;" in head[0]
    (small_disk / "filler").unlink()
    assert run("check", "--db", str(db)).stdout.strip() in ("ok", "1 problem(s)")   # at most ungrouped events
    again = run("ingest", str(more), "--db", str(db), "--quiet")
    assert again.returncode == 0, again.stderr
    assert run("check", "--db", str(db)).stdout.strip() == "ok"


def test_a_read_only_store_is_one_line(small_disk, tmp_path):
    db = small_disk / "events.db"
    assert run("ingest", str(SAMPLES), "--db", str(db), "--quiet").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    folder = small_articles(tmp_path / "in", 1)
    line = one_error_line(run("ingest", str(folder), "--db", str(db)), 1)
    assert line.startswith(f"eventwire: store {db}: ") and "read" in line.lower(), line


def test_serve_on_a_port_in_use_is_one_line():
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_error_line(run("serve", "--port", str(port), "--db", "/nonexistent/x.db"), 1)
    assert line == f"eventwire: serve: 127.0.0.1:{port}: Address already in use"


def test_serve_on_an_unknown_host_is_one_line():
    line = one_error_line(run("serve", "--host", "no-such-host.invalid", "--db", "/nonexistent/x.db"), 1)
    assert line.startswith("eventwire: serve: no-such-host.invalid:8000: no such address")


def test_whitespace_only_text_posted_to_the_api_is_refused_as_the_cli_refuses_it(tmp_path):
    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app
    client = TestClient(create_app(str(tmp_path / "w.db"), write_token="t0ken"), base_url="http://localhost",
                        raise_server_exceptions=False)
    for blank in (" ", "\n\n\t  \r\n", "\u00a0\u2003"):
        r = client.post("/api/articles", json={"text": blank}, headers={"Authorization": "Bearer t0ken"})
        assert r.status_code == 422 and "only whitespace" in r.text, blank
