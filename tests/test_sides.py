"""Both sides of an event, filled from what the sentence says, and words that look like events but are not.

Each test is one linguistic fact the events stage encodes (see events/extract.py and frames.py)."""
from __future__ import annotations

import eventwire
from conftest import events_of


def doc(text: str, published: str = "2024-03-01") -> dict:
    return eventwire.extract(text, published=published).to_dict()


def pairs(text: str, published: str = "2024-03-01") -> set[tuple]:
    return {(t, s, g) for t, s, g, _ in events_of(doc(text, published))}


# ---- sides found -----------------------------------------------------------------------------------

def test_a_proposal_stands_for_whoever_put_it_forward():
    found = pairs("Israel rejected a ceasefire proposal put forward by Egypt and Qatar.")
    assert {("REJECT", "ISR", "EGY"), ("REJECT", "ISR", "QAT")} <= found


def test_released_hostages_are_the_target_by_their_nationality():
    assert ("RETREAT", "PSE", "ISR") in pairs("Hamas released four Israeli hostages on Saturday.")


def test_a_city_left_stands_for_its_country():
    assert ("RETREAT", "RUS", "UKR") in pairs("Russia withdrew its troops from the city of Kherson.")


def test_those_killed_in_an_ambush_were_killed_by_the_ambushers():
    found = pairs("BOGOTA, 3 Mar 88 (EFE) -- Fifteen soldiers were killed today during an ambush by FARC "
                  "guerrillas in Caqueta.", "1988-03-03")
    assert ("ASSAULT", "COL", "COL") in found


def test_a_noun_decided_by_someone_is_done_by_them():
    d = doc("President Trump's decision to conduct airstrikes against Syria drew praise in Washington.",
            "2018-04-20")
    assert any(e["type"] == "ASSAULT" and (e["source"] or {}).get("country") == "USA"
               and (e["target"] or {}).get("country") == "SYR" for e in d["events"])


def test_the_one_who_says_i_is_the_speaker():
    d = doc('LONDON (Reuters) - In a statement to MPs, Home Secretary Charles Clarke said: "I will be asking '
            'Parliament to renew this legislation."', "2004-12-20")
    asks = [e for e in d["events"] if e["type"] == "REQUEST"]
    assert asks and all((e["source"] or {}).get("country") == "GBR" for e in asks)
    assert "speaker(I)" in asks[0]["rule"]


# ---- no event, or not that one ----------------------------------------------------------------------

def test_deaths_in_a_car_crash_are_nobodys_attack():
    d = doc("Senator Joe Biden's wife and daughter were killed in a car crash in Delaware.", "2012-10-12")
    assert not [e for e in d["events"] if e["type"] == "ASSAULT"]


def test_firing_an_official_is_no_firing_at_him():
    d = doc("The need for a new FBI director came after Trump fired Comey last week.", "2017-05-18")
    assert not [e for e in d["events"] if e["type"] == "ASSAULT"]


def test_calling_on_someone_to_speak_asks_for_no_act():
    d = doc("Senator Chuck Schumer interjected, calling on Nancy Pelosi, who disputed the figures.", "2019-01-03")
    assert not [e for e in d["events"] if e["type"] == "REQUEST"]
    d = doc("Senator Chuck Schumer called on President Trump to reopen the government.", "2019-01-03")
    assert [e for e in d["events"] if e["type"] == "REQUEST"]


def test_a_treaty_named_is_no_agreement_made():
    d = doc("Economists said the revisions in the North American Free Trade Agreement, which Trump renamed the "
            "United States Mexico Canada Agreement, will not pay for a wall.", "2019-01-02")
    assert not [e for e in d["events"] if e["type"] == "AGREE"]


def test_a_standing_alliance_is_no_event():
    d = doc('Britain was "uniquely placed" because of its strong alliance with the US, he suggested.',
            "2005-01-20")
    assert not [e for e in d["events"] if e["type"] == "COOPERATE"]


def test_a_verbal_clash_between_politicians_is_no_violence():
    d = doc("The issue has been a hotbed for clashes between Senator Ted Cruz and Senator Marco Rubio.",
            "2016-02-01")
    assert not [e for e in d["events"] if e["type"] == "ASSAULT"]


# ---- places and persons met on the way -----------------------------------------------------------

def test_the_white_house_is_in_washington_not_tennessee():
    d = doc("WASHINGTON - Speaking at the White House on Friday, President Trump praised police for quickly "
            "arresting a suspect in Florida.", "2018-10-26")
    places = [e["place"] for e in d["events"] if e["place"] and e["place"]["name"] == "White House"]
    assert places and all(p["admin1"] != "Tennessee" and round(p["longitude"]) == -77 for p in places)


def test_the_new_year_is_no_place():
    d = doc('LONDON - Home Secretary Charles Clarke said: "I will be asking Parliament to renew this '
            'legislation in the New Year."', "2004-12-20")
    assert all((e["place"] or {}).get("name") != "New Year" for e in d["events"])


def test_a_former_office_holder_keeps_the_country_he_served():
    d = doc("The speech recalled John F. Kennedy and the space race.", "2012-05-01")
    jfk = [a for a in d["actors"] if a["name"] == "John F. Kennedy"]
    assert jfk and jfk[0]["country"] == "USA"


def test_a_title_belongs_to_the_name_right_after_it_not_to_the_next_person():
    d = doc("Arizona Sheriff Joe Arpaio Endorses Rick Perry\nArizona Sheriff Joe Arpaio endorsed Texas Governor "
            "Rick Perry on Tuesday. Perry clashed with Romney.", "2011-11-29")
    perry = [a for a in d["actors"] if a["name"] == "Rick Perry"]
    assert perry and perry[0]["code"] == "USAGOV"
    assert not [e for e in d["events"] if e["type"] == "ASSAULT"]
