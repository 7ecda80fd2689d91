"""RSS and Atom feeds from files and from URLs, against an HTTP server on 127.0.0.1 the test starts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from flashpoint.config import Settings
from flashpoint.errors import ItemError
from flashpoint.ingest import ReadOptions, read_inputs, split_items
from flashpoint.ingest.feeds import html_fragment_text
from flashpoint.records import Article

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://wire.example/</link>
<item><title>Russia masses troops</title>
<link>https://wire.example/world/1?utm_source=rss</link>
<guid isPermaLink="false">wire-1</guid><pubDate>Sat, 15 Mar 2014 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Russia &lt;b&gt;massed&lt;/b&gt; troops
near the border with Ukraine on Saturday.&lt;/p&gt;
&lt;p&gt;The United States threatened sanctions.&lt;/p&gt;</description></item>
<item><title>Kerry meets Lavrov</title><link>https://wire.example/world/2</link>
<pubDate>Fri, 14 Mar 2014 18:00:00 GMT</pubDate>
<description>Secretary of State John Kerry met Sergei Lavrov in London on Friday.</description></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><id>urn:desk:7</id><title>Talks fail</title><updated>2014-03-14T20:00:00Z</updated>
<link href="https://desk.example/7"/>
<summary>Short teaser.</summary>
<content type="html">&lt;p&gt;The talks in London failed, and Ukraine accused Moscow of aggression.&lt;/p&gt;
</content>
</entry></feed>"""
PAGE = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome to our site.</p></body></html>"
TIMEOUT = 0.3  # seconds: the slow route answers after SLOW_SECONDS, well past it
SLOW_SECONDS = 1.0
FAST = ReadOptions(http_timeout=TIMEOUT, http_tries=2, http_backoff=0.01)


class FeedServer(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}  # requests per path, over the module's tests
    agents: ClassVar[list[str]] = []  # the User-Agent of each request

    def do_GET(self) -> None:
        FeedServer.hits[self.path] = FeedServer.hits.get(self.path, 0) + 1
        FeedServer.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, "application/rss+xml", RSS)
        elif self.path == "/flaky" and FeedServer.hits[self.path] == 1:
            self._send(503, "text/plain", b"busy")
        elif self.path in ("/feed.xml", "/flaky"):
            self._send(200, "application/rss+xml; charset=utf-8", RSS)
        elif self.path == "/atom":
            self._send(200, "application/atom+xml", ATOM)
        elif self.path == "/page":
            self._send(200, "text/html; charset=utf-8", PAGE)
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client gave up waiting (the timeout test): nothing left to do

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def read(inputs: list[str], options: ReadOptions = FAST) -> tuple[list[Article], list[ItemError]]:
    return split_items(read_inputs(inputs, Settings(), options=options))


def test_rss_url_gives_one_story_per_entry(server: str) -> None:
    url = f"{server}/feed.xml"
    articles, errors = read([url])
    assert errors == []
    first, second = articles
    assert (first.story_id, first.date, first.title, first.source) == (
        "wire-1",
        "2014-03-15",
        "Russia masses troops",
        "Example Wire",
    )
    assert first.url == "https://wire.example/world/1?utm_source=rss"
    assert first.text == (
        "Russia massed troops near the border with Ukraine on Saturday.\n"
        "The United States threatened sanctions."
    )
    assert (first.location, second.location) == (f"{url}:1", f"{url}:2")
    assert second.story_id == "https://wire.example/world/2"  # no guid: the link


def test_requests_name_flashpoint(server: str) -> None:
    read([f"{server}/atom"])
    assert FeedServer.agents[-1].startswith("flashpoint/")


def test_atom_uses_full_content_over_the_summary(server: str) -> None:
    (article,), errors = read([f"{server}/atom"])
    assert errors == []
    assert article.story_id == "urn:desk:7" and article.date == "2014-03-14"
    assert article.text == "The talks in London failed, and Ukraine accused Moscow of aggression."


def test_timeout_is_retried_then_e018(server: str) -> None:
    started = time.monotonic()
    articles, errors = read([f"{server}/slow", f"{server}/atom"])
    assert len(articles) == 1  # the next input is still read
    ((error),) = errors
    assert error.code == "E018" and "after 2 tries" in error.reason and f"{TIMEOUT:g} s" in error.reason
    assert FeedServer.hits["/slow"] == 2
    assert time.monotonic() - started < 2 * SLOW_SECONDS + 1


def test_a_503_is_retried(server: str) -> None:
    articles, errors = read([f"{server}/flaky"])
    assert errors == [] and len(articles) == 2
    assert FeedServer.hits["/flaky"] == 2


def test_html_page_is_e017_and_404_is_e018_without_retry(server: str) -> None:
    articles, errors = read([f"{server}/page", f"{server}/gone"])
    assert articles == []
    assert [e.code for e in errors] == ["E017", "E018"]
    assert "HTML page" in errors[0].reason and "status 404" in errors[1].reason
    assert FeedServer.hits["/gone"] == 1


def test_nothing_listening_is_e018(tmp_path: Path) -> None:
    articles, errors = read(["http://127.0.0.1:9/feed"], ReadOptions(http_timeout=0.5, http_tries=1))
    assert articles == [] and [e.code for e in errors] == ["E018"]


def test_feed_files(tmp_path: Path) -> None:
    rss = tmp_path / "wire.rss"
    rss.write_bytes(RSS)
    atom = tmp_path / "desk.atom"
    atom.write_bytes(ATOM)
    not_feed = tmp_path / "config.xml"
    not_feed.write_bytes(b"<?xml version='1.0'?><config><option>1</option></config>")
    articles, errors = read([str(rss), str(atom), str(not_feed)])
    assert [a.story_id for a in articles] == ["wire-1", "https://wire.example/world/2", "urn:desk:7"]
    assert [(e.code, e.location) for e in errors] == [("E017", str(not_feed))]


def test_a_cut_feed_keeps_the_entries_before_the_cut(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xml"
    cut.write_bytes(RSS[: RSS.index(b"<item><title>Kerry") + 60])
    articles, errors = read([str(cut)])
    assert [a.story_id for a in articles] == ["wire-1"]  # not the headline of the entry cut in half
    assert [(e.code, e.location) for e in errors] == [("E019", str(cut))]
    assert "after 1 items" in errors[0].reason


def test_html_fragment_text_keeps_paragraphs_apart() -> None:
    assert html_fragment_text("<p>One &amp; two.</p><p>Three<br>four</p>") == "One & two.\nThree\nfour"
    assert html_fragment_text("plain &quot;text&quot;") == 'plain "text"'
    assert html_fragment_text("<p>unclosed <b>tags") == "unclosed tags"
