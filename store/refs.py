"""Case references: PREFIX-YEAR-NNNNN from a per-(prefix, year) counter row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import RefCounter


def next_reference(session: Session, prefix: str, year: int) -> str:
    """Allocate the next reference inside the caller's transaction.

    The counter row is read FOR UPDATE (PostgreSQL row lock; SQLite has one writer at a
    time anyway), so two transactions never get the same number.
    """
    row = session.scalar(
        select(RefCounter).where(RefCounter.prefix == prefix, RefCounter.year == year).with_for_update()
    )
    if row is None:
        row = RefCounter(prefix=prefix, year=year, last=0)
        session.add(row)
    row.last += 1
    session.flush()
    return f"{prefix}-{year}-{row.last:05d}"
