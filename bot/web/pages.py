"""Read-only dashboard pages: queues, a case, campaigns, search."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.campaign_send import participants, render_copy, send_progress
from bot.casework import queue_clock
from bot.config import AGENCIES, CATEGORIES
from bot.drafts import choices_for, render_choice, reply_subject
from bot.web.cases import bulk_context
from bot.web.common import Deps, deps, render_page, require_manager, user
from bot.web.files import allowed_kinds
from bot.web.privacy import log_access
from bot.words import category_name
from handlers.compose import tidy
from store.arrangements import active_arrangement
from store.merged import merged_ids
from store.models import (
    Campaign,
    CampaignSend,
    Case,
    CaseStatus,
    Contact,
    Decision,
    Direction,
    Event,
    Outbox,
    Person,
    SavedReply,
    SavedView,
    StoredAttachment,
    User,
)
from store.queues import FIXED_QUEUES, UnknownQueue, list_queue, queue_counts
from store.replies import is_third_party

PAGE_SIZE = 50
MY_CASES = 10  # the home page's list of the user's own open cases
URGENT_ON_HOME = 20  # the open urgent cases themselves, on the first page anyone sees
THREAD_SIZE = 100
QUEUE_TITLES = {
    "urgent": "Urgent",
    "overdue": "Overdue (past respond-by)",
    "stale": "Stale (no action)",
    "unassigned": "Unassigned",
    "mine": "My open cases",
    "members": "Member correspondence (MPs, MSs, councillors)",
    "open": "All open",
}


def queue_key(url_name: str) -> str:
    """A queue's URL name to its store name: categories are plain words in URLs."""
    if url_name in CATEGORIES:
        return f"category:{url_name}"
    if url_name in FIXED_QUEUES:
        return url_name
    raise HTTPException(404, f"no queue {url_name!r}")


def queue_title(url_name: str) -> str:
    return QUEUE_TITLES.get(url_name) or category_name(url_name)


async def home(request: Request) -> Response:
    me = user(request)
    cfg = deps(request).cfg

    def build(s: Session, now: datetime) -> dict[str, Any]:
        clock = queue_clock(cfg, now)
        names = [n for n in FIXED_QUEUES] + list(CATEGORIES)
        counts = queue_counts(s, [queue_key(n) for n in names], clock, me.name)
        rows = [(n, queue_title(n), counts[queue_key(n)]) for n in names]
        mine = list_queue(s, "mine", clock, user=me.name, limit=MY_CASES)
        urgent = list_queue(s, "urgent", clock, limit=URGENT_ON_HOME)
        views = list(s.scalars(select(SavedView).where(SavedView.user_name == me.name).order_by(SavedView.name)))
        return {"fixed": rows[: len(FIXED_QUEUES)], "categories": rows[len(FIXED_QUEUES):], "mine": mine,
                "urgent": urgent, "views": views, "today": clock.today}

    return await render_page(request, "home.html", build)


def _page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


async def queue(request: Request) -> Response:
    me = user(request)
    url_name = request.path_params["name"]
    key = queue_key(url_name)
    number = _page_number(request)
    cfg = deps(request).cfg

    def build(s: Session, now: datetime) -> dict[str, Any]:
        clock = queue_clock(cfg, now)
        try:
            page = list_queue(s, key, clock, user=me.name, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        except UnknownQueue as exc:
            raise HTTPException(404, str(exc)) from exc
        return {"name": url_name, "title": queue_title(url_name), "page": page, "number": number,
                "today": clock.today, "stale_before": clock.stale_before, **bulk_context(s),
                "back": request.url.path + (f"?{request.url.query}" if request.url.query else "")}

    return await render_page(request, "queue.html", build)


def _load_case(s: Session, ref: str) -> Case:
    case = s.scalar(
        select(Case)
        .where(Case.reference == ref)
        .options(selectinload(Case.person).selectinload(Person.identities), selectinload(Case.campaign))
    )
    if case is None:
        raise HTTPException(404, f"no case {ref}")
    return case


def _latest(s: Session, case: Case) -> tuple[list[Contact], int, list[Event], int]:
    """The newest contacts (oldest first) and events (newest first), with totals.

    A campaign case can gather thousands of contacts; the page shows the latest THREAD_SIZE.
    """
    contacts = list(s.scalars(
        select(Contact).where(Contact.case_id == case.id)
        .options(selectinload(Contact.attachments).defer(StoredAttachment.data), selectinload(Contact.decision))
        .order_by(Contact.at.desc(), Contact.id.desc()).limit(THREAD_SIZE)
    ))[::-1]
    # Events stay on the case they were written for (append-only): a merged shell's history shows here.
    history = merged_ids(s, case.id)
    events = list(s.scalars(
        select(Event).where(Event.case_id.in_(history))
        .order_by(Event.at.desc(), Event.id.desc()).limit(THREAD_SIZE)
    ))
    n_contacts = s.scalar(select(func.count(Contact.id)).where(Contact.case_id == case.id)) or 0
    n_events = s.scalar(select(func.count(Event.id)).where(Event.case_id.in_(history))) or 0
    return contacts, n_contacts, events, n_events


def _case_context(s: Session, d: Deps, now: datetime, ref: str, *, chosen: str = "", typed: str = "",
                  loaded: str = "", subject: str = "") -> dict[str, Any]:
    case = _load_case(s, ref)
    contacts, n_contacts, events, n_events = _latest(s, case)
    others = list(s.scalars(
        select(Case).where(Case.person_id == case.person_id, Case.id != case.id)
        .order_by(Case.opened_at.desc()).limit(20)
    )) if case.person_id else []
    outbox = list(s.scalars(select(Outbox).where(Outbox.case_id == case.id).order_by(Outbox.created_at)))
    saved = list(s.scalars(select(SavedReply).where(SavedReply.active.is_(True)).order_by(SavedReply.name)))
    by_key = {f"saved/{r.id}": r for r in saved}
    draft = typed
    if chosen:
        try:
            if loaded and typed.strip() and tidy(typed) == render_choice(
                    d.replies, d.cfg, case, contacts, loaded, saved=by_key.get(loaded)):
                typed = ""  # the last template loaded, untouched: switch templates outright
            draft = render_choice(d.replies, d.cfg, case, contacts, chosen, saved=by_key.get(chosen), typed=typed)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
    users = list(s.scalars(select(User.name).where(User.active.is_(True)).order_by(User.name)))
    third_parties = list({(c.sender, c.telegram_chat_id): c for c in contacts
                          if c.direction is Direction.inbound and is_third_party(case, c)}.values())
    return {
        "case": case, "others": others, "outbox": outbox, "users": users,
        "templates": choices_for(case, saved), "chosen": chosen, "draft": draft,
        "subject": subject or reply_subject(case, contacts), "statuses": list(CaseStatus),
        "categories": CATEGORIES, "agencies": AGENCIES, "contacts": contacts, "n_contacts": n_contacts,
        "events": events, "n_events": n_events, "third_parties": third_parties, "attach_rules": d.cfg.attachments,
        "attach_kinds": allowed_kinds(d.cfg.attachments), "today": now.astimezone(d.cfg.office.tz).date(),
        "arrangement": active_arrangement(s, case.person_id) if case.person_id else None,
    }


async def case_page(request: Request) -> Response:
    ref = request.path_params["ref"]
    chosen = request.query_params.get("template", "")
    d = deps(request)
    await log_access(request, "view", ref=ref)
    return await render_page(request, "case.html", lambda s, now: _case_context(s, d, now, ref, chosen=chosen))


async def draft(request: Request) -> Response:
    """"Load template" from the reply form: the case page again, the template filled in around the
    words already typed (nothing is sent or stored)."""
    ref = request.path_params["ref"]
    form = await request.form()
    fields = {k: str(form.get(k, "")) for k in ("template", "text", "loaded", "subject")}
    d = deps(request)
    return await render_page(request, "case.html", lambda s, now: _case_context(
        s, d, now, ref, chosen=fields["template"], typed=fields["text"], loaded=fields["loaded"],
        subject=fields["subject"]))


def _participants(s: Session) -> dict[int, int]:
    rows = s.execute(
        select(Decision.campaign_id, func.count(Decision.id))
        .where(Decision.campaign_id.is_not(None))
        .group_by(Decision.campaign_id)
    )
    return {cid: n for cid, n in rows if cid is not None}


async def campaigns(request: Request) -> Response:
    def build(s: Session, now: datetime) -> dict[str, Any]:
        rows = list(s.scalars(
            select(Campaign).options(selectinload(Campaign.case)).order_by(Campaign.created_at.desc()).limit(200)
        ))
        return {"campaigns": rows, "participants": _participants(s)}

    return await render_page(request, "campaigns.html", build)


async def campaign(request: Request, preview: dict[str, Any] | None = None) -> Response:
    """A campaign: its participants, the copy each would get (a preview), and the responses sent."""
    cid: int = request.path_params["id"]
    d = deps(request)

    def build(s: Session, now: datetime) -> dict[str, Any]:
        row = s.get(Campaign, cid, options=[selectinload(Campaign.case)])
        if row is None:
            raise HTTPException(404, f"no campaign {cid}")
        count = s.scalar(select(func.count(Decision.id)).where(Decision.campaign_id == cid)) or 0
        recent = list(s.scalars(
            select(Contact).join(Decision, Decision.contact_id == Contact.id)
            .where(Decision.campaign_id == cid).order_by(Contact.at.desc()).limit(50)
        ))
        people, skipped = participants(s, row)
        copy = None
        if preview is not None and preview["text"] and people and row.case is not None:
            copy = render_copy(d.replies, d.cfg, row.case, people[0], preview["text"])
        sends = list(s.scalars(select(CampaignSend).where(CampaignSend.campaign_id == cid)
                               .order_by(CampaignSend.id.desc()).limit(10)))
        progress = {send.id: send_progress(s, send.id) for send in sends}
        return {"campaign": row, "count": count, "recent": recent, "people": len(people), "skipped": skipped,
                "first": people[0] if people else None, "preview": preview, "copy": copy, "sends": sends,
                "progress": progress, "per_minute": d.cfg.campaigns.send_per_minute}

    return await render_page(request, "campaign.html", build)


async def search(request: Request) -> Response:
    """The old search address: the case list does it now, with every other filter beside it."""
    q = request.query_params.get("q", "").strip()[:200]
    return RedirectResponse(f"/cases?{urlencode({'q': q, 'sort': 'newest'})}" if q else "/cases", 303)


async def audit(request: Request) -> Response:
    require_manager(request)
    number = _page_number(request)

    def build(s: Session, now: datetime) -> dict[str, Any]:
        events = list(s.scalars(
            select(Event).options(selectinload(Event.case)).order_by(Event.at.desc(), Event.id.desc())
            .limit(PAGE_SIZE + 1).offset((number - 1) * PAGE_SIZE)
        ))
        return {"events": events[:PAGE_SIZE], "number": number, "has_next": len(events) > PAGE_SIZE}

    return await render_page(request, "audit.html", build)
