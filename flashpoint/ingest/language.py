"""A cheap "is this English?" gate for stories (E013), run before any NLP.

It counts how many words are common English function words. English news prose is about a third
function words; other languages score near zero because the list leaves out words that are also
common in French, Spanish, German, Italian or Dutch ("a", "in", "on", "no", "die", "was"). Texts too
short to judge by counting pass on the word test, but every text must be mostly Latin script, so a
short Russian or Chinese story is still caught. No model, no dictionary file: a few microseconds a story.
"""

from __future__ import annotations

import re

# English-only function words, plus the number, weekday and day words that fill news sentences;
# none of them is frequent in the big West European languages.
FUNCTION_WORDS = frozenset(
    """
    the of and to is are was were be been being has have had that this these those with for from
    by at it its they them their he she his her him we our us you your which who whom whose what
    when where while would will should could can may might must shall not but or than then there
    also after before about into over under against between during said says say told other
    such only any some more most very just because if do does did how why an
    one two three four five first last new now up out off all yesterday today tomorrow
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)

# Below this many words a headline such as "Russia recalls ambassador" cannot be judged by counting.
MIN_WORDS_TO_JUDGE = 12
# Only the start of a long story is checked: the language of a news story does not change midway.
SAMPLE_CHARS = 5_000
# At least this share of the letters must be Latin (ASCII or accented) for the text to be English.
MIN_LATIN_LETTER_SHARE = 0.8

_WORD = re.compile(r"[^\W\d_]+")


def english_ratio(text: str) -> float:
    """Share of the words in ``text`` (its first SAMPLE_CHARS) that are English function words."""
    words = _WORD.findall(text[:SAMPLE_CHARS].lower())
    if not words:
        return 0.0
    return sum(word in FUNCTION_WORDS for word in words) / len(words)


def latin_letter_share(text: str) -> float:
    """Share of letters in the sample that are Latin script (U+0000–U+024F)."""
    letters = [ch for ch in text[:SAMPLE_CHARS] if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(ord(ch) <= 0x024F for ch in letters) / len(letters)


def looks_english(text: str, min_ratio: float) -> bool:
    """True when ``text`` plausibly is English: Latin script and, if long enough, enough function words."""
    if latin_letter_share(text) < MIN_LATIN_LETTER_SHARE:
        return False
    if len(_WORD.findall(text[:SAMPLE_CHARS])) < MIN_WORDS_TO_JUDGE:
        return True
    return english_ratio(text) >= min_ratio
