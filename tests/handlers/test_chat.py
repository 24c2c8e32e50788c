"""The chat stage: Telegram commands, edits, groups, unsupported kinds and floods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes import FakeContext

from bot.config import Config, load_config
from handlers import chat, pipeline, urgency
from handlers.compose import make_environment
from handlers.types import CaseRef, Incoming, Kind, Triage

WHEN = datetime(2026, 9, 14, 10, 30, tzinfo=UTC)
USER = 7000001


def ctx_for(cfg: Config, *, person: int | None = None, cases: tuple[CaseRef, ...] = (),
            recent: int = 0) -> FakeContext:
    """A context where USER is `person`, with `cases` and `recent` contacts in the last minute."""
    return FakeContext(config=cfg, cases=list(cases),
                       identities={("telegram", str(USER)): person} if person else {},
                       contacts=[("telegram", str(USER), WHEN - timedelta(seconds=50))] * recent
                       + [("telegram", str(USER), WHEN - timedelta(seconds=61))] * 20)


@pytest.fixture(scope="module")
def cfg() -> Config:
    return load_config(overrides={"channels.telegram.flood_messages": 5,
                                  "channels.telegram.flood_seconds": 60})


def tg(text: str = "", **kw: Any) -> Triage:
    fields: dict[str, Any] = {"telegram_user_id": USER, "telegram_chat_id": USER,
                              "telegram_chat_type": "private", "sender_name": "Robin Example", **kw}
    inc = Incoming(channel="telegram", body=text, **fields)
    return Triage(raw_id=1, channel="telegram", raw=b"{}", received_at=WHEN, incoming=inc, kind=Kind.CHAT_TEXT)


def run(triage: Triage, ctx: FakeContext) -> bool:
    """Run the stage; True when the message's new route holds no casework stage (a chat answer)."""
    chat.process(triage, ctx)
    return urgency not in pipeline.ROUTES[triage.kind]


def rules(triage: Triage) -> list[str]:
    return [h.rule for h in triage.hits if h.stage == "chat"]


def test_start_gets_the_greeting_as_its_acknowledgement(cfg: Config) -> None:
    t = tg("/start", command="/start")
    assert run(t, ctx_for(cfg))
    assert (t.kind, t.chat_reply, t.template, t.category, t.agency, t.ack) == (
        Kind.CHAT_COMMAND, "greeting", "chat_greeting", "none", "none", True)
    assert rules(t) == ["start"]


def test_help_and_unknown_commands_get_help(cfg: Config) -> None:
    for command in ("/help", "/frobnicate"):
        t = tg(command, command=command)
        assert run(t, ctx_for(cfg))
        assert (t.kind, t.chat_reply, t.template) == (Kind.CHAT_COMMAND, "help", "chat_help")
    assert rules(t) == ["unknown_command"]


def test_status_lists_the_open_cases_of_the_telegram_identity(cfg: Config) -> None:
    case = CaseRef(id=4, reference="MID-2026-00004", status="in_progress", category="complaint", person_id=9)
    ctx = ctx_for(cfg, person=9, cases=(case,))
    t = tg("/status", command="/status")
    assert run(t, ctx)
    assert t.chat_reply == "status" and t.open_cases == [case] and t.person_id == 9
    assert "1 open case" in t.hits[-1].reason


def test_status_of_a_stranger_has_no_cases(cfg: Config) -> None:
    t = tg("/status", command="/status")
    assert run(t, ctx_for(cfg))
    assert t.chat_reply == "status" and t.open_cases == []


def test_group_chat_gets_the_private_chat_notice_and_no_case(cfg: Config) -> None:
    t = tg("hello everyone", telegram_chat_type="supergroup")
    t.incoming.telegram_chat_id = -100123  # type: ignore[union-attr]
    assert run(t, ctx_for(cfg))
    assert (t.kind, t.chat_reply, t.template, t.category, t.agency, t.ack) == (
        Kind.CHAT_GROUP, "group", "chat_group", "none", "none", True)


def test_edited_message_updates_the_contact_without_reply(cfg: Config) -> None:
    t = tg("corrected text", edited=True)
    assert run(t, ctx_for(cfg))
    assert (t.kind, t.chat_reply, t.ack, t.template) == (Kind.CHAT_EDIT, None, False, None)


@pytest.mark.parametrize("kind", ["sticker", "voice", "video", "location", "contact", "other"])
def test_unsupported_kinds_get_a_polite_answer(cfg: Config, kind: str) -> None:
    t = tg("", kind=kind)
    assert run(t, ctx_for(cfg))
    assert (t.kind, t.chat_reply, t.template, t.ack, t.category) == (
        Kind.CHAT_UNSUPPORTED, "unsupported", "chat_unsupported", True, "none")


@pytest.mark.parametrize("kind", ["text", "photo", "document"])
def test_text_photos_and_documents_go_on_as_contacts(cfg: Config, kind: str) -> None:
    t = tg("My bike was taken from the station car park.", kind=kind)
    assert not run(t, ctx_for(cfg, recent=4))
    assert (t.kind, t.chat_reply, t.template, t.ack, t.category) == (Kind.CHAT_TEXT, None, None, True, None)
    assert rules(t) == ["contact"]


def test_email_is_not_touched(cfg: Config) -> None:
    t = Triage(raw_id=1, channel="smtp", raw=b"", received_at=WHEN, kind=Kind.EMAIL,
               incoming=Incoming(channel="email", body="/start"))
    pipeline.run(t, ctx_for(cfg), (chat,))
    assert t.hits == [] and (t.kind, t.chat_reply) == (Kind.EMAIL, None)


def test_first_message_over_the_flood_limit_gets_the_notice_and_joins_the_latest_case(cfg: Config) -> None:
    older = CaseRef(id=3, reference="MID-2026-00003", status="open", category="complaint", person_id=9)
    latest = CaseRef(id=8, reference="MID-2026-00008", status="open", category="correspondence", person_id=9)
    closed = CaseRef(id=9, reference="MID-2026-00009", status="closed", category=None, person_id=9)
    ctx = ctx_for(cfg, person=9, cases=(older, latest, closed), recent=5)
    t = tg("and another thing")
    assert not run(t, ctx), "flood messages still go to urgency and classify"
    assert (t.kind, t.chat_reply, t.template, t.ack) == (Kind.CHAT_FLOOD, "flood", "chat_flood", True)
    assert t.case == latest and t.followup and t.person_id == 9
    assert rules(t) == ["flood"] and "MID-2026-00008" in t.hits[-1].reason


def test_later_flood_messages_are_recorded_without_reply(cfg: Config) -> None:
    t = tg("/start", command="/start")
    assert not run(t, ctx_for(cfg, recent=9))
    assert (t.kind, t.chat_reply, t.ack, t.template, t.case) == (Kind.CHAT_FLOOD, "flood", False, None, None)
    assert rules(t) == ["flood_quiet"]


def test_a_flood_in_a_group_is_not_answered(cfg: Config) -> None:
    t = tg("spam", telegram_chat_type="group")
    assert run(t, ctx_for(cfg, recent=7))
    assert (t.kind, t.chat_reply, t.ack) == (Kind.CHAT_GROUP, "group", False)


@pytest.mark.parametrize("name", ["greeting", "help", "status", "unsupported", "group", "flood"])
def test_chat_templates_render_plain_text_with_the_emergency_advice(cfg: Config, name: str) -> None:
    case = CaseRef(id=4, reference="MID-2026-00004", status="in_progress", category="complaint", person_id=9)
    t = tg("*bold* <b>x</b>", kind="sticker")
    t.case, t.open_cases = case, [case]
    text = make_environment().get_template(f"reply/chat_{name}.txt.j2").render(
        office=cfg.office, force=cfg.force, agencies=cfg.agencies, triage=t, incoming=t.incoming,
        open_cases=t.open_cases)
    assert "999" in text and "<" not in text
    if name == "greeting":
        assert cfg.office.name in text and "55" in text and "Privacy" in text
    if name in ("status", "flood"):
        assert "MID-2026-00004" in text
    if name == "unsupported":
        assert "stickers" in text and "photos" in text
