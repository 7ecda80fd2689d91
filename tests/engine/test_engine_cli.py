"""`flashpoint ingest` options that fail before any model loads: each is a numbered command error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flashpoint.cli import main
from flashpoint.config import Settings
from flashpoint.engine.pipeline import plan_batches
from flashpoint.errors import FlashpointError, ItemError
from flashpoint.records import Article
from flashpoint.store import Store

STORIES = '{"story_id": "a", "date": "2014-03-15", "text": "Kerry met Lavrov in London."}\n'


@pytest.mark.parametrize(
    "options, code",
    [
        (["--workers", "0"], "E102"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "E102"),  # a scheduler needs --engine dask
        (["--csv-column", "body"], "E106"),
        (["--date", "2014-02-30"], "E104"),
    ],
)
def test_bad_options_are_command_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], code: str
) -> None:
    corpus = tmp_path / "s.jsonl"
    corpus.write_text(STORIES, encoding="utf-8")
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "x.duckdb"), *options]) == 2
    assert code in capsys.readouterr().err


def test_a_locked_database_is_e201_and_nothing_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "locked.duckdb"
    corpus = tmp_path / "s.jsonl"
    corpus.write_text(STORIES, encoding="utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(db)!r}); print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        assert main(["ingest", str(corpus), "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert "E201" in err and "lock" in err.lower()
    finally:
        holder.communicate("", timeout=30)


def test_batches_are_planned_lazily(tmp_path: Path) -> None:
    pulled = {"n": 0}

    def endless() -> object:
        while True:
            pulled["n"] += 1
            yield Article(f"s{pulled['n']}", f"Story number {pulled['n']}.")
            if pulled["n"] % 3 == 0:
                yield ItemError.make("E004", f"f.jsonl:{pulled['n']}", detail="cut")

    with Store(str(tmp_path / "lazy.duckdb")) as store:
        batches = plan_batches(endless(), store, size=4)  # type: ignore[arg-type]
        first = next(batches)
        second = next(batches)
    assert [a.story_id for a in first.to_code] == ["s1", "s2", "s3", "s4"]
    assert [e.location for e in first.problems] == ["f.jsonl:3"] and first.items == 5
    assert [a.story_id for a in second.to_code] == ["s5", "s6", "s7", "s8"]
    assert pulled["n"] == 8  # never more than one batch read ahead of what was asked for


def test_an_unreachable_scheduler_is_e206() -> None:
    from flashpoint.engine.dask import DaskRunner

    with pytest.raises(FlashpointError) as err:
        DaskRunner(Settings(), "tcp://127.0.0.1:9", connect_timeout=1)
    assert err.value.code == "E206" and "tcp://127.0.0.1:9" in err.value.message
