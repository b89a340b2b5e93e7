"""The HTTP API: JSON over the store, read-only except POST /api/articles (which needs the write token)."""
from __future__ import annotations

import hmac
import io
import json
import threading
from collections.abc import Iterable, Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..export import csv_rows
from ..nlp import ModelError
from ..api import stale_claims_message
from ..store.queries import EventFilter
from . import graph as graph_queries
from . import queries
from .params import (DATE_PATTERN, MAX_LIMIT, Limit, Order, Page, Paging, Sort, StorySort, Text, event_filter,
                     key_text, plain_text, real_date)

router = APIRouter(prefix="/api")
MAX_ARTICLE_CHARS = 2_000_000
MAX_BODY_BYTES = 12 * 1024 * 1024     # one article's JSON: its text (at most 2,000,000 characters), escaped
EXPORT_FLUSH_CHARS = 64 * 1024
WRITE_LOCK = threading.Lock()          # one ingest at a time from this server: the duplicate check sees the last

Filter = Annotated[EventFilter, Depends(event_filter)]
RowId = Annotated[int, Path(ge=1, le=2**62, description="a row id of the store")]   # bounded: SQLite ints are 64-bit


def graph_key(value: str) -> str:
    graph_queries.parse_key(value)          # a ValueError here is a 422 naming the parameter
    return value


def get_store(request: Request):
    return request.app.state.store


Store = Annotated[object, Depends(get_store)]


def paging(page: Page = 1, limit: Limit = 50) -> Paging:
    return Paging(page, limit)


Paged = Annotated[Paging, Depends(paging)]


def page_of(items: list, total: int, p: Paging) -> dict:
    return {"total": total, "page": p.page, "limit": p.limit, "pages": p.pages(total), "items": items}


# Articles -----------------------------------------------------------------------------------------

ArticleSort = Annotated[Literal[queries.ARTICLE_SORTS], Query(description="column to sort articles by")]


@router.get("/articles", summary="Stored articles without their text, with their event counts; found by words "
                                  "of the title, source or text (q), sorted by a column (oldest stored first by default)")
def list_articles(store: Store, p: Paged, q: Text = None, sort: ArticleSort = "id", order: Order = "asc") -> dict:
    items = queries.article_list(store, q, sort, order == "desc", p.limit, p.offset)
    return page_of(items, queries.article_total(store, q), p)


@router.get("/articles/{article_id}", summary="One article: its text and its whole extraction (the contract JSON)")
def get_article(article_id: RowId, store: Store) -> dict:
    row = store.article(article_id)
    if row is None:
        raise HTTPException(404, f"no article {article_id}")
    return article_json(row)


def article_json(row: dict) -> dict:
    """The contract document, with the store's id, the text the offsets point into, and where it came from."""
    document = dict(row.get("document") or {})
    document["article"] = queries.without_paths(
        {**(document.get("article") or {}), "title": row["title"], "published": row["published"]})
    return {"id": row["id"], "text": row["text"], "duplicate_of": row["duplicate_of"],
            "ingested_at": row["ingested_at"], **document}


def not_blank(value: str) -> str:
    """Whitespace alone is no article: refused here as `eventwire ingest` refuses it."""
    if not value.strip():
        raise ValueError("no text (empty or only whitespace)")
    return value


class ArticleIn(BaseModel):
    """An article to ingest: its text, optionally a title and a publication date."""
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=MAX_ARTICLE_CHARS), AfterValidator(plain_text),
                    AfterValidator(not_blank)]
    title: Annotated[str | None, Field(max_length=2000), AfterValidator(plain_text)] = None
    published: Annotated[str | None, Field(pattern=DATE_PATTERN, description="YYYY-MM-DD"),
                         AfterValidator(real_date)] = None


def require_write_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Writing needs a configured token, sent as `Authorization: Bearer TOKEN`; otherwise 403."""
    expected = request.app.state.write_token
    if not expected:
        raise HTTPException(403, "this server is read-only (start it with a write token to allow ingesting)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(403, "a valid write token is required (Authorization: Bearer TOKEN)")


def extract_article(text: str, title: str | None, published: str | None):
    """Run the extraction pipeline over one text (the same stages `eventwire ingest` runs)."""
    from ..pipeline import extract
    return extract(text, published=published, title=title)


def store_extraction(store, extraction) -> tuple[int | None, int | None]:
    """Store as `eventwire ingest` does, linking a near-duplicate to its original: (id or None if already
    stored, the original's id or None)."""
    from ..scale.stories import cluster_stories
    from ..scale.writer import Writer
    with WRITE_LOCK:
        writer = Writer(store, keep_going=False)         # a store error is the request's, never "already stored"
        article_id = writer.write(extraction)
        cluster_stories(store)
    return article_id, writer.last_original


@router.post("/articles", status_code=201, dependencies=[Depends(require_write_token)],
             max_body_size=MAX_BODY_BYTES, summary="Ingest one article (needs the write token)")
def post_article(body: ArticleIn, store: Store):
    try:
        extraction = extract_article(body.text, body.title, body.published)
    except ModelError as e:
        raise HTTPException(503, f"no spaCy pipeline available: {e}") from None
    except RuntimeError as e:
        raise HTTPException(422, f"the article could not be processed: {e}") from None
    article_id, original = store_extraction(store, extraction)
    if article_id is None:
        existing = queries.article_id_by_hash(store, extraction.content_hash)
        return JSONResponse({"id": existing, "stored": False, "link": f"/articles/{existing}"}, status_code=200)
    return {"id": article_id, "stored": True, "link": f"/articles/{article_id}",
            "duplicate_of": original,
            "events": len(extraction.events), "actors": len(extraction.actors), "quotes": len(extraction.quotes)}


# Events -------------------------------------------------------------------------------------------

@router.get("/events", summary="Events matching the filters, sorted and paged")
def list_events(store: Store, f: Filter, p: Paged, sort: Sort = "date", order: Order = "desc") -> dict:
    items = store.events(f, limit=p.limit, offset=p.offset, sort=sort, descending=order == "desc")
    return page_of(queries.with_links(store, items), store.count_events(f), p)


@router.get("/stories", summary="Story events: the same event across articles, with mention, article and "
                                 "source counts (the /stories page)")
def list_stories(store: Store, f: Filter, p: Paged, sort: StorySort = "date", order: Order = "desc") -> dict:
    items = store.stories(f, limit=p.limit, offset=p.offset, sort=sort, descending=order == "desc")
    for item in items:
        item["link"] = f"/stories/{item['id']}"
    return page_of(items, store.count_stories(f), p)


@router.get("/stories/{story_id}", summary="One story event with every event and mention behind it")
def get_story(story_id: RowId, store: Store) -> dict:
    story = story_with_links(store, story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id}")
    return story


def story_with_links(store, story_id: int) -> dict | None:
    """A story with each mention linked to its sentence, and its articles' origins shown without a path."""
    story = store.story(story_id)
    if story is None:
        return None
    for event in story["events"]:
        queries.without_paths(event.get("article"))
        for m in event["mentions"]:
            m["link"] = queries.article_link(m["article_id"], m["sentence"])
    for article in story.get("article_list") or []:
        queries.without_paths(article)
    return story


@router.get("/events/{event_id}", summary="One event with every mention (its evidence sentences)")
def get_event(event_id: RowId, store: Store) -> dict:
    event = queries.event_by_id(store, event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id}")
    event = queries.with_links(store, [event])[0]
    event["mentions"] = [{**m, "link": queries.article_link(m["article_id"], m["sentence"])}
                         for m in store.event_mentions(event_id)]
    return event


@router.get("/actors", summary="Actors with the articles and events they appear in")
def list_actors(store: Store, p: Paged, q: Text = None) -> dict:
    items = queries.actors_with_counts(store, p.limit, p.offset, q)
    return {"page": p.page, "limit": p.limit, "items": items}


@router.get("/quotes", summary="Quotes, optionally by speaker (part of the name)")
def list_quotes(store: Store, p: Paged, speaker: Text = None) -> dict:
    items = store.quotes(speaker=speaker, limit=p.limit, offset=p.offset)
    for quote in items:
        quote["link"] = queries.article_link(quote["article_id"], quote["sentence"])
    return {"page": p.page, "limit": p.limit, "items": items}


@router.get("/claims", summary="Claims with every actor's stance; contested ones (asserted and denied) first")
def list_claims(store: Store, p: Paged, contested: bool = False) -> dict:
    if store.claims_stale():
        raise HTTPException(409, stale_claims_message(None))
    items = queries.claims_with_links(store, contested, p.limit, p.offset)
    unattached = [] if contested else queries.unattached_with_links(store, p.limit, p.offset)
    return {"page": p.page, "limit": p.limit, "items": items, "unattached_denials": unattached}


@router.get("/aggregates", summary="Events per day or ISO week (its Monday), by type")
def aggregates(store: Store, f: Filter, interval: Literal["day", "week"] = "day") -> dict:
    return {"interval": interval, "items": store.aggregates(f, interval=interval)}


@router.get("/pairs", summary="Actor-to-actor event counts (by actor code where known, else name)")
def pairs(store: Store, f: Filter, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200) -> dict:
    return {"items": queries.pairs(store, f, limit)}


GraphBy = Annotated[Literal[graph_queries.BY], Query(description="actor: persons, bodies and countries as the "
                                                   "articles name them; country: every actor as its country")]
GraphTop = Annotated[int, Query(ge=1, le=graph_queries.MAX_TOP, description="the strongest links to draw")]
GraphNodes = Annotated[int, Query(ge=2, le=graph_queries.MAX_TOP, description="at most this many actors")]
NodeKey = Annotated[str, Query(min_length=1, max_length=400, description="a node id as /api/graph gives it"),
                    AfterValidator(key_text), AfterValidator(graph_key)]


@router.get("/graph", summary="Who acts on whom: actors as nodes, the strongest (source, target, side) links as edges")
def graph(store: Store, f: Filter, by: GraphBy = "actor", top: GraphTop = graph_queries.DEFAULT_TOP,
          nodes: GraphNodes = graph_queries.DEFAULT_NODES) -> dict:
    return graph_queries.graph(store, f, by=by, top=top, max_nodes=nodes)


@router.get("/graph/edge", summary="The events of one graph edge (between two node ids of /api/graph)")
def graph_edge(store: Store, f: Filter, source: NodeKey, target: NodeKey,
               tone: Literal["cooperation", "conflict", "any"] = "any", by: GraphBy = "actor",
               limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100) -> dict:
    return graph_queries.edge_events(store, f, source, target, tone, by=by, limit=limit)


@router.get("/graph/node", summary="The events of one graph node, on either side")
def graph_node(store: Store, f: Filter, id: NodeKey, by: GraphBy = "actor",
               limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100) -> dict:
    return graph_queries.node_events(store, f, id, by=by, limit=limit)


@router.get("/map", summary="Places with coordinates and their event counts")
def map_points(store: Store, f: Filter) -> dict:
    return {"items": queries.map_points(store, f)}


@router.get("/map/place", summary="The events at one place (exact coordinates, as /api/map gives them)")
def map_place(store: Store, f: Filter, lat: Annotated[float, Query(ge=-90, le=90)],
              lon: Annotated[float, Query(ge=-180, le=180)],
              limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100) -> dict:
    return {"items": queries.place_events(store, f, lat, lon, limit=limit)}


@router.get("/stats", summary="Counts of what the store holds")
def stats(store: Store) -> dict:
    return store.stats()


# Export -------------------------------------------------------------------------------------------

@router.get("/export", summary="Every matching event as CSV or JSON Lines, streamed")
def export(store: Store, f: Filter, format: Literal["csv", "jsonl"] = "jsonl") -> StreamingResponse:
    events = store.iter_events(f)
    body = csv_chunks(events) if format == "csv" else jsonl_chunks(events)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="events.{format}"'}
    return StreamingResponse(body, media_type=media, headers=headers)


def csv_chunks(events: Iterable[dict]) -> Iterator[str]:
    """CSV text a buffer at a time, header first."""
    buffer = io.StringIO()
    write = csv_rows(buffer)
    for event in events:
        write(event)
        if buffer.tell() >= EXPORT_FLUSH_CHARS:
            yield drain(buffer)
    yield drain(buffer)


def jsonl_chunks(events: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    for event in events:
        buffer.write(json.dumps(event, ensure_ascii=False) + "\n")
        if buffer.tell() >= EXPORT_FLUSH_CHARS:
            yield drain(buffer)
    yield drain(buffer)


def drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
