"""`eventwire evaluate wikievents`: the KAIROS-to-PLOVER mapping, reading a split, matching, and the command.

The documents here are the tests' own, written in the split's shape; the real dev split is gated in
test_evaluate.py.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.evaluate import baseline_key, baseline_path, evaluate
from eventwire.evaluate.wikievents import (Tally, article_layout, load_mapping, load_split, mapping_of,
                                           score_document, scored_types)
from eventwire.ontology import PLOVER_TYPES

SENTENCES = ["Rebels attacked an army convoy near Aleppo on Monday, killing four soldiers.",
             "Turkish police arrested two suspects in Istanbul.",
             "The minister said the talks would continue."]


def tokens_of(sentences: list[str], gap: str = " ") -> list:
    """Sentences as the split stores them: [[word, start, end] ...] with offsets into the original text, where
    `gap` stood between sentences, and the sentence text."""
    out, at = [], 0
    for sentence in sentences:
        words = [[m.group(), at + m.start(), at + m.end()] for m in re.finditer(r"\w+|[^\w\s]", sentence)]
        out.append([words, sentence])
        at += len(sentence) + len(gap)
    return out


def index_of(sentences, sentence: int, word: str) -> int:
    """The document-wide index of a word of a sentence."""
    before = sum(len(words) for words, _ in sentences[:sentence])
    return before + [w for w, _, _ in sentences[sentence][0]].index(word)


def mention(sentences, sentence: int, word: str, n: int = 1) -> dict:
    start = index_of(sentences, sentence, word)
    return {"start": start, "end": start + n, "sent_idx": sentence}


def written_document(doc_id: str = "written_1") -> dict:
    sentences = tokens_of(SENTENCES)
    entity = lambda eid, s, w, n=1: {"id": eid, **mention(sentences, s, w, n), "text": w}  # noqa: E731
    return {"doc_id": doc_id, "tokens": [w for words, _ in sentences for w, _, _ in words],
            "text": "".join(SENTENCES),     # the split's own text, breaks lost: never read
            "sentences": sentences,
            "entity_mentions": [entity("E1", 0, "Rebels"), entity("E2", 0, "army", 2), entity("E3", 0, "soldiers"),
                                entity("E4", 1, "police"), entity("E5", 1, "suspects")],
            "event_mentions": [
                {"id": "V1", "event_type": "Conflict.Attack.Unspecified",
                 "trigger": {**mention(sentences, 0, "attacked"), "text": "attacked"},
                 "arguments": [{"entity_id": "E1", "role": "Attacker"}, {"entity_id": "E2", "role": "Target"}]},
                {"id": "V2", "event_type": "Life.Die.Unspecified",
                 "trigger": {**mention(sentences, 0, "killing"), "text": "killing"},
                 "arguments": [{"entity_id": "E3", "role": "Victim"}]},
                {"id": "V3", "event_type": "Justice.ArrestJailDetain.Unspecified",
                 "trigger": {**mention(sentences, 1, "arrested"), "text": "arrested"},
                 "arguments": [{"entity_id": "E4", "role": "Jailer"}, {"entity_id": "E5", "role": "Detainee"}]},
                {"id": "V4", "event_type": "Contact.Contact.Broadcast",
                 "trigger": {**mention(sentences, 2, "said"), "text": "said"}, "arguments": []}]}


def write_split(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


# ---- the mapping ---------------------------------------------------------------------------------

def test_a_subtype_takes_its_types_row():
    assert mapping_of("Conflict.Attack.DetonateExplode", set(), load_mapping()).plover == "ASSAULT"


def test_the_longest_listed_prefix_decides():
    mapping = load_mapping()
    assert (mapping_of("Contact.Contact.Meet", set(), mapping).plover,
            mapping_of("Contact.Contact.Broadcast", set(), mapping)) == ("CONSULT", None)


def test_a_death_is_an_assault_only_when_someone_killed():
    mapping = load_mapping()
    assert mapping_of("Life.Die.Unspecified", {"Victim"}, mapping) is None
    assert mapping_of("Life.Die.Unspecified", {"Victim", "Killer"}, mapping).plover == "ASSAULT"


def test_a_type_the_file_does_not_list_is_not_scored():
    assert mapping_of("Weather.Rain.Unspecified", set(), load_mapping()) is None


def test_rows_given_as_data_are_read_like_the_file():
    mapping = load_mapping([{"kairos": "Conflict.Attack", "plover": "ASSAULT", "source_roles": "Attacker|Killer",
                             "target_roles": "Target", "needs_role": ""},
                            {"kairos": "Cognitive", "plover": "-"}])
    assert mapping["Conflict.Attack"].source_roles == {"Attacker", "Killer"}
    assert mapping_of("Cognitive.Research.Unspecified", set(), mapping) is None
    assert scored_types(mapping) == {"ASSAULT"}


def test_every_mapped_type_is_a_plover_type():
    assert scored_types(load_mapping()) <= set(PLOVER_TYPES)


# ---- reading the split ---------------------------------------------------------------------------

def test_the_article_is_the_sentences_one_a_line():
    text, spans, _ = article_layout(tokens_of(SENTENCES))
    assert text.splitlines() == SENTENCES
    assert [text[s:e] for s, e in spans] == SENTENCES


def test_a_gold_trigger_points_at_its_word_whatever_stood_between_sentences():
    for gap in ("", " ", "\n\n\n"):
        doc = written_document()
        doc["sentences"] = tokens_of(SENTENCES, gap)
        document = load_one(doc)
        assert [document.text[s:e] for s, e in (g.trigger for g in document.events)] == ["attacked", "arrested"]


def test_a_line_break_inside_a_sentence_becomes_a_space():
    sentences = tokens_of(["Police\nsaid so."])
    text, _, _ = article_layout(sentences)
    assert text == "Police said so."


def load_one(doc: dict):
    from eventwire.evaluate.wikievents import read_document
    return read_document(doc, load_mapping())


def test_unmapped_gold_events_are_counted_not_scored():
    document = load_one(written_document())
    assert [(g.kairos, g.plover) for g in document.events] == [("Conflict.Attack.Unspecified", "ASSAULT"),
                                                                ("Justice.ArrestJailDetain.Unspecified", "COERCE")]
    assert document.unscored == {"Life.Die.Unspecified": 1, "Contact.Contact.Broadcast": 1}


def test_arguments_in_the_rows_roles_are_the_source_and_target():
    document = load_one(written_document())
    attack = document.events[0]
    assert ([document.text[s:e] for s, e in attack.sources], [document.text[s:e] for s, e in attack.targets]) == \
        (["Rebels"], ["army convoy"])


def test_a_file_that_is_not_a_split_is_one_clear_error(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"id": 1}\n')
    with pytest.raises(ValueError, match="not a WikiEvents split"):
        load_split(str(tmp_path / "x.jsonl"))


# ---- matching ------------------------------------------------------------------------------------

def found_event(document, kind: str, sentence: int, trigger: str, source=None, target=None) -> dict:
    start = document.text.index(SENTENCES[sentence])
    end = start + len(SENTENCES[sentence])
    at = document.text.index(trigger, start)
    return {"type": kind, "trigger": trigger, "source": source, "target": target,
            "mentions": [{"start": start, "end": end, "sentence": sentence, "text": SENTENCES[sentence],
                          "trigger_start": at, "trigger_end": at + len(trigger)}]}


def actor(document, name: str, country: str | None, phrase: str) -> dict:
    at = document.text.index(phrase)
    return {"name": name, "country": country, "code": country, "mentions": [{"start": at, "end": at + len(phrase)}]}


def scored(document, events: list[dict], actors: list[dict] = ()) -> Tally:
    tally = Tally()
    score_document(document, {"events": events, "actors": list(actors)}, scored_types(load_mapping()), tally)
    return tally


def test_an_event_of_the_type_in_the_triggers_sentence_finds_it():
    document = load_one(written_document())
    tally = scored(document, [found_event(document, "ASSAULT", 0, "attacked")])
    assert (tally.per["ASSAULT"]["hit"], tally.per["ASSAULT"]["correct"], tally.per["COERCE"]["hit"]) == (1, 1, 0)


def test_an_event_of_another_type_or_sentence_finds_nothing_and_is_extra():
    document = load_one(written_document())
    tally = scored(document, [found_event(document, "COERCE", 0, "attacked"),
                              found_event(document, "ASSAULT", 1, "arrested")])
    assert tally.per["ASSAULT"]["hit"] == tally.per["COERCE"]["hit"] == 0
    assert tally.per["ASSAULT"]["found"] - tally.per["ASSAULT"]["correct"] == 1


def test_events_of_types_no_kairos_type_maps_to_are_not_scored():
    document = load_one(written_document())
    tally = scored(document, [found_event(document, "AGREE", 2, "said")])
    assert "AGREE" not in tally.per


def test_the_source_and_target_countries_agree_through_the_actors_at_the_gold_arguments():
    document = load_one(written_document())
    rebels = actor(document, "rebels", "SYR", "Rebels")
    army = actor(document, "Syrian army", "SYR", "army")
    police = actor(document, "Turkish police", "TUR", "police")
    tally = scored(document, [found_event(document, "ASSAULT", 0, "attacked", rebels, army),
                              found_event(document, "COERCE", 1, "arrested", police, None)],
                   [rebels, army, police])
    assert dict(tally.agree) == {"source_checked": 2, "source_agree": 2, "target_checked": 1, "target_agree": 1}


# ---- baselines and the command -------------------------------------------------------------------

def test_the_dev_split_is_the_plain_wikievents_baseline_and_a_limit_has_its_own():
    assert (baseline_key("../shared/corpus/wikievents/dev.jsonl", "wikievents"),
            baseline_key("../shared/corpus/wikievents/test.jsonl", "wikievents"),
            baseline_key("../shared/corpus/wikievents/test.jsonl", "wikievents", 5)) == \
        ("wikievents", "wikievents:test", "wikievents:test:first5")


def test_its_baseline_lives_in_the_repository_not_beside_the_corpus(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gold").mkdir()
    assert baseline_path("../shared/corpus/wikievents/dev.jsonl", "wikievents") == Path("gold/baseline.json").resolve()


def test_the_written_document_is_scored_end_to_end(tmp_path):
    report = evaluate("wikievents", str(write_split(tmp_path / "dev.jsonl", [written_document()])))
    assert (report.items, report.skipped, report.scores["gold_events"], report.scores["unscored_gold_events"]) == \
        (1, 0, 2, 2)
    assert report.per_type["ASSAULT"]["gold"] == 1


def test_a_limit_scores_the_first_documents(tmp_path):
    path = write_split(tmp_path / "dev.jsonl", [written_document("a"), written_document("b")])
    assert evaluate("wikievents", str(path), limit=1).items == 1


def test_the_command_rejects_a_file_that_is_not_a_split(tmp_path):
    (tmp_path / "x.jsonl").write_text("not json\n")
    command = [sys.executable, "-m", "eventwire.cli", "evaluate", "wikievents", str(tmp_path / "x.jsonl")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"eventwire: {tmp_path / 'x.jsonl'}: not a WikiEvents split "
                                                  "(expected JSON lines with doc_id, sentences and event_mentions)"]


# ---- the real corpus -----------------------------------------------------------------------------

DEV = "../shared/corpus/wikievents/dev.jsonl"        # as run from the repository: the baseline's key


def test_every_kairos_type_the_corpus_uses_has_a_decision(corpus):
    """Each type of the ontology and of both splits has a row (mapped or "-"): none is left out unawares."""
    mapping = load_mapping()
    types = set(json.loads((corpus / "wikievents" / "event_role_KAIROS.json").read_text()))
    for split in ("dev", "test"):
        for line in (corpus / "wikievents" / f"{split}.jsonl").read_text().splitlines():
            types |= {e["event_type"] for e in json.loads(line)["event_mentions"]}
    undecided = [t for t in sorted(types)
                 if not any(".".join(t.split(".")[:n]) in mapping for n in range(1, t.count(".") + 2))]
    assert undecided == []


def test_wikievents_dev_holds_its_baseline(corpus):
    from test_evaluate import check_third_party
    report = evaluate("wikievents", str(corpus / "wikievents" / "dev.jsonl"))
    assert (report.items, report.skipped, report.scores["gold_events"], report.scores["unscored_gold_events"]) == \
        (20, 0, 169, 176)
    check_third_party(report, DEV)
