"""Place a decided contact: find or create its writer, and join, reopen or open its case (or campaign)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from bot.bounced import record_bounce
from bot.config import Config
from bot.deadlines import WorkingCalendar
from handlers.matchtext import name_key
from handlers.types import CampaignRef, Incoming, Kind, Triage
from store.models import Campaign, Case, CaseStatus, Contact, Direction, Event, Identity, Person
from store.refs import next_reference
from store.repo import identity_row

# Kinds that open no case of their own: machine mail and the chat answers (a chat flood joins
# the sender's latest case when chat found one).
_NO_CASE = frozenset({Kind.MACHINE, Kind.CHAT_COMMAND, Kind.CHAT_UNSUPPORTED, Kind.CHAT_GROUP, Kind.CHAT_FLOOD})


@dataclass
class Placement:
    """Where a decided contact belongs; `edits` is the stored contact a Telegram edit changes."""

    channel: str  # "email" | "telegram"
    person: Person | None = None
    case: Case | None = None
    edits: Contact | None = None


def identity_of(inc: Incoming) -> tuple[str, str] | None:
    if inc.channel == "telegram" and inc.telegram_user_id is not None:
        return "telegram", str(inc.telegram_user_id)
    if inc.sender_address:
        return "email", inc.sender_address
    return None


def event(s: Session, at: datetime, kind: str, *, case: Case | None = None, raw_id: int | None = None,
          actor: str = "signpost", **detail: Any) -> None:
    # The case as an object: a case this unit of work opens needs no flush for its id first.
    s.add(Event(at=at, case=case, raw_id=raw_id, actor=actor, kind=kind, detail=detail))


def place_case(s: Session, cfg: Config, cal: WorkingCalendar, triage: Triage) -> Placement:
    """Person and case for the contact; sets the triage's reference and deadlines for compose."""
    inc = triage.incoming
    assert inc is not None, "parse always sets incoming or raises"
    channel = "telegram" if inc.channel == "telegram" else "email"
    if triage.kind is Kind.CHAT_EDIT:
        original = s.scalar(select(Contact).where(Contact.message_id == inc.message_id,
                                                  Contact.direction == Direction.inbound))
        if original is not None:
            return Placement(channel, edits=original)
    person = None if triage.machine else _person(s, triage, inc)
    if triage.bounce is not None:
        record_bounce(s, triage.bounce, triage.raw_id, triage.received_at)
    case = _choose_case(s, cfg, cal, triage, person, channel)
    if case is not None and triage.urgent:
        _mark_urgent(s, cal, triage, case)
    if case is not None and case.unreachable and not triage.machine and not triage.third_party:
        case.unreachable = False  # the person wrote again: they can be reached
    if case is not None:
        _apply_duties(s, triage, case)
        triage.reference = case.reference
        triage.acknowledge_by, triage.respond_by = case.acknowledge_by, case.respond_by
    return Placement(channel, person, case)


def _mark_urgent(s: Session, cal: WorkingCalendar, triage: Triage, case: Case) -> None:
    """An urgent contact makes its case urgent, whatever the case (a campaign, an old matter): the
    urgent queue and home page show it, it is open, and it is due today."""
    today = cal.local_date(triage.received_at)
    if case.status == CaseStatus.closed:
        case.status, case.closed_at = CaseStatus.open, None
        event(s, triage.received_at, "case_reopened", case=case, raw_id=triage.raw_id, reason="urgent contact")
    if not case.urgent:
        case.urgent = True
        event(s, triage.received_at, "became_urgent", case=case, raw_id=triage.raw_id)
    case.respond_by = min(case.respond_by, today)
    case.acknowledge_by = min(case.acknowledge_by, today)


def _apply_duties(s: Session, triage: Triage, case: Case) -> None:
    """Member correspondence, the writer's language and a contact arrangement, shown on the case."""
    if triage.member and not case.member_correspondence:
        case.member_correspondence = True
        event(s, triage.received_at, "member_correspondence", case=case, raw_id=triage.raw_id, reason=triage.member)
    if triage.language and case.language != triage.language:
        case.language = triage.language
    arrangement = triage.arrangement
    if arrangement is not None and case.campaign_id is None and case.assigned_to != arrangement.caseworker:
        old, case.assigned_to = case.assigned_to, arrangement.caseworker
        event(s, triage.received_at, "assigned", case=case, raw_id=triage.raw_id, actor="signpost",
              **{"from": old, "to": arrangement.caseworker, "arrangement_id": arrangement.id})


def _person(s: Session, triage: Triage, inc: Incoming) -> Person | None:
    """Find or create the writer, and link this identity to them."""
    ident = identity_of(inc)
    known = identity_row(s, *ident) if ident is not None else None
    person = s.get(Person, triage.person_id) if triage.person_id else None
    if person is None and known is not None:
        person = known.person
    name = triage.person_name or inc.sender_name or None
    if person is None:
        if ident is None:
            return None
        person = Person(name=name, name_key=name_key(name), phone=triage.person_phone,
                        postcode=triage.person_postcode, created_at=triage.received_at)
        s.add(person)  # written with the unit of work's one flush: its rows refer to it as an object
    else:
        person.phone = person.phone or triage.person_phone
        person.postcode = person.postcode or triage.person_postcode
        if not person.name and name:
            person.name, person.name_key = name, name_key(name)
    if known is not None and known.unreachable:
        known.unreachable = False  # they wrote from it again: it works after all (a full mailbox emptied)
    if ident is not None and known is None:
        # Written with the next flush (the case's, or the contact's): nothing reads it before then.
        s.add(Identity(person=person, kind=ident[0], value=ident[1],
                       display_name=inc.sender_name or None, created_at=triage.received_at))
    return person


def case_subject(inc: Incoming | None) -> str:
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
        person=person if campaign is None else None,
        category=triage.category, agency=triage.agency, urgent=triage.urgent,
        campaign=campaign, channel=channel,
        subject=(campaign.title if campaign else case_subject(inc))[:998],
        opened_at=at, acknowledge_by=cal.due_date(at, cfg.sla.acknowledge_days),
        respond_by=cal.due_date(at, days), last_action_at=at,
    )
    s.add(case)
    event(s, at, "case_opened", case=case, raw_id=triage.raw_id, reference=case.reference,
          category=case.category, agency=case.agency, urgent=case.urgent)
    return case


# Campaign starts take turns across workers (PostgreSQL; held to the unit of work's end).
_CAMPAIGN_START_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('signpost campaign start ' "
                            "|| current_database() || '.' || coalesce(current_schema(), ''), 0))")
# The campaign one of a new campaign's look-alike contacts is in by now, if any.
_PEERS_CAMPAIGN = (select(Campaign, Case.id).join(Case, Case.campaign_id == Campaign.id)
                   .join(Contact, Contact.case_id == Case.id)
                   .where(Contact.raw_id.in_(bindparam("peers", expanding=True))).order_by(Campaign.id).limit(1))


def _started_meanwhile(s: Session, triage: Triage) -> CampaignRef | None:
    """The campaign another worker started from the same look-alikes since this one decided to start one.

    Two workers given two copies of a new campaign at once both find the earlier copies and both
    decide to start it. Starts take turns (an advisory lock held until commit, on PostgreSQL),
    and the second then finds the look-alikes in the first's campaign: it joins that one.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.execute(_CAMPAIGN_START_LOCK)
    if not triage.campaign_peer_raw_ids:
        return None
    found = s.execute(_PEERS_CAMPAIGN, {"peers": list(triage.campaign_peer_raw_ids)}).first()
    if found is None:
        return None
    camp, case_id = found
    return CampaignRef(camp.id, case_id, camp.title, camp.fingerprint, camp.response)


def _campaign_case(s: Session, cfg: Config, cal: WorkingCalendar, triage: Triage) -> Case:
    """Join the matched campaign, or start one; either way move the earlier look-alike contacts into it."""
    if triage.campaign is None and (joined := _started_meanwhile(s, triage)) is not None:
        triage.hit("place", "campaign_started_meanwhile", f"campaign #{joined.id} {joined.title!r} was started "
                   "from the same look-alike contacts while this one was decided: joined it, not a second one")
        triage.campaign, triage.new_campaign_title, triage.campaign_fingerprint = joined, None, None
    if triage.campaign is not None:
        found = s.get(Case, triage.campaign.case_id)
        campaign = s.get(Campaign, triage.campaign.id)
        assert found is not None and campaign is not None
        case = found
    else:
        campaign = Campaign(title=(triage.new_campaign_title or "Campaign")[:255],
                            fingerprint=triage.campaign_fingerprint or "", created_at=triage.received_at)
        s.add(campaign)
        s.flush()
        case = _new_case(s, cfg, cal, triage, None, "email", campaign=campaign)
        case.category, case.agency = "campaign", "opcc"
        event(s, triage.received_at, "campaign_created", case=case, campaign_id=campaign.id, title=campaign.title)
    for peer_raw in triage.campaign_peer_raw_ids:
        contact = s.scalar(select(Contact).where(Contact.raw_id == peer_raw))
        if contact is None or contact.case_id == case.id:
            continue
        old = s.get(Case, contact.case_id) if contact.case_id else None
        contact.case_id = case.id
        if contact.decision is not None:
            contact.decision.category, contact.decision.campaign_id = "campaign", campaign.id
            contact.decision.agency = "opcc"
        event(s, triage.received_at, "moved_to_campaign", case=case, raw_id=peer_raw,
              from_case=old.reference if old else None)
        if old is not None and old.campaign_id is None:
            others = s.scalar(select(Contact.id).where(Contact.case_id == old.id, Contact.id != contact.id,
                                                       Contact.direction == Direction.inbound).limit(1))
            if others is None:
                old.status, old.closed_at, old.merged_into_id = CaseStatus.closed, triage.received_at, case.id
                event(s, triage.received_at, "merged", case=old, into=case.reference, reason="campaign")
    return case


def _choose_case(s: Session, cfg: Config, cal: WorkingCalendar, triage: Triage, person: Person | None,
                 channel: str) -> Case | None:
    if triage.kind in _NO_CASE and triage.case is None:
        return None
    if triage.campaign is not None or triage.new_campaign_title:
        return _campaign_case(s, cfg, cal, triage)
    if triage.case is not None:
        case = s.get(Case, triage.case.id)
        assert case is not None
        if case.status == CaseStatus.closed:
            case.status, case.closed_at = CaseStatus.open, None
            event(s, triage.received_at, "case_reopened", case=case, raw_id=triage.raw_id)
        if triage.after_greetings:
            # The case was opened by a greeting; this first real message decides what it is about.
            case.category, case.agency = triage.category, triage.agency
            case.subject = case_subject(triage.incoming) or case.subject
        elif triage.settles_case and (case.category, case.agency) != (triage.category, triage.agency):
            # A chaser that makes a complaint, or a chat fragment that shows where to go: the case
            # takes its category and signpost, and the messages after it inherit them.
            event(s, triage.received_at, "recategorised", case=case, raw_id=triage.raw_id,
                  category=triage.category, agency=triage.agency,
                  was={"category": case.category, "agency": case.agency})
            case.category, case.agency = triage.category, triage.agency
        return case
    return _new_case(s, cfg, cal, triage, person, channel)
