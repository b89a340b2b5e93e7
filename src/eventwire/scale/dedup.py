"""Near-duplicate articles: MinHash LSH over word shingles finds syndicated copies and light rewrites.

A copy is linked to its original (articles.duplicate_of). Each original's signature is kept in the
store (the signatures table), so opening the index reads bytes instead of re-hashing every article;
an LSH hit is confirmed on the signatures themselves, so a chance band collision links nothing.
"""
from __future__ import annotations

import re

import numpy as np
from sqlalchemy import insert, select

from ..store import schema as s

SHINGLE_WORDS = 5
NUM_PERM = 128
# Estimated Jaccard similarity of shingle sets from which two articles are one. A wire copy with its own
# headline and a few words edited scores 0.65-0.8; three outlets' own reports of one event (BASIL) at most 0.2.
THRESHOLD = 0.5
MIN_WORDS = 30           # shorter texts share too little to judge
WORD = re.compile(r"\w+")
SCHEME = "affine32"      # datasketch 2's permutation scheme, named so that stored signatures load as they were made
SIGNATURE_DTYPE = np.uint32     # affine32 values


def shingles(text: str) -> set[bytes]:
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str):
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m


def to_bytes(sig) -> bytes:
    return np.asarray(sig.hashvalues, dtype=SIGNATURE_DTYPE).tobytes()


def from_bytes(data: bytes):
    from datasketch import MinHash
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(bytes(data), dtype=SIGNATURE_DTYPE))


def comparable_text(x) -> str | None:
    """The cleaned text an extraction is compared by, or None when it is too short to judge."""
    text = "\n".join(p.text for p in x.paragraphs)
    return text if len(WORD.findall(text)) >= MIN_WORDS else None


class NearDuplicates:
    """An LSH index of stored originals; `original_of` answers for a new extraction, `add` indexes it."""

    def __init__(self, store=None):
        from datasketch import MinHashLSH
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.store = store
        self.pending: dict[int, object] = {}      # signatures indexed but not yet in the store
        self.last_id = 0                          # the highest signature read from the store so far

    @classmethod
    def from_store(cls, store) -> NearDuplicates:
        index = cls(store)
        index.sign_missing()
        with store.engine.connect() as c:
            index.catch_up(c)
        return index

    def catch_up(self, c) -> None:
        """Index the signatures other writers stored since this index last read (all of them at first).
        Called under the store's near-duplicate lock, it sees every original stored before."""
        sig = s.signatures.c
        query = select(sig.article_id, sig.minhash).where(sig.article_id > self.last_id).order_by(sig.article_id)
        for article_id, data in c.execute(query.execution_options(yield_per=2000)):
            if key(article_id) not in self.lsh.keys:
                self.lsh.insert(key(article_id), from_bytes(data))
            self.last_id = max(self.last_id, article_id)

    def sign_missing(self) -> None:
        """Store the signatures of originals stored without one (by an older eventwire, or another writer)."""
        a, sig = s.articles.c, s.signatures.c
        query = (select(a.id, a.title, a.text).where(a.duplicate_of.is_(None), a.id.not_in(select(sig.article_id)))
                 .order_by(a.id))
        rows = []
        with self.store.engine.connect() as c:
            for article_id, title, text in c.execute(query.execution_options(yield_per=500)):
                cleaned = comparable_text(cleaned_extraction(title, text))
                if cleaned is not None:
                    rows.append({"article_id": article_id, "minhash": to_bytes(signature(cleaned))})
        self.save(rows)

    def original_of(self, x) -> tuple[int | None, object]:
        """(the stored article this one nearly repeats or None, its signature for `add`)."""
        text = comparable_text(x)
        if text is None:
            return None, None
        sig = signature(text)
        hits = sorted(int(k[1:]) for k in self.lsh.query(sig))
        confirmed = [h for h in hits if self.similarity(h, sig) >= THRESHOLD]
        return (confirmed[0] if confirmed else None), sig

    def similarity(self, article_id: int, sig) -> float:
        """Estimated Jaccard similarity of a candidate's stored signature and this one."""
        other = self.pending.get(article_id) or self.stored_signature(article_id)
        return sig.jaccard(other) if other is not None else 0.0

    def stored_signature(self, article_id: int):
        if self.store is None:
            return None
        with self.store.engine.connect() as c:
            data = c.execute(select(s.signatures.c.minhash).where(s.signatures.c.article_id == article_id)).scalar()
        return from_bytes(data) if data is not None else None

    def save_with(self, c, article_id: int, sig) -> None:
        """Store a new original's signature in the transaction that stores the article (index it after commit)."""
        if sig is not None:
            c.execute(insert(s.signatures).values(article_id=article_id, minhash=to_bytes(sig)))

    def indexed(self, article_id: int, sig) -> None:
        """A committed original's signature, into this index."""
        if sig is not None and key(article_id) not in self.lsh.keys:
            self.lsh.insert(key(article_id), sig)

    def replaced(self, article_id: int, x) -> None:
        """An original whose text was replaced: its new signature, in the store and the index."""
        from sqlalchemy import delete
        if key(article_id) in self.lsh.keys:
            self.lsh.remove(key(article_id))
        text = comparable_text(x)
        with self.store.transaction() as c:
            c.execute(delete(s.signatures).where(s.signatures.c.article_id == article_id))
            if text is not None:
                self.save_with(c, article_id, sig := signature(text))
        if text is not None:
            self.indexed(article_id, sig)

    def add(self, article_id: int, sig) -> None:
        """Index a newly stored original so later copies of it are found, and keep its signature."""
        if sig is None:
            return
        self.lsh.insert(key(article_id), sig)
        if self.store is None:
            self.pending[article_id] = sig
        else:
            self.save([{"article_id": article_id, "minhash": to_bytes(sig)}])

    def save(self, rows: list[dict]) -> None:
        if rows and self.store is not None:
            with self.store.transaction() as c:
                c.execute(insert(s.signatures), rows)


def key(article_id: int) -> str:
    return f"a{article_id}"


def cleaned_extraction(title: str | None, text: str):
    """A stored article cleaned as ingest cleaned it (paragraphs only, no parsing), its title included."""
    from ..clean import clean
    from ..model import Article, Extraction
    title_in_text = bool(title) and text.lstrip().startswith(title)
    return clean(Extraction(Article(text=text, title=title, title_in_text=title_in_text)))
