"""Ingest on a Dask cluster: the client reads, workers parse and extract, the client writes.

Workers return compact extractions and this client alone writes them, so a SQLite store works as
well as PostgreSQL, near-duplicates are found across the whole run, and nothing is written twice:
a shard that a dead worker held is run again elsewhere (the scheduler reschedules it; `retries`
covers exceptions), and a result delivered twice is a no-op because articles are keyed by content hash.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from .. import nlp
from ..batch import IngestSummary, finish_stories, new_articles, with_published
from ..model import Article
from ..pipeline import Failure, batched, process_batch
from ..read import read_paths
from ..store import open_store
from .writer import Writer

log = logging.getLogger("eventwire")

SHARD_SIZE = 16            # articles per task: enough for nlp.pipe to batch, little to redo when a worker dies
IN_FLIGHT_PER_THREAD = 3   # shards queued per worker thread: workers never wait, the client never holds the corpus
TASK_RETRIES = 3


def ingest_on_cluster(paths: list[str], db: str | None = None, cluster: str = "local:2", model: str | None = None,
                      published=None, shard_size: int = SHARD_SIZE, dedup: bool = True,
                      progress: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Like api.ingest, with the extraction spread over a Dask cluster (tcp://HOST:8786, or local:N)."""
    store = open_store(db)
    writer = Writer(store, dedup=dedup)
    try:
        with connect(cluster) as client:
            articles = new_articles(with_published(read_paths(paths), published), store, writer.summary)
            for result in run_shards(client, articles, model, shard_size):
                writer.write(result)
                if progress:
                    progress(writer.summary)
        finish_stories(store, writer.summary)
    finally:
        store.close()
    return writer.summary


@contextmanager
def connect(cluster: str):
    """A client of the scheduler at tcp://HOST:PORT, or of a local cluster of N worker processes (local:N)."""
    from dask.distributed import Client, LocalCluster
    quiet_dask_logs()
    if cluster == "local" or cluster.startswith("local:"):
        workers = int(cluster.partition(":")[2] or os.cpu_count() or 1)
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as local, Client(local) as client:
            yield client
        return
    with Client(cluster) as client:
        yield client


def quiet_dask_logs() -> None:
    """Dask logs its start and stop at INFO; eventwire's output keeps to warnings."""
    dask_log = logging.getLogger("distributed")
    dask_log.setLevel(max(dask_log.getEffectiveLevel(), logging.WARNING))


def run_shards(client, items: Iterable, model: str | None, shard_size: int) -> Iterator:
    """Results of every article, as shards complete; read errors pass straight through."""
    from dask.distributed import as_completed
    limit = max(1, IN_FLIGHT_PER_THREAD * total_threads(client))
    running, shards = as_completed(), {}
    for batch in batched(items, shard_size):
        yield from (item for item in batch if not isinstance(item, Article))
        articles = [item for item in batch if isinstance(item, Article)]
        if articles:
            future = client.submit(extract_shard, articles, model, retries=TASK_RETRIES, pure=False)
            shards[future.key] = articles
            running.add(future)
        while running.count() >= limit:
            yield from shard_results(next(running), shards)
    for future in running:
        yield from shard_results(future, shards)


def total_threads(client) -> int:
    return sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) or 1


def shard_results(future, shards: dict) -> list:
    """A finished shard's results; a shard that failed on every try becomes one failure per article."""
    articles = shards.pop(future.key)
    try:
        return future.result()
    except Exception as e:  # noqa: BLE001 - a lost shard is reported per article, the run goes on
        log.warning("a shard of %d articles failed on the cluster: %s", len(articles), e)
        return [Failure(a.origin, f"cluster worker failed: {type(e).__name__}: {str(e)[:160]}") for a in articles]
    finally:
        future.release()


def extract_shard(articles: list[Article], model: str | None) -> list:
    """Runs on a worker: the pipeline is loaded once per worker process (nlp.load is cached)."""
    return [compact(result) for result in process_batch(articles, nlp.load(model))]


def compact(result):
    """What the store needs, without the per-character offsets of the cleaned paragraphs."""
    for paragraph in getattr(result, "paragraphs", ()):
        paragraph.offsets = []
    return result
