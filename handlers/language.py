"""Detect a contact written in Welsh (lingua's statistical models, offline), so the reply is bilingual."""

from __future__ import annotations

import logging
import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from handlers.settings import LanguageSettings
from handlers.types import Context, Triage

NAME = "language"
logger = logging.getLogger(__name__)
WELSH = "cy"
# Welsh against English and the languages most often written to English and Welsh forces, so a
# Polish or Romanian letter is not forced into one of the two.
CANDIDATES = (
    Language.ENGLISH, Language.WELSH, Language.IRISH, Language.POLISH, Language.ROMANIAN, Language.FRENCH,
    Language.GERMAN, Language.SPANISH, Language.PORTUGUESE, Language.ITALIAN, Language.LITHUANIAN,
)
_URLS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def make_detector() -> LanguageDetector:
    """The detector the composition root builds once (bot/app.py); lingua loads each model on first use,
    which `detect` puts off until a text with a Welsh word in it (`triage.language.welsh_words`) arrives."""
    return LanguageDetectorBuilder.from_languages(*CANDIDATES).build()


def welsh_share(text: str, detector: LanguageDetector) -> float:
    """Share of the text's letters in passages lingua reads as Welsh (0..1); bilingual mail counts."""
    text = _URLS.sub(" ", text)
    letters = sum(ch.isalpha() for ch in text)
    if not letters:
        return 0.0
    welsh = 0
    for part in detector.detect_multiple_languages_of(text):
        if part.language == Language.WELSH:
            welsh += sum(ch.isalpha() for ch in text[part.start_index:part.end_index])
    return welsh / letters


def detect(text: str, settings: LanguageSettings, detector: LanguageDetector) -> tuple[str | None, str]:
    """("cy", why) when the text is Welsh or partly Welsh, else (None, why)."""
    sample = _URLS.sub(" ", text)[: settings.max_chars]
    if sum(ch.isalpha() for ch in sample) < settings.min_letters:
        return None, "too short to tell"
    if settings.welsh_words.find(sample) is None:
        return None, "not Welsh (no Welsh word in it)"
    share = welsh_share(sample, detector)
    if share < min(settings.min_share, settings.confident_share):
        # Too little Welsh for either test below: the whole-text confidence cannot change that.
        return None, f"not Welsh (Welsh share {share:.0%})"
    confidence = detector.compute_language_confidence(sample, Language.WELSH)
    # Whole-text confidence alone is fooled by Welsh names in English mail ("outside Ysgol
    # Gymraeg Bro Dinefwr"): the Welsh passages must also be a good part of the text.
    if share >= settings.min_share or (confidence >= settings.min_confidence
                                       and share >= settings.confident_share):
        return WELSH, f"Welsh ({share:.0%} of the text in Welsh passages, confidence {confidence:.2f})"
    return None, f"not Welsh (confidence {confidence:.2f}, Welsh share {share:.0%})"


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    language, why = detect(inc.full_text, ctx.config.triage.language, ctx.detector)
    triage.language = language
    if language is not None:
        triage.hit(NAME, "welsh", why)
        logger.debug("raw #%d language: %s", triage.raw_id, why)
