"""Time expressions and event dates: find "yesterday", "on Sunday", "16 March 2014", "this week" in a Doc,
resolve each against the story's anchor (publication) date, and say which one governs an event.

The job is three pure steps and a thin component. :func:`find_time_expressions` scans the text with
regular expressions built from ``flashpoint/data/time_words.tsv`` (so "Su-27", "G20", "1,000 troops",
"10:30" and durations such as "five hours" or "for three days" never match) -- one cheap pass finds the
keywords every expression contains (a month, a weekday, "week", a year ...), then each pattern runs only
in windows around its keywords, which finds exactly what a whole-text scan would --, checks each candidate
against its tokens (a capitalised month, "May" only after "in"/"early"/..., a bare year only where it
reads as a year), and resolves it: relative expressions by the anchor and the tense of the verb that
governs them, absolute ones ("16 March 2014", "in 2008") with or without an anchor. :func:`event_date`
picks the expression that governs an event's clause. The ``flashpoint_dates`` component writes
``doc._.fp_dates``; :func:`dates_for_text` backs the ``flashpoint dates`` command. The boundary: this
module reads tags and dependencies (and NER only as extra evidence for bare years); it knows nothing of
actors, places or event types, and never guesses a relative date without an anchor.

Resolution rules (the choices a reader would otherwise have to reverse-engineer):

* Values are ISO: ``2014-03-14`` (day), ``2014-W11`` (ISO week), ``2014-03`` (month), ``2014`` (year);
  ``range`` is ``[first_day, last_day]``. A part word narrows the range but not the value: "early March"
  is month ``2014-03`` with range 1-10 March; "earlier this week" is the week with range Monday to the
  day before the anchor.
* Weekdays follow the tense of the governing verb. Past, perfect, present or no verb: the most recent
  such day on or before the anchor -- a story dated Saturday that says "on Saturday" in the past tense
  means that same day, as wire copy does. Future ("will", "is set to", "is due to", "plans to", "going
  to", a modal): the next such day after the anchor; the anchor's own weekday means a week later unless
  "later", "this" or an afternoon/evening/night says it is today. "last" is strictly before; "next" is
  that day of next week (in a Wednesday story "next Thursday" is in eight days).
  A present tense that states a schedule (a ``schedule_verb``: "takes effect", "starts", "opens",
  "meets"; or "the deadline/vote is ...") is future, the anchor's own weekday being that day. A weekday
  attached to a noun ("Sunday's referendum", "the Friday vote") outside a future clause is the nearest
  such day, before or after. Abbreviations count with their full stop after a date word ("late Fri.").
* Year-less dates ("March 16"), lone months ("in March") and holidays take the year that is closest
  to the anchor and agrees with the tense: past -> the latest on or before the anchor, future -> the
  earliest on or after it, otherwise the nearest. Two refinements: a year-less day up to 45 days ahead
  stays in the anchor's year even in a past-tense clause ("granted an extension to April 12": wire
  style would have given the year of an older date), and an infinitive under a past planning verb
  ("had hoped to finish by June 30") takes the nearest. "Sunday, March 16" takes the year where the
  weekday fits, when exactly one year within one of the anchor's does. A year-less date after
  "until"/"to"/"till"/"through" under a ``deferral_verb`` ("extended the mission until December 31",
  "postponed the vote to October 12") is a new deadline: future, whatever the tense.
* "this week" is the anchor's ISO week -- except on a Sunday in the future tense, when it is the week
  that starts the next day. "last"/"next week" are the ISO weeks before and after.
* Ranges ("between 1 and 5 May", "over the past few days", "the weekend") keep their exact days in
  ``range``; value and precision name the smallest calendar unit (day, ISO week, month, year) that
  contains the whole range (a range across a new year gets the year it ends in). "The past few days"
  is the three days before the anchor; "last night" and "overnight" are the day before the anchor.
* Seasons are ranges of whole months in the northern hemisphere (winter: December to February, named
  by the year it ends in): "this summer", "last winter", "in the autumn" (by tense), "the spring of
  2011"; "fall" only with a modifier or a year ("the fall of Kabul" is not a time), never capitalised
  mid-sentence ("the Arab Spring"). Decades ("the 1990s", "the early 2000s", "the '80s") are value
  ``199`` with precision ``decade`` (the TIMEX3 / ISO 8601 form); "the 1800s" is a century and is left
  out. A decade governs an event's clause but cannot date it (:func:`event_date`). Apostrophes may be
  curly ("New Year’s Day").
* "the next day", "two days later", "the previous day", "the day before" count from the nearest day-level
  date before them in their sentence (for the forms that can open a sentence, also the last one of the
  sentence before); "on Thursday, a day after Hezbollah captured ..." dates the captured clause a day
  before Thursday. They are never counted from the story date: with no date to count from they are
  not reported. Vague counts ("a few days later") and durations ("for two days before ...") are none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import FlashpointError
from . import extensions  # noqa: F401  (registers doc._.fp_*)

DATA_PACKAGE = "flashpoint.data"
TIME_WORDS_FILE = "time_words.tsv"
COMPONENT_NAME = "flashpoint_dates"

# A year-less February 29 needs up to four years either way to find a leap year; other dates use the
# nearest ones anyway.
YEARLESS_SEARCH_YEARS = 4
# Wire style gives the year of any date outside the current year, so a year-less day a few weeks
# ahead in a past-tense sentence is a deadline or a schedule ("granted an extension to April 12"),
# not last year's date.
PAST_TENSE_LOOKAHEAD_DAYS = 45
# Part words split a month into thirds by day and a year into thirds by month: coarse, but it is what
# "early"/"mid"/"late" carry in news copy.
MONTH_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
YEAR_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
WEEK_PART_DAYS = {"early": (1, 3), "mid": (2, 4), "late": (4, 7)}  # ISO weekdays, Monday = 1
SEASON_PART_MONTH = {"early": 0, "mid": 1, "late": 2}  # a season's first, middle or last month
DECADE_PART_YEARS = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}  # "the early 1990s": 1990-1993
# A decade has no calendar unit among day/week/month/year: it is reported with this precision and the
# TIMEX3 / ISO 8601 decade value ("199"), and is too coarse to date an event (see event_date).
DECADE = "decade"
# "the 1990s", "the 2000s"; "the 1800s" means a century, which no precision here can hold, so it is left out.
# "the 1970's" is older house style (the New York Times, Reuters in the 1980s) for the same decade.
DECADE_DIGITS = r"(?:1[6-9][1-9]0|20\d0)['\u2019]?s"
EVENT_PRECISIONS = frozenset({"day", "week", "month", "year"})
# "in recent days"/"the coming weeks" carry no number; three units is the reading of "a few".
RECENT_UNITS = 3
HOURS_PER_DAY = 24
# How many words before an expression are searched for a cue such as "ahead of" or "since".
CUE_WINDOW_TOKENS = 5
# How many verbs up a bare infinitive or gerund may look for its tense; clauses nest no deeper in news.
MAX_TENSE_HOPS = 5
# Words just before a lone year or a lone month that make it read as a date ("in 2008", "since May").
DATE_PREPOSITIONS = frozenset(
    "in since by until till during before after through throughout from of to between for "
    "around circa about early late mid last next this".split()
)
# Before a bare season ("over the summer", "in spring") these make it a time.
SEASON_PREPOSITIONS = DATE_PREPOSITIONS | {"over"}
# Words that join two months ("April or May"); after one of them "May" is a month, not a modal.
MONTH_LINKS = frozenset({"and", "or", "to", "through", "-", "–"})
# Entities that may stand right before a weekday without making it a name ("Russia Sunday said").
NAME_ENTITIES = frozenset({"GPE", "PERSON", "ORG", "NORP", "LOC"})
# Before a year that the parser took for a count ("In 2011 protests spread"), these still make it a year.
YEAR_OVER_COUNT_PREPOSITIONS = frozenset({"in", "since", "during"})
# Dependency labels that carry a clause's own subject: a verb that has one starts a new clause.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# Labels by which a noun trigger climbs to the verb that governs it ("the imposition of sanctions").
NOMINAL_CLIMB_DEPS = frozenset(
    "pobj prep dobj nsubj nsubjpass compound appos attr poss nmod pcomp agent dative oprd npadvmod conj amod "
    "acl".split()
)
# Labels by which a subject-less verb shares the time of the verb above it ("set to go ahead",
# "ordering ... jets" after "Russia yesterday took ...").
VERB_CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep"})
# Objects that do not make a verb an event of its own: "talks took place on Monday" dates the talks.
LIGHT_OBJECTS = frozenset({"place", "hold", "effect"})  # "took place", "took hold", "took effect"
# Prepositions whose clause happens at another time than the main one ("After deploying ..., Russia took").
TEMPORAL_PREPOSITIONS = frozenset({"after", "before", "since", "until", "till", "following", "during"})
# Object relations searched when nothing attaches to the trigger's own chain ("ordering deployments on
# yesterday" parsed with the date under "deployments").
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "dative", "pobj", "prep"})
PAST_AUX = frozenset({"was", "were", "did", "had", "'d"})
PRESENT_AUX = frozenset({"is", "are", "am", "'s", "'re", "'m", "do", "does"})
PERFECT_AUX = frozenset({"has", "have", "'ve", "had", "having"})
ENTITY_NOT_DATE = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "FAC", "LAW"})
# Labels by which an expression is a noun's own date ("Sunday's referendum", "the March 16 vote").
NOUN_ATTACHED_DEPS = frozenset({"poss", "compound", "nmod"})
# Counts too vague to count days from an earlier date ("a few days later"): not reported.
VAGUE_COUNTS = frozenset({"a few", "few", "several"})
# Before a count these make "two days before ..." a duration ("fighting raged for two days before ...").
DURATION_PREPOSITIONS = frozenset({"for", "within", "over", "in", "during"})
# After "N weeks later"/"earlier" these make it a comparison ("three weeks later this year than last").
COMPARED_UNITS = frozenset({"this", "next", "last", "than"})
# Words that may follow "the day before"/"the day after" when nothing it is relative to follows.
CLAUSE_LINKS = frozenset({"and", "but", "or", "when", "as", "while", "after", "before", "because"})
# Labels of the subject-less infinitives whose date may be the verb's above ("refused to step down on ...").
COMPLEMENT_DEPS = frozenset({"xcomp", "acl"})
# Subordinators of a clause that happens when its main clause does ("as thousands marched").
SAME_TIME_MARKS = frozenset({"as", "while", "when", "whilst"})
# "hours after ...": a gap that keeps an "after" clause on its main clause's day.
SAME_DAY_GAPS = frozenset({"hours", "minutes", "moments", "shortly", "soon", "just"})
# How many clauses up an undated clause may borrow a date (a conjunct of a reported clause ...).
MAX_INHERIT_HOPS = 3
# Before a year-less date under a deferral verb, these make it the new deadline ("extended until ...").
DEADLINE_PREPOSITIONS = frozenset({"until", "till", "to", "through", "into"})

TIME_KINDS = (
    "month", "month_full", "weekday", "weekday_abbr", "season", "relative_day", "part_of_day", "part",
    "number", "unit", "holiday", "future_aux", "modal", "future_head", "future_word", "past_cue",
    "future_cue", "schedule_verb", "schedule_noun", "deferral_verb",
)  # fmt: skip


TenseOf = Callable[[], str | None]  # the expression's tense, computed on first use

# The tense of "had hoped to finish by ...", "was due to speak on ...": weekdays read it as future,
# year-less dates and months as "nearest" (the planned day may already have passed).
FUTURE_IN_PAST = "future-in-past"
# The tense of a date attached to a noun ("Sunday's referendum" in a Thursday story): neither the clause's
# past nor its future decides, so the nearest such day does.
NEAREST = "nearest"
# The present tense of a schedule ("takes effect on Friday"): future, except that the story's own weekday
# is that same day ("The new Congress convenes on Sunday" in a Sunday story).
SCHEDULED = "scheduled"
FUTURE_TENSES = frozenset({"future", FUTURE_IN_PAST, SCHEDULED})


@dataclass(frozen=True)
class TimeWords:
    """The vocabulary of ``time_words.tsv``, one mapping per kind (word -> value)."""

    kinds: dict[str, dict[str, str]]

    def __getitem__(self, kind: str) -> dict[str, str]:
        return self.kinds[kind]


@lru_cache(maxsize=1)
def load_time_words() -> TimeWords:
    """Read the packaged time vocabulary once per process."""
    text = resources.files(DATA_PACKAGE).joinpath(TIME_WORDS_FILE).read_text(encoding="utf-8")
    kinds: dict[str, dict[str, str]] = {kind: {} for kind in TIME_KINDS}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if cells[0] not in kinds or len(cells) < 2 or not cells[1]:
            detail = f"unknown kind or no word in {line!r}"
            raise FlashpointError("E103", path=TIME_WORDS_FILE, line=number, detail=detail)
        kinds[cells[0]][cells[1].lower()] = cells[2] if len(cells) > 2 else ""
    return TimeWords(kinds)


# ---------------------------------------------------------------- patterns


APOSTROPHES = "'\u2019\u2018"  # "New Year’s Day" is written with a curly apostrophe as often as not


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so "the day before yesterday" wins over "yesterday"; spaces match any whitespace,
    an apostrophe any apostrophe."""
    parts = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", f"[{APOSTROPHES}]") for w in parts)


def _straight(text: str) -> str:
    """A matched phrase as the vocabulary spells it: lower case, single spaces, straight apostrophes."""
    for curly in APOSTROPHES[1:]:
        text = text.replace(curly, "'")
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Pattern:
    kind: str
    regex: re.Pattern[str]
    cues: frozenset[str]  # keyword classes (KEYWORD_CLASSES) one of which every match contains


# Every pattern's match contains a keyword of one of its classes: the scanner first finds the keywords
# with one cheap regular expression and runs each pattern only in windows around its classes' keywords.
PATTERN_CUES = {
    "ymd": ("year",), "range_dmy": ("month",), "range_mdy": ("month",), "range_months": ("month",),
    "dmy": ("month",), "mdy": ("month",), "month_year": ("month",), "holiday": ("holiday",), "ago": ("ago",),
    "relational": ("unit",), "rolling": ("unit",), "weekend": ("unit",), "relative_unit": ("unit",),
    "relative_day": ("relday",),
    "weekday": ("weekday",), "nth": ("nth",), "month_alone": ("month",), "year_alone": ("year",),
    "season": ("season",), "decade": ("decade",),
}  # fmt: skip
# How far from its keyword a time expression may reach, in characters, either way: the longest,
# "between the 1st of September, 2014 and the 30th of November, 2014", spans about 70 from its first
# month. A window this wide around every keyword gives the same matches as scanning the whole text
# (tests/nlp/test_dates.py checks that on the team's sentences).
KEYWORD_REACH_CHARS = 120


@lru_cache(maxsize=1)
def compiled_patterns() -> tuple[Pattern, ...]:
    """The scanner's regular expressions, most specific first (equal-length matches keep this order)."""
    w = load_time_words()
    start = r"(?<![\w$£€#@/:.,\-])"
    end = r"(?![\w%])(?![-/:.,]\d)"
    full_months = _alternation(w["month_full"])
    abbrevs = _alternation(k for k in w["month"] if k not in w["month_full"])
    weekdays = rf"{_alternation(w['weekday'])}|(?:{_alternation(w['weekday_abbr'])})\."
    seasons = _alternation(w["season"])
    parts = _alternation(w["part"])
    numbers = _alternation(w["number"])
    holidays = _alternation(w["holiday"])
    reldays = _alternation(w["relative_day"])
    pods = _alternation(w["part_of_day"])

    def month(n: int) -> str:
        return rf"(?P<m{n}>{full_months}|(?:{abbrevs})(?:\.(?=\s*\d))?)"

    def day(n: int) -> str:
        return rf"(?P<d{n}>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"

    def year(n: int) -> str:
        return rf"(?P<y{n}>(?:1[6-9]|20)\d\d)"

    weekday_prefix = rf"(?:(?P<wd>{weekdays}),?\s+(?:the\s+)?)?"
    part_prefix = rf"(?:(?P<part>{parts})(?:\s*-\s*|\s+))?"
    range_sep = r"\s*(?:-|–|—|to|and|until|till|through)\s*"
    mods = r"(?P<mod>this\s+coming|last|this|next|past|coming)"
    specs = [
        ("ymd", r"(?P<y1>(?:1[6-9]|20)\d\d)(?P<sep>[-/])(?P<m1>0?[1-9]|1[0-2])(?P=sep)"
                r"(?P<d1>3[01]|[12][0-9]|0?[1-9])"),
        ("range_dmy", rf"(?:(?P<frm>between|from)\s+)?(?:the\s+)?{day(1)}"
                      rf"(?:\s+(?:of\s+)?{month(1)}(?:,?\s+{year(1)})?)?"
                      rf"{range_sep}(?:the\s+)?{day(2)}\s+(?:of\s+)?{month(2)}(?:,?\s+{year(2)})?"),
        ("range_mdy", rf"(?:(?P<frm>between|from)\s+)?{month(1)}\s+{day(1)}(?:,?\s+{year(1)})?"
                      rf"{range_sep}(?:{month(2)}\s+)?{day(2)}(?:,?\s+{year(2)})?"),
        ("range_months", rf"(?:(?P<frm>between|from)\s+)?(?P<m1>{full_months})(?:\s+{year(1)})?{range_sep}"
                         rf"(?P<m2>{full_months})(?:\s+{year(2)})?"),
        ("dmy", rf"{weekday_prefix}(?:the\s+)?{day(1)}\s+(?:of\s+)?{month(1)}(?:,?\s+{year(1)})?"),
        ("mdy", rf"{weekday_prefix}{month(1)}\s+(?:the\s+)?{day(1)}(?:,?\s+{year(1)})?"),
        ("month_year", rf"{part_prefix}{month(1)}\s+(?:of\s+)?{year(1)}"),
        ("holiday", rf"(?P<hol>{holidays})(?:\s+{year(1)})?"),
        ("ago", rf"(?P<num>{numbers}|\d{{1,3}})\s+(?P<unit>day|week|month|year)s?\s+ago"),
        ("relational", rf"(?P<num>{numbers}|\d{{1,3}})\s+(?P<unit>day|week|month|year)s?\s+"
                       rf"(?P<dir>later|earlier|after|before)"
                       r"|the\s+(?P<seq>next|following|previous|preceding)\s+day"
                       r"|the\s+day\s+(?P<side>before|after)"
                       r"|(?P<same>(?:later|earlier)\s+that|the\s+same|that\s+same)\s+day"),
        ("rolling", rf"(?P<the>the\s+)?(?P<dir>past|last|next|coming|recent)\s+"
                    rf"(?:(?P<num>{numbers}|\d{{1,3}})\s+)?(?P<unit>hour|day|week|month|year)(?P<plural>s)?"),
        ("weekend", rf"{part_prefix}(?:{mods}\s+|(?P<the>the)\s+)weekend"),
        ("relative_unit", rf"{part_prefix}(?:{mods}|(?P<the>the))\s+(?P<unit>week|month|year)"),
        ("relative_day", rf"(?:(?P<part>early|late|earlier|later)\s+)?(?P<rel>{reldays})"
                         rf"(?:\s+(?P<pod>{pods}))?"),
        ("weekday", rf"(?:(?P<part>early|late|earlier|later)\s+(?:on\s+)?)?(?:{mods}\s+)?(?P<wd>{weekdays})"
                    rf"(?:\s+(?P<pod>{pods}))?"),
        ("season", rf"{part_prefix}(?:{mods}\s+|(?P<the>the)\s+)?(?P<season>{seasons})"
                   rf"(?:\s+(?:of\s+)?{year(1)})?"),
        ("decade", rf"(?:the\s+)?{part_prefix}(?P<decade>{DECADE_DIGITS}|[{APOSTROPHES}]\d0s)"),
        ("nth", r"the\s+(?P<d1>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)"),
        ("month_alone", rf"{part_prefix}(?:{mods}\s+)?(?P<m1>{full_months})"),
        ("year_alone", rf"{part_prefix}{year(1)}"),
    ]  # fmt: skip
    return tuple(
        Pattern(kind, re.compile(f"{start}(?:{body}){end}", re.IGNORECASE), frozenset(PATTERN_CUES[kind]))
        for kind, body in specs
    )


@lru_cache(maxsize=1)
def keyword_regex() -> re.Pattern[str]:
    """One pass over the text finds every keyword a time expression needs, by class (the group name)."""
    w = load_time_words()
    units = r"(?:week|month|year|weekend|hour|day)s?"
    weekdays = _alternation([*w["weekday"], *w["weekday_abbr"]])
    return re.compile(
        r"(?<!\w)(?:"
        rf"(?P<month>{_alternation(w['month'])})|(?P<weekday>{weekdays})"
        rf"|(?P<relday>{_alternation(w['relative_day'])})|(?P<holiday>{_alternation(w['holiday'])})"
        rf"|(?P<season>{_alternation(w['season'])})|(?P<decade>{DECADE_DIGITS}|[{APOSTROPHES}]\d0s)"
        rf"|(?P<unit>{units})|(?P<ago>ago)|(?P<year>(?:1[6-9]|20)\d\d)|(?P<nth>\d{{1,2}}(?:st|nd|rd|th))"
        r")(?!\w)",
        re.IGNORECASE,
    )


def _keyword_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per keyword class, the merged character windows [start, end) that may hold an expression.

    A window ends on whitespace or at the end of the text, so the patterns' look-ahead sees there what
    it would see in the whole text."""
    windows: dict[str, list[tuple[int, int]]] = {}
    size = len(text)
    for match in keyword_regex().finditer(text):
        cls = match.lastgroup or ""
        first = max(0, match.start() - KEYWORD_REACH_CHARS)
        last = min(size, match.end() + KEYWORD_REACH_CHARS)
        while last < size and not text[last].isspace():
            last += 1
        found = windows.setdefault(cls, [])
        if found and first <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], last))
        else:
            found.append((first, last))
    return windows


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def pattern_matches(text: str) -> Iterator[tuple[int, Pattern, re.Match[str]]]:
    """Every match of every pattern in ``text`` (rank, pattern, match), as a whole-text scan finds them."""
    windows = _keyword_windows(text)
    if not windows:
        return
    for rank, pattern in enumerate(compiled_patterns()):
        spans = [w for cls in pattern.cues for w in windows.get(cls, ())]
        if len(pattern.cues) > 1:
            spans = _merged(spans)
        for first, last in spans:
            for match in pattern.regex.finditer(text, first, last):
                yield rank, pattern, match


# ---------------------------------------------------------------- candidates


@dataclass
class Candidate:
    """One time expression found in the text, before it is resolved."""

    kind: str
    span: Span
    groups: dict[str, str | None]
    rank: int  # position of the pattern in compiled_patterns(): lower wins a tie

    def group(self, name: str) -> str:
        return (self.groups.get(name) or "").lower()


def _capitalised(text: str | None) -> bool:
    return text is not None and text[:1].isupper()


def _sentence_start(span: Span) -> int:
    """Where the expression's sentence starts; 0 when nothing set sentences (a blank pipeline)."""
    return span.sent.start if span.doc.has_annotation("SENT_START") else 0


def _previous_word(span: Span) -> str:
    return span.doc[span.start - 1].lower_ if span.start > _sentence_start(span) else ""


def _plausible(cand: Candidate) -> bool:
    """Token-level checks a regular expression cannot make."""
    g, span = cand.groups, cand.span
    for key in ("m1", "m2", "wd", "hol"):
        if g.get(key) and not (g[key] or "0")[0].isdigit() and not _capitalised(g[key]):
            return False  # "march", "may", "sunday" in lower case are not dates in edited copy
    if cand.kind == "season":
        return _plausible_season(cand)
    if cand.kind == "weekday" and (g.get("wd") or "").endswith("."):
        # "Sun.", "Wed." alone are as often a newspaper or a verb: the abbreviation needs a date word
        previous = _previous_word(span)
        if not (g.get("part") or g.get("mod") or previous in DATE_PREPOSITIONS or previous == "on"):
            return False
    if cand.kind == "month_alone":
        return _plausible_month(cand)
    if cand.kind == "year_alone":
        return _plausible_year(cand)
    if cand.kind == "relative_day":
        first = span[0] if not g.get("part") else span[1]
        if (
            first.ent_type_ in ENTITY_NOT_DATE
            and _capitalised(first.text)
            and first.i > _sentence_start(span)
        ):
            return False  # "USA Today", "the Today programme"
        after = span.doc[span.end] if span.end < len(span.doc) else None
        modifies_next = after is not None and first.head.i == after.i and after.tag_.startswith("NN")
        if cand.group("rel") == "overnight" and modifies_next:
            return False  # "overnight rates", "an overnight curfew": a kind of thing, not a time
    if cand.kind == "weekday" and (any(t.ent_type_ in ("PERSON", "ORG") for t in span) or _named_day(span)):
        return False  # "Man Friday", "Super Tuesday", "Bloody Sunday"
    if cand.kind == "nth":
        after = span.doc[span.end] if span.end < len(span.doc) else None
        if _previous_word(span) != "on" or (after is not None and after.tag_.startswith("NN")):
            return False  # "the 16th century", "on the 5th floor"
    if cand.kind == "decade" and not cand.group("decade")[-2].isdigit():
        if not (g.get("part") or span[0].lower_ == "the"):
            return False  # "2010's earthquake" is the year's; "the 1970's" is the decade
    if cand.kind == "relational" and _relation_sign(cand) is None:
        return False
    if cand.kind == "relative_unit" and g.get("the") and not g.get("part"):
        return False  # "the week" alone counts from the story only after "the end of", "early in" ...
    if cand.kind == "rolling":
        counted = bool(g.get("num") or g.get("plural"))
        if not g.get("the") and not counted and cand.group("dir") in ("last", "next"):
            return False  # "last week" is the calendar week: relative_unit reads it
        if cand.group("unit") == "day" and not counted:
            return False  # "the next day" counts from another event, not from the story date
    return True


def _relation_sign(cand: Candidate) -> int | None:
    """Which way a date relative to an earlier one counts: +1 forward ("two days later", "the next day"),
    -1 back ("the previous day", "the day before"), 0 for "the same day"; the opposite when a clause
    follows "after"/"before" ("on Thursday, a day after Hezbollah captured ..." dates the capture, a day
    before Thursday). None when the words are no date of their own: a duration ("for two days before
    the truce"), a vague count ("a few days later") or a noun they are relative to ("the day before the
    vote")."""
    g, span = cand.groups, cand.span
    if g.get("same"):
        return 0
    if g.get("seq"):
        return 1 if cand.group("seq") in ("next", "following") else -1
    word = cand.group("dir") or cand.group("side")
    if g.get("num") and (
        " ".join(cand.group("num").split()) in VAGUE_COUNTS or _previous_word(span) in DURATION_PREPOSITIONS
    ):
        return None
    sign = 1 if word in ("later", "after") else -1
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if word in ("later", "earlier"):
        # "three weeks later this year than last" compares; "later this year" is the expression there
        return None if after is not None and after.lower_ in COMPARED_UNITS else sign
    link = span[-1]
    if link.dep_ == "mark":
        return -sign
    if after is None or not after.is_alpha or after.lower_ in CLAUSE_LINKS:
        return sign
    return None


def _plausible_season(cand: Candidate) -> bool:
    """ "this summer", "in the autumn", "spring 2011": a season word reads as a time only with a modifier, a
    year, a part word or a date preposition in front, in lower case ("the Arab Spring" is a name), and
    not as a verb ("could spring up"); "fall" needs a modifier or a year ("the fall of Kabul")."""
    g, span = cand.groups, cand.span
    word = next(t for t in span if t.lower_ == cand.group("season"))
    if (word.text[:1].isupper() and word.i > _sentence_start(span)) or _is_verb(word):
        return False
    if g.get("y1") or g.get("mod"):
        return True
    if cand.group("season") == "fall":
        return False
    return bool(g.get("part")) or _previous_word(span) in SEASON_PREPOSITIONS


def _named_day(span: Span) -> bool:
    """A weekday after a capitalised word that is not a name of its own ("Super Tuesday", "Good Friday");
    "Russia Sunday rejected ..." keeps its date because "Russia" is an entity."""
    if span.start <= _sentence_start(span):
        return False
    before = span.doc[span.start - 1]
    return before.is_title and before.tag_ in ("NNP", "NNPS", "JJ") and before.ent_type_ not in NAME_ENTITIES


def _plausible_month(cand: Candidate) -> bool:
    month_token = next(t for t in cand.span if t.text.lower().startswith(cand.group("m1")[:3]))
    if month_token.ent_type_ in ("PERSON", "ORG") or _is_verb(month_token):
        return False  # "April Ryan", "to march", "May said"
    if cand.groups.get("part") or cand.groups.get("mod"):
        return True
    if cand.group("m1") == "may":  # the modal and the surname need a date word in front
        return _previous_word(cand.span) in DATE_PREPOSITIONS or _after_month(cand.span)
    return True


def _after_month(span: Span) -> bool:
    """ "in April or May", "March to May": a month right after a month and a conjunction."""
    words = load_time_words()
    if span.start - 2 < _sentence_start(span) or span.doc[span.start - 1].lower_ not in MONTH_LINKS:
        return False
    return span.doc[span.start - 2].lower_.rstrip(".") in words["month"]


def _plausible_year(cand: Candidate) -> bool:
    if cand.groups.get("part"):
        return True
    tok = cand.span[-1]
    cue = _previous_word(cand.span) in DATE_PREPOSITIONS
    head = tok.head
    if tok.dep_ == "nummod" and head.tag_ in ("NNS", "NNPS") and head.i > tok.i:
        # "2000 soldiers" is a count; "In 2011 protests spread" is a year the NER also read as one
        return _previous_word(cand.span) in YEAR_OVER_COUNT_PREPOSITIONS and tok.ent_type_ == "DATE"
    if cue or tok.ent_type_ == "DATE":
        return True
    # "the 2014 election": a year in front of a singular noun; "Resolution 1973" (after the noun) is a name.
    before_noun = head.i > tok.i and head.tag_ in ("NN", "NNP")
    return before_noun and tok.dep_ in ("compound", "nummod", "amod", "poss")


def scan(doc: Doc) -> list[Candidate]:
    """Every plausible time expression in ``doc``, non-overlapping, in text order."""
    found: list[Candidate] = []
    for rank, pattern, match in pattern_matches(doc.text):  # doc.text joins every token: read it once
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        cand = Candidate(pattern.kind, span, match.groupdict(), rank)
        if _plausible(cand):
            found.append(cand)
    found.sort(key=lambda c: (-(c.span.end_char - c.span.start_char), c.rank, c.span.start))
    taken: set[int] = set()
    chosen: list[Candidate] = []
    for cand in found:
        tokens = set(range(cand.span.start, cand.span.end))
        if tokens & taken:
            continue
        taken |= tokens
        chosen.append(cand)
    chosen.sort(key=lambda c: c.span.start)
    return chosen


# ---------------------------------------------------------------- tense


def _is_root(tok: Token) -> bool:
    return tok.head.i == tok.i  # spaCy makes a new Token object on every access: compare indices


def _is_verb(tok: Token) -> bool:
    return tok.tag_.startswith("VB") or tok.tag_ == "MD"


def _aux_words(verb: Token) -> list[str]:
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _is_parenthetical(verb: Token) -> bool:
    """ "as planned", "as expected": a comparison clause whose dependents belong to the verb above."""
    return (
        verb.tag_ == "VBN"
        and not _is_root(verb)
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
        and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def governing_verb(span: Span) -> Token | None:
    """The nearest verb above the expression, skipping "as planned"-style parentheticals."""
    tok = span.root
    while True:
        if tok.i not in range(span.start, span.end) and _is_verb(tok) and not _is_parenthetical(tok):
            return _out_of_clause(tok, span)
        if _is_root(tok):
            return None
        tok = tok.head


def _out_of_clause(verb: Token, span: Span) -> Token:
    """ "X said on Thursday she would resign": an expression between a reporting verb and the subject
    of its complement clause belongs to the reporting verb, whatever the parser attached it to."""
    if verb.dep_ != "ccomp" or not verb.head.i < span.start:
        return verb
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    return verb.head if subjects and all(s.i >= span.end for s in subjects) else verb


def verb_tense(verb: Token, depth: int = 0) -> str | None:
    """past, present, future or future-in-past for the clause of ``verb``; None when the form is silent."""
    w = load_time_words()
    auxes = _aux_words(verb)
    if any(a in w["future_aux"] for a in auxes):
        return "past" if "have" in auxes else "future"
    if verb.tag_ == "VBD":
        return "past"  # before modals: "May said ..." with the surname tagged as a modal
    if any(a in w["modal"] for a in auxes):
        return "past" if "have" in auxes else "future"
    if verb.tag_ in ("VBN", "JJ") and verb.lower_ in w["future_word"] and not set(auxes) & PERFECT_AUX:
        return "future"  # "the vote, scheduled for Sunday"; "is expected on Monday"
    if any(c.dep_ in ("acomp", "attr") and c.lower_ in w["future_word"] for c in verb.children):
        return "future"  # "the vote is due on Sunday"
    if "to" in auxes:
        head = verb.head
        if head.lower_ in w["future_head"]:
            # "had hoped to finish by June 30": forward from a past moment, which may be before the anchor
            past_head = head.tag_ == "VBD" or bool(set(_aux_words(head)) & (PAST_AUX | PERFECT_AUX))
            return FUTURE_IN_PAST if past_head else "future"
        if head.i != verb.i and _is_verb(head) and depth < MAX_TENSE_HOPS:
            return verb_tense(head, depth + 1)
        return None
    if set(auxes) & (PAST_AUX | PERFECT_AUX):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or set(auxes) & PRESENT_AUX:
        return SCHEDULED if _states_a_schedule(verb) else "present"
    if verb.tag_ == "VBN":
        return "past"  # a bare participle: "troops deployed on Friday"
    if verb.tag_ in ("VBG", "VB") and depth < MAX_TENSE_HOPS:
        # a bare gerund or a shared-auxiliary conjunct takes the tense of the verb above it
        up = verb.head
        while not _is_verb(up) and not _is_root(up):
            up = up.head
        if up.i != verb.i and _is_verb(up):
            return verb_tense(up, depth + 1)
    return "present" if verb.tag_ in ("VB", "VBG") and verb.dep_ == "ROOT" else None


@lru_cache(maxsize=1)
def _schedule_phrases() -> dict[str, list[list[str]]]:
    """schedule_verb entries by their verb: "take" -> [["effect"]], "start" -> [[]]."""
    phrases: dict[str, list[list[str]]] = {}
    for phrase in load_time_words()["schedule_verb"]:
        first, *rest = phrase.split()
        phrases.setdefault(first, []).append(rest)
    return phrases


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.lower_).lower()


def _states_a_schedule(verb: Token) -> bool:
    """A present tense that states a schedule: "takes effect on Friday", "the deadline is Friday"."""
    lemma = _lemma(verb)
    for rest in _schedule_phrases().get(lemma, []):
        if [t.lower_ for t in verb.doc[verb.i + 1 : verb.i + 1 + len(rest)]] == rest:
            return True
    if lemma == "be":
        nouns = load_time_words()["schedule_noun"]
        return any(c.dep_ in SUBJECT_DEPS and _lemma(c) in nouns for c in verb.children)
    return False


def _attached_to_noun(span: Span) -> bool:
    """ "Sunday's referendum", "the March 16 vote": the expression names a thing's date, not the clause's."""
    root = span.root
    head = root.head
    return (
        root.dep_ in NOUN_ATTACHED_DEPS
        and not span.start <= head.i < span.end
        and head.tag_ in ("NN", "NNS", "NNP", "NNPS")
    )


def _under_future_word(span: Span, verb: Token | None) -> bool:
    """An adjective or participle such as "due" or "scheduled" between the expression and its verb."""
    words = load_time_words()["future_word"]
    tok = span.root
    while not _is_root(tok) and (verb is None or tok.head.i != verb.i):
        tok = tok.head
        if tok.tag_ in ("JJ", "VBN") and tok.lower_ in words and not span.start <= tok.i < span.end:
            return True
    return False


def expression_tense(span: Span) -> str | None:
    """The tense that decides a relative expression: a cue just before it; "nearest" for a date attached to
    a noun; "future" for a new deadline ("postponed the vote to October 12"); else its verb's tense."""
    w = load_time_words()
    window = span.doc[max(_sentence_start(span), span.start - CUE_WINDOW_TOKENS) : span.start]
    padded = " " + " ".join(t.lower_ for t in window)
    if any(padded.endswith(f" {cue}") for cue in w["past_cue"]):
        return "past"
    if any(padded.endswith(f" {cue}") or padded.endswith(f" {cue} on") for cue in w["future_cue"]):
        return "future"
    verb = governing_verb(span)
    if (
        verb is not None
        and _previous_word(span) in DEADLINE_PREPOSITIONS
        and _lemma(verb) in w["deferral_verb"]
    ):
        return "future"
    tense = verb_tense(verb) if verb is not None else None
    if tense not in FUTURE_TENSES and _under_future_word(span, verb):
        # "the remainder due October 23", "a summit scheduled for May 5" inside a clause of another tense
        return FUTURE_IN_PAST if tense == "past" else "future"
    if tense not in FUTURE_TENSES and _attached_to_noun(span):
        return NEAREST  # a future clause keeps its future: "will lead Friday prayers next week"
    return tense


# ---------------------------------------------------------------- calendar helpers


@dataclass(frozen=True)
class Resolved:
    value: str
    precision: str
    first: dt.date
    last: dt.date

    def as_fields(self) -> dict[str, Any]:
        days = [self.first.isoformat(), self.last.isoformat()]
        return {"value": self.value, "precision": self.precision, "range": days}


def _month_last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.isoweekday() - 1)


def day_unit(day: dt.date) -> Resolved:
    return Resolved(day.isoformat(), "day", day, day)


def week_unit(day: dt.date) -> Resolved:
    iso_year, week, _ = day.isocalendar()
    monday = _week_monday(day)
    return Resolved(f"{iso_year}-W{week:02d}", "week", monday, monday + dt.timedelta(days=6))


def month_unit(year: int, month: int) -> Resolved:
    return Resolved(f"{year:04d}-{month:02d}", "month", dt.date(year, month, 1), _month_last(year, month))


def year_unit(year: int) -> Resolved:
    return Resolved(f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31))


def containing_unit(first: dt.date, last: dt.date) -> Resolved:
    """The smallest calendar unit that holds [first, last], keeping the exact range."""
    if first == last:
        unit = day_unit(first)
    elif first.isocalendar()[:2] == last.isocalendar()[:2]:
        unit = week_unit(first)
    elif (first.year, first.month) == (last.year, last.month):
        unit = month_unit(first.year, first.month)
    else:
        unit = year_unit(last.year)
    return Resolved(unit.value, unit.precision, first, last)


def _narrow(unit: Resolved, first: dt.date, last: dt.date) -> Resolved:
    first, last = max(first, unit.first), min(last, unit.last)
    return Resolved(unit.value, unit.precision, first, last) if first <= last else unit


def _part_of(unit: Resolved, part: str) -> Resolved:
    """Narrow a week, month or year to its early/mid/late third."""
    if part not in ("early", "mid", "late"):
        return unit
    if unit.precision == "week":
        lo, hi = WEEK_PART_DAYS[part]
        return _narrow(unit, unit.first + dt.timedelta(days=lo - 1), unit.first + dt.timedelta(days=hi - 1))
    if unit.precision == "month":
        lo, hi = MONTH_PART_DAYS[part]
        return _narrow(unit, unit.first.replace(day=lo), unit.last.replace(day=min(hi, unit.last.day)))
    if unit.precision == "year":
        lo, hi = YEAR_PART_MONTHS[part]
        return _narrow(unit, dt.date(unit.first.year, lo, 1), _month_last(unit.first.year, hi))
    return unit


def choose_by_tense(
    options: list[Resolved], anchor: dt.date, tense: str | None, lookahead_days: int = 0
) -> Resolved:
    """Past: the latest option starting on or before the anchor -- unless one starts within
    ``lookahead_days`` after it; future: the earliest one ending on or after it; otherwise the nearest
    (a tie goes to the earlier one). ``options`` must not be empty."""
    options = sorted(options, key=lambda r: r.first)
    if tense == "past":
        soon = [r for r in options if anchor < r.first <= anchor + dt.timedelta(days=lookahead_days)]
        if soon:
            return soon[0]
        before = [r for r in options if r.first <= anchor]
        if before:
            return before[-1]
    if tense in ("future", SCHEDULED):  # a plan made in the past (future-in-past) may be over: nearest
        after = [r for r in options if r.last >= anchor]
        if after:
            return after[0]

    def distance(r: Resolved) -> int:
        if r.first <= anchor <= r.last:
            return 0
        return min(abs((r.first - anchor).days), abs((r.last - anchor).days))

    return min(options, key=distance)


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- resolution


def _number(text: str) -> int:
    words = load_time_words()["number"]
    key = " ".join(text.lower().split())
    return int(words[key]) if key in words else int(text)


def _month_number(text: str) -> int:
    return int(load_time_words()["month"][text.lower().rstrip(".")])


def _weekday_number(text: str) -> int:
    words, key = load_time_words(), text.lower().rstrip(".")
    return int(words["weekday"].get(key) or words["weekday_abbr"][key])


def _explicit_day(
    cand: Candidate, n: int, anchor: dt.date | None, tense: TenseOf, year_hint: int | None = None
) -> Resolved | None:
    """Day ``n`` of the candidate ("16 March 2014", "March 16"): its own year, a hint, or the anchor's."""
    g = cand.groups
    month = _month_number(g[f"m{n}"] or "") if g.get(f"m{n}") else None
    if month is None:
        return None
    day = int(g[f"d{n}"] or "0")
    if g.get(f"y{n}"):
        found = _real_date(int(g[f"y{n}"] or "0"), month, day)
        return day_unit(found) if found else None
    if year_hint is not None:
        found = _real_date(year_hint, month, day)
        return day_unit(found) if found else None
    if anchor is None:
        return None
    options = [
        day_unit(d)
        for y in range(anchor.year - YEARLESS_SEARCH_YEARS, anchor.year + YEARLESS_SEARCH_YEARS + 1)
        if (d := _real_date(y, month, day)) is not None
    ]
    if not options:
        return None
    if g.get("wd"):
        weekday = _weekday_number(g["wd"] or "")
        fits = [
            r for r in options if abs(r.first.year - anchor.year) <= 1 and r.first.isoweekday() == weekday
        ]
        if len(fits) == 1:
            return fits[0]
    return choose_by_tense(options, anchor, tense(), PAST_TENSE_LOOKAHEAD_DAYS)


def _resolve_range(cand: Candidate, anchor: dt.date | None, tense: TenseOf) -> Resolved | None:
    g = dict(cand.groups)
    if not g.get("m1"):
        g["m1"], g["y1"] = g.get("m2"), g.get("y1") or g.get("y2")
    if not g.get("m2"):
        g["m2"] = g["m1"]
    g["y2"] = g.get("y2") or g.get("y1")
    filled = Candidate(cand.kind, cand.span, g, cand.rank)
    first = _explicit_day(filled, 1, anchor, tense)
    if first is None:
        return None
    last = _explicit_day(filled, 2, anchor, tense, year_hint=None if g.get("y2") else first.first.year)
    if last is not None and last.first < first.first and not g.get("y2"):
        # "28 December to 3 January": the end is in the next year
        last = _explicit_day(filled, 2, anchor, tense, year_hint=first.first.year + 1)
    if last is None or last.first < first.first:
        return None
    return containing_unit(first.first, last.first)


def _resolve_weekday(cand: Candidate, anchor: dt.date, tense: TenseOf) -> Resolved:
    target = _weekday_number(cand.groups["wd"] or "")
    back = (anchor.isoweekday() - target) % 7
    ahead = (target - anchor.isoweekday()) % 7
    mod = " ".join(cand.group("mod").split())
    if mod in ("last", "past"):
        return day_unit(anchor - dt.timedelta(days=back or 7))
    if mod == "next":  # "next Thursday" is next week's: in a Wednesday story not tomorrow, but in eight days
        return day_unit(_week_monday(anchor) + dt.timedelta(days=7 + target - 1))
    if mod == "coming":
        return day_unit(anchor + dt.timedelta(days=ahead or 7))
    if tense() == NEAREST:
        return day_unit(
            anchor - dt.timedelta(days=back) if back <= ahead else anchor + dt.timedelta(days=ahead)
        )
    if tense() not in FUTURE_TENSES:
        return day_unit(anchor - dt.timedelta(days=back))
    today = (
        tense() == SCHEDULED
        or mod in ("this", "this coming")
        or cand.group("part") == "later"
        or cand.group("pod") in ("afternoon", "evening", "night")
    )
    return day_unit(anchor + dt.timedelta(days=ahead or (0 if today else 7)))


def _resolve_relative_unit(cand: Candidate, anchor: dt.date, tense: TenseOf) -> Resolved:
    unit, part = cand.group("unit"), cand.group("part")
    mod = " ".join(cand.group("mod").split())
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(mod, 0)
    if unit == "week" and step == 0 and not part and anchor.isoweekday() == 7 and tense() in FUTURE_TENSES:
        step = 1  # on a Sunday, "this week" in the future tense is the week that starts tomorrow
    if unit == "week":
        resolved = week_unit(anchor + dt.timedelta(days=7 * step))
    elif unit == "month":
        shifted = _add_months(anchor.replace(day=1), step)
        resolved = month_unit(shifted.year, shifted.month)
    else:
        resolved = year_unit(anchor.year + step)
    if step == 0 and part in ("earlier", "later"):
        one = dt.timedelta(days=1)
        return (
            _narrow(resolved, resolved.first, anchor - one)
            if part == "earlier"
            else _narrow(resolved, anchor + one, resolved.last)
        )
    return _part_of(resolved, load_time_words()["part"].get(part, ""))


def _resolve_weekend(cand: Candidate, anchor: dt.date, tense: TenseOf) -> Resolved:
    mod = " ".join(cand.group("mod").split())
    this_saturday = _week_monday(anchor) + dt.timedelta(days=5)
    if mod in ("last", "past"):
        saturday = this_saturday - dt.timedelta(days=7)
    elif mod == "next":
        saturday = this_saturday + dt.timedelta(days=7)
    elif mod in ("this", "this coming", "coming"):
        saturday = this_saturday
    elif tense() in FUTURE_TENSES:
        # the first weekend that is not over: next week's once Sunday has come
        saturday = this_saturday + dt.timedelta(days=7 if anchor.isoweekday() == 7 else 0)
    else:  # the most recent weekend that has begun
        saturday = this_saturday if anchor >= this_saturday else this_saturday - dt.timedelta(days=7)
    return containing_unit(saturday, saturday + dt.timedelta(days=1))


def _resolve_rolling(cand: Candidate, anchor: dt.date) -> Resolved:
    unit = cand.group("unit")
    count = _number(cand.group("num")) if cand.group("num") else (RECENT_UNITS if cand.group("plural") else 1)
    ahead = cand.group("dir") in ("next", "coming")
    one = dt.timedelta(days=1)
    if unit == "hour":
        days = dt.timedelta(days=-(-count // HOURS_PER_DAY))
        return containing_unit(anchor, anchor + days) if ahead else containing_unit(anchor - days, anchor)
    if unit in ("day", "week"):
        span = dt.timedelta(days=count * (7 if unit == "week" else 1))
        if ahead:
            return containing_unit(anchor + one, anchor + span)
        return containing_unit(anchor - span, anchor - one)
    months = count * (12 if unit == "year" else 1)
    if ahead:
        return containing_unit(anchor + one, _add_months(anchor, months))
    return containing_unit(_add_months(anchor, -months), anchor - one)


def _resolve_ago(cand: Candidate, anchor: dt.date) -> Resolved:
    count, unit = _number(cand.group("num")), cand.group("unit")
    if unit == "day":
        return day_unit(anchor - dt.timedelta(days=count))
    if unit == "week":
        return week_unit(anchor - dt.timedelta(days=7 * count))
    if unit == "month":
        shifted = _add_months(anchor, -count)
        return month_unit(shifted.year, shifted.month)
    return year_unit(anchor.year - count)


def _resolve_month(cand: Candidate, anchor: dt.date | None, tense: TenseOf) -> Resolved | None:
    month = _month_number(cand.group("m1"))
    part = load_time_words()["part"].get(" ".join(cand.group("part").split()), "")
    if cand.groups.get("y1"):
        return _part_of(month_unit(int(cand.groups["y1"] or "0"), month), part)
    if anchor is None:
        return None
    mod = " ".join(cand.group("mod").split())
    options = [month_unit(y, month) for y in range(anchor.year - 1, anchor.year + 2)]
    this_month = month_unit(anchor.year, anchor.month)
    if mod in ("last", "past"):
        chosen = [r for r in options if r.last < this_month.first][-1]
    elif mod in ("next", "coming"):
        chosen = next(r for r in options if r.first > this_month.last)
    elif mod in ("this", "this coming"):
        chosen = month_unit(anchor.year, month)
    else:
        chosen = choose_by_tense(options, anchor, tense())
    return _part_of(chosen, part)


def _resolve_month_range(cand: Candidate, anchor: dt.date | None, tense: TenseOf) -> Resolved | None:
    """ "from April through October", "between March and May 2014": the first month as a lone month would
    be (its own year, the end's year, or by tense), the last one on or after it."""
    g = cand.groups
    start_month, end_month = _month_number(g["m1"] or ""), _month_number(g["m2"] or "")
    start_year = g.get("y1") or (g.get("y2") if start_month <= end_month else None)
    kind = "month_year" if start_year else "month_alone"
    first = _resolve_month(
        Candidate(kind, cand.span, {"m1": g["m1"], "y1": start_year}, cand.rank), anchor, tense
    )
    if first is None:
        return None
    end_year = int(g["y2"]) if g.get("y2") else first.first.year + (end_month < first.first.month)
    last = month_unit(end_year, end_month)
    return containing_unit(first.first, last.last) if last.last >= first.first else None


def _resolve_nth(cand: Candidate, anchor: dt.date, tense: TenseOf) -> Resolved | None:
    day = int(cand.groups["d1"] or "0")
    options = []
    for step in (-1, 0, 1):
        first = _add_months(anchor.replace(day=1), step)
        found = _real_date(first.year, first.month, day)
        if found:
            options.append(day_unit(found))
    return choose_by_tense(options, anchor, tense()) if options else None


def _season_of(season: str, year: int) -> Resolved:
    """The season named by ``year`` (winter: the one that ends in it) as a range of whole months."""
    first_month, last_month = (int(m) for m in load_time_words()["season"][season].split("-"))
    first = dt.date(year - (first_month > last_month), first_month, 1)
    return containing_unit(first, _month_last(year, last_month))


def _resolve_season(cand: Candidate, anchor: dt.date | None, tense: TenseOf) -> Resolved | None:
    """ "this summer", "last winter", "in the autumn", "the spring of 2011"; early/mid/late take its first,
    middle or last month."""
    season = cand.group("season")
    if cand.groups.get("y1"):
        chosen = _season_of(season, int(cand.groups["y1"] or "0"))
    elif anchor is None:
        return None
    else:
        options = [_season_of(season, y) for y in range(anchor.year - 1, anchor.year + 3)]
        mod = " ".join(cand.group("mod").split())
        if mod in ("last", "past"):
            chosen = [r for r in options if r.last < anchor][-1]
        elif mod in ("next", "coming"):
            chosen = next(r for r in options if r.first > anchor)
        elif mod in ("this", "this coming"):
            chosen = choose_by_tense(options, anchor, None)
        else:
            chosen = choose_by_tense(options, anchor, tense())
            if tense() in FUTURE_TENSES and chosen.first <= anchor <= chosen.last:
                # "elections are due in the spring" written in May: a season already under way is
                # "this spring" or "later this spring", so a bare one ahead is the next
                chosen = next(r for r in options if r.first > anchor)
    part = load_time_words()["part"].get(" ".join(cand.group("part").split()), "")
    if part not in SEASON_PART_MONTH:
        return chosen
    month = _add_months(chosen.first, SEASON_PART_MONTH[part])
    return Resolved(chosen.value, chosen.precision, month, _month_last(month.year, month.month))


def _resolve_decade(cand: Candidate, anchor: dt.date | None) -> Resolved | None:
    """ "the 1990s" -> "199"; "the '80s" -> the latest such decade that has begun by the anchor."""
    digits = cand.group("decade")[:-1].strip(APOSTROPHES)
    if len(digits) == 4:
        first_year = int(digits)
    elif anchor is None:
        return None  # "the '20s": which century is the anchor's to say
    else:
        first_year = anchor.year // 100 * 100 + int(digits)
        if first_year > anchor.year:
            first_year -= 100
    lo, hi = DECADE_PART_YEARS.get(
        load_time_words()["part"].get(" ".join(cand.group("part").split()), ""), (0, 9)
    )
    first, last = dt.date(first_year + lo, 1, 1), dt.date(first_year + hi, 12, 31)
    return Resolved(f"{first_year // 10:03d}", DECADE, first, last)


def _resolve_holiday(cand: Candidate, anchor: dt.date | None, tense: TenseOf) -> Resolved | None:
    month_day = load_time_words()["holiday"][_straight(cand.group("hol"))]
    month, day = (int(x) for x in month_day.split("-"))
    if cand.groups.get("y1"):
        return day_unit(dt.date(int(cand.groups["y1"] or "0"), month, day))
    if anchor is None:
        return None
    options = [day_unit(dt.date(y, month, day)) for y in range(anchor.year - 1, anchor.year + 2)]
    return choose_by_tense(options, anchor, tense())


def resolve(cand: Candidate, anchor: dt.date | None) -> Resolved | None:
    """The calendar meaning of one candidate; None when it needs an anchor and has none."""
    cached: list[str | None] = []

    def tense() -> str | None:
        if not cached:
            cached.append(expression_tense(cand.span))
        return cached[0]

    kind, g = cand.kind, cand.groups
    if kind == "ymd":
        found = _real_date(int(g["y1"] or "0"), int(g["m1"] or "0"), int(g["d1"] or "0"))
        return day_unit(found) if found else None
    if kind in ("dmy", "mdy"):
        return _explicit_day(cand, 1, anchor, tense)
    if kind in ("range_dmy", "range_mdy"):
        return _resolve_range(cand, anchor, tense)
    if kind in ("month_year", "month_alone"):
        return _resolve_month(cand, anchor, tense)
    if kind == "range_months":
        return _resolve_month_range(cand, anchor, tense)
    if kind == "year_alone":
        part = load_time_words()["part"].get(" ".join(cand.group("part").split()), "")
        return _part_of(year_unit(int(g["y1"] or "0")), part)
    if kind == "holiday":
        return _resolve_holiday(cand, anchor, tense)
    if kind == "season":
        return _resolve_season(cand, anchor, tense)
    if kind == "decade":
        return _resolve_decade(cand, anchor)
    if anchor is None:
        return None
    if kind == "relative_day":
        offset = int(load_time_words()["relative_day"][" ".join(cand.group("rel").split())])
        return day_unit(anchor + dt.timedelta(days=offset))
    if kind == "weekday":
        return _resolve_weekday(cand, anchor, tense)
    if kind == "relative_unit":
        return _resolve_relative_unit(cand, anchor, tense)
    if kind == "weekend":
        return _resolve_weekend(cand, anchor, tense)
    if kind == "rolling":
        return _resolve_rolling(cand, anchor)
    if kind == "ago":
        return _resolve_ago(cand, anchor)
    if kind == "nth":
        return _resolve_nth(cand, anchor, tense)
    return None


def _sentence_bounds(span: Span) -> tuple[int, int]:
    """The token range of the expression's sentence; the whole Doc when nothing set sentences."""
    if not span.doc.has_annotation("SENT_START"):
        return 0, len(span.doc)
    return span.sent.start, span.sent.end


def _resolve_relational(cand: Candidate, earlier: list[dict[str, Any]]) -> Resolved | None:
    """ "two days later", "the previous day", "a day after <clause>": counted from the nearest day-level
    date before it in its sentence -- or, for the forms that stand alone ("The next day, ..."), the last
    one of the sentence before. None when there is no such date: the story date is not what they count
    from."""
    sign = _relation_sign(cand)
    if sign is None:
        return None
    first, _last = _sentence_bounds(cand.span)
    days = [d for d in earlier if d["precision"] == "day" and d["token_end"] <= cand.span.start]
    same = [d for d in days if d["token_start"] >= first]
    inverted = bool(cand.group("dir") or cand.group("side")) and cand.span[-1].dep_ == "mark"
    if same:
        reference = same[-1]
    elif days and not inverted and first > 0:
        previous_first, _ = _sentence_bounds(cand.span.doc[first - 1 : first])
        before = [d for d in days if d["token_start"] >= previous_first]
        if not before:
            return None
        reference = before[-1]
    else:
        return None
    base = dt.date.fromisoformat(reference["value"])
    unit = cand.group("unit") or "day"
    count = sign * (_number(cand.group("num")) if cand.group("num") else 1)
    if unit == "day":
        return day_unit(base + dt.timedelta(days=count))
    if unit == "week":
        return week_unit(base + dt.timedelta(days=7 * count))
    if unit == "month":
        shifted = _add_months(base, count)
        return month_unit(shifted.year, shifted.month)
    return year_unit(base.year + count)


def _absolute_but_invalid(cand: Candidate) -> bool:
    """ "30 February", "2014-02-30": shaped like a date, but no calendar has it."""
    g = cand.groups
    if cand.kind == "ymd" or (cand.kind in ("dmy", "mdy") and g.get("y1")):
        return resolve(cand, None) is None
    if cand.kind in ("dmy", "mdy"):  # year-less: possible in some year (29 February in leap years)?
        return _real_date(2000, _month_number(g["m1"] or ""), int(g["d1"] or "0")) is None
    return False


def find_time_expressions(doc: Doc, anchor: dt.date | None) -> list[dict[str, Any]]:
    """The ``doc._.fp_dates`` items for ``doc``: every time expression, resolved against ``anchor``.

    With ``anchor=None`` relative expressions keep ``value``/``precision``/``range`` None (never guessed);
    absolute ones ("16 March 2014", "in 2008") still resolve. Needs tags and a parse for the tense rules.
    """
    items: list[dict[str, Any]] = []
    for cand in scan(doc):
        if _absolute_but_invalid(cand):
            continue
        if cand.kind == "relational":
            resolved = _resolve_relational(cand, items)
            if resolved is None:
                continue  # "the next day" with no day before it to count from: no date of its own
        else:
            resolved = resolve(cand, anchor)
        span = cand.span
        item: dict[str, Any] = {
            "text": span.text,
            "start": span.start_char,
            "end": span.end_char,
            "token_start": span.start,
            "token_end": span.end,
            "value": None,
            "precision": None,
            "range": None,
        }
        if resolved is not None:
            item.update(resolved.as_fields())
        items.append(item)
    return items


# ---------------------------------------------------------------- event dates


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS for c in tok.children)


def _has_object(verb: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lower_ not in LIGHT_OBJECTS for c in verb.children)


def attachment(doc: Doc, item: dict[str, Any]) -> Token | None:
    """The token a time expression modifies: the head above its span, through its preposition, past an
    "as planned" parenthetical, and out of a complement clause it precedes (:func:`_out_of_clause`)."""
    span = doc[item["token_start"] : item["token_end"]]
    tok = span.root
    if _is_root(tok):
        return None
    tok = tok.head
    while (tok.tag_ == "IN" or tok.dep_ in ("prep", "agent")) and not _is_root(tok):
        tok = tok.head
    while _is_parenthetical(tok):
        tok = tok.head
    return _out_of_clause(tok, span) if _is_verb(tok) else tok


def clause_owners(doc: Doc, trigger: int) -> list[Token]:
    """The tokens whose time is the event's time, nearest first: the trigger; for a noun, the path up to
    the verb that governs it (not when the noun is the subject of a verb with an object of its own: that
    verb is another event); then subject-less verbs above (xcomp, participle, conjunct), stopping at the
    first verb with a subject of its own or a temporal preposition ("After deploying ...")."""
    tok = doc[trigger]
    owners = [tok]
    while not _is_verb(tok) and tok.dep_ in NOMINAL_CLIMB_DEPS and not _is_root(tok):
        if tok.dep_ == "nsubj" and _has_object(tok.head):
            return owners  # "The referendum ... will trigger sanctions on Monday": Monday is the sanctions'
        tok = tok.head
        owners.append(tok)
    while _is_verb(tok) and not _has_subject(tok) and tok.dep_ in VERB_CLIMB_DEPS and not _is_root(tok):
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ != "as" for c in tok.children):
            break  # "when ...", "after ...", "if ...": a clause with a time of its own
        up = tok.head
        while (up.tag_ == "IN" or up.dep_ == "prep") and not _is_root(up):
            if up.lower_ in TEMPORAL_PREPOSITIONS:
                return owners
            owners.append(up)
            up = up.head
        tok = up
        owners.append(tok)
    return owners


def _object_nouns(owner: Token) -> list[Token]:
    """The tokens under an owner verb's objects (nouns and their prepositions), not crossing into a verb."""
    found: list[Token] = []
    stack = [c for c in owner.children if c.dep_ in OBJECT_DEPS]
    while stack:
        tok = stack.pop()
        if _is_verb(tok):
            continue
        found.append(tok)
        stack.extend(c for c in tok.children if c.dep_ in OBJECT_DEPS)
    return found


def event_date(doc: Doc, trigger: int, dates: list[dict[str, Any]], depth: int = 0) -> dict[str, Any] | None:
    """The time expression that governs the clause of the event whose trigger is token ``trigger``.

    Rule: an expression governs the event when it attaches (through its preposition) to the trigger, or
    to a token on the trigger's clause chain (:func:`clause_owners`): a noun trigger's path to its verb
    ("the imposition of sanctions ... on Monday" under "trigger"), or a subject-less verb above
    ("set to go ahead ... on Sunday"). The nearest owner wins; on one owner, the nearest expression.
    When nothing attaches there, an expression inside the owners' objects is taken ("ordering further
    deployments on yesterday" parsed under "deployments"); then one on a conjoined verb that shares the
    subject ("recalled ... and banned imports on Friday"), then one on a subject-less infinitive below
    ("refused to step down ... on Saturday") if it is not after the story date. An expression of another
    clause -- a verb with its own subject, a relative clause -- does not count, but an undated clause
    borrows the date of the clause it leans on when they share their time (:func:`_inherited_date`: a
    conjunct of the same tense, an "as"/"when" clause, a reported simple past or present). None when
    nothing governs. A decade is returned without value and precision (:func:`_for_event`): the record's
    precisions stop at the year.
    """
    if not 0 <= trigger < len(doc):
        return None
    if not doc.has_annotation("DEP"):
        return None  # the rule reads the parse; without one nothing can be said to govern the event
    sentence = doc[trigger].sent
    in_sentence = [d for d in dates if sentence.start <= d["token_start"] < sentence.end]
    if not in_sentence:
        return None
    attached: dict[int, list[dict[str, Any]]] = {}
    for item in in_sentence:
        tok = attachment(doc, item)
        if tok is not None:
            attached.setdefault(tok.i, []).append(item)

    def distance(item: dict[str, Any]) -> int:
        return min(abs(item["token_start"] - trigger), abs(item["token_end"] - 1 - trigger))

    def nearest(items: list[dict[str, Any]]) -> dict[str, Any]:
        return min(items, key=distance)

    owners = clause_owners(doc, trigger)
    for owner in owners:
        if owner.i in attached:
            return _for_event(nearest(attached[owner.i]))
    below = [item for owner in owners for noun in _object_nouns(owner) for item in attached.get(noun.i, [])]
    if below:
        return _for_event(nearest(below))
    for verbs, past_only in ((_shared_subject_conjuncts(owners), False), (_complement_verbs(owners), True)):
        found = [
            item
            for verb in verbs
            for tok in (verb, *_object_nouns(verb))
            for item in attached.get(tok.i, [])
            if not past_only or _not_after_anchor(doc, item)
        ]
        if found:
            return _for_event(nearest(found))
    return _inherited_date(doc, owners[-1], dates, depth)


def _shared_subject_conjuncts(owners: list[Token]) -> list[Token]:
    """ "recalled its ambassador and banned imports on Friday": verbs conjoined to an owner that share its
    subject (they have none of their own), whose date is the owner's too."""
    return [c for o in owners if _is_verb(o) for c in o.children if c.dep_ == "conj" and _is_verb(c)
            and not _has_subject(c)]  # fmt: skip


def _complement_verbs(owners: list[Token]) -> list[Token]:
    """ "refused to step down ... on Saturday", "reversed their decision to reopen schools on Wednesday":
    subject-less infinitives under an owner or under its object, where the parser often hangs the date
    of the verb above."""
    heads = [*owners, *(n for o in owners for n in _object_nouns(o))]
    return [c for h in heads for c in h.children if c.dep_ in COMPLEMENT_DEPS and _is_verb(c)
            and not _has_subject(c)]  # fmt: skip


def _not_after_anchor(doc: Doc, item: dict[str, Any]) -> bool:
    """A date that has come by the story date: only such a date of a complement can be the verb's own
    ("agreed to meet on Friday" in a Wednesday story is a plan, not the day of the agreement)."""
    anchor = parse_anchor(doc._.fp_anchor) if Doc.has_extension("fp_anchor") else None
    if anchor is None or not item.get("range"):
        return False
    return dt.date.fromisoformat(item["range"][1]) <= anchor


def _inherited_date(doc: Doc, top: Token, dates: list[dict[str, Any]], depth: int) -> dict[str, Any] | None:
    """The date of the clause an undated clause leans on: "Hamas freed hostages on Saturday, and Israel
    released prisoners" (a conjunct of the same tense); "detained 400 people on Sunday as thousands
    marched" (a clause of the same time: "as", "while", "when", or "after" with no longer gap than hours);
    "said on Sunday that Tehran was ready" (a reported present or simple past -- not "had deployed",
    which is before the saying, nor "would resign", which is after it)."""
    if top.dep_ in ("acomp", "attr") and _is_verb(top.head):
        top = top.head  # "Tehran was ready to ...": the clause is the copula's
    if depth >= MAX_INHERIT_HOPS or not _is_verb(top) or _is_root(top) or not _has_subject(top):
        return None
    head = top.head
    if not _is_verb(head):
        return None
    tense, head_tense = verb_tense(top), verb_tense(head)
    if top.dep_ == "conj":
        future = tense in FUTURE_TENSES
        if future != (head_tense in FUTURE_TENSES) or tense is None:
            return None
    elif top.dep_ == "advcl":
        marks = {c.lower_ for c in top.children if c.dep_ == "mark"}
        gaps = {c.lower_ for c in top.children if c.dep_ == "npadvmod"}
        same_time = bool(marks & SAME_TIME_MARKS) or ("after" in marks and gaps <= SAME_DAY_GAPS)
        if not same_time:
            return None
    elif top.dep_ == "ccomp":
        auxes = set(_aux_words(top))
        if tense not in ("past", "present") or auxes & PERFECT_AUX:
            return None
    else:
        return None
    found = event_date(doc, head.i, dates, depth + 1)
    if found is None or (top.dep_ == "advcl" and found.get("precision") != "day"):
        return None
    return found


def _for_event(item: dict[str, Any]) -> dict[str, Any]:
    """An expression coarser than a year ("in the 1990s") governs the event but cannot date it: a copy
    without value and precision (the event takes the story date), its range kept for the modality."""
    if item.get("precision") is None or item["precision"] in EVENT_PRECISIONS:
        return item
    return {**item, "value": None, "precision": None}


# ---------------------------------------------------------------- component


def parse_anchor(value: str | dt.date | None) -> dt.date | None:
    """``"YYYY-MM-DD"`` (or a date) to a date; None stays None; anything else is error E104."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as err:
        raise FlashpointError("E104", value=value) from err


class DateFinder:
    """The ``flashpoint_dates`` component: time expressions into ``doc._.fp_dates``."""

    def __init__(self, name: str = COMPONENT_NAME) -> None:
        self.name = name
        load_time_words()  # fail at pipeline build, not on the first story, if the data file is broken

    def __call__(self, doc: Doc) -> Doc:
        anchor = parse_anchor(doc._.fp_anchor)
        self.set_annotations(doc, find_time_expressions(doc, anchor))
        return doc

    @staticmethod
    def set_annotations(doc: Doc, items: list[dict[str, Any]]) -> None:
        doc._.fp_dates = items


@Language.factory(COMPONENT_NAME, requires=["token.dep", "token.tag"], assigns=["doc._.fp_dates"])
def make_date_finder(nlp: Language, name: str) -> DateFinder:
    return DateFinder(name=name)


OUTPUT_FIELDS = ("text", "start", "end", "value", "precision", "range")


def dates_for_text(nlp: Language, text: str, anchor: str | None) -> list[dict[str, Any]]:
    """The ``flashpoint dates`` objects for one text: ``{text, start, end, value, precision, range}``.

    Runs ``nlp``'s components up to and including ``flashpoint_dates``; a pipeline without that component
    is run whole and the date step applied after it. A bad ``anchor`` raises E104.
    """
    parsed = parse_anchor(anchor)
    doc = nlp.make_doc(text)
    doc._.fp_anchor = parsed.isoformat() if parsed else None
    ran_dates = False
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == COMPONENT_NAME:
            ran_dates = True
            break
    items = doc._.fp_dates if ran_dates else find_time_expressions(doc, parsed)
    return [{key: item[key] for key in OUTPUT_FIELDS} for item in items or []]
