"""Flag mail from elected members and their offices (MPs, Senedd members, councillors), whatever its category."""

from __future__ import annotations

import re

from handlers.settings import MemberCues, MemberSettings
from handlers.types import Context, Incoming, Triage

NAME = "members"
# A sign-off starts after the last closing line; only the lines after it are the writer's signature.
_CLOSING = re.compile(
    r"^\s*(?:yours(?: sincerely| faithfully| truly)?|kind(?:est)? regards|best(?: wishes| regards)?|regards|"
    r"many thanks|thanks|with thanks|yn gywir|yr eiddoch yn gywir|cofion(?: gorau| cynnes)?|diolch(?: yn fawr)?)"
    r"[,.!]?\s*$", re.IGNORECASE)
_SIGN_OFF_LINES = 8
_LINE_CHARS = 100


def sign_off(inc: Incoming) -> str:
    """The signature block, or the short lines after the last closing ("Yours sincerely,")."""
    lines = inc.body.strip().splitlines()
    start = max(0, len(lines) - 4)
    for i in range(len(lines) - 1, max(-1, len(lines) - 1 - _SIGN_OFF_LINES * 2), -1):
        if _CLOSING.match(lines[i]):
            start = i + 1
            break
    tail = [ln for ln in lines[start:start + _SIGN_OFF_LINES] if len(ln) <= _LINE_CHARS]
    return "\n".join([*tail, inc.signature])


def _domain_in(domain: str, domains: tuple[str, ...]) -> str | None:
    return next((d for d in domains if domain == d or domain.endswith("." + d)), None)


def member_reason(inc: Incoming, members: MemberSettings, cues: MemberCues) -> str | None:
    """Why this is member correspondence (config `members` domains, `triage.members` cues), or None."""
    domain = (inc.sender_address or "").rpartition("@")[2].lower()
    found = _domain_in(domain, members.domains) if domain else None
    if found:
        return f"sender's domain {domain} is a member domain ({found})"
    tail = sign_off(inc)
    hit = cues.signature.first(tail)
    if hit is not None:
        return f"sign-off reads {hit[1].strip()!r}"
    council = _domain_in(domain, members.council_domains) if domain else None
    if council:
        hit = cues.councillor.first(tail)
        if hit is not None:
            return f"council domain {council} and sign-off reads {hit[1].strip()!r}"
    return None


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    reason = member_reason(inc, ctx.config.members, ctx.config.triage.members)
    if reason is not None:
        triage.member = reason
        triage.hit(NAME, "member_correspondence", reason)
