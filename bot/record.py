"""Write one placed, composed contact to the store: contact, attachments, decision, events and outbox rows."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.casework import msgid_domain, new_message_id
from bot.config import Config
from bot.fallback import was_acknowledged
from bot.place import Placement, event
from bot.tagging import apply_rules
from handlers.labels import CHAT_REPLIES, OutboxKind
from handlers.types import Incoming, Reply, Triage
from store.models import Case, Contact, Decision, Direction, Outbox, RawMessage, StoredAttachment

logger = logging.getLogger(__name__)


def record_triage(s: Session, cfg: Config, raw: RawMessage, triage: Triage, placed: Placement,
                  now: datetime) -> None:
    """Persist the contact and its decision, and queue the reply and alerts compose rendered.

    `now` is the worker's clock: replies are due at once, never later than now.
    """
    inc = triage.incoming
    assert inc is not None, "parse always sets incoming or raises"
    if placed.edits is not None:
        _apply_edit(s, triage, inc, placed.edits)
        return
    case, person, channel = placed.case, placed.person, placed.channel
    # Only a message whose triage failed before (its error kept until it is triaged) can have had
    # the fallback acknowledgement; read before anything is added, so the query needs no flush.
    acked_before = triage.reply is not None and raw.error is not None and was_acknowledged(s, raw.id)
    # Rows refer to the case, the person and the contact as objects: all go in the one flush at the end.
    contact = Contact(
        case=case, raw_id=raw.id, person=person,
        direction=Direction.inbound, channel=channel, message_id=inc.message_id, in_reply_to=inc.in_reply_to,
        sender=inc.sender_address or (str(inc.telegram_user_id) if inc.telegram_user_id else None),
        sender_name=inc.sender_name or None, telegram_chat_id=inc.telegram_chat_id,
        subject=inc.subject[:998], body=inc.body, quoted=inc.quoted, at=triage.received_at, machine=triage.machine,
    )
    s.add(contact)
    for a in inc.attachments:
        s.add(StoredAttachment(contact=contact, filename=a.filename[:255], content_type=a.content_type[:255],
                               size=a.size, data=a.data))
    campaign_id = case.campaign_id if case is not None else None
    s.add(Decision(contact=contact, category=triage.category, urgent=triage.urgent, agency=triage.agency,
                   ack=triage.ack, machine=triage.machine, campaign_id=campaign_id,
                   hits=[h.as_dict() for h in triage.hits], decided_at=triage.received_at))
    event(s, triage.received_at, "triaged", case=case, raw_id=raw.id, category=triage.category,
          urgent=triage.urgent, agency=triage.agency, ack=triage.ack, message_kind=triage.kind.value,
          hits=[h.as_dict() for h in triage.hits])
    for problem in inc.problems:
        event(s, triage.received_at, "parse_problem", case=case, raw_id=raw.id, problem=problem[:500])
    if case is not None and not triage.machine:
        with s.no_autoflush:  # the tag look-ups read tags only: the rows added above go in one flush
            apply_rules(s, cfg, case, f"{inc.subject}\n{inc.body}", triage.received_at)
    due = min(triage.received_at, now)
    if acked_before and triage.outbox_kind not in CHAT_REPLIES:
        # Its triage failed before and it got the plain acknowledgement then: not a second one.
        event(s, triage.received_at, "reply_skipped", case=case, raw_id=raw.id,
              reason="acknowledged when its triage failed")
    elif triage.reply is not None:
        to = str(inc.telegram_chat_id) if channel == "telegram" else (inc.sender_address or "")
        if to:
            kind = triage.outbox_kind
            _outbox(s, cfg, triage, case, contact, triage.reply, kind, to, channel, due)
            event(s, triage.received_at, "reply_queued", case=case, raw_id=raw.id, reply=kind.value,
                  template=triage.reply.template)
    if triage.alert is not None:
        for duty in cfg.alerts.duty_addresses:
            _outbox(s, cfg, triage, case, contact, triage.alert, OutboxKind.ALERT, duty, "email", due)
        event(s, triage.received_at, "urgent_alert", case=case, raw_id=raw.id,
              to=list(cfg.alerts.duty_addresses))
        if not cfg.alerts.duty_addresses:
            logger.error("raw #%d: URGENT contact but alerts.duty_addresses is empty", raw.id)
    s.flush()


def _outbox(s: Session, cfg: Config, triage: Triage, case: Case | None, contact: Contact, reply: Reply,
            kind: OutboxKind, to: str, channel: str, due: datetime) -> Outbox:
    inc = triage.incoming
    msgid = (new_message_id(cfg, "signpost") if channel == "email"
             else f"<tg-out-raw{triage.raw_id}-{kind}@{msgid_domain(cfg)}>")
    headers: dict[str, Any] = {"Auto-Submitted": "auto-replied", "X-Loop": cfg.office.mailbox}
    if channel == "email" and inc is not None and inc.message_id and kind is not OutboxKind.ALERT:
        headers["In-Reply-To"] = inc.message_id
        headers["References"] = " ".join([*inc.references[-10:], inc.message_id])
    row = Outbox(case=case, contact=contact, kind=kind.value, channel=channel,
                 to_address=to, to_name=(inc.sender_name or None) if inc and kind is not OutboxKind.ALERT else None,
                 subject=reply.subject, text=reply.text, html=reply.html, headers=headers,
                 message_id=msgid, not_before=due, created_at=triage.received_at)
    s.add(row)
    if kind is not OutboxKind.ALERT:
        # Our reply is a contact of the case too, so a reply to it threads back (In-Reply-To).
        s.add(Contact(case=case, person=contact.person,
                      direction=Direction.outbound, channel=channel, message_id=msgid,
                      in_reply_to=inc.message_id if inc else None, sender=cfg.office.mailbox,
                      telegram_chat_id=contact.telegram_chat_id, subject=reply.subject, body=reply.text,
                      at=triage.received_at))
    return row


def _apply_edit(s: Session, triage: Triage, inc: Incoming, original: Contact) -> None:
    """A Telegram edit updates the stored contact, with an event keeping the old text."""
    event(s, triage.received_at, "contact_edited", case=original.case, raw_id=triage.raw_id,
          old_text=original.body[:2000], new_text=inc.body[:2000])
    original.body, original.edited_at = inc.body, triage.received_at
