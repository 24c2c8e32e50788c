"""Logging set-up: one line per record (text or JSON), email addresses redacted."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime

_ADDRESS = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    """Every email address in `text` as 'j***@example.com' (Zulip's redact_email_address habit)."""
    return _ADDRESS.sub(r"\1***@\2", text)


class RedactAddresses(logging.Filter):
    """Redact the addresses in every record, whatever the code that logged it (Zulip's habit).

    Addresses at the office's own domains (`keep`: its addresses) are not the public's and stay
    whole, so the start-up log can say which mailbox is served and where alerts go.
    """

    def __init__(self, keep: Iterable[str] = ()) -> None:
        super().__init__()
        self.domains = frozenset(a.rsplit("@", 1)[-1].lower() for a in keep)

    def _redact(self, m: re.Match[str]) -> str:
        return m.group(0) if m.group(2).lower() in self.domains else f"{m.group(1)}***@{m.group(2)}"

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        redacted = _ADDRESS.sub(self._redact, msg)
        if redacted != msg or record.args:
            record.msg, record.args = redacted, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def setup_logging(verbose: bool = False, quiet: bool = False, fmt: str = "text",
                  keep: Iterable[str] = ()) -> None:
    """INFO by default (the service); WARNING when `quiet` (one-shot commands); DEBUG when verbose.

    Args:
        verbose: log debug detail.
        quiet: log warnings and errors only.
        fmt: "text" (one readable line) or "json" (one object per line, for a log collector).
        keep: the office's addresses: addresses at their domains are never redacted.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(_TEXT_FORMAT))
    handler.addFilter(RedactAddresses(keep))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    for noisy in ("aiosmtpd", "httpx", "telegram", "apscheduler", "alembic", "mail.log", "msal", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # flufl.bounce logs each detector it runs, and a traceback when one trips on odd mail; that is
    # caught and recorded as a parse problem of the message (handlers/bounces.py).
    logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)
