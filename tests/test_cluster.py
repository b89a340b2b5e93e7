"""Ingest on a real Dask LocalCluster of two worker processes: every article stored once, even when a worker dies."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from dask import distributed      # a hard dependency (pyproject): its absence is an error, never a skip

from eventwire.scale.cluster import compact, connect, extract_shard, ingest_on_cluster
from eventwire.store import open_store

pytestmark = pytest.mark.cluster

COUNTRIES = ["France", "Germany", "Japan", "Brazil", "India", "Kenya", "Canada", "Mexico", "Egypt", "Chile",
             "Norway", "Peru"]


def write_articles(folder: Path, count: int) -> list[Path]:
    """`count` short, distinct political articles as plain-text files (title line, blank line, body)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        a, b = COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i + 5) % len(COUNTRIES)]
        path = folder / f"article_{i:02d}.txt"
        path.write_text(f"{a} criticizes {b} over trade dispute number {i}\n\n"
                        f"The government of {a} sharply criticized {b} on Monday over tariff {i}, officials said. "
                        f"{b} rejected the criticism and said it would meet {a} to discuss the dispute in round {i}.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def local_cluster():
    """Two worker processes, one thread each, on loopback; the test may kill them."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0")
    yield cluster
    cluster.close()


def stored_origins(db: str) -> list[str]:
    store = open_store(db)
    try:
        return sorted(a["origin"] for a in store.articles(limit=1000))
    finally:
        store.close()


def test_each_article_is_stored_once(local_cluster, tmp_path):
    paths = write_articles(tmp_path / "in", 8)
    db = str(tmp_path / "store.db")
    summary = ingest_on_cluster([str(tmp_path / "in")], db=db, cluster=local_cluster.scheduler_address,
                                shard_size=2)
    assert summary.read == 8 and summary.stored == 8 and summary.failed == []
    assert stored_origins(db) == sorted(str(p) for p in paths)
    again = ingest_on_cluster([str(tmp_path / "in")], db=db, cluster=local_cluster.scheduler_address)
    assert again.stored == 0 and again.already == 8
    store = open_store(db)
    events = list(store.iter_events())
    assert store.check() == [] and events and [e["id"] for e in events if not e["story_id"]] == []
    store.close()


def test_a_killed_worker_loses_and_doubles_nothing(local_cluster, tmp_path):
    paths = write_articles(tmp_path / "in", 12)
    db = str(tmp_path / "store.db")
    killed = []

    def kill_a_worker(_):
        if killed:
            return
        with distributed.Client(local_cluster.scheduler_address) as client:
            pids = client.run(os.getpid)
        busy = max(pids, key=lambda address: processing(local_cluster, address))
        killed.append(pids[busy])
        os.kill(pids[busy], signal.SIGKILL)

    summary = ingest_on_cluster([str(tmp_path / "in")], db=db, cluster=local_cluster.scheduler_address,
                                shard_size=1, progress=kill_a_worker)
    assert killed, "no worker was killed"
    assert summary.stored == 12 and summary.failed == []
    assert stored_origins(db) == sorted(str(p) for p in paths)


def processing(cluster, address: str) -> int:
    """How many tasks the scheduler has on one worker."""
    worker = cluster.scheduler.workers.get(address)
    return len(worker.processing) if worker else 0


def test_local_n_starts_and_stops_its_own_cluster(tmp_path):
    write_articles(tmp_path / "in", 2)
    summary = ingest_on_cluster([str(tmp_path / "in")], db=str(tmp_path / "s.db"), cluster="local:1")
    assert summary.stored == 2


def test_a_shard_comes_back_compact():
    from eventwire.read import read_text
    [result] = extract_shard([read_text("Russia accused Ukraine of shelling a town on Monday.")], None)
    assert result.paragraphs and [p.offsets for p in result.paragraphs] == [[]] * len(result.paragraphs)
    assert result.content_hash
    assert compact(result) is result


def test_connect_reaches_a_running_scheduler(local_cluster):
    with connect(local_cluster.scheduler_address) as client:
        assert len(client.scheduler_info()["workers"]) >= 1
