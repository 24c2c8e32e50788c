"""Logging set-up: one line per record, email addresses redacted."""

from __future__ import annotations

import logging
import re

_ADDRESS = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


class RedactAddresses(logging.Filter):
    """Replace 'jane.doe@example.com' with 'j***@example.com' in every record (Zulip's habit)."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        redacted = _ADDRESS.sub(r"\1***@\2", msg)
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
    # flufl.bounce logs each detector it runs, and a traceback when one trips on odd mail; that is
    # caught and recorded as a parse problem of the message (handlers/bounces.py).
    logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)
