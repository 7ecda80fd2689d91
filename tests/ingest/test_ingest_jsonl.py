"""JSONL stories: good lines are read, each bad line is reported at file:LINE and the rest go on."""

from __future__ import annotations

import json
from pathlib import Path

from flashpoint.config import Settings
from flashpoint.errors import ItemError
from flashpoint.ingest import read_inputs, split_items

TEXT = "Russian troops moved into Crimea on Saturday, and the United States said it would respond."
OTHER = "Secretary of State John Kerry met Sergei Lavrov in London on Friday, but the talks failed."


def story(story_id: str, text: str = TEXT, **fields: object) -> bytes:
    return (json.dumps({"story_id": story_id, "date": "2014-03-15", "text": text, **fields}) + "\n").encode()


def read(path: Path, default_date: str | None = None) -> tuple[list, list[ItemError]]:
    return split_items(read_inputs([str(path)], Settings(), default_date))


def codes(errors: list[ItemError]) -> list[tuple[str, str]]:
    return [(e.code, e.location) for e in errors]


def test_good_file_yields_articles_in_order(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(story("a") + b"\n" + story("b", OTHER, title="Talks", source="AP", url="http://x"))
    articles, errors = read(path)
    assert errors == []
    assert [a.story_id for a in articles] == ["a", "b"]
    assert (articles[1].title, articles[1].source, articles[1].url) == ("Talks", "AP", "http://x")
    assert articles[1].location == f"{path}:3"


def test_alternative_keys_id_and_published(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    line = {"id": 7, "published": "2014-03-15T09:00:00+00:00", "text": TEXT}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (article,), errors = read(path)
    assert (article.story_id, article.date) == ("7", "2014-03-15")
    assert errors == []


def test_truncated_line_is_e004_and_other_lines_count(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(story("a") + story("b")[:40] + b"\n" + story("c", OTHER))
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["a", "c"]
    assert codes(errors) == [("E004", f"{path}:2")]


def test_truncated_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(story("a") + story("b")[:50])
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["a"]
    assert codes(errors) == [("E004", f"{path}:2")]


def test_invalid_utf8_line_is_e003_with_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    first = story("a")
    bad = story("b").replace(b"Crimea", b"Cr\xffmea")
    path.write_bytes(first + bad + story("c", OTHER))
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["a", "c"]
    assert codes(errors) == [("E003", f"{path}:2")]
    offset = len(first) + bad.index(b"\xff")
    assert f"byte {offset}" in errors[0].reason


def test_line_that_is_not_a_story_object_is_e005(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'["a list"]\n{"story_id": "x", "title": "no text"}\n' + story("c"))
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["c"]
    assert codes(errors) == [("E005", f"{path}:1"), ("E005", f"{path}:2")]


def test_impossible_date_skips_that_story_only(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(story("a") + story("b", date="2014-02-30") + story("c", OTHER))
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["a", "c"]
    assert codes(errors) == [("E007", f"{path}:2")]


def test_missing_date_warns_and_default_date_fills(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"story_id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    (article,), errors = read(path)
    assert article.date is None and codes(errors) == [("E010", f"{path}:1")]
    (article,), errors = read(path, default_date="2014-03-01")
    assert article.date == "2014-03-01" and errors == []


def test_warning_is_yielded_before_its_article(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"story_id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)], Settings()))
    assert [type(i).__name__ for i in items] == ["ItemError", "Article"]


def test_empty_and_blank_files_are_e008(tmp_path: Path) -> None:
    empty, blank = tmp_path / "e.jsonl", tmp_path / "b.jsonl"
    empty.write_bytes(b"")
    blank.write_bytes(b"\n  \n\n")
    articles, errors = split_items(read_inputs([str(empty), str(blank)], Settings()))
    assert articles == []
    assert codes(errors) == [("E008", str(empty)), ("E008", str(blank))]


def test_binary_file_is_e002(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)))
    articles, errors = read(path)
    assert articles == [] and codes(errors) == [("E002", str(path))]


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + story("a"))
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["a"] and errors == []


def test_duplicate_ids_same_text_dropped_silently_different_text_e014(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(story("a") + story("a") + story("a", OTHER) + story("b", OTHER))
    articles, errors = read(path)
    assert [(a.story_id, a.text) for a in articles] == [("a", TEXT), ("b", OTHER)]
    assert codes(errors) == [("E014", f"{path}:3")]


def test_duplicate_ids_are_caught_across_files(tmp_path: Path) -> None:
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    one.write_bytes(story("a"))
    two.write_bytes(story("a", OTHER))
    articles, errors = split_items(read_inputs([str(one), str(two)], Settings()))
    assert [a.location for a in articles] == [f"{one}:1"]
    assert codes(errors) == [("E014", f"{two}:1")]


def test_one_bad_item_of_each_kind_leaves_good_stories(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        story("ok1")
        + story("trunc")[:30]
        + b"\n"
        + story("enc").replace(b"Crimea", b"\xc3\x28")
        + story("date", date="2014-02-30")
        + story("empty", text="")
        + story("fr", text="Le gouvernement a annoncé mardi de nouvelles sanctions contre la Russie à Paris.")
        + story("ok2", OTHER)
    )
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["ok1", "ok2"]
    assert [e.code for e in errors] == ["E004", "E003", "E007", "E006", "E013"]
    assert [e.location for e in errors] == [f"{path}:{n}" for n in range(2, 7)]
