"""gold/verify.py, the gold sets' offset and consistency checker, runs on every test run and can fail."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold"


def verify(gold: Path, corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(gold / "verify.py"), str(corpus)], capture_output=True, text=True,
                          timeout=300, check=False)


def test_every_gold_offset_holds_against_the_corpus(corpus):
    run = verify(GOLD, corpus)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert run.stdout.splitlines()[-1] == "ok"


def test_a_gold_phrase_one_character_off_is_reported(corpus, tmp_path):
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold, ignore=shutil.ignore_patterns("sentences", "verifier", "__pycache__"))
    items = [json.loads(line) for line in (gold / "actors.jsonl").read_text(encoding="utf-8").splitlines() if line]
    items[0]["start"] += 1
    (gold / "actors.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    run = verify(gold, corpus)
    assert run.returncode == 1
    assert f"ERROR {items[0]['id']}: phrase offsets" in run.stdout.splitlines()
    assert run.stdout.splitlines()[-1] == "1 error(s)"


def rewrite_when_where(gold: Path, change) -> dict:
    """Copy of the gold set with one tagged when_where item changed by `change`; returns that item."""
    path = gold / "when_where.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    item = next(i for i in items if i.get("file", "").startswith("polnear/") and "tags" in i)
    change(item)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return item


def copy_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold, ignore=shutil.ignore_patterns("sentences", "verifier", "__pycache__"))
    return gold


def test_a_when_where_item_from_polnear_train_is_refused(corpus, tmp_path):
    gold = copy_gold(tmp_path)
    item = rewrite_when_where(gold, lambda i: i.update(file=i["file"].replace("/dev/", "/train/")))
    run = verify(gold, corpus)
    assert run.returncode == 1
    assert f"ERROR {item['id']}: PolNeAR items must come from polnear/dev/text" in run.stdout.splitlines()
    assert run.stdout.splitlines()[-1] == "1 error(s)"


def test_an_unknown_ambiguous_place_kind_is_reported(corpus, tmp_path):
    gold = copy_gold(tmp_path)
    item = rewrite_when_where(gold, lambda i: i.update(tags=["ambiguous-place", "us-state"]))
    run = verify(gold, corpus)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [f"ERROR {item['id']}: tags", "1 error(s)"]


def test_a_date_value_without_precision_none_is_reported(corpus, tmp_path):
    gold = copy_gold(tmp_path)
    item = rewrite_when_where(gold, lambda i: i["date"].update(value=None, precision="day", text=None))
    run = verify(gold, corpus)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [f"ERROR {item['id']}: value null exactly when precision is none",
                                       "1 error(s)"]
def corrupted_copy(tmp_path, change) -> tuple[Path, dict]:
    """A copy of gold/ whose first corpus actor item has been changed by `change`."""
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold, ignore=shutil.ignore_patterns("sentences", "verifier", "__pycache__"))
    items = [json.loads(line) for line in (gold / "actors.jsonl").read_text(encoding="utf-8").splitlines() if line]
    item = next(i for i in items if "file" in i)
    change(item)
    (gold / "actors.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return gold, item


def test_a_corpus_actor_phrase_one_character_off_is_reported(corpus, tmp_path):
    gold, item = corrupted_copy(tmp_path, lambda i: i.update(start=i["start"] + 1))
    run = verify(gold, corpus)
    assert run.returncode == 1
    assert f"ERROR {item['id']}: phrase offsets" in run.stdout.splitlines()
    assert run.stdout.splitlines()[-1] == "1 error(s)"


def test_a_corpus_actor_with_another_date_than_its_article_is_reported(corpus, tmp_path):
    gold, item = corrupted_copy(tmp_path, lambda i: i.update(file="polnear/dev/text/nyt_2016-09-08_obama-on-climate-change-the-tren.txt",
                                                               start=0, end=5, published="2016-09-09"))
    lines = verify(gold, corpus).stdout.splitlines()
    assert f"ERROR {item['id']}: published is not the article's date" in lines
    assert f"ERROR {item['id']}: phrase offsets" in lines


def test_a_corpus_actor_from_polnear_train_is_reported(corpus, tmp_path):
    train = sorted((corpus / "polnear" / "train" / "text").glob("*.txt"))[0]
    gold, item = corrupted_copy(tmp_path, lambda i: i.update(file=f"polnear/train/text/{train.name}"))
    lines = verify(gold, corpus).stdout.splitlines()
    assert f"ERROR {item['id']}: polnear/train is not used for gold (dev only)" in lines
