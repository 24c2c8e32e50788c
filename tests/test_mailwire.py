"""The directly written wire (bot.mailwire) is byte for byte what the email package makes of the same row."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fakes import repo_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.outmail import (
    BadOutgoingMessage,
    assembled_mail,
    build_email,
    clean_address,
    direct_wire,
)
from bot.replay import replay
from bot.sender import FileSinkTransport
from handlers.safetext import _scrub_body, _scrub_header, body_text, header_text
from store.models import Outbox

EXAMPLES = int(os.environ.get("SIGNPOST_HYPOTHESIS_EXAMPLES", "150"))
CFG = repo_config()
WHEN = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')
# Header values from every corner (as tests/test_properties.py has them).
_NASTY = st.sampled_from(["\r\n", "\n", "\r", "\x00", "=?utf-8?b?", "?=", "=?", "<", ">", '"', "\\", "(", ")",
                          ",", ";", ":", "@", "\u2028", "\u202e", "\ufeff", "\u0416" * 40, "x" * 90, " ", "\t"])
HEADER_TEXT = st.lists(st.one_of(st.text(max_size=30), _NASTY), max_size=12).map("".join)


def row(**values: Any) -> Any:
    base: dict[str, Any] = dict(to_address="ada@example.com", to_name="Ada Example",
                                subject="[MID-2026-00001] Re: Street lights", text="Dear Ada,\n\nThank you.\n",
                                html=None, headers={"Auto-Submitted": "auto-replied"},
                                message_id="<ack-1.2@wessexvale-pcc.gov.uk>", kind="ack")
    base.update(values)
    return SimpleNamespace(**base)


def compare(r: Any, at: datetime = WHEN) -> bytes | None:
    """The direct wire for `r` (None if it is not taken), after checking it equals the slow path's."""
    to = clean_address(r.to_address)
    slow = assembled_mail(CFG, r, to, at).wire
    found = _BOUNDARY.search(slow.split(b"\r\n\r\n", 1)[0])  # the email package chose it at random
    fast = direct_wire(CFG, r, to, at, boundary=found.group(1).decode() if found else None)
    if fast is not None:
        assert fast == slow
    return fast


LONG_IDS = " ".join(f"<CAF{n:04d}abcdefghijklmnop{n}@mail.gmail.com>" for n in range(8))
DIRECT = {
    "plain ack": row(),
    "html alternative": row(html="<p>Dear Ada,</p>\n<p>Thank you.</p>"),
    "threading headers": row(headers={"Auto-Submitted": "auto-replied", "In-Reply-To": "<m1@example.com>",
                                      "References": LONG_IDS, "X-Loop": "signpost"}),
    "subject folded": row(subject="Re: " + " ".join(["streetlights"] * 30)),
    "subject alone on its line": row(subject="Re:" + "x" * 70),
    "empty subject and text": row(subject="", text="", html=""),
    "line over 78 (quoted-printable)": row(text="word " * 30 + "\nshort\n"),
    "line over 998": row(text="x" * 1200 + "\n"),
    "base64 wins": row(text="\u0416" * 200 + "\n"),
    "qp over ten lines": row(text="caf\u00e9 " * 30 + "\n" + "line\n" * 15),
    "8bit body": row(text="Diolch yn fawr, Si\u00e2n.\n\u2028 and \U0001f600\n", html="<p>Si\u00e2n</p>"),
    "crlf and cr": row(text="one\r\ntwo\rthree\n\n", html="<p>a</p>\r\n<p>b</p>\r"),
    "trailing whitespace": row(text="line with spaces   \n\ttab\t\n   \n", subject="  padded   subject  "),
    "no final newline": row(text="no newline at the end"),
    "controls in text": row(text="bell\x07 and nul\x00 and \x85 go\n"),
    "quoted display name": row(to_name="Dr. J. Smith, MBE (home)"),
    "no display name": row(to_name=None),
    "id alone on its line": row(message_id="<" + "a" * 40 + "@" + "b" * 25 + ".example>"),
    "no message id": row(message_id=None),
}
SLOW = {
    "non-ascii subject": row(subject="Diolch, Si\u00e2n"),
    "non-ascii name": row(to_name="Si\u00e2n Jones"),
    "encoded-word lookalike": row(subject="=?utf-8?q?hi?="),
    "a word too long to fold": row(subject="x" * 90),
    "content header": row(headers={"Content-Language": "cy"}),
    "long display name": row(to_name="A" * 70),
    "odd message id": row(message_id="<no-at-sign>"),
}


@pytest.mark.parametrize("r", DIRECT.values(), ids=DIRECT.keys())
def test_plain_rows_are_written_directly_and_byte_for_byte_as_the_email_package_writes_them(r: Any) -> None:
    assert compare(r) is not None


@pytest.mark.parametrize("r", SLOW.values(), ids=SLOW.keys())
def test_other_rows_are_left_to_the_email_package(r: Any) -> None:
    assert compare(r) is None
    mail = build_email(CFG, r, WHEN)
    assert mail.built is not None and mail.wire.startswith(b"From: ")


def test_build_email_writes_plain_rows_directly_and_attachments_the_slow_way() -> None:
    direct = build_email(CFG, row(html="<p>x</p>"), WHEN)
    assert direct.built is None and (direct.sender, direct.recipients) == (CFG.office.mailbox, ("ada@example.com",))
    assert direct.message["To"] == "Ada Example <ada@example.com>" and direct.header("To") == direct.message["To"]
    assert direct.header("Subject") == "[MID-2026-00001] Re: Street lights" and direct.header("Bcc") is None
    assert direct.message.get_body(("html",)).get_content() == "<p>x</p>\n"  # type: ignore[union-attr]
    file = SimpleNamespace(content_type="application/pdf", data=b"%PDF", filename="letter.pdf")
    slow = build_email(CFG, row(), WHEN, [file])
    assert slow.built is not None and [p.get_filename() for p in slow.message.iter_attachments()] == ["letter.pdf"]


def test_a_datetime_the_date_header_would_rewrite_goes_the_slow_way() -> None:
    assert compare(row(), WHEN.replace(tzinfo=timezone(timedelta(hours=5, minutes=30)))) is not None
    assert compare(row(), WHEN.replace(tzinfo=None)) is not None
    assert compare(row(), WHEN.replace(tzinfo=timezone(timedelta(seconds=30)))) is None


def test_the_random_boundary_is_not_in_the_parts() -> None:
    text = "--===============1234567890123456789==\n"
    mail = build_email(CFG, row(text=text, html="<p>x</p>"), WHEN)
    found = _BOUNDARY.search(mail.wire)
    assert found is not None and len(found.group(1)) == 36 and mail.wire.count(b"--" + found.group(1)) == 3


WORDS = st.sampled_from(["Re:", "[MID-2026-00001]", "lights", "Harlow", "x" * 40, "x" * 77, "x" * 78, "a.b",
                         "(note)", "J.", "O'Neil", "=", "?", "caf\u00e9", "\u0416", "", " ", "  "])
ASCIIISH = st.lists(st.one_of(WORDS, st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)),
                    max_size=25).map(" ".join)
BODY = st.lists(st.one_of(st.sampled_from(["\n", "\r\n", "\r", " ", "\t", "x" * 79, "y" * 999, "\u00e9", "\U0001f600",
                                           "--==============="]),
                          st.text(max_size=40)), max_size=30).map("".join)
MSGIDS = st.sampled_from(["<a@b.example>", "<x.y@wessexvale-pcc.gov.uk>", "<" + "m" * 70 + "@x.example>",
                          "<bad>", "junk", ""])
EXTRAS = st.dictionaries(st.sampled_from(["In-Reply-To", "References", "Auto-Submitted", "X-Loop",
                                          "X-Signpost-Fallback", "Content-Language", "MIME-Version", "Precedence"]),
                         st.one_of(ASCIIISH, st.lists(MSGIDS, max_size=12).map(" ".join), HEADER_TEXT), max_size=4)
ROWS = st.builds(row, subject=st.one_of(ASCIIISH, HEADER_TEXT), to_name=st.one_of(st.none(), ASCIIISH, HEADER_TEXT),
                 text=st.one_of(BODY, st.text(max_size=300)), html=st.one_of(st.none(), BODY), headers=EXTRAS,
                 message_id=st.one_of(st.none(), MSGIDS))


@PROPERTY
@given(ROWS, st.one_of(st.just(WHEN), st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.timezones())))
def test_any_row_the_direct_writer_takes_comes_out_as_the_email_package_writes_it(r: Any, at: datetime) -> None:
    try:
        compare(r, at)
    except BadOutgoingMessage:
        pass


FOLDABLE_IDS = MSGIDS.filter(lambda m: "@" in m and len(m) <= 77)  # a longer word would be encoded to fold
PLAIN_ROWS = st.builds(row, subject=st.lists(st.sampled_from(["Re:", "lights", "x" * 30, "MID-2026-00001"]),
                                             max_size=20).map(" ".join),
                       to_name=st.one_of(st.none(), st.sampled_from(["Ada", "J. Smith", "O'Neil", "Ada Example"])),
                       text=st.one_of(BODY, st.text(max_size=300)), html=st.one_of(st.none(), BODY),
                       headers=st.fixed_dictionaries({"References": st.lists(FOLDABLE_IDS, max_size=10).map(" ".join)}))


@PROPERTY
@given(PLAIN_ROWS)
def test_every_plain_row_is_written_directly(r: Any) -> None:
    assert compare(r) is not None


@PROPERTY
@given(st.one_of(HEADER_TEXT, ASCIIISH), st.sampled_from([3, 90, 120, 250, 900]), st.one_of(BODY, st.text()))
def test_the_clean_text_shortcuts_change_nothing(header: str, limit: int, body: str) -> None:
    assert header_text(header, limit) == _scrub_header(header, limit)
    assert body_text(body) == _scrub_body(body)


async def test_the_outbox_of_a_corpus_replay_comes_out_the_same_both_ways(
        make_cfg: Any, sqlite_sessions: Any, tmp_path: Path, triage_model: Any) -> None:
    await replay(make_cfg(), sqlite_sessions, [DATA / "heldout_like", DATA / "heldout_like2"],
                 FileSinkTransport(tmp_path / "out"), model=triage_model)
    with sqlite_sessions() as s:
        rows = list(s.scalars(select(Outbox).where(Outbox.channel == "email")))
    direct = [r for r in rows if compare(r, r.created_at.replace(tzinfo=UTC)) is not None]
    assert len(rows) > 30 and len(direct) >= 0.9 * len(rows)  # 61 of 61 when written


ATOM = st.text(st.sampled_from("abcXYZ019!#$%&'*+/=?^_`{|}~-"), min_size=1, max_size=8)
DOT_ATOM = st.lists(ATOM, min_size=1, max_size=3).map(".".join)


@PROPERTY
@given(st.one_of(st.emails(), st.builds("{}@{}".format, DOT_ATOM, DOT_ATOM), HEADER_TEXT))
def test_a_plain_address_is_taken_as_parseaddr_would_take_it(value: str) -> None:
    from email.utils import parseaddr

    from bot import mailwire

    if mailwire.is_plain_address(value):
        assert parseaddr(header_text(value, 998)) == ("", value)
