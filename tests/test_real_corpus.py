"""Real news end to end: a fixed sample of every corpus kind in ../shared/corpus, ingested by the CLI into SQLite.

Files that hold one article each (BBC, PolNeAR, gzipped HTML pages) are given to `eventwire ingest` as they are.
Files that hold many (Reuters SGML, MUC message files, WikiEvents JSON Lines, BASIL JSON) are split the way a
user would: their articles become JSON Lines records, text unchanged, in a temporary folder (never the repo).
The facts checked were read off the corpus files by hand.
"""
from __future__ import annotations

import html
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BBC = ["bbc/politics/001.txt", "bbc/politics/002.txt", "bbc/business/001.txt"]
POLNEAR = ["polnear/dev/text/breitbart_2016-09-12_stealth-over-health-hillary-clin.txt"]
HTML = ["html_extraction/scrapinghub_aeb/html/" + page + ".html.gz" for page in (
    "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f",     # aljazeera.com, Afghanistan crash
    "c7e39ac49fa1235f5d50f83bf2444248bd3aa4e6df044377916c812dd109ba23",     # bbc.com, world-europe
    "6ebac05f637ece8aa57c298a2a5e3a8047f546f855d0f29cc683cea60ce85c85")]    # thehill.com, threat to Omar
REUTERS = ("reuters21578/reut2-000.sgm", ["318", "338", "342"])
MUC = ("muc34/TASK/CORPORA/tst4/tst4-muc4.mixed-case", ["TST4-MUC4-0001", "TST4-MUC4-0002", "TST4-MUC4-0003"])
WIKIEVENTS = ("wikievents/dev.jsonl", ["road_ied_8", "suicide_ied_114", "65_VOA_EN_NW_2014.07.21.1962165"])
BASIL = ["basil/articles/2016/1b96a5db-8974-46d3-82d7-5dfef02f650e_3.json",
         "basil/articles/2016/59f2f47c-5da0-4fbc-be6e-4f15d45d82e2_2.json"]
MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
ARTICLES = len(BBC) + len(POLNEAR) + len(HTML) + len(REUTERS[1]) + len(MUC[1]) + len(WIKIEVENTS[1]) + len(BASIL)


# --- many-article files, split into JSON Lines records ---------------------------------------------

def reuters_records(path: Path, wanted: list[str]) -> list[dict]:
    """<REUTERS NEWID=...> documents: TITLE, DATE (26-FEB-1987 15:01:01.79) and BODY, entities decoded."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    docs = dict(re.findall(r'<REUTERS[^>]*NEWID="(\d+)">(.*?)</REUTERS>', raw, re.S))
    out = []
    for newid in wanted:
        doc = docs[newid]
        day, month, year = re.search(r"<DATE>\s*(\d+)-([A-Z]{3})-(\d{4})", doc).groups()
        out.append({"id": f"reuters-{newid}", "source": "Reuters",
                    "title": html.unescape(re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S).group(1)),
                    "published": f"{year}-{MONTHS[month]:02d}-{int(day):02d}",
                    "text": html.unescape(re.search(r"<BODY>(.*?)</BODY>", doc, re.S).group(1))})
    return out


def muc_records(path: Path, wanted: list[str]) -> list[dict]:
    """MUC messages: the text after each `TST4-MUC4-nnnn` line, up to the next one, dateline included."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    parts = re.split(r"^(TST4-MUC4-\d{4})\s*$", raw, flags=re.M)
    messages = dict(zip(parts[1::2], parts[2::2]))
    return [{"id": name, "source": "FBIS", "text": messages[name].strip()} for name in wanted]


def wikievents_lines(path: Path, wanted: list[str]) -> list[str]:
    """The WikiEvents lines themselves (doc_id, text, tokens, annotations...): the reader takes `text`."""
    lines = {json.loads(line)["doc_id"]: line for line in path.read_text(encoding="utf-8").splitlines() if line}
    return [lines[doc_id] for doc_id in wanted]


def basil_record(path: Path) -> dict:
    """A BASIL article: title, date, source, and paragraphs that are lists of sentences."""
    data = json.loads(path.read_text(encoding="utf-8"))
    paragraphs = [" ".join(p) if isinstance(p, list) else p for p in data["body-paragraphs"]]
    return {"id": path.name, "title": data["title"], "published": data["date"], "source": data["source"],
            "text": "\n\n".join(paragraphs)}


def as_lines(records: list[dict]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


def write_jsonl(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def inputs(corpus: Path, folder: Path) -> list[str]:
    """The paths given to `eventwire ingest`: one-article corpus files as they are, the rest as JSON Lines."""
    return [*(str(corpus / p) for p in BBC + POLNEAR + HTML),
            write_jsonl(folder / "reuters.jsonl", as_lines(reuters_records(corpus / REUTERS[0], REUTERS[1]))),
            write_jsonl(folder / "muc.jsonl", as_lines(muc_records(corpus / MUC[0], MUC[1]))),
            write_jsonl(folder / "wikievents.jsonl", wikievents_lines(corpus / WIKIEVENTS[0], WIKIEVENTS[1])),
            write_jsonl(folder / "basil.jsonl", as_lines([basil_record(corpus / p) for p in BASIL]))]


# --- one ingest for the module -------------------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, text=True,
                          timeout=600, check=False)


@pytest.fixture(scope="module")
def ingested(corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("real")
    db = str(folder / "real.db")
    run = cli("ingest", *inputs(corpus, folder), "--db", db, "--quiet")
    return db, run


@pytest.fixture(scope="module")
def store(ingested):
    connection = sqlite3.connect(ingested[0])
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def article(store, where: str) -> sqlite3.Row:
    """The one article stored with this id (JSON Lines records) or from this file (its path's end)."""
    rows = store.execute("SELECT * FROM articles WHERE ext_id = ? OR origin LIKE ?", (where, f"%{where}")).fetchall()
    assert len(rows) == 1, f"{len(rows)} articles stored as {where}"
    return rows[0]


def events(store, where: str) -> list[sqlite3.Row]:
    return store.execute("SELECT * FROM events WHERE article_id = ?", (article(store, where)["id"],)).fetchall()


def actors(store, where: str) -> set[str]:
    rows = store.execute("SELECT name FROM actors WHERE article_id = ? AND kind = 'person'",
                         (article(store, where)["id"],)).fetchall()
    return {row["name"] for row in rows}


# --- the run as a whole -------------------------------------------------------------------------------

def test_the_ingest_exits_0_and_reports_every_article_stored(ingested):
    _, run = ingested
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"read {ARTICLES} articles: {ARTICLES} stored, 0 already stored" in run.stdout
    assert ", 0 failed;" in run.stdout


def test_every_article_is_stored_and_nothing_failed(store):
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
    assert store.execute("SELECT count(*) FROM failures").fetchone()[0] == 0


def test_the_store_passes_its_own_check(ingested):
    run = cli("check", "--db", ingested[0])
    assert run.returncode == 0, run.stdout + run.stderr


# --- BBC: one .txt per article, headline first ----------------------------------------------------------

def test_a_bbc_article_keeps_its_headline_as_title(store):
    assert article(store, "bbc/politics/001.txt")["title"] == "Labour plans maternity pay rise"


def test_a_bbc_minister_is_an_actor(store):
    assert "Patricia Hewitt" in actors(store, "bbc/politics/001.txt")


# --- Reuters-21578 SGML ------------------------------------------------------------------------------------

def test_a_reuters_article_keeps_title_and_date(store):
    lebanon = article(store, "reuters-318")
    assert (lebanon["title"], lebanon["published"]) == ("LEBANESE PRESIDENT AGREES NEW PEACE MOVES", "1987-03-02")


def test_a_reuters_president_is_an_actor(store):
    assert "Amin Gemayel" in actors(store, "reuters-318")


def test_the_us_pressing_japan_is_a_request(store):
    requests = [e for e in events(store, "reuters-342") if e["type"] == "REQUEST"]
    assert ("USA", "JPN") in {(e["source_country"], e["target_country"]) for e in requests}


# --- MUC-3/4 messages ------------------------------------------------------------------------------------

def test_a_muc_prison_killing_is_an_assault_on_the_inmates(store):
    assaults = [e for e in events(store, "TST4-MUC4-0002") if e["type"] == "ASSAULT"]
    assert any("inmates" in (e["target_name"] or "") for e in assaults)


def test_every_muc_message_is_stored_whole_with_its_dateline(store):
    for name in MUC[1]:
        assert re.match(r"\w[\w ]*, \d{1,2} Aug 88 \(", article(store, name)["text"]), name


# --- WikiEvents JSON Lines, read as they are -------------------------------------------------------------

def test_every_wikievents_document_gives_events(store):
    for line in (1, 2, 3):
        assert events(store, f"wikievents.jsonl:{line}"), f"no event in {WIKIEVENTS[1][line - 1]}"


def test_the_roadside_bomb_that_killed_a_russian_general_is_an_assault_on_russia(store):
    assaults = [e for e in events(store, "wikievents.jsonl:1") if e["type"] == "ASSAULT"]
    assert "RUS" in {e["target_country"] for e in assaults}


def test_a_wikievents_defendant_is_an_actor(store):
    assert "Azamat Tazhayakov" in actors(store, "wikievents.jsonl:3")


# --- BASIL JSON ------------------------------------------------------------------------------------------

def test_a_basil_article_keeps_title_date_and_outlet(store):
    cruz = article(store, BASIL[1].rsplit("/", 1)[1])
    assert (cruz["title"], cruz["published"], cruz["source"]) == (
        "Ted Cruz Accuses Donald Trump Of Planting 'Garbage' Affair Story", "2016-03-25", "hpo")
    assert {"Ted Cruz", "Donald Trump"} <= actors(store, BASIL[1].rsplit("/", 1)[1])


def test_congress_overriding_the_veto_is_a_rejection_of_obama(store):
    rejections = [e for e in events(store, BASIL[0].rsplit("/", 1)[1]) if e["type"] == "REJECT"]
    assert any("Obama" in (e["target_name"] or "") for e in rejections)


# --- PolNeAR text -----------------------------------------------------------------------------------------

def test_a_polnear_article_keeps_its_headline_and_candidate(store):
    page = article(store, POLNEAR[0])
    assert page["title"] == "Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted to Avoid Bad Optics."
    assert "Hillary Clinton" in actors(store, POLNEAR[0])


# --- gzipped HTML pages ----------------------------------------------------------------------------------

def test_an_html_page_gives_title_date_and_outlet_from_its_markup(store):
    page = article(store, HTML[0])
    assert (page["title"], page["published"], page["source"]) == (
        "US service members killed in Afghanistan helicopter crash", "2019-11-20", "Al Jazeera")


def test_an_html_page_gives_events(store):
    assert "ASSAULT" in {e["type"] for e in events(store, HTML[0])}


def test_an_html_article_names_its_subject(store):
    page = article(store, HTML[1])
    assert page["published"] == "2019-11-19"
    assert "Julian Assange" in actors(store, HTML[1])
