"""flashpoint export: PLOVER JSONL, CSV, Parquet and GDELT 2.0 TSV, with date, dyad and type filters."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flashpoint.errors import FlashpointError
from flashpoint.records import Actor, Article, Event, Place, TextInfo
from flashpoint.store import Store
from flashpoint.store.export import ExportFilters, export_events
from flashpoint.store.gdelt import COLUMNS

SIMFEROPOL = Place("Simferopol", "Simferopol", 693805, 44.95, 34.1, "UKR", "Crimea", "city", "only")
UKRAINE = Place("Ukraine", "Ukraine", 690791, 49.0, 32.0, "UKR", None, "country", "only")


def event(
    story_id: str, kind: str, actor: str, recipient: str, date: str, start: int, **extra: object
) -> Event:
    return Event(
        story_id=story_id,
        event=kind,
        actor=[Actor(actor, f"name of {actor}", actor, extra.pop("sector", "GOV"))],  # type: ignore[arg-type]
        recipient=[Actor(recipient, f"name of {recipient}", recipient, None)],
        date=date,
        date_precision="day",
        event_text=kind.lower(),
        text_info=TextInfo(extra.pop("sentence", 0), start, start + 5, "words"),  # type: ignore[arg-type]
        confidence=0.7,
        **extra,  # type: ignore[arg-type]
    )


def article(story_id: str, date: str, source: str) -> Article:
    return Article(
        story_id, f"Text of {story_id}.", date, source=source, url=f"https://{source}.example/{story_id}"
    )


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "export.duckdb")
    with Store(path) as store:
        store.write_batch(
            [
                (article("s1", "2014-03-01", "ap"), [
                    event("s1", "ASSAULT", "RUS", "UKR", "2014-03-01", 0, sector="MIL", quad_code=4,
                          event_scale=-9.0, event_loc=SIMFEROPOL),
                    event("s1", "SANCTION", "USA", "RUS", "2014-03-06", 30, mode="discontinue", quad_code=4,
                          event_scale=-5.0, sentence=5),
                ]),
                (article("s2", "2014-03-02", "reuters"), [
                    event("s2", "ASSAULT", "RUS", "UKR", "2014-03-01", 0, sector="MIL", quad_code=4,
                          event_scale=-9.0, event_loc=SIMFEROPOL, num_mentions=2),
                ]),
                (article("s3", "2014-03-20", "ap"), [
                    event("s3", "CONSULT", "IGO", "UKR", "2014-03-20", 0, quad_code=1, event_scale=1.0,
                          event_loc=UKRAINE),
                ]),
            ]
        )  # fmt: skip
    yield path


def export(db: str, fmt: str, out: Path, **filters: str) -> int:
    with Store(db, read_only=True) as store:
        return export_events(store.con, fmt, str(out), ExportFilters(**filters))


def test_plover_jsonl_is_the_event_record(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert export(db, "plover", out) == 4
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with Store(db, read_only=True) as store:
        assert records == store.events(limit=None)
    assert records[0]["actor"][0]["code"] == "RUS" and records[0]["event_loc"]["geonameid"] == 693805


def test_filters(db: str, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    assert export(db, "plover", out, dyad="rus-ukr") == 2
    assert export(db, "plover", out, event="sanction") == 1
    assert export(db, "plover", out, date_from="2014-03-02", date_to="2014-03-19") == 1
    assert export(db, "plover", out, date_from="2014-03-21") == 0 and out.read_text() == ""
    assert export(db, "plover", out, event="DEMAND") == 0  # an old name is accepted: REQUEST


@pytest.mark.parametrize(
    "filters, code",
    [({"event": "BOMB"}, "E204"), ({"dyad": "RUS"}, "E202"), ({"date_from": "2014-02-30"}, "E104")],
)
def test_bad_filters_are_numbered_errors(db: str, tmp_path: Path, filters: dict[str, str], code: str) -> None:
    with pytest.raises(FlashpointError) as err:
        export(db, "csv", tmp_path / "x.csv", **filters)
    assert err.value.code == code


def test_csv_and_parquet_carry_the_flat_columns_and_dedup_id(db: str, tmp_path: Path) -> None:
    assert export(db, "csv", tmp_path / "e.csv", dyad="RUS-UKR") == 2
    with (tmp_path / "e.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["story_id"] for r in rows] == ["s1", "s2"]
    assert rows[0]["dedup_id"] == rows[1]["dedup_id"] and rows[0]["actor_code"] == "RUS"
    assert export(db, "parquet", tmp_path / "e.parquet") == 4
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 4 and {"dedup_id", "event", "actor_code", "geonameid"} <= set(table.column_names)


def test_gdelt_tsv_has_one_row_per_deduplicated_event(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    assert export(db, "gdelt", out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(COLUMNS) and len(COLUMNS) == 61
    rows = [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
    assault, sanction, consult = rows
    assert (assault["SQLDATE"], assault["MonthYear"], assault["Year"], assault["FractionDate"]) == (
        "20140301", "201403", "2014", "2014.1616",
    )  # fmt: skip
    actor1 = [assault[f"Actor1{name}"] for name in ("Code", "Name", "CountryCode", "Type1Code")]
    assert actor1 == ["RUSMIL", "NAME OF RUS", "RUS", "MIL"]
    assert (assault["Actor2Code"], assault["Actor2CountryCode"]) == ("UKR", "UKR")
    assert (assault["EventRootCode"], assault["QuadClass"], assault["GoldsteinScale"]) == ("18", "4", "-9.0")
    assert (assault["NumMentions"], assault["NumSources"], assault["NumArticles"]) == ("3", "2", "2")
    assert (assault["ActionGeo_Type"], assault["ActionGeo_CountryCode"], assault["ActionGeo_FeatureID"]) == (
        "4", "UP", "693805",
    )  # fmt: skip
    assert assault["ActionGeo_FullName"] == "Simferopol, Crimea, Ukraine" and assault["IsRootEvent"] == "1"
    assert assault["SOURCEURL"] == "https://ap.example/s1" and len(assault["DATEADDED"]) == 14
    assert (sanction["EventCode"], sanction["EventRootCode"], sanction["IsRootEvent"]) == ("163", "16", "0")
    assert (sanction["ActionGeo_Type"], sanction["ActionGeo_FullName"]) == ("0", "")
    assert (consult["Actor1Code"], consult["Actor1CountryCode"], consult["Actor1KnownGroupCode"]) == (
        "IGOGOV", "", "IGO",
    )  # fmt: skip
    assert (consult["ActionGeo_Type"], consult["ActionGeo_ADM1Code"]) == ("1", "UP")
    assert len({r["GLOBALEVENTID"] for r in rows}) == 3


def test_older_read_only_file_gets_temporary_views(db: str, tmp_path: Path) -> None:
    import duckdb

    with duckdb.connect(db) as con:
        for view in ("dedup_events", "dedup_mentions", "event_dedup_keys"):
            con.execute(f"DROP VIEW {view}")
    assert export(db, "gdelt", tmp_path / "old.tsv") == 3


def test_unwritable_output_is_e205(db: str, tmp_path: Path) -> None:
    for fmt in ("plover", "csv", "gdelt"):
        with pytest.raises(FlashpointError) as err:
            export(db, fmt, tmp_path / "no-such-folder" / "out")
        assert err.value.code == "E205"


def test_cli_export(db: str, tmp_path: Path) -> None:
    out = tmp_path / "cli.tsv"
    command = [
        sys.executable,
        "-m",
        "flashpoint.cli",
        "export",
        "--db",
        db,
        "--format",
        "gdelt",
        "--out",
        str(out),
    ]
    done = subprocess.run(
        [*command, "--dyad", "RUS-UKR", "--from", "2014-03-01"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "exported 1 deduplicated events" in done.stderr and len(out.read_text().splitlines()) == 2
    bad = subprocess.run([*command, "--event", "BOMB"], capture_output=True, text=True)
    assert bad.returncode == 2 and "E204" in bad.stderr
    missing = subprocess.run(
        [*command[:5], str(tmp_path / "absent.duckdb"), *command[6:]], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "E201" in missing.stderr
