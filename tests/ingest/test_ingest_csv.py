"""CSV and TSV stories: header names, the --csv-column mapping, and one error per bad row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from flashpoint.config import Settings
from flashpoint.errors import FlashpointError, ItemError
from flashpoint.ingest import ReadOptions, parse_csv_columns, read_inputs, split_items
from flashpoint.records import Article

TEXT_A = "Russian troops moved into Crimea on Saturday, and the United States said it would respond."
TEXT_B = "Secretary of State John Kerry met Sergei Lavrov in London on Friday, but the talks failed."


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def read(
    path: Path, options: ReadOptions | None = None, **settings: object
) -> tuple[list[Article], list[ItemError]]:
    return split_items(read_inputs([str(path)], Settings(**settings), options=options))  # type: ignore[arg-type]


def test_header_names_are_found_case_insensitively(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "news.csv",
        [
            ["GUID", "Headline", "Body", "Published", "Link", "Publisher"],
            ["a1", "Crimea", TEXT_A, "2014-03-15T10:00:00Z", "https://x.example/a1", "AP"],
            ["a2", "Talks", TEXT_B, "2014-03-14", "", ""],
        ],
    )
    articles, errors = read(path)
    assert errors == []
    first, second = articles
    assert (first.story_id, first.title, first.text, first.date, first.url, first.source) == (
        "a1",
        "Crimea",
        TEXT_A,
        "2014-03-15",
        "https://x.example/a1",
        "AP",
    )
    assert (first.location, second.location) == (f"{path}:2", f"{path}:3")


def test_explicit_column_mapping_wins(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        [["text", "full_story", "when"], ["a short teaser", TEXT_A, "2014-03-15"]],
    )
    options = ReadOptions(csv_columns=parse_csv_columns(["text=full_story", "date=when"]))
    (article,), errors = read(path, options)
    assert errors == [] and article.text == TEXT_A and article.date == "2014-03-15"
    assert article.story_id.startswith("sha1-")  # no id column: the content hash


def test_tsv_and_multiline_quoted_fields(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "news.tsv",
        [["id", "text"], ["m1", TEXT_A + "\n\n" + TEXT_B], ["m2", TEXT_B]],
        delimiter="\t",
    )
    articles, errors = read(path)
    assert {e.code for e in errors} == {"E010"}  # no date column: warned, still read
    assert [a.story_id for a in articles] == ["m1", "m2"]
    assert articles[0].text == TEXT_A + "\n\n" + TEXT_B
    assert articles[1].location == f"{path}:5"  # the row starts on line 5: the first spans lines 2-4


def test_no_text_column_is_e015(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", [["id", "summary"], ["1", TEXT_A]])
    articles, errors = read(path)
    assert articles == [] and [(e.code, e.location) for e in errors] == [("E015", str(path))]
    assert "--csv-column text=COLUMN" in errors[0].reason


def test_bad_rows_cost_only_themselves(tmp_path: Path) -> None:
    good = f"g1,2014-03-15,{TEXT_A.replace(',', ' ')}\n".encode()
    rows = [
        b"id,date,text\n",
        good,  # line 2
        b"g2,2014-02-30,Kerry met Lavrov.\n",  # line 3: impossible date
        b"g3,2014-03-15,Caf\xe9 owners protested in Kyiv.\n",  # line 4: not UTF-8
        b"g4\n",  # line 5: no text field
        f"g5,2014-03-16,{TEXT_B.replace(',', ' ')}\n".encode(),  # line 6
        b'g6,2014-03-16,"Russia rejected the ultimatum and',  # line 7: quote left open by truncation
    ]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(rows))
    articles, errors = read(path)
    assert [a.story_id for a in articles] == ["g1", "g5"]
    assert [(e.code, e.location) for e in errors] == [
        ("E007", f"{path}:3"),
        ("E003", f"{path}:4"),
        ("E016", f"{path}:5"),
        ("E016", f"{path}:7"),
    ]
    assert "byte" in errors[1].reason


def test_huge_field_is_cut_with_a_warning(tmp_path: Path) -> None:
    huge = (TEXT_A + " ") * 5_000  # ~455k characters: over the csv module's default field limit too
    path = write_csv(tmp_path / "big.csv", [["id", "date", "text"], ["big", "2014-03-15", huge]])
    (article,), errors = read(path, max_chars=10_000)
    assert len(article.text) == 10_000
    assert [e.code for e in errors] == ["E009"] and str(len(huge)) in errors[0].reason


def test_binary_and_empty_files(tmp_path: Path) -> None:
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    header_only = write_csv(tmp_path / "header.csv", [["id", "text"]])
    _, errors = split_items(read_inputs([str(binary), str(empty), str(header_only)], Settings()))
    assert [(e.code, e.location) for e in errors] == [
        ("E002", str(binary)),
        ("E008", str(empty)),
        ("E008", str(header_only)),
    ]


@pytest.mark.parametrize("value", ["text", "body=text", "text=", "=body"])
def test_bad_column_mapping_is_e106(value: str) -> None:
    with pytest.raises(FlashpointError) as err:
        parse_csv_columns([value])
    assert err.value.code == "E106"
