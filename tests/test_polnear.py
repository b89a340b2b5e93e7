"""`eventwire evaluate polnear`: reading brat attributions, names in sources, matching, and the command.

The articles here are the tests' own; the real PolNeAR dev split is gated in test_evaluate.py.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.evaluate import baseline_key, evaluate
from eventwire.evaluate.polnear import (Attribution, Document, head_name, load_split, match_document,
                                        mid_sentence_capitals, read_ann)

TEXT = ('Senate vote delayed\n'
        'Officials said the vote would slip. "We need another week," said Senator Dana Whitfield. '
        'Whitfield spoke after Whitfield\u2019s aide said nothing.\n')


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def ann_line(tid: str, label: str, spans: list[tuple[int, int]], text: str) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in spans)}"


def write_split(root: Path, name: str, text: str, ann_lines: list[str], annotator: str = "aaaa") -> Path:
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(exist_ok=True)
    (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / f"{name}_{annotator}.ann").write_text("\n".join(ann_lines) + "\n", encoding="utf-8")
    return root


def quote_ann(text: str) -> list[str]:
    return [ann_line("T1", "Content", [span(text, '"We need another week,"')], text),
            ann_line("T2", "Cue", [(text.index("said Senator"), text.index("said Senator") + 4)], text),
            ann_line("T3", "Source", [span(text, "Senator Dana Whitfield")], text),
            "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3"]


def source_named(text: str, source: str) -> str | None:
    a = Attribution([span(text, "the vote would slip")], [span(text, source)], source_text=source)
    return head_name(a, text, mid_sentence_capitals(text))


# ---- reading -------------------------------------------------------------------------------------

def test_an_attribution_has_its_content_and_source_text(tmp_path):
    root = write_split(tmp_path, "a", TEXT, quote_ann(TEXT))
    (a,) = read_ann(root / "attributions" / "a_aaaa.ann", TEXT)
    assert (a.content_text, a.source_text) == ('"We need another week,"', "Senator Dana Whitfield")


def test_a_discontinuous_content_keeps_both_fragments(tmp_path):
    parts = [span(TEXT, "Officials said"), span(TEXT, "the vote would slip")]
    lines = [ann_line("T1", "Content", [parts[1], span(TEXT, "We need")], TEXT), "E1\tAttribution:T1 Content:T1"]
    (a,) = read_ann(write_split(tmp_path, "a", TEXT, lines) / "attributions" / "a_aaaa.ann", TEXT)
    assert a.content_text == "the vote would slip We need" and len(a.content) == 2


def test_a_second_content_role_joins_the_first(tmp_path):
    lines = [ann_line("T1", "Content", [span(TEXT, "the vote would slip")], TEXT),
             ann_line("T2", "Content", [span(TEXT, "We need another week")], TEXT),
             "E1\tAttribution:T1 Content:T1 Content2:T2"]
    (a,) = read_ann(write_split(tmp_path, "a", TEXT, lines) / "attributions" / "a_aaaa.ann", TEXT)
    assert a.content_text == "the vote would slip We need another week"


def test_an_attribution_without_source_has_none(tmp_path):
    lines = [ann_line("T1", "Content", [span(TEXT, "the vote would slip")], TEXT),
             "E1\tAttribution-no-source:T1 Content:T1"]
    (a,) = read_ann(write_split(tmp_path, "a", TEXT, lines) / "attributions" / "a_aaaa.ann", TEXT)
    assert a.source == [] and a.source_text == ""


def test_notes_and_stray_lines_are_passed_over(tmp_path):
    lines = quote_ann(TEXT) + ["#1\tAnnotatorNotes T1\tunsure", "stray text"]
    assert len(read_ann(write_split(tmp_path, "a", TEXT, lines) / "attributions" / "a_aaaa.ann", TEXT)) == 1


def test_one_annotator_per_article_the_first_by_name(tmp_path):
    write_split(tmp_path, "a", TEXT, quote_ann(TEXT), annotator="bbbb")
    write_split(tmp_path, "a", TEXT, [], annotator="aaaa")
    (doc,) = load_split(str(tmp_path))
    assert doc.attributions == []


def test_a_folder_that_is_not_a_split_is_one_clear_error(tmp_path):
    with pytest.raises(ValueError, match="not a PolNeAR split"):
        load_split(str(tmp_path))


def test_the_dev_split_is_the_plain_polnear_baseline(tmp_path):
    (tmp_path / "dev").mkdir()
    (tmp_path / "train").mkdir()
    assert (baseline_key(str(tmp_path / "dev"), "polnear"), baseline_key(str(tmp_path / "train"), "polnear")) == \
        ("polnear", "polnear:train")


# ---- names in sources ----------------------------------------------------------------------------

def test_a_full_name_is_its_head():
    assert source_named(TEXT, "Senator Dana Whitfield") == "Senator Dana Whitfield"


def test_a_pronoun_names_nobody():
    text = TEXT + "He said the vote would slip.\n"
    assert source_named(text, "He") is None


def test_a_capitalised_sentence_opener_names_nobody():
    assert source_named(TEXT, "Officials") is None


def test_a_possessor_is_not_the_source():
    assert source_named(TEXT, "Whitfield\u2019s aide") is None


def test_a_name_used_as_a_modifier_names_nobody():
    text = TEXT + "The Whitfield campaign said the vote would slip.\n"
    assert source_named(text, "The Whitfield campaign") is None


def test_an_apposition_and_a_party_tag_are_not_the_head():
    text = TEXT + "Senator Dana Whitfield (D-Ohio), the Senate whip, said the vote would slip.\n"
    assert source_named(text, "Senator Dana Whitfield (D-Ohio), the Senate whip,") == "Senator Dana Whitfield"


def test_a_name_after_a_title_or_an_initial_is_a_name():
    text = TEXT + "The vote would slip, said Sen. Marc H. Morial.\n"
    assert source_named(text, "Sen. Marc H. Morial") == "Marc H. Morial"


def test_a_name_at_the_start_of_a_sentence_is_still_a_name():
    assert source_named(TEXT, "Whitfield") == "Whitfield"


# ---- matching ------------------------------------------------------------------------------------

def quote(text: str, part: str, kind: str = "direct") -> dict:
    s, e = span(text, part)
    return {"start": s, "end": e, "text": part, "type": kind, "speaker": None}


def test_a_quote_without_its_marks_matches_its_content():
    content = '"We need another week,"'
    doc = Document("a", TEXT, [Attribution([span(TEXT, content)], content_text=content)])
    pairs, covered = match_document(doc, [quote(TEXT, "We need another week,")])
    assert [(g, q, exact) for g, q, _, exact in pairs] == [(0, 0, True)] and covered == set()


def test_a_quote_sharing_too_few_words_is_no_match():
    doc = Document("a", TEXT, [Attribution([span(TEXT, "Officials said the vote would slip.")],
                                           content_text="Officials said the vote would slip.")])
    pairs, _ = match_document(doc, [quote(TEXT, "slip")])
    assert pairs == []


def test_the_second_half_of_a_joined_content_is_covered_not_extra():
    parts = ["the vote would slip", "We need another week"]
    doc = Document("a", TEXT, [Attribution([span(TEXT, p) for p in parts], content_text=" ".join(parts))])
    pairs, covered = match_document(doc, [quote(TEXT, p) for p in parts])
    assert len(pairs) == 1 and covered == {1 - pairs[0][1]}


# ---- the whole measure ---------------------------------------------------------------------------

def test_a_found_quote_and_its_speaker_score_fully(tmp_path):
    write_split(tmp_path / "dev", "a", TEXT, quote_ann(TEXT))
    report = evaluate("polnear", str(tmp_path / "dev"))
    s = report.scores
    assert (report.items, s["gold_quoted"], s["matched_quoted"]) == (1, 1, 1)
    assert s["quoted_recall"] == 1.0 and s["speaker_accuracy_quoted_named"] == 1.0


def test_the_command_rejects_a_folder_that_is_not_a_split(tmp_path):
    result = subprocess.run([sys.executable, "-m", "eventwire.cli", "evaluate", "polnear", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"eventwire: {tmp_path}: not a PolNeAR split "
                                                  "(expected text/ and attributions/ folders)"]
