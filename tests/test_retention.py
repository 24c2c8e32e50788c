"""Retention on a replayed year: the board report is unchanged and the anonymised cases leave no trace."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from privacy_year import replay_year
from sqlalchemy import func, select

from bot.privacy.retention import due_cases, months_before, run_retention
from bot.reporting.report import build_report, render_csv
from store.db import checkpoint
from store.models import AccessLog, Case, Contact, Event, Identity, Person, RawMessage

AS_OF = datetime(2028, 1, 15, 12, 0, tzinfo=UTC)
ADDRESS = re.compile(r"\d+ (?:Larkspur Row|Fenby Lane|Oriel Passage|Tamsin Court|Wrenfield Drive|Heronsgate Mews)")


def _report(sessions: Any, cfg: Any) -> str:
    with sessions() as s:
        return render_csv(build_report(s, cfg, date(2025, 4, 1), date(2026, 3, 31), date(2028, 1, 15)))


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)


def test_a_replayed_year_keeps_its_board_report_and_loses_its_people(make_cfg: Any, db_sessions: Any) -> None:
    cfg = make_cfg()
    year = replay_year(cfg, db_sessions)
    before = _report(db_sessions, cfg)
    with db_sessions() as s:
        due = due_cases(s, cfg, AS_OF)
        complaints = set(s.scalars(select(Case.id).where(Case.category == "complaint")))
        # A legal hold keeps one closed case, whatever the schedule says.
        held = s.scalar(select(Case).where(Case.category == "correspondence", Case.status == "closed"))
        held.legal_hold = True
        s.commit()
        held_id = held.id
    due_ids = {d.case_id for d in due} - {held_id}
    assert due_ids and not due_ids & complaints  # complaints are kept 6 years
    with db_sessions() as s:
        dry = run_retention(s, cfg, AS_OF, apply=False)
        s.commit()
        assert {d.case_id for d in dry.due} == due_ids
        assert s.scalar(select(func.count(Case.id)).where(Case.anonymised_at.is_not(None))) == 0
        doomed = _texts_of(s, due_ids)
        kept = _texts_of(s, complaints)
        assert len(doomed) > 40
    with db_sessions() as s:
        run = run_retention(s, cfg, AS_OF, apply=True)
        s.commit()
    assert run.scrubbed.cases == len(due_ids) and run.scrubbed.contacts > len(due_ids)
    assert _report(db_sessions, cfg) == before
    with db_sessions() as s:
        ev = s.scalar(select(Event).where(Event.kind == "retention_run"))
        assert ev.detail["counts"]["cases"] == len(due_ids)
        for case in s.scalars(select(Case).where(Case.id.in_(due_ids))):
            assert case.anonymised_at is not None and case.subject == "" and case.person_id is None
            assert case.category and case.opened_at and case.respond_by  # the figures stay
        assert all(r.raw == b"" for r in s.scalars(select(RawMessage).join(Contact, Contact.raw_id == RawMessage.id)
                                                   .where(Contact.case_id.in_(due_ids))))
        assert s.get(Case, held_id).anonymised_at is None
        # A second run finds nothing more to do.
        assert run_retention(s, cfg, AS_OF, apply=True).scrubbed.cases == 0
        s.commit()
    if db_sessions.kw["bind"].dialect.name == "sqlite":
        engine = db_sessions.kw["bind"]
        checkpoint(engine)
        data = b"".join(Path(p).read_bytes() for p in _db_files(engine))
        leaks = [t for t in doomed if _found(t, data)]
        assert not leaks, f"left in the database file: {leaks[:5]}"
        assert kept and all(_found(t, data) for t in kept)  # the grep does find what is kept
    assert year.writers


def _texts_of(s: Any, case_ids: set[int]) -> set[str]:
    """Names, email addresses, street addresses and chat names of writers who have no other case.

    (Identical letters from several writers become a campaign, so a writer whose own case is kept
    may also have a message in a campaign that goes: their details rightly stay.)
    """
    out: set[str] = set()
    contacts = list(s.scalars(select(Contact).where(Contact.case_id.in_(case_ids),
                                                    Contact.direction == "in")))
    persons = {c.person_id for c in contacts} | set(s.scalars(select(Case.person_id).where(Case.id.in_(case_ids))))
    persons.discard(None)
    elsewhere = set(s.scalars(select(Case.person_id).where(Case.id.not_in(case_ids)))) | set(s.scalars(
        select(Contact.person_id).where(Contact.case_id.not_in(case_ids))))
    gone = persons - elsewhere
    for c in contacts:
        if c.person_id in gone:
            out.update(x for x in (c.sender, c.sender_name) if x)
            out.update(ADDRESS.findall(c.body))
    for p in s.scalars(select(Person).where(Person.id.in_(gone))):
        out.update(x for x in (p.name,) if x)
    for i in s.scalars(select(Identity).where(Identity.person_id.in_(gone))):
        out.add(i.value)
    return out


def _found(text: str, data: bytes) -> bool:
    return re.search(rb"(?<![\w])" + re.escape(text.encode()) + rb"(?![\w])", data) is not None


def _db_files(engine: Any) -> list[str]:
    path = engine.url.database
    return [p for p in (path, path + "-wal") if Path(p).exists()]


@pytest.mark.parametrize("hold", [False, True])
def test_urgent_cases_wait_for_release_and_holds_for_their_lifting(db_sessions: Any, make_cfg: Any,
                                                                     hold: bool) -> None:
    from seeding import Seeder, at

    cfg = make_cfg()
    with db_sessions() as s:
        case = Seeder(s).case("MID-2024-00001", at("2024-01-05 10:00"), status="closed", urgent=not hold,
                              closed=at("2024-01-10 10:00"))
        case.legal_hold = hold
        s.add(AccessLog(at=at("2024-01-06 10:00"), user="anna", action="view", case_id=case.id, detail={}))
        s.commit()
        assert due_cases(s, cfg, AS_OF) == []
        if hold:
            case.legal_hold = False
        else:
            case.retention_released_at = AS_OF
        s.commit()
        assert [d.reference for d in due_cases(s, cfg, AS_OF)] == ["MID-2024-00001"]
        run = run_retention(s, cfg, AS_OF, apply=True)
        assert run.access_rows == 1  # the access log has its own, shorter, keeping time
        s.commit()
