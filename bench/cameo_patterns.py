"""The CAMEO verb patterns as event triggers, beside the event lexicon, before either is wired into extraction.

    PYTHONPATH=src python bench/cameo_patterns.py [--every 7] [--scope block|verb] [--show N] [--json OUT]

Trigger level only: which PLOVER types a sentence's words would propose, before actors, modality and the
verifier. Systems compared (each proposes, per token, the types of the entry or pattern that decides it):

    lexicon           the event lexicon as the events stage reads it (data/event_lexicon.tsv: verbs and nouns,
                      multiword entries only with their companion words, the first entry that fits)
    lexicon-verbs     the same, verb entries only (what the patterns compete with)
    patterns          CAMEO patterns (events.lexicon.cameo_entries): the best pattern of the verb, else its bare code
    patterns-only     the same without bare codes: only verbs a pattern (not just the verb's line) types
    strong-only       patterns-only, of patterns with a content word (a noun, noun phrase or synonym set: "* aid",
                      "* (to border)"; not "* (to)", "* back", "will *")
    lexicon+patterns  both: a sentence's types are the union, firings the sum
    lexicon+specific  the lexicon and patterns-only
    lexicon+strong    the lexicon and strong-only
    lexicon-veto      the lexicon, less its firings on verbs whose winning specific pattern reads another sense
                      (a '---' or statement pattern, or a pattern of another PLOVER type)
    lexicon-retype    the same, but a verb whose specific pattern has another type takes that type

1. Gold sentences (gold/events.jsonl and gold/sentences.jsonl, each item's span parsed alone):
   coverage: for each gold type T, of the (item, T) pairs (an item whose gold has an event of type T), the share
   where the system proposes T somewhere in the sentence;
   false firings: for each T, firings of T in items whose gold has no event of type T (nor T as an alt_type).
2. bbc/sport and bbc/entertainment, every Nth file (almost no political events), and bbc/politics for contrast:
   typed firings per article, and (with --show) the lines that fire most in sport and entertainment.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire import nlp  # noqa: E402
from eventwire.evaluate.corpus import default_corpus, locate  # noqa: E402
from eventwire.events import frames, patterns  # noqa: E402
from eventwire.events.lexicon import lexicon, match_entries  # noqa: E402
from eventwire.events.extract import coarse_pos  # noqa: E402  (as the events stage buckets tokens)
from eventwire.model import Extraction  # noqa: E402
from eventwire.ontology import PLOVER_TYPES  # noqa: E402
from eventwire.pipeline import clean  # noqa: E402
from eventwire.read.text import read_text_file  # noqa: E402

SYSTEMS = ("lexicon", "lexicon-verbs", "patterns", "patterns-only", "strong-only", "lexicon+patterns",
           "lexicon+specific", "lexicon+strong", "lexicon-veto", "lexicon-retype")


def lexicon_firings(doc, verbs_only: bool) -> list[tuple[str, str, int]]:
    """(type, rule, position) of every lexicon trigger of the doc, read as the events stage reads them."""
    lex, used, out = lexicon(), set(), []
    for token in doc:
        if token.i in used:
            continue
        pos = coarse_pos(token)
        if verbs_only and pos != "VERB":
            continue
        for entry in lex.entries(token.lemma_.lower(), pos):
            found = frames.companions_of(token, entry.trigger[1:])
            if found is None:
                continue
            used.update(c.i for c in found)
            out.append((entry.type, entry.rule, token.i))
            break
    return out


class Timer:
    seconds = 0.0        # in the pattern matcher
    verbs = 0
    parse = 0.0          # parsing the BBC articles
    bbc_seconds = 0.0    # in the matcher, on those articles


def pattern_firings(doc, scope: str) -> tuple[list, list, dict]:
    """(type, rule, position) per verb token and distinct type its winning pattern or bare code gives; the same
    for the verbs a specific pattern (not a bare code) types; and the winning specific pattern by position."""
    every, typed, specific = [], [], {}
    for token in doc:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        started = time.perf_counter()
        match = patterns.best_match(token, scope)
        entries = match_entries(match, token)
        Timer.seconds += time.perf_counter() - started
        Timer.verbs += 1
        if match is None:
            continue
        name = f"{match.rule} {match.pattern.text if match.pattern else '(bare ' + match.verb.lemma + ')'}"
        if match.pattern is not None:
            specific[token.i] = (match, {e.type for e in entries})
        for kind in sorted({e.type for e in entries}):
            every.append((kind, name, token.i))
            if match.pattern is not None:
                typed.append((kind, name, token.i))
    return every, typed, specific


def vetoed(lex: list, specific: dict, retype: bool) -> list:
    """Lexicon firings on verbs whose specific CAMEO pattern reads another sense: dropped when the pattern's
    types (none for '---' and statements) lack the lexicon's type; with retype, the pattern's types instead."""
    out = []
    for kind, rule, i in lex:
        if i not in specific or kind in specific[i][1]:
            out.append((kind, rule, i))
        elif retype:
            match, kinds = specific[i]
            out += [(k, f"{rule} retyped by {match.rule}", i) for k in sorted(kinds)]
    return out


def firings(doc, scope: str) -> dict[str, list[tuple[str, str, int]]]:
    lex = lexicon_firings(doc, False)
    pat, typed, specific = pattern_firings(doc, scope)
    strong = [f for f in typed if specific[f[2]][0].pattern.content]
    return {"lexicon": lex, "lexicon-verbs": lexicon_firings(doc, True), "patterns": pat,
            "patterns-only": typed, "strong-only": strong, "lexicon+patterns": lex + pat,
            "lexicon+specific": lex + typed, "lexicon+strong": lex + strong,
            "lexicon-veto": vetoed(lex, specific, False), "lexicon-retype": vetoed(lex, specific, True)}


def gold_items() -> list[dict]:
    items = []
    for name in ("events.jsonl", "sentences.jsonl"):
        for line in (ROOT / "gold" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                item["_set"] = name
                items.append(item)
    return items


def gold_sentences(corpus: Path, pipeline):
    """(item, doc of its span) for every gold item whose text is here."""
    items, texts = [], []
    for item in gold_items():
        if "text" not in item and not corpus.is_dir():
            continue
        located = locate(item, corpus)
        items.append(item)
        texts.append(located.article.text[located.start:located.end])
    return list(zip(items, pipeline.pipe(texts, batch_size=64)))


def measure_gold(parsed, scope: str) -> dict:
    pairs = defaultdict(Counter)          # system -> type -> covered pairs
    gold_pairs = Counter()                # type -> pairs
    false = defaultdict(Counter)          # system -> type -> false firings
    fired = defaultdict(Counter)          # system -> type -> firings
    false_items = defaultdict(Counter)    # system -> type -> items with a false firing
    per_set = defaultdict(Counter)
    for item, doc in parsed:
        types = {e["type"] for e in item["events"]}
        allowed = types | {t for e in item["events"] for t in e.get("alt_types", [])}
        per_set[item["_set"]]["items"] += 1
        per_set[item["_set"]]["no_event_items"] += not item["events"]
        for t in types:
            gold_pairs[t] += 1
        for system, found in firings(doc, scope).items():
            proposed = {k for k, _, _ in found}
            for t in types & proposed:
                pairs[system][t] += 1
            wrong = Counter(k for k, _, _ in found if k not in allowed)
            for k, n in wrong.items():
                false[system][k] += n
                false_items[system][k] += 1
            for k, _, _ in found:
                fired[system][k] += 1
    return {"gold_pairs": dict(gold_pairs), "covered": {s: dict(c) for s, c in pairs.items()},
            "false": {s: dict(c) for s, c in false.items()}, "fired": {s: dict(c) for s, c in fired.items()},
            "false_items": {s: dict(c) for s, c in false_items.items()}, "sets": {k: dict(v) for k, v in per_set.items()},
            "items": len(parsed)}


def print_gold(r: dict) -> None:
    print(f"\n== gold sentences: {r['items']} items "
          + ", ".join(f"{k} {v['items']} ({v['no_event_items']} with no event)" for k, v in r["sets"].items()))
    print("coverage: (item, gold type) pairs where the system proposes that type in the sentence")
    head = f"{'type':10s} {'pairs':>5s} " + " ".join(f"{s:>15s}" for s in SYSTEMS)
    print(head)
    total = sum(r["gold_pairs"].values())
    for t in PLOVER_TYPES:
        n = r["gold_pairs"].get(t, 0)
        cells = [f"{r['covered'].get(s, {}).get(t, 0):4d} ({r['covered'].get(s, {}).get(t, 0) / max(n, 1):4.0%})"
                 for s in SYSTEMS]
        print(f"{t:10s} {n:5d} " + " ".join(f"{c:>15s}" for c in cells))
    cells = [f"{sum(r['covered'].get(s, {}).values()):4d} ({sum(r['covered'].get(s, {}).values()) / max(total, 1):4.0%})"
             for s in SYSTEMS]
    print(f"{'all':10s} {total:5d} " + " ".join(f"{c:>15s}" for c in cells))
    print("\nfalse firings: firings of a type in items whose gold has no event of that type (items with one)")
    print(head.replace(" pairs", "fired"))
    for t in PLOVER_TYPES:
        cells = [f"{r['false'].get(s, {}).get(t, 0):4d} ({r['false_items'].get(s, {}).get(t, 0):3d})" for s in SYSTEMS]
        print(f"{t:10s} {'':5s} " + " ".join(f"{c:>15s}" for c in cells))
    cells = []
    for s in SYSTEMS:
        fired, false = sum(r["fired"].get(s, {}).values()), sum(r["false"].get(s, {}).values())
        cells.append(f"{false}/{fired} ({false / max(fired, 1):3.0%})")
    print(f"{'all':10s} {'':5s} " + " ".join(f"{c:>15s}" for c in cells))


def measure_topic(corpus: Path, topic: str, every: int, pipeline, scope: str) -> dict:
    files = sorted((corpus / "bbc" / topic).glob("*.txt"))[::every]
    counts, rules = Counter(), defaultdict(Counter)
    for path in files:
        x = clean(Extraction(read_text_file(str(path))))
        started = time.perf_counter()
        nlp.parse([x], pipeline)
        Timer.parse += time.perf_counter() - started
        for doc in x.docs:
            before = Timer.seconds
            found_by = firings(doc, scope)
            Timer.bbc_seconds += Timer.seconds - before
            for system, found in found_by.items():
                counts[system] += len(found)
                for kind, rule, _ in found:
                    rules[system][f"{kind:9s} {rule}"] += 1
    return {"topic": topic, "articles": len(files), "firings": dict(counts),
            "per_article": {s: counts[s] / max(len(files), 1) for s in SYSTEMS},
            "top": {s: rules[s].most_common(25) for s in ("lexicon", "patterns", "patterns-only", "strong-only")}}


def print_topics(results: list[dict], show: int) -> None:
    print("\n== firings per article, every Nth BBC file")
    print(f"{'topic':14s} {'articles':>8s} " + " ".join(f"{s:>15s}" for s in SYSTEMS))
    for r in results:
        print(f"{r['topic']:14s} {r['articles']:8d} " + " ".join(f"{r['per_article'][s]:15.2f}" for s in SYSTEMS))
    for r in results:
        if show and r["topic"] != "politics":
            for s in ("lexicon", "patterns", "strong-only"):
                print(f"\n   most frequent in {r['topic']} ({s}):")
                for rule, n in r["top"][s][:show]:
                    print(f"     {n:3d}  {rule}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=7)
    ap.add_argument("--scope", choices=("block", "verb"), default="block",
                    help="block: a pattern applies to every verb of its block (PETRARCH); verb: only to the verb "
                         "its comment names")
    ap.add_argument("--topics", default="sport,entertainment,politics")
    ap.add_argument("--show", type=int, default=0, help="print the N lines that fire most in sport/entertainment")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    corpus = default_corpus()
    pipeline = nlp.load(None)
    patterns.tables()
    started = time.perf_counter()
    parsed = gold_sentences(corpus, pipeline)
    gold = measure_gold(parsed, args.scope)
    print(f"scope {args.scope}; gold parsed and measured in {time.perf_counter() - started:.0f} s")
    print_gold(gold)
    topics = []
    if corpus.is_dir():
        topics = [measure_topic(corpus, t, args.every, pipeline, args.scope) for t in args.topics.split(",")]
        print_topics(topics, args.show)
    print(f"\nmatcher time: {Timer.seconds:.2f} s over {Timer.verbs} verb tokens "
          f"({1e6 * Timer.seconds / max(Timer.verbs, 1):.0f} us per verb); on the BBC articles {Timer.bbc_seconds:.1f} s "
          f"against {Timer.parse:.1f} s parsing them ({Timer.bbc_seconds / max(Timer.parse, 1e-9):.1%})")
    if args.json:
        args.json.write_text(json.dumps({"scope": args.scope, "gold": gold, "topics": topics}, indent=1))


if __name__ == "__main__":
    main()
