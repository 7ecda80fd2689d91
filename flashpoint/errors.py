"""The numbered error catalogue: every problem flashpoint reports has a code here.

Bad input never stops a batch: readers turn each bad item into an :class:`ItemError` (code, where,
why) that the CLI prints and the store records, and the run goes on. Library misuse raises
:class:`FlashpointError` carrying the same kind of code. Messages say what happened and what to do.
Codes are never reused; add new ones at the end of their block.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


class Errors:
    # E0xx: input items (the batch goes on)
    E001 = "Could not read the file: {detail}."
    E002 = "The file is binary, not text (NUL bytes found); give a text, JSONL or HTML file."
    E003 = "The file is not valid UTF-8 at byte {offset}; re-encode it as UTF-8."
    E004 = "The line is not valid JSON ({detail}); the line may be truncated."
    E005 = "The JSON line is not an object with a 'text' field."
    E006 = "The story text is empty."
    E007 = "The story date {value!r} is not a real calendar date in YYYY-MM-DD form."
    E008 = "The input is empty: nothing to code."
    E009 = "The story is {size} characters long, over the limit of {limit}; it was cut to the limit."
    E010 = "The story has no date: relative dates ('yesterday', 'on Monday') are left unresolved."
    E011 = "The input path does not exist."
    E012 = (
        "Unsupported input type {suffix!r}; give .jsonl, .csv, .tsv, .txt, .html, .rss, .atom, .xml,"
        " .warc, .warc.gz, an http(s) feed URL or a folder."
    )
    E013 = "The story does not look like English text (too few common English words); it was skipped."
    E014 = "The story id {story_id!r} appears again with different text; the later one was skipped."
    E015 = "The CSV file has no text column (looked for {looked}); name it with --csv-column text=COLUMN."
    E016 = "The CSV row could not be parsed ({detail}); the file may be truncated."
    E017 = "The input is not an RSS or Atom feed (it is {got}); give the address or file of the feed itself."
    E018 = "Could not fetch {url} after {tries} tries: {detail}."
    E019 = "The file is damaged after {count} items ({detail}); the items before the damage were read."
    E020 = (
        "The article {identity} is already stored as story {stored!r} with different text; this copy"
        " was skipped."
    )
    E021 = "Not stored: writing to the database failed ({detail}); run the same command again to store it."
    E022 = "The coder failed on this story ({detail}); it was skipped. Please report it with the story."
    # E1xx: settings, models and knowledge files
    E101 = "The spaCy model {name!r} is not installed; install it with pip or set FLASHPOINT_MODEL."
    E102 = "Invalid setting {name}={value!r}: {detail}."
    E103 = "Knowledge file {path} line {line}: {detail}."
    E104 = "The date {value!r} is not a valid YYYY-MM-DD date."
    E105 = (
        "The gazetteer index {path} is missing or unreadable ({detail}); rebuild it with"
        " `python -m flashpoint.nlp.gazetteer build`."
    )
    E106 = "Invalid --csv-column {value!r}: give FIELD=COLUMN, with FIELD one of {fields}."
    # E2xx: the store
    E201 = "Could not open the database {path}: {detail}."
    E202 = "Invalid dyad {value!r}: give two actor codes joined by a hyphen, such as RUS-UKR."
    E203 = (
        "Writing to the database {path} failed ({detail}); what was stored before is kept. Free disk space"
        " (or the file) and run the same command again: it resumes where this run stopped."
    )
    E204 = "Unknown event type {value!r}: give a PLOVER type such as {examples}."
    E205 = "Could not write the export file {path}: {detail}."
    E206 = "Could not reach the Dask scheduler {address}: {detail}."
    E207 = (
        "A worker process died ({detail}); what was stored before is kept. Run the same command again:"
        " it resumes where this run stopped."
    )
    E208 = "Could not write the brief {path}: {detail}."
    # E3xx: the web API (`flashpoint serve`); each is answered as {"error": {code, status, message, param}}
    E301 = "The request is not valid: {detail}."
    E302 = "The request body is not valid JSON ({detail}); send one JSON object."
    E303 = "Unknown actor code {value!r} in '{param}'; give a code such as RUS, UKR or IGO (see /api/dyads)."
    E304 = "The date range is inverted: date_from {date_from} is after date_to {date_to}."
    E305 = "The page size {value} is over the limit of {limit}; ask for {limit} events a page or fewer."
    E306 = (
        "Invalid bounding box {value!r}: give west,south,east,north in degrees"
        " (longitudes -180..180, latitudes -90..90, south below north)."
    )
    E307 = "No article with id {story_id!r} in this database."
    E308 = "No such page or API route: {path}."
    E309 = "The method {method} is not allowed on {path}; use {allowed}."
    E310 = "The '{param}' filter is {size} characters long, over the limit of {limit}."
    E311 = "Unknown country code {value!r} in '{param}'; give an ISO 3166 alpha-3 code such as UKR."
    E312 = "The server failed while answering {path} ({detail}); this is a bug, please report it."


WARNINGS = {"E009", "E010"}  # reported, but the item is still coded


@dataclass(frozen=True)
class ItemError:
    """One bad input item: which error, where (file and line), and the reason in words."""

    code: str
    location: str
    reason: str

    @classmethod
    def make(cls, code: str, location: str, **details: object) -> ItemError:
        return cls(code, location, getattr(Errors, code).format(**details))

    @property
    def is_warning(self) -> bool:
        return self.code in WARNINGS

    def __str__(self) -> str:
        kind = "warning" if self.is_warning else "error"
        return f"{self.code} {kind}: {self.location}: {self.reason}"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class FlashpointError(Exception):
    """A library error with a catalogue code; the CLI prints it and exits non-zero."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.message = getattr(Errors, code).format(**details)
        super().__init__(f"[{code}] {self.message}")
