"""Draw event candidates for annotation: random corpus articles, every event eventwire proposes in them.

    python scripts/sample_candidates.py --seed 12 --out gold/verifier/candidates-s12.jsonl \
        --view /tmp/view.jsonl [--per-article 6]

Writes pointers only (file, slice or paragraph, offsets of the sentence and the trigger) with what the
system proposed (type, sides, modality, rule): what an annotator judges. `--view` writes, outside the
repository, the same rows with the sentence and trigger text for reading; it is never committed.
Articles named in gold/events.jsonl are left out, so the events gold stays unseen by training.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire import nlp  # noqa: E402
from eventwire.evaluate.corpus import default_corpus, locate  # noqa: E402
from eventwire.evaluate.sampling import article_key, articles_in, pointer_span, sample  # noqa: E402
from eventwire.pipeline import Failure, process_batch  # noqa: E402

COUNTS = {"bbc/politics": 110, "bbc/business": 70, "bbc/entertainment": 70, "bbc/sport": 70, "bbc/tech": 60,
          "reuters": 90, "muc": 40, "basil": 80, "wikievents": 20, "polnear": 90}


def side(actor) -> dict | None:
    return None if actor is None else {"name": actor.name, "country": actor.country, "code": actor.code}


def candidates(item: dict, x, corpus: Path) -> list[tuple[dict, dict]]:
    out = []
    for event in x.events:
        for m in event.mentions:
            if m.field != "text" or m.trigger_start is None:
                continue
            try:
                sentence = pointer_span(item, corpus, m.start, m.end)
                trigger = pointer_span(item, corpus, m.trigger_start, m.trigger_end)
            except ValueError:
                continue
            locator = {k: item[k] for k in ("file", "doc_start", "doc_end", "doc_id", "published") if k in item}
            if "paragraph" in sentence:
                locator["paragraph"] = sentence["paragraph"]
            row = {**locator, "start": sentence["start"], "end": sentence["end"],
                   "trigger_start": trigger["start"], "trigger_end": trigger["end"], "kind": item["kind"],
                   "type": event.type, "source": side(event.source), "target": side(event.target),
                   "modality": event.modality, "rule": event.rule}
            text = x.article.text
            view = {"sentence": text[m.start:m.end], "trigger": text[m.trigger_start:m.trigger_end],
                    "title": x.article.title}
            out.append((row, view))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--view", required=True)
    ap.add_argument("--per-article", type=int, default=6)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every kind's article count")
    ap.add_argument("--counts", help="articles per kind instead of the default mix, e.g. reuters=600,basil=80")
    ap.add_argument("--international", action="store_true",
                    help="only candidates between actors of two different countries (to balance the labels)")
    ap.add_argument("--exclude-from", action="append", default=[],
                    help="a candidates file whose articles are not drawn again")
    args = ap.parse_args()
    corpus = default_corpus()
    counts = {k: max(1, round(v * args.scale)) for k, v in COUNTS.items()}
    if args.counts:
        counts = {k: int(v) for k, v in (pair.split("=") for pair in args.counts.split(","))}
    exclude = articles_in([ROOT / "gold" / "events.jsonl", *args.exclude_from])
    items = sample(corpus, counts, args.seed, exclude=exclude)
    rng = random.Random(args.seed)
    pipeline = nlp.load(None)
    rows = []
    for n, item in enumerate(items):
        located = locate({**item, "start": 0, "end": 0}, corpus)
        x = process_batch([located.article], pipeline)[0]
        if isinstance(x, Failure):
            print(f"{article_key(item)}: {x.reason}", file=sys.stderr)
            continue
        found = candidates(item, x, corpus)
        if args.international:
            found = [(r, v) for r, v in found if r["source"] and r["target"] and r["source"]["country"]
                     and r["target"]["country"] and r["source"]["country"] != r["target"]["country"]]
        rng.shuffle(found)
        rows += found[:args.per_article]
        if n % 50 == 0:
            print(f"{n}/{len(items)} articles, {len(rows)} candidates", file=sys.stderr)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w") as out, open(args.view, "w") as view:
        for i, (row, text) in enumerate(rows, 1):
            row = {"id": f"c{args.seed}-{i:05d}", **row}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            view.write(json.dumps({**row, **text}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} candidates from {len(items)} articles -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
