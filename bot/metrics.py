"""Prometheus metrics (prometheus-client), counted from what each unit of work commits.

Counters and the latency histogram are fed by session events on the store's sessionmaker: the
`Event` rows a transaction adds (received, triaged, triage_failed, ...) and the `Outbox` rows it
marks sent or failed are counted once the transaction commits, so a rolled-back message counts
nothing and no stage, channel or loop needs to know about metrics. Backlog and channel ages are
read when /metrics is scraped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.health import Health, outbox_backlog
from handlers.labels import ACKNOWLEDGEMENTS
from store.models import Event, Outbox, OutboxStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds from arrival to the acknowledgement leaving: the office promises two working days.
ACK_BUCKETS = (1, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 86400, 2 * 86400, 4 * 86400)
_OUTCOMES = {"triage_failed": "failed", "input_rejected": "rejected"}
_PENDING = "signpost_metrics"


def _utc(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


class Metrics:
    """The service's registry; `watch(sessions)` starts counting what that sessionmaker commits."""

    def __init__(self, health: Health | None = None, sessions: sessionmaker[Session] | None = None) -> None:
        # No *_created series: they double the output and nothing here reads them (an untyped function).
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry()
        self.received = Counter("signpost_messages_received", "Messages stored, by channel",
                                ["channel"], registry=self.registry)
        self.outcomes = Counter("signpost_triage_outcomes", "Triage results: acknowledged, not_acknowledged "
                                "(machine mail, chat commands), failed (shunted), rejected (bad input)",
                                ["outcome", "category", "urgent"], registry=self.registry)
        self.ack_latency = Histogram("signpost_acknowledgement_latency_seconds",
                                     "From a message's arrival to its acknowledgement leaving",
                                     buckets=ACK_BUCKETS, registry=self.registry)
        self.send_failures = Counter("signpost_send_failures", "Outbox deliveries that failed: temporary "
                                     "(retried) or permanent (dead)", ["channel", "kind"], registry=self.registry)
        if health is not None and sessions is not None:
            self.registry.register(_LiveCollector(health, sessions))
        self._watched: list[sessionmaker[Session]] = []

    def watch(self, sessions: sessionmaker[Session]) -> None:
        event.listen(sessions, "after_flush", self._after_flush)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_soft_rollback", self._after_rollback)
        self._watched.append(sessions)

    def unwatch(self) -> None:
        for sessions in self._watched:
            event.remove(sessions, "after_flush", self._after_flush)
            event.remove(sessions, "after_commit", self._after_commit)
            event.remove(sessions, "after_soft_rollback", self._after_rollback)
        self._watched.clear()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    # -- session events: note at flush, count at commit ------------------------------------------

    def _after_flush(self, session: Session, _ctx: Any) -> None:
        # One count per new Event; per Outbox row, the state at its last flush in the transaction
        # (an autoflush can catch a row with its attempt counted but not yet marked sent).
        pending: dict[int, list[Callable[[], None]]] = session.info.setdefault(_PENDING, {})
        for obj in session.new:
            if isinstance(obj, Event):
                pending[id(obj)] = list(self._for_event(obj))
        for obj in session.dirty:
            attrs = inspect(obj).attrs if isinstance(obj, Outbox) else None
            if attrs is not None and (attrs.attempts.history.has_changes() or attrs.status.history.has_changes()):
                pending[id(obj)] = list(self._for_delivery(obj))

    def _for_event(self, ev: Event) -> Iterator[Callable[[], None]]:
        detail = ev.detail or {}
        if ev.kind in ("received", "duplicate") and ev.actor.startswith("channel:"):
            channel = ev.actor.split(":", 1)[1]
            yield lambda: self.received.labels(channel).inc()
        elif ev.kind == "triaged":
            outcome = "acknowledged" if detail.get("ack") else "not_acknowledged"
            labels = (outcome, str(detail.get("category") or "none"), str(bool(detail.get("urgent"))).lower())
            yield lambda: self.outcomes.labels(*labels).inc()
        elif ev.kind in _OUTCOMES:
            yield lambda: self.outcomes.labels(_OUTCOMES[ev.kind], "none", "false").inc()

    def _for_delivery(self, row: Outbox) -> Iterator[Callable[[], None]]:
        if row.status == OutboxStatus.sent:
            sent, created = _utc(row.sent_at), _utc(row.created_at)
            if row.kind in ACKNOWLEDGEMENTS and sent is not None and created is not None:
                seconds = max(0.0, (sent - created).total_seconds())
                yield lambda: self.ack_latency.observe(seconds)
        else:
            kind = "permanent" if row.status == OutboxStatus.dead else "temporary"
            channel = row.channel
            yield lambda: self.send_failures.labels(channel, kind).inc()

    def _after_commit(self, session: Session) -> None:
        for counts in session.info.pop(_PENDING, {}).values():
            for count in counts:
                count()

    def _after_rollback(self, session: Session, _previous: Any) -> None:
        session.info.pop(_PENDING, None)


class _LiveCollector(Collector):
    """Gauges read at scrape time: the outbox backlog and each channel's last success."""

    def __init__(self, health: Health, sessions: sessionmaker[Session]) -> None:
        self.health = health
        self.sessions = sessions

    def collect(self) -> Iterator[Metric]:
        now = self.health.clock()
        depth = GaugeMetricFamily("signpost_outbox_pending", "Outbox rows waiting to be sent")
        oldest = GaugeMetricFamily("signpost_outbox_oldest_pending_age_seconds",
                                   "Age of the oldest outbox row waiting to be sent")
        try:
            with self.sessions() as s:
                backlog = outbox_backlog(s, now)
            depth.add_metric([], backlog["pending"])
            oldest.add_metric([], backlog["oldest_pending_age_seconds"])
        except SQLAlchemyError:
            pass  # the store is down: /readyz says so; the gauges are left out of this scrape
        yield depth
        yield oldest
        age = GaugeMetricFamily("signpost_channel_last_success_age_seconds",
                                "Seconds since the channel last fetched successfully (since start if never)",
                                labels=["channel"])
        up = GaugeMetricFamily("signpost_channel_up", "1 when the channel is connected", labels=["channel"])
        for name, ch in self.health.channels.items():
            if ch.polls:
                age.add_metric([name], ch.silent_for(now).total_seconds())
            up.add_metric([name], 1.0 if ch.connected else 0.0)
        yield age
        yield up
