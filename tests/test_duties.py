"""Welsh replies, contact arrangements and member correspondence, through the real worker and store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.deadlines import WorkingCalendar
from bot.intake import Intake
from bot.reporting.digest import build_digest, render_digest
from bot.users import add_user
from bot.worker import Worker
from handlers.compose import make_environment
from store.arrangements import set_arrangement
from store.models import Case, Contact, Event, Outbox, Person, Role

T0 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)  # a Tuesday
OFFICE = "enquiries@wessexvale-pcc.gov.uk"


def email(sender: str, subject: str, body: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, OFFICE, subject
    msg["Date"], msg["Message-ID"] = format_datetime(T0 + timedelta(hours=n)), f"<d{n}@example.org>"
    msg.set_content(body)
    return bytes(msg)


@pytest.fixture
def run(make_cfg: Any, db_sessions: Any, triage_model: Any) -> Any:
    state: dict[str, Any] = {"n": 0, "cfg": make_cfg()}

    def feed(raw: bytes, **overrides: Any) -> tuple[Case, list[Outbox]]:
        cfg = make_cfg(**overrides) if overrides else state["cfg"]
        state["n"] += 1
        acc = Intake(db_sessions).accept("smtp", f"d-{state['n']}", raw, T0 + timedelta(hours=state["n"]))
        Worker(cfg, db_sessions, make_environment(), triage_model).process_one(acc.raw_id)
        with db_sessions() as s:
            contact = s.scalar(select(Contact).where(Contact.raw_id == acc.raw_id))
            case = s.get(Case, contact.case_id)
            out = list(s.scalars(select(Outbox).where(Outbox.contact_id == contact.id).order_by(Outbox.id)))
            return case, out

    feed.sessions = db_sessions  # type: ignore[attr-defined]
    feed.cfg = state["cfg"]  # type: ignore[attr-defined]
    return feed


WELSH = ("Annwyl Gomisiynydd,\n\nMae ceir yn gyrru'n rhy gyflym heibio'r ysgol gynradd bob bore ac mae'r plant "
         "mewn perygl wrth groesi. Hoffwn wybod a fyddai modd cael gwiriadau cyflymder yma.\n\nYn gywir,\n"
         "Elin Prydderch")


def test_a_welsh_email_is_answered_in_welsh_and_english(run: Any) -> None:
    case, out = run(email("Elin Prydderch <elin@example.org>", "Ceir yn goryrru", WELSH, 1))
    ack = out[0]
    assert case.language == "cy" and ack.kind == "ack"
    english = ack.text.index("Dear Elin Prydderch")
    welsh = ack.text.index("Annwyl Elin Prydderch")
    assert english < welsh  # an English office puts English first
    assert ack.text.startswith("(Sgroliwch i lawr am y fersiwn Gymraeg.)")
    assert f"Cyfeirnod eich achos yw {case.reference}" in ack.text
    assert "Swyddfa Comisiynydd Heddlu a Throseddu Wessex Vale" in ack.text  # office.name_cy from config
    assert "dydd " in ack.text and any(m in ack.text for m in ("Mehefin", "Gorffennaf"))
    assert "Annwyl Elin" in ack.html and "Dear Elin" in ack.html


def test_a_welsh_office_answers_everyone_welsh_first(run: Any) -> None:
    _, out = run(email("Sam Hale <sam@example.org>", "Parking", "People park on the pavement on Mill Lane every "
                       "day and my father cannot get past with his wheelchair. Who can deal with this?", 1),
                 **{"office.welsh": True})
    text = out[0].text
    assert text.startswith("(Please scroll down for the English version.)")
    assert text.index("Annwyl Sam Hale") < text.index("Dear Sam Hale")


def test_welsh_urgent_mail_gets_the_999_reply_and_the_alert(run: Any) -> None:
    body = ("Helpwch fi os gwelwch yn dda. Mae fy nghyn-bartner tu allan i'r tŷ nawr ac mae ganddo gyllell. "
            "Mae gen i ofn.")
    case, out = run(email("Nia Carwyn <nia@example.org>", "Help", body, 1))
    assert case.urgent and case.agency == "emergency_999"
    ack = next(o for o in out if o.kind == "ack")
    assert ack.text.startswith("IF YOU OR ANYONE ELSE IS IN DANGER NOW, CALL 999. OS YDYCH CHI NEU UNRHYW UN "
                               "ARALL MEWN PERYGL NAWR, FFONIWCH 999.")
    assert "ni allwn ni anfon help ein hunain" in ack.text
    assert ack.text.count("FFONIWCH 999.") == 1 and ack.text.count("CALL 999.") == 1  # once per language
    assert [o.kind for o in out].count("alert") == 1


def test_welsh_signposting_names_the_agency_in_welsh(run: Any) -> None:
    body = ("Ces i alwad ffôn gan rywun yn honni ei fod o'r banc, a nawr mae £900 wedi mynd o fy nghyfrif. "
            "Sgam oedd e. Beth ddylwn i ei wneud?")
    case, out = run(email("Huw Talfryn <huw@example.org>", "Twyll", body, 1))
    assert case.agency == "action_fraud"
    assert "Y lle gorau am hyn yw Report Fraud (Action Fraud gynt)." in out[0].text


def _arrange(run: Any, address: str) -> None:
    with run.sessions() as s:
        add_user(s, "gwen", Role.caseworker, "a long fictional password")
        person = s.scalar(select(Person).join(Person.identities).where(Person.identities.any(value=address)))
        set_arrangement(s, person, caseworker="gwen", review_on=date(2026, 9, 1), reason="daily emails",
                        actor="manager", now=T0)
        s.commit()


def test_under_an_arrangement_mail_is_restricted_but_urgency_is_never_suppressed(run: Any) -> None:
    sender = "Dewi Morgan <dewi@example.org>"
    run(email(sender, "Bins again", "The bin men missed my road again and nobody answers me.", 1))
    _arrange(run, "dewi@example.org")
    case, out = run(email(sender, "Bins", "Another week and the bins on Elm Road are still not collected.", 2))
    assert case.assigned_to == "gwen"
    assert "the member of staff named in that letter" in out[0].text
    assert "Report Fraud" not in out[0].text and "council" not in out[0].text.lower().split("reference")[0]
    case, out = run(email(sender, "Help now", "He is outside my door right now with a knife and says he will kill "
                          "me. Please send the police.", 3))
    assert case.urgent and case.assigned_to == "gwen"
    kinds = [o.kind for o in out]
    assert "alert" in kinds and "CALL 999" in next(o for o in out if o.kind != "alert").text
    with run.sessions() as s:
        hits = s.scalar(select(Event.detail).where(Event.kind == "triaged").order_by(Event.id.desc()))["hits"]
        assert any(h["rule"] == "contact_arrangement" and "urgent" in h["reason"] for h in hits)
        digest = build_digest(s, run.cfg, date(2026, 9, 2), T0 + timedelta(days=92))
        assert [r.caseworker for r in digest.reviews] == ["gwen"]
        assert "CONTACT ARRANGEMENTS DUE FOR REVIEW: 1" in render_digest(digest, run.cfg, make_environment())[1]


MP_CASEWORK = ("Dear Commissioner,\n\nI am writing on behalf of my constituent, who lives on Station Road, about "
               "repeated anti-social behaviour near the shops and the slow police response.\n\nYours sincerely,\n\n"
               "Sam Okafor\nSenior Caseworker to Jane Doe MP\nHouse of Commons, London SW1A 0AA")


def test_an_mps_caseworkers_mail_is_member_correspondence_with_its_own_sla(run: Any) -> None:
    case, _ = run(email("Sam Okafor <sam.okafor@parliament.uk>", "Constituent: ASB", MP_CASEWORK, 1))
    assert case.member_correspondence
    cal = WorkingCalendar()
    assert case.respond_by == cal.due_date(case.opened_at, run.cfg.members.respond_days)
    with run.sessions() as s:
        ev = s.scalar(select(Event).where(Event.kind == "member_correspondence"))
        assert "parliament.uk" in ev.detail["reason"]
        digest = build_digest(s, run.cfg, date(2026, 6, 3), T0 + timedelta(days=1))
        assert digest.members.new == 1 and "MEMBER CORRESPONDENCE" in render_digest(digest, run.cfg,
                                                                                   make_environment())[1]


@pytest.mark.parametrize("sender,body,flagged", [
    ("Rhys Bowen <rhys.bowen@example.com>", "Please look at the speeding on the Netherby road.\n\nKind regards,\n"
     "Cllr Rhys Bowen\nNetherby Ward", True),
    ("Ann Pell <ann.pell@kingsmere.example.gov.uk>", "Please look at the speeding on the Netherby road.\n\n"
     "Regards,\nAnn Pell\nCouncillor, Netherby Ward", True),
    ("Tom Reed <tom.reed@kingsmere.example.gov.uk>", "Please look at the speeding on the Netherby road.\n\n"
     "Regards,\nTom Reed\nHighways Officer", False),
    ("Jo Lund <jo@example.org>", "I asked my councillor about the speeding on the Netherby road and the MP for "
     "Kingsmere too, but nothing happened.\n\nThanks,\nJo Lund", False),
])
def test_councillors_by_sign_off_council_officers_and_the_public_not(run: Any, sender: str, body: str,
                                                                     flagged: bool) -> None:
    case, _ = run(email(sender, "Speeding", body, 1))
    assert case.member_correspondence is flagged
