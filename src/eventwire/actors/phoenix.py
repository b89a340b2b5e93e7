"""The Phoenix knowledge base: dated persons, bodies, armed groups and generic agents from PETRARCH2.

Built by `python scripts/build_phoenix.py` from the Phoenix dictionaries (MIT, see data/phoenix.LICENSE) into
data/phoenix.tsv.gz, read whole into memory once per process. Names are keyed like the project's KB keys
phrases: the tokens of spaCy's English tokenizer, lowercased, with no leading "the".

    phoenix() -> Phoenix                          the loaded knowledge base (cached)
    lookup(tokens) -> list[Entry]                 entries named exactly so: ("tony", "blair"), ("police",)
    role_at(entry, date=None) -> Role | None      the role in force on that date (see the precedence below)
    surname_index() -> Mapping[tokens, tuple[Entry, ...]]
    lookup_surname(tokens) -> list[Entry]         persons by surname alone: ("blair",) -> Tony Blair, ...
    discards() -> tuple[Discard, ...]             the dictionaries' "do not code" phrases (sport and the like)

An Entry has an id, a canonical name ("Tony Blair"), a kind (person | organization | group | country |
agent), its roles in the dictionary's order, and its source line. A Role has the CAMEO code as written
(GBRGOV, IGOUNO, PSEREBHMS, COP), the country's ISO 3166 alpha-3 (None for international bodies and for
agents, whose code is a sector only), the sector (the three letters after the country: GBRGOVMIL -> GOV;
the kind of body for IGO/NGO/MNC/IMG codes), and from_date / to_date (inclusive; None = open). An undated
role is the dictionary's default: it applies at any date. The code "---" means "do not code this name".
An entry can have no role at all (a name the dictionary lists without a code): role_at gives None.

lookup() never matches a bare surname the dictionary does not list itself: "Putin" is listed (an alias of
Vladimir Putin), "Blair" is not. Surnames of persons are reached only through lookup_surname() /
surname_index(), and deciding when a surname alone is safe is the caller's business.

Precedence of role_at: among the roles in force on the date, prefer (1) a role with a sector other than ELI
(GOV, MIL, REB, IGO...) over an ELI (elite) role, over a role with no sector ("---" or a bare country);
then (2) a dated role over an undated one (the undated one is the default for the times the dated roles do
not cover); then (3) the longer, more specific code (GBRGOVMIL over GBRGOV); then (4) the later start;
then (5) the dictionary's order. With no date, the roles still in force at the end of the record (open or
undated) compete the same way; when none is open, the role that ended last.
"""
from __future__ import annotations

import datetime as dt
import gzip
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..settings import DATA_DIR

DATA_FILE = DATA_DIR / "phoenix.tsv.gz"
FORMAT_VERSION = "1"
REBUILD = "python scripts/build_phoenix.py"
NULL_CODE = "---"
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}          # not surnames: "George W. Bush Jr."
_PARTICLES = {"al", "el", "bin", "ibn", "van", "von", "de", "del", "della", "di", "da", "du", "la", "le", "ter"}


class PhoenixDataError(RuntimeError):
    """The Phoenix data file is missing, corrupt or of another format."""


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    country: str | None
    sector: str | None
    from_date: dt.date | None = None
    to_date: dt.date | None = None

    @property
    def dated(self) -> bool:
        return self.from_date is not None or self.to_date is not None

    @property
    def null(self) -> bool:
        """The dictionary's "---": this name is not to be coded (at these dates)."""
        return self.code == NULL_CODE

    def in_force(self, date: dt.date) -> bool:
        return (self.from_date is None or self.from_date <= date) and (self.to_date is None or date <= self.to_date)


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    name: str
    kind: str                   # person | organization | group | country | agent
    roles: tuple[Role, ...]
    source: str                 # dictionary file and line: part of the "why"

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country of the entry's roles, in the dictionary's order, once each."""
        return tuple(dict.fromkeys(r.country for r in self.roles if r.country))


@dataclass(frozen=True, slots=True)
class Discard:
    phrase: str
    tokens: tuple[str, ...]
    story: bool                 # the whole story is not coded (a '+' line), else the sentence
    stem: bool                  # the phrase may start a longer word (no final '_' in the dictionary)
    source: str


class Phoenix:
    """The whole knowledge base in memory. Loading keeps the name index and the entries' rows as text;
    an Entry is made from its row the first time it is asked for, then kept."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else DATA_FILE
        self._cache: dict[int, Entry] = {}
        self._roles: dict[str, Role] = {}
        self._surnames: Mapping[tuple[str, ...], tuple[Entry, ...]] | None = None
        self._discards: tuple[Discard, ...] | None = None
        try:
            text = gzip.decompress(self.path.read_bytes()).decode("utf-8")
            self._parse(text)
        except FileNotFoundError:
            raise self._error("missing") from None
        except PhoenixDataError:
            raise
        except (OSError, EOFError, UnicodeDecodeError, ValueError, KeyError, IndexError, zlib.error) as e:
            raise self._error(f"corrupt ({type(e).__name__}: {e})") from None

    def _error(self, what: str) -> PhoenixDataError:
        return PhoenixDataError(f"Phoenix knowledge base {self.path} is {what}; rebuild it with `{REBUILD}`")

    def _parse(self, text: str) -> None:
        sections = {}
        for block in text.split("\n%")[1:]:
            header, _, body = block.partition("\n")
            sections[header.split("\t", 1)[0]] = body
        missing = {"meta", "entries", "names", "discards", "skipped"} - sections.keys()
        if missing:
            raise ValueError(f"no section {', '.join(sorted(missing))}")
        self.meta = dict(line.split("\t", 1) for line in sections["meta"].splitlines())
        if self.meta.get("format") != FORMAT_VERSION:
            raise self._error(f"of format {self.meta.get('format')!r}, not {FORMAT_VERSION!r}")
        self._rows = sections["entries"].splitlines()
        cells = sections["names"].replace("\n", "\t").split("\t")
        if cells and cells[-1] == "":
            cells.pop()
        if len(cells) % 2:
            raise ValueError("a names row without its entries")
        pairs = iter(cells)
        self._names: dict[str, str] = dict(zip(pairs, pairs))           # "tony blair" -> "6153"
        expected = (int(self.meta["count:entries"]), int(self.meta["count:distinct_keys"]))
        if (len(self._rows), len(self._names)) != expected or not self._rows:
            raise ValueError(f"{len(self._rows)} entries and {len(self._names)} names, expected {expected}")
        self._discard_text = sections["discards"]
        self.skipped = tuple(tuple(line.split("\t")) for line in sections["skipped"].splitlines())

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Entry]:
        """Every entry, in id order (makes them all: about as long again as loading)."""
        return (self.entry(i) for i in range(1, len(self._rows) + 1))

    def entry(self, entry_id: int) -> Entry:
        entry = self._cache.get(entry_id)
        if entry is None:
            entry = self._cache[entry_id] = self._make(entry_id)
        return entry

    def _make(self, entry_id: int) -> Entry:
        try:
            if not 0 < entry_id <= len(self._rows):
                raise KeyError(f"no entry {entry_id}")
            row_id, name, kind, source, role_text = self._rows[entry_id - 1].split("\t")
            if int(row_id) != entry_id:
                raise ValueError(f"row {entry_id} holds entry {row_id}")
            roles = []
            for item in role_text.split(";") if role_text else ():
                role = self._roles.get(item)
                if role is None:
                    code, country, sector, start, end = item.split("|")
                    role = self._roles[item] = Role(code, country or None, sector or None, _date(start), _date(end))
                roles.append(role)
            return Entry(entry_id, name, kind, tuple(roles), source)
        except (ValueError, IndexError) as e:
            raise self._error(f"corrupt (entry {entry_id}: {e})") from None

    def _entries(self, ids: str) -> tuple[Entry, ...]:
        return tuple(self.entry(int(i)) for i in ids.split(","))

    def lookup(self, tokens: Iterable[str]) -> list[Entry]:
        """Entries with exactly this name: lowercased tokens as spaCy splits them, a leading "the" ignored."""
        key = [t.lower() for t in tokens if not t.isspace()]
        if len(key) > 1 and key[0] == "the":
            del key[0]
        ids = self._names.get(" ".join(key))
        return list(self._entries(ids)) if ids else []

    def names(self) -> Mapping[tuple[str, ...], tuple[Entry, ...]]:
        """Every name key (a token tuple) and its entries, e.g. for building an n-gram matcher."""
        return _EntryMap({tuple(k.split(" ")): v for k, v in self._names.items()}, self._entries)

    def surname_index(self) -> Mapping[tuple[str, ...], tuple[Entry, ...]]:
        """Surname tokens -> the persons whose names end with them (built on first use).

        The surname of a person's name (primary or alias) is its last token, skipping Jr./Sr./II/III, and,
        after a particle, the particle with the rest ("assad" and "al - assad" of "Bashar al-Assad").
        A person's own one-word alias ("putin") counts as a surname too. A surname that is also the name of
        something other than a person (a country, a body, an agent: "afghanistan" of "President of
        Afghanistan", "president") is left out."""
        if self._surnames is None:
            persons = {str(i + 1) for i, row in enumerate(self._rows) if row.split("\t", 3)[2] == "person"}
            index: dict[tuple[str, ...], dict[int, None]] = {}
            for key, ids in self._names.items():
                found = [int(i) for i in ids.split(",") if i in persons]
                if found:
                    for surname in _surnames(tuple(key.split(" "))):
                        other = self._names.get(" ".join(surname))
                        if other and any(i not in persons for i in other.split(",")):
                            continue
                        index.setdefault(surname, {}).update(dict.fromkeys(found))
            self._surnames = _EntryMap({k: ",".join(map(str, sorted(v))) for k, v in index.items()}, self._entries)
        return self._surnames

    def lookup_surname(self, tokens: Iterable[str]) -> list[Entry]:
        """Persons whose name ends with this surname (lowercased tokens): ("blair",) -> Tony Blair, Dennis Blair..."""
        key = tuple(t.lower() for t in tokens if not t.isspace())
        return list(self.surname_index().get(key, ()))

    def discards(self) -> tuple[Discard, ...]:
        """The dictionaries' discard phrases (sport and the like), in file order."""
        if self._discards is None:
            out = []
            for line in self._discard_text.splitlines():
                phrase, tokens, story, stem, source = line.split("\t")
                out.append(Discard(phrase, tuple(tokens.split(" ")), story == "1", stem == "1", source))
            self._discards = tuple(out)
        return self._discards


class _EntryMap(Mapping):
    """A read-only mapping of keys to entries, each made when it is first read."""

    def __init__(self, ids: dict, resolve):
        self._ids = ids
        self._resolve = resolve

    def __getitem__(self, key) -> tuple[Entry, ...]:
        return self._resolve(self._ids[key])

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key) -> bool:
        return key in self._ids


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _surnames(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    tokens = list(key)
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    if tokens and tokens[-1] in (",", "."):
        tokens.pop()
    if not tokens or not tokens[-1][:1].isalpha():
        return []
    out = [(tokens[-1],)]
    for i in range(1, len(tokens) - 1):
        if tokens[i] in _PARTICLES:
            out.append(tuple(tokens[i:]))
            break
    return out


# The precedence of the module docstring as a sort key (higher wins; role_at breaks ties by dictionary order).
def _rank(role: Role) -> tuple:
    specificity = 0 if role.sector is None else 1 if role.sector == "ELI" else 2
    return (specificity, role.dated, len(role.code), role.from_date or dt.date.min)


def role_at(entry: Entry, date: dt.date | None = None) -> Role | None:
    """The entry's role in force on DATE (a date or datetime); with no date, its latest role; None when the
    dictionary gives it no role then."""
    roles = entry.roles
    if not roles:
        return None
    if date is not None:
        if isinstance(date, dt.datetime):
            date = date.date()
        candidates = [(i, r) for i, r in enumerate(roles) if r.in_force(date)]
    else:
        candidates = [(i, r) for i, r in enumerate(roles) if r.to_date is None]
        if not candidates:
            last = max(r.to_date for r in roles)
            candidates = [(i, r) for i, r in enumerate(roles) if r.to_date == last]
    if not candidates:
        return None
    return max(candidates, key=lambda ir: (_rank(ir[1]), -ir[0]))[1]


@lru_cache(maxsize=1)
def phoenix() -> Phoenix:
    """The Phoenix knowledge base, loaded once per process."""
    return Phoenix()


def lookup(tokens: Iterable[str]) -> list[Entry]:
    return phoenix().lookup(tokens)


def surname_index() -> Mapping[tuple[str, ...], tuple[Entry, ...]]:
    return phoenix().surname_index()


def lookup_surname(tokens: Iterable[str]) -> list[Entry]:
    return phoenix().lookup_surname(tokens)


def discards() -> tuple[Discard, ...]:
    return phoenix().discards()
