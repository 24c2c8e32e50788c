"""Unit of work: one Session per message, committed once by the caller."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

_NO_WAIT = text("SET LOCAL synchronous_commit TO OFF")
# PostgreSQL's SQLSTATEs for a clash between two transactions that a second try resolves.
_CONFLICTS = {"23505": "unique violation", "40P01": "deadlock", "40001": "serialization failure"}


def retryable(exc: BaseException) -> str | None:
    """What passing trouble with the store `exc` is, that the same unit of work run again gets past:
    a clash with another transaction (a unique violation, with the constraint's name, a deadlock,
    a serialization failure on PostgreSQL), or a lost connection. None for any other error.

    Two workers that each add the same new row (a writer's identity, a case's tag) in units of
    work running side by side: the second to write fails, and run again it finds the first's
    row. A connection the server dropped (a restart, a fail-over, an administrator) is replaced
    by the pool. SQLite serves one process, whose unit of work meets no other, so its errors are
    never clashes (sqlite3 gives no SQLSTATE).
    """
    if getattr(exc, "connection_invalidated", False):
        return "connection to the store lost"
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None)
    name = _CONFLICTS.get(state) if isinstance(state, str) else None
    if name is None:
        return None
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
    return f"{name} ({constraint})" if constraint else name


def end_unchanged(session: Session) -> None:
    """End a transaction that changed nothing (row locks taken at most) with a commit, not a rollback.

    The two are the same to the data, but psycopg forgets every prepared statement of the
    connection on a rollback (psycopg/_connection_base.py `_rollback_gen`), and PostgreSQL then
    parses and plans each statement afresh: the worker's look for new mail, ended with a
    rollback a message, kept the pool's connections from ever keeping a statement prepared.
    A row lock gives the transaction an id, so its commit would wait for the WAL to reach the
    disk: on PostgreSQL it does not wait (nothing it wrote needs to survive a crash).
    """
    if session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.execute(_NO_WAIT)
    session.commit()


def store_unreachable(exc: BaseException) -> bool:
    """Whether `exc` says the store cannot be reached at all: a connection refused, reset or timed
    out, or one the server dropped. Errors the server answered with (they have an SQLSTATE) and
    SQLite's are not: those are the message's or the code's."""
    if not isinstance(exc, OperationalError):
        return False
    return bool(exc.connection_invalidated) or (
        exc.orig is not None and type(exc.orig).__module__.startswith("psycopg")
        and getattr(exc.orig, "sqlstate", None) is None)


def driver_message(exc: BaseException) -> str:
    """The first line of the database driver's message for `exc` (SQLAlchemy's adds the SQL and a
    link): what a one-line log of an outage shows."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def autocommit(session: Session) -> None:
    """On PostgreSQL, let each statement of `session` from here on commit by itself.

    For a unit that is one writing statement (a lease of outbox rows, a bump of a counter), which
    is atomic on its own: without it the statement costs three round trips more than it needs
    (BEGIN, and COMMIT, each one of psycopg's), on the store every worker shares. Call it before
    the session runs anything; the pool gives the connection back in its usual mode. SQLite (one
    process, no round trips) keeps its transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


class UnitOfWork:
    """`with uow:` opens a session; `uow.commit()` commits; leaving without commit rolls back."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside `with`")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()
