"""The quotes stage: direct, mixed and indirect quotations with their speakers and cue words.

Also marks events stated inside someone's words as theirs (reported), and reads a criticism in a
statement ("... Iran's destabilizing influence", said Blinken) as an ACCUSE event of the speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .data import rows
from .events.extract import actors_of, codeable, same_actor
from .events.frames import is_passive, subject
from .events.lexicon import lexicon
from .ontology import describe
from .model import Actor, Event, Extraction, Quote
from .nlp import text_of

SPEECH_KINDS = ("say", "claim", "deny", "warn")
SCARE_QUOTE_WORDS = 4        # a short quoted phrase with no cue is a scare quote or a title, not a quote
TITLE_WORDS = 8              # quoted words capitalised throughout, up to this long, name a work or a show
DOUBLE = re.compile(r'"')
# A single quotation mark opens after a space or bracket and before a letter; an apostrophe sits inside a word.
SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))'(?=[\w\"])")
SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?;:\"])'(?=[\s.,;:!?)\]]|$)")


def run(x: Extraction) -> None:
    actor_at = x.scratch["actor_at"]
    lex = lexicon()
    quotes: list[Quote] = []
    turn, openers = None, []
    for p, (paragraph, doc) in enumerate(zip(x.paragraphs, x.docs)):
        spans = quoted_spans(paragraph.text)
        quoted = [paragraph.original_span(s, e) for s, e in spans]
        reported = [q for q in indirect_quotes(x, p, doc, actor_at, lex) if not overlaps(q, quoted)]
        turn = turn_at_paragraph_start(x, p, spans, turn, actor_at, lex)
        direct, turn = direct_quotes(x, p, doc, spans, actor_at, lex, turn, openers + reported)
        covered = [(q.start, q.end) for q in direct]
        indirect = [q for q in reported if not overlaps(q, covered)]   # "I think..." inside a quote
        quotes += sorted(direct + indirect, key=lambda q: q.start)
        openers = reported
    x.quotes = quotes
    attribute_events(x)
    x.events += criticism_events(x, actor_at)
    for i, event in enumerate(x.events, 1):
        event.id = i


@dataclass
class Turn:
    """A speaker whose quotation may go on in the next quoted sentences with no cue of their own."""
    speaker: Actor | None
    cue: str | None


def turn_at_paragraph_start(x, p, spans, turn, actor_at, lex) -> Turn | None:
    """Whether a turn carries into paragraph p. A paragraph that opens with a quotation continues the turn
    of the paragraph before (news copy runs one speaker's words over several paragraphs); after a paragraph
    ending in a colon, the quotation is the one that paragraph introduces. Any other paragraph ends it."""
    text = x.paragraphs[p].text
    if not spans or text[:spans[0][0]].strip() not in ('"', "'"):
        return None
    if p > 0 and x.paragraphs[p - 1].text.rstrip().endswith(":") and x.paragraphs[p - 1].field == x.paragraphs[p].field:
        doc = x.docs[p - 1]
        if len(doc):
            return introduced_by(p - 1, doc[-1].sent, actor_at, lex) or turn
    return turn


def introduced_by(p, clause, actor_at, lex) -> Turn | None:
    """Who speaks the quotation a clause ending in a colon introduces: the subject of its speech verb
    ("Cruz continued:"), else of its main verb, else the last actor it names ("... doesn't surprise
    pollster Daron Shaw:") -- the colon presents the words of the one the clause is about."""
    cues = [t for t in clause if is_cue(t, lex)]
    verb = cues[0] if cues else clause.root
    if verb.pos_ in ("VERB", "AUX"):
        found = actors_of(subject(verb), p, actor_at)
        if found:
            return Turn(found[0], verb.text)
    named = [a for t in clause for a in actor_at.get((p, t.i), []) if is_speaker_kind(a)]
    return Turn(named[-1], verb.text if cues else None) if named else None


def is_speaker_kind(a: Actor) -> bool:
    return a.kind in ("person", "organization", "group", "country")


def direct_quotes(x, p, doc, spans, actor_at, lex, turn, reported):
    """The paragraph's quotations in order. One with a cue of its own starts a turn; one with none goes on
    with the open turn; an actor other than the turn's speaker named outside quotation marks ends it."""
    out, last = [], 0
    for s, e in spans:
        inside = doc.char_span(s, e, alignment_mode="expand")
        if inside is None or not inside.text.strip():
            continue
        if turn is not None and names_another(doc[last:inside.start], p, actor_at, turn.speaker):
            turn = None
        if turn is None and not out:
            turn = reported_just_before(x, p, inside, reported)
        q, turn = direct_quote(x, p, doc, inside, actor_at, lex, turn, e)
        if q and out and overlaps(q, [(out[-1].start, out[-1].end)]):
            out[-1] = joined(x, out[-1], q)
        elif q:
            out.append(q)
        last = inside.end
    if turn is not None and names_another(doc[last:], p, actor_at, turn.speaker):
        turn = None
    return out, turn


def joined(x, first: Quote, second: Quote) -> Quote:
    """Several quoted fragments inside one reported clause ('called Trump a "liar" and a "bully"') are one
    mixed quotation of that clause, said once: the two quotes' words joined, the first one's speaker and cue."""
    source = x.article.title if first.field == "title" else x.article.text
    start, end = min(first.start, second.start), max(first.end, second.end)
    kind = "mixed" if "mixed" in (first.type, second.type) else first.type
    speaker = first.speaker or second.speaker
    rule = next((q.rule for q in (first, second) if q.type == kind and q.speaker is speaker), first.rule)
    return Quote(speaker=speaker, text=source[start:end], type=kind, cue=first.cue or second.cue, start=start,
                 end=end, sentence=first.sentence, rule=rule, field=first.field)


def reported_just_before(x, p, inside, reported) -> Turn | None:
    """A quotation right after a sentence reporting someone's words goes on with them: 'Nielson said he had
    suspended Mr Houston. "He will remain suspended..."' (the sentence before, or the same sentence)."""
    here = x.scratch["sentence_of"].get((p, inside[0].sent.start))
    start = x.paragraphs[p].original_span(inside.start_char, inside.end_char)[0]
    opens_paragraph = not inside.doc[:opening_mark(inside)].text.strip()
    near = [q for q in reported if q.speaker is not None and q.end <= start and here is not None and
            (q.sentence == here or (q.sentence == here - 1 and
                                    (opens_paragraph or same_paragraph(x, p, q))))]
    return Turn(near[-1].speaker, near[-1].cue) if near else None


def same_paragraph(x, p, q: Quote) -> bool:
    paragraph = x.paragraphs[p]
    return bool(paragraph.offsets) and paragraph.field == q.field and paragraph.offsets[0] <= q.start


def names_another(span, p, actor_at, speaker) -> bool:
    """Whether the words between two quotations make someone other than the speaker the subject of a
    clause: only a new subject can take the turn ("Mr Makarov told the BBC" leaves it with Makarov)."""
    return any(is_speaker_kind(a) and not (speaker is not None and (a is speaker or a.key == speaker.key))
               for t in span if in_subject(t) for a in actor_at.get((p, t.i), []))


def in_subject(token) -> bool:
    t = token
    while t.dep_ in ("compound", "flat", "amod", "appos", "nmod") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("nsubj", "nsubjpass")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Content spans between quotation marks in one paragraph. A mark after a space opens, one before a
    space closes; an opening mark with no close ends at the next opening or at the paragraph's end, as in
    newswire copy that opens each quoted sentence anew. Never crosses a paragraph."""
    marks = [m.start() for m in DOUBLE.finditer(text)]
    if not marks:
        return single_quoted_spans(text)
    spans, open_at = [], None
    for i in marks:
        if opens(text, i) and not (open_at is not None and closes(text, i)):
            if open_at is not None:
                spans.append((open_at + 1, len(text[:i].rstrip())))
            open_at = i
        elif open_at is not None:
            spans.append((open_at + 1, i))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        spans.append((open_at + 1, len(text)))
    return [(s, e) for s, e in spans if e > s]


def opens(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] in " ([\u2014-:" or (i + 1 < len(text) and text[i + 1].isalnum() and text[i - 1] == " ")


def closes(text: str, i: int) -> bool:
    return i + 1 >= len(text) or text[i + 1] in " .,;:!?)]\u2014-" or text[i - 1] in ".,!?"


def single_quoted_spans(text: str) -> list[tuple[int, int]]:
    """British-style 'single' quotations, told from apostrophes by what stands on each side."""
    opens = [m.start() for m in SINGLE_OPEN.finditer(text)]
    closes = [m.start() for m in SINGLE_CLOSE.finditer(text)]
    spans, last = [], -1
    for o in opens:
        if o <= last:
            continue
        c = next((c for c in closes if c > o + 1), None)
        if c is None:
            break
        spans.append((o + 1, c))
        last = c
    return spans


def overlaps(q: Quote, covered: list[tuple[int, int]]) -> bool:
    return any(q.start < e and s < q.end for s, e in covered)


def is_cue(token, lex) -> bool:
    """A verb of saying, claiming, denying or warning."""
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lex.cue_lemmas(SPEECH_KINDS)


def direct_quote(x, p, doc, inside, actor_at, lex, turn, close=None) -> tuple[Quote | None, Turn | None]:
    """A quotation and the speech verb outside it that introduces it: '"...," said Blinken'. With no such
    verb, a quotation after a colon is the words of the one its clause names, and any other whole sentence
    in quotation marks goes on with the open turn."""
    candidates = [t for sent in around(inside) for t in sent
                  if (is_cue(t, lex) or frames_quotation(t, inside)) and not (inside.start <= t.i < inside.end)]
    words = len([t for t in inside if not t.is_punct])
    sentence_like = starts_sentence(inside)
    signed = dash_signature(x, p, doc, close, actor_at) if close is not None else None
    if signed is not None and sentence_like:
        # a signature closes what its signer says: the next quotation is not theirs without a cue
        return make_quote(x, p, inside, signed, "direct", "\u2015", "direct-quote+dash-signature"), None
    if not sentence_like and not any(governs(t, inside) for t in candidates):
        return according_to_fragment(x, p, inside, actor_at) or noun_report(x, p, inside, actor_at) or \
            fragment_quote(x, p, inside, actor_at), turn
    cue = nearest(candidates, inside)
    title = is_title(inside) and words <= TITLE_WORDS and (words > 1 or not sentence_like)
    if cue is None:
        if title:
            return None, turn
        source = according_to_source(inside, p, actor_at)
        if source is not None:
            return make_quote(x, p, inside, source, "direct", "according to", "direct-quote+according-to"), \
                Turn(source, "according to")
        before = opening_mark(inside) - 1
        if before >= 0 and doc[before].text == ":" and doc[before].sent.start < before:
            # a colon presents the words after it as someone's, however few: 'his message: "It's about me."'
            intro = introduced_by(p, doc[doc[before].sent.start:before], actor_at, lex)
            if intro is not None:
                return make_quote(x, p, inside, intro.speaker, "direct", intro.cue, "direct-quote+colon"), intro
        if words <= SCARE_QUOTE_WORDS:
            return None, turn
        if turn is None:
            # whose words these are would be a guess (the subject of the sentence next to them was right for
            # half of them on PolNeAR train): no quote rather than a coin-flip speaker
            return None, turn
        return make_quote(x, p, inside, turn.speaker, "direct", turn.cue, "continues-previous-speaker"), turn
    speaker = cue_speaker(x, p, cue, actor_at, inside) or quoted_patient(x, cue, candidates, inside, p, actor_at)
    content, kind = quote_content(cue, inside)
    if kind == "direct" and (words <= SCARE_QUOTE_WORDS and not sentence_like or title) and \
            not is_complement(cue, inside):
        reported = reported_words(x, p, inside, candidates, actor_at)
        if reported is None:
            return None, turn
        speaker, content, cue = reported
        speaker, kind = [speaker] if speaker else [], "mixed"
    q = make_quote(x, p, content, speaker[0] if speaker else None, kind, cue.text, f"{kind}-quote+cue:{cue.lemma_}")
    return q, Turn(q.speaker, cue.text)


SIGNATURE_DASH = re.compile(r"""["'\u201d\u2019]?\s*[.,]?\s*(?:\u2015|\u2014|\u2013|--?)\s*""")
SIGNATURE_TOKENS = 12


def dash_signature(x, p, doc, close: int, actor_at) -> Actor | None:
    """A quotation signed after a dash ('"We need change." \u2015 Ann Ruiz, a nurse'), as epigraphs, vox pops and
    quoted posts are signed: the one named right after the dash, in a short verbless tail ending the
    paragraph, said it. `close` is the character offset of the closing quotation mark in the paragraph."""
    m = SIGNATURE_DASH.match(text_of(doc), close)
    if m is None or not re.search(r"[\u2015\u2014\u2013-]", m.group()):
        return None
    tail = doc.char_span(m.end(), len(text_of(doc)), alignment_mode="expand")
    if tail is None or not 0 < len(tail) <= SIGNATURE_TOKENS or \
            any(t.pos_ in ("VERB", "AUX") or '"' in t.text for t in tail):
        return None
    first = tail[0]
    found = [a for a in actor_at.get((p, first.i), []) if a.kind in ("person", "organization", "group")]
    if found:
        return found[0]
    if first.pos_ != "PROPN":
        return None
    last = first
    while last.i + 1 < tail.end and doc[last.i + 1].pos_ == "PROPN":
        last = doc[last.i + 1]
    return named_subject(x, p, last)


def reported_words(x, p, inside, candidates, actor_at):
    """Words quoted inside what a speech verb reports, though not in its clausal complement: 'described Clinton
    as a "disgrace"', 'accused Kim of "fanatic recklessness"', '..., the mayor said, adding that it would take
    "more hours"'. The quoted words belong to the clause of the nearest speech verb above them: that verb's
    dependent holding them (its complement clause, its object, its 'as' or 'of' phrase) is a mixed quote of
    its subject.
    Returns (speaker, content span, cue) or None when no speech verb above them has a speaker. Quoted words
    in an adjunct of place or time ('said on CNN's "State of the Union"'), a title owned by someone ('told
    MSNBC's "Morning Joe"') and quoted words in the speech verb's subject ('Marcia "Cia" Price said') are
    names, not what the verb reports (quoted words capitalised throughout elsewhere are a phrase the speaker
    coined: 'called her "Miss Piggy"')."""
    doc = inside.doc
    governing = [c for c in candidates if governs(c, inside)]
    if not governing:
        return None
    cue = max(governing, key=depth)          # the nearest speech verb above the quoted words
    speaker = cue_speaker(x, p, cue, actor_at, inside)
    if not speaker or not is_speaker_kind(speaker[0]):
        return None
    head = next((t for t in inside if not (inside.start <= t.head.i < inside.end)), inside[0])
    branch = next((a for a in [head, *head.ancestors] if a.head.i == cue.i and a.i != cue.i), None)
    if branch is None or branch.dep_ in ("nsubj", "nsubjpass", "csubj", "agent"):
        return None
    if is_title(inside) and (possessed(inside) or branch.dep_ == "prep" and branch.lower_ in ADJUNCT_PREPOSITIONS):
        return None
    start, end = branch.left_edge.i, branch.right_edge.i + 1
    start, end = min(start, inside.start), max(end, inside.end)
    return speaker[0], doc[start:end], cue


def possessed(inside) -> bool:
    """The quoted words follow a possessive ending: "CNN's "State of the Union""."""
    mark = opening_mark(inside)
    return mark > 0 and inside.doc[mark - 1].tag_ == "POS"


def around(inside) -> list:
    """The sentences a quotation's cue may stand in: its own, and a short one right after the closing mark
    ('"... a pathetic figure!" he wrote.', which the parser splits off after the exclamation)."""
    doc = inside.doc
    out = {inside[0].sent.start: inside[0].sent, inside[-1].sent.start: inside[-1].sent}
    after = inside.end
    while after < len(doc) and doc[after].text in ('"', "'"):
        after += 1
    if after < len(doc) and doc[after].is_sent_start and (len(doc[after].sent) <= 10 or exclaims(inside)):
        out[after] = doc[after].sent
    return list(out.values())


def exclaims(inside) -> bool:
    """Quoted words ending in an exclamation or a question mark and a lowercase or a name right after the
    closing mark: the sentence goes on past the mark ('"... Bobby Scott!" Scott's niece shouted')."""
    doc = inside.doc
    last = next((t for t in reversed(inside) if t.text not in ('"', "'")), None)
    after = inside.end
    while after < len(doc) and doc[after].text in ('"', "'"):
        after += 1
    return last is not None and last.text in ("!", "?") and after < len(doc) and \
        (doc[after].text[:1].islower() or doc[after].pos_ == "PROPN")


def governs(cue, inside) -> bool:
    return is_ancestor(cue, inside[0]) or is_ancestor(cue, inside[-1])


@lru_cache(maxsize=1)
def speech_nouns() -> frozenset:
    return frozenset(r["lemma"].lower() for r in rows("speech_nouns.tsv"))


def noun_report(x, p, inside, actor_at) -> Quote | None:
    """Words quoted in the 'that' clause of a noun of saying ('Trump's claim that there had been "thousands of
    shootings"') are a mixed quote of that clause, said by the noun's possessor (or the one it is 'of' or
    'from'); with no one named with the noun, nobody is known to have said them."""
    head = next((t for t in inside if not (inside.start <= t.head.i < inside.end)), inside[0])
    nouns = speech_nouns()
    for clause in [head, *head.ancestors][:MAX_CLAUSE_CLIMB]:
        noun = clause.head
        if noun.i == clause.i or noun.pos_ != "NOUN" or noun.lemma_.lower() not in nouns:
            continue
        if clause.dep_ in ("acl", "ccomp", "relcl") and \
                any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
            speaker = named_with(p, noun, actor_at)
            if speaker is None:
                return None
            content = inside.doc[min(clause.left_edge.i, inside.start):max(clause.right_edge.i + 1, inside.end)]
            return make_quote(x, p, content, speaker, "mixed", noun.text, f"mixed-quote+noun:{noun.lemma_}")
    return None


MAX_CLAUSE_CLIMB = 6


def fragment_quote(x, p, inside, actor_at) -> Quote | None:
    """Words quoted inside a clause whose verb says nothing of speech ('Beck called Palin a "clown"',
    'pledged to "take our fight" to the states') are the words of that clause's subject when it is someone:
    a mixed quote of the verb's complements. With no one as subject, they are a title or a scare quote."""
    verb = governing_verb(inside)
    if verb is None or is_title(inside) or in_adjunct(inside, verb) or scare_quoted(inside, verb):
        return None
    words = subject(verb)
    speakers = [a for a in actors_of(words, p, actor_at) or appositive_actors(words, p, actor_at) if is_speaker_kind(a)]
    if not speakers and words:
        named = named_subject(x, p, words[0])
        speakers = [named] if named is not None else []
    if not speakers:
        return None
    parts = [c for c in verb.children if c.i > verb.i and c.dep_ not in ("conj", "cc", "punct", "advcl", "parataxis")]
    content = inside
    if parts:
        start, end = min(c.left_edge.i for c in parts), max(c.right_edge.i for c in parts) + 1
        if start <= inside.start and inside.end <= end + 1:
            content = inside.doc[start:max(end, inside.end)]
    return make_quote(x, p, content, speakers[0], "mixed", verb.text, f"mixed-quote+verb:{verb.lemma_}")


NAMING_VERBS = frozenset("call dub label brand term name describe characterize characterise portray deem rate".split())


def scare_quoted(inside, verb) -> bool:
    """Quoted words that modify a noun outside them ('"quack" medical cures', 'Tea Party "super PACs"') or
    stand in the clause's own subject ('Byrd's strategy of "massive resistance" prompted ...') mark a term as
    someone else's or as dubious; they are not words the subject says. After a verb of naming the modifier
    is the name given ('called North Korea's "reckless" actions', 'characterized Kaine as "desperate"')."""
    head = next((t for t in inside if not (inside.start <= t.head.i < inside.end)), inside[0])
    if head.dep_ in ("amod", "compound", "nmod") and not (inside.start <= head.head.i < inside.end) and \
            verb.lemma_.lower() not in NAMING_VERBS:
        return True
    t = head
    while t.i != verb.i and t.head.i != t.i:
        if t.dep_ in ("nsubj", "nsubjpass", "csubj") and t.head.i == verb.i:
            return True
        t = t.head
    return False


def is_title(inside) -> bool:
    """Quoted words capitalised throughout ("Make America Great Again", "The Walking Dead") name a work, a
    show or a slogan; they are not someone's words in the clause."""
    words = [t for t in inside if t.is_alpha and len(t) > 3]
    return bool(words) and all(t.text[0].isupper() for t in words)


ADJUNCT_PREPOSITIONS = ("in", "at", "on", "during", "from", "into", "with", "to", "by", "under", "after", "before",
                        "since", "through")


def in_adjunct(inside, verb) -> bool:
    """Quoted words inside an adjunct of place, time or manner ('acting in "..."', 'go to the "back of the
    queue"') are a name or a scare quote, not the words the clause reports. The 'to' of a verb of likening
    is no adjunct but what the subject likens to ('likened the rules to "burning the Constitution"')."""
    t = next((t for t in inside if not (inside.start <= t.head.i < inside.end)), inside[0])
    while t.i != verb.i and t.head.i != t.i:
        if t.dep_ == "prep" and t.lower_ in ADJUNCT_PREPOSITIONS and \
                not (t.lower_ == "to" and t.head.lemma_.lower() in LIKENING_VERBS):
            return True
        t = t.head
    return False


LIKENING_VERBS = frozenset("liken compare equate".split())


def governing_verb(inside):
    """The verb of the clause the quoted words stand in: the first verb above their head, outside them."""
    heads = [t for t in inside if not (inside.start <= t.head.i < inside.end) or t.head.i == t.i]
    t = heads[0] if heads else inside[0]
    for _ in range(8):
        if t.pos_ == "VERB" and not (inside.start <= t.i < inside.end):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def according_to_source(inside, p, actor_at) -> Actor | None:
    """'According to Woodward, "..."': the one the quotation is according to."""
    for sent in around(inside):
        for t in sent:
            if t.lower_ == "according" and not (inside.start <= t.i < inside.end):
                to = next((c for c in t.children if c.lower_ == "to"), None)
                found = actors_of([c for c in to.children if c.dep_ == "pobj"], p, actor_at) if to else []
                if found:
                    return found[0]
    return None


SPOKES = ("spokesman", "spokeswoman", "spokesperson")
DOCUMENTS = ("letter", "statement", "memo", "report", "tweet", "post")


def cue_speaker(x, p, cue, actor_at, quoted=None) -> list:
    """The subject of the speech verb, read as news writing means it (see refine). Whoever says a quotation
    stands outside its quotation marks: a subject the parser found inside them is none ('"One of the
    brightest members of Congress," Rep. Ann Ruiz said' is Ruiz speaking, not Congress); then the name
    between the closing mark and the verb speaks ('"...," Flynn, a top surrogate, said')."""
    words = subject(cue) or inverted_subject(cue)
    if quoted is not None:
        words = [w for w in words if not (quoted.start <= w.i < quoted.end)] or \
            inverted_subject(cue) or postposed_subject(cue, quoted, p, actor_at)
    found = actors_of(words, p, actor_at) or appositive_actors(words, p, actor_at)
    if not found and words and words[0].lower_ in DOCUMENTS + SPOKES:
        principal = named_with(p, words[0], actor_at)
        if principal is None:
            return []
        return [principal if words[0].lower_ in DOCUMENTS else spokesperson(words[0], principal, principal)]
    if not found and words:
        named = named_subject(x, p, words[0])
        return [named] if named is not None else []
    if not found:
        return found
    if words[0].lower_ in ("he", "she"):
        previous = previous_subject(x, p, words[0], actor_at)
        if previous is not None:
            return [previous]
    return [refine(x, p, words[0], found[0], actor_at)] + found[1:]


def previous_subject(x, p, pronoun, actor_at) -> Actor | None:
    """'He said' opening a sentence speaks for the person who is the main-clause subject of the sentence
    before, or of the one before that when the sentence between has no person as subject (a subject pronoun
    continues the last subject that can be a he or she): 'Wenger's counterpart Felix Magath was in no mood
    to celebrate. He said: ...' is Magath, though Wenger was named last."""
    sent = pronoun.sent
    if pronoun.i != sent.start and any(t.pos_ in ("VERB", "AUX") and t.i < pronoun.i for t in sent):
        return None                     # the pronoun does not open its sentence
    for q, before in sentences_before(x, p, sent, PRONOUN_LOOKBACK):
        for t in before:
            if in_subject(t) and main_clause(t):
                persons = [a for a in actor_at.get((q, t.i), []) if a.kind == "person"]
                if persons:
                    return persons[0] if gender_of(x, persons[0], actor_at) in (None, PRONOUN_GENDER[
                        pronoun.lower_]) else None
    return None


PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                  "herself": "f"}
HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


def gender_of(x, actor: Actor, actor_at) -> str | None:
    """'m' or 'f' when the article shows it: an honorific before a mention ("Mrs. Clinton") or the pronouns
    the article's he/she already stand for; None when it does not."""
    votes = []
    for m in actor.mentions:
        source = x.article.title if m.field == "title" else x.article.text
        before = re.findall(r"(\w+)\.?\s*$", source[max(0, m.start - 6):m.start])
        if before and before[0].lower() in HONORIFIC_GENDER:
            votes.append(HONORIFIC_GENDER[before[0].lower()])
    for (q, i), found in actor_at.items():
        if any(a is actor for a in found) and x.docs[q][i].lower_ in PRONOUN_GENDER:
            votes.append(PRONOUN_GENDER[x.docs[q][i].lower_])
    if not votes or votes.count("m") == votes.count("f"):
        return None
    return max(("m", "f"), key=votes.count)


PRONOUN_LOOKBACK = 2


def sentences_before(x, p, sent, n: int) -> list:
    """Up to n sentences before this one, nearest first, with their paragraph; within one field."""
    out, q, start = [], p, sent.start
    while len(out) < n:
        if start > 0:
            before = x.docs[q][start - 1].sent
        else:
            q -= 1
            if q < 0 or not len(x.docs[q]) or x.paragraphs[q].field != x.paragraphs[p].field:
                break
            before = x.docs[q][-1].sent
        out.append((q, before))
        start = before.start
    return out


def appositive_actors(words, p, actor_at) -> list:
    """A subject that names no one stands for the one its apposition names: 'Another critic, Laurence Tribe,
    likened ...' is Tribe speaking."""
    return [a for w in words[:1] for c in w.children if c.dep_ == "appos"
            for a in actor_at.get((p, c.i), []) if is_speaker_kind(a)][:1]


def postposed_subject(cue, quoted, p, actor_at) -> list:
    """The name between a quotation's closing mark and the speech verb after it, up to the comma that
    opens its apposition: a person named there rather than the place or body that qualifies them
    ('"...," Tulsa police Chief Chuck Jordan said')."""
    if quoted.end > cue.i:
        return []
    phrase = []
    for t in quoted.doc[quoted.end:cue.i]:
        if t.text in ('"', "'") or t.is_punct and not phrase:
            continue
        if t.is_punct:
            break
        phrase.append(t)
    persons = [t for t in phrase if any(a.kind == "person" for a in actor_at.get((p, t.i), []))]
    named = [t for t in phrase if any(is_speaker_kind(a) for a in actor_at.get((p, t.i), [])) or t.pos_ == "PROPN"]
    return (persons or named)[-1:]


def inverted_subject(cue) -> list:
    """In the inversion after a quotation ('"...," said Skelly') or opening a sentence ('Said Ellis: "..."')
    the name right after the verb is its subject, though the parser may take it for an adverb or an object."""
    if cue.i + 1 >= len(cue.doc) or cue.i > 0 and cue.nbor(-1).text not in ('"', "'", ",") and \
            not cue.is_sent_start:
        return []
    after = cue.nbor(1)
    if after.pos_ == "PROPN" or (after.text[:1].isupper() and after.dep_ in ("advmod", "npadvmod", "dobj")):
        return [after]
    return []


def refine(x, p, word, speaker: Actor, actor_at) -> Actor:
    """A spokesman speaks for the body or person named with him ("a spokesman for Pelosi", "a Home Office
    spokesman"), else for the body the sentence before made its subject; a letter, statement or tweet says
    the words of the one it is from ("the letter, from the Home Office, says"); a definite description of an
    office ("the prime minister said") or a nationality ("the American said") refers back to the person
    last named as the subject of a main clause."""
    if speaker.kind == "person" and speaker.rule.startswith("ner") and headline_cue(speaker.name):
        return without_cue(speaker)
    if word.lower_ in DOCUMENTS:
        return named_with(p, word, actor_at) or speaker
    if word.lower_ in SPOKES:
        principal = named_with(p, word, actor_at) or subject_before(x, p, word, actor_at, ("organization",))
        if principal is not None:
            return spokesperson(word, speaker, principal)
        return speaker
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in word.children)
    description = speaker.kind == "person" and speaker.rule.startswith("sectors") and word.pos_ == "NOUN" \
        and word.tag_ == "NN"
    demonym = speaker.kind == "country" and word.text[:1].isupper() and \
        word.lower_ not in speaker.name.lower().split()
    if definite and (description or demonym):
        return subject_before(x, p, word, actor_at, ("person",), named_only=True) or speaker
    return speaker


def headline_cue(name: str) -> bool:
    """A name ending in a capitalised speech verb is a headline's subject and its cue run together
    ("Weiner Denies"): the name finder took the verb in."""
    words = name.split()
    return len(words) > 1 and words[-1][:1].isupper() and words[-1].endswith("s") and \
        any(lexicon().cue(lemma, k) for lemma in verb_stems(words[-1].lower()) for k in SPEECH_KINDS)


def verb_stems(word: str) -> tuple:
    """Candidate lemmas of a third-person verb: "says" -> say, "denies" -> deny, "slams" -> slam."""
    return (word[:-1], word[:-2], word[:-3] + "y" if word.endswith("ies") else word[:-1])


def without_cue(speaker: Actor) -> Actor:
    name = speaker.name
    while headline_cue(name):
        name = name.rsplit(" ", 1)[0]
    return Actor(name=name, kind=speaker.kind, country=speaker.country, sector=speaker.sector, role=speaker.role,
                 code=speaker.code, mentions=speaker.mentions, rule=speaker.rule + "+quotes:headline-cue-removed")


def named_subject(x, p, word) -> Actor | None:
    """A proper name as the subject of a speech verb names whoever speaks, though the name finder missed
    it ("Sweeny said", "Bozell answers"): the person of the article with that surname, else a new one. A
    place never speaks. A capitalised subject that is the surname of a person the article names is that
    person, however the tagger took the word ("Trump" tagged a noun or a verb)."""
    known = known_surname(x, word)
    if known is not None:
        return known
    if not (word.pos_ == "PROPN" or word.text[:1].isupper() and word.dep_ in ("advmod", "npadvmod")) \
            or word.ent_type_ in ("LOC", "FAC", "DATE", "TIME") or word.lower_ in ("the", "a", "an"):
        return None
    first = word
    while first.i > 0 and first.nbor(-1).dep_ in ("compound", "flat") and first.nbor(-1).head.i == word.i \
            and first.nbor(-1).pos_ == "PROPN":
        first = first.nbor(-1)
    span = word.doc[first.i:word.i + 1]
    for a in x.actors:
        if a.kind == "person" and (a.name == span.text or a.name.split()[-1] == word.text):
            return a
    from .actors.resolve import mention_of
    kind = "organization" if word.ent_type_ in ("ORG", "NORP") else "person"
    return Actor(name=span.text, kind=kind, mentions=[mention_of(x, p, span)], rule="quotes:named-subject-of-cue")


def known_surname(x, word) -> Actor | None:
    if not word.text[:1].isupper() or word.pos_ == "PRON" or word.lower_ in NOT_SURNAMES:
        return None
    return next((a for a in x.actors if a.kind == "person" and len(a.name.split()) > 1
                 and a.name.split()[-1] == word.text), None)


NOT_SURNAMES = frozenset("the a an this that these those it he she they we i".split())


def named_with(p, word, actor_at) -> Actor | None:
    """The actor a noun is 'of' or 'for', or that modifies it ("Pelosi's spokesman", "a Pelosi spokesman")."""
    near = [c for c in word.children if c.dep_ in ("poss", "compound")]
    near += [o for c in word.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "from", "by")
             for o in c.children if o.dep_ == "pobj"]
    near += [o for c in word.children if c.dep_ == "appos" for p_ in c.children if p_.dep_ == "prep" and
             p_.lower_ == "from" for o in p_.children if o.dep_ == "pobj"]   # "the letter, from the Home Office,"
    for t in near:
        for a in actor_at.get((p, t.i), []):
            if a.kind in ("person", "organization", "group", "country"):
                return a
    return None


def subject_before(x, p, word, actor_at, kinds, named_only=False) -> Actor | None:
    """The last actor of these kinds named as the subject of a main clause before the word, in its
    paragraph or the two before it."""
    for q in range(p, max(-1, p - 3), -1):
        doc = x.docs[q]
        end = word.i if q == p else len(doc)
        for t in reversed(doc[:end]):
            if not in_subject(t) or not main_clause(t):
                continue
            for a in actor_at.get((q, t.i), []):
                if a.kind in kinds and not (named_only and a.rule.startswith("sectors")):
                    return a
    return None


def main_clause(token) -> bool:
    """Not inside a reported, subordinate or relative clause."""
    return not any(a.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp") for a in token.ancestors)


def spokesperson(word, speaker: Actor, principal: Actor) -> Actor:
    return Actor(name=f"{principal.name} {word.lower_}", kind="person", country=principal.country,
                 sector=speaker.sector, role=word.lower_, code=principal.code or speaker.code,
                 mentions=speaker.mentions, rule=f"quotes:spokesperson-for:{principal.name}")


def quoted_patient(x, cue, candidates, inside, p, actor_at) -> list:
    """'Mr Houston is alleged to have said "..."', 'was quoted saying "..."': a passive speech verb with no
    agent, over a second speech verb, makes its own subject the one whose words these are."""
    if not is_passive(cue) or not any(c.i != cue.i and is_ancestor(cue, c) for c in candidates):
        return []
    patients = [c for c in cue.children if c.dep_ == "nsubjpass"]
    found = actors_of(patients, p, actor_at)
    if not found and patients:
        named = named_subject(x, p, patients[0])
        return [named] if named is not None else []
    return found


def frames_quotation(verb, inside) -> bool:
    """A verb whose clausal complement is a whole quotation is a verb of saying, whatever the verb
    ('"Compare him to Hillary," Gorka urged'; 'Keidis continued: "..."'); so is a verb whose object or
    open complement is a whole quoted sentence ('Protesters chanted "What curfew?"')."""
    if verb.pos_ != "VERB":
        return False
    return any((c.dep_ in ("ccomp", "parataxis") or c.dep_ in ("dobj", "xcomp") and quoted_sentence(inside)) and
               inside.start <= c.i < inside.end and
               c.left_edge.i >= inside.start - 1 and c.right_edge.i <= inside.end for c in verb.children)


def quoted_sentence(inside) -> bool:
    """Quoted words that make a sentence: capitalised, with a verb or ending as a sentence ends."""
    words = [t for t in inside if not t.is_punct]
    return bool(words) and words[0].text[:1].isupper() and not is_title(inside) and \
        (any(t.pos_ in ("VERB", "AUX") for t in words) or inside[-1].text in (".", "!", "?"))


def is_complement(cue, inside) -> bool:
    """The quotation is the clause the cue says: 'said "we are ready"' is a quote however short."""
    return any(t.head.i == cue.i and t.dep_ in ("ccomp", "xcomp", "parataxis") for t in inside)


def opening_mark(inside) -> int:
    """Index of the token before the quoted words' opening quotation marks."""
    i = inside.start - 1
    while i >= 0 and inside.doc[i].text in ('"', "'", "`", "``", "''"):
        i -= 1
    return i + 1


def nearest(candidates: list, inside):
    """The cue that says the quoted words: of the cues governing them, the outermost (in "Blinken said the
    US had warned that ... 'a dramatic escalation'", Blinken speaks); else the nearest cue."""
    if not candidates:
        return None
    governing = [t for t in candidates if is_ancestor(t, inside[0]) or is_ancestor(t, inside[-1])]
    if governing:
        return min(governing, key=depth)
    return min(candidates, key=lambda t: min(abs(t.i - inside.start), abs(t.i - inside.end)))


def is_ancestor(cue, token) -> bool:
    return any(a.i == cue.i for a in token.ancestors)


def depth(token) -> int:
    return sum(1 for _ in token.ancestors)


def starts_sentence(span) -> bool:
    """The quoted words open a sentence of their own: first in their sentence, or capitalised after a
    colon, a comma, a dash or a verb ('said "We..."'); words quoted inside a clause are a fragment of it."""
    first = span[0]
    if first.text == "[" and len(span) > 1:
        first = span[1]     # an editor's bracket stands for the original's first letter: '"[I]f it was left..."'
    mark = opening_mark(span)
    if mark == 0 or first.is_sent_start or span.doc[mark].is_sent_start:
        return True
    if not (first.text[:1].isupper() or first.text[:1].isdigit()):
        return False
    prev = span.doc[mark - 1]
    return prev.text in (":", ",", ".", "!", "?", "\u2014", "\u2013", "-", "(") or prev.pos_ == "VERB"


def quote_content(cue, inside):
    """Direct when the quotation is the whole complement; mixed when it is a fragment of reported words."""
    doc = inside.doc
    complement = next((c for c in cue.children if reported_clause(c)
                       and c.left_edge.i < inside.end and inside.start < c.right_edge.i + 1), None)
    if complement is None or complement.left_edge.i >= inside.start - 1:
        joined_report = coordinated_report(cue, inside)
        if joined_report is not None:
            return joined_report, "mixed"
    if complement is None:
        joined_report = quoted_object(cue, inside)
        return (joined_report, "mixed") if joined_report is not None else (inside, "direct")
    c_start, c_end = complement.left_edge.i, report_end(complement)
    outside_words = [t for t in doc[c_start:c_end] if not (inside.start <= t.i < inside.end) and not t.is_punct]
    if len(outside_words) >= 3 and c_start < inside.start:
        return doc[c_start:max(c_end, inside.end)], "mixed"
    return inside, "direct"


def reported_clause(c) -> bool:
    """A dependent of a speech verb that is what it reports: a clausal complement, or an infinitive of what
    someone is told or urged to do ('tells his supporters to "go to your place and vote"')."""
    return c.dep_ in ("ccomp", "xcomp") or c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to"
                                                                      for g in c.children)


def quoted_object(cue, inside):
    """A quotation that opens the object of a speech verb, the object going on after it ('the police reported
    "2,521 shooting incidents" in the city between January and September'), is a mixed quote of the object."""
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.left_edge.i >= inside.start - 1
                and inside.start <= c.i < inside.end), None)
    if obj is None:
        return None
    after = [t for t in inside.doc[inside.end:obj.right_edge.i + 1] if not t.is_punct]
    return inside.doc[obj.left_edge.i:obj.right_edge.i + 1] if len(after) >= 3 else None


def report_end(complement) -> int:
    """Where a reported clause ends: before a speech verb coordinated with it that has no subject of its own
    ('China said it was "resolutely opposed" to the test and warned North Korea to ...'): that verb shares the
    reporter's subject and makes a second statement, not part of the first."""
    end = complement.right_edge.i + 1
    lex = lexicon()
    for c in complement.children:
        if c.dep_ == "conj" and is_cue(c, lex) and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            cc = [g.i for g in complement.children if g.dep_ == "cc" and g.i < c.i]
            end = min(end, *(cc or [c.left_edge.i]))
    return end


def coordinated_report(cue, inside):
    """A quotation in a clause coordinated with what a speech verb reports goes on with that report: 'Clinton
    says she hopes to win, but she knows that "LeBron will always be the king"', 'said that the video should
    be released but said "the question is the timing"' are one mixed quotation, from the reported clause to
    the end of the coordinated one. So is a quotation right after the reported clause, with nothing but
    punctuation between ('said she has what the job needs: "Steadiness ..."'). A coordinated speech verb with a
    subject of its own ('..., and Smith said "..."') starts a report of its own."""
    head = next((t for t in inside if not (inside.start <= t.head.i < inside.end)), inside[0])
    branch = next((a for a in [head, *head.ancestors] if a.head.i == cue.i and a.i != cue.i), None)
    if branch is None:
        return None
    report = next((c for c in cue.children if reported_clause(c) and c.i < branch.i and c.i != branch.i
                   and c.right_edge.i < inside.start), None)
    if report is None:
        return None
    if branch.dep_ == "conj":
        if is_cue(branch, lexicon()) and any(c.dep_ in ("nsubj", "nsubjpass") for c in branch.children):
            return None
    elif branch.dep_ in ("ccomp", "xcomp", "advcl", "dep", "parataxis", "appos"):
        if any(not (t.is_punct or t.dep_ == "cc") for t in inside.doc[report.right_edge.i + 1:opening_mark(inside)]):
            return None
    else:
        return None
    return inside.doc[report.left_edge.i:max(branch.right_edge.i + 1, inside.end)]


def indirect_quotes(x, p, doc, actor_at, lex) -> list[Quote]:
    """'X said (that) ...', '..., X said', 'according to X, ...'."""
    out = []
    for t in doc:
        if is_cue(t, lex):
            complement = next((c for c in t.children if c.dep_ == "ccomp"), None)
            if complement is None:
                continue
            span = doc[complement.left_edge.i:complement.right_edge.i + 1]
            span = strip_that(span)
            if len(span) < 3:
                continue
            speaker = cue_speaker(x, p, t, actor_at)
            out.append(make_quote(x, p, span, speaker[0] if speaker else None, "indirect", t.text,
                                  f"indirect+cue:{t.lemma_}"))
        elif t.lower_ == "according" and any(c.lower_ == "to" for c in t.children):
            out += according_to(x, p, doc, t, actor_at)
    return out


def strip_that(span):
    while len(span) and span[0].lower_ in ("that", ",", ":"):
        span = span[1:]
    while len(span) and span[-1].is_punct:
        span = span[:-1]
    return span


def according_to_fragment(x, p, inside, actor_at) -> Quote | None:
    """Words quoted in a sentence 'according to X' attributes ('According to the mayor, the plan reeks of
    "fear"') are X's: a mixed quote of what the sentence says."""
    sent = inside[0].sent
    for t in sent:
        if t.lower_ == "according" and any(c.lower_ == "to" for c in t.children) and \
                not (inside.start <= t.i < inside.end):
            said = according_to(x, p, inside.doc, t, actor_at)
            if said and said[0].speaker is not None and said[0].start <= x.paragraphs[p].original_span(
                    inside.start_char, inside.end_char)[0]:
                q = said[0]
                return Quote(speaker=q.speaker, text=q.text, type="mixed", cue=q.cue, start=q.start, end=q.end,
                             sentence=q.sentence, rule="mixed-quote+according-to", field=q.field)
    return None


def according_to(x, p, doc, t, actor_at) -> list[Quote]:
    """'according to X, ...': X said the rest of the sentence."""
    to = next(c for c in t.children if c.lower_ == "to")
    source = [c for c in to.children if c.dep_ == "pobj"]
    speaker = actors_of(source, p, actor_at)
    sent = t.sent
    phrase = (t.i, max([w.i for w in t.subtree]) + 1)
    rest = doc[phrase[1]:sent.end] if phrase[0] - sent.start < 2 else doc[sent.start:phrase[0]]
    rest = strip_that(rest)
    if len(rest) < 3:
        return []
    return [make_quote(x, p, rest, speaker[0] if speaker else None, "indirect", "according to", "indirect+according-to")]


def make_quote(x, p, span, speaker, kind, cue, rule) -> Quote:
    from .actors.resolve import mention_of
    m = mention_of(x, p, span)
    return Quote(speaker=speaker, text=m.text, type=kind, cue=cue, start=m.start, end=m.end,
                 sentence=m.sentence, rule=rule, field=m.field)


def attribute_events(x: Extraction) -> None:
    """An event stated inside someone's quoted words is theirs to claim: reported, attributed to them."""
    for event in x.events:
        m = event.mentions[0]
        start = m.trigger_start if m.trigger_start is not None else m.start
        for q in x.quotes:
            if q.field == m.field and q.start <= start < q.end and q.speaker is not None:
                own = event.source is not None and q.speaker.country == event.source.country
                if event.modality == "asserted" and not own:
                    event.modality, event.modality_cue = "reported", q.cue
                if event.modality in ("reported", "denied") and event.attributed_to is None:
                    event.attributed_to = q.speaker      # "..., according to Polish intelligence"
                break


@lru_cache(maxsize=1)
def disapproval_words() -> frozenset:
    return frozenset(r["lemma"].lower() for r in rows("disapproval.tsv"))


def criticism_events(x: Extraction, actor_at: dict) -> list[Event]:
    """A speaker who uses words of condemnation about another actor accuses it (CAMEO 111)."""
    words = disapproval_words()
    out = []
    for p, doc in enumerate(x.docs):
        paragraph = x.paragraphs[p]
        if not paragraph.offsets:
            continue
        first, last = paragraph.offsets[0], paragraph.offsets[-1] + 1
        candidates = [t for t in doc if t.lemma_.lower() in words]
        local = [q for q in x.quotes if codeable(q.speaker) and q.field == paragraph.field
                 and q.start < last and first < q.end]
        for q in local:
            hits = [t for t in candidates if inside_quote(x, p, t, q)]
            if not hits:
                continue
            for word in hits:
                for target in criticised(x, p, doc, q, actor_at, word):
                    out.append(criticism(x, p, word, q, target))
    return dedupe(out)


def inside_quote(x, p, token, q: Quote) -> bool:
    start, _ = x.paragraphs[p].original_span(token.idx, token.idx + len(token))
    return x.paragraphs[p].field == q.field and q.start <= start < q.end


def clause_of(token):
    """The verb heading the clause a word stands in (the word itself if it is that verb)."""
    t = token
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def criticised(x, p, doc, q: Quote, actor_at, word) -> list:
    """Actors the condemning word is said of: named inside the statement, in the word's own clause, other
    than the speaker's own side; at most two. ("Failing states like Iran are less of a problem" says
    nothing bad of Iran's neighbour named in the next clause.)"""
    seen = []
    clause = clause_of(word)
    for t in clause.subtree:
        for a in actor_at.get((p, t.i), []):
            if a.kind in ("country", "organization", "group") and codeable(a) and inside_quote(x, p, t, q) \
                    and not same_actor(a, q.speaker) and a.country != q.speaker.country and a not in seen:
                seen.append(a)
    return seen[:2]


def criticism(x, p, token, q: Quote, target) -> Event:
    from .actors.resolve import mention_of
    m = mention_of(x, p, token.sent)
    t = mention_of(x, p, token.doc[token.i:token.i + 1])
    m.trigger_start, m.trigger_end = t.start, t.end
    code = describe("111")
    return Event(type="ACCUSE", source=q.speaker, target=target, trigger=token.text,
                 rule=f"quotes:criticism-in-statement word={token.lemma_.lower()} cue={q.cue}", mentions=[m],
                 mode="disapprove", cameo="111", cameo_name=code.name if code else None,
                 quad_class=code.quad_class if code else None, goldstein=code.goldstein if code else None,
                 modality="asserted", confidence=0.6)


def dedupe(events: list[Event]) -> list[Event]:
    seen, out = set(), []
    for e in events:
        key = (e.source.key if e.source else None, e.target.key if e.target else None, e.mentions[0].start)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
