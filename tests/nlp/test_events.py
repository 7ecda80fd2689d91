"""The events stage on hand-built Docs: frames, arguments, modality, with no model involved."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from flashpoint.nlp.events import EventCoder
from flashpoint.nlp.lexicon import load_lexicon

VOCAB = spacy.blank("en").vocab


def make_doc(
    rows: list[tuple[str, str, str, int, str]], actors: dict[int, tuple[str, str | None]], anchor="2014-03-15"
):
    """rows: (word, lemma, pos, head, dep); actors: token index -> (code, sector) one-token mentions."""
    words = [r[0] for r in rows]
    tags = {"VERB": "VBD", "NOUN": "NN", "PROPN": "NNP", "AUX": "MD", "PART": "RB", "ADP": "IN", "DET": "DT"}
    doc = Doc(
        VOCAB,
        words=words,
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        tags=[tags.get(r[2], "XX") for r in rows],
        heads=[r[3] for r in rows],
        deps=[r[4] for r in rows],
        sent_starts=[True] + [False] * (len(rows) - 1),
    )
    doc._.fp_anchor = anchor
    doc._.fp_story_id = "t1"
    doc._.fp_actors = [
        {
            "text": doc[i].text,
            "start": doc[i].idx,
            "end": doc[i].idx + len(doc[i].text),
            "token_start": i,
            "token_end": i + 1,
            "head": i,
            "name": doc[i].text,
            "code": code,
            "sector": sector,
            "office": None,
            "kind": "country",
            "how": "test",
        }
        for i, (code, sector) in actors.items()
    ]
    doc._.fp_dates = []
    doc._.fp_places = []
    return doc


@pytest.fixture(scope="module")
def coder() -> EventCoder:
    return EventCoder()


def events_of(coder: EventCoder, doc: Doc) -> list[tuple[str, list[str], list[str], str]]:
    coder(doc)
    return [
        (e["event"], [a["code"] for a in e["actor"]], [a["code"] for a in e["recipient"]], e["modality"])
        for e in doc._.fp_events
    ]


def test_lexicon_covers_all_plover_types():
    from flashpoint.ontology import EVENT_TYPES

    lexicon = load_lexicon()
    covered = {t.event for entries in (*lexicon.verbs.values(), *lexicon.nouns.values()) for t in entries}
    assert covered == set(EVENT_TYPES)


def test_subject_and_object(coder):
    doc = make_doc(
        [
            ("Russia", "Russia", "PROPN", 1, "nsubj"),
            ("attacked", "attack", "VERB", 1, "ROOT"),
            ("Georgia", "Georgia", "PROPN", 1, "dobj"),
        ],
        {0: ("RUS", None), 2: ("GEO", None)},
    )
    assert events_of(coder, doc) == [("ASSAULT", ["RUS"], ["GEO"], "asserted")]


def test_passive_agent_is_actor(coder):
    doc = make_doc(
        [
            ("Georgia", "Georgia", "PROPN", 2, "nsubjpass"),
            ("was", "be", "AUX", 2, "auxpass"),
            ("attacked", "attack", "VERB", 2, "ROOT"),
            ("by", "by", "ADP", 2, "agent"),
            ("Russia", "Russia", "PROPN", 3, "pobj"),
        ],
        {0: ("GEO", None), 4: ("RUS", None)},
    )
    assert events_of(coder, doc) == [("ASSAULT", ["RUS"], ["GEO"], "asserted")]


def test_frame_decides_type_strike(coder):
    workers = make_doc(
        [("Workers", "worker", "NOUN", 1, "nsubj"), ("struck", "strike", "VERB", 1, "ROOT")],
        {0: ("FRA", "LAB")},
    )
    jets = make_doc(
        [
            ("Jets", "jet", "NOUN", 1, "nsubj"),
            ("struck", "strike", "VERB", 1, "ROOT"),
            ("Aleppo", "Aleppo", "PROPN", 1, "dobj"),
        ],
        {0: ("RUS", "MIL")},
    )
    assert events_of(coder, workers)[0][0] == "PROTEST"
    assert events_of(coder, jets)[0][0] == "ASSAULT"


def test_negated_acceptance_is_rejection(coder):
    doc = make_doc(
        [
            ("Russia", "Russia", "PROPN", 3, "nsubj"),
            ("did", "do", "AUX", 3, "aux"),
            ("not", "not", "PART", 3, "neg"),
            ("accept", "accept", "VERB", 3, "ROOT"),
            ("the", "the", "DET", 5, "det"),
            ("proposal", "proposal", "NOUN", 3, "dobj"),
        ],
        {0: ("RUS", "GOV")},
    )
    assert events_of(coder, doc) == [("REJECT", ["RUS"], [], "asserted")]


def test_negated_attack_keeps_type_as_negated(coder):
    doc = make_doc(
        [
            ("Russia", "Russia", "PROPN", 3, "nsubj"),
            ("did", "do", "AUX", 3, "aux"),
            ("not", "not", "PART", 3, "neg"),
            ("attack", "attack", "VERB", 3, "ROOT"),
            ("Georgia", "Georgia", "PROPN", 3, "dobj"),
        ],
        {0: ("RUS", None), 4: ("GEO", None)},
    )
    assert events_of(coder, doc) == [("ASSAULT", ["RUS"], ["GEO"], "negated")]


def test_future_conflict_forecast_stays_future(coder):
    doc = make_doc(
        [
            ("Washington", "Washington", "PROPN", 2, "nsubj"),
            ("will", "will", "AUX", 2, "aux"),
            ("impose", "impose", "VERB", 2, "ROOT"),
            ("sanctions", "sanction", "NOUN", 2, "dobj"),
            ("on", "on", "ADP", 2, "prep"),
            ("Moscow", "Moscow", "PROPN", 4, "pobj"),
        ],
        {0: ("USA", "GOV"), 5: ("RUS", "GOV")},
    )
    assert events_of(coder, doc) == [("SANCTION", ["USA"], ["RUS"], "future")]


def test_future_cooperation_is_a_promise(coder):
    doc = make_doc(
        [
            ("Finland", "Finland", "PROPN", 2, "nsubj"),
            ("will", "will", "AUX", 2, "aux"),
            ("give", "give", "VERB", 2, "ROOT"),
            ("Tanzania", "Tanzania", "PROPN", 2, "dative"),
            ("aid", "aid", "NOUN", 2, "dobj"),
        ],
        {0: ("FIN", "GOV"), 3: ("TZA", None)},
    )
    assert events_of(coder, doc) == [("AGREE", ["FIN"], ["TZA"], "asserted")]


def test_compound_actor(coder):
    doc = make_doc(
        [
            ("Hungary", "Hungary", "PROPN", 3, "nsubj"),
            ("and", "and", "CCONJ", 0, "cc"),
            ("Romania", "Romania", "PROPN", 0, "conj"),
            ("agreed", "agree", "VERB", 3, "ROOT"),
        ],
        {0: ("HUN", None), 2: ("ROU", None)},
    )
    # a reciprocal event between two parties becomes a dyad, first party as actor
    assert events_of(coder, doc) == [("AGREE", ["HUN"], ["ROU"], "asserted")]


def test_compound_actor_of_one_country_stays_together(coder):
    doc = make_doc(
        [
            ("Police", "police", "NOUN", 3, "nsubj"),
            ("and", "and", "CCONJ", 0, "cc"),
            ("soldiers", "soldier", "NOUN", 0, "conj"),
            ("clashed", "clash", "VERB", 3, "ROOT"),
        ],
        {0: ("EGY", "COP"), 2: ("EGY", "MIL")},
    )
    assert events_of(coder, doc) == [("ASSAULT", ["EGY", "EGY"], [], "asserted")]


def test_support_verb_noun_takes_verb_subject(coder):
    doc = make_doc(
        [
            ("Serbia", "Serbia", "PROPN", 1, "nsubj"),
            ("held", "hold", "VERB", 1, "ROOT"),
            ("talks", "talk", "NOUN", 1, "dobj"),
            ("with", "with", "ADP", 2, "prep"),
            ("Albania", "Albania", "PROPN", 3, "pobj"),
        ],
        {0: ("SRB", "GOV"), 4: ("ALB", "GOV")},
    )
    assert events_of(coder, doc) == [("CONSULT", ["SRB"], ["ALB"], "asserted")]


def test_request_content_is_not_a_second_event(coder):
    doc = make_doc(
        [
            ("NATO", "NATO", "PROPN", 1, "nsubj"),
            ("urged", "urge", "VERB", 1, "ROOT"),
            ("Russia", "Russia", "PROPN", 1, "dobj"),
            ("to", "to", "PART", 4, "aux"),
            ("withdraw", "withdraw", "VERB", 1, "xcomp"),
        ],
        {0: ("IGO", None), 2: ("RUS", None)},
    )
    assert events_of(coder, doc) == [("REQUEST", ["IGO"], ["RUS"], "asserted")]


def test_no_actor_no_event(coder):
    doc = make_doc(
        [("Talks", "talk", "NOUN", 1, "nsubj"), ("resumed", "resume", "VERB", 1, "ROOT")],
        {},
    )
    assert events_of(coder, doc) == []


def test_event_ids_are_stable(coder):
    rows = [
        ("Russia", "Russia", "PROPN", 1, "nsubj"),
        ("attacked", "attack", "VERB", 1, "ROOT"),
        ("Georgia", "Georgia", "PROPN", 1, "dobj"),
    ]
    first = make_doc(rows, {0: ("RUS", None), 2: ("GEO", None)})
    second = make_doc(rows, {0: ("RUS", None), 2: ("GEO", None)})
    coder(first)
    coder(second)
    assert first._.fp_events[0]["id"] == second._.fp_events[0]["id"]
    assert first._.fp_events[0]["text_info"]["text"] == "Russia attacked Georgia"


def test_violence_with_unknown_perpetrator_keeps_its_victims(coder):
    doc = make_doc(
        [
            ("Civilians", "civilian", "NOUN", 2, "nsubjpass"),
            ("were", "be", "AUX", 2, "auxpass"),
            ("killed", "kill", "VERB", 2, "ROOT"),
        ],
        {0: ("IRQ", "CVL")},
    )
    assert events_of(coder, doc) == [("ASSAULT", [], ["IRQ"], "asserted")]


def test_other_events_need_an_actor(coder):
    doc = make_doc(
        [
            ("Sanctions", "sanction", "NOUN", 2, "nsubjpass"),
            ("were", "be", "AUX", 2, "auxpass"),
            ("imposed", "impose", "VERB", 2, "ROOT"),
            ("on", "on", "ADP", 2, "prep"),
            ("Iran", "Iran", "PROPN", 3, "pobj"),
        ],
        {4: ("IRN", None)},
    )
    assert events_of(coder, doc) == []
