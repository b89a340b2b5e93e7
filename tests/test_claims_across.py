"""Claims across articles: one proposition gathers the assertion and the denial, whatever article states them.

The articles in tests/data/claims are the team's own writing; each case is ingested through the CLI, as a
user would, into SQLite and into a real PostgreSQL server.
"""
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pgserver import db_url, postgres_server, postgres_url  # noqa: F401 - fixtures

DATA = Path(__file__).parent / "data" / "claims"
V1_STORE = Path(__file__).parent / "data" / "store_v1.sqlite"
# file -> (published, publisher)
ARTICLES = {
    "missiles-accusation": ("2024-09-10", "Reuters"),
    "missiles-denial": ("2024-09-11", "AP"),
    "shells-accusation": ("2024-03-04", "Yonhap"),
    "shells-denial": ("2024-03-07", "AFP"),
    "unattached-denial": ("2024-05-13", "AFP"),
    "drones-2023": ("2023-06-09", "AP"),
}


def eventwire(*args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def jsonl(tmp_path: Path, *names: str) -> str:
    path = tmp_path / f"{'+'.join(names)}.jsonl"
    with path.open("w") as f:
        for name in names:
            title, text = (DATA / f"{name}.txt").read_text().split("\n", 1)
            published, source = ARTICLES[name]
            f.write(json.dumps({"id": name, "title": title, "text": text, "published": published,
                                "source": source}) + "\n")
    return str(path)


def ingest(db: str, tmp_path: Path, *names: str) -> None:
    eventwire("ingest", jsonl(tmp_path, *names), "--db", db, "--quiet")


def claims(db: str, *flags: str) -> list[dict]:
    out = eventwire("claims", "--db", db, "--format", "jsonl", *flags).stdout.splitlines()
    return [json.loads(line) for line in out]


def sides(claim: dict) -> dict[str, set]:
    out = {"asserted": set(), "denied": set()}
    for st in claim["stances"]:
        if st["stance"] in out:
            out[st["stance"]].add(st["actor_country"])
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The issue's case: the accusation, and a day later the denial naming Moscow, ingested one after the other."""
    tmp = tmp_path_factory.mktemp("both")
    db = str(tmp / "store.db")
    ingest(db, tmp, "missiles-accusation")
    ingest(db, tmp, "missiles-denial")
    return db


def test_the_assertion_and_the_denial_are_one_contested_claim(both):
    contested = claims(both, "--contested")
    assert [(c["type"], c["source_country"], c["target_country"]) for c in contested] == [("AID", "IRN", "RUS")]


def test_the_contested_claim_is_asserted_by_the_usa_and_denied_by_iran(both):
    assert sides(claims(both, "--contested")[0]) == {"asserted": {"USA"}, "denied": {"IRN"}}


def test_each_side_counts_its_articles_and_sources(both):
    claim = claims(both, "--contested")[0]
    assert claim["asserted"] == {"articles": 2, "sources": 2}     # the denial's article also reports the accusation
    assert claim["denied"] == {"articles": 1, "sources": 1}


def test_every_stance_keeps_its_article_sentence_and_offsets(both):
    claim = claims(both, "--contested")[0]
    kanaani = next(st for st in claim["stances"] if st["actor_name"] == "Nasser Kanaani")
    text = (DATA / "missiles-denial.txt").read_text().split("\n", 1)[1]    # the stored text: the title came apart
    assert kanaani["title"] == "Iran denies sending missiles to Russia"
    assert kanaani["evidence"].startswith("Foreign ministry spokesman Nasser Kanaani rejected the accusations")
    assert text[kanaani["start"]:kanaani["end"]] == kanaani["evidence"]


def test_the_claim_spans_both_days(both):
    claim = claims(both, "--contested")[0]
    assert (claim["first_date"], claim["last_date"]) == ("2024-09-10", "2024-09-11")


def test_the_table_output_names_the_sides_and_articles(both):
    out = eventwire("claims", "--db", both, "--contested").stdout
    assert out.startswith("CONTESTED AID Iran (IRN) -> Russia (RUS) 2024-09-10..2024-09-11\n")
    assert "  asserted: 2 articles, 2 sources\n  denied: 1 article, 1 source\n" in out
    assert 'in "US says Iran has sent ballistic missiles to Russia"' in out


def test_ingesting_an_article_again_changes_no_claim(both, tmp_path):
    before = claims(both)
    ingest(both, tmp_path, "missiles-denial")
    assert claims(both) == before


def test_reprocess_keeps_the_claims(both, tmp_path):
    db = str(tmp_path / "copy.db")
    shutil.copy(both, db)
    before = [(c["type"], c["contested"], c["asserted"], c["denied"], sides(c)) for c in claims(db)]
    eventwire("reprocess", "--db", db, "--all")
    assert [(c["type"], c["contested"], c["asserted"], c["denied"], sides(c)) for c in claims(db)] == before


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    """North Korea rejects 'the accusations' three days after Seoul's, naming nothing."""
    tmp = tmp_path_factory.mktemp("later")
    db = str(tmp / "store.db")
    ingest(db, tmp, "shells-accusation", "shells-denial")
    return db


def test_a_later_denial_of_the_accusations_attaches_to_the_earlier_claim(later):
    contested = claims(later, "--contested")
    assert [(c["type"], c["source_country"], c["target_country"]) for c in contested] == [("AID", "PRK", "RUS")]
    assert sides(contested[0]) == {"asserted": {"KOR"}, "denied": {"PRK"}}


def test_the_later_denial_counts_its_own_article(later):
    claim = claims(later, "--contested")[0]
    assert claim["denied"] == {"articles": 1, "sources": 1} and claim["articles"] == 2


def test_a_denial_before_its_accusation_is_not_attached(tmp_path):
    """'An earlier one in the window': a denial dated before any accusation denies nothing yet stored."""
    db = str(tmp_path / "store.db")
    path = tmp_path / "early.jsonl"
    title, text = (DATA / "shells-denial.txt").read_text().split("\n", 1)
    path.write_text(json.dumps({"title": title, "text": text, "published": "2024-03-01"}) + "\n")
    eventwire("ingest", str(path), "--db", db, "--quiet")
    ingest(db, tmp_path, "shells-accusation")
    assert claims(db, "--contested") == []


def test_a_denial_stored_first_is_taken_by_an_accusation_stored_later_but_dated_before(tmp_path):
    db = str(tmp_path / "store.db")
    ingest(db, tmp_path, "shells-denial")
    ingest(db, tmp_path, "shells-accusation")
    assert [sides(c) for c in claims(db, "--contested")] == [{"asserted": {"KOR"}, "denied": {"PRK"}}]


def test_a_denial_of_nothing_named_stays_unattached(tmp_path):
    db = str(tmp_path / "store.db")
    ingest(db, tmp_path, "unattached-denial", "missiles-accusation")
    rows = claims(db)
    unattached = [r["unattached_denial"] for r in rows if "unattached_denial" in r]
    assert [(d["actor_name"], d["actor_country"], d["title"]) for d in unattached] == [
        ("Venezuela", "VEN", "Venezuela rejects accusations")]
    assert [sides(r) for r in rows if "unattached_denial" not in r and r["type"] != "CLAIM"] == [
        {"asserted": {"USA"}, "denied": set()}]
    assert not any(st["actor_name"] == "Venezuela" for r in rows if "unattached_denial" not in r
                   for st in r["stances"])


def test_the_same_countries_months_apart_are_two_claims(tmp_path):
    db = str(tmp_path / "store.db")
    ingest(db, tmp_path, "drones-2023", "missiles-accusation", "missiles-denial")
    aid = [c for c in claims(db) if c.get("type") == "AID"]
    assert sorted((c["first_date"], c["contested"]) for c in aid) == [("2023-06-09", 0), ("2024-09-10", 1)]


def test_the_window_is_configurable(tmp_path, monkeypatch):
    """With a window of 0 days the accusation and the denial a day later stay apart."""
    monkeypatch.setenv("EVENTWIRE_CLAIM_WINDOW_DAYS", "0")
    db = str(tmp_path / "store.db")
    ingest(db, tmp_path, "missiles-accusation", "missiles-denial")
    aid = [c for c in claims(db) if c.get("type") == "AID"]
    assert sorted(c["first_date"] for c in aid) == ["2024-09-10", "2024-09-11"]


def test_a_bad_window_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_CLAIM_WINDOW_DAYS", "soon")
    result = eventwire("ingest", jsonl(tmp_path, "missiles-accusation"), "--db", str(tmp_path / "s.db"),
                       "--quiet", check=False)
    assert result.returncode != 0 and "claim window: 'soon' is not a whole number of days" in result.stderr


@pytest.mark.postgres
def test_the_two_articles_on_postgresql(postgres_url, tmp_path):  # noqa: F811 - fixture
    ingest(postgres_url, tmp_path, "missiles-accusation")
    ingest(postgres_url, tmp_path, "missiles-denial", "shells-accusation", "shells-denial", "unattached-denial")
    contested = claims(postgres_url, "--contested")
    assert [(c["source_country"], c["target_country"], c["asserted"]["articles"], c["denied"]["articles"])
            for c in contested] == [("IRN", "RUS", 2, 1), ("PRK", "RUS", 1, 1)]
    assert [sides(c) for c in contested] == [{"asserted": {"USA"}, "denied": {"IRN"}},
                                             {"asserted": {"KOR"}, "denied": {"PRK"}}]


def test_the_api_shows_the_contested_claim_with_article_links(both):
    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app
    body = TestClient(create_app(both), base_url="http://localhost").get("/api/claims?contested=true").json()
    assert [(c["type"], c["source_country"], c["target_country"]) for c in body["items"]] == [("AID", "IRN", "RUS")]
    titles = [a["title"] for a in body["items"][0]["article_list"]]
    assert titles == ["US says Iran has sent ballistic missiles to Russia", "Iran denies sending missiles to Russia"]
    assert body["items"][0]["article_list"][0]["link"].startswith("/articles/")


def test_the_claims_page_lists_the_articles_by_title(both):
    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app
    page = TestClient(create_app(both), base_url="http://localhost").get("/claims?contested=true").text
    assert "Iran denies sending missiles to Russia</a>" in page
    assert "asserted in 2 articles from 2 sources" in page


def test_an_older_store_asks_for_reprocess(tmp_path):
    db = str(tmp_path / "old.db")
    shutil.copy(V1_STORE, db)
    result = eventwire("claims", "--db", db, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"eventwire: the claims in {db} were stored by an older eventwire and are not "
                                     "grouped across articles; run `eventwire reprocess` to rebuild them")


def test_reprocess_rebuilds_an_older_store_s_claims(tmp_path):
    db = str(tmp_path / "old.db")
    shutil.copy(V1_STORE, db)
    eventwire("reprocess", "--db", db)
    assert eventwire("claims", "--db", db).returncode == 0
    with sqlite3.connect(db) as c:
        unassigned = c.execute("SELECT COUNT(*) FROM claims WHERE type IS NOT NULL AND proposition_id IS NULL")
        assert unassigned.fetchone()[0] == 0
        assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0


def test_the_dask_path_groups_claims_across_articles(tmp_path):
    db = str(tmp_path / "store.db")
    eventwire("ingest", jsonl(tmp_path, "missiles-accusation", "missiles-denial"), "--db", db, "--quiet",
              "--cluster", "local:1")
    assert [sides(c) for c in claims(db, "--contested")] == [{"asserted": {"USA"}, "denied": {"IRN"}}]


@pytest.mark.browser
def test_in_a_browser_the_claims_page_links_to_the_denying_article(both):
    from test_web_browser import LiveServer, headless_chromium

    from eventwire.web.app import create_app
    with LiveServer(create_app(both)) as live, headless_chromium() as chromium:
        page = chromium.new_page(base_url=live.url)
        page.goto("/claims?contested=true")
        assert page.locator(".card.claim.contested").count() == 1
        page.locator(".claim-articles a", has_text="Iran denies sending missiles to Russia").click()
        page.wait_for_load_state("load")
        assert "/articles/" in page.url and "Iran denies sending missiles to Russia" in page.title() + \
            page.content()


def test_check_finds_a_claim_outside_every_proposition(tmp_path, both):
    db = str(tmp_path / "copy.db")
    shutil.copy(both, db)
    assert eventwire("check", "--db", db).stdout.strip() == "ok"
    with sqlite3.connect(db) as c:
        c.execute("UPDATE claims SET proposition_id = NULL WHERE id = (SELECT MIN(id) FROM claims)")
    result = eventwire("check", "--db", db, check=False)
    assert result.returncode == 1
    assert "1 claims not grouped across articles (`eventwire reprocess --all` regroups them)" in result.stderr


def test_a_denial_by_the_claim_s_target_in_the_same_article_attaches(tmp_path):
    """'Russia rejected the accusations': Russia is the receiving side of the claim its article states."""
    from eventwire import extract
    from eventwire.store import open_store
    x = extract("Title\nSouth Korea said North Korea had shipped artillery shells to Russia.\n"
                "Russia rejected the accusations on Tuesday.", published="2024-03-04")
    store = open_store(str(tmp_path / "s.db"))
    try:
        store.add(x)
        found = store.claims(contested=True)
        assert [sides(c) for c in found] == [{"asserted": {"KOR"}, "denied": {"RUS"}}]
        assert store.unattached_denials() == []
    finally:
        store.close()
