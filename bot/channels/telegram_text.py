"""Split a reply into parts that fit Telegram's 4,096-character message limit."""

from __future__ import annotations

import re

LIMIT = 4096
# Break at a paragraph, then a line, then a sentence or word boundary; cut hard only as a last resort.
_SEPARATORS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), so an emoji counts as two."""
    return len(text.encode("utf-16-le")) // 2


def _hard_cut(text: str, limit: int) -> list[str]:
    parts, current, units = [], "", 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if units + size > limit:
            parts.append(current)
            current, units = "", 0
        current += ch
        units += size
    return [*parts, current] if current else parts


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Parts of at most `limit` units, broken at the largest boundary that fits; blank text gives []."""
    text = text.strip()
    if not text:
        return []
    if tg_len(text) <= limit:
        return [text]
    for sep in _SEPARATORS:
        pieces = [p for p in sep.split(text) if p.strip()]
        if len(pieces) < 2:
            continue
        glue = "\n\n" if sep is _SEPARATORS[0] else "\n" if sep is _SEPARATORS[1] else " "
        parts: list[str] = []
        current = ""
        for piece in pieces:
            candidate = f"{current}{glue}{piece}" if current else piece
            if tg_len(candidate) <= limit:
                current = candidate
                continue
            if current:
                parts.append(current)
            # A piece that is itself too long is split again at a finer boundary.
            if tg_len(piece) > limit:
                *whole, current = split_text(piece, limit)
                parts.extend(whole)
            else:
                current = piece
        if current:
            parts.append(current)
        return parts
    return _hard_cut(text, limit)
