"""The quality gate: every gold set's scores may rise, never fall below the stored baseline."""
from pathlib import Path

import pytest

from eventwire.evaluate import evaluate, load_baseline

GOLD = Path(__file__).resolve().parents[1] / "gold"
TOLERANCE = 1e-4        # baselines are stored to 4 decimals: any real drop fails
RISE = 0.01             # a score this far above its baseline fails too, until the new baseline is saved
GATED = {"actors": ("country_accuracy", "sector_accuracy"),
         "events": ("f1", "precision", "recall", "modality_accuracy_on_matched"),
         "quotes": ("quote_f1", "speaker_accuracy", "content_exact_f1"),
         "when_where": ("date_accuracy", "place_accuracy"),
         "polnear": ("quoted_precision", "quoted_recall", "quoted_exact_f1", "attribution_f1",
                     "speaker_accuracy_quoted_named")}


def check_against_baseline(kind: str, report, gold: str | None = None) -> None:
    from eventwire.evaluate import baseline_key
    gold = gold or kind
    baseline = load_baseline(str(GOLD / f"{gold}.jsonl"))[baseline_key(str(GOLD / f"{gold}.jsonl"), kind)]
    for metric in GATED[kind]:
        assert report.scores[metric] >= baseline[metric] - TOLERANCE, (
            f"{kind} {metric} fell to {report.scores[metric]:.4f} from the baseline {baseline[metric]:.4f}")
        assert report.scores[metric] <= baseline[metric] + RISE, (
            f"{kind} {metric} rose to {report.scores[metric]:.4f} from {baseline[metric]:.4f}: record it with "
            f"`eventwire evaluate {kind} gold/{gold}.jsonl --save-baseline`")


def test_actor_phrases_hold_their_baseline():
    report = evaluate("actors", str(GOLD / "actors.jsonl"))
    assert report.items >= 300 and report.skipped == 0
    check_against_baseline("actors", report)


@pytest.mark.parametrize("kind", ["events", "quotes", "when_where"])
def test_corpus_gold_sets_hold_their_baseline(kind, corpus):
    report = evaluate(kind, str(GOLD / f"{kind}.jsonl"), corpus=str(corpus))
    assert report.skipped == 0
    check_against_baseline(kind, report)


def test_the_recall_sentences_hold_their_baseline(corpus):
    report = evaluate("events", str(GOLD / "sentences.jsonl"), corpus=str(corpus))
    assert report.items >= 500 and report.skipped == 0
    check_against_baseline("events", report, "sentences")


def test_polnear_dev_holds_its_baseline(corpus):
    report = evaluate("polnear", str(corpus / "polnear" / "dev"))
    assert report.items == 84 and report.skipped == 0
    check_against_baseline("polnear", report)


def test_a_worse_extractor_would_fail_the_gate():
    from eventwire.evaluate import Report
    baseline = load_baseline(str(GOLD / "actors.jsonl"))["actors"]
    worse = Report("actors", 1, 0, {k: v - 0.05 for k, v in baseline.items()})
    with pytest.raises(AssertionError):
        check_against_baseline("actors", worse)


def test_events_gold_covers_every_plover_type():
    import json
    from eventwire.events.ontology import PLOVER_TYPES
    types = {e["type"] for line in open(GOLD / "events.jsonl") for e in json.loads(line)["events"]}
    assert set(PLOVER_TYPES) <= types
