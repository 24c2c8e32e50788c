"""Outbox loop: deliver pending rows over SMTP, to a file sink or to Telegram, with retries and backoff."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import ssl
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Protocol

import aiosmtplib
from sqlalchemy import ColumnElement, Integer, bindparam, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.casework import new_message_id
from bot.config import Config, SmtpOutbound, secret
from bot.errors import PermanentFailure, TemporaryFailure, Unreachable
from bot.oauth import CachedToken, OAuth2Error, token_source, xoauth2
from bot.outmail import BadOutgoingMessage, OutgoingMail, build_email
from handlers.labels import CASE_ANSWERS, OutboxKind
from handlers.safetext import body_text
from store.models import Case, Event, Identity, Outbox, OutboxStatus, StoredAttachment
from store.uow import autocommit, driver_message, store_unreachable

logger = logging.getLogger(__name__)

__all__ = ["BadOutgoingMessage", "PermanentFailure", "Sender", "TemporaryFailure", "Unreachable", "build_email"]
# Marks the plain alert the sender writes itself when an alert row could not be sent.
FALLBACK_HEADER = "X-Signpost-Fallback"


class MailTransport(Protocol):
    async def send(self, mail: OutgoingMail) -> None: ...

    async def close(self) -> None:
        """Let go of any connection `send` kept open (the sender calls it when no more mail is due)."""


class ChatTransport(Protocol):
    async def send_text(self, chat_id: int, text: str) -> list[int]: ...


def relay_tls(o: SmtpOutbound) -> ssl.SSLContext | None:
    """The TLS context for the relay (the system's CAs, or `ca_file`); None for a plain relay.

    Building one reads the whole CA store (tens of milliseconds), so a transport builds it once.
    """
    return None if o.tls == "none" else ssl.create_default_context(cafile=o.ca_file or None)


def relay_client(o: SmtpOutbound, context: ssl.SSLContext | None) -> aiosmtplib.SMTP:
    """An unconnected client for the relay: implicit TLS (465), STARTTLS (587) or plain, as configured.

    `context` is `relay_tls(o)`, made once by the caller and reused for each connection.
    """
    return aiosmtplib.SMTP(hostname=o.host, port=o.port, use_tls=o.tls == "implicit",
                           start_tls=o.tls == "starttls", tls_context=context, timeout=o.timeout_seconds)


async def relay_login(client: aiosmtplib.SMTP, o: SmtpOutbound, token: CachedToken | None) -> None:
    """AUTH on a connected client: password, or XOAUTH2 with a token replaced once if refused."""
    if token is not None:
        try:
            await _xoauth2(client, token.user, await asyncio.to_thread(token.token))
        except aiosmtplib.SMTPAuthenticationError:
            token.invalidate()  # revoked or expired early: one more try with a fresh token
            await _xoauth2(client, token.user, await asyncio.to_thread(token.token))
    elif o.username:
        await client.login(o.username, secret(o.password_env) or "")


async def _xoauth2(client: aiosmtplib.SMTP, user: str, token: str) -> None:
    """AUTH XOAUTH2; a refusal comes as a 334 JSON challenge, answered empty to get the 535."""
    if client.is_ehlo_or_helo_needed:
        await client.ehlo()
    resp = await client.execute_command(b"AUTH", b"XOAUTH2", xoauth2(user, token).encode("ascii"))
    if resp.code == 334:
        resp = await client.execute_command(b"")
    if resp.code != 235:
        raise aiosmtplib.SMTPAuthenticationError(resp.code, resp.message)


class SmtpTransport:
    """Delivers through the configured relay with aiosmtplib, one connection for many messages.

    The connection (connect, EHLO, STARTTLS, AUTH) is opened at the first send and kept for the
    next ones: for at most PER_CONNECTION messages, while no send has failed on it, and while it
    has been idle under IDLE_SECONDS (relays drop idle clients; RFC 5321 4.5.3.2 lets them after
    five minutes). The sender closes it when no more mail is due. Sends take turns (a lock): one
    connection carries one message at a time, whoever asks.
    """

    PER_CONNECTION = 100
    IDLE_SECONDS = 20.0

    def __init__(self, cfg: Config) -> None:
        self.o = cfg.channels.smtp_outbound
        self.token = (token_source(self.o.oauth2, self.o.username, "smtp")
                      if self.o.auth == "oauth2" and self.o.oauth2 else None)
        self._client: aiosmtplib.SMTP | None = None
        self._sent = 0  # messages sent on the open connection
        self._used = 0.0  # time.monotonic() of its last use
        self._turn = asyncio.Lock()

    @cached_property
    def _tls(self) -> ssl.SSLContext | None:
        """Built at the first send and kept; a build that fails (a bad ca_file) fails that send, and is
        tried again at the next, as nothing is cached for it."""
        return relay_tls(self.o)

    async def send(self, mail: OutgoingMail) -> None:
        async with self._turn:
            await self._send_on_connection(mail)

    async def _send_on_connection(self, mail: OutgoingMail) -> None:
        try:
            client, kept = await self._connection()
            try:
                await _send(client, mail)
            except aiosmtplib.SMTPServerDisconnected:
                if not kept:
                    raise
                # The relay let the kept connection go (an idle or a connection limit of its own)
                # before taking this message: once more, on a new connection.
                await self._close()
                await _send((await self._connection())[0], mail)
        except Exception as exc:
            # A failed exchange leaves the relay's state unknown: the next message starts afresh.
            await self._close()
            failure = _failure(exc)
            if failure is exc:
                raise
            raise failure from exc
        self._sent += 1
        self._used = time.monotonic()
        if self._sent >= self.PER_CONNECTION:
            await self._close()

    async def _connection(self) -> tuple[aiosmtplib.SMTP, bool]:
        """The kept connection (and True), or a new one, logged in (and False)."""
        client = self._client
        if client is not None and client.is_connected and time.monotonic() - self._used < self.IDLE_SECONDS:
            return client, True
        await self._close()
        client = relay_client(self.o, self._tls)
        await client.connect()
        try:
            await relay_login(client, self.o, self.token)
        except BaseException:
            client.close()
            raise
        self._client, self._sent, self._used = client, 0, time.monotonic()
        return client, False

    async def close(self) -> None:
        """QUIT and close the kept connection, if any (a relay that has gone already is no error)."""
        async with self._turn:
            await self._close()

    async def _close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            if client.is_connected:
                await client.quit()
        except (TimeoutError, aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
            logger.debug("relay connection closed without QUIT: %r", exc)
        finally:
            client.close()


def _failure(exc: Exception) -> Exception:
    """A relay's answer or silence as a temporary or permanent failure of this message; `exc` itself
    when it is neither (a bug: the sender's catch-all records it)."""
    if isinstance(exc, OAuth2Error):
        return TemporaryFailure(f"no access token for the relay: {exc}")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        # The office's login, not this message, is at fault: retry, and the duty hears if it lasts.
        return TemporaryFailure(f"the relay refused the login: {exc.code} {exc.message}")
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [e.code for e in exc.recipients]
        if codes and all(500 <= c < 600 for c in codes):
            return PermanentFailure(f"recipient refused: {codes}")
        return TemporaryFailure(f"recipient deferred: {codes}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        if 500 <= exc.code < 600:
            return PermanentFailure(f"{exc.code} {exc.message}")
        return TemporaryFailure(f"{exc.code} {exc.message}")
    if isinstance(exc, (TimeoutError, aiosmtplib.SMTPException, OSError, ssl.SSLError)):
        return TemporaryFailure(f"relay unavailable: {exc!r}")
    return exc


async def _send(client: aiosmtplib.SMTP, mail: OutgoingMail) -> None:
    """The wire as it is where the relay takes it (7-bit, or 8BITMIME offered); else the message,
    which aiosmtplib flattens again with 8-bit parts re-encoded for a 7-bit relay (RFC 6152)."""
    if client.is_ehlo_or_helo_needed:
        try:
            await client.ehlo()
        except aiosmtplib.SMTPHeloError:
            await client.helo()  # an SMTP-only relay: no extensions, so 7-bit
    if client.supports_extension("8bitmime"):
        # send_message declares it whenever offered; so does this, for the same relay log.
        await client.sendmail(mail.sender, mail.recipients, mail.wire, mail_options=["BODY=8BITMIME"])
    elif mail.wire.isascii():
        await client.sendmail(mail.sender, mail.recipients, mail.wire)
    else:
        await client.send_message(mail.message, sender=mail.sender, recipients=mail.recipients)


_REFERENCE = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d{4}-\d{3,}\b")


class FileSinkTransport:
    """Writes each message as an .eml file: the embedded default and the replay sink.

    Files are named by the case reference in the subject, then the Message-ID, so `ls` shows
    which case each reply belongs to: MID-2026-00042-<id>.eml.
    """

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)

    async def send(self, mail: OutgoingMail) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.@+-]", "_", (mail.header("Message-ID") or "").strip("<>")) or uuid.uuid4().hex
        ref = _REFERENCE.search(mail.header("Subject") or "")
        path = self.dir / (f"{ref.group(0)}-{name}.eml" if ref else f"{name}.eml")
        await asyncio.to_thread(path.write_bytes, mail.wire)

    async def close(self) -> None:
        """Nothing is kept open between files."""


def _unleased(now: ColumnElement[datetime]) -> ColumnElement[bool]:
    """An outbox row no sender holds now: never leased, or its lease has run out."""
    return or_(Outbox.lease_until.is_(None), Outbox.lease_until <= now)


# Rows one pass leases at once. Small, so that senders in other workers share a backlog, and a
# pass never holds rows long: it gives back the rest when half the lease has gone (`send_due`).
CLAIM_BATCH = 10

# The sender's statements, built once ("now" and the rest bound per call). Urgent alerts come
# first: they never wait behind other mail (and never depend on it).
_NOW = bindparam("now", type_=Outbox.__table__.c.not_before.type)
_ORDER = ((Outbox.kind == OutboxKind.ALERT.value).desc(), Outbox.not_before, Outbox.id)
_FREE_DUE = (select(Outbox.id).where(Outbox.status == OutboxStatus.pending, Outbox.not_before <= _NOW,
                                     _unleased(_NOW))
             .order_by(*_ORDER).limit(bindparam("limit", type_=Integer))
             .with_for_update(skip_locked=True).scalar_subquery())
_CLAIM = (update(Outbox).where(Outbox.id.in_(_FREE_DUE))
          .values(claimed_by=bindparam("identity"), lease_until=bindparam("until"))
          .returning(Outbox))
_RELEASE = (update(Outbox).where(Outbox.id.in_(bindparam("row_ids", expanding=True)),
                                 Outbox.claimed_by == bindparam("identity"), Outbox.status == OutboxStatus.pending)
            .values(claimed_by=None, lease_until=None))
# The row being finished and its case, in one statement; the row locked until the result commits.
_FINISHING = (select(Outbox, Case).outerjoin(Case, Case.id == Outbox.case_id)
              .where(Outbox.id == bindparam("row_id")).with_for_update(of=Outbox))


class Sender:
    """Sends due outbox rows; a row is marked sent only after the transport accepted it."""

    def __init__(
        self,
        cfg: Config,
        sessions: sessionmaker[Session],
        mail: MailTransport,
        chat: ChatTransport | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.cfg = cfg
        self.sessions = sessions
        self.mail = mail
        self.chat = chat
        self.clock = clock or (lambda: datetime.now(UTC))
        self.wake = asyncio.Event()
        # Who holds a claimed row (Outbox.claimed_by): this sender, in this process on this host.
        self.identity = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=cfg.store.outbox_lease_seconds)

    def _claim(self, limit: int = CLAIM_BATCH) -> list[tuple[Outbox, list[StoredAttachment]]]:
        """Lease up to `limit` rows due now, held by no sender, and load them with their files,
        alerts first, then oldest first.

        One UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED) ... RETURNING: of
        two senders racing for rows each gets its own, and neither waits for the other. The
        lease, committed before any send, outlives any one send (config: at least twice the SMTP
        timeout), and a killed sender's expires, so another sender then takes its rows.
        """
        now = self.clock()
        with self.sessions() as s:
            autocommit(s)  # the lease is one statement: it commits by itself, before any send
            rows = list(s.scalars(_CLAIM, {"now": now, "limit": limit, "identity": self.identity,
                                           "until": now + self.lease},
                                  execution_options={"synchronize_session": False}))
            # RETURNING keeps no order: the rows go in _ORDER's, the order they were chosen in.
            rows.sort(key=lambda r: (r.kind != OutboxKind.ALERT.value, r.not_before, r.id))
            contacts = [r.outbound_contact_id for r in rows if r.outbound_contact_id]
            files: dict[int, list[StoredAttachment]] = {}
            if contacts:
                for a in s.scalars(select(StoredAttachment).where(StoredAttachment.contact_id.in_(contacts))
                                   .order_by(StoredAttachment.id)):
                    files.setdefault(a.contact_id, []).append(a)
            s.commit()  # SQLite's transaction; on PostgreSQL nothing is left to commit
            return [(r, files.get(r.outbound_contact_id or 0, [])) for r in rows]

    def _release(self, row_ids: list[int]) -> None:
        """Give back leased rows this pass will not send now: the next pass (any sender's) takes them."""
        with self.sessions() as s:
            s.execute(_RELEASE, {"row_ids": row_ids, "identity": self.identity},
                      execution_options={"synchronize_session": False})
            s.commit()

    async def _deliver(self, row: Outbox, files: Sequence[StoredAttachment]) -> None:
        if row.channel == "telegram":
            if self.chat is None:
                raise TemporaryFailure("Telegram channel is not running")
            try:
                chat_id = int(row.to_address)
            except ValueError as exc:
                raise BadOutgoingMessage(f"not a Telegram chat id: {row.to_address[:40]!r}") from exc
            await self.chat.send_text(chat_id, body_text(row.text))
        else:
            await self.mail.send(build_email(self.cfg, row, self.clock(), files))

    def _finish(self, row_id: int, error: Exception | None) -> None:
        now = self.clock()
        with self.sessions() as s:
            found = s.execute(_FINISHING, {"row_id": row_id}).first()
            assert found is not None
            row, case = found
            if row.claimed_by != self.identity or row.status != OutboxStatus.pending:
                # Only if a send outlasted the lease: the sender holding the row now records it.
                logger.warning("outbox #%d: lease lost to %s during the send; leaving the row to it",
                               row_id, row.claimed_by)
                return
            row.claimed_by, row.lease_until = None, None
            row.attempts += 1
            if error is None:
                row.status, row.sent_at, row.last_error = OutboxStatus.sent, now, None
                logger.info("%s %s sent to %s by %s", case.reference if case else f"outbox #{row.id}",
                            row.kind, row.to_address, row.channel)
                if case is not None and row.kind in CASE_ANSWERS and case.acknowledged_at is None:
                    case.acknowledged_at = now
                s.add(Event(at=now, case_id=row.case_id, actor="signpost", kind="sent",
                            detail={"outbox": row.id, "kind": row.kind, "channel": row.channel}))
            elif isinstance(error, TemporaryFailure) and row.attempts < self.cfg.channels.smtp_outbound.max_attempts:
                delay = error.retry_after or self.cfg.channels.smtp_outbound.backoff_seconds * 2 ** (row.attempts - 1)
                row.not_before, row.last_error = now + timedelta(seconds=delay), str(error)[:2000]
                logger.warning("outbox #%d: %s; retry in %.0fs", row.id, error, delay)
            else:
                self._give_up(s, row, case, error, now)
            s.commit()

    def _give_up(self, s: Session, row: Outbox, case: Case | None, error: Exception, now: datetime) -> None:
        """Mark the row dead (delivery refused) or failed (it could not be built), and tell a human."""
        bad = isinstance(error, BadOutgoingMessage)
        row.status, row.last_error = (OutboxStatus.failed if bad else OutboxStatus.dead), str(error)[:2000]
        logger.error("outbox #%d (%s to %s channel) %s after %d attempts: %s",
                     row.id, row.kind, row.channel, row.status.value, row.attempts, error)
        kind = "unreachable" if isinstance(error, Unreachable) else "outbox_failed" if bad else "delivery_failed"
        s.add(Event(at=now, case_id=row.case_id, actor="signpost", kind=kind,
                    detail={"outbox": row.id, "kind": row.kind, "error": str(error)[:500], "attempts": row.attempts}))
        if isinstance(error, Unreachable):
            if case is not None:
                case.unreachable = True
            ident = s.scalar(select(Identity).where(Identity.kind == row.channel, Identity.value == row.to_address))
            if ident is not None:
                ident.unreachable = True
        ref = case.reference if case is not None else "-"
        if row.kind != OutboxKind.ALERT:
            subject, text = f"Undelivered {row.kind} for case {ref}", (
                f"Signpost could not deliver a {row.kind} to {row.to_address} on {row.channel}: {error}\n")
        elif not (row.headers or {}).get(FALLBACK_HEADER):
            # An alert that cannot go out as written goes out plain: the duty team must still hear of it.
            subject, text = f"URGENT {ref}: an urgent alert could not be sent", (
                f"Signpost could not send an urgent alert about case {ref} to {row.to_address}: {error}\n\n"
                f"Someone may be at risk now. Open case {ref} in the dashboard at once.\n")
        else:
            return  # the plain fallback failed too: logged above; never loop
        for duty in self.cfg.alerts.duty_addresses:
            s.add(Outbox(case_id=row.case_id, kind=OutboxKind.ALERT.value, channel="email", to_address=duty,
                         subject=subject, text=text, headers={"Auto-Submitted": "auto-generated",
                                                              FALLBACK_HEADER: "yes"},
                         message_id=new_message_id(self.cfg, "staff"), not_before=now, created_at=now))

    async def _send_one(self, row: Outbox, files: Sequence[StoredAttachment]) -> None:
        err: Exception | None = None
        try:
            await self._deliver(row, files)
        except (TemporaryFailure, PermanentFailure) as exc:
            err = exc
        except Exception as exc:  # a bug or odd data in this one row: it fails alone, the rest go on
            logger.exception("outbox #%d: cannot be sent", row.id)
            err = BadOutgoingMessage(f"{type(exc).__name__}: {exc}")
        await asyncio.to_thread(self._finish, row.id, err)

    async def send_due(self, *, keep_open: bool = False) -> int:
        """Send every row due now; returns how many were dealt with. One row's failure never stops the others.

        Rows are leased CLAIM_BATCH at a time. When half the lease has gone before a batch is
        through (a slow relay), the rest are given back rather than sent on a lease that may
        run out mid-send, when another sender could take and send them too. The relay connection
        is closed at the end unless `keep_open` (`run` keeps it while mail is due).
        """
        try:
            return await self._send_batches()
        finally:
            if not keep_open:
                await self.mail.close()

    async def _send_batches(self) -> int:
        done = 0
        while True:
            batch = await asyncio.to_thread(self._claim)
            for i, (row, files) in enumerate(batch):
                assert row.lease_until is not None  # leased by _claim, all with the same expiry
                if self.clock() > row.lease_until - self.lease / 2:
                    await asyncio.to_thread(self._release, [r.id for r, _ in batch[i:]])
                    logger.warning("sender: %d leased row(s) given back: half the lease went on the rows before",
                                   len(batch) - i)
                    self.wake.set()  # they are due still: `run` passes again at once
                    return done
                try:
                    await self._send_one(row, files)
                    done += 1
                except Exception:  # e.g. the store refused the row's update: it stays pending, the next one goes
                    logger.exception("outbox #%d: sending pass failed for this row", row.id)
            if len(batch) < CLAIM_BATCH:
                return done

    def release_stale_leases(self) -> int:
        """SQLite: every lease in the store is a dead process's (one process serves the file: the
        lock file sees to it), so its rows go at once rather than after the lease. PostgreSQL: none
        touched, other workers may be sending them; their leases expire."""
        with self.sessions() as s:
            if s.get_bind().dialect.name != "sqlite":
                return 0
            ids = list(s.scalars(update(Outbox).where(Outbox.claimed_by.is_not(None),
                                                      Outbox.status == OutboxStatus.pending)
                                 .values(claimed_by=None, lease_until=None).returning(Outbox.id)))
            s.commit()
        return len(ids)

    async def run(self, stop: asyncio.Event, idle_seconds: float = 2.0) -> None:
        """Deliver due rows until `stop`; woken early by `wake` when new rows are queued.

        A pass takes every row due when it starts (CLAIM_BATCH at a time); a row queued during
        the pass sets `wake`, so the next pass starts at once, and otherwise the sender waits for
        the next wake-up or `idle_seconds` (rows that fall due by the clock: retries, scheduled
        mail). The relay connection stays open across wake-ups, so mail trickling in one message
        at a time shares it too, and is closed once `idle_seconds` pass with nothing queued.
        """
        if n := await asyncio.to_thread(self.release_stale_leases):
            logger.info("sender: %d row(s) claimed by a sender that stopped mid-send go again now", n)
        while not stop.is_set():
            self.wake.clear()
            try:
                await self.send_due(keep_open=True)
            except Exception as exc:  # a store hiccup must not kill the loop; rows stay pending
                if store_unreachable(exc):  # an outage: one line a pass, not a traceback every few seconds
                    logger.error("sender: pass failed: the store cannot be reached (%s); rows stay pending",
                                 driver_message(exc))
                else:
                    logger.exception("sender: pass failed")
            if self.wake.is_set():
                continue  # queued during the pass: the relay connection stays open for it
            waiter = asyncio.ensure_future(self.wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=idle_seconds, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
            if not self.wake.is_set():
                await self.mail.close()  # quiet for `idle_seconds`: the relay need not keep it for us
        await self.mail.close()
