"""The cached attribute ruler and lemmatizer give, token by token, what spaCy's own components give."""
from pathlib import Path

import pytest

from eventwire import attributes, nlp

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc"

# Two-token rules ("there is", "let's", "gonna", "ain't", "y'all", "gotta"), whitespace tokens the ruler
# relabels, pronouns and auxiliaries it rewrites, and words whose lemma depends on their tag.
HAND_WRITTEN = [
    "There is no deal yet, and there's no date, but there were talks.",
    "Let's be clear: we ain't gonna sign, y'all, and they gotta know it.",
    "The  minister   said  it\tagain.\n\nShe leaves.",
    "He has been meeting them; does she know? I'd have gone, wouldn't you?",
    "The leaves fell as the ministers' aides were leaving the meeting that met the needs of those meetings.",
    "",
    "   ",
]


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]


def compare(texts):
    pipeline = nlp.load()
    reference = [annotations(doc) for doc in pipeline.pipe(texts)]
    cached = attributes.CachedAttributes(pipeline)
    disabled = [attributes.RULER, attributes.LEMMATIZER]
    for _ in range(2):                              # once filling the cache, once reading it
        got = [annotations(cached(doc)) for doc in pipeline.pipe(texts, disable=disabled)]
        assert got == reference
    return cached


def test_cached_attributes_equal_spacys_on_the_hard_cases():
    cached = compare(HAND_WRITTEN)
    assert len(cached.cache) > 50


def test_cached_attributes_equal_spacys_on_the_bundled_samples():
    compare([line for f in sorted((ROOT / "samples").glob("*.txt")) for line in f.read_text().splitlines()])


@pytest.mark.skipif(not BBC.is_dir(), reason="needs ../shared/corpus")
def test_cached_attributes_equal_spacys_on_a_hundred_bbc_paragraphs_of_every_topic():
    files = sorted(BBC.glob("*/*.txt"))[::90]
    compare([p for f in files for p in f.read_text(errors="replace").split("\n") if p.strip()][:400])


def test_the_parse_uses_the_cache_and_a_pipeline_without_the_components_is_parsed_as_it_is():
    pipeline = nlp.load()
    assert isinstance(nlp.cached_attributes(pipeline), attributes.CachedAttributes)
    import spacy
    blank = spacy.blank("en")
    assert nlp.cached_attributes(blank) is None
    assert [t.text for t in nlp.pipe(blank, ["Two words"], 8).__next__()] == ["Two", "words"]


def test_the_cache_learns_new_words_with_the_set_index_not_the_pipelines_lists():
    """The lemmatizer copy calls its own word index (sets): a shallow copy keeps the original's bound
    `lemmatize`, which asked lists of 100,000 words for every new word (ten times slower, the whole gain)."""
    pipeline = nlp.load(None)
    cached = nlp.cached_attributes(pipeline)
    assert cached.lemmatizer.lemmatize.__self__ is cached.lemmatizer
    index = cached.lemmatizer.lookups.get_table("lemma_index")
    assert all(isinstance(words, frozenset) for words in index.values())
    doc = pipeline.make_doc("ministers negotiating")
    for token, (tag, pos) in zip(doc, [("NNS", "NOUN"), ("VBG", "VERB")]):
        token.tag_, token.pos_ = tag, pos
    assert [cached.lemmatizer.lemmatize(t)[0] for t in doc] == ["minister", "negotiate"]
