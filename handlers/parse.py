"""Parse raw bytes (an RFC 5322 email or a Telegram Update's JSON) into triage.incoming."""

from __future__ import annotations

import email
import email.policy
import logging
import re
from datetime import UTC, datetime
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from handlers import mailparts, mailtext
from handlers.quotes import split_text
from handlers.readmessage import ReadMessage
from handlers.tgupdate import parse_telegram
from handlers.types import Context, Incoming, Kind, Triage, TriageInputError

__all__ = ["NAME", "parse_email", "parse_telegram", "process"]

NAME = "parse"
logger = logging.getLogger(__name__)

# What the email package raises on header values it cannot parse (seen in the wild: address
# lists with stray brackets, encoded words in odd places, dates out of range).
_HEADER_ERRORS = (MessageError, ValueError, IndexError, TypeError, AttributeError, LookupError, OverflowError)
_MSGID = re.compile(r"<[^<>\s]{1,996}>")
_ADDRESS = re.compile(r"[^@\s<>\"(),;:\[\]]+@[^@\s<>\"(),;:\[\]]+\.[^@\s<>\"(),;:\[\].]+")
# The modern address parser takes seconds on a header with thousands of addresses.
_LONG_ADDRESS_LIST = 20_000
# Longest stored sender address and display name (store/models.py Contact and Identity columns).
_MAX_ADDRESS, _MAX_NAME = 320, 255
_SIGNIFICANT = ("from", "sender", "to", "cc", "subject", "date", "message-id")


def process(triage: Triage, ctx: Context) -> None:
    """Set triage.incoming from the raw bytes; TriageInputError when they are not a message."""
    if triage.channel == "telegram" or (triage.channel == "replay" and triage.raw.lstrip()[:1] == b"{"):
        incoming = parse_telegram(triage.raw)
    else:
        incoming = parse_email(triage.raw)
    triage.incoming = incoming
    triage.kind = Kind.CHAT_TEXT if incoming.channel == "telegram" else Kind.EMAIL
    for problem in incoming.problems:
        logger.info("raw #%d parse: %s", triage.raw_id, problem)


def parse_email(raw: bytes) -> Incoming:
    """Parse one RFC 5322 message; defects go to Incoming.problems, never an exception.

    Raises:
        TriageInputError: the bytes are empty, or binary data with no message headers.
    """
    if not raw.strip():
        raise TriageInputError("empty message")
    try:
        return _build(email.message_from_bytes(raw, _class=ReadMessage, policy=email.policy.default), raw, [])
    except _HEADER_ERRORS as exc:
        # The modern header parser has bugs on hostile input (IndexError inside a Content-Type
        # parameter, for one); compat32 keeps headers as plain strings and does not trip on them.
        problem = f"email.policy.default failed ({type(exc).__name__}); parsed with compat32"
        return _build(email.message_from_bytes(raw, policy=compat32), raw, [problem])


def _build(msg: Message, raw: bytes, problems: list[str]) -> Incoming:
    problems.extend(f"mime: {type(d).__name__}" for d in msg.defects)
    headers = _header_dict(msg, problems)
    if not any(h in headers for h in _SIGNIFICANT):
        if mailtext.looks_binary(raw):
            raise TriageInputError("not an email message: no headers and binary content")
        problems.append("no message headers")
    senders = _addresses(msg, "from", problems) or _addresses(msg, "sender", problems)
    if not senders:
        problems.append("no sender address")
    name, address = senders[0] if senders else ("", "")
    relayed_by = None
    writer = _relayed_writer(msg, name, address, problems)
    if writer is not None:
        relayed_by, (name, address) = address, writer
    if len(address) > _MAX_ADDRESS:  # RFC 5321 4.5.3.1: no real address is longer
        problems.append(f"sender address longer than {_MAX_ADDRESS} characters; ignored")
        address = ""
    text = mailparts.extract(msg, problems)
    parts = split_text(text.text)
    quoted = "\n\n".join(q for q in (parts.quoted, text.attached) if q)
    problems[:] = list(dict.fromkeys(problems))  # one entry per distinct defect
    return Incoming(
        channel="email",
        message_id=_first_id(headers.get("message-id")),
        sender_address=address or None,
        sender_name=name[:_MAX_NAME],
        relayed_by=relayed_by,
        subject=re.sub(r"\s+", " ", headers.get("subject", "")).strip(),
        body=parts.body,
        quoted=quoted,
        signature=parts.signature,
        attachments=text.attachments,
        in_reply_to=_first_id(headers.get("in-reply-to")),
        references=_MSGID.findall(headers.get("references", "")),
        to=[a for _, a in _addresses(msg, "to", problems) if a],
        cc=[a for _, a in _addresses(msg, "cc", problems) if a],
        date=_date(msg, headers.get("date"), problems),
        headers=headers,
        content_type=msg.get_content_type(),
        return_path=_return_path(headers.get("return-path")),
        problems=problems,
    )


def _relayed_writer(msg: Message, name: str, address: str, problems: list[str]) -> tuple[str, str] | None:
    """The writer behind a campaign platform or list relay: "Ann Lee via Rural Voice" with Reply-To.

    A platform sends every supporter's letter from its own address and puts the supporter's in
    Reply-To (often with a Sender header naming itself). The writer is that person: their
    identity and the address our reply goes to (RFC 5322 3.6.2).
    """
    replies = _addresses(msg, "reply-to", problems)
    if len(replies) != 1 or not replies[0][1] or replies[0][1] == address or "@" not in address:
        return None
    shown, reply_address = replies[0]
    sender = _addresses(msg, "sender", problems)
    via = re.search(r"\s(?:via|on behalf of|through)\s", name, re.IGNORECASE)
    if not via and not (sender and sender[0][1] == address):
        return None
    if reply_address.rsplit("@", 1)[1] == address.rsplit("@", 1)[1]:
        return None  # a colleague's or a team address at the same sender: not a relay
    return (shown or (name[: via.start()].strip() if via else name)), reply_address


def _decode(value: str, problems: list[str]) -> str:
    """Decode RFC 2047 words and stray 8-bit bytes in a raw header value."""
    value = mailtext.fix_surrogates(value, problems)
    if "=?" in value:
        try:
            value = str(make_header(decode_header(value)))
        except _HEADER_ERRORS as exc:
            problems.append(f"bad encoded word in header: {type(exc).__name__}")
    return re.sub(r"\r?\n(?=[ \t])", "", value).replace("\r", "").replace("\n", " ")


def _header_dict(msg: Message, problems: list[str]) -> dict[str, str]:
    """Lower-cased name -> decoded value; repeated headers are joined with newlines."""
    out: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = str(name).strip().lower()
        text = _decode(str(value), problems).strip()
        out[key] = f"{out[key]}\n{text}" if key in out else text
    return out


def _addresses(msg: Message, name: str, problems: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs of an address header, [] when absent."""
    raw = [str(v) for k, v in msg.raw_items() if k.lower() == name]
    if not raw:
        return []
    if sum(len(v) for v in raw) > _LONG_ADDRESS_LIST:
        problems.append(f"{name} header longer than {_LONG_ADDRESS_LIST} characters; read leniently")
        return _clean_addresses(name, getaddresses([_decode(v, problems) for v in raw]), problems)
    try:
        # compat32 gives a plain str (no .addresses): parse that with the lenient getaddresses.
        parsed = getattr(msg.get(name), "addresses", None)
        found = None if parsed is None else [(a.display_name, a.addr_spec) for a in parsed]
    except _HEADER_ERRORS as exc:
        problems.append(f"unparsable {name} header: {type(exc).__name__}")
        found = None
    if found is None:
        found = getaddresses([_decode(v, problems) for v in raw])
    return _clean_addresses(name, found, problems)


def _clean_addresses(name: str, found: list[tuple[str, str]], problems: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for display, addr in found:
        display = _decode(display, problems).strip().strip('"').strip()
        addr = mailtext.fix_surrogates(addr, problems).strip().strip("<>").lower()
        if addr and not _ADDRESS.fullmatch(addr):
            # Unbalanced quotes or brackets: salvage the first thing shaped like an address.
            salvaged = _ADDRESS.search(addr)
            problems.append(f"malformed {name} address{'; salvaged' if salvaged else ''}")
            addr = salvaged.group(0) if salvaged else addr
        out.append((display, addr))
    return out


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    found = _MSGID.search(value)
    return found.group(0) if found else (re.sub(r"\s+", "", value)[:998] or None)


def _date(msg: Message, value: str | None, problems: list[str]) -> datetime | None:
    if not value:
        problems.append("no Date header")
        return None
    when: datetime | None
    try:
        when = getattr(msg.get("date"), "datetime", None)
    except _HEADER_ERRORS:
        when = None
    if when is None:
        try:
            when = parsedate_to_datetime(value)
        except _HEADER_ERRORS:
            problems.append(f"unparsable Date header {value[:60]!r}")
            return None
    # A naive date means "-0000" (zone unknown, RFC 5322 3.3): read it as UTC.
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _return_path(value: str | None) -> str | None:
    if value is None:
        return None
    first = value.split("\n")[0].strip()
    inner = first[1:-1] if first.startswith("<") and first.endswith(">") else first
    return inner.strip().lower()

