"""Text, HTML, folders, stdin and the dispatcher's handling of INPUT arguments."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashpoint.config import Settings
from flashpoint.errors import FlashpointError, ItemError
from flashpoint.ingest import iter_sources, read_inputs, split_items
from flashpoint.records import Article

TEXT = "Russian troops moved into Crimea on Saturday, and the United States said it would respond."
OTHER = "Secretary of State John Kerry met Sergei Lavrov in London on Friday, but the talks failed."
PAGE = """<html><head><title>Talks fail in London</title>
<meta property="article:published_time" content="2014-03-14T18:00:00Z">
<meta property="og:site_name" content="Example News"></head>
<body><nav>Home | World | Sport</nav><article><h1>Talks fail in London</h1>
<p>Secretary of State John Kerry met the Russian foreign minister, Sergei Lavrov, in London on Friday
to discuss the crisis in Ukraine. The talks lasted six hours and ended without an agreement.</p>
<p>The United States said it would impose sanctions if Russia annexed Crimea after the referendum.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def read(inputs: list[str], **kwargs: object) -> tuple[list[Article], list[ItemError]]:
    return split_items(read_inputs(inputs, Settings(), **kwargs))  # type: ignore[arg-type]


def codes(errors: list[ItemError]) -> list[tuple[str, str]]:
    return [(e.code, e.location) for e in errors]


# -- text ---------------------------------------------------------------------------------------
def test_text_file_is_one_story_with_content_hash_and_default_date(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(TEXT + "\n\n" + OTHER + "\n", encoding="utf-8")
    (article,), errors = read([str(path)], default_date="2014-03-15")
    assert errors == []
    assert article.text.startswith(TEXT) and OTHER in article.text
    assert article.story_id == Article.content_id(article.text)
    assert (article.date, article.location) == ("2014-03-15", str(path))


def test_text_file_without_date_warns_e010(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    (article,), errors = read([str(path)])
    assert article.date is None and codes(errors) == [("E010", str(path))]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "E008"), (b" \n\t\n", "E008"), (b"%PDF-1.4\x00\x01\x02", "E002"), (b"caf\xe9 au lait", "E003")],
)
def test_bad_text_files(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    articles, errors = read([str(path)], default_date="2014-03-15")
    assert articles == [] and codes(errors) == [(code, str(path))]


def test_invalid_utf8_offset_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(TEXT.encode() + b" \xff")
    _, (error,) = read([str(path)], default_date="2014-03-15")
    assert error.code == "E003" and f"byte {len(TEXT) + 1}" in error.reason


def test_huge_text_file_is_cut_and_warns_with_full_length(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    text = (TEXT + " ") * 50
    path.write_text(text, encoding="utf-8")
    settings = Settings(max_chars=200)
    articles, errors = split_items(read_inputs([str(path)], settings, "2014-03-15"))
    assert [len(a.text) for a in articles] == [200]
    assert [e.code for e in errors] == ["E009"] and str(len(text)) in errors[0].reason


# -- html ---------------------------------------------------------------------------------------
def test_html_main_text_title_and_metadata_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (article,), errors = read([str(path)], default_date="2000-01-01")
    assert errors == []
    assert article.title == "Talks fail in London"
    assert article.date == "2014-03-14"
    assert article.source == "Example News"
    assert "Kerry met the Russian foreign minister" in article.text
    assert "Copyright" not in article.text and "Sport" not in article.text


def test_html_without_date_metadata_uses_default_date_not_body_text(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    page = PAGE.replace('<meta property="article:published_time" content="2014-03-14T18:00:00Z">', "")
    path.write_text(page.replace("on Friday", "on 14 March 2014"), encoding="utf-8")
    (article,), _ = read([str(path)], default_date="2014-03-20")
    assert article.date == "2014-03-20"


def test_html_in_declared_latin1_is_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace("Kerry", "Kérry")
    path.write_bytes(page.encode("latin-1"))
    (article,), _ = read([str(path)])
    assert "Kérry" in article.text


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E008"),
        (b"<html><body><img src='a.png'></body></html>", "E006"),
        (b"<html>\x00\x00</html>", "E002"),
    ],
)
def test_bad_html_files(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    articles, errors = read([str(path)])
    assert articles == [] and codes(errors) == [(code, str(path))]


# -- folders and arguments ----------------------------------------------------------------------
def make_corpus(root: Path) -> None:
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "b" / "deep" / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "b" / "stories.jsonl").write_text(
        json.dumps({"id": "j1", "text": OTHER}) + "\n", encoding="utf-8"
    )
    (root / "b" / "notes.pdf").write_bytes(b"%PDF")
    (root / "c.pdf").write_bytes(b"%PDF")
    (root / "c.docx").write_bytes(b"PK")
    (root / ".hidden.txt").write_text(TEXT + " hidden", encoding="utf-8")
    (root / ".git" / "config.txt").write_text(OTHER + " git", encoding="utf-8")


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    articles, errors = read([str(tmp_path)], default_date="2014-03-15")
    assert [a.story_id for a in articles] == ["a.txt", "b/deep/page.html", "j1"]
    assert [a.location for a in articles] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "deep" / "page.html"),
        f"{tmp_path / 'b' / 'stories.jsonl'}:1",
    ]
    assert all("hidden" not in a.text and " git" not in a.text for a in articles)
    # one E012 per unsupported suffix, at the first file that has it
    assert codes(errors) == [("E012", str(tmp_path / "b" / "notes.pdf")), ("E012", str(tmp_path / "c.docx"))]


def test_folder_story_ids_are_relative_to_the_argument(tmp_path: Path) -> None:
    make_corpus(tmp_path / "corpus")
    articles, _ = read([str(tmp_path / "corpus" / "b")], default_date="2014-03-15")
    assert [a.story_id for a in articles] == ["deep/page.html", "j1"]


def test_missing_path_e011_and_unsupported_file_e012(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF")
    articles, errors = read(
        [str(tmp_path / "nope.jsonl"), str(tmp_path / "doc.pdf"), str(good)], default_date="2014-03-15"
    )
    assert len(articles) == 1
    assert codes(errors) == [("E011", str(tmp_path / "nope.jsonl")), ("E012", str(tmp_path / "doc.pdf"))]
    assert "'.pdf'" in errors[1].reason


def test_unreadable_file_is_e001(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        if _can_read(path):
            pytest.skip("running as a user who can read any file")
        _, errors = read([str(path)])
        assert codes(errors) == [("E001", str(path))]
    finally:
        path.chmod(0o644)


def test_read_failure_is_e001(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    _, errors = read([str(path)])
    assert codes(errors) == [("E001", str(path))] and "Permission denied" in errors[0].reason


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_bad_default_date_raises_before_reading() -> None:
    with pytest.raises(FlashpointError) as err:
        read_inputs(["does-not-matter"], Settings(), "2014-02-30")
    assert err.value.code == "E104"


def test_sources_list_files_for_parallel_runners(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    names = [s.story_id for s in iter_sources([str(tmp_path)]) if not isinstance(s, ItemError)]
    assert names == ["a.txt", "b/deep/page.html", "b/stories.jsonl"]


def test_reading_streams_one_input_at_a_time(tmp_path: Path) -> None:
    first = tmp_path / "1.jsonl"
    first.write_text(json.dumps({"id": "x", "date": "2014-03-15", "text": TEXT}) + "\n", encoding="utf-8")

    def arguments() -> Iterator[str]:
        yield str(first)
        raise RuntimeError("the second argument was requested too early")

    items = read_inputs(arguments(), Settings())
    assert isinstance(next(items), Article)
    with pytest.raises(RuntimeError):
        next(items)


# -- stdin --------------------------------------------------------------------------------------
def test_stdin_jsonl(tmp_path: Path) -> None:
    data = (
        json.dumps({"id": "s1", "date": "2014-03-15", "text": TEXT}) + "\n\n" + '{"id": "s2", "te\n'
    ).encode()
    articles, errors = read(["-"], stdin=io.BytesIO(data))
    assert [a.story_id for a in articles] == ["s1"]
    assert [a.location for a in articles] == ["<stdin>:1"]
    assert codes(errors) == [("E004", "<stdin>:3")]


def test_stdin_text_when_any_line_is_not_json() -> None:
    data = ("{braces} first\n" + TEXT + "\n").encode()
    (article,), errors = read(["-"], stdin=io.BytesIO(data), default_date="2014-03-15")
    assert article.text == data.decode()
    assert article.story_id == Article.content_id(article.text)
    assert errors == []


@pytest.mark.parametrize(("data", "code"), [(b"", "E008"), (b"\n\n", "E008"), (b"abc\x00def", "E002")])
def test_bad_stdin(data: bytes, code: str) -> None:
    articles, errors = read(["-"], stdin=io.BytesIO(data))
    assert articles == [] and codes(errors) == [(code, "<stdin>")]


@pytest.mark.parametrize("chunk_bytes", [1, 3, 7, 1 << 20])
def test_stdin_detection_does_not_depend_on_chunk_boundaries(
    monkeypatch: pytest.MonkeyPatch, chunk_bytes: int
) -> None:
    monkeypatch.setattr("flashpoint.ingest.decode.CHUNK_BYTES", chunk_bytes)
    line = json.dumps({"id": "s1", "date": "2014-03-15", "text": TEXT})
    jsonl = ("\ufeff" + line + "\n   \n  " + line.replace("s1", "s2") + "\n").encode()
    articles, errors = read(["-"], stdin=io.BytesIO(jsonl))
    assert [a.story_id for a in articles] == ["s1", "s2"] and errors == []
    text = (line + "\n  " + TEXT + "\n").encode()
    (article,), errors = read(["-"], stdin=io.BytesIO(text), default_date="2014-03-15")
    assert article.text == text.decode() and errors == []
