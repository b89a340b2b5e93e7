"""Property: eventwire.extract on any Unicode text never raises and returns a document that keeps the contract.

The contract is /work/shared/acceptance/README.md's JSON: types of every field, PLOVER types, the six
modalities, and offsets that point at exactly the text they quote (0 <= start <= end <= len(text)).
"""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventwire
from eventwire.ontology import PLOVER_TYPES

MODALITIES = {"asserted", "reported", "denied", "planned", "hypothetical", "negated"}
ACTOR_KINDS = {"person", "country", "organization", "group", "place"}
QUOTE_TYPES = {"direct", "indirect", "mixed"}
ISO3 = re.compile(r"^[A-Z]{3}$")

# Pieces of news prose, so that generated texts reach the actor, event, quote and claim stages.
FRAGMENTS = [
    "Russia accused Ukraine of shelling the town on Monday.", "The United States imposed sanctions on Iran.",
    '"We will never accept this," the minister said.', "Antony Blinken met Wang Yi in Beijing on 3 March 2024.",
    "Iran denied sending missiles to Russia, officials said.", "Police arrested 40 protesters in Nairobi.",
    "The president could visit Kenya next week.", "China did not threaten Taiwan, the spokesman said.",
    "Ministers agreed to reopen border talks.", "According to the ministry, troops attacked the village.",
    "\u201cIt is a crime,\u201d he said.", "\u00ab\u00a0Non\u00a0\u00bb, a dit le ministre.", "the", "said", '"', "'",
    "\n", "\n\n", " ", ".", ",", "\u200b", "\u200f", "\u202e", "\ufeff", "\u00ad", "\x00", "\r\n", "\u2028",
    "\u0627\u0644\u0631\u0626\u064a\u0633 \u0642\u0627\u0644", "\u4e60\u8fd1\u5e73\u4f1a\u89c1\u4e86\u666e\u4eac",
    "\u041f\u0443\u0442\u0438\u043d \u0441\u043a\u0430\u0437\u0430\u043b", "\U0001F600\U0001F1FA\U0001F1F8",
    "\u092a\u094d\u0930\u0927\u093e\u0928\u092e\u0902\u0924\u094d\u0930\u0940", "e\u0301", "\ud83d",
    "31 February 2024", "in the year 99999", "yesterday", "2024-02-30",
]

any_unicode = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
newsy = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=25).map(" ".join)
texts = st.one_of(any_unicode, newsy)


def span_problems(where: str, item: dict, source: str, exact: bool = True) -> list[str]:
    """Offsets are ints inside the text; where the item carries its text, the offsets point at exactly it."""
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(source)):
        return [f"{where}: offsets {start!r}..{end!r} outside a text of {len(source)} characters"]
    if exact and "text" in item and source[start:end] != item["text"]:
        return [f"{where}: text[{start}:{end}] is {source[start:end]!r}, not {item['text']!r}"]
    return []


def ref_problems(where: str, ref) -> list[str]:
    """An ActorRef: name str, country ISO3 or null, code str or null."""
    if ref is None:
        return []
    if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
        return [f"{where}: not an actor reference: {ref!r}"]
    problems = []
    if ref.get("country") is not None and not ISO3.match(str(ref["country"])):
        problems.append(f"{where}: country {ref['country']!r} is not ISO3")
    if ref.get("code") is not None and not isinstance(ref["code"], str):
        problems.append(f"{where}: code {ref['code']!r} is not a string")
    return problems


def is_day(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def article_problems(doc: dict) -> list[str]:
    a = doc.get("article")
    if not isinstance(a, dict):
        return ["article is missing"]
    problems = []
    if a.get("title") is not None and not isinstance(a["title"], str):
        problems.append(f"article.title {a['title']!r} is not a string")
    if a.get("published") is not None and not is_day(a["published"]):
        problems.append(f"article.published {a['published']!r} is not YYYY-MM-DD")
    return problems


def actor_problems(doc: dict, source_of) -> list[str]:
    problems = []
    for i, actor in enumerate(doc["actors"]):
        where = f"actors[{i}]"
        problems += ref_problems(where, actor)
        if actor.get("kind") not in ACTOR_KINDS:
            problems.append(f"{where}: kind {actor.get('kind')!r}")
        if actor.get("role") is not None and not isinstance(actor["role"], str):
            problems.append(f"{where}: role {actor['role']!r} is not a string")
        for j, m in enumerate(actor.get("mentions", [])):
            problems += span_problems(f"{where}.mentions[{j}]", m, source_of(m))
    return problems


def event_problems(doc: dict, source_of) -> list[str]:
    problems = []
    for i, e in enumerate(doc["events"]):
        where = f"events[{i}]"
        if e.get("type") not in PLOVER_TYPES:
            problems.append(f"{where}: type {e.get('type')!r} is not PLOVER")
        if e.get("modality") not in MODALITIES:
            problems.append(f"{where}: modality {e.get('modality')!r}")
        if e.get("cameo") is not None and not isinstance(e["cameo"], str):
            problems.append(f"{where}: cameo {e['cameo']!r} is not a string")
        if e.get("date") is not None and not is_day(e["date"]):
            problems.append(f"{where}: date {e['date']!r} is not YYYY-MM-DD")
        for side in ("source", "target", "attributed_to"):
            problems += ref_problems(f"{where}.{side}", e.get(side))
        if not e.get("mentions"):
            problems.append(f"{where}: no mention (an event always has its evidence)")
        for j, m in enumerate(e.get("mentions", [])):
            problems += span_problems(f"{where}.mentions[{j}]", m, source_of(m))
    return problems


def quote_problems(doc: dict, source_of) -> list[str]:
    problems = []
    for i, q in enumerate(doc["quotes"]):
        where = f"quotes[{i}]"
        problems += ref_problems(f"{where}.speaker", q.get("speaker"))
        if not isinstance(q.get("text"), str):
            problems.append(f"{where}: text {q.get('text')!r} is not a string")
        if q.get("type") not in QUOTE_TYPES:
            problems.append(f"{where}: type {q.get('type')!r}")
        if q.get("cue") is not None and not isinstance(q["cue"], str):
            problems.append(f"{where}: cue {q['cue']!r} is not a string")
        problems += span_problems(where, q, source_of(q))
    return problems


def located_problems(doc: dict, source_of) -> list[str]:
    """Sentences, places and times are spans of the article too (their text may be a normalized form)."""
    problems = []
    for key in ("sentences", "places", "times"):
        for i, item in enumerate(doc.get(key, [])):
            problems += span_problems(f"{key}[{i}]", item, source_of(item), exact=key == "sentences")
    return problems


def contract_problems(doc: dict, text: str, title: str | None = None) -> list[str]:
    """Everything in a document that breaks the JSON contract; [] when it keeps it."""
    def source_of(item: dict) -> str:
        return (title or "") if item.get("field") == "title" else text

    problems = article_problems(doc)
    for key in ("actors", "events", "quotes"):
        if not isinstance(doc.get(key), list):
            return problems + [f"{key} is not a list"]
    problems += actor_problems(doc, source_of) + event_problems(doc, source_of)
    problems += quote_problems(doc, source_of) + located_problems(doc, source_of)
    json.dumps(doc)                    # the document must serialize as it is printed
    return problems


def check_extract(text: str, title: str | None = None, published: str | None = None) -> dict:
    doc = eventwire.extract(text, title=title, published=published).to_dict()
    assert contract_problems(doc, text, title) == []
    return doc


@pytest.fixture(autouse=True)
def slow_only_when_asked(request):
    """Tests marked slow run with `-m slow`, as the project's other slow tests do."""
    if request.node.get_closest_marker("slow") and "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long: run with -m slow")


@pytest.fixture(scope="module", autouse=True)
def pipeline_loaded():
    """Load spaCy once, before hypothesis starts timing examples."""
    eventwire.extract("Kenya met Ethiopia.")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extract_never_raises_and_keeps_the_contract(text):
    check_extract(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newsy, st.one_of(st.none(), newsy), st.sampled_from([None, "2024-09-10", "2024-02-29"]))
def test_extract_with_a_separate_title_keeps_title_offsets_in_the_title(text, title, published):
    doc = check_extract(text, title=title, published=published)
    assert doc["article"]["published"] == published


@pytest.mark.slow
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extract_never_raises_many_examples(text):
    check_extract(text)


def test_the_checker_catches_a_broken_document():
    """The property is only as good as its checker: a wrong offset, type or modality must be reported."""
    text = "Russia accused Ukraine of shelling the town on Monday."
    doc = eventwire.extract(text).to_dict()
    assert doc["events"], "the sample sentence gives an event"
    doc["events"][0]["mentions"][0]["start"] += 1
    doc["events"][0]["modality"] = "certain"
    doc["events"][0]["type"] = "ATTACK"
    problems = contract_problems(doc, text)
    assert any("mentions[0]" in p for p in problems)
    assert any("modality" in p for p in problems) and any("PLOVER" in p for p in problems)
