"""`/docs`: the HTTP API's documentation, Swagger UI served from this server (no CDN, works offline).

The Swagger UI files come with the `fastapi-offline` package; the page starts them from a static script,
since the Content-Security-Policy allows no inline script.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
router = APIRouter(include_in_schema=False)


def swagger_files() -> Path:
    import fastapi_offline
    return Path(fastapi_offline.__file__).parent / "static"


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request):
    from .pages import render
    return render(request, "docs.html", assets=ASSETS, schema=request.app.openapi_url)


def mount(app: FastAPI) -> None:
    """The documentation page and the Swagger UI files it loads."""
    app.mount(ASSETS, StaticFiles(directory=swagger_files()), name="docs-assets")
    app.include_router(router)
