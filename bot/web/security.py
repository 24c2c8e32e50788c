"""Login and CSRF checks for every request, as one ASGI middleware inside SessionMiddleware."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from typing import Any
from urllib.parse import parse_qs, quote

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.users import SignedIn, active_user

CSRF_FIELD = "csrf_token"
CSRF_HEADER = b"x-csrf-token"
MAX_FORM_BYTES = 1024 * 1024
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_PATHS = frozenset({"/login"})
# No scripts at all, no framing (clickjacking), no referrer leaking case references elsewhere.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                 b"frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
_STYLE_BLOCK = re.compile(rb"<style[^>]*>(.*?)</style>", re.S | re.I)


def report_csp(body: bytes) -> str:
    """The dashboard's policy for the board report page, with its own <style> blocks allowed by hash.

    The report is a stand-alone document (downloaded as html it must keep its print styles), so its
    styles are inline; a CSP hash (CSP Level 2) admits exactly those blocks and nothing injected.
    """
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m).digest()).decode()}'"
                      for m in _STYLE_BLOCK.findall(body))
    return (f"default-src 'none'; style-src 'self' {hashes}; img-src 'self' data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, created on first use (synchroniser-token pattern)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k == name:
            return bytes(v).decode("latin-1")
    return ""


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is larger than `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            return None
        chunk = msg.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not msg.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            # A response with its own policy (the stand-alone board report page) keeps it.
            own = {bytes(k).lower() for k, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []), *(h for h in SECURITY_HEADERS if h[0] not in own)]
        await send(message)

    return sending


class GuardMiddleware:
    """Redirects anonymous requests to /login and refuses (403) any POST without the session's token.

    Paths in `exempt` (e.g. the Telegram webhook, which has its own secret) skip both checks.
    The signed-in user, re-read from the store, is put in scope["user"].
    """

    def __init__(self, app: ASGIApp, sessions: sessionmaker[Session], exempt: Collection[str] = (),
                 max_upload: int = MAX_FORM_BYTES) -> None:
        self.app = app
        self.sessions = sessions
        self.exempt = frozenset(exempt)
        self.max_upload = max(max_upload, MAX_FORM_BYTES)  # a form with files (a reply's attachments)

    def _lookup(self, name: str) -> SignedIn | None:
        with self.sessions() as s:
            return active_user(s, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in self.exempt or path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        session: dict[str, Any] = scope["session"]
        if scope["method"] == "POST":
            multipart = _header(scope, b"content-type").startswith("multipart/form-data")
            body = await _read_body(receive, self.max_upload if multipart else MAX_FORM_BYTES)
            if body is None:
                await PlainTextResponse("413 Request too large", 413)(scope, receive, send)
                return
            if not await self._token_ok(scope, session, body):
                await PlainTextResponse("403 Forbidden: missing or bad CSRF token", 403)(scope, receive, send)
                return
            receive = _replay(body)
        user: SignedIn | None = None
        name = session.get("user")
        if isinstance(name, str):
            user = await run_in_threadpool(self._lookup, name)
            if user is None:
                session.pop("user", None)
        scope["user"] = user
        if user is None and path not in PUBLIC_PATHS:
            query = scope.get("query_string", b"").decode("latin-1")
            target = path + ("?" + query if query else "")
            await RedirectResponse(f"/login?next={quote(target)}", 303)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _token_ok(scope: Scope, session: dict[str, Any], body: bytes) -> bool:
        expected = session.get("csrf")
        if not isinstance(expected, str) or not expected:
            return False
        given = _header(scope, CSRF_HEADER)
        kind = _header(scope, b"content-type")
        if not given and kind.startswith("application/x-www-form-urlencoded"):
            given = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD, [""])[0]
        elif not given and kind.startswith("multipart/form-data"):
            async with Request(scope, _replay(body)).form() as form:
                value = form.get(CSRF_FIELD, "")
                given = value if isinstance(value, str) else ""
        return hmac.compare_digest(given.encode(), expected.encode())

