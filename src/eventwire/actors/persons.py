"""A person's role and country, read from the article's own words: titles and appositions.

A person with no such cue keeps country None: a name's spelling says nothing about a country.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..nlp import ents_of
from .kb import KnowledgeBase

WINDOW = 9
# Words that can sit inside a pre-name title ("Secretary of State", "Minister for Europe").
TITLE_LINKS = {"of", "for", "'s", "'", "-", "general", "and"}
POSSESSIVE_DETERMINERS = {"his", "her", "their", "its", "our", "my", "your"}
GENERIC_TITLES = {"leader", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair",
                  "head", "chief", "co-chairman", "deputy", "member", "official", "secretary-general"}
COUNTRY_KINDS = {"country", "adjective", "capital", "seat", "organization", "city", "region"}


@dataclass
class Cue:
    role: str | None = None
    sector: str | None = None
    country: str | None = None
    org_code: str | None = None
    rule: str = ""


def title_window(doc, start: int) -> list:
    """Tokens right before a name that can belong to its title: "US Secretary of State [Antony Blinken]"."""
    out = []
    i = start - 1
    while i >= 0 and len(out) < WINDOW:
        t = doc[i]
        if t.pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "NUM") or (t.pos_ == "ADP" and t.lower_ not in TITLE_LINKS):
            break
        if t.pos_ == "PUNCT" and t.text not in ("-", "'s", "'"):
            break
        if t.pos_ == "DET" or t.lower_ in POSSESSIVE_DETERMINERS:
            break
        if t.ent_type_ == "PERSON" and any(e.start <= t.i < e.end <= start and len(e) > 1 for e in ents_of(doc)):
            break     # another person's full name ends the title: "Sheriff Joe Arpaio Endorses Rick Perry"
        out.insert(0, t)
        i -= 1
    return out


def read_cue(tokens: list, kb: KnowledgeBase, entry_at: dict, rule: str) -> Cue:
    """Role (the longest known title among the tokens), its sector, and the country named beside it."""
    cue = Cue(rule=rule)
    lowers = [t.lower_ for t in tokens]
    best = None
    for i in range(len(tokens)):
        for j in range(len(tokens), i, -1):
            phrase = " ".join(lowers[i:j]).replace(" - ", "-")
            sector = kb.roles.get(phrase) or person_sector(kb, phrase)
            if sector and (best is None or j - i > best[1] - best[0]):
                best = (i, j, sector)
    body_sector = None
    for k, t in enumerate(tokens):
        entry = entry_at.get(t.i)
        if entry and best and k >= best[1] and not of_the_title(t, tokens[best[0]:best[1]]):
            continue      # "special counsel investigating Russian interference" is no Russian counsel
        if entry and entry.kind in COUNTRY_KINDS:
            cue.country = cue.country or entry.country
            if entry.kind == "organization" and entry.code and not entry.country:
                cue.org_code = cue.org_code or entry.code
            if entry.kind == "organization" and entry.sector:
                body_sector = body_sector or entry.sector
    if best:
        i, j, sector = best
        first = i
        while first > 0 and not entry_at.get(tokens[first - 1].i) and tokens[first - 1].tag_ != "POS":
            first -= 1
        cue.role = " ".join(t.text for t in tokens[first:j]).replace(" - ", "-").replace(" 's", "'s")
        head = lowers[j - 1]
        # A generic title takes the sector of the body named in it: "Conservative leader" leads a party,
        # "rebel spokesman" speaks for rebels.
        cue.sector = body_sector if body_sector and head in GENERIC_TITLES else sector
        # A title only one country's institutions use says the country ("Rep. Trey Gowdy").
        title = " ".join(lowers[i:j]).replace(" - ", "-")
        cue.country = cue.country or kb.role_countries.get(title)
    return cue


def of_the_title(token, title: list) -> bool:
    """A country after a title belongs to it only through a preposition on the title: "the foreign minister
    of Iran", "a financial adviser in Eau Claire, Wis."."""
    head = token
    while head.dep_ in ("compound", "amod") and head.head.i != head.i:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in ("of", "for", "to", "in", "at", "from") and any(
        head.head.head.i == w.i for w in title)


def person_sector(kb: KnowledgeBase, phrase: str) -> str | None:
    hit = kb.sectors.get(phrase)
    return hit[0] if hit and hit[1] == "person" else None


# "hostile to Noriega, especially Venezuela and Colombia": a phrase after "especially", "notably", "such as"
# lists examples beside the name; it says nothing of who the person is.
EXAMPLE_MARKERS = frozenset({"especially", "particularly", "notably", "including", "like", "such", "chiefly",
                             "mainly", "mostly", "namely"})


def gives_examples(appositive) -> bool:
    first = next(iter(appositive.subtree))
    return first.lower_ in EXAMPLE_MARKERS or any(
        c.lower_ in EXAMPLE_MARKERS and c.i < appositive.i for c in appositive.children)


def cue_for(doc, start: int, end: int, kb: KnowledgeBase, entry_at: dict) -> Cue:
    """The best cue for the person at doc[start:end]: a title before the name, else an apposition."""
    cue = read_cue(title_window(doc, start), kb, entry_at, "title-before-name")
    if cue.role or cue.country:
        return cue
    head = doc[start:end].root
    for child in head.children:
        if child.dep_ == "appos" and not gives_examples(child):
            cue = read_cue(list(child.subtree), kb, entry_at, "apposition")
            if cue.role or cue.country:
                return cue
    if head.dep_ == "appos" and head.head.i < start:
        noun = head.head
        tokens = [t for t in noun.subtree if t.i < start and t.i >= noun.left_edge.i]
        cue = read_cue(tokens, kb, entry_at, "apposition")
    return cue
