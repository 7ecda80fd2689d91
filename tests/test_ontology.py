"""The PLOVER ontology: the manual's facts, our decisions on its contradictions, the CAMEO crosswalk."""

from __future__ import annotations

import itertools
import re
from importlib import resources
from pathlib import Path

import pytest

from flashpoint import ontology
from flashpoint.ontology import (
    CAMEO,
    CONTEXTS,
    DROPPED_CAMEO_ROOTS,
    ENTITY_CODES,
    EVENT_TYPES,
    SECTORS,
    cameo_code_for,
    cameo_root_for,
    event_scale,
    goldstein_for,
    normalise_event,
    normalise_event_type,
    normalise_mode,
    plover_for_cameo,
    quad_code,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MANUAL = SHARED / "plover" / "PLOVER_MANUAL.tex"

MANUAL_ORDER = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION "
    "MOBILIZE COERCE ASSAULT"
).split()
QUADS = {
    **dict.fromkeys(["AGREE", "CONSULT", "SUPPORT", "CONCEDE"], 1),
    **dict.fromkeys(["COOPERATE", "AID", "RETREAT"], 2),
    **dict.fromkeys(["REQUEST", "ACCUSE", "REJECT", "THREATEN"], 3),
    **dict.fromkeys(["PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"], 4),
}
SCORES = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10, "RETREAT": 6.5,
    "REQUEST": 0, "ACCUSE": -3, "REJECT": -2, "THREATEN": -3.5, "PROTEST": -5, "SANCTION": -6,
    "MOBILIZE": -5.5, "COERCE": -7, "ASSAULT": -9,
}  # fmt: skip
DATA_FILES = (
    "plover_types.tsv",
    "plover_modes.tsv",
    "plover_contexts.tsv",
    "plover_sectors.tsv",
    "plover_entity_codes.tsv",
    "plover_aliases.tsv",
    "cameo_plover.tsv",
)


def test_sixteen_types_in_the_manuals_order() -> None:
    assert list(EVENT_TYPES) == MANUAL_ORDER
    assert all(name == kind.name for name, kind in EVENT_TYPES.items())


def test_quad_classes_and_scores() -> None:
    assert {name: kind.quad for name, kind in EVENT_TYPES.items()} == QUADS
    assert {name: kind.score for name, kind in EVENT_TYPES.items()} == SCORES
    assert EVENT_TYPES["AGREE"].quad_name == "verbal cooperation"
    assert EVENT_TYPES["ASSAULT"].quad_name == "material conflict"


def test_decisions_on_the_manuals_contradictions() -> None:
    assert quad_code("SANCTION") == 4  # material, not verbal conflict
    assert event_scale("ACCUSE") == -3  # the table's "3" lost its minus sign
    assert plover_for_cameo("163") == ("SANCTION", "discontinue")  # sanctions are not COERCE
    for old, new in [
        ("DEMAND", "REQUEST"),
        ("DISAPPROVE", "ACCUSE"),
        ("INVESTIGATE", "ACCUSE"),
        ("FIGHT", "ASSAULT"),
    ]:
        assert normalise_event_type(old) == new


def test_cooperation_scores_positive_conflict_scores_not() -> None:
    for kind in EVENT_TYPES.values():
        assert (kind.score > 0) == (kind.quad in (1, 2)), kind.name
        for mode in kind.modes.values():
            assert mode.score is None or -10 <= mode.score <= 10


def test_recipient_required_only_where_the_types_chapter_says_so() -> None:
    required = {name for name, kind in EVENT_TYPES.items() if kind.requires_recipient}
    assert required == {"COOPERATE", "AID", "SANCTION"}


def test_modes_and_their_scores() -> None:
    counts = {name: len(kind.modes) for name, kind in EVENT_TYPES.items() if kind.modes}
    assert counts == {
        "CONSULT": 4, "RETREAT": 6, "REQUEST": 4, "ACCUSE": 3, "REJECT": 4, "THREATEN": 6, "PROTEST": 7,
        "SANCTION": 4, "MOBILIZE": 4, "COERCE": 10, "ASSAULT": 15,
    }  # fmt: skip
    assert list(EVENT_TYPES["REQUEST"].modes) == list(EVENT_TYPES["REJECT"].modes)  # shared modes
    assert event_scale("CONSULT", "visit") == 4
    assert event_scale("RETREAT", "disarm") == 10
    assert event_scale("ASSAULT", "unconventional") == -10
    assert event_scale("ACCUSE", "disapprove") == -2
    assert EVENT_TYPES["PROTEST"].modes["vandalize"].score is None
    assert event_scale("PROTEST", "vandalize") == -5  # no score of its own: the type's
    assert event_scale("COERCE") == -7


def test_mode_spelling_is_forgiving_but_unknown_modes_are_not() -> None:
    assert normalise_mode("ASSAULT", "Heavy_Weapons") == "heavy-weapons"
    assert event_scale("assault", "suicide attack") == -9.5
    assert normalise_mode("CONSULT", "") is None
    assert normalise_mode("CONSULT", None) is None
    with pytest.raises(ValueError, match="CONSULT has no mode 'host'; its modes are: visit"):
        event_scale("CONSULT", "host")
    with pytest.raises(ValueError, match="takes no mode"):
        normalise_mode("AGREE", "visit")


def test_names_are_normalised_and_unknown_ones_explained() -> None:
    assert normalise_event_type(" agree ") == "AGREE"
    assert normalise_event("INVESTIGATE") == ("ACCUSE", "investigate")
    assert normalise_event("DISAPPROVE", "allege") == ("ACCUSE", "allege")
    assert normalise_event("Threat") == ("THREATEN", None)
    assert event_scale("INVESTIGATE") == -3.5  # the alias carries its mode
    assert quad_code("FIGHT") == 4
    with pytest.raises(ValueError, match=r"Unknown PLOVER event type 'CRIME'; use one of AGREE, CONSULT"):
        normalise_event_type("CRIME")
    with pytest.raises(ValueError, match="Missing PLOVER event type"):
        normalise_event_type("")


def test_contexts_sectors_and_entity_codes() -> None:
    assert len(CONTEXTS) == 37
    assert CONTEXTS[0] == "military" and CONTEXTS[-1] == "trafficking"
    assert all(re.fullmatch(r"[a-z_]+", c) for c in CONTEXTS)
    for code in "GOV MIL REB COP JUD LEG OPP CVL BUS MED REF PTY PRE UAF JRN".split():
        assert code in SECTORS
    assert len(SECTORS) == 25
    assert "health" in SECTORS["MED"].lower()  # MED is health in PLOVER; media is JRN
    assert set(ENTITY_CODES) == {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
    assert not set(ENTITY_CODES) & set(SECTORS)


ROOTS = {
    "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID", "08": "CONCEDE",
    "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST",
    "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}  # fmt: skip


def test_cameo_roots_to_plover() -> None:
    assert {root: plover_for_cameo(root)[0] for root in ROOTS} == ROOTS
    assert plover_for_cameo("09") == ("ACCUSE", "investigate")
    assert DROPPED_CAMEO_ROOTS == {"01", "02"}
    for code in ("01", "02", "013", "0256"):
        with pytest.raises(ValueError, match="no PLOVER equivalent"):
            plover_for_cameo(code)


def test_cameo_codes_to_plover() -> None:
    assert plover_for_cameo("043") == ("CONSULT", "visit")
    assert plover_for_cameo("0813") == ("CONCEDE", None)  # easing a curfew is a verbal concession
    assert plover_for_cameo("0841") == ("RETREAT", "release")
    assert plover_for_cameo("116") == ("SANCTION", "convict")
    assert plover_for_cameo("1712") == ("ASSAULT", "destroy")
    assert plover_for_cameo("191") == ("COERCE", "restrict")
    assert plover_for_cameo("195") == ("ASSAULT", "aerial")
    assert plover_for_cameo(" 2042 ") == ("ASSAULT", "unconventional")
    assert plover_for_cameo("0315") == ("AGREE", None)  # unlisted: its parent 031
    for code in ("21", "9", "abc", "", "2101"):
        with pytest.raises(ValueError, match="Unknown CAMEO event code"):
            plover_for_cameo(code)


def test_crosswalk_rows_use_only_known_types_modes_and_contexts() -> None:
    for entry in CAMEO.values():
        assert entry.root == entry.code[:2]
        assert -10 <= entry.goldstein <= 10
        assert set(entry.contexts) <= set(CONTEXTS), entry.code
        if entry.event is not None:
            assert entry.event in EVENT_TYPES
            assert entry.mode is None or entry.mode in EVENT_TYPES[entry.event].modes


def test_plover_to_cameo_round_trips_to_the_same_type() -> None:
    for name, kind in EVENT_TYPES.items():
        for mode in [None, *kind.modes]:
            code = cameo_code_for(name, mode)
            assert plover_for_cameo(code)[0] == name, (name, mode, code)
            assert "03" <= cameo_root_for(name, mode) <= "20"
            assert goldstein_for(name, mode) == CAMEO[code].goldstein


def test_plover_to_cameo_examples() -> None:
    assert cameo_root_for("ASSAULT", "firearms") == "19"
    assert cameo_root_for("ASSAULT") == "18"
    assert cameo_root_for("ACCUSE", "investigate") == "09"
    assert cameo_root_for("INVESTIGATE") == "09"
    assert cameo_root_for("DEMAND") == "10"
    assert cameo_root_for("SANCTION") == "16"
    assert goldstein_for("SANCTION", "discontinue") == -8
    assert goldstein_for("CONSULT") == 1
    assert goldstein_for("CONSULT", "multilateral") == 1  # no CAMEO code of its own: the type's
    assert goldstein_for("RETREAT", "resign") == goldstein_for("RETREAT")


def test_data_files_carry_a_header_on_their_source() -> None:
    for name in DATA_FILES:
        text = resources.files("flashpoint").joinpath("data", name).read_text(encoding="utf-8")
        assert text.startswith("# "), name
        header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
        assert "CC BY-SA" in header or "MIT" in header, name  # says where its facts come from
        assert "# To extend:" in text, name


def test_decisions_are_written_beside_the_tables() -> None:
    doc = ontology.__doc__ or ""
    for words in ("SANCTION is material conflict", "ACCUSE scores -3", "163", "DEMAND -> REQUEST"):
        assert words in doc


# --- cross-checks against the shared reference copies (skipped where ../shared is absent) -------------------


def _manual() -> str:
    if not MANUAL.exists():
        pytest.skip(f"{MANUAL} is absent: the cross-check against the PLOVER manual needs ../shared")
    return "\n".join(
        line for line in MANUAL.read_text(encoding="utf-8").splitlines() if not line.startswith("%")
    )


@pytest.mark.shared
def test_scores_equal_the_manuals_table_except_the_lost_minus_sign() -> None:
    text = _manual()
    table = text.split(r"\caption{PLOVER conflict--cooperation scores}")[1].split(
        r"\label{tab:ploverscores}"
    )[0]
    table = table.replace(r"\cellcolor{gray!25}", "").replace(r"\hline", "")
    cells = [c.strip() for row in table.split(r"\\") for c in row.split("&")]
    found: dict[tuple[str, str | None], float] = {}
    for name, value in itertools.pairwise(cells):
        if re.fullmatch(r"[A-Z]+(: [A-Za-z-]+)?", name) and re.fullmatch(r"-?\d+(\.\d+)?", value):
            kind, _, mode = name.partition(": ")
            found[kind, mode.lower() or None] = float(value)
    assert found.pop(("ACCUSE", None)) == 3  # the manual's misprint; we use -3
    ours = {(name, None): kind.score for name, kind in EVENT_TYPES.items() if name != "ACCUSE"}
    for name, kind in EVENT_TYPES.items():
        ours |= {(name, m.name): m.score for m in kind.modes.values() if m.score is not None}
    assert found == ours


@pytest.mark.shared
def test_modes_equal_the_manuals_mode_tables() -> None:
    text = _manual()
    found: dict[str, list[str]] = {}
    for match in re.finditer(
        r"\\caption\{(?:\\plcat\{)?([A-Z]+)\}? modes.*?\n(.*?)\\end\{tabular\}", text, re.S
    ):
        rows = [line.split("&")[0].strip() for line in match.group(2).splitlines() if "&" in line]
        found[match.group(1)] = [r for r in rows if r and r != "Name"]
    assert found == {name: list(kind.modes) for name, kind in EVENT_TYPES.items() if kind.modes}


@pytest.mark.shared
def test_contexts_and_sectors_equal_the_manuals_tables() -> None:
    text = _manual()
    contexts = text.split(r"\endlastfoot")[1].split(r"\end{longtable}")[0]
    cells = [line.split("&")[0] for line in contexts.splitlines() if "&" in line]
    names = [re.sub(r"\\hyperref\[[^]]*\]\{([^}]*)\}", r"\1", cell).strip() for cell in cells]
    assert tuple(n.replace("\\_", "_") for n in names) == CONTEXTS
    sectors = text.split(r"\label{tab:roles}")[1].split(r"\end{longtable}")[0]
    assert re.findall(r"^\s*([A-Z]{3}) &", sectors, re.M) == list(SECTORS)


@pytest.mark.shared
def test_goldstein_values_equal_the_shared_cameo_table() -> None:
    path = SHARED / "plover" / "cameo-goldstein.tsv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[3:] if line.strip()]
    assert {code: float(value) for code, _, value, _ in rows} == {
        code: entry.goldstein for code, entry in CAMEO.items() if code != "1214"
    }
