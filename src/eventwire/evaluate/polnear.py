"""PolNeAR: eventwire's quotes and speakers scored against a third-party attribution corpus.

A split folder holds text/NAME.txt (the article) and attributions/NAME_ANNOTATOR.ann (brat standoff:
Source, Cue and Content spans with character offsets into the .txt, tied together by E lines). Each
article is extracted as read from its file, so quote offsets and gold offsets index the same text.

Definitions (the README's evaluate section states them for users):
- A found quote matches a gold content when their token F1 (words, lower-cased) is at least 0.5, taken
  against the whole content or against one of its fragments (brat spans can be discontinuous: two quotes
  joined into one content). Matching is one-to-one, best pairs first; a found quote that matches a
  fragment of an already matched content is part of that attribution, neither a hit nor a false alarm.
- Exact: the same words as the content or the fragment (quotation marks and punctuation aside).
- Quoted: a gold content holding a double quotation mark (" “ ”), that is a direct or mixed quote; on
  the found side, quotes eventwire types direct or mixed.
- Speaker right: one of the speaker actor's mentions overlaps the gold source, or the source's head name
  and the speaker's name agree as in the quotes gold set (last word, or one knowledge-base entry).
- Names someone: the source holds a name, a capitalised word that is not a pronoun or determiner and that
  the article also writes capitalised where a sentence does not begin (so "Officials said" is no name,
  "Trump said" is). Its head name is the last run of such words before any comma or bracket that is
  neither a possessor nor a modifier ("Trump's spokesman" and "the Clinton campaign" are headed by no
  name, "spokesman Jason Miller" and "Rep. Jim Clyburn (D-S.C.), the whip" by the person).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .score import prf, same_speaker, token_f1, tokens

MATCH_F1 = 0.5
QUOTE_MARKS = ('"', "\u201c", "\u201d")
NOT_NAMES = frozenset("""a an the this that these those he she they it we i you his her hers their theirs its our
    my your him them us me who which one some many most all several both each another other such no
    mr mrs ms dr sen rep gov pres president""".split())
ABBREVIATION = re.compile(r"(?:^|\s)[A-Z][a-z]{0,3}\.$")
NAME_WORD = re.compile(r"[A-Z][\w.\-'’]*")


@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    content_text: str = ""
    source_text: str = ""

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    def quoted(self) -> bool:
        return any(mark in self.content_text for mark in QUOTE_MARKS)


@dataclass
class Document:
    name: str
    text: str
    attributions: list[Attribution]


# ---- reading the split ---------------------------------------------------------------------------

def parse_spans(field_text: str) -> list[tuple[int, int]]:
    """'Content 315 448;463 553' -> [(315, 448), (463, 553)]."""
    _, _, offsets = field_text.partition(" ")
    spans = []
    for part in offsets.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def read_ann(path: Path, text: str) -> list[Attribution]:
    """Every E line's attribution; lines of other shapes (notes, stray text) are passed over."""
    spans, out = {}, []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            try:
                spans[parts[0]] = (parts[1].split(" ", 1)[0], parse_spans(parts[1]))
            except ValueError:
                continue
    for line in lines:
        parts = line.split("\t")
        if not line.startswith("E") or len(parts) < 2:
            continue
        roles = [arg.split(":", 1) for arg in parts[1].split() if ":" in arg]
        content = [s for role, t in roles if role.startswith("Content") and t in spans for s in spans[t][1]]
        source = [s for role, t in roles if role.startswith("Source") and t in spans for s in spans[t][1]]
        if content:
            out.append(Attribution(sorted(content), sorted(source), " ".join(text[s:e] for s, e in sorted(content)),
                                   " ".join(text[s:e] for s, e in sorted(source))))
    return out


def load_split(folder: str) -> list[Document]:
    """One annotator per article: the first .ann file in name order (a few articles have several)."""
    root = Path(folder)
    texts, anns = root / "text", root / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise ValueError(f"{folder}: not a PolNeAR split (expected text/ and attributions/ folders)")
    docs = []
    for txt in sorted(texts.glob("*.txt")):
        files = sorted(anns.glob(f"{txt.stem}_*.ann"))
        if not files:
            continue
        text = txt.read_text(encoding="utf-8")
        docs.append(Document(txt.stem, text, read_ann(files[0], text)))
    if not docs:
        raise ValueError(f"{folder}: no article with annotations")
    return docs


# ---- names in sources ----------------------------------------------------------------------------

def bare(word: str) -> str:
    """A word without its possessive ending: "Trump’s" -> "Trump"."""
    return re.sub(r"['’]s?$", "", word)


def sentence_initial(text: str, start: int) -> bool:
    """Whether a word opens a sentence; a title or an initial before it ("Sen.", "H.") does not end one."""
    before = text[max(0, start - 200):start].rstrip(" \t\"“‘'(")
    if not before or before[-1] in "!?:\n—–-":
        return True
    return before[-1] == "." and not ABBREVIATION.search(before)


def mid_sentence_capitals(text: str) -> frozenset:
    """Capitalised words the article writes where no sentence starts: names, not sentence openers."""
    words = (bare(m.group()).lower().rstrip(".") for m in NAME_WORD.finditer(text)
             if not sentence_initial(text, m.start()))
    return frozenset(w for w in words if w not in NOT_NAMES)


def head_phrase(source: str) -> str:
    """The source before any apposition or bracket: "Rep. Jim Clyburn (D-S.C.), the whip" -> "Rep. Jim Clyburn"."""
    return re.split(r"[,(]", source, maxsplit=1)[0]


def name_runs(phrase: str, names: frozenset) -> list[tuple[str, str]]:
    """Runs of name words, each with how it ends: "possessor" ("Trump's"), "modifier" (a lowercase word
    follows: "the Clinton campaign") or "head"."""
    runs, current = [], []
    for m in re.finditer(r"\S+", phrase):
        word = m.group().strip(";:\"“”)")
        plain = bare(word)
        if plain.lower().rstrip(".") in NOT_NAMES:
            plain = ""                  # titles and pronouns: never names, even capitalised
        if NAME_WORD.fullmatch(plain) and plain.lower().rstrip(".") in names:
            current.append(plain)
            if plain != word:           # a possessive ends the run
                runs.append((" ".join(current), "possessor"))
                current = []
        elif current:
            runs.append((" ".join(current), "modifier" if word[:1].islower() else "head"))
            current = []
    if current:
        runs.append((" ".join(current), "head"))
    return runs


def head_name(attribution: Attribution, text: str, names: frozenset) -> str | None:
    """The source's head name, or None when it names nobody (a pronoun, "officials", "Trump's aide",
    "the Clinton campaign")."""
    runs = [run for run, role in name_runs(head_phrase(attribution.source_text), names) if role == "head"]
    return runs[-1] if runs else None


# ---- scoring -------------------------------------------------------------------------------------

def match_score(a: Attribution, text: str, quote: dict) -> tuple[float, bool]:
    """Best token F1 of a found quote against the content or one of its fragments, and whether exact."""
    pieces = [a.content_text] + ([text[s:e] for s, e in a.content] if len(a.content) > 1 else [])
    found = tokens(quote["text"])
    best = max(token_f1(p, quote["text"]) for p in pieces)
    return best, any(tokens(p) == found for p in pieces)


def overlaps_any(spans, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def match_document(doc: Document, quotes: list[dict]):
    """One-to-one pairs (gold index, quote index, f1, exact), best first; and quotes covered by a pair's content."""
    candidates = []
    for gi, a in enumerate(doc.attributions):
        for qi, q in enumerate(quotes):
            if overlaps_any(a.content, q["start"], q["end"]):
                f1, exact = match_score(a, doc.text, q)
                if f1 >= MATCH_F1:
                    candidates.append((f1, exact, gi, qi))
    candidates.sort(key=lambda c: (-c[0], c[2], c[3]))
    pairs, used_g, used_q = [], set(), set()
    for f1, exact, gi, qi in candidates:
        if gi not in used_g and qi not in used_q:
            pairs.append((gi, qi, f1, exact))
            used_g.add(gi)
            used_q.add(qi)
    covered = {qi for f1, exact, gi, qi in candidates
               if qi not in used_q and gi in used_g and len(doc.attributions[gi].content) > 1}
    return pairs, covered


def speaker_right(a: Attribution, speaker: dict | None, head: str | None) -> bool:
    if not speaker:
        return False
    if any(overlaps_any(a.source, m["start"], m["end"]) for m in speaker.get("mentions", [])
           if m.get("field", "text") == "text"):
        return True
    return bool(head) and same_speaker(head, speaker.get("name"))


class Tally:
    """Counts behind the scores: gold, found, matched and exact per subset, and speaker checks."""

    def __init__(self):
        self.c = {k: 0 for k in ("gold", "found", "tp", "exact", "q_gold", "q_found", "q_tp_gold", "q_tp_found",
                                 "q_exact", "q_exact_found", "sp_n", "sp_ok", "named_n", "named_ok", "qn_n",
                                 "qn_ok", "named_gold", "q_named_gold")}
        self.overlap = 0.0
        self.diffs: list[str] = []

    def add(self, key: str, n: int = 1) -> None:
        self.c[key] += n


def score_document(doc: Document, x, tally: Tally) -> None:
    extracted = x.to_dict() if x else {"quotes": [], "actors": []}
    found = [q for q in extracted["quotes"] if q.get("start") is not None and q.get("field", "text") == "text"]
    pairs, covered = match_document(doc, found)
    tally.add("gold", len(doc.attributions))
    tally.add("found", len(found) - len(covered))
    tally.add("tp", len(pairs))
    count_found(doc, found, pairs, covered, tally)
    # the speaker's mentions are on its actor, the quote only names it
    actors = {(a["name"], a["country"], a["code"]): a for a in extracted["actors"]}
    speakers = [actors.get((q["speaker"]["name"], q["speaker"]["country"], q["speaker"]["code"]), q["speaker"])
                if q.get("speaker") else None for q in found]
    count_gold(doc, speakers, pairs, tally)


def count_found(doc: Document, found: list[dict], pairs, covered: set, t: Tally) -> None:
    """Precision side: the direct and mixed quotes found, and which of them match an attribution."""
    matched = {qi for _, qi, _, _ in pairs}
    exact = {qi for _, qi, _, is_exact in pairs if is_exact}
    for qi, q in enumerate(found):
        if q["type"] not in ("direct", "mixed") or qi in covered:
            continue
        t.add("q_found")
        t.add("q_tp_found", qi in matched)
        t.add("q_exact_found", qi in exact)
        if qi not in matched:
            t.diffs.append(f"{doc.name}@{q['start']}: extra {q['type']} quote {q['text'][:70]!r}")


def count_gold(doc: Document, speakers: list[dict | None], pairs, t: Tally) -> None:
    """Recall side and speakers: each gold attribution, whether it was found, and by whom."""
    matched = {gi: (qi, f1, exact) for gi, qi, f1, exact in pairs}
    names = mid_sentence_capitals(doc.text)
    for gi, a in enumerate(doc.attributions):
        head = head_name(a, doc.text, names) if a.source else None
        t.add("q_gold", a.quoted())
        t.add("named_gold", head is not None)
        t.add("q_named_gold", head is not None and a.quoted())
        if gi not in matched:
            if a.quoted():
                t.diffs.append(f"{doc.name}@{a.start}: missed quote {a.content_text[:70]!r}")
            continue
        qi, f1, exact = matched[gi]
        t.overlap += f1
        t.add("exact", exact)
        t.add("q_tp_gold", a.quoted())
        t.add("q_exact", a.quoted() and exact)
        if a.source:
            count_speaker(doc, a, speakers[qi], head, t)


def count_speaker(doc: Document, a: Attribution, speaker: dict | None, head: str | None, t: Tally) -> None:
    ok = speaker_right(a, speaker, head)
    t.add("sp_n")
    t.add("sp_ok", ok)
    if head is None:
        return
    t.add("named_n")
    t.add("named_ok", ok)
    if a.quoted():
        t.add("qn_n")
        t.add("qn_ok", ok)
        if not ok:
            t.diffs.append(f"{doc.name}@{a.start}: speaker gold {a.source_text!r} (head {head!r}) "
                           f"got {(speaker or {}).get('name')!r}")


def scores_of(t: Tally) -> dict:
    c = t.c
    ratio = lambda a, b: c[a] / c[b] if c[b] else 0.0  # noqa: E731
    all_prf = prf(c["tp"], c["found"] - c["tp"], c["gold"] - c["tp"])
    exact_prf = prf(c["exact"], c["found"] - c["exact"], c["gold"] - c["exact"])
    q_p, q_r = ratio("q_tp_found", "q_found"), ratio("q_tp_gold", "q_gold")
    q_exact_p = ratio("q_exact_found", "q_found")
    q_exact_r = ratio("q_exact", "q_gold")
    return {
        "quoted_precision": q_p, "quoted_recall": q_r, "quoted_f1": 2 * q_p * q_r / (q_p + q_r) if q_p + q_r else 0.0,
        "quoted_exact_precision": q_exact_p, "quoted_exact_recall": q_exact_r,
        "quoted_exact_f1": 2 * q_exact_p * q_exact_r / (q_exact_p + q_exact_r) if q_exact_p + q_exact_r else 0.0,
        "attribution_precision": all_prf["precision"], "attribution_recall": all_prf["recall"],
        "attribution_f1": all_prf["f1"], "attribution_exact_f1": exact_prf["f1"],
        "content_token_f1_on_matched": t.overlap / c["tp"] if c["tp"] else 0.0,
        "speaker_accuracy": ratio("sp_ok", "sp_n"),
        "speaker_accuracy_named": ratio("named_ok", "named_n"),
        "speaker_accuracy_quoted_named": ratio("qn_ok", "qn_n"),
        "gold_attributions": c["gold"], "gold_quoted": c["q_gold"], "gold_named_sources": c["named_gold"],
        "gold_quoted_named": c["q_named_gold"], "found_quotes": c["found"], "found_direct_mixed": c["q_found"],
        "matched": c["tp"], "matched_quoted": c["q_tp_gold"], "speaker_checked_quoted_named": c["qn_n"],
    }


def evaluate_polnear(folder: str, model: str | None = None, limit: int | None = None):
    """Extract the annotated articles of a PolNeAR split (the first `limit` of them) and score quotes and speakers."""
    from . import Report, extract_all
    from .corpus import Located
    from ..read.text import article_from_text
    docs = load_split(folder)[:limit]
    # read as `eventwire ingest` reads a .txt (headline first), and from the very text the offsets index
    located = [Located((d.name,), article_from_text(d.text, d.name), 0, len(d.text)) for d in docs]
    extractions = extract_all(located, model)
    tally = Tally()
    skipped = 0
    for d in docs:
        x = extractions.get((d.name,))
        skipped += x is None
        score_document(d, x, tally)
    return Report("polnear", len(docs), skipped, scores_of(tally), diffs=tally.diffs,
                  skip_reason="extraction failed; their attributions count as missed")
