"""Contact arrangements for persistent or vexatious writers: set, end, look up, and reviews due."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from store.models import Case, ContactArrangement, Event, Person, User


class ArrangementError(ValueError):
    """An arrangement that cannot be made as asked; the message says why."""


# Asked for every message from a known writer (the arrangements stage): built once, bound per call.
_ACTIVE = (select(ContactArrangement).where(ContactArrangement.person_id == bindparam("person_id"),
                                            ContactArrangement.ended_at.is_(None))
           .order_by(ContactArrangement.decided_at.desc()).limit(1))


def active_arrangement(session: Session, person_id: int) -> ContactArrangement | None:
    return session.scalar(_ACTIVE, {"person_id": person_id})


def set_arrangement(
    session: Session, person: Person, *, caseworker: str, review_on: date, reason: str, actor: str,
    now: datetime, case: Case | None = None,
) -> ContactArrangement:
    """Record a manager's decision (replacing any active one); an event goes on the case it was made from."""
    reason = reason.strip()
    if not reason:
        raise ArrangementError("record the reason for the arrangement")
    if review_on <= now.date():
        raise ArrangementError("the review date must be in the future")
    if session.scalar(select(User.id).where(User.name == caseworker, User.active.is_(True))) is None:
        raise ArrangementError(f"no active user {caseworker!r} to handle the contacts")
    old = active_arrangement(session, person.id)
    if old is not None:
        old.ended_at, old.ended_by = now, actor
    row = ContactArrangement(person_id=person.id, caseworker=caseworker, reason=reason, decided_by=actor,
                             decided_at=now, review_on=review_on)
    session.add(row)
    session.flush()
    session.add(Event(at=now, case_id=case.id if case else None, actor=actor, kind="arrangement_set",
                      detail={"arrangement_id": row.id, "person_id": person.id, "caseworker": caseworker,
                              "review_on": review_on.isoformat(), "reason": reason}))
    return row


def end_arrangement(session: Session, person: Person, *, actor: str, now: datetime, reason: str = "",
                    case: Case | None = None) -> ContactArrangement:
    row = active_arrangement(session, person.id)
    if row is None:
        raise ArrangementError("this person is under no contact arrangement")
    row.ended_at, row.ended_by = now, actor
    session.add(Event(at=now, case_id=case.id if case else None, actor=actor, kind="arrangement_ended",
                      detail={"arrangement_id": row.id, "person_id": person.id, "reason": reason.strip()}))
    return row


def reviews_due(session: Session, as_of: date) -> list[tuple[ContactArrangement, str | None]]:
    """Active arrangements whose review date has come, with the person's latest case reference."""
    rows = list(session.scalars(
        select(ContactArrangement).where(ContactArrangement.ended_at.is_(None), ContactArrangement.review_on <= as_of)
        .order_by(ContactArrangement.review_on, ContactArrangement.id)
    ))
    out = []
    for row in rows:
        ref = session.scalar(select(Case.reference).where(Case.person_id == row.person_id)
                             .order_by(Case.opened_at.desc()).limit(1))
        out.append((row, ref))
    return out
