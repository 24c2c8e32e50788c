"""Parse a Telegram Bot API Update (JSON bytes) into an Incoming."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from handlers.types import Attachment, Incoming, TriageInputError

# Recorded in Incoming.problems when the sender is a bot; machine_mail stops on it.
BOT_SENDER = "telegram sender is a bot"

_COMMAND = re.compile(r"^(/[A-Za-z0-9_]{1,32})(@[A-Za-z0-9_]{3,64})?(?=\s|$)")
# Message kinds in the order they are tested: a photo with a caption is a "photo".
_KINDS: tuple[tuple[str, str], ...] = (
    ("photo", "photo"),
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "voice"),
    ("video", "video"),
    ("video_note", "video"),
    ("animation", "video"),
    ("document", "document"),
    ("location", "location"),
    ("venue", "location"),
    ("contact", "contact"),
)
# Media listed as attachments: key -> (default file name, default MIME type). An animation
# also carries a `document` for the same file, so it is listed once.
_MEDIA: dict[str, tuple[str, str]] = {
    "document": ("document", "application/octet-stream"),
    "voice": ("voice.ogg", "audio/ogg"),
    "audio": ("audio", "audio/mpeg"),
    "video": ("video.mp4", "video/mp4"),
}


def parse_telegram(raw: bytes) -> Incoming:
    """Parse an Update with a `message` or `edited_message`.

    Attachments carry the user-visible file name, MIME type and size with empty data; the
    file_id is not copied because the raw Update is stored and holds it (a synthetic name
    such as "tg-file:AgAD..." would leak into the dashboard and replies).

    Raises:
        TriageInputError: the bytes are not JSON, or the Update holds no message.
    """
    try:
        update = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: "[[[[..."
        raise TriageInputError(f"telegram update is not valid JSON: {type(exc).__name__}") from exc
    if not isinstance(update, dict):
        raise TriageInputError("telegram update is not a JSON object")
    edited = "message" not in update and "edited_message" in update
    msg = update.get("edited_message" if edited else "message")
    if not isinstance(msg, dict):
        kinds = sorted(k for k in update if k != "update_id") or ["nothing"]
        raise TriageInputError(f"telegram update has no message (it carries {', '.join(kinds)})")
    problems: list[str] = []
    sender = _dict(msg.get("from"))
    chat = _dict(msg.get("chat"))
    if not sender:
        problems.append("telegram message has no sender (from)")
    # An anonymous group admin posts as "GroupAnonymousBot" with a sender_chat: a person.
    if sender.get("is_bot") is True and "sender_chat" not in msg:
        problems.append(BOT_SENDER)
    chat_id = _int(chat.get("id"))
    text = msg.get("text") if isinstance(msg.get("text"), str) else msg.get("caption")
    body = text if isinstance(text, str) else ""
    command = None
    if isinstance(msg.get("text"), str) and (m := _COMMAND.match(body.strip())):
        command = m.group(1).lower()
    name = " ".join(str(sender[k]) for k in ("first_name", "last_name") if sender.get(k)).strip()
    return Incoming(
        channel="telegram",
        message_id=f"tg:{chat_id}:{msg.get('message_id')}",
        sender_name=name,
        telegram_user_id=_int(sender.get("id")),
        telegram_chat_id=chat_id,
        telegram_chat_type=_str(chat.get("type")),
        telegram_username=_str(sender.get("username")),
        body=body.strip(),
        command=command,
        kind=_kind(msg),
        edited=edited,
        attachments=_attachments(msg),
        date=_date(msg.get("date"), problems),
        content_type="application/json",
        problems=problems,
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _kind(msg: dict[str, Any]) -> str:
    for key, kind in _KINDS:
        if key in msg:
            return kind
    return "text" if isinstance(msg.get("text"), str) else "other"


def _attachments(msg: dict[str, Any]) -> list[Attachment]:
    found: list[Attachment] = []
    photos = msg.get("photo")
    if isinstance(photos, list) and photos and isinstance(photos[-1], dict):
        largest = photos[-1]  # the Bot API lists sizes smallest first
        found.append(Attachment("photo.jpg", "image/jpeg", _int(largest.get("file_size")) or 0))
    for key, (default_name, default_type) in _MEDIA.items():
        media = msg.get(key)
        if isinstance(media, dict):
            name = _str(media.get("file_name")) or default_name
            ctype = _str(media.get("mime_type")) or default_type
            found.append(Attachment(name, ctype, _int(media.get("file_size")) or 0))
    return found


def _date(value: Any, problems: list[str]) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            pass
    problems.append(f"telegram message has no valid date ({value!r})")
    return None
