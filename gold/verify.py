#!/usr/bin/env python3
"""Check the gold files in this folder against the evaluation corpus.

Usage: python3 gold/verify.py [CORPUS_DIR]   (default: ../shared/corpus next to the repo)

Standard library only. For every item that points into the corpus it re-reads the file
exactly as the evaluator does (utf-8, errors="replace"), checks that the span lies inside
the document, is non-empty and trimmed, and (with -v) prints it so a person can read it.
PolNeAR texts (polnear/dev/text/*.txt) are read whole, like BBC files; the train split is refused.
when_where items also get their date values, place fields and ambiguous-place tags checked.
Written items are checked for internal consistency (phrase inside text, offsets match); corpus
actor items must find exactly their phrase at their offsets, carry the article's date, and come
from PolNeAR's dev split only.
Exit status 0 when everything holds.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = set("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT "
            "THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT".split())
MODALITIES = set("asserted reported denied planned hypothetical negated".split())
PRECISIONS = {"day", "week", "month", "year", "range", "none"}
PLACE_KINDS = {"us-name", "uk-name", "region", "in-name", "other"}
DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO3 = re.compile(r"^[A-Z]{3}$")
SECTORS = set("GOV MIL COP REB OPP JUD LEG CVL BUS MED EDU CRM REF HLH LAB REL AGR SPY UAF IGO NGO PTY ENV".split())
KINDS = {"person", "country", "organization", "group", "place"}
KB_TAGS = {"person", "body", "place", "group", "agent", "negative"}


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Corpus:
    def __init__(self, root):
        self.root = root
        self._cache = {}

    def raw(self, path):
        if path not in self._cache:
            with open(os.path.join(self.root, path), encoding="utf-8", errors="replace") as f:
                self._cache[path] = f.read()
        return self._cache[path]

    def text(self, item):
        """The string that item['start']:item['end'] indexes."""
        path = item["file"]
        if "paragraph" in item:  # BASIL: " ".join of the paragraph's sentences
            doc = json.loads(self.raw(path))
            return " ".join(doc["body-paragraphs"][item["paragraph"]])
        if path.startswith("wikievents/"):  # WikiEvents: the document's "text" field
            for line in self.raw(path).splitlines():
                doc = json.loads(line)
                if doc["doc_id"] == item["doc_id"]:
                    return doc["text"]
            raise KeyError(item["doc_id"])
        return self.raw(path)


def check_source(item, errors):
    """PolNeAR train is kept for a blind sample: gold may point into its dev split only."""
    path = item.get("file", "")
    if path.startswith("polnear/") and not path.startswith("polnear/dev/text/"):
        errors.append(f"{item['id']}: PolNeAR items must come from polnear/dev/text")
        return False
    return True


def check_place(item, errors):
    place = item["place"]
    if place["country"] is not None and not ISO3.match(place["country"]):
        errors.append(f"{item['id']}: place country")
    for key in ("alt_names",):
        if key in place and not (isinstance(place[key], list) and all(isinstance(n, str) for n in place[key])):
            errors.append(f"{item['id']}: place {key}")
    if "admin1" in place and not isinstance(place["admin1"], str):
        errors.append(f"{item['id']}: place admin1")
    tags = item.get("tags")
    if tags is not None and not (len(tags) == 2 and tags[0] == "ambiguous-place" and tags[1] in PLACE_KINDS):
        errors.append(f"{item['id']}: tags")


def check_date(item, errors):
    d = item["date"]
    if not DAY.match(item.get("published", "")):
        errors.append(f"{item['id']}: published")
    if d["precision"] not in PRECISIONS:
        errors.append(f"{item['id']}: precision")
    if (d["value"] is None) != (d["precision"] == "none"):
        errors.append(f"{item['id']}: value null exactly when precision is none")
    for v in [d["value"]] + d.get("alt_values", []):
        if v is not None and not DATE_VALUE.match(v):
            errors.append(f"{item['id']}: date value {v!r}")


def check_span(corpus, item, errors):
    t = corpus.text(item)
    s, e = item["start"], item["end"]
    if not (0 <= s < e <= len(t)):
        errors.append(f"{item['id']}: span out of range")
        return None
    if "doc_start" in item and not (item["doc_start"] <= s and e <= item["doc_end"]):
        errors.append(f"{item['id']}: span outside its document")
    sl = t[s:e]
    if sl != sl.strip():
        errors.append(f"{item['id']}: span not trimmed")
    return sl


def published_of(corpus, item):
    """The date the corpus gives for the item's article, where it gives one (BASIL, PolNeAR)."""
    path = item["file"]
    if "paragraph" in item:
        return json.loads(corpus.raw(path))["date"]
    if path.startswith("polnear/"):
        split, name = path.split("/")[1], os.path.basename(path)[:-len(".txt")]
        for line in corpus.raw("polnear/metadata.tsv").splitlines()[1:]:
            row = line.split("\t")
            if row[0] == split and row[1] == name:
                return row[5]
        return "not in polnear/metadata.tsv"
    return item.get("published")


def check_actor(corpus, it, errors, verbose):
    """A written actor item must hold its phrase at its offsets; a corpus one (no "text") must find
    exactly its phrase at its offsets in the corpus, and its date must be the article's."""
    if "text" in it:
        if it["text"][it["start"]:it["end"]] != it["phrase"]:
            errors.append(f"{it['id']}: phrase offsets")
    else:
        if it["file"].startswith("polnear/train/"):
            errors.append(f"{it['id']}: polnear/train is not used for gold (dev only)")
        sl = check_span(corpus, it, errors)
        if sl is not None and sl != it["phrase"]:
            errors.append(f"{it['id']}: phrase offsets")
        if published_of(corpus, it) != it.get("published"):
            errors.append(f"{it['id']}: published is not the article's date")
        if not set(it.get("tags", [])) & KB_TAGS:
            errors.append(f"{it['id']}: tags")
        if verbose and sl:
            print(it["id"], it["country"], it["sector"], "|", " ".join(sl.split()))
    if it["country"] is not None and not ISO3.match(it["country"]):
        errors.append(f"{it['id']}: country")
    if it["sector"] is not None and it["sector"] not in SECTORS:
        errors.append(f"{it['id']}: sector")
    if it["kind"] not in KINDS:
        errors.append(f"{it['id']}: kind")


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    root = args[0] if args else os.path.join(HERE, "..", "..", "shared", "corpus")
    corpus = Corpus(root)
    errors = []

    for it in load("actors.jsonl"):
        check_actor(corpus, it, errors, verbose)

    for it in load("events.jsonl"):
        if "file" in it:
            sl = check_span(corpus, it, errors)
            if verbose and sl:
                print(it["id"], "|", " ".join(sl.split()))
        elif not it.get("text"):
            errors.append(f"{it['id']}: neither text nor file")
        for ev in it["events"]:
            if ev["type"] not in TYPES or ev["modality"] not in MODALITIES:
                errors.append(f"{it['id']}: bad type/modality")
            for side in ("source", "target"):
                v = ev[side]
                if v is not None and v != "IGO" and not ISO3.match(v):
                    errors.append(f"{it['id']}: bad {side}")

    for it in load("quotes.jsonl"):
        sl = check_span(corpus, it, errors)
        if it["type"] == "direct" and sl and (sl[0] in "\"“" or sl[-1] in "\"”"):
            errors.append(f"{it['id']}: direct quote span includes a quotation mark")
        if verbose and sl:
            print(it["id"], it["type"], it["speaker"], "|", " ".join(sl.split()))

    with open(os.path.join(HERE, "quotes_articles.json"), encoding="utf-8") as f:
        qa = json.load(f)
    counts = {}
    for it in load("quotes.jsonl"):
        counts[it["file"]] = counts.get(it["file"], 0) + 1
    for a in qa["articles"]:
        if counts.get(a["file"]) != a["quotes"]:
            errors.append(f"quotes_articles: count mismatch for {a['file']}")

    for it in load("when_where.jsonl"):
        check_date(it, errors)
        check_place(it, errors)
        if not check_source(it, errors):
            continue
        sl = check_span(corpus, it, errors)
        d = it["date"]
        if d["text"] is not None:
            t = corpus.text(it)
            if t[d["text_start"]:d["text_end"]] != d["text"]:
                errors.append(f"{it['id']}: date text offsets")
        if verbose and sl:
            print(it["id"], d["value"], it["place"]["name"], "|", " ".join(sl.split()))

    for e in errors:
        print("ERROR", e)
    print("ok" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
