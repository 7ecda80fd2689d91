"""Actor knowledge: which words point to which actor, read from the packaged files and a user file.

This module loads the authored knowledge files under ``flashpoint/data/`` -- ``countries.tsv``,
``organizations.tsv``, ``companies.tsv``, ``armed_groups.tsv``, ``roles.tsv`` and
``office_holders.tsv`` (each file's header says where its facts come from and how to extend it) --
checks every row, and builds the lookup tables the ``flashpoint_actors`` component matches against:
normalised phrase -> :class:`Entry`, the prefixes of all phrases (so a scan over a Doc stops early),
people with their terms of office, and office-holders by (country, office). A bad row raises
``FlashpointError("E103")`` naming the file and line, so a typo is found at start-up rather than as a
silent miss. The module knows nothing about a particular text; finding and resolving mentions in a
``Doc`` is :mod:`flashpoint.nlp.actors`' job.

Matching rule shared by every file: a phrase matches text that is equal ignoring case, except that
every capital letter written in the phrase must be a capital in the text ("US" never matches "us",
"Turkey" never "turkey"); curly quotes count as straight ones and runs of spaces as one.

The user file (setting ``user_actors`` / ``FLASHPOINT_USER_ACTORS``) extends or overrides the packaged
knowledge. It is YAML (a list of entries, or a mapping with an ``actors`` list) or CSV (a header row,
then one entry a row; list fields are ``|``-separated). Fields of an entry:

``kind`` (required)
    ``country`` | ``capital`` | ``igo`` | ``ngo`` | ``bloc`` | ``group`` | ``company`` | ``media`` |
    ``role`` | ``person`` | ``not_actor`` (a phrase that must not be read as an actor, e.g. a local
    place named "Georgia").
``forms``
    the phrases (required except for ``person``, whose ``name`` is always a form).
``code``, ``sector``, ``name``
    actor code (ISO 3166 alpha-3, KOS, IGO UNO EUR NGO ISM IMG MNC or WST), PLOVER sector, and the
    entity_name (default: the first form). Roles take ``sector``, ``type`` (person, group, title,
    modifier), ``office``, ``yields`` and ``holders`` as in ``roles.tsv``.
Persons: ``name``, ``country``, ``code``, ``sector``, ``office``, ``title``, ``start``, ``end``,
``gender`` (and an optional ``note``) as in ``office_holders.tsv``, one entry per term of office.

Every form in the user file replaces what the packaged files say about that phrase; a person named in
the user file keeps only the terms the user file gives. For example::

    actors:
      - {kind: group, forms: [Acme Brigade, ACB], code: NGA, sector: REB}
      - {kind: not_actor, forms: [Georgia]}          # a US-local corpus
      - {kind: person, name: Jane Roe, forms: [Roe], country: GBR, sector: GOV,
         office: foreign minister, start: 2027-01-15, gender: f}
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import FlashpointError

DATA_PACKAGE = "flashpoint.data"
# The packaged files in load order; the order only matters for error messages (a phrase may appear once).
KNOWLEDGE_FILES = ("countries", "organizations", "companies", "armed_groups", "roles", "office_holders")
# Columns each file must declare in its header row, in order (trailing optional columns may be empty).
COLUMNS = {
    "countries": ("code", "kind", "forms", "sector"),
    "organizations": ("code", "kind", "forms", "sector"),
    "companies": ("code", "kind", "forms", "sector"),
    "armed_groups": ("code", "country", "forms", "sector", "changes"),
    "roles": ("forms", "sector", "type", "office", "yields", "holders"),
    "office_holders": tuple("name aliases country code sector office title start end gender note".split()),
}
# The PLOVER code tables shipped beside our files (maintained with the ontology).
SECTORS_FILE = "plover_sectors.tsv"
ENTITY_CODES_FILE = "plover_entity_codes.tsv"
# Codes an actor may carry besides ISO 3166 alpha-3 and the PLOVER entity codes: Kosovo (the manual's
# KOS) and the bloc code for "the West" (DESIGN.md allows bloc codes).
EXTRA_CODES = frozenset({"KOS", "WST"})
NO_CODE = "-"  # a recognised phrase that carries no actor code ("the international community")
CODE_PATTERN = re.compile(r"^[A-Z]{3}$")
PARTIAL_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")

COUNTRY_KINDS = {  # row kind in countries.tsv -> the mention kind it gives
    "name": "country",
    "adjective": "country",
    "demonym": "country",
    "organ": "country",
    "breakaway": "country",
    "capital": "capital",
    "seat": "capital",
    "not_actor": "not_actor",
}
ORGANIZATION_KINDS = frozenset({"igo", "ngo", "bloc", "capital"})
COMPANY_KINDS = frozenset({"company", "media"})
ROLE_TYPES = frozenset({"person", "group", "title", "modifier"})
USER_KINDS = frozenset(
    {"country", "capital", "igo", "ngo", "bloc", "group", "company", "media", "role", "person", "not_actor"}
)
USER_FIELDS = frozenset(
    "kind forms code sector name type office yields holders".split()
    + "country title start end gender changes note".split()
)
YIELDS_ANY = "*"
# roles.tsv "holders": "one" office-holder per country at a time (the default), or "many" (ambassadors,
# generals, officials): a bare "the ambassador" is then never read as one particular person.
HOLDERS = frozenset({"one", "many"})
GENDERS = frozenset({"m", "f"})
# Sectors whose holders become former officials (PLOVER ELI) when their last term ends.
OFFICIAL_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
# Countries whose people are named family name first in English-language news ("Xi Jinping",
# "Kim Jong Un", "Ban Ki-moon", "Hun Sen"), so "Mr Xi" is Xi Jinping.
FAMILY_NAME_FIRST = frozenset({"CHN", "HKG", "TWN", "KOR", "PRK", "VNM", "KHM"})
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Straight quotes and single spaces: the form phrases are compared in (case kept)."""
    return WHITESPACE.sub(" ", text.translate(QUOTES)).strip()


def case_fits(form: str, text: str) -> bool:
    """True when every capital letter of ``form`` is a capital in ``text`` (both normalised)."""
    if len(form) != len(text):
        return form.lower() == text.lower()
    return all(not f.isupper() or t.isupper() for f, t in zip(form, text, strict=True))


@dataclass(frozen=True)
class Term:
    """One term of office: what a person was, from when to when, and for which actor code."""

    office: str  # canonical office key (roles.tsv)
    title: str  # the office as styled, or ""
    sector: str | None
    code: str  # the actor code while in office (the person's country, or UNO/IGO/EUR)
    start: date | None
    end: date | None  # None: still in office

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def styled(self) -> str:
        return self.title or self.office


@dataclass(frozen=True)
class Person:
    """A known office-holder: own country, gender and terms of office."""

    name: str
    country: str
    gender: str  # "m" | "f"
    terms: tuple[Term, ...]

    def on(self, day: date | None) -> tuple[str, str | None, str | None, str]:
        """(code, sector, office, status) on ``day``; status: in-office | former | not-yet | undated."""
        term = self.term_on(day)
        if term is not None:
            return term.code, term.sector, term.styled, "in-office" if day is not None else "undated"
        if day is None:
            return self.country, None, None, "undated"
        if any(t.end is not None and t.end < day and t.sector in OFFICIAL_SECTORS for t in self.terms):
            return self.country, "ELI", None, "former"
        return self.country, None, None, "not-yet"

    def term_on(self, day: date | None) -> Term | None:
        """The term covering ``day`` (the later start on a handover day); the latest without a day."""
        if not self.terms:
            return None
        if day is None:
            return max(self.terms, key=lambda t: t.start or date.min)
        covering = [t for t in self.terms if t.covers(day)]
        return max(covering, key=lambda t: t.start or date.min) if covering else None

    def in_office(self, day: date | None) -> bool:
        return day is not None and any(t.covers(day) for t in self.terms)


@dataclass(frozen=True)
class Entry:
    """What one phrase points to: an actor (country, organization, group, person) or a role word."""

    form: str  # the phrase as written in its file (its capitals are the case rule)
    name: str  # entity_name to report ("" for roles)
    code: str | None  # actor code; None for roles, blocs without a code and not_actor phrases
    kind: str  # country | capital | igo | ngo | bloc | group | person | role | not_actor
    part: str  # the row kind: name adjective demonym capital seat organ breakaway | igo ... | role type
    sector: str | None
    source: str  # file stem, or "user"
    line: int = 0
    office: str | None = None  # roles: canonical office key
    yields: frozenset[str] = frozenset()  # roles: sectors of modifiers that decide instead; {"*"}: any
    changes: tuple[tuple[date, str], ...] = ()  # armed groups: (from day, sector), in time order
    person: Person | None = None

    def sector_on(self, day: date | None) -> str | None:
        """The sector on ``day``, after any dated change (an armed group that took power)."""
        sector = self.sector
        for since, changed in self.changes:
            if day is not None and day >= since:
                sector = changed
        return sector

    def yields_to(self, sector: str | None) -> bool:
        return sector is not None and (YIELDS_ANY in self.yields or sector in self.yields)


@dataclass
class Knowledge:
    """The lookup tables the actor component matches against (treat as read-only: it is shared)."""

    phrases: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    prefixes: frozenset[str] = frozenset()
    people: dict[str, Person] = field(default_factory=dict)
    surnames: dict[str, tuple[Person, ...]] = field(default_factory=dict)
    holders: dict[tuple[str, str], tuple[tuple[Person, Term], ...]] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    offices: frozenset[str] = frozenset()
    shared_offices: frozenset[str] = frozenset()  # offices with many holders at once (roles.tsv "holders")
    sole_codes: dict[str, str] = field(default_factory=dict)  # office -> the one code it was ever held for
    sources: tuple[str, ...] = ()
    load_seconds: float = 0.0

    def lookup(self, text: str) -> tuple[Entry, ...]:
        """Entries whose phrase equals ``text`` under the matching rule (case checked), one per row."""
        norm = normalize(text)
        found: dict[tuple[str, int, str], Entry] = {}
        for entry in self.phrases.get(norm.lower(), ()):
            if case_fits(normalize(entry.form), norm):
                found.setdefault((entry.source, entry.line, entry.name), entry)
        return tuple(found.values())

    def is_prefix(self, key: str) -> bool:
        """True when the lower-cased normalised ``key`` starts some phrase."""
        return key in self.prefixes

    def persons_named(self, text: str, surname_ok: bool, day: date | None = None) -> tuple[Person, ...]:
        """Known people a name may be: by full name or alias, else (if allowed) by a bare surname.

        A longer name that is not known ("Howard Baker") is nobody known: its surname is not looked up.
        With a story ``day``, a bare surname only names someone in office that day: "Mr Smith" in a 2014
        story is not the Australian minister who left office in 2013 (a listed alias, "Blair", still is).
        """
        key = normalize(text).lower()
        found = tuple(e.person for e in self.phrases.get(key, ()) if e.person is not None)
        if found or not surname_ok or " " in key:
            return found
        same = self.surnames.get(key, ())
        return same if day is None else tuple(p for p in same if p.in_office(day))

    def sole_code(self, office: str) -> str | None:
        """The one actor code an office has ever been held for, if only one ("pope": VAT), else None."""
        return self.sole_codes.get(office)

    def holder(self, code: str, office: str, day: date | None) -> tuple[Person, Term] | None:
        """Who held ``office`` for ``code`` on ``day`` (the later start on a handover day).

        A country's office has one holder at a time, so of overlapping terms the later start wins (a
        term with an open end lasts until the next holder's starts). None when nobody is known, when the
        office has many holders at once ("ambassador"), and, for an organization code, when several
        people held it that day: one code covers several bodies (EUR: the Commission, the Council and
        the central bank each have a president).
        """
        if day is None or office in self.shared_offices:
            return None
        serving = [(p, t) for p, t in self.holders.get((code, office), ()) if t.covers(day)]
        if not serving or (code not in self.country_names and len(serving) > 1):
            return None
        return max(serving, key=lambda pt: pt[1].start or date.min)

    def country_name(self, code: str | None) -> str | None:
        return self.country_names.get(code) if code else None


# --------------------------------------------------------------------------- reading and checking


def _fail(path: str, line: int, detail: str) -> FlashpointError:
    return FlashpointError("E103", path=path, line=line, detail=detail)


def _packaged_text(filename: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath(filename).read_text(encoding="utf-8")


def _tsv_rows(path: str, text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a '#'-commented TSV whose first other line is the header ``columns``."""
    rows: list[tuple[int, dict[str, str]]] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            if tuple(cells) != columns:
                raise _fail(
                    path, number, f"the header row must be {' '.join(columns)!r}, not {' '.join(cells)!r}"
                )
            header_seen = True
            continue
        if len(cells) > len(columns):
            raise _fail(path, number, f"{len(cells)} columns, at most {len(columns)} ({', '.join(columns)})")
        cells += [""] * (len(columns) - len(cells))
        rows.append((number, dict(zip(columns, cells, strict=True))))
    if not header_seen:
        raise _fail(path, 0, f"no header row {' '.join(columns)!r}")
    return rows


def _code_table(filename: str) -> frozenset[str]:
    """The first column of one of the PLOVER code tables (sectors, entity codes)."""
    codes = set()
    for number, raw in enumerate(_packaged_text(filename).splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        code = raw.split("\t")[0].strip()
        if code == "code":
            continue
        if not CODE_PATTERN.match(code):
            raise _fail(filename, number, f"code {code!r} is not three capital letters")
        codes.add(code)
    return frozenset(codes)


def parse_day(value: object, end: bool = False) -> date | None:
    """A YYYY-MM-DD or YYYY-MM date (a month counts from its first day, or to its last when ``end``)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    match = PARTIAL_DATE.match(str(value).strip())
    if not match:
        raise ValueError(f"{value!r} is not YYYY-MM-DD or YYYY-MM")
    year, month, day = int(match[1]), int(match[2]), match[3]
    if day is not None:
        return date(year, month, int(day))
    if not end:
        return date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_anchor(value: object) -> date | None:
    """The story date (``doc._.fp_anchor``) as a date; None when missing or not YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Builder:
    """Collects and checks entries from every file, then freezes them into a :class:`Knowledge`."""

    def __init__(self) -> None:
        self.sectors = _code_table(SECTORS_FILE)
        self.entity_codes = _code_table(ENTITY_CODES_FILE) | EXTRA_CODES
        self.country_codes: set[str] = set()
        self.country_names: dict[str, str] = {}
        self.part_of: dict[str, str] = {}
        self.part_of_sector: dict[str, str | None] = {}
        self.entries: dict[str, list[Entry]] = {}
        self.where: dict[str, str] = {}  # key -> "file line" of a non-person phrase
        self.people: dict[str, dict[str, Any]] = {}  # name -> {country, gender, terms, aliases}
        self.offices: set[str] = set()
        self.shared_offices: set[str] = set()
        self.sources: list[str] = []

    # -- checks
    def sector(self, path: str, line: int, value: str) -> str | None:
        if not value:
            return None
        if value not in self.sectors:
            raise _fail(
                path, line, f"sector {value!r} is not a PLOVER sector ({' '.join(sorted(self.sectors))})"
            )
        return value

    def code(self, path: str, line: int, value: str, allow_none: bool = False) -> str | None:
        if allow_none and value in ("", NO_CODE):
            return None
        if not CODE_PATTERN.match(value):
            raise _fail(path, line, f"code {value!r} is not a three-letter upper-case actor code")
        if self.country_codes and value not in self.country_codes and value not in self.entity_codes:
            raise _fail(
                path, line, f"code {value!r} is neither a country in countries.tsv nor a PLOVER entity code"
            )
        return value

    @staticmethod
    def forms(path: str, line: int, value: str | list[Any] | None) -> list[str]:
        items = value if isinstance(value, list) else (value or "").split("|")
        out = [normalize(str(f)) for f in items if str(f).strip()]
        if not out:
            raise _fail(path, line, "no forms given")
        return out

    # -- registering phrases
    def add(self, path: str, entry: Entry, override: bool = False) -> None:
        key = normalize(entry.form).lower()
        here = f"{path} line {entry.line}"
        current = self.entries.get(key, [])
        if override:
            self.entries[key] = [entry]
            self.where[key] = here
            return
        if entry.kind == "person":
            if any(e.kind != "person" for e in current):
                raise _fail(path, entry.line, f"{entry.form!r} is already a phrase in {self.where[key]}")
            self.entries[key] = [*current, entry]
            return
        if current and self.where.get(key) == here:  # a case variant on the same row ("Nato|NATO")
            self.entries[key] = [*current, entry]
            return
        if current:
            raise _fail(
                path, entry.line, f"{entry.form!r} is already a phrase in {self.where.get(key)}; give it once"
            )
        self.entries[key] = [entry]
        self.where[key] = here

    # -- the packaged files
    def countries(self, path: str, rows: list[tuple[int, dict[str, str]]]) -> None:
        for line, row in rows:  # codes and names first, so references can be checked
            if row["kind"] == "name":
                code = row["code"]
                if not CODE_PATTERN.match(code):
                    raise _fail(path, line, f"code {code!r} is not a three-letter upper-case code")
                self.country_codes.add(code)
                self.country_names.setdefault(code, self.forms(path, line, row["forms"])[0])
        for line, row in rows:
            kind = row["kind"]
            if kind == "part_of":
                target = self.code(path, line, row["forms"])
                if target == row["code"] or target in self.part_of:
                    raise _fail(
                        path, line, f"{row['code']} must be part of an independent state, not {target}"
                    )
                self.part_of[row["code"]] = target or ""
                self.part_of_sector[row["code"]] = self.sector(path, line, row["sector"])
        for line, row in rows:
            kind = row["kind"]
            if kind == "part_of":
                continue
            if kind not in COUNTRY_KINDS:
                raise _fail(
                    path,
                    line,
                    f"kind {kind!r} is not one of {', '.join(sorted([*COUNTRY_KINDS, 'part_of']))}",
                )
            if kind == "not_actor":
                code = None
                if row["code"] != NO_CODE:
                    raise _fail(path, line, "a not_actor row has code '-'")
            else:
                code = self.code(path, line, row["code"])
            sector = self.sector(path, line, row["sector"])
            forms = self.forms(path, line, row["forms"])
            actor_code = self.part_of.get(code, code) if code else None
            if code in self.part_of:  # a dependency: the controlling state's code, its own name
                sector = sector or self.part_of_sector.get(code)
            for form in forms:
                own_name = kind in ("seat", "organ", "breakaway") or code in self.part_of
                name = forms[0] if own_name else self.country_names.get(code or "", form)
                self.add(
                    path,
                    Entry(
                        form,
                        name,
                        actor_code,
                        COUNTRY_KINDS[kind],
                        kind,
                        sector,
                        path.removesuffix(".tsv"),
                        line,
                    ),
                )

    def organizations(self, path: str, rows: list[tuple[int, dict[str, str]]]) -> None:
        for line, row in rows:
            kind = row["kind"]
            if kind not in ORGANIZATION_KINDS:
                raise _fail(
                    path, line, f"kind {kind!r} is not one of {', '.join(sorted(ORGANIZATION_KINDS))}"
                )
            code = self.code(path, line, row["code"], allow_none=kind == "bloc")
            sector = self.sector(path, line, row["sector"])
            forms = self.forms(path, line, row["forms"])
            for form in forms:
                self.add(
                    path, Entry(form, forms[0], code, kind, kind, sector, path.removesuffix(".tsv"), line)
                )

    def companies(self, path: str, rows: list[tuple[int, dict[str, str]]]) -> None:
        for line, row in rows:
            kind = row["kind"]
            if kind not in COMPANY_KINDS:
                raise _fail(path, line, f"kind {kind!r} is not one of {', '.join(sorted(COMPANY_KINDS))}")
            code = self.code(path, line, row["code"])
            sector = self.sector(path, line, row["sector"])
            if sector is None:
                raise _fail(path, line, "a company or news organization needs a sector (BUS, JRN)")
            forms = self.forms(path, line, row["forms"])
            for form in forms:
                self.add(
                    path, Entry(form, forms[0], code, kind, kind, sector, path.removesuffix(".tsv"), line)
                )

    def armed_groups(self, path: str, rows: list[tuple[int, dict[str, str]]]) -> None:
        for line, row in rows:
            code = self.code(path, line, row["code"])
            self.code(path, line, row["country"])
            sector = self.sector(path, line, row["sector"])
            if sector is None:
                raise _fail(path, line, "an armed group needs a sector")
            changes = self.changes(path, line, row["changes"])
            forms = self.forms(path, line, row["forms"])
            for form in forms:
                self.add(
                    path,
                    Entry(
                        form,
                        forms[0],
                        code,
                        "group",
                        "group",
                        sector,
                        path.removesuffix(".tsv"),
                        line,
                        changes=changes,
                    ),
                )

    def changes(self, path: str, line: int, value: str | list[Any] | None) -> tuple[tuple[date, str], ...]:
        items = value if isinstance(value, list) else [v for v in (value or "").split("|") if v.strip()]
        out = []
        for item in items:
            day_text, _, sector = str(item).strip().partition(":")
            try:
                day = parse_day(day_text)
            except ValueError as err:
                raise _fail(path, line, f"change {item!r}: {err}") from err
            checked = self.sector(path, line, sector)
            if day is None or checked is None:
                raise _fail(path, line, f"change {item!r} is not YYYY-MM-DD:SECTOR")
            out.append((day, checked))
        return tuple(sorted(out))

    def roles(
        self, path: str, rows: list[tuple[int, dict[str, str]]], source: str = "", override: bool = False
    ) -> None:
        for line, row in rows:
            self.role(path, line, row, source or path.removesuffix(".tsv"), override)

    def role(self, path: str, line: int, row: dict[str, Any], source: str, override: bool) -> None:
        role_type = str(row.get("type") or "person")
        if role_type not in ROLE_TYPES:
            raise _fail(path, line, f"type {role_type!r} is not one of {', '.join(sorted(ROLE_TYPES))}")
        sector = self.sector(path, line, str(row.get("sector") or ""))
        office = str(row.get("office") or "").strip() or None
        holders = str(row.get("holders") or "").strip() or "one"
        if holders not in HOLDERS:
            raise _fail(path, line, f"holders {holders!r} is not one or many")
        if office:
            self.offices.add(office)
            if holders == "many":
                self.shared_offices.add(office)
            elif override:
                self.shared_offices.discard(office)
        yields_text = str(row.get("yields") or "").strip()
        yields = frozenset(yields_text.split("|")) if yields_text else frozenset()
        for y in yields - {YIELDS_ANY}:
            self.sector(path, line, y)
        for form in self.forms(path, line, row.get("forms")):
            kind = "role"
            self.add(
                path,
                Entry(form, "", None, kind, role_type, sector, source, line, office=office, yields=yields),
                override,
            )

    def office_holders(self, path: str, rows: list[tuple[int, dict[str, str]]], source: str = "") -> None:
        for line, row in rows:
            self.term(path, line, row, source or path.removesuffix(".tsv"))

    def term(self, path: str, line: int, row: dict[str, Any], source: str) -> None:
        name = normalize(str(row.get("name") or ""))
        if not name:
            raise _fail(path, line, "a person needs a name")
        country = self.code(path, line, str(row.get("country") or ""))
        code = self.code(path, line, str(row.get("code") or ""), allow_none=True) or country
        sector = self.sector(path, line, str(row.get("sector") or ""))
        office = str(row.get("office") or "").strip()
        if office and office not in self.offices:
            raise _fail(
                path,
                line,
                f"office {office!r} is not an office key of roles.tsv ({', '.join(sorted(self.offices))})",
            )
        try:
            start = parse_day(row.get("start"))
            end = parse_day(row.get("end"), end=True)
        except ValueError as err:
            raise _fail(path, line, str(err)) from err
        if start and end and end < start:
            raise _fail(path, line, f"the term of {name} ends before it starts")
        gender = str(row.get("gender") or "").strip()
        if gender not in GENDERS:
            raise _fail(path, line, f"gender {gender!r} is not m or f")
        person = self.people.setdefault(
            name,
            {
                "country": country,
                "gender": gender,
                "terms": [],
                "aliases": [],
                "source": source,
                "line": line,
            },
        )
        if person["country"] != country:
            raise _fail(path, line, f"{name} has two countries ({person['country']}, {country})")
        raw_aliases = row.get("aliases") if "aliases" in row else row.get("forms")
        if raw_aliases:
            person["aliases"] += self.forms(path, line, raw_aliases)
        if office:
            person["terms"].append(
                Term(office, str(row.get("title") or "").strip(), sector, code or country, start, end)
            )

    # -- the user file
    def user(self, path: str, items: list[tuple[int, dict[str, Any]]]) -> None:
        replaced_people: set[str] = set()
        for line, item in items:
            unknown = set(item) - USER_FIELDS
            if unknown:
                allowed = ", ".join(sorted(USER_FIELDS))
                raise _fail(path, line, f"unknown field(s) {', '.join(sorted(unknown))}; allowed: {allowed}")
            kind = str(item.get("kind") or "")
            if kind not in USER_KINDS:
                raise _fail(path, line, f"kind {kind!r} is not one of {', '.join(sorted(USER_KINDS))}")
            if kind == "person":
                name = normalize(str(item.get("name") or ""))
                if name in self.people and name not in replaced_people:
                    self.drop_person(name)
                replaced_people.add(name)
                self.term(path, line, item, "user")
                continue
            if kind == "role":
                self.role(path, line, item, "user", override=True)
                continue
            forms = self.forms(path, line, item.get("forms"))
            code = (
                None
                if kind == "not_actor"
                else self.code(path, line, str(item.get("code") or ""), allow_none=kind == "bloc")
            )
            sector = self.sector(path, line, str(item.get("sector") or ""))
            name = normalize(str(item.get("name") or "")) or forms[0]
            changes = self.changes(path, line, item.get("changes"))
            for form in forms:
                self.add(
                    path,
                    Entry(form, name, code, kind, kind, sector, "user", line, changes=changes),
                    override=True,
                )

    def drop_person(self, name: str) -> None:
        info = self.people.pop(name)
        for form in [name, *info["aliases"]]:
            key = form.lower()
            kept = [
                e for e in self.entries.get(key, []) if not (e.person is not None and e.person.name == name)
            ]
            if kept:
                self.entries[key] = kept
            else:
                self.entries.pop(key, None)

    def freeze(self, seconds: float) -> Knowledge:
        surnames: dict[str, list[Person]] = {}
        holders: dict[tuple[str, str], list[tuple[Person, Term]]] = {}
        people: dict[str, Person] = {}
        for name, info in self.people.items():
            person = Person(name, info["country"], info["gender"], tuple(info["terms"]))
            people[name] = person
            # a person's own phrases: the full name and the aliases (a surname alias is matched anywhere)
            for form in dict.fromkeys(v for f in [name, *info["aliases"]] for v in _name_variants(f)):
                key = form.lower()
                kept = [e for e in self.entries.get(key, []) if e.person is None or e.person.name != name]
                if any(e.kind != "person" for e in kept):
                    where = self.where.get(key, "")
                    raise _fail(
                        info["source"], info["line"], f"{form!r} of {name} is already a phrase in {where}"
                    )
                self.entries[key] = [
                    *kept,
                    Entry(
                        form,
                        name,
                        person.country,
                        "person",
                        "person",
                        None,
                        info["source"],
                        info["line"],
                        person=person,
                    ),
                ]
            for form in dict.fromkeys([name, *info["aliases"]]):
                for surname in _surnames(form, person.country):
                    same_surname = surnames.setdefault(surname, [])
                    if person not in same_surname:
                        same_surname.append(person)
            for term in person.terms:
                holders.setdefault((term.code, term.office), []).append((person, term))
        phrases = {key: tuple(entries) for key, entries in self.entries.items() if entries}
        prefixes = {key[:n] for key in phrases for n in range(1, len(key) + 1)}
        return Knowledge(
            phrases=phrases,
            prefixes=frozenset(prefixes),
            people=people,
            surnames={k: tuple(v) for k, v in surnames.items()},
            holders={k: tuple(v) for k, v in holders.items()},
            sole_codes=_sole_codes(holders, self.shared_offices),
            country_names=dict(self.country_names),
            offices=frozenset(self.offices),
            shared_offices=frozenset(self.shared_offices),
            sources=tuple(self.sources),
            load_seconds=seconds,
        )


def _sole_codes(holders: dict[tuple[str, str], Any], shared: set[str] | frozenset[str]) -> dict[str, str]:
    """Offices only one actor code has ever had ("pope": VAT), so "the Pope" needs no story country."""
    codes: dict[str, set[str]] = {}
    for code, office in holders:
        codes.setdefault(office, set()).add(code)
    return {office: next(iter(c)) for office, c in codes.items() if len(c) == 1 and office not in shared}


ROMAN_NUMERAL = re.compile(r"[ivxlc]+")
ARABIC_ARTICLE = re.compile(r"\b([Aa]l|[Ee]l)[ -](?=[A-Z])")


def _name_variants(form: str) -> list[str]:
    """A name as written, and with its Arabic article spelled the other common ways: "Al Thani",
    "al-Thani", "al Thani" and "el-Bashir" are how the news writes one family name."""
    out = [form]
    if ARABIC_ARTICLE.search(form):
        for article in ("al", "el"):
            for joint in ("-", " "):
                variant = ARABIC_ARTICLE.sub(lambda m, a=article, j=joint: a + j, form)
                if variant not in out:
                    out.append(variant)
    return out


def _surnames(form: str, country: str) -> tuple[str, ...]:
    """The words of a name that a story may use alone ("Mr Lavrov"): the last; and the first, for the
    countries whose names put the family name first ("Xi Jinping": "President Xi")."""
    words = form.lower().split(" ")
    if len(words) > 2 and ROMAN_NUMERAL.fullmatch(words[-1]):
        words = words[:-1]  # "Pope Benedict XVI" is Benedict, not "XVI"
    if country in FAMILY_NAME_FIRST and len(words) > 1:
        if len(words) == 2 and "-" not in words[1]:
            return (words[0], words[1])  # "Margaret Chan" may be in the Western order
        return (words[0],)  # "Ban Ki-moon", "Kim Jong Un": the rest is the given name
    return (words[-1],)


class _TextDatesLoader(yaml.SafeLoader):
    """A safe YAML loader that leaves dates as text, so a bad date is reported with its line."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _user_items(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The entries of a user YAML or CSV file, each with its line number."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise _fail(
            where, 0, f"cannot be read ({err.strerror}); check the setting FLASHPOINT_USER_ACTORS"
        ) from err
    except UnicodeDecodeError as err:
        raise _fail(where, 0, f"is not UTF-8 text ({err.reason})") from err
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        items = []
        for row in reader:
            if None in row:
                raise _fail(where, reader.line_num, "more cells than header columns")
            items.append(
                (reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if (v or "").strip()})
            )
        return items
    try:
        loader = _TextDatesLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise _fail(where, mark.line + 1 if mark else 0, f"is not valid YAML ({err})") from err
    nodes: list[Any] = []
    if isinstance(data, dict) and isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value != "actors":
                raise _fail(
                    where, key_node.start_mark.line + 1, f"unknown section {key_node.value!r}; use 'actors'"
                )
            nodes = list(value_node.value) if isinstance(value_node, yaml.SequenceNode) else []
        data = data.get("actors")
    elif isinstance(root, yaml.SequenceNode):
        nodes = list(root.value)
    if data is None:
        return []
    if not isinstance(data, list):
        raise _fail(where, 1, "must be a list of entries, or a mapping with an 'actors' list")
    items = []
    for node, item in zip(nodes, data, strict=False):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise _fail(where, line, "each entry must be a mapping (kind, forms, code, ...)")
        items.append((line, {str(k): v for k, v in item.items() if v is not None}))
    return items


@lru_cache(maxsize=8)
def _load(user_file: str, mtime_ns: int) -> Knowledge:
    began = time.perf_counter()
    builder = _Builder()
    readers = {
        "countries": builder.countries,
        "organizations": builder.organizations,
        "companies": builder.companies,
        "armed_groups": builder.armed_groups,
        "roles": builder.roles,
        "office_holders": builder.office_holders,
    }
    for stem in KNOWLEDGE_FILES:
        filename = f"{stem}.tsv"
        readers[stem](filename, _tsv_rows(filename, _packaged_text(filename), COLUMNS[stem]))
        builder.sources.append(filename)
    if user_file:
        path = Path(user_file).expanduser()
        builder.user(str(path), _user_items(path))
        builder.sources.append(str(path))
    return builder.freeze(time.perf_counter() - began)


def load_knowledge(user_file: str = "") -> Knowledge:
    """The packaged actor knowledge, extended and overridden by ``user_file`` (YAML or CSV) if given.

    Cached per process and per user file (a changed file is read again), so every pipeline shares one
    copy: treat the result as read-only. Raises ``FlashpointError("E103")`` for a bad row or file.
    """
    mtime = 0
    if user_file:
        path = Path(user_file).expanduser()
        if not path.is_file():
            raise _fail(str(path), 0, "the user actors file does not exist (setting FLASHPOINT_USER_ACTORS)")
        mtime = path.stat().st_mtime_ns
    return _load(user_file, mtime)


def country_adjectives(knowledge: Knowledge) -> dict[str, list[str]]:
    """Country code -> its adjectives and people nouns ("RUS": ["Russian", "Russians", ...]), in file order.

    For stages that need to know a country word is not a place name (the gazetteer reads these as
    context: "Russian" is never a toponym).
    """
    out: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for entry in sorted(iter_entries(knowledge), key=lambda e: (e.code or "", e.line)):
        if entry.source == "countries" and entry.part in ("adjective", "demonym") and entry.code:
            if (entry.code, entry.form) not in seen:
                seen.add((entry.code, entry.form))
                out.setdefault(entry.code, []).append(entry.form)
    return out


def iter_entries(knowledge: Knowledge) -> Iterable[Entry]:
    """Every phrase entry once (for checks and tools)."""
    for entries in knowledge.phrases.values():
        yield from entries
