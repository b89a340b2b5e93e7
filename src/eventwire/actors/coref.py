"""Rules for within-article coreference: pronouns, titles and descriptions to the actors they denote.

No coreference model installs offline, so these are rules, each stating the fact of English it uses.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..model import Actor
from ..nlp import once, text_of
from .kb import country_actor

SINGULAR_PERSON = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}
PLURAL = {"they", "them", "their", "themselves", "theirs"}
NEUTER = {"it", "its", "itself"}
COUNTRY_NOUNS = {"country", "nation", "state", "republic", "kingdom"}
CAPITAL_NOUNS = {"capital"}
MAX_TITLE_PHRASE = 40


class Focus:
    """Actors in the order the article mentions them, with where and how (subject or not)."""

    def __init__(self):
        self.seen: list[tuple[tuple[int, int], int, Actor, str, list[Actor]]] = []
        self.paragraph = 0

    def saw(self, actor: Actor, token) -> None:
        p = self.paragraph_of(token)
        group = [actor]
        self.seen.append(((p, token.i), sentence_number(token), actor, token.dep_, group, in_reported_words(token)))

    def paragraph_of(self, token) -> int:
        return token.doc.user_data.get("paragraph", self.paragraph)

    def before(self, token, p: int) -> list:
        """Mentions before this token, nearest first, within the last few sentences."""
        here = (p, token.i)
        out = [s for s in self.seen if s[0] < here]
        out.sort(key=lambda s: s[0], reverse=True)
        return out


def in_reported_words(token) -> bool:
    """Inside quotation marks or inside what someone says ("said Mrs Blair was likely to..."): a name
    there is what a speaker talks about, not whom the story's next "he said" refers to."""
    if inside_quotation_marks(token):
        return True
    from ..events.lexicon import lexicon
    lex = lexicon()
    for a in token.ancestors:
        if a.dep_ == "ccomp" and any(lex.cue(a.head.lemma_.lower(), k) for k in ("say", "claim", "deny", "warn")):
            return True
    return False


def inside_quotation_marks(token) -> bool:
    """An odd number of quotation marks before the token; the marks' offsets are found once per doc."""
    marks = once(token.doc, "quote_marks", lambda d: [i for i, c in enumerate(text_of(d)) if c == '"'])
    return bisect_left(marks, token.idx) % 2 == 1


def sentence_number(token) -> int:
    """The first token of the token's sentence (`token.sent.start`, which builds the sentence each time),
    from the doc's sentence starts found once."""
    starts = once(token.doc, "sentence_starts", lambda d: [s.start for s in d.sents])
    return starts[bisect_right(starts, token.i) - 1]


def pronoun(t, focus: Focus, actor_at: dict, p: int) -> list[Actor] | None:
    low = t.lower_
    if low in SINGULAR_PERSON:
        return last_person(t, focus, p)
    if low in PLURAL:
        return coordinated_group(t, actor_at, p) or last_group(t, focus, p)
    if low in NEUTER:
        return last_body(t, focus, p)
    return None


def last_body(t, focus: Focus, p: int) -> list[Actor] | None:
    """'It' that acts is the country or organization last named as a subject, in this sentence or the one
    before: "Britain said it would not impose sanctions"."""
    here = t.sent.start
    for s in focus.before(t, p):
        if s[0][0] < p - 1:
            return None
        if s[2].kind in ("country", "organization") and s[3] in ("nsubj", "nsubjpass"):
            return [s[2]]
        if s[0][0] == p and s[1] < here and s[2].kind == "person":
            return None     # a person intervenes: "it" is likelier a thing
    return None


def last_person(t, focus: Focus, p: int) -> list[Actor] | None:
    """He/she is the person last named, a subject preferred over a mention inside a phrase."""
    candidates = [s for s in focus.before(t, p) if s[2].kind == "person" and s[0][0] >= p - 2
                  and not s[5]]
    if not candidates:
        return None
    subjects = [s for s in candidates[:4] if s[3] in ("nsubj", "nsubjpass")]
    return [(subjects or candidates)[0][2]]


def coordinated_group(t, actor_at: dict, p: int) -> list[Actor] | None:
    """'A and B ... said that they ...': they is the coordinated subject of an enclosing clause."""
    head = t.head
    while head is not None:
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i < t.i and child.i != t.i:
                group = [actor_at.get((p, w.i)) for w in [child, *conjuncts(child)]]
                actors = [a[0] for a in group if a]
                if len(actors) >= 2:
                    return actors
        head = head.head if head.head.i != head.i else None
    return None


def conjuncts(token) -> list:
    out = []
    for child in token.children:
        if child.dep_ == "conj":
            out += [child, *conjuncts(child)]
    return out


def last_group(t, focus: Focus, p: int) -> list[Actor] | None:
    """They is otherwise the last group or country named in this or the previous paragraph."""
    for s in focus.before(t, p):
        if s[0][0] < p - 1:
            return None
        if s[2].kind in ("group", "organization") and s[3] in ("nsubj", "nsubjpass"):
            return [s[2]]
        if s[2].kind == "person" and s[3] in ("nsubj", "nsubjpass") and plural_description(s[2]):
            return [s[2]]       # "British ministers ... said they plan": a plural noun of persons
    return None


def plural_description(a: Actor) -> bool:
    """A sector noun phrase naming several persons ("British ministers", "senior officials")."""
    return a.rule.startswith("sectors") and a.name.lower().endswith("s") and not a.name.lower().endswith("ss")


def description(t, base, entry_at: dict, focus: Focus, registry) -> list[Actor] | None:
    """'the country' -> the country in focus; 'the British capital' -> London; 'the US secretary of state' -> its holder."""
    lemma = t.lemma_.lower()
    has_the = any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
    modifier_country = next((entry_at[c.i].country for c in t.children
                             if c.i in entry_at and c.dep_ in ("amod", "compound", "poss", "nmod")), None)
    if lemma in COUNTRY_NOUNS and has_the and not modifier_country and not list(t.rights):
        country = last_country(t, focus, registry)
        return [country] if country else None
    if lemma in CAPITAL_NOUNS and has_the:
        iso3 = modifier_country or (getattr(last_country(t, focus, registry), "country", None))
        capital = base.capital_of(iso3) if iso3 else None
        if capital:
            return [registry.get(Actor(capital, "country", iso3, "GOV", code=iso3 + "GOV",
                                       rule="description:the-capital"))]
    return title_holder(t, base, entry_at, registry, modifier_country)


def last_country(t, focus: Focus, registry) -> Actor | None:
    """The country last named before this phrase, in this or the two paragraphs before."""
    p = focus.paragraph_of(t)
    for s in focus.before(t, p):
        if s[2].kind == "country" and s[2].country and s[0][0] >= p - 2:
            return registry.get(country_actor(s[2].country, "description:the-country"))
    return None


def title_holder(t, base, entry_at: dict, registry, country: str | None) -> list[Actor] | None:
    """A title with 'the' ('the US secretary of state') names the person this article gave that title."""
    if t.right_edge.i - t.left_edge.i > MAX_TITLE_PHRASE or not any(c.dep_ == "det" for c in t.children):
        return None      # a title is a short phrase; long chains are not titles (and would cost quadratic time)
    if t.lower_ not in base.title_words:
        return None
    words = [w for w in t.subtree if w.i <= t.i and w.dep_ not in ("det",) and w.i not in entry_at
             and w.tag_ not in ("POS", "PRP$")]
    words += [w for prep in t.children if prep.dep_ == "prep" and prep.lower_ == "of"
              for w in prep.subtree if w.i not in entry_at]
    phrase = " ".join(w.lower_ for w in sorted(words, key=lambda w: w.i)).replace(" - ", "-")
    if not phrase or not any(c.dep_ == "det" for c in t.children):
        return None
    titles = [title for title in base.roles if title in phrase and t.lower_ in title.split()]
    if not titles:
        return None
    title = max(titles, key=len)
    holders = [a for a in registry.persons.values()
               if a.role and title in a.role.lower() and (country is None or a.country in (None, country))]
    return [holders[0]] if len(holders) >= 1 else None
