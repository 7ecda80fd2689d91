"""WARC archives: HTML responses become stories, everything else is passed over, damage is E019."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flashpoint.config import Settings
from flashpoint.errors import ItemError
from flashpoint.ingest import read_inputs, split_items
from flashpoint.records import Article


def page(title: str, body: str, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    ).encode()


BODY_1 = (
    "Secretary of State John Kerry met the Russian foreign minister, Sergei Lavrov, in London on Friday "
    "to discuss the crisis in Ukraine, and the talks ended without an agreement."
)
BODY_2 = (
    "Ukraine accused Moscow of sending more troops into Crimea on Saturday, and the United States said "
    "it would impose sanctions if Russia annexed the peninsula after the referendum."
)
RECORDS = [
    (
        "http://news.example/world/talks",
        "200 OK",
        "text/html; charset=utf-8",
        page("Talks fail", BODY_1, "2014-03-14"),
    ),
    ("http://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("http://news.example/old", "301 Moved Permanently", "text/html", b"<html>moved</html>"),
    ("http://news.example/world/crimea", "200 OK", "text/html", page("Crimea", BODY_2)),
    (
        "http://news.example/empty",
        "200 OK",
        "text/html",
        b"<html><head><title>x</title></head><body></body></html>",
    ),
]


def write_warc(path: Path, gzip: bool, records: list[tuple[str, str, str, bytes]] = RECORDS) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for uri, status, content_type, payload in records:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(payload),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2014-03-16T08:00:00Z"},
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def read(path: Path) -> tuple[list[Article], list[ItemError]]:
    return split_items(read_inputs([str(path)], Settings()))


@pytest.mark.parametrize("name, gzip", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_become_stories(tmp_path: Path, name: str, gzip: bool) -> None:
    path = tmp_path / name
    write_warc(path, gzip)
    articles, errors = read(path)
    assert [a.story_id for a in articles] == [
        "http://news.example/world/talks",
        "http://news.example/world/crimea",
    ]
    talks, crimea = articles
    assert talks.url == "http://news.example/world/talks" and talks.date == "2014-03-14"
    assert crimea.date == "2014-03-16"  # no date in the page: the capture date
    assert BODY_1 in talks.text and "Home" not in talks.text
    assert (talks.location, crimea.location) == (f"{path}:1", f"{path}:4")
    assert [(e.code, e.location) for e in errors] == [("E006", f"{path}:5")]


@pytest.mark.parametrize("gzip", [True, False])
def test_a_cut_archive_keeps_the_pages_before_the_cut(tmp_path: Path, gzip: bool) -> None:
    whole = tmp_path / "whole.warc"
    data = write_warc(whole, gzip, RECORDS[:1] + RECORDS[3:4])
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[: len(data) - 200])
    articles, errors = read(cut)
    assert [a.story_id for a in articles] == ["http://news.example/world/talks"]
    assert [(e.code, e.location) for e in errors] == [("E019", str(cut))]


def test_not_a_warc_and_an_empty_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a web archive\n" * 10)
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    _, errors = split_items(read_inputs([str(junk), str(empty)], Settings()))
    assert [(e.code, e.location) for e in errors] == [("E019", str(junk)), ("E008", str(empty))]


def test_a_folder_reads_every_format(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz", gzip=True, records=RECORDS[:1])
    (tmp_path / "wire.rss").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><guid>w1</guid>'
        b"<description>Ukraine accused Moscow of aggression on Sunday.</description></item></channel></rss>"
    )
    (tmp_path / "rows.csv").write_text(
        "id,date,text\nc1,2014-03-15,Kerry met Lavrov in London.\n", encoding="utf-8"
    )
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    articles, errors = split_items(read_inputs([str(tmp_path)], Settings()))
    assert sorted(a.story_id for a in articles) == ["c1", "http://news.example/world/talks", "w1"]
    assert [(e.code, e.location) for e in errors if not e.is_warning] == [
        ("E012", str(tmp_path / "notes.docx"))
    ]
    assert ".warc.gz" in next(e.reason for e in errors if e.code == "E012")  # the message lists the new types
