"""The stage order, batching and processes; nothing else.

    read -> clean -> parse -> actors -> events -> quotes -> claims -> when -> where -> store
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import __version__, nlp, settings
from .clean import clean
from .model import Article, Extraction
from .read import InputError

log = logging.getLogger("eventwire")


def stages():
    """The named stages after parsing, in the order they run (each reads only what came before)."""
    from . import claims, quotes, when, where
    from .actors import resolve
    from .events import extract as events
    return [("actors", resolve.run), ("events", events.run), ("quotes", quotes.run),
            ("claims", claims.run), ("when", when.run), ("where", where.run)]


@dataclass
class Failure:
    """An article that was read but could not be processed."""
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def process_batch(articles: list[Article | Extraction], pipeline) -> list[Extraction | Failure]:
    """Clean, parse and run every stage over a batch (an Extraction comes cleaned already: see
    batch.new_articles); one article's failure stays its own."""
    ready()
    extractions, out = [], {}
    for i, article in enumerate(articles):
        try:
            extractions.append((i, article if isinstance(article, Extraction) else clean(Extraction(article))))
        except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
            out[i] = failure(article, "clean", e)
    named = stages()
    meta = {"eventwire_version": __version__, **nlp.pipeline_id(pipeline)}   # spaCy builds its meta on each read
    for i, x in parse_isolated(extractions, pipeline, out):
        out[i] = run_stages(x, named, meta)
    return [out[i] for i in range(len(articles))]


def ready() -> None:
    """What every article needs is there before any is read: a missing or broken verifier model is one
    error for the whole run (naming the file and how to rebuild it), never a failure per article."""
    if settings.VERIFY_EVENTS:
        from .events.verify import verifier
        verifier()


def parse_isolated(extractions: list[tuple[int, Extraction]], pipeline, out: dict) -> list[tuple[int, Extraction]]:
    """Parse the batch in one stream; should that fail, article by article, so only the bad one fails."""
    try:
        nlp.parse([x for _, x in extractions], pipeline, batch_size=settings.BATCH_SIZE * 4)
        return extractions
    except Exception:  # noqa: BLE001 - which article broke the parser is found below
        log.debug("batch parse failed; parsing article by article\n%s", traceback.format_exc())
    parsed = []
    for i, x in extractions:
        try:
            nlp.parse([x], pipeline, batch_size=settings.BATCH_SIZE * 4)
            parsed.append((i, x))
        except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
            out[i] = failure(x.article, "parse", e)
    return parsed


def run_stages(x: Extraction, named, meta: dict) -> Extraction | Failure:
    name = "start"
    try:
        for name, stage in named:
            stage(x)
    except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
        return failure(x.article, name, e)
    x.meta = dict(meta)
    x.docs, x.scratch = [], {}
    return x


def failure(article: Article, stage: str, error: Exception) -> Failure:
    log.debug("stage %s failed on %s\n%s", stage, article.origin, traceback.format_exc())
    return Failure(article.origin, f"{stage} stage failed: {type(error).__name__}: {one_line(error)[:160]}")


def one_line(error: Exception) -> str:
    """An exception's message on one line (a failure is reported as one line), whatever it holds."""
    try:
        return " ".join(str(error).split())
    except Exception:  # noqa: BLE001 - an exception whose message itself fails
        return "(no message)"


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_stream(inputs: Iterable[Article | Extraction | InputError], model: str | None = None, jobs: int = 1,
                   batch_size: int = settings.BATCH_SIZE) -> Iterator[Extraction | Failure | InputError]:
    """Results in input order; read errors pass through; articles (or, in one process, the cleaned extractions
    of batch.new_articles) go in batches, to N processes if asked."""
    if jobs > 1:
        yield from extract_parallel(inputs, model, jobs, batch_size)
        return
    pipeline = None
    for batch in batched(inputs, batch_size):
        articles = [a for a in batch if isinstance(a, (Article, Extraction))]
        if articles and pipeline is None:
            pipeline = nlp.load(model)
        results = iter(process_batch(articles, pipeline)) if articles else iter(())
        for item in batch:
            yield next(results) if isinstance(item, (Article, Extraction)) else item


_worker_model = None
WORKER_DIED = "the worker process died while extracting its batch (out of memory or a crash in a native library)"


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    nlp.load(model)


def _work(batch: list) -> list:
    articles = [a for a in batch if isinstance(a, Article)]
    results = iter(process_batch(articles, nlp.load(_worker_model)))
    return [next(results) if isinstance(item, Article) else item for item in batch]


def extract_parallel(inputs, model, jobs, batch_size) -> Iterator:
    """N worker processes, each loading the pipeline once; results come back in input order.

    A worker that dies (killed for memory, a crash in a native library) breaks the whole pool, and every
    batch in flight with it. Those batches are tried again, each alone in a fresh pool: the ones that were
    merely in flight go through, and a batch that kills its worker again fails, one line per article."""
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool
    pending = deque()
    executor = worker_pool(model, jobs)
    try:
        for batch in batched(inputs, max(1, batch_size // 4)):
            try:
                future = executor.submit(_work, batch)
            except BrokenProcessPool:          # broken by a batch before: a new pool for the rest
                executor.shutdown(wait=False, cancel_futures=True)
                executor = worker_pool(model, jobs)
                future = executor.submit(_work, batch)
            pending.append((batch, future))
            while len(pending) > jobs * 2 or (pending and pending[0][1].done()):
                yield from finished(pending.popleft(), model)
        while pending:
            yield from finished(pending.popleft(), model)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def worker_pool(model, jobs: int):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                               initargs=(model,))


def finished(item, model) -> list:
    """A batch's results; if its pool broke, the batch is run again alone (see extract_parallel)."""
    from concurrent.futures.process import BrokenProcessPool
    batch, future = item
    try:
        return future.result()
    except BrokenProcessPool:
        log.debug("a worker process died; its batch of %d is tried again alone", len(batch))
    with worker_pool(model, 1) as alone:
        try:
            return alone.submit(_work, batch).result()
        except BrokenProcessPool:
            return [item if isinstance(item, InputError) else Failure(item.origin, WORKER_DIED) for item in batch]


def extract(text: str, published=None, title: str | None = None, model: str | None = None,
            **fields) -> Extraction:
    """One article from a string: the Python API behind `eventwire extract`."""
    from .read import read_text
    from .read.dates import parse_date
    article = read_text(text, title=title, published=parse_date(published), **fields)
    result = process_batch([article], nlp.load(model))[0]
    if isinstance(result, Failure):
        raise RuntimeError(str(result))
    return result
