"""What every dashboard handler shares: the app's dependencies, page rendering, flash messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from bot.config import Config
from bot.shipped import templates_dir
from bot.users import SignedIn
from bot.web.security import csrf_token
from bot.words import add_filters
from store.models import utcnow

T = TypeVar("T")


@dataclass(frozen=True)
class Deps:
    cfg: Config
    sessions: sessionmaker[Session]
    pages: Environment  # templates/web, HTML-escaped
    replies: Environment  # templates/reply and templates/casework, plain text
    clock: Callable[[], datetime] = utcnow
    on_outbox: Callable[[], None] | None = None  # wakes the sender after a reply is queued


def page_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = lambda dt, tz: dt.astimezone(tz).strftime("%d %b %Y %H:%M") if dt else ""
    env.filters["day"] = lambda d: d.strftime("%a %d %b %Y") if d else ""
    return add_filters(env)


def deps(request: Request) -> Deps:
    d: Deps = request.app.state.deps
    return d


def user(request: Request) -> SignedIn:
    u: SignedIn | None = request.scope.get("user")
    if u is None:  # the guard middleware lets no anonymous request through to a handler
        raise HTTPException(401)
    return u


def require_manager(request: Request) -> SignedIn:
    u = user(request)
    if not u.is_manager:
        raise HTTPException(403, "managers only")
    return u


def flash(request: Request, text: str, level: str = "info") -> None:
    request.session.setdefault("flash", []).append([level, text])


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _render(request: Request, name: str, ctx: dict[str, Any], now: datetime) -> str:
    d = deps(request)
    base = {
        "user": request.scope.get("user"),
        "csrf": csrf_token(request.session),
        "office": d.cfg.office,
        "tz": d.cfg.office.tz,
        "now": now,
        "path": request.url.path,
        "flashes": request.session.pop("flash", []),
    }
    return d.pages.get_template(f"web/{name}").render(**base, **ctx)


async def render_page(
    request: Request, name: str, build: Callable[[Session, datetime], dict[str, Any]], status: int = 200
) -> HTMLResponse:
    """Build the page's context and render it in a worker thread, with the session still open.

    Rendering inside the session lets templates follow relationships safely; `build` keeps
    lists bounded (queue pages, search and the audit log are paged or limited).
    """
    d = deps(request)

    def work() -> str:
        now = d.clock()
        with d.sessions() as s:
            return _render(request, name, build(s, now), now)

    return HTMLResponse(await run_in_threadpool(work), status_code=status)


async def render_plain(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    return HTMLResponse(_render(request, name, ctx, deps(request).clock()), status_code=status)


async def in_transaction(request: Request, work: Callable[[Session, datetime], T]) -> T:
    """Run `work` in one session in a worker thread and commit if it returns normally."""
    d = deps(request)

    def run() -> T:
        now = d.clock()
        with d.sessions() as s:
            result = work(s, now)
            s.commit()
            return result

    return await run_in_threadpool(run)
