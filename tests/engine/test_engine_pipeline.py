"""The ingest pipeline with a stand-in coder (no model): batching, idempotence, rejects and faults.

The stand-in codes one PROTEST event per story and fails on any story containing "BOOM", so these
tests run in milliseconds; tests/engine/test_engine_parallel.py runs the real model on real workers.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from db_tables import tables

from flashpoint.config import Settings
from flashpoint.engine import ProgressBar, ingest, work
from flashpoint.engine.local import LocalRunner
from flashpoint.engine.progress import format_duration
from flashpoint.engine.window import OrderedWindow
from flashpoint.engine.work import CodedBatch
from flashpoint.errors import FlashpointError, ItemError
from flashpoint.ingest.estimate import estimate_items
from flashpoint.records import Actor, Article, Event, TextInfo
from flashpoint.store import Store

SETTINGS = Settings()


class StandInCoder:
    """Codes every story as one PROTEST by UKR against RUS; raises on stories that contain "BOOM"."""

    def __init__(self) -> None:
        self.coded: list[str] = []

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        for article in articles:
            if "BOOM" in article.text:
                raise RuntimeError("the parser fell over")
            self.coded.append(article.story_id)
            info = TextInfo(0, 0, 5, article.text[:5])
            actor, target = Actor("Ukraine", "Ukraine", "UKR", "CVL"), Actor("Russia", "Russia", "RUS", "GOV")
            event = Event(article.story_id, "PROTEST", [actor], [target], article.date, text_info=info)
            yield article, [event]


@pytest.fixture
def coder(monkeypatch: pytest.MonkeyPatch) -> StandInCoder:
    stand_in = StandInCoder()
    monkeypatch.setitem(work._CODERS, SETTINGS, stand_in)  # type: ignore[arg-type]
    return stand_in


def story(n: int, text: str | None = None, **fields: str) -> dict[str, str]:
    body = text or f"Story {n}: protesters in Kyiv marched against Russia on Saturday, the {n}th day."
    return {"story_id": f"s{n}", "date": "2014-03-15", "text": body, **fields}


def write_jsonl(path: Path, stories: list[dict[str, str] | str]) -> Path:
    lines = [s if isinstance(s, str) else json.dumps(s) for s in stories]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(db: Path, inputs: list[str], reported: list[ItemError] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    errors = reported if reported is not None else []
    with Store(str(db)) as store, LocalRunner(SETTINGS, workers=1) as runner:
        summary = ingest(inputs, store, SETTINGS, runner, report=errors.append, **kwargs)  # type: ignore[arg-type]
        counts = store.counts()
    return summary, counts, errors


def test_ingest_stores_rejects_and_adds_nothing_the_second_time(tmp_path: Path, coder: StandInCoder) -> None:
    corpus = write_jsonl(
        tmp_path / "news.jsonl", [story(1), story(2), '{"story_id": "cut", "text": "Rus', story(3)]
    )
    db = tmp_path / "fp.duckdb"
    first, counts, errors = run(db, [str(corpus)], batch_size=2)
    assert (first.new_articles, first.new_events, first.rejected, first.already_stored) == (3, 3, 1, 0)
    assert [(e.code, e.location) for e in errors] == [("E004", f"{corpus}:3")]
    assert counts == {"articles": 3, "events": 3, "runs": 1, "rejects": 1}
    second, counts, _ = run(db, [str(corpus)], batch_size=2)
    assert (second.new_articles, second.already_stored, second.coded) == (0, 3, 0)
    assert coder.coded == ["s1", "s2", "s3"]  # nothing was coded twice
    assert counts["articles"] == 3 and counts["events"] == 3 and counts["runs"] == 2


def test_conflicting_copies_are_refused_across_runs(tmp_path: Path, coder: StandInCoder) -> None:
    db = tmp_path / "fp.duckdb"
    run(db, [str(write_jsonl(tmp_path / "a.jsonl", [story(1, url="https://news.example/a/1")]))])
    later = write_jsonl(
        tmp_path / "b.jsonl",
        [
            story(1, "Protesters in Kyiv marched against Russia again, in larger numbers than before."),
            story(
                9,
                "A corrected version of the story about protesters in Kyiv and their march.",
                url="http://news.example/a/1",
            ),
            story(7, story(1)["text"], url="https://www.news.example/a/1?utm_source=rss"),  # the same story
        ],
    )
    summary, counts, errors = run(db, [str(later)])
    assert [(e.code, e.location) for e in errors] == [("E014", f"{later}:1"), ("E020", f"{later}:2")]
    assert "url:news.example/a/1" in errors[1].reason
    assert (summary.rejected, summary.already_stored, counts["articles"]) == (2, 1, 1)


def test_a_coder_failure_costs_one_story(tmp_path: Path, coder: StandInCoder) -> None:
    corpus = write_jsonl(
        tmp_path / "news.jsonl", [story(1), story(2, "BOOM goes the parser on this story."), story(3)]
    )
    summary, counts, errors = run(tmp_path / "fp.duckdb", [str(corpus)])
    assert [(e.code, e.location) for e in errors] == [("E022", f"{corpus}:2")]
    assert "the parser fell over" in errors[0].reason
    assert (summary.new_articles, counts["rejects"]) == (2, 1)


def test_a_full_disk_stops_the_run_and_the_rerun_completes_it(
    tmp_path: Path, coder: StandInCoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_jsonl(tmp_path / "news.jsonl", [story(n) for n in range(1, 8)])
    reference = tmp_path / "reference.duckdb"
    run(reference, [str(corpus)], batch_size=2)

    real = Store.store_coded
    calls = {"n": 0}

    def disk_full_on_third_batch(self: Store, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise duckdb.IOException("IO Error: Could not write file: No space left on device")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "store_coded", disk_full_on_third_batch)
    db = tmp_path / "fp.duckdb"
    reported: list[ItemError] = []
    with pytest.raises(FlashpointError) as err:
        run(db, [str(corpus)], reported, batch_size=2)
    assert err.value.code == "E203" and "No space left" in err.value.message
    assert [(e.code, e.location) for e in reported] == [("E021", f"{corpus}:5"), ("E021", f"{corpus}:6")]
    with Store(str(db), read_only=True) as store:
        assert store.counts()["articles"] == 4  # the two batches before the failure
    monkeypatch.setattr(Store, "store_coded", real)
    run(db, [str(corpus)], batch_size=2)
    assert tables(db) == tables(reference)


def test_ordered_window_bounds_what_is_in_flight_and_keeps_order() -> None:
    in_flight = {"now": 0, "most": 0}
    lock = threading.Lock()

    def slow_code(articles: list[Article]) -> CodedBatch:
        time.sleep(0.02 if articles[0].story_id.endswith(("1", "4")) else 0.001)  # finish out of order
        with lock:
            in_flight["now"] -= 1
        return CodedBatch(results=[(a, []) for a in articles])

    with ThreadPoolExecutor(max_workers=4) as pool:

        def submit(articles: list[Article]) -> Future[CodedBatch]:
            with lock:
                in_flight["now"] += 1
                in_flight["most"] = max(in_flight["most"], in_flight["now"])
            return pool.submit(slow_code, articles)

        window = OrderedWindow(submit, lambda future: future.result(), window=3)
        batches = ((n, [Article(f"s{n}", "text")] if n % 5 else []) for n in range(1, 21))
        keys = [key for key, _ in window.map(batches)]
    assert keys == list(range(1, 21))
    assert in_flight["most"] <= 3


def test_progress_bar_shows_rate_and_eta() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, total=100, interactive=False)
    bar._started -= 10  # ten seconds ago
    bar.advance(25, articles=20, words=5_000)
    bar.close()
    first = stream.getvalue().splitlines()[0]
    assert "25/100 items" in first and "25.0%" in first
    assert "2.0 articles/s" in first and "500 words/s" in first and "ETA 30s" in first
    unknown = ProgressBar(io.StringIO(), total=None, interactive=True)
    unknown.advance(3, 3, 30)
    assert "ETA" not in unknown.line() and unknown.stream.getvalue().startswith("\r")  # type: ignore[attr-defined]
    assert (format_duration(7), format_duration(95), format_duration(3725)) == ("7s", "1m35s", "1h02m")


def test_estimate_counts_lines_and_files(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", [story(1), story(2), story(3)])
    (tmp_path / "b.csv").write_text("id,text\n1,x\n2,y\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("a story", encoding="utf-8")
    assert estimate_items([str(tmp_path)]) == 6
    (tmp_path / "d.rss").write_text("<rss/>", encoding="utf-8")
    assert estimate_items([str(tmp_path)]) is None  # a feed cannot be counted without reading it
