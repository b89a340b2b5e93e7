"""Random person actors that were given a country, with the sentences that name them, for a reader to judge.

    python bench/judge_persons.py --seed N [--n 100] [--out FILE]

Draws articles from ../shared/corpus as bench/judge_sample.py does (bbc/politics, BASIL, Reuters-21578),
extracts them, and draws N person actors among those the system gave a country. Each is printed with the
article's title and date and the sentences of its first two mentions; the reader says whether the country
is right, wrong (confidently wrong: the error issue 13 counts) or cannot be told from the article and
general knowledge. No rule is shown: the reader judges what a user sees.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import judging  # noqa: E402 - the sibling module, by path

KINDS = {"bbc/politics": 70, "basil": 70, "reuters": 70}


def placed_persons(seed: int) -> list[dict]:
    out = []
    for item, article, x in judging.extracted(KINDS, seed):
        doc = x.to_dict()
        sentences = {s["index"]: s["text"] for s in doc.get("sentences", [])}
        for a in doc["actors"]:
            if a.get("kind") == "person" and a.get("country"):
                said = [sentences.get(m.get("sentence"), m.get("text")) for m in a.get("mentions", [])[:2]]
                out.append({"name": a["name"], "country": a["country"], "role": a.get("role"),
                            "sentences": said, **judging.about(item, article)})
    return out


def show(n: int, p: dict) -> str:
    return "\n".join([f"## {n}. {p['name']} -> {p['country']}" + (f" ({p['role']})" if p.get("role") else ""),
                      f"article: {p['title']}  ({p['origin']}, {p['published']})",
                      *[f"  - {' '.join((s or '').split())}" for s in p["sentences"]]])


def main() -> None:
    args = judging.arguments(__doc__, 100)
    judging.publish(placed_persons(args.seed), args, "persons with a country,", show)


if __name__ == "__main__":
    main()
