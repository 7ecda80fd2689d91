"""An article's identity in the store: its normalised URL, or else a hash of its text.

Two copies of one article — the same page fetched from two feeds, once with ``?utm_source=rss``, once
over http and once over https — have one identity, so ingesting either adds nothing the second time.
URL normalisation keeps what names the page and drops what does not: the scheme (http = https), a
leading ``www.``, the default port, the fragment, tracking parameters, the order of the other query
parameters and a trailing slash. A URL that names a whole site (no path, no query: ``https://bbc.com/``)
is no article's identity — feeds and CSV exports often put the outlet's home page there — and neither is
anything that is not http(s); those articles are identified by their text.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

URL_PREFIX = "url:"
TEXT_PREFIX = "text:"
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that track the click, not the page (Google Analytics, Facebook, Mailchimp, ...).
TRACKING_PREFIXES = (
    "utm_",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "ocid",
)


def text_hash(text: str) -> str:
    """The identity of an article's text: same hash, same article, nothing new to store."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_url(url: str) -> str | None:
    """``https://www.Example.com:443/a/b/?utm_source=x&b=2&a=1#top`` → ``example.com/a/b?a=1&b=2``;
    None for a URL that names no particular page (see the module docstring)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return None
    host = host.removeprefix("www.")
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(TRACKING_PREFIXES)
    )
    if not path and not query:
        return None
    return host + path + (f"?{urlencode(query)}" if query else "")


def article_identity(url: str, text: str) -> str:
    """``url:<normalised url>`` when the URL names a page, else ``text:<sha256 of the text>``."""
    normalised = normalise_url(url) if url else None
    return URL_PREFIX + normalised if normalised else TEXT_PREFIX + text_hash(text)
