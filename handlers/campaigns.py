"""Campaign detection for the match stage: one long template shared, in order, by different people."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import LCSseq

from handlers.matchtext import subject_core, template_words, writer_text
from handlers.types import Context, Incoming, Kind, Triage

if TYPE_CHECKING:
    from handlers.match import Settings

NAME = "match"
# A note above a forward this short ("I agree with this, please read below") adds nothing to
# compare: the forwarded text is what the writer is sending us.
FORWARD_NOTE_WORDS = 60
# Header and attribution lines of a forwarded or quoted message: not part of its text.
_QUOTE_HEADER = re.compile(
    r"^\s*\*?(from|sent|date|to|cc|subject|reply-to)\s*:.*$|^\s*on\b.{0,300}\bwrote\s*:\s*$|"
    r"^\s*[-=_*]{2,}[^\n]*(forwarded|original)[^\n]*$|^\s*(begin\s+)?forwarded\s+message\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@lru_cache(maxsize=16)
def _own_pattern(prefix: str, addresses: tuple[str, ...]) -> re.Pattern[str]:
    ref = rf"\b{re.escape(prefix)}[-/]\d{{4}}[-/]\d{{1,6}}\b"  # as we write it: "by mid 2026 20 more" is prose
    if not addresses:
        return re.compile(ref, re.IGNORECASE)
    who = "|".join(re.escape(a) for a in addresses)
    return re.compile(rf"{ref}|^\s*(from\s*:|on\b).{{0,300}}({who})", re.IGNORECASE | re.MULTILINE)


def own_mail(config: Any) -> re.Pattern[str]:
    """Marks of the office's own replies in quoted text: a case reference, or the office as the sender."""
    office: Any = getattr(config, "office", None)
    prefix = str(getattr(office, "reference_prefix", "MID") or "MID")
    addresses = [getattr(office, "mailbox", ""), *(getattr(office, "addresses", None) or ())]
    return _own_pattern(prefix, tuple(sorted({a.lower() for a in addresses if a})))


def campaign_text(body: str, quoted: str, ours: re.Pattern[str]) -> tuple[str, bool]:
    """(text to compare with campaign templates, whether it is a forwarded text).

    A one-line note above a forwarded or top-posted copy sends the copy; our own
    acknowledgement quoted under a reply is no template (the reference rule links those).
    """
    # Cheapest tests first: this runs over every recent contact for each new message.
    if not quoted.strip() or len(body) > 12 * FORWARD_NOTE_WORDS or len(template_words(body)) >= FORWARD_NOTE_WORDS:
        return body, False
    if ours.search(quoted):
        return body, False
    return _QUOTE_HEADER.sub("", quoted).strip(), True


def _drop_words(triage: Triage, inc: Incoming, ctx: Context) -> list[str]:
    """Personalised words a template gets filled with: the writer's names and the area's places."""
    office: Any = getattr(ctx.config, "office", None)
    places = list(getattr(office, "places", ()) or ())
    return [inc.sender_name, triage.person_name or "", *places]


def template_score(a: list[str], b: list[str], s: Settings) -> tuple[float, int]:
    """(% of the shorter text shared with the other, words shared); 0 when not comparable.

    The longest common word subsequence (rapidfuzz LCSseq) rewards a copied template and
    ignores filled-in names and added sentences; shared 4-word shingles catch a template
    whose paragraphs were reordered. A text far shorter than the other must itself be
    template-sized and found whole inside it (a copy with the writer's own long story
    added), never a sentence quoted in a letter of the writer's own.
    """
    short, long_ = sorted((len(a), len(b)))
    contained = short < s.campaign_length_ratio * long_
    if short < s.campaign_min_words or (contained and short < s.campaign_template_words):
        return 0.0, 0
    sa, sb = set(a), set(b)
    # Cheap pre-filter: most candidates share too few distinct words to be worth aligning.
    if len(sa & sb) < 0.6 * (len(sa if len(a) <= len(b) else sb) if contained else min(len(sa), len(sb))):
        return 0.0, 0
    shared = int(LCSseq.similarity(a, b))
    score = 100.0 * shared / short
    if contained:
        # In a much longer text the subsequence also collects scattered common words:
        # the shorter text's 4-word runs must be there as well.
        small, big = (a, b) if len(a) <= len(b) else (b, a)
        gs = _shingles(tuple(small))
        runs = 100.0 * len(gs & _shingles(tuple(big))) / max(len(gs), 1)
        return (score, shared) if runs >= s.campaign_containment else (min(score, runs), shared)
    # Reordered paragraphs still keep about half the text in order: only then try shingles.
    if s.campaign_coverage / 2 <= score < s.campaign_coverage:
        ga, gb = _shingles(tuple(a)), _shingles(tuple(b))
        common = len(ga & gb)
        if common and 100.0 * common / min(len(ga), len(gb)) > score:
            score, shared = 100.0 * common / min(len(ga), len(gb)), common + _SHINGLE - 1
    return score, shared


_SHINGLE = 4


@lru_cache(maxsize=4096)
def _shingles(words: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(words[i : i + _SHINGLE] for i in range(len(words) - _SHINGLE + 1))


def _passes(score: float, shared: int, s: Settings) -> bool:
    return score >= s.campaign_coverage and shared >= s.campaign_min_words


def _words(triage: Triage, inc: Incoming, ctx: Context) -> tuple[list[str], bool]:
    text, forwarded = campaign_text(inc.body, inc.quoted, own_mail(ctx.config))
    return template_words(text, _drop_words(triage, inc, ctx)), forwarded


def join_campaign(triage: Triage, inc: Incoming, ctx: Context, s: Settings) -> bool:
    """Compare the message (or the copy it forwards) with the fingerprints of existing campaigns."""
    words, forwarded = _words(triage, inc, ctx)
    if len(words) < s.campaign_min_words:
        return False
    best: tuple[float, int, Any] | None = None
    for camp in ctx.campaigns():
        score, shared = template_score(words, camp.fingerprint.split(), s)
        if best is None or score > best[0]:
            best = (score, shared, camp)
    if best is None or not _passes(best[0], best[1], s):
        if best is not None and best[0] > 0:
            triage.hit(NAME, "campaign_miss", f"best campaign #{best[2].id} coverage {best[0]:.0f} "
                       f"< {s.campaign_coverage:.0f} or {best[1]} words < {s.campaign_min_words}")
        return False
    score, shared, camp = best
    triage.campaign = camp
    triage.category = "campaign"
    triage.kind = Kind.CAMPAIGN
    how = "the forwarded copy: " if forwarded else ""
    triage.hit(NAME, "campaign", f"campaign #{camp.id} {camp.title!r}: {how}coverage {score:.0f} >= "
               f"{s.campaign_coverage:.0f}, {shared} words in order")
    return True


def detect_campaign(triage: Triage, inc: Incoming, ctx: Context, s: Settings, own: str | None) -> bool:
    """Start a campaign when recent messages from other senders share this one's template."""
    words, forwarded = _words(triage, inc, ctx)
    if len(words) < s.campaign_min_words:
        return False
    since = triage.received_at - timedelta(days=s.campaign_window_days)
    places = tuple(_drop_words(triage, inc, ctx)[2:])
    # Characters track words loosely; this skips texts far too short to hold a template.
    lo = min(len(" ".join(words)) * s.campaign_length_ratio / 2, s.campaign_template_words * 3)
    peers: list[tuple[int, float, int, tuple[str, ...]]] = []
    senders: set[str | None] = set()
    for raw_id, text, sender in ctx.recent_unmatched(since, s.campaign_peer_limit):
        if raw_id == triage.raw_id or (own is not None and sender == own):
            continue  # a person repeating themselves is a follow-up, not a campaign
        if len(text) < lo:
            continue
        peer = _peer_words(text, places)
        score, shared = template_score(words, list(peer), s)
        if _passes(score, shared, s):
            peers.append((raw_id, score, shared, peer))
            senders.add(sender)
    # A forward of one other person's letter is not yet a campaign: two other senders are.
    if not peers or (forwarded and len(senders) < 2):
        if peers:
            triage.hit(NAME, "campaign_forward_single", f"forwarded copy shared with one earlier sender only "
                       f"(raw #{peers[0][0]})")
        return False
    triage.new_campaign_title = _title(inc)
    # The copy with the fewest additions is the closest to the template: a writer's own story
    # in the fingerprint would make later plain copies look short beside it.
    copies: list[tuple[str, ...]] = [tuple(words), *(p[3] for p in peers)]
    shortest: tuple[str, ...] = min(copies, key=len)
    triage.campaign_fingerprint = " ".join(shortest)
    triage.campaign_peer_raw_ids = [p[0] for p in peers]
    triage.category = "campaign"
    triage.kind = Kind.CAMPAIGN
    detail = ", ".join(f"raw #{r} coverage {sc:.0f} ({sh} words)" for r, sc, sh, _ in peers[:10])
    triage.hit(NAME, "new_campaign", f"template shared with {len(peers)} earlier message(s): {detail}; "
               f"threshold {s.campaign_coverage:.0f}" + ("; a forwarded copy" if forwarded else ""))
    return True


@lru_cache(maxsize=4096)
def _peer_words(text: str, places: tuple[str, ...]) -> tuple[str, ...]:
    """Template words of a stored contact; cached because the same recent window is read per message."""
    return tuple(template_words(text, places))


def _title(inc: Incoming) -> str:
    subject = subject_core(inc.subject)
    if subject:
        return subject[:255]
    words = writer_text(inc.body).split()
    return " ".join(words[:10])[:255] or "Campaign"
