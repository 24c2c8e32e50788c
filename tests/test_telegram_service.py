"""Telegram through the whole service in-process: Bot API on loopback, worker, outbox, chat and SMTP sink."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from botapi import BotApiServer, SentMessage
from sqlalchemy import select

from bot.app import Service
from bot.channels.telegram_files import attach_pending
from store.models import Case, Contact, Event, Identity, Outbox, OutboxStatus
from store.replies import queue_reply

USER = 6100200
REF = re.compile(r"MID-\d{4}-\d{5}")
_next_message_id = iter(range(1, 1000))


def update(text: str, *, user: int = USER, date: int = 1_790_000_000) -> dict[str, Any]:
    sender = {"id": user, "is_bot": False, "first_name": "Jo", "last_name": "Example",
              "username": "jo_example"}
    return {"message": {"message_id": next(_next_message_id), "date": date, "from": sender,
                        "chat": {"id": user, "type": "private", "first_name": "Jo"}, "text": text}}



@pytest.fixture
async def service(api: BotApiServer, make_cfg: Any, smtp_sink: Any,
                  monkeypatch: pytest.MonkeyPatch, triage_model: Any) -> AsyncIterator[Service]:
    monkeypatch.setenv("SIGNPOST_TELEGRAM_TOKEN", api.token)
    cfg = make_cfg(**{
        "channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
        "channels.smtp_outbound.backoff_seconds": 0.2,
        "channels.telegram.enabled": True, "channels.telegram.base_url": api.base_url,
        "channels.telegram.base_file_url": api.base_file_url, "channels.telegram.poll_timeout": 1,
        "digest.recipients": [],  # these tests count outbound mail: no digest at any hour
    })
    svc = Service(cfg, model=triage_model)
    await svc.start()
    assert svc.telegram is not None and svc.telegram.ready.is_set()
    try:
        yield svc
    finally:
        await svc.stop()


async def sent_to(api: BotApiServer, count: int, check: Callable[[SentMessage], bool] = lambda m: True,
                  timeout: float = 60.0) -> list[SentMessage]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = [m for m in api.sent if check(m)]
        if len(found) >= count:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"chat got {len(api.sent)} message(s)"
        await asyncio.sleep(0.05)


async def test_an_urgent_telegram_message_alerts_staff_and_tells_the_person_to_call_999(
        service: Service, api: BotApiServer, smtp_sink: Any) -> None:
    await api.push_update(update("My ex-partner is outside my flat right now banging on the door and says "
                                 "he will kill me. I am hiding in the bathroom."))
    (alert,) = await smtp_sink.wait_for_async(1, timeout=60)  # the first triage fits the model
    assert alert["To"] == "duty@wessexvale-pcc.gov.uk" and alert["Subject"].startswith("URGENT")
    (ack,) = await sent_to(api, 1)
    ref = REF.search(ack.text)
    assert ack.chat_id == USER and ref is not None and "999" in ack.text
    assert ref.group(0) in alert["Subject"]
    with service.sessions() as s:
        case = s.scalar(select(Case).where(Case.reference == ref.group(0)))
        assert case is not None and case.urgent and case.channel == "telegram"
        assert s.scalar(select(Identity.kind).where(Identity.value == str(USER))) == "telegram"


async def test_start_gets_the_greeting_and_a_contact_gets_its_reference_in_the_chat(
        service: Service, api: BotApiServer) -> None:
    await api.push_update(update("/start"))
    (greeting,) = await sent_to(api, 1)
    assert service.cfg.office.name in greeting.text and "999" in greeting.text
    await api.push_update(update("Someone keeps dumping rubbish behind the shops on Quarry Road and "
                                 "nothing is done about it."))
    ack = (await sent_to(api, 2))[1]
    assert REF.search(ack.text), ack.text
    assert all(m.parse_mode is None for m in api.sent)


async def test_a_caseworker_reply_reaches_the_chat(service: Service, api: BotApiServer) -> None:
    await api.push_update(update("Could the Commissioner tell me how many PCSOs work in my town?"))
    (ack,) = await sent_to(api, 1)
    ref = REF.search(ack.text)
    assert ref is not None
    answer = "Dear Jo,\n\nThere are *12* PCSOs in your area <as of June>.\n\nThe Public Contact Team"
    with service.sessions() as s:
        case = s.scalar(select(Case).where(Case.reference == ref.group(0)))
        assert case is not None
        queue_reply(s, case, "caseworker", subject="PCSO numbers", text=answer, msgid_domain="example.org")
        s.commit()
    service.sender.wake.set()
    (reply,) = await sent_to(api, 1, lambda m: m.text == answer)
    assert reply.chat_id == USER and reply.parse_mode is None


async def test_a_blocked_bot_marks_the_case_unreachable_without_blocking_the_outbox(
        service: Service, api: BotApiServer, smtp_sink: Any) -> None:
    api.blocked.add(USER)
    await api.push_update(update("I want to complain about how my report of a stolen bike was handled."))
    other = USER + 1
    await api.push_update(update("When is the next public meeting of the Commissioner?", user=other))
    await sent_to(api, 1, lambda m: m.chat_id == other)  # the other chat is still served
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        with service.sessions() as s:
            row = s.scalar(select(Outbox).where(Outbox.to_address == str(USER)))
            if row is not None and row.status == OutboxStatus.dead:
                case = s.get(Case, row.case_id)
                event = s.scalar(select(Event).where(Event.case_id == row.case_id,
                                                     Event.kind == "unreachable"))
                ident = s.scalar(select(Identity).where(Identity.kind == "telegram",
                                                        Identity.value == str(USER)))
                break
        assert asyncio.get_running_loop().time() < deadline, "the ack never went dead"
        await asyncio.sleep(0.05)
    assert row.attempts == 1 and "blocked" in (row.last_error or "")
    assert case is not None and case.unreachable
    assert event is not None and ident is not None and ident.unreachable


async def test_a_photo_is_stored_with_its_bytes_and_an_edit_updates_the_contact(
        service: Service, api: BotApiServer) -> None:
    api.add_file("photo-big", b"\xff\xd8\xff fictional jpeg", "photos/file_9.jpg")
    photo = update("")
    msg = photo["message"]
    del msg["text"]
    msg["caption"] = "The broken fence at the back of the community centre, taken this morning."
    msg["photo"] = [{"file_id": "photo-small", "file_unique_id": "ps", "width": 90, "height": 67},
                    {"file_id": "photo-big", "file_unique_id": "pb", "width": 1280, "height": 960,
                     "file_size": 23}]
    await api.push_update(photo)
    (ack,) = await sent_to(api, 1)
    assert REF.search(ack.text)
    assert service.telegram is not None and service.telegram.app is not None
    await attach_pending(service.telegram.app.bot, service.sessions)  # what the channel's sweep runs
    edited = {"edited_message": {**msg, "caption": "The broken fence behind the community centre.",
                                 "edit_date": msg["date"] + 60}}
    await api.push_update(edited)
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        with service.sessions() as s:
            contact = s.scalar(select(Contact).where(Contact.message_id == f"tg:{USER}:{msg['message_id']}"))
            edit = s.scalar(select(Event).where(Event.kind == "contact_edited"))
            if edit is not None:
                files = [(a.filename, a.data) for a in contact.attachments] if contact else []
                break
        assert asyncio.get_running_loop().time() < deadline, "the edit was never recorded"
        await asyncio.sleep(0.05)
    assert files == [("photo.jpg", b"\xff\xd8\xff fictional jpeg")]
    assert contact is not None and contact.body == "The broken fence behind the community centre."
    await asyncio.sleep(0.3)
    assert len(api.sent) == 1, "an edit gets no reply"
