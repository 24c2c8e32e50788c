"""MIME traversal for parse: pick and decode the body part, list attachments, read attached mail."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.errors import MessageError
from email.generator import BytesGenerator
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32

from bs4 import ParserRejectedMarkup

from handlers.mailtext import decode_bytes, fix_surrogates, html_to_text, unflow
from handlers.types import Attachment

_ERRORS = (MessageError, ValueError, IndexError, TypeError, AttributeError, LookupError, OverflowError)
_MAX_DEPTH = 20  # MIME nesting we follow; deeper parts are ignored with a problem
_REPORT_PARTS = ("message/delivery-status", "message/disposition-notification", "message/feedback-report")


@dataclass
class Extracted:
    text: str = ""  # the body as plain text: HTML rendered, format=flowed joined
    attached: str = ""  # text of attached messages (a forward sent as an attachment)
    attachments: list[Attachment] = field(default_factory=list)


def extract(msg: Message, problems: list[str], depth: int = 0) -> Extracted:
    """Find the body of a message and everything else it carries."""
    leaves = list(_leaves(msg, depth, problems))
    bodies = _body_parts(msg, depth)
    if not bodies and len(leaves) == 1 and leaves[0].get_content_maintype() in ("text", "multipart"):
        # A lone text/enriched part, or a multipart whose boundary never appears (read as text).
        if leaves[0].get_content_disposition() != "attachment":
            bodies = [leaves[0]]
    out = Extracted(text="\n\n".join(t for t in (_part_text(b, problems).strip("\n") for b in bodies) if t))
    is_report = msg.get_content_type() == "multipart/report" or any(
        p.get_content_type() in _REPORT_PARTS for p in leaves
    )
    attached: list[str] = []
    for part in leaves:
        problems.extend(f"mime: {type(d).__name__} in {part.get_content_type()}" for d in part.defects)
        if any(part is b for b in bodies) or _is_inline_text(part):
            continue
        out.attachments.append(_attachment(part, problems))
        # A returned original inside a bounce is our own mail: not worth reading.
        if part.get_content_type() == "message/rfc822" and not is_report:
            attached.append(_attached_text(part, problems, depth))
    out.attached = "\n\n".join(a for a in attached if a)
    return out


def _leaves(part: Message, depth: int, problems: list[str]) -> Iterator[Message]:
    if depth > _MAX_DEPTH:
        problems.append(f"MIME nesting deeper than {_MAX_DEPTH}; inner parts ignored")
        return
    subs = _children(part)
    if part.get_content_maintype() == "multipart" and subs is not None:
        for sub in subs:
            yield from _leaves(sub, depth + 1, problems)
    else:
        yield part


def _children(part: Message) -> list[Message] | None:
    """The sub-parts of a multipart or message/* part, None for a leaf (never decodes)."""
    if not part.is_multipart():
        return None
    payload = part.get_payload()
    return [sub for sub in payload if isinstance(sub, Message)] if isinstance(payload, list) else []


def _is_inline_text(part: Message) -> bool:
    """A text part meant to be shown: not an attachment, and named only if marked inline."""
    disposition = part.get_content_disposition()
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and disposition != "attachment"
        and (disposition == "inline" or not _filename(part))
    )


def _body_parts(part: Message, depth: int) -> list[Message]:
    """The parts a mail client would show as the text (RFC 2046): in multipart/alternative the
    plain part (else the richest one found), in multipart/related the root, elsewhere every
    inline text part in order."""
    subs = _children(part)
    if depth > _MAX_DEPTH:
        return []
    if part.get_content_maintype() != "multipart" or subs is None:
        return [part] if _is_inline_text(part) else []
    if part.get_content_type() == "multipart/alternative":
        options = [found for sub in subs if (found := _body_parts(sub, depth + 1))]
        plain = [o for o in options if o[0].get_content_type() == "text/plain"]
        return plain[0] if plain else (options[-1] if options else [])
    if part.get_content_type() == "multipart/related":
        return _body_parts(subs[0], depth + 1) if subs else []
    return [b for sub in subs for b in _body_parts(sub, depth + 1)]


def _part_text(part: Message, problems: list[str]) -> str:
    try:
        charset = part.get_content_charset()
    except _ERRORS:
        charset = None
    if part.get_content_maintype() == "multipart":
        # A multipart whose boundary never appears: its transfer encoding is meaningless, read as is.
        try:
            raw = part.get_payload()
        except (ValueError, LookupError):  # a charset parameter Python cannot even look up
            raw = ""
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    else:
        data = _payload(part, problems)
    text = decode_bytes(data, charset, problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if part.get_content_type() == "text/html":
        try:
            return html_to_text(text)
        except (RecursionError, AssertionError, ParserRejectedMarkup) as exc:
            problems.append(f"HTML body not rendered ({type(exc).__name__}); tags stripped")
            return re.sub(r"<[^>]*>", " ", text)
    if str(part.get_param("format", "")).lower() == "flowed":
        return unflow(text, delsp=str(part.get_param("delsp", "")).lower() == "yes")
    return text


def _payload(part: Message, problems: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except _ERRORS as exc:
        problems.append(f"undecodable {part.get_content_type()} payload: {type(exc).__name__}")
        return b""
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except _ERRORS:
        return "unnamed"
    return fix_surrogates(str(name), []) if name else ""


def _attachment(part: Message, problems: list[str]) -> Attachment:
    if part.get_content_maintype() == "message":
        data = _message_bytes(part, problems)
    else:
        data = _payload(part, problems)
    return Attachment(_filename(part), part.get_content_type(), len(data), data)


def _message_bytes(part: Message, problems: list[str]) -> bytes:
    """The body of a message/* part as bytes (compat32 regenerates parsed headers verbatim)."""
    buf = io.BytesIO()
    subs = _children(part)
    if subs is None:
        return _payload(part, problems)
    try:
        for sub in subs:
            BytesGenerator(buf, mangle_from_=False, policy=compat32).flatten(sub)
    except (*_ERRORS, UnicodeError, RecursionError) as exc:
        problems.append(f"attached message not readable: {type(exc).__name__}")
    return buf.getvalue()


def _attached_text(part: Message, problems: list[str], depth: int) -> str:
    subs = _children(part)
    if not subs:
        return ""
    inner = subs[0]
    lines = ["Attached message:"]
    for name, value in inner.raw_items():
        if name.lower() in ("from", "date", "subject"):
            lines.append(f"{name}: {_decode_header(str(value), problems)}")
    text = extract(inner, problems, depth + 1).text
    return "\n".join(lines) + "\n\n" + text.strip()


def _decode_header(value: str, problems: list[str]) -> str:
    value = fix_surrogates(value, problems)
    try:
        value = str(make_header(decode_header(value)))
    except _ERRORS:
        problems.append("bad encoded word in an attached message's header")
    return " ".join(value.split())
