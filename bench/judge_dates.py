"""Random dated events with their sentences, for a reader to judge the date.

    python bench/judge_dates.py --seed N [--n 50] [--scale 1] [--out FILE]

Draws articles from ../shared/corpus in the ratio of a store of bbc/politics, BASIL and PolNeAR train
(the store issue 15 judges; the BBC files carry no date of their own, so their events are dated only by
what the text fixes), extracts them, and draws N events among those given a date (what the timeline
shows). Each is printed with the article's title and publication date, the sentence before the event's
and the event's own, the time expression the date was read from (or that it is the story's running
day), and the date as the display states it: a day, a month, a year, or a range. The reader says, for
each: right date at the stated precision, or not. No rule is shown. The seed decides everything: a new
seed is a sample nobody tuned on.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import judging  # noqa: E402 - the sibling module, by path

KINDS = {"bbc/politics": 40, "basil": 30, "polnear": 80}     # articles of each kind, times --scale


def stated(when: dict) -> str:
    """The date as the display states it, at its precision."""
    start, end, precision = when.get("date"), when.get("end"), when.get("precision")
    if precision == "year":
        return f"the year {start[:4]}"
    if precision == "month":
        return f"the month {start[:7]}"
    if end and end != start:
        return f"{precision or 'range'} {start} to {end}"
    return f"the day {start}"


def dated_events(seed: int, scale: int = 1) -> list[dict]:
    out = []
    for item, article, x in judging.extracted({kind: n * scale for kind, n in KINDS.items()}, seed):
        sentences = [s.text for s in x.sentences]
        for e in x.to_dict()["events"]:
            when = e.get("when") or {}
            if not when.get("date"):
                continue
            m = (e.get("mentions") or [{}])[0]
            index = m.get("sentence")
            before = sentences[index - 1] if isinstance(index, int) and index > 0 else ""
            out.append({"sentence": " ".join((m.get("text") or "").split()), "before": " ".join(before.split()),
                        "trigger": e.get("trigger"), "type": e.get("type"), "when": when,
                        **judging.about(item, article)})
    return out


def show(n: int, d: dict) -> str:
    when = d["when"]
    source = (f"read from \"{' '.join(when['text'].split())}\"" if when.get("text")
              else "the story's running day (no time expression in the sentence)" if when.get("source") == "story"
              else "the article's date (the text fixes none)")
    return "\n".join([
        f"## {n}. {stated(when)}",
        f"article: {d['title']}  ({d['origin']}, published {d['published']})",
        f"sentence before: {d['before'] or '(none)'}",
        f"sentence: {d['sentence']}",
        f"event: {d['type']} ({d['trigger']})",
        f"date given: {stated(when)}, {source}",
        "judgement: right date at the stated precision / wrong / cannot tell"])


def main() -> None:
    args = judging.arguments(__doc__, 50, scale=1)
    judging.publish(dated_events(args.seed, args.scale), args, "dated events", show)


if __name__ == "__main__":
    main()
