"""Dashboard duties of a public body: access log, subject access export, erasure, rectification,
legal hold, retention release and contact arrangements (managers only, except corrections)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.privacy.erasure import RECTIFIABLE, ErasureRefused, erase_person, rectify_person
from bot.privacy.people import PersonNotFound
from bot.privacy.sar import export_person
from bot.templating import template_env
from bot.web.common import deps, flash, in_transaction, redirect, render_page, require_manager, user
from store.access import access_by_user, access_for_case, record_access
from store.arrangements import ArrangementError, end_arrangement, set_arrangement
from store.models import Case, Event, Person


async def log_access(request: Request, action: str, *, ref: str | None = None, **detail: Any) -> None:
    """Record who looked (a case page, a search) in a transaction of its own."""
    me = user(request)

    def work(s: Session, now: datetime) -> None:
        case_id = s.scalar(select(Case.id).where(Case.reference == ref)) if ref else None
        if ref and case_id is None:
            return  # the page answers 404; nothing was seen
        record_access(s, me.name, action, now, case_id=case_id, **detail)

    await in_transaction(request, work)


async def access_page(request: Request) -> Response:
    """GET /access?case=REF or ?user=NAME: who looked at a case, or what a user looked at."""
    require_manager(request)
    ref = request.query_params.get("case", "").strip().upper()
    who = request.query_params.get("user", "").strip()

    def build(s: Session, now: datetime) -> dict[str, Any]:
        rows: list[tuple[Any, str | None]] = []
        if ref:
            case = s.scalar(select(Case).where(Case.reference == ref))
            if case is None:
                raise HTTPException(404, f"no case {ref}")
            rows = [(r, ref) for r in access_for_case(s, case.id)]
        elif who:
            rows = access_by_user(s, who)
        return {"ref": ref, "who": who, "rows": rows}

    return await render_page(request, "access.html", build)


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _person(s: Session, case: Case) -> Person:
    person = s.get(Person, case.person_id) if case.person_id else None
    if person is None:
        raise ErasureRefused("this case has no single person (a campaign?): act on a participant's own case")
    return person


def _hold(s: Session, case: Case, form: FormData, me: str, now: datetime) -> str:
    hold = _field(form, "hold") == "on"
    reason = _field(form, "reason")
    if not reason:
        raise ErasureRefused("give the reason for placing or lifting the hold")
    case.legal_hold = hold
    s.add(Event(at=now, case_id=case.id, actor=me, kind="legal_hold", detail={"held": hold, "reason": reason}))
    return "Legal hold placed: the case is kept whatever the retention schedule says." if hold else (
        "Legal hold lifted.")


def _release(s: Session, case: Case, form: FormData, me: str, now: datetime) -> str:
    if not case.urgent:
        raise ErasureRefused("only urgent cases wait for release; this one follows the schedule")
    case.retention_released_at = now
    s.add(Event(at=now, case_id=case.id, actor=me, kind="retention_released",
                detail={"released": True, "reason": _field(form, "reason")}))
    return "Released: the retention schedule now applies to this urgent case."


def _erase(s: Session, case: Case, form: FormData, me: str, now: datetime) -> str:
    if _field(form, "confirm") != case.reference:
        raise ErasureRefused(f"type the reference {case.reference} to confirm the erasure")
    done = erase_person(s, _person(s, case), me, _field(form, "reason"), now)
    held = f" Kept under legal hold: {', '.join(done.held)}." if done.held else ""
    return f"Erased: {done.scrubbed.cases} case(s) and {done.scrubbed.contacts} message(s) anonymised.{held}"


def _rectify(s: Session, case: Case, form: FormData, me: str, now: datetime) -> str:
    changes = {k: _field(form, k) for k in RECTIFIABLE if _field(form, k)}
    changed = rectify_person(s, _person(s, case), me, _field(form, "reason"), now, **changes)
    return f"Corrected: {', '.join(changed)}."


def _arrange(s: Session, case: Case, form: FormData, me: str, now: datetime) -> str:
    try:
        review_on = date.fromisoformat(_field(form, "review_on"))
    except ValueError as exc:
        raise ArrangementError("give the review date as YYYY-MM-DD") from exc
    row = set_arrangement(s, _person(s, case), caseworker=_field(form, "caseworker"), review_on=review_on,
                          reason=_field(form, "reason"), actor=me, now=now, case=case)
    return f"Contact arrangement recorded: new messages go to {row.caseworker}; review by {row.review_on}."


def _end_arrangement(s: Session, case: Case, form: FormData, me: str, now: datetime) -> str:
    end_arrangement(s, _person(s, case), actor=me, now=now, reason=_field(form, "reason"), case=case)
    return "Contact arrangement ended."


Action = Callable[[Session, Case, FormData, str, datetime], str]
MANAGER_ACTIONS: dict[str, Action] = {
    "hold": _hold, "release": _release, "erase": _erase, "arrange": _arrange, "end_arrangement": _end_arrangement,
}
ANYONE_ACTIONS: dict[str, Action] = {"rectify": _rectify}


async def privacy_action(request: Request) -> Response:
    """POST /case/{ref}/privacy/{action}: one duty action, committed, back to the case with a message."""
    ref, name = request.path_params["ref"], request.path_params["action"]
    act = MANAGER_ACTIONS.get(name) or ANYONE_ACTIONS.get(name)
    if act is None:
        raise HTTPException(404, f"no action {name!r}")
    me = require_manager(request) if name in MANAGER_ACTIONS else user(request)
    form = await request.form()

    def work(s: Session, now: datetime) -> str:
        case = s.scalar(select(Case).where(Case.reference == ref))
        if case is None:
            raise HTTPException(404, f"no case {ref}")
        return act(s, case, form, me.name, now)

    try:
        message = await in_transaction(request, work)
    except (ErasureRefused, ArrangementError, ValueError) as exc:
        flash(request, str(exc), "error")
        return redirect(f"/case/{quote(ref)}")
    flash(request, message)
    return redirect(f"/case/{quote(ref)}")


async def sar_export(request: Request) -> Response:
    """POST /case/{ref}/sar: the subject access zip of the case's person, as a download."""
    me = require_manager(request)
    ref = request.path_params["ref"]
    d = deps(request)

    def work(s: Session, now: datetime) -> tuple[bytes, str]:
        export = export_person(s, d.cfg, ref, by=me.name, env=template_env(), now=now)
        return export.data, f"sar-{ref}-{now:%Y%m%d}.zip"

    try:
        data, filename = await in_transaction(request, work)
    except PersonNotFound as exc:
        flash(request, str(exc), "error")
        return redirect(f"/case/{quote(ref)}")
    return Response(data, media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})
