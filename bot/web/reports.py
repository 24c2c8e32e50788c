"""Managers' pages: case counts at a glance, the board report (bot/reporting/report.py) on demand, and the
trends of the contacts' own words (bot/reporting/trends.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.casework import calendar
from bot.reporting import report as board_report
from bot.reporting.trends import week_and_month
from bot.web.common import deps, render_page, require_manager
from bot.web.security import report_csp
from bot.words import category_name
from store.merged import is_live
from store.models import Case, CaseStatus

# Button labels of the board report's formats, in the order the page offers them.
REPORT_FORMATS = [("html", "Web page"), ("pdf", "PDF"), ("xlsx", "Excel workbook"), ("csv", "CSV"),
                  ("md", "Markdown")]


def _financial_year(today: date) -> tuple[date, date]:
    """April to March, the year boards report on."""
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return start, date(start.year + 1, 3, 31)


async def reports(request: Request) -> Response:
    require_manager(request)
    cfg = deps(request).cfg

    def build(s: Session, now: datetime) -> dict[str, Any]:
        rows = s.execute(
            select(Case.category, Case.status, func.count(Case.id)).where(is_live())
            .group_by(Case.category, Case.status)
        )
        table: dict[str | None, dict[str, int]] = {}
        for category, status, n in rows:
            table.setdefault(category, {})[status.value] = n
        start, end = _financial_year(calendar(cfg).local_date(now))
        return {"table": dict(sorted(table.items(), key=lambda kv: category_name(kv[0]))),
                "statuses": [st.value for st in CaseStatus], "date_from": start, "date_to": end,
                "formats": REPORT_FORMATS, "closed_within_days": cfg.sla.closed_within_days}

    return await render_page(request, "reports.html", build)


def _date(request: Request, key: str) -> date:
    try:
        return date.fromisoformat(request.query_params.get(key, ""))
    except ValueError as exc:
        raise HTTPException(400, f"{key}: a date as YYYY-MM-DD") from exc


async def board(request: Request) -> Response:
    """The board report for ?from=&to=&format= (html is shown; the other formats are downloads)."""
    require_manager(request)
    d = deps(request)
    first, last = _date(request, "from"), _date(request, "to")
    fmt = request.query_params.get("format", "html")
    if last < first or fmt not in board_report.FORMATS:
        raise HTTPException(400, "choose a period that ends after it starts, and one of "
                                 + ", ".join(board_report.FORMATS))

    def build() -> board_report.Rendered:
        today = calendar(d.cfg).local_date(d.clock())
        with d.sessions() as s:
            r = board_report.build_report(s, d.cfg, first, last, today)
        return board_report.render(r, fmt, d.replies)

    out = await run_in_threadpool(build)
    headers = ({"Content-Security-Policy": report_csp(out.body)} if fmt == "html"
               else {"Content-Disposition": f'attachment; filename="{out.filename}"'})
    return Response(out.body, media_type=out.media_type, headers=headers)


async def trends(request: Request) -> Response:
    """Topics rising this week and this month in the contacts' own words (bot/reporting/trends.py)."""
    require_manager(request)
    cfg = deps(request).cfg

    def build(s: Session, now: datetime) -> dict[str, Any]:
        return {"views": week_and_month(s, cfg, now), "min_cases": cfg.trends.min_cases}

    return await render_page(request, "trends.html", build)
