"""SMTP intake (aiosmtpd): accept mail for the office's addresses, store it, then say 250."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import ssl
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.config import Config
from bot.intake import Intake
from bot.log import redact

logger = logging.getLogger(__name__)


class IntakeHandler:
    """aiosmtpd handler: RCPT filter, then store-before-250 in handle_DATA."""

    def __init__(self, cfg: Config, intake: Intake) -> None:
        self.addresses = cfg.office.all_addresses
        self.intake = intake

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() not in self.addresses:
            logger.info("smtp: refused recipient %s", redact(address))
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if not raw.strip():
            return "554 5.6.0 Empty message"
        digest = hashlib.sha256(raw).hexdigest()
        try:
            await self.intake.accept_async("smtp", digest, raw, self.intake.now())
        except Exception:  # the store is down: the client must keep the message and retry
            logger.exception("smtp: could not store message %s", digest[:12])
            return "451 4.3.0 Try again later"
        return "250 OK"


async def start_smtp(cfg: Config, intake: Intake, *, port: int | None = None) -> asyncio.Server:
    """Serve the intake on the event loop (loop.create_server, not the threaded Controller)."""
    loop = asyncio.get_running_loop()
    handler = IntakeHandler(cfg, intake)
    c = cfg.channels.smtp_intake
    tls: ssl.SSLContext | None = None
    if c.tls_cert_file:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(c.tls_cert_file, c.tls_key_file)

    def factory() -> Any:
        return SMTP(handler, data_size_limit=c.max_size, enable_SMTPUTF8=True, hostname="signpost",
                    ident="Signpost intake", tls_context=tls, require_starttls=c.require_starttls)

    server = await loop.create_server(factory, host=c.host, port=c.port if port is None else port)
    sock = server.sockets[0].getsockname()
    logger.info("smtp intake listening on %s:%d for %s (STARTTLS %s)", sock[0], sock[1],
                ", ".join(sorted(handler.addresses)),
                "required" if c.require_starttls else "offered" if tls else "off")
    return server
