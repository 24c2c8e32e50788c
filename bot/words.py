"""The one table of words people see for the store's codes: categories, agencies, statuses, channels,
outbox kinds and events, and event details as sentences (never Python reprs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from jinja2 import Environment

CATEGORY_NAMES = {
    "correspondence": "Correspondence",
    "complaint": "Complaint",
    "foi": "Freedom of Information",
    "campaign": "Campaign",
    "officer_correspondence": "Officer correspondence",
    "consultation": "Consultation",
    "none": "Not casework",
}
AGENCY_NAMES = {
    "opcc": "Commissioner's office",
    "emergency_999": "Emergency services (999)",
    "police_101": "Police non-emergency (101)",
    "force_psd": "Force Professional Standards",
    "opcc_complaints": "Commissioner's complaints team",
    "police_crime_panel": "Police and Crime Panel",
    "force_foi": "Force Freedom of Information unit",
    "opcc_foi": "Office Freedom of Information officer",
    "force_data_protection": "Force data protection office",
    "action_fraud": "Report Fraud (Action Fraud)",
    "crimestoppers": "Crimestoppers",
    "local_council": "Local council",
    "victim_support": "Victim Support",
    "none": "Nobody (not answered)",
}
STATUS_NAMES = {"open": "Open", "in_progress": "In progress", "monitoring": "Monitoring", "closed": "Closed"}
CHANNEL_NAMES = {"email": "Email", "telegram": "Telegram", "phone": "Phone call", "letter": "Letter",
                 "imap": "Email (inbox)", "smtp": "Email (SMTP)", "replay": "Replayed file"}
OUTBOX_NAMES = {"ack": "Acknowledgement", "followup": "Follow-up acknowledgement", "reply": "Reply",
                "alert": "Staff alert", "digest": "Daily digest", "greeting": "Chat greeting",
                "campaign": "Campaign reply", "staff": "Staff notice"}
TAG_KINDS = {"ward": "Ward", "theme": "Theme", "partner": "Partner"}
DEADLINE_NAMES = {"acknowledge": "acknowledge-by", "respond": "respond-by", "stale": "no-action"}


def _name(table: Mapping[str, str], code: Any, empty: str = "—") -> str:
    if code is None or code == "":
        return empty
    value = getattr(code, "value", code)
    return table.get(str(value), str(value).replace("_", " ").capitalize())


def category_name(code: Any) -> str:
    return _name(CATEGORY_NAMES, code, "Not yet classified")


def agency_name(code: Any) -> str:
    return _name(AGENCY_NAMES, code)


def status_name(code: Any) -> str:
    return _name(STATUS_NAMES, code)


def channel_name(code: Any) -> str:
    return _name(CHANNEL_NAMES, code)


def outbox_name(code: Any) -> str:
    return _name(OUTBOX_NAMES, code)


def actor_name(actor: str) -> str:
    if actor == "signpost" or actor.startswith("channel:"):
        return "Signpost"
    return actor


def _day(text: Any) -> str:
    try:
        d = date.fromisoformat(str(text)[:10])
    except ValueError:
        return str(text)
    return f"{d:%a} {d.day} {d:%b %Y}"


def _plain(value: Any) -> str:
    """A detail value in words: lists joined, yes/no for booleans, nested mappings flattened."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "none"
    if isinstance(value, Mapping):
        return "; ".join(f"{k.replace('_', ' ')} {_plain(v)}" for k, v in value.items())
    return str(value)


def _triaged(d: Mapping[str, Any], who: str) -> str:
    urgent = ", urgent" if d.get("urgent") else ""
    ack = "" if d.get("ack", True) else "; no acknowledgement (machine mail or withheld)"
    return (f"Triage: {category_name(d.get('category'))}, signposted to {agency_name(d.get('agency'))}"
            f"{urgent}{ack}.")


def _opened(d: Mapping[str, Any], who: str) -> str:
    urgent = " Marked urgent." if d.get("urgent") else ""
    return f"Case {d.get('reference', '')} opened as {category_name(d.get('category'))}.{urgent}".replace("  ", " ")


def _assigned(d: Mapping[str, Any], who: str) -> str:
    if d.get("to"):
        return f"{who} took the case." if d["to"] == who else f"{who} assigned the case to {d['to']}."
    return f"{who} took the case off {d['from']}." if d.get("from") else f"{who} left the case unassigned."


def _status(d: Mapping[str, Any], who: str) -> str:
    why = f" Reason: {d['reason']}" if d.get("reason") else ""
    return f"{who} changed the status from {status_name(d.get('from'))} to {status_name(d.get('to'))}.{why}"


def _closed(d: Mapping[str, Any], who: str) -> str:
    return f"{who} closed the case." + (f" Reason: {d['reason']}" if d.get("reason") else "")


def _correction(d: Mapping[str, Any], who: str) -> str:
    name = agency_name if d.get("field") == "agency" else category_name
    what = "signposted the case to" if d.get("field") == "agency" else "re-classified the case as"
    return f"{who} {what} {name(d.get('to'))} (was {name(d.get('from'))})."


def _merged(d: Mapping[str, Any], who: str) -> str:
    if d.get("into"):
        return f"{who} folded this case into {d['into']} ({d.get('reason', 'merged')})."
    return f"{who} merged {d.get('from')} into this case."


def _recorded(kind: str) -> Callable[[Mapping[str, Any], str], str]:
    channel, direction = kind.split("_")
    what = "a phone call" if channel == "phone" else "a letter"
    way = "from the person" if direction == "inbound" else "to the person"

    def sentence(d: Mapping[str, Any], who: str) -> str:
        subject = f": “{d['subject']}”" if d.get("subject") else ""
        return f"{who} recorded {what} {way}{subject}."

    return sentence


def _breach(what: str) -> Callable[[Mapping[str, Any], str], str]:
    def sentence(d: Mapping[str, Any], who: str) -> str:
        owner = d.get("owner") or "nobody (unassigned)"
        return f"The {what} date {_day(d.get('deadline'))} passed. Owner: {owner}."

    return sentence


def _warning(d: Mapping[str, Any], who: str) -> str:
    deadline = DEADLINE_NAMES.get(str(d.get("deadline_kind")), "deadline")
    to = _plain(d.get("to") or []) or "nobody"
    return f"Warning mailed to {to}: the {deadline} date is {_day(d.get('deadline'))}."


def _tag(verb: str) -> Callable[[Mapping[str, Any], str], str]:
    def sentence(d: Mapping[str, Any], who: str) -> str:
        label = f"{TAG_KINDS.get(str(d.get('kind')), 'Tag')} “{d.get('name')}”"
        rule = f" by the rule {d['rule']}" if d.get("rule") else ""
        return f"{who} {verb} {label}{rule}."

    return sentence


EVENT_SENTENCES: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "case_opened": _opened,
    "triaged": _triaged,
    "reply_queued": lambda d, w: f"{outbox_name(d.get('reply'))} queued for sending.",
    "urgent_alert": lambda d, w: f"Urgent alert sent to the duty team ({_plain(d.get('to') or []) or 'nobody'}).",
    "sent": lambda d, w: f"{outbox_name(d.get('kind'))} delivered by {channel_name(d.get('channel')).lower()}.",
    "delivery_failed": lambda d, w: f"Delivery failed after {d.get('attempts')} attempts: {d.get('error')}",
    "unreachable": lambda d, w: f"The address cannot be reached: {d.get('error')}",
    "assigned": _assigned,
    "status": _status,
    "closed": _closed,
    "reopened": lambda d, w: f"{w} re-opened the case." + (f" Reason: {d['reason']}" if d.get("reason") else ""),
    "case_reopened": lambda d, w: "A new message re-opened the case.",
    "reclassified": _correction,
    "resignposted": _correction,
    "note": lambda d, w: f"{w} added a note: {d['text']}" if d.get("text") else f"{w} added a note.",
    "merged": _merged,
    "merged_into": lambda d, w: f"{w} merged this case into {d.get('into')}.",
    "split_out": lambda d, w: f"{w} moved a message out to the new case {d.get('to')}.",
    "split_from": lambda d, w: f"{w} split this case off {d.get('from')}.",
    "reply": lambda d, w: f"{w} sent a reply by {channel_name(d.get('channel')).lower()}: “{d.get('subject', '')}”"
                          + (f" with {len(d['attachments'])} attachment(s)." if d.get("attachments") else "."),
    "campaign_created": lambda d, w: f"Campaign “{d.get('title')}” started with this case.",
    "moved_to_campaign": lambda d, w: "A look-alike message joined this campaign"
                                      + (f" from {d['from_case']}." if d.get("from_case") else "."),
    "campaign_response": lambda d, w: f"{w} {'set' if d.get('set') else 'cleared'} the campaign response.",
    "contact_edited": lambda d, w: "The person edited their Telegram message.",
    "parse_problem": lambda d, w: f"A problem reading the message: {d.get('problem')}",
    "attachments_fetched": lambda d, w: f"Telegram files stored: {_plain(d.get('files') or [])}.",
    "breach_acknowledge": _breach("acknowledge-by"),
    "breach_respond": _breach("respond-by"),
    "stale": lambda d, w: f"No action for {d.get('days')} working days. Owner: {d.get('owner') or 'nobody'}.",
    "warning": _warning,
    "breach_mailed": lambda d, w: f"Breach of the {DEADLINE_NAMES.get(str(d.get('deadline_kind')), 'deadline')} "
                                  f"date mailed to {_plain(d.get('to') or []) or 'nobody'}.",
    "assignment_mailed": lambda d, w: f"Assignment email sent to {d.get('to')}.",
    "tagged": _tag("added the tag"),
    "untagged": _tag("removed the tag"),
    "login": lambda d, w: f"{w} signed in.",
    "saved_reply": lambda d, w: f"{w} {'wrote' if d.get('new') else 'changed'} the saved reply “{d.get('name')}”.",
    "saved_reply_deleted": lambda d, w: f"{w} deleted the saved reply “{d.get('name')}”.",
    "settings": lambda d, w: f"{w} changed their settings (assignment emails "
                             f"{'on' if d.get('notify_assigned') else 'off'}).",
    "received": lambda d, w: f"Message received ({d.get('bytes')} bytes).",
    "duplicate": lambda d, w: "A repeated copy of a stored message was set aside.",
    "retry": lambda d, w: "A failed message was queued for triage again.",
}


def event_sentence(kind: str, detail: Mapping[str, Any] | None, actor: str) -> str:
    """What an event says to a caseworker, as one or two sentences."""
    d = detail or {}
    who = actor_name(actor)
    make = EVENT_SENTENCES.get(kind)
    if make is not None:
        return make(d, who)
    rest = "; ".join(f"{k.replace('_', ' ')} {_plain(v)}" for k, v in d.items()
                     if v not in (None, "", [], {}) and k != "hits")
    head = kind.replace("_", " ").capitalize()
    return f"{head}: {rest}." if rest else f"{head}."


def human_size(n: int | None) -> str:
    """Bytes as people read them: 940 bytes, 12.5 KB, 3.1 MB."""
    if n is None:
        return "size unknown"
    if n < 1000:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KB", "MB"):
        value /= 1000
        if value < 999.95:
            return f"{value:.1f} {unit}"
    return f"{value / 1000:.1f} GB"


def add_filters(env: Environment) -> Environment:
    """The filters every page and report template uses to print codes as words."""
    env.filters.update(category_name=category_name, agency_name=agency_name, status_name=status_name,
                       channel_name=channel_name, outbox_name=outbox_name, actor_name=actor_name,
                       human_size=human_size, tag_kind=lambda k: TAG_KINDS.get(k, str(k).capitalize()))
    env.globals["event_sentence"] = event_sentence
    return env
