"""WikiEvents: eventwire's events scored against a third-party corpus annotated with KAIROS event types.

WikiEvents (Li, Ji and Han, NAACL 2021) holds news documents cited by Wikipedia, one a line of a split file
(dev.jsonl, test.jsonl): `sentences`, each a list of [word, start, end] tokens and the sentence's text;
`entity_mentions` and `event_mentions` (a KAIROS type, a trigger, arguments with roles), placed by token index
(end exclusive). The file's `text` field has lost the breaks between sentences ("in SyriaThe desert"), so the
article extracted here is the sentences one a line, and every gold token is carried into that text.

Definitions (the README's evaluate section states them for users):
- Mapped: a gold event whose KAIROS type data/kairos_plover.tsv maps to a PLOVER type (the longest listed prefix
  of the type decides; a row may need an argument role: a death is an assault only when someone killed). Gold
  events of other types are counted as unscored and otherwise ignored.
- Found: some extracted event of the mapped PLOVER type has a mention (its sentence) overlapping the gold
  trigger's sentence. One extracted event may answer several gold events of its sentence (a bombing annotated
  both as an attack and as an explosion).
- Precision: over the extracted events of the PLOVER types the mapping yields; one is correct when some mapped
  gold event of its type lies in one of its sentences.
- Country agreement, on found gold events: a gold argument in one of the row's source roles (Attacker ...) or
  target roles (Target, Victim ...) is taken to be the extracted actor whose mention overlaps it most; when that
  actor has a country (or is an IGO) the extracted event's source (target) must have the same. The event compared
  is the one answering the gold event whose trigger lies nearest the gold trigger.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..data import rows, split
from .score import actor_at_span, code_of, overlaps, two_sided

MAPPING_FILE = "kairos_plover.tsv"
LINE_BREAK = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
NOT_A_SPLIT = "not a WikiEvents split (expected JSON lines with doc_id, sentences and event_mentions)"


@dataclass(frozen=True)
class Mapping:
    kairos: str
    plover: str | None
    source_roles: frozenset = frozenset()
    target_roles: frozenset = frozenset()
    needs_role: str | None = None


@dataclass
class GoldEvent:
    kairos: str
    plover: str
    sentence: tuple[int, int]               # the trigger's sentence, as offsets in the article text
    trigger: tuple[int, int]
    trigger_text: str
    sources: list[tuple[int, int]] = field(default_factory=list)    # arguments in a source role
    targets: list[tuple[int, int]] = field(default_factory=list)    # arguments in a target role


@dataclass
class Document:
    name: str
    text: str
    events: list[GoldEvent]
    unscored: Counter = field(default_factory=Counter)             # KAIROS types of gold events not mapped


# ---- the mapping ---------------------------------------------------------------------------------

def load_mapping(table=None) -> dict[str, Mapping]:
    """data/kairos_plover.tsv (or rows of that shape) by KAIROS type or prefix."""
    out = {}
    for r in rows(MAPPING_FILE) if table is None else table:
        plover = r.get("plover") or "-"
        out[r["kairos"]] = Mapping(r["kairos"], None if plover == "-" else plover,
                                   frozenset(split(r.get("source_roles"))), frozenset(split(r.get("target_roles"))),
                                   r.get("needs_role") or None)
    return out


def mapping_of(kairos_type: str, roles: set[str], mapping: dict[str, Mapping]) -> Mapping | None:
    """The row of the longest listed prefix of a type; None when no prefix is listed, its PLOVER type is "-", or the
    event lacks the role the row needs."""
    parts = kairos_type.split(".")
    for n in range(len(parts), 0, -1):
        row = mapping.get(".".join(parts[:n]))
        if row is not None:
            return row if row.plover and (not row.needs_role or row.needs_role in roles) else None
    return None


def scored_types(mapping: dict[str, Mapping]) -> frozenset:
    """The PLOVER types some KAIROS type maps to: extracted events of these are scored for precision."""
    return frozenset(m.plover for m in mapping.values() if m.plover)


# ---- reading the split ---------------------------------------------------------------------------

def article_layout(sentences: list) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, int]]]:
    """The article: one line per gold sentence (to its last token; a line break inside one becomes a space).
    Returns the text, each sentence's span in it, and each token's (start, end, sentence index) in it."""
    lines, spans, tokens, at = [], [], [], 0
    for index, (words, sentence_text) in enumerate(sentences):
        first = words[0][1] if words else 0
        line = LINE_BREAK.sub(" ", sentence_text[:words[-1][2] - first] if words else "")
        tokens += [(at + start - first, at + end - first, index) for _, start, end in words]
        spans.append((at, at + len(line)))
        lines.append(line)
        at += len(line) + 1
    return "\n".join(lines), spans, tokens


def token_span(tokens: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """Character span of tokens [start, end)."""
    return tokens[start][0], tokens[max(start, end - 1)][1]


def argument_spans(event: dict, entities: dict, roles: frozenset, tokens) -> list[tuple[int, int]]:
    return [token_span(tokens, entities[a["entity_id"]]["start"], entities[a["entity_id"]]["end"])
            for a in event.get("arguments", []) if a.get("role") in roles and a.get("entity_id") in entities]


def read_document(data: dict, mapping: dict[str, Mapping]) -> Document:
    """One line of the split: its article text and its mapped gold events, with offsets into that text."""
    text, sentences, tokens = article_layout(data["sentences"])
    entities = {m["id"]: m for m in data.get("entity_mentions", [])}
    events, unscored = [], Counter()
    for e in data["event_mentions"]:
        row = mapping_of(e["event_type"], {a.get("role") for a in e.get("arguments", [])}, mapping)
        if row is None:
            unscored[e["event_type"]] += 1
            continue
        t = e["trigger"]
        start, end = token_span(tokens, t["start"], t["end"])
        events.append(GoldEvent(e["event_type"], row.plover, sentences[tokens[t["start"]][2]], (start, end),
                                t.get("text", text[start:end]),
                                argument_spans(e, entities, row.source_roles, tokens),
                                argument_spans(e, entities, row.target_roles, tokens)))
    return Document(data["doc_id"], text, events, unscored)


def load_split(path: str, mapping: dict[str, Mapping] | None = None) -> list[Document]:
    """Every document of a split file, in file order."""
    mapping = load_mapping() if mapping is None else mapping
    if not Path(path).is_file():
        raise ValueError(f"{path}: {NOT_A_SPLIT}")
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                docs.append(read_document(json.loads(line), mapping))
            except (ValueError, KeyError, IndexError, TypeError) as e:
                raise ValueError(f"{path}: {NOT_A_SPLIT}") from e
    if not docs:
        raise ValueError(f"{path}: {NOT_A_SPLIT}")
    return docs


# ---- scoring -------------------------------------------------------------------------------------

class Tally:
    """Counts behind the scores: per PLOVER type gold, hit, found and correct; country checks; unscored types."""

    def __init__(self):
        self.per: dict[str, Counter] = defaultdict(Counter)
        self.agree = Counter()
        self.unscored = Counter()
        self.diffs: list[str] = []


def event_sentences(event: dict) -> list[tuple[int, int]]:
    return [(m["start"], m["end"]) for m in event["mentions"] if m.get("field", "text") == "text"]


def answers(event: dict, gold: GoldEvent) -> bool:
    """An extracted event answers a gold one: the same PLOVER type, told in the gold trigger's sentence."""
    return event["type"] == gold.plover and any(overlaps(s, e, *gold.sentence) for s, e in event_sentences(event))


def nearest(events: list[dict], gold: GoldEvent) -> dict:
    """Of the events answering a gold event, the one whose trigger lies nearest the gold trigger."""
    def distance(event: dict) -> int:
        starts = [m["trigger_start"] for m in event["mentions"] if m.get("trigger_start") is not None]
        return min((abs(s - gold.trigger[0]) for s in starts), default=10**9)
    return min(events, key=distance)


def gold_country(extracted: dict, spans: list[tuple[int, int]]) -> str | None:
    """The country (or IGO) of the extracted actor a gold argument names: the first argument whose best-overlapping
    actor has one."""
    for start, end in spans:
        code = code_of(actor_at_span(extracted, start, end))
        if code:
            return code
    return None


def count_agreement(doc: Document, gold: GoldEvent, event: dict, extracted: dict, t: Tally) -> None:
    for side, spans in (("source", gold.sources), ("target", gold.targets)):
        expected = gold_country(extracted, spans)
        if expected is None:
            continue
        got = code_of(event.get(side))
        t.agree[f"{side}_checked"] += 1
        t.agree[f"{side}_agree"] += got == expected
        if got != expected:
            t.diffs.append(f"{doc.name}@{gold.trigger[0]}: {gold.plover} {gold.trigger_text!r} {side} "
                           f"gold {expected} got {got}")


def score_document(doc: Document, extracted: dict, types: frozenset, t: Tally) -> None:
    """One document: each mapped gold event found or missed, each extracted event of a scored type right or extra."""
    found = [e for e in extracted["events"] if e["type"] in types]
    for gold in doc.events:
        row = t.per[gold.plover]
        row["gold"] += 1
        answering = [e for e in found if answers(e, gold)]
        if not answering:
            t.diffs.append(f"{doc.name}@{gold.trigger[0]}: missed {gold.plover} ({gold.kairos} {gold.trigger_text!r})")
            continue
        row["hit"] += 1
        count_agreement(doc, gold, nearest(answering, gold), extracted, t)
    for e in found:
        row = t.per[e["type"]]
        row["found"] += 1
        if any(answers(e, gold) for gold in doc.events):
            row["correct"] += 1
        else:
            at = e["mentions"][0]["start"] if e["mentions"] else 0
            t.diffs.append(f"{doc.name}@{at}: extra {e['type']} {e['trigger']!r} "
                           f"{code_of(e.get('source'))}->{code_of(e.get('target'))}")
    t.unscored.update(doc.unscored)


def scores_of(t: Tally) -> tuple[dict, dict]:
    totals = Counter()
    for row in t.per.values():
        totals.update(row)
    both = two_sided(totals["gold"], totals["hit"], totals["found"], totals["correct"])
    ratio = lambda a, b: t.agree[a] / t.agree[b] if t.agree[b] else 0.0  # noqa: E731
    scores = {"precision": both["precision"], "recall": both["recall"], "f1": both["f1"],
              "tp": both["tp"], "fp": both["fp"], "fn": both["fn"],
              "gold_events": totals["gold"], "found_events": totals["found"],
              "unscored_gold_events": sum(t.unscored.values()),
              "source_country_agreement": ratio("source_agree", "source_checked"),
              "target_country_agreement": ratio("target_agree", "target_checked"),
              "source_checked": t.agree["source_checked"], "target_checked": t.agree["target_checked"]}
    per_type = {name: two_sided(c["gold"], c["hit"], c["found"], c["correct"]) for name, c in t.per.items()}
    return scores, per_type


def evaluate_wikievents(path: str, model: str | None = None, limit: int | None = None):
    """Extract the documents of a WikiEvents split (the first `limit` of them) and score their events."""
    from . import Report, extract_all
    from .corpus import Located
    from ..read.text import article_from_text
    mapping = load_mapping()
    docs = load_split(path, mapping)[:limit]
    # read as `eventwire ingest` reads a .txt (the first line, the headline, as title), from the text the offsets index
    located = [Located((d.name,), article_from_text(d.text, d.name), 0, len(d.text)) for d in docs]
    extractions = extract_all(located, model)
    tally, types, skipped = Tally(), scored_types(mapping), 0
    for d in docs:
        x = extractions.get((d.name,))
        skipped += x is None
        score_document(d, x.to_dict() if x else {"events": [], "actors": []}, types, tally)
    scores, per_type = scores_of(tally)
    return Report("wikievents", len(docs), skipped, scores, per_type, tally.diffs,
                  skip_reason="extraction failed; their gold events count as missed")
