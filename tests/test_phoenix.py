"""The Phoenix knowledge base: scripts/build_phoenix.py (the converter) and eventwire.actors.phoenix (the loader).

Tests of the shipped data file need nothing else; tests that rebuild from the PETRARCH2 dictionaries skip when
../shared/reference/petrarch2 is absent.
"""
from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, missing
from eventwire.actors import phoenix as ph

PETRARCH = SHARED / "reference" / "petrarch2"
SCRIPT = ROOT / "scripts" / "build_phoenix.py"
D = dt.date


@pytest.fixture(scope="session")
def builder():
    """scripts/build_phoenix.py as a module."""
    spec = importlib.util.spec_from_file_location("build_phoenix", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_phoenix"] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def petrarch() -> Path:
    if not (PETRARCH / "Phoenix.Countries.actors.txt").is_file():
        missing(f"the PETRARCH2 dictionaries are not here ({PETRARCH})")
    return PETRARCH


@pytest.fixture(scope="session")
def rebuilt(builder, petrarch, tmp_path_factory) -> Path:
    """The data file built afresh from ../shared."""
    out = tmp_path_factory.mktemp("phoenix") / "phoenix.tsv.gz"
    builder.write_data(builder.build(petrarch, builder.Problems(quiet=True)), petrarch, out)
    return out


def one(tokens: tuple[str, ...], kind: str | None = None) -> ph.Entry:
    entries = [e for e in ph.lookup(tokens) if kind is None or e.kind == kind]
    assert len(entries) == 1, entries
    return entries[0]


# --- the shipped data file ---------------------------------------------------------------------------------

def test_blair_is_british_government_in_2003_and_not_in_2010():
    blair = one(("tony", "blair"))
    assert (blair.name, blair.kind) == ("Tony Blair", "person")
    role = ph.role_at(blair, D(2003, 6, 1))
    assert (role.code, role.country, role.sector) == ("GBRGOV", "GBR", "GOV")
    later = ph.role_at(blair, D(2010, 1, 1))
    assert later.code != "GBRGOV" and (later.code, later.country, later.sector) == ("GBRELI", "GBR", "ELI")
    assert ph.role_at(blair, dt.datetime(2003, 6, 1, 12, 0)) == role          # a datetime is its date


def test_putin_and_netanyahu():
    putin = one(("vladimir", "putin"))
    assert putin.countries == ("RUS",)
    assert ph.role_at(putin, D(2004, 3, 1)).code == "RUSGOV"
    assert ph.role_at(putin, None).code == "RUSGOV"                           # the latest role: >080508
    assert ph.lookup(("putin",)) == [putin]                                    # the dictionary lists "Putin"
    netanyahu = one(("benjamin", "netanyahu"))
    assert netanyahu.countries == ("ISR",)
    assert ph.role_at(netanyahu, D(2012, 1, 1)).code == "ISRGOV"
    assert ph.role_at(netanyahu, D(2003, 1, 1)).code == "ISRELI"              # between his terms


def test_international_body_has_no_country():
    un = one(("united", "nations"))
    assert un.kind == "organization"
    role = ph.role_at(un, D(2005, 1, 1))
    assert (role.code, role.country, role.sector) == ("IGOUNO", None, "IGO")
    assert ph.lookup(("the", "united", "nations")) == [un]                   # a leading "the" is not part of a key
    assert ph.lookup(("U.N.",))[0].roles[0].code == "IGOUNO"                  # tokens are lowercased
    nato = one(("nato",))
    assert nato.name == "NATO" and ph.role_at(nato).country is None


def test_agent_has_a_sector_and_no_country():
    police = one(("police",))
    assert (police.kind, police.name) == ("agent", "police")
    role = ph.role_at(police, D(2001, 1, 1))
    assert (role.code, role.country, role.sector) == ("COP", None, "COP")
    assert ph.role_at(one(("policemen",)), None).code == "COP"               # plurals from the agents file
    assert ph.role_at(one(("rebels",)), None).code == "REB"


def test_armed_group():
    hamas = one(("hamas",), kind="group")
    role = ph.role_at(hamas, D(2010, 1, 1))
    assert (role.code, role.country, role.sector) == ("PSEREBHMS", "PSE", "REB")


def test_bare_surname_only_when_asked():
    assert ph.lookup(("blair",)) == []
    assert "Tony Blair" in [e.name for e in ph.lookup_surname(("blair",))]
    assert all(e.kind == "person" for e in ph.lookup_surname(("blair",)))
    assert ("blair",) in ph.surname_index()
    assert ph.lookup_surname(("police",)) == []


def test_discards_are_shipped_apart():
    found = ph.discards()
    assert len(found) > 400
    assert any(d.story for d in found) and any(not d.story for d in found)
    assert ("basketball",) in {d.tokens for d in found}


def test_role_precedence():
    eli = ph.Role("AAAELI", "AAA", "ELI")                                      # undated: the default
    early = ph.Role("AAAELI", "AAA", "ELI", D(1990, 1, 1), D(2000, 1, 1))
    gov = ph.Role("AAAGOV", "AAA", "GOV", D(1995, 1, 1), D(1999, 12, 31))
    defence = ph.Role("AAAGOVMIL", "AAA", "GOV", D(1997, 1, 1), D(1998, 1, 1))
    entry = ph.Entry(1, "A", "person", (early, gov, defence, eli), "test:1")
    assert ph.role_at(entry, D(1992, 1, 1)) is early        # dated over undated
    assert ph.role_at(entry, D(1996, 1, 1)) is gov          # GOV over ELI
    assert ph.role_at(entry, D(1997, 6, 1)) is defence      # the more specific code
    assert ph.role_at(entry, D(1999, 12, 31)) is gov        # both ends are inclusive
    assert ph.role_at(entry, D(2010, 1, 1)) is eli          # the undated default applies always
    assert ph.role_at(entry, None) is eli                   # no date: the role still in force at the end
    ended = ph.Entry(2, "B", "person", (gov, early), "test:2")
    assert ph.role_at(ended, None) is early                 # none open: the one that ended last
    assert ph.role_at(ended, D(2010, 1, 1)) is None         # the dictionary says nothing then
    assert ph.role_at(ph.Entry(3, "C", "person", (), "test:3"), D(2010, 1, 1)) is None


def test_missing_or_corrupt_data_file_gives_one_clear_error(tmp_path):
    shipped = ph.DATA_FILE.read_bytes()
    cases = {"missing.tsv.gz": None,
             "garbage.tsv.gz": b"not a data file at all",
             "truncated.tsv.gz": shipped[: len(shipped) // 2],
             "wrong.tsv.gz": gzip.compress(b"# something else\n%meta\tkey\tvalue\nformat\t1\n")}
    for name, data in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(ph.PhoenixDataError) as caught:
            ph.Phoenix(path)
        message = str(caught.value)
        assert str(path) in message and "python scripts/build_phoenix.py" in message, message
        assert "\n" not in message


def test_phoenix_names_the_file_when_the_shipped_one_is_broken(tmp_path, monkeypatch):
    broken = tmp_path / "phoenix.tsv.gz"
    broken.write_bytes(b"\x1f\x8b" + b"\0" * 40)
    monkeypatch.setattr(ph, "DATA_FILE", broken)
    ph.phoenix.cache_clear()
    try:
        with pytest.raises(ph.PhoenixDataError, match="rebuild it with `python scripts/build_phoenix.py`"):
            ph.lookup(("tony", "blair"))
    finally:
        monkeypatch.undo()
        ph.phoenix.cache_clear()
    assert ph.lookup(("tony", "blair"))


def test_shipped_files_and_package_data():
    assert ph.DATA_FILE.is_file() and ph.DATA_FILE.stat().st_size < 10_000_000
    notice = (ph.DATA_DIR / "phoenix.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Phoenix.Countries.actors.txt" in notice
    package_data = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/*.tsv.gz"' in package_data and '"data/*.LICENSE"' in package_data


# --- the converter -----------------------------------------------------------------------------------------

SMALL = {
    "Phoenix.Countries.actors.txt": """# a test dictionary
UNITED_KINGDOM_  [GBR]
+BRITAIN_
TONY_BLAIR_  # CountryInfo.txt
+PRIME_MINISTER_TONY_BLAIR_
\t[GBRGOV 970502-070627]
\t[GBRELI]
BROKEN_DATES_  # CountryInfo.txt
\t[GBRGOV 9905011-070627]
\t[GBRELI]
""",
    "Phoenix.International.actors.txt": "UNITED_NATIONS_\t[IGOUNO]# NGO_Actors\n",
    "Phoenix.MilNonState.actors.txt": "HAMAS_  #  kkl\n+ISLAMIC_RESISTANCE_MOVEMENT\n\t[PSEREBHMS]\n",
    "Phoenix.agents.txt": "!PERSON! = MAN, MEN\nPOLICE {} [~COP]\nREBEL [~REB]\nPOLICE!PERSON! [~COP]\nNO_CODE_HERE\n",
    "Phoenix.discards.txt": "+WORLD CUP\nBASEBALL_\n",
    "LICENSE": "The MIT License (MIT)\n\nCopyright (c) 2014 Open Event Data\n",
}


@pytest.fixture()
def small(tmp_path) -> Path:
    folder = tmp_path / "dictionaries"
    folder.mkdir()
    for name, text in SMALL.items():
        (folder / name).write_bytes(text.encode("latin-1"))
    return folder


def test_malformed_lines_are_reported_with_file_and_line_and_skipped(small, tmp_path):
    out = tmp_path / "out" / "phoenix.tsv.gz"
    run = subprocess.run([sys.executable, str(SCRIPT), "--source", str(small), "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"{small / 'Phoenix.Countries.actors.txt'}:9: bad date '9905011'" in run.stderr
    assert f"{small / 'Phoenix.agents.txt'}:5: no code" in run.stderr
    assert "skipped lines 2" in run.stdout
    kb = ph.Phoenix(out)
    assert (out.parent / "phoenix.LICENSE").read_text().count("MIT License") == 1
    assert set(kb.skipped) == {("Phoenix.Countries.actors.txt", "9", "bad date '9905011' (YYMMDD or YYYYMMDD)"),
                               ("Phoenix.agents.txt", "5", "no code")}
    broken = kb.lookup(("broken", "dates"))[0]
    assert [r.code for r in broken.roles] == ["GBRELI"]                    # the rest of the entry stays
    blair = kb.lookup(("prime", "minister", "tony", "blair"))
    assert blair == kb.lookup(("tony", "blair")) and blair[0].name == "Tony Blair"   # an alias: the same entry
    assert ph.role_at(blair[0], D(2000, 1, 1)).code == "GBRGOV"
    assert kb.lookup(("britain",))[0].kind == "country"
    assert [e.name for e in kb.lookup(("islamic", "resistance", "movement"))] == ["Hamas"]
    assert ph.role_at(kb.lookup(("policemen",))[0]).code == "COP"         # !PERSON! substitution
    assert ph.role_at(kb.lookup(("rebels",))[0]).code == "REB"
    assert [(d.phrase, d.story, d.stem) for d in kb.discards()] == [("WORLD CUP", True, True), ("BASEBALL", False, False)]


def test_converter_is_deterministic(builder, small, tmp_path):
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    for out in (first, second):
        builder.write_data(builder.build(small, builder.Problems(quiet=True)), small, out)
    assert builder.rows_digest(first) == builder.rows_digest(second)
    assert first.read_bytes() == second.read_bytes()


def test_converter_is_deterministic_on_the_real_dictionaries(builder, petrarch, rebuilt, tmp_path):
    again = tmp_path / "again.tsv.gz"
    builder.write_data(builder.build(petrarch, builder.Problems(quiet=True)), petrarch, again)
    assert builder.rows_digest(again) == builder.rows_digest(rebuilt)


def test_shipped_data_is_what_the_converter_makes(builder, rebuilt):
    assert builder.rows_digest(ph.DATA_FILE) == builder.rows_digest(rebuilt), \
        "src/eventwire/data/phoenix.tsv.gz is stale: run python scripts/build_phoenix.py"


def spacy_keys(texts: list[str]) -> list[tuple[str, ...]]:
    """Each text (no spaces inside) as spaCy's English tokenizer splits it, lowercased: one call for all."""
    from eventwire.actors.kb import english_tokenizer
    out: list[list[str]] = [[]]
    for token in english_tokenizer()(" ".join(texts)):
        out[-1].append(token.lower_)
        if token.whitespace_:
            out.append([])
    assert len(out) == len(texts)
    return [tuple(x) for x in out]


def test_the_converters_tokenizer_knows_spacys_special_cases(builder):
    """Words spaCy keeps whole or splits by rule ("Gen.", "U.S.", "Im" -> "I" "m") split the same in the
    converter's copy of its rules (a word of letters alone can differ only through these)."""
    from eventwire.actors.kb import english_tokenizer
    words = sorted(k for k in english_tokenizer().rules if re.fullmatch(r"[A-Za-z][A-Za-z.']*", k))
    assert len(words) > 500
    differ = [(w, builder.tokens(w), s) for w, s in zip(words, spacy_keys(words)) if builder.tokens(w) != s]
    assert differ == [], differ[:20]


def test_name_keys_are_split_as_spacy_splits_them(builder, petrarch):
    """Every word with a character other than a letter, in every spelling the converter keys (both forms
    of every name, and the discards), splits as spaCy splits it (spaCy splits words independently)."""
    problems = builder.Problems(quiet=True)
    records = [(r, source) for name, source in builder.ACTOR_FILES
               for r in builder.read_actor_file(petrarch / name, problems)]
    records += [(r, "agents") for r in builder.read_agents(petrarch / builder.AGENT_FILE, problems)]
    countries, given = builder.load_countries(), builder.given_names(records)
    forms = {d.phrase for d in builder.read_discards(petrarch / builder.DISCARD_FILE, problems)}
    for record, source in records:
        kind = builder.kind_of(record, source, countries, given)
        for words in [record.words] + record.aliases:
            forms.update(builder.name_forms(words, kind, set()))
    assert len(forms) > 50_000
    chunks = sorted({c for form in forms for c in form.split() if not c.isalpha()})
    differ = [(c, builder.tokens(c), s) for c, s in zip(chunks, spacy_keys(chunks)) if builder.tokens(c) != s]
    assert len(chunks) > 1_000
    assert differ == [], differ[:20]
