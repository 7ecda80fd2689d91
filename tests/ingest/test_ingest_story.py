"""The per-story checks every reader shares (flashpoint.ingest.story)."""

from __future__ import annotations

import pytest

from flashpoint.config import Settings
from flashpoint.errors import FlashpointError
from flashpoint.ingest.story import InvalidDate, RawStory, article_from_text, check_story, normalize_date
from flashpoint.records import Article

ENGLISH = "Russian troops moved into Crimea on Saturday, and the United States said it would respond."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2014-03-15", "2014-03-15"),
        ("2014-03-15T10:30:00Z", "2014-03-15"),
        ("2014-03-15T23:30:00-05:00", "2014-03-15"),
        ("2014-03-15 10:30", "2014-03-15"),
        (" 2014-03-15 ", "2014-03-15"),
        (None, None),
        ("", None),
    ],
)
def test_normalize_date_accepts_dates_and_iso_datetimes(value: object, expected: str | None) -> None:
    assert normalize_date(value) == expected


@pytest.mark.parametrize("value", ["2014-02-30", "2014-13-01", "15 March 2014", "20140315", "2014-3-5", 2014])
def test_normalize_date_rejects_impossible_or_other_forms(value: object) -> None:
    with pytest.raises(InvalidDate):
        normalize_date(value)


def test_good_story_becomes_article_with_given_fields() -> None:
    raw = RawStory("f.jsonl:3", ENGLISH, story_id=17, date="2014-03-15T08:00:00", title=" T ", url="u")
    checked = check_story(raw, Settings())
    assert checked.problems == []
    assert checked.article == Article(
        story_id="17", text=ENGLISH, date="2014-03-15", title="T", url="u", location="f.jsonl:3"
    )


def test_missing_id_uses_content_hash() -> None:
    checked = check_story(RawStory("x", ENGLISH, date="2014-03-15"), Settings())
    assert checked.article is not None
    assert checked.article.story_id == Article.content_id(ENGLISH)


@pytest.mark.parametrize(
    ("text", "code"), [(None, "E005"), (42, "E005"), ({"a": 1}, "E005"), ("", "E006"), ("  \n\t", "E006")]
)
def test_missing_or_empty_text_is_skipped(text: object, code: str) -> None:
    checked = check_story(RawStory("f.jsonl:2", text, date="2014-03-15"), Settings())
    assert checked.article is None
    assert [(p.code, p.location) for p in checked.problems] == [(code, "f.jsonl:2")]


def test_impossible_date_is_skipped_with_e007() -> None:
    checked = check_story(RawStory("f.jsonl:4", ENGLISH, date="2014-02-30"), Settings(), "2014-03-01")
    assert checked.article is None
    assert [p.code for p in checked.problems] == ["E007"]
    assert "2014-02-30" in checked.problems[0].reason


def test_no_date_warns_e010_and_keeps_article() -> None:
    checked = check_story(RawStory("a.txt", ENGLISH), Settings())
    assert checked.article is not None and checked.article.date is None
    assert [p.code for p in checked.problems] == ["E010"]
    assert checked.problems[0].is_warning


def test_default_date_fills_missing_date_only() -> None:
    undated = check_story(RawStory("a", ENGLISH), Settings(), "2014-03-01")
    dated = check_story(RawStory("b", ENGLISH, date="2014-03-15"), Settings(), "2014-03-01")
    assert undated.article is not None and undated.article.date == "2014-03-01"
    assert dated.article is not None and dated.article.date == "2014-03-15"
    assert undated.problems == dated.problems == []


def test_huge_story_is_cut_with_e009_warning() -> None:
    text = ENGLISH * 20
    checked = check_story(RawStory("big", text, date="2014-03-15"), Settings(max_chars=100))
    assert checked.article is not None and checked.article.text == text[:100]
    assert [p.code for p in checked.problems] == ["E009"]
    assert str(len(text)) in checked.problems[0].reason


def test_reader_cut_text_reports_full_length() -> None:
    raw = RawStory("big.txt", ENGLISH, date="2014-03-15", full_length=10_000)
    checked = check_story(raw, Settings(max_chars=len(ENGLISH)))
    assert [p.code for p in checked.problems] == ["E009"]
    assert "10000" in checked.problems[0].reason


def test_non_english_story_is_skipped_with_e013() -> None:
    french = (
        "Le gouvernement français a annoncé mardi de nouvelles sanctions contre la Russie après l'annexion."
    )
    checked = check_story(RawStory("fr", french, date="2014-03-15"), Settings())
    assert checked.article is None
    assert [p.code for p in checked.problems] == ["E013"]


def test_article_from_text_runs_the_same_checks() -> None:
    checked = article_from_text(ENGLISH, Settings(), date="2014-03-15", story_id="s1")
    assert checked.article is not None and checked.article.story_id == "s1"
    assert checked.article.location == "<text>"
    assert [p.code for p in article_from_text("", Settings()).problems] == ["E006"]


def test_article_from_text_bad_date_is_a_usage_error() -> None:
    with pytest.raises(FlashpointError) as err:
        article_from_text(ENGLISH, Settings(), date="2014-02-30")
    assert err.value.code == "E104"
