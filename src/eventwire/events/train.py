"""`eventwire train verifier`: the event verifier rebuilt from our annotations, reproducibly.

Reads gold/verifier/candidates-*.jsonl (what the rules proposed: pointers into ../shared/corpus) and
gold/verifier/labels/*.jsonl (the annotators' verdicts, see GUIDELINES.md), re-extracts each article
with the verifier off, finds each labelled candidate again by its trigger offsets and type, and fits a
logistic regression (scikit-learn, L2, lbfgs: deterministic) on its features. The threshold is the
one with the best out-of-fold F0.5 (precision counts twice). Writes data/verifier.json: weights,
intercept, threshold and the cross-validated scores, which a test checks a retraining reproduces.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from .. import settings
from ..evaluate.corpus import locate
from ..evaluate.sampling import article_key
from . import verify

FOLDS = 5
C = 0.5
MIN_FEATURE_COUNT = 2


class TrainingError(ValueError):
    """A training file that cannot be read: names the file and line."""


def read_jsonl(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as e:
            raise TrainingError(f"{path}:{n}: not JSON ({e.msg})") from None
        if not isinstance(row, dict) or "id" not in row:
            raise TrainingError(f"{path}:{n}: a row needs an object with an 'id'")
        out.append(row)
    return out


def labels(folder: Path) -> dict[str, int]:
    """Candidate id -> 1 (a real event of its type) or 0. An adjudicated label (annotator 'adjudicated')
    wins; otherwise the first annotator's file in name order."""
    chosen: dict[str, tuple[int, int]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for n, row in enumerate(read_jsonl(path), 1):
            verdict = row.get("verdict")
            if verdict not in ("right", "wrong", "other"):
                raise TrainingError(f"{path}:{n}: verdict must be right, wrong or other, not {verdict!r}")
            rank = 0 if row.get("annotator") == "adjudicated" else 1
            if row["id"] not in chosen or rank < chosen[row["id"]][0]:
                chosen[row["id"]] = (rank, int(verdict == "right"))
    return {k: v for k, (_, v) in chosen.items()}


def candidates(folder: Path) -> list[dict]:
    return [row for path in sorted(folder.glob("candidates-*.jsonl")) for row in read_jsonl(path)]


def candidate_features(rows: list[dict], corpus: Path, pipeline) -> dict[str, dict]:
    """Each candidate's features, from a fresh extraction of its article with the verifier off."""
    from ..clean import clean
    from ..model import Extraction
    from ..nlp import parse
    from ..pipeline import stages
    by_article = defaultdict(list)
    for row in rows:
        by_article[article_key(row)].append(row)
    named = [s for s in stages() if s[0] in ("actors", "events")]
    out = {}
    saved, settings.VERIFY_EVENTS = settings.VERIFY_EVENTS, False
    try:
        for group in by_article.values():
            item = group[0]
            located = locate({**item, "start": item["trigger_start"], "end": item["trigger_end"]}, corpus)
            x = clean(Extraction(located.article))
            parse([x], pipeline)
            for _, stage in named:
                stage(x)
            found = {}
            for e in x.scratch["events_before_merge"]:
                m = e.mentions[0]
                found[(e.type, m.trigger_start)] = x.scratch["features"][id(e)]
            for row in group:
                shift = locate({**row, "start": row["trigger_start"], "end": row["trigger_end"]}, corpus).start
                key = (row["type"], shift)
                if key in found:
                    out[row["id"]] = found[key]
    finally:
        settings.VERIFY_EVENTS = saved
    return out


def fit(X_dicts: list[dict], y: list[int]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    counts = defaultdict(int)
    for d in X_dicts:
        for k in d:
            counts[k] += 1
    kept = [{k: v for k, v in d.items() if counts[k] >= MIN_FEATURE_COUNT} for d in X_dicts]
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(kept)
    model = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
    model.fit(X, y)
    return vec, model


def cross_validated(X_dicts: list[dict], y: list[int], groups: list[str]) -> list[float]:
    """Out-of-fold probabilities; folds by article (never one article in two folds)."""
    import hashlib
    fold_of = [int(hashlib.sha1(g.encode()).hexdigest(), 16) % FOLDS for g in groups]
    probs = [0.0] * len(y)
    for k in range(FOLDS):
        train = [i for i in range(len(y)) if fold_of[i] != k]
        test = [i for i in range(len(y)) if fold_of[i] == k]
        vec, model = fit([X_dicts[i] for i in train], [y[i] for i in train])
        p = model.predict_proba(vec.transform([X_dicts[i] for i in test]))[:, 1]
        for i, pi in zip(test, p):
            probs[i] = float(pi)
    return probs


def choose_threshold(probs: list[float], y: list[int]) -> tuple[float, dict]:
    """The threshold with the best out-of-fold F0.5: precision weighs twice recall (unknown beats wrong)."""
    best, best_f = (0.5, {}), -1.0
    for t in sorted(set(round(p, 4) for p in probs)):
        tp = sum(1 for p, v in zip(probs, y) if p >= t and v)
        fp = sum(1 for p, v in zip(probs, y) if p >= t and not v)
        fn = sum(1 for p, v in zip(probs, y) if p < t and v)
        if tp == 0:
            continue
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        f = 1.25 * precision * recall / (0.25 * precision + recall)
        if f > best_f:
            best_f = f
            best = (t, {"cv_precision": round(precision, 4), "cv_recall": round(recall, 4),
                        "cv_f05": round(f, 4)})
    return best


def train(folder: Path, corpus: Path, out: Path, model_name: str | None = None, log=sys.stderr) -> dict:
    from .. import nlp
    rows = candidates(folder)
    truth = labels(folder / "labels")
    rows = [r for r in rows if r["id"] in truth]
    if not rows:
        raise TrainingError(f"{folder}: no labelled candidates")
    print(f"{len(rows)} labelled candidates; extracting their articles ...", file=log)
    feats = candidate_features(rows, corpus, nlp.load(model_name))
    ids = sorted(feats)
    X = [feats[i] for i in ids]
    y = [truth[i] for i in ids]
    print(f"{len(ids)} found again ({len(rows) - len(ids)} no longer proposed); {sum(y)} positive", file=log)
    article_of = {r["id"]: article_key(r) for r in rows}
    probs = cross_validated(X, y, [article_of[i] for i in ids])
    threshold, scores = choose_threshold(probs, y)
    base_rate = sum(y) / len(y)
    vec, model = fit(X, y)
    weights = {name: round(float(w), 6) for name, w in zip(vec.feature_names_, model.coef_[0]) if abs(w) > 1e-6}
    result = {"format": verify.FORMAT_VERSION, "threshold": threshold,
              "intercept": round(float(model.intercept_[0]), 6),
              "scores": {"candidates": len(ids), "positives": sum(y), "base_precision": round(base_rate, 4),
                         **scores},
              "trained_on": sorted(p.name for p in folder.glob("candidates-*.jsonl")),
              "weights": dict(sorted(weights.items()))}
    out.write_text(json.dumps(result, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"threshold {threshold}: out-of-fold precision {scores.get('cv_precision')} recall "
          f"{scores.get('cv_recall')} (all candidates: precision {base_rate:.3f}); wrote {out}", file=log)
    return result
