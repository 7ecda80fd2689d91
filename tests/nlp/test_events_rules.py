"""The events stage's story-level rules, on sentences we wrote, with the real model."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def summary(events):
    return [(e.event, [a.code for a in e.actor], [r.code for r in e.recipient], e.modality) for e in events]


def test_accusation_codes_the_alleged_act_as_claimed(coder):
    events = coder.code("Ukraine accused Russia on Tuesday of shelling the power plant.", date="2022-08-09")
    accuse = [e for e in events if e.event == "ACCUSE"]
    assault = [e for e in events if e.event == "ASSAULT"]
    assert [[a.code for a in e.actor] for e in accuse] == [["UKR"]]
    assert [r.code for r in accuse[0].recipient] == ["RUS"]
    assert [a.code for a in assault[0].actor] == ["RUS"]
    assert assault[0].claimed and [a.code for a in assault[0].reported_by] == ["UKR"]
    assert not accuse[0].claimed


def test_reported_speech_names_its_speaker(coder):
    events = coder.code("Moscow said Ukrainian forces had shelled the town.", date="2022-08-09")
    (event,) = [e for e in events if e.event == "ASSAULT"]
    assert [a.code for a in event.actor] == ["UKR"]
    assert [a.code for a in event.reported_by] == ["RUS"]
    assert not event.claimed


def test_repeated_mentions_are_one_event(coder):
    text = (
        "Israeli jets bombed Hamas positions in Gaza on Monday. "
        "The army said Israeli jets bombed Hamas positions again later on Monday."
    )
    events = [e for e in coder.code(text, date="2023-10-10") if e.event == "ASSAULT"]
    assert len(events) == 1
    assert events[0].num_mentions == 2
    assert len(events[0].evidence) == 2
    assert events[0].evidence[0] == events[0].text_info


def test_history_in_a_later_story(coder):
    events = coder.code("In 2008 Russia invaded Georgia.", date="2014-03-15")
    assert summary(events) == [("ASSAULT", ["RUS"], ["GEO"], "historical")]


def test_future_sanctions_keep_their_day(coder):
    events = coder.code("The European Union will impose sanctions on Russia on Monday.", date="2014-03-15")
    (event,) = events
    got = (event.event, event.modality, event.date, event.date_precision)
    assert got == ("SANCTION", "future", "2014-03-17", "day")


def test_contexts_from_the_sentence(coder):
    (event,) = coder.code("Kenya deported 40 refugees to Somalia on Friday.", date="2019-05-03")
    assert event.event == "COERCE"
    assert "migration" in event.context


def test_negated_acceptance_is_a_rejection_and_negated_attack_is_dropped_by_scorers(coder):
    events = coder.code("Iran did not accept the proposal. Iraq did not attack Kuwait.", date="2019-05-03")
    assert ("REJECT", ["IRN"], [], "asserted") in summary(events)
    assert ("ASSAULT", ["IRQ"], ["KWT"], "negated") in summary(events)
