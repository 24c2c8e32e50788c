"""Read a bounce: whom it was for (flufl.bounce's detectors) and which of our messages it returns."""

from __future__ import annotations

import email
import logging
import re
from email.errors import MessageError

from flufl.bounce import all_failures

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
# A warning that the far end is still trying: nobody is unreachable yet.
_DELAY = re.compile(r"\b(?:delayed|postponed|will (?:continue to |keep )?(?:re)?try|warning|temporar)", re.I)
# Wording only mail servers write, in the opening lines of a message (Exim, Postfix, qmail,
# Sendmail, Exchange, Lotus Notes, GroupWise, hosted mail, gateway scanners).
_WORDING = re.compile(
    r"\b(?:this message was created automatically by mail delivery software|"
    r"this is the mail system at host|this is the (?:qmail-send|postfix) program|"
    r"i'm afraid i wasn't able to deliver your message|"
    r"delivery has failed to these recipients or groups|"
    r"your message did not reach some or all of the intended recipients|"
    r"the following (?:addresses|recipients?) had (?:permanent fatal|delivery) errors|"
    r"(?:your message|the message)(?: with subject:? .{0,200}?)? (?:could not|cannot|was not) be delivered "
    r"to (?:the following|one or more) recipients?|"
    r"delivery to the following recipients? (?:failed|has been delayed)|"
    r"this is an advisory-only email|has been postponed due to a full mailbox|"
    r"unable to deliver (?:your )?message to the following|"
    r"the original message was received at .{0,80} from|"
    r"(?:user|recipient) (?:unknown|not found|not listed in (?:the )?(?:domino|public name and address) "
    r"(?:directory|book))|"
    r"remote host said: [45]\d\d|smtp error from remote (?:mail server|server)|"
    r"permanent error\. the following address\(es\) failed)\b",
    re.IGNORECASE | re.DOTALL,
)
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


def mentioned_addresses(body: str, exclude: set[str]) -> list[str]:
    """Addresses a bounce's notification text names, other than `exclude`; none for a delay warning."""
    opening = body[:_OPENING * 2]
    if _DELAY.search(opening):
        return []
    found = {a.lower().strip(".") for a in _ADDRESS.findall(opening)}
    return sorted(found - {e.lower() for e in exclude})


def bounce_wording(body: str) -> str | None:
    """The mail-server phrase in the opening lines of the text, if any."""
    found = _WORDING.search(body[:_OPENING])
    return " ".join(found.group(0).split())[:80] if found else None


def _address(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    text = text.strip().strip("<>").lower()
    return text if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", text) else ""
