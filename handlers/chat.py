"""Telegram conversation rules: commands, edits, group chats, unsupported kinds and floods."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn

from handlers.types import CaseRef, Context, Incoming, StopPipeline, Triage

NAME = "chat"
# Message kinds (handlers/tgupdate.py) that are contacts; everything else gets the polite
# "what I accept" answer.
CONTACT_KINDS = frozenset({"text", "photo", "document"})
PRIVATE = "private"
COMMANDS = {"/start": "greeting", "/help": "help", "/status": "status"}


def _settle(triage: Triage, kind: str, *, ack: bool = True) -> NoReturn:
    """A chat answer, not casework: category and agency "none" (labels spec), then stop."""
    triage.reply_kind = kind
    triage.template = f"chat_{kind}" if ack else None
    triage.category = "none"
    triage.agency = "none"
    triage.ack = ack
    raise StopPipeline


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

    The pipeline goes on (urgency must still see it: someone at risk may send many messages),
    but match is skipped because reply_kind is no longer "ack".
    """
    limits = ctx.config.channels.telegram
    first = count == limits.flood_messages
    triage.reply_kind = "flood"
    triage.template = "chat_flood" if first else None
    triage.ack = first
    person = _person(inc, ctx)
    if person is not None and triage.person_id is None:
        triage.person_id = person
    case = _latest_case(ctx, person)
    if case is not None:
        triage.case = case
        triage.followup = True
    where = f"added to case {case.reference}" if case else "no open case"
    triage.hit(NAME, "flood" if first else "flood_quiet",
               f"{count} contacts in {limits.flood_seconds:g}s before this one (limit "
               f"{limits.flood_messages}); {where}; " + ("flood notice sent" if first else "no reply"))


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    if inc is None or inc.channel != "telegram":
        return
    if inc.edited:
        triage.hit(NAME, "edit", "edited message: the stored contact is updated, no new case, no reply")
        _settle(triage, "edit", ack=False)
    if inc.telegram_chat_id is None:
        triage.hit(NAME, "no_chat", "update without a chat to answer: recorded, ignored")
        _settle(triage, "none", ack=False)
    flood = _flood(triage, inc, ctx)
    if inc.telegram_chat_type != PRIVATE:
        triage.hit(NAME, "group", f"{inc.telegram_chat_type or 'unknown'} chat: the bot answers only "
                   "private chats" + ("; flood, no reply" if flood is not None else ""))
        _settle(triage, "group", ack=flood is None)
    if flood is not None:
        _mark_flood(triage, inc, ctx, flood)
        return
    if inc.command is not None:
        kind = COMMANDS.get(inc.command, "help")
        rule = inc.command.lstrip("/") if inc.command in COMMANDS else "unknown_command"
        if kind == "status":
            person = _person(inc, ctx)
            triage.person_id = triage.person_id or person
            triage.open_cases = ctx.open_cases_for_person(person) if person is not None else []
            triage.hit(NAME, rule, f"/status: {len(triage.open_cases)} open case(s)")
        else:
            triage.hit(NAME, rule, f"{inc.command}: {kind} reply")
        _settle(triage, kind)
    if inc.kind not in CONTACT_KINDS:
        triage.hit(NAME, "unsupported", f"{inc.kind} message: polite reply listing what the bot accepts")
        _settle(triage, "unsupported")
    triage.hit(NAME, "contact", f"{inc.kind} message in a private chat: triaged as a contact")
