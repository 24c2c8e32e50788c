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
