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


def quote_with(text: str, words: str) -> dict:
    return next(q for q in quotes(text) if words in q["text"])


def test_quoted_sentences_after_a_cue_stay_with_that_speaker_not_the_paragraph_before():
    text = ('Title\nPortuguese Finance Minister Ana Silva said: "Taxes will rise next year."\n'
            'Spanish Economy Minister Luis Ortega told reporters: "We disagree with that plan entirely. '
            '"Our budget is balanced and we will keep it so."')
    assert speaker(quote_with(text, "Our budget is balanced")) == "Luis Ortega"


def test_quotation_left_open_runs_into_the_next_paragraph():
    text = ('Title\nSpanish Economy Minister Luis Ortega said: "We disagree with that plan entirely.\n'
            '"Our budget is balanced and we will keep it so."')
    q = quote_with(text, "Our budget is balanced")
    assert speaker(q) == "Luis Ortega" and q["type"] == "direct"


def test_a_new_subject_between_quotations_ends_the_turn():
    text = ('Title\n"We will keep the budget balanced," said Spanish Economy Minister Luis Ortega. '
            'Opposition leader Marta Ruiz laughed at the figures. "Nobody believes those numbers any more."')
    assert all(speaker(q) != "Luis Ortega" for q in quotes(text) if "Nobody believes" in q["text"])


def test_a_short_phrase_in_quotation_marks_inside_a_clause_is_no_quote():
    assert quotes('Title\nThe so-called "peace dividend" never reached the northern towns.') == []


def test_a_quoted_show_title_is_no_quote():
    assert quotes('Title\nSenator Mary Cole appeared on "Meet The Nation" on Sunday morning.') == []


def test_paragraph_ending_in_a_colon_introduces_the_quotation_below():
    text = ('Title\nSenator Mary Cole continued:\n'
            '"The bill protects every farmer in this state and I will defend it in the chamber."')
    assert speaker(quote_with(text, "protects every farmer")) == "Mary Cole"


def test_any_verb_taking_the_quotation_as_its_clause_is_a_cue():
    text = 'Title\nSenator Mary Cole spoke last.\n"Compare the two plans and decide for yourselves," Cole urged.'
    q = quote_with(text, "Compare the two plans")
    assert (speaker(q), q["cue"]) == ("Mary Cole", "urged")


def test_words_quoted_as_what_someone_called_something_are_a_mixed_quote():
    q = quote_with('Title\nSenator Mary Cole called the proposal "a gift to polluters" on Monday.', "gift to polluters")
    assert q["type"] == "mixed" and speaker(q) == "Mary Cole" and "the proposal" in q["text"]


def test_a_spokesman_speaks_for_the_one_named_with_him_and_is_not_that_person():
    q = quote_with('Title\nA spokesman for Senator Mary Cole said: "The senator will vote against the bill."',
                   "vote against the bill")
    assert speaker(q) == "Mary Cole spokesman"


def test_a_sentence_reporting_someone_opens_their_turn():
    text = 'Title\nSenator Mary Cole said she would vote against the bill. "It hurts every farmer in this state."'
    assert speaker(quote_with(text, "hurts every farmer")) == "Mary Cole"


def test_a_proper_name_the_name_finder_missed_still_speaks():
    q = quote_with('Title\n"We will appeal the ruling this week," Brannigan said.', "appeal the ruling")
    assert speaker(q) == "Brannigan"


def test_headline_speaker_loses_the_verb_run_into_its_name():
    from eventwire.model import Actor
    from eventwire.quotes import without_cue
    assert without_cue(Actor(name="Weiner Denies", kind="person")).name == "Weiner"
    assert without_cue(Actor(name="Mary Cole Says", kind="person")).name == "Mary Cole"
    assert without_cue(Actor(name="Mary Cole", kind="person")).name == "Mary Cole"


def test_a_statement_from_a_body_says_that_bodys_words():
    text = 'Title\nA statement from the Red Cross said: "Our teams reached the flooded villages this morning."'
    assert speaker(quote_with(text, "Our teams reached")) in ("Red Cross", "International Committee of the Red Cross")



# ---- issue 14: quoted attributions as PolNeAR counts them ---------------------------------------------

def test_fragments_of_one_clause_are_one_mixed_quote():
    text = 'Title\nSenator Mara Quill called the plan a "fantasy," a "giveaway" and a "disgrace" on Monday.'
    mixed = [q for q in quotes(text) if q["type"] in ("direct", "mixed")]
    assert len(mixed) == 1 and speaker(mixed[0]) == "Mara Quill"
    assert "fantasy" in mixed[0]["text"] and "disgrace" in mixed[0]["text"]


def test_a_quote_signed_after_a_dash_is_the_signers():
    text = ('Title\n"The new bridge has changed how I get to work every single day." \u2015 Dora Palmquist\n'
            '"Nobody asked the people who live by the river."\u2015 Tomas Ebner')
    assert speaker(quote_with(text, "new bridge")) == "Dora Palmquist"
    assert speaker(quote_with(text, "Nobody asked")) == "Tomas Ebner"


def test_a_dash_inside_the_quoted_sentence_signs_nothing():
    text = 'Title\nThe minister spoke briefly.\n"We are ready - and we will act," Governor Lena Okoro said.'
    assert speaker(quote_with(text, "we will act")) == "Lena Okoro"


def test_words_quoted_in_what_a_speech_verb_reports_are_a_mixed_quote():
    text = 'Title\nMayor Ingrid Falk described the flooding as a "slow disaster" for the valley.'
    q = quote_with(text, "slow disaster")
    assert q["type"] == "mixed" and speaker(q) == "Ingrid Falk" and "as a" in q["text"]


def test_adding_that_after_said_reports_the_same_speaker():
    text = ('Title\n"We have no suspects," Police Chief Rolf Amsel said, adding that the search would take '
            '"several more days" to finish.')
    q = quote_with(text, "several more days")
    assert q["type"] == "mixed" and speaker(q) == "Rolf Amsel" and "the search would take" in q["text"]


def test_a_show_named_in_the_place_of_speaking_is_not_a_quote():
    text = "Title\nSenator Mara Quill said on NBC's \"Morning Report\" that the vote would be close."
    assert not [q for q in quotes(text) if q["type"] in ("direct", "mixed") and q["text"] == "Morning Report"]


def test_a_heading_in_quotation_marks_is_not_a_quote():
    text = ('Title\n"We will rebuild the mill," said factory owner Petra Lund.\n'
            '"A Town Without Its Mill."\nThe mill closed in May.')
    assert not [q for q in quotes(text) if "Town Without" in q["text"]]


def test_scare_quotes_before_a_noun_or_in_the_subject_are_no_ones_words():
    text = ('Title\nThe salesman Ole Brandt sold "miracle" hair tonics for years.\n'
            'The "reform package" worried Senator Mara Quill.')
    found = [q["text"] for q in quotes(text) if q["type"] in ("direct", "mixed")]
    assert not [t for t in found if "miracle" in t or "reform package" in t]


def test_a_quote_coordinated_with_the_report_goes_on_with_it():
    text = ('Title\nSenator Mara Quill says she expects to lose the vote, but she knows that '
            '"the fight is worth having."')
    q = quote_with(text, "worth having")
    assert q["type"] == "mixed" and "expects to lose" in q["text"] and speaker(q) == "Mara Quill"


def test_a_colon_presents_even_a_short_quote():
    text = 'Title\nGovernor Lena Okoro has a new slogan for the campaign: "Build it here."'
    q = quote_with(text, "Build it here")
    assert q["type"] == "direct" and speaker(q) == "Lena Okoro"


def test_an_editors_bracket_does_not_hide_a_sentence_start():
    text = 'Title\nAccording to Senator Mara Quill, "[T]he budget cannot pass in this form."'
    assert speaker(quote_with(text, "budget cannot pass")) == "Mara Quill"


def test_a_whole_quoted_sentence_as_object_is_said():
    text = ('Title\nThe strike went on.\nNurses marching through the square sang "What pay rise?" and kept going '
            'until midnight.')
    q = quote_with(text, "What pay rise")
    assert q["type"] == "direct"


def test_a_coordinated_speech_verb_ends_the_report():
    text = ('Title\nEven Norway, the closest partner of the island, said it was "strongly opposed" to the launch '
            'and warned the island to refrain from further actions that would worsen the crisis.')
    q = quote_with(text, "strongly opposed")
    assert "warned" not in q["text"] and speaker(q) == "Norway"


def test_a_quoted_object_that_goes_on_is_a_mixed_quote():
    text = ('Title\nThe state police reported "1,204 road accidents" on the coastal highway between '
            'March and June.')
    q = quote_with(text, "road accidents")
    assert q["type"] == "mixed" and "coastal highway" in q["text"]


def test_a_known_surname_tagged_as_a_common_noun_still_speaks():
    text = ('Title\nSenator Arvid Trump spoke in Oslo.\nTrump further described the deal as a '
            '"terrible bargain" for farmers.')
    assert speaker(quote_with(text, "terrible bargain")) == "Arvid Trump"


def test_he_after_a_sentence_about_someone_is_that_someone():
    text = ('Title\nCoach Marta Lind praised her players after the match.\n'
            "But Lind's rival coach Ivo Berg was in no mood to celebrate. He said: "
            '"We played badly and we deserved to lose."')
    assert speaker(quote_with(text, "deserved to lose")) == "Ivo Berg"


def test_a_subject_that_names_no_one_speaks_through_its_apposition():
    text = ('Title\nThe council met on Tuesday.\nAnother critic, Professor Helga Marsh, called the '
            'budget "a work of fiction" in a letter.')
    assert speaker(quote_with(text, "work of fiction")) == "Helga Marsh"


def test_words_quoted_in_the_that_clause_of_a_claim_are_its_owners():
    text = ('Title\nThe fact-checkers looked at Senator Mara Quill\'s claim that there were "hundreds of '
            'empty schools" in the state last year.')
    q = quote_with(text, "empty schools")
    assert q["type"] == "mixed" and speaker(q) == "Mara Quill" and "there were" in q["text"]


def test_what_a_verb_of_likening_likens_to_is_quoted_by_its_subject():
    text = ('Title\nThe rally was loud.\nAt the rally, Governor Lena Okoro likened the new tax to a '
            '"slow leak" in every family budget.')
    q = quote_with(text, "slow leak")
    assert q["type"] == "mixed" and speaker(q) == "Lena Okoro"



def test_a_quote_right_after_the_reported_clause_goes_on_with_it():
    text = ('Title\nThe Ohio governor said Democrats and the media are to blame for focusing on '
            '\u201cshe said this, she tweeted that.\u201d')
    qs = [q for q in quotes(text) if q["type"] in ("direct", "mixed")]
    assert len(qs) == 1 and qs[0]["type"] == "mixed" and "are to blame" in qs[0]["text"]


def test_what_someone_is_told_to_do_in_quotes_is_a_mixed_quote():
    text = ('Title\nGovernor Lena Okoro tells her supporters at an Oslo rally to "go to your polling place and '
            'vote" and then "go find some other place and go stand there with your friends and make sure it is '
            'fair."')
    qs = [q for q in quotes(text) if q["type"] in ("direct", "mixed")]
    assert len(qs) == 1 and qs[0]["type"] == "mixed" and speaker(qs[0]) == "Lena Okoro"
    assert "polling place" in qs[0]["text"] and "stand there" in qs[0]["text"]


def test_an_exclamation_does_not_end_the_sentence_that_names_its_speaker():
    text = ('Title\nThe hall was full.\n"This is a great night for our town and for our new mayor, Ada Brink!" '
            'Brink\'s sister, city councillor Maja Brink-Olsen of the Green Party, shouted to the crowd.')
    assert speaker(quote_with(text, "great night")) is not None


def test_words_quoted_in_a_sentence_according_to_someone_are_theirs():
    text = ('Title\nParents and teachers marched on Thursday.\nMore than 5,000 people joined a citywide '
            '"teach-in" at 40 schools, according to the Alliance for Public Schools.')
    q = quote_with(text, "teach-in")
    assert q["type"] == "mixed" and q["cue"] == "according to" and "5,000 people" in q["text"]


def test_a_subject_inside_the_quotation_marks_is_not_the_speaker():
    text = ('Title\nThe campaign went on.\n"He would be a fine senator. One of the brightest members of the entire '
            'Parliament," Rep. Ann Ruiz (D-Ore.) said in a phone interview.')
    assert speaker(quote_with(text, "brightest members")) == "Ann Ruiz"


def test_the_name_between_the_quote_and_its_verb_speaks():
    text = ('Title\nThe shooting is under investigation.\n"I will make this promise to you: we will find the '
            'truth in this case," Oslo police Chief Karin Dahl said Monday.')
    assert speaker(quote_with(text, "find the truth")) == "Karin Dahl"


def test_said_opening_a_sentence_is_said_by_the_name_after_it():
    text = ('Title\nThe tax plan drew fire.\nSaid Halvorsen: "I do not think she cares about tax reform at all."')
    assert speaker(quote_with(text, "tax reform at all")) == "Halvorsen"
