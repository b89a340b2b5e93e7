"""Load on loopback: N concurrent API clients for a fixed time while an ingest writes the same store.

    python bench/load.py [--clients 48] [--seconds 60] [--articles 2000] [--long-article-bytes 1000000]
                         [--workers N] [--seed-store PATH]

A store is seeded with half the generated articles and one long article (1 MB by default); `eventwire
serve` runs on 127.0.0.1 in its own process; then `eventwire ingest` of the other half starts (niced, as
a background job would be) and the clients (one keep-alive connection each) request the API endpoints
and the pages, the long article's page among them, round-robin until the time is up, each reading every
answer whole. Prints requests per second, the error count (must be 0), p50/p95/p99 latency overall and
per endpoint, and how many articles the ingest stored during the run. Exit status 1 when any request
failed. `--seed-store PATH` keeps the seeded store there and starts from a copy of it next time (seeding
1,000 articles takes minutes); `--workers N` is passed to `eventwire serve`.

The clients are coroutines of one event loop speaking HTTP/1.1 on plain sockets: a request costs the
measuring process a few tens of microseconds. (They were 48 threads of httpx clients, which spent more CPU
than the server, about 4 ms a request, on the same two cores, and waited for each other's GIL before
stopping their clocks: the latency printed was largely the load generator's own.)
"""
from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "eventwire.cli"]
ENDPOINTS = ["/api/events?limit=50", "/api/events?type=ACCUSE,ASSAULT&sort=confidence&order=asc",
             "/api/events?actor=a&since=2024-01-01", "/api/articles?limit=20", "/api/stats", "/api/actors",
             "/api/quotes", "/api/claims", "/api/aggregates?interval=week", "/api/pairs", "/api/graph",
             "/api/map", "/api/events/1", "/api/articles/1", "/", "/events", "/articles", "/articles/1",
             "/claims", "/articles/{long}"]     # the long article's page; its id is known once the seed is stored
LONG_TITLE = "A very long report"
COUNTRIES = ["Kenya", "Ethiopia", "Russia", "Ukraine", "France", "Germany", "Brazil", "Argentina", "India",
             "Pakistan", "Japan", "China", "Nigeria", "Ghana", "Peru", "Chile", "Turkey", "Greece", "Egypt", "Iran"]
SENTENCES = [
    "{A} accused {B} of violating the ceasefire near the border on Monday.",
    "The foreign minister of {A} met her counterpart from {B} in Geneva on Tuesday.",
    '"We will not accept threats from {B}," the president of {A} said.',
    "{A} imposed new sanctions on {B} after {n} days of failed talks, officials said.",
    "Police arrested {n} protesters who marched against the government of {A}.",
    "{A} and {B} agreed to reopen trade talks next month.",
    "{A} denied sending weapons to rebels in {B}.",
    "Troops from {A} attacked positions held by {B} overnight, killing {n} soldiers.",
    "{B} asked {A} for emergency food aid after floods displaced {n} families.",
]


def write_articles(folder: Path, count: int, seed: int) -> None:
    """`count` distinct short articles, one file each."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(count):
        lines = []
        for template in rng.sample(SENTENCES, 5):
            a, b = rng.sample(COUNTRIES, 2)
            lines.append(template.format(A=a, B=b, n=rng.randint(2, 999)))
        (folder / f"{seed}-{i:04d}.txt").write_text(f"Report {seed}-{i}\n\n" + "\n\n".join(lines) + "\n")


def write_long_article(folder: Path, size: int, seed: int) -> None:
    """One article of about `size` bytes: many paragraphs of the same kind of sentences."""
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        lines = []
        for template in rng.sample(SENTENCES, 5):
            a, b = rng.sample(COUNTRIES, 2)
            lines.append(template.format(A=a, B=b, n=rng.randint(2, 999)))
        paragraphs.append(" ".join(lines))
        total += len(paragraphs[-1]) + 2
    (folder / "long.txt").write_text(LONG_TITLE + "\n\n" + "\n\n".join(paragraphs) + "\n")


def long_article_id(db: Path) -> int:
    import sqlite3
    with sqlite3.connect(db) as c:
        return c.execute("SELECT id FROM articles WHERE title = ?", (LONG_TITLE,)).fetchone()[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int = 1) -> subprocess.Popen:
    extra = ["--workers", str(workers)] if workers > 1 else []
    server = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port), *extra], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start: " + server.stderr.read().decode()[-1000:])


async def read_answer(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response whole (by Content-Length, chunks, or to the end): its status."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed before an answer")
    status = int(status_line.split()[1])
    length, chunked, close = None, False, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value
        elif name == "connection":
            close = value == "close"
    if chunked:
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    if close:
        raise EOFError(status)
    return status


async def client(port: int, deadline: float, offset: int, records: list, errors: list, long_id: int) -> None:
    """Round-robin over the endpoints on one keep-alive connection until the deadline: (endpoint, seconds)
    per request, failures noted (a connection the server closes is opened again)."""
    connection = None
    i = offset
    while time.monotonic() < deadline:
        path = ENDPOINTS[i % len(ENDPOINTS)]
        i += 1
        request = (f"GET {path.format(long=long_id)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   "Accept: */*\r\n\r\n").encode()
        started = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection("127.0.0.1", port)
            connection[1].write(request)
            status = await asyncio.wait_for(read_answer(connection[0]), timeout=30)
        except EOFError as closed:          # answered, then closed by the server
            status = closed.args[0]
            connection[1].close()
            connection = None
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
            errors.append(f"{path}: {type(e).__name__}: {e}")
            if connection is not None:
                connection[1].close()
            connection = None
            continue
        records.append((path, time.perf_counter() - started))
        if status != 200:
            errors.append(f"{path}: HTTP {status}")
    if connection is not None:
        connection[1].close()


async def run_clients(port: int, clients: int, seconds: float, long_id: int) -> tuple[list, list]:
    records, errors = [], []
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(port, deadline, i, records, errors, long_id) for i in range(clients)))
    return records, errors


def stored(base: str) -> int:
    return httpx.get(base + "/api/stats", timeout=30).json()["articles"]


def ingest_writing(base: str, before: int, ingest: subprocess.Popen, timeout: float = 600) -> int:
    """Wait until the ingest has stored its first article (loading spaCy takes a while), so that the clients
    run while it writes, not while it starts: the articles stored when it has."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and ingest.poll() is None:
        if (now := stored(base)) > before:
            return now
        time.sleep(0.5)
    raise SystemExit("the ingest stored nothing: " + (ingest.stderr.read().decode()[-1000:] if ingest.poll() else "timeout"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(records: list, errors: list, seconds: float, clients: int, before: int, after: int,
           ingest_running: bool) -> None:
    latencies = [s for _, s in records]
    print(f"clients: {clients}, duration: {seconds:.1f} s, requests: {len(records) + len(errors)}")
    print(f"requests per second: {len(records) / seconds:.1f}")
    print(f"errors: {len(errors)}")
    if latencies:
        print(f"latency p50 {1000 * statistics.median(latencies):.1f} ms, p95 {1000 * percentile(latencies, .95):.1f} ms, "
              f"p99 {1000 * percentile(latencies, .99):.1f} ms, max {1000 * max(latencies):.1f} ms")
    for path in ENDPOINTS:
        own = [s for p, s in records if p == path]
        if own:
            print(f"  {path:<60} n={len(own):<6} p50 {1000 * statistics.median(own):7.1f} ms  "
                  f"p95 {1000 * percentile(own, .95):7.1f} ms  p99 {1000 * percentile(own, .99):7.1f} ms")
    print(f"articles stored during the run: {before} -> {after} (ingest {'still running' if ingest_running else 'done'} "
          f"at the end)")
    for line in errors[:10]:
        print(f"  error: {line}")


def seed(work: Path, db: Path, args) -> None:
    """Half the articles and the long one stored in `db`: ingested, or copied from the kept seeded store."""
    import shutil
    if args.seed_store and args.seed_store.exists():
        shutil.copy(args.seed_store, db)
        return
    write_articles(work / "seed", args.articles // 2, seed=1)
    write_long_article(work / "seed", args.long_article_bytes, seed=3)
    subprocess.run([*CLI, "ingest", str(work / "seed"), "--db", str(db)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    if args.seed_store:
        shutil.copy(db, args.seed_store)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=48)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--long-article-bytes", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=2000, help="generated; half seeded, half ingested under load")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (serve --workers)")
    parser.add_argument("--seed-store", type=Path, help="keep the seeded store here; start from a copy when it exists")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eventwire-load-"))
    db = work / "load.db"
    write_articles(work / "live", args.articles - args.articles // 2, seed=2)
    seed(work, db, args)
    long_id = long_article_id(db)
    print(f"long article: id {long_id}, {args.long_article_bytes} bytes asked")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, args.workers)
    try:
        before = stored(base)
        ingest = subprocess.Popen(["nice", "-n", "10", *CLI, "ingest", str(work / "live"), "--db", str(db)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        before = ingest_writing(base, before, ingest)
        started = time.monotonic()
        records, errors = asyncio.run(run_clients(port, args.clients, args.seconds, long_id))
        seconds = time.monotonic() - started
        running = ingest.poll() is None
        after = stored(base)
        if ingest.wait(timeout=600) != 0:
            errors.append("ingest failed: " + ingest.stderr.read().decode()[-500:])
        report(records, errors, seconds, args.clients, before, after, running)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
