"""Where ingest spends its time: the parse and each stage after it, on a fixed sample of the corpus.

    python bench/stage_profile.py [--limit N] [--model NAME]

(Not bench/profile.py: a file of that name beside the other benchmarks would be imported by them in place of
the standard library's `profile`, which spaCy imports.)

Uses ../shared/corpus/bbc (every topic, round robin, the same files as bench/throughput.py) when present,
else the bundled samples repeated. The bundled samples are run first, untimed, so that what loads on first
use is loaded. Prints, in one run: bare spaCy `nlp.pipe` over the same paragraphs, the
parse as ingest runs it (the attribute ruler and lemmatizer from their cache, see attributes.py), each
stage's seconds and its share of the parse, and the stages' total share (the target is at most 0.10).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sibling(name: str):
    """A sibling benchmark script, imported by path."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


throughput = sibling("throughput")
BBC, corpus_files, read = throughput.BBC, throughput.corpus_files, throughput.read


def articles(files):
    from eventwire.read.text import article_from_text
    return [article_from_text(read(f), str(f)) for f in files]


def main() -> None:
    from eventwire import nlp, pipeline
    from eventwire.actors.kb import kb
    from eventwire.actors.phoenix import phoenix
    from eventwire.clean import clean
    from eventwire.events import verify
    from eventwire.gazetteer import gazetteer
    from eventwire.model import Extraction
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=200, help="articles profiled")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    spacy_pipeline = nlp.load(args.model)
    kb(), phoenix(), gazetteer(), verify.verifier()
    warm_up(spacy_pipeline)
    extractions = [clean(Extraction(a)) for a in articles(corpus_files(args.limit))]
    paragraphs = [p.text for x in extractions for p in x.paragraphs]
    bare = timed(lambda: list(spacy_pipeline.pipe(paragraphs, batch_size=256)))
    parse = timed(lambda: nlp.parse(extractions, spacy_pipeline, batch_size=256))
    stage_seconds = {name: 0.0 for name, _ in pipeline.stages()}
    for x in extractions:
        for name, stage in pipeline.stages():
            stage_seconds[name] += timed(lambda: stage(x))
    total = sum(stage_seconds.values())
    sentences = sum(len(x.sentences) for x in extractions)
    print(f"sample: {len(extractions)} articles, {len(paragraphs)} paragraphs, {sentences} sentences "
          f"({'BBC' if BBC.is_dir() else 'bundled samples'})")
    print(f"bare spaCy nlp.pipe of the paragraphs : {bare:6.2f} s")
    print(f"parse as ingest runs it               : {parse:6.2f} s  ({parse / bare:.2f} of bare spaCy)")
    for name, seconds in sorted(stage_seconds.items(), key=lambda kv: -kv[1]):
        print(f"  stage {name:8s}: {seconds:6.2f} s  {seconds / parse:5.3f} of the parse")
    print(f"stages after the parse: {total:.2f} s, {total / parse:.3f} of the parse")
    print("sentences skipped: 0 (every paragraph is parsed; the cache makes the parse cheaper instead)")
    print(f"parse + stages vs bare spaCy: {(parse + total) / bare:.2f}")


def warm_up(spacy_pipeline) -> None:
    """What loads on first use (tables, indexes, compiled patterns) is loaded before anything is timed, by
    running the bundled samples through: the profile is of the steady state (bench/throughput.py counts it all)."""
    from eventwire import pipeline
    from eventwire.read.text import article_from_text
    samples = sorted((throughput.ROOT / "samples").glob("*.txt"))
    pipeline.process_batch([article_from_text(read(f), str(f)) for f in samples], spacy_pipeline)
    list(spacy_pipeline.pipe([read(f) for f in samples]))


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
