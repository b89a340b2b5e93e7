"""Events per article by BBC topic: sport and entertainment hold almost no political events.

    python bench/topic_rates.py [--every 7] [--topics sport,entertainment,politics] [--show N]

Reads every Nth file of each bbc/TOPIC folder of ../shared/corpus, extracts, and prints per topic:
articles, events, events per article, and the share of events with both a source and a target.
`--show N` prints N events per topic (type, sides, trigger, rule) to see what fires.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire import nlp  # noqa: E402
from eventwire.evaluate.corpus import default_corpus  # noqa: E402
from eventwire.pipeline import Failure, process_batch  # noqa: E402
from eventwire.read.text import read_text_file  # noqa: E402


def side(a) -> str:
    return f"{a.name}({a.code or a.country or '-'})" if a else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=7)
    ap.add_argument("--topics", default="sport,entertainment,politics")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    corpus = default_corpus()
    pipeline = nlp.load(None)
    rng = random.Random(args.seed)
    for topic in args.topics.split(","):
        files = sorted((corpus / "bbc" / topic).glob("*.txt"))[::args.every]
        start = time.perf_counter()
        events, both, shown = 0, 0, []
        for batch in (files[i:i + 16] for i in range(0, len(files), 16)):
            articles = [read_text_file(str(f)) for f in batch]
            for x in process_batch(articles, pipeline):
                if isinstance(x, Failure):
                    continue
                events += len(x.events)
                both += sum(1 for e in x.events if e.source and e.target)
                shown += [(x.article.origin, e) for e in x.events]
        n = len(files)
        print(f"{topic:14s} articles {n:4d}  events {events:5d}  per article {events / max(n, 1):.2f}  "
              f"both sides {both / max(events, 1):.2f}  ({time.perf_counter() - start:.0f} s)")
        for origin, e in rng.sample(shown, min(args.show, len(shown))):
            print(f"    {e.type:9s} {side(e.source)} -> {side(e.target)} [{e.trigger}] {e.modality} "
                  f"{e.rule}  {Path(origin).name}  | {e.mentions[0].text[:150]!r}")


if __name__ == "__main__":
    main()
