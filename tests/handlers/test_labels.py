"""The shared vocabulary is defined once, and it is shared/spec/triage-labels.md's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import AGENCIES as CONFIG_AGENCIES
from bot.config import CATEGORIES as CONFIG_CATEGORIES
from handlers import classify
from handlers.labels import (
    ACKNOWLEDGEMENTS,
    AGENCIES,
    CASE_ANSWERS,
    CATEGORIES,
    CHAT_REPLIES,
    MODEL_CATEGORIES,
    SENDER_LIMITED,
    OutboxKind,
)

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "triage-labels.md"


def test_the_config_and_the_stages_read_the_one_definition() -> None:
    assert CONFIG_CATEGORIES is CATEGORIES and CONFIG_AGENCIES is AGENCIES
    assert classify.CATEGORIES is MODEL_CATEGORIES
    assert set(MODEL_CATEGORIES) == set(CATEGORIES) - {"campaign", "none"}


def test_outbox_kind_groups_are_outbox_kinds() -> None:
    assert ACKNOWLEDGEMENTS == {OutboxKind.ACK, OutboxKind.FOLLOWUP} | CHAT_REPLIES
    assert SENDER_LIMITED <= ACKNOWLEDGEMENTS and OutboxKind.ALERT not in ACKNOWLEDGEMENTS | CASE_ANSWERS
    assert OutboxKind("greeting") is OutboxKind.GREETING and f"{OutboxKind.FLOOD}" == "flood"


def test_categories_and_agency_keys_are_the_spec_s() -> None:
    if not SPEC.exists():
        pytest.skip(f"no label spec at {SPEC}")
    text = SPEC.read_text(encoding="utf-8")
    agencies = re.findall(r"^\| `([a-z_0-9]+)` \|", text.split("## Agency keys", 1)[1], re.MULTILINE)
    categories = re.findall(r"^- `([a-z_]+)`:", text.split("## Categories", 1)[1], re.MULTILINE)
    assert tuple(agencies) == AGENCIES
    assert tuple(categories) == tuple(c for c in CATEGORIES if c != "none")
