"""Agreement between annotators on the double-annotated candidates: Cohen's kappa per field.

    python scripts/agreement.py [gold/verifier/labels]

For every pair of annotators who labelled the same candidates (adjudicated labels left out), prints
the number of shared items, raw agreement and Cohen's kappa on the verdict (right / wrong / other),
and on source_ok and target_ok over the items neither annotator judged wrong.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path


def kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(observed agreement, Cohen's kappa) of two raters' labels."""
    if not pairs:
        return 0.0, 0.0
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def read(folder: Path) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("annotator") != "adjudicated":
                    out.setdefault(row.get("annotator") or path.stem, {})[row["id"]] = row
    return out


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "gold/verifier/labels")
    by_annotator = read(folder)
    for a, b in combinations(sorted(by_annotator), 2):
        shared = sorted(set(by_annotator[a]) & set(by_annotator[b]))
        if not shared:
            continue
        la, lb = by_annotator[a], by_annotator[b]
        print(f"{a} x {b}: {len(shared)} shared candidates")
        verdicts = [(la[i]["verdict"], lb[i]["verdict"]) for i in shared]
        o, k = kappa(verdicts)
        print(f"  verdict      agreement {o:.3f}  kappa {k:.3f}")
        binary = [(x == "right", y == "right") for x, y in verdicts]
        o, k = kappa(binary)
        print(f"  right vs not agreement {o:.3f}  kappa {k:.3f}")
        both_judged = [i for i in shared if la[i]["verdict"] != "wrong" and lb[i]["verdict"] != "wrong"]
        for field in ("source_ok", "target_ok"):
            o, k = kappa([(la[i].get(field), lb[i].get(field)) for i in both_judged])
            print(f"  {field:12s} agreement {o:.3f}  kappa {k:.3f}  (n={len(both_judged)})")


if __name__ == "__main__":
    main()
