"""The DuckDB store: schema, idempotent per-article writes, runs and rejects, queries and exports.

``Store(path)`` is the entry point; :mod:`.identity` says when two articles are one (normalised URL,
else text hash), :mod:`.writes` decides what a batch adds, :mod:`.rows` converts records to rows and
back without a database, :mod:`.queries` holds read-only queries usable on any connection, and
:mod:`.export` writes PLOVER JSONL, CSV, Parquet and GDELT-style TSV (:mod:`.gdelt`).
"""

from __future__ import annotations

from .database import Store, new_run_id
from .identity import article_identity, normalise_url
from .rows import event_record, event_row, text_hash
from .schema import SCHEMA_VERSION
from .writes import BatchOutcome, Verdict

__all__ = [
    "SCHEMA_VERSION",
    "BatchOutcome",
    "Store",
    "Verdict",
    "article_identity",
    "event_record",
    "event_row",
    "new_run_id",
    "normalise_url",
    "text_hash",
]
