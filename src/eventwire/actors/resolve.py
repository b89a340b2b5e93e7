"""The actors stage: every actor-bearing phrase resolved to one canonical actor of the article.

Writes `x.actors` and `x.scratch["actor_at"]`: (paragraph, token index) -> [Actor], which the
events and quotes stages read to learn who a subject, object or speaker is.
"""
from __future__ import annotations

import re

import numpy as np
from spacy.attrs import POS, TAG
from spacy.parts_of_speech import NOUN, PRON, PROPN

from ..model import Actor, Extraction, Mention
from ..nlp import ents_of, text_of
from . import coref, known
from .home import apply_era, apply_home, era_country, dateline_country, dominant_country, home_country
from .kb import Entry, KnowledgeBase, kb
from .mentions import kb_spans, person_spans
from .persons import cue_for

# "Talcahuano District" is the place Talcahuano; the administrative word is not part of its name.
ADMIN_SUFFIX = re.compile(r"\s+(District|Jurisdiction|Department|Province|Municipality|Region|County|Township)$")
CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                  "saturday", "sunday", "christmas", "easter", "ramadan"}
# Times of the year written like names: "in the New Year" is a when, not a where.
HOLIDAYS = {"new year", "christmas", "easter", "ramadan", "eid", "thanksgiving", "hanukkah", "diwali", "lent",
            "passover", "new year's eve", "new year's day", "christmas eve", "christmas day", "boxing day"}
# Objects of these prepositions name where something happens, not who acts ("in London").
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "around", "within"}
ACTOR_ENTRY_KINDS = {"country", "adjective", "capital", "seat", "organization"}
MAX_SECTOR_WORDS = 4


class Registry:
    """The article's actors, one per identity, each with every mention."""

    def __init__(self, x: Extraction):
        self.x = x
        self.by_key: dict[tuple, Actor] = {}
        self.persons: dict[str, Actor] = {}      # full name -> person
        self.surnames: dict[str, Actor] = {}     # last name (lowercase) -> person

    def get(self, actor: Actor) -> Actor:
        """The registered actor of this identity (a person keeps its object while cues fill it in)."""
        if any(a is actor for a in self.by_key.values()):
            return actor
        found = self.by_key.get(actor.key)
        if found is None:
            self.by_key[actor.key] = found = actor
        return found

    def mention(self, actor: Actor, p: int, doc, start: int, end: int) -> Actor:
        actor = self.get(actor)
        m = mention_of(self.x, p, doc[start:end])
        if not any(o.start == m.start and o.end == m.end for o in actor.mentions):
            actor.mentions.append(m)
        return actor


def mention_of(x: Extraction, p: int, span) -> Mention:
    """The original-text mention of a span of paragraph p's Doc."""
    paragraph = x.paragraphs[p]
    start, end = paragraph.original_span(span.start_char, span.end_char)
    source = x.article.title if paragraph.field == "title" else x.article.text
    sentence = x.scratch["sentence_of"].get((p, span.sent.start), 0)
    return Mention(sentence, source[start:end], start, end, paragraph.field)


def run(x: Extraction) -> None:
    base = kb()
    registry = Registry(x)
    found = [find_spans(doc, base) for doc in x.docs]
    named = frozenset(s.entry.country for (spans, _, _), doc in zip(found, x.docs) for s in spans
                      if s.entry.country and tuple(t.lower_ for t in doc[s.start:s.end]) not in base.alternatives)
    named |= {dateline_country(x, base, named)} - {None}
    for (spans, persons, entry_at), doc in zip(found, x.docs):
        for span in spans:
            key = tuple(t.lower_ for t in doc[span.start:span.end])
            if key in base.alternatives:
                span.entry = base.choose(key, span.entry, named)
                entry_at.update({i: span.entry for i in range(span.start, span.end)})
        cities = city_spans(doc, spans + persons, base, named)
        spans += cities
        entry_at.update({i: c.entry for c in cities for i in range(c.start, c.end)})
    register_persons(x, registry, found, base)
    actor_at: dict[tuple[int, int], list[Actor]] = {}
    focus = coref.Focus()
    for p, (doc, (spans, persons, entry_at)) in enumerate(zip(x.docs, found)):
        focus.paragraph = p
        resolve_paragraph(x, p, doc, spans, persons, entry_at, registry, actor_at, base, focus)
    unique = list({id(a): a for a in registry.by_key.values()}.values())
    for a in unique:
        known.place_person(a, x.article.published)
    apply_era(unique, x.article.published)
    apply_leaders(x)
    x.actors = [a for a in unique if a.mentions and a.kind != "place"]
    x.scratch["place_actors"] = [a for a in unique if a.kind == "place" and a.mentions]
    dominant = dominant_country(x.actors + x.scratch["place_actors"])
    home = era_country(home_country(x, x.actors, x.scratch["place_actors"], base, dominant), x.article.published)
    apply_home(x.actors, home, era_country(dominant, x.article.published))
    x.scratch["place_actors"] += unknown_places(x, registry, actor_at, home)
    x.meta["home_country"] = home
    x.scratch["actor_at"] = actor_at


def find_spans(doc, base: KnowledgeBase):
    spans = [s for s in kb_spans(doc, base) if not inside_person_name(doc, s) and not inside_place_name(doc, s)]
    persons = person_spans(doc, spans)
    persons += titled_names(doc, spans + persons, base)
    entry_at = {i: s.entry for s in spans for i in range(s.start, s.end)}
    return spans, persons, entry_at


def inside_person_name(doc, span) -> bool:
    """A country or city word that begins a person's name is part of the name ("Jordan Matthews")."""
    if span.entry.kind not in ("country", "capital", "adjective") or span.end - span.start > 1:
        return False
    for ent in ents_of(doc):
        if ent.label_ == "PERSON" and ent.start == span.start and ent.end > span.end:
            return all(t.text[:1].isupper() and t.pos_ == "PROPN" for t in ent)
    return False


def inside_place_name(doc, span) -> bool:
    """A country word inside a longer place name is part of that name: "New Jersey" is no Jersey, "New
    Mexico" no Mexico."""
    from ..gazetteer import gazetteer
    if span.entry.kind not in ("country", "capital", "adjective"):
        return False
    return any(ent.label_ in ("GPE", "LOC") and ent.start <= span.start and span.end <= ent.end
               and (ent.start, ent.end) != (span.start, span.end) and is_us_state(ent.text, gazetteer())
               for ent in ents_of(doc))


def is_us_state(name: str, places) -> bool:
    """A first-level region of the United States (or its capital district), by the gazetteer."""
    return places.region("USA", name) is not None or name.lower() == "district of columbia"


def titled_names(doc, taken, base: KnowledgeBase) -> list:
    """A proper name in apposition with an office is a person, even when the recognizer missed it:
    "Ana Torres, Peru's interior minister, ..."."""
    from .mentions import Span
    occupied = {i for s in taken for i in range(s.start, s.end)}
    out = []
    for t in doc:
        if t.pos_ != "PROPN" or t.i in occupied or t.dep_ == "compound":
            continue
        role_nouns = [c for c in t.children if c.dep_ == "appos"] + ([t.head] if t.dep_ == "appos" else [])
        if not any(base.roles.get(r.lemma_.lower()) or base.roles.get(r.lower_) for r in role_nouns):
            continue
        start = t.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
            start -= 1
        if t.i - start >= 1 and all(w.text[:1].isupper() for w in doc[start:t.i + 1]):
            out.append(Span(start, t.i + 1, person=doc[start:t.i + 1].text))
            occupied.update(range(start, t.i + 1))
    for ent in ents_of(doc):
        if ent.label_ in ("ORG", "GPE", "NORP") and not any(i in occupied for i in range(ent.start, ent.end)) \
                and ent.end - ent.start >= 2 and all(w.pos_ == "PROPN" and w.text[:1].isupper() for w in ent) \
                and titled_before(doc, ent.start, base):
            out.append(Span(ent.start, ent.end, person=ent.text))    # "Kazakh President Kassym-Jomart Tokayev"
    return out


def titled_before(doc, start: int, base: KnowledgeBase) -> bool:
    """An office title stands right before the name."""
    from .persons import title_window
    words = [w.lower_ for w in title_window(doc, start)]
    return any(" ".join(words[i:]) in base.roles for i in range(len(words)))


def city_spans(doc, taken, base: KnowledgeBase, named: frozenset = frozenset()) -> list:
    """Places the recognizer found that the knowledge base lacks, resolved in the gazetteer (a shared name
    goes to the place in a country the article names: Paris, Texas in a Texas story). A first-level region
    keeps its kind: one that acts is its government ("California sued")."""
    from ..gazetteer import gazetteer, qualifier_after
    from .kb import BELOW_COUNTRY, Entry
    from .mentions import Span
    occupied = {i for s in taken for i in range(s.start, s.end)}
    out = []
    for ent in ents_of(doc):
        if ent.label_ not in ("GPE", "LOC", "FAC") or any(i in occupied for i in range(ent.start, ent.end)):
            continue
        qualifier = qualifier_after(text_of(doc), ent.end_char)      # "Morelia, Caqueta": the Colombian one
        hit = gazetteer().resolve(ent.text.removeprefix("the ").strip(), qualifier, named=named, kinds=BELOW_COUNTRY)
        if hit:
            kind = "region" if hit.kind == "region" else "city"
            out.append(Span(ent.start, ent.end, Entry(ent.text, kind, hit.country, None, hit.country,
                                                      f"geonames:{kind}")))
    return out


def register_persons(x, registry: Registry, found, base: KnowledgeBase) -> None:
    """Full names first, so that a bare surname anywhere in the article finds its person."""
    for p, (doc, (_, persons, entry_at)) in enumerate(zip(x.docs, found)):
        for span in persons:
            if len(span.person.split()) < 2:
                continue
            person = registry.persons.get(span.person)
            if person is None:
                person = registry.get(Actor(span.person, "person", rule="ner-person"))
                registry.persons[span.person] = person
                registry.surnames.setdefault(span.person.split()[-1].lower(), person)
            cue = cue_for(doc, span.start, span.end, base, entry_at)
            apply_cue(person, cue)


def apply_cue(person: Actor, cue) -> None:
    """The first role and country the article gives a person stay with it."""
    if cue.role and not person.role:
        person.role = cue.role
        person.sector = person.sector or cue.sector
    if cue.country and not person.country:
        person.country = cue.country
    if (cue.role or cue.country) and "title" not in person.rule and "appos" not in person.rule:
        person.rule = f"{person.rule}+{cue.rule}"
    if person.country or cue.org_code:
        person.code = (cue.org_code or person.country) + (person.sector or "") if not cue.org_code else cue.org_code


def resolve_paragraph(x, p, doc, spans, persons, entry_at, registry, actor_at, base, focus) -> None:
    for span in persons:
        person = person_for(span, registry)
        if len(span.person.split()) < 2:
            apply_cue(person, cue_for(doc, span.start, span.end, base, entry_at))   # "President Reagan"
        person = registry.mention(person, p, doc, span.start, span.end)
        for i in range(span.start, span.end):
            actor_at[(p, i)] = [person]
        for t in cue_tokens(doc, span, entry_at):
            actor_at.setdefault((p, t.i), [person])
        focus.saw(person, doc[span.end - 1])
    for span in spans:
        actor = entry_actor(span.entry, doc[span.start:span.end], registry)
        actor = registry.mention(actor, p, doc, span.start, span.end)
        for i in range(span.start, span.end):
            actor_at.setdefault((p, i), [actor])
        focus.saw(actor, doc[span.end - 1])
    for i in phrase_candidates(doc):
        if (p, i) in actor_at:
            continue
        t = doc[i]
        found = phrase_actor(x, p, doc, t, entry_at, registry, base, focus, actor_at)
        if found:
            actor_at[(p, t.i)] = found
            for a in found:
                focus.saw(a, t)


def phrase_candidates(doc) -> list[int]:
    """The tokens `phrase_actor` reads (nouns, proper nouns and pronouns, by part of speech or tag), picked
    from the doc's arrays rather than by asking every token."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    arrays = doc.to_array([POS, TAG])
    pos, tag = arrays[:, 0], arrays[:, 1]
    wanted = (pos == NOUN) | (pos == PROPN) | (pos == PRON) | (tag == strings["PRP"]) | (tag == strings["PRP$"])
    return np.nonzero(wanted)[0].tolist()


def person_for(span, registry: Registry) -> Actor:
    """A full name is its person; a lone surname is the person of that surname in this article."""
    if span.person in registry.persons:
        return registry.persons[span.person]
    last = span.person.split()[-1].lower()
    if last in registry.surnames:
        return registry.surnames[last]
    person = registry.get(Actor(span.person, "person", rule="ner-person"))
    registry.surnames.setdefault(last, person)
    return person


def cue_tokens(doc, span, entry_at) -> list:
    """The title words before a name stand for that person (not KB names inside them)."""
    from .persons import title_window
    return [t for t in title_window(doc, span.start) if t.i not in entry_at]


def entry_actor(entry: Entry, span, registry: Registry) -> Actor:
    """A knowledge-base phrase as an actor: a capital that acts is its government; one named as where is a place."""
    if registry.surnames.get(span.text.lower()) and entry.kind in ("country", "capital", "organization"):
        return registry.surnames[span.text.lower()]
    if entry.kind == "region" and span.root.dep_ in ("nsubj", "nsubjpass") and not is_locative(span.root):
        return Actor(entry.name, "organization", entry.country, "GOV", code=f"{entry.country}GOV",
                     rule=entry.source + "+region-for-government")    # "California sued": the state acts
    if entry.kind in ("city", "region") or (is_locative(span.root) and entry.kind in ("country", "capital")):
        return Actor(entry.name, "place", entry.country, rule=f"{entry.source}+locative")
    if entry.kind in ("country", "adjective"):
        return Actor(entry.name, "country", entry.country, code=entry.code, rule=entry.source)
    if entry.kind == "capital":
        return Actor(entry.name, "country", entry.country, "GOV", code=entry.code,
                     rule=entry.source + "+capital-for-government")
    kind = "organization"
    return Actor(entry.name, kind, entry.country, entry.sector, code=entry.code, rule=entry.source)


def phrase_head(token):
    """The word a name stands for in the sentence: up through compounds, conjuncts and appositions."""
    head = token
    while head.dep_ in ("compound", "conj", "appos") and head.head.i != head.i:
        head = head.head
    return head


def is_locative(token) -> bool:
    """The object of 'in', 'at', 'near'... names a place."""
    head = phrase_head(token)
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS


def phrase_actor(x, p, doc, t, entry_at, registry, base, focus, actor_at) -> list[Actor] | None:
    """Actors named by a common noun phrase, a pronoun, a title, or 'the country'."""
    if t.pos_ == "PRON" or t.tag_ in ("PRP", "PRP$"):
        return coref.pronoun(t, focus, actor_at, p)
    if t.pos_ not in ("NOUN", "PROPN"):
        return None
    if t.pos_ == "PROPN" and t.lower_ in registry.surnames and t.text[:1].isupper():
        person = registry.surnames[t.lower_]     # a surname the recognizer mislabelled ("Lammy" as ORG)
        return [registry.mention(person, p, doc, t.i, t.i + 1)]
    if t.dep_ == "compound" and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i:
        return None
    described = coref.description(t, base, entry_at, focus, registry)
    if described:
        for a in described:
            registry.mention(a, p, doc, t.left_edge.i if t.left_edge.i <= t.i else t.i, t.i + 1)
        return described
    sector = sector_of(doc, t, base)
    if sector is None:
        return unknown_organization(x, p, doc, t, entry_at, registry)
    code_sector, kind, first = sector
    country, org, via = country_near(t, entry_at, base, actor_at, p)
    name = noun_phrase_name(doc, t, first, via)
    leader = led_by(x, p, t, actor_at) if t.lemma_.lower() in LED_NOUNS and not (country or org) else None
    if isinstance(leader, str):
        country = leader
    code = (org.code if org and org.code else (country or "")) + (code_sector if not (org and org.code) else "")
    actor = Actor(name, kind, country or (org.country if org else None), code_sector, code=code or code_sector,
                  rule="sectors.tsv" + ("+country-modifier" if country and not leader else "")
                  + ("+leader-modifier" if isinstance(leader, str) else ""))
    actor = registry.mention(actor, p, doc, min(first, t.left_edge.i) if country else first, t.i + 1)
    if isinstance(leader, Actor):
        x.scratch.setdefault("led_by", []).append((actor, leader))
    return [actor]


# A government named after its leader is of the leader's country: "the Reagan administration", "the Blair
# government", "Putin's regime".
LED_NOUNS = frozenset({"administration", "government", "cabinet", "regime", "junta"})


def led_by(x, p: int, t, actor_at: dict):
    """The person whose name modifies a government noun (an Actor, placed later with everyone), or, when the
    recognizer took no person there, the country of the office holders of that surname at the article's
    date (a str), or None."""
    for w in t.children:
        if w.i > t.i or w.dep_ not in ("compound", "poss") or w.pos_ != "PROPN":
            continue
        person = next((a for a in actor_at.get((p, w.i), []) if a.kind == "person"), None)
        if person is not None:
            return person
        row = known.office_holder(w.lower_, x.article.published)
        if row is not None and row.country:
            return row.country
    return None


def apply_leaders(x) -> None:
    """Governments named after a person take that person's country, once persons are placed."""
    for actor, leader in x.scratch.pop("led_by", []):
        if not actor.country and leader.country:
            actor.country = leader.country
            actor.code = leader.country + (actor.sector or "")
            actor.rule += "+leader-modifier"


def sector_of(doc, t, base: KnowledgeBase) -> tuple[str, str, int] | None:
    """The longest sector phrase ending at t, by words or by lemmas: 'foreign office spokesman' -> GOV."""
    if t.lower_ not in base.sector_ends and t.lemma_.lower() not in base.sector_ends:
        return None
    for size in range(MAX_SECTOR_WORDS, 0, -1):
        first = t.i - size + 1
        if first < 0:
            continue
        words = doc[first:t.i + 1]
        for key in (" ".join(w.lower_ for w in words), " ".join(w.lemma_.lower() for w in words)):
            hit = base.sectors.get(key)
            if hit:
                return hit[0], hit[1], first
    return None


def country_near(t, entry_at: dict, base: KnowledgeBase, actor_at: dict, p: int):
    """A country named as a modifier ('Iranian envoy', "Iran's ministry") or by 'of', 'in', 'from'."""
    country, org, via = None, None, None
    candidates = [(w, None) for w in t.subtree if w.i < t.i and w.i >= t.left_edge.i]
    for prep in t.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in", "from", "for"):
            candidates += [(w, prep) for w in prep.children if w.dep_ == "pobj"]
    for w, prep in candidates:
        entry = entry_at.get(w.i)
        found = None
        if entry and entry.kind in ("capital", "city", "region") and inside_name(w):
            continue
        if entry and entry.kind in ACTOR_ENTRY_KINDS:
            if entry.kind == "organization" and not entry.country:
                org = org or entry
                continue
            found = entry.country
        elif w.ent_type_ in ("GPE", "LOC") and w.text[:1].isupper() and not inside_name(w):
            city = base.city(entity_text(w), qualifier=qualifier_of(w))  # "New York" whole, not "York"
            found = city[0] if city else None
        if found and country is None:
            country, via = found, prep
    return country, org, via


def qualifier_of(w) -> str | None:
    """The larger place written after the place name W stands in: "Morelia, Caqueta Department"."""
    from ..gazetteer import qualifier_after
    ent = entity_of(w)
    return qualifier_after(text_of(w.doc), ent.end_char if ent is not None else w.idx + len(w.text))


def entity_of(w):
    """The named entity the token W stands in, or None."""
    return next((e for e in ents_of(w.doc) if e.start <= w.i < e.end), None)


def entity_text(w) -> str:
    """The whole named entity a token stands in, without "the" and a possessive."""
    ent = entity_of(w)
    text = ent.text if ent is not None else w.text
    return text.removeprefix("the ").removeprefix("The ").removesuffix("'s").removesuffix("\u2019s").strip()


def inside_name(w) -> bool:
    """A place word inside a longer proper name names the thing, not where it is: "Georgetown University",
    "Boston Herald", "New Jersey Devils"."""
    return (w.dep_ == "compound" and w.head.pos_ == "PROPN") or any(
        e.label_ in ("ORG", "FAC", "WORK_OF_ART", "PERSON") and e.start <= w.i < e.end and len(e) > 1
        for e in ents_of(w.doc))


def noun_phrase_name(doc, t, first: int, country_prep=None) -> str:
    """The words of a noun phrase as written, leading determiners and possessive pronouns left out;
    with the 'in Tehran' / 'of Iran' phrase that told its country."""
    start = min(first, t.left_edge.i)
    while start < t.i and (doc[start].pos_ == "DET" or doc[start].tag_ == "PRP$" or doc[start].is_punct):
        start += 1
    end = t.i + 1
    if country_prep is not None:
        end = max(end, country_prep.right_edge.i + 1)
    return doc[start:end].text or t.text


def unknown_organization(x, p, doc, t, entry_at, registry) -> list[Actor] | None:
    """An organization the recognizer found but the knowledge base does not know."""
    if t.ent_type_ not in ("ORG", "NORP") or t.ent_iob_ == "" or t.i in entry_at:
        return None
    ent = next((e for e in ents_of(doc) if e.start <= t.i < e.end), None)
    if ent is None or ent.end - 1 != t.i or len(ent.text) < 2 or not ent[-1].text[:1].isupper():
        return None
    country = next((entry_at[w.i].country for w in ent if w.i in entry_at), None)
    kind = "group" if ent.label_ == "NORP" else "organization"
    actor = Actor(ent.text.removeprefix("the ").strip(), kind, country, code=country, rule="ner-" + ent.label_.lower())
    return [registry.mention(actor, p, doc, ent.start, ent.end)]


def unknown_places(x, registry: Registry, actor_at: dict, home: str | None) -> list[Actor]:
    """Names after 'in', 'near', 'at' that no gazetteer knows (small towns, hills, districts) are places
    in the story's country: "an attack near Quetzaltepeque"."""
    out = []
    for p, doc in enumerate(x.docs):
        for t in doc:
            if (p, t.i) in actor_at or t.pos_ != "PROPN" or not t.text[:1].isupper() or not is_locative(t):
                continue
            if t.dep_ == "compound":
                continue
            start = t.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
                start -= 1
            if t.ent_type_ in ("DATE", "TIME", "EVENT") or t.lower_ in CALENDAR_WORDS \
                    or doc[start:t.i + 1].text.lower() in HOLIDAYS:
                continue      # "in September", "in the New Year" name a time
            name = ADMIN_SUFFIX.sub("", doc[start:t.i + 1].text).strip() or doc[start:t.i + 1].text
            place = registry.mention(Actor(name, "place", home, rule="locative-name+home-country"),
                                     p, doc, start, t.i + 1)
            out.append(place)
    return list({id(a): a for a in out}.values())