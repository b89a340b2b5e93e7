"""Reported propositions as claims: "X said S" and "Y denied S" are one claim, asserted and denied, whether
the two stances stand in one article or in two; different propositions that share words stay apart.

Every article here is the team's own writing (invented people and places), run through the real pipeline
and stored as `eventwire ingest` would store it.
"""
import pytest

from eventwire import extract
from eventwire.store import open_store


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "store.db"))
    yield s
    s.close()


def add(store, *articles: str, day: int = 4) -> None:
    for n, text in enumerate(articles):
        store.add(extract(f"Report {n + 1}\n{text}", published=f"2024-03-{day + n:02d}"))


def contested(store) -> list[dict]:
    return [c for c in store.claims(contested=True) if c["type"] == "CLAIM"]


def sides(claim: dict) -> dict[str, set]:
    out = {"asserted": set(), "denied": set()}
    for st in claim["stances"]:
        if st["stance"] in out:
            out[st["stance"]].add(st["actor_name"])
    return out


def test_an_assertion_and_a_denial_in_two_articles_are_one_contested_claim(store):
    add(store, "Opposition leader Maria Lopez said the interior minister, Carlos Vega, had hidden the cost "
               "of the new border fence.",
        "Carlos Vega denied that he had hidden the cost of the border fence.")
    [claim] = contested(store)
    assert sides(claim) == {"asserted": {"Maria Lopez"}, "denied": {"Carlos Vega"}}
    assert claim["asserted"]["articles"] == 1 and claim["denied"]["articles"] == 1


def test_a_gerund_denial_matches_the_assertion_of_the_other_article(store):
    add(store, "Maria Lopez said Carlos Vega had misled the voters about the fence.",
        "Carlos Vega denied misleading the voters.")
    assert [sides(c) for c in contested(store)] == [{"asserted": {"Maria Lopez"}, "denied": {"Carlos Vega"}}]


def test_two_people_of_one_surname_are_two_doers(store):
    add(store, "Maria Lopez said Carlos Vega had misled the voters about the fence.",
        "Ana Vega denied that she had misled the voters.")
    assert contested(store) == []


def test_a_negated_statement_is_a_denial_in_the_same_article(store):
    add(store, "Maria Lopez said Carlos Vega had lied to parliament about the fence. "
               "Carlos Vega said he had never lied to parliament.")
    [claim] = contested(store)
    assert sides(claim) == {"asserted": {"Maria Lopez"}, "denied": {"Carlos Vega"}}


def test_that_is_untrue_denies_the_accusation_just_before_it(store):
    add(store, "Maria Lopez accused Carlos Vega of hiding the cost of the fence.\n"
               "\"That is untrue,\" Carlos Vega said.")
    [claim] = contested(store)
    assert sides(claim) == {"asserted": {"Maria Lopez"}, "denied": {"Carlos Vega"}}


def test_a_different_object_is_a_different_proposition(store):
    add(store, "Maria Lopez said Carlos Vega had hidden the cost of the border fence.",
        "Carlos Vega denied that he had hidden the report on the border fence.")
    assert contested(store) == []


def test_a_different_doer_is_a_different_proposition(store):
    add(store, "Maria Lopez said Carlos Vega had misled parliament about the fence.",
        "Ana Ruiz denied that she had misled parliament.")
    assert contested(store) == []


def test_the_same_act_towards_another_country_is_a_different_proposition(store):
    add(store, "Maria Lopez said Carlos Vega had lied to Chile about the fence.",
        "Carlos Vega denied that he had lied to Peru.")
    assert contested(store) == []


def test_advice_is_not_an_assertion(store):
    """'should resign' says what someone ought to do; 'he would not resign' does not deny a fact it states."""
    add(store, "Maria Lopez said Carlos Vega should resign over the fence.",
        "Carlos Vega said he would not resign.")
    assert contested(store) == []


def test_one_person_asserting_and_denying_is_not_contested(store):
    add(store, "Carlos Vega said he had met the builders of the fence.",
        "Carlos Vega said he had not met the builders.")
    assert contested(store) == []


def test_a_denial_of_the_accusations_with_nothing_said_before_stays_unattached(store):
    add(store, "Carlos Vega rejected the accusations on Tuesday.")
    assert contested(store) == []
    assert [d["actor_name"] for d in store.unattached_denials()] == ["Carlos Vega"]


def test_a_denial_of_the_claims_attaches_to_the_claim_just_made(store):
    add(store, "Maria Lopez said Carlos Vega had hidden the cost of the fence.\n"
               "Mr Vega dismissed the claims on Tuesday.")
    [claim] = contested(store)
    assert sides(claim) == {"asserted": {"Maria Lopez"}, "denied": {"Carlos Vega"}}


def test_a_denial_of_the_claims_does_not_reach_a_claim_of_another_article(store):
    """Across articles only a proposition named in both is matched: 'the claims' names none."""
    add(store, "Maria Lopez said Carlos Vega had hidden the cost of the fence.",
        "Carlos Vega dismissed the claims on Tuesday.")
    assert contested(store) == []


def test_the_proposition_is_in_the_article_s_json(store):
    doc = extract("Report\nMaria Lopez said Carlos Vega had hidden the cost of the fence.").to_dict()
    [claim] = [c for c in doc["claims"] if c["type"] == "CLAIM"]
    assert (claim["predicate"], claim["doer"], claim["patient"]) == ("hide", "p:carlos vega", "n:cost")
    assert claim["event"] is None and not claim["contested"]


def test_i_in_a_quote_is_its_speaker(store):
    add(store, "Maria Lopez said Carlos Vega had met the builders of the fence.",
        "\"I have never met the builders,\" Carlos Vega said.")
    assert [sides(c) for c in contested(store)] == [{"asserted": {"Maria Lopez"}, "denied": {"Carlos Vega"}}]


def test_a_question_asserts_nothing(store):
    add(store, "Maria Lopez asked whether Carlos Vega had met the builders. \"Didn't Vega meet the builders?\" "
               "she said.",
        "\"I have never met the builders,\" Carlos Vega said.")
    assert contested(store) == []


def test_a_denial_that_names_its_own_proposition_denies_no_other_claim(store):
    """'North Korea denied that its leader was ill' is no denial of 'the accusations' of arms shipments."""
    add(store, "South Korea said North Korea had shipped artillery shells to Russia.",
        "North Korea denied that its leader was ill.")
    assert store.claims(contested=True) == [] and store.unattached_denials() == []


def test_rejecting_a_bill_denies_no_claim(store):
    add(store, "South Korea said North Korea had shipped artillery shells to Russia.",
        "North Korea's parliament announced its rejection of the budget bill.")
    assert store.claims(contested=True) == [] and store.unattached_denials() == []


def test_what_is_planned_is_part_of_the_proposition(store):
    add(store, "Maria Lopez said the ministry was planning to close the border crossing.",
        "Carlos Vega denied that the ministry was planning to raise the border tolls.")
    assert contested(store) == []


def test_calling_a_suggestion_wrong_in_the_same_breath_is_no_denial_of_what_came_before(store):
    add(store, "Maria Lopez said Carlos Vega had hidden the cost of the fence.\n"
               "Ana Ruiz said it was wrong to suggest that the fence would close the market.")
    assert contested(store) == []


def test_not_denying_is_no_denial(store):
    add(store, "Maria Lopez said Carlos Vega had hidden the cost of the fence.",
        "Carlos Vega did not deny that he had hidden the cost.")
    assert contested(store) == []


def test_speech_only_expected_or_asked_for_is_no_stance(store):
    add(store, "Maria Lopez said Carlos Vega would seek a second term.",
        "Carlos Vega is expected to announce that he will not seek a second term.")
    add(store, "Maria Lopez said Carlos Vega had hidden the cost of the fence.\n"
               "Carlos Vega asked his allies to refute the stories.", day=10)
    assert contested(store) == []


def test_cannot_win_is_no_denial_that_someone_wins(store):
    add(store, "Maria Lopez said Carlos Vega won the vote in the north.",
        "Ana Ruiz says Carlos Vega can't win the vote.")
    assert contested(store) == []


def test_the_claims_are_not_an_afterthought_the_speaker_added(store):
    add(store, "Maria Lopez added that the builders had thanked Carlos Vega.\n"
               "Carlos Vega denied the claims.")
    assert contested(store) == []


def test_the_accusations_denied_with_two_open_against_the_denier_deny_neither(store):
    """'North Korea rejected the accusations' with two accusations against it in other articles: which one it
    denies is unknown, so it stays an unattached denial."""
    add(store, "South Korea said North Korea had shipped artillery shells to Russia.",
        "Japan said North Korea had supplied drones to Syria.",
        "North Korea rejected the accusations on Thursday.")
    assert store.claims(contested=True) == []
    assert [d["actor_name"] for d in store.unattached_denials()] == ["North Korea"]



def test_dismissing_a_suggestion_as_something_other_than_false_denies_nothing(store):
    """'Dismissed X as a sign of disarray' brushes the claim off; it does not say it is false."""
    add(store, "Maria Lopez suggested Carlos Vega was being hypocritical.\n"
               "Pedro Ruiz dismissed that suggestion as a sign of a campaign in disarray.")
    assert contested(store) == []


def test_dismissing_a_suggestion_as_nonsense_denies_it(store):
    add(store, "Maria Lopez suggested Carlos Vega was being hypocritical.\n"
               "Pedro Ruiz dismissed that suggestion as nonsense.")
    assert [sides(c) for c in contested(store)] == [{"asserted": {"Maria Lopez"}, "denied": {"Pedro Ruiz"}}]


def test_what_someone_meant_is_no_proposition_without_what_was_meant(store):
    """'Vega hadn't meant his statement to be taken literally' and 'I meant he is the founder' differ by their
    clauses, which no proposition of 'mean' holds: the interviewer's reading is no denial of what Vega meant."""
    add(store, "The radio host Hugh Hewitt suggested Carlos Vega hadn't meant his statement to be taken literally.",
        "\"No, I meant he is the founder of the gang,\" Carlos Vega replied.")
    assert contested(store) == []


def test_a_denial_of_the_claims_after_the_article_reported_other_words_joins_no_other_article(store):
    """'North Korea denied the claims' answers what its own article reported, even when that made no claim it
    could name; it does not reach a claim against North Korea in an earlier article."""
    add(store, "South Korea said North Korea had shipped artillery shells to Russia.",
        "A former prisoner, Kim Song, told reporters: \"Nobody ever told me why.\"\n"
        "North Korea denied the claims on Thursday.")
    assert store.claims(contested=True) == []
