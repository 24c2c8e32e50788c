"""Office-aware glue for caseworker tools: queue clocks, due dates and reply templates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment

from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.shipped import templates_dir
from handlers.compose import greeting, office_variables, render_reply
from store.models import Case, Contact, Direction
from store.queues import QueueClock

# Caseworker templates (templates/casework/) come first in the dashboard's list; triage's
# own reply templates (templates/reply/, not the partials starting with "_") follow.
CASEWORK_DIR = "casework"
REPLY_DIR = "reply"
_NOUNS = {"complaint": "complaint", "foi": "request for information", "consultation": "consultation response"}
_BLANK_RUNS = re.compile(r"\n\s*\n(\s*\n)+")


def calendar(cfg: Config) -> WorkingCalendar:
    return WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)


def queue_clock(cfg: Config, now: datetime) -> QueueClock:
    """Today in the office, and the moment before which a case counts as stale."""
    cal = calendar(cfg)
    today = cal.local_date(now)
    last_stale_day = cal.latest_start(today, cfg.sla.stale_days)
    return QueueClock(today=today, stale_before=cal.start_of_day(last_stale_day + timedelta(days=1)))


def due_dates(cfg: Config, received_at: datetime, category: str | None) -> tuple[date, date]:
    """(acknowledge_by, respond_by) for a contact; FOI requests get the statutory 20 days."""
    cal = calendar(cfg)
    respond = cfg.sla.foi_days if category == "foi" else cfg.sla.respond_days
    return cal.due_date(received_at, cfg.sla.acknowledge_days), cal.due_date(received_at, respond)


def msgid_domain(cfg: Config) -> str:
    return cfg.office.mailbox.rsplit("@", 1)[1]


@dataclass(frozen=True)
class TemplateChoice:
    key: str  # "casework/response" or "reply/opcc"
    label: str


def reply_templates(directory: Path | None = None) -> list[TemplateChoice]:
    """Templates a caseworker may start a reply from."""
    directory = directory or templates_dir()
    out: list[TemplateChoice] = []
    for sub, label in ((CASEWORK_DIR, "Casework"), (REPLY_DIR, "Triage reply")):
        for p in sorted((directory / sub).glob("*.txt.j2")):
            stem = p.name.removesuffix(".txt.j2")
            # "_x" are partials; "chat_x" answer Telegram bot commands, not cases; a campaign's
            # response goes to each participant from the campaign page (bot/campaign_send.py).
            if not stem.startswith(("_", "chat_", "campaign_response", "fallback", "third_party")):
                out.append(TemplateChoice(f"{sub}/{stem}", f"{label}: {stem.replace('_', ' ')}"))
    return out


def _fmt(d: date | None) -> str | None:
    return f"{d:%A} {d.day} {d:%B %Y}" if d else None


def _greeting(case: Case, contacts: Sequence[Contact]) -> str:
    """The case's own person by name; never one campaign participant's (or a third party's) name."""
    if case.campaign_id is not None:
        return greeting(None)
    name = (case.person.name if case.person else None) or ""
    if not name:
        own = [c for c in contacts if c.direction is Direction.inbound and c.sender_name
               and (case.person_id is None or c.person_id == case.person_id)]
        name = own[0].sender_name or "" if own else ""
    return greeting(name)


def template_variables(cfg: Config, case: Case, contacts: Sequence[Contact]) -> dict[str, Any]:
    """The names the reply templates use, filled from a stored case (as compose does from triage).

    `contacts` are the case's contacts in time order (the page may pass only the latest ones).
    """
    return {
        **office_variables(cfg, case.agency),
        "category": case.category,
        "urgent": case.urgent,
        "reference": case.reference,
        "case": case,
        "case_reopened": False,
        "campaign_response": case.campaign.response if case.campaign else None,
        "open_cases": [],
        "noun": _NOUNS.get(case.category or "", "message"),
        "greeting_name": _greeting(case, contacts),
        "acknowledge_by": _fmt(case.acknowledge_by),
        "respond_by": _fmt(case.respond_by),
        "helplines": [h for h in cfg.helplines.values() if h.default] if case.urgent else [],
        "message": "",
    }


def reply_subject(case: Case, contacts: Sequence[Contact]) -> str:
    last: Contact | None = next(
        (c for c in reversed(contacts) if c.direction is Direction.inbound and c.subject), None
    )
    base = last.subject if last else case.subject
    if case.reference in base:
        return base if base.lower().startswith("re:") else f"Re: {base}"
    return f"[{case.reference}] Re: {base}" if base else f"[{case.reference}] Your case"


def render_choice(env: Environment, cfg: Config, case: Case, contacts: Sequence[Contact], key: str) -> str:
    """The text of template `key` for this case, for the caseworker to edit.

    Raises:
        ValueError: a key that is not one of reply_templates().
    """
    if key not in {t.key for t in reply_templates()}:
        raise ValueError(f"no reply template {key!r}")
    sub, name = key.split("/", 1)
    if sub == REPLY_DIR:
        variables = template_variables(cfg, case, contacts)
        text = render_reply(env, name, reply_subject(case, contacts), variables).text
    else:
        text = env.get_template(f"{key}.txt.j2").render(**template_variables(cfg, case, contacts))
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
