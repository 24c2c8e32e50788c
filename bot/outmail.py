"""Build an outgoing RFC 5322 message from an outbox row safely, whatever text the row holds."""

from __future__ import annotations

import email
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cached_property
from typing import Any

from bot import mailwire
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


@dataclass(frozen=True)
class OutgoingMail:
    """What a transport sends: the SMTP bytes (policy.SMTP, CRLF) and the envelope for them.

    `built` is the EmailMessage the bytes were flattened from, when one was built (a copy made
    with another `wire` keeps it unless given a new one). `message` gives one either way,
    parsing `wire` on first use: about half the cost of building one, so only tests and the
    7-bit relay fallback ask; `header` reads the few values a transport needs without it.
    """

    wire: bytes
    sender: str  # MAIL FROM: the office mailbox
    recipients: tuple[str, ...]  # RCPT TO: the cleaned To address
    built: EmailMessage | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, msg: EmailMessage) -> OutgoingMail:
        """A built message, serialised once, sent from its From address to its To addresses."""
        return cls(serialise(msg), msg["From"].addresses[0].addr_spec,
                   tuple(a.addr_spec for a in msg["To"].addresses), built=msg)

    @cached_property
    def message(self) -> EmailMessage:
        if self.built is not None:
            return self.built
        # Parsed from LF lines, as a built message holds its text: a part re-encoded from it (for
        # a 7-bit relay) then carries the same text, not CRLFs inside base64.
        msg = email.message_from_bytes(self.wire.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg

    def header(self, name: str) -> str | None:
        """The first `name` header's value as text, without parsing the message when none was built
        (bytes written directly are ASCII with no encoded words: unfolding them gives the text)."""
        if self.built is not None:
            value = self.built[name]
            return None if value is None else str(value)
        head = self.wire.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        prefix = name.lower() + ":"
        for line in re.sub(r"\r\n(?=[ \t])", "", head).split("\r\n"):
            if line[:len(prefix)].lower() == prefix:
                return line[len(prefix):].strip()
        return None


class BadOutgoingMessage(PermanentFailure):
    """An outbox row that cannot become a valid message (an address no relay takes, for one)."""


def clean_address(value: str) -> str:
    """The bare addr-spec of `value` ("Ada <ada@example.com>" or "ada@example.com"), IDNA-encoded.

    Raises:
        BadOutgoingMessage: not a deliverable address.
    """
    # A bare dot-atom addr-spec (the stored form) is what parseaddr would give back for it.
    plain = len(value) <= 998 and mailwire.is_plain_address(value)
    addr = value if plain else parseaddr(header_text(value, 998))[1]
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


def _assemble(cfg: Config, row: Any, to: str, at: datetime, attachments: Sequence[Any], *,
              plain: bool) -> EmailMessage:
    """The message; `plain` is the fallback: no display names, an ASCII subject, no threading."""
    msg = EmailMessage()
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


def direct_wire(cfg: Config, row: Any, to: str, at: datetime, *, boundary: str | None = None) -> bytes | None:
    """The bytes `assembled_mail` would produce, written by bot.mailwire without building a
    message; None for a row outside the plain form (the caller then assembles it).

    `boundary` is for tests, to compare with a boundary the email package chose at random.
    """
    local, _, domain = cfg.office.mailbox.rpartition("@")
    lines = [mailwire.folded_address("From", header_text(cfg.office.name or "", _NAME_CHARS), local, domain),
             mailwire.address("To", header_text(getattr(row, "to_name", None) or "", _NAME_CHARS), to),
             mailwire.unstructured("Subject", header_text(row.subject or "", _SUBJECT_CHARS)),
             mailwire.date("Date", at)]
    if row.message_id and _MSGID.fullmatch(row.message_id):
        lines.append(mailwire.message_id("Message-ID", row.message_id))
    for name, value in _extra_headers(row.headers):
        lower = name.lower()
        structured = lower in mailwire.STRUCTURED or lower.startswith("content-")
        lines.append(None if structured else mailwire.unstructured(name, value))
    if not mailwire.is_plain_address(cfg.office.mailbox) or None in lines:
        return None
    html = body_text(row.html) if row.html else None
    return mailwire.render([line for line in lines if line is not None], body_text(row.text or ""), html,
                           boundary)


def assembled_mail(cfg: Config, row: Any, to: str, at: datetime, attachments: Sequence[Any] = ()) -> OutgoingMail:
    """The row built as an EmailMessage by the email package and serialised once: if the package
    cannot fold it, the plain fallback (no names, ASCII subject) is built instead."""
    try:
        msg = _assemble(cfg, row, to, at, attachments, plain=False)
        return OutgoingMail(serialise(msg), msg["From"].addresses[0].addr_spec, (to,), built=msg)
    except (ValueError, TypeError, IndexError, LookupError, AttributeError):
        # email's folder has bugs on odd input (bpo-27240 and kin); the plain form avoids them.
        pass
    try:
        msg = _assemble(cfg, row, to, at, attachments, plain=True)
        return OutgoingMail(serialise(msg), msg["From"].addresses[0].addr_spec, (to,), built=msg)
    except (ValueError, TypeError, IndexError, LookupError, AttributeError) as exc:
        raise BadOutgoingMessage(f"message cannot be built: {type(exc).__name__}: {exc}") from exc


def build_email(cfg: Config, row: Any, at: datetime, attachments: Sequence[Any] = ()) -> OutgoingMail:
    """An RFC 5322 message for an outbox row: text with an HTML alternative when there is one, and
    the files a caseworker attached.

    Every header is rebuilt from cleaned parts. A plain row (ASCII headers, no attachments) is
    written straight to bytes (bot.mailwire); any other is built with the email package and
    serialised once, falling back to a plain form (no names, ASCII subject) if it cannot be folded.
    Both give the same bytes for a row the direct writer takes.

    Raises:
        BadOutgoingMessage: the row cannot be sent at all (its address is not deliverable).
    """
    to = clean_address(row.to_address)
    if not attachments and (wire := direct_wire(cfg, row, to, at)) is not None:
        return OutgoingMail(wire, cfg.office.mailbox, (to,))
    return assembled_mail(cfg, row, to, at, attachments)
