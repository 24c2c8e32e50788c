"""The look-alike search skips a peer by its shared word count alone (campaigns.may_share_template):
only ever one that template_score would have scored (0, 0), whatever the lengths and settings."""

from __future__ import annotations

import os
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.campaigns import may_share_template, template_score
from handlers.settings import MatchSettings

EXAMPLES = int(os.environ.get("SIGNPOST_HYPOTHESIS_EXAMPLES", "150"))
CORE = [f"w{i}" for i in range(60)]
OWN = [f"x{i}" for i in range(400)]


def text_from(rng: random.Random) -> list[str]:
    """Words from a shared core plus words of its own, so that two texts share anything from none to
    all of their words; from a cut copy's length to a long letter's, so that every path of
    template_score (cut short, contained, side by side) is taken."""
    return rng.choices(CORE, k=rng.randint(0, 100)) + rng.choices(OWN, k=rng.randint(0, 80))


SETTINGS = st.sampled_from([MatchSettings(), MatchSettings(campaign_cut_coverage=40.0),
                            MatchSettings(campaign_min_words=5, campaign_template_words=20, campaign_cut_words=5)])


@settings(max_examples=max(EXAMPLES // 3, 20), deadline=None)
@given(rng=st.randoms(use_true_random=False), s=SETTINGS)
def test_a_skipped_peer_is_one_template_score_would_not_pass(rng: random.Random, s: MatchSettings) -> None:
    for _ in range(10):
        a, b = text_from(rng), text_from(rng)
        sa, sb = frozenset(a), frozenset(b)
        if not may_share_template(len(sa & sb), sa, sb, s):
            assert template_score(a, b, s, (sa, sb)) == (0.0, 0), (len(a), len(b), len(sa & sb))


def test_the_skip_is_not_vacuous() -> None:
    s = MatchSettings()
    letter = [f"w{i}" for i in range(80)]
    assert not may_share_template(10, frozenset(letter), frozenset(f"x{i}" for i in range(70)), s)
    assert may_share_template(60, frozenset(letter), frozenset(letter[:70]), s)
