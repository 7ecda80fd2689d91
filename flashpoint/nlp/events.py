"""Events: find trigger words, fill their actor and recipient from the parse, and code them in PLOVER.

This component reads what the earlier stages left on the Doc (actor mentions, time expressions,
places) and writes ``doc._.fp_events``. It does three things, in order:

1. ``find_candidates(doc, lexicon, index)``: every verb or noun whose lemma and syntactic frame
   fit a lexicon entry becomes a :class:`Candidate` (trigger token, entry, actor and recipient
   mentions, modality). Nouns that carry the event under a support verb ("held talks",
   "imposed sanctions") take the verb's subject as their actor.
2. Candidates without an actor are dropped, and two candidates of one sentence with the same type,
   actor and recipient are merged (the first keeps the evidence).
3. ``build_events`` turns the rest into :class:`~flashpoint.records.Event` dicts with the date and
   location that govern the trigger.

The decisions a reader will want to check (all general rules, none tied to a sentence):
- The actor is the subject (or the ``by`` agent of a passive verb or of a noun, a possessive, or a
  nationality adjective on the trigger noun); the recipient is the direct or indirect object when
  it names an actor, else the first prepositional complement that names one.
- "A and B agreed" gives one event with both as actor and no recipient (PLOVER's compound actors).
- A negated trigger keeps its type with modality ``negated``, except entries marked ``neg:TYPE``
  ("did not accept" is a REJECT).
- Clauses under a request, threat, refusal or agreement verb are that verb's content, not events of
  their own; clauses under a proposal or an ``if`` are coded as ``hypothetical``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..ontology import event_scale, quad_code
from ..records import Actor, Event, Place, TextInfo
from . import extensions  # noqa: F401  (registers doc._.fp_*)
from .lexicon import Condition, Lexicon, Trigger, load_lexicon

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
# Prepositions whose complement can be an event's recipient, in order of preference.
RECIPIENT_PREPS = (
    "against",
    "on",
    "with",
    "to",
    "at",
    "into",
    "toward",
    "towards",
    "upon",
    "over",
    "from",
    "for",
    "behind",
    "between",
    "of",
    "outside",
)
COUNTRY_KINDS = {"country", "capital", "role", "person", "bloc"}  # mentions that carry a country of their own
# A story's most-named country stands in for unplaced people only when it has this share of mentions.
STORY_COUNTRY_SHARE = 0.6
# Events between equals: compound actors of these types are split into a dyad.
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE", "ASSAULT", "SUPPORT", "REJECT"}
NAME_KINDS = {
    "igo",
    "ngo",
    "group",
    "person",
    "bloc",
    "country",
    "capital",
}  # mentions whose words are a name
OUTWARD_TYPES = {"MOBILIZE"}  # a country mobilises its own forces against or towards others
# Roles that name the other side of a relation: never placed by context.
RELATIONAL_WORDS = {
    "its",
    "their",
    "his",
    "her",
    "ally",
    "allies",
    "counterpart",
    "counterparts",
    "neighbour",
    "neighbor",
    "neighbours",
    "neighbors",
    "rival",
    "rivals",
    "partner",
    "partners",
    "enemy",
    "enemies",
    "foe",
    "foes",
    "adversary",
    "adversaries",
    "powers",  # "six world powers": many countries, none of them the context's
    "opponent",
    "opponents",
}
# With no target named, aimed at the actor's own country: this sector of it.
# Acts only a state's authorities do: an agentless "were arrested" was done by the police of the place.
AUTHORITY_TYPES = {"COERCE"}
# Crowds whose violence is a riot, PLOVER's PROTEST 'riot', rather than an armed assault.
RIOTERS = {"rioters", "rioter", "protesters", "protester", "demonstrators", "demonstrator", "mob", "mobs"}
# Modes of a type the events stage changed a trigger's type to.
SHIFTED_MODES = {("ASSAULT", "PROTEST"): "riot", ("ASSAULT", "MOBILIZE"): "troops"}
# Verbs whose to-clause is done by their subject to their object ("summoned the envoy to protest").
SUMMONING_VERBS = {"summon"}
# Fighting words whose compound subject fights itself ("troops and rebels clashed").
MUTUAL_FIGHTING = {"clash", "fight", "battle", "skirmish", "exchange", "fighting", "clashes"}
# Sectors whose unnamed members are of the country where their clause happens.
PLACED_SECTORS = {"COP", "REB", "CVL", "OPP", "LAB", "JUD", "LEG", "PTY", "AGR", "EDU", "MED", "CRM", "BUS"}
# Verbal acts about a material act elsewhere take that place's country as recipient when none is named.
CONTENT_PLACE_TYPES = {"REJECT", "AGREE", "REQUEST", "THREATEN"}
MATERIAL_TYPES = {"MOBILIZE", "ASSAULT", "AID", "RETREAT", "COERCE", "SANCTION"}
# Verbs that make a deal, whose "between" complement are its parties.
DEAL_MAKING_VERBS = {"strike", "reach", "sign", "seal", "broker", "conclude", "agree", "negotiate"}
# "Iranian-backed militias": the word before these is a backer, not the group's own country.
BACKING_PARTICIPLES = {
    "backed",
    "sponsored",
    "supported",
    "aligned",
    "allied",
    "funded",
    "armed",
    "trained",
    "inspired",
}
# Types whose nouns' "of" complement is the target ("the shelling of Donetsk"), never the actor.
TARGETED_TYPES = {"ASSAULT", "COERCE", "THREATEN", "ACCUSE"}
# Codes of organizations, whose members are never the recipients of their own acts.
ORGANIZATION_CODES = {"IGO", "UNO", "EUR", "NGO", "IMG", "ISM", "MNC"}
# Verbs whose subject may be a nominal attack and whose object is then its target.
HARM_VERBS = {"kill", "wound", "injure", "destroy", "damage", "hit", "target", "devastate", "level"}
# Prepositions whose object is another party than the sentence's unnamed actors ("troops moved into Ukraine").
OTHER_PARTY_PREPS = {"into", "to", "toward", "towards", "from", "against", "with", "near", "across"}
DOMESTIC_TARGETS = {"PROTEST": "GOV", "COERCE": "CVL"}
# The sector of a place taken as an act's recipient ("imposed a curfew in Cizre", "shelled Jericho").
PLACE_TARGETS = {**DOMESTIC_TARGETS, "ASSAULT": "CVL"}
# Verbal acts that name no one they are aimed at, in a sentence that names no other country, are aimed
# at home ("the government lifted the state of emergency", "rebels demanded reforms", "the vice-president
# declined to resign"): the state's people, or a non-state actor's government, as CAMEO-era coders record.
# Not for a state named as a whole ("Russia did not accept the proposal"), which mostly answers abroad.
DOMESTIC_VERBAL_TYPES = {"CONCEDE", "REQUEST", "REJECT", "THREATEN"}
STATE_SECTORS = {None, "GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
CROWD_TYPES = {"PROTEST"}  # types whose unnamed actor is a crowd of the place's civilians
# Types whose recipient, when the parse names none, is the country where the act took place.
LOCATION_RECIPIENT_TYPES = {"PROTEST", "COERCE", "MOBILIZE", "ASSAULT", "AID", "REQUEST", "SANCTION"}
# Complements of an object noun that name the recipient: "an admission by Moscow", "an appeal from X".
OBJECT_NOUN_PREPS = (*RECIPIENT_PREPS, "by")
NESTED_COMPLEMENT_DEPTH = 3  # "part of a program for Bosnia": prepositions deep below the object
MAX_COMPLEMENT_DEPTH = 2  # "promised to continue aid to Mozambique": two open complements deep
# Complements of "declined to", "refused to", "asked not to be" that make a news formula, not an event.
NO_COMMENT_VERBS = {"comment", "elaborate", "specify", "confirm", "identify", "name", "speculate"}
# ... and those that are a formula only about a vague topic ("discuss the matter", not "discuss a truce").
TALK_VERBS = {"discuss", "answer", "say", "disclose", "reveal", "give", "provide"}
VAGUE_TOPICS = {
    "matter",
    "detail",
    "specific",
    "question",
    "it",
    "this",
    "that",
    "report",
    "issue",
    "case",
    "figure",
    "name",
    "content",
    "substance",
}
# Whom one speaks to without consulting them: "speaking to reporters".
AUDIENCE_WORDS = {
    "reporter",
    "journalist",
    "press",
    "medium",
    "media",
    "audience",
    "crowd",
    "supporter",
    "correspondent",
    "newsman",
    "television",
    "radio",
}
# Words that make a warning a threat whoever the clause's subject is ("independence means war").
WARNING_WORDS = {
    "war",
    "force",
    "retaliation",
    "retaliate",
    "response",
    "respond",
    "consequence",
    "countermeasure",
    "reprisal",
    "punish",
    "punishment",
    "crush",
}
SPEAKER_PRONOUNS = {"it", "they", "we", "he", "she"}  # stand for the speaker of the clause they open
# "two weeks of joint exercises", "a new round of talks": the measure noun stands in the event's place
MEASURE_NOUNS = {
    "week",
    "day",
    "month",
    "hour",
    "year",
    "round",
    "series",
    "wave",
    "spate",
    "string",
    "night",
    "weekend",
    "package",
    "set",
    "number",
    "flurry",
    "volley",
    "barrage",
    "campaign",
}
OWN_POSSESSIVES = {"its", "their", "his", "her", "our"}  # "recalled its ambassador": the actor's own people
PLOVER_IGO_CODES = {"UNO", "EUR"}  # PLOVER's own codes for the two IGOs it singles out
STATE_KINDS = {"country", "capital"}  # mentions that name a state as a whole
MILITARY_WORDS = {
    "troop",
    "soldier",
    "force",
    "warship",
    "ship",
    "jet",
    "aircraft",
    "plane",
    "tank",
    "artillery",
    "army",
    "navy",
    "fleet",
    "unit",
    "battalion",
    "brigade",
    "missile",
    "reinforcement",
    "carrier",
    "drone",
    "military",
    "paratrooper",
    "marine",
    "reservist",
    "fighter",
    "bomber",
    "submarine",
}
MODIFIER_DEPS = {"compound", "amod", "npadvmod"}
# Verbs whose complement is only being weighed: "will consider freezing visa talks".
DELIBERATION_HEADS = {
    "consider",
    "weigh",
    "mull",
    "contemplate",
    "study",
    "explore",
    "debate",
    "discuss",
    "propose",
    "suggest",
    "envisage",
    "float",
}
SPEECH_SEARCH_DEPTH = 6  # how far up from a trigger a speech verb may govern it
ACCUSING_VERBS = {"accuse", "blame", "charge", "allege", "claim"}  # their "of" clause is an allegation
ALLEGING_SPEECH = {"allege", "claim"}  # speech verbs that report without vouching
ASPECT_VERBS = {"resume", "begin", "start", "continue", "renew"}  # "prepared to resume shelling"
READINESS_HEADS = {"prepare", "gear", "mass", "poise"}  # their armed-force complement is a MOBILIZE
GENERIC_EVENT_HEADS = {
    "effort",
    "efforts",
    "bid",
    "attempt",
    "process",
    "mission",
    "operation",
    "campaign",
    "programme",
    "program",
    "plan",
    "initiative",
    "drive",
    "round",
    "package",
}
# Verbs of coming together whose "for" complement is the event they come for.
GATHERING_VERBS = {
    "apply",
    "seek",
    "ask",
    "press",
    "push",
    "call",
    "return",
    "travel",
    "arrive",
    "go",
    "come",
    "fly",
    "head",
    "gather",
    "meet",
    "sit",
    "convene",
    "visit",
    "assemble",
    "resume",
}
# Heads that stand for the group named in their 'of' complement: "a group of Moroccan diplomats".
GROUP_HEADS = {
    "group",
    "leader",
    "member",
    "delegation",
    "team",
    "number",
    "some",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "most",
    "all",
    "many",
    "several",
    "one",
    "two",
    "three",
    "few",
    "majority",
    "band",
    "unit",
    "contingent",
    "batch",
    "deployment",
    "detachment",
    "column",
    "convoy",
    "head",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "representative",
    "official",
    "officials",
    "envoy",
    "minister",
    "president",
    "government",
    "army",
    "side",
    "sides",
    "faction",
    "wing",
    "section",
    "division",
    "squad",
    "battalion",
    "patch",
    "element",
    "party",
}
# Subtrees that belong to a different participant than the argument they hang from.
FOREIGN_SUBTREES = {"prep", "relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "cc", "mark", "prt", "agent"}
FUTURE_HEADS = {"set", "due", "expect", "schedule", "plan", "go", "poise", "about", "prepare", "intend"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
MAYBE_AUX = {"could", "might", "may", "should", "must", "can", "ought"}
HYPOTHETICAL_NOUNS = {
    "proposal",
    "plan",
    "idea",
    "suggestion",
    "scenario",
    "possibility",
    "option",
    "offer",
    "call",
    "demand",
    "request",
    "push",
    "bid",
    "attempt",
    "effort",
    "risk",
    "danger",
    "fear",
    "prospect",
    "likelihood",
    "chance",
    "event",
}
CONTENT_SEARCH_DEPTH = 5  # how far up the parse a trigger may sit below the verb whose content it is
HYPOTHETICAL_MODIFIERS = {
    "potential",
    "possible",
    "proposed",
    "hypothetical",
    "threatened",
    "planned",
    "mooted",
}
# Verbs whose clausal complement is the content of the coded verb, not an event of its own.
# Condemning or welcoming an act reports that it happened, so ACCUSE and SUPPORT are not here; an
# accusation's "of" clause is coded as the accused's act (see verb_subject).
CONTENT_TYPES = {"REQUEST", "THREATEN", "REJECT", "AGREE", "CONSULT", "CONCEDE", "PROTEST"}
# An explicit date more than this many days before the story is history, not news.
HISTORICAL_DAYS = 400
NEGATING_HEADS = {"fail", "neglect"}
# Future or willing cooperation announced by the actor is a promise: PLOVER's AGREE.
COOPERATIVE_INTENT = {"AID", "COOPERATE", "RETREAT", "CONCEDE", "CONSULT"}
# Conflict the actor announces for itself, or makes conditional, is a threat: PLOVER's THREATEN.
CONFLICT_INTENT = {"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"}
# "Three civilians were killed in a bombing": the perpetrator is unknown, the victims are not.
UNKNOWN_ACTOR_TYPES = {"ASSAULT"}
PERSON_KINDS = {"person", "pronoun"}
# "will sign the treaty": the manual's example of a promise to sign, AGREE whoever reports it
SIGNING_LEMMAS = {"sign", "ratify", "finalize", "finalise", "ink", "conclude"}
VERBAL_INTENT = {"SUPPORT"}  # a stated future of these is a promise only when the actor states it
WILLING_WORDS = {"willing", "ready", "prepared", "determined", "eager", "keen"}
CONDITION_MARKS = {"if", "unless"}
DEONTIC_AUX = {"must", "should"}
NEWS_SPEECH = {
    "say",
    "tell",
    "add",
    "announce",
    "state",
    "report",
    "claim",
    "insist",
    "declare",
    "confirm",
    "note",
    "write",
    "conclude",
    "stress",
    "reiterate",
    "argue",
    "maintain",
}
DEONTIC = Trigger("must", "V", "REQUEST", None, (), None, (), 0)  # "X said Y must ..." is a request

# confidence: a documented, rough probability that the event is right
CONFIDENCE_BASE = {"V": 0.75, "A": 0.7, "N": 0.6}
CONFIDENCE_RECIPIENT_BONUS = 0.1  # a syntactic recipient confirms the frame
CONFIDENCE_FRAME_BONUS = 0.05  # a frame condition matched, not just the lemma


@dataclass
class Candidate:
    trigger: Token
    entry: Trigger
    event: str
    actors: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    modality: str = "asserted"
    evidence: tuple[int, int] = (0, 0)  # token span [start, end)


class MentionIndex:
    """Token index -> the actor mention covering it."""

    def __init__(self, mentions: list[dict[str, Any]]) -> None:
        self.at: dict[int, dict[str, Any]] = {}
        self.same_span: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for mention in mentions:
            for i in range(mention["token_start"], mention["token_end"]):
                self.at.setdefault(i, mention)
            self.same_span.setdefault((mention["token_start"], mention["token_end"]), []).append(mention)

    def covering(self, token: Token) -> dict[str, Any] | None:
        return self.at.get(token.i)

    def with_span_of(self, mention: dict[str, Any]) -> list[dict[str, Any]]:
        """The mention and any others on the same words ("the two" stands for two people)."""
        return self.same_span.get((mention["token_start"], mention["token_end"]), [mention])


# ---------------------------------------------------------------- context countries


def fill_unknown_countries(doc: Doc, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give people and roles the actors stage could not place ("police", "President Bouteflika") the
    country their context makes clear, and say so in ``how``:

    - a role ("the government", "police") takes the nearest country named before it in its sentence
      (a definite description points back), else the only country its sentence names;
    - a named person takes the only country that earlier mentions in the sentence name ("an Argentine
      judge ordered Carlos Menem"), else the only country its toponyms name ("President Omar El
      Bashir ... in Sudan"), never one named by an actor only after them, which is more often whom
      they act on ("Pope Francis expressed his closeness to the Ukrainian people");
    - with nothing in the sentence, the story's dominant country, if it dominates.
    """
    sent_of = sentence_numbers(doc)
    named: dict[int, list[tuple[int, str]]] = {}  # sentence -> (token, country) of country mentions
    placed: dict[int, list[tuple[int, str]]] = {}  # sentence -> (token, country) of toponyms
    story: dict[str, int] = {}
    place_at = {
        i: p["country_code"]
        for p in doc._.fp_places or []
        if p.get("country_code") and "token_start" in p
        for i in range(p["token_start"], p["token_end"])
    }
    for m in mentions:
        if m.get("code") and m.get("kind") in COUNTRY_KINDS:
            code = m["code"]
            if _names_another_party(doc, m):
                # "arrived in Kiev": a capital used as a place counts as the place it is, not its state
                if m.get("kind") != "capital" or m["token_start"] not in place_at:
                    continue
                code = place_at[m["token_start"]]
            story[code] = story.get(code, 0) + 1
            named.setdefault(sent_of.get(m["token_start"], -1), []).append((m["token_start"], code))
    for i, code in place_at.items():
        placed.setdefault(sent_of.get(i, -1), []).append((i, code))
    total = sum(story.values())
    dominant = max(story, key=story.__getitem__) if story else None
    if dominant and story[dominant] < STORY_COUNTRY_SHARE * total:
        dominant = None
    by_token = {i: m for m in mentions for i in range(m["token_start"], m["token_end"])}
    seen_roles: dict[str, dict[str, Any]] = {}  # a role's last word -> its last mention with a code
    out = []
    for m in mentions:
        words = m.get("text", "").lower().split()
        if m.get("code") and m.get("kind") == "role" and words:
            seen_roles[words[-1]] = m
        if m.get("code") or m.get("kind") not in ("person", "role") or set(words) & RELATIONAL_WORDS:
            out.append(m)  # "its ally", "his counterpart": someone else's side, not the context's
            continue
        earlier = seen_roles.get(words[-1]) if words[:1] == ["the"] and m.get("kind") == "role" else None
        if earlier is not None:
            # "Niger's junta ... The junta rejected the call": a definite description points back
            out.append(
                {**m, "code": earlier["code"], "how": f"{m.get('how', '')}; context:earlier-{words[-1]}"}
            )
            continue
        sentence = sent_of.get(m["token_start"], -1)
        acting = _acting_side(doc, m, by_token)
        # "Israeli jets raided guerrilla bases in Lebanon": the side that acts is not its target's country
        before = [
            code for i, code in sorted(named.get(sentence, [])) if i < m["token_start"] and i not in acting
        ]
        everywhere = {
            code for i, code in named.get(sentence, []) + placed.get(sentence, []) if i not in acting
        }
        places = {code for _, code in placed.get(sentence, [])}
        code, how = None, ""
        # "police near Nairobi", "protesters in Minsk" are of the place; troops, diplomats or "world
        # powers in Vienna" mostly are not
        here = (
            _clause_place(doc, m, place_at)
            if m.get("kind") == "role" and m.get("sector") in PLACED_SECTORS
            else None
        )
        if here:
            code, how = here, "context:place-of-clause"  # "shot dead by police near Nairobi"
        elif m.get("kind") == "role" and before:
            code, how = before[-1], "context:preceding-country"
        elif m.get("kind") == "role" and len(everywhere) == 1:
            code, how = next(iter(everywhere)), "context:sentence-country"
        elif m.get("kind") == "person" and len(set(before)) == 1:
            code, how = before[0], "context:preceding-country"
        elif m.get("kind") == "person" and not before and len(places) == 1:
            code, how = next(iter(places)), "context:sentence-country"
        elif not everywhere and dominant and not acting:
            # not for the target of a state's or an army's act ("Russia expelled European diplomats")
            code, how = dominant, "context:story-country"
        out.append({**m, "code": code, "how": f"{m.get('how', '')}; {how}"} if code else m)
    return out


def _clause_place(doc: Doc, mention: dict[str, Any], place_at: dict[int, str]) -> str | None:
    """The country of the place where a role's own clause happens ("shot dead by police at a roadblock
    near Nairobi", "police in Cairo arrested"): a locative phrase on the role or on its verb."""
    tok = doc[mention["head"]] if "head" in mention else doc[mention["token_start"]]
    anchors = [tok]
    for _ in range(3):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        anchors.append(tok)
        if tok.pos_ in ("VERB", "AUX"):
            break
    if anchors[-1].pos_ not in ("VERB", "AUX") and anchors[0].dep_ not in SUBJECT_DEPS | {"pobj"}:
        return None
    found = set()
    for anchor in anchors:
        for prep in anchor.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "near", "outside", "inside", "around"):
                for obj in prep.subtree:
                    if obj.i in place_at and obj.dep_ in ("pobj", "compound", "appos"):
                        found.add(place_at[obj.i])
    return found.pop() if len(found) == 1 else None


def _acting_side(doc: Doc, mention: dict[str, Any], by_token: dict[int, dict[str, Any]]) -> set[int]:
    """Tokens of the subject of the verb a mention is the object (or an object's modifier) of, when
    that subject is armed forces or a state acting abroad ("Israeli jets raided guerrilla bases"); a
    police force, an opposition or a court mostly acts at home ("Egyptian police dispersed protesters",
    "an opposition politician sued the government")."""
    tok = doc[mention["head"]] if "head" in mention else doc[mention["token_start"]]
    for _ in range(4):
        if tok.dep_ in ("dobj", "obj", "pobj", "compound", "amod", "poss", "prep", "nmod", "conj"):
            if tok.head.i == tok.i:
                return set()
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                # "refused to deploy peacekeepers": the controlling verb's subject acts
                while (
                    not _children(tok, SUBJECT_DEPS) and tok.dep_ in ("xcomp", "conj") and tok.head.i != tok.i
                ):
                    tok = tok.head
                side = {t.i for s in _children(tok, SUBJECT_DEPS) for t in s.subtree}
                actors = [by_token[i] for i in side if i in by_token]
                if any(a.get("sector") in ("MIL", "REB") or a.get("kind") in STATE_KINDS for a in actors):
                    return side
                return set()
        else:
            return set()
    return set()


def _names_another_party(doc: Doc, mention: dict[str, Any]) -> bool:
    """Is the mention where a sentence names someone else than its unplaced people: a backer ("backed
    by Rwanda"), a destination, origin or target ("into Ukraine", "from Iran", "against Israel"), or
    a neighbour ("bordering Venezuela")? Those say nothing of who "the rebels" or "troops" are."""
    head = doc[mention["head"]] if "head" in mention else doc[mention["token_start"]]
    while head.dep_ in ("compound", "amod", "poss", "case") and head.head.i != head.i:
        head = head.head
    prep = head.head
    if head.head.lower_ in BACKING_PARTICIPLES:
        return True  # "Iranian-backed militias": the backer
    if mention.get("kind") == "capital" and head.dep_ == "pobj" and prep.lower_ in ("in", "at", "near"):
        return True  # "militias in Tripoli": a place (the places stage has it), not Libya's government
    if head.dep_ == "pobj" and prep.dep_ == "agent":
        return True  # "backed by Rwanda"; not "pressure by the Kenya commission", a noun's complement
    if head.dep_ == "pobj" and prep.lower_ in OTHER_PARTY_PREPS and prep.head.lower_ != "according":
        return True
    return head.dep_ in OBJECT_DEPS and _lemma(head.head) in ("border", "neighbour", "neighbor")


# ---------------------------------------------------------------- arguments


def _branch_tokens(head: Token, allow_of: bool) -> list[Token]:
    """The head's own phrase: its subtree minus clauses, other conjuncts and most prepositions."""
    out = [head]
    stack = list(head.children)
    while stack:
        tok = stack.pop()
        if tok.dep_ == "conj":
            continue
        if tok.dep_ in FOREIGN_SUBTREES and not (allow_of and _names_its_group(tok)):
            continue
        if tok.lower_ in BACKING_PARTICIPLES:
            continue  # "Iranian-backed militias" are not Iranian: the backer is another party
        out.append(tok)
        stack.extend(tok.children)
    return out


def _names_its_group(prep: Token) -> bool:
    """ "a group of Moroccan diplomats", "ministers from Egypt": the complement says who the head is."""
    if prep.dep_ != "prep":
        return False
    if prep.lower_ == "of":
        return _lemma(prep.head) in GROUP_HEADS
    return prep.lower_ == "from" and prep.head.pos_ == "NOUN"


def _conjuncts(head: Token) -> list[Token]:
    return [head, *(t for t in head.conjuncts if t.i > head.i)]


def mentions_in(arg: Token, index: MentionIndex) -> list[dict[str, Any]]:
    """The actor mentions an argument names: one per conjunct, the one nearest its head."""
    found: list[dict[str, Any]] = []
    for branch in _conjuncts(arg):
        best = None
        for allow_of in (False, True):
            tokens = _branch_tokens(branch, allow_of)
            ranked = []
            for tok in tokens:
                mention = index.covering(tok)
                if mention is None or not mention.get("code"):
                    continue
                depth = _depth_below(tok, branch)
                ranked.append((mention["head"] != tok.i, depth, tok.i, id(mention), mention))
            if ranked:
                best = min(ranked)[-1]
                break
        if best is not None:
            for mention in index.with_span_of(best):
                if mention.get("code") and all(mention is not m for m in found):
                    found.append(mention)
            # "Indian and American soldiers": coordinated adjectives name one party each
            for mod in branch.children:
                if mod.dep_ not in ("amod", "compound") or not mod.conjuncts:
                    continue
                for word in (mod, *mod.conjuncts):
                    mention = index.covering(word)
                    if mention and mention.get("code") and all(mention is not m for m in found):
                        found.append(mention)
    return sorted(found, key=lambda m: m.get("token_start", 0))  # in the order the text names them


def _depth_below(tok: Token, top: Token) -> int:
    depth = 0
    while tok.i != top.i and tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _children(tok: Token, deps: set[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Token, preps: tuple[str, ...]) -> list[tuple[str, Token]]:
    out = []
    for child in tok.children:
        if child.dep_ == "prt" and child.lower_ == "up" and "to" in preps:
            # "kidnapped up to 16 Russian advisers": the parser reads the quantity as a particle
            out.extend(
                ("to", p) for g in child.children if g.lower_ == "to" for p in g.children if p.dep_ == "pobj"
            )
        if child.dep_ in ("prep", "dative", "prt") and child.lower_ == "out" and "from" in preps:
            # "pulled its forces out of Afghanistan": "out of" is "from"
            out.extend(
                ("from", p)
                for g in child.children
                if g.lower_ == "of"
                for p in g.children
                if p.dep_ == "pobj"
            )
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.append((child.lower_, pobj))
    out.sort(key=lambda pair: preps.index(pair[0]))
    return out


def _verb_chain_up(verb: Token) -> list[Token]:
    """The verb and the verbs it is an open complement or conjunct of (which lend it a subject)."""
    chain = [verb]
    tok = verb
    while tok.dep_ in ("xcomp", "conj", "advcl", "acl", "relcl", "pcomp", "acomp") and tok.head.i != tok.i:
        if tok.dep_ in ("advcl", "pcomp") and _children(tok, SUBJECT_DEPS):
            break
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.i != tok.head.i:
            tok = tok.head  # "After deploying troops, Russia took ...": the clause hangs from a preposition
        tok = tok.head
        chain.append(tok)
        if tok.dep_ in ("relcl", "acl"):
            break
        if len(chain) > 6:
            break
    return chain


def verb_subject(verb: Token, index: MentionIndex) -> tuple[list[dict[str, Any]], bool]:
    """Actor mentions of a verb's subject, and whether the verb is passive (agent found)."""
    stranded = _stranded_conjunct_subject(verb, index)
    if stranded:
        return stranded, False
    for depth, tok in enumerate(_verb_chain_up(verb)):
        agents = [
            pobj for agent in _children(tok, {"agent"}) for pobj in agent.children if pobj.dep_ == "pobj"
        ]
        if depth == 0 and agents:
            # "attacked by a drone operated by the Houthis": whoever works the instrument acts
            operators = [
                p
                for a in agents
                for acl in _children(a, {"acl"})
                for ag in _children(acl, {"agent"})
                for p in ag.children
                if p.dep_ == "pobj"
            ]
            actors = [m for o in operators for m in mentions_in(o, index)]
            if actors:
                return actors, True
            actors = [m for a in agents for m in mentions_in(a, index)]
            if actors:
                return actors, True
            if all(a.pos_ == "NOUN" for a in agents):
                return [], True  # "troops, backed by tanks": the agent is named, and it is no actor
        subjects = _children(tok, SUBJECT_DEPS)
        if subjects:
            actors = [m for s in subjects for m in mentions_in(s, index)]
            if actors:
                return actors, False
            # "Syria says it is willing to withdraw": a pronoun subject of reported speech is the speaker
            if (
                subjects[0].lower_ in SPEAKER_PRONOUNS
                and tok.dep_ == "ccomp"
                and _lemma(tok.head) in NEWS_SPEECH
            ):
                return verb_subject(tok.head, index)
            # a relative pronoun subject stands for the noun the clause modifies
            if subjects[0].tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                return mentions_in(tok.head, index), False
            return [], False
        if tok.dep_ == "xcomp" and _lemma(tok.head) not in SUMMONING_VERBS:
            # object control: "urged Russia to withdraw": the controller is the head's object
            head_objects = _children(tok.head, OBJECT_DEPS)
            if head_objects and tok.head.i != tok.i:
                actors = [m for o in head_objects for m in mentions_in(o, index)]
                if actors:
                    return actors, False
        if tok.dep_ == "pcomp" and tok.head.lower_ in ("of", "for") and depth == 0:
            # "accused Russia of shelling the plant": the accused is the one said to act
            accused = _children(tok.head.head, OBJECT_DEPS)
            actors = [m for o in accused for m in mentions_in(o, index)]
            if actors:
                return actors, False
        if tok.dep_ == "acl" and tok.head.dep_ in OBJECT_DEPS and not mentions_in(tok.head, index):
            # "issued a declaration demanding that ...": the issuer speaks through the declaration
            return verb_subject(tok.head.head, index)
        if tok.dep_ in ("relcl", "acl") and tok.head.i != tok.i and depth > 0:
            return mentions_in(tok.head, index), False
        if tok.dep_ == "acl" and depth == 0 and tok.tag_ == "VBN":
            return [], True  # "villagers killed near Beni": the noun is the one acted on
        if tok.dep_ in ("relcl", "acl") and depth == 0:
            return mentions_in(tok.head, index), False
    return _stranded_subject(verb, index), False


def _word_before(verb: Token) -> Token | None:
    """The word right before a verb and the auxiliaries, negation and adverbs of its own in front of it."""
    i = verb.i - 1
    while (
        i > verb.sent.start and verb.doc[i].dep_ in ("advmod", "aux", "neg") and verb.doc[i].head.i == verb.i
    ):
        i -= 1
    return verb.doc[i] if i >= verb.sent.start and i < verb.i else None


def _stranded_conjunct_subject(verb: Token, index: MentionIndex) -> list[dict[str, Any]]:
    """ "Prisoners rioted at the jail and guerrillas attacked bases": the parser made "guerrillas" a
    conjunct of "jail", leaving "attacked" to borrow "Prisoners"; the actor noun right before a
    subjectless conjoined verb is its subject."""
    if verb.dep_ != "conj" or _children(verb, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS) or verb.i == 0:
        return []
    tok = _word_before(verb)
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or tok.head.i == verb.i or tok.dep_ != "conj":
        return []
    mention = index.covering(tok)
    return [mention] if mention is not None and mention.get("code") else []


def _stranded_subject(verb: Token, index: MentionIndex) -> list[dict[str, Any]]:
    """The subject of a main verb the parser left without one.

    After a long opening phrase the parser sometimes hangs the subject on that phrase ("With the signing
    of a memorandum, the government and the rebels have agreed ..."): the noun phrase that ends right
    before the verb and its auxiliaries is then the subject.
    """
    top = _verb_chain_up(verb)[-1]
    if (
        top.dep_ != "ROOT"
        or top.pos_ not in ("VERB", "AUX")
        or _children(top, PASSIVE_SUBJECT_DEPS | {"expl"})
    ):
        return []
    if not (top.tag_ in ("VBD", "VBZ", "VBP") or _children(top, {"aux"})):
        return []
    tok = _word_before(top)
    if (
        tok is None
        or tok.i <= top.sent.start
        or tok.pos_ not in ("NOUN", "PROPN")
        or index.covering(tok) is None
    ):
        return []
    first = tok.i + 1  # where the verb group starts
    while tok.dep_ in ("compound", "flat", "amod", "nmod", "punct") and tok.head.i > tok.i:
        tok = tok.head
    if tok.dep_ == "conj":
        tok = tok.head
    if tok.head.i > top.i or tok.i >= first:
        return []
    return mentions_in(tok, index)


def noun_actor(noun: Token, index: MentionIndex, event: str = "") -> list[dict[str, Any]]:
    """Who performs a nominal event: 'by' agent, possessive, nationality modifier, or support verb."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            found = [m for p in child.children if p.dep_ == "pobj" for m in mentions_in(p, index)]
            if found:
                return found
    # "imposition of sanctions by the West": the agent hangs from the 'of' complement
    for _, pobj in _prep_objects(noun, ("of",)):
        for child in pobj.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                found = [m for p in child.children if p.dep_ == "pobj" for m in mentions_in(p, index)]
                if found:
                    return found
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ in OWN_POSSESSIVES and noun.dep_ in OBJECT_DEPS:
            # "reiterated its demand": the owner is the subject of the verb
            owners, _ = verb_subject(noun.head, index)
            if owners:
                return owners
        if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i < noun.i:
            mention = index.covering(child)
            if mention and mention.get("code"):
                return [mention]
            for grand in child.children:  # "Russian troop movements": Russian -> troop -> movements
                mention = index.covering(grand)
                if grand.dep_ in ("amod", "compound", "poss") and mention and mention.get("code"):
                    return [mention]
    mention = index.covering(noun)
    if mention and mention.get("code") and mention["head"] != noun.i:
        return [mention]
    for _, complement in _prep_objects(noun, ("of",) if event not in TARGETED_TYPES else ()):
        # "the suspension of U.S. military aid": whose aid it is says who suspends it; but "the bombing
        # of an Israeli airliner" names the target
        for child in complement.children:
            owner = index.covering(child)
            if child.dep_ in ("poss", "amod", "compound", "nmod") and owner and owner.get("code"):
                if owner.get("kind") in STATE_KINDS | {"igo", "bloc"}:
                    return [owner]
    makers = _children(noun, {"acl"})
    if noun.dep_ in ("nsubj", "nsubjpass") and _lemma(noun.head) in DEAL_MAKING_VERBS:
        makers.append(noun.head)  # the same, parsed as "the deal struck (main verb) between ..."
    for verb in makers:  # "the deal struck between Iran and six world powers"
        for _, pobj in _prep_objects(verb, ("between", "by")):
            found = mentions_in(pobj, index)
            if found:
                return found
    return []


# ---------------------------------------------------------------- frames


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _lemma_forms(tok: Token) -> tuple[str, ...]:
    """The model's lemma, then the word's own regular stems: the small model now and then lemmatises
    a verb wrongly ("staged" -> "stag"), and a trigger should not be lost to that."""
    word = tok.lower_
    forms = [*_hyphen_forms(tok), _lemma(tok), word]  # "test-fired" before "fired"
    for suffix, add in (
        ("ied", "y"),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)] + add)
    return tuple(dict.fromkeys(forms))


def _hyphen_forms(tok: Token) -> list[str]:
    """ "build-up", "walk-out": the tokenizer splits a hyphenated trigger and the parse heads it on
    its last part; the whole word is the lexicon's form."""
    if (
        tok.i >= 2
        and tok.nbor(-1).text == "-"
        and not tok.nbor(-1).whitespace_
        and not tok.nbor(-2).whitespace_
    ):
        return [f"{tok.nbor(-2).lower_}-{_lemma(tok)}", f"{tok.nbor(-2).lower_}-{tok.lower_}"]
    return []


def _is_support_verb(tok: Token, lexicon: Lexicon) -> bool:
    return any(form in lexicon.support_verbs for form in _lemma_forms(tok))


def _sector_of(tokens: list[Token], index: MentionIndex) -> set[str]:
    out: set[str] = set()
    for tok in tokens:
        for mention in mentions_in(tok, index) or ([index.covering(tok)] if index.covering(tok) else []):
            if mention.get("sector"):
                out.add(mention["sector"])
            elif mention.get("kind") in STATE_KINDS:
                out.add("STATE")  # "France protested": a state named as a whole
    return out


def _object_words(tok: Token) -> list[Token]:
    """The direct object and the words that name it: "a state of emergency" -> state, emergency."""
    words = []
    objects = _children(tok, OBJECT_DEPS)
    # "provided Bosnia with weapons", "were taken prisoner": the thing given, the state taken into
    objects += [p for _, p in _prep_objects(tok, ("with",))] + _children(tok, {"oprd"})
    objects += [a for o in list(objects) for a in _children(o, {"appos"})]  # "expelled X, the chargé"
    for obj in objects:
        words.append(obj)
        words.extend(c for c in obj.children if c.dep_ in ("compound", "amod"))
        for _, complement in _prep_objects(obj, ("of",)):  # "part of a military aid program"
            words.append(complement)
            words.extend(c for c in complement.children if c.dep_ in ("compound", "amod"))
    return words


def condition_holds(cond: Condition, tok: Token, index: MentionIndex) -> bool:
    result: bool
    if cond.key == "xcomp":
        result = any(c.dep_ in ("xcomp", "ccomp") for c in tok.children)
    elif cond.key == "toclause":
        result = any(c.dep_ == "xcomp" for c in tok.children)
    elif cond.key == "ownclause":
        result = any(_own_clause(c, tok, index) for c in tok.children if c.dep_ in ("xcomp", "ccomp"))
    elif cond.key == "pass":
        result = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
    elif cond.key == "active":
        result = not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
    elif cond.key == "obj":
        result = any(_lemma(o) in cond.values or o.lower_ in cond.values for o in _object_words(tok))
    elif cond.key == "head":
        result = tok.head.i != tok.i and _lemma(tok.head) in cond.values
    elif cond.key == "of":
        result = any(_lemma(p) in cond.values for _, p in _prep_objects(tok, ("of",)))
    elif cond.key == "mod":
        # "joint training exercises": a modifier of a modifier counts too
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod")]
        mods += [g for c in mods for g in c.children if g.dep_ in ("amod", "compound")]
        result = any(_lemma(c) in cond.values for c in mods)
    elif cond.key == "objkind":
        objs = _children(tok, OBJECT_DEPS)
        is_actor = any(mentions_in(o, index) for o in objs)
        if {"actor", "thing"} <= cond.values:
            result = bool(objs)
        else:
            result = is_actor if "actor" in cond.values else bool(objs) and not is_actor
    elif cond.key == "subj":
        subjects = _children(tok, SUBJECT_DEPS)
        if not subjects and tok.dep_ in ("xcomp", "conj"):
            subjects = _children(tok.head, SUBJECT_DEPS)
        result = bool(_sector_of(subjects, index) & cond.values)
    elif cond.key == "subjword":
        subjects = _children(tok, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
        if not subjects and tok.dep_ in ("xcomp", "conj"):
            subjects = _children(tok.head, SUBJECT_DEPS)
        words = {_lemma(w) for s in subjects for w in (s, *s.children) if w.dep_ != "relcl"}
        words |= {_lemma(w) for s in subjects for _, p in _prep_objects(s, ("of",)) for w in (p, *p.children)}
        result = bool(words & cond.values)
    elif cond.key == "prep":
        result = any(c.dep_ in ("prep", "dative", "prt") and c.lower_ in cond.values for c in tok.children)
    elif cond.key == "prt":
        result = any(c.dep_ == "prt" and c.lower_ in cond.values for c in tok.children)
    else:
        result = False
    return result != cond.negate


def _own_clause(clause: Token, verb: Token, index: MentionIndex) -> bool:
    """Is a complement clause about what the verb's own subject will do ("warned it would retaliate",
    "warned of taking action") rather than a forecast about others ("warned the tax could hurt")?"""
    if any(_lemma(t) in WARNING_WORDS for t in clause.subtree):
        return True  # "warned that independence means war": what the warner holds in store
    subjects = _children(clause, SUBJECT_DEPS)
    if not subjects:
        return clause.dep_ == "xcomp"
    if subjects[0].lower_ in SPEAKER_PRONOUNS | {"we", "i"}:
        return True
    speaker = {m.get("code") for s in _children(verb, SUBJECT_DEPS) for m in mentions_in(s, index)}
    said = {m.get("code") for s in subjects for m in mentions_in(s, index)}
    return bool(speaker & said - {None})


def match_entry(tok: Token, lexicon: Lexicon, index: MentionIndex) -> Trigger | None:
    if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
        pos = "V"
    elif tok.pos_ in ("NOUN", "PROPN"):
        pos = "N"
    elif tok.pos_ == "ADJ" and any(
        c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "to") for c in tok.children
    ):
        pos = "A"  # "is ready to talk", "is committed to opening up"
    else:
        return None
    entries: list[Trigger] = []
    for form in _lemma_forms(tok) if pos == "V" else (*_hyphen_forms(tok), _lemma(tok), tok.lower_):
        entries = lexicon.entries(form, pos)
        if entries:
            break
    for entry in entries:
        if all(condition_holds(c, tok, index) for c in entry.conditions):
            return entry
    return None


# ---------------------------------------------------------------- modality


def _is_negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("neither", "never") for c in tok.children):
        return True
    # "offered nothing", "made no concession"
    for obj in _children(tok, OBJECT_DEPS):
        if _lemma(obj) in ("nothing", "none") or any(
            c.dep_ == "det" and c.lower_ == "no" for c in obj.children
        ):
            return True
    # "failed to reach agreement" negates the complement
    if tok.dep_ == "xcomp" and _lemma(tok.head) in NEGATING_HEADS:
        return True
    # "failed to", "refused to" are triggers of their own; "no talks" negates a noun
    if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return True
    return False


def modality_of(trigger: Token, anchor: dt.date | None, event_date: dict[str, Any] | None) -> str:
    chain = _verb_chain_up(trigger) if trigger.pos_ != "NOUN" else [trigger, trigger.head]
    for tok in chain[:3]:
        if _is_negated(tok) and (
            tok.i == trigger.i
            or (trigger.dep_ in ("xcomp", "acomp") and tok.i == trigger.head.i)
            or (
                trigger.pos_ == "NOUN"
                and trigger.dep_ in OBJECT_DEPS
                and tok.i == trigger.head.i
                and _lemma(tok) in load_lexicon().support_verbs  # not "did not condemn the invasion"
            )
        ):
            return "negated"  # "did not attack", "did not start negotiating", "is not ready", "held no talks"
    if trigger.dep_ in ("xcomp", "ccomp", "pcomp") and _lemma(trigger.head) in DELIBERATION_HEADS:
        return "hypothetical"
    if _under_a_plan(trigger):
        return "hypothetical"  # "Under the plan, Armenian forces would hand back seven districts"
    if (
        trigger.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in ("until", "unless", "if") for c in trigger.children)
        and trigger.head.tag_ in ("VB", "VBP", "VBZ", "MD")
    ):
        return "hypothetical"  # "vowing to besiege the capital until the government met their demands"
    for tok in chain[:3]:
        aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        if aux & FUTURE_AUX:
            return "future"
        if aux & {"would"}:
            return "hypothetical" if _has_if(tok) else "future"
        if aux & MAYBE_AUX:
            return "hypothetical"
        if _has_if(tok):
            return "hypothetical"
        if (
            tok.i != trigger.i
            and _lemma(tok) in FUTURE_HEADS
            and any(c.dep_ == "xcomp" for c in tok.children)
        ):
            return "future"
    # clauses under a proposal or a plan: "a proposal for troops to withdraw", "the plan is to ..."
    for tok in [*chain[1:4], trigger.head]:
        if any(c.dep_ in SUBJECT_DEPS and _lemma(c) in HYPOTHETICAL_NOUNS for c in tok.children):
            return "hypothetical"
    launched = trigger.dep_ in OBJECT_DEPS and _lemma(trigger.head) in load_lexicon().support_verbs
    if trigger.pos_ == "NOUN" and any(
        # "mounted its long-threatened invasion": the support verb asserts what the modifier doubted
        (
            c.dep_ == "amod"
            and not launched
            and (_lemma(c) in HYPOTHETICAL_MODIFIERS or c.lower_ in HYPOTHETICAL_MODIFIERS)
        )
        or (c.dep_ == "det" and c.lower_ in ("any", "every"))
        for c in trigger.children
    ):
        return "hypothetical"  # "a possible attack", "any U.S. strike against Iran"
    head = trigger
    for _ in range(4):
        if head.head.i == head.i:
            break
        head = head.head
        if trigger.dep_ in MODIFIER_DEPS and head.i == trigger.head.i and _lemma(head) in GENERIC_EVENT_HEADS:
            continue  # "launched a mediation effort": the effort is the mediation itself
        if head.pos_ == "NOUN" and _lemma(head) in HYPOTHETICAL_NOUNS:
            return "hypothetical"
        if head.pos_ == "VERB":
            break
    if event_date and anchor and event_date.get("range"):
        last = dt.date.fromisoformat(event_date["range"][1])
        if (anchor - last).days > HISTORICAL_DAYS:
            return "historical"
    return "asserted"


def _under_a_plan(trigger: Token) -> bool:
    """Is the trigger's clause what a plan or proposal would do ("Under the plan, X would ...")?"""
    clause = _verb_chain_up(trigger)[-1] if trigger.pos_ != "NOUN" else trigger.head
    return any(
        c.dep_ == "prep"
        and c.lower_ == "under"
        and any(p.dep_ == "pobj" and _lemma(p) in HYPOTHETICAL_NOUNS for p in c.children)
        and any(a.dep_ == "aux" and a.lower_ in ("would", "could", "might") for a in clause.children)
        for c in clause.children
    )


def _has_if(tok: Token, marks: tuple[str, ...] | set[str] = CONDITION_MARKS) -> bool:
    """Is the clause conditional: "if he wins", or governing one: "will strike if the talks fail"?"""
    if any(c.dep_ == "mark" and c.lower_ in marks for c in tok.children):
        return True
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
        for c in tok.children
    )


def _frame_uses_object(verb: Token, lexicon: Lexicon, index: MentionIndex, noun: Token) -> bool:
    """Does the verb's own event already say what its object noun says? True for frames that name
    their object ("imposed sanctions", "gave aid") or share its type; false for verbs that only
    report on an act ("condemned the invasion", "welcomed the release"), which is an event too."""
    entry = match_entry(verb, lexicon, index)
    if entry is None:
        return False
    noun_entry = match_entry(noun, lexicon, index)
    uses_object = any(c.key in ("obj", "objkind") for c in entry.conditions)
    return (
        uses_object
        or entry.event in CONTENT_TYPES
        or (noun_entry is not None and noun_entry.event == entry.event)
    )


def _support_object_entry(verb: Token, lexicon: Lexicon, index: MentionIndex, below: Token) -> Trigger | None:
    """The event a support verb carries through its object ("began a hunger strike" -> PROTEST), when
    the word we came up from (``below``) is not that object."""
    if not _is_support_verb(verb, lexicon):
        return None
    for obj in _children(verb, OBJECT_DEPS):
        if obj.i == below.i:
            continue
        entry = match_entry(obj, lexicon, index)
        if entry is not None:
            return entry
    return None


def under_content_verb(trigger: Token, lexicon: Lexicon, index: MentionIndex) -> bool:
    """Is the trigger the content of another trigger ("urged X to withdraw", "called for talks")?"""
    tok = trigger
    for _ in range(CONTENT_SEARCH_DEPTH):
        if tok.head.i == tok.i:
            return False
        dep, clause = tok.dep_, tok
        tok = tok.head
        if dep in OBJECT_DEPS and trigger.pos_ == "NOUN" and _frame_uses_object(tok, lexicon, index, trigger):
            return True  # "gave aid", "imposed sanctions": the verb's own frame already codes the noun
        if dep == "pobj" and tok.lower_ == "of" and trigger.pos_ == "NOUN" and tok.head.i != tok.i:
            # "the imposition of sanctions": the complement noun is the same event, not a second one
            if match_entry(tok.head, lexicon, index) is not None:
                return True
        if dep == "acl" and clause.tag_ == "VBN":
            return False  # "the release of schoolgirls abducted by Boko Haram": a fact, not the content
        if dep == "conj":
            if clause.tag_ in ("VBD", "VBZ") and tok.tag_ == "VB":
                return False  # "urged them to abandon Maduro and accused troops of ...": finite, its own act
            continue  # a conjunct shares its head's role: "urged X to stop ... and open talks"
        if dep in ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "advcl", "acl"):
            entry = match_entry(tok, lexicon, index) or _support_object_entry(tok, lexicon, index, clause)
            if entry and entry.event in CONTENT_TYPES and tok.i != trigger.i:
                return True
            # a clause with a subject of its own is a new statement; one without continues its head's
            if dep == "ccomp" or (dep in ("xcomp", "advcl") and _children(clause, SUBJECT_DEPS)):
                return False
        else:
            return False
    return False


# ---------------------------------------------------------------- candidates


def _recipients_of(
    tok: Token, index: MentionIndex, actors: list[dict[str, Any]], outward: bool = False
) -> list[dict[str, Any]]:
    """Who the event is done to, searched in order of how directly the parse says so.

    The indirect and direct object; the prepositional complements; the complements of the object
    noun ("sanctions on Russia", "calls by Belarus", "an appeal from the president"); then the same
    inside an open complement ("threatened to break relations with Russia"); then the subject of a
    that-clause ("demanded that the US cancel")."""

    own = {a.get("code") for a in actors} if outward else set()

    def keep(ms: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # ``outward``: the event is never aimed at the actor's own country ("ordered its jets into Belarus")
        return [m for m in ms if not _same_side(m, actors) and m.get("code") not in own]

    def search(verb: Token, depth: int) -> list[dict[str, Any]]:
        if depth == 0 and verb.dep_ == "xcomp" and _lemma(verb.head) in SUMMONING_VERBS:
            # "summoned Niger's ambassador to complain": the complaint is made to the one summoned
            found = keep([m for o in _children(verb.head, OBJECT_DEPS) for m in mentions_in(o, index)])
            if found:
                return found
        for obj in _children(verb, {"dative", "iobj"}):
            found = keep(mentions_in(obj, index)) or keep(
                [m for _, p in _prep_objects(obj, ("to",)) for m in mentions_in(p, index)]
            )
            if found:
                return found
        objects = _children(verb, OBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
        if not objects and depth == 0:
            # "shelled and destroyed two Iranian platforms": conjoined verbs share the object after them
            objects = [
                o for c in _children(verb, {"conj"}) if c.pos_ == "VERB" for o in _children(c, OBJECT_DEPS)
            ]
        for obj in objects:
            found = keep(mentions_in(obj, index))
            if found:
                return found
        for _, pobj in _prep_objects(verb, RECIPIENT_PREPS):
            found = keep(mentions_in(pobj, index))
            if not found:
                # "to its border with Ukraine", "outside the embassy of Russia": the place's owner
                # "mobilized reservists for a war against Iraq": the one the purpose is aimed at
                found = keep(
                    [
                        m
                        for _, p in _prep_objects(pobj, ("with", "of", "against"))
                        for m in mentions_in(p, index)
                    ]
                )
            if found:
                return found
        for obj in _children(verb, OBJECT_DEPS):
            # "concern over what he said was a Nato threat": the one the clause is about
            for prep in obj.children:
                if prep.dep_ == "prep" and prep.lower_ in RECIPIENT_PREPS:
                    found = keep(_clause_topic(prep, index))
                    if found:
                        return found
        for obj in _children(verb, OBJECT_DEPS):
            for _, pobj in _prep_objects(obj, OBJECT_NOUN_PREPS):
                found = keep(mentions_in(pobj, index))
                if found:
                    return found
        if depth < MAX_COMPLEMENT_DEPTH:
            # an open complement, or a purpose clause ("opened fire to disperse demonstrators")
            purposes = [
                c
                for c in _children(verb, {"advcl"})
                if not _children(c, SUBJECT_DEPS)
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            ]
            for comp in [*_children(verb, {"xcomp"}), *purposes]:
                found = search(comp, depth + 1)
                if found:
                    return found
        for clause in _children(verb, {"ccomp"}):
            # "demanded that the US cancel": the clause's subject; "warned that Israel would
            # devastate Lebanon": the subject is the actor's own side, so the clause's object
            found = keep([m for s in _children(clause, SUBJECT_DEPS) for m in mentions_in(s, index)])
            if found and _lemma(verb) not in NEWS_SPEECH:
                return found
            if depth < MAX_COMPLEMENT_DEPTH:
                found = search(clause, depth + 1)
                if found:
                    return found
        return []

    def conditions(verb: Token, depth: int) -> list[dict[str, Any]]:
        """ "threatened to stop talks if the United States goes ahead": the one the condition is on."""
        for clause in _children(verb, {"advcl"}):
            if any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in clause.children):
                found = keep([m for s in _children(clause, SUBJECT_DEPS) for m in mentions_in(s, index)])
                if found:
                    return found
        if depth < MAX_COMPLEMENT_DEPTH:
            for comp in _children(verb, {"xcomp"}):
                found = conditions(comp, depth + 1)
                if found:
                    return found
        return []

    def nested(verb: Token) -> list[dict[str, Any]]:
        """ "suspended part of a military aid program for Bosnia": a complement of a complement;
        "a camp for Congolese refugees was attacked": of the passive subject too."""
        for obj in _children(verb, OBJECT_DEPS | PASSIVE_SUBJECT_DEPS):
            # "shot down a helicopter carrying EC monitors": whom the object carried
            carried = [o for a in _children(obj, {"acl"}) for o in _children(a, OBJECT_DEPS)]
            found = keep([m for o in carried for m in mentions_in(o, index)])
            if found:
                return found
            frontier = [obj]
            for _ in range(NESTED_COMPLEMENT_DEPTH):
                frontier = [p for word in frontier for _, p in _prep_objects(word, OBJECT_NOUN_PREPS)]
                found = keep([m for word in frontier for m in mentions_in(word, index)])
                if found:
                    return found
        return []

    return search(tok, 0) or conditions(tok, 0) or nested(tok)


def _clause_topic(prep: Token, index: MentionIndex) -> list[dict[str, Any]]:
    """The first non-pronoun actor named in a clause that a preposition introduces ("over what he said
    was a Nato threat"), looking at what the clause is about rather than who says it."""
    for clause in prep.children:
        if clause.dep_ != "pcomp":
            continue
        for tok in clause.subtree:
            if tok.dep_ in ("attr", "dobj", "compound", "pobj", "nsubjpass"):
                mention = index.covering(tok)
                if mention and mention.get("code") and mention.get("kind") != "pronoun":
                    return [mention]
    return []


def _same_side(mention: dict[str, Any], actors: list[dict[str, Any]]) -> bool:
    """Is this mention the actor itself, or its own people ("recalled its ambassador")?

    A recipient of the actor's own country is kept only when it is a different part of that country
    (police against protesters, a government against rebels)."""
    for actor in actors:
        if mention is actor or (
            mention.get("kind") == "person"
            and (mention.get("name"), mention.get("code")) == (actor.get("name"), actor.get("code"))
        ):
            return True  # the same person named twice
        if mention.get("code") and mention.get("code") == actor.get("code"):
            if mention.get("text", "").split(" ")[0].lower() in OWN_POSSESSIVES:
                return True
            if mention.get("sector") == actor.get("sector"):
                return True
            if not mention.get("sector") and mention.get("kind") in STATE_KINDS:
                return True  # the state as a whole is the actor's own side
            if mention["code"] in ORGANIZATION_CODES:
                return True  # "he will withdraw UN inspectors": an organization's people are its own
            if (
                "context:" in mention.get("how", "")
                and mention.get("sector") == "MIL"
                and actor.get("sector") in (None, "GOV", "MIL")
            ):
                return True  # "Kenya deployed peacekeepers": unnamed forces placed by context are its own
    return False


def deontic_requests(doc: Doc, index: MentionIndex) -> tuple[list[Candidate], set[int]]:
    """ "Russia said Sudan must return the helicopter": a REQUEST from the speaker to the clause's subject.

    Returns the requests and the token indices of their clauses, whose own triggers are the
    request's content rather than events."""
    found: list[Candidate] = []
    content: set[int] = set()
    for tok in doc:
        if _lemma(tok) not in NEWS_SPEECH or tok.pos_ != "VERB":
            continue
        for clause in _children(tok, {"ccomp"}):
            aux = {c.lower_ for c in clause.children if c.dep_ == "aux"}
            if not aux & DEONTIC_AUX or _is_negated(clause):
                continue
            actors, _ = verb_subject(tok, index)
            recipients = [m for s in _children(clause, SUBJECT_DEPS) for m in mentions_in(s, index)]
            found.append(Candidate(tok, DEONTIC, "REQUEST", actors, recipients))
            content.update(t.i for t in clause.subtree)
    return found, content


def find_candidates(doc: Doc, lexicon: Lexicon, index: MentionIndex) -> list[Candidate]:
    candidates, content = deontic_requests(doc, index)
    in_time = {i for d in doc._.fp_dates or [] for i in range(d["token_start"], d["token_end"])}
    for tok in doc:
        if tok.i in content or tok.i in in_time:
            continue  # "March 8" is a date, not a march
        if tok.dep_ in MODIFIER_DEPS and tok.pos_ != "VERB" and _lemma(tok.head) not in GENERIC_EVENT_HEADS:
            continue  # "riot police", "strike group": a noun modifying another is not an event
        named = index.covering(tok)
        if named is not None and named.get("kind") in NAME_KINDS:
            continue  # "Amnesty International", "the Security Council": part of a name, not a trigger
        entry = match_entry(tok, lexicon, index)
        if entry is None or _formula(tok, entry):
            continue
        if under_content_verb(tok, lexicon, index) or _aim_of_event(tok, lexicon, index):
            continue
        if entry.pos in ("V", "A"):
            actors, passive = verb_subject(tok, index)
            if not passive and any(c.dep_ == "auxpass" for c in tok.children):
                if any(c.key == "pass" for c in entry.conditions):
                    # a stative passive: "Vietnam is committed to opening up" - the subject holds it
                    subjects = _children(tok, PASSIVE_SUBJECT_DEPS)
                    actors = [m for sub in subjects for m in mentions_in(sub, index)]
                else:
                    # passive with no agent: the surface subject is the recipient, the actor unknown
                    actors = []
            recipients = _recipients_of(tok, index, actors, outward=entry.event in OUTWARD_TYPES)
            if not actors and len(recipients) > 1 and _prep_objects(tok, ("between",)):
                actors, recipients = recipients[:1], recipients[1:]  # "fighting broke out between X and Y"
            if not recipients and tok.dep_ == "acl" and tok.tag_ == "VBN":
                recipients = [m for m in mentions_in(tok.head, index) if not _same_side(m, actors)]
            if entry.flipped:
                # "Jordan is to receive loans from Japan": the giver acts, the receiver is the recipient
                holders = [tok, *(t for o in _children(tok, OBJECT_DEPS) for t in o.subtree)]
                givers = [
                    m for h in holders for _, p in _prep_objects(h, ("from",)) for m in mentions_in(p, index)
                ]
                actors, recipients = givers, actors
            if passive and tok.dep_ == "acl" and entry.event in ("SUPPORT", "AID"):
                backed = {m.get("code") for m in mentions_in(tok.head, index)}
                if backed and {m.get("code") for m in actors} <= backed:
                    continue  # "troops, backed by tanks": one side's arms, not an act of support
        else:
            # "a mediation effort between X and Y": the generic head noun carries the arguments
            noun = tok.head if tok.dep_ in MODIFIER_DEPS and _lemma(tok.head) in GENERIC_EVENT_HEADS else tok
            place = _measure_anchor(noun)
            head = place.head
            actors = noun_actor(noun, index, entry.event)
            via_support = place.dep_ in OBJECT_DEPS | {"nsubjpass", "attr"} and _is_support_verb(
                head, lexicon
            )
            if via_support and not actors:
                actors, _ = verb_subject(head, index)
            # "held talks with leaders of Romania's government": a meeting's own partner first
            recipients = noun_recipients(noun, index, actors) if entry.event == "CONSULT" else []
            if via_support and not recipients:
                recipients = _recipients_of(head, index, actors)
            if not actors and place.dep_ == "pobj" and _lemma(place.head.head) in GATHERING_VERBS:
                actors, _ = verb_subject(place.head.head, index)  # "negotiators return to Geneva for talks"
            if not recipients and place.dep_ == "nsubj" and _lemma(head) in HARM_VERBS:
                # "US Predator attacks have killed eight al-Qaeda leaders": the harmed are the targets
                recipients = _recipients_of(head, index, actors)
            if not recipients:
                recipients = noun_recipients(noun, index, actors)
            if not actors and recipients and any(p == "between" for p, _ in _prep_objects(tok, ("between",))):
                actors, recipients = recipients[:1], recipients[1:]
        event = entry.event
        prepared_noun = entry.pos == "N" and tok.dep_ in OBJECT_DEPS and _lemma(tok.head) in READINESS_HEADS
        if event == "ASSAULT" and (_readied(tok) or prepared_noun):
            event = "MOBILIZE"  # "the army prepared to resume shelling": readiness, not yet force
        if not actors and event in CROWD_TYPES:
            actors = _crowd_from_context(tok, index)
        if event == "ASSAULT" and any(set(m.get("text", "").lower().split()) & RIOTERS for m in actors):
            event = "PROTEST"  # "rioters set cars on fire", "demonstrators clashed with police": a riot
        if event == "AGREE" and entry.pos in ("V", "A") and _promises_conflict(tok, lexicon, index):
            event = "THREATEN"  # "vowing to besiege the capital": a promise of force is a threat
        candidates.append(Candidate(tok, entry, event, actors, recipients))
    return candidates


def _aim_of_event(trigger: Token, lexicon: Lexicon, index: MentionIndex) -> bool:
    """Is the trigger the aim of another event ("resigned to allow elections", "met to discuss trade")?
    A purpose clause says what an act was for, which is not yet an act of its own."""
    return (
        trigger.dep_ == "advcl"
        and trigger.pos_ == "VERB"
        and not _children(trigger, SUBJECT_DEPS)
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
        and match_entry(trigger.head, lexicon, index) is not None
    )


def _formula(trigger: Token, entry: Trigger) -> bool:
    """News formulas that look like events and are none: "declined to comment", "asked not to be
    identified", "called the attacks an escalation" (naming, not a call), "speaking to reporters"."""
    for clause in _children(trigger, {"xcomp"}):
        if entry.event not in ("REJECT", "REQUEST"):
            break
        if _lemma(clause) in NO_COMMENT_VERBS:
            return True
        objects = _children(clause, OBJECT_DEPS)
        if _lemma(clause) in TALK_VERBS and (not objects or all(_lemma(o) in VAGUE_TOPICS for o in objects)):
            return True  # "declined to discuss the matter", "refused to answer questions"
    if entry.event == "CONSULT" and entry.pos == "V" and any(c.dep_ == "oprd" for c in trigger.children):
        return True
    if entry.event == "CONSULT" and entry.pos == "V":
        heard = [p for _, p in _prep_objects(trigger, ("to", "with"))] + _children(trigger, OBJECT_DEPS)
        if heard and all(_lemma(p) in AUDIENCE_WORDS for p in heard):
            return True
    return False


def _readied(trigger: Token) -> bool:
    """Is the act only being readied: "prepared to (resume) shelling", "massing to attack"?"""
    tok = trigger
    for _ in range(2):
        if tok.dep_ != "xcomp":
            return False
        tok = tok.head
        if _lemma(tok) in READINESS_HEADS:
            return True
        if _lemma(tok) not in ASPECT_VERBS:
            return False
    return False


def _crowd_from_context(trigger: Token, index: MentionIndex) -> list[dict[str, Any]]:
    """ "Tens of thousands marched", "nationwide protests": a crowd with no name of its own is the
    civilians of the one country its sentence names (by an actor or a place), if there is just one."""
    sentence = trigger.sent
    countries = {
        m["code"]
        for i in range(sentence.start, sentence.end)
        if (m := index.covering(trigger.doc[i])) and m.get("code") and m.get("kind") in COUNTRY_KINDS
    }
    countries |= {
        p["country_code"]
        for p in trigger.doc._.fp_places or []
        if p.get("country_code") and sentence.start <= p.get("token_start", -1) < sentence.end
    }
    if len(countries) != 1:
        return []
    subjects = _children(trigger, SUBJECT_DEPS)
    span = (
        trigger.doc[subjects[0].left_edge.i : subjects[0].i + 1]
        if subjects
        else trigger.doc[trigger.i : trigger.i + 1]
    )
    code = next(iter(countries))
    return [
        {
            "text": span.text,
            "start": span.start_char,
            "end": span.end_char,
            "token_start": span.start,
            "token_end": span.end,
            "head": span.root.i,
            "name": f"civilians ({code})",
            "code": code,
            "sector": "CVL",
            "office": None,
            "kind": "role",
            "how": "context:sentence-country",
        }
    ]


def _promises_conflict(verb: Token, lexicon: Lexicon, index: MentionIndex) -> bool:
    for comp in _children(verb, {"xcomp"}):
        entry = match_entry(comp, lexicon, index)
        if entry is not None and entry.event in CONFLICT_INTENT | {"THREATEN"}:
            return True
    return False


def _measure_anchor(noun: Token) -> Token:
    """The word that stands in the noun's place in the clause: "two weeks of exercises" -> weeks."""
    tok = noun
    for _ in range(2):
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lemma(tok.head.head) in MEASURE_NOUNS:
            tok = tok.head.head
        else:
            break
    return tok


def noun_recipients(noun: Token, index: MentionIndex, actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    taken = {id(a) for a in actors}
    for prep, pobj in _prep_objects(noun, RECIPIENT_PREPS):
        found = [m for m in mentions_in(pobj, index) if id(m) not in taken]
        if prep == "between" and found:
            return found
        if found:
            return found
    return []


# ---------------------------------------------------------------- events


def _state_sector(trigger: Token, event_type: str) -> str:
    """The sector a bare state name acts through: its military when it moves or uses armed force
    ("China sent warships", "Russia invaded Georgia"), its government otherwise."""
    if event_type in ("ASSAULT", "MOBILIZE"):
        words = [trigger, *trigger.children, *(g for c in trigger.children for g in c.children)]
        if event_type == "ASSAULT" or any(_lemma(w) in MILITARY_WORDS for w in words):
            return "MIL"
    return "GOV"


def _actor_record(mention: dict[str, Any], generic_igo: bool, state_sector: str | None = None) -> Actor:
    code = mention["code"]
    if generic_igo and (mention.get("kind") == "igo" or code in PLOVER_IGO_CODES):
        code = "IGO"  # the UN's and the EU's own people too ("Ban Ki-moon": UNO -> IGO)
    sector = mention.get("sector")
    if sector is None and mention.get("kind") in STATE_KINDS:
        sector = state_sector  # "Sweden recognised Palestine": a state acts through its government
    return Actor(
        entity_text=mention["text"],
        entity_name=mention.get("name") or mention["text"],
        code=code,
        sector=sector,
        office=mention.get("office"),
        how=mention.get("how", ""),
    )


def sentence_numbers(doc: Doc) -> dict[int, int]:
    """Token index -> the number of its sentence."""
    return {i: n for n, sent in enumerate(doc.sents) for i in range(sent.start, sent.end)}


def _evidence_span(
    trigger: Token, actors: list[dict[str, Any]], recipients: list[dict[str, Any]]
) -> tuple[int, int]:
    """Characters from the first participant (or trigger) to the last, within the sentence."""
    sent = trigger.sent
    starts = [trigger.idx] + [
        m["start"] for m in actors + recipients if sent.start_char <= m["start"] < sent.end_char
    ]
    ends = [trigger.idx + len(trigger.text)] + [
        m["end"] for m in actors + recipients if sent.start_char < m["end"] <= sent.end_char
    ]
    return min(starts), max(ends)


def build_events(
    doc: Doc,
    candidates: list[Candidate],
    index: MentionIndex,
    date_finder: Any,
    place_finder: Any,
    generic_igo: bool,
    context_cues: dict[tuple[str, ...], str] | None = None,
) -> list[dict[str, Any]]:
    context_cues = context_cues or {}
    anchor = dt.date.fromisoformat(doc._.fp_anchor) if doc._.fp_anchor else None
    sentence_of = sentence_numbers(doc)
    seen: set[tuple[Any, ...]] = set()
    events: list[dict[str, Any]] = []
    dates = doc._.fp_dates or []
    places = doc._.fp_places or []
    for cand in candidates:
        if not cand.actors and cand.event in AUTHORITY_TYPES:
            cand.actors = _authorities(doc, cand.trigger, index, places, place_finder)
        if not cand.actors and not (cand.event in UNKNOWN_ACTOR_TYPES and cand.recipients):
            continue  # an event needs an actor, except violence whose victims are known
        trigger = cand.trigger
        time = date_finder(doc, trigger.i, dates) if date_finder else None
        modality = modality_of(trigger, anchor, time)
        if modality == "hypothetical" and trigger.pos_ == "NOUN":
            continue  # "a potential threat", "a proposed summit": talk of an event, not an event
        event_type = cand.event
        if modality == "negated" and cand.entry.negated_as:
            event_type, modality = cand.entry.negated_as, "asserted"
        event_type, modality = announced_intent(trigger, event_type, modality, cand.actors, index)
        state_sector = _state_sector(trigger, event_type)
        actors = [_actor_record(m, generic_igo, state_sector) for m in cand.actors]
        recipients = [_actor_record(m, generic_igo, "GOV") for m in cand.recipients]
        if not recipients and event_type in DOMESTIC_TARGETS and len({a.code for a in actors}) == 1:
            # a protest or a crackdown that names no target is aimed at home: protesters at their
            # own government, a curfew or martial law at the actor's own people
            recipients = [_derived_recipient(actors[0].code, DOMESTIC_TARGETS[event_type])]
        if not recipients and event_type in DOMESTIC_VERBAL_TYPES:
            recipients = _home_recipient(trigger, cand, actors, index)
        if not recipients and _reciprocal(event_type, cand) and len({a.code for a in actors}) > 1:
            # "Kerry and Lavrov met": a dyad, first party as actor, the others as recipient, so that
            # dyad series see it (gold standards accept either order for such events)
            first = actors[0].code
            actors, recipients = (
                [a for a in actors if a.code == first],
                [a for a in actors if a.code != first],
            )
        key = (
            sentence_of.get(trigger.i),
            event_type,
            tuple(sorted(a.code for a in actors)),
            tuple(sorted(r.code for r in recipients)),
            modality,
        )
        if key in seen:
            continue
        seen.add(key)
        if time and time.get("value") and time.get("precision"):
            date, precision = _first_day(time), time["precision"]
        else:
            date, precision = doc._.fp_anchor, "story"
        place = _event_place(doc, trigger, event_type, places, place_finder)
        speakers, claimed = reported_speech(trigger, index)
        if (
            not recipients
            and event_type in LOCATION_RECIPIENT_TYPES
            and place
            and place.get("country_code")
            # "deployed troops to its northern border": a mobilisation at home is aimed at no one named
            and not (event_type in OUTWARD_TYPES and place["country_code"] in {a.code for a in actors})
        ):
            # one-sided acts aimed at a place ("demonstrated in Serbia", "imposed a curfew in Cizre")
            # are directed at that country, as CAMEO and PLOVER coders record them
            # a curfew in Cizre is on its people, shells fired at Jericho on its people
            recipients = [_place_recipient(place, PLACE_TARGETS.get(event_type), "location")]
        if not recipients and event_type in CONTENT_PLACE_TYPES:
            aimed = _content_place(doc, trigger, index, places, place_finder)
            if aimed is not None and aimed["country_code"] not in {a.code for a in actors}:
                # "refused to deploy peacekeepers in Iraq", "threatened to send troops into Syria"
                recipients = [_place_recipient(aimed, None, "location-of-content")]
        start, end = _evidence_span(trigger, cand.actors, cand.recipients)
        # the entry's mode only where the type is still the entry's own ("rioters burned cars": riot)
        mode = (
            cand.entry.mode
            if event_type == cand.entry.event
            else SHIFTED_MODES.get((cand.entry.event, event_type))
        )
        confidence = CONFIDENCE_BASE[cand.entry.pos]
        if recipients:
            confidence += CONFIDENCE_RECIPIENT_BONUS
        if cand.entry.conditions:
            confidence += CONFIDENCE_FRAME_BONUS
        event = Event(
            story_id=doc._.fp_story_id or "",
            event=event_type,
            actor=actors,
            recipient=recipients,
            date=date,
            date_precision=precision,
            mode=mode,
            context=_contexts(trigger, cand, context_cues),
            modality=modality,
            quad_code=quad_code(event_type),
            event_scale=event_scale(event_type, mode),
            event_loc=_place_record(place),
            event_text=trigger.text if trigger.pos_ != "VERB" else _verb_phrase(trigger),
            text_info=TextInfo(
                sentence=sentence_of.get(trigger.i, 0), start=start, end=end, text=doc.text[start:end]
            ),
            confidence=round(min(confidence, 0.95), 2),
            reported_by=[_actor_record(m, generic_igo, "GOV") for m in speakers],
            claimed=claimed,
        )
        events.append(event.to_dict())
    return events


def _derived_recipient(code: str, sector: str | None, text: str = "") -> Actor:
    """A recipient the text implies rather than names: the actor's own country, in this sector."""
    return Actor(
        entity_text=text,
        entity_name=f"{sector} ({code})",
        code=code,
        sector=sector,
        how="default:own-country",
    )


def _place_recipient(place: dict[str, Any], sector: str | None, how: str) -> Actor:
    """A recipient that is the country of a place the act is aimed at."""
    return Actor(
        entity_text=place["text"],
        entity_name=place.get("name") or place["text"],
        code=place["country_code"],
        sector=sector,
        how=how,
    )


def _home_recipient(trigger: Token, cand: Candidate, actors: list[Actor], index: MentionIndex) -> list[Actor]:
    """The actor's own country as the recipient of an unaddressed concession, demand, refusal or threat
    (DOMESTIC_VERBAL_TYPES), when the actor is a group or an official, not a state named as a whole, and
    no other country is in sight."""
    if (
        len({a.code for a in actors}) != 1
        or not all(m.get("kind") not in STATE_KINDS and m.get("sector") for m in cand.actors)
        or not _only_country_named(trigger, actors[0].code, index)
        or _addresses_uncoded_body(trigger, index)
    ):
        return []
    objects = _children(trigger, OBJECT_DEPS | {"dative"}) + [
        s for c in _children(trigger, {"xcomp", "ccomp"}) for s in _children(c, SUBJECT_DEPS)
    ]
    named = [  # "allowed opposition leader X to ...": an unplaced object keeps its own sector
        m for o in objects if (m := index.covering(o)) is not None and m.get("sector") and not m.get("code")
    ]
    if named:
        return [_derived_recipient(actors[0].code, named[0]["sector"], named[0]["text"])]
    return [_derived_recipient(actors[0].code, "CVL" if actors[0].sector in STATE_SECTORS else "GOV")]


def _authorities(
    doc: Doc, trigger: Token, index: MentionIndex, places: list[dict[str, Any]], place_finder: Any
) -> list[dict[str, Any]]:
    """Who arrested, detained or deported when the story does not say: only a state's authorities do
    ("five managers were arrested, police said": the police who report it; "a missionary was arrested
    in Lebanon": Lebanon's authorities). Only for an agentless passive."""
    if not any(c.dep_ in ("auxpass", "nsubjpass") for c in trigger.children):
        return []
    speakers, _ = reported_speech(trigger, index)
    police = [m for m in speakers if m.get("code") and m.get("sector") in ("COP", "GOV", "JUD")]
    if police:
        return police
    place = place_finder(doc, trigger.i, places) if place_finder and places else None
    if place and place.get("country_code"):
        return [
            {
                "text": "",
                "name": f"authorities ({place['country_code']})",
                "code": place["country_code"],
                "sector": "COP",
                "kind": "role",
                "start": trigger.idx,
                "end": trigger.idx,
                "token_start": trigger.i,
                "token_end": trigger.i,
                "head": trigger.i,
                "how": f"default:authorities-of-place:{place['text']}",
            }
        ]
    return []


def _reciprocal(event_type: str, cand: Candidate) -> bool:
    """Is a compound actor a dyad of parties acting on each other ("Kerry and Lavrov met", "A and B
    failed to agree", "troops and rebels clashed"), not co-actors ("Britain and West Germany oppose
    the plan", "Iraq and Iran attacked shipping")?"""
    if event_type in ("CONSULT", "AGREE", "COOPERATE"):
        return True
    lemma = _lemma(cand.trigger)
    if event_type == "REJECT":
        return cand.entry.event == "AGREE"  # a failed agreement is between its parties
    if event_type == "SUPPORT":
        return lemma in SIGNING_LEMMAS or lemma in ("recognise", "recognize", "restore", "establish")
    if event_type == "ASSAULT":
        return lemma in MUTUAL_FIGHTING
    return event_type in RECIPROCAL_TYPES


def _addresses_uncoded_body(trigger: Token, index: MentionIndex) -> bool:
    """Is the act addressed to a body with no country ("called on the international community")?
    Then it is not aimed at home."""
    heard = _children(trigger, OBJECT_DEPS | {"dative"}) + [
        p for _, p in _prep_objects(trigger, RECIPIENT_PREPS)
    ]
    return any(
        (m := index.covering(t)) is not None
        and not m.get("code")
        and m.get("kind") in ("bloc", "igo", "ngo", "group")
        for t in heard
    )


def _content_place(
    doc: Doc, trigger: Token, index: MentionIndex, places: list[dict[str, Any]], place_finder: Any
) -> dict[str, Any] | None:
    """The country where the material act a promise, refusal, demand or threat is about would happen."""
    if not place_finder:
        return None
    lexicon = load_lexicon()
    for clause in _children(trigger, {"xcomp"}):
        entry = match_entry(clause, lexicon, index)
        if entry is None or entry.event not in MATERIAL_TYPES:
            continue
        place = place_finder(doc, clause.i, places)
        if place and place.get("country_code"):
            return place
    return None


def _only_country_named(trigger: Token, code: str, index: MentionIndex) -> bool:
    """Do the trigger's sentence and the one before it name no country but ``code`` (by actors or
    places)? "Mr Kerry pushed Mr Lavrov ... But Mr Lavrov offered nothing": the other party of the
    last sentence is still the one addressed."""
    sentence = trigger.sent
    start = sentence.start
    if start > 0:
        start = trigger.doc[start - 1].sent.start
    for tok in trigger.doc[start : sentence.end]:
        mention = index.covering(tok)
        if mention and mention.get("code") and mention["code"] != code:
            return False
    return all(
        p.get("country_code") in (None, "", code)
        for p in trigger.doc._.fp_places or []
        if start <= p.get("token_start", -1) < sentence.end
    )


def announced_intent(
    trigger: Token, event_type: str, modality: str, actors: list[dict[str, Any]], index: MentionIndex
) -> tuple[str, str]:
    """PLOVER codes a stated intention by what it promises or threatens, not by the act itself.

    "Finland will give Tanzania a grant" and "Syria says it is willing to withdraw" are AGREE;
    "they said they would boycott all contact" and "will withdraw ... unless" are THREATEN. A plain
    forecast of conflict ("the West will impose sanctions on Monday") keeps its type, as ``future``.
    """
    if trigger.pos_ == "NOUN" or _under_a_plan(trigger):
        return event_type, modality
    willing = trigger.dep_ == "xcomp" and _lemma(trigger.head) in WILLING_WORDS
    would_if = modality == "hypothetical" and any(
        c.dep_ == "aux" and c.lower_ in ("would", "will") for c in trigger.children
    )
    if modality not in ("future",) and not willing and not would_if:
        return event_type, modality
    stated = any(
        c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"would", "going"}
        for t in _verb_chain_up(trigger)[:2]
        for c in t.children
    )
    if not (stated or willing):
        return (
            event_type,
            modality,
        )  # "expected to resign", "is due to take effect": a forecast, not a promise
    conditional = any(_has_if(t) for t in _verb_chain_up(trigger)[:2])
    if event_type in COOPERATIVE_INTENT or (event_type == "SUPPORT" and _lemma(trigger) in SIGNING_LEMMAS):
        # "will withdraw its force unless ..." is a threat; "would meet him if ..." an offer
        unless = any(_has_if(t, ("unless",)) for t in _verb_chain_up(trigger)[:2])
        return ("THREATEN" if unless else "AGREE"), "asserted"
    if event_type in VERBAL_INTENT and _own_announcement(trigger, actors, index):
        return "AGREE", "asserted"  # "Hungary said it will support the resolution"
    if event_type in CONFLICT_INTENT and (
        willing or conditional or (event_type != "MOBILIZE" and _own_announcement(trigger, actors, index))
    ):
        # a stated future deployment ("will send troops to Poland") stays MOBILIZE unless conditional
        return "THREATEN", "asserted"
    return event_type, modality


def _own_announcement(trigger: Token, actors: list[dict[str, Any]], index: MentionIndex) -> bool:
    """Is the clause the reported speech of its own actor ("Palestinians said they would boycott")?"""
    clause = _verb_chain_up(trigger)[-1] if trigger.dep_ != "ccomp" else trigger
    for tok in (trigger, clause):
        if tok.dep_ == "ccomp" and _lemma(tok.head) in NEWS_SPEECH:
            speakers, _ = verb_subject(tok.head, index)
            if any(_same_party(s, a) for s in speakers for a in actors):
                return True
            return any(c.dep_ in SUBJECT_DEPS and c.pos_ == "PRON" for c in tok.children)
    return False


def _same_party(speaker: dict[str, Any], actor: dict[str, Any]) -> bool:
    """Two people are one party only if they are the same person; otherwise the country decides."""
    people = (speaker.get("kind") in PERSON_KINDS, actor.get("kind") in PERSON_KINDS)
    if any(people) and speaker.get("name") and actor.get("name"):
        return speaker.get("name") == actor.get("name")  # "The Russian president ..., he said": two people
    return bool(speaker.get("code")) and speaker.get("code") == actor.get("code")


def reported_speech(trigger: Token, index: MentionIndex) -> tuple[list[dict[str, Any]], bool]:
    """Who reports the event, and whether it is only their allegation.

    "Russia said Ukraine shelled the plant": reported by Russia. "Ukraine accused Russia of shelling
    the plant": reported by Ukraine and claimed (the story does not assert it). Quotes followed by
    "..., he said" parse the same way, so they are attributed to their speaker too."""
    tok = trigger
    for _ in range(SPEECH_SEARCH_DEPTH):
        if tok.head.i == tok.i:
            break
        if (
            tok.dep_ == "pcomp"
            and tok.head.lower_ in ("of", "for")
            and _lemma(tok.head.head) in ACCUSING_VERBS
        ):
            speakers, _ = verb_subject(tok.head.head, index)
            return speakers, True
        if tok.dep_ == "xcomp" and _lemma(tok.head) in ALLEGING_SPEECH:
            speakers, _ = verb_subject(tok.head, index)  # "the Houthis claimed to have launched attacks"
            return speakers, True
        if tok.dep_ in ("ccomp", "parataxis") and _lemma(tok.head) in NEWS_SPEECH | ACCUSING_VERBS:
            speakers, _ = verb_subject(tok.head, index)
            return speakers, _lemma(tok.head) in ALLEGING_SPEECH
        if tok.dep_ not in ("xcomp", "conj", "advcl", "aux", "dobj", "pobj", "prep", "pcomp"):
            break
        tok = tok.head
    return [], False


def _contexts(trigger: Token, cand: Candidate, cues: dict[tuple[str, ...], str]) -> list[str]:
    """The lexicon entry's contexts, then those the sentence's words cue (context_cues.tsv)."""
    found = list(cand.entry.context)
    lemmas = [_lemma(t) for t in trigger.sent]
    for n in (2, 1):
        for i in range(len(lemmas) - n + 1):
            context = cues.get(tuple(lemmas[i : i + n]))
            if context and context not in found:
                found.append(context)
    if "military" not in found and any(m.get("sector") == "MIL" for m in cand.actors + cand.recipients):
        found.append("military")
    return found


def _event_place(
    doc: Doc, trigger: Token, event_type: str, places: list[dict[str, Any]], place_finder: Any
) -> dict[str, Any] | None:
    """Where the event happened: the places stage's attached place; for a conjoined verb, the place of
    the verb it shares its adjuncts with ("met X in Cairo and pressed them"); for a withdrawal, the
    place left ("pulled out of Mekelle")."""
    if not place_finder:
        return None
    place = place_finder(doc, trigger.i, places)  # with no toponym, "across the country" still places it
    if place is None and trigger.dep_ == "conj" and trigger.head.pos_ == "VERB":
        place = place_finder(doc, trigger.head.i, places)
    if place is None and event_type == "RETREAT":
        by_token = {i: p for p in places for i in range(p["token_start"], p["token_end"])}
        for prep in trigger.children:
            if prep.dep_ in ("prep", "prt") and prep.lower_ in ("from", "out"):
                for obj in prep.subtree:
                    if obj.i in by_token and obj.dep_ == "pobj":
                        return by_token[obj.i]
    return place


def _first_day(time: dict[str, Any]) -> str:
    if time.get("range"):
        return time["range"][0] if time["precision"] != "day" else time["value"]
    return time["value"]


def _verb_phrase(tok: Token) -> str:
    parts = [c for c in tok.children if c.dep_ in ("neg", "prt")] + [tok]
    parts.sort(key=lambda t: t.i)
    return " ".join(t.text for t in parts)


def _place_record(place: dict[str, Any] | None) -> Place | None:
    if not place:
        return None
    return Place(
        extracted_place=place["text"],
        resolved_place=place.get("name"),
        geonameid=place.get("geonameid"),
        lat=place.get("lat"),
        lon=place.get("lon"),
        country_code=place.get("country_code"),
        admin1=place.get("admin1"),
        feature=place.get("feature"),
        resolution=place.get("resolution", ""),
    )


def merge_mentions(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One event per story for the same type, actor, recipient, date and modality.

    The first mention keeps its id and evidence; later ones add their spans to ``evidence`` and
    count in ``num_mentions``. Contexts are unioned; the highest confidence wins."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for event in events:
        key = (
            event["event"],
            tuple(sorted(a["code"] for a in event["actor"])),
            tuple(sorted(r["code"] for r in event["recipient"])),
            event["date"] if event["date_precision"] != "story" else None,
            event["modality"],
        )
        first = merged.get(key)
        if first is None and not event["recipient"]:
            # "would prohibit aid to the rebels and would deny entry to ...": in one sentence, the same
            # act with no recipient named is a further mention of the one that names it
            first = next(
                (
                    e
                    for k, e in merged.items()
                    if k[:2] == key[:2]
                    and k[3:] == key[3:]
                    and e["recipient"]
                    and e["text_info"]
                    and event["text_info"]
                    and e["text_info"]["sentence"] == event["text_info"]["sentence"]
                ),
                None,
            )
        if first is None:
            event["evidence"] = [event["text_info"]] if event["text_info"] else []
            merged[key] = event
            continue
        first["num_mentions"] += 1
        if event["text_info"]:
            first["evidence"].append(event["text_info"])
        first["context"] += [c for c in event["context"] if c not in first["context"]]
        first["confidence"] = max(first["confidence"], event["confidence"])
        if first["event_loc"] is None:
            first["event_loc"] = event["event_loc"]
    return _fold_actorless(list(merged.values()))


def _fold_actorless(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "Burundian militiamen attacked the camp, killing 156 refugees": in one sentence, violence with no
    actor named and no other target is the same violence as the act that names its actor."""
    kept = []
    for event in events:
        own = {r["code"] for r in event["recipient"]}
        home = next(
            (
                e
                for e in events
                if e is not event
                and not event["actor"]
                and e["actor"]
                and e["event"] == event["event"]
                and e["modality"] == event["modality"]
                and e["text_info"]
                and event["text_info"]
                and e["text_info"]["sentence"] == event["text_info"]["sentence"]
                and own <= {r["code"] for r in e["recipient"]}
            ),
            None,
        )
        if home is None:
            kept.append(event)
            continue
        home["num_mentions"] += event["num_mentions"]
        home["evidence"] += event["evidence"]
    return kept


def _optional(module: str, name: str) -> Any:
    """The dates and places stages are optional in a user's pipeline: use them when present."""
    import importlib

    try:
        return getattr(importlib.import_module(f"flashpoint.nlp.{module}"), name)
    except (ImportError, AttributeError):
        return None


@Language.factory(
    "flashpoint_events",
    requires=[
        "token.dep",
        "token.lemma",
        "token.pos",
        "doc._.fp_actors",
        "doc._.fp_dates",
        "doc._.fp_places",
    ],
    assigns=["doc._.fp_events"],
    default_config={"generic_igo": True},
)
def make_events(nlp: Language, name: str, generic_igo: bool) -> EventCoder:
    return EventCoder(generic_igo=generic_igo)


class EventCoder:
    """The ``flashpoint_events`` component. ``generic_igo``: code every IGO as ``IGO`` (the CAMEO and
    PLOVER gold convention) instead of PLOVER's UNO/EUR for the UN and the EU."""

    def __init__(self, generic_igo: bool = True) -> None:
        self.lexicon = load_lexicon()
        self.generic_igo = generic_igo
        self.date_finder = _optional("dates", "event_date")
        self.place_finder = _optional("places", "event_location")

    def __call__(self, doc: Doc) -> Doc:
        index = MentionIndex(fill_unknown_countries(doc, doc._.fp_actors or []))
        candidates = find_candidates(doc, self.lexicon, index)
        events = build_events(
            doc,
            candidates,
            index,
            self.date_finder,
            self.place_finder,
            self.generic_igo,
            self.lexicon.context_cues,
        )
        self.set_annotations(doc, merge_mentions(events))
        return doc

    @staticmethod
    def set_annotations(doc: Doc, events: list[dict[str, Any]]) -> None:
        doc._.fp_events = events
