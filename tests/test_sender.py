"""Sender: outbox rows reach a real aiosmtpd sink once; a down relay makes them wait, then go."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from smtp_sink import SmtpSink
from sqlalchemy import select

from bot.errors import TemporaryFailure, Unreachable
from bot.outmail import OutgoingMail
from bot.sender import FileSinkTransport, Sender, SmtpTransport
from store.models import Case, Event, Outbox, OutboxStatus

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def add_case_and_row(sessions: Any, **row: Any) -> tuple[int, int]:
    with sessions() as s:
        case = Case(reference="MID-2026-00001", opened_at=T0, acknowledge_by=date(2026, 6, 3),
                    respond_by=date(2026, 6, 15), last_action_at=T0)
        s.add(case)
        s.flush()
        values: dict[str, Any] = dict(case_id=case.id, kind="ack", channel="email", to_address="ada@example.com",
                                      subject="[MID-2026-00001] Re: lights", text="Thank you.\n",
                                      html="<p>Thank you.</p>", headers={"Auto-Submitted": "auto-replied"},
                                      message_id="<ack-1@wessexvale-pcc.gov.uk>", not_before=T0, created_at=T0)
        values.update(row)
        out = Outbox(**values)
        s.add(out)
        s.commit()
        return case.id, out.id


async def test_row_is_sent_once_with_headers_and_marks_case_acknowledged(
        make_cfg: Any, sqlite_sessions: Any, smtp_sink: Any) -> None:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port})
    case_id, row_id = add_case_and_row(sqlite_sessions)
    sender = Sender(cfg, sqlite_sessions, SmtpTransport(cfg), clock=Clock())
    assert await sender.send_due() == 1
    assert await sender.send_due() == 0  # never twice
    (msg,) = await smtp_sink.wait_for_async(1)
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["Message-ID"] == "<ack-1@wessexvale-pcc.gov.uk>"
    assert msg.get_body(("html",)) is not None and msg.get_body(("plain",)) is not None
    with sqlite_sessions() as s:
        assert s.get(Outbox, row_id).status == OutboxStatus.sent
        assert s.get(Case, case_id).acknowledged_at == T0


async def test_relay_down_then_back_delivers_after_backoff(make_cfg: Any, sqlite_sessions: Any,
                                                           smtp_sink: Any) -> None:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
                      "channels.smtp_outbound.backoff_seconds": 30})
    _, row_id = add_case_and_row(sqlite_sessions)
    clock = Clock()
    sender = Sender(cfg, sqlite_sessions, SmtpTransport(cfg), clock=clock)
    smtp_sink.handler.fail_with = "451 4.3.0 relay busy"
    await sender.send_due()
    with sqlite_sessions() as s:
        row = s.get(Outbox, row_id)
        assert row.status == OutboxStatus.pending and row.attempts == 1
        assert row.not_before == T0 + timedelta(seconds=30)
    assert await sender.send_due() == 0  # backing off: not due yet
    smtp_sink.handler.fail_with = None
    clock.now = T0 + timedelta(seconds=31)
    assert await sender.send_due() == 1
    await smtp_sink.wait_for_async(1)
    with sqlite_sessions() as s:
        assert s.get(Outbox, row_id).status == OutboxStatus.sent


async def test_relay_not_listening_keeps_rows_pending(make_cfg: Any, sqlite_sessions: Any) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": dead_port,
                      "channels.smtp_outbound.timeout_seconds": 2})
    _, row_id = add_case_and_row(sqlite_sessions)
    await Sender(cfg, sqlite_sessions, SmtpTransport(cfg), clock=Clock()).send_due()
    with sqlite_sessions() as s:
        row = s.get(Outbox, row_id)
        assert row.status == OutboxStatus.pending and "relay unavailable" in (row.last_error or "")


async def test_permanent_refusal_marks_dead_and_alerts_duty(make_cfg: Any, sqlite_sessions: Any,
                                                            smtp_sink: Any) -> None:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port})
    _, row_id = add_case_and_row(sqlite_sessions)
    smtp_sink.handler.fail_with = "554 5.7.1 rejected"
    await Sender(cfg, sqlite_sessions, SmtpTransport(cfg), clock=Clock()).send_due()
    with sqlite_sessions() as s:
        assert s.get(Outbox, row_id).status == OutboxStatus.dead
        alerts = list(s.scalars(select(Outbox).where(Outbox.kind == "alert")))
        assert [a.to_address for a in alerts] == list(cfg.alerts.duty_addresses)
        assert s.scalar(select(Event.kind).where(Event.kind == "delivery_failed")) == "delivery_failed"


async def test_attempts_exhausted_goes_dead(make_cfg: Any, sqlite_sessions: Any) -> None:
    cfg = make_cfg(**{"channels.smtp_outbound.max_attempts": 2})

    class Flaky:
        async def send(self, msg: Any) -> None:
            raise TemporaryFailure("still down")

        async def close(self) -> None:
            pass

    _, row_id = add_case_and_row(sqlite_sessions)
    clock = Clock()
    sender = Sender(cfg, sqlite_sessions, Flaky(), clock=clock)
    await sender.send_due()
    clock.now += timedelta(hours=1)
    await sender.send_due()
    with sqlite_sessions() as s:
        assert s.get(Outbox, row_id).status == OutboxStatus.dead


async def test_blocked_telegram_user_marks_case_unreachable_without_blocking_others(
        make_cfg: Any, sqlite_sessions: Any, tmp_path: Any) -> None:
    cfg = make_cfg()

    class BlockedChat:
        sent: list[int] = []

        async def send_text(self, chat_id: int, text: str) -> list[int]:
            if chat_id == 111:
                raise Unreachable("Forbidden: bot was blocked by the user")
            self.sent.append(chat_id)
            return [1]

    case_id, _ = add_case_and_row(sqlite_sessions, channel="telegram", to_address="111",
                                  message_id="<tg-1@x>")
    with sqlite_sessions() as s:
        s.add(Outbox(kind="reply", channel="telegram", to_address="222", text="hello", not_before=T0,
                     created_at=T0, message_id="<tg-2@x>"))
        s.commit()
    chat = BlockedChat()
    await Sender(cfg, sqlite_sessions, FileSinkTransport(tmp_path), chat, clock=Clock()).send_due()
    assert chat.sent == [222]
    with sqlite_sessions() as s:
        assert s.get(Case, case_id).unreachable is True
        assert s.scalar(select(Event.kind).where(Event.kind == "unreachable")) == "unreachable"


async def test_file_sink_writes_eml(make_cfg: Any, sqlite_sessions: Any, tmp_path: Any) -> None:
    cfg = make_cfg()
    add_case_and_row(sqlite_sessions)
    await Sender(cfg, sqlite_sessions, FileSinkTransport(tmp_path / "out"), clock=Clock()).send_due()
    files = list((tmp_path / "out").glob("*.eml"))
    assert len(files) == 1 and b"Auto-Submitted: auto-replied" in files[0].read_bytes()


async def test_file_sink_writes_the_bytes_build_email_checked(make_cfg: Any, tmp_path: Any) -> None:
    """Flattened once: the sink writes the mail's SMTP bytes as they are, not a second flattening."""
    from email import message_from_bytes, policy

    from bot.outmail import build_email

    row = Outbox(kind="ack", channel="email", to_address="ada@example.com", subject="Your case MID-2026-00001",
                 text="Thank you.\n", html="<p>Thank you.</p>", headers={}, message_id="<w-1@example.org>",
                 not_before=T0, created_at=T0)
    mail = build_email(make_cfg(), row, T0)
    assert mail.wire.count(b"\r\n") > 5 and b"\n" not in mail.wire.replace(b"\r\n", b"")
    tampered = dataclasses.replace(mail, wire=mail.wire.replace(b"Thank you.", b"Thank YOU."))
    await FileSinkTransport(tmp_path).send(tampered)  # the sink writes exactly these bytes
    [written] = tmp_path.glob("*.eml")
    assert written.name == "MID-2026-00001-w-1@example.org.eml" and written.read_bytes() == tampered.wire
    back = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert "Thank YOU." in back.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def smtp_cfg(make_cfg: Any, sink: SmtpSink) -> Any:
    return make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": sink.port})


def outgoing(make_cfg: Any, text: str) -> OutgoingMail:
    from bot.outmail import build_email

    row = Outbox(kind="ack", channel="email", to_address="Ada <ada@example.com>", subject="[MID-2026-00001] Re: x",
                 text=text, html="<p>Diolch.</p>", headers={}, message_id="<s-1@example.org>",
                 not_before=T0, created_at=T0)
    return build_email(make_cfg(), row, T0)


@pytest.mark.parametrize("text", ["Thank you.\n", "Diolch yn fawr, Siân.\n"])
async def test_a_relay_offering_8bitmime_gets_the_wire_as_it_is(make_cfg: Any, smtp_sink: Any, text: str) -> None:
    mail = outgoing(make_cfg, text)
    assert mail.wire.isascii() == text.isascii()
    transport = SmtpTransport(smtp_cfg(make_cfg, smtp_sink))
    await transport.send(mail)
    await transport.close()  # the kept connection, before the sink stops (else its session task is left pending)
    (got,) = smtp_sink.handler.received
    assert got.data == mail.wire and "BODY=8BITMIME" in got.mail_options
    assert (got.mail_from, got.rcpt_tos) == (mail.sender, list(mail.recipients)) == (
        "enquiries@wessexvale-pcc.gov.uk", ["ada@example.com"])


async def test_a_7bit_relay_gets_7bit_wire_as_it_is_and_8bit_wire_reencoded(make_cfg: Any) -> None:
    ascii_mail, welsh_mail = outgoing(make_cfg, "Thank you.\n"), outgoing(make_cfg, "Diolch yn fawr, Siân.\n")
    assert b"Content-Transfer-Encoding: 8bit" in welsh_mail.wire
    sink = SmtpSink(eight_bit_mime=False).start()
    try:
        transport = SmtpTransport(smtp_cfg(make_cfg, sink))
        await transport.send(ascii_mail)
        await transport.send(welsh_mail)
        await transport.close()
        first, second = sink.wait_for(2) and sink.handler.received
    finally:
        sink.stop()
    assert first.data == ascii_mail.wire and not any(o.startswith("BODY") for o in first.mail_options)
    assert second.data.isascii() and b"8bit" not in second.data
    assert not any(o.startswith("BODY") for o in second.mail_options)
    assert (second.mail_from, second.rcpt_tos) == ("enquiries@wessexvale-pcc.gov.uk", ["ada@example.com"])
    body = second.message.get_body(("plain",))
    assert body is not None and body["Content-Transfer-Encoding"] == "base64"
    assert body.get_content() == "Diolch yn fawr, Siân.\n"
    assert second.message["Subject"] == welsh_mail.message["Subject"] == "[MID-2026-00001] Re: x"


class Collect:
    """A mail transport that keeps the message each mail gives (parsed from the wire the relay
    would get, when it was written directly)."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send(self, mail: OutgoingMail) -> None:
        assert mail.recipients and mail.sender and mail.wire.endswith(b"\r\n")
        self.sent.append(mail.message)

    async def close(self) -> None:
        pass


def add_rows(sessions: Any, *rows: dict[str, Any]) -> list[int]:
    ids = []
    with sessions() as s:
        for n, values in enumerate(rows):
            base: dict[str, Any] = dict(kind="ack", channel="email", to_address="ada@example.com", subject="Hello",
                                        text="Thank you.\n", headers={}, message_id=f"<row-{n}@example.org>",
                                        not_before=T0, created_at=T0)
            base.update(values)
            row = Outbox(**base)
            s.add(row)
            s.flush()
            ids.append(row.id)
        s.commit()
    return ids


async def test_a_crlf_subject_and_a_hostile_display_name_go_out_on_single_clean_lines(
        make_cfg: Any, sqlite_sessions: Any) -> None:
    add_rows(sqlite_sessions,
             dict(kind="reply", subject="Your case\r\nBcc: everyone@example.net",
                  to_name="\u202e" + "Ж" * 300 + "\u2028x"),
             dict(subject="ok", to_name='Ann "the boss" O\'Neil (home) <fake@evil.example>',
                  headers={"References": "<a@b> junk\r\nBcc: x@y <c@d>", "X-Evil\r\nBcc": "x@y"}))
    out = Collect()
    assert await Sender(make_cfg(), sqlite_sessions, out, clock=Clock()).send_due() == 2
    first, second = out.sent
    assert first["Subject"] == "Your case Bcc: everyone@example.net" and first["Bcc"] is None
    assert first["To"].addresses[0].addr_spec == "ada@example.com"
    assert second["To"].addresses[0].addr_spec == "ada@example.com"
    assert second["References"] == "<a@b> <c@d>" and second["Bcc"] is None


async def test_a_row_that_cannot_be_sent_fails_alone_with_an_event_and_a_duty_alert(
        make_cfg: Any, sqlite_sessions: Any) -> None:
    cfg = make_cfg()
    bad, good = add_rows(sqlite_sessions, dict(to_address="not an address"), dict(to_address="bo@example.com"))
    out = Collect()
    await Sender(cfg, sqlite_sessions, out, clock=Clock()).send_due()
    with sqlite_sessions() as s:
        row = s.get(Outbox, bad)
        assert row.status == OutboxStatus.failed and "not a deliverable address" in row.last_error
        assert s.get(Outbox, good).status == OutboxStatus.sent
        event = s.scalar(select(Event).where(Event.kind == "outbox_failed"))
        assert event.detail["outbox"] == bad
        alert = s.scalar(select(Outbox).where(Outbox.kind == "alert"))
        assert alert.to_address in cfg.alerts.duty_addresses and "not an address" in alert.text


async def test_a_bug_in_one_row_does_not_stop_the_next(make_cfg: Any, sqlite_sessions: Any) -> None:
    first, second = add_rows(sqlite_sessions, dict(channel="telegram", to_address="111"),
                             dict(channel="telegram", to_address="222"))

    class Buggy:
        sent: list[int] = []

        async def send_text(self, chat_id: int, text: str) -> list[int]:
            if chat_id == 111:
                raise KeyError("a bug in the transport")
            self.sent.append(chat_id)
            return [1]

    chat = Buggy()
    await Sender(make_cfg(), sqlite_sessions, Collect(), chat, clock=Clock()).send_due()
    assert chat.sent == [222]
    with sqlite_sessions() as s:
        assert s.get(Outbox, first).status == OutboxStatus.failed
        assert "KeyError" in s.get(Outbox, first).last_error


async def test_alerts_go_first_and_an_alert_that_cannot_be_sent_goes_out_plain(
        make_cfg: Any, sqlite_sessions: Any) -> None:
    cfg = make_cfg()
    add_rows(sqlite_sessions, dict(to_address="cy@example.com"),
             dict(kind="alert", to_address="duty@@misconfigured", subject="URGENT MID-2026-00009"),
             dict(kind="alert", to_address=cfg.alerts.duty_addresses[0], subject="URGENT MID-2026-00010"))
    out = Collect()
    sender = Sender(cfg, sqlite_sessions, out, clock=Clock())
    await sender.send_due()
    assert [m["Subject"] for m in out.sent][:2] == ["URGENT MID-2026-00010", "Hello"]
    await sender.send_due()  # the plain fallback written for the alert that failed
    fallback = out.sent[-1]
    assert fallback["To"].addresses[0].addr_spec == cfg.alerts.duty_addresses[0]
    assert "could not be sent" in fallback["Subject"] and "at risk" in fallback.get_content()


async def test_one_pass_sends_a_backlog_larger_than_a_batch_alerts_first(make_cfg: Any, sqlite_sessions: Any) -> None:
    from bot.sender import CLAIM_BATCH

    n = 2 * CLAIM_BATCH + 3
    ids = add_rows(sqlite_sessions, *[dict(subject=f"ack {k}") for k in range(n - 1)],
                   dict(kind="alert", subject="urgent", to_address="duty@example.org"))
    out = Collect()
    assert await Sender(make_cfg(), sqlite_sessions, out, clock=Clock()).send_due() == n
    assert len(out.sent) == n
    with sqlite_sessions() as s:
        rows = {r.id: r for r in s.scalars(select(Outbox))}
        assert {(r.status, r.claimed_by) for r in rows.values()} == {(OutboxStatus.sent, None)}
        # The alert, queued last, went in the first batch and before every ack of it.
        assert rows[ids[-1]].sent_at == T0
    assert str(out.sent[0]["Subject"]) == "urgent"


class SlowRelay(Collect):
    """Each send takes `step` of the sender's clock."""

    def __init__(self, clock: Clock, step: timedelta) -> None:
        super().__init__()
        self.clock, self.step = clock, step

    async def send(self, msg: Any) -> None:
        self.clock.now += self.step
        await super().send(msg)


async def test_rows_still_leased_when_half_the_lease_has_gone_are_given_back_not_sent_late(
        make_cfg: Any, sqlite_sessions: Any) -> None:
    cfg = make_cfg(**{"store.outbox_lease_seconds": 100})
    add_rows(sqlite_sessions, *[dict(subject=f"ack {k}") for k in range(5)])
    clock = Clock()
    relay = SlowRelay(clock, timedelta(seconds=30))
    slow = Sender(cfg, sqlite_sessions, relay, clock=clock)
    assert await slow.send_due() == 2  # 30 s, 60 s: then half the 100 s lease has gone
    with sqlite_sessions() as s:
        rows = list(s.scalars(select(Outbox).order_by(Outbox.id)))
        assert [r.status for r in rows] == [OutboxStatus.sent] * 2 + [OutboxStatus.pending] * 3
        assert {(r.claimed_by, r.lease_until) for r in rows[2:]} == {(None, None)}  # free for any sender now
    other = Collect()
    assert await Sender(cfg, sqlite_sessions, other, clock=clock).send_due() == 3
    assert len(relay.sent) + len(other.sent) == 5


# ---- one relay connection for many messages ----

def relay_cfg(make_cfg: Any, sink: SmtpSink) -> Any:
    return make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": sink.port})


async def test_a_pass_sends_its_messages_over_one_relay_connection_then_closes_it(
        make_cfg: Any, sqlite_sessions: Any, smtp_sink: SmtpSink) -> None:
    transport = SmtpTransport(relay_cfg(make_cfg, smtp_sink))
    add_rows(sqlite_sessions, *({"to_address": f"p{n}@example.com"} for n in range(5)))
    assert await Sender(make_cfg(), sqlite_sessions, transport, clock=Clock()).send_due() == 5
    await smtp_sink.wait_for_async(5)
    assert len({r.connection for r in smtp_sink.handler.received}) == 1  # connect, EHLO, AUTH once for five
    assert transport._client is None  # closed (QUIT) at the end of the pass
    add_rows(sqlite_sessions, {"message_id": "<later@example.org>"})
    assert await Sender(make_cfg(), sqlite_sessions, transport, clock=Clock()).send_due() == 1
    await smtp_sink.wait_for_async(6)
    assert len({r.connection for r in smtp_sink.handler.received}) == 2


async def test_run_keeps_one_relay_connection_for_mail_queued_a_message_at_a_time_and_closes_it_when_quiet(
        make_cfg: Any, sqlite_sessions: Any, smtp_sink: SmtpSink) -> None:
    """Live mail trickles in: each wake-up finds one row. The connection outlives the wake-ups
    (a relay such as Exchange Online limits new connections) and goes once the sender is idle."""
    transport = SmtpTransport(relay_cfg(make_cfg, smtp_sink))
    sender = Sender(make_cfg(), sqlite_sessions, transport, clock=Clock())
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop, idle_seconds=0.4))
    try:
        for n in range(3):
            add_rows(sqlite_sessions, {"to_address": f"p{n}@example.com", "message_id": f"<trickle-{n}@example.org>"})
            sender.wake.set()  # as the worker does after each commit
            await smtp_sink.wait_for_async(n + 1)
        assert len({r.connection for r in smtp_sink.handler.received}) == 1
        for _ in range(100):  # quiet for idle_seconds: QUIT
            if transport._client is None:
                break
            await asyncio.sleep(0.05)
        assert transport._client is None
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    with sqlite_sessions() as s:
        assert set(s.scalars(select(Outbox.status))) == {OutboxStatus.sent}


async def test_a_connection_is_used_for_at_most_per_connection_messages(
        make_cfg: Any, sqlite_sessions: Any, smtp_sink: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SmtpTransport, "PER_CONNECTION", 2)
    add_rows(sqlite_sessions, *({"to_address": f"p{n}@example.com"} for n in range(5)))
    transport = SmtpTransport(relay_cfg(make_cfg, smtp_sink))
    assert await Sender(make_cfg(), sqlite_sessions, transport, clock=Clock()).send_due() == 5
    received = smtp_sink.handler.received
    await smtp_sink.wait_for_async(5)
    assert [len([r for r in received if r.connection == c]) for c in dict.fromkeys(r.connection for r in received)] \
        == [2, 2, 1]


async def test_a_kept_connection_the_relay_dropped_is_replaced_and_the_message_sent_once(
        make_cfg: Any, sqlite_sessions: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sink = SmtpSink(idle_timeout=0.3).start()
    try:
        transport = SmtpTransport(relay_cfg(make_cfg, sink))
        mail = [OutgoingMail.of(m) for m in (message_to("a@example.com"), message_to("b@example.com"))]
        await transport.send(mail[0])
        await asyncio.sleep(0.8)  # the relay drops the idle client...
        # ...and the client has not noticed yet (as when the FIN is still in flight): it tries the kept one
        stale, real = transport._client, type(transport._client).is_connected
        monkeypatch.setattr(type(stale), "is_connected", property(lambda c: c is stale or real.fget(c)))
        await transport.send(mail[1])
        await transport.close()
        received = await sink.wait_for_async(2)
    finally:
        sink.stop()
    assert [m["To"] for m in received] == ["a@example.com", "b@example.com"]
    assert len({r.connection for r in sink.handler.received}) == 2


async def test_a_failed_send_closes_the_connection_so_the_next_starts_afresh(
        make_cfg: Any, sqlite_sessions: Any, smtp_sink: SmtpSink) -> None:
    transport = SmtpTransport(relay_cfg(make_cfg, smtp_sink))
    smtp_sink.handler.fail_with = "451 4.3.0 relay busy"
    with pytest.raises(TemporaryFailure, match="451"):
        await transport.send(OutgoingMail.of(message_to("a@example.com")))
    assert transport._client is None
    smtp_sink.handler.fail_with = None
    await transport.send(OutgoingMail.of(message_to("a@example.com")))
    await transport.close()
    assert len(await smtp_sink.wait_for_async(1)) == 1


def message_to(address: str) -> Any:
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "enquiries@wessexvale-pcc.gov.uk", address, "Hello"
    m["Message-ID"] = f"<{address}@wessexvale-pcc.gov.uk>"
    m.set_content("Thank you.\n")
    return m


async def test_sends_at_the_same_time_take_turns_on_the_one_connection(
        make_cfg: Any, smtp_sink: SmtpSink) -> None:
    transport = SmtpTransport(relay_cfg(make_cfg, smtp_sink))
    mails = [OutgoingMail.of(message_to(f"p{n}@example.com")) for n in range(4)]
    await asyncio.gather(*(transport.send(m) for m in mails))
    await transport.close()
    received = await smtp_sink.wait_for_async(4)
    assert sorted(m["To"] for m in received) == [f"p{n}@example.com" for n in range(4)]
    assert len({r.connection for r in smtp_sink.handler.received}) == 1
