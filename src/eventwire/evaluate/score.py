"""Scorers: one per gold kind, each comparing what was extracted in an item's span with the gold."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

WORD = re.compile(r"\w+")


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def two_sided(gold: int, hit: int, found: int, correct: int) -> dict:
    """Scores when recall counts gold items (hit of gold) and precision counts extracted events (correct of found),
    several events possibly answering one gold item (the third-party kinds). tp is the gold items hit, fn those
    missed, fp the extracted events that answer none."""
    p = correct / found if found else 0.0
    r = hit / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": hit, "fn": gold - hit, "fp": found - correct, "gold": gold, "found": found}


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def code_of(ref: dict | None) -> str | None:
    """An actor as the gold codes it: its country, "IGO" for international organisations, else None."""
    if not ref:
        return None
    if ref.get("country"):
        return ref["country"]
    return "IGO" if (ref.get("code") or "").startswith("IGO") else None


# ---- actors -------------------------------------------------------------------------------------

def score_actors(kind, items, located, extractions, skipped):
    from . import Report
    country_ok = sector_ok = both_ok = 0
    diffs = []
    for item, place in zip(items, located):
        x = extractions.get(place.key)
        found = actor_at_span(x.to_dict() if x else {}, place.start, place.end)
        country = found.get("country") if found else None
        sector = (found.get("sector") or sector_of_code(found.get("code"))) if found else None
        c_ok, s_ok = country == item["country"], sector == item["sector"]
        country_ok += c_ok
        sector_ok += s_ok
        both_ok += c_ok and s_ok
        if not (c_ok and s_ok):
            diffs.append(f"{item['id']}: '{item['phrase']}' gold {item['country']}/{item['sector']} "
                         f"got {country}/{sector} ({(found or {}).get('name')})")
    n = max(1, len(items))
    scores = {"country_accuracy": country_ok / n, "sector_accuracy": sector_ok / n, "both_accuracy": both_ok / n}
    return Report(kind, len(items), skipped, scores, diffs=diffs)


def sector_of_code(code: str | None) -> str | None:
    if not code:
        return None
    if code.startswith("IGO"):
        return "IGO"
    return code[3:6] if len(code) >= 6 else None


def actor_at_span(doc: dict, start: int, end: int) -> dict | None:
    """The actor whose mention overlaps the phrase most (the longest overlap wins)."""
    best, best_overlap = None, 0
    for actor in doc.get("actors", []):
        for m in actor.get("mentions", []):
            overlap = min(end, m["end"]) - max(start, m["start"])
            if overlap > best_overlap:
                best, best_overlap = actor, overlap
    return best


# ---- events -------------------------------------------------------------------------------------

def gold_accepts(g: dict, e: dict) -> bool:
    types = {g["type"], *g.get("alt_types", [])}
    sources = {g.get("source"), *g.get("alt_source", [])}
    targets = {g.get("target"), *g.get("alt_target", [])}
    src, tgt = code_of(e.get("source")), code_of(e.get("target"))
    if e["type"] not in types:
        return False
    if src in sources and tgt in targets:
        return True
    return bool(g.get("symmetric")) and src in targets and tgt in sources


def events_in_span(doc: dict, start: int, end: int, whole: bool) -> list[dict]:
    return [e for e in doc.get("events", [])
            if whole or any(overlaps(m["start"], m["end"], start, end) for m in e["mentions"])]


def score_events(kind, items, located, extractions, skipped):
    from . import Report
    tp = fp = fn = modality_ok = 0
    per = defaultdict(Counter)
    diffs = []
    for item, place in zip(items, located):
        x = extractions.get(place.key)
        found = events_in_span(x.to_dict() if x else {}, place.start, place.end, "text" in item)
        gold = list(item["events"])
        matched, unmatched_found = match_events(gold, found)
        for g, e in matched:
            per[g["type"]]["tp"] += 1
            modality_ok += e["modality"] in {g.get("modality"), *g.get("alt_modality", [])}
        for g in gold:
            if not any(g is m for m, _ in matched):
                per[g["type"]]["fn"] += 1
        for e in unmatched_found:
            per[e["type"]]["fp"] += 1
        tp, fn, fp = tp + len(matched), fn + len(gold) - len(matched), fp + len(unmatched_found)
        if len(matched) < len(gold) or unmatched_found:
            diffs.append(event_diff(item, gold, matched, unmatched_found))
    scores = prf(tp, fp, fn)
    scores["modality_accuracy_on_matched"] = modality_ok / tp if tp else 0.0
    scores.update({"tp": tp, "fp": fp, "fn": fn})
    per_type = {t: {**prf(c["tp"], c["fp"], c["fn"]), "tp": c["tp"], "fp": c["fp"], "fn": c["fn"],
                    "gold": c["tp"] + c["fn"], "found": c["tp"] + c["fp"]}
                for t, c in per.items()}
    return Report(kind, len(items), skipped, scores, per_type, diffs)


def match_events(gold: list[dict], found: list[dict]):
    """Greedy one-to-one matching of gold events to found ones."""
    matched, free = [], list(found)
    for g in gold:
        hit = next((e for e in free if gold_accepts(g, e)), None)
        if hit is not None:
            matched.append((g, hit))
            free.remove(hit)
    return matched, free


def event_diff(item, gold, matched, extra) -> str:
    show = lambda e: f"{e['type']} {code_of(e.get('source'))}->{code_of(e.get('target'))}"  # noqa: E731
    missing = [f"{g['type']} {g.get('source')}->{g.get('target')}" for g in gold
               if not any(g is m for m, _ in matched)]
    return f"{item['id']}: missed {missing or '-'}; extra {[show(e) for e in extra] or '-'}"


# ---- quotes -------------------------------------------------------------------------------------

def tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def token_f1(a: str, b: str) -> float:
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def same_speaker(gold: str | None, found: str | None) -> bool:
    """Names agree when the gold name's last word is in the found name ("Mr Brown" ~ "Gordon Brown"),
    or when both name the same knowledge-base entry ("the Tories" ~ "Conservative Party")."""
    if not gold or not found:
        return not gold and not found
    g, f = tokens(gold), tokens(found)
    if bool(g) and (g[-1] in f or f[-1] in g):
        return True
    from ..actors.kb import kb
    a, b = kb().lookup(gold), kb().lookup(found)
    return a is not None and b is not None and (a.code, a.name) == (b.code, b.name)


def score_quotes(kind, items, located, extractions, skipped):
    from . import Report
    by_article = defaultdict(list)
    for item, place in zip(items, located):
        by_article[place.key].append((item, place))
    tp = fp = fn = exact = speaker_ok = 0
    overlap_sum = 0.0
    diffs = []
    for key, pairs in by_article.items():
        x = extractions.get(key)
        found = [q for q in (x.to_dict()["quotes"] if x else []) if q.get("start") is not None]
        text = pairs[0][1].article.text
        used = set()
        for item, place in pairs:
            gold_text = text[place.start:place.end]
            best, best_f1 = None, 0.0
            for i, q in enumerate(found):
                if i in used or not overlaps(q["start"], q["end"], place.start, place.end):
                    continue
                f1 = token_f1(gold_text, q["text"])
                if f1 > best_f1:
                    best, best_f1 = i, f1
            if best is None or best_f1 < 0.5:
                fn += 1
                diffs.append(f"{item['id']}: missed quote by {item['speaker']}")
                continue
            used.add(best)
            q = found[best]
            tp += 1
            overlap_sum += best_f1
            exact += tokens(gold_text) == tokens(q["text"])
            ok = same_speaker(item["speaker"], (q.get("speaker") or {}).get("name"))
            speaker_ok += ok
            if not ok:
                diffs.append(f"{item['id']}: speaker gold {item['speaker']!r} got {(q.get('speaker') or {}).get('name')!r}")
        fp += len(found) - len(used)
    scores = {**{f"quote_{k}": v for k, v in prf(tp, fp, fn).items()},
              "speaker_accuracy": speaker_ok / tp if tp else 0.0,
              "content_exact_f1": prf(exact, fp + tp - exact, fn + tp - exact)["f1"],
              "content_token_f1_on_matched": overlap_sum / tp if tp else 0.0,
              "tp": tp, "fp": fp, "fn": fn}
    return Report(kind, len(items), skipped, scores, diffs=diffs)


# ---- when & where -------------------------------------------------------------------------------

def score_when_where(kind, items, located, extractions, skipped):
    from . import Report
    from ..when import span_when
    from ..where import span_place
    date_ok = place_ok = country_ok = 0
    diffs = []
    for item, place in zip(items, located):
        x = extractions.get(place.key)
        when = span_when(x, place.start, place.end) if x else None
        where = span_place(x, place.start, place.end) if x else None
        d_ok = date_matches(item["date"], when)
        p_ok, c_ok = place_matches(item["place"], where)
        date_ok, place_ok, country_ok = date_ok + d_ok, place_ok + p_ok, country_ok + c_ok
        if not (d_ok and p_ok):
            got_date = when.date.isoformat() if when and when.date else None
            diffs.append(f"{item['id']}: date gold {item['date']['value']} got {got_date}; "
                         f"place gold {item['place']['name']}/{item['place']['country']} "
                         f"got {getattr(where, 'name', None)}/{getattr(where, 'country', None)}")
    n = max(1, len(items))
    scores = {"date_accuracy": date_ok / n, "place_accuracy": place_ok / n, "place_country_accuracy": country_ok / n}
    return Report(kind, len(items), skipped, scores, diffs=diffs)


def date_matches(gold: dict, when) -> bool:
    value = gold.get("value")
    got = when.date.isoformat() if when and when.date else None
    if value is None:
        return got is None
    if got is None:
        return False
    accepted = [value, *gold.get("alt_values", [])]
    return any(got.startswith(v) or got == v for v in accepted)


def place_matches(gold: dict, where) -> tuple[bool, bool]:
    if gold.get("name") is None and gold.get("country") is None:
        return where is None, where is None
    if where is None:
        return False, False
    country_ok = where.country == gold.get("country")
    names = {n.lower() for n in [gold.get("name"), *gold.get("alt_names", [])] if n}
    name_ok = (where.name or "").lower() in names if names else country_ok
    return name_ok and country_ok, country_ok


SCORERS = {"actors": score_actors, "events": score_events, "quotes": score_quotes, "when_where": score_when_where}
