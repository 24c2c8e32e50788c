"""Delivery error families shared by the sender and its transports."""

from __future__ import annotations


class TemporaryFailure(Exception):
    """Try again later (network down, 4xx SMTP reply, Telegram 429)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """Will never succeed as it is (5xx SMTP reply, bad address)."""


class Unreachable(PermanentFailure):
    """The person cannot be reached on this channel (Telegram 403: the bot was blocked)."""
