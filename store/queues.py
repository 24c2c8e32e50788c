"""Triaged queues of open cases, their counts, and case search, as indexed select() queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from store.casefilter import text_clause
from store.merged import is_live, surviving
from store.models import Case, CaseStatus
from store.refs import normalize_reference

OPEN_STATUSES = (CaseStatus.open, CaseStatus.in_progress, CaseStatus.monitoring)
FIXED_QUEUES = ("urgent", "overdue", "stale", "unassigned", "mine", "members", "open")
MAX_PAGE = 500


class UnknownQueue(ValueError):
    """A queue name that is neither a fixed queue nor `category:<name>`."""


@dataclass(frozen=True)
class QueueClock:
    """The moments a queue is judged against, computed by the caller in the office's timezone.

    today: the office's local date (overdue means respond_by < today).
    stale_before: a case whose last action is earlier than this is stale.
    """

    today: date
    stale_before: datetime


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    total: int
    limit: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.cases) < self.total


def queue_names(categories: Sequence[str]) -> list[str]:
    """Every queue the dashboard shows: the fixed ones, then one per category."""
    return [*FIXED_QUEUES, *(f"category:{c}" for c in categories)]


def queue_filter(name: str, clock: QueueClock, user: str | None = None) -> ColumnElement[bool]:
    """The WHERE clause of a queue; every queue holds open cases only.

    Raises:
        UnknownQueue: for a name that is not a queue, or "mine" without a user.
    """
    is_open = and_(Case.status.in_(OPEN_STATUSES), is_live())
    if name == "open":
        return is_open
    if name == "urgent":
        return and_(is_open, Case.urgent.is_(True))
    if name == "overdue":
        return and_(is_open, Case.respond_by < clock.today)
    if name == "stale":
        return and_(is_open, Case.last_action_at < clock.stale_before)
    if name == "unassigned":
        return and_(is_open, Case.assigned_to.is_(None))
    if name == "members":
        return and_(is_open, Case.member_correspondence.is_(True))
    if name == "mine":
        if not user:
            raise UnknownQueue("the 'mine' queue needs a user")
        return and_(is_open, Case.assigned_to == user)
    if name.startswith("category:") and len(name) > len("category:"):
        return and_(is_open, Case.category == name.split(":", 1)[1])
    raise UnknownQueue(f"no queue named {name!r}")


def queue_select(name: str, clock: QueueClock, user: str | None = None) -> Select[Case]:
    """Cases of a queue, urgent first, then by respond-by, then oldest first."""
    return (
        select(Case)
        .where(queue_filter(name, clock, user))
        .order_by(Case.urgent.desc(), Case.respond_by, Case.opened_at, Case.id)
    )


def count_queue(session: Session, name: str, clock: QueueClock, user: str | None = None) -> int:
    return session.scalar(select(func.count(Case.id)).where(queue_filter(name, clock, user))) or 0


def queue_counts(
    session: Session, names: Sequence[str], clock: QueueClock, user: str | None = None
) -> dict[str, int]:
    """Counts of several queues; "mine" is skipped when there is no user."""
    return {
        n: count_queue(session, n, clock, user) for n in names if n != "mine" or user
    }


def list_queue(
    session: Session,
    name: str,
    clock: QueueClock,
    *,
    user: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """One page of a queue with its total; the person is loaded with each case."""
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    stmt = queue_select(name, clock, user).options(selectinload(Case.person)).limit(limit).offset(offset)
    cases = list(session.scalars(stmt))
    return Page(cases, count_queue(session, name, clock, user), limit, offset)


def search_cases(session: Session, query: str, *, limit: int = 50, prefix: str | None = None) -> list[Case]:
    """Cases matching a reference (however typed: "mid-2026-3"), an email address, a name or words
    of their messages (full-text index), newest first.

    An exact reference wins outright; `prefix` (the office's) lets "2026-3" name a case.
    """
    q = query.strip()
    if not q:
        return []
    ref = normalize_reference(q, prefix)
    exact = session.scalar(select(Case).where(Case.reference == ref)) if ref else None
    if exact is not None:  # an old reference of a merged case finds the case it went into
        return [surviving(session, exact)]
    stmt = (
        select(Case)
        .where(text_clause(session, q, prefix), is_live())
        .options(selectinload(Case.person))
        .order_by(Case.opened_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
