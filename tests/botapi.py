"""A small Telegram Bot API server on loopback for tests of the real python-telegram-bot client.

It implements what Signpost uses: getMe, getUpdates (long polling; an ``offset`` confirms and
discards earlier updates, as Telegram does), sendMessage, deleteWebhook, setWebhook, getFile and
file downloads, and can be told to answer 429 (with ``parameters.retry_after``) or 403.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Parameters PTB sends JSON-encoded in its form body; everything else is a plain string.
_JSON_PARAMS = {"chat_id", "offset", "limit", "timeout", "entities", "allowed_updates",
                "max_connections", "drop_pending_updates", "link_preview_options", "reply_parameters"}
MAX_TEXT = 4096


@dataclass
class SentMessage:
    chat_id: int
    text: str
    entities: Any = None
    parse_mode: str | None = None
    message_id: int = 0


@dataclass
class BotApiServer:
    """Fake Bot API: ``await server.start()``, then point PTB at ``server.base_url``."""

    token: str = "123456:TEST-token"
    bot_id: int = 123456
    username: str = "SignpostTestBot"
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> (path, bytes)
    blocked: set[int] = field(default_factory=set)
    port: int = 0

    def __post_init__(self) -> None:
        self._next_update_id = 1000
        self._next_message_id = 1
        self._flood: list[float | None] = []  # per next sendMessage call: retry_after, or None to pass
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    # -- test controls -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates (an update_id is given if missing); wakes long polls."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()
        return int(update["update_id"])

    def fail_next_sends(self, count: int, retry_after: float = 3, *, after: int = 0) -> None:
        """Answer `count` sendMessage calls, after the next `after` ones, with 429 Too Many Requests."""
        self._flood.extend([None] * after + [retry_after] * count)

    def add_file(self, file_id: str, data: bytes, file_path: str) -> None:
        self.files[file_id] = (file_path, data)

    def method_calls(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1, on a free port unless `port` is given (a restart of the same server)."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- HTTP ----------------------------------------------------------------------------------

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(status: int, description: str, **parameters: Any) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data: dict[str, Any] = await request.json()
            return data
        form = await request.post() if request.can_read_body else {}
        params: dict[str, Any] = dict(request.query)
        for key, value in form.items():
            params[key] = json.loads(value) if key in _JSON_PARAMS and isinstance(value, str) else value
        for key in ("offset", "limit", "timeout", "chat_id"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        response: web.Response = await handler(params)
        return response

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        for path, data in self.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    # -- methods -------------------------------------------------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> web.Response:
        return self._ok({"id": self.bot_id, "is_bot": True, "first_name": "Signpost",
                         "username": self.username, "can_join_groups": False,
                         "can_read_all_group_messages": False, "supports_inline_queries": False})

    async def _m_getupdates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.get("offset")
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        async with self._changed:
            if offset is not None:
                # Telegram forgets every update below the offset: it is confirmed.
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and (left := deadline - time.monotonic()) > 0:
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except TimeoutError:
                    break
            return self._ok(self.updates[:limit])

    async def _m_sendmessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        retry_after = self._flood.pop(0) if self._flood else None
        if retry_after is not None:
            return self._error(429, f"Too Many Requests: retry after {retry_after:g}",
                               retry_after=retry_after)
        if chat_id in self.blocked:
            return self._error(403, "Forbidden: bot was blocked by the user")
        if not text.strip():
            return self._error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            return self._error(400, "Bad Request: message is too long")
        entities = params.get("entities")
        message_id = self._next_message_id
        self._next_message_id += 1
        self.sent.append(SentMessage(chat_id, text, entities, params.get("parse_mode"), message_id))
        result: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Signpost"},
            "text": text,
        }
        if entities:
            result["entities"] = entities
        return self._ok(result)

    async def _m_setwebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token")}
        return self._ok(True)

    async def _m_deletewebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = None
        return self._ok(True)

    async def _m_getfile(self, params: dict[str, Any]) -> web.Response:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            return self._error(400, "Bad Request: invalid file_id")
        path, data = self.files[file_id]
        return self._ok({"file_id": file_id, "file_unique_id": f"u{file_id}",
                         "file_size": len(data), "file_path": path})
