"""A real corpus through `flashpoint ingest` with the real model: killed and restarted, on a process
pool, and on a Dask cluster — each must end with the same database as one uninterrupted process.

The corpus is 24 example articles twice (the second copy under other ids and URLs, a word added, so
each copy is its own article and dedup merges their events) plus two bad lines: every table is compared.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from db_tables import tables
from repo_paths import REPO

pytestmark = pytest.mark.slow

FLASHPOINT = [sys.executable, "-m", "flashpoint.cli"]
KILL_DEADLINE_SECONDS = 240  # the killed run must have stored a batch by then (model load included)
POLL_SECONDS = 0.05
STORIES = 24  # example articles used, each twice: 48 articles in 3 batches, ~10 s of coding


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    examples = (REPO / "examples" / "crimea-2014.jsonl").read_text(encoding="utf-8").splitlines()
    stories = [json.loads(line) for line in examples[:STORIES]]
    copies = [
        {
            **s,
            "story_id": s["story_id"] + "-copy",
            "url": s.get("url", "") + "-copy",
            "text": s["text"] + " Updated.",
        }
        for s in stories
    ]
    lines = [json.dumps(s) for s in stories[:10]]
    lines.append('{"story_id": "cut", "text": "Russia rej')  # a truncated line
    lines += [json.dumps(s) for s in stories[10:] + copies]
    lines.append(json.dumps({"story_id": "no-text", "title": "x"}))
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(corpus: Path, db: Path, *options: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FLASHPOINT, "ingest", str(corpus), "--db", str(db), *options],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("reference") / "one-process.duckdb"
    done = ingest(corpus, db)
    assert done.returncode == 1, done.stderr  # two bad lines
    assert "stored 48 new stories" in done.stderr and "2 items rejected" in done.stderr
    last = [line for line in done.stderr.splitlines() if line.startswith("[")][-1]  # the progress bar
    assert "50/50 items" in last and "articles/s" in last and "ETA" in last
    return db


def test_reference_run_is_complete(reference: Path) -> None:
    found = tables(reference)
    assert len(found["articles"]) == 48 and found["events"]
    assert [row[0] for row in found["rejects"]] == ["E004", "E005"]
    assert len(found["dedup_events"]) < len(found["events"])  # the copies' events merged with the originals'
    with duckdb.connect(str(reference), read_only=True) as con:
        assert con.execute("SELECT max(num_articles) FROM dedup_events").fetchone() == (2,)


def _wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def test_sigkill_mid_run_then_rerun_equals_an_uninterrupted_run(
    corpus: Path, reference: Path, tmp_path: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    process = subprocess.Popen(
        [*FLASHPOINT, "ingest", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # The run's start is one small commit to the write-ahead log; each stored batch adds tens of kilobytes.
    deadline = time.monotonic() + KILL_DEADLINE_SECONDS
    started = 0
    while time.monotonic() < deadline and process.poll() is None:
        size = _wal_bytes(db)
        started = started or size
        if started and size > started + 20_000:
            break
        time.sleep(POLL_SECONDS)
    assert process.poll() is None, "the run ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.stderr is not None
    process.stderr.close()
    with duckdb.connect(str(db), read_only=True) as con:
        (stored,) = con.execute("SELECT count(*) FROM articles").fetchone()  # type: ignore[misc]
        (unfinished,) = con.execute("SELECT count(*) FROM runs WHERE finished_at IS NULL").fetchone()  # type: ignore[misc]
    assert 0 < stored < 48 and unfinished == 1
    rerun = ingest(corpus, db)
    assert rerun.returncode == 1, rerun.stderr
    assert f"({stored} already stored)" in rerun.stderr
    assert tables(db) == tables(reference)


def test_process_pool_gives_the_same_database(corpus: Path, reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "pool.duckdb"
    done = ingest(corpus, db, "--workers", "2")
    assert done.returncode == 1, done.stderr
    assert tables(db) == tables(reference)


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_cluster_gives_the_same_database(
    corpus: Path, reference: Path, dask_cluster: str, tmp_path: Path
) -> None:
    db = tmp_path / "dask.duckdb"
    done = ingest(corpus, db, "--engine", "dask", "--scheduler", dask_cluster)
    assert done.returncode == 1, done.stderr
    assert tables(db) == tables(reference)
    again = ingest(corpus, db, "--engine", "dask", "--scheduler", dask_cluster)
    assert "stored 0 new stories with 0 events (48 already stored)" in again.stderr
