"""Working-day arithmetic with UK bank holidays (the `holidays` package) in the office's timezone."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# `holidays` names the UK nations by subdivision of GB; England and Wales share one calendar.
_SUBDIV = {"ENG": "ENG", "WLS": "WLS", "SCT": "SCT", "NIR": "NIR"}


@lru_cache(maxsize=8)
def _calendar(region: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=_SUBDIV[region], years=range(2015, 2041))


_FIRST_YEAR, _LAST_YEAR = 2015, 2040  # the years _calendar() loads


@lru_cache(maxsize=8)
def _weekday_holidays(region: str) -> tuple[date, ...]:
    """Sorted bank holidays that fall Monday to Friday (the only ones that cost a working day)."""
    hol = _calendar(region)
    return tuple(sorted(d for d in hol if d.weekday() < 5 and _FIRST_YEAR <= d.year <= _LAST_YEAR))


class WorkingCalendar:
    """Counts working days (Monday to Friday, not a bank holiday) in one office's timezone."""

    def __init__(self, timezone: str = "Europe/London", region: str = "ENG") -> None:
        self.tz = ZoneInfo(timezone)
        self.region = region
        self._hol = _calendar(region)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self._hol

    def holiday_name(self, d: date) -> str | None:
        return self._hol.get(d)

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def add_working_days(self, start: date, n: int) -> date:
        """The date n working days after `start` (start itself never counts)."""
        d = start
        added = 0
        while added < n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                added += 1
        return d

    def due_date(self, received_at: datetime, n: int) -> date:
        """Deadline for something received at `received_at`: day 1 is the next working day.

        A contact arriving on a Friday evening, a weekend or a bank holiday is treated as
        received that day; the count starts on the following working day either way.
        """
        return self.add_working_days(self.local_date(received_at), n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        if end <= start:
            return 0
        n = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n += 1
        return n

    def latest_start(self, end: date, n: int) -> date:
        """The latest date d with working_days_between(d, end) >= n (for "no action for n days")."""
        d = end
        counted = 0
        while counted < n:
            if self.is_working_day(d):
                counted += 1
            d -= timedelta(days=1)
        return d

    def start_of_day(self, d: date) -> datetime:
        """The first moment of a local date, as an aware datetime."""
        return datetime.combine(d, time(0, 0), tzinfo=self.tz)

    def count_working_days(self, start: date, end: date) -> int:
        """The same count as working_days_between, without walking day by day (for long spans in bulk)."""
        if end <= start:
            return 0
        if start.year < _FIRST_YEAR or end.year > _LAST_YEAR:
            return self.working_days_between(start, end)
        weeks, rest = divmod((end - start).days, 7)
        first = start.weekday()
        n = weeks * 5 + sum(1 for i in range(1, rest + 1) if (first + i) % 7 < 5)
        hol = _weekday_holidays(self.region)
        return n - (bisect_right(hol, end) - bisect_right(hol, start))

    def end_of_day(self, d: date) -> datetime:
        """The last moment of a local date, as an aware datetime."""
        return datetime.combine(d, time(23, 59, 59), tzinfo=self.tz)
