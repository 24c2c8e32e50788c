"""Build fictional cases straight in the store for queue, action and dashboard tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from store.models import Case, CaseStatus, Contact, Decision, Direction, Identity, Person

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def make_person(s: Session, name: str, email: str | None = None, telegram: int | None = None) -> Person:
    person = Person(name=name, name_key=name.lower())
    s.add(person)
    s.flush()
    if email:
        s.add(Identity(person_id=person.id, kind="email", value=email, display_name=name))
    if telegram is not None:
        s.add(Identity(person_id=person.id, kind="telegram", value=str(telegram), display_name=name))
    s.flush()
    return person


def make_case(
    s: Session,
    reference: str,
    *,
    person: Person | None = None,
    urgent: bool = False,
    category: str = "correspondence",
    agency: str = "opcc",
    status: CaseStatus = CaseStatus.open,
    opened_at: datetime = T0,
    respond_by: date | None = None,
    last_action_at: datetime | None = None,
    assigned_to: str | None = None,
    channel: str = "email",
    subject: str = "A question about local policing",
    body: str = "I would like to know more about patrols in my village.",
    message_id: str | None = None,
    chat_id: int | None = None,
) -> Case:
    """An open case with one inbound contact and its triage decision."""
    case = Case(
        reference=reference, person_id=person.id if person else None, status=status, category=category,
        agency=agency, urgent=urgent, channel=channel, subject=subject, assigned_to=assigned_to,
        opened_at=opened_at, acknowledge_by=(opened_at + timedelta(days=2)).date(),
        respond_by=respond_by or (opened_at + timedelta(days=14)).date(),
        last_action_at=last_action_at or opened_at,
        closed_at=opened_at if status is CaseStatus.closed else None,
    )
    s.add(case)
    s.flush()
    add_inbound(s, case, subject=subject, body=body, at=opened_at, message_id=message_id, chat_id=chat_id,
                decision=(category, agency, urgent))
    return case


def add_inbound(
    s: Session,
    case: Case,
    *,
    subject: str,
    body: str,
    at: datetime,
    message_id: str | None = None,
    chat_id: int | None = None,
    decision: tuple[str, str, bool] | None = None,
    person: Person | None = None,
) -> Contact:
    """An inbound contact of the case from its person, or from `person` (another writer)."""
    person = person or (s.get(Person, case.person_id) if case.person_id else None)
    email = next((i.value for i in person.identities if i.kind == "email"), None) if person else None
    contact = Contact(
        case_id=case.id, person_id=person.id if person else None, direction=Direction.inbound, channel=case.channel,
        message_id=message_id, sender=email, sender_name=person.name if person else None,
        telegram_chat_id=chat_id, subject=subject, body=body, at=at,
    )
    s.add(contact)
    s.flush()
    if decision:
        category, agency, urgent = decision
        hits = [{"stage": "urgency", "rule": "threat_now", "reason": "threat cue with 'now' in the same sentence"}]
        s.add(Decision(contact_id=contact.id, category=category, agency=agency, urgent=urgent,
                       hits=hits if urgent else []))
        s.flush()
    return contact
