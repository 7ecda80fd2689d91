"""The dashboard and REST API over a flashpoint database (`flashpoint serve`).

``create_app(db_path)`` builds the FastAPI application over a read-only database; ``serve`` runs it.
The package's boundary: it reads the store and calls :mod:`flashpoint.analysis`; nothing below it
imports it.
"""

from __future__ import annotations

from .app import DEFAULT_HOST, DEFAULT_PORT, create_app, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "serve"]
