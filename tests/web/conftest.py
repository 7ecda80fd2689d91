"""Fixtures for the web tests: a small real store file, and a real `flashpoint serve` on 127.0.0.1.

The corpus is written through the store (so it has the store's schema) from hand-made records whose
evidence offsets point into the article texts. The server runs in a subprocess exactly as a user
starts it, on a free port, and is stopped at the end of the session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from flashpoint.records import Actor, Article, Event, Place, TextInfo
from flashpoint.store import Store

SERVER_START_S = 60  # the server answers /api/health within this or the fixture fails
REPO = Path(__file__).resolve().parents[2]

PLACES = {
    "Simferopol": Place("Simferopol", "Simferopol", 693805, 44.952, 34.102, "UKR", "Crimea", "city", "test"),
    "Kyiv": Place("Kyiv", "Kyiv", 703448, 50.4547, 30.5238, "UKR", "Kyiv", "city", "test"),
    "Moscow": Place("Moscow", "Moscow", 524901, 55.7558, 37.6173, "RUS", "Moscow", "city", "test"),
    "Washington": Place("Washington", "Washington", 4140963, 38.895, -77.036, "USA", "DC", "city", "test"),
}
# (day offset from 2014-03-01, sentence, trigger, type, quad, score, actor, recipient, place)
SENTENCES = [
    (
        0,
        "Russian troops seized the airport in Simferopol.",
        "seized",
        "ASSAULT",
        4,
        -9.0,
        "RUS",
        "UKR",
        "Simferopol",
    ),
    (0, "Ukraine accused Russia of an armed invasion.", "accused", "ACCUSE", 3, -3.0, "UKR", "RUS", "Kyiv"),
    (
        1,
        "Russia deployed more troops to Crimea.",
        "deployed",
        "MOBILIZE",
        4,
        -5.5,
        "RUS",
        "UKR",
        "Simferopol",
    ),
    (
        1,
        "Washington threatened Moscow with sanctions.",
        "threatened",
        "THREATEN",
        3,
        -3.5,
        "USA",
        "RUS",
        "Washington",
    ),
    (2, "Kerry met Lavrov in Moscow for talks.", "met", "CONSULT", 1, 2.5, "USA", "RUS", "Moscow"),
    (
        3,
        "Russian forces blockaded a Ukrainian base.",
        "blockaded",
        "COERCE",
        4,
        -7.0,
        "RUS",
        "UKR",
        "Simferopol",
    ),
    (3, "Kyiv asked Moscow to withdraw its forces.", "asked", "REQUEST", 3, 0.0, "UKR", "RUS", "Kyiv"),
    (5, "Russia agreed to hold talks with Ukraine.", "agreed", "AGREE", 1, 2.5, "RUS", "UKR", "Moscow"),
    (
        6,
        "The United States imposed sanctions on Russia.",
        "imposed",
        "SANCTION",
        4,
        -6.0,
        "USA",
        "RUS",
        "Washington",
    ),
    (
        8,
        "Russian soldiers fired on a Ukrainian post.",
        "fired",
        "ASSAULT",
        4,
        -9.0,
        "RUS",
        "UKR",
        "Simferopol",
    ),
    (8, "Russian troops stormed a naval base.", "stormed", "ASSAULT", 4, -9.0, "RUS", "UKR", "Simferopol"),
    (9, "Ukraine rejected the Russian ultimatum.", "rejected", "REJECT", 3, -2.0, "UKR", "RUS", "Kyiv"),
    (9, "Washington promised aid to Ukraine.", "promised", "AID", 2, 10.0, "USA", "UKR", "Washington"),
    (
        12,
        "Russia threatened to cut gas supplies to Ukraine.",
        "threatened",
        "THREATEN",
        3,
        -3.5,
        "RUS",
        "UKR",
        None,
    ),
]
START = date(2014, 3, 1)
SENTENCES_PER_STORY = 2


@dataclass(frozen=True)
class Corpus:
    path: Path
    articles: list[Article]
    events: list[Event]


def _actor(code: str) -> Actor:
    return Actor(entity_text=code, entity_name=code, code=code, sector="GOV")


def build_corpus(path: Path) -> Corpus:
    """Write the stories above into a new store file: two sentences a story, one event a sentence."""
    articles: list[Article] = []
    events: list[Event] = []
    for first in range(0, len(SENTENCES), SENTENCES_PER_STORY):
        chunk = SENTENCES[first : first + SENTENCES_PER_STORY]
        day = (START + timedelta(days=chunk[0][0])).isoformat()
        story_id = f"test-{first // SENTENCES_PER_STORY + 1:02d}"
        text = "Dateline. " + " ".join(sentence for _, sentence, *_ in chunk) + " More to follow."
        articles.append(
            Article(story_id=story_id, text=text, date=day, title=f"Story {story_id}", source="Test")
        )
        for number, (offset, sentence, trigger, kind, quad, score, actor, recipient, place) in enumerate(
            chunk
        ):
            start = text.index(sentence)
            events.append(
                Event(
                    story_id=story_id,
                    event=kind,
                    actor=[_actor(actor)],
                    recipient=[_actor(recipient)],
                    date=(START + timedelta(days=offset)).isoformat(),
                    date_precision="day",
                    quad_code=quad,
                    event_scale=score,
                    event_loc=PLACES[place] if place else None,
                    event_text=trigger,
                    text_info=TextInfo(number + 1, start, start + len(sentence), sentence),
                    confidence=0.8,
                )
            )
    with Store(str(path)) as store:
        for article in articles:
            store.write_article_events(article, [e for e in events if e.story_id == article.story_id])
    return Corpus(path, articles, events)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("web") / "web.duckdb")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def start_server(db: Path, log: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "flashpoint.cli", "serve", "--db", str(db), "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"flashpoint serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            health = httpx.get(f"{url}/api/health", timeout=2).json()
            if health["series_cache"]["warm"]:
                return Server(url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    pytest.fail(f"flashpoint serve did not answer within {SERVER_START_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(corpus.path, tmp_path_factory.mktemp("server") / "serve.log")
    yield running
    running.process.terminate()
    running.process.wait(timeout=30)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where browser tests save their screenshots: $FLASHPOINT_SCREENSHOTS, else build/screenshots."""
    folder = Path(os.environ.get("FLASHPOINT_SCREENSHOTS", REPO / "build" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
