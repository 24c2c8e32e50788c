"""Splitting replies to Telegram's 4,096-character limit."""

from __future__ import annotations

from bot.channels.telegram_text import split_text, tg_len


def test_short_text_is_one_part_and_blank_text_none() -> None:
    assert split_text("  Thank you.\n") == ["Thank you."]
    assert split_text(" \n\n ") == []


def test_lines_are_kept_whole_when_a_paragraph_is_too_long() -> None:
    lines = [f"line {n:03d} " + "x" * 40 for n in range(200)]  # one paragraph of ~10,000 characters
    parts = split_text("\n".join(lines), limit=4096)
    assert all(tg_len(p) <= 4096 for p in parts) and len(parts) == 3
    assert "\n".join(parts).split("\n") == lines


def test_emoji_count_double_as_telegram_counts_them() -> None:
    text = "\U0001F6A8" * 3000  # 6,000 UTF-16 units, no spaces to break at
    parts = split_text(text)
    assert [tg_len(p) for p in parts] == [4096, 1904]
    assert "".join(parts) == text


def test_one_endless_word_is_cut_hard() -> None:
    parts = split_text("see " + "a" * 9000 + " end", limit=4096)
    assert all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "") == "see" + "a" * 9000 + "end"
