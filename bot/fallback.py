"""When triage of a message raises: the plain acknowledgement with the 999 advice, and a duty alert.

No human contact goes unacknowledged because a stage failed. The message stays `failed` (the
re-triage mark: `signpost retry-failed`); when it is triaged later, its acknowledgement is not sent
a second time (`was_acknowledged`).
"""

from __future__ import annotations

import email
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.policy import compat32
from email.utils import getaddresses

from jinja2 import Environment
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.casework import msgid_domain, new_message_id
from bot.config import Config
from handlers.compose import greeting, office_variables, render_reply
from handlers.machine_mail import find_machine_evidence
from handlers.parse import parse_email, parse_telegram
from handlers.safetext import header_text
from handlers.settings import MachineMailSettings
from handlers.types import Incoming
from store.models import Event, Outbox, RawMessage

logger = logging.getLogger(__name__)
KIND = "fallback_acknowledged"
_PLAIN = ("IF YOU OR ANYONE ELSE IS IN DANGER NOW, CALL 999.\n{advice}\n\nDear {name},\n\nThank you for your "
          "message. We have received it and a member of staff will read it.\n\nYours sincerely,\n\n{office}\n")


@dataclass(frozen=True)
class Writer:
    channel: str  # email | telegram
    to: str
    name: str
    subject: str
    message_id: str | None
    machine: bool
    text: str


def _from_incoming(inc: Incoming, own: frozenset[str], cues: MachineMailSettings) -> Writer | None:
    if inc.channel == "telegram":
        if inc.telegram_chat_id is None or inc.telegram_chat_type not in (None, "private"):
            return None
        to = str(inc.telegram_chat_id)
    elif inc.sender_address:
        to = inc.sender_address
    else:
        return None
    machine = inc.channel != "telegram" and bool(find_machine_evidence(inc, own, cues))
    return Writer("telegram" if inc.channel == "telegram" else "email", to, inc.sender_name, inc.subject,
                  inc.message_id, machine, inc.body)


def _crude(raw: RawMessage) -> Writer | None:
    """The writer when even parsing failed: the From header, or the Update's chat."""
    if raw.raw.lstrip()[:1] == b"{":
        try:
            msg = json.loads(raw.raw).get("message") or {}
            chat = msg.get("chat") or {}
            return Writer("telegram", str(int(chat["id"])), str(chat.get("first_name", "")), "", None,
                          chat.get("type") != "private", str(msg.get("text", ""))[:4000])
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
    msg = email.message_from_bytes(raw.raw, policy=compat32)
    pairs = getaddresses([str(v) for v in msg.get_all("From", [])])
    if not pairs or "@" not in pairs[0][1]:
        return None
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    machine = (not auto.startswith("no")) or str(msg.get("Return-Path", "")).strip() == "<>" or \
        pairs[0][1].lower().startswith(("mailer-daemon", "postmaster"))
    return Writer("email", pairs[0][1].lower(), pairs[0][0], str(msg.get("Subject", "")), msg.get("Message-ID"),
                  machine, "")


def find_writer(raw: RawMessage, own: frozenset[str], cues: MachineMailSettings) -> Writer | None:
    """Who wrote this message, read as far as parsing goes (it may be what failed)."""
    chat = raw.channel == "telegram" or (raw.channel == "replay" and raw.raw.lstrip()[:1] == b"{")
    try:
        inc = parse_telegram(raw.raw) if chat else parse_email(raw.raw)
    except Exception:  # parse itself may be the stage that failed: read the headers crudely instead
        logger.info("raw #%d fallback: parse failed too; reading the sender crudely", raw.id)
        return _crude(raw)
    return _from_incoming(inc, own, cues)


def _reply_text(cfg: Config, env: Environment, w: Writer) -> tuple[str, str, str | None]:
    subject = header_text(w.subject, 150)
    subject = (subject if subject.lower().startswith("re:") else f"Re: {subject}") if subject else "Your message"
    variables = {**office_variables(cfg, "opcc"), "greeting_name": greeting(w.name), "reference": "",
                 "urgent": True, "noun": "message", "respond_by": None, "helplines": []}
    try:
        reply = render_reply(env, "fallback", subject, variables)
        return reply.subject, reply.text, reply.html
    except Exception:  # the templates may be what is broken: plain words that need nothing
        logger.exception("fallback acknowledgement template failed; sending the plain text")
        return subject, _PLAIN.format(advice=cfg.agencies["emergency_999"].advice, name=greeting(w.name),
                                      office=cfg.office.name), None


def _over_limit(s: Session, cfg: Config, to: str, now: datetime) -> bool:
    since = now - timedelta(hours=cfg.acknowledgements.window_hours)
    sent = s.scalar(select(func.count(Outbox.id)).where(Outbox.to_address == to, Outbox.kind == "ack",
                                                        Outbox.created_at >= since)) or 0
    return sent >= cfg.acknowledgements.max_per_sender


def acknowledge_failed(s: Session, cfg: Config, env: Environment, raw: RawMessage, error: str,
                       now: datetime) -> bool:
    """Queue the plain acknowledgement (999 advice first) and the duty alert; True when acknowledged."""
    own = cfg.office.all_addresses
    w = find_writer(raw, own, cfg.triage.machine_mail)
    acked = (w is not None and not w.machine and w.to not in own and not was_acknowledged(s, raw.id)
             and not _over_limit(s, cfg, w.to, now))
    domain = msgid_domain(cfg)
    if acked and w is not None:
        subject, text, html = _reply_text(cfg, env, w)
        headers = {"Auto-Submitted": "auto-replied", "X-Loop": cfg.office.mailbox}
        if w.channel == "email" and w.message_id:
            headers |= {"In-Reply-To": w.message_id, "References": w.message_id}
        s.add(Outbox(kind="ack", channel=w.channel, to_address=w.to, to_name=w.name[:255] or None, subject=subject,
                     text=text, html=html if w.channel == "email" else None, headers=headers,
                     message_id=new_message_id(cfg, "signpost") if w.channel == "email" else
                     f"<tg-out-raw{raw.id}-fallback@{domain}>", not_before=now, created_at=now))
    who = f"{w.to} ({w.channel})" if w else "an unknown sender"
    text = (f"Signpost could not triage message #{raw.id} from {who}: {error[:500]}\n\n"
            f"{'They were sent the plain acknowledgement with the 999 advice.' if acked else 'No reply was sent.'}"
            f" Someone may be at risk: read the message now. It is kept, marked failed; once the fault is fixed, "
            f"`signpost retry-failed` triages it again (without a second acknowledgement).\n\n"
            f"Subject: {w.subject if w else ''}\n\n--- message text ---\n{(w.text if w else '')[:4000]}\n")
    for duty in cfg.alerts.duty_addresses:
        s.add(Outbox(kind="alert", channel="email", to_address=duty,
                     subject=f"Triage failed: message #{raw.id} from {who} needs a person now",
                     text=text, headers={"Auto-Submitted": "auto-generated"}, not_before=now, created_at=now))
    s.add(Event(at=now, raw_id=raw.id, actor="signpost", kind=KIND if acked else "fallback_alerted",
                detail={"to": w.to if w and acked else None, "alerted": list(cfg.alerts.duty_addresses)}))
    return acked


def was_acknowledged(s: Session, raw_id: int) -> bool:
    """Did this message get the fallback acknowledgement when its triage failed before?"""
    return s.scalar(select(Event.id).where(Event.raw_id == raw_id, Event.kind == KIND).limit(1)) is not None
