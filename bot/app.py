"""Composition root: build the store, pipeline, channels and loops, and run them on one event loop."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config, secret
from bot.intake import Intake
from bot.sender import FileSinkTransport, MailTransport, Sender, SmtpTransport
from bot.worker import Worker
from handlers.compose import make_environment
from store.db import make_engine, make_sessionmaker, migrate

logger = logging.getLogger(__name__)


def open_store(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """Engine + session factory for a store, created and migrated on first use."""
    engine = make_engine(url)
    migrate(engine)
    return engine, make_sessionmaker(engine)


def mail_transport(cfg: Config) -> MailTransport:
    o = cfg.channels.smtp_outbound
    return SmtpTransport(cfg) if o.enabled else FileSinkTransport(o.sink_dir)


class Service:
    """Everything `signpost run` runs; tests start and stop it in-process too."""

    def __init__(
        self,
        cfg: Config,
        *,
        sessions: sessionmaker[Session] | None = None,
        mail: MailTransport | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.cfg = cfg
        if sessions is None:
            self.engine, sessions = open_store(cfg.store.url)
        self.sessions = sessions
        self.env: Environment = make_environment()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.stop_event = asyncio.Event()
        self.worker = Worker(cfg, sessions, self.env, on_outbox=self._wake_sender)
        self.intake = Intake(sessions, on_new=self._wake_worker)
        self.sender = Sender(cfg, sessions, mail or mail_transport(cfg), None, clock=self.clock)
        self.telegram: Any = None
        self.smtp_server: asyncio.AbstractServer | None = None
        self.web_server: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def _wake_worker(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.worker.wake.set)

    def _wake_sender(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.sender.wake.set)

    @property
    def smtp_port(self) -> int | None:
        if self.smtp_server is None:
            return None
        return int(self.smtp_server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Start every enabled channel and loop; returns once they are running."""
        self._loop = asyncio.get_running_loop()
        ch = self.cfg.channels
        if ch.smtp_intake.enabled:
            from bot.channels.smtp_listen import start_smtp

            self.smtp_server = await start_smtp(self.cfg, self.intake)
        if ch.telegram.enabled:
            await self._start_telegram()
        if ch.imap.enabled:
            from bot.channels.imap_poll import ImapPoller

            poller = ImapPoller(self.cfg, self.intake, self.sessions)
            self._spawn("imap", poller.run(self.stop_event))
        self._spawn("worker", self.worker.run(self.stop_event))
        self._spawn("sender", self.sender.run(self.stop_event))
        self._start_scheduler()
        if self.cfg.web.enabled:
            await self._start_web()
        logger.info("signpost running: store %s", self.cfg.store.url.split("@")[-1])

    async def _start_telegram(self) -> None:
        from bot.channels.telegram_poll import TelegramChannel

        if self.cfg.channels.telegram.mode == "webhook" and not self.cfg.web.enabled:
            logger.warning("Telegram webhook mode needs the web server (web.enabled: true) to receive updates")
        channel = TelegramChannel(self.cfg, self.intake, self.sessions)
        if await channel.start():
            self.telegram = channel
            self.sender.chat = channel

    def _start_scheduler(self) -> None:
        try:
            from bot.scheduler import Scheduler
        except ImportError:  # pragma: no cover - scheduler is part of the product
            raise
        scheduler = Scheduler(self.cfg, self.sessions, self.env, now=self.clock, on_outbox=self._wake_sender)
        self._spawn("scheduler", scheduler.run(self.stop_event))

    async def _start_web(self) -> None:
        import uvicorn

        from bot.web.app import create_app

        extra = []
        if self.telegram is not None and self.cfg.channels.telegram.mode == "webhook":
            from bot.channels.telegram_poll import webhook_route

            extra.append(webhook_route(self.telegram))
        key = secret(self.cfg.web.secret_env)
        if not key:
            logger.warning("web: $%s is not set, so the session secret is a new random one at each start: "
                           "every restart signs everyone out. Set it to a long random value.",
                           self.cfg.web.secret_env)
            key = secrets.token_urlsafe(32)
        app = create_app(self.cfg, self.sessions, secret=key, extra_routes=extra, env=None,
                         on_outbox=self._wake_sender, clock=self.clock, https_only=self.cfg.web.https_only)
        config = uvicorn.Config(app, host=self.cfg.web.host, port=self.cfg.web.port, log_level="warning",
                                lifespan="off")
        self.web_server = uvicorn.Server(config)
        self._spawn("web", self.web_server.serve())
        logger.info("dashboard on http://%s:%d/ (log in at /login)", self.cfg.web.host, self.cfg.web.port)

    def _spawn(self, name: str, coro: Any) -> None:
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(self._task_done)
        self._tasks.append(task)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or self.stop_event.is_set():
            return
        exc = task.exception()
        if exc is not None:
            logger.error("%s loop crashed: %r; stopping the service", task.get_name(), exc, exc_info=exc)
            self.stop_event.set()

    async def stop(self) -> None:
        self.stop_event.set()
        if self.web_server is not None:
            self.web_server.should_exit = True
        if self.smtp_server is not None:
            self.smtp_server.close()
            await self.smtp_server.wait_closed()
        if self.telegram is not None:
            await self.telegram.stop()
        if self._tasks:
            done, pending = await asyncio.wait(self._tasks, timeout=10)
            for t in pending:
                t.cancel()
        self._tasks.clear()

    async def serve_forever(self) -> None:
        """`signpost run`: start, wait for SIGINT/SIGTERM, stop cleanly."""
        await self.start()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stop_event.set)
        if self.smtp_port:
            logger.info("SMTP intake on port %d: send a test email to the office mailbox (README, Quick start)",
                        self.smtp_port)
        await self.stop_event.wait()
        await self.stop()
        logger.info("signpost stopped (pid %d)", os.getpid())
