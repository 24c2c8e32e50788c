"""Link a contact to its case (reference, thread, same person and matter) or to a campaign."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from rapidfuzz import fuzz

from handlers import additions, campaigns, fragments
from handlers.matchtext import (
    clean_display_name,
    content_words,
    find_phones,
    find_postcodes,
    name_key,
    new_matter_opening,
    normalise_phone,
    sign_off_name,
    strip_subject,
    writer_text,
)
from handlers.named import find_named_case
from handlers.settings import MatchSettings, Settings
from handlers.types import CaseRef, Context, Incoming, Kind, Triage

NAME = "match"


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    s = ctx.config.triage.match
    extract_person(triage, inc, ctx)
    if inc.relayed_by:
        triage.hit(NAME, "relayed", f"sent through {inc.relayed_by} for the writer named in Reply-To")
    identity = sender_identity(inc)
    if identity is not None:
        triage.person_id = ctx.person_for_identity(*identity)
        if triage.person_id is not None:
            triage.hit(NAME, "same_identity", f"{identity[0]} identity of person #{triage.person_id}")
    if new_matter_opening(inc.subject, inc.body, s):
        # "Unrelated to my complaint, ...": not the case this replies to or names.
        triage.new_matter = True
        triage.hit(NAME, "new_matter_cue", "the writer opens by saying this is a different matter; "
                   "thread and reference not followed")
    elif find_by_reference(triage, inc, ctx) or find_by_thread(triage, inc, ctx):
        return
    own = identity[1] if identity else None
    pool = campaigns.Pool.of(triage, ctx, s)
    if campaigns.join_campaign(triage, inc, ctx, s, pool, own):
        return
    by_identity = triage.person_id is not None
    if triage.person_id is None:
        find_person_by_details(triage, ctx)
    if triage.person_id is not None and find_same_matter(triage, inc, ctx, s, by_identity):
        return
    names_and_places = f"{inc.sender_name} {_area_words(ctx.config)}"
    if not by_identity and (named := find_named_case(triage, inc, ctx, s, names_and_places)):
        writer = triage.person_id
        _join(triage, *named)
        if named[1] == "written_for":
            triage.person_id = writer  # the sister is not her brother: her own person, his case
        return
    # After the writer's own cases: a short note on the campaign's topic may carry on their matter.
    if campaigns.join_short_copy(triage, inc, ctx, s, pool, own) or campaigns.join_restated(
            triage, inc, ctx, s, pool, own) or campaigns.detect_campaign(
            triage, inc, ctx, s, own, pool):
        return
    who = f"person #{triage.person_id}" if triage.person_id else "a new person"
    triage.hit(NAME, "new_case", f"new case for {who}")


def sender_identity(inc: Incoming) -> tuple[str, str] | None:
    if inc.telegram_user_id is not None:
        return ("telegram", str(inc.telegram_user_id))
    if inc.sender_address:
        return ("email", inc.sender_address.lower())
    return None


def extract_person(triage: Triage, inc: Incoming, ctx: Context) -> None:
    """Name (sign-off, else display name), UK phone and postcode from the writer's own text."""
    own = f"{inc.body}\n{inc.signature}"
    signed = sign_off_name(own)
    shown = clean_display_name(inc.sender_name)
    for candidate in (signed, shown):
        if name_key(candidate):
            triage.person_name = candidate
            break
    else:
        triage.person_name = signed or shown or (inc.sender_name.strip() or None)
    exclude = [ctx.config.office.phone] + [a.phone for a in ctx.config.agencies.values() if a.phone]
    phones = find_phones(own, exclude)
    postcodes = find_postcodes(own)
    triage.person_phone = phones[0] if phones else None
    triage.person_postcode = postcodes[0] if postcodes else None


def _join(triage: Triage, case: CaseRef, rule: str, reason: str) -> bool:
    triage.case = case
    triage.kind = Kind.FOLLOWUP
    triage.hit(NAME, rule, f"{reason} -> case {case.reference} (#{case.id}, {case.status})")
    if case.person_id is not None and triage.person_id != case.person_id:
        # A reference is easy to guess and a thread easy to forward: only the address or chat the
        # case's person already uses speaks for them. Anyone else is a separate person.
        triage.third_party = True
        who = f"person #{triage.person_id}" if triage.person_id else "an address or chat unknown to us"
        triage.hit(NAME, "third_party", f"sent by {who}, not the case's person #{case.person_id}: "
                   "a third party's contact on the case, acknowledged without its details")
    return True


def find_by_reference(triage: Triage, inc: Incoming, ctx: Context) -> bool:
    """Rule 1: our case reference (PREFIX-YYYY-NNNNN) in the subject or the new text."""
    prefix = ctx.config.office.reference_prefix.upper()
    pattern = re.compile(rf"\b{re.escape(prefix)}[-/ ]?(\d{{4}})[-/ ]?(\d{{1,6}})\b", re.IGNORECASE)
    for where, text in (("subject", inc.subject), ("body", inc.body), ("quoted", inc.quoted)):
        for m in pattern.finditer(text):
            ref = f"{prefix}-{m.group(1)}-{int(m.group(2)):05d}"
            case = ctx.case_by_reference(ref)
            if case is not None:
                return _join(triage, case, "reference", f"reference {ref} in {where}")
            triage.hit(NAME, "reference_unknown", f"{ref} in {where} names no case")
    return False


def find_by_thread(triage: Triage, inc: Incoming, ctx: Context) -> bool:
    """Rule 2: In-Reply-To/References name a message of a case (theirs or our acknowledgement)."""
    ids = [i for i in [inc.in_reply_to, *reversed(inc.references)] if i]
    if not ids:
        return False
    case = ctx.case_by_message_ids(list(dict.fromkeys(ids)))
    if case is None:
        triage.hit(NAME, "thread_unknown", f"{len(ids)} thread ids name no stored message")
        return False
    return _join(triage, case, "thread", "In-Reply-To/References")


def find_person_by_details(triage: Triage, ctx: Context) -> None:
    """Rule 4: same full name plus the same phone or postcode -> the same person."""
    if not name_key(triage.person_name) or not (triage.person_phone or triage.person_postcode):
        return
    assert triage.person_name is not None
    found = ctx.persons_by_name(
        triage.person_name, phone=triage.person_phone, postcode=triage.person_postcode
    )
    for pid, _name, phone, postcode in found:
        same_phone = bool(triage.person_phone and phone and normalise_phone(phone) == triage.person_phone)
        same_pc = bool(
            triage.person_postcode and postcode and postcode.replace(" ", "").upper()
            == triage.person_postcode.replace(" ", "")
        )
        if same_phone or same_pc:
            triage.person_id = pid
            what = "phone" if same_phone else "postcode"
            triage.hit(NAME, "same_person_details", f"name and {what} match person #{pid}")
            return
    triage.hit(NAME, "name_only", "name matches no person with the same phone or postcode")


def topic_score(new: str, case_text: str, min_shared: int, drop: str = "") -> float:
    """Share of the smaller set of topic words found in the other (%); 0 below `min_shared` words.

    A set overlap, not a character ratio: two letters on different matters still look alike
    character by character, but share few topic words. The writer's own name is dropped.
    """
    names = set(content_words(drop))
    wa = set(content_words(new)) - names
    wb = set(content_words(case_text)) - names
    shared = len(wa & wb)
    if shared < min_shared:
        return 0.0
    return 100.0 * shared / min(len(wa), len(wb))


def find_same_matter(triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, by_identity: bool = False) -> bool:
    """Rule 3: the same person writing again about one of their recent cases.

    `by_identity`: the same email address or Telegram id, so weaker evidence of an addition will do.
    """
    assert triage.person_id is not None
    since = triage.received_at - timedelta(days=s.case_window_days)
    # A bare /start is not a matter.
    mine = [(c, t) for c, t in ctx.recent_cases_for_person(triage.person_id, since) if not t.strip().startswith("/")]
    names = f"{inc.sender_name} {triage.person_name or ''}"
    if by_identity and (found := fragments.find_fragments(triage, inc, ctx, mine, s, names)):
        case, rule, reason = found
        if rule == "after_fragments":
            # Its category and signpost were guessed from "hello?": this message decides them
            # (signpost inherits only what the case carries).
            case = replace(case, category=None, agency=None)
            triage.after_greetings = True
        return _join(triage, case, rule, reason)
    cases = [(c, t) for c, t in mine if c.category != "none"]
    if not cases:
        return False
    text = f"{inc.subject}\n{writer_text(inc.body)}"
    if s.new_matter.search(inc.body) or new_matter_opening(inc.subject, inc.body, s):
        if not triage.new_matter:
            triage.new_matter = True
            triage.hit(NAME, "new_matter_cue", "the writer says this is a different matter")
        return False
    subj = strip_subject(inc.subject)
    # A bare "Complaint" or "Question" says nothing about which matter: two topic words at least.
    telling = len(content_words(subj)) >= 2
    cue = s.followup.search(inc.body)
    scored = []
    for case, case_text in cases:
        sub = fuzz.ratio(subj, strip_subject(case.subject)) if telling and case.subject else 0.0
        top = topic_score(text, f"{case.subject}\n{case_text}", s.min_shared_topic_words, names)
        scored.append((max(sub, 0.0), top, case))
    scored.sort(key=lambda x: (max(x[0], x[1]), x[2].last_contact_at or triage.received_at), reverse=True)
    sub, top, case = scored[0]
    if sub >= s.subject_threshold:
        return _join(triage, case, "same_subject", f"subject ratio {sub:.0f} >= {s.subject_threshold:.0f}")
    if cue and top >= s.cue_topic_threshold:
        return _join(triage, case, "followup_cue", f"cue {cue.group(0).strip()!r}, topic {top:.0f}")
    if cue and len(inc.body) <= s.chaser_chars:  # "any news?": the case they last wrote to
        case = max(cases, key=lambda ct: ct[0].last_contact_at or triage.received_at)[0]
        return _join(triage, case, "chaser", f"short message with cue {cue.group(0).strip()!r}")
    if top >= s.topic_threshold:
        return _join(triage, case, "same_matter", f"topic {top:.0f} >= {s.topic_threshold:.0f}")
    drop = f"{names} {_area_words(ctx.config)}"
    if inc.channel == "telegram" and find_chat_thread(triage, inc, cases, s, drop):
        return True
    if by_identity and (found := additions.find_addition(triage, inc, cases, s, drop)):
        return _join(triage, *found)
    triage.hit(NAME, "different_matter", f"best subject {sub:.0f}, topic {top:.0f} vs {len(cases)} case(s)")
    return False


def _area_words(config: Settings) -> str:
    """The area's places and the office's and force's names: shared by every writer, no topic."""
    return f"{' '.join(config.office.places)} {config.office.name} {config.force.name}"


def find_chat_thread(
    triage: Triage, inc: Incoming, cases: list[tuple[CaseRef, str]], s: MatchSettings, names: str
) -> bool:
    """Telegram messages are fragments: a burst, or a short message soon after, joins the last case."""
    latest = max(cases, key=lambda ct: ct[0].last_contact_at or triage.received_at)[0]
    text_of = {c.id: t for c, t in cases}
    if latest.last_contact_at is None:
        return False
    gap = triage.received_at - latest.last_contact_at
    if gap <= timedelta(minutes=s.chat_burst_minutes):
        return _join(triage, latest, "chat_burst", f"{gap} after the last message")
    if gap <= timedelta(days=s.chat_thread_days) and len(inc.body) <= s.chat_fragment_chars:
        # A fragment leans on the last message; a first report of something else tells its own story.
        cand = additions.chat_candidate(triage, inc, latest, text_of[latest.id], names, s)
        found = additions.signals(triage, inc, cand, s, chat=True) if cand else []
        if found:
            return _join(triage, latest, "chat_thread", f"short message {gap} after the last one: {'; '.join(found)}")
    top = topic_score(writer_text(inc.body), f"{latest.subject}\n{text_of[latest.id]}",
                      s.min_shared_topic_words, inc.sender_name)
    if gap <= timedelta(days=s.chat_thread_days) and top >= s.chat_topic_threshold:
        why = f"topic {top:.0f} >= {s.chat_topic_threshold:.0f}, {gap} after the last message"
        return _join(triage, latest, "chat_thread", why)
    return False
