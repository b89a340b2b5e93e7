"""Every page and API route over a store of real articles: no raw Python data, no path of the server's disk.

The routes are read from the app (app.routes), so a new route is walked without editing this file; its path
parameters are filled with every id the store holds, its required query parameters from the store's own
answers (a required parameter not known here fails the test, so it cannot be skipped silently).
The store: 20 BBC politics articles read from their files (their origins are absolute paths) and 10 BASIL
articles as JSON Lines; built when ../shared is present, skipped when not.
"""
from __future__ import annotations

import html
import json
import re
import warnings
from pathlib import Path
from urllib.parse import urlencode

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from fastapi.routing import APIRoute

from eventwire.api import ingest
from eventwire.store import open_store

BBC_FILES = 20
BASIL_FILES = 10          # the first ten: three triplets (one story told by three outlets) and one more
RAW_REPR = ("{'", "'}", "[{", "}]", "[('", "object at 0x")
LOCAL_PATH = re.compile(r"(?<![\w.:/%-])/(?:work|tmp|home|root|srv|var|usr)/")
JSON_DATA = re.compile(r'<script type="application/json"[^>]*>.*?</script>', re.S)


def basil_jsonl(files: list[Path], out: Path) -> Path:
    """BASIL articles as JSON Lines (title, text, date, url, outlet): paragraphs of sentences, joined."""
    with out.open("w", encoding="utf-8") as f:
        for path in files:
            d = json.loads(path.read_text(encoding="utf-8"))
            text = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in d["body-paragraphs"])
            f.write(json.dumps({"id": path.stem, "title": d.get("title"), "text": text, "published": d.get("date"),
                                "url": d.get("url"), "source": d.get("source")}) + "\n")
    return out


@pytest.fixture(scope="module")
def real_store(corpus, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("walk")
    bbc = sorted((corpus / "bbc" / "politics").glob("*.txt"))[:BBC_FILES]
    basil = basil_jsonl(sorted((corpus / "basil" / "articles").glob("*/*.json"))[:BASIL_FILES], tmp / "basil.jsonl")
    db = str(tmp / "real.db")
    summary = ingest([str(p) for p in bbc] + [str(basil)], db=db)
    assert summary.stored == BBC_FILES + BASIL_FILES
    store = open_store(db)
    origins = [a["origin"] for a in store.articles(limit=1000)]
    store.close()
    return {"db": db, "forbidden": sorted(set(origins) | {str(corpus), str(tmp), str(tmp / "basil.jsonl")})}


@pytest.fixture(scope="module")
def app(real_store):
    from eventwire.web.app import create_app
    return create_app(real_store["db"])


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app, base_url="http://localhost", raise_server_exceptions=False)


def ids(client, listing: str, key: str = "items") -> list[int]:
    return [item["id"] for item in client.get(listing, params={"limit": 500}).json()[key]]


@pytest.fixture(scope="module")
def fills(client) -> dict:
    """Values for every path and required query parameter a route of the app takes."""
    graph = client.get("/api/graph").json()
    edge = graph["edges"][0]
    place = client.get("/api/map").json()["items"][0]
    events = client.get("/api/events", params={"limit": 500}).json()["items"]
    return {"article_id": ids(client, "/api/articles"), "story_id": ids(client, "/api/stories"),
            "event_id": [e["id"] for e in events],
            "source": [edge["source"]], "target": [edge["target"]], "id": [graph["nodes"][0]["id"]],
            "lat": [place["lat"]], "lon": [place["lon"]]}


def get_routes(app) -> list[APIRoute]:
    return list(walk_routes(app.routes))


def walk_routes(routes):
    """GET routes, also inside included routers (newer FastAPI keeps a router whole: `original_router`).
    The app includes its routers without a prefix of their own, so each route's path is its whole path."""
    for route in routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from walk_routes(inner.routes)


def query_params(dependant) -> list:
    return list(dependant.query_params) + [p for d in dependant.dependencies for p in query_params(d)]


def required_query(route: APIRoute) -> list[str]:
    return [p.alias for p in query_params(route.dependant) if p.field_info.is_required()]


def urls_of(route: APIRoute, fills: dict) -> list[str]:
    """The route with each path parameter set to every value the store has (one at a time)."""
    names = re.findall(r"{(\w+)}", route.path)
    missing = [n for n in names + required_query(route) if n not in fills]
    assert missing == [], f"{route.path}: no value known for {missing}; add one to fills()"
    query = urlencode({n: fills[n][0] for n in required_query(route)})
    paths = [route.path]
    for name in names:
        paths = [p.replace("{" + name + "}", str(v)) for p in paths for v in fills[name]]
    return [p + (f"?{query}" if query else "") for p in paths]


def every_url(app, fills: dict) -> list[str]:
    return [url for route in get_routes(app) for url in urls_of(route, fills)] + [
        "/openapi.json", "/articles?sort=title&order=asc", "/events?sort=modality", "/stories?sort=mentions",
        "/stories?country=GBR", "/events?sector=GOV", "/articles?q=minister", "/api/export?format=csv"]


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings_in(k) + strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def text_to_check(response) -> list[str]:
    """What a reader sees: the page's text (entities decoded, its JSON data apart), or every string of JSON."""
    kind = response.headers.get("content-type", "")
    if "json" in kind:
        lines = response.text.splitlines() if "ndjson" in kind else [response.text]
        return [s for line in lines if line.strip() for s in strings_in(json.loads(line))]
    return [html.unescape(JSON_DATA.sub("", response.text))]


def faults(response, forbidden: list[str]) -> list[str]:
    out = []
    for text in text_to_check(response):
        out += [f"raw data {mark!r}" for mark in RAW_REPR if mark in text]
        out += [f"path {m.group(0)!r}" for m in LOCAL_PATH.finditer(text)]
    out += [f"path {path!r}" for path in forbidden if path in response.text]
    return sorted(set(out))


def test_the_store_holds_files_read_from_absolute_paths(real_store):
    assert any(origin.startswith("/") for origin in real_store["forbidden"])


def test_every_route_is_walked(app, fills):
    walked = {route.path for route in get_routes(app)}
    assert {"/", "/articles", "/articles/{article_id}", "/events", "/stories", "/stories/{story_id}", "/claims",
            "/docs", "/api/articles/{article_id}", "/api/stories/{story_id}", "/api/events/{event_id}"} <= walked
    assert len(fills["article_id"]) == BBC_FILES + BASIL_FILES and len(fills["story_id"]) >= 10


def test_every_documented_api_route_is_walked(app, client):
    documented = {path for path, ops in client.get("/openapi.json").json()["paths"].items() if "get" in ops}
    assert len(documented) >= 15 and documented <= {route.path for route in get_routes(app)}


def test_no_route_shows_raw_python_data_or_a_server_path(app, client, fills, real_store):
    found = {}
    urls = every_url(app, fills)
    for url in urls:
        response = client.get(url)
        problems = faults(response, real_store["forbidden"])
        if response.status_code != 200:
            problems.append(f"HTTP {response.status_code}")
        if problems:
            found[url] = problems
    assert len(urls) > 100 and found == {}


def test_the_checks_catch_raw_data_and_paths(real_store):
    class Page:
        headers = {"content-type": "text/html"}
        text = "<p>{&#39;type&#39;: &#39;ACCUSE&#39;}</p> read from /work/x/001.txt"
    assert faults(Page, []) == ["path '/work/'", "raw data \"'}\"", "raw data \"{'\""]


def test_a_url_is_no_server_path(real_store):
    class Page:
        headers = {"content-type": "text/html"}
        text = '<a href="https://mobile.nytimes.com/2016/09/29/us/home/tmp/x.html">nyt</a>'
    assert faults(Page, []) == []


def test_the_articles_page_shows_each_outlet(client):
    page = client.get("/articles", params={"sort": "source", "order": "asc"}).text
    assert {"fox", "hpo", "nyt"} <= set(re.findall(r'<td class="source">(\w+)</td>', page))


# The same pages in a real Chromium: what a user sees, with no console error ------------------------

@pytest.mark.browser
def test_every_page_in_chromium_shows_no_raw_data_path_or_console_error(app, client, fills, real_store):
    from test_web_browser import LiveServer, Watched, headless_chromium
    pages = [u for u in every_url(app, fills) if not u.startswith(("/api/", "/openapi.json", "/favicon"))]
    found = {}
    with LiveServer(app) as server, headless_chromium() as browser:
        watched = Watched(browser, server)
        for url in pages:
            page = watched.goto(url)
            if url == "/docs":
                page.wait_for_selector("#swagger-ui .opblock")
            text = page.inner_text("body")
            problems = [f"raw data {m!r}" for m in RAW_REPR if m in text]
            problems += [f"path {m.group(0)!r}" for m in LOCAL_PATH.finditer(text)]
            problems += [f"path {f!r}" for f in real_store["forbidden"] if f in text] + watched.problems
            if problems:
                found[url] = problems
            watched.problems.clear()
        watched.close()
    assert len(pages) > 60 and found == {}
