"""The shortcuts the stages take to read a parsed paragraph give what spaCy's own reads give."""
from datetime import date

import pytest

from eventwire import extract, nlp
from eventwire.clean import clean
from eventwire.model import Extraction, Paragraph
from eventwire.when import explicit, month_and_year
from eventwire.where import token_at

TEXT = 'Tony Blair met "old friends" in London on Monday, the Foreign Office said, and left for Paris.'


@pytest.fixture(scope="module")
def doc():
    return nlp.load()(TEXT)


def test_text_and_entities_read_once_equal_spacys(doc):
    assert nlp.text_of(doc) == doc.text == TEXT
    assert [(e.start, e.end, e.label_) for e in nlp.ents_of(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert nlp.text_of(doc) is nlp.text_of(doc)          # read once, kept on the doc


@pytest.mark.parametrize("lo, hi", [(0, 0), (0, 4), (5, 11), (15, 28), (50, 200), (0, len(TEXT))])
def test_tokens_by_their_first_character_equal_a_scan_of_every_token(doc, lo, hi):
    assert [t.i for t in nlp.tokens_starting(doc, lo, hi)] == [t.i for t in doc if lo <= t.idx < hi]


def test_a_cleaned_range_holds_the_characters_whose_original_offsets_fall_in_it():
    paragraph = Paragraph(0, "ab cd", [10, 11, 12, 20, 21])      # "ab" at 10, the joining space, "cd" at 20
    assert paragraph.cleaned_range(11, 21) == (1, 4)
    assert paragraph.cleaned_range(13, 20) == (3, 3)
    assert paragraph.cleaned_range(0, 100) == (0, 5)


def test_a_token_is_found_by_its_original_offset_and_nothing_between_tokens():
    x = extract("Riots broke out in Lagos.\n\nPolice fired at crowds in Abuja.", published=date(2020, 1, 2))
    fresh = clean(Extraction(x.article))
    nlp.parse([fresh], nlp.load())
    start = x.article.text.index("Abuja")
    assert token_at(fresh, "text", start).text == "Abuja"
    assert token_at(fresh, "text", start + 1) is None
    assert token_at(fresh, "title", start) is None


@pytest.mark.parametrize("text, expected", [
    ("June 2004", date(2004, 6, 1)), ("in August, 1996", date(1996, 8, 1)), ("November of 1996", date(1996, 11, 1)),
    ("Sept. 2004", date(2004, 9, 1)), ("Mayor 2004", None), ("late May 2016", None), ("the year to March 2005", None)])
def test_a_month_and_year_is_read_without_dateparser(text, expected):
    assert month_and_year(text) == expected


def test_a_month_and_year_is_a_month_of_that_year_and_a_longer_phrase_no_date():
    when = explicit("June 2004", None)
    assert (when.date, when.end, when.precision) == (date(2004, 6, 1), date(2004, 6, 30), "month")
    assert explicit("the year to March 2005", date(2005, 6, 1)) is None
