"""Reader options that are not story settings: CSV column mapping, and how feeds are fetched over HTTP.

One frozen :class:`ReadOptions` travels with :class:`~flashpoint.config.Settings` through
:func:`~flashpoint.ingest.read_inputs` to every reader, so a new reader option is one field here, not a
new argument on every function. Command-line values are parsed here too (``--csv-column FIELD=COLUMN``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .. import __version__
from ..errors import FlashpointError

# The Article fields a CSV column can fill, and the header names tried for each when none is given
# (case-insensitive, first match wins): the names common exports (GDELT GKG, news APIs, pandas) use.
CSV_FIELD_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "text": ("text", "body", "content", "article", "story", "full_text"),
        "story_id": ("story_id", "id", "guid", "article_id", "doc_id"),
        "date": ("date", "published", "pubdate", "publish_date", "published_at", "publication_date"),
        "title": ("title", "headline"),
        "source": ("source", "publisher", "outlet", "source_name"),
        "url": ("url", "link", "source_url"),
    }
)
HTTP_TIMEOUT_SECONDS = 20.0  # connect and read; a feed server slower than this is treated as down
HTTP_TRIES = 3  # one try and two retries: rides out a dropped connection or a brief 503
HTTP_BACKOFF_SECONDS = 1.0  # wait before retry n is BACKOFF * 2**(n-1): 1 s, 2 s
HTTP_MAX_BYTES = 32 << 20  # 32 MiB: far above any real feed, stops a runaway download
USER_AGENT = f"flashpoint/{__version__} (PLOVER event coder; +https://github.com/openeventdata/PLOVER)"


@dataclass(frozen=True)
class ReadOptions:
    """How readers find fields and fetch URLs. The defaults suit ordinary inputs."""

    csv_columns: Mapping[str, str] = field(default_factory=dict)  # Article field -> CSV header name
    http_timeout: float = HTTP_TIMEOUT_SECONDS
    http_tries: int = HTTP_TRIES
    http_backoff: float = HTTP_BACKOFF_SECONDS
    http_max_bytes: int = HTTP_MAX_BYTES
    user_agent: str = USER_AGENT


def parse_csv_columns(values: Iterable[str]) -> dict[str, str]:
    """``["text=body", "date=pubdate"]`` → ``{"text": "body", "date": "pubdate"}``; else E106."""
    mapping: dict[str, str] = {}
    for value in values:
        name, sep, column = value.partition("=")
        name = name.strip().lower()
        if not sep or name not in CSV_FIELD_COLUMNS or not column.strip():
            raise FlashpointError("E106", value=value, fields=", ".join(CSV_FIELD_COLUMNS))
        mapping[name] = column.strip()
    return mapping
