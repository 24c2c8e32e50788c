"""Greetings before a report, a "thanks" after it, a reply to our own message: the sender's latest case."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from handlers import campaigns
from handlers.matchtext import content_free, strip_subject, writer_text
from handlers.types import CaseRef, Context, Incoming, Triage

if TYPE_CHECKING:
    from handlers.settings import MatchSettings

Found = tuple[CaseRef, str, str]  # (case, rule, reason) for match._join


def find_fragments(
    triage: Triage, inc: Incoming, ctx: Context, cases: list[tuple[CaseRef, str]], s: MatchSettings, names: str
) -> Found | None:
    """The same address or chat: a case so far of greetings only, a message of none, or a reply to us.

    `cases` are the sender's recent cases with their latest inbound text (a bare /start left out).
    """
    dated = [(c, t) for c, t in cases if c.last_contact_at is not None and c.campaign_id is None]
    if dated:
        case, case_text = max(dated, key=lambda ct: ct[0].last_contact_at or triage.received_at)
        assert case.last_contact_at is not None
        gap = triage.received_at - case.last_contact_at
        # "hello?", "is this the right place": the next message says what the case is about, whatever it says.
        if case.status != "closed" and gap <= timedelta(hours=s.fragment_case_hours) and content_free(
                f"{case.subject}\n{case_text}", names, max_words=40):
            why = f"the case so far holds only greetings or questions about the channel; {gap} after them"
            return case, "after_fragments", why
        own = f"{strip_subject(inc.subject)}\n{writer_text(inc.body)}"
        if gap <= timedelta(minutes=s.chat_burst_minutes) and case.category != "none" and content_free(own, names):
            return case, "fragment", f"a message with no matter of its own, {gap} after the last one"
    return find_office_reply(triage, inc, ctx, cases, s)


def find_office_reply(
    triage: Triage, inc: Incoming, ctx: Context, cases: list[tuple[CaseRef, str]], s: MatchSettings
) -> Found | None:
    """A short reply with our own message quoted under it ("Thanks") continues the sender's latest case.

    Replies usually keep our reference or thread headers; this is for the clients that drop both.
    """
    own = writer_text(inc.body)
    if not inc.quoted or len(own) > s.chaser_chars or not campaigns.own_mail(ctx.config).search(inc.quoted):
        return None
    if s.new_topic_intro.search(own):
        return None
    since = triage.received_at - timedelta(days=s.addition_window_days)
    recent = [c for c, _ in cases if c.status != "closed" and c.category != "none"
              and c.last_contact_at is not None and c.last_contact_at >= since]
    if not recent:
        return None
    case = max(recent, key=lambda c: c.last_contact_at or triage.received_at)
    return case, "reply_to_office", "a short reply quoting the office's own message"

