"""Hostile and broken input through every reader: plain text, JSON Lines, HTML, gzip, directories, stdin.

Each bad input gives one clear error line naming the input and the reason, or a right result; memory
stays bounded (peak RSS of a fresh process, against a baseline); no input stops a batch; nothing stored
before is lost; failed inputs are recorded in the store's failures table.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_properties import check_extract, contract_problems

from eventwire import nlp, settings
from eventwire.clean import clean
from eventwire.model import Article, Extraction
from eventwire.pipeline import Failure, process_batch
from eventwire.read import InputError, read_paths, read_stdin
from eventwire.read.dates import parse_date

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "eventwire.cli"]
MB = 1 << 20
MEMORY_BOUND_MB = 80           # peak RSS growth allowed over reading a tiny file (articles are capped at 10 MB)
ARTICLE = ("Kenya and Ethiopia agree to reopen border talks\n\n"
           "Kenya and Ethiopia agreed on Monday to reopen talks on their shared border, the two foreign "
           "ministers said after a meeting in Nairobi.\n\n"
           '"We have chosen dialogue over confrontation," Kenya\'s foreign minister Amina Odhiambo said.\n')
SENTENCE = "Russia accused Ukraine of shelling a border town on Monday, officials in Moscow said."
WORDS = ["minister", "president", "government", "army", "police", "talks", "border", "Kenya", "Russia", "met",
         "attacked", "agreed", "people", "city", "water", "said", "will", "new", "the", "of", "and", "in"]


@pytest.fixture(autouse=True)
def slow_only_when_asked(request):
    """Tests marked slow run with `-m slow`, as the project's other slow tests do."""
    if request.node.get_closest_marker("slow") and "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("long: run with -m slow")


# --- helpers --------------------------------------------------------------------------------------

def read_all(*paths) -> list:
    return list(read_paths([str(p) for p in paths]))


def only(results: list):
    assert len(results) == 1, results
    return results[0]


def assert_refused(result, *reason_words: str) -> None:
    """An InputError whose reason says why, on one line."""
    assert isinstance(result, InputError), f"expected an error, got {result!r:.200}"
    assert "\n" not in str(result)
    for word in reason_words:
        assert word in result.reason, f"{word!r} not in {result.reason!r}"


# Peak RSS from /proc (VmHWM): getrusage's ru_maxrss of a child starts from its parent's peak on Linux.
READ_IN_CHILD = r"""
import json, resource, sys
from eventwire.read import read_paths

def peak_mb():
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

articles, errors, chars = 0, [], 0
for r in read_paths(sys.argv[1:]):
    if hasattr(r, "text"):
        articles, chars = articles + 1, chars + len(r.text)
    elif len(errors) < 20:
        errors.append(str(r))
print(json.dumps({"articles": articles, "chars": chars, "errors": errors,
                  "peak_mb": peak_mb()}))
"""


def read_in_child(*paths, stdin_path: Path | None = None, timeout: float = 120) -> dict:
    """Read inputs in a fresh process (so its peak memory is theirs alone); its results and peak RSS."""
    with open(stdin_path or os.devnull, "rb") as stdin:
        out = subprocess.run([sys.executable, "-c", READ_IN_CHILD, *map(str, paths)], stdin=stdin,
                             capture_output=True, text=True, timeout=timeout, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory) -> float:
    small = tmp_path_factory.mktemp("small") / "small.txt"
    small.write_text(ARTICLE)
    return read_in_child(small)["peak_mb"]


def cli(*args, stdin=None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], input=stdin, capture_output=True, timeout=timeout,
                          cwd=ROOT, check=False)


def gzip_bomb(path: Path, gigabytes: int, head: bytes = b"") -> Path:
    """A gzip file inflating to `gigabytes` GB: one member of 64 MB of zeros, repeated (gzip allows members)."""
    member = gzip.compress(b"\0" * (64 * MB), compresslevel=9)
    with open(path, "wb") as f:
        f.write(gzip.compress(head))
        f.writelines(member for _ in range(gigabytes * 16))
    return path


def write_big(path: Path, megabytes: int, line: bytes, newline: bool = True) -> Path:
    """A file of about `megabytes` MB made of `line` repeated (one single line when newline is False)."""
    chunk = (line + (b"\n" if newline else b" ")) * max(1, MB // (len(line) + 1))
    with open(path, "wb") as f:
        f.writelines(chunk for _ in range(megabytes))
    return path


def jsonl_line(i: int) -> bytes:
    return json.dumps({"id": f"a{i}", "text": f"{SENTENCE} Report number {i}. " * 20}).encode()


# --- empty, binary, NUL ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty"),
    ("empty.html", b"", "empty"),
    ("blank.txt", b"  \n\t\n\r\n", "no text"),
    ("random.txt", random.Random(1).randbytes(20_000), "binary"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(2).randbytes(5000), "binary"),
    ("nul-line.jsonl", b'{"text": "a\x00b"}\n', "not valid JSON"),
    ("empty.jsonl", b"\n\n", None),
])
def test_empty_binary_and_nul_inputs_are_refused_with_the_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    results = read_all(path)
    if reason is None:
        assert results == []           # a JSON Lines file of blank lines holds no article and no error
    else:
        assert_refused(only(results), reason)
        assert only(results).origin.startswith(str(path))


def test_stray_nul_bytes_in_a_text_are_dropped_by_the_cleaner(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(ARTICLE.replace("Monday", "Mon\x00day").replace("Nairobi", "Nai\x00robi").encode())
    article = only(read_all(path))
    assert isinstance(article, Article)
    cleaned = " ".join(p.text for p in clean(Extraction(article)).paragraphs)
    assert "\x00" not in cleaned and "Monday" in cleaned and "Nairobi" in cleaned


# --- encodings ------------------------------------------------------------------------------------

UKRAINIAN = "Президент України зустрівся з міністром. Він сказав, що Київ готовий до переговорів."
FRENCH = "Le ministre français a déclaré: «Ça suffit», à Paris. Été, hôtel, œuvre."
CHINESE = "中国外交部发言人说，双方同意继续会谈。"


@pytest.mark.parametrize("label, data, expected", [
    ("utf-8 with BOM", b"\xef\xbb\xbf" + FRENCH.encode(), FRENCH),
    ("utf-16 with BOM", FRENCH.encode("utf-16"), FRENCH),
    ("utf-16-le without BOM", FRENCH.encode("utf-16-le"), FRENCH),
    ("utf-32 with BOM", UKRAINIAN.encode("utf-32"), UKRAINIAN),
    ("windows-1252", FRENCH.encode("cp1252"), FRENCH),
    ("windows-1251", UKRAINIAN.encode("cp1251"), UKRAINIAN),
    ("gb18030", CHINESE.encode("gb18030"), CHINESE),
    ("utf-8 with a windows-1252 line pasted in",
     "Título: El presidente de España habló.\n".encode() + "Le café du señor.\n".encode("cp1252")
     + "Grüße aus München.\n".encode(), "Título: El presidente de España habló.\nLe café du señor.\nGrüße aus München.\n"),
])
def test_encodings_are_read_as_the_text_they_hold(tmp_path, label, data, expected):
    path = tmp_path / "encoded.txt"
    path.write_bytes(data)
    article = only(read_all(path))
    assert isinstance(article, Article), f"{label}: {article}"
    assert article.text.strip() == expected.strip(), label


def test_text_in_an_unknown_encoding_is_refused_in_one_line(tmp_path):
    rng = random.Random(3)
    path = tmp_path / "unknown.txt"
    path.write_bytes(bytes(rng.choice([rng.randrange(128, 256), 32]) for _ in range(5000)))
    assert_refused(only(read_all(path)), "encoding")


# --- size: 100 MB files, a 5 MB line, a sentence of 100,000 tokens --------------------------------

@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict[str, Path]:
    """100 MB inputs, written once: text, HTML, one JSON line, many JSON lines."""
    folder = tmp_path_factory.mktemp("big")
    return {
        "text": write_big(folder / "huge.txt", 100, SENTENCE.encode()),
        "html": write_big(folder / "huge.html", 100, f"<p>{SENTENCE}</p>".encode()),
        "one-line.jsonl": write_big(folder / "one-line.jsonl", 100, b'{"text": "' + SENTENCE.encode(), newline=False),
        "many-lines.jsonl": write_big(folder / "many-lines.jsonl", 100, jsonl_line(0)),
    }


@pytest.mark.parametrize("kind, via_stdin, outcome", [
    ("text", False, "too large"),
    ("html", False, "too large"),
    ("one-line.jsonl", False, "line longer than"),
    ("many-lines.jsonl", False, None),
    ("text", True, "too large"),
    ("many-lines.jsonl", True, None),
])
def test_a_100_mb_input_is_refused_or_streamed_in_bounded_memory(big, baseline_mb, kind, via_stdin, outcome):
    path = big[kind]
    started = time.monotonic()
    found = read_in_child("-", stdin_path=path) if via_stdin else read_in_child(path)
    growth = found["peak_mb"] - baseline_mb
    assert growth < MEMORY_BOUND_MB, f"reading 100 MB of {kind} grew memory by {growth:.0f} MB"
    assert time.monotonic() - started < 90
    if outcome is None:                  # streamed: every line an article, none held at once
        assert found["articles"] > 10_000 and found["errors"] == []
    else:
        assert found["articles"] == 0 and len(found["errors"]) == 1 and outcome in found["errors"][0]
        assert found["errors"][0].startswith("<stdin>" if via_stdin else str(path))


def test_a_single_5_mb_line_is_read_and_cut_into_bounded_paragraphs(tmp_path):
    line = " ".join(random.Random(4).choice(WORDS) for _ in range(900_000))[:5 * MB]
    (tmp_path / "line.txt").write_text(line)
    (tmp_path / "line.jsonl").write_text(json.dumps({"text": line}) + "\n")
    text_article, json_article = read_all(tmp_path / "line.txt", tmp_path / "line.jsonl")
    assert text_article.text == line and json_article.text == line
    x = clean(Extraction(text_article))
    assert x.paragraphs and all(len(p.text) <= settings.MAX_PARAGRAPH_CHARS for p in x.paragraphs)
    assert_offsets_point_home(x)


def assert_offsets_point_home(x: Extraction) -> None:
    """Every cleaned character came from the original character its offset names (spaces and quotes normalized)."""
    for p in x.paragraphs:
        for ch, at in zip(p.text, p.offsets):
            original = x.article.text[at]
            assert ch == original or (ch == " " and original.isspace()) or ch in "\"'\ufffd", (ch, original)


def test_a_sentence_of_100000_tokens_is_cut_at_the_paragraph_limit_without_losing_a_word():
    tokens = [random.Random(5).choice(WORDS) + str(i % 97) for i in range(100_000)]
    article = Article(text="A run-on sentence\n\n" + " ".join(tokens) + ".", title_in_text=True, title="A run-on sentence")
    x = clean(Extraction(article))
    body = x.paragraphs[1:]
    assert len(body) > 1 and all(len(p.text) <= settings.MAX_PARAGRAPH_CHARS for p in body)
    assert " ".join(p.text for p in body).split() == tokens[:-1] + [tokens[-1] + "."]
    assert_offsets_point_home(x)


def run_on_sentence(tokens: int) -> Article:
    rng = random.Random(6)
    return Article(text=SENTENCE + " " + " ".join(rng.choice(WORDS) for _ in range(tokens)) + ".", origin="run-on")


def assert_run_on_extracted(x) -> None:
    """The sentence before the run-on stays a sentence of its own, and the whole document keeps the contract."""
    assert isinstance(x, Extraction), x
    assert x.sentences[0].text == SENTENCE
    assert contract_problems(x.to_dict(), x.article.text) == []


@pytest.fixture(scope="module")
def run_on_5000():
    [x] = process_batch([run_on_sentence(5_000)], nlp.load(None))
    return x


def test_a_run_on_sentence_goes_through_every_stage(run_on_5000):
    assert_run_on_extracted(run_on_5000)
    assert all(0 <= s.start <= s.end <= len(run_on_5000.article.text) for s in run_on_5000.sentences)


@pytest.mark.xfail(strict=True, reason="extraction bug, reported: the accusation in the sentence before a "
                                       "5,000-word run-on is not found (alone, it is)")
def test_the_sentence_before_a_run_on_keeps_its_event(run_on_5000):
    first = run_on_5000.sentences[0]
    assert ("ACCUSE", "RUS", "UKR") in {(e.type, e.source and e.source.country, e.target and e.target.country)
                                        for e in run_on_5000.events if e.mentions[0].start < first.end}


@pytest.mark.slow
def test_a_sentence_of_100000_tokens_goes_through_every_stage():
    started = time.monotonic()
    [x] = process_batch([run_on_sentence(100_000)], nlp.load(None))
    assert_run_on_extracted(x)
    assert time.monotonic() - started < 600, "one 600 KB article took over ten minutes"


def test_a_title_of_a_million_characters_does_not_stop_the_batch():
    huge_title = Article(text=SENTENCE, title="Breaking " * 150_000, origin="title.jsonl:1")
    good = Article(text=SENTENCE.replace("Russia", "Kenya").replace("Ukraine", "Ethiopia"), origin="good.txt")
    results = process_batch([good, huge_title, good], nlp.load(None))
    assert all(isinstance(r, Extraction) for r in results), results
    assert any("title cut" in w for w in results[1].warnings)


def test_an_article_the_parser_refuses_fails_alone_and_the_batch_goes_on():
    """A parser that refuses one text (here: longer than its max_length) fails that article only."""
    import spacy
    strict = spacy.load(nlp.load(None).meta["lang"] + "_" + nlp.load(None).meta["name"])
    strict.max_length = 5000
    long_paragraph = Article(text=" ".join([SENTENCE] * 80), origin="long.txt")
    good = Article(text=SENTENCE, origin="good.txt")
    first, refused, last = process_batch([good, long_paragraph, good], strict)
    assert isinstance(first, Extraction) and isinstance(last, Extraction) and first.events
    assert isinstance(refused, Failure) and refused.origin == "long.txt"
    assert refused.reason.startswith("parse stage failed") and "\n" not in refused.reason


# --- HTML: nesting, entity and tag bombs ----------------------------------------------------------

PARAGRAPH = "<p>" + SENTENCE + " The talks will continue in Geneva next week, the ministry said.</p>"


def test_html_nested_100000_deep_is_refused_in_one_line_and_fast(tmp_path, baseline_mb):
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + PARAGRAPH + "</div>" * 100_000 + "</body></html>")
    started = time.monotonic()
    found = read_in_child(path)
    assert time.monotonic() - started < 30 and found["peak_mb"] - baseline_mb < MEMORY_BOUND_MB * 2
    assert found["articles"] == 0 and len(found["errors"]) == 1
    assert found["errors"][0].startswith(str(path)) and "elements" in found["errors"][0]


def test_html_nested_5000_deep_still_gives_its_article(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div class='x'>" * 5000 + PARAGRAPH + "</div>" * 5000 + "</body></html>")
    article = only(read_all(path))
    assert isinstance(article, Article), article
    assert SENTENCE in article.text


def test_html_entity_bomb_is_not_expanded(tmp_path, baseline_mb):
    entities = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path = tmp_path / "laughs.html"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
                    f"<html><body><p>&lol9;</p>{PARAGRAPH}</body></html>")
    found = read_in_child(path)
    assert found["peak_mb"] - baseline_mb < MEMORY_BOUND_MB
    assert found["articles"] == 1 and found["chars"] < 1000


def test_html_tag_bomb_is_refused_before_parsing(tmp_path, baseline_mb):
    path = tmp_path / "tags.html"
    path.write_text("<html><body><p>" + "<b>x</b>" * 1_200_000 + "</p></body></html>")
    started = time.monotonic()
    found = read_in_child(path)
    assert time.monotonic() - started < 30, "a tag bomb must not be parsed (it takes minutes and GBs)"
    assert found["peak_mb"] - baseline_mb < MEMORY_BOUND_MB
    assert len(found["errors"]) == 1 and "elements" in found["errors"][0]


# --- gzip -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, head", [("bomb.txt.gz", b"Title\n\n"), ("bomb.html.gz", b"<html><body><p>"),
                                        ("bomb.jsonl.gz", b'{"text": "'), ("stdin", b"Title\n\n")])
def test_a_gzip_bomb_is_refused_in_bounded_memory(tmp_path, baseline_mb, name, head):
    path = gzip_bomb(tmp_path / ("stdin.gz" if name == "stdin" else name), gigabytes=2, head=head)
    started = time.monotonic()
    found = read_in_child("-", stdin_path=path) if name == "stdin" else read_in_child(path)
    assert time.monotonic() - started < 60
    assert found["peak_mb"] - baseline_mb < MEMORY_BOUND_MB
    assert found["articles"] == 0 and len(found["errors"]) == 1, found["errors"]
    assert "inflates" in found["errors"][0] or "too large" in found["errors"][0]


def test_gzip_content_is_read_through(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b'{"text": "Peru condemned Chile."}\n{"text": 1}\n'))
    text, line, bad_line = read_all(tmp_path / "a.txt.gz", tmp_path / "b.jsonl.gz")
    assert text.text == ARTICLE and line.text == "Peru condemned Chile."
    assert_refused(bad_line, "'text'")
    assert bad_line.origin.endswith("b.jsonl.gz:2")


@pytest.mark.parametrize("name", ["corrupt.txt.gz", "corrupt.html.gz", "corrupt.jsonl.gz", "truncated.txt.gz"])
def test_corrupt_or_truncated_gzip_is_one_error(tmp_path, name):
    data = gzip.compress((ARTICLE * 50).encode())
    broken = data[:len(data) // 2] if name.startswith("truncated") else data[:20] + b"\xff" * 40 + data[60:]
    path = tmp_path / name
    path.write_bytes(broken)
    results = read_all(path)
    assert len(results) == 1 and isinstance(results[0], InputError), results
    assert "gzip" in results[0].reason or "unreadable" in results[0].reason


# --- JSON Lines -----------------------------------------------------------------------------------

def test_jsonl_bad_lines_are_errors_by_line_and_good_lines_are_read(tmp_path):
    lines = [
        json.dumps({"text": 5}),                                   # 1 wrong type
        json.dumps(["not", "an", "object"]),                       # 2
        '"just a string"',                                         # 3
        "{not json",                                               # 4
        json.dumps({"text": "Body.", "title": ["a list"]}),        # 5
        json.dumps({"text": "Body.", "id": True}),                 # 6
        json.dumps({"text": "Body.", "published": "2024-02-31"}),  # 7 31 February
        json.dumps({"text": "Body.", "published": "99999-01-01"}),  # 8 year 99999
        "[" * 100_000 + "]" * 100_000,                             # 9 nesting past the recursion limit
        '{"text": "Body.", "id": ' + "9" * 5000 + "}",             # 10 an integer of 5000 digits
        json.dumps({"text": "   "}),                               # 11 blank text
        "null",                                                    # 12
        json.dumps({"text": "Lone \ud800 surrogate, from an escape.", "published": ""}),  # 13 read
        json.dumps({"text": "Peru condemned Chile.", "published": "2024-02-29", "id": 7}),  # 14 read
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    results = read_all(tmp_path / "mixed.jsonl")
    errors = {r.origin.rsplit(":", 1)[1]: r.reason for r in results if isinstance(r, InputError)}
    assert set(errors) == {str(n) for n in range(1, 13)}
    expected = {"1": "'text'", "2": "object", "3": "object", "4": "JSON", "5": "'title'", "6": "'id'",
                "7": "2024-02-31", "8": "99999", "9": "JSON", "10": "JSON", "11": "'text'", "12": "object"}
    for line, word in expected.items():
        assert word in errors[line], (line, errors[line])
    lone, good = [r for r in results if isinstance(r, Article)]
    assert lone.text == "Lone \ufffd surrogate, from an escape." and lone.published is None
    assert good.id == "7" and str(good.published) == "2024-02-29"


def test_jsonl_line_over_the_limit_is_one_error_and_the_file_goes_on(tmp_path):
    path = tmp_path / "long.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"text": "' + b"x" * (settings.MAX_JSONL_LINE_BYTES + 10) + b'"}\n')
        f.write(b'{"text": "Peru condemned Chile."}\n')
    too_long, good = read_all(path)
    assert_refused(too_long, "line longer than")
    assert too_long.origin.endswith(":1") and good.text == "Peru condemned Chile."


@pytest.mark.parametrize("value, expected", [
    ("2024-02-29", "2024-02-29"), ("2024-02-31", None), ("2023-02-29", None), ("99999-01-01", None),
    ("0000-01-01", None), ("2024-13-01", None), ("2024-09-10T23:59:59+05:00", "2024-09-10"), ("", None),
    (20240910, None), (None, None), ("31 February 2024", None),
])
def test_impossible_dates_are_no_date(value, expected):
    found = parse_date(value)
    assert (found.isoformat() if found else None) == expected


# --- scripts, directions, invisible marks ---------------------------------------------------------

MANY_LANGUAGES = (
    "World leaders meet\n\n"
    + SENTENCE + "\n\n"
    "\u0642\u0627\u0644 \u0627\u0644\u0631\u0626\u064a\u0633 \u0625\u0646 \u0627\u0644\u0645\u062d\u0627\u062f"
    "\u062b\u0627\u062a \u0633\u062a\u0633\u062a\u0645\u0631.\n\n"
    "\u4e60\u8fd1\u5e73\u5728\u5317\u4eac\u4f1a\u89c1\u4e86\u666e\u4eac\u3002\n\n"
    "\u041f\u0443\u0442\u0438\u043d \u0432\u0441\u0442\u0440\u0435\u0442\u0438\u043b\u0441\u044f \u0441 "
    "\u0421\u0438 \u0426\u0437\u0438\u043d\u044c\u043f\u0438\u043d\u043e\u043c \u0432 \u041f\u0435\u043a\u0438\u043d\u0435.\n\n"
    "\u092a\u094d\u0930\u0927\u093e\u0928\u092e\u0902\u0924\u094d\u0930\u0940 \u0928\u0947 \u0915\u0939\u093e\u0964\n\n"
    "Crowds cheered \U0001F600\U0001F1FA\U0001F1F8 as \u202eFrance\u202c and Ger\u200bmany signed the "
    "treaty.\u200f\n"
)


def test_many_scripts_rtl_and_zero_width_marks_are_extracted_with_exact_offsets():
    zero_width = SENTENCE.replace("Russia", "Rus\u200bsia").replace("Ukraine", "Ukr\u200daine")
    text = MANY_LANGUAGES.replace(SENTENCE, zero_width)
    article = Article(text=text, title="World leaders meet", title_in_text=True, origin="many.txt")
    [x] = process_batch([article], nlp.load(None))
    assert isinstance(x, Extraction), x
    assert contract_problems(x.to_dict(), text) == []
    accuse = [e for e in x.events if e.type == "ACCUSE"]
    assert accuse, "zero-width marks inside names must not hide the event"
    assert (accuse[0].source.country, accuse[0].target.country) == ("RUS", "UKR")
    assert "Rus\u200bsia" in accuse[0].mentions[0].text


def test_dates_that_cannot_be_in_a_text_do_not_break_extraction():
    doc = check_extract("Russia accused Ukraine of shelling the town on 31 February 2024. "
                        "In the year 99999 the talks resumed. On 2024-02-30 troops attacked the village.",
                        published="2024-03-01")
    accuse = [e["date"] for e in doc["events"] if e["type"] == "ACCUSE"]
    assert accuse == [None]                 # no 31 February, and no date invented in its place
    assert [e["date"] for e in doc["events"] if e["date"] and e["date"] > "2024-03-02"] == []


# --- paths ----------------------------------------------------------------------------------------

def test_a_path_that_does_not_exist_is_named_in_the_error(tmp_path):
    missing = tmp_path / "nope" / "missing.txt"
    assert_refused(only(read_all(missing)), "no such file")
    assert only(read_all(missing)).origin == str(missing)


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    found = read_in_child(fifo, timeout=30)       # a reader that opens it would wait forever
    assert found["errors"] == [f"{fifo}: not a regular file (a device, pipe or socket)"]


def test_a_directory_with_one_bad_file_among_good_ones(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "sub" / "b.jsonl").write_text(json.dumps({"text": SENTENCE}) + "\n")
    (tmp_path / "c.html").write_text(f"<html><body><article>{PARAGRAPH}</article></body></html>")
    (tmp_path / "sub" / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 50)
    results = read_all(tmp_path)
    assert [type(r).__name__ for r in results] == ["Article", "Article", "Article", "InputError"]
    assert results[3].origin.endswith("broken.txt.gz") and SENTENCE in results[2].text


# --- standard input -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, reason", [(b"", "empty"), (b"\x00\x01" + random.Random(7).randbytes(3000), "binary"),
                                          (b"\x1f\x8b\x08\x00\xff\xff\xff", "gzip")])
def test_bad_standard_input_is_one_error_line_and_exit_1(data, reason):
    out = cli("extract", "-", "--format", "jsonl", stdin=data)
    lines = out.stderr.decode().splitlines()
    assert out.returncode == 1 and out.stdout == b""
    assert len(lines) == 1 and lines[0].startswith("eventwire: <stdin>: ") and reason in lines[0], lines


@pytest.mark.parametrize("data, words", [
    (b"\n  \n<html><body><article>" + PARAGRAPH.encode() + b"</article></body></html>", SENTENCE),
    (b"\n  \n" + ARTICLE.encode(), "Amina Odhiambo"),
    (gzip.compress(ARTICLE.encode()), "Amina Odhiambo"),
    (gzip.compress(b"  " + json.dumps({"text": SENTENCE}).encode()), SENTENCE),
])
def test_standard_input_is_sniffed_after_blank_lines_and_through_gzip(data, words):
    [article] = list(read_stdin(io.BufferedReader(io.BytesIO(data))))
    assert isinstance(article, Article), article
    assert words in article.text


# --- a whole batch through the CLI: nothing stops it, nothing is lost -----------------------------

def hostile_folder(folder: Path) -> dict[str, str]:
    """Bad inputs beside two good ones; returns each bad file's name and a word its error must hold."""
    folder.mkdir()
    (folder / "good-1.txt").write_text(ARTICLE.replace("Kenya", "Uganda"))
    (folder / "good-2.txt").write_bytes(("Talks\n\n" + SENTENCE).encode("utf-16"))
    bad = {"empty.txt": "empty", "random.txt": "binary", "corrupt.txt.gz": "gzip", "bomb.txt.gz": "inflates",
           "nested.html": "elements", "tags.html": "elements", "unknown.txt": "encoding",
           "lines.jsonl:1": "not valid JSON", "lines.jsonl:2": "'published'"}
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.txt").write_bytes(random.Random(8).randbytes(4000))
    (folder / "corrupt.txt.gz").write_bytes(gzip.compress(ARTICLE.encode())[:20] + b"\xff" * 40)
    gzip_bomb(folder / "bomb.txt.gz", 1, b"Title\n\n")
    (folder / "nested.html").write_text("<div>" * 100_001 + PARAGRAPH)
    (folder / "tags.html").write_text("<p>" + "<i>x</i>" * 200_000)
    rng = random.Random(9)
    (folder / "unknown.txt").write_bytes(bytes(rng.choice([rng.randrange(128, 256), 32]) for _ in range(5000)))
    (folder / "lines.jsonl").write_text("{oops\n" + json.dumps({"text": SENTENCE, "published": "2024-02-31"}) + "\n"
                                        + json.dumps({"text": "Chile and Peru agreed to hold talks in Lima."}) + "\n")
    return bad


def snapshot(db: Path) -> dict[str, tuple]:
    """Each stored article's hash with its counts of sentences, events and quotes."""
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT a.hash, (SELECT COUNT(*) FROM sentences s WHERE s.article_id = a.id), "
                         "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id), "
                         "(SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) FROM articles a").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_hostile_batch_stores_the_good_inputs_records_the_bad_and_loses_nothing(tmp_path):
    db = tmp_path / "store.db"
    first = cli("ingest", ROOT / "samples", "--db", db)
    assert first.returncode == 0, first.stderr.decode()[-2000:]
    before = snapshot(db)
    assert len(before) == len(list((ROOT / "samples").glob("*.txt")))

    bad = hostile_folder(tmp_path / "batch")
    fifo, missing = tmp_path / "pipe.txt", tmp_path / "missing.txt"
    os.mkfifo(fifo)
    out = cli("ingest", tmp_path / "batch", fifo, missing, "--db", db, timeout=300)
    stderr = out.stderr.decode()
    assert out.returncode == 1, stderr[-2000:]
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert all(line.startswith(("eventwire: ", "failed: ")) for line in lines), lines
    bad[str(fifo)], bad[str(missing)] = "not a regular file", "no such file"
    for name, word in bad.items():
        origin = name if name.startswith("/") else str(tmp_path / "batch" / name)
        assert any(f"{origin}: " in line and word in line for line in lines), f"{origin} ({word}) not reported"

    after = snapshot(db)
    assert {h: after[h] for h in before} == before, "articles stored before were changed or lost"
    assert len(after) == len(before) + 3            # good-1, good-2 (UTF-16) and the good JSON line
    with sqlite3.connect(db) as c:
        failed = {row[0] for row in c.execute("SELECT origin FROM failures")}
    assert failed == {n if n.startswith("/") else str(tmp_path / "batch" / n) for n in bad}
    check = cli("check", "--db", db)
    assert check.returncode == 0 and check.stdout.decode().strip() == "ok", check.stderr.decode()
