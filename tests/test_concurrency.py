"""Many workers on one store, mechanism by mechanism: threads and sessions racing for raw rows, outbox
rows, reference numbers, migrations and roles, on SQLite and on a fresh PostgreSQL schema."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, inspect, select, text
from workers import ROOT, WorkerProcess, pg_schema, write_config

from bot.health import Health, readiness
from bot.intake import Intake
from bot.roles import Role, engine_of
from bot.scheduler import Scheduler
from bot.sender import Sender, SmtpTransport
from bot.templating import template_env
from bot.worker import CLAIMED, Worker
from handlers.compose import make_environment
from store.db import alembic_config, make_engine, make_sessionmaker, migrate
from store.models import Case, Contact, Decision, DigestRun, Outbox, OutboxStatus, RawMessage, RawStatus
from store.refs import next_reference

T0 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
OFFICE = "enquiries@wessexvale-pcc.gov.uk"
HEAD = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_current_head()


def in_threads(n: int, target: Any) -> list[Any]:
    """Run target(k) in n threads released together; their results in order (an exception re-raised)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(k: int) -> None:
        barrier.wait()
        try:
            results[k] = target(k)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    if errors:
        raise errors[0]
    return results


def citizen(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Resident {n} <resident{n}@example.org>"
    msg["To"] = OFFICE
    msg["Subject"] = f"Street lights out on road {n}"
    msg["Date"] = format_datetime(T0 + timedelta(minutes=n))
    msg["Message-ID"] = f"<c{n}@example.org>"
    msg.set_content(f"The street lights on road number {n} in Kingsmere have been out for a week.")
    return bytes(msg)


# ---- reference numbers ----

def test_references_allocated_by_racing_sessions_never_collide_even_on_the_first_of_a_year(
        db_sessions: Any) -> None:
    def allocate(k: int) -> list[str]:
        refs = []
        for _ in range(10):
            with db_sessions() as s:
                refs.append(next_reference(s, "MID", 2031))  # no counter row yet: the first of the year
                s.commit()
        return refs

    refs = [r for batch in in_threads(6, allocate) for r in batch]
    assert sorted(refs) == [f"MID-2031-{n:05d}" for n in range(1, 61)]


# ---- raw messages ----

@pytest.fixture
def pg_sessions() -> Any:
    with pg_schema() as (url, _engine):
        engine = make_engine(url)
        migrate(engine)
        yield make_sessionmaker(engine)
        engine.dispose()


def test_workers_racing_over_the_same_messages_triage_each_once(pg_sessions: Any, make_cfg: Any,
                                                                triage_model: Any) -> None:
    """PostgreSQL: SQLite serves one process with one worker loop (the lock file sees to the first)."""
    db_sessions = pg_sessions
    cfg = make_cfg()
    intake = Intake(db_sessions)
    for n in range(24):
        intake.accept("smtp", f"c{n}", citizen(n), T0 + timedelta(minutes=n))
    workers = [Worker(cfg, db_sessions, make_environment(), triage_model) for _ in range(3)]
    # Each worker looks before any triages, so all three go for all 24 (however the threads are
    # scheduled): each message is triaged by one and found claimed or done by the others.
    seen = [w.next_raw_ids() for w in workers]
    assert all(len(ids) == 24 for ids in seen)
    outcomes = in_threads(3, lambda k: [workers[k].process_one(i) for i in seen[k]])
    done = [o for batch in outcomes for o in batch]
    assert len(done) == 72 and set(done) <= {RawStatus.triaged.value, CLAIMED}  # the store says who won
    with db_sessions() as s:
        assert set(s.scalars(select(RawMessage.status))) == {RawStatus.triaged}
        assert s.scalar(select(func.count()).select_from(Contact).where(Contact.raw_id.is_not(None))) == 24
        assert s.scalar(select(func.count()).select_from(Decision)) == 24
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "ack")) == 24
        refs = list(s.scalars(select(Case.reference)))
        assert len(refs) == len(set(refs)) == 24


def test_looking_for_mail_and_passing_over_a_claimed_row_keep_the_connections_prepared_statements(
        pg_sessions: Any, make_cfg: Any, triage_model: Any) -> None:
    """psycopg forgets a connection's prepared statements on every rollback; the worker's look-ups
    that change nothing end with a commit, so PostgreSQL does not parse and plan them afresh."""
    from sqlalchemy import create_engine

    engine = create_engine(pg_sessions.kw["bind"].url, pool_size=1, max_overflow=0)  # one connection
    try:
        sessions = make_sessionmaker(engine)
        acc = Intake(sessions).accept("smtp", "p1", citizen(1), T0)
        worker = Worker(make_cfg(), sessions, make_environment(), triage_model)
        rollbacks: list[int] = []
        event.listen(engine, "rollback", lambda *_: rollbacks.append(1))
        for _ in range(6):  # psycopg prepares a statement on its fifth run
            assert worker.next_raw_ids() == [acc.raw_id]
        with pg_sessions() as other:  # another worker has the row, mid-way through its unit of work
            other.scalars(select(RawMessage).where(RawMessage.id == acc.raw_id).with_for_update()).one()
            assert worker.process_one(acc.raw_id) == CLAIMED
        # A worker on the usual pool triages it (a new case takes its reference on a second connection)...
        assert Worker(make_cfg(), pg_sessions, make_environment(), triage_model).process_one(acc.raw_id) \
            == RawStatus.triaged.value
        assert worker.process_one(acc.raw_id) == RawStatus.triaged.value  # ...and this one passes it over
        assert rollbacks == []
        with engine.connect() as conn:
            kept = list(conn.scalars(text("SELECT statement FROM pg_prepared_statements")))
        assert any("FROM raw_message" in st and "SKIP LOCKED" in st and "status" in st for st in kept), kept
    finally:
        engine.dispose()


def test_a_raw_row_held_by_another_worker_is_skipped_and_taken_when_that_worker_dies(
        pg_sessions: Any, make_cfg: Any, triage_model: Any) -> None:
    acc = Intake(pg_sessions).accept("smtp", "c1", citizen(1), T0)
    worker = Worker(make_cfg(), pg_sessions, make_environment(), triage_model)
    other = pg_sessions()  # another worker, mid-way through this message's unit of work
    other.scalars(select(RawMessage).where(RawMessage.id == acc.raw_id).with_for_update()).one()
    try:
        assert worker.next_raw_ids() == []
        assert worker.process_one(acc.raw_id) == CLAIMED
        # Killed: its connection goes, and PostgreSQL drops the lock with it.
        other.connection().invalidate()
    finally:
        other.close()
    assert worker.next_raw_ids() == [acc.raw_id]
    assert worker.process_one(acc.raw_id) == RawStatus.triaged.value
    assert worker.process_one(acc.raw_id) == RawStatus.triaged.value  # and never twice
    with pg_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Decision)) == 1


def test_a_writer_whose_identity_another_worker_adds_meanwhile_is_one_person_not_a_failed_message(
        pg_sessions: Any, make_cfg: Any, triage_model: Any, monkeypatch: Any) -> None:
    """Two letters a new writer sends a second apart, on two workers: both find no identity, and the
    second to write it meets the unique constraint. Its unit of work is run again, and links the
    letter to the person the first created: no shunt, no fallback acknowledgement, no duty alert."""
    import bot.place as place
    from store.models import Event, Identity, Person

    first = Intake(pg_sessions).accept("smtp", "c1", citizen(1), T0)
    original = place._person
    raced: list[int] = []

    def racing(s: Any, triage: Any, inc: Any) -> Any:
        person = original(s, triage, inc)  # this worker has read: no identity yet, and adds one
        if not raced:  # another worker commits the same writer's identity before this one writes it
            with pg_sessions() as other:
                p = Person(name="Resident 1", created_at=T0)
                other.add(p)
                other.flush()
                other.add(Identity(person_id=p.id, kind="email", value="resident1@example.org", created_at=T0))
                other.commit()
                raced.append(p.id)
        return person

    monkeypatch.setattr(place, "_person", racing)
    worker = Worker(make_cfg(), pg_sessions, make_environment(), triage_model)
    assert worker.process_one(first.raw_id) == RawStatus.triaged.value
    with pg_sessions() as s:
        contact = s.scalars(select(Contact).where(Contact.raw_id == first.raw_id)).one()
        assert contact.person_id == raced[0]
        assert s.scalar(select(func.count()).select_from(Person)) == 1
        kinds = [e.kind for e in s.scalars(select(Event).where(Event.raw_id == first.raw_id))]
        assert "triage_retried" in kinds and "triage_failed" not in kinds
        retried = s.scalars(select(Event).where(Event.kind == "triage_retried")).one()
        assert retried.detail == {"error": "unique violation (uq_identity_kind_value)"}
        assert [o.kind for o in s.scalars(select(Outbox))] == ["ack"]


def test_a_unit_of_work_whose_connection_the_server_drops_is_run_again_not_failed(
        pg_sessions: Any, make_cfg: Any, triage_model: Any, monkeypatch: Any) -> None:
    """PostgreSQL restarted, failed over or an administrator ended the session mid-triage: the message
    is triaged on a new connection, with no fallback acknowledgement and no duty alert."""
    import bot.place as place
    from store.models import Event

    first = Intake(pg_sessions).accept("smtp", "c1", citizen(1), T0)
    original = place._person
    dropped: list[int] = []

    def drop_the_connection(s: Any, triage: Any, inc: Any) -> Any:
        if not dropped:
            pid = s.connection().connection.dbapi_connection.info.backend_pid
            with pg_sessions() as admin:
                assert admin.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            dropped.append(pid)
        return original(s, triage, inc)

    monkeypatch.setattr(place, "_person", drop_the_connection)
    worker = Worker(make_cfg(), pg_sessions, make_environment(), triage_model)
    assert worker.process_one(first.raw_id) == RawStatus.triaged.value
    with pg_sessions() as s:
        kinds = [e.kind for e in s.scalars(select(Event).where(Event.raw_id == first.raw_id))]
        assert "triage_failed" not in kinds
        assert s.scalars(select(Event.detail).where(Event.kind == "triage_retried")).one() == {
            "error": "connection to the store lost"}
        assert [o.kind for o in s.scalars(select(Outbox))] == ["ack"]


def test_a_store_that_cannot_be_reached_mid_triage_leaves_the_message_new_not_failed(
        sqlite_sessions: Any, make_cfg: Any, triage_model: Any, monkeypatch: Any) -> None:
    """The store went away between the claim and the write (a connection refused): nothing about the
    message is wrong, so it is not shunted nor given the fallback acknowledgement; the error goes
    up to the worker's loop, which starts again once the store is back (bot/app._through_outages)."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    import bot.place as place

    acc = Intake(sqlite_sessions).accept("smtp", "c1", citizen(1), T0)

    def refused(*_: Any) -> Any:
        raise OperationalError("SELECT 1", {}, psycopg.OperationalError("connection failed: Connection refused"))

    monkeypatch.setattr(place, "_person", refused)
    worker = Worker(make_cfg(), sqlite_sessions, make_environment(), triage_model)
    with pytest.raises(OperationalError):
        worker.process_one(acc.raw_id)
    monkeypatch.undo()
    with sqlite_sessions() as s:
        assert s.get(RawMessage, acc.raw_id).status == RawStatus.new
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
    assert worker.process_one(acc.raw_id) == RawStatus.triaged.value  # the store back: triaged as usual


def test_a_clash_met_twice_fails_the_message_as_any_error_does(
        pg_sessions: Any, make_cfg: Any, triage_model: Any, monkeypatch: Any) -> None:
    """One more try only: a clash that comes back is not waited out, the message is shunted, visible."""
    import bot.place as place
    from store.models import Identity, Person

    first = Intake(pg_sessions).accept("smtp", "c1", citizen(1), T0)
    original = place._person

    def always_racing(s: Any, triage: Any, inc: Any) -> Any:
        person = original(s, triage, inc)
        with pg_sessions() as other:
            other.execute(Identity.__table__.delete())
            p = Person(name="Resident 1", created_at=T0)
            other.add(p)
            other.flush()
            other.add(Identity(person_id=p.id, kind="email", value="resident1@example.org", created_at=T0))
            other.commit()
        s.add(Identity(person_id=person.id, kind="email", value="resident1@example.org", created_at=T0))
        return person

    monkeypatch.setattr(place, "_person", always_racing)
    worker = Worker(make_cfg(), pg_sessions, make_environment(), triage_model)
    assert worker.process_one(first.raw_id) == RawStatus.failed.value
    with pg_sessions() as s:
        raw = s.get(RawMessage, first.raw_id)
        assert raw.status == RawStatus.failed and "uq_identity_kind_value" in raw.error


CAMPAIGN = """Dear Commissioner,

I am writing as a resident of {town} to ask you to keep the late-night bus station patrols. The
officers who walk the station after ten make travelling home feel safe, and without them the
shelters would again be a place where young people are robbed and harassed. The patrols cost
little next to the harm they prevent, and residents have told the force so in every survey.

Please commit to funding the station patrols in next year's police and crime plan, and publish
what the force spends on them so that residents can see the value for themselves.

Yours sincerely,
{name}
"""


def campaign_copy(n: int, name: str, town: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <supporter{n}@example.net>"
    msg["To"] = OFFICE
    msg["Subject"] = "Keep the bus station patrols"
    msg["Date"] = format_datetime(T0 + timedelta(minutes=n))
    msg["Message-ID"] = f"<copy{n}@example.net>"
    msg.set_content(CAMPAIGN.format(town=town, name=name))
    return bytes(msg)


def three_copies_for_two_workers(pg_sessions: Any, make_cfg: Any, triage_model: Any) -> tuple[list[int], Any, Any]:
    """Three copies of a new campaign stored, the first triaged (a letter of its own, for now), and two workers."""
    intake = Intake(pg_sessions)
    ids = [intake.accept("smtp", f"p{n}", campaign_copy(n, name, town), T0 + timedelta(minutes=n)).raw_id
           for n, name, town in [(1, "Ada Brook", "Kingsmere"), (2, "Ben Croft", "Harlow Down"),
                                 (3, "Cleo Dunn", "Kingsmere")]]
    cfg = make_cfg()
    first, second = (Worker(cfg, pg_sessions, make_environment(), triage_model) for _ in range(2))
    assert first.process_one(ids[0]) == RawStatus.triaged.value
    return ids, first, second


def test_two_workers_seeing_a_campaign_start_together_make_one_campaign(
        pg_sessions: Any, make_cfg: Any, triage_model: Any, monkeypatch: Any) -> None:
    """Copies two and three, taken by two workers at once, both find copy one and both start a
    campaign. The second to place waits for the first's commit (an advisory lock on campaign
    starts), finds copy one already in the first's campaign, and joins it: one case per campaign."""
    import bot.place as place
    from store.models import Campaign

    ids, first, second = three_copies_for_two_workers(pg_sessions, make_cfg, triage_model)
    original = place._campaign_case
    meanwhile: list[str] = []

    def other_worker_first(s: Any, cfg_: Any, cal: Any, triage: Any) -> Any:
        if not meanwhile:  # this worker has decided; the other triages copy three and commits first
            meanwhile.append("started")
            meanwhile.append(second.process_one(ids[2]))
        return original(s, cfg_, cal, triage)

    monkeypatch.setattr(place, "_campaign_case", other_worker_first)
    assert first.process_one(ids[1]) == RawStatus.triaged.value
    assert meanwhile == ["started", RawStatus.triaged.value]
    with pg_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Campaign)) == 1
        cases = {s.scalars(select(Contact.case_id).where(Contact.raw_id == r)).one() for r in ids}
        assert len(cases) == 1 and s.get(Case, cases.pop()).campaign_id is not None
        decision = s.scalars(select(Decision).join(Contact).where(Contact.raw_id == ids[1])).one()
        assert any(h["rule"] == "campaign_started_meanwhile" for h in decision.hits)


def test_a_campaign_start_waits_for_one_under_way_on_another_worker(
        pg_sessions: Any, make_cfg: Any, triage_model: Any, monkeypatch: Any) -> None:
    """The second start waits on the advisory lock while the first is uncommitted (it cannot see the
    first's campaign yet), then joins it once it commits."""
    import bot.place as place
    from store.models import Campaign

    ids, first, second = three_copies_for_two_workers(pg_sessions, make_cfg, triage_model)
    original = place._new_case
    other: list[threading.Thread] = []
    outcome: list[str] = []

    def start_the_other_meanwhile(*args: Any, **kwargs: Any) -> Any:
        if not other:  # the first start holds the lock: the second worker decides, then must wait
            other.append(threading.Thread(target=lambda: outcome.append(second.process_one(ids[2]))))
            other[0].start()
            with pg_sessions() as s:
                deadline = time.monotonic() + 20
                while not s.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")):
                    assert time.monotonic() < deadline, "the second start never waited for the first"
                    assert other[0].is_alive(), f"the second start did not wait: {outcome}"
                    time.sleep(0.05)
                    s.rollback()
        return original(*args, **kwargs)

    monkeypatch.setattr(place, "_new_case", start_the_other_meanwhile)
    assert first.process_one(ids[1]) == RawStatus.triaged.value
    other[0].join(60)
    assert outcome == [RawStatus.triaged.value]
    with pg_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Campaign)) == 1
        assert len({s.scalars(select(Contact.case_id).where(Contact.raw_id == r)).one() for r in ids}) == 1


# ---- outbox ----

class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def add_rows(sessions: Any, n: int) -> list[int]:
    with sessions() as s:
        rows = [Outbox(kind="ack", channel="email", to_address=f"resident{k}@example.org", subject=f"ack {k}",
                       text="Thank you.\n", headers={"Auto-Submitted": "auto-replied"},
                       message_id=f"<ack-{k}@wessexvale-pcc.gov.uk>", not_before=T0, created_at=T0)
                for k in range(n)]
        s.add_all(rows)
        s.commit()
        return [r.id for r in rows]


def sending_cfg(make_cfg: Any, sink: Any) -> Any:
    return make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": sink.port,
                       "channels.smtp_outbound.timeout_seconds": 5, "store.outbox_lease_seconds": 60})


async def test_senders_racing_over_one_outbox_send_each_row_once(db_sessions: Any, make_cfg: Any,
                                                                 smtp_sink: Any) -> None:
    cfg = sending_cfg(make_cfg, smtp_sink)
    add_rows(db_sessions, 30)
    clock = Clock()
    senders = [Sender(cfg, db_sessions, SmtpTransport(cfg), clock=clock) for _ in range(3)]
    await asyncio.gather(*(s.send_due() for s in senders))
    got = [m["Message-ID"] for m in smtp_sink.messages]
    assert sorted(got) == sorted(f"<ack-{k}@wessexvale-pcc.gov.uk>" for k in range(30))
    with db_sessions() as s:
        rows = list(s.scalars(select(Outbox)))
        assert {(r.status, r.attempts, r.claimed_by, r.lease_until) for r in rows} == {(OutboxStatus.sent, 1,
                                                                                         None, None)}


async def test_a_killed_senders_lease_runs_out_and_another_sends_the_row_with_the_same_message_id(
        db_sessions: Any, make_cfg: Any, smtp_sink: Any) -> None:
    cfg = sending_cfg(make_cfg, smtp_sink)
    (row_id,) = add_rows(db_sessions, 1)
    clock = Clock()
    dead = Sender(cfg, db_sessions, SmtpTransport(cfg), clock=clock)
    assert [r.id for r, _ in dead._claim()] == [row_id]  # claimed, then killed before it could send
    live = Sender(cfg, db_sessions, SmtpTransport(cfg), clock=clock)
    assert await live.send_due() == 0  # leased to the dead one
    with db_sessions() as s:
        row = s.get(Outbox, row_id)
        assert row.claimed_by == dead.identity and row.lease_until == T0 + timedelta(seconds=60)
    clock.now = T0 + timedelta(seconds=61)
    assert await live.send_due() == 1
    (msg,) = await smtp_sink.wait_for_async(1)
    assert msg["Message-ID"] == "<ack-0@wessexvale-pcc.gov.uk>"
    dead._finish(row_id, None)  # a sender that was only slow, back late: the row is not its to record
    with db_sessions() as s:
        row = s.get(Outbox, row_id)
        assert (row.status, row.attempts, row.claimed_by) == (OutboxStatus.sent, 1, None)


def test_the_lease_and_the_reference_counter_commit_by_themselves_on_postgresql(
        pg_sessions: Any, make_cfg: Any, smtp_sink: Any) -> None:
    """Each is one atomic statement: on the shared store it runs in autocommit, with no BEGIN and
    COMMIT round trips around it, and what it wrote is seen by every other session at once."""
    engine = pg_sessions.kw["bind"]
    modes: dict[str, list[bool]] = {}

    def note(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        for table in ("UPDATE outbox", "INSERT INTO ref_counter"):
            if statement.startswith(table):
                modes.setdefault(table, []).append(conn.connection.dbapi_connection.autocommit)

    event.listen(engine, "before_cursor_execute", note)
    (row_id,) = add_rows(pg_sessions, 1)
    sender = Sender(sending_cfg(make_cfg, smtp_sink), pg_sessions, SmtpTransport(sending_cfg(make_cfg, smtp_sink)))
    with pg_sessions() as s:
        assert [r.id for r, _ in sender._claim()] == [row_id]
        assert s.get(Outbox, row_id).claimed_by == sender.identity  # committed: another session sees it
        ref = next_reference(s, "MID", 2032)
        s.rollback()  # the caller's transaction rolls back; the number stays taken
    with pg_sessions() as s:
        assert (ref, next_reference(s, "MID", 2032)) == ("MID-2032-00001", "MID-2032-00002")
    event.remove(engine, "before_cursor_execute", note)
    assert modes == {"UPDATE outbox": [True], "INSERT INTO ref_counter": [True, True]}
    with engine.connect() as conn:  # and the pool hands connections out in their usual mode again
        assert conn.connection.dbapi_connection.autocommit is False


def test_lease_shorter_than_two_relay_timeouts_is_refused(make_cfg: Any) -> None:
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match="outbox_lease_seconds"):
        make_cfg(**{"store.outbox_lease_seconds": 50, "channels.smtp_outbound.timeout_seconds": 30})


# ---- migrations ----

def test_workers_migrating_an_empty_schema_together_wait_for_each_other() -> None:
    with pg_schema() as (url, probe):
        engines = [make_engine(url) for _ in range(4)]
        try:
            in_threads(4, lambda k: migrate(engines[k]))
        finally:
            for e in engines:
                e.dispose()
        with probe.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
            assert "outbox" in inspect(conn).get_table_names()


def test_migration_0002_adds_the_outbox_lease_to_a_0001_store(tmp_path: Path) -> None:
    for url_ctx in ("sqlite", "postgresql"):
        if url_ctx == "sqlite":
            engine = make_engine(f"sqlite:///{tmp_path}/old.db")
            check(engine)
            engine.dispose()
        else:
            with pg_schema() as (url, _):
                engine = make_engine(url)
                check(engine)
                engine.dispose()


def check(engine: Any) -> None:
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO outbox (kind, channel, to_address, subject, text, headers, status, attempts,"
                          " not_before, created_at, actor) VALUES ('ack', 'email', 'a@example.org', 's', 't', '{}',"
                          " 'pending', 0, '2026-06-02 09:00:00+00:00', '2026-06-02 09:00:00+00:00', 'signpost')"))
    migrate(engine)
    with make_sessionmaker(engine)() as s:
        row = s.scalars(select(Outbox)).one()
        assert (row.claimed_by, row.lease_until, row.status) == (None, None, OutboxStatus.pending)


# ---- roles (advisory locks) ----

def test_one_holder_per_role_and_a_dead_holders_role_is_taken_over() -> None:
    with pg_schema() as (url, admin):
        a, b = make_engine(url), make_engine(url)
        first, second = Role("imap box@host/INBOX", a), Role("imap box@host/INBOX", b)
        other = Role("imap another@host/INBOX", b)
        try:
            assert first.try_acquire() and first.held
            assert not second.try_acquire()
            assert second.state().startswith("standby (held by signpost ")  # its application_name
            assert other.try_acquire()  # another mailbox is another role
            assert first.is_alive()
            pid = first._conn.execute(text("SELECT pg_backend_pid()")).scalar()  # type: ignore[union-attr]
            with admin.connect() as conn:  # the holder's connection dies (a killed worker, a network cut)
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            assert not first.is_alive() and not first.held
            assert second.try_acquire()
            assert not first.try_acquire()
        finally:
            for role in (first, second, other):
                role.close()
            a.dispose()
            b.dispose()


async def test_a_role_job_moves_to_the_standby_when_its_holder_dies() -> None:
    with pg_schema() as (url, admin):
        engines = [make_engine(url), make_engine(url)]
        roles = [Role("telegram bot 42", e, retry_seconds=0.2) for e in engines]
        trail: list[tuple[str, int]] = []
        stop = asyncio.Event()

        def job(k: int) -> Any:
            async def run(role_stop: asyncio.Event) -> None:
                trail.append(("start", k))
                await role_stop.wait()
                trail.append(("stop", k))
            return run

        tasks = [asyncio.create_task(r.run(job(k), stop)) for k, r in enumerate(roles)]
        try:
            await wait_until(lambda: len(trail) == 1)
            holder = trail[0][1]
            await asyncio.sleep(0.6)  # three tries of the standby: still the one job
            assert trail == [("start", holder)]
            pid = roles[holder]._conn.execute(text("SELECT pg_backend_pid()")).scalar()  # type: ignore[union-attr]
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            await wait_until(lambda: len(trail) == 3)
            # The holder saw its lock connection gone and stopped its job; one worker (the standby,
            # or the old holder on a new connection, whichever tried first) runs it again.
            assert ("stop", holder) in trail and [e for e, _ in trail].count("start") == 2
            assert sum(r.held for r in roles) == 1
        finally:
            stop.set()
            await asyncio.gather(*tasks)
            for e in engines:
                e.dispose()


async def wait_until(cond: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def test_on_sqlite_the_one_process_holds_every_role(sqlite_sessions: Any) -> None:
    role = Role("scheduler", engine_of(sqlite_sessions))
    assert role.held and role.try_acquire() and role.is_alive()


def test_readyz_names_the_roles_this_worker_holds(make_cfg: Any, sqlite_sessions: Any) -> None:
    health = Health()
    health.roles["scheduler"] = Role("scheduler", engine_of(sqlite_sessions))
    ready, body = readiness(make_cfg(), sqlite_sessions, health)
    assert ready and body["checks"]["roles"] == {"ok": True, "scheduler": "held"}


# ---- the scheduler ----

async def test_only_the_scheduler_leader_flags_and_queues_the_digest(pg_sessions: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"digest.recipients": ["head@example.org"], "digest.time": "08:00"})
    with pg_sessions() as s:  # acknowledge by Wed 3 June, never acknowledged
        s.add(Case(reference="MID-2026-00001", opened_at=T0 - timedelta(days=9), acknowledge_by=date(2026, 5, 26),
                   respond_by=date(2026, 6, 8), last_action_at=T0 - timedelta(days=9)))
        s.commit()
    engine = engine_of(pg_sessions)
    schedulers = [Scheduler(cfg, pg_sessions, template_env(), now=lambda: T0) for _ in range(2)]
    for sched in schedulers:
        sched.leader = Role("scheduler", engine)
    try:
        assert schedulers[0].leader.try_acquire() and not schedulers[1].leader.try_acquire()
        follower, leader = await schedulers[1].tick(), await schedulers[0].tick()
        assert follower.flagged == [] and follower.digest_for is None
        assert "breach_acknowledge" in [b.kind for b in leader.flagged] and leader.digest_for == date(2026, 6, 2)
        with pg_sessions() as s:
            assert s.scalar(select(func.count()).select_from(DigestRun)) == 1
    finally:
        for sched in schedulers:
            sched.leader.close()


# ---- SQLite: one process ----

def test_a_second_signpost_run_on_one_sqlite_file_is_refused(tmp_path: Path, smtp_sink: Any) -> None:
    cfg = write_config(tmp_path / "config.yaml", f"sqlite:///{tmp_path}/store.db", smtp_sink.port)
    first = WorkerProcess(cfg, tmp_path / "home", "first").start()
    try:
        first.wait_ready()
        second = subprocess.run([sys.executable, "-m", "bot.cli", "run", "--config", str(cfg), "--home",
                                 str(tmp_path / "home")], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert second.returncode == 3
        assert f"the SQLite store {tmp_path}/store.db is already served by `signpost run` pid " \
               f"{first.proc.pid}" in second.stderr  # type: ignore[union-attr]
        assert "PostgreSQL" in second.stderr
    finally:
        first.stop()
    assert first.proc is not None and first.proc.returncode == 0
