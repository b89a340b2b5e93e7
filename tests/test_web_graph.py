"""The graph API: nodes are actors as a reader names them, edges the strongest (source, target, side) links.

The store is written from Extraction objects made here, so each expectation is exact: one person under
several CAMEO codes, an investigation (ACCUSE with CAMEO quad class 2), countries, bodies and a bare surname.
"""
from __future__ import annotations

import warnings
from datetime import date

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from eventwire.model import Actor, Article, Event, Extraction, Mention, Sentence
from eventwire.store import open_store
from eventwire.web.app import create_app

# name: (kind, country, code) as the actors stage leaves them; one person, two codes in two articles.
CAST = {
    "Tony Blair": ("person", "GBR", "GBRGOV"), "Tony Blair/ELI": ("person", "GBR", "GBRELI"),
    "Blair": ("person", None, None), "Michael Howard": ("person", "GBR", "GBRPTY"),
    "Labour Party": ("organization", "GBR", "GBRPTY"), "Home Office": ("organization", "GBR", "GBRGOV"),
    "Iraq": ("country", "IRQ", "IRQ"), "London": ("country", "GBR", "GBRGOV"),
    "European Union": ("organization", None, "IGOEUREEC"), "George Bush": ("person", "USA", "USAGOV"),
}
# (type, quad class, source, target, sentence) per article.
STORIES = [
    [("ACCUSE", 3, "Michael Howard", "Tony Blair", "Michael Howard accused Tony Blair of misleading voters."),
     ("ACCUSE", 3, "Michael Howard", "Tony Blair", "Michael Howard accused Tony Blair again on Monday."),
     ("SUPPORT", 1, "Tony Blair", "Labour Party", "Tony Blair praised the Labour Party.")],
    [("CONSULT", 1, "Tony Blair/ELI", "George Bush", "Tony Blair met George Bush in Washington."),
     ("ACCUSE", 2, "Home Office", "Labour Party", "The Home Office investigated the Labour Party donors."),
     ("ASSAULT", 4, "London", "Iraq", "London sent troops that attacked Iraq.")],
    [("REJECT", 3, "Blair", "European Union", "Blair rejected the European Union plan."),
     ("CONSULT", 1, "George Bush", "Tony Blair", "George Bush telephoned Tony Blair.")],
]


def actor(name: str, text: str, sentence: int, offset: int) -> Actor:
    kind, country, code = CAST[name]
    shown = name.split("/")[0]
    start = text.find(shown)
    return Actor(shown, kind, country=country, code=code, rule="test",
                 mentions=[Mention(sentence, shown, offset + start, offset + start + len(shown))])


def extraction(n: int, story: list[tuple]) -> Extraction:
    text = "\n".join(s[-1] for s in story) + "\n"
    sentences, at = [], 0
    for i, (*_, line) in enumerate(story):
        sentences.append(Sentence(i, i, line, at, at + len(line)))
        at += len(line) + 1
    x = Extraction(Article(text=text, title=f"Story {n}", published=date(2005, 3, n + 1), origin=f"test:{n}"),
                   sentences=sentences)
    actors = {}
    for i, (type_, quad, source, target, line) in enumerate(story):
        s = sentences[i]
        src = actors.setdefault(source, actor(source, line, i, s.start))
        tgt = actors.setdefault(target, actor(target, line, i, s.start))
        x.events.append(Event(type=type_, source=src, target=tgt, trigger=line.split()[2], rule="test",
                              mentions=[Mention(i, line, s.start, s.end)], quad_class=quad, id=i + 1,
                              confidence=0.9))
    x.actors = list(actors.values())
    x.meta = {"eventwire_version": "test", "model": "none", "model_version": "0"}
    return x


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    db = str(tmp_path_factory.mktemp("graph") / "graph.db")
    store = open_store(db)
    for n, story in enumerate(STORIES):
        assert store.add(extraction(n, story)) is not None
    store.close()
    return TestClient(create_app(db), base_url="http://localhost", raise_server_exceptions=False)


def graph(client, **params) -> dict:
    r = client.get("/api/graph", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def labels(body: dict) -> list[str]:
    return sorted(n["label"] for n in body["nodes"])


def test_a_person_under_two_codes_and_a_bare_surname_is_one_node(client):
    body = graph(client)
    assert [n["label"] for n in body["nodes"] if "Blair" in n["label"]] == ["Tony Blair (GBR)"]
    blair = next(n for n in body["nodes"] if n["label"] == "Tony Blair (GBR)")
    assert blair["id"] == "person:Tony Blair" and blair["events"] == 6


def test_nodes_are_named_actors_never_codes(client):
    assert labels(graph(client)) == ["European Union", "George Bush (USA)", "Home Office (GBR)", "Iraq",
                                     "Labour Party (GBR)", "Michael Howard (GBR)", "Tony Blair (GBR)",
                                     "United Kingdom"]


def test_edge_side_is_the_plover_types_not_the_quad_class(client):
    edges = {(e["source"], e["target"]): e["tone"] for e in graph(client)["edges"]}
    assert edges[("actor:Home Office|GBR", "actor:Labour Party|GBR")] == "conflict"      # ACCUSE, quad class 2
    assert edges[("person:Tony Blair", "actor:Labour Party|GBR")] == "cooperation"


def test_edges_are_counted_and_strongest_first(client):
    edges = graph(client)["edges"]
    assert edges[0] == {"source": "person:Michael Howard", "target": "person:Tony Blair", "tone": "conflict", "n": 2}
    assert [e["n"] for e in edges] == [2, 1, 1, 1, 1, 1, 1]


def test_top_n_keeps_the_strongest_links(client):
    body = graph(client, top=1)
    assert body["top"] == 1 and body["edges_total"] == 7
    assert [(e["source"], e["target"]) for e in body["edges"]] == [("person:Michael Howard", "person:Tony Blair")]
    assert labels(body) == ["Michael Howard (GBR)", "Tony Blair (GBR)"]


def test_node_cap_skips_links_that_would_bring_more_actors(client):
    body = graph(client, nodes=3)
    assert len(body["nodes"]) == 3
    assert {n["label"] for n in body["nodes"]} == {"Michael Howard (GBR)", "Tony Blair (GBR)", "George Bush (USA)"}
    assert len(body["edges"]) == 3        # Howard on Blair, Bush and Blair both ways; the rest bring a 4th actor


def test_aggregating_to_countries_gives_country_nodes(client):
    body = graph(client, by="country")
    assert body["by"] == "country"
    assert labels(body) == ["Iraq", "United Kingdom", "United States"]
    edges = {(e["source"], e["target"], e["tone"]): e["n"] for e in body["edges"]}
    assert edges == {("country:GBR", "country:USA", "cooperation"): 1, ("country:USA", "country:GBR", "cooperation"): 1,
                     ("country:GBR", "country:IRQ", "conflict"): 1}
    uk = next(n for n in body["nodes"] if n["id"] == "country:GBR")
    assert uk["events"] == 7          # its own four (Howard on Blair, the Home Office...) and three with others


def test_a_person_with_no_country_is_left_out_of_the_countries_view(client):
    body = graph(client, by="country")
    assert not any(e["target"] == "actor:European Union|" for e in body["edges"])


def test_clicking_a_node_lists_its_events(client):
    r = client.get("/api/graph/node", params={"id": "person:Tony Blair"}).json()
    assert r["total"] == 6
    assert {e["sentence"] for e in r["items"]} >= {"Blair rejected the European Union plan.",
                                                     "Tony Blair met George Bush in Washington."}
    assert all(e["link"].startswith("/articles/") for e in r["items"])


def test_clicking_an_edge_lists_the_events_between_the_two(client):
    r = client.get("/api/graph/edge", params={"source": "person:Michael Howard", "target": "person:Tony Blair",
                                              "tone": "conflict"}).json()
    assert r["total"] == 2 and {e["trigger"] for e in r["items"]} == {"accused"}
    investigation = client.get("/api/graph/edge", params={"source": "actor:Home Office|GBR",
                                                          "target": "actor:Labour Party|GBR"}).json()["items"]
    assert [(e["type"], e["cooperative"]) for e in investigation] == [("ACCUSE", False)]


def test_a_country_nodes_events_in_the_countries_view(client):
    r = client.get("/api/graph/node", params={"id": "country:GBR", "by": "country"}).json()
    assert r["total"] == 7


def test_filters_apply_to_the_graph(client):
    body = graph(client, type="CONSULT")
    assert labels(body) == ["George Bush (USA)", "Tony Blair (GBR)"]


@pytest.mark.parametrize("params", [{"top": 0}, {"top": 501}, {"by": "code"}, {"nodes": 1}])
def test_bad_graph_parameters_are_422(client, params):
    assert client.get("/api/graph", params=params).status_code == 422


@pytest.mark.parametrize("key", ["GBR", "person:", "actor:no bar", "nobody:x", "\x00"])
def test_a_key_that_is_no_node_is_422(client, key):
    assert client.get("/api/graph/node", params={"id": key}).status_code == 422
    assert client.get("/api/graph/edge", params={"source": key, "target": "country:GBR"}).status_code == 422


# The graph of a store taking an ingest: the counts of stored articles are kept, new articles added ---------

def fresh_client(tmp_path, stories) -> tuple[TestClient, str]:
    db = str(tmp_path / "graph.db")
    store = open_store(db)
    for n, story in enumerate(stories):
        assert store.add(extraction(n, story)) is not None
    store.close()
    return TestClient(create_app(db), base_url="http://localhost", raise_server_exceptions=False), db


def edge_count(body: dict, source: str, target: str) -> int:
    return sum(e["n"] for e in body["edges"] if (e["source"], e["target"]) == (source, target))


def test_an_article_stored_while_the_graph_is_served_adds_its_links(tmp_path):
    client, db = fresh_client(tmp_path, STORIES[:2])
    before = graph(client)
    assert edge_count(before, "person:Michael Howard", "person:Tony Blair") == 2
    assert "European Union" not in labels(before)
    store = open_store(db)                       # another connection, as an ingest beside the server writes
    assert store.add(extraction(2, STORIES[2])) is not None
    assert store.add(extraction(3, STORIES[0][:1])) is not None
    store.close()
    after = graph(client)
    assert "European Union" in labels(after)
    assert edge_count(after, "person:Michael Howard", "person:Tony Blair") == 3
    assert kept_counts_are_a_full_count(db)


def test_a_reprocessed_article_is_counted_as_it_now_reads(tmp_path):
    client, db = fresh_client(tmp_path, STORIES)
    assert edge_count(graph(client), "person:Michael Howard", "person:Tony Blair") == 2
    store = open_store(db)
    store.replace(1, extraction(0, [STORIES[2][0]]))   # article 1 now tells only of Blair and the EU
    store.close()
    after = graph(client)
    assert edge_count(after, "person:Michael Howard", "person:Tony Blair") == 0
    assert "Michael Howard (GBR)" not in labels(after)
    assert kept_counts_are_a_full_count(db)


def kept_counts_are_a_full_count(db: str) -> bool:
    from sqlalchemy import true

    from eventwire.web import graph as graph_queries
    store = open_store(db)
    try:
        full = graph_queries.rows(store, graph_queries.pair_query(true()))
        return sorted(map(str, graph_queries.pair_counts(store, None))) == sorted(map(str, full))
    finally:
        store.close()
