"""Typed queries behind the daily digest: contacts, urgent follow-through, campaigns, acknowledgements."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from bot.deadlines import WorkingCalendar
from bot.reporting.figures import is_casework, ratio
from handlers.labels import CASE_ANSWERS, OutboxKind
from store.models import Campaign, Case, CaseStatus, Contact, Decision, Direction, Outbox, OutboxStatus

UNCATEGORISED = "uncategorised"


@dataclass(frozen=True)
class UrgentLine:
    """An urgent contact and what happened to it: alert/reply are "sent", "pending", "failed" or "none"."""

    reference: str | None
    received_at: datetime
    channel: str
    subject: str
    alert: str
    reply: str
    status: str
    owner: str | None


@dataclass(frozen=True)
class CampaignLine:
    title: str
    reference: str | None
    size: int  # distinct participants so far
    new: int  # participants whose first message arrived in the period
    status: str


@dataclass(frozen=True)
class AckPerformance:
    """Cases opened in a period: acknowledged by their acknowledge-by day, late, missed, or still in time."""

    on_time: int
    late: int
    missed: int
    pending: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def percent(self) -> float | None:
        return float(ratio(self.on_time, self.due, 100)) if self.due else None


# id, channel, at, subject, case id, category, urgent (category and urgent may be NULL at run time).
_Inbound = Select[int, str, datetime, str, int | None, str, bool]


def _human_inbound(start: datetime, end: datetime) -> _Inbound:
    # A contact's category is its case's current one (caseworkers re-classify cases), else triage's.
    return (
        select(Contact.id, Contact.channel, Contact.at, Contact.subject, Contact.case_id,
               func.coalesce(Case.category, Decision.category), func.coalesce(Decision.urgent, Case.urgent))
        .outerjoin(Case, Contact.case_id == Case.id)
        .outerjoin(Decision, Decision.contact_id == Contact.id)
        .where(Contact.direction == Direction.inbound, Contact.machine.is_(False),
               Contact.at >= start, Contact.at < end)
    )


def count_contacts(session: Session, start: datetime, end: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """New human contacts in [start, end) by category and by channel; category `none` is not counted."""
    cats: Counter[str] = Counter()
    chans: Counter[str] = Counter()
    for _id, channel, _at, _subj, _case, category, _urgent in session.execute(_human_inbound(start, end)):
        if category == "none":
            continue
        cats[category or UNCATEGORISED] += 1
        chans[channel] += 1
    return dict(cats), dict(chans)


def cases_opened(session: Session, start: datetime, end: datetime) -> int:
    stmt = select(func.count(Case.id)).where(Case.opened_at >= start, Case.opened_at < end, is_casework())
    return session.scalar(stmt) or 0


@dataclass(frozen=True)
class MemberFigures:
    """Member correspondence: opened in the period, open now, and open past its respond-by date."""

    new: int
    open: int
    overdue: int


def member_figures(session: Session, start: datetime, end: datetime, as_of: date) -> MemberFigures:
    flagged = Case.member_correspondence.is_(True)
    still = Case.status != CaseStatus.closed
    return MemberFigures(
        new=session.scalar(select(func.count(Case.id)).where(flagged, Case.opened_at >= start,
                                                             Case.opened_at < end)) or 0,
        open=session.scalar(select(func.count(Case.id)).where(flagged, still)) or 0,
        overdue=session.scalar(select(func.count(Case.id)).where(flagged, still, Case.respond_by < as_of)) or 0,
    )


def _best(statuses: list[OutboxStatus]) -> str:
    if OutboxStatus.sent in statuses:
        return "sent"
    if OutboxStatus.pending in statuses:
        return "pending"
    return "failed" if statuses else "none"


def urgent_contacts(
    session: Session, cal: WorkingCalendar, start: datetime, end: datetime
) -> list[UrgentLine]:
    """Urgent human contacts in [start, end), oldest first, with their alert, reply, status and owner."""
    rows = [r for r in session.execute(_human_inbound(start, end).order_by(Contact.at, Contact.id)) if r[6]]
    if not rows:
        return []
    contact_ids = [r[0] for r in rows]
    case_ids = [r[4] for r in rows if r[4] is not None]
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    out = session.execute(
        select(Outbox.kind, Outbox.status, Outbox.contact_id, Outbox.case_id, Outbox.created_at).where(
            or_(Outbox.contact_id.in_(contact_ids),
                and_(Outbox.case_id.in_(case_ids), Outbox.kind != OutboxKind.DIGEST))
        )
    ).all()
    lines = []
    for cid, channel, at, subject, case_id, _cat, _urgent in rows:
        # The alert and the reply for this contact: rows naming it, or rows of its case written after it.
        mine = [o for o in out if o.contact_id == cid or (o.contact_id is None and o.case_id == case_id
                                                          and case_id is not None and o.created_at >= at)]
        case = cases.get(case_id) if case_id is not None else None
        lines.append(UrgentLine(
            reference=case.reference if case else None, received_at=at, channel=channel, subject=subject,
            alert=_best([o.status for o in mine if o.kind == OutboxKind.ALERT]),
            reply=_best([o.status for o in mine if o.kind in CASE_ANSWERS]),
            status=case.status.value if case else "no case", owner=case.assigned_to if case else None,
        ))
    return lines


def active_campaigns(session: Session, start: datetime, end: datetime) -> list[CampaignLine]:
    """Campaigns whose case is not closed or that gained participants in [start, end), biggest first."""
    stmt = (
        select(Campaign.id, Campaign.title, Case.reference, Case.status, Contact.at, Contact.person_id,
               Contact.sender, Contact.telegram_chat_id, Contact.id)
        .join(Case, Case.campaign_id == Campaign.id)
        .join(Contact, Contact.case_id == Case.id)
        .where(Contact.direction == Direction.inbound, Contact.machine.is_(False), Contact.at < end)
        .order_by(Contact.at)
    )
    first: dict[int, dict[object, datetime]] = {}
    meta: dict[int, tuple[str, str, CaseStatus]] = {}
    for camp, title, ref, status, at, person, sender, chat, contact in session.execute(stmt):
        meta[camp] = (title, ref, status)
        # One participant = one person (else one address or chat); the first message dates them.
        key: object = ("p", person) if person else ("s", sender.lower()) if sender else ("t", chat or contact)
        first.setdefault(camp, {}).setdefault(key, at)
    lines = []
    for camp, people in first.items():
        title, ref, status = meta[camp]
        new = sum(1 for at in people.values() if at >= start)
        if status != CaseStatus.closed or new:
            lines.append(CampaignLine(title, ref, len(people), new, status.value))
    return sorted(lines, key=lambda c: (-c.new, -c.size, c.title))


def ack_performance(
    session: Session, cal: WorkingCalendar, start: datetime, end: datetime, as_of: date
) -> AckPerformance:
    """Acknowledgement of the cases opened in [start, end), judged on `as_of`."""
    stmt = select(Case.acknowledged_at, Case.acknowledge_by).where(
        Case.opened_at >= start, Case.opened_at < end, is_casework()
    )
    on_time = late = missed = pending = 0
    for acked, due in session.execute(stmt):
        if acked is not None:
            if cal.local_date(acked) <= due:
                on_time += 1
            else:
                late += 1
        elif due < as_of:
            missed += 1
        else:
            pending += 1
    return AckPerformance(on_time, late, missed, pending)
