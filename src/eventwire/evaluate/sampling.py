"""Random articles of the third-party corpus, as pointers (file, slice, paragraph), never as text.

A pointer is the same kind of item the gold sets hold (see gold/README.md): `locate()` turns it into
the article to extract; `pointer_span()` turns an offset of that article back into corpus offsets.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

from .corpus import locate, read_corpus_file

BBC_TOPICS = ("politics", "business", "entertainment", "sport", "tech")
REUTERS_FILES = tuple(f"reuters21578/reut2-00{i}.sgm" for i in range(6))
MUC_FILE = "muc34/TASK/CORPORA/tst4/tst4-muc4.mixed-case"
REUTERS_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
REUTERS_DATE = re.compile(r"<DATE>\s*(\d+)-([A-Z]{3})-(\d{4})")
MUC_ID = re.compile(r"^TST4-MUC4-\d{4}\s*$", re.M)
MUC_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]{2}) (\d{2}) \(")
MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                                      "NOV", "DEC"), 1)}


def bbc(corpus: Path, topic: str) -> list[dict]:
    return [{"file": f"bbc/{topic}/{p.name}"} for p in sorted((corpus / "bbc" / topic).glob("*.txt"))]


def reuters(corpus: Path) -> list[dict]:
    out = []
    for name in REUTERS_FILES:
        raw = read_corpus_file(str(corpus / name))
        for doc in re.finditer(r"<REUTERS.*?</REUTERS>", raw, re.S):
            body = REUTERS_BODY.search(raw, doc.start(), doc.end())
            if not body or len(body.group(1).split()) < 60:
                continue
            item = {"file": name, "doc_start": body.start(1), "doc_end": body.end(1)}
            date = REUTERS_DATE.search(raw, doc.start(), doc.end())
            if date:
                item["published"] = f"{date.group(3)}-{MONTHS[date.group(2)]:02d}-{int(date.group(1)):02d}"
            out.append(item)
    return out


def muc(corpus: Path) -> list[dict]:
    raw = read_corpus_file(str(corpus / MUC_FILE))
    ids = list(MUC_ID.finditer(raw)) + [None]
    out = []
    for here, after in zip(ids, ids[1:]):
        start, end = here.end(), after.start() if after else len(raw)
        body = raw[start:end]
        ds = start + len(body) - len(body.lstrip())
        de = start + len(body.rstrip())
        item = {"file": MUC_FILE, "doc_start": ds, "doc_end": de, "doc_id": here.group().strip()}
        date = MUC_DATE.search(raw, ds, min(de, ds + 200))
        if date and date.group(2).upper() in MONTHS:
            item["published"] = f"19{date.group(3)}-{MONTHS[date.group(2).upper()]:02d}-{int(date.group(1)):02d}"
        out.append(item)
    return out


def basil(corpus: Path) -> list[dict]:
    out = []
    for p in sorted((corpus / "basil" / "articles").glob("*/*.json")):
        data = json.loads(read_corpus_file(str(p)))
        item = {"file": str(p.relative_to(corpus)), "paragraph": 0}
        if data.get("date"):
            item["published"] = str(data["date"])[:10]
        out.append(item)
    return out


def wikievents(corpus: Path, split: str = "dev") -> list[dict]:
    path = corpus / "wikievents" / f"{split}.jsonl"
    return [{"file": f"wikievents/{split}.jsonl", "doc_id": json.loads(line)["doc_id"]}
            for line in read_corpus_file(str(path)).splitlines() if line.strip()]


def polnear(corpus: Path, split: str = "train") -> list[dict]:
    dates = {}
    meta = corpus / "polnear" / "metadata.tsv"
    if meta.exists():
        for line in read_corpus_file(str(meta)).splitlines()[1:]:
            cells = line.split("\t")
            for cell in cells:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell.strip()):
                    dates[cells[0]] = cell.strip()
    out = []
    for p in sorted((corpus / "polnear" / split / "text").glob("*.txt")):
        item = {"file": f"polnear/{split}/text/{p.name}"}
        m = re.search(r"_(\d{4}-\d{2}-\d{2})_", p.name)
        if m:
            item["published"] = m.group(1)
        out.append(item)
    return out


def kinds(corpus: Path) -> dict[str, list[dict]]:
    """Every article of each corpus kind, as pointers."""
    out = {f"bbc/{t}": bbc(corpus, t) for t in BBC_TOPICS}
    out["reuters"] = reuters(corpus)
    out["muc"] = muc(corpus)
    out["basil"] = basil(corpus)
    out["wikievents"] = wikievents(corpus)
    out["polnear"] = polnear(corpus)
    return out


def sample(corpus: Path, counts: dict[str, int], seed: int, exclude: set[str] = frozenset()) -> list[dict]:
    """`counts[kind]` random articles of each kind (a seeded, repeatable draw), none from `exclude` files
    or documents."""
    rng = random.Random(seed)
    everything = kinds(corpus)
    out = []
    for kind, n in counts.items():
        pool = [dict(item, kind=kind) for item in everything[kind] if article_key(item) not in exclude]
        out += rng.sample(pool, min(n, len(pool)))
    return out


def article_key(item: dict) -> str:
    """One article's name: its file, and its slice or document where a file holds many."""
    return f"{item['file']}@{item.get('doc_start', item.get('doc_id', ''))}"


def articles_in(paths) -> set[str]:
    """The articles (see article_key) that JSON Lines files of pointers name: what a new draw leaves out."""
    out = set()
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            if "file" in item:
                out.add(article_key(item))
    return out


def pointer_span(item: dict, corpus: Path, start: int, end: int) -> dict:
    """Offsets [start, end) of the located article's text as corpus offsets in the gold convention."""
    located = locate({**item, "start": 0, "end": 0}, corpus)
    shift = -located.start              # article offset 0 corresponds to corpus offset -located.start
    if "paragraph" in item:              # BASIL: which paragraph, and the offset inside it
        data = json.loads(read_corpus_file(str(corpus / item["file"])))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in data.get("body-paragraphs", [])]
        offset = len(data.get("title") or "") + 2
        for i, p in enumerate(paragraphs):
            if offset <= start <= offset + len(p):
                return {"paragraph": i, "start": start - offset, "end": min(end, offset + len(p)) - offset}
            offset += len(p) + 2
        raise ValueError("span outside BASIL paragraphs (title?)")
    return {"start": start + shift, "end": end + shift}
