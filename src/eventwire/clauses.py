"""Propositions of reported clauses: who did what to whom, in a form that two wordings share.

"Labour said Mr Howard had misled voters" and "Mr Howard denied misleading voters" state one proposition,
(Howard, mislead, voters), asserted by one side and denied by the other. A proposition is the predicate's
lemma (with its particle or stranded preposition), the identity of its doer and of what it acts on, the
actors it is done to, from or against; a passive is read as its active ("was leant on by Downing Street"),
and a negation is not part of the proposition but turns the stance ("said Iran had not sent" denies).
Only clauses whose every slot is known make a proposition: an unresolved pronoun, a clause under 'if' or
'whether', or a light verb ('be' without a complement, 'have', 'do') makes none.
"""
from __future__ import annotations

from dataclasses import dataclass

from .events.frames import children, is_passive

NEGATIONS = {"not", "n't", "never", "no"}
# Verbs that carry no proposition of their own, and modal or reporting verbs whose clause is the proposition.
LIGHT = {"be", "have", "do", "get", "go", "come", "say", "tell", "will", "would", "can", "could", "may", "might",
         "shall", "should", "must", "want", "seem", "appear", "happen", "know", "think", "believe"}
# Subordinators under which a clause is asked or supposed, not stated.
OPEN_MARKS = {"if", "whether", "unless", "although", "though", "because", "while", "when"}
# Prepositions whose object is a party to the act ("sent missiles to Russia", "campaigned against Blair").
PARTY_PREPS = {"to", "against", "from", "with", "on", "at", "for", "about", "into", "over"}
# Pronouns that never name an actor by themselves.
EMPTY = {"there", "it", "this", "that", "what", "which", "who", "something", "anything", "nothing", "everything"}


@dataclass(frozen=True)
class Proposition:
    predicate: str
    doer: str            # an identity: a country code, p:person, o:organization, n:noun lemma, or '-'
    patient: str
    parties: tuple = ()
    doer_actor: object = None
    patient_actor: object = None

    @property
    def key(self) -> str:
        """The proposition as the store matches it: CLAIM:predicate|doer|patient+parties (no '|' inside)."""
        clean = [s.replace("|", "/") for s in (self.predicate, self.doer, self.patient)]
        return f"CLAIM:{clean[0]}|{clean[1]}|{'+'.join([clean[2], *self.parties])}"


def actor_identity(actor) -> str:
    """A person is one person, by the name the actors stage settled on ("Michael Howard" for "Mr Howard" after
    the first mention; Hillary and Bill Clinton are two), so two ministers of one country are two sides; a country is its code; a body is its name, since in a
    country's own politics "the government" and "the shadow cabinet" are not one another."""
    if actor.kind == "person":
        return "p:" + " ".join(actor.name.lower().split())
    if actor.kind == "country" and actor.country:
        return actor.country
    return "o:" + " ".join(actor.name.lower().split())


def actors_at(tok, p: int, actor_at: dict) -> list:
    return [a for a in actor_at.get((p, tok.i), []) if a.kind != "place"]


def participant(tok, p: int, actor_at: dict, doer: bool = True, me=None):
    """(identity, actor) of a slot word: its actor; a thing owned by an actor ("his forecasts"); a noun's
    lemma; None for a pronoun that names no one. What is acted on is the thing a common noun names even
    when the actors stage gives it a side ("supplied drones": drones, not Iran's military)."""
    found = actors_at(tok, p, actor_at) or ([me] if me is not None and tok.lower_ in ("i", "me") else [])
    if found and not doer and tok.pos_ == "NOUN" and found[0].kind == "group":
        found = []
    if found:
        return "+".join(sorted({actor_identity(a) for a in found})), found[0]
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ in EMPTY:
        return None
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ == "poss":
            owners = actors_at(c, p, actor_at)
            if not owners:
                return None        # "its plans": whose is unknown
            return f"{actor_identity(owners[0])}'s {lemma}", None
    return "n:" + lemma, None


def controller(v):
    """The doer of a clause with no subject of its own: the subject of the verb above it ("denied misleading
    voters", "insisted on being heard")."""
    head = v.head
    if head.dep_ == "prep":
        head = head.head
    if head is v:
        return None
    own = children(head, "nsubj")
    return own[0] if own else None


def relative(tok) -> bool:
    """'which', 'who', 'that' as a subject stand for a noun outside the clause: no proposition of their own."""
    return tok.tag_ in ("WDT", "WP") or tok.lower_ == "that"


def negated(v) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in v.children)


def stated(v) -> bool:
    """A clause is stated, not asked or supposed: no 'if', 'whether' or 'because' over it."""
    return not any(c.dep_ == "mark" and c.lower_ in OPEN_MARKS for c in v.children)


# Words that judge what was said rather than state something ("it was wrong to suggest", "that is untrue").
VERDICTS = {"untrue", "false", "true", "nonsense", "rubbish", "baseless", "groundless", "inaccurate", "fabrication",
            "lie", "fiction", "smear", "unfounded", "wrong", "right", "correct", "absurd", "ridiculous", "fantasy"}


# Auxiliaries under which a clause is advised or possible, not stated ("should resign", "could have known").
SUPPOSED = {"should", "must", "ought", "could", "might", "may", "can", "ca"}     # "ca" of "can't"
FUTURE = {"will", "would", "'ll", "wo"}


def aim_of(v):
    """The verb a clause's predicate governs ("was trying to hide", "refused to resign"): without it 'try'
    and 'plan' say nothing of what was tried or planned."""
    found = [c for c in v.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    return found[0] if found else None


def tense(v) -> str | None:
    """'will ' for a future ("would stand down" reported is a promise of the future), '' for a statement,
    None for advice or possibility."""
    aux = {c.lower_ for c in v.children if c.dep_ == "aux"}
    if aux & SUPPOSED:
        return None
    return "will " if aux & FUTURE else ""


def reports_a_clause(v) -> bool:
    """A verb whose object is a clause ("Trump meant that Obama's policies created ISIS", "warned that S")
    says something about that clause's content, which the proposition's slots do not hold: "Trump meant X"
    and "Trump meant Y" would be one proposition. It is no proposition of its own (the clause may be one)."""
    return any(c.dep_ in ("ccomp", "csubj") for c in v.children)


def predicate_of(v) -> tuple[str, object] | None:
    """The predicate's lemma and the word that carries it: a copula gives way to its complement ("was
    afraid" -> afraid); a particle or a stranded preposition is part of it ("stand down", "leant on")."""
    lemma = v.lemma_.lower()
    if lemma == "be":
        comp = children(v, "acomp", "attr")
        if not comp or comp[0].pos_ not in ("ADJ", "NOUN") or comp[0].lemma_.lower() in VERDICTS:
            return None
        return "be " + comp[0].lemma_.lower(), comp[0]
    if v.pos_ != "VERB" or lemma in LIGHT or v.tag_ == "VBG" and v.dep_ == "amod" and v.head.dep_ != "dobj":
        return None
    if reports_a_clause(v):
        return None
    words = [lemma] + [c.lower_ for c in v.children if c.dep_ == "prt"]
    words += [c.lower_ for c in v.children if c.dep_ == "prep" and not list(c.children)]   # stranded
    return " ".join(words), v


def proposition(v, p: int, actor_at: dict, doer_word=None, patient_word=None,
                speaker=None) -> tuple[Proposition, bool] | None:
    """The proposition of clause head v and whether the clause negates it; DOER_WORD supplies a subject
    the clause lacks ("accused Iran of sending ..."), PATIENT_WORD an object the parse hung elsewhere
    ("denied misleading voters", read as an adjective of 'voters'); 'I' is the SPEAKER. A question states
    nothing."""
    if not stated(v) or v.sent.text.rstrip(' "\'”').endswith("?"):
        return None
    pred = predicate_of(v)
    if pred is None:
        return None
    predicate, word = pred
    aim = aim_of(v)
    if aim is not None:          # "planned to cut benefits": what is planned is part of the proposition
        predicate, word = f"{predicate} to {aim.lemma_.lower()}", aim
        if patient_word is None and not children(v, "dobj"):
            patient_word = (children(aim, "dobj") or [None])[0]
    when = tense(v)
    if when is None:
        return None
    predicate = when + predicate
    if is_passive(v):
        agents = [o for c in v.children if c.dep_ == "agent" for o in children(c, "pobj")]
        doer_tok = agents[0] if agents else None
        patient_tok = (children(v, "nsubjpass") or [doer_word or controller(v)])[0]
        if patient_tok is None:
            return None
    else:
        doer_tok = (children(v, "nsubj") or [doer_word or controller(v)])[0]
        if doer_tok is not None and doer_tok.dep_ == "nsubj" and relative(doer_tok):
            return None
        if doer_tok is None:
            return None
        objs = children(v, "dobj") or ([patient_word] if patient_word is not None else [])
        patient_tok = objs[0] if objs else None
    doer = participant(doer_tok, p, actor_at, me=speaker) if doer_tok is not None else ("-", None)
    patient = participant(patient_tok, p, actor_at, False, speaker) if patient_tok is not None else ("-", None)
    if doer is None or patient is None:
        return None
    parties = tuple(sorted(party_slots(word, p, actor_at, skip=doer_tok)))
    if not parties and not any(anchored(s) for s in (doer[0], patient[0])):
        return None
    return Proposition(predicate, doer[0], patient[0], parties, doer[1], patient[1]), negated(v)


def anchored(identity: str) -> bool:
    """A slot that names an actor or something an actor owns; 'n:forecast' alone could be anyone's."""
    return identity not in ("-",) and not identity.startswith("n:")


def party_slots(word, p: int, actor_at: dict, skip=None) -> list[str]:
    """Actors the act is done to, against or from: 'to:RUS' in "sent missiles to Russia"."""
    out = []
    for prep in word.children:
        if prep.dep_ in ("prep", "dative") and prep.lower_ in PARTY_PREPS:
            for o in children(prep, "pobj"):
                if o is skip:
                    continue
                found = actors_at(o, p, actor_at)
                if found:
                    out.append(f"{prep.lower_}:{'/'.join(sorted({actor_identity(a) for a in found}))}")
    return out


def clause_heads(tokens) -> list:
    """The heads of the clauses a span states: words whose head lies outside it, and verbs joined to them."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head is t]
    out = []
    for h in heads:
        out.append(h)
        out += [c for c in h.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i in inside
                and children(c, "nsubj", "nsubjpass")]
    return [h for h in out if h.pos_ in ("VERB", "AUX")]
