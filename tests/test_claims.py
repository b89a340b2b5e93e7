from eventwire import extract


def test_a_claim_asserted_by_one_side_and_denied_by_the_other_is_contested():
    text = ("Title\nUS Secretary of State Antony Blinken said Iran had supplied drones to Russia.\n"
            "Iran's foreign ministry spokesman Nasser Kanaani rejected the accusations.")
    claims = extract(text).to_dict()["claims"]
    aid = next(c for c in claims if c["type"] == "AID")
    stances = {(s["actor"] or {}).get("country"): s["stance"] for s in aid["stances"]}
    assert aid["contested"] and stances["USA"] == "asserted" and stances["IRN"] == "denied"


def test_an_uncontested_report_is_a_claim_but_not_contested():
    claims = extract("Title\nThe UN said Sudan had received weapons from Chad.").to_dict()["claims"]
    assert claims and not any(c["contested"] for c in claims)


def test_facts_are_not_claims():
    assert extract("Title\nFrance imposed sanctions on Syria.").to_dict()["claims"] == []


def test_the_denial_event_points_at_the_claim_it_denies():
    text = ("Title\nUS Secretary of State Antony Blinken said Iran had supplied drones to Russia.\n"
            "Iran's foreign ministry spokesman Nasser Kanaani rejected the accusations.")
    events = extract(text).to_dict()["events"]
    aid = next(e for e in events if e["type"] == "AID")
    reject = next(e for e in events if e["type"] == "REJECT")
    assert reject["denies"] == [aid["id"]]


def test_a_compatriot_does_not_deny_what_is_claimed_of_a_person():
    """'The claims' are denied by whom they accuse: the special counsel is no side of a claim about the
    president, though both are American; the president himself (named by surname) and a state of a state are."""
    from eventwire.claims import accused
    from eventwire.model import Actor
    president = Actor("Donald Trump", "person", "USA", "GOV")
    assert not accused(president, Actor("Robert Mueller", "person", "USA", "JUD"))
    assert accused(president, Actor("Trump", "person", "USA", "GOV"))
    assert accused(Actor("Iran", "country", "IRN"), Actor("Nasser Kanaani", "person", "IRN", "GOV"))
