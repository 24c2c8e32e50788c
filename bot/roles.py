"""Roles one worker holds at a time across processes: an IMAP poller per mailbox, a Telegram poller
per bot, the scheduler. PostgreSQL session advisory locks on a dedicated connection; SQLite's one
process holds them all."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

Job = Callable[[asyncio.Event], Coroutine[Any, Any, None]]

_HOLDER = text(
    "SELECT a.pid, a.application_name, a.client_addr FROM pg_locks l "
    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid::bigint = :hi AND l.objid::bigint = :lo AND l.objsubid = 1")


def lock_key(scope: str, name: str) -> int:
    """A signed 64-bit advisory lock key for role `name` in store `scope` (database and schema)."""
    return int.from_bytes(hashlib.sha256(f"signpost {scope} {name}".encode()).digest()[:8], "big", signed=True)


class Role:
    """A job that runs in one process at a time: `run(job, stop)` waits its turn, then runs it.

    Every `retry_seconds` a standby process tries the lock again, and the holder checks that its
    lock connection is alive: PostgreSQL frees the lock when the holder's connection closes (a
    killed process's too), so its job moves to another worker within a few seconds. A holder
    whose connection breaks stops its job at once, since another may take the role over.
    """

    def __init__(self, name: str, engine: Engine, retry_seconds: float = 5.0) -> None:
        self.name = name  # e.g. "imap enquiries@office@imap.example.org/INBOX"
        self.engine = engine
        self.retry_seconds = retry_seconds
        self.exclusive = engine.dialect.name == "postgresql"
        self.held = not self.exclusive  # SQLite: the one process (a lock file keeps it one) has it all
        self.holder: str | None = None  # who holds it, when it is not us (for logs and /readyz)
        self._conn: Connection | None = None
        self._key: int | None = None

    def state(self) -> str:
        """'held', or 'standby' with the holder: what /readyz shows."""
        if self.held:
            return "held"
        return f"standby (held by {self.holder})" if self.holder else "standby"

    # -- the lock (sync: called through asyncio.to_thread) -----------------------------------

    def try_acquire(self) -> bool:
        """Take the lock if free; on other backends the one process always has it."""
        if not self.exclusive:
            self.held = True
            return True
        try:
            if self._conn is None:
                # AUTOCOMMIT: a session lock needs no transaction, and an idle one would hold back vacuum.
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                db, schema = self._conn.execute(text("SELECT current_database(), current_schema()")).one()
                self._key = lock_key(f"{db}.{schema}", self.name)
            got = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar())
            if not got:
                self.holder = self._describe_holder(self._conn)
        except SQLAlchemyError as exc:
            logger.warning("role %s: cannot reach the store to take it (%s); trying again", self.name,
                           type(exc).__name__)
            self._drop_connection()
            return False
        self.held = got
        return got

    def _describe_holder(self, conn: Connection) -> str | None:
        assert self._key is not None
        hi, lo = (self._key >> 32) & 0xFFFFFFFF, self._key & 0xFFFFFFFF
        row = conn.execute(_HOLDER, {"hi": hi, "lo": lo}).first()
        if row is None:
            return None
        return f"{row.application_name or 'a session'} (backend pid {row.pid}, {row.client_addr or 'local'})"

    def is_alive(self) -> bool:
        """The holder's check that its lock connection (and so the lock) still stands."""
        if not self.exclusive:
            return True
        try:
            assert self._conn is not None
            self._conn.execute(text("SELECT 1"))
            return True
        except (SQLAlchemyError, AssertionError):
            self.held = False
            self._drop_connection()
            return False

    def release(self) -> None:
        if self.exclusive and self.held and self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            except SQLAlchemyError:
                self._drop_connection()  # closing the connection frees the lock anyway
        self.held = False

    def close(self) -> None:
        self.release()
        self._drop_connection()

    def _drop_connection(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.invalidate()
                self._conn.close()
            self._conn = None

    # -- the job -------------------------------------------------------------------------------

    async def run(self, job: Job, stop: asyncio.Event) -> None:
        """Run `job(role_stop)` whenever this process holds the role, until `stop` is set.

        `role_stop` is set when `stop` is, or when the role is lost; the job must then return.
        """
        standby_logged = False
        try:
            while not stop.is_set():
                if not await asyncio.to_thread(self.try_acquire):
                    if not standby_logged:
                        logger.info("role %s: standby, held by %s; trying every %gs", self.name,
                                    self.holder or "another worker", self.retry_seconds)
                        standby_logged = True
                    await _sleep(stop, self.retry_seconds)
                    continue
                standby_logged = False
                logger.info("role %s: taken by this process%s", self.name,
                            " (from " + self.holder + ")" if self.holder else "")
                self.holder = None
                if await self._hold(job, stop):
                    return  # the job is over (e.g. a channel switched off for want of a password)
        finally:
            await asyncio.to_thread(self.close)

    async def _hold(self, job: Job, stop: asyncio.Event) -> bool:
        """Run the job while the lock stands; True when the job ended by itself (nothing to retry)."""
        role_stop = asyncio.Event()
        task = asyncio.create_task(job(role_stop), name=f"role {self.name}")
        stopper = asyncio.ensure_future(stop.wait())
        try:
            while not task.done():
                await asyncio.wait({task, stopper}, timeout=self.retry_seconds, return_when=asyncio.FIRST_COMPLETED)
                if task.done():
                    break
                if stop.is_set():
                    role_stop.set()
                    break
                if not await asyncio.to_thread(self.is_alive):
                    logger.error("role %s: lost the store connection that holds it; stopping the job, "
                                 "another worker may take it over", self.name)
                    role_stop.set()
                    break
            if task.done():
                task.result()  # a crash in the job is the service's to see, as before roles
                return not role_stop.is_set()
            return False
        finally:
            stopper.cancel()
            if not task.done():
                role_stop.set()
                # The job is asked to stop; one that is slow to (an IMAP IDLE) is cancelled.
                await asyncio.wait({task}, timeout=self.retry_seconds)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await asyncio.to_thread(self.release)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def engine_of(sessions: Any) -> Engine:
    """The engine a sessionmaker is bound to (the composition root hands out sessionmakers)."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("the session factory is not bound to an engine")
    return bind
