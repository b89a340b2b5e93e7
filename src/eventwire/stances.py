"""Who asserts and who denies a reported clause: the stances that clauses.py's propositions gather.

- "X said (that) S", "X claimed S", "according to X, S", "'S,' X said": X asserts S (S negated: X denies it).
- "X denied (that) S", "X denied doing O", "X rejected the claim that S": X denies S.
- "X accused Y of doing O": X asserts that Y did O.
- "X denied the claims", "His claims were denied by X", "'That is untrue,' said X": X denies what was asserted
  just before, by someone else (anaphoric); with nothing asserted just before, it is no proposition's denial.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .clauses import Proposition, clause_heads, proposition
from .data import rows
from .events.frames import children
from .events.lexicon import lexicon
from .model import Actor, Extraction, Mention
from .nlp import tokens_starting

# Accusing verbs whose object is the doer of the act named after 'of' or 'for' ("accused Iran of lying").
ACCUSING = {"accuse", "charge", "blame", "criticise", "criticize", "condemn", "attack"}
# Words that call what was said false: "That is untrue", "a lie", "nonsense".
FALSITY = {"untrue", "false", "nonsense", "rubbish", "baseless", "groundless", "inaccurate", "fabrication",
           "lie", "fiction", "smear", "unfounded", "wrong", "absurd", "ridiculous", "fantasy"}
# Words that stand for what was said before: "That is untrue", "It is false", "the claims".
ANAPHORS = {"that", "this", "it", "these", "those", "they", "them"}
# How many sentences back an anaphoric denial may reach: the claim just stated, or the one before it.
REACH = 2
# Verbs that make a claim another side can deny ("the mayor said", "the Sunday Times alleged"); not "added",
# "warned", "replied", and not a quote's inner clauses, which are seldom what "the claims" are.
CLAIMING = {"say", "claim", "allege", "accuse", "charge", "report", "suggest", "tell", "write", "assert", "argue",
            "insist", "contend", "testify", "state", "maintain", "reveal", "disclose", "blame", "criticise",
            "criticize", "condemn", "attack"}


@dataclass
class Statement:
    proposition: Proposition
    stance: str                 # asserted | denied
    speaker: Actor | None
    mention: Mention
    rule: str
    clause_start: int           # original offset of the clause's head word


@dataclass
class Denial:
    speaker: Actor
    mention: Mention
    rule: str
    owner: Actor | None         # "his claims": whose claims they are


@lru_cache(maxsize=1)
def claim_nouns() -> frozenset:
    return frozenset(r["lemma"].lower() for r in rows("claim_nouns.tsv"))


def speaker_of(verb, p: int, actor_at: dict) -> Actor | None:
    from .events.extract import actors_of
    from .events.frames import subject
    found = actors_of(subject(verb), p, actor_at)
    return found[0] if found else None


def origin(x: Extraction, p: int, token) -> int:
    return x.paragraphs[p].original_span(token.idx, token.idx + len(token))[0]


def content_clause(h) -> bool:
    """The clause that says what a claim noun claims: "the claim that he was paid", "the claim he had reneged
    on a promise"; not a relative clause about the claim ("the claims he made", "claims which are denied")."""
    if h.pos_ not in ("VERB", "AUX") or h.dep_ not in ("acl", "ccomp", "relcl"):
        return False
    if h.dep_ != "relcl":
        return True
    subjects = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
    filled = any(c.dep_ in ("dobj", "ccomp", "attr", "acomp") or c.dep_ == "prep" and any(
        o.dep_ == "pobj" for o in c.children) for c in h.children)
    return bool(subjects) and not any(c.tag_ in ("WDT", "WP") or c.lower_ == "that" for c in subjects) and (
        filled or any(c.dep_ == "nsubjpass" for c in subjects))


def stance_of(base: str, negated: bool) -> str | None:
    """Negation folded into the stance: "said Iran had not sent" denies; "denied it had not" is left alone."""
    if not negated:
        return base
    return "denied" if base == "asserted" else None


def statement(x, p, head, speaker, base, rule, doer_word=None, patient_word=None) -> Statement | None:
    from .actors.resolve import mention_of
    found = proposition(head, p, x.scratch["actor_at"], doer_word, patient_word, speaker)
    if found is None or speaker is None:
        return None
    prop, negated = found
    stance = stance_of(base, negated)
    if stance is None:
        return None
    return Statement(prop, stance, speaker, mention_of(x, p, head.sent), rule, origin(x, p, head))


def unsaid(t) -> bool:
    """Speech that was not made: negated ("did not say that S") or only expected, asked or tried ("is expected
    to announce", "asked allies to refute", "couldn't get him to acknowledge")."""
    return any(c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ == "to" for c in t.children) or t.dep_ == "xcomp"


# Words an 'as' phrase uses to call what is dismissed false, beyond FALSITY: "dismissed the reports as propaganda".
FALSE_AS = FALSITY | {"propaganda", "hoax", "fake", "slander", "libel", "distortion", "misinformation", "myth",
                      "disinformation", "fabricate", "invent", "invention", "untruth", "lying", "mislead"}


def brushed_off(verb) -> bool:
    """'Dismissed the suggestion as a sign of disarray', 'rejected the report as a distraction': an 'as'
    phrase that says what the claim is taken for, without calling it false, brushes the claim off and denies
    nothing; 'rejected the accusations as a smear campaign', 'dismissed them as lies' deny it."""
    phrases = [c for w in [verb, *[o for o in verb.children if o.dep_ in ("dobj", "nsubjpass")]]
               for c in w.children if c.dep_ == "prep" and c.lower_ == "as"]
    return bool(phrases) and not any(w.lemma_.lower() in FALSE_AS or w.lower_ in FALSE_AS
                                     for c in phrases for w in c.subtree)


def cue_clauses(t, lex) -> list[tuple]:
    """(clause head, base stance, rule, doer word) of the clauses a cue verb reports."""
    lemma = t.lemma_.lower()
    out = []
    if unsaid(t):
        return out
    if lex.cue(lemma, "deny"):
        if brushed_off(t):
            return out
        for c in t.children:
            if c.dep_ in ("ccomp", "xcomp", "pcomp") and c.pos_ in ("VERB", "AUX"):
                out.append((c, "denied", f"deny:{lemma}", None))
            elif c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in claim_nouns():
                out += [(h, "denied", f"deny:{lemma}:{c.lemma_.lower()}", None) for h in c.children
                        if content_clause(h)]
            elif c.dep_ == "dobj":       # "denied misleading voters", parsed as an adjective of 'voters'
                doer = (children(t, "nsubj") or [None])[0]
                out += [(h, "denied", f"deny:{lemma}:gerund", doer, c) for h in c.children
                        if h.dep_ == "amod" and h.tag_ == "VBG" and h.i < c.i]
    elif lemma in ACCUSING:
        doers = [c for c in t.children if c.dep_ == "dobj"]
        for prep in t.children:
            if doers and prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
                out += [(c, "asserted", f"accuse:{lemma}", doers[0]) for c in prep.children
                        if c.dep_ == "pcomp" and c.pos_ == "VERB"]
    elif lex.cue(lemma, "say") or lex.cue(lemma, "claim"):
        out += [(c, "asserted", f"say:{lemma}", None) for c in t.children
                if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
    return out


def stated(x: Extraction):
    """Every reported clause with a proposition, its speaker and stance: cue verbs first, then the quotes
    the quotes stage found (direct quotes, 'according to'), each clause once."""
    lex = lexicon()
    actor_at = x.scratch["actor_at"]
    seen = set()
    for p, doc in enumerate(x.docs):
        for t in doc:
            if t.pos_ != "VERB":
                continue
            for head, base, rule, doer, *patient in cue_clauses(t, lex):
                for h in [head, *[c for c in head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                                  and children(c, "nsubj", "nsubjpass")]]:
                    if (p, h.i) in seen:
                        continue
                    st = statement(x, p, h, speaker_of(t, p, actor_at), base, rule, doer, *patient)
                    if st is not None:
                        seen.add((p, h.i))
                        yield st
    for q in x.quotes:
        if q.speaker is None:
            continue
        for p, tokens in quote_tokens(x, q):
            inside = {t.i for t in tokens}
            cues = [t for t in tokens[0].sent if t.i not in inside and t.text == (q.cue or "").split(" ")[0]]
            if any(unsaid(t) for t in cues):
                continue
            base = "denied" if any(lex.cue(t.lemma_.lower(), "deny") for t in cues) else "asserted"
            for h in clause_heads(tokens):
                if (p, h.i) in seen:
                    continue
                st = statement(x, p, h, q.speaker, base, f"quote:{q.type}")
                if st is not None:
                    seen.add((p, h.i))
                    yield st


def quote_tokens(x: Extraction, q) -> list[tuple[int, list]]:
    """The words of a quote's content, per paragraph."""
    out = []
    for p, doc in enumerate(x.docs):
        para = x.paragraphs[p]
        if para.field != q.field or not para.offsets or para.offsets[0] > q.end or para.offsets[-1] < q.start:
            continue
        lo, hi = para.cleaned_range(q.start, q.end)
        tokens = [t for t in tokens_starting(doc, lo, hi) if not t.is_punct]
        if tokens:
            out.append((p, tokens))
    return out


def anaphoric(x: Extraction):
    """Denials of what was just said: 'X denied the claims' (no clause of its own), 'His claims were denied
    by X', "'That is untrue,' said X"."""
    from .actors.resolve import mention_of
    lex = lexicon()
    actor_at = x.scratch["actor_at"]
    for p, doc in enumerate(x.docs):
        for t in doc:
            if t.pos_ == "VERB" and lex.cue(t.lemma_.lower(), "deny") and not unsaid(t) and not brushed_off(t):
                for noun in t.children:
                    if noun.dep_ in ("dobj", "nsubjpass") and pointing(noun, t) and not any(
                            c.dep_ in ("acl", "ccomp", "relcl") or c.dep_ == "prep" and c.lower_ != "as"
                            for c in noun.children):      # "the claims of X" name their own; 'as' judges them
                        speaker = speaker_of(t, p, actor_at)
                        if speaker is not None:
                            yield Denial(speaker, mention_of(x, p, t.sent), f"deny:{t.lemma_.lower()}:anaphor",
                                         owner_of(noun, p, actor_at))
    for q in x.quotes:
        if q.speaker is not None:
            for p, tokens in quote_tokens(x, q):
                if calls_false(tokens):
                    yield Denial(q.speaker, mention_of(x, p, tokens[0].sent), "untrue", None)


def pointing(noun, verb) -> bool:
    """'the claims', 'these allegations', 'his claims': words for what was said; a pronoun only after 'deny'
    ("denied it"), since one rejects or dismisses bills and offers too."""
    if noun.tag_ in ("WDT", "WP"):
        return False            # "a charge that she has always denied": the charge, not what came before
    if noun.lower_ in ANAPHORS:
        return verb.lemma_.lower() in ("deny", "refute", "dispute")
    lemma = noun.lemma_.lower()
    return lemma in claim_nouns() and any(c.dep_ in ("det", "poss") for c in noun.children)


def owner_of(noun, p: int, actor_at: dict) -> Actor | None:
    for c in noun.children:
        if c.dep_ == "poss":
            found = [a for a in actor_at.get((p, c.i), []) if a.kind != "place"]
            return found[0] if found else None
    return None


def calls_false(tokens) -> bool:
    """A quote that calls what was said false: "That is untrue", "It is complete nonsense"; not "it was wrong
    to suggest S", which judges S, said in the same breath."""
    for t in tokens:
        if t.lemma_ == "be" and any(c.dep_ == "nsubj" and c.lower_ in ANAPHORS for c in t.children) and not any(
                c.dep_ in ("xcomp", "ccomp", "advcl", "csubj") for c in t.children):   # "wrong to suggest S"
            comp = [c for c in t.children if c.dep_ in ("acomp", "attr")]
            if comp and comp[0].lemma_.lower() in FALSITY and not any(c.dep_ == "neg" for c in t.children) \
                    and not any(c.dep_ in ("xcomp", "ccomp", "advcl", "acl") for c in comp[0].children):
                return True
    return False


def just_before(claim: Mention, denial: Mention) -> bool:
    """A claim stated in the denial's sentence or the REACH sentences before it."""
    return denial.sentence - REACH <= claim.sentence <= denial.sentence and claim.start <= denial.start


def antecedent(denial: Denial, stated: list):
    """The claim an anaphoric denial answers: the last one asserted, by someone else, in the same or one of
    the REACH sentences before it (by the owner, when 'his claims' names one); else none."""
    here = denial.mention.sentence
    for st, claim in reversed(stated):
        if st.stance != "asserted" or not (here - REACH <= st.mention.sentence <= here):
            continue
        if st.rule.split(":")[-1] not in CLAIMING:
            continue
        if st.mention.start > denial.mention.start or st.speaker.key == denial.speaker.key:
            continue
        if denial.owner is not None and st.speaker.key != denial.owner.key:
            continue
        return claim
    return None
