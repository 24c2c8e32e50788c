"""Tags from config rules as each contact is recorded (bot/tagging.py -> store/actions.add_rule_tags),
on SQLite and PostgreSQL: once per case, in the store's existing spelling, nothing flushed of their own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from plans import sqlite_plan_of
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tagging import apply_rules
from store import actions
from store.models import Case, CaseTag, Event

T0 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def session(db_sessions: Any) -> Iterator[Session]:
    with db_sessions() as s:
        yield s
        s.rollback()


def new_case(s: Session, n: int, category: str = "correspondence") -> Case:
    case = Case(reference=f"MID-2026-{n:05d}", category=category, opened_at=T0, acknowledge_by=date(2026, 6, 4),
                respond_by=date(2026, 6, 16), last_action_at=T0)
    s.add(case)
    s.flush()
    return case


def tags_of(s: Session, case: Case) -> list[tuple[str, str, str, str]]:
    s.flush()
    return sorted(tuple(r) for r in s.execute(select(CaseTag.kind, CaseTag.name, CaseTag.source, CaseTag.added_by)
                            .where(CaseTag.case_id == case.id)).all())


def test_a_contact_earns_each_rule_tag_once_and_a_rule_tag_is_no_caseworker_action(
        session: Session, make_cfg: Any) -> None:
    cfg = make_cfg()
    case = new_case(session, 1)
    text = "Speeding cars on the Netherby road\nBoy racers speeding past the school in Netherby every night."
    added = apply_rules(session, cfg, case, text, T0)
    assert sorted(added) == ["theme:speeding", "ward:Netherby"]
    assert {type(o) for o in session.new} == {CaseTag, Event}  # added, not flushed by the rules
    assert tags_of(session, case) == [("theme", "speeding", "rule", "tags.rules[1]"),
                                      ("ward", "Netherby", "rule", "office.places")]
    assert apply_rules(session, cfg, case, text, T0) == []  # the next contact of the case: nothing new
    events = session.scalars(select(Event).where(Event.case_id == case.id, Event.kind == "tagged")).all()
    assert sorted((e.detail["name"], e.detail["rule"]) for e in events) == [
        ("Netherby", "office.places"), ("speeding", "tags.rules[1]")]
    assert case.last_action_at == T0  # the stale clock keeps running


def test_a_rule_tag_takes_the_spelling_the_store_already_has_and_no_pattern_characters(
        session: Session, make_cfg: Any) -> None:
    cfg = make_cfg(**{"tags.rules": [{"tag": "theme:road_safety", "pattern": "pothole"},
                                     {"tag": "theme:Speeding", "pattern": "speeding"}]})
    other = new_case(session, 1)
    actions.add_tag(session, other, "asha", "theme", "roadXsafety", now=T0)  # "_" is LIKE's any character
    actions.add_tag(session, other, "asha", "theme", "SPEEDING", now=T0)
    case = new_case(session, 2)
    apply_rules(session, cfg, case, "A pothole, and speeding too", T0)
    assert [(k, n) for k, n, _, _ in tags_of(session, case)] == [("theme", "SPEEDING"), ("theme", "road_safety")]


def test_the_existing_spelling_is_read_from_its_index(sqlite_sessions: Any, make_cfg: Any) -> None:
    """SQLite's plan (PostgreSQL plans a tiny table by its statistics, reading it whole)."""
    session = sqlite_sessions()
    case = new_case(session, 1)
    plan = sqlite_plan_of(session, lambda: apply_rules(session, make_cfg(), case, "Netherby", T0),
                          sent_with="lower(case_tag.name)")
    assert "INDEX ix_case_tag_kind_lower_name (kind=? AND <expr>=?)" in plan, plan
