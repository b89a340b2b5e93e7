"""The bundled persons dictionary (data/persons.tsv): one person per written name, dates in order, and the
role in force at an article's date for people of the corpus eras."""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

import pytest

from eventwire import settings
from eventwire.actors import known
from eventwire.actors.kb import kb

PERSONS = settings.DATA_DIR / "persons.tsv"


def data_rows() -> list[list[str]]:
    """The file's data lines as cells, header and comments left out."""
    lines = [line for line in PERSONS.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[0].split("\t")[:2] == ["name", "aliases"]
    return [line.split("\t") for line in lines[1:]]


def test_every_line_has_the_six_columns():
    rows = data_rows()
    assert len(rows) > 2000
    assert [r for r in rows if len(r) != 6] == []


def test_the_file_loads_without_skipping_a_line(caplog):
    with caplog.at_level(logging.WARNING, logger="eventwire"):
        index = known.read_dictionary(PERSONS, "persons.tsv")
    assert "skipped" not in caplog.text
    assert len(index) > 2000


def test_no_written_name_belongs_to_two_people():
    """An alias shared by two names would leave both people unknown (or worse, give one the other's role)."""
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for name, aliases, *_ in data_rows():
        for written in [name, *(a for a in aliases.split("|") if a.strip())]:
            owners[kb().key(written)].add(name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_no_row_ends_before_it_starts():
    backwards = [r for r in data_rows() if r[4] and r[5]
                 and dt.date.fromisoformat(r[4]) > dt.date.fromisoformat(r[5])]
    assert backwards == []


def test_international_officials_have_no_country():
    assert [r for r in data_rows() if r[3] == "IGO" and r[2]] == []


def role(name: str, day: str) -> tuple[str | None, str | None]:
    row = known.dictionary_role(kb().key(name), dt.date.fromisoformat(day))
    assert row is not None, f"{name} is not in the dictionary"
    return row.country, row.sector


@pytest.mark.parametrize("name, day, expected", [
    ("Margaret Thatcher", "1985-06-01", ("GBR", "GOV")),
    ("Michael Howard", "2004-06-01", ("GBR", "OPP")),
    ("Oliver Letwin", "2002-03-01", ("GBR", "OPP")),
    ("Charles Kennedy", "2003-03-01", ("GBR", "OPP")),
    ("Rishi Sunak", "2022-08-15", ("GBR", "LEG")),
    ("Charles E. Schumer", "2019-01-10", ("USA", "LEG")),
    ("Caspar Weinberger", "1985-01-01", ("USA", "GOV")),
    ("Kenneth Starr", "1998-09-01", ("USA", "JUD")),
    ("Jose Napoleon Duarte", "1985-03-01", ("SLV", "GOV")),
    ("Abimael Guzman", "1990-05-01", ("PER", "REB")),
    ("Daniel Ortega", "1995-01-01", ("NIC", "OPP")),
    ("Hassan Nasrallah", "2006-07-20", ("LBN", "REB")),
    ("Mikhail Gorbachev", "1989-11-09", ("RUS", "GOV")),
    ("Javier Solana", "2003-02-01", (None, "IGO")),
    ("Boutros Boutros-Ghali", "1994-04-10", (None, "IGO")),
])
def test_a_person_has_the_role_in_force_at_the_date(name, day, expected):
    assert role(name, day) == expected


def test_between_two_roles_a_person_keeps_the_country_and_no_role():
    assert role("Michel Aoun", "2000-01-01") == ("LBN", None)


def test_an_accented_spelling_names_the_same_person():
    assert role("Efraín Ríos Montt", "1982-12-01") == role("Efrain Rios Montt", "1982-12-01") == ("GTM", "GOV")


# ---- names as news writes them ----------------------------------------------------------------------

import datetime as _dt

from eventwire.actors.known import dictionary_role as _role
from eventwire.actors.kb import kb as _kb


def _country(name, date=None):
    row = _role(_kb().key(name), date)
    return (row.country, row.sector) if row else None


@pytest.mark.parametrize("written,date,expected", [
    ("John A. Boehner", _dt.date(2012, 4, 23), ("USA", "LEG")),        # a middle initial
    ("Joseph R. Biden Jr.", _dt.date(2010, 6, 15), ("USA", "GOV")),    # initial, suffix, short first name
    ("Charles E. Schumer", _dt.date(2014, 1, 25), ("USA", "LEG")),
    ("NJ Gov Chris Christie", _dt.date(2015, 6, 30), ("USA", "GOV")),  # a title written before the name
    ("General Pinochet", _dt.date(1988, 9, 22), ("CHL", "GOV")),       # a titled bare surname
])
def test_names_as_news_writes_them_find_their_entry(written, date, expected):
    assert _country(written, date) == expected


@pytest.mark.parametrize("surname,date", [
    ("Brown", _dt.date(2005, 5, 1)),    # office holders of several countries
    ("Smith", _dt.date(2012, 5, 1)),
    ("Martin", _dt.date(2021, 1, 1)),   # also a given name
    ("Howard", None),                   # Michael Howard (GBR) and John Howard (AUS): no date to choose
])
def test_a_bare_surname_several_people_bear_stays_unknown(surname, date):
    assert _country(surname, date) is None


def test_a_bare_surname_whose_office_holders_share_a_country_gets_that_country():
    assert _country("Trump", _dt.date(2017, 12, 4)) == ("USA", "GOV")
    assert _country("Falconer", None) == ("GBR", None)     # undated: the country is sure, the office is not
