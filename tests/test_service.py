"""The whole service in-process: SMTP intake -> worker -> outbox -> aiosmtpd sink, on loopback."""

from __future__ import annotations

import asyncio
import re
import smtplib
from collections.abc import AsyncIterator
from textwrap import dedent
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Service
from store.models import Case, CaseStatus, Contact, Event, Outbox, OutboxStatus, RawMessage, RawStatus

OFFICE = "enquiries@wessexvale-pcc.gov.uk"
REF = re.compile(r"MID-\d{4}-\d{5}")


def mail(sender: str, subject: str, body: str, msgid: str, extra: str = "") -> bytes:
    head = dedent(f"""\
        From: {sender}
        To: {OFFICE}
        Subject: {subject}
        Date: Mon, 01 Jun 2026 10:00:00 +0100
        Message-ID: {msgid}
        MIME-Version: 1.0
        Content-Type: text/plain; charset="utf-8"
        """)
    return f"{head}{extra}\n{body}\n".replace("\n", "\r\n").encode()


async def deliver(port: int, data: bytes, sender: str = "someone@example.com") -> None:
    def go() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            c.sendmail(sender, [OFFICE], data)

    await asyncio.to_thread(go)


@pytest.fixture
async def service(make_cfg: Any, smtp_sink: Any, triage_model: Any, service_clock: Any) -> AsyncIterator[Service]:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
                      "channels.smtp_outbound.backoff_seconds": 0.2,
                      "digest.recipients": []})  # these tests count acknowledgements: no digest at any hour
    svc = Service(cfg, model=triage_model, clock=service_clock)
    await svc.start()
    try:
        yield svc
    finally:
        await svc.stop()


async def test_email_is_logged_and_acknowledged_with_a_reference(service: Service, smtp_sink: Any) -> None:
    await deliver(service.smtp_port, mail("Ada Example <ada@example.com>", "Street lighting",
                                          "The street lights on Elm Road have been out for a week and "
                                          "people feel unsafe walking home.", "<ada-1@example.com>"))
    (ack,) = await smtp_sink.wait_for_async(1)
    ref = REF.search(ack["Subject"]).group(0)
    assert ack["To"] == "Ada Example <ada@example.com>"
    assert ack["In-Reply-To"] == "<ada-1@example.com>"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ref in ack.get_body(("plain",)).get_content()
    for _ in range(100):  # the sink has the mail before the sender has recorded that it went
        with service.sessions() as s:
            case = s.scalar(select(Case).where(Case.reference == ref))
            if case.acknowledged_at is not None:
                break
        await asyncio.sleep(0.05)
    assert case.status == CaseStatus.open and case.acknowledged_at is not None
    assert case.acknowledge_by > case.opened_at.date()


async def test_reply_to_our_ack_joins_the_case_and_is_told_so(service: Service, smtp_sink: Any) -> None:
    await deliver(service.smtp_port, mail("Ada Example <ada@example.com>", "Noise from the pub car park",
                                          "Every weekend there is shouting in the car park until 2am.",
                                          "<ada-2@example.com>"))
    (ack,) = await smtp_sink.wait_for_async(1)
    ref = REF.search(ack["Subject"]).group(0)
    await deliver(service.smtp_port, mail("Ada Example <ada@example.com>", f"Re: {ack['Subject']}",
                                          "It happened again last night.", "<ada-3@example.com>",
                                          extra=f"In-Reply-To: {ack['Message-ID']}\n"))
    msgs = await smtp_sink.wait_for_async(2)
    second = msgs[1]
    assert ref in second["Subject"]
    assert "added it to your case" in second.get_body(("plain",)).get_content()
    with service.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


async def test_machine_mail_is_logged_but_never_answered(service: Service, smtp_sink: Any) -> None:
    await deliver(service.smtp_port, mail("Bo Example <bo@example.com>", "Automatic reply: your message",
                                          "I am away until Monday.", "<ooo-1@example.com>",
                                          extra="Auto-Submitted: auto-replied\n"))
    await deliver(service.smtp_port, mail("Cy Example <cy@example.com>", "Bins", "Fly-tipping behind the shops "
                                          "on Station Road again, mattresses and bags.", "<cy-1@example.com>"))
    msgs = await smtp_sink.wait_for_async(1)
    await asyncio.sleep(0.5)
    assert [m["To"].addresses[0].addr_spec for m in smtp_sink.messages] == ["cy@example.com"]
    with service.sessions() as s:
        statuses = set(s.scalars(select(RawMessage.status)))
        assert statuses == {RawStatus.triaged}
        assert msgs


async def test_same_message_delivered_twice_is_acknowledged_once(service: Service, smtp_sink: Any) -> None:
    data = mail("Di Example <di@example.com>", "Parking on the pavement",
                "Vans park on the pavement outside the school every morning.", "<di-1@example.com>")
    await deliver(service.smtp_port, data)
    await deliver(service.smtp_port, data)
    await smtp_sink.wait_for_async(1)
    await asyncio.sleep(0.5)
    assert len(smtp_sink.messages) == 1


async def test_outbound_relay_down_replies_wait_then_go(service: Service, smtp_sink: Any) -> None:
    smtp_sink.handler.fail_with = "421 4.3.2 service not available"
    await deliver(service.smtp_port, mail("Ed Example <ed@example.com>", "Thank you",
                                          "Thanks to the officers who helped my mother last week.",
                                          "<ed-1@example.com>"))
    for _ in range(100):
        with service.sessions() as s:
            row = s.scalar(select(Outbox).where(Outbox.kind == "ack"))
            if row is not None and row.attempts >= 1:
                break
        await asyncio.sleep(0.05)
    assert row.status == OutboxStatus.pending and smtp_sink.messages == []
    smtp_sink.handler.fail_with = None
    service.sender.wake.set()
    (ack,) = await smtp_sink.wait_for_async(1, timeout=20)
    assert ack["To"].addresses[0].addr_spec == "ed@example.com"


async def test_a_crashing_stage_shunts_the_message_and_the_service_goes_on(
        service: Service, smtp_sink: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers import classify

    real = classify.process

    def explode(triage: Any, ctx: Any) -> None:
        if "EXPLODE" in (triage.incoming.body if triage.incoming else ""):
            raise RuntimeError("bug in a stage")
        real(triage, ctx)

    monkeypatch.setattr(classify, "process", explode)
    await deliver(service.smtp_port, mail("Fa Example <fa@example.com>", "x", "EXPLODE please",
                                          "<fa-1@example.com>"))
    await deliver(service.smtp_port, mail("Gu Example <gu@example.com>", "Dog fouling",
                                          "Dog fouling all along the canal path.", "<gu-1@example.com>"))
    await smtp_sink.wait_for_async(1)
    with service.sessions() as s:
        failed = s.scalar(select(RawMessage).where(RawMessage.status == RawStatus.failed))
        assert failed is not None and "bug in a stage" in failed.error
        assert s.scalar(select(Event).where(Event.kind == "triage_failed")) is not None


async def test_a_hostile_display_name_and_a_crlf_subject_do_not_stop_an_urgent_alert(
        service: Service, smtp_sink: Any) -> None:
    from store import actions

    name = "=?utf-8?b?" + __import__("base64").b64encode(("Ж" * 120 + " \u202e\u2028").encode()).decode() + "?="
    await deliver(service.smtp_port, mail(f"{name} <spam@example.com>", "WIN \u20ac\u20ac\u20ac now",
                                          "Click here to claim your prize.", "<spam-1@example.com>"))
    (ack,) = await smtp_sink.wait_for_async(1)
    with service.sessions() as s:
        case = s.scalar(select(Case))
        actions.queue_reply(s, case, "alex", subject="About your case\r\nBcc: everyone@example.net",
                            text="We have looked into it.\n", msgid_domain="wessexvale-pcc.gov.uk",
                            now=service.clock())
        s.commit()
    await deliver(service.smtp_port, mail("Hana Example <hana@example.com>", "help",
                                          "My ex is outside my door right now shouting that he will kill me. "
                                          "I am hiding upstairs with the children.", "<hana-1@example.com>"))
    msgs = await smtp_sink.wait_for_async(4, timeout=20)
    by_to = {m["To"].addresses[0].addr_spec: m for m in msgs}
    assert "URGENT" in by_to[service.cfg.alerts.duty_addresses[0]]["Subject"]
    assert [m["Subject"] for m in msgs if "About your case" in m["Subject"]] == [
        "About your case Bcc: everyone@example.net"]
    assert all(m["Bcc"] is None for m in msgs)
    assert "Ж" in ack["To"].addresses[0].display_name


async def test_a_session_secret_that_is_not_persistent_is_warned_about_at_start(
        make_cfg: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("SIGNPOST_WEB_SECRET", raising=False)
    svc = Service(make_cfg(**{"web.enabled": True, "web.port": 0, "digest.recipients": []}))
    with caplog.at_level("WARNING", logger="bot.app"):
        await svc.start()
        await svc.stop()
    assert any("SIGNPOST_WEB_SECRET is not set" in r.getMessage() for r in caplog.records)
    monkeypatch.setenv("SIGNPOST_WEB_SECRET", "a-long-random-value-kept-in-the-environment")
    caplog.clear()
    svc = Service(make_cfg(**{"web.enabled": True, "web.port": 0, "digest.recipients": []}))
    with caplog.at_level("WARNING", logger="bot.app"):
        await svc.start()
        await svc.stop()
    assert not any("is not set" in r.getMessage() for r in caplog.records)


async def test_a_stranger_quoting_a_reference_never_receives_the_caseworkers_reply(
        service: Service, smtp_sink: Any) -> None:
    from store import actions
    from store.models import Identity, Person

    await deliver(service.smtp_port, mail("Ada Example <ada@example.com>", "Harassment by my landlord",
                                          "My landlord Mr Crane lets himself into my flat at 14 Elm Road.",
                                          "<ada-9@example.com>"))
    (ack,) = await smtp_sink.wait_for_async(1)
    ref = REF.search(ack["Subject"]).group(0)
    await deliver(service.smtp_port, mail("Nosy Parker <nosy@example.net>", f"[{ref}] what is happening?",
                                          "Tell me what you are doing about this case.", "<nosy-1@example.net>"))
    msgs = await smtp_sink.wait_for_async(2)
    theirs = msgs[1]
    text = theirs.get_body(("plain",)).get_content()
    assert theirs["To"].addresses[0].addr_spec == "nosy@example.net"
    for secret in ("Ada", "Crane", "Elm Road", "Harassment", "landlord", "respond in full"):
        assert secret not in text and secret not in theirs["Subject"], secret
    assert ref not in text  # not even the case's reference is confirmed
    with service.sessions() as s:
        case = s.scalar(select(Case).where(Case.reference == ref))
        ada = s.get(Person, case.person_id)
        assert [i.value for i in s.scalars(select(Identity).where(Identity.person_id == ada.id))] == [
            "ada@example.com"]  # the stranger's address was never added to Ada
        actions.queue_reply(s, case, "alex", subject=f"[{ref}] Your landlord", text="We have written to him.\n",
                            msgid_domain="wessexvale-pcc.gov.uk", now=service.clock())
        s.commit()
    service.sender.wake.set()
    msgs = await smtp_sink.wait_for_async(3)
    assert msgs[2]["To"].addresses[0].addr_spec == "ada@example.com"
    assert [m for m in msgs if "We have written" in m.get_body(("plain",)).get_content()] == [msgs[2]]
    with service.sessions() as s:
        case = s.scalar(select(Case).where(Case.reference == ref))
        nosy = s.scalar(select(Contact).where(Contact.sender == "nosy@example.net"))
        assert nosy.case_id == case.id and nosy.person_id != case.person_id  # a third party's contact
        actions.queue_reply(s, case, "alex", subject="Your message", text="Please write to us directly.\n",
                            msgid_domain="wessexvale-pcc.gov.uk", to_contact=nosy, now=service.clock())
        s.commit()
        event = s.scalar(select(Event).where(Event.kind == "reply_to_other_party"))
        assert event.actor == "alex" and event.detail["to"] == "nosy@example.net"
    service.sender.wake.set()
    msgs = await smtp_sink.wait_for_async(4)
    assert msgs[3]["To"].addresses[0].addr_spec == "nosy@example.net"


async def test_a_stage_that_raises_still_yields_an_acknowledgement_with_999_and_a_duty_alert(
        service: Service, smtp_sink: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers import urgency

    real = urgency.process

    def broken(triage: Any, ctx: Any) -> None:
        raise KeyError("treshold")  # the misspelt key of the issue, as a stage would meet it

    monkeypatch.setattr(urgency, "process", broken)
    await deliver(service.smtp_port, mail("Hana Example <hana@example.com>", "help",
                                          "My ex is outside my door right now shouting that he will kill me.",
                                          "<hana-2@example.com>"))
    msgs = await smtp_sink.wait_for_async(2)
    by_to = {m["To"].addresses[0].addr_spec: m for m in msgs}
    ack = by_to["hana@example.com"].get_body(("plain",)).get_content()
    assert ack.startswith("IF YOU OR ANYONE ELSE IS IN DANGER NOW, CALL 999.") and "Dear Hana Example" in ack
    alert = by_to[service.cfg.alerts.duty_addresses[0]]
    assert "Triage failed" in alert["Subject"] and "kill me" in alert.get_body(("plain",)).get_content()
    with service.sessions() as s:
        raw = s.scalar(select(RawMessage))
        assert raw.status == RawStatus.failed and "treshold" in raw.error  # marked for re-triage
    monkeypatch.setattr(urgency, "process", real)
    assert service.worker.retry_failed() == 1
    await asyncio.to_thread(service.worker.drain)
    service.sender.wake.set()
    msgs = await smtp_sink.wait_for_async(3)  # the urgent alert of the real triage
    await asyncio.sleep(0.5)
    assert [m["To"].addresses[0].addr_spec for m in smtp_sink.messages].count("hana@example.com") == 1
    with service.sessions() as s:
        assert s.scalar(select(RawMessage)).status == RawStatus.triaged
        assert s.scalar(select(Event).where(Event.kind == "reply_skipped")) is not None


def test_signpost_run_exits_with_status_1_when_a_loop_crashes_so_its_supervisor_restarts_it(
        tmp_path: Any, smtp_sink: Any) -> None:
    """systemd's Restart=on-failure (deploy/signpost.service) restarts only a process that failed: a
    crashed loop stops the service with status 1, where SIGTERM stops it with 0."""
    import sqlite3
    import time

    from workers import WorkerProcess, write_config

    db = tmp_path / "store.db"
    cfg = write_config(tmp_path / "config.yaml", f"sqlite:///{db}", smtp_sink.port)
    worker = WorkerProcess(cfg, tmp_path / "home", "w").start()
    try:
        worker.wait_ready()
        with sqlite3.connect(db) as conn:  # the store broken under it: every look for new mail fails
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("DROP TABLE raw_message")
        assert worker.proc is not None
        deadline = time.monotonic() + 60
        while worker.proc.poll() is None:
            assert time.monotonic() < deadline, worker.log()[-3000:]
            time.sleep(0.2)
        assert worker.proc.returncode == 1, worker.log()[-3000:]
        assert "loop crashed" in worker.log() and "exit status 1" in worker.log()
    finally:
        worker.stop()
