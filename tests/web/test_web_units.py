"""The web layer's pieces without a server: filter checks, SQL building, evidence spans, the map, the
read-only database, the serve command's defaults."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from flashpoint.cli import build_parser
from flashpoint.errors import FlashpointError
from flashpoint.records import Actor, Article, Event, TextInfo
from flashpoint.store import Store
from flashpoint.web.database import ReadOnlyDatabase
from flashpoint.web.errors import ApiError
from flashpoint.web.filters import EventFilters, Vocabulary, bounding_box, series_dyad
from flashpoint.web.queries import evidence_spans
from flashpoint.web.worldmap import _ring_path, world

VOCABULARY = Vocabulary(
    actor_codes=frozenset({"RUS", "UKR", "USA", "IGO"}), country_codes=frozenset({"RUS", "UKR"})
)


def parse(**params: object) -> EventFilters:
    return EventFilters.parse(VOCABULARY, **params)  # type: ignore[arg-type]


def code_of(**params: object) -> str:
    with pytest.raises(ApiError) as caught:
        parse(**params)
    return caught.value.code


def test_codes_are_checked_and_normalised() -> None:
    assert parse(actor=" rus ", recipient="UKR").actor == "RUS"
    assert parse(dyad="rus-ukr").recipient == "UKR"
    assert code_of(actor="XYZ") == code_of(actor="RU") == code_of(actor="RUS'--") == "E303"
    assert code_of(dyad="RUS") == code_of(dyad="RUS-UKR-USA") == "E202"
    assert code_of(dyad="RUS-UKR", actor="USA") == "E301"
    assert code_of(country="USA") == "E311"  # an actor code, but not a country the vocabulary holds
    assert parse(dyad="RUS-UKR", actor="RUS").actor == "RUS"


def test_dates_types_and_text() -> None:
    filters = parse(date_from="2014-03-01", date_to="2014-03-01", type="fight,Coerce,ASSAULT")
    assert filters.date_from == date(2014, 3, 1) and filters.types == ("ASSAULT", "COERCE")
    assert code_of(date_from="2014-3-1") == code_of(date_to="2014-02-29") == "E104"
    assert code_of(date_from="2014-03-02", date_to="2014-03-01") == "E304"
    assert code_of(type="ASSAULT,NUKE") == "E204"
    assert code_of(text="a" * 201) == "E310"
    assert parse(text="   ").text is None


def test_bounding_boxes() -> None:
    assert bounding_box("-10,35,40,60") == (-10.0, 35.0, 40.0, 60.0)
    for bad in ("1,2,3", "a,b,c,d", "0,10,10,0", "-200,0,0,10", "0,-95,10,10"):
        with pytest.raises(ApiError) as caught:
            bounding_box(bad)
        assert caught.value.code == "E306"
    where, params = EventFilters(bbox=(170.0, -20.0, -170.0, 0.0)).where()
    assert "(lon >= ? OR lon <= ?)" in where and params == [-20.0, 0.0, 170.0, -170.0]


def test_series_dyads_may_carry_sectors() -> None:
    assert series_dyad("rus/mil-ukr", VOCABULARY) == "RUS/MIL-UKR"
    with pytest.raises(ApiError):
        series_dyad("RUS/military-UKR", VOCABULARY)


def test_client_text_never_reaches_the_sql() -> None:
    hostile = "x'); DROP TABLE events; --"
    filters = EventFilters(actor="RUS", text=hostile, story_id=hostile, types=("ASSAULT",), counted=True)
    for keys in (False, True):
        where, params = filters.where(keys=keys)
        assert hostile not in where and "RUS" not in where and "ASSAULT" not in where
        assert hostile in params and where.count("?") == len(params)


def test_evidence_spans_use_stored_offsets_or_find_the_text() -> None:
    text = "Intro. Russian troops seized the airport. Outro."
    start = text.index("Russian")
    record = {
        "id": "e1",
        "event_text": "seized",
        "text_info": {"start": start, "end": start + 33, "text": "Russian troops seized the airport"},
        "evidence": [{"start": 0, "end": 5, "text": "Intro"}],
    }
    first, second = evidence_spans(text, record)
    assert (first["start"], first["end"], first["aligned"]) == (start, start + 33, True)
    assert text[first["trigger_start"] : first["trigger_end"]] == "seized"
    assert (second["start"], second["end"], second["trigger_start"]) == (0, 5, None)
    shifted = {**record, "text_info": {"start": 0, "end": 33, "text": "Russian troops seized the airport"}}
    assert evidence_spans(text, shifted)[0]["aligned"] is False
    assert evidence_spans(text, {**record, "text_info": {"text": "not here"}, "evidence": []}) == []


def test_world_outlines_are_thinned_paths() -> None:
    import numpy as np

    square = np.array([[0, 0], [0, 10], [5, 10.001], [10, 10], [10, 0], [0, 0]], dtype=float)
    path = _ring_path(square)
    assert (
        path.startswith("M0.0 0.0") and path.endswith("Z") and "5.0" not in path
    )  # the near-straight corner went
    assert _ring_path(np.array([[0, 0], [0.01, 0.01], [0, 0.02]], dtype=float)) == ""
    outlines = world()
    assert outlines is world() and len(outlines["countries"]) > 150


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.duckdb"
    text = "Russia attacked Ukraine."
    event = Event(
        story_id="s1",
        event="ASSAULT",
        actor=[Actor("Russia", "Russia", "RUS", "GOV")],
        recipient=[Actor("Ukraine", "Ukraine", "UKR", "GOV")],
        date="2014-03-01",
        date_precision="day",
        quad_code=4,
        event_scale=-9.0,
        event_text="attacked",
        text_info=TextInfo(0, 0, len(text) - 1, text[:-1]),
    )
    with Store(str(path)) as store:
        store.write_article_events(Article("s1", text, "2014-03-01"), [event])
    return path


def test_the_database_is_read_only(store_file: Path) -> None:
    db = ReadOnlyDatabase(str(store_file))
    with db.cursor() as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM event_keys WHERE counted").fetchone() == (1,)
        for statement in (
            "DELETE FROM store.main.events",
            "INSERT INTO store.main.meta VALUES ('x', 'y')",
            "COPY (SELECT 1) TO '/tmp/flashpoint-web-leak.csv'",
            "SET enable_external_access = true",
        ):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
    db.close()
    with Store(str(store_file)) as store:  # nothing changed, and the file opens for writing again
        assert store.counts()["events"] == 1


def test_a_missing_or_foreign_file_is_e201(tmp_path: Path) -> None:
    with pytest.raises(FlashpointError) as caught:
        ReadOnlyDatabase(str(tmp_path / "absent.duckdb"))
    assert caught.value.code == "E201"
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(FlashpointError) as caught:
        ReadOnlyDatabase(str(other))
    assert caught.value.code == "E201" and "not a flashpoint database" in caught.value.message
    text_file = tmp_path / "notes.duckdb"
    text_file.write_text("not a database")
    with pytest.raises(FlashpointError):
        ReadOnlyDatabase(str(text_file))


def test_serve_binds_to_this_machine_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.db) == ("127.0.0.1", 8000, None)


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashpoint.cli",
            "serve",
            "--db",
            str(tmp_path / "none.duckdb"),
            "--port",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "E201" in result.stderr


def test_an_empty_store_answers_with_nothing(tmp_path: Path) -> None:
    from flashpoint.web.queries import dyad_counts, events_page

    path = tmp_path / "empty.duckdb"
    Store(str(path)).close()
    db = ReadOnlyDatabase(str(path))
    with db.cursor() as con:
        assert events_page(con, EventFilters(actor="RUS", types=("ASSAULT",)), 1, 50) == ([], 0)
        assert events_page(con, EventFilters(text="x"), 1, 50) == ([], 0)
        assert dyad_counts(con, EventFilters(), 10) == []
    db.close()
