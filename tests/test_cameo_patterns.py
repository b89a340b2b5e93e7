"""CAMEO verb patterns: scripts/build_cameo_patterns.py (the converter), events.patterns (the matcher) and
events.lexicon.cameo_entries (the patterns read as lexicon entries).

The converter's tests read a small dictionary written here; the test that rebuilds the shipped tables from
PETRARCH2's CAMEO.2.0.txt skips when ../shared/reference/petrarch2 is absent. The matcher's tests parse
sentences written here with the project's spaCy pipeline.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, missing
from eventwire import nlp
from eventwire.data import rows
from eventwire.events import patterns as P
from eventwire.events.lexicon import Entry, cameo_entries
from eventwire.ontology import PLOVER_TYPES

PETRARCH = SHARED / "reference" / "petrarch2"
SCRIPT = ROOT / "scripts" / "build_cameo_patterns.py"
DATA = ROOT / "src" / "eventwire" / "data"

# A dictionary in PETRARCH2's format, written for these tests (its words are ours, its layout the format's).
SMALL = """# a test verb dictionary
&VEHICLE_
+TRUCK
+ARMORED_CAR

&SUPPLY
+MEDICINE
+FOOD_PARCEL

####### VERB PATTERNS #######

---  SHIP   [070]  ---
SHIP {SHIPS SHIPPED SHIPPING }
FERRY
+HAND_OVER {+HANDS_OVER +HANDED_OVER +HANDING_OVER} [084]
- * &SUPPLY                                 [073]   # FERRY
- * {SPARE PARTS} (TO +)                    [061]   # SHIP
- &VEHICLE_ *                               [---]   # SHIP
- * (TO)                                    [042:043]   # FERRY
- * (BEFORE JUDGES)                         [:173]  # SHIP
- * &GADGETS                                [072]   # SHIP
- * (TO BORDER                              [154]   # SHIP

---  PLEAD   [---]  ---
PLEAD
- * (FOR MERCY)                             [020]   # PLEAD
- * INNOCENCE                               [016]   # PLEAD
~ a (a b SHIP) PLEAD = a b 020
"""
LICENSE = "The MIT License (MIT)\n\nCopyright (c) 2015 Open Event Data Alliance\n"


@pytest.fixture(scope="session")
def builder():
    """scripts/build_cameo_patterns.py as a module."""
    spec = importlib.util.spec_from_file_location("build_cameo_patterns", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_cameo_patterns"] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def pipeline():
    return nlp.load(None)


@pytest.fixture()
def small(tmp_path) -> Path:
    folder = tmp_path / "petrarch2"
    folder.mkdir()
    (folder / "CAMEO.2.0.txt").write_text(SMALL, encoding="utf-8")
    (folder / "LICENSE").write_text(LICENSE, encoding="utf-8")
    return folder


def match(pipeline, sentence: str, verb: str, scope: str = "block"):
    doc = pipeline(sentence)
    token = next(t for t in doc if t.text == verb)
    return P.best_match(token, scope), token


# --- reading the dictionary format ----------------------------------------------------------------------------

def test_blocks_verbs_and_forms_are_read(builder):
    d = builder.parse_dictionary(SMALL.split("\n"), builder.Problems(quiet=True))
    ship, plead = d.blocks
    assert (ship.name, ship.code, plead.code) == ("SHIP", ("070", ""), ("---", ""))
    verbs = {v.verb: v for v in ship.verbs}
    assert verbs["SHIP"].forms == ["SHIPS", "SHIPPED", "SHIPPING"] and verbs["SHIP"].code is None
    assert verbs["FERRY"].forms == ["FERRIES", "FERRYED", "FERRYING"]     # regular forms, PETRARCH's rules
    hand = verbs["HAND"]
    assert (hand.before, hand.after, hand.code) == ([], ["OVER"], ("084", ""))
    assert hand.forms == ["HANDS", "HANDED", "HANDING"]


def test_synonym_sets_and_transformations(builder):
    problems = builder.Problems(quiet=True)
    d = builder.parse_dictionary(SMALL.split("\n"), problems)
    assert [m for _, m in d.synsets["&VEHICLE_"].members] == ["TRUCK", "ARMORED_CAR"]
    assert d.transformations == 1
    assert any("transformation" in reason for _, reason in problems.items)


def test_pattern_elements_and_codes(builder):
    d = builder.parse_dictionary(SMALL.split("\n"), builder.Problems(quiet=True))
    by_code = {(p.code, p.reverse): p for p in d.blocks[0].patterns}
    parts = by_code[("061", "")]
    assert parts.before == [] and parts.after == [("phrase", ["SPARE", "PARTS"]), ("prep", "TO", [("marker", "+")])]
    assert by_code[("---", "")].before == [("synset", "&VEHICLE_")]
    assert by_code[("042", "043")].after == [("prep", "TO", [])]       # a visit, and its hosting
    assert by_code[("", "173")].after == [("prep", "BEFORE", [("word", "JUDGES")])]   # the subject is the target


def test_codes_are_read_as_pairs(builder):
    assert builder.parse_code("042:043") == ("042", "043")
    assert builder.parse_code(":173") == ("", "173")
    assert builder.parse_code("---") == ("---", "")
    assert builder.parse_code("080!") == ("080", "")
    assert builder.parse_code("1a2") is None


def test_multiword_verbs_name_their_verb_word(builder):
    assert builder.split_verb_phrase("+CORDON_OFF") == ("CORDON", [], ["OFF"])
    assert builder.split_verb_phrase("WIRE_+TAP") == ("TAP", ["WIRE"], [])
    assert builder.split_verb_phrase("HURRY") == ("HURRY", [], [])
    assert builder.split_verb_phrase("+A_+B") is None


def test_malformed_lines_are_reported_with_their_line(builder):
    problems = builder.Problems(quiet=True)
    d = builder.parse_dictionary(SMALL.split("\n"), problems)
    reasons = dict(problems.items)
    assert "unbalanced '('" in reasons[22]
    assert len(d.blocks[0].patterns) == 6                         # the broken line alone is left out


def test_conversion_writes_lemmas_types_and_the_licence(builder, small, tmp_path, capsys):
    out = tmp_path / "data"
    run = subprocess.run([sys.executable, str(SCRIPT), "--source", str(small), "--out-dir", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "CAMEO.2.0.txt:21: undefined synonym set &GADGETS" in run.stderr
    assert "CAMEO.2.0.txt:22: unbalanced" in run.stderr
    patterns = {r["id"]: r for r in read_table(out / "cameo_patterns.tsv")}
    assert patterns["17"]["pattern"] == "* {spare part} (to +)"              # heads as lemmas
    assert (patterns["17"]["code"], patterns["17"]["type"]) == ("061", "COOPERATE")
    assert (patterns["18"]["pattern"], patterns["18"]["code"], patterns["18"]["type"]) == ("&vehicle_ *", "---", "")
    assert (patterns["19"]["type"], patterns["19"]["mode"], patterns["19"]["reverse_type"]) == \
        ("CONSULT", "visit", "CONSULT")
    assert (patterns["20"]["code"], patterns["20"]["reverse"], patterns["20"]["reverse_type"]) == ("", "173", "COERCE")
    assert patterns["26"]["type"] == "REQUEST"         # appeals (02) are REQUEST, as the event lexicon reads them
    assert patterns["27"]["type"] == ""                # a statement (016) is no PLOVER event
    assert patterns["16"]["verb"] == "ferry"           # the verb the pattern's comment names
    verbs = {r["lemma"]: r for r in read_table(out / "cameo_verbs.tsv")}
    assert (verbs["hand"]["after"], verbs["hand"]["code"], verbs["hand"]["type"]) == ("over", "084", "RETREAT")
    assert verbs["ship"]["code"] == "070" and "shipped" in verbs["ship"]["forms"].split()
    synsets = [(r["synset"], r["phrase"]) for r in read_table(out / "cameo_synsets.tsv")]
    assert ("&vehicle_", "armored car") in synsets and ("&supply", "food parcel") in synsets
    notice = (out / "cameo_patterns.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in notice and "CAMEO.2.0.txt" in notice and "build_cameo_patterns.py" in notice


def read_table(path: Path) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


# --- the shipped tables -------------------------------------------------------------------------------------

def test_shipped_tables_are_what_the_converter_makes(builder, tmp_path):
    if not (PETRARCH / "CAMEO.2.0.txt").is_file():
        missing(f"the PETRARCH2 dictionaries are not here ({PETRARCH})")
    out = tmp_path / "data"
    builder.write_data(builder.build(PETRARCH, builder.Problems(quiet=True)), PETRARCH, out)
    for name in (*builder.OUT_FILES, builder.LICENSE_OUT):
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), \
            f"src/eventwire/data/{name} is stale: run python scripts/build_cameo_patterns.py"


def test_shipped_tables_are_consistent():
    t = P.tables()
    named = {n for block in t.blocks.values() for ps in (*block.by_word.values(), *block.by_set.values(),
                                                         block.always) for p in ps for n in p.sets}
    assert named <= set(t.synsets)
    assert {r["type"] for r in rows("cameo_patterns.tsv")} <= {*PLOVER_TYPES, ""}
    assert sum(1 for _ in rows("cameo_patterns.tsv")) > 4000
    notice = (DATA / "cameo_patterns.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Open Event Data" in notice


# --- the notation -------------------------------------------------------------------------------------------

def test_the_notation_parses_into_elements():
    before, after = P.parse("&military * (for {financial aid}) +")
    assert before == (P.El("synset", "&military"),)
    assert after == (P.El("prep", "for", inner=(P.El("phrase", parts=("financial", "aid")),)), P.El("marker", "+"))
    assert P.parse("* (to {&military aid})")[1][0].inner[0].parts == ("&military", "aid")
    with pytest.raises(ValueError):
        P.parse("* (to border")
    with pytest.raises(ValueError):
        P.parse("* aid * aid")


# --- the matcher ----------------------------------------------------------------------------------------------

def test_a_pattern_picks_the_sense_of_the_verb(pipeline):
    aid, _ = match(pipeline, "Japan rushed emergency aid to the flooded provinces.", "rushed")
    troops, _ = match(pipeline, "Russia rushed troops to the border.", "rushed")
    assert (aid.pattern.text, aid.codes.type) == ("* aid", "AID")
    assert (troops.pattern.text, troops.codes.type) == ("* (to border)", "MOBILIZE")
    assert aid.rule == f"cameo:{aid.pattern.id}"


def test_the_most_specific_pattern_wins(pipeline):
    m, token = match(pipeline, "Kenya asked the World Bank for financial aid.", "asked")
    assert m.pattern.text == "* (for {financial aid})" and m.codes.code == "0231"
    assert [token.doc[i].text for i in m.tokens] == ["for", "financial", "aid"]


def test_a_head_beats_its_modifier(pipeline):
    m, _ = match(pipeline, "Tokyo rushed food aid to the islands.", "rushed")
    assert m.pattern.text == "* aid"                     # "food aid" is aid before it is food


def test_a_no_event_pattern_blocks_the_verb(pipeline):
    m, token = match(pipeline, "Police foiled a plot to bomb the embassy.", "foiled")
    assert m.pattern.text == "* plot" and m.codes.code == "---" and m.blocks
    assert cameo_entries(token) == []


def test_a_statement_is_no_event(pipeline):
    m, token = match(pipeline, "The ambassador voiced concern about the elections.", "voiced")
    assert m.codes.code.startswith("01") and m.blocks and cameo_entries(token) == []


def test_a_bare_word_after_the_verb_is_not_read_inside_a_prepositional_phrase(pipeline):
    m, _ = match(pipeline, "The mayor asked about aid.", "asked")
    assert m.pattern is None and m.codes.code == "020"   # not "* aid": the aid is not what is asked for


def test_a_passive_reads_its_subject_as_the_object(pipeline):
    m, _ = match(pipeline, "Aid was rushed to the victims.", "rushed")
    assert m.pattern.text == "* aid" and m.codes.type == "AID"


def test_a_verb_with_no_pattern_takes_its_own_code(pipeline):
    m, _ = match(pipeline, "Israel attacked Syria.", "attacked")
    assert m.pattern is None and m.codes.type == "ASSAULT" and m.rule == f"cameo:{m.verb.id}"


def test_a_verb_outside_the_dictionary_or_a_noun_has_no_match(pipeline):
    doc = pipeline("The committee photographed the attack.")
    assert P.best_match(doc[2]) is None               # "photographed": not in the dictionary
    assert P.best_match(doc[4]) is None               # "attack": a noun


def test_a_multiword_verb_needs_its_other_word(pipeline):
    m, token = match(pipeline, "Soldiers cordoned off the square.", "cordoned")
    assert m.verb.after == ("off",) and m.codes.type == "COERCE"
    assert "off" in [token.doc[i].text for i in m.tokens]


def test_scope_verb_keeps_patterns_to_the_verb_they_were_written_for(pipeline):
    block, _ = match(pipeline, "The students arranged a demonstration.", "arranged")
    verb, _ = match(pipeline, "The students arranged a demonstration.", "arranged", scope="verb")
    assert block.codes.type == "PROTEST" and block.pattern.verb == "stage"
    assert verb is None                                # "arrange" alone has no code


# --- the patterns as lexicon entries -------------------------------------------------------------------------

def test_a_pair_code_gives_the_event_and_its_reverse(pipeline):
    doc = pipeline("The president rushed to Moscow.")
    visit, hosting = cameo_entries(doc[2])
    assert isinstance(visit, Entry) and visit.rule == hosting.rule and visit.rule.startswith("cameo:")
    assert (visit.type, visit.cameo, visit.mode) == ("CONSULT", "042", "visit")
    assert visit.source == ("subj",) and visit.target[0] == "prep:to"
    assert (hosting.cameo, hosting.source, hosting.target) == ("043", visit.target, visit.source)
    assert "reverse" in hosting.flags


def test_a_reverse_only_code_makes_the_subject_the_target(pipeline):
    doc = pipeline("The minister appeared before the court.")
    [entry] = cameo_entries(doc[2])
    assert (entry.type, entry.cameo) == ("COERCE", "173") and entry.target == ("subj",)


def test_a_marker_names_the_slot_of_its_side(pipeline):
    doc = pipeline("The rebels moved troops into the town.")
    entries = cameo_entries(doc[2])
    assert entries and entries[0].target == ("prep:into",)


def test_content_words_tell_strong_patterns_from_bare_prepositions():
    assert P.content_words(P.parse("* (to)")[1]) == 0
    assert P.content_words(P.parse("will * back")[0] + P.parse("will * back")[1]) == 0
    assert P.content_words(P.parse("* (to border)")[1]) == 1
    assert P.content_words(P.parse("* {financial aid} &food")[1]) == 2
