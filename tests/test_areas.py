"""Regression: corpora from nine other areas, each with its own office config, hold the triage targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fakes import dotted

from bot.config import load_config
from bot.evaluate import evaluate

AREAS = Path(__file__).resolve().parent / "data" / "areas"


@pytest.fixture(scope="module", params=sorted(p.name for p in AREAS.iterdir() if p.is_dir()))
def report(request: pytest.FixtureRequest, triage_model: Any) -> dict[str, Any]:
    folder = AREAS / request.param
    overrides = dotted(yaml.safe_load((folder / "area.yaml").read_text()))
    return evaluate(load_config(None, overrides), folder, model=triage_model)


def test_no_urgent_message_is_missed(report: dict[str, Any]) -> None:
    assert report["urgent"]["missed"] == []
    assert report["urgent"]["precision"] >= 0.70


def test_acknowledgements_are_exactly_right(report: dict[str, Any]) -> None:
    assert report["ack"]["errors"] == []


def test_category_agency_and_linking_targets(report: dict[str, Any]) -> None:
    assert report["category"]["macro_f1"] >= 0.90
    assert report["agency"]["accuracy"] >= 0.85
    assert report["case_linking"]["precision"] >= 0.98 and report["case_linking"]["recall"] >= 0.90
    assert report["campaign"]["precision"] >= 0.98 and report["campaign"]["recall"] >= 0.95
