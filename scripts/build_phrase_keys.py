#!/usr/bin/env python3
"""Rebuild src/eventwire/data/phrase_keys.tsv: every phrase the knowledge base loads from the bundled data files,
with its key as spaCy's English tokenizer splits it.

    python scripts/build_phrase_keys.py [--out FILE]

Run it after editing countries.tsv, seats.tsv, organizations.tsv or persons.tsv, or after upgrading spaCy:
tests/test_kb_load.py fails while the file is stale. The knowledge base keys a phrase by its tokens, lowercased,
as spaCy splits them ("al-Qaeda" is `al - qaeda`, "U.S." is `u.s.`); reading the keys of its own phrases from
this file spares every process building spaCy's tokenizer and running it over some 8,000 names at load. A phrase
the file does not hold (a stale file, a user's dictionary, a name in an article) is still tokenized, so a stale
file costs time, never a different key.

The texts are the ones the loader itself hands to KnowledgeBase.key (after trimming a leading "the"), noted by
loading the knowledge base and the bundled persons dictionary once with an empty key table. Deterministic: rows
are sorted by text.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire import settings  # noqa: E402
from eventwire.actors import known  # noqa: E402
from eventwire.actors.kb import KEYS_FILE, KnowledgeBase, spacy_key  # noqa: E402

HEADER = """\
# eventwire phrase keys: every name, alias, adjective, capital and seat phrase that countries.tsv, seats.tsv,
# organizations.tsv and persons.tsv give the knowledge base, and its key: spaCy's English tokens, lowercased,
# separated by single spaces. Derived data: do not edit; run `python scripts/build_phrase_keys.py` after editing
# those files (tests/test_kb_load.py fails while this one is stale).
text\tkey
"""


class NotedTexts(dict):
    """A key table that holds no key and notes every text the knowledge base asks it for."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()

    def get(self, text, default=None):
        self.texts.add(text)
        return default


def loaded_texts() -> set[str]:
    """Every text the knowledge base and the bundled persons dictionary key while loading."""
    noted = NotedTexts()
    base = KnowledgeBase(keys=noted)
    known.read_dictionary(settings.DATA_DIR / "persons.tsv", "persons.tsv", key_of=base.key)
    return noted.texts


def table() -> dict[str, tuple[str, ...]]:
    """Each loaded text and its key as spaCy splits it."""
    return {text: spacy_key(text) for text in sorted(loaded_texts())}


def render(keys: dict[str, tuple[str, ...]]) -> str:
    lines = []
    for text, key in sorted(keys.items()):
        if any(c in text for c in "\t\n\r"):
            raise ValueError(f"a phrase with a tab or a line break cannot be stored: {text!r}")
        lines.append(f"{text}\t{' '.join(key)}\n")
    return HEADER + "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=KEYS_FILE)
    args = parser.parse_args()
    keys = table()
    args.out.write_text(render(keys), encoding="utf-8")
    print(f"{args.out}: {len(keys)} phrases")


if __name__ == "__main__":
    main()
