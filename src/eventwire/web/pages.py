"""The HTML pages: rendered on the server with Jinja2 (autoescaped); charts drawn by small static scripts."""
from __future__ import annotations

from dataclasses import astuple
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..ontology import COOPERATIVE, PLOVER_TYPES
from ..store.queries import EventFilter
from . import queries
from .api import GraphBy, GraphTop, RowId, Store, article_json, story_with_links
from .graph import DEFAULT_TOP
from .highlight import article_html
from .params import (MODALITIES, Order, Paging, Sort, StorySort, Text, event_filter, filter_params,
                     is_cooperative)

TEMPLATES = Path(__file__).parent / "templates"
PAGE_SIZES = (25, 50, 100, 200)
MAX_CARDS = 100         # events, quotes or claims listed beside an article (a long story has a few dozen);
                        # a longer list is in its JSON
MAX_EVIDENCE = 3        # sentences linked from one event's card; an event told 500 times has the rest in the JSON
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
                       is_cooperative=is_cooperative, sectors=queries.SECTORS)
    return env


templates = Jinja2Templates(env=environment())


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store):
    return render(request, "home.html", stats=store.stats(), articles=queries.article_list(store, limit=15),
                  actors=queries.actors_with_counts(store, limit=15, offset=0))


ArticleSort = Annotated[Literal[queries.ARTICLE_SORTS], Query()]


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, store: Store, q: Text = None, sort: ArticleSort = "published", order: Order = "desc",
             page: PageNumber = 1):
    """Newest published first; found by words of the title, source or text."""
    paging = Paging(page, 50)
    total = queries.article_total(store, q)
    items = queries.article_list(store, q, sort, order == "desc", paging.limit, paging.offset)
    return render(request, "articles.html", articles=items, page=page, pages=paging.pages(total), total=total,
                  q=q, sort=sort, order=order, params={"q": q} if q else {})


ARTICLE_PAGES = queries.RecentAnswers(size=32)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: RowId, store: Store):
    """An article's page is its row alone: kept while the row is as it was, whatever else the store takes (a
    1 MB article costs a second to parse and highlight, and an ingest beside the server writes all the time)."""
    stamp = queries.article_stamp(store, article_id)
    if stamp is None:
        raise HTTPException(404, f"no article {article_id}")
    key = (store.url, article_id, stamp)
    body = ARTICLE_PAGES.get(key, lambda: article_page(request, store, article_id).body)
    return HTMLResponse(body)


def article_page(request: Request, store, article_id: int) -> HTMLResponse:
    row = store.article(article_id)
    if row is None:
        raise HTTPException(404, f"no article {article_id}")
    document = article_json(row)
    found = {kind: document.get(kind) or [] for kind in ("events", "quotes", "claims")}
    return render(request, "article.html", article=document, text_html=article_html(row["text"], row["document"],
                                                                      full_text_href=f"/api/articles/{article_id}"),
                  title_html=title_html(row), counts={kind: len(items) for kind, items in found.items()},
                  max_evidence=MAX_EVIDENCE,
                  **{kind: items[:MAX_CARDS] for kind, items in found.items()})


def title_html(row: dict):
    """The title highlighted when the extraction read it apart from the text, else None (plain title)."""
    document = row.get("document") or {}
    if not any((t.get("field") or "text") == "title" for t in document.get("sentences") or []):
        return None
    return article_html(row["title"] or "", document, field="title")


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, store: Store, f: Filter, sort: Sort = "date", order: Order = "desc",
           page: PageNumber = 1, limit: Annotated[int, Query(ge=1, le=max(PAGE_SIZES))] = 50,
           view: Literal["stories", "events"] = "events"):
    """Every extracted event; view=stories (the old default) now lives at /stories, with the same filters."""
    if view == "stories":
        return RedirectResponse(url("/stories", filter_params(f), limit=limit if limit != 50 else None), 307)
    paging = Paging(page, limit)
    total = store.count_events(f)
    rows = queries.with_links(store, store.events(f, limit=limit, offset=paging.offset, sort=sort,
                                                  descending=order == "desc"))
    titles = queries.article_titles(store, [e["article_id"] for e in rows])
    for e in rows:
        e["article_title"] = titles.get(e["article_id"])
    return list_page(request, store, "events.html", f, rows=rows, total=total, page=page, pages=paging.pages(total),
                     limit=limit, sort=sort, order=order)


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, store: Store, f: Filter, sort: StorySort = "date", order: Order = "desc",
            page: PageNumber = 1, limit: Annotated[int, Query(ge=1, le=max(PAGE_SIZES))] = 50):
    """Story events: one row per real-world event, however many articles tell it."""
    paging = Paging(page, limit)
    total = store.count_stories(f)
    rows = store.stories(f, limit=limit, offset=paging.offset, sort=sort, descending=order == "desc")
    return list_page(request, store, "stories.html", f, rows=rows, total=total, page=page, pages=paging.pages(total),
                     limit=limit, sort=sort, order=order)


def list_page(request, store, name: str, f: EventFilter, **context) -> HTMLResponse:
    """A table of events or stories with the filter form, the facets and the country picker."""
    return render(request, name, f=f, params=filter_params(f), page_sizes=PAGE_SIZES, facets=facets(store, f),
                  countries=queries.country_choices(store), country_names=queries.country_names(), **context)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: RowId, store: Store):
    found = story_with_links(store, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id}")
    return render(request, "story.html", story=found, country_names=queries.country_names())


FACETS = queries.RecentAnswers()


def facets(store, f: EventFilter) -> dict[str, list[dict]]:
    """Counts by type, modality, country, sector and publisher; each scans the matching events, so the
    answer is kept until the events change (sorting or paging the same filter costs nothing)."""
    key = (id(store), astuple(f), queries.events_version(store))
    return FACETS.get(key, lambda: count_facets(store, f))


def count_facets(store, f: EventFilter) -> dict[str, list[dict]]:
    if store.is_sqlite and not f.clauses():
        return queries.settled_facets(store)
    names = queries.country_names()
    countries = [{**c, "label": names.get(c["value"], c["value"])} for c in queries.country_facets(store, f, limit=20)]
    return {"type": store.facets(f, column="type", limit=16),
            "modality": store.facets(f, column="modality", limit=6),
            "country": countries,
            "sector": queries.sector_facets(store, f, limit=16),
            "publisher": queries.publisher_facets(store, f, limit=12)}


@router.get("/graph", response_class=HTMLResponse)
def graph(request: Request, f: Filter, by: GraphBy = "actor", top: GraphTop = DEFAULT_TOP):
    """The graph page; `by` and `top` go to the script with the filters, so /api/graph answers the same view."""
    return chart_page(request, "graph.html", f, api="/api/graph", view={"by": by, "top": top},
                      default_top=DEFAULT_TOP)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, store: Store, f: Filter, interval: Literal["day", "week"] = "day"):
    return chart_page(request, "timeline.html", f, api="/api/aggregates", interval=interval,
                      countries=queries.country_choices(store))


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, store: Store, f: Filter):
    return chart_page(request, "map.html", f, api="/api/map", countries=queries.country_choices(store))


def chart_page(request: Request, name: str, f: EventFilter, api: str, countries: list[dict] | None = None,
               **extra) -> HTMLResponse:
    """A page whose script reads its data from the API, with the filters handed over as JSON; `countries`
    (value, label) turn the country box into a picker by name."""
    params = filter_params(f)
    data = {"api": api, "filters": params, **extra}
    return render(request, name, f=f, params=params, page_data=data, countries=countries, **extra)


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request, store: Store, contested: bool = False, page: PageNumber = 1):
    paging = Paging(page, 50)
    items = queries.claims_with_links(store, contested, paging.limit, paging.offset)
    return render(request, "claims.html", claims=items, contested=contested, page=page,
                  has_next=len(items) == paging.limit)
