"""Triage loop: take the next new raw message, decide, place, compose, write, and commit it all together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from jinja2 import Environment
from lingua import LanguageDetector
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from bot import fallback
from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.msglog import outcome_line
from bot.place import place_case
from bot.record import record_triage
from handlers import pipeline
from handlers.language import make_detector
from handlers.types import Classifier, Triage, TriageInputError
from store.models import Event, RawMessage, RawStatus, utcnow
from store.repo import StoreContext
from store.uow import UnitOfWork, end_unchanged, retryable, store_unreachable

logger = logging.getLogger(__name__)
# The raw row a unit of work triages, locked for it (built once: every message is claimed so).
_CLAIM = select(RawMessage).where(RawMessage.id == bindparam("raw_id")).with_for_update(skip_locked=True)
_CLAIM_WAITING = select(RawMessage).where(RawMessage.id == bindparam("raw_id")).with_for_update()
# What `process_one` returns for a raw row another worker holds: it is theirs to triage.
CLAIMED = "claimed"
# New messages a look takes at a time; for `run`, a full batch means more may wait, so it looks again at once.
RUN_BATCH = 100


class Worker:
    """Runs the pipeline over stored raw messages, one unit of work per message."""

    def __init__(
        self,
        cfg: Config,
        sessions: sessionmaker[Session],
        env: Environment,
        model: Classifier,
        *,
        clock: Callable[[], datetime] = utcnow,
        on_outbox: Callable[[], None] | None = None,
        detector: LanguageDetector | None = None,
    ) -> None:
        self.cfg = cfg
        self.sessions = sessions
        self.env = env
        self.model = model
        # The Welsh detector (handlers/language.py); the composition root passes the service's one.
        self.detector = detector if detector is not None else make_detector()
        self.clock = clock
        self.calendar = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
        self._on_outbox = on_outbox
        self.wake = asyncio.Event()

    def next_raw_ids(self, limit: int = RUN_BATCH) -> list[int]:
        """New raw messages, oldest first, leaving out those another worker is triaging now.

        SKIP LOCKED (PostgreSQL; SQLite has one process and renders no FOR UPDATE) passes over
        the rows other workers hold in their unit of work; the short transaction here releases
        its own row locks at once, and `process_one` claims each row again for itself.
        """
        with self.sessions() as s:
            ids = list(
                s.scalars(
                    select(RawMessage.id)
                    .where(RawMessage.status == RawStatus.new)
                    .order_by(RawMessage.received_at, RawMessage.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            end_unchanged(s)
            return ids

    @staticmethod
    def _claim(s: Session, raw_id: int, *, wait: bool = False) -> RawMessage | None:
        """The raw row, locked by this unit of work until it commits or rolls back (or its
        connection dies with a killed worker): None if missing or, unless `wait`, held by another."""
        return s.scalars(_CLAIM_WAITING if wait else _CLAIM, {"raw_id": raw_id}).first()

    def process_one(self, raw_id: int) -> str:
        """Triage one raw message; returns its new status, or CLAIMED when another worker holds it.

        The row is locked (SELECT ... FOR UPDATE SKIP LOCKED) for the whole unit of work, so any
        number of workers, in one process or many, triage each message once. A unit of work that
        clashes with another worker's (PostgreSQL: both wrote the same new identity or tag, or a
        deadlock) or loses its connection (store/uow.retryable) is rolled back and run once more,
        when it sees what the other committed: two letters a writer sends a second apart, taken by
        two workers, are one person, not a failed message. Never raises for a bad message; raises
        the store's error when the store cannot be reached, leaving the message new.
        """
        retried: str | None = None
        for attempt in range(2):
            try:
                status, triage = self._triage(raw_id, retried)
            except TriageInputError as exc:
                logger.info("raw #%d: rejected input: %s", raw_id, exc)
                self._shunt(raw_id, f"input: {exc}", "input_rejected")
                return RawStatus.failed.value
            except Exception as exc:  # the one broad catch: shunt, log, carry on (house rule 9)
                trouble = retryable(exc)
                if trouble is not None and attempt == 0:
                    logger.info("raw #%d: %s; triaging it again", raw_id, trouble)
                    retried = trouble
                    continue
                if trouble is None and store_unreachable(exc):
                    raise  # the store is away, not the message at fault: it stays new (bot/app._through_outages)
                logger.exception("raw #%d: triage failed", raw_id)
                if self._shunt(raw_id, repr(exc)[:2000], "triage_failed"):
                    self._fail_safe(raw_id, repr(exc))
                return RawStatus.failed.value
            if triage is None:
                return status
            logger.info("%s", outcome_line(raw_id, triage))
            if self._on_outbox is not None:
                self._on_outbox()
            return status
        raise AssertionError("unreachable: the second attempt returns")

    def _triage(self, raw_id: int, retried: str | None) -> tuple[str, Triage | None]:
        """One unit of work over the raw row: (its status, the triage), or (status, None) when it
        is not this worker's to triage. `retried`: the trouble a first attempt met, kept as an event."""
        with UnitOfWork(self.sessions) as uow:
            s = uow.session
            raw = self._claim(s, raw_id)
            if raw is None or raw.status != RawStatus.new:
                end_unchanged(s)
                # Another worker has it (or it is gone), or one has triaged it since the look.
                return (CLAIMED if raw is None else str(raw.status.value)), None
            ctx = StoreContext(s, self.cfg, raw.received_at, model=self.model, templates=self.env,
                               detector=self.detector)
            triage = Triage(raw_id=raw.id, channel=raw.channel, raw=raw.raw, received_at=raw.received_at)
            pipeline.decide(triage, ctx)
            placed = place_case(s, self.cfg, self.calendar, triage)
            pipeline.respond(triage, ctx)
            if retried is not None:
                s.add(Event(at=raw.received_at, raw_id=raw.id, actor="signpost", kind="triage_retried",
                            detail={"error": retried}))
            # Set before record's last flush, so the raw row's UPDATE goes with the contact's rows
            # and the commit has nothing left to flush. record reads raw.error (an earlier failed
            # triage's fallback acknowledgement), so the error is cleared after it.
            raw.status = RawStatus.triaged
            record_triage(s, self.cfg, raw, triage, placed, self.clock())
            if raw.error is not None:
                raw.error = None
            uow.commit()
        return RawStatus.triaged.value, triage

    def _shunt(self, raw_id: int, error: str, kind: str) -> bool:
        """Mark a raw message failed in a transaction of its own: the bytes stay, visible.

        The row is claimed again (waiting this time): between the rollback and here another
        worker may have taken it, and what it decided stands. Returns whether this one shunted it.
        """
        with UnitOfWork(self.sessions) as uow:
            raw = self._claim(uow.session, raw_id, wait=True)
            if raw is None or raw.status != RawStatus.new:
                return False
            raw.status = RawStatus.failed
            raw.error = error
            uow.session.add(Event(at=raw.received_at, raw_id=raw_id, actor="signpost", kind=kind,
                                  detail={"error": error}))
            uow.commit()
        return True

    def _fail_safe(self, raw_id: int, error: str) -> None:
        """The plain acknowledgement with the 999 advice and a duty alert, in a transaction of its own."""
        try:
            with UnitOfWork(self.sessions) as uow:
                raw = uow.session.get(RawMessage, raw_id)
                if raw is not None:
                    now = min(raw.received_at, self.clock())  # due at once, as record_triage has it
                    fallback.acknowledge_failed(uow.session, self.cfg, self.env, raw, error, now)
                    uow.commit()
        except Exception:  # the shunt is committed; this must not take the worker down with it
            logger.exception("raw #%d: fallback acknowledgement failed", raw_id)
            return
        if self._on_outbox is not None:
            self._on_outbox()

    def drain(self) -> int:
        """Process every new raw message now (replay and tests); returns how many."""
        done = 0
        while ids := self.next_raw_ids():
            for raw_id in ids:
                self.process_one(raw_id)
                done += 1
        return done

    def retry_failed(self) -> int:
        """Put failed raw messages back to new (the `retry-failed` command)."""
        with UnitOfWork(self.sessions) as uow:
            rows = list(uow.session.scalars(select(RawMessage).where(RawMessage.status == RawStatus.failed)))
            for r in rows:
                r.status = RawStatus.new
                uow.session.add(Event(at=self.clock(), raw_id=r.id, actor="signpost", kind="retry",
                                      detail={"previous_error": r.error}))
            uow.commit()
        return len(rows)

    async def run(self, stop: asyncio.Event, idle_seconds: float = 5.0) -> None:
        """Process new messages as they arrive until `stop` is set.

        A pass takes the new messages there are when it starts; one stored during the pass sets
        `wake` (the intake's nudge), so the next pass starts at once, and otherwise the worker
        waits for the next nudge or `idle_seconds` (messages another worker left: it was killed,
        or its intake took them). Live mail arrives a message at a time: one look a message, not two.
        """
        while not stop.is_set():
            self.wake.clear()
            ids = await asyncio.to_thread(self.next_raw_ids)
            for raw_id in ids:
                await asyncio.to_thread(self.process_one, raw_id)
            if len(ids) == RUN_BATCH or self.wake.is_set():
                continue
            waiter = asyncio.ensure_future(self.wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=idle_seconds, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
