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


WAL_ATTEMPTS = 100          # switching a new file to WAL needs a moment alone with it


def sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers (the web server) read while an ingest writes; the busy timeout makes writers wait."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def use_wal(cursor) -> None:
    """Switch to WAL; when several processes open one new file at once, the switch can answer 'locked'
    without waiting, so it is tried again (WAL is then stored in the file for good)."""
    import sqlite3
    import time
    for attempt in range(WAL_ATTEMPTS):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.05)


def use_sqlite_pragmas(engine) -> None:
    event.listen(engine, "connect", sqlite_pragmas)


@contextmanager
def write_transaction(engine):
    """A connection in a write transaction, committed at the end (rolled back on an error)."""
    with engine.connect() as c, c.begin():
        if c.dialect.name == "sqlite":
            c.exec_driver_sql("BEGIN IMMEDIATE")
        yield c
