"""Reply drafts on the case page: the templates that fit a case, the office's saved replies, and loading
one without losing what the caseworker typed.

Saved replies are Jinja2 bodies written by managers; they see the same placeholders as the file
templates and render in a sandbox (no attribute tricks), inside the shared frame of _base.txt.j2.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bot.config import Config
from bot.shipped import templates_dir
from bot.words import agency_name
from handlers.compose import greeting, office_variables, render_reply, tidy
from store.models import Case, CaseStatus, Contact, Direction, SavedReply

CASEWORK_DIR, REPLY_DIR, SAVED = "casework", "reply", "saved"
_NOUNS = {"complaint": "complaint", "foi": "request for information", "consultation": "consultation response"}
_CASEWORK_LABELS = {"response": "Full response", "no_update_yet": "Holding letter: no update yet",
                    "signpost_onward": "Signpost onward to the body now chosen"}
_REPLY_LABELS = {"followup": "Follow-up acknowledgement", "campaign": "Campaign reply",
                 "emergency_999": "Urgent: call 999 now"}
# Where a typed letter's own frame starts and ends, so only the caseworker's words move over.
_GREETING = re.compile(r"\A\s*(?:IF YOU OR ANYONE ELSE IS IN DANGER NOW.*?\n\s*\n)?Dear [^\n]*,\s*\n", re.S)
_SIGN_OFF = re.compile(r"\n\s*(?:If you or anyone else is ever in immediate danger|Yours sincerely,).*\Z", re.S)
PLACEHOLDERS = (
    ("greeting_name", "the person's name, or Sir or Madam"), ("reference", "the case reference"),
    ("respond_by", "the respond-by date, as Monday 7 December 2026"), ("acknowledge_by", "the acknowledge-by date"),
    ("noun", "message, complaint, request for information or consultation response"),
    ("office.name", "the office's name"), ("office.commissioner", "how replies name the Commissioner"),
    ("office.phone", "the office's phone number"), ("office.website", "the office's web site"),
    ("force.name", "the force's name"), ("agency.name", "the body the case is signposted to"),
    ("agency.phone", "its phone number"), ("agency.web", "its web site"),
    ("agencies.police_101.phone", "any body of the directory, by key"),
    ("category", "the case's category code"), ("urgent", "true for an urgent case"),
    ("campaign_response", "the campaign's set response, if any"),
)


@dataclass(frozen=True)
class TemplateChoice:
    key: str  # "casework/response", "reply/opcc" or "saved/3"
    label: str


def reply_templates(directory: Path | None = None) -> list[TemplateChoice]:
    """Every file template a caseworker may start a reply from (the lint renders them all)."""
    directory = directory or templates_dir()
    out: list[TemplateChoice] = []
    for p in sorted((directory / CASEWORK_DIR).glob("*.txt.j2")):
        stem = p.name.removesuffix(".txt.j2")
        out.append(TemplateChoice(f"{CASEWORK_DIR}/{stem}", _CASEWORK_LABELS.get(stem, stem.replace("_", " "))))
    for p in sorted((directory / REPLY_DIR).glob("*.txt.j2")):
        stem = p.name.removesuffix(".txt.j2")
        # "_x" are partials; "chat_x" answer Telegram bot commands, not cases; a campaign's response
        # goes to each participant from the campaign page (bot/campaign_send.py); the fail-safe and
        # third-party acknowledgements answer no case of their own.
        if not stem.startswith(("_", "chat_", "campaign_response", "fallback", "third_party")):
            label = _REPLY_LABELS.get(stem) or f"Signposting: {agency_name(stem.split('.')[0])}"
            out.append(TemplateChoice(f"{REPLY_DIR}/{stem}", label))
    return out


def _fits_file(key: str, case: Case) -> bool:
    sub, name = key.split("/", 1)
    closed = case.status is CaseStatus.closed
    if sub == CASEWORK_DIR:
        if name == "signpost_onward":
            return case.agency not in (None, "opcc", "none")
        return not (closed and name == "no_update_yet")
    base = name.split(".")[0]  # a language twin ("opcc.cy") fits where its English one does
    if base == "emergency_999":
        return case.urgent
    if base == "campaign":
        return case.campaign_id is not None or case.category == "campaign"
    if base == "followup":
        return not closed
    return base == (case.agency or "opcc")


def fits(saved: SavedReply, case: Case) -> bool:
    return saved.active and (not saved.categories or case.category in saved.categories) and (
        not saved.agencies or case.agency in saved.agencies)


def choices_for(case: Case, saved: Sequence[SavedReply]) -> list[TemplateChoice]:
    """What the case page offers: the file templates and saved replies that fit this case."""
    files = [t for t in reply_templates() if _fits_file(t.key, case)]
    return files + [TemplateChoice(f"{SAVED}/{r.id}", f"Saved: {r.name}") for r in saved if fits(r, case)]


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


def template_variables(cfg: Config, case: Case, contacts: Sequence[Contact], message: str = "") -> dict[str, Any]:
    """The names the reply templates use, filled from a stored case (as compose does from triage).

    `contacts` are the case's contacts in time order (the page may pass only the latest ones);
    `message` is the caseworker's own text, which the template places.
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
        "message": message,
    }


def reply_subject(case: Case, contacts: Sequence[Contact]) -> str:
    last: Contact | None = next(
        (c for c in reversed(contacts) if c.direction is Direction.inbound and c.subject), None
    )
    base = last.subject if last else case.subject
    if case.reference in base:
        return base if base.lower().startswith("re:") else f"Re: {base}"
    return f"[{case.reference}] Re: {base}" if base else f"[{case.reference}] Your case"


def sandbox(env: Environment) -> SandboxedEnvironment:
    """Where saved bodies render: strict about unknown names, with the reply filters."""
    box = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    box.filters.update({k: v for k, v in env.filters.items() if k in ("upfirst",)})
    return box


def render_saved(env: Environment, saved_body: str, variables: dict[str, Any]) -> str:
    """A saved reply's body in the sandbox, then inside the shared frame.

    Raises:
        TemplateError: a syntax error or a placeholder that does not exist.
    """
    body = sandbox(env).from_string(saved_body).render(**variables)
    subject = f"[{variables['reference']}]"
    return render_reply(env, "_saved", subject, {**variables, "saved_body": tidy(body).strip()}).text


def typed_body(text: str) -> str:
    """What a caseworker wrote in the reply box, without the frame of a template loaded before."""
    text = _GREETING.sub("", text.replace("\r\n", "\n"), count=1)
    return _SIGN_OFF.sub("", text).strip()


def render_choice(env: Environment, cfg: Config, case: Case, contacts: Sequence[Contact], key: str, *,
                  saved: SavedReply | None = None, typed: str = "") -> str:
    """The text of template `key` for this case, for the caseworker to edit; `typed` (their own
    words) takes the template's bracketed line, or follows the template's body.

    Raises:
        ValueError: a key that is not one of reply_templates() or the given saved reply.
    """
    variables = template_variables(cfg, case, contacts, typed_body(typed))
    sub, name = key.split("/", 1)
    if sub == SAVED:
        if saved is None or f"{SAVED}/{saved.id}" != key:
            raise ValueError(f"no saved reply {key!r}")
        try:
            return render_saved(env, saved.body, variables)
        except TemplateError as exc:
            raise ValueError(f"the saved reply “{saved.name}” does not render: {exc}") from exc
    if key not in {t.key for t in reply_templates()}:
        raise ValueError(f"no reply template {key!r}")
    if sub == REPLY_DIR:
        return render_reply(env, name, reply_subject(case, contacts), variables).text
    return tidy(env.get_template(f"{key}.txt.j2").render(**variables))


def sample_case() -> Case:
    """A fictional case to try a saved reply on before it is stored."""
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    return Case(id=0, reference="MID-2026-00001", status=CaseStatus.open, category="correspondence", agency="opcc",
                urgent=False, channel="email", subject="A question", opened_at=now, last_action_at=now,
                acknowledge_by=date(2026, 11, 25), respond_by=date(2026, 12, 7))


def check_saved(env: Environment, cfg: Config, body: str) -> str | None:
    """Why a saved body cannot be used (its error, in words), or None when it renders."""
    try:
        render_saved(env, body, template_variables(cfg, sample_case(), []))
    except TemplateError as exc:
        return f"{type(exc).__name__.removeprefix('Template')}: {exc}"
    return None
