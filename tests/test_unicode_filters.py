"""Case-insensitive filters in every alphabet ('Ärger', 'Österreich', 'РОССИЯ'), over SQLite and PostgreSQL,
through the store, the HTTP API and the command line (SQLite's lower() and LIKE fold ASCII alone, and so does
PostgreSQL's lower() in a database of the C locale, as tests/pgserver.py makes it)."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from datetime import date

import pytest
from pgserver import db_url, postgres_server, postgres_url  # noqa: F401 - fixtures

from eventwire.clean import clean
from eventwire.model import Actor, Article, Event, Extraction, Mention, Quote, When
from eventwire.store import open_store
from eventwire.store.queries import EventFilter

with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # starlette's note about httpx versions is not ours to fix
    from fastapi.testclient import TestClient
from eventwire.web.app import create_app  # noqa: E402

TEXT = "Österreich warned Россия of ÄRGER over the gas pipeline. Chile praised Peru for the agreement."
AUT, RUS = Actor("Österreich", "country", country="AUT", code="AUT", rule="test"), \
    Actor("Россия", "country", country="RUS", code="RUS", rule="test")
CHL, PER = Actor("Chile", "country", country="CHL", code="CHL", rule="test"), \
    Actor("Peru", "country", country="PER", code="PER", rule="test")


def mention(words: str) -> Mention:
    start = TEXT.index(words)
    return Mention(sentence=0, text=words, start=start, end=start + len(words))


def extraction() -> Extraction:
    x = clean(Extraction(Article(text=TEXT, title="Gas", published=date(2024, 3, 1), origin="test:gas")))
    x.events = [Event(type=type_, source=source, target=target, trigger=trigger, rule="test", mentions=[mention(words)],
                      when=When(date(2024, 3, 1), precision="day", source="sentence"), id=n)
                for n, (words, type_, source, target, trigger) in enumerate(
                    [("Österreich warned Россия of ÄRGER", "THREATEN", AUT, RUS, "warned"),
                     ("Chile praised Peru", "SUPPORT", CHL, PER, "praised")], 1)]
    said = mention("Österreich warned")
    x.quotes = [Quote(speaker=AUT, text="ÄRGER", type="indirect", cue="warned", start=said.start, end=said.end,
                      sentence=0)]
    x.actors = [AUT, RUS, CHL, PER]
    x.meta = {"eventwire_version": "0.1.0", "model": "en_test", "model_version": "1"}
    return x


@pytest.fixture
def db(db_url) -> str:  # noqa: F811 - the fixture imported above
    store = open_store(db_url)
    assert store.add(extraction()) is not None
    store.close()
    return db_url


# (filter, value) -> the triggers of the events it finds
MATCHES = [("q", "ärger", {"warned"}), ("q", "Ärger", {"warned"}), ("q", "ÄRGER", {"warned"}),
           ("actor", "österreich", {"warned"}), ("actor", "ÖSTERREICH", {"warned"}), ("actor", "РОССИЯ", {"warned"}),
           ("actor", "россия", {"warned"}), ("actor", "CHILE", {"praised"}), ("q", "ärgerlich", set())]


def test_the_store_matches_every_alphabet_without_case(db):
    store = open_store(db)
    try:
        for name, value, expected in MATCHES:
            found = {e["trigger"] for e in store.events(EventFilter(**{name: value}))}
            assert found == expected, (name, value)
        assert [a["name"] for a in store.actors(q="ÖSTERREICH")] == ["Österreich"]
        assert [q["speaker_name"] for q in store.quotes(speaker="österreich")] == ["Österreich"]
    finally:
        store.close()


def test_the_http_api_matches_every_alphabet_without_case(db):
    client = TestClient(create_app(db), base_url="http://localhost", raise_server_exceptions=False)
    for name, value, expected in MATCHES:
        r = client.get("/api/events", params={name: value})
        assert r.status_code == 200 and {e["trigger"] for e in r.json()["items"]} == expected, (name, value)
    assert [a["name"] for a in client.get("/api/actors", params={"q": "РОССИЯ"}).json()["items"]] == ["Россия"]
    exported = client.get("/api/export", params={"format": "jsonl", "q": "ärger"}).text.splitlines()
    assert [json.loads(line)["trigger"] for line in exported] == ["warned"]


def test_the_command_line_matches_every_alphabet_without_case(db):
    for name, value, expected in MATCHES[::2]:
        out = subprocess.run([sys.executable, "-m", "eventwire.cli", "events", "--db", db, f"--{name}", value,
                              "--format", "jsonl"], capture_output=True, text=True, check=True).stdout
        assert {json.loads(line)["trigger"] for line in out.splitlines()} == expected, (name, value)
