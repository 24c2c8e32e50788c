"""The urgency stage: risk of harm now, however understated; alarming words about the past are not."""

from __future__ import annotations

from datetime import UTC, datetime
from textwrap import dedent

import pytest
from fakes import FakeContext

from handlers import urgency
from handlers.rules import RulesConfigError
from handlers.types import Incoming, Triage

WHEN = datetime(2026, 10, 5, 21, 40, tzinfo=UTC)


def triage_for(body: str, subject: str = "", channel: str = "email") -> Triage:
    t = Triage(raw_id=1, channel=channel, raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel=channel, sender_address="writer@example.com", subject=subject,
                          body=dedent(body).strip())
    return t


def run(body: str, subject: str = "", channel: str = "email") -> Triage:
    t = triage_for(body, subject, channel)
    urgency.process(t, FakeContext())
    return t


@pytest.mark.parametrize("body", [
    "he's outside my door right now shouting that he'll kill me. there's an injunction. "
    "I'm hiding in the bathroom",
    "Someone is trying the back door handle at this moment and I'm alone in the house "
    "with the lights off.",
    "I've got a month of tablets in front of me and I'm going to take them all tonight. "
    "Tell my sister sorry.",
    "my mate just messaged saying she's swallowed a packet of pills and said goodbye, she won't answer now",
    "My daughter is 13 and hasn't come home, her phone is off and she went off in a car "
    "with a man she met online.",
    "There's a lad with a machete outside the chip shop right now chasing people. Please send someone.",
])
def test_plain_danger_now_is_urgent(body: str) -> None:
    t = run(body, channel="telegram")
    assert t.urgent
    assert any(h.rule == "at_risk_now" for h in t.hits)


def test_understated_danger_buried_in_a_long_complaint_is_urgent() -> None:
    t = run("""
        Dear Sir or Madam,

        I am writing to complain, not for the first time, about the way my reports of harassment by
        my former partner have been handled. Each time I was told it was a civil matter and nobody
        looked at the voicemails I kept.

        I would also like to know why the officer in charge never returned my calls in August.

        For what it is worth he has been ringing all evening saying he is coming round later to sort
        me out, and I have pushed the sofa against the door. I did not know who else to tell.

        I would like a written response to my complaint.
        """, subject="Complaint about the handling of my reports")
    assert t.urgent


def test_scared_he_will_come_back_tonight_is_urgent() -> None:
    t = run("Sorry to bother you. He broke the kitchen door earlier and left. "
            "I'm scared he'll come back tonight.")
    assert t.urgent


@pytest.mark.parametrize("body", [
    # A historic assault, reported now: serious, but nobody is at risk this minute.
    "When I was 15, back in 2006, a teacher assaulted me. I have never told anyone "
    "and would like to report it now.",
    # A policy question with alarming words.
    "After last year's stabbings I want to know the Commissioner's knife crime strategy and how much funding "
    "goes to youth work. My son is 14 and some boys in his class carry a knife.",
    # A bereavement mentioned in a policy letter.
    "My husband took his own life in 2021. I am writing to ask whether the Commissioner will keep funding "
    "the mental health nurses who go out with officers.",
    # Thanks for help that is over.
    "Thank you to the officers who found my mum when she went missing from her care home "
    "last week. She is safe and well.",
    # Everyday nuisance.
    "The neighbours' music is so loud every night that I can't sleep. Who do I contact about noise?",
])
def test_alarming_words_without_present_risk_are_not_urgent(body: str) -> None:
    assert not run(body).urgent


def test_cues_are_recorded_as_hits() -> None:
    t = run("He is outside my flat now with a knife.")
    cues = [h.reason for h in t.hits if h.rule == "cue"]
    assert any(c.startswith("weapon+now") for c in cues)


def test_machine_mail_is_skipped() -> None:
    t = triage_for("he is outside with a knife right now")
    t.machine = True
    urgency.process(t, FakeContext())
    assert not t.urgent and not t.hits


def test_threshold_comes_from_config() -> None:
    base = FakeContext().config
    never = {"threshold": 99.0, "model_alone": 1.01}
    strict = base.model_copy(update={"triage": {**base.triage, "urgency": never}})
    t = triage_for("he's outside my door right now shouting that he'll kill me")
    urgency.process(t, FakeContext(config=strict))
    assert not t.urgent


def test_bad_config_value_names_the_key() -> None:
    base = FakeContext().config
    bad = base.model_copy(update={"triage": {"urgency": {"threshold": "high"}}})
    with pytest.raises(RulesConfigError, match=r"triage\.urgency\.threshold"):
        urgency.process(triage_for("hello"), FakeContext(config=bad))
