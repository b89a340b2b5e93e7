"""Cleaning: paragraphs found, whitespace and quotation marks normalized, a repeated lead dropped.

Every cleaned character keeps the index of the original character it came from, so any span
found later maps back into the article exactly as it was read.
"""
from __future__ import annotations

import re

from . import settings
from .model import Extraction, Paragraph

# Typographic quotation marks become plain ones so that one quote finder serves every source.
QUOTE_MAP = {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e"}
QUOTE_MAP.update({c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"})
# Zero-width and directional marks carry no words; dropping them keeps tokens whole.
INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u202a\u202b\u202c\u202d\u202e"
                "\u2066\u2067\u2068\u2069\u00ad")
QUOTE_TABLE = str.maketrans(QUOTE_MAP)
# Runs of anything but whitespace (re's \s is str.isspace); what a text drops: invisible marks and control
# characters other than whitespace.
WORD_RUNS = re.compile(r"\S+")
DROPPED = re.compile("[" + "".join(sorted(INVISIBLE)) + "\x00-\x08\x0e-\x1f\x7f]")
WORD = re.compile(r"\w+")
# Every way a text ends a line: Windows and old Mac line ends, and Unicode's line and paragraph separators.
LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
SENTENCE_END = re.compile(r'[.!?]["\')\]]?\s')


def clean(extraction: Extraction) -> Extraction:
    """Fill in `paragraphs`: the title first, then the body, a repeated lead left out."""
    article = extraction.article
    text = article.text
    if len(text) > settings.MAX_ARTICLE_CHARS:
        extraction.warnings.append(f"article cut at {settings.MAX_ARTICLE_CHARS} characters")
        text = text[:settings.MAX_ARTICLE_CHARS]
    spans = paragraph_spans(text)
    paragraphs = title_paragraphs(extraction)
    for start, end in spans:
        for piece_start, piece_end in bounded_pieces(text, start, end):
            p = normalize(text, piece_start, piece_end, len(paragraphs))
            if p.text:
                paragraphs.append(p)
    body_from = 1 if paragraphs and (paragraphs[0].field == "title" or article.title_in_text) else 0
    dropped = repeated_paragraphs(paragraphs, body_from)
    extraction.dropped_paragraphs = [paragraphs[i].offsets[0] for i in dropped]
    kept = [p for i, p in enumerate(paragraphs) if i not in dropped]
    for i, p in enumerate(kept):
        p.index = i
    extraction.paragraphs = kept
    return extraction


def title_paragraphs(extraction: Extraction) -> list[Paragraph]:
    """A title given apart from the text is the first paragraph; one longer than a paragraph may be is cut."""
    title, article = extraction.article.title, extraction.article
    if not title or article.title_in_text:
        return []
    if len(title) > settings.MAX_PARAGRAPH_CHARS:
        extraction.warnings.append(f"title cut at {settings.MAX_PARAGRAPH_CHARS} characters")
    p = normalize(title, 0, min(len(title), settings.MAX_PARAGRAPH_CHARS), 0, "title")
    return [p] if p.text else []


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: a line each, or blocks of hard-wrapped lines."""
    lines = line_spans(text)
    wrapped = is_hard_wrapped(text, lines)
    indents_mark = wrapped and wrapped_indents(text, lines)
    spans, current = [], None
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            current = close(spans, current)
            continue
        indented = line[:1] in (" ", "\t") and line.strip() != ""
        if current is None or not wrapped or (indented and indents_mark):
            current = close(spans, current)
            current = [start, end]
        else:
            current[1] = end
    close(spans, current)
    return spans


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, whichever line ends the text uses."""
    out, pos = [], 0
    for m in LINE_BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def close(spans: list, current: list | None) -> None:
    if current is not None:
        spans.append((current[0], current[1]))
    return None


def is_hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """Wrapped text has lines of similar middling length that mostly stop mid-sentence. Short lines are no
    evidence either way (a paragraph's last line, a headline, a sign-off like "REUTER"): of the full-length
    lines, more than half stop mid-sentence."""
    body = [text[s:e].rstrip() for s, e in lines if text[s:e].strip()]
    if len(body) < 4 or max(len(b) for b in body) > 100:
        return False
    full = [b for b in body if len(b) >= 35]
    mid_sentence = sum(1 for b in full if b[-1:] not in '.!?"\'')
    return len(full) >= 3 and mid_sentence / len(full) > 0.5


def wrapped_indents(text: str, lines: list[tuple[int, int]]) -> bool:
    """Some wrapped sources (newswires) mark a new paragraph by indenting its first line."""
    body = [text[s:e] for s, e in lines if text[s:e].strip()]
    indented = sum(1 for b in body if b[:1] in (" ", "\t"))
    return 0 < indented < len(body) * 0.8


def bounded_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A paragraph longer than the parser should take is cut at sentence ends, else at spaces."""
    limit = settings.MAX_PARAGRAPH_CHARS
    pieces = []
    while end - start > limit:
        window = text[start:start + limit]
        cut = max((m.end() for m in SENTENCE_END.finditer(window)), default=0)
        if cut < limit // 4:
            cut = window.rfind(" ") + 1 or limit
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def normalize(text: str, start: int, end: int, index: int, field: str = "text") -> Paragraph:
    """Whitespace runs to one space, typographic quotes to plain, invisible marks removed."""
    if not DROPPED.search(text, start, end):
        return joined_runs(text, start, end, index, field)
    chars, offsets = [], []
    last_end = 0
    for run in WORD_RUNS.finditer(text, start, end):
        a, b = run.span()
        word = run.group()
        if DROPPED.search(word):
            kept = [(i, c) for i, c in zip(range(a, b), word) if not DROPPED.match(c)]
            if not kept:
                continue
            offs, word = [i for i, _ in kept], "".join(c for _, c in kept)
        else:
            offs = range(a, b)
        if chars:       # runs are apart by whitespace: one space, where that whitespace begins
            chars.append(" ")
            offsets.append(last_end)
        chars.append(word)
        offsets.extend(offs)
        last_end = b
    return paragraph("".join(chars), offsets, index, field)


def joined_runs(text: str, start: int, end: int, index: int, field: str) -> Paragraph:
    """normalize() for a text with nothing to drop: its runs joined by one space each."""
    spans = [m.span() for m in WORD_RUNS.finditer(text, start, end)]
    offsets = []
    for a, b in spans:
        offsets.extend(range(a, b))
        offsets.append(b)           # the space after a run begins where the run ends
    if offsets:
        offsets.pop()
    return paragraph(" ".join(text[a:b] for a, b in spans), offsets, index, field)


def paragraph(kept: str, offsets: list[int], index: int, field: str) -> Paragraph:
    """The kept characters with plain quotation marks (one character for one, so offsets hold)."""
    cleaned = kept.translate(QUOTE_TABLE)
    if LONE_SURROGATE.search(cleaned):       # a lone surrogate cannot be encoded, so no parser takes it
        cleaned = LONE_SURROGATE.sub(REPLACEMENT, cleaned)
    return Paragraph(index=index, text=cleaned, offsets=offsets, field=field)


def repeated_paragraphs(paragraphs: list[Paragraph], body_from: int) -> set[int]:
    """Indexes of paragraphs that repeat others: a lead made of later paragraphs, or exact repeats."""
    dropped = set()
    seen = {}
    for i in range(body_from, len(paragraphs)):
        key = paragraphs[i].text.lower()
        if key in seen:
            dropped.add(i)
        seen.setdefault(key, i)
    last_lead = min(len(paragraphs) - 1, body_from + settings.LEAD_PARAGRAPHS_CHECKED)
    for i in range(body_from, last_lead):
        later = [p.text for j, p in enumerate(paragraphs) if j > i and j not in dropped]
        if i not in dropped and repeats_later(paragraphs[i].text, later):
            dropped.add(i)
    return dropped


def repeats_later(text: str, later: list[str]) -> bool:
    """A lead repeats when nearly all its words stand, in order, in later paragraphs."""
    low = text.lower()
    words = WORD.findall(low)
    if len(words) < 8:
        return False
    if any(low in other.lower() for other in later):
        return True
    covered = [False] * len(low)
    for other in later:
        other_low = other.lower()
        if len(other_low) < 20:
            continue
        pos = low.find(other_low)
        while pos >= 0:
            covered[pos:pos + len(other_low)] = [True] * len(other_low)
            pos = low.find(other_low, pos + 1)
        for sentence in re.split(r"(?<=[.!?])\s+", other_low):
            if len(sentence) >= 40:
                pos = low.find(sentence)
                if pos >= 0:
                    covered[pos:pos + len(sentence)] = [True] * len(sentence)
    word_spans = [m.span() for m in WORD.finditer(low)]
    hit = sum(1 for s, e in word_spans if all(covered[s:e]))
    return hit / len(word_spans) >= settings.LEAD_REPEAT_SHARE
