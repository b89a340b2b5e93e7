"""The things eventwire finds, and `to_dict()`: the public JSON contract of an extraction."""
from __future__ import annotations

import hashlib
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Article:
    """One input article as read: `text` is the original, every offset points into it."""
    text: str
    id: str | None = None
    title: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None
    origin: str = "<string>"          # the file, line or URL it came from
    title_in_text: bool = False       # the title is the first line of `text` (plain-text layout)


@dataclass
class Paragraph:
    """A cleaned paragraph; `offsets[i]` is the original index of cleaned character i."""
    index: int
    text: str
    offsets: list[int]
    field: str = "text"               # "text", or "title" when the title is not part of the text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the cleaned span [start, end)."""
        if not self.offsets:
            return 0, 0
        end = max(end, start + 1)
        return self.offsets[min(start, len(self.offsets) - 1)], self.offsets[min(end, len(self.offsets)) - 1] + 1

    def cleaned_range(self, start: int, end: int) -> tuple[int, int]:
        """The cleaned characters whose original index lies in [start, end): cleaning keeps characters in
        their order, so the offsets never decrease and two binary searches find them."""
        return bisect_left(self.offsets, start), bisect_left(self.offsets, end)


@dataclass
class Sentence:
    index: int
    paragraph: int
    text: str                         # the sentence as it stands in the original article
    start: int
    end: int
    field: str = "text"


@dataclass
class Mention:
    """Where a thing is stated: the sentence, and the span of the words that state it."""
    sentence: int
    text: str
    start: int
    end: int
    field: str = "text"
    trigger_start: int | None = None  # the words that state it, inside the sentence span
    trigger_end: int | None = None

    def to_dict(self) -> dict:
        out = {"text": self.text, "start": self.start, "end": self.end, "sentence": self.sentence}
        if self.field != "text":
            out["field"] = self.field
        if self.trigger_start is not None:
            out["trigger_start"], out["trigger_end"] = self.trigger_start, self.trigger_end
        return out


@dataclass
class Actor:
    name: str
    kind: str                         # person | country | organization | group | place
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    code: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    rule: str = ""

    @property
    def key(self) -> tuple:
        return (self.kind, self.name.lower(), self.country, self.code)

    def ref(self) -> dict:
        return {"name": self.name, "country": self.country, "code": self.code}

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "country": self.country, "role": self.role,
                "code": self.code, "sector": self.sector, "rule": self.rule,
                "mentions": [m.to_dict() for m in self.mentions]}


@dataclass
class Place:
    name: str
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    text: str | None = None
    kind: str | None = None           # country | region | county | city, as the gazetteer knows it; None if unknown
    admin1: str | None = None         # the first-level region a city or county lies in
    reference: bool = field(default=False, compare=False, repr=False)   # named only as a bearing or qualifier

    def to_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "latitude": self.latitude,
                "longitude": self.longitude, "text": self.text, "kind": self.kind, "admin1": self.admin1}


@dataclass
class When:
    date: date | None                 # the day, or the first day of a range
    end: date | None = None           # the last day of a range
    precision: str = "none"           # day | week | month | year | range | none
    text: str | None = None
    source: str = "none"              # sentence | article (the publication date as a marked default) | none

    def to_dict(self) -> dict:
        return {"date": self.date.isoformat() if self.date else None,
                "end": self.end.isoformat() if self.end else None,
                "precision": self.precision, "text": self.text, "source": self.source}


@dataclass
class Quantity:
    value: float
    unit: str | None
    measures: str | None
    approximate: bool
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Event:
    type: str
    source: Actor | None
    target: Actor | None
    trigger: str
    rule: str                         # the lexicon entry or rule that produced it: the "why"
    mentions: list[Mention]
    mode: str | None = None
    cameo: str | None = None
    cameo_name: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    modality: str = "asserted"
    modality_cue: str | None = None
    attributed_to: Actor | None = None
    confidence: float = 0.5
    when: When | None = None
    place: Place | None = None
    quantities: list[Quantity] = field(default_factory=list)
    denies: list[int] = field(default_factory=list)     # ids of the reported events this denial rejects
    id: int = 0

    def to_dict(self) -> dict:
        when = self.when or When(None)
        return {
            "id": self.id, "type": self.type, "mode": self.mode, "cameo": self.cameo,
            "cameo_name": self.cameo_name, "quad_class": self.quad_class, "goldstein": self.goldstein,
            "source": self.source.ref() if self.source else None,
            "target": self.target.ref() if self.target else None,
            "modality": self.modality, "modality_cue": self.modality_cue,
            "attributed_to": self.attributed_to.ref() if self.attributed_to else None,
            "date": when.date.isoformat() if when.date else None,
            "when": when.to_dict(),
            "place": self.place.to_dict() if self.place else None,
            "quantities": [q.to_dict() for q in self.quantities],
            "trigger": self.trigger, "rule": self.rule, "confidence": round(self.confidence, 2),
            "denies": self.denies,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass
class Quote:
    speaker: Actor | None
    text: str
    type: str                         # direct | indirect | mixed
    cue: str | None
    start: int
    end: int
    sentence: int
    rule: str = ""
    field: str = "text"

    def to_dict(self) -> dict:
        return {"speaker": self.speaker.ref() if self.speaker else None, "text": self.text,
                "type": self.type, "cue": self.cue, "start": self.start, "end": self.end,
                "sentence": self.sentence, "rule": self.rule, "field": self.field}


@dataclass
class Stance:
    actor: Actor | None
    stance: str                       # asserted | denied | reported
    evidence: Mention
    rule: str = ""

    def to_dict(self) -> dict:
        return {"actor": self.actor.ref() if self.actor else None, "stance": self.stance,
                "evidence": self.evidence.to_dict(), "rule": self.rule}


@dataclass
class Claim:
    event: Event
    stances: list[Stance] = field(default_factory=list)

    @property
    def contested(self) -> bool:
        kinds = {s.stance for s in self.stances if s.actor is not None}
        return "asserted" in kinds and "denied" in kinds

    def to_dict(self) -> dict:
        return {"event": self.event.id, "type": self.event.type,
                "source": self.event.source.ref() if self.event.source else None,
                "target": self.event.target.ref() if self.event.target else None,
                "contested": self.contested, "stances": [s.to_dict() for s in self.stances]}


@dataclass
class Extraction:
    """One article and everything the stages found in it; the stages fill it in order."""
    article: Article
    paragraphs: list[Paragraph] = field(default_factory=list)
    dropped_paragraphs: list[int] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    docs: list = field(default_factory=list)          # spaCy Docs, one per paragraph (not serialized)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    located: list[tuple[int, int, Place]] = field(default_factory=list)   # every place named, with its span
    times: list[tuple[int, int, When]] = field(default_factory=list)      # every time expression, resolved
    settings: list[tuple[int, int, Place]] = field(default_factory=list)  # sentences telling a physical
    #   happening no event codes, with where the story is at them (not serialized; for evaluation)
    running: list[tuple[int, int, When]] = field(default_factory=list)  # sentences telling a physical
    #   happening with no time of their own, with the story's running time at them (not serialized; for evaluation)
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    denials: list[Stance] = field(default_factory=list)  # denials that name no claim of the article (stored)
    scratch: dict = field(default_factory=dict)       # stage-to-stage working data (not serialized)

    @property
    def content_hash(self) -> str:
        cleaned = "\n".join(p.text for p in self.paragraphs) or self.article.text
        return hashlib.sha256(cleaned.encode("utf-8", "surrogatepass")).hexdigest()

    def to_dict(self) -> dict:
        a = self.article
        return {
            "article": {"id": a.id, "title": a.title,
                        "published": a.published.isoformat() if a.published else None,
                        "url": a.url, "source": a.source, "origin": a.origin,
                        "hash": self.content_hash, "dropped_paragraphs": self.dropped_paragraphs},
            "actors": [x.to_dict() for x in self.actors],
            "events": [x.to_dict() for x in self.events],
            "quotes": [x.to_dict() for x in self.quotes],
            "claims": [x.to_dict() for x in self.claims],
            "places": [{**p.to_dict(), "start": s, "end": e} for s, e, p in self.located],
            "times": [{**w.to_dict(), "start": s, "end": e} for s, e, w in self.times],
            "sentences": [{"index": s.index, "paragraph": s.paragraph, "text": s.text,
                           "start": s.start, "end": s.end, "field": s.field} for s in self.sentences],
            "warnings": self.warnings,
            "meta": self.meta,
        }
