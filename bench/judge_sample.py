"""Random events with their sentences, for a person to judge right / partly / wrong.

    python bench/judge_sample.py --seed N --n 60 [--db STORE] [--out FILE]

Without --db: draws articles from ../shared/corpus (bbc/politics, BASIL, Reuters-21578, in the ratio
of a store an analyst would build), extracts them, and draws N events at random among all their
events. With --db: draws N events from that store. Each event is printed with its sentence, its title,
the actors as coded (name, country, code), modality and, when reported, who says so; no rule and no
score (the reader judges what a user sees). The seed decides everything: a reader's counts can be
reproduced and a new seed gives a sample nobody tuned on.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

KINDS = {"bbc/politics": 70, "basil": 70, "reuters": 70}


def side(ref: dict | None) -> str:
    if not ref:
        return "(none)"
    return f"{ref.get('name')} [{ref.get('country') or '-'} {ref.get('code') or '-'}]"


def from_corpus(seed: int) -> list[tuple[dict, dict]]:
    from eventwire import nlp
    from eventwire.evaluate.corpus import default_corpus, locate
    from eventwire.evaluate.sampling import sample
    from eventwire.pipeline import Failure, process_batch
    corpus = default_corpus()
    items = sample(corpus, KINDS, seed)
    pipeline = nlp.load(None)
    out = []
    for item in items:
        article = locate({**item, "start": 0, "end": 0}, corpus).article
        x = process_batch([article], pipeline)[0]
        if isinstance(x, Failure):
            continue
        doc = x.to_dict()
        for e in doc["events"]:
            out.append((e, {"title": article.title, "origin": item["file"], "kind": item["kind"],
                            "published": str(article.published or "")}))
    return out


def from_store(db: str) -> list[tuple[dict, dict]]:
    from eventwire import api
    rows = api.events(db=db, limit=10**7)
    return [(r, {"title": r.get("article_title"), "origin": r.get("origin"), "published": r.get("date")})
            for r in rows]


def show(n: int, e: dict, about: dict) -> str:
    m = (e.get("mentions") or [{}])[0]
    sentence = m.get("text") or e.get("sentence") or ""
    lines = [f"## {n}. {e['type']} ({e.get('cameo_name') or ''})",
             f"article: {about.get('title')}  ({about.get('origin')}, {about.get('published') or 'undated'})",
             f"sentence: {sentence}",
             f"trigger: {e.get('trigger')}",
             f"source: {side(e.get('source'))}",
             f"target: {side(e.get('target'))}",
             f"modality: {e.get('modality')}" + (f" (according to {side(e.get('attributed_to'))})"
                                                  if e.get("attributed_to") else "")]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--db", help="draw from this store instead of extracting corpus articles")
    ap.add_argument("--out", help="also write the events as JSON Lines (for the tally)")
    args = ap.parse_args()
    pool = from_store(args.db) if args.db else from_corpus(args.seed)
    chosen = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    print(f"# {len(chosen)} events drawn with seed {args.seed} from {len(pool)}\n")
    for n, (e, about) in enumerate(chosen, 1):
        print(show(n, e, about) + "\n")
    if args.out:
        with open(args.out, "w") as f:
            for n, (e, about) in enumerate(chosen, 1):
                f.write(json.dumps({"n": n, "event": e, "article": about}, default=str) + "\n")


if __name__ == "__main__":
    main()
