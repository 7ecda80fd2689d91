"""HTML pages: trafilatura extracts the main text, and the title and publication date from the page's
metadata only (never guessed from the body text, which would date a story by the events it mentions).

Pages are handed to trafilatura as bytes so it can honour the page's declared encoding; a page
without usable main text is E006.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..errors import ItemError
from .decode import is_binary
from .story import RawStory

# Metadata only: extensive_search would fall back to dates written in the article body.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_html(data: bytes, name: str, story_id: str | None) -> RawStory | ItemError:
    """One story from the bytes of an HTML page."""
    import trafilatura  # deferred: a heavy import that only HTML inputs need

    if not data.strip():
        return ItemError.make("E008", name)
    if is_binary(data):
        return ItemError.make("E002", name)
    try:
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, date_extraction_params=DATE_PARAMS
        )
    except (ValueError, LookupError, etree.LxmlError) as err:
        return ItemError.make("E001", name, detail=f"HTML could not be parsed ({err})")
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        return ItemError.make("E006", name)
    return RawStory(
        location=name,
        text=text,
        story_id=story_id,
        date=getattr(doc, "date", None),
        title=getattr(doc, "title", None) or "",
        source=getattr(doc, "sitename", None) or "",
        url=getattr(doc, "url", None) or "",
    )


def read_html(path: Path, name: str, story_id: str | None) -> Iterator[RawStory | ItemError]:
    try:
        data = path.read_bytes()
    except OSError as err:
        yield ItemError.make("E001", name, detail=err.strerror or err)
        return
    yield extract_html(data, name, story_id)
