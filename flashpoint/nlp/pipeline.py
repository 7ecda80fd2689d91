"""Build flashpoint's spaCy pipeline: the configured model plus our registered components.

The components are ordinary spaCy factories, so a user can also add them to a pipeline of their
own (``nlp.add_pipe("flashpoint_actors")`` and so on, in the order of :data:`COMPONENTS`).
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..config import Settings
from ..errors import FlashpointError
from . import actors, dates, events, places  # noqa: F401  (register the factories)

# The order matters: events read what the three stages before them write.
COMPONENTS = ("flashpoint_actors", "flashpoint_dates", "flashpoint_places", "flashpoint_events")
# spaCy's default max_length guards against parser memory blow-ups; our own limit (Settings.max_chars)
# cuts stories earlier, so the model's limit only has to stay above it.
MODEL_MAX_LENGTH_MARGIN = 1_000


def build_pipeline(settings: Settings) -> Language:
    try:
        nlp = spacy.load(settings.model, exclude=[])
    except OSError as err:
        raise FlashpointError("E101", name=settings.model) from err
    nlp.max_length = max(nlp.max_length, settings.max_chars + MODEL_MAX_LENGTH_MARGIN)
    nlp.add_pipe("flashpoint_actors", config={"user_file": settings.user_actors})
    nlp.add_pipe("flashpoint_dates")
    nlp.add_pipe("flashpoint_places")
    nlp.add_pipe("flashpoint_events")
    return nlp


def annotate_upto(nlp: Language, text: str, anchor: str | None, last: str, story_id: str = "") -> Doc:
    """Run the pipeline on one text up to and including the component ``last``."""
    doc = nlp.make_doc(text)
    doc._.fp_anchor = anchor
    doc._.fp_story_id = story_id
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == last:
            break
    return doc
