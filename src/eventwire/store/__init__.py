"""The store: SQLite by default, PostgreSQL with a postgresql:// URL; the web and CLI read it, never spaCy."""
from __future__ import annotations

import os

from .. import settings


def open_store(db: str | None = None):
    """The store at a path or URL; default eventwire.db here (or $EVENTWIRE_DB)."""
    from .sql import Store
    return Store(db or os.environ.get(settings.DB_ENV) or settings.DEFAULT_DB)
