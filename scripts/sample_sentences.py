"""Draw whole sentences for recall annotation: every event in each sentence is annotated.

    python scripts/sample_sentences.py --seed 21 --n 540 --out /tmp/sentences.jsonl

Random articles of every corpus kind, none used by the events gold or the verifier's candidates, and
one to three random sentences of each (split by spaCy's rule-based sentencizer). Writes, outside the
repository, rows with the pointer (file, slice or paragraph, start, end) and, for the annotator, the
sentence, the one before it and the title; the gold file keeps only the pointers and the events.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire.evaluate.corpus import default_corpus, locate  # noqa: E402
from eventwire.evaluate.sampling import articles_in, pointer_span, sample  # noqa: E402

# Political news weighs more: a sentence set drawn evenly from sport and business holds few events.
COUNTS = {"bbc/politics": 60, "bbc/business": 25, "bbc/entertainment": 15, "bbc/sport": 15, "bbc/tech": 10,
          "reuters": 45, "muc": 35, "basil": 50, "wikievents": 10, "polnear": 50}


def main() -> None:
    import spacy
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=540)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    corpus = default_corpus()
    rng = random.Random(args.seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    used = [ROOT / "gold" / "events.jsonl", *sorted((ROOT / "gold" / "verifier").glob("candidates-*.jsonl"))]
    items = sample(corpus, COUNTS, args.seed, exclude=articles_in(used))
    rows = []
    for item in items:
        located = locate({**item, "start": 0, "end": 0}, corpus)
        text = located.article.text
        body_start = len(located.article.title or "") if located.article.title_in_text else 0
        sents = [s for s in nlp(text).sents if s.start_char >= body_start and 40 <= len(s.text.strip()) <= 600
                 and "\n\n" not in s.text.strip()]
        for s in rng.sample(sents, min(len(sents), rng.choice((1, 2, 2, 3)))):
            start = s.start_char + (len(s.text) - len(s.text.lstrip()))
            end = s.start_char + len(s.text.rstrip())
            try:
                pointer = pointer_span(item, corpus, start, end)
            except ValueError:
                continue
            before = text[max(0, start - 300):start].rsplit("\n", 1)[-1]
            locator = {k: item[k] for k in ("file", "doc_start", "doc_end", "doc_id", "published") if k in item}
            rows.append({**locator, **pointer, "kind": item["kind"], "title": located.article.title,
                         "before": before.strip(), "sentence": text[start:end]})
    rng.shuffle(rows)
    rows = rows[:args.n]
    with open(args.out, "w") as f:
        for i, row in enumerate(rows, 1):
            f.write(json.dumps({"id": f"sent-{args.seed}-{i:04d}", **row}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences from {len(items)} articles -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
