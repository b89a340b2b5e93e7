"""The pages in a real headless Chromium (on PATH, else Playwright's own), against the real server on loopback.

Every page must load with no console error, no failed request and no refused resource; the scripts must
work (filter form, highlights, graph, timeline, map); hostile article text must show as text and never run.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest

from conftest import missing
from test_web_api import ARTICLES, TOKEN, XSS_LINE, XSS_TITLE, build_store  # helpers shared with the API tests

pytestmark = pytest.mark.browser
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ["/", "/articles", "/articles?q=Russia&sort=title&order=asc", "/events", "/events?type=ASSAULT&sort=type&order=asc",
         "/events?sector=GOV&sort=modality", "/stories", "/stories?sort=mentions&order=asc&country=UKR", "/graph",
         "/timeline", "/timeline?interval=week", "/map", "/claims", "/claims?contested=true", "/docs",
         "/static/style.css"]
CHARTS = {"/graph": "#graph", "/timeline": "#timeline", "/map": "#map"}
HOSTILE_TEXT = ("Officials in Russia said <script>alert(1)</script> appeared on a screen in Kyiv.\n"
                "Ukraine accused Russia of posting <img src=x onerror=alert(2)> on its state sites.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by uvicorn in a background thread, on loopback and a free port."""

    def __init__(self, app):
        import uvicorn
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def post_json(url: str, body: dict, token: str) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from eventwire.web.app import create_app
    db = build_store(tmp_path_factory.mktemp("browser"))
    with LiveServer(create_app(db, write_token=TOKEN)) as live:
        yield live


def chromium_on_path() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def chromium_executable(playwright) -> str | None:
    """A Chromium on PATH, else the one Playwright installed (`playwright install chromium`, honouring
    PLAYWRIGHT_BROWSERS_PATH), else None."""
    own = playwright.chromium.executable_path
    return chromium_on_path() or (own if own and os.path.isfile(own) else None)


@contextmanager
def headless_chromium():
    """A launched headless Chromium (see chromium_executable); its absence is `missing`."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        executable = chromium_executable(p)
        if executable is None:
            missing(f"no Chromium: none of {', '.join(CHROMIUM_NAMES)} on PATH and no Playwright Chromium "
                    f"at {p.chromium.executable_path} (install the chromium package or `playwright install chromium`)")
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def browser():
    with headless_chromium() as chromium:
        yield chromium


class Watched:
    """A page that records console errors, script errors, failed or refused requests, and dialogs."""

    def __init__(self, browser, server):
        self.context = browser.new_context(base_url=server.url, java_script_enabled=True)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.page.on("dialog", self.on_dialog)

    def on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str):
        self.page.goto(path, wait_until="load")
        if path.split("?")[0] in CHARTS:
            self.page.wait_for_selector(f"{CHARTS[path.split('?')[0]]}[data-ready='true']", state="attached")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.close()


def article_id(server, title: str) -> int:
    with urllib.request.urlopen(f"{server.url}/api/articles") as r:
        return next(a["id"] for a in json.loads(r.read())["items"] if a["title"] == title)


def click_middle_of_edge(page, selector: str) -> None:
    """Click where a user would: on the curve itself, halfway along (its box's centre is off the curve)."""
    edge = page.locator(selector)
    edge.scroll_into_view_if_needed()
    x, y = edge.evaluate("""edge => {
        const path = edge.querySelector('.edge-hit');
        const point = path.getPointAtLength(path.getTotalLength() / 2), m = path.getScreenCTM();
        return [point.x * m.a + point.y * m.c + m.e, point.x * m.b + point.y * m.d + m.f];
    }""")
    page.mouse.click(x, y)


def test_every_page_loads_without_errors(watched, server):
    paths = PAGES + [f"/articles/{article_id(server, spec['title'])}" for spec in ARTICLES]
    for path in paths:
        watched.goto(path)
        assert watched.problems == [], (path, watched.problems)
    assert watched.dialogs == []


def test_events_filter_form_changes_the_rows(watched):
    page = watched.goto("/events?view=events")
    assert page.locator("#events-table tbody tr").count() == 7
    page.select_option("form.filters select[name=type]", "ASSAULT")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 1 and "ASSAULT" in rows.first.inner_text()
    assert "type=ASSAULT" in page.url
    page.fill("form.filters input[name=actor]", "nobody at all")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("#events-table tbody tr").count() == 0 and page.locator("#no-events").is_visible()
    assert watched.problems == []


def test_article_page_highlights_and_links_to_sentences(watched, server):
    page = watched.goto(f"/articles/{article_id(server, ARTICLES[0]['title'])}")
    for kind in ("actor", "trigger", "quote"):
        assert page.locator(f"#article-text mark.hl-{kind}").count() > 0, kind
    assert page.locator("#article-text mark.hl-trigger").first.inner_text() == "accused"
    page.locator(".event a.to-sentence").nth(2).click()
    assert page.url.endswith("#s-2")
    assert page.locator("#s-2").evaluate("node => node.matches(':target')")
    assert watched.problems == []


def test_clicking_a_graph_edge_lists_its_events(watched):
    page = watched.goto("/graph")
    assert page.locator("#graph .edge").count() >= 5 and page.locator("#graph .node").count() >= 6
    click_middle_of_edge(page, "#graph .edge[aria-label^='Russia to Ukraine']")
    page.wait_for_selector("#picked-events li")
    items = page.locator("#picked-events li")
    assert items.count() == 1 and "Russia launched drones against Ukraine" in items.first.inner_text()
    assert "Russia → Ukraine" in page.inner_text("#picked-title")
    href = items.first.locator("a").get_attribute("href")
    assert href.startswith("/articles/") and href.endswith("#s-0")
    assert watched.problems == []


def test_clicking_a_timeline_bar_and_a_map_point_lists_events(watched):
    page = watched.goto("/timeline")
    page.locator("#timeline rect.bar.type-SANCTION").click()
    page.wait_for_selector("#picked-events li")
    assert "announced new sanctions" in page.inner_text("#picked-events")
    page = watched.goto("/map")
    assert page.locator("#map .point").count() == 2 and page.locator("#map .graticule line").count() > 10
    page.locator("#map .point[aria-label^='Kyiv']").click()
    page.wait_for_selector("#picked-events li")
    assert "ASSAULT" in page.inner_text("#picked-events")
    assert watched.problems == []


def test_hostile_article_text_is_shown_and_never_runs(watched, server):
    posted = post_json(f"{server.url}/api/articles",
                       {"text": HOSTILE_TEXT, "title": "<script>alert(1)</script><img src=x onerror=alert(2)>",
                        "published": "2024-09-20"}, TOKEN)
    assert posted["stored"] is True
    hostile = [posted["id"], article_id(server, XSS_TITLE)]
    paths = ["/", "/articles", "/events", "/events?q=script", "/stories", "/stories?q=script", "/claims", "/graph",
             "/map", "/timeline",
             "/timeline?since=2024-09-20&until=2024-09-20"] + [f"/articles/{i}" for i in hostile]
    for path in paths:
        page = watched.goto(path)
        assert page.locator("img").count() == 0, path
        assert page.locator("script:not([src]):not([type='application/json'])").count() == 0, path
    page = watched.goto(f"/articles/{posted['id']}")
    assert "<script>alert(1)</script><img src=x onerror=alert(2)>" in page.inner_text("h1")
    assert "<img src=x onerror=alert(2)>" in page.inner_text("#article-text")
    page = watched.goto(f"/articles/{hostile[1]}")
    assert XSS_TITLE in page.inner_text("h1") and XSS_LINE in page.inner_text("#article-text")
    page = watched.goto("/timeline?since=2024-09-20&until=2024-09-20&type=AGREE")
    page.locator("#timeline rect.bar").first.click()
    page.wait_for_selector("#picked-events li")
    assert "<b>today</b>" in page.inner_text("#picked-events")
    assert page.locator("#picked-events b").count() == 0
    assert watched.dialogs == [] and watched.problems == []


def test_story_view_lists_stories_and_opens_their_evidence(watched):
    page = watched.goto("/stories")
    rows = page.locator("#stories-table tbody tr")
    assert rows.count() >= 1
    with page.expect_navigation():
        rows.first.locator("td.evidence a").click()
    assert "/stories/" in page.url and page.locator("#story-events li").count() >= 1
    assert watched.problems == []


def test_the_country_picker_filters_by_a_country_named_in_words(watched):
    page = watched.goto("/events")
    page.select_option("#country-picker", label="Ukraine")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "country=UKR" in page.url
    rows = page.locator("#events-table tbody tr")
    assert rows.count() >= 2                 # the two test events, and those of an article posted by another test
    assert [i for i in range(rows.count()) if "UKR" not in rows.nth(i).inner_text()] == []
    assert watched.problems == []


def test_a_column_header_sorts_the_events_and_a_second_click_reverses(watched):
    page = watched.goto("/events")
    with page.expect_navigation():
        page.click("#events-table th a:text('Modality')")
    cells = page.locator("#events-table tbody tr td:nth-child(5)")
    first = [cells.nth(i).inner_text().split()[0] for i in range(cells.count())]
    assert first == sorted(first, reverse=True) and len(first) >= 7
    with page.expect_navigation():
        page.click("#events-table th a:text('Modality')")
    again = [cells.nth(i).inner_text().split()[0] for i in range(cells.count())]
    assert again == sorted(first)
    assert watched.problems == []


def test_a_facet_filters_and_a_second_click_removes_it(watched):
    page = watched.goto("/stories")
    total = int(page.inner_text("#event-total"))
    with page.expect_navigation():
        page.click("#facet-sector a")
    assert "sector=GOV" in page.url and int(page.inner_text("#event-total")) == 1
    with page.expect_navigation():
        page.click("#facet-sector li.active a")
    assert "sector=" not in page.url and int(page.inner_text("#event-total")) == total
    assert watched.problems == []


def test_articles_are_searched_from_the_articles_page(watched):
    page = watched.goto("/articles")
    page.fill("input[name=q]", "drones")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    rows = page.locator("#articles-table tbody tr")
    assert rows.count() == 1 and "Russia strikes Ukraine" in rows.first.inner_text()
    assert watched.problems == []


def test_the_api_documentation_page_shows_every_route_offline(watched):
    page = watched.goto("/docs")
    page.wait_for_selector("#swagger-ui .opblock")
    shown = page.locator("#swagger-ui .opblock").count()
    with urllib.request.urlopen(f"{watched.page.url.rsplit('/docs', 1)[0]}/openapi.json") as r:
        documented = sum(len(ops) for ops in json.loads(r.read())["paths"].values())
    assert shown == documented and documented >= 15
    assert watched.problems == []
