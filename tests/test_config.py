"""Config validation: the bundled file is valid, a bad key is named in the error and stops `signpost run`."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml
from conftest import TEST_CONFIG
from pydantic import BaseModel

from bot.config import AGENCIES, ConfigError, load_config
from bot.shipped import default_config


def write(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load(TEST_CONFIG.read_text())
    for dotted, value in change.items():
        node = data
        *parents, leaf = dotted.split(".")
        for k in parents:
            node = node[k]
        node[leaf] = value
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


def test_bundled_config_is_valid_and_has_every_agency() -> None:
    cfg = load_config(default_config())
    assert set(cfg.agencies) == set(AGENCIES) - {"none"}
    assert cfg.office.timezone == "Europe/London"
    assert cfg.sla.acknowledge_days == 2
    assert cfg.agencies["emergency_999"].phone == "999"
    assert "55" in cfg.agencies["emergency_999"].advice


def test_unknown_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"channels\.imap\.hots"):
        load_config(write(tmp_path, {"channels.imap.hots": "x"}))


def test_bad_value_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"office\.timezone"):
        load_config(write(tmp_path, {"office.timezone": "Mars/Olympus"}))
    with pytest.raises(ConfigError, match=r"office\.reference_prefix"):
        load_config(write(tmp_path, {"office.reference_prefix": "bad prefix"}))


def test_unknown_agency_key_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(TEST_CONFIG.read_text())
    data["agencies"]["ghostbusters"] = {"name": "x"}
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="ghostbusters"):
        load_config(p)


def test_missing_file_and_bad_yaml_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "nope.yaml")
    p = tmp_path / "bad.yaml"
    p.write_text("office: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(p)


def test_overrides_replace_dotted_keys() -> None:
    cfg = load_config(None, {"store.url": "sqlite://", "sla.respond_days": 20})
    assert cfg.store.url == "sqlite://"
    assert cfg.sla.respond_days == 20


def test_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import secret

    monkeypatch.setenv("SIGNPOST_TEST_SECRET", "s3cret")
    assert secret("SIGNPOST_TEST_SECRET") == "s3cret"
    monkeypatch.delenv("SIGNPOST_TEST_SECRET")
    assert secret("SIGNPOST_TEST_SECRET") is None
    import re

    assert not re.search(r"^\s*(password|token|secret):", Path("config.yaml").read_text(), re.M)


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every pydantic model reachable from `model`'s field types."""
    if model in seen:
        return seen
    seen.add(model)
    for f in model.model_fields.values():
        for t in (f.annotation, *typing.get_args(f.annotation)):
            for u in (t, *typing.get_args(t)):
                if isinstance(u, type) and issubclass(u, BaseModel):
                    _models(u, seen)
    return seen


def test_every_section_refuses_unknown_keys() -> None:
    from bot.config import Config

    models = _models(Config, set())
    assert {"TriageSettings", "UrgencySettings", "MatchSettings", "Imap", "Agency"} <= {m.__name__ for m in models}
    assert [m.__name__ for m in models if m.model_config.get("extra") != "forbid"] == []


@pytest.mark.parametrize("key", ["triage.urgency.treshold", "retention.schedule.foi.closd", "digest.tyme",
                                 "agencies.opcc.phon", "channels.telegram.flood_second"])
def test_a_misspelt_key_anywhere_is_named(tmp_path: Path, key: str) -> None:
    data = yaml.safe_load(Path("config.yaml").read_text())
    node = data
    *parents, leaf = key.split(".")
    for k in parents:
        node = node.setdefault(k, {})
    node[leaf] = 1
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=re.escape(key)):
        load_config(p)


def test_the_cue_edit_example_in_config_yaml_is_valid() -> None:
    text = Path("config.yaml").read_text()
    after = text.split("# which replaces it, or {add: [...], drop: [...]}. For example:\n", 1)[1]
    block = after.split("\ntriage:", 1)[0]
    example = yaml.safe_load("\n".join(line.removeprefix("#  ") for line in block.splitlines()))
    cfg = load_config(None, {f"triage.{section}": value for section, value in example.items()})
    harm = cfg.triage.urgency.harm
    assert "dog_attack" in harm and "coming_back" not in harm and "dog_attack" in cfg.triage.urgency.always_now
    assert cfg.triage.signpost.policy.find("the neighbourhood plan") == "neighbourhood plan"

    # A helpline names harm cues (in_garden for crime_in_progress): dropping one is refused.
    with pytest.raises(ConfigError, match=r"helplines\.crime_in_progress\.cues names in_garden"):
        load_config(None, {"triage.urgency.harm": {"drop": ["in_garden"]}})


def _keys(node: object, prefix: str = "") -> set[str]:
    if not isinstance(node, dict):
        return set()
    return {f"{prefix}{k}" for k in node} | {key for k, v in node.items() for key in _keys(v, f"{prefix}{k}.")}


def test_the_tests_own_config_has_the_keys_of_the_shipped_one() -> None:
    """tests/config.yaml stands in for config.yaml: a key added to one belongs in the other."""
    shipped, ours = (_keys(yaml.safe_load(p.read_text())) for p in (default_config(), TEST_CONFIG))
    assert sorted(shipped ^ ours) == []


def test_signpost_config_names_the_file_used_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, {"office.name": "Office of the PCC for Testshire"})
    monkeypatch.setenv("SIGNPOST_CONFIG", str(p))
    assert load_config().office.name == "Office of the PCC for Testshire"
    monkeypatch.setenv("SIGNPOST_CONFIG", str(TEST_CONFIG))
    assert load_config().web.enabled is False  # the suite never runs the office's own settings


def test_a_config_typo_stops_signpost_run_naming_the_key(tmp_path: Path) -> None:
    import subprocess
    import sys

    p = write(tmp_path, {"channels.smtp_intake.prot": 8025, "store.url": f"sqlite:///{tmp_path}/s.db"})
    signpost = Path(sys.executable).with_name("signpost")
    done = subprocess.run([str(signpost), "run", "--config", str(p)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "channels.smtp_intake.prot" in done.stderr and "Extra inputs are not permitted" in done.stderr
    assert not (tmp_path / "s.db").exists()  # stopped before opening the store


def test_a_regex_in_the_config_that_does_not_compile_is_refused_with_the_reason() -> None:
    import pydantic

    from bot.config import Helpline, TagRule

    with pytest.raises(pydantic.ValidationError, match="not a regular expression"):
        Helpline(name="A line", words="(unclosed")
    with pytest.raises(pydantic.ValidationError, match="not a regular expression"):
        TagRule(tag="theme:roads", pattern="[a-")
    assert TagRule(tag="theme:roads", pattern=r"\bpothole").pattern == r"\bpothole"
