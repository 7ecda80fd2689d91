"""Turn one story as a reader found it (:class:`RawStory`) into an :class:`Article`, or say why not.

Every reader (JSONL, CSV, text, HTML, RSS/Atom, WARC) only finds the fields and where they came
from; the checks every story gets — date form (E007), text present (E005/E006), length (E009), date
missing (E010), language (E013) — live here once, so a new reader cannot forget one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

from ..config import Settings
from ..errors import FlashpointError, ItemError
from ..records import Article
from .language import looks_english

# "2014-03-15", or an ISO datetime such as "2014-03-15T10:00:00Z" / "2014-03-15 10:00" (date part kept).
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\S.*)?$")


@dataclass
class RawStory:
    """A story's fields as read, not yet checked. ``full_length`` is set when the reader already cut
    an oversized text (so E009 can report the real size without holding it all)."""

    location: str
    text: object
    story_id: object = None
    date: object = None
    title: object = ""
    source: object = ""
    url: object = ""
    full_length: int | None = None


@dataclass
class CheckedStory:
    """The outcome for one story: the article (None when skipped) and everything reported about it."""

    article: Article | None
    problems: list[ItemError] = field(default_factory=list)


class InvalidDate(ValueError):
    """A date value that is present but not a real YYYY-MM-DD calendar date."""


def normalize_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from a date or ISO datetime string; None when empty; InvalidDate otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    match = _ISO_DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise InvalidDate(value)
    try:
        return Date.fromisoformat(match.group(1)).isoformat()
    except ValueError as err:
        raise InvalidDate(value) from err


def check_default_date(default_date: str | None) -> str | None:
    """Validate the caller's fallback date up front: a bad one is a usage error, not a bad item."""
    try:
        return normalize_date(default_date)
    except InvalidDate as err:
        raise FlashpointError("E104", value=default_date) from err


def _as_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def check_story(raw: RawStory, settings: Settings, default_date: str | None = None) -> CheckedStory:
    """Run every per-story check on ``raw``; ``default_date`` must already be normalised."""
    where = raw.location
    if not isinstance(raw.text, str):
        return CheckedStory(None, [ItemError.make("E005", where)])
    if not raw.text.strip():
        return CheckedStory(None, [ItemError.make("E006", where)])
    try:
        story_date = normalize_date(raw.date)
    except InvalidDate:
        return CheckedStory(None, [ItemError.make("E007", where, value=raw.date)])

    problems: list[ItemError] = []
    text = raw.text
    size = raw.full_length if raw.full_length is not None else len(text)
    if size > settings.max_chars:
        problems.append(ItemError.make("E009", where, size=size, limit=settings.max_chars))
        text = text[: settings.max_chars]
    if not looks_english(text, settings.min_english_ratio):
        return CheckedStory(None, [ItemError.make("E013", where)])
    if story_date is None:
        story_date = default_date
    if story_date is None:
        problems.append(ItemError.make("E010", where))

    story_id = _as_text(raw.story_id) or Article.content_id(text)
    article = Article(
        story_id=story_id,
        text=text,
        date=story_date,
        title=_as_text(raw.title),
        source=_as_text(raw.source),
        url=_as_text(raw.url),
        location=where,
    )
    return CheckedStory(article, problems)


def article_from_text(
    text: str,
    settings: Settings,
    date: str | None = None,
    story_id: str | None = None,
    location: str = "<text>",
) -> CheckedStory:
    """The same checks for a story given as a string (the CLI's literal TEXT argument, the Python API)."""
    return check_story(RawStory(location, text, story_id=story_id), settings, check_default_date(date))
