"""Case lifecycle actions by caseworkers; each writes an Event and never commits (the caller does)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from handlers.labels import OutboxKind
from store.models import (
    Case,
    CaseStatus,
    CaseTag,
    Contact,
    Decision,
    Direction,
    Event,
    Feedback,
    Outbox,
    OutboxStatus,
    utcnow,
)
from store.refs import next_reference
from store.replies import queue_reply

__all__ = [
    "ActionError",
    "add_note",
    "assign",
    "merge",
    "queue_reply",
    "reclassify",
    "record_contact",
    "reopen",
    "resignpost",
    "set_status",
    "split_contact",
    "add_tag",
    "add_rule_tags",
    "remove_tag",
]
TAG_KINDS = ("ward", "theme", "partner")


class ActionError(ValueError):
    """An action that is not allowed in the case's present state; the message says why."""


def record_event(
    session: Session, case: Case, actor: str, kind: str, detail: dict[str, Any], now: datetime
) -> Event:
    """Append an Event to the case and count it as an action (resets the stale clock)."""
    ev = Event(at=now, case_id=case.id, actor=actor, kind=kind, detail=detail)
    session.add(ev)
    case.last_action_at = now
    return ev


def assign(
    session: Session, case: Case, actor: str, user: str | None, *, now: datetime | None = None
) -> None:
    """Give the case to `user`, or take it off everyone with None."""
    now = now or utcnow()
    old = case.assigned_to
    case.assigned_to = user or None
    record_event(session, case, actor, "assigned", {"from": old, "to": case.assigned_to}, now)


def has_final_response(session: Session, case: Case) -> bool:
    """True when a reply to this case has gone out or is waiting in the outbox."""
    found = session.scalar(
        select(Outbox.id)
        .where(
            Outbox.case_id == case.id,
            Outbox.kind == OutboxKind.REPLY,
            Outbox.status.in_((OutboxStatus.sent, OutboxStatus.pending)),
        )
        .limit(1)
    )
    return found is not None


def set_status(
    session: Session,
    case: Case,
    actor: str,
    status: CaseStatus,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Move the case to `status`.

    Raises:
        ActionError: closing with neither a final response sent (or queued) nor a reason.
    """
    now = now or utcnow()
    reason = reason.strip()
    if status is CaseStatus.closed and not reason and not has_final_response(session, case):
        raise ActionError("a case can be closed only after a final response has gone out, or with a reason")
    old = case.status
    case.status = status
    case.closed_at = now if status is CaseStatus.closed else None
    detail: dict[str, Any] = {"from": old.value, "to": status.value}
    if reason:
        detail["reason"] = reason
    record_event(session, case, actor, "closed" if status is CaseStatus.closed else "status", detail, now)


def reopen(
    session: Session, case: Case, actor: str, *, reason: str = "", now: datetime | None = None
) -> None:
    if case.status is not CaseStatus.closed:
        raise ActionError(f"case {case.reference} is not closed")
    now = now or utcnow()
    case.status = CaseStatus.open
    case.closed_at = None
    record_event(session, case, actor, "reopened", {"reason": reason.strip()}, now)


def _triaged_contact(session: Session, case: Case) -> Contact | None:
    """The first inbound contact of the case: the one triage decided about."""
    return session.scalar(
        select(Contact)
        .where(Contact.case_id == case.id, Contact.direction == Direction.inbound)
        .order_by(Contact.at, Contact.id)
        .limit(1)
    )


def _correct(
    session: Session, case: Case, actor: str, field: str, old: str | None, new: str, now: datetime
) -> None:
    """Record a correction of triage as a Feedback row (training data) and an Event."""
    contact = _triaged_contact(session, case)
    if contact is not None:
        session.add(Feedback(contact_id=contact.id, field=field, old=old, new=new, actor=actor, at=now))
    record_event(session, case, actor, "resignposted" if field == "agency" else "reclassified",
                 {"field": field, "from": old, "to": new}, now)


def reclassify(
    session: Session, case: Case, actor: str, category: str, *, now: datetime | None = None
) -> None:
    now = now or utcnow()
    old = case.category
    case.category = category
    _correct(session, case, actor, "category", old, category, now)


def resignpost(session: Session, case: Case, actor: str, agency: str, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    old = case.agency
    case.agency = agency
    _correct(session, case, actor, "agency", old, agency, now)


def add_note(session: Session, case: Case, actor: str, text: str, *, now: datetime | None = None) -> Event:
    text = text.strip()
    if not text:
        raise ActionError("an empty note")
    return record_event(session, case, actor, "note", {"text": text}, now or utcnow())


def record_contact(
    session: Session,
    case: Case,
    actor: str,
    *,
    channel: str,
    direction: Direction,
    summary: str,
    subject: str = "",
    at: datetime | None = None,
    now: datetime | None = None,
) -> Contact:
    """Log a phone call or letter, in or out, as a Contact of the case."""
    if channel not in ("phone", "letter"):
        raise ActionError(f"record a phone call or a letter, not {channel!r}")
    if not summary.strip():
        raise ActionError("an empty summary")
    now = now or utcnow()
    contact = Contact(
        case_id=case.id,
        person_id=case.person_id,
        direction=direction,
        channel=channel,
        subject=subject.strip(),
        body=summary.strip(),
        at=at or now,
        sender=actor if direction is Direction.outbound else None,
    )
    session.add(contact)
    session.flush()
    record_event(session, case, actor, f"{channel}_{direction.name}",
                 {"contact_id": contact.id, "subject": contact.subject}, now)
    if direction is Direction.outbound and case.responded_at is None:
        case.responded_at = now
    return contact


def merge(session: Session, keep: Case, merged: Case, actor: str, *, now: datetime | None = None) -> None:
    """Fold `merged` into `keep`: its contacts and outbox rows move; it stays as a closed shell pointing at
    `keep`, so its reference still leads there. Events stay where they were written (the audit log is
    append-only); the case page shows a shell's history with the case it went into.

    Raises:
        ActionError: merging a case into itself, or either case already being a merged shell.
    """
    if keep.id == merged.id:
        raise ActionError("a case cannot be merged into itself")
    for case in (keep, merged):
        if case.merged_into_id is not None:
            into = session.get(Case, case.merged_into_id)
            raise ActionError(f"{case.reference} was already merged into {into.reference if into else 'another case'}")
    now = now or utcnow()
    for table in (Contact, Outbox):
        session.execute(update(table).where(table.case_id == merged.id).values(case_id=keep.id))
    session.expire(keep, ["contacts"])
    session.expire(merged, ["contacts"])
    if keep.campaign_id is None and merged.campaign_id is not None:
        campaign_id, merged.campaign_id = merged.campaign_id, None
        session.flush()  # campaign_id is unique per case: free it before moving it
        keep.campaign_id = campaign_id
    keep.urgent = keep.urgent or merged.urgent
    keep.respond_by = min(keep.respond_by, merged.respond_by)
    if keep.status is CaseStatus.closed and merged.status is not CaseStatus.closed:
        keep.status, keep.closed_at = CaseStatus.open, None  # open work moved into it
    merged.status = CaseStatus.closed
    merged.closed_at = now
    merged.merged_into_id = keep.id
    record_event(session, merged, actor, "merged_into", {"into": keep.reference}, now)
    record_event(session, keep, actor, "merged", {"from": merged.reference}, now)


def split_contact(
    session: Session,
    contact: Contact,
    actor: str,
    *,
    prefix: str,
    acknowledge_by: date,
    respond_by: date,
    now: datetime | None = None,
) -> Case:
    """Move a wrongly merged contact out into a new case with a fresh reference."""
    old = contact.case
    if old is None:
        raise ActionError("the contact belongs to no case")
    if len(old.contacts) < 2:
        raise ActionError(f"contact #{contact.id} is the only contact of {old.reference}")
    now = now or utcnow()
    decision = session.scalar(select(Decision).where(Decision.contact_id == contact.id))
    new = Case(
        reference=next_reference(session, prefix, contact.at.year),
        person_id=contact.person_id or old.person_id,
        status=CaseStatus.open,
        category=decision.category if decision else old.category,
        agency=decision.agency if decision else old.agency,
        urgent=decision.urgent if decision else False,
        channel=old.channel if contact.channel in ("phone", "letter") else contact.channel,
        subject=contact.subject or old.subject,
        opened_at=contact.at,
        acknowledge_by=acknowledge_by,
        respond_by=respond_by,
        acknowledged_at=old.acknowledged_at,
        last_action_at=now,
    )
    session.add(new)
    session.flush()
    contact.case_id = new.id
    session.expire(old, ["contacts"])
    record_event(session, old, actor, "split_out", {"contact_id": contact.id, "to": new.reference}, now)
    record_event(session, new, actor, "split_from", {"contact_id": contact.id, "from": old.reference}, now)
    return new


def parse_tag(text: str) -> tuple[str, str]:
    """"theme:knife crime" -> ("theme", "knife crime"); a bare name is a theme.

    Raises:
        ActionError: an unknown kind, or an empty or over-long name.
    """
    kind, sep, name = text.partition(":")
    if not sep:
        kind, name = "theme", text
    kind, name = kind.strip().lower(), " ".join(name.split())
    if kind not in TAG_KINDS:
        raise ActionError(f"a tag is ward:, theme: or partner:, not {kind}:")
    if not name or len(name) > 80:
        raise ActionError("a tag name is 1-80 characters")
    return kind, name


def add_tag(
    session: Session, case: Case, actor: str, kind: str, name: str, *, now: datetime | None = None,
) -> CaseTag | None:
    """A caseworker tags the case (once; an existing spelling of the same name is reused); None if it
    had the tag. Rules' tags go in through `add_rule_tags`."""
    now = now or utcnow()
    kind, name = parse_tag(f"{kind}:{name}")
    mine = session.scalars(select(CaseTag).where(CaseTag.case_id == case.id, CaseTag.kind == kind))
    if any(t.name.lower() == name.lower() for t in mine):
        return None
    tag = _new_tag(session, case, kind, name, "caseworker", actor, now)
    record_event(session, case, actor, "tagged", {"kind": kind, "name": tag.name}, now)
    session.flush()
    return tag


def add_rule_tags(
    session: Session, case: Case, actor: str, tags: Sequence[tuple[str, str, str]], now: datetime
) -> list[tuple[str, str, str]]:
    """Tag the case with the rules' tags it lacks: the case's tags read once for all of them and
    nothing flushed, so they go in with the rest of the caller's unit of work. `tags` are (kind,
    name, rule); returns those added.
    """
    have = {(kind, name.lower()) for kind, name in session.execute(_TAGS_OF_CASE, {"case_id": case.id})}
    added = []
    for asked in tags:
        kind, name = parse_tag(f"{asked[0]}:{asked[1]}")
        if (kind, name.lower()) in have:
            continue
        have.add((kind, name.lower()))
        tag = _new_tag(session, case, kind, name, "rule", asked[2], now)
        # A rule's tag is not a caseworker's action: the stale clock keeps running.
        session.add(Event(at=now, case=case, actor=actor, kind="tagged",
                          detail={"kind": kind, "name": tag.name, "rule": asked[2]}))
        added.append(asked)
    return added


def _new_tag(session: Session, case: Case, kind: str, name: str, source: str, added_by: str,
             now: datetime) -> CaseTag:
    tag = CaseTag(case=case, kind=kind, name=_spelling(session, kind, name), source=source,
                  added_by=added_by, added_at=now)
    session.add(tag)
    return tag


def _spelling(session: Session, kind: str, name: str) -> str:
    """The name as the store already spells it on another case (any case of letters), else as given:
    "Eastleigh" and "eastleigh" stay one tag. Read by ix_case_tag_kind_lower_name."""
    return session.scalar(_SPELLING, {"kind": kind, "name": name}) or name


_TAGS_OF_CASE = select(CaseTag.kind, CaseTag.name).where(CaseTag.case_id == bindparam("case_id"))
_SPELLING = (select(CaseTag.name).where(CaseTag.kind == bindparam("kind"),
                                        func.lower(CaseTag.name) == func.lower(bindparam("name"))).limit(1))


def remove_tag(session: Session, case: Case, actor: str, kind: str, name: str, *, now: datetime | None = None) -> bool:
    """Take a tag off the case; False if it did not have it."""
    tag = session.scalar(select(CaseTag).where(CaseTag.case_id == case.id, CaseTag.kind == kind,
                                               CaseTag.name == name))
    if tag is None:
        return False
    session.delete(tag)
    record_event(session, case, actor, "untagged", {"kind": kind, "name": name}, now or utcnow())
    return True
