from eventwire import extract


def quotes(text: str) -> list[dict]:
    return extract(text).to_dict()["quotes"]


def speaker(q: dict) -> str | None:
    return (q["speaker"] or {}).get("name")


def test_direct_quote_with_cue_after():
    qs = quotes('Title\nHealth Minister Sarah Okafor spoke.\n"We will open ten new clinics this year," said Okafor.')
    q = next(q for q in qs if "ten new clinics" in q["text"])
    assert (q["type"], speaker(q), q["cue"]) == ("direct", "Sarah Okafor", "said")


def test_direct_quote_with_colon_before():
    qs = quotes('Title\nFrench President Emmanuel Macron said: "Europe must defend itself."')
    q = next(q for q in qs if "defend itself" in q["text"])
    assert q["type"] == "direct" and speaker(q) == "Emmanuel Macron"


def test_quote_interrupted_by_its_attribution():
    text = 'Title\nKenyan Foreign Minister Amina Odhiambo met reporters.\n"We chose dialogue," Odhiambo said, "and we will keep to it."'
    qs = [q for q in quotes(text) if q["type"] == "direct"]
    assert {speaker(q) for q in qs} == {"Amina Odhiambo"} and len(qs) == 2


def test_mixed_quote_is_the_reported_clause():
    qs = quotes('Title\nGerman Chancellor Olaf Scholz said that the plan would "never work" without Poland.')
    q = next(q for q in qs if "never work" in q["text"])
    assert q["type"] == "mixed" and speaker(q) == "Olaf Scholz" and "the plan would" in q["text"]


def test_indirect_quotes_say_that_and_cue_after():
    text = ("Title\nBrazilian Finance Minister Paulo Reis said that inflation would fall.\n"
            "Interest rates will stay high for a year, the minister said.")
    qs = quotes(text)
    first = next(q for q in qs if "inflation would fall" in q["text"])
    second = next(q for q in qs if "Interest rates" in q["text"])
    assert first["type"] == second["type"] == "indirect"
    assert speaker(first) == speaker(second) == "Paulo Reis"


def test_according_to():
    qs = quotes("Title\nAccording to the United Nations, the camp holds 40,000 refugees.")
    q = next(q for q in qs if "40,000 refugees" in q["text"])
    assert q["cue"] == "according to" and speaker(q) == "United Nations"


def test_guillemets_and_curly_quotes_are_quotes():
    for open_mark, close_mark in (("\u00ab", "\u00bb"), ("\u201c", "\u201d")):
        text = f"Title\n{open_mark}The border stays closed,{close_mark} said Italian Interior Minister Marco Bianchi."
        q = next(q for q in quotes(text) if "border stays closed" in q["text"])
        assert speaker(q) == "Marco Bianchi"
        assert text[q["start"]:q["end"]] == q["text"]


def test_unbalanced_quote_never_swallows_later_paragraphs():
    text = 'Title\nThe mayor said "we are ready.\nA second paragraph about the harbour.\nA third one.'
    assert [q["text"] for q in quotes(text)] == ["we are ready."]


def test_offsets_point_into_the_original_article():
    text = "Title\n\u201cWe   will not\u00a0yield,\u201d said Polish President Jan Nowak."
    qs = quotes(text)
    assert [q["text"] for q in qs] == ["We   will not\u00a0yield,"]
    assert [text[q["start"]:q["end"]] for q in qs] == [q["text"] for q in qs]
