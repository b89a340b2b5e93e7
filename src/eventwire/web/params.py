"""Query parameters shared by the API and the pages: validated here, so a bad value is a 422, never a 500."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import Query, Request
from pydantic import AfterValidator
from sqlalchemy import or_

from .. import ontology
from ..ontology import COOPERATIVE, PLOVER_TYPES
from ..store import schema as s
from ..store.queries import EventFilter

MODALITIES = ("asserted", "reported", "denied", "planned", "hypothetical", "negated")
SORT_KEYS = ("date", "type", "confidence", "goldstein", "id", "source", "target", "modality")
MAX_LIMIT = 500            # rows in one page of the API
MAX_PAGE = 100_000         # deepest page number accepted
MAX_TEXT_PARAM = 200       # characters in a free-text filter
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"      # empty means "no filter", as a blank form field sends


def has_control_characters(value: str, allowed: str = "") -> bool:
    return any((ord(ch) < 32 or ord(ch) == 127) and ch not in allowed for ch in value)


def no_control_characters(value: str | None) -> str | None:
    """Blank is no filter; NUL and other control characters are refused (PostgreSQL rejects NUL outright)."""
    if value is None or not value.strip():
        return None
    if has_control_characters(value):
        raise ValueError("must not contain control characters")
    return value.strip()


def plain_text(value: str | None) -> str | None:
    """Text of an article: line breaks and tabs are fine, NUL and other control characters are not."""
    if value is not None and has_control_characters(value, allowed="\t\n\r"):
        raise ValueError("must not contain control characters other than tabs and line breaks")
    return value


def key_text(value: str) -> str:
    """A required name or code: any text but control characters."""
    if has_control_characters(value):
        raise ValueError("must not contain control characters")
    return value


def real_date(value: str | None) -> str | None:
    """YYYY-MM-DD that names a day of the calendar (the pattern alone lets 2024-13-45 through)."""
    if not value:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date of the calendar (YYYY-MM-DD)") from None
    return value


def listed(allowed: tuple[str, ...], case=str.upper):
    """A validator for a comma-separated list whose every item is one of `allowed`."""
    def check(value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        items = [case(v.strip()) for v in value.split(",") if v.strip()]
        unknown = [v for v in items if v not in allowed]
        if unknown:
            raise ValueError(f"unknown value {unknown[0]!r}; choose from {', '.join(allowed)}")
        return ",".join(items) or None
    return check


def iso3(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip().upper()


Text = Annotated[str | None, Query(max_length=MAX_TEXT_PARAM), AfterValidator(no_control_characters)]
Key = Annotated[str, Query(min_length=1, max_length=300), AfterValidator(key_text)]
Day = Annotated[str | None, Query(pattern=DATE_PATTERN, description="a date, YYYY-MM-DD"), AfterValidator(real_date)]
Country = Annotated[str | None, Query(pattern=r"^([A-Za-z]{3})?$", description="ISO 3166-1 alpha-3 code"),
                    AfterValidator(iso3)]
Types = Annotated[str | None, Query(max_length=300, description="PLOVER type(s), comma-separated: "
                                    + ", ".join(PLOVER_TYPES)), AfterValidator(listed(PLOVER_TYPES))]
Modalities = Annotated[str | None, Query(max_length=120, description="modality(ies), comma-separated: "
                                         + ", ".join(MODALITIES)), AfterValidator(listed(MODALITIES, str.lower))]
Sector = Annotated[str | None, Query(pattern=r"^([A-Za-z]{3})?$",
                                     description="CAMEO sector of either actor, such as GOV, MIL, PTY"),
                   AfterValidator(iso3)]
Publisher = Annotated[str | None, Query(max_length=MAX_TEXT_PARAM, description="the articles' source (publisher)"),
                      AfterValidator(no_control_characters)]
Side = Annotated[Literal["source", "target", "either"], Query(description="which side `country` is on")]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page number, from 1")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page, at most {MAX_LIMIT}")]
Sort = Annotated[Literal[SORT_KEYS], Query(description="column to sort events by")]
Order = Annotated[Literal["asc", "desc"], Query()]
STORY_SORT_KEYS = ("date", "first_date", "articles", "sources", "mentions", "events", "type", "id", "source", "target")
StorySort = Annotated[Literal[STORY_SORT_KEYS], Query(description="column to sort story events by")]


@dataclass
class SqliteEventFilter(EventFilter):
    """The same rows as EventFilter, with its ASCII text matches made cheaper for SQLite.

    SQLite's LIKE already ignores ASCII case, so for ASCII text `column LIKE lowered` finds what
    `lowered(column) LIKE lowered` finds, without calling Python for every row (eight times faster
    over 100,000 events); text with other letters ('Ärger', 'Österreich') needs the Unicode lower case.
    """

    def clauses(self) -> list:
        e = s.events.c
        ascii_text = {k: v.lower() for k, v in (("actor", self.actor), ("q", self.q)) if v and v.isascii()}
        out = EventFilter(**{**asdict(self), **dict.fromkeys(ascii_text)}).clauses()
        if "actor" in ascii_text:
            out.append(like_either(e.source_name, e.target_name, ascii_text["actor"]))
        if "q" in ascii_text:
            out.append(like_either(e.sentence, e.trigger, ascii_text["q"]))
        return out


def like_either(one, other, text: str):
    return or_(one.contains(text, autoescape=True), other.contains(text, autoescape=True))


def event_filter(request: Request, actor: Text = None, country: Country = None, side: Side = "either",
                 type: Types = None, modality: Modalities = None, since: Day = None, until: Day = None,
                 q: Text = None, sector: Sector = None, publisher: Publisher = None) -> EventFilter:
    """The event filters every listing, chart and export accepts (a FastAPI dependency)."""
    kind = SqliteEventFilter if request.app.state.store.is_sqlite else EventFilter
    return kind(actor=actor, country=country, side=side, type=type, modality=modality, since=since, until=until,
                q=q, sector=sector, publisher=publisher)


def filter_params(f: EventFilter) -> dict:
    """The filter as query parameters, blanks dropped: for links that keep the current filter."""
    values = {"actor": f.actor, "country": f.country, "type": f.type, "modality": f.modality,
              "since": f.since, "until": f.until, "q": f.q, "sector": f.sector, "publisher": f.publisher}
    out = {k: v for k, v in values.items() if v}
    if f.country and f.side != "either":
        out["side"] = f.side
    return out


@dataclass
class Paging:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def pages(self, total: int) -> int:
        return max(1, -(-total // self.limit))


def is_cooperative(event_type: str | None, quad_class: int | None) -> bool:
    """Cooperation: one of PLOVER's eight cooperative types; CAMEO quad class 1-2 only for an event with no
    type (an ACCUSE coded CAMEO 090 'investigate' is quad class 2 and still conflict)."""
    return ontology.is_cooperative(event_type) if event_type else quad_class in (1, 2)
