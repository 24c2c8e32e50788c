"""The board report: cases logged per month by category, and their current status with the share closed
within cfg.sla.closed_within_days working days; as GitHub markdown, CSV or a standalone HTML page.

CSV layout: two blocks separated by one blank line, each with its own header row; the first cell of
each header names the table ("Cases logged by category" / "Status by month logged"), the rows below
start with the month ("Apr 2026"), then "Total" and "Average per month".
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.reporting.figures import CASEWORK_CATEGORIES, is_casework, local_start, ratio
from bot.templating import overlay_env, template_env
from store.models import Case, CaseStatus, utcnow

STATUSES: tuple[str, ...] = tuple(s.value for s in CaseStatus)
TABLE1 = "Cases logged by category"
TABLE2 = "Status by month logged"


@dataclass(frozen=True)
class Month:
    """Figures of the cases logged in one local calendar month."""

    start: date
    by_category: dict[str, int]
    by_status: dict[str, int]
    closed_within: int

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y}"

    @property
    def total(self) -> int:
        return sum(self.by_category.values())


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

    def table1(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows (months, Total, Average per month) of cases logged by category."""
        head = ["Month", *self.categories, "total"]
        rows = [[m.label, *(str(m.by_category[c]) for c in self.categories), str(m.total)]
                for m in self.months]
        totals = [sum(m.by_category[c] for m in self.months) for c in self.categories]
        grand = sum(totals)
        rows.append(["Total", *map(str, totals), str(grand)])
        rows.append(["Average per month", *(self._avg(n) for n in totals), self._avg(grand)])
        return head, rows

    def table2(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of current status by month logged, with the share closed in time."""
        within = f"closed within {self.closed_within_days} working days"
        head = ["Month logged", *(s.replace("_", " ") for s in STATUSES), "total", within, f"% {within}"]
        rows = [[m.label, *(str(m.by_status[s]) for s in STATUSES), str(m.total), str(m.closed_within),
                 _share(m.closed_within, m.total)] for m in self.months]
        totals = [sum(m.by_status[s] for m in self.months) for s in STATUSES]
        grand, inside = sum(totals), sum(m.closed_within for m in self.months)
        rows.append(["Total", *map(str, totals), str(grand), str(inside), _share(inside, grand)])
        # The average month's share is the share over the whole period (weighted by cases).
        rows.append(["Average per month", *(self._avg(n) for n in totals), self._avg(grand),
                     self._avg(inside), _share(inside, grand)])
        return head, rows

    def _avg(self, n: int) -> str:
        return str(ratio(n, len(self.months))) if self.months else "0.0"


def _share(part: int, whole: int) -> str:
    return f"{ratio(part, whole, 100)}%" if whole else "-"


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
    and `closed_at` is at most N working days after the day it was opened.
    """
    cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
    last = min(date_to, today)
    starts = _month_starts(date_from, last) if date_from <= last else []
    cats: dict[date, Counter[str]] = {m: Counter() for m in starts}
    stats: dict[date, Counter[str]] = {m: Counter() for m in starts}
    within: Counter[date] = Counter()
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
    months = [
        Month(m, {c: cats[m][c] for c in CASEWORK_CATEGORIES}, {s: stats[m][s] for s in STATUSES}, within[m])
        for m in starts
    ]
    return Report(date_from, date_to, today, cfg.office.name, n, months)


def render_markdown(report: Report) -> str:
    out = [f"# Casework report {report.date_from} to {report.date_to}", "", report.office, ""]
    for title, (head, rows) in ((TABLE1, report.table1()), (TABLE2, report.table2())):
        out += [f"## {title}", "", "| " + " | ".join(head) + " |",
                "| --- |" + " ---: |" * (len(head) - 1)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        out.append("")
    return "\n".join(out)


def render_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, (title, (head, rows)) in enumerate(((TABLE1, report.table1()), (TABLE2, report.table2()))):
        if i:
            w.writerow([])
        w.writerow([title, *head[1:]])
        w.writerows(rows)
    return buf.getvalue()


REPORT_CSS = "web/static/report.css"  # under the templates directory


def render_html(report: Report, env: Environment, stylesheet: str | None = None) -> str:
    """The report as one page: the style inlined (a file to keep or print), or linked from
    `stylesheet` (the dashboard, whose content security policy allows no inline style)."""
    tables = [(TABLE1, *report.table1()), (TABLE2, *report.table2())]
    html = overlay_env(env)
    css = "" if stylesheet or html.loader is None else html.loader.get_source(html, REPORT_CSS)[0]
    return html.get_template("report/report.html.j2").render(
        r=report, tables=tables, stylesheet=stylesheet, inline_css=css)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost report`."""
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True,
                        help="first day, YYYY-MM-DD (e.g. 2026-04-01)")
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True,
                        help="last day, YYYY-MM-DD, included (e.g. 2027-03-31)")
    parser.add_argument("--format", choices=("md", "csv", "html"), default="md",
                        help="md: GitHub tables; csv: two blocks split by a blank line; html: a page")
    parser.add_argument("--output", type=Path, help="write to this file instead of standard output")


def cmd_report(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost report --from D --to D [--format md|csv|html] [--output FILE]`."""
    if args.date_to < args.date_from:
        print("--to is before --from", file=sys.stderr)
        return 2
    today = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region).local_date(utcnow())
    with sessions() as s:
        report = build_report(s, cfg, args.date_from, args.date_to, today)
    if args.format == "md":
        text = render_markdown(report)
    elif args.format == "csv":
        text = render_csv(report)
    else:
        text = render_html(report, template_env())
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
