"""Build gold/sentences.jsonl (the recall set) from its pointers and the annotators' files.

    python scripts/build_sentence_gold.py

gold/sentences/pointers.jsonl says where each sentence is (file, slice or paragraph, offsets);
gold/sentences/ann-*.jsonl list every event an annotator found in it (see gold/verifier/GUIDELINES.md,
section 6), sides in short form ("GBR GOV Tony Blair"). The gold keeps, per sentence, the events with
sides as the scorer reads them: the country, "IGO" for international bodies, else null. Where two
annotators did one sentence, the first file in name order is the gold and the pair measures agreement
(printed: event-level F1 of one against the other, by type and both sides).
"""
from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "gold" / "sentences"


def code(short: str | None) -> str | None:
    """'GBR GOV Tony Blair' -> GBR; '- IGO United Nations' -> IGO; '- UAF gunmen', null -> None."""
    if not short or short.strip().lower() == "none":
        return None
    words = short.split()
    if len(words[0]) == 3 and words[0].isupper() and words[0].isalpha():
        return words[0]
    return "IGO" if len(words) > 1 and words[1] == "IGO" else None


def events(row: dict) -> list[dict]:
    out = []
    for e in row.get("events") or []:
        g = {"type": e["type"], "source": code(e.get("source")), "target": code(e.get("target")),
             "modality": e.get("modality") or "asserted"}
        if e.get("symmetric"):
            g["symmetric"] = True
        if e.get("alt_types"):
            g["alt_types"] = list(e["alt_types"])
        out.append(g)
    return out


def f1(a: list[dict], b: list[dict]) -> tuple[int, int, int]:
    """True positives, only-in-a, only-in-b, matching by type and both sides (either order if symmetric)."""
    left = list(b)
    tp = 0
    for e in a:
        for o in left:
            same = e["type"] == o["type"] and ((e["source"], e["target"]) == (o["source"], o["target"]) or (
                e.get("symmetric") and (e["source"], e["target"]) == (o["target"], o["source"])))
            if same:
                left.remove(o)
                tp += 1
                break
    return tp, len(a) - tp, len(left)


def main() -> None:
    pointers = [json.loads(line) for line in (FOLDER / "pointers.jsonl").read_text().splitlines() if line.strip()]
    by_annotator = {}
    for path in sorted(FOLDER.glob("ann-*.jsonl")):
        by_annotator[path.stem] = {r["id"]: r for r in map(json.loads, path.read_text().splitlines()) if r}
    gold = []
    for p in pointers:
        rows = [by_annotator[a][p["id"]] for a in sorted(by_annotator) if p["id"] in by_annotator[a]]
        if rows:
            gold.append({**p, "events": events(rows[0]), "annotator": rows[0].get("annotator")})
    with open(ROOT / "gold" / "sentences.jsonl", "w") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    print(f"{len(gold)} sentences, {sum(1 for g in gold if g['events'])} with events, "
          f"{sum(len(g['events']) for g in gold)} events -> gold/sentences.jsonl")
    for a, b in combinations(sorted(by_annotator), 2):
        shared = sorted(set(by_annotator[a]) & set(by_annotator[b]))
        if not shared:
            continue
        tp = fa = fb = 0
        for i in shared:
            t, x, y = f1(events(by_annotator[a][i]), events(by_annotator[b][i]))
            tp, fa, fb = tp + t, fa + x, fb + y
        agree = sum(1 for i in shared if bool(events(by_annotator[a][i])) == bool(events(by_annotator[b][i])))
        print(f"{a} x {b}: {len(shared)} sentences; event F1 {2 * tp / max(1, 2 * tp + fa + fb):.3f} "
              f"({tp} shared, {fa} only {a}, {fb} only {b}); has-event agreement {agree / len(shared):.3f}")


if __name__ == "__main__":
    main()
