"""Anonymise what the store holds about a case or a person; figures stay, people's details go.

Retention (bot/privacy/retention.py) and erasure (bot/privacy/erasure.py) both call these. What
goes: raw mail bytes, subjects, bodies, quoted text, attachments, sender addresses and names,
Telegram chat ids, Message-IDs, the reasons quoted in triage hits, free text in event details,
outbox texts and recipients, and the person's name, phone, postcode, address and identities.
What stays: category, urgency, agency, campaign, channel, direction, status, every date and
deadline, so board reports and digests over past periods keep their numbers.

Raw rows keep their (channel, external_id) and content hash: a repeated IMAP poll or replay of
an anonymised message must stay a no-op rather than come back as a new contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from store.models import (
    Campaign,
    Case,
    Contact,
    ContactArrangement,
    Decision,
    Event,
    Identity,
    Outbox,
    Person,
    RawMessage,
    RawStatus,
    StoredAttachment,
)

# Event detail keys that hold figures, states or staff names, never what a member of the public wrote.
SAFE_DETAIL_KEYS = frozenset({
    "category", "agency", "urgent", "ack", "reply", "reply_kind", "message_kind", "deadline", "days", "owner", "field",
    "campaign_id", "reference", "into", "contact_id", "set", "had", "role", "kind", "counts", "status",
    "template", "held", "released",
})
# Keys whose values are case states or staff (assign/status events); kept only when short words.
_STATE_KEYS = frozenset({"from", "to"})


@dataclass
class Scrubbed:
    """How many rows of each kind one anonymisation changed."""

    cases: int = 0
    contacts: int = 0
    raw: int = 0
    attachments: int = 0
    events: int = 0
    outbox: int = 0
    persons: int = 0
    identities: int = 0
    campaigns: int = 0
    case_ids: list[int] = field(default_factory=list)
    person_ids: set[int] = field(default_factory=set)  # whose contacts were scrubbed: check if unused

    def add(self, other: Scrubbed) -> None:
        for name in ("cases", "contacts", "raw", "attachments", "events", "outbox", "persons", "identities",
                     "campaigns"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.case_ids.extend(other.case_ids)
        self.person_ids |= other.person_ids

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}


def safe_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """An event's detail with every free-text value left out (notes, quotes, reasons, addresses)."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        if key in SAFE_DETAIL_KEYS and not isinstance(value, str | list | dict):
            out[key] = value
        elif key in SAFE_DETAIL_KEYS and isinstance(value, str) and len(value) <= 40 and "@" not in value:
            out[key] = value
        elif key in _STATE_KEYS and isinstance(value, str) and value.replace("_", "").isalnum() and len(value) <= 40:
            out[key] = value
    out["anonymised"] = True
    return out


def _scrub_contacts(session: Session, contact_ids: list[int]) -> Scrubbed:
    done = Scrubbed()
    if not contact_ids:
        return done
    rows = session.execute(select(Contact.raw_id, Contact.person_id).where(Contact.id.in_(contact_ids))).all()
    raw_ids = [r for r, _ in rows if r]
    done.person_ids = {p for _, p in rows if p}
    done.attachments = _count(session.execute(
        delete(StoredAttachment).where(StoredAttachment.contact_id.in_(contact_ids))))
    done.contacts = _count(session.execute(
        update(Contact).where(Contact.id.in_(contact_ids)).values(
            subject="", body="", quoted="", sender=None, sender_name=None, telegram_chat_id=None,
            message_id=None, in_reply_to=None, person_id=None)))
    done.raw, done.events = _scrub_raw(session, raw_ids)
    for decision in session.scalars(select(Decision).where(Decision.contact_id.in_(contact_ids))):
        # Which rules fired stays (it explains the category); what they quoted does not.
        decision.hits = [{"stage": h.get("stage", ""), "rule": h.get("rule", ""), "reason": ""}
                         for h in decision.hits if isinstance(h, dict)]
    done.outbox = _count(session.execute(
        update(Outbox).where(Outbox.contact_id.in_(contact_ids)).values(
            to_address="", subject="", text="", html=None, headers={})))
    return done


def _scrub_raw(session: Session, raw_ids: list[int]) -> tuple[int, int]:
    """Empty raw rows (and their stored duplicates) and the events about them: (raws, events)."""
    if not raw_ids:
        return 0, 0
    dupes = list(session.scalars(select(RawMessage.id).where(RawMessage.duplicate_of.in_(raw_ids))))
    ids = [*raw_ids, *dupes]
    n = _count(session.execute(update(RawMessage).where(RawMessage.id.in_(ids)).values(
        raw=b"", message_id_header=None, error=None, source_file=None)))
    return n, _scrub_events(session, select(Event).where(Event.raw_id.in_(ids)))


def _scrub_events(session: Session, stmt: Any) -> int:
    n = 0
    for ev in session.scalars(stmt):
        if not (isinstance(ev.detail, dict) and ev.detail.get("anonymised")):
            ev.detail = safe_detail(ev.detail if isinstance(ev.detail, dict) else {})
            n += 1
    return n


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def anonymise_case(session: Session, case: Case, now: datetime) -> Scrubbed:
    """Anonymise one case and everything on it; the person is detached (see `anonymise_person`)."""
    contact_ids = list(session.scalars(select(Contact.id).where(Contact.case_id == case.id)))
    done = _scrub_contacts(session, contact_ids)
    if case.person_id is not None:
        done.person_ids.add(case.person_id)
    done.events += _scrub_events(session, select(Event).where(Event.case_id == case.id))
    done.outbox += _count(session.execute(update(Outbox).where(Outbox.case_id == case.id).values(
        to_address="", subject="", text="", html=None, headers={})))
    if case.campaign_id is not None:
        campaign = session.get(Campaign, case.campaign_id)
        if campaign is not None:
            campaign.title, campaign.fingerprint = f"Campaign #{campaign.id}", ""
            done.campaigns += 1
    case.subject = ""
    case.person_id = None
    case.anonymised_at = now
    done.cases = 1
    done.case_ids.append(case.id)
    return done


def anonymise_contacts(session: Session, contacts: Iterable[Contact]) -> Scrubbed:
    """Anonymise single contacts (a person's messages inside a case that stays, e.g. a campaign)."""
    return _scrub_contacts(session, [c.id for c in contacts])


def anonymise_person(session: Session, person: Person, now: datetime) -> Scrubbed:
    """Remove the person's name, contact details and identities; their rows stay as bare ids."""
    done = Scrubbed()
    done.identities = _count(session.execute(delete(Identity).where(Identity.person_id == person.id)))
    person.name = person.name_key = person.phone = person.postcode = person.address = None
    person.anonymised_at = now
    for arrangement in session.scalars(select(ContactArrangement).where(ContactArrangement.person_id == person.id)):
        arrangement.reason = ""
        arrangement.ended_at = arrangement.ended_at or now
    done.persons = 1
    return done


def is_unused(session: Session, person: Person) -> bool:
    """True when no case or contact still points at the person (their details can go)."""
    used = session.scalar(select(Case.id).where(Case.person_id == person.id).limit(1))
    if used is None:
        used = session.scalar(select(Contact.id).where(Contact.person_id == person.id).limit(1))
    return used is None


def scrub_unfiled(session: Session, before: datetime) -> Scrubbed:
    """Contacts on no case, and raw mail that never became a contact, received before `before`."""
    contact_ids = list(session.scalars(select(Contact.id).where(
        Contact.case_id.is_(None), Contact.at < before,
        or_(Contact.body != "", Contact.sender.is_not(None), Contact.subject != ""))))
    done = _scrub_contacts(session, contact_ids)
    filed = select(Contact.raw_id).where(Contact.raw_id.is_not(None))
    orphans = list(session.scalars(select(RawMessage.id).where(
        RawMessage.received_at < before, RawMessage.id.not_in(filed), RawMessage.status != RawStatus.new,
        RawMessage.raw != b"")))
    raw, events = _scrub_raw(session, orphans)
    done.raw, done.events = done.raw + raw, done.events + events
    # Digests and other office mail on no case quote subjects of contacts: they go as well.
    done.outbox += _count(session.execute(update(Outbox).where(
        Outbox.case_id.is_(None), Outbox.contact_id.is_(None), Outbox.created_at < before,
        Outbox.text != "").values(subject="", text="", html=None, headers={})))
    return done
