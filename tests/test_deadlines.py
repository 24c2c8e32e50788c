"""Working-day arithmetic around bank holidays, weekends, timezones and the UK nations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from seeding import at

from bot.deadlines import WorkingCalendar

ENG = WorkingCalendar("Europe/London", "ENG")
SCT = WorkingCalendar("Europe/London", "SCT")
NIR = WorkingCalendar("Europe/London", "NIR")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2026, 12, 28), False),  # Boxing Day falls on Saturday: substitute Monday
        (date(2026, 12, 29), True),
        (date(2027, 12, 27), False),  # Christmas on Saturday: substitute Monday
        (date(2027, 12, 28), False),  # Boxing Day on Sunday: substitute Tuesday
        (date(2027, 12, 29), True),
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 11, 28), False),  # a Saturday
        (date(2026, 11, 29), False),  # a Sunday
    ],
)
def test_is_working_day_in_england(day: date, working: bool) -> None:
    assert ENG.is_working_day(day) is working


def test_christmas_2026_acknowledgement_skips_christmas_and_boxing_day_substitute() -> None:
    assert ENG.due_date(at("2026-12-24 10:00"), 2) == date(2026, 12, 30)


def test_christmas_2027_both_substitute_days_are_skipped() -> None:
    assert ENG.due_date(at("2027-12-24 10:00"), 2) == date(2027, 12, 30)
    # ...and New Year's Day 2028 is a Saturday, so Monday 3 January is off too.
    assert ENG.due_date(at("2027-12-24 10:00"), 10) == date(2028, 1, 12)


def test_easter_2026_skips_good_friday_and_easter_monday() -> None:
    assert ENG.due_date(at("2026-04-02 16:00"), 2) == date(2026, 4, 8)
    assert ENG.working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1


def test_friday_evening_in_summer_counts_from_monday() -> None:
    # 23:30 BST on a Friday is 22:30 UTC, still Friday either way.
    assert ENG.due_date(at("2026-06-19 23:30"), 2) == date(2026, 6, 23)
    # 00:30 BST on Saturday is 23:30 UTC on Friday: the office date (Saturday) is what counts.
    late = datetime(2026, 6, 19, 23, 30, tzinfo=UTC)
    assert ENG.local_date(late) == date(2026, 6, 20)
    assert ENG.due_date(late, 2) == date(2026, 6, 23)


def test_sunday_night_utc_is_monday_in_bst_so_the_count_starts_tuesday() -> None:
    arrival = datetime(2026, 6, 21, 23, 30, tzinfo=UTC)  # 00:30 BST on Monday 22 June
    assert ENG.due_date(arrival, 2) == date(2026, 6, 24)
    # The same UTC wall time in winter (GMT) is still Sunday: day 1 is Monday.
    assert ENG.due_date(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), 2) == date(2026, 11, 24)


def test_friday_evening_in_winter_gmt() -> None:
    assert ENG.due_date(at("2026-11-27 23:30"), 2) == date(2026, 12, 1)
    assert ENG.due_date(at("2026-11-27 23:30"), 10) == date(2026, 12, 11)


def test_weekend_arrival_in_england_and_scotland_st_andrews_day() -> None:
    saturday = at("2026-11-28 10:00")
    assert ENG.due_date(saturday, 2) == date(2026, 12, 1)
    # Monday 30 November 2026 is St Andrew's Day, a bank holiday in Scotland only.
    assert SCT.due_date(saturday, 2) == date(2026, 12, 2)
    assert ENG.is_working_day(date(2026, 11, 30)) and not SCT.is_working_day(date(2026, 11, 30))


def test_second_of_january_is_a_holiday_in_scotland_only() -> None:
    eve = at("2025-12-31 12:00")
    assert ENG.due_date(eve, 2) == date(2026, 1, 5)
    assert SCT.due_date(eve, 2) == date(2026, 1, 6)
    # 2 January 2027 is a Saturday: Scotland takes Monday 4 January instead.
    assert not SCT.is_working_day(date(2027, 1, 4)) and ENG.is_working_day(date(2027, 1, 4))


def test_st_patricks_day_in_northern_ireland() -> None:
    assert not NIR.is_working_day(date(2026, 3, 17)) and ENG.is_working_day(date(2026, 3, 17))


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2026-11-23 09:00", 10, date(2026, 12, 7)),
        ("2026-11-23 09:00", 20, date(2026, 12, 21)),
        ("2026-12-14 09:00", 10, date(2026, 12, 30)),  # across Christmas and Boxing Day (observed)
        ("2026-12-14 09:00", 20, date(2027, 1, 14)),  # ... and New Year's Day
        ("2026-03-30 09:00", 10, date(2026, 4, 15)),  # across Easter
    ],
)
def test_response_deadlines_of_10_and_20_working_days(received: str, days: int, due: date) -> None:
    assert ENG.due_date(at(received), days) == due


def test_working_days_between_over_christmas() -> None:
    assert ENG.working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4
    assert ENG.working_days_between(date(2026, 12, 24), date(2026, 12, 24)) == 0
    assert ENG.working_days_between(date(2027, 1, 4), date(2026, 12, 24)) == 0


def test_add_working_days_from_a_holiday_starts_on_the_next_working_day() -> None:
    assert ENG.add_working_days(date(2026, 12, 25), 1) == date(2026, 12, 29)
    assert ENG.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_count_working_days_agrees_with_the_day_by_day_count() -> None:
    starts = [date(2025, 12, 20) + timedelta(days=i) for i in range(0, 400, 3)]
    for cal in (ENG, SCT, NIR):
        for start in starts:
            for span in (0, 1, 2, 5, 6, 7, 8, 13, 30, 61, 370, 800):
                end = start + timedelta(days=span)
                slow = cal.working_days_between(start, end)
                assert cal.count_working_days(start, end) == slow, (cal.region, start, end)
    assert ENG.count_working_days(date(2040, 12, 20), date(2041, 1, 10)) == 12  # past the loaded years
