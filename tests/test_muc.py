"""`eventwire evaluate muc`: reading MUC-4 keys and messages, the incident-type mapping, perpetrators, scoring.

The messages and keys here are the tests' own, written in the MUC format; the real tst3 set is gated in
test_evaluate.py.
"""
import subprocess
import sys

import pytest

from eventwire.evaluate import baseline_key, evaluate
from eventwire.evaluate.muc import (Message, Tally, load_folder, load_mapping, plover_of, read_keys,
                                    same_organization, score_message, scored_types, slot_blocks)
from eventwire.ontology import PLOVER_TYPES

SLOTS = ("MESSAGE: ID", "MESSAGE: TEMPLATE", "INCIDENT: DATE", "INCIDENT: LOCATION", "INCIDENT: TYPE",
         "INCIDENT: STAGE OF EXECUTION", "INCIDENT: INSTRUMENT ID", "INCIDENT: INSTRUMENT TYPE",
         "PERP: INCIDENT CATEGORY", "PERP: INDIVIDUAL ID", "PERP: ORGANIZATION ID")


def template(message: str, number: str, incident: str = "*", stage: str = "*", perpetrators: tuple = ("-",)) -> str:
    """A key template in the MUC layout: numbered slots, the value from column 36, further values indented."""
    values = {"MESSAGE: ID": message, "MESSAGE: TEMPLATE": number, "INCIDENT: TYPE": incident,
              "INCIDENT: STAGE OF EXECUTION": stage, "PERP: ORGANIZATION ID": perpetrators[0]}
    lines = []
    for n, slot in enumerate(SLOTS):
        value = values.get(slot, "*" if number == "*" else "-")
        lines.append(f"{f'{n}.':<4}{slot:<31}{value}")
        if slot == "PERP: ORGANIZATION ID":
            lines += [" " * 35 + more for more in perpetrators[1:]]
    return "\n".join(lines) + "\n"


FMLN = '"FMLN" / "FARABUNDO MARTI NATIONAL LIBERATION FRONT"'
KEY = "\n".join([
    ";;; a comment line",
    template("TST9-MUC4-0001 (NOSC)", "1", "BOMBING", "ACCOMPLISHED", (FMLN, '? "ARMED FORCES"')),
    template("TST9-MUC4-0001 (NOSC)", "2 (OPTIONAL)", "ATTACK", "ATTEMPTED"),
    template("TST9-MUC4-0002", "*"),
    template("TST9-MUC4-0003", "1", "ATTACK / BOMBING", "THREATENED"),
    template("TST9-MUC4-0003", "2", "ROBBERY", "ACCOMPLISHED"),
])

MESSAGES = """TST9-MUC4-0001

   San Salvador, 3 Jan 90 (Radio Venceremos) -- [Text] Urban commandos of the
FMLN set off a bomb at a power station in San Salvador last night, the
guerrillas said.

TST9-MUC4-0002

   Lima, 5 Jan 90 (EFE) -- [Text] The Peruvian Government and the unions
agreed today to continue their talks on wages.

TST9-MUC4-0004

   Bogota, 6 Jan 90 (EFE) -- [Text] A message the keys never mention.
"""


def write_folder(root, messages: str = MESSAGES, key: str = KEY, name: str = "tst9-muc4"):
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(messages, encoding="utf-8")
    (root / "key-tst9.v1").write_text(key, encoding="utf-8")
    return root


# ---- the mapping ---------------------------------------------------------------------------------

def test_attacks_bombings_arson_and_kidnappings_are_assaults():
    mapping = load_mapping()
    assert {plover_of(t, "ACCOMPLISHED", mapping) for t in ("ATTACK", "BOMBING", "ARSON", "KIDNAPPING")} == {"ASSAULT"}


def test_an_attempted_attack_is_an_assault_and_a_threatened_one_a_threat():
    mapping = load_mapping()
    assert (plover_of("ATTACK", "ATTEMPTED", mapping), plover_of("ATTACK", "THREATENED", mapping)) == \
        ("ASSAULT", "THREATEN")


def test_robbery_and_forced_work_stoppage_are_not_scored():
    mapping = load_mapping()
    assert plover_of("ROBBERY", "ACCOMPLISHED", mapping) is plover_of("FORCED WORK STOPPAGE", "ACCOMPLISHED",
                                                                      mapping) is None


def test_every_mapped_type_is_a_plover_type():
    assert scored_types(load_mapping()) <= set(PLOVER_TYPES)


# ---- reading the keys ----------------------------------------------------------------------------

def test_each_template_has_its_slots_and_continuation_lines():
    first = slot_blocks(KEY)[0]
    assert first["MESSAGE: ID"] == ["TST9-MUC4-0001 (NOSC)"]
    assert first["PERP: ORGANIZATION ID"] == [FMLN, '? "ARMED FORCES"']


def test_templates_are_read_by_message_with_types_alternatives_and_perpetrators():
    keys = read_keys([KEY], load_mapping())
    bombing, attempt = keys["TST9-MUC4-0001"]
    assert (bombing.plover, bombing.optional, bombing.perpetrators) == \
        (["ASSAULT"], False, [["FMLN", "FARABUNDO MARTI NATIONAL LIBERATION FRONT"], ["ARMED FORCES"]])
    assert (attempt.plover, attempt.optional) == (["ASSAULT"], True)
    assert keys["TST9-MUC4-0002"] == [None]
    threat, robbery = keys["TST9-MUC4-0003"]
    assert (threat.incidents, threat.plover, robbery.plover) == (["ATTACK", "BOMBING"], ["THREATEN"], [])


def test_messages_are_read_with_their_dateline_and_only_where_the_keys_cover_them(tmp_path):
    messages = load_folder(str(write_folder(tmp_path / "tst9")))
    assert [m.id for m in messages] == ["TST9-MUC4-0001", "TST9-MUC4-0002"]
    assert messages[0].text.lstrip().startswith("San Salvador, 3 Jan 90") and str(messages[0].published) == "1990-01-03"
    assert (len(messages[0].templates), messages[1].templates, messages[1].unscored) == (2, [], 0)


def test_a_mixed_case_copy_is_read_instead_of_the_upper_case_file(tmp_path):
    root = write_folder(tmp_path / "tst9", MESSAGES.upper())
    (root / "tst9-muc4.mixed-case").write_text(MESSAGES, encoding="utf-8")
    assert load_folder(str(root))[0].text.lstrip().startswith("San Salvador")


def test_a_folder_without_keys_is_one_clear_error(tmp_path):
    (tmp_path / "tst9-muc4").write_text(MESSAGES)
    with pytest.raises(ValueError, match="not a MUC-4 folder"):
        load_folder(str(tmp_path))


# ---- perpetrators --------------------------------------------------------------------------------

def test_a_perpetrator_is_the_source_by_its_acronym_its_full_name_or_its_words():
    assert same_organization("FMLN", {"name": "Farabundo Marti National Liberation Front"})
    assert same_organization("FARABUNDO MARTI NATIONAL LIBERATION FRONT", {"name": "Farabundo Martí National "
                                                                                  "Liberation Front"})
    assert same_organization("ARMED FORCES", {"name": "Salvadoran Armed Forces"})


def test_another_organization_is_not_the_perpetrator():
    assert not same_organization("SHINING PATH", {"name": "Peruvian police"})
    assert not same_organization("FMLN", None)


# ---- scoring -------------------------------------------------------------------------------------

def event(kind: str, source: str | None = None) -> dict:
    return {"type": kind, "trigger": "x", "source": {"name": source} if source else None, "target": None}


def scored(message: Message, events: list[dict]) -> Tally:
    tally = Tally()
    score_message(message, {"events": events}, scored_types(load_mapping()), tally)
    return tally


def first_message(tmp_path) -> Message:
    return load_folder(str(write_folder(tmp_path / "tst9")))[0]


def test_an_assault_in_the_message_finds_its_bombing_and_the_optional_template_is_not_counted(tmp_path):
    tally = scored(first_message(tmp_path), [event("ASSAULT", "FMLN")])
    assert (tally.per["ASSAULT"]["gold"], tally.per["ASSAULT"]["hit"], tally.c["optional_templates"]) == (1, 1, 1)
    assert (tally.c["perpetrator_checked"], tally.c["perpetrator_agree"]) == (1, 1)


def test_every_assault_of_the_message_answers_its_templates(tmp_path):
    tally = scored(first_message(tmp_path), [event("ASSAULT"), event("ASSAULT"), event("THREATEN")])
    assert (tally.per["ASSAULT"]["found"], tally.per["ASSAULT"]["correct"]) == (2, 2)
    assert (tally.per["THREATEN"]["found"], tally.per["THREATEN"]["correct"]) == (1, 0)
    assert tally.c["perpetrator_without_source"] == 1


def test_an_event_in_a_message_without_incident_is_extra_and_other_types_are_not_scored(tmp_path):
    second = load_folder(str(write_folder(tmp_path / "tst9")))[1]
    tally = scored(second, [event("ASSAULT"), event("AGREE")])
    assert (tally.per["ASSAULT"]["found"], tally.per["ASSAULT"]["correct"], "AGREE" in tally.per) == (1, 0, False)


# ---- baselines and the command -------------------------------------------------------------------

def test_each_folder_is_its_own_baseline(tmp_path):
    for name in ("dev", "tst3"):
        (tmp_path / name).mkdir()
    assert (baseline_key(str(tmp_path / "dev"), "muc"), baseline_key(str(tmp_path / "tst3"), "muc"),
            baseline_key(str(tmp_path / "dev"), "muc", 200)) == ("muc", "muc:tst3", "muc:first200")


def test_the_written_messages_are_scored_end_to_end(tmp_path):
    report = evaluate("muc", str(write_folder(tmp_path / "tst9")))
    s = report.scores
    assert (report.items, report.skipped, s["messages"], s["relevant_messages"], s["templates"]) == (2, 0, 2, 1, 1)


def test_a_limit_scores_the_first_messages(tmp_path):
    assert evaluate("muc", str(write_folder(tmp_path / "tst9")), limit=1).items == 1


def test_a_limit_is_refused_for_the_teams_own_gold_sets():
    with pytest.raises(ValueError, match="a limit applies to the third-party kinds"):
        evaluate("events", "gold/events.jsonl", limit=3)


def test_the_command_rejects_a_folder_that_is_not_muc(tmp_path):
    result = subprocess.run([sys.executable, "-m", "eventwire.cli", "evaluate", "muc", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"eventwire: {tmp_path}: not a MUC-4 folder "
                                                  "(expected message files and key-* files beside them)"]


# ---- the real corpus -----------------------------------------------------------------------------

TST3 = "../shared/corpus/muc34/TASK/CORPORA/tst3"     # as run from the repository: the baseline's key
GATED_MESSAGES = 30                                   # the first messages of tst3: a third of the run's time


def test_every_incident_type_of_the_keys_has_a_decision(corpus):
    """Each incident type in every key file has a row (mapped or "-"): none is left out unawares."""
    import re
    listed = {incident for incident, _, _ in load_mapping()}
    keys = [p.read_text(encoding="utf-8", errors="replace") for p in (corpus / "muc34").rglob("key-*")]
    found = {t.strip("? ") for key in keys for line in re.findall(r"^4\.\s+INCIDENT: TYPE\s+(.*)$", key, re.M)
             for t in line.split(" / ")} - {"*", "-", ""}
    assert found and found <= listed, found - listed


def test_muc_tst3_holds_its_baseline(corpus):
    from test_evaluate import check_third_party
    report = evaluate("muc", str(corpus / "muc34" / "TASK" / "CORPORA" / "tst3"), limit=GATED_MESSAGES)
    assert (report.items, report.skipped) == (GATED_MESSAGES, 0)
    check_third_party(report, TST3, GATED_MESSAGES)
