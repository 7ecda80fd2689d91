"""Scoring against gold: hand-checked numbers, and equality with the shared scorer ../shared/eval/score.py."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from flashpoint.errors import FlashpointError
from flashpoint.evaluate import (
    LEVELS,
    NONE_LABEL,
    EvalResult,
    evaluate_files,
    format_report,
    read_jsonl,
    result_to_json,
    score,
)

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = FIXTURES / "eval_gold.jsonl"
PRED = FIXTURES / "eval_pred.jsonl"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_SCORER = SHARED / "eval" / "score.py"
L1, L2, L3 = LEVELS


@pytest.fixture(scope="module")
def result() -> EvalResult:
    return evaluate_files(GOLD, PRED)


def counts(result: EvalResult, level: str) -> tuple[int, int, int, int]:
    m = result.levels[level]
    return int(m["tp"]), int(m["fp"]), int(m["fn"]), int(m["dup"])


# --- the fixture, checked by hand ---------------------------------------------------------------------------
# s1: symmetric CONSULT matched with actor and recipient swapped; MOBILIZE with no recipient ("-" accepted) in
#     its date range, a second MOBILIZE is a duplicate; SANCTION future.            tp 3, dup 1 at every level
# s2: ACCUSE right actor, wrong recipient (L1/L2 hit, L3 miss + fp); REJECT fits an optional gold (counts
#     nowhere); PROTEST with no actor fits "*"; the negated ASSAULT is dropped on both sides, so the asserted
#     ASSAULT is a false positive.                          L1/L2 tp 2 fp 1; L3 tp 1 fp 2 fn 1
# s3: THREATEN by GBR takes the gold at L1 so THREATEN by USA is a duplicate there, but at L2 the USA one is
#     the hit and the GBR one a false positive; ACCUSE where REQUEST was meant; COERCE with wrong date, place
#     and sector.                                            L1 tp 2 fp 1 fn 1 dup 1; L2/L3 tp 2 fp 2 fn 1
# s4: no gold events, one prediction.                       fp 1
# s5: one gold event, no prediction.                        fn 1
# plus one prediction whose story_id no gold story has.


def test_levels_by_hand(result: EvalResult) -> None:
    assert result.stories == 5
    assert counts(result, L1) == (7, 3, 2, 2)
    assert counts(result, L2) == (7, 4, 2, 1)
    assert counts(result, L3) == (6, 5, 3, 1)
    assert result.levels[L1]["precision"] == 7 / 10
    assert result.levels[L1]["recall"] == 7 / 9
    assert result.levels[L3]["f1"] == pytest.approx(2 * (6 / 11) * (6 / 9) / (6 / 11 + 6 / 9))
    assert result.unknown_story_predictions == 1


def test_attributes_by_hand(result: EvalResult) -> None:
    # s1 CONSULT: sectors, date, place right; s1 MOBILIZE: date in range; s1 SANCTION: modality right;
    # s3 THREATEN: date right; s3 COERCE: sector, date and place wrong.
    assert result.attributes == {
        "actor sector": {"accuracy": 0.5, "n": 2},
        "recipient sector": {"accuracy": 1.0, "n": 1},
        "date": {"accuracy": 0.75, "n": 4},
        "location country": {"accuracy": 0.5, "n": 2},
        "modality": {"accuracy": 1.0, "n": 1},
    }


def test_per_story_by_hand(result: EvalResult) -> None:
    rows = {row["story_id"]: row for row in result.per_story}
    assert rows["s1"][L3] == {"tp": 3, "fp": 0, "fn": 0, "dup": 1}
    assert rows["s2"][L2] == {"tp": 2, "fp": 1, "fn": 0, "dup": 0}
    assert rows["s2"][L3] == {"tp": 1, "fp": 2, "fn": 1, "dup": 0}
    assert rows["s3"][L1] == {"tp": 2, "fp": 1, "fn": 1, "dup": 1}
    assert rows["s3"][L2] == {"tp": 2, "fp": 2, "fn": 1, "dup": 0}
    assert rows["s4"][L1] == {"tp": 0, "fp": 1, "fn": 0, "dup": 0}
    assert rows["s5"][L3] == {"tp": 0, "fp": 0, "fn": 1, "dup": 0}


def test_per_type_by_hand(result: EvalResult) -> None:
    l1, l3 = result.per_type[L1], result.per_type[L3]
    assert list(l1)[:3] == ["AGREE", "CONSULT", "SUPPORT"]  # the manual's order
    assert "REJECT" not in l1  # only an optional gold and the prediction matched to it
    assert (l1["ACCUSE"]["tp"], l1["ACCUSE"]["fp"], l1["ACCUSE"]["fn"]) == (1, 1, 0)
    assert (l3["ACCUSE"]["tp"], l3["ACCUSE"]["fp"], l3["ACCUSE"]["fn"]) == (0, 2, 1)
    assert (l1["THREATEN"]["tp"], l1["THREATEN"]["dup"]) == (1, 1)
    assert (l3["THREATEN"]["tp"], l3["THREATEN"]["fp"], l3["THREATEN"]["precision"]) == (1, 1, 0.5)
    assert (l1["REQUEST"]["fn"], l1["SUPPORT"]["fn"], l1["AGREE"]["fp"], l1["ASSAULT"]["fp"]) == (1, 1, 1, 1)
    assert l1["ACCUSE"]["precision"] == 0.5 and l1["ACCUSE"]["recall"] == 1.0
    for level, table in result.per_type.items():
        for key in ("tp", "fp", "fn", "dup"):
            assert sum(row[key] for row in table.values()) == result.levels[level][key]


def test_confusion_by_hand(result: EvalResult) -> None:
    diagonal = ["CONSULT", "MOBILIZE", "SANCTION", "ACCUSE", "PROTEST", "THREATEN", "COERCE"]
    expected: dict[str, dict[str, int]] = {kind: {kind: 1} for kind in diagonal}
    expected["REQUEST"] = {"ACCUSE": 1}  # same actor (USA), other type
    expected["SUPPORT"] = {NONE_LABEL: 1}  # missed
    expected[NONE_LABEL] = {"AGREE": 1, "ASSAULT": 1}  # false positives with nothing to confuse them with
    assert result.confusion == expected
    assert list(result.confusion)[-1] == NONE_LABEL


def test_confusion_sums_match_the_l1_counts(result: EvalResult) -> None:
    cells = Counter({(g, p): n for g, row in result.confusion.items() for p, n in row.items()})
    tp, fp, fn, _ = counts(result, L1)
    assert sum(n for (g, p), n in cells.items() if g == p) == tp
    assert sum(n for (g, _), n in cells.items() if g != NONE_LABEL) == tp + fn
    assert sum(n for (_, p), n in cells.items() if p != NONE_LABEL) == tp + fp


def test_report_and_json(result: EvalResult) -> None:
    text = format_report(result)
    assert text.startswith("5 stories\n")
    assert "L1 type           0.700  0.778  0.737     7     3     2     2" in text
    assert "date               accuracy 0.750 over 4 L3 matches" in text
    assert "1 predictions carry a story_id that the gold file lacks" in text
    assert "Per event type at L3 type+dyad" in text
    assert "Confusion of event types" in text
    data = result_to_json(result)
    assert json.loads(json.dumps(data)) == data
    assert data["predictions_without_a_known_story_id"] == 1
    assert set(data) >= {"stories", "levels", "attributes", "per_type", "confusion", "per_story"}


# --- rules, one at a time ----------------------------------------------------------------------------------


def event(kind: str, actor: str | None = None, recipient: str | None = None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"story_id": "x", "event": kind, **fields}
    record["actor"] = [{"code": actor}] if actor else []
    record["recipient"] = [{"code": recipient}] if recipient else []
    return record


def one_story(*golds: dict[str, Any], preds: list[dict[str, Any]]) -> EvalResult:
    return score([{"story_id": "x", "events": list(golds)}], preds)


def test_symmetric_allows_the_swap_and_only_then() -> None:
    gold = {"event": "CONSULT", "actor": ["USA"], "recipient": ["RUS"]}
    swapped = [event("CONSULT", "RUS", "USA")]
    assert counts(one_story(gold, preds=swapped), L3) == (0, 1, 1, 0)
    assert counts(one_story({**gold, "symmetric": True}, preds=swapped), L3) == (1, 0, 0, 0)


def test_dash_and_star() -> None:
    no_recipient = [event("MOBILIZE", "RUS")]
    assert counts(one_story({"event": "MOBILIZE", "actor": ["RUS"]}, preds=no_recipient), L3)[0] == 1
    required = {"event": "MOBILIZE", "actor": ["RUS"], "recipient": ["UKR"]}
    assert counts(one_story(required, preds=no_recipient), L3)[0] == 0
    anyone = {"event": "PROTEST", "actor": ["*"], "recipient": ["*"]}
    assert counts(one_story(anyone, preds=[event("PROTEST")]), L3)[0] == 1
    named = {"event": "PROTEST", "actor": ["-", "UKR"]}
    assert counts(one_story(named, preds=[event("PROTEST")]), L2)[0] == 0  # an actor must be named


def test_required_gold_is_matched_before_an_optional_one() -> None:
    optional = {"event": "ACCUSE", "actor": ["USA"], "optional": True}
    required = {"event": "ACCUSE", "actor": ["USA"]}
    assert counts(one_story(optional, required, preds=[event("ACCUSE", "USA")]), L3) == (1, 0, 0, 0)
    assert counts(one_story(optional, preds=[event("ACCUSE", "USA")]), L3) == (0, 0, 0, 0)
    assert counts(one_story(optional, preds=[]), L3) == (0, 0, 0, 0)


def test_matching_is_maximum_not_greedy() -> None:
    golds = ({"event": "ACCUSE", "actor": ["USA", "GBR"]}, {"event": "ACCUSE", "actor": ["USA"]})
    preds = [event("ACCUSE", "USA"), event("ACCUSE", "GBR")]
    assert counts(one_story(*golds, preds=preds), L2) == (2, 0, 0, 0)


def test_a_prediction_tries_the_gold_whose_date_agrees_first() -> None:
    early = {"event": "MOBILIZE", "actor": ["RUS"], "date": "2014-03-01"}
    late = {"event": "MOBILIZE", "actor": ["RUS"], "date": "2014-03-14"}
    result = one_story(early, late, preds=[event("MOBILIZE", "RUS", date="2014-03-14T09:00")])
    assert result.attributes["date"] == {"accuracy": 1.0, "n": 1}
    placed = {"event": "MOBILIZE", "actor": ["RUS"], "loc_country": "UKR"}
    pred = event("MOBILIZE", "RUS", date="2014-03-14", event_loc={"country_code": "UKR"})
    result = one_story(placed, late, preds=[pred])  # a date agreeing outweighs a place agreeing
    assert result.attributes == {"date": {"accuracy": 1.0, "n": 1}}


def test_date_ranges_include_both_ends() -> None:
    gold = {"event": "AID", "actor": ["USA"], "date": ["2014-03-09", "2014-03-16"]}
    for day, ok in [("2014-03-09", 1.0), ("2014-03-16", 1.0), ("2014-03-17", 0.0), ("", 0.0)]:
        result = one_story(gold, preds=[event("AID", "USA", date=day)])
        assert result.attributes["date"]["accuracy"] == ok, day


def test_negated_events_are_left_out_on_both_sides() -> None:
    gold = {"event": "ASSAULT", "actor": ["RUS"], "modality": "negated"}
    assert counts(one_story(gold, preds=[event("ASSAULT", "RUS", modality="NEGATED")]), L1) == (0, 0, 0, 0)
    assert counts(one_story(gold, preds=[event("ASSAULT", "RUS")]), L1) == (0, 1, 0, 0)


def test_duplicates_are_counted_apart_from_false_positives() -> None:
    gold = {"event": "AID", "actor": ["USA"]}
    preds = [event("AID", "USA"), event("AID", "USA"), event("AID", "USA")]
    assert counts(one_story(gold, preds=preds), L3) == (1, 0, 0, 2)


def test_prediction_fields_are_read_as_the_shared_scorer_reads_them() -> None:
    gold = {
        "event": "COERCE", "actor": ["RUS"], "recipient": ["UKR"], "actor_sector": ["MIL"],
        "loc_country": "ukr", "modality": "asserted",
    }  # fmt: skip
    pred = {
        "story_id": "x", "event_type": ["coerce"], "actor": ["rus"],
        "recipient": [{"code": "UKR", "sector_code": ["govmil"]}], "location": [{"country": "UKR"}],
    }  # fmt: skip
    result = one_story(gold, preds=[pred])
    assert counts(result, L3) == (1, 0, 0, 0)
    assert result.attributes["location country"]["accuracy"] == 1.0
    assert result.attributes["modality"]["accuracy"] == 1.0  # no modality means asserted
    assert result.attributes["actor sector"]["accuracy"] == 0.0  # bare code strings carry no sector
    gold2 = {**gold, "recipient_sector": ["GOV"]}
    assert one_story(gold2, preds=[pred]).attributes["recipient sector"]["accuracy"] == 1.0  # GOVMIL -> GOV


def test_confusion_pairs_only_events_that_share_an_actor() -> None:
    golds = ({"event": "REQUEST", "actor": ["USA"], "recipient": ["RUS"]}, {"event": "AID", "actor": ["FRA"]})
    preds = [event("ACCUSE", "GBR", "RUS"), event("THREATEN", "RUS", "USA")]
    symmetric = {"event": "CONSULT", "actor": ["USA"], "recipient": ["RUS"], "symmetric": True}
    result = one_story(*golds, symmetric, preds=preds)
    assert result.confusion == {
        "AID": {NONE_LABEL: 1},
        "REQUEST": {NONE_LABEL: 1},
        "CONSULT": {"THREATEN": 1},  # RUS may stand as the actor of a symmetric event
        NONE_LABEL: {"ACCUSE": 1},
    }


def test_confusion_prefers_the_gold_whose_dyad_fits() -> None:
    golds = (
        {"event": "REQUEST", "actor": ["USA"], "recipient": ["UKR"]},
        {"event": "REJECT", "actor": ["USA"], "recipient": ["RUS"]},
    )
    result = one_story(*golds, preds=[event("ACCUSE", "USA", "RUS")])
    assert result.confusion == {"REQUEST": {NONE_LABEL: 1}, "REJECT": {"ACCUSE": 1}}


def test_gold_story_without_id_is_refused() -> None:
    with pytest.raises(ValueError, match="Gold story 1 has no story_id"):
        score([{"events": []}], [])


def test_read_jsonl_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"story_id": "a"}\n\n{"story_id": \n', encoding="utf-8")
    with pytest.raises(FlashpointError, match=r"E004.*bad.jsonl line 3"):
        read_jsonl(path)
    path.write_text('{"story_id": "a"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(FlashpointError, match="line 2: a JSON list, not an object"):
        read_jsonl(path)
    with pytest.raises(FlashpointError, match="E001"):
        read_jsonl(tmp_path / "missing.jsonl")
    path.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    assert read_jsonl(path) == [{"a": 1}, {"b": 2}]


# --- equality with the shared scorer (skipped where ../shared is absent) ------------------------------------


def shared_scorer() -> Path:
    if not SHARED_SCORER.exists():
        pytest.skip(f"{SHARED_SCORER} is absent: the comparison with the shared scorer needs ../shared")
    return SHARED_SCORER


def run_shared(gold: Path, pred: Path, *flags: str) -> str:
    done = subprocess.run(
        [sys.executable, str(shared_scorer()), str(gold), str(pred), *flags],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def assert_same_as_shared(gold: Path, pred: Path) -> EvalResult:
    theirs = json.loads(run_shared(gold, pred, "--json"))
    ours = evaluate_files(gold, pred)
    mine = result_to_json(ours)
    for key in ("stories", "levels", "attributes", "predictions_without_a_known_story_id"):
        assert mine[key] == theirs[key], key
    rows = [
        json.loads(line)
        for line in run_shared(gold, pred, "--per-story").splitlines()
        if line.startswith("{")
    ]
    trimmed = [
        {
            key: value if key == "story_id" else {n: value[n] for n in ("tp", "fp", "fn")}
            for key, value in row.items()
        }
        for row in ours.per_story
    ]
    assert trimmed == rows
    return ours


@pytest.mark.shared
def test_same_numbers_as_the_shared_scorer_on_the_fixtures() -> None:
    result = assert_same_as_shared(GOLD, PRED)
    assert len(result.attributes) == 5  # every attribute was exercised


def perturbed(stories: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Predictions made from gold events, some right, some with wrong types, actors, dates or duplicated."""
    kinds = ["AGREE", "CONSULT", "ACCUSE", "REJECT", "MOBILIZE", "ASSAULT"]
    preds = []
    for story in stories:
        for gold in story.get("events", []):
            roll = rng.random()
            if roll < 0.15:
                continue
            actors = [c for c in gold.get("actor", []) if c not in "-*"] or ["USA"]
            recipients = [c for c in gold.get("recipient", []) if c not in "-*"]
            pred = {
                "story_id": story["story_id"],
                "event": rng.choice(kinds) if roll > 0.85 else gold["event"],
                "actor": [{"code": rng.choice([*actors, "GBR"]), "sector": rng.choice(["GOV", "MIL"])}],
                "recipient": [{"code": c} for c in recipients[: rng.randint(0, 1)]],
                "date": gold["date"][0]
                if isinstance(gold.get("date"), list)
                else rng.choice(["2014-03-14", ""]),
                "modality": rng.choice(["asserted", "future", "negated", None]),
            }
            preds.append(pred)
            if roll > 0.7:
                preds.append({**pred, "date": "2000-01-01"})
    return preds


@pytest.mark.shared
def test_same_numbers_as_the_shared_scorer_on_the_shared_gold(tmp_path: Path) -> None:
    shared_scorer()
    for name in ("seed_article.jsonl", "plover_gsr_dev.jsonl"):
        gold = SHARED / "eval" / name
        pred = tmp_path / f"pred-{name}"
        preds = perturbed(read_jsonl(gold), random.Random(name))
        pred.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
        assert_same_as_shared(gold, pred)


def load_shared_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_eval_score", shared_scorer())
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def random_side(rng: random.Random) -> list[str]:
    side = rng.sample(["USA", "RUS", "UKR", "GBR"], rng.randint(0, 2))
    return side + [rng.choice(["-", "*"])] * (rng.random() < 0.3)


def random_gold_event(rng: random.Random) -> dict[str, Any]:
    gold: dict[str, Any] = {"event": rng.choice(["ACCUSE", "REJECT", "MOBILIZE"]), "actor": random_side(rng)}
    if rng.random() < 0.7:
        gold["recipient"] = random_side(rng)
    for key, make in [
        ("symmetric", lambda: True),
        ("optional", lambda: True),
        ("modality", lambda: rng.choice(["asserted", "future", "negated"])),
        ("date", lambda: rng.choice(["2014-03-14", ["2014-03-10", "2014-03-16"]])),
        ("loc_country", lambda: rng.choice(["UKR", "RUS"])),
        ("actor_sector", lambda: [rng.choice(["GOV", "MIL"])]),
        ("recipient_sector", lambda: [rng.choice(["GOV", "MIL"])]),
    ]:
        if rng.random() < 0.3:
            gold[key] = make()
    return gold


def random_prediction(rng: random.Random, story_id: str) -> dict[str, Any]:
    def side() -> list[dict[str, str]]:
        codes = rng.sample(["USA", "RUS", "UKR"], rng.randint(0, 2))
        return [{"code": c, "sector": rng.choice(["GOV", "MIL", "GOVMIL"])} for c in codes]

    return {
        "story_id": story_id,
        "event": rng.choice(["ACCUSE", "REJECT", "MOBILIZE"]),
        "actor": side(),
        "recipient": side(),
        "date": rng.choice(["2014-03-14", "2014-03-12", "2014-03-20", None]),
        "event_loc": rng.choice([{"country_code": "UKR"}, {"country_code": "RUS"}, None]),
        "modality": rng.choice(["asserted", "future", "negated", None]),
    }


@pytest.mark.shared
def test_same_numbers_as_the_shared_scorer_on_random_stories() -> None:
    shared = load_shared_module()
    rng = random.Random(20140315)
    for _ in range(40):
        stories = [
            {"story_id": f"r{n}", "events": [random_gold_event(rng) for _ in range(rng.randint(0, 6))]}
            for n in range(12)
        ]
        preds = [random_prediction(rng, f"r{rng.randint(0, 12)}") for _ in range(rng.randint(0, 50))]
        by_story: dict[str, list[dict[str, Any]]] = {}
        for p in preds:
            if p["story_id"] in {s["story_id"] for s in stories}:
                by_story.setdefault(p["story_id"], []).append(p)
        theirs, their_rows = shared.score(stories, by_story)
        ours = score(stories, preds)
        assert ours.levels == theirs["levels"]
        assert ours.attributes == theirs["attributes"]
        assert [{k: v for k, v in row[L3].items() if k != "dup"} for row in ours.per_story] == [
            row[L3] for row in their_rows
        ]
