"""The command line as DESIGN.md promises it, run through the real entry point in a subprocess.

Each subprocess loads the spaCy model (1-2 s), so one run covers many items at once: the ``code`` run
below reads a folder that holds good stories and every kind of bad item together, plus a path that
does not exist. The runs are module fixtures shared by the tests that look at their output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from repo_paths import REPO

from flashpoint.cli import TABLE_HEADER, build_parser
from flashpoint.errors import Errors
from flashpoint.evaluate import read_jsonl, result_to_json, score
from flashpoint.records import Article

pytestmark = pytest.mark.slow

FLASHPOINT = [sys.executable, "-m", "flashpoint.cli"]
EXIT_OK, EXIT_REJECTS, EXIT_FAILED = 0, 1, 2
RECORD_FIELDS = {
    "id", "story_id", "date", "date_precision", "event", "mode", "context", "modality", "quad_code",
    "event_scale", "actor", "recipient", "event_loc", "event_text", "text_info", "confidence",
}  # fmt: skip
DATE_KEYS = {"text", "start", "end", "value", "precision", "range"}
PLACE_KEYS = {"text", "start", "end", "name", "geonameid", "lat", "lon", "country_code", "admin1", "feature"}
ACTOR_KEYS = {"text", "start", "end", "name", "code", "sector", "how"}

GOOD_1 = "Russian troops attacked Ukrainian border posts on Friday."
GOOD_STORIES = [
    {"story_id": "good-1", "date": "2014-03-15", "title": "Border", "text": GOOD_1},
    {
        "id": "good-2",
        "published": "2014-03-16T09:30:00Z",
        "text": "Ukraine accused Moscow of aggression on Sunday.",
    },
]
MIXED_LINES = [
    # 1: good
    b'{"story_id": "mixed-1", "date": "2014-03-15", "text": '
    b'"The European Union will impose new sanctions on Russia on Monday."}\n',
    # 2: truncated JSON
    b'{"story_id": "mixed-2", "date": "2014-03-15", "text": "Russia rejec\n',
    # 3: not UTF-8
    b'{"story_id": "mixed-3", "date": "2014-03-15", "text": "Caf\xe9 \xff\xfe owners protested."}\n',
    # 4: impossible date
    b'{"story_id": "mixed-4", "date": "2014-02-30", "text": "Ukraine accused Moscow of aggression."}\n',
    # 5: no date (warned, still coded)
    b'{"story_id": "mixed-5", "text": "Russia yesterday attacked Ukrainian positions near Donetsk."}\n',
]
PLAIN_TEXT = "Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in London on Friday.\n"
HTML_PAGE = """<!DOCTYPE html><html><head><title>Ukraine accuses Russia</title>
<meta property="article:published_time" content="2014-03-15T08:00:00Z"></head>
<body><article><h1>Ukraine accuses Russia</h1>
<p>Ukraine accused Russia on Friday of sending thousands of troops into Crimea, and the government in Kiev
demanded that Moscow withdraw them at once. Officials in Kiev said the deployment broke international law
and threatened the security of the whole region.</p>
<p>Western governments said they would consider sanctions against Moscow if the troops stayed.</p>
</article></body></html>
"""
GOOD_IDS = {"good-1", "good-2", "mixed-1", "mixed-5", "page.html", "sub/plain.txt"}
STORIES = [  # for dates/places/actors: each story's own date is its anchor
    {"story_id": "d1", "date": "2014-03-15",
     "text": "John Kerry said yesterday that Russian troops attacked Ukrainian border posts near Donetsk."},
    {"story_id": "d2", "date": "2020-06-10",
     "text": "John Kerry said yesterday that Moscow must leave Crimea."},
    {"story_id": "d3", "text": "Ukraine accused Moscow yesterday."},
]  # fmt: skip


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FLASHPOINT_DB"}
    return subprocess.run(
        [*FLASHPOINT, *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.jsonl").write_text("".join(json.dumps(s) + "\n" for s in GOOD_STORIES), encoding="utf-8")
    (corpus / "mixed.jsonl").write_bytes(b"".join(MIXED_LINES))
    (corpus / "empty.jsonl").write_bytes(b"")
    (corpus / "sub" / "binary.txt").write_bytes(b"Russia \x00\x01\x02 attacked\x00 Ukraine")
    (corpus / "sub" / "plain.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    (corpus / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (root / "stories.jsonl").write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bad_items(work) -> dict[str, tuple[str, str]]:
    """location -> (code, severity) of every problem the corpus holds."""
    c = str(work / "corpus")
    return {
        f"{c}/mixed.jsonl:2": ("E004", "error"),
        f"{c}/mixed.jsonl:3": ("E003", "error"),
        f"{c}/mixed.jsonl:4": ("E007", "error"),
        f"{c}/mixed.jsonl:5": ("E010", "warning"),
        f"{c}/empty.jsonl": ("E008", "error"),
        f"{c}/sub/binary.txt": ("E002", "error"),
        f"{c}/sub/plain.txt": ("E010", "warning"),
        str(work / "no-such-file.jsonl"): ("E011", "error"),
    }


# ------------------------------------------------------------------------------------------ code


@pytest.fixture(scope="module")
def coded(work):
    return run("code", str(work / "corpus"), str(work / "no-such-file.jsonl"), "--format", "jsonl", cwd=work)


def test_code_exits_1_when_items_were_rejected(coded):
    assert coded.returncode == EXIT_REJECTS, coded.stderr


def test_code_names_every_bad_item_with_its_code_and_location(coded, bad_items):
    for location, (code, severity) in bad_items.items():
        assert f"{code} {severity}: {location}: " in coded.stderr, (code, location, coded.stderr)
    reported = [line for line in coded.stderr.splitlines() if re.match(r"E\d{3} (error|warning): ", line)]
    assert len(reported) == len(bad_items), reported  # nothing good was reported as bad
    assert "6 items rejected, 2 warnings" in coded.stderr
    assert "mixed.jsonl:1:" not in coded.stderr and "good.jsonl" not in coded.stderr


def test_code_stdout_is_jsonl_events_from_every_good_story(coded):
    events = jsonl(coded.stdout)
    assert all(set(e) >= RECORD_FIELDS for e in events)
    assert {e["story_id"] for e in events} == GOOD_IDS
    assert len({e["id"] for e in events}) == len(events)
    assert f"coded {len(GOOD_IDS)} stories: {len(events)} events" in coded.stderr


def test_code_event_values(coded):
    events = jsonl(coded.stdout)
    first = next(e for e in events if e["story_id"] == "good-1")
    assert (first["event"], first["date"], first["date_precision"]) == ("ASSAULT", "2014-03-14", "day")
    info = first["text_info"]
    assert GOOD_1[info["start"] : info["end"]] == info["text"]
    # "published" with a time of day is the date of good-2
    assert {e["date"] for e in events if e["story_id"] == "good-2"} == {"2014-03-16"}
    # the HTML page is dated by its <meta> publication time
    assert all(e["date"].startswith("2014-03") for e in events if e["story_id"] == "page.html")


def test_code_undated_story_is_warned_about_and_coded(coded):
    undated = [e for e in jsonl(coded.stdout) if e["story_id"] in ("mixed-5", "sub/plain.txt")]
    assert {e["story_id"] for e in undated} == {"mixed-5", "sub/plain.txt"}
    assert all(e["date"] is None and e["date_precision"] == "story" for e in undated)


def test_code_from_stdin_as_a_table(work):
    text = (
        "Russian troops attacked Ukrainian border posts yesterday.\nUkraine accused Moscow of aggression.\n"
    )
    result = run("code", "-", "--date", "2014-03-15", cwd=work, stdin=text)
    assert result.returncode == EXIT_OK, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == TABLE_HEADER and lines[0].split()[:3] == ["date", "event", "actor"]
    rows = [line.split() for line in lines[1:]]
    assert ["2014-03-14", "ASSAULT", "RUS/MIL", "UKR/GOV", "asserted"] in [row[:5] for row in rows]
    assert any(row[1] == "ACCUSE" and row[0] == "2014-03-15" for row in rows)
    assert "coded 1 stories" in result.stderr and "0 items rejected" in result.stderr


# ------------------------------------------------------------------------------ ingest, summary


@pytest.fixture(scope="module")
def ingested(work, coded):
    db = work / "events.duckdb"
    inputs = [str(work / "corpus"), str(work / "no-such-file.jsonl")]
    first = run("ingest", *inputs, "--db", str(db), cwd=work)
    with duckdb.connect(str(db), read_only=True) as con:
        after_first = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events")
        }
    second = run("ingest", *inputs, "--db", str(db), cwd=work)
    return db, first, second, after_first


def test_ingest_twice_adds_nothing_the_second_time(ingested):
    db, first, second, after_first = ingested
    assert first.returncode == EXIT_REJECTS and second.returncode == EXIT_REJECTS, first.stderr
    assert after_first["articles"] == len(GOOD_IDS) and after_first["events"] > 0
    with duckdb.connect(str(db), read_only=True) as con:
        now = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "events")}
        runs = con.execute("SELECT n_articles, n_events FROM runs ORDER BY started_at").fetchall()
        stored = {row[0] for row in con.execute("SELECT story_id FROM articles").fetchall()}
    assert now == after_first
    assert stored == GOOD_IDS
    assert runs == [(len(GOOD_IDS), after_first["events"]), (0, 0)]
    assert f"stored 0 new stories with 0 events ({len(GOOD_IDS)} already stored)" in second.stderr


def test_ingest_stores_the_same_events_as_code(ingested, coded):
    db = ingested[0]
    with duckdb.connect(str(db), read_only=True) as con:
        ids = {row[0] for row in con.execute("SELECT id FROM events").fetchall()}
    assert ids == {e["id"] for e in jsonl(coded.stdout)}  # stable ids across commands and runs


def test_ingest_records_the_bad_items(ingested, bad_items):
    db = ingested[0]
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT run_id, code, severity, location, reason FROM rejects").fetchall()
    runs = sorted({row[0] for row in rows})
    assert len(runs) == 2
    for run_id in runs:
        recorded = {row[3]: (row[1], row[2]) for row in rows if row[0] == run_id}
        assert recorded == bad_items
    assert all(row[4] for row in rows)  # every reject says why


def test_summary_prints_counts_per_type(ingested, work):
    db = ingested[0]
    result = run("summary", "--db", str(db), cwd=work)
    assert result.returncode == EXIT_OK, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        per_type = con.execute("SELECT event, count(*) FROM events GROUP BY event").fetchall()
    assert per_type
    section = result.stdout.split("events per type", 1)[1].split("events per dyad", 1)[0]
    for event, n in per_type:
        assert re.search(rf"^\s+{event}\s+{n}$", section, re.M), (event, n, section)
    assert "RUS -> UKR" in result.stdout.split("events per dyad", 1)[1]


# ------------------------------------------------------------------------- dates, places, actors


def test_dates_of_a_text(work):
    text = "Russian troops attacked Ukrainian border posts yesterday; talks are planned for next week."
    result = run("dates", "--anchor", "2014-03-15", text, cwd=work)
    assert result.returncode == EXIT_OK, result.stderr
    found = jsonl(result.stdout)
    assert found and all(set(item) == DATE_KEYS for item in found)
    for item in found:
        assert text[item["start"] : item["end"]] == item["text"]
    by_text = {item["text"]: item for item in found}
    assert by_text["yesterday"]["value"] == "2014-03-14"
    assert by_text["yesterday"]["precision"] == "day"
    assert by_text["yesterday"]["range"] == ["2014-03-14", "2014-03-14"]
    assert (by_text["next week"]["value"], by_text["next week"]["range"]) == (
        "2014-W12",
        ["2014-03-17", "2014-03-23"],
    )


def test_dates_of_stories_use_each_storys_date(work):
    result = run("dates", "--anchor", "2001-01-01", "stories.jsonl", cwd=work)
    assert result.returncode == EXIT_OK, result.stderr
    found = jsonl(result.stdout)
    assert all(set(item) == DATE_KEYS | {"story_id"} for item in found)
    yesterday = {item["story_id"]: item["value"] for item in found if item["text"] == "yesterday"}
    # d3 has no date of its own, so --anchor is its anchor
    assert yesterday == {"d1": "2014-03-14", "d2": "2020-06-09", "d3": "2000-12-31"}


def test_places_of_stories(work):
    result = run("places", "stories.jsonl", cwd=work)
    assert result.returncode == EXIT_OK, result.stderr  # d3's missing date is a warning only
    found = jsonl(result.stdout)
    assert found and all(set(item) == PLACE_KEYS | {"story_id"} for item in found)
    texts = {s["story_id"]: s["text"] for s in STORIES}
    for item in found:
        assert texts[item["story_id"]][item["start"] : item["end"]] == item["text"]
    donetsk = next(item for item in found if item["text"] == "Donetsk")
    assert (donetsk["story_id"], donetsk["country_code"], donetsk["feature"]) == ("d1", "UKR", "city")
    assert {item["story_id"] for item in found} == {"d1", "d2", "d3"}


def test_actors_of_stories_use_each_storys_date(work):
    result = run("actors", "--date", "2020-06-10", "stories.jsonl", cwd=work)
    assert result.returncode == EXIT_OK, result.stderr
    found = jsonl(result.stdout)
    assert found and all(set(item) >= ACTOR_KEYS | {"story_id"} for item in found)
    kerry = {item["story_id"]: item for item in found if item["name"] == "John Kerry"}
    # secretary of state on the 2014 story's date, no longer in office on the 2020 one's
    assert kerry["d1"]["code"] == kerry["d2"]["code"] == "USA"
    assert kerry["d1"]["sector"] == "GOV" and kerry["d2"]["sector"] != "GOV"
    assert {item["story_id"] for item in found} == {"d1", "d2", "d3"}


# ------------------------------------------------------------------------------------------ eval


@pytest.fixture(scope="module")
def eval_case(coder, work):
    gold_path = REPO / "tests" / "gold" / "team_sentences.jsonl"
    gold = read_jsonl(gold_path)
    articles = (Article(story_id=s["story_id"], text=s["text"], date=s.get("date")) for s in gold)
    predictions = [e.to_dict() for _, events in coder.code_articles(articles) for e in events]
    pred_path = work / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    return gold_path, pred_path, result_to_json(score(gold, predictions))


def test_eval_prints_the_three_levels(work, eval_case):
    gold_path, pred_path, expected = eval_case
    result = run("eval", str(gold_path), "--pred", str(pred_path), cwd=work)
    assert result.returncode == EXIT_OK, result.stderr
    for level, metrics in expected["levels"].items():
        line = next(line for line in result.stdout.splitlines() if line.startswith(level))
        assert f"{metrics['f1']:.3f}" in line.split(), (level, line)


def test_eval_json(work, eval_case):
    gold_path, pred_path, expected = eval_case
    result = run("eval", str(gold_path), "--pred", str(pred_path), "--json", cwd=work)
    assert result.returncode == EXIT_OK, result.stderr
    parsed = json.loads(result.stdout)
    assert set(parsed["levels"]) == {"L1 type", "L2 type+actor", "L3 type+dyad"}
    assert parsed == expected


# ------------------------------------------------------------------------------------ failures


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "usage:"),
        (["code"], "usage:"),
        (["bogus"], "usage:"),
        (["code", "stories.jsonl", "--format", "xml"], "usage:"),
        (["code", "stories.jsonl", "--date", "2014-02-30"], "E104"),
        (["summary", "--db", "no-such-dir/x.duckdb"], "E201"),
    ],
    ids=["no-command", "no-input", "unknown-command", "bad-format", "bad-date", "bad-db"],
)
def test_command_failures_exit_2(work, args, message):
    result = run(*args, cwd=work)
    assert result.returncode == EXIT_FAILED, (result.stdout, result.stderr)
    assert message in result.stderr and result.stdout == ""


def test_ingest_with_a_bad_date_touches_no_database(work):
    result = run("ingest", "stories.jsonl", "--db", "bad-date.duckdb", "--date", "2014-02-30", cwd=work)
    assert result.returncode == EXIT_FAILED and "E104" in result.stderr
    assert not (work / "bad-date.duckdb").exists()


# -------------------------------------------------------------------------------- documentation


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_and_its_flags_are_in_the_readme(name):
    rows = [line for line in README.splitlines() if line.startswith(f"| `flashpoint {name} ")]
    assert rows, f"`flashpoint {name}` is not in README.md's command table"
    documented = set(re.findall(r"--[a-z][a-z-]*", rows[0]))
    flags = {
        option
        for action in subcommands()[name]._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert documented == flags, f"README lists {sorted(documented)}, the parser has {sorted(flags)}"


def test_every_error_code_is_in_the_readme():
    codes = sorted(code for code in vars(Errors) if re.fullmatch(r"E\d{3}", code))
    assert len(codes) > 10
    for code in codes:
        message = re.sub(r"\{(\w+)![rs]\}", r"{\1}", getattr(Errors, code))
        row = next((line for line in README.splitlines() if line.startswith(f"| `{code}` |")), None)
        assert row is not None, f"{code} is not in README.md's error table"
        assert message in row, f"README's row for {code} does not match errors.py: {row}"
