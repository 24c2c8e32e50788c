"""A campaign response, sent to each participant on their own: own name, own channel, own outbox row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from jinja2 import Environment
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.casework import msgid_domain
from bot.config import Config
from bot.drafts import template_variables
from handlers.compose import greeting, render_reply
from handlers.safetext import header_text
from store.models import (
    Campaign,
    CampaignRecipient,
    CampaignSend,
    Case,
    Contact,
    Decision,
    Direction,
    Event,
    Identity,
    Outbox,
    Person,
)

TEMPLATE = "campaign_response"
PLACEHOLDER = "[Write the response here.]"


class CampaignSendError(ValueError):
    """A campaign response that cannot be sent as asked; the message says why."""


@dataclass(frozen=True)
class Participant:
    """One person who wrote in the campaign, as their latest message has them."""

    contact_id: int
    person_id: int | None
    channel: str  # email | telegram
    address: str  # email address or Telegram chat id
    name: str  # as greeted: their own name, or "Sir or Madam"
    subject: str
    message_id: str | None


def _campaign_contacts(s: Session, campaign: Campaign) -> list[tuple[Contact, str | None]]:
    """Every human message of the campaign (newest first) with the writer's stored name."""
    case_id = campaign.case.id if campaign.case is not None else None
    in_campaign = Contact.id.in_(select(Decision.contact_id).where(Decision.campaign_id == campaign.id))
    where = or_(in_campaign, Contact.case_id == case_id) if case_id is not None else in_campaign
    rows = s.execute(
        select(Contact, Person.name).outerjoin(Person, Person.id == Contact.person_id)
        .where(where, Contact.direction == Direction.inbound, Contact.machine.is_(False))
        .order_by(Contact.at.desc(), Contact.id.desc())
    ).all()
    return [(c, n) for c, n in rows]


def _key(contact: Contact) -> tuple[str, str] | None:
    """Where a copy for this message's writer goes: their chat, or their email address."""
    if contact.channel == "telegram" and contact.telegram_chat_id is not None:
        return ("telegram", str(contact.telegram_chat_id))
    if contact.channel == "email" and contact.sender:
        return ("email", contact.sender.lower())
    return None


def participants(s: Session, campaign: Campaign) -> tuple[list[Participant], int]:
    """One entry per person on their own channel (from their latest message), first writer first,
    and how many were left out because that address or chat is unreachable (bounced, blocked)."""
    latest: dict[tuple[str, str], tuple[Contact, str | None]] = {}
    for contact, person_name in _campaign_contacts(s, campaign):
        key = _key(contact)
        if key is not None and key not in latest:
            latest[key] = (contact, person_name)
    identities = {c.sender for c, _ in latest.values() if c.sender}
    unreachable = set(s.scalars(select(Identity.value).where(Identity.unreachable.is_(True),
                                                             Identity.value.in_(identities)))) if identities else set()
    out = [Participant(c.id, c.person_id, key[0], key[1], greeting(name or c.sender_name), c.subject, c.message_id)
           for key, (c, name) in latest.items() if (c.sender or "").lower() not in unreachable]
    return out[::-1], len(latest) - len(out)


def render_copy(env: Environment, cfg: Config, case: Case, p: Participant, text: str) -> tuple[str, str, str]:
    """(subject, text, html) of one participant's copy."""
    campaign = case.campaign
    variables = {**template_variables(cfg, case, []), "greeting_name": p.name, "response": text.strip(),
                 "campaign_title": campaign.title if campaign else case.subject, "urgent": False}
    base = header_text(p.subject, 150) or (campaign.title if campaign else case.subject)
    subject = base if case.reference in base else f"[{case.reference}] Re: {base}"
    reply = render_reply(env, TEMPLATE, subject, variables)
    return reply.subject, reply.text, reply.html or ""


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise CampaignSendError("write the response first")
    if PLACEHOLDER in text:
        raise CampaignSendError("replace the bracketed line with your response before sending")
    return text


def queue_campaign_response(s: Session, cfg: Config, env: Environment, campaign: Campaign, actor: str,
                            text: str, *, also_later: bool, now: datetime) -> CampaignSend:
    """Queue one copy per participant in this transaction, spaced by `campaigns.send_per_minute`.

    The outbox then sends them at that pace and carries on after a restart; each copy has its
    CampaignRecipient row. With `also_later`, the text becomes the campaign's response, which
    everyone who writes from now on receives with their acknowledgement.

    Raises:
        CampaignSendError: no text, the template's placeholder left in, or no case for the campaign.
    """
    text = check_text(text)
    case = campaign.case
    if case is None:
        raise CampaignSendError("this campaign has no case")
    people, skipped = participants(s, campaign)
    send = CampaignSend(campaign_id=campaign.id, text=text, actor=actor, created_at=now, also_later=also_later)
    s.add(send)
    s.flush()
    gap = 60.0 / cfg.campaigns.send_per_minute
    domain = msgid_domain(cfg)
    for i, p in enumerate(people):
        subject, body, html = render_copy(env, cfg, case, p, text)
        email = p.channel == "email"
        headers = {"In-Reply-To": p.message_id, "References": p.message_id} if email and p.message_id else {}
        row = Outbox(case_id=case.id, contact_id=p.contact_id, kind="reply", channel=p.channel, to_address=p.address,
                     to_name=p.name if p.name != greeting(None) else None, subject=subject, text=body,
                     html=html if email else None, headers=headers,
                     message_id=f"<{uuid.uuid4().hex}@{domain}>" if email else None,
                     not_before=now + timedelta(seconds=gap * i), created_at=now, actor=actor)
        s.add(row)
        s.flush()
        s.add(CampaignRecipient(send_id=send.id, contact_id=p.contact_id, person_id=p.person_id, channel=p.channel,
                                address=p.address, name=p.name, outbox_id=row.id))
    if also_later:
        campaign.response = text
    s.add(Event(at=now, case_id=case.id, actor=actor, kind="campaign_response_sent",
                detail={"send_id": send.id, "recipients": len(people), "skipped_unreachable": skipped,
                        "also_later": also_later}))
    case.responded_at = case.responded_at or now
    case.last_action_at = now
    return send


def send_progress(s: Session, send_id: int) -> dict[str, int]:
    """How many copies of a send are pending, sent, dead or failed."""
    rows = s.execute(
        select(Outbox.status, func.count()).join(CampaignRecipient, CampaignRecipient.outbox_id == Outbox.id)
        .where(CampaignRecipient.send_id == send_id).group_by(Outbox.status)
    )
    return {status.value: n for status, n in rows}
