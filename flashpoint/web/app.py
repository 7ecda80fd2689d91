"""The FastAPI application: one read-only database, the /api routes, the dashboard pages.

:func:`create_app` opens the database (FlashpointError E201 when it cannot), learns which codes it
holds, and wires the routes and the one error shape; :func:`serve` runs it with uvicorn, bound to
127.0.0.1 unless told otherwise. The API's reference is served at /openapi.json and drawn by /docs
(a page of our own: FastAPI's default one loads its scripts from a CDN).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from . import api, pages
from .database import ReadOnlyDatabase
from .errors import install_error_handlers
from .filters import EventFilters, Vocabulary
from .queries import dyad_counts
from .series import WARM_DYADS, SeriesService

DEFAULT_HOST = "127.0.0.1"  # local only: the dashboard has no authentication
DEFAULT_PORT = 8000
DESCRIPTION = """PLOVER-coded political events from a flashpoint database, read-only.

Every error is answered as `{"error": {"code", "status", "message", "param"}}` with a numbered code
(E3xx, listed in README.md). Filters name codes the database or flashpoint's actor knowledge knows;
an unknown code is an error, not an empty answer."""


def _store_codes(db: ReadOnlyDatabase) -> tuple[set[str], set[str]]:
    with db.cursor() as con:
        actors = con.execute(
            "SELECT actor_code FROM events WHERE actor_code IS NOT NULL"
            " UNION SELECT recipient_code FROM events WHERE recipient_code IS NOT NULL"
        ).fetchall()
        countries = con.execute(
            "SELECT DISTINCT loc_country FROM events WHERE loc_country IS NOT NULL"
        ).fetchall()
    return {row[0] for row in actors}, {row[0] for row in countries}


def create_app(db_path: str, *, warm: bool = True, user_actors: str = "") -> FastAPI:
    """The app over the database at ``db_path``; ``warm`` computes the busiest series at startup."""
    db = ReadOnlyDatabase(db_path)
    vocabulary = Vocabulary.build(*_store_codes(db), user_actors=user_actors)
    state = api.WebState(db=db, vocabulary=vocabulary, series=SeriesService(db))

    def busiest() -> list[str]:
        with db.cursor() as con:
            return [row["dyad"] for row in dyad_counts(con, EventFilters(), WARM_DYADS)]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            state.series.warm(busiest)
        else:
            state.series.warmed.set()
        yield
        db.close()

    app = FastAPI(
        title="flashpoint",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = state
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app


def serve(db_path: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, user_actors: str = "") -> None:
    """Run the dashboard and API until interrupted."""
    app = create_app(db_path, user_actors=user_actors)
    uvicorn.run(app, host=host, port=port, log_level="info")
