"""The graph page in a real Chromium: what a reader sees must be readable.

Measured on the rendered page, after layout: at most the default number of actors, no two names overlapping,
names drawn above every arrow, names that are names (never a CAMEO code), an investigation (ACCUSE with CAMEO
quad class 2) in the conflict colour, and a click on a name or an arrow listing its events. Over the bundled
samples (always) and over 40 BBC politics and 20 BASIL articles (when ../shared is here).
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from test_web_browser import LiveServer, Watched, click_middle_of_edge, headless_chromium
from test_web_graph import STORIES, extraction

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NODES = 60
CONFLICT_RGB = "rgb(179, 38, 30)"          # --conflict in style.css
MEASURE = """svg => {
  const box = element => { const r = element.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    labels: [...svg.querySelectorAll('.node-label')].map(t => ({text: t.textContent, box: box(t)})),
    circles: [...svg.querySelectorAll('.node circle')].map(c => ({id: c.parentNode.dataset.id, box: box(c)})),
    layers: [...svg.children].map(c => c.getAttribute('class')).filter(Boolean),
    edges: svg.querySelectorAll('.edge').length,
  };
}"""


def ingest(paths: list[str], db: str) -> None:
    from eventwire.api import ingest as run
    summary = run(paths, db=db, published="2024-03-02")
    assert summary.failed == []


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as chromium:
        yield chromium


def serve(db: str):
    from eventwire.web.app import create_app
    return LiveServer(create_app(db))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    """The bundled samples through the real pipeline, and three articles written here (Blair, an investigation)."""
    db = str(tmp_path_factory.mktemp("graph-samples") / "samples.db")
    ingest([str(ROOT / "samples")], db)
    from eventwire.store import open_store
    store = open_store(db)
    for n, story in enumerate(STORIES):
        assert store.add(extraction(n, story)) is not None
    store.close()
    return db


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, corpus) -> str:
    """40 BBC politics articles and 20 BASIL ones, the first by name of each."""
    bbc = sorted((corpus / "bbc" / "politics").glob("*.txt"))[:40]
    basil = sorted((corpus / "basil" / "articles").rglob("*.json"))[:20]
    db = str(tmp_path_factory.mktemp("graph-corpus") / "corpus.db")
    ingest([str(p) for p in bbc + basil], db)
    return db


@pytest.fixture(scope="module")
def sample_server(sample_db):
    with serve(sample_db) as live:
        yield live


@pytest.fixture
def watched(browser, sample_server):
    w = Watched(browser, sample_server)
    w.page.set_viewport_size({"width": 1400, "height": 900})
    yield w
    w.close()


def measure(page) -> dict:
    return page.locator("#graph").evaluate(MEASURE)


def intersect(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlapping_labels(m: dict) -> list[tuple[str, str]]:
    labels = m["labels"]
    return [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if intersect(a["box"], b["box"])]


def labels_on_circles(m: dict) -> list[str]:
    return [f"{a['text']} on {c['id']}" for a in m["labels"] for c in m["circles"] if intersect(a["box"], c["box"])]


def stored_names(db: str) -> tuple[set[str], set[str]]:
    """Every actor name (of the actors or of the events) and country name a label may show, and every CAMEO
    code it must never show."""
    from eventwire.web.graph import country_names
    with sqlite3.connect(db) as c:
        names = {r[0] for r in c.execute("SELECT name FROM actors UNION SELECT source_name FROM events "
                                         "UNION SELECT target_name FROM events")}
        codes = {r[0] for r in c.execute("SELECT code FROM actors WHERE code IS NOT NULL")}
    return names | set(country_names().values()), codes


def name_of(label: str) -> str:
    """'Tony Blair (GBR)' -> 'Tony Blair'."""
    return label[:-6] if len(label) > 6 and label[-6:-4] == " (" and label.endswith(")") else label


def check_readable(page, db: str) -> dict:
    m = measure(page)
    assert 0 < len(m["circles"]) <= DEFAULT_NODES
    assert len(m["labels"]) == len(m["circles"])
    assert overlapping_labels(m) == []
    assert labels_on_circles(m) == []
    assert m["layers"][-3:] == ["edges", "nodes", "labels"]          # names above every arrow and circle
    names, codes = stored_names(db)
    shown = [name_of(label["text"]) for label in m["labels"]]
    assert [s for s in shown if s not in names] == []
    assert [s for s in shown if s in codes] == []
    return m


# The samples, always ---------------------------------------------------------------------------------

def test_default_graph_is_readable(watched, sample_db):
    page = watched.goto("/graph")
    m = check_readable(page, sample_db)
    assert m["edges"] >= 10
    assert watched.problems == []


def test_one_person_is_one_node(watched):
    page = watched.goto("/graph")
    blair = [label["text"] for label in measure(page)["labels"] if "Blair" in label["text"]]
    assert blair == ["Tony Blair (GBR)"]


def test_an_investigation_is_drawn_as_conflict(watched):
    page = watched.goto("/graph")
    edge = page.locator("#graph .edge[data-source='actor:Home Office|GBR'][data-target='actor:Labour Party|GBR']")
    assert edge.get_attribute("class") == "edge tone-conflict"
    assert edge.locator(".edge-line").evaluate("line => getComputedStyle(line).stroke") == CONFLICT_RGB


def test_clicking_a_name_lists_its_events(watched):
    page = watched.goto("/graph")
    page.locator("#graph .node-label", has_text="Tony Blair (GBR)").click()
    page.wait_for_selector("#picked-events li")
    assert page.locator("#picked-events li").count() == 6
    assert page.inner_text("#picked-title") == "Tony Blair (GBR)"
    assert "Blair rejected the European Union plan." in page.inner_text("#picked-events")
    assert watched.problems == []


def test_clicking_an_arrow_lists_the_events_between_the_two(watched):
    page = watched.goto("/graph")
    click_middle_of_edge(page, "#graph .edge[data-source='person:Michael Howard'][data-target='person:Tony Blair']")
    page.wait_for_selector("#picked-events li")
    items = page.locator("#picked-events li")
    assert items.count() == 2 and "Michael Howard accused Tony Blair" in items.first.inner_text()
    assert page.inner_text("#picked-title") == "Michael Howard (GBR) → Tony Blair (GBR) (conflict)"


def test_the_countries_switch_draws_countries(watched, sample_db):
    page = watched.goto("/graph")
    with page.expect_navigation():
        page.locator("#graph-by-country").check()
    page.wait_for_selector("#graph[data-ready='true']", state="attached")
    assert "by=country" in page.url
    m = check_readable(page, sample_db)
    assert {"United Kingdom", "United States", "Russia", "Ukraine"} <= {label["text"] for label in m["labels"]}
    assert not any("(" in label["text"] for label in m["labels"])       # no person, no body: countries (and IGOs)


def test_the_links_number_limits_the_drawing(watched):
    page = watched.goto("/graph?top=3")
    m = measure(page)
    assert m["edges"] == 3 and len(m["circles"]) <= 6
    assert page.inner_text("#graph-status").startswith("The 3 strongest links of ")


# A real corpus, when ../shared is here -----------------------------------------------------------------

def test_real_corpus_graph_is_readable(browser, corpus_db):
    with serve(corpus_db) as live:
        w = Watched(browser, live)
        try:
            w.page.set_viewport_size({"width": 1400, "height": 900})
            page = w.goto("/graph")
            m = check_readable(page, corpus_db)
            assert [label["text"] for label in m["labels"] if "Blair" in label["text"]] == ["Tony Blair (GBR)"]
            assert w.problems == []
        finally:
            w.close()
