"""Actor resolution: find who is mentioned in a story and resolve each mention to an actor.

The ``flashpoint_actors`` component reads a parsed ``Doc`` (tags, lemmas, dependencies, entities) and
writes ``doc._.fp_actors``: one dict per actor mention, in text order, in the shape documented in
:mod:`flashpoint.nlp.extensions` (text, offsets, head, name, code, sector, office, kind, how). A mention
is built from parts that stand next to each other -- a known phrase (country, capital, organization,
armed group, office-holder), role nouns, titles and PERSON entities: "US secretary of state John
Kerry" is one mention, "Russian troops" another. Mentions are then linked across the story: appositives
("his Russian counterpart, Sergei Lavrov") and titles fix a person's country and sector for the rest of
the story ("Mr Lavrov" later); a bare office ("the president") takes the person the story named for it,
or the office-holder of the story's main country on the story date; personal pronouns and "the two"
take the nearest compatible person by a fixed rule. The pure step is :func:`find_actor_mentions`;
``set_annotations`` writes the Doc.

Its boundary: it does not decide who did what to whom (the events stage picks actor and recipient
among these mentions, and decides whether a capital -- ``kind`` "capital" -- is an actor or a place),
and it never guesses a country the text and the knowledge do not give: such a mention is emitted with
code None and its sector. What phrases mean comes from :mod:`flashpoint.nlp.knowledge`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from . import extensions  # noqa: F401  (registers doc._.fp_* before the component runs)
from .knowledge import (
    FAMILY_NAME_FIRST,
    OFFICIAL_SECTORS,
    Entry,
    Knowledge,
    Person,
    case_fits,
    load_knowledge,
    normalize,
    parse_anchor,
)

# --- tunables and closed word classes (grammar, not knowledge: the lexicons live in flashpoint/data) ---
# Longest phrase scanned, in tokens; the longest knowledge phrase ("International Federation of Red
# Cross and Red Crescent Societies") has 10, and the prefix table stops most scans after one token.
MAX_PHRASE_TOKENS = 12
# Modifier words allowed between a country and its role ("Russian senior officials"); more and the two
# belong to different phrases.
MAX_GAP_TOKENS = 2
# Capitalised portfolio words between a country and "minister" ("Serbian Labour and Social Minister").
MAX_PORTFOLIO_WORDS = 3
PORTFOLIO_HEADS = frozenset({"minister", "ministry", "secretary", "ministers"})
RANK_WORDS = frozenset(
    {"vice", "deputy", "acting", "senior", "top", "interim", "new", "chief", "junior", "then"}
)
# A title is followed by at most this many capitalised words of a name the NER missed ("Gen. Ali Hassan").
MAX_NAME_AFTER_TITLE = 3
# A line this short is a heading ("Referendum"): a lone capitalised word there is not a person.
HEADING_MAX_TOKENS = 3
# Pronouns look back this many sentences (the brief's rule: the same or the previous sentence).
PRONOUN_LOOKBACK_SENTENCES = 1
# The story's main country is "clear" when it has at least this many mentions and this many times the
# mentions of the runner-up; only then may a bare "the president" be read as its president.
MAIN_COUNTRY_MIN_MENTIONS = 1
MAIN_COUNTRY_MARGIN = 2.0

# Sectors of a named official who takes the story's main country when the text gives none ("Finance
# Minister Dilson Funaro"); soldiers and police are often foreign, so MIL and COP are not here.
STORY_COUNTRY_SECTORS = frozenset({"GOV", "LEG", "JUD"})
# A dateline's place is at most this many tokens ("RIO DE JANEIRO", "West Germany", "March 5").
DATELINE_MAX_TOKENS = 4
DATELINE_DASHES = frozenset({"-", "--", "–", "—"})
DATELINE_START = re.compile(r"(?:^|\n)[ \t]*(?=[A-Z][A-Z.])")  # a line that begins with a capitalised word
ITEM_RULE = re.compile(r"-{3,}|-(?: -){2,}")  # "---", "- - - -": a line between the items of a digest

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Dependency labels of the clause a verb of saying reports ("'Putin will ...', he said").
REPORTED_CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})
# Verbs of saying (lemmas): their subject pronoun is the speaker, not a person inside the quote.
REPORTING_VERBS = frozenset(
    "say tell add insist claim state declare announce note warn explain write stress argue".split()
    + "reply respond conclude continue complain acknowledge".split()
)
SINGULAR_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its"})
# Titles that say a person's gender (for he/she): the rest ("Dr", "Gen.") say nothing.
TITLE_GENDERS = dict.fromkeys("mr mr. sir lord monsieur".split(), "m") | dict.fromkeys(
    "mrs mrs. ms ms. miss lady baroness madame".split(), "f"
)
# Honorifics that may stand between a role and its appositive name ("Qatar's emir, Sheikh Hamad ...").
HONORIFICS = frozenset(TITLE_GENDERS) | frozenset("dr dr. sheikh sheik prince princess king queen".split())
POSSESSIVE_MARKERS = frozenset({"'s", "’s", "'", "’"})
CONJUNCTIONS = frozenset({"and", "or", ",", "&"})
LINKING_PREPOSITIONS = ("of", "for")  # "the president of Syria", "the minister for foreign affairs"
DOMESTIC_PREPOSITIONS = ("in",)  # "rebels in the Ivory Coast"
# Sectors whose members are usually of the country they are in: "rebels in the Ivory Coast" are Ivorian;
# troops and refugees in a country are often foreign, so MIL and REF are not here.
DOMESTIC_SECTORS = frozenset({"REB", "COP", "CVL", "OPP", "LAB", "JUD", "LEG", "PTY", "GOV", "EDU", "AGR"})
GAP_POS = frozenset({"ADJ", "NUM", "ADV"})
GAP_DEPS = frozenset({"amod", "compound", "nummod", "advmod", "npadvmod", "nmod"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
FRONT_WORDS = frozenset({"the", "his", "her", "its", "their", "our", "a", "an"})  # joined to a mention's span
HYPHEN_PREFIX_MODIFIERS = frozenset({"ex"})  # "ex-president": the tokenizer splits the hyphen off
STANCE_PREFIXES = frozenset({"pro", "anti"})  # "pro-Russian separatists" are not Russian
# "US-led forces" are the leader's forces (as news and CAMEO-era coders attribute them); "Iranian-backed"
# or "Russian-controlled" ones are not.
LEADING_PARTICIPLES = frozenset({"led", "commanded"})
# A possessor's allies are not the possessor: "Russia's allies", "Iran's proxies".
ALLY_WORDS = frozenset({"ally", "allies", "proxy", "proxies", "partner", "partners", "client", "clients"})
ETHNIC_WORDS = frozenset({"ethnic"})  # "ethnic Albanians": a community, not citizens of the state
ACTOR_KINDS = frozenset({"country", "capital", "igo", "ngo", "bloc", "group", "company", "media"})
# Nouns after a country or capital word that make the pair the name of a thing, not an actor.
THING_NOUNS = frozenset(
    "agreement agreements accord accords treaty treaties convention conventions protocol round club".split()
    + "pact charter auction".split()
)
PLACE_PARTS = frozenset({"name", "capital", "adjective"})
# Words a written name may add to a known person's name ("Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii"})
# Entity types whose names may begin with a role word that is not a role there ("General Motors").
NAME_ENTITY_TYPES = frozenset({"ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})


@dataclass
class Part:
    """One piece of a mention: a known actor phrase, a role word, a title, a modifier or a person."""

    start: int
    end: int
    type: str  # actor | role | title | modifier | person
    entries: tuple[Entry, ...] = ()
    via_of: bool = False  # joined through a preposition: "the president of Russia"

    @property
    def entry(self) -> Entry:
        return self.entries[0]


@dataclass
class Mention:
    """A mention and the actor it resolves to; ``to_dict`` gives the ``doc._.fp_actors`` item."""

    token_start: int
    token_end: int
    head: int
    sentence: int
    kind: str
    text: str = ""  # the mention as written (set from the Doc)
    name: str | None = None
    code: str | None = None
    sector: str | None = None
    office: str | None = None
    how: str = ""
    # linking state, not exported
    office_key: str = ""
    person_text: str = ""  # the name as written, without title ("Lavrov")
    person: Person | None = None
    gender: str = ""
    singular: bool = True
    human: bool = False  # a person, or a role noun for people (a pronoun's possible antecedent)
    definite: bool = False
    code_from_text: bool = False
    sector_from_text: bool = False
    fixed_by_role: bool = False  # a person whose country/sector the text itself stated
    counterpart: bool = False
    people_noun: bool = False  # "the West Germans", "the Nigerians": a plural people noun
    head_role: Entry | None = None  # the role word that heads a role mention (its sector may yield)
    members: list[Mention] = field(default_factory=list)  # a pronoun for a pair: one per member

    def to_dict(self, doc: Doc) -> dict[str, Any]:
        span = doc[self.token_start : self.token_end]
        return {
            "text": span.text,
            "start": span.start_char,
            "end": span.end_char,
            "token_start": self.token_start,
            "token_end": self.token_end,
            "head": self.head,
            "name": self.name,
            "code": self.code,
            "sector": self.sector,
            "office": self.office,
            "kind": self.kind,
            "how": self.how,
        }


# =========================================================================== the pure step


def _has(doc: Doc, attr: str) -> bool:
    """``doc.has_annotation(attr)`` for TAG and DEP, in one numpy pass (spaCy's own copies every token
    struct on each call, and the helpers here ask often: it was most of this stage's time)."""
    return bool(doc.to_array([attr]).any()) if len(doc) else False


def find_actor_mentions(doc: Doc, knowledge: Knowledge, anchor: date | None) -> list[dict[str, Any]]:
    """Every actor mention in ``doc``, resolved for the story date ``anchor``, as plain dicts.

    Pure: reads the Doc's tokens, tags, parse and entities, writes nothing.
    """
    return [m.to_dict(doc) for m in _resolve(doc, knowledge, anchor)]


def _resolve(doc: Doc, knowledge: Knowledge, day: date | None) -> list[Mention]:
    sentence_of = _sentence_index(doc)
    text = doc.text
    datelines = _datelines(doc, text)
    item_of = _story_items(doc, text, datelines)
    in_dateline = {i for start, end in datelines for i in range(start, end)}
    parts = []
    places: list[tuple[int, str]] = []  # (item, country) of each dateline's place
    for part in _parts(doc, knowledge, day):
        if part.start not in in_dateline:
            parts.append(part)
        elif part.type == "actor" and part.entry.code in knowledge.country_names:
            # "BEIRUT, March 5 -" is a place, no actor; it only tells the item's country
            places.append((item_of[part.start], part.entry.code))
    mentions = [m for group in _group(doc, parts) if (m := _mention(doc, group, knowledge, day, sentence_of))]
    _link_appositives(doc, mentions)
    _share_coordinated_roles(doc, mentions)
    _roles_of_groups(doc, mentions)
    mentions += _story_surnames(doc, mentions, sentence_of)
    mentions.sort(key=lambda m: m.token_start)
    _resolve_from_story(doc, mentions, knowledge, day, item_of, places)
    pronouns = _resolve_pronouns(doc, mentions, sentence_of)
    _resolve_counterparts(doc, mentions, pronouns)
    _resolve_owners(doc, mentions, pronouns, sentence_of)
    _link_appositives(doc, mentions)
    covered = {i for m in mentions for i in range(m.token_start, m.token_end)}
    out = mentions + [p for p in pronouns if p.token_start not in covered]
    out.sort(key=lambda m: (m.token_start, -m.token_end))
    return [e for m in out for e in (m.members or [m])]


# --------------------------------------------------------------------------- parts


def _scan_phrases(doc: Doc, knowledge: Knowledge) -> list[Part]:
    """Knowledge phrases in the text, longest first, left to right, with the case rule applied."""
    parts: list[Part] = []
    tagged = _has(doc, "TAG")
    # the text and token offsets in one pass: making spaCy Token objects (and Doc.text) over and over is
    # most of a naive scan's cost
    pieces = []
    spans = []
    for t in doc:
        pieces.append(t.text_with_ws)
        spans.append((t.idx, t.idx + len(t.text)))
    text = "".join(pieces)
    n = len(spans)
    i = 0
    while i < n:
        begin, end = spans[i]
        if not knowledge.is_prefix(_normalized(text[begin:end]).lower()[:1]):
            i += 1
            continue
        best = _longest_phrase_at(doc, knowledge, text, spans, i, tagged)
        if best is not None and doc[i].lower_ in FRONT_WORDS and i + 1 < n:
            # "The West German government", "the West African nation": a phrase that begins with "the"
            # yields to a longer one that begins right after it
            later = _longest_phrase_at(doc, knowledge, text, spans, i + 1, tagged)
            if later is not None and later.end > best.end:
                best = None
        if best is None:
            i += 1
        else:
            parts.append(best)
            i = best.end
    return parts


def _longest_phrase_at(
    doc: Doc, knowledge: Knowledge, text: str, spans: list[tuple[int, int]], i: int, tagged: bool
) -> Part | None:
    """The longest knowledge phrase that starts at token ``i`` (case rule applied), or None."""
    begin = spans[i][0]
    best: Part | None = None
    for j in range(i, min(len(spans), i + MAX_PHRASE_TOKENS)):
        raw = _normalized(text[begin : spans[j][1]])
        key = raw.lower()
        if not knowledge.is_prefix(key):
            break
        if text[spans[j][0] : spans[j][1]].isspace():
            continue  # a phrase never ends on a line break ("Haitian\nattorney general")
        entries = [e for e in knowledge.phrases.get(key, ()) if case_fits(normalize(e.form), raw)]
        if not entries:
            continue
        part = _part_for(doc, i, j + 1, entries, tagged)
        if part is not None:
            best = part
    return best


def _normalized(raw: str) -> str:
    """:func:`normalize`, with a fast path for the usual case (plain ASCII, single spaces) it would
    return unchanged: the scan calls it for nearly every token."""
    if raw.isascii() and raw.isprintable() and "  " not in raw and raw[:1] != " " and raw[-1:] != " ":
        return raw
    return normalize(raw)


def _part_for(doc: Doc, start: int, end: int, entries: list[Entry], tagged: bool) -> Part | None:
    entry = entries[0]
    if entry.kind == "role":
        last = doc[end - 1]
        if entry.part in ("person", "group") and tagged and last.pos_ not in NOUN_POS:
            # "general election", "the military deployments"; but a capitalised role right before a
            # name is a title whatever its tag ("Vice-Premier Tian Jiyun", tagged ADJ)
            if not (last.text[:1].isupper() and end < len(doc) and doc[end].ent_type_ == "PERSON"):
                return None
        kind = {"person": "role", "group": "role", "title": "title", "modifier": "modifier"}[entry.part]
        return Part(start, end, kind, (entry,))
    if entry.kind == "person":
        return Part(start, end, "person", tuple(entries))
    return Part(start, end, "actor", (entry,))


def _person_spans(doc: Doc, taken: dict[int, Part]) -> list[Part]:
    """PERSON entities, trimmed of the roles, titles and actor words the NER swept in."""
    parts = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start, end = ent.start, ent.end
        while start < end:
            part = taken.get(start)
            if doc[start].lower_ == "the":
                start += 1
                continue
            if part is None or part.type == "person":
                break
            if (
                part.type == "actor"
                and part.entry.part in ("name", "capital")
                and _first_name_use(doc, part, end, taken)
            ):
                break  # "Chad Smith", "Israel Katz": the country word is a given name
            start = max(start + 1, min(part.end, end))
        while end > start and doc[end - 1].text in POSSESSIVE_MARKERS:
            end -= 1
        if start < end and _looks_like_name(doc, start, end):
            parts.append(Part(start, end, "person"))
    return parts


def _first_name_use(doc: Doc, part: Part, ent_end: int, taken: dict[int, Part]) -> bool:
    """A country word used as a given name inside a PERSON entity ("Chad Smith"), not "U.S. Dlrs"."""
    nxt = part.end
    word = doc[part.start : part.end].text
    return (
        word.istitle()
        and word.replace(" ", "").isalpha()
        and nxt < ent_end
        and doc[nxt].text[:1].isupper()
        and (nxt not in taken or taken[nxt].type == "person")
    )


def _looks_like_name(doc: Doc, start: int, end: int) -> bool:
    """A PERSON entity worth keeping: it has a proper noun and is not a one-word heading line."""
    tokens = doc[start:end]
    if _has(doc, "TAG") and not any(t.pos_ == "PROPN" for t in tokens):
        return False
    if end - start == 1:
        line_start, line_end = start, end
        while line_start > 0 and "\n" not in doc[line_start - 1].text_with_ws:
            line_start -= 1
        while line_end < len(doc) and "\n" not in doc[line_end - 1].text_with_ws:
            line_end += 1
        words = [t for t in doc[line_start:line_end] if not (t.is_space or t.is_punct)]
        if len(words) <= HEADING_MAX_TOKENS:
            return False
    return True


def _inside_a_name(doc: Doc, part: Part) -> bool:
    """A role word that only begins a longer organization name ("General Motors", "Army Navy Store")."""
    token = doc[part.end - 1]
    if token.ent_type_ not in NAME_ENTITY_TYPES or part.end >= len(doc):
        return False
    following = doc[part.end]
    return (
        following.ent_iob_ == "I" and following.ent_type_ == token.ent_type_ and following.text[:1].isupper()
    )


def _parts(doc: Doc, knowledge: Knowledge, day: date | None) -> list[Part]:
    phrases = [p for p in _scan_phrases(doc, knowledge) if not (p.type == "role" and _inside_a_name(doc, p))]
    taken = {i: p for p in phrases for i in range(p.start, p.end)}
    persons = _person_spans(doc, taken)
    person_tokens = {i for p in persons for i in range(p.start, p.end)}
    chosen = []
    for part in phrases:
        inside = set(range(part.start, part.end)) & person_tokens
        if not inside and not (part.type == "person" and _inside_a_longer_name(doc, part, taken)):
            chosen.append(part)
        elif part.type == "person" and inside == set(range(part.start, part.end)):
            continue  # the alias is inside the entity that names the same person
    for person in persons:
        known = [p for p in phrases if p.type == "person" and p.start >= person.start and p.end <= person.end]
        written = doc[person.start : person.end].text
        entries = tuple(
            e for p in known for e in p.entries if e.person is None or _name_fits(written, e.person)
        )
        if not entries:
            full = knowledge.persons_named(doc[person.start : person.end].text, surname_ok=True, day=day)
            entries = tuple(_person_entry(p) for p in full)
        chosen.append(Part(person.start, person.end, "person", entries))
    chosen.sort(key=lambda p: p.start)
    # a capitalised name right after a title, where the NER missed it ("Gen. Ali Hassan", "Mr Kerry")
    occupied = {i for p in chosen for i in range(p.start, p.end)}
    extra = []
    for part in chosen:
        if part.type != "title":
            continue
        end = part.end
        while (
            end < len(doc)
            and end - part.end < MAX_NAME_AFTER_TITLE
            and end not in occupied
            and doc[end].text[:1].isupper()
            and not doc[end].is_sent_start
        ):
            end += 1
        if end > part.end:
            full = knowledge.persons_named(doc[part.end : end].text, surname_ok=True, day=day)
            extra.append(Part(part.end, end, "person", tuple(_person_entry(p) for p in full)))
    chosen = sorted(chosen + extra, key=lambda p: p.start)
    # a title that names nobody is dropped ("Mrs" in a heading); so is a not_actor phrase (it only blocks)
    kept = []
    for k, part in enumerate(chosen):
        if part.type == "title" and not (
            k + 1 < len(chosen)
            and chosen[k + 1].start == part.end
            and chosen[k + 1].type in ("person", "role", "title")
        ):
            continue
        if part.type == "actor" and (
            part.entry.kind == "not_actor"
            or _after_stance_prefix(doc, part.start)
            or _names_a_thing(doc, part)
        ):
            continue
        following = chosen[k + 1] if k + 1 < len(chosen) else None
        if (
            part.type == "actor"
            and part.entry.part in ("adjective", "bloc")
            and following is not None
            and following.start == part.end
            and following.type == "actor"
            and following.entry.part == "name"
        ):
            continue  # "Western Cambodia", "Iraqi Kurdistan": a region of the country that follows
        kept.append(part)
    return kept


def _inside_a_longer_name(doc: Doc, part: Part, taken: dict[int, Part]) -> bool:
    """A one-word alias between other capitalised name words the knowledge does not know ("Loh Hoon
    Sun" is not Geoff Hoon): the NER missed a name, and the alias is only a piece of it."""
    if part.end - part.start != 1:
        return False

    def name_word(i: int) -> bool:
        token = doc[i]
        return (
            0 <= i < len(doc)
            and i not in taken
            and token.pos_ == "PROPN"
            and token.text[:1].isupper()
            and token.is_alpha
            and len(token.text) > 1
        )

    before = part.start - 1
    return (before >= 0 and not doc[part.start].is_sent_start and name_word(before)) or (
        part.end < len(doc) and name_word(part.end)
    )


def _names_a_thing(doc: Doc, part: Part) -> bool:
    """A place word that only names an agreement, a negotiating round or a club ("the Berne Agreement",
    "the Uruguay round", "the Paris club", "a Dutch auction"): no actor of that country speaks there."""
    after = part.end + (part.end < len(doc) and doc[part.end].is_space)  # "the Paris\naccords"
    return (
        part.entry.part in PLACE_PARTS
        and after < len(doc)
        and doc[after].lower_ in THING_NOUNS
        and doc[after].pos_ in NOUN_POS
    )


def _name_words(name: str) -> list[str]:
    """The words of a name, lower-cased, without accents, dots or hyphens ("Chun Doo-hwan": chun doo hwan)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[\s\-.]+", plain.lower()) if w]


def _name_fits(written: str, person: Person) -> bool:
    """True when every word of a written name belongs to the known person's name (initials and
    suffixes aside): an alias found inside a longer name does not name its owner when the other words
    are someone else's ("Qassem Ahmed Taqi" is not Naim Qassem, "Loh Hoon Sun" not Geoff Hoon)."""
    own = set(_name_words(person.name))
    return all(w in own or len(w) == 1 or w in NAME_SUFFIXES for w in _name_words(written))


def _after_stance_prefix(doc: Doc, start: int) -> bool:
    """True for "pro-Russian", "anti-American": a stance towards a country, not its nationality."""
    return (
        start >= 2
        and doc[start - 1].text in ("-", "–")
        and doc[start - 2].lower_ in STANCE_PREFIXES
        and not doc[start - 2].whitespace_
        and not doc[start - 1].whitespace_
    )


def _person_entry(person: Person) -> Entry:
    return Entry(
        person.name, person.name, person.country, "person", "person", None, "office_holders", person=person
    )


# --------------------------------------------------------------------------- mentions from parts


def _group(doc: Doc, parts: list[Part]) -> list[list[Part]]:
    groups: list[list[Part]] = []
    for part in parts:
        if groups and _joins(doc, groups[-1], part):
            groups[-1].append(part)
        else:
            groups.append([part])
    return groups


def _joins(doc: Doc, group: list[Part], part: Part) -> bool:
    """Whether ``part`` continues the mention that ``group`` is building."""
    last = group[-1]
    if last.via_of:
        return False
    if last.type == "person":  # "Gaddafi's forces", "the Biden administration", "the Assad regime"
        between = [t.text for t in doc[last.end : part.start]]
        return part.type == "role" and between in ([], ["'s"], ["’s"]) and _modifies(doc[last.end - 1], part)
    if part.type == "person" and any(p.type == "person" for p in group):
        return False
    gap = list(doc[last.end : part.start])
    if any(t.is_sent_start for t in doc[last.end : part.start + 1]):
        return False
    if any(t.is_space and not _soft_wrap(t) for t in gap) or any(
        "\n" in t.text_with_ws and not _soft_wrap(t) for t in doc[last.start : last.end]
    ):
        return False
    gap = [t for t in gap if not t.is_space]
    words = [t.lower_ for t in gap]
    if last.type == "modifier":
        return part.type in ("actor", "role") and words in ([], ["-"])
    if part.type == "actor":
        return last.type == "role" and _joins_after_role(doc, group, part, words)
    if not gap:
        if last.type == "actor" and part.type in ("role", "title") and _has(doc, "DEP"):
            return _modifies(doc[last.end - 1], part)  # "US secretary", not "gave Russia troops"
        return not (last.type == "actor" and part.type == "person")
    if gap[0].text in POSSESSIVE_MARKERS:
        if last.type != "actor" or part.type not in ("role",) or _names_an_ally(doc, part):
            return False
        gap = gap[1:]
        words = words[1:]
    if not gap:
        return True
    if part.type != "role":
        return False
    if last.type == "actor" and len(gap) >= 2 and gap[0].tag_ == "HYPH" and gap[1].tag_ in ("VBN", "VBD"):
        if gap[1].lower_ not in LEADING_PARTICIPLES:
            return False  # "Iranian-backed militias" are not Iranian

    if len(gap) <= MAX_GAP_TOKENS and all(
        _is_gap_modifier(t) or _names_the_role(t, gap[0].i, part) for t in gap
    ):
        return True
    head_words = set(part.entry.form.lower().split())
    return (
        bool(head_words & PORTFOLIO_HEADS)
        and len(gap) <= MAX_PORTFOLIO_WORDS
        and all(t.is_title or t.lower_ in ("and", "&") for t in gap)
    )


def _soft_wrap(token: Token) -> bool:
    """A line break inside running text (wire copy wrapped at a fixed width: "Deputy Foreign Minister\\nRyohei
    Murata"), not a paragraph break (an indented or blank next line) nor the end of a heading line."""
    if not token.is_space or token.text.strip(" ") != "\n" or not token.text.endswith("\n"):
        return False
    words = 0
    for before in reversed(token.doc[: token.i]):
        if "\n" in before.text_with_ws:
            break
        words += not (before.is_space or before.is_punct)
    return words > HEADING_MAX_TOKENS


def _names_an_ally(doc: Doc, part: Part) -> bool:
    """ "Russia's allies", "Iran's proxies", "Israel's militia ally": someone else, on X's side."""
    last = doc[part.end - 1]
    if last.lower_ in ALLY_WORDS:
        return True
    return (
        _has(doc, "DEP")
        and last.dep_ in ("compound", "amod", "nmod")
        and last.head.i >= part.end
        and last.head.lower_ in ALLY_WORDS
    )


def _modifies(token: Token, part: Part) -> bool:
    """Whether ``token`` (or the first conjunct it is coordinated with) modifies the phrase at ``part``."""
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head
    return token.head.i >= part.start or token.dep_ in GAP_DEPS or token.dep_ == "poss"


def _names_the_role(token: Token, gap_start: int, part: Part) -> bool:
    """A capitalised word that modifies the role after it ("Sandinista" in "the Sandinista government")."""
    return (
        token.dep_ in ("amod", "compound", "nmod")
        and gap_start <= token.head.i < part.end
        and token.i < token.head.i
    )


def _is_gap_modifier(token: Token) -> bool:
    if token.lower_ in RANK_WORDS or token.tag_ == "HYPH":
        return True
    return token.is_lower and (token.pos_ in GAP_POS or token.dep_ in GAP_DEPS)


def _joins_after_role(doc: Doc, group: list[Part], part: Part, words: list[str]) -> bool:
    """Joins "the president of Russia", and "rebels in the Ivory Coast" for domestic sectors only."""
    if part.end < len(doc) and doc[part.end].text in POSSESSIVE_MARKERS:
        return False  # "the chief of Israel's militia": Israel belongs to the militia
    if any(p.type in ("actor", "person") for p in group):
        return False
    entry = part.entry
    if entry.kind not in ACTOR_KINDS or entry.part in ("adjective", "demonym"):
        return False
    if words in ([p] for p in LINKING_PREPOSITIONS) or words in ([p, "the"] for p in LINKING_PREPOSITIONS):
        part.via_of = True
        return True
    role = group[-1].entry
    if (
        (
            words in ([p] for p in DOMESTIC_PREPOSITIONS)
            or words in ([p, "the"] for p in DOMESTIC_PREPOSITIONS)
        )
        and role.sector in DOMESTIC_SECTORS
        and entry.kind == "country"
        and entry.part == "name"
    ):
        part.via_of = True
        return True
    return False


def _mention(
    doc: Doc, group: list[Part], knowledge: Knowledge, day: date | None, sentence_of: list[int]
) -> Mention | None:
    if all(p.type in ("title", "modifier") for p in group):
        return None
    start, end = group[0].start, group[-1].end
    while start > 0 and doc[start - 1].lower_ in FRONT_WORDS and _attached_inside(doc[start - 1], start, end):
        start -= 1
    person = next((p for p in group if p.type == "person"), None)
    possessor = None
    if person is not None and group[-1] is not person:  # "Gaddafi's forces": the person only gives the code
        possessor, person = person, None
        group = [p for p in group if p is not possessor]
    actors = [p for p in group if p.type == "actor"]
    roles = [p for p in group if p.type == "role"]
    titles = [p for p in group if p.type == "title"]
    head_part = person or next((p for p in reversed(group) if not p.via_of), group[-1])
    mention = Mention(
        token_start=start,
        token_end=end,
        head=_span_head(doc, start, end, head_part.end - 1),
        sentence=sentence_of[group[0].start],
        kind="role",
        text=doc[start:end].text,
    )
    mention.definite = doc[start].lower_ == "the"
    hows: list[str] = []
    # 1. what the text says: a country or organization ...
    actor_sector = None
    if actors:
        carrier = next((p for p in actors if p.via_of), actors[-1])
        entry = carrier.entry
        mention.code, mention.name, mention.kind = entry.code, entry.name, entry.kind
        mention.code_from_text = entry.code is not None
        actor_sector = entry.sector_on(day)
        hows.append(f"{entry.source}:{doc[carrier.start : carrier.end].text.lower()}")
    if possessor is not None and not actors:
        owner = _choose_person([e.person for e in possessor.entries if e.person is not None], day)
        if owner is not None:
            mention.code, mention.code_from_text = owner.on(day)[0], True
            mention.name = knowledge.country_name(mention.code) or mention.code
            hows.append(f"office_holders:{doc[possessor.start : possessor.end].text.lower()}")
    # ... then roles: the head role's sector, unless it yields to a modifier's
    sector = actor_sector
    if roles:
        head_role = roles[-1].entry
        mention.kind = "role"
        mention.head_role = head_role
        mention.counterpart = head_role.office == "counterpart"
        has_office = bool(head_role.office) and not mention.counterpart
        mention.office_key = (head_role.office or "") if has_office else ""
        mention.office = doc[roles[-1].start : roles[-1].end].text.lower() if has_office else None
        mention.singular = doc[roles[-1].end - 1].tag_ not in ("NNS", "NNPS")
        mention.human = head_role.part == "person"
        modifier_sectors = [r.entry.sector for r in roles[:-1] if r.entry.sector] + (
            [actor_sector] if actor_sector else []
        )
        decided = next((s for s in reversed(modifier_sectors) if head_role.yields_to(s)), None)
        sector = decided or head_role.sector or (modifier_sectors[-1] if modifier_sectors else None)
        hows.append(f"roles:{doc[roles[-1].start : roles[-1].end].text.lower()}")
    elif titles and not person:
        sector = sector or titles[-1].entry.sector
    mention.sector_from_text = sector is not None
    mention.sector = sector
    # 2. a person: what the text says wins; the office-holders file fills the rest
    if person is not None:
        mention.kind = "person"
        mention.human = True
        mention.singular = True
        mention.person_text = doc[person.start : person.end].text
        mention.name = mention.person_text
        mention.gender = next(
            (TITLE_GENDERS[doc[t.start].lower_] for t in titles if doc[t.start].lower_ in TITLE_GENDERS), ""
        )
        title_sector = next((t.entry.sector for t in titles if t.entry.sector), None)
        chosen = _choose_person([e.person for e in person.entries if e.person is not None], day)
        if chosen is not None:
            code, k_sector, k_office, _status = chosen.on(day)
            mention.person, mention.name = chosen, chosen.name
            mention.gender = mention.gender or chosen.gender
            if not mention.code_from_text:
                mention.code = code
                hows.append("office_holders")
            if not mention.sector_from_text:
                mention.sector = k_sector
            mention.office = mention.office or k_office
            term = chosen.term_on(day)
            mention.office_key = mention.office_key or (term.office if term else "")
        elif person.entries and not mention.code_from_text:
            countries = {e.person.country for e in person.entries if e.person is not None}
            if len(countries) == 1:  # "President Bush" between two terms: the country is still known
                mention.code = countries.pop()
                hows.append("office_holders")
        if not mention.sector_from_text and mention.sector is None and title_sector:
            mention.sector, mention.sector_from_text = title_sector, True
        if roles or (actors and mention.code_from_text):
            mention.fixed_by_role = True
            role_text = doc[start : person.start].text.strip(" ,")
            mention.how = f"role:{role_text}"
        elif mention.code is not None:
            mention.how = "knowledge:office_holders"
        else:
            mention.how = "ner:PERSON"
    elif (
        mention.kind == "role"
        and mention.office_key
        and not any(r.entry.yields for r in roles[-1:])
        and mention.code
    ):
        # "the Russian president": the holder of that office on the story date names the mention
        held = knowledge.holder(mention.code, mention.office_key, day)
        if held is not None:
            mention.name, mention.person = held[0].name, held[0]
            mention.gender = held[0].gender
            hows.append("office_holders")
    elif mention.kind == "role" and mention.code is not None and not mention.name:
        mention.name = knowledge.country_name(mention.code)
    if not mention.how:
        mention.how = "knowledge:" + "+".join(hows) if hows else "unresolved"
    # 3. a former office-holder is ELI
    if _is_former(doc, group) and (mention.sector in OFFICIAL_SECTORS or mention.office_key):
        mention.sector = "ELI"
        mention.office = f"former {mention.office}" if mention.office else None
    if mention.code is None and mention.name is None and mention.kind in ACTOR_KINDS and actors:
        mention.name = actors[-1].entry.name
    if len(group) == 1 and actors and actors[0].entry.part == "demonym":
        mention.people_noun = doc[end - 1].tag_ in ("NNS", "NNPS") or doc[end - 1].lower_.endswith("s")
        _people_of(doc, mention)
    return mention


def _people_of(doc: Doc, mention: Mention) -> None:
    """A people noun on its own ("Ghanaians", "two Britons") names people, not their state: CVL.

    "The Russians" (definite) may stand for the state and is left to the events stage; "ethnic
    Albanians" names an ethnic community, coded by the country it lives in (which the text gives
    elsewhere), so the people noun's own country is dropped.
    """
    if mention.definite:
        return
    before = doc[mention.token_start - 1] if mention.token_start > 0 else None
    if before is not None and before.lower_ in ETHNIC_WORDS:
        mention.token_start -= 1
        mention.text = doc[mention.token_start : mention.token_end].text
        mention.code, mention.name, mention.code_from_text = None, None, False
        mention.how += "+ethnic"
    mention.kind, mention.human = "role", True
    mention.sector, mention.sector_from_text = "CVL", True
    mention.singular = doc[mention.token_end - 1].tag_ not in ("NNS", "NNPS")


def _attached_inside(token: Token, start: int, end: int) -> bool:
    return not _has(token.doc, "DEP") or start <= token.head.i < end


def _span_head(doc: Doc, start: int, end: int, fallback: int) -> int:
    """The token of ``doc[start:end]`` the rest hangs from, by the parse; else ``fallback``."""
    if not _has(doc, "DEP"):
        return fallback
    tops = [t.i for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i]
    return tops[0] if len(tops) == 1 else fallback


def _is_former(doc: Doc, group: list[Part]) -> bool:
    if any(p.type == "modifier" for p in group):
        return True
    first = group[0].start
    return (
        first >= 2 and doc[first - 1].text in ("-", "–") and doc[first - 2].lower_ in HYPHEN_PREFIX_MODIFIERS
    )


def _choose_person(people: list[Person], day: date | None) -> Person | None:
    """The one person a name points to on ``day``; None when it stays ambiguous."""
    unique = list(dict.fromkeys(people))
    if len(unique) <= 1:
        return unique[0] if unique else None
    serving = [p for p in unique if p.in_office(day)]
    if len(serving) == 1:
        return serving[0]
    return None


def _line_start(doc: Doc, i: int) -> bool:
    """Token ``i`` begins a line (or the text)."""
    return i == 0 or "\n" in doc[i - 1].text_with_ws or (doc[i - 1].is_space and "\n" in doc[i - 1].text)


def _dateline_at(doc: Doc, i: int) -> int:
    """The end of a dateline that begins at token ``i`` ("WELLINGTON - ", "NEW YORK - ", "BEIRUT, March 5
    -", "BRUNSWICK, West Germany - "), or ``i`` when there is none. Only a line's start can hold one."""
    if not _line_start(doc, i):
        return i
    j = i
    while j < len(doc) and j - i < DATELINE_MAX_TOKENS and doc[j].text.isupper() and len(doc[j].text) > 1:
        j += 1
    if j == i or not any(t.is_alpha for t in doc[i:j]):
        return i
    if j < len(doc) and doc[j].text == ",":
        k = j + 1
        while (
            k < len(doc) and k - j <= DATELINE_MAX_TOKENS and (doc[k].text[:1].isupper() or doc[k].is_digit)
        ):
            k += 1
        j = k
    if j < len(doc) and doc[j].text in DATELINE_DASHES and doc[j].whitespace_:
        return j + 1
    return i


def _datelines(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Token spans of the datelines that open a story or the items of a highlights story."""
    found = []
    for match in DATELINE_START.finditer(text):
        span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if span is None:
            continue
        end = _dateline_at(doc, span.start)
        if end > span.start:
            found.append((span.start, end))
    return found


def _story_items(doc: Doc, text: str, datelines: list[tuple[int, int]]) -> list[int]:
    """The item number of every token: a news-highlights story ("REUTER WORLD NEWS HIGHLIGHTS") strings
    unrelated items together, each opened by a dateline or set off by a line of dashes ("- - - -",
    "---"). A plain story is one item."""
    starts = {start for start, _ in datelines}
    for match in ITEM_RULE.finditer(text):
        span = doc.char_span(match.start(), match.start() + 1, alignment_mode="expand")
        if span is not None:
            starts.add(span.start)
    index = [0] * len(doc)
    for number, start in enumerate(sorted(starts - {0}), start=1):
        index[start:] = [number] * (len(doc) - start)
    return index


def _sentence_index(doc: Doc) -> list[int]:
    """The sentence number of every token (0 for all when the Doc has no sentence boundaries)."""
    if not (_has(doc, "DEP") or doc.has_annotation("SENT_START")):
        return [0] * len(doc)
    index = []
    number = -1
    for flag in doc.to_array([SENT_START]).tolist():  # 1 starts a sentence (as doc.sents reads it)
        number += flag == 1
        index.append(max(number, 0))
    return index


# --------------------------------------------------------------------------- linking across the story


def _merge_apposition(role: Mention, person: Mention) -> None:
    """An appositive pair ("The Belarusian president, Alexander Lukashenko"): each side fills the other."""
    if role.code and not person.code_from_text:
        person.code, person.code_from_text = role.code, True
        person.fixed_by_role = True
        person.how = f"appositive:{role.text}"
    if role.sector and not person.sector_from_text:
        person.sector, person.sector_from_text = role.sector, True
    if role.office and not person.office:
        person.office = role.office
    person.office_key = person.office_key or role.office_key
    if person.name:
        role.name = person.name
        role.person = person.person
    if not role.code and person.code:
        role.code, role.how = person.code, f"appositive:{person.text}"
    role.sector = role.sector or person.sector
    role.gender = role.gender or person.gender


def _link_appositives(doc: Doc, mentions: list[Mention]) -> None:
    parsed = _has(doc, "DEP")
    for a, b in pairwise(mentions):
        if a.sentence != b.sentence or {a.kind, b.kind} != {"person", "role"}:
            continue
        between = [t.text for t in doc[a.token_end : b.token_start]]
        linked = parsed and (
            (doc[b.head].dep_ == "appos" and a.token_start <= doc[b.head].head.i < a.token_end)
            or (doc[a.head].dep_ == "appos" and b.token_start <= doc[a.head].head.i < b.token_end)
        )
        if not (linked or (between[:1] == [","] and all(w.lower() in HONORIFICS for w in between[1:]))):
            continue
        role, person = (a, b) if a.kind == "role" else (b, a)
        if role.singular and role.human:
            _merge_apposition(role, person)


def _roles_of_groups(doc: Doc, mentions: list[Mention]) -> None:
    """A role whose sector is only a default takes the sector of the group it heads: "the chief of the
    militia" is a rebel, "the spokesman of the army" military. Only the sector: whose group it is stays
    with the text ("the deputy chief of Israel's militia ally" is not an Israeli)."""
    if not _has(doc, "DEP"):
        return
    by_token = {i: m for m in mentions for i in range(m.token_start, m.token_end)}
    for m in mentions:
        if m.kind != "role" or m.head_role is None or not m.head_role.yields:
            continue
        for prep in doc[m.head].children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            # the object itself, or the group word that modifies it ("Israel's militia ally")
            heads = objects + [g for c in objects for g in c.children if g.dep_ in ("compound", "nmod")]
            group = next((by_token[t.i] for t in heads if t.i in by_token), None)
            if group is not None and group is not m and m.head_role.yields_to(group.sector):
                m.sector = group.sector
                m.how = f"{m.how}+of:{group.text}"


def _share_coordinated_roles(doc: Doc, mentions: list[Mention]) -> None:
    """A bare country coordinated with a role ("US and British forces") shares the role."""
    for a, b in pairwise(mentions):
        between = [t.lower_ for t in doc[a.token_end : b.token_start]]
        if (
            a.kind in ("country", "igo", "group")
            and b.kind == "role"
            and b.code_from_text
            and between
            and all(w in CONJUNCTIONS for w in between)
            and a.sentence == b.sentence
            and doc[b.token_end - 1].tag_ in ("NNS", "NNPS")
            and any(
                t.dep_ == "conj" and a.token_start <= t.head.i < a.token_end
                for t in doc[b.token_start : b.token_end]
            )
        ):
            a.kind, a.sector, a.office_key = "role", b.sector, b.office_key
            a.singular, a.human = False, b.human
            a.how = f"{a.how}+shared:{doc[b.token_start : b.token_end].text.lower()}"


def _surname(text: str) -> str:
    return normalize(text).lower().split(" ")[-1]


def _story_surnames(doc: Doc, mentions: list[Mention], sentence_of: list[int]) -> list[Mention]:
    """Bare surnames of people the story introduced, where the NER did not tag them as persons."""
    introduced: dict[str, int] = {}
    for m in mentions:
        if m.kind == "person" and m.person_text and (m.fixed_by_role or m.person is not None):
            introduced.setdefault(_surname(m.person_text), m.token_end)
    if not introduced:
        return []
    covered = {i for m in mentions for i in range(m.token_start, m.token_end)}
    out = []
    for token in doc:
        first = introduced.get(token.lower_)
        if first is None or token.i < first or token.i in covered or not token.text[:1].isupper():
            continue
        if _has(doc, "TAG") and token.pos_ != "PROPN":
            continue
        out.append(
            Mention(
                token.i,
                token.i + 1,
                token.i,
                sentence_of[token.i],
                "person",
                text=token.text,
                name=token.text,
                person_text=token.text,
                human=True,
                how="ner:PERSON",
            )
        )
    return out


def _main_country(mentions: list[Mention], knowledge: Knowledge, places: list[str]) -> str | None:
    """The country most mentions (and the dateline) name, when it is clear (see MAIN_COUNTRY_MARGIN)."""
    counts = Counter(
        m.code
        for m in mentions
        if m.code in knowledge.country_names and m.kind in ("country", "capital", "role")
    )
    counts.update(places)
    ranked = counts.most_common(2)
    if (
        ranked
        and ranked[0][1] >= MAIN_COUNTRY_MIN_MENTIONS
        and (len(ranked) == 1 or ranked[0][1] >= MAIN_COUNTRY_MARGIN * ranked[1][1])
    ):
        return ranked[0][0]
    return None


def _resolve_from_story(
    doc: Doc,
    mentions: list[Mention],
    knowledge: Knowledge,
    day: date | None,
    item_of: list[int],
    places: list[tuple[int, str]],
) -> None:
    """Later short names, and bare offices ("the president"), take the actor the story gave them; a named
    official whose country the text does not state ("Finance Minister Dilson Funaro") is of the story's
    main country. In a news-highlights story each item is a story of its own."""
    items = sorted({item_of[m.token_start] for m in mentions})
    mains = {
        i: _main_country(
            [m for m in mentions if item_of[m.token_start] == i], knowledge, [c for k, c in places if k == i]
        )
        for i in items
    }
    settings = [  # "In Paris, ...": the place a sentence is set in
        m
        for m in mentions
        if m.kind in ("country", "capital")
        and m.code in knowledge.country_names
        and m.token_start > 0
        and doc[m.token_start - 1].lower_ == "in"
    ]
    people: dict[str, Mention] = {}  # full name or surname -> the first mention that fixed the person
    offices: dict[str, Mention] = {}  # office key -> the latest person (or named role) holding it
    named_roles: dict[str, Mention] = {}  # office key -> the latest role mention that introduced one
    for m in mentions:
        main = mains.get(item_of[m.token_start])
        if m.kind == "person" and m.person_text:
            key_full, key_last = normalize(m.person_text).lower(), _surname(m.person_text)
            source = people.get(key_full) or people.get(key_last)
            if m.name and m.person is not None:
                source = source or people.get(normalize(m.name).lower())
            if source is not None and not m.fixed_by_role and source is not m:
                _inherit(m, source, f"story-role:{source.text}")
            if (
                m.fixed_by_role
                and m.code is None
                and m.person is None
                and m.sector in STORY_COUNTRY_SECTORS
                and main is not None
                and _state_title(doc, m)
                and not any(
                    c.sentence == m.sentence and c.token_start < m.token_start and c.code != main
                    for c in settings
                )
            ):
                # "In Paris, trade minister Michel Noir said" is no minister of the main country
                # "Finance Minister Dilson Funaro" in a story about Brazil: an official of the story's country
                m.code, m.name = main, m.name or m.person_text
                m.how = f"{m.how}+story-country:{main}"
            if m.fixed_by_role:
                keys = {key_full, key_last, normalize(m.name or "").lower()}
                if m.code in FAMILY_NAME_FIRST:
                    keys.add(key_full.split(" ")[0])  # "chairman Roh Tae-woo" ... "Roh said"
                for key in keys - {""}:
                    people.setdefault(key, m)
            if m.code and m.office_key:
                offices[m.office_key] = m
        elif m.kind == "role" and m.office_key:
            if m.code is None and m.definite and m.singular:
                source = offices.get(m.office_key) or _generic_office(offices, m.office_key)
                earlier = named_roles.get(m.office_key)
                if source is None and earlier is not None and earlier.code is not None:
                    source = earlier  # "the U.S. Embassy said ... the embassy estimated"
                sole = knowledge.sole_code(m.office_key)
                held_sole = knowledge.holder(sole, m.office_key, day) if sole is not None else None
                if source is not None:
                    _inherit(m, source, f"story-role:{source.text}")
                elif held_sole is not None:
                    # "the Pope": an office only one state has ever had needs no story country
                    person, term = held_sole
                    m.code, m.name, m.person, m.gender = term.code, person.name, person, person.gender
                    m.sector = m.sector or term.sector
                    m.how = "office_holders:sole-office"
                elif earlier is not None and earlier.sector not in OFFICIAL_SECTORS:
                    # "a company spokesman said ... the spokesman said": the same non-state person, whose
                    # country the story did not give -- not an official of the story's main country
                    m.sector, m.how = earlier.sector, f"story-role:{earlier.text}"
                elif main is not None:
                    # the story's main country is clear: its office, and its holder on the story date if known
                    m.code, m.name, m.how = main, knowledge.country_name(main), f"story-country:{main}"
                    held = knowledge.holder(main, m.office_key, day)
                    if held is not None:
                        person, term = held
                        m.code, m.name, m.person, m.gender = term.code, person.name, person, person.gender
                        m.sector = m.sector or term.sector
                        m.how = f"story-country:{main}+office_holders"
            elif m.code and (m.name and m.person is not None):
                offices[m.office_key] = m
            if not (m.code is None and m.definite):
                named_roles[m.office_key] = m


def _state_title(doc: Doc, m: Mention) -> bool:
    """A named person's role is a state office: a minister ("Agriculture Minister Moven Mahachi"), or a
    title written as one ("President Hossain Mohammad Ershad"), not a company's or a body's officer
    ("president Grant Reuber", "bank Vice-President S. Stanley Katz", "Supervisory Office President")."""
    if "minister" in (m.office or "") or "minister" in m.office_key:
        return True
    first = doc[m.token_start]
    before = doc[m.token_start - 1] if m.token_start > 0 else None
    return first.text[:1].isupper() and not (
        before is not None
        and before.pos_ in NOUN_POS
        and not before.is_sent_start
        and before.head.i >= m.token_start
    )


def _generic_office(offices: dict[str, Mention], key: str) -> Mention | None:
    """A bare "the minister" refers to the latest minister of any portfolio the story named."""
    if key != "minister":
        return None
    found = [m for k, m in offices.items() if k.endswith("minister")]
    return max(found, key=lambda m: m.token_start) if found else None


def _inherit(m: Mention, source: Mention, how: str) -> None:
    m.code, m.name, m.how, m.person = source.code, source.name, how, source.person
    if not m.sector_from_text:
        m.sector = source.sector
    if m.kind == "person" or not m.office:
        m.office = source.office
        m.office_key = m.office_key or source.office_key
    m.gender = m.gender or source.gender


# --------------------------------------------------------------------------- pronouns


def _role_of(doc: Doc, m: Mention) -> str:
    """The grammatical role of a mention: its head's dependency, seen through appositions and conjuncts."""
    return _governing(doc, m).dep_


def _governing(doc: Doc, m: Mention) -> Token:
    token = doc[m.head]
    while token.dep_ in ("appos", "conj") and token.head.i != token.i:
        token = token.head
    return token


def _clause_head(doc: Doc, m: Mention) -> Token:
    """The verb whose argument the mention is."""
    return _governing(doc, m).head


def _resolve_pronouns(doc: Doc, mentions: list[Mention], sentence_of: list[int]) -> list[Mention]:
    """He, him, his, she, her, they, them, their and "the two" -> the person(s) they stand for.

    The rule: candidates are person mentions (and singular office-holders; for plural pronouns, plural
    role nouns and pairs of coordinated persons) in the pronoun's sentence before it, else in the
    sentence before. Within the nearest sentence with a candidate, subjects are preferred, then the
    most recent. A pronoun cannot be a co-argument of its own verb ("he challenged him"), nor, as the
    subject of a verb of saying, a person inside the clause it reports ("'Putin will ...', he said").
    """
    if not _has(doc, "DEP"):
        return []
    singles = [
        m
        for m in mentions
        if (m.kind == "person" or (m.kind == "role" and m.human and m.office_key and m.code)) and m.singular
    ]
    plurals = [
        m
        for m in mentions
        if m.code
        and ((not m.singular and (m.human or m.kind in ("group", "role"))) or _definite_people(doc, m))
    ]
    pairs = _coordinated_pairs(doc, mentions)
    resolved: list[tuple[Token, Mention]] = []
    out: list[Mention] = []
    for token in doc:
        lower = token.lower_
        if lower in SINGULAR_PRONOUNS and token.tag_ in ("PRP", "PRP$"):
            gender = SINGULAR_PRONOUNS[lower]
            pool = [m for m in singles if m.gender in ("", gender)]
        elif lower in PLURAL_PRONOUNS and token.tag_ in ("PRP", "PRP$"):
            pool = plurals + pairs
        elif (
            lower == "two"
            and token.i > 0
            and doc[token.i - 1].lower_ == "the"
            and token.dep_ not in ("nummod",)
        ):
            pool = pairs or _recent_pair(mentions, sentence_of[token.i])
        else:
            continue
        excluded = {
            _identity(ref) for other, ref in resolved if other.head.i == token.head.i and other.i != token.i
        }
        antecedent = _antecedent(doc, token, pool, excluded, sentence_of)
        start = token.i - 1 if lower == "two" else token.i
        if antecedent is None:
            continue
        resolved.append((token, antecedent))
        if antecedent.code is None:
            continue  # the nearest person is one the story gives no country: the pronoun is theirs, uncoded
        written = doc[start : token.i + 1].text
        pronoun = Mention(start, token.i + 1, token.i, sentence_of[token.i], "pronoun", text=written)
        members = antecedent.members or [antecedent]
        pronoun.members = [
            Mention(
                start,
                token.i + 1,
                token.i,
                sentence_of[token.i],
                "pronoun",
                text=written,
                name=a.name,
                code=a.code,
                office_key=a.office_key,
                sector=a.sector,
                office=a.office,
                how=f"coref:{a.text}",
                singular=len(members) == 1,
            )
            for a in members
        ]
        if len(members) == 1:
            pronoun = pronoun.members[0]
            pronoun.members = []
        out.append(pronoun)
    return out


def _antecedent(
    doc: Doc, token: Token, pool: list[Mention], excluded: set[tuple[str, str]], sentence_of: list[int]
) -> Mention | None:
    sentence = sentence_of[token.i]
    for s in range(sentence, max(-1, sentence - PRONOUN_LOOKBACK_SENTENCES - 1), -1):
        here = [
            c
            for c in pool
            if c.sentence == s
            and c.token_end <= token.i
            and _identity(c) not in excluded
            and not (s == sentence and _bound_in_clause(doc, token, c))
        ]
        if here:
            subjects = [c for c in here if _role_of(doc, c) in SUBJECT_DEPS]
            # the speaker of the sentence before, not a person inside what they said ("Haughey said:
            # 'Delors assured me ...' ... he added" is Haughey)
            main = [c for c in subjects if s != sentence and _clause_head(doc, c).dep_ == "ROOT"]
            return max(main or subjects or here, key=lambda c: c.token_start)
    return None


def _definite_people(doc: Doc, m: Mention) -> bool:
    """ "The Japanese", "the West Germans": a people noun standing for the state, a plural antecedent."""
    return m.definite and m.people_noun


def _coordinated_pairs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Two coordinated persons ("Mr Kerry and Mr Lavrov"): one plural antecedent."""
    pairs = []
    people = [m for m in mentions if m.kind == "person" and m.code]
    for a, b in pairwise(people):
        between = [t.lower_ for t in doc[a.token_end : b.token_start]]
        if between == ["and"] and a.sentence == b.sentence:
            pairs.append(_pair_of(a, b, a.sentence))
    return pairs


def _recent_pair(mentions: list[Mention], sentence: int) -> list[Mention]:
    """For "the two" without a coordination: the two most recent distinct persons before it."""
    seen: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        if m.kind == "person" and m.code and sentence - PRONOUN_LOOKBACK_SENTENCES <= m.sentence <= sentence:
            seen[_identity(m)] = m
    recent = sorted(seen.values(), key=lambda m: m.token_start)[-2:]
    if len(recent) < 2:
        return []
    a, b = recent
    return [_pair_of(a, b, b.sentence)]


def _pair_of(a: Mention, b: Mention, sentence: int) -> Mention:
    """One plural mention standing for two people ("Kerry and Lavrov", "the two")."""
    return Mention(
        a.token_start,
        b.token_end,
        a.head,
        sentence,
        "pair",
        text=f"{a.text} and {b.text}",
        code=a.code,
        singular=False,
        human=True,
        members=[a, b],
    )


def _identity(m: Mention) -> tuple[str, str]:
    return ((m.name or m.text).lower(), m.code or "")


def _bound_in_clause(doc: Doc, pronoun: Token, candidate: Mention) -> bool:
    """True when ``candidate`` cannot be the pronoun for syntactic reasons (binding)."""
    cand = doc[candidate.head]
    if pronoun.tag_ == "PRP$":
        return False
    if cand.head.i == pronoun.head.i and cand.i != pronoun.i and cand.dep_ not in ("poss",):
        return True  # co-arguments of one verb: "Kerry challenged him"
    if pronoun.dep_ in SUBJECT_DEPS:
        verb = pronoun.head
        for node in [cand, *cand.ancestors]:
            if node.head.i == verb.i and node.i != verb.i:
                return node.dep_ in REPORTED_CLAUSE_DEPS  # inside what "he said" reports
            if node.i == verb.i:
                break
        if verb.dep_ in REPORTED_CLAUSE_DEPS and verb.head.i != verb.i and verb.lemma_ in REPORTING_VERBS:
            # "X will ..., he said" parsed the other way round: the verb of saying hangs from X's clause
            return any(a.i == verb.head.i for a in [cand, *cand.ancestors]) and cand.i < pronoun.i
    return False


def _resolve_counterparts(doc: Doc, mentions: list[Mention], pronouns: list[Mention]) -> None:
    """A counterpart ("his Russian counterpart") takes the sector and office of the possessor."""
    by_token = {p.token_start: p for p in pronouns if not p.members}
    by_span = {i: m for m in mentions for i in range(m.token_start, m.token_end)}
    for m in mentions:
        if not m.counterpart:
            continue
        owner = None
        for token in doc[m.token_start : m.token_end]:
            if token.lower_ in POSSESSIVE_PRONOUNS and token.i in by_token:
                owner = by_token[token.i]
            elif token.dep_ == "poss" and token.i in by_span and by_span[token.i] is not m:
                owner = by_span[token.i]
        if owner is None:
            continue
        m.sector = m.sector or owner.sector
        m.sector_from_text = m.sector is not None
        m.office_key = m.office_key or owner.office_key
        m.office = m.office or owner.office_key or None
        m.how = f"{m.how}+counterpart-of:{owner.name or owner.text}"


def _resolve_owners(
    doc: Doc, mentions: list[Mention], pronouns: list[Mention], sentence_of: list[int]
) -> None:
    """A role with a possessive and no country ("its troops", "their forces") takes its owner's code."""
    if not _has(doc, "DEP"):
        return
    resolved = {p.token_start: p for p in pronouns if not p.members and p.code}
    owners = [m for m in mentions if m.code and (m.kind in ACTOR_KINDS or (m.kind == "role" and not m.human))]
    for m in mentions:
        first = doc[m.token_start]
        if (
            m.kind != "role"
            or m.code
            or m.sector is None
            or first.tag_ != "PRP$"
            or first.lower_ not in POSSESSIVE_PRONOUNS
        ):
            continue
        owner = resolved.get(first.i)
        if owner is None and first.lower_ in ("its", "their"):
            owner = _antecedent(doc, first, owners, set(), sentence_of)
        if owner is None:
            continue
        m.code, m.name = owner.code, _owner_name(owner)
        if m.head_role is not None and m.head_role.yields_to(owner.sector):
            m.sector = owner.sector  # a rebel leader's "forces" are rebels
        m.how = f"{m.how}+owner:{owner.text}"


def _owner_name(m: Mention) -> str | None:
    """The entity name a role takes from its owner: the owner's country or organization."""
    return m.name if m.kind in ACTOR_KINDS else None


# =========================================================================== the component


class ActorResolver:
    """The ``flashpoint_actors`` component: :func:`find_actor_mentions`, then ``set_annotations``."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, find_actor_mentions(doc, self.knowledge, parse_anchor(doc._.fp_anchor)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    @staticmethod
    def set_annotations(doc: Doc, mentions: list[dict[str, Any]]) -> None:
        doc._.fp_actors = mentions


@Language.factory(
    "flashpoint_actors",
    requires=["doc.ents", "token.dep", "token.lemma"],
    assigns=["doc._.fp_actors"],
    default_config={"user_file": ""},
)
def make_actor_resolver(nlp: Language, name: str, user_file: str) -> ActorResolver:
    """Build the component; ``user_file`` is an optional YAML/CSV file extending the knowledge."""
    return ActorResolver(load_knowledge(user_file))
