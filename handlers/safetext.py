"""Make any text safe for an outgoing header or body: no line breaks, controls or lone surrogates."""

from __future__ import annotations

import re
import unicodedata

# Lone surrogates come from undecodable 8-bit bytes (surrogateescape); they cannot be encoded.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Bidirectional overrides and isolates make a subject display as something else (RFC 9839 "problematic").
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def _breaks_line(ch: str) -> bool:
    # str.splitlines() (used by the email package's folding) also breaks on \x1c-\x1e, \x85,
    # \u2028 and \u2029: every control and separator becomes a space.
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp")


# Text the scans below leave as it is, so they can be skipped: one printable ASCII line with single
# spaces (a header), or no C0/C1 control but tab and newline, no CR and no lone surrogate (a body:
# Unicode's Cc category is exactly U+0000-U+001F and U+007F-U+009F).
_CLEAN_HEADER = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_UNCLEAN_BODY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def header_text(text: str, limit: int = 200) -> str:
    """One printable line of at most `limit` characters, so user text can never inject or break a header."""
    if not text or (len(text) <= limit and _CLEAN_HEADER.fullmatch(text)):
        return text  # already one clean line: what the scan would give back
    return _scrub_header(text, limit)


def _scrub_header(text: str, limit: int) -> str:
    text = _BIDI.sub("", _SURROGATES.sub("\ufffd", text))
    text = "".join(" " if _breaks_line(ch) else ch for ch in text)
    return _SPACES.sub(" ", text).strip()[:limit].rstrip()


def body_text(text: str) -> str:
    """Text any charset can encode: lone surrogates replaced, controls but tab and newline dropped."""
    return _scrub_body(text) if _UNCLEAN_BODY.search(text) else text


def _scrub_body(text: str) -> str:
    text = _SURROGATES.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
