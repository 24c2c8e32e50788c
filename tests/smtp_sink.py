"""A real aiosmtpd server on 127.0.0.1 that collects what it is sent (the outbound sink of the tests)."""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import json
import ssl
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool = False  # the message came over TLS (implicit or after STARTTLS)
    login: str | None = None  # the user the client authenticated as
    mail_options: list[str] = field(default_factory=list)  # MAIL FROM parameters, e.g. BODY=8BITMIME
    at: float = field(default_factory=time.monotonic)  # when it arrived (bench/multiworker_bench.py)
    connection: int = 0  # which client connection brought it (the id of its aiosmtpd session)

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
    # XOAUTH2 checking: token -> user it belongs to, or None (tests/oauth_server.py's `check`).
    check_token: Callable[[str], str | None] | None = None
    xoauth2_attempts: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)
    eight_bit_mime: bool = True  # False: a 7-bit relay, EHLO without 8BITMIME (RFC 6152)

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope,  # noqa: N802 - aiosmtpd naming
                          hostname: str, responses: list[str]) -> list[str]:
        session.host_name = hostname  # the 5-argument hook takes this over from aiosmtpd
        return responses if self.eight_bit_mime else [r for r in responses if r[4:] != "8BITMIME"]

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.fail_with:
            return self.fail_with
        data = envelope.original_content or b""
        login = session.auth_data if isinstance(session.auth_data, str) else None
        with self.lock:
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), bytes(data),
                                          tls=session.ssl is not None or _implicit_tls(server), login=login,
                                          mail_options=list(envelope.mail_options), connection=id(session)))
        return "250 OK"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802 - aiosmtpd naming
        """The XOAUTH2 exchange: 'user=U^Aauth=Bearer T^A^A'; a refusal is a 334 JSON challenge, then 535."""
        try:
            fields = dict(part.split("=", 1) for part in
                          base64.b64decode(args[1], validate=True).decode().split("\x01") if part)
            user, token = fields["user"], fields["auth"].removeprefix("Bearer ")
        except (IndexError, ValueError, KeyError):
            await server.push("501 5.5.2 Malformed XOAUTH2 response")
            return AuthResult(success=False, handled=True)
        owner = self.check_token(token) if self.check_token else None
        with self.lock:
            self.xoauth2_attempts.append((user, owner == user))
        if owner != user:
            await server.challenge_auth(json.dumps({"status": "401", "schemes": "Bearer"}))
            return AuthResult(success=False, handled=False)  # aiosmtpd answers 535
        return AuthResult(success=True, auth_data=user)


def _implicit_tls(server: SMTP) -> bool:
    transport = server.transport
    return transport is not None and transport.get_extra_info("ssl_object") is not None


class SmtpSink:
    """aiosmtpd on 127.0.0.1 port 0, on an event loop in its own thread, so it serves any client:
    the test's own loop, a service in-process, or a `signpost run` subprocess."""

    def __init__(self, *, tls: Any = None, implicit: bool = False,
                 check_token: Callable[[str], str | None] | None = None, eight_bit_mime: bool = True,
                 idle_timeout: float = 300) -> None:
        """`tls`: a trustme CA: offer STARTTLS, or (`implicit`) TLS from the first byte, as port 465 does.
        `check_token`: require AUTH XOAUTH2 with a token it accepts. `eight_bit_mime`: False, a 7-bit relay.
        `idle_timeout`: seconds after which the sink drops a client that sends nothing."""
        self._idle_timeout = idle_timeout
        self.handler = SinkHandler(check_token=check_token, eight_bit_mime=eight_bit_mime)
        self._context: ssl.SSLContext | None = None
        if tls is not None:
            self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.issue_cert("127.0.0.1", "localhost").configure_cert(self._context)
        self._implicit = implicit
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="smtp-sink")
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> SmtpSink:
        self._thread.start()

        def factory() -> SMTP:
            with warnings.catch_warnings():  # AUTH without TLS: the tests' "tls: none" case, on loopback
                warnings.simplefilter("ignore", UserWarning)
                return SMTP(self.handler, hostname="sink", tls_context=None if self._implicit else self._context,
                            auth_required=self.handler.check_token is not None, auth_require_tls=False,
                            timeout=self._idle_timeout)

        async def serve() -> asyncio.AbstractServer:
            return await self._loop.create_server(factory, "127.0.0.1", 0,
                                                  ssl=self._context if self._implicit else None)

        self._server = asyncio.run_coroutine_threadsafe(serve(), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._server is not None:
            server = self._server

            async def close() -> None:  # on the sink's own loop: asyncio servers are not thread-safe
                server.close()
                await server.wait_closed()

            asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
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
