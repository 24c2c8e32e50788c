"""Acceptance: replay the shared dev corpus through `signpost eval` and hold the issue's targets.

The dev corpus measures us; it is never a list of answers (no rule or example is taken from it).
It lives beside the repository (../shared/corpus/dev), as on the developers' machines and in CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import load_config
from bot.evaluate import evaluate

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


@pytest.fixture(scope="module")
def report(triage_model: Any) -> dict:
    if not (CORPUS / "labels.jsonl").exists():
        pytest.skip(f"no labelled dev corpus at {CORPUS}")
    return evaluate(load_config(), CORPUS, model=triage_model)


def test_every_message_is_exported(report: dict) -> None:
    assert report["missing"] == []


def test_no_urgent_message_is_missed(report: dict) -> None:
    assert report["urgent"]["missed"] == []
    assert report["urgent"]["precision"] >= 0.70


def test_acknowledgements_are_exactly_right(report: dict) -> None:
    assert report["ack"]["errors"] == []


def test_category_and_agency_targets(report: dict) -> None:
    assert report["category"]["macro_f1"] >= 0.90
    assert report["agency"]["accuracy"] >= 0.85


def test_case_and_campaign_linking_targets(report: dict) -> None:
    assert report["case_linking"]["precision"] >= 0.98 and report["case_linking"]["recall"] >= 0.90
    assert report["campaign"]["precision"] >= 0.98 and report["campaign"]["recall"] >= 0.95
