"""The parse stage: email headers, bodies, charsets, quotes, signatures, attachments; robustness."""

from __future__ import annotations

import base64
import importlib.util
import random
import time
from datetime import UTC, datetime
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from fakes import FakeContext

from handlers import machine_mail, parse
from handlers.parse import parse_email
from handlers.types import Triage, TriageInputError

WHEN = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


def mail(text: str, crlf: bool = False) -> bytes:
    raw = dedent(text).lstrip("\n")
    return (raw.replace("\n", "\r\n") if crlf else raw).encode("utf-8")


PLAIN = mail(
    """\
    Return-Path: <Ann.Walker@Example.com>
    From: "Walker, Ann" <Ann.Walker@Example.com>
    To: Office <office@example.org>, second@example.org
    Cc: Councillor <cllr@example.net>
    Subject: Street lights out on
     Mill Lane
    Date: Tue, 02 Jun 2026 10:15:00 +0100
    Message-ID: <abc123@mail.example.com>
    In-Reply-To: <prev-1@example.org> (our reply)
    References: <first@example.com>
     <prev-1@example.org>
    X-Mailer: Fictional Mail 1.0
    MIME-Version: 1.0
    Content-Type: text/plain; charset="utf-8"

    Dear Commissioner,

    The street lights on Mill Lane have been out for a week.

    Ann
    """
)


def test_plain_message_headers_are_normalised() -> None:
    inc = parse_email(PLAIN)
    assert inc.channel == "email"
    assert inc.sender_address == "ann.walker@example.com"
    assert inc.sender_name == "Walker, Ann"
    assert inc.subject == "Street lights out on Mill Lane"
    assert inc.to == ["office@example.org", "second@example.org"]
    assert inc.cc == ["cllr@example.net"]
    assert inc.message_id == "<abc123@mail.example.com>"
    assert inc.in_reply_to == "<prev-1@example.org>"
    assert inc.references == ["<first@example.com>", "<prev-1@example.org>"]
    assert inc.date == datetime(2026, 6, 2, 9, 15, tzinfo=UTC)
    assert inc.return_path == "ann.walker@example.com"
    assert inc.headers["x-mailer"] == "Fictional Mail 1.0"
    assert inc.content_type == "text/plain"
    assert inc.body.startswith("Dear Commissioner,\n\nThe street lights")
    assert inc.body.endswith("Ann")
    assert inc.quoted == "" and inc.signature == "" and inc.problems == []


def test_crlf_line_endings_give_the_same_result() -> None:
    crlf = parse_email(PLAIN.replace(b"\n", b"\r\n"))
    assert crlf.body == parse_email(PLAIN).body
    assert "\r" not in crlf.body and crlf.subject == "Street lights out on Mill Lane"


def test_rfc2047_subject_and_sender_name_are_decoded() -> None:
    inc = parse_email(
        mail(
            """\
            From: =?utf-8?q?Zo=C3=AB_M=C3=BCller?= <zoe@example.com>
            Subject: =?utf-8?b?wqMxMDAgZmluZSDigJMgdW5mYWly?=
            Date: Wed, 03 Jun 2026 08:00:00 +0000

            Hello.
            """
        )
    )
    assert inc.sender_name == "Zoë Müller"
    assert inc.subject == "£100 fine – unfair"


def test_null_and_missing_return_path() -> None:
    null = parse_email(mail("Return-Path: <>\nFrom: a@example.com\nSubject: x\n\nbody\n"))
    absent = parse_email(mail("From: a@example.com\nSubject: x\n\nbody\n"))
    assert null.return_path == ""
    assert absent.return_path is None


def test_multipart_alternative_prefers_the_plain_part() -> None:
    inc = parse_email(
        mail(
            """\
            From: b@example.com
            Subject: alt
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="XX"

            --XX
            Content-Type: text/plain; charset=us-ascii

            Plain version.
            --XX
            Content-Type: text/html; charset=us-ascii

            <p>HTML version.</p>
            --XX--
            """
        )
    )
    assert inc.body == "Plain version."
    assert inc.content_type == "multipart/alternative"
    assert inc.attachments == []


def test_html_only_body_keeps_paragraphs_and_line_breaks() -> None:
    inc = parse_email(
        mail(
            """\
            From: c@example.com
            Subject: html
            Content-Type: text/html; charset=utf-8

            <html><head><style>p {color: red}</style><title>t</title></head><body>
            <div>Dear Sir,</div><div><br></div>
            <p>Cars are parked on the
               pavement &amp; kerb&nbsp;daily.<br>Please help.</p>
            <ul><li>first point</li><li>second point</li></ul>
            <script>alert(1)</script></body></html>
            """
        )
    )
    assert inc.body == (
        "Dear Sir,\n\nCars are parked on the pavement & kerb daily.\nPlease help."
        "\n\nfirst point\nsecond point"
    )


def test_html_blockquote_history_goes_to_quoted() -> None:
    inc = parse_email(
        mail(
            """\
            From: d@example.com
            Subject: Re: your letter
            Content-Type: text/html; charset=utf-8

            <div>Thanks, but that does not answer my question.</div>
            <div class="gmail_quote"><div>On Mon, 1 Jun 2026 at 09:00, Office &lt;o@example.org&gt;
            wrote:</div>
            <blockquote><p>Dear Mr Dee,</p><p>Thank you for writing.</p></blockquote></div>
            """
        )
    )
    assert inc.body == "Thanks, but that does not answer my question."
    assert "Dear Mr Dee," in inc.quoted and "Thank you for writing." in inc.quoted
    assert inc.quoted.startswith("On Mon, 1 Jun 2026")


def test_windows_1252_pound_sign_is_decoded() -> None:
    raw = b"From: e@example.com\nDate: Wed, 3 Jun 2026 10:00:00 +0100\n"
    raw += b"Content-Type: text/plain; charset=windows-1252\n\n"
    inc = parse_email(raw + "I paid \u00a3120 \u2013 twice.\n".encode("cp1252"))
    assert inc.body == "I paid £120 – twice."
    assert inc.problems == []


def test_misdeclared_charset_is_repaired_and_recorded() -> None:
    raw = b"From: e@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n"
    inc = parse_email(raw + "Cost \u00a350.\n".encode("cp1252"))
    assert inc.body == "Cost £50."
    assert any("misdeclared" in p for p in inc.problems)


def test_unknown_charset_is_decoded_with_a_problem() -> None:
    raw = b"From: e@example.com\nSubject: x\nContent-Type: text/plain; charset=x-made-up\n\n"
    raw += b"Hello \xe2\x80\x9cthere\xe2\x80\x9d\n"
    inc = parse_email(raw)
    assert inc.body == "Hello \u201cthere\u201d"
    assert "unknown charset 'x-made-up'" in inc.problems


def test_latin1_label_is_read_as_windows_1252() -> None:
    raw = b"From: e@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n\nIt\x92s \xa35\n"
    assert parse_email(raw).body == "It\u2019s £5"


def test_undeclared_8bit_header_bytes_are_decoded() -> None:
    raw = b"From: Ren\xe9e <renee@example.com>\nSubject: caf\xc3\xa9 noise\n\nbody\n"
    inc = parse_email(raw)
    assert inc.sender_name == "Renée"
    assert inc.subject == "café noise"


def test_quoted_printable_and_format_flowed_are_joined() -> None:
    inc = parse_email(
        mail(
            """\
            From: f@example.com
            Subject: flowed
            Content-Type: text/plain; charset=utf-8; format=flowed
            Content-Transfer-Encoding: quoted-printable

            This line is soft-wrapped by the mail client and should be =
            joined with the next\x20
            one into a single line.
            =20
            > Quoted text that is\x20
            > also flowed.
            """
        )
    )
    assert inc.body == (
        "This line is soft-wrapped by the mail client and should be joined with the next "
        "one into a single line."
    )
    assert inc.quoted == "Quoted text that is also flowed."


def test_format_flowed_delsp_removes_the_soft_space() -> None:
    raw = mail(
        """\
        From: f@example.com
        Subject: flowed
        Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes

        Supercalifragi\x20
        listic words.
        """
    )
    assert parse_email(raw).body == "Supercalifragilistic words."


def test_gmail_style_reply_splits_new_text_from_history() -> None:
    inc = parse_email(
        mail(
            """\
            From: g@example.com
            Subject: Re: noise

            That is not good enough. I want a meeting.

            On Tue, 2 Jun 2026 at 14:05, Office of the Commissioner <
            office@example.org> wrote:

            > Dear Ms Gee,
            >
            > > nested earlier text
            > Thank you for your email.
            """
        )
    )
    assert inc.body == "That is not good enough. I want a meeting."
    assert "Dear Ms Gee," in inc.quoted and "nested earlier text" in inc.quoted
    assert not [line for line in inc.quoted.splitlines()[2:] if line.startswith(">")]


def test_bottom_posted_text_after_the_quote_stays_in_body() -> None:
    inc = parse_email(
        mail(
            """\
            From: g@example.com
            Subject: Re: noise

            On 2 Jun 2026, at 14:05, Office <office@example.org> wrote:
            > Can you tell us the address?

            It is 4 Field Row.
            """
        )
    )
    assert inc.body == "It is 4 Field Row."
    assert inc.quoted.endswith("Can you tell us the address?")


def test_outlook_header_block_starts_history() -> None:
    inc = parse_email(
        mail(
            """\
            From: h@example.com
            Subject: RE: Case update

            Please see my reply above, I still have not heard back.

            Regards
            Hana

            ________________________________
            From: Casework Team <office@example.org>
            Sent: 04 June 2026 11:02
            To: Hana <h@example.com>
            Subject: Case update

            Dear Hana, we have passed your email to the force.
            """
        )
    )
    assert inc.body == "Please see my reply above, I still have not heard back.\n\nRegards\nHana"
    assert inc.quoted.startswith("From: Casework Team")
    assert "passed your email to the force" in inc.quoted


def test_original_message_separator_starts_history() -> None:
    inc = parse_email(
        mail(
            """\
            From: i@example.com
            Subject: RE: meeting

            Tuesday works for me.

            -----Original Message-----
            From: Office
            Can you meet on Tuesday?
            """
        )
    )
    assert inc.body == "Tuesday works for me."
    assert "Can you meet on Tuesday?" in inc.quoted


def test_forwarded_message_is_kept_in_quoted() -> None:
    inc = parse_email(
        mail(
            """\
            From: j@example.com
            Subject: Fwd: burglary on my road

            Forwarding this from a resident for your attention.

            ---------- Forwarded message ---------
            From: Resident <res@example.net>
            Date: Sun, 7 Jun 2026 at 22:10
            Subject: burglary on my road
            To: <j@example.com>

            Three houses were broken into last night.
            """
        )
    )
    assert inc.body == "Forwarding this from a resident for your attention."
    assert "Three houses were broken into last night." in inc.quoted
    assert inc.quoted.startswith("---------- Forwarded message")


def test_signature_after_delimiter_and_mobile_footer() -> None:
    dash = parse_email(b"From: k@example.com\nSubject: s\n\nMain text.\n\n-- \nK. Person\n01632 960001\n")
    assert dash.body == "Main text."
    assert dash.signature == "K. Person\n01632 960001"
    phone = parse_email(mail("From: k@example.com\nSubject: s\n\nMain text.\n\nSent from my iPhone\n"))
    assert phone.body == "Main text."
    assert phone.signature == "Sent from my iPhone"


def test_legal_disclaimer_goes_to_signature_but_a_letter_mentioning_an_error_stays() -> None:
    disclaimer = parse_email(
        mail(
            """\
            From: l@example.org
            Subject: s

            OFFICIAL

            Please find the figures you asked for.

            Classification: OFFICIAL
            This email and any attachments are confidential and intended solely for the addressee.
            If you have received it in error please notify the sender and delete it.
            """
        )
    )
    assert disclaimer.body == "OFFICIAL\n\nPlease find the figures you asked for."
    assert disclaimer.signature.startswith("Classification: OFFICIAL\nThis email")
    letter = mail(
        """\
        From: m@example.com
        Subject: s

        I was fined in error last month and nobody will listen to me about it at all.
        """
    )
    assert parse_email(letter).body.startswith("I was fined in error")


def test_attachments_are_listed_with_size_and_bytes() -> None:
    pdf = b"%PDF-1.4 fictional"
    inc = parse_email(
        mail(
            f"""\
            From: n@example.com
            Subject: evidence
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="B"

            --B
            Content-Type: text/plain; charset=utf-8

            Photo and letter attached.
            --B
            Content-Type: application/pdf
            Content-Disposition: attachment; filename*=utf-8''lettre%C3%A9.pdf
            Content-Transfer-Encoding: base64

            {base64.b64encode(pdf).decode()}
            --B
            Content-Type: image/png; name="photo.png"
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --B--
            """
        )
    )
    assert inc.body == "Photo and letter attached."
    assert [(a.filename, a.content_type, a.size) for a in inc.attachments] == [
        ("lettreé.pdf", "application/pdf", len(pdf)),
        ("photo.png", "image/png", 8),
    ]
    assert inc.attachments[0].data == pdf


def test_forward_as_attachment_text_is_kept_in_quoted() -> None:
    inc = parse_email(
        mail(
            """\
            From: o@example.com
            Subject: Fwd: threat
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="B"

            --B
            Content-Type: text/plain

            See attached.
            --B
            Content-Type: message/rfc822

            From: Someone <someone@example.net>
            Subject: you will regret it
            Date: Fri, 5 Jun 2026 20:00:00 +0000

            The inner message text.
            --B--
            """
        )
    )
    assert inc.body == "See attached."
    assert inc.attachments[0].content_type == "message/rfc822"
    assert b"The inner message text." in inc.attachments[0].data
    assert "Subject: you will regret it" in inc.quoted and "The inner message text." in inc.quoted


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n  ", bytes(range(256)) * 4, b"\x00\x01\x02\x03" * 100])
def test_empty_or_binary_bytes_are_not_a_message(raw: bytes) -> None:
    with pytest.raises(TriageInputError):
        parse_email(raw)


def test_text_without_headers_parses_with_a_problem() -> None:
    inc = parse_email(b"Hello, I want to report a broken window.\n")
    assert "Hello, I want to report a broken window." in inc.body
    assert "no message headers" in inc.problems
    assert "no sender address" in inc.problems


def test_malformed_mime_never_crashes() -> None:
    inc = parse_email(
        mail(
            """\
            From: "Broken <p@example.com
            To: ,,, <>; undisclosed-recipients:;
            Subject: =?bogus?x?zzz?=
            Date: not a date at all
            Message-ID: no-brackets here
            Content-Type: multipart/mixed; boundary="never-used"
            Content-Transfer-Encoding: base64

            Some text without any boundary.
            """
        )
    )
    assert "Some text without any boundary." in inc.body
    assert inc.date is None
    assert any("Date" in p for p in inc.problems)
    assert inc.message_id == "no-bracketshere"
    assert inc.sender_address == "p@example.com"
    assert any(p.startswith("mime:") for p in inc.problems)


def test_bad_base64_body_is_recorded_not_raised() -> None:
    raw = mail(
        """\
        From: q@example.com
        Subject: x
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: base64

        SGVsbG8gd29ybGQ*!!not-base64
        """
    )
    inc = parse_email(raw)
    assert inc.body.startswith("Hello world")
    assert any("Base64" in p or "base64" in p.lower() for p in inc.problems)


def test_random_mutations_never_raise_anything_but_triage_input_error() -> None:
    rng = random.Random(20260602)
    seeds = [PLAIN, mail("From: x@example.com\nContent-Type: multipart/alternative; boundary=Q\n\n--Q\n"
                         "Content-Type: text/html; charset=utf-8\n\n<p>hi<blockquote>old</p>\n--Q--\n")]
    parsed = 0
    for i in range(400):
        data = bytearray(seeds[i % 2])
        for _ in range(rng.randint(1, 12)):
            pos = rng.randrange(len(data))
            op = rng.random()
            if op < 0.4:
                data[pos] = rng.randrange(256)
            elif op < 0.7:
                del data[pos : pos + rng.randint(1, 20)]
            else:
                data[pos:pos] = rng.choice([b"\n", b":", b"<", b"=?", b"--Q", b"\xff\xfe", b"\r\n\r\n", b">"])
        try:
            parse_email(bytes(data))
        except TriageInputError:
            continue
        parsed += 1
    assert parsed > 300


def test_process_sets_incoming_by_channel() -> None:
    when = datetime(2026, 6, 2, tzinfo=UTC)
    email_triage = Triage(raw_id=1, channel="imap", raw=PLAIN, received_at=when)
    parse.process(email_triage, FakeContext())
    assert email_triage.incoming is not None and email_triage.incoming.channel == "email"
    tg = b'{"update_id": 1, "message": {"message_id": 2, "chat": {"id": 3, "type": "private"}, '
    tg += b'"date": 1, "text": "hi"}}'
    for channel in ("telegram", "replay"):
        tg_triage = Triage(raw_id=2, channel=channel, raw=tg, received_at=when)
        parse.process(tg_triage, FakeContext())
        assert tg_triage.incoming is not None and tg_triage.incoming.message_id == "tg:3:2"


def _stdlib_email_data() -> Path:
    spec = importlib.util.find_spec("test.test_email")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations or not (Path(locations[0]) / "data").is_dir():
        pytest.fail(
            "CPython's test.test_email package (with its data/ folder) is not installed; "
            "install the interpreter's full standard library (e.g. the python3.11 'test' package)",
            pytrace=False,
        )
    return Path(locations[0]) / "data"


def test_cpython_email_test_data_parses_without_crashing(record_property: Any) -> None:
    ctx = FakeContext()
    counts = {"files": 0, "parsed": 0, "input_error": 0, "machine": 0, "with_problems": 0, "with_body": 0}
    refused: list[str] = []
    for path in sorted(p for p in _stdlib_email_data().iterdir() if p.is_file()):
        counts["files"] += 1
        triage = Triage(raw_id=counts["files"], channel="replay", raw=path.read_bytes(), received_at=WHEN)
        try:
            parse.process(triage, ctx)
        except TriageInputError:
            counts["input_error"] += 1
            refused.append(path.name)
            continue
        assert triage.incoming is not None
        counts["parsed"] += 1
        counts["with_problems"] += bool(triage.incoming.problems)
        counts["with_body"] += bool(triage.incoming.body)
        machine_mail.process(triage, ctx)
        if triage.machine:
            counts["machine"] += 1
            assert triage.ack is False and triage.hits
    for key, value in counts.items():
        record_property(key, value)
    print(f"CPython email test data: {counts}")
    assert counts["files"] > 40
    # Every msg_*.txt there is a message, however broken; only binary samples (images, audio) are refused.
    assert [name for name in refused if name.startswith("msg_")] == []
    assert counts["input_error"] >= 10
    assert 0 < counts["machine"] < counts["parsed"]


def test_bounce_report_parts_are_listed_and_returned_original_not_read() -> None:
    inc = parse_email((Path(__file__).resolve().parent.parent / "data" / "bounce-dsn.eml").read_bytes())
    assert inc.content_type == "multipart/report"
    assert inc.body.startswith("This is the mail system at host mx.example.org.")
    assert [a.content_type for a in inc.attachments] == ["message/delivery-status", "message/rfc822"]
    assert b"Action: failed" in inc.attachments[0].data
    assert inc.quoted == ""
    assert inc.return_path == "" and inc.sender_address == "mailer-daemon@mx.example.org"


def _nested_multipart(levels: int) -> bytes:
    raw = b"From: a@example.com\nSubject: deep\n"
    for i in range(levels):
        raw += b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i)
    return raw + b"Content-Type: text/plain\n\nhello\n"


def _nested_rfc822(levels: int) -> bytes:
    raw = b"From: a@example.com\nSubject: deep\nContent-Type: text/plain\n\ninner\n"
    for _ in range(levels):
        raw = b"From: x@example.com\nContent-Type: message/rfc822\n\n" + raw
    return raw


@pytest.mark.parametrize(
    "raw",
    [
        _nested_multipart(300),
        _nested_rfc822(200),
        b"From: a@example.com\nContent-Type: text/html\n\n" + b"<div>" * 20000 + b"x" + b"</div>" * 20000,
        b"From: a@example.com\nContent-Type: text/html\n\n" + b"<blockquote>" * 3000 + b"x",
        b"From: a@example.com\nTo: " + b", ".join(b"u%d@example.com" % i for i in range(20000)) + b"\n\nx\n",
        b"From: a@example.com\nSubject: " + b"x" * 500_000 + b"\n\nbody\n",
    ],
    ids=["multipart-300", "rfc822-200", "div-20000", "blockquote-3000", "to-20000", "subject-500k"],
)
def test_hostile_structures_parse_in_linear_time(raw: bytes) -> None:
    started = time.monotonic()
    inc = parse_email(raw)
    # Generous bound for a loaded 2-core box; the quadratic HTML renderer this replaced took minutes.
    assert time.monotonic() - started < 15
    assert len(inc.problems) == len(set(inc.problems))


def test_prose_that_mentions_someone_writing_is_not_an_attribution() -> None:
    inc = parse_email(
        mail(
            """\
            From: r@example.com
            Subject: rubbish

            On 3 June the council wrote:
            "We will not remove the rubbish from the lane."
            I think that is unacceptable and the police should act.
            """
        )
    )
    assert inc.quoted == ""
    assert inc.body.endswith("the police should act.")


def test_bare_double_dash_before_a_long_tail_is_prose_not_a_signature() -> None:
    tail = "".join(f"Point {n} of my letter.\n" for n in range(15))
    inc = parse_email(f"From: s@example.com\nSubject: s\n\nIntro.\n--\n{tail}".encode())
    assert inc.signature == ""
    assert inc.body.endswith("Point 14 of my letter.")
    short = parse_email(b"From: s@example.com\nSubject: s\n\nIntro.\n--\nS. Person\n")
    assert (short.body, short.signature) == ("Intro.", "S. Person")


def relayed(from_line: str, reply_to: str, sender: str = "") -> bytes:
    headers = [f"From: {from_line}", f"Reply-To: {reply_to}", *([f"Sender: {sender}"] if sender else []),
               "To: Office <office@example.org>", "Subject: Keep our PCSOs",
               "Date: Mon, 12 Oct 2026 19:50:14 +0100", "Message-ID: <r1@platform.example.org>"]
    return ("\n".join(headers) + "\n\nDear Commissioner, please keep our PCSOs.\n").encode()


def test_a_campaign_platforms_letter_belongs_to_the_writer_in_reply_to() -> None:
    inc = parse_email(relayed("Ann Lee via Rural Voice <campaigns@platform.example.org>",
                              "Ann Lee <ann.lee@example.com>", "Rural Voice <campaigns@platform.example.org>"))
    assert (inc.sender_address, inc.sender_name) == ("ann.lee@example.com", "Ann Lee")
    assert inc.relayed_by == "campaigns@platform.example.org"


def test_a_reply_to_without_a_relay_leaves_the_sender_alone() -> None:
    inc = parse_email(relayed("Ann Lee <ann@example.com>", "Office manager <manager@example.net>"))
    assert inc.sender_address == "ann@example.com" and inc.relayed_by is None
