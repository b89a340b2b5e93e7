"""Random map points (events placed at a point) with their sentences, for a reader to judge.

    python bench/judge_places.py --seed N [--n 50] [--scale 2] [--out FILE]

Draws articles from ../shared/corpus in the ratio of a store of bbc/politics, BASIL and PolNeAR train
(the store issue 15 judges), extracts them, and draws N events among those whose place has coordinates
(what the map shows). Each is printed with the article's title and date, the event's sentence, the place
name as the text writes it and the place it was resolved to (name, kind, first-level region, country,
coordinates). The reader says, for each: right country or not, and, in the right country, right point or
not (a country's or region's point is right when the event is only placed that precisely). No rule is
shown: the reader judges what a user sees. The seed decides everything: a new seed is a sample nobody
tuned on.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import judging  # noqa: E402 - the sibling module, by path

# Articles drawn of each kind, in about the ratio of the three corpora (417, 319 and 840 articles), times
# --scale: about one article in four gives a map point, so the default draws some 300 articles for 50 points.
KINDS = {"bbc/politics": 40, "basil": 30, "polnear": 80}


def map_points(seed: int, scale: int = 2) -> list[dict]:
    out = []
    for item, article, x in judging.extracted({kind: n * scale for kind, n in KINDS.items()}, seed):
        for e in x.to_dict()["events"]:
            place = e.get("place") or {}
            if place.get("latitude") is None or place.get("longitude") is None:
                continue
            m = (e.get("mentions") or [{}])[0]
            out.append({"sentence": " ".join((m.get("text") or "").split()), "trigger": e.get("trigger"),
                        "type": e.get("type"), "place": place, **judging.about(item, article)})
    return out


def show(n: int, p: dict) -> str:
    place = p["place"]
    where = ", ".join(s for s in (place.get("name"), place.get("admin1"), place.get("country")) if s)
    return "\n".join([
        f"## {n}. {where}",
        f"article: {p['title']}  ({p['origin']}, {p['published']})",
        f"sentence: {p['sentence']}",
        f"event: {p['type']} ({p['trigger']})",
        f"place as written: {' '.join((place.get('text') or '(not written: the story is there)').split())}",
        f"resolved: {place.get('name')} [{place.get('kind') or 'unknown kind'}], admin1 "
        f"{place.get('admin1') or '-'}, country {place.get('country')}, at {place['latitude']:.4f}, "
        f"{place['longitude']:.4f}",
        "judgement: country right / wrong; point right / wrong within the country / cannot tell"])


def main() -> None:
    args = judging.arguments(__doc__, 50, scale=2)
    judging.publish(map_points(args.seed, args.scale), args, "map points", show)


if __name__ == "__main__":
    main()
