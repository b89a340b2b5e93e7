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

THIRD_PARTY = ("polnear", "wikievents", "muc")     # scored on a third-party corpus's own annotation
KINDS = (*SCORERS, *THIRD_PARTY)
BASELINE_FILE = "baseline.json"


@dataclass
class Report:
    kind: str
    items: int
    skipped: int
    scores: dict
    per_type: dict = field(default_factory=dict)
    diffs: list = field(default_factory=list)
    skip_reason: str = "corpus file missing"

    def lines(self, diff: bool = False) -> list[str]:
        out = [f"{self.kind}: {self.items} items scored, {self.skipped} skipped ({self.skip_reason})"]
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


def evaluate(kind: str, gold: str, corpus: str | None = None, model: str | None = None,
             limit: int | None = None) -> Report:
    """Score one gold file; items whose corpus file is absent are skipped and counted. `limit` scores only the first
    documents of a third-party corpus (PolNeAR articles, WikiEvents documents, MUC messages)."""
    if kind not in KINDS:
        raise ValueError(f"unknown gold kind {kind!r} (choose {', '.join(KINDS)})")
    if limit is not None and kind not in THIRD_PARTY:
        raise ValueError(f"a limit applies to the third-party kinds ({', '.join(THIRD_PARTY)}), not to {kind}")
    if kind in THIRD_PARTY:
        return evaluate_third_party(kind, gold, model, limit)
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


def evaluate_third_party(kind: str, gold: str, model: str | None, limit: int | None) -> Report:
    if kind == "polnear":
        from .polnear import evaluate_polnear
        return evaluate_polnear(gold, model, limit)
    if kind == "wikievents":
        from .wikievents import evaluate_wikievents
        return evaluate_wikievents(gold, model, limit)
    from .muc import evaluate_muc
    return evaluate_muc(gold, model, limit)


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


def baseline_path(gold: str, kind: str | None = None) -> Path:
    """Beside a gold file; for a third-party corpus (a PolNeAR or MUC folder, a WikiEvents file), the repository's
    gold/ here."""
    if Path(gold).is_dir() or kind in THIRD_PARTY:
        here = Path.cwd() / "gold"
        if not here.is_dir():
            raise ValueError(f"{gold}: its baseline lives in gold/{BASELINE_FILE}; run from the repository")
        return here / BASELINE_FILE
    return Path(gold).parent / BASELINE_FILE


def baseline_key(gold: str, kind: str, limit: int | None = None) -> str:
    """The baseline's name: the kind, or kind:file for a second gold set of one kind (events:sentences);
    a third-party corpus is named by its split (folder or file), its dev split by the kind alone (polnear,
    polnear:train, wikievents:test, muc:tst3); a run of its first N documents adds :firstN (muc:tst3:first20)."""
    path = Path(gold)
    split = path.name if path.is_dir() else path.stem
    if path.is_dir() or kind in THIRD_PARTY:
        key = kind if split == "dev" else f"{kind}:{split}"
    else:
        key = kind if split == kind else f"{kind}:{split}"
    return key if limit is None else f"{key}:first{limit}"


def load_baseline(gold: str, kind: str | None = None) -> dict:
    path = baseline_path(gold, kind)
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


def save_baseline(gold: str, report: Report, limit: int | None = None) -> Path:
    """Store a report's scores as the floor the tests hold the extractor to."""
    path = baseline_path(gold, report.kind)
    baselines = json.loads(path.read_text()) if path.is_file() else {}
    baselines[baseline_key(gold, report.kind, limit)] = baseline_entry(report)
    path.write_text(json.dumps(baselines, indent=2, sort_keys=True) + "\n")
    return path
