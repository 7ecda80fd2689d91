"""The user's actor file (setting user_actors, env FLASHPOINT_USER_ACTORS), end to end: `flashpoint actors`.

Each run is the real entry point in a subprocess (it loads the spaCy model, 1-2 s), so one run reads a
stories file whose stories exercise every kind of user entry at once. The same stories are also run
without the file, so a test fails if the user's entries change nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

FLASHPOINT = [sys.executable, "-m", "flashpoint.cli"]
EXIT_OK, EXIT_FAILED = 0, 2

STORIES = [
    # a new armed group; a person the packaged file does not know, in an office it does know
    {
        "story_id": "group",
        "date": "2027-02-01",
        "text": "Fighters of the Acme Brigade attacked a convoy. Foreign Secretary Jane Roe condemned it.",
    },
    # "the British foreign secretary" on the story date is the user's new office-holder
    {"story_id": "holder", "date": "2027-02-01", "text": "The British foreign secretary flew to Kyiv."},
    # a phrase the user says is not an actor (a US-local corpus: Georgia the state)
    {"story_id": "blocked", "date": "2027-02-01", "text": "Georgia sent police to the county."},
    # an overridden packaged entry: the user's Moscow is the government itself
    {"story_id": "override", "date": "2027-02-01", "text": "Moscow rejected the offer."},
]

YAML_FILE = """\
actors:
  - {kind: group, forms: [Acme Brigade, ACB], code: NGA, sector: REB}
  - {kind: not_actor, forms: [Georgia]}
  - {kind: capital, forms: [Moscow], code: RUS, sector: GOV}
  - {kind: person, name: Jane Roe, forms: [Roe], country: GBR, sector: GOV,
     office: foreign minister, title: foreign secretary, start: 2027-01-15, gender: f}
"""

CSV_FILE = """\
kind,forms,code,sector,name,country,office,title,start,gender
group,Acme Brigade|ACB,NGA,REB,,,,,,
not_actor,Georgia,,,,,,,,
capital,Moscow,RUS,GOV,,,,,,
person,Roe,,GOV,Jane Roe,GBR,foreign minister,foreign secretary,2027-01-15,f
"""


def _run(tmp_path: Path, user_file: Path | None) -> subprocess.CompletedProcess[str]:
    stories = tmp_path / "stories.jsonl"
    stories.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FLASHPOINT_USER_ACTORS"}
    if user_file is not None:
        env["FLASHPOINT_USER_ACTORS"] = str(user_file)
    return subprocess.run(
        [*FLASHPOINT, "actors", str(stories)], capture_output=True, text=True, env=env, timeout=300
    )


def _mentions(run: subprocess.CompletedProcess[str]) -> dict[str, dict[str, dict]]:
    assert run.returncode == EXIT_OK, run.stderr
    out: dict[str, dict[str, dict]] = {}
    for line in run.stdout.splitlines():
        item = json.loads(line)
        out.setdefault(item["story_id"], {}).setdefault(item["text"], item)
    return out


@pytest.fixture(scope="module")
def packaged_only(tmp_path_factory):
    return _mentions(_run(tmp_path_factory.mktemp("none"), None))


@pytest.fixture(scope="module", params=["yaml", "csv"])
def with_user_file(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    path = folder / f"actors.{request.param}"
    path.write_text(YAML_FILE if request.param == "yaml" else CSV_FILE, encoding="utf-8")
    return _mentions(_run(folder, path))


def test_without_the_file_the_user_entries_are_unknown(packaged_only):
    group = packaged_only["group"]
    assert not any("Acme" in text for text in group)
    assert packaged_only["blocked"]["Georgia"]["code"] == "GEO"
    assert packaged_only["override"]["Moscow"]["sector"] is None
    assert packaged_only["holder"]["The British foreign secretary"]["name"] != "Jane Roe"


def test_a_user_group_is_found_with_its_code_and_sector(with_user_file):
    group = with_user_file["group"]
    brigade = next(m for text, m in group.items() if "Acme Brigade" in text)
    assert (brigade["code"], brigade["sector"]) == ("NGA", "REB")
    assert "user" in brigade["how"]


def test_a_user_person_is_resolved_by_name_and_by_office(with_user_file):
    roe = with_user_file["group"]["Foreign Secretary Jane Roe"]
    assert (roe["name"], roe["code"], roe["sector"]) == ("Jane Roe", "GBR", "GOV")
    secretary = with_user_file["holder"]["The British foreign secretary"]
    assert (secretary["name"], secretary["code"]) == ("Jane Roe", "GBR")


def test_user_phrases_override_and_block_the_packaged_ones(with_user_file):
    assert "Georgia" not in with_user_file["blocked"]
    assert (with_user_file["override"]["Moscow"]["code"], with_user_file["override"]["Moscow"]["sector"]) == (
        "RUS",
        "GOV",
    )


def test_a_bad_user_file_stops_the_command_with_e103_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "actors:\n  - {kind: group, forms: [Acme Brigade], code: NGA, sector: XYZ}\n", encoding="utf-8"
    )
    run = _run(tmp_path, path)
    assert run.returncode == EXIT_FAILED
    assert "E103" in run.stderr and f"{path} line 2" in run.stderr and "XYZ" in run.stderr
    assert run.stdout == ""


def test_a_missing_user_file_is_e103(tmp_path):
    run = _run(tmp_path, tmp_path / "absent.yaml")
    assert run.returncode == EXIT_FAILED and "E103" in run.stderr and "absent.yaml" in run.stderr
