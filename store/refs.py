"""Case references: PREFIX-YEAR-NNNNN from a per-(prefix, year) counter row."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import RefCounter


def next_reference(session: Session, prefix: str, year: int) -> str:
    """Allocate the next reference for a case the caller's transaction creates.

    One statement, INSERT ... ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last
    (PostgreSQL; SQLite >= 3.35): the first case of a year creates the counter row and every
    later one bumps it under the row's lock, so two workers racing, even on the first case of
    a new year, never get the same number and never fail on the primary key.

    On PostgreSQL the statement commits by itself (autocommit) on a connection of its own: the
    counter row's lock lasts one statement, not a whole triage, so workers do not queue behind
    each other's units of work. A number is never given twice; one is skipped when the triage
    that took it rolls back. SQLite (one writer at a time anyway) allocates inside the caller's
    transaction.
    So on PostgreSQL a transaction must not write RefCounter rows itself before calling this (the
    allocating connection would wait for its commit); only this function writes them.
    """
    bind = session.get_bind()
    counter = {"prefix": prefix, "year": year}
    if bind.dialect.name == "postgresql":
        with bind.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            last = conn.execute(_BUMP_POSTGRESQL, counter).scalar_one()
    else:
        if any(isinstance(o, RefCounter) for o in session.new):
            session.flush()  # a counter row added in this session (tests, imports) is in the table first
        with session.no_autoflush:  # the rows the unit of work has added wait for its one flush
            last = session.execute(_BUMP_SQLITE, counter,
                                   execution_options={"synchronize_session": False}).scalar_one()
    return f"{prefix}-{year}-{last:05d}"


def _bump(dialect: Any) -> Any:
    stmt = dialect.insert(RefCounter).values(prefix=bindparam("prefix"), year=bindparam("year"), last=1)
    return stmt.on_conflict_do_update(index_elements=[RefCounter.prefix, RefCounter.year],
                                      set_={"last": RefCounter.last + 1}).returning(RefCounter.last)


# The upsert for each dialect, built once: every new case takes a number.
_BUMP_POSTGRESQL, _BUMP_SQLITE = _bump(postgresql), _bump(sqlite)


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
