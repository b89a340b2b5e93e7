#!/usr/bin/env python3
"""Agreement between the gold sets and their second, blind annotation (gold/second/).

    python scripts/gold_agreement.py

A second annotator labelled a random part of the corpus items of when_where.jsonl and actors.jsonl from
the guidelines alone (pointers given, labels hidden). Prints, per field, the number of shared items,
raw agreement and Cohen's kappa. Place names agree when either annotator's name is among the other's
accepted names; dates when the values (or accepted alternatives) share their stated precision.
Standard library only.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "gold"


def kappa(pairs: list[tuple]) -> tuple[float, float]:
    n = len(pairs)
    if not n:
        return 0.0, 0.0
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def load(path: Path) -> dict[str, dict]:
    return {i["id"]: i for i in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)}


def names(place: dict) -> set[str]:
    return {n.lower() for n in [place.get("name"), *place.get("alt_names", [])] if n}


def place_agrees(a: dict, b: dict) -> bool:
    if not a.get("name") or not b.get("name"):
        return a.get("name") == b.get("name") and a.get("country") == b.get("country")
    return a.get("country") == b.get("country") and bool(
        (a["name"].lower() in names(b)) or (b["name"].lower() in names(a)))


def date_agrees(a: dict, b: dict) -> bool:
    va = {v for v in [a.get("value"), *a.get("alt_values", [])]}
    vb = {v for v in [b.get("value"), *b.get("alt_values", [])]}
    if a.get("value") is None or b.get("value") is None:
        return a.get("value") == b.get("value")
    return bool({v[:7] if a.get("precision") == "month" else v for v in va if v}
                & {v[:7] if a.get("precision") == "month" else v for v in vb if v})


def report(label: str, pairs: list[tuple]) -> str:
    observed, k = kappa(pairs)
    return f"  {label:<16} n={len(pairs):<4} agreement={observed:.3f} kappa={k:.3f}"


def main() -> int:
    lines = []
    first, second = load(GOLD / "when_where.jsonl"), load(GOLD / "second" / "when_where.jsonl")
    shared = [i for i in second if i in first]
    lines.append(f"when_where.jsonl: {len(shared)} items annotated twice")
    lines.append(report("place country", [(first[i]["place"].get("country"), second[i]["place"].get("country")) for i in shared]))
    agree = [place_agrees(first[i]["place"], second[i]["place"]) for i in shared]
    lines.append(f"  {'place name':<16} n={len(agree):<4} agreement={sum(agree) / max(1, len(agree)):.3f}")
    agree = [date_agrees(first[i]["date"], second[i]["date"]) for i in shared]
    lines.append(f"  {'date':<16} n={len(agree):<4} agreement={sum(agree) / max(1, len(agree)):.3f}")
    first, second = load(GOLD / "actors.jsonl"), load(GOLD / "second" / "actors.jsonl")
    shared = [i for i in second if i in first]
    lines.append(f"actors.jsonl: {len(shared)} items annotated twice")
    for field in ("country", "sector", "kind"):
        lines.append(report(field, [(first[i][field], second[i][field]) for i in shared]))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
