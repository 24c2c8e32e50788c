"""Write the SMTP bytes of a plain outgoing message directly, byte for byte as the email package would.

The email package builds every header through its registry and parser, folds it from the parse
tree and flattens the message with a generator: about 3 ms for a reply. Here the common form
(ASCII header values, text with an optional HTML alternative, no attachments) is written
straight out. Each function returns None for input outside what it reproduces exactly, and
the caller then builds the message with the email package instead. policy.SMTP throughout:
CRLF line ends, lines folded at 78, 8-bit bodies as they are (no SMTPUTF8 headers).
"""

from __future__ import annotations

import binascii
import random
import re
import sys
from datetime import datetime, timedelta
from email import policy
from email.errors import MessageError
from email.headerregistry import Address, HeaderRegistry
from email.quoprimime import body_encode
from email.utils import format_datetime
from functools import lru_cache

CRLF = "\r\n"
MAX_LINE = 78  # policy.SMTP.max_line_length and policy.default's (the body encoder's)
# Header names the registry parses as something other than unstructured text: a row's extra
# header by one of these names (or any Content-*, which set_content drops) goes the slow way.
STRUCTURED = frozenset(HeaderRegistry().registry)
# Text the unstructured parser keeps as it is: printable ASCII, single spaces, no encoded-word
# opener ("=?" would be decoded on the way in) and no word longer than a folded line can hold
# (the folder would encode it as an RFC 2047 word to split it).
_PLAIN = re.compile(r"[\x21-\x7e]{1,77}(?: [\x21-\x7e]{1,77})*")
# A display name written as is or in quotes; backslashes and quotes inside go the slow way.
_NAME = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")
_SPECIALS = frozenset('()<>@,:;."[]')
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATEXT}(?:\.{_ATEXT})*"
_ADDR = re.compile(rf"{_DOT_ATOM}@{_DOT_ATOM}")
_MSGID = re.compile(rf"<{_DOT_ATOM}@{_DOT_ATOM}>")
_MINUTE = timedelta(minutes=1)
# The generator's boundary: 15 '=', the random token as 19 digits, '=='.
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))
_CATCH = (ValueError, TypeError, IndexError, LookupError, AttributeError, MessageError)


def _is_plain(value: str) -> bool:
    return "=?" not in value and _PLAIN.fullmatch(value) is not None


def unstructured(name: str, value: str) -> str | None:
    """`name: value` folded as the email package folds unstructured text; None if it would not be plain."""
    if not value:
        return f"{name}:{CRLF}"  # an empty parse tree: no space after the colon
    if not _is_plain(value):
        return None
    line = f"{name}: {value}"
    if len(line) <= MAX_LINE:
        return line + CRLF
    if len(value) < MAX_LINE:  # the whole value fits on a line of its own, after the folding space
        return f"{name}:{CRLF} {value}{CRLF}"
    lines = [f"{name}:"]
    for word in value.split(" "):
        # Each word goes on the line if it fits after a space, or starts the next one.
        if len(lines[-1]) + 1 + len(word) <= MAX_LINE:
            lines[-1] += " " + word
        else:
            lines.append(" " + word)
    return CRLF.join(lines) + CRLF


def address(name: str, display: str, addr: str) -> str | None:
    """An address header (`name: display <addr>`) on one line; None if it needs folding or encoding."""
    if not _ADDR.fullmatch(addr) or "=?" in display or not _NAME.fullmatch(display):
        return None
    if display and not _SPECIALS.isdisjoint(display):
        display = f'"{display}"'
    line = f"{name}: {display} <{addr}>" if display else f"{name}: {addr}"
    return line + CRLF if len(line) <= MAX_LINE else None


@lru_cache(maxsize=16)
def folded_address(name: str, display: str, local: str, domain: str) -> str | None:
    """An address header folded by the email package itself, once per value: the office's From."""
    try:
        header = policy.SMTP.header_factory(name, Address(display_name=display, username=local, domain=domain))
        return policy.SMTP.fold_binary(name, header).decode("ascii")
    except _CATCH:
        return None  # the slow path meets the same trouble and deals with it


def message_id(name: str, value: str) -> str | None:
    """A Message-ID header for a plain `<dot-atom@dot-atom>`; None for any other form."""
    if not _MSGID.fullmatch(value):
        return None
    line = f"{name}: {value}"
    if len(line) <= MAX_LINE:
        return line + CRLF
    return f"{name}:{CRLF} {value}{CRLF}" if len(value) < MAX_LINE else None


def date(name: str, at: datetime) -> str | None:
    """The Date header; None where the registry's parse-and-format round trip might change the value."""
    offset = at.utcoffset()
    if at.year < 1000 or (offset is not None and offset % _MINUTE):
        return None
    return f"{name}: {format_datetime(at)}{CRLF}"


def encode_text(text: str) -> tuple[str, bytes]:
    """(Content-Transfer-Encoding, body bytes with CRLF line ends): email.contentmanager's choice for
    utf-8 text (7bit, 8bit, quoted-printable or base64, whichever it would pick)."""
    lines = text.encode("utf-8").splitlines()
    if max(map(len, lines), default=0) <= MAX_LINE:
        body = b"\r\n".join(lines) + b"\r\n"
        return ("7bit" if body.isascii() else "8bit"), body
    # A line too long for 7bit/8bit: the shorter of quoted-printable and base64 over the first ten lines.
    sniff = b"\n".join(lines[:10]) + b"\n"
    sniff_qp = body_encode(sniff.decode("latin-1"), MAX_LINE)
    if len(sniff_qp) > len(binascii.b2a_base64(sniff)):
        data = b"\n".join(lines) + b"\n"
        step = MAX_LINE // 4 * 3
        encoded = b"".join(binascii.b2a_base64(data[i:i + step]) for i in range(0, len(data), step))
        return "base64", encoded.replace(b"\n", b"\r\n")
    qp = sniff_qp if len(lines) <= 10 else body_encode((b"\n".join(lines) + b"\n").decode("latin-1"), MAX_LINE)
    return "quoted-printable", qp.replace("\n", CRLF).encode("ascii")


def _text_part(subtype: str, text: str) -> tuple[bytes, bytes]:
    """The part's Content-Type and Content-Transfer-Encoding lines, and its body."""
    cte, body = encode_text(text)
    head = f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}Content-Transfer-Encoding: {cte}{CRLF}'
    return head.encode("ascii"), body


def make_boundary(texts: list[bytes]) -> str:
    """A random boundary in the generator's form, not found in any of the parts."""
    while True:
        boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{_BOUNDARY_DIGITS}d}" + "=="
        if not any(boundary.encode("ascii") in t for t in texts):
            return boundary


def render(headers: list[str], text: str, html: str | None, boundary: str | None = None) -> bytes:
    """The whole message: `headers` (folded lines, each ending CRLF) then the text, or a
    multipart/alternative of the text and `html` separated by `boundary` (random if None)."""
    head = "".join(headers).encode("ascii")
    text_head, text_body = _text_part("plain", text)
    if html is None:
        return head + text_head + b"MIME-Version: 1.0\r\n\r\n" + text_body
    html_head, html_body = _text_part("html", html)
    boundary = boundary or make_boundary([text_body, html_body])
    param = f'boundary="{boundary}"'
    content_type = (f"Content-Type: multipart/alternative; {param}" if len(param) <= MAX_LINE - 37
                    else f"Content-Type: multipart/alternative;{CRLF} {param}")
    delimiter = b"--" + boundary.encode("ascii")
    return b"".join((head, b"MIME-Version: 1.0\r\n", content_type.encode("ascii"), b"\r\n\r\n",
                     delimiter, b"\r\n", text_head, b"\r\n", text_body,
                     b"\r\n", delimiter, b"\r\n", html_head, b"MIME-Version: 1.0\r\n\r\n", html_body,
                     b"\r\n", delimiter, b"--\r\n"))


def is_plain_address(addr: str) -> bool:
    """An addr-spec the email package writes as it is (dot-atom local part and domain)."""
    return _ADDR.fullmatch(addr) is not None
