"""The article text as HTML, with actors, event triggers and quotes highlighted from their character offsets.

Every piece of article text is escaped; the only markup is ours. Overlapping highlights are cut at every
boundary, so the output always nests properly; each sentence is an anchor (#s-N) that events and quotes link to.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .params import is_cooperative

KIND_ORDER = {"quote": 0, "trigger": 1, "actor": 2}   # outermost first when spans cover the same text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str                 # actor | trigger | quote
    label: str                # shown as a tooltip
    css: str = ""             # extra classes


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    index: int


def in_field(item: dict, field: str) -> bool:
    return (item.get("field") or "text") == field


def spans_of(document: dict, field: str = "text") -> list[Span]:
    """Every highlight the extraction gives for one field (the text, or a title kept apart from it)."""
    out = []
    for actor in document.get("actors") or []:
        label = " · ".join(str(v) for v in (actor.get("name"), actor.get("kind"), actor.get("country")) if v)
        out += [Span(m["start"], m["end"], "actor", label) for m in actor.get("mentions") or [] if in_field(m, field)]
    for event in document.get("events") or []:
        tone = "coop" if is_cooperative(event.get("type"), event.get("quad_class")) else "conflict"
        label = f"{event.get('type')} ({event.get('modality')}): {event.get('trigger') or ''}"
        out += [Span(m["trigger_start"], m["trigger_end"], "trigger", label, f"tone-{tone}")
                for m in event.get("mentions") or [] if m.get("trigger_start") is not None and in_field(m, field)]
    if field == "text":
        for quote in document.get("quotes") or []:
            speaker = (quote.get("speaker") or {}).get("name") or "unknown speaker"
            out.append(Span(quote["start"], quote["end"], "quote", f"quote ({quote.get('type')}): {speaker}"))
    return out


def anchors_of(document: dict, field: str = "text") -> list[Anchor]:
    return [Anchor(t["start"], t["end"], t["index"]) for t in document.get("sentences") or [] if in_field(t, field)]


def valid(items: list, length: int) -> list:
    """Drop spans that do not fit the text (a stale or damaged document must not break the page)."""
    out = []
    for item in items:
        if isinstance(item.start, int) and isinstance(item.end, int) and 0 <= item.start < item.end <= length:
            out.append(item)
    return out


def non_overlapping(anchors: list[Anchor]) -> list[Anchor]:
    out: list[Anchor] = []
    for a in sorted(anchors, key=lambda a: (a.start, a.end)):
        if not out or a.start >= out[-1].end:
            out.append(a)
    return out


def highlight(text: str, spans: list[Span], anchors: list[Anchor]) -> Markup:
    """Escaped text with <mark> elements for spans, inside <span id="s-N"> elements for sentences."""
    text = text or ""
    spans = valid(spans, len(text))
    anchors = non_overlapping(valid(anchors, len(text)))
    cuts = sorted({0, len(text)} | {p for x in spans + anchors for p in (x.start, x.end)})
    starting = {a.start: a for a in anchors}
    ending = {a.end for a in anchors}
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        if a in starting:
            parts.append(Markup('<span class="sentence" id="s-%d">') % starting[a].index)
        parts.append(segment(text[a:b], [x for x in spans if x.start <= a and x.end >= b]))
        if b in ending:
            parts.append(Markup("</span>"))
    return Markup("").join(parts)


def segment(piece: str, active: list[Span]) -> Markup:
    out = escape(piece)
    for span in sorted(active, key=lambda x: (x.start, -x.end, KIND_ORDER[x.kind]), reverse=True):
        css = f"hl hl-{span.kind} {span.css}".strip()
        out = Markup('<mark class="%s" title="%s">%s</mark>') % (css, span.label, out)
    return out


def article_html(text: str, document: dict | None, field: str = "text") -> Markup:
    document = document or {}
    return highlight(text, spans_of(document, field), anchors_of(document, field))
