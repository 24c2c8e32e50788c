"""Render the reply (and any staff alert) from Jinja2 templates, within the per-sender limit."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from handlers.fragments import joined_content_free_case
from handlers.safetext import header_text
from handlers.types import CHAT_REPLY_KINDS, Context, Reply, Triage

NAME = "compose"
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
_NOUNS = {
    "complaint": "complaint",
    "foi": "request for information",
    "consultation": "consultation response",
}


def make_environment(directory: Path = TEMPLATE_DIR) -> Environment:
    """Text templates are not escaped; `.html.j2` ones are (autoescape by file name)."""
    return Environment(
        loader=FileSystemLoader(str(directory)),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def choose_template(triage: Triage) -> str:
    """Which reply template applies; urgent advice always wins over everything else."""
    if triage.reply_kind in CHAT_REPLY_KINDS:
        return triage.template or f"chat_{triage.reply_kind}"
    if triage.urgent:
        return "emergency_999"
    if triage.campaign is not None or triage.new_campaign_title or triage.category == "campaign":
        return "campaign"
    if triage.followup and not joined_content_free_case(triage):
        # After a bare "hello?" the first real message gets the full signposting reply.
        return "followup"
    return triage.template or triage.agency or "opcc"


def _fmt(d: date | None) -> str | None:
    return f"{d:%A} {d.day} {d:%B %Y}" if d else None


def _greeting_name(triage: Triage) -> str:
    inc = triage.incoming
    name = (triage.person_name or (inc.sender_name if inc else "") or "").strip()
    return name if name and "@" not in name else "Sir or Madam"


def office_variables(cfg: Any, agency: str | None) -> dict[str, Any]:
    """The office, force and directory names every reply template uses (casework replies too)."""
    agency_key = agency if agency and agency != "none" else "opcc"
    return {
        "office": cfg.office,
        "force": cfg.force,
        "agencies": cfg.agencies,
        "agency": cfg.agencies[agency_key],
        "agency_key": agency_key,
    }


def _variables(triage: Triage, ctx: Context) -> dict[str, Any]:
    campaign_response = triage.campaign.response if triage.campaign else None
    return {
        **office_variables(ctx.config, triage.agency),
        "triage": triage,
        "incoming": triage.incoming,
        "category": triage.category,
        "urgent": triage.urgent,
        "reference": triage.reference or "",
        "case": triage.case,
        "case_reopened": bool(triage.case and triage.case.status == "closed"),
        "campaign_response": campaign_response,
        "open_cases": triage.open_cases,
        "noun": _NOUNS.get(triage.category or "", "message"),
        "greeting_name": _greeting_name(triage),
        "acknowledge_by": _fmt(triage.acknowledge_by),
        "respond_by": _fmt(triage.respond_by),
    }


def render_reply(env: Environment, name: str, subject: str, variables: dict[str, Any]) -> Reply:
    """Render templates/reply/<name>.txt.j2 and its HTML twin (own .html.j2 or the wrapper)."""
    text = env.get_template(f"reply/{name}.txt.j2").render(**variables).strip() + "\n"
    try:
        html_t = env.get_template(f"reply/{name}.html.j2")
    except TemplateNotFound:
        html_t = env.get_template("reply/_wrapper.html.j2")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = html_t.render(**variables, subject=subject, paragraphs=paragraphs)
    return Reply(subject=header_text(subject, 250), text=text, html=html)


def _subject(triage: Triage) -> str:
    inc = triage.incoming
    original = header_text(inc.subject if inc else "", 150)
    ref = triage.reference
    if triage.reply_kind in CHAT_REPLY_KINDS or not ref:
        return original or "Your message"
    if ref in original:
        base = original if original.lower().startswith("re:") else f"Re: {original}"
        return base
    return f"[{ref}] Re: {original}" if original else f"[{ref}] Your message to us"


def _over_limit(triage: Triage, ctx: Context) -> bool:
    inc = triage.incoming
    if inc is None or not inc.sender_address:
        return False
    limits = ctx.config.acknowledgements
    since = triage.received_at - timedelta(hours=limits.window_hours)
    sent = ctx.acks_to_sender_since(inc.sender_address, since)
    if sent >= limits.max_per_sender:
        triage.hit(NAME, "sender_limit", f"{sent} acknowledgements to this sender in "
                   f"{limits.window_hours:g}h (limit {limits.max_per_sender}): reply withheld")
        return True
    return False


def _alert(triage: Triage, ctx: Context, env: Environment) -> Reply:
    inc = triage.incoming
    text = env.get_template("alert/urgent.txt.j2").render(
        reference=triage.reference,
        received_at=triage.received_at.astimezone(ctx.config.office.tz).strftime("%a %d %b %Y %H:%M"),
        channel=inc.channel if inc else triage.channel,
        sender=(inc.sender_address or inc.telegram_username or inc.telegram_user_id) if inc else "",
        subject=inc.subject if inc else "",
        hits=[h for h in triage.hits if h.stage == "urgency"],
        text=(inc.body if inc else "")[:8000],
    )
    return Reply(subject=header_text(f"URGENT {triage.reference}: contact may be at risk now", 200), text=text)


def process(triage: Triage, ctx: Context) -> None:
    env: Environment = ctx.templates
    if triage.urgent:
        triage.alert = _alert(triage, ctx, env)
        triage.hit(NAME, "alert", f"urgent: alert to {len(ctx.config.alerts.duty_addresses)} duty address(es)")
    if not triage.ack or triage.reply_kind in ("none", "edit"):
        return
    if triage.reply_kind not in CHAT_REPLY_KINDS and _over_limit(triage, ctx):
        return
    name = choose_template(triage)
    triage.reply = render_reply(env, name, _subject(triage), _variables(triage, ctx))
    triage.hit(NAME, "template", f"reply/{name}.txt.j2")
