"""Split a plain-text mail body into the new text, quoted history and the signature."""

from __future__ import annotations

import re
from dataclasses import dataclass

# "-----Original Message-----", Gmail's "---------- Forwarded message ---------", Thunderbird's
# "-------- Forwarded Message --------": everything after one of these is history.
_SEPARATOR = re.compile(
    r"^\s*[-=_*]{2,}\s*(original message|forwarded message|forwarded by .*|original|"
    r"ursprüngliche nachricht|message d'origine|message transféré)\s*[-=_*]{2,}\s*$",
    re.IGNORECASE,
)
_APPLE_FORWARD = re.compile(r"^\s*(begin forwarded message|forwarded message)\s*:\s*$", re.IGNORECASE)
# Outlook's header block: "From: ..." then, within a few lines, "Sent:"/"Date:" and "To:"/"Subject:".
_HDR_FROM = re.compile(r"^\s*\*?(from|de|von)\s*:\*?\s*\S", re.IGNORECASE)
_HDR_SENT = re.compile(r"^\s*\*?(sent|date|envoyé|gesendet|datum)\s*:", re.IGNORECASE)
_HDR_TO = re.compile(r"^\s*\*?(to|subject|à|an|betreff|objet)\s*:", re.IGNORECASE)
_RULE = re.compile(r"^\s*_{8,}\s*$")
# "On Mon, 1 Jun 2026 at 10:00, A Person <a@example.com> wrote:", possibly wrapped over 3 lines.
_ATTRIBUTION = re.compile(
    r"^\s*(on\b.{0,300}\bwrote|le\b.{0,300}\ba écrit|am\b.{0,300}\bschrieb)\s*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CLIENT_MARK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|@")
_QUOTE = re.compile(r"^\s*>")
_SIG_DELIM = re.compile(r"^--\s?$")
_MAX_SIG_LINES = 12
_MOBILE = re.compile(
    r"^\s*(sent from my \S.{0,40}|sent from (outlook|mail|yahoo mail|samsung).{0,40}|"
    r"get outlook for (ios|android)|sent via .{1,40}|sent with proton mail.{0,40})\s*$",
    re.IGNORECASE,
)
# Legal disclaimers add words ("criminal", "unlawful", "confidential") that mislead the
# classifiers and hide nothing a caseworker needs, so a trailing one goes to the signature.
_DISCLAIMER = re.compile(
    r"intended (solely |only )?for the (use of the )?(addressee|intended recipient|individual)|"
    r"intended recipient|received (this|it) (e-?mail |message )?in error|"
    r"this (e-?mail|message),? (and|including) any (attachments|files)|"
    r"confidential and (may be )?(legally )?privileged|privileged and confidential|"
    r"(monitors?|monitored|recorded)\b.{0,40}\b(e-?mail|traffic|communications)|"
    r"unauthori[sz]ed (use|disclosure|copying)|do not necessarily (reflect|represent)",
    re.IGNORECASE,
)


@dataclass
class Parts:
    body: str
    quoted: str
    signature: str


def split_text(text: str) -> Parts:
    """Split text into new text, quoted history (markers removed) and signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body: list[str] = []
    quoted: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _starts_history(lines, i):
            start = i
            # Include a "____" rule just above an Outlook header block.
            while body and not body[-1].strip():
                body.pop()
            if body and _RULE.match(body[-1]):
                body.pop()
            quoted.extend(_unquote(ln) for ln in lines[start:])
            break
        span = _attribution_span(lines, i)
        if span:
            quoted.extend(lines[i : i + span])
            i += span
            # An attribution with no ">" lines after it introduces unmarked history.
            nxt = next((ln for ln in lines[i:] if ln.strip()), "")
            if nxt and not _QUOTE.match(nxt):
                quoted.extend(_unquote(ln) for ln in lines[i:])
                break
            continue
        if _QUOTE.match(line):
            quoted.append(_unquote(line))
        else:
            body.append(line)
        i += 1
    new, signature = _split_signature(body)
    return Parts(_clean(new), _clean(quoted), _clean(signature))


def _starts_history(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _SEPARATOR.match(line) or _APPLE_FORWARD.match(line):
        return True
    if _HDR_FROM.match(line):
        window = lines[i + 1 : i + 7]
        return any(_HDR_SENT.match(w) for w in window) and any(_HDR_TO.match(w) for w in window)
    return False


def _attribution_span(lines: list[str], i: int) -> int:
    """How many lines (1-3) starting at i form an "On ... wrote:" attribution, or 0."""
    if not re.match(r"^\s*(on|le|am)\b", lines[i], re.IGNORECASE):
        return 0
    for n in (1, 2, 3):
        joined = " ".join(lines[i : i + n])
        # A mail client writes a time or an address; "On 3 June the council wrote:" is prose.
        if i + n <= len(lines) and _ATTRIBUTION.match(joined) and _CLIENT_MARK.search(joined):
            return n
    return 0


def _split_signature(body: list[str]) -> tuple[list[str], list[str]]:
    """Take the signature off the end: after a "-- " line, a mobile sign-off, or a legal disclaimer."""
    for k in range(len(body) - 1, -1, -1):
        if _SIG_DELIM.match(body[k]):
            # RFC 3676 "-- " is trusted; a bare "--" may be prose, so only before a short tail.
            if body[k] == "-- " or sum(1 for ln in body[k + 1 :] if ln.strip()) <= _MAX_SIG_LINES:
                return body[:k], body[k + 1 :]
            break
    filled = [k for k, ln in enumerate(body) if ln.strip()]
    for k in filled[-3:]:
        if _MOBILE.match(body[k]):
            return body[:k], body[k:]
    cut = len(body)
    for start, end in reversed(_paragraphs(body)):
        para = " ".join(body[start:end])
        # Two distinct cues, so a letter that mentions a privilege or an error is left alone.
        if len(para) < 60 or len({m.group(0).lower() for m in _DISCLAIMER.finditer(para)}) < 2:
            break
        cut = start
    return body[:cut], body[cut:]


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for k, ln in enumerate(lines + [""]):
        if ln.strip() and start is None:
            start = k
        elif not ln.strip() and start is not None:
            spans.append((start, k))
            start = None
    return spans


def _unquote(line: str) -> str:
    return re.sub(r"^\s*(>\s?)+", "", line)


def _clean(lines: list[str]) -> str:
    text = "\n".join(ln.rstrip() for ln in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
