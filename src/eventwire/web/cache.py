"""Answers kept until the store changes: a response to a GET is stored with the store's write generation and
served again, byte for byte, while no write has been committed since.

The generation is SQLite's `PRAGMA data_version`, read on a connection of our own that never writes: it changes
whenever any other connection, in this process or another (an ingest beside the server), commits. A page is a
function of its URL, its Host and the store's contents, so an answer of the same generation is the answer.
PostgreSQL has no such counter: there every request is answered afresh.

Requests for one URL that arrive together while it is computed wait for that one computation rather than
each running it (48 clients asking for /api/claims after a write cost one query, not 48).
"""
from __future__ import annotations

import asyncio
import sqlite3
from collections import OrderedDict

from sqlalchemy.engine import make_url

NOT_CACHED_PREFIXES = ("/static/", "/api/export")     # files (conditional requests) and unbounded streams
MAX_ENTRY_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
COMPUTING_AT_ONCE = 3       # answers computed at once; more only share the one core and its GIL (a kept answer
                            # is served by the event loop, which must get the GIL between them)


class Generation:
    """The store's write generation, a number that grows at each commit seen; None where it cannot be known
    (not a SQLite file)."""

    def __init__(self, store):
        self.connection, self.seen, self.number = None, None, 0
        path = make_url(store.url).database
        if store.is_sqlite and path and path != ":memory:" and not path.startswith("file:"):
            self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)

    def current(self) -> int | None:
        if self.connection is None:
            return None
        try:
            version = self.connection.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return None                     # the store is unreadable: answer afresh (the route says why)
        if version != self.seen:            # data_version only differs; our count only grows
            self.seen, self.number = version, self.number + 1
        return self.number

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class Answers:
    """The latest whole response (generation, start message, body) per request, least recently used dropped
    past a total size."""

    def __init__(self, max_bytes: int = MAX_TOTAL_BYTES):
        self.max_bytes, self.size = max_bytes, 0
        self.entries: OrderedDict = OrderedDict()

    def get(self, key):
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key, generation: int, start: dict, body: bytes) -> None:
        if key in self.entries:
            if self.entries[key][0] > generation:
                return                      # a newer answer is kept already
            self.size -= len(self.entries.pop(key)[2])
        self.entries[key] = (generation, start, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            self.size -= len(self.entries.popitem(last=False)[1][2])


def cacheable(scope) -> bool:
    return (scope["type"] == "http" and scope.get("method") == "GET"
            and not scope["path"].startswith(NOT_CACHED_PREFIXES))


class ResponseCache:
    """ASGI middleware serving a kept response made at the store's current generation.

    One request at a time computes a given URL; those arriving meanwhile wait for it, and take its answer when
    it was begun at or after the generation they arrived at (it then shows all they could see, or more), else
    one of them computes again for all the rest. So a burst of commits costs each URL one computation at a
    time, never one per request."""

    def __init__(self, app, generation: Generation, answers: Answers | None = None):
        self.app, self.generation = app, generation
        self.answers = answers or Answers()
        self.pending: dict = {}             # key -> (generation begun at, future of the answer or None)
        self.computing = asyncio.Semaphore(COMPUTING_AT_ONCE)

    async def __call__(self, scope, receive, send):
        arrived = self.generation.current() if cacheable(scope) else None
        if arrived is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        key = (scope["path"], scope.get("query_string", b""), headers.get(b"host", b""))
        while True:
            found = self.answers.get(key)
            if found is not None and found[0] >= arrived:
                await replay(found, send)
                return
            if key not in self.pending:
                break
            begun, future = self.pending[key]
            answer = await asyncio.shield(future)
            if begun >= arrived:
                if answer is not None:
                    await replay(answer, send)
                    return
                break                       # not kept (an error is never shared): ask on our own
        await self.compute(key, scope, receive, send)

    async def compute(self, key, scope, receive, send):
        """Run the app, passing its messages on as they come and keeping a copy of a whole 200 answer."""
        begun = self.generation.current()
        future = asyncio.get_running_loop().create_future()
        if key not in self.pending:
            self.pending[key] = (begun, future)
        start, chunks, size = None, [], 0
        keep = True

        async def capture(message):
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                # a copy: the security headers are added to the message on its way out, and again on each replay
                start = {"status": message["status"], "headers": list(message.get("headers") or [])}
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                size += len(message.get("body", b""))
                keep = size <= MAX_ENTRY_BYTES
                chunks.append(message.get("body", b"")) if keep else chunks.clear()
            await send(message)

        answer = None
        try:
            async with self.computing:
                await self.app(scope, receive, capture)
            if keep and start is not None and begun is not None:
                answer = (begun, start, b"".join(chunks))
                self.answers.put(key, *answer)
        finally:
            if self.pending.get(key, (None, None))[1] is future:
                del self.pending[key]
            future.set_result(answer)


async def replay(answer, send) -> None:
    _, start, body = answer
    await send({"type": "http.response.start", "status": start["status"], "headers": list(start["headers"])})
    await send({"type": "http.response.body", "body": body, "more_body": False})
