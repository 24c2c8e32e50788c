"""Worker + record: one unit of work per message, against a real SQLite store and the real pipeline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.intake import Intake
from bot.worker import RUN_BATCH, Worker
from handlers.compose import make_environment
from store.models import Campaign, Case, CaseStatus, Contact, Decision, Event, Outbox, RawMessage, RawStatus

T0 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
OFFICE = "enquiries@wessexvale-pcc.gov.uk"


def email(sender: str, subject: str, body: str, n: int, **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = OFFICE
    msg["Subject"] = subject
    msg["Date"] = format_datetime(T0 + timedelta(hours=n))
    msg["Message-ID"] = f"<w{n}@example.com>"
    for k, v in headers.items():
        msg[k.replace("_", "-")] = v
    msg.set_content(body)
    return bytes(msg)


@pytest.fixture
def run(make_cfg: Any, db_sessions: Any, triage_model: Any) -> Any:
    cfg = make_cfg()
    worker = Worker(cfg, db_sessions, make_environment(), triage_model)
    intake = Intake(db_sessions)
    count = [0]

    def feed(raw: bytes, channel: str = "smtp") -> int:
        count[0] += 1
        acc = intake.accept(channel, f"id-{count[0]}", raw, T0 + timedelta(hours=count[0]))
        worker.process_one(acc.raw_id)
        return acc.raw_id

    feed.worker = worker  # type: ignore[attr-defined]
    feed.sessions = db_sessions  # type: ignore[attr-defined]
    return feed


def case_of(sessions: Any, raw_id: int) -> Case | None:
    with sessions() as s:
        contact = s.scalar(select(Contact).where(Contact.raw_id == raw_id))
        return s.get(Case, contact.case_id) if contact and contact.case_id else None


def test_reference_in_subject_reopens_a_closed_case_with_an_event(run: Any) -> None:
    first = run(email("Ann Example <ann@example.com>", "Potholes on Cross Street",
                      "The potholes on Cross Street damaged my tyre and the council will not fix them.", 1))
    ref = case_of(run.sessions, first).reference
    with run.sessions() as s:
        s.scalar(select(Case)).status = CaseStatus.closed
        s.commit()
    second = run(email("Ann Example <ann@example.com>", f"Re: [{ref}] Potholes", "Still not fixed.", 2))
    case = case_of(run.sessions, second)
    assert case.reference == ref and case.status == CaseStatus.open
    with run.sessions() as s:
        assert s.scalar(select(Event).where(Event.kind == "case_reopened")) is not None
        kinds = [o.kind for o in s.scalars(select(Outbox).order_by(Outbox.id))]
        assert kinds == ["ack", "followup"]


def test_urgent_contact_alerts_every_duty_address_and_is_urgent(run: Any, make_cfg: Any) -> None:
    raw_id = run(email("Bea Example <bea@example.com>", "help",
                       "My ex is outside my door right now shouting that he will kill me. Please send "
                       "someone, I am hiding upstairs with the children.", 1))
    case = case_of(run.sessions, raw_id)
    assert case.urgent and case.agency == "emergency_999"
    with run.sessions() as s:
        alerts = list(s.scalars(select(Outbox).where(Outbox.kind == "alert")))
        assert {a.to_address for a in alerts} == set(make_cfg().alerts.duty_addresses)
        ack = s.scalar(select(Outbox).where(Outbox.kind == "ack"))
        assert ack.text.startswith("IF YOU OR ANYONE ELSE IS IN DANGER NOW, CALL 999")
        decision = s.scalar(select(Decision))
        assert any(h["stage"] == "urgency" for h in decision.hits)


def test_machine_mail_is_stored_with_a_decision_and_no_reply(run: Any) -> None:
    raw_id = run(email("Cal Example <cal@example.com>", "Automatic reply: your letter",
                       "I am out of the office until Monday.", 1, Auto_Submitted="auto-replied"))
    with run.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 0
        d = s.scalar(select(Decision))
        assert d.machine and not d.ack and d.category == "none"
        assert s.get(RawMessage, raw_id).status == RawStatus.triaged


def test_bad_input_is_shunted_visibly_and_can_be_retried(run: Any) -> None:
    raw_id = run(b"{not json", channel="telegram")
    with run.sessions() as s:
        raw = s.get(RawMessage, raw_id)
        assert raw.status == RawStatus.failed and raw.error.startswith("input:")
        assert raw.raw == b"{not json"  # never lost
        assert s.scalar(select(Event.kind).where(Event.raw_id == raw_id, Event.kind == "input_rejected"))
    ok = run(email("Dee Example <dee@example.com>", "Thanks", "Thank you to PC Marsh for her help.", 2))
    assert case_of(run.sessions, ok) is not None  # the service went on
    assert run.worker.retry_failed() == 1
    assert run.worker.drain() == 1
    with run.sessions() as s:
        assert s.get(RawMessage, raw_id).status == RawStatus.failed  # still bad, still kept


def test_same_sender_new_matter_gets_a_new_case(run: Any) -> None:
    a = run(email("Eve Example <eve@example.com>", "Noise from the takeaway",
                  "The takeaway extractor fan runs all night and keeps my family awake.", 1))
    b = run(email("Eve Example <eve@example.com>", "Freedom of Information request",
                  "Under the Freedom of Information Act please tell me how many police officers "
                  "the force employed on 1 April in each of the last five years.", 2))
    assert case_of(run.sessions, a).id != case_of(run.sessions, b).id
    with run.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 2
        assert len({c.person_id for c in s.scalars(select(Case))}) == 1


def test_a_unit_of_work_reads_the_writers_identity_once(run: Any) -> None:
    """match looks the sender's identity up, and placing the contact uses that row, not a second read."""
    from sqlalchemy import event

    run(email("Eve Example <eve@example.com>", "Noise from the takeaway",
              "The takeaway extractor fan runs all night and keeps my family awake.", 1))
    engine = run.sessions.kw["bind"]
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if re.search(r"^SELECT .*\sFROM identity\b", statement, re.S):
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        later = run(email("Eve Example <eve@example.com>", "Noise from the takeaway again",
                          "The extractor fan was on all night again.", 2))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(reads) == 1, reads
    with run.sessions() as s:
        assert s.scalar(select(func.count(func.distinct(Contact.person_id))).where(Contact.raw_id.is_not(None))) == 1
        assert s.scalars(select(Contact.person_id).where(Contact.raw_id == later)).one() is not None


def test_a_new_writers_unit_of_work_writes_everything_in_one_flush(run: Any) -> None:
    """Person, identity, case, contact, decision, events, tags, outbox rows and the raw row's status go
    in one flush: the rows refer to each other as objects, so no id is fetched between steps."""
    from sqlalchemy import event

    intake = Intake(run.sessions)
    body = "Cars speed down Mill Lane every evening and I fear a child will be hurt. Can you help?"
    acc = intake.accept("smtp", "one-flush", email("Ann Example <ann@example.com>", "Speeding", body, 1), T0)
    flushes: list[int] = []

    def note(session: Any, _ctx: Any) -> None:
        flushes.append(len(session.new) + len(session.dirty))

    event.listen(run.sessions, "after_flush", note)
    try:
        run.worker.process_one(acc.raw_id)
    finally:
        event.remove(run.sessions, "after_flush", note)
    assert len(flushes) == 1, flushes
    with run.sessions() as s:
        raw = s.get(RawMessage, acc.raw_id)
        assert raw is not None and raw.status == RawStatus.triaged
        contact = s.scalars(select(Contact).where(Contact.raw_id == acc.raw_id)).one()
        case = s.get(Case, contact.case_id)
        assert case is not None and case.person_id == contact.person_id is not None
        assert s.scalar(select(func.count()).select_from(Event).where(Event.case_id == case.id)) >= 2
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.case_id == case.id,
                                                                       Outbox.contact_id == contact.id)) == 1


CAMPAIGN = ("I am writing to ask the Commissioner to keep the Riverside police station open to the public. "
            "The front counter is the only place many older residents can report a crime in person, and "
            "closing it would leave the whole valley without a police presence. I urge you to reverse the "
            "decision and to publish the savings you expect to make from the closure. Please reply with "
            "what you will do.")


def test_campaign_is_one_case_with_an_individual_reply_to_each_person(run: Any) -> None:
    people = ["Fay Able", "Gus Bond", "Hal Cole", "Ivy Dunn"]
    ids = [run(email(f"{p} <{p.split()[0].lower()}@example.com>", "Keep Riverside station open",
                     f"Dear Commissioner,\n\n{CAMPAIGN}\n\nYours,\n{p}", n)) for n, p in enumerate(people, 1)]
    cases = {case_of(run.sessions, i).id for i in ids}
    assert len(cases) == 1
    with run.sessions() as s:
        camp = s.scalar(select(Campaign))
        assert camp is not None and s.scalar(select(Case).where(Case.campaign_id == camp.id)).id in cases
        acks = list(s.scalars(select(Outbox).where(Outbox.kind.in_(["ack", "followup"]))))
        assert sorted(a.to_address for a in acks) == sorted(f"{p.split()[0].lower()}@example.com" for p in people)
        assert {d.category for d in s.scalars(select(Decision))} == {"campaign"}


def test_cpython_email_test_data_never_crashes_the_worker(run: Any) -> None:
    """CPython's own malformed and odd messages: all stored, triaged or shunted, none lost."""
    import importlib.util

    spec = importlib.util.find_spec("test.test_email")
    assert spec is not None and spec.submodule_search_locations, "the stdlib test package is missing"
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(p for p in data.iterdir() if p.is_file())
    assert len(files) > 40
    ids = [run(p.read_bytes()) for p in files]
    with run.sessions() as s:
        statuses = {s.get(RawMessage, i).status for i in ids}
        assert statuses <= {RawStatus.triaged, RawStatus.failed}
        failed = list(s.scalars(select(RawMessage).where(RawMessage.status == RawStatus.failed)))
        # Only non-messages (images, sound files) are refused, as input errors, never as bugs.
        assert all((r.error or "").startswith("input:") for r in failed)
        machine = s.scalars(select(Contact.id).where(Contact.machine.is_(True))).all()
        assert not s.scalars(select(Outbox).where(Outbox.contact_id.in_(machine), Outbox.kind != "alert")).all()


def tg(update_id: int, text: str, minutes: int) -> bytes:
    import json

    return json.dumps({"update_id": update_id, "message": {
        "message_id": update_id, "date": int((T0 + timedelta(minutes=minutes)).timestamp()), "text": text,
        "from": {"id": 5150, "is_bot": False, "first_name": "Rhian"},
        "chat": {"id": 5150, "type": "private", "first_name": "Rhian"}}}).encode()


def test_a_greeting_then_the_real_message_is_one_case_decided_by_the_real_message(run: Any) -> None:
    first = run(tg(1, "hello? is anyone there", 0), channel="telegram")
    second = run(tg(2, "Someone smashed my car window on Quarry Lane last night and took my laptop bag. "
                       "Not an emergency. How do I report it and get a crime number?", 3), channel="telegram")
    case = case_of(run.sessions, second)
    assert case is not None and case.id == case_of(run.sessions, first).id
    assert case.agency == "police_101" and case.category == "correspondence"
    assert "car window" in case.subject
    with run.sessions() as s:
        reply = s.scalars(select(Outbox).where(Outbox.kind.in_(["ack", "followup"])).order_by(Outbox.id)).all()[-1]
        assert "101" in reply.text  # the signposting reply, not just "added to your case"


def test_bounces_are_never_answered_and_mark_whom_they_were_for_unreachable_on_the_case(run: Any) -> None:
    from store.models import Identity

    first = run(email("Morgan Bell <morgan.bell@example.net>", "Speeding on Mill Lane",
                      "Cars race along Mill Lane every evening and a child was nearly hit last week.", 1))
    with run.sessions() as s:
        s.scalar(select(Outbox).where(Outbox.kind == "ack")).message_id = "<ack-bounced@wessexvale-pcc.gov.uk>"
        s.commit()
    shapes = sorted((Path(__file__).parent / "data" / "bounces").glob("*.eml"))
    for path in shapes:
        run(path.read_bytes())
    with run.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == 1  # only the first acknowledgement
        assert s.scalar(select(Identity).where(Identity.value == "morgan.bell@example.net")).unreachable
        case = s.get(Case, case_of(run.sessions, first).id)
        assert case.unreachable
        bounced = list(s.scalars(select(Event).where(Event.kind == "bounced")))
        assert len(bounced) == len(shapes) and all(e.case_id == case.id for e in bounced)
        assert all(e.detail["undeliverable"] == ["morgan.bell@example.net"] for e in bounced)
    run(email("Morgan Bell <morgan.bell@example.net>", "Re: Speeding on Mill Lane", "Mailbox fixed now.", 20))
    with run.sessions() as s:
        assert not s.scalar(select(Identity).where(Identity.value == "morgan.bell@example.net")).unreachable


REWORDED = ("Our town needs its police station. Shutting the Riverside counter means older residents who want to "
            "report a crime in person will have nowhere to go, and the valley will be left with no police presence "
            "at all. Reverse the decision, publish the savings from the closure, and reply to say what happens "
            "next. I hope you will listen to us.")


def test_an_earlier_letter_in_a_campaigns_new_wording_is_moved_into_the_campaign(run: Any) -> None:
    ids = [run(email(f"{p} <{p.split()[0].lower()}@example.com>", "Keep Riverside station open",
                     f"Dear Commissioner,\n\n{CAMPAIGN}\n\nYours,\n{p}", n))
           for n, p in enumerate(["Fay Able", "Gus Bond"], 1)]
    # A wording the campaign has not seen, under a subject of its own: a letter of Hal's own, for now.
    hal = run(email("Hal Cole <hal@example.com>", "Station", f"Dear Commissioner,\n\n{REWORDED}\n\nHal Cole", 3))
    first = case_of(run.sessions, hal)
    assert first is not None and first.campaign_id is None
    # Ivy sends the same wording under the campaign's subject: she joins, and Hal's letter with her.
    ivy = run(email("Ivy Dunn <ivy@example.com>", "Keep Riverside station open",
                    f"Dear Commissioner,\n\n{REWORDED.replace('I hope you', 'Please')}\n\nIvy Dunn", 4))
    camp_case = case_of(run.sessions, ids[0])
    assert case_of(run.sessions, ivy).id == camp_case.id == case_of(run.sessions, hal).id
    with run.sessions() as s:
        old = s.get(Case, first.id)
        assert old.status == CaseStatus.closed and old.merged_into_id == camp_case.id
        assert s.scalar(select(Event).where(Event.kind == "moved_to_campaign", Event.raw_id == hal)) is not None
        decision = s.scalar(select(Decision).join(Contact).where(Contact.raw_id == hal))
        assert decision.category == "campaign" and decision.campaign_id == camp_case.campaign_id


def test_an_old_reference_of_a_case_merged_into_a_campaign_lands_in_the_campaign(run: Any) -> None:
    from bot.reporting.figures import is_casework
    from store.queues import search_cases

    people = ["Fay Able", "Gus Bond", "Hal Cole", "Ivy Dunn"]
    ids = [run(email(f"{p} <{p.split()[0].lower()}@example.com>", "Keep Riverside station open",
                     f"Dear Commissioner,\n\n{CAMPAIGN}\n\nYours,\n{p}", n)) for n, p in enumerate(people, 1)]
    with run.sessions() as s:
        first_ack = s.scalars(select(Outbox).where(Outbox.contact_id == s.scalar(
            select(Contact.id).where(Contact.raw_id == ids[0])))).first()
        old_ref = re.search(r"MID-\d{4}-\d{5}", first_ack.subject).group(0)
        shell = s.scalar(select(Case).where(Case.reference == old_ref))
        campaign_case = case_of(run.sessions, ids[-1])
        assert shell.merged_into_id == campaign_case.id and shell.status == CaseStatus.closed
        assert s.scalar(select(func.count(Case.id)).where(is_casework())) == 1  # the shell does not count
        assert [c.id for c in search_cases(s, "Keep Riverside")] == [campaign_case.id]
    later = run(email("Fay Able <fay@example.com>", f"Re: [{old_ref}] Keep Riverside station open",
                      "Any news about the station?", 9))
    with run.sessions() as s:
        assert case_of(run.sessions, later).id == campaign_case.id
        assert s.get(Case, shell.id).status == CaseStatus.closed  # never re-opened
        assert s.scalar(select(Event).where(Event.kind == "case_reopened")) is None


def test_a_telegram_stranger_quoting_a_reference_is_a_third_party_and_replies_go_to_the_owner(run: Any) -> None:
    import json

    from store import actions
    from store.models import Identity

    def update(update_id: int, user: int, text: str, minutes: int) -> bytes:
        return json.dumps({"update_id": update_id, "message": {
            "message_id": update_id, "date": int((T0 + timedelta(minutes=minutes)).timestamp()), "text": text,
            "from": {"id": user, "is_bot": False, "first_name": f"User{user}"},
            "chat": {"id": user, "type": "private", "first_name": f"User{user}"}}}).encode()

    first = run(update(1, 7001, "Someone keeps scratching my car on Mill Road at night. Not an emergency, "
                                "but it has happened four times. What can I do?", 0), channel="telegram")
    case = case_of(run.sessions, first)
    stranger = run(update(2, 7002, f"About {case.reference}: what is going on with that?", 300), channel="telegram")
    with run.sessions() as s:
        theirs = s.scalar(select(Contact).where(Contact.raw_id == stranger))
        assert theirs.case_id == case.id and theirs.person_id != case.person_id
        owner_ids = set(s.scalars(select(Identity.value).where(Identity.person_id == case.person_id)))
        assert owner_ids == {"7001"}
        reply_to_them = s.scalar(select(Outbox).where(Outbox.contact_id == theirs.id))
        assert reply_to_them.to_address == "7002" and case.reference not in reply_to_them.text
        row = actions.queue_reply(s, s.get(Case, case.id), "alex", subject="", text="We will look into it.\n",
                                  msgid_domain="wessexvale-pcc.gov.uk")
        assert row.to_address == "7001"


URGENT_DA = ("My ex-husband is outside my door right now shouting that he will kill me. Please send someone, "
             "I am hiding upstairs with the children.")


def test_an_urgent_contact_inside_a_campaign_puts_the_campaign_case_in_the_urgent_queue(run: Any) -> None:
    from bot.casework import queue_clock
    from store.queues import list_queue

    people = ["Fay Able", "Gus Bond", "Hal Cole"]
    ids = [run(email(f"{p} <{p.split()[0].lower()}@example.com>", "Keep Riverside station open",
                     f"Dear Commissioner,\n\n{CAMPAIGN}\n\nYours,\n{p}", n)) for n, p in enumerate(people, 1)]
    urgent = run(email("Ivy Dunn <ivy@example.com>", "Keep Riverside station open",
                       f"Dear Commissioner,\n\n{CAMPAIGN}\n\nThis matters to me now: {URGENT_DA}\n\nIvy Dunn", 5))
    case = case_of(run.sessions, urgent)
    assert case.id == case_of(run.sessions, ids[0]).id and case.campaign_id is not None
    assert case.urgent and case.respond_by == received_on(run, urgent)  # due today
    with run.sessions() as s:
        page = list_queue(s, "urgent", queue_clock(run.worker.cfg, T0 + timedelta(hours=6)))
        assert [c.id for c in page.cases] == [case.id]
        assert s.scalar(select(Event).where(Event.kind == "became_urgent", Event.case_id == case.id))
    assert case.reference in dashboard_page(run, "/queue/urgent", T0 + timedelta(hours=6))


def dashboard_page(run: Any, path: str, now: datetime) -> str:
    """A page of the dashboard as a signed-in caseworker sees it."""
    from starlette.testclient import TestClient
    from web.test_web import login

    from bot.users import add_user
    from bot.web.app import create_app
    from store.models import Role

    with run.sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        s.commit()
    app = create_app(run.worker.cfg, run.sessions, secret="test-secret", clock=lambda: now)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "asha", "correct horse")
        return client.get(path).text


def test_an_urgent_message_on_an_old_case_makes_it_urgent_and_due_today(run: Any) -> None:
    first = run(email("Jo Marsh <jo@example.com>", "Noise from the flat upstairs",
                      "The flat upstairs plays music until 3am every night.", 1))
    later = run(email("Jo Marsh <jo@example.com>", "Re: Noise from the flat upstairs",
                      "He has come downstairs with a knife and is banging on my door right now, he says he will "
                      "kill me. Please help.", 30, In_Reply_To="<w1@example.com>"))
    case = case_of(run.sessions, later)
    assert case.id == case_of(run.sessions, first).id
    assert case.urgent and case.respond_by == received_on(run, later)


def received_on(run: Any, raw_id: int) -> Any:
    with run.sessions() as s:
        return s.get(RawMessage, raw_id).received_at.astimezone(run.worker.cfg.office.tz).date()


def _urgent_reply(run: Any, body: str, n: int) -> Outbox:
    raw_id = run(email(f"Writer {n} <writer{n}@example.com>", "help", body, n))
    with run.sessions() as s:
        contact = s.scalar(select(Contact).where(Contact.raw_id == raw_id))
        return s.scalar(select(Outbox).where(Outbox.contact_id == contact.id, Outbox.kind != "alert"))


@pytest.mark.parametrize(("body", "helpline", "not_named"), [
    (URGENT_DA, "National Domestic Abuse Helpline", "Missing People"),
    ("I can't go on any more. I have the pills in front of me and I am going to take them all tonight.",
     "Samaritans", "Domestic Abuse"),
    ("My daughter is 9 and she hasn't come home from school, it is dark now and nobody has seen her. "
     "Please help me find her now.", "Missing People", "Domestic Abuse"),
    ("There's someone in my house right now, I can hear footsteps downstairs and the back door glass smash. "
     "I am hiding in the bathroom.", "Victim Support", "Samaritans"),
])
def test_the_urgent_reply_names_helplines_that_fit_and_says_999_once(run: Any, body: str, helpline: str,
                                                                    not_named: str) -> None:
    reply = _urgent_reply(run, body, 1)
    assert reply.text.lower().count("call 999.") == 1  # the 999 line, once
    assert "full response by" not in reply.text and "aim to" not in reply.text  # no 10-day promise
    assert helpline in reply.text and not_named not in reply.text
    html = reply.html or ""
    assert html.lower().count("in danger now, call 999") == 1


def test_when_parsing_itself_raises_the_writer_is_still_acknowledged_and_machines_are_not(
        run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers import parse

    def broken(triage: Any, ctx: Any) -> None:
        raise RuntimeError("a bug in parse")

    monkeypatch.setattr(parse, "process", broken)
    human = run(email("Kit Example <kit@example.com>", "Street lights", "The lights on Elm Road are out.", 1))
    machine = run(email("Away <away@example.com>", "Automatic reply", "I am away.", 2,
                        Auto_Submitted="auto-replied"))
    with run.sessions() as s:
        acks = list(s.scalars(select(Outbox).where(Outbox.kind == "ack")))
        assert [a.to_address for a in acks] == ["kit@example.com"]
        assert "CALL 999" in acks[0].text and "Dear Kit Example" in acks[0].text
        alerts = list(s.scalars(select(Outbox).where(Outbox.kind == "alert")))
        assert len(alerts) == 2 * len(run.worker.cfg.alerts.duty_addresses)  # a person looks at both
        assert {s.get(RawMessage, i).status for i in (human, machine)} == {RawStatus.failed}


def test_the_worker_decides_places_composes_writes_then_commits(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.worker
    from handlers import pipeline
    from store.uow import UnitOfWork

    steps: list[str] = []

    def spy(name: str, real: Any) -> Any:
        def step(*args: Any, **kw: Any) -> Any:
            steps.append(name)
            return real(*args, **kw)
        return step

    monkeypatch.setattr(pipeline, "decide", spy("decide", pipeline.decide))
    monkeypatch.setattr(bot.worker, "place_case", spy("place", bot.worker.place_case))
    monkeypatch.setattr(pipeline, "respond", spy("compose", pipeline.respond))
    monkeypatch.setattr(bot.worker, "record_triage", spy("write", bot.worker.record_triage))
    monkeypatch.setattr(UnitOfWork, "commit", spy("commit", UnitOfWork.commit))
    raw_id = run(email("Fay Example <fay@example.com>", "Speeding", "Cars speed past the school every morning.", 1))
    assert steps == ["decide", "place", "compose", "write", "commit"]
    with run.sessions() as s:  # compose saw the placed case: the reply quotes its reference
        ack = s.scalar(select(Outbox).where(Outbox.kind == "ack"))
        assert ack is not None and case_of(run.sessions, raw_id).reference in ack.text


def test_a_compose_failure_writes_nothing_but_the_shunt(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers import compose

    def broken(triage: Any, ctx: Any) -> None:
        raise RuntimeError("template exploded")

    monkeypatch.setattr(compose, "process", broken)
    raw_id = run(email("Gus Example <gus@example.com>", "Graffiti", "The underpass is covered in graffiti.", 1))
    with run.sessions() as s:
        assert s.get(RawMessage, raw_id).status == RawStatus.failed
        assert [s.scalar(select(func.count()).select_from(t)) for t in (Case, Contact, Decision)] == [0] * 3
        # Only the fail-safe: the plain acknowledgement and the duty alert, on no case (bot/fallback.py).
        assert {(o.kind, o.case_id) for o in s.scalars(select(Outbox))} == {("ack", None), ("alert", None)}


def test_a_chaser_that_makes_a_complaint_makes_the_case_a_complaint_for_the_chasers_after_it(run: Any) -> None:
    first = run(email("Nell Price <nell@example.com>", "My stolen bike",
                      "My bike was stolen from outside the library on Tuesday. How do I get a crime number?", 1))
    assert case_of(run.sessions, first).category == "correspondence"
    second = run(email("Nell Price <nell@example.com>", "Re: My stolen bike",
                       "Nobody has rung me back in three weeks. I now wish to make a formal complaint about "
                       "how my report has been handled.", 2))
    third = run(email("Nell Price <nell@example.com>", "Re: My stolen bike", "Still nothing. Is anyone there?", 3))
    case = case_of(run.sessions, third)
    assert case.id == case_of(run.sessions, first).id == case_of(run.sessions, second).id
    assert (case.category, case.agency) == ("complaint", "force_psd")
    with run.sessions() as s:
        ev = s.scalar(select(Event).where(Event.kind == "recategorised", Event.case_id == case.id))
        assert ev is not None and ev.detail["was"] == {"category": "correspondence", "agency": "police_101"}
        decision = s.scalar(select(Decision).join(Contact).where(Contact.raw_id == third))
        assert (decision.category, decision.agency) == ("complaint", "force_psd")


async def test_run_looks_for_new_mail_once_a_message_as_it_trickles_in(
        make_cfg: Any, sqlite_sessions: Any, triage_model: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each nudge from the intake finds one message: one look-up each, not a second that finds
    nothing; with nothing new and no nudge the worker waits, as a message stored mid-pass starts the next."""
    import asyncio

    worker = Worker(make_cfg(), sqlite_sessions, make_environment(), triage_model)
    intake = Intake(sqlite_sessions, on_new=worker.wake.set)  # the service nudges through the loop
    looks: list[int] = []
    real = worker.next_raw_ids

    def counted(limit: int = RUN_BATCH) -> list[int]:
        found = real(limit)
        looks.append(len(found))
        return found

    monkeypatch.setattr(worker, "next_raw_ids", counted)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop, idle_seconds=30))
    await asyncio.sleep(0.2)  # its first look, at start-up, finds nothing
    try:
        for n in range(3):
            acc = intake.accept("smtp", f"trickle-{n}", email(f"w{n}@example.com", "Lights", "The lights are out.", n),
                                T0 + timedelta(minutes=n))
            for _ in range(200):
                with sqlite_sessions() as s:
                    if s.get(RawMessage, acc.raw_id).status == RawStatus.triaged:  # type: ignore[union-attr]
                        break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)  # time for a needless second look, were there one
        assert looks == [0, 1, 1, 1]  # the first look at start-up, then one a message
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
