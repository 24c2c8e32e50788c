"""The caseworkers' dashboard: a Starlette app of server-rendered pages, login required."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.config import Config
from bot.shipped import templates_dir
from bot.web import account, cases, files, forms, pages, privacy, reports, saved
from bot.web.common import Deps, page_environment, render_plain
from bot.web.security import GuardMiddleware
from bot.web.throttle import LoginThrottle
from handlers.compose import make_environment
from store.models import utcnow

logger = logging.getLogger(__name__)
SESSION_HOURS = 12


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return await render_plain(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                              exc.status_code)


def routes() -> list[BaseRoute]:
    return [
        Route("/login", forms.login_form, methods=["GET"]),
        Route("/login", forms.login, methods=["POST"]),
        Route("/logout", forms.logout, methods=["GET", "POST"]),
        Route("/", pages.home),
        Route("/queue/{name}", pages.queue),
        Route("/case/{ref}", pages.case_page),
        Route("/case/{ref}/attachment/{id:int}", files.download),
        Route("/case/{ref}/draft", pages.draft, methods=["POST"]),
        Route("/case/{ref}/{action}", forms.case_action, methods=["POST"]),
        Route("/case/{ref}/privacy/{action}", privacy.privacy_action, methods=["POST"]),
        Route("/case/{ref}/sar/export", privacy.sar_export, methods=["POST"]),
        Route("/campaigns", pages.campaigns),
        Route("/campaign/{id:int}", pages.campaign),
        Route("/campaign/{id:int}/response", forms.campaign_response, methods=["POST"]),
        Route("/campaign/{id:int}/respond", forms.campaign_respond, methods=["POST"]),
        Route("/search", pages.search),
        Route("/cases", cases.case_list),
        Route("/cases/export/{fmt}", cases.export),
        Route("/cases/views", cases.save_view, methods=["POST"]),
        Route("/cases/views/{id:int}/delete", cases.delete_view, methods=["POST"]),
        Route("/cases/bulk", cases.bulk, methods=["POST"]),
        Route("/reports", reports.reports),
        Route("/reports/board", reports.board),
        Route("/trends", reports.trends),
        Route("/audit", pages.audit),
        Route("/replies", saved.saved_list, methods=["GET"]),
        Route("/replies", saved.saved_save, methods=["POST"]),
        Route("/replies/new", saved.saved_form),
        Route("/replies/{id:int}", saved.saved_form, methods=["GET"]),
        Route("/replies/{id:int}", saved.saved_save, methods=["POST"]),
        Route("/replies/{id:int}/delete", saved.saved_delete, methods=["POST"]),
        Route("/me", account.settings, methods=["GET"]),
        Route("/me", account.save_settings, methods=["POST"]),
        Route("/access", privacy.access_page),
        Mount("/static", StaticFiles(directory=templates_dir() / "web" / "static"), name="static"),
    ]


def create_app(
    cfg: Config,
    sessions: sessionmaker[Session],
    *,
    secret: str,
    extra_routes: Sequence[BaseRoute] = (),
    env: Environment | None = None,
    on_outbox: Callable[[], None] | None = None,
    clock: Callable[[], datetime] = utcnow,
    https_only: bool = False,
) -> Starlette:
    """Build the dashboard.

    Args:
        cfg: the office's configuration.
        sessions: the store's session factory; each request opens its own session.
        secret: the key that signs session cookies.
        extra_routes: routes served next to the dashboard without login or CSRF (the Telegram
            webhook, which checks its own secret).
        env: the reply templates' Jinja2 environment (the service's); None builds one.
        on_outbox: called after a reply is queued, to wake the sender.
        clock: the current time (tests pin it).
        https_only: mark the session cookie Secure (behind a TLS proxy).
    """
    if not secret:
        raise ValueError("the web dashboard needs a cookie-signing secret")
    exempt = {r.path for r in extra_routes if isinstance(r, Route)}
    app = Starlette(
        routes=[*extra_routes, *routes()],
        middleware=[
            Middleware(SessionMiddleware, secret_key=secret, session_cookie="signpost_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=https_only),
            Middleware(GuardMiddleware, sessions=sessions, exempt=exempt,
                       max_upload=cfg.attachments.max_bytes * max(1, cfg.attachments.max_files) + 2**20),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.deps = Deps(cfg, sessions, page_environment(), env or make_environment(), clock, on_outbox)
    app.state.login_throttle = LoginThrottle(cfg.web.login_limit_per_account, cfg.web.login_limit_per_address)
    return app
