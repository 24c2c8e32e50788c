"""Replay .eml and .tg.json files through live intake, the worker and the sender, on the messages' own clock."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment
from lingua import LanguageDetector
from sqlalchemy.orm import Session, sessionmaker

from bot.config import REPLAY_BATCH, Config
from bot.intake import Arrival
from bot.outmail import OutgoingMail
from bot.progress import Progress
from bot.sender import MailTransport
from handlers.types import Classifier

logger = logging.getLogger(__name__)
SUFFIXES = (".eml", ".tg.json")
T = TypeVar("T")


class ReplayClock:
    """The replay's 'now': each message's arrival time, never going backwards."""

    def __init__(self) -> None:
        self.now = datetime(1970, 1, 1, tzinfo=UTC)

    def advance(self, to: datetime) -> None:
        self.now = max(self.now, to)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ReplayStats:
    files: int = 0
    stored: int = 0
    repeated: int = 0
    unreadable: int = 0


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the message files inside named folders, each folder in filename order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.name.endswith(SUFFIXES)))
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return out


def arrival_time(path: Path, data: bytes, previous: datetime) -> datetime:
    """The Date: header (or Telegram `date`); a missing or bad one takes the previous arrival."""
    try:
        if path.name.endswith(".tg.json"):
            upd = json.loads(data)
            msg = upd.get("message") or upd.get("edited_message") or {}
            stamp = msg.get("edit_date") or msg.get("date")
            if stamp is None:
                raise ValueError("no date")
            return datetime.fromtimestamp(int(stamp), UTC)
        date = BytesHeaderParser().parsebytes(data).get("Date")
        at = parsedate_to_datetime(str(date))
        return at if at.tzinfo else at.replace(tzinfo=UTC)
    except (ValueError, TypeError, AttributeError, OverflowError):
        logger.info("%s: no usable date, using the previous arrival time", path.name)
        return previous + timedelta(seconds=1)


def _update_id(data: bytes, fallback: str) -> str:
    try:
        return str(json.loads(data)["update_id"])
    except (ValueError, KeyError, TypeError):
        return fallback


def iter_messages(files: list[Path]) -> Iterator[tuple[Path, bytes, datetime]]:
    previous = datetime(2000, 1, 1, tzinfo=UTC)
    for f in files:
        data = f.read_bytes()
        at = arrival_time(f, data, previous)
        previous = at
        yield f, data, at


DEFAULT_BATCH = REPLAY_BATCH  # messages stored per transaction (one commit, one fsync)


async def replay(cfg: Config, sessions: sessionmaker[Session], paths: Iterable[str | Path],
                 mail: MailTransport, *, model: Classifier | None = None,
                 templates: Environment | None = None, detector: LanguageDetector | None = None,
                 batch: int = DEFAULT_BATCH, progress: Progress | None = None) -> ReplayStats:
    """Feed files in order through the same code as live intake; outbound goes to `mail`.

    Files are read and stored `batch` at a time, in one transaction each (nobody waits for a
    250, so one commit serves many). Then each stored message, in file order, is triaged and its
    replies sent before the next one is, with the clock set to the message's arrival, so
    deadlines come out as they would have, and a later message finds the case an earlier one
    opened. The parts are those of `signpost run` (bot.app.build), on the replay's clock.
    `progress`, if given, is told the number of files and advanced once per file.
    """
    from bot.app import build

    clock = ReplayClock()
    parts = build(cfg, sessions=sessions, mail=mail, chat=_ReplayChat(mail, cfg), clock=clock, model=model,
                  templates=templates, detector=detector)
    intake, worker, sender = parts.intake, parts.worker, parts.sender
    stats = ReplayStats()
    files = collect(paths)
    if progress is not None:
        progress.set_total(len(files))
    for chunk in _chunks(iter_messages(files), max(1, batch)):
        arrivals = [_arrival(path, data, at) for path, data, at in chunk]
        accepted = await asyncio.to_thread(intake.accept_many, arrivals)
        for (_path, _data, at), acc in zip(chunk, accepted, strict=True):
            stats.files += 1
            if progress is not None:
                progress.advance()
            if not acc.created:
                stats.repeated += 1
                continue
            stats.stored += 1
            clock.advance(at)
            await asyncio.to_thread(worker.process_one, acc.raw_id)
            await sender.send_due()
    # Anything else still waiting (left new by an interrupted run), as `signpost run` would.
    if await asyncio.to_thread(worker.drain):
        await sender.send_due()
    return stats


def _arrival(path: Path, data: bytes, at: datetime) -> Arrival:
    if path.name.endswith(".tg.json"):
        return Arrival("telegram", _update_id(data, path.name), data, at, path.name, is_email=False)
    return Arrival("replay", path.name, data, at, path.name)


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(islice(items, size)):
        yield chunk


class _ReplayChat:
    """Telegram replies in a replay go to the same file sink as mail, as text messages."""

    def __init__(self, mail: MailTransport, cfg: Config) -> None:
        self.mail = mail
        self.cfg = cfg

    async def send_text(self, chat_id: int, text: str) -> list[int]:
        from email.message import EmailMessage

        msg = EmailMessage()
        msg["To"] = f"telegram-chat-{chat_id}@telegram.invalid"
        msg["From"] = self.cfg.office.mailbox
        msg["Subject"] = "Telegram message"
        msg["X-Signpost-Channel"] = "telegram"
        msg.set_content(text)
        await self.mail.send(OutgoingMail.of(msg))
        return [0]
