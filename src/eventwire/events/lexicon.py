"""The event lexicon and the cue lexicon, loaded from data files (see data/event_lexicon.tsv)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..data import rows, split

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
