"""The event lexicon and the cue lexicon, loaded from data files (see data/event_lexicon.tsv); and the CAMEO verb
patterns (events.patterns, data/cameo_patterns.tsv) read as entries of the same shape (`cameo_entries`)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..data import rows, split
from . import patterns

DEFAULT_SOURCE = {"VERB": ("subj",), "NOUN": ("poss", "compound", "amod", "govsubj")}
DEFAULT_TARGET = {"VERB": ("obj",), "NOUN": ("prep:against", "prep:on", "prep:with", "prep:to")}


@dataclass(frozen=True)
class Entry:
    trigger: tuple[str, ...]
    pos: str
    type: str
    mode: str | None
    cameo: str | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    flags: frozenset
    line: int

    @property
    def rule(self) -> str:
        return f"lexicon:{' '.join(self.trigger)}/{self.pos.lower()}#{self.line}"


@dataclass(frozen=True)
class Lexicon:
    index: dict            # (head lemma, pos) -> [Entry], more words first
    cues: dict             # lemma -> set of kinds (say, claim, deny, warn, plan, modal, ...)
    hedge_phrases: tuple   # lemma tuples: ("be", "say", "to")

    def entries(self, lemma: str, pos: str) -> list[Entry]:
        return self.index.get((lemma, pos), [])

    def cue(self, lemma: str, kind: str) -> bool:
        return kind in self.cues.get(lemma, ())

    @cached_property
    def derived(self) -> dict:
        """Sets gathered from the lexicon for rules that ask per word, each gathered once."""
        return {}

    def cue_lemmas(self, kinds: tuple[str, ...]) -> frozenset:
        """The lemmas that are a cue of any of these kinds."""
        key = ("cues", kinds)
        if key not in self.derived:
            self.derived[key] = frozenset(l for l, ks in self.cues.items() if any(k in ks for k in kinds))
        return self.derived[key]

    def triggers_of(self, types: frozenset) -> frozenset:
        """(lemma, part of speech) of the trigger words with an entry of any of these event types."""
        key = ("triggers", types)
        if key not in self.derived:
            self.derived[key] = frozenset(k for k, entries in self.index.items()
                                          if any(e.type in types for e in entries))
        return self.derived[key]


def parse_entry(r: dict, line: int) -> Entry | None:
    trigger = tuple(r["trigger"].lower().split())
    pos = (r.get("pos") or "VERB").upper()
    if not trigger or pos not in DEFAULT_SOURCE or not r.get("type"):
        return None
    return Entry(trigger, pos, r["type"].upper(), r.get("mode") or None, r.get("cameo") or None,
                 tuple(split(r.get("source"))) or DEFAULT_SOURCE[pos],
                 tuple(split(r.get("target"))) or DEFAULT_TARGET[pos],
                 frozenset(f.strip() for f in (r.get("flags") or "").split(",") if f.strip()), line)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    index = defaultdict(list)
    for line, r in enumerate(rows("event_lexicon.tsv"), 1):
        entry = parse_entry(r, line)
        if entry:
            index[(entry.trigger[0], entry.pos)].append(entry)
    for entries in index.values():
        entries.sort(key=lambda e: -len(e.trigger))
    cues, hedges = defaultdict(set), []
    for r in rows("cues.tsv"):
        lemma = r["lemma"].lower().strip()
        if " " in lemma:
            hedges.append(tuple(lemma.split()))
        cues[lemma].add(r["kind"].strip())
    return Lexicon(dict(index), dict(cues), tuple(hedges))


@dataclass(frozen=True)
class PatternEntry(Entry):
    """An entry made by a CAMEO verb pattern for one verb token: its rule names the dictionary line that fired
    (`cameo:<line of CAMEO.2.0.txt>`), its companions are the tokens of the pattern's words."""
    pattern: int = 0                       # the line of CAMEO.2.0.txt (a pattern's, or the verb's for its bare code)
    companions: tuple[int, ...] = ()       # doc positions of the pattern's words and a multiword verb's others
    content: int = 0                       # the pattern's content words (0: a bare code, "* (to)", "* back")

    @property
    def rule(self) -> str:
        return f"cameo:{self.pattern}"


def cameo_entries(token, scope: str = "block") -> list[PatternEntry]:
    """The events the CAMEO pattern that decides this verb token's code stands for: none when no pattern or
    bare code applies, or when the winning line is no event ('---', a statement); one for a code; two for a
    pair ("rushed to Moscow": a visit by the subject and its hosting by Moscow, [042:043]); one marked
    symmetric for a mutual pair ([050:050]). Not used by the extraction yet."""
    return match_entries(patterns.best_match(token, scope), token)


def match_entries(match, token) -> list[PatternEntry]:
    """The entries of a pattern match (events.patterns.Match) on this verb token; see cameo_entries."""
    if match is None or not match.is_event:
        return []
    c = match.codes
    source, target = pattern_slots(match)
    trigger = (match.verb.lemma, *(token.doc[i].lemma_.lower() for i in match.tokens if i != token.i))
    out = []
    common = dict(trigger=trigger, pos="VERB", line=match.id, pattern=match.id, companions=match.tokens,
                  content=match.pattern.content if match.pattern else 0)
    if c.type and c.code == c.reverse:
        return [PatternEntry(type=c.type, mode=c.mode or None, cameo=c.code, source=source, target=target,
                             flags=frozenset({"cameo", "symmetric"}), **common)]
    if c.type:
        out.append(PatternEntry(type=c.type, mode=c.mode or None, cameo=c.code, source=source, target=target,
                                flags=frozenset({"cameo"}), **common))
    if c.reverse_type:
        out.append(PatternEntry(type=c.reverse_type, mode=c.reverse_mode or None, cameo=c.reverse, source=target,
                                target=source, flags=frozenset({"cameo", "reverse"}), **common))
    return out


def pattern_slots(match) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The frame slots a pattern's event takes its source and target from: where its '$' and '+' markers sit
    (before the verb: the subject; in "(to +)" or after a bare "toward": that preposition's object; elsewhere
    after the verb: the object), else the subject and the object, after the prepositions the pattern leaves
    empty ("rushed (to)": the one visited is the object of "to")."""
    p = match.pattern
    if p is None:
        return DEFAULT_SOURCE["VERB"], DEFAULT_TARGET["VERB"]
    marks = marker_slots(p)
    empty_preps = tuple(f"prep:{e.text}" for e in p.after if e.kind == "prep" and not e.inner)
    source = (marks["$"],) if "$" in marks else ("subj",)
    target = (marks["+"],) if "+" in marks else (*empty_preps, "obj", "dative")
    if marks.get("+") == "subj" and "$" not in marks:
        source = ("prep:by",)
    return source, target


def marker_slots(p) -> dict[str, str]:
    slots = {}
    for e in p.before:
        if e.kind == "marker" and e.text in "+$":
            slots.setdefault(e.text, "subj")
    previous = None
    for e in p.after:
        if e.kind == "marker" and e.text in "+$":
            bare_prep = previous is not None and previous.kind == "word" and previous.text in patterns.PREPOSITIONS
            slots.setdefault(e.text, f"prep:{previous.text}" if bare_prep else "obj")
        elif e.kind == "prep":
            for inner in e.inner:
                if inner.kind == "marker" and inner.text in "+$":
                    slots.setdefault(inner.text, f"prep:{e.text}")
        previous = e
    return slots
