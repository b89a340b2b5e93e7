"""The organizations list (data/organizations.tsv): one row per phrase, each phrase reaching its own row."""
from collections import defaultdict

import pytest

from eventwire.actors.kb import kb
from eventwire.data import rows, split

# Deliberately shared: the article's countries choose between the rows (KnowledgeBase.alternatives).
SHARED = {("bnp",): {"Bangladesh Nationalist Party", "British National Party"},
          ("green", "party"): {"Green Party", "Green Party of the United States"}}


def organization_phrases() -> dict[tuple[str, ...], set[str]]:
    """Each name and alias, keyed as the knowledge base keys it, with the rows (by name) that list it."""
    base, out = kb(), defaultdict(set)
    for r in rows("organizations.tsv"):
        for text in [r["name"], *split(r.get("aliases"))]:
            text = text[4:] if text.lower().startswith("the ") else text
            out[base.key(text)].add(r["name"])
    return out


def test_organization_phrases_belong_to_one_row_each():
    shared = {key: names for key, names in organization_phrases().items() if len(names) > 1}
    assert shared == SHARED


def test_organization_phrases_are_not_shadowed_by_countries_capitals_or_seats():
    base = kb()
    lost = {key: (base.phrases[key].kind, base.phrases[key].name)
            for key, names in organization_phrases().items()
            if key not in SHARED and base.phrases[key].name not in names}
    assert lost == {}


def test_organization_countries_are_known_countries():
    known = {r["iso3"] for r in rows("countries.tsv")}
    unknown = {r["name"]: r["country"] for r in rows("organizations.tsv") if r["country"] and r["country"] not in known}
    assert unknown == {}


def test_organization_national_codes_start_with_their_country():
    odd = {r["name"]: r["code"] for r in rows("organizations.tsv")
           if r["country"] and r["kind"] not in ("igo", "ngo") and not r["code"].startswith(r["country"])}
    assert odd == {}


@pytest.mark.parametrize("phrase,name,country,sector", [
    ("Harvard", "Harvard University", "USA", "EDU"),
    ("UCLA", "University of California, Los Angeles", "USA", "EDU"),
    ("Oxford University", "University of Oxford", "GBR", "EDU"),
    ("London School of Economics", "London School of Economics", "GBR", "EDU"),
    ("Peking University", "Peking University", "CHN", "EDU"),
    ("UNAM", "National Autonomous University of Mexico", "MEX", "EDU"),
    ("Makerere University", "Makerere University", "UGA", "EDU"),
    ("IRS", "Internal Revenue Service", "USA", "GOV"),
    ("NYPD", "New York Police Department", "USA", "COP"),
    ("Bank of Japan", "Bank of Japan", "JPN", "GOV"),
    ("Stasi", "Stasi", "DDR", "SPY"),
    ("Carabineros", "Carabineros", "CHL", "COP"),
    ("Supreme Soviet", "Supreme Soviet", "SUN", "LEG"),
    ("Beltran Leyva cartel", "Beltran Leyva Organization", "MEX", "CRM"),
    ("Asaib Ahl al-Haq", "Asaib Ahl al-Haq", "IRQ", "UAF"),
    ("Barrio 18", "Barrio 18", "SLV", "CRM"),
    ("Folha de Sao Paulo", "Folha de S.Paulo", "BRA", "MED"),
    ("Deutsche Welle", "Deutsche Welle", "DEU", "MED"),
])
def test_organization_phrase_gives_country_and_sector(phrase, name, country, sector):
    entry = kb().lookup(phrase)
    assert (entry.name, entry.country, entry.sector) == (name, country, sector)


def test_transnational_group_has_no_country():
    entry = kb().lookup("ISGS")
    assert (entry.country, entry.code) == (None, "IMGMOSISI")


@pytest.mark.parametrize("city", ["Oxford", "Cambridge", "Princeton", "Berkeley", "Georgetown", "Dartmouth"])
def test_a_university_town_alone_is_not_the_university(city):
    entry = kb().lookup(city)
    assert entry is None or entry.sector != "EDU"


@pytest.mark.parametrize("word", ["Times", "Economist", "Independent", "Treasury", "Senate", "Coast Guard",
                                  "Defense Department", "Self-Defense Forces"])
def test_shared_or_common_words_are_no_organization(word):
    entry = kb().lookup(word)
    assert entry is None or entry.kind != "organization"
