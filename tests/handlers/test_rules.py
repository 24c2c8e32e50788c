"""Triage vocabulary: every default table compiles; config overrides replace by key and are checked."""

from __future__ import annotations

import pytest
from fakes import FakeContext

from handlers import rules, vocab
from handlers.rules import RulesConfigError


def cue_tables(section: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in section.items() if isinstance(v, dict)}


@pytest.mark.parametrize("name", ["urgency", "classify", "signpost"])
def test_every_default_table_compiles(name: str) -> None:
    section = getattr(vocab, name.upper())
    for key, table in cue_tables(section).items():
        assert rules.cues(table, f"triage.{name}.{key}")
    for key, value in section.items():
        if isinstance(value, str) and key != "fallback":
            assert rules.cues({"x": value}, f"triage.{name}.{key}")


def test_config_values_replace_defaults_by_key() -> None:
    base = FakeContext().config
    cfg = base.model_copy(update={"triage": {"urgency": {"threshold": 5}}})
    s = rules.section(cfg, "urgency")
    assert s["threshold"] == 5.0 and s["harm"] == vocab.URGENCY["harm"]


def test_unknown_keys_are_named() -> None:
    cfg = FakeContext().config.model_copy(update={"triage": {"signpost": {"min_prob": 0.5}}})
    with pytest.raises(RulesConfigError, match=r"triage\.signpost: unknown keys \['min_prob'\]"):
        rules.section(cfg, "signpost")


def test_a_bad_regex_names_its_key() -> None:
    with pytest.raises(RulesConfigError, match=r"triage\.urgency\.harm\.broken: bad regex"):
        rules.cues({"broken": "(unclosed"}, "triage.urgency.harm")


def test_a_bad_model_path_is_named() -> None:
    cfg = FakeContext().config.model_copy(update={"triage": {"model_path": 3}})
    with pytest.raises(RulesConfigError, match=r"triage\.model_path"):
        rules.model_path(cfg)
