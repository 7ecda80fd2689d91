"""PLOVER's vocabulary: event types, modes, contexts, sectors, scores, and the CAMEO crosswalk.

Job: load the ontology tables under ``flashpoint/data/`` once at import and answer questions about them: which
types exist and in what order, their quad class and PLOVER score, a mode's score, what an old name (DEMAND,
FIGHT, ...) is now, which CAMEO code stands for a PLOVER type+mode and the reverse. Every other module that
names an event type, mode, context or sector takes it from here. Boundary: pure lookups over packaged data,
standard library only; nothing here knows about text, spaCy, the store or the CLI.

The facts come from the PLOVER manual ("DRAFT Version 2.0"), its 2021 CAMEO crosswalk and the ICEWS table of
CAMEO Goldstein values; each data file's header names its source. Where the sources contradict each other we
decided as follows (the data files carry the same notes):

- SANCTION is material conflict (quad 4): the manual's quad table puts it under verbal conflict but its own
  chapter says material conflict; cutting relations, aid or trade is an act, not a statement.
- ACCUSE scores -3: the scores table prints 3 while its modes score -2 to -3.5; a minus sign was lost.
- "Impose sanctions" (CAMEO 163) codes SANCTION 'discontinue', not COERCE as the crosswalk has it: the manual
  defines international sanctions as SANCTION 'discontinue'.
- Old names are aliases: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE 'disapprove', INVESTIGATE -> ACCUSE
  'investigate', FIGHT -> ASSAULT (and THREAT -> THREATEN, a slip the manual makes): PLOVER 2.0 renamed or
  merged them, and gold data and CAMEO-era text still use them.
- A recipient is required only for COOPERATE, AID and SANCTION: each type's own "Requires recipient" section
  says so; the summary table, whose columns are shifted, also marks PROTEST, which its section contradicts.
- CAMEO codes are corrected where the crosswalk contradicts the manual or names a mode the manual does not
  have (cameo_plover.tsv, column ``note``): e.g. 116 "find guilty" is SANCTION 'convict', 0813 "ease curfew"
  is CONCEDE, 195 "aerial weapons" is ASSAULT 'aerial'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

from .errors import FlashpointError

QUAD_NAMES: Mapping[int, str] = MappingProxyType(
    {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
)  # PLOVER's four quad classes, numbered as in the manual's quad table
CAMEO_ROOT_LENGTH = 2  # CAMEO codes are a two-digit root ("cue category") plus up to two more digits
DATA_PACKAGE = "flashpoint"  # the data files ship inside the package, under data/


@dataclass(frozen=True)
class Mode:
    """One mode of an event type: its name, its own PLOVER score (None where the manual gives none)."""

    name: str
    score: float | None
    definition: str
    cameo_code: str | None = None  # the CAMEO code that stands for this type+mode, if CAMEO has one


@dataclass(frozen=True)
class EventType:
    """One PLOVER event type with its quad class (1-4), PLOVER score (-10..+10) and modes."""

    name: str
    quad: int
    score: float
    requires_recipient: bool
    definition: str
    modes: Mapping[str, Mode] = field(default_factory=dict, hash=False)
    cameo_code: str = ""  # the most typical CAMEO code, for GDELT-style export

    @property
    def quad_name(self) -> str:
        return QUAD_NAMES[self.quad]


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code with its Goldstein value and PLOVER equivalent (event None: dropped in PLOVER)."""

    code: str
    root: str
    goldstein: float
    name: str
    event: str | None
    mode: str | None
    contexts: tuple[str, ...]


def _read_table(filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a tab-separated data file as (line number, {column: value}); '#' lines are comments."""
    path = resources.files(DATA_PACKAGE).joinpath("data", filename)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise FlashpointError(
                "E103", path=filename, line=number, detail=f"{len(cells)} columns, expected {len(header)}"
            )
        rows.append((number, dict(zip(header, cells, strict=True))))
    return rows


def _number(filename: str, line: int, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise FlashpointError("E103", path=filename, line=line, detail=f"{text!r} is not a number") from None


def _load_event_types() -> dict[str, EventType]:
    modes: dict[str, dict[str, Mode]] = {}
    first_line: dict[str, int] = {}
    for line, row in _read_table("plover_modes.tsv"):
        first_line.setdefault(row["event"], line)
        score = _number("plover_modes.tsv", line, row["score"]) if row["score"] else None
        mode = Mode(row["mode"], score, row["definition"], row["cameo_code"] or None)
        modes.setdefault(row["event"], {})[mode.name] = mode
    types: dict[str, EventType] = {}
    for line, row in _read_table("plover_types.tsv"):
        quad = int(_number("plover_types.tsv", line, row["quad"]))
        if quad not in QUAD_NAMES or row["requires_recipient"] not in ("yes", "no"):
            raise FlashpointError("E103", path="plover_types.tsv", line=line, detail="bad quad or recipient")
        types[row["event"]] = EventType(
            name=row["event"],
            quad=quad,
            score=_number("plover_types.tsv", line, row["score"]),
            requires_recipient=row["requires_recipient"] == "yes",
            definition=row["definition"],
            modes=MappingProxyType(modes.pop(row["event"], {})),
            cameo_code=row["cameo_code"],
        )
    for event in modes:
        line = first_line[event]
        raise FlashpointError("E103", path="plover_modes.tsv", line=line, detail=f"no type {event}")
    return types


EVENT_TYPES: dict[str, EventType] = _load_event_types()
CONTEXT_DEFINITIONS: dict[str, str] = {
    row["context"]: row["definition"] for _, row in _read_table("plover_contexts.tsv")
}
CONTEXTS: tuple[str, ...] = tuple(CONTEXT_DEFINITIONS)
SECTORS: dict[str, str] = {row["code"]: row["meaning"] for _, row in _read_table("plover_sectors.tsv")}
FREQUENT_SECTORS: frozenset[str] = frozenset(
    row["code"] for _, row in _read_table("plover_sectors.tsv") if row["frequency"] == "frequent"
)
ENTITY_CODES: dict[str, str] = {row["code"]: row["name"] for _, row in _read_table("plover_entity_codes.tsv")}
EVENT_ALIASES: dict[str, tuple[str, str | None]] = {
    row["alias"]: (row["event"], row["mode"] or None) for _, row in _read_table("plover_aliases.tsv")
}


def _load_cameo() -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    for line, row in _read_table("cameo_plover.tsv"):
        event = row["event"] or None
        mode = row["mode"] or None
        known = event in EVENT_TYPES and (not mode or mode in EVENT_TYPES[event].modes)
        if event is not None and not known:
            detail = f"unknown event {event} or mode {mode}"
            raise FlashpointError("E103", path="cameo_plover.tsv", line=line, detail=detail)
        table[row["code"]] = CameoCode(
            code=row["code"],
            root=row["root"],
            goldstein=_number("cameo_plover.tsv", line, row["goldstein"]),
            name=row["name"],
            event=event,
            mode=mode,
            contexts=tuple(c for c in row["contexts"].split(",") if c),
        )
    return table


CAMEO: dict[str, CameoCode] = _load_cameo()
DROPPED_CAMEO_ROOTS: frozenset[str] = frozenset(c.root for c in CAMEO.values() if c.event is None)


def normalise_event(name: str, mode: str | None = None) -> tuple[str, str | None]:
    """The PLOVER type and mode for a name that may be old (INVESTIGATE -> ("ACCUSE", "investigate")).

    An alias's implied mode is used only when no mode is given. Raises ValueError for unknown names or modes.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"Missing PLOVER event type (got {name!r}); use one of {', '.join(EVENT_TYPES)}.")
    key = name.strip().upper()
    if key in EVENT_TYPES:
        return key, normalise_mode(key, mode)
    if key in EVENT_ALIASES:
        event, implied = EVENT_ALIASES[key]
        return event, normalise_mode(event, mode) if mode else implied
    raise ValueError(
        f"Unknown PLOVER event type {name!r}; use one of {', '.join(EVENT_TYPES)}"
        f" (the old names {', '.join(EVENT_ALIASES)} are accepted too)."
    )


def normalise_event_type(name: str) -> str:
    """The PLOVER 2.0 type for a type name, upper-casing it and resolving old names (DEMAND -> REQUEST)."""
    return normalise_event(name)[0]


def normalise_mode(event: str, mode: str | None) -> str | None:
    """A mode of ``event`` in the manual's spelling (lower case, hyphens); None for no mode.

    Raises ValueError when the type has no such mode.
    """
    if mode is None or not mode.strip():
        return None
    kind = EVENT_TYPES[normalise_event_type(event)]
    key = mode.strip().lower().replace("_", "-").replace(" ", "-")
    if key in kind.modes:
        return key
    allowed = ", ".join(kind.modes) if kind.modes else "none (it takes no mode)"
    raise ValueError(f"{kind.name} has no mode {mode!r}; its modes are: {allowed}.")


def quad_code(event: str) -> int:
    """The quad class: 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict."""
    return EVENT_TYPES[normalise_event_type(event)].quad


def event_scale(event: str, mode: str | None = None) -> float:
    """The PLOVER score (-10..+10): the mode's own score where the manual gives one, else the type's."""
    name, mode_name = normalise_event(event, mode)
    kind = EVENT_TYPES[name]
    if mode_name is not None:
        score = kind.modes[mode_name].score
        if score is not None:
            return score
    return kind.score


def cameo_code_for(event: str, mode: str | None = None) -> str:
    """The CAMEO code that best stands for a PLOVER type (and mode): the mode's where CAMEO has one."""
    name, mode_name = normalise_event(event, mode)
    kind = EVENT_TYPES[name]
    if mode_name is not None and kind.modes[mode_name].cameo_code:
        return str(kind.modes[mode_name].cameo_code)
    return kind.cameo_code


def cameo_root_for(event: str, mode: str | None = None) -> str:
    """The two-digit CAMEO root (01-20) most typical of a PLOVER type (and mode), for GDELT-style export."""
    return cameo_code_for(event, mode)[:CAMEO_ROOT_LENGTH]


def goldstein_for(event: str, mode: str | None = None) -> float:
    """A Goldstein-scale value for a PLOVER type (and mode): that of its most typical CAMEO code."""
    return CAMEO[cameo_code_for(event, mode)].goldstein


def cameo_entry(code: str) -> CameoCode:
    """The crosswalk row for a CAMEO code; an unlisted 3- or 4-digit code falls back to its nearest parent.

    Raises ValueError for codes that are neither listed nor below a listed parent.
    """
    key = str(code).strip()
    if key.isdigit():
        for length in range(len(key), CAMEO_ROOT_LENGTH - 1, -1):
            if key[:length] in CAMEO:
                return CAMEO[key[:length]]
    raise ValueError(f"Unknown CAMEO event code {code!r}; a CAMEO code is a root 01-20 and up to two digits.")


def plover_for_cameo(code: str) -> tuple[str, str | None]:
    """The PLOVER (event, mode) for a CAMEO code such as "163" or "19".

    Raises ValueError for unknown codes and for roots 01 and 02, which PLOVER dropped (DROPPED_CAMEO_ROOTS).
    """
    entry = cameo_entry(code)
    if entry.event is None:
        raise ValueError(
            f"CAMEO {entry.code} ({entry.name}) has no PLOVER equivalent: PLOVER dropped root {entry.root}."
        )
    return entry.event, entry.mode


__all__ = [
    "CAMEO",
    "CONTEXTS",
    "CONTEXT_DEFINITIONS",
    "DROPPED_CAMEO_ROOTS",
    "ENTITY_CODES",
    "EVENT_ALIASES",
    "EVENT_TYPES",
    "FREQUENT_SECTORS",
    "QUAD_NAMES",
    "SECTORS",
    "CameoCode",
    "EventType",
    "Mode",
    "cameo_code_for",
    "cameo_entry",
    "cameo_root_for",
    "event_scale",
    "goldstein_for",
    "normalise_event",
    "normalise_event_type",
    "normalise_mode",
    "plover_for_cameo",
    "quad_code",
]
