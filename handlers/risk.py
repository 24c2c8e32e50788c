"""Sentence-level reading for the urgency stage: sentences, tense, a story told in the past, chat context."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from handlers.cues import Cues
from handlers.matchtext import template_words
from handlers.types import CampaignRef, CaseRef, Context, Incoming

# Sentence ends and line breaks (structural: how a text is cut into sentences, not vocabulary).
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """Split on sentence ends and line breaks; blank pieces dropped."""
    return [x.strip() for x in _SENTENCES.split(text) if x and x.strip()]


def is_past_narrative(sentence: str, past: Cues, present: Cues) -> bool:
    """A sentence told wholly in the past tense: a past verb (cue `past_tense`) and nothing present,
    future or "now" (cue `present_tense`)."""
    return past.search(sentence) is not None and present.search(sentence) is None


def story_marks(anchored: list[bool], sentences_: list[str], past: Cues, present: Cues) -> list[bool]:
    """Carry a historic anchor forward while the story goes on in the past tense.

    "On the evening of 3rd September two officers came to my house. Jordan had been in all
    evening." The second sentence belongs to the dated story; a present-tense sentence ("he is
    outside now", "I would like ...") ends it.
    """
    out: list[bool] = []
    for i, mark in enumerate(anchored):
        out.append(mark or (i > 0 and out[i - 1] and is_past_narrative(sentences_[i], past, present)))
    return out


def _recent_chat_cases(inc: Incoming, ctx: Context, now: datetime, minutes: float) -> list[tuple[CaseRef, str]]:
    """The (case, last inbound text) pairs of the same Telegram user with a contact in the last `minutes`."""
    if inc.telegram_user_id is None or minutes <= 0:
        return []
    person = ctx.person_for_identity("telegram", str(inc.telegram_user_id))
    if person is None:
        return []
    since = now - timedelta(minutes=minutes)
    return [(case, text) for case, text in ctx.recent_cases_for_person(person, since)
            if case.last_contact_at is not None and case.last_contact_at >= since]


def chat_history(inc: Incoming, ctx: Context, now: datetime, minutes: float) -> str:
    """The same Telegram user's messages of the last `minutes` (oldest first), for fragments.

    People in danger write in bursts ("she said earlier she'd got her tablets out" after "my
    friend sent me a goodbye"): each fragment is read with the ones before it.
    """
    recent = [(case, text) for case, text in _recent_chat_cases(inc, ctx, now, minutes) if case.campaign_id is None]
    if not recent:
        return ""
    _case, text = max(recent, key=lambda ct: ct[0].last_contact_at or now)
    return text.strip()


def chat_conversation(inc: Incoming, ctx: Context, case_id: int, now: datetime, minutes: float) -> str:
    """The text of case `case_id`'s latest messages, if the same Telegram user wrote to it in the last `minutes`.

    The earlier fragments of the conversation this message continues ("got a text saying my parcel
    ..." before "I clicked it and put my card in"), for reading the fragments as one report.
    """
    for case, text in _recent_chat_cases(inc, ctx, now, minutes):
        if case.id == case_id:
            return text.strip()
    return ""


# A sentence this long (in words), with this share of its words in a campaign's template, is
# the template's, not the writer's own.
_TEMPLATE_MIN_WORDS = 6
_TEMPLATE_SHARE = 0.9


def without_templates(text: str, campaigns: list[CampaignRef]) -> tuple[str, int]:
    """The text less the sentences of any known campaign template, and how many were left out."""
    vocab = [set(c.fingerprint.split()) for c in campaigns if c.fingerprint]
    if not vocab:
        return text, 0
    kept: list[str] = []
    dropped = 0
    for sentence in sentences(text):
        words = template_words(sentence)
        if len(words) >= _TEMPLATE_MIN_WORDS and any(
                sum(w in v for w in words) >= _TEMPLATE_SHARE * len(words) for v in vocab):
            dropped += 1
        else:
            kept.append(sentence)
    return ("\n".join(kept), dropped) if dropped else (text, 0)
