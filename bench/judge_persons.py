"""Random person actors that were given a country, with the sentences that name them, for a reader to judge.

    python bench/judge_persons.py --seed N [--n 100] [--out FILE]

Draws articles from ../shared/corpus as bench/judge_sample.py does (bbc/politics, BASIL, Reuters-21578),
extracts them, and draws N person actors among those the system gave a country. Each is printed with the
article's title and date and the sentences of its first two mentions; the reader says whether the country
is right, wrong (confidently wrong: the error issue 13 counts) or cannot be told from the article and
general knowledge. No rule is shown: the reader judges what a user sees.
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


def placed_persons(seed: int) -> list[dict]:
    from eventwire import nlp
    from eventwire.evaluate.corpus import default_corpus, locate
    from eventwire.evaluate.sampling import sample
    from eventwire.pipeline import Failure, process_batch
    corpus = default_corpus()
    pipeline = nlp.load(None)
    out = []
    for item in sample(corpus, KINDS, seed):
        article = locate({**item, "start": 0, "end": 0}, corpus).article
        x = process_batch([article], pipeline)[0]
        if isinstance(x, Failure):
            continue
        doc = x.to_dict()
        sentences = {s["index"]: s["text"] for s in doc.get("sentences", [])}
        for a in doc["actors"]:
            if a.get("kind") == "person" and a.get("country"):
                said = [sentences.get(m.get("sentence"), m.get("text")) for m in a.get("mentions", [])[:2]]
                out.append({"name": a["name"], "country": a["country"], "role": a.get("role"),
                            "sentences": said, "title": article.title, "origin": item["file"],
                            "published": str(article.published or "undated")})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--out", help="also write the persons as JSON Lines")
    args = ap.parse_args()
    pool = placed_persons(args.seed)
    chosen = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    print(f"# {len(chosen)} persons with a country, drawn with seed {args.seed} from {len(pool)}\n")
    for n, p in enumerate(chosen, 1):
        print(f"## {n}. {p['name']} -> {p['country']}" + (f" ({p['role']})" if p.get("role") else ""))
        print(f"article: {p['title']}  ({p['origin']}, {p['published']})")
        for s in p["sentences"]:
            print(f"  - {' '.join((s or '').split())}")
        print()
    if args.out:
        with open(args.out, "w") as f:
            for n, p in enumerate(chosen, 1):
                f.write(json.dumps({"n": n, **p}) + "\n")


if __name__ == "__main__":
    main()
