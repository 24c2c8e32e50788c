"""Write one triaged contact to the store: person, case, contact, decision, events and outbox rows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.bounced import record_bounce
from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.fallback import was_acknowledged
from handlers.fragments import joined_content_free_case
from handlers.matchtext import name_key
from handlers.types import CHAT_REPLY_KINDS, Incoming, Reply, Triage
from store.models import (
    Campaign,
    Case,
    CaseStatus,
    Contact,
    Decision,
    Direction,
    Event,
    Identity,
    Outbox,
    Person,
    RawMessage,
    StoredAttachment,
)
from store.refs import next_reference

logger = logging.getLogger(__name__)


def identity_of(inc: Incoming) -> tuple[str, str] | None:
    if inc.channel == "telegram" and inc.telegram_user_id is not None:
        return "telegram", str(inc.telegram_user_id)
    if inc.sender_address:
        return "email", inc.sender_address
    return None


def _event(s: Session, at: datetime, kind: str, *, case: Case | None = None, raw_id: int | None = None,
           actor: str = "signpost", **detail: Any) -> None:
    s.add(Event(at=at, case_id=case.id if case else None, raw_id=raw_id, actor=actor, kind=kind, detail=detail))


def _person(s: Session, triage: Triage, inc: Incoming) -> Person | None:
    """Find or create the writer, and link this identity to them."""
    ident = identity_of(inc)
    known = (s.scalar(select(Identity).where(Identity.kind == ident[0], Identity.value == ident[1]))
             if ident is not None else None)
    person = s.get(Person, triage.person_id) if triage.person_id else None
    if person is None and known is not None:
        person = known.person
    name = triage.person_name or inc.sender_name or None
    if person is None:
        if ident is None:
            return None
        person = Person(name=name, name_key=name_key(name), phone=triage.person_phone,
                        postcode=triage.person_postcode, created_at=triage.received_at)
        s.add(person)
        s.flush()
    else:
        person.phone = person.phone or triage.person_phone
        person.postcode = person.postcode or triage.person_postcode
        if not person.name and name:
            person.name, person.name_key = name, name_key(name)
    if known is not None and known.unreachable:
        known.unreachable = False  # they wrote from it again: it works after all (a full mailbox emptied)
    if ident is not None and known is None:
        s.add(Identity(person_id=person.id, kind=ident[0], value=ident[1],
                       display_name=inc.sender_name or None, created_at=triage.received_at))
        s.flush()
    return person


def _case_subject(inc: Incoming | None) -> str:
    """The subject line, or the opening words of a chat message, so every case has a title."""
    if inc is None:
        return ""
    if inc.subject.strip():
        return inc.subject.strip()
    words = " ".join(inc.body.split())
    return words if len(words) <= 80 else words[:77].rsplit(" ", 1)[0] + "..."


def _new_case(s: Session, cfg: Config, cal: WorkingCalendar, triage: Triage, person: Person | None,
              channel: str, *, campaign: Campaign | None = None) -> Case:
    at = triage.received_at
    local = cal.local_date(at)
    days = cfg.sla.foi_days if triage.category == "foi" else cfg.sla.respond_days
    if triage.member and triage.category != "foi":  # FOI's 20 working days are statutory
        days = cfg.members.respond_days
    inc = triage.incoming
    case = Case(
        reference=next_reference(s, cfg.office.reference_prefix, local.year),
        person_id=person.id if person and campaign is None else None,
        category=triage.category, agency=triage.agency, urgent=triage.urgent,
        campaign_id=campaign.id if campaign else None, channel=channel,
        subject=(campaign.title if campaign else _case_subject(inc))[:998],
        opened_at=at, acknowledge_by=cal.due_date(at, cfg.sla.acknowledge_days),
        respond_by=cal.due_date(at, days), last_action_at=at,
    )
    s.add(case)
    s.flush()
    _event(s, at, "case_opened", case=case, raw_id=triage.raw_id, reference=case.reference,
           category=case.category, agency=case.agency, urgent=case.urgent)
    return case


def _campaign_case(s: Session, cfg: Config, cal: WorkingCalendar, triage: Triage) -> Case:
    """Join the matched campaign, or start one and move the earlier look-alike contacts into it."""
    if triage.campaign is not None:
        case = s.get(Case, triage.campaign.case_id)
        assert case is not None
        return case
    campaign = Campaign(title=(triage.new_campaign_title or "Campaign")[:255],
                        fingerprint=getattr(triage, "campaign_fingerprint", None) or "",
                        created_at=triage.received_at)
    s.add(campaign)
    s.flush()
    case = _new_case(s, cfg, cal, triage, None, "email", campaign=campaign)
    case.category, case.agency = "campaign", "opcc"
    _event(s, triage.received_at, "campaign_created", case=case, campaign_id=campaign.id, title=campaign.title)
    for peer_raw in triage.campaign_peer_raw_ids:
        contact = s.scalar(select(Contact).where(Contact.raw_id == peer_raw))
        if contact is None or contact.case_id == case.id:
            continue
        old = s.get(Case, contact.case_id) if contact.case_id else None
        contact.case_id = case.id
        if contact.decision is not None:
            contact.decision.category, contact.decision.campaign_id = "campaign", campaign.id
            contact.decision.agency = "opcc"
        _event(s, triage.received_at, "moved_to_campaign", case=case, raw_id=peer_raw,
               from_case=old.reference if old else None)
        if old is not None and old.campaign_id is None:
            others = s.scalar(select(Contact.id).where(Contact.case_id == old.id, Contact.id != contact.id,
                                                       Contact.direction == Direction.inbound).limit(1))
            if others is None:
                old.status, old.closed_at, old.merged_into_id = CaseStatus.closed, triage.received_at, case.id
                _event(s, triage.received_at, "merged", case=old, into=case.reference, reason="campaign")
    return case


def _choose_case(s: Session, cfg: Config, cal: WorkingCalendar, triage: Triage, person: Person | None,
                 channel: str) -> Case | None:
    if triage.machine or (triage.reply_kind in CHAT_REPLY_KINDS and triage.case is None):
        return None
    if triage.campaign is not None or triage.new_campaign_title:
        return _campaign_case(s, cfg, cal, triage)
    if triage.case is not None:
        case = s.get(Case, triage.case.id)
        assert case is not None
        if case.status == CaseStatus.closed:
            case.status, case.closed_at = CaseStatus.open, None
            _event(s, triage.received_at, "case_reopened", case=case, raw_id=triage.raw_id)
        if joined_content_free_case(triage):
            # The case was opened by a greeting; this first real message decides what it is about.
            case.category, case.agency = triage.category, triage.agency
            case.subject = _case_subject(triage.incoming) or case.subject
        return case
    return _new_case(s, cfg, cal, triage, person, channel)


def _mark_urgent(s: Session, cal: WorkingCalendar, triage: Triage, case: Case) -> None:
    """An urgent contact makes its case urgent, whatever the case (a campaign, an old matter): the
    urgent queue and home page show it, it is open, and it is due today."""
    today = cal.local_date(triage.received_at)
    if case.status == CaseStatus.closed:
        case.status, case.closed_at = CaseStatus.open, None
        _event(s, triage.received_at, "case_reopened", case=case, raw_id=triage.raw_id, reason="urgent contact")
    if not case.urgent:
        case.urgent = True
        _event(s, triage.received_at, "became_urgent", case=case, raw_id=triage.raw_id)
    case.respond_by = min(case.respond_by, today)
    case.acknowledge_by = min(case.acknowledge_by, today)


def _apply_duties(s: Session, triage: Triage, case: Case) -> None:
    """Member correspondence, the writer's language and a contact arrangement, shown on the case."""
    if triage.member and not case.member_correspondence:
        case.member_correspondence = True
        _event(s, triage.received_at, "member_correspondence", case=case, raw_id=triage.raw_id, reason=triage.member)
    if triage.language and case.language != triage.language:
        case.language = triage.language
    arrangement = triage.arrangement
    if arrangement is not None and case.campaign_id is None and case.assigned_to != arrangement.caseworker:
        old, case.assigned_to = case.assigned_to, arrangement.caseworker
        _event(s, triage.received_at, "assigned", case=case, raw_id=triage.raw_id, actor="signpost",
               **{"from": old, "to": arrangement.caseworker, "arrangement_id": arrangement.id})


def _outbox(s: Session, cfg: Config, triage: Triage, case: Case | None, contact: Contact, reply: Reply,
            kind: str, to: str, channel: str) -> Outbox:
    inc = triage.incoming
    domain = cfg.office.mailbox.split("@", 1)[1]
    msgid = make_msgid("signpost", domain=domain) if channel == "email" else f"<tg-out-{contact.id}-{kind}@{domain}>"
    headers: dict[str, Any] = {"Auto-Submitted": "auto-replied", "X-Loop": cfg.office.mailbox}
    if channel == "email" and inc is not None and inc.message_id and kind != "alert":
        headers["In-Reply-To"] = inc.message_id
        headers["References"] = " ".join([*inc.references[-10:], inc.message_id])
    row = Outbox(case_id=case.id if case else None, contact_id=contact.id, kind=kind, channel=channel,
                 to_address=to, to_name=(inc.sender_name or None) if inc and kind != "alert" else None,
                 subject=reply.subject, text=reply.text, html=reply.html, headers=headers,
                 message_id=msgid, not_before=triage.received_at, created_at=triage.received_at)
    s.add(row)
    if kind != "alert":
        # Our reply is a contact of the case too, so a reply to it threads back (In-Reply-To).
        s.add(Contact(case_id=case.id if case else None, person_id=contact.person_id,
                      direction=Direction.outbound, channel=channel, message_id=msgid,
                      in_reply_to=inc.message_id if inc else None, sender=cfg.office.mailbox,
                      telegram_chat_id=contact.telegram_chat_id, subject=reply.subject, body=reply.text,
                      at=triage.received_at))
    return row


def _edit(s: Session, triage: Triage, inc: Incoming) -> bool:
    """A Telegram edit updates the stored contact with an event; True when the original was found."""
    original = s.scalar(select(Contact).where(Contact.message_id == inc.message_id,
                                              Contact.direction == Direction.inbound))
    if original is None:
        return False
    _event(s, triage.received_at, "contact_edited", case=original.case, raw_id=triage.raw_id,
           old_text=original.body[:2000], new_text=inc.body[:2000])
    original.body, original.edited_at = inc.body, triage.received_at
    return True


def record_triage(s: Session, cfg: Config, cal: WorkingCalendar, raw: RawMessage, triage: Triage,
                  respond: Callable[[], object]) -> None:
    """Persist the decision and queue replies; `respond` runs the compose stage once the case exists."""
    inc = triage.incoming
    assert inc is not None, "parse always sets incoming or raises"
    if inc.edited and triage.reply_kind == "edit" and _edit(s, triage, inc):
        return
    person = None if triage.machine else _person(s, triage, inc)
    if triage.bounce is not None:
        record_bounce(s, triage.bounce, triage.raw_id, triage.received_at)
    channel = "telegram" if inc.channel == "telegram" else "email"
    case = _choose_case(s, cfg, cal, triage, person, channel)
    if case is not None and triage.urgent:
        _mark_urgent(s, cal, triage, case)
    triage.followup = triage.followup or (case is not None and triage.case is not None)
    if case is not None and case.unreachable and not triage.machine and not triage.third_party:
        case.unreachable = False  # the person wrote again: they can be reached
    if case is not None:
        _apply_duties(s, triage, case)
        triage.reference = case.reference
        triage.acknowledge_by, triage.respond_by = case.acknowledge_by, case.respond_by
    contact = Contact(
        case_id=case.id if case else None, raw_id=raw.id, person_id=person.id if person else None,
        direction=Direction.inbound, channel=channel, message_id=inc.message_id, in_reply_to=inc.in_reply_to,
        sender=inc.sender_address or (str(inc.telegram_user_id) if inc.telegram_user_id else None),
        sender_name=inc.sender_name or None, telegram_chat_id=inc.telegram_chat_id,
        subject=inc.subject[:998], body=inc.body, quoted=inc.quoted, at=triage.received_at, machine=triage.machine,
    )
    s.add(contact)
    s.flush()
    for a in inc.attachments:
        s.add(StoredAttachment(contact_id=contact.id, filename=a.filename[:255], content_type=a.content_type[:255],
                               size=a.size, data=a.data))
    respond()
    campaign_id = case.campaign_id if case is not None else None
    s.add(Decision(contact_id=contact.id, category=triage.category, urgent=triage.urgent, agency=triage.agency,
                   ack=triage.ack, machine=triage.machine, campaign_id=campaign_id,
                   hits=[h.as_dict() for h in triage.hits], decided_at=triage.received_at))
    _event(s, triage.received_at, "triaged", case=case, raw_id=raw.id, category=triage.category,
           urgent=triage.urgent, agency=triage.agency, ack=triage.ack, reply_kind=triage.reply_kind,
           hits=[h.as_dict() for h in triage.hits])
    for problem in inc.problems:
        _event(s, triage.received_at, "parse_problem", case=case, raw_id=raw.id, problem=problem[:500])
    if triage.reply is not None and was_acknowledged(s, raw.id) and triage.reply_kind not in CHAT_REPLY_KINDS:
        # Its triage failed before and it got the plain acknowledgement then: not a second one.
        _event(s, triage.received_at, "reply_skipped", case=case, raw_id=raw.id, reason="acknowledged when "
               "its triage failed")
    elif triage.reply is not None:
        to = str(inc.telegram_chat_id) if channel == "telegram" else (inc.sender_address or "")
        if to:
            kind = triage.reply_kind if triage.reply_kind in CHAT_REPLY_KINDS else (
                "followup" if triage.followup else "ack")
            _outbox(s, cfg, triage, case, contact, triage.reply, kind, to, channel)
            _event(s, triage.received_at, "reply_queued", case=case, raw_id=raw.id, reply=kind,
                   template=next((h.reason for h in triage.hits if h.rule == "template"), None))
    if triage.alert is not None:
        for duty in cfg.alerts.duty_addresses:
            _outbox(s, cfg, triage, case, contact, triage.alert, "alert", duty, "email")
        _event(s, triage.received_at, "urgent_alert", case=case, raw_id=raw.id,
               to=list(cfg.alerts.duty_addresses))
        if not cfg.alerts.duty_addresses:
            logger.error("raw #%d: URGENT contact but alerts.duty_addresses is empty", raw.id)
    s.flush()
