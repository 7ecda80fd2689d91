"""The crisis brief: its numbers, HTML and Markdown that need no network, the CLI, and a real browser
that opens the HTML and finds the charts drawn."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from analysis_fixtures import small_store, step_store

from flashpoint.analysis.brief import build_brief, render_html, render_markdown, write_brief
from flashpoint.analysis.escalation import ESCALATION
from flashpoint.cli import main
from flashpoint.errors import FlashpointError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHART_MARKS = {  # selector -> what it is; each must exist and have a size
    ".fp-escalation .fp-bar": "intensity bars",
    ".fp-escalation .fp-line": "trend line",
    ".fp-escalation .fp-flag polygon": "flag markers",
    ".fp-heatmap .fp-cell": "heatmap cells",
    ".fp-bars .fp-hbar": "actor bars",
}


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.duckdb"
    small_store(path).close()
    return path


@pytest.fixture
def step_db(tmp_path: Path) -> Path:
    path = tmp_path / "step.duckdb"
    step_store(path).close()
    return path


def test_build_brief_gathers_the_numbers(small_db):
    from flashpoint.store import Store

    with Store(str(small_db), read_only=True) as store:
        brief = build_brief(store)
    h = brief.headline
    assert (h["first_day"], h["last_day"]) == ("2014-03-01", "2014-03-03")
    assert (h["articles"], h["events"], h["conflict_events"]) == (3, 6, 3)
    assert h["peak_day"] == "2014-03-01" and h["peak_conflict_intensity"] == pytest.approx(19.0)
    assert h["busiest_dyad"] == "RUS-UKR" and h["busiest_dyad_events"] == 4
    assert brief.heat_counts[("RUS", "UKR")] == 4
    assert brief.top_actors[0]["code"] == "RUS"
    assert [e["event"] for e in brief.timeline][:2] == ["ASSAULT", "MOBILIZE"]


def test_a_dyad_brief_is_scoped_to_the_dyad(small_db):
    from flashpoint.store import Store

    with Store(str(small_db), read_only=True) as store:
        brief = build_brief(store, "RUS-UKR", date_from="2014-03-01", date_to="2014-03-02")
        nothing = build_brief(store, "FRA-DEU")
    assert brief.scope == "RUS → UKR"
    assert brief.headline["events"] == 2 and [e["event"] for e in brief.timeline] == ["ASSAULT", "THREATEN"]
    assert nothing.headline["events"] == 0 and nothing.flags == [] and nothing.timeline == []
    assert "<svg" in render_html(nothing)


def test_html_is_self_contained(step_db, tmp_path):
    from flashpoint.store import Store

    with Store(str(step_db), read_only=True) as store:
        path = write_brief(store, tmp_path / "report.html", dyad="RUS-UKR")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""\ssrc=["']?https?:""", html)  # nothing is fetched; links are only links
    assert html.count('class="fp-chart') == 3
    assert 'class="fp-flag fp-flag-escalation"' in html and "escalation</td>" in html
    assert "ASSAULT RUS/MIL → UKR/MIL" in html  # the flag names the events that drove it


def test_markdown_embeds_the_charts(step_db, tmp_path):
    from flashpoint.store import Store

    with Store(str(step_db), read_only=True) as store:
        brief = build_brief(store, "RUS-UKR")
        path = write_brief(store, tmp_path / "report.md", dyad="RUS-UKR")
    text = path.read_text(encoding="utf-8")
    assert text == render_markdown(brief)
    assert text.startswith("# Crisis brief: RUS → UKR")
    assert text.count("](data:image/svg+xml;base64,") == 3
    assert "| day | flag | z | driven by |" in text and "escalation" in text
    assert "## Timeline" in text and "https://news.example/" in text


def test_unknown_suffix_and_unwritable_file(small_db, tmp_path):
    from flashpoint.store import Store

    with Store(str(small_db), read_only=True) as store:
        with pytest.raises(FlashpointError) as caught:
            write_brief(store, tmp_path / "report.pdf")
        assert caught.value.code == "E208"
        with pytest.raises(FlashpointError) as caught:
            write_brief(store, tmp_path / "missing-folder" / "report.html")
        assert caught.value.code == "E208"


def test_cli_writes_the_brief_and_prints_its_path(step_db, tmp_path, capsys):
    out = tmp_path / "brief.html"
    code = main(["brief", "--db", str(step_db), "--out", str(out), "--from", "2014-01-10"])
    assert code == 0 and out.is_file()
    assert capsys.readouterr().out.strip() == str(out.resolve())
    assert main(["brief", "--db", str(step_db), "--out", str(out), "--to", "2014-02-31"]) == 2
    assert "E104" in capsys.readouterr().err


@pytest.mark.slow
def test_the_html_brief_draws_in_a_real_browser(step_db, tmp_path):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it (.ci/run): its absence there is a failure
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    from flashpoint.store import Store

    with Store(str(step_db), read_only=True) as store:
        brief = build_brief(store, "RUS-UKR")
        path = write_brief(store, tmp_path / "brief.html", dyad="RUS-UKR")
    assert any(flag.direction == ESCALATION for flag in brief.flags)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on(
                "console", lambda message: problems.append(message.text) if message.type == "error" else None
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "request",
                lambda request: None if request.url.startswith("file:") else problems.append(request.url),
            )
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            sizes = {}
            for selector, what in CHART_MARKS.items():
                marks = page.locator(selector)
                assert marks.count() > 0, f"no {what} ({selector})"
                box = marks.first.bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, f"{what} have no size: {box}"
                sizes[selector] = box
            flags_drawn = page.locator(".fp-escalation .fp-flag").count()
            screenshot = tmp_path / "brief.png"
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert problems == [], problems  # no console errors, and nothing fetched but the file itself
    assert flags_drawn == len(brief.flags)
    assert screenshot.stat().st_size > 10_000
