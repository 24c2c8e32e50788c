"""SMTP intake on loopback: office addresses only, size limit, stored before 250, 451 when the store fails."""

from __future__ import annotations

import asyncio
import smtplib
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.smtp_listen import start_smtp
from bot.intake import Intake
from store.models import RawMessage

MAIL = (b"From: Bo Example <bo@example.com>\r\nTo: enquiries@wessexvale-pcc.gov.uk\r\n"
        b"Subject: Speeding on Mill Lane\r\nMessage-ID: <bo-1@example.com>\r\n\r\nCars race here nightly.\r\n")


def send(port: int, rcpt: str, data: bytes) -> Any:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
        return c.sendmail("bo@example.com", [rcpt], data)


async def started(make_cfg: Any, sessions: Any, **kw: Any) -> tuple[asyncio.AbstractServer, int]:
    cfg = make_cfg(**kw)
    server = await start_smtp(cfg, Intake(sessions))
    return server, server.sockets[0].getsockname()[1]


async def test_mail_for_the_office_is_stored_before_250(make_cfg: Any, sqlite_sessions: Any) -> None:
    server, port = await started(make_cfg, sqlite_sessions)
    try:
        refused = await asyncio.to_thread(send, port, "Enquiries@WessexVale-PCC.gov.uk", MAIL)
        assert refused == {}
    finally:
        server.close()
    with sqlite_sessions() as s:
        row = s.scalar(select(RawMessage))
        assert row.channel == "smtp" and row.message_id_header == "<bo-1@example.com>"
        assert b"Cars race here nightly." in row.raw


async def test_other_recipients_are_refused(make_cfg: Any, sqlite_sessions: Any) -> None:
    server, port = await started(make_cfg, sqlite_sessions)
    try:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as err:
            await asyncio.to_thread(send, port, "someone@example.org", MAIL)
        assert err.value.recipients["someone@example.org"][0] == 550
    finally:
        server.close()
    with sqlite_sessions() as s:
        assert s.scalar(select(RawMessage)) is None


async def test_oversized_message_gets_552(make_cfg: Any, sqlite_sessions: Any) -> None:
    server, port = await started(make_cfg, sqlite_sessions, **{"channels.smtp_intake.max_size": 2000})
    try:
        # smtplib announces SIZE, so the refusal comes at MAIL FROM (552) before any data is sent.
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as err:
            await asyncio.to_thread(send, port, "enquiries@wessexvale-pcc.gov.uk", MAIL + b"x" * 5000 + b"\r\n")
        assert err.value.smtp_code == 552
    finally:
        server.close()


async def test_store_failure_answers_451_so_the_client_retries(make_cfg: Any, sqlite_sessions: Any) -> None:
    class BrokenIntake(Intake):
        def _store(self, *a: Any, **kw: Any) -> Any:  # what both accept and accept_many write with
            raise RuntimeError("database is locked")

    cfg = make_cfg()
    server = await start_smtp(cfg, BrokenIntake(sqlite_sessions))
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(smtplib.SMTPDataError) as err:
            await asyncio.to_thread(send, port, "enquiries@wessexvale-pcc.gov.uk", MAIL)
        assert err.value.smtp_code == 451
    finally:
        server.close()
