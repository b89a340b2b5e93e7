"""Gold items to articles: text items as they are, corpus items through their file, slice or paragraph.

A corpus item's offsets point into its file (or BASIL paragraph, or WikiEvents document); `locate`
returns the article to extract and the item's span shifted into that article's text.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import Article
from ..read.dates import parse_date
from ..read.text import article_from_text

CORPUS_ENV = "EVENTWIRE_CORPUS"


def default_corpus() -> Path:
    """$EVENTWIRE_CORPUS, else ../shared/corpus beside the working directory or the repository."""
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV])
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "corpus"


@dataclass(frozen=True)
class Located:
    key: tuple          # which article (shared by items of the same article)
    article: Article
    start: int          # the item's span inside article.text
    end: int


@lru_cache(maxsize=64)
def read_corpus_file(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def locate(item: dict, corpus: Path) -> Located:
    """The article an item belongs to and its span in that article's text."""
    published = parse_date(item.get("published"))
    if "text" in item:
        start, end = item.get("start", 0), item.get("end", len(item["text"]))
        return Located(("text", item["id"]), Article(text=item["text"], published=published, origin=item["id"]),
                       start, end)
    path = str(corpus / item["file"])
    if "paragraph" in item:
        return basil(item, path, published)
    if "doc_id" in item and item["file"].endswith(".jsonl"):
        text = wikievents_text(path, item["doc_id"])
        return Located((item["file"], item["doc_id"]), Article(text=text, published=published, origin=item["doc_id"]),
                       item["start"], item["end"])
    raw = read_corpus_file(path)
    if "doc_start" in item:
        ds, de = item["doc_start"], item["doc_end"]
        return Located((item["file"], ds), Article(text=raw[ds:de], published=published, origin=f"{item['file']}@{ds}"),
                       item["start"] - ds, item["end"] - ds)
    article = article_from_text(raw, item["file"])
    article.published = published
    return Located((item["file"],), article, item["start"], item["end"])


def basil(item: dict, path: str, published) -> Located:
    """BASIL: paragraphs are lists of sentences; the article is the paragraphs joined by blank lines."""
    data = json.loads(read_corpus_file(path))
    paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in data.get("body-paragraphs", [])]
    shift = sum(len(p) + 2 for p in paragraphs[:item["paragraph"]])
    text = (data.get("title") or "") + "\n\n" + "\n\n".join(paragraphs)
    shift += len(data.get("title") or "") + 2
    article = Article(text=text, title=data.get("title"), title_in_text=True, published=published,
                      origin=item["file"])
    return Located((item["file"],), article, item["start"] + shift, item["end"] + shift)


@lru_cache(maxsize=8)
def wikievents_docs(path: str) -> dict:
    out = {}
    for line in read_corpus_file(path).splitlines():
        if line.strip():
            doc = json.loads(line)
            out[doc["doc_id"]] = doc["text"]
    return out


def wikievents_text(path: str, doc_id: str) -> str:
    return wikievents_docs(path)[doc_id]
