"""Managers' pages: case counts at a glance and the board report (bot/reporting/report.py) on demand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from bot.casework import calendar
from bot.reporting import report as board_report
from bot.web.common import deps, render_page, require_manager
from store.merged import is_live
from store.models import Case, CaseStatus


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
        table: dict[str, dict[str, int]] = {}
        for category, status, n in rows:
            table.setdefault(category or "(none)", {})[status.value] = n
        start, end = _financial_year(calendar(cfg).local_date(now))
        return {"table": dict(sorted(table.items())), "statuses": [st.value for st in CaseStatus],
                "date_from": start, "date_to": end}

    return await render_page(request, "reports.html", build)


def _date(request: Request, key: str) -> date:
    try:
        return date.fromisoformat(request.query_params.get(key, ""))
    except ValueError as exc:
        raise HTTPException(400, f"{key}: a date as YYYY-MM-DD") from exc


async def board(request: Request) -> Response:
    """The board report for ?from=&to=&format=html|csv|md."""
    require_manager(request)
    d = deps(request)
    first, last = _date(request, "from"), _date(request, "to")
    fmt = request.query_params.get("format", "html")
    if last < first or fmt not in ("html", "csv", "md"):
        raise HTTPException(400, "choose a period that ends after it starts, and html, csv or md")

    def build() -> str:
        today = calendar(d.cfg).local_date(d.clock())
        with d.sessions() as s:
            r = board_report.build_report(s, d.cfg, first, last, today)
        if fmt == "csv":
            return board_report.render_csv(r)
        if fmt == "md":
            return board_report.render_markdown(r)
        return board_report.render_html(r, d.replies, stylesheet="/static/report.css")

    body = await run_in_threadpool(build)
    if fmt == "html":
        return HTMLResponse(body)
    media = "text/csv" if fmt == "csv" else "text/markdown"
    name = f"board-report-{first}-{last}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return PlainTextResponse(body, media_type=media, headers=disposition)
