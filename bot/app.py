"""Composition root: build the store, model, templates, clock, loops and channels, and run them on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import secrets
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment
from lingua import LanguageDetector
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.config import Config, secret
from bot.health import Health
from bot.intake import Intake
from bot.metrics import Metrics
from bot.roles import Role, engine_of
from bot.scheduler import Scheduler
from bot.sender import ChatTransport, FileSinkTransport, MailTransport, Sender, SmtpTransport
from bot.worker import Worker
from handlers import model as triage_model
from handlers import rules
from handlers.compose import make_environment
from handlers.language import make_detector
from handlers.types import Classifier
from store.db import make_engine, make_sessionmaker, migrate
from store.models import utcnow
from store.uow import driver_message, store_unreachable

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# Seconds a store loop waits before it starts again after each failure in a row to reach the
# store; the last is repeated until the store answers.
OUTAGE_WAITS = (1.0, 2.0, 5.0, 10.0, 30.0)


def open_store(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """Engine + session factory for a store, created and migrated on first use."""
    engine = make_engine(url)
    migrate(engine)
    return engine, make_sessionmaker(engine)


def mail_transport(cfg: Config) -> MailTransport:
    o = cfg.channels.smtp_outbound
    return SmtpTransport(cfg) if o.enabled else FileSinkTransport(o.sink_dir)


def load_model(cfg: Config) -> Classifier:
    """The triage model `triage.model_path` names, or one fitted on the shipped examples."""
    return triage_model.load_model(rules.model_path(cfg))


@dataclass
class Wakeups:
    """Thread-safe nudges between the loops: intake wakes the worker; worker, scheduler, web wake the sender."""

    loop: asyncio.AbstractEventLoop | None = None  # set when the service starts; None: nobody waits
    worker: asyncio.Event | None = None
    sender: asyncio.Event | None = None

    def wake_worker(self) -> None:
        self._set(self.worker)

    def wake_sender(self) -> None:
        self._set(self.sender)

    def _set(self, event: asyncio.Event | None) -> None:
        if self.loop is not None and event is not None:
            self.loop.call_soon_threadsafe(event.set)


@dataclass
class Parts:
    """Everything one Signpost process runs on, wired once by `build` (cosmicpython's bootstrap)."""

    cfg: Config
    sessions: sessionmaker[Session]
    clock: Clock
    model: Classifier
    templates: Environment  # reply, alert and report templates (the web pages have their own)
    detector: LanguageDetector  # Welsh detection (handlers/language.py)
    intake: Intake
    worker: Worker
    sender: Sender
    scheduler: Scheduler
    wakeups: Wakeups
    engine: Engine | None = None  # when build opened the store itself

    def web_app(self, *, secret: str, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
        """The dashboard on these parts' store, templates and clock; a queued reply wakes the sender."""
        from bot.web.app import create_app

        return create_app(self.cfg, self.sessions, secret=secret, extra_routes=extra_routes, env=self.templates,
                          on_outbox=self.wakeups.wake_sender, clock=self.clock, https_only=self.cfg.web.https_only)


def build(
    cfg: Config,
    *,
    sessions: sessionmaker[Session] | None = None,
    mail: MailTransport | None = None,
    chat: ChatTransport | None = None,
    clock: Clock | None = None,
    model: Classifier | None = None,
    templates: Environment | None = None,
    detector: LanguageDetector | None = None,
) -> Parts:
    """Wire intake, worker, sender and scheduler to one store, model, template environment and clock.

    Args:
        cfg: the loaded configuration.
        sessions: the store's session factory; None opens (and migrates) `store.url`.
        mail: outbound mail; None means the configured SMTP relay or file sink.
        chat: outbound Telegram; None until the service's Telegram channel is up.
        clock: the current time for every part; None is real time (UTC).
        model: the triage model; None loads `triage.model_path` or fits the shipped examples.
        templates: the Jinja2 environment; None builds it over templates/.
        detector: the language detector; None builds lingua's over handlers/language.py's candidates.

    Returns:
        The parts, ready for `Service`, `replay` or a one-shot command to run.
    """
    engine = None
    if sessions is None:
        engine, sessions = open_store(cfg.store.url)
    now = clock or utcnow
    fitted = model if model is not None else load_model(cfg)
    env = templates if templates is not None else make_environment()
    languages = detector if detector is not None else make_detector()
    wakeups = Wakeups()
    worker = Worker(cfg, sessions, env, fitted, clock=now, on_outbox=wakeups.wake_sender, detector=languages)
    sender = Sender(cfg, sessions, mail or mail_transport(cfg), chat, clock=now)
    wakeups.worker, wakeups.sender = worker.wake, sender.wake
    return Parts(
        cfg=cfg, sessions=sessions, clock=now, model=fitted, templates=env, detector=languages,
        intake=Intake(sessions, on_new=wakeups.wake_worker, clock=now), worker=worker, sender=sender,
        scheduler=Scheduler(cfg, sessions, env, now=now, on_outbox=wakeups.wake_sender),
        wakeups=wakeups, engine=engine,
    )


class Service:
    """Everything `signpost run` runs; tests start and stop it in-process too."""

    def __init__(
        self,
        cfg: Config,
        *,
        sessions: sessionmaker[Session] | None = None,
        mail: MailTransport | None = None,
        clock: Clock | None = None,
        model: Classifier | None = None,
        templates: Environment | None = None,
    ) -> None:
        self.cfg = cfg
        self.parts = build(cfg, sessions=sessions, mail=mail, clock=clock, model=model, templates=templates)
        self.engine = self.parts.engine
        self.sessions = self.parts.sessions
        self.env = self.parts.templates
        self.clock = self.parts.clock
        self.stop_event = asyncio.Event()
        self.worker = self.parts.worker
        self.intake = self.parts.intake
        self.sender = self.parts.sender
        self.telegram: Any = None
        # Wall-clock liveness for /readyz, /metrics and the scheduler's stalled-channel alert.
        self.health = Health()
        self.metrics = Metrics(self.health, self.sessions)
        self.parts.scheduler.health = self.health
        self.smtp_server: asyncio.Server | None = None
        self.web_server: Any = None
        self._tasks: list[asyncio.Task[None]] = []
        # The loops that crashed: `signpost run` then exits with status 1, for its supervisor
        # (systemd's Restart=on-failure, compose's restart policy) to start it again.
        self.crashed: list[str] = []

    @property
    def smtp_port(self) -> int | None:
        if self.smtp_server is None:
            return None
        return int(self.smtp_server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Start every enabled channel and loop; returns once they are running."""
        self.parts.wakeups.loop = asyncio.get_running_loop()
        self.metrics.watch(self.sessions)
        ch = self.cfg.channels
        if ch.smtp_intake.enabled:
            from bot.channels.smtp_listen import start_smtp

            self.smtp_server = await start_smtp(self.cfg, self.intake)
            self.health.channel("smtp_intake", 0, polls=False).success()
        if ch.telegram.enabled:
            await self._start_telegram()
        if ch.imap.enabled:
            self._start_imap()
        leader = self._role("scheduler", "scheduler")
        self.parts.scheduler.leader = leader

        async def lead(role_stop: asyncio.Event) -> None:
            self.parts.scheduler.wake.set()  # tick now: the digest or a breach may be due
            await role_stop.wait()

        self._spawn("scheduler-leader", leader.run(lead, self.stop_event))
        # The store's own loops outlive an outage of the store: each starts again once it is back.
        self._spawn("worker", self._through_outages("worker", lambda: self.worker.run(self.stop_event)))
        self._spawn("sender", self._through_outages("sender", lambda: self.sender.run(self.stop_event)))
        self._spawn("scheduler", self._through_outages("scheduler",
                                                       lambda: self.parts.scheduler.run(self.stop_event)))
        if self.cfg.web.enabled:
            await self._start_web()
        from bot.startup import startup_lines

        for line in startup_lines(self.cfg, self.smtp_port, self.telegram is not None):
            logger.info("%s", line)
        logger.info("signpost running: store %s", self.cfg.store.url.split("@")[-1])

    def _role(self, kind: str, name: str) -> Role:
        """A role one worker holds at a time across processes sharing the store (bot/roles.py)."""
        role = Role(name, engine_of(self.sessions), self.cfg.store.takeover_seconds)
        self.health.roles[kind] = role
        return role

    def _start_imap(self) -> None:
        from bot.channels.imap_poll import ImapPoller

        i = self.cfg.channels.imap
        poller = ImapPoller(self.cfg, self.intake, self.sessions)
        # A batch runs at least every poll_seconds (IDLE is capped at it): allow two and a minute.
        health = poller.health = self.health.channel("imap", 2 * i.poll_seconds + 60)
        role = self._role("imap", f"imap {i.username}@{i.host}:{i.port}/{i.folder}")
        health.standby = not role.held

        async def poll(role_stop: asyncio.Event) -> None:
            health.take_over()
            try:
                await poller.run(role_stop)
            finally:
                health.stand_by()

        self._spawn("imap", role.run(poll, self.stop_event))

    async def _start_telegram(self) -> None:
        from bot.channels.telegram_poll import TelegramChannel

        if self.cfg.channels.telegram.mode == "webhook" and not self.cfg.web.enabled:
            logger.warning("Telegram webhook mode needs the web server (web.enabled: true) to receive updates")
        channel = TelegramChannel(self.cfg, self.intake, self.sessions)
        t = self.cfg.channels.telegram
        channel.health = self.health.channel("telegram", 2 * t.poll_timeout + 60, polls=t.mode == "polling")
        if t.mode == "polling":  # webhook updates come to whichever worker the proxy picks
            bot_id = (secret(t.token_env) or "").split(":", 1)[0]
            channel.role = self._role("telegram", f"telegram bot {bot_id} at {t.base_url}")
            channel.health.standby = not channel.role.held
        if await channel.start():
            self.telegram = channel
            self.sender.chat = channel

    async def _start_web(self) -> None:
        import uvicorn

        from bot.web.ops import ops_routes

        extra = ops_routes(self.cfg, self.sessions, self.health, self.metrics)
        if self.telegram is not None and self.cfg.channels.telegram.mode == "webhook":
            from bot.channels.telegram_poll import webhook_route

            extra.append(webhook_route(self.telegram))
        key = secret(self.cfg.web.secret_env)
        if not key:
            logger.warning("web: $%s is not set, so the session secret is a new random one at each start: "
                           "every restart signs everyone out. Set it to a long random value.",
                           self.cfg.web.secret_env)
            key = secrets.token_urlsafe(32)
        app = self.parts.web_app(secret=key, extra_routes=extra)
        config = uvicorn.Config(app, host=self.cfg.web.host, port=self.cfg.web.port, log_level="warning",
                                lifespan="off")
        self.web_server = uvicorn.Server(config)
        self._spawn("web", self.web_server.serve())

    async def _through_outages(self, name: str, loop: Callable[[], Any]) -> None:
        """Run `loop()`; when it stops because the store cannot be reached (store/uow.store_unreachable:
        PostgreSQL restarting, failing over, its network down), log it and start the loop again
        after OUTAGE_WAITS seconds, until the store answers. Any other error is a crash."""
        waits = iter(OUTAGE_WAITS)
        while True:
            started = asyncio.get_running_loop().time()
            try:
                await loop()
                return
            except Exception as exc:
                if self.stop_event.is_set() or not store_unreachable(exc):
                    raise
                if asyncio.get_running_loop().time() - started > OUTAGE_WAITS[-1]:
                    waits = iter(OUTAGE_WAITS)  # it ran a while since the last outage: a new one
                wait = next(waits, OUTAGE_WAITS[-1])
                logger.error("%s loop: the store cannot be reached (%s); starting the loop again in %gs",
                             name, driver_message(exc), wait)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop_event.wait(), wait)
                if self.stop_event.is_set():
                    return

    def _spawn(self, name: str, coro: Any) -> None:
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(self._task_done)
        self._tasks.append(task)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or self.stop_event.is_set():
            return
        exc = task.exception()
        if exc is not None:
            self.crashed.append(task.get_name())
            logger.error("%s loop crashed: %r; stopping the service (exit status 1, for the supervisor to "
                         "start it again)", task.get_name(), exc, exc_info=exc)
            self.stop_event.set()

    async def stop(self) -> None:
        self.stop_event.set()
        self.metrics.unwatch()
        if self.web_server is not None:
            self.web_server.should_exit = True
        if self.smtp_server is not None:
            self.smtp_server.close()
            await self.smtp_server.wait_closed()
        if self.telegram is not None:
            await self.telegram.stop()
        await self.parts.intake.settle()  # what the channels handed over is committed, and answered
        if self._tasks:
            done, pending = await asyncio.wait(self._tasks, timeout=10)
            for t in pending:
                t.cancel()
        self._tasks.clear()

    async def serve_forever(self) -> None:
        """`signpost run`: start, wait for SIGINT/SIGTERM, stop cleanly."""
        await self.start()
        # What starting made lives as long as the process (the model's vocabularies, the compiled cues
        # and templates): out of the cyclic collector's sight, a full collection walks only what came
        # after, a few milliseconds rather than the tenth of a second every message waited behind.
        gc.collect()
        gc.freeze()
        logger.info("start-up objects kept out of garbage collection: %d", gc.get_freeze_count())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stop_event.set)
        if self.smtp_port:
            logger.info("SMTP intake on port %d: send a test email to the office mailbox (README, Quick start)",
                        self.smtp_port)
        await self.stop_event.wait()
        await self.stop()
        logger.info("signpost stopped (pid %d)", os.getpid())
