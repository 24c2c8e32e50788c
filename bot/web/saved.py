"""Saved replies (canned responses): managers write and keep them; caseworkers load them on a case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.config import AGENCIES, CATEGORIES
from bot.drafts import PLACEHOLDERS, check_saved
from bot.web.common import deps, flash, in_transaction, redirect, render_page, require_manager
from store.models import Event, SavedReply


async def saved_list(request: Request) -> Response:
    require_manager(request)

    def build(s: Session, now: datetime) -> dict[str, Any]:
        return {"replies": list(s.scalars(select(SavedReply).order_by(SavedReply.active.desc(), SavedReply.name)))}

    return await render_page(request, "replies.html", build)


def _form_context(reply: SavedReply | None, values: dict[str, Any], error: str = "") -> dict[str, Any]:
    return {"reply": reply, "values": values, "error": error, "placeholders": PLACEHOLDERS,
            "categories": [c for c in CATEGORIES if c != "none"], "agencies": [a for a in AGENCIES if a != "none"]}


def _values(reply: SavedReply | None) -> dict[str, Any]:
    if reply is None:
        return {"name": "", "body": "", "categories": [], "agencies": [], "active": True}
    return {"name": reply.name, "body": reply.body, "categories": reply.categories, "agencies": reply.agencies,
            "active": reply.active}


async def saved_form(request: Request) -> Response:
    require_manager(request)
    rid = request.path_params.get("id")

    def build(s: Session, now: datetime) -> dict[str, Any]:
        reply = s.get(SavedReply, rid) if rid is not None else None
        if rid is not None and reply is None:
            raise HTTPException(404, f"no saved reply {rid}")
        return _form_context(reply, _values(reply))

    return await render_page(request, "reply_edit.html", build)


def _read(form: FormData) -> dict[str, Any]:
    return {
        "name": str(form.get("name", "")).strip()[:120],
        "body": str(form.get("body", "")).replace("\r\n", "\n").strip(),
        "categories": [c for c in form.getlist("categories") if c in CATEGORIES],
        "agencies": [a for a in form.getlist("agencies") if a in AGENCIES],
        "active": form.get("active") == "on",
    }


async def saved_save(request: Request) -> Response:
    """Create (POST /replies) or update (POST /replies/{id}) after trying the body on a sample case."""
    me = require_manager(request)
    rid = request.path_params.get("id")
    values = _read(await request.form())
    d = deps(request)
    error = "" if values["name"] and values["body"] else "A saved reply needs a name and some text."
    error = error or (check_saved(d.replies, d.cfg, values["body"]) or "")
    if error:
        def again(s: Session, now: datetime) -> dict[str, Any]:
            return _form_context(s.get(SavedReply, rid) if rid is not None else None, values, error)
        return await render_page(request, "reply_edit.html", again, status=400)

    def work(s: Session, now: datetime) -> int:
        reply = s.get(SavedReply, rid) if rid is not None else SavedReply()
        if reply is None:
            raise HTTPException(404, f"no saved reply {rid}")
        for k, v in values.items():
            setattr(reply, k, v)
        reply.updated_by, reply.updated_at = me.name, now
        s.add(reply)
        s.flush()
        s.add(Event(at=now, actor=me.name, kind="saved_reply", detail={"name": reply.name, "id": reply.id,
                                                                        "new": rid is None}))
        return reply.id

    try:
        await in_transaction(request, work)
    except IntegrityError:
        flash(request, f"There is already a saved reply named “{values['name']}”.", "error")
        return redirect("/replies")
    flash(request, f"Saved reply “{values['name']}” saved.")
    return redirect("/replies")


async def saved_delete(request: Request) -> Response:
    me = require_manager(request)
    rid: int = request.path_params["id"]

    def work(s: Session, now: datetime) -> str:
        reply = s.get(SavedReply, rid)
        if reply is None:
            raise HTTPException(404, f"no saved reply {rid}")
        s.delete(reply)
        s.add(Event(at=now, actor=me.name, kind="saved_reply_deleted", detail={"name": reply.name}))
        return reply.name

    name = await in_transaction(request, work)
    flash(request, f"Saved reply “{name}” deleted.")
    return redirect("/replies")
