"""The board report: cases logged per month by category, and their current status with the share of the
closed cases closed within cfg.sla.closed_within_days working days; each table with a chart; as markdown,
CSV, a printable HTML page, an Excel workbook or a PDF.

CSV layout: UTF-8 with a byte-order mark; two blocks separated by one blank line, each with its own
header row; the first cell of each header names the table ("Cases logged by category" / "Status by
month logged"), the rows below start with the month (="Apr 2026", which Excel keeps as text), then
"Total" and "Average per month".
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.reporting.charts import Chart, Series, mermaid, svg
from bot.reporting.figures import CASEWORK_CATEGORIES, is_casework, local_start, ratio
from bot.reporting.tables import AVERAGE, TOTAL, Cell, Percent, Table
from bot.reporting.xlsx import XLSX_TYPE, report_workbook
from bot.templating import overlay_env, template_env
from bot.words import add_filters, category_name, status_name
from store.models import Case, CaseStatus, utcnow

STATUSES: tuple[str, ...] = tuple(s.value for s in CaseStatus)
TABLE1 = "Cases logged by category"
TABLE2 = "Status by month logged"
@dataclass(frozen=True)
class Month:
    """Figures of the cases logged in one local calendar month, as they stand on the report's day."""

    start: date
    by_category: dict[str, int]
    by_status: dict[str, int]
    closed_within: int  # closed within N working days of being logged
    open_late: int  # not closed, and more than N working days since logged

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y}"

    @property
    def total(self) -> int:
        return sum(self.by_category.values())

    @property
    def closed(self) -> int:
        return self.by_status["closed"]

    @property
    def share(self) -> Percent:
        """The office's measure: of the cases closed, the share closed in time; n/a with none closed."""
        return _share(self.closed_within, self.closed)


@dataclass(frozen=True)
class Report:
    date_from: date
    date_to: date
    today: date
    office: str
    closed_within_days: int
    months: list[Month]

    @property
    def categories(self) -> tuple[str, ...]:
        return CASEWORK_CATEGORIES

    def table1(self) -> Table:
        """Cases logged per month by category, with the Total and Average per month rows."""
        head = ("Month", *(category_name(c) for c in self.categories), "Total")
        rows: list[tuple[str, tuple[Cell, ...]]] = [
            (m.label, (*(m.by_category[c] for c in self.categories), m.total)) for m in self.months]
        totals = [sum(m.by_category[c] for m in self.months) for c in self.categories]
        rows.append((TOTAL, (*totals, sum(totals))))
        rows.append((AVERAGE, tuple(self._avg(n) for n in [*totals, sum(totals)])))
        chart = Chart("Cases logged per month, by category", tuple(m.label for m in self.months),
                      tuple(Series(category_name(c), tuple(m.by_category[c] for m in self.months))
                            for c in self.categories))
        return Table(TABLE1, head, tuple(rows), chart)

    def table2(self) -> Table:
        """Status now by month logged, and the share of the closed cases closed within N working days."""
        n = self.closed_within_days
        head = ("Month logged", *(status_name(s) for s in STATUSES), "Total",
                f"Closed within {n} working days", f"% of closed cases closed within {n} working days",
                f"Still open after {n} working days")
        rows: list[tuple[str, tuple[Cell, ...]]] = [
            (m.label, (*(m.by_status[s] for s in STATUSES), m.total, m.closed_within, m.share, m.open_late))
            for m in self.months]
        totals = [sum(m.by_status[s] for m in self.months) for s in STATUSES]
        inside, late = sum(m.closed_within for m in self.months), sum(m.open_late for m in self.months)
        rows.append((TOTAL, (*totals, sum(totals), inside, _share(inside, totals[STATUSES.index("closed")]), late)))
        shares = [m.share.value for m in self.months if m.share.value is not None]
        mean = Percent((sum(shares, Decimal(0)) / len(shares)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                       if shares else None)
        rows.append((AVERAGE, (*(self._avg(t) for t in [*totals, sum(totals), inside]), mean, self._avg(late))))
        labels = tuple(m.label for m in self.months)
        chart = Chart(f"Cases by month logged: closed within {n} working days, closed later, not closed", labels, (
            Series(f"Closed within {n} working days", tuple(m.closed_within for m in self.months)),
            Series("Closed later", tuple(m.closed - m.closed_within for m in self.months)),
            Series("Not closed yet", tuple(m.total - m.closed for m in self.months)),
        ))
        note = (f"The share counts the cases closed: of those, how many closed within {n} working days of "
                f"being logged. A month with no case closed yet shows n/a. The Total row weighs every closed "
                f"case; the Average per month row averages the monthly shares.")
        return Table(TABLE2, head, tuple(rows), chart, note)

    def tables(self) -> list[Table]:
        return [self.table1(), self.table2()]

    def _avg(self, n: int) -> Decimal:
        return ratio(n, len(self.months)) if self.months else Decimal("0.0")


def _share(part: int, whole: int) -> Percent:
    return Percent(ratio(part, whole, 100) if whole else None)


def _month_starts(first: date, last: date) -> list[date]:
    months, d = [], first.replace(day=1)
    while d <= last:
        months.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return months


def build_report(session: Session, cfg: Config, date_from: date, date_to: date, today: date) -> Report:
    """Figures of the cases opened from `date_from` to `date_to` (local dates, both included).

    Months after `today` are left out (nothing can be logged in them yet), so the averages are
    per month elapsed. A case counts as closed within N working days when its status is closed
    and `closed_at` is at most N working days after the day it was opened; one not closed counts
    as late once more than N working days have passed by `today`. Merged shells and category
    `none` are not cases (figures.is_casework).
    """
    cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
    last = min(date_to, today)
    starts = _month_starts(date_from, last) if date_from <= last else []
    cats: dict[date, Counter[str]] = {m: Counter() for m in starts}
    stats: dict[date, Counter[str]] = {m: Counter() for m in starts}
    within: Counter[date] = Counter()
    late: Counter[date] = Counter()
    stmt = select(Case.opened_at, Case.category, Case.status, Case.closed_at).where(
        Case.opened_at >= local_start(cal, date_from),
        Case.opened_at < local_start(cal, last + timedelta(days=1)),
        Case.category.is_not(None), is_casework(),
    )
    n = cfg.sla.closed_within_days
    for opened_at, category, status, closed_at in session.execute(stmt):
        opened = cal.local_date(opened_at)
        month = opened.replace(day=1)
        if month not in cats or category not in CASEWORK_CATEGORIES:
            continue
        cats[month][category] += 1
        stats[month][status.value] += 1
        if status == CaseStatus.closed and closed_at is not None:
            if cal.count_working_days(opened, cal.local_date(closed_at)) <= n:
                within[month] += 1
        elif status != CaseStatus.closed and cal.count_working_days(opened, today) > n:
            late[month] += 1
    months = [
        Month(m, {c: cats[m][c] for c in CASEWORK_CATEGORIES}, {s: stats[m][s] for s in STATUSES},
              within[m], late[m])
        for m in starts
    ]
    return Report(date_from, date_to, today, cfg.office.name, n, months)


def render_markdown(report: Report) -> str:
    out = [f"# Casework report {report.date_from} to {report.date_to}", "", report.office, ""]
    for t in report.tables():
        out += [f"## {t.title}", "", "| " + " | ".join(t.head) + " |",
                "| --- |" + " ---: |" * (len(t.head) - 1)]
        out += ["| " + " | ".join(r) + " |" for r in t.text_rows()]
        out += ["", *([t.note, ""] if t.note else []), mermaid(t.chart), ""]
    return "\n".join(out)


def _excel_text(label: str, is_month: bool) -> str:
    # Excel reads "Apr 2026" in a CSV as a date (1 Apr 2026, shown "Apr-26"); ="..." keeps it text.
    return f'="{label}"' if is_month else label


def render_csv(report: Report) -> str:
    """Both tables as UTF-8 CSV with a byte-order mark (so Excel reads the encoding), blocks split by a
    blank line; month labels written so Excel keeps them as text."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    for i, t in enumerate(report.tables()):
        if i:
            w.writerow([])
        w.writerow([t.title, *t.head[1:]])
        for row in t.text_rows():
            w.writerow([_excel_text(row[0], row[0] not in (TOTAL, AVERAGE)), *row[1:]])
    return buf.getvalue()


def render_html(report: Report, env: Environment) -> str:
    charts = [Markup(svg(t.chart)) for t in report.tables()]
    return add_filters(overlay_env(env)).get_template("report/report.html.j2").render(
        r=report, tables=list(zip(report.tables(), charts, strict=True)), total=TOTAL, average=AVERAGE)


def render_pdf(report: Report, env: Environment) -> bytes:
    """The HTML page printed to PDF by WeasyPrint (A4 landscape, from the page's print styles)."""
    from weasyprint import HTML  # a heavy import, only when a PDF is asked for

    pdf: bytes = HTML(string=render_html(report, env)).write_pdf()
    return pdf


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    filename: str


FORMATS = ("html", "pdf", "xlsx", "csv", "md")


def render(report: Report, fmt: str, env: Environment) -> Rendered:
    """The report in one of FORMATS, as bytes with its media type and a download name."""
    name = f"board-report-{report.date_from}-{report.date_to}.{fmt}"
    if fmt == "md":
        return Rendered(render_markdown(report).encode(), "text/markdown; charset=utf-8", name)
    if fmt == "csv":
        return Rendered(render_csv(report).encode(), "text/csv; charset=utf-8", name)
    if fmt == "html":
        return Rendered(render_html(report, env).encode(), "text/html; charset=utf-8", name)
    if fmt == "xlsx":
        return Rendered(report_workbook(report), XLSX_TYPE, name)
    if fmt == "pdf":
        return Rendered(render_pdf(report, env), "application/pdf", name)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost report`."""
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True,
                        help="first day, YYYY-MM-DD (e.g. 2026-04-01)")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True,
                        help="last day, YYYY-MM-DD, included (e.g. 2027-03-31)")
    parser.add_argument("--format", choices=FORMATS, default="md",
                        help="md: GitHub tables with Mermaid charts; csv: two blocks split by a blank line; "
                             "html: a printable page; xlsx: a workbook with charts; pdf: the page printed")
    parser.add_argument("--output", type=Path, help="write to this file instead of standard output")


def cmd_report(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost report --from D --to D [--format md|csv|html|xlsx|pdf] [--output FILE]`."""
    if args.date_to < args.date_from:
        print("--to is before --from", file=sys.stderr)
        return 2
    today = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region).local_date(utcnow())
    if args.format in ("xlsx", "pdf") and not args.output and sys.stdout.isatty():
        print(f"--format {args.format} is binary: give --output FILE", file=sys.stderr)
        return 2
    with sessions() as s:
        report = build_report(s, cfg, args.date_from, args.date_to, today)
    out = render(report, args.format, template_env())
    if args.output:
        args.output.write_bytes(out.body)
    else:
        sys.stdout.buffer.write(out.body)
        sys.stdout.flush()
    return 0
