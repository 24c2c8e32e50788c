"""Campaign detection for the match stage: one long template shared, in order, by different people."""

from __future__ import annotations

import re
from datetime import timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import LCSseq

from handlers import language
from handlers.matchtext import content_words, subject_core, template_words, writer_text
from handlers.types import Context, Incoming, Kind, Triage

if TYPE_CHECKING:
    from lingua import LanguageDetector

    from handlers.settings import MatchSettings, Settings

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


def own_mail(config: Settings) -> re.Pattern[str]:
    """Marks of the office's own replies in quoted text: a case reference, or the office as the sender."""
    office = config.office
    prefix = office.reference_prefix or "MID"
    addresses = [office.mailbox, *office.addresses]
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
    places = list(ctx.config.office.places)
    return [inc.sender_name, triage.person_name or "", *places]


def template_score(a: list[str], b: list[str], s: MatchSettings) -> tuple[float, int]:
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


def _passes(score: float, shared: int, s: MatchSettings) -> bool:
    return score >= s.campaign_coverage and shared >= s.campaign_min_words


def _words(triage: Triage, inc: Incoming, ctx: Context) -> tuple[list[str], bool]:
    text, forwarded = campaign_text(inc.body, inc.quoted, own_mail(ctx.config))
    return template_words(text, _drop_words(triage, inc, ctx)), forwarded


def join_campaign(triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings) -> bool:
    """Compare the message (or the copy it forwards) with the fingerprints of existing campaigns."""
    words, forwarded = _words(triage, inc, ctx)
    best: tuple[float, int, Any] | None = None
    coverage: dict[int, float] = {}
    for camp in ctx.campaigns():
        score, shared = 0.0, 0
        if len(words) >= s.campaign_min_words:
            # One fingerprint line per language version of the template (see _versions).
            score, shared = max((template_score(words, v.split(), s) for v in camp.fingerprint.split("\n")),
                                default=(0.0, 0))
        coverage[camp.id] = score
        if best is None or score > best[0]:
            best = (score, shared, camp)
    if best is None or not _passes(best[0], best[1], s):
        if best is not None and best[0] > 0:
            triage.hit(NAME, "campaign_miss", f"best campaign #{best[2].id} coverage {best[0]:.0f} "
                       f"< {s.campaign_coverage:.0f} or {best[1]} words < {s.campaign_min_words}")
        return join_reworded(triage, inc, ctx, s, coverage)
    score, shared, camp = best
    triage.campaign = camp
    triage.category = "campaign"
    triage.kind = Kind.CAMPAIGN
    how = "the forwarded copy: " if forwarded else ""
    triage.hit(NAME, "campaign", f"campaign #{camp.id} {camp.title!r}: {how}coverage {score:.0f} >= "
               f"{s.campaign_coverage:.0f}, {shared} words in order")
    return True


def _title_share(subject: str, title: str) -> float:
    """Share of the campaign title's topic words in this subject (0 for a subject of under 3)."""
    mine, theirs = set(content_words(subject_core(subject))), set(content_words(title))
    if len(mine) < 3 or not theirs:
        return 0.0
    return len(mine & theirs) / len(theirs)


def join_reworded(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, coverage: dict[int, float]
) -> bool:
    """A copy reworded or cut short: the campaign's subject, and its topic or a line sending it."""
    text, _ = campaign_text(inc.body, inc.quoted, own_mail(ctx.config))
    drop = set(content_words(" ".join(_drop_words(triage, inc, ctx))))
    mine = set(content_words(writer_text(text))) - drop
    for camp in ctx.campaigns():
        share = _title_share(inc.subject, camp.title)
        theirs = set(content_words(camp.fingerprint)) - drop
        shared = len(mine & theirs)
        topic = 100.0 * shared / max(min(len(mine), len(theirs)), 1)
        sends = s.sends_the_letter.search(text)
        cov = coverage.get(camp.id, 0.0)
        # Without the subject, a copy in other words still keeps much of the template in order
        # and most of its topic ("I write to ask you to stop the closing of the front counter").
        unsubjected = cov >= s.campaign_reworded_coverage and topic >= s.campaign_reworded_alone
        if share < s.campaign_subject_share and not unsubjected:
            continue
        if (topic >= s.campaign_reworded_topic and shared >= s.campaign_reworded_words) or sends:
            triage.campaign = camp
            triage.category = "campaign"
            triage.kind = Kind.CAMPAIGN
            how = f"sends the letter ({sends.group(0)!r})" if sends else f"topic {topic:.0f} ({shared} words)"
            triage.hit(NAME, "campaign_reworded", f"campaign #{camp.id} {camp.title!r}: subject "
                       f"{100 * share:.0f}% of its title, coverage {cov:.0f}, {how}")
            return True
    return False


def detect_campaign(triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, own: str | None) -> bool:
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
    triage.campaign_fingerprint = "\n".join(" ".join(v) for v in _versions(shortest, copies, s, ctx.detector))
    triage.campaign_peer_raw_ids = [p[0] for p in peers]
    triage.category = "campaign"
    triage.kind = Kind.CAMPAIGN
    detail = ", ".join(f"raw #{r} coverage {sc:.0f} ({sh} words)" for r, sc, sh, _ in peers[:10])
    triage.hit(NAME, "new_campaign", f"template shared with {len(peers)} earlier message(s): {detail}; "
               f"threshold {s.campaign_coverage:.0f}" + ("; a forwarded copy" if forwarded else ""))
    return True


def _versions(
    shortest: tuple[str, ...], copies: list[tuple[str, ...]], s: MatchSettings, detector: LanguageDetector
) -> list[tuple[str, ...]]:
    """The template, plus the other-language half of a bilingual copy ("Cadwch ein SCCH / Keep our PCSOs").

    A Welsh-only copy shares no words with an English template: the Welsh text that the
    bilingual copies carry beside the English one is kept as a second version to compare with.
    """
    versions = [shortest]
    for copy in sorted(copies, key=len, reverse=True):
        if len(copy) < 1.5 * len(shortest):
            break
        blocks = SequenceMatcher(None, copy, shortest, autojunk=False).get_matching_blocks()
        covered = {i for b in blocks for i in range(b.a, b.a + b.size)}
        extra = tuple(w for i, w in enumerate(copy) if i not in covered)
        if len(extra) >= s.campaign_min_words and language.welsh_share(" ".join(extra), detector) >= 0.5:
            versions.append(extra)
            break
    return versions


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
