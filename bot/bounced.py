"""Record whom a bounce was for: their address is marked unreachable, and so are their cases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.types import Bounce
from store.models import Case, CaseStatus, Event, Identity, Outbox


def _failed_addresses(s: Session, bounce: Bounce, returned: list[Outbox]) -> set[str]:
    """The detectors' permanent failures; else the recipients of our replies it returns; else the
    addresses its text names that are people we know. A delay warning marks nobody unreachable.
    """
    if bounce.permanent:
        return set(bounce.permanent)
    if bounce.delayed:
        return set()
    if returned:
        return {r.to_address.lower() for r in returned if r.channel == "email"}
    if bounce.mentioned:
        return set(s.scalars(select(Identity.value).where(Identity.kind == "email",
                                                          Identity.value.in_(bounce.mentioned))))
    return set()


def _still_reachable(s: Session, person_id: int | None) -> bool:
    """The person has another way to be reached (an address that has not bounced, a chat)."""
    if person_id is None:
        return False
    found = s.scalar(select(Identity.id).where(Identity.person_id == person_id, Identity.unreachable.is_(False))
                     .limit(1))
    return found is not None


def record_bounce(s: Session, bounce: Bounce, raw_id: int, at: datetime) -> None:
    """Mark the bounced identities unreachable and write a `bounced` event on each case it concerns."""
    returned = list(s.scalars(select(Outbox).where(Outbox.message_id.in_(bounce.message_ids)))) \
        if bounce.message_ids else []
    failed = _failed_addresses(s, bounce, returned)
    idents = list(s.scalars(select(Identity).where(Identity.kind == "email", Identity.value.in_(failed))))
    for ident in idents:
        ident.unreachable = True
    s.flush()
    case_ids = {r.case_id for r in returned if r.case_id is not None}
    people = {i.person_id for i in idents}
    if people:
        case_ids |= set(s.scalars(select(Case.id).where(Case.person_id.in_(people), Case.status != CaseStatus.closed)))
    detail = {"undeliverable": sorted(failed), "delayed": bounce.delayed}
    cases = list(s.scalars(select(Case).where(Case.id.in_(case_ids)))) if case_ids else []
    for case in cases:
        if failed and not _still_reachable(s, case.person_id):
            case.unreachable = True
        replies = [r.id for r in returned if r.case_id == case.id]
        s.add(Event(at=at, case_id=case.id, raw_id=raw_id, actor="signpost", kind="bounced",
                    detail={**detail, "replies": replies}))
    if not cases:
        s.add(Event(at=at, raw_id=raw_id, actor="signpost", kind="bounced", detail=detail))
