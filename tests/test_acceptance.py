"""The seed article against what an analyst reads out of it (../shared/acceptance)."""
import json
import subprocess
import sys


def test_seed_article_passes_every_must_and_never(acceptance, tmp_path):
    out = subprocess.run([sys.executable, "-m", "eventwire.cli", "extract", str(acceptance / "seed" / "article.txt"),
                          "--published", "2024-09-10", "--format", "json"], capture_output=True, text=True, check=True)
    (tmp_path / "out.json").write_text(out.stdout)
    check = subprocess.run([sys.executable, str(acceptance / "check.py"), str(acceptance / "seed" / "expected.json"),
                            str(tmp_path / "out.json")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    should = check.stdout.strip().splitlines()[-1]
    passed, total = (int(n) for n in should.split("should: ")[1].split()[0].split("/"))
    assert passed >= 10, check.stdout


def test_seed_repeated_lead_is_stored_once(acceptance, tmp_path):
    from eventwire import api
    db = str(tmp_path / "s.db")
    api.ingest([str(acceptance / "seed" / "article.txt")], db=db, published="2024-09-10")
    article = api.open_store(db).articles()[0]
    doc = api.open_store(db).article(article["id"])["document"]
    sanctions = [e for e in doc["events"] if e["type"] in ("SANCTION", "COERCE")]
    assert len(sanctions) == 1 and len(doc["article"]["dropped_paragraphs"]) == 1
    assert json.dumps(doc)
