"""IMAP over TLS and XOAUTH2, against a real Dovecot whose oauth2 passdb introspects tokens on loopback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dovecot import DovecotServer, Mailbox, running
from oauth_server import TENANT, TokenServer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_imap_poll import eventually, make_mail

from bot.channels.imap_poll import ImapPoller
from bot.intake import Intake
from store.models import RawMessage

SECRET_ENV = "SIGNPOST_TEST_OAUTH_SECRET"


@pytest.fixture(scope="module")
def oauth_tokens(tls_ca: Any) -> Iterator[TokenServer]:
    """One token server for the module's Dovecot (its introspection URL is in Dovecot's config)."""
    server = TokenServer(tls_ca, clients={"signpost-app": "app-secret"}).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def oauth_dovecot(tmp_path_factory: pytest.TempPathFactory, oauth_tokens: TokenServer,
                  tls_ca: Any) -> Iterator[DovecotServer]:
    yield from running(tmp_path_factory.mktemp("dovecot-oauth"),
                       oauth2_introspection_url=oauth_tokens.introspection_url, tls=tls_ca)


@pytest.fixture
def office_box(oauth_dovecot: DovecotServer, oauth_tokens: TokenServer) -> Iterator[Mailbox]:
    box = oauth_dovecot.add_user()
    oauth_tokens.app_mailbox = box.username  # the app registration may act for this mailbox
    oauth_tokens.lifetime = 3600
    oauth_tokens.grants.clear()
    yield box
    oauth_dovecot.remove_user(box)


@pytest.fixture
def oauth_poller(make_cfg: Any, sqlite_sessions: sessionmaker[Session], office_box: Mailbox,
                 oauth_dovecot: DovecotServer, oauth_tokens: TokenServer, tls_ca: Any,
                 monkeypatch: pytest.MonkeyPatch) -> Callable[..., ImapPoller]:
    """An ImapPoller on IMAPS with XOAUTH2 (Microsoft client credentials through MSAL)."""
    monkeypatch.setenv(SECRET_ENV, "app-secret")

    def build(**imap: Any) -> ImapPoller:
        keys: dict[str, Any] = {
            "enabled": True, "host": "127.0.0.1", "port": oauth_dovecot.imaps_port, "tls": "implicit",
            "ca_file": tls_ca.pem_path, "username": office_box.username, "auth": "oauth2", "poll_seconds": 30,
            "oauth2": {"provider": "microsoft", "tenant": TENANT, "authority": oauth_tokens.base,
                       "client_id": "signpost-app", "client_secret_env": SECRET_ENV, "ca_file": tls_ca.pem_path}}
        keys.update(imap)
        cfg = make_cfg(**{f"channels.imap.{k}": v for k, v in keys.items()})
        return ImapPoller(cfg, Intake(sqlite_sessions), sqlite_sessions, backoff_initial=0.1)

    return build


def stored(sessions: sessionmaker[Session]) -> list[bytes]:
    with sessions() as s:
        return list(s.scalars(select(RawMessage.raw).order_by(RawMessage.id)))


async def test_imaps_with_xoauth2_stores_the_mail(
    oauth_poller: Callable[..., ImapPoller], office_box: Mailbox, oauth_tokens: TokenServer,
    sqlite_sessions: sessionmaker[Session],
) -> None:
    mail = make_mail(1)
    office_box.deliver(mail)
    assert await oauth_poller().poll_once() == 1
    assert stored(sqlite_sessions) == [mail]
    (grant,) = oauth_tokens.grants
    assert grant["grant_type"] == "client_credentials"
    assert grant["scope"] == "https://outlook.office365.com/.default"  # Exchange Online's app scope


async def test_starttls_with_a_password(
    oauth_poller: Callable[..., ImapPoller], office_box: Mailbox, oauth_dovecot: DovecotServer,
    sqlite_sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIGNPOST_TEST_IMAP_PW", office_box.password)
    office_box.deliver(make_mail(2))
    poller = oauth_poller(port=oauth_dovecot.port, tls="starttls", auth="password", oauth2=None,
                          password_env="SIGNPOST_TEST_IMAP_PW")
    assert await poller.poll_once() == 1


async def test_an_untrusted_certificate_is_refused(
    oauth_poller: Callable[..., ImapPoller], office_box: Mailbox, caplog: pytest.LogCaptureFixture,
) -> None:
    poller = oauth_poller(ca_file="")  # the system's CAs do not know the throwaway one
    with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"):
        await poller.poll_once()


async def test_a_revoked_token_is_replaced_and_the_login_retried(
    oauth_poller: Callable[..., ImapPoller], office_box: Mailbox, oauth_tokens: TokenServer,
    sqlite_sessions: sessionmaker[Session],
) -> None:
    poller = oauth_poller()
    assert await poller.poll_once() == 0
    oauth_tokens.revoke_all()  # e.g. the admin rotated the secret: the cached token is now refused
    office_box.deliver(make_mail(3))
    assert await poller.poll_once() == 1
    assert len(oauth_tokens.grants) == 2


async def test_a_token_that_expires_mid_idle_is_refreshed_without_losing_mail(
    oauth_poller: Callable[..., ImapPoller], office_box: Mailbox, oauth_tokens: TokenServer,
    oauth_dovecot: DovecotServer, sqlite_sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture,
) -> None:
    oauth_tokens.lifetime = 3  # refreshed 0.6s early; dead to the server after 3s
    poller = oauth_poller()
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="bot.channels.imap_poll")
    mails = [make_mail(n) for n in (10, 11, 12)]
    task = asyncio.create_task(poller.run(stop))
    try:
        office_box.deliver(mails[0])
        await eventually(lambda: len(stored(sqlite_sessions)) == 1, timeout=10)
        # While the poller IDLEs on the first token, it expires; mail arrives around the change.
        await asyncio.sleep(2.0)
        office_box.deliver(mails[1])
        await asyncio.sleep(1.5)
        oauth_dovecot.kick(office_box)  # as Exchange drops a session whose token has expired
        office_box.deliver(mails[2])
        await eventually(lambda: len(stored(sqlite_sessions)) == 3, timeout=15)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert stored(sqlite_sessions) == mails  # each once, in order
    assert len(oauth_tokens.grants) >= 2
    assert "access token due for refresh; logging in again" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
