"""`signpost doctor`: check the config, store, channels, addresses and templates; say what to fix."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import socket
import ssl
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.config import Config, ConfigError, config_path, secret

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
REQUIRED_TEMPLATES = ("alert/urgent.txt.j2", "digest/digest.txt.j2", "digest/digest.html.j2",
                      "reply/campaign.txt.j2", "reply/followup.txt.j2", "reply/_wrapper.html.j2")
TIMEOUT = 15.0


@dataclass(frozen=True)
class Finding:
    status: str  # "ok", "warn" or "FAIL"
    area: str
    message: str
    fix: str = ""


def ok(area: str, message: str) -> Finding:
    return Finding("ok", area, message)


def warn(area: str, message: str, fix: str = "") -> Finding:
    return Finding("warn", area, message, fix)


def fail(area: str, message: str, fix: str) -> Finding:
    return Finding("FAIL", area, message, fix)


def print_findings(findings: list[Finding], out: TextIO | None = None) -> int:
    """Print one line per finding (and its fix); returns the exit status: 1 when anything failed."""
    stream = out or sys.stdout
    for f in findings:
        print(f"  {f.status:<4}  {f.area:<12} {f.message}", file=stream)
        if f.fix:
            print(f"  {'':<4}  {'':<12} fix: {f.fix}", file=stream)
    failed = sum(f.status == "FAIL" for f in findings)
    warned = sum(f.status == "warn" for f in findings)
    if failed:
        print(f"{failed} check(s) failed, {warned} warning(s): fix them and run `signpost doctor` again.",
              file=stream)
    else:
        print(f"all checks passed ({warned} warning(s)).", file=stream)
    return 1 if failed else 0


def report_config_error(exc: ConfigError) -> int:
    """The config did not load: that is the finding, and nothing else can be checked."""
    print("signpost doctor: the configuration does not load")
    first, *rest = str(exc).splitlines()
    findings = [fail("config", first, "correct the key named here (every key is commented in the bundled "
                     "config.yaml: `signpost default-config`)")]
    findings += [Finding("FAIL", "config", line.strip()) for line in rest]
    return print_findings(findings)


def run_doctor(cfg: Config, path: str | None = None) -> int:
    """Run every check against `cfg` and print the findings."""
    print(f"signpost doctor: config {config_path(path)}, data directory {cfg.home}")
    return print_findings(asyncio.run(check_all(cfg)))


async def check_all(cfg: Config) -> list[Finding]:
    findings = [ok("config", f"valid: {cfg.office.name} <{cfg.office.mailbox}>")]
    findings += check_home(cfg)
    findings += await asyncio.to_thread(check_store, cfg)
    ch = cfg.channels
    steps: list[tuple[bool, str, Callable[[Config], Awaitable[list[Finding]]]]] = [
        (ch.imap.enabled, "imap", check_imap), (ch.smtp_outbound.enabled, "smtp relay", check_relay),
        (ch.smtp_intake.enabled, "smtp intake", check_intake), (ch.telegram.enabled, "telegram", check_telegram)]
    for enabled, area, step in steps:
        if enabled:
            findings += await step(cfg)
        elif area != "smtp relay":
            findings.append(ok(area, "off"))
    if not ch.smtp_outbound.enabled:
        findings.append(warn("smtp relay", f"off: replies are written to {ch.smtp_outbound.sink_dir}, "
                             "nobody receives them", "set channels.smtp_outbound (enabled: true, host, port, tls)"))
    findings += check_addresses(cfg)
    findings += await asyncio.to_thread(check_templates, cfg)
    findings += check_web(cfg)
    return findings


def check_home(cfg: Config) -> list[Finding]:
    home = Path(cfg.home)
    probe = home if home.exists() else home.parent
    if not probe.exists() or not _writable(probe):
        return [fail("data", f"{home} is not writable", "create it for the service's user, or pass --home / "
                     "set SIGNPOST_HOME to a writable directory")]
    return [ok("data", f"{home}{'' if home.exists() else ' (created at first start)'}")]


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK)


def check_store(cfg: Config) -> list[Finding]:
    """Connect and compare the schema's migration level with this release's, without migrating."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import SQLAlchemyError

    from store.db import alembic_config, make_engine

    where = cfg.store.url.split("@")[-1]
    try:
        engine = make_engine(cfg.store.url)
    except (SQLAlchemyError, ValueError, OSError) as exc:
        return [fail("store", f"bad store URL {where}: {exc}", "check store.url (or the variable store.url_env names)")]
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    except SQLAlchemyError as exc:
        return [fail("store", f"cannot connect to {where}: {str(exc).splitlines()[0]}",
                     "check the database is running and the URL, user and password are right")]
    finally:
        engine.dispose()
    if current == head:
        return [ok("store", f"{where}, schema at migration {head}")]
    if current is None:
        return [warn("store", f"{where} is empty", "nothing to do: `signpost run` creates the schema on start")]
    return [warn("store", f"{where} is at migration {current}, this release needs {head}",
                 "`signpost run` migrates it on start; back the database up first")]


def _network_fix(host: str, port: int, exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return (f"the TLS handshake with {host}:{port} failed: check `tls` matches the port (implicit for "
                "993/465, starttls for 143/587) and `ca_file` for a private CA")
    if isinstance(exc, socket.gaierror):
        return f"the host name {host} does not resolve: check `host`"
    return f"check that {host}:{port} is reachable from this machine (firewall, host, port)"


def _login_fix(auth: str, password_env: str, provider: str | None) -> str:
    if auth == "oauth2":
        hints = {"microsoft": "grant the app IMAP.AccessAsApp / SMTP.SendAsApp (or the delegated permissions) "
                              "and register its service principal in Exchange Online (README)",
                 "google": "authorise the client ID for https://mail.google.com/ in the Workspace admin console "
                           "(domain-wide delegation), or renew the refresh token (README)",
                 "generic": "check the token endpoint's client and the server's token validation"}
        return hints.get(provider or "generic", hints["generic"])
    return f"check `username` and the password in ${password_env}"


async def check_imap(cfg: Config) -> list[Finding]:
    from imapclient.exceptions import IMAPClientError, LoginError

    from bot.channels.imap_poll import ImapPoller, _close
    from bot.oauth import OAuth2Error

    i = cfg.channels.imap
    if i.auth == "password" and secret(i.password_env) is None:
        return [fail("imap", f"no password: ${i.password_env} is empty", f"set {i.password_env} in the "
                     "service's environment (.env, the systemd EnvironmentFile)")]
    poller = ImapPoller(cfg, None, None)  # type: ignore[arg-type]  # only connects: no store needed
    provider = i.oauth2.provider if i.oauth2 else None
    try:
        conn = await asyncio.wait_for(asyncio.to_thread(poller._connect), TIMEOUT)
    except OAuth2Error as exc:
        return [fail("imap", f"no access token: {exc}", _login_fix("oauth2", i.password_env, provider))]
    except LoginError as exc:
        return [fail("imap", f"{i.host} refused the login for {i.username}: {exc}",
                     _login_fix(i.auth, i.password_env, provider))]
    except IMAPClientError as exc:
        if "select" in str(exc).lower() or "folder" in str(exc).lower() or "mailbox" in str(exc).lower():
            return [fail("imap", f"folder {i.folder!r}: {exc}", "check `folder` (names are case-sensitive; "
                         "Microsoft 365 and Google both call the inbox INBOX)")]
        return [fail("imap", f"{i.host}:{i.port}: {exc}", _login_fix(i.auth, i.password_env, provider))]
    except (OSError, TimeoutError) as exc:
        return [fail("imap", f"cannot connect to {i.host}:{i.port} (TLS {i.tls}): {exc or 'timed out'}",
                     _network_fix(i.host, i.port, exc))]
    try:
        count = await asyncio.to_thread(lambda: len(conn.client.search(["ALL"])))
    finally:
        await asyncio.to_thread(_close, conn.client)
    how = f"XOAUTH2 ({provider})" if i.auth == "oauth2" else "password"
    return [ok("imap", f"{i.username}@{i.host}:{i.port} TLS {i.tls}, {how}; folder {i.folder}: {count} message(s), "
               f"IDLE {'on' if conn.has_idle else 'off'}")]


async def check_relay(cfg: Config) -> list[Finding]:
    import aiosmtplib

    from bot.oauth import OAuth2Error, token_source
    from bot.sender import relay_client, relay_login, relay_tls

    o = cfg.channels.smtp_outbound
    provider = o.oauth2.provider if o.oauth2 else None
    token = token_source(o.oauth2, o.username, "smtp") if o.auth == "oauth2" and o.oauth2 else None
    if o.auth == "password" and o.username and secret(o.password_env) is None:
        return [fail("smtp relay", f"no password: ${o.password_env} is empty", f"set {o.password_env}")]
    found: list[Finding] = []
    if o.tls == "none" and o.host not in ("127.0.0.1", "localhost", "::1"):
        found.append(warn("smtp relay", f"{o.host} is not on this machine and tls is none: replies cross the "
                          "network in clear", "set tls: starttls (port 587) or implicit (port 465)"))
    try:
        async with relay_client(o, relay_tls(o)) as client:
            await relay_login(client, o, token)
            extensions = ", ".join(sorted(client.esmtp_extensions)) or "none"
    except OAuth2Error as exc:
        return [*found, fail("smtp relay", f"no access token: {exc}", _login_fix("oauth2", o.password_env, provider))]
    except aiosmtplib.SMTPAuthenticationError as exc:
        return [*found, fail("smtp relay", f"{o.host} refused the login for {o.username}: {exc.code} {exc.message}",
                             _login_fix(o.auth, o.password_env, provider))]
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return [*found, fail("smtp relay", f"cannot talk to {o.host}:{o.port} (TLS {o.tls}): {exc}",
                             _network_fix(o.host, o.port, exc))]
    how = f"XOAUTH2 ({provider}) as {o.username}" if token else (f"login {o.username}" if o.username else "no login")
    return [*found, ok("smtp relay", f"{o.host}:{o.port} TLS {o.tls}, EHLO answered ({extensions}), {how}")]


async def check_intake(cfg: Config) -> list[Finding]:
    c = cfg.channels.smtp_intake
    found: list[Finding] = []
    if c.tls_cert_file:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(c.tls_cert_file, c.tls_key_file)
            found.append(ok("smtp intake", f"STARTTLS certificate {c.tls_cert_file} loads"))
        except (OSError, ssl.SSLError) as exc:
            return [fail("smtp intake", f"cannot load the STARTTLS certificate/key: {exc}",
                         "check tls_cert_file and tls_key_file (PEM, readable by the service's user)")]
    with socket.socket(socket.AF_INET6 if ":" in c.host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the service binds: TIME_WAIT is no clash
        try:
            s.bind((c.host, c.port))
            found.append(ok("smtp intake", f"{c.host}:{c.port} is free to listen on"))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                found.append(warn("smtp intake", f"{c.host}:{c.port} is in use (by a running signpost?)",
                                  "if Signpost is not running, choose another channels.smtp_intake.port"))
            else:
                found.append(fail("smtp intake", f"cannot listen on {c.host}:{c.port}: {exc.strerror}",
                                  "check channels.smtp_intake.host (an address of this machine) and port"))
    return found


async def check_telegram(cfg: Config) -> list[Finding]:
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    t = cfg.channels.telegram
    token = secret(t.token_env)
    if token is None:
        return [fail("telegram", f"no token: ${t.token_env} is empty", f"set {t.token_env} to the token "
                     "@BotFather gave")]
    bot = Bot(token, base_url=t.base_url, base_file_url=t.base_file_url)
    try:
        async with bot:
            me = await asyncio.wait_for(bot.get_me(), TIMEOUT)
    except InvalidToken:
        return [fail("telegram", "the Bot API rejected the token", f"check {t.token_env} (ask @BotFather "
                     "for the token again)")]
    except (TelegramError, TimeoutError) as exc:
        return [fail("telegram", f"getMe failed: {exc}", f"check that {t.base_url} is reachable")]
    return [ok("telegram", f"@{me.username}, {t.mode} mode")]


def check_addresses(cfg: Config) -> list[Finding]:
    found: list[Finding] = []
    duty, digest = cfg.alerts.duty_addresses, cfg.digest.recipients
    bad = [a for a in (*duty, *digest) if not _ADDRESS.match(a)]
    if bad:
        found.append(fail("addresses", f"not email addresses: {', '.join(bad)}",
                          "correct alerts.duty_addresses / digest.recipients"))
    if not duty:
        found.append(fail("addresses", "alerts.duty_addresses is empty: an urgent contact would alert nobody",
                          "add the duty team's address to alerts.duty_addresses"))
    loops = [a for a in duty if a.lower() in cfg.office.all_addresses]
    if loops:
        found.append(fail("addresses", f"the duty address {', '.join(loops)} is the office's own intake",
                          "alerts would come back in as contacts: use a staff address"))
    if not digest:
        found.append(warn("addresses", "digest.recipients is empty: no daily digest is sent",
                          "add the managers' addresses to digest.recipients"))
    if not found:
        found.append(ok("addresses", f"duty {', '.join(duty)}; digest {', '.join(digest)}"))
    return found


def check_templates(cfg: Config) -> list[Finding]:
    """Every agency's reply template and the alert and digest ones exist, and every template compiles."""
    from jinja2 import TemplateError

    from bot.web.common import page_environment
    from bot.words import add_filters
    from handlers.compose import make_environment

    # Digest and report templates use the words filters; the dashboard's pages have filters of their own.
    env, pages = add_filters(make_environment()), page_environment()
    names = set(env.list_templates())
    need = [*REQUIRED_TEMPLATES, *(f"reply/{a}.txt.j2" for a in cfg.agencies if a != "none")]
    missing = [n for n in need if n not in names]
    broken = []
    for name in sorted(n for n in names if n.endswith((".j2", ".html"))):
        try:
            (pages if name.startswith("web/") else env).get_template(name)
        except TemplateError as exc:
            broken.append(f"{name}: {exc}")
    found: list[Finding] = []
    if missing:
        found.append(fail("templates", f"missing: {', '.join(missing)}", "restore them from the release "
                          "(templates/ of the checkout, or reinstall)"))
    if broken:
        found.append(fail("templates", f"do not compile: {'; '.join(broken)}", "fix the Jinja2 syntax named"))
    if not found:
        found.append(ok("templates", f"{len(names)} templates compile, one reply for each of "
                        f"{len(cfg.agencies) - ('none' in cfg.agencies)} agencies"))
    return found


def check_web(cfg: Config) -> list[Finding]:
    w = cfg.web
    if not w.enabled:
        return [warn("web", "dashboard off: no queues for caseworkers, no /healthz, /readyz or /metrics",
                     "set web.enabled: true")]
    found = [ok("web", f"dashboard on {w.host}:{w.port}")]
    if secret(w.secret_env) is None:
        found.append(warn("web", f"${w.secret_env} is empty: a new cookie key at each start logs everyone out",
                          f"set {w.secret_env} to a long random string"))
    if not w.public_url:
        found.append(warn("web", "web.public_url is not set: alerts and the digest carry bare references",
                          "set web.public_url to the dashboard's address as staff reach it"))
    return found
