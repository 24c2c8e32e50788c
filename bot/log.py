"""Logging set-up: one line per record, email addresses redacted."""

from __future__ import annotations

import logging
import re

_ADDRESS = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def redact(text: str) -> str:
    """Every email address in `text` as 'j***@example.com' (Zulip's redact_email_address habit)."""
    return _ADDRESS.sub(r"\1***@\2", text)


class RedactAddresses(logging.Filter):
    """Redact the addresses in every record, whatever the code that logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        redacted = redact(msg)
        if redacted != msg:
            record.msg, record.args = redacted, None
        return True


def setup_logging(verbose: bool = False, quiet: bool = False) -> None:
    """INFO by default (the service); WARNING when `quiet` (one-shot commands); DEBUG when verbose."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactAddresses())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    for noisy in ("aiosmtpd", "httpx", "telegram", "apscheduler", "alembic", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
