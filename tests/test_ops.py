"""Watching the service: /healthz, /readyz, /metrics on the web server; the stalled-channel alert and digest line."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from test_service import OFFICE, deliver, mail

from bot.app import Service
from bot.health import Health
from bot.reporting.digest import build_digest, render_digest
from bot.scheduler import Scheduler
from handlers.compose import make_environment
from store.models import Event, Outbox


async def web_port(svc: Service) -> int:
    for _ in range(200):
        if svc.web_server is not None and svc.web_server.started:
            return int(svc.web_server.servers[0].sockets[0].getsockname()[1])
        await asyncio.sleep(0.02)
    raise AssertionError("the web server did not start")


@pytest.fixture
async def watched(make_cfg: Any, smtp_sink: Any) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
                      "web.enabled": True, "web.port": 0, "digest.recipients": []})
    svc = Service(cfg)
    await svc.start()
    port = await web_port(svc)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield svc, client
    finally:
        await svc.stop()


def metric(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))  # exposition sorts labels
    pattern = rf"^{re.escape(name)}(?:\{{{re.escape(want)}\}})? (\S+)$" if want else rf"^{re.escape(name)} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    assert found, f"{name}{{{want}}} not in:\n{text}"
    return float(found.group(1))


async def test_health_readiness_and_metrics_after_an_acknowledgement(
        watched: tuple[Service, httpx.AsyncClient], smtp_sink: Any) -> None:
    svc, client = watched
    assert (await client.get("/healthz")).json() == {"status": "alive"}
    await deliver(svc.smtp_port, mail("Ada Example <ada@example.com>", "Street lighting",
                                      "The street lights on Elm Road have been out for a week.", "<ops-1@example.com>"))
    await smtp_sink.wait_for_async(1)
    for _ in range(100):  # the sent mark commits just after the sink has the message
        text = (await client.get("/metrics")).text
        if "signpost_acknowledgement_latency_seconds_count 1.0" in text:
            break
        await asyncio.sleep(0.05)
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready" and body["office"] == OFFICE
    assert body["checks"]["store"]["ok"] and body["checks"]["smtp_intake"]["ok"]
    assert body["checks"]["sender"] == {"ok": True, "pending": 0, "oldest_pending_age_seconds": 0.0, "failing": 0,
                                        "oldest_due_age_seconds": 0.0}
    assert metric(text, "signpost_messages_received_total", channel="smtp") == 1
    assert metric(text, "signpost_triage_outcomes_total", outcome="acknowledged", category="correspondence",
                  urgent="false") == 1
    assert metric(text, "signpost_acknowledgement_latency_seconds_count") == 1
    assert metric(text, "signpost_outbox_pending") == 0
    assert metric(text, "signpost_channel_up", channel="smtp_intake") == 1
    # No login is asked of a monitor; the dashboard itself still wants one.
    assert (await client.get("/", follow_redirects=False)).status_code in (302, 303, 401)


async def test_readyz_fails_when_a_reply_is_stuck(watched: tuple[Service, httpx.AsyncClient]) -> None:
    svc, client = watched
    old = datetime.now(UTC) - timedelta(minutes=30)
    with svc.sessions() as s:
        s.add(Outbox(kind="ack", channel="email", to_address="ada@example.com", subject="s", text="t",
                     headers={}, attempts=3, last_error="451 try later",
                     not_before=datetime.now(UTC) + timedelta(hours=1), created_at=old))
        s.commit()
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    sender = ready.json()["checks"]["sender"]
    assert not sender["ok"] and sender["failing"] == 1 and sender["oldest_pending_age_seconds"] >= 1800
    text = (await client.get("/metrics")).text
    assert metric(text, "signpost_outbox_pending") == 1
    assert metric(text, "signpost_outbox_oldest_pending_age_seconds") >= 1800


async def test_a_failed_triage_is_counted_but_a_rolled_back_one_is_not(make_cfg: Any, sqlite_sessions: Any) -> None:
    from bot.metrics import Metrics
    from store.models import Event as Ev

    metrics = Metrics()
    metrics.watch(sqlite_sessions)
    try:
        with sqlite_sessions() as s:
            s.add(Ev(at=datetime.now(UTC), actor="channel:imap", kind="received", detail={}))
            s.flush()
            s.rollback()
        with sqlite_sessions() as s:
            s.add(Ev(at=datetime.now(UTC), actor="signpost", kind="triage_failed", detail={}))
            s.commit()
    finally:
        metrics.unwatch()
    text = metrics.exposition().decode()
    assert 'signpost_messages_received_total{channel="imap"}' not in text
    assert metric(text, "signpost_triage_outcomes_total", outcome="failed", category="none", urgent="false") == 1


async def test_a_stalled_channel_alerts_the_duty_once_and_shows_in_the_digest(
        make_cfg: Any, sqlite_sessions: Any) -> None:
    now = [datetime(2026, 6, 1, 9, 0, tzinfo=UTC)]
    health = Health(clock=lambda: now[0])
    imap = health.channel("imap", 120)
    imap.success()
    imap.failure("LoginError: AUTHENTICATE failed")
    cfg = make_cfg(**{"alerts.stalled_minutes": 30, "web.public_url": "https://signpost.example.org"})
    scheduler = Scheduler(cfg, sqlite_sessions, make_environment(), health=health)
    now[0] += timedelta(minutes=29)
    assert scheduler.check_stalls() == []
    now[0] += timedelta(minutes=2)
    assert scheduler.check_stalls() == ["imap"]
    assert scheduler.check_stalls() == []  # told once per stall
    with sqlite_sessions() as s:
        (alert,) = s.scalars(select(Outbox)).all()
        assert alert.to_address == cfg.alerts.duty_addresses[0] and "imap channel has stalled" in alert.subject
        assert "AUTHENTICATE failed" in alert.text and "signpost doctor" in alert.text
    with sqlite_sessions() as s:
        digest = build_digest(s, cfg, now[0].date() + timedelta(days=1), now[0] + timedelta(days=1))
        _subject, text, html = render_digest(digest, cfg, make_environment())
    assert "CHANNELS STALLED: 1" in text and "imap: no successful fetch since" in text and "still stalled" in text
    assert "Channels stalled: 1" in html
    imap.success()
    scheduler.check_stalls()
    with sqlite_sessions() as s:
        kinds = [e.kind for e in s.scalars(select(Event).order_by(Event.id))]
    assert kinds == ["channel_stalled", "channel_recovered"]
