"""Frames: from a trigger word to the words that fill its source and target slots, over the parse."""
from __future__ import annotations

from functools import lru_cache

from ..data import rows

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# A noun inside these prepositional phrases names something the clause's subject takes part in.
PARTICIPATION_PREPS = {"in", "at", "during", "with", "through", "by"}
# Non-finite clauses whose missing subject is supplied by the clause above them.
CONTROLLED = ("xcomp", "pcomp", "advcl", "acl", "ccomp", "conj")


def is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def children(token, *deps) -> list:
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token, word: str, deps: tuple[str, ...] = ("pobj", "pcomp")) -> list:
    """Objects of a preposition WORD under the token ("sanctions against Iran" -> Iran); DEPS=("pobj",) for
    noun objects only."""
    out = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ == word:
            out += children(prep, *deps)
    return out


def subject(verb, depth: int = 0) -> list:
    """Who does the verb: its subject; a passive's agent ("was accused by X"); else the controller above it."""
    if depth > 6:
        return []
    if is_passive(verb):
        agents = prep_objects(verb, "by")
        if agents:
            return agents
        if children(verb, "nsubjpass") and verb.dep_ not in ("xcomp",):
            return []
    own = children(verb, "nsubj", "csubj")
    if own and verb.dep_ == "relcl" and all(w.tag_ in ("WDT", "WP") or w.lower_ == "that" for w in own):
        return [verb.head]     # a relative pronoun stands for the noun it follows: "Turkey, which occupies"
    if own:
        return own
    return controller(verb, depth)


def controller(verb, depth: int) -> list:
    """A clause with no subject of its own takes one from above: the object of an object-control verb
    ("accused Iran of supplying", "urged Iran to stop"), else the subject ("plan to visit")."""
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "pobj" or (verb.dep_ == "pcomp" and head.dep_ == "prep"):
        prep = head if head.dep_ == "prep" else verb
        governor = prep.head
        objects = children(governor, "dobj") if governor.pos_ in ("VERB", "AUX") else []
        return objects or (subject(governor, depth + 1) if governor.pos_ in ("VERB", "AUX") else [])
    if verb.dep_ == "xcomp":
        objects = children(head, "dobj")
        if objects and head.lemma_.lower() not in ("promise",):
            return objects
        passive_subject = children(head, "nsubjpass")
        return passive_subject or subject(head, depth + 1)
    if verb.dep_ in ("conj", "advcl", "acl") and head.pos_ in ("VERB", "AUX"):
        return subject(head, depth + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in ("NOUN", "PROPN"):
        return [head]          # a present participle tells what its noun does: "Mr Straw, visiting Beijing"
    if verb.dep_ == "acl" and head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "Trump's decision to conduct airstrikes", "Iran's plan to enrich": the noun's owner decides and acts
        return children(head, "poss")
    if verb.dep_ == "relcl":
        return []
    return []


def objects(verb) -> list:
    """What the verb acts on: its direct object; a passive's subject ("Iran was accused")."""
    if is_passive(verb):
        return children(verb, "nsubjpass")
    return children(verb, "dobj")


def governing_subject(noun) -> list:
    """A noun trigger's doer is the subject of a light verb taking it ("Blinken announced sanctions", "held
    talks") or of the clause whose 'in'/'at'/'during' phrase holds it ("In a press conference with X, Blinken
    said"); not of any verb ("Iran rejected the accusations" does not make Iran the accuser)."""
    head, last_prep = noun, None
    for _ in range(5):
        if head.head.i == head.i:
            return []
        came_by, head = head.dep_, head.head
        if head.pos_ in ("VERB", "AUX"):
            if came_by in ("dobj", "nsubjpass", "attr", "conj") and head.lemma_.lower() not in light_verbs():
                return []
            if came_by == "prep" and last_prep is not None and last_prep.lower_ not in PARTICIPATION_PREPS:
                return []     # "resigned after months of protests": the protesters are not the resigner
            return subject(head)
        if head.pos_ == "ADP":
            last_prep = head
    return []


@lru_cache(maxsize=1)
def light_verbs() -> frozenset:
    return frozenset(r["lemma"].lower() for r in rows("light_verbs.tsv"))


def between(token) -> list:
    """"between Russia and Iran": both ends of the pair."""
    found = prep_objects(token, "between")
    return found


def slot(token, name: str, companions: list) -> list:
    """The words filling one named slot of a frame (see data/event_lexicon.tsv)."""
    anchors = [token, *companions]
    if name == "subj":
        return subject(token) if token.pos_ in ("VERB", "AUX") else governing_subject(token)
    if name == "obj":
        return objects(token) or [o for c in companions for o in children(c, "dobj")]
    if name in ("dative", "iobj"):
        return [w for a in anchors for w in children(a, "dative")]
    if name.startswith("prep:"):
        word = name[5:]
        return [w for a in anchors for w in prep_objects(a, word)]
    if name in ("poss", "compound", "amod", "nmod"):
        return children(token, name)
    if name == "govsubj":
        return governing_subject(token)
    if name == "between":
        return between(token)
    if name == "objrel":
        return object_relative_subject(token, companions)
    if name == "clausesubj":
        return clause_subject(token)
    return []


def object_relative_subject(verb, companions: list = ()) -> list:
    """The one who wants what is passed on: "passing on technology that Iran wants" -> Iran."""
    out = []
    things = children(verb, "dobj") + [w for c in [verb, *companions] for p in children(c, "prep", "prt")
                                       for w in children(p, "pobj")] + list(companions)
    for obj in things:
        for rel in children(obj, "relcl"):
            out += children(rel, "nsubj")
    return out


def companions_of(token, words: tuple[str, ...]) -> list | None:
    """The tokens that complete a multiword trigger ("impose" + "sanction"), or None if one is missing."""
    if not words:
        return []
    found = []
    near = [c for c in token.children] + [g for c in token.children for g in c.children]
    near += [w for c in near if c.lemma_.lower() in QUANTITY_NOUNS for w in quantified(c)]
    for word in words:
        hit = next((c for c in near if c.lemma_.lower() == word or c.lower_ == word), None)
        if hit is None:
            return None
        found.append(hit)
    return found


# "tens of thousands of troops": a count stands between the verb and what it counts.
QUANTITY_NOUNS = {"ten", "tens", "hundred", "hundreds", "thousand", "thousands", "dozen", "dozens", "million",
                  "millions", "number", "score", "scores", "battalion", "unit", "contingent"}


def quantified(count) -> list:
    """The words a count noun counts, through 'of' chains: "tens of thousands of troops" -> troops."""
    out, frontier = [], [count]
    for _ in range(3):
        nxt = [o for w in frontier for o in prep_objects(w, "of", ("pobj",))]
        out += nxt
        frontier = [o for o in nxt if o.lemma_.lower() in QUANTITY_NOUNS]
    return out


def clause_subject(verb) -> list:
    """Whom a verb asks to act: the subject of its clause complement ("expects allies to take measures")."""
    out = []
    for comp in children(verb, "ccomp", "xcomp"):
        out += children(comp, "nsubj")
    for comp in children(verb, "advcl"):      # "called for Israel to withdraw": Israel is asked
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in comp.children):
            out += children(comp, "nsubj")
    return out or [o for o in children(verb, "dobj") if children(verb, "xcomp")]
