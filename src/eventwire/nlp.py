"""Choosing and loading the spaCy pipeline, once per process, and parsing paragraphs in batches."""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from . import settings
from .model import Extraction, Sentence

# The stages read tags, lemmas, the dependency parse and entities; nothing else is worth running.
USED_COMPONENTS = {"tok2vec", "transformer", "tagger", "morphologizer", "parser", "attribute_ruler",
                   "lemmatizer", "ner", "trainable_lemmatizer"}


class ModelError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load(name: str | None = None):
    """The pipeline named (package name or path), else the first default that is installed."""
    import spacy
    candidates = [settings.model_name(name)] if settings.model_name(name) else list(settings.DEFAULT_MODELS)
    errors = []
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate, exclude=unused_components(candidate))
        except (OSError, ImportError, ValueError) as e:
            errors.append(f"{candidate}: {str(e).splitlines()[0][:120]}")
            continue
        nlp.max_length = max(nlp.max_length, settings.MAX_PARAGRAPH_CHARS * 2)
        return nlp
    raise ModelError("no spaCy pipeline could be loaded (" + "; ".join(errors) + ")")


def unused_components(name: str) -> list[str]:
    """Components in the pipeline's config that no stage reads, so spaCy never loads them."""
    import spacy
    try:
        config = spacy.util.load_config(spacy.util.get_package_path(name) / next(
            p.name for p in spacy.util.get_package_path(name).glob("*") if p.is_dir() and "-" in p.name) / "config.cfg")
        names = config["nlp"]["pipeline"]
    except Exception:  # a path or an unusual package: load everything it declares
        return []
    has_parser = "parser" in names
    return [n for n in names if n not in USED_COMPONENTS and not (n == "senter" and not has_parser)]


def pipeline_id(nlp) -> dict:
    """Name and version of a loaded pipeline, as stored beside every extraction."""
    return {"model": f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}",
            "model_version": nlp.meta.get("version", "0")}


def parse(extractions: list[Extraction], nlp, batch_size: int = 256) -> list[Extraction]:
    """Parse every paragraph of every article in one nlp.pipe stream, then record the sentences."""
    paragraphs = [(x, p) for x in extractions for p in x.paragraphs]
    texts = (p.text for _, p in paragraphs)
    for x in extractions:
        x.docs = []
    for (x, _), doc in zip(paragraphs, pipe(nlp, texts, batch_size)):
        x.docs.append(doc)
    for x in extractions:
        record_sentences(x)
    return extractions


def pipe(nlp, texts, batch_size: int):
    """nlp.pipe, with the attribute ruler and lemmatizer answered from their cache (same results, a third
    of the time: see attributes.py)."""
    from .attributes import LEMMATIZER, RULER
    cached = cached_attributes(nlp)
    if cached is None:
        yield from nlp.pipe(texts, batch_size=batch_size)
        return
    chunk = []
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=[RULER, LEMMATIZER]):
        chunk.append(doc)
        if len(chunk) == batch_size:
            yield from cached.apply(chunk)
            chunk = []
    yield from cached.apply(chunk)


@lru_cache(maxsize=4)
def cached_attributes(nlp):
    """One cache per loaded pipeline; None when the pipeline lacks either component."""
    from . import attributes
    if not {attributes.RULER, attributes.LEMMATIZER} <= set(nlp.pipe_names):
        return None
    return attributes.CachedAttributes(nlp)


def record_sentences(x: Extraction) -> None:
    """Sentences never cross paragraphs: each paragraph was parsed alone."""
    x.sentences = []
    sentence_of = {}
    for p, doc in zip(x.paragraphs, x.docs):
        doc.user_data["paragraph"] = p.index
        for sent in doc.sents:
            start, end = p.original_span(sent.start_char, sent.end_char)
            source = x.article.title if p.field == "title" else x.article.text
            sentence_of[(p.index, sent.start)] = len(x.sentences)
            x.sentences.append(Sentence(len(x.sentences), p.index, source[start:end], start, end, p.field))
    x.scratch["sentence_of"] = sentence_of


def once(doc, name: str, compute):
    """What `compute(doc)` gives, computed on the doc's first ask and kept in its user data: a parsed
    paragraph does not change while the stages read it."""
    value = doc.user_data.get(name)
    if value is None:
        value = doc.user_data[name] = compute(doc)
    return value


def tokens_starting(doc, lo: int, hi: int):
    """The tokens of a doc whose first character is in [lo, hi), found by binary search on their starts."""
    starts = once(doc, "token_starts", lambda d: [t.idx for t in d])
    return doc[bisect_left(starts, lo):bisect_left(starts, hi)]


def text_of(doc) -> str:
    """The doc's text, read once: spaCy's `Doc.text` joins every token's text again on each read (90 µs for
    a paragraph of 120 tokens), and the stages read it per entity, per quote and per place."""
    return once(doc, "text", lambda d: d.text)


def ents_of(doc) -> tuple:
    """The doc's entities, read once: spaCy's `Doc.ents` builds them again on each read (70 µs for a
    paragraph of 120 tokens), and some rules ask it for every candidate word."""
    return once(doc, "ents", lambda d: d.ents)
