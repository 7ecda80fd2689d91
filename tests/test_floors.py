"""Accuracy floors: the coder's F1 on each gold file must not drop below tests/floors.json.

Raise a floor whenever the coder improves (keep a small margin below the measured score); never
lower one without saying why in the commit. The team's own gold is always scored; the shared dev
gold only where ../shared is present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from repo_paths import REPO, SHARED

from flashpoint.evaluate import read_jsonl, score
from flashpoint.records import Article

FLOORS = json.loads((REPO / "tests" / "floors.json").read_text(encoding="utf-8"))
GOLD_FILES = {
    "team_sentences": REPO / "tests" / "gold" / "team_sentences.jsonl",
    "seed_article": SHARED / "eval" / "seed_article.jsonl",
    "plover_gsr_dev": SHARED / "eval" / "plover_gsr_dev.jsonl",
}


def code_gold(coder, path: Path) -> tuple[list[dict], list[dict]]:
    gold = read_jsonl(path)
    articles = (Article(story_id=s["story_id"], text=s["text"], date=s.get("date")) for s in gold)
    predictions = [e.to_dict() for _, events in coder.code_articles(articles) for e in events]
    return gold, predictions


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floor(coder, name):
    path = GOLD_FILES[name]
    if not path.is_file():
        pytest.skip(f"{path} is not here (shared dev data); the in-repo gold still gates accuracy")
    gold, predictions = code_gold(coder, path)
    result = score(gold, predictions)
    measured = {f"{level} F1": round(m["f1"], 3) for level, m in result.levels.items()}
    measured.update({f"{attr} accuracy": round(a["accuracy"], 3) for attr, a in result.attributes.items()})
    below = {
        key: (measured.get(key), floor) for key, floor in FLOORS[name].items() if measured.get(key, 0) < floor
    }
    assert not below, f"{name}: below the floor (measured, floor): {below}; all measured: {measured}"
