"""How the article holds an event: asserted, reported, denied, planned, hypothetical or negated.

The rules climb from the trigger through the clauses that embed it, reading the cue words met on
the way (cues.tsv): negation, modals, conditionals, intentions, hedges and reporting verbs.
"""
from __future__ import annotations

from dataclasses import dataclass

from .frames import subject
from .lexicon import Lexicon

# Stronger readings win: what did not happen outranks what might, which outranks what is planned.
RANK = {"negated": 5, "hypothetical": 4, "denied": 3, "planned": 2, "reported": 1, "asserted": 0}
EMBEDDING = ("ccomp", "xcomp", "pcomp", "advcl", "conj", "pobj", "prep", "dobj", "relcl", "acl", "csubj",
             "nsubj", "nsubjpass", "attr", "oprd", "acomp")
NEGATORS = {"not", "n't", "never", "no"}
MAX_CLIMB = 8


@dataclass
class Reading:
    modality: str = "asserted"
    cue: str | None = None
    speaker_tokens: list | None = None     # who it is attributed to, when someone reports it
    requested: bool = False                # only asked for ("urged Serbia to release"): no event

    def raise_to(self, modality: str, cue: str) -> None:
        if RANK[modality] > RANK[self.modality]:
            self.modality, self.cue = modality, cue


def read(trigger, lex: Lexicon) -> Reading:
    """The modality of an event whose trigger is this token."""
    reading = Reading()
    own_clause(trigger, lex, reading)
    token, climbed = trigger, 0
    while token.head.i != token.i and climbed < MAX_CLIMB and token.dep_ in EMBEDDING:
        if token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in token.children) \
                and lex.cue(token.head.lemma_.lower(), "request"):
            reading.requested = True       # "called for Israel to withdraw": the withdrawal is only asked for
            break
        came_by, token = token.dep_, token.head
        climbed += 1
        if token.pos_ in ("VERB", "AUX", "NOUN"):
            if embedding_verb(token, came_by, lex, reading):
                break
            if token.pos_ in ("VERB", "AUX"):
                own_clause(token, lex, reading, negation=came_by in ("xcomp", "conj"))
    return reading


def own_clause(verb, lex: Lexicon, reading: Reading, negation: bool = True) -> None:
    """Negation, modals, future, conditionals and hedging adverbs attached to this verb or noun."""
    for c in verb.children:
        low = c.lower_
        if negation and (c.dep_ == "neg" or (c.dep_ == "det" and low == "no" and verb.pos_ == "NOUN")):
            reading.raise_to("negated", c.text)
        elif c.dep_ == "aux" and lex.cue(low, "modal"):
            reading.raise_to("hypothetical", c.text)
        elif c.dep_ == "aux" and (lex.cue(low, "future") or low in ("will", "shall", "'ll")):
            reading.raise_to("planned", c.text)
        elif c.dep_ == "mark" and lex.cue(low, "condition"):
            reading.raise_to("hypothetical", c.text)
        elif c.dep_ == "advmod" and lex.cue(low, "hedge_adverb"):
            reading.raise_to("reported", c.text)
        elif c.dep_ == "advmod" and low in NEGATORS and negation:
            reading.raise_to("negated", c.text)
        elif c.dep_ in ("nsubj", "nsubjpass") and negation and negative_subject(c):
            reading.raise_to("negated", c.text)


# "None have been charged", "no one was arrested", "no soldiers were killed": a subject that counts no one
# denies the clause as a "not" does.
NEGATIVE_SUBJECTS = frozenset({"none", "nobody", "nothing", "neither", "noone"})


def negative_subject(subject) -> bool:
    return subject.lower_ in NEGATIVE_SUBJECTS or any(
        d.dep_ == "det" and d.lower_ == "no" for d in subject.children)


def embedding_verb(verb, came_by: str, lex: Lexicon, reading: Reading) -> bool:
    """A verb whose complement holds the event: say-verbs report it, deny-verbs deny it, plan-verbs plan it.
    Returns True when the climb should stop (the speaker is found)."""
    lemma = verb.lemma_.lower()
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    if came_by == "xcomp" and passive and (lex.cue(lemma, "say") or lex.cue(lemma, "claim")):
        reading.raise_to("reported", f"is {verb.text} to")        # "is said to be passing": hedged
        return True
    if came_by in ("ccomp", "pcomp", "pobj", "xcomp") and lex.cue(lemma, "request") and verb.pos_ != "NOUN":
        reading.requested = True        # what someone is asked to do has not been done: the asking is the event
        return True
    if came_by in ("ccomp", "pcomp", "pobj", "prep", "xcomp", "dobj"):
        if lex.cue(lemma, "deny"):
            reading.raise_to("denied", verb.text)
            reading.speaker_tokens = subject(verb) if verb.pos_ != "NOUN" else None
            return True
        if came_by != "dobj" and (lex.cue(lemma, "say") or lex.cue(lemma, "claim") or lex.cue(lemma, "warn")):
            reading.raise_to("reported", verb.text)
            reading.speaker_tokens = subject(verb) if verb.pos_ != "NOUN" else None
            return True
        if came_by in ("xcomp", "ccomp", "dobj") and lex.cue(lemma, "plan"):
            reading.raise_to("planned", verb.text)
    if came_by == "xcomp" and lemma in ("fail", "refuse", "decline"):
        reading.raise_to("negated", verb.text)
    return False
