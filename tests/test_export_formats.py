"""`eventwire export` in the layouts users already have scripts for (GDELT 2.0, ICEWS, POLECAT) and as GraphML,
each read back with the published column list of its layout; `events_frame`; what a failed export leaves."""
import csv
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire import api, layouts
from eventwire.cli import build_parser
from eventwire.export import atomic_path, spreadsheet_safe
from eventwire.store import open_store
from pgserver import postgres_server, postgres_url  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DOC = ROOT / "docs" / "export-formats.md"

# The published column lists, written out here from the layouts' own documentation, independently of the
# package's data files (a test that read those would only check the package against itself).
GDELT_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
               "Type1Code", "Type2Code", "Type3Code"]
GDELT_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_COLUMNS = (["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
                 + [f"Actor1{c}" for c in GDELT_ACTOR] + [f"Actor2{c}" for c in GDELT_ACTOR]
                 + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                    "NumMentions", "NumSources", "NumArticles", "AvgTone"]
                 + [f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for c in GDELT_GEO]
                 + ["DATEADDED", "SOURCEURL"])
ICEWS_COLUMNS = ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
                 "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
                 "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude"]
POLECAT_COLUMNS = ["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
                   "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
                   "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name", "Recipient Country", "Recipient COW",
                   "Primary Recipient Sector", "Recipient Sectors", "Recipient Title", "Recipient Name Raw",
                   "Wikipedia Recipient ID", "Placename", "City", "District", "Province", "Country", "Latitude",
                   "Longitude", "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date",
                   "Story People", "Story Organizations", "Story Locations", "Language", "Version"]
PUBLISHED = {"gdelt": GDELT_COLUMNS, "icews": ICEWS_COLUMNS, "polecat": POLECAT_COLUMNS}


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "samples.db")
    summary = api.ingest([str(SAMPLES)], db=path, published="2024-03-02")
    assert summary.events > 0 and not summary.failed
    return path


@pytest.fixture(scope="module")
def stored(db) -> dict[int, dict]:
    """Every stored event by id: what each export must agree with."""
    return {e["id"]: e for e in api.events(db=db, limit=1000)}


def find(stored: dict, **values) -> dict:
    matches = [e for e in stored.values() if all(e[k] == v for k, v in values.items())]
    assert len(matches) == 1, (values, matches)
    return matches[0]


def read_tsv(path: Path, columns: list[str], header: bool) -> list[dict]:
    """Rows of a tab-separated export, keyed by the published column list; every row has exactly its width."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if header:
        assert rows[0] == columns
        rows = rows[1:]
    assert [len(r) for r in rows] == [len(columns)] * len(rows)
    return [dict(zip(columns, r)) for r in rows]


def exported(db: str, tmp_path: Path, layout: str, **filters) -> list[dict]:
    out = tmp_path / f"events.{layout}.tsv"
    count = api.export(db=db, format=layout, out=str(out), **filters)
    rows = read_tsv(out, PUBLISHED[layout], header=layout != "gdelt")
    assert count == len(rows)
    return rows


def by_id(rows: list[dict], column: str) -> dict[int, dict]:
    return {int(r[column]): r for r in rows}


# The layouts' column lists ---------------------------------------------------------------------------------

def test_the_gdelt_layout_has_the_61_published_columns_in_order():
    assert len(GDELT_COLUMNS) == 61
    assert layouts.header("gdelt") == GDELT_COLUMNS


def test_the_icews_layout_has_the_published_columns_in_order():
    assert layouts.header("icews") == ICEWS_COLUMNS


def test_the_polecat_layout_has_the_published_columns_in_order():
    assert layouts.header("polecat") == POLECAT_COLUMNS


@pytest.mark.parametrize("layout", ["gdelt", "icews", "polecat"])
def test_the_docs_give_every_column_of_each_layout_in_order(layout):
    section = DOC.read_text().split(f"(`--format {layout}`)")[1].split("\n## ")[0]
    documented = re.findall(r"^\| ([^|]+?) \| [^|]+ \|$", section, re.M)
    assert documented[1:] == PUBLISHED[layout]          # the first is the table's own header


def test_every_command_the_export_docs_show_parses():
    parser = build_parser()
    lines = [line.strip() for line in DOC.read_text().splitlines() if line.startswith("    eventwire ")]
    assert len(lines) == 4
    for line in lines:
        words = shlex.split(line)[1:]
        with pytest.raises(SystemExit) as e:             # --help proves every option exists and parses
            parser.parse_args(words + ["--help"])
        assert e.value.code == 0


# GDELT -----------------------------------------------------------------------------------------------------

def test_gdelt_has_one_row_per_stored_event(db, stored, tmp_path):
    rows = exported(db, tmp_path, "gdelt")
    assert sorted(int(r["GLOBALEVENTID"]) for r in rows) == sorted(stored)


def test_gdelt_rows_carry_each_events_cameo_code_quad_class_and_actor_countries(db, stored, tmp_path):
    rows = exported(db, tmp_path, "gdelt")
    assert len(rows) == len(stored)
    for r in rows:
        e = stored[int(r["GLOBALEVENTID"])]
        assert (r["EventCode"], r["EventBaseCode"], r["EventRootCode"]) == (e["cameo"], e["cameo"][:3], e["cameo"][:2])
        assert r["QuadClass"] == str(e["quad_class"])
        assert (r["Actor1CountryCode"], r["Actor2CountryCode"]) == (e["source_country"] or "", e["target_country"] or "")


def test_gdelt_codes_the_sanctions_on_belarus(db, stored, tmp_path):
    event = find(stored, type="SANCTION", target_name="Belarus")
    row = by_id(exported(db, tmp_path, "gdelt"), "GLOBALEVENTID")[event["id"]]
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("163", "163", "16")
    assert (row["QuadClass"], row["GoldsteinScale"]) == ("4", "-8")
    assert (row["Actor1Code"], row["Actor1KnownGroupCode"], row["Actor1Type1Code"]) == ("IGOEUREEC", "EEC", "IGO")
    assert (row["Actor2Code"], row["Actor2Name"], row["Actor2CountryCode"]) == ("BLR", "Belarus", "BLR")


def test_gdelt_dates(db, stored, tmp_path):
    event = find(stored, type="SANCTION", target_name="Belarus")
    row = by_id(exported(db, tmp_path, "gdelt"), "GLOBALEVENTID")[event["id"]]
    assert event["date"] == "2024-02-29"
    assert (row["SQLDATE"], row["MonthYear"], row["Year"], row["FractionDate"]) == ("20240229", "202402", "2024",
                                                                                  "2024.1616")
    assert re.fullmatch(r"20\d{12}", row["DATEADDED"])


def test_gdelt_counts_come_from_the_events_story(db, stored, tmp_path):
    store = open_store(db)
    try:
        stories = {s["id"]: s for s in store.stories(limit=1000)}
    finally:
        store.close()
    rows = exported(db, tmp_path, "gdelt")
    assert len(rows) == len(stored)
    for r in rows:
        story = stories[stored[int(r["GLOBALEVENTID"])]["story_id"]]
        assert (r["NumMentions"], r["NumSources"], r["NumArticles"]) == \
            (str(story["mentions"]), str(story["sources"]), str(story["articles"]))
    sanctions = find(stored, type="SANCTION", target_name="Belarus")
    row = by_id(rows, "GLOBALEVENTID")[sanctions["id"]]
    assert int(row["NumMentions"]) == stories[sanctions["story_id"]]["mentions"]


def test_gdelt_action_geography_uses_fips_country_codes(db, stored, tmp_path):
    rows = by_id(exported(db, tmp_path, "gdelt"), "GLOBALEVENTID")
    caracas = rows[find(stored, type="COERCE", place_name="Caracas")["id"]]
    assert (caracas["ActionGeo_FullName"], caracas["ActionGeo_CountryCode"], caracas["ActionGeo_Type"]) == \
        ("Caracas", "VE", "4")
    assert (caracas["ActionGeo_Lat"], caracas["ActionGeo_Long"]) == ("10.488", "-66.8792")
    # FIPS 10-4 is not ISO: Russia is RS (ISO RU), Belarus BO (ISO BY), Germany GM (ISO DE).
    assert [layouts.fips(c, None) for c in ("RUS", "BLR", "DEU", "VEN")] == ["RS", "BO", "GM", "VE"]


def test_gdelt_leaves_what_eventwire_does_not_know_empty(db, tmp_path):
    rows = exported(db, tmp_path, "gdelt")
    for column in ("AvgTone", "IsRootEvent", "Actor1EthnicCode", "Actor2Religion1Code", "ActionGeo_FeatureID"):
        assert {r[column] for r in rows} == {""}, column


def test_gdelt_reads_into_pandas_with_the_published_columns(db, tmp_path):
    import pandas         # in the test extra: a missing one is an error, never a skip
    out = tmp_path / "events.gdelt.tsv"
    count = api.export(db=db, format="gdelt", out=str(out))
    frame = pandas.read_csv(out, sep="\t", header=None, names=GDELT_COLUMNS, dtype=str, keep_default_na=False)
    assert frame.shape == (count, 61)
    assert frame.loc[frame["EventCode"] == "163", "Actor2CountryCode"].tolist() == ["BLR", "BLR"]


def test_gdelt_export_keeps_to_the_filter(db, stored, tmp_path):
    rows = exported(db, tmp_path, "gdelt", type="ACCUSE", country="UKR", side="target")
    expected = {e["id"] for e in stored.values() if e["type"] == "ACCUSE" and e["target_country"] == "UKR"}
    assert {int(r["GLOBALEVENTID"]) for r in rows} == expected and len(expected) == 2


# ICEWS -----------------------------------------------------------------------------------------------------

def test_icews_has_a_header_and_one_row_per_stored_event(db, stored, tmp_path):
    rows = exported(db, tmp_path, "icews")
    assert sorted(int(r["Event ID"]) for r in rows) == sorted(stored)


def test_icews_codes_the_defence_ministrys_accusation(db, stored, tmp_path):
    event = find(stored, type="ACCUSE", source_name="Russia's defence ministry")
    row = by_id(exported(db, tmp_path, "icews"), "Event ID")[event["id"]]
    assert (row["Source Name"], row["Source Sectors"], row["Source Country"]) == \
        ("Russia's defence ministry", "MIL", "Russia")
    assert (row["Target Name"], row["Target Country"]) == ("Ukraine", "Ukraine")
    assert (row["CAMEO Code"], row["Event Text"], row["Intensity"]) == ("112", "Accuse", "-2")
    assert row["Story ID"] == str(event["article_id"])


def test_icews_places_and_sentence_numbers(db, stored, tmp_path):
    event = find(stored, type="COERCE", source_name="Venezuelan police")
    row = by_id(exported(db, tmp_path, "icews"), "Event ID")[event["id"]]
    assert (row["City"], row["Country"], row["Latitude"], row["Longitude"]) == \
        ("Caracas", "Venezuela", "10.488", "-66.8792")
    assert row["Sentence Number"] == "2"                 # the sentence after the title


# POLECAT ---------------------------------------------------------------------------------------------------

def test_polecat_has_a_header_and_one_row_per_stored_event(db, stored, tmp_path):
    rows = exported(db, tmp_path, "polecat")
    assert sorted(int(r["Event ID"]) for r in rows) == sorted(stored)


def test_polecat_codes_the_arrests_in_caracas(db, stored, tmp_path):
    event = find(stored, type="COERCE", source_name="Venezuelan police")
    row = by_id(exported(db, tmp_path, "polecat"), "Event ID")[event["id"]]
    assert (row["Event Type"], row["Event Mode"], row["Quad Code"]) == ("coerce", "arrest", "MATERIAL CONFLICT")
    assert (row["Actor Name"], row["Actor Country"], row["Primary Actor Sector"]) == ("Venezuelan police", "VEN", "COP")
    assert (row["Recipient Country"], row["Placename"], row["City"], row["Country"]) == ("VEN", "Caracas", "Caracas",
                                                                                       "VEN")
    assert (row["Publication Date"], row["Language"]) == ("2024-03-02", "en")


def test_polecat_carries_an_actors_title(db, stored, tmp_path):
    event = find(stored, type="CONSULT", source_name="Amina Odhiambo")
    row = by_id(exported(db, tmp_path, "polecat"), "Event ID")[event["id"]]
    assert (row["Actor Title"], row["Actor Country"], row["Recipient Country"]) == ("Foreign Minister", "KEN", "ETH")


@pytest.mark.postgres
def test_every_format_exports_from_postgresql(postgres_url, tmp_path):
    api.ingest([str(SAMPLES / "03-sanctions.txt")], db=postgres_url, published="2024-03-02")
    stored = {e["id"]: e for e in api.events(db=postgres_url, limit=1000)}
    assert stored
    for layout in ("gdelt", "icews", "polecat"):
        rows = exported(postgres_url, tmp_path, layout)
        assert sorted(int(r[PUBLISHED[layout][0]]) for r in rows) == sorted(stored), layout
    row = by_id(exported(postgres_url, tmp_path, "gdelt"), "GLOBALEVENTID")[
        find(stored, type="SANCTION", target_name="Belarus")["id"]]
    assert (row["EventCode"], row["Actor2CountryCode"], row["NumArticles"]) == ("163", "BLR", "1")
    assert api.export(db=postgres_url, format="graphml", out=str(tmp_path / "g.graphml")) >= 1


# GraphML ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graph(db, tmp_path_factory):
    import networkx       # in the test extra: a missing one is an error, never a skip
    out = tmp_path_factory.mktemp("graph") / "actors.graphml"
    count = api.export(db=db, format="graphml", out=str(out))
    g = networkx.read_graphml(out)
    g.graph["exported"] = count
    return g


def test_graphml_reads_back_as_a_directed_network(graph, stored):
    both = [e for e in stored.values() if e["source_name"] and e["target_name"]]
    assert graph.is_directed()
    assert graph.graph["exported"] == len(both) == sum(d["events"] for _, _, d in graph.edges(data=True))


def test_graphml_nodes_are_actors_with_a_label_and_a_country(graph):
    assert graph.nodes["IGOEUREEC"]["label"] == "European Union"
    assert (graph.nodes["BLR"]["label"], graph.nodes["BLR"]["country"]) == ("Belarus", "BLR")
    assert "country" not in graph.nodes["IGOEUREEC"]           # an IGO has none


def test_graphml_edges_count_events_per_plover_type(graph):
    edge = graph.edges["IGOEUREEC", "BLR"]
    assert (edge["events"], edge["SANCTION"], edge["AGREE"]) == (1, 1, 0)
    assert graph.edges["RUSMIL", "UKR"]["ACCUSE"] == 1


# The CLI: counts, bad input, nothing half-written -------------------------------------------------------------

def test_export_reports_the_number_of_events_not_of_characters(db):
    result = run("export", "--db", db, "--format", "jsonl", "--type", "SANCTION")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 2
    assert result.stderr.strip() == "exported 2 events"
    assert {json.loads(line)["type"] for line in lines} == {"SANCTION"}


@pytest.mark.parametrize("layout", ["gdelt", "icews", "polecat", "graphml"])
def test_each_format_is_written_through_the_cli(db, layout, tmp_path):
    out = tmp_path / f"e.{layout}"
    result = run("export", "--db", db, "--format", layout, "--out", str(out), "--type", "SANCTION")
    assert result.returncode == 0 and result.stderr.strip() == "exported 2 events"
    assert out.is_file() and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_an_unknown_format_is_a_usage_error(db, tmp_path):
    result = run("export", "--db", db, "--format", "acled", "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "acled" in result.stderr and list(tmp_path.iterdir()) == []


def test_graphml_needs_an_output_file(db):
    result = run("export", "--db", db, "--format", "graphml")
    assert result.returncode == 2 and "--out" in result.stderr and result.stdout == ""


def test_an_output_in_a_missing_folder_is_one_line_and_exit_1(db, tmp_path):
    out = tmp_path / "nowhere" / "e.tsv"
    result = run("export", "--db", db, "--format", "gdelt", "--out", str(out))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no such folder" in result.stderr and str(out) in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_store_with_no_events_is_one_line_and_exit_1_with_no_file(tmp_path):
    db = str(tmp_path / "empty.db")
    open_store(db).close()
    out = tmp_path / "e.tsv"
    result = run("export", "--db", db, "--format", "icews", "--out", str(out))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "no events" in result.stderr and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_a_missing_store_is_named_and_not_created(tmp_path):
    result = run("export", "--db", str(tmp_path / "typo.db"), "--format", "gdelt", "--out", str(tmp_path / "e.tsv"))
    assert result.returncode == 1 and "typo.db" in result.stderr and "no such store" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_filters_matching_nothing_leave_an_older_file_as_it_was(db, tmp_path):
    out = tmp_path / "e.tsv"
    out.write_text("yesterday's export\n")
    result = run("export", "--db", db, "--format", "polecat", "--out", str(out), "--type", "MOBILIZE,RETREAT")
    assert result.returncode == 1 and "none match the filters" in result.stderr
    assert out.read_text() == "yesterday's export\n" and [p.name for p in tmp_path.iterdir()] == ["e.tsv"]


def test_an_export_that_fails_halfway_leaves_nothing(tmp_path):
    out = tmp_path / "e.tsv"
    with pytest.raises(RuntimeError), atomic_path(str(out)) as path:
        Path(path).write_text("half a file")
        raise RuntimeError("the disk filled up")
    assert list(tmp_path.iterdir()) == []


def test_a_finished_export_replaces_the_older_file(db, tmp_path):
    out = tmp_path / "e.tsv"
    out.write_text("yesterday's export\n")
    count = api.export(db=db, format="icews", out=str(out))
    assert len(out.read_text().splitlines()) == count + 1 and [p.name for p in tmp_path.iterdir()] == ["e.tsv"]


# Cells -----------------------------------------------------------------------------------------------------

def test_text_with_tabs_and_line_breaks_stays_in_its_cell():
    assert layouts.text("Minister\tof\nDefence\r\n") == "Minister of Defence"


def test_text_cells_get_the_spreadsheet_guard_and_numbers_do_not():
    event = {"id": 3, "source_name": "=HYPERLINK(1)", "target_name": "-rebels", "goldstein": -8.0,
             "longitude": -66.87919, "source_code": "KEN", "target_code": None}
    row = dict(zip(GDELT_COLUMNS, layouts.cells("gdelt", event, spreadsheet_safe)))
    assert (row["Actor1Name"], row["Actor2Name"], row["GoldsteinScale"], row["ActionGeo_Long"]) == \
        ("'=HYPERLINK(1)", "'-rebels", "-8", "-66.87919")
    assert (row["GLOBALEVENTID"], row["Actor1Code"], row["Actor2Code"]) == ("3", "KEN", "")


# Python: events and events_frame -------------------------------------------------------------------------------

def test_events_frame_has_every_matching_event_with_the_store_columns(db, stored):
    import pandas  # noqa: F401 - events_frame needs it; in the test extra, so never skipped
    frame = api.events_frame(db=db, type="SANCTION", country="BLR", side="target")
    expected = sorted(e["id"] for e in stored.values() if e["type"] == "SANCTION" and e["target_country"] == "BLR")
    assert sorted(frame["id"].tolist()) == expected and len(expected) == 2
    assert set(frame["cameo"]) == {"163"} and "sentence" in frame.columns


def test_events_frame_takes_the_same_filters_as_events(db):
    import pandas  # noqa: F401 - events_frame needs it; in the test extra, so never skipped
    frame = api.events_frame(db=db, since="2024-02-29", modality="asserted")
    rows = api.events(db=db, since="2024-02-29", modality="asserted", limit=1000)
    assert sorted(frame["id"].tolist()) == sorted(r["id"] for r in rows) and rows


def test_events_frame_refuses_a_date_that_is_not_one(db):
    with pytest.raises(ValueError, match="since"):
        api.events_frame(db=db, since="2024-02-30")


def test_events_frame_without_pandas_names_the_extra(db):
    code = ("import sys; sys.modules['pandas'] = None\n"       # as if pandas were not installed
            "from eventwire import api\n"
            f"api.events_frame(db={db!r})\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert "eventwire[pandas]" in result.stderr.strip().splitlines()[-1]
