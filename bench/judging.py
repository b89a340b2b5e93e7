"""What the judge_*.py samples share: articles drawn from the corpus with a seed and extracted one by one,
and a sample of the pool they yield printed for a blind reader (and kept as JSON Lines for the tally)."""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def extracted(kinds: dict[str, int], seed: int):
    """(corpus item, article, extraction as the JSON contract) for the articles a seed draws, kind by kind;
    an article that fails is left out."""
    from eventwire import nlp
    from eventwire.evaluate.corpus import default_corpus, locate
    from eventwire.evaluate.sampling import sample
    from eventwire.pipeline import Failure, process_batch
    corpus = default_corpus()
    pipeline = nlp.load(None)
    for item in sample(corpus, kinds, seed):
        article = locate({**item, "start": 0, "end": 0}, corpus).article
        x = process_batch([article], pipeline)[0]
        if not isinstance(x, Failure):
            yield item, article, x


def about(item: dict, article) -> dict:
    return {"title": article.title, "origin": item["file"], "published": str(article.published or "undated")}


def arguments(doc: str, n: int, scale: int | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=n)
    if scale is not None:
        ap.add_argument("--scale", type=int, default=scale, help="articles drawn, in units of 150")
    ap.add_argument("--out", help="also write the sample as JSON Lines (for the tally)")
    return ap.parse_args()


def publish(pool: list[dict], args, heading: str, show) -> None:
    """N of the pool, drawn with the seed, printed one by one by `show` under the heading."""
    chosen = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    print(f"# {len(chosen)} {heading} drawn with seed {args.seed} from {len(pool)}\n")
    for n, item in enumerate(chosen, 1):
        print(show(n, item) + "\n")
    if args.out:
        with open(args.out, "w") as f:
            for n, item in enumerate(chosen, 1):
                f.write(json.dumps({"n": n, **item}) + "\n")
