"""The service's clock: flags deadline breaches as they happen, mails staff before and when they do,
queues the daily digest and applies retention on time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.casework import new_message_id
from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.escalation import Due, Escalation
from bot.privacy.retention import ran_today, run_retention
from bot.reporting.digest import queue_digest
from bot.reporting.figures import Breach, acknowledge_breaches, respond_breaches, stale_breaches
from bot.reporting.stalls import RECOVERED, STALLED
from store.db import checkpoint
from store.models import DigestRun, Event, Outbox, utcnow

logger = logging.getLogger(__name__)


@dataclass
class Tick:
    """What one pass did: breaches newly flagged, and the date of a digest queued (if any)."""

    flagged: list[Breach] = field(default_factory=list)
    digest_for: date | None = None
    warned: list[Due] = field(default_factory=list)
    mailed: list[Breach] = field(default_factory=list)
    retention: dict[str, int] | None = None  # the counts of a retention run made in this pass


class Scheduler:
    """Runs `tick()` every `interval` seconds until `stop` is set; the clock `now` is injectable.

    Every check is by local date, so a breach is flagged on the first tick after the local
    midnight that ends its deadline day.
    """

    def __init__(
        self,
        cfg: Config,
        sessions: sessionmaker[Session],
        env: Environment,
        *,
        now: Callable[[], datetime] = utcnow,
        interval: float = 60.0,
        on_outbox: Callable[[], None] | None = None,
        health: Any = None,
    ) -> None:
        self._on_outbox = on_outbox  # wakes the sender once a digest is queued
        self.health = health  # bot.health.Health: the channels' last successful fetch (set by the service)
        self._stalled: set[str] = set()
        self._sessions = sessions
        self._cfg = cfg
        self._env = env
        self._now = now
        self._interval = interval
        self._cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
        self._escalation = Escalation(cfg, env)
        self._digest_done: date | None = None  # saves a query a minute once today's digest is out
        self._retention_done: date | None = None
        # bot.roles.Role: with several workers, only its holder flags, mails, digests and retains;
        # None (tests, one-shot commands) is the one process. Stall alerts stay with each process,
        # as only a channel's poller knows its health.
        self.leader: Any = None
        self.wake = asyncio.Event()  # set when this process becomes the leader: tick at once

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until `stop` is set; an error in one tick is logged and the next tick tries again."""
        logger.info("scheduler: started, every %ss, digest at %s on working days", self._interval,
                    self._cfg.digest.time)
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:  # one broad catch at the loop boundary: a bad tick must not stop the clock
                logger.exception("scheduler: tick failed")
            self.wake.clear()
            waiter, stopper = asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=self._interval, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
        logger.info("scheduler: stopped")

    async def tick(self) -> Tick:
        """One pass: flag new breaches, then queue the digest if it is due (the leader's work), and
        alert on stalled channels (each process's own)."""
        now = self._now()
        if self.leader is not None and not self.leader.held:
            alerted = await asyncio.to_thread(self.check_stalls)
            if alerted and self._on_outbox is not None:
                self._on_outbox()
            return Tick()
        flagged = await asyncio.to_thread(self.flag_breaches, now)
        warned, mailed = await asyncio.to_thread(self.escalate, now)
        digest_for = await asyncio.to_thread(self.queue_digest_if_due, now)
        alerted = await asyncio.to_thread(self.check_stalls)
        if (digest_for is not None or alerted or warned or mailed) and self._on_outbox is not None:
            self._on_outbox()
        retention = await asyncio.to_thread(self.apply_retention_if_due, now)
        return Tick(flagged, digest_for, warned, mailed, retention)

    def apply_retention_if_due(self, now: datetime) -> dict[str, int] | None:
        """Apply the retention schedule once a day, at or after `retention.time` (any day of the week)."""
        local = now.astimezone(self._cal.tz)
        today = local.date()
        r = self._cfg.retention
        if not r.scheduled or self._retention_done == today or local.time() < r.time:
            return None
        start = datetime.combine(today, dt_time(0, 0), tzinfo=self._cal.tz)
        with self._sessions() as s:
            if ran_today(s, start):
                self._retention_done = today
                return None
            run = run_retention(s, self._cfg, now, apply=True)
            s.commit()
            checkpoint(s.get_bind().engine)
        self._retention_done = today
        return run.counts()

    def check_stalls(self) -> list[str]:
        """Alert the duty addresses once when a polled channel has gone `stalled_minutes` without a
        successful fetch, and record its recovery; returns the channels newly stalled.

        Ages are by the wall clock (the channels' own), not the injectable `now`.
        """
        minutes = self._cfg.alerts.stalled_minutes
        if self.health is None or not minutes:
            return []
        now = self.health.clock()
        newly: list[str] = []
        for name, ch in self.health.channels.items():
            stalled = ch.polls and not ch.standby and ch.silent_for(now) >= timedelta(minutes=minutes)
            if stalled and name not in self._stalled:
                self._stalled.add(name)
                newly.append(name)
                self._record_stall(name, ch, now)
            elif not stalled and name in self._stalled:
                self._stalled.discard(name)
                with self._sessions() as s:
                    s.add(Event(at=now, actor="signpost", kind=RECOVERED, detail={"channel": name}))
                    s.commit()
                logger.info("channel %s: fetching again after a stall", name)
        return newly

    def _record_stall(self, name: str, ch: Any, now: datetime) -> None:
        since = ch.last_success.isoformat() if ch.last_success else None
        silent = int(ch.silent_for(now).total_seconds() // 60)
        why = ch.last_error or "no error reported; the connection may be hanging"
        text = (f"Signpost's {name} channel has not fetched successfully for {silent} minutes"
                f"{' (last success ' + since + ')' if since else ' (none since the service started)'}.\n"
                f"Last error: {why}\n\nMessages sent to the office now wait on the server until it "
                "recovers; nothing is lost. Run `signpost doctor` to see what is wrong.\n")
        with self._sessions() as s:
            s.add(Event(at=now, actor="signpost", kind=STALLED,
                        detail={"channel": name, "since": since, "error": ch.last_error}))
            for duty in self._cfg.alerts.duty_addresses:
                s.add(Outbox(kind="alert", channel="email", to_address=duty,
                             subject=f"Signpost: the {name} channel has stalled", text=text,
                             headers={"Auto-Submitted": "auto-generated"},
                             message_id=new_message_id(self._cfg, "staff"), not_before=now, created_at=now))
            s.commit()
        logger.error("channel %s stalled: no successful fetch for %d minutes (%s); duty told", name, silent, why)

    def escalate(self, now: datetime) -> tuple[list[Due], list[Breach]]:
        """Mail the warnings of deadlines coming up and the breaches flagged (bot/escalation.py)."""
        with self._sessions() as s:
            warned = self._escalation.warn(s, now)
            mailed = self._escalation.mail_breaches(s, now)
            s.commit()
        return warned, mailed

    def flag_breaches(self, now: datetime) -> list[Breach]:
        """Record one Event per case, breach kind and deadline not recorded before; log each.

        The queries leave out what is already flagged, so a pass over a settled store is cheap.
        """
        as_of = self._cal.local_date(now)
        with self._sessions() as s:
            new = [
                *acknowledge_breaches(s, self._cal, as_of, only_new=True),
                *respond_breaches(s, self._cal, as_of, only_new=True),
                *stale_breaches(s, self._cal, as_of, self._cfg.sla.stale_days, only_new=True),
            ]
            for b in new:
                s.add(Event(at=now, case_id=b.case_id, actor="signpost", kind=b.kind,
                            detail={"deadline": b.deadline.isoformat(), "days": b.days, "owner": b.owner}))
            s.commit()
        for b in new:
            if b.kind == "stale":
                logger.warning("%s stale: no action for %d working day(s), stale since %s, owner %s",
                               b.reference, b.days, b.deadline, b.owner or "unassigned")
            else:
                logger.warning("%s %s: deadline %s passed, %d working day(s) ago, owner %s",
                               b.reference, b.kind, b.deadline, b.days, b.owner or "unassigned")
        return new

    def queue_digest_if_due(self, now: datetime) -> date | None:
        """Queue today's digest once, at or after the configured time on a working day.

        Catching up is automatic: a service that was down at the digest time sends it on
        its first tick later the same day; a day missed entirely is not sent afterwards.
        """
        local = now.astimezone(self._cal.tz)
        today = local.date()
        if (
            not self._cfg.digest.recipients
            or self._digest_done == today
            or not self._cal.is_working_day(today)
            or local.time() < self._cfg.digest.time
        ):
            return None
        with self._sessions() as s:
            if s.scalar(select(DigestRun.id).where(DigestRun.for_date == today)) is None:
                queue_digest(s, self._cfg, self._env, today, now)
                try:
                    s.commit()
                except IntegrityError:
                    # Another instance queued it between our check and commit: theirs stands.
                    s.rollback()
                    logger.info("digest %s: already queued by another process", today)
                    self._digest_done = today
                    return None
                self._digest_done = today
                return today
        self._digest_done = today
        return None
