"""HTTP for feed URLs: the one place flashpoint goes on the network, and only when given a URL.

Every request names flashpoint in its User-Agent, has a timeout, is retried with exponential backoff
on a timeout, a dropped connection, 429 or a 5xx answer, and stops reading at ``http_max_bytes``. A URL
that still fails is one E018 item error; nothing raises.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from ..errors import ItemError
from .options import ReadOptions

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})  # the server may answer on a later try


@dataclass(frozen=True)
class Fetched:
    """A successful answer: the body and its declared content type (lower case, no parameters)."""

    url: str
    content: bytes
    content_type: str


def _get(client: httpx.Client, url: str, max_bytes: int) -> tuple[int, str, bytes]:
    with client.stream("GET", url) as response:
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                break  # cut: the feed parser reports what it can read of the start
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return response.status_code, content_type, bytes(body[:max_bytes])


def fetch(url: str, options: ReadOptions) -> Fetched | ItemError:
    """GET ``url`` with retries; the body, or E018 naming the last problem."""
    headers = {"User-Agent": options.user_agent, "Accept": "application/rss+xml, application/atom+xml, */*"}
    tries = max(1, options.http_tries)
    detail = "no answer"
    with httpx.Client(timeout=options.http_timeout, headers=headers, follow_redirects=True) as client:
        for attempt in range(1, tries + 1):
            if attempt > 1:
                time.sleep(options.http_backoff * 2 ** (attempt - 2))
            try:
                status, content_type, body = _get(client, url, options.http_max_bytes)
            except httpx.TimeoutException:
                detail = f"no answer within {options.http_timeout:g} s"
                continue
            except httpx.HTTPError as err:
                detail = f"{type(err).__name__}: {err}"
                continue
            if status < 400:
                return Fetched(url, body, content_type)
            detail = f"HTTP status {status}"
            if status not in RETRY_STATUSES:
                return ItemError.make("E018", url, url=url, tries=attempt, detail=detail)
    return ItemError.make("E018", url, url=url, tries=tries, detail=detail)
