"""Build an outgoing RFC 5322 message from an outbox row safely, whatever text the row holds."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from bot.config import Config
from bot.errors import PermanentFailure
from handlers.safetext import body_text, header_text

# An address we can hand to any relay without SMTPUTF8: ASCII local part, IDNA domain.
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
# RFC 5322 3.6.4 msg-id, limited to printable ASCII without spaces or brackets inside.
_MSGID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>")
_HEADER_NAME = re.compile(r"^[\x21-\x39\x3b-\x7e]{1,76}$")
_ID_HEADERS = {"in-reply-to", "references", "message-id"}
_SUBJECT_CHARS = 250
_NAME_CHARS = 120


class OutgoingEmail(EmailMessage):
    """A built message, with the bytes `build_email` serialised to check it (`wire`, CRLF line
    ends, policy.SMTP): a transport that writes bytes writes these rather than flatten it again."""

    wire: bytes | None = None


class BadOutgoingMessage(PermanentFailure):
    """An outbox row that cannot become a valid message (an address no relay takes, for one)."""


def clean_address(value: str) -> str:
    """The bare addr-spec of `value` ("Ada <ada@example.com>" or "ada@example.com"), IDNA-encoded.

    Raises:
        BadOutgoingMessage: not a deliverable address.
    """
    _, addr = parseaddr(header_text(value, 998))
    local, at, domain = addr.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError as exc:
        raise BadOutgoingMessage(f"address domain cannot be encoded: {value[:80]!r}") from exc
    if not at or not _LOCAL.match(local) or ".." in local or not _DOMAIN.match(domain):
        raise BadOutgoingMessage(f"not a deliverable address: {value[:80]!r}")
    return f"{local}@{domain.lower()}"


def clean_ids(value: str, limit: int = 10) -> str:
    """The well-formed Message-IDs in `value`, space-separated (the last `limit`); '' if none."""
    ids = _MSGID.findall(header_text(value, 20_000))
    return " ".join(ids[-limit:])


def _address_header(name: str | None, addr: str) -> Address:
    local, _, domain = addr.rpartition("@")
    return Address(display_name=header_text(name or "", _NAME_CHARS), username=local,
                   domain=domain)


def _extra_headers(headers: dict[str, Any] | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in (headers or {}).items():
        name = str(name).strip()
        if not _HEADER_NAME.match(name) or name.lower() in ("from", "to", "cc", "bcc", "subject", "date"):
            continue  # never let stored data add recipients or replace ours
        text = clean_ids(str(value)) if name.lower() in _ID_HEADERS else header_text(str(value), 900)
        if text:
            out.append((name, text))
    return out


def _assemble(cfg: Config, row: Any, at: datetime, attachments: Sequence[Any], *, plain: bool) -> OutgoingEmail:
    """The message; `plain` is the fallback: no display names, an ASCII subject, no threading."""
    to = clean_address(row.to_address)
    msg = OutgoingEmail()
    msg["From"] = _address_header(None if plain else cfg.office.name, cfg.office.mailbox)
    msg["To"] = _address_header(None if plain else getattr(row, "to_name", None), to)
    subject = header_text(row.subject or "", _SUBJECT_CHARS)
    msg["Subject"] = subject.encode("ascii", "replace").decode("ascii") if plain else subject
    msg["Date"] = format_datetime(at)
    if row.message_id and _MSGID.fullmatch(row.message_id):
        msg["Message-ID"] = row.message_id
    for name, value in _extra_headers(row.headers):
        if not plain or name.lower() not in ("in-reply-to", "references"):
            msg[name] = value
    msg.set_content(body_text(row.text or ""))
    if row.html and not plain:
        msg.add_alternative(body_text(row.html), subtype="html")
    for a in attachments:  # the files a caseworker attached
        maintype, _, subtype = a.content_type.partition("/")
        msg.add_attachment(a.data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                           filename=header_text(a.filename, 200) or "attachment")
    return msg


def serialise(msg: EmailMessage) -> bytes:
    """The bytes an SMTP relay gets (aiosmtplib flattens with email.policy.SMTP the same way)."""
    with io.BytesIO() as out:
        BytesGenerator(out, policy=policy.SMTP).flatten(msg)
        return out.getvalue()


def build_email(cfg: Config, row: Any, at: datetime, attachments: Sequence[Any] = ()) -> OutgoingEmail:
    """An RFC 5322 message for an outbox row: text with an HTML alternative when there is one, and
    the files a caseworker attached.

    Every header is rebuilt from cleaned parts, and the message is serialised once here: if
    the email package cannot fold it, a plain fallback (no names, ASCII subject) is built.

    Raises:
        BadOutgoingMessage: the row cannot be sent at all (its address is not deliverable).
    """
    try:
        msg = _assemble(cfg, row, at, attachments, plain=False)
        msg.wire = serialise(msg)
        return msg
    except BadOutgoingMessage:
        raise
    except (ValueError, TypeError, IndexError, LookupError, AttributeError):
        # email's folder has bugs on odd input (bpo-27240 and kin); the plain form avoids them.
        pass
    try:
        msg = _assemble(cfg, row, at, attachments, plain=True)
        msg.wire = serialise(msg)
    except (ValueError, TypeError, IndexError, LookupError, AttributeError) as exc:
        raise BadOutgoingMessage(f"message cannot be built: {type(exc).__name__}: {exc}") from exc
    return msg
