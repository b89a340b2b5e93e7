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


# Test files of minutes, longest first (measured with `make test` and --durations=0, 2026-12-05). `make test` runs
# files in two processes (pytest-xdist, --dist loadfile --no-loadscope-reorder: files in collection order): a long
# file started first runs while the other process takes the many short ones, instead of starting last and leaving
# one process idle to the end (the verifier's retraining, minutes alone, did that).
LONG_FILES_FIRST = ("test_verifier.py", "test_evaluate.py", "test_claims_across.py", "test_crash.py",
                    "test_security_http.py", "test_cli.py", "test_concurrency.py", "test_hostile_input.py",
                    "test_errors.py", "test_dedup.py", "test_worker_death.py", "test_web_walk.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(LONG_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))    # stable: the rest keep their order
