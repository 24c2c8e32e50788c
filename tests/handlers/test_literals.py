"""The cue pre-test (handlers/literals.py): the strings a regex needs, and that skipping never loses a match."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakes import dotted, repo_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bot.config import load_config
from handlers.cues import FLAGS, Cue, Cues, edit_table, searching_every_cue
from handlers.literals import fold, needed

AREAS = Path(__file__).resolve().parent.parent / "data" / "areas"


def tables(cfg: Any) -> list[tuple[str, Cues]]:
    """Every cue table of a config's triage settings, with its dotted key."""
    out: list[tuple[str, Cues]] = []

    def walk(node: object, key: str) -> None:
        if isinstance(node, Cues):
            out.append((key, node))
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{key}.{name}")

    walk(cfg.triage, "triage")
    return out


SHIPPED = tables(repo_config())
CUES = [(f"{key}.{c.name}", c) for key, table in SHIPPED for c in table]


def test_fold_maps_every_character_re_matches_to_an_ascii_one() -> None:
    # re.IGNORECASE matches "ſ" to "s", "K" (Kelvin) to "k", "İ" and "ı" to "i": fold must too.
    ascii_class = re.compile("[" + re.escape("".join(map(chr, range(128)))) + "]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if ascii_class.fullmatch(c):
            partners = {a for a in map(chr, range(128)) if re.fullmatch(re.escape(a), c, re.IGNORECASE)}
            assert any(fold(c) == a.lower() for a in partners) or c.isascii(), (hex(code), partners)


@pytest.mark.parametrize(("pattern", "want"), [
    (r"\bkill (?:me|us)\b", ("kill ",)),
    (r"\b(?:burn|set fire to|torch) (?:my|the) (?:house|car)", ("burn ", "set fire to ", "torch ")),
    (r"\bstalk(?:s|ed|ing)?\b", ("stalk",)),
    (r"(?<!not )\bformal complaint\b", ("formal complaint",)),
    (r"(?s:\A(?=.*?(officer\w*))(?=.*?(rude)))", ("officer",)),  # the longer part
    (r"(?P<word>knife|blade)s?", ("blade", "knife")),
    (r"(?-i:NOW)", ("now",)),
    (r"\bhello\s+there\b", ("hello",)),
    (r"[ŵŷ]|\bnawr\b", None),  # a non-ASCII letter: no string it must hold
    (r"\w+ing\b", ("ing",)),
    (r"(\w+) \1", None),  # a back-reference, and a space (in every text) is no test
    (r"(\w+) and \1", (" and ",)),
    (r"(?:ab){2}", ("abab",)),
    (r"x?", None),
    (r".*", None),
])
def test_needed_strings_of_patterns(pattern: str, want: tuple[str, ...] | None) -> None:
    assert needed(pattern, FLAGS) == want


def test_almost_every_shipped_cue_has_a_pretest() -> None:
    without = [name for name, cue in CUES if cue.needs is None]
    assert len(without) <= len(CUES) // 20, without


_SPECIALS = {"s": "ſ", "k": "\u212a", "i": "İı"}


@st.composite
def around(draw: st.DrawFn, core: str) -> str:
    """`core` with other text either side, letters in random case and some turned to re's odd case partners."""
    noise = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz '.,\n’ſİı")), max_size=30)
    text = draw(noise) + core + draw(noise)
    flips = draw(st.lists(st.integers(0, 2), min_size=len(text), max_size=len(text)))
    out = []
    for ch, flip in zip(text, flips, strict=True):
        if flip == 1:
            ch = ch.swapcase()
        elif flip == 2 and ch.lower() in _SPECIALS:
            ch = _SPECIALS[ch.lower()][0]
        out.append(ch)
    return "".join(out)


@pytest.mark.parametrize(("name", "cue"), CUES, ids=[n for n, _ in CUES])
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_text_a_cue_matches_always_passes_its_pretest(name: str, cue: Cue, data: st.DataObject) -> None:
    core = data.draw(st.from_regex(cue.pattern))
    text = data.draw(around(core))
    for sample in (core, text):
        if cue.pattern.search(sample):
            assert cue.can_match(sample), (name, sample, cue.needs)


def _words(cues: Cues) -> list[str]:
    found = {w for c in cues for s in (c.needs or ()) for w in (s, *s.split())}
    return sorted(found) or ["x"]


def _all_methods(table: Cues, text: str) -> tuple[object, ...]:
    first = table.first(text)
    hit = table.search(text)
    start = table.match(text)
    return ((first[0].name, first[1]) if first else None, table.find(text),
            hit.span() if hit else None, hit.group(0) if hit else None,
            start.group(0) if start else None, table.sub(" ", text))


@pytest.mark.parametrize(("key", "table"), SHIPPED, ids=[k for k, _ in SHIPPED])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_table_method_answers_as_with_every_cue_searched(key: str, table: Cues, data: st.DataObject) -> None:
    pieces = st.sampled_from(_words(table) + [" ", ". ", "\n", "not ", "now ", "’", "ſ", "İ"])
    text = data.draw(st.lists(pieces, max_size=12).map("".join))
    text = data.draw(around(text))
    fast = _all_methods(table, text)
    with searching_every_cue():
        assert _all_methods(table, text) == fast


@pytest.mark.parametrize(("key", "table"), SHIPPED, ids=[k for k, _ in SHIPPED])
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_table_narrowed_to_some_texts_offers_each_of_them_the_same_cues(key: str, table: Cues,
                                                                          data: st.DataObject) -> None:
    pieces = st.sampled_from(_words(table) + [" ", ". ", "\n", "’", "ſ"])
    texts = data.draw(st.lists(st.lists(pieces, max_size=6).map("".join), max_size=5))
    narrowed = table.within(texts)
    assert [narrowed.candidates(x) for x in texts] == [table.candidates(x) for x in texts]
    assert len(narrowed) <= len(table) and narrowed.weighted == table.weighted


@pytest.mark.parametrize("area", sorted(p.name for p in AREAS.iterdir() if p.is_dir()))
def test_area_configs_keep_first_match_order(area: str) -> None:
    flat = dotted(yaml.safe_load((AREAS / area / "area.yaml").read_text()))
    for key, table in tables(load_config(None, flat)):
        for text in ("", "Kill me now. ſtalking him", "he said he will burn my house down tonight", key):
            fast = _all_methods(table, text)
            with searching_every_cue():
                assert _all_methods(table, text) == fast, (area, key, text)


def test_edited_cues_with_groups_flags_and_back_references_keep_their_matches() -> None:
    base = Cues((Cue("a", re.compile(r"\bhelp\b", FLAGS)), Cue("b", re.compile(r"\bknife\b", FLAGS))))
    edited = edit_table(base, {"extend": {"a": r"(?P<w>\w+) (?P=w) again"},
                               "replace": {"b": r"(?s:\A(?=.*?(blade))(?=.*?(now)))"},
                               "add": {"c": r"(?-i:SOS)|(?<=call )999\b", "d": r"(\w)\1{3}"}})
    assert [c.needs for c in edited] == [(" again", "help"), ("blade",), ("call ", "sos"), None]
    for text in ("run run again", "a BLADE\nright now", "sos", "SOS", "please call 999", "aaaa", "nothing"):
        fast = _all_methods(edited, text)
        with searching_every_cue():
            assert _all_methods(edited, text) == fast, text


def test_a_long_text_folded_afresh_answers_the_same() -> None:
    text = "Ordinary words about the precept. " * 800 + "He said he will burn my house down, he's outside NOW."
    assert len(text) > 20_000
    for key, table in SHIPPED:
        fast = _all_methods(table, text)
        with searching_every_cue():
            assert _all_methods(table, text) == fast, key
    harm = dict(SHIPPED)["triage.urgency.harm"]
    assert harm.first(text) is not None
