"""The shape of a report table shared by every renderer: labelled rows of counts, averages and shares."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.reporting.charts import Chart

TOTAL, AVERAGE = "Total", "Average per month"


@dataclass(frozen=True)
class Percent:
    """A share to one decimal place, or None where there is nothing to measure ("n/a")."""

    value: Decimal | None

    def __str__(self) -> str:
        return "n/a" if self.value is None else f"{self.value}%"


Cell = int | Decimal | Percent


@dataclass(frozen=True)
class Table:
    """One board table: a header, rows of (label, cells) ending with Total and Average per month."""

    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    chart: Chart
    note: str = ""

    def text_rows(self) -> list[list[str]]:
        return [[label, *(str(c) for c in cells)] for label, cells in self.rows]
