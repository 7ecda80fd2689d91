"""Dyad series: counts per quad class, intensity, per-1,000-article normalisation, filters and the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from analysis_fixtures import small_store

from flashpoint.analysis.series import (
    COLUMNS,
    aggregate_series,
    dyad_series,
    empty_series,
    overall_series,
)
from flashpoint.cli import main
from flashpoint.errors import FlashpointError
from flashpoint.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "fp.duckdb"
    small_store(path).close()
    yield path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(str(db), read_only=True) as opened:
        yield opened


def by_day(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["period"].date().isoformat(): row for row in frame.to_dict("records")}


def test_one_dyad_counts_quads_and_intensity_per_day(store):
    frame = dyad_series(store, "RUS-UKR")
    assert list(frame.columns) == COLUMNS
    days = by_day(frame)
    assert list(days) == ["2014-03-01", "2014-03-02", "2014-03-03"]  # dense: the quiet day is a row
    first = days["2014-03-01"]
    # the future COERCE and the month-dated SANCTION do not count; ASSAULT and THREATEN do
    assert (first["n_events"], first["verbal_conflict"], first["material_conflict"]) == (2, 1, 1)
    assert first["intensity"] == pytest.approx(-12.5)
    assert first["conflict_intensity"] == pytest.approx(12.5)
    assert first["cooperation_intensity"] == 0.0
    assert days["2014-03-02"]["n_events"] == 0
    third = days["2014-03-03"]
    assert (third["n_events"], third["verbal_cooperation"], third["intensity"]) == (2, 2, 5.0)
    assert (first["n_articles"], days["2014-03-02"]["n_articles"], third["n_articles"]) == (1, 0, 2)


def test_conflict_event_ids_are_most_hostile_first(store):
    first = by_day(dyad_series(store, "RUS-UKR"))["2014-03-01"]
    scales = dict(store.con.execute("SELECT id, event_scale FROM events").fetchall())
    assert [scales[i] for i in first["conflict_event_ids"]] == [-9.0, -3.5]
    assert first["cooperation_event_ids"] == []


def test_per_1k_divides_by_the_smoothed_daily_article_volume(store):
    days = by_day(dyad_series(store, "RUS-UKR"))
    # three articles over three covered days: a mean of one a day inside the 7-day window, every day
    assert [row["article_volume"] for row in days.values()] == pytest.approx([1.0, 1.0, 1.0])
    assert days["2014-03-01"]["events_per_1k"] == pytest.approx(2000.0)
    assert days["2014-03-01"]["conflict_intensity_per_1k"] == pytest.approx(12500.0)
    assert days["2014-03-01"]["conflict_events_per_1k"] == pytest.approx(2000.0)


def test_weeks_start_on_monday_and_divide_by_the_weeks_articles(store):
    weeks = by_day(dyad_series(store, "RUS-UKR", freq="week"))
    assert list(weeks) == ["2014-02-24", "2014-03-03"]  # 1 March 2014 was a Saturday
    assert weeks["2014-02-24"]["n_articles"] == 1 and weeks["2014-03-03"]["n_articles"] == 2
    assert weeks["2014-03-03"]["events_per_1k"] == pytest.approx(2 * 1000 / 2)
    assert dyad_series(store, "RUS-UKR", freq="week").attrs["freq"] == "week"


def test_every_dyad_and_sector_level(store):
    frame = dyad_series(store)
    assert set(frame["dyad"]) == {"RUS-UKR", "USA-RUS"}
    sectors = dyad_series(store, "RUS-UKR", level="sector")
    assert set(sectors["dyad"]) == {"RUS/MIL-UKR/GOV", "RUS/GOV-UKR/GOV"}
    only_military = dyad_series(store, "RUS/MIL-UKR")  # a sector in the dyad implies sector level
    assert set(only_military["dyad"]) == {"RUS/MIL-UKR/GOV"}
    assert only_military["n_events"].sum() == 1


def test_overall_series_counts_events_without_a_recipient(store):
    frame = overall_series(store)
    assert set(frame["dyad"]) == {"ALL"}
    assert frame["n_events"].sum() == 6  # 3 + the MOBILIZE without a recipient + 2 AGREEs
    ukraine = overall_series(store, country="UKR")
    assert ukraine["n_events"].sum() == 5  # USA->RUS consultations do not involve Ukraine


def test_date_range_and_a_store_or_a_connection(store):
    frame = dyad_series(store.con, "RUS-UKR", date_from="2014-03-02", date_to="2014-03-03")
    assert [d.date().isoformat() for d in frame["period"]] == ["2014-03-02", "2014-03-03"]
    assert frame["n_events"].tolist() == [0, 2]


def test_bad_arguments(store):
    with pytest.raises(FlashpointError) as caught:
        dyad_series(store, "RUSUKR")
    assert caught.value.code == "E202"
    with pytest.raises(FlashpointError) as caught:
        dyad_series(store, "RUS-UKR", date_from="2014-02-30")
    assert caught.value.code == "E104"
    with pytest.raises(ValueError):
        dyad_series(store, freq="month")
    with pytest.raises(ValueError):
        dyad_series(store, level="person")


def test_an_empty_store_and_an_unknown_dyad_give_empty_series(tmp_path, store):
    with Store(str(tmp_path / "empty.duckdb")) as empty:
        assert dyad_series(empty).empty
        assert list(overall_series(empty).columns) == COLUMNS
    assert dyad_series(store, "FRA-DEU").empty
    assert list(empty_series().columns) == COLUMNS


def test_aggregate_series_is_pure():
    events = pd.DataFrame(
        {
            "id": ["e1", "e2"],
            "date": ["2014-01-01", "2014-01-03"],
            "actor": ["AAA", "AAA"],
            "recipient": ["BBB", "BBB"],
            "quad_code": [4, 1],
            "event_scale": [-10.0, 4.0],
        }
    )
    articles = pd.Series([10, 10, 10], index=pd.date_range("2014-01-01", periods=3, freq="D"))
    frame = aggregate_series(events, articles, "day")
    assert frame["conflict_intensity"].tolist() == [10.0, 0.0, 0.0]
    assert frame["cooperation_intensity_per_1k"].tolist() == pytest.approx([0.0, 0.0, 400.0])


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_cli_formats(db, capsys):
    code, out = run_cli(capsys, "series", "--db", str(db), "--dyad", "RUS-UKR", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["period"] for r in rows] == ["2014-03-01", "2014-03-02", "2014-03-03"]
    assert rows[0]["material_conflict"] == 1 and len(rows[0]["conflict_event_ids"]) == 2

    code, out = run_cli(capsys, "series", "--db", str(db), "--freq", "week", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(table[0]) == COLUMNS
    assert {row["dyad"] for row in table} == {"RUS-UKR", "USA-RUS"}

    code, out = run_cli(capsys, "series", "--db", str(db), "--dyad", "RUS-UKR")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["period", "dyad", "events"]
    assert len(lines) == 3  # header + the two days with events: the table skips quiet days


def test_cli_bad_dyad_is_a_clean_error(db, capsys):
    assert main(["series", "--db", str(db), "--dyad", "RUS"]) == 2
    assert "E202" in capsys.readouterr().err
