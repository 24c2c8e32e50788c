"""Intake: raw bytes stored once per (channel, id), Message-ID + hash duplicates spotted, worker woken."""

from __future__ import annotations

from datetime import UTC, datetime
from textwrap import dedent
from typing import Any

from sqlalchemy import func, select

from bot.intake import Intake, header_message_id
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
