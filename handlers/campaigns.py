"""Campaign detection for the match stage: one long template shared, in order, by different people."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import LCSseq

from handlers.matchtext import subject_core, template_words, writer_text
from handlers.types import Context, Incoming, Triage

if TYPE_CHECKING:
    from handlers.match import Settings

NAME = "match"


def _drop_words(triage: Triage, inc: Incoming, ctx: Context) -> list[str]:
    """Personalised words a template gets filled with: the writer's names and the area's places."""
    office: Any = getattr(ctx.config, "office", None)
    places = list(getattr(office, "places", ()) or ())
    return [inc.sender_name, triage.person_name or "", *places]


def template_score(a: list[str], b: list[str], s: Settings) -> tuple[float, int]:
    """(% of the shorter text shared with the other, words shared); 0 when not comparable.

    The longest common word subsequence (rapidfuzz LCSseq) rewards a copied template and
    ignores filled-in names and added sentences; shared 4-word shingles catch a template
    whose paragraphs were reordered. Length guards stop a short text, or topic words alone,
    from matching.
    """
    short, long_ = sorted((len(a), len(b)))
    if short < s.campaign_min_words or short < s.campaign_length_ratio * long_:
        return 0.0, 0
    sa, sb = set(a), set(b)
    # Cheap pre-filter: most candidates share too few distinct words to be worth aligning.
    if len(sa & sb) < 0.6 * min(len(sa), len(sb)):
        return 0.0, 0
    shared = int(LCSseq.similarity(a, b))
    score = 100.0 * shared / short
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


def join_campaign(triage: Triage, inc: Incoming, ctx: Context, s: Settings) -> bool:
    """Compare the message with the fingerprints of existing campaigns."""
    words = template_words(inc.body, _drop_words(triage, inc, ctx))
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
    triage.reply_kind = "campaign"
    triage.hit(NAME, "campaign", f"campaign #{camp.id} {camp.title!r}: coverage {score:.0f} >= "
               f"{s.campaign_coverage:.0f}, {shared} words in order")
    return True


def detect_campaign(triage: Triage, inc: Incoming, ctx: Context, s: Settings, own: str | None) -> bool:
    """Start a campaign when recent messages from other senders share this one's template."""
    words = template_words(inc.body, _drop_words(triage, inc, ctx))
    if len(words) < s.campaign_min_words:
        return False
    since = triage.received_at - timedelta(days=s.campaign_window_days)
    places = tuple(_drop_words(triage, inc, ctx)[2:])
    # Characters track words loosely; this skips texts far too short or long before tokenising.
    lo, hi = len(inc.body) * s.campaign_length_ratio / 2, len(inc.body) * 2 / s.campaign_length_ratio
    peers: list[tuple[int, float, int]] = []
    for raw_id, text, sender in ctx.recent_unmatched(since, s.campaign_peer_limit):
        if raw_id == triage.raw_id or (own is not None and sender == own):
            continue  # a person repeating themselves is a follow-up, not a campaign
        if not lo <= len(text) <= hi:
            continue
        score, shared = template_score(words, list(_peer_words(text, places)), s)
        if _passes(score, shared, s):
            peers.append((raw_id, score, shared))
    if not peers:
        return False
    triage.new_campaign_title = _title(inc)
    triage.campaign_fingerprint = " ".join(words)
    triage.campaign_peer_raw_ids = [p[0] for p in peers]
    triage.category = "campaign"
    triage.reply_kind = "campaign"
    detail = ", ".join(f"raw #{r} coverage {sc:.0f} ({sh} words)" for r, sc, sh in peers[:10])
    triage.hit(NAME, "new_campaign", f"template shared with {len(peers)} earlier message(s): {detail}; "
               f"threshold {s.campaign_coverage:.0f}")
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
