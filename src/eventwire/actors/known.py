"""What the knowledge base knows of a person the article does not place: role and country at its date.

Precedence (issue: "unknown beats a guess"): the article's own words (titles, appositions) > the
bundled Phoenix dictionaries at the article's date > nothing. A name's spelling, the story's home
country or a place inside a longer name never give a person a country.
"""
from __future__ import annotations

import datetime as dt

from ..model import Actor
from . import phoenix
from .kb import kb

# Roles that say only "a notable of this country" (ELI) still give the country; "---" means "never code".
MIN_SURNAME_LETTERS = 4


def place_person(person: Actor, date: dt.date | None) -> None:
    """Fill a person's country, sector and code from the dictionary entry that names them, if exactly one
    does (two people of one name in two countries are left unknown)."""
    if person.country or person.kind != "person":
        return
    tokens = kb().key(person.name)
    found = candidates(tokens, date)
    roles = {(r.country, r.sector, r.code): (e, r) for e in found for r in [phoenix.role_at(e, date)]
             if r is not None and not r.null and r.country}
    countries = {country for country, _, _ in roles}
    if len(countries) != 1:
        return
    entry, role = next(iter(roles.values()))
    if len({e.id for e, _ in roles.values()}) > 1:
        return          # two people of that name in one country: the country is sure, the person is not
    person.country = role.country
    person.sector = person.sector or role.sector
    person.code = role.country + (person.sector or "")
    when = date.isoformat() if date else "latest"
    person.rule = f"{person.rule}+phoenix:{entry.name}@{when}"


def candidates(tokens: tuple[str, ...], date: dt.date | None) -> list:
    """Person entries for a name as written: the whole name; else, for a name the dictionary lists only in
    a longer form ("Pena Nieto" for "Enrique Pena Nieto"), entries whose name holds every written word;
    else, for a bare surname, the one person of that surname holding a dated office at the article's date."""
    exact = [e for e in phoenix.lookup(tokens) if e.kind == "person"]
    if exact:
        return exact
    if len(tokens) >= 2:
        longer = [e for e in phoenix.lookup_surname(tokens[-1:]) if e.kind == "person"
                  and contains(kb().key(e.name), tokens)]
        return longer
    if len(tokens) == 1 and len(tokens[0]) >= MIN_SURNAME_LETTERS and date is not None:
        holders = [e for e in phoenix.lookup_surname(tokens) if e.kind == "person" and office_at(e, date)]
        return holders if len(holders) == 1 else []
    return []


def contains(name: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """The written words stand in the full name in order, the last one last: "pena nieto" in "enrique pena nieto"."""
    n = len(words)
    return name[-n:] == words


def office_at(entry, date: dt.date) -> bool:
    """A dated role other than a notable's (ELI) in force on the date: someone holding office then."""
    return any(r.dated and r.in_force(date) and r.sector not in (None, "ELI") and not r.null for r in entry.roles)
