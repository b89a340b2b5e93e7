"""Shared fixtures: the corpus and acceptance folders (tests that need them skip when absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
ACCEPTANCE = SHARED / "acceptance"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    return CORPUS


@pytest.fixture(scope="session")
def acceptance() -> Path:
    if not (ACCEPTANCE / "check.py").is_file():
        pytest.skip("../shared/acceptance is not here")
    return ACCEPTANCE


def events_of(doc: dict) -> set[tuple]:
    """(type, source country, target country, modality) of every event of a contract document."""
    return {(e["type"], (e["source"] or {}).get("country"), (e["target"] or {}).get("country"), e["modality"])
            for e in doc["events"]}
