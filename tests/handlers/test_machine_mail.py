"""The machine_mail stage: bounces, receipts, auto-replies, bulk mail and loops get no reply."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from textwrap import dedent

import pytest
from fakes import FakeContext, config_with

from handlers import machine_mail, parse, pipeline
from handlers.types import Kind, Triage

DATA = Path(__file__).resolve().parent.parent / "data"
WHEN = datetime(2026, 6, 8, 9, 0, tzinfo=UTC)


def triage_for(raw: bytes, channel: str = "smtp") -> Triage:
    triage = Triage(raw_id=1, channel=channel, raw=raw, received_at=WHEN)
    parse.process(triage, FakeContext())
    return triage


def email(headers: str, body: str = "Hello.\n") -> bytes:
    base = "From: Pat Doe <pat@example.com>\nTo: office@example.org\nDate: Mon, 8 Jun 2026 09:00:00 +0100\n"
    return (base + dedent(headers).strip("\n") + "\n\n" + dedent(body)).encode()


def machine_rules(raw: bytes, channel: str = "smtp", ctx: FakeContext | None = None) -> list[str]:
    """Run the stage; return the rules that fired ([] for human mail), checking the outcome."""
    triage = triage_for(raw, channel)
    machine_mail.process(triage, ctx or FakeContext())
    if triage.machine:
        assert (triage.kind, triage.ack, triage.category, triage.agency) == (Kind.MACHINE, False, "none", "none")
        assert pipeline.ROUTES[triage.kind] == ()  # recorded, never answered
        assert all(h.stage == "machine_mail" and h.reason for h in triage.hits)
        return [h.rule for h in triage.hits]
    assert (triage.ack, triage.hits) == (True, [])
    assert triage.kind in (Kind.EMAIL, Kind.CHAT_TEXT)
    return []


@pytest.mark.parametrize(
    ("headers", "rule"),
    [
        ("Subject: Away\nAuto-Submitted: auto-replied", "auto_submitted"),
        ("Subject: Ticket 4411 opened\nAuto-Submitted: auto-generated; owner=helpdesk", "auto_submitted"),
        ("Subject: News\nPrecedence: bulk", "precedence"),
        ("Subject: News\nPrecedence: junk", "precedence"),
        ("Subject: [residents] minutes\nPrecedence: list", "precedence"),
        ("Subject: June newsletter\nList-Id: Parish news <news.example.net>", "list_mail"),
        ("Subject: June newsletter\nList-Unsubscribe: <https://example.net/u/1>", "list_mail"),
        ("Return-Path: <>\nSubject: Your message", "null_return_path"),
        ("Subject: Away\nX-Autoreply: yes", "autoreply_header"),
        ("Subject: Away\nX-Autorespond: On holiday", "autoreply_header"),
        ("Subject: Away\nX-Auto-Response-Suppress: All", "autoreply_header"),
        ("Subject: Away\nX-Auto-Response-Suppress: DR, OOF", "autoreply_header"),
        ("Subject: Failure\nX-Failed-Recipients: gone@example.net", "failed_recipients"),
        ("Subject: Automatic reply: Your letter about parking", "machine_subject"),
        ("Subject: Auto-Reply: thank you for your email", "machine_subject"),
        ("Subject: Out of Office: Community meeting", "machine_subject"),
        ("Subject: Out of office reply", "machine_subject"),
        ("Subject: Undeliverable: Re: your complaint", "machine_subject"),
        ("Subject: Delivery Status Notification (Failure)", "machine_subject"),
        ("Subject: Mail delivery failed: returning message to sender", "machine_subject"),
    ],
)
def test_each_header_and_subject_rule_alone_marks_machine_mail(headers: str, rule: str) -> None:
    assert rule in machine_rules(email(headers))


def test_mailer_daemon_and_postmaster_senders() -> None:
    for sender in ("MAILER-DAEMON@mx.example.net", "postmaster@example.org"):
        raw = email("Subject: Returned").replace(b"pat@example.com", sender.encode())
        assert "daemon_sender" in machine_rules(raw)


def test_bounce_with_delivery_status_report() -> None:
    rules = machine_rules((DATA / "bounce-dsn.eml").read_bytes())
    assert {"report", "null_return_path", "daemon_sender", "auto_submitted"} <= set(rules)


def test_read_receipt_report_and_receipt_wording() -> None:
    raw = email(
        """\
        Subject: Read: Your complaint reference
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=disposition-notification; boundary="R"
        """,
        """\
        --R
        Content-Type: text/plain

        Your message was read on 8 June 2026 09:00.
        --R
        Content-Type: message/disposition-notification

        Final-Recipient: rfc822;pat@example.com
        Disposition: manual-action/MDN-sent-manually; displayed
        --R--
        """,
    )
    rules = machine_rules(raw)
    assert "report" in rules and "read_receipt" in rules


def test_delivery_status_part_inside_mixed_is_a_report() -> None:
    raw = email(
        'Subject: Notice\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="M"',
        """\
        --M
        Content-Type: text/plain

        Could not deliver.
        --M
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net

        Final-Recipient: rfc822; gone@example.net
        Action: failed
        Status: 5.1.1
        --M--
        """,
    )
    assert "report" in machine_rules(raw)


def test_mail_from_the_office_itself_is_a_loop() -> None:
    own = FakeContext().config.office.mailbox
    raw = email("Subject: Case update").replace(b"pat@example.com", own.upper().encode())
    assert machine_rules(raw) == ["own_address"]


def test_all_evidence_is_recorded() -> None:
    raw = email("Return-Path: <>\nSubject: Automatic reply: hello\nAuto-Submitted: auto-replied")
    assert machine_rules(raw) == ["auto_submitted", "null_return_path", "machine_subject"]


def test_an_office_adds_an_auto_reply_subject_in_its_language() -> None:
    raw = email("Subject: Ateb awtomatig: Swyddfa ar gau")
    assert machine_rules(raw) == []
    cfg = config_with({"triage.machine_mail.subject": {"extend": {"auto_reply": "ateb awtomatig"}}})
    assert machine_rules(raw, ctx=FakeContext(config=cfg)) == ["machine_subject"]


# ---- human mail must never be classed as machine ----


@pytest.mark.parametrize(
    "headers",
    [
        "Subject: Out of office hours policing in the town centre",
        "Subject: Out of Office hours - who answers 101?",
        "Subject: Read: my complaint, please",
        "Subject: Re: Automatic reply: Your letter about parking",
        "Subject: [Neighbourhood Watch] notes from Tuesday's meeting",
        "Subject: Undeliverable parcel text scam",
        "Subject: Delivery drivers speeding on Elm Road",
        "Subject: Returned to the station, still waiting",
        "Subject: Noise\nAuto-Submitted: no",
        "Subject: Noise\nX-Auto-Response-Suppress: DR, RN, NRN",
        "Subject: Noise\nX-Autoreply: no",
        "Subject: Noise\nPrecedence: first-class",
        "Return-Path: <pat@example.com>\nSubject: Noise",
    ],
)
def test_human_mail_is_not_machine(headers: str) -> None:
    body = """\
        I am writing about policing out of office hours, when nobody seems to answer.
        I read your automatic reply and it did not help.
        """
    assert machine_rules(email(headers, body)) == []


def test_reply_quoting_an_auto_reply_is_human() -> None:
    body = """\
        Your office sent me an automatic reply but nobody has answered my question.

        On 5 Jun 2026, at 10:00, Office <office@example.org> wrote:
        > Automatic reply: Thank you for contacting us.
        > Auto-Submitted: auto-replied
        > Your message was read on 5 June.
        """
    assert machine_rules(email("Subject: Re: Your message", body)) == []


def test_read_subject_needs_receipt_wording() -> None:
    human = email("Subject: Read: the letter I sent last week", "Please read it this time.\n")
    receipt = email("Subject: Read: the letter I sent last week", "Your message was read on 5 June 2026.\n")
    assert machine_rules(human) == []
    assert machine_rules(receipt) == ["read_receipt"]


def test_telegram_bot_sender_is_machine_and_person_is_not() -> None:
    def tg(is_bot: bool) -> bytes:
        message = {"message_id": 3, "date": 1780000000, "text": "hello", "chat": {"id": 5, "type": "private"},
                   "from": {"id": 5, "is_bot": is_bot, "first_name": "X"}}
        return json.dumps({"update_id": 9, "message": message}).encode()

    assert machine_rules(tg(True), channel="telegram") == ["telegram_bot"]
    assert machine_rules(tg(False), channel="telegram") == []


def test_no_incoming_is_left_alone() -> None:
    triage = Triage(raw_id=1, channel="smtp", raw=b"", received_at=WHEN)
    machine_mail.process(triage, FakeContext())
    assert triage.ack is True and triage.hits == []


BOUNCES = sorted((DATA / "bounces").glob("*.eml"))


@pytest.mark.parametrize("path", BOUNCES, ids=[p.stem for p in BOUNCES])
def test_bounces_of_every_shape_are_machine_mail_and_name_whom_they_were_for(path: Path) -> None:
    """Exim, Postfix, qmail, Sendmail, GroupWise, Lotus, Exchange, hosted mail, and one with no
    machine headers at all that quotes an urgent human message in full."""
    triage = triage_for(path.read_bytes())
    machine_mail.process(triage, FakeContext())
    assert triage.machine and not triage.ack
    assert triage.bounce is not None
    assert "morgan.bell@example.net" in triage.bounce.permanent + triage.bounce.mentioned
    assert "enquiries@wessexvale-pcc.gov.uk" not in triage.bounce.mentioned


def test_bounce_without_any_standard_header_is_caught_by_its_wording() -> None:
    rules = machine_rules((DATA / "bounces" / "bare-quoting-human.eml").read_bytes())
    assert rules == ["bounce_wording"]


def test_the_bounce_library_reads_bodies_our_rules_do_not() -> None:
    raw = email("""\
        Subject: Re: your mail
        """, """\
        Here is your list of failed recipients:
          <jo.doe@example.net>
        Here is your returned mail.
        """)
    triage = triage_for(raw)
    machine_mail.process(triage, FakeContext())
    assert "bounce_library" in [h.rule for h in triage.hits]
    assert triage.bounce is not None and triage.bounce.permanent == ["jo.doe@example.net"]


def test_our_own_x_loop_value_is_machine_mail() -> None:
    raw = email("Subject: Re: Your message\nX-Loop: enquiries@wessexvale-pcc.gov.uk", "Thank you.\n")
    assert machine_rules(raw) == ["own_loop"]
    assert machine_rules(email("Subject: Hi\nX-Loop: helpdesk@example.net")) == []


def test_a_person_quoting_a_bounce_lower_down_is_still_a_person() -> None:
    raw = email("Subject: My email to the force bounced", """\
        I tried to email the force about the burglary and got this back, can you pass it on?

        > Delivery has failed to these recipients or groups:
        > foi@example.police.uk
        """ + "More about the burglary on Elm Road last Tuesday and what was taken from the shed. " * 20)
    assert machine_rules(raw) == []


HEADERS = "Subject: We have your message [Ref 4410]\n"


@pytest.mark.parametrize("body", [
    "*** This is an automatically generated email. Please do not reply. ***\n\nThank you for contacting "
    "Riverside Lettings. Your enquiry has been given the reference 4410.\n",
    "Thank you for your email.\n\nThis mailbox is not monitored. For repairs please use our online portal.\n",
    "Hello, I am currently out of the office until Monday 7 December with limited access to email.\n",
    "This message was sent automatically. Please do not reply to this address.\n",
])
def test_an_auto_reply_without_its_headers_is_known_by_its_wording(body: str) -> None:
    assert "autoreply_wording" in machine_rules(email(HEADERS, body))


def test_a_person_who_quotes_an_automatic_reply_lower_down_is_answered() -> None:
    """The wording counts only in a message's opening lines, where the auto-responder puts it."""
    body = ("Dear Commissioner,\n\n" + "I have been trying to get the housing association to act on the "
            "drug dealing from the flat below mine for months, and every time I write I get the same "
            "answer back. The police say it is for the landlord and the landlord says it is for the police. "
            "My children cannot play outside and I am frightened to take the bins out after dark. " * 4
            + "\n\nThis is what they sent me last week:\n\n> This is an automatically generated email.\n"
            "\nPlease can someone tell me who is responsible?\n\nMaria Costa\n")
    assert machine_rules(email(HEADERS, body)) == []


def test_a_dmarc_aggregate_report_is_machine_mail_by_its_subject() -> None:
    """RFC 7489's report subject; the sender's "noreply" alone proves nothing (an anonymous resident
    may write from noreply.resident@...)."""
    raw = email("Subject: Report domain: example.org Submitter: example.com Report-ID: 14829930177",
                "This is an aggregate report from example.com.\n")
    assert "machine_subject" in machine_rules(raw)
