"""The composition root: one builder wires the store, model, templates and one clock into every part."""

from __future__ import annotations

import asyncio
import smtplib
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from textwrap import dedent
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader
from lingua import Language
from sqlalchemy import select

from bot.app import Service, build
from bot.replay import replay
from bot.sender import FileSinkTransport
from handlers.compose import make_environment
from handlers.types import Prediction
from store.models import Decision, Event, Outbox, RawMessage

OFFICE = "enquiries@wessexvale-pcc.gov.uk"
# A Monday morning well before the machine's real time: a part still on real time would show.
FIXED = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


class FakeModel:
    """A triage model that calls everything a request for the force's information, and never urgent."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def predict(self, head: str, text: str) -> Prediction:
        self.asked.append(head)
        label = {"category": "foi", "agency": "force_foi", "urgent": "no"}[head]
        return Prediction(label, 0.99, {label: 0.99, "other": 0.01})


def fake_templates() -> Any:
    env = make_environment()
    env.loader = ChoiceLoader([DictLoader({"reply/force_foi.txt.j2": "FAKE TEMPLATE for {{ reference }}\n"}),
                               env.loader])
    return env


def mail(subject: str, body: str, msgid: str) -> bytes:
    return dedent(f"""\
        From: Pat Example <pat@example.com>
        To: {OFFICE}
        Subject: {subject}
        Date: Mon, 02 Mar 2026 08:00:00 +0000
        Message-ID: {msgid}

        {body}
        """).encode()


def test_build_injects_the_model_and_the_templates_into_the_worker(make_cfg: Any, sqlite_sessions: Any) -> None:
    model = FakeModel()
    parts = build(make_cfg(), sessions=sqlite_sessions, model=model, templates=fake_templates(),
                  clock=lambda: FIXED)
    acc = parts.intake.accept("smtp", "m1", mail("A question", "Hello, I have a question for you.", "<m1@x>"),
                              FIXED)
    assert parts.worker.drain() == 1
    with sqlite_sessions() as s:
        decision = s.scalar(select(Decision))
        ack = s.scalar(select(Outbox).where(Outbox.kind == "ack"))
        raw = s.get(RawMessage, acc.raw_id)
        assert raw is not None and raw.status.value == "triaged"
        assert decision is not None and (decision.category, decision.agency) == ("foi", "force_foi")
        assert ack is not None and ack.text.startswith("FAKE TEMPLATE for MID-2026-")
    assert {"category", "agency", "urgent"} <= set(model.asked)


class WelshEverywhere:
    """A language detector that reads every text as Welsh (lingua's two calls handlers/language.py makes)."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def compute_language_confidence(self, text: str, language: Language) -> float:
        self.read.append(text)
        return 1.0 if language == Language.WELSH else 0.0

    def detect_multiple_languages_of(self, text: str) -> list[Any]:
        return [SimpleNamespace(language=Language.WELSH, start_index=0, end_index=len(text))]


def test_build_injects_the_language_detector(make_cfg: Any, sqlite_sessions: Any, triage_model: Any) -> None:
    detector = WelshEverywhere()
    parts = build(make_cfg(), sessions=sqlite_sessions, model=triage_model, detector=detector, clock=lambda: FIXED)
    # "diolch": a Welsh word, so the text is given to the detector (triage.language.welsh_words).
    parts.intake.accept("smtp", "m1", mail("Parking", "The cars are parked on the pavement again on our road. "
                                           "Diolch.", "<m1@x>"), FIXED)
    assert parts.worker.drain() == 1 and parts.detector is detector
    with sqlite_sessions() as s:
        decision = s.scalar(select(Decision))
        assert decision is not None and any(h["rule"] == "welsh" for h in decision.hits)
    assert detector.read and "parked on the pavement" in detector.read[0]


def test_build_wires_one_clock_into_intake_worker_sender_scheduler_and_web(
        make_cfg: Any, sqlite_sessions: Any, triage_model: Any) -> None:
    def clock() -> datetime:
        return FIXED

    parts = build(make_cfg(), sessions=sqlite_sessions, model=triage_model, clock=clock)
    assert parts.intake.now() == FIXED
    assert parts.worker.clock is clock and parts.sender.clock is clock and parts.scheduler._now is clock
    app = parts.web_app(secret="test-secret")
    assert app.state.deps.clock is clock and app.state.deps.replies is parts.templates


async def test_the_whole_service_runs_on_a_fixed_clock(make_cfg: Any, smtp_sink: Any, triage_model: Any) -> None:
    """A clock behind real time: the SMTP edge stamps arrival by it, and the reply still goes out."""
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
                      "digest.recipients": []})
    svc = Service(cfg, clock=lambda: FIXED, model=triage_model)
    await svc.start()
    try:
        assert svc.smtp_port is not None
        port = svc.smtp_port

        def send() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
                c.sendmail("pat@example.com", [OFFICE], mail("Street lights", "The lights are out.", "<m2@x>"))

        await asyncio.to_thread(send)
        (ack,) = await smtp_sink.wait_for_async(1)
    finally:
        await svc.stop()
    assert parsedate_to_datetime(ack["Date"]) == FIXED
    with svc.sessions() as s:
        raw = s.scalar(select(RawMessage))
        row = s.scalar(select(Outbox).where(Outbox.kind == "ack"))
        assert raw is not None and raw.received_at.replace(tzinfo=UTC) == FIXED
        assert row is not None and row.not_before.replace(tzinfo=UTC) == FIXED


def test_a_message_dated_after_the_clock_is_still_due_at_once(
        make_cfg: Any, sqlite_sessions: Any, triage_model: Any) -> None:
    parts = build(make_cfg(), sessions=sqlite_sessions, model=triage_model, clock=lambda: FIXED)
    later = FIXED + timedelta(days=3)  # a Telegram date or IMAP INTERNALDATE ahead of the clock
    parts.intake.accept("smtp", "m3", mail("Noise", "Loud music every night on my street.", "<m3@x>"), later)
    parts.worker.drain()
    with sqlite_sessions() as s:
        row = s.scalar(select(Outbox).where(Outbox.kind == "ack"))
        assert row is not None and row.not_before.replace(tzinfo=UTC) == FIXED


async def test_replay_runs_on_the_built_parts_with_the_given_model(
        make_cfg: Any, sqlite_sessions: Any, tmp_path: Any) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "0001-q.eml").write_bytes(mail("A question", "Hello, a question for you.", "<m4@x>"))
    model = FakeModel()
    await replay(make_cfg(), sqlite_sessions, [tmp_path / "in"], FileSinkTransport(tmp_path / "out"), model=model)
    with sqlite_sessions() as s:
        decision = s.scalar(select(Decision))
        sent = s.scalar(select(Event).where(Event.kind == "sent"))
    assert decision is not None and decision.category == "foi" and model.asked
    assert sent is not None and sent.at.replace(tzinfo=UTC) == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("command", ["retry-failed"])
def test_one_shot_commands_build_their_parts(make_cfg: Any, command: str, monkeypatch: pytest.MonkeyPatch,
                                              triage_model: Any) -> None:
    import bot.app
    from bot.cli import main

    built: list[Any] = []
    real = bot.app.build

    def spy(cfg: Any, **kw: Any) -> Any:
        built.append(kw)
        return real(cfg, **{**kw, "model": triage_model})

    monkeypatch.setattr(bot.app, "build", spy)
    cfg = make_cfg()
    assert main([command, "--db", cfg.store.url]) == 0
    assert len(built) == 1
