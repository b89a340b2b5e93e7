"""The quotes stage: direct, mixed and indirect quotations with their speakers and cue words.

Also marks events stated inside someone's words as theirs (reported), and reads a criticism in a
statement ("... Iran's destabilizing influence", said Blinken) as an ACCUSE event of the speaker.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .data import rows
from .events.extract import actors_of, codeable, same_actor
from .events.frames import subject
from .events.lexicon import lexicon
from .ontology import describe
from .model import Event, Extraction, Quote

SPEECH_KINDS = ("say", "claim", "deny", "warn")
SCARE_QUOTE_WORDS = 4        # a short quoted phrase with no cue is a scare quote or a title, not a quote
DOUBLE = re.compile(r'"')
# A single quotation mark opens after a space or bracket and before a letter; an apostrophe sits inside a word.
SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))'(?=[\w\"])")
SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?;:\"])'(?=[\s.,;:!?)\]]|$)")


def run(x: Extraction) -> None:
    actor_at = x.scratch["actor_at"]
    lex = lexicon()
    quotes: list[Quote] = []
    previous_speaker = None
    for p, (paragraph, doc) in enumerate(zip(x.paragraphs, x.docs)):
        spans = quoted_spans(paragraph.text)
        direct = [q for q in (direct_quote(x, p, doc, s, e, actor_at, lex, previous_speaker) for s, e in spans) if q]
        covered = [(q.start, q.end) for q in direct]
        quoted = [paragraph.original_span(s, e) for s, e in spans]
        indirect = [q for q in indirect_quotes(x, p, doc, actor_at, lex)
                    if not overlaps(q, covered) and not overlaps(q, quoted)]   # "I think..." inside a quote
        for q in sorted(direct + indirect, key=lambda q: q.start):
            quotes.append(q)
            previous_speaker = q.speaker or previous_speaker
    x.quotes = quotes
    attribute_events(x)
    x.events += criticism_events(x, actor_at)
    for i, event in enumerate(x.events, 1):
        event.id = i


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
    lemma = token.lemma_.lower()
    return token.pos_ in ("VERB", "AUX") and any(lex.cue(lemma, k) for k in SPEECH_KINDS)


def direct_quote(x, p, doc, start, end, actor_at, lex, previous_speaker) -> Quote | None:
    """A quotation and the speech verb outside it that introduces it: '"...," said Blinken'."""
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None or not inside.text.strip():
        return None
    sentences = {inside[0].sent.start: inside[0].sent, inside[-1].sent.start: inside[-1].sent}
    candidates = [t for sent in sentences.values() for t in sent
                  if is_cue(t, lex) and not (inside.start <= t.i < inside.end)]
    cue = nearest(candidates, inside)
    speaker = actors_of(subject(cue), p, actor_at) if cue is not None else []
    words = len([t for t in inside if not t.is_punct])
    if cue is None:
        if words <= SCARE_QUOTE_WORDS or not starts_sentence(inside) or previous_speaker is None:
            return None
        return make_quote(x, p, inside, previous_speaker, "direct", None, "continues-previous-speaker")
    content, kind = quote_content(cue, inside)
    if kind == "direct" and words <= SCARE_QUOTE_WORDS and not starts_sentence(inside):
        return None
    return make_quote(x, p, content, speaker[0] if speaker else None, kind, cue.text, f"{kind}-quote+cue:{cue.lemma_}")


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
    first = span[0]
    return first.i == first.sent.start or first.nbor(-1).text in ('"', "'", ":")


def quote_content(cue, inside):
    """Direct when the quotation is the whole complement; mixed when it is a fragment of reported words."""
    doc = inside.doc
    complement = next((c for c in cue.children if c.dep_ in ("ccomp", "xcomp")
                       and c.left_edge.i < inside.end and inside.start < c.right_edge.i + 1), None)
    if complement is None:
        return inside, "direct"
    c_start, c_end = complement.left_edge.i, complement.right_edge.i + 1
    outside_words = [t for t in doc[c_start:c_end] if not (inside.start <= t.i < inside.end) and not t.is_punct]
    if len(outside_words) >= 3 and c_start < inside.start:
        return doc[c_start:max(c_end, inside.end)], "mixed"
    return inside, "direct"


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
            speaker = actors_of(subject(t), p, actor_at)
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
