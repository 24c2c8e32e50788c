"""A cue searched alternative by alternative (handlers/literals.alternatives, Cue.parts) finds
exactly what its whole pattern finds, skipping the alternatives whose strings the text lacks."""

from __future__ import annotations

import re

import pytest
from fakes import repo_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_literals import around, tables

from handlers.cues import FLAGS, Cue, searching_every_cue
from handlers.literals import alternatives

SPLIT = [(f"{key}.{c.name}", c) for key, table in tables(repo_config()) for c in table if c.parts is not None]


@pytest.mark.parametrize(("pattern", "want"), [
    (r"a|b(c|d)|[|]x|\|y", ("a", "b(c|d)", "[|]x", r"\|y")),
    (r"[]|]|z", ("[]|]", "z")),  # "]" first in a class is literal, and so is the "|" after it
    (r"[^]|]q|r", ("[^]|]q", "r")),
    (r"(?i)(?:[ŵŷ]|\bnawr\b)", ("(?i)[ŵŷ]", r"(?i)\bnawr\b")),  # one group spanning it all is opened
    (r"(?:a|b)|c", ("(?:a|b)", "c")),
    (r"(?:a|b)c", None),  # the group is only part of the pattern
    (r"\bone\b", None),
    (r"(\w+) \1|x", None),  # a back-reference means nothing in an alternative of its own
    (r"(?P<w>a)(?P=w)|b", None),
    (r"(a)?(?(1)b|c)|d", None),
    (r"(?x) a | b", None),  # verbose: spaces and # are not literal
    (r"(?#a|b)c|d", None),
])
def test_alternatives_are_cut_at_the_outermost_bar_only(pattern: str, want: tuple[str, ...] | None) -> None:
    assert alternatives(pattern) == want


def _same(cue: Cue, text: str) -> None:
    whole = cue.pattern.search(text)
    split = cue.search(text)
    assert (whole.span(), whole.group(0)) == (split.span(), split.group(0)) if whole and split else whole is split
    assert cue.found(text) == (whole.group(0) or " ... ".join(g for g in whole.groups() if g) if whole else None)
    at_start, split_start = cue.pattern.match(text), cue.match(text)
    assert (at_start.group(0) if at_start else None) == (split_start.group(0) if split_start else None)


@pytest.mark.parametrize(("pattern", "text", "found"), [
    # Both alternatives match at the same place: the first wins, as in the whole pattern.
    (r"\bkill\w*|\bkill me\b", "please kill me now", "kill"),
    (r"\bknife\b|\bgun\b", "a gun and a knife", "gun"),  # a later alternative, earlier in the text
    (r"(?<!not )\bsafe\b|\bhurt\b", "I am not safe, he is hurt", "hurt"),  # a look-behind sees the text before
    (r"(?s:\A(?=.*?(blade))(?=.*?(tonight)))|\bknife\b", "a blade\ntonight", "blade ... tonight"),
    (r"\bhelp\b|\bplease\b", "please help", "please"),
    (r"\bhelp\b|\bplease\b", "nothing here", None),
])
def test_a_split_cue_finds_what_its_whole_pattern_finds(pattern: str, text: str, found: str | None) -> None:
    cue = Cue("x", re.compile(pattern, FLAGS))
    assert cue.parts is not None
    assert cue.found(text) == found
    _same(cue, text)


def test_neighbouring_alternatives_with_no_needed_string_are_searched_as_one() -> None:
    cue = Cue("x", re.compile(r"[ŵŷ]|\d+|\bknife\b|\bnawr\b|.+ pounds", FLAGS))
    assert [(p.pattern, need) for p, need in cue.parts or ()] == [
        (r"[ŵŷ]|\d+", None), (r"\bknife\b", ("knife",)), (r"\bnawr\b", ("nawr",)), (".+ pounds", (" pounds",))]
    assert Cue("y", re.compile(r"[ŵŷ]|\d+", FLAGS)).parts is None  # nothing to skip: left whole


def test_the_big_shipped_cues_are_searched_alternative_by_alternative() -> None:
    names = {name.rsplit(".", 1)[-1] for name, _ in SPLIT}
    assert {"action_fraud", "third_party", "local_council"} <= names
    assert len(SPLIT) >= 50


@pytest.mark.parametrize(("name", "cue"), SPLIT, ids=[n for n, _ in SPLIT])
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_split_shipped_cue_finds_what_its_whole_pattern_finds(name: str, cue: Cue, data: st.DataObject) -> None:
    words = sorted({s for _, need in cue.parts or () for s in need or ()}) or ["x"]
    pieces = st.sampled_from([*words, " ", ". ", "\n", "not ", "now ", "i "])
    text = data.draw(around(data.draw(st.lists(pieces, max_size=8).map("".join))))
    _same(cue, text)
    with searching_every_cue():  # the reference path searches the whole pattern
        assert cue.found(text) == (m.group(0) or " ... ".join(g for g in m.groups() if g)
                                   if (m := cue.pattern.search(text)) else None)
