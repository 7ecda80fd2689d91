"""Places: the toponyms of a story resolved to gazetteer entries, and the place an event happened.

The job is to turn the named places a story mentions into entries of the embedded gazetteer
(:mod:`flashpoint.nlp.gazetteer`) with a country code and coordinates, choosing among same-named
places by the story's own context, and to say which of them is syntactically the location of a
given event trigger. Mentions come from the model's GPE/LOC/FAC entities, from entities the small
model mislabelled ("Crimea" as ORG, "Luhansk" as PERSON) when more evidence says they are places,
and from capitalised tokens it missed; adjectives ("Russian") are never toponyms, only context. A
toponym the gazetteer cannot resolve is left out of ``doc._.fp_places`` (it never empties the
rest). Coding events, and reading places as actors ("Moscow said"), belong to the events and actors
components.

Choosing an entry scores every candidate: a prior from its feature (countries beat cities of the
same name; a city counts by population, a capital a little more), plus the story's evidence —
countries and regions its other toponyms and adjectives point to (an adjective in the toponym's own
sentence counts more: "Lebanese troops deployed in Tripoli"; a national capital speaks for its
country, not its region), an enclosing toponym right after a comma ("Paris, Texas", "Dalton, Ga.":
US state abbreviations count only there), and a region noun or state cue next to the name ("Donetsk
region", "state of Georgia"). Towns under 15,000 people are taken only from a GPE entity used as a
place ("in Sealy", "Seadrift, Texas") or when another toponym names their region ("Lahaina" with
"Maui"), and story context moves them half as much. An ambiguous name lends evidence too, each of its
entries by its share of the prior ("San Jose" and "Santa Clara" pick each other's California). The
evidence used is written into each place's ``resolution``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import IDX, IS_TITLE, IS_UPPER, LENGTH, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..records import Place
from . import extensions  # noqa: F401  (registers doc._.fp_places)
from .gazetteer import (
    ALT,
    AUTHORED,
    Gazetteer,
    GazetteerEntry,
    NameMatch,
    default_gazetteer,
    is_minor_town,
    name_key,
)

COMPONENT_NAME = "flashpoint_places"

LOCATIVE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# The small model tags many toponyms as organisations, people, nationalities or products ("Crimea" ORG,
# "Luhansk" PERSON, "Aleppo" NORP, "Calcutta" PRODUCT); such a span is a place only on more evidence
# (see _accept_mislabelled). Spans of these labels are never places:
NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LAW"})

# --- priors: how likely a name means this entry before any context --------------------------
# Scores are on a log10 scale: a city's prior is log10 of its population, so +1 is "ten times likelier".
COUNTRY_PRIOR = 9.0  # a country beats every city of its name ("Georgia", "Jordan", "Armenia")
CONTINENT_PRIOR = 8.0
AUTHORED_PRIOR = 6.0  # authored regions and sites were added because news means them ("Gaza")
ADMIN1_PRIOR = 5.5  # like a city of ~300,000: "Texas" the state, but "Washington" the capital
MIN_CITY_PRIOR = 4.0  # log10 of the smallest population counted, so authored towns are not zero
CAPITAL_BONUS = 0.5  # "Paris", "London", "Tripoli" mean the capital unless the story says otherwise
ALT_NAME_PENALTY = 2.0  # a GeoNames alternate ("Sydney" for Sidney, Ohio) yields to a place so named
NEWS_SENSE_BONUS = 1.0  # gazetteer_aliases.tsv names the sense news means ("Donetsk": Ukraine's)
# --- evidence from the story ----------------------------------------------------------------
# Evidence is weighed: a toponym used as a place ("in Lebanon", "Beirut") counts 1; a country used as
# an actor ("Russia's army"), an adjective ("Lebanese") or a coded actor counts half.
PLACE_USE_WEIGHT = 1.0
ACTOR_USE_WEIGHT = 0.5
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "compound", "amod", "nmod", "dobj"})
COUNTRY_CONTEXT_BONUS = 1.5  # per unit of evidence that the story is about the candidate's country
# Country evidence saturates: however often a story names Canada, "London" stays London, England
# (a 21-fold population gap plus capital), while "Tripoli" moves to Lebanon (a 6-fold gap plus capital).
MAX_COUNTRY_WEIGHT = 1.0
SENTENCE_CONTEXT_BONUS = 0.25  # ... and some of that evidence is in the same sentence
# "Lebanese officials in Tripoli": a country adjective in the toponym's own sentence. With the general
# country evidence it moves a name across a ~6-fold population gap plus a capital (Tripoli, Guadalajara);
# capped, it never moves a ~20-fold one ("Canadian officials ... in Ottawa before flying to London").
ADJECTIVE_SENTENCE_BONUS = 0.75
MAX_COUNTRY_CONTEXT = 1.6  # country evidence and an adjective in the sentence together
ADMIN1_CONTEXT_BONUS = 3.0  # a place inside this region (or the region itself) is mentioned elsewhere
SIBLING_ADMIN1_BONUS = 3.0  # other first-level regions of the country are mentioned: "Georgia and Ohio"
CONTAINER_BONUS = 8.0  # "Paris, Texas": the name after the comma encloses the one before
WEAK_CONTAINER_BONUS = 4.0  # the enclosing region is in the same country, its admin1 link unknown
REGION_CUE_BONUS = 5.0  # "Donetsk region", "the state of Georgia", "Co Cork": the region, not the city
# "eastern Victoria", "northern Kentucky": a compass word before a name speaks for a region a little
COMPASS_REGION_BONUS = 1.0
COMPASS_WORDS = frozenset(
    "northern southern eastern western central northeastern northwestern southeastern southwestern"
    " north-eastern north-western south-eastern south-western".split()
)
# An ambiguous name still says something about the story's geography: each of its entries lends
# evidence in proportion to its share of the prior (10 ** prior), scaled by this ("San Jose" and "Santa
# Clara" in one story support each other's Californian senses).
SOFT_EVIDENCE_SCALE = 0.5
# Round one takes evidence from unambiguous toponyms and from winners this far ahead of the runner-up;
# round two takes every round-one winner.
CONFIDENT_MARGIN = 2.5
# --- capitalised tokens the model missed -------------------------------------------------------
MIN_UNTAGGED_CITY_POPULATION = 100_000  # smaller towns share names with words and surnames
# The index holds towns down to 5,000 people (1,000 in the US); under MINOR_TOWN_POPULATION (15,000) they
# are taken only from a GPE entity used as a place, never from a mislabelled or untagged name ("in
# Congress" is not Congress, Arizona).
MINOR_CONTEXT_SCALE = 0.5  # ... and the story's countries and regions count half for them; "X, State" in full
MAX_NAME_TOKENS = 6  # "Democratic Republic of the Congo", "Strait of Hormuz"
MAX_ACRONYM_LETTERS = 3  # "UN", "EU", "IS" in capitals are organisations unless authored ("US", "UK")
MAX_EXTENSION_TOKENS = 4  # an entity cut short: "Regent" + "'s Park", "Rostov" + "-on-Don"

REGION_NOUNS = frozenset({"region", "oblast", "province", "governorate", "state", "prefecture"})
REGION_NAME_NOUNS = ("region", "oblast", "province")  # the gazetteer also names regions "Kursk region"
PROPER_NOUN_TAGS = ("NNP", "NNPS")
STATE_CUES = frozenset({"state", "governor", "gov."})  # "the state of Georgia", "governor of Texas"
COUNTY_WORDS = frozenset({"Co", "Co.", "County"})  # "Co Cork", "County Clare": Irish usage, before the name
# Compass words the model tags LOC ("the West") are blocs, not places, whatever the gazetteer holds.
NON_TOPONYMS = frozenset({"west", "east", "north", "south", "western", "eastern", "northern", "southern"})
LEADING_WORDS = frozenset(
    "the northern southern eastern western central north-eastern north-western south-eastern south-western"
    " northeastern northwestern southeastern southwestern occupied rebel-held".split()
)

# --- event locations ---------------------------------------------------------------------------
# Prepositions that put an event at a place. "from" is left out on purpose: "fled from Mariupol"
# and "withdrew from Kherson" name where the actors were, not where the event happened; "on", "over"
# and "to" as often name a topic or a recipient ("talks on Syria", "appeal to Moscow").
LOCATIVE_PREPOSITIONS = frozenset(
    "in at near into across outside inside within throughout around along onto off beside nearby".split()
)
# Before a minor town (see _towns_in_place) only these say it is one.
TOWN_PREPOSITIONS = LOCATIVE_PREPOSITIONS | frozenset({"from", "via", "toward", "towards"})
# Before a mislabelled name, any of these says it is a place ("battle for Bakhmut", "fled from Kherson").
PLACE_PREPOSITIONS = LOCATIVE_PREPOSITIONS | frozenset("from to for of toward towards via over on".split())
# "in the city of Aleppo", "off the coast of Libya": the place is one "of" further.
GEOGRAPHIC_NOUNS = frozenset(
    "city town village region province state capital port coast outskirts suburb suburbs area district"
    " island enclave territory republic country centre center east west north south heart streets border"
    " oblast".split()
)
# On the trigger's subject or object any place preposition counts ("troops in Crimea to withdraw",
# "seized a tanker in the Strait of Hormuz"), except on an object that is itself an event: "condemned
# the attack in Kabul" was not in Kabul, so there only prepositions of movement or spread count.
MOTION_PREPOSITIONS = frozenset({"into", "onto", "across", "throughout", "inside"})
NESTED_EVENT_NOUNS = frozenset(
    "attack bombing strike airstrike killing shooting assault invasion raid election vote referendum protest"
    " violence crackdown massacre explosion blast offensive incursion occupation annexation fighting clash"
    " arrest detention execution kidnapping abduction coup shelling bombardment siege war unrest".split()
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
ARGUMENT_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "pobj", "dative", "oprd", "npadvmod"})
APPOSITION_DEPS = frozenset({"appos", "compound", "conj", "npadvmod", "nmod"})


@dataclass
class _Mention:
    """A toponym found in the text, with every gazetteer entry its name may mean."""

    start: int  # token span [start, end)
    end: int
    source: str  # "ner:GPE", "ner:ORG" (a mislabelled place), "gazetteer" (a token the model missed)
    candidates: list[NameMatch]
    region_cue: bool = False
    key: str = ""
    weight: float = PLACE_USE_WEIGHT  # how much this mention says about the story's geography
    minor: list[NameMatch] = field(default_factory=list)  # towns kept back until the story's regions speak
    compass: bool = False  # "eastern Victoria"


# ---------------------------------------------------------------------------------------------
# Finding mentions


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article or lower-case direction word and trailing punctuation or possessives."""
    while start < end - 1 and (
        doc[start].lower_ == "the"
        or doc[start].is_punct
        or (doc[start].is_lower and doc[start].lower_ in LEADING_WORDS)
    ):
        start += 1
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return start, end


def _is_adjective(token: Token, gazetteer: Gazetteer) -> bool:
    return token.tag_ in {"JJ", "JJR", "JJS"} or (
        gazetteer.adjective_country(token.text) is not None and not gazetteer.names_a_place(token.text)
    )


def _strong(match: NameMatch) -> bool:
    """An entry a capitalised name may mean even when the model did not tag it as a place."""
    entry = match.entry
    if match.how == ALT:
        return False
    if entry.feature in {"country", "continent"} or entry.source == "authored":
        return True
    if entry.feature == "admin1":
        return entry.country_code == "USA"
    return entry.feature == "city" and entry.population >= MIN_UNTAGGED_CITY_POPULATION


def _minor(entry: GazetteerEntry) -> bool:
    """A packaged town under MINOR_TOWN_POPULATION: a place only where the model says it is one."""
    return is_minor_town(entry)


def _towns_in_place(doc: Doc, label: str, mention: _Mention, gazetteer: Gazetteer) -> bool:
    """Keep a minor town among a GPE's candidates only where the text uses the name as a place: after a
    locative preposition ("in Sealy", "from Chibok", "the town of Chibok") or before ", <region>"
    ("Seadrift, Texas", "Smyrna, Ga."). A GPE the model got wrong ("acquisition of Piedmont", "according
    to Hilton") and a LOC ("North Sea", "Pacific") never becomes a village of that name. Returns whether
    the mention keeps any candidate."""
    if not any(_minor(m.entry) for m in mention.candidates):
        return True
    if not (
        label == "GPE"
        and (_town_preposition(doc, mention.start) or _region_after_comma(doc, mention.end, gazetteer))
    ):
        _hold_minor(mention)
    return bool(mention.candidates)


def _hold_minor(mention: _Mention) -> None:
    """Set a mention's minor towns aside: _towns_in_named_regions takes them back when the story names
    their region ("Lahaina" with "Maui", "near Mallow" with "Co Cork")."""
    mention.minor += [m for m in mention.candidates if _minor(m.entry)]
    mention.candidates = [m for m in mention.candidates if not _minor(m.entry)]


def _towns_in_named_regions(mentions: list[_Mention], held: list[_Mention]) -> list[_Mention]:
    """Minor towns set aside whose first-level region another toponym of the story names, as a region or
    by an unambiguous town in it; the held mentions so restored are returned."""
    regions: set[tuple[str | None, str]] = set()
    for mention in mentions:
        entries = {m.entry.index: m.entry for m in mention.candidates}
        for entry in entries.values():
            if entry.admin1 and (entry.feature in {"admin1", "region"} or len(entries) == 1):
                regions.add((entry.country_code, name_key(entry.admin1)))
    restored: list[_Mention] = []
    for mention in [*mentions, *held]:
        towns = [
            m
            for m in mention.minor
            if m.how != ALT and m.entry.admin1 and (m.entry.country_code, name_key(m.entry.admin1)) in regions
        ]
        if towns:
            if mention in held:
                mention.candidates = towns
                restored.append(mention)
            else:
                mention.candidates += towns
        mention.minor = []
    return restored


def _town_preposition(doc: Doc, start: int) -> bool:
    """ "in Sealy", "near the Seadrift", "the town of Chibok"."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 0:
        return False
    if doc[i].lower_ == "of":
        return i > 0 and doc[i - 1].lemma_.lower() in GEOGRAPHIC_NOUNS
    return doc[i].dep_ == "prep" and doc[i].lower_ in TOWN_PREPOSITIONS


def _region_after_comma(doc: Doc, end: int, gazetteer: Gazetteer) -> bool:
    """ "Seadrift, Texas", "Essex, Ontario", "Smyrna, Ga.": a region or country right after the comma."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    after = doc[end + 1]
    if gazetteer.abbreviation(after.text) is not None:
        return True
    stop = end + 2
    while stop < len(doc) and stop < end + 1 + MAX_NAME_TOKENS and doc[stop].is_title:
        stop += 1
    return any(
        m.entry.feature in {"country", "admin1", "region"}
        for n in range(stop, end + 1, -1)
        for m in gazetteer.lookup(doc[end + 1 : n].text)
    )


def _region_cue(doc: Doc, start: int, end: int) -> bool:
    """A region noun after the name ("Donetsk region", "Donetsk and Luhansk regions") or a state cue."""
    if end < len(doc) and doc[end].lemma_.lower() in REGION_NOUNS:
        return True
    head = doc[end - 1]
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    if head.head.i >= end and head.head.lemma_.lower() in REGION_NOUNS and head.dep_ in {"compound", "nmod"}:
        return True
    if start > 0 and doc[start - 1].text in COUNTY_WORDS:
        return True
    before = doc[max(0, start - 3) : start]
    return len(before) >= 2 and before[-1].lower_ == "of" and any(t.lower_ in STATE_CUES for t in before)


def _compass_before(doc: Doc, start: int) -> bool:
    """ "eastern Victoria", "in the north of"-less compass words right before the name."""
    return start > 0 and doc[start - 1].lower_ in COMPASS_WORDS


class _Texts:
    """The text of any token range of one Doc, sliced from ``doc.text`` (read once) by character
    offsets: building a Span and joining its tokens for every candidate name is the slow way."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        offsets = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        self.starts = [start for start, _ in offsets]
        self.ends = [start + length for start, length in offsets]

    def __call__(self, start: int, end: int) -> str:
        return self.text[self.starts[start] : self.ends[end - 1]]


def _lookup(gazetteer: Gazetteer, text: str, region_cue: bool) -> list[NameMatch]:
    found = gazetteer.lookup(text)
    if region_cue:
        seen = {m.entry.index for m in found}
        for noun in REGION_NAME_NOUNS:
            for match in gazetteer.lookup(f"{text} {noun}"):
                if match.entry.index not in seen:
                    seen.add(match.entry.index)
                    found.append(match)
    return found


def _cued_lookup(
    doc: Doc, start: int, end: int, gazetteer: Gazetteer, texts: _Texts
) -> tuple[list[NameMatch], bool]:
    """The entries the name ``doc[start:end]`` may mean, and whether a region cue stands by it.

    The cue (a parse walk) is only read when the name has entries or a "<name> region" entry it could
    bring in; a name with neither -- most capitalised words -- costs two dictionary look-ups."""
    text = texts(start, end)
    if not gazetteer.has_name(text) and not any(
        gazetteer.has_name(f"{text} {noun}") for noun in REGION_NAME_NOUNS
    ):
        return [], False
    cue = _region_cue(doc, start, end)
    return _lookup(gazetteer, text, cue), cue


def _extend(doc: Doc, start: int, end: int, taken: set[int], gazetteer: Gazetteer, texts: _Texts) -> int:
    """A longer gazetteer name the entity was cut from: "Regent" + "'s Park", "Kursk" + "region"."""
    if not gazetteer.extends(texts(start, end)):
        return end
    for extra in range(MAX_EXTENSION_TOKENS, 0, -1):
        longer = end + extra
        if (
            longer > len(doc)
            or any(i in taken for i in range(end, longer))
            or not doc[longer - 1].text.isalnum()
        ):
            continue
        if all(doc[i].lemma_.lower() in REGION_NOUNS for i in range(end, longer)):
            continue  # "Kursk region" stays "Kursk" with a region cue, like "Donetsk and Luhansk regions"
        if gazetteer.has_name(texts(start, longer)):
            return longer
    return end


def _span_mentions(
    doc: Doc, span: Span, taken: set[int], gazetteer: Gazetteer, texts: _Texts
) -> list[_Mention]:
    """Mentions inside one entity span: the whole name, else its parts split at commas and 'and'."""
    source = f"ner:{span.label_}"
    start, end = _trim(doc, span.start, span.end)
    end = _extend(doc, start, end, taken, gazetteer, texts)
    piece = doc[start:end]
    if piece.text.lower() in NON_TOPONYMS or (
        len(piece) == 1
        and _is_adjective(piece[0], gazetteer)
        # "sent to Michoacan" tagged JJ: a name after a place preposition that is no country's adjective
        and not (_after_place_preposition(doc, start) and gazetteer.adjective_country(piece.text) is None)
    ):
        return []
    matches, cue = _cued_lookup(doc, start, end, gazetteer, texts)
    if not matches and end - start > 1 and doc[start].text in COUNTY_WORDS:
        start += 1  # "Co Cork" as one entity: the name after the word, as a region
        matches, cue = _cued_lookup(doc, start, end, gazetteer, texts)
    if not matches and end - start > 1 and doc[start].lower_ in LEADING_WORDS:
        start += 1  # "Northern Syria" written with a capital
        piece = doc[start:end]
        matches, cue = _cued_lookup(doc, start, end, gazetteer, texts)
    if not matches and end - start > 1 and doc[end - 1].lemma_.lower() in REGION_NOUNS:
        # "Donetsk region" as one entity: the name before the noun, as a region
        matches = _lookup(gazetteer, texts(start, end - 1), True)
        if matches:
            return [_Mention(start, end - 1, source, matches, region_cue=True)]
    if matches:
        return [_Mention(start, end, source, matches, region_cue=cue)]
    parts: list[_Mention] = []
    part_start = start
    for i in range(start, end + 1):
        if i == end or doc[i].text in {",", "and", "&", "/"}:
            if i > part_start:
                part = doc[part_start:i]
                found, part_cue = _cued_lookup(doc, part_start, i, gazetteer, texts)
                if found and len(part) < len(piece):
                    parts.append(_Mention(part_start, i, source, found, region_cue=part_cue))
            part_start = i + 1
    return parts


def _after_place_preposition(doc: Doc, start: int) -> bool:
    """'in Ceuta', 'from the Crimea': the name is the object of a place preposition."""
    before = doc[start - 1] if start > 0 else None
    if before is not None and before.lower_ == "the" and start > 1:
        before = doc[start - 2]
    return before is not None and before.dep_ == "prep" and before.lower_ in PLACE_PREPOSITIONS


def _untagged_mentions(
    doc: Doc, taken: set[int], place_heads: set[int], gazetteer: Gazetteer, texts: _Texts
) -> Iterator[_Mention]:
    """Capitalised names outside every entity that name a gazetteer entry.

    Any named entry will do after a place preposition ("at Ceuta") or coordinated with a place
    ("Ashkelon and Sderot"); elsewhere only a strong one (a country, an authored place, a big city).
    """
    if not len(doc):
        return
    # One array pass picks the capitalised proper nouns; only they start a name.
    flags = doc.to_array([IS_TITLE, IS_UPPER, TAG])
    capital = (flags[:, 0] | flags[:, 1]).astype(bool)
    proper = numpy.isin(
        flags[:, 2], numpy.array([doc.vocab.strings[t] for t in PROPER_NOUN_TAGS], flags.dtype)
    )
    capitals = capital.tolist()
    resume = 0
    for i in numpy.flatnonzero(capital & proper).tolist():
        if i < resume or i in taken:
            continue
        token = doc[i]
        found: _Mention | None = None
        for n in range(min(MAX_NAME_TOKENS, len(doc) - i), 0, -1):
            end = i + n
            if any(j in taken for j in range(i, end)) or not capitals[end - 1]:
                continue
            matches, cue = _cued_lookup(doc, i, end, gazetteer, texts)
            if not matches:
                continue
            head = doc[end - 1]
            placed = _after_place_preposition(doc, i) or (head.dep_ == "conj" and head.head.i in place_heads)
            usable = (
                [m for m in matches if m.how != ALT and not _minor(m.entry)]
                if placed
                else [m for m in matches if _strong(m)]
            )
            if not usable:
                continue
            if _inside_longer_name(doc, i, end) or (n == 1 and token.is_sent_start and _only_cities(usable)):
                break
            found = _Mention(i, end, "gazetteer", usable, region_cue=cue)
            break
        if found is None:
            continue
        place_heads.add(found.end - 1)
        yield found
        resume = found.end


def _inside_longer_name(doc: Doc, start: int, end: int) -> bool:
    """'Moscow Times', 'Kyiv Independent': a place name that only modifies a longer proper name."""
    after = doc[end] if end < len(doc) else None
    before = doc[start - 1] if start > 0 else None
    return any(t is not None and t.tag_ in {"NNP", "NNPS"} and t.is_title for t in (after, before))


def _only_cities(matches: list[NameMatch]) -> bool:
    return all(m.entry.feature == "city" for m in matches)


def _accept_mislabelled(doc: Doc, label: str, mention: _Mention) -> bool:
    """Whether an ORG/PERSON/NORP/PRODUCT... span is a place the model mislabelled ("Crimea" as ORG).

    A place preposition or region noun next to it is enough for any named entry ("battle for
    Bakhmut", "from Kherson"); otherwise the entry must be strong, and a PERSON must also be an object
    ("struck Kharkiv") or a country or authored place, since first names are often city names.
    """
    if mention.region_cue or _after_place_preposition(doc, mention.start):
        _hold_minor(mention)
        return bool(mention.candidates)
    head = doc[mention.end - 1]
    strong = [
        m
        for m in mention.candidates
        if _strong(m)
        # "struck Sulawesi" (ORG): a region named as an object
        or (
            label != "PERSON"
            and m.how != ALT
            and m.entry.feature in {"admin1", "region"}
            and head.dep_ in {"dobj", "pobj"}
        )
    ]
    if not strong:
        _hold_minor(mention)
        return False
    if (
        label != "PERSON"
        or head.dep_ in {"dobj", "pobj", "appos", "conj"}
        or any(m.entry.feature == "country" or m.entry.source == "authored" for m in strong)
    ):
        mention.candidates = strong
        return True
    return False


def _state_abbreviations(doc: Doc, gazetteer: Gazetteer) -> dict[int, tuple[GazetteerEntry, int]]:
    """US state abbreviations right after "Town,": "Dalton, Ga.", "Dalton, GA", by first token, with the
    token they end before (the tokenizer splits "Vt." into "Vt" and ".").

    A postal code (no full stop) also needs the name before the comma to be a US place in the gazetteer:
    "IN", "OR" and "ME" are words too."""
    wanted = gazetteer.abbreviation_orths()
    if not wanted or len(doc) < 3:
        return {}
    orths = doc.to_array(ORTH)
    found: dict[int, tuple[GazetteerEntry, int]] = {}
    for i in numpy.flatnonzero(numpy.isin(orths, numpy.array(wanted, dtype=orths.dtype))).tolist():
        text, end = doc[i].text, i + 1
        entry = gazetteer.abbreviation(text)
        if entry is None and end < len(doc) and doc[end].text == "." and not doc[i].whitespace_:
            text, end = f"{text}.", end + 1
            entry = gazetteer.abbreviation(text)
        if (
            entry is None
            or i < 2
            or doc[i - 1].text != ","
            or not (doc[i - 2].is_title or doc[i - 2].is_upper)
        ):
            continue
        if "." not in text:
            start = i - 2
            while start > 0 and (doc[start - 1].is_title or doc[start - 1].is_upper):
                start -= 1
            if not any(
                m.entry.country_code == entry.country_code for m in gazetteer.lookup(doc[start : i - 1].text)
            ):
                continue
        found[i] = (entry, end)
    return found


def _towns_before_states(
    doc: Doc,
    abbreviations: dict[int, tuple[GazetteerEntry, int]],
    mentions: list[_Mention],
    gazetteer: Gazetteer,
    texts: _Texts,
) -> list[_Mention]:
    """ "WAYCROSS, Ga. (AP)": a dateline town the model did not tag, named by the state after its comma;
    any town of that state with the name will do, however small."""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    found: list[_Mention] = []
    for i, (state, _end) in abbreviations.items():
        last = i - 2
        if last in covered:
            continue
        start = last
        while (
            start > 0
            and last - start + 1 < MAX_NAME_TOKENS
            and (doc[start - 1].is_title or doc[start - 1].is_upper)
        ):
            start -= 1
        for first in range(start, last + 1):  # the longest name first
            towns = [
                m
                for m in gazetteer.lookup(texts(first, last + 1))
                if m.how != ALT and m.entry.feature == "city" and m.entry.admin1 == state.admin1
            ]
            if towns:
                found.append(_Mention(first, last + 1, "before-state", towns))
                break
    return found


def _pieces(doc: Doc, span: Span, cut: Iterable[int]) -> list[Span]:
    """The entity span without the tokens in ``cut`` ("Smyrna, Ga." without "Ga."), in its pieces."""
    inside = sorted(i for i in cut if span.start <= i < span.end)
    if not inside:
        return [span]
    pieces, start = [], span.start
    for i in [*inside, span.end]:
        end = i
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if end > start:
            pieces.append(Span(doc, start, end, label=span.label_))
        start = i + 1
    return pieces


def _mentions(doc: Doc, gazetteer: Gazetteer) -> list[_Mention]:
    mentions: list[_Mention] = []
    held: list[_Mention] = []  # mislabelled spans not accepted on their own
    taken: set[int] = set()
    abbreviations = _state_abbreviations(doc, gazetteer)
    cut = {j for i, (_, end) in abbreviations.items() for j in range(i, end)}
    texts = _Texts(doc)
    for span in doc.ents:
        taken.update(range(span.start, span.end))
    for entity in doc.ents:
        if entity.label_ in NOT_PLACE_LABELS:
            continue
        for span in _pieces(doc, entity, cut):
            others = taken - set(range(span.start, span.end))
            found = _span_mentions(doc, span, others, gazetteer, texts)
            if span.label_ in LOCATIVE_LABELS:
                for mention in found:
                    (mentions if _towns_in_place(doc, span.label_, mention, gazetteer) else held).append(
                        mention
                    )
            else:
                for mention in found:
                    (mentions if _accept_mislabelled(doc, span.label_, mention) else held).append(mention)
    mentions += _found_in_lists(doc, mentions, held)
    mentions += _towns_in_named_regions(mentions, [m for m in held if m not in mentions])
    mentions += [
        _Mention(i, end, "abbreviation", [NameMatch(e, AUTHORED)]) for i, (e, end) in abbreviations.items()
    ]
    mentions += _towns_before_states(doc, abbreviations, mentions, gazetteer, texts)
    covered = taken | {i for m in mentions for i in range(m.start, m.end)}
    mentions += list(_untagged_mentions(doc, covered, {m.end - 1 for m in mentions}, gazetteer, texts))
    mentions = [m for m in mentions if _not_an_acronym(doc, m)]
    mentions.sort(key=lambda m: m.start)
    for mention in mentions:
        mention.key = name_key(texts(mention.start, mention.end))
        mention.compass = _compass_before(doc, mention.start)
        if doc[mention.end - 1].dep_ in ACTOR_DEPS and doc[mention.end - 1].head.i not in range(
            mention.start, mention.end
        ):
            mention.weight = ACTOR_USE_WEIGHT
    return mentions


def _not_an_acronym(doc: Doc, mention: _Mention) -> bool:
    """'UN', 'EU' are not the Indian town Un: a short all-capital name needs an authored sense ("US")."""
    letters = [c for c in doc[mention.start : mention.end].text if c.isalpha()]
    if len(letters) > MAX_ACRONYM_LETTERS or not all(c.isupper() for c in letters):
        return True
    mention.candidates = [
        m
        for m in mention.candidates
        if m.how == AUTHORED or m.entry.source == "authored" or m.entry.feature == "country"
    ]
    return bool(mention.candidates)


def _found_in_lists(doc: Doc, accepted: list[_Mention], held: list[_Mention]) -> list[_Mention]:
    """Held mentions coordinated with an accepted place: "from Bucha and Irpin", "Belgrade and Novi Sad"."""
    heads = {doc[m.end - 1].i for m in accepted}
    joined: list[_Mention] = []
    changed = True
    while changed:
        changed = False
        for mention in held:
            if mention in joined:
                continue
            head = doc[mention.end - 1]
            linked = (head.dep_ == "conj" and head.head.i in heads) or any(
                c.dep_ == "conj" and c.i in heads for c in head.children
            )
            mention.candidates = [m for m in mention.candidates if not _minor(m.entry)]
            if linked and mention.candidates:
                joined.append(mention)
                heads.add(head.i)
                changed = True
    return joined


# ---------------------------------------------------------------------------------------------
# Choosing entries


def _prior(match: NameMatch) -> tuple[float, list[str]]:
    entry = match.entry
    why = [f"name:{match.how}"]
    if entry.feature == "country":
        score = COUNTRY_PRIOR
    elif entry.feature == "continent":
        score = CONTINENT_PRIOR
    elif entry.source == "authored" and entry.feature != "city":
        score = AUTHORED_PRIOR
    elif entry.feature == "admin1":
        score = ADMIN1_PRIOR
    elif _minor(entry):
        score = math.log10(max(entry.population, 1))  # no floor: a village does not count as a town
    else:
        score = max(math.log10(entry.population) if entry.population > 0 else 0.0, MIN_CITY_PRIOR)
        if entry.population:
            why.append(f"population:{entry.population}")
        if entry.capital:
            score += CAPITAL_BONUS
            why.append("capital")
    why.insert(0, f"feature:{entry.feature}")
    if match.how == ALT:
        score -= ALT_NAME_PENALTY
    elif match.how == AUTHORED:
        score += NEWS_SENSE_BONUS
    return score, why


def _contains(outer: GazetteerEntry, inner: GazetteerEntry) -> float:
    """How surely ``outer`` encloses ``inner``: full, weak (same country only) or not at all."""
    if outer.index == inner.index or outer.country_code is None or outer.country_code != inner.country_code:
        return 0.0
    if outer.feature == "country":
        return CONTAINER_BONUS if inner.feature != "country" else 0.0
    if outer.feature in {"admin1", "region"} and inner.feature in {"city", "site"}:
        if inner.admin1 and name_key(inner.admin1) == name_key(outer.admin1 or outer.name):
            return CONTAINER_BONUS
        return WEAK_CONTAINER_BONUS
    return 0.0


@dataclass
class _Evidence:
    """Countries and regions a story points to, weighed by the mentions (or words) that point there."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1s: Counter[tuple[str, str]] = field(default_factory=Counter)
    admin1_countries: Counter[str] = field(default_factory=Counter)  # countries whose regions are named
    by_sentence: Counter[tuple[int, str]] = field(default_factory=Counter)
    adjectives: Counter[tuple[int, str]] = field(default_factory=Counter)  # (sentence, country) of "Lebanese"

    def add(self, entry: GazetteerEntry, sentence: int, weight: float) -> None:
        if entry.country_code is None:
            return
        self.countries[entry.country_code] += weight
        self.by_sentence[(sentence, entry.country_code)] += weight
        region = entry.admin1
        if region and entry.feature != "country" and not entry.capital:
            # a national capital stands for its country: "Ottawa" says nothing about Ontario's towns
            self.admin1s[(entry.country_code, name_key(region))] += weight
        if entry.feature == "admin1":
            self.admin1_countries[entry.country_code] += weight

    def copy(self) -> _Evidence:
        return _Evidence(
            Counter(self.countries),
            Counter(self.admin1s),
            Counter(self.admin1_countries),
            Counter(self.by_sentence),
            Counter(self.adjectives),
        )


def _score(
    match: NameMatch,
    mention: _Mention,
    evidence: _Evidence,
    own: _Evidence,
    sentence: int,
    pair_bonus: dict[int, tuple[float, str]],
) -> tuple[float, list[str]]:
    entry = match.entry
    prior, why = _prior(match)
    score = prior
    country = entry.country_code
    if country is not None:
        weight = evidence.countries[country] - own.countries[country]
        if weight > 0:
            bonus = COUNTRY_CONTEXT_BONUS * min(weight, MAX_COUNTRY_WEIGHT)
            why.append(f"context:country {country}")
            adjective = evidence.adjectives[(sentence, country)] > 0
            if adjective:  # the same-sentence bonus is in it
                bonus = min(bonus + ADJECTIVE_SENTENCE_BONUS, MAX_COUNTRY_CONTEXT)
                why.append("context:adjective in the sentence")
            score += bonus
            here = evidence.by_sentence[(sentence, country)] - own.by_sentence[(sentence, country)]
            if here > 0 and not adjective:
                score += SENTENCE_CONTEXT_BONUS * min(here, 1.0)
                why.append("context:same sentence")
        region = entry.admin1
        if region and entry.feature != "country":
            pair = (country, name_key(region))
            weight = evidence.admin1s[pair] - own.admin1s[pair]
            if weight > 0:
                score += ADMIN1_CONTEXT_BONUS * min(weight, 1.0)
                why.append(f"context:region {region}")
        if entry.feature == "admin1":
            weight = evidence.admin1_countries[country] - own.admin1_countries[country]
            if weight > 0:
                score += SIBLING_ADMIN1_BONUS * min(weight, 1.0)
                why.append(f"context:other regions of {country}")
    if _minor(entry):  # story context alone moves a village less than a town ("Houston" is not in Scotland)
        score = prior + (score - prior) * MINOR_CONTEXT_SCALE
    if mention.region_cue and entry.feature in {"admin1", "region"}:
        score += REGION_CUE_BONUS
        why.append("cue:region noun")
    elif mention.compass and entry.feature in {"admin1", "region", "water"}:  # "the southern Gulf" too
        score += COMPASS_REGION_BONUS
        why.append("cue:compass word")
    bonus, partner = pair_bonus.get(entry.index, (0.0, ""))
    if bonus:
        score += bonus
        why.append(f"container:{partner}")
    return score, why


def _pair_bonuses(doc: Doc, mentions: list[_Mention]) -> list[dict[int, tuple[float, str]]]:
    """'Paris, Texas': bonuses for candidates of a name and of the enclosing name after its comma."""
    bonuses: list[dict[int, tuple[float, str]]] = [{} for _ in mentions]
    for i in range(len(mentions) - 1):
        inner, outer = mentions[i], mentions[i + 1]
        if inner.end >= len(doc) or doc[inner.end].text != "," or outer.start != inner.end + 1:
            continue
        outer_text = doc[outer.start : outer.end].text
        inner_text = doc[inner.start : inner.end].text
        for a in inner.candidates:
            for b in outer.candidates:
                value = _contains(b.entry, a.entry)
                if value > bonuses[i].get(a.entry.index, (0.0, ""))[0]:
                    bonuses[i][a.entry.index] = (value, outer_text)
                if value > bonuses[i + 1].get(b.entry.index, (0.0, ""))[0]:
                    bonuses[i + 1][b.entry.index] = (value, inner_text)
    return bonuses


def _context_words(
    doc: Doc, gazetteer: Gazetteer, sentence_of: list[int], toponyms: frozenset[int] = frozenset()
) -> list[tuple[str, int, bool, GazetteerEntry | None]]:
    """Countries the story names without a toponym: adjectives ("Lebanese") and coded actors, each with
    its sentence, whether it is an adjective, and the region a region's adjective names ("Andalusian").
    An actor that is itself one of the toponyms (``toponyms``: their token positions) is left out: the
    capital "Tripoli" read as Libya's government must not vote for Libya's Tripoli."""
    found: list[tuple[str, int, bool, GazetteerEntry | None]] = []
    if len(doc):
        orths = doc.to_array(ORTH)
        strings = doc.vocab.strings
        codes = {o: c for o in numpy.unique(orths).tolist() if (c := gazetteer.context_adjective(o, strings))}
        if codes:
            for i in numpy.flatnonzero(
                numpy.isin(orths, numpy.array(list(codes), dtype=orths.dtype))
            ).tolist():
                found.append(
                    (codes[int(orths[i])], sentence_of[i], True, gazetteer.adjective_region(doc[i].text))
                )
    for actor in doc._.fp_actors or []:
        code = actor.get("code") if isinstance(actor, dict) else None
        if isinstance(code, str) and gazetteer.country(code) is not None:
            head = actor.get("head")
            if head in toponyms:
                continue
            sentence = sentence_of[head] if isinstance(head, int) and 0 <= head < len(doc) else -1
            found.append((code, sentence, False, None))
    return found


def _sentence_starts(doc: Doc) -> list[int]:
    """The start token of each token's sentence (all 0 for a Doc with no sentence boundaries)."""
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return [0] * len(doc)
    starts = [0] * len(doc)
    for sent in doc.sents:
        starts[sent.start : sent.end] = [sent.start] * (sent.end - sent.start)
    return starts


def _resolve(doc: Doc, mentions: list[_Mention], gazetteer: Gazetteer) -> list[tuple[NameMatch, list[str]]]:
    sentence_of = _sentence_starts(doc)
    base = _Evidence()
    toponyms = frozenset(i for m in mentions for i in range(m.start, m.end))
    for code, sentence, adjective, region in _context_words(doc, gazetteer, sentence_of, toponyms):
        country = gazetteer.country(code)
        if country is not None:
            base.add(region or country, sentence, ACTOR_USE_WEIGHT)
            if adjective:
                base.adjectives[(sentence, code)] += 1
    sentences = [sentence_of[m.start] for m in mentions]
    pair_bonus = _pair_bonuses(doc, mentions)

    def round_of(
        contributions: list[list[tuple[GazetteerEntry, float]]],
    ) -> list[tuple[NameMatch, list[str], float]]:
        evidence = base.copy()
        per_key: dict[str, _Evidence] = {}
        for mention, entries, sentence in zip(mentions, contributions, sentences, strict=True):
            for entry, share in entries:
                weight = (mention.weight if entry.feature == "country" else PLACE_USE_WEIGHT) * share
                evidence.add(entry, sentence, weight)
                per_key.setdefault(mention.key, _Evidence()).add(entry, sentence, weight)
        results = []
        for i, mention in enumerate(mentions):
            own = per_key.get(mention.key, _Evidence())  # a name never supports itself, even repeated
            scored = sorted(
                (
                    (*_score(m, mention, evidence, own, sentences[i], pair_bonus[i]), m)
                    for m in mention.candidates
                ),
                key=lambda item: (item[0], item[2].entry.lat is not None, item[2].entry.population),
                reverse=True,
            )
            best_score, why, best = scored[0]
            margin = best_score - scored[1][0] if len(scored) > 1 else math.inf
            results.append((best, why, margin))
        return results

    soft = [_soft(m) for m in mentions]
    first = round_of(soft)
    confident = [
        [(best.entry, 1.0)] if margin >= CONFIDENT_MARGIN else shares
        for shares, (best, _, margin) in zip(soft, first, strict=True)
    ]
    second = round_of(confident)
    final = round_of([[(best.entry, 1.0)] for best, _, _ in second])
    out = []
    for best, why, margin in final:
        why = [*why, "only candidate" if margin == math.inf else f"margin:{margin:.1f}"]
        out.append((best, why))
    return out


def _soft(mention: _Mention) -> list[tuple[GazetteerEntry, float]]:
    """What a mention says before context: its entry in full when only one, else each entry in
    proportion to its share of the prior, scaled by SOFT_EVIDENCE_SCALE."""
    priors: dict[int, tuple[GazetteerEntry, float]] = {}
    for match in mention.candidates:
        prior = _prior(match)[0]
        if match.entry.index not in priors or priors[match.entry.index][1] < prior:
            priors[match.entry.index] = (match.entry, prior)
    if len(priors) == 1:
        return [(entry, 1.0) for entry, _ in priors.values()]
    top = max(prior for _, prior in priors.values())
    weights = {i: 10 ** (prior - top) for i, (_, prior) in priors.items()}
    total = sum(weights.values())
    return [(entry, SOFT_EVIDENCE_SCALE * weights[i] / total) for i, (entry, _) in priors.items()]


def find_places(doc: Doc, gazetteer: Gazetteer | None = None) -> list[dict[str, Any]]:
    """The toponyms of ``doc`` resolved to gazetteer entries, in text order (``doc._.fp_places`` items).

    Toponyms the gazetteer cannot resolve are left out. Reads ``doc.ents``, the parse, and
    ``doc._.fp_actors`` when an actors component ran first (their countries are context).
    """
    gazetteer = gazetteer or default_gazetteer()
    mentions = _mentions(doc, gazetteer)
    if not mentions:
        return []
    places = []
    for mention, (match, why) in zip(mentions, _resolve(doc, mentions, gazetteer), strict=True):
        span = doc[mention.start : mention.end]
        places.append(_place_record(span, match.entry, "; ".join([f"mention:{mention.source}", *why])))
    return places


def _place_record(span: Span, entry: GazetteerEntry, resolution: str) -> dict[str, Any]:
    """The place dict the stage writes (``doc._.fp_places``): the words, and the entry they resolve to."""
    return {
        "text": span.text,
        "start": span.start_char,
        "end": span.end_char,
        "token_start": span.start,
        "token_end": span.end,
        "name": entry.name,
        "geonameid": entry.geonameid,
        "lat": entry.lat,
        "lon": entry.lon,
        "country_code": entry.country_code,
        "admin1": entry.admin1,
        "feature": entry.feature,
        "resolution": resolution,
    }


def set_annotations(doc: Doc, places: list[dict[str, Any]]) -> None:
    doc._.fp_places = places


# ---------------------------------------------------------------------------------------------
# Event locations

TARGET_PREPOSITIONS = frozenset({"at", "on", "against"})
# Besides the targets, objects of these carry the event's own setting: "charged protesters with batons
# outside parliament", "during talks in Doha", "amid protests in Tehran".
CARRIER_PREPOSITIONS = frozenset({"with", "during", "amid", "amidst"})
# "on" and "to" locate only ground ("on the western coast of Luzon", "to its northern border"); as
# often they name a topic or a recipient ("talks on Syria", "an appeal to Moscow").
GROUND_PREPOSITIONS = frozenset({"on", "to"})
EVENT_PREPOSITIONS = LOCATIVE_PREPOSITIONS | GROUND_PREPOSITIONS
# Nouns that name ground, so that "of" (and "on", "to") after them leads to the place: "two townships
# of Yangon", "rebel-held districts of Aleppo", "in front of parliament".
LOCATION_NOUNS = GEOGRAPHIC_NOUNS | frozenset(
    "township village neighbourhood neighborhood quarter street square camp part outskirt vicinity front"
    " frontier territory soil coastline water airspace countryside valley desert zone county municipality"
    " settlement".split()
)
# The target of a strike is where it landed ("dropped barrel bombs on Aleppo", "a blockade on
# Lebanon", "attacks on villages near Gwoza"); "sanctions on Moscow" and "war on Russia" are not.
STRIKE_WORDS = frozenset(
    "attack strike airstrike raid bomb bombing shell shelling rocket missile drone blockade siege assault"
    " offensive incursion barrage fire bombardment invasion ambush mortar artillery grenade drop rain hurl"
    " lob shoot march advance".split()
)
# Verbs that carry out the act their object names ("imposed a blockade on Lebanon", "staged a strike"),
# unlike verbs that react to it ("condemned the raid on Jenin", whose place is not the condemnation's).
SUPPORT_VERBS = frozenset(
    "impose launch stage hold carry conduct mount wage begin start continue resume intensify escalate"
    " order unleash fire drop".split()
)
# The place such a verb takes as its object is where it happened: "Russia invaded Georgia", "rebels
# stormed Goma"; as the place after "of" such a noun takes: "the siege of Mariupol".
OCCUPYING_VERBS = frozenset(
    "invade occupy enter storm besiege blockade annex overrun raid bomb bombard shell strike attack capture"
    " seize recapture retake liberate encircle surround infiltrate".split()
)
OCCUPATION_NOUNS = frozenset(
    "invasion occupation annexation siege blockade bombing bombardment shelling capture seizure recapture"
    " liberation encirclement".split()
)
# "attacked Beijing over its trade policy": an attack with a reason is a verbal one
VERBAL_REASON_PREPOSITIONS = frozenset({"over", "for"})
# "across the country", "its northern border", "their territory", "nationwide": the country of the
# clause's subject, when the actors stage gave that subject one ("Iran shut down the internet across
# the country").
COUNTRY_NOUNS = frozenset({"country", "nation"})
TERRITORY_NOUNS = COUNTRY_NOUNS | frozenset(
    "border territory soil coast coastline water airspace frontier".split()
)
# what "on" and "to" may lead to (see GROUND_PREPOSITIONS)
GROUND_NOUNS = LOCATION_NOUNS | TERRITORY_NOUNS
OWN_POSSESSIVES = frozenset({"its", "their"})
DEFINITE_DETERMINERS = frozenset({"the", "this"})
NATIONWIDE_WORDS = frozenset({"nationwide", "countrywide"})
# A verb lends its place to a verb conjoined to it without a subject of its own ("held talks in
# Khartoum but failed to agree"), and to a clause it governs that happens at the same time ("Police in
# Minsk detained 400 people as thousands marched", "dropped bombs on Aleppo, killing 40"); not to one
# before or after it ("after crowds gathered"), which may have happened elsewhere.
SIMULTANEOUS_MARKS = frozenset({"as", "while", "whilst", "when"})
MAX_LENDERS = 3  # "agree" <- "failed" <- "held": each step is one verb up
MAX_NESTING = 3  # "attacks on villages near Gwoza in Borno state": prepositions followed below an object
MAX_SUBJECT_STEPS = 4  # heads climbed to find the clause whose subject owns "the country"


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A token whose prepositions (``prepositions``) may locate the event, or which may itself name the
    event's place (``itself``: a target, an occupied object) or its country ("nationwide")."""

    token: Token
    prepositions: frozenset[str] = frozenset()
    itself: bool = False


def event_location(doc: Doc, trigger: int, places: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The place syntactically attached to the event whose trigger is token ``trigger``, else None.

    Looks for a locative preposition ("in", "at", "near", "into", ...; never "from") whose object is
    a place, attached first to the trigger or its verb chain ("agreed to meet in Geneva"), then to the
    verb that governs a noun trigger ("held talks in London"), then to the trigger's own arguments
    ("troops in Crimea to withdraw", "ordered jets into Belarus"; not "condemned the attack in
    Kabul", where the object is an event of its own), its targets ("dropped bombs on Aleppo") and the
    places its verb occupies ("invaded Georgia"), and last to the verb it shares its setting with
    ("held talks in Khartoum but failed to agree"). Below an object, nested locatives lead on
    ("outside army headquarters in Khartoum"). "Across the country", "its border" and "nationwide"
    are the country of the clause's subject when ``doc._.fp_actors`` gives it one. A dateline or a
    place elsewhere in the sentence is never taken.
    """
    if not 0 <= trigger < len(doc):
        return None
    by_token: dict[int, dict[str, Any]] = {}
    for place in places or []:
        for i in range(place["token_start"], place["token_end"]):
            by_token.setdefault(i, place)
    for anchor in _anchors(doc[trigger]):
        place = _attached_place(doc, anchor, by_token)
        if place is not None:
            return place
    return None


def _anchors(trigger: Token) -> Iterator[_Anchor]:
    """The anchors of the trigger, nearest first (see :func:`event_location`)."""
    seen: set[tuple[int, bool]] = set()

    def fresh(tokens: Iterable[Token], preps: frozenset[str], itself: bool = False) -> Iterator[_Anchor]:
        for token in tokens:
            if (token.i, itself) not in seen:
                seen.add((token.i, itself))
                yield _Anchor(token, preps, itself)

    chain = [trigger, *(c for c in trigger.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ == "VERB")]
    if trigger.dep_ in {"xcomp", "aux"} and trigger.head.pos_ in {"VERB", "AUX"}:
        chain.append(trigger.head)
    yield from fresh(chain, EVENT_PREPOSITIONS)
    lender: Token | None = chain[-1]
    if trigger.pos_ in {"NOUN", "PROPN"}:
        lemma = trigger.lemma_.lower()
        if lemma in STRIKE_WORDS:  # "airstrikes on Aleppo"
            yield from fresh(_targets(trigger), EVENT_PREPOSITIONS, itself=True)
        if lemma in OCCUPATION_NOUNS:  # "the siege of Mariupol"
            yield from fresh(_of_objects(trigger), EVENT_PREPOSITIONS, itself=True)
        # "nationwide protests"
        yield from fresh(
            (c for c in trigger.children if c.lower_ in NATIONWIDE_WORDS), frozenset(), itself=True
        )
        lender = None
        if trigger.dep_ in ARGUMENT_DEPS:
            governor = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
            if governor.pos_ in {"VERB", "AUX"}:
                yield from fresh([governor], EVENT_PREPOSITIONS)
                # "held talks", "staged a strike": the verb's setting is the event's; "condemned the
                # attack" and "the suspension stunned officials in Kyiv" say nothing of its place
                if trigger.dep_ in SUBJECT_DEPS:
                    lender = governor
                elif trigger.dep_ == "dobj" and (
                    lemma not in NESTED_EVENT_NOUNS or governor.lemma_.lower() in SUPPORT_VERBS
                ):
                    chain.append(governor)
                    lender = governor
    for verb in chain:
        yield from _argument_anchors(verb, fresh)
    for _ in range(MAX_LENDERS):
        lender = _lender(lender) if lender is not None else None
        if lender is None:
            break
        yield from fresh([lender], EVENT_PREPOSITIONS)
        yield from _argument_anchors(lender, fresh)


def _argument_anchors(verb: Token, fresh: Callable[..., Iterator[_Anchor]]) -> Iterator[_Anchor]:
    """Anchors among a verb's subject, objects and prepositional objects."""
    occupying = verb.lemma_.lower() in OCCUPYING_VERBS and not any(
        c.dep_ == "prep" and c.lower_ in VERBAL_REASON_PREPOSITIONS for c in verb.children
    )
    strikes = verb.lemma_.lower() in STRIKE_WORDS
    support = verb.lemma_.lower() in SUPPORT_VERBS
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            yield from fresh([child, *(c for c in child.children if c.dep_ == "conj")], EVENT_PREPOSITIONS)
        elif child.dep_ in ARGUMENT_DEPS and child.dep_ != "pobj":
            objects = [child, *(c for c in child.children if c.dep_ == "conj")]
            if occupying and child.dep_ == "dobj":
                yield from fresh(objects, EVENT_PREPOSITIONS, itself=True)
            if support and child.lemma_.lower() in STRIKE_WORDS:  # "imposed a blockade on Lebanon"
                yield from fresh(_targets(child), EVENT_PREPOSITIONS, itself=True)
            nested = child.lemma_.lower() in NESTED_EVENT_NOUNS
            yield from fresh(objects, MOTION_PREPOSITIONS if nested else EVENT_PREPOSITIONS)
            if child.lower_ in NATIONWIDE_WORDS:
                yield from fresh([child], frozenset(), itself=True)
            yield from fresh((c for c in child.children if c.lower_ in NATIONWIDE_WORDS), frozenset(), True)
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS:
            # "fired shells at targets in Jericho": the target's place is where the act landed
            targets = [p for p in child.children if p.dep_ == "pobj"]
            hits = strikes or (
                support and any(c.dep_ == "dobj" and c.lemma_.lower() in STRIKE_WORDS for c in verb.children)
            )
            if hits:
                yield from fresh(targets, EVENT_PREPOSITIONS, itself=True)
            yield from fresh(targets, EVENT_PREPOSITIONS)
        elif child.dep_ == "prep" and child.lower_ in CARRIER_PREPOSITIONS:
            yield from fresh([p for p in child.children if p.dep_ == "pobj"], EVENT_PREPOSITIONS)
        elif child.dep_ == "advmod" and child.lower_ in NATIONWIDE_WORDS:  # "protested nationwide"
            yield from fresh([child], frozenset(), itself=True)


def _targets(token: Token) -> list[Token]:
    return [
        p
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS
        for p in c.children
        if p.dep_ == "pobj"
    ]


def _of_objects(token: Token) -> list[Token]:
    return [
        p
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children
        if p.dep_ == "pobj"
    ]


def _lender(verb: Token) -> Token | None:
    """The verb whose setting ``verb`` shares (see SIMULTANEOUS_MARKS), else None."""
    head = verb.head
    if head.i == verb.i or head.pos_ not in {"VERB", "AUX"}:
        return None
    if verb.dep_ == "xcomp":
        return head
    if verb.dep_ == "conj":
        return None if any(c.dep_ in SUBJECT_DEPS for c in verb.children) else head
    if verb.dep_ == "advcl":
        marks = [c.lower_ for c in verb.children if c.dep_ == "mark"]
        return head if all(mark in SIMULTANEOUS_MARKS for mark in marks) else None
    return None


def _attached_place(doc: Doc, anchor: _Anchor, by_token: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    if anchor.itself:
        if anchor.token.lower_ in NATIONWIDE_WORDS:
            return _subject_country(doc, anchor.token, anchor.token)
        return _first_place(doc, _object_tokens(anchor.token), by_token)
    for prep in anchor.token.children:
        if prep.dep_ != "prep" or prep.lower_ not in anchor.prepositions:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if prep.lower_ in GROUND_PREPOSITIONS and obj.lemma_.lower() not in GROUND_NOUNS:
                continue
            place = _first_place(doc, _object_tokens(obj), by_token)
            if place is not None:
                return place
    return None


def _first_place(
    doc: Doc, tokens: Iterable[Token], by_token: dict[int, dict[str, Any]]
) -> dict[str, Any] | None:
    for token in tokens:
        if token.i in by_token:
            return by_token[token.i]
        if _own_country_phrase(token):
            place = _subject_country(doc, token, doc[token.left_edge.i : token.i + 1])
            if place is not None:
                return place
    return None


def _object_tokens(obj: Token, depth: int = 0) -> Iterator[Token]:
    """The object of the preposition, then what names it ("its ally Belarus", "the city of Aleppo"),
    then the places nested below it ("outside army headquarters in Khartoum")."""
    yield obj
    for child in obj.children:
        if child.dep_ in APPOSITION_DEPS:
            yield child
    if depth >= MAX_NESTING:
        return
    noun = obj.lemma_.lower()
    for prep in obj.children:
        if prep.dep_ != "prep":
            continue
        word = prep.lower_
        strike_target = word in TARGET_PREPOSITIONS and noun in STRIKE_WORDS
        if not (strike_target or word in EVENT_PREPOSITIONS or (word == "of" and noun in LOCATION_NOUNS)):
            continue
        for inner in prep.children:
            if inner.dep_ != "pobj":
                continue
            if word in GROUND_PREPOSITIONS and not strike_target and inner.lemma_.lower() not in GROUND_NOUNS:
                continue
            yield from _object_tokens(inner, depth + 1)


def _own_country_phrase(token: Token) -> bool:
    """ "the country", "its northern border", "their territory": a place only its owner names."""
    if token.lemma_.lower() not in TERRITORY_NOUNS:
        return False
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return False  # "the country of his birth"
    determiners = {c.lower_ for c in token.children if c.dep_ in {"det", "poss"}}
    if determiners & OWN_POSSESSIVES:
        return True
    return token.lemma_.lower() in COUNTRY_NOUNS and bool(determiners & DEFINITE_DETERMINERS)


def _subject_country(doc: Doc, token: Token, phrase: Token | Span) -> dict[str, Any] | None:
    """The country of the subject of the clause ``token`` is in, as a place record for ``phrase``."""
    verb = token
    for _ in range(MAX_SUBJECT_STEPS):
        if verb.pos_ in {"VERB", "AUX"}:
            break
        verb = verb.head
    subjects: list[Token] = []
    for _ in range(MAX_SUBJECT_STEPS):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects or verb.dep_ not in {"xcomp", "conj", "advcl"} or verb.head.i == verb.i:
            break
        verb = verb.head
    if not subjects:
        return None
    subject = subjects[0]
    for actor in doc._.fp_actors or []:
        if actor["head"] == subject.i or actor["token_start"] <= subject.i < actor["token_end"]:
            entry = default_gazetteer().country(actor.get("code") or "")
            if entry is None:
                return None
            span = phrase if isinstance(phrase, Span) else doc[phrase.i : phrase.i + 1]
            return _place_record(span, entry, f"subject-country:{actor.get('text', subject.text)}")
    return None


def place_record(place: dict[str, Any]) -> Place:
    """A ``doc._.fp_places`` item as the :class:`~flashpoint.records.Place` an event carries."""
    return Place(
        extracted_place=place["text"],
        resolved_place=place["name"],
        geonameid=place["geonameid"],
        lat=place["lat"],
        lon=place["lon"],
        country_code=place["country_code"],
        admin1=place["admin1"],
        feature=place["feature"],
        resolution=place["resolution"],
    )


# ---------------------------------------------------------------------------------------------
# The component and the command's library function


class PlacesComponent:
    """``doc._.fp_places``: the story's toponyms resolved against the packaged gazetteer."""

    def __init__(self, nlp: Language, name: str = COMPONENT_NAME, gazetteer: Gazetteer | None = None) -> None:
        self.name = name
        self.gazetteer = gazetteer or default_gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        set_annotations(doc, find_places(doc, self.gazetteer))
        return doc


@Language.factory(
    COMPONENT_NAME,
    requires=["doc.ents", "token.dep"],
    assigns=["doc._.fp_places"],
    default_config={},
)
def make_places_component(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent(nlp, name)


OUTPUT_FIELDS = (
    "text",
    "start",
    "end",
    "name",
    "geonameid",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "feature",
)


def places_for_text(nlp: Language, text: str) -> list[dict[str, Any]]:
    """The ``flashpoint places`` objects for one text: the pipeline up to and including places.

    Components after ``flashpoint_places`` are not run. A pipeline without it runs whole and the
    places are then found with the packaged gazetteer.
    """
    doc = nlp.make_doc(text)
    ran = False
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == COMPONENT_NAME or isinstance(component, PlacesComponent):
            ran = True
            break
    if not ran:
        set_annotations(doc, find_places(doc))
    return [{key: place[key] for key in OUTPUT_FIELDS} for place in doc._.fp_places or []]
