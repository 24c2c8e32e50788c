"""The IMAP channel against a real Dovecot on loopback: store first, then mark read; watermark; IDLE."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import pytest
import yaml
from dovecot import DovecotServer, Mailbox
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.imap_poll import ImapPoller
from bot.intake import Accepted, Intake
from bot.log import redact
from bot.shipped import default_config
from store.models import (
    Case,
    ChannelState,
    Contact,
    Direction,
    Event,
    Outbox,
    OutboxStatus,
    RawMessage,
    RawStatus,
)

PW_ENV = "SIGNPOST_TEST_IMAP_PASSWORD"
SEEN = b"\\Seen"
# Short, different matters, so that 30 of them are 30 separate cases rather than a campaign.
TOPICS = ("Parking on the verge", "Street lights out", "Speeding past the school", "Noise from the car park",
          "Graffiti on the bus shelter", "Bike stolen from the station")


def make_mail(n: int, subject: str = "Parking on the verge", msgid: str | None = None) -> bytes:
    """A small fictional contact from a resident."""
    m = EmailMessage()
    m["From"] = f"Resident {n} <resident{n}@example.com>"
    m["To"] = "enquiries@wessexvale-pcc.gov.uk"
    m["Subject"] = f"{subject} ({n})"
    m["Date"] = format_datetime(datetime(2026, 6, 1, 10, n % 60).astimezone())
    m["Message-ID"] = msgid or make_msgid(f"r{n}", domain="example.com")
    m.set_content(f"Vans have been parked on the grass verge outside number {n} for a fortnight.\n")
    return m.as_bytes().replace(b"\n", b"\r\n")


@pytest.fixture
def poller_for(
    make_cfg: Any, sqlite_sessions: sessionmaker[Session], mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., ImapPoller]:
    """`poller_for(folder=..., idle=..., intake=...)` -> an ImapPoller on the test's Dovecot user."""
    monkeypatch.setenv(PW_ENV, mailbox.password)

    def build(intake: Intake | None = None, **imap: Any) -> ImapPoller:
        keys = {"enabled": True, "host": mailbox.host, "port": mailbox.port, "tls": "none",
                "username": mailbox.username, "password_env": PW_ENV, "poll_seconds": 30, "idle": True}
        keys.update(imap)
        cfg = make_cfg(**{f"channels.imap.{k}": v for k, v in keys.items()})
        return ImapPoller(cfg, intake or Intake(sqlite_sessions), sqlite_sessions, backoff_initial=0.1)

    return build


def raws(sessions: sessionmaker[Session]) -> list[RawMessage]:
    with sessions() as s:
        return list(s.scalars(select(RawMessage).order_by(RawMessage.id)))


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> float:
    """Wait until `check()` holds; returns the seconds it took."""
    start = time.monotonic()
    while not await asyncio.to_thread(check):
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def test_messages_are_stored_once_then_marked_seen(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    mails = [make_mail(n) for n in range(1, 4)]
    uids = [mailbox.deliver(m) for m in mails]
    uv = mailbox.uidvalidity()
    poller = poller_for()

    assert await poller.poll_once() == 3
    stored = raws(sqlite_sessions)
    assert [r.external_id for r in stored] == [f"{uv}:{u}" for u in uids]
    assert all(r.channel == "imap" and r.status == RawStatus.new for r in stored)
    assert [r.raw for r in stored] == mails  # byte for byte
    assert stored[0].received_at.tzinfo is not None
    assert all(SEEN in flags for flags in mailbox.flags().values())
    assert poller.last_uid() == uids[-1]

    # A second run (a new poller, as after a restart) finds nothing new.
    assert await poller_for().poll_once() == 0
    assert len(raws(sqlite_sessions)) == 3


async def test_message_is_unread_while_it_is_being_stored(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    flags_during_accept: list[set[bytes]] = []

    class Watching(Intake):
        def accept(self, *args: Any, **kw: Any) -> Accepted:
            flags_during_accept.append(mailbox.flags()[1])
            return super().accept(*args, **kw)

    mailbox.deliver(make_mail(1))
    await poller_for(intake=Watching(sqlite_sessions)).poll_once()
    assert flags_during_accept and SEEN not in flags_during_accept[0]  # fetched with BODY.PEEK[]
    assert SEEN in mailbox.flags()[1]


class FailingOnce(Intake):
    """The store raises for chosen UIDs the first time they are offered (e.g. a locked database)."""

    def __init__(self, sessions: sessionmaker[Session], fail_uids: set[int]) -> None:
        super().__init__(sessions)
        self.fail_uids = set(fail_uids)

    def accept(self, channel: str, external_id: str, *args: Any, **kw: Any) -> Accepted:
        uid = int(external_id.split(":")[1])
        if uid in self.fail_uids:
            self.fail_uids.discard(uid)
            raise OperationalError("INSERT INTO raw_message", {}, Exception("database is locked"))
        return super().accept(channel, external_id, *args, **kw)


async def test_message_that_fails_to_store_stays_unread_and_is_retried(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    for n in range(1, 4):
        mailbox.deliver(make_mail(n))
    poller = poller_for(intake=FailingOnce(sqlite_sessions, {2}))

    with pytest.raises(OperationalError):
        await poller.poll_once()
    flags = mailbox.flags()
    assert SEEN in flags[1] and SEEN not in flags[2] and SEEN not in flags[3]
    assert len(raws(sqlite_sessions)) == 1
    assert poller.last_uid() == 1

    assert await poller.poll_once() == 2  # the next poll picks up where it failed
    assert all(SEEN in f for f in mailbox.flags().values())
    assert len(raws(sqlite_sessions)) == 3


async def test_run_survives_a_store_failure_and_retries(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailbox.deliver(make_mail(1))
    poller = poller_for(intake=FailingOnce(sqlite_sessions, {1}))
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        await eventually(lambda: len(raws(sqlite_sessions)) == 1)
        await eventually(lambda: SEEN in mailbox.flags()[1])
    finally:
        stop.set()
        await asyncio.wait_for(task, 3)
    assert "poll failed" in caplog.text


async def test_unread_message_below_the_watermark_that_was_never_stored_is_fetched(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    uids = [mailbox.deliver(make_mail(n)) for n in (1, 2)]
    uv = mailbox.uidvalidity()
    # As if an earlier run advanced the watermark but lost these rows (restored backup).
    key = f"imap:{mailbox.username}@127.0.0.1/INBOX"
    with sqlite_sessions() as s:
        s.add_all([ChannelState(key=f"{key}:uidvalidity", value=str(uv)),
                   ChannelState(key=f"{key}:last_uid", value=str(uids[-1]))])
        s.commit()
    poller = poller_for()
    assert await poller.poll_once() == 2
    # A stored message that staff mark unread again is left alone.
    with mailbox.client() as c:
        c.select_folder("INBOX")
        c.remove_flags([uids[0]], [SEEN])
    assert await poller.poll_once() == 0
    assert SEEN not in mailbox.flags()[uids[0]]


async def test_uidvalidity_change_resets_the_watermark_without_duplicates(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = make_mail(1, msgid="<uv-first@example.com>")
    for raw in (first, make_mail(2), make_mail(3)):
        mailbox.deliver(raw, folder="Intake")
    old_uv = mailbox.uidvalidity("Intake")
    poller = poller_for(folder="Intake")
    assert await poller.poll_once() == 3

    mailbox.recreate("Intake")  # new UIDVALIDITY; UIDs start again at 1
    new_uv = mailbox.uidvalidity("Intake")
    assert new_uv != old_uv
    # Restored into the new folder: the same first message, then a new one someone already read
    # (UID 2, below the old watermark of 3: only a reset watermark finds it).
    mailbox.deliver(first, folder="Intake")
    mailbox.deliver(make_mail(4), folder="Intake", flags=(SEEN,))
    with caplog.at_level(logging.WARNING):
        await poller.poll_once()

    stored = raws(sqlite_sessions)
    assert [r.external_id for r in stored][3:] == [f"{new_uv}:1", f"{new_uv}:2"]
    assert [r.status for r in stored][3:] == [RawStatus.duplicate, RawStatus.new]
    assert stored[3].duplicate_of == stored[0].id  # same Message-ID and bytes: not triaged twice
    assert "UIDVALIDITY changed" in caplog.text
    with sqlite_sessions() as s:
        ev = s.scalar(select(Event).where(Event.kind == "imap_uidvalidity_changed"))
        assert ev is not None and ev.detail == {"folder": "Intake", "old": old_uv, "new": new_uv}
    assert poller.last_uid() == 2


async def test_processed_folder_receives_stored_messages(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    mailbox.deliver(make_mail(1))
    assert await poller_for(processed_folder="Processed").poll_once() == 1
    assert mailbox.flags() == {}
    assert [SEEN in f for f in mailbox.flags("Processed").values()] == [True]


async def test_idle_picks_up_a_message_within_a_second(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    poller = poller_for(poll_seconds=60, idle=True)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        # The first (empty) batch records UIDVALIDITY; after it the poller is idling.
        await eventually(lambda: poller._get_state("uidvalidity") is not None)
        await asyncio.sleep(0.3)
        await asyncio.to_thread(mailbox.deliver, make_mail(1))
        took = await eventually(lambda: len(raws(sqlite_sessions)) == 1, timeout=5)
        assert took < 1.5
        await eventually(lambda: SEEN in mailbox.flags()[1])
    finally:
        started = time.monotonic()
        stop.set()
        await asyncio.wait_for(task, 3)
    assert time.monotonic() - started < 1.5  # stop is noticed between IDLE slices


async def test_without_idle_it_polls_every_poll_seconds(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    poller = poller_for(poll_seconds=0.2, idle=False)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        await eventually(lambda: poller._get_state("uidvalidity") is not None)
        for n in (1, 2):
            await asyncio.to_thread(mailbox.deliver, make_mail(n))
        await eventually(lambda: len(raws(sqlite_sessions)) == 2, timeout=3)
    finally:
        stop.set()
        await asyncio.wait_for(task, 2)


async def test_reconnects_when_the_server_drops_the_connection(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, dovecot_server: DovecotServer,
    sqlite_sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture,
) -> None:
    poller = poller_for(poll_seconds=60, idle=True)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        await eventually(lambda: poller._get_state("uidvalidity") is not None)
        await asyncio.sleep(0.3)
        await asyncio.to_thread(dovecot_server.kick, mailbox)
        await asyncio.to_thread(mailbox.deliver, make_mail(1))
        await eventually(lambda: len(raws(sqlite_sessions)) == 1, timeout=5)
    finally:
        stop.set()
        await asyncio.wait_for(task, 3)
    assert not task.cancelled() and task.exception() is None
    assert "retrying" in caplog.text


async def test_unreachable_server_is_retried_quietly_and_stop_is_prompt(
    poller_for: Callable[..., ImapPoller], caplog: pytest.LogCaptureFixture
) -> None:
    from dovecot import free_port

    poller = poller_for(port=free_port())  # nothing listens there
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    await asyncio.sleep(0.5)
    assert not task.done()
    stop.set()
    await asyncio.wait_for(task, 1.5)
    assert caplog.text.count("ConnectionRefusedError") >= 2  # backed off and tried again


async def test_missing_password_turns_the_channel_off(
    poller_for: Callable[..., ImapPoller], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    poller = poller_for()
    monkeypatch.delenv(PW_ENV)
    await asyncio.wait_for(poller.run(asyncio.Event()), 1)
    assert f"{PW_ENV} is empty" in caplog.text


def test_addresses_are_redacted_in_log_text() -> None:
    assert redact("imap caseworker.one@office.example.org@127.0.0.1/INBOX: login failed") == (
        "imap c***@office.example.org@127.0.0.1/INBOX: login failed"
    )


# ---- End to end: `signpost run` as a subprocess, IMAP in, acknowledgements out to an SMTP sink ----

REF = re.compile(r"MID-\d{4}-\d{5}")


class SignpostProcess:
    """`signpost run --config FILE` with IMAP on the test's Dovecot user and replies to the sink."""

    def __init__(self, tmp_path: Path, mailbox: Mailbox, sink_port: int) -> None:
        data = yaml.safe_load(default_config().read_text(encoding="utf-8"))
        ch = data["channels"]
        ch["imap"].update(enabled=True, host=mailbox.host, port=mailbox.port, tls="none",
                          username=mailbox.username, password_env=PW_ENV, poll_seconds=2, idle=True)
        ch["smtp_intake"].update(enabled=False, port=0)
        ch["smtp_outbound"].update(enabled=True, host="127.0.0.1", port=sink_port, tls="none",
                                   backoff_seconds=0.2, timeout_seconds=5)
        ch["telegram"]["enabled"] = False
        data["web"]["enabled"] = False
        data["digest"]["recipients"] = []  # these tests count acknowledgements: no digest at any hour
        self.db = tmp_path / "signpost.db"
        data["store"]["url"] = f"sqlite:///{self.db}"
        self.config = tmp_path / "signpost.yaml"
        self.config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        self.log = tmp_path / "signpost.log"
        self.env = {**os.environ, PW_ENV: mailbox.password}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> None:
        """Start and wait until it says it is running (store migrated, channels up)."""
        signpost = Path(sys.executable).with_name("signpost")
        seen = self.log.read_text(errors="replace").count("signpost running") if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(signpost), "run", "--config", str(self.config),
                                          "--home", str(self.db.parent)],
                                         stdout=out, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + timeout
        while self.log.read_text(errors="replace").count("signpost running") == seen:
            self.assert_running()
            assert time.monotonic() < deadline, f"signpost did not start; log:\n{self.tail()}"
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(5)

    def stop(self) -> int:
        """SIGTERM, as a service manager would; returns the exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired as exc:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"signpost ignored SIGTERM; log:\n{self.tail()}") from exc
        return int(self.proc.returncode)

    async def wait_acks(self, sink: Any, originals: int, timeout: float = 60) -> Counter[str]:
        """Wait until `originals` distinct messages are acknowledged; fail at once if signpost died."""
        deadline = time.monotonic() + timeout
        while len(acks := acks_by_original(sink)) < originals:
            self.assert_running()
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(acks)} of {originals} acknowledged; log:\n{self.tail()}")
            await asyncio.sleep(0.1)
        return acks

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def assert_running(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, f"signpost exited; log:\n{self.tail()}"

    def query(self, stmt: Any) -> list[Any]:
        engine = create_engine(f"sqlite:///{self.db}")
        try:
            with Session(engine) as s:
                return list(s.execute(stmt).all())
        finally:
            engine.dispose()


@pytest.fixture
def service(tmp_path: Path, mailbox: Mailbox, smtp_sink: Any) -> Iterator[SignpostProcess]:
    proc = SignpostProcess(tmp_path, mailbox, smtp_sink.port)
    yield proc
    if proc.proc is not None and proc.proc.poll() is None:
        proc.proc.kill()
        proc.proc.wait()


def acks_by_original(sink: Any) -> Counter[str]:
    """How many distinct acknowledgements (by Message-ID) each original got, read from In-Reply-To."""
    distinct = {(str(m["In-Reply-To"]), str(m["Message-ID"])) for m in sink.messages if m["In-Reply-To"]}
    return Counter(original for original, _ in distinct)


def cases_by_message_id(service: SignpostProcess) -> dict[str, list[str]]:
    rows = service.query(
        select(Contact.message_id, Case.reference).join(Case, Contact.case_id == Case.id)
        .where(Contact.direction == Direction.inbound)
    )
    out: dict[str, list[str]] = {}
    for msgid, ref in rows:
        out.setdefault(msgid, []).append(ref)
    return out


async def test_service_acknowledges_and_logs_mail_that_arrives_while_it_runs(
    service: SignpostProcess, mailbox: Mailbox, smtp_sink: Any
) -> None:
    service.start()
    mails = {f"<live-{n}@example.com>": make_mail(n, msgid=f"<live-{n}@example.com>") for n in (1, 2)}
    for raw in mails.values():
        await asyncio.to_thread(mailbox.deliver, raw)
    await service.wait_acks(smtp_sink, 2)
    cases = cases_by_message_id(service)
    for ack in smtp_sink.messages:
        original = str(ack["In-Reply-To"])
        assert original in mails
        ref = REF.search(str(ack["Subject"]))
        assert ref, ack["Subject"]
        assert cases[original] == [ref.group(0)]  # logged: one case, the one the ack quotes
        assert ack["Auto-Submitted"] == "auto-replied"
    assert all(SEEN in f for f in mailbox.flags().values())
    assert service.stop() == 0


async def test_service_picks_up_mail_that_arrived_while_it_was_stopped(
    service: SignpostProcess, mailbox: Mailbox, smtp_sink: Any
) -> None:
    service.start()
    await asyncio.to_thread(mailbox.deliver, make_mail(1, msgid="<before-stop@example.com>"))
    await service.wait_acks(smtp_sink, 1)
    assert service.stop() == 0

    offline = [f"<offline-{n}@example.com>" for n in range(2, 5)]
    for n, msgid in enumerate(offline, start=2):
        await asyncio.to_thread(mailbox.deliver, make_mail(n, msgid=msgid))
    service.start()
    acks = await service.wait_acks(smtp_sink, 4)
    assert acks == Counter({"<before-stop@example.com>": 1, **{m: 1 for m in offline}})
    assert sorted(cases_by_message_id(service)) == sorted(["<before-stop@example.com>", *offline])
    assert service.stop() == 0


async def test_sigkill_mid_batch_then_restart_gives_each_message_one_case_and_one_ack(
    service: SignpostProcess, mailbox: Mailbox, smtp_sink: Any
) -> None:
    msgids = [f"<batch-{n}@example.com>" for n in range(1, 31)]
    for n, msgid in enumerate(msgids, start=1):
        mailbox.deliver(make_mail(n, subject=TOPICS[n % len(TOPICS)], msgid=msgid))
    # First kill: while the IMAP batch is being stored.
    service.start()
    stored = select(func.count()).select_from(RawMessage)
    while service.query(stored)[0][0] < 3:
        service.assert_running()
        await asyncio.sleep(0.01)
    service.kill()
    print(f"first kill: {service.query(stored)[0][0]} of {len(msgids)} stored")
    # Second kill: after the first few acknowledgements, with triage and sending under way.
    service.start()
    await service.wait_acks(smtp_sink, 3)
    service.kill()
    print(f"second kill: {len(smtp_sink.messages)} acks sent")
    assert len(smtp_sink.messages) < len(msgids), "the kill came too late to interrupt anything"

    service.start()
    await service.wait_acks(smtp_sink, len(msgids))
    deadline = time.monotonic() + 30
    # Let anything still queued go out before counting, so a duplicate would show.
    pending = select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.pending)
    while service.query(pending)[0][0]:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    assert service.stop() == 0

    # One acknowledgement each: one distinct ack (by its Message-ID) per original message.
    acks = acks_by_original(smtp_sink)
    assert sorted(acks) == sorted(msgids)
    assert {m: c for m, c in acks.items() if c != 1} == {}
    # SMTP is at-least-once (RFC 5321 s6.1): a kill between the relay's 250 and the commit of
    # "sent" re-sends that one message after the restart, with the same Message-ID, so mail
    # clients show it once. The sender sends one at a time: at most one can be in flight.
    assert len(smtp_sink.messages) - len(msgids) <= 1
    print(f"{len(smtp_sink.messages)} acks for {len(msgids)} messages")
    cases = cases_by_message_id(service)
    assert {m: len(cases.get(m, [])) for m in msgids} == {m: 1 for m in msgids}
    per_msgid = select(RawMessage.message_id_header, func.count()).group_by(RawMessage.message_id_header)
    assert dict(service.query(per_msgid)) == {m: 1 for m in msgids}
    assert all(SEEN in f for f in mailbox.flags().values())


async def test_mail_arriving_during_a_batch_is_not_left_waiting_for_the_idle_timeout(
    poller_for: Callable[..., ImapPoller], mailbox: Mailbox, sqlite_sessions: sessionmaker[Session]
) -> None:
    class DeliverDuring(Intake):
        """Another message lands while the first is being stored (after the batch's SEARCH)."""

        def accept(self, channel: str, external_id: str, *args: Any, **kw: Any) -> Accepted:
            if external_id.endswith(":1"):
                mailbox.deliver(make_mail(2))
            return super().accept(channel, external_id, *args, **kw)

    mailbox.deliver(make_mail(1))
    poller = poller_for(intake=DeliverDuring(sqlite_sessions), poll_seconds=30, idle=True)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop))
    try:
        assert await eventually(lambda: len(raws(sqlite_sessions)) == 2, timeout=5) < 2
    finally:
        stop.set()
        await asyncio.wait_for(task, 3)
