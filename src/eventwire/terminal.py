"""Text on its way to a terminal: names and article text are untrusted, so no control character reaches it raw.

A newline in a file name would split a one-line error (and could fake a `failed:` line); an escape sequence
in a name or an article would drive the terminal. Every line the CLI prints passes through `printable`:
controls (C0, DEL, C1) and the invisible direction overrides become visible escapes, so nothing is lost.
"""
from __future__ import annotations

import json
import re

# C0 controls, DEL, C1 controls (U+009B is a CSI on many terminals), line and paragraph separators, and the
# bidirectional overrides and isolates that make a line read differently from what it holds.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")   # JSON escapes C0 itself
SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(match: re.Match) -> str:
    char = match.group()
    return SHORT.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text) -> str:
    """One line with every control character shown as an escape (a tab is \\t: a cell never spills over)."""
    return UNSAFE.sub(escape, str(text))


def json_text(value, indent: int | None = None) -> str:
    """JSON (one line unless indented); what JSON itself leaves raw (C1 controls, overrides) written as \\u escapes."""
    return RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, indent=indent))
