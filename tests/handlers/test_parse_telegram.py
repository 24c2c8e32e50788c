"""The parse stage for Telegram: Bot API Update JSON into an Incoming."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from handlers.parse import parse_telegram
from handlers.tgupdate import BOT_SENDER
from handlers.types import TriageInputError

SENT = 1780000000  # 2026-05-28 20:26:40 UTC


def update(message: dict[str, Any] | None = None, key: str = "message", **extra: Any) -> bytes:
    body: dict[str, Any] = {"update_id": 900001, **extra}
    if message is not None:
        body[key] = {
            "message_id": 41,
            "from": {"id": 7001, "is_bot": False, "first_name": "Sam", "last_name": "Rowe",
                     "username": "samr"},
            "chat": {"id": 7001, "type": "private", "first_name": "Sam"},
            "date": SENT,
            **message,
        }
    return json.dumps(body).encode()


def test_text_message_fields() -> None:
    inc = parse_telegram(update({"text": "  Someone keeps kicking my gate at night.  "}))
    assert inc.channel == "telegram"
    assert inc.message_id == "tg:7001:41"
    assert (inc.telegram_user_id, inc.telegram_chat_id, inc.telegram_chat_type) == (7001, 7001, "private")
    assert inc.telegram_username == "samr"
    assert inc.sender_name == "Sam Rowe"
    assert inc.sender_address is None
    assert inc.body == "Someone keeps kicking my gate at night."
    assert inc.kind == "text" and inc.command is None and not inc.edited
    assert inc.date == datetime.fromtimestamp(SENT, tz=UTC)
    assert inc.problems == [] and inc.attachments == []


@pytest.mark.parametrize(
    ("text", "command"),
    [("/start", "/start"), ("/help@SignpostOfficeBot", "/help"), ("/STATUS please", "/status"),
     ("/start abc123", "/start"), ("not /start", None), ("/", None), ("/etc/passwd is a path", None)],
)
def test_bot_commands_are_recognised_and_bot_name_stripped(text: str, command: str | None) -> None:
    inc = parse_telegram(update({"text": text}))
    assert inc.command == command
    assert inc.body == text


def test_edited_message_is_flagged() -> None:
    inc = parse_telegram(update({"text": "corrected text", "edit_date": SENT + 60}, key="edited_message"))
    assert inc.edited is True
    assert inc.body == "corrected text"
    assert inc.date == datetime.fromtimestamp(SENT, tz=UTC)


def test_photo_with_caption_lists_the_largest_size() -> None:
    photo = [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1200},
        {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 960, "file_size": 98765},
    ]
    inc = parse_telegram(update({"photo": photo, "caption": "This is the car outside"}))
    assert inc.kind == "photo"
    assert inc.body == "This is the car outside"
    assert [(a.filename, a.content_type, a.size, a.data) for a in inc.attachments] == [
        ("photo.jpg", "image/jpeg", 98765, b"")
    ]
    assert inc.command is None


def test_document_keeps_its_name_and_type() -> None:
    doc = {"file_id": "d1", "file_unique_id": "u1", "file_name": "letter.pdf", "mime_type": "application/pdf",
           "file_size": 2048}
    inc = parse_telegram(update({"document": doc}))
    assert inc.kind == "document" and inc.body == ""
    assert [(a.filename, a.content_type, a.size) for a in inc.attachments] == [
        ("letter.pdf", "application/pdf", 2048)
    ]


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ({"sticker": {"file_id": "x", "emoji": "x"}}, "sticker"),
        ({"voice": {"file_id": "v", "duration": 3, "mime_type": "audio/ogg"}}, "voice"),
        ({"video": {"file_id": "v", "duration": 3}}, "video"),
        ({"location": {"latitude": 51.0, "longitude": -1.0}}, "location"),
        ({"contact": {"phone_number": "01632960000", "first_name": "A"}}, "contact"),
        ({"poll": {"id": "p"}}, "other"),
    ],
)
def test_message_kinds(extra: dict[str, Any], kind: str) -> None:
    assert parse_telegram(update(extra)).kind == kind


def test_bot_sender_is_recorded_for_machine_mail() -> None:
    raw = update({"text": "beep"})
    data = json.loads(raw)
    data["message"]["from"]["is_bot"] = True
    inc = parse_telegram(json.dumps(data).encode())
    assert BOT_SENDER in inc.problems


def test_group_message_without_sender_still_parses() -> None:
    data = json.loads(update({"text": "hello all"}))
    del data["message"]["from"]
    data["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Residents"}
    inc = parse_telegram(json.dumps(data).encode())
    assert inc.message_id == "tg:-100123:41"
    assert inc.telegram_chat_type == "supergroup" and inc.telegram_user_id is None
    assert any("no sender" in p for p in inc.problems)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe{", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (update(callback_query={"id": "1", "data": "x"}), "callback_query"),
        (update(my_chat_member={"chat": {"id": 1}}), "my_chat_member"),
        (update(), "nothing"),
    ],
)
def test_updates_without_a_message_are_input_errors(raw: bytes, words: str) -> None:
    with pytest.raises(TriageInputError, match=words):
        parse_telegram(raw)


def test_bad_date_is_a_problem_not_a_crash() -> None:
    inc = parse_telegram(update({"text": "hi", "date": "yesterday"}))
    assert inc.date is None
    assert any("date" in p for p in inc.problems)


def test_deeply_nested_json_is_an_input_error() -> None:
    with pytest.raises(TriageInputError, match="not valid JSON"):
        parse_telegram(b'{"message": ' * 50000)


def test_anonymous_group_admin_is_not_a_bot() -> None:
    data = json.loads(update({"text": "posting as the group"}))
    data["message"]["from"].update(is_bot=True, first_name="Group", username="GroupAnonymousBot")
    data["message"]["sender_chat"] = {"id": -100555, "type": "supergroup", "title": "Residents"}
    assert BOT_SENDER not in parse_telegram(json.dumps(data).encode()).problems
