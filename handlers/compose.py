"""Render the reply (and any staff alert) from Jinja2 templates, within the per-sender limit."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup, escape

from handlers import urgency
from handlers.safetext import header_text
from handlers.settings import HelplineSettings, Settings
from handlers.types import Context, Reply, Triage

NAME = "compose"
_NOUNS = {
    "complaint": "complaint",
    "foi": "request for information",
    "consultation": "consultation response",
}
_NOUNS_CY = {
    "complaint": "cwyn",
    "foi": "cais am wybodaeth",
    "consultation": "ymateb i'r ymgynghoriad",
}
_DAYS_CY = ("Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul")
_MONTHS_CY = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
              "Tachwedd", "Rhagfyr")
_BLANK_RUNS = re.compile(r"\n{3,}")
# http(s) URLs and email addresses; a URL's last character is not punctuation that ends a sentence.
_LINKABLE = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def upfirst(text: str) -> str:
    """The first letter in capitals, the rest untouched ("the Police and Crime Commissioner" ->
    "The Police and Crime Commissioner"; `capitalize` would lower-case the rest)."""
    return text[:1].upper() + text[1:]


def linkify(text: str) -> Markup:
    """Escape `text` and make its web and email addresses links (trailing full stops stay outside)."""
    out, last = [], 0
    for m in _LINKABLE.finditer(text):
        out.append(escape(text[last:m.start()]))
        target = m.group(0)
        href = target if "@" not in target or target.startswith("http") else f"mailto:{target}"
        out.append(Markup('<a href="{}">{}</a>').format(href, target))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines (conditional template blocks leave them)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


# A bilingual reply: a line in the other language saying where to find it, and a rule between.
_SCROLL = {"cy": "(Please scroll down for the English version.)", "en": "(Sgroliwch i lawr am y fersiwn Gymraeg.)"}
_DANGER = {"cy": "OS YDYCH CHI NEU UNRHYW UN ARALL MEWN PERYGL NAWR, FFONIWCH 999.",
           "en": "IF YOU OR ANYONE ELSE IS IN DANGER NOW, CALL 999."}
_RULE = "-" * 60


def yw(name: str) -> str:
    """Welsh "yw" before a name, contracted before the article: "yw'r Panel", "yw Adran ...", "yw'r heddlu"."""
    for article in ("yr ", "y "):
        if name.lower().startswith(article):
            return f"yw'r {name[len(article):]}"
    return f"yw {name}"


def make_environment(directory: Path | None = None) -> Environment:
    """Text templates are not escaped; `.html.j2` ones are (autoescape by file name).

    `directory` defaults to the shipped templates (bot/shipped.py: the package's, or a checkout's).
    """
    if directory is None:
        from bot.shipped import templates_dir

        directory = templates_dir()
    env = Environment(
        loader=FileSystemLoader(str(directory)),
        undefined=StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(upfirst=upfirst, linkify=linkify)
    env.filters["yw"] = yw
    return env


# A third party's reply says nothing of the case: no reference, dates or state of it.
_THIRD_PARTY: dict[str, Any] = {"reference": "", "case": None, "case_reopened": False, "respond_by": None,
                                "acknowledge_by": None, "respond_by_cy": None, "acknowledge_by_cy": None}


def choose_template(triage: Triage) -> str:
    """Which reply template applies; urgent advice always wins over everything else."""
    if triage.chat_reply is not None:
        return triage.template or f"chat_{triage.chat_reply}"
    if triage.urgent:
        return "emergency_999"
    if triage.third_party:
        return "third_party"
    if triage.campaign is not None or triage.new_campaign_title or triage.category == "campaign":
        return "campaign"
    if triage.arrangement is not None:
        # A contact arrangement: the restricted acknowledgement (never for urgent, handled above).
        return "restricted"
    if triage.followup and not triage.after_greetings:
        # After a bare "hello?" the first real message gets the full signposting reply.
        return "followup"
    return triage.template or triage.agency or "opcc"


def _fmt(d: date | None) -> str | None:
    return f"{d:%A} {d.day} {d:%B %Y}" if d else None


def fmt_date_cy(d: date | None) -> str | None:
    """A date as Welsh replies write it: "dydd Llun 8 Mehefin 2026"."""
    return f"dydd {_DAYS_CY[d.weekday()]} {d.day} {_MONTHS_CY[d.month - 1]} {d.year}" if d else None


def reply_languages(triage: Triage, cfg: Settings) -> tuple[str, ...]:
    """Welsh offices answer everyone bilingually, Welsh first; others answer Welsh mail bilingually."""
    if cfg.office.welsh:
        return ("cy", "en")
    return ("en", "cy") if triage.language == "cy" else ("en",)


def welsh_variables(cfg: Settings, agency_key: str, greeting: str, category: str | None,
                    respond_by: date | None, acknowledge_by: date | None) -> dict[str, Any]:
    """The Welsh forms the templates under reply/cy/ use; each falls back to the English one."""
    o = cfg.office
    agency = cfg.agencies[agency_key]
    return {
        "office_cy": SimpleNamespace(name=o.name_cy or o.name, commissioner=o.commissioner_cy or o.commissioner,
                                     signature=o.signature_cy or o.signature,
                                     postal_address=o.postal_address_cy or o.postal_address),
        "force_cy": cfg.force.name_cy or cfg.force.name,
        "agency_cy": agency.name_cy or agency.name,
        "noun_cy": _NOUNS_CY.get(category or "", "neges"),
        "greeting_name_cy": greeting if greeting != "Sir or Madam" else "Syr neu Fadam",
        "respond_by_cy": fmt_date_cy(respond_by),
        "acknowledge_by_cy": fmt_date_cy(acknowledge_by),
    }


def greeting(name: str | None) -> str:
    """How a reply addresses someone: by name, or "Sir or Madam" when the name is unknown or an address."""
    name = (name or "").strip()
    return name if name and "@" not in name else "Sir or Madam"


def _greeting_name(triage: Triage) -> str:
    inc = triage.incoming
    return greeting(triage.person_name or (inc.sender_name if inc else ""))


def helplines_for(triage: Triage, cfg: Settings) -> list[HelplineSettings]:
    """The helplines of the config's directory that fit this urgent contact's risk (none if not urgent)."""
    if not triage.urgent:
        return []
    cues = urgency.fired_cues(triage)
    text = triage.incoming.full_text if triage.incoming else ""
    table = dict(cfg.helplines)
    fits = [h for h in table.values()
            if set(h.cues) & cues or (h.words and re.search(h.words, text, re.IGNORECASE))]
    return fits or [h for h in table.values() if h.default]


def office_variables(cfg: Settings, agency: str | None) -> dict[str, Any]:
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
    office = office_variables(ctx.config, triage.agency)
    return {
        **office,
        **welsh_variables(ctx.config, office["agency_key"], _greeting_name(triage), triage.category,
                          triage.respond_by, triage.acknowledge_by),
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
        "helplines": helplines_for(triage, ctx.config),
        **(_THIRD_PARTY if triage.third_party else {}),
    }


def _render_text(env: Environment, name: str, variables: dict[str, Any], languages: tuple[str, ...]) -> list[str]:
    """Each language's text, in order; a language without its template (reply/cy/<name>) is left out."""
    templates = []
    for lang in languages:
        path = f"reply/{name}.txt.j2" if lang == "en" else f"reply/{lang}/{name}.txt.j2"
        try:
            templates.append((lang, env.get_template(path)))
        except TemplateNotFound:
            if lang == "en":
                raise
    # The 999 line is said once: by each text alone, or by the bilingual head line for both.
    shown = {**variables, "danger_line": len(templates) < 2}
    parts = [(lang, template.render(**shown).strip()) for lang, template in templates]
    if len(parts) < 2:
        return [parts[0][1]] if parts else []
    first = parts[0][0]
    head = [" ".join(_DANGER[lang] for lang, _ in parts)] if variables.get("urgent") else []
    return [*head, _SCROLL[first], parts[0][1], _RULE, parts[1][1]]


def render_reply(env: Environment, name: str, subject: str, variables: dict[str, Any],
                 languages: tuple[str, ...] = ("en",)) -> Reply:
    """Render templates/reply/<name>.txt.j2 and its HTML twin (own .html.j2 or the wrapper).

    With two languages the reply is bilingual: both texts, the first language first, each
    from its own template (reply/cy/<name>.txt.j2 for Welsh); urgent replies open with the
    999 line in both languages.
    """
    blocks = _render_text(env, name, variables, languages)
    text = tidy("\n\n".join(blocks))
    try:
        html_t = env.get_template(f"reply/{name}.html.j2")
    except TemplateNotFound:
        html_t = env.get_template("reply/_wrapper.html.j2")
    # The HTML says the 999 line in its banner, so its paragraphs leave that line out.
    dropped = set(_DANGER.values()) | {" ".join(_DANGER[lang] for lang in languages)}
    shown = "\n".join(line for line in text.split("\n") if line.strip() not in dropped) if variables.get("urgent") \
        else text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", shown) if p.strip()]
    html = html_t.render(**variables, subject=subject, paragraphs=paragraphs, bilingual=len(blocks) > 1)
    return Reply(subject=header_text(subject, 250), text=text, html=html, template=f"reply/{name}.txt.j2")


def _subject(triage: Triage, languages: tuple[str, ...] = ("en",)) -> str:
    inc = triage.incoming
    original = header_text(inc.subject if inc else "", 150)
    ref = triage.reference
    if triage.third_party:  # their own words only: never the case's reference or title
        return (original if original.lower().startswith("re:") else f"Re: {original}") if original else "Your message"
    if triage.chat_reply is not None or not ref:
        return original or "Your message"
    if ref in original:
        base = original if original.lower().startswith("re:") else f"Re: {original}"
        return base
    if original:
        return f"[{ref}] Re: {original}"
    words = {"en": "Your message to us", "cy": "Eich neges atom"}
    return f"[{ref}] " + " / ".join(words[lang] for lang in languages)


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
        case_url=ctx.config.web.case_url(triage.reference) if triage.reference and ctx.config.web.public_url else "",
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
    if not triage.ack:
        return
    if triage.chat_reply is None and _over_limit(triage, ctx):
        return
    name = choose_template(triage)
    languages = reply_languages(triage, ctx.config) if triage.chat_reply is None else ("en",)
    triage.reply = render_reply(env, name, _subject(triage, languages), _variables(triage, ctx), languages)
    triage.hit(NAME, "template", triage.reply.template)
    if len(languages) > 1:
        triage.hit(NAME, "bilingual", f"Welsh and English, {'Welsh' if languages[0] == 'cy' else 'English'} first"
                   f" ({'office.welsh' if languages[0] == 'cy' else 'written in Welsh'})")
