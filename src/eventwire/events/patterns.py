"""CAMEO verb patterns: which line of PETRARCH2's verb dictionary a verb in a parsed sentence matches.

The tables (data/cameo_verbs.tsv, cameo_patterns.tsv, cameo_synsets.tsv) are converted from PETRARCH2's
CAMEO.2.0.txt by scripts/build_cameo_patterns.py (MIT licence: data/cameo_patterns.LICENSE). A verb belongs to a
block of near-synonyms ("rush", "hasten", "expedite"...); the block's patterns say which CAMEO code the verb
carries given the words around it: "rushed aid" is aid (070), "rushed troops to the border" a mobilization (154),
"rushed to Moscow" a visit (042, and 043 for Moscow hosting it). A verb none of whose patterns matches carries
its bare code, if its line has one ("attack" 190; "rush" none).

The notation of a pattern (the `pattern` column), every word a lemma as spaCy gives it:

    * (for {financial aid})      the verb, then a prepositional phrase "for" whose object is "aid" with "financial"
    &military * (to +)           a member of the synonym set &military before the verb; the target after "to"
    * fire (in protest)          a noun "fire" after the verb, then the phrase "in protest"

    word        a word of the sentence, compared with each token's lemma and lowercase form ("sit-in" is compared
                with the tokens spaCy splits it into, joined)
    {a b c}     a noun phrase: its head "c" and, before it and inside its subtree, "a" and "b" in that order
    &name       any member of the synonym set (a member of several words: those words in a row)
    (p ...)     a preposition "p" and, inside its phrase, what follows it in order
    + / $       the target / the source: a noun (or a nationality adjective) there; it names the slot an event
                takes that side from, it does not decide the match
    ^ / %       a skipped phrase / a compound actor: match nothing (every pattern skips words anyway)

How a verb token is matched:

1. Its line: the verb's lemma (or its listed form, when spaCy's lemma is off: "staged" -> "stag"); a multiword
   verb ("ask for", "cordon off", "re-elect") only when its other words stand beside the verb or hang from it.
   Of several, the one with most words.
2. The two stretches of the sentence a pattern reads, each in sentence order:
   before the verb: the subject's phrase (the agent's, for a passive; the controller's, for a verb without a
   subject of its own: "plans to attack" reads "plans"'s subject), the auxiliaries, negation and adverbs;
   after the verb: its objects, particles, adverbs and predicate words (for a passive, the subject it acts on
   comes first: "aid was rushed to Kenya" reads "aid ... to Kenya"), and its prepositional phrases; of a
   clause complement only its head word ("asked to intervene"). Relative, adverbial and complement clauses
   inside these phrases are not read.
3. A pattern matches when its words before `*` are found, in order, in the first stretch and its words after
   `*` in order in the second. After the verb a bare word (not in parentheses) must be in an object's own
   phrase, not in a prepositional phrase: "asked for aid" is `* (for aid)`, not `* aid`, as PETRARCH reads its
   parse tree. Old TABARI-style patterns that spell prepositions as bare words ("* troop toward +") are read
   as plain word sequences.
4. Of the patterns that match, the most specific wins: most words (a synonym set counts as one word, markers as
   none), then most words met as phrase heads rather than modifiers ("rushed food aid" is `* aid` before
   `* &food`), then most elements, then the later line (PETRARCH stores patterns in a tree where a later line
   replaces an earlier identical one). A no-event pattern (`---`) that wins blocks the verb's other senses
   ("foiled the plot": no event, though "plot" patterns exist); so does a statement code (01x), which has no
   PLOVER type. With no pattern, the verb's own code.

A pattern applies to every verb of its block, as PETRARCH applies it (scope "block"); scope "verb" keeps only
the patterns whose comment names the verb at hand (or no verb), a narrower reading measured in
bench/cameo_patterns.py. `Pattern.content` counts a pattern's content words: "* (to)", "* back" and "will *"
have none and say little of the verb's sense.

The result is a Match: the line that fired (`cameo:<line>`), its codes and PLOVER types, the tokens of the
pattern's words, and which tokens the `+`/`$` markers met.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..data import rows
from .frames import subject

NO_EVENT = "---"
OBJECT_DEPS = {"dobj", "dative", "iobj", "attr", "oprd", "acomp", "prt", "advmod", "npadvmod", "obj"}
PREP_DEPS = {"prep", "agent"}
HEAD_ONLY_DEPS = {"xcomp", "ccomp"}
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis", "xcomp", "appos"}
LEFT_SKIP = {"punct", "cc", "mark", "preconj"}
MODIFIER_DEPS = {"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod"}
NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}
# Bare prepositions in a pattern: the TABARI way of writing a prepositional phrase ("* troop toward +").
PREPOSITIONS = {"about", "above", "across", "after", "against", "along", "among", "around", "as", "at", "before",
                "behind", "below", "between", "beyond", "by", "during", "for", "from", "in", "inside", "into",
                "near", "of", "on", "onto", "over", "since", "through", "to", "toward", "towards", "under", "until",
                "upon", "with", "within", "without"}
# Words a pattern may need that say nothing of the verb's sense by themselves.
FUNCTION_WORDS = PREPOSITIONS | {"back", "out", "up", "down", "off", "away", "forward", "ahead", "aside", "together",
                                 "will", "would", "not", "never", "that", "it", "itself", "himself", "herself",
                                 "themselves", "there", "again", "also", "still", "be", "have"}
TOKEN_RE = re.compile(r"[(){}*]|[^\s(){}*]+")
JOINED = re.compile(r"[-/'.]")


# ---------------------------------------------------------------------------------------------------
# The tables


@dataclass(frozen=True)
class El:
    """One element of a pattern: kind word | phrase | synset | prep | marker."""
    kind: str
    text: str = ""                       # the word, synset name, preposition or marker
    parts: tuple[str, ...] = ()          # a phrase's words and synset names, its head last
    inner: tuple["El", ...] = ()         # what a prepositional phrase holds

    @property
    def weight(self) -> int:
        if self.kind in ("word", "synset"):
            return 1
        if self.kind == "phrase":
            return len(self.parts)
        if self.kind == "prep":
            return 1 + sum(e.weight for e in self.inner)
        return 0

    @property
    def size(self) -> int:
        return 1 + sum(e.size for e in self.inner)


@dataclass(frozen=True)
class Codes:
    code: str              # the event from subject to object ('' none, '---' the dictionary's "no event")
    type: str              # its PLOVER type ('' when the code has none)
    mode: str
    reverse: str           # the event from object to subject ('' none)
    reverse_type: str
    reverse_mode: str


@dataclass(frozen=True)
class Verb:
    id: int                # the source line
    block: str
    lemma: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    forms: tuple[str, ...]
    codes: Codes

    @property
    def words(self) -> int:
        return 1 + len(self.before) + len(self.after)


@dataclass(frozen=True)
class Pattern:
    id: int                # the source line
    block: str
    verb: str              # the verb its comment names ('' if none)
    text: str              # the pattern in the notation above
    before: tuple[El, ...]
    after: tuple[El, ...]
    codes: Codes
    loose: bool            # written TABARI-style: bare prepositions, read as plain word sequences
    needs: frozenset       # plain words that must all be in the sentence (a quick test before matching)
    sets: frozenset        # synonym sets one of whose members must be there

    @property
    def content(self) -> int:
        """How many content words (nouns, synonym sets, noun phrases) the pattern needs, beside prepositions,
        particles and auxiliaries: "* (to)" and "* back" have none, "* aid" and "* (to border)" one."""
        return content_words(self.before + self.after)

    @property
    def rank(self) -> tuple[int, int, int]:
        elements = self.before + self.after
        return sum(e.weight for e in elements), sum(e.size for e in elements), self.id


@dataclass
class Block:
    """A block's patterns, indexed by one word each must find (its longest plain word, else its first synonym
    set), so a verb tries only the patterns whose key is in its stretches."""
    by_word: dict = field(default_factory=dict)
    by_set: dict = field(default_factory=dict)
    always: list = field(default_factory=list)

    def add(self, p: "Pattern") -> None:
        if p.needs:
            self.by_word.setdefault(min(p.needs, key=lambda w: (-len(w), w)), []).append(p)
        elif p.sets:
            self.by_set.setdefault(min(p.sets), []).append(p)
        else:
            self.always.append(p)

    def candidates(self, present: set[str], sets_present) -> list["Pattern"]:
        out = list(self.always)
        for w in present:
            out += self.by_word.get(w, ())
        for name, ps in self.by_set.items():
            if sets_present(name):
                out += ps
        return out


@dataclass(frozen=True)
class Tables:
    verbs: dict            # lemma -> [Verb], more words first
    forms: dict            # inflected form -> {lemma}
    blocks: dict           # block -> Block
    synsets: dict          # name -> {first piece of the first word -> [(word, ...), ...]}


def parse(text: str) -> tuple[tuple[El, ...], tuple[El, ...]]:
    """A pattern in the notation -> (elements before the verb, elements after it)."""
    tokens = TOKEN_RE.findall(text)
    if tokens.count("*") != 1:
        raise ValueError(f"pattern {text!r} needs exactly one '*'")
    at = tokens.index("*")
    return elements(tokens[:at], text), elements(tokens[at + 1:], text)


def elements(tokens: list[str], text: str) -> tuple[El, ...]:
    out, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if t in "({":
            j = closing(tokens, i, text)
            inner = tokens[i + 1:j]
            if not inner:
                raise ValueError(f"empty brackets in pattern {text!r}")
            if t == "{":
                out.append(El("phrase", parts=tuple(inner)))
            else:
                out.append(El("prep", inner[0], inner=elements(inner[1:], text)))
            i = j + 1
            continue
        if t in ")}":
            raise ValueError(f"unbalanced {t!r} in pattern {text!r}")
        if t in ("+", "$", "^", "%"):
            out.append(El("marker", t))
        elif t.startswith("&"):
            out.append(El("synset", t))
        else:
            out.append(El("word", t))
        i += 1
    return tuple(out)


def closing(tokens: list[str], i: int, text: str) -> int:
    """Where the bracket opened at tokens[i] closes: braces hold words only; parentheses may hold braces."""
    want = ")" if tokens[i] == "(" else "}"
    inside_braces = False
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t == want and not inside_braces:
            return j
        if want == ")" and t == "{" and not inside_braces:
            inside_braces = True
        elif want == ")" and t == "}" and inside_braces:
            inside_braces = False
        elif t in "(){}":
            break
    raise ValueError(f"unbalanced {tokens[i]!r} in pattern {text!r}")


def named_words(els: tuple[El, ...]) -> set[str]:
    """The words and synonym-set names a pattern's elements need."""
    out = set()
    for e in els:
        if e.kind in ("word", "synset", "prep"):
            out.add(e.text)
        if e.kind == "phrase":
            out |= set(e.parts)
        if e.kind == "prep":
            out |= named_words(e.inner)
    return out


def content_words(els: tuple[El, ...]) -> int:
    n = 0
    for e in els:
        if e.kind in ("phrase", "synset") or (e.kind == "word" and e.text not in FUNCTION_WORDS):
            n += 1
        elif e.kind == "prep":
            n += content_words(e.inner)
    return n


def codes_of(r: dict) -> Codes:
    return Codes(r["code"], r["type"], r["mode"], r["reverse"], r["reverse_type"], r["reverse_mode"])


@lru_cache(maxsize=1)
def tables() -> Tables:
    verbs, forms, blocks, synsets = {}, {}, {}, {}
    for r in rows("cameo_verbs.tsv"):
        v = Verb(int(r["id"]), r["block"], r["lemma"], tuple(r["before"].split()), tuple(r["after"].split()),
                 tuple(r["forms"].split()), codes_of(r))
        verbs.setdefault(v.lemma, []).append(v)
        for form in v.forms:
            forms.setdefault(form, set()).add(v.lemma)
    for entries in verbs.values():
        entries.sort(key=lambda v: (-v.words, v.id))
    for r in rows("cameo_patterns.tsv"):
        before, after = parse(r["pattern"])
        loose = any(e.kind == "word" and e.text in PREPOSITIONS for e in after)
        named = named_words(before + after)
        p = Pattern(int(r["id"]), r["block"], r["verb"], r["pattern"], before, after, codes_of(r), loose,
                    frozenset(w for w in named if not w.startswith("&") and not JOINED.search(w)),
                    frozenset(w for w in named if w.startswith("&")))
        blocks.setdefault(p.block, Block()).add(p)
    for r in rows("cameo_synsets.tsv"):
        words = tuple(r["phrase"].split())
        synsets.setdefault(r["synset"], {}).setdefault(first_chunk(words[0]), []).append(words)
    return Tables(verbs, forms, blocks, synsets)


# ---------------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True)
class Match:
    verb: Verb
    pattern: Pattern | None      # None: the verb's own code, no pattern matched
    tokens: tuple[int, ...]      # doc positions of the pattern's words and of a multiword verb's other words
    target: tuple[int, ...] = () # doc positions the '+' marker met
    source: tuple[int, ...] = () # and the '$' marker

    @property
    def id(self) -> int:
        return self.pattern.id if self.pattern else self.verb.id

    @property
    def rule(self) -> str:
        return f"cameo:{self.id}"

    @property
    def codes(self) -> Codes:
        return self.pattern.codes if self.pattern else self.verb.codes

    @property
    def is_event(self) -> bool:
        return bool(self.codes.type or self.codes.reverse_type)

    @property
    def blocks(self) -> bool:
        """The line says "not an event" ('---', or a code with no PLOVER type such as a statement)."""
        return not self.is_event


class View:
    """A parsed doc as plain lists (lemma, form, part of speech, dependency, head, children, trailing space per
    position), read once per doc: spaCy's token accessors cost more than the matching itself."""

    def __init__(self, doc):
        from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, SPACY
        strings = doc.vocab.strings
        names: dict[int, str] = {}

        def name(h) -> str:
            h = int(h)
            if h not in names:
                names[h] = strings[h]
            return names[h]

        self.doc = doc
        n = len(doc)
        self.lemma, self.lower, self.pos, self.dep, self.head, self.space = [], [], [], [], [], []
        self.kids: list[list[int]] = [[] for _ in range(n)]
        if n:
            array = doc.to_array([LEMMA, LOWER, POS, DEP, HEAD, SPACY])
            for i, (lemma, lower, pos, dep, head, space) in enumerate(array.tolist()):
                head = head - (1 << 64) if head >= 1 << 63 else head          # HEAD is a signed offset
                low = name(lower)
                self.lower.append("not" if low in ("n't", "nt") else low)
                self.lemma.append("not" if low in ("n't", "nt") else name(lemma).lower())
                self.pos.append(name(pos))
                self.dep.append(name(dep))
                self.head.append(i + head)
                self.space.append(bool(space))
                if head:
                    self.kids[i + head].append(i)
        self._subtree: dict[int, frozenset] = {}

    def subtree(self, i: int) -> frozenset:
        if i not in self._subtree:
            out, stack = set(), [i]
            while stack:
                j = stack.pop()
                out.add(j)
                stack += self.kids[j]
            self._subtree[i] = frozenset(out)
        return self._subtree[i]

    def norm(self, i: int) -> tuple[str, str]:
        return self.lemma[i], self.lower[i]


_last_view: View | None = None


def view(doc) -> View:
    """The doc's view; the last one is kept, so a doc's verbs read one after another share it."""
    global _last_view
    last = _last_view
    if last is None or last.doc is not doc:
        last = _last_view = View(doc)
    return last


@dataclass
class Reach:
    """The two stretches of the sentence a pattern reads (doc positions in order), and which positions lie in
    the verb's own prepositional phrases (bare words after the verb may not match there)."""
    before: list = field(default_factory=list)
    after: list = field(default_factory=list)
    in_pp: set = field(default_factory=set)


def word_at(word: str, v: View, toks: list, j: int) -> int:
    """How many positions from toks[j] the word covers (0: no match). Words with '-' '/' '.' may cover several
    tokens written together ("sit-in")."""
    i = toks[j]
    if word == v.lemma[i] or word == v.lower[i]:
        return 1
    if not JOINED.search(word) or not word.startswith(v.lower[i][:1]):
        return 0
    text = ""
    for k in range(j, min(j + 6, len(toks))):
        i = toks[k]
        if k > j and (i != toks[k - 1] + 1 or v.space[toks[k - 1]]):
            return 0
        if word in (text + v.lower[i], text + v.lemma[i]):
            return k - j + 1
        text += v.lower[i]
        if not word.startswith(text):
            return 0
    return 0


def phrase_at(words: tuple[str, ...], v: View, toks: list, j: int) -> int:
    """How many positions from toks[j] a run of consecutive words covers (0: no match)."""
    k = j
    for w in words:
        if k >= len(toks) or (k > j and toks[k] != toks[k - 1] + 1):
            return 0
        n = word_at(w, v, toks, k)
        if not n:
            return 0
        k += n
    return k - j


def first_chunk(word: str) -> str:
    return JOINED.split(word, 1)[0]


def keys(v: View, i: int) -> set[str]:
    """What a synonym-set member's first word may be keyed by at this position: its lemma, its form, and the
    first piece of a word spaCy kept whole ("f/a-18")."""
    return {v.lemma[i], v.lower[i], first_chunk(v.lower[i])}


def part_at(part: str, v: View, toks: list, j: int, synsets: dict) -> int:
    if part.startswith("&"):
        members = synsets.get(part, {})
        return max((phrase_at(m, v, toks, j) for k in keys(v, toks[j]) for m in members.get(k, ())), default=0)
    return word_at(part, v, toks, j)


class Matcher:
    """Matches the elements of one side of a pattern over one stretch of the sentence, in order."""

    def __init__(self, v: View, synsets: dict, in_pp: set, loose: bool):
        self.v, self.synsets, self.in_pp, self.loose = v, synsets, in_pp, loose

    def run(self, els: tuple[El, ...], toks: list, restrict: bool):
        """The first way (leftmost) the elements match in order: (positions, '+' positions, '$' positions), or
        None."""
        return next(self.seq(els, 0, toks, 0, restrict), None)

    def seq(self, els, e, toks, start, restrict):
        if e == len(els):
            yield (), (), ()
            return
        for end, used, plus, dollar in self.one(els[e], toks, start, restrict):
            for rest, rplus, rdollar in self.seq(els, e + 1, toks, end, restrict):
                yield used + rest, plus + rplus, dollar + rdollar

    def allowed(self, i: int, restrict: bool) -> bool:
        return not (restrict and not self.loose and i in self.in_pp)

    def one(self, el: El, toks: list, start: int, restrict: bool):
        """Every way one element matches at or after `start`: (end, positions, '+' positions, '$' positions)."""
        v = self.v
        if el.kind == "marker":
            if el.text in ("^", "%"):
                yield start, (), (), ()
                return
            for j in range(start, len(toks)):
                if v.pos[toks[j]] in NOMINAL:
                    hit = (toks[j],)
                    yield j + 1, (), hit if el.text == "+" else (), hit if el.text == "$" else ()
            return
        if el.kind in ("word", "synset"):
            for j in range(start, len(toks)):
                n = part_at(el.text, v, toks, j, self.synsets)
                if n and self.allowed(toks[j], restrict):
                    yield j + n, tuple(toks[j:j + n]), (), ()
            return
        if el.kind == "phrase":
            yield from self.phrase(el, toks, start, restrict)
            return
        if el.kind == "prep":
            for j in range(start, len(toks)):
                if v.lower[toks[j]] != el.text:
                    continue
                inside = self.prep_reach(toks, j)
                for used, plus, dollar in self.seq(el.inner, 0, inside, 0, False):
                    last = max([toks[j], *used, *plus, *dollar])
                    end = next((k for k in range(j, len(toks)) if toks[k] > last), len(toks))
                    yield end, (toks[j], *used), plus, dollar

    def phrase(self, el: El, toks: list, start: int, restrict: bool):
        v = self.v
        *mods, head = el.parts
        for h in range(start, len(toks)):
            n = part_at(head, v, toks, h, self.synsets)
            if not n or not self.allowed(toks[h], restrict):
                continue
            under = v.subtree(toks[h + n - 1])
            used, k = [], start
            for m in mods:                       # greedy, in order, inside the head's phrase, before the head
                while k < h and not (toks[k] in under and part_at(m, v, toks, k, self.synsets)):
                    k += 1
                if k >= h:
                    break
                w = part_at(m, v, toks, k, self.synsets)
                used += toks[k:k + w]
                k += w
            else:
                yield h + n, (*used, *toks[h:h + n]), (), ()

    def prep_reach(self, toks: list, j: int) -> list:
        """What a preposition's phrase holds after it: its subtree when it governs one, else the rest of the
        stretch (a particle written as a preposition: "set aside the rift")."""
        v, prep = self.v, toks[j]
        if any(v.dep[c] != "punct" for c in v.kids[prep]):
            under = v.subtree(prep)
            return [i for i in toks[j + 1:] if i in under]
        return toks[j + 1:]


def phrase_tokens(v: View, head: int) -> list[int]:
    """A phrase's words: the head's subtree without the clauses hanging in it."""
    out, stack = [], [head]
    while stack:
        i = stack.pop()
        out.append(i)
        stack += [c for c in v.kids[i] if v.dep[c] not in CLAUSE_DEPS and v.dep[c] != "punct"
                  and not (v.dep[c] == "conj" and v.pos[c] in ("VERB", "AUX"))]
    return out


def reach(token) -> Reach:
    v, verb = view(token.doc), token.i
    before, after, in_pp = [], [], set()
    passive = any(v.dep[c] in ("nsubjpass", "auxpass") for c in v.kids[verb])
    own_subject = False
    patient = []
    for c in v.kids[verb]:
        dep = v.dep[c]
        if dep in ("nsubj", "csubj", "expl"):
            own_subject = True
            before += phrase_tokens(v, c)
        elif dep == "nsubjpass":
            own_subject = True
            patient += phrase_tokens(v, c)
        elif dep == "agent" and passive:
            before += [i for i in phrase_tokens(v, c) if i != c]
        elif dep in HEAD_ONLY_DEPS:
            if c > verb:
                after.append(c)
        elif c < verb:
            if dep not in LEFT_SKIP:
                before += phrase_tokens(v, c)
        elif dep in PREP_DEPS:
            words = phrase_tokens(v, c)
            in_pp.update(words)
            after += words
        elif dep in OBJECT_DEPS:
            after += phrase_tokens(v, c)
    if not own_subject:
        for s in subject(token):
            before += phrase_tokens(v, s.i)
    patient = sorted(set(patient))
    # the subject a passive acts on reads first, as its object would: "aid was rushed to Kenya"
    return Reach(sorted(set(before)), patient + sorted(set(after) - set(patient)), in_pp)


def verb_lines(token) -> list[tuple[Verb, tuple[int, ...]]]:
    """The verb lines this token may be, with the doc positions of a multiword verb's other words; more words
    first."""
    t = tables()
    v = view(token.doc)
    lemma, low = v.lemma[token.i], v.lower[token.i]
    found = list(t.verbs.get(lemma, ()))
    for other in sorted(t.forms.get(low, set()) | ({low} if low in t.verbs else set())):
        found += [line for line in t.verbs.get(other, ()) if line not in found]
    found.sort(key=lambda line: (-line.words, line.id))
    out = []
    for line in found:
        where = companions(v, token.i, line)
        if where is not None:
            out.append((line, where))
    return out


def companions(v: View, verb: int, line: Verb) -> tuple[int, ...] | None:
    """Where a multiword verb's other words are: in a row beside the verb ("re-elect", "wire tap", "cordon
    off"), or hanging from it on their side ("cordoned the area off"). They only choose the verb's line; the
    patterns still read them ("asked for financial aid" is `* (for {financial aid})` of "ask for")."""
    found: list[int] = []
    for words, side in ((line.before, -1), (line.after, 1)):
        if not words:
            continue
        first = verb - len(words) if side < 0 else verb + 1
        row = range(first, first + len(words))
        if first >= 0 and row[-1] < len(v.lower) and all(w in v.norm(i) for w, i in zip(words, row)):
            found += row
            continue
        for w in words:
            hit = next((c for c in v.kids[verb] if (c < verb) == (side < 0) and w in v.norm(c) and c not in found),
                       None)
            if hit is None:
                return None
            found.append(hit)
    return tuple(found)


def candidates(token, scope: str = "block", lines: list | None = None) -> list[Match]:
    """Every pattern of the token's verb line that matches, best first (see the module's docstring);
    scope "verb" keeps only the patterns whose comment names this verb (or no verb)."""
    lines = verb_lines(token) if lines is None else lines
    if not lines:
        return []
    line, extra = lines[0]
    t = tables()
    block = t.blocks.get(line.block)
    if block is None:
        return []
    v = view(token.doc)
    r = reach(token)
    words = r.before + r.after
    present = {w for i in words for w in v.norm(i)}
    present_keys = {k for i in words for k in keys(v, i)}
    sets_here: dict[str, bool] = {}

    def sets_present(name: str) -> bool:
        if name not in sets_here:
            members = t.synsets.get(name, {})
            sets_here[name] = any(k in members for k in present_keys)
        return sets_here[name]

    found = []
    for p in block.candidates(present, sets_present):
        if scope == "verb" and p.verb and p.verb != line.lemma:
            continue
        if not p.needs <= present or not all(sets_present(n) for n in p.sets):
            continue
        matcher = Matcher(v, t.synsets, r.in_pp, p.loose)
        pre = matcher.run(p.before, r.before, False)
        if pre is None:
            continue
        post = matcher.run(p.after, r.after, True)
        if post is None:
            continue
        found.append(Match(line, p, tuple(sorted({*extra, *pre[0], *post[0]})), pre[1] + post[1],
                           pre[2] + post[2]))
    found.sort(key=lambda m: rank(m, v), reverse=True)
    return found


def rank(m: Match, v: View) -> tuple:
    """Most words, then most words met as heads rather than modifiers ("rushed food aid" is aid before it is
    food), then most elements, then the later line."""
    weight, size, line = m.pattern.rank
    heads = sum(1 for i in m.tokens if v.dep[i] not in MODIFIER_DEPS)
    return weight, heads, size, line


def best_match(token, scope: str = "block") -> Match | None:
    """The pattern that decides the token's code: the most specific that matches, else the verb's own code
    (None when the verb is not in the dictionary, or no pattern matches and its bare line has no code)."""
    if token.pos_ not in ("VERB", "AUX"):
        return None
    lines = verb_lines(token)
    if not lines:
        return None
    found = candidates(token, scope, lines)
    if found:
        return found[0]
    line, extra = lines[0]
    c = line.codes
    if (c.code and c.code != NO_EVENT) or c.reverse:
        return Match(line, None, extra)
    return None
