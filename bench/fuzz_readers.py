"""Fuzz the readers: any bytes, as any kind of input, must give Articles or InputErrors and never raise.

    python bench/fuzz_readers.py [--seconds 120] [--engine atheris|hypothesis] [--examples N]

Each input's first byte picks the way in: a .txt, .html, .jsonl file (plain or gzipped), or standard
input; the rest is the content. Every Article is then cleaned, as ingest does before hashing it.
atheris (coverage-guided, libFuzzer) is used when installed, else hypothesis with many examples.
Prints examples run, crashes found (must be 0) and the time; inputs that crashed are saved under
bench/fuzz-crashes/. Exit status 1 when anything crashed.
"""
from __future__ import annotations

import argparse
import gzip
import importlib
import io
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRASHES = ROOT / "bench" / "fuzz-crashes"
INSTRUMENTED = ["eventwire.read", "eventwire.read.decode", "eventwire.read.dates", "eventwire.read.html",
                "eventwire.read.jsonl", "eventwire.read.text", "eventwire.clean"]
WAYS = [".txt", ".html", ".jsonl", ".txt.gz", ".html.gz", ".jsonl.gz", "-"]
SEEDS = [
    b"Kenya and Ethiopia agree to reopen talks\n\nThe ministers met in Nairobi on Monday.\n",
    b'{"id": "a", "text": "Peru condemned Chile.", "published": "2024-02-30"}\n[1]\n{"text": 5}\n',
    (b"<html><head><title>T</title></head><body><article><p>Norway and Sweden signed a deal in Oslo on "
     b"Thursday after talks.</p></article></body></html>"),
    b"<div>" * 300 + b"<p>The minister met the president in Paris on Monday.</p>",
    "\ufeffT\u00edtulo\n\nEl ministro habl\u00f3 con el \u200bpresidente \u202eayer.".encode(),
    "Title\n\nThe caf\u00e9 minister".encode("cp1252") + " met Gr\u00fc\u00dfe.".encode(),
    "Title\n\nThe minister met the president.".encode("utf-16"),
    b"\x1f\x8b\x08\x00" + b"\x00" * 40, b"\x00\x01\x02binary", b"", b"\n\n\n", b"{", b"<",
]


class Tally:
    """Examples run and crashes found, printed once at exit whichever engine stops the run."""

    def __init__(self, engine: str, seconds: float = float("inf"), examples: int | None = None):
        self.engine, self.examples, self.crashes, self.start = engine, 0, 0, time.monotonic()
        self.seconds, self.limit = seconds, examples
        self.kinds: dict[str, int] = {}

    def done(self) -> bool:
        return time.monotonic() - self.start >= self.seconds or (self.limit is not None and self.examples >= self.limit)

    def report(self) -> None:
        seconds = time.monotonic() - self.start
        print(f"engine: {self.engine}", flush=True)
        print(f"examples run: {self.examples}", flush=True)
        print(f"crashes found: {self.crashes}", flush=True)
        print(f"time: {seconds:.1f} s ({self.examples / max(seconds, 1e-9):.0f} examples/s)", flush=True)
        print("results: " + ", ".join(f"{k} {v}" for k, v in sorted(self.kinds.items())), flush=True)


def feed(data: bytes, workdir: str, tally: Tally) -> None:
    """One fuzz input through one reader; an exception is a crash, saved for replay."""
    from eventwire.clean import clean
    from eventwire.model import Article, Extraction
    from eventwire.read import InputError, read_paths, read_stdin
    tally.examples += 1
    way = WAYS[data[0] % len(WAYS)] if data else ".txt"
    content = data[1:]
    try:
        if way == "-":
            results = list(read_stdin(io.BufferedReader(io.BytesIO(content))))
        else:
            path = os.path.join(workdir, "input" + way)
            with open(path, "wb") as f:
                f.write(gzip.compress(content) if way.endswith(".gz") else content)
            results = list(read_paths([path]))
        for r in results:
            if isinstance(r, Article):
                clean(Extraction(r))
                tally.kinds["article"] = tally.kinds.get("article", 0) + 1
            elif isinstance(r, InputError):
                assert "\n" not in str(r), f"error message on more than one line: {r!r}"
                tally.kinds["error"] = tally.kinds.get("error", 0) + 1
            else:
                raise TypeError(f"reader returned {type(r).__name__}")
    except Exception:  # noqa: BLE001 - a crash is what this bench counts
        tally.crashes += 1
        save_crash(data, traceback.format_exc())


def save_crash(data: bytes, trace: str) -> None:
    CRASHES.mkdir(parents=True, exist_ok=True)
    name = f"crash-{abs(hash(data)):x}"
    (CRASHES / name).write_bytes(data)
    (CRASHES / f"{name}.txt").write_text(trace)
    print(f"CRASH saved as {CRASHES / name}:\n{trace}", file=sys.stderr, flush=True)


def run_atheris(seconds: int, examples: int | None) -> None:
    import atheris
    with atheris.instrument_imports(include=["eventwire"]):      # coverage feedback from these modules
        for module in INSTRUMENTED:
            importlib.import_module(module)
    tally = Tally("atheris (libFuzzer, coverage-guided)", seconds, examples)
    workdir = tempfile.mkdtemp(prefix="fuzz-readers-")
    seeds = tempfile.mkdtemp(prefix="fuzz-seeds-")
    for i, seed in enumerate(SEEDS):
        for way in range(len(WAYS)):
            Path(seeds, f"seed-{i}-{way}").write_bytes(bytes([way]) + seed)

    def one_input(data: bytes) -> None:
        if tally.done():               # libFuzzer leaves by C exit(), past Python's atexit: stop here instead
            tally.report()
            os._exit(1 if tally.crashes else 0)
        feed(data, workdir, tally)

    args = [sys.argv[0], f"-max_total_time={int(seconds) + 600}", "-rss_limit_mb=4096", "-max_len=65536",
            "-timeout=60", "-print_final_stats=0", seeds]
    atheris.Setup(args, one_input)
    atheris.Fuzz()


def run_hypothesis(seconds: int, examples: int) -> Tally:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    tally = Tally("hypothesis", seconds, examples)
    workdir = tempfile.mkdtemp(prefix="fuzz-readers-")
    pieces = st.one_of(st.binary(max_size=200), st.sampled_from(SEEDS),
                       st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))
    inputs = st.tuples(st.integers(0, len(WAYS) - 1), st.lists(pieces, max_size=8))

    @settings(max_examples=min(examples, 500), deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs)
    def fuzz(case):
        if not tally.done():
            way, parts = case
            feed(bytes([way]) + b"".join(parts), workdir, tally)

    while not tally.done():            # rounds of 500, so the time limit is kept
        fuzz()
    tally.report()
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--examples", type=int, default=None, help="stop after this many (default: time only)")
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), default=None)
    args = parser.parse_args()
    engine = args.engine or ("atheris" if has_atheris() else "hypothesis")
    if engine == "atheris":
        run_atheris(args.seconds, args.examples)       # atheris exits the process itself
    return 1 if run_hypothesis(args.seconds, args.examples or 1_000_000).crashes else 0


def has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
