"""Read a bounce: whom it was for (flufl.bounce's detectors) and which of our messages it returns."""

from __future__ import annotations

import email
import logging
import re
from email.errors import MessageError

from flufl.bounce import all_failures

from handlers.cues import Cues
from handlers.types import Bounce

logger = logging.getLogger(__name__)

# Bounces are short; a huge message is not read in full (the detectors are regex scans).
SCAN_BYTES = 256 * 1024
# What the email package and the detectors raise on hostile input (a bug there is not a crash here).
_SCAN_ERRORS = (MessageError, ValueError, LookupError, TypeError, AttributeError, IndexError, re.error)
_MSGID = re.compile(rb"<([\x21-\x3b\x3d\x3f-\x7e]{1,250}@[A-Za-z0-9.-]{1,250})>")
# Our Message-IDs are quoted in the returned message's own id and threading headers.
_ID_LINES = re.compile(rb"^(?:message-id|in-reply-to|references):[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*",
                       re.IGNORECASE | re.MULTILINE)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
# Wording is looked for in the opening lines of a bounce.
_OPENING = 1200


def scan(raw: bytes, own_domain: str, problems: list[str]) -> Bounce:
    """Run flufl.bounce over the message and collect our quoted Message-IDs; never raises."""
    head = raw[:SCAN_BYTES]
    out = Bounce()
    try:
        temporary, permanent = all_failures(email.message_from_bytes(head))
    except _SCAN_ERRORS as exc:
        problems.append(f"bounce scan failed: {type(exc).__name__}")
        temporary, permanent = frozenset(), frozenset()
    out.permanent = sorted({_address(a) for a in permanent} - {""})
    out.delayed = sorted({_address(a) for a in temporary} - {""} - set(out.permanent))
    domain = own_domain.lower().encode()
    ids = {f"<{m.decode('ascii')}>" for line in _ID_LINES.findall(head) for m in _MSGID.findall(line)
           if m.lower().endswith(b"@" + domain)}
    out.message_ids = sorted(ids)
    return out


def mentioned_addresses(body: str, exclude: set[str], delay: Cues) -> list[str]:
    """Addresses a bounce's notification text names, other than `exclude`; none for a delay warning
    (`delay`: cue triage.machine_mail.delay_wording)."""
    opening = body[:_OPENING * 2]
    if delay.search(opening):
        return []
    found = {a.lower().strip(".") for a in _ADDRESS.findall(opening)}
    return sorted(found - {e.lower() for e in exclude})


def opening_phrase(body: str, wording: Cues) -> str | None:
    """The phrase of `wording` (cues triage.machine_mail.bounce_wording or autoreply_wording) in the opening
    lines of the text, if any: where mail servers and auto-responders put what only they write."""
    found = wording.search(body[:_OPENING])
    return " ".join(found.group(0).split())[:80] if found else None


def _address(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    text = text.strip().strip("<>").lower()
    return text if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", text) else ""
