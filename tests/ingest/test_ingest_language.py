"""The cheap English gate (E013): English passes, other languages and scripts do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flashpoint.config import Settings
from flashpoint.ingest.language import english_ratio, looks_english

RATIO = Settings().min_english_ratio
GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "plover_gsr_dev.jsonl"
SEED = GOLD.with_name("seed_article.jsonl")

HEADLINES = [
    "Russia recalls ambassador",
    "Kerry, Lavrov talks fail in London",
    "UN Security Council condemns attack",
    "Protesters clash with police in Kiev",
    "EU imposes sanctions on Moscow officials",
]
FOREIGN = [
    "Le gouvernement français a annoncé mardi de nouvelles sanctions contre la Russie après l'annexion "
    "de la Crimée, selon le ministre des affaires étrangères, qui a convoqué l'ambassadeur à Paris.",
    "El gobierno de España anunció el martes nuevas sanciones contra Rusia tras la anexión de Crimea, "
    "según el ministro de Asuntos Exteriores, que convocó al embajador ruso en Madrid.",
    "Die Bundesregierung hat am Dienstag neue Sanktionen gegen Russland angekündigt, nachdem die Krim "
    "annektiert wurde, sagte der Außenminister in Berlin vor Journalisten.",
    "Il governo italiano ha annunciato martedì nuove sanzioni contro la Russia dopo l'annessione della "
    "Crimea, secondo il ministro degli esteri, che ha convocato l'ambasciatore a Roma.",
    "De Nederlandse regering heeft dinsdag nieuwe sancties tegen Rusland aangekondigd na de annexatie "
    "van de Krim, zei de minister van Buitenlandse Zaken in Den Haag.",
    "Правительство объявило во вторник о новых санкциях против России.",
    "中国外交部周二宣布对俄罗斯实施新的制裁措施。",
]


@pytest.mark.parametrize("headline", HEADLINES)
def test_short_english_headlines_pass(headline: str) -> None:
    assert looks_english(headline, RATIO)


@pytest.mark.parametrize("text", FOREIGN)
def test_other_languages_and_scripts_fail(text: str) -> None:
    assert not looks_english(text, RATIO)


def test_ratio_of_english_prose_is_well_above_threshold() -> None:
    text = "The talks between the two ministers ended on Friday without an agreement, officials said."
    assert english_ratio(text) > 4 * RATIO


def test_threshold_comes_from_settings() -> None:
    text = "Militants attacked a convoy near Kandahar, killing soldiers and wounding civilians nearby today."
    assert looks_english(text, RATIO)
    assert not looks_english(text, 0.9)


@pytest.mark.shared
@pytest.mark.skipif(not GOLD.exists(), reason="../shared/eval/plover_gsr_dev.jsonl is absent")
def test_every_plover_gold_sentence_passes() -> None:
    texts = [
        json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    texts += [
        json.loads(line)["text"] for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    failing = [text for text in texts if not looks_english(text, RATIO)]
    assert len(texts) > 100
    assert failing == []
