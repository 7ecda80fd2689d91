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
countries and regions its other toponyms and adjectives point to, an enclosing toponym right after a
comma ("Paris, Texas"), and a region noun or state cue next to the name ("Donetsk region", "state of
Georgia"). The evidence used is written into each place's ``resolution``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..records import Place
from . import extensions  # noqa: F401  (registers doc._.fp_places)
from .gazetteer import ALT, AUTHORED, Gazetteer, GazetteerEntry, NameMatch, default_gazetteer, name_key

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
ADMIN1_CONTEXT_BONUS = 3.0  # a place inside this region (or the region itself) is mentioned elsewhere
SIBLING_ADMIN1_BONUS = 3.0  # other first-level regions of the country are mentioned: "Georgia and Ohio"
CONTAINER_BONUS = 8.0  # "Paris, Texas": the name after the comma encloses the one before
WEAK_CONTAINER_BONUS = 4.0  # the enclosing region is in the same country, its admin1 link unknown
REGION_CUE_BONUS = 5.0  # "Donetsk region", "the state of Georgia": the region, not the city
# Round one takes evidence from unambiguous toponyms and from winners this far ahead of the runner-up;
# round two takes every round-one winner.
CONFIDENT_MARGIN = 2.5
# --- capitalised tokens the model missed -------------------------------------------------------
MIN_UNTAGGED_CITY_POPULATION = 100_000  # smaller towns share names with words and surnames
MAX_NAME_TOKENS = 6  # "Democratic Republic of the Congo", "Strait of Hormuz"
MAX_ACRONYM_LETTERS = 3  # "UN", "EU", "IS" in capitals are organisations unless authored ("US", "UK")
MAX_EXTENSION_TOKENS = 4  # an entity cut short: "Regent" + "'s Park", "Rostov" + "-on-Don"

REGION_NOUNS = frozenset({"region", "oblast", "province", "governorate", "state", "prefecture"})
STATE_CUES = frozenset({"state", "governor", "gov."})  # "the state of Georgia", "governor of Texas"
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
        gazetteer.adjective_country(token.text) is not None and not gazetteer.has_name(token.text)
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


def _region_cue(doc: Doc, start: int, end: int) -> bool:
    """A region noun after the name ("Donetsk region", "Donetsk and Luhansk regions") or a state cue."""
    if end < len(doc) and doc[end].lemma_.lower() in REGION_NOUNS:
        return True
    head = doc[end - 1]
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    if head.head.i >= end and head.head.lemma_.lower() in REGION_NOUNS and head.dep_ in {"compound", "nmod"}:
        return True
    before = doc[max(0, start - 3) : start]
    return len(before) >= 2 and before[-1].lower_ == "of" and any(t.lower_ in STATE_CUES for t in before)


def _lookup(gazetteer: Gazetteer, span: Span, region_cue: bool) -> list[NameMatch]:
    found = gazetteer.lookup(span.text)
    if region_cue:
        seen = {m.entry.index for m in found}
        for noun in ("region", "oblast", "province"):
            for match in gazetteer.lookup(f"{span.text} {noun}"):
                if match.entry.index not in seen:
                    seen.add(match.entry.index)
                    found.append(match)
    return found


def _extend(doc: Doc, start: int, end: int, taken: set[int], gazetteer: Gazetteer) -> int:
    """A longer gazetteer name the entity was cut from: "Regent" + "'s Park", "Kursk" + "region"."""
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
        if gazetteer.has_name(doc[start:longer].text):
            return longer
    return end


def _span_mentions(doc: Doc, span: Span, taken: set[int], gazetteer: Gazetteer) -> list[_Mention]:
    """Mentions inside one entity span: the whole name, else its parts split at commas and 'and'."""
    source = f"ner:{span.label_}"
    start, end = _trim(doc, span.start, span.end)
    end = _extend(doc, start, end, taken, gazetteer)
    piece = doc[start:end]
    if piece.text.lower() in NON_TOPONYMS or (len(piece) == 1 and _is_adjective(piece[0], gazetteer)):
        return []
    cue = _region_cue(doc, start, end)
    matches = _lookup(gazetteer, piece, cue)
    if not matches and end - start > 1 and doc[start].lower_ in LEADING_WORDS:
        start += 1  # "Northern Syria" written with a capital
        piece, cue = doc[start:end], _region_cue(doc, start, end)
        matches = _lookup(gazetteer, piece, cue)
    if not matches and end - start > 1 and doc[end - 1].lemma_.lower() in REGION_NOUNS:
        # "Donetsk region" as one entity: the name before the noun, as a region
        matches = _lookup(gazetteer, doc[start : end - 1], True)
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
                part_cue = _region_cue(doc, part_start, i)
                found = _lookup(gazetteer, part, part_cue)
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
    doc: Doc, taken: set[int], place_heads: set[int], gazetteer: Gazetteer
) -> Iterator[_Mention]:
    """Capitalised names outside every entity that name a gazetteer entry.

    Any named entry will do after a place preposition ("at Ceuta") or coordinated with a place
    ("Ashkelon and Sderot"); elsewhere only a strong one (a country, an authored place, a big city).
    """
    i = 0
    while i < len(doc):
        token = doc[i]
        if i in taken or not (token.is_title or token.is_upper) or token.tag_ not in {"NNP", "NNPS"}:
            i += 1
            continue
        found: _Mention | None = None
        for n in range(min(MAX_NAME_TOKENS, len(doc) - i), 0, -1):
            end = i + n
            if any(j in taken for j in range(i, end)) or not (doc[end - 1].is_title or doc[end - 1].is_upper):
                continue
            span = doc[i:end]
            cue = _region_cue(doc, i, end)
            matches = _lookup(gazetteer, span, cue)
            head = doc[end - 1]
            placed = _after_place_preposition(doc, i) or (head.dep_ == "conj" and head.head.i in place_heads)
            usable = [m for m in matches if m.how != ALT] if placed else [m for m in matches if _strong(m)]
            if not usable:
                continue
            if _inside_longer_name(doc, i, end) or (n == 1 and token.is_sent_start and _only_cities(usable)):
                break
            found = _Mention(i, end, "gazetteer", usable, region_cue=cue)
            break
        if found is None:
            i += 1
            continue
        place_heads.add(found.end - 1)
        yield found
        i = found.end


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
        return True
    strong = [m for m in mention.candidates if _strong(m)]
    if not strong:
        return False
    head = doc[mention.end - 1]
    if (
        label != "PERSON"
        or head.dep_ in {"dobj", "pobj", "appos", "conj"}
        or any(m.entry.feature == "country" or m.entry.source == "authored" for m in strong)
    ):
        mention.candidates = strong
        return True
    return False


def _mentions(doc: Doc, gazetteer: Gazetteer) -> list[_Mention]:
    mentions: list[_Mention] = []
    held: list[_Mention] = []  # mislabelled spans not accepted on their own
    taken: set[int] = set()
    for span in doc.ents:
        taken.update(range(span.start, span.end))
    for span in doc.ents:
        if span.label_ in NOT_PLACE_LABELS:
            continue
        others = taken - set(range(span.start, span.end))
        found = _span_mentions(doc, span, others, gazetteer)
        if span.label_ in LOCATIVE_LABELS:
            mentions += found
        else:
            for mention in found:
                (mentions if _accept_mislabelled(doc, span.label_, mention) else held).append(mention)
    mentions += _found_in_lists(doc, mentions, held)
    covered = taken | {i for m in mentions for i in range(m.start, m.end)}
    mentions += list(_untagged_mentions(doc, covered, {doc[m.end - 1].i for m in mentions}, gazetteer))
    mentions = [m for m in mentions if _not_an_acronym(doc, m)]
    mentions.sort(key=lambda m: m.start)
    for mention in mentions:
        mention.key = name_key(doc[mention.start : mention.end].text)
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
            if linked:
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

    def add(self, entry: GazetteerEntry, sentence: int, weight: float) -> None:
        if entry.country_code is None:
            return
        self.countries[entry.country_code] += weight
        self.by_sentence[(sentence, entry.country_code)] += weight
        region = entry.admin1
        if region and entry.feature != "country":
            self.admin1s[(entry.country_code, name_key(region))] += weight
        if entry.feature == "admin1":
            self.admin1_countries[entry.country_code] += weight

    def copy(self) -> _Evidence:
        return _Evidence(
            Counter(self.countries),
            Counter(self.admin1s),
            Counter(self.admin1_countries),
            Counter(self.by_sentence),
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
    score, why = _prior(match)
    country = entry.country_code
    if country is not None:
        weight = evidence.countries[country] - own.countries[country]
        if weight > 0:
            score += COUNTRY_CONTEXT_BONUS * min(weight, MAX_COUNTRY_WEIGHT)
            why.append(f"context:country {country}")
            here = evidence.by_sentence[(sentence, country)] - own.by_sentence[(sentence, country)]
            if here > 0:
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
    if mention.region_cue and entry.feature in {"admin1", "region"}:
        score += REGION_CUE_BONUS
        why.append("cue:region noun")
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


def _context_words(doc: Doc, gazetteer: Gazetteer, sentence_of: list[int]) -> list[tuple[str, int]]:
    """Countries the story names without a toponym: adjectives ("Lebanese") and coded actors."""
    found: list[tuple[str, int]] = []
    for token in doc:
        if token.is_alpha and token.text[:1].isupper():
            code = gazetteer.adjective_country(token.text)
            if code is not None and not gazetteer.has_name(token.text):
                found.append((code, sentence_of[token.i]))
    for actor in doc._.fp_actors or []:
        code = actor.get("code") if isinstance(actor, dict) else None
        if isinstance(code, str) and gazetteer.country(code) is not None:
            head = actor.get("head")
            found.append((code, sentence_of[head] if isinstance(head, int) and 0 <= head < len(doc) else -1))
    return found


def _sentence_starts(doc: Doc) -> list[int]:
    """The start token of each token's sentence (all 0 for a Doc with no sentence boundaries)."""
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return [0] * len(doc)
    starts = [0] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            starts[i] = sent.start
    return starts


def _resolve(doc: Doc, mentions: list[_Mention], gazetteer: Gazetteer) -> list[tuple[NameMatch, list[str]]]:
    sentence_of = _sentence_starts(doc)
    base = _Evidence()
    for code, sentence in _context_words(doc, gazetteer, sentence_of):
        country = gazetteer.country(code)
        if country is not None:
            base.add(country, sentence, ACTOR_USE_WEIGHT)
    sentences = [sentence_of[m.start] for m in mentions]
    pair_bonus = _pair_bonuses(doc, mentions)

    def round_of(contributions: list[list[GazetteerEntry]]) -> list[tuple[NameMatch, list[str], float]]:
        evidence = base.copy()
        per_key: dict[str, _Evidence] = {}
        for mention, entries, sentence in zip(mentions, contributions, sentences, strict=True):
            for entry in entries:
                weight = mention.weight if entry.feature == "country" else PLACE_USE_WEIGHT
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

    first = round_of([_unambiguous(m) for m in mentions])
    confident = [
        [best.entry] if margin >= CONFIDENT_MARGIN else _unambiguous(mention)
        for mention, (best, _, margin) in zip(mentions, first, strict=True)
    ]
    second = round_of(confident)
    final = round_of([[best.entry] for best, _, _ in second])
    out = []
    for best, why, margin in final:
        why = [*why, "only candidate" if margin == math.inf else f"margin:{margin:.1f}"]
        out.append((best, why))
    return out


def _unambiguous(mention: _Mention) -> list[GazetteerEntry]:
    """What a mention says whatever it means: its entry when only one, else nothing."""
    entries = {m.entry.index: m.entry for m in mention.candidates}
    return list(entries.values()) if len(entries) == 1 else []


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
        entry = match.entry
        places.append(
            {
                "text": span.text,
                "start": span.start_char,
                "end": span.end_char,
                "token_start": mention.start,
                "token_end": mention.end,
                "name": entry.name,
                "geonameid": entry.geonameid,
                "lat": entry.lat,
                "lon": entry.lon,
                "country_code": entry.country_code,
                "admin1": entry.admin1,
                "feature": entry.feature,
                "resolution": "; ".join([f"mention:{mention.source}", *why]),
            }
        )
    return places


def set_annotations(doc: Doc, places: list[dict[str, Any]]) -> None:
    doc._.fp_places = places


# ---------------------------------------------------------------------------------------------
# Event locations


def event_location(doc: Doc, trigger: int, places: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The place syntactically attached to the event whose trigger is token ``trigger``, else None.

    Looks for a locative preposition ("in", "at", "near", "into", ...; never "from") whose object is
    a place, attached first to the trigger or its verb chain ("agreed to meet in Geneva"), then to the
    verb that governs a noun trigger ("held talks in London"), then to the trigger's own arguments
    ("troops in Crimea to withdraw", "ordered jets into Belarus"; not "condemned the attack in
    Kabul", where the object is an event of its own). A dateline or a place elsewhere in the
    sentence is never taken.
    """
    if not places or not 0 <= trigger < len(doc):
        return None
    by_token: dict[int, dict[str, Any]] = {}
    for place in places:
        for i in range(place["token_start"], place["token_end"]):
            by_token.setdefault(i, place)
    for anchor, prepositions in _anchors(doc[trigger]):
        place = _attached_place(anchor, prepositions, by_token)
        if place is not None:
            return place
    return None


def _anchors(trigger: Token) -> Iterator[tuple[Token, frozenset[str]]]:
    """Tokens whose place prepositions may locate the event, each with the prepositions that count."""
    seen: set[int] = set()

    def fresh(tokens: Iterable[Token], preps: frozenset[str]) -> Iterator[tuple[Token, frozenset[str]]]:
        for token in tokens:
            if token.i not in seen:
                seen.add(token.i)
                yield token, preps

    chain = [trigger, *(c for c in trigger.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ == "VERB")]
    if trigger.dep_ in {"xcomp", "aux"} and trigger.head.pos_ in {"VERB", "AUX"}:
        chain.append(trigger.head)
    yield from fresh(chain, LOCATIVE_PREPOSITIONS)
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ in ARGUMENT_DEPS:
        governor = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        if governor.pos_ in {"VERB", "AUX"}:
            yield from fresh([governor], LOCATIVE_PREPOSITIONS)
    for anchor in chain:
        for child in anchor.children:
            if child.dep_ in SUBJECT_DEPS:
                yield from fresh(
                    [child, *(c for c in child.children if c.dep_ == "conj")], LOCATIVE_PREPOSITIONS
                )
            elif child.dep_ in ARGUMENT_DEPS and child.dep_ != "pobj":
                preps = (
                    MOTION_PREPOSITIONS
                    if child.lemma_.lower() in NESTED_EVENT_NOUNS
                    else LOCATIVE_PREPOSITIONS
                )
                yield from fresh([child, *(c for c in child.children if c.dep_ == "conj")], preps)


def _attached_place(
    anchor: Token, prepositions: frozenset[str], by_token: dict[int, dict[str, Any]]
) -> dict[str, Any] | None:
    for prep in anchor.children:
        if prep.dep_ != "prep" or prep.lower_ not in prepositions:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for token in _object_tokens(obj):
                if token.i in by_token:
                    return by_token[token.i]
    return None


def _object_tokens(obj: Token) -> Iterator[Token]:
    """The object of the preposition, then what names it: "its ally Belarus", "the city of Aleppo"."""
    yield obj
    for child in obj.children:
        if child.dep_ in APPOSITION_DEPS:
            yield child
    if obj.lemma_.lower() in GEOGRAPHIC_NOUNS:
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for inner in prep.children:
                    if inner.dep_ == "pobj":
                        yield inner
                        yield from (c for c in inner.children if c.dep_ in APPOSITION_DEPS)


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
