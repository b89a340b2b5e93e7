"""`eventwire serve`: one process serving the HTTP API and the pages over a store.

Read-only unless a write token is configured; every response carries a strict Content-Security-Policy
(no inline script, nothing from another origin), so text from an article can never run as code.
"""
from __future__ import annotations

import ipaddress
import json
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..store import open_store
from . import api, cache, docs, pages

log = logging.getLogger("eventwire.web")
WRITE_TOKEN_ENV = "EVENTWIRE_WRITE_TOKEN"
HOSTS_ENV = "EVENTWIRE_ALLOWED_HOSTS"        # more host names the server answers to, comma-separated
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HINTS = {"since": "a date YYYY-MM-DD", "until": "a date YYYY-MM-DD", "published": "a date YYYY-MM-DD",
         "country": "an ISO 3166-1 alpha-3 code such as USA"}


class SecurityHeaders:
    """ASGI middleware that adds the security headers to every HTTP response (streamed ones too)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_name(value: str) -> str:
    """The name in a Host header or an origin's authority, without port, brackets, case or final dot."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class HostPolicy:
    """Which Host headers are answered: the loopback names, the bound host, and names the user adds. A server
    bound to every address also answers its addresses (an IP in the Host is what a browser sends when the
    address was typed). A DNS-rebinding page sends its own domain name, which none of these is."""

    def __init__(self, bound: str | None = "127.0.0.1", names=()):
        extra = [n for n in os.environ.get(HOSTS_ENV, "").split(",") if n.strip()]
        self.names = {host_name(n) for n in (*LOOPBACK_NAMES, bound or "", *names, *extra) if host_name(n)}
        self.any_address = (bound or "") in WILDCARD_ADDRESSES

    def allows(self, host: str) -> bool:
        name = host_name(host)
        return bool(name) and (name in self.names or (self.any_address and is_address(name)))


class HostGuard:
    """ASGI middleware: a request for a host not allowed is refused (400); a write must come from the same
    origin (a browser's Origin and Sec-Fetch-Site say so), on top of the write token the route checks."""

    def __init__(self, app, policy: HostPolicy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        refusal = None
        if not self.policy.allows(host):
            refusal = PlainTextResponse("host not allowed: start the server with --allow-host NAME to answer it",
                                        status_code=400)
        elif scope.get("method", "GET") not in SAFE_METHODS and not same_origin(headers, host):
            refusal = JSONResponse({"detail": "cross-origin write refused"}, status_code=403)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def same_origin(headers: dict, host: str) -> bool:
    """A browser names the page that sent a request (Origin, Sec-Fetch-Site); a request without them is no
    browser's (a script with the token) and is left to the token check."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    authority = origin.split("://", 1)[1] if "://" in origin else ""
    return authority.lower().rstrip("/") == host.strip().lower()


def create_app(db: str | None = None, write_token: str | None = None, bound_host: str | None = "127.0.0.1",
               allowed_hosts=()) -> FastAPI:
    """The app over the store at `db` (a path or postgresql:// URL; default as `eventwire` uses), answering
    requests for the bound host, the loopback names and `allowed_hosts` only."""
    store = open_store(db)
    generation = cache.Generation(store)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        generation.close()
        store.close()

    app = FastAPI(title="eventwire", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Political events read from news articles, with the evidence for each.")
    app.state.store = store
    app.state.write_token = write_token or os.environ.get(WRITE_TOKEN_ENV) or None
    app.add_middleware(cache.ResponseCache, generation=generation)     # inside the host check: refusals first
    app.add_middleware(HostGuard, policy=HostPolicy(bound_host, allowed_hosts))
    app.add_middleware(SecurityHeaders)         # added last, so outermost: refusals carry the headers too
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    docs.mount(app)
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
    return app


def favicon():
    return RedirectResponse("/static/favicon.svg", status_code=301)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def problems(exc: RequestValidationError) -> list[dict]:
    """Each bad parameter in plain words: its name, what was wrong, what was expected."""
    out = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body", "header")]
        name = ".".join(loc) or "request"
        message = error.get("msg", "invalid value").removeprefix("Value error, ")
        if error.get("type") == "string_pattern_mismatch" and name in HINTS:
            message = f"expected {HINTS[name]}"
        out.append({"param": name, "message": message})
    return out


async def validation_error(request: Request, exc: RequestValidationError):
    found = problems(exc)
    summary = "; ".join(f"{p['param']}: {p['message']}" for p in found)
    if wants_json(request):
        return JSONResponse({"detail": f"invalid request: {summary}", "errors": found}, status_code=422)
    return pages.render(request, "error.html", status_code=422, status=422, title="Invalid filter",
                        messages=[f"{p['param']}: {p['message']}" for p in found])


async def http_error(request: Request, exc: StarletteHTTPException):
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    title = "Not found" if exc.status_code == 404 else "Request refused"
    return pages.render(request, "error.html", status_code=exc.status_code, status=exc.status_code,
                        title=title, messages=[str(exc.detail)])


async def server_error(request: Request, exc: Exception):
    """A bug is logged with its trace; the client gets a plain message (and the security headers)."""
    log.exception("error serving %s", request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error"}, status_code=500, headers=SECURITY_HEADERS)


SERVE_ENV = "EVENTWIRE_SERVE"     # how `serve --workers N` hands its settings to the worker processes (JSON)


def serve(db: str | None = None, host: str = "127.0.0.1", port: int = 8000, allowed_hosts=(), workers: int = 1) -> None:
    """Run the server (the `eventwire serve` command); loopback only unless another host is given.

    With several workers, uvicorn starts that many processes on the one socket, each building the app from
    the same settings (the store, the bound host, the allowed names; the write token from the environment),
    so each checks hosts, origins and the token exactly as one process does."""
    import uvicorn
    options = {"host": host, "port": port, "server_header": False, "proxy_headers": False}
    if workers <= 1:
        uvicorn.run(create_app(db, bound_host=host, allowed_hosts=allowed_hosts), **options)
        return
    open_store(db).close()          # a store that cannot be opened is one line here, not one traceback per worker
    os.environ[SERVE_ENV] = json.dumps({"db": db, "bound_host": host, "allowed_hosts": list(allowed_hosts)})
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, **options)


def worker_app() -> FastAPI:
    """The app of one worker process of `serve --workers N`."""
    settings = json.loads(os.environ[SERVE_ENV])
    return create_app(settings["db"], bound_host=settings["bound_host"], allowed_hosts=settings["allowed_hosts"])
