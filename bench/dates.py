"""Our relative-date rules against dateparser (with RELATIVE_BASE) on the gold set's time expressions.

    python bench/dates.py [gold/when_where.jsonl]

Each gold item whose sentence names its time gives the expression as written and the date an analyst
resolved it to; both resolvers get the expression and the publication date. Prints how often each
is right, and how often the combination eventwire uses (its rules, dateparser for what they leave)
is right.
"""
from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def right(got: date | None, gold: dict) -> bool:
    if got is None:
        return False
    accepted = [gold["value"], *gold.get("alt_values", [])]
    return any(got.isoformat().startswith(v) for v in accepted if v)


def with_dateparser(text: str, published: date) -> date | None:
    import dateparser
    settings = {"RELATIVE_BASE": datetime(published.year, published.month, published.day),
                "PREFER_DATES_FROM": "past"}
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return found.date() if found else None


def measure(path: str) -> dict:
    """How many gold time expressions each resolver gets right: rules alone, dateparser alone, eventwire."""
    from eventwire.read.dates import parse_date
    from eventwire.when import relative, resolve
    items = [json.loads(line) for line in open(path) if line.strip()]
    items = [i for i in items if i["date"].get("text") and i["date"].get("value") and i.get("published")]
    theirs = combined = rules_only = 0
    for item in items:
        published, text = parse_date(item["published"]), item["date"]["text"]
        rule = relative(" ".join(text.lower().split()), published, False)
        rules_only += right(rule[0] if rule else None, item["date"])
        when = resolve(text, published)
        combined += right(when.date if when else None, item["date"])
        theirs += right(with_dateparser(text, published), item["date"])
    return {"items": len(items), "rules": rules_only, "dateparser": theirs, "eventwire": combined}


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "gold" / "when_where.jsonl")
    counts = measure(path)
    n = counts["items"]
    print(f"{n} gold time expressions")
    print(f"our relative rules alone : {counts['rules'] / n:.3f}")
    print(f"dateparser alone         : {counts['dateparser'] / n:.3f}")
    print(f"eventwire (rules, then dateparser for explicit dates): {counts['eventwire'] / n:.3f}")
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
