"""The article's home country: where a story is set, for actors it names without a country.

"Police arrested 40 protesters" in a story datelined Lima are Peruvian police and protesters: a news
story's unnamed domestic actors belong to the country it is set in (its dateline, else the country it
names most, when one clearly dominates).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from ..model import Actor, Extraction
from .kb import KnowledgeBase

# "LIMA, 20 AUG 88 (EFE) --", "NAIROBI (Reuters) -", "Kabul, Afghanistan —",
# "San Salvador, 5 Sep 88 (Canal Doce Television) --", "Belmopan (Belize), 24 Nov 88 (Bridgetown CANA) --"
DATELINE = re.compile(r"^\s*([A-Z][A-Za-z.'\- ]{1,30}?)\s*(?:\(([A-Z][A-Za-z .]{2,30})\))?\s*(?:,[^\n(]{0,40})?"
                      r"\s*(?:\(([^()\n]{2,60})\))?\s*(?:--|\u2014|\u2013|-)\s")
DOMINANT_SHARE = 0.4
MIN_LEAD_MENTIONS = 4
LEAD_FACTOR = 3
HOMELESS_SECTORS = {"IGO", "NGO"}
# An unnamed judge or police officer works where the story is: courts and police are domestic bodies.
LOCAL_SECTORS = {"JUD", "COP"}
# An unnamed office holder ("the prime minister", "the interior minister", "the general") belongs to the
# country the story is about, when the story is plainly about one country (it names that country most),
# not merely datelined there: a London-datelined story about Israel quotes "the prime minister" of Israel.
OFFICE_SECTORS = {"GOV", "LEG", "MIL", "PTY", "OPP", "SPY"}


def home_country(x: Extraction, actors: list[Actor], places: list[Actor], base: KnowledgeBase,
                 dominant: str | None) -> str | None:
    """The dateline's country, else DOMINANT (dominant_country of the same actors and places)."""
    named = frozenset(a.country for a in actors + places if a.country)
    return dateline_country(x, base, named) or dominant


def dateline_match(x: Extraction):
    """The dateline at the head of the body (after a headline line), or None."""
    title = (x.article.title or "").strip() if x.article.title_in_text else None
    body = next((p for p in x.paragraphs if p.field == "text" and p.text.strip() != title), None)
    return DATELINE.match(body.text) if body is not None else None


def dateline(x: Extraction) -> tuple[str, str | None] | None:
    """The dateline's place and the larger place written beside it: ("Belmopan", "Belize")."""
    m = dateline_match(x)
    return (m.group(1).strip().title(), m.group(2)) if m else None


def dateline_source(x: Extraction) -> str:
    """The source a dateline credits ("Santiago Domestic Service", "EFE"), or ""."""
    m = dateline_match(x)
    return (m.group(3) or "") if m else ""


def dateline_country(x: Extraction, base: KnowledgeBase, named: frozenset = frozenset()) -> str | None:
    found = dateline(x)
    if not found:
        return None
    place, qualifier = found
    entry = base.lookup(place) or (base.lookup(qualifier) if qualifier else None)
    if entry and entry.country:
        return entry.country
    # "Concepcion, 23 Aug 88 (Santiago Domestic Service)": the credited service's city says which Concepcion.
    words = dateline_source(x).split()
    named = named | {e.country for n in (2, 1) for i in range(len(words) - n + 1)
                     for e in [base.lookup(" ".join(words[i:i + n]))] if e and e.country}
    from ..gazetteer import gazetteer
    record = gazetteer().resolve(place, qualifier, named=named)
    return record.country if record else None


# Before the Soviet Union's end, Moscow, the Kremlin and "Russia" spoke for the USSR.
SOVIET_END = dt.date(1991, 12, 26)


def era_country(iso3: str | None, published: dt.date | None) -> str | None:
    """The state a country code stood for at the article's date."""
    if iso3 == "RUS" and published is not None and published < SOVIET_END:
        return "SUN"
    return iso3


def apply_era(actors: list[Actor], published: dt.date | None) -> None:
    for a in actors:
        country = era_country(a.country, published)
        if country != a.country:
            if a.code and a.code.startswith(a.country):
                a.code = country + a.code[len(a.country):]
            a.country = country


def dominant_country(actors: list[Actor]) -> str | None:
    counts = Counter()
    for a in actors:
        if a.country and not (a.code or "").startswith("IGO"):
            counts[a.country] += max(1, len(a.mentions))
    if not counts:
        return None
    ranked = counts.most_common(2)
    top, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    # A story's country is the one it names most: a clear share of all mentions, or a clear lead over
    # every other country (a story about embassies closing names many places once each).
    if n >= 2 and n / sum(counts.values()) >= DOMINANT_SHARE:
        return top
    return top if n >= MIN_LEAD_MENTIONS and n >= LEAD_FACTOR * runner_up else None


def apply_home(actors: list[Actor], home: str | None, about: str | None = None) -> None:
    """Sector groups with no country of their own take the story's country ("police" in a Lima story).
    A named person never does: a named person's country is a fact about that person (the article's words or
    the knowledge base), and a story set in Israel quotes Americans too; an unnamed judge or officer does."""
    if not home:
        return
    for a in actors:
        unnamed_local = a.kind == "person" and a.rule.startswith("sectors.tsv") and (
            a.sector in LOCAL_SECTORS or (a.sector in OFFICE_SECTORS and about == home))
        if a.country or (a.kind not in ("group", "organization") and not unnamed_local) \
                or a.sector in HOMELESS_SECTORS:
            continue
        if (a.code or "").startswith(("IGO", "NGO", "IMG")) or not (a.sector or a.role):
            continue
        if a.rule.startswith("organizations.tsv"):
            continue      # a named body the knowledge base gives no country is transnational ("Islamic State")
        a.country = home
        a.code = home + (a.sector or "")
        a.rule += "+home-country"
