"""Stop on machine mail (bounces, receipts, auto-replies, bulk, our own mail, bots): never answer it."""

from __future__ import annotations

import logging
import re

from handlers import bounces
from handlers.settings import MachineMailSettings
from handlers.tgupdate import BOT_SENDER
from handlers.types import Context, Incoming, Kind, Triage

NAME = "machine_mail"
logger = logging.getLogger(__name__)

_REPORT_TYPES = ("message/delivery-status", "message/disposition-notification", "message/feedback-report")
# Rules that say a message is a bounce (not an auto-reply): whom it was for is then recorded.
_BOUNCE_RULES = {"delivery_status", "daemon_sender", "failed_recipients", "bounce_wording", "bounce_library"}
_DAEMONS = ("mailer-daemon", "mailer_daemon", "mail-daemon", "postmaster")
# X-Auto-Response-Suppress values that Exchange puts on its own automatic messages (All, OOF,
# AutoReply); DR/RN/NRN only ask for no receipts and appear on ordinary mail too.
_SUPPRESS = {"all", "oof", "autoreply"}


def process(triage: Triage, ctx: Context) -> None:
    """Mark machine mail: no ack, category and agency "none"; its route ends here (handlers/pipeline.py)."""
    incoming = triage.incoming
    if incoming is None:
        return
    if incoming.channel == "telegram":
        found = [("telegram_bot", "the Telegram sender is a bot")] if BOT_SENDER in incoming.problems else []
    else:
        cues = ctx.config.triage.machine_mail
        found = find_machine_evidence(incoming, ctx.config.office.all_addresses, cues)
        domain = ctx.config.office.mailbox.rpartition("@")[2]
        bounce = bounces.scan(triage.raw, domain, incoming.problems)
        if bounce.found:
            found.append(("bounce_library", f"flufl.bounce: undeliverable to {', '.join(bounce.permanent) or '-'}"
                                            f"; delayed for {', '.join(bounce.delayed) or '-'}"))
        if bounce.found or {rule for rule, _ in found} & _BOUNCE_RULES:
            if not bounce.found:  # no detector knew its format: the addresses its text names
                own = set(ctx.config.office.all_addresses) | {incoming.sender_address or ""}
                bounce.mentioned = bounces.mentioned_addresses(incoming.body, own, cues.delay_wording)
            triage.bounce = bounce
    if not found:
        return
    triage.kind = Kind.MACHINE
    triage.ack = False
    triage.category = "none"
    triage.agency = "none"
    for rule, reason in found:
        triage.hit(NAME, rule, reason)
    logger.info("raw #%d machine_mail: %s", triage.raw_id, ", ".join(rule for rule, _ in found))


def find_machine_evidence(
    incoming: Incoming, own_addresses: frozenset[str], cues: MachineMailSettings
) -> list[tuple[str, str]]:
    """Every (rule, evidence) pair that marks an email as machine-generated; [] for human mail."""
    h = incoming.headers
    found: list[tuple[str, str]] = []

    auto = _first_token(h.get("auto-submitted", ""))
    if auto and auto != "no":  # RFC 3834 5: anything but "no" is automatic
        found.append(("auto_submitted", f"Auto-Submitted: {auto}"))
    precedence = _first_token(h.get("precedence", ""))
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        found.append(("precedence", f"Precedence: {precedence}"))
    for name in ("list-id", "list-unsubscribe"):
        if name in h:
            found.append(("list_mail", f"{_title(name)} header present"))
    reports = [a.content_type for a in incoming.attachments if a.content_type in _REPORT_TYPES]
    if incoming.content_type == "multipart/report" or reports:
        parts = ", ".join(sorted(set(reports))) or "no report part"
        found.append(("report", f"{incoming.content_type} ({parts})"))
        if "message/delivery-status" in reports:
            found.append(("delivery_status", "a delivery status notification (RFC 3464)"))
    if incoming.return_path == "":
        found.append(("null_return_path", "Return-Path: <> (a bounce or auto-reply, RFC 5321 4.5.5)"))
    local = (incoming.sender_address or "").partition("@")[0]
    if local in _DAEMONS:
        found.append(("daemon_sender", f"sent by {local}"))
    found.extend(_autoreply_headers(h))
    if cues.subject.match(incoming.subject):
        found.append(("machine_subject", f"automatic-message subject {incoming.subject[:60]!r}"))
    elif cues.receipt_subject.match(incoming.subject) and cues.receipt_text.search(incoming.body):
        found.append(("read_receipt", f"receipt subject {incoming.subject[:60]!r} and receipt wording"))
    if incoming.sender_address and incoming.sender_address in own_addresses:
        found.append(("own_address", "sent from the office's own address (loop guard)"))
    loops = {v.strip().lower() for v in h.get("x-loop", "").replace(",", "\n").split("\n")}
    if loops & own_addresses:
        found.append(("own_loop", "X-Loop names this office: our own reply came back (loop guard)"))
    if wording := bounces.opening_phrase(incoming.body, cues.bounce_wording):
        found.append(("bounce_wording", f"mail-server wording {wording!r}"))
    if wording := bounces.opening_phrase(incoming.body, cues.autoreply_wording):
        found.append(("autoreply_wording", f"auto-responder wording {wording!r}"))
    return found


def _autoreply_headers(h: dict[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in ("x-autoreply", "x-autorespond", "x-auto-reply"):
        if name in h and _first_token(h[name]) not in ("no", "false", "0"):
            found.append(("autoreply_header", f"{_title(name)}: {h[name][:40]}"))
    suppress = {v.strip().lower() for v in re.split(r"[,\s]+", h.get("x-auto-response-suppress", "")) if v}
    if suppress & _SUPPRESS:
        values = ", ".join(sorted(suppress & _SUPPRESS))
        found.append(("autoreply_header", f"X-Auto-Response-Suppress: {values}"))
    if h.get("x-failed-recipients", "").strip():
        found.append(("failed_recipients", "X-Failed-Recipients header present (a bounce)"))
    if "x-ms-exchange-message-is-ndr" in h:
        found.append(("failed_recipients", "X-MS-Exchange-Message-Is-Ndr header present (a bounce)"))
    return found


def _first_token(value: str) -> str:
    """The first word of a header value, lower-cased ("auto-replied; owner=..." -> "auto-replied")."""
    head = value.split("\n")[0].split(";")[0].strip().lower()
    return head.split()[0] if head else ""


def _title(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-")).replace("Id", "ID")
