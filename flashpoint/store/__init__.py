"""The DuckDB store: schema, idempotent per-article writes, runs and rejects, and the basic queries.

``Store(path)`` is the entry point; :mod:`.rows` converts records to rows and back without a
database, :mod:`.queries` holds read-only queries usable on any connection.
"""

from __future__ import annotations

from .database import Store, new_run_id
from .rows import event_record, event_row, text_hash
from .schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Store", "event_record", "event_row", "new_run_id", "text_hash"]
