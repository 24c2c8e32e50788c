"""Typed queries shared by the scheduler, the daily digest and the board report: breaches of deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, Select, String, and_, cast, exists, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.deadlines import WorkingCalendar
from handlers.labels import CASEWORK_CATEGORIES as CASEWORK_CATEGORIES  # the board and digest columns
from store.merged import is_live
from store.models import Case, CaseStatus, Event


@dataclass(frozen=True)
class CaseDeadline:
    """One deadline of one case: `deadline` is the last day allowed."""

    kind: str
    case_id: int
    reference: str
    subject: str
    owner: str | None
    urgent: bool
    deadline: date


@dataclass(frozen=True)
class Breach(CaseDeadline):
    """A case past a deadline: `days` working days since."""

    days: int


def ratio(part: int, whole: int, scale: int = 1) -> Decimal:
    """part / whole * scale to one decimal place, halves rounded up as people expect (0.25 -> 0.3)."""
    return (Decimal(part) * scale / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_merged_shell() -> ColumnElement[bool]:
    """A case folded into another (by a caseworker's merge, or into a campaign): a shell kept for its
    reference, not a case. store/merged.py's predicate, shared with queues, search and matching."""
    return ~is_live()


def is_casework() -> ColumnElement[bool]:
    """Cases that count: not category `none` (a NULL category is casework not yet classified), and not
    the empty shell of a merge."""
    return and_(or_(Case.category.is_(None), Case.category != "none"), is_live())


def local_start(cal: WorkingCalendar, d: date) -> datetime:
    """Local midnight at the start of `d`, in UTC."""
    return datetime.combine(d, time(0), tzinfo=cal.tz).astimezone(UTC)


def _candidates(*extra: ColumnElement[bool]) -> Select[int, str, str, str | None, bool, date, date, datetime]:
    return select(
        Case.id, Case.reference, Case.subject, Case.assigned_to, Case.urgent,
        Case.acknowledge_by, Case.respond_by, Case.last_action_at,
    ).where(Case.status != CaseStatus.closed, is_casework(), *extra)


def _unflagged(kind: str, deadline: InstrumentedAttribute[date]) -> ColumnElement[bool]:
    """No breach event of `kind` yet for this case and this deadline (a moved deadline can breach again)."""
    return ~exists().where(
        Event.case_id == Case.id, Event.kind == kind,
        Event.detail["deadline"].as_string() == cast(deadline, String),
    )


def acknowledge_breaches(
    session: Session, cal: WorkingCalendar, as_of: date, *, only_new: bool = False
) -> list[Breach]:
    """Open cases never acknowledged whose acknowledge-by day ended before `as_of`."""
    kind = "breach_acknowledge"
    new = [_unflagged(kind, Case.acknowledge_by)] if only_new else []
    stmt = _candidates(Case.acknowledged_at.is_(None), Case.acknowledge_by < as_of, *new)
    return [
        Breach(kind, r.id, r.reference, r.subject, r.assigned_to, r.urgent, r.acknowledge_by,
               cal.count_working_days(r.acknowledge_by, as_of))
        for r in session.execute(stmt.order_by(Case.acknowledge_by, Case.id))
    ]


def respond_breaches(
    session: Session, cal: WorkingCalendar, as_of: date, *, only_new: bool = False
) -> list[Breach]:
    """Open cases with no full response whose respond-by day ended before `as_of`, most overdue first."""
    kind = "breach_respond"
    new = [_unflagged(kind, Case.respond_by)] if only_new else []
    stmt = _candidates(Case.responded_at.is_(None), Case.respond_by < as_of, *new)
    found = [
        Breach(kind, r.id, r.reference, r.subject, r.assigned_to, r.urgent, r.respond_by,
               cal.count_working_days(r.respond_by, as_of))
        for r in session.execute(stmt)
    ]
    return sorted(found, key=lambda b: (-b.days, b.reference))


def stale_breaches(
    session: Session, cal: WorkingCalendar, as_of: date, stale_days: int, *, only_new: bool = False
) -> list[Breach]:
    """Open cases with no action for `stale_days` working days or more by `as_of`, longest idle first.

    `deadline` is the working day on which the case became stale; `days` counts the working
    days since the last action. With `only_new`, a case already flagged stale since its last
    action is left out: the next action starts a new spell.
    """
    # n working days need at least n calendar days: a cheap SQL prefilter before exact counting.
    cutoff = local_start(cal, as_of - timedelta(days=stale_days - 1))
    new = [~exists().where(Event.case_id == Case.id, Event.kind == "stale", Event.at >= Case.last_action_at)]
    stmt = _candidates(Case.last_action_at < cutoff, *(new if only_new else []))
    found = []
    for r in session.execute(stmt):
        last = cal.local_date(r.last_action_at)
        idle = cal.count_working_days(last, as_of)
        if idle >= stale_days:
            found.append(Breach("stale", r.id, r.reference, r.subject, r.assigned_to, r.urgent,
                                cal.add_working_days(last, stale_days), idle))
    return sorted(found, key=lambda b: (-b.days, b.reference))
