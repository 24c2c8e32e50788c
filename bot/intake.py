"""The only way in: store raw bytes from a channel, idempotently, and wake the worker."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store.models import Event, RawMessage, RawStatus, utcnow

logger = logging.getLogger(__name__)

_MSGID_RE = re.compile(rb"^Message-ID:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)


def header_message_id(raw: bytes) -> str | None:
    """The Message-ID of an RFC 5322 message, read from the header block only, or None."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    m = _MSGID_RE.search(head)
    if not m:
        return None
    value = re.sub(rb"\s+", b"", m.group(1)).decode("ascii", "replace").strip()
    return value[:998] or None


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Accepted:
    raw_id: int
    created: bool  # False when this (channel, external_id) was stored before
    duplicate_of: int | None = None  # same Message-ID and content seen on another channel/id
    message_id: str | None = None  # the Message-ID header read (for the log line)


@dataclass(frozen=True)
class Arrival:
    """One message for `Intake.accept_many`: the arguments of `Intake.accept`."""

    channel: str
    external_id: str
    raw: bytes
    received_at: datetime
    source_file: str | None = None
    is_email: bool = True


class Intake:
    """Stores raw messages; `on_new` (e.g. an asyncio.Event setter) is called after each commit."""

    def __init__(self, sessions: sessionmaker[Session], on_new: Callable[[], None] | None = None, *,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = sessions
        self._on_new = on_new
        self._clock = clock

    def now(self) -> datetime:
        """The service's clock: the arrival time of a message whose channel gives none."""
        return self._clock()

    def accept(
        self,
        channel: str,
        external_id: str,
        raw: bytes,
        received_at: datetime,
        *,
        source_file: str | None = None,
        is_email: bool = True,
    ) -> Accepted:
        """Store one message and commit; a repeat of (channel, external_id) is a no-op.

        Args:
            channel: "imap", "smtp", "telegram" or "replay".
            external_id: the channel's own id (IMAP "uidvalidity:uid", SMTP content hash,
                Telegram update_id, replay file name).
            raw: the bytes exactly as received (RFC 5322, or the Update's JSON).
            received_at: an aware datetime.
            source_file: the replayed file name, kept for `export`.
            is_email: read a Message-ID for cross-channel de-duplication.

        Returns:
            Accepted(raw_id, created, duplicate_of). A message whose Message-ID and content
            hash match an earlier one is stored with status "duplicate" and not triaged again.
        """
        with self._sessions() as s:
            try:
                accepted = self._store(s, Arrival(channel, external_id, raw, received_at, source_file, is_email))
            except IntegrityError:
                # A concurrent accept of the same (channel, external_id) won the race.
                s.rollback()
                return Accepted(self._existing(s, channel, external_id), False)
            if accepted.created:
                s.commit()
        if accepted.created:
            self._stored(accepted, channel, external_id, len(raw))
            if self._on_new is not None:
                self._on_new()
        return accepted

    def accept_many(self, arrivals: Sequence[Arrival]) -> list[Accepted]:
        """Store several messages in one transaction (one commit, one fsync); for replay and imports.

        The same checks as `accept`, message by message in order, so a repeat or a cross-channel
        twin inside the batch is found as it would be one at a time. Nobody is waiting for a 250:
        should the batch conflict with a concurrent writer, it is rolled back and each message
        accepted on its own instead.
        """
        if not arrivals:
            return []
        try:
            with self._sessions() as s:
                out = [self._store(s, a) for a in arrivals]
                s.commit()
        except IntegrityError:
            return [self.accept(a.channel, a.external_id, a.raw, a.received_at, source_file=a.source_file,
                                is_email=a.is_email) for a in arrivals]
        for a, accepted in zip(arrivals, out, strict=True):
            if accepted.created:
                self._stored(accepted, a.channel, a.external_id, len(a.raw))
        if self._on_new is not None and any(a.created for a in out):
            self._on_new()
        return out

    @staticmethod
    def _existing(s: Session, channel: str, external_id: str) -> int:
        again = s.scalar(
            select(RawMessage.id).where(RawMessage.channel == channel, RawMessage.external_id == external_id[:255])
        )
        assert again is not None
        return again

    def _store(self, s: Session, a: Arrival) -> Accepted:
        """Add one raw row and its event in `s` (flushed, not committed); a repeat adds nothing.

        Raises:
            IntegrityError: a concurrent transaction stored the same (channel, external_id).
        """
        external_id = a.external_id[:255]
        existing = s.scalar(
            select(RawMessage.id).where(RawMessage.channel == a.channel, RawMessage.external_id == external_id)
        )
        if existing is not None:
            return Accepted(existing, False)
        msgid = header_message_id(a.raw) if a.is_email else None
        digest = content_hash(a.raw)
        twin = None
        if msgid:
            twin = s.scalar(
                select(RawMessage.id)
                .where(RawMessage.message_id_header == msgid, RawMessage.content_hash == digest)
                .order_by(RawMessage.id)
                .limit(1)
            )
        row = RawMessage(
            channel=a.channel,
            external_id=external_id,
            raw=a.raw,
            message_id_header=msgid,
            content_hash=digest,
            received_at=a.received_at,
            status=RawStatus.duplicate if twin else RawStatus.new,
            source_file=a.source_file,
            duplicate_of=twin,
        )
        s.add(row)
        s.flush()
        s.add(
            Event(
                at=a.received_at,
                raw_id=row.id,
                actor=f"channel:{a.channel}",
                kind="duplicate" if twin else "received",
                detail={"external_id": external_id, "bytes": len(a.raw), "duplicate_of": twin},
            )
        )
        return Accepted(row.id, True, twin, msgid)

    @staticmethod
    def _stored(accepted: Accepted, channel: str, external_id: str, size: int) -> None:
        twin = accepted.duplicate_of
        logger.info("%s stored raw #%d from %s (%d bytes)%s", accepted.message_id or external_id, accepted.raw_id,
                    channel, size, f", duplicate of #{twin}" if twin else "")

    async def accept_async(
        self, channel: str, external_id: str, raw: bytes, received_at: datetime, **kw: object
    ) -> Accepted:
        """`accept` run in a worker thread so the event loop never blocks on the database."""
        return await asyncio.to_thread(self.accept, channel, external_id, raw, received_at, **kw)  # type: ignore[arg-type]
