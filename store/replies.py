"""A caseworker's reply: an outbound Contact and an Outbox row on the case's own channel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.safetext import header_text
from store.models import Case, Contact, Direction, Event, Identity, Outbox, utcnow


class NoRoute(ValueError):
    """The case has no address or chat to reply to on its channel."""


@dataclass(frozen=True)
class Route:
    channel: str  # email | telegram
    to: str  # email address or Telegram chat id
    answers: Contact | None  # the last inbound contact on that channel


def _last_inbound(session: Session, case: Case, channel: str) -> Contact | None:
    return session.scalar(
        select(Contact)
        .where(Contact.case_id == case.id, Contact.direction == Direction.inbound, Contact.channel == channel)
        .order_by(Contact.at.desc(), Contact.id.desc())
        .limit(1)
    )


def find_route(session: Session, case: Case) -> Route:
    """Where a reply goes: the person's email identity, or the chat the person last wrote from.

    Raises:
        NoRoute: when neither is known (or the address is marked unreachable).
    """
    if case.campaign_id is not None:
        # One reply here would reach one participant with words meant for all (bot/campaign_send.py).
        raise NoRoute(f"{case.reference} is a campaign: respond from its campaign page, which sends each "
                      "participant their own copy")
    last = _last_inbound(session, case, case.channel)
    if case.channel == "telegram":
        if last is None or last.telegram_chat_id is None:
            raise NoRoute(f"{case.reference}: no Telegram chat to reply to")
        return Route("telegram", str(last.telegram_chat_id), last)
    address: str | None = None
    if case.person_id is not None:
        address = session.scalar(
            select(Identity.value)
            .where(
                Identity.person_id == case.person_id,
                Identity.kind == "email",
                Identity.unreachable.is_(False),
            )
            .order_by(Identity.id.desc())
            .limit(1)
        )
    address = address or (last.sender if last else None)
    if not address:
        raise NoRoute(f"{case.reference}: no email address to reply to")
    return Route("email", address, last)


def _thread_headers(answers: Contact | None, session: Session, case: Case) -> dict[str, str]:
    """RFC 5322 section 3.6.4: In-Reply-To the last inbound message; References the thread."""
    if answers is None or not answers.message_id:
        return {}
    ids = session.scalars(
        select(Contact.message_id)
        .where(Contact.case_id == case.id, Contact.channel == "email", Contact.message_id.is_not(None))
        .order_by(Contact.at, Contact.id)
    )
    refs = [m for m in ids if m and m != answers.message_id][-9:] + [answers.message_id]
    return {"In-Reply-To": answers.message_id, "References": " ".join(refs)}


def queue_reply(
    session: Session,
    case: Case,
    actor: str,
    *,
    subject: str,
    text: str,
    msgid_domain: str,
    html: str | None = None,
    sender: str | None = None,
    now: datetime | None = None,
) -> Outbox:
    """Queue a reply written (or edited) by a caseworker; marks the case responded.

    Args:
        msgid_domain: right-hand side of our Message-ID, normally the office mailbox's domain.
        sender: the From address recorded on the outbound Contact.

    Raises:
        NoRoute: the case's channel has nowhere to send to.
        ValueError: an empty text.
    """
    if not text.strip():
        raise ValueError("an empty reply")
    subject = header_text(subject, 250)  # a pasted line break must not reach a header
    now = now or utcnow()
    route = find_route(session, case)
    msgid = f"<{uuid.uuid4().hex}@{msgid_domain}>" if route.channel == "email" else None
    headers = _thread_headers(route.answers, session, case) if route.channel == "email" else {}
    contact = Contact(
        case_id=case.id,
        person_id=case.person_id,
        direction=Direction.outbound,
        channel=route.channel,
        message_id=msgid,
        in_reply_to=headers.get("In-Reply-To"),
        sender=sender,
        sender_name=actor,
        subject=subject,
        body=text,
        at=now,
    )
    session.add(contact)
    session.flush()
    row = Outbox(
        case_id=case.id,
        contact_id=route.answers.id if route.answers else None,
        kind="reply",
        channel=route.channel,
        to_address=route.to,
        subject=subject,
        text=text,
        html=html,
        headers=headers,
        message_id=msgid,
        not_before=now,
        created_at=now,
        actor=actor,
    )
    session.add(row)
    session.flush()
    if case.responded_at is None:
        case.responded_at = now
    session.add(Event(at=now, case_id=case.id, actor=actor, kind="reply",
                      detail={"outbox_id": row.id, "contact_id": contact.id, "channel": route.channel,
                              "subject": subject}))
    case.last_action_at = now
    return row
