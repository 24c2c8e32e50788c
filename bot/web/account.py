"""A user's own settings: the address staff mail goes to, and whether assignments are emailed."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from bot.web.common import flash, in_transaction, redirect, render_page, user
from store.models import Event, User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _me(s: Session, name: str) -> User:
    found = s.scalar(select(User).where(User.name == name))
    assert found is not None  # the guard signed them in from this row
    return found


async def settings(request: Request) -> Response:
    name = user(request).name

    def build(s: Session, now: datetime) -> dict[str, Any]:
        return {"me": _me(s, name)}

    return await render_page(request, "me.html", build)


async def save_settings(request: Request) -> Response:
    name = user(request).name
    form = await request.form()
    email = str(form.get("email", "")).strip()
    notify = form.get("notify_assigned") == "on"
    if email and not _EMAIL.match(email):
        flash(request, f"“{email}” is not an email address.", "error")
        return redirect("/me")

    def work(s: Session, now: datetime) -> None:
        me = _me(s, name)
        me.email, me.notify_assigned = email or None, notify
        s.add(Event(at=now, actor=name, kind="settings", detail={"email": bool(email), "notify_assigned": notify}))

    await in_transaction(request, work)
    flash(request, "Settings saved.")
    return redirect("/me")
