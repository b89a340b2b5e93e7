"""The claims stage: events the article only reports, with every actor's stance on them.

A reported event is a claim asserted by whoever the article attributes it to; an actor that rejects
or denies "the accusations" (or is said to deny) denies the claims made against it.
"""
from __future__ import annotations

from functools import lru_cache

from .data import rows
from .events.lexicon import lexicon
from .model import Actor, Claim, Extraction, Mention, Stance

CLAIM_MODALITIES = ("reported", "denied")
# Events that are themselves statements are not claims about the world.
STATEMENT_TYPES = {"ACCUSE", "REJECT", "REQUEST", "THREATEN"}


@lru_cache(maxsize=1)
def claim_nouns() -> frozenset:
    return frozenset(r["lemma"].lower() for r in rows("claim_nouns.tsv"))


def run(x: Extraction) -> None:
    claims: dict[tuple, Claim] = {}
    for event in x.events:
        if event.modality not in CLAIM_MODALITIES or event.type in STATEMENT_TYPES:
            continue
        key = (event.type, country(event.source), country(event.target))
        claim = claims.setdefault(key, Claim(event))
        stance = "denied" if event.modality == "denied" else ("asserted" if event.attributed_to else "reported")
        add_stance(claim, event.attributed_to, stance, event.mentions[0], f"modality:{event.modality}")
    for actor, mention, rule in denials(x):
        attached = False
        for claim in claims.values():
            if claim.event.source and actor.country and claim.event.source.country == actor.country:
                add_stance(claim, actor, "denied", mention, rule)
                link_denial(x, mention, claim)
                attached = True
        if not attached:
            keep_unattached(x, Stance(actor, "denied", mention, rule))
    x.claims = list(claims.values())


def keep_unattached(x: Extraction, stance: Stance) -> None:
    """A denial of claims this article does not state: the store may find them in earlier articles."""
    if not any(d.actor.key == stance.actor.key for d in x.denials):
        x.denials.append(stance)


# Sectors that act for the state: their claims are the country's ("Moscow", "the Kremlin", "Russia" are RUS).
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}


def identity(actor: Actor | None) -> str:
    """Who a side of a claim is across articles: the country for states and their organs, else the name."""
    if actor is None:
        return "-"
    if actor.country and (actor.kind == "country" or actor.sector is None or actor.sector in STATE_SECTORS):
        return actor.country
    return "name:" + " ".join(actor.name.lower().replace("|", " ").split())


def proposition_key(event) -> str:
    """What a claim asserts, whichever article and words state it: the event type and both sides' identities."""
    return f"{event.type}|{identity(event.source)}|{identity(event.target)}"


def link_denial(x: Extraction, mention: Mention, claim: Claim) -> None:
    """The REJECT event stated in the denying sentence points at the claim it denies."""
    for event in x.events:
        if event.type == "REJECT" and any(m.start == mention.start for m in event.mentions) \
                and claim.event.id not in event.denies:
            event.denies.append(claim.event.id)


def country(actor: Actor | None) -> str | None:
    return (actor.country or actor.name) if actor else None


def add_stance(claim: Claim, actor: Actor | None, stance: str, evidence: Mention, rule: str) -> None:
    for s in claim.stances:
        if s.stance == stance and ((s.actor is None and actor is None) or (s.actor and actor and s.actor.key == actor.key)):
            return
    claim.stances.append(Stance(actor, stance, evidence, rule))


def denials(x: Extraction):
    """Who denies claims: 'X rejected the accusations', 'X denied', 'despite denials from X'."""
    lex = lexicon()
    nouns = claim_nouns()
    actor_at = x.scratch["actor_at"]
    from .actors.resolve import mention_of
    from .events.extract import actors_of
    from .events.frames import objects, prep_objects, subject
    for p, doc in enumerate(x.docs):
        for t in doc:
            lemma = t.lemma_.lower()
            if t.pos_ in ("VERB", "AUX") and lex.cue(lemma, "deny"):
                objs = objects(t)
                if objs and not any(o.lemma_.lower() in nouns for o in objs) and not any(
                        c.dep_ == "ccomp" for c in t.children):
                    continue
                for actor in actors_of(subject(t), p, actor_at):
                    yield actor, mention_of(x, p, t.sent), f"denial:{lemma}"
            elif t.pos_ == "NOUN" and lemma in ("denial", "rejection"):
                for actor in actors_of(prep_objects(t, "from") + prep_objects(t, "by")
                                       + [c for c in t.children if c.dep_ == "poss"], p, actor_at):
                    yield actor, mention_of(x, p, t.sent), f"denial:{lemma}"
