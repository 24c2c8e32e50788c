"""Staff mail on a driven clock: a warning the working day before a deadline, the breach when it passes,
each once, to the owner or to the managers; and assignment mail with a per-user opt-out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from seeding import Clock, Seeder, at
from sqlalchemy import select
from starlette.testclient import TestClient
from webclient import login, token

from bot.scheduler import Scheduler
from bot.templating import template_env
from bot.users import add_user
from bot.web.app import create_app
from store.models import Case, Event, Outbox, Role


def staff_mail(sessions: Any, since_id: int = 0) -> list[tuple[str, str]]:
    with sessions() as s:
        rows = s.scalars(select(Outbox).where(Outbox.kind == "staff", Outbox.id > since_id).order_by(Outbox.id))
        return [(o.to_address, o.subject) for o in rows]


def last_id(sessions: Any) -> int:
    with sessions() as s:
        return max([0, *s.scalars(select(Outbox.id))])


@pytest.fixture
def seeded(db_sessions: Any) -> Any:
    with db_sessions() as s:
        add_user(s, "dana", Role.caseworker, "a long fictional password", email="dana@wessexvale-pcc.gov.uk")
        add_user(s, "mo", Role.manager, "a long fictional password", email="mo@wessexvale-pcc.gov.uk")
        add_user(s, "eve", Role.caseworker, "a long fictional password")  # no address: her cases go to the managers
        sd = Seeder(s)
        # Opened Mon 16 Nov: acknowledge by Wed 18 Nov, respond by Mon 30 Nov.
        sd.case("E-1", at("2026-11-16 09:00"), owner="dana", subject="Speeding on Mill Lane")
        sd.case("E-2", at("2026-11-16 09:00"), acknowledged=at("2026-11-16 09:05"), subject="Bus shelter")
        sd.case("E-3", at("2026-11-16 09:00"), owner="eve", acknowledged=at("2026-11-16 09:05"),
                responded=at("2026-11-17 09:00"), last_action=at("2026-11-17 09:00"), subject="Lights")
        s.commit()
    return db_sessions


async def test_warnings_go_the_working_day_before_and_breaches_once_each(seeded: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"web.public_url": "https://signpost.example.gov.uk/"})
    clock = Clock("2026-11-16 10:00")
    sched = Scheduler(cfg, seeded, template_env(), now=clock)
    assert (await sched.tick()).warned == []  # two working days before: too early
    clock.set("2026-11-17 07:30")
    assert (await sched.tick()).warned == []  # the right day, but before escalation.time
    clock.set("2026-11-17 08:00")
    tick = await sched.tick()
    assert [(d.reference, d.kind, d.days_left) for d in tick.warned] == [("E-1", "acknowledge", 1)]
    assert staff_mail(seeded) == [("dana@wessexvale-pcc.gov.uk",
                                   "[E-1] Acknowledge-by date tomorrow (Wednesday 18 November)")]
    with seeded() as s:
        mail = s.scalars(select(Outbox).where(Outbox.kind == "staff")).one()
        assert "Open the case: https://signpost.example.gov.uk/case/E-1" in mail.text
        assert "You get this because you own this case." in mail.text
        assert mail.headers["Auto-Submitted"] == "auto-generated"
    clock.set("2026-11-17 15:00")
    assert (await sched.tick()).warned == []  # once
    seen = last_id(seeded)

    clock.set("2026-11-19 00:01")  # Wed 18 ended: the breach is flagged now, mailed at 08:00
    tick = await sched.tick()
    assert [b.reference for b in tick.flagged] == ["E-1"] and tick.mailed == []
    clock.set("2026-11-19 08:00")
    assert [b.reference for b in (await sched.tick()).mailed] == ["E-1"]
    assert staff_mail(seeded, seen) == [("dana@wessexvale-pcc.gov.uk",
                                         "[E-1] Acknowledge-by date passed (Wednesday 18 November)")]
    clock.set("2026-11-19 09:00")
    assert (await sched.tick()).mailed == []  # once
    seen = last_id(seeded)

    # Fri 20: E-1 and E-2 (idle since Mon 16) turn stale on Mon 23; E-3 (idle since Tue 17) on Tue 24.
    clock.set("2026-11-20 08:30")
    tick = await sched.tick()
    assert [(d.reference, d.kind) for d in tick.warned] == [("E-1", "stale"), ("E-2", "stale")]
    assert staff_mail(seeded, seen) == [
        ("dana@wessexvale-pcc.gov.uk", "[E-1] No action date tomorrow (Monday 23 November)"),
        ("mo@wessexvale-pcc.gov.uk", "[E-2] No action date tomorrow (Monday 23 November)"),  # unassigned
    ]
    seen = last_id(seeded)
    clock.set("2026-11-23 08:00")  # Monday: E-3's owner eve has no address, so the managers hear
    tick = await sched.tick()
    assert [(d.reference, d.kind) for d in tick.warned] == [("E-3", "stale")]
    assert [b.reference for b in tick.mailed] == ["E-1", "E-2"]  # the stale breaches flagged at 00:00
    assert staff_mail(seeded, seen)[0] == ("mo@wessexvale-pcc.gov.uk",
                                           "[E-3] No action date tomorrow (Tuesday 24 November)")
    with seeded() as s:
        e3 = s.scalars(select(Outbox).where(Outbox.subject.startswith("[E-3]"))).one()
        assert "its owner, eve, has no email address in Signpost" in e3.text
        kinds = s.scalars(select(Event.kind).where(Event.kind.in_(("warning", "breach_mailed")))).all()
        assert sorted(kinds) == ["breach_mailed"] * 3 + ["warning"] * 4


async def test_a_deadline_after_a_bank_holiday_weekend_is_warned_the_working_day_before(
        db_sessions: Any, make_cfg: Any) -> None:
    with db_sessions() as s:
        add_user(s, "dana", Role.caseworker, "a long fictional password", email="dana@wessexvale-pcc.gov.uk")
        # Due Tue 29 Dec 2026: Fri 25 (Christmas) and Mon 28 (Boxing Day, substitute) are holidays.
        Seeder(s).case("X-1", at("2026-12-21 09:00"), owner="dana", acknowledged=at("2026-12-21 09:00"),
                       respond_by="2026-12-29", last_action=at("2026-12-23 09:00"))
        s.commit()
    cfg = make_cfg(**{"escalation.warn_before.stale": 0})
    clock = Clock("2026-12-23 09:00")
    sched = Scheduler(cfg, db_sessions, template_env(), now=clock)
    assert (await sched.tick()).warned == []  # Wed 23: two working days (Thu 24, Tue 29) to go
    clock.set("2026-12-24 09:00")
    assert [(d.reference, d.days_left) for d in (await sched.tick()).warned] == [("X-1", 1)]
    clock.set("2026-12-29 09:00")
    assert (await sched.tick()).warned == []  # warned once; the deadline day itself adds nothing


async def test_escalation_off_sends_nothing(seeded: Any, make_cfg: Any) -> None:
    clock = Clock("2026-11-17 09:00")
    sched = Scheduler(make_cfg(**{"escalation.enabled": False}), seeded, template_env(), now=clock)
    await sched.tick()
    clock.set("2026-11-19 09:00")
    tick = await sched.tick()
    assert tick.flagged and tick.warned == [] and tick.mailed == [] and staff_mail(seeded) == []


@pytest.fixture
def web(make_cfg: Any, sqlite_sessions: Any) -> Iterator[tuple[TestClient, Any]]:
    with sqlite_sessions() as s:
        add_user(s, "mo", Role.manager, "battery staple", email="mo@wessexvale-pcc.gov.uk")
        add_user(s, "dana", Role.caseworker, "correct horse", email="dana@wessexvale-pcc.gov.uk")
        Seeder(s).case("MID-2026-00001", at("2026-11-16 09:00"), subject="Speeding on Mill Lane")
        s.commit()
    app = create_app(make_cfg(), sqlite_sessions, secret="s",
                     clock=lambda: datetime.fromisoformat("2026-11-16T10:00:00+00:00"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, sqlite_sessions


def test_assignment_mail_goes_to_the_stored_address_unless_the_user_opts_out(web: Any, make_cfg: Any) -> None:
    client, sessions = web
    login(client, "mo", "battery staple")
    tok = token(client, "/case/MID-2026-00001")
    r = client.post("/case/MID-2026-00001/assign", data={"user": "dana", "csrf_token": tok})
    assert "Assigned to dana (emailed)." in r.text
    with sessions() as s:
        mail = s.scalars(select(Outbox).where(Outbox.kind == "staff")).one()
        assert mail.to_address == "dana@wessexvale-pcc.gov.uk"
        assert mail.subject == "[MID-2026-00001] Assigned to you: Speeding on Mill Lane"
        assert "mo has assigned a case to you." in mail.text and "/case/MID-2026-00001" in mail.text
    r = client.post("/case/MID-2026-00001/assign", data={"user": "me", "csrf_token": tok})
    assert "Assigned to you." in r.text and len(staff_mail(sessions)) == 1  # nobody mails themselves
    # dana turns assignment mail off on her settings page.
    other = TestClient(client.app, base_url="http://127.0.0.1")
    login(other, "dana", "correct horse")
    page = other.get("/me").text
    assert 'name="notify_assigned" checked' in page and "dana@wessexvale-pcc.gov.uk" in page
    other.post("/me", data={"csrf_token": token(other, "/me"), "email": "dana@wessexvale-pcc.gov.uk"})
    assert 'name="notify_assigned" checked' not in other.get("/me").text
    r = client.post("/case/MID-2026-00001/assign", data={"user": "dana", "csrf_token": tok})
    assert "Assigned to dana." in r.text and len(staff_mail(sessions)) == 1
    bad = other.post("/me", data={"csrf_token": token(other, "/me"), "email": "not an address"})
    assert "is not an email address" in bad.text
    with sessions() as s:
        assert s.scalar(select(Case.assigned_to)) == "dana"
