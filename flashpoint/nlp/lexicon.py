"""The event lexicon: trigger lemmas with the syntactic frames that decide their PLOVER type.

The lexicon is data (``flashpoint/data/event_triggers.tsv`` and ``support_verbs.tsv``); this
module only parses it into :class:`Trigger` entries and answers "which entry fits this token?".
It knows tokens and dependency labels, but nothing of actors, dates or the Doc extensions.

Frame conditions (the ``frame`` column, comma-separated, all must hold):

``obj=a|b``        the direct object's lemma is one of these (verbs)
``of=a|b``         an ``of`` complement's lemma is one of these (nouns: "imposition of sanctions")
``head=a|b``       the word governing the trigger has one of these lemmas ("lodged a protest")
``mod=a|b``        a modifier (amod/compound) has one of these lemmas ("troop movements")
``objkind=actor``  the direct object is an actor mention (``objkind=thing``: it is not)
``subj=MIL|REB``   the subject's sector is one of these (``subj!=MIL``: is not)
``subjword=a|b``   the subject's head or one of its modifiers has one of these lemmas ("peacekeepers arrived")
``prep=for|on``    the trigger has one of these prepositions as a child
``prt=out``        the trigger has this particle ("pull out")
``xcomp``          the trigger governs a clause ("urged X to withdraw", "said that ...")
``toclause``       the trigger governs a to-infinitive clause ("asked X to leave"; not "asked whether")
``ownclause``      its clause is about what its own subject will do ("warned it would retaliate")
``!xcomp``         a bare condition negated: the trigger governs no clause ("conceded defeat")
``pass`` / ``active``  voice of the verb
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..errors import FlashpointError
from ..ontology import CONTEXTS, EVENT_TYPES

DATA_PACKAGE = "flashpoint.data"
BARE_CONDITIONS = ("xcomp", "toclause", "ownclause", "pass", "active")
TRIGGERS_FILE = "event_triggers.tsv"
SUPPORT_FILE = "support_verbs.tsv"
CONTEXT_FILE = "context_cues.tsv"


@dataclass(frozen=True)
class Condition:
    key: str
    values: frozenset[str] = frozenset()
    negate: bool = False


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str  # "V" or "N"
    event: str
    mode: str | None
    conditions: tuple[Condition, ...]
    negated_as: str | None  # the type a negated trigger codes as ("did not accept" -> REJECT)
    context: tuple[str, ...]
    line: int
    flipped: bool = (
        False  # "Jordan received loans from Japan": the subject is the recipient, "from" the actor
    )

    @property
    def specificity(self) -> int:
        return len(self.conditions)


@dataclass
class Lexicon:
    verbs: dict[str, list[Trigger]] = field(default_factory=dict)
    nouns: dict[str, list[Trigger]] = field(default_factory=dict)
    adjectives: dict[str, list[Trigger]] = field(default_factory=dict)
    support_verbs: frozenset[str] = frozenset()
    context_cues: dict[tuple[str, ...], str] = field(default_factory=dict)  # lemma(s) -> PLOVER context

    def entries(self, lemma: str, pos: str) -> list[Trigger]:
        table = {"V": self.verbs, "N": self.nouns, "A": self.adjectives}[pos]
        return table.get(lemma.lower(), [])

    def __len__(self) -> int:
        return sum(len(v) for table in (self.verbs, self.nouns, self.adjectives) for v in table.values())


def _data_lines(name: str) -> list[tuple[int, list[str]]]:
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    rows = []
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter="\t"), start=1):
        if not row or row[0].startswith("#") or not row[0].strip():
            continue
        rows.append((number, [cell.strip() for cell in row]))
    return rows


def parse_condition(text: str, where: str) -> Condition:
    text = text.strip()
    if text in BARE_CONDITIONS:
        return Condition(text)
    if text.startswith("!") and text[1:] in BARE_CONDITIONS:
        return Condition(text[1:], negate=True)
    for op, negate in (("!=", True), ("=", False)):
        if op in text:
            key, _, values = text.partition(op)
            if key not in ("obj", "of", "mod", "head", "objkind", "subj", "subjword", "prep", "prt"):
                break
            return Condition(key, frozenset(v.strip() for v in values.split("|") if v.strip()), negate)
    raise FlashpointError("E103", path=where, line="?", detail=f"unknown frame condition {text!r}")


def _check_entry(event: str, mode: str, negated_as: str | None, contexts: list[str]) -> str:
    if mode and mode not in EVENT_TYPES[event].modes:
        return f"{mode!r} is not a PLOVER mode of {event}"
    if negated_as and negated_as not in EVENT_TYPES:
        return f"neg:{negated_as} is not a PLOVER type"
    unknown = [c for c in contexts if c not in CONTEXTS]
    return f"unknown PLOVER contexts {unknown}" if unknown else ""


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the packaged lexicon once per process."""
    lexicon = Lexicon()
    for number, row in _data_lines(TRIGGERS_FILE):
        cells = (row + [""] * 6)[:6]
        lemma, pos, event, mode, frame, extra = cells
        if pos not in ("V", "N", "A") or event not in EVENT_TYPES:
            raise FlashpointError("E103", path=TRIGGERS_FILE, line=number, detail=f"bad pos or type in {row}")
        negated_as = None
        contexts: list[str] = []
        flipped = False
        for item in filter(None, (x.strip() for x in extra.split(","))):
            if item.startswith("neg:"):
                negated_as = item[4:]
            elif item == "flip":
                flipped = True
            else:
                contexts.append(item)
        problem = _check_entry(event, mode, negated_as, contexts)
        if problem:
            raise FlashpointError("E103", path=TRIGGERS_FILE, line=number, detail=problem)
        conditions = tuple(parse_condition(c, TRIGGERS_FILE) for c in frame.split(",") if c.strip())
        trigger = Trigger(
            lemma.lower(), pos, event, mode or None, conditions, negated_as, tuple(contexts), number, flipped
        )
        table = {"V": lexicon.verbs, "N": lexicon.nouns, "A": lexicon.adjectives}[pos]
        table.setdefault(trigger.lemma, []).append(trigger)
    for entries in (*lexicon.verbs.values(), *lexicon.nouns.values(), *lexicon.adjectives.values()):
        entries.sort(key=lambda t: -t.specificity)  # the most specific frame is tried first
    lexicon.support_verbs = frozenset(row[0].lower() for _, row in _data_lines(SUPPORT_FILE))
    for number, row in _data_lines(CONTEXT_FILE):
        if len(row) < 2 or row[1] not in CONTEXTS:
            raise FlashpointError("E103", path=CONTEXT_FILE, line=number, detail=f"bad context cue {row}")
        lexicon.context_cues[tuple(row[0].lower().split())] = row[1]
    return lexicon
