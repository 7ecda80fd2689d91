"""The spaCy pipeline as spaCy sees it: every component's ``requires`` met by an earlier one, our four
factories usable in a user's own pipeline, and ``doc._.fp_*`` values that are plain JSON and survive
a DocBin round trip (what workers ship between processes)."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, DocBin

from flashpoint.nlp.extensions import DOC_EXTENSIONS
from flashpoint.nlp.pipeline import COMPONENTS

TEXT = (
    "Russian troops attacked Ukrainian border posts on Friday. "
    "Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in London yesterday."
)
ANCHOR = "2014-03-15"
FP_ATTRIBUTES = ("fp_actors", "fp_dates", "fp_places", "fp_events")


def unmet_requirements(nlp: Language) -> dict[str, list[str]]:
    """analyze_pipes' problems, less what an earlier attribute_ruler writes through its patterns.

    spaCy's attribute_ruler declares no ``assigns`` because what it sets depends on its patterns; in
    the en_core_web_* models it is what sets ``token.pos`` (from the tagger's tags). Its patterns say
    exactly which attributes it writes, so those count as written; everything else must be declared.
    """
    analysis = nlp.analyze_pipes(pretty=False)
    written: set[str] = set()
    unmet: dict[str, list[str]] = {}
    for name, component in nlp.pipeline:
        missing = sorted(set(analysis["problems"][name]) - written)
        if missing:
            unmet[name] = missing
        if isinstance(component, AttributeRuler):
            written |= {f"token.{key.lower()}" for pattern in component.patterns for key in pattern["attrs"]}
    return unmet


def as_json(value: object) -> object:
    """The JSON form of a value (msgpack in DocBin gives lists back as tuples)."""
    return json.loads(json.dumps(value))


def test_components_are_registered_factories():
    for name in COMPONENTS:
        assert spacy.registry.factories.get(name), name


@pytest.mark.slow
def test_analyze_pipes_finds_no_problems(coder):
    unmet = unmet_requirements(coder.nlp)
    assert unmet == {}, f"components read attributes no earlier component writes: {unmet}"
    # and flashpoint's components come last, in the documented order
    assert tuple(coder.nlp.pipe_names[-len(COMPONENTS) :]) == COMPONENTS


def test_analyze_pipes_catches_a_wrong_order():
    """The check above can fail: events before the stages it reads is reported."""
    nlp = spacy.blank("en")
    nlp.add_pipe("flashpoint_events")
    nlp.add_pipe("flashpoint_actors")
    unmet = unmet_requirements(nlp)
    assert {"doc._.fp_actors", "doc._.fp_dates", "token.dep", "token.pos"} <= set(unmet["flashpoint_events"])
    assert "doc.ents" in unmet["flashpoint_actors"]


@pytest.fixture(scope="module")
def user_nlp(coder):
    """A user's own pipeline: spacy.load(...) and our factories added by name, in the documented order."""
    nlp = spacy.load(coder.settings.model)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@pytest.mark.slow
def test_factories_work_in_a_users_pipeline(user_nlp):
    assert unmet_requirements(user_nlp) == {}
    doc = user_nlp.make_doc(TEXT)
    doc._.fp_anchor = ANCHOR
    doc = user_nlp(doc)  # spaCy accepts a prepared Doc, so the anchor set above is used
    events = doc._.fp_events
    assault = [e for e in events if e["event"] == "ASSAULT"]
    assert assault, [e["event"] for e in events]
    assert {a["code"] for a in assault[0]["actor"]} == {"RUS"}
    assert assault[0]["date"] == "2014-03-14" and assault[0]["date_precision"] == "day"
    assert any(a["code"] == "USA" for a in doc._.fp_actors)


@pytest.mark.slow
def test_a_users_pipeline_runs_without_an_anchor(user_nlp):
    doc = user_nlp("Russian troops attacked Ukrainian border posts on Friday.")
    events = [e for e in doc._.fp_events if e["event"] == "ASSAULT"]
    assert events
    assert events[0]["date"] is None and events[0]["date_precision"] == "story"


@pytest.fixture(scope="module")
def processed(coder):
    return coder.process(TEXT, date=ANCHOR, story_id="pipe-1")


@pytest.mark.slow
def test_extension_values_are_plain_json(processed):
    for name in DOC_EXTENSIONS:
        value = getattr(processed._, name)
        # plain data: dumps works and loads gives back the same thing (no tuples, sets or objects)
        assert json.loads(json.dumps(value)) == value, name
    for name in FP_ATTRIBUTES:
        items = getattr(processed._, name)
        assert isinstance(items, list) and items, f"{name} is empty for a text with two events"
        assert all(isinstance(item, dict) for item in items), name
    assert processed._.fp_anchor == ANCHOR and processed._.fp_story_id == "pipe-1"


@pytest.mark.slow
def test_offsets_in_extension_items_slice_the_text(processed):
    for name in ("fp_actors", "fp_dates", "fp_places"):
        for item in getattr(processed._, name):
            assert processed.text[item["start"] : item["end"]] == item["text"], (name, item)


@pytest.mark.slow
def test_docbin_round_trip_keeps_the_annotations(coder, processed):
    data = DocBin(store_user_data=True, docs=[processed]).to_bytes()
    (restored,) = DocBin().from_bytes(data).get_docs(coder.nlp.vocab)
    assert isinstance(restored, Doc) and restored.text == processed.text
    assert restored._.fp_events and as_json(restored._.fp_events) == processed._.fp_events
    for name in DOC_EXTENSIONS:
        assert as_json(getattr(restored._, name)) == getattr(processed._, name), name


@pytest.mark.slow
def test_docbin_without_user_data_drops_them(coder, processed):
    """The round trip above keeps the events because of store_user_data, not by accident."""
    data = DocBin(store_user_data=False, docs=[processed]).to_bytes()
    (restored,) = DocBin().from_bytes(data).get_docs(coder.nlp.vocab)
    assert restored._.fp_events is None
