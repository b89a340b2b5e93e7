"""What the knowledge base knows of a person the article does not place: role and country at its date.

Precedence ("unknown beats a guess"): the article's own words (titles, appositions) > the user's
dictionaries (eventwire.toml `dictionaries`) > the bundled dictionaries at the article's date
(data/persons.tsv, then the Phoenix dictionaries) > nothing. A name's spelling, the story's home
country or a place inside a longer name never give a person a country.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..model import Actor
from . import phoenix
from .kb import kb

log = logging.getLogger("eventwire")
COLUMNS = ("name", "aliases", "country", "sector", "from", "to")


class DictionaryError(ValueError):
    """A user dictionary named in the configuration that cannot be read."""


@dataclass(frozen=True)
class Row:
    name: str
    country: str | None
    sector: str | None
    start: dt.date | None
    end: dt.date | None
    source: str                       # file:line, part of the "why"

    def in_force(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


def parse_day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text and text.strip() else None


def read_dictionary(path: Path, label: str, key_of=None) -> dict[tuple[str, ...], list[Row]]:
    """A dictionary file (tab- or comma-separated: name, aliases, country, sector, from, to), each written name
    keyed by key_of (the knowledge base's key); a line that does not parse is reported with file and line and
    skipped."""
    key_of = key_of or kb().key
    text = path.read_text(encoding="utf-8")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not lines:
        return {}
    delimiter = "\t" if "\t" in lines[0][1] else ","
    out: dict[tuple[str, ...], list[Row]] = {}
    header = True
    for n, line in lines:
        cells = next(csv.reader([line], delimiter=delimiter))
        if header and [c.strip().lower() for c in cells[:2]] == ["name", "aliases"]:
            header = False
            continue
        header = False
        cells = [c.strip() for c in cells] + [""] * (len(COLUMNS) - len(cells))
        try:
            country = cells[2].upper() or None
            if country and (len(country) != 3 or not country.isalpha()):
                raise ValueError(f"country {cells[2]!r} is not an ISO 3166 alpha-3 code")
            row = Row(cells[0], country, cells[3].upper() or None, parse_day(cells[4]), parse_day(cells[5]),
                      f"{label}:{n}")
            if not row.name:
                raise ValueError("no name")
        except ValueError as e:
            log.warning("%s:%d: skipped (%s)", path, n, e)
            continue
        for name in [cells[0], *(a for a in cells[1].split("|") if a.strip())]:
            out.setdefault(key_of(name), []).append(row)
    return out


@lru_cache(maxsize=1)
def dictionaries() -> tuple[dict, ...]:
    """The user's dictionaries first, then the bundled one; a missing or unreadable user file is one error."""
    found = []
    for name in settings.read_config().get("dictionaries", []):
        path = Path(name).expanduser()
        try:
            found.append(read_dictionary(path, path.name))
        except (OSError, UnicodeDecodeError) as e:
            raise DictionaryError(f"{path}: user dictionary unreadable ({type(e).__name__}: {e.strerror or e})"
                                  ) from None
    found.append(read_dictionary(settings.DATA_DIR / "persons.tsv", "persons.tsv"))
    return tuple(found)


# Words around a name that are not the name: "John A. Boehner", "Eric H. Holder Jr.", "NJ Gov Chris Christie".
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# English given names and the short forms news writes for the same person (Joseph R. Biden is Joe Biden).
NICKNAMES = {"joseph": "joe", "charles": "chuck", "robert": "bob", "william": "bill", "michael": "mike",
             "james": "jim", "richard": "dick", "edward": "ted", "thomas": "tom", "anthony": "tony",
             "christopher": "chris", "nicholas": "nick", "daniel": "dan", "david": "dave", "gerald": "jerry",
             "elizabeth": "liz", "katherine": "kate", "benjamin": "ben", "donald": "don", "ronald": "ron",
             "kenneth": "ken", "stephen": "steve", "steven": "steve", "timothy": "tim", "patrick": "pat"}


def name_forms(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The name as written, then without middle initials and suffixes, then with the first name's short
    form, then its last two words (a title or a place written before it: "nj gov chris christie")."""
    tokens = untitled(tokens)
    core = tuple(t for i, t in enumerate(tokens)
                 if t not in NAME_SUFFIXES and not (0 < i < len(tokens) - 1 and is_initial(t)))
    forms = [tokens, core]
    if len(core) >= 2 and core[0] in NICKNAMES:
        forms.append((NICKNAMES[core[0]],) + core[1:])
    if len(core) >= 3:
        forms.append(core[-2:])
        if core[-2] in NICKNAMES:
            forms.append((NICKNAMES[core[-2]], core[-1]))
    return list(dict.fromkeys(f for f in forms if f))


HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady", "gen.", "general",
              "col.", "colonel", "lt.", "maj.", "adm.", "admiral", "rev.", "sheikh", "ayatollah"}


def untitled(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The name without the titles written before it: "general pinochet" is "pinochet"."""
    roles = kb().roles
    i = 0
    while i < len(tokens) - 1 and (tokens[i] in HONORIFICS or tokens[i] in roles):
        i += 1
    return tokens[i:]


def is_initial(token: str) -> bool:
    return len(token.rstrip(".")) == 1 and token[:1].isalpha()


def dictionary_role(tokens: tuple[str, ...], date: dt.date | None) -> Row | None:
    """The row in force at the date in the first dictionary naming the person (no date: the latest row);
    outside every row, the country of the nearest one with no sector."""
    for form in name_forms(tokens):
        row = dictionary_role_of(form, date)
        if row is not None:
            return row
    bare = untitled(tokens)
    if len(bare) == 1 and len(bare[0]) >= MIN_SURNAME_LETTERS:
        return office_holder(bare[0], date)
    return None


def office_holder(surname: str, date: dt.date | None) -> Row | None:
    """A bare surname ("President Trump said") is placed only by the office holders of that surname at the
    article's date, in the dictionaries and in Phoenix, and only when they all hold office for one country:
    the country is then sure even where the person is not ("Trump" in 2017: Donald or Ivanka, both USA).
    "Brown" or "Smith" alone, held by people of several countries, stays unknown, and so does a word that
    is also a given name ("Martin" is as often Martin Schulz as Micheál Martin)."""
    if surname in given_names():
        return None
    holders = {}
    for index in dictionaries():
        for key, rows in surnames(index).get(surname, []):
            for r in rows:
                if r.sector in OFFICE_SECTORS and (date is None or r.in_force(date)):
                    holders.setdefault(r.name, r)
    for e in phoenix.lookup_surname((surname,)):
        roles = [phoenix.role_at(e, date)] if date is not None else list(e.roles)
        for role in roles if e.kind == "person" else []:
            if role is not None and not role.null and role.sector in OFFICE_SECTORS and role.dated:
                holders.setdefault(e.name, Row(e.name, role.country, role.sector, None, None, f"phoenix:{e.name}"))
    if not holders or len({r.country for r in holders.values()}) != 1:
        return None
    if date is None:
        # An undated article: every office holder of the surname, at any time, is of one country; the
        # country is sure, the office at the article's unknown date is not.
        first = next(iter(holders.values()))
        return Row(first.name if len(holders) == 1 else surname.title(), first.country, None, None, None,
                   "+".join(sorted({r.source for r in holders.values()})))
    rows = list(holders.values())
    if len(rows) == 1:
        return rows[0]
    sector = rows[0].sector if len({r.sector for r in rows}) == 1 else None
    return Row(surname.title(), rows[0].country, sector, None, None,
               "+".join(sorted(r.source for r in rows)))


@lru_cache(maxsize=1)
def given_names() -> frozenset:
    """First names of the dictionaries' people that begin at least two names."""
    counts: dict[str, int] = {}
    for index in dictionaries():
        for key in index:
            if len(key) >= 2:
                counts[key[0]] = counts.get(key[0], 0) + 1
    return frozenset(name for name, n in counts.items() if n >= 2)


# Sectors that are offices: a surname shared with a businessman or a spouse is still the office holder's.
OFFICE_SECTORS = frozenset({"GOV", "LEG", "JUD", "MIL", "OPP", "PTY", "COP", "SPY", "IGO"})


_SURNAMES: dict[int, dict] = {}


def surnames(index: dict) -> dict[str, list]:
    found = _SURNAMES.get(id(index))
    if found is None:
        found = {}
        for key, rows in index.items():
            if len(key) >= 2:
                found.setdefault(key[-1], []).append((key, rows))
        _SURNAMES[id(index)] = found
    return found


def dictionary_role_of(tokens: tuple[str, ...], date: dt.date | None) -> Row | None:
    for index in dictionaries():
        rows = index.get(tokens)
        if not rows:
            continue
        if len({r.name for r in rows}) > 1 or len({r.country for r in rows}) > 1 and not date:
            continue
        if date is None:
            return max(rows, key=lambda r: r.start or dt.date.min)
        current = [r for r in rows if r.in_force(date)]
        if current:
            return current[-1]
        nearest = min(rows, key=lambda r: min(abs(((r.start or date) - date).days), abs(((r.end or date) - date).days)))
        return Row(nearest.name, nearest.country, None, None, None, nearest.source)
    return None

MIN_SURNAME_LETTERS = 4      # shorter bare surnames ("Li", "Kim") name too many people


def place_person(person: Actor, date: dt.date | None) -> None:
    """Fill a person's country, sector and code from the dictionary entry that names them, if exactly one
    does (two people of one name in two countries are left unknown)."""
    if person.country or person.kind != "person":
        return
    tokens = kb().key(person.name)
    row = dictionary_role(tokens, date)
    when = date.isoformat() if date else "latest"
    if row is not None and (row.country or row.sector == "IGO"):
        assign(person, row.country, row.sector, f"dictionary:{row.source}@{when}")
        return
    found = next((c for c in (candidates(form, date) for form in name_forms(tokens)) if c), [])
    roles = {(r.country, r.sector, r.code): (e, r) for e in found for r in [phoenix.role_at(e, date)]
             if r is not None and not r.null and r.country}
    if not roles and len(found) == 1 and len(tokens) >= 2 and date is not None:
        # A person whose offices have all ended is still of the country every one of them served: John F.
        # Kennedy in a 2012 story is American (no sector: he holds no office then).
        ended = all(r.to_date is not None and r.to_date < date for r in found[0].roles)
        countries = {r.country for r in found[0].roles if not r.null}
        if ended and len(countries) == 1 and None not in countries:
            assign(person, next(iter(countries)), None, f"phoenix:{found[0].name}@former")
        return
    countries = {country for country, _, _ in roles}
    if len(countries) != 1:
        return
    entry, role = next(iter(roles.values()))
    if len({e.id for e, _ in roles.values()}) > 1:
        return          # two people of that name in one country: the country is sure, the person is not
    assign(person, role.country, role.sector, f"phoenix:{entry.name}@{when}")


def assign(person: Actor, country: str | None, sector: str | None, why: str) -> None:
    """A known country and role; a sector the article itself gave (a title) stays."""
    person.country = country
    person.sector = person.sector or sector
    person.code = (country or "") + (person.sector or "") or None
    person.rule = f"{person.rule}+{why}"


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
