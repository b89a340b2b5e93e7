"""`eventwire evaluate`: the extractor scored against the gold sets in gold/, with stored baselines.

Each gold item is turned into an article (see corpus.py); articles are extracted once in batches;
then each kind's scorer (score.py) compares what was found in the item's span with what the gold says.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import nlp
from ..pipeline import Failure, process_batch
from .corpus import default_corpus, locate
from .score import SCORERS

KINDS = tuple(SCORERS)
BASELINE_FILE = "baseline.json"


@dataclass
class Report:
    kind: str
    items: int
    skipped: int
    scores: dict
    per_type: dict = field(default_factory=dict)
    diffs: list = field(default_factory=list)

    def lines(self, diff: bool = False) -> list[str]:
        out = [f"{self.kind}: {self.items} items scored, {self.skipped} skipped (corpus file missing)"]
        out += [f"  {name}: {value:.3f}" if isinstance(value, float) else f"  {name}: {value}"
                for name, value in self.scores.items()]
        for name, row in sorted(self.per_type.items()):
            out.append(f"  {name:<10} P={row['precision']:.2f} R={row['recall']:.2f} F1={row['f1']:.2f} "
                       f"(gold {row['gold']}, found {row['found']})")
        if diff:
            out += self.diffs
        return out


def load_gold(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(kind: str, gold: str, corpus: str | None = None, model: str | None = None) -> Report:
    """Score one gold file; items whose corpus file is absent are skipped and counted."""
    if kind not in SCORERS:
        raise ValueError(f"unknown gold kind {kind!r} (choose {', '.join(KINDS)})")
    root = Path(corpus) if corpus else default_corpus()
    items, located, skipped = [], [], 0
    for item in load_gold(gold):
        try:
            place = locate(item, root)
        except (FileNotFoundError, KeyError):
            skipped += 1
            continue
        items.append(item)
        located.append(place)
    extractions = extract_all(located, model)
    scorer = SCORERS[kind]
    return scorer(kind, items, located, extractions, skipped)


def extract_all(located, model) -> dict:
    """One extraction per distinct article, in batches."""
    pipeline = nlp.load(model)
    unique = {}
    for place in located:
        unique.setdefault(place.key, place.article)
    keys, out = list(unique), {}
    for start in range(0, len(keys), 32):
        batch = keys[start:start + 32]
        for key, result in zip(batch, process_batch([unique[k] for k in batch], pipeline)):
            out[key] = None if isinstance(result, Failure) else result
    return out


def baseline_path(gold: str) -> Path:
    return Path(gold).parent / BASELINE_FILE


def baseline_key(gold: str, kind: str) -> str:
    """The baseline's name: the kind, or kind:file for a second gold set of one kind (events:sentences)."""
    stem = Path(gold).stem
    return kind if stem == kind else f"{kind}:{stem}"


def load_baseline(gold: str) -> dict:
    path = baseline_path(gold)
    return json.loads(path.read_text()) if path.is_file() else {}


PER_TYPE_FIELDS = ("tp", "fp", "fn", "f1")


def baseline_entry(report: Report) -> dict:
    """A report's numbers as stored: scores to 4 decimals, and for events each type's counts and F1."""
    entry = {k: stored_number(v) for k, v in report.scores.items() if isinstance(v, (int, float))}
    if report.per_type:
        entry["per_type"] = {t: {k: stored_number(row[k]) for k in PER_TYPE_FIELDS}
                             for t, row in report.per_type.items()}
    return entry


def stored_number(value: int | float) -> int | float:
    return round(value, 4) if isinstance(value, float) else value


def save_baseline(gold: str, report: Report) -> Path:
    """Store a report's scores as the floor the tests hold the extractor to."""
    path = baseline_path(gold)
    baselines = load_baseline(gold)
    baselines[baseline_key(gold, report.kind)] = baseline_entry(report)
    path.write_text(json.dumps(baselines, indent=2, sort_keys=True) + "\n")
    return path
