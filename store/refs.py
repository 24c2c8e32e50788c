"""Case references: PREFIX-YEAR-NNNNN from a per-(prefix, year) counter row."""

from __future__ import annotations

import re

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


# PREFIX-YEAR-NUMBER however typed: "mid-2026-3", "MID 2026 00003", "mid/2026/3"; or YEAR-NUMBER alone.
_REF = re.compile(r"^\s*(?:([A-Za-z][A-Za-z0-9]{1,9})\s*([-/ ])\s*)?(\d{4})\s*[-/ ]\s*(\d{1,5})\s*$")


def normalize_reference(text: str, prefix: str | None = None) -> str | None:
    """The canonical reference a caseworker means ("mid-2026-3" is MID-2026-00003), else None.

    Without a prefix in the text ("2026-3"), `prefix` (the office's) is used; with neither, None.
    """
    m = _REF.match(text)
    if m is None:
        return None
    given, sep, year, number = m.groups()
    if given and sep == " " and prefix and given.upper() != prefix.upper():
        return None  # "knife 2026 12" is words, not a reference
    chosen = (given or prefix or "").upper()
    if not chosen or int(number) == 0:
        return None
    return f"{chosen}-{year}-{int(number):05d}"
