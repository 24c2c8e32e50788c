"""The same matter from an address we have not seen: the writer's own name, or the person they write for."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from handlers.matchtext import content_words, name_key, writer_text
from handlers.types import CaseRef, Context, Incoming, Triage

if TYPE_CHECKING:
    from handlers.settings import MatchSettings

_KIN = (r"sister|brother|mum|mother|mam|dad|father|wife|husband|partner|son|daughter|friend|carer|neighbour|"
        r"aunt|uncle|niece|nephew|grandson|granddaughter|cousin|support worker|advocate")
_WORD = r"(?:O'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_NAME = rf"(?-i:(?<![\w'])({_WORD}(?: {_WORD}){{1,2}}))"
# "I'm Steven Marr's sister", "on behalf of my brother Steven Marr", "writing for Anne Lee".
# Structural, not a cue table: its groups capture the name (case-sensitive name shapes).
_FOR_SOMEONE = re.compile(
    rf"\b{_NAME}'s (?:{_KIN})\b|\b(?:on behalf of|writing for|for) (?:my (?:{_KIN}) )?{_NAME}\b|"
    rf"\bmy (?:{_KIN}),? {_NAME}\b",
    re.IGNORECASE,
)
_PROPER = re.compile(r"(?<=[A-Za-z,;:] )(?-i:[A-Z][a-z]{3,})\b")
_COMMON = frozenset({"Commissioner", "Police", "Constable", "Chief", "Office", "Deputy", "Crime", "Panel",
                     "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
                     "February", "March", "April", "June", "July", "August", "September", "October",
                     "November", "December", "Facebook", "Street", "Road", "Lane", "General", "Hospital"})


def proper_nouns(text: str, drop: set[str]) -> set[str]:
    """Capitalised words inside sentences ("PC Dobson", "the Red Lion"): names a matter shares."""
    return {w for w in _PROPER.findall(text) if w not in _COMMON and w.lower() not in drop}


def find_named_case(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, drop: str
) -> tuple[CaseRef, str, str] | None:
    """A known person's recent case that this message, from a new address, carries on.

    The writer's own full name with a follow-up cue ("I wrote to you last week", from a work
    address), or the full name of the person they write for ("I'm Steven Marr's sister. He
    emailed you about PC Dobson"); either way the message must share the case's topic or a name
    (a proper noun) with it, and the name must be rare enough to mean one person.
    """
    text = f"{inc.subject}\n{writer_text(inc.body)}"
    candidates: list[tuple[str, str]] = []
    if triage.person_name and name_key(triage.person_name) and s.followup.search(inc.body):
        candidates.append(("own_name", triage.person_name))
    for m in _FOR_SOMEONE.finditer(text):
        name = next(g for g in m.groups() if g)
        if name_key(name) and s.they_wrote.search(text):
            candidates.append(("written_for", name))
    since = triage.received_at - timedelta(days=s.case_window_days)
    for rule, name in candidates:
        people = ctx.persons_by_name(name)
        if not people or len(people) > s.named_max_people:
            continue
        dropped = set(content_words(f"{drop} {name}"))
        mine = set(content_words(text)) - dropped
        nouns = proper_nouns(text, dropped)
        for pid, *_ in people:
            for case, case_text in ctx.recent_cases_for_person(pid, since):
                if case.category == "none" or case.campaign_id is not None or case.status == "closed":
                    continue
                theirs = set(content_words(f"{case.subject}\n{case_text}")) - dropped
                shared = mine & theirs
                topic = 100.0 * len(shared) / max(min(len(mine), len(theirs)), 1)
                names = nouns & proper_nouns(f"{case.subject}\n{case_text}", dropped)
                if topic >= s.named_topic_threshold or names:
                    why = f"{name!r} ({rule.replace('_', ' ')}): topic {topic:.0f}" + (
                        f", names {', '.join(sorted(names))}" if names else "")
                    return case, rule, why
    return None
