"""Queues of open cases, their order, counts and pages, and case search (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from casework_seed import T0, make_case, make_person

from bot.casework import queue_clock
from store.models import CaseStatus
from store.queues import (
    QueueClock,
    UnknownQueue,
    count_queue,
    list_queue,
    queue_counts,
    queue_names,
    search_cases,
)

CLOCK = QueueClock(today=date(2026, 11, 30), stale_before=datetime(2026, 11, 24, tzinfo=UTC))


def refs(page: Any) -> list[str]:
    return [c.reference for c in page.cases]


def test_open_queue_puts_urgent_first_then_respond_by_then_opened_at(db_sessions: Any) -> None:
    with db_sessions() as s:
        make_case(s, "MID-2026-00001", respond_by=date(2026, 12, 10))
        make_case(s, "MID-2026-00002", respond_by=date(2026, 12, 3), opened_at=T0 + timedelta(hours=2))
        make_case(s, "MID-2026-00003", respond_by=date(2026, 12, 3), opened_at=T0 + timedelta(hours=1))
        make_case(s, "MID-2026-00004", respond_by=date(2026, 12, 20), urgent=True)
        make_case(s, "MID-2026-00005", respond_by=date(2026, 12, 1), status=CaseStatus.closed)
        make_case(s, "MID-2026-00006", respond_by=date(2026, 12, 2), status=CaseStatus.monitoring)
        s.commit()
        page = list_queue(s, "open", CLOCK)
    assert refs(page) == ["MID-2026-00004", "MID-2026-00006", "MID-2026-00003", "MID-2026-00002",
                          "MID-2026-00001"]
    assert page.total == 5 and not page.has_next


def test_overdue_is_past_respond_by_and_not_closed(db_sessions: Any) -> None:
    with db_sessions() as s:
        make_case(s, "MID-2026-00001", respond_by=date(2026, 11, 27))  # before today: overdue
        make_case(s, "MID-2026-00002", respond_by=date(2026, 11, 30))  # due today: not yet
        make_case(s, "MID-2026-00003", respond_by=date(2026, 11, 2), status=CaseStatus.closed)
        make_case(s, "MID-2026-00004", respond_by=date(2026, 11, 20), status=CaseStatus.in_progress)
        s.commit()
        assert refs(list_queue(s, "overdue", CLOCK)) == ["MID-2026-00004", "MID-2026-00001"]


def test_stale_counts_working_days_over_christmas(db_sessions: Any, make_cfg: Any) -> None:
    cfg = make_cfg(**{"sla.stale_days": 5})
    # Wednesday 30 December 2026: 25 Dec (Fri) and the substitute Boxing Day (Mon 28) are holidays,
    # so five working days back from the 30th reach Tuesday 22 December.
    clock = queue_clock(cfg, datetime(2026, 12, 30, 10, 0, tzinfo=UTC))
    with db_sessions() as s:
        make_case(s, "MID-2026-00001", last_action_at=datetime(2026, 12, 21, 17, 0, tzinfo=UTC))
        make_case(s, "MID-2026-00002", last_action_at=datetime(2026, 12, 22, 9, 0, tzinfo=UTC))
        make_case(s, "MID-2026-00003", last_action_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                  status=CaseStatus.closed)
        s.commit()
        assert refs(list_queue(s, "stale", clock)) == ["MID-2026-00001"]


def test_stale_cutoff_is_local_midnight_in_summer_time(make_cfg: Any) -> None:
    cfg = make_cfg(**{"sla.stale_days": 1})
    clock = queue_clock(cfg, datetime(2026, 6, 16, 9, 0, tzinfo=UTC))  # Tuesday
    # One working day back from Tuesday is Monday; anything before Tuesday 00:00 BST is stale.
    assert clock.stale_before == datetime(2026, 6, 15, 23, 0, tzinfo=UTC)
    assert clock.today == date(2026, 6, 16)


def test_unassigned_mine_and_category_queues_with_counts(db_sessions: Any) -> None:
    with db_sessions() as s:
        make_case(s, "MID-2026-00001", assigned_to="asha", category="complaint")
        make_case(s, "MID-2026-00002", assigned_to="ben", category="complaint")
        make_case(s, "MID-2026-00003", category="foi")
        make_case(s, "MID-2026-00004", category="complaint", status=CaseStatus.closed)
        s.commit()
        assert refs(list_queue(s, "mine", CLOCK, user="asha")) == ["MID-2026-00001"]
        assert refs(list_queue(s, "unassigned", CLOCK)) == ["MID-2026-00003"]
        assert refs(list_queue(s, "category:complaint", CLOCK)) == ["MID-2026-00001", "MID-2026-00002"]
        counts = queue_counts(s, queue_names(["complaint", "foi", "campaign"]), CLOCK, "asha")
        assert counts == {"urgent": 0, "overdue": 0, "stale": 3, "unassigned": 1, "mine": 1, "members": 0, "open": 3,
                          "category:complaint": 2, "category:foi": 1, "category:campaign": 0}
        assert "mine" not in queue_counts(s, ["mine", "open"], CLOCK, None)


def test_pages_hold_limit_cases_and_know_the_total(db_sessions: Any) -> None:
    with db_sessions() as s:
        for n in range(1, 8):
            make_case(s, f"MID-2026-{n:05d}", respond_by=date(2026, 12, n))
        s.commit()
        first = list_queue(s, "open", CLOCK, limit=3)
        last = list_queue(s, "open", CLOCK, limit=3, offset=6)
        assert refs(first) == ["MID-2026-00001", "MID-2026-00002", "MID-2026-00003"]
        assert first.total == 7 and first.has_next
        assert refs(last) == ["MID-2026-00007"] and not last.has_next
        assert count_queue(s, "open", CLOCK) == 7


def test_unknown_queue_and_mine_without_user_are_refused(db_sessions: Any) -> None:
    with db_sessions() as s:
        with pytest.raises(UnknownQueue):
            list_queue(s, "everything", CLOCK)
        with pytest.raises(UnknownQueue):
            list_queue(s, "mine", CLOCK)


def test_search_by_reference_name_email_and_text(db_sessions: Any) -> None:
    with db_sessions() as s:
        rowan = make_person(s, "Rowan Applegarth", "rowan.applegarth@example.org")
        tess = make_person(s, "Tess Quillfeather", "tq@example.net")
        make_case(s, "MID-2026-00001", person=rowan, body="Speeding vans on the bridge road every morning.")
        make_case(s, "MID-2026-00002", person=tess, subject="Street lights", body="The lights are out.")
        make_case(s, "MID-2026-00003", person=tess, body="Following up about 100% of the lights.")
        s.commit()
        assert [c.reference for c in search_cases(s, "mid-2026-00002")] == ["MID-2026-00002"]
        assert len(search_cases(s, "MID-2026-0000")) == 3  # a partial reference
        assert search_cases(s, "MID-2026-0009") == []
        assert [c.reference for c in search_cases(s, "applegarth")] == ["MID-2026-00001"]
        tess_cases = {"MID-2026-00002", "MID-2026-00003"}
        assert {c.reference for c in search_cases(s, "TQ@EXAMPLE.NET")} == tess_cases
        assert [c.reference for c in search_cases(s, "@example.org")] == ["MID-2026-00001"]
        assert [c.reference for c in search_cases(s, "bridge road")] == ["MID-2026-00001"]
        assert [c.reference for c in search_cases(s, "100%")] == ["MID-2026-00003"]  # % is literal
        assert search_cases(s, "   ") == []
        assert len(search_cases(s, "lights", limit=1)) == 1
