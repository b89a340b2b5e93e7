"""Read queries the web needs beyond the Store's own (the graph's are in graph.py): map, links to sentences, facets by country.

All are SQLAlchemy Core over the store's engine and schema tables, every value bound as a parameter.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from sqlalchemy import and_, case, desc, func, literal_column, or_, select, union_all

from ..events.ontology import COOPERATIVE
from ..store import schema as s
from ..store.queries import contains, EventFilter

EVENTS = s.events.c


def rows(store, query) -> list[dict]:
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(query)]


def scalar(store, query):
    with store.engine.connect() as c:
        return c.execute(query).scalar_one()


COOPERATIVE_SQL = [literal_column(f"'{t}'") for t in sorted(COOPERATIVE)]   # our own constants, never input
EMPTY = literal_column("''")


def cooperative_clause():
    """Cooperation: one of PLOVER's eight cooperative types, or CAMEO quad class 1-2.

    Written with inline constants, not bound parameters: PostgreSQL accepts a GROUP BY expression only when
    it is the very same as the selected one, and two sets of parameters are not.
    """
    return or_(EVENTS.type.in_(COOPERATIVE_SQL), EVENTS.quad_class.in_([literal_column("1"), literal_column("2")]))


def where(f: EventFilter | None, *extra):
    return and_(*(f or EventFilter()).clauses(), *extra)


# Events -------------------------------------------------------------------------------------------

def event_by_id(store, event_id: int) -> dict | None:
    found = rows(store, select(s.events).where(EVENTS.id == event_id))
    return found[0] if found else None


def first_sentences(store, event_ids: list[int]) -> dict[int, int]:
    """The index of each event's first evidence sentence, for links to the article page."""
    if not event_ids:
        return {}
    m = s.event_mentions.c
    query = select(m.event_id, func.min(m.sentence).label("sentence")).where(
        m.event_id.in_(event_ids)).group_by(m.event_id)
    return {r["event_id"]: r["sentence"] for r in rows(store, query)}


def article_link(article_id: int, sentence: int | None) -> str:
    return f"/articles/{int(article_id)}" + (f"#s-{int(sentence)}" if sentence is not None else "")


def with_links(store, events: list[dict]) -> list[dict]:
    """Each event with `link`: its article page, at its sentence, and `cooperative`."""
    sentences = first_sentences(store, [e["id"] for e in events])
    for e in events:
        e["link"] = article_link(e["article_id"], sentences.get(e["id"]))
        e["cooperative"] = e["type"] in COOPERATIVE or e.get("quad_class") in (1, 2)
    return events


def country_facets(store, f: EventFilter | None, limit: int = 30) -> list[dict]:
    """Events per country on either side; an event within one country counts once."""
    counts = country_counts_unfiltered(store) if not (f and f.clauses()) else country_counts(store, f)
    ranked = sorted(((n, c) for c, n in counts.items() if n > 0), key=lambda x: (-x[0], x[1]))
    return [{"value": c, "n": n} for n, c in ranked[:limit]]


def country_counts(store, f: EventFilter) -> dict[str, int]:
    """One pass over the matching events, grouped by (source, target) country.

    Grouping by expressions keeps SQLite from walking a country index in order (with one table lookup
    per row to test the filter), which is ten times slower than letting the filter pick the index.
    """
    src, tgt = func.coalesce(EVENTS.source_country, EMPTY), func.coalesce(EVENTS.target_country, EMPTY)
    counts: dict[str, int] = defaultdict(int)
    query = select(src.label("source"), tgt.label("target"), func.count().label("n")).where(where(f)).group_by(src, tgt)
    for r in rows(store, query):
        if r["source"]:
            counts[r["source"]] += r["n"]
        if r["target"] and r["target"] != r["source"]:
            counts[r["target"]] += r["n"]
    return counts


def country_counts_unfiltered(store) -> dict[str, int]:
    """By source + by target - within one country: the first two read only their indexes."""
    counts: dict[str, int] = defaultdict(int)
    for side in (EVENTS.source_country, EVENTS.target_country):
        for r in rows(store, select(side.label("value"), func.count().label("n")).where(side.is_not(None))
                      .group_by(side)):
            counts[r["value"]] += r["n"]
    within = func.coalesce(EVENTS.source_country, EMPTY)
    for r in rows(store, select(within.label("value"), func.count().label("n"))
                  .where(EVENTS.source_country == EVENTS.target_country).group_by(within)):
        counts[r["value"]] -= r["n"]
    return counts


# Articles -----------------------------------------------------------------------------------------

def article_count(store) -> int:
    return scalar(store, select(func.count()).select_from(s.articles))


def recent_articles(store, limit: int = 20, offset: int = 0) -> list[dict]:
    """Articles newest first (by when they were stored), without their text, with their event counts."""
    a = s.articles.c
    n_events = select(func.count()).where(EVENTS.article_id == a.id).scalar_subquery()
    query = (select(a.id, a.title, a.published, a.source, a.origin, n_events.label("events"))
             .order_by(desc(a.id)).limit(limit).offset(offset))
    return rows(store, query)


def article_id_by_hash(store, content_hash: str) -> int | None:
    found = rows(store, select(s.articles.c.id).where(s.articles.c.hash == content_hash))
    return found[0]["id"] if found else None


# Actors -------------------------------------------------------------------------------------------

def actors_with_counts(store, limit: int, offset: int, q: str | None = None) -> list[dict]:
    """Actors (name, kind, country, code) with the articles they appear in and the events they take part in.

    Events are counted in one grouped query by exact name on either side (Store.actors counts by substring,
    one scan per actor, which is slow on a large store).
    """
    a = s.actors.c
    query = select(a.name, a.kind, a.country, a.code, func.count(func.distinct(a.article_id)).label("articles")) \
        .group_by(a.name, a.kind, a.country, a.code)
    if q:
        query = query.where(contains(a.name, q))
    out = rows(store, query.order_by(desc("articles"), a.name).limit(limit).offset(offset))
    counts = event_counts_by_name(store, sorted({r["name"] for r in out}))
    for row in out:
        row["events"] = counts.get(row["name"], 0)
    return out


def event_counts_by_name(store, names: list[str]) -> dict[str, int]:
    if not names:
        return {}
    sides = union_all(select(EVENTS.id, EVENTS.source_name.label("name")).where(EVENTS.source_name.in_(names)),
                      select(EVENTS.id, EVENTS.target_name.label("name")).where(
                          EVENTS.target_name.in_(names),
                          or_(EVENTS.source_name.is_(None), EVENTS.source_name != EVENTS.target_name))).subquery()
    query = select(sides.c.name, func.count().label("n")).group_by(sides.c.name)
    return {r["name"]: r["n"] for r in rows(store, query)}


# Map ----------------------------------------------------------------------------------------------

def map_points(store, f: EventFilter | None, limit: int = 2000) -> list[dict]:
    """Places with coordinates and how many events happened there, split by tone."""
    coop = func.sum(case((cooperative_clause(), 1), else_=0))
    query = (select(EVENTS.latitude.label("lat"), EVENTS.longitude.label("lon"),
                    func.max(EVENTS.place_name).label("place"), func.max(EVENTS.place_country).label("country"),
                    func.count().label("n"), coop.label("cooperation"))
             .where(where(f, EVENTS.latitude.is_not(None), EVENTS.longitude.is_not(None)))
             .group_by(EVENTS.latitude, EVENTS.longitude).order_by(desc("n")).limit(limit))
    return rows(store, query)


def place_events(store, f: EventFilter | None, lat: float, lon: float, limit: int = 100) -> list[dict]:
    query = (select(s.events).where(where(f, EVENTS.latitude == lat, EVENTS.longitude == lon))
             .order_by(desc(EVENTS.date), EVENTS.id).limit(limit))
    return with_links(store, rows(store, query))


# Claims -------------------------------------------------------------------------------------------

def claims_with_links(store, contested: bool, limit: int, offset: int) -> list[dict]:
    """Claims across articles (contested first) with stances grouped by what each actor does, each evidence
    linked to its sentence in its article, and the articles on the claim listed by title."""
    claims = store.claims(contested=contested, limit=limit, offset=offset)
    anchors = SentenceIndex(store, {st["article_id"] for c in claims for st in c["stances"]})
    for claim in claims:
        articles = {}
        for stance in claim["stances"]:
            stance["link"] = article_link(stance["article_id"], anchors.at(stance["article_id"], stance["start"]))
            articles.setdefault(stance["article_id"], {"id": stance["article_id"], "title": stance["title"],
                                                       "source": stance["source"], "published": stance["published"],
                                                       "link": article_link(stance["article_id"], None)})
        claim["by_stance"] = group_stances(claim["stances"])
        claim["article_list"] = list(articles.values())
    return claims


def unattached_with_links(store, limit: int, offset: int) -> list[dict]:
    denials = store.unattached_denials(limit=limit, offset=offset)
    anchors = SentenceIndex(store, {d["article_id"] for d in denials})
    for d in denials:
        d["link"] = article_link(d["article_id"], anchors.at(d["article_id"], d["start"]))
    return denials


def group_stances(stances: list[dict]) -> dict[str, list[dict]]:
    grouped = defaultdict(list)
    for stance in stances:
        grouped[stance["stance"] or "reported"].append(stance)
    return dict(grouped)


class SentenceIndex:
    """Which sentence of an article holds a character offset (for evidence stored only as offsets)."""

    def __init__(self, store, article_ids: set[int]):
        t = s.sentences.c
        self.starts: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if article_ids:
            query = select(t.article_id, t.idx, t.start).where(
                t.article_id.in_(sorted(article_ids)), or_(t.field.is_(None), t.field == "text")).order_by(
                t.article_id, t.start)
            for r in rows(store, query):
                self.starts[r["article_id"]].append((r["start"], r["idx"]))

    def at(self, article_id: int, offset: int | None) -> int | None:
        starts = self.starts.get(article_id)
        if not starts or offset is None:
            return None
        i = bisect_right(starts, (offset, float("inf"))) - 1
        return starts[max(i, 0)][1]
