"""Stalled intake channels for the digest, read from the events the scheduler records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Config
from store.models import Event

STALLED, RECOVERED = "channel_stalled", "channel_recovered"


@dataclass(frozen=True)
class StalledChannel:
    channel: str
    since: datetime | None  # its last successful fetch (None: none since the service started)
    stalled_at: datetime
    recovered_at: datetime | None

    @property
    def ongoing(self) -> bool:
        return self.recovered_at is None


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def stalled_channels(session: Session, start: datetime, end: datetime) -> list[StalledChannel]:
    """Each stall that began in [start, end), or began earlier and had not recovered by `start`."""
    rows = session.scalars(select(Event).where(Event.kind.in_((STALLED, RECOVERED)), Event.at < end)
                           .order_by(Event.at, Event.id))
    open_: dict[str, tuple[datetime, datetime | None]] = {}
    out: list[StalledChannel] = []
    for ev in rows:
        channel = str((ev.detail or {}).get("channel", "?"))
        at = _aware(ev.at)
        assert at is not None
        if ev.kind == STALLED:
            since = (ev.detail or {}).get("since")
            open_[channel] = (at, datetime.fromisoformat(since) if since else None)
        elif channel in open_:
            stalled_at, since = open_.pop(channel)
            if at >= start:
                out.append(StalledChannel(channel, since, stalled_at, at))
    out.extend(StalledChannel(ch, since, at, None) for ch, (at, since) in open_.items())
    return sorted(out, key=lambda s: s.stalled_at)


def case_anchor(cfg: Config, reference: str) -> Markup:
    """A case reference as a link to its dashboard page when web.public_url is set (HTML digest)."""
    if not cfg.web.public_url:
        return Markup(escape(reference))
    return Markup(f'<a href="{escape(cfg.web.case_url(reference))}">{escape(reference)}</a>')
