"""Triage vocabulary: built-in cue tables, overridable per key under `triage:` in config.yaml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from handlers import model, vocab


class RulesConfigError(ValueError):
    """A `triage` config value has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class Cue:
    """One compiled pattern with its weight and the name recorded in hits."""

    name: str
    pattern: re.Pattern[str]
    weight: float = 1.0

    def find(self, text: str) -> str | None:
        m = self.pattern.search(text)
        return m.group(0) if m else None


def triage_config(ctx_config: Any) -> Mapping[str, Any]:
    """The free-form `triage` mapping of a Config (or {} when absent)."""
    raw = getattr(ctx_config, "triage", None) or {}
    if not isinstance(raw, Mapping):
        raise RulesConfigError("triage: expected a mapping")
    return raw


def section(ctx_config: Any, name: str) -> dict[str, Any]:
    """Built-in defaults for `triage.<name>` with the config's keys laid over them."""
    defaults: dict[str, Any] = dict(getattr(vocab, name.upper()))
    override = triage_config(ctx_config).get(name) or {}
    if not isinstance(override, Mapping):
        raise RulesConfigError(f"triage.{name}: expected a mapping")
    unknown = sorted(set(override) - set(defaults))
    if unknown:
        raise RulesConfigError(f"triage.{name}: unknown keys {unknown}; known: {sorted(defaults)}")
    for key, value in override.items():
        want = type(defaults[key])
        if want is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, want):
            got = type(value).__name__
            raise RulesConfigError(f"triage.{name}.{key}: expected {want.__name__}, got {got}")
        defaults[key] = value
    return defaults


def cues(table: Any, key: str) -> tuple[Cue, ...]:
    """Compile a {name: pattern} or {name: [pattern, weight]} table; errors name the key."""
    if not isinstance(table, Mapping):
        raise RulesConfigError(f"{key}: expected a mapping of cue name to pattern")
    frozen = tuple((str(k), _freeze(v, f"{key}.{k}")) for k, v in table.items())
    return _compile(frozen, key)


def _freeze(value: Any, key: str) -> tuple[str, float]:
    if isinstance(value, str):
        return value, 1.0
    if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], str):
        return value[0], float(value[1])
    raise RulesConfigError(f"{key}: expected a regex or [regex, weight]")


@lru_cache(maxsize=64)
def _compile(table: tuple[tuple[str, tuple[str, float]], ...], key: str) -> tuple[Cue, ...]:
    out = []
    for name, (pattern, weight) in table:
        try:
            out.append(Cue(name, re.compile(pattern, re.IGNORECASE | re.MULTILINE), weight))
        except re.error as exc:
            raise RulesConfigError(f"{key}.{name}: bad regex: {exc}") from exc
    return tuple(out)


def first_hit(table: tuple[Cue, ...], text: str) -> tuple[Cue, str] | None:
    """The first cue in table order that matches, with the matched text."""
    for cue in table:
        found = cue.find(text)
        if found is not None:
            return cue, found
    return None


def model_path(ctx_config: Any) -> str | None:
    """`triage.model_path`: the model file `signpost train` writes (default model.joblib).

    load_config has made a configured path absolute; a missing key means the file of that
    name in the data directory (`home`).
    """
    value = triage_config(ctx_config).get("model_path", model.DEFAULT_MODEL_PATH)
    if value is not None and not isinstance(value, str):
        raise RulesConfigError("triage.model_path: expected a path or null")
    home = getattr(ctx_config, "home", "")
    if value is not None and home and isinstance(home, str):
        return str(Path(home) / value)
    return value


# "Unrelated to my complaint about the Commissioner, ..." names another matter, not this one:
# the clause is dropped before the category and signpost rules read the text.
_OTHER_MATTER = re.compile(
    r"\b(?:unrelated\s+to|separate\s+from|apart\s+from|not\s+about|nothing\s+to\s+do\s+with|"
    r"not\s+(?:related|connected)\s+to)\s+my\s+(?:\w+\s+){0,2}"
    r"(?:complaint|e-?mail|letter|message|request|case|report)\b[^.,;:!?\n]*",
    re.IGNORECASE,
)


def without_other_matters(text: str) -> str:
    """The text less any clause that points at the writer's other, earlier matter."""
    return _OTHER_MATTER.sub(" ", text)
