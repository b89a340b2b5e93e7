"""The store, the same tests over SQLite and a real PostgreSQL: writes, filters, paging, aggregates, migrations."""
from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from pgserver import db_url, postgres_server, postgres_url  # noqa: F401 - fixtures

from eventwire.clean import clean
from eventwire.scale.stories import cluster_stories
from eventwire.model import Actor, Article, Claim, Event, Extraction, Mention, Quote, Stance, When
from eventwire.store import open_store, schema
from eventwire.store.queries import MAX_PAGE, EventFilter

V1_STORE = Path(__file__).parent / "data" / "store_v1.sqlite"


# --- extractions built by hand: the store is tested without spaCy, on values chosen to tell filters apart ---

def actor(name: str, country: str | None, kind: str = "country", code: str | None = None) -> Actor:
    return Actor(name=name, kind=kind, country=country, code=code or country, rule="test")


def mention(text: str, words: str) -> Mention:
    start = text.index(words)
    return Mention(sentence=0, text=words, start=start, end=start + len(words))


def event(text: str, words: str, type_: str, source: Actor | None, target: Actor | None, day: date | None,
          modality: str = "asserted", trigger: str | None = None, quad_class: int = 3) -> Event:
    return Event(type=type_, source=source, target=target, trigger=trigger or words.split()[1], rule="test",
                 mentions=[mention(text, words)], modality=modality, quad_class=quad_class, goldstein=-2.0,
                 when=When(day, precision="day", source="sentence") if day else None, confidence=0.8)


def extraction(text: str, title: str | None = None, published: date | None = None, source: str | None = None,
               events=(), quotes=(), claims=(), actors=(), url: str | None = None) -> Extraction:
    x = clean(Extraction(Article(text=text, title=title, published=published, source=source, url=url,
                                 origin=f"test:{title}")))
    x.events, x.quotes, x.claims, x.actors = list(events), list(quotes), list(claims), list(actors)
    for i, e in enumerate(x.events, 1):
        e.id = i
    x.meta = {"eventwire_version": "0.1.0", "model": "en_test", "model_version": "1"}
    return x


RUS, UKR, USA = actor("Russia", "RUS"), actor("Ukraine", "UKR"), actor("United States", "USA")
MACRON, SCHOLZ = actor("Emmanuel Macron", "FRA", "person", "FRAGOV"), actor("Olaf Scholz", "DEU", "person", "DEUGOV")

T1 = "Russia accused Ukraine of shelling a border town on Monday. Ukraine rejected the charge."
T2 = "The United States imposed sanctions on Russia on Tuesday, officials said. Russia denied any wrongdoing."
T3 = "Russia did not accuse Ukraine of anything on Sunday, the ministry said. Emmanuel Macron met Olaf Scholz."


def corpus() -> list[Extraction]:
    """Three articles, five events: two weeks, a Sunday, a dateless event, each modality filter tellable."""
    e1 = event(T1, "Russia accused Ukraine", "ACCUSE", RUS, UKR, date(2022, 3, 7))
    e2 = event(T1, "Ukraine rejected the charge", "REJECT", UKR, RUS, date(2022, 3, 7), trigger="rejected")
    e3 = event(T2, "United States imposed sanctions on Russia", "SANCTION", USA, RUS, date(2022, 3, 8),
               modality="reported", trigger="imposed", quad_class=4)
    e4 = event(T3, "Russia did not accuse Ukraine", "ACCUSE", RUS, UKR, date(2022, 3, 20), modality="denied",
               trigger="accuse")
    e5 = event(T3, "Emmanuel Macron met Olaf Scholz", "CONSULT", MACRON, SCHOLZ, None, trigger="met", quad_class=1)
    said = mention(T2, "officials said")
    quote = Quote(speaker=USA, text="imposed sanctions", type="indirect", cue="said", start=said.start,
                  end=said.end, sentence=0)
    contested = Claim(e3, [Stance(USA, "asserted", said), Stance(RUS, "denied", mention(T2, "Russia denied"))])
    return [extraction(T1, "Russia accuses Ukraine", date(2022, 3, 7), "Wire A", [e1, e2], actors=[RUS, UKR]),
            extraction(T2, "Sanctions on Russia", date(2022, 3, 8), "Wire B", [e3], [quote], [contested],
                       actors=[USA, RUS]),
            extraction(T3, "A quiet Sunday", date(2022, 3, 21), "Wire C", [e4, e5], actors=[RUS, UKR, MACRON, SCHOLZ])]


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture imported above
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def filled(store):
    for x in corpus():
        assert store.add(x) is not None
    return store


def ids_of(rows) -> list[int]:
    return [r["id"] for r in rows]


def triggers(store, **filters) -> set[str]:
    return {r["trigger"] for r in store.events(EventFilter(**filters), limit=100)}


# --- writes ---

def test_add_then_has_and_a_second_copy_is_a_no_op(store):
    x = corpus()[0]
    assert not store.has(x.content_hash)
    article_id = store.add(x)
    assert article_id is not None and store.has(x.content_hash)
    assert store.add(corpus()[0]) is None
    assert store.count("articles") == 1 and store.count("events") == 2
    assert store.known_hashes([x.content_hash, "0" * 64]) == {x.content_hash}


def test_a_stored_article_reads_back_with_its_document(filled):
    first = filled.articles(limit=1)[0]
    article = filled.article(first["id"])
    assert article["title"] == "Russia accuses Ukraine" and article["source"] == "Wire A"
    assert article["document"]["article"]["hash"] == corpus()[0].content_hash
    assert filled.article(10**6) is None


def test_text_that_neither_driver_takes_as_is_is_stored_one_character_for_one(store):
    text = "Russia accused Ukraine \x00 of shelling \ud800 a town, officials in Kyiv said on Monday evening."
    article_id = store.add(extraction(text, "Odd bytes"))
    stored = store.article(article_id)["text"]
    assert len(stored) == len(text) and "\ud800" not in stored


# --- the read side ---

def test_events_filter_by_actor(filled):
    assert triggers(filled, actor="ukr") == {"accused", "rejected", "accuse"}
    assert triggers(filled, actor="MACRON") == {"met"}


def test_wildcards_typed_into_a_filter_match_themselves_only(filled):
    for value in ("%", "_", "%%", "_%_"):
        assert triggers(filled, actor=value) == set() and triggers(filled, q=value) == set()
    assert filled.actors(q="%") == [] and filled.quotes(speaker="_") == []


def test_events_filter_by_country_and_side(filled):
    assert triggers(filled, country="rus", side="source") == {"accused", "accuse"}
    assert triggers(filled, country="RUS", side="target") == {"rejected", "imposed"}
    assert triggers(filled, country="RUS") == {"accused", "rejected", "imposed", "accuse"}
    assert triggers(filled, source="USA", target="RUS") == {"imposed"}


def test_events_filter_by_type_and_modality(filled):
    assert triggers(filled, type="accuse") == {"accused", "accuse"}
    assert triggers(filled, type="ACCUSE, reject") == {"accused", "accuse", "rejected"}
    assert triggers(filled, modality="denied") == {"accuse"}
    assert triggers(filled, modality="reported,denied") == {"imposed", "accuse"}


def test_events_filter_by_dates_and_text(filled):
    assert triggers(filled, since="2022-03-08") == {"imposed", "accuse"}
    assert triggers(filled, until="2022-03-07") == {"accused", "rejected"}
    assert triggers(filled, since="2022-03-08", until="2022-03-08") == {"imposed"}
    assert triggers(filled, q="SANCTIONS") == {"imposed"}
    assert triggers(filled, q="no such words") == set()


def test_paging_is_bounded(filled):
    everything = filled.events(limit=100)
    assert len(everything) == 5 == filled.count_events()
    assert len(filled.events(limit=0)) == 1
    assert len(filled.events(limit=-5)) == 1
    assert ids_of(filled.events(limit=2, offset=-3)) == ids_of(everything[:2])
    assert ids_of(filled.events(limit=2, offset=2)) == ids_of(everything[2:4])
    assert filled.events(limit=10, offset=10**6) == []
    assert len(filled.articles(limit=10**9)) == 3 and MAX_PAGE == 1000


def test_dateless_events_sort_last_either_way(filled):
    newest = [r["date"] for r in filled.events(sort="date", descending=True)]
    oldest = [r["date"] for r in filled.events(sort="date", descending=False)]
    assert newest == ["2022-03-20", "2022-03-08", "2022-03-07", "2022-03-07", None]
    assert oldest == ["2022-03-07", "2022-03-07", "2022-03-08", "2022-03-20", None]


def test_iter_events_streams_everything_in_id_order(filled):
    streamed = list(filled.iter_events(chunk=2))
    assert len(streamed) == 5 and ids_of(streamed) == sorted(ids_of(streamed))
    assert len(list(filled.iter_events(EventFilter(type="ACCUSE"), chunk=1))) == 2


def test_facets(filled):
    assert filled.facets(column="type") == [{"value": "ACCUSE", "n": 2}, {"value": "CONSULT", "n": 1},
                                            {"value": "REJECT", "n": 1}, {"value": "SANCTION", "n": 1}]
    assert filled.facets(EventFilter(country="USA"), column="modality") == [{"value": "reported", "n": 1}]


def test_aggregates_by_day_and_by_week(filled):
    days = {(r["period"], r["type"]): r["n"] for r in filled.aggregates(interval="day")}
    assert days == {("2022-03-07", "ACCUSE"): 1, ("2022-03-07", "REJECT"): 1, ("2022-03-08", "SANCTION"): 1,
                    ("2022-03-20", "ACCUSE"): 1}
    weeks = filled.aggregates(interval="week")
    assert [(r["period"], r["type"], r["n"]) for r in weeks] == [
        ("2022-03-07", "ACCUSE", 1), ("2022-03-07", "REJECT", 1), ("2022-03-07", "SANCTION", 1),
        ("2022-03-14", "ACCUSE", 1)]          # Sunday 20 March belongs to the week of Monday 14 March


def test_pairs(filled):
    pairs = {(r["source"], r["target"], r["quad_class"]): r["n"] for r in filled.pairs()}
    assert pairs == {("RUS", "UKR", 3): 2, ("UKR", "RUS", 3): 1, ("USA", "RUS", 4): 1, ("FRAGOV", "DEUGOV", 1): 1}
    assert filled.pairs(limit=1)[0] == {"source": "RUS", "target": "UKR", "quad_class": 3, "n": 2}


def test_claims_and_contested_claims(filled):
    claims = filled.claims()
    assert len(claims) == 1 and claims[0]["contested"] == 1
    assert {st["event_id"] for st in claims[0]["stances"]} == {filled.events(EventFilter(type="SANCTION"))[0]["id"]}
    assert {s["stance"] for s in claims[0]["stances"]} == {"asserted", "denied"}
    assert len(filled.claims(contested=True)) == 1


def test_actors_and_quotes(filled):
    actors = {r["name"]: r for r in filled.actors()}
    assert actors["Russia"]["articles"] == 3 and actors["Russia"]["events"] == 4
    assert [m["text"] for m in filled.event_mentions(filled.events(EventFilter(type="REJECT"))[0]["id"])] == [
        "Ukraine rejected the charge"]
    assert [r["name"] for r in filled.actors(q="scholz")] == ["Olaf Scholz"]
    assert [q["speaker_name"] for q in filled.quotes(speaker="united")] == ["United States"]


def test_stats(filled):
    stats = filled.stats()
    assert {k: stats[k] for k in ("articles", "events", "actors", "quotes", "claims", "failures")} == {
        "articles": 3, "events": 5, "actors": 8, "quotes": 1, "claims": 1, "failures": 0}
    assert stats["events_by_type"]["ACCUSE"] == 2 and stats["events_by_modality"]["denied"] == 1
    assert stats["contested_claims"] == 1 and stats["stories"] == 0


def test_check_finds_nothing_on_a_sound_store(filled):
    cluster_stories(filled)
    filled.add_failure("bad.html", "no article text found")
    assert filled.check() == []
    assert filled.failures()[0]["origin"] == "bad.html"


def test_check_sees_events_an_ingest_left_without_a_story(filled):
    assert filled.check() == ["5 events not grouped into stories (an ingest stopped before grouping them; "
                              "`eventwire ingest` again groups them)"]
    cluster_stories(filled)
    assert filled.check() == []


def test_the_same_failure_met_again_is_recorded_once(filled):
    for _ in range(3):
        filled.add_failure("bad.html", "no article text found")
    filled.add_failure("bad.html", "another reason")
    assert sorted(f["reason"] for f in filled.failures()) == ["another reason", "no article text found"]


def record_at_once(stores: list, origin: str) -> None:
    """Each store records the same failure, all starting at the same moment (as two ingests of one folder)."""
    meet = threading.Barrier(len(stores))

    def record(store) -> None:
        meet.wait()
        store.add_failure(origin, "no article text found")
    writers = [threading.Thread(target=record, args=(store,)) for store in stores]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()


def test_a_failure_two_writers_meet_at_once_is_recorded_once(db_url):
    """In PostgreSQL each writer would otherwise find no row to update and insert its own."""
    stores = [open_store(db_url) for _ in range(2)]
    try:
        for n in range(40):
            record_at_once(stores, f"bad-{n}.html")
        assert stores[0].check() == []
        assert len(stores[0].failures(limit=100)) == 40
    finally:
        for store in stores:
            store.close()


def test_check_sees_a_failure_recorded_twice(filled):
    cluster_stories(filled)
    with filled.transaction() as c:
        c.execute(schema.failures.insert(), [{"origin": "bad.html", "reason": "empty file", "at": "2024"}] * 2)
    assert filled.check() == ["1 failures recorded more than once"]


# Each inconsistency `check` knows, made in a sound store by SQL, as a crash, a bug or a hand edit would leave it.
CORRUPTIONS = {
    "events not grouped into stories": "UPDATE events SET story_id = NULL WHERE id = (SELECT MIN(id) FROM events)",
    "failures recorded more than once": "INSERT INTO failures (origin, reason, at) "
                                        "SELECT origin, reason, at FROM failures",
    "events in a story that does not exist": "DELETE FROM stories WHERE id = (SELECT MIN(story_id) FROM events)",
    "stories without events": "INSERT INTO stories (match_key, type, events, mentions, articles, sources, copies) "
                              "VALUES ('ACCUSE|-|-', 'ACCUSE', 0, 0, 0, 0, 0)",
    "events without a mention": "DELETE FROM event_mentions WHERE event_id = (SELECT MIN(id) FROM events)",
    "events without their article": "DELETE FROM articles WHERE id = (SELECT MIN(article_id) FROM events)",
    "claims not grouped across articles": "UPDATE claims SET proposition_id = NULL WHERE type IS NOT NULL",
}


def corrupt(store, sql: str) -> None:
    """Run SQL on the store with its foreign keys not enforced, so that it can leave what they would refuse."""
    if store.is_sqlite:
        with sqlite3.connect(store.engine.url.database) as c:     # foreign keys are off unless a connection asks
            c.execute(sql)
        return
    with store.transaction() as c:
        c.exec_driver_sql("SET LOCAL session_replication_role = replica")   # no foreign-key triggers
        c.exec_driver_sql(sql)


@pytest.mark.parametrize("problem", CORRUPTIONS)
def test_check_names_each_inconsistency_it_is_shown(filled, problem):
    cluster_stories(filled)
    filled.add_failure("bad.html", "no article text found")
    assert filled.check() == []
    corrupt(filled, CORRUPTIONS[problem])
    found = filled.check()
    assert any(line.split(" ", 1)[1].startswith(problem) for line in found), found


def test_check_names_every_inconsistency_at_once(filled):
    cluster_stories(filled)
    filled.add_failure("bad.html", "no article text found")
    for problem in ("events not grouped into stories", "failures recorded more than once", "stories without events"):
        corrupt(filled, CORRUPTIONS[problem])
    assert [line.split(" ", 1)[1].split(" (")[0] for line in filled.check()] == [
        "events not grouped into stories", "stories without events", "failures recorded more than once"]


def test_replace_swaps_an_extraction(filled):
    first = filled.articles(limit=1)[0]["id"]
    again = event(T1, "Russia accused Ukraine", "ACCUSE", RUS, UKR, date(2022, 3, 7), trigger="blamed")
    filled.replace(first, extraction(T1, "Russia accuses Ukraine", date(2022, 3, 7), "Wire A", [again]))
    assert triggers(filled, article_id=first) == {"blamed"}
    assert filled.count("events") == 4 and filled.count("articles") == 3
    cluster_stories(filled)
    assert filled.check() == []


def test_each_replaced_extraction_changes_the_rewrite_mark_readers_keep_sums_by(filled):
    """Adding articles leaves the mark as it is; replacing one (reprocess) gives it a new value each time."""
    from eventwire.store.sql import rewritten_mark

    def mark():
        with filled.engine.connect() as c:
            return rewritten_mark(c)
    assert mark() is None
    first = filled.articles(limit=1)[0]["id"]
    marks = []
    for trigger in ("blamed", "faulted"):
        again = event(T1, "Russia accused Ukraine", "ACCUSE", RUS, UKR, date(2022, 3, 7), trigger=trigger)
        filled.replace(first, extraction(T1, "Russia accuses Ukraine", date(2022, 3, 7), "Wire A", [again]))
        marks.append(mark())
    assert None not in marks and marks[0] != marks[1]
    assert filled.add(extraction("Another story entirely.", "More")) is not None
    assert mark() == marks[1]


def test_stale_articles(filled):
    assert filled.stale_articles("0.1.0", "en_test", "1") == []
    assert len(filled.stale_articles("0.2.0", "en_test", "1")) == 3


# --- schema versions ---

def test_a_new_store_is_at_the_current_version(store):
    with store.engine.connect() as c:
        version = c.execute(schema.meta.select().where(schema.meta.c.key == "schema_version")).first()
    assert int(version.value) == schema.SCHEMA_VERSION == 4


def test_a_store_made_at_schema_version_1_opens_in_the_current_code(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(V1_STORE, path)
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
        assert c.execute("SELECT count(*) FROM sqlite_master WHERE name='stories'").fetchone() == (0,)
    store = open_store(str(path))
    try:
        assert store.stats()["events"] == 3 and triggers(store, type="SANCTION") == {"imposed"}
        assert store.stories() == [] and store.check()[0].startswith("3 events not grouped into stories")
        cluster_stories(store)
        assert store.check() == []
    finally:
        store.close()
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("4",)
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
    assert {"stories", "feeds", "feed_items", "signatures", "events_story", "propositions", "claims_proposition",
            "actors_article_name"} <= names


def test_a_store_newer_than_the_code_is_refused(tmp_path):
    from eventwire.store.migrations import SchemaError
    path = str(tmp_path / "future.db")
    open_store(path).close()
    with sqlite3.connect(path) as c:
        c.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(SchemaError):
        open_store(path)


# --- the watcher's state ---

def test_feed_state_and_seen_items(store):
    url = "http://127.0.0.1:1/feed.xml"
    assert store.feed_state(url) is None
    store.save_feed_state(url, etag='"v1"', last_modified="Mon, 07 Mar 2022 10:00:00 GMT", status=200, failures=0)
    store.save_feed_state(url, status=304)
    state = store.feed_state(url)
    assert (state["etag"], state["status"], state["failures"]) == ('"v1"', 304, 0) and state["checked_at"]
    store.mark_seen(url, ["a", "b"])
    store.mark_seen(url, ["b", "c"])
    assert store.seen_items(url, ["a", "c", "d"]) == {"a", "c"}
    assert store.seen_items("/some/folder", ["a"]) == set()
