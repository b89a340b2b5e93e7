"""The knowledge base: countries, capitals, seats of power, organizations, sectors, roles, cities.

Everything comes from the data files in eventwire/data (written by the team) and, for cities,
from the gazetteer (eventwire.gazetteer, GeoNames). Phrases are keyed by their tokens, lowercased, as spaCy's English tokenizer
splits them, so a lookup over a parsed sentence is a dictionary hit per n-gram. The keys of the data files' own
phrases are read from data/phrase_keys.tsv (scripts/build_phrase_keys.py), so loading runs no tokenizer.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..data import rows, split
from ..settings import DATA_DIR

MAX_PHRASE_TOKENS = 8
KEYS_FILE = DATA_DIR / "phrase_keys.tsv"
# Common words that are also place or country names: matched only when the parser calls them proper nouns.
AMBIGUOUS = {"chad", "jordan", "georgia", "turkey", "china", "guinea", "niger", "mali", "reading",
             "bath", "nice", "mobile", "split", "male", "victoria", "florence", "lincoln", "sale"}


@dataclass(frozen=True)
class Entry:
    name: str                 # canonical name
    kind: str                 # country | adjective | capital | seat | organization | city
    country: str | None
    sector: str | None
    code: str | None
    source: str               # which data file and column gave it: part of the "why"


class KnowledgeBase:
    def __init__(self, keys: Mapping[str, tuple[str, ...]] | None = None):
        self.keys = bundled_keys() if keys is None else keys     # text -> key, precomputed
        self.phrases: dict[tuple[str, ...], Entry] = {}
        self.alternatives: dict[tuple[str, ...], list[Entry]] = {}
        self.exact_case: dict[tuple[str, ...], set[str]] = {}   # short acronyms: the spellings that count
        self.longest: dict[str, int] = {}     # first word -> the most words of a phrase that starts with it
        self.country_name: dict[str, str] = {}
        self.capitals: dict[str, list[str]] = {}
        self.iso2to3: dict[str, str] = {}
        self.load_countries()
        self.load_seats()
        self.load_organizations()
        self.sectors = {phrase_key(r["phrase"]): (r["sector"], r.get("kind") or "group")
                        for r in rows("sectors.tsv") if r.get("phrase")}
        self.roles = {phrase_key(r["title"]): r["sector"] for r in rows("roles.tsv") if r.get("title")}
        self.role_countries = {phrase_key(r["title"]): r["country"] for r in rows("roles.tsv") if r.get("country")}
        # A sector phrase can only end on one of these words, a title phrase only hold one of these.
        self.sector_ends = frozenset(key.split(" ")[-1] for key in self.sectors)
        self.title_words = frozenset(w for title in self.roles for w in title.split())

    def key(self, text: str) -> tuple[str, ...]:
        """The text's tokens as spaCy's English tokenizer splits them, lowercased: precomputed for the data
        files' phrases, tokenized for any other text."""
        text = text.strip()
        found = self.keys.get(text)
        return found if found is not None else spacy_key(text)

    def add(self, text: str, entry: Entry, overwrite: bool = False) -> None:
        text = text.strip()
        if text.lower().startswith("the "):
            text = text[4:]
        key = self.key(text)
        if not key:
            return
        if case_bound(text):
            self.exact_case.setdefault(key, set()).add(text)
        elif key in self.exact_case and not overwrite:
            self.exact_case.pop(key)      # also listed in ordinary case: any capitalised spelling counts
        if overwrite or key not in self.phrases:
            self.phrases[key] = entry
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        elif self.phrases[key].name != entry.name and self.phrases[key].kind == entry.kind:
            self.alternatives.setdefault(key, []).append(entry)     # "BNP": two parties, two countries

    def load_countries(self) -> None:
        for r in rows("countries.tsv"):
            iso3, name = r["iso3"], r["name"]
            self.country_name[iso3] = name
            if r.get("iso2"):
                self.iso2to3[r["iso2"]] = iso3
            country = Entry(name, "country", iso3, None, iso3, "countries.tsv:name")
            self.add(name, country, overwrite=True)
            for alias in split(r.get("aliases")):
                self.add(alias, Entry(name, "country", iso3, None, iso3, "countries.tsv:alias"))
            for adjective in split(r.get("adjectives")):
                self.add(adjective, Entry(name, "adjective", iso3, None, iso3, "countries.tsv:adjective"))
            capitals = split(r.get("capital"))
            self.capitals[iso3] = capitals
            for capital in capitals:
                self.add(capital, Entry(capital, "capital", iso3, "GOV", iso3 + "GOV", "countries.tsv:capital"))

    def load_seats(self) -> None:
        for r in rows("seats.tsv"):
            code = r["iso3"] + (r.get("sector") or "GOV")
            self.add(r["phrase"], Entry(r["phrase"].removeprefix("the ").strip(), "seat", r["iso3"],
                                        r.get("sector") or "GOV", code, "seats.tsv"), overwrite=True)

    def load_organizations(self) -> None:
        for r in rows("organizations.tsv"):
            entry = Entry(r["name"], "organization", r.get("country") or None, organization_sector(r),
                          r.get("code") or None, f"organizations.tsv:{r.get('kind') or 'org'}")
            for text in [r["name"], *split(r.get("aliases"))]:
                self.add(text, entry)

    def lookup(self, text: str) -> Entry | None:
        text = text.strip()
        return self.phrases.get(self.key(text[4:] if text.lower().startswith("the ") else text))

    def choose(self, key: tuple[str, ...], entry: Entry, countries: frozenset) -> Entry:
        """Of the entries sharing a name, the one of a country the article names."""
        if entry.country in countries:
            return entry
        return next((e for e in self.alternatives.get(key, []) if e.country in countries), entry)

    def capital_of(self, iso3: str) -> str | None:
        return (self.capitals.get(iso3) or [None])[0]

    def city(self, name: str, prefer: frozenset = frozenset(), qualifier: str | None = None
             ) -> tuple[str, float, float] | None:
        """(country ISO3, latitude, longitude) of a place below the country: the namesake the qualifier
        written beside it names ("Morelia, Caqueta"), else of a preferred country (those the article names)
        when the name is shared, else one with a clear lead (eventwire.gazetteer)."""
        from ..gazetteer import gazetteer
        hit = gazetteer().resolve(name, qualifier, named=prefer, kinds=BELOW_COUNTRY)
        return (hit.country, hit.latitude, hit.longitude) if hit else None


BELOW_COUNTRY = frozenset({"region", "county", "city"})


def case_bound(text: str) -> bool:
    """A short acronym is a name only in its own spelling: "LeT" is not "Let", "ETA" is not "Eta"."""
    return " " not in text and len(text) <= 4 and text != text.capitalize() and text != text.lower()


def organization_sector(r: dict) -> str | None:
    """International bodies are coded by what they are (IGO, NGO), whatever their field."""
    kind = (r.get("kind") or "").lower()
    if kind == "igo":
        return "IGO"
    if kind == "ngo" and not r.get("country"):
        return "NGO"
    return r.get("sector") or None


def phrase_key(text: str) -> str:
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def english_tokenizer():
    import spacy
    return spacy.blank("en").tokenizer


@lru_cache(maxsize=65536)         # names recur across articles; a tuple of strings per name is small
def spacy_key(text: str) -> tuple[str, ...]:
    """The text's tokens as spaCy's English tokenizer splits them, lowercased, spaces left out."""
    return tuple(t.lower_ for t in english_tokenizer()(text) if not t.is_space)


@lru_cache(maxsize=1)
def bundled_keys() -> dict[str, tuple[str, ...]]:
    """data/phrase_keys.tsv: each phrase of the bundled data files (trimmed, a leading "the" off) and the
    spaCy tokens it splits into, lowercased and space-separated; tests/test_kb_load.py checks it is current."""
    keys: dict[str, tuple[str, ...]] = {}
    with open(KEYS_FILE, encoding="utf-8") as f:
        lines = (line.rstrip("\n") for line in f if not line.startswith("#"))
        if next(lines, None) != "text\tkey":
            raise ValueError(f"{KEYS_FILE}: no `text<TAB>key` header; rebuild it with "
                             f"`python scripts/build_phrase_keys.py`")
        for line in lines:
            text, _, key = line.partition("\t")
            keys[text] = tuple(key.split(" ")) if key else ()
    return keys


def country_actor(iso3: str, rule: str):
    """A country as an actor, under its knowledge-base name."""
    from ..model import Actor
    return Actor(kb().country_name.get(iso3, iso3), "country", iso3, code=iso3, rule=rule)


@lru_cache(maxsize=1)
def kb() -> KnowledgeBase:
    """The knowledge base, loaded once per process."""
    return KnowledgeBase()
