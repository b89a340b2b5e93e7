from datetime import date

import pytest

from eventwire import extract
from eventwire.when import resolve, span_when

PUBLISHED = date(2024, 9, 10)   # a Tuesday


@pytest.mark.parametrize("text,future,expected,precision", [
    ("on Tuesday", False, (date(2024, 9, 10), None), "day"),
    ("on Monday", False, (date(2024, 9, 9), None), "day"),
    ("on Friday", True, (date(2024, 9, 13), None), "day"),
    ("yesterday", False, (date(2024, 9, 9), None), "day"),
    ("last week", False, (date(2024, 9, 2), date(2024, 9, 8)), "week"),
    ("later this week", False, (date(2024, 9, 10), date(2024, 9, 15)), "range"),
    ("the end of the week", True, (date(2024, 9, 13), date(2024, 9, 15)), "range"),
    ("the coming weeks", True, (date(2024, 9, 10), date(2024, 10, 8)), "range"),
    ("earlier this month", False, (date(2024, 9, 1), date(2024, 9, 10)), "range"),
    ("three days ago", False, (date(2024, 9, 7), None), "day"),
    ("10 September", False, (date(2024, 9, 10), None), "day"),
    ("March 3, 2023", False, (date(2023, 3, 3), None), "day"),
    ("in March 2023", False, (date(2023, 3, 1), date(2023, 3, 31)), "month"),
    ("in 2019", False, (date(2019, 1, 1), date(2019, 12, 31)), "year"),
])
def test_time_expressions_resolve_against_the_publication_date(text, future, expected, precision):
    when = resolve(text, PUBLISHED, future=future)
    assert (when.date, when.end) == expected and when.precision == precision


def test_relative_dates_need_a_publication_date():
    assert resolve("yesterday", None) is None


def test_an_event_is_dated_by_its_own_sentence_and_by_nothing_else():
    d = extract("Title\nKyiv summoned the Iranian envoy on Monday.\nPoland condemned Belarus.",
                published="2024-09-10").to_dict()
    summon = next(e for e in d["events"] if (e["source"] or {}).get("country") == "UKR")
    assert summon["date"] == "2024-09-09" and summon["when"]["source"] == "sentence"
    # No time in its sentence: no date, not the time told before it nor the article's date.
    condemn = next(e for e in d["events"] if (e["source"] or {}).get("country") == "POL")
    assert condemn["date"] is None and condemn["when"]["source"] == "none"
    assert d["article"]["published"] == "2024-09-10"


def test_no_publication_date_means_no_invented_date():
    d = extract("Title\nPoland condemned Belarus.").to_dict()
    assert [(e["type"], e["date"], e["when"]["date"], e["when"]["source"]) for e in d["events"]] == [
        ("ACCUSE", None, None, "none")]


def test_planned_events_take_no_default_date():
    d = extract("Title\nThe Indian prime minister will visit Japan.", published="2024-09-10").to_dict()
    visit = next(e for e in d["events"] if e["type"] == "CONSULT")
    assert visit["modality"] == "planned" and visit["date"] is None


def test_event_location_is_resolved_to_the_gazetteer():
    d = extract("Title\nSoldiers attacked protesters in Mandalay on Sunday.", published="2024-09-10").to_dict()
    place = next(e["place"] for e in d["events"] if e["type"] == "ASSAULT")
    assert place["name"] == "Mandalay" and place["country"] == "MMR"
    assert 20 < place["latitude"] < 23 and 95 < place["longitude"] < 97


def test_quantities_attach_to_the_event():
    d = extract("Title\nPolice arrested at least 40 protesters in Caracas.", published="2024-09-10").to_dict()
    qty = [q for e in d["events"] for q in e["quantities"]]
    assert any(q["value"] == 40 and q["measures"] == "people" and q["approximate"] for q in qty)


@pytest.mark.parametrize("text,published,expected", [
    ("last night", date(1988, 8, 25), date(1988, 8, 24)),
    ("On 30 August", date(1988, 8, 18), date(1988, 8, 30)),          # a coming date in the same year
    ("on January 1", date(2018, 12, 23), date(2019, 1, 1)),          # the nearest year, not the past one
    ("on 29 July at 2220", date(1988, 7, 31), date(1988, 7, 29)),    # a clock time is not a year
    ("at dawn on Tuesday, 13 December", date(1988, 12, 14), date(1988, 12, 13)),
    ("last December", date(1987, 3, 15), date(1986, 12, 1)),
])
def test_newswire_time_expressions(text, published, expected):
    assert resolve(text, published).date == expected


def event_places(text, published="1988-08-23"):
    d = extract(text, published=published).to_dict()
    return [(e["type"], (e["place"] or {}).get("name"), (e["place"] or {}).get("country")) for e in d["events"]]


def test_a_town_the_recognizer_misses_is_placed_in_the_story_country():
    text = ("Title\nLima, 23 Aug 88 (EFE) -- [Text] Today Peruvian soldiers killed three Shining Path rebels in "
            "Tingo Maria, Huanuco Department.")
    assert event_places(text) == [("ASSAULT", "Tingo Maria", "PER")]


def test_a_dateline_is_where_the_story_was_filed_not_where_its_events_happened():
    text = ("Title\nLima, 23 Aug 88 (EFE) -- [Text] Peruvian soldiers killed three Shining Path rebels.\n"
            "Police arrested five Shining Path members in Ayacucho.")
    # The killing names no place: the story's country, at its precision; the arrest is in Ayacucho.
    assert event_places(text) == [("ASSAULT", "Peru", "PER"), ("COERCE", "Ayacucho", "PER")]


def test_a_home_state_is_not_where_an_event_happened():
    text = "Title\nPolice arrested protesters from Ohio in Cambridge, Maryland, on Friday."
    assert event_places(text, "2014-01-27") == [("COERCE", "Cambridge", "USA")]


def test_a_state_sharing_a_country_name_is_the_state_in_an_american_story():
    text = ("Title\nATLANTA (AP) - Police arrested 30 protesters in Georgia on Tuesday after a march through "
            "Atlanta, the Georgia State Patrol said.")
    assert event_places(text, "2016-07-12") == [("COERCE", "Georgia", "USA")]


def test_a_bearing_is_not_the_place():
    text = "Title\nSalvadoran soldiers killed two FMLN rebels in Santa Ana, 66 km west of San Salvador, on Tuesday."
    assert event_places(text, "1988-12-21") == [("ASSAULT", "Santa Ana", "SLV")]


def test_country_region_and_city_are_distinct_places_on_the_map():
    d = extract("Title\nProtesters marched in London on Sunday. Police arrested farmers in Wiltshire. "
                "Britain deployed troops in the United Kingdom.", published="2005-01-10").to_dict()
    points = {(p["name"], p["kind"]): (p["latitude"], p["longitude"]) for p in d["places"] if p["latitude"]}
    assert ("London", "city") in points and ("Wiltshire", "county") in points
    assert points[("London", "city")] != points[("Wiltshire", "county")]


def test_a_place_with_no_match_keeps_the_story_country_and_no_point():
    d = extract("Title\nSalvadoran soldiers killed two FMLN rebels in Zzyzxqland on Monday.",
                published="2024-09-10").to_dict()
    assert [(e["type"], e["place"]["name"], e["place"]["country"], e["place"]["latitude"], e["place"]["kind"])
            for e in d["events"]] == [("ASSAULT", "Zzyzxqland", "SLV", None, None)]


@pytest.mark.parametrize("text", ["on 31 February", "in the year 99999", "on 45 March 1988", "on 0 June"])
def test_impossible_dates_give_no_date_and_no_error(text):
    when = resolve(text, date(1988, 8, 23))
    assert when is None or when.date is None


@pytest.mark.parametrize("text,published,expected", [
    ("Early this morning", date(1988, 9, 5), date(1988, 9, 5)),
    ("the night of 16 December", date(1988, 12, 19), date(1988, 12, 16)),
    ("in June", date(1988, 12, 10), date(1988, 6, 1)),                # the past June, news tells the past
    ("in December", date(2016, 9, 20), date(2015, 12, 1)),
])
def test_more_newswire_time_expressions(text, published, expected):
    assert resolve(text, published).date == expected


def test_a_deictic_time_the_recognizer_misses_still_dates_the_event():
    d = extract("Title\nSan Salvador, 5 Sep 88 (Radio) -- [Text] Early this morning, Salvadoran soldiers killed "
                "two FMLN rebels in Apopa.", published="1988-09-06").to_dict()
    assert [(e["type"], e["date"], e["when"]["source"]) for e in d["events"]] == [("ASSAULT", "1988-09-06", "sentence")]


def test_a_day_beside_a_year_dates_the_event_by_the_day():
    d = extract("Title\nFBI agents arrested the 2016 campaign chairman of Donald Trump on Friday.",
                published="2018-07-13").to_dict()
    assert [(e["type"], e["date"]) for e in d["events"]] == [("COERCE", "2018-07-13")]


@pytest.mark.parametrize("text,future,expected,precision", [
    ("in the past few hours", False, (date(2024, 9, 10), None), "day"),
    ("since the start of the year", False, (date(2024, 1, 1), date(2024, 9, 10)), "range"),
    ("over the next 48 months", False, (date(2024, 9, 10), date(2028, 8, 20)), "range"),
    ("last December", True, (date(2023, 12, 1), date(2023, 12, 31)), "month"),
])
def test_more_time_expressions_resolve(text, future, expected, precision):
    when = resolve(text, PUBLISHED, future=future)
    assert (when.date, when.end) == expected and when.precision == precision


def test_a_physical_happening_told_after_the_day_takes_the_storys_day():
    x = extract("Title\nA bomb exploded in Lima today, police said.\nThe attack killed two policemen.\n"
                "Police have arrested two suspects.", published="1988-08-23")
    killed, arrested = (next(s for s in x.sentences if s.text.startswith(w)) for w in ("The attack", "Police have"))
    when = span_when(x, killed.start, killed.end)
    assert (when.date, when.source) == (date(1988, 8, 23), "story")
    assert span_when(x, arrested.start, arrested.end) is None     # a new report, told in the present perfect


def test_the_storys_day_is_not_carried_into_another_incident_nor_from_the_dateline():
    x = extract("Title\nLima, 22 Dec 88 (EFE) -- Police seized two drug traffickers in Lima.\n"
                "Meanwhile, terrorists attacked a police post in Huanuco.", published="1988-12-22")
    assert x.running == []


def test_a_persons_home_state_and_a_firms_seat_are_not_where_things_happen():
    x = extract("Title\nDingell, a Michigan Democrat, said TRW was investigated by grand juries in Colorado.\n"
                "The company sold its properties to Victoria Exploration N.L. of Perth, Western Australia.",
                published="1987-03-06")
    assert {(p.name, p.reference) for _, _, p in x.located} >= {("Michigan", True), ("Colorado", False), ("Perth", True)}


def test_spanish_place_names_keep_the_words_de_joins():
    d = extract("Title\nLima, 15 Sep 88 (EFE) -- Terrorists attacked the village of San Jose de Sisa in Peru.",
                published="1988-09-15").to_dict()
    assert any(p["name"] == "San Jose de Sisa" and p["country"] == "PER" for p in d["places"])


def test_where_a_report_was_monitored_is_not_where_it_happened():
    x = extract("Title\nIRNA, monitored by the BBC in London, said Iranian troops attacked Iraqi positions.",
                published="1987-03-04")
    assert all(p.reference for _, _, p in x.located if p.name == "London")


def test_a_landmark_named_after_a_place_abroad_is_not_in_the_storys_country():
    d = extract("Title\nThe prime minister said British detainees held at Guantanamo Bay were released. "
                "Police arrested two men in Tyneside.", published="2005-01-10").to_dict()
    assert not any(p["name"] == "Guantanamo Bay" and p["country"] == "GBR" for p in d["places"])


def test_a_name_before_a_happening_places_it_and_a_birthplace_does_not():
    x = extract("Title\nCruz invited Trump to a Capitol Hill rally against the Iranian nuclear deal in September.\n"
                "When Donald Trump attacked a federal judge whose parents were born in Mexico, Hispanic Americans "
                "were outraged.", published="2016-06-13")
    located = {(p.name, p.country, p.reference) for _, _, p in x.located}
    assert ("Capitol Hill", "USA", False) in located and ("Mexico", "MEX", True) in located


def test_a_capitalised_body_noun_is_no_place():
    x = extract("Title\nHe wants a larger role for U.S. firms in the Japanese Government bond market.",
                published="1987-03-06")
    assert not any(p.name == "Government" for _, _, p in x.located)
