"""Compose: the right template, urgent advice first, the per-sender limit, and no header injection."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fakes import FakeContext

from bot.config import AGENCIES
from handlers import compose, pipeline
from handlers.types import CampaignRef, CaseRef, Hit, Incoming, Kind, Triage

AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def triage(**kw: object) -> Triage:
    inc = Incoming(channel="email", sender_address="ada@example.com", sender_name="Ada Lovelock",
                   subject="Street lights", body="The lights are out.", message_id="<m1@example.com>")
    t = Triage(raw_id=1, channel="smtp", raw=b"", received_at=AT, incoming=inc, category="correspondence",
               agency="opcc", template="opcc", reference="MID-2026-00007",
               acknowledge_by=date(2026, 6, 3), respond_by=date(2026, 6, 15))
    for k, v in kw.items():
        setattr(t, k, v)
    return t


@pytest.fixture
def ctx() -> FakeContext:
    return FakeContext()


def test_acknowledgement_names_the_reference_and_the_deadline(ctx: FakeContext) -> None:
    t = triage()
    compose.process(t, ctx)
    assert t.reply is not None
    assert t.reply.subject == "[MID-2026-00007] Re: Street lights"
    assert "case MID-2026-00007" in t.reply.text and "Monday 15 June 2026" in t.reply.text
    assert t.reply.text.startswith("Dear Ada Lovelock,")
    assert t.reply.html is not None and "<p>" in t.reply.html
    assert Hit("compose", "template", "reply/opcc.txt.j2") in t.hits


@pytest.mark.parametrize("agency", [a for a in AGENCIES if a not in ("none", "emergency_999", "opcc")])
def test_every_agency_template_names_the_body(ctx: FakeContext, agency: str) -> None:
    t = triage(agency=agency, template=agency, category="correspondence")
    compose.process(t, ctx)
    assert t.reply is not None
    assert ctx.config.agencies[agency].name in t.reply.text
    assert "MID-2026-00007" in t.reply.text


def test_urgent_reply_opens_with_999_and_silent_solution_and_alerts_staff(ctx: FakeContext) -> None:
    t = triage(urgent=True, agency="emergency_999", template="emergency_999",
               hits=[Hit("urgency", "threat_now", "threat with 'now'")])
    compose.process(t, ctx)
    assert t.reply is not None and t.alert is not None
    first_lines = t.reply.text.splitlines()[:3]
    assert "CALL 999" in first_lines[0]
    assert "55" in t.reply.text and "18000" in t.reply.text
    assert "threat_now" in t.alert.text and "MID-2026-00007" in t.alert.subject
    assert t.reply.html is not None and "call 999" in t.reply.html


def test_urgent_wins_over_followup_and_campaign(ctx: FakeContext) -> None:
    case = CaseRef(id=3, reference="MID-2026-00007", status="open", category="complaint", person_id=1)
    t = triage(urgent=True, kind=Kind.FOLLOWUP, case=case, agency="emergency_999")
    assert compose.choose_template(t) == "emergency_999"


def test_followup_says_it_was_added_and_reopened(ctx: FakeContext) -> None:
    case = CaseRef(id=3, reference="MID-2026-00007", status="closed", category="complaint", person_id=1)
    t = triage(kind=Kind.FOLLOWUP, case=case)
    compose.process(t, ctx)
    assert t.reply is not None
    assert "added it to your case MID-2026-00007, which we have re-opened" in t.reply.text


def test_campaign_participants_get_the_set_response(ctx: FakeContext) -> None:
    camp = CampaignRef(id=1, case_id=9, title="Save the PCSOs", fingerprint="x",
                       response="The Commissioner has protected PCSO funding this year.")
    t = triage(campaign=camp, category="campaign")
    compose.process(t, ctx)
    assert t.reply is not None and "protected PCSO funding" in t.reply.text


def test_reply_withheld_past_the_per_sender_limit(ctx: FakeContext) -> None:
    ctx.acks = [("ada@example.com", AT - timedelta(hours=1))] * ctx.config.acknowledgements.max_per_sender
    t = triage()
    compose.process(t, ctx)
    assert t.reply is None
    assert any(h.rule == "sender_limit" for h in t.hits)


def test_no_reply_for_machine_mail_or_edits(ctx: FakeContext) -> None:
    t = triage(ack=False, kind=Kind.MACHINE)
    compose.process(t, ctx)
    assert t.reply is None
    for kind in (Kind.MACHINE, Kind.CHAT_EDIT, Kind.CHAT_UNANSWERABLE):
        t = triage(kind=kind, urgent=True)  # not even an alert: their routes skip compose
        pipeline.respond(t, ctx)
        assert (t.reply, t.alert, t.hits) == (None, None, [])


def test_user_text_cannot_inject_headers_or_html(ctx: FakeContext) -> None:
    t = triage()
    assert t.incoming is not None
    t.incoming.subject = "Hi\r\nBcc: everyone@example.org\r\n\r\nspam"
    t.incoming.sender_name = "<script>alert(1)</script>"
    compose.process(t, ctx)
    assert t.reply is not None
    assert "\n" not in t.reply.subject and "\r" not in t.reply.subject
    assert t.reply.html is not None and "<script>" not in t.reply.html
    assert "&lt;script&gt;" in t.reply.html
