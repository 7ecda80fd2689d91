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


# News formulas and figurative senses that look like events and are none (from a read of real wire
# copy: each line is a pattern we saw coded wrongly, written here in our own words).
NOT_EVENTS = [
    ("The minister declined to comment on the report.", "REJECT"),
    ("The ministry refused to discuss the matter with reporters.", "REJECT"),
    ("Officials, who asked not to be identified, said the talks had stalled.", "REQUEST"),
    ("Tehran called the American raids a dangerous escalation.", "CONSULT"),
    ("The foreign minister, speaking to reporters in Geneva, said the vote would go ahead.", "CONSULT"),
    ("The ministry warned that the new tax could hurt poorer countries.", "THREATEN"),
    ("The missiles pose a threat to shipping in the Gulf.", "THREATEN"),
    ("The rebels are seeking to overthrow the government.", "REQUEST"),
    ("Silver prices rallied on Monday.", "PROTEST"),
    ("The country cannot meet its foreign debt commitments this year.", "CONSULT"),
    ("Iraqi troops, backed by tanks, pushed towards the border.", "SUPPORT"),
    ("The president conceded that prices were too high.", "CONCEDE"),
    ("The senator spoke at a campaign rally in Ohio on Saturday.", "PROTEST"),
    ("North Korea test-fired a ballistic missile into the sea.", "ASSAULT"),
    ("Any Iranian strike against the tankers would be answered, Washington said.", "ASSAULT"),
    ("The president resigned on Friday to allow fresh elections to be held.", "CONCEDE"),
    ("Turkish troops, backed by drones, advanced on the town.", "SUPPORT"),
    ("The Italian insurance group said it would back the merger of the two banks.", "SUPPORT"),
    ("The company halted production at its Ohio plant after the storm.", "SANCTION"),
    ("The airline slashed fares on its transatlantic routes.", "SANCTION"),
    ("Striking seamen have halted exports from the country's main port.", "SANCTION"),
    ("The two sides exchanged goals in the first half.", "RETREAT"),
    ("The retailer returned to profit in the third quarter.", "RETREAT"),
    ("The carmaker announced the release of its new model.", "RETREAT"),
    ("The crowd dispersed peacefully after the speech.", "ASSAULT"),
    ("Barcelona crushed Real Madrid 4-0 on Saturday.", "COERCE"),
    ("The scandal could derail the peace talks.", "ASSAULT"),
    ("The minister expressed regret over the American decision to raise tariffs.", "CONCEDE"),
    ("The Turkish parliament was dissolved ahead of early elections.", "COERCE"),
    ("Chinese banks wrote off bad loans worth three billion yuan.", "AID"),
    ("Investors repatriated their profits from China.", "RETREAT"),
    ("Sales of the new phone exploded last quarter.", "ASSAULT"),
    ("The new sanctions target Russian banks.", "ASSAULT"),
    ("Prime Minister Li hosted Chancellor Scholz in Beijing on Monday.", "AID"),
]


def test_a_definite_description_points_back_to_the_group_it_names(coder):
    text = (
        "Niger's junta said on Sunday it would hold the president. The junta rejected the ECOWAS ultimatum."
    )
    events = [e for e in coder.code(text, date="2023-08-07") if e.event == "REJECT"]
    assert events and [a.code for a in events[0].actor] == ["NER"], summary(events)


@pytest.mark.parametrize(("text", "not_type"), NOT_EVENTS)
def test_formulas_and_figures_are_not_events(coder, text, not_type):
    events = [e for e in coder.code(text, date="1987-06-01") if e.modality == "asserted"]
    assert not_type not in [e.event for e in events], summary(events)


# The same words in their event senses.
SENSES = [
    ("Israeli jets raided guerrilla bases in southern Lebanon on Sunday.", "ASSAULT", "ISR", "LBN"),
    ("Police raided the offices of the opposition newspaper in Harare.", "COERCE", "ZWE", None),
    ("France protested to Canada over the closure of its fishing zone.", "ACCUSE", "FRA", "CAN"),
    ("Hezbollah vowed retaliation against Israel for the killing.", "THREATEN", "LBN", "ISR"),
    ("Iranian gunboats sank a Kuwaiti tanker in the Gulf.", "ASSAULT", "IRN", "KWT"),
    ("Iran warned that it would close the Strait of Hormuz.", "THREATEN", "IRN", None),
    ("Japanese lawmakers rallied behind Prime Minister Kishida on Tuesday.", "SUPPORT", "JPN", "JPN"),
    ("Iran refused to discuss a ceasefire with Iraq.", "REJECT", "IRN", "IRQ"),
    # barring entry is REJECT (the manual's note), expelling diplomats SANCTION
    ("Israel denied entry to two American congresswomen.", "REJECT", "ISR", "USA"),
    ("Hungary barred the UN envoy from entering the country.", "REJECT", "HUN", "IGO"),
    ("Demonstrators clashed with riot police in central Caracas on Monday.", "PROTEST", "VEN", None),
    ("Western capitals were alarmed by the Russian military build-up near Kharkiv.", "MOBILIZE", "RUS", None),
    ("French and Indian warships began joint naval exercises off Goa.", "COOPERATE", "FRA", "IND"),
    ("Kenyan commandos rescued four aid workers held by gunmen near Garissa.", "AID", "KEN", None),
    ("Israeli troops demolished three Palestinian homes in Hebron.", "ASSAULT", "ISR", "PSE"),
    ("A British aid worker was detained in Tehran on Sunday.", "COERCE", "IRN", None),
    ("Israeli tanks shelled targets in Khan Younis overnight.", "ASSAULT", "ISR", "PSE"),
    ("Jordan received 300 million dollars in loans from Japan last year.", "AID", "JPN", "JOR"),
    ("Soldiers fired tear gas at stone-throwing youths in Nablus.", "ASSAULT", "PSE", None),
    ("The World Bank suspended loans to Ethiopia over the war in Tigray.", "SANCTION", "IGO", "ETH"),
    ("French and Egyptian diplomats failed to agree on a joint statement.", "REJECT", "FRA", "EGY"),
    ("The IMF assured Zambian President Kaunda that the credit would be paid.", "AGREE", "IGO", "ZMB"),
    ("The Kenyan opposition charged that the vote had been rigged.", "ACCUSE", "KEN", None),
    ("Clashes broke out between Armenian and Azerbaijani troops on Tuesday.", "ASSAULT", "ARM", "AZE"),
    ("Fighting broke out between Sudanese army units and RSF fighters in Khartoum.", "ASSAULT", "SDN", "SDN"),
    ("The Algerian government ordered the dissolution of two Islamist parties.", "COERCE", "DZA", None),
    ("The Egyptian authorities dissolved the Muslim Brotherhood's political party.", "COERCE", "EGY", None),
    ("Iraqi forces announced the capture of the Iranian border town of Mehran.", "ASSAULT", "IRQ", None),
    ("The U.S. Senate voted to slash military aid to Guatemala.", "SANCTION", "USA", "GTM"),
    ("Germany halted arms exports to Saudi Arabia on Thursday.", "SANCTION", "DEU", "SAU"),
    ("Washington withheld military aid from Egypt last month.", "SANCTION", "USA", "EGY"),
    ("Hungary downgraded its diplomatic relations with Israel.", "SANCTION", "HUN", "ISR"),
    ("Israel and Hezbollah exchanged prisoners under German mediation.", "RETREAT", "ISR", None),
    ("Russia returned the bodies of 40 Ukrainian soldiers to Kyiv.", "RETREAT", "RUS", "UKR"),
    ("Egypt welcomed Syria's release of the two Italian hostages.", "RETREAT", "SYR", "ITA"),
    ("Riot police dispersed the demonstrators with tear gas in Nairobi.", "ASSAULT", "KEN", None),
    ("Chinese troops crushed the student uprising in Beijing.", "COERCE", "CHN", None),
    ("Maoist guerrillas derailed a freight train in eastern India.", "ASSAULT", "IND", None),
    ("Russian soldiers looted homes in the Ukrainian town of Irpin.", "ASSAULT", "RUS", "UKR"),
    ("Kenyan dockworkers staged a walkout over pay on Monday.", "PROTEST", "KEN", None),
    ("The Venezuelan government nationalized the oil fields of foreign companies.", "COERCE", "VEN", None),
    ("Indian police harassed Kashmiri journalists in Srinagar.", "COERCE", "IND", None),
    ("Colombian Foreign Minister Leyva's trip to Caracas was cut short.", "CONSULT", "COL", "VEN"),
    ("Pakistan reopened the Torkham border crossing with Afghanistan.", "CONCEDE", "PAK", None),
    ("Japan reopened its embassy in Kyiv on Tuesday.", "SUPPORT", "JPN", None),
    ("A Pakistani court acquitted the Christian woman of blasphemy.", "CONCEDE", "PAK", None),
    ("German Chancellor Merkel lambasted Russia for the poisoning.", "ACCUSE", "DEU", "RUS"),
    ("U.S. President Biden held a phone call with Chinese President Xi Jinping.", "CONSULT", "USA", "CHN"),
    ("Syrian forces amassed tanks near the Turkish border.", "MOBILIZE", "SYR", None),
    ("Iran's deportation of Afghan migrants drew criticism.", "COERCE", "IRN", "AFG"),
    (
        "Spain approved the extradition of a Venezuelan general to the United States.",
        "COOPERATE",
        "ESP",
        None,
    ),
    ("Russia blocked a Security Council resolution on Syria.", "REJECT", "RUS", None),
    ("Britain disputed the Argentine claim to the Falkland Islands.", "REJECT", "GBR", "ARG"),
    ("Maoist rebels stabbed two Indian villagers to death.", "ASSAULT", "IND", "IND"),
    (
        "Paratroopers' kidnapping of Ecuadorean President Febres Cordero lasted 12 hours.",
        "ASSAULT",
        None,
        "ECU",
    ),
    ("Germany cancelled Tanzania's debts last year.", "AID", "DEU", "TZA"),
    ("Turkey hosts 3.6 million Syrian refugees.", "AID", "TUR", "SYR"),
    ("Jordanian planes airdropped food into northern Gaza.", "AID", "JOR", None),
    ("Bangladesh repatriated 500 Rohingya refugees to Myanmar.", "RETREAT", "BGD", None),
    ("Pakistani police rounded up 200 Afghan migrants in Karachi.", "COERCE", "PAK", "AFG"),
    ("Indian tax officials searched the offices of the BBC in New Delhi.", "COERCE", "IND", None),
    ("A suicide bomber detonated his vest at a checkpoint in Kabul.", "ASSAULT", "AFG", None),
    ("A bomb went off outside the Turkish embassy in Athens.", "ASSAULT", None, "TUR"),
    # the parties to fighting that "broke out between" them: the first as actor, the other as recipient
    ("Clashes erupted between Israeli troops and Palestinian youths in Hebron.", "ASSAULT", "ISR", "PSE"),
    ("Russian artillery pounded the Ukrainian city of Bakhmut.", "ASSAULT", "RUS", "UKR"),
    ("Gunmen gunned down a Mexican journalist in Tijuana.", "ASSAULT", "MEX", None),
    ("Iran downed an American drone over the Gulf.", "ASSAULT", "IRN", "USA"),
]


@pytest.mark.parametrize(("text", "event_type", "actor", "recipient"), SENSES)
def test_event_senses(coder, text, event_type, actor, recipient):
    events = coder.code(text, date="1987-06-01")
    found = [
        e
        for e in events
        if e.event == event_type
        and (actor is None or actor in [a.code for a in e.actor])  # None: a victim-only event
        and (recipient is None or recipient in [r.code for r in e.recipient])
    ]
    assert found, summary(events)
