"""Finding actor-bearing words in a parsed paragraph: knowledge-base phrases and named persons."""
from __future__ import annotations

from dataclasses import dataclass

from ..nlp import ents_of
from .kb import AMBIGUOUS, MAX_PHRASE_TOKENS, Entry, KnowledgeBase

# Courtesy titles precede a name but are not part of it ("Mr Blair" is Blair).
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lord", "lady", "prof",
              "prof.", "professor", "gen", "gen.", "col", "col.", "sen", "sen.", "rep", "rep.", "president",
              "minister", "sheikh", "ayatollah", "king", "queen", "prince", "princess", "pope", "father",
              "rev", "rev.", "reverend", "monsignor", "mgr", "msgr", "senor", "senora", "don", "dona",
              "comrade", "brother", "sister", "judge", "justice", "colonel", "general", "captain", "lt",
              "major", "commander", "governor", "mayor", "senator", "chancellor"}
PERSON_LABELS = {"PERSON"}


def role_words() -> set:
    from .kb import kb
    return {title for title in kb().roles if " " not in title}


@dataclass
class Span:
    start: int        # token index in the paragraph's Doc
    end: int
    entry: Entry | None = None
    person: str | None = None   # the name as written, honorifics removed


def kb_spans(doc, kb: KnowledgeBase) -> list[Span]:
    """Longest knowledge-base phrases, left to right, never overlapping. A line break inside a name (wire
    copy is hard-wrapped: "the Ministry of International Trade and\nIndustry") is no part of it."""
    spans, j = [], 0
    words = [t for t in doc if not t.is_space]
    lowers = [t.lower_ for t in words]
    capitalized = [t.text[:1].isupper() for t in words]      # a name starts with a capital (see plausible)
    n = len(words)
    while j < n:
        found = None
        longest = kb.longest.get(lowers[j], 0) if capitalized[j] else 0
        for size in range(min(MAX_PHRASE_TOKENS, n - j, longest), 0, -1):
            key = tuple(lowers[j:j + size])
            entry = kb.phrases.get(key)
            if entry is None:
                continue
            start, end = words[j].i, words[j + size - 1].i + 1
            if plausible(doc[start:end], entry) and (key not in kb.exact_case
                                                     or exact_spelling(doc[start:end]) in kb.exact_case[key]):
                found = (Span(start, end, entry), size)
                break
        if found:
            spans.append(found[0])
            j += found[1]
        else:
            j += 1
    return spans


def exact_spelling(span) -> str:
    """The span as written, a line break or a run of spaces read as one space."""
    return " ".join(span.text.split())


def plausible(span, entry: Entry) -> bool:
    """A name is written as one: capitalized, not a pronoun ("us"), not a common word used as one."""
    first = span[0]
    if first.tag_ in ("PRP", "PRP$") or not first.text[:1].isupper():
        return False
    return not (len(span) == 1 and first.lower_ in AMBIGUOUS and first.pos_ != "PROPN")


def person_spans(doc, taken: list[Span]) -> list[Span]:
    """Named persons from the entity recognizer, outside knowledge-base phrases, honorifics trimmed."""
    occupied = {i for s in taken for i in range(s.start, s.end)}
    out = []
    for ent in ents_of(doc):
        if ent.label_ not in PERSON_LABELS:
            continue
        tokens = list(ent)
        while len(tokens) > 1 and (tokens[0].lower_ in HONORIFICS or tokens[0].lower_ in role_words()):
            tokens = tokens[1:]     # "Archbishop Desmond Tutu" is Desmond Tutu, an archbishop
        tokens = [t for t in tokens if t.i not in occupied and t.tag_ != "POS" and t.text not in ("'s", "'")]
        while tokens and not tokens[0].text[:1].isupper():
            tokens = tokens[1:]      # a name starts with a capital: "rang Lucy" is Lucy
        if not tokens:
            continue
        start, end = tokens[0].i, tokens[-1].i + 1
        name = " ".join(t.text for t in doc[start:end] if t.tag_ != "POS")
        if is_place_name(name) or after_organization(doc, start, end, occupied) or has_verb(tokens):
            continue
        out.append(Span(start, end, person=name))
    return out


def is_place_name(name: str) -> bool:
    """A name that is a large place and no known person ("San Pedro Sula" taken for a man) names the place."""
    from ..gazetteer import gazetteer
    from .known import dictionary_role
    from .kb import kb
    if len(name.split()) < 2 or dictionary_role(kb().key(name), None) is not None:
        return False
    return any(r.kind in ("country", "region") or r.population >= 100_000 for r in gazetteer().places(name))


def after_organization(doc, start: int, end: int, occupied: set) -> bool:
    """One word right after an organization's name continues that name: "Harvard Law" is a school."""
    return end - start == 1 and start > 0 and (start - 1) in occupied and doc[start].dep_ in ("compound", "pobj", "appos", "ROOT", "nsubj", "dobj") \
        and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == start


def has_verb(tokens) -> bool:
    """A headline's capitals make words look like a name: "Will Lose House" holds a verb."""
    return len(tokens) > 1 and any(t.pos_ in ("VERB", "AUX") and t.tag_ != "NNP" for t in tokens)
