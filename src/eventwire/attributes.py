"""The spaCy pipeline's attribute ruler and lemmatizer, answered from a cache with the same results.

In the English pipelines both are pure Python over every token and together cost about as much as the
neural network (profiled on BBC paragraphs: a third of `nlp.pipe`). What they write — tag, part of
speech, morphology, lemma and (for whitespace) the dependency label — is a function of the token's own
text, tag and dependency label, except where a rule spans two tokens ("gon na", "let 's", "there is").
So each distinct (text, tag, label) is computed once, by the real components run over a doc of the unseen
keys alone, and then copied, in C, from an array; the tokens a two-token rule matches are run through the
real components together, in their order.
`tests/test_attributes.py` checks token by token that the results equal the real components'.
"""
from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.matcher import Matcher

KEY = [ORTH, TAG, DEP]
WRITTEN = [TAG, POS, MORPH, LEMMA]
RULER, LEMMATIZER = "attribute_ruler", "lemmatizer"
# What a one-token rule may test: all of it follows from the token's text, tag and dependency label.
KEY_ATTRIBUTES = {"ORTH", "TEXT", "LOWER", "NORM", "TAG", "DEP", "IS_SPACE", "IS_PUNCT", "IS_ALPHA",
                  "IS_DIGIT", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "IS_TITLE", "IS_UPPER", "IS_LOWER"}
MAX_ENTRIES = 500_000          # distinct keys kept (about 100 MB); past that the cache starts again


class CachedAttributes:
    """Applies a pipeline's attribute ruler and lemmatizer to parsed docs, from the cache where it can."""

    def __init__(self, nlp):
        self.ruler = nlp.get_pipe(RULER)
        self.lemmatizer = with_set_index(nlp.get_pipe(LEMMATIZER))
        self.cache: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self.spanning = spanning_matcher(self.ruler)

    def __call__(self, doc):
        if len(doc) == 0:
            return doc
        if self.spanning is None:
            self.lemmatizer(self.ruler(doc))
            return doc
        keys = [tuple(k) for k in doc.to_array(KEY).tolist()]
        missing = {k for k in keys if k not in self.cache}
        if missing:
            if len(self.cache) + len(missing) > MAX_ENTRIES:
                self.cache.clear()
            self.learn(doc.vocab, sorted(missing))
        rows = [self.cache[k] for k in keys]
        for start, end in self.windows(doc):          # a two-token rule: those tokens are run together
            rows[start:end] = self.real(doc.vocab, keys[start:end])
        write(doc, keys, rows)
        return doc

    def learn(self, vocab, keys: list[tuple[int, int, int]]) -> None:
        """The real components' answer for each key, from a doc of those tokens alone (one doc per key
        should two of them happen to form a two-token rule)."""
        groups = [keys] if not self.spanning(key_doc(vocab, keys)) else [[k] for k in keys]
        for group in groups:
            for key, row in zip(group, self.real(vocab, group)):
                self.cache[key] = row

    def real(self, vocab, keys: list[tuple[int, int, int]]) -> list[tuple[int, ...]]:
        doc = self.lemmatizer(self.ruler(key_doc(vocab, keys)))
        return [tuple(row) for row in doc.to_array(WRITTEN + [DEP]).tolist()]

    def windows(self, doc) -> list[tuple[int, int]]:
        """The token ranges of the two-token rules' matches, overlapping ones joined."""
        joined: list[list[int]] = []
        for _, start, end in sorted(self.spanning(doc), key=lambda m: (m[1], m[2])):
            if joined and start < joined[-1][1]:
                joined[-1][1] = max(joined[-1][1], end)
            else:
                joined.append([start, end])
        return [(s, e) for s, e in joined]


def with_set_index(lemmatizer):
    """The lemmatizer with its word index per part of speech held in sets: spaCy's rule lemmatizer asks
    `form in index` of a list of up to 100,000 words for every new word (0.4 ms each); the answers are the
    same from a set. A copy: the pipeline's own component is left as it is (and saves as it was)."""
    import copy
    from spacy.lookups import Lookups
    tables = getattr(lemmatizer, "lookups", None)
    if tables is None or "lemma_index" not in tables.tables:
        return lemmatizer
    faster = Lookups()
    for name in tables.tables:
        table, new = tables.get_table(name), faster.add_table(name)
        for key, value in table.items():
            new[key] = frozenset(value) if name == "lemma_index" and isinstance(value, list) else value
    fast = copy.copy(lemmatizer)
    fast.lookups = faster
    # The component calls `self.lemmatize`, a method bound in its constructor: bound to the original
    # (and its lists) in a shallow copy, so bound again here to the copy.
    fast.lemmatize = getattr(fast, f"{fast.mode}_lemmatize")
    return fast


def write(doc, keys, rows) -> None:
    """Tag, part of speech, morphology and lemma in one array copy; a changed label token by token."""
    doc.from_array(WRITTEN, np.array([row[:-1] for row in rows], dtype=np.uint64))
    for token, key, row in zip(doc, keys, rows):
        if row[-1] != key[2]:                # whitespace: the ruler relabels it "dep"
            token.dep = row[-1]


def key_doc(vocab, keys: list[tuple[int, int, int]]):
    """A doc of one token per key, each with its tag and label and its own head."""
    from spacy.tokens import Doc
    strings = vocab.strings
    return Doc(vocab, words=[strings[k[0]] for k in keys], spaces=[True] * len(keys),
               tags=[strings[k[1]] for k in keys], deps=[strings[k[2]] for k in keys],
               heads=list(range(len(keys))))


def spanning_matcher(ruler):
    """A matcher of the ruler's rules that span several tokens (a callable giving the matches), or None
    when some one-token rule tests more than a token's text, tag and label: the cache would not be exact."""
    matcher = Matcher(ruler.vocab)
    for n, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            if len(pattern) > 1:
                matcher.add(f"spanning{n}", [pattern])
            elif any(name.upper() not in KEY_ATTRIBUTES for name in pattern[0]):
                return None
    return lambda doc: matcher(doc, allow_missing=True) if len(matcher) else []
