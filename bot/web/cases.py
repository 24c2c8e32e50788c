"""The case list: combined filters, saved views per user, CSV and Excel exports, and bulk actions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.casework import calendar
from bot.config import AGENCIES, CATEGORIES, Config
from bot.escalation import notify_assignment
from bot.reporting.xlsx import XLSX_TYPE, rows_workbook
from bot.web.common import Deps, deps, flash, in_transaction, redirect, render_page, user
from bot.web.privacy import log_access
from bot.words import agency_name, category_name, channel_name, status_name
from store import actions, casefilter
from store.casefilter import NOBODY, SORTS, CaseFilter
from store.models import Campaign, Case, CaseStatus, CaseTag, Person, SavedView, User

PAGE_SIZE = 50
CHANNELS = ("email", "telegram", "phone", "letter")
FILTER_KEYS = ("status", "category", "agency", "assigned", "channel", "from", "to", "urgent", "campaign", "member",
               "tag", "q", "sort")
EXPORT_HEAD = ("Reference", "Opened", "Status", "Category", "Signposted to", "Urgent", "Channel", "Assigned to",
               "Person", "Subject", "Acknowledge by", "Respond by", "Acknowledged", "Responded", "Closed",
               "Campaign", "Member correspondence", "Tags")


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _day(params: QueryParams, key: str) -> date | None:
    text = params.get(key, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise HTTPException(400, f"{key}: a date as YYYY-MM-DD") from exc


def parse_filter(params: QueryParams, cfg: Config, me: str) -> CaseFilter:
    """The filter a query string asks for; unknown values are refused (400), empty ones ignored."""
    statuses = []
    for v in params.getlist("status"):
        try:
            statuses.append(CaseStatus(v))
        except ValueError as exc:
            raise HTTPException(400, f"no status {v!r}") from exc
    cats = tuple(v for v in params.getlist("category") if v)
    agencies = tuple(v for v in params.getlist("agency") if v)
    channels = tuple(v for v in params.getlist("channel") if v)
    if set(cats) - set(CATEGORIES) or set(agencies) - set(AGENCIES) or set(channels) - set(CHANNELS):
        raise HTTPException(400, "an unknown category, agency or channel")
    assigned = params.get("assigned", "").strip()
    cal = calendar(cfg)
    first, last = _day(params, "from"), _day(params, "to")
    return CaseFilter(
        statuses=tuple(statuses), categories=cats, agencies=agencies,
        assignee=me if assigned == "me" else (assigned or None), channels=channels,
        opened_from=cal.start_of_day(first) if first else None,
        opened_before=cal.start_of_day(last + timedelta(days=1)) if last else None,
        urgent=_yes_no(params.get("urgent", "")), campaign=_yes_no(params.get("campaign", "")),
        member=_yes_no(params.get("member", "")),
        tags=tuple(t for t in params.getlist("tag") if t), text=params.get("q", "").strip()[:200],
        sort=params.get("sort", "queue") if params.get("sort", "queue") in SORTS else "queue",
    )


def filter_query(params: QueryParams) -> str:
    """The filter part of a query string (no page), as saved views keep it."""
    return urlencode([(k, v) for k, v in params.multi_items() if k in FILTER_KEYS and v])


def bulk_context(s: Session) -> dict[str, Any]:
    """What the bulk form offers: the active users, the tags in use and the statuses."""
    return {
        "users": list(s.scalars(select(User.name).where(User.active.is_(True)).order_by(User.name))),
        "tags": [f"{k}:{n}" for k, n in s.execute(select(CaseTag.kind, CaseTag.name).distinct()
                                                   .order_by(CaseTag.kind, CaseTag.name).limit(500))],
        "statuses": list(CaseStatus),
    }


def _context(s: Session, me: str) -> dict[str, Any]:
    return {
        **bulk_context(s),
        "views": list(s.scalars(select(SavedView).where(SavedView.user_name == me).order_by(SavedView.name))),
        "categories": CATEGORIES, "agencies": AGENCIES, "channels": CHANNELS,
        "sorts": [("queue", "Urgent first, then respond-by"), ("newest", "Newest first"),
                  ("oldest", "Oldest first"), ("respond_by", "Respond-by date"),
                  ("last_action", "Longest without action")],
        "nobody": NOBODY,
    }


async def case_list(request: Request) -> Response:
    me = user(request).name
    d = deps(request)
    f = parse_filter(request.query_params, d.cfg, me)
    try:
        number = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        number = 1
    query = filter_query(request.query_params)
    if f.text:
        await log_access(request, "search", query=f.text)

    def build(s: Session, now: datetime) -> dict[str, Any]:
        prefix = d.cfg.office.reference_prefix
        total = casefilter.count(s, f, prefix=prefix)
        cases = casefilter.page(s, f, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE, prefix=prefix)
        return {**_context(s, me), "cases": cases, "total": total, "number": number, "page_size": PAGE_SIZE,
                "params": request.query_params, "query": query, "today": calendar(d.cfg).local_date(now),
                "filtered": not f.is_empty(), "back": request.url.path + (f"?{request.url.query}" if
                                                                            request.url.query else "")}

    return await render_page(request, "cases.html", build)


def _guard(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=, +, -, @) is kept as text (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _export_rows(s: Session, f: CaseFilter, cfg: Config) -> Iterator[list[Any]]:
    """The export's rows in the list's order: plain columns in batches, tags fetched per batch."""
    tz = cfg.office.tz
    stmt = (
        casefilter.filtered(s, f, prefix=cfg.office.reference_prefix)
        .with_only_columns(Case.id, Case.reference, Case.opened_at, Case.status, Case.category, Case.agency,
                           Case.urgent, Case.channel, Case.assigned_to, Person.name, Case.subject,
                           Case.acknowledge_by, Case.respond_by, Case.acknowledged_at, Case.responded_at,
                           Case.closed_at, Campaign.title, Case.member_correspondence)
        .outerjoin(Person, Case.person_id == Person.id)
        .outerjoin(Campaign, Case.campaign_id == Campaign.id)
    )

    def local(at: datetime | None) -> str:
        return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at else ""

    for batch in s.execute(stmt.execution_options(yield_per=2000)).partitions():
        tags: dict[int, list[str]] = {}
        for case_id, kind, name in s.execute(select(CaseTag.case_id, CaseTag.kind, CaseTag.name)
                                             .where(CaseTag.case_id.in_([r[0] for r in batch]))
                                             .order_by(CaseTag.kind, CaseTag.name)):
            tags.setdefault(case_id, []).append(f"{kind}:{name}")
        for (cid, ref, opened, status, cat, agency, urgent, channel, owner, person, subject, ack_by, resp_by,
             acked, responded, closed, campaign, member) in batch:
            yield [_guard(v) for v in (
                ref, local(opened), status_name(status), category_name(cat), agency_name(agency),
                "yes" if urgent else "no", channel_name(channel), owner or "", person or "", subject,
                ack_by.isoformat(), resp_by.isoformat(), local(acked), local(responded), local(closed),
                campaign or "", "yes" if member else "no", ", ".join(tags.get(cid, [])))]


async def export(request: Request) -> Response:
    """The filtered list as CSV (UTF-8 with BOM) or an Excel workbook, every matching case."""
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, f"no export format {fmt!r}")
    me = user(request).name
    d = deps(request)
    f = parse_filter(request.query_params, d.cfg, me)

    await log_access(request, "export", query=filter_query(request.query_params), format=fmt)

    def build() -> bytes:
        with d.sessions() as s:
            rows = _export_rows(s, f, d.cfg)
            if fmt == "xlsx":
                return rows_workbook("Cases", EXPORT_HEAD, rows)
            buf = io.StringIO()
            buf.write("\ufeff")
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(EXPORT_HEAD)
            w.writerows(rows)
            return buf.getvalue().encode()

    body = await run_in_threadpool(build)
    stamp = d.clock().astimezone(d.cfg.office.tz).strftime("%Y-%m-%d")
    media = XLSX_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="cases-{stamp}.{fmt}"'})


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _back(form: FormData) -> str:
    target = _field(form, "back")
    return target if target.startswith("/") and not target.startswith("//") else "/cases"


async def save_view(request: Request) -> Response:
    me = user(request).name
    form = await request.form()
    name, query = _field(form, "name")[:80], _field(form, "query")

    def work(s: Session, now: datetime) -> None:
        old = s.scalar(select(SavedView).where(SavedView.user_name == me, SavedView.name == name))
        if old is not None:
            old.query = query
        else:
            s.add(SavedView(user_name=me, name=name, query=query, created_at=now))

    if not name:
        flash(request, "Give the view a name.", "error")
        return redirect(f"/cases?{query}")
    try:
        await in_transaction(request, work)
    except IntegrityError:
        flash(request, f"A view named {name} was saved at the same moment; try again.", "error")
        return redirect(f"/cases?{query}")
    flash(request, f"View “{name}” saved.")
    return redirect(f"/cases?{query}")


async def delete_view(request: Request) -> Response:
    me = user(request).name
    vid: int = request.path_params["id"]

    def work(s: Session, now: datetime) -> str:
        view = s.get(SavedView, vid)
        if view is None or view.user_name != me:
            raise HTTPException(404, "no such saved view")
        s.delete(view)
        return view.name

    name = await in_transaction(request, work)
    flash(request, f"View “{name}” deleted.")
    return redirect("/cases")


def _bulk_one(s: Session, case: Case, action: str, form: FormData, me: str, now: datetime,
              users: set[str], d: Deps) -> str | None:
    """Apply one bulk action to one case; a short reason when it was skipped."""
    if action == "assign":
        who = _field(form, "user")
        who = me if who == "me" else who
        if who and who not in users:
            raise actions.ActionError(f"no active user {who}")
        if case.assigned_to == (who or None):
            return "already so"
        actions.assign(s, case, me, who or None, now=now)
        notify_assignment(s, d.cfg, d.replies, case, me, who or None, now)
    elif action == "status":
        try:
            status = CaseStatus(_field(form, "status"))
        except ValueError as exc:
            raise actions.ActionError("choose a status") from exc
        if status is CaseStatus.closed:
            raise actions.ActionError("close cases with “Close with a reason”")
        if case.status is status:
            return "already so"
        if case.status is CaseStatus.closed:
            actions.reopen(s, case, me, reason="bulk status change", now=now)
        actions.set_status(s, case, me, status, now=now)
    elif action == "tag":
        kind, name = actions.parse_tag(_field(form, "tag"))
        if actions.add_tag(s, case, me, kind, name, now=now) is None:
            return "already tagged"
    elif action == "close":
        reason = _field(form, "reason")
        if not reason:
            raise actions.ActionError("give the reason for closing")
        if case.status is CaseStatus.closed:
            return "already closed"
        actions.set_status(s, case, me, CaseStatus.closed, reason=reason, now=now)
    else:
        raise actions.ActionError("choose an action")
    return None


async def bulk(request: Request) -> Response:
    """Assign, set the status of, tag or close every selected case, one event each; then say what happened."""
    me = user(request).name
    form = await request.form()
    refs = [r for r in form.getlist("ref") if isinstance(r, str) and r][:500]
    action = _field(form, "action")
    back = _back(form)
    d = deps(request)
    if not refs:
        flash(request, "Select at least one case.", "error")
        return redirect(back)

    def work(s: Session, now: datetime) -> tuple[list[str], list[str]]:
        users = set(s.scalars(select(User.name).where(User.active.is_(True))))
        done: list[str] = []
        skipped: list[str] = []
        cases = s.scalars(select(Case).where(Case.reference.in_(refs)).order_by(Case.reference).with_for_update())
        for case in cases:
            why = _bulk_one(s, case, action, form, me, now, users, d)
            (skipped if why else done).append(case.reference + (f" ({why})" if why else ""))
        return done, skipped

    try:
        done, skipped = await in_transaction(request, work)
    except actions.ActionError as exc:
        flash(request, f"Nothing changed: {exc}.", "error")
        return redirect(back)
    verb = {"assign": "Assigned", "status": "Status set for", "tag": "Tagged", "close": "Closed"}.get(action, "Changed")
    flash(request, f"{verb} {len(done)} case{'s' if len(done) != 1 else ''}"
                   + (f": {', '.join(done[:20])}{' ...' if len(done) > 20 else ''}." if done else "."))
    if skipped:
        flash(request, f"Left as they were: {', '.join(skipped[:20])}.", "info")
    if action == "assign" and d.on_outbox is not None:
        d.on_outbox()
    return redirect(back)
