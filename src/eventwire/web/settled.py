"""Counts over the stored articles, kept between requests and brought up to date with the articles stored since.

Most of what the pages count (who acts on whom, which actors appear in how many articles) is a sum over
articles of what each article holds, and an article's rows stay as they were stored unless its extraction is
replaced (reprocess), which sets a new rewrite mark in the store. So the sums of the articles counted so far
are kept with the highest article id counted and the mark; a request counts only the articles stored since
(a few rows during an ingest, instead of every event of the store after each article), and everything again
when the mark changed.

SQLite only: there articles commit in the order of their ids (one writer at a time), so no article below the
highest one seen can appear later. PostgreSQL hands out ids before commits, so there every count is made whole.
"""
from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from ..store import schema as s
from ..store.sql import rewritten_mark


class Settled:
    def __init__(self):
        self.kept: dict[tuple, tuple] = {}          # (store url, what) -> (rewrite mark, highest article id, Counter)
        self.lock = threading.Lock()

    def sums(self, store, what: str, query, key: tuple[str, ...], article_id) -> Counter:
        """Per `key` tuple, the sum of column `n` of `query(clause)` over every stored article, where `clause`
        picks articles by `article_id` (the column of the counted table that names its article). The Counter is
        the one kept: read it, never change it."""
        with store.engine.connect() as c:
            mark = rewritten_mark(c)
            top = c.execute(select(func.max(s.articles.c.id))).scalar() or 0
        with self.lock:
            kept = self.kept.get((store.url, what))
        if kept is not None and kept[0] == mark and kept[1] == top:
            return kept[2]
        if kept is not None and kept[0] == mark and kept[1] < top:
            counts, clause = Counter(kept[2]), (article_id > kept[1]) & (article_id <= top)
        else:
            counts, clause = Counter(), article_id <= top
        with store.engine.connect() as c:
            for r in c.execute(query(clause)).mappings():
                counts[tuple(r[k] for k in key)] += r["n"]
        with self.lock:
            self.kept[(store.url, what)] = (mark, top, counts)
        return counts


SETTLED = Settled()


def sql_order(item) -> tuple:
    """The order SQLite's GROUP BY gives a (key tuple, n) item (nulls first, then values)."""
    return tuple((value is not None, value if value is not None else 0) for value in item[0])
