"""Crash safety: a real `eventwire ingest` SIGKILLed at random points, again and again, then run to the end.

At the end every article is stored exactly once, `eventwire check` passes, and the store equals one made
by a single clean run: the same article hashes with the same counts of sentences, actors, events and
quotes each (so no article is ever visible half-written), the same near-duplicate links, the same
stories, and the bad input recorded once as failed however many runs met it. Between kills, `check`
reports exactly what a stopped run leaves: events not yet grouped into stories, and nothing else.
"""
from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
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


def article_text(rng: random.Random, number: int, sentences: int = 5) -> str:
    """A short, distinct news article: a title and a few filled-in sentences."""
    def fill(template: str) -> str:
        a, b = rng.sample(COUNTRIES, 2)
        return template.format(A=a, B=b, P=rng.choice(PEOPLE), city=rng.choice(CITIES), day=rng.choice(DAYS),
                               n=rng.randint(2, 900))
    filled = [fill(t) for t in rng.sample(TEMPLATES, sentences)]
    return f"Dispatch {number}: {filled[0][:50]}\n\n" + "\n\n".join(filled) + "\n"


def near_copy(text: str, number: int) -> str:
    """Another outlet's copy of a wire story: its own headline and a closing line added."""
    body = text.split("\n\n", 1)[1]
    return f"Update {number}: as reported earlier\n\n{body}\nFurther details were not immediately available.\n"


def write_corpus(folder: Path, files: int, lines: int, seed: int, sentences: int = 5, copy_every: int = 0) -> int:
    """`files` text files (every `copy_every`-th a near-copy of the file before it) and one JSON Lines file of
    `lines` articles; returns how many articles."""
    rng = random.Random(seed)
    folder.mkdir()
    text = ""
    for i in range(files):
        copy = copy_every and i % copy_every == copy_every - 1
        text = near_copy(text, i) if copy else article_text(rng, i, sentences)
        (folder / f"{i:03d}.txt").write_text(text)
    with open(folder / "wire.jsonl", "w") as f:
        for i in range(files, files + lines):
            f.write(json.dumps({"id": f"w{i}", "text": article_text(rng, i, sentences),
                                "published": f"2024-05-0{1 + i % 9}"})
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


def stories(db: Path) -> dict[tuple, tuple]:
    """The grouping into stories: per story, its events (article hash, type, sides, modality, trigger, sentence)
    and what it counts (mentions, articles, sources, copies, dates); ids aside, as two stores number them."""
    with sqlite3.connect(db) as c:
        events = c.execute("""
            SELECT e.story_id, a.hash, e.type, e.source_name, e.target_name, e.modality, e.trigger, e.sentence
            FROM events e JOIN articles a ON a.id = e.article_id WHERE e.story_id IS NOT NULL""").fetchall()
        counts = {r[0]: r[1:] for r in c.execute(
            "SELECT id, match_key, events, mentions, articles, sources, copies, first_date, last_date FROM stories")}
    grouped: dict[int, list] = {}
    for story_id, *event in events:
        grouped.setdefault(story_id, []).append(tuple("" if v is None else v for v in event))
    return {tuple(sorted(members)): counts.get(story_id) for story_id, members in grouped.items()}


def ungrouped_events(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT COUNT(*) FROM events WHERE story_id IS NULL").fetchone()[0]


def cli_run(*argv: str) -> tuple[int, str, str]:
    out = subprocess.run([*CLI, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    return out.returncode, out.stdout, out.stderr


def check(db: Path, run=cli_run) -> None:
    """`eventwire check` reports exactly the events a stopped run left without a story, and nothing else."""
    code, stdout, stderr = run("check", "--db", str(db))
    loose = ungrouped_events(db)
    if loose:
        assert code == 1 and stdout.strip() == "1 problem(s)", stderr
        assert stderr.startswith(f"eventwire: {loose} events not grouped into stories"), stderr
    else:
        assert code == 0 and stdout.strip() == "ok", stderr


def assert_whole(db: Path, expected: dict) -> None:
    """Whatever a killed run left visible is whole, exactly as the clean run stored it; no failure is doubled."""
    if not stored_count(db):
        return
    now = snapshot(db)
    assert all(now[h] == expected.get(h) for h in now if h != ("failures",)), "an article is visible half-written"
    assert len(now[("failures",)]) <= 1, "a failure is recorded twice"


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
        assert_whole(db, expected)
        if stored_count(db):
            check(db)
    print(f"{total} articles; runs stopped (how, articles stored then): {history}")
    mid_ingest = [stored for how, stored in history if how == "killed" and 0 < stored < total]
    assert len(mid_ingest) >= kills // 2, f"too few kills landed while articles were being written: {history}"

    last = ingest(folder, db)
    assert last.wait(timeout=600) == 1, last.stderr.read().decode()[-2000:]
    last.stderr.close()
    assert snapshot(db) == expected
    assert stories(db) == stories(reference)
    check(db)


@pytest.fixture(autouse=True)
def slow_only_when_asked(request):
    """Tests marked slow run with `-m slow`, as the project's other slow tests do."""
    if request.node.get_closest_marker("slow") and "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long: run with -m slow")


def test_ingest_killed_six_times_then_resumed_stores_every_article_once(tmp_path):
    run_killed_and_resumed(tmp_path, files=36, lines=12, kills=6, seed=11)


# --- a hundred kills ------------------------------------------------------------------------------
# A hundred fresh interpreters would spend most of their time importing spaCy and loading the pipeline
# (7 s of CPU each, before a first article is read). So one process loads everything once, and each
# run is a fork of it calling the CLI's main with the arguments a user types: the same code from the
# parsing of the arguments on, opening (or creating) the store, reading, extracting, writing, grouping.
# It is that fork which is SIGKILLed. (The six-kill test above kills fresh `eventwire ingest` processes.)

WARM = r"""
import json, os, sys, traceback
from pathlib import Path
from eventwire import api, cli, progress
scratch = Path(sys.argv[1])                    # one article ingested and checked: every import and lazy load done
scratch.mkdir()
(scratch / "a.txt").write_text("Kenya accused Ethiopia of violating the ceasefire near their border on Monday.")
api.ingest([str(scratch)], db=str(scratch.with_suffix(".db")))
assert api.check(str(scratch.with_suffix(".db"))) == []
print("ready", flush=True)
for line in sys.stdin:
    argv, out, err = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
            os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
            code = cli.main(argv)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    print(pid, flush=True)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


class Warm:
    """A process that has imported eventwire and loaded the pipeline; `start` forks a CLI run off it."""

    def __init__(self, folder: Path):
        self.folder = folder
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")    # one thread: safe to fork
        self.process = subprocess.Popen([sys.executable, "-c", WARM, str(folder / "warm")], cwd=ROOT, env=env,
                                        bufsize=0, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.line(timeout=600) == "ready", "the warm process did not start"

    def line(self, timeout: float) -> str | None:
        """The warm process's next line, or None if none comes within the timeout."""
        if not select.select([self.process.stdout], [], [], timeout)[0]:
            return None
        line = self.process.stdout.readline().decode().strip()
        assert line, f"the warm process ended (code {self.process.wait()})"
        return line

    def start(self, *argv: str) -> Forked:
        out, err = self.folder / "run.out", self.folder / "run.err"
        self.process.stdin.write((json.dumps([list(argv), str(out), str(err)]) + "\n").encode())
        return Forked(self, int(self.line(timeout=60)), out, err)

    def run(self, *argv: str) -> tuple[int, str, str]:
        """A run to its end: (exit code, stdout, stderr), as cli_run gives them."""
        forked = self.start(*argv)
        code = forked.wait()
        return code, forked.out.read_text(), forked.err.read_text()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.process.stdout.close()


class Forked:
    """One CLI run forked off the warm process: poll it, SIGKILL it, wait for it."""

    def __init__(self, warm: Warm, pid: int, out: Path, err: Path):
        self.warm, self.pid, self.out, self.err = warm, pid, out, err
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and (line := self.warm.line(timeout=0)) is not None:
            self.returncode = int(line)
        return self.returncode

    def wait(self, timeout: float = 900) -> int:
        if self.returncode is None:
            line = self.warm.line(timeout)
            assert line is not None, f"the run did not end within {timeout} s"
            self.returncode = int(line)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        self.wait()


class Counter:
    """Articles committed so far, read through one connection kept open: it is asked every few milliseconds."""

    def __init__(self, db: Path):
        self.db, self.connection = db, None

    def __call__(self) -> int:
        if self.connection is None:
            if not stored_count(self.db):        # no store, or no article yet: nothing to keep open
                return 0
            self.connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5, isolation_level=None)
        return self.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@dataclass
class Kill:
    """One run and how it was stopped: the articles stored before it started and after it stopped."""
    when: str
    how: str
    before: int
    after: int
    ungrouped: int

    @property
    def mid_write(self) -> bool:
        """Killed after this run had written articles, so while it was writing its batch."""
        return self.how == "killed" and self.after > self.before


def watch_and_kill(run: Forked, stored: Counter, deadline: float | None, target: int | None) -> str:
    """SIGKILL the run at the deadline or once `target` articles are stored, unless it ends first."""
    while run.poll() is None:
        if deadline is not None and time.monotonic() >= deadline:
            break
        if target is not None and stored() >= target:
            break
        time.sleep(0.005)
    if run.poll() is not None:
        assert run.returncode == 1, run.err.read_text()[-2000:]      # the empty file failed, the rest stored
        return "finished"
    run.kill()
    return "killed"


def one_kill(warm: Warm, folder: Path, stored: Counter, rng: random.Random, when: str, share: int,
             seconds: dict[str, float]) -> Kill:
    """Start an ingest and SIGKILL it: early (opening or creating the store, reading the folder), in its first
    batch (reading, parsing, extracting; at its first write at the latest), mid-write (once 1 to 2*share-1 more
    articles are committed), or at the end (every article stored: reading them again, grouping their events
    into stories). `seconds`: how long a run takes to its first write (updated here), and with nothing new."""
    before, db = stored(), stored.db
    started = time.monotonic()
    run = warm.start("ingest", str(folder), "--db", str(db))
    deadline = target = None
    if when == "early":
        deadline = started + rng.uniform(0.0, 0.3)
    elif when == "first batch":
        deadline, target = started + rng.uniform(0.0, seconds["first write"]), before + 1
    elif when == "end":
        deadline = started + rng.uniform(0.0, 1.0) * seconds["nothing new"]
    else:
        target = before + rng.randint(1, 2 * share - 1)
        while run.poll() is None and stored() == before:
            time.sleep(0.005)
        if stored() > before:
            seconds["first write"] = time.monotonic() - started
    how = watch_and_kill(run, stored, deadline, target)
    if when == "end" and how == "finished":
        seconds["nothing new"] = time.monotonic() - started
    after = stored()
    return Kill(when, how, before, after, ungrouped_events(db) if after else 0)


END_KILLS = 4          # kills kept for the end, once every article is stored


def share_of(articles_left: int, kills_left: int) -> int:
    """How many articles a mid-write kill may let in on average, so that they last until the end kills
    (three runs in four are killed mid-write)."""
    return max(1, -(-articles_left * 4 // (3 * max(1, kills_left - END_KILLS))))


def run_killed_a_hundred_times(tmp_path: Path, files: int, lines: int, kills: int, seed: int) -> list[Kill]:
    folder = tmp_path / "corpus"
    total = write_corpus(folder, files, lines, seed, sentences=3, copy_every=10)
    reference, db = tmp_path / "reference.db", tmp_path / "killed.db"
    clean_run = ingest(folder, reference)       # the reference: one fresh `eventwire ingest`, never stopped
    warm = Warm(tmp_path)
    try:
        assert clean_run.wait(timeout=900) == 1, clean_run.stderr.read().decode()[-2000:]
        clean_run.stderr.close()
        expected = snapshot(reference)
        assert len(expected) == total + 1 and len(expected[("failures",)]) == 1
        assert sum(1 for h, row in expected.items() if h != ("failures",) and row[-1]) == files // 10
        seconds = {"nothing new": 1.0, "first write": 1.0}      # measured as runs go

        rng = random.Random(seed)
        history: list[Kill] = []
        counter = Counter(db)
        while (killed := sum(1 for k in history if k.how == "killed")) < kills:
            assert len(history) < 2 * kills, f"too many runs ended before their kill: {history}"
            stored = counter()
            share = share_of(total - stored, kills - killed)
            if stored >= total:
                when = "end"
            elif len(history) < 2:
                when = "early"
            else:
                when = ("first batch", "mid-write", "mid-write", "mid-write")[len(history) % 4]
            history.append(one_kill(warm, folder, counter, rng, when, share, seconds))
            assert_whole(db, expected)
            if counter():
                check(db, warm.run)
        counter.close()
        code, _, err = warm.run("ingest", str(folder), "--db", str(db))
        assert code == 1, err[-2000:]
        assert snapshot(db) == expected
        assert stories(db) == stories(reference)
        check(db, warm.run)
    finally:
        warm.close()
    return history


@pytest.mark.slow
def test_ingest_killed_a_hundred_times_equals_a_clean_run(tmp_path):
    started = time.monotonic()
    history = run_killed_a_hundred_times(tmp_path, files=150, lines=50, kills=100, seed=12)
    killed = [k for k in history if k.how == "killed"]
    part_filled = [k for k in killed if 0 < k.after < 200]          # 200 articles
    mid_write = [k for k in killed if k.mid_write]
    print(f"{len(history)} runs, {len(killed)} killed: {len(part_filled)} with the store part-filled, "
          f"{len(mid_write)} while writing articles, {sum(1 for k in killed if k.ungrouped and k.after == 200)} "
          f"with every article stored and events not yet grouped; {time.monotonic() - started:.0f} s")
    print([(k.when, k.how, k.before, k.after) for k in history])
    assert len(killed) == 100
    assert len(mid_write) >= 50, "too few kills landed while articles were being written"


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
        # killed once 1 to all of the round's new files are stored: while it writes them, or (the last one
        # stored) up to a second later, re-reading the grown file, grouping stories or marking files seen
        target = before + rng.randint(1, files_per_round)
        extra = rng.uniform(0.0, 1.0) if target == before + files_per_round else 0.0
        deadline, reached = time.monotonic() + 120, None
        while time.monotonic() < deadline and process.poll() is None:
            if reached is None and stored_count(db) >= target:
                reached = time.monotonic()
            if reached is not None and time.monotonic() - reached >= extra:
                break
            time.sleep(0.005)
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
    assert all(after > before for before, after in history)
    assert sum(1 for before, after in history if after - before < 6) >= 10, "too few kills landed mid-round"
