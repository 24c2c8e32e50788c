"""Telegram channel: python-telegram-bot inside Signpost's loop; stores each update raw, sends replies.

Exactly-once intake. PTB's own Updater fetches a batch, puts it in a queue and confirms it on
the next getUpdates, whether or not the updates were handled, so a crash or a stop between
the two loses them. Here the channel drives getUpdates itself: each update goes through the
Application's one handler (`on_update`), which commits the raw JSON; only then is the next
offset saved in ChannelState and sent to Telegram, which confirms (forgets) the earlier
updates. A crash after the commit but before the offset is saved makes Telegram send the
update again, and the unique (channel, external_id) key turns that repeat into a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import warnings
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram_files import attach_pending
from bot.channels.telegram_text import split_text
from bot.config import Config, Telegram, secret
from bot.errors import PermanentFailure, TemporaryFailure, Unreachable
from bot.intake import Intake
from store.models import ChannelState

logger = logging.getLogger(__name__)

OFFSET_KEY = "telegram:offset"
MAX_BACKOFF = 60.0


def _retry_after(exc: RetryAfter) -> float:
    """Seconds to wait; PTB 22 warns that the attribute becomes a timedelta, so accept both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = exc.retry_after
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


class TelegramChannel:
    """Long polling or webhook intake, and `send_text` for the outbox."""

    def __init__(self, settings: Telegram | Config, intake: Intake, sessions: sessionmaker[Session],
                 *, attach_seconds: float = 5.0, connect_wait: float = 15.0,
                 retry_seconds: float = 5.0) -> None:
        # The whole Config is accepted too, as the composition root holds it.
        self.settings = settings.channels.telegram if isinstance(settings, Config) else settings
        self._intake = intake
        self._sessions = sessions
        self._attach_seconds = attach_seconds
        self.connect_wait = connect_wait
        self._retry_seconds = retry_seconds  # pause after an update could not be stored
        self.app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.ready = asyncio.Event()  # set once getMe and the webhook set-up succeeded
        self.webhook_secret: str | None = None
        self._stored: set[int] = set()  # update ids committed by on_update, read once by the caller
        self._tasks: list[asyncio.Task[None]] = []
        self.health: Any = None  # a bot.health.ChannelHealth, set by the composition root
        # bot.roles.Role: with several workers, one polls getUpdates (two would get 409 Conflict);
        # every worker sends. None: this process polls.
        self.role: Any = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> bool:
        """Connect and start polling (or register the webhook).

        Returns:
            True when the channel is on (or still connecting in the background after a Bot API
            outage); False, after a log line saying why, when it is off.
        """
        s = self.settings
        token = secret(s.token_env)
        if not s.enabled:
            logger.info("Telegram channel off: disabled in config")
            return False
        if token is None:
            logger.warning("Telegram channel off: no token in $%s", s.token_env)
            return False
        if s.mode == "webhook":
            self.webhook_secret = secret(s.webhook_secret_env)
            if self.webhook_secret is None or not s.webhook_url:
                logger.error("Telegram channel off: webhook mode needs webhook_url and a secret in $%s",
                             s.webhook_secret_env)
                return False
        # No Updater: polling is driven below so that offsets are confirmed only after storing.
        self.app = (ApplicationBuilder().token(token).base_url(s.base_url)
                    .base_file_url(s.base_file_url).updater(None).build())
        self.app.add_handler(TypeHandler(Update, self.on_update))
        self.app.add_error_handler(self.on_error)
        self._tasks = [asyncio.create_task(self._run(), name="telegram-intake"),
                       asyncio.create_task(self._attach_loop(), name="telegram-files")]
        # Wait for the first connection so start-up logs say whether the channel is on, but
        # never hold up the service: a Bot API outage is retried in the background.
        ready = asyncio.ensure_future(self.ready.wait())
        await asyncio.wait([ready, self._tasks[0]], timeout=self.connect_wait,
                           return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if self.ready.is_set() or not self._tasks[0].done():
            return True
        await self.stop()  # the token was rejected: nothing left running
        return False

    async def stop(self) -> None:
        """Stop polling and close the client; an update being stored is finished or re-fetched."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self.app is not None:
            if self.app.running:
                await self.app.stop()
            await self.app.shutdown()
        self.ready.clear()

    async def _connect(self) -> None:
        assert self.app is not None
        await self.app.initialize()  # getMe; a no-op when an earlier attempt got this far
        if not self.app.running:
            await self.app.start()
        if self.settings.mode == "webhook":
            await self.app.bot.set_webhook(self.settings.webhook_url, secret_token=self.webhook_secret)
        else:
            await self.app.bot.delete_webhook()
        me = self.app.bot.username
        logger.info("Telegram channel on: @%s, %s mode", me, self.settings.mode)
        if self.health is not None:
            self.health.success()
        self.ready.set()

    async def _run(self) -> None:
        backoff = 1.0
        while not self.ready.is_set():
            try:
                await self._connect()
            except InvalidToken:
                logger.error("Telegram channel off: the Bot API rejected the token in $%s",
                             self.settings.token_env)
                return
            except TelegramError as exc:
                logger.warning("Telegram: cannot connect (%s); retrying in %.0fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
        if self.settings.mode == "polling":
            if self.role is None:
                await self._poll()
            else:
                await self.role.run(self._poll_while_held, asyncio.Event())  # stopped by cancelling

    async def _poll_while_held(self, role_stop: asyncio.Event) -> None:
        """Poll while this process holds the bot's poller role; the offset is in the store, so a
        worker taking over carries on where the last holder confirmed."""
        if self.health is not None:
            self.health.take_over()
        poll = asyncio.create_task(self._poll(), name="telegram-poll")
        stopper = asyncio.ensure_future(role_stop.wait())
        try:
            await asyncio.wait({poll, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poll
            if self.health is not None:
                self.health.stand_by()
                self.health.connected = self.ready.is_set()  # still sending

    # -- intake --------------------------------------------------------------------------------

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE | None = None) -> None:
        """The one PTB callback, for every kind of update: commit the raw JSON and return."""
        msg = update.effective_message
        received_at = msg.date if msg is not None and msg.date else self._intake.now()
        raw = json.dumps(update.to_dict(), ensure_ascii=False).encode()
        await self._intake.accept_async("telegram", str(update.update_id), raw, received_at, is_email=False)
        self._stored.add(update.update_id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        uid = update.update_id if isinstance(update, Update) else None
        logger.error("telegram update %s: not stored", uid, exc_info=context.error)

    async def store(self, update: Update) -> bool:
        """Run the update through the Application; True once its raw JSON is committed."""
        assert self.app is not None
        await self.app.process_update(update)
        if update.update_id in self._stored:
            self._stored.discard(update.update_id)
            return True
        return False

    def _load_offset(self) -> int | None:
        with self._sessions() as s:
            row = s.get(ChannelState, OFFSET_KEY)
            return int(row.value) if row else None

    def _save_offset(self, offset: int) -> None:
        with self._sessions() as s:
            row = s.get(ChannelState, OFFSET_KEY)
            if row is None:
                s.add(ChannelState(key=OFFSET_KEY, value=str(offset)))
            else:
                row.value = str(offset)
            s.commit()

    async def _poll(self) -> None:
        assert self.app is not None
        offset = await asyncio.to_thread(self._load_offset)
        backoff = 1.0
        while True:
            try:
                updates = await self.app.bot.get_updates(offset=offset, timeout=self.settings.poll_timeout)
                if self.health is not None:
                    self.health.success()
            except InvalidToken:
                logger.error("Telegram channel off: the Bot API rejected the token")
                if self.health is not None:
                    self.health.failure("the Bot API rejected the token")
                return
            except TelegramError as exc:  # network, timeout, 409 Conflict, 5xx
                if self.health is not None:
                    self.health.failure(f"getUpdates: {exc}")
                logger.warning("Telegram getUpdates failed (%s); retrying in %.0fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            except Exception:  # an update PTB cannot parse: keep polling, never die silently
                logger.exception("Telegram getUpdates answer not understood; retrying in %.0fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            try:
                for update in updates:
                    if not await self.store(update):
                        break  # fetched again from this offset after a pause
                    await asyncio.to_thread(self._save_offset, update.update_id + 1)
                    offset = update.update_id + 1
                else:
                    continue
            except SQLAlchemyError as exc:
                logger.error("Telegram: cannot save the update offset (%s); will fetch again", exc)
            await asyncio.sleep(self._retry_seconds)

    async def _attach_loop(self) -> None:
        await self.ready.wait()
        assert self.app is not None
        while True:
            try:
                await attach_pending(self.app.bot, self._sessions)
            except (TelegramError, SQLAlchemyError) as exc:
                logger.warning("Telegram: fetching attachments failed (%s); will retry", exc)
            except Exception:  # the loop must outlive one bad file; the update itself is stored
                logger.exception("Telegram: fetching attachments failed; will retry")
            await asyncio.sleep(self._attach_seconds)

    # -- sending -------------------------------------------------------------------------------

    async def send_text(self, chat_id: int, text: str) -> list[int]:
        """Send plain text (no parse_mode, so markup is sent as typed), split to Telegram's limit.

        Returns:
            the message ids, one per part.

        Raises:
            TemporaryFailure: 429 (with retry_after) or a network error; try again later.
            Unreachable: 403 (the person blocked the bot or left) or the chat no longer exists.
            PermanentFailure: an empty text, or any other refusal (400 Bad Request).
        """
        if self.app is None or not self.ready.is_set():
            raise TemporaryFailure("telegram channel is not connected")
        parts = split_text(text)
        if not parts:
            raise PermanentFailure("empty reply: nothing to send")
        ids: list[int] = []
        for n, part in enumerate(parts):
            ids.append(await self._send_part(chat_id, part, continuation=n > 0))
        return ids

    async def _send_part(self, chat_id: int, text: str, *, continuation: bool) -> int:
        assert self.app is not None
        for _ in range(3):
            try:
                msg = await self.app.bot.send_message(chat_id, text)
                return int(msg.message_id)
            except RetryAfter as exc:
                wait = _retry_after(exc)
                # Later parts wait briefly rather than fail: a retry of the whole reply
                # would send the earlier parts twice.
                if not continuation or wait > 10:
                    raise TemporaryFailure(f"telegram 429: {exc.message}", retry_after=wait) from exc
                await asyncio.sleep(wait)
            except Forbidden as exc:
                raise Unreachable(f"telegram 403: {exc.message}") from exc
            except BadRequest as exc:  # a subclass of NetworkError in PTB: test it first
                if "chat not found" in exc.message.lower():
                    raise Unreachable(f"telegram 400: {exc.message}") from exc
                raise PermanentFailure(f"telegram 400: {exc.message}") from exc
            except TelegramError as exc:
                raise TemporaryFailure(f"telegram: {exc}") from exc
        raise TemporaryFailure("telegram 429 persisted while sending a continuation part")


def webhook_route(channel: TelegramChannel) -> Route:
    """A Starlette POST route on `webhook_path` that stores updates Telegram pushes to us.

    Telegram sends the secret given to setWebhook in X-Telegram-Bot-Api-Secret-Token; a call
    without it is refused (403). 200 is answered only after the update is committed; any other
    answer makes Telegram deliver it again later.
    """

    async def telegram_webhook(request: Request) -> Response:
        expected = channel.webhook_secret
        given = request.headers.get("x-telegram-bot-api-secret-token", "")
        if expected is None or not hmac.compare_digest(given.encode(), expected.encode()):
            return Response("forbidden", status_code=403)
        if channel.app is None or not channel.ready.is_set():
            return Response("not ready", status_code=503)
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, channel.app.bot)
        except (ValueError, TypeError, KeyError):
            return Response("bad update", status_code=400)
        if update is None or not await channel.store(update):
            return Response("not stored", status_code=500)
        return Response("ok", status_code=200)

    return Route(channel.settings.webhook_path, telegram_webhook, methods=["POST"])
