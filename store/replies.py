"""A caseworker's reply: an outbound Contact and an Outbox row on the case's own channel."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.labels import OutboxKind
from handlers.safetext import header_text
from store.models import Case, Contact, Direction, Event, Identity, Outbox, StoredAttachment, utcnow


class NoRoute(ValueError):
    """The case has no address or chat to reply to on its channel."""


@dataclass(frozen=True)
class Route:
    channel: str  # email | telegram
    to: str  # email address or Telegram chat id
    answers: Contact | None  # the last inbound contact on that channel


def _last_inbound(session: Session, case: Case, channel: str) -> Contact | None:
    """The latest message on `channel` from the case's own person (a third party's never counts)."""
    stmt = select(Contact).where(Contact.case_id == case.id, Contact.direction == Direction.inbound,
                                 Contact.channel == channel)
    if case.person_id is not None:
        stmt = stmt.where(Contact.person_id == case.person_id)
    return session.scalar(stmt.order_by(Contact.at.desc(), Contact.id.desc()).limit(1))


def is_third_party(case: Case, contact: Contact) -> bool:
    """A message on the case from someone who is not its person (shown as "third party")."""
    return case.person_id is not None and contact.person_id != case.person_id


def _route_to(contact: Contact) -> Route:
    if contact.channel == "telegram" and contact.telegram_chat_id is not None:
        return Route("telegram", str(contact.telegram_chat_id), contact)
    if contact.channel == "email" and contact.sender:
        return Route("email", contact.sender, contact)
    raise NoRoute(f"contact #{contact.id} has no address or chat to reply to")


def find_route(session: Session, case: Case, to_contact: Contact | None = None) -> Route:
    """Where a reply goes: the case's own person (their email identity, or the chat they last wrote
    from), unless the caseworker chose another writer on the case (`to_contact`).

    Raises:
        NoRoute: when there is nowhere to send (or the address is marked unreachable).
    """
    if case.campaign_id is not None:
        # One reply here would reach one participant with words meant for all (bot/campaign_send.py).
        raise NoRoute(f"{case.reference} is a campaign: respond from its campaign page, which sends each "
                      "participant their own copy")
    if to_contact is not None:
        if to_contact.case_id != case.id or to_contact.direction is not Direction.inbound:
            raise NoRoute("that writer is not on this case")
        return _route_to(to_contact)
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


@dataclass(frozen=True)
class FileToSend:
    """A file a caseworker attaches to a reply, already checked against the office's limits."""

    filename: str
    content_type: str
    data: bytes


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
    to_contact: Contact | None = None,
    now: datetime | None = None,
    files: Sequence[FileToSend] = (),
) -> Outbox:
    """Queue a reply written (or edited) by a caseworker; marks the case responded.

    Args:
        msgid_domain: right-hand side of our Message-ID, normally the office mailbox's domain.
        sender: the From address recorded on the outbound Contact.
        to_contact: another writer on the case to answer instead of its person: the caseworker's
            explicit choice, recorded as a `reply_to_other_party` event.

    Raises:
        NoRoute: the case's channel has nowhere to send to.
        ValueError: an empty text, or files on a channel that cannot carry them.
    """
    if not text.strip():
        raise ValueError("an empty reply")
    subject = header_text(subject, 250)  # a pasted line break must not reach a header
    now = now or utcnow()
    route = find_route(session, case, to_contact)
    if files and route.channel != "email":
        raise ValueError("files can be attached to email replies only; this case is on Telegram")
    msgid = f"<{uuid.uuid4().hex}@{msgid_domain}>" if route.channel == "email" else None
    headers = _thread_headers(route.answers, session, case) if route.channel == "email" else {}
    contact = Contact(
        case_id=case.id,
        person_id=to_contact.person_id if to_contact is not None else case.person_id,
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
        kind=OutboxKind.REPLY.value,
        channel=route.channel,
        to_address=route.to,
        to_name=route.answers.sender_name if route.answers is not None else None,
        subject=subject,
        text=text,
        html=html,
        headers=headers,
        message_id=msgid,
        not_before=now,
        created_at=now,
        actor=actor,
        outbound_contact_id=contact.id,
    )
    session.add(row)
    for f in files:
        session.add(StoredAttachment(contact_id=contact.id, filename=f.filename, content_type=f.content_type,
                                     size=len(f.data), data=f.data))
    session.flush()
    if case.responded_at is None:
        case.responded_at = now
    detail: dict[str, object] = {"outbox_id": row.id, "contact_id": contact.id, "channel": route.channel,
                                 "subject": subject}
    if files:
        detail["attachments"] = [f.filename for f in files]
    session.add(Event(at=now, case_id=case.id, actor=actor, kind="reply", detail=detail))
    if to_contact is not None and is_third_party(case, to_contact):
        session.add(Event(at=now, case_id=case.id, actor=actor, kind="reply_to_other_party",
                          detail={"outbox_id": row.id, "to": route.to, "channel": route.channel,
                                  "their_contact": to_contact.id}))
    case.last_action_at = now
    return row
