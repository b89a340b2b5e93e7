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
