"""Operations endpoints, served without login: /healthz (alive), /readyz (able to work), /metrics."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.config import Config
from bot.health import Health, readiness
from bot.metrics import CONTENT_TYPE, Metrics


def ops_routes(cfg: Config, sessions: sessionmaker[Session], health: Health, metrics: Metrics) -> list[Route]:
    """The three routes; the composition root mounts them beside the dashboard."""

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        ready, body = await run_in_threadpool(readiness, cfg, sessions, health)
        return JSONResponse(body, status_code=200 if ready else 503)

    async def metrics_page(request: Request) -> Response:
        return Response(await run_in_threadpool(metrics.exposition), media_type=CONTENT_TYPE)

    return [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics_page)]
