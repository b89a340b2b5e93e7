"""Latency of the web server on a large store: the /events page and filtered /api/events queries.

Fills a temporary SQLite store with generated rows (a few hundred articles, 100,000 events spread over
types, countries, modalities and two years of dates), serves it with uvicorn on loopback, and prints the
median and 95th percentile of each request. Target: under 200 ms median each.

    .venv/bin/python bench/web_latency.py [--events 100000] [--runs 30] [--index]

--index adds, for the measurement only, the indexes listed in EXTRA_INDEXES (they would belong in
store/schema.py); compare a run with and without it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text

from eventwire.events.ontology import PLOVER_TYPES
from eventwire.store import open_store
from eventwire.store import schema as s

TARGET_MS = 200
COUNTRIES = ["USA", "RUS", "UKR", "CHN", "IRN", "ISR", "GBR", "FRA", "DEU", "TUR", "IND", "PAK", "SYR", "IRQ",
             "SAU", "EGY", "BRA", "MEX", "JPN", "KOR", "PRK", "VEN", "NGA", "ETH", "SDN", "AFG", "POL", "BLR",
             "ARM", "AZE", "QAT", "LBN", "YEM", "ZAF", "KEN", "COL", "CUB", "TWN", "PHL", "VNM"]
SECTORS = ["", "GOV", "MIL", "GOV", "OPP", "BUS"]
ROLES = ["government", "army", "foreign ministry", "president", "opposition", "police", "parliament"]
MODALITIES = ["asserted"] * 6 + ["reported"] * 2 + ["denied", "planned", "hypothetical", "negated"]
TRIGGERS = {"AGREE": "agreed", "CONSULT": "met", "SUPPORT": "backed", "CONCEDE": "conceded", "COOPERATE":
            "worked with", "AID": "sent aid to", "RETREAT": "withdrew from", "REQUEST": "asked", "ACCUSE":
            "accused", "REJECT": "rejected", "THREATEN": "threatened", "PROTEST": "protested against",
            "SANCTION": "sanctioned", "MOBILIZE": "deployed troops near", "COERCE": "arrested", "ASSAULT": "attacked"}
PLACES = [("Kyiv", "UKR", 50.45, 30.52), ("Moscow", "RUS", 55.76, 37.62), ("Gaza", "PSE", 31.5, 34.47),
          ("Tehran", "IRN", 35.69, 51.39), ("Washington", "USA", 38.9, -77.04), ("Beijing", "CHN", 39.9, 116.4),
          ("Khartoum", "SDN", 15.5, 32.56), ("Caracas", "VEN", 10.49, -66.88), ("Kabul", "AFG", 34.53, 69.17),
          ("Seoul", "KOR", 37.57, 126.98), ("Ankara", "TUR", 39.93, 32.86), ("Delhi", "IND", 28.61, 77.21)]
START = date(2023, 1, 1)
DAYS = 730
EXTRA_INDEXES = {
    "events_source_date": "CREATE INDEX IF NOT EXISTS events_source_date ON events (source_country, date)",
    "events_target_date": "CREATE INDEX IF NOT EXISTS events_target_date ON events (target_country, date)",
    "events_type_date": "CREATE INDEX IF NOT EXISTS events_type_date ON events (type, date)",
    "events_source_name": "CREATE INDEX IF NOT EXISTS events_source_name ON events (source_name)",
    "events_target_name": "CREATE INDEX IF NOT EXISTS events_target_name ON events (target_name)",
}


def actor(rng: random.Random) -> tuple[str, str, str]:
    country = rng.choice(COUNTRIES)
    sector = rng.choice(SECTORS)
    name = country if not sector else f"{country} {ROLES[SECTORS.index(sector) % len(ROLES)]}"
    return name, country, country + sector


def event_row(rng: random.Random, event_id: int, article: dict) -> dict:
    type_ = rng.choice(PLOVER_TYPES)
    (src, src_c, src_code), (tgt, tgt_c, tgt_code) = actor(rng), actor(rng)
    day = date.fromisoformat(article["published"]) - timedelta(days=rng.choice([0, 0, 0, 1, 2]))
    place = rng.choice(PLACES) if rng.random() < 0.3 else (None, None, None, None)
    sentence = f"Officials said the {src} {TRIGGERS[type_]} the {tgt} on {day:%A}, report {event_id}."
    return {"id": event_id, "article_id": article["id"], "type": type_, "cameo": "0", "mode": None,
            "quad_class": 1 + PLOVER_TYPES.index(type_) // 4, "goldstein": round(rng.uniform(-10, 10), 1),
            "source_name": src, "source_country": src_c, "source_code": src_code,
            "target_name": tgt, "target_country": tgt_c, "target_code": tgt_code,
            "modality": rng.choice(MODALITIES), "attributed_name": None, "attributed_country": None,
            "date": day.isoformat() if rng.random() < 0.95 else None, "date_end": None, "date_precision": "day",
            "date_source": "sentence", "place_name": place[0], "place_country": place[1], "latitude": place[2],
            "longitude": place[3], "trigger": TRIGGERS[type_], "rule": f"bench:{type_.lower()}",
            "confidence": round(rng.uniform(0.4, 1.0), 2), "sentence": sentence, "story_id": None}


def article_row(rng: random.Random, article_id: int) -> dict:
    published = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
    body = f"Generated article {article_id} for the latency bench, published {published}."
    document = {"article": {"id": str(article_id), "title": f"Bench article {article_id}", "published": published},
                "actors": [], "events": [], "quotes": [], "claims": [], "sentences": []}
    return {"id": article_id, "hash": hashlib.sha256(body.encode()).hexdigest(), "title": f"Bench article {article_id}",
            "published": published, "text": body, "origin": "bench", "document": json.dumps(document)}


def fill(db: str, n_events: int, n_articles: int, seed: int = 7) -> None:
    """Bulk-insert generated rows through the schema tables, a chunk at a time."""
    rng = random.Random(seed)
    store = open_store(db)
    articles = [article_row(rng, i) for i in range(1, n_articles + 1)]
    with store.engine.begin() as c:
        c.execute(insert(s.articles), articles)
        c.execute(insert(s.actors), [{"article_id": a["id"], "name": actor(rng)[0], "kind": "country",
                                      "country": rng.choice(COUNTRIES)} for a in articles for _ in range(4)])
    chunk = 10_000
    for first in range(1, n_events + 1, chunk):
        rows = [event_row(rng, i, rng.choice(articles)) for i in range(first, min(first + chunk, n_events + 1))]
        with store.engine.begin() as c:
            c.execute(insert(s.events), rows)
            c.execute(insert(s.event_mentions), [{"event_id": r["id"], "article_id": r["article_id"], "sentence": 0,
                                                  "start": 0, "end": len(r["sentence"]), "text": r["sentence"]}
                                                 for r in rows])
    with store.engine.begin() as c:
        c.exec_driver_sql("ANALYZE")
    store.close()


def add_indexes(db: str) -> None:
    store = open_store(db)
    with store.engine.begin() as c:
        for statement in EXTRA_INDEXES.values():
            c.execute(text(statement))
        c.exec_driver_sql("ANALYZE")
    store.close()


REQUESTS = [
    ("/events page, no filter", "/events"),
    ("/events page, type + country, sorted by confidence", "/events?type=ASSAULT&country=RUS&sort=confidence"),
    ("/events page, sector, sorted by modality", "/events?sector=GOV&sort=modality"),
    ("/stories page, no filter", "/stories"),
    ("/stories page, country, sorted by mentions", "/stories?country=UKR&sort=mentions"),
    ("/articles page, newest published first", "/articles"),
    ("/articles page, searched", "/articles?q=report"),
    ("/api/events, no filter", "/api/events"),
    ("/api/events?type=SANCTION", "/api/events?type=SANCTION"),
    ("/api/events?country=UKR&side=target&since&until", "/api/events?country=UKR&side=target&since=2023-06-01"
                                                        "&until=2023-12-31"),
    ("/api/events?actor=army&modality=reported", "/api/events?actor=army&modality=reported"),
    ("/api/events?q=report 4&sort=confidence&order=asc", "/api/events?q=report%204&sort=confidence&order=asc"),
    ("/api/events?type=AID,AGREE&page=50", "/api/events?type=AID,AGREE&page=50&limit=50"),
]
# Measured too, for information (the target above is for the event listings).
OTHER_REQUESTS = [
    ("/ (home page)", "/"),
    ("/api/graph", "/api/graph"),
    ("/api/aggregates?interval=week", "/api/aggregates?interval=week"),
    ("/api/map?type=ASSAULT", "/api/map?type=ASSAULT"),
    ("/api/actors", "/api/actors"),
]


class Server:
    """uvicorn on loopback in a background thread."""

    def __init__(self, app, port: int):
        import uvicorn
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(client: httpx.Client, path: str, runs: int) -> list[float]:
    client.get(path).raise_for_status()                  # warm the caches once
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        response.raise_for_status()
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--index", action="store_true", help="add EXTRA_INDEXES before measuring")
    args = parser.parse_args(argv)
    from eventwire.web.app import create_app
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        began = time.perf_counter()
        fill(db, args.events, args.articles)
        print(f"filled {args.events} events in {args.articles} articles in {time.perf_counter() - began:.1f} s")
        if args.index:
            add_indexes(db)
            print("with extra indexes: " + ", ".join(EXTRA_INDEXES))
        port = free_port()
        with Server(create_app(db), port), httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            slow = report(client, args.runs)
    return 1 if slow else 0


def report(client: httpx.Client, runs: int) -> list[str]:
    """Print each request's figures; return the targeted ones whose median misses the target."""
    print(f"{'request':<56} {'median ms':>10} {'p95 ms':>8}")
    slow = [label for label, path in REQUESTS if not line(client, label, path, runs)]
    print(f"target: median under {TARGET_MS} ms; " + ("all met" if not slow else f"{len(slow)} over"))
    print("for information:")
    for label, path in OTHER_REQUESTS:
        line(client, label, path, max(5, runs // 3))
    return slow


def line(client: httpx.Client, label: str, path: str, runs: int) -> bool:
    times = measure(client, path, runs)
    median = statistics.median(times)
    met = median < TARGET_MS
    print(f"{label:<56} {median:>10.1f} {p95(times):>8.1f}{'' if met else '  SLOW'}")
    return met


if __name__ == "__main__":
    sys.exit(main())
