"""Readers: every input kind becomes Articles; a bad input becomes one InputError, never an exception."""
from __future__ import annotations

import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..model import Article


@dataclass
class InputError:
    """An input that could not be read: where, and why, in one line."""
    origin: str
    reason: str

    def __post_init__(self) -> None:
        self.reason = one_line(self.reason)

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def one_line(text: str) -> str:
    """A reason printed on one line, whatever a library's message held."""
    return " ".join(str(text).split())[:300]


HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SKIPPED_NAMES = {".DS_Store"}
SNIFF_BYTES = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"
STDIN = "<stdin>"


def read_paths(paths: Iterable[str]) -> Iterator[Article | InputError]:
    """Articles from files, directories (recursively, in name order) and '-' for standard input."""
    for path in paths:
        if path == "-":
            yield from read_stdin()
        elif os.path.isdir(path):
            yield from read_directory(path)
        else:
            yield from read_file(path)


def read_directory(path: str) -> Iterator[Article | InputError]:
    """Every file under a directory, in name order; an unlistable directory is one error."""
    try:
        files = files_under(path)
    except OSError as e:
        yield InputError(path, f"directory could not be listed: {e.strerror or e}")
        return
    for file in files:
        yield from read_file(str(file))


def files_under(path: str) -> list[Path]:
    """Every entry under a directory but its folders, in name order; OSError when it cannot be listed.
    A broken link or a pipe is listed too, so that it gets its one line rather than being skipped unseen."""
    return sorted(p for p in Path(path).rglob("*") if not p.is_dir() and p.name not in SKIPPED_NAMES)


def suffix_of(path: str) -> str:
    """The suffix that says what a file holds, looking through .gz."""
    return Path(path.lower().removesuffix(".gz")).suffix


def holds_many_articles(path: str) -> bool:
    """A JSON Lines file holds any number of articles; every other file holds one."""
    return suffix_of(path) in JSONL_SUFFIXES


def read_file(path: str) -> Iterator[Article | InputError]:
    """One file by its suffix (a .gz suffix is looked through); whatever goes wrong is an InputError."""
    problem = unreadable_reason(path)
    if problem:
        yield InputError(path, problem)
        return
    try:
        yield from read_by_suffix(path)
    except (OSError, EOFError, zlib.error, ValueError) as e:
        yield InputError(path, f"unreadable: {getattr(e, 'strerror', None) or e}")
    except Exception as e:  # noqa: BLE001 - no input may stop a batch
        yield InputError(path, f"could not be read ({type(e).__name__}: {e})")


def unreadable_reason(path: str) -> str | None:
    """Why a path cannot be read as a file, or None: missing, a device or pipe, no permission."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "a broken symbolic link (its target does not exist)" if os.path.islink(path) else "no such file or directory"
    except OSError as e:
        return f"unreadable: {e.strerror or e}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, pipe or socket)"
    if not os.access(path, os.R_OK):
        return "unreadable: permission denied"
    return None


def read_by_suffix(path: str) -> Iterator[Article | InputError]:
    from . import html, jsonl, text
    suffix = suffix_of(path)
    if suffix in JSONL_SUFFIXES:
        yield from jsonl.read_jsonl_file(path)
    elif suffix == ".json":
        yield from jsonl.read_json_file(path)
    elif suffix in HTML_SUFFIXES:
        yield html.read_html_file(path)
    else:
        yield text.read_text_file(path)


def read_stdin(stream=None) -> Iterator[Article | InputError]:
    """Standard input, sniffed and streamed: JSON Lines if it starts with '{', HTML if with '<', else plain text."""
    from . import html, jsonl, text
    from .decode import DecodeError, gunzip_stream
    stream = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield InputError(STDIN, "standard input is closed")
        return
    try:
        head, stream = sniff(stream)
        if head.startswith(GZIP_MAGIC):
            head, stream = sniff(gunzip_stream(stream))
        first = head.lstrip()[:1]
        if first == b"{":
            yield from jsonl.read_jsonl_stream(stream, STDIN)
        elif first == b"<":
            yield html.read_html_stream(stream, STDIN)
        else:
            yield text.read_text_stream(stream, STDIN)
    except DecodeError as e:
        yield InputError(STDIN, str(e))
    except (OSError, EOFError, zlib.error, ValueError) as e:
        yield InputError(STDIN, f"unreadable: {e}")


def sniff(stream) -> tuple[bytes, io.BufferedReader]:
    """The first bytes of a stream (past any leading whitespace), and a stream that still starts with them."""
    read = getattr(stream, "read1", stream.read)     # what has arrived: a live pipe is not waited on to fill
    head = b""
    while len(head) < SNIFF_BYTES * 16 and (len(head) < len(GZIP_MAGIC) or not head.strip()):
        more = read(SNIFF_BYTES)
        if not more:
            break
        head += more
    return head, io.BufferedReader(Rewound(head, stream), SNIFF_BYTES)


class Rewound(io.RawIOBase):
    """A stream whose first bytes were read to sniff it: those bytes again, then the rest."""

    def __init__(self, head: bytes, rest):
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            chunk, self.head = self.head[:len(buffer)], self.head[len(buffer):]
        else:
            chunk = getattr(self.rest, "read1", self.rest.read)(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def read_bounded(stream, limit: int) -> bytes | None:
    """At most `limit` bytes of a stream; None when it holds more (the rest is not read)."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def read_text(text: str, title: str | None = None, published=None, **fields) -> Article:
    """An Article from a string, as the Python API's extract() takes it."""
    from .text import article_from_text
    if title is None:
        return article_from_text(text, "<string>", published=published, **fields)
    return Article(text=text, title=title, published=published, origin="<string>", **fields)


def article_bytes(path: str, too_large: str) -> bytes | InputError:
    """The bytes of a one-article file, refused unread when empty or larger than one article can be."""
    size = os.path.getsize(path)
    if size == 0:
        return InputError(path, "empty file")
    if size > settings.MAX_ARTICLE_BYTES:
        return InputError(path, size_message(too_large, size))
    with open(path, "rb") as f:
        return f.read()


def stream_bytes(stream, origin: str, too_large: str) -> bytes | InputError:
    """At most one article's worth of a stream (standard input); more is an error, never read whole."""
    data = read_bounded(stream, settings.MAX_ARTICLE_BYTES)
    if data is None:
        return InputError(origin, size_message(too_large, None))
    if not data:
        return InputError(origin, "empty input")
    return data


def size_message(template: str, size: int | None) -> str:
    """'{found}' in the template becomes '12 MB > 10 MB' or 'more than 10 MB'."""
    limit = settings.MAX_ARTICLE_BYTES // (1 << 20)
    found = f"{size // (1 << 20)} MB > {limit} MB" if size is not None else f"more than {limit} MB"
    return template.format(found=found)
