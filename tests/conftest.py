"""Shared fixtures. Helpers add their own sections; keep each one small and self-contained."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The suite's own config, never the office's edited config.yaml (also for `signpost` subprocesses).
TEST_CONFIG = Path(__file__).resolve().parent / "config.yaml"
os.environ["SIGNPOST_CONFIG"] = str(TEST_CONFIG)

# ---- Dovecot (IMAP) on loopback: tests/dovecot.py ----
from dovecot import DovecotServer, Mailbox, running  # noqa: E402


@pytest.fixture(scope="session")
def dovecot_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DovecotServer]:
    """One real Dovecot for the session; fails (never skips) when it is not installed."""
    yield from running(tmp_path_factory.mktemp("dovecot"))


@pytest.fixture
def mailbox(dovecot_server: DovecotServer) -> Iterator[Mailbox]:
    """A fresh, empty Dovecot user per test; its maildir is removed afterwards."""
    box = dovecot_server.add_user()
    yield box
    dovecot_server.remove_user(box)


# ---- Outbound SMTP sink (aiosmtpd on loopback): tests/smtp_sink.py ----
from smtp_sink import SmtpSink  # noqa: E402


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()


# ---- Config and an SQLite store for core tests ----
from typing import Any  # noqa: E402


@pytest.fixture(scope="session")
def triage_model() -> Any:
    """The model fitted on the shipped examples, fitted once for the whole run (tests/fakes.py)."""
    from fakes import shipped_model

    return shipped_model()


@pytest.fixture(autouse=True)
def _no_deployment_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment's SIGNPOST_CONFIG or SIGNPOST_HOME in the developer's shell is not the tests': the
    suite's own config is (tests/config.yaml)."""
    monkeypatch.setenv("SIGNPOST_CONFIG", str(TEST_CONFIG))
    monkeypatch.delenv("SIGNPOST_HOME", raising=False)


@pytest.fixture
def make_cfg(tmp_path: Any) -> Any:
    """`make_cfg(**{"dotted.key": value})` -> Config from the tests' own config.yaml with a tmp SQLite store."""
    from bot.config import load_config

    def build(**overrides: Any) -> Any:
        base = {"store.url": f"sqlite:///{tmp_path}/signpost.db",
                "channels.smtp_outbound.sink_dir": str(tmp_path / "outbound"),
                "channels.smtp_intake.port": 0}
        base.update({k.replace("__", "."): v for k, v in overrides.items()})
        # The test's own data directory: no model file or sink of the user's ./data is read.
        return load_config(None, base, home=tmp_path)

    return build


@pytest.fixture
def sqlite_sessions(tmp_path: Any) -> Iterator[Any]:
    from store.db import make_engine, make_sessionmaker, migrate

    engine = make_engine(f"sqlite:///{tmp_path}/store.db")
    migrate(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


# ---- A migrated store on both backends (digest, report, scheduler tests) ----
import uuid  # noqa: E402

PG_URL = os.environ.get("SIGNPOST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_sessions(request: Any, tmp_path: Any) -> Iterator[Any]:
    """Sessions on a migrated store: a tmp SQLite file, then a fresh PostgreSQL schema (never skipped)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from store.db import make_engine, make_sessionmaker, migrate

    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/store.db")
        migrate(engine)
        yield make_sessionmaker(engine)
        engine.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"  # one schema per test: parallel helpers share the database
    admin = make_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL unreachable at {PG_URL} (trust auth, database test): {exc}", pytrace=False)
    # connect_args, not the URL: Alembic's ini parser rejects the "%" of an encoded URL option.
    engine = create_engine(PG_URL, pool_pre_ping=True, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# ---- Telegram Bot API server on loopback: tests/botapi.py ----
from collections.abc import AsyncIterator  # noqa: E402

from botapi import BotApiServer  # noqa: E402


@pytest.fixture
async def api() -> AsyncIterator[BotApiServer]:
    server = BotApiServer()
    await server.start()
    yield server
    await server.stop()


# ---- TLS and OAuth2 on loopback: a throwaway CA (trustme) and tests/oauth_server.py ----
from oauth_server import TokenServer  # noqa: E402


@pytest.fixture(scope="session")
def tls_ca(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A throwaway certificate authority; `tls_ca.pem_path` is its certificate for `ca_file`."""
    import trustme

    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    ca.pem_path = str(path)
    return ca


@pytest.fixture
def token_server(tls_ca: Any) -> Iterator[TokenServer]:
    server = TokenServer(tls_ca).start()
    try:
        yield server
    finally:
        server.stop()


# ---- A fixed clock for the in-process service ----
import time as _time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402


class TickingClock:
    """Starts at a fixed moment and runs at real speed: a service test sees the same day and hour
    whenever it runs (no digest hour, no midnight, no bank holiday), and backoffs still elapse."""

    def __init__(self, start: datetime) -> None:
        self.start, self._t0 = start, _time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=_time.monotonic() - self._t0)


@pytest.fixture
def service_clock() -> TickingClock:
    return TickingClock(datetime(2026, 6, 2, 9, 30, tzinfo=UTC))  # a Tuesday, 10:30 in the office
