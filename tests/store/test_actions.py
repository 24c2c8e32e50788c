"""Caseworker actions on a case: events, feedback, replies, merge and split (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from casework_seed import T0, add_inbound, make_case, make_person
from sqlalchemy import func, select

from store import actions
from store.models import (
    Case,
    CaseStatus,
    Contact,
    Direction,
    Event,
    Feedback,
    Outbox,
    OutboxStatus,
    RefCounter,
)
from store.replies import NoRoute

LATER = T0 + timedelta(days=1)


def kinds(s: Any, case: Case) -> list[str]:
    return list(s.scalars(select(Event.kind).where(Event.case_id == case.id).order_by(Event.at, Event.id)))


def test_assign_records_who_and_when_and_resets_the_stale_clock(db_sessions: Any) -> None:
    with db_sessions() as s:
        case = make_case(s, "MID-2026-00001")
        actions.assign(s, case, "asha", "ben", now=LATER)
        s.commit()
        ev = s.scalars(select(Event).where(Event.case_id == case.id)).one()
        assert (ev.actor, ev.kind, ev.at) == ("asha", "assigned", LATER)
        assert ev.detail == {"from": None, "to": "ben"}
        assert case.assigned_to == "ben" and case.last_action_at == LATER


def test_actions_never_commit(db_sessions: Any) -> None:
    with db_sessions() as s:
        case = make_case(s, "MID-2026-00001")
        s.commit()
        actions.add_note(s, case, "asha", "Rang the caller back; no answer.", now=LATER)
        s.rollback()
        assert kinds(s, case) == []


def test_closing_needs_a_final_response_or_a_reason(db_sessions: Any) -> None:
    with db_sessions() as s:
        case = make_case(s, "MID-2026-00001")
        with pytest.raises(actions.ActionError, match="final response"):
            actions.set_status(s, case, "asha", CaseStatus.closed, now=LATER)
        actions.set_status(s, case, "asha", CaseStatus.closed, reason="Withdrawn by phone", now=LATER)
        assert case.status is CaseStatus.closed and case.closed_at == LATER
        actions.reopen(s, case, "asha", reason="wrote again", now=LATER)
        assert case.status is CaseStatus.open and case.closed_at is None
        with pytest.raises(actions.ActionError):
            actions.reopen(s, case, "asha")
        s.commit()
        assert kinds(s, case) == ["closed", "reopened"]
        closed = s.scalars(select(Event).where(Event.kind == "closed")).one()
        assert closed.detail == {"from": "open", "to": "closed", "reason": "Withdrawn by phone"}


def test_a_dead_reply_does_not_count_as_the_final_response(db_sessions: Any) -> None:
    with db_sessions() as s:
        person = make_person(s, "Idris Marlowe", "idris@example.com")
        case = make_case(s, "MID-2026-00001", person=person)
        row = actions.queue_reply(s, case, "asha", subject="Re: patrols", text="Our answer.\n",
                                  msgid_domain="office.example.org", now=LATER)
        row.status = OutboxStatus.dead
        with pytest.raises(actions.ActionError):
            actions.set_status(s, case, "asha", CaseStatus.closed)
        row.status = OutboxStatus.sent
        actions.set_status(s, case, "asha", CaseStatus.closed, now=LATER)
        assert case.status is CaseStatus.closed


def test_email_reply_threads_to_the_last_inbound_message(db_sessions: Any) -> None:
    with db_sessions() as s:
        person = make_person(s, "Idris Marlowe", "idris@example.com")
        case = make_case(s, "MID-2026-00001", person=person, message_id="<first@example.com>")
        add_inbound(s, case, subject="Re: patrols", body="Any news?", at=T0 + timedelta(hours=5),
                    message_id="<second@example.com>")
        row = actions.queue_reply(s, case, "asha", subject="Re: patrols", text="Here is our answer.\n",
                                  msgid_domain="office.example.org", sender="enquiries@office.example.org",
                                  now=LATER)
        s.commit()
        assert (row.kind, row.channel, row.to_address, row.status) == ("reply", "email", "idris@example.com",
                                                                       OutboxStatus.pending)
        assert row.headers == {"In-Reply-To": "<second@example.com>",
                               "References": "<first@example.com> <second@example.com>"}
        assert row.message_id and row.message_id.endswith("@office.example.org>")
        out = s.scalars(select(Contact).where(Contact.direction == Direction.outbound)).one()
        assert (out.case_id, out.message_id, out.in_reply_to, out.body) == (
            case.id, row.message_id, "<second@example.com>", "Here is our answer.\n")
        assert case.responded_at == LATER and case.last_action_at == LATER
        assert kinds(s, case) == ["reply"]


def test_telegram_reply_goes_to_the_chat(db_sessions: Any) -> None:
    with db_sessions() as s:
        person = make_person(s, "Nell Farrant", telegram=5550001)
        case = make_case(s, "MID-2026-00001", person=person, channel="telegram", chat_id=5550001)
        row = actions.queue_reply(s, case, "asha", subject="", text="Thank you, we have looked into it.",
                                  msgid_domain="office.example.org", now=LATER)
        assert (row.channel, row.to_address, row.message_id, row.headers) == ("telegram", "5550001", None, {})


def test_reply_without_any_address_is_refused(db_sessions: Any) -> None:
    with db_sessions() as s:
        case = make_case(s, "MID-2026-00001")
        with pytest.raises(NoRoute):
            actions.queue_reply(s, case, "asha", subject="x", text="y", msgid_domain="office.example.org")
        assert s.scalar(select(func.count(Outbox.id))) == 0


def test_reclassify_and_resignpost_are_training_feedback(db_sessions: Any) -> None:
    with db_sessions() as s:
        case = make_case(s, "MID-2026-00001", category="correspondence", agency="opcc")
        actions.reclassify(s, case, "asha", "complaint", now=LATER)
        actions.resignpost(s, case, "asha", "force_psd", now=LATER)
        s.commit()
        rows = s.scalars(select(Feedback).order_by(Feedback.id)).all()
        assert [(f.field, f.old, f.new, f.actor) for f in rows] == [
            ("category", "correspondence", "complaint", "asha"), ("agency", "opcc", "force_psd", "asha")]
        assert rows[0].contact_id == case.contacts[0].id
        assert (case.category, case.agency) == ("complaint", "force_psd")
        assert kinds(s, case) == ["reclassified", "resignposted"]


def test_merge_moves_contacts_leaves_events_where_they_were_and_keeps_a_pointing_shell(db_sessions: Any) -> None:
    from store.merged import merged_ids, surviving
    from store.queues import search_cases
    from store.repo import StoreContext

    with db_sessions() as s:
        keep = make_case(s, "MID-2026-00001", respond_by=date(2026, 12, 9))
        other = make_case(s, "MID-2026-00002", urgent=True, respond_by=date(2026, 12, 7),
                          person=make_person(s, "Ola Pryce", "ola@example.com"), subject="Speeding vans")
        note = actions.add_note(s, other, "ben", "Same caller as 00001.", now=LATER)
        s.flush()
        before = [(e.id, e.case_id, e.kind, e.detail) for e in s.scalars(select(Event).order_by(Event.id))]
        actions.merge(s, keep, other, "asha", now=LATER)
        s.commit()
        s.expire_all()
        assert len(keep.contacts) == 2 and other.contacts == []
        # Append-only: every earlier event is as it was written; merge only adds.
        after = [(e.id, e.case_id, e.kind, e.detail) for e in s.scalars(select(Event).order_by(Event.id))]
        assert after[: len(before)] == before and s.get(Event, note.id).case_id == other.id
        assert kinds(s, keep) == ["merged"] and kinds(s, other) == ["note", "merged_into"]
        assert sorted(merged_ids(s, keep.id)) == sorted([keep.id, other.id])  # the case page's history
        assert other.merged_into_id == keep.id and surviving(s, other).id == keep.id
        assert other.status is CaseStatus.closed and keep.urgent and keep.respond_by == date(2026, 12, 7)
        assert StoreContext(s, None, LATER).case_by_reference("MID-2026-00002").id == keep.id  # type: ignore[union-attr]
        assert [c.reference for c in search_cases(s, "MID-2026-00002")] == ["MID-2026-00001"]
        # Her message moved: the search finds it in the case it went into, never in the shell.
        assert [c.reference for c in search_cases(s, "Ola Pryce")] == ["MID-2026-00001"]
        assert [c.reference for c in search_cases(s, "Speeding vans")] == ["MID-2026-00001"]
        with pytest.raises(actions.ActionError):
            actions.merge(s, keep, keep, "asha")
        with pytest.raises(actions.ActionError, match="already merged"):
            actions.merge(s, keep, other, "asha")


def test_split_moves_a_contact_to_a_new_case_with_the_next_reference(db_sessions: Any) -> None:
    with db_sessions() as s:
        s.add(RefCounter(prefix="MID", year=2026, last=41))
        s.commit()  # numbered earlier (store/refs.py allocates on a connection of its own on PostgreSQL)
        case = make_case(s, "MID-2026-00041")
        stray = add_inbound(s, case, subject="Fly-tipping", body="Rubbish dumped in the lane.",
                            at=T0 + timedelta(hours=3), decision=("correspondence", "local_council", False))
        new = actions.split_contact(s, stray, "asha", prefix="MID", acknowledge_by=date(2026, 11, 25),
                                    respond_by=date(2026, 12, 7), now=LATER)
        s.commit()
        assert new.reference == "MID-2026-00042"
        assert (new.agency, new.subject, new.respond_by, new.opened_at) == (
            "local_council", "Fly-tipping", date(2026, 12, 7), stray.at)
        assert stray.case_id == new.id and len(case.contacts) == 1
        assert kinds(s, case) == ["split_out"] and kinds(s, new) == ["split_from"]
        with pytest.raises(actions.ActionError, match="only contact"):
            actions.split_contact(s, stray, "asha", prefix="MID", acknowledge_by=date(2026, 11, 25),
                                  respond_by=date(2026, 12, 7))


def test_phone_calls_letters_and_notes(db_sessions: Any) -> None:
    with db_sessions() as s:
        case = make_case(s, "MID-2026-00001")
        actions.record_contact(s, case, "asha", channel="phone", direction=Direction.inbound,
                               summary="Caller asked for an update.", now=LATER)
        letter = actions.record_contact(s, case, "asha", channel="letter", direction=Direction.outbound,
                                        summary="Sent the leaflet on local patrols.", subject="Leaflet",
                                        now=LATER)
        actions.add_note(s, case, "asha", "Check again on Friday.", now=LATER)
        with pytest.raises(actions.ActionError):
            actions.record_contact(s, case, "asha", channel="fax", direction=Direction.inbound, summary="x")
        with pytest.raises(actions.ActionError):
            actions.add_note(s, case, "asha", "  ")
        s.commit()
        assert [c.channel for c in case.contacts] == ["email", "phone", "letter"]
        assert letter.direction is Direction.outbound and case.responded_at == LATER
        assert kinds(s, case) == ["phone_inbound", "letter_outbound", "note"]
