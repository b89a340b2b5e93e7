"""Read queries the web needs beyond the Store's own (the graph's are in graph.py): map, links to sentences, facets by country.

All are SQLAlchemy Core over the store's engine and schema tables, every value bound as a parameter.
"""
from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict, defaultdict
from functools import lru_cache
from pathlib import PurePath

from sqlalchemy import and_, case, desc, func, literal_column, or_, select, true, union_all

from ..data import rows as data_rows
from ..ontology import COOPERATIVE
from ..store import schema as s
from ..store.queries import contains, EventFilter, ordered, plain_rows
from .settled import SETTLED, sql_order

EVENTS = s.events.c


def rows(store, query) -> list[dict]:
    with store.engine.connect() as c:
        return plain_rows(c.execute(query))


def scalar(store, query):
    with store.engine.connect() as c:
        return c.execute(query).scalar_one()


COOPERATIVE_SQL = [literal_column(f"'{t}'") for t in sorted(COOPERATIVE)]   # our own constants, never input
EMPTY = literal_column("''")


def cooperative_clause():
    """Cooperation: one of PLOVER's eight cooperative types; CAMEO quad class 1-2 only for an untyped event.

    Written with inline constants, not bound parameters: PostgreSQL accepts a GROUP BY expression only when
    it is the very same as the selected one, and two sets of parameters are not.
    """
    return or_(EVENTS.type.in_(COOPERATIVE_SQL),
               and_(EVENTS.type.is_(None), EVENTS.quad_class.in_([literal_column("1"), literal_column("2")])))


def where(f: EventFilter | None, *extra):
    return and_(true(), *(f or EventFilter()).clauses(), *extra)


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


def ranked(counts: dict, limit: int) -> list[dict]:
    """value and n, most first, then by value (nulls last), as the facet queries order them."""
    order = sorted(counts.items(), key=lambda x: (-x[1], x[0] is None, x[0] or ""))
    return [{"value": v, "n": n} for v, n in order[:limit] if n > 0]


def side_sums(pairs: dict[tuple, int]) -> dict[str, int]:
    """Events per value on either side from counts per (source value, target value); one value on both sides
    counts once."""
    counts: dict[str, int] = defaultdict(int)
    for (source, target), n in pairs.items():
        if source:
            counts[source] += n
        if target and target != source:
            counts[target] += n
    return counts


def grouped(*columns, join_articles: bool = False):
    """A query of events counted per the columns (k0, k1...), for the articles a clause picks."""
    def query(clause):
        table = s.events.join(s.articles, EVENTS.article_id == s.articles.c.id) if join_articles else s.events
        return (select(*(c.label(f"k{i}") for i, c in enumerate(columns)), func.count().label("n"))
                .select_from(table).where(clause).group_by(*columns))
    return query


def settled_facets(store) -> dict[str, list[dict]]:
    """The facets of every event from kept counts (settled.py): the same values and order as counted whole."""
    def sums(what, *columns, join_articles=False):
        key = tuple(f"k{i}" for i in range(len(columns)))
        return SETTLED.sums(store, f"facet {what}", grouped(*columns, join_articles=join_articles), key,
                            EVENTS.article_id)
    names = country_names()
    by_type = {k[0]: n for k, n in sums("type", EVENTS.type).items()}
    by_modality = {k[0]: n for k, n in sums("modality", EVENTS.modality).items()}
    countries = side_sums(sums("countries", EVENTS.source_country, EVENTS.target_country))
    sectors = side_sums(sums("sectors", func.substr(EVENTS.source_code, 4, 3), func.substr(EVENTS.target_code, 4, 3)))
    publishers = {k[0]: n for k, n in sums("publishers", s.articles.c.source, join_articles=True).items()
                  if k[0] is not None and k[0] != ""}
    sectors = {v: n for v, n in sectors.items() if len(v) == 3 and v.isalpha()}
    return {"type": ranked(by_type, 16), "modality": ranked(by_modality, 6),
            "country": [{**c, "label": names.get(c["value"], c["value"])}
                        for c in ranked({c: n for c, n in countries.items() if c}, 20)],
            "sector": [{**c, "label": SECTORS.get(c["value"], c["value"])} for c in ranked(sectors, 16)],
            "publisher": ranked(publishers, 12)}


def pairs(store, f: EventFilter, limit: int) -> list[dict]:
    """Actor-to-actor counts as Store.pairs gives them; those of every event from kept counts (settled.py)."""
    if not (store.is_sqlite and not f.clauses()):
        return store.pairs(f, limit=limit)
    src = func.coalesce(EVENTS.source_code, EVENTS.source_name)
    tgt = func.coalesce(EVENTS.target_code, EVENTS.target_name)

    def query(clause):
        return (select(src.label("source"), tgt.label("target"), EVENTS.quad_class, func.count().label("n"))
                .where(clause, EVENTS.source_name.is_not(None), EVENTS.target_name.is_not(None))
                .group_by(src, tgt, EVENTS.quad_class))
    key = ("source", "target", "quad_class")
    counts = SETTLED.sums(store, "pairs", query, key, EVENTS.article_id)
    order = sorted(counts.items(), key=lambda x: (-x[1], x[0][0], x[0][1], x[0][2] is None, x[0][2] or 0))
    return [{**dict(zip(key, k)), "n": n} for k, n in order[:limit]]


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

def article_id_by_hash(store, content_hash: str) -> int | None:
    found = rows(store, select(s.articles.c.id).where(s.articles.c.hash == content_hash))
    return found[0]["id"] if found else None


def article_stamp(store, article_id: int) -> tuple | None:
    """What an article's page is made of, short of its text and document: every column a write or a
    reprocess changes along with them (the text by its hash); None when there is no such article."""
    return article_stamps(store, [article_id]).get(article_id)


def article_stamps(store, article_ids) -> dict[int, tuple]:
    a = s.articles.c
    query = select(a.id, a.hash, a.title, a.published, a.url, a.source, a.origin, a.duplicate_of,
                   a.eventwire_version, a.model, a.model_version, a.ingested_at).where(a.id.in_(sorted(article_ids)))
    with store.engine.connect() as c:
        return {r[0]: tuple(r[1:]) for r in c.execute(query)}


# Actors -------------------------------------------------------------------------------------------

def actors_with_counts(store, limit: int, offset: int, q: str | None = None) -> list[dict]:
    """Actors (name, kind, country, code) with the articles they appear in and the events they take part in.

    Events are counted in one grouped query by exact name on either side (Store.actors counts by substring,
    one scan per actor, which is slow on a large store).
    """
    if store.is_sqlite and not q:
        return settled_actors(store, limit, offset)
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


IDENTITY = ("name", "kind", "country", "code")


def identity_query(clause):
    """Articles per actor identity: an article is disjoint from every other, so the counts of two sets of
    articles add up."""
    a = s.actors.c
    return (select(a.name, a.kind, a.country, a.code, func.count(func.distinct(a.article_id)).label("n"))
            .where(clause).group_by(a.name, a.kind, a.country, a.code))


def name_events_query(clause):
    """Events per actor name on either side; an event with the same name on both sides counts once."""
    sides = union_all(select(EVENTS.source_name.label("name")).where(clause, EVENTS.source_name.is_not(None)),
                      select(EVENTS.target_name.label("name")).where(
                          clause, EVENTS.target_name.is_not(None),
                          or_(EVENTS.source_name.is_(None), EVENTS.source_name != EVENTS.target_name))).subquery()
    return select(sides.c.name, func.count().label("n")).group_by(sides.c.name)


def settled_actors(store, limit: int, offset: int) -> list[dict]:
    """The actors list from kept counts (settled.py): those in most articles first, then by name."""
    identities = SETTLED.sums(store, "actor identities", identity_query, IDENTITY, s.actors.c.article_id)
    ranked = ranked_page(identities, limit, offset)
    events = SETTLED.sums(store, "events by name", name_events_query, ("name",), EVENTS.article_id)
    return [{**dict(zip(IDENTITY, key)), "articles": n, "events": events.get((key[0],), 0)} for key, n in ranked]


def ranked_page(counts, limit: int, offset: int) -> list[tuple]:
    """One page of (key, n), most first, ties in the order SQL gives them; only the keys that can be on it
    are sorted by key (a store holds thousands of actors)."""
    wanted = offset + limit
    most = sorted(counts.values(), reverse=True)
    least = most[wanted - 1] if len(most) >= wanted else 0
    return sorted((item for item in counts.items() if item[1] >= least),
                  key=lambda item: (-item[1], sql_order(item)))[offset:wanted]


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


def sentence_starts(store, article_ids) -> dict[int, list[tuple[int, int]]]:
    """(start, index) of each article's sentences of the text, in order; kept while the article's row is as
    it was (a 1 MB article has 13,000 sentences, and its claims are listed on every claims page)."""
    stamps = article_stamps(store, article_ids)
    return {article_id: STARTS.get((store.url, article_id, stamps.get(article_id)),
                                   lambda article_id=article_id: read_sentence_starts(store, article_id))
            for article_id in sorted(article_ids)}


def read_sentence_starts(store, article_id: int) -> list[tuple[int, int]]:
    t = s.sentences.c
    query = select(t.start, t.idx).where(t.article_id == article_id, or_(t.field.is_(None), t.field == "text")) \
        .order_by(t.start)
    with store.engine.connect() as c:          # tuples, not mappings: thousands of rows
        return [tuple(r) for r in c.execute(query)]


class SentenceIndex:
    """Which sentence of an article holds a character offset (for evidence stored only as offsets)."""

    def __init__(self, store, article_ids: set[int]):
        self.starts = sentence_starts(store, article_ids) if article_ids else {}

    def at(self, article_id: int, offset: int | None) -> int | None:
        starts = self.starts.get(article_id)
        if not starts or offset is None:
            return None
        i = bisect_right(starts, (offset, float("inf"))) - 1
        return starts[max(i, 0)][1]


# What a page may show of where an article came from ----------------------------------------------

def public_origin(origin: str | None) -> str | None:
    """An article's origin as pages and the API show it: a URL as it is, a file by its name only.

    The absolute path stays in the store (reprocessing reads it) but says nothing to a reader and tells a
    stranger how the server's disk is laid out.
    """
    if not origin:
        return origin
    if "://" in origin:
        return origin
    return PurePath(origin.replace("\\", "/")).name or None


def without_paths(article: dict | None) -> dict | None:
    if article is not None and "origin" in article:
        article["origin"] = public_origin(article["origin"])
    return article


# Articles -----------------------------------------------------------------------------------------

ARTICLE_SORTS = ("published", "title", "source", "events", "id")


def article_query(q: str | None):
    a = s.articles.c
    query = select(a.id)
    if q:
        query = query.where(or_(contains(a.title, q), contains(a.source, q), contains(a.text, q)))
    return query


def article_total(store, q: str | None = None) -> int:
    return scalar(store, select(func.count()).select_from(article_query(q).subquery()))


def article_list(store, q: str | None = None, sort: str = "published", descending: bool = True,
                 limit: int = 50, offset: int = 0) -> list[dict]:
    """Articles without their text, with their event counts: found by words of the title, source or text,
    sorted by a column (ties newest stored first); origins shown as a file name or URL."""
    a = s.articles.c
    n_events = select(func.count()).where(EVENTS.article_id == a.id).scalar_subquery().label("events")
    column = {"published": a.published, "title": a.title, "source": a.source, "events": n_events, "id": a.id}[sort]
    query = select(a.id, a.title, a.published, a.source, a.url, a.origin, a.duplicate_of, a.ingested_at)
    if q:
        query = query.where(a.id.in_(article_query(q)))
    found = rows(store, query.order_by(ordered(column, descending), desc(a.id)).limit(limit).offset(offset))
    counts = event_counts(store, [r["id"] for r in found])     # for one page only, not for every article sorted
    return [without_paths({**r, "events": counts.get(r["id"], 0)}) for r in found]


def event_counts(store, article_ids: list[int]) -> dict[int, int]:
    if not article_ids:
        return {}
    query = (select(EVENTS.article_id, func.count().label("n")).where(EVENTS.article_id.in_(article_ids))
             .group_by(EVENTS.article_id))
    return {r["article_id"]: r["n"] for r in rows(store, query)}


def article_titles(store, ids) -> dict[int, str | None]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    a = s.articles.c
    return {r["id"]: r["title"] or public_origin(r["origin"])
            for r in rows(store, select(a.id, a.title, a.origin).where(a.id.in_(ids)))}


# Facets beyond the store's own ------------------------------------------------------------------

SECTORS = {"GOV": "government", "MIL": "military", "COP": "police", "LEG": "legislature", "JUD": "judiciary",
           "SPY": "intelligence", "REB": "rebels", "OPP": "opposition", "PTY": "political party", "ELI": "elites",
           "BUS": "business", "CVL": "civilians", "EDU": "education", "HLH": "health", "HRI": "human rights",
           "IGO": "intergovernmental", "NGO": "non-governmental", "LAB": "labour", "MED": "media",
           "CRM": "criminals", "REF": "refugees", "REL": "religion", "UAF": "armed forces", "INS": "insurgents",
           "AGR": "agriculture", "ENV": "environment", "DEV": "development", "MOD": "moderates",
           "RAD": "radicals", "SET": "settlers", "IMG": "armed groups", "NGM": "movements", "UNK": "unknown"}


def sector_facets(store, f: EventFilter | None, limit: int = 20) -> list[dict]:
    """Events per CAMEO sector of either actor (letters 4-6 of the code); an event with one sector on
    both sides counts once."""
    src, tgt = func.substr(EVENTS.source_code, 4, 3), func.substr(EVENTS.target_code, 4, 3)
    query = (select(src.label("source"), tgt.label("target"), func.count().label("n")).where(where(f))
             .group_by(src, tgt))
    counts: dict[str, int] = defaultdict(int)
    for r in rows(store, query):
        for value in {r["source"], r["target"]}:
            if value and len(value) == 3 and value.isalpha():
                counts[value] += r["n"]
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:limit]
    return [{"value": v, "n": n, "label": SECTORS.get(v, v)} for v, n in ranked]


def publisher_facets(store, f: EventFilter | None, limit: int = 20) -> list[dict]:
    """Events per publisher (the article's source)."""
    a = s.articles.c
    query = (select(a.source.label("value"), func.count().label("n"))
             .select_from(s.events.join(s.articles, EVENTS.article_id == a.id))
             .where(where(f, a.source.is_not(None), a.source != EMPTY))
             .group_by(a.source).order_by(desc("n"), a.source).limit(limit))
    return rows(store, query)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> the name news use (the actor knowledge base's own list)."""
    return {r["iso3"]: r["name"] for r in data_rows("countries.tsv") if r.get("iso3")}


def country_choices(store) -> list[dict]:
    """The countries events in the store name, by name, for the country picker (read from the indexes)."""
    names = country_names()
    codes = set()
    for side in (EVENTS.source_country, EVENTS.target_country):
        codes |= {r["value"] for r in rows(store, select(side.label("value")).where(side.is_not(None)).distinct())}
    return sorted(({"value": c, "label": names.get(c, c)} for c in codes if c), key=lambda x: x["label"])


def events_version(store) -> tuple[int, int]:
    """Changes whenever events are added, removed or re-extracted (new ids): (count, highest id)."""
    found = rows(store, select(func.count().label("n"), func.max(EVENTS.id).label("top")).select_from(s.events))
    return found[0]["n"], found[0]["top"] or 0


class RecentAnswers:
    """The last few answers of a costly query, by key (a page sorted or paged again reuses its facets)."""

    def __init__(self, size: int = 64):
        self.size, self.answers = size, OrderedDict()
        self.lock = threading.Lock()        # routes run on a pool of threads

    def get(self, key, compute):
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key]
        answer = compute()
        with self.lock:
            self.answers[key] = answer
            while len(self.answers) > self.size:
                self.answers.popitem(last=False)
        return answer


STARTS = RecentAnswers(size=256)
