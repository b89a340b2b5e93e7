"""The event verifier: a model file that is data with a version, rebuilt by a command, checked at start."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.events import train, verify

ROOT = Path(__file__).resolve().parents[1]


def run_extract(env_model: str, text: str = "Germany urged Serbia to release the journalists.\n"):
    env = {**os.environ, "EVENTWIRE_VERIFIER": env_model}
    return subprocess.run([sys.executable, "-m", "eventwire.cli", "extract", "-"], input=text, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_shipped_model_loads_and_says_what_it_was_trained_to():
    model = verify.load()
    data = json.loads(verify.MODEL_FILE.read_text())
    assert 0 < model.threshold < 1 and len(model.weights) > 100
    assert data["scores"]["candidates"] >= 2000 and data["scores"]["cv_precision"] > data["scores"]["base_precision"]


@pytest.mark.parametrize("content, reason", [
    (None, "missing"),
    ("{not json", "unreadable"),
    (json.dumps({"format": 99, "weights": {}, "intercept": 0, "threshold": 0.5}), "another format version"),
    (json.dumps({"format": 1, "weights": {}}), "incomplete"),
])
def test_a_bad_model_file_is_one_error_naming_it_and_how_to_rebuild(tmp_path, content, reason):
    path = tmp_path / "verifier.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(verify.VerifierError) as e:
        verify.load(path)
    assert str(path) in str(e.value) and reason in str(e.value) and "eventwire train verifier" in str(e.value)
    done = run_extract(str(path))
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0], done.stderr
    assert done.stdout == ""


def test_the_verifier_keeps_a_real_event_and_gives_its_probability():
    import eventwire
    doc = eventwire.extract("The European Union imposed sanctions on Iran over its nuclear programme.",
                            published="2012-01-23").to_dict()
    sanctions = [e for e in doc["events"] if e["type"] == "SANCTION"]
    assert sanctions and sanctions[0]["confidence"] >= verify.load().threshold


def test_a_malformed_training_line_names_its_file_and_line(tmp_path):
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "ann-x.jsonl").write_text('{"id": "c1", "verdict": "right"}\n{"id": "c2", "verdict": "maybe"}\n')
    with pytest.raises(train.TrainingError, match=r"ann-x.jsonl:2: verdict"):
        train.labels(tmp_path / "labels")
    (tmp_path / "labels" / "ann-x.jsonl").write_text('{"id": "c1", "verdict": "right"}\nnot json\n')
    with pytest.raises(train.TrainingError, match=r"ann-x.jsonl:2: not JSON"):
        train.labels(tmp_path / "labels")


def test_an_adjudicated_label_wins_over_the_annotators(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "c1", "annotator": "ann-A", "verdict": "wrong"}\n')
    (tmp_path / "b.jsonl").write_text('{"id": "c1", "annotator": "adjudicated", "verdict": "right"}\n')
    assert train.labels(tmp_path) == {"c1": 1}


def test_retraining_reproduces_the_shipped_models_scores(tmp_path, corpus):
    out = tmp_path / "verifier.json"
    # The timeout only stops a hang: ~4 minutes alone, the retraining took over 20 beside a second test process
    # on a machine shared with other work (a timeout there failed CI with nothing wrong).
    done = subprocess.run([sys.executable, "-m", "eventwire.cli", "train", "verifier", "--out", str(out),
                           "--corpus", str(corpus)], capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, done.stderr
    shipped = json.loads(verify.MODEL_FILE.read_text())
    rebuilt = json.loads(out.read_text())
    assert rebuilt["scores"] == shipped["scores"]
    assert rebuilt["threshold"] == shipped["threshold"]
    assert rebuilt["weights"] == pytest.approx(shipped["weights"], abs=1e-5)


def test_the_recall_set_shares_no_article_with_the_verifiers_training_data():
    from eventwire.evaluate.sampling import articles_in
    training = articles_in(sorted((ROOT / "gold" / "verifier").glob("candidates-*.jsonl")))
    held_out = articles_in([ROOT / "gold" / "sentences" / "pointers.jsonl", ROOT / "gold" / "events.jsonl"])
    assert len(training) > 1000 and len(held_out) > 250
    assert not training & held_out
