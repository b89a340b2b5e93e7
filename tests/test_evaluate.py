"""The quality gate: every gold set's scores may rise, never fall below the stored baseline."""
import json
from pathlib import Path

import pytest

from eventwire.evaluate import evaluate, load_baseline

GOLD = Path(__file__).resolve().parents[1] / "gold"
TOLERANCE = 1e-4        # baselines are stored to 4 decimals: any real drop fails
RISE = 0.01             # a score this far above its baseline fails too, until the new baseline is saved
GATED = {"actors": ("country_accuracy", "sector_accuracy", "both_accuracy"),
         "events": ("f1", "precision", "recall", "modality_accuracy_on_matched"),
         "quotes": ("quote_f1", "quote_precision", "quote_recall", "speaker_accuracy", "content_exact_f1",
                    "content_token_f1_on_matched"),
         "when_where": ("date_accuracy", "place_accuracy", "place_country_accuracy"),
         "polnear": ("quoted_precision", "quoted_recall", "quoted_f1", "quoted_exact_precision", "quoted_exact_recall",
                     "quoted_exact_f1", "attribution_precision", "attribution_recall", "attribution_f1",
                     "attribution_exact_f1", "content_token_f1_on_matched", "speaker_accuracy",
                     "speaker_accuracy_named", "speaker_accuracy_quoted_named")}
POLNEAR_SAVE = "`eventwire evaluate polnear ../shared/corpus/polnear/dev --save-baseline`"
NO_TYPE = {"tp": 0, "fp": 0, "fn": 0, "f1": 0.0}      # a type the baseline never saw, found or missed


def save_command(kind: str, gold: str) -> str:
    return f"`eventwire evaluate {kind} gold/{gold}.jsonl --save-baseline`"


def stored_baseline(kind: str, gold: str) -> dict:
    from eventwire.evaluate import baseline_key
    baselines = load_baseline(str(GOLD / f"{gold}.jsonl"))
    key = baseline_key(str(GOLD / f"{gold}.jsonl"), kind)
    assert key in baselines, f"no baseline {key!r} in gold/baseline.json: save one with {save_command(kind, gold)}"
    return baselines[key]


def check_score(what: str, now: float, base: float, command: str) -> None:
    """Any real drop fails; a rise of more than RISE fails too, until the new baseline is saved."""
    assert now >= base - TOLERANCE, f"{what} fell to {now:.4f} from the baseline {base:.4f}"
    assert now <= base + RISE, f"{what} rose to {now:.4f} from {base:.4f}: record it with {command}"


def check_types(kind: str, report, stored: dict, command: str) -> None:
    """Each PLOVER type on its own: no fewer true positives, no more false ones or misses, its F1 in the band."""
    assert "per_type" in stored, f"the {kind} baseline has no per-type counts: save it with {command}"
    for name in sorted(set(stored["per_type"]) | set(report.per_type)):
        now, base = report.per_type.get(name, NO_TYPE), stored["per_type"].get(name, NO_TYPE)
        assert now["tp"] >= base["tp"], f"{kind} {name} true positives fell to {now['tp']} from {base['tp']}"
        assert now["fp"] <= base["fp"], f"{kind} {name} false positives rose to {now['fp']} from {base['fp']}"
        assert now["fn"] <= base["fn"], f"{kind} {name} false negatives rose to {now['fn']} from {base['fn']}"
        check_score(f"{kind} {name} F1", now["f1"], base["f1"], command)


def check_against_baseline(kind: str, report, gold: str | None = None) -> None:
    gold = gold or kind
    stored, command = stored_baseline(kind, gold), save_command(kind, gold)
    if kind == "events":                 # first: a type's own count names what changed
        check_types(kind, report, stored, command)
    for metric in GATED[kind]:
        check_score(f"{kind} {metric}", report.scores[metric], stored[metric], command)


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
    from eventwire.evaluate import baseline_key
    folder = str(corpus / "polnear" / "dev")
    report = evaluate("polnear", folder)
    assert report.items == 84 and report.skipped == 0
    stored = load_baseline(str(GOLD / "baseline.json")).get(baseline_key(folder, "polnear"))
    assert stored, f"no PolNeAR baseline in gold/baseline.json: save one with {POLNEAR_SAVE}"
    assert {k for k, v in stored.items() if isinstance(v, float)} == set(GATED["polnear"])
    for metric in GATED["polnear"]:
        check_score(f"polnear {metric}", report.scores[metric], stored[metric], POLNEAR_SAVE)


def third_party_command(kind: str, gold: str, limit: int | None = None) -> str:
    return f"`eventwire evaluate {kind} {gold}{f' --limit {limit}' if limit else ''} --save-baseline`"


def check_third_party(report, gold: str, limit: int | None = None) -> None:
    """A third-party kind scored per PLOVER type (wikievents, muc): each type's counts as for events, and every
    score of the stored baseline. `gold` is the path as run from the repository (../shared/corpus/...)."""
    from eventwire.evaluate import baseline_key
    kind, command = report.kind, third_party_command(report.kind, gold, limit)
    stored = load_baseline(str(GOLD / "baseline.json")).get(baseline_key(gold, kind, limit))
    assert stored, f"no {baseline_key(gold, kind, limit)!r} baseline in gold/baseline.json: save one with {command}"
    check_types(kind, report, stored, command)
    scores = {k for k, v in stored.items() if isinstance(v, float)}
    assert scores == {k for k, v in report.scores.items() if isinstance(v, float)}, f"save it again with {command}"
    for metric in sorted(scores):
        check_score(f"{kind} {metric}", report.scores[metric], stored[metric], command)


def report_from(kind: str, stored: dict, shift: float = 0.0, per_type: dict | None = None):
    """A report with the stored scores, each moved by `shift`."""
    from eventwire.evaluate import Report
    scores = {k: v + shift for k, v in stored.items() if isinstance(v, float)}
    return Report(kind, 1, 0, scores, per_type if per_type is not None else stored.get("per_type", {}))


def test_the_stored_baseline_passes_its_own_gate():
    for gold, kind in [("actors", "actors"), ("events", "events"), ("sentences", "events"), ("quotes", "quotes"),
                       ("when_where", "when_where")]:
        check_against_baseline(kind, report_from(kind, stored_baseline(kind, gold)), gold)


def test_every_stored_score_is_gated():
    for gold, kind in [("actors", "actors"), ("events", "events"), ("sentences", "events"), ("quotes", "quotes"),
                       ("when_where", "when_where")]:
        stored = stored_baseline(kind, gold)
        assert {k for k, v in stored.items() if isinstance(v, float)} == set(GATED[kind]), gold


def test_the_events_baselines_hold_counts_per_plover_type():
    from eventwire.ontology import PLOVER_TYPES
    for gold in ("events", "sentences"):
        per_type = stored_baseline("events", gold)["per_type"]
        assert per_type and set(per_type) <= set(PLOVER_TYPES), gold
        totals = {k: sum(row[k] for row in per_type.values()) for k in ("tp", "fp", "fn")}
        assert totals == {k: stored_baseline("events", gold)[k] for k in ("tp", "fp", "fn")}, gold


def test_a_worse_extractor_would_fail_the_gate():
    worse = report_from("actors", stored_baseline("actors", "actors"), -0.05)
    with pytest.raises(AssertionError, match="actors country_accuracy fell to"):
        check_against_baseline("actors", worse)


def test_a_score_well_above_its_baseline_fails_and_says_how_to_save_it():
    better = report_from("quotes", stored_baseline("quotes", "quotes"), +0.05)
    with pytest.raises(AssertionError, match="rose to .*`eventwire evaluate quotes gold/quotes.jsonl --save-baseline`"):
        check_against_baseline("quotes", better)


def test_a_rise_within_the_band_passes():
    check_against_baseline("quotes", report_from("quotes", stored_baseline("quotes", "quotes"), RISE / 2))


def shifted_type(stored: dict, name: str, **change) -> dict:
    per_type = {t: dict(row) for t, row in stored["per_type"].items()}
    row = per_type.setdefault(name, dict(NO_TYPE))
    row.update(change)
    return per_type


def busiest_type(stored: dict) -> str:
    return max(stored["per_type"], key=lambda t: (stored["per_type"][t]["tp"], t))


def test_one_type_losing_a_true_positive_fails_though_the_totals_hold():
    stored = stored_baseline("events", "events")
    name = busiest_type(stored)
    row = stored["per_type"][name]
    worse = report_from("events", stored, per_type=shifted_type(stored, name, tp=row["tp"] - 1, fn=row["fn"] + 1))
    with pytest.raises(AssertionError, match=f"events {name} true positives fell to {row['tp'] - 1}"):
        check_against_baseline("events", worse)


def test_one_type_gaining_a_false_positive_fails():
    stored = stored_baseline("events", "sentences")
    name = busiest_type(stored)
    worse = report_from("events", stored, per_type=shifted_type(stored, name, fp=stored["per_type"][name]["fp"] + 1))
    with pytest.raises(AssertionError, match=f"events {name} false positives rose"):
        check_against_baseline("events", worse, "sentences")


def test_a_type_the_baseline_never_saw_fails_when_it_is_found_wrongly():
    stored = stored_baseline("events", "events")
    unseen = report_from("events", stored, per_type=shifted_type(stored, "NO-SUCH-TYPE", fp=1))
    with pytest.raises(AssertionError, match="events NO-SUCH-TYPE false positives rose to 1 from 0"):
        check_against_baseline("events", unseen)


def test_one_type_well_above_its_baseline_fails_and_says_how_to_save_it():
    stored = stored_baseline("events", "events")
    name = busiest_type(stored)
    row = stored["per_type"][name]
    better = report_from("events", stored, per_type=shifted_type(stored, name, f1=row["f1"] + 0.05))
    with pytest.raises(AssertionError, match=f"events {name} F1 rose to .*gold/events.jsonl --save-baseline"):
        check_against_baseline("events", better)


def test_a_baseline_without_per_type_counts_fails_and_says_how_to_save_it():
    stored = {k: v for k, v in stored_baseline("events", "events").items() if k != "per_type"}
    with pytest.raises(AssertionError, match="no per-type counts: save it with"):
        check_types("events", report_from("events", stored, per_type={}), stored,
                    save_command("events", "events"))


def test_events_gold_covers_every_plover_type():
    import json
    from eventwire.ontology import PLOVER_TYPES
    types = {e["type"] for line in open(GOLD / "events.jsonl") for e in json.loads(line)["events"]}
    assert set(PLOVER_TYPES) <= types


def test_save_baseline_stores_each_types_counts_beside_the_old_ones(tmp_path):
    from eventwire.evaluate import Report, save_baseline
    (tmp_path / "baseline.json").write_text(json.dumps({"actors": {"country_accuracy": 0.5}}))
    row = {"precision": 0.5, "recall": 1 / 3, "f1": 0.4, "tp": 1, "fp": 1, "fn": 2, "gold": 3, "found": 2}
    save_baseline(str(tmp_path / "events.jsonl"), Report("events", 3, 0, {"f1": 0.4, "tp": 1}, {"ASSAULT": row}))
    assert json.loads((tmp_path / "baseline.json").read_text()) == {
        "actors": {"country_accuracy": 0.5},
        "events": {"f1": 0.4, "tp": 1, "per_type": {"ASSAULT": {"tp": 1, "fp": 1, "fn": 2, "f1": 0.4}}}}
