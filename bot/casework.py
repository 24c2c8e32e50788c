"""Office-aware glue for caseworker tools: queue clocks and due dates (reply drafts: bot/drafts.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.utils import make_msgid

from bot.config import Config
from bot.deadlines import WorkingCalendar
from store.queues import QueueClock


def calendar(cfg: Config) -> WorkingCalendar:
    return WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)


def queue_clock(cfg: Config, now: datetime) -> QueueClock:
    """Today in the office, and the moment before which a case counts as stale."""
    cal = calendar(cfg)
    today = cal.local_date(now)
    last_stale_day = cal.latest_start(today, cfg.sla.stale_days)
    return QueueClock(today=today, stale_before=cal.start_of_day(last_stale_day + timedelta(days=1)))


def due_dates(cfg: Config, received_at: datetime, category: str | None) -> tuple[date, date]:
    """(acknowledge_by, respond_by) for a contact; FOI requests get the statutory 20 days."""
    cal = calendar(cfg)
    respond = cfg.sla.foi_days if category == "foi" else cfg.sla.respond_days
    return cal.due_date(received_at, cfg.sla.acknowledge_days), cal.due_date(received_at, respond)


def msgid_domain(cfg: Config) -> str:
    return cfg.office.mailbox.rsplit("@", 1)[1]


def new_message_id(cfg: Config, idstring: str) -> str:
    """A fresh Message-ID on the office's own domain; `idstring` says what sent it (signpost, staff, digest)."""
    return make_msgid(idstring, domain=msgid_domain(cfg))
