"""Welsh detection: a fictional sample of Welsh and English contacts (Welsh place names in English mail)."""

from __future__ import annotations

import json
from pathlib import Path

from fakes import FakeContext

from handlers import language
from handlers.settings import LanguageSettings
from handlers.types import Incoming, Triage

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "language_sample.jsonl"


DETECTOR = language.make_detector()


def _settings() -> LanguageSettings:
    return FakeContext().config.triage.language


def test_the_sample_is_told_apart_without_a_mistake() -> None:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = [r["text"] for r in rows
             if (language.detect(r["text"], _settings(), DETECTOR)[0] == "cy") != (r["lang"] == "cy")]
    assert len(rows) == 48 and not wrong


def test_bilingual_mail_with_a_welsh_half_counts_as_welsh() -> None:
    text = ("Please find my comments below. Mae'r heddlu wedi methu ag ateb fy llythyrau am chwe mis ac rwy'n "
            "siomedig iawn â'r gwasanaeth. Hoffwn i'r Comisiynydd edrych ar hyn.")
    assert language.detect(text, _settings(), DETECTOR)[0] == "cy"


def test_too_short_to_tell_is_left_alone() -> None:
    assert language.detect("Diolch", _settings(), DETECTOR) == (None, "too short to tell")


def test_the_stage_records_why() -> None:
    t = Triage(raw_id=1, channel="smtp", raw=b"", received_at=None)  # type: ignore[arg-type]
    t.incoming = Incoming(channel="email", subject="Cwyn", body="Hoffwn wneud cwyn am y swyddog a ddaeth i'r tŷ.")
    language.process(t, FakeContext())
    assert t.language == "cy" and t.hits[0].rule == "welsh"


class _Untouchable:
    """A detector that fails the test if it is asked anything."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"lingua was asked ({name}) about a text with no Welsh word in it")


def test_a_text_without_a_welsh_word_never_reaches_lingua() -> None:
    text = "Fly tipping again behind the garages on Ferry Road: a mattress and six bags since Monday."
    assert language.detect(text, _settings(), _Untouchable()) == (None, "not Welsh (no Welsh word in it)")  # type: ignore[arg-type]


def test_welsh_words_let_lingua_read_the_text() -> None:
    settings = _settings()
    for text in ("Helo, dwi angen help efo car wedi ei ddwyn", "Mae'r golau stryd wedi torri ers mis",
                 "Bore da. Oes modd i rywun ffonio fi heddiw?", "Dŵr yn dod mewn i'r tŷ"):
        assert settings.welsh_words.find(text), text


def test_an_office_can_add_its_own_welsh_words() -> None:
    from handlers.settings import LanguageSettings

    settings = LanguageSettings.model_validate({"welsh_words": {"replace": r"(?i)\bcwtsh\b"}})
    assert settings.welsh_words.find("a cwtsh for the team") == "cwtsh"
    assert settings.welsh_words.find("Mae'r heddlu") is None
