"""Shared fixtures: the corpus and acceptance folders, and `missing`, the one way a test says a part is absent.

On a developer's machine a test whose part (../shared, PostgreSQL, Chromium, Dask) is absent skips with the
reason; under CI (CI=true) the same absence fails the test, so CI cannot go green while tests stop running.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
ACCEPTANCE = SHARED / "acceptance"


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def missing(reason: str) -> NoReturn:
    """A part the test needs is absent: skip with the reason, or fail with it under CI."""
    if under_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        missing(f"the corpus is not here ({CORPUS})")
    return CORPUS


@pytest.fixture(scope="session")
def acceptance() -> Path:
    if not (ACCEPTANCE / "check.py").is_file():
        missing(f"the acceptance kit is not here ({ACCEPTANCE / 'check.py'})")
    return ACCEPTANCE


def events_of(doc: dict) -> set[tuple]:
    """(type, source country, target country, modality) of every event of a contract document."""
    return {(e["type"], (e["source"] or {}).get("country"), (e["target"] or {}).get("country"), e["modality"])
            for e in doc["events"]}
