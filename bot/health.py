"""Liveness and readiness: what each channel last did, and the checks behind /readyz."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from store.models import Outbox, OutboxStatus

SENDER_STUCK = timedelta(minutes=10)  # a failing reply older than this, or a due one waiting this long


@dataclass
class ChannelHealth:
    """One channel's state, written by the channel (on the event loop), read by /readyz and the scheduler."""

    name: str
    started_at: datetime
    # How long without a successful fetch is still healthy (a poll interval plus slack).
    fetch_every: timedelta
    polls: bool = True  # False for push channels (SMTP intake, Telegram webhook): no fetch to age
    connected: bool = False
    last_success: datetime | None = None
    last_error: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    # Another worker holds this channel's poller role (bot/roles.py): nothing to fetch here.
    standby: bool = False

    def take_over(self) -> None:
        """This process now polls: silence counts from here."""
        self.standby, self.started_at, self.last_success = False, self.clock(), None

    def stand_by(self) -> None:
        self.standby, self.connected = True, False

    def success(self) -> None:
        self.connected, self.last_success, self.last_error = True, self.clock(), None

    def failure(self, error: str) -> None:
        self.connected, self.last_error = False, error[:300]

    def silent_for(self, now: datetime) -> timedelta:
        """Time since the last successful fetch (or since the service started, if none yet)."""
        return now - (self.last_success or self.started_at)

    def check(self, now: datetime) -> dict[str, Any]:
        if self.standby:
            return {"ok": True, "standby": True}
        ok = self.connected and (not self.polls or self.silent_for(now) <= self.fetch_every)
        out: dict[str, Any] = {"ok": ok, "connected": self.connected}
        if self.polls:
            out["last_success_age_seconds"] = round(self.silent_for(now).total_seconds(), 1)
        if self.last_error:
            out["error"] = self.last_error
        return out


class Health:
    """The enabled channels' health, keyed by channel name ("imap", "telegram", "smtp_intake")."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))
        self.channels: dict[str, ChannelHealth] = {}
        self.sender_pass: datetime | None = None  # end of the sender's last pass
        self.roles: dict[str, Any] = {}  # bot.roles.Role by what it runs: "imap", "telegram", "scheduler"

    def channel(self, name: str, fetch_every: float, *, polls: bool = True) -> ChannelHealth:
        """Register an enabled channel; it reports through the object returned."""
        ch = ChannelHealth(name, self.clock(), timedelta(seconds=fetch_every), polls, clock=self.clock)
        self.channels[name] = ch
        return ch

    def sender_ran(self) -> None:
        self.sender_pass = self.clock()


def outbox_backlog(session: Session, now: datetime) -> dict[str, Any]:
    """Pending outbox rows: how many, the oldest's age, and how many have failed at least once."""
    pending = select(Outbox).where(Outbox.status == OutboxStatus.pending).subquery()
    count, oldest, failing = session.execute(select(
        func.count(), func.min(pending.c.created_at),
        func.count().filter(pending.c.attempts > 0))).one()
    oldest_due = session.scalar(select(func.min(Outbox.not_before)).where(
        Outbox.status == OutboxStatus.pending, Outbox.not_before <= now))
    return {"pending": int(count), "oldest_pending_age_seconds": _age(now, oldest),
            "failing": int(failing or 0), "oldest_due_age_seconds": _age(now, oldest_due)}


def _age(now: datetime, at: datetime | None) -> float:
    if at is None:
        return 0.0
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return round(max(0.0, (now - at).total_seconds()), 1)


def readiness(cfg: Config, sessions: sessionmaker[Session], health: Health) -> tuple[bool, dict[str, Any]]:
    """The /readyz answer: store reachable, each enabled channel connected and fetching, sender moving."""
    now = health.clock()
    checks: dict[str, Any] = {}
    try:
        with sessions() as s:
            s.execute(text("SELECT 1"))
            backlog = outbox_backlog(s, now)
        checks["store"] = {"ok": True}
    except SQLAlchemyError as exc:
        checks["store"] = {"ok": False, "error": type(exc).__name__}
        backlog = None
    for name, ch in health.channels.items():
        checks[name] = ch.check(now)
    if health.roles:  # which worker polls, schedules: informative, never a reason for "not ready"
        checks["roles"] = {"ok": True, **{name: role.state() for name, role in health.roles.items()}}
    if backlog is not None:
        stuck = (backlog["failing"] and backlog["oldest_pending_age_seconds"] > SENDER_STUCK.total_seconds()) or \
            backlog["oldest_due_age_seconds"] > SENDER_STUCK.total_seconds()
        checks["sender"] = {"ok": not stuck, **backlog}
    ready = all(c["ok"] for c in checks.values())
    return ready, {"status": "ready" if ready else "not ready", "office": cfg.office.mailbox, "checks": checks}
