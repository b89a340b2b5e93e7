"""End to end through the command line, as a user runs it."""
import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def run(*args, stdin: str | None = None, check: bool = True, cwd=None) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "eventwire.cli", *args], input=stdin, capture_output=True,
                            text=True, cwd=cwd)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("db") / "sample.db")
    run("ingest", str(SAMPLES), "--db", db, "--published", "2024-03-02")
    return db


def test_extract_prints_one_contract_document(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Sanctions\nThe European Union imposed sanctions on Belarus on Monday.\n")
    doc = json.loads(run("extract", str(path), "--published", "2024-03-04").stdout)
    assert set(doc) >= {"article", "actors", "events", "quotes"}
    assert doc["article"]["published"] == "2024-03-04"
    assert any(e["type"] == "SANCTION" and e["target"]["country"] == "BLR" for e in doc["events"])


def test_extract_jsonl_echoes_ids_in_input_order(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": f"Chile condemned Peru number {i}."}) for i in ("b", "a")))
    lines = run("extract", str(path), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["article"]["id"] for line in lines] == ["b", "a"]


def test_extract_reads_standard_input():
    out = run("extract", "-", "--format", "table", stdin="Title\nIndia accused Pakistan of shelling.\n").stdout
    assert "ACCUSE" in out


def test_bad_inputs_fail_alone_with_a_one_line_reason(tmp_path):
    db = str(tmp_path / "x.db")
    tmp_path = tmp_path / "inputs"
    tmp_path.mkdir()
    (tmp_path / "good.txt").write_text("Title\nNigeria accused Niger of closing the border.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "bad.jsonl").write_text('{"text": "Mexico praised Canada."}\nnot json\n')
    result = run("ingest", str(tmp_path), str(tmp_path / "missing.txt"), "--db", db, check=False)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(errors) == 4
    assert any("empty.txt" in e and "empty" in e for e in errors)
    assert any("binary.txt" in e and "binary" in e for e in errors)
    assert any("bad.jsonl:2" in e and "JSON" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    stats = json.loads(run("stats", "--db", db).stdout)
    assert stats["articles"] == 2 and stats["failures"] == 4


def test_ingesting_twice_stores_once(sample_db):
    again = run("ingest", str(SAMPLES), "--db", sample_db).stdout
    assert "0 stored" in again and f"{len(list(SAMPLES.glob('*.txt')))} already stored" in again


def test_events_filters_and_formats(sample_db):
    rows = [json.loads(line) for line in run("events", "--db", sample_db, "--format", "jsonl", "--limit", "500").stdout.splitlines()]
    assert rows
    accusations = run("events", "--db", sample_db, "--type", "ACCUSE", "--format", "jsonl").stdout.splitlines()
    assert accusations and all(json.loads(r)["type"] == "ACCUSE" for r in accusations)
    table = run("events", "--db", sample_db, "--country", "BLR", "--side", "target", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows and {r["target_country"] for r in rows} == {"BLR"}      # the sanctions sample targets Belarus


def test_export_streams_every_event_in_each_format(sample_db, tmp_path):
    total = json.loads(run("stats", "--db", sample_db).stdout)["events"]
    out = run("export", "--db", sample_db, "--format", "jsonl").stdout.splitlines()
    assert len(out) == total
    run("export", "--db", sample_db, "--format", "csv", "--out", str(tmp_path / "e.csv"))
    assert len(list(csv.DictReader(open(tmp_path / "e.csv")))) == total
    run("export", "--db", sample_db, "--format", "parquet", "--out", str(tmp_path / "e.parquet"))
    import pyarrow.parquet as pq
    assert pq.read_table(tmp_path / "e.parquet").num_rows == total


def test_check_passes_on_a_sound_store(sample_db):
    assert run("check", "--db", sample_db).stdout.strip() == "ok"


def test_check_reports_events_without_a_story_and_a_failure_recorded_twice(sample_db, tmp_path):
    db = tmp_path / "corrupt.db"
    with sqlite3.connect(sample_db) as sound, sqlite3.connect(db) as copy:
        sound.backup(copy)
        story, events = copy.execute("SELECT story_id, COUNT(*) FROM events GROUP BY story_id ORDER BY 2 DESC").fetchone()
        copy.execute("UPDATE events SET story_id = NULL WHERE story_id = ?", (story,))     # a story's events
        copy.execute("DELETE FROM stories WHERE id = ?", (story,))                         # left ungrouped
        copy.executemany("INSERT INTO failures (origin, reason, at) VALUES (?, ?, ?)",
                         [("bad.html", "no article text found", "2024-03-02")] * 2)
    result = run("check", "--db", str(db), check=False)
    assert result.returncode == 1 and result.stdout.strip() == "2 problem(s)", result.stderr
    problems = result.stderr.splitlines()
    assert problems[0].startswith(f"eventwire: {events} events not grouped into stories"), problems
    assert problems[-1] == "eventwire: 1 failures recorded more than once", problems


def test_reprocess_reruns_every_article_and_keeps_the_store_sound(sample_db):
    before = json.loads(run("stats", "--db", sample_db).stdout)
    out = run("reprocess", "--db", sample_db, "--all").stdout
    assert f"reprocessed {before['articles']} articles" in out
    after = json.loads(run("stats", "--db", sample_db).stdout)
    assert after["articles"] == before["articles"] and after["events"] == before["events"]
    assert run("check", "--db", sample_db).stdout.strip() == "ok"


def test_contested_claims_on_the_seed(acceptance, tmp_path):
    db = str(tmp_path / "seed.db")
    run("ingest", str(acceptance / "seed" / "article.txt"), "--db", db, "--published", "2024-09-10")
    lines = run("claims", "--db", db, "--contested", "--format", "jsonl").stdout.splitlines()
    claims = [json.loads(line) for line in lines]
    aid = [c for c in claims if c["type"] == "AID" and c["source_country"] == "IRN" and c["target_country"] == "RUS"]
    assert aid
    stances = {(s["actor_country"], s["stance"]) for s in aid[0]["stances"]}
    assert ("USA", "asserted") in stances and ("IRN", "denied") in stances


def test_a_chosen_model_that_is_missing_is_a_clear_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\nText.\n")
    result = run("extract", str(path), "--model", "no_such_pipeline_xyz", check=False)
    assert result.returncode == 2 and "no_such_pipeline_xyz" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_csv_neutralises_spreadsheet_formulas(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("Title\n=cmd|' /C calc'!A0 France condemned Syria on Monday.\n")
    db = str(tmp_path / "f.db")
    run("ingest", str(path), "--db", db)
    for command in ("export", "events"):
        rows = list(csv.DictReader(io.StringIO(run(command, "--db", db, "--format", "csv").stdout)))
        sentences = [r["sentence"] for r in rows]
        assert sentences and all(s.startswith("'=") for s in sentences), command


def test_an_impossible_publication_date_is_a_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\nChile praised Peru.\n")
    result = run("extract", str(path), "--published", "2024-02-31", check=False)
    assert result.returncode == 2 and "2024-02-31" in result.stderr


def one_line_usage_error(*args, cwd=None) -> str:
    """The single line of a usage error (exit status 2)."""
    result = run(*args, check=False, cwd=cwd)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


@pytest.mark.parametrize("command", [["events"], ["stats"], ["export"], ["ingest", str(SAMPLES)]])
def test_an_empty_db_is_a_usage_error_not_the_default_store(command, tmp_path):
    for empty in ("", "  "):
        assert "--db" in one_line_usage_error(*command, "--db", empty, cwd=tmp_path)
    assert list(tmp_path.iterdir()) == []            # no ./eventwire.db made behind the user's back


@pytest.mark.parametrize("option", ["--since", "--until"])
@pytest.mark.parametrize("value", ["garbage", "2024-02-30", "2024-13-01", "20240301"])
def test_an_impossible_since_or_until_is_a_usage_error(option, value, tmp_path):
    for command in ("events", "export"):
        message = one_line_usage_error(command, "--db", str(tmp_path / "x.db"), option, value)
        assert option in message and value in message
