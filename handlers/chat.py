"""Telegram conversation rules: commands, edits, group chats, unsupported kinds and floods."""

from __future__ import annotations

from datetime import timedelta

from handlers.labels import OutboxKind
from handlers.types import CaseRef, Context, Incoming, Kind, Triage

NAME = "chat"
# Message kinds (handlers/tgupdate.py) that are contacts; everything else gets the polite
# "what I accept" answer.
CONTACT_KINDS = frozenset({"text", "photo", "document"})
PRIVATE = "private"
COMMANDS = {"/start": OutboxKind.GREETING, "/help": OutboxKind.HELP, "/status": OutboxKind.STATUS}


def _settle(triage: Triage, kind: Kind, reply: OutboxKind | None, *, ack: bool = True) -> None:
    """A chat answer, not casework: category and agency "none" (labels spec); the route ends here."""
    triage.kind = kind
    triage.chat_reply = reply
    triage.template = f"chat_{reply}" if ack and reply is not None else None
    triage.category = "none"
    triage.agency = "none"
    triage.ack = ack


def _flood(triage: Triage, inc: Incoming, ctx: Context) -> int | None:
    """How many contacts this user sent in the flood window before this one, if over the limit."""
    if inc.telegram_user_id is None:
        return None
    limits = ctx.config.channels.telegram
    since = triage.received_at - timedelta(seconds=limits.flood_seconds)
    count = ctx.contacts_from_since("telegram", str(inc.telegram_user_id), since)
    return count if count >= limits.flood_messages else None


def _latest_case(ctx: Context, person_id: int | None) -> CaseRef | None:
    if person_id is None:
        return None
    cases = ctx.open_cases_for_person(person_id)
    return max(cases, key=lambda c: c.id) if cases else None


def _person(inc: Incoming, ctx: Context) -> int | None:
    if inc.telegram_user_id is None:
        return None
    return ctx.person_for_identity("telegram", str(inc.telegram_user_id))


def _mark_flood(triage: Triage, inc: Incoming, ctx: Context, count: int) -> None:
    """Record the message in the sender's latest case; answer only the first one over the limit.

    The flood route goes on to urgency (someone at risk may send many messages) but not to match.
    """
    limits = ctx.config.channels.telegram
    first = count == limits.flood_messages
    triage.kind = Kind.CHAT_FLOOD
    triage.chat_reply = OutboxKind.FLOOD
    triage.template = "chat_flood" if first else None
    triage.ack = first
    person = _person(inc, ctx)
    if person is not None and triage.person_id is None:
        triage.person_id = person
    case = _latest_case(ctx, person)
    if case is not None:
        triage.case = case
    where = f"added to case {case.reference}" if case else "no open case"
    triage.hit(NAME, "flood" if first else "flood_quiet",
               f"{count} contacts in {limits.flood_seconds:g}s before this one (limit "
               f"{limits.flood_messages}); {where}; " + ("flood notice sent" if first else "no reply"))


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    if inc.edited:
        triage.hit(NAME, "edit", "edited message: the stored contact is updated, no new case, no reply")
        _settle(triage, Kind.CHAT_EDIT, None, ack=False)
        return
    if inc.telegram_chat_id is None:
        triage.hit(NAME, "no_chat", "update without a chat to answer: recorded, ignored")
        _settle(triage, Kind.CHAT_UNANSWERABLE, None, ack=False)
        return
    flood = _flood(triage, inc, ctx)
    if inc.telegram_chat_type != PRIVATE:
        triage.hit(NAME, "group", f"{inc.telegram_chat_type or 'unknown'} chat: the bot answers only "
                   "private chats" + ("; flood, no reply" if flood is not None else ""))
        _settle(triage, Kind.CHAT_GROUP, OutboxKind.GROUP, ack=flood is None)
        return
    if flood is not None:
        _mark_flood(triage, inc, ctx, flood)
        return
    if inc.command is not None:
        reply = COMMANDS.get(inc.command, OutboxKind.HELP)
        rule = inc.command.lstrip("/") if inc.command in COMMANDS else "unknown_command"
        if reply is OutboxKind.STATUS:
            person = _person(inc, ctx)
            triage.person_id = triage.person_id or person
            triage.open_cases = ctx.open_cases_for_person(person) if person is not None else []
            triage.hit(NAME, rule, f"/status: {len(triage.open_cases)} open case(s)")
        else:
            triage.hit(NAME, rule, f"{inc.command}: {reply} reply")
        _settle(triage, Kind.CHAT_COMMAND, reply)
        return
    if inc.kind not in CONTACT_KINDS:
        triage.hit(NAME, "unsupported", f"{inc.kind} message: polite reply listing what the bot accepts")
        _settle(triage, Kind.CHAT_UNSUPPORTED, OutboxKind.UNSUPPORTED)
        return
    triage.hit(NAME, "contact", f"{inc.kind} message in a private chat: triaged as a contact")
