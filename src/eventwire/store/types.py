"""Column types that store any Python string in either database, one character for one, so offsets stay true."""
from __future__ import annotations

import re

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

REPLACEMENT = "\ufffd"
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class SafeText(TypeDecorator):
    """Text that never fails to store: lone surrogates (neither driver encodes them) and, in PostgreSQL,
    NUL characters (its text type refuses them) become U+FFFD, which keeps every offset into the text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if not isinstance(value, str):
            return value
        if dialect.name == "postgresql" and "\x00" in value:
            value = value.replace("\x00", REPLACEMENT)
        return LONE_SURROGATE.sub(REPLACEMENT, value)
