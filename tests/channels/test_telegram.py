"""The Telegram channel with the real python-telegram-bot client against a Bot API server on loopback."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from botapi import BotApiServer
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette

from bot.channels.telegram_poll import OFFSET_KEY, TelegramChannel, webhook_route
from bot.config import Telegram
from bot.errors import PermanentFailure, TemporaryFailure, Unreachable
from bot.intake import Intake
from handlers import chat
from handlers.tgupdate import parse_telegram
from handlers.types import Kind, Triage, TriageInputError
from store.models import ChannelState, Contact, Direction, Event, RawMessage, StoredAttachment

USER = 5550001
NOW = 1_790_000_000


def message(text: str | None = "hello", *, chat_type: str = "private", chat_id: int = USER,
            **extra: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "message_id": 1, "date": NOW,
        "from": {"id": USER, "is_bot": False, "first_name": "Sam", "last_name": "Example"},
        "chat": {"id": chat_id, "type": chat_type}, **extra,
    }
    if text is not None:
        msg["text"] = text
    return {"message": msg}



@pytest.fixture
def make_channel(api: BotApiServer, sqlite_sessions: Any, monkeypatch: pytest.MonkeyPatch
                 ) -> Callable[..., TelegramChannel]:
    monkeypatch.setenv("SIGNPOST_TELEGRAM_TOKEN", api.token)
    monkeypatch.setenv("SIGNPOST_TELEGRAM_WEBHOOK_SECRET", "s3cret-token_1")

    def build(**settings: Any) -> TelegramChannel:
        values = {"enabled": True, "base_url": api.base_url, "base_file_url": api.base_file_url,
                  "poll_timeout": 1, **settings}
        return TelegramChannel(Telegram(**values), Intake(sqlite_sessions), sqlite_sessions,
                               attach_seconds=3600, retry_seconds=0.05)

    return build


@pytest.fixture
async def channel(make_channel: Callable[..., TelegramChannel]) -> AsyncIterator[TelegramChannel]:
    ch = make_channel()
    assert await ch.start()
    assert ch.ready.is_set()
    yield ch
    await ch.stop()


async def until(check: Callable[[], Any], timeout: float = 5.0) -> None:
    """Wait until check() is truthy (it may be a coroutine function)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def raws(sessions: Any) -> list[RawMessage]:
    with sessions() as s:
        query = select(RawMessage).where(RawMessage.channel == "telegram").order_by(RawMessage.id)
        return list(s.scalars(query))


def offset(sessions: Any) -> int | None:
    with sessions() as s:
        row = s.get(ChannelState, OFFSET_KEY)
        return int(row.value) if row else None


# -- intake ------------------------------------------------------------------------------------

async def test_updates_are_stored_raw_with_the_update_id_then_confirmed(
        api: BotApiServer, channel: TelegramChannel, sqlite_sessions: Any) -> None:
    first = await api.push_update(message("My shed was broken into last night."))
    second = await api.push_update(message("It was around 2am.", message_id=2))
    await until(lambda: len(raws(sqlite_sessions)) == 2)
    rows = raws(sqlite_sessions)
    assert [r.external_id for r in rows] == [str(first), str(second)]
    stored = json.loads(rows[0].raw)
    assert stored["update_id"] == first and stored["message"]["text"] == "My shed was broken into last night."
    assert stored["message"]["from"]["id"] == USER and stored["message"]["date"] == NOW
    assert rows[0].received_at == datetime.fromtimestamp(NOW, tz=UTC)
    await until(lambda: offset(sqlite_sessions) == second + 1)  # saved after each commit
    # The next long poll carries the offset, so Telegram forgets the stored updates.
    await until(lambda: any(c.get("offset") == second + 1 for c in api.method_calls("getUpdates")))
    await until(lambda: api.updates == [])
    assert api.method_calls("deleteWebhook"), "polling mode clears any webhook first"


async def test_a_restart_between_polls_loses_and_doubles_nothing(
        api: BotApiServer, make_channel: Callable[..., TelegramChannel], sqlite_sessions: Any) -> None:
    one = make_channel()
    await one.start()
    await api.push_update(message("first"))
    await until(lambda: len(raws(sqlite_sessions)) == 1)
    await until(lambda: offset(sqlite_sessions) is not None)
    await one.stop()
    for n in range(2, 5):  # arrive while the service is down
        await api.push_update(message(f"message {n}", message_id=n))
    two = make_channel()
    await two.start()
    try:
        await until(lambda: len(raws(sqlite_sessions)) == 4)
        await asyncio.sleep(0.3)  # give a double a chance to appear
        texts = [json.loads(r.raw)["message"]["text"] for r in raws(sqlite_sessions)]
        assert texts == ["first", "message 2", "message 3", "message 4"]
    finally:
        await two.stop()


async def test_a_crash_after_storing_but_before_the_offset_is_saved_does_not_double(
        api: BotApiServer, make_channel: Callable[..., TelegramChannel], sqlite_sessions: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_save(offset: int) -> None:
        raise OperationalError("UPDATE channel_state", {}, Exception("database is locked"))

    one = make_channel()
    monkeypatch.setattr(one, "_save_offset", broken_save)
    update_id = await api.push_update(message("only once please"))
    await one.start()
    # Not confirmed, so Telegram sends it again; the store keeps one copy.
    await until(lambda: sum(1 for c in api.method_calls("getUpdates") if c.get("offset") is None) >= 3)
    await one.stop()
    assert [u["update_id"] for u in api.updates] == [update_id]
    two = make_channel()
    await two.start()
    try:
        await until(lambda: offset(sqlite_sessions) == update_id + 1)
        assert [r.external_id for r in raws(sqlite_sessions)] == [str(update_id)]
    finally:
        await two.stop()


async def test_every_kind_of_update_is_stored_and_chat_rules_apply(
        api: BotApiServer, channel: TelegramChannel, sqlite_sessions: Any, make_cfg: Any) -> None:
    await api.push_update(message("hi all", chat_type="supergroup", chat_id=-100777))
    await api.push_update(message(None, sticker={"file_id": "st1", "file_unique_id": "u1", "type": "regular",
                                                 "width": 512, "height": 512, "is_animated": False,
                                                 "is_video": False}))
    await api.push_update({"future_update_kind": {"id": 9, "note": "from a newer Bot API"}})
    await until(lambda: len(raws(sqlite_sessions)) == 3)
    group, sticker, unknown = raws(sqlite_sessions)
    assert json.loads(unknown.raw)["future_update_kind"] == {"id": 9, "note": "from a newer Bot API"}

    class Ctx:
        config = make_cfg()

        def contacts_from_since(self, kind: str, value: str, since: datetime) -> int:
            return 0

    kinds = []
    for row in (group, sticker):
        t = Triage(raw_id=row.id, channel="telegram", raw=row.raw, received_at=row.received_at,
                   incoming=parse_telegram(row.raw))
        chat.process(t, Ctx())  # type: ignore[arg-type]
        kinds.append(t.kind)
    assert kinds == [Kind.CHAT_GROUP, Kind.CHAT_UNSUPPORTED]
    with pytest.raises(TriageInputError, match="future_update_kind"):
        parse_telegram(unknown.raw)  # the worker logs it and moves on


async def test_no_token_leaves_the_channel_off_with_a_log_line(
        make_channel: Callable[..., TelegramChannel], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, api: BotApiServer) -> None:
    monkeypatch.delenv("SIGNPOST_TELEGRAM_TOKEN")
    ch = make_channel()
    with caplog.at_level(logging.INFO, logger="bot.channels.telegram_poll"):
        assert await ch.start() is False
    assert "Telegram channel off: no token in $SIGNPOST_TELEGRAM_TOKEN" in caplog.text
    assert ch.app is None and api.calls == []
    with pytest.raises(TemporaryFailure):
        await ch.send_text(USER, "hello")
    await ch.stop()


async def test_a_rejected_token_turns_the_channel_off(
        make_channel: Callable[..., TelegramChannel], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SIGNPOST_TELEGRAM_TOKEN", "999:wrong")
    ch = make_channel()
    assert await ch.start() is False
    assert not ch.ready.is_set() and "rejected the token" in caplog.text
    assert ch.app is not None and not ch.app.running


async def test_a_bot_api_outage_at_start_up_is_retried_in_the_background(
        api: BotApiServer, make_channel: Callable[..., TelegramChannel], sqlite_sessions: Any) -> None:
    await api.stop()
    ch = make_channel()
    ch.connect_wait = 0.2
    assert await ch.start(), "on, still connecting"
    try:
        assert not ch.ready.is_set()
        with pytest.raises(TemporaryFailure, match="not connected"):
            await ch.send_text(USER, "hello")
        await api.start(port=api.port)
        await api.push_update(message("sent while the service could not reach Telegram"))
        await until(lambda: len(raws(sqlite_sessions)) == 1, timeout=10)
        assert ch.ready.is_set()
    finally:
        await ch.stop()


# -- sending -----------------------------------------------------------------------------------

async def test_long_replies_are_split_at_paragraphs_under_the_limit(
        api: BotApiServer, channel: TelegramChannel) -> None:
    paragraphs = [f"Paragraph {n}. " + "All work and no play. " * 60 for n in range(8)]  # ~1,350 each
    text = "\n\n".join(paragraphs)
    assert len(text) > 2 * 4096
    ids = await channel.send_text(USER, text)
    assert len(ids) == 3 == len(api.sent)
    assert all(len(m.text) <= 4096 for m in api.sent)
    assert "\n\n".join(m.text for m in api.sent) == text.strip()
    assert all(m.text.startswith("Paragraph") for m in api.sent), "breaks fall between paragraphs"


async def test_markup_characters_are_sent_exactly_as_written(
        api: BotApiServer, channel: TelegramChannel) -> None:
    text = "Case *MID-2026-00001*: _see_ [this](http://example.org) <b>now</b> & `code` \\ ~x~ >quote"
    await channel.send_text(USER, text)
    assert api.sent[0].text == text
    assert api.sent[0].parse_mode is None and api.sent[0].entities is None


async def test_429_is_a_temporary_failure_carrying_retry_after(
        api: BotApiServer, channel: TelegramChannel) -> None:
    api.fail_next_sends(1, retry_after=7)
    with pytest.raises(TemporaryFailure) as err:
        await channel.send_text(USER, "Your case reference is MID-2026-00002.")
    assert err.value.retry_after == 7
    assert api.sent == []


async def test_a_429_on_a_later_part_waits_instead_of_resending_earlier_parts(
        api: BotApiServer, channel: TelegramChannel) -> None:
    api.fail_next_sends(1, retry_after=1, after=1)
    text = "A" * 4000 + "\n\n" + "B" * 100
    ids = await channel.send_text(USER, text)
    assert len(ids) == 2 and [m.text[0] for m in api.sent] == ["A", "B"]


async def test_a_blocked_bot_is_unreachable(api: BotApiServer, channel: TelegramChannel) -> None:
    api.blocked.add(USER)
    with pytest.raises(Unreachable, match="blocked"):
        await channel.send_text(USER, "Reply from the office.")


async def test_a_blank_reply_is_a_permanent_failure_and_sends_nothing(
        api: BotApiServer, channel: TelegramChannel) -> None:
    with pytest.raises(PermanentFailure, match="empty"):
        await channel.send_text(USER, " \n\n ")
    assert api.method_calls("sendMessage") == []


# -- webhook -----------------------------------------------------------------------------------

async def test_webhook_checks_the_secret_and_stores_the_update(
        api: BotApiServer, make_channel: Callable[..., TelegramChannel], sqlite_sessions: Any) -> None:
    ch = make_channel(mode="webhook", webhook_url="https://signpost.example.org/telegram/webhook")
    await ch.start()
    try:
        assert api.webhook == {"url": "https://signpost.example.org/telegram/webhook",
                               "secret_token": "s3cret-token_1"}
        app = Starlette(routes=[webhook_route(ch)])
        body = {"update_id": 42, **message("Sent by webhook")}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as web:
            bad = await web.post("/telegram/webhook", json=body,
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            none = await web.post("/telegram/webhook", json=body)
            assert (bad.status_code, none.status_code) == (403, 403)
            assert raws(sqlite_sessions) == []
            good = await web.post("/telegram/webhook", json=body,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"})
            again = await web.post("/telegram/webhook", json=body,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"})
        assert (good.status_code, again.status_code) == (200, 200)
        rows = raws(sqlite_sessions)
        assert [r.external_id for r in rows] == ["42"]
        assert json.loads(rows[0].raw)["message"]["text"] == "Sent by webhook"
        assert api.method_calls("getUpdates") == [], "no polling in webhook mode"
    finally:
        await ch.stop()


async def test_webhook_mode_without_a_secret_stays_off(
        make_channel: Callable[..., TelegramChannel], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("SIGNPOST_TELEGRAM_WEBHOOK_SECRET")
    ch = make_channel(mode="webhook", webhook_url="https://signpost.example.org/telegram/webhook")
    assert await ch.start() is False
    assert ch.app is None and "webhook mode needs" in caplog.text


# -- attachments -------------------------------------------------------------------------------

async def test_photos_and_documents_are_fetched_into_the_contact(
        api: BotApiServer, channel: TelegramChannel, sqlite_sessions: Any) -> None:
    api.add_file("big-photo", b"\xff\xd8jpeg-bytes", "photos/file_1.jpg")
    api.add_file("doc-1", b"%PDF-1.4 letter", "documents/file_2.pdf")
    await api.push_update(message(None, caption="The damage", photo=[
        {"file_id": "small-photo", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 10},
        {"file_id": "big-photo", "file_unique_id": "b", "width": 1280, "height": 960, "file_size": 12}]))
    await api.push_update(message(None, message_id=2, document={
        "file_id": "doc-1", "file_unique_id": "d", "file_name": "letter.pdf",
        "mime_type": "application/pdf"}))
    await until(lambda: len(raws(sqlite_sessions)) == 2)
    photo_raw, doc_raw = raws(sqlite_sessions)
    with sqlite_sessions() as s:  # what the worker does: a contact, attachments listed without data
        for row in (photo_raw, doc_raw):
            s.add(Contact(raw_id=row.id, direction=Direction.inbound, channel="telegram", at=row.received_at))
        s.flush()
        photo_contact = s.scalar(select(Contact.id).where(Contact.raw_id == photo_raw.id))
        s.add(StoredAttachment(contact_id=photo_contact, filename="photo.jpg", content_type="image/jpeg",
                               size=12, data=b""))
        s.commit()
    from bot.channels.telegram_files import attach_pending

    assert channel.app is not None
    assert await attach_pending(channel.app.bot, sqlite_sessions) == 2
    assert await attach_pending(channel.app.bot, sqlite_sessions) == 0, "fetched once"
    with sqlite_sessions() as s:
        got = {(a.filename, a.content_type, a.data) for a in s.scalars(select(StoredAttachment))}
        events = s.scalar(select(func.count()).select_from(Event).where(Event.kind == "attachments_fetched"))
    assert got == {("photo.jpg", "image/jpeg", b"\xff\xd8jpeg-bytes"),
                   ("letter.pdf", "application/pdf", b"%PDF-1.4 letter")}
    assert events == 2
