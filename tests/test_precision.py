"""Precision first: events only between actors an analyst can place, persons placed by what is known of
them at the article's date, requested acts never coded as done, words of one sense never taken for another."""
from __future__ import annotations

import pytest

import eventwire
from eventwire.actors import known
from conftest import events_of


def doc(text: str, published: str | None = "2016-03-01") -> dict:
    return eventwire.extract(text, published=published).to_dict()


def actor(d: dict, name: str) -> dict:
    found = [a for a in d["actors"] if a["name"] == name]
    assert found, f"no actor {name!r} among {[a['name'] for a in d['actors']]}"
    return found[0]


def test_a_persons_country_comes_from_the_dictionary_at_the_articles_date():
    assert actor(doc("Donald Trump spoke in Ohio.", "2016-03-01"), "Donald Trump")["code"] == "USAPTY"
    assert actor(doc("Donald Trump spoke in Ohio.", "2019-06-01"), "Donald Trump")["code"] == "USAGOV"
    blair = actor(doc("Tony Blair spoke in Leeds.", "2003-06-01"), "Tony Blair")
    assert (blair["country"], blair["code"]) == ("GBR", "GBRGOV")
    assert "phoenix:Tony Blair@2003-06-01" in blair["rule"]


def test_an_unknown_person_keeps_no_country_whatever_the_story_is_about():
    d = doc("ISRAEL -- Israeli troops moved north. Israeli officials said Mary Kowalczyk, an aide, had left. "
            "Israel's cabinet met. Mary Kowalczyk said nothing.", None)
    assert actor(d, "Mary Kowalczyk")["country"] is None


def test_a_place_inside_a_longer_name_gives_nobody_a_country():
    d = doc("Paul Ryan spoke at Georgetown University on Monday.", "2016-03-01")
    university = actor(d, "Georgetown University")
    assert university["country"] != "GUY"


def test_a_short_acronym_is_a_name_only_in_its_own_spelling():
    d = doc("Let me be clear: we will win.", "2016-03-01")
    assert not any(a["name"] == "Lashkar-e-Taiba" for a in d["actors"])
    d = doc("The LeT claimed the attack on the hotel.", "2016-03-01")
    assert any(a["name"] == "Lashkar-e-Taiba" for a in d["actors"])


def test_a_requested_act_is_no_event_and_the_request_is():
    d = doc("Germany urged Serbia to release the journalists.")
    assert events_of(d) == {("REQUEST", "DEU", "SRB", "asserted")}
    d = doc("The United Nations called for Israel to withdraw from Gaza.")
    assert {e["type"] for e in d["events"]} == {"REQUEST"}


def test_politicians_attacking_each_other_criticise_and_troops_assault():
    d = doc("Donald Trump attacked Hillary Clinton over her emails.")
    assert events_of(d) == {("ACCUSE", "USA", "USA", "asserted")}
    assert "verbal-attack" in d["events"][0]["rule"]
    d = doc("Russian troops attacked Ukrainian positions near Kharkiv.")
    assert ("ASSAULT", "RUS", "UKR", "asserted") in events_of(d)


def test_sport_results_are_no_political_events():
    d = doc("Rafael Nadal beat Andy Roddick in the opening singles, and Spain attacked early in the second set.")
    assert d["events"] == []


def test_a_side_the_sentence_names_but_nobody_can_place_drops_the_event():
    d = doc("Gordon Ross charged the Irish fly-half down before half-time.")
    assert d["events"] == []


def test_a_refusal_to_meet_is_a_negated_meeting_between_the_two_leaders():
    d = doc("Obama will not meet Netanyahu during his visit to New York.", "2015-10-01")
    assert events_of(d) == {("CONSULT", "USA", "ISR", "negated")}


def test_user_dictionary_overrides_the_bundled_ones(tmp_path, monkeypatch):
    path = tmp_path / "mine.csv"
    path.write_text("name,aliases,country,sector,from,to\nZara Quill,Z. Quill,NZL,GOV,2020-01-01,\n"
                    "Broken Row,,NOTACODE,GOV,,\n")
    config = tmp_path / "eventwire.toml"
    config.write_text(f'[eventwire]\ndictionaries = ["{path}"]\n')
    monkeypatch.setenv("EVENTWIRE_CONFIG", str(config))
    known.dictionaries.cache_clear()
    try:
        d = doc("Prime Minister Zara Quill's office said she would travel.", "2021-05-01")
        assert actor(d, "Zara Quill")["country"] == "NZL"
    finally:
        known.dictionaries.cache_clear()


def test_a_missing_user_dictionary_is_one_clear_error(tmp_path, monkeypatch):
    config = tmp_path / "eventwire.toml"
    config.write_text(f'[eventwire]\ndictionaries = ["{tmp_path / "absent.csv"}"]\n')
    monkeypatch.setenv("EVENTWIRE_CONFIG", str(config))
    known.dictionaries.cache_clear()
    try:
        with pytest.raises(known.DictionaryError, match="absent.csv"):
            known.dictionaries()
    finally:
        known.dictionaries.cache_clear()


def test_a_malformed_dictionary_line_is_named_and_skipped(tmp_path, caplog):
    path = tmp_path / "d.csv"
    path.write_text("name,aliases,country,sector,from,to\nGood Name,,FRA,GOV,,\nBad Name,,FRA,GOV,31/02/2020,\n")
    index = known.read_dictionary(path, "d.csv")
    assert ("good", "name") in index and ("bad", "name") not in index
    assert "d.csv:3" in caplog.text


def test_expect_is_a_demand_only_when_a_political_actor_holds_another_to_an_act():
    d = doc("The German government said it expects Hungary to respect the ruling of the court.")
    assert ("REQUEST", "DEU", "HUN", "asserted") in events_of(d)
    assert doc("Analysts expect Germany to grow by 2% next year.")["events"] == []
    assert doc("The German government expects Hungary to win the vote in Brussels.")["events"] == []
    assert doc("The German government does not expect Hungary to respect the ruling.")["events"] == []


def test_a_speaker_complaining_of_accusations_by_unnamed_parties_answers_the_earlier_accuser():
    d = doc("Britain accused Iran of supplying drones to Russia. Iran's foreign ministry spokesman Ali Rezaei "
            "rejected the claim. He said it was regrettable that some countries were making accusations "
            "against Iran for political aims.", "2024-09-10")
    counter = [e for e in d["events"] if "counter-accusation" in e["rule"]]
    assert [(e["type"], e["source"]["country"], e["target"]["country"], e["modality"]) for e in counter] \
        == [("ACCUSE", "IRN", "GBR", "asserted")]


def test_accusations_by_unnamed_parties_with_no_earlier_accuser_are_no_event():
    d = doc("Iran's foreign ministry spokesman Ali Rezaei said some countries were making accusations against "
            "Iran for political aims.", "2024-09-10")
    assert not [e for e in d["events"] if e["type"] == "ACCUSE"]


def test_a_plan_meeting_with_disapproval_is_no_meeting():
    d = doc("The British plan met with disapproval from France.", "2017-03-01")
    assert not [e for e in d["events"] if e["type"] == "CONSULT"]
    met = doc("Tony Blair met with Jacques Chirac in Paris on Monday.", "2005-03-01")
    assert [e["type"] for e in met["events"]] == ["CONSULT"]


def test_a_subject_that_counts_no_one_negates_its_clause():
    charged = doc("None of the Russian officials have been charged by the US Justice Department.", "2017-03-01")
    assert [e["modality"] for e in charged["events"] if e["type"] == "COERCE"] == ["negated"]
    killed = doc("No Iraqi soldiers were killed by US forces.", "2017-03-01")
    assert {e["modality"] for e in killed["events"]} == {"negated"}
    asserted = doc("Two Iraqi soldiers were killed by US forces.", "2017-03-01")
    assert {e["modality"] for e in asserted["events"]} == {"asserted"}
