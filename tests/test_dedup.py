"""Near-duplicates: a syndicated copy is linked to its original, another article is not, an exact copy is skipped."""
from __future__ import annotations

import pytest
from pgserver import db_url, postgres_server, postgres_url  # noqa: F401 - fixtures

from eventwire import api
from eventwire.scale import dedup
from eventwire.scale.dedup import NearDuplicates, from_bytes, signature, to_bytes
from eventwire.store import open_store

ORIGINAL_TITLE = "EU leaders agree new sanctions on Belarus after border crisis"
ORIGINAL = (
    "European Union leaders agreed on Thursday to impose new sanctions on Belarus, accusing the government in "
    "Minsk of organizing the flow of migrants to the borders of Poland and Lithuania. The measures target "
    "officials, a state airline and travel agencies that the bloc says helped bring people to the frontier.\n\n"
    "The foreign ministers met in Brussels for more than six hours before the agreement was announced. Poland "
    "said the sanctions were a clear signal that the union would not be blackmailed, while Lithuania asked for "
    "financial help to build a fence along its eastern border.\n\n"
    "Belarus rejected the accusations and said the European Union was responsible for the humanitarian "
    "situation. The government in Minsk threatened to cut gas transit to Europe if the new measures took "
    "effect, a threat that officials in Berlin and Warsaw dismissed as empty.\n\n"
    "The United States said it would coordinate its own measures with the European Union in the coming weeks.")
# The same wire story as another outlet runs it: its own headline, a few words edited.
COPY_TITLE = "Belarus hit by fresh EU sanctions over migrant crisis"
COPY = (ORIGINAL.replace("on Thursday", "late on Thursday").replace("more than six hours", "over six hours")
        .replace("empty", "hollow").replace("in the coming weeks", "soon"))
OTHER_TITLE = "Japan and South Korea resume security talks"
OTHER = (
    "Japan and South Korea resumed security talks in Seoul on Monday for the first time in five years, as both "
    "governments sought to ease a long dispute over wartime history and trade. The vice foreign ministers "
    "discussed missile launches by North Korea and agreed to share more intelligence.\n\n"
    "Officials in Tokyo said the meeting was constructive and that a summit between the two leaders could "
    "follow later this year. China criticized the talks and warned against a new military bloc in the region, "
    "while the United States welcomed the improvement in relations between its two allies.")


def write(folder, name: str, title: str, body: str) -> str:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return str(path)


def articles_of(db: str) -> dict[str, dict]:
    store = open_store(db)
    try:
        return {a["title"]: a for a in store.articles(limit=100)}
    finally:
        store.close()


def test_a_syndicated_copy_is_linked_to_its_original(db_url, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    write(folder, "1.txt", ORIGINAL_TITLE, ORIGINAL)
    write(folder, "2.txt", OTHER_TITLE, OTHER)
    write(folder, "3.txt", COPY_TITLE, COPY)
    summary = api.ingest([str(folder)], db=db_url)
    assert (summary.stored, summary.near_duplicates) == (3, 1)
    stored = articles_of(db_url)
    assert stored[COPY_TITLE]["duplicate_of"] == stored[ORIGINAL_TITLE]["id"]
    assert stored[OTHER_TITLE]["duplicate_of"] is None and stored[ORIGINAL_TITLE]["duplicate_of"] is None


def test_a_copy_arriving_in_a_later_run_is_linked_too(tmp_path):
    db = str(tmp_path / "s.db")
    api.ingest([write(tmp_path / "day1", "1.txt", ORIGINAL_TITLE, ORIGINAL)], db=db)
    summary = api.ingest([write(tmp_path / "day2", "2.txt", COPY_TITLE, COPY)], db=db)
    assert summary.near_duplicates == 1
    stored = articles_of(db)
    assert stored[COPY_TITLE]["duplicate_of"] == stored[ORIGINAL_TITLE]["id"]


def test_an_exact_duplicate_is_skipped_by_its_hash(tmp_path):
    db = str(tmp_path / "s.db")
    first = write(tmp_path / "a", "1.txt", ORIGINAL_TITLE, ORIGINAL)
    again = write(tmp_path / "b", "same.txt", ORIGINAL_TITLE, ORIGINAL)
    summary = api.ingest([first, again], db=db)
    assert (summary.stored, summary.already, summary.near_duplicates) == (1, 1, 0)
    assert api.ingest([again], db=db).already == 1
    assert len(articles_of(db)) == 1


def test_signatures_are_kept_in_the_store_and_reload_as_they_were(tmp_path):
    db = str(tmp_path / "s.db")
    api.ingest([write(tmp_path / "in", "1.txt", ORIGINAL_TITLE, ORIGINAL),
                write(tmp_path / "in", "2.txt", OTHER_TITLE, OTHER)], db=db)
    store = open_store(db)
    assert store.count("signatures") == 2
    index = NearDuplicates.from_store(store)
    assert len(index.lsh.query(signature(ORIGINAL_TITLE + "\n" + ORIGINAL))) == 1
    store.close()
    sig = signature(OTHER)
    assert from_bytes(to_bytes(sig)).jaccard(sig) == 1.0


def test_articles_stored_without_a_signature_are_signed_when_the_index_opens(tmp_path):
    db = str(tmp_path / "s.db")
    api.ingest([write(tmp_path / "in", "1.txt", ORIGINAL_TITLE, ORIGINAL)], db=db, dedup=False)
    store = open_store(db)
    assert store.count("signatures") == 0
    NearDuplicates.from_store(store)
    assert store.count("signatures") == 1
    store.close()
    assert api.ingest([write(tmp_path / "in2", "2.txt", COPY_TITLE, COPY)], db=db).near_duplicates == 1


def test_short_texts_are_never_judged(tmp_path):
    index = NearDuplicates()
    from eventwire.clean import clean
    from eventwire.model import Article, Extraction
    short = clean(Extraction(Article(text="Russia accused Ukraine of shelling a town.")))
    assert index.original_of(short) == (None, None)


def test_the_threshold_separates_the_copy_from_the_other_article():
    original = signature(ORIGINAL_TITLE + "\n" + ORIGINAL)
    assert original.jaccard(signature(COPY_TITLE + "\n" + COPY)) >= dedup.THRESHOLD
    assert original.jaccard(signature(OTHER_TITLE + "\n" + OTHER)) < 0.1


@pytest.mark.parametrize("edits", [2, 6])
def test_more_edits_still_link_a_long_copy(edits):
    words = (ORIGINAL + " " + OTHER).split()
    edited = list(words)
    for i in range(edits):
        position = (i + 1) * len(words) // (edits + 1)
        edited[position] = edited[position].upper() + "X"
    assert signature(" ".join(words)).jaccard(signature(" ".join(edited))) >= dedup.THRESHOLD


# --- writers at once ------------------------------------------------------------------------------

def write_originals_and_copies(tmp_path, count: int):
    """`count` distinct articles in one folder and a light rewrite of each in another."""
    import random

    from test_crash import article_text
    rng = random.Random(9)
    originals, copies = tmp_path / "originals", tmp_path / "copies"
    originals.mkdir()
    copies.mkdir()
    for i in range(count):
        text = article_text(rng, i)
        (originals / f"{i:03d}.txt").write_text(text, encoding="utf-8")
        title, body = text.split("\n", 1)
        (copies / f"{i:03d}.txt").write_text(f"Wire copy: {title}\n{body.replace(' the ', ' a ', 1)}",
                                             encoding="utf-8")
    return originals, copies


def originals_and_copies(db: str) -> tuple[int, int]:
    store = open_store(db)
    try:
        rows = store.articles(limit=1000)
    finally:
        store.close()
    return sum(r["duplicate_of"] is None for r in rows), sum(r["duplicate_of"] is not None for r in rows)


def test_two_ingests_at_once_link_copies_as_one_ingest_would(db_url, tmp_path):  # noqa: F811
    import subprocess
    import sys
    originals, copies = write_originals_and_copies(tmp_path, 30)
    runs = [subprocess.Popen([sys.executable, "-m", "eventwire.cli", "ingest", str(folder), "--db", db_url,
                              "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for folder in (originals, copies)]
    for run in runs:
        out, err = run.communicate(timeout=900)
        assert run.returncode == 0, err
    assert originals_and_copies(db_url) == (30, 30)
    assert api.check(db=db_url) == []
