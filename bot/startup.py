"""What `signpost run` says when it starts: which office, where replies go, what is on and off."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from bot.config import Config


def _version() -> str:
    try:
        return version("signpost")
    except PackageNotFoundError:  # run from a checkout without an install
        return "(checkout)"


def _login(auth: str, username: str, provider: str | None) -> str:
    if auth == "oauth2":
        return f"XOAUTH2 as {username} ({provider})"
    return f"login {username}" if username else "no login"


def startup_lines(cfg: Config, smtp_port: int | None, telegram_on: bool) -> list[str]:
    """A newcomer's summary: the office mailbox in full, where replies go, each channel on or off."""
    ch = cfg.channels
    store = cfg.store.url.split("@")[-1]
    lines = [f"Signpost {_version()} for {cfg.office.name}: office mailbox {cfg.office.mailbox}",
             f"data directory {cfg.home}; store {store}"]
    if ch.smtp_intake.enabled and smtp_port:
        lines.append(f"SMTP intake on: {ch.smtp_intake.host}:{smtp_port} accepts mail for "
                     f"{', '.join(sorted(cfg.office.all_addresses))}")
    else:
        lines.append("SMTP intake off (channels.smtp_intake.enabled)")
    i = ch.imap
    if i.enabled:
        lines.append(f"IMAP on: {i.host}:{i.port} folder {i.folder}, TLS {i.tls}, "
                     f"{_login(i.auth, i.username, i.oauth2.provider if i.oauth2 else None)}")
    else:
        lines.append("IMAP off (channels.imap.enabled)")
    if telegram_on:
        lines.append(f"Telegram on: {ch.telegram.mode}")
    else:
        lines.append("Telegram off" + ("" if ch.telegram.enabled else " (channels.telegram.enabled)"))
    o = ch.smtp_outbound
    if o.enabled:
        lines.append(f"replies go out through the relay {o.host}:{o.port}, TLS {o.tls}, "
                     f"{_login(o.auth, o.username, o.oauth2.provider if o.oauth2 else None)}")
    else:
        lines.append(f"replies are written to {o.sink_dir} (no relay: channels.smtp_outbound.enabled is false)")
    duty = ", ".join(cfg.alerts.duty_addresses) or "NOBODY (set alerts.duty_addresses)"
    lines.append(f"urgent alerts to {duty}; digest to {', '.join(cfg.digest.recipients) or 'nobody'}")
    if cfg.web.enabled:
        public = f", public address {cfg.web.public_url}" if cfg.web.public_url else ""
        lines.append(f"dashboard on http://{cfg.web.host}:{cfg.web.port}/ (log in at /login{public}); "
                     "/healthz, /readyz and /metrics beside it")
    else:
        lines.append("dashboard off (web.enabled), and with it /healthz, /readyz and /metrics")
    return lines
