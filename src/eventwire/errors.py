"""Any exception that reaches the CLI, as one line naming the store or the file and the reason, and its exit status.

The traceback is for `--debug`; a user sees what failed and why: the store could not be opened, is not a
database, is full or read-only, the server is down; a file could not be written.
"""
from __future__ import annotations

import os
import sqlite3

from . import settings
from .read import one_line

EXIT_FAILED, EXIT_USAGE = 1, 2


def store_name(db: str | None) -> str:
    """The store a command used, as the user would name it (a URL's password left out)."""
    name = db or os.environ.get(settings.DB_ENV) or settings.DEFAULT_DB
    if "://" in name:
        try:
            from sqlalchemy.engine import make_url
            return make_url(name).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - an unparsable URL is shown up to its host part at most
            return name.split("@")[-1]
    return name


def is_store_error(error: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    from .store.migrations import SchemaError
    if isinstance(error, (SQLAlchemyError, sqlite3.Error, SchemaError)):
        return True
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(error, psycopg.Error)


def store_reason(error: BaseException, db: str | None = None) -> str:
    """What the database said, without SQLAlchemy's statement, parameters (article text) and link."""
    cause = getattr(error, "orig", None) or error
    reason = one_line(str(cause).split("\n(Background on this error")[0])
    if "unable to open database file" in reason and db is not None:
        reason += sqlite_open_hint(store_name(db))
    elif isinstance(cause, sqlite3.DatabaseError) and "file is not a database" in reason:
        reason = "not an eventwire store (the file is not an SQLite database)"
    return reason


def sqlite_open_hint(path: str) -> str:
    """Why SQLite could not open a file: SQLite itself never says."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f": the folder {folder} does not exist"
    if os.path.isdir(path):
        return ": it is a folder"
    if not os.access(folder, os.W_OK):
        return f": the folder {folder} is not writable"
    return ""


def describe(error: BaseException, db: str | None = None) -> tuple[int, str]:
    """The exit status and the one line (without the 'eventwire: ' prefix) for an exception."""
    if is_store_error(error):
        return EXIT_FAILED, f"store {store_name(db)}: {store_reason(error, db)}"
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return EXIT_FAILED, f"{where}{one_line(error.strerror or error)}"
    if isinstance(error, (ValueError, RuntimeError)):
        return EXIT_USAGE, one_line(error)
    return EXIT_FAILED, (f"unexpected error ({type(error).__name__}: {one_line(error)[:200]}); "
                         "run again with --debug for the traceback")
