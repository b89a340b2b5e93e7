from eventwire.clean import clean, paragraph_spans
from eventwire.model import Article, Extraction
from eventwire.read.text import article_from_text


def cleaned(text: str) -> Extraction:
    return clean(Extraction(article_from_text(text, "t.txt")))


def test_one_line_paragraphs_after_a_title():
    x = cleaned("A title\nFirst paragraph here.\nSecond paragraph here.")
    assert [p.text for p in x.paragraphs] == ["A title", "First paragraph here.", "Second paragraph here."]


def test_blank_line_paragraphs_bbc_layout():
    x = cleaned("Title\n\nOne paragraph.\n\nAnother one.\n")
    assert [p.text for p in x.paragraphs] == ["Title", "One paragraph.", "Another one."]


def test_hard_wrapped_lines_join_and_indents_start_paragraphs():
    body = ("    The central bank raised its main interest rate by half a point on\n"
            "Monday, saying inflation had stayed above its target for a year and\n"
            "that further rises could not be ruled out before the end of the year.\n"
            "    Analysts had expected a smaller increase, citing the slowdown in\n"
            "industrial output and the weaker currency of recent weeks in markets.\n")
    spans = paragraph_spans(body)
    assert len(spans) == 2
    assert body[spans[1][0]:spans[1][1]].strip().startswith("Analysts")


def test_typographic_quotes_and_spaces_are_normalized_with_offsets_kept():
    text = "Title\nHe said \u201cno\u201d  \u00a0again\u200b."
    x = cleaned(text)
    p = x.paragraphs[1]
    assert p.text == 'He said "no" again.'
    start, end = p.original_span(p.text.index("again"), p.text.index("again") + 5)
    assert text[start:end] == "again"


def test_a_lead_repeating_later_paragraphs_is_dropped_once():
    body = ["Officials said the talks in Geneva would resume next week after a pause of two months.",
            "The delegations met for six hours on Monday without agreeing on a ceasefire line."]
    text = "Title\n" + " ".join(body) + "\n" + "\n".join(body) + "\nA third paragraph closes it."
    x = cleaned(text)
    texts = [p.text for p in x.paragraphs]
    assert texts.count(body[0]) == 1 and texts.count(body[1]) == 1
    assert len(x.dropped_paragraphs) == 1
    assert " ".join(body) not in texts


def test_exact_repeated_paragraph_counts_once():
    text = "Title\nSame words in a paragraph that repeats.\nSomething else.\nSame words in a paragraph that repeats."
    assert [p.text for p in cleaned(text).paragraphs].count("Same words in a paragraph that repeats.") == 1


def test_title_given_apart_from_text_is_its_own_paragraph():
    x = clean(Extraction(Article(text="Body sentence.", title="Headline")))
    assert [(p.field, p.text) for p in x.paragraphs] == [("title", "Headline"), ("text", "Body sentence.")]


def test_very_long_paragraph_is_cut_into_bounded_pieces():
    from eventwire import settings
    text = "Title\n" + " ".join(f"word{i}" for i in range(settings.MAX_PARAGRAPH_CHARS // 3))
    x = cleaned(text)
    assert len(x.paragraphs) > 2
    assert all(len(p.text) <= settings.MAX_PARAGRAPH_CHARS for p in x.paragraphs)


def test_a_short_wire_story_is_read_as_wrapped_even_with_its_sign_off_and_short_last_lines():
    # Reuters-style copy of our own: the short lines (a paragraph's end, the sign-off) are no evidence that
    # each line is a paragraph; the full-length lines stop mid-sentence.
    text = ("The Ministry of Fisheries and Coastal Affairs of Norway has\n"
            "not yet set a quota for the northern herring fleet, which is due\n"
            "to sail later this month, a ministry official said.\n"
            "    Two local newspapers said the quota would be about\n"
            "12,000 tonnes.\n"
            " REUTER\n")
    texts = [p.text for p in cleaned(text).paragraphs]
    assert texts[0].startswith("The Ministry of Fisheries and Coastal Affairs of Norway has not yet set a quota")
    assert texts[1] == "Two local newspapers said the quota would be about 12,000 tonnes."


def test_lines_that_each_end_a_sentence_stay_paragraphs():
    text = ("The council met on Monday to discuss the budget for next year.\n"
            "Members disagreed about the cost of the new bridge over the river.\n"
            "A vote is expected when the council meets again in two weeks.\n"
            "The mayor said she was confident the plan would be approved.\n")
    assert len(cleaned("Council title\n" + text).paragraphs) == 5
