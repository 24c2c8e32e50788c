"""Intake: raw bytes stored once per (channel, id), Message-ID + hash duplicates spotted, worker woken."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from textwrap import dedent
from typing import Any

from sqlalchemy import func, select

from bot.intake import Accepted, Intake, header_message_id
from store.models import Event, RawMessage, RawStatus

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
MAIL = dedent("""\
    From: Ada Example <ada@example.com>
    To: enquiries@wessexvale-pcc.gov.uk
    Subject: Street lights
    Message-ID:
     <folded-id-1@example.com>

    The lights on my road are out.
    """).encode()


def test_message_id_is_read_from_headers_only_even_when_folded() -> None:
    assert header_message_id(MAIL) == "<folded-id-1@example.com>"
    assert header_message_id(b"Subject: x\n\nMessage-ID: <in-body@example.com>\n") is None


def test_repeat_of_same_channel_id_is_a_no_op(db_sessions: Any) -> None:
    woken: list[int] = []
    intake = Intake(db_sessions, on_new=lambda: woken.append(1))
    first = intake.accept("imap", "7:1", MAIL, AT)
    again = intake.accept("imap", "7:1", MAIL, AT)
    assert first.created and not again.created and again.raw_id == first.raw_id
    assert woken == [1]
    with db_sessions() as s:
        assert s.scalar(select(func.count()).select_from(RawMessage)) == 1
        assert s.scalar(select(Event.kind)) == "received"


def test_same_message_on_another_channel_is_stored_as_duplicate(db_sessions: Any) -> None:
    intake = Intake(db_sessions)
    first = intake.accept("smtp", "hash-a", MAIL, AT)
    twin = intake.accept("imap", "7:2", MAIL, AT)
    assert twin.created and twin.duplicate_of == first.raw_id
    with db_sessions() as s:
        row = s.get(RawMessage, twin.raw_id)
        assert row.status == RawStatus.duplicate
        assert row.raw == MAIL  # kept, never lost


def test_same_message_id_with_different_content_is_not_a_duplicate(db_sessions: Any) -> None:
    intake = Intake(db_sessions)
    intake.accept("smtp", "a", MAIL, AT)
    other = intake.accept("smtp", "b", MAIL + b"P.S. and the bins.\n", AT)
    assert other.duplicate_of is None


def test_received_time_is_kept_aware_in_utc(db_sessions: Any) -> None:
    intake = Intake(db_sessions)
    acc = intake.accept("smtp", "x", MAIL, AT)
    with db_sessions() as s:
        assert s.get(RawMessage, acc.raw_id).received_at == AT


# ---- accept_async: group commit, each message committed before its call returns ----

def mail_number(n: int, extra: str = "") -> bytes:
    return (f"From: Writer {n} <writer{n}@example.com>\nTo: enquiries@wessexvale-pcc.gov.uk\n"
            f"Subject: Letter {n}\nMessage-ID: <group-{n}@example.com>\n\nLetter number {n}. {extra}\n").encode()


def stored_raw(sessions: Any, raw_id: int) -> bytes | None:
    with sessions() as s:
        return s.scalar(select(RawMessage.raw).where(RawMessage.id == raw_id))


async def test_messages_arriving_together_share_one_commit_each_committed_before_its_call_returns(
        db_sessions: Any) -> None:
    from sqlalchemy import event

    commits: list[int] = []
    event.listen(db_sessions.kw["bind"], "commit", lambda *_: commits.append(1))
    intake = Intake(db_sessions)

    async def one(n: int) -> tuple[int, bytes | None]:
        got = await intake.accept_async("smtp", f"id-{n}", mail_number(n), AT)
        return got.raw_id, stored_raw(db_sessions, got.raw_id)  # read at once, in another session

    results = await asyncio.gather(*(one(n) for n in range(30)))
    assert [raw for _, raw in results] == [mail_number(n) for n in range(30)]  # each one's own row, committed
    assert len({raw_id for raw_id, _ in results}) == 30
    assert len(commits) == 1  # thirty sessions, one transaction
    alone = await intake.accept_async("smtp", "id-alone", mail_number(99), AT)
    assert stored_raw(db_sessions, alone.raw_id) == mail_number(99) and len(commits) == 2


async def test_a_repeat_inside_a_group_is_stored_once(db_sessions: Any) -> None:
    intake = Intake(db_sessions)
    first, again = await asyncio.gather(intake.accept_async("smtp", "same", mail_number(1), AT),
                                        intake.accept_async("smtp", "same", mail_number(1), AT))
    assert (first.created, again.created, again.raw_id) == (True, False, first.raw_id)
    with db_sessions() as s:
        assert s.scalar(select(func.count()).select_from(RawMessage)) == 1


async def test_a_message_that_cannot_be_stored_fails_alone_and_its_group_is_stored(sqlite_sessions: Any) -> None:
    class Picky(Intake):
        def _store(self, s: Any, arrivals: Any) -> Any:
            if any(b"POISON" in a.raw for a in arrivals):
                raise ValueError("cannot store this one")
            return super()._store(s, arrivals)

    intake = Picky(sqlite_sessions)
    results = await asyncio.gather(*(intake.accept_async("smtp", f"id-{n}", mail_number(n, "POISON" if n == 3 else ""),
                                                         AT) for n in range(6)), return_exceptions=True)
    assert isinstance(results[3], ValueError)
    stored = [r for n, r in enumerate(results) if n != 3]
    assert all(isinstance(r, Accepted) and r.created for r in stored)
    assert [stored_raw(sqlite_sessions, r.raw_id) for r in stored] == [mail_number(n) for n in (0, 1, 2, 4, 5)]


async def test_a_caller_that_goes_away_leaves_its_group_and_its_message_stored(sqlite_sessions: Any) -> None:
    intake = Intake(sqlite_sessions)
    calls = [asyncio.ensure_future(intake.accept_async("smtp", f"id-{n}", mail_number(n), AT)) for n in range(4)]
    await asyncio.sleep(0)  # all four are waiting for the commit
    calls[1].cancel()  # the SMTP client hung up before its 250
    done = await asyncio.gather(*calls, return_exceptions=True)
    assert isinstance(done[1], asyncio.CancelledError)
    assert all(isinstance(r, Accepted) for n, r in enumerate(done) if n != 1)
    again = await intake.accept_async("smtp", "id-1", mail_number(1), AT)  # the client's retry
    assert not again.created
    with sqlite_sessions() as s:
        assert s.scalar(select(func.count()).select_from(RawMessage)) == 4


async def test_settle_waits_for_the_group_commit_under_way(sqlite_sessions: Any) -> None:
    intake = Intake(sqlite_sessions)
    call = asyncio.ensure_future(intake.accept_async("smtp", "id-late", mail_number(7), AT))
    await asyncio.sleep(0)  # its commit has started, in a thread
    await intake.settle()
    assert call.done() and stored_raw(sqlite_sessions, call.result().raw_id) == mail_number(7)
