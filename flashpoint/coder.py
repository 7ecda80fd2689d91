"""The coder: text (or Articles) in, Events out. The one pure function every runner maps over batches.

``Coder.code`` is for a single text; ``Coder.code_articles`` streams Articles through ``nlp.pipe``
in batches and yields each article with its events. Nothing here reads files or writes a store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from .config import Settings
from .errors import FlashpointError
from .nlp.pipeline import build_pipeline
from .records import Article, Event

# Documents per nlp.pipe batch: large enough to amortise the model's batching, small enough
# that a worker's memory stays flat on long stories.
PIPE_BATCH_SIZE = 32


def check_date(value: str | None) -> str | None:
    """A YYYY-MM-DD string, validated, or None."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError as err:
        raise FlashpointError("E104", value=value) from err


class Coder:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.nlp = build_pipeline(self.settings)

    def make_doc(self, text: str, date: str | None, story_id: str) -> Doc:
        doc = self.nlp.make_doc(text[: self.settings.max_chars])
        doc._.fp_anchor = check_date(date)
        doc._.fp_story_id = story_id
        return doc

    def process(self, text: str, date: str | None = None, story_id: str | None = None) -> Doc:
        """The annotated Doc, with doc._.fp_actors, fp_dates, fp_places and fp_events set."""
        doc = self.make_doc(text, date, story_id or Article.content_id(text))
        for _, component in self.nlp.pipeline:
            doc = component(doc)
        return doc

    def code(self, text: str, date: str | None = None, story_id: str | None = None) -> list[Event]:
        doc = self.process(text, date, story_id)
        return [Event.from_dict(e) for e in doc._.fp_events]

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        def docs() -> Iterator[tuple[Doc, Article]]:
            for article in articles:
                yield self.make_doc(article.text, article.date, article.story_id), article

        for doc, article in self.nlp.pipe(docs(), as_tuples=True, batch_size=PIPE_BATCH_SIZE):
            yield article, [Event.from_dict(e) for e in doc._.fp_events]
