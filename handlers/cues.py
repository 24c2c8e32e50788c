"""Compiled cue tables, and the per-cue edits an office makes to them in config.yaml.

A cue is a named regex (case-insensitive, multi-line), in weighted tables with a weight. The
built-in tables are handlers/vocab.py's; config.yaml edits one cue at a time:

    add:     {name: regex}        a new cue ({name: [regex, weight]} in a weighted table)
    extend:  {name: regex}        more alternatives for a cue: its regex becomes "old|new"
    replace: {name: regex}        a new regex for a cue ([regex, weight], or a weight alone,
                                  in a weighted table; a regex alone keeps the weight)
    drop:    [name, ...]          remove cues (never one the code relies on)

A setting that is one regex (`triage.signpost.policy`) takes a regex (replace) or {extend: regex}.
Every regex is compiled once per process, when the configuration is loaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from handlers.literals import alternatives, fold, needed

FLAGS = re.IGNORECASE | re.MULTILINE
EDITS = ("add", "extend", "replace", "drop")
# A cue name; "agency/label" names one of several cues of a signpost agency ("police_101/crime").
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}(?:/[A-Za-z][A-Za-z0-9_]{0,63})?$")


# Whether a cue skips its search when the text lacks every string the pattern needs (literals.py).
# Off only in `searching_every_cue`, the reference the equivalence tests compare with.
_PRETEST = [True]


@contextmanager
def searching_every_cue() -> Iterator[None]:
    """Within the block every cue searches every text (the unoptimised path), for the equivalence tests."""
    _PRETEST[0] = False
    try:
        yield
    finally:
        _PRETEST[0] = True


class CueError(ValueError):
    """A cue table or its edit in config.yaml is wrong; the message names the cue."""


@dataclass(frozen=True)
class Cue:
    """One compiled pattern with its weight and the name recorded in hits."""

    name: str
    pattern: re.Pattern[str]
    weight: float = 1.0
    # Strings one of which the folded text holds wherever the pattern matches (handlers/literals.py).
    needs: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)
    # The pattern's alternatives, each with the strings it needs, when some can be skipped so (`_parts`).
    parts: tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", _needs(self.pattern.pattern, self.pattern.flags))
        object.__setattr__(self, "parts", _parts(self.pattern.pattern, self.pattern.flags))

    def can_match(self, text: str) -> bool:
        """False when the text lacks every string the pattern needs: a search would fail."""
        return self.needs is None or not _PRETEST[0] or _holds(self.needs, fold(text))

    def find(self, text: str) -> str | None:
        """The matched text; for a cue made of lookaheads (all parts in any order), what each part captured."""
        return self.found(text) if self.can_match(text) else None

    def found(self, text: str) -> str | None:
        """`find` without the pre-test, for a cue `Cues.candidates` has passed."""
        m = self.search(text)
        if m is None:
            return None
        return m.group(0) or " ... ".join(g for g in m.groups() if g)

    def search(self, text: str) -> re.Match[str] | None:
        """`pattern.search(text)`: with parts, the earliest match of the alternatives whose
        strings the text holds (ties to the first), the match the whole pattern finds."""
        return _earliest(pattern.search(text) for pattern in self._searched(text))

    def match(self, text: str) -> re.Match[str] | None:
        """`pattern.match(text)`: with parts, the first alternative (that the text may hold) matching at the start."""
        return next(filter(None, (pattern.match(text) for pattern in self._searched(text))), None)

    def _searched(self, text: str) -> Iterator[re.Pattern[str]]:
        """The whole pattern, or (with parts and the pre-test on) the parts whose strings the text holds, in order."""
        if self.parts is None or not _PRETEST[0]:
            yield self.pattern
            return
        folded = fold(text)
        for pattern, needs in self.parts:
            if needs is None or _holds(needs, folded):
                yield pattern


def _earliest(matches: Iterable[re.Match[str] | None]) -> re.Match[str] | None:
    """The match that starts first (ties: the first given): what one alternation of the patterns finds."""
    best: re.Match[str] | None = None
    for m in matches:
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


def _holds(needs: tuple[str, ...], folded: str) -> bool:
    for s in needs:
        if s in folded:
            return True
    return False


@dataclass(frozen=True)
class Cues:
    """A compiled cue table, in its declared order (first match wins where order matters)."""

    cues: tuple[Cue, ...] = ()
    weighted: bool = False

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.cues)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cues)

    def named(self, names: tuple[str, ...] | list[str]) -> Cues:
        """Only the cues with these names, in table order."""
        return Cues(tuple(c for c in self.cues if c.name in names), self.weighted)

    def candidates(self, text: str) -> list[Cue]:
        """The cues that may match the text (their pre-test passes), in table order; the others cannot."""
        if not _PRETEST[0]:
            return list(self.cues)
        folded = fold(text)
        return [c for c in self.cues if c.needs is None or _holds(c.needs, folded)]

    def within(self, texts: list[str]) -> Cues:
        """The table narrowed to the cues whose pre-test one of `texts` passes, for asking it of each
        text in turn (the sentences of a letter): a cue none of them can match is tested once, not per text.
        """
        # A needed string is in a text only if it is in the texts joined ("\0" is in none of them).
        return Cues(tuple(self.candidates("\0".join(texts))), self.weighted)

    def first(self, text: str) -> tuple[Cue, str] | None:
        """The first cue in table order that matches, with the matched text."""
        for cue in self.candidates(text):
            found = cue.found(text)
            if found is not None:
                return cue, found
        return None

    def find(self, text: str) -> str | None:
        """The text the first matching cue matched, or None."""
        hit = self.first(text)
        return hit[1] if hit else None

    def search(self, text: str) -> re.Match[str] | None:
        """The leftmost match of any cue (ties: the earlier cue), as one alternation of them all would find."""
        return _earliest(cue.search(text) for cue in self.candidates(text))

    def match(self, text: str) -> re.Match[str] | None:
        """The first cue, in table order, that matches at the start of the text."""
        return next(filter(None, (cue.match(text) for cue in self.candidates(text))), None)

    def sub(self, repl: str, text: str) -> str:
        """Replace every match of each cue in turn."""
        for cue in self.cues:
            if cue.can_match(text):
                text = cue.pattern.sub(repl, text)
        return text

    def as_table(self) -> dict[str, Any]:
        """The table as config.yaml and handlers/vocab.py write it: {name: regex} or {name: [regex, weight]}."""
        return {c.name: [c.pattern.pattern, c.weight] if self.weighted else c.pattern.pattern for c in self.cues}


@cache
def _needs(pattern: str, flags: int) -> tuple[str, ...] | None:
    return needed(pattern, flags)


@cache
def _parts(pattern: str, flags: int) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] | None:
    """The alternatives of `pattern` (literals.alternatives), each compiled with the strings it needs,
    when at least one needs some; runs of neighbours that need none are searched as one."""
    split = alternatives(pattern)
    if split is None:
        return None
    runs: list[tuple[list[str], tuple[str, ...] | None]] = []
    for part in split:
        need = needed(part, flags)
        if need is None and runs and runs[-1][1] is None:
            runs[-1][0].append(part)
        else:
            runs.append(([part], need))
    if all(need is None for _, need in runs):
        return None
    try:
        return tuple((re.compile("|".join(parts), flags), need) for parts, need in runs)
    except re.error:  # an alternative that means nothing alone (none is known): the pattern stays whole
        return None


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, FLAGS)


def _cue(name: str, pattern: str, weight: float, where: str) -> Cue:
    try:
        return Cue(name, _compile(pattern), weight)
    except re.error as exc:
        raise CueError(f"{where}: regex does not compile ({exc})") from exc


def _weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise CueError(f"{where}: the weight must be a number above 0, not {value!r}")
    return float(value)


def _regex(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise CueError(f"{where}: expected a regex, not {value!r}")
    return value


def _pattern_and_weight(value: Any, weighted: bool, where: str, keep: Cue | None = None) -> tuple[str, float]:
    """A config value as (regex, weight): regex, [regex, weight], or (replacing a weighted cue) a weight."""
    default_weight = keep.weight if keep is not None else 1.0
    if isinstance(value, str):
        return _regex(value, where), default_weight
    if weighted and isinstance(value, list | tuple) and len(value) == 2:
        return _regex(value[0], where), _weight(value[1], f"{where} weight")
    if weighted and keep is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return keep.pattern.pattern, _weight(value, where)
    shape = "a regex or [regex, weight]" if weighted else "a regex"
    raise CueError(f"{where}: expected {shape}, not {value!r}")


def compile_table(default: Mapping[str, Any] | list[Any] | str, key: str) -> Cues:
    """Compile a built-in table: {name: regex}, {name: [regex, weight]}, or one regex named after `key`."""
    return _compile_default(_freeze(default, key), key)


def _freeze(default: Mapping[str, Any] | list[Any] | str, key: str) -> tuple[tuple[str, str, float | None], ...]:
    if isinstance(default, str):
        return ((key.rsplit(".", 1)[-1], default, None),)
    if not isinstance(default, Mapping):
        raise CueError(f"{key}: a built-in cue table is {{name: regex}} or {{name: [regex, weight]}}")
    out: list[tuple[str, str, float | None]] = []
    for name, value in default.items():
        if isinstance(value, list | tuple):
            out.append((name, value[0], float(value[1])))
        else:
            out.append((name, value, None))
    return tuple(out)


@cache
def _compile_default(rows: tuple[tuple[str, str, float | None], ...], key: str) -> Cues:
    weighted = any(w is not None for _, _, w in rows)
    return Cues(tuple(_cue(n, p, 1.0 if w is None else w, f"{key}.{n}") for n, p, w in rows), weighted)


def edit_pattern(default: Cues, given: Any) -> Cues:
    """A one-regex setting edited by config: a regex replaces it, {extend: regex} adds alternatives."""
    (cue,) = default.cues
    if isinstance(given, str):
        return Cues((_cue(cue.name, _regex(given, "replace"), cue.weight, "replace"),))
    if isinstance(given, Mapping) and len(given) == 1 and set(given) <= {"extend", "replace"}:
        (op, value), = given.items()
        pattern = _regex(value, op)
        if op == "extend":
            pattern = f"{cue.pattern.pattern}|{pattern}"
        return Cues((_cue(cue.name, pattern, cue.weight, op),))
    raise CueError(f"expected a regex (replacing it) or {{extend: regex}}, not {given!r}")


def edit_table(default: Cues, given: Any, required: tuple[str, ...] = ()) -> Cues:
    """A table edited by config's add / extend / replace / drop; messages name the edit and the cue.

    Replaced and extended cues keep their place; added cues come after the built-in ones.
    """
    if not isinstance(given, Mapping) or not given:
        raise CueError(f"expected a mapping of {', '.join(EDITS)}, not {given!r}")
    unknown = sorted(set(given) - set(EDITS))
    if unknown:
        raise CueError(f"unknown edit {', '.join(map(str, unknown))}: use {', '.join(EDITS)} (one cue at a time)")
    known = set(default.names)
    seen: dict[str, str] = {}
    drops = given.get("drop", [])
    if not isinstance(drops, list | tuple) or not all(isinstance(n, str) for n in drops):
        raise CueError(f"drop: expected a list of cue names, not {drops!r}")
    named: dict[str, dict[str, Any]] = {"drop": dict.fromkeys(drops)}
    for op in ("add", "extend", "replace"):
        value = given.get(op, {})
        if not isinstance(value, Mapping):
            raise CueError(f"{op}: expected {{cue name: regex}}, not {value!r}")
        named[op] = dict(value)
    for op, names in named.items():
        for name in names:
            where = f"{op}.{name}"
            if name in seen:
                raise CueError(f"{where}: cue {name!r} is also under {seen[name]}: one edit per cue")
            seen[name] = op
            if op == "add" and name in known:
                raise CueError(f"{where}: there is already a cue {name!r}: use replace or extend")
            if op == "add" and not _NAME.match(str(name)):
                raise CueError(f"{where}: a cue name is a letter then letters, digits or _ "
                               "(or two such as agency/label)")
            if op != "add" and name not in known:
                raise CueError(f"{where}: no cue {name!r} here; the cues are {', '.join(default.names)}")
            if op == "drop" and name in required:
                raise CueError(f"{where}: the code relies on cue {name!r}; replace or extend it instead")
    out: list[Cue] = []
    for cue in default.cues:
        if cue.name in named["drop"]:
            continue
        if cue.name in named["extend"]:
            where = f"extend.{cue.name}"
            pattern = f"{cue.pattern.pattern}|{_regex(named['extend'][cue.name], where)}"
            cue = _cue(cue.name, pattern, cue.weight, where)
        elif cue.name in named["replace"]:
            where = f"replace.{cue.name}"
            pattern, weight = _pattern_and_weight(named["replace"][cue.name], default.weighted, where, cue)
            cue = _cue(cue.name, pattern, weight, where)
        out.append(cue)
    for name, value in named["add"].items():
        pattern, weight = _pattern_and_weight(value, default.weighted, f"add.{name}")
        out.append(_cue(name, pattern, weight, f"add.{name}"))
    return Cues(tuple(out), default.weighted)


def edit_names(default: tuple[str, ...], given: Any) -> tuple[str, ...]:
    """A list of cue names (`always_now`, ...): a list replaces it, {add: [...], drop: [...]} edits it."""
    if isinstance(given, list | tuple) and all(isinstance(n, str) for n in given):
        return tuple(given)
    if isinstance(given, Mapping) and given and set(given) <= {"add", "drop"}:
        add, drop = list(given.get("add", [])), list(given.get("drop", []))
        missing = [n for n in drop if n not in default]
        if missing:
            raise CueError(f"drop: {', '.join(map(str, missing))} not in the list ({', '.join(default)})")
        return tuple(n for n in default if n not in drop) + tuple(n for n in add if n not in default)
    raise CueError(f"expected a list of cue names or {{add: [...], drop: [...]}}, not {given!r}")
