import pytest

from conftest import events_of
from eventwire import extract


def doc(text: str, **kw) -> dict:
    return extract(text, **kw).to_dict()


@pytest.mark.parametrize("sentence,expected", [
    ("Russian troops attacked Ukrainian positions near the river.", ("ASSAULT", "RUS", "UKR", "asserted")),
    ("Ukraine was attacked by Russian forces overnight.", ("ASSAULT", "RUS", "UKR", "asserted")),
    ("The European Union imposed sanctions on Belarus.", ("SANCTION", None, "BLR", "asserted")),
    ("France and Germany held talks with Poland on Monday.", ("CONSULT", "FRA", "POL", "asserted")),
    ("Kenya accused Somalia of harbouring militants.", ("ACCUSE", "KEN", "SOM", "asserted")),
    ("Japan plans to send aid to the Philippines.", ("AID", "JPN", "PHL", "planned")),
    ("China did not attack Taiwan.", ("ASSAULT", "CHN", "TWN", "negated")),
    ("Egypt could send troops to Sudan if the fighting spreads.", ("MOBILIZE", "EGY", "SDN", "hypothetical")),
])
def test_sentence_events(sentence, expected):
    found = events_of(doc("Title\n" + sentence))
    assert any(e[0] == expected[0] and e[2] == expected[2] and e[3] == expected[3]
               and (expected[1] is None or e[1] == expected[1]) for e in found), found


def test_coordinated_subjects_give_one_event_each():
    found = events_of(doc("Title\nFrance and Germany condemned Russia."))
    assert {("ACCUSE", "FRA", "RUS"), ("ACCUSE", "DEU", "RUS")} <= {e[:3] for e in found}


def test_reported_speech_nests_with_attribution():
    d = doc("Title\nUS Secretary of State Antony Blinken says Russia has received missiles from Iran.")
    aid = [e for e in d["events"] if e["type"] == "AID"]
    assert aid and aid[0]["source"]["country"] == "IRN" and aid[0]["target"]["country"] == "RUS"
    assert aid[0]["modality"] == "reported" and aid[0]["attributed_to"]["name"] == "Antony Blinken"


def test_hedge_is_said_to_makes_it_reported():
    d = doc("Title\nSyria is said to be supplying weapons to the rebels in Lebanon.")
    assert any(e["type"] == "AID" and e["modality"] == "reported" for e in d["events"])


def test_denial_of_an_act_is_denied():
    d = doc("Title\nIran denied supplying drones to Russia.")
    assert ("AID", "IRN", "RUS", "denied") in events_of(d)


def test_a_neutral_sentence_has_no_event():
    assert doc("Title\nThe weather in Madrid was sunny and warm on Sunday.")["events"] == []


def test_could_use_against_is_a_hypothetical_attack():
    d = doc("Title\nRussia could use the missiles against Ukraine in the coming weeks.")
    assert [e["modality"] for e in d["events"] if e["type"] == "ASSAULT"] == ["hypothetical"]


def test_could_be_used_against_is_never_a_factual_attack():
    d = doc("Title\nThe missiles could be used against Ukraine in the coming weeks.")
    assert [e for e in d["events"] if e["type"] == "ASSAULT" and e["modality"] != "hypothetical"] == []


def test_the_same_event_stated_twice_is_one_event_with_two_mentions():
    text = ("Title\nThe United States imposed sanctions on Iran on Tuesday.\n"
            "Separately, officials confirmed the United States imposed sanctions on Iran.")
    sanctions = [e for e in doc(text)["events"] if e["type"] == "SANCTION"]
    assert len(sanctions) == 1 and len(sanctions[0]["mentions"]) == 2


def test_every_event_carries_evidence_rule_and_codes():
    text = "Title\nTurkey summoned the Swedish ambassador over the protest."
    d = doc(text)
    assert d["events"]
    for e in d["events"]:
        assert e["rule"] and e["trigger"] and 0 < e["confidence"] <= 1
        assert e["cameo"] and e["quad_class"] in (1, 2, 3, 4)
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
            assert m["start"] <= m["trigger_start"] < m["trigger_end"] <= m["end"]


def test_no_actor_acts_on_itself():
    d = doc("Title\nThe United States said the United States would defend the United States.")
    assert not [e for e in d["events"] if e["source"] and e["target"]
                and e["source"]["country"] == e["target"]["country"] and e["source"]["code"] == e["target"]["code"]]


def test_goldstein_scores_come_with_cameo_codes():
    d = doc("Title\nRussian troops shelled Ukrainian villages.")
    assault = [e for e in d["events"] if e["type"] == "ASSAULT"]
    assert assault and assault[0]["goldstein"] is not None and assault[0]["goldstein"] < 0
