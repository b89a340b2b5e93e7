"""The offline gazetteer: distinct places, disambiguation by context, and unknown before wrong."""
import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.gazetteer import DATA_FILE, Gazetteer, GazetteerDataError, fold, gazetteer

ROOT = Path(__file__).resolve().parents[1]


def resolve(name, **context):
    found = gazetteer().resolve(name, **context)
    return (found.kind, found.country) if found else None


@pytest.mark.parametrize("name,context,expected", [
    ("Arizona", {}, ("region", "USA")),                       # the state, not the Honduran village
    ("Ontario", {}, ("region", "CAN")),                       # the province, not the Californian city
    ("Colorado", {}, ("region", "USA")),
    ("Wiltshire", {}, ("county", "GBR")),
    ("Lima", {}, ("city", "PER")),                            # the city before the region named after it
    ("New York", {}, ("city", "USA")),
    ("Cologne", {}, ("city", "DEU")),                         # an exonym of a large city
    ("Georgia", {"focus": ("USA",)}, ("region", "USA")),      # the story's own country decides
    ("Cambridge", {"focus": ("USA",)}, ("city", "USA")),
    ("Concepcion", {"named": frozenset({"CHL"})}, ("city", "CHL")),
    ("Cano Colorada", {"qualifier": "Arauca"}, None),         # not in the table: unknown, not guessed
])
def test_names_resolve_to_the_place_the_context_means(name, context, expected):
    assert resolve(name, **context) == expected


@pytest.mark.parametrize("name,context", [
    ("San Fernando", {}),                   # the Philippines, Spain, Mexico, Trinidad...: no clear lead
    ("San Fernando", {"focus": ("CHL",)}),  # a Chilean story, and the table has no Chilean San Fernando
    ("Georgetown", {}),
    ("Concepcion", {}),                     # Chile's city and Paraguay's department are close in size
    ("Minca", {"focus": ("COL",)}),         # another language's "Munich" is a Colombian village here
    ("", {}),
])
def test_a_name_without_a_clear_place_stays_unresolved(name, context):
    assert resolve(name, **context) is None


def test_a_qualifier_picks_the_namesake_it_names():
    assert resolve("Santa Ana", qualifier="El Salvador") == ("city", "SLV")
    assert resolve("Cartagena", qualifier="Colombia") == ("city", "COL")


def test_country_region_and_city_are_three_places_with_their_own_points():
    g = gazetteer()
    uk, wiltshire, london = g.country("GBR"), g.resolve("Wiltshire"), g.resolve("London")
    points = {(round(p.latitude, 1), round(p.longitude, 1)) for p in (uk, wiltshire, london)}
    assert (uk.kind, wiltshire.kind, london.kind) == ("country", "county", "city")
    assert len(points) == 3


def test_accents_and_spellings_fold_together():
    assert fold("Bogotá") == fold("Bogota") == "bogota"
    assert fold("The Hague") == "hague" and fold("Saint Louis") == fold("St. Louis")
    assert resolve("Bogota") == ("city", "COL")


def test_the_build_script_keys_names_as_the_loader_looks_them_up():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name in ["Bogotá", "The Hague", "Saint-Étienne", "St. Louis", "Köln", "Quetzaltepeque", "N’Djamena"]:
        assert build.fold(name) == fold(name)


def test_loads_in_under_a_second_and_100_mb():
    # CPU time of the load, so that other processes on the machine do not count against it; the growth of the
    # process's own peak (VmHWM): getrusage's ru_maxrss of a child starts from its parent's peak on Linux.
    code = ("import time; from eventwire.gazetteer import Gazetteer\n"
            "def peak(): return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
            "before = peak(); t = time.process_time(); g = Gazetteer(); "
            "g.resolve('Lima'); print(time.process_time() - t, (peak() - before) / 1024)")
    timings = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        timings.append(tuple(float(v) for v in out.split()))
    seconds, megabytes = min(timings)
    print(f"gazetteer load {seconds:.2f} s, {megabytes:.0f} MB")
    assert seconds < 1.0 and megabytes < 100


@pytest.mark.parametrize("content,reason", [
    (b"not gzip at all", "corrupt"),
    (gzip.compress(b"#some other file\n@keys\na\n@index\n0\n@places\n", mtime=0), "corrupt"),
    (gzip.compress(b"#eventwire gazetteer 1\n@keys\nlima\n@index\n0 1\n@places\ncity\tLima\tPER\tLima\t-12\t-77\n",
                   mtime=0), "corrupt"),
], ids=["not-gzip", "wrong-header", "index-past-places"])
def test_a_corrupt_gazetteer_is_one_error_naming_the_file_and_the_rebuild(tmp_path, content, reason):
    path = tmp_path / "gazetteer.tsv.gz"
    path.write_bytes(content)
    with pytest.raises(GazetteerDataError) as error:
        Gazetteer(path).resolve("Lima")
    message = str(error.value)
    assert str(path) in message and reason in message and "scripts/build_gazetteer.py" in message


def test_a_missing_gazetteer_names_the_rebuild(tmp_path):
    with pytest.raises(GazetteerDataError, match="is missing; rebuild it with"):
        Gazetteer(tmp_path / "absent.tsv.gz")


def test_the_bundled_file_keeps_its_licence_notice():
    notice = (DATA_FILE.parent / "geonames.LICENSE").read_text(encoding="utf-8")
    assert "GeoNames" in notice and "Creative Commons Attribution 4.0" in notice
