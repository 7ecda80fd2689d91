"""RSS and Atom feeds, from a file (.rss, .atom, .xml) or a URL: one story per entry.

feedparser reads the feed; each entry's text is its full content where the feed carries it, else its
summary, turned from HTML into plain text (paragraphs kept apart); an entry with neither is its headline.
The story id is the entry's id (guid), else its link; the date is its published (else updated) date. A
document that is not a feed — an HTML page, a JSON error — is E017; a feed cut off or broken part-way
yields the entries before the break (not the one at the break, which may be cut short) and one E019.
Locations are ``feed:N``, N the entry number.
"""

from __future__ import annotations

import html as html_entities
import re
import time
import xml.sax
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.html
from lxml import etree

from ..errors import ItemError
from .decode import is_binary
from .fetch import fetch
from .options import ReadOptions
from .story import RawStory

FEED_SUFFIXES = (".rss", ".atom", ".xml")
# Elements after which a line break separates text when an entry's HTML is flattened.
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre")
HTML_SNIFF_CHARS = 512  # enough of a document's start to see "<!DOCTYPE html" or "<html"
BLOCK_BREAK = "\ue000"  # marks the end of a block while the text is flattened (a private-use character)
_SPACES = re.compile(r"\s+")


def html_fragment_text(value: str) -> str:
    """Plain text of an HTML fragment (an entry's summary or content), one line per block element."""
    if "<" not in value:
        return html_entities.unescape(value).strip()
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return html_entities.unescape(re.sub(r"<[^>]*>", " ", value)).strip()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = BLOCK_BREAK + (element.tail or "")
    # Line breaks in the source are spaces, as a browser shows them; block elements end lines.
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split(BLOCK_BREAK))
    return "\n".join(line for line in lines if line)


def _what_it_is(data: bytes, content_type: str) -> str:
    start = data[:HTML_SNIFF_CHARS].lstrip().lower()
    if "html" in content_type or start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if not start:
        return "empty"
    return f"a {content_type} document" if content_type else "not XML"


def _entry_date(entry: feedparser.FeedParserDict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _entry_text(entry: feedparser.FeedParserDict) -> str:
    candidates = [part.get("value", "") for part in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    longest = max(candidates, key=len)
    return html_fragment_text(longest) if longest.strip() else ""


def stories_from_feed(data: bytes, name: str, content_type: str = "") -> Iterator[RawStory | ItemError]:
    """The stories in a feed document's bytes; ``name`` (file or URL) prefixes every location."""
    if is_binary(data[:HTML_SNIFF_CHARS]):
        yield ItemError.make("E002", name)
        return
    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        yield ItemError.make("E017", name, got=_what_it_is(data, content_type))
        return
    source = parsed.feed.get("title", "")
    damage = parsed.get("bozo_exception") if parsed.get("bozo") else None
    broken = isinstance(damage, xml.sax.SAXException)
    entries = parsed.entries[:-1] if broken else parsed.entries  # the entry at the break may be cut short
    for number, entry in enumerate(entries, start=1):
        text = _entry_text(entry) or entry.get("title", "")
        yield RawStory(
            location=f"{name}:{number}",
            text=text,
            story_id=entry.get("id") or entry.get("link") or None,
            date=_entry_date(entry),
            title=entry.get("title", ""),
            source=source,
            url=entry.get("link", ""),
        )
    if broken:
        yield ItemError.make("E019", name, count=len(entries), detail=damage)
    elif not entries:
        yield ItemError.make("E008", name)


def read_feed_file(path: Path, name: str) -> Iterator[RawStory | ItemError]:
    try:
        data = path.read_bytes()
    except OSError as err:
        yield ItemError.make("E001", name, detail=err.strerror or err)
        return
    if not data.strip():
        yield ItemError.make("E008", name)
        return
    yield from stories_from_feed(data, name)


def read_feed_url(url: str, options: ReadOptions) -> Iterator[RawStory | ItemError]:
    """Fetch a feed (E018 when the server cannot be reached) and yield its stories."""
    fetched = fetch(url, options)
    if isinstance(fetched, ItemError):
        yield fetched
        return
    yield from stories_from_feed(fetched.content, url, fetched.content_type)
