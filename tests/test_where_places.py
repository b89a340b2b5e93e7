"""Where events happened on real news: the rules that keep a map dot off the wrong place (issue 15)."""
from eventwire import extract
from eventwire.gazetteer import gazetteer


def located(text, published="2016-06-13"):
    x = extract(text, published=published)
    return {(p.name, p.country, p.reference) for _, _, p in x.located}


def event_places(text, published="1988-10-15"):
    d = extract(text, published=published).to_dict()
    return [(e["type"], (e["place"] or {}).get("name"), (e["place"] or {}).get("country")) for e in d["events"]]


def test_a_state_is_the_state_and_not_a_smaller_city_known_by_a_longer_name():
    assert (gazetteer().resolve("Oklahoma").kind, gazetteer().resolve("Oklahoma").name) == ("region", "Oklahoma")
    assert gazetteer().resolve("New York").kind == "city"       # a metropolis of millions is the city


def test_a_division_written_with_its_administrative_word_is_that_division():
    found = gazetteer().resolve("Morazan Department")
    assert (found.kind, found.country) == ("region", "SLV")


def test_a_qualifier_known_only_abroad_rules_out_a_foreign_namesake():
    text = ("Title\nTegucigalpa, 15 Oct 88 (EL HERALDO) -- [Text] Nicaraguan soldiers attacked the army post in "
            "El Pital, Cifuentes, El Paraiso Department.")
    assert event_places(text) == [("ASSAULT", "El Pital", "HND")]


def test_a_country_is_the_country_before_its_namesake_region():
    d = extract("Title\nHe also declares a trip to Mexico last year to address executives.", published="2005-01-10")
    assert {(p.name, p.kind) for p in d.places if p.name == "Mexico"} == {("Mexico", "country")}


def test_a_governors_state_and_a_home_state_are_origins():
    found = located("Title\nIndiana Gov. Mike Pence met donors. Ted Cruz, who won his home state of Texas, "
                    "called for rivals to drop out.")
    assert ("Indiana", "USA", True) in found and ("Texas", "USA", True) in found


def test_a_firms_seat_after_its_bracketed_name_is_no_place_of_the_event():
    found = located("Title\n(Groupe Cantrex Inc) said it plans to merge with (CAP Appliance Purchasers Inc), of "
                    "Woodstock, Ontario, a group of retailers.", "1987-03-06")
    assert all(reference for name, _, reference in found if name == "Woodstock")


def test_a_person_something_is_sent_to_is_no_destination():
    found = located("Title\nOn the night of the attacks in Benghazi, you sent an e-mail to your daughter Chelsea.")
    assert not any(name == "Chelsea" for name, _, _ in found)


def test_the_capital_of_a_region_is_not_the_datelines_city():
    text = ("Title\nBogota, 25 Dec 88 (EFE) -- [Text] Unidentified individuals attacked the Colombian Air Force "
            "installations in the capital of Atlantico.")
    assert not any(name == "Bogota" and not reference for name, _, reference in located(text, "1988-12-25"))


def test_a_name_in_the_dateline_is_not_carried_to_the_events():
    text = ("Title\nRio de Janeiro (Brazil), 22 Dec 88 (Rede Globo Television) -- [Text] Sao Paulo Federal Police "
            "have seized two drug traffickers carrying 160 kilograms of cocaine.")
    assert not any(name == "Rio de Janeiro" for _, name, _ in event_places(text, "1988-12-22"))


def test_this_suburb_is_the_datelines_place():
    text = ("Title\nFERGUSON, Mo. -- Police shot and killed an unarmed teenager in this small suburb of St. Louis "
            "earlier this month.")
    assert [name for _, name, _ in event_places(text, "2014-08-20")] == ["Ferguson"] * len(event_places(text, "2014-08-20"))


def event_place_names(text, published="2016-06-13"):
    return [(e.type, e.place.name if e.place else None) for e in extract(text, published=published).events]


def test_what_an_accusation_is_about_is_not_where_it_was_made():
    text = ("Title\nDonald Trump spoke to reporters on Thursday. He accused Obama of carrying out a confusing policy on "
            "the civil war in Libya, saying nobody knows what is happening.")
    assert event_place_names(text, "2011-04-07") == [("ACCUSE", None)]


def test_a_meeting_is_where_it_was_held_and_a_where_clause_says_so():
    text = ("Title\nPresident Obama and President Vladimir V. Putin met during a Group of 20 meeting in China on Monday. "
            "Those negotiations moved on Sunday to China, where John Kerry met for two hours with the Russian foreign "
            "minister.")
    assert [place for kind, place in event_place_names(text, "2016-09-06") if kind == "CONSULT"] == ["China"] * 3


def test_a_relative_clause_is_not_the_place_of_an_event_told_outside_it():
    from eventwire.where import hangs_on
    from eventwire import nlp
    doc = nlp.load(None)("Cruz, who campaigned in Iowa on Sunday, criticized the tax plan.")
    iowa, criticized = next(t for t in doc if t.text == "Iowa"), next(t for t in doc if t.text == "criticized")
    assert not hangs_on(iowa, criticized, "DISAPPROVE")


def test_an_american_state_abbreviation_says_which_namesake():
    text = "Title\nThe company said it will relocate its headquarters from Chillicothe to Richmond, Va., this fall."
    assert any(p.name == "Richmond" and p.admin1 == "Virginia" for _, _, p in extract(text, published="1987-03-06").located)


def test_a_village_with_its_department_is_a_place_whatever_the_recognizer_calls_it():
    text = ("Title\nLima, 10 Dec 88 (EFE) -- [Text] A group of terrorists last Wednesday entered the locality of "
            "Situcancha, Junin Department, in the central mountain region of Peru.")
    assert {(name, reference) for name, _, reference in located(text, "1988-12-10")} >= {("Situcancha", False),
                                                                                          ("Junin", True)}


def test_a_happening_in_a_sentence_naming_other_places_takes_no_place_from_before_it():
    from eventwire.model import Event, Mention, Place
    from eventwire.where import carried_place
    earlier, named = Place("New York", "USA"), Place("New Hampshire", "USA")
    event = Event("ASSAULT", None, None, "attacks", "test",
                  [Mention(1, "They faced attacks in the New Hampshire primary.", 100, 150)])
    assert carried_place(event, [(("text", 20), earlier), (("text", 120), named)]) is None
