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
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
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
        # A word's label matters to the ruler only through which of its label conditions it meets: keys that
        # differ in label alone and meet the same ones share one answer (learned once, the label carried).
        self.label_tests = label_conditions(self.ruler)
        self.label_classes: dict[int, tuple[bool, ...]] = {}
        self.by_class: dict[tuple, tuple[int, tuple[int, ...]]] = {}

    def __call__(self, doc):
        return self.apply([doc])[0]

    def apply(self, docs: list) -> list:
        """Many docs at once: the keys none of them has met before are learned in one run of the real
        components (a run costs half a millisecond however few its tokens)."""
        if self.spanning is None:
            for doc in docs:
                self.lemmatizer(self.ruler(doc))
            return docs
        all_keys = [[tuple(k) for k in doc.to_array(KEY).tolist()] if len(doc) else [] for doc in docs]
        missing = {k for keys in all_keys for k in keys if k not in self.cache}
        if missing:
            if len(self.cache) + len(missing) > MAX_ENTRIES:
                self.cache.clear()
                self.by_class.clear()
                missing = {k for keys in all_keys for k in keys}
            self.learn(docs[0].vocab, self.unshared(sorted(missing)))
            for key in missing:
                self.cache.setdefault(key, self.shared(key))
        for doc, keys in zip(docs, all_keys):
            if keys:
                self.fill(doc, keys)
        return docs

    def fill(self, doc, keys: list[tuple[int, int, int]]) -> None:
        rows = [self.cache[k] for k in keys]
        for start, end in self.windows(doc):          # a two-token rule: those tokens are run together
            rows[start:end] = self.real(doc.vocab, keys[start:end])
        write(doc, keys, rows)

    def word_class(self, key: tuple[int, int, int]) -> tuple | None:
        if self.label_tests is None:
            return None
        label = key[2]
        if label not in self.label_classes:
            self.label_classes[label] = tuple(label in values if meets else label not in values
                                              for meets, values in self.label_tests)
        return key[0], key[1], self.label_classes[label]

    def unshared(self, keys: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """The keys to learn: one per class none of the cache's keys is in."""
        out, classes = [], set()
        for key in keys:
            cls = self.word_class(key)
            if cls is None or (cls not in self.by_class and cls not in classes):
                out.append(key)
                if cls is not None:
                    classes.add(cls)
        return out

    def shared(self, key: tuple[int, int, int]) -> tuple[int, ...]:
        """A key's answer from the key of its class that was learned: the same but for the label, which is
        the key's own unless the ruler set it."""
        label, row = self.by_class[self.word_class(key)]
        return row if row[-1] != label else row[:-1] + (key[2],)

    def learn(self, vocab, keys: list[tuple[int, int, int]]) -> None:
        """The real components' answer for each key, from a doc of those tokens alone; the tokens that
        happen to form a two-token rule there are each asked again alone."""
        doc = key_doc(vocab, keys)
        crossed = {i for _, start, end in self.spanning(doc) for i in range(start, end)}
        rows = self.real(vocab, keys)
        for i in sorted(crossed):
            rows[i] = self.real(vocab, [keys[i]])[0]
        for key, row in zip(keys, rows):
            self.cache[key] = row
            cls = self.word_class(key)
            if cls is not None:
                self.by_class.setdefault(cls, (key[2], row))

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
    array = np.array(rows, dtype=np.uint64)
    doc.from_array(WRITTEN, array[:, :-1])
    labels = array[:, -1]
    # whitespace: the ruler relabels it "dep"
    for i in np.nonzero(labels != np.array([key[2] for key in keys], dtype=np.uint64))[0].tolist():
        doc[i].dep = int(labels[i])


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
    needs: list[list[tuple[int, frozenset]] | None] = []
    for n, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            if len(pattern) > 1:
                matcher.add(f"spanning{n}", [pattern])
                needs.append(needed_words(ruler.vocab, pattern))
            elif any(name.upper() not in KEY_ATTRIBUTES for name in pattern[0]):
                return None
    if not len(matcher):
        return lambda doc: []
    if None in needs:
        return lambda doc: matcher(doc, allow_missing=True)
    columns = {attr: i for i, attr in enumerate(NEEDED_ATTRS)}

    def matches(doc):
        """The matcher runs only on a doc that holds, for some rule, the word (or label) it cannot do
        without: most paragraphs hold none ("gon na", "let 's"), and the matcher costs as much as a
        paragraph's cache lookups."""
        present = doc.to_array(NEEDED_ATTRS).T.tolist() if len(doc) else [[] for _ in NEEDED_ATTRS]
        held = [set(column) for column in present]
        if not any(all(held[columns[attr]] & values for attr, values in need) for need in needs):
            return []
        return matcher(doc, allow_missing=True)
    return matches


NEEDED_ATTRS = [LOWER, DEP]


def needed_words(vocab, pattern: list[dict]) -> list[tuple[int, frozenset]] | None:
    """(attribute, values) for each token of the pattern that names plainly a lowercase word (or a list of
    them) or a dependency label it must have: the pattern matches only a doc that holds all of them. None
    when no token names one."""
    out = []
    for token in pattern:
        for name, value in token.items():
            attr = {"LOWER": LOWER, "DEP": DEP}.get(name.upper())
            if attr is None:
                continue
            if isinstance(value, str):
                out.append((attr, frozenset({vocab.strings.add(value)})))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                out.append((attr, frozenset(vocab.strings.add(v) for v in value["IN"])))
    return out or None


def label_conditions(ruler) -> list[tuple[bool, frozenset]] | None:
    """(meets, labels) for each dependency-label condition of the ruler's one-token rules: a label meets it
    when it is (meets) or is not (not meets) among the labels. None when a condition has another form."""
    strings = ruler.vocab.strings
    out = []
    for entry in ruler.patterns:
        for pattern in entry["patterns"]:
            if len(pattern) != 1:
                continue
            for name, value in pattern[0].items():
                if name.upper() != "DEP":
                    continue
                if isinstance(value, str):
                    out.append((True, frozenset({strings.add(value)})))
                elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
                    (how, labels), = value.items()
                    out.append((how == "IN", frozenset(strings.add(v) for v in labels)))
                else:
                    return None
    return out
