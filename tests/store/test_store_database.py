"""The DuckDB store: idempotent writes, atomic articles, runs, rejects, queries, open errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashpoint.errors import FlashpointError, ItemError
from flashpoint.records import Actor, Article, Event, Place, TextInfo
from flashpoint.store import Store, writes
from flashpoint.store.writes import Verdict

TEXT = "Russia massed troops near Ukraine. The United States threatened sanctions. Kerry met Lavrov."


def article(story_id: str = "s1", text: str = TEXT, date: str | None = "2014-03-15") -> Article:
    return Article(
        story_id=story_id, text=text, date=date, title="Crisis", source="AP", url=f"http://x/{story_id}"
    )


def event(story_id: str, kind: str, actor: str, recipient: str | None, start: int, **extra: object) -> Event:
    return Event(
        story_id=story_id,
        event=kind,
        actor=[Actor(actor, actor, actor, "GOV")],
        recipient=[Actor(recipient, recipient, recipient, "MIL")] if recipient else [],
        date="2014-03-15",
        date_precision="day",
        quad_code=3,
        event_scale=-4.0,
        event_text=kind.lower(),
        text_info=TextInfo(0, start, start + 5, TEXT[start : start + 5]),
        confidence=0.7,
        **extra,  # type: ignore[arg-type]
    )


def events_for(story_id: str) -> list[Event]:
    return [
        event(story_id, "MOBILIZE", "RUS", "UKR", 0, mode="troops", context=["military"]),
        event(
            story_id,
            "THREATEN",
            "USA",
            "RUS",
            35,
            modality="future",
            event_loc=Place("Washington", "Washington", 4140963, 38.9, -77.0, "USA", "DC", "city", "only"),
        ),
        event(story_id, "CONSULT", "USA", "RUS", 70),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(str(tmp_path / "fp.duckdb")) as opened:
        yield opened


def test_new_file_is_a_real_duckdb_database(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with Store(str(path)) as store:
        assert store.counts() == {"articles": 0, "events": 0, "runs": 0, "rejects": 0}
    assert path.exists()
    with Store(str(path), read_only=True) as again:
        assert again.counts()["events"] == 0


def test_writing_the_same_articles_twice_leaves_one_copy(tmp_path: Path) -> None:
    path = str(tmp_path / "fp.duckdb")
    for expected in (True, False):
        with Store(path) as store:
            assert store.write_article_events(article("s1"), events_for("s1")) is expected
            assert store.write_article_events(article("s2", TEXT + " More."), events_for("s2")) is expected
    with Store(path) as store:
        assert store.counts() == {"articles": 2, "events": 6, "runs": 0, "rejects": 0}
        assert store.is_stored(article("s1"))
        assert not store.is_stored(article("s1", TEXT + " changed"))


def test_a_stored_story_id_with_different_text_is_refused_as_e014(store: Store) -> None:
    store.write_article_events(article("s1"), events_for("s1"))
    changed = Article(story_id="s1", text=TEXT + " Updated.", date="2014-03-15", location="b.jsonl:4")
    outcome = store.store_coded([(changed, [event("s1", "AID", "USA", "UKR", 5)])], run_id="r2")
    assert (outcome.new_articles, outcome.already_stored) == (0, 0)
    assert [(e.code, e.location) for e in outcome.refused] == [("E014", "b.jsonl:4")]
    assert store.article("s1")["text"] == TEXT  # type: ignore[index]  # the first copy wins
    assert sorted(e["event"] for e in store.events(story_id="s1")) == ["CONSULT", "MOBILIZE", "THREATEN"]
    assert [(r["code"], r["location"]) for r in store.rejects("r2")] == [("E014", "b.jsonl:4")]


def test_the_same_url_with_different_text_is_refused_as_e020(store: Store) -> None:
    first = Article(story_id="a", text=TEXT, url="https://www.news.example/story/1?utm_source=rss")
    second = Article(
        story_id="b", text=TEXT + " Corrected.", url="http://news.example/story/1/", location="f:2"
    )
    same = Article(story_id="c", text=TEXT, url="https://news.example/story/1#comments")
    outcome = store.store_coded([(first, []), (second, []), (same, [])])
    assert (outcome.new_articles, outcome.already_stored) == (1, 1)
    ((refused),) = outcome.refused
    assert refused.code == "E020" and "url:news.example/story/1" in refused.reason and "'a'" in refused.reason
    assert store.counts()["articles"] == 1


def test_the_same_text_under_another_id_without_url_adds_nothing(store: Store) -> None:
    assert store.write_article_events(Article(story_id="x1", text=TEXT), [])
    assert not store.write_article_events(Article(story_id="x2", text=TEXT), [])
    assert store.judge([Article(story_id="x3", text=TEXT), Article(story_id="x4", text=TEXT + "!")]) == [
        Verdict.STORED,
        Verdict.NEW,
    ]
    assert store.counts()["articles"] == 1


def test_judge_sees_duplicates_within_the_list(store: Store) -> None:
    twice = [Article(story_id="n1", text=TEXT), Article(story_id="n2", text=TEXT)]
    assert store.judge(twice) == [Verdict.NEW, Verdict.STORED]


def test_events_round_trip(store: Store) -> None:
    originals = events_for("s1")
    store.write_article_events(article("s1"), originals)
    stored = {row["id"]: row for row in store.events()}
    assert len(stored) == len(originals)
    for original in originals:
        row = stored[original.id]
        assert row == original.to_dict()
        assert Event.from_dict(row) == original


def test_repeated_event_ids_in_one_article_are_stored_once(store: Store) -> None:
    one = event("s1", "CONSULT", "USA", "RUS", 70)
    assert store.write_article_events(article("s1"), [one, event("s1", "CONSULT", "USA", "RUS", 70)])
    assert store.counts()["events"] == 1


def test_events_without_evidence_span_get_an_id(store: Store) -> None:
    bare = [Event(story_id="s1", event="PROTEST"), Event(story_id="s1", event="PROTEST")]
    assert bare[0].id == ""
    store.write_article_events(article("s1"), bare)
    ids = [e["id"] for e in store.events()]
    assert len(ids) == 2 and all(ids)


def test_article_and_events_are_all_or_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real = writes.event_row
    calls = {"n": 0}

    def crash_on_second(ev: Event, run_id: str | None) -> list[object]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(ev, run_id)

    monkeypatch.setattr(writes, "event_row", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        store.write_article_events(article("s1"), events_for("s1"))
    assert store.counts() == {"articles": 0, "events": 0, "runs": 0, "rejects": 0}
    monkeypatch.setattr(writes, "event_row", real)
    assert store.write_article_events(article("s1"), events_for("s1")) is True
    assert store.counts()["events"] == 3


def test_write_batch_is_one_transaction_and_idempotent(store: Store) -> None:
    batch = [(article("s1"), events_for("s1")), (article("s2", TEXT + "!"), events_for("s2"))]
    assert store.write_batch(batch, run_id="r1") == 2
    assert store.write_batch(batch, run_id="r2") == 0
    assert store.counts()["events"] == 6


def test_failed_batch_stores_nothing(store: Store) -> None:
    def batch() -> Iterator[tuple[Article, list[Event]]]:
        yield article("s1"), events_for("s1")
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        store.write_batch(batch())
    assert store.counts()["articles"] == store.counts()["events"] == 0


def test_article_with_many_events(store: Store) -> None:
    many = [event("s1", "CONSULT", "USA", "RUS", start) for start in range(450)]
    assert store.write_article_events(article("s1"), many)
    assert store.counts()["events"] == 450
    assert [e["id"] for e in store.events(limit=None)] == sorted(e.id for e in many)


def test_articles_columns(store: Store) -> None:
    store.write_article_events(article("s1"), [], run_id="r1")
    row = store.article("s1")
    assert row is not None
    assert (str(row["date"]), row["title"], row["source"], row["url"], row["run_id"]) == (
        "2014-03-15",
        "Crisis",
        "AP",
        "http://x/s1",
        "r1",
    )
    assert len(row["text_hash"]) == 64 and row["ingested_at"] is not None
    assert store.article("missing") is None


def test_runs_and_rejects_are_recorded(store: Store) -> None:
    run_id = store.start_run("flashpoint ingest corpus/")
    store.write_article_events(article("s1"), events_for("s1"), run_id=run_id)
    errors = [
        ItemError.make("E004", "corpus/a.jsonl:2", detail="Unterminated string"),
        ItemError.make("E007", "corpus/a.jsonl:5", value="2014-02-30"),
        ItemError.make("E010", "corpus/b.txt"),
    ]
    assert store.write_rejects(run_id, errors) == 3
    store.finish_run(run_id)
    (run,) = store.runs()
    assert run["command"] == "flashpoint ingest corpus/" and run["finished_at"] is not None
    assert (run["n_articles"], run["n_events"], run["n_rejects"]) == (1, 3, 2)  # the warning is no reject
    rejects = store.rejects(run_id)
    assert [(r["code"], r["location"], r["severity"]) for r in rejects] == [
        ("E004", "corpus/a.jsonl:2", "error"),
        ("E007", "corpus/a.jsonl:5", "error"),
        ("E010", "corpus/b.txt", "warning"),
    ]
    assert "2014-02-30" in rejects[1]["reason"]
    assert store.counts() == {"articles": 1, "events": 3, "runs": 1, "rejects": 3}


def test_finish_run_accepts_explicit_counts(store: Store) -> None:
    run_id = store.start_run("code")
    store.finish_run(run_id, n_articles=5, n_events=9, n_rejects=1)
    (run,) = store.runs()
    assert (run["n_articles"], run["n_events"], run["n_rejects"]) == (5, 9, 1)


def test_counts_by_type_and_dyad(store: Store) -> None:
    store.write_article_events(article("s1"), events_for("s1"))
    store.write_article_events(
        article("s2", TEXT + "!"), [*events_for("s2"), event("s2", "PROTEST", "UKR", None, 80)]
    )
    assert store.count_events_by_type() == {"CONSULT": 2, "MOBILIZE": 2, "THREATEN": 2, "PROTEST": 1}
    assert store.count_events_by_dyad(limit=1) == [
        {"dyad": "USA-RUS", "actor_code": "USA", "recipient_code": "RUS", "n": 4}
    ]
    assert [d["dyad"] for d in store.count_events_by_dyad()] == ["USA-RUS", "RUS-UKR"]


def test_event_filters(store: Store) -> None:
    store.write_article_events(article("s1"), events_for("s1"))
    store.write_article_events(
        article("s2", TEXT + "!", date="2014-03-20"), [event("s2", "AID", "USA", "UKR", 1)]
    )
    assert {e["event"] for e in store.events(dyad="usa-rus")} == {"THREATEN", "CONSULT"}
    assert [e["story_id"] for e in store.events(event="AID")] == ["s2"]
    assert len(store.events(limit=2)) == 2 and len(store.events(limit=None)) == 4
    assert len(store.events(date_from="2014-03-15", date_to="2014-03-15")) == 4
    assert store.events(date_from="2014-03-16") == []
    with pytest.raises(FlashpointError) as err:
        store.events(dyad="RUS")
    assert err.value.code == "E202"


def test_not_a_database_file_is_e201(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are notes, not a database\n" * 200, encoding="utf-8")
    with pytest.raises(FlashpointError) as err:
        Store(str(path))
    assert err.value.code == "E201" and str(path) in err.value.message


def test_missing_file_read_only_is_e201(tmp_path: Path) -> None:
    with pytest.raises(FlashpointError) as err:
        Store(str(tmp_path / "absent.duckdb"), read_only=True)
    assert err.value.code == "E201"


def test_file_locked_by_another_process_is_e201(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(path)!r}); print('ready', flush=True); "
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(FlashpointError) as err:
            Store(str(path))
        assert err.value.code == "E201" and "lock" in err.value.message.lower()
    finally:
        holder.communicate("", timeout=30)
