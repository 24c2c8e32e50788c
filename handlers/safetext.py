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


def header_text(text: str, limit: int = 200) -> str:
    """One printable line of at most `limit` characters, so user text can never inject or break a header."""
    text = _BIDI.sub("", _SURROGATES.sub("\ufffd", text))
    text = "".join(" " if _breaks_line(ch) else ch for ch in text)
    return _SPACES.sub(" ", text).strip()[:limit].rstrip()


def body_text(text: str) -> str:
    """Text any charset can encode: lone surrogates replaced, controls but tab and newline dropped."""
    text = _SURROGATES.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
