"""Excel workbooks (openpyxl): the board report with a native chart per table, and case-list exports."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.reporting.tables import AVERAGE, TOTAL, Percent, Table

if TYPE_CHECKING:
    from bot.reporting.report import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="F3F2F1")
_SHEET_NAMES = ("Cases by category", "Status by month")


def _put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False) -> None:
    """One cell, typed: counts as integers, averages to one decimal, shares as Excel percentages."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Percent):
        if value.value is None:
            cell.value = "n/a"
            cell.alignment = Alignment(horizontal="right")
        else:
            cell.value = float(value.value) / 100
            cell.number_format = "0.0%"
    elif isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = "0.0"
    else:
        cell.value = value  # str stays text: "Apr 2026" is never turned into a date
    if bold:
        cell.font = _BOLD


def _table_sheet(ws: Worksheet, table: Table, heading: str, office: str) -> None:
    ws["A1"], ws["A2"] = heading, office
    ws["A1"].font = Font(bold=True, size=14)
    head_row = 4
    for col, name in enumerate(table.head, start=1):
        cell = ws.cell(row=head_row, column=col, value=name)
        cell.font, cell.fill = _BOLD, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, (label, cells) in enumerate(table.rows, start=head_row + 1):
        summary = label in (TOTAL, AVERAGE)
        _put(ws, i, 1, label, bold=summary)
        for col, value in enumerate(cells, start=2):
            _put(ws, i, col, value, bold=summary)
    ws.freeze_panes = ws.cell(row=head_row + 1, column=2)
    ws.column_dimensions["A"].width = 18
    for col in range(2, len(table.head) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.row_dimensions[head_row].height = 45
    last = head_row + len(table.rows)
    if table.note:
        ws.cell(row=last + 2, column=1, value=table.note).alignment = Alignment(wrap_text=False)
    _chart(ws, table, first_row=last + 4)


def _chart(ws: Worksheet, table: Table, first_row: int) -> None:
    """The table's chart from a labelled block of its figures (the series it stacks), under the table."""
    chart = table.chart
    ws.cell(row=first_row, column=1, value="Chart data").font = _BOLD
    head = first_row + 1
    ws.cell(row=head, column=1, value="Month")
    for k, series in enumerate(chart.series, start=2):
        ws.cell(row=head, column=k, value=series.name)
        for i, v in enumerate(series.values, start=1):
            ws.cell(row=head + i, column=k, value=v)
    for i, label in enumerate(chart.labels, start=1):
        ws.cell(row=head + i, column=1, value=label)
    if not chart.labels:
        return
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "col", "stacked", 100
    bar.title, bar.y_axis.title = chart.title, chart.y_title
    bar.height, bar.width = 9, 22
    last = head + len(chart.labels)
    data = Reference(ws, min_col=2, max_col=1 + len(chart.series), min_row=head, max_row=last)
    bar.add_data(data, titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    ws.add_chart(bar, f"{get_column_letter(len(chart.series) + 3)}{first_row}")


def report_workbook(report: Report) -> bytes:
    """The board report: one sheet per table, each with its chart."""
    wb = Workbook()
    title = f"Casework report {report.date_from:%d %B %Y} to {report.date_to:%d %B %Y}"
    for i, (table, name) in enumerate(zip(report.tables(), _SHEET_NAMES, strict=True)):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = name
        _table_sheet(ws, table, f"{title}: {table.title}", report.office)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rows_workbook(title: str, head: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook streamed row by row (write-only), for exports of any length."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    ws.append(list(head))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
