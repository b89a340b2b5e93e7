"""The HTTP API of `eventwire serve`: filters, paging, validation (422, never 500), export, writing, headers.

The test store is built from Extraction objects written here (Store.add), so these tests do not depend on
how many events the extraction stages find; one test runs the real pipeline through POST /api/articles.
"""
from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import date

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # starlette's note about httpx versions is not ours to fix
    from fastapi.testclient import TestClient

from eventwire.model import (Actor, Article, Claim, Event, Extraction, Mention, Place, Quote, Sentence, Stance,
                             When)
from eventwire.store import open_store
from eventwire.web.app import create_app
from eventwire.scale.stories import cluster_stories  # noqa: E402
from pgserver import postgres_server, postgres_url  # noqa: F401 - fixtures for the PostgreSQL test

XSS_TITLE = "<script>alert(1)</script> Ministers meet"
XSS_LINE = 'Officials said <img src=x onerror=alert(2)> was posted online.'
INJECTIONS = ["' OR 1=1 --", "%", "_", "\x00", "\\", '"; DROP TABLE events; --', "<script>alert(1)</script>",
              "%00", "\u202e", "a" * 5000]
TOKEN = "test-token-123"
SERVER_PATH = "/srv/eventwire-inbox/2024/russia-strikes-ukraine.txt"     # where the server read an article

ACTORS = {
    "United States": ("country", "USA", "USA"),
    "Antony Blinken": ("person", "USA", "USAGOV"),
    "Iran": ("country", "IRN", "IRN"),
    "Russia": ("country", "RUS", "RUS"),
    "Ukraine": ("country", "UKR", "UKR"),
    "Kyiv": ("place", "UKR", None),
    "China": ("country", "CHN", "CHN"),
    "Brazil": ("country", "BRA", "BRA"),
}

# Each article: sentences, and events given as (sentence, type, source, target, trigger, modality, date, place).
ARTICLES = [
    {"title": "US accuses Iran of arming Russia", "published": "2024-09-10", "source": "Wire One",
     "sentences": ["Antony Blinken accused Iran of sending missiles to Russia.",
                   'Iran denied the accusations, saying "we never sent any missiles" to Russia.',
                   "The United States announced new sanctions against Iran on Tuesday."],
     "events": [(0, "ACCUSE", "Antony Blinken", "Iran", "accused", "asserted", "2024-09-10", None),
                (0, "AID", "Iran", "Russia", "sending", "reported", "2024-09-09", ("Tehran", "IRN", 35.69, 51.39)),
                (2, "SANCTION", "United States", "Iran", "sanctions", "asserted", "2024-09-10", None)],
     "quotes": [(1, "Iran", "we never sent any missiles")],
     "claim": (1, "Antony Blinken", 0, "Iran", 1)},
    {"title": "Russia strikes Ukraine", "published": "2024-09-12", "origin": SERVER_PATH,
     "sentences": ["Russia launched drones against Ukraine overnight.",
                   "Ukraine asked China for help with talks.",
                   "Brazil offered to host a meeting with Russia."],
     "events": [(0, "ASSAULT", "Russia", "Ukraine", "launched", "asserted", "2024-09-12",
                 ("Kyiv", "UKR", 50.45, 30.52)),
                (1, "REQUEST", "Ukraine", "China", "asked", "asserted", "2024-09-12", None),
                (2, "CONSULT", "Brazil", "Russia", "host a meeting", "planned", None, None)],
     "quotes": []},
    {"title": XSS_TITLE, "published": "2024-09-20",
     "sentences": [XSS_LINE, "China agreed to talks with Brazil <b>today</b>.",
                   "A post by China read <script>alert(1)</script> before it was removed."],
     "events": [(1, "AGREE", "China", "Brazil", "agreed", "asserted", "2024-09-20", None)],
     "quotes": [(0, "China", "<img src=x onerror=alert(2)>")]},
]


def mentions_in(text: str, needle: str, sentences: list[Sentence]) -> list[Mention]:
    """Every occurrence of a name in the text, as mentions with their sentence."""
    out, start = [], text.find(needle)
    while start >= 0:
        end = start + len(needle)
        index = next(t.index for t in sentences if t.start <= start < t.end)
        out.append(Mention(index, needle, start, end))
        start = text.find(needle, end)
    return out


def build_extraction(spec: dict) -> Extraction:
    """An Extraction as the stages would leave it, with exact character offsets into the text."""
    text, sentences, at = "", [], 0
    for i, line in enumerate(spec["sentences"]):
        sentences.append(Sentence(i, i, line, at, at + len(line)))
        text += line + "\n"
        at = len(text)
    article = Article(text=text, title=spec["title"], published=date.fromisoformat(spec["published"]),
                      origin=spec.get("origin") or f"test:{spec['title'][:20]}", source=spec.get("source"))
    x = Extraction(article, sentences=sentences)
    actors = {}
    for name, (kind, country, code) in ACTORS.items():
        found = mentions_in(text, name, sentences)
        if found:
            actors[name] = Actor(name, kind, country=country, code=code, mentions=found, rule="test")
    x.actors = list(actors.values())
    for n, (k, type_, src, tgt, trigger, modality, day, place) in enumerate(spec["events"], 1):
        s = sentences[k]
        t_start = s.start + s.text.index(trigger)
        mention = Mention(k, s.text, s.start, s.end, trigger_start=t_start, trigger_end=t_start + len(trigger))
        x.events.append(Event(
            type=type_, source=actors[src], target=actors[tgt], trigger=trigger, rule=f"test:{type_.lower()}",
            mentions=[mention], modality=modality, confidence=0.8, id=n,
            quad_class=1 if type_ in ("CONSULT", "AGREE", "REQUEST") else 4 if type_ == "ASSAULT" else 3,
            attributed_to=actors["Antony Blinken"] if modality == "reported" else None,
            when=When(date.fromisoformat(day), precision="day", source="sentence") if day else None,
            place=Place(*place) if place else None))
    for k, speaker, quoted in spec["quotes"]:
        s = sentences[k]
        start = s.start + s.text.index(quoted)
        x.quotes.append(Quote(actors.get(speaker), quoted, "direct", "saying", start, start + len(quoted), k))
    if "claim" in spec:
        event_n, asserter, assert_k, denier, deny_k = spec["claim"]
        evidence = lambda k: Mention(k, sentences[k].text, sentences[k].start, sentences[k].end)  # noqa: E731
        x.claims.append(Claim(x.events[event_n], [Stance(actors[asserter], "asserted", evidence(assert_k)),
                                                  Stance(actors[denier], "denied", evidence(deny_k))]))
    x.meta = {"eventwire_version": "test", "model": "none", "model_version": "0"}
    return x


def build_store(path) -> str:
    """A store holding the three test articles; returns its path."""
    db = str(path / "web.db")
    store = open_store(db)
    for spec in ARTICLES:
        assert store.add(build_extraction(spec)) is not None
    cluster_stories(store)      # as every ingest does
    store.close()
    return db


def client_for(db: str, **kwargs) -> TestClient:
    return TestClient(create_app(db, **kwargs), base_url="http://localhost", raise_server_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return build_store(tmp_path_factory.mktemp("webapi"))


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return client_for(db)


def events(client, **params) -> dict:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


# Reading ------------------------------------------------------------------------------------------

def test_events_unfiltered_lists_every_event_newest_first(client):
    body = events(client)
    assert body["total"] == 7 and len(body["items"]) == 7
    dated = [e["date"] for e in body["items"] if e["date"]]
    assert dated == sorted(dated, reverse=True)
    assert all(e["link"].startswith(f"/articles/{e['article_id']}") for e in body["items"])


@pytest.mark.parametrize("params, expected", [
    ({"type": "ASSAULT"}, {"ASSAULT"}),
    ({"type": "accuse,sanction"}, {"ACCUSE", "SANCTION"}),
    ({"country": "IRN", "side": "target"}, {"ACCUSE", "SANCTION"}),
    ({"country": "irn", "side": "source"}, {"AID"}),
    ({"country": "IRN"}, {"ACCUSE", "SANCTION", "AID"}),
    ({"actor": "blinken"}, {"ACCUSE"}),
    ({"modality": "planned"}, {"CONSULT"}),
    ({"since": "2024-09-12"}, {"ASSAULT", "REQUEST", "AGREE"}),
    ({"until": "2024-09-09"}, {"AID"}),
    ({"since": "2024-09-10", "until": "2024-09-10"}, {"ACCUSE", "SANCTION"}),
    ({"q": "drones"}, {"ASSAULT"}),
])
def test_filters_change_the_results(client, params, expected):
    assert {e["type"] for e in events(client, **params)["items"]} == expected


def test_sort_and_order(client):
    ascending = [e["type"] for e in events(client, sort="type", order="asc")["items"]]
    assert ascending == sorted(ascending)
    by_id = [e["id"] for e in events(client, sort="id", order="desc")["items"]]
    assert by_id == sorted(by_id, reverse=True)


def test_pagination_is_bounded_and_consistent(client):
    pages = [events(client, limit=3, page=n, sort="id", order="asc") for n in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    assert pages[0]["pages"] == 3 and pages[0]["total"] == 7
    ids = [e["id"] for p in pages for e in p["items"]]
    assert len(ids) == len(set(ids)) == 7
    for bad in ({"limit": 0}, {"limit": 501}, {"limit": 10**9}, {"page": 0}, {"page": -1}, {"page": 10**12},
                {"limit": "ten"}):
        assert client.get("/api/events", params=bad).status_code == 422, bad


@pytest.mark.parametrize("params, mentions", [
    ({"since": "2024-9-1"}, "since"), ({"since": "yesterday"}, "YYYY-MM-DD"), ({"until": "2024-13-45"}, "calendar"),
    ({"type": "ATTACK"}, "unknown value 'ATTACK'"), ({"type": "ACCUSE,NOPE"}, "NOPE"),
    ({"modality": "maybe"}, "modality"), ({"country": "USAX"}, "ISO"), ({"side": "both"}, "side"),
    ({"sort": "evil"}, "sort"), ({"order": "sideways"}, "order"), ({"actor": "x\x00y"}, "control characters"),
])
def test_bad_parameters_get_a_clear_422(client, params, mentions):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    assert mentions in r.json()["detail"]


ENDPOINTS_WITH_FILTERS = ["/api/events", "/api/export", "/api/aggregates", "/api/pairs", "/api/graph", "/api/map",
                          "/events", "/graph", "/timeline", "/map"]
FILTER_NAMES = ["actor", "country", "side", "type", "modality", "since", "until", "q"]


@pytest.mark.parametrize("path", ENDPOINTS_WITH_FILTERS)
def test_no_injection_string_in_any_filter_causes_a_500(client, path):
    for name in FILTER_NAMES:
        for value in INJECTIONS:
            r = client.get(path, params={name: value})
            assert r.status_code in (200, 422), (path, name, value, r.status_code)
    for name, value in [("speaker", "' OR 1=1 --"), ("speaker", "\x00"), ("q", "%")]:
        assert client.get("/api/quotes" if name == "speaker" else "/api/actors",
                          params={name: value}).status_code in (200, 422)


def test_like_wildcards_are_just_text(client):
    assert events(client, actor="' OR 1=1 --")["total"] == 0
    assert events(client, q="missiles")["total"] == 2           # the search itself finds words
    for wildcard in ("%", "_", "%missiles%", "mis_iles"):        # no sentence holds these characters
        assert events(client, q=wildcard)["total"] == 0, wildcard


def test_odd_ids_and_paths_are_404_or_422_not_500(client):
    for path in ["/api/events/999999", "/api/articles/999999", "/api/events/0", "/api/events/-1",
                 f"/api/events/{10**30}", "/api/events/abc", "/api/articles/1%00", "/articles/999999",
                 f"/articles/{10**30}", "/nowhere", "/api/graph/edge?source=X", "/api/map/place?lat=999&lon=0"]:
        assert client.get(path).status_code in (404, 422), path


def test_one_event_has_its_mentions(client):
    first = events(client, type="ACCUSE")["items"][0]
    body = client.get(f"/api/events/{first['id']}").json()
    assert body["type"] == "ACCUSE" and body["mentions"]
    assert body["mentions"][0]["text"].startswith("Antony Blinken accused Iran")
    assert body["mentions"][0]["link"] == f"/articles/{first['article_id']}#s-0"


def test_articles_are_paged_and_one_has_its_whole_extraction(client):
    listing = client.get("/api/articles", params={"limit": 2}).json()
    assert listing["total"] == 3 and len(listing["items"]) == 2 and listing["pages"] == 2
    assert "text" not in listing["items"][0]
    one = client.get(f"/api/articles/{listing['items'][0]['id']}").json()
    assert one["article"]["title"] == "US accuses Iran of arming Russia"
    assert {"actors", "events", "quotes", "claims"} <= set(one)
    event = one["events"][0]
    assert {"type", "cameo", "source", "target", "modality", "attributed_to", "date", "mentions"} <= set(event)
    mention = event["mentions"][0]
    assert one["text"][mention["start"]:mention["end"]] == mention["text"]


def test_actors_quotes_claims(client):
    actors = {a["name"]: a for a in client.get("/api/actors").json()["items"]}
    assert actors["Iran"]["events"] == 3 and actors["Russia"]["events"] == 3
    quotes = client.get("/api/quotes", params={"speaker": "iran"}).json()["items"]
    assert [q["text"] for q in quotes] == ["we never sent any missiles"]
    claims = client.get("/api/claims").json()["items"]
    assert claims[0]["contested"] == 1
    assert {s["stance"] for s in claims[0]["stances"]} == {"asserted", "denied"}
    assert all(s["link"].startswith("/articles/") for s in claims[0]["stances"])
    assert len(client.get("/api/claims", params={"contested": "true"}).json()["items"]) == 1


def test_aggregates_pairs_graph_map_stats(client):
    days = client.get("/api/aggregates", params={"interval": "day"}).json()["items"]
    assert {"period": "2024-09-10", "type": "SANCTION", "n": 1} in days
    weeks = client.get("/api/aggregates", params={"interval": "week"}).json()["items"]
    assert {w["period"] for w in weeks} == {"2024-09-09", "2024-09-16"}
    assert client.get("/api/aggregates", params={"interval": "year"}).status_code == 422
    pairs = client.get("/api/pairs", params={"type": "ASSAULT"}).json()["items"]
    assert pairs == [{"source": "RUS", "target": "UKR", "quad_class": 4, "n": 1}]
    graph = client.get("/api/graph").json()
    tones = {(e["source"], e["target"]): e["tone"] for e in graph["edges"]}
    assert tones[("country:RUS", "country:UKR")] == "conflict" and tones[("country:CHN", "country:BRA")] == "cooperation"
    edge = client.get("/api/graph/edge", params={"source": "country:RUS", "target": "country:UKR",
                                                 "tone": "conflict"}).json()
    assert [e["trigger"] for e in edge["items"]] == ["launched"]
    points = client.get("/api/map").json()["items"]
    assert {p["place"] for p in points} == {"Tehran", "Kyiv"}
    kyiv = next(p for p in points if p["place"] == "Kyiv")
    place = client.get("/api/map/place", params={"lat": kyiv["lat"], "lon": kyiv["lon"]}).json()["items"]
    assert [e["type"] for e in place] == ["ASSAULT"]
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 3 and stats["events"] == 7 and stats["contested_claims"] == 1


# Export -------------------------------------------------------------------------------------------

def test_export_streams_csv_with_the_filter(client):
    with client.stream("GET", "/api/export", params={"format": "csv", "country": "IRN"}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        text = "".join(r.iter_text())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["type"] for row in rows} == {"ACCUSE", "SANCTION", "AID"}


def test_csv_export_neutralises_spreadsheet_formulas(tmp_path):
    """Article text is untrusted: the web's CSV neutralises formulas as `eventwire export` does."""
    formula = "=cmd|' /C calc'!A0 China condemned Brazil."
    spec = {"title": "+formula title", "published": "2024-09-10", "sentences": [formula], "quotes": [],
            "events": [(0, "DISAPPROVE", "China", "Brazil", "condemned", "asserted", "2024-09-10", None)]}
    store = open_store(str(tmp_path / "formula.db"))
    store.add(build_extraction(spec))
    store.close()
    text = client_for(str(tmp_path / "formula.db")).get("/api/export", params={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["sentence"] for row in rows] == ["'" + formula]


def test_export_streams_jsonl(client):
    with client.stream("GET", "/api/export", params={"format": "jsonl"}) as r:
        lines = [json.loads(line) for line in r.iter_lines() if line]
    assert sorted(e["type"] for e in lines) == sorted(spec[1] for a in ARTICLES for spec in a["events"])
    assert client.get("/api/export", params={"format": "xml"}).status_code == 422


def test_export_is_a_stream_not_a_list(client, monkeypatch):
    """The export pulls events from Store.iter_events lazily, a buffer at a time."""
    from eventwire.web import api
    pulled = []

    def counting(events):
        for event in events:
            pulled.append(event["id"])
            yield event
    original = api.csv_chunks
    monkeypatch.setattr(api, "csv_chunks", lambda events: original(counting(events)))
    monkeypatch.setattr(api, "EXPORT_FLUSH_CHARS", 1)
    with client.stream("GET", "/api/export", params={"format": "csv"}) as r:
        chunks = r.iter_text()
        next(chunks)
        assert len(pulled) < 7       # the response started before every event was read
        rest = "".join(chunks)
    assert len(pulled) == 7 and rest


# Writing ------------------------------------------------------------------------------------------

def test_writing_is_refused_without_a_token(db):
    read_only = client_for(db)
    assert read_only.post("/api/articles", json={"text": "Iran met Russia."}).status_code == 403
    guarded = client_for(db, write_token=TOKEN)
    for header in [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN, "Bearer "]:
        headers = {"Authorization": header} if header else {}
        r = guarded.post("/api/articles", json={"text": "Iran met Russia."}, headers=headers)
        assert r.status_code == 403, header
    assert guarded.post("/api/articles", json={"nope": 1}).status_code == 403   # auth before the body


def test_write_token_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_WRITE_TOKEN", TOKEN)
    r = client_for(db).post("/api/articles", json={"text": 1}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422      # authorised; the body is then validated


def test_writing_with_the_token_stores_the_article(tmp_path, monkeypatch):
    """The web layer: authorised, the text goes through the extractor and into the store (extractor stubbed)."""
    from eventwire.web import api
    db = str(tmp_path / "write.db")
    seen = {}

    def fake_extract(text, title, published):
        seen.update(text=text, title=title, published=published)
        return build_extraction({**ARTICLES[1], "title": title})
    monkeypatch.setattr(api, "extract_article", fake_extract)
    client = client_for(db, write_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": "Russia launched drones against Ukraine overnight.", "title": "Drones", "published": "2024-09-12"}
    r = client.post("/api/articles", json=body, headers=auth)
    assert r.status_code == 201, r.text
    assert seen == body and r.json()["events"] == 3
    assert client.get(f"/api/articles/{r.json()['id']}").json()["article"]["title"] == "Drones"
    again = client.post("/api/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json() == {"id": r.json()["id"], "stored": False,
                                                         "link": f"/articles/{r.json()['id']}"}
    for bad in ({"text": ""}, {"text": "x", "published": "12/09/2024"}, {"text": "x", "published": "2024-02-30"},
                {"text": "x", "extra": 1}, {"title": "no text"}, {"text": "a\x00b"}, {"text": "x", "title": "\x07"}):
        assert client.post("/api/articles", json=bad, headers=auth).status_code == 422, bad


def test_writing_runs_the_real_pipeline(tmp_path):
    """End to end through spaCy: whatever the stages find, the article is stored and readable."""
    client = client_for(str(tmp_path / "real.db"), write_token=TOKEN)
    text = ("Russia launched a wave of drones against Ukraine on Monday, Ukrainian officials said.\n"
            "The United States condemned the attack and announced new sanctions against Russia.")
    r = client.post("/api/articles", json={"text": text, "title": "Drones over Ukraine", "published": "2024-09-16"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    stored = client.get(f"/api/articles/{r.json()['id']}").json()
    assert stored["text"] == text and stored["article"]["published"] == "2024-09-16"
    assert client.get(f"/articles/{r.json()['id']}").status_code == 200


# Headers, schema ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/events", "/api/events", "/api/events?since=bad", "/static/style.css",
                                  "/api/export?format=csv", "/nowhere", "/openapi.json"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"]


def test_openapi_schema_lists_the_api(client):
    schema = client.get("/openapi.json").json()
    for path in ["/api/articles", "/api/articles/{article_id}", "/api/events", "/api/events/{event_id}",
                 "/api/actors", "/api/quotes", "/api/claims", "/api/aggregates", "/api/pairs", "/api/stats",
                 "/api/export"]:
        assert path in schema["paths"], path
    since = next(p for p in schema["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "since")
    assert "pattern" in json.dumps(since)


def test_pages_render_and_escape_article_text(client, db):
    for path in ["/", "/articles", "/events", "/events?type=ACCUSE&sort=type&order=asc", "/graph", "/timeline",
                 "/timeline?interval=week", "/map", "/claims", "/claims?contested=true"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, path
    xss_id = next(a["id"] for a in client.get("/api/articles").json()["items"] if a["title"] == XSS_TITLE)
    page = client.get(f"/articles/{xss_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>today" not in page
    assert page.count("<script") == 1          # only our own common.js


def test_article_page_highlights_from_offsets(client):
    first = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    page = client.get(f"/articles/{first['id']}").text
    assert '<span class="sentence" id="s-0">' in page
    assert 'class="hl hl-actor"' in page and 'class="hl hl-quote"' in page
    assert '<mark class="hl hl-trigger tone-conflict" title="ACCUSE (asserted): accused">accused</mark>' in page
    assert 'href="#s-1"' in page and "test:accuse" in page


def test_bad_filters_on_pages_are_422_pages(client):
    r = client.get("/events", params={"since": "2024-02-30"})
    assert r.status_code == 422 and "text/html" in r.headers["content-type"] and "calendar" in r.text
    assert client.get("/events", params={"since": "", "type": "", "country": ""}).status_code == 200


def test_oversized_bodies_are_refused(db):
    client = client_for(db, write_token=TOKEN)
    r = client.post("/api/articles", content=b'{"text": "' + b"x" * (13 * 1024 * 1024) + b'"}',
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 413 and "default-src 'self'" in r.headers["content-security-policy"]


# PostgreSQL ---------------------------------------------------------------------------------------

COMPARED_READS = ["/api/events", "/api/events?type=ACCUSE,SANCTION", "/api/events?country=IRN&side=target",
                  "/api/events?actor=russ&sort=type&order=asc", "/api/events?q=DRONES", "/api/events?since=2024-09-12",
                  "/api/events?sort=date&order=asc", "/api/articles", "/api/quotes?speaker=IRAN", "/api/claims",
                  "/api/pairs", "/api/stats"]
COMPARED_SETS = ["/api/aggregates?interval=day", "/api/aggregates?interval=week", "/api/graph", "/api/map",
                 "/api/actors", "/api/graph/edge?source=country:RUS&target=country:UKR&tone=conflict",
                 "/api/map/place?lat=50.45&lon=30.52"]


def without_volatile(body):
    """A response with the fields that differ between two stores of the same content (ingest times) left out."""
    if isinstance(body, dict):
        return {k: without_volatile(v) for k, v in body.items() if k not in ("ingested_at", "updated_at")}
    if isinstance(body, list):
        return [without_volatile(v) for v in body]
    return body


def canonical(body):
    return sorted(json.dumps(item, sort_keys=True) for item in (body.get("items") or body.get("edges") or []))


@pytest.mark.postgres
def test_postgresql_serves_what_sqlite_serves(client, postgres_url):
    store = open_store(postgres_url)
    for spec in ARTICLES:
        store.add(build_extraction(spec))
    cluster_stories(store)
    store.close()
    pg = client_for(postgres_url)
    for path in COMPARED_READS:
        assert without_volatile(pg.get(path).json()) == without_volatile(client.get(path).json()), path
    for path in COMPARED_SETS:
        assert canonical(pg.get(path).json()) == canonical(client.get(path).json()), path
    for path in ["/", "/events?country=UKR", "/graph", "/timeline?interval=week", "/map", "/claims", "/articles/1"]:
        assert pg.get(path).status_code == 200, path
    for name in FILTER_NAMES + ["speaker"]:
        for value in INJECTIONS:
            assert pg.get("/api/events", params={name: value}).status_code in (200, 422), (name, value)
    assert pg.get("/api/graph/edge", params={"source": "\x00", "target": "x"}).status_code == 422


def test_stories_list_story_events_with_their_evidence_one_click_away(client):
    page = client.get("/stories")
    assert page.status_code == 200 and "one row per real-world event" in page.text
    stories = client.get("/api/stories").json()
    assert stories["total"] == 7                # seven events of seven types: no two are one story
    story = client.get(stories["items"][0]["link"].replace("/stories", "/api/stories")).json()
    assert [(e["type"], len(e["mentions"])) for e in story["events"]] == [(stories["items"][0]["type"], 1)]
    assert client.get(stories["items"][0]["link"]).status_code == 200
    assert client.get("/api/stories/999999").status_code == 404
    assert "every extracted event" in page.text and client.get("/events?view=events").status_code == 200


def test_an_events_side_is_its_plover_types_not_a_conflicting_quad_class():
    from eventwire.web.params import is_cooperative
    assert not is_cooperative("ACCUSE", 2)      # CAMEO 090 'investigate' sits in quad class 2
    assert is_cooperative("AGREE", 3)
    assert is_cooperative(None, 1) and not is_cooperative(None, 4)
# What an analyst works with: articles, stories, facets, claims, the API page -----------------------

def titles_of(listing: dict) -> list[str]:
    return [a["title"] for a in listing["items"]]


def test_the_articles_page_lists_the_newest_published_first(client):
    page = client.get("/articles").text
    positions = [page.index(spec["title"].replace("<", "&lt;").replace(">", "&gt;")) for spec in ARTICLES]
    assert positions[2] < positions[1] < positions[0]


def test_articles_sort_by_any_column_both_ways(client):
    by_title = client.get("/api/articles", params={"sort": "title", "order": "asc"}).json()
    assert titles_of(by_title) == ["<script>alert(1)</script> Ministers meet", "Russia strikes Ukraine",
                                   "US accuses Iran of arming Russia"]
    by_events = client.get("/api/articles", params={"sort": "events", "order": "desc"}).json()
    assert [a["events"] for a in by_events["items"]] == [3, 3, 1]
    by_date = client.get("/api/articles", params={"sort": "published", "order": "asc"}).json()
    assert [a["published"] for a in by_date["items"]] == ["2024-09-10", "2024-09-12", "2024-09-20"]


def test_articles_are_found_by_words_of_their_title_or_text(client):
    assert titles_of(client.get("/api/articles", params={"q": "strikes"}).json()) == ["Russia strikes Ukraine"]
    assert titles_of(client.get("/api/articles", params={"q": "missiles"}).json()) == [
        "US accuses Iran of arming Russia"]
    assert client.get("/api/articles", params={"q": "no such words"}).json()["total"] == 0
    page = client.get("/articles", params={"q": "strikes"}).text
    assert "Russia strikes Ukraine" in page and "US accuses Iran" not in page


def test_the_articles_page_shows_the_source_of_each(client):
    page = client.get("/articles", params={"q": "arming"}).text
    assert '<td class="source">Wire One</td>' in page


def test_an_article_read_from_a_file_is_shown_by_its_file_name_only(client):
    listing = client.get("/api/articles", params={"q": "strikes"}).json()["items"][0]
    assert listing["origin"] == "russia-strikes-ukraine.txt"
    one = client.get(f"/api/articles/{listing['id']}").json()
    assert one["article"]["origin"] == "russia-strikes-ukraine.txt"


def test_no_page_or_api_answer_shows_the_server_path(client):
    story_ids = [s["id"] for s in client.get("/api/stories", params={"limit": 100}).json()["items"]]
    article_ids = [a["id"] for a in client.get("/api/articles").json()["items"]]
    paths = (["/", "/articles", "/events", "/stories", "/claims", "/api/articles", "/api/stories"]
             + [f"/articles/{i}" for i in article_ids] + [f"/api/articles/{i}" for i in article_ids]
             + [f"/stories/{i}" for i in story_ids] + [f"/api/stories/{i}" for i in story_ids])
    leaks = [p for p in paths if "/srv/eventwire-inbox" in client.get(p).text]
    assert len(paths) > 12 and leaks == []


def test_the_old_story_view_of_events_moves_to_stories_with_its_filters(client):
    r = client.get("/events", params={"view": "stories", "country": "RUS"}, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/stories?country=RUS"


def test_events_are_listed_one_by_one_at_events(client):
    page = client.get("/events").text
    assert 'id="events-table"' in page and page.count('<td class="evidence">') == 7


def test_stories_sort_by_mentions_articles_sources_and_date(client):
    for key in ("mentions", "articles", "sources", "date", "source", "target"):
        r = client.get("/stories", params={"sort": key, "order": "asc"})
        assert r.status_code == 200 and f'aria-sort="ascending"' in r.text, key
    assert client.get("/stories", params={"sort": "bogus"}).status_code == 422


def test_stories_filter_like_events(client):
    page = client.get("/stories", params={"type": "ASSAULT"}).text
    assert 'id="event-total">1<' in page and "launched drones" in page


def test_a_story_page_shows_its_events_sentences_and_articles_by_title(client):
    story = next(s for s in client.get("/api/stories").json()["items"] if s["type"] == "ASSAULT")
    page = client.get(f"/stories/{story['id']}").text
    assert "Russia launched drones against Ukraine overnight." in page
    assert ">Russia strikes Ukraine</a>" in page
    assert "1 event ·" in page and "{&#39;" not in page and "[{" not in page


def test_a_missing_story_is_a_404_page(client):
    assert client.get("/stories/999999").status_code == 404


def test_events_sort_by_modality(client):
    items = client.get("/api/events", params={"sort": "modality", "order": "asc"}).json()["items"]
    assert [e["modality"] for e in items] == sorted(e["modality"] for e in items)
    assert items[0]["modality"] == "asserted" and items[-1]["modality"] == "reported"


def test_events_filter_by_the_sector_of_either_actor(client):
    items = client.get("/api/events", params={"sector": "GOV"}).json()["items"]
    assert [(e["type"], e["source_name"]) for e in items] == [("ACCUSE", "Antony Blinken")]
    assert client.get("/api/events", params={"sector": "G%"}).status_code == 422


def test_events_filter_by_publisher(client):
    items = client.get("/api/events", params={"publisher": "Wire One"}).json()["items"]
    assert sorted(e["type"] for e in items) == ["ACCUSE", "AID", "SANCTION"]


def test_the_events_page_has_facets_by_sector_and_publisher(client):
    page = client.get("/events").text
    assert 'id="facet-sector"' in page and ">government" in page
    assert 'id="facet-publisher"' in page and ">Wire One" in page


def test_a_chosen_facet_can_be_removed_with_one_click(client):
    page = client.get("/events", params={"sector": "GOV"}).text
    assert '<li class="active"><a href="/events?sort=date&amp;order=desc"' in page


def test_the_country_picker_names_the_countries_of_the_store(client):
    page = client.get("/events").text
    assert '<select name="country" id="country-picker">' in page
    assert '<option value="UKR">Ukraine</option>' in page and '<option value="USA">United States</option>' in page
    assert '<option value="FRA">' not in page          # only countries the events name


def test_claims_link_to_their_article_by_title(client):
    page = client.get("/claims").text
    assert 'class="meta article-link" href="/articles/1">US accuses Iran of arming Russia</a>' in page


def test_the_api_documentation_page_is_served_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200 and 'id="swagger-ui"' in page.text
    assert '<script src="/docs/assets/swagger-ui-bundle.js"></script>' in page.text
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200


@pytest.mark.parametrize("origin, shown", [
    ("/work/shared/corpus/bbc/politics/001.txt", "001.txt"),
    ("/tmp/in/basil.jsonl:11", "basil.jsonl:11"),
    ("C:\\news\\today\\a.html", "a.html"),
    ("https://example.org/news/1.html", "https://example.org/news/1.html"),
    ("<stdin>", "<stdin>"),
    (None, None),
])
def test_an_origin_is_shown_as_a_file_name_or_url(origin, shown):
    from eventwire.web.queries import public_origin
    assert public_origin(origin) == shown


def test_an_article_links_to_its_web_page_only_over_http(tmp_path):
    db = str(tmp_path / "urls.db")
    store = open_store(db)
    for spec, url in zip(ARTICLES, ["https://example.org/a.html", "javascript:alert(1)"]):
        x = build_extraction(spec)
        x.article.url = url
        assert store.add(x) is not None
    store.close()
    client = client_for(db)
    assert '<a class="url" href="https://example.org/a.html" rel="noopener noreferrer nofollow">' in client.get(
        "/articles/1").text
    page = client.get("/articles/2").text
    assert '<span class="url">javascript:alert(1)</span>' in page and 'href="javascript' not in page


# A long article ----------------------------------------------------------------------------------

LONG_LINE = "Officials in Kyiv said Russia launched drones against Ukraine overnight, and Iran denied it. "


def long_extraction(chars: int, events_every: int = 5) -> Extraction:
    """An article of `chars` characters, every sentence with three actor mentions, every fifth with an event."""
    count = chars // len(LONG_LINE) + 1
    text = LONG_LINE * count
    sentences = [Sentence(i, i, LONG_LINE.strip(), i * len(LONG_LINE), (i + 1) * len(LONG_LINE) - 1)
                 for i in range(count)]
    x = Extraction(Article(text=text, title="A very long report", published=date(2024, 9, 1), origin="test:long"),
                   sentences=sentences)
    x.actors = [Actor(name, "country", country=code, code=code, rule="test", mentions=[
        Mention(t.index, name, t.start + LONG_LINE.index(name), t.start + LONG_LINE.index(name) + len(name))
        for t in sentences]) for name, code in (("Russia", "RUS"), ("Ukraine", "UKR"), ("Iran", "IRN"))]
    trigger = LONG_LINE.index("launched")
    x.events = [Event(type="ASSAULT", source=x.actors[0], target=x.actors[1], trigger="launched", rule="test:assault",
                      mentions=[Mention(t.index, t.text, t.start, t.end, trigger_start=t.start + trigger,
                                        trigger_end=t.start + trigger + 8)], quad_class=4, confidence=0.8, id=t.index)
                for t in sentences[::events_every]]
    x.meta = {"eventwire_version": "test", "model": "none", "model_version": "0"}
    return x


@pytest.fixture(scope="module")
def long_article(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("long") / "long.db")
    store = open_store(db)
    article_id = store.add(long_extraction(1_100_000))
    store.close()
    return client_for(db), article_id


def test_a_1mb_article_page_is_rendered_in_under_a_second(long_article):
    import time
    client, article_id = long_article
    client.get(f"/articles/{article_id}")          # the first request also warms the templates
    started = time.process_time()                  # CPU time: the machine may be busy with other work
    r = client.get(f"/articles/{article_id}")
    elapsed = time.process_time() - started
    assert r.status_code == 200 and elapsed < 1.0, elapsed


def test_a_long_article_shows_its_start_and_links_the_whole_text(long_article):
    from eventwire.web.highlight import MAX_SHOWN_CHARS
    client, article_id = long_article
    page = client.get(f"/articles/{article_id}").text
    assert '<span class="sentence" id="s-0">' in page and "more characters not shown" in page
    assert f'href="/api/articles/{article_id}">the whole text</a>' in page
    shown_sentences = page.count('<span class="sentence"')
    assert 0 < shown_sentences <= MAX_SHOWN_CHARS // len(LONG_LINE) + 1
    assert len(client.get(f"/api/articles/{article_id}").json()["text"]) >= 1_100_000


def test_a_long_dense_article_page_stays_small_and_says_what_it_leaves_out(long_article):
    """A browser gets a few hundred kilobytes, not megabytes: the text up to MAX_SHOWN_HIGHLIGHTS highlights
    (every sentence of this one names three actors), MAX_CARDS events, and links to the whole of both."""
    from eventwire.web.highlight import MAX_SHOWN_HIGHLIGHTS
    from eventwire.web.pages import MAX_CARDS
    client, article_id = long_article
    page = client.get(f"/articles/{article_id}").text
    assert len(page.encode()) < 500_000
    text = page[page.index('<article class="text"'):page.index("</article>")]
    assert MAX_SHOWN_HIGHLIGHTS - 10 <= text.count("<mark") <= MAX_SHOWN_HIGHLIGHTS
    assert "more characters not shown" in text and f'href="/api/articles/{article_id}">the whole text</a>' in text
    assert text[:text.index('<span class="more">')].endswith(" denied it.</span>")        # whole sentences
    assert page.count('class="card event"') == MAX_CARDS and "more events not listed here" in page


def test_an_event_told_in_many_sentences_links_a_few_and_counts_the_rest(tmp_path):
    from eventwire.web.pages import MAX_EVIDENCE
    x = long_extraction(20 * len(LONG_LINE), events_every=100)
    told = [Mention(t.index, t.text, t.start, t.end, trigger_start=t.start + LONG_LINE.index("launched"),
                    trigger_end=t.start + LONG_LINE.index("launched") + 8) for t in x.sentences[:MAX_EVIDENCE + 4]]
    x.events[0].mentions = told
    db = str(tmp_path / "told.db")
    store = open_store(db)
    article_id = store.add(x)
    store.close()
    page = client_for(db).get(f"/articles/{article_id}").text
    card = page[page.index('class="card event"'):]
    card = card[:card.index("</li>")]
    assert card.count('class="to-sentence"') == MAX_EVIDENCE and 'href="#s-0"' in card
    assert "and 4 more sentences" in card
    assert len(client_for(db).get(f"/api/articles/{article_id}").json()["events"][0]["mentions"]) == MAX_EVIDENCE + 4


def test_highlighting_time_grows_linearly_with_the_text():
    import time
    from eventwire.web.highlight import article_html

    def seconds(chars: int) -> float:
        """The least CPU time of three runs, the collector paused: a collection of the large run's garbage
        inside one timing is not the highlighting's cost."""
        import gc
        document = long_extraction(chars, events_every=1).to_dict()
        text = LONG_LINE * (chars // len(LONG_LINE) + 1)
        times = []
        for _ in range(3):
            gc.collect()
            gc.disable()
            try:
                started = time.process_time()
                article_html(text, document, limit=10**9, most=10**9)
                times.append(time.process_time() - started)
            finally:
                gc.enable()
        return min(times)
    small, large = seconds(25_000), seconds(200_000)
    assert large < 20 * small and large < 2.0, (small, large)   # quadratic would be 64 times


def test_a_short_article_is_shown_whole_without_a_link(client):
    first = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    page = client.get(f"/articles/{first['id']}").text
    assert "more characters not shown" not in page
