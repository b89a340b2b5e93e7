"""The verdict on each candidate event: is it a real event of its type? A small learned model decides.

Rules propose candidates (broad, explainable); this stage gives each one a probability from a
logistic model over features of the candidate (the trigger and its type, the words around it, what
fills each side, the modality, the article's topic) and drops those under the model's threshold.

The model is data: `data/verifier.json` holds its version, feature weights, intercept, threshold and
the scores it was trained to; `eventwire train verifier` rebuilds it from the annotations in
gold/verifier/ (see that folder's GUIDELINES.md). Scoring needs no library: a sum and a sigmoid.
"""
from __future__ import annotations

import json
import math
import os
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import rows
from ..settings import DATA_DIR

MODEL_FILE = DATA_DIR / "verifier.json"
MODEL_ENV = "EVENTWIRE_VERIFIER"
FORMAT_VERSION = 1
REBUILD = "rebuild it with `eventwire train verifier`"
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}
WINDOW = 3
MIN_TOPIC_WORDS = 60


class VerifierError(RuntimeError):
    """The verifier's model file is missing, unreadable or from another version."""


@dataclass(frozen=True)
class Verifier:
    weights: dict
    intercept: float
    threshold: float
    version: int

    def probability(self, features: dict) -> float:
        z = self.intercept + sum(self.weights.get(f, 0.0) * v for f, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load(path: Path = MODEL_FILE) -> Verifier:
    """The model file, checked: one clear error naming the file and how to rebuild it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VerifierError(f"{path}: verifier model missing; {REBUILD}") from None
    except (OSError, ValueError) as e:
        raise VerifierError(f"{path}: verifier model unreadable ({type(e).__name__}); {REBUILD}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise VerifierError(f"{path}: verifier model of another format version "
                            f"({data.get('format') if isinstance(data, dict) else '?'}, "
                            f"this eventwire reads {FORMAT_VERSION}); {REBUILD}")
    try:
        return Verifier({str(k): float(v) for k, v in data["weights"].items()}, float(data["intercept"]),
                        float(data["threshold"]), FORMAT_VERSION)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise VerifierError(f"{path}: verifier model incomplete; {REBUILD}") from None


@lru_cache(maxsize=1)
def verifier() -> Verifier:
    """The shipped model, or the file named by $EVENTWIRE_VERIFIER (a retrained or re-thresholded one)."""
    return load(Path(os.environ[MODEL_ENV]) if os.environ.get(MODEL_ENV) else MODEL_FILE)


@lru_cache(maxsize=1)
def topic_words() -> dict[str, str]:
    return {r["lemma"].lower(): r["topic"] for r in rows("topic_words.tsv")}


def article_topics(docs) -> dict[str, float]:
    """The share of the article's content words that belong to each non-political topic."""
    words = topic_words()
    counts, total = Counter(), 0
    for doc in docs:
        for t in doc:
            if t.pos_ in CONTENT_POS:
                total += 1
                topic = words.get(t.lemma_.lower())
                if topic:
                    counts[topic] += 1
    # A short text says little about its topic: one "film" in a two-line item is no arts story.
    return {topic: n / total for topic, n in counts.items()} if total >= MIN_TOPIC_WORDS else {}


def bucket(share: float) -> str:
    return "0" if share == 0 else "low" if share < 0.02 else "mid" if share < 0.05 else "high"


def side_features(prefix: str, actor, slot: str) -> dict:
    if actor is None:
        return {f"{prefix}=none": 1.0}
    # A whole state ("Syria", "Washington" for its government) has no sector, and is no unknown one: it
    # gets a value of its own, or the model would learn states from people of unknown role.
    sector = actor.sector or (actor.code or "")[3:6] or ("STATE" if actor.kind == "country" else "-")
    out = {f"{prefix}_kind={actor.kind}": 1.0, f"{prefix}_slot={slot or '-'}": 1.0,
           f"{prefix}_sector={sector}": 1.0}
    if (actor.code or "").startswith(("IGO", "NGO")):
        out[f"{prefix}_international"] = 1.0
    if actor.kind == "person" and not actor.role:
        out[f"{prefix}_untitled_person"] = 1.0
    return out


def features(token, entry, source, target, source_slot: str, target_slot: str, modality: str,
             topics: dict) -> dict:
    """What the verdict looks at, as named features (the names are the model's vocabulary)."""
    lemma = token.lemma_.lower()
    # a trigger read in one sense only ("expect" as a demand) is its own word to the model
    words = " ".join(entry.trigger) + (" (deontic)" if "deontic" in entry.flags else "")
    f = {"bias": 1.0, f"type={entry.type}": 1.0, f"trigger={words}/{entry.pos}": 1.0,
         f"trigger_type={words}|{entry.type}": 1.0, f"pos={entry.pos}": 1.0, f"dep={token.dep_}": 1.0,
         f"modality={modality}": 1.0, f"head_pos={token.head.pos_}": 1.0}
    f.update(side_features("src", source, source_slot))
    f.update(side_features("tgt", target, target_slot))
    if source is not None and target is not None:
        f["both_sides"] = 1.0
        f[f"pair={source.kind}>{target.kind}"] = 1.0
        if source.country and target.country:
            # Acts between states are what event data is for; acts inside one country are mostly politics talk.
            f["international" if source.country != target.country else "domestic"] = 1.0
            f[f"{'international' if source.country != target.country else 'domestic'}_type={entry.type}"] = 1.0
    doc = token.doc
    for i in range(max(0, token.i - WINDOW), min(len(doc), token.i + WINDOW + 1)):
        w = doc[i]
        if i != token.i and w.pos_ in CONTENT_POS:
            f[f"near={w.lemma_.lower()}"] = 1.0
    for c in token.children:
        if c.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "compound", "amod"):
            f[f"{c.dep_}={c.lemma_.lower()}"] = 1.0
            f[f"{c.dep_}_ent={c.ent_type_ or '-'}"] = 1.0
        if c.dep_ == "prep":
            f[f"prep={c.lower_}"] = 1.0
            for o in c.children:
                if o.dep_ == "pobj":
                    f[f"prep_obj={o.lemma_.lower()}"] = 1.0
    if token.i > 0 and doc[token.i - 1].lower_ in ("the", "a", "an"):
        f["after_article"] = 1.0
    for topic, share in topics.items():
        f[f"topic_{topic}={bucket(share)}"] = 1.0
    for topic in ("sport", "arts", "business", "tech"):
        f[f"share_{topic}"] = min(topics.get(topic, 0.0) * 10, 1.0)
    return f
