"""Web and API security, through HTTP on the real app (web/app.py's create_app over a real store).

A Content-Security-Policy on every response; nothing written unless a write token is configured and
presented; SQL injection strings in every filter give 200 or 422, never 500, and leave the tables whole;
page sizes are bounded; the server binds 127.0.0.1 unless told otherwise; schemathesis finds no 500.
"""
from __future__ import annotations

import inspect
import os
import socket
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import psutil
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import eventwire
from eventwire.cli import build_parser
from eventwire.store import open_store
from eventwire.web import app as web_app
from eventwire.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "a-long-random-write-token-0123456789"
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE events; --", "%' --", '" OR 1=1', "\x00", "x\x00' OR 1=1 --",
              "a" * 3000, "%", "_", "\\", "'; DELETE FROM articles WHERE '1'='1", "1 UNION SELECT * FROM articles",
              "${7*7}", "../../etc/passwd", "\u202e\u0000\ud7ff"]
WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
SCHEMATHESIS_EXAMPLES = 100         # per operation and mode; a couple of minutes at most
SAMPLE_IDS = {"article_id": "1", "event_id": "1", "path": "style.css"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A store holding the bundled samples, extracted by the real pipeline."""
    path = tmp_path_factory.mktemp("security") / "store.db"
    store = open_store(str(path))
    try:
        for sample in sorted((ROOT / "samples").glob("*.txt")):
            store.add(eventwire.extract(sample.read_text(), published="2024-05-01"))
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def no_token_env():
    """The write token may come from the environment: make sure it does not, for these tests."""
    saved = os.environ.pop(web_app.WRITE_TOKEN_ENV, None)
    yield
    if saved is not None:
        os.environ[web_app.WRITE_TOKEN_ENV] = saved


@pytest.fixture(scope="module")
def client(db, no_token_env):
    with TestClient(create_app(str(db)), base_url="http://localhost", raise_server_exceptions=False) as c:
        yield c


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {t: c.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return counts


def all_routes(app) -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, looking into included routers and mounts."""
    out = []

    def walk(routes, prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):             # FastAPI's included router
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "methods") and route.methods:
                out.append((prefix + route.path, set(route.methods)))
            elif hasattr(route, "app") and hasattr(route, "path"):   # a mount (static files)
                out.append((prefix + route.path + "/{path}", {"GET"}))

    walk(app.routes, "")
    return out


def concrete(path: str) -> str:
    for name, value in SAMPLE_IDS.items():
        path = path.replace("{" + name + "}", value)
    return path


def get_operations(app) -> list[tuple[str, list[str]]]:
    """Every GET operation of the OpenAPI schema with its query parameters."""
    out = []
    for path, operations in app.openapi()["paths"].items():
        if "get" in operations:
            out.append((concrete(path), [p["name"] for p in operations["get"].get("parameters", [])
                                         if p["in"] == "query"]))
    return out


def assert_csp(response) -> None:
    csp = response.headers.get("content-security-policy") or response.headers.get("Content-Security-Policy") or ""
    csp = " ".join(csp) if isinstance(csp, list) else csp         # schemathesis gives each header as a list
    assert "default-src 'self'" in csp and "script-src 'self'" in csp, (response.request.url, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


# --- headers --------------------------------------------------------------------------------------

def test_every_response_carries_a_content_security_policy(client):
    paths = [concrete(path) for path, methods in all_routes(client.app) if "GET" in methods]
    paths += ["/no/such/page", "/api/no-such-endpoint", "/api/events?limit=0", "/api/articles/999999",
              "/events?since=nonsense", "/static/nope.js"]
    assert len(paths) > 20
    for path in paths:
        assert_csp(client.get(path, params={"lat": 0, "lon": 0, "source": "a", "target": "b"}
                              if "/map/place" in path or "/graph/edge" in path else None))
    for method in WRITE_METHODS:
        assert_csp(client.request(method, "/api/events"))
    assert_csp(client.post("/api/articles", json={"text": "x"}))


# --- writing --------------------------------------------------------------------------------------

def test_no_route_writes_without_a_configured_write_token(client, db):
    before = table_counts(db)
    tried = 0
    for path, _ in all_routes(client.app):
        for method in WRITE_METHODS:
            for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": "Bearer "}):
                response = client.request(method, concrete(path), json={"text": "Peru condemned Chile."},
                                          headers=headers)
                tried += 1
                assert response.status_code in (403, 404, 405, 422), (method, path, response.status_code)
    assert tried > 100
    assert table_counts(db) == before


def test_writing_needs_the_configured_token_presented_exactly(db, no_token_env):
    body = {"text": "Peru condemned Chile over the border incident on Tuesday, officials said.",
            "published": "2024-05-02"}
    with TestClient(create_app(str(db), write_token=TOKEN), base_url="http://localhost",
                    raise_server_exceptions=False) as c:
        before = table_counts(db)
        refused = [c.post("/api/articles", json=body, headers=h).status_code for h in (
            {}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
            {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": TOKEN}, {"X-Write-Token": TOKEN})]
        refused.append(c.post(f"/api/articles?token={TOKEN}", json=body).status_code)
        assert refused == [403] * 7
        for method in ("PUT", "DELETE", "PATCH"):
            assert c.request(method, "/api/articles", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405
        assert table_counts(db) == before
        accepted = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert accepted.status_code == 201, accepted.text
        assert table_counts(db)["articles"] == before["articles"] + 1


# --- injection and bounds -------------------------------------------------------------------------

def test_injection_strings_in_every_filter_give_200_or_422_and_leave_the_tables_whole(client, db):
    before = table_counts(db)
    operations = get_operations(client.app)
    assert any(path == "/api/events" and "actor" in params for path, params in operations)
    tried = 0
    for path, params in operations:
        for value in INJECTIONS:
            for chosen in [[p] for p in params] + ([params] if params else []):
                response = client.get(path, params={p: value for p in chosen})
                tried += 1
                assert response.status_code in (200, 422), (path, chosen, value[:40], response.status_code)
                assert_csp(response)
    for path in ("/events", "/articles", "/claims", "/", "/graph", "/timeline", "/map"):
        for value in INJECTIONS:
            response = client.get(path, params={"actor": value, "q": value, "country": value, "type": value})
            assert response.status_code in (200, 422), (path, value[:40], response.status_code)
    assert tried > 1000
    very_long = client.get("/api/events", params={"q": "' OR 1=1 --" * 1500})
    assert very_long.status_code in (200, 414, 422)
    assert table_counts(db) == before


def test_like_wildcards_in_a_filter_match_themselves_only(client):
    """'%' or '_' typed into a filter is a character to find, not a pattern matching every row."""
    assert client.get("/api/events").json()["total"] > 0
    for value in ("%", "_", "%%", "_%_"):
        assert client.get("/api/events", params={"actor": value}).json()["total"] == 0
        assert client.get("/api/events", params={"q": value}).json()["total"] == 0


@pytest.mark.parametrize("limit", [10**9, 2**63, -1, 0, "1e9", "all"])
def test_page_sizes_are_bounded(client, limit):
    for path, params in get_operations(client.app):
        if "limit" not in params:
            continue
        extra = {"lat": 0, "lon": 0} if "lat" in params else {"source": "a", "target": "b"} if "source" in params else {}
        response = client.get(path, params={"limit": limit, **extra})
        assert response.status_code in (200, 422), (path, limit, response.status_code)
        if response.status_code == 200:
            assert len(response.json()["items"]) <= 1000
    assert client.get("/api/events", params={"page": 10**12}).status_code == 422


# --- binding --------------------------------------------------------------------------------------

def test_the_server_binds_loopback_by_default(tmp_path):
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert inspect.signature(web_app.serve).parameters["host"].default == "127.0.0.1"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", str(tmp_path / "s.db"),
                               "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        listening = []
        deadline = time.monotonic() + 60
        while not listening and time.monotonic() < deadline:
            assert server.poll() is None, "eventwire serve exited"
            listening = [c.laddr for c in psutil.Process(server.pid).net_connections(kind="inet")
                         if c.status == psutil.CONN_LISTEN]
            time.sleep(0.1)
        assert listening and all(address.ip == "127.0.0.1" for address in listening), listening
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- schemathesis ---------------------------------------------------------------------------------

def schemathesis_operations(db: Path) -> list:
    """Every operation of the app's /openapi.json, driven in-process (ASGI) by schemathesis."""
    # schemathesis drives the app through Starlette's test client, whose requests name the host "testserver"
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(str(db), allowed_hosts=["testserver"]))
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error(db, no_token_env, mode):
    """Valid and invalid requests generated from the schema for every operation: none may give a 500.
    (Driven through schemathesis's Python API: its pytest plugin does not run under pytest 9.)"""
    operations = schemathesis_operations(db)
    assert len(operations) >= 15
    calls = []
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=SCHEMATHESIS_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_server_error(case):
            response = case.call()
            calls.append(response.status_code)
            assert response.status_code < 500, (case.method, case.path, case.query, response.text[:300])
            assert_csp(response)

        try:
            no_server_error()
        except Unsatisfiable:            # nothing invalid can be sent to an operation without parameters
            assert mode is GenerationMode.NEGATIVE
    assert len(calls) >= len(operations) * 5


# --- host names and cross-origin writes (DNS rebinding, CSRF) -------------------------------------

REBOUND = {"Host": "attacker.example:8000"}


@pytest.mark.parametrize("path", ["/api/events", "/api/articles/1", "/api/export?format=csv", "/articles/1", "/",
                                  "/static", "/openapi.json"])
def test_a_foreign_host_name_is_refused(client, path):
    """A page whose name was rebound to 127.0.0.1 sends its own name as the Host: nothing is answered."""
    response = client.get(path, headers=REBOUND, follow_redirects=False)
    assert response.status_code == 400 and "attacker" not in response.text
    assert "location" not in response.headers
    assert_csp(response)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."])
def test_the_loopback_names_are_answered(client, host):
    assert client.get("/api/stats", headers={"Host": host}).status_code == 200


def test_static_redirects_stay_on_an_allowed_host(client):
    response = client.get("/static", headers={"Host": "localhost:8000"}, follow_redirects=False)
    assert response.status_code in (307, 404)
    assert response.headers.get("location", "").startswith(("/", "http://localhost:8000/"))


def test_names_the_user_adds_are_answered(db, no_token_env, monkeypatch):
    app = create_app(str(db), allowed_hosts=["events.example.org"])
    with TestClient(app, base_url="http://events.example.org", raise_server_exceptions=False) as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"Host": "other.example.org"}).status_code == 400
    monkeypatch.setenv(web_app.HOSTS_ENV, "wire.example.net, more.example.net")
    with TestClient(create_app(str(db)), base_url="http://more.example.net", raise_server_exceptions=False) as c:
        assert c.get("/api/stats").status_code == 200


def test_a_server_bound_to_every_address_answers_addresses_but_not_names(db, no_token_env):
    with TestClient(create_app(str(db), bound_host="0.0.0.0"), base_url="http://192.0.2.7:8000",
                    raise_server_exceptions=False) as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers=REBOUND).status_code == 400


def test_serve_passes_the_bound_host_and_the_added_names():
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--allow-host", "a.example", "--allow-host",
                                      "b.example"])
    assert (args.host, args.allow_host) == ("0.0.0.0", ["a.example", "b.example"])


@pytest.mark.parametrize("headers", [{"Origin": "http://attacker.example"}, {"Origin": "null"},
                                     {"Origin": "http://localhost:9999"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"}])
def test_a_write_from_another_origin_is_refused_even_with_the_token(db, no_token_env, headers):
    body = {"text": "Peru condemned Chile over the border incident on Tuesday, officials said."}
    with TestClient(create_app(str(db), write_token=TOKEN), base_url="http://localhost",
                    raise_server_exceptions=False) as c:
        before = table_counts(db)
        response = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}", **headers})
        assert response.status_code == 403 and "cross-origin" in response.json()["detail"]
        assert table_counts(db) == before


def test_a_same_origin_write_with_the_token_is_accepted(db, no_token_env):
    body = {"text": "Chile protested to Peru about the fishing boats seized near Arica on Wednesday, officials said."}
    with TestClient(create_app(str(db), write_token=TOKEN), base_url="http://localhost",
                    raise_server_exceptions=False) as c:
        response = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}",
                                                               "Origin": "http://localhost",
                                                               "Sec-Fetch-Site": "same-origin"})
        assert response.status_code == 201, response.text
        same_origin_without_token = c.post("/api/articles", json=body, headers={"Origin": "http://localhost"})
        assert same_origin_without_token.status_code == 403


def test_reads_from_another_origin_carry_no_cors_permission(client):
    response = client.get("/api/events", headers={"Origin": "http://attacker.example"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
