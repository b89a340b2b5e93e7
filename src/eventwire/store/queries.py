"""The store's read side: filtered, paged, sorted queries, all parameterized (no SQL is built from input)."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import String, and_, desc, event, func, literal_column, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from . import schema as s

SORTABLE = {"date": s.events.c.date, "type": s.events.c.type, "confidence": s.events.c.confidence,
            "goldstein": s.events.c.goldstein, "id": s.events.c.id, "source": s.events.c.source_name,
            "target": s.events.c.target_name, "modality": s.events.c.modality}
STORY_SORTABLE = {"date": s.stories.c.last_date, "first_date": s.stories.c.first_date, "type": s.stories.c.type,
                  "source": s.stories.c.source_name, "target": s.stories.c.target_name,
                  "articles": s.stories.c.articles, "sources": s.stories.c.sources, "mentions": s.stories.c.mentions,
                  "events": s.stories.c.events, "id": s.stories.c.id}
MAX_PAGE = 1000


@dataclass
class EventFilter:
    actor: str | None = None          # part of a source or target name
    country: str | None = None        # ISO3
    side: str = "either"              # source | target | either
    type: str | None = None
    modality: str | None = None
    since: str | None = None          # YYYY-MM-DD
    until: str | None = None
    q: str | None = None              # free text in the sentence or trigger
    article_id: int | None = None
    source: str | None = None         # ISO3 as source
    target: str | None = None         # ISO3 as target
    story_id: int | None = None       # the events of one story
    sector: str | None = None         # CAMEO sector of either actor (GOV, MIL, PTY...): the code's letters 4-6
    publisher: str | None = None      # the article's source (who published it)

    def clauses(self) -> list:
        e = s.events.c
        out = []
        if self.actor:
            out.append(or_(contains(e.source_name, self.actor), contains(e.target_name, self.actor)))
        if self.country:
            c = self.country.upper()
            sides = {"source": [e.source_country == c], "target": [e.target_country == c]}
            out.append(or_(*sides.get(self.side, sides["source"] + sides["target"])))
        if self.source:
            out.append(e.source_country == self.source.upper())
        if self.target:
            out.append(e.target_country == self.target.upper())
        if self.type:
            out.append(e.type.in_([t.strip().upper() for t in self.type.split(",") if t.strip()]))
        if self.modality:
            out.append(e.modality.in_([m.strip().lower() for m in self.modality.split(",") if m.strip()]))
        if self.since:
            out.append(e.date >= self.since)
        if self.until:
            out.append(e.date <= self.until)
        if self.q:
            out.append(or_(contains(e.sentence, self.q), contains(e.trigger, self.q)))
        if self.article_id is not None:
            out.append(e.article_id == self.article_id)
        if self.story_id is not None:
            out.append(e.story_id == self.story_id)
        if self.sector:
            pattern = "___" + self.sector.upper() + "%"
            out.append(or_(e.source_code.like(pattern), e.target_code.like(pattern)))
        if self.publisher:
            out.append(e.article_id.in_(select(s.articles.c.id).where(s.articles.c.source == self.publisher)))
        return out


class Queries:
    engine = None

    def rows(self, query) -> list[dict]:
        with self.engine.connect() as c:
            return plain_rows(c.execute(query))

    def event_query(self, f: EventFilter, sort: str = "date", descending: bool = True):
        column = SORTABLE.get(sort, s.events.c.date)
        return select(s.events).where(*f.clauses()).order_by(ordered(column, descending), s.events.c.id)

    def events(self, f: EventFilter | None = None, limit: int = 100, offset: int = 0, sort: str = "date",
               descending: bool = True) -> list[dict]:
        limit = max(1, min(int(limit), MAX_PAGE))
        # The page's ids first, sorted as narrow (column, id) pairs an index can give, then its rows: sorting
        # whole rows (their sentences) cost 100 ms on 7,500 events for a page of 50.
        page = (self.event_query(f or EventFilter(), sort, descending).with_only_columns(s.events.c.id)
                .limit(limit).offset(max(0, offset)))
        column = SORTABLE.get(sort, s.events.c.date)
        return self.rows(select(s.events).where(s.events.c.id.in_(page))
                         .order_by(ordered(column, descending), s.events.c.id))

    def iter_events(self, f: EventFilter | None = None, chunk: int = 1000) -> Iterator[dict]:
        """Every matching event, streamed in id order, a chunk at a time (never all in memory)."""
        last = 0
        f = f or EventFilter()
        while True:
            query = select(s.events).where(and_(s.events.c.id > last, *f.clauses())).order_by(s.events.c.id).limit(chunk)
            batch = self.rows(query)
            if not batch:
                return
            yield from batch
            last = batch[-1]["id"]

    def count_events(self, f: EventFilter | None = None) -> int:
        query = select(func.count()).select_from(s.events).where(*(f or EventFilter()).clauses())
        with self.engine.connect() as c:
            return c.execute(query).scalar_one()

    def facets(self, f: EventFilter | None = None, column: str = "type", limit: int = 30) -> list[dict]:
        col = getattr(s.events.c, column)
        query = (select(col.label("value"), func.count().label("n")).where(*(f or EventFilter()).clauses())
                 .group_by(col).order_by(desc("n"), ordered(col, False)).limit(limit))
        return self.rows(query)

    def event_mentions(self, event_id: int) -> list[dict]:
        return self.rows(select(s.event_mentions).where(s.event_mentions.c.event_id == event_id))

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict]:
        cols = [c for c in s.articles.c if c.name not in ("text", "document")]
        query = select(*cols).order_by(s.articles.c.id).limit(max(1, min(limit, MAX_PAGE))).offset(max(0, offset))
        return self.rows(query)

    def article(self, article_id: int) -> dict | None:
        found = self.rows(select(s.articles).where(s.articles.c.id == article_id))
        if not found:
            return None
        row = found[0]
        row["document"] = json.loads(row["document"]) if row["document"] else None
        return row

    def actors(self, limit: int = 100, offset: int = 0, q: str | None = None) -> list[dict]:
        """Actors across articles (by name, country, code) with how many events they are in."""
        a = s.actors.c
        query = select(a.name, a.kind, a.country, a.code, func.count().label("articles")).group_by(
            a.name, a.kind, a.country, a.code)
        if q:
            query = query.where(contains(a.name, q))
        query = query.order_by(desc("articles"), a.name, ordered(a.kind, False), ordered(a.country, False),
                               ordered(a.code, False)).limit(max(1, min(limit, MAX_PAGE))).offset(max(0, offset))
        out = self.rows(query)
        for row in out:
            row["events"] = self.count_events(EventFilter(actor=row["name"]))
        return out

    def quotes(self, speaker: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        query = select(s.quotes)
        if speaker:
            query = query.where(contains(s.quotes.c.speaker_name, speaker))
        return self.rows(query.order_by(s.quotes.c.id).limit(max(1, min(limit, MAX_PAGE))).offset(max(0, offset)))

    def claims(self, contested: bool = False, limit: int = 100, offset: int = 0) -> list[dict]:
        """Claims across articles (propositions), contested first, each with the articles and sources on
        each side and every stance (actor, article, sentence, offsets)."""
        p = s.propositions.c
        query = select(s.propositions)
        if contested:
            query = query.where(p.contested == 1)
        query = query.order_by(desc(p.contested), desc(p.last_date), p.id).limit(max(1, min(limit, MAX_PAGE)))
        out = self.rows(query.offset(max(0, offset)))
        stances = self.claim_stances([c["id"] for c in out])
        for claim in out:
            claim["asserted"] = {"articles": claim.pop("asserted_articles"), "sources": claim.pop("asserted_sources")}
            claim["denied"] = {"articles": claim.pop("denied_articles"), "sources": claim.pop("denied_sources")}
            claim["stances"] = stances.get(claim["id"], [])
        return out

    def claim_stances(self, proposition_ids: list[int]) -> dict[int, list[dict]]:
        cl, st, a = s.claims.c, s.stances.c, s.articles.c
        query = (select(cl.proposition_id, cl.article_id, cl.event_id, a.title, a.source, a.published, a.url, cl.day,
                        st.actor_name, st.actor_country, st.stance, st.evidence, st.start, st.end, st.rule)
                 .select_from(s.stances.join(s.claims, cl.id == st.claim_id).join(s.articles, a.id == cl.article_id))
                 .where(cl.proposition_id.in_(proposition_ids)).order_by(cl.day, cl.article_id, st.start))
        out: dict[int, list[dict]] = {}
        for row in self.rows(query) if proposition_ids else []:
            out.setdefault(row.pop("proposition_id"), []).append(row)
        return out

    def unattached_denials(self, limit: int = 100, offset: int = 0) -> list[dict]:
        """Denials of 'the accusations' whose claim no article in the window states."""
        cl, st, a = s.claims.c, s.stances.c, s.articles.c
        query = (select(cl.article_id, a.title, a.source, a.published, cl.day, st.actor_name, st.actor_country,
                        st.stance, st.evidence, st.start, st.end, st.rule)
                 .select_from(s.stances.join(s.claims, cl.id == st.claim_id).join(s.articles, a.id == cl.article_id))
                 .where(cl.type.is_(None), cl.proposition_id.is_(None))
                 .order_by(desc(cl.day), cl.id).limit(max(1, min(limit, MAX_PAGE))).offset(max(0, offset)))
        return self.rows(query)

    def claims_stale(self) -> bool:
        from .propositions import stale
        with self.engine.connect() as c:
            return stale(c)

    def mark_claims_fresh(self) -> None:
        from .propositions import mark_fresh
        with self.transaction() as c:
            mark_fresh(c)

    def failures(self, limit: int = 100) -> list[dict]:
        return self.rows(select(s.failures).order_by(desc(s.failures.c.id)).limit(limit))

    def stale_articles(self, version: str, model: str, model_version: str) -> list[int]:
        """Articles extracted by another eventwire or spaCy pipeline than the one given."""
        a = s.articles.c
        query = select(a.id).where(or_(a.eventwire_version != version, a.model != model,
                                       a.model_version != model_version)).order_by(a.id)
        return [r["id"] for r in self.rows(query)]

    def aggregates(self, f: EventFilter | None = None, interval: str = "day") -> list[dict]:
        """Events per day (or ISO week) and type."""
        e = s.events.c
        f = f or EventFilter()
        bucket = e.date if interval == "day" else self.week_expression()
        query = (select(bucket.label("period"), e.type, func.count().label("n"))
                 .where(and_(e.date.is_not(None), *f.clauses())).group_by(bucket, e.type).order_by(bucket, e.type))
        return self.rows(query)

    def week_expression(self):
        """The Monday of an event's week, as YYYY-MM-DD, in either database's dialect."""
        e = s.events.c
        if self.engine.dialect.name == "sqlite":
            return func.date(e.date, literal_column("'weekday 0'"), literal_column("'-6 days'"))
        iso = literal_column("'YYYY-MM-DD'")    # literals, not parameters: PostgreSQL must see one GROUP BY expression
        return func.to_char(func.date_trunc(literal_column("'week'"), func.to_date(e.date, iso)), iso)

    def pairs(self, f: EventFilter | None = None, limit: int = 200) -> list[dict]:
        """Actor-to-actor counts (by country code where known), with the share that is cooperative."""
        e = s.events.c
        src = func.coalesce(e.source_code, e.source_name)
        tgt = func.coalesce(e.target_code, e.target_name)
        query = (select(src.label("source"), tgt.label("target"), e.quad_class, func.count().label("n"))
                 .where(and_(e.source_name.is_not(None), e.target_name.is_not(None), *(f or EventFilter()).clauses()))
                 .group_by(src, tgt, e.quad_class)
                 .order_by(desc("n"), src, tgt, ordered(e.quad_class, False)).limit(limit))
        return self.rows(query)

    def story_query(self, f: EventFilter | None, min_articles: int = 1, sort: str = "date",
                    descending: bool = True):
        """Stories with at least one event matching the filter (the filter speaks of events, so both pages agree)."""
        st = s.stories.c
        query = select(s.stories).where(st.articles >= min_articles)
        clauses = (f or EventFilter()).clauses()
        if clauses:
            query = query.where(st.id.in_(select(s.events.c.story_id).where(and_(*clauses))))
        column = STORY_SORTABLE.get(sort, st.last_date)
        return query.order_by(ordered(column, descending), desc(st.articles), st.id)

    def stories(self, f: EventFilter | None = None, limit: int = 100, offset: int = 0, sort: str = "date",
                descending: bool = True, min_articles: int = 1) -> list[dict]:
        """Story events, a page at a time: counts of events, mentions, articles, sources, and the date range."""
        limit = max(1, min(int(limit), MAX_PAGE))
        return self.rows(self.story_query(f, min_articles, sort, descending).limit(limit).offset(max(0, offset)))

    def count_stories(self, f: EventFilter | None = None, min_articles: int = 1) -> int:
        query = self.story_query(f, min_articles).order_by(None).subquery()
        with self.engine.connect() as c:
            return c.execute(select(func.count()).select_from(query)).scalar_one()

    def story(self, story_id: int) -> dict | None:
        """One story with its evidence: every event (by date), each with its mentions and its article."""
        found = self.rows(select(s.stories).where(s.stories.c.id == story_id))
        if not found:
            return None
        story = found[0]
        e = s.events.c
        story["events"] = self.rows(select(s.events).where(e.story_id == story_id).order_by(ordered(e.date, False), e.id))
        ids = [row["id"] for row in story["events"]]
        mentions = self.rows(select(s.event_mentions).where(s.event_mentions.c.event_id.in_(ids))) if ids else []
        a = s.articles.c
        articles = {row["id"]: row for row in self.rows(
            select(a.id, a.title, a.source, a.published, a.url, a.origin, a.duplicate_of)
            .where(a.id.in_({row["article_id"] for row in story["events"]})).order_by(a.id))} if ids else {}
        for event in story["events"]:
            event["mentions"] = [m for m in mentions if m["event_id"] == event["id"]]
            event["article"] = articles.get(event["article_id"])
        story["article_list"] = list(articles.values())
        return story

    def stats(self) -> dict:
        out = {t: self.count(t) for t in ("articles", "events", "stories", "actors", "quotes", "claims", "failures")}
        out["events_by_type"] = {r["value"]: r["n"] for r in self.facets(column="type")}
        out["events_by_modality"] = {r["value"]: r["n"] for r in self.facets(column="modality")}
        with self.engine.connect() as c:
            out["contested_claims"] = c.execute(select(func.count()).select_from(s.propositions)
                                                .where(s.propositions.c.contested == 1)).scalar_one()
        return out

    def check(self) -> list[str]:
        """Integrity problems, if any: orphans, events without evidence, a damaged SQLite file."""
        problems = []
        with self.engine.connect() as c:
            if self.engine.dialect.name == "sqlite":
                result = c.exec_driver_sql("PRAGMA integrity_check").scalar()
                if result != "ok":
                    problems.append(f"sqlite integrity_check: {result}")
            orphan = select(func.count()).select_from(s.events).where(
                s.events.c.article_id.not_in(select(s.articles.c.id)))
            if (n := c.execute(orphan).scalar_one()):
                problems.append(f"{n} events without their article")
            bare = select(func.count()).select_from(s.events).where(
                s.events.c.id.not_in(select(s.event_mentions.c.event_id)))
            if (n := c.execute(bare).scalar_one()):
                problems.append(f"{n} events without a mention")
            problems += story_problems(c)
            problems += claim_problems(c)
            dup = select(s.articles.c.hash).group_by(s.articles.c.hash).having(func.count() > 1)
            if (rows := c.execute(dup).all()):
                problems.append(f"{len(rows)} articles stored twice")
            problems += failure_problems(c)
        return problems


def claim_problems(c) -> list[str]:
    """Claims outside every proposition, or in one that is gone (a store of an older eventwire excepted:
    `eventwire claims` already names it)."""
    from .propositions import stale
    if stale(c):
        return []
    cl = s.claims.c
    lost = select(func.count()).select_from(s.claims).where(
        cl.type.is_not(None), or_(cl.proposition_id.is_(None), cl.proposition_id.not_in(select(s.propositions.c.id))))
    n = c.execute(lost).scalar_one()
    return [f"{n} claims not grouped across articles (`eventwire reprocess --all` regroups them)"] if n else []


def plain_rows(result) -> list[dict]:
    """Rows as dicts keyed by plain strings. SQLAlchemy names columns with `quoted_name`, a str subclass, and
    the web's JSON encoder (pydantic) examines every key of another class attribute by attribute: a page of 50
    claims spent 40 ms on its keys alone."""
    keys = [str.__str__(k) for k in result.keys()]
    return [dict(zip(keys, r)) for r in result]


def contains(column, text: str):
    """Case-insensitive substring match in every alphabet; '%' and '_' typed by a user are characters, not wildcards."""
    return lowered(column).contains(text.lower(), autoescape=True)


class lowered(FunctionElement):  # noqa: N801 - an SQL function, named like one
    """Text in lower case, as Python's str.lower() has it: SQLite's lower() folds ASCII alone, and so does
    PostgreSQL's in a database of the C locale ('Ärger', 'Österreich', 'РОССИЯ' stay as they are)."""
    type = String()
    name = "lowered"
    inherit_cache = True


UNICODE_LOWER = "unicode_lower"     # the Python function each SQLite connection gets (use_unicode_lower)
ICU_ROOT = "und-x-icu"              # PostgreSQL's collation for every language, present where built with ICU


@compiles(lowered, "sqlite")
def lowered_in_sqlite(element, compiler, **kw) -> str:
    return f"{UNICODE_LOWER}({compiler.process(element.clauses, **kw)})"


@compiles(lowered)
def lowered_elsewhere(element, compiler, **kw) -> str:
    collation = f' COLLATE "{ICU_ROOT}"' if getattr(compiler.dialect, "eventwire_icu", False) else ""
    return f"lower({compiler.process(element.clauses, **kw)}{collation})"


def use_unicode_lower(engine) -> None:
    """Make `lowered` fold every alphabet: a Python function in SQLite; in PostgreSQL the ICU root
    collation when the server has it (else lower() follows the database's own locale)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda connection, _record: connection.create_function(
            UNICODE_LOWER, 1, unicode_lower, deterministic=True))
    elif engine.dialect.name == "postgresql":
        with engine.connect() as c:
            found = c.exec_driver_sql("SELECT 1 FROM pg_collation WHERE collname = %(name)s", {"name": ICU_ROOT})
            engine.dialect.eventwire_icu = found.first() is not None


def unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def ordered(column, descending: bool):
    """Nulls last either way, so SQLite (nulls first ascending) and PostgreSQL (nulls first descending) agree."""
    return (desc(column) if descending else column).nulls_last()


def failure_problems(c) -> list[str]:
    """The same failure (input and reason) recorded more than once: a store written before re-runs recorded it once."""
    f = s.failures.c
    twice = select(f.origin).group_by(f.origin, f.reason).having(func.count() > 1).subquery()
    if (n := c.execute(select(func.count()).select_from(twice)).scalar_one()):
        return [f"{n} failures recorded more than once"]
    return []


def story_problems(c) -> list[str]:
    """Events without a story (an ingest stopped before grouping them), events pointing at a missing story,
    and stories left without events."""
    e, st = s.events.c, s.stories.c
    problems = []
    loose = select(func.count()).select_from(s.events).where(e.story_id.is_(None))
    if (n := c.execute(loose).scalar_one()):
        problems.append(f"{n} events not grouped into stories (an ingest stopped before grouping them; "
                        "`eventwire ingest` again groups them)")
    lost = select(func.count()).select_from(s.events).where(e.story_id.is_not(None), e.story_id.not_in(select(st.id)))
    if (n := c.execute(lost).scalar_one()):
        problems.append(f"{n} events in a story that does not exist")
    empty = select(func.count()).select_from(s.stories).where(
        st.id.not_in(select(e.story_id).where(e.story_id.is_not(None))))
    if (n := c.execute(empty).scalar_one()):
        problems.append(f"{n} stories without events")
    return problems
