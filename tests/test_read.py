import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.read import Article, InputError, read_paths  # noqa: F401 (Article re-exported by model)
from eventwire.model import Article as ModelArticle

PAGE = """<html><head><title>Ministers meet in Oslo</title>
<meta property="article:published_time" content="2023-05-04T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Ministers meet in Oslo</h1>
<p>Norway and Sweden signed a fisheries agreement in Oslo on Thursday after two days of talks between
their foreign ministers, officials said.</p>
<p>The agreement sets quotas for the next five years and creates a joint inspection service.</p>
</article><footer>Copyright notice</footer></body></html>"""


def articles(*paths) -> list:
    return list(read_paths([str(p) for p in paths]))


def test_plain_text_title_and_body(tmp_path):
    (tmp_path / "a.txt").write_text("The title\nFirst paragraph.\nSecond paragraph.\n")
    [a] = articles(tmp_path / "a.txt")
    assert isinstance(a, ModelArticle) and a.title == "The title" and a.title_in_text
    assert a.text.startswith("The title\n")


def test_jsonl_fields_and_bad_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "x1", "title": "T", "text": "Body.", "published": "2024-02-29",
                                "url": "http://example.org/a", "source": "Example"}) + "\n"
                    + json.dumps({"text": 5}) + "\n" + json.dumps({"text": "B", "published": "2023-02-31"}) + "\n")
    first, second, third = articles(path)
    assert (first.id, first.title, str(first.published), first.source) == ("x1", "T", "2024-02-29", "Example")
    assert isinstance(second, InputError) and "text" in second.reason and second.origin.endswith(":2")
    assert isinstance(third, InputError) and "published" in third.reason


def test_html_main_text_title_and_date(tmp_path):
    (tmp_path / "p.html").write_text(PAGE)
    [a] = articles(tmp_path / "p.html")
    assert a.title == "Ministers meet in Oslo" and str(a.published) == "2023-05-04"
    assert "fisheries agreement" in a.text and "Copyright" not in a.text and "Home | World" not in a.text


def test_html_without_an_article_is_an_error(tmp_path):
    (tmp_path / "empty.html").write_text("<html><body><nav>Menu</nav></body></html>")
    [e] = articles(tmp_path / "empty.html")
    assert isinstance(e, InputError) and "no article text" in e.reason


def test_directories_recursively_in_name_order_and_missing_paths(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("T2\nBody two.\n")
    (tmp_path / "1.txt").write_text("T1\nBody one.\n")
    found = articles(tmp_path, tmp_path / "nope.txt")
    assert [a.title for a in found[:2]] == ["T1", "T2"]
    assert isinstance(found[2], InputError) and "no such file" in found[2].reason


def test_legacy_encodings_are_detected(tmp_path):
    text = "Título\nEl gobierno de España anunció nuevas medidas económicas para el año próximo, según el ministro.\n"
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    [a] = articles(tmp_path / "latin.txt")
    assert "España" in a.text and "próximo" in a.text


def test_standard_input_is_sniffed_as_jsonl():
    out = subprocess.run([sys.executable, "-m", "eventwire.cli", "extract", "-", "--format", "jsonl"],
                         input=json.dumps({"id": "s1", "text": "Peru condemned Chile."}) + "\n",
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["article"]["id"] == "s1"


UNDATED_BODY = ("<p>The ministry of foreign affairs said on Monday that it would summon the ambassador over the "
                "dispute about fishing rights.</p>") * 3


def test_a_year_in_the_text_is_not_a_publication_date(tmp_path):
    path = tmp_path / "undated.html"
    path.write_text(f"<html><head><title>Talks</title></head><body><article><h1>Talks</h1>{UNDATED_BODY}"
                    "<p>The shipyard has been family-run since 1997 and employs many people.</p></article></body></html>")
    [a] = read_paths([str(path)])
    assert a.published is None


def test_a_date_in_the_markup_is_still_read(tmp_path):
    path = tmp_path / "dated.html"
    path.write_text(f'<html><head><meta property="article:published_time" content="2021-09-06T08:00:00Z">'
                    f"</head><body><article>{UNDATED_BODY}<p>Founded in 1997.</p></article></body></html>")
    [a] = read_paths([str(path)])
    assert str(a.published) == "2021-09-06"


# --- encodings, long fields and entries that are not files ---

RECORDS = [{"id": "a", "text": "Le président était déjà à Genève."}, {"id": "b", "text": "Chile praised Peru."}]


def jsonl_text() -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)


def test_latin1_jsonl_keeps_its_accents(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(jsonl_text().encode("latin-1"))
    assert [a.text for a in articles(path)] == [r["text"] for r in RECORDS]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_jsonl_give_one_article_per_record(tmp_path, encoding):
    path = tmp_path / "wide.jsonl"
    path.write_bytes(jsonl_text().encode(encoding))
    found = articles(path)
    assert [(a.origin, a.text) for a in found] == [(f"{path}:1", RECORDS[0]["text"]), (f"{path}:2", RECORDS[1]["text"])]


def test_a_short_latin1_text_file_reads_deja_as_deja(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Titre\nIl était déjà là, à Genève.\n".encode("latin-1"))
    assert articles(path)[0].text == "Titre\nIl était déjà là, à Genève.\n"


def test_cyrillic_in_cp1251_is_not_taken_for_western_text(tmp_path):
    path = tmp_path / "ru.txt"
    text = "Заголовок\nПрезидент России встретился с премьер-министром в Москве.\n"
    path.write_bytes(text.encode("cp1251"))
    assert articles(path)[0].text == text


def test_a_jsonl_id_of_megabytes_is_refused_and_the_file_goes_on(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "x" * 5_000_000, "text": "Chile praised Peru."}) + "\n"
                    + json.dumps({"id": "ok", "text": "Peru thanked Chile."}) + "\n")
    found = articles(path)
    assert isinstance(found[0], InputError) and found[0].reason == "'id' is longer than 8,192 characters"
    assert found[1].id == "ok"


def test_a_broken_link_and_a_pipe_in_a_folder_each_get_their_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Title\nChile praised Peru.\n")
    os.symlink(tmp_path / "gone.txt", folder / "link.txt")
    os.mkfifo(folder / "pipe.txt")
    found = {Path(a.origin).name: a for a in articles(folder)}
    assert set(found) == {"good.txt", "link.txt", "pipe.txt"}
    assert found["link.txt"].reason == "a broken symbolic link (its target does not exist)"
    assert found["pipe.txt"].reason == "not a regular file (a device, pipe or socket)"


# --- .json files: one article, or a list of them, in the field names of news archives ---

def test_a_json_article_with_paragraph_lists_reads_its_title_date_and_body(tmp_path):
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"source": "wire", "title": "Chile and Peru talk", "date": "2019-03-25",
                                "url": "https://example.org/a", "body-paragraphs": [
                                    ["Chile praised Peru on Monday.", "Talks went on."], ["Lima thanked Santiago."]]}))
    [a] = articles(path)
    assert (a.title, str(a.published), a.source, a.url) == ("Chile and Peru talk", "2019-03-25", "wire",
                                                            "https://example.org/a")
    assert a.text == "Chile praised Peru on Monday. Talks went on.\n\nLima thanked Santiago."


def test_a_json_list_gives_one_article_per_object_and_one_error_per_bad_item(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"title": "A", "body": "Chile praised Peru."}, 3, {"title": "no body"}]))
    found = articles(path)
    assert found[0].text == "Chile praised Peru." and found[0].origin == f"{path}:1"
    assert [(e.origin, e.reason) for e in found[1:]] == [
        (f"{path}:2", "a JSON object with a 'text' field is expected"),
        (f"{path}:3", "'text' is missing, empty or not a string")]


def test_a_json_file_that_is_not_json_is_one_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"title": "A", "text": ')
    [e] = articles(path)
    assert isinstance(e, InputError) and e.reason.startswith("not valid JSON")
