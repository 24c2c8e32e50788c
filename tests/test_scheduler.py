"""The scheduler on a driven clock: breaches flagged once per deadline, the digest once per working day."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from typing import Any

from seeding import Clock, Seeder, at
from sqlalchemy import select

from bot.scheduler import Scheduler
from bot.templating import template_env
from store.models import Case, DigestRun, Event, Outbox


def events(sessions: Any) -> list[tuple[str, str, str]]:
    with sessions() as s:
        rows = s.execute(select(Case.reference, Event.kind, Event.detail).join(Case, Event.case_id == Case.id)
                         .where(Event.kind.in_(("breach_acknowledge", "breach_respond", "stale")))
                         .order_by(Event.id)).all()
    return [(ref, kind, detail["deadline"]) for ref, kind, detail in rows]


async def test_breaches_are_flagged_once_per_deadline(db_sessions: Any, make_cfg: Any, caplog: Any) -> None:
    with db_sessions() as s:
        sd = Seeder(s)
        # Opened Mon 16 Nov: acknowledge by Wed 18, respond by Mon 30; nothing done since.
        sd.case("S-1", at("2026-11-16 09:00"), owner="dana")
        sd.case("S-2", at("2026-11-16 09:00"), status="closed", closed=at("2026-11-16 10:00"))
        sd.case("S-3", at("2026-11-16 09:00"), category="none")  # machine mail is never chased
        sd.case("S-4", at("2026-11-16 09:00"), acknowledged=at("2026-11-16 09:00"),
                responded=at("2026-11-19 09:00"), last_action=at("2026-11-19 09:00"))
        s.commit()
    clock = Clock("2026-11-19 00:01")
    sched = Scheduler(make_cfg(), db_sessions, template_env(), now=clock)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        first = await sched.tick()
    assert [(b.reference, b.kind) for b in first.flagged] == [("S-1", "breach_acknowledge")]
    logged = "S-1 breach_acknowledge: deadline 2026-11-18 passed, 1 working day(s) ago, owner dana"
    assert logged in caplog.text
    assert (await sched.tick()).flagged == []
    clock.set("2026-11-23 10:00")  # Monday: 5 working days without action since Mon 16
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        assert [(b.reference, b.kind) for b in (await sched.tick()).flagged] == [("S-1", "stale")]
    assert "S-1 stale: no action for 5 working day(s), stale since 2026-11-23, owner dana" in caplog.text
    clock.set("2026-11-26 10:00")  # S-4 idle since Thu 19: stale on Thu 26
    assert [(b.reference, b.kind) for b in (await sched.tick()).flagged] == [("S-4", "stale")]
    clock.set("2026-12-01 00:00")  # respond-by Mon 30 Nov has passed
    assert [(b.reference, b.kind) for b in (await sched.tick()).flagged] == [("S-1", "breach_respond")]
    assert (await sched.tick()).flagged == []
    # An action resets the stale clock; a second stale spell is a new breach, flagged once.
    with db_sessions() as s:
        case = s.scalar(select(Case).where(Case.reference == "S-1"))
        assert case is not None
        case.last_action_at = at("2026-12-01 09:00")
        s.commit()
    clock.set("2026-12-08 09:00")
    assert [(b.reference, b.kind) for b in (await sched.tick()).flagged] == [("S-1", "stale")]
    assert (await Scheduler(make_cfg(), db_sessions, template_env(), now=clock).tick()).flagged == []
    assert events(db_sessions) == [
        ("S-1", "breach_acknowledge", "2026-11-18"),
        ("S-1", "stale", "2026-11-23"),
        ("S-4", "stale", "2026-11-26"),
        ("S-1", "breach_respond", "2026-11-30"),
        ("S-1", "stale", "2026-12-08"),
    ]


def digest_runs(sessions: Any) -> list[tuple[date, datetime, datetime]]:
    with sessions() as s:
        runs = s.scalars(select(DigestRun).order_by(DigestRun.for_date)).all()
        return [(r.for_date, r.period_start, r.period_end) for r in runs]


def digest_mail(sessions: Any) -> int:
    with sessions() as s:
        return len(s.scalars(select(Outbox).where(Outbox.kind == "digest")).all())


async def test_digest_once_per_working_day_at_the_configured_time(db_sessions: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"digest.recipients": ["head@example.org"], "digest.time": "08:00"})
    clock = Clock("2026-12-24 07:59")
    sched = Scheduler(cfg, db_sessions, template_env(), now=clock)
    assert (await sched.tick()).digest_for is None
    clock.set("2026-12-24 08:00")
    assert (await sched.tick()).digest_for == date(2026, 12, 24)
    clock.set("2026-12-24 16:00")
    assert (await sched.tick()).digest_for is None
    for holiday in ("2026-12-25 09:00", "2026-12-26 09:00", "2026-12-28 09:00"):  # Christmas, Sat, Boxing Day
        clock.set(holiday)
        assert (await sched.tick()).digest_for is None
    # The service was down at 08:00 on Tuesday 29th: a new process catches up at 11:15.
    clock.set("2026-12-29 11:15")
    restarted = Scheduler(cfg, db_sessions, template_env(), now=clock)
    assert (await restarted.tick()).digest_for == date(2026, 12, 29)
    assert (await restarted.tick()).digest_for is None
    assert digest_runs(db_sessions) == [
        (date(2026, 12, 24), at("2026-12-23 08:00"), at("2026-12-24 08:00")),
        (date(2026, 12, 29), at("2026-12-24 08:00"), at("2026-12-29 08:00")),
    ]
    assert digest_mail(db_sessions) == 2


async def test_a_day_missed_entirely_is_not_sent_late(db_sessions: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"digest.recipients": ["head@example.org"]})
    clock = Clock("2026-11-25 07:00")  # down all Tuesday; Wednesday before 08:00
    sched = Scheduler(cfg, db_sessions, template_env(), now=clock)
    assert (await sched.tick()).digest_for is None
    assert digest_runs(db_sessions) == []


async def test_no_recipients_means_no_digest(db_sessions: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"digest.recipients": []})
    sched = Scheduler(cfg, db_sessions, template_env(), now=Clock("2026-11-24 09:00"))
    assert (await sched.tick()).digest_for is None
    assert digest_runs(db_sessions) == []


async def test_run_ticks_until_stopped_and_wakes_the_sender(db_sessions: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"digest.recipients": ["head@example.org"]})
    woken: list[int] = []
    clock = Clock("2026-11-24 08:30")
    sched = Scheduler(cfg, db_sessions, template_env(), now=clock, interval=0.01,
                      on_outbox=lambda: woken.append(1))
    stop = asyncio.Event()
    task = asyncio.create_task(sched.run(stop))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if woken and digest_runs(db_sessions):
            break
    await asyncio.sleep(0.05)  # a few more ticks: still one digest
    stop.set()
    await asyncio.wait_for(task, 5)
    assert woken == [1] and digest_mail(db_sessions) == 1


async def test_a_failing_tick_is_logged_and_the_next_one_runs(db_sessions: Any, make_cfg: Any,
                                                              caplog: Any) -> None:
    cfg = make_cfg(**{"digest.recipients": ["head@example.org"]})
    calls: list[int] = []

    def flaky_clock() -> datetime:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("clock glitch")
        return at("2026-11-24 08:30")

    stop = asyncio.Event()
    sched = Scheduler(cfg, db_sessions, template_env(), now=flaky_clock, interval=0.01)
    task = asyncio.create_task(sched.run(stop))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if digest_runs(db_sessions):
            break
    stop.set()
    await asyncio.wait_for(task, 5)
    assert "scheduler: tick failed" in caplog.text
    assert [r[0] for r in digest_runs(db_sessions)] == [date(2026, 11, 24)]


async def test_the_suites_own_config_runs_no_timed_job_at_any_hour(db_sessions: Any, make_cfg: Any) -> None:
    """Service tests count the mail they cause; the digest and retention stay off unless a test asks."""
    clock = Clock("2026-11-23 02:30")  # a Monday: retention's hour, then the digest's
    sched = Scheduler(make_cfg(), db_sessions, template_env(), now=clock)
    for moment in ("2026-11-23 02:30", "2026-11-23 08:00", "2026-11-23 17:45"):
        clock.set(moment)
        tick = await sched.tick()
        assert tick.digest_for is None and tick.retention is None
    assert digest_mail(db_sessions) == 0
