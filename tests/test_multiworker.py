"""Two real `signpost run` processes on one fresh PostgreSQL schema, fed over SMTP to both intakes,
one killed with SIGKILL mid-way and restarted; two started together on an empty database; and two
given what they race over in real mail (one writer's letters a moment apart, a campaign flood)."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from workers import Deliverer, WorkerProcess, citizen_mail, deliver_in_thread, pg_schema, write_config

from bot.deadlines import WorkingCalendar
from store.models import Contact, Decision, DigestRun, Outbox, OutboxStatus, RawMessage, RawStatus

DIGEST_TO = "manager@wessexvale-pcc.gov.uk"
TZ = "Europe/London"


def acks(sink: Any, senders: set[str]) -> list[Any]:
    return [m for m in sink.messages if m["To"].addresses[0].addr_spec in senders]


def wait_for(cond: Any, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def pending_acks(engine: Any) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Outbox)
                            .where(Outbox.kind == "ack", Outbox.status != OutboxStatus.sent)) or 0)


def test_two_workers_one_killed_mid_way_every_message_stored_decided_and_acknowledged_once(
        tmp_path: Path, smtp_sink: Any) -> None:
    run, total = uuid.uuid4().hex[:6], 300
    mails = [citizen_mail(i, run) for i in range(total)]
    senders, msgids = {m[0] for m in mails}, {m[1] for m in mails}
    with pg_schema() as (url, engine):
        cfg = write_config(tmp_path / "config.yaml", url, smtp_sink.port, **{
            "digest.recipients": [DIGEST_TO], "digest.time": "00:00", "office.timezone": TZ})
        a = WorkerProcess(cfg, tmp_path / "a", "a").start()
        b = WorkerProcess(cfg, tmp_path / "b", "b").start()
        a.wait_ready()
        b.wait_ready()
        deliverer = Deliverer([a, b])
        threads = deliver_in_thread(deliverer, mails, threads=4)
        wait_for(lambda: len(acks(smtp_sink, senders)) >= total // 3, "a third of the acknowledgements")
        a.kill()  # mid-way: it holds raw rows in triage and outbox rows being sent
        a.start()
        a.wait_ready()
        for t in threads:
            t.join(180)
        assert not threads[0].errors  # type: ignore[attr-defined]
        wait_for(lambda: len({m["Message-ID"].strip() for m in acks(smtp_sink, senders)}) >= total,
                 "an acknowledgement of every message")
        # A row the killed worker handed to the relay but had not marked sent is already counted
        # above; it is sent again (and marked) only once its lease has run out.
        wait_for(lambda: not pending_acks(engine), "every acknowledgement row marked sent")
        time.sleep(2)  # anything sent twice would arrive now
        for w in (a, b):
            w.stop()
        got = acks(smtp_sink, senders)
        ids = [m["Message-ID"].strip() for m in got]
        with Session(engine) as s:
            raws = list(s.scalars(select(RawMessage)))
            assert len(raws) == total and {r.status for r in raws} == {RawStatus.triaged}
            assert s.scalar(select(func.count()).select_from(Contact).where(Contact.raw_id.is_not(None))) == total
            assert s.scalar(select(func.count()).select_from(Decision)) == total
            ack_rows = list(s.scalars(select(Outbox).where(Outbox.kind == "ack")))
            assert len(ack_rows) == total and {r.status for r in ack_rows} == {OutboxStatus.sent}
            assert set(ids) == {r.message_id for r in ack_rows}
            digests_run = s.scalar(select(func.count()).select_from(DigestRun))
        assert len(set(ids)) == total  # one distinct Message-ID per message...
        assert {m["In-Reply-To"].strip() for m in got} == msgids
        # ...and at most one repeat: the one row the killed sender may have handed to the relay
        # but not yet marked sent; it went again, after its lease, under the same Message-ID.
        assert len(ids) - total <= 1
        digest_mail = [m for m in smtp_sink.messages if m["To"].addresses[0].addr_spec == DIGEST_TO]
        # A working day (real clock: `signpost run` has no other) gets one digest from the pair.
        expected = 1 if WorkingCalendar(TZ, "ENG").is_working_day(datetime.now(WorkingCalendar(TZ, "ENG").tz)
                                                                    .date()) else 0
        assert (len(digest_mail), digests_run) == (expected, expected)
        logs = a.log() + b.log()
        assert "role scheduler: taken by this process" in logs


def test_two_workers_started_together_on_an_empty_database_both_come_up(tmp_path: Path, smtp_sink: Any) -> None:
    run = uuid.uuid4().hex[:6]
    with pg_schema() as (url, engine):
        cfg = write_config(tmp_path / "config.yaml", url, smtp_sink.port)
        workers = [WorkerProcess(cfg, tmp_path / n, n).start() for n in ("a", "b")]
        try:
            for w in workers:
                w.wait_ready()
                # Once up, the start-up objects are frozen out of the collector's walks (gc.freeze).
                frozen = re.search(r"start-up objects kept out of garbage collection: (\d+)", w.log())
                assert frozen is not None and int(frozen.group(1)) > 10_000, w.log()[-2000:]
            mails = [citizen_mail(i, run) for i in range(2)]
            for w, (sender, msgid, data) in zip(workers, mails, strict=True):
                Deliverer([w]).send(msgid, sender, data)
            got = smtp_sink.wait_for(2, timeout=60)
            assert {m["In-Reply-To"] for m in got} == {m[1] for m in mails}
        finally:
            for w in workers:
                w.stop()
        assert all(w.proc is not None and w.proc.returncode == 0 for w in workers)


_COPY = ("Dear Commissioner,\r\n\r\nI am writing as a resident of {town} to ask you to keep the late-night "
         "bus station patrols. The officers who walk the station after ten make travelling home feel safe, "
         "and without them the shelters would again be a place where young people are robbed and harassed. "
         "The patrols cost little next to the harm they prevent.\r\n\r\nPlease commit to funding the station "
         "patrols in next year's police and crime plan, and publish what the force spends on them.\r\n\r\n"
         "Yours sincerely,\r\n{name}\r\n")


def _mail(sender: str, name: str, msgid: str, subject: str, body: str) -> tuple[str, str, bytes]:
    data = (f"From: {name} <{sender}>\r\nTo: enquiries@wessexvale-pcc.gov.uk\r\nSubject: {subject}\r\n"
            f"Date: Tue, 02 Jun 2026 10:00:00 +0100\r\nMessage-ID: {msgid}\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}").encode()
    return sender, msgid, data


def test_two_workers_given_bursts_from_one_writer_and_a_campaign_flood_make_one_person_and_one_campaign(
        tmp_path: Path, smtp_sink: Any) -> None:
    """What two workers race over in real mail: a new writer's two letters a moment apart (the same
    new identity, taken by both workers at once) and copies of a new campaign arriving together (both
    workers start it). Every message is triaged, none shunted; each writer is one person; one campaign."""
    from store.models import Campaign

    run = uuid.uuid4().hex[:6]
    mails: list[tuple[str, str, bytes]] = []
    for i in range(16):  # letter and postscript go out on two delivery threads, to both intakes
        sender, name = f"writer{i}.{run}@example.org", f"Writer {i}"
        mails.append(_mail(sender, name, f"<w{i}a.{run}@example.org>", f"Street lights on road {i}",
                           f"The street lights on road {i} have been out for a week.\r\n\r\n{name}\r\n"))
        mails.append(_mail(sender, name, f"<w{i}b.{run}@example.org>", f"Re: Street lights on road {i}",
                           f"Sorry, I forgot to say: the lights on road {i} are by the school.\r\n\r\n{name}\r\n"))
    towns = ["Kingsmere", "Harlow Down", "Ashby Cross", "Millbrook"]
    for i in range(12):
        name = f"Supporter {i}"
        mails.append(_mail(f"supporter{i}.{run}@example.net", name, f"<c{i}.{run}@example.net>",
                           "Keep the bus station patrols", _COPY.format(town=towns[i % 4], name=name)))
    senders = {m[0] for m in mails}
    with pg_schema() as (url, engine):
        cfg = write_config(tmp_path / "config.yaml", url, smtp_sink.port, **{"digest.recipients": []})
        workers = [WorkerProcess(cfg, tmp_path / k, k).start() for k in ("a", "b")]
        for w in workers:
            w.wait_ready()
        threads = deliver_in_thread(Deliverer(workers), mails, threads=4)
        for t in threads:
            t.join(180)
        assert not threads[0].errors  # type: ignore[attr-defined]
        wait_for(lambda: len({m["In-Reply-To"] for m in acks(smtp_sink, senders)}) >= len(mails),
                 "an acknowledgement of every message")
        for w in workers:
            w.stop()
        with Session(engine) as s:
            assert {r.status for r in s.scalars(select(RawMessage))} == {RawStatus.triaged}
            people = s.execute(select(Contact.sender, func.count(func.distinct(Contact.person_id)))
                               .where(Contact.raw_id.is_not(None)).group_by(Contact.sender)).all()
            assert len(people) == len(senders) and {n for _, n in people} == {1}
            assert s.scalar(select(func.count()).select_from(Campaign)) == 1


def test_a_worker_rides_out_an_outage_of_the_store_and_answers_the_mail_sent_during_it(
        tmp_path: Path, smtp_sink: Any) -> None:
    """PostgreSQL goes away for a while (a relay cut between the worker and it): the worker's loops
    fail to reach the store, say so, and start again until it is back; mail offered meanwhile is
    refused for now (the sending server tries again) and answered once the store is back."""
    from tcpproxy import TcpProxy

    run = uuid.uuid4().hex[:6]
    mails = [citizen_mail(i, run) for i in range(3)]
    with pg_schema() as (url, _engine):
        proxy = TcpProxy(5432).start()
        cfg = write_config(tmp_path / "config.yaml", url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"),
                           smtp_sink.port, **{"digest.recipients": []})
        worker = WorkerProcess(cfg, tmp_path / "w", "w").start()
        try:
            worker.wait_ready()
            deliverer = Deliverer([worker])
            deliverer.send(mails[0][1], mails[0][0], mails[0][2])
            wait_for(lambda: len(acks(smtp_sink, {mails[0][0]})) == 1, "the first acknowledgement")
            proxy.cut()
            threads = deliver_in_thread(deliverer, mails[1:2], threads=1)  # offered during the outage
            assert worker.proc is not None
            wait_for(lambda: "starting the loop again" in worker.log() or worker.proc.poll() is not None,
                     "a loop to meet the outage", 60)
            assert worker.proc.poll() is None, worker.log()[-3000:]  # riding it out, not stopped
            proxy.restore()
            for t in threads:
                t.join(120)
            assert not threads[0].errors  # type: ignore[attr-defined]
            assert deliverer.retries > 0  # the intake refused it for now while the store was away
            deliverer.send(mails[2][1], mails[2][0], mails[2][2])
            wait_for(lambda: len(acks(smtp_sink, {m[0] for m in mails})) == 3, "every acknowledgement", 120)
            assert worker.proc.poll() is None
            assert "loop: the store cannot be reached (connection failed" in worker.log()
        finally:
            worker.stop()
            proxy.cut()
        assert worker.proc.returncode == 0
