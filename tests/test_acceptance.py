"""The seed article against what an analyst reads out of it (../shared/acceptance)."""
import json
import subprocess
import sys


def check_seed(acceptance, tmp_path) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "eventwire.cli", "extract", str(acceptance / "seed" / "article.txt"),
                          "--published", "2024-09-10", "--format", "json"], capture_output=True, text=True, check=True)
    (tmp_path / "out.json").write_text(out.stdout)
    return subprocess.run([sys.executable, str(acceptance / "check.py"), str(acceptance / "seed" / "expected.json"),
                           str(tmp_path / "out.json")], capture_output=True, text=True)


def summary(stdout: str) -> dict[str, tuple[int, int]]:
    """check.py's last line, "must: 13/13  should: 11/13  never: 2/2", as {level: (passed, total)}."""
    words = stdout.strip().splitlines()[-1].split()
    return {level.rstrip(":"): tuple(int(n) for n in count.split("/")) for level, count in zip(words[::2], words[1::2])}


def expected_totals(acceptance) -> dict[str, int]:
    """How many expectations of each level the seed holds (every 'never' rule is of level never)."""
    expected = json.loads((acceptance / "seed" / "expected.json").read_text())
    totals = {"never": len(expected.get("never", []))}
    for part in ("actors", "events", "quotes", "dates"):
        for want in expected.get(part, []):
            totals[want["level"]] = totals.get(want["level"], 0) + 1
    return totals


def test_seed_article_passes_every_must_should_and_never(acceptance, tmp_path):
    check = check_seed(acceptance, tmp_path)
    totals = expected_totals(acceptance)
    assert set(totals) == {"must", "should", "never"} and min(totals.values()) > 0, totals
    failed = [line for line in check.stdout.splitlines() if line.startswith("FAIL")]
    assert summary(check.stdout) == {level: (n, n) for level, n in totals.items()}, failed
    assert check.returncode == 0, check.stdout


def test_seed_repeated_lead_is_stored_once(acceptance, tmp_path):
    from eventwire import api
    db = str(tmp_path / "s.db")
    api.ingest([str(acceptance / "seed" / "article.txt")], db=db, published="2024-09-10")
    article = api.open_store(db).articles()[0]
    doc = api.open_store(db).article(article["id"])["document"]
    sanctions = [e for e in doc["events"] if e["type"] in ("SANCTION", "COERCE")]
    assert len(sanctions) == 1 and len(doc["article"]["dropped_paragraphs"]) == 1
    assert json.dumps(doc)
