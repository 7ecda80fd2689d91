"""Score coded events against hand-coded gold stories.

Job: the metrics of ``../shared/eval/score.py``, written anew so that the package does not depend on
``../shared``, plus two tables that the shared scorer lacks: precision/recall/F1 per event type and a
confusion matrix of event types. Boundary: plain dicts in (gold stories in the format of
``../shared/eval/README.md``, predictions as the event records of DESIGN.md), an :class:`EvalResult` out;
reading JSONL and rendering text or JSON are its only I/O. It knows nothing of the pipeline, store or CLI.

The rules, which must stay equal to the shared scorer's:

- Per story, predictions are matched one-to-one to gold events by a maximum bipartite matching, at three
  levels: L1 the event type; L2 the type and an actor code the gold accepts; L3 the type, the actor and the
  recipient. Counts are summed over stories before precision, recall and F1 are taken.
- A gold side lists the acceptable codes; ``"-"`` accepts a side left empty, ``"*"`` accepts anything or
  nothing. An absent gold recipient means ``["-"]``. An actor must be named unless the gold accepts ``"*"``.
  ``symmetric`` golds may be matched with actor and recipient swapped.
- Negated events (``modality: negated``) are left out on both sides. ``optional`` gold events are never
  missed, and a prediction matched to one is neither a hit nor a false positive; required gold events are
  matched first. A prediction that fits some gold event but is left unmatched is a duplicate, not a false
  positive.
- Where a prediction fits several gold events it tries first those whose date, place and modality agree;
  on L3 matches the accuracy of actor and recipient sector, date (a day or a ``[first, last]`` range),
  location country and modality is reported, each over the matches whose gold states it.

Two deliberate differences from the shared scorer, on malformed gold only: gold sectors and modalities are
compared case-insensitively, and a gold sector or date given as a bare string is read as a one-item value.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FlashpointError
from .ontology import EVENT_TYPES

LEVELS = ("L1 type", "L2 type+actor", "L3 type+dyad")
TYPE_LEVELS = (LEVELS[0], LEVELS[2])  # per-type tables: the type alone, and the type with its whole dyad
ATTRIBUTES = ("actor sector", "recipient sector", "date", "location country", "modality")
NO_ACTOR = "-"  # in a gold side: leaving this side empty is acceptable
ANY_ACTOR = "*"  # in a gold side: any code, or none, is acceptable
NONE_LABEL = "none"  # confusion-matrix row of false positives and column of misses
CONFUSION_CORNER = "gold\\pred"  # heading of the confusion matrix's label column
MISSING_TYPE = "?"  # label of a prediction that carries no event type
NEGATED = "negated"
DEFAULT_MODALITY = "asserted"  # a record without modality asserts its event
SECTOR_LENGTH = 3  # predicted sectors may be 3 or 6 letters (GOVMIL); the first three are the primary sector
DATE_LENGTH = 10  # YYYY-MM-DD; anything after it (a time) is ignored
DATE_AGREEMENT_WEIGHT = 2  # a matching date says more about which gold event is meant than place or modality
MIN_EVIDENCE_WORD = 4  # shorter words (the, of, and) say nothing about which gold event a prediction is


# --- reading records ---------------------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _codes(side: Any) -> frozenset[str]:
    """Codes of a prediction's actor or recipient list: dicts with ``code``, or bare code strings."""
    found = (item.get("code") if isinstance(item, Mapping) else item for item in _as_list(side))
    return frozenset(str(code).upper() for code in found if code)


def _sectors(side: Any) -> frozenset[str]:
    out: set[str] = set()
    for item in _as_list(side):
        if isinstance(item, Mapping):
            for key in ("sector", "sector_code"):
                out.update(str(s).upper()[:SECTOR_LENGTH] for s in _as_list(item.get(key)) if s)
    return frozenset(out)


def _words(*texts: Any) -> frozenset[str]:
    text = " ".join(t for t in texts if isinstance(t, str)).lower()
    return frozenset(w for w in re.findall(r"\w+", text) if len(w) >= MIN_EVIDENCE_WORD)


@dataclass(frozen=True)
class _Prediction:
    """What the scorer reads of a predicted event record."""

    event: str
    actors: frozenset[str]
    recipients: frozenset[str]
    actor_sectors: frozenset[str]
    recipient_sectors: frozenset[str]
    date: str
    country: str
    modality: str
    words: frozenset[str]

    @classmethod
    def read(cls, record: Mapping[str, Any]) -> _Prediction:
        kinds = _as_list(record.get("event") or record.get("event_type"))
        place = record.get("event_loc") or record.get("location") or {}
        if isinstance(place, list):
            place = place[0] if place else {}
        country = (
            (place.get("country_code") or place.get("country") or "") if isinstance(place, Mapping) else ""
        )
        info = record.get("text_info")
        return cls(
            event=str(kinds[0]).upper() if kinds else "",
            actors=_codes(record.get("actor")),
            recipients=_codes(record.get("recipient")),
            actor_sectors=_sectors(record.get("actor")),
            recipient_sectors=_sectors(record.get("recipient")),
            date=str(record.get("date") or "")[:DATE_LENGTH],
            country=str(country).upper(),
            modality=(record.get("modality") or DEFAULT_MODALITY).lower(),
            words=_words(record.get("event_text"), info.get("text") if isinstance(info, Mapping) else None),
        )


@dataclass(frozen=True)
class _Gold:
    """A gold event as the scorer reads it; ``recipients`` already holds the "-" that an absent list means."""

    event: str
    actors: frozenset[str]
    recipients: frozenset[str]
    symmetric: bool
    optional: bool
    date: tuple[str, str] | None  # first and last acceptable day; equal for a single day
    country: str
    modality: str  # "" when the gold does not state it
    actor_sectors: frozenset[str]
    recipient_sectors: frozenset[str]
    words: frozenset[str]

    @classmethod
    def read(cls, record: Mapping[str, Any]) -> _Gold:
        day = _as_list(record.get("date"))
        return cls(
            event=str(record.get("event") or "").upper(),
            actors=frozenset(str(c).upper() for c in _as_list(record.get("actor"))),
            recipients=frozenset(str(c).upper() for c in _as_list(record.get("recipient")) or [NO_ACTOR]),
            symmetric=bool(record.get("symmetric")),
            optional=bool(record.get("optional")),
            date=(str(day[0]), str(day[-1])) if day else None,
            country=str(record.get("loc_country") or "").upper(),
            modality=str(record.get("modality") or "").lower(),
            actor_sectors=frozenset(str(s).upper() for s in _as_list(record.get("actor_sector"))),
            recipient_sectors=frozenset(str(s).upper() for s in _as_list(record.get("recipient_sector"))),
            words=_words(record.get("evidence")),
        )

    def orientations(self) -> list[tuple[frozenset[str], frozenset[str]]]:
        """(actor codes, recipient codes) as written, and swapped when the event is symmetric."""
        sides = [(self.actors, self.recipients)]
        if self.symmetric:
            sides.append((self.recipients, self.actors))
        return sides


# --- fitting and matching ----------------------------------------------------------------------------------


def _side_accepts(found: frozenset[str], accepted: frozenset[str]) -> bool:
    if ANY_ACTOR in accepted:
        return True
    if not found:
        return NO_ACTOR in accepted or not accepted
    return bool(found & accepted)


def _fits(pred: _Prediction, gold: _Gold, level: int, *, same_type: bool = True) -> bool:
    """Whether ``pred`` fits ``gold`` at level 0 (type), 1 (+ actor) or 2 (+ recipient)."""
    if same_type and pred.event != gold.event:
        return False
    if level == 0:
        return True
    for actors, recipients in gold.orientations():
        named = bool(pred.actors & actors)
        if not (ANY_ACTOR in actors or named):
            continue
        if level == 1 or _side_accepts(pred.recipients, recipients):
            return True
    return False


def _date_ok(pred: _Prediction, gold: _Gold) -> bool | None:
    """Whether the predicted day lies in the gold's day or range; None when the gold fixes no date."""
    if gold.date is None:
        return None
    first, last = gold.date
    return first <= pred.date <= last


def _agreement(pred: _Prediction, gold: _Gold) -> int:
    return (
        DATE_AGREEMENT_WEIGHT * bool(_date_ok(pred, gold))
        + bool(gold.country and pred.country == gold.country)
        + (pred.modality == (gold.modality or DEFAULT_MODALITY))
    )


def _candidates(preds: Sequence[_Prediction], golds: Sequence[_Gold], level: int) -> list[list[int]]:
    """For each prediction, the gold events it fits, those agreeing best on date, place and modality first."""
    out = []
    for pred in preds:
        fitting = [j for j, gold in enumerate(golds) if _fits(pred, gold, level)]
        out.append(sorted(fitting, key=lambda j, pred=pred: -_agreement(pred, golds[j])))
    return out


def _maximum_matching(candidates: Sequence[Sequence[int]], phases: Iterable[set[int]]) -> dict[int, int]:
    """A maximum matching {prediction: gold} by augmenting paths (Kuhn), one phase per set of allowed golds.

    Each phase only grows the set of matched golds, so golds allowed in an earlier phase (the required ones)
    are matched as fully as possible before later ones are considered. Predictions are tried in order and each
    tries its candidates in order, which fixes which maximum matching is found.
    """
    holder: dict[int, int] = {}  # gold -> prediction

    def claim(pred: int, visited: set[int], allowed: set[int]) -> bool:
        for gold in candidates[pred]:
            if gold in allowed and gold not in visited:
                visited.add(gold)
                if gold not in holder or claim(holder[gold], visited, allowed):
                    holder[gold] = pred
                    return True
        return False

    for allowed in phases:
        for pred in range(len(candidates)):
            if pred not in holder.values():
                claim(pred, set(), allowed)
    return {pred: gold for gold, pred in holder.items()}


# --- the result --------------------------------------------------------------------------------------------


@dataclass
class EvalResult:
    """Scores of a prediction set against a gold set.

    ``levels`` and ``attributes`` are exactly what the shared scorer reports; ``per_type`` maps a level of
    TYPE_LEVELS to {event type: counts and scores}; ``confusion`` maps a gold type to {predicted type: count},
    with NONE_LABEL for misses (column) and false positives (row); ``per_story`` holds each story's counts.
    """

    stories: int
    levels: dict[str, dict[str, float | int]]
    attributes: dict[str, dict[str, float | int]]
    per_type: dict[str, dict[str, dict[str, float | int]]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    per_story: list[dict[str, Any]] = field(default_factory=list)
    unknown_story_predictions: int = 0  # predictions whose story_id no gold story has


def _scores(counts: Mapping[str, int]) -> dict[str, float | int]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "dup": counts["dup"],
    }


def _type_order(names: Iterable[str]) -> list[str]:
    """Event types in the manual's order, then unknown labels alphabetically, then NONE_LABEL."""
    known = [name for name in EVENT_TYPES if name in names]
    rest = sorted(n for n in names if n not in EVENT_TYPES and n != NONE_LABEL)
    return known + rest + ([NONE_LABEL] if NONE_LABEL in names else [])


class _Tally:
    """Counters filled story by story."""

    def __init__(self) -> None:
        self.levels = {name: Counter[str]() for name in LEVELS}
        self.per_type = {name: defaultdict(Counter[str]) for name in TYPE_LEVELS}
        self.attributes = {name: Counter[bool]() for name in ATTRIBUTES}
        self.confusion: Counter[tuple[str, str]] = Counter()

    def add_level(
        self,
        level: int,
        preds: Sequence[_Prediction],
        golds: Sequence[_Gold],
        candidates: Sequence[Sequence[int]],
        pairs: Mapping[int, int],
    ) -> dict[str, int]:
        name = LEVELS[level]
        counts: Counter[str] = Counter(tp=0, fp=0, fn=0, dup=0)
        by_type = self.per_type.get(name)
        matched = set(pairs.values())
        for j, gold in enumerate(golds):
            if not gold.optional:
                outcome = "tp" if j in matched else "fn"
                counts[outcome] += 1
                if by_type is not None:
                    by_type[gold.event][outcome] += 1
        for i, pred in enumerate(preds):
            if i not in pairs:
                outcome = "dup" if candidates[i] else "fp"
                counts[outcome] += 1
                if by_type is not None:
                    by_type[pred.event or MISSING_TYPE][outcome] += 1
        self.levels[name].update(counts)
        return dict(counts)

    def add_attributes(
        self, preds: Sequence[_Prediction], golds: Sequence[_Gold], pairs: Mapping[int, int]
    ) -> None:
        for i, j in pairs.items():
            pred, gold = preds[i], golds[j]
            if gold.actor_sectors:
                self.attributes["actor sector"][bool(pred.actor_sectors & gold.actor_sectors)] += 1
            if gold.recipient_sectors:
                agrees = bool(pred.recipient_sectors & gold.recipient_sectors)
                self.attributes["recipient sector"][agrees] += 1
            date_ok = _date_ok(pred, gold)
            if date_ok is not None:
                self.attributes["date"][date_ok] += 1
            if gold.country:
                self.attributes["location country"][pred.country == gold.country] += 1
            if gold.modality:
                self.attributes["modality"][pred.modality == gold.modality] += 1

    def add_confusion(
        self,
        preds: Sequence[_Prediction],
        golds: Sequence[_Gold],
        candidates: Sequence[Sequence[int]],
        pairs: Mapping[int, int],
    ) -> None:
        """Fill the confusion matrix from a story's L1 matching (see :func:`score` for the rule)."""
        for j in pairs.values():
            if not golds[j].optional:
                self.confusion[golds[j].event, golds[j].event] += 1
        matched = set(pairs.values())
        missed = {j for j, gold in enumerate(golds) if not gold.optional and j not in matched}
        spurious = [i for i in range(len(preds)) if i not in pairs and not candidates[i]]
        cross: list[list[int]] = [[] for _ in preds]
        for i in spurious:
            fitting = [j for j in sorted(missed) if _shares_actor(preds[i], golds[j])]
            cross[i] = sorted(fitting, key=lambda j, i=i: _likeness(preds[i], golds[j]), reverse=True)
        confused = _maximum_matching(cross, [missed])
        for i, j in confused.items():
            self.confusion[golds[j].event, preds[i].event or MISSING_TYPE] += 1
        for j in missed - set(confused.values()):
            self.confusion[golds[j].event, NONE_LABEL] += 1
        for i in spurious:
            if i not in confused:
                self.confusion[NONE_LABEL, preds[i].event or MISSING_TYPE] += 1

    def result(self, stories: int, per_story: list[dict[str, Any]], unknown: int) -> EvalResult:
        levels = {name: _scores(counts) for name, counts in self.levels.items()}
        attributes: dict[str, dict[str, float | int]] = {}
        for name, counts in self.attributes.items():
            n = counts[True] + counts[False]
            if n:
                attributes[name] = {"accuracy": counts[True] / n, "n": n}
        per_type = {
            level: {kind: _scores(table[kind]) for kind in _type_order(table)}
            for level, table in self.per_type.items()
        }
        confusion: dict[str, dict[str, int]] = {}
        labels = _type_order({label for pair in self.confusion for label in pair})
        for gold_label in labels:
            row = {p: self.confusion[gold_label, p] for p in labels if self.confusion[gold_label, p]}
            if row:
                confusion[gold_label] = row
        return EvalResult(stories, levels, attributes, per_type, confusion, per_story, unknown)


def _shares_actor(pred: _Prediction, gold: _Gold) -> bool:
    """Whether a prediction names an actor the gold event accepts on either side it may stand on."""
    return any(
        ANY_ACTOR in actors or bool(pred.actors & (actors - {NO_ACTOR})) for actors, _ in gold.orientations()
    )


def _likeness(pred: _Prediction, gold: _Gold) -> tuple[bool, int]:
    """How alike a prediction and a gold event of another type are: the whole dyad fits, then shared words."""
    return _fits(pred, gold, 2, same_type=False), len(pred.words & gold.words)


# --- the entry points --------------------------------------------------------------------------------------


def score(gold_stories: Sequence[Mapping[str, Any]], predictions: Iterable[Mapping[str, Any]]) -> EvalResult:
    """Score predicted event records against gold stories (rules in the module docstring).

    Predictions are grouped by ``story_id``; those whose story no gold story has are counted in
    ``unknown_story_predictions`` and otherwise ignored.

    Per-type tables: a gold event counts as a hit or a miss under its own type, an unmatched prediction as a
    false positive or duplicate under its predicted type; optional gold events and the predictions matched to
    them count nowhere, as in the totals.

    Confusion matrix (gold type x predicted type), from each story's L1 matching: every required gold event
    matched at L1 adds one to its diagonal cell. Then the story's missed required gold events and its false
    positives (predictions whose type no gold event of the story has) are paired one-to-one by a maximum
    matching that allows a pair only when the prediction names an actor code the gold accepts on either side
    it may stand on ("*" accepts any), trying first the gold events whose whole dyad the prediction fits,
    then those sharing more evidence words (``event_text``/``text_info.text`` against ``evidence``). Each
    pair adds one to (gold type, predicted type); a miss left unpaired adds to (gold type, "none"), a false
    positive left unpaired to ("none", predicted type). Duplicates are left out. So the diagonal sums to L1
    tp, row sums of the gold types to L1 tp + fn, and column sums of the predicted types to L1 tp + fp.
    """
    known: set[Any] = set()
    for position, story in enumerate(gold_stories):
        if "story_id" not in story:
            raise ValueError(f"Gold story {position + 1} has no story_id; every gold story needs one.")
        known.add(story["story_id"])
    by_story: dict[Any, list[Mapping[str, Any]]] = defaultdict(list)
    unknown = 0
    for record in predictions:
        story_id = record.get("story_id")
        if story_id in known:
            by_story[story_id].append(record)
        else:
            unknown += 1

    tally = _Tally()
    per_story: list[dict[str, Any]] = []
    for story in gold_stories:
        golds = [_Gold.read(g) for g in story.get("events") or []]
        golds = [g for g in golds if g.modality != NEGATED]
        preds = [_Prediction.read(p) for p in by_story.get(story["story_id"], [])]
        preds = [p for p in preds if p.modality != NEGATED]
        required = {j for j, gold in enumerate(golds) if not gold.optional}
        row: dict[str, Any] = {"story_id": story["story_id"]}
        for level in range(len(LEVELS)):
            candidates = _candidates(preds, golds, level)
            pairs = _maximum_matching(candidates, [required, set(range(len(golds)))])
            row[LEVELS[level]] = tally.add_level(level, preds, golds, candidates, pairs)
            if level == 0:
                tally.add_confusion(preds, golds, candidates, pairs)
            if level == len(LEVELS) - 1:
                tally.add_attributes(preds, golds, pairs)
        per_story.append(row)
    return tally.result(len(gold_stories), per_story, unknown)


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file, one a line (blank lines skipped).

    Raises FlashpointError E001 when the file cannot be read and E004 (with file and line) for a line that
    is not a JSON object.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise FlashpointError("E001", detail=f"{path}: {error}") from error
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FlashpointError("E004", detail=f"{path} line {number}: {error.msg}") from error
        if not isinstance(record, dict):
            kind = type(record).__name__
            raise FlashpointError("E004", detail=f"{path} line {number}: a JSON {kind}, not an object")
        records.append(record)
    return records


def evaluate_files(gold_path: str | Path, prediction_path: str | Path) -> EvalResult:
    """Score a JSONL file of predicted events against a JSONL file of gold stories."""
    return score(read_jsonl(gold_path), read_jsonl(prediction_path))


def result_to_json(result: EvalResult) -> dict[str, Any]:
    """A JSON-ready dict; its ``stories``, ``levels``, ``attributes`` and
    ``predictions_without_a_known_story_id`` have the shape and values of the shared scorer's ``--json``."""
    return {
        "stories": result.stories,
        "levels": result.levels,
        "attributes": result.attributes,
        "predictions_without_a_known_story_id": result.unknown_story_predictions,
        "per_type": result.per_type,
        "confusion": result.confusion,
        "per_story": result.per_story,
    }


def _count_table(title: str, first_column: str, rows: Mapping[str, Mapping[str, float | int]]) -> list[str]:
    lines = [title, f"{first_column:<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}{'dup':>6}"]
    for name, m in rows.items():
        lines.append(
            f"{name:<16}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}"
            f"{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}{m['dup']:>6}"
        )
    return lines


def format_report(result: EvalResult) -> str:
    """A plain-text report: the level table and attribute accuracies (as the shared scorer prints them), then
    the per-type tables and the confusion matrix."""
    lines = [f"{result.stories} stories"]
    lines += _count_table("", "level", result.levels)[1:]
    for name, a in result.attributes.items():
        lines.append(f"{name:<18} accuracy {a['accuracy']:.3f} over {a['n']} L3 matches")
    if result.unknown_story_predictions:
        unknown = result.unknown_story_predictions
        lines.append(f"{unknown} predictions carry a story_id that the gold file lacks")
    for level, table in result.per_type.items():
        lines.append("")
        title = f"Per event type at {level} (false positives under the predicted type)"
        lines += _count_table(title, "type", table)
    lines.append("")
    lines.append("Confusion of event types at L1 (rows gold, columns predicted; none = missed or spurious)")
    predicted = {label for row in result.confusion.values() for label in row}
    labels = _type_order(set(result.confusion) | predicted)
    width = max([len(label) for label in labels] + [len(CONFUSION_CORNER)]) + 1
    lines.append(f"{CONFUSION_CORNER:<{width}}" + "".join(f"{label:>{width}}" for label in labels))
    for gold_label in labels:
        row = result.confusion.get(gold_label, {})
        cells = "".join(f"{row.get(label, 0) or '.':>{width}}" for label in labels)
        lines.append(f"{gold_label:<{width}}{cells}")
    return "\n".join(lines) + "\n"


__all__ = [
    "ATTRIBUTES",
    "LEVELS",
    "NONE_LABEL",
    "TYPE_LEVELS",
    "EvalResult",
    "evaluate_files",
    "format_report",
    "read_jsonl",
    "result_to_json",
    "score",
]
