"""Contested claims of a store, with every asserting and denying sentence, for a reader to judge.

    python bench/judge_claims.py --db STORE [--seed N --n 40] [--out FILE.jsonl]
    python bench/judge_claims.py --db STORE --build [CORPUS]    # first ingest issue 14's store from CORPUS
        (default ../shared/corpus): bbc/politics, the BASIL articles and PolNeAR train (see build())

Prints all contested claims (or, with --seed, N drawn at random) as Markdown: what is claimed (the event
type and its two sides, or a reported clause's predicate and participants), then each stance: who asserts,
reports or denies it, in which article (title, date) and the sentence that says so, with the sentence before
it for context. The reader says whether the claim is one proposition asserted by one actor and denied by
another (issue 14's target: at least 36 of 40). No rule is shown: the reader judges what a user sees.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

VERBS = {"asserted": "asserts", "reported": "reports", "denied": "denies"}


def build(db: str, corpus: Path) -> None:
    """Issue 14's store, ingested through the CLI as a user would: bbc/politics (undated; given 2005-03-01, the
    middle of its 2004-05 span, so every BBC claim lies within one window: the hardest case for joining
    denials across articles), the BASIL articles (dated) and PolNeAR train, with the date and publisher
    from its metadata.tsv (written as JSON Lines to a temporary file, never into the repository)."""
    import csv
    import tempfile
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = [sys.executable, "-m", "eventwire", "ingest", "--db", db, "--quiet"]
    subprocess.run([*run, str(corpus / "bbc" / "politics"), "--published", "2005-03-01"], check=False, env=env)
    subprocess.run([*run, str(corpus / "basil" / "articles")], check=False, env=env)
    polnear = corpus / "polnear"
    with open(polnear / "metadata.tsv", newline="") as f:
        meta = {r["filename"]: r for r in csv.DictReader(f, delimiter="\t") if r["compartment"] == "train"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "polnear_train.jsonl"
        with path.open("w") as out:
            for name, r in sorted(meta.items()):
                text = (polnear / "train" / "text" / f"{name}.txt").read_text(errors="replace")
                title, _, body = text.partition("\n")
                out.write(json.dumps({"id": name, "title": title.strip() or r["title"], "text": body.lstrip("\n"),
                                      "published": r["publication_date"], "source": r["publisher"]}) + "\n")
        subprocess.run([*run, str(path)], check=False, env=env)


def contested(db: str) -> list[dict]:
    from eventwire.store import open_store
    from eventwire.store.queries import MAX_PAGE
    store = open_store(db)
    try:
        out, offset = [], 0
        while True:
            page = store.claims(contested=True, limit=MAX_PAGE, offset=offset)
            out += page
            if len(page) < MAX_PAGE:
                return out
            offset += MAX_PAGE
    finally:
        store.close()


def article_texts(db: str, ids: set[int]) -> dict[int, str]:
    from sqlalchemy import select

    from eventwire.store import open_store
    from eventwire.store import schema as s
    store = open_store(db)
    try:
        with store.engine.connect() as c:
            rows = c.execute(select(s.articles.c.id, s.articles.c.text).where(s.articles.c.id.in_(sorted(ids))))
            return {r.id: r.text for r in rows}
    finally:
        store.close()


def what(claim: dict) -> str:
    """The claim in words: 'AID: Iran (IRN) -> Russia (RUS)', or a clause's 'mislead: doer X, on Y'."""
    key = claim.get("match_key") or ""
    if claim["type"] == "CLAIM" and key.startswith("CLAIM:"):
        predicate, doer, rest = (key[len("CLAIM:"):].split("|") + ["", ""])[:3]
        patient, *parties = rest.split("+")
        out = f"clause '{predicate}': doer {readable(doer)}, acted on {readable(patient)}"
        return out + "".join(f", {p.split(':', 1)[0]} {readable(p.split(':', 1)[1])}" for p in parties if ":" in p)
    return (f"{claim['type']}: {claim['source_name'] or '?'} ({claim['source_country'] or '-'}) -> "
            f"{claim['target_name'] or '?'} ({claim['target_country'] or '-'})")


def readable(identity: str) -> str:
    if identity in ("-", ""):
        return "nothing named"
    return re.sub(r"^(p|o|n):", "", identity)


# Abbreviations whose full stop ends no sentence ("Mr. Ailes denied").
ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Jr|Sr|Prof|Rev|U\.S|U\.N|No)\.$")


def sentence_before(text: str | None, start: int | None) -> str | None:
    """The sentence just before the evidence, from the stored text (for a denial such as 'That is untrue')."""
    if not text or start is None:
        return None
    head = text[:start].rstrip()
    ends = [m.end() for m in re.finditer(r"[.!?][\"'”’)]*\s|\n", head[:-1])
             if not ABBREVIATIONS.search(head[:m.start() + 1])]
    found = " ".join(head[ends[-1] if ends else 0:].split())
    return found[-400:] or None


def render(n: int, claim: dict, texts: dict[int, str]) -> list[str]:
    days = claim["first_date"] if claim["first_date"] == claim["last_date"] else \
        f"{claim['first_date']}..{claim['last_date']}"
    out = [f"## {n}. {what(claim)}  ({days})", ""]
    for st in claim["stances"]:
        who = f"{st['actor_name'] or 'the article'}" + (f" ({st['actor_country']})" if st["actor_country"] else "")
        out.append(f"- **{who} {VERBS.get(st['stance'], st['stance'])}** — article \"{st['title']}\" "
                   f"({st['source'] or 'no source'}, {st['published'] or 'undated'})")
        before = sentence_before(texts.get(st["article_id"]), st["start"])
        if before:
            out.append(f"  - before: {before}")
        out.append(f"  - says: {' '.join((st['evidence'] or '').split())}")
    out += ["", "judgement: one proposition asserted and denied? [right / wrong]", ""]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--build", nargs="?", const=str(ROOT.parent / "shared" / "corpus"), metavar="CORPUS",
                    help="first ingest issue 14's store from this corpus folder")
    ap.add_argument("--seed", type=int, help="draw --n claims at random with this seed (else all)")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--out", help="also write the claims as JSON Lines")
    args = ap.parse_args()
    if args.build:
        build(args.db, Path(args.build))
    pool = contested(args.db)
    chosen = pool if args.seed is None else random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    texts = article_texts(args.db, {st["article_id"] for c in chosen for st in c["stances"]})
    how = "all" if args.seed is None else f"drawn with seed {args.seed} from"
    print(f"# {len(chosen)} contested claims ({how} {len(pool)} in the store)\n")
    for n, claim in enumerate(chosen, 1):
        print("\n".join(render(n, claim, texts)))
    if args.out:
        with open(args.out, "w") as f:
            for n, claim in enumerate(chosen, 1):
                f.write(json.dumps({"n": n, **claim}, default=str) + "\n")


if __name__ == "__main__":
    main()
