"""The literal words a regex cannot match without: a cheap test that skips a search bound to fail.

`needed(pattern)` reads a pattern's parse tree and gives a set of lower-case ASCII strings, one of
which is in the folded text (`fold`) wherever the pattern matches; or None when it cannot tell
(a pattern led by `\\w+`, a back-reference, ...). A text that holds none of them cannot match,
so Cues skips that cue's search; a text that holds one is searched as before. Only a search
that would have failed is skipped: which cue matches, and what it matched, never changes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product
from re import _constants as sre  # type: ignore[attr-defined]  # the op codes re compiles from
from re import _parser  # type: ignore[attr-defined]

# Characters outside ASCII that re.IGNORECASE matches to an ASCII letter, beyond str.lower()
# ("ſ" is an "s" to re, not to lower()). tests/handlers/test_literals.py checks every code point.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# Past this many strings an exact set stops growing (a product of alternatives grows fast).
_CAP = 64
# A cue whose needed set is larger than this is searched without the test (it would cost as much).
_MAX_NEEDED = 48
# What a string of this length costs in `_best` (1 from 4 characters on).
_SHORT = {1: 30, 2: 8, 3: 2}
_Strings = frozenset[str]
_EMPTY: _Strings = frozenset({""})
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


# The same sentence is tested against many tables, so its folded form is kept; a long text is
# folded afresh each time, so the cache stays small (at most 256 texts of 20,000 characters).
_CACHED_CHARS = 20_000


def fold(text: str) -> str:
    """The text as the needed strings are written: lower case, re's other case matches of ASCII letters folded."""
    return _fold_cached(text) if len(text) <= _CACHED_CHARS else _fold(text)


@lru_cache(maxsize=256)
def _fold_cached(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def needed(pattern: str, flags: int) -> tuple[str, ...] | None:
    """Strings one of which every text that `pattern` matches contains (after `fold`), or None."""
    try:
        tree = _parser.parse(pattern, flags)
    except re.error:
        return None
    _exact, need = _sequence(list(tree))
    # One character ("a space") is in nearly every text: the test would only add work.
    if need is None or len(need) > _MAX_NEEDED or min(map(len, need)) < 2:
        return None
    return tuple(sorted(need))


# Global inline flags at the start of a pattern, "(?i)" or "(?ims)": they hold for every alternative.
_GLOBAL_FLAGS = re.compile(r"\A(?:\(\?[aiLmsux]+\))+")
# Whatever would make an alternative mean something else on its own: a back-reference (by number
# or name), a conditional group, a comment, verbose mode (where # and space are not literal).
_NOT_ALONE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?#|\(\?[aiLmsu]*x")


def alternatives(pattern: str) -> tuple[str, ...] | None:
    """The alternatives of a pattern's outermost `|` (inside one group spanning the whole
    pattern, if that is all there is), each with the pattern's global flags; None for one alone.

    re.search finds where the earliest of them matches, and there the first of them in order
    that matches there: so the earliest match of any one, ties to the first, is the same match.
    A pattern with back-references, conditionals, comments or verbose mode is left whole.
    """
    if _NOT_ALONE.search(pattern):
        return None
    flags = _GLOBAL_FLAGS.match(pattern)
    lead = flags.group(0) if flags else ""
    body = pattern[len(lead):]
    parts = _split_top(body)
    if parts is None:
        return None
    if len(parts) == 1 and body.startswith("(?:") and body.endswith(")"):
        # "(?:a|b)" as a whole: its alternatives. Its inside balances only if the group opened
        # first is the one closed last ("(?:a)(?:b)" inside is "a)(?:b"): else None, left whole.
        parts = _split_top(body[3:-1])
    if parts is None or len(parts) < 2:
        return None
    return tuple(lead + p for p in parts)


def _split_top(p: str) -> list[str] | None:
    """`p` cut at each `|` outside groups and character classes; None if its brackets do not balance."""
    marks = _structure(p)
    if marks is None:
        return None
    cuts = [i for i, c, depth in marks if c == "|" and depth == 0]
    return [p[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(p)], strict=True)]


def _structure(p: str) -> list[tuple[int, str, int]] | None:
    """Each "(", ")" and "|" outside escapes and character classes, as (index, character, groups
    open around it, not counting the one it opens or closes); None if a class or group does not close."""
    marks: list[tuple[int, str, int]] = []
    depth, i = 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = _class_end(p, i)
            if i < 0:
                return None
        elif c in "(|":
            marks.append((i, c, depth))
            depth += c == "("
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
            marks.append((i, c, depth))
        i += 1
    return marks if depth == 0 else None


def _class_end(p: str, i: int) -> int:
    """The index of the "]" closing the class opened at p[i], or -1 (a "]" first in it is literal)."""
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p):
        if p[j] == "\\":
            j += 2
            continue
        if p[j] == "]":
            return j
        j += 1
    return -1


def _char(code: int) -> _Strings | None:
    c = chr(code)
    return frozenset({c.lower()}) if c.isascii() else None


def _charset(items: list[tuple[object, object]]) -> _Strings | None:
    """The characters of a small class of ASCII literals ([- ], [a-c]); None for anything wider."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL and isinstance(av, int) and chr(av).isascii():
            out.add(chr(av).lower())
        elif op is sre.RANGE and isinstance(av, tuple) and av[1] < 128 and av[1] - av[0] < 10:
            out.update(chr(c).lower() for c in range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(out)


def _node(op: object, av: object) -> tuple[_Strings | None, _Strings | None]:
    """(every string the node can match, if few; strings one of which the text must hold) for one node."""
    if op is sre.LITERAL and isinstance(av, int):
        exact = _char(av)
        return exact, exact
    if op is sre.IN and isinstance(av, list):
        exact = _charset(av)
        return exact, exact
    if op is sre.AT:
        return _EMPTY, None
    if op is sre.SUBPATTERN and isinstance(av, tuple):
        return _sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))  # type: ignore[call-overload]
    if op is sre.BRANCH and isinstance(av, tuple):
        return _branch([_sequence(list(p)) for p in av[1]])
    if op in _REPEATS and isinstance(av, tuple):
        return _repeat(av[0], av[1], _sequence(list(av[2])))
    if op is sre.ASSERT and isinstance(av, tuple):
        # A lookaround takes no text of the match, but what it looks at is in the text.
        return _EMPTY, _sequence(list(av[1]))[1]
    if op is sre.ASSERT_NOT:
        return _EMPTY, None
    return None, None  # any character, a negated class, a back-reference, a conditional group


def _sequence(items: list[tuple[object, object]]) -> tuple[_Strings | None, _Strings | None]:
    """Consecutive exact parts multiply into longer strings; the best needed set of any part holds for all."""
    run: _Strings = _EMPTY
    whole = True
    candidates: list[_Strings] = []
    for op, av in items:
        exact, need = _node(op, av)
        if need is not None:
            candidates.append(need)
        if exact is None:
            candidates.append(run)
            run, whole = _EMPTY, False
            continue
        # "just " alone may beat "just now", "just called", ...; and "stalk" holds even where an
        # optional "ing" does not follow.
        candidates.append(run)
        grown = frozenset(a + b for a, b in product(run, exact))
        if len(grown) > _CAP:
            candidates.append(run)
            run, whole = exact, False
        else:
            run = grown
    candidates.append(run)
    return (run if whole else None), _best(candidates)


def _branch(parts: list[tuple[_Strings | None, _Strings | None]]) -> tuple[_Strings | None, _Strings | None]:
    exacts = [e for e, _ in parts]
    exact: _Strings | None = None
    if all(e is not None for e in exacts):
        union = frozenset().union(*(e for e in exacts if e is not None))
        exact = union if len(union) <= _CAP else None
    needs = [n for _, n in parts]
    if any(n is None for n in needs):
        return exact, None
    return exact, _minimal(frozenset().union(*(n for n in needs if n is not None)))


def _repeat(low: int, high: int, inner: tuple[_Strings | None, _Strings | None]) -> tuple[
        _Strings | None, _Strings | None]:
    exact, need = inner
    if low == 0:
        return (exact | _EMPTY if exact is not None and high == 1 else None), None
    if exact is not None and low == high and len(exact) ** low <= _CAP:
        grown = frozenset("".join(p) for p in product(sorted(exact), repeat=low))
        return grown, _best([grown])
    return (exact if high == 1 else None), need


def _minimal(strings: _Strings) -> _Strings:
    """Drop a string that holds another of the set: "stalking" is in a text only where "stalk" is."""
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def _cost(strings: _Strings) -> tuple[int, int]:
    """Few strings are quick to test, and short ones are in most texts: "j" is worth little."""
    return sum(_SHORT.get(len(s), 1) for s in strings), -min(map(len, strings))


def _best(candidates: list[_Strings]) -> _Strings | None:
    """The usable set of the lowest cost (`_cost`), or None."""
    usable = [_minimal(c) for c in candidates if c and "" not in c]
    return min(usable, key=_cost) if usable else None
