import pytest

from eventwire import extract


def actors(text: str, **kw) -> dict:
    return {a["name"]: a for a in extract(text, **kw).to_dict()["actors"]}


def actor_at(text: str, phrase: str) -> dict | None:
    """The actor whose mention covers most of the phrase, as an analyst reads it."""
    from eventwire.evaluate.score import actor_at_span
    start = text.index(phrase)
    return actor_at_span(extract(text).to_dict(), start, start + len(phrase))


def test_title_before_name_gives_role_and_country():
    a = actors("Title\nFrench President Emmanuel Macron met farmers on Monday.")["Emmanuel Macron"]
    assert (a["country"], a["code"], a["kind"]) == ("FRA", "FRAGOV", "person")
    assert "president" in a["role"].lower()


def test_possessive_country_and_office_before_name():
    a = actors("Title\nKenya's foreign minister Musalia Mudavadi spoke to reporters.")["Musalia Mudavadi"]
    assert a["country"] == "KEN" and "foreign minister" in a["role"].lower()


def test_apposition_after_name():
    a = actors("Title\nAna Torres, Peru's interior minister, ordered an inquiry.")["Ana Torres"]
    assert a["country"] == "PER" and "interior minister" in a["role"].lower()


def test_surname_and_pronoun_resolve_to_the_full_name():
    text = "Title\nChilean President Ana Rojas visited Lima.\nRojas said the talks went well.\nShe said more talks would follow."
    doc = extract(text).to_dict()
    rojas = [a for a in doc["actors"] if a["name"] == "Ana Rojas"]
    assert len(rojas) == 1 and len(rojas[0]["mentions"]) >= 2
    speakers = {(q["speaker"] or {}).get("name") for q in doc["quotes"]}
    assert speakers == {"Ana Rojas"}


def test_a_person_with_no_cue_keeps_country_null():
    a = actors("Title\nMaria Gonzalez said the market reopened.")["Maria Gonzalez"]
    assert a["country"] is None


@pytest.mark.parametrize("text,phrase,country,code", [
    ("Title\nKyiv summoned the envoy on Monday.", "Kyiv", "UKR", "UKRGOV"),
    ("Title\nThe Kremlin rejected the proposal.", "Kremlin", "RUS", "RUSGOV"),
    ("Title\nThe Pentagon announced new deployments.", "Pentagon", "USA", "USAMIL"),
    ("Title\nPakistani troops crossed the line at dawn.", "Pakistani troops", "PAK", "PAKMIL"),
    ("Title\nColombian rebels released two hostages.", "Colombian rebels", "COL", "COLREB"),
    ("Title\nThe Iranian envoy left the meeting.", "Iranian envoy", "IRN", "IRNGOV"),
    ("Title\nParis prosecutors opened an inquiry.", "Paris prosecutors", "FRA", "FRAJUD"),
    ("Title\nThe government in Tehran denied it.", "government", "IRN", "IRNGOV"),
    ("Title\nBrazil's Supreme Court blocked the decree.", "Supreme Court", "BRA", "BRAJUD"),
])
def test_phrases_resolve_to_country_and_sector(text, phrase, country, code):
    a = actor_at(text, phrase)
    assert a is not None and (a["country"], a["code"]) == (country, code)


def test_international_organization_has_no_country_and_an_igo_code():
    a = actor_at("Title\nNATO said it would send more planes.", "NATO")
    assert a["country"] is None and a["code"].startswith("IGO")


def test_a_place_named_as_where_is_not_an_actor():
    doc = extract("Title\nThe two ministers met in Geneva on Friday.").to_dict()
    assert "Geneva" not in {a["name"] for a in doc["actors"]}
    assert "Geneva" in {p["name"] for p in doc["places"]}


def test_the_country_refers_to_the_country_in_focus():
    text = "Title\nBritish ministers praised Ukraine's defenders and said they plan to visit the country soon."
    doc = extract(text).to_dict()
    assert any(e["type"] == "CONSULT" and (e["target"] or {}).get("country") == "UKR" for e in doc["events"])


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_an_empty_text_gives_an_empty_document(text):
    d = extract(text).to_dict()
    assert (d["sentences"], d["actors"], d["events"], d["quotes"]) == ([], [], [], [])


@pytest.mark.parametrize("text", ["THE ARMY ATTACKED THE VILLAGE NEAR LIMA YESTERDAY.", "Москва отвергла обвинения.",
                                  "北京拒绝了指控。"])
def test_all_capitals_and_foreign_text_are_one_sentence(text):
    d = extract(text).to_dict()
    assert [(s["start"], s["end"]) for s in d["sentences"]] == [(0, len(text))]


@pytest.mark.parametrize("text", ["Москва отвергла обвинения.", "北京拒绝了指控。"])
def test_foreign_text_names_no_english_actor_or_event(text):
    d = extract(text).to_dict()
    assert (d["actors"], d["events"]) == ([], [])


def test_a_shared_acronym_goes_to_the_country_the_article_is_about():
    uk = actor_at("Title\nLabour and the Tories attacked the BNP over its leaflets in London.", "BNP")
    bd = actor_at("Title\nThe BNP called a general strike in Dhaka.", "BNP")
    assert (uk["country"], bd["country"]) == ("GBR", "BGD")


def test_the_tool_in_a_multiword_trigger_is_never_its_target():
    d = extract("Title\nOfficers can now use reasonable force to detain suspects.").to_dict()
    assert not [e for e in d["events"] if "force" in ((e["target"] or {}).get("name") or "")]


def _persons(text, published):
    d = extract(text, published=published).to_dict()
    return {a["name"]: a["country"] for a in d["actors"] if a["kind"] == "person"}


def test_a_city_a_school_or_a_headline_is_no_person():
    assert "San Pedro Sula" not in _persons(
        "Title\nThe murder rate in San Pedro Sula, Honduras, is the highest in the world, officials said.", "2013-02-01")
    assert "Law" not in _persons(
        "Title\nMo Cowan, a graduate of Harvard Law, was appointed to the Senate on Wednesday.", "2013-02-01")
    assert _persons("Boehner Sees One-in-Three Chance G.O.P. Will Lose House\nJohn Boehner said on Sunday that "
                    "Republicans could lose the House.", "2010-08-01") == {"John Boehner": "USA"}


def test_a_country_after_a_title_counts_only_through_a_preposition_on_it():
    got = _persons("Title\nRobert S. Mueller III, the special counsel investigating Russian interference in the "
                   "election, met lawmakers on Monday.", "2017-12-04")
    assert got["Robert S. Mueller III"] == "USA"


def test_a_state_that_acts_is_its_government():
    d = extract("Title\nCalifornia sued the Trump administration on Monday over its border wall.",
                published="2019-02-18").to_dict()
    assert {(a["name"], a["country"], a["sector"], a["kind"]) for a in d["actors"] if a["name"] == "California"} == {
        ("California", "USA", "GOV", "organization")}


def test_an_unnamed_judge_works_where_the_story_is():
    d = extract("Title\nSan Salvador, 18 Aug 88 (Radio) -- [Text] A judge ordered the release of two FMLN members, "
                "Salvadoran police said.", published="1988-08-18").to_dict()
    assert {(a["name"], a["country"]) for a in d["actors"] if a["sector"] == "JUD"} == {("judge", "SLV")}


def test_before_1992_moscow_speaks_for_the_soviet_union():
    d = extract("Title\nMoscow condemned the United States on Tuesday.", published="1987-03-03").to_dict()
    assert [(e["source"]["country"], e["target"]["country"]) for e in d["events"]] == [("SUN", "USA")]


def test_a_government_named_after_its_leader_is_of_the_leaders_country():
    found = actors("Title\nThe Blair government rejected the plan, officials in Paris said.", published="2005-06-01")
    assert found["Blair government"]["country"] == "GBR"
    assert "leader-modifier" in found["Blair government"]["rule"]


def test_an_example_list_after_a_name_says_nothing_of_the_persons_country():
    found = actors("Title\nThe leaflets were sent to governments hostile to Noriega, especially Venezuela and "
                   "Colombia, last week.", published="1988-09-26")
    assert found["Noriega"]["country"] != "VEN"


def test_a_transnational_group_never_takes_the_storys_country():
    found = actors("Title\nThe senator from Ohio criticised Washington for declining to call the Islamic State "
                   "group terrorists. The senator spoke in Cleveland, Ohio.")
    assert found["Islamic State"]["country"] is None


def test_a_name_broken_across_a_wire_line_is_still_the_body():
    text = ("Exports delayed\nThe Ministry of International Trade and\nIndustry has not yet set a car export "
            "quota for\nDaihatsu Motor Co, which is due to start exports to the U.S. later\nthis year, a "
            "ministry official said.\n    Several local newspapers said the ministry had set a\nquota of "
            "about 10,000 cars for the company this year.\n REUTER\n")
    a = actors(text, published="1987-03-01")["Ministry of International Trade and Industry"]
    assert (a["country"], a["sector"]) == ("JPN", "GOV")


def test_a_place_qualified_by_its_region_gives_troops_that_regions_country():
    found = actors("Title\nSix guerrillas died today in a skirmish with Army troops in Morelia, Caqueta Department.",
                   published="1990-01-01")
    troops = next(a for name, a in found.items() if name.startswith("Army troops"))
    assert troops["country"] == "COL"
