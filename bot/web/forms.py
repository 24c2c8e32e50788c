"""POST handlers: case actions, campaign response, login and logout (CSRF checked by the guard)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from jinja2 import Environment
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.campaign_send import CampaignSendError, check_text, queue_campaign_response
from bot.casework import due_dates, msgid_domain
from bot.config import AGENCIES, CATEGORIES, Config
from bot.escalation import notify_assignment
from bot.users import SignedIn, authenticate
from bot.web.common import deps, flash, in_transaction, redirect, render_plain, user
from bot.web.files import read_uploads
from bot.web.pages import campaign as campaign_page
from bot.web.security import csrf_token
from bot.web.throttle import LoginThrottle
from bot.words import agency_name, category_name, status_name
from handlers.safetext import header_text
from store import actions
from store.models import Campaign, CampaignRecipient, Case, CaseStatus, Contact, Direction, Event, User
from store.replies import NoRoute

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Act:
    """One action request: the open session, the case, who, the form, when, and the config."""

    s: Session
    case: Case
    actor: str
    form: FormData
    now: datetime
    cfg: Config
    replies: Environment

    def field(self, name: str) -> str:
        value = self.form.get(name, "")
        return value.strip() if isinstance(value, str) else ""



def _assign(a: Act) -> str:
    who = a.field("user") or None
    if who == "me":
        who = a.actor
    if who is not None and a.s.scalar(select(User.id).where(User.name == who, User.active.is_(True))) is None:
        raise actions.ActionError(f"no active user {who}")
    actions.assign(a.s, a.case, a.actor, who, now=a.now)
    mailed = notify_assignment(a.s, a.cfg, a.replies, a.case, a.actor, who, a.now)
    if who == a.actor:
        return "Assigned to you."
    return (f"Assigned to {who}" + (" (emailed)." if mailed else ".")) if who else "Unassigned."


def _status(a: Act) -> str:
    try:
        status = CaseStatus(a.field("status"))
    except ValueError as exc:
        raise actions.ActionError("choose a status") from exc
    actions.set_status(a.s, a.case, a.actor, status, reason=a.field("reason"), now=a.now)
    return f"Status set to {status_name(status).lower()}."


def _reopen(a: Act) -> str:
    actions.reopen(a.s, a.case, a.actor, reason=a.field("reason"), now=a.now)
    return "Case re-opened."


def _reclassify(a: Act) -> str:
    category = a.field("category")
    if category not in CATEGORIES:
        raise actions.ActionError("choose a category")
    actions.reclassify(a.s, a.case, a.actor, category, now=a.now)
    return f"Category set to {category_name(category)}."


def _resignpost(a: Act) -> str:
    agency = a.field("agency")
    if agency not in AGENCIES:
        raise actions.ActionError("choose an agency")
    actions.resignpost(a.s, a.case, a.actor, agency, now=a.now)
    return f"Signposted to {agency_name(agency)}."


def _tag(a: Act) -> str:
    kind, name = actions.parse_tag(a.field("tag"))
    if actions.add_tag(a.s, a.case, a.actor, kind, name, now=a.now) is None:
        return f"The case already has the tag {kind}:{name}."
    return f"Tagged {kind}:{name}."


def _untag(a: Act) -> str:
    kind, name = actions.parse_tag(a.field("tag"))
    if not actions.remove_tag(a.s, a.case, a.actor, kind, name, now=a.now):
        raise actions.ActionError(f"the case has no tag {kind}:{name}")
    return f"Tag {kind}:{name} removed."


def _note(a: Act) -> str:
    actions.add_note(a.s, a.case, a.actor, a.field("text"), now=a.now)
    return "Note added."


def _record(a: Act) -> str:
    direction = Direction.outbound if a.field("direction") == "out" else Direction.inbound
    actions.record_contact(a.s, a.case, a.actor, channel=a.field("channel"), direction=direction,
                           summary=a.field("summary"), subject=a.field("subject"), now=a.now)
    return "Contact recorded."


def _merge(a: Act) -> str:
    other_ref = a.field("other").upper()
    other = a.s.scalar(select(Case).where(Case.reference == other_ref))
    if other is None:
        raise actions.ActionError(f"no case {other_ref}")
    actions.merge(a.s, a.case, other, a.actor, now=a.now)
    return f"{other.reference} merged into this case."


def _split(a: Act) -> str:
    cfg = a.cfg
    contact = a.s.get(Contact, int(a.field("contact_id") or 0))
    if contact is None or contact.case_id != a.case.id:
        raise actions.ActionError("that contact is not part of this case")
    decision = contact.decision
    ack_by, respond_by = due_dates(cfg, contact.at, decision.category if decision else a.case.category)
    new = actions.split_contact(a.s, contact, a.actor, prefix=cfg.office.reference_prefix,
                                acknowledge_by=ack_by, respond_by=respond_by, now=a.now)
    return f"Contact moved to the new case {new.reference}."


def _reply(a: Act) -> str:
    cfg = a.cfg
    text = a.field("text")
    if "[Write the response here.]" in text:
        raise actions.ActionError("replace the bracketed line with your response before sending")
    to_contact = a.s.get(Contact, int(a.field("to"))) if a.field("to").isdigit() else None
    if a.field("to") and to_contact is None:
        raise actions.ActionError("choose who the reply goes to")
    files = read_uploads(a.form.getlist("files"), cfg.attachments)
    try:
        actions.queue_reply(a.s, a.case, a.actor, subject=a.field("subject") or a.case.subject,
                            text=text + "\n", msgid_domain=msgid_domain(cfg), sender=cfg.office.mailbox,
                            to_contact=to_contact, now=a.now, files=files)
    except (NoRoute, ValueError) as exc:
        raise actions.ActionError(str(exc)) from exc
    return "Reply queued for sending" + (f" with {len(files)} attachment(s)." if files else ".")


ACTIONS: dict[str, Callable[[Act], str]] = {
    "assign": _assign,
    "status": _status,
    "reopen": _reopen,
    "reclassify": _reclassify,
    "resignpost": _resignpost,
    "note": _note,
    "tag": _tag,
    "untag": _untag,
    "record": _record,
    "merge": _merge,
    "split": _split,
    "reply": _reply,
}


async def case_action(request: Request) -> Response:
    """Run one action on a case, commit, and go back to the case page with a message."""
    ref, name = request.path_params["ref"], request.path_params["action"]
    act = ACTIONS.get(name)
    if act is None:
        raise HTTPException(404, f"no action {name!r}")
    form = await request.form()
    me = user(request)
    d = deps(request)

    def work(s: Session, now: datetime) -> str:
        case = s.scalar(select(Case).where(Case.reference == ref).with_for_update())
        if case is None:
            raise HTTPException(404, f"no case {ref}")
        if case.merged_into_id is not None and name != "note":
            into = s.get(Case, case.merged_into_id)
            raise actions.ActionError(f"{ref} was merged into {into.reference if into else 'another case'}: "
                                      "act on that case")
        return act(Act(s, case, me.name, form, now, d.cfg, d.replies))

    try:
        message = await in_transaction(request, work)
    except actions.ActionError as exc:
        flash(request, str(exc), "error")
        return redirect(f"/case/{quote(ref)}")
    flash(request, message)
    if name in ("reply", "assign") and d.on_outbox is not None:
        d.on_outbox()
    return redirect(f"/case/{quote(ref)}")


async def campaign_response(request: Request) -> Response:
    """Set the response later participants of a campaign receive."""
    cid: int = request.path_params["id"]
    form = await request.form()
    raw = form.get("response", "")
    text = raw.strip() if isinstance(raw, str) else ""
    me = user(request)

    def work(s: Session, now: datetime) -> None:
        row = s.get(Campaign, cid)
        if row is None:
            raise HTTPException(404, f"no campaign {cid}")
        old = row.response
        row.response = text or None
        if row.case is not None:
            actions.record_event(s, row.case, me.name, "campaign_response",
                                 {"campaign_id": cid, "set": bool(text), "had": bool(old)}, now)
        else:
            s.add(Event(at=now, actor=me.name, kind="campaign_response",
                        detail={"campaign_id": cid, "set": bool(text), "had": bool(old)}))

    await in_transaction(request, work)
    flash(request, "Campaign response saved." if text else "Campaign response cleared.")
    return redirect(f"/campaign/{cid}")


async def campaign_respond(request: Request) -> Response:
    """Preview, then queue, one copy of a response per participant; optionally for later writers too."""
    cid: int = request.path_params["id"]
    form = await request.form()
    text = str(form.get("text", "")).strip()
    to_existing, to_later = form.get("to_existing") == "yes", form.get("to_later") == "yes"
    me, d = user(request), deps(request)
    if form.get("step") != "send":
        return await campaign_page(request, preview={"text": text, "to_existing": to_existing, "to_later": to_later})

    def work(s: Session, now: datetime) -> str:
        row = s.get(Campaign, cid)
        if row is None:
            raise HTTPException(404, f"no campaign {cid}")
        if not to_existing:
            if not to_later:
                raise CampaignSendError("choose who receives it: those who already wrote, those who write later, "
                                        "or both")
            old, row.response = row.response, check_text(text)
            if row.case is not None:
                actions.record_event(s, row.case, me.name, "campaign_response",
                                     {"campaign_id": cid, "set": True, "had": bool(old)}, now)
            return "Saved: everyone who writes from now on receives this response."
        send = queue_campaign_response(s, d.cfg, d.replies, row, me.name, text, also_later=to_later, now=now)
        n = s.scalar(select(func.count(CampaignRecipient.id)).where(CampaignRecipient.send_id == send.id)) or 0
        later = " It also goes to everyone who writes from now on." if to_later else ""
        return f"Queued {n} individual repl{'y' if n == 1 else 'ies'}, each with its own name.{later}"

    try:
        message = await in_transaction(request, work)
    except CampaignSendError as exc:
        flash(request, str(exc), "error")
        return redirect(f"/campaign/{cid}")
    flash(request, message)
    if d.on_outbox is not None:
        d.on_outbox()
    return redirect(f"/campaign/{cid}")


def _safe_next(target: str) -> str:
    """Only local paths, so the login form cannot be used as an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


async def login_form(request: Request) -> Response:
    csrf_token(request.session)
    target = _safe_next(request.query_params.get("next", "/"))
    return await render_plain(request, "login.html", {"next": target, "error": ""})


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def login(request: Request) -> Response:
    form = await request.form()
    name, password, target = (str(form.get(k, "")) for k in ("name", "password", "next"))
    address = _client_address(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    tried = header_text(name, 80) or "(blank)"
    verdict = throttle.check(name, address)
    if not verdict.allowed:
        logger.warning("web: sign-in refused for a while (too many failures) from %s", address)
        if verdict.first_refusal:  # one audit row per account or address and window, not one per try
            await in_transaction(request, lambda s, now: s.add(Event(
                at=now, actor=tried, kind="login_throttled", detail={"address": address})))
        minutes = -(-verdict.retry_after // 60)
        page = await render_plain(request, "login.html", {
            "next": _safe_next(target),
            "error": f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}."}, 429)
        page.headers["Retry-After"] = str(verdict.retry_after)
        return page

    def work(s: Session, now: datetime) -> SignedIn | None:
        who = authenticate(s, name, password)
        if who is not None:
            s.add(Event(at=now, actor=who.name, kind="login", detail={"role": who.role.value, "address": address}))
        else:  # bounded by the throttle: at most its allowance per account and address and window
            s.add(Event(at=now, actor=tried, kind="login_failed", detail={"address": address}))
        return who

    signed_in = await in_transaction(request, work)
    if signed_in is None:
        throttle.failed(name, address)
        logger.warning("web: failed sign-in from %s for a user name of %d characters", address, len(name))
        return await render_plain(request, "login.html", {"next": _safe_next(target),
                                                          "error": "Wrong user name or password."}, 401)
    throttle.succeeded(name)
    request.session.clear()  # a new session (and CSRF token) on login: no fixation
    request.session["user"] = signed_in.name
    logger.info("web: %s signed in (%s)", signed_in.name, signed_in.role.value)
    csrf_token(request.session)
    return redirect(_safe_next(target))


async def logout(request: Request) -> Response:
    if request.method == "GET":
        return await render_plain(request, "logout.html", {})
    request.session.clear()
    return redirect("/login")
