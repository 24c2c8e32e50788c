"""Replay in batches: one commit stores many raw messages, each is still triaged on its own clock, in
order, and the SQL statements per message do not grow with the cases already in the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select

from bot.intake import Arrival, Intake
from bot.replay import replay
from bot.sender import FileSinkTransport
from store.models import Case, Contact, Decision, Direction, Event, Identity, Person, RawMessage, RawStatus

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def mail(n: int, subject: str, body: str, sender: str, *, reply_to: int | None = None) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "enquiries@wessexvale-pcc.gov.uk"
    m["Subject"] = subject
    m["Date"] = format_datetime(T0 + timedelta(hours=n))
    m["Message-ID"] = f"<batch-{n}@example.com>"
    if reply_to is not None:
        m["In-Reply-To"] = f"<batch-{reply_to}@example.com>"
        m["References"] = f"<batch-{reply_to}@example.com>"
    m.set_content(body)
    return bytes(m)


def write_corpus(folder: Path) -> None:
    """Seven messages: a thread of three that spans two batches of three, and four others."""
    folder.mkdir()
    letters = [
        ("Speeding on Mill Lane", "Cars race down Mill Lane every evening. Could you ask for speed checks?",
         "Ada Price <ada@example.com>", None),
        ("Re: Speeding on Mill Lane", "One more thing: it is worst at school time.", "Ada Price <ada@example.com>", 0),
        ("Noise at night", "The flat above plays loud music until 3am most nights.", "Bo Lane <bo@example.org>", None),
        ("Re: Speeding on Mill Lane", "Thank you for the reply. Any news on the speed checks?",
         "Ada Price <ada@example.com>", 1),
        ("FOI request", "Under the Freedom of Information Act, how many burglaries were recorded last year?",
         "Cy Dale <cy@example.net>", None),
        ("The precept", "Why has the police precept gone up again this year?", "Di Frost <di@example.net>", None),
        ("Stolen bicycle", "My bicycle was stolen from outside the library on Tuesday.",
         "Ed Grant <ed@example.net>", None),
    ]
    for n, (subject, body, sender, parent) in enumerate(letters):
        (folder / f"{n:04d}-mail.eml").write_bytes(mail(n, subject, body, sender, reply_to=parent))


@contextmanager
def counting(sessions: Any) -> Iterator[dict[str, int]]:
    """SQL statements and commits on the store's engine while the block runs."""
    engine = sessions.kw["bind"]
    seen = {"statements": 0, "commits": 0}

    def statement(*_: object) -> None:
        seen["statements"] += 1

    def commit(*_: object) -> None:
        seen["commits"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


async def test_a_batched_replay_stores_every_message_and_follows_a_thread_across_batches(
        make_cfg: Any, sqlite_sessions: Any, tmp_path: Path, triage_model: Any) -> None:
    write_corpus(tmp_path / "in")
    stats = await replay(make_cfg(), sqlite_sessions, [tmp_path / "in"], FileSinkTransport(tmp_path / "out"),
                         model=triage_model, batch=3)
    again = await replay(make_cfg(), sqlite_sessions, [tmp_path / "in"], FileSinkTransport(tmp_path / "out"),
                         model=triage_model, batch=3)
    assert (stats.files, stats.stored, stats.repeated) == (7, 7, 0)
    assert (again.stored, again.repeated) == (0, 7)
    with sqlite_sessions() as s:
        assert set(s.scalars(select(RawMessage.status))) == {RawStatus.triaged}
        case_of = {c.message_id: c.case_id for c in s.scalars(
            select(Contact).where(Contact.direction == Direction.inbound))}
        assert case_of["<batch-0@example.com>"] == case_of["<batch-1@example.com>"] == case_of["<batch-3@example.com>"]
        assert len(set(case_of.values())) == 5
        # Each reply went out on its own message's clock, not at the end of its batch.
        sent = sorted(e.at.replace(tzinfo=UTC) for e in s.scalars(select(Event).where(Event.kind == "sent")))
        assert sent == [T0 + timedelta(hours=n) for n in range(7)]


async def test_one_commit_stores_a_whole_batch(make_cfg: Any, tmp_path: Path, triage_model: Any) -> None:
    from bot.app import open_store

    write_corpus(tmp_path / "in")
    commits = {}
    for batch in (1, 7):
        engine, sessions = open_store(f"sqlite:///{tmp_path}/b{batch}.db")
        with counting(sessions) as seen:
            await replay(make_cfg(), sessions, [tmp_path / "in"], FileSinkTransport(tmp_path / f"out{batch}"),
                         model=triage_model, batch=batch)
        commits[batch] = seen["commits"]
        engine.dispose()
    assert commits[1] - commits[7] == 6  # seven intake commits became one; triage and sending are unchanged


def test_accept_many_finds_repeats_and_twins_inside_the_batch(db_sessions: Any) -> None:
    woken: list[int] = []
    intake = Intake(db_sessions, on_new=lambda: woken.append(1))
    one = mail(1, "Lights", "The street lights are out.", "ada@example.com")
    other = mail(2, "Bins", "The bins were not emptied.", "bo@example.org")
    got = intake.accept_many([Arrival("replay", "a.eml", one, T0), Arrival("replay", "a.eml", one, T0),
                              Arrival("smtp", "hash", one, T0), Arrival("replay", "b.eml", other, T0)])
    assert [a.created for a in got] == [True, False, True, True]
    assert got[1].raw_id == got[0].raw_id and got[2].duplicate_of == got[0].raw_id
    assert woken == [1]
    with db_sessions() as s:
        assert s.scalar(select(func.count()).select_from(RawMessage)) == 3
        assert s.get(RawMessage, got[2].raw_id).status == RawStatus.duplicate
    assert intake.accept_many([]) == []



def test_accept_many_finds_repeats_and_twins_stored_by_earlier_batches(db_sessions: Any) -> None:
    intake = Intake(db_sessions)
    one = mail(1, "Lights", "The street lights are out.", "ada@example.com")
    (first,) = intake.accept_many([Arrival("replay", "a.eml", one, T0)])
    got = intake.accept_many([Arrival("replay", "a.eml", one, T0), Arrival("imap", "7:1", one, T0),
                              Arrival("imap", "7:2", one, T0)])
    assert [a.created for a in got] == [False, True, True]
    assert got[0].raw_id == first.raw_id
    assert got[1].duplicate_of == got[2].duplicate_of == first.raw_id  # the oldest twin, not the newest
    with db_sessions() as s:
        events = list(s.scalars(select(Event.kind).where(Event.raw_id.in_([g.raw_id for g in got])).order_by(Event.id)))
    assert events == ["received", "duplicate", "duplicate"]


def test_storing_a_batch_looks_up_repeats_and_twins_in_two_queries_however_long_it_is(db_sessions: Any) -> None:
    intake = Intake(db_sessions)
    engine = db_sessions.kw["bind"]
    selects: list[str] = []

    def statement(_conn: Any, _cur: Any, sql: str, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            selects.append(sql)

    counted = {}
    event.listen(engine, "before_cursor_execute", statement)
    try:
        for n in (5, 50):
            selects.clear()
            arrivals = [Arrival("replay", f"{n}-{k}.eml", mail(1000 * n + k, f"Matter {k}", f"Letter {k}.",
                                                                f"writer{k}@example.org"), T0) for k in range(n)]
            assert all(a.created for a in intake.accept_many(arrivals))
            counted[n] = len(selects)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    assert counted == {5: 2, 50: 2}, counted


def seed_cases(sessions: Any, n: int, at: datetime) -> None:
    """`n` people, each with an open case and one recent letter: writers unlike the replayed ones."""
    people = [{"id": i, "name": f"Seeded Writer{i}", "name_key": f"seeded writer{i}", "created_at": at}
              for i in range(1, n + 1)]
    with sessions() as s:
        s.execute(insert(Person), people)
        s.execute(insert(Identity), [{"person_id": i, "kind": "email", "value": f"seeded{i}@example.org",
                                      "created_at": at} for i in range(1, n + 1)])
        s.execute(insert(RawMessage), [{"id": i, "channel": "seed", "external_id": str(i), "raw": b"",
                                        "content_hash": str(i), "received_at": at, "status": RawStatus.triaged}
                                       for i in range(1, n + 1)])
        s.execute(insert(Case), [{"id": i, "reference": f"SEED-2026-{i:06d}", "person_id": i, "category":
                                  "correspondence", "channel": "email", "subject": f"Matter {i}", "opened_at": at,
                                  "acknowledge_by": at.date(), "respond_by": at.date(), "last_action_at": at}
                                 for i in range(1, n + 1)])
        s.execute(insert(Contact), [{"id": i, "case_id": i, "raw_id": i, "person_id": i, "direction":
                                     Direction.inbound, "channel": "email", "message_id": f"<seed{i}@example.org>",
                                     "sender": f"seeded{i}@example.org", "subject": f"Matter {i}",
                                     "body": f"Letter number {i} about matter {i}.", "quoted": "", "at": at}
                                    for i in range(1, n + 1)])
        s.execute(insert(Decision), [{"contact_id": i, "category": "correspondence", "urgent": False, "ack": True,
                                      "machine": False, "hits": [], "decided_at": at} for i in range(1, n + 1)])
        s.commit()


async def test_statements_per_message_do_not_grow_with_the_cases_in_the_store(
        make_cfg: Any, tmp_path: Path, triage_model: Any) -> None:
    from bot.app import open_store

    write_corpus(tmp_path / "in")
    counted = {}
    for cases in (0, 3000):
        engine, sessions = open_store(f"sqlite:///{tmp_path}/s{cases}.db")
        if cases:
            seed_cases(sessions, cases, T0 - timedelta(days=2))
        with counting(sessions) as seen:
            stats = await replay(make_cfg(), sessions, [tmp_path / "in"], FileSinkTransport(tmp_path / f"o{cases}"),
                                 model=triage_model)
        assert stats.stored == 7
        counted[cases] = seen["statements"]
        engine.dispose()
    assert counted[3000] == counted[0], counted
