"""OAuth2 token sources (MSAL, google-auth, a generic endpoint) and SMTP over TLS with XOAUTH2, on loopback."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oauth_server import TENANT, TokenServer
from smtp_sink import SmtpSink
from sqlalchemy import select

from bot.app import Service
from bot.config import OAuth2
from bot.errors import TemporaryFailure
from bot.oauth import CachedToken, OAuth2Error, token_source, xoauth2
from bot.outmail import OutgoingMail
from bot.sender import SmtpTransport
from store.models import RawMessage

OFFICE = "enquiries@wessexvale-pcc.gov.uk"


def test_cached_token_is_refreshed_a_fifth_of_its_life_early() -> None:
    now = [1000.0]
    issued: list[str] = []

    def fetch() -> tuple[str, float]:
        issued.append(f"t{len(issued)}")
        return issued[-1], 100.0

    token = CachedToken(fetch, "office@example.org", clock=lambda: now[0])
    assert token.token() == "t0"
    now[0] += 79
    assert token.token() == "t0" and token.seconds_to_refresh() == pytest.approx(1)
    now[0] += 1
    assert token.token() == "t1"  # 20s before expiry
    token.invalidate()
    assert token.token() == "t2"


def test_xoauth2_initial_response_is_the_documented_format() -> None:
    import base64

    assert base64.b64decode(xoauth2("a@b.example", "tok")) == b"user=a@b.example\x01auth=Bearer tok\x01\x01"


def microsoft(server: TokenServer, ca: Any, **kw: Any) -> OAuth2:
    return OAuth2(provider="microsoft", tenant=TENANT, authority=server.base, client_id="app",
                  client_secret_env="T_SECRET", ca_file=ca.pem_path, **kw)


def test_microsoft_refresh_token_flow_asks_for_the_smtp_scope_and_keeps_the_rotated_token(
        token_server: TokenServer, tls_ca: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    token_server.clients["app"] = ""  # a public client: no secret, as after a device-code sign-in
    token_server.refresh_tokens["rt-first"] = "ada@example.org"
    monkeypatch.setenv("T_RT", "rt-first")
    source = token_source(microsoft(token_server, tls_ca, flow="refresh_token", refresh_token_env="T_RT"),
                          "ada@example.org", "smtp")
    assert token_server.check(source.token()) == "ada@example.org"
    assert "https://outlook.office.com/SMTP.Send" in token_server.grants[0]["scope"].split()
    source.invalidate()
    assert token_server.check(source.token()) == "ada@example.org"  # the rotated refresh token worked


def test_a_wrong_client_secret_is_said_in_plain_words(token_server: TokenServer, tls_ca: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    token_server.clients["app"] = "right"
    monkeypatch.setenv("T_SECRET", "wrong")
    with pytest.raises(OAuth2Error, match="Invalid client secret"):
        token_source(microsoft(token_server, tls_ca), "office@example.org", "imap").token()


def test_missing_secret_names_the_variable(token_server: TokenServer, tls_ca: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("T_SECRET", raising=False)
    with pytest.raises(OAuth2Error, match="T_SECRET"):
        token_source(microsoft(token_server, tls_ca), "office@example.org", "imap").token()


def test_google_service_account_with_delegation(token_server: TokenServer, tls_ca: Any, tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token_server.google_key = key.public_key()
    info = {"type": "service_account", "project_id": "signpost-test", "private_key_id": "k1",
            "private_key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode(),
            "client_email": "signpost@signpost-test.iam.gserviceaccount.com", "client_id": "1",
            "token_uri": token_server.token_url}
    (tmp_path / "sa.json").write_text(json.dumps(info))
    o = OAuth2(provider="google", flow="service_account", service_account_file=str(tmp_path / "sa.json"),
               ca_file=tls_ca.pem_path)
    source = token_source(o, "office@example.org", "imap")
    assert token_server.check(source.token()) == "office@example.org"  # the JWT's sub: the delegated mailbox
    assert token_server.grants[0]["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"


def test_google_and_generic_refresh_tokens(token_server: TokenServer, tls_ca: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    token_server.clients["client"] = "s"
    token_server.refresh_tokens.update({"rt-g": "g@example.org", "rt-x": "x@example.org"})
    monkeypatch.setenv("T_SECRET", "s")
    monkeypatch.setenv("RT_G", "rt-g")
    monkeypatch.setenv("RT_X", "rt-x")
    common = {"flow": "refresh_token", "client_id": "client", "client_secret_env": "T_SECRET",
              "token_url": token_server.token_url, "ca_file": tls_ca.pem_path}
    g = token_source(OAuth2(provider="google", refresh_token_env="RT_G", **common), "g@example.org", "imap")
    x = token_source(OAuth2(provider="generic", refresh_token_env="RT_X", scopes=("mail",), **common),
                     "x@example.org", "smtp")
    assert token_server.check(g.token()) == "g@example.org"
    assert token_server.check(x.token()) == "x@example.org"
    assert token_server.grants[-1]["scope"] == "mail"


# ---- outbound SMTP: TLS modes and XOAUTH2 against an aiosmtpd sink that checks the exchange ----

def message() -> OutgoingMail:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = OFFICE, "ada@example.com", "[MID-2026-00001] Re: lights"
    m.set_content("Thank you.\n")
    return OutgoingMail.of(m)


@pytest.mark.parametrize("mode", ["starttls", "implicit", "none"])
async def test_relay_tls_modes_with_xoauth2(mode: str, make_cfg: Any, token_server: TokenServer, tls_ca: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    token_server.clients["app"] = "s"
    token_server.app_mailbox = OFFICE
    monkeypatch.setenv("T_SECRET", "s")
    sink = SmtpSink(tls=tls_ca if mode != "none" else None, implicit=mode == "implicit",
                    check_token=token_server.check).start()
    try:
        cfg = make_cfg(**{"channels.smtp_outbound": {
            "enabled": True, "host": "127.0.0.1", "port": sink.port, "tls": mode, "ca_file": tls_ca.pem_path,
            "username": OFFICE, "auth": "oauth2", "oauth2": {
                "provider": "microsoft", "tenant": TENANT, "authority": token_server.base, "client_id": "app",
                "client_secret_env": "T_SECRET", "ca_file": tls_ca.pem_path}}})
        built: list[object] = []
        real = ssl.create_default_context

        def counted(*a: Any, **k: Any) -> ssl.SSLContext:
            built.append(k.get("cafile"))
            return real(*a, **k)

        monkeypatch.setattr(ssl, "create_default_context", counted)
        transport = SmtpTransport(cfg)
        await transport.send(message())
        await transport.close()  # as the sender does when no more mail is due: the next send logs in again
        token_server.revoke_all()  # the next send finds its cached token refused, fetches one, and goes
        await transport.send(message())
        await transport.close()  # before the sink stops: a session left open would be left pending there
        received = sink.wait_for(2)
    finally:
        sink.stop()
    assert [r.tls for r in sink.handler.received] == [mode != "none"] * 2
    # The relay's TLS context (the CA store read) is built once for the transport, not per message.
    assert built == ([] if mode == "none" else [tls_ca.pem_path])
    assert [r.login for r in sink.handler.received] == [OFFICE, OFFICE]
    assert sink.handler.xoauth2_attempts == [(OFFICE, True), (OFFICE, False), (OFFICE, True)]
    assert len(token_server.grants) == 2 and received[0]["Subject"].startswith("[MID-")


async def test_relay_with_an_untrusted_certificate_is_a_temporary_failure(make_cfg: Any, tls_ca: Any) -> None:
    sink = SmtpSink(tls=tls_ca).start()
    try:
        cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": sink.port,
                          "channels.smtp_outbound.tls": "starttls"})
        with pytest.raises(TemporaryFailure, match="CERTIFICATE_VERIFY_FAILED"):
            await SmtpTransport(cfg).send(message())
    finally:
        sink.stop()
    assert not sink.handler.received


# ---- SMTP intake: optional STARTTLS ----

async def test_intake_offers_starttls_and_can_require_it(make_cfg: Any, tls_ca: Any, tmp_path: Path) -> None:
    cert = tls_ca.issue_cert("127.0.0.1")
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    cert.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    cfg = make_cfg(**{"channels.smtp_intake.tls_cert_file": "cert.pem", "channels.smtp_intake.tls_key_file": "key.pem",
                      "channels.smtp_intake.require_starttls": True, "digest.recipients": []})
    assert cfg.channels.smtp_intake.tls_cert_file == str(tmp_path / "cert.pem")  # relative: in the data directory
    svc = Service(cfg)
    await svc.start()
    try:
        def plain() -> None:
            with smtplib.SMTP("127.0.0.1", svc.smtp_port, timeout=10) as c:
                c.sendmail("ada@example.com", [OFFICE], message().wire)

        def secured() -> None:
            with smtplib.SMTP("127.0.0.1", svc.smtp_port, timeout=10) as c:
                c.starttls(context=ssl.create_default_context(cafile=tls_ca.pem_path))
                c.sendmail("ada@example.com", [OFFICE], message().wire)

        import asyncio

        with pytest.raises(smtplib.SMTPSenderRefused, match="STARTTLS"):
            await asyncio.to_thread(plain)
        await asyncio.to_thread(secured)
        with svc.sessions() as s:
            assert len(list(s.scalars(select(RawMessage.id)))) == 1
    finally:
        await svc.stop()
