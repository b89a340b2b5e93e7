"""Answers the server keeps until the store changes (web/cache.py, the article page's own), and `serve --workers N`.

A kept answer must be the answer: byte for byte what the route gives, replaced as soon as any connection
(another process's ingest, this server's own write) commits to the store.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # starlette's note about httpx versions is not ours to fix
    from fastapi.testclient import TestClient

from eventwire.store import open_store
from eventwire.web import app as web_app
from eventwire.web.app import create_app
from test_web_api import ARTICLES, build_extraction, build_store

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "a-long-random-write-token-for-workers"
EXTRA = {**ARTICLES[0], "title": "Brazil hosts talks", "source": "Wire Two",
         "sentences": ["Brazil offered to host a meeting with Russia.", "China asked Iran for help with talks.",
                       "Russia launched drones against Ukraine overnight."],
         "events": [(0, "CONSULT", "Brazil", "Russia", "meeting", "asserted", "2024-09-14", None)],
         "quotes": []}
EXTRA.pop("claim")


@pytest.fixture
def db(tmp_path) -> str:
    return build_store(tmp_path)


@pytest.fixture
def client(db):
    with TestClient(create_app(db), base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def add_article(db: str, spec: dict) -> int:
    """Stored through a store of its own, as an ingest in another process stores."""
    store = open_store(db)
    try:
        article_id = store.add(build_extraction(spec))
    finally:
        store.close()
    assert article_id is not None
    return article_id


def test_an_answer_asked_again_is_the_same_bytes_and_headers(client):
    first, again = client.get("/api/claims"), client.get("/api/claims")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and len(first.content) > 100
    assert again.headers.items() == first.headers.items()
    assert again.headers.get_list("content-security-policy") == first.headers.get_list("content-security-policy")
    assert len(again.headers.get_list("content-security-policy")) == 1


def test_a_write_by_another_connection_changes_the_next_answer(client, db):
    assert client.get("/api/stats").json()["articles"] == 3
    assert client.get("/api/stats").json()["articles"] == 3
    add_article(db, EXTRA)
    assert client.get("/api/stats").json()["articles"] == 4
    assert "Brazil hosts talks" in client.get("/articles").text


def test_a_not_found_is_not_kept_once_the_article_exists(client, db):
    assert client.get("/articles/4").status_code == 404
    assert client.get("/api/articles/4").status_code == 404
    assert add_article(db, EXTRA) == 4
    assert client.get("/api/articles/4").json()["article"]["title"] == "Brazil hosts talks"
    assert "Brazil hosts talks" in client.get("/articles/4").text


def test_an_article_page_asked_again_is_the_same_page(client):
    first = client.get("/articles/1")
    assert first.status_code == 200 and "US accuses Iran of arming Russia" in first.text
    assert client.get("/articles/1").content == first.content
    assert first.headers["content-type"] == "text/html; charset=utf-8"


def test_an_article_page_follows_a_reprocessed_article(client, db):
    assert "Brazil hosts talks" not in client.get("/articles/1").text
    store = open_store(db)
    try:
        store.replace(1, build_extraction(EXTRA))
    finally:
        store.close()
    page = client.get("/articles/1").text
    assert "Brazil hosts talks" in page and "US accuses Iran of arming Russia" not in page


def actor_counts(client) -> dict[str, dict]:
    return {a["name"]: a for a in client.get("/api/actors", params={"limit": 200}).json()["items"]}


def test_the_actors_list_counts_an_article_stored_while_it_is_served(client, db):
    before = actor_counts(client)
    add_article(db, EXTRA)
    after = actor_counts(client)
    assert after["Brazil"]["articles"] == before["Brazil"]["articles"] + 1
    assert after["Brazil"]["events"] == before["Brazil"]["events"] + 1
    assert after["Russia"]["articles"] == before["Russia"]["articles"] + 1
    assert after["Russia"]["events"] == before["Russia"]["events"] + 1
    first = min(after.values(), key=lambda a: (-a["articles"], a["name"]))          # most articles, then by name
    assert client.get("/api/actors", params={"limit": 1}).json()["items"] == [first]


def test_the_actors_list_follows_a_reprocessed_article(client, db):
    before = actor_counts(client)
    assert before["Antony Blinken"]["articles"] == 1
    store = open_store(db)
    try:
        store.replace(1, build_extraction(EXTRA))
    finally:
        store.close()
    after = actor_counts(client)
    assert "Antony Blinken" not in after and after["Brazil"]["articles"] == before["Brazil"]["articles"] + 1


def facet_counts(page: str, name: str) -> dict[str, int]:
    """The values of one facet of a list page and the count shown beside each."""
    import re
    from urllib.parse import unquote_plus
    block = page[page.index(f'id="facet-{name}"'):]
    block = block[:block.index("</ul>")]
    return {unquote_plus(re.search(rf'[?&;]{name}=([^"&]+)', li).group(1)):
            int(re.search(r'<span class="n">(\d+)</span>', li).group(1)) for li in block.split("<li")[1:]}


def test_the_events_page_facets_count_an_article_stored_while_it_is_served(client, db):
    before = {name: facet_counts(client.get("/events").text, name) for name in ("type", "country", "publisher")}
    add_article(db, EXTRA)                     # one CONSULT, Brazil -> Russia, published by Wire Two
    page = client.get("/events").text
    after = {name: facet_counts(page, name) for name in ("type", "country", "publisher")}
    assert after["type"]["CONSULT"] == before["type"].get("CONSULT", 0) + 1
    assert after["country"]["BRA"] == before["country"].get("BRA", 0) + 1
    assert after["country"]["RUS"] == before["country"]["RUS"] + 1
    assert after["publisher"]["Wire Two"] == before["publisher"].get("Wire Two", 0) + 1
    assert {k: v for k, v in after["type"].items() if k != "CONSULT"} == \
        {k: v for k, v in before["type"].items() if k != "CONSULT"}


def test_the_pairs_count_an_article_stored_while_they_are_served(client, db):
    def pairs() -> dict[tuple, int]:
        return {(p["source"], p["target"], p["quad_class"]): p["n"] for p in client.get("/api/pairs").json()["items"]}
    before = pairs()
    add_article(db, EXTRA)                     # one CONSULT (quad class 1), Brazil -> Russia
    after = pairs()
    assert after.pop(("BRA", "RUS", 1)) == before.pop(("BRA", "RUS", 1), 0) + 1
    assert after == before


def test_an_answer_is_kept_apart_for_each_host_name(db):
    with TestClient(create_app(db), base_url="http://localhost") as local, \
            TestClient(create_app(db), base_url="http://127.0.0.1") as numeric:
        assert local.get("/").status_code == numeric.get("/").status_code == 200
    app = create_app(db)
    with TestClient(app, base_url="http://localhost") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"host": "evil.example"}).status_code == 400


def test_the_graph_finds_each_actors_kind_through_the_article_and_name_index(db):
    from sqlalchemy import select

    from eventwire.web.graph import kind_rank
    from eventwire.store import schema as s
    store = open_store(db)
    try:
        query = select(s.events.c.id, kind_rank("source"))
        plan = " ".join(str(r[-1]) for r in store.engine.connect().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))))
    finally:
        store.close()
    assert "actors_article_name (article_id=? AND name=?)" in plan


# serve --workers N --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """`eventwire serve --workers 2` as a user starts it, with a write token in its environment."""
    db = build_store(tmp_path_factory.mktemp("workers"))
    port = free_port()
    env = {**os.environ, web_app.WRITE_TOKEN_ENV: TOKEN}
    server = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", db, "--port", str(port),
                               "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the server did not answer in 90 s"
            try:
                if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def fresh(method: str, url: str, **kwargs) -> httpx.Response:
    """Each request on a new connection, so that both workers take some."""
    with httpx.Client(timeout=30) as c:
        return c.request(method, url, **kwargs)


def test_workers_answer_the_pages(workers):
    statuses = {fresh("GET", workers + path).status_code for path in ("/", "/events", "/articles/1") * 4}
    assert statuses == {200}


def test_workers_refuse_a_foreign_host_name(workers):
    statuses = [fresh("GET", workers + "/api/stats", headers={"host": "rebound.example"}).status_code
                for _ in range(12)]
    assert statuses == [400] * 12


def test_workers_refuse_a_write_without_the_token(workers):
    statuses = [fresh("POST", workers + "/api/articles", json={"text": "Russia attacked Ukraine."}).status_code
                for _ in range(12)]
    assert statuses == [403] * 12


def test_workers_refuse_a_cross_origin_write_with_the_token(workers):
    headers = {"authorization": f"Bearer {TOKEN}", "origin": "http://rebound.example"}
    statuses = [fresh("POST", workers + "/api/articles", json={"text": "Russia attacked Ukraine."},
                      headers=headers).status_code for _ in range(12)]
    assert statuses == [403] * 12


def test_serve_refuses_zero_workers():
    run = subprocess.run([sys.executable, "-m", "eventwire.cli", "serve", "--workers", "0"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--workers: 0 is out of range (1 to 64)" in run.stderr
