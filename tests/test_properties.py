"""Property-based: arbitrary bytes and header values through parse, the whole pipeline and build_email.

Never an unhandled exception: bad input is a TriageInputError (recorded, shunted) and an outgoing
row that cannot become mail is a BadOutgoingMessage (failed alone, a person told). The example
count is `SIGNPOST_HYPOTHESIS_EXAMPLES` (default 150 per property; the issue's measured run used more).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from fakes import FakeContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.outmail import BadOutgoingMessage, build_email
from handlers import compose, pipeline
from handlers.parse import parse_email
from handlers.types import Triage, TriageInputError

EXAMPLES = int(os.environ.get("SIGNPOST_HYPOTHESIS_EXAMPLES", "150"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WHEN = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)

# Header values from every corner: controls, CR/LF, encoded words, surrogate-prone bytes, long runs.
_NASTY = st.sampled_from(["\r\n", "\n", "\r", "\x00", "=?utf-8?b?", "?=", "=?", "<", ">", '"', "\\", "(", ")",
                          ",", ";", ":", "@", "\u2028", "\u202e", "\ufeff", "Ж" * 40, "x" * 90, " ", "\t"])
HEADER_TEXT = st.lists(st.one_of(st.text(max_size=30), _NASTY), max_size=12).map("".join)
HEADER_NAMES = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
                "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Return-Path", "Auto-Submitted",
                "Precedence", "List-Id", "X-Loop", "Reply-To", "Sender", "X-Autoreply"]


def _raw_mail(headers: list[tuple[str, str]], body: bytes, encoding: str) -> bytes:
    head = b"".join(f"{name}: ".encode() + value.encode(encoding, "surrogatepass" if encoding == "utf-8"
                                                         else "replace") + b"\r\n" for name, value in headers)
    return head + b"\r\n" + body


MAILS = st.builds(
    _raw_mail,
    st.lists(st.tuples(st.sampled_from(HEADER_NAMES), HEADER_TEXT), max_size=12),
    st.one_of(st.binary(max_size=2000), HEADER_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.sampled_from(["utf-8", "latin-1"]),
)


def _context() -> FakeContext:
    ctx = FakeContext()
    ctx.templates = compose.make_environment()  # type: ignore[attr-defined]
    return ctx


CTX = _context()


@PROPERTY
@given(st.binary(max_size=5000))
def test_parse_takes_any_bytes(raw: bytes) -> None:
    try:
        parse_email(raw)
    except TriageInputError:
        pass


def _triage(raw: bytes) -> Triage | None:
    """The whole pipeline as the worker runs it (decide, the case's reference, respond)."""
    triage = Triage(raw_id=1, channel="smtp", raw=raw, received_at=WHEN)
    try:
        pipeline.run(triage, CTX, pipeline.DECIDE)
    except TriageInputError:
        return None
    triage.reference = "MID-2026-00001"
    pipeline.run(triage, CTX, pipeline.RESPOND)
    return triage


def _row(reply: Any, to: str, to_name: str | None, headers: dict[str, str], kind: str = "ack") -> Any:
    return SimpleNamespace(to_address=to, to_name=to_name, subject=reply.subject, text=reply.text,
                           html=reply.html, headers=headers, message_id="<row-1@wessexvale-pcc.gov.uk>", kind=kind)


@PROPERTY
@given(MAILS)
def test_any_mail_goes_through_the_pipeline_and_its_reply_can_be_built(raw: bytes) -> None:
    triage = _triage(raw)
    if triage is None or triage.incoming is None:
        return
    inc = triage.incoming
    headers = {"In-Reply-To": inc.message_id or "", "References": " ".join([*inc.references, inc.message_id or ""])}
    for reply, to, name in ((triage.reply, inc.sender_address or "", inc.sender_name),
                            (triage.alert, "duty@wessexvale-pcc.gov.uk", None)):
        if reply is None:
            continue
        try:
            assert build_email(CTX.config, _row(reply, to, name, headers), WHEN).wire
        except BadOutgoingMessage:
            assert reply is triage.reply  # only the writer's own address can be undeliverable


@PROPERTY
@given(subject=HEADER_TEXT, to=HEADER_TEXT, to_name=st.one_of(st.none(), HEADER_TEXT), text=st.text(max_size=500),
       html=st.one_of(st.none(), st.text(max_size=300)),
       extra=st.dictionaries(st.one_of(st.sampled_from(["In-Reply-To", "References", "X-Loop", "Bcc", "To"]),
                                       HEADER_TEXT), HEADER_TEXT, max_size=4))
def test_build_email_takes_any_row(subject: str, to: str, to_name: str | None, text: str, html: str | None,
                                   extra: dict[str, str]) -> None:
    row = SimpleNamespace(to_address=to, to_name=to_name, subject=subject, text=text, html=html, headers=extra,
                          message_id="<row-2@wessexvale-pcc.gov.uk>", kind="reply")
    try:
        data = build_email(CTX.config, row, WHEN).wire
    except BadOutgoingMessage:
        return
    head = data.split(b"\r\n\r\n", 1)[0]
    assert head.count(b"\r\nBcc:") == 0 and head.count(b"\r\nTo:") == 1  # stored text never adds recipients
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))  # RFC 5322 2.1.1


def test_well_formed_mail_survives_as_the_builder_found_it() -> None:
    """A sanity anchor for the properties: a plain row builds with its own words."""
    reply = SimpleNamespace(subject="[MID-2026-00001] Re: Street lights", text="Dear Ada,\n\nThank you.\n", html=None)
    msg = build_email(CTX.config, _row(reply, "ada@example.com", "Ada Example", {}), WHEN).message
    assert msg["To"] == "Ada Example <ada@example.com>" and msg["Subject"] == "[MID-2026-00001] Re: Street lights"
