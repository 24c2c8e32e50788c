"""The only way in: store raw bytes from a channel, idempotently, and wake the worker."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store.models import Event, RawMessage, RawStatus, utcnow

logger = logging.getLogger(__name__)
# The intake's look-ups over a batch, built once; IN lists go `_IN_CHUNK` values at a time.
_IN_CHUNK = 500
# accept_async: at most this many messages arriving together go in one commit.
GROUP_MAX = 100
_REPEATS = select(RawMessage.id, RawMessage.external_id).where(
    RawMessage.channel == bindparam("channel"), RawMessage.external_id.in_(bindparam("ids", expanding=True)))
_TWINS = (select(RawMessage.id, RawMessage.message_id_header, RawMessage.content_hash)
          .where(RawMessage.message_id_header.in_(bindparam("msgids", expanding=True))).order_by(RawMessage.id))

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
        # accept_async's group commit: the messages waiting for the next commit, and its task.
        self._waiting: list[tuple[Arrival, asyncio.Future[Accepted]]] = []
        self._committer: asyncio.Task[None] | None = None

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
                (accepted,) = self._store(s, [Arrival(channel, external_id, raw, received_at, source_file,
                                                       is_email)])
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
                out = self._store(s, arrivals)
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

    def _store(self, s: Session, arrivals: Sequence[Arrival]) -> list[Accepted]:
        """Add the raw rows and their events in `s` (flushed, not committed); a repeat adds nothing.

        In order, as one at a time would: a repeat of an earlier (channel, external_id), in the
        store or earlier in `arrivals`, is not stored again, and a message whose Message-ID and
        content match an earlier one is stored as its duplicate. The look-ups are one query for
        repeats and one for twins over all of `arrivals`, and the rows go in with one flush.

        Raises:
            IntegrityError: a concurrent transaction stored the same (channel, external_id).
        """
        keys = [(a.channel, a.external_id[:255]) for a in arrivals]
        msgids = [header_message_id(a.raw) if a.is_email else None for a in arrivals]
        digests = [content_hash(a.raw) for a in arrivals]
        seen: dict[tuple[str, str], int | RawMessage] = {}
        for channel in {c for c, _ in keys}:
            ids = sorted({e for c, e in keys if c == channel})
            for start in range(0, len(ids), _IN_CHUNK):
                seen.update(((channel, ext), row_id) for row_id, ext in s.execute(
                    _REPEATS, {"channel": channel, "ids": ids[start:start + _IN_CHUNK]}))
        twins: dict[tuple[str, str], int | RawMessage] = {}
        wanted = sorted({m for m in msgids if m})
        for start in range(0, len(wanted), _IN_CHUNK):
            for row_id, found, digest in s.execute(_TWINS, {"msgids": wanted[start:start + _IN_CHUNK]}):
                twins.setdefault((str(found), digest), row_id)  # the oldest: ordered by id
        placed: list[int | RawMessage] = []
        created: list[bool] = []
        for a, key, msgid, digest in zip(arrivals, keys, msgids, digests, strict=True):
            if key in seen:
                placed.append(seen[key])
                created.append(False)
                continue
            twin = twins.get((msgid, digest)) if msgid else None
            if isinstance(twin, RawMessage):
                s.flush()  # a twin earlier in this batch: its id first (rare)
                twin = twin.id
            row = RawMessage(channel=a.channel, external_id=key[1], raw=a.raw, message_id_header=msgid,
                             content_hash=digest, received_at=a.received_at,
                             status=RawStatus.duplicate if twin else RawStatus.new, source_file=a.source_file,
                             duplicate_of=twin)
            s.add(row)
            seen[key] = row
            if msgid:
                twins.setdefault((msgid, digest), row)
            placed.append(row)
            created.append(True)
        s.flush()
        out = []
        for a, got, new, msgid in zip(arrivals, placed, created, msgids, strict=True):
            if not new:
                out.append(Accepted(got.id if isinstance(got, RawMessage) else got, False))
                continue
            assert isinstance(got, RawMessage)
            twin = got.duplicate_of
            s.add(Event(at=a.received_at, raw_id=got.id, actor=f"channel:{a.channel}",
                        kind="duplicate" if twin else "received",
                        detail={"external_id": got.external_id, "bytes": len(a.raw), "duplicate_of": twin}))
            out.append(Accepted(got.id, True, twin, msgid))
        return out

    @staticmethod
    def _stored(accepted: Accepted, channel: str, external_id: str, size: int) -> None:
        twin = accepted.duplicate_of
        logger.info("%s stored raw #%d from %s (%d bytes)%s", accepted.message_id or external_id, accepted.raw_id,
                    channel, size, f", duplicate of #{twin}" if twin else "")

    async def accept_async(
        self, channel: str, external_id: str, raw: bytes, received_at: datetime, *, source_file: str | None = None,
        is_email: bool = True,
    ) -> Accepted:
        """`accept` off the event loop, with group commit: messages that arrive while a commit
        is under way go in together in the next one (one transaction, one fsync, for many
        SMTP sessions or Telegram updates). It returns only once this message is committed, so
        the SMTP 250 still follows the commit; alone, a message is committed at once, as by `accept`.

        Raises whatever storing this message raised (the store is down, say): a message that
        fails alone in a group is tried again on its own, so it never fails the others.
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Accepted] = loop.create_future()
        self._waiting.append((Arrival(channel, external_id, raw, received_at, source_file, is_email), done))
        if self._committer is None or self._committer.done():
            self._committer = loop.create_task(self._commit_waiting(), name="intake-group-commit")
        # A caller that goes away (the SMTP client hung up) cancels only its own future: the
        # group's commit goes on, and the client's retry is a repeat (the same content hash).
        return await done

    async def settle(self) -> None:
        """Wait for the group commit under way, if any (the service's stop: no message half-stored)."""
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)

    async def _commit_waiting(self) -> None:
        """Commit the waiting messages, GROUP_MAX at a time, until none wait."""
        while self._waiting:
            group, self._waiting = self._waiting[:GROUP_MAX], self._waiting[GROUP_MAX:]
            arrivals = [a for a, _ in group]
            try:
                results: list[Accepted | BaseException] = list(await asyncio.to_thread(self.accept_many, arrivals))
            except Exception as exc:
                if len(group) == 1:
                    results = [exc]
                else:  # one message of the group may be at fault: each alone, so only it fails
                    logger.warning("intake: a group of %d messages could not be stored together (%r); "
                                   "storing each on its own", len(group), exc)
                    results = [await self._alone(a) for a in arrivals]
            for (_, done), result in zip(group, results, strict=True):
                if done.done():
                    continue
                if isinstance(result, BaseException):
                    done.set_exception(result)
                else:
                    done.set_result(result)

    async def _alone(self, a: Arrival) -> Accepted | BaseException:
        try:
            return await asyncio.to_thread(self.accept, a.channel, a.external_id, a.raw, a.received_at,
                                           source_file=a.source_file, is_email=a.is_email)
        except Exception as exc:
            return exc
