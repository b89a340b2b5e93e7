"""The HTML pages: rendered on the server with Jinja2 (autoescaped); charts drawn by small static scripts."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..ontology import COOPERATIVE, PLOVER_TYPES
from ..store.queries import EventFilter
from . import queries
from .api import GraphBy, GraphTop, RowId, Store, article_json
from .graph import DEFAULT_TOP
from .highlight import article_html
from .params import MODALITIES, SORT_KEYS, STORY_SORT_KEYS, Order, Paging, Sort, event_filter, filter_params, is_cooperative

TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZES = (25, 50, 100, 200)
router = APIRouter(include_in_schema=False)
Filter = Annotated[EventFilter, Depends(event_filter)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


def url(path: str, *bases: dict, **changes) -> str:
    """A same-site link whose query string merges `bases` then `changes`; empty values are left out."""
    merged = {}
    for base in bases + (changes,):
        merged.update(base)
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})
    return f"{path}?{query}" if query else path


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(url=url, plover_types=PLOVER_TYPES, modalities=MODALITIES, cooperative=COOPERATIVE,
                       is_cooperative=is_cooperative)
    return env


templates = Jinja2Templates(env=environment())


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store):
    return render(request, "home.html", stats=store.stats(), articles=queries.recent_articles(store, limit=15),
                  actors=queries.actors_with_counts(store, limit=15, offset=0))


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, store: Store, page: PageNumber = 1):
    paging = Paging(page, 50)
    total = queries.article_count(store)
    return render(request, "articles.html", articles=queries.recent_articles(store, paging.limit, paging.offset),
                  page=page, pages=paging.pages(total), total=total)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: RowId, store: Store):
    row = store.article(article_id)
    if row is None:
        raise HTTPException(404, f"no article {article_id}")
    document = article_json(row)
    return render(request, "article.html", article=document, text_html=article_html(row["text"], row["document"]),
                  title_html=title_html(row), events=document.get("events") or [],
                  quotes=document.get("quotes") or [], claims=document.get("claims") or [])


def title_html(row: dict):
    """The title highlighted when the extraction read it apart from the text, else None (plain title)."""
    document = row.get("document") or {}
    if not any((t.get("field") or "text") == "title" for t in document.get("sentences") or []):
        return None
    return article_html(row["title"] or "", document, field="title")


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, store: Store, f: Filter, sort: Sort = "date", order: Order = "desc",
           page: PageNumber = 1, limit: Annotated[int, Query(ge=1, le=max(PAGE_SIZES))] = 50,
           view: Literal["stories", "events"] = "stories"):
    """Story events by default (one row per real-world event, however many articles tell it); each
    story's evidence is one click away; view=events lists every extracted event."""
    paging = Paging(page, limit)
    if view == "stories":
        return story_table(request, store, f, sort if sort in STORY_SORT_KEYS else "date", order, page, limit)
    total = store.count_events(f)
    rows = queries.with_links(store, store.events(f, limit=limit, offset=paging.offset, sort=sort,
                                                  descending=order == "desc"))
    params = filter_params(f)
    return render(request, "events.html", rows=rows, total=total, page=page, pages=paging.pages(total),
                  limit=limit, sort=sort, order=order, f=f, params=params, sort_keys=SORT_KEYS,
                  page_sizes=PAGE_SIZES, facets=facets(store, f))


def story_table(request, store, f: EventFilter, sort: str, order: str, page: int, limit: int) -> HTMLResponse:
    paging = Paging(page, limit)
    total = store.count_stories(f)
    rows = store.stories(f, limit=limit, offset=paging.offset, sort=sort, descending=order == "desc")
    params = filter_params(f)
    return render(request, "stories.html", rows=rows, total=total, page=page, pages=paging.pages(total),
                  limit=limit, sort=sort, order=order, f=f, params=params, page_sizes=PAGE_SIZES,
                  facets=facets(store, f))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: RowId, store: Store):
    found = store.story(story_id)
    if found is None:
        return render(request, "error.html", status_code=404, title="Not found", messages=[f"No story {story_id}."])
    for event in found["events"]:
        for m in event["mentions"]:
            m["link"] = queries.article_link(m["article_id"], m["sentence"])
    return render(request, "story.html", story=found)


def facets(store, f: EventFilter) -> dict[str, list[dict]]:
    return {"type": store.facets(f, column="type", limit=16),
            "modality": store.facets(f, column="modality", limit=6),
            "country": queries.country_facets(store, f, limit=20)}


@router.get("/graph", response_class=HTMLResponse)
def graph(request: Request, f: Filter, by: GraphBy = "actor", top: GraphTop = DEFAULT_TOP):
    """The graph page; `by` and `top` go to the script with the filters, so /api/graph answers the same view."""
    return chart_page(request, "graph.html", f, api="/api/graph", view={"by": by, "top": top},
                      default_top=DEFAULT_TOP)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, f: Filter, interval: Literal["day", "week"] = "day"):
    return chart_page(request, "timeline.html", f, api="/api/aggregates", interval=interval)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: Filter):
    return chart_page(request, "map.html", f, api="/api/map")


def chart_page(request: Request, name: str, f: EventFilter, api: str, **extra) -> HTMLResponse:
    """A page whose script reads its data from the API, with the filters handed over as JSON."""
    params = filter_params(f)
    data = {"api": api, "filters": params, **extra}
    return render(request, name, f=f, params=params, page_data=data, **extra)


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request, store: Store, contested: bool = False, page: PageNumber = 1):
    paging = Paging(page, 50)
    items = queries.claims_with_links(store, contested, paging.limit, paging.offset)
    return render(request, "claims.html", claims=items, contested=contested, page=page,
                  has_next=len(items) == paging.limit)
