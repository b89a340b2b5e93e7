"""The article text as HTML, with actors, event triggers and quotes highlighted from their character offsets.

Every piece of article text is escaped; the only markup is ours. Overlapping highlights are cut at every
boundary, so the output always nests properly; each sentence is an anchor (#s-N) that events and quotes link to.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .params import is_cooperative

KIND_ORDER = {"quote": 0, "trigger": 1, "actor": 2}   # outermost first when spans cover the same text
MAX_SHOWN_CHARS = 100_000     # a long news story is 20,000; past this, the page links to the whole text
MAX_SHOWN_HIGHLIGHTS = 1_500  # a long news story has a few hundred; past this many, the text shown stops too
MAX_NESTED = 8                # highlights of one piece of text shown nested at most; more would only add markup


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


def in_field(item: dict, field: str, limit: float) -> bool:
    """In this field, starting before the limit (a damaged offset is dropped later, by `valid`)."""
    start = item.get("start", item.get("trigger_start"))
    return (item.get("field") or "text") == field and not (isinstance(start, int) and start >= limit)


def spans_of(document: dict, field: str = "text", limit: float = float("inf")) -> list[Span]:
    """Every highlight the extraction gives for one field (the text, or a title kept apart from it) that
    starts before `limit`."""
    out = []
    for actor in document.get("actors") or []:
        label = " · ".join(str(v) for v in (actor.get("name"), actor.get("kind"), actor.get("country")) if v)
        out += [Span(m["start"], m["end"], "actor", label) for m in actor.get("mentions") or []
                if in_field(m, field, limit)]
    for event in document.get("events") or []:
        tone = "coop" if is_cooperative(event.get("type"), event.get("quad_class")) else "conflict"
        label = f"{event.get('type')} ({event.get('modality')}): {event.get('trigger') or ''}"
        out += [Span(m["trigger_start"], m["trigger_end"], "trigger", label, f"tone-{tone}")
                for m in event.get("mentions") or []
                if m.get("trigger_start") is not None and in_field({**m, "start": m["trigger_start"]}, field, limit)]
    if field == "text":
        for quote in document.get("quotes") or []:
            if in_field(quote, field, limit):
                speaker = (quote.get("speaker") or {}).get("name") or "unknown speaker"
                out.append(Span(quote["start"], quote["end"], "quote", f"quote ({quote.get('type')}): {speaker}"))
    return out


def anchors_of(document: dict, field: str = "text", limit: float = float("inf")) -> list[Anchor]:
    return [Anchor(t["start"], t["end"], t["index"]) for t in document.get("sentences") or []
            if in_field(t, field, limit)]


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


def shown_length(text: str, anchors: list[Anchor], limit: int) -> int:
    """How much of the text is shown: all of it, or up to the last sentence end within the limit."""
    if len(text) <= limit:
        return len(text)
    ends = [a.end for a in anchors if a.end <= limit]
    return max(ends) if ends and max(ends) > limit // 2 else limit


def highlight_limit(spans: list[Span], limit: int, most: int | None = None) -> int:
    """Where the shown text must stop so that it holds at most `most` highlights (MAX_SHOWN_HIGHLIGHTS): every
    highlight is markup around its words, and a text dense with names (a 1 MB report lists thousands) would
    make a page of megabytes from its first 100,000 characters alone."""
    most = MAX_SHOWN_HIGHLIGHTS if most is None else most
    starts = sorted(s.start for s in spans if isinstance(s.start, int) and s.start >= 0)
    return min(limit, max(starts[most], 1)) if len(starts) > most else limit


def clipped(spans: list[Span], length: int) -> list[Span]:
    """Spans cut at the end of the shown text (a quote running past it is highlighted as far as it is shown)."""
    return [s if s.end <= length else Span(s.start, length, s.kind, s.label, s.css) for s in spans if s.start < length]


def highlight(text: str, spans: list[Span], anchors: list[Anchor]) -> Markup:
    """Escaped text with <mark> elements for spans, inside <span id="s-N"> elements for sentences.

    One sweep over the sorted cut points, keeping the spans open at each: time grows with the text and the
    number of highlights, not their product (a 1 MB article is rendered in a fraction of a second)."""
    text = text or ""
    spans = valid(spans, len(text))
    anchors = non_overlapping(valid(anchors, len(text)))
    cuts = sorted({0, len(text)} | {p for x in spans + anchors for p in (x.start, x.end)})
    starting = {a.start: a for a in anchors}
    ending = {a.end for a in anchors}
    opening: dict[int, list[Span]] = {}
    closing: dict[int, list[Span]] = {}
    for span in spans:
        opening.setdefault(span.start, []).append(span)
        closing.setdefault(span.end, []).append(span)
    active: dict[Span, None] = {}              # an ordered set; a span appears once however often it is listed
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        for span in closing.get(a, ()):
            active.pop(span, None)
        for span in opening.get(a, ()):
            active[span] = None
        if a in starting:
            parts.append('<span class="sentence" id="s-%d">' % starting[a].index)
        parts.append(segment(text[a:b], active))
        if b in ending:
            parts.append("</span>")
    return Markup("".join(parts))


def segment(piece: str, active) -> str:
    """The escaped piece inside a <mark> per open span, outermost first; at most MAX_NESTED deep."""
    out = str(escape(piece))
    if not active:
        return out
    ordered = sorted(active, key=lambda x: (x.start, -x.end, KIND_ORDER[x.kind]))[:MAX_NESTED]
    for span in reversed(ordered):
        css = escape(f"hl hl-{span.kind} {span.css}".strip())
        out = f'<mark class="{css}" title="{escape(span.label)}">{out}</mark>'
    return out


def article_html(text: str, document: dict | None, field: str = "text", full_text_href: str | None = None,
                 limit: int | None = None, most: int | None = None) -> Markup:
    """The highlighted text; past `limit` characters (MAX_SHOWN_CHARS) or `most` highlights
    (MAX_SHOWN_HIGHLIGHTS), whichever comes first, the rest is a link, not shown."""
    document, text = document or {}, text or ""
    limit = MAX_SHOWN_CHARS if limit is None else limit
    limit = highlight_limit(spans_of(document, field, limit), limit, most)
    anchors = anchors_of(document, field, limit)
    length = shown_length(text, anchors, limit)
    html = highlight(text[:length], clipped(spans_of(document, field, length), length), anchors)
    if length == len(text):
        return html
    rest = len(text) - length
    more = Markup('<span class="more"> … %d more characters not shown') % rest
    if full_text_href:
        more += Markup(' (<a href="%s">the whole text</a>)') % full_text_href
    return html + more + Markup("</span>")
