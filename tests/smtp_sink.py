"""A real aiosmtpd server on 127.0.0.1 that collects what it is sent (the outbound sink of the tests)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class SinkHandler:
    received: list[Received] = field(default_factory=list)
    fail_with: str | None = None  # e.g. "451 4.3.0 try later" to simulate a failing relay
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.fail_with:
            return self.fail_with
        data = envelope.original_content or b""
        with self.lock:
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(data)))
        return "250 OK"


class SmtpSink:
    """aiosmtpd on 127.0.0.1 port 0, on an event loop in its own thread, so it serves any client:
    the test's own loop, a service in-process, or a `signpost run` subprocess."""

    def __init__(self) -> None:
        self.handler = SinkHandler()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="smtp-sink")
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> SmtpSink:
        self._thread.start()

        async def serve() -> asyncio.AbstractServer:
            return await self._loop.create_server(lambda: SMTP(self.handler, hostname="sink"), "127.0.0.1", 0)

        self._server = asyncio.run_coroutine_threadsafe(serve(), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            asyncio.run_coroutine_threadsafe(self._server.wait_closed(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return [r.message for r in self.handler.received]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[EmailMessage]:
        """Block until at least `count` messages arrived (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.handler.received) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages at the sink, got {len(self.handler.received)}")

    async def wait_for_async(self, count: int, timeout: float = 15.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.handler.received) >= count:
                return self.messages
            await asyncio.sleep(0.05)
        raise AssertionError(f"expected {count} messages at the sink, got {len(self.handler.received)}")
