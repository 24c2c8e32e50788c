"""The only way in: store raw bytes from a channel, idempotently, and wake the worker."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
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
        msgid = header_message_id(raw) if is_email else None
        digest = content_hash(raw)
        with self._sessions() as s:
            existing = s.scalar(
                select(RawMessage.id).where(RawMessage.channel == channel, RawMessage.external_id == external_id)
            )
            if existing is not None:
                return Accepted(existing, False)
            twin = None
            if msgid:
                twin = s.scalar(
                    select(RawMessage.id)
                    .where(RawMessage.message_id_header == msgid, RawMessage.content_hash == digest)
                    .order_by(RawMessage.id)
                    .limit(1)
                )
            row = RawMessage(
                channel=channel,
                external_id=external_id[:255],
                raw=raw,
                message_id_header=msgid,
                content_hash=digest,
                received_at=received_at,
                status=RawStatus.duplicate if twin else RawStatus.new,
                source_file=source_file,
                duplicate_of=twin,
            )
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                # A concurrent accept of the same (channel, external_id) won the race.
                s.rollback()
                again = s.scalar(
                    select(RawMessage.id).where(
                        RawMessage.channel == channel, RawMessage.external_id == external_id
                    )
                )
                assert again is not None
                return Accepted(again, False)
            s.add(
                Event(
                    at=received_at,
                    raw_id=row.id,
                    actor=f"channel:{channel}",
                    kind="duplicate" if twin else "received",
                    detail={"external_id": external_id[:255], "bytes": len(raw), "duplicate_of": twin},
                )
            )
            s.commit()
            raw_id = row.id
        logger.info("%s stored raw #%d from %s (%d bytes)%s", msgid or external_id, raw_id, channel,
                    len(raw), f", duplicate of #{twin}" if twin else "")
        if self._on_new is not None:
            self._on_new()
        return Accepted(raw_id, True, twin)

    async def accept_async(
        self, channel: str, external_id: str, raw: bytes, received_at: datetime, **kw: object
    ) -> Accepted:
        """`accept` run in a worker thread so the event loop never blocks on the database."""
        return await asyncio.to_thread(self.accept, channel, external_id, raw, received_at, **kw)  # type: ignore[arg-type]
