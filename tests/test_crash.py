"""Crash safety: a real `eventwire ingest` SIGKILLed at random points, again and again, then run to the end.

At the end every article is stored exactly once, `eventwire check` passes, and the store equals one made
by a single clean run: the same article hashes with the same counts of sentences, actors, events and
quotes each (so no article is ever visible half-written), the same near-duplicate links, and the bad
input recorded once as failed however many runs met it. Between kills, `check` reports exactly what a
stopped run leaves: events not yet grouped into stories, and nothing else.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "eventwire.cli"]

COUNTRIES = ["Kenya", "Ethiopia", "Russia", "Ukraine", "France", "Germany", "Brazil", "Argentina", "India",
             "Pakistan", "Japan", "China", "Nigeria", "Ghana", "Peru", "Chile", "Turkey", "Greece", "Egypt", "Iran"]
CITIES = ["Nairobi", "Geneva", "Vienna", "Doha", "Oslo", "Lima", "Cairo", "Ankara", "Delhi", "Tokyo"]
PEOPLE = ["Amina Odhiambo", "Dawit Bekele", "Maria Santos", "Kenji Sato", "Olga Petrova", "Ahmed Farouk",
          "Lucia Romero", "Ravi Sharma", "Chen Wei", "Grace Mensah"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "{A} accused {B} of violating the ceasefire near their shared border on {day}.",
    "{P}, the foreign minister of {A}, met her counterpart from {B} in {city} on {day}.",
    '"We will not accept threats from {B}," {P} told reporters in {city}.',
    "{A} imposed new sanctions on {B} after {n} days of failed talks, officials said.",
    "Police in {city} arrested {n} protesters who marched against the government of {A}.",
    "{A} and {B} agreed to reopen trade talks in {city} next month.",
    "{A} denied sending weapons to rebels in {B}, the ministry said on {day}.",
    "Troops from {A} attacked positions held by forces of {B} overnight, killing {n} soldiers.",
    "{B} asked {A} for emergency food aid after floods displaced {n} families.",
    "{P} said {A} would withdraw {n} troops from the disputed region by {day}.",
    "The government of {A} threatened to expel diplomats from {B} over the spying case.",
    "{A} praised {B} for hosting the peace conference in {city}.",
]


def article_text(rng: random.Random, number: int) -> str:
    """A short, distinct news article: a title and five filled-in sentences."""
    def fill(template: str) -> str:
        a, b = rng.sample(COUNTRIES, 2)
        return template.format(A=a, B=b, P=rng.choice(PEOPLE), city=rng.choice(CITIES), day=rng.choice(DAYS),
                               n=rng.randint(2, 900))
    sentences = [fill(t) for t in rng.sample(TEMPLATES, 5)]
    return f"Dispatch {number}: {sentences[0][:50]}\n\n" + "\n\n".join(sentences) + "\n"


def write_corpus(folder: Path, files: int, lines: int, seed: int) -> int:
    """`files` text files and one JSON Lines file of `lines` articles; returns how many articles."""
    rng = random.Random(seed)
    folder.mkdir()
    for i in range(files):
        (folder / f"{i:03d}.txt").write_text(article_text(rng, i))
    with open(folder / "wire.jsonl", "w") as f:
        for i in range(files, files + lines):
            f.write(json.dumps({"id": f"w{i}", "text": article_text(rng, i), "published": f"2024-05-0{1 + i % 9}"})
                    + "\n")
    (folder / "000-empty.txt").write_text("")          # a bad input every run meets first
    return files + lines


def ingest(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "ingest", str(folder), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stored_count(db: Path) -> int:
    """Articles committed so far (0 before the store exists)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:          # tables not created yet
        return 0


def snapshot(db: Path) -> dict[str, tuple]:
    """Per article hash: counts of sentences, actors, events, event mentions, quotes, claims, and its link."""
    with sqlite3.connect(db) as c:
        rows = c.execute("""
            SELECT a.hash,
                   (SELECT COUNT(*) FROM sentences t WHERE t.article_id = a.id),
                   (SELECT COUNT(*) FROM actors t WHERE t.article_id = a.id),
                   (SELECT COUNT(*) FROM events t WHERE t.article_id = a.id),
                   (SELECT COUNT(*) FROM event_mentions t WHERE t.article_id = a.id),
                   (SELECT COUNT(*) FROM quotes t WHERE t.article_id = a.id),
                   (SELECT COUNT(*) FROM claims t WHERE t.article_id = a.id),
                   (SELECT d.hash FROM articles d WHERE d.id = a.duplicate_of)
            FROM articles a""").fetchall()
        assert len(rows) == len({r[0] for r in rows}), "an article is stored twice"
        failures = c.execute("SELECT origin, reason FROM failures").fetchall()
    return {r[0]: r[1:] for r in rows} | {("failures",): tuple(sorted(failures))}


def ungrouped_events(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT COUNT(*) FROM events WHERE story_id IS NULL").fetchone()[0]


def check(db: Path) -> None:
    """`eventwire check` reports exactly the events a stopped run left without a story, and nothing else."""
    out = subprocess.run([*CLI, "check", "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    loose = ungrouped_events(db)
    if loose:
        assert out.returncode == 1 and out.stdout.strip() == "1 problem(s)", out.stderr
        assert out.stderr.startswith(f"eventwire: {loose} events not grouped into stories"), out.stderr
    else:
        assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def kill_at_random_point(folder: Path, db: Path, rng: random.Random, total: int, full_run_seconds: float,
                         when: str) -> tuple[str, int]:
    """Start an ingest and SIGKILL it: early (while starting up), at any time of a run, or mid-write (once one
    to four more articles are committed). Returns how it was stopped and the articles stored then."""
    before = stored_count(db)
    process = ingest(folder, db)
    if when == "early":
        deadline = time.monotonic() + rng.uniform(0.2, 1.5)
    elif when == "any time":
        # within the time the work still left would take (a resumed run has less to do, and a busy machine
        # makes the clean run's time a poor guide), so that the kill lands before the run ends
        left = max((total - before) / total, 0.25)
        deadline = time.monotonic() + rng.uniform(0.5, max(1.0, full_run_seconds * left))
    else:                                      # a batch is written in a burst: kill inside it
        deadline = None
        target = before + rng.randint(1, 4)
    while process.poll() is None:
        if deadline is not None and time.monotonic() >= deadline:
            break
        if deadline is None and stored_count(db) >= target:
            break
        time.sleep(0.005)
    if process.poll() is not None:
        assert process.returncode == 1, process.stderr.read().decode()[-2000:]     # the empty file failed
        return "finished", stored_count(db)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    return "killed", stored_count(db)


def run_killed_and_resumed(tmp_path: Path, files: int, lines: int, kills: int, seed: int) -> None:
    folder = tmp_path / "corpus"
    total = write_corpus(folder, files, lines, seed)
    reference, db = tmp_path / "reference.db", tmp_path / "killed.db"

    started = time.monotonic()
    clean_run = ingest(folder, reference)
    assert clean_run.wait(timeout=600) == 1, clean_run.stderr.read().decode()[-2000:]
    clean_run.stderr.close()
    full_run_seconds = time.monotonic() - started
    expected = snapshot(reference)
    assert len(expected) == total + 1 and len(expected[("failures",)]) == 1

    rng = random.Random(seed)
    history = []
    while sum(1 for how, _ in history if how == "killed") < kills and stored_count(db) < total:
        when = "early" if not history else ("any time", "mid-write", "mid-write")[len(history) % 3]
        how, stored = kill_at_random_point(folder, db, rng, total, full_run_seconds, when)
        history.append((how, stored))
        if stored_count(db):
            now = snapshot(db)               # whatever is visible is whole: exactly as the clean run stored it
            assert all(now[h] == expected.get(h) for h in now if h != ("failures",)), "an article is visible half-written"
            assert len(now[("failures",)]) <= 1, "a failure is recorded twice"
            check(db)
    print(f"{total} articles; runs stopped (how, articles stored then): {history}")
    mid_ingest = [stored for how, stored in history if how == "killed" and 0 < stored < total]
    assert len(mid_ingest) >= kills // 2, f"too few kills landed while articles were being written: {history}"

    last = ingest(folder, db)
    assert last.wait(timeout=600) == 1, last.stderr.read().decode()[-2000:]
    last.stderr.close()
    assert snapshot(db) == expected
    check(db)


@pytest.fixture(autouse=True)
def slow_only_when_asked(request):
    """Tests marked slow run with `-m slow`, as the project's other slow tests do."""
    if request.node.get_closest_marker("slow") and "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long: run with -m slow")


def test_ingest_killed_six_times_then_resumed_stores_every_article_once(tmp_path):
    run_killed_and_resumed(tmp_path, files=36, lines=12, kills=6, seed=11)


@pytest.mark.slow
def test_ingest_killed_twenty_times_over_more_articles(tmp_path):
    run_killed_and_resumed(tmp_path, files=150, lines=50, kills=20, seed=12)


# --- watch ----------------------------------------------------------------------------------------

def watcher(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "watch", str(folder), "--db", str(db), "--interval", "0.5"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def drop_files(folder: Path, rng: random.Random, start: int, count: int) -> None:
    """New files arriving in the watched folder, written and then left alone (dated in the past)."""
    past = time.time() - 60
    for i in range(start, start + count):
        path = folder / f"{i:03d}.txt"
        path.write_text(article_text(rng, i))
        os.utime(path, (past, past))


def grow(path: Path, rng: random.Random, number: int) -> None:
    """A file still being written: a paragraph more each time."""
    with open(path, "a") as f:
        f.write(("" if path.exists() and path.stat().st_size else f"Growing dispatch {number}\n\n")
                + article_text(rng, 1000 + number).split("\n\n", 1)[1] + "\n")
    past = time.time() - 60 + number
    os.utime(path, (past, past))


def run_watch_killed(tmp_path: Path, kills: int, files_per_round: int, seed: int) -> list:
    folder, db, reference = tmp_path / "incoming", tmp_path / "killed.db", tmp_path / "reference.db"
    folder.mkdir()
    rng = random.Random(seed)
    history, dropped = [], 0
    for round_number in range(kills):
        drop_files(folder, rng, dropped, files_per_round)
        dropped += files_per_round
        grow(folder / "growing.txt", rng, round_number)
        before = stored_count(db)
        process = watcher(folder, db)
        deadline, writing_since = time.monotonic() + 120, None
        extra = rng.uniform(0.0, 2.0)       # killed this long after its first write of the round
        while time.monotonic() < deadline and process.poll() is None:
            if writing_since is None and stored_count(db) > before:
                writing_since = time.monotonic()
            if writing_since is not None and time.monotonic() - writing_since >= extra:
                break
            time.sleep(0.01)
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        history.append((before, stored_count(db)))
        if stored_count(db):
            check(db)
    final = subprocess.run([*CLI, "watch", str(folder), "--db", str(db), "--once"], cwd=ROOT, capture_output=True,
                           text=True, timeout=900)
    assert final.returncode == 0, final.stderr
    clean = subprocess.run([*CLI, "watch", str(folder), "--db", str(reference), "--once"], cwd=ROOT,
                           capture_output=True, text=True, timeout=900)
    assert clean.returncode == 0, clean.stderr
    assert snapshot(db) == snapshot(reference)
    articles = [k for k in snapshot(db) if k != ("failures",)]
    assert len(articles) == dropped + 1                # the dropped files and the grown one, each once
    check(db)
    return history


def test_watch_killed_five_times_equals_a_clean_run(tmp_path):
    run_watch_killed(tmp_path, kills=5, files_per_round=4, seed=21)


@pytest.mark.slow
def test_watch_killed_twenty_times_equals_a_clean_run(tmp_path):
    history = run_watch_killed(tmp_path, kills=20, files_per_round=6, seed=22)
    print(f"articles stored before and after each kill: {history}")
    assert sum(1 for before, after in history if after > before) >= 10
