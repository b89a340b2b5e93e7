"""Reading the project's TSV data files: a header row, '#' comments, tab-separated columns."""
from __future__ import annotations

import csv
from functools import lru_cache

from .settings import DATA_DIR


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict, ...]:
    """Every row of data/NAME as a dict keyed by the header; comment and blank lines skipped."""
    with open(DATA_DIR / name, encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(reader)]
    out = []
    for values in reader:
        values = [v.strip() for v in values] + [""] * (len(header) - len(values))
        out.append(dict(zip(header, values)))
    return tuple(out)


def split(value: str) -> list[str]:
    """A '|'-separated cell as a list, empty items dropped."""
    return [v.strip() for v in (value or "").split("|") if v.strip()]
