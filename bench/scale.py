"""Corpus-scale benchmark: ingest throughput with 1 and 2 processes and on a 2-worker Dask cluster, the writer's
costs (store, near-duplicates, stories) per 1,000 articles, and the 2-core machines 1 million articles a day needs.

    .venv/bin/python bench/scale.py [--corpus /work/shared/corpus/bbc] [--articles 200] [--no-postgres]

Every run starts from an empty store. Rates are steady-state, as a long-running deployment sees them: the
1-process run and the Dask workers have the spaCy model loaded before the clock starts (cluster start and
model loading are printed apart); jobs=2 includes its pool's start, since api.ingest starts one per call.
The cluster is measured with workers returning results to this client, which writes them (what eventwire
does), on SQLite and PostgreSQL, and with workers writing to PostgreSQL themselves (the alternative),
when PostgreSQL's server binaries are installed.
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import update

from eventwire import api, nlp
from eventwire.batch import IngestSummary, new_articles
from eventwire.pipeline import Failure, extract_stream, process_batch
from eventwire.read import read_paths
from eventwire.scale.cluster import ingest_on_cluster
from eventwire.scale.dedup import NearDuplicates, cleaned_extraction
from eventwire.scale.stories import cluster_stories
from eventwire.scale.writer import Writer
from eventwire.store import open_store
from eventwire.store import schema as s

ARTICLES_PER_DAY = 1_000_000
SECONDS_PER_DAY = 86_400
HEADROOM = 1.3          # peaks, restarts and re-runs: machines are sized 30% above the average rate
WRITER_SAMPLE = 60      # articles extracted again in this process to time the writer's own steps


def main() -> int:
    args = parse_args()
    logging.basicConfig(level=logging.ERROR)
    import distributed  # noqa: F401 - imported first: it sets its loggers' levels, quieted here
    logging.getLogger("distributed").setLevel(logging.ERROR)
    files = pick_files(Path(args.corpus), args.articles)
    if not files:
        print(f"no articles under {args.corpus}")
        return 1
    work = Path(tempfile.mkdtemp(prefix="eventwire-bench-"))
    words = sum(len(Path(f).read_text(encoding="utf-8", errors="replace").split()) for f in files) / len(files)
    print(f"{len(files)} articles from {args.corpus} (round-robin over its folders), {words:.0f} words each "
          "on average: extraction time grows with length, so scale the estimate for longer articles\n")
    try:
        runs = throughput_runs(files, work, args.postgres)
        costs = writer_costs(files, work / "jobs1.db")
        report(runs, costs, len(files))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/work/shared/corpus/bbc")
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    return parser.parse_args()


def pick_files(corpus: Path, count: int) -> list[str]:
    """`count` files taken in turn from each sub-folder, so every topic is in the sample."""
    folders = sorted({p.parent for p in corpus.rglob("*.txt")})
    queues = [sorted(str(p) for p in folder.glob("*.txt")) for folder in folders]
    picked = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


# --- throughput ---

def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (a pool's processes, once closed)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(label: str, run, worker_cpu=lambda: 0.0) -> dict:
    """Wall time and CPU time of one run: on a machine shared with other work, CPU time is the steadier figure."""
    cpu, start = cpu_seconds() + worker_cpu(), time.perf_counter()
    summary = run()
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() + worker_cpu() - cpu
    print(f"  {label:<44} {seconds:6.1f} s  {summary.read / seconds:6.2f} articles/s  "
          f"{cpu / summary.read * 1000:4.0f} ms CPU/article  ({summary.stored} stored, {summary.already} already, "
          f"{summary.near_duplicates} near-duplicates)")
    return {"label": label, "seconds": seconds, "rate": summary.read / seconds, "summary": summary,
            "cpu_per_article": cpu / summary.read}


def throughput_runs(files: list[str], work: Path, postgres: bool) -> dict:
    print("throughput:")
    runs = {}
    nlp.load.cache_clear()
    print(f"  (loading the spaCy model: {seconds(lambda: nlp.load(None)):.1f} s, not included)")
    runs["jobs1"] = timed("api.ingest, 1 process", lambda: api.ingest(files, db=str(work / "jobs1.db"), jobs=1))
    runs["jobs2"] = timed("api.ingest, jobs=2 (pool start included)", lambda: api.ingest(files, db=str(work / "jobs2.db"), jobs=2))
    runs["cluster"] = on_fresh_cluster("Dask 2 workers, client writes SQLite", lambda address: ingest_on_cluster(
        files, db=str(work / "cluster.db"), cluster=address))
    server = start_postgres() if postgres else None
    if server is not None:
        try:
            runs["cluster_pg"] = on_fresh_cluster("Dask 2 workers, client writes PostgreSQL", lambda address:
                                                  ingest_on_cluster(files, db=server.create_database(),
                                                                    cluster=address))
            runs["workers_pg"] = on_fresh_cluster("Dask 2 workers, workers write PostgreSQL", lambda address:
                                                  workers_write(files, server.create_database(), address))
        finally:
            server.stop()
    return runs


def on_fresh_cluster(label: str, run) -> dict:
    """A new LocalCluster for each run; its workers load the model before the clock starts."""
    from dask.distributed import Client, LocalCluster
    start = time.perf_counter()
    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                       dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster,
          Client(cluster) as client):
        client.run(nlp.load, None)
        startup = time.perf_counter() - start
        result = timed(label, lambda: run(cluster.scheduler_address),
                       lambda: sum(client.run(time.process_time).values()))
    result["startup"] = startup
    return result


def start_postgres():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    try:
        import pgserver
        binaries = pgserver.bindir()
        return pgserver.PostgresServer(binaries).start() if binaries else None
    except Exception as e:  # noqa: BLE001 - the PostgreSQL runs are optional
        print(f"  (PostgreSQL runs skipped: {e})")
        return None


def workers_write(files: list[str], db: str, address: str) -> IngestSummary:
    """The alternative design: each worker extracts a shard and writes it to PostgreSQL itself (no dedup)."""
    from dask.distributed import Client, as_completed
    store = open_store(db)
    summary = IngestSummary()
    articles = list(new_articles(read_paths(files), store, summary))
    store.close()
    with Client(address) as client:
        futures = [client.submit(extract_and_write, articles[i:i + 16], db, retries=3, pure=False)
                   for i in range(0, len(articles), 16)]
        for future in as_completed(futures):
            stored, already = future.result()
            summary.stored += stored
            summary.already += already
    return summary


def extract_and_write(articles, db: str) -> tuple[int, int]:
    store = open_store(db)
    stored = already = 0
    for result in process_batch(articles, nlp.load(None)):
        if isinstance(result, Failure):
            continue
        if store.add(result) is None:
            already += 1
        else:
            stored += 1
    store.close()
    return stored, already


# --- the single writer's costs ---

def writer_costs(files: list[str], filled_db: Path) -> dict:
    """Seconds per 1,000 articles for what only the writer does: store, near-duplicate check, stories."""
    print("\nthe writer's costs, per 1,000 articles:")
    sample = [r for r in extract_stream(read_paths(files[:WRITER_SAMPLE])) if not isinstance(r, Failure)]
    per_1000 = 1000 / len(sample)
    plain, writer = open_store(str(filled_db.parent / "plain.db")), Writer(open_store(str(filled_db.parent / "w.db")))
    costs = {"store": seconds(lambda: [plain.add(x) for x in sample]) * per_1000}
    costs["dedup"] = seconds(lambda: [writer.write(x) for x in sample]) * per_1000 - costs["store"]
    plain.close()
    writer.store.close()
    filled = open_store(str(filled_db))
    articles = filled.count("articles")
    costs["dedup_open"] = seconds(lambda: NearDuplicates.from_store(filled)) * 1000 / max(1, articles)
    costs["dedup_resign"] = resign_cost(filled) * 1000 / max(1, articles)
    costs["stories"] = recluster_cost(filled) * 1000 / max(1, articles)
    costs["events_per_article"] = filled.count("events") / max(1, articles)
    filled.close()
    for name, text in (("store", "store.add (one transaction per article)"),
                       ("dedup", "near-duplicate check, index, keep signature"),
                       ("dedup_open", "opening the index (signatures kept)"),
                       ("dedup_resign", "opening the index (signing every article again)"),
                       ("stories", "story clustering (incremental, all events new)")):
        print(f"  {text:<52} {costs[name]:7.2f} s")
    print(f"  ({costs['events_per_article']:.1f} events per article in this sample)")
    return costs


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def resign_cost(store) -> float:
    """Signing every stored article from its text, as the first open of an older store does."""
    rows = [(a["title"], store.article(a["id"])["text"]) for a in store.articles(limit=1000)]
    from eventwire.scale.dedup import comparable_text, signature
    start = time.perf_counter()
    for title, text in rows:
        cleaned = comparable_text(cleaned_extraction(title, text))
        if cleaned:
            signature(cleaned)
    return time.perf_counter() - start


def recluster_cost(store) -> float:
    with store.engine.begin() as c:
        c.execute(update(s.events).values(story_id=None))
        c.execute(s.stories.delete())
    return seconds(lambda: cluster_stories(store))


# --- the estimate ---

def report(runs: dict, costs: dict, count: int) -> None:
    one = runs["jobs1"]["rate"]
    print("\nratios to 1 process (wall clock):")
    for run in runs.values():
        extra = f"   (cluster start + model {run['startup']:.1f} s, not included)" if "startup" in run else ""
        print(f"  {run['label']:<44} x{run['rate'] / one:4.2f}{extra}")
    needed = ARTICLES_PER_DAY / SECONDS_PER_DAY
    writer_seconds = (costs["store"] + costs["dedup"] + costs["stories"]) / 1000
    measured = runs["cluster"]["rate"]
    idle = 2 / runs["cluster"]["cpu_per_article"]      # both cores on extraction: CPU per article, workers and client
    print(f"\n1,000,000 articles a day = {needed:.1f} articles/s on average; sized with {int((HEADROOM - 1) * 100)}% "
          "headroom for peaks and restarts.")
    for name, rate in (("as measured here (a machine shared with other work)", measured),
                       ("from CPU time (a 2-core machine doing nothing else)", idle)):
        workers = math.ceil(needed * HEADROOM / rate)
        print(f"  one 2-core machine, 2 Dask workers, {name}: {rate:.1f} articles/s "
              f"({rate * SECONDS_PER_DAY / 1e6:.2f} M a day) -> {workers} worker machine(s)")
    print(f"  the single writer: {writer_seconds * 1000:.1f} ms per article (store + near-duplicates + stories), "
          f"{needed * writer_seconds:.0%} of one core at 1 M a day: one client keeps up.")
    workers = math.ceil(needed * HEADROOM / min(measured, idle))
    print(f"Estimate: {workers} two-core worker machine(s) + 1 for the scheduler, the writing client and PostgreSQL "
          f"= {workers + 1} machines for 1 million articles a day (from a {count}-article sample).")


if __name__ == "__main__":
    sys.exit(main())
