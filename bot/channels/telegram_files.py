"""Photos and documents of stored Telegram updates: which files they carry, and fetching them.

Why a sweep after triage rather than a download at intake: the raw update must be stored
before anything else happens (a slow or failing download must never delay or lose the
update), and an attachment row needs the Contact the worker creates in its own unit of work,
with no network I/O inside that transaction. So the channel runs `attach_pending` every few
seconds: for each recent Telegram contact whose update carries files and that has no
"attachments_fetched" event yet, it downloads the files over getFile (file ids stay valid, so
a retry after an outage still works) and stores them as attachments of the contact, then
records the event. A failed download is retried on the next sweep; nothing is lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest

from store.models import Contact, Direction, Event, RawMessage, StoredAttachment

logger = logging.getLogger(__name__)

# getFile serves files up to 20 MB; bigger ones can only be fetched by a self-hosted server.
MAX_DOWNLOAD = 20 * 1024 * 1024
FETCHED = "attachments_fetched"


@dataclass(frozen=True)
class FileRef:
    """One file of an update, named the way the store names it."""

    file_id: str
    filename: str
    content_type: str
    size: int | None


def telegram_files(update: dict[str, Any]) -> list[FileRef]:
    """The photo (largest size) and document of a new message, named as handlers/tgupdate.py names them."""
    msg = update.get("message")
    if not isinstance(msg, dict):
        return []
    refs = []
    photos = msg.get("photo")
    largest = photos[-1] if isinstance(photos, list) and photos else None  # sizes go smallest first
    if isinstance(largest, dict) and largest.get("file_id"):
        refs.append(FileRef(largest["file_id"], "photo.jpg", "image/jpeg", largest.get("file_size")))
    doc = msg.get("document")
    if isinstance(doc, dict) and doc.get("file_id"):
        refs.append(FileRef(doc["file_id"], doc.get("file_name") or "document",
                            doc.get("mime_type") or "application/octet-stream", doc.get("file_size")))
    return refs


def _pending(sessions: sessionmaker[Session], since: datetime) -> list[tuple[int, int, list[FileRef]]]:
    """(contact_id, raw_id, files) for recent Telegram contacts whose files are not fetched yet."""
    with sessions() as s:
        done = select(Event.raw_id).where(Event.kind == FETCHED, Event.raw_id.is_not(None))
        rows = s.execute(
            select(Contact.id, RawMessage.id, RawMessage.raw)
            .join(RawMessage, Contact.raw_id == RawMessage.id)
            .where(RawMessage.channel == "telegram", Contact.direction == Direction.inbound,
                   RawMessage.stored_at >= since, RawMessage.id.not_in(done))
            .order_by(RawMessage.id)
        ).all()
    out = []
    for contact_id, raw_id, raw in rows:
        try:
            files = telegram_files(json.loads(raw))
        except (ValueError, TypeError):
            continue  # the worker records undecodable updates; nothing to fetch
        if files:
            out.append((contact_id, raw_id, files))
    return out


def _store(sessions: sessionmaker[Session], contact_id: int, raw_id: int,
           got: list[tuple[FileRef, bytes]], skipped: list[FileRef]) -> None:
    """Attach the downloaded files (filling rows the worker made without data) and mark done."""
    with sessions() as s:
        contact = s.get(Contact, contact_id)
        assert contact is not None
        existing = {a.filename: a for a in contact.attachments}
        for ref, data in got:
            row = existing.get(ref.filename)
            if row is None:
                s.add(StoredAttachment(contact_id=contact_id, filename=ref.filename,
                                       content_type=ref.content_type, size=len(data), data=data))
            elif not row.data:
                row.data, row.size = data, len(data)
        s.add(Event(at=datetime.now(UTC), case_id=contact.case_id, raw_id=raw_id,
                    actor="channel:telegram", kind=FETCHED,
                    detail={"files": [r.filename for r, _ in got],
                            "too_large": [r.filename for r in skipped]}))
        s.commit()


async def attach_pending(bot: Bot, sessions: sessionmaker[Session], *, days: float = 7) -> int:
    """Fetch and store the files of recent Telegram contacts; returns how many were stored."""
    since = datetime.now(UTC) - timedelta(days=days)
    stored = 0
    for contact_id, raw_id, files in await asyncio.to_thread(_pending, sessions, since):
        got: list[tuple[FileRef, bytes]] = []
        skipped: list[FileRef] = []
        for ref in files:
            if ref.size is not None and ref.size > MAX_DOWNLOAD:
                skipped.append(ref)
                continue
            try:
                tg_file = await bot.get_file(ref.file_id)
                got.append((ref, bytes(await tg_file.download_as_bytearray())))
            except BadRequest as exc:  # e.g. "file is too big": retrying cannot help
                logger.warning("telegram raw #%d: cannot fetch %s: %s", raw_id, ref.filename, exc.message)
                skipped.append(ref)
        await asyncio.to_thread(_store, sessions, contact_id, raw_id, got, skipped)
        stored += len(got)
        logger.info("telegram raw #%d: stored %d attachment(s)", raw_id, len(got))
    return stored
