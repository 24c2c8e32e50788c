"""The cue pre-test changes no decision: every corpus replayed with it and without it, stage by stage.

Each corpus under tests/data (the held-out-like ones and the nine areas, each with its own
config) goes through the real replay twice, once as shipped and once inside
`searching_every_cue` (every cue searched, as before the pre-test). After every stage a
snapshot of the whole Triage is taken (kind, category and the rule behind it, urgency,
agency, template, case fields, the reply and alert texts, and every hit with its reason);
the two runs must agree on every snapshot.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakes import dotted

from bot.app import open_store
from bot.config import load_config
from bot.replay import replay
from bot.sender import FileSinkTransport
from handlers import pipeline
from handlers.cues import searching_every_cue
from handlers.types import Triage

DATA = Path(__file__).resolve().parent.parent / "data"
CORPORA = sorted([p for p in DATA.glob("heldout_like*") if p.is_dir()]
                 + [p for p in (DATA / "areas").iterdir() if p.is_dir()])


def _snapshot(triage: Triage) -> dict[str, str]:
    return {f.name: repr(getattr(triage, f.name)) for f in fields(triage) if f.name != "raw"}


def _replay(corpus: Path, model: Any) -> list[tuple[str, int, dict[str, str]]]:
    """(stage, raw id, Triage after the stage) for every stage run while `corpus` is replayed."""
    seen: list[tuple[str, int, dict[str, str]]] = []
    cfg = load_config(None, dotted(yaml.safe_load((corpus / "area.yaml").read_text())))
    with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory() as tmp:
        for stage in pipeline.STAGES:
            def traced(triage: Triage, ctx: Any, _process: Any = stage.process, _name: str = stage.NAME) -> None:
                try:
                    _process(triage, ctx)
                finally:
                    seen.append((_name, triage.raw_id, _snapshot(triage)))
            mp.setattr(stage, "process", traced)
        engine, sessions = open_store(f"sqlite:///{tmp}/same.db")
        try:
            asyncio.run(replay(cfg, sessions, [corpus], FileSinkTransport(Path(tmp) / "out"), model=model))
        finally:
            engine.dispose()
    return seen


@pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])
def test_every_stage_decides_the_same_with_and_without_the_pretest(corpus: Path, triage_model: Any) -> None:
    fast = _replay(corpus, triage_model)
    with searching_every_cue():
        reference = _replay(corpus, triage_model)
    assert len(fast) == len(reference) > len(list(corpus.glob("*.eml")))
    for (stage, raw_id, got), (ref_stage, ref_id, want) in zip(fast, reference, strict=True):
        assert (stage, raw_id) == (ref_stage, ref_id)
        differ = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
        assert not differ, f"{corpus.name} raw #{raw_id} after {stage}: {differ}"
