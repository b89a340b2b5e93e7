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
