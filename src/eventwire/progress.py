"""Ingest progress on a terminal: a bar when the number of articles is known beforehand, a counter otherwise.

Nothing is drawn when standard error is not a terminal, so logs and pipes stay clean.
"""
from __future__ import annotations

import os
import sys

from .read import files_under, holds_many_articles

DEFAULT_SIZE = (80, 24)      # columns, rows
# tqdm's layouts, with the rate always in articles per second (tqdm's own turns to seconds per article below 1/s)
BAR = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"
COUNTER = "{n_fmt}{unit} [{elapsed}, {rate_noinv_fmt}{postfix}]"


class Progress:
    """Articles done (stored, already stored or failed), articles per second, and failures so far."""

    def __init__(self, total: int | None, stream):
        from tqdm import tqdm
        layout = BAR if total is not None else COUNTER
        self.bar = tqdm(total=total, unit=" articles", file=stream, postfix="0 failed", bar_format=layout,
                        **size_options(stream))

    def __call__(self, summary) -> None:
        """Called with the ingest's summary so far (batch.IngestSummary) after each article."""
        failed = len(summary.failed)
        self.bar.set_postfix_str(f"{failed} failed", refresh=False)
        self.bar.update(summary.stored + summary.already + failed - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def size_options(stream) -> dict:
    """Follow the terminal's size as it changes; where it reports none (a new pseudo-terminal says 0 x 0, and
    the bar would not be drawn at all) assume 80 x 24."""
    try:
        if os.get_terminal_size(stream.fileno()).columns:
            return {"dynamic_ncols": True}
    except (OSError, ValueError):
        pass
    return {"ncols": DEFAULT_SIZE[0], "nrows": DEFAULT_SIZE[1]}


def progress_display(paths: list[str], quiet: bool = False, stream=None) -> Progress | None:
    """A progress display on a terminal, unless asked to be quiet; None in pipes and logs."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        return None
    return Progress(known_total(paths), stream)


def known_total(paths: list[str]) -> int | None:
    """How many articles the paths hold, when counting files tells it (then one file is one article or one
    failure); None for standard input and JSON Lines files, which hold any number of articles."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        try:
            files = [str(f) for f in files_under(path)] if os.path.isdir(path) else [path]
        except OSError:
            return None
        if any(holds_many_articles(f) for f in files):
            return None
        total += len(files)
    return total
