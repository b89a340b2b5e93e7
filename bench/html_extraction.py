"""Main-text extraction of eventwire's HTML reader, scored like the article-extraction-benchmark.

    python bench/html_extraction.py [CORPUS]

Reads ../shared/corpus/html_extraction/scrapinghub_aeb (181 real pages with a human gold article
body) through eventwire.read.html and prints token precision, recall and F1: per page, the bag of
word tokens of the extracted text against the gold's, averaged over pages (an empty extraction of a
page scores 0 recall).
"""
from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "html_extraction" / "scrapinghub_aeb"
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall((text or "").lower()))


def page_scores(found: str, gold: str) -> tuple[float, float]:
    f, g = tokens(found), tokens(gold)
    common = sum((f & g).values())
    precision = common / sum(f.values()) if f else (1.0 if not g else 0.0)
    recall = common / sum(g.values()) if g else 1.0
    return precision, recall


def measure(folder: Path) -> dict:
    """Pages, pages with no article text, and mean token precision, recall and their F1 over the pages."""
    from eventwire.read import InputError
    from eventwire.read.html import read_html_bytes
    truth = json.loads((folder / "ground-truth.json").read_text())
    precisions, recalls, failed = [], [], 0
    for page_id, gold in sorted(truth.items()):
        data = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        article = read_html_bytes(data, page_id, url=gold.get("url"))
        text = "" if isinstance(article, InputError) else article.text
        failed += isinstance(article, InputError)
        p, r = page_scores(text, gold.get("articleBody", ""))
        precisions.append(p)
        recalls.append(r)
    n = len(precisions)
    p, r = sum(precisions) / n, sum(recalls) / n
    return {"pages": n, "failed": failed, "precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    start = time.perf_counter()
    m = measure(folder)
    print(f"{m['pages']} pages in {time.perf_counter() - start:.1f} s; {m['failed']} gave no article text")
    print(f"token precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}")


if __name__ == "__main__":
    main()
