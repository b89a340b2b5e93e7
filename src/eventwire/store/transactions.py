"""Write transactions that behave alike in SQLite and PostgreSQL: whole, DDL included, the lock taken first.

Python's sqlite3 starts a transaction only at the first INSERT/UPDATE/DELETE: DDL and reads before it ran
outside any (two processes creating one store raced on CREATE TABLE), and a writer that read first could
fail at once instead of waiting its turn. A write transaction here begins IMMEDIATE: it takes SQLite's
write lock up front, waiting for it (busy_timeout), and everything after is in the transaction. Reads are
left as they are (each SELECT on its own), so the web server reads as fast as before.
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


def sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers (the web server) read while an ingest writes; the busy timeout makes writers wait."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def use_sqlite_pragmas(engine) -> None:
    event.listen(engine, "connect", sqlite_pragmas)


@contextmanager
def write_transaction(engine):
    """A connection in a write transaction, committed at the end (rolled back on an error)."""
    with engine.connect() as c, c.begin():
        if c.dialect.name == "sqlite":
            c.exec_driver_sql("BEGIN IMMEDIATE")
        yield c
