"""The access log: who looked at which case, searched for what, and exported what (and when)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AccessLog, Case

ACTIONS = ("view", "search", "export", "sar")
MAX_QUERY = 200


def record_access(
    session: Session, user: str, action: str, at: datetime, *, case_id: int | None = None,
    **detail: Any,
) -> AccessLog:
    """Add one access-log row; the caller commits."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    if isinstance(detail.get("query"), str):
        detail["query"] = detail["query"][:MAX_QUERY]
    row = AccessLog(at=at, user=user, action=action, case_id=case_id, detail=detail)
    session.add(row)
    return row


def access_for_case(session: Session, case_id: int, *, limit: int = 200) -> list[AccessLog]:
    """Who looked at a case (views, exports, searches that listed it), newest first."""
    return list(session.scalars(
        select(AccessLog).where(AccessLog.case_id == case_id)
        .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit)
    ))


def access_by_user(session: Session, user: str, *, limit: int = 200) -> list[tuple[AccessLog, str | None]]:
    """What one user looked at, newest first, with each case's reference."""
    rows = session.execute(
        select(AccessLog, Case.reference).outerjoin(Case, Case.id == AccessLog.case_id)
        .where(AccessLog.user == user).order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit)
    )
    return [(log, ref) for log, ref in rows]
