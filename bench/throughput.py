"""Throughput of `eventwire ingest` against bare `nlp.pipe` of the same spaCy pipeline, in one run.

    python bench/throughput.py [--limit N] [--model NAME]

Uses ../shared/corpus/bbc when present, else the bundled samples repeated. Each side runs in a process
of its own, its load time left out. Prints articles/s and words/s of both, the peak memory of an ingest of 1x and 4x the corpus (each in a fresh process),
and last: `eventwire/spaCy throughput ratio: X.XX`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc"


def corpus_files(limit: int) -> list[Path]:
    """BBC articles across its topic folders (round robin), else the samples repeated."""
    if BBC.is_dir():
        folders = [sorted(f.glob("*.txt")) for f in sorted(BBC.iterdir()) if f.is_dir()]
        files = [f for group in zip(*folders) for f in group]
        return files[:limit]
    samples = sorted((ROOT / "samples").glob("*.txt"))
    return [samples[i % len(samples)] for i in range(limit)]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def copy_corpus(files: list[Path], times: int, target: Path) -> Path:
    """The corpus written `times` times with a distinct last line each, so no copy is a duplicate."""
    target.mkdir(parents=True, exist_ok=True)
    for copy in range(times):
        for i, f in enumerate(files):
            (target / f"{copy:02d}-{i:05d}.txt").write_text(read(f) + f"\n\nCopy {copy} of item {i}.\n")
    return target


def bare_spacy(texts: list[str], model: str | None) -> float:
    from eventwire import nlp
    pipeline = nlp.load(model)
    for _ in pipeline.pipe(texts[:2]):      # the first call's set-up, as ingest's is left out below
        pass
    start = time.perf_counter()
    for _ in pipeline.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def eventwire_ingest(folder: Path, model: str | None) -> float:
    """Load time is left out on both sides: spaCy's pipeline there; here the pipeline, the knowledge base and
    what an ingest loads on first use (the store's and near-duplicate index's libraries, the lexicons), by
    an untimed ingest of the same two texts bare_spacy runs first, into a store of their own."""
    from eventwire import api, nlp
    from eventwire.actors.kb import kb
    from eventwire.actors.phoenix import phoenix
    from eventwire.events import verify
    from eventwire.gazetteer import gazetteer
    nlp.load(model)
    kb(), phoenix(), gazetteer(), verify.verifier()
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "first"          # the same set-up as bare_spacy's: its first two texts, untimed
        first.mkdir()
        for f in sorted(folder.iterdir())[:2]:
            (first / f.name).write_bytes(f.read_bytes())
        api.ingest([str(first)], db=str(Path(tmp) / "first.db"), model=model)   # and what loads on first use
        start = time.perf_counter()
        summary = api.ingest([str(folder)], db=str(Path(tmp) / "bench.db"), model=model)
        elapsed = time.perf_counter() - start
    assert not summary.failed, summary.failed[:3]
    return elapsed


def fresh(function: str, argument: str, model: str | None) -> float:
    """Seconds of one side, run in a process of its own: neither side starts with what the other loaded
    or learned (spaCy's lemmatizer keeps a cache of the words it has seen, which both sides would share)."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import throughput as t\n"
            f"print(t.{function}({argument}, {model!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def peak_memory_mb(folder: Path, model: str | None) -> float:
    """Peak resident memory of a whole ingest in a fresh process."""
    code = ("import resource, sys, tempfile; from eventwire import api\n"
            "with tempfile.TemporaryDirectory() as t:\n"
            f"    api.ingest([{str(folder)!r}], db=t + '/m.db', model={model!r})\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=400, help="articles in the 1x corpus")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    files = corpus_files(args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        one = copy_corpus(files, 1, Path(tmp) / "x1")
        four = copy_corpus(files, 4, Path(tmp) / "x4")
        texts = [read(f) for f in sorted(one.iterdir())]
        words = sum(len(t.split()) for t in texts)
        spacy_seconds = fresh("bare_spacy", f"[t.read(f) for f in sorted(t.Path({str(one)!r}).iterdir())]", args.model)
        ew_seconds = fresh("eventwire_ingest", f"t.Path({str(one)!r})", args.model)
        mem1, mem4 = peak_memory_mb(one, args.model), peak_memory_mb(four, args.model)
    n = len(texts)
    rows = {"articles": n, "words": words,
            "spacy_articles_per_s": n / spacy_seconds, "eventwire_articles_per_s": n / ew_seconds,
            "spacy_words_per_s": words / spacy_seconds, "eventwire_words_per_s": words / ew_seconds,
            "peak_mb_1x": mem1, "peak_mb_4x": mem4}
    print(f"corpus: {n} articles, {words} words ({'BBC' if BBC.is_dir() else 'bundled samples'}), "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"bare nlp.pipe     : {rows['spacy_articles_per_s']:8.1f} articles/s {rows['spacy_words_per_s']:10.0f} words/s")
    print(f"eventwire ingest  : {rows['eventwire_articles_per_s']:8.1f} articles/s {rows['eventwire_words_per_s']:10.0f} words/s")
    print(f"peak memory       : {mem1:.0f} MB at 1x, {mem4:.0f} MB at 4x ({mem4 / mem1:.2f}x)")
    print(json.dumps({k: round(v, 2) for k, v in rows.items()}))
    print(f"eventwire/spaCy throughput ratio: {spacy_seconds / ew_seconds:.2f}")


if __name__ == "__main__":
    main()
