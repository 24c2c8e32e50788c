"""Weeks-later additions: the same sender adding to their one open matter, or opening a new one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers.matchtext import content_words, writer_text
from handlers.types import CaseRef, Hit, Incoming, Triage

if TYPE_CHECKING:
    from handlers.settings import MatchSettings

NAME = "match"
# Words of almost any contact about a crime or a complaint: no topic of their own.
GENERIC = frozenset(
    "day days week weeks month months year years today yesterday tonight tomorrow night nights morning evening "
    "afternoon weekend time times ago last next first second third one two three four five back again ever never "
    "always already now recently since soon later earlier street road lane avenue drive way area town village city "
    "house home flat estate outside inside near people person someone somebody anyone anybody something anything "
    "nothing everything thing things lot bit report reported reporting complaint complain complained crime "
    "incident issue issues matter problem case reference number update details information info question request "
    "message messages phone called call rang need needed want wanted think thought see saw seen look looked make "
    "made take took give gave going went come came happen happened happening help sure really even well like "
    "sorry okay hey anyway there gone right better worse good bad new old own big small long many few every each "
    "keep kept said told asked get got put done doing did way just able try tried trying getting "
    "constabulary force station".split()
)
_SUFFIXES = ("ing", "ies", "ed", "es", "en", "s", "e", "ly")


@dataclass(frozen=True)
class Candidate:
    """An open case the message may add to, with the topic words they share."""

    case: CaseRef
    shared: int
    score: float


def stem(word: str) -> str:
    """Crude suffix fold so "damaged"/"damage" and "bikes"/"bike" count as one topic word."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


def topic_stems(text: str, drop: str) -> set[str]:
    """Stemmed topic words; contractions ("i've") dropped, possessives ("neighbour's") folded."""
    names = set(content_words(drop))
    out: set[str] = set()
    for w in content_words(text):
        base, _, tail = w.partition("'")
        if tail and tail != "s":
            continue
        if base not in names and base not in GENERIC and len(base) > 2:
            out.add(stem(base))
    return out


def overlap(new: set[str], case_text: str, drop: str) -> tuple[int, float]:
    """(shared topic words, % of the smaller set) between the message and a case's text."""
    old = topic_stems(case_text, drop)
    shared = len(new & old)
    return shared, (100.0 * shared / min(len(new), len(old)) if shared else 0.0)


def _conflict(case: CaseRef, triage: Triage, text: str, s: MatchSettings) -> str | None:
    """Why this case cannot take the message, from the case's category (a hint when known)."""
    if case.campaign_id is not None or case.category in ("campaign", "consultation", "none"):
        return f"{case.category} case"
    new_foi = triage.category == "foi" or bool(s.foi_request.search(text))
    if new_foi and case.category not in (None, "foi"):
        return f"an FOI request vs a {case.category} case"
    if case.category == "foi" and triage.category == "complaint" and not new_foi:
        return "a complaint vs an FOI case"
    return None


def _note(triage: Triage, rule: str, reason: str) -> None:
    """A hit, once: a chat fragment is weighed again as a weeks-later addition."""
    if Hit(NAME, rule, reason) not in triage.hits:
        triage.hit(NAME, rule, reason)


def own_text(inc: Incoming) -> str:
    return writer_text(inc.body).replace("\u2019", "'").strip()


def find_addition(
    triage: Triage, inc: Incoming, cases: list[tuple[CaseRef, str]], s: MatchSettings, names: str
) -> tuple[CaseRef, str, str] | None:
    """The one open recent case this message adds to, as (case, rule, reason); None records why not."""
    now: datetime = triage.received_at
    since = now - timedelta(days=s.addition_window_days)
    own = own_text(inc)
    text = f"{inc.subject}\n{own}"
    new = topic_stems(text, names)
    open_recent: list[Candidate] = []
    for case, case_text in cases:
        if case.status == "closed" or case.last_contact_at is None or case.last_contact_at < since:
            continue
        why = _conflict(case, triage, text, s)
        if why:
            _note(triage, "addition_conflict", f"{case.reference}: {why}")
            continue
        shared, score = overlap(new, f"{case.subject}\n{case_text}", names)
        open_recent.append(Candidate(case, shared, score))
    if not open_recent:
        return None
    open_recent.sort(key=lambda c: (c.shared, c.score), reverse=True)
    best = open_recent[0]
    if len(open_recent) > 1:
        nxt = open_recent[1]
        if best.shared <= nxt.shared or best.score < nxt.score + s.addition_margin:
            _note(triage, "addition_ambiguous", f"{len(open_recent)} open cases: best {best.case.reference} "
                       f"topic {best.score:.0f} ({best.shared} words) vs {nxt.score:.0f} ({nxt.shared})")
            return None
    found = signals(triage, inc, best, s)
    if not found:
        return None
    gap = now - best.case.last_contact_at if best.case.last_contact_at else timedelta(0)
    return best.case, "open_case_addition", f"{'; '.join(found)}; {gap.days} days after the last contact"


def chat_candidate(
    triage: Triage, inc: Incoming, case: CaseRef, case_text: str, names: str, s: MatchSettings
) -> Candidate | None:
    """The chat's latest case scored for a fragment, or None when its category rules it out."""
    text = f"{inc.subject}\n{own_text(inc)}"
    why = _conflict(case, triage, text, s)
    if why:
        _note(triage, "addition_conflict", f"{case.reference}: {why}")
        return None
    shared, score = overlap(topic_stems(text, names), f"{case.subject}\n{case_text}", names)
    return Candidate(case, shared, score)


def signals(triage: Triage, inc: Incoming, best: Candidate, s: MatchSettings, *, chat: bool = False) -> list[str]:
    """Why the message reads as an addition to `best` (empty: it does not, and a hit says why).

    `chat`: a Telegram fragment within days of the last one, where one shared word will do.
    """
    own = own_text(inc)
    text = f"{inc.subject}\n{own}"
    intro = s.new_topic_intro.search(own[:600])
    cue = s.addition.search(own)
    short = len(own) <= (s.chat_fragment_chars if chat else s.addition_chars)
    # A second FOI request is a new request unless it says it adds to the first.
    fresh_request = best.case.category == "foi" and (triage.category == "foi" or bool(s.foi_request.search(text)))
    incident = s.new_incident.search(own)
    # A long letter tells its own story: it needs more in common than a note that leans on the last one.
    need = s.addition_topic_threshold if len(own) <= s.chaser_chars else s.addition_letter_threshold
    topical = best.shared >= s.addition_topic_words and best.score >= need
    same_topic = best.shared >= s.min_shared_topic_words and best.score >= s.addition_intro_threshold
    if intro and not same_topic and not (cue and best.shared):
        _note(triage, "new_topic_intro", f"{intro.group(0).strip()!r} opens a new matter; "
                   f"topic {best.score:.0f} ({best.shared} words) with {best.case.reference}")
        return []
    found: list[str] = []
    # In a long letter a chaser phrase may be about someone else's silence: some shared topic too.
    if cue and (len(own) <= s.chaser_chars or (best.shared >= s.min_shared_topic_words
                                               and best.score >= s.cue_topic_threshold)):
        found.append(f"cue {cue.group(0).strip()!r}")
    if short and (m := s.short.search(own)):
        found.append(f"short, with {m.group(0).strip()!r}")
    if short and best.shared and (m := s.again.search(own)):
        found.append(f"short, with {m.group(0).strip()!r} and a shared topic word")
    if short and (m := s.anaphoric_opening.match(own)):
        found.append(f"short, opens {m.group(0).strip()!r}")
    if short and not incident and (m := s.weak.search(own)):
        found.append(f"short, asks for {m.group(0).strip()!r}")
    # A terse remark leans on the last message; a terse question may be a new one unless it points back.
    if chat and len(own) <= s.chat_terse_chars and not incident and not triage.urgent and (
            "?" not in own or s.back_reference.search(own)):
        found.append(f"a terse chat message ({len(own)} characters)")
    if fresh_request:
        pass
    elif topical:
        found.append(f"topic {best.score:.0f} ({best.shared} words)")
    elif short and best.shared and not incident and not triage.urgent and (
            chat or best.score >= s.addition_short_threshold):
        found.append(f"short, {best.shared} shared topic word(s)")
    if intro and found:
        found.append(f"despite {intro.group(0).strip()!r}: the same topic")
    if not found:
        _note(triage, "not_an_addition", f"no addition signal, topic {best.score:.0f} ({best.shared} words) "
                   f"with open case {best.case.reference}")
    return found
