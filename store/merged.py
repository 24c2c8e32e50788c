"""Merged cases: the one predicate that leaves their empty shells out, and the way from a shell to its case."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from store.models import Case

_MAX_CHAIN = 50  # a merged case merged again, and again: far more than any office does


def is_live() -> ColumnElement[bool]:
    """Cases that are not shells of a merge: what queues, search, the digest and the board report count."""
    return Case.merged_into_id.is_(None)


def surviving(session: Session, case: Case) -> Case:
    """The case a shell was merged into (following merges of merges); the case itself if it is live."""
    seen: set[int] = set()
    while case.merged_into_id is not None and case.id not in seen and len(seen) < _MAX_CHAIN:
        seen.add(case.id)
        into = session.get(Case, case.merged_into_id)
        if into is None:
            break
        case = into
    return case


def merged_ids(session: Session, case_id: int) -> list[int]:
    """The case and every shell merged into it, directly or through another shell (its whole history)."""
    found, frontier = [case_id], [case_id]
    while frontier and len(found) < _MAX_CHAIN * 20:
        frontier = [i for i in session.scalars(select(Case.id).where(Case.merged_into_id.in_(frontier)))
                    if i not in found]
        found.extend(frontier)
    return found
