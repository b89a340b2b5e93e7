"""The benches the README quotes are gated like the quality gate: a score may not fall below its stored figure
(tests/data/bench_baseline.json) by more than TOLERANCE, nor rise past it by RISE without being recorded."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASELINE = json.loads((ROOT / "tests" / "data" / "bench_baseline.json").read_text())
TOLERANCE = 1e-4        # figures are stored to 4 decimals: any real drop fails
RISE = 0.01             # a rise this large fails too, until the new figure is stored


def bench(name: str):
    """bench/NAME.py as a module (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def holds(what: str, score: float, stored: float) -> None:
    assert score >= stored - TOLERANCE, f"{what} fell to {score:.4f} from the stored {stored:.4f}"
    assert score <= stored + RISE, (f"{what} rose to {score:.4f} from {stored:.4f}: store the new figure in "
                                    f"tests/data/bench_baseline.json")


@pytest.fixture(scope="module")
def html_scores(corpus) -> dict:
    return bench("html_extraction").measure(corpus / "html_extraction" / "scrapinghub_aeb")


@pytest.fixture(scope="module")
def date_counts() -> dict:
    return bench("dates").measure(str(ROOT / "gold" / "when_where.jsonl"))


def test_html_extraction_reads_every_benchmark_page(html_scores):
    assert html_scores["pages"] == BASELINE["html_extraction"]["pages"]
    assert html_scores["failed"] <= BASELINE["html_extraction"]["failed"]


@pytest.mark.parametrize("metric", ["f1", "precision", "recall"])
def test_html_extraction_holds_its_stored_figure(html_scores, metric):
    holds(f"HTML extraction token {metric}", html_scores[metric], BASELINE["html_extraction"][metric])


def test_the_dates_bench_scores_the_whole_gold_set(date_counts):
    assert date_counts["items"] == BASELINE["dates"]["items"], "the gold set changed: store the dates figure anew"


def test_dates_resolve_as_well_as_the_stored_figure(date_counts):
    holds("date resolution accuracy", date_counts["eventwire"] / date_counts["items"],
          BASELINE["dates"]["eventwire_accuracy"])


def test_our_rules_beat_dateparser_alone(date_counts):
    assert date_counts["eventwire"] > date_counts["dateparser"]
