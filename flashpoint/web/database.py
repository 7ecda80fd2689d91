"""The web layer's read-only view of a flashpoint database.

The store file is ATTACHed READ_ONLY to an in-memory DuckDB, and plain views named like the store's
tables (``events``, ``articles``, ...) make the usual unqualified SQL work on it, so the analysis
functions run unchanged. Writes to the store fail inside DuckDB itself, and once attached, external
access (ATTACH, COPY, reading files) is switched off for the rest of the process. Read-side helpers
(the key table of :mod:`.keys`) are built in the in-memory database and never touch the store file.
Each request takes its own cursor; DuckDB runs cursors of one database concurrently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..errors import FlashpointError
from ..store.queries import TABLE_NAMES
from .keys import build_event_keys

STORE_ALIAS = "store"  # the attached store file's catalogue name


class ReadOnlyDatabase:
    """One open store file, read-only. FlashpointError E201 when it cannot be opened or is no store."""

    def __init__(self, path: str) -> None:
        self.path = path
        if not Path(path).is_file():
            raise FlashpointError("E201", path=path, detail="no such file; ingest stories into it first")
        self._con = duckdb.connect(":memory:")
        try:
            self._attach(path)
        except duckdb.Error as err:
            self._con.close()
            raise FlashpointError("E201", path=path, detail=err) from err
        except FlashpointError:
            self._con.close()
            raise

    def _attach(self, path: str) -> None:
        self._con.execute(f"ATTACH ? AS {STORE_ALIAS} (READ_ONLY)", [path])
        present = {
            row[0]
            for row in self._con.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_catalog = ? AND table_schema = 'main'",
                [STORE_ALIAS],
            ).fetchall()
        }
        missing = [name for name in TABLE_NAMES if name not in present]
        if missing:
            raise FlashpointError(
                "E201", path=path, detail=f"not a flashpoint database (no {', '.join(missing)} table)"
            )
        for name in sorted(present):  # every store table and view, under its own name
            self._con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM {STORE_ALIAS}.main."{name}"')
        build_event_keys(self._con)
        # From here on no query can reach another file, whatever it says.
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request (or one thread)."""
        cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        self._con.close()
