"""The pipeline's routing table: each kind of message goes through the stages declared for it."""

from __future__ import annotations

from datetime import UTC, datetime
from textwrap import dedent
from types import ModuleType

import pytest
from fakes import FakeContext

from handlers import (
    arrangements,
    chat,
    classify,
    compose,
    language,
    machine_mail,
    match,
    members,
    parse,
    pipeline,
    signpost,
    urgency,
)
from handlers.types import CaseRef, Kind, Triage

WHEN = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def traced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the stages as they run (each stage's process wrapped, then called)."""
    ran: list[str] = []
    for stage in pipeline.STAGES:
        real = stage.process

        def spy(triage: Triage, ctx: object, _real: object = real, _name: str = stage.NAME) -> None:
            ran.append(_name)
            _real(triage, ctx)  # type: ignore[operator]

        monkeypatch.setattr(stage, "process", spy)
    return ran


def email(headers: str, body: str) -> bytes:
    head = "From: Pat Example <pat@example.com>\nTo: enquiries@wessexvale-pcc.gov.uk\n"
    return (head + dedent(headers).strip() + "\n\n" + dedent(body)).encode()


def telegram(text: str, *, chat_type: str = "private", edited: bool = False) -> bytes:
    key = "edited_message" if edited else "message"
    return (f'{{"update_id": 1, "{key}": {{"message_id": 5, "date": 1780300800, "text": "{text}", '
            f'"from": {{"id": 42, "is_bot": false, "first_name": "Sam"}}, '
            f'"chat": {{"id": 42, "type": "{chat_type}"}}}}}}').encode()


def decide_and_respond(raw: bytes, channel: str, ctx: FakeContext) -> Triage:
    t = Triage(raw_id=1, channel=channel, raw=raw, received_at=WHEN)
    pipeline.decide(t, ctx)
    t.reference = "MID-2026-00001"  # the worker places the case between the two halves
    pipeline.respond(t, ctx)
    return t


CASEWORK = ["parse", "machine_mail", "language", "urgency", "classify", "match", "arrangements", "members",
            "signpost", "compose"]


@pytest.mark.parametrize(("raw", "channel", "kind", "ran"), [
    (email("Subject: Street lights", "The street lights on Elm Road are out.\n"), "smtp", Kind.EMAIL, CASEWORK),
    (email("Subject: Automatic reply: away\nAuto-Submitted: auto-replied", "I am away.\n"), "smtp",
     Kind.MACHINE, ["parse", "machine_mail"]),
    (telegram("My bike was stolen from the station"), "telegram", Kind.CHAT_TEXT,
     ["parse", "machine_mail", "chat", *CASEWORK[2:]]),
    (telegram("/start"), "telegram", Kind.CHAT_COMMAND, ["parse", "machine_mail", "chat", "compose"]),
    (telegram("hello all", chat_type="group"), "telegram", Kind.CHAT_GROUP,
     ["parse", "machine_mail", "chat", "compose"]),
    (telegram("corrected", edited=True), "telegram", Kind.CHAT_EDIT, ["parse", "machine_mail", "chat"]),
])
def test_each_kind_runs_the_stages_its_route_declares(
        monkeypatch: pytest.MonkeyPatch, raw: bytes, channel: str, kind: Kind, ran: list[str]) -> None:
    stages = traced(monkeypatch)
    t = decide_and_respond(raw, channel, FakeContext())
    assert (t.kind, stages) == (kind, ran)


def test_a_flood_goes_to_urgency_but_not_to_match(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = FakeContext().config.channels.telegram
    ctx = FakeContext(contacts=[("telegram", "42", WHEN)] * limits.flood_messages)
    stages = traced(monkeypatch)
    t = decide_and_respond(telegram("he is outside my door now with a knife"), "telegram", ctx)
    assert t.kind is Kind.CHAT_FLOOD and t.urgent and t.alert is not None
    assert stages == ["parse", "machine_mail", "chat", "language", "urgency", "classify", "arrangements", "members",
                      "compose"]


def test_a_follow_up_is_signposted_from_its_case() -> None:
    ctx = FakeContext()
    ctx.identities[("email", "pat@example.com")] = 3
    t = Triage(raw_id=1, channel="smtp", received_at=WHEN,
               raw=email("Subject: Re: [MID-2026-00009] Noise", "Any news on this?\n"))
    ctx.cases.append(CaseRef(id=9, reference="MID-2026-00009", status="open", category="complaint",
                             person_id=3, agency="force_psd"))
    pipeline.decide(t, ctx)
    assert (t.kind, t.followup, t.category, t.agency) == (Kind.FOLLOWUP, True, "complaint", "force_psd")
    assert t.outbox_kind == "followup"


def test_every_kind_has_a_route_of_declared_stages_in_order() -> None:
    assert set(pipeline.ROUTES) == set(Kind)
    order = {stage: i for i, stage in enumerate(pipeline.STAGES)}
    for kind, route in pipeline.ROUTES.items():
        assert all(stage in order for stage in route), kind
        assert [order[s] for s in route] == sorted(order[s] for s in route), f"{kind}: out of STAGES order"
    assert pipeline.STAGES == (parse, machine_mail, chat, language, urgency, classify, match, arrangements, members,
                               signpost, compose)


@pytest.mark.parametrize(("kind", "never"), [
    (Kind.MACHINE, (urgency, classify, match, signpost, compose)),  # never answered (house rule 11)
    (Kind.CHAT_COMMAND, (urgency, classify, match, signpost)),
    (Kind.CHAT_EDIT, (compose,)),
    (Kind.FOLLOWUP, (match,)),
    (Kind.CAMPAIGN, (match, classify, arrangements, members)),  # one set response for every copy
])
def test_routes_leave_out_what_a_kind_must_never_get(kind: Kind, never: tuple[ModuleType, ...]) -> None:
    assert not set(never) & set(pipeline.ROUTES[kind])


def test_a_stage_off_the_route_does_not_run_even_when_asked_for() -> None:
    t = Triage(raw_id=1, channel="smtp", raw=b"", received_at=WHEN, kind=Kind.MACHINE, category="none")
    pipeline.run(t, FakeContext(), (urgency, classify, signpost, compose))
    assert (t.hits, t.reply, t.agency) == ([], None, None)
