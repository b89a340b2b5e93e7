"""The claims stage: events the article only reports, with every actor's stance on them.

A reported event is a claim asserted by whoever the article attributes it to; an actor that rejects
or denies "the accusations" (or is said to deny) denies the claims made against it. A reported clause that
is no event ("Labour said Mr Howard had misled voters") is a claim of its proposition (clauses.py), with the
stances stances.py finds: asserted, denied in words ("Mr Howard denied misleading voters") or by negation.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import stances
from .clauses import Proposition, actor_identity
from .events.lexicon import lexicon
from .model import Actor, Claim, Event, Extraction, Mention, Stance
from .stances import claim_nouns

CLAIM_MODALITIES = ("reported", "denied")
# Events that are themselves statements are not claims about the world.
STATEMENT_TYPES = {"ACCUSE", "REJECT", "REQUEST", "THREATEN"}


def run(x: Extraction) -> None:
    claims: dict[tuple, Claim] = {}
    for event in x.events:
        if event.modality not in CLAIM_MODALITIES or event.type in STATEMENT_TYPES:
            continue
        key = (event.type, country(event.source), country(event.target))
        claim = claims.setdefault(key, Claim(event))
        stance = "denied" if event.modality == "denied" else ("asserted" if event.attributed_to else "reported")
        add_stance(claim, event.attributed_to, stance, event.mentions[0], f"modality:{event.modality}")
    said, stated = proposition_claims(x, claims)
    # a denial whose clause made a proposition denied something named: it denies no other claim
    named = {st.mention.start for st, _ in stated if st.rule.startswith("deny:")}
    on_events, pending = set(), []
    for actor, mention, rule in denials(x):
        if mention.start in named:
            continue
        attached = False
        for claim in claims.values():
            if rule.endswith(HERE) and not stances.just_before(claim.event.mentions[0], mention):
                continue
            if claim.event.source and accused(claim.event.source, actor):
                add_stance(claim, actor, "denied", mention, rule)
                link_denial(x, mention, claim)
                attached = True
        if attached:
            on_events.add(mention.start)
        else:
            pending.append(Stance(actor, "denied", mention, rule))
    answered = deny_what_was_just_said(x, stated, skip=on_events)
    for stance in pending:
        if stance.evidence.start not in answered:
            keep_unattached(x, answers_own_article(x, stance, claims.values()))
    x.claims = list(claims.values()) + list(said.values())


def accused(side: Actor, denier: Actor) -> bool:
    """Whether the denier of 'the claims' is the side a claim of its article accuses: one denies what is said
    of oneself. A state and its organs are one side (the Iranian spokesman for Iran); a person is only
    themselves, so a compatriot (the special counsel, a rival) does not deny what is claimed of the president."""
    if side.kind == "person" and denier.kind == "person":
        a, d = (" ".join(n.lower().split()) for n in (side.name, denier.name))
        return a == d or a.endswith(" " + d) or d.endswith(" " + a)
    return bool(denier.country) and side.country == denier.country


def answers_own_article(x: Extraction, stance: Stance, own: Iterable[Claim]) -> Stance:
    """'The claims' points back into its own discourse: when the article has already reported what someone
    else said, a denial of 'the claims' answers that, even if no claim of the article could be named; it
    reaches back to an earlier article only when its own reports no one's words before it ("North Korea
    rejected the accusations" as a story's first line). Such a denial is kept as one of what was said just
    before (HERE), which never joins another article's claim. A denier that is a side of an event claim of
    its own article ("Russia rejected the accusations" of shipments to Russia) is left to the store, which
    reads it as that claim's; a compatriot of a claim's accused person (the special counsel, of a claim about
    the president) is kept to its article, since the store, which compares countries, would read it as the
    accused's denial."""
    me = identity(stance.actor)
    sides = [a for c in own for a in (c.event.source, c.event.target) if a is not None]
    if stance.rule.endswith(HERE) or any(accused(a, stance.actor) for a in sides):
        return stance
    if any(identity(a) == me for a in sides):
        return Stance(stance.actor, stance.stance, stance.evidence, f"{stance.rule}:{HERE}")
    for q in x.quotes:
        if q.speaker is not None and q.sentence < stance.evidence.sentence and identity(q.speaker) != me:
            return Stance(stance.actor, stance.stance, stance.evidence, f"{stance.rule}:{HERE}")
    return stance


def keep_unattached(x: Extraction, stance: Stance) -> None:
    """A denial of claims this article does not state: the store may find them in earlier articles."""
    if not any(d.actor.key == stance.actor.key and d.rule.endswith(HERE) == stance.rule.endswith(HERE)
               for d in x.denials):
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
    """What a claim asserts, whichever article and words state it: the event type and both sides' identities;
    for a reported clause that is no event, its proposition (clauses.py)."""
    if isinstance(event, PropositionEvent):
        return event.proposition.key
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


# Clausal complements that say what is denied: "denied (that) S", "denied sending", "denied being leant on".
CONTENT = ("ccomp", "xcomp", "pcomp", "csubj")
HERE = "here"          # a denial of what was said just before: never joins a claim of another article
POINTERS = {"it", "them", "this", "that", "these", "those"}


def bare_denial(t, nouns: frozenset) -> str | None:
    """A denial that names no proposition of its own, so it may deny the claims made before it: 'X rejected
    the accusations' ("named": the claims of this or an earlier article), 'X denied it', 'which X denies',
    'a charge that X denied' ("here": what was said just before, in its own article). 'X denied that S' names
    S (its clause is its claim); 'X rejected the offer' denies no claim; 'asked allies to refute the stories',
    'did not deny' and 'dismissed the suggestion as a sign of disarray' (stances.brushed_off) deny nothing."""
    from .stances import brushed_off, unsaid
    if unsaid(t) or brushed_off(t) or any(c.dep_ in CONTENT for c in t.children):
        return None
    from .events.frames import objects
    objs = objects(t)
    if not objs:
        return HERE
    for o in objs:
        if o.tag_ in ("WDT", "WP") or o.lower_ in POINTERS and t.lemma_.lower() in ("deny", "refute", "dispute"):
            return HERE
        if o.lemma_.lower() in nouns and not any(c.dep_ in ("acl", "relcl", "ccomp") for c in o.children):
            return "named"
    return None


def denials(x: Extraction):
    """Who denies claims: 'X rejected the accusations', 'X denied', 'despite denials from X'."""
    lex = lexicon()
    nouns = claim_nouns()
    actor_at = x.scratch["actor_at"]
    from .actors.resolve import mention_of
    from .events.extract import actors_of
    from .events.frames import prep_objects, subject
    for p, doc in enumerate(x.docs):
        for t in doc:
            lemma = t.lemma_.lower()
            if t.pos_ in ("VERB", "AUX") and lex.cue(lemma, "deny"):
                kind = bare_denial(t, nouns)
                if kind is None:
                    continue
                for actor in actors_of(subject(t), p, actor_at):
                    yield actor, mention_of(x, p, t.sent), f"denial:{lemma}" + (f":{HERE}" if kind == HERE else "")
            elif t.pos_ == "NOUN" and (lemma == "denial" or lemma == "rejection" and any(   # not "of the bill"
                    o.lemma_.lower() in nouns for o in prep_objects(t, "of"))):
                for actor in actors_of(prep_objects(t, "from") + prep_objects(t, "by")
                                       + [c for c in t.children if c.dep_ == "poss"], p, actor_at):
                    yield actor, mention_of(x, p, t.sent), f"denial:{lemma}:{HERE}"


@dataclass
class PropositionEvent(Event):
    """The stand-in event of a reported clause that states no event of the lexicon: never in x.events."""
    proposition: Proposition | None = None


@dataclass
class PropositionClaim(Claim):
    """A reported proposition with every stance on it; contested when one actor asserts what another denies
    (two people of one country are two sides: a minister and the shadow minister)."""

    @property
    def contested(self) -> bool:
        by = {k: {actor_identity(s.actor) for s in self.stances if s.stance == k and s.actor} for k in
              ("asserted", "denied")}
        return any(a != d for a in by["asserted"] for d in by["denied"])

    def to_dict(self) -> dict:
        out = super().to_dict()
        prop = self.event.proposition
        out.update(event=None, predicate=prop.predicate, doer=prop.doer, patient=prop.patient,
                   parties=list(prop.parties))
        return out


def proposition_claims(x: Extraction, event_claims: dict) -> tuple[dict, list]:
    """Claims of reported clauses, keyed by proposition, and every stance taken with its claim."""
    triggers = {m.trigger_start for c in event_claims.values() for m in c.event.mentions}
    out: dict[str, PropositionClaim] = {}
    stated = []
    for st in stances.stated(x):
        if st.clause_start in triggers:
            continue        # the clause is an event of the lexicon: its claim is the event's
        claim = out.get(st.proposition.key)
        if claim is None:
            event = PropositionEvent(type="CLAIM", source=st.proposition.doer_actor,
                                     target=st.proposition.patient_actor, trigger=st.proposition.predicate,
                                     rule="proposition", mentions=[st.mention], modality="reported",
                                     proposition=st.proposition)
            claim = out[st.proposition.key] = PropositionClaim(event)
        add_stance(claim, st.speaker, st.stance, st.mention, st.rule)
        stated.append((st, claim))
    return out, stated


def deny_what_was_just_said(x: Extraction, stated: list, skip: set) -> set:
    """'X dismissed the claims', "'That is untrue,' said X": the proposition asserted just before by someone
    else (stances.antecedent), unless the denial already denies an event claim of the article (SKIP).
    Returns the sentence offsets of the denials placed."""
    answered = set()
    for denial in stances.anaphoric(x):
        if denial.mention.start in skip:
            continue
        claim = stances.antecedent(denial, stated)
        if claim is not None:
            add_stance(claim, denial.speaker, "denied", denial.mention, denial.rule)
            answered.add(denial.mention.start)
    return answered
