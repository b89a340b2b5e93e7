"""Readers: every input kind becomes Articles; a bad input becomes one InputError, never an exception."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Article


@dataclass
class InputError:
    """An input that could not be read: where, and why, in one line."""
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SKIPPED_NAMES = {".DS_Store"}


def read_paths(paths: Iterable[str]) -> Iterator[Article | InputError]:
    """Articles from files, directories (recursively, in name order) and '-' for standard input."""
    for path in paths:
        if path == "-":
            yield from read_stdin()
        elif os.path.isdir(path):
            for file in sorted(p for p in Path(path).rglob("*") if p.is_file() and p.name not in SKIPPED_NAMES):
                yield from read_file(str(file))
        else:
            yield from read_file(path)


def read_file(path: str) -> Iterator[Article | InputError]:
    from . import html, jsonl, text
    if not os.path.exists(path):
        yield InputError(path, "no such file or directory")
        return
    name = path.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    if suffix in JSONL_SUFFIXES:
        yield from jsonl.read_jsonl_file(path)
    elif suffix in HTML_SUFFIXES:
        yield html.read_html_file(path)
    else:
        yield text.read_text_file(path)


def read_stdin() -> Iterator[Article | InputError]:
    """Standard input, sniffed: JSON Lines if it starts with '{', HTML if with '<', else plain text."""
    from . import html, jsonl, text
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:1]
    if head == b"{":
        yield from jsonl.read_jsonl_bytes(data.splitlines(), "<stdin>")
    elif head == b"<":
        yield html.read_html_bytes(data, "<stdin>")
    else:
        yield text.read_text_bytes(data, "<stdin>")


def read_text(text: str, title: str | None = None, published=None, **fields) -> Article:
    """An Article from a string, as the Python API's extract() takes it."""
    from .text import article_from_text
    if title is None:
        return article_from_text(text, "<string>", published=published, **fields)
    return Article(text=text, title=title, published=published, origin="<string>", **fields)
