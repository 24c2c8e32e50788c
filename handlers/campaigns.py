"""Campaign detection for the match stage: one long template shared, in order, by different people."""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import LCSseq

from handlers import additions, language
from handlers.matchtext import content_set, content_words, subject_core, template_words, writer_text
from handlers.types import CampaignRef, Context, Incoming, Kind, Triage

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


def campaign_text(
    body: str, quoted: str, ours: re.Pattern[str], s: MatchSettings | None = None
) -> tuple[str, bool]:
    """(text to compare with campaign templates, whether it is a forwarded text).

    A short note above a forwarded or top-posted copy sends the copy, and so does a longer
    cover note that says so ("I am forwarding the letter below", cue sends_the_letter, up to
    campaign_cover_note_words); our own acknowledgement quoted under a reply is no template
    (the reference rule links those).
    """
    note = s.campaign_forward_note_words if s else FORWARD_NOTE_WORDS
    cover = s.campaign_cover_note_words if s else FORWARD_NOTE_WORDS
    # Cheapest tests first: this runs over every recent contact for each new message.
    if not quoted.strip() or len(body) > 12 * max(note, cover):
        return body, False
    words = len(template_words(body))
    if words >= note and not (s is not None and words < cover and s.sends_the_letter.search(body)):
        return body, False
    if ours.search(quoted):
        return body, False
    return _QUOTE_HEADER.sub("", quoted).strip(), True


def _drop_words(triage: Triage, inc: Incoming, ctx: Context) -> list[str]:
    """Personalised words a template gets filled with: the writer's names and the area's places."""
    places = list(ctx.config.office.places)
    return [inc.sender_name, triage.person_name or "", *places]


def template_score(a: Sequence[str], b: Sequence[str], s: MatchSettings,
                   sets: tuple[AbstractSet[str], AbstractSet[str]] | None = None) -> tuple[float, int]:
    """(% of the shorter text shared with the other, words shared); 0 when not comparable.

    The longest common word subsequence (rapidfuzz LCSseq) rewards a copied template and
    ignores filled-in names and added sentences; shared 4-word shingles catch a template
    whose paragraphs were reordered. A text far shorter than the other must itself be
    template-sized and found whole inside it (a copy with the writer's own long story
    added), never a sentence quoted in a letter of the writer's own.

    `sets`, when given, are set(a) and set(b), made once by a caller comparing one text with many.
    """
    short, long_ = sorted((len(a), len(b)))
    contained = short < s.campaign_length_ratio * long_
    if short < s.campaign_min_words or (contained and short < s.campaign_template_words):
        return _cut_score(a, b, s, sets) if contained else (0.0, 0)
    sa, sb = sets if sets is not None else (set(a), set(b))
    # Cheap pre-filter: most candidates share too few distinct words to be worth aligning.
    if len(sa & sb) < _SHARED_FIRST * (len(sa if len(a) <= len(b) else sb) if contained else min(len(sa), len(sb))):
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


def _cut_score(a: Sequence[str], b: Sequence[str], s: MatchSettings,
               sets: tuple[AbstractSet[str], AbstractSet[str]] | None = None) -> tuple[float, int]:
    """A copy cut short: a text of campaign_cut_words or more found nearly whole inside a template.

    Both in order (campaign_cut_coverage % of its words, LCSseq) and in runs (campaign_containment %
    of its 4-word shingles): a few words scattered through a long letter are neither.
    """
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) < s.campaign_cut_words or len(big) < s.campaign_template_words:
        return 0.0, 0
    sa, sb = sets if sets is not None else (set(a), set(b))
    small_set, big_set = (sa, sb) if len(a) <= len(b) else (sb, sa)
    if len(small_set & big_set) < s.campaign_cut_coverage / 100 * len(small_set):
        return 0.0, 0
    shared = int(LCSseq.similarity(small, big))
    score = 100.0 * shared / len(small)
    if score < s.campaign_cut_coverage:
        return 0.0, 0
    gs = _shingles(tuple(small))
    runs = 100.0 * len(gs & _shingles(tuple(big))) / max(len(gs), 1)
    return (score, shared) if runs >= s.campaign_containment else (0.0, 0)


_SHINGLE = 4
# The share of the shorter text's distinct words the other must hold before they are aligned.
_SHARED_FIRST = 0.6


def may_share_template(shared: int, a: AbstractSet[str], b: AbstractSet[str], s: MatchSettings) -> bool:
    """False when two texts with these word sets, sharing `shared` distinct words, cannot pass:
    template_score would find (0, 0) for them. Both of its pre-filters (and _cut_score's) ask for at
    least this share of the smaller set, so a caller comparing one text with many skips the rest."""
    return shared >= min(_SHARED_FIRST, s.campaign_cut_coverage / 100) * min(len(a), len(b))


@lru_cache(maxsize=4096)
def _shingles(words: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(words[i : i + _SHINGLE] for i in range(len(words) - _SHINGLE + 1))


def _passes(score: float, shared: int, s: MatchSettings) -> bool:
    if score >= s.campaign_cut_coverage:  # a copy cut short (_cut_score) or nearly word for word
        return shared >= s.campaign_cut_words
    return score >= s.campaign_coverage and shared >= s.campaign_min_words


def _words(triage: Triage, inc: Incoming, ctx: Context) -> tuple[list[str], bool]:
    text, forwarded = campaign_text(inc.body, inc.quoted, own_mail(ctx.config), ctx.config.triage.match)
    return template_words(text, _drop_words(triage, inc, ctx)), forwarded


@dataclass
class Pool:
    """The known campaigns and their recent copies, read from the store once per message, when first needed.

    Copies are each campaign's newest `per_campaign` (campaign_copies_per_campaign) among the newest
    `limit` (campaign_copy_limit) in the window, so a message is compared with at most that many
    per campaign however many the campaign has: they stand for the wordings in use (most copies are
    the template word for word), and an older wording is still matched by the template, or read as
    a look-alike close to the campaign (campaign_close). A miss against a campaign whose copies
    were cut so says so in its reason (`capped_note`).
    """

    ctx: Context
    since: datetime
    limit: int
    places: tuple[str, ...]
    per_campaign: int | None = None
    _camps: list[CampaignRef] | None = None
    _copies: dict[int, list[tuple[int, tuple[str, ...], str]]] | None = None
    _capped: set[int] = field(default_factory=set)  # campaigns with more recent copies than per_campaign
    _distinct: dict[int, list[tuple[int, tuple[str, ...]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, triage: Triage, ctx: Context, s: MatchSettings) -> Pool:
        since = triage.received_at - timedelta(days=s.campaign_window_days)
        return cls(ctx, since, s.campaign_copy_limit, tuple(ctx.config.office.places), s.campaign_copies_per_campaign)

    def campaigns(self) -> list[CampaignRef]:
        if self._camps is None:
            self._camps = self.ctx.campaigns()
        return self._camps

    def copies(self, campaign_id: int) -> list[tuple[int, tuple[str, ...], str]]:
        """(raw_id, template words, text) of the campaign's recent copies, newest first."""
        if self._copies is None:
            known = {c.id for c in self.campaigns()}
            self._copies = {}
            # One more than per_campaign is read, to know whether any were left out.
            ask = None if self.per_campaign is None else self.per_campaign + 1
            rows = self.ctx.campaign_copies(self.since, self.limit, ask) if known else []
            for cid, raw_id, text, _sender in rows:
                if cid not in known:
                    continue
                mine = self._copies.setdefault(cid, [])
                if self.per_campaign is not None and len(mine) >= self.per_campaign:
                    self._capped.add(cid)
                else:
                    mine.append((raw_id, _peer(text, self.places)[0], text))
        return self._copies.get(campaign_id, [])

    def capped_note(self, campaign_id: int) -> str:
        """For a reason: that only the campaign's newest copies were read, when it has more in the window."""
        self.copies(campaign_id)
        if campaign_id not in self._capped:
            return ""
        return (f"; compared with its newest {self.per_campaign} recent copies only "
                "(campaign_copies_per_campaign)")

    def distinct_copies(self, campaign_id: int) -> list[tuple[int, tuple[str, ...]]]:
        """(raw_id, template words) of the copies, leaving out any whose words a newer one has.

        Most copies of a campaign are its template word for word (names and places aside), and a
        comparison by words scores them all the same: the newest stands for the others.
        """
        if campaign_id not in self._distinct:
            seen: set[tuple[str, ...]] = set()
            out = self._distinct[campaign_id] = []
            for raw_id, words, _text in self.copies(campaign_id):
                if words not in seen:
                    seen.add(words)
                    out.append((raw_id, words))
        return self._distinct[campaign_id]


def _key(score: float, shared: int, s: MatchSettings) -> tuple[bool, float]:
    return _passes(score, shared, s), score


def _best_against(words: list[str], camp: CampaignRef, pool: Pool, s: MatchSettings) -> tuple[float, int, str]:
    """(coverage, words in order, what matched) against the campaign's template versions, else its copies.

    One fingerprint line per language version of the template (see _versions); a campaign in many
    wordings is matched by whichever recent copy is closest when the template is not.
    """
    best = (0.0, 0, "template")
    if len(words) < s.campaign_cut_words:
        return best
    for version in template_versions(camp.fingerprint):
        score, shared = template_score(words, version, s)
        if _key(score, shared, s) > _key(best[0], best[1], s):
            best = (score, shared, "template" + _cut_mark(len(words), len(version), s))
    if _passes(best[0], best[1], s):
        return best  # the template suffices: the copies are not read
    for raw_id, copy in pool.distinct_copies(camp.id):
        score, shared = template_score(words, copy, s)
        if _key(score, shared, s) > _key(best[0], best[1], s):
            best = (score, shared, f"copy raw #{raw_id}" + _cut_mark(len(words), len(copy), s))
            if _passes(score, shared, s):
                break
    return best


def _cut_mark(a: int, b: int, s: MatchSettings) -> str:
    """The trail's mark when template_score read the shorter of the two as a copy cut short (_cut_score)."""
    short, long_ = sorted((a, b))
    cut = short < s.campaign_length_ratio * long_ and short < s.campaign_template_words
    return " (a copy cut short)" if cut else ""


def _why(score: float, shared: int, via: str, s: MatchSettings) -> str:
    """Which threshold a passing score met, for the decision trail."""
    if via.endswith("(a copy cut short)"):
        return (f"coverage {score:.0f} >= {s.campaign_cut_coverage:.0f}, {shared} words in order "
                f"(>= {s.campaign_cut_words}) and {s.campaign_containment:.0f}% of its 4-word runs")
    return f"coverage {score:.0f} >= {s.campaign_coverage:.0f}, {shared} words in order"


def _join(triage: Triage, camp: CampaignRef) -> None:
    triage.campaign = camp
    triage.category = "campaign"
    triage.kind = Kind.CAMPAIGN


def join_campaign(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, pool: Pool | None = None, own: str | None = None
) -> bool:
    """Compare the message (or the copy it forwards) with existing campaigns: templates and recent copies."""
    pool = pool or Pool.of(triage, ctx, s)
    words, forwarded = _words(triage, inc, ctx)
    best: tuple[float, int, str, CampaignRef] | None = None
    coverage: dict[int, float] = {}
    for camp in pool.campaigns():
        score, shared, via = _best_against(words, camp, pool, s)
        coverage[camp.id] = score
        if best is None or _key(score, shared, s) > _key(best[0], best[1], s):
            best = (score, shared, via, camp)
    if best is None or not _passes(best[0], best[1], s):
        if best is not None and best[0] > 0:
            triage.hit(NAME, "campaign_miss", f"best campaign #{best[3].id} coverage {best[0]:.0f} with its "
                       f"{best[2]} < {s.campaign_coverage:.0f} or {best[1]} words < {s.campaign_min_words}"
                       f"{pool.capped_note(best[3].id)}")
        return join_reworded(triage, inc, ctx, s, coverage, pool, own)
    score, shared, via, camp = best
    _join(triage, camp)
    how = "the forwarded copy: " if forwarded else ""
    triage.hit(NAME, "campaign", f"campaign #{camp.id} {camp.title!r}: {how}{_why(score, shared, via, s)} "
               f"with its {via}")
    if via != "template" or score < s.campaign_cut_coverage:
        # A copy nearly word for word the template brings no new wording: what looks like it
        # looked like the template too. Only a new wording is looked for among earlier letters.
        _take_look_alikes(triage, words, ctx, s, own, camp)
    return True


def _take_look_alikes(
    triage: Triage, words: list[str], ctx: Context, s: MatchSettings, own: str | None, camp: CampaignRef
) -> None:
    """Earlier copies read as single letters before the campaign knew their wording: moved into it."""
    if len(words) < s.campaign_cut_words:
        return
    peers, _ = _look_alikes(triage, words, ctx, s, own)
    if not peers:
        return
    triage.campaign_peer_raw_ids = [p[0] for p in peers]
    detail = ", ".join(f"raw #{r} coverage {sc:.0f} ({sh} words)" for r, sc, sh, _ in peers[:10])
    triage.hit(NAME, "campaign_look_alikes", f"{len(peers)} earlier message(s) not in a campaign share this "
               f"copy's text, moved into campaign #{camp.id}: {detail}")


def _title_share(subject: str, title: str) -> float:
    """Share of the campaign title's topic words in this subject (0 for a subject of under 3)."""
    mine, theirs = set(content_words(subject_core(subject))), content_set(title)
    if len(mine) < 3 or not theirs:
        return 0.0
    return len(mine & theirs) / len(theirs)


def join_reworded(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, coverage: dict[int, float],
    pool: Pool | None = None, own: str | None = None,
) -> bool:
    """A copy reworded or cut short: the campaign's subject, and its topic or a line sending it."""
    pool = pool or Pool.of(triage, ctx, s)
    text, _ = campaign_text(inc.body, inc.quoted, own_mail(ctx.config), s)
    drop = set(content_words(" ".join(_drop_words(triage, inc, ctx))))
    mine = set(content_words(writer_text(text))) - drop
    for camp in pool.campaigns():
        share = _title_share(inc.subject, camp.title)
        theirs = content_set(camp.fingerprint) - drop
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
            _join(triage, camp)
            how = f"sends the letter ({sends.group(0)!r})" if sends else f"topic {topic:.0f} ({shared} words)"
            triage.hit(NAME, "campaign_reworded", f"campaign #{camp.id} {camp.title!r}: subject "
                       f"{100 * share:.0f}% of its title, coverage {cov:.0f}, {how}")
            _take_look_alikes(triage, _words(triage, inc, ctx)[0], ctx, s, own, camp)
            return True
    return False


def join_short_copy(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, pool: Pool | None = None, own: str | None = None
) -> bool:
    """A short copy in the writer's own words: nearly all its topic words are one copy's of the campaign.

    Never a question, a chaser or an urgent message (those are the writer's own matter), never
    under campaign_short_topic_words topic words, and its subject must be on the campaign's topic:
    some topic words, all of them in the campaign's title or that copy (a chat fragment, with no
    subject, is read as the writer's own).
    """
    if triage.urgent or triage.new_matter:
        return False
    pool = pool or Pool.of(triage, ctx, s)
    if not pool.campaigns():
        return False
    text, _ = campaign_text(inc.body, inc.quoted, own_mail(ctx.config), s)
    own = writer_text(text)
    dropped = _drop_words(triage, inc, ctx)
    if len(template_words(text, dropped)) > s.campaign_short_words or "?" in own or s.followup.search(inc.body):
        return False
    drop = set(content_words(" ".join(dropped)))
    mine = set(content_words(own)) - drop
    if len(mine) < s.campaign_short_topic_words:
        return False
    subject = set(content_words(subject_core(inc.subject))) - drop
    if not subject:
        return False
    for camp in pool.campaigns():
        title = content_set(camp.title)
        texts = [("template", v) for v in camp.fingerprint.split("\n")]
        texts += [(f"copy raw #{raw_id}", " ".join(words)) for raw_id, words in pool.distinct_copies(camp.id)]
        for via, words_text in texts:
            theirs = content_set(words_text)
            found = len(mine & theirs)
            share = 100.0 * found / len(mine)
            if share >= s.campaign_short_share and subject <= theirs | title:
                _join(triage, camp)
                triage.hit(NAME, "campaign_short", f"campaign #{camp.id} {camp.title!r}: a short copy, {found} of "
                           f"its {len(mine)} topic words in its {via} ({share:.0f}% >= {s.campaign_short_share:.0f}); "
                           f"subject words {', '.join(sorted(subject))} in its title or text")
                _take_look_alikes(triage, _words(triage, inc, ctx)[0], ctx, s, own, camp)
                return True
    return False


# Where a text divides into the points it makes: sentence ends, paragraphs, list items
# (structural, like handlers/risk.py's sentences, but wrapped lines are not cut).
_POINTS = re.compile(r"(?<=[.!?;])\s+|\n\s*\n|\n\s*(?:[-*\u2022]|\d+[.)])\s+")


@lru_cache(maxsize=4096)
def _points(text: str, drop: frozenset[str]) -> tuple[frozenset[str], ...]:
    """The stemmed topic words of each sentence or list item of the writer's text (two or more)."""
    out = []
    for piece in _POINTS.split(writer_text(text)):
        words = frozenset(additions.stem(w) for w in content_words(piece) if w not in drop and "'" not in w)
        if len(words) >= 2:
            out.append(words)
    return tuple(out)


def join_restated(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, pool: Pool | None = None, own: str | None = None
) -> bool:
    """A copy in other words with the writer's own story added: it makes most of one copy's points.

    Each sentence or list item of a recent copy (campaign_restated_min_points or more) counts as
    made when one sentence of the message holds campaign_restated_point_share % of its topic
    words; campaign_restated_share % of them must be. A letter of the writer's own on the same
    topic makes one or two of the campaign's points, not most of them.
    """
    pool = pool or Pool.of(triage, ctx, s)
    if not pool.campaigns():
        return False
    text, _ = campaign_text(inc.body, inc.quoted, own_mail(ctx.config), s)
    drop = frozenset(content_words(" ".join(_drop_words(triage, inc, ctx))))
    mine = _points(text, drop)
    if not mine:
        return False
    places = frozenset(content_words(" ".join(pool.places)))
    best: tuple[float, int, int, str, CampaignRef] | None = None
    for camp in pool.campaigns():
        for raw_id, _copy_words, copy in pool.copies(camp.id):
            theirs = _points(copy, places)
            if len(theirs) < s.campaign_restated_min_points:
                continue
            made = sum(1 for point in theirs if any(
                len(point & m) >= max(2, s.campaign_restated_point_share / 100 * len(point)) for m in mine))
            share = 100.0 * made / len(theirs)
            if best is None or share > best[0]:
                best = (share, made, len(theirs), f"copy raw #{raw_id}", camp)
    if best is None or best[0] < s.campaign_restated_share:
        return False
    share, made, total, via, camp = best
    _join(triage, camp)
    triage.hit(NAME, "campaign_restated", f"campaign #{camp.id} {camp.title!r}: makes {made} of the {total} points "
               f"of its {via} ({share:.0f}% >= {s.campaign_restated_share:.0f}), in other words")
    _take_look_alikes(triage, _words(triage, inc, ctx)[0], ctx, s, own, camp)
    return True


def _look_alikes(
    triage: Triage, words: list[str], ctx: Context, s: MatchSettings, own: str | None
) -> tuple[list[tuple[int, float, int, tuple[str, ...]]], set[str | None]]:
    """Recent contacts not in a campaign, from other senders, whose text is this one's template."""
    since = triage.received_at - timedelta(days=s.campaign_window_days)
    places = tuple(ctx.config.office.places)
    # Characters track words loosely; this skips texts far too short to hold a template.
    lo = min(len(" ".join(words)) * s.campaign_length_ratio / 2, s.campaign_template_words * 3)
    if len(words) < s.campaign_template_words:
        lo = min(lo, s.campaign_cut_words * 3)
    peers: list[tuple[int, float, int, tuple[str, ...]]] = []
    senders: set[str | None] = set()
    mine = frozenset(words)  # compared with every peer: made once
    for raw_id, text, sender in ctx.recent_unmatched(since, s.campaign_peer_limit):
        if raw_id == triage.raw_id or (own is not None and sender == own):
            continue  # a person repeating themselves is a follow-up, not a campaign
        if len(text) < lo:
            continue
        peer, peer_set = _peer(text, places)
        if not may_share_template(len(mine & peer_set), mine, peer_set, s):
            continue  # most of the window: too few words in common to be this one's template
        score, shared = template_score(words, peer, s, (mine, peer_set))
        if _passes(score, shared, s):
            peers.append((raw_id, score, shared, peer))
            senders.add(sender)
    return peers, senders


def _closest(
    texts: list[tuple[str, tuple[str, ...]]], pool: Pool, s: MatchSettings
) -> tuple[float, str, str, CampaignRef] | None:
    """The existing campaign that one of these look-alike texts is close to (campaign_close_coverage)."""
    best: tuple[float, str, str, CampaignRef] | None = None
    for who, words in texts[:10]:
        for camp in pool.campaigns():
            score, _shared, via = _best_against(list(words), camp, pool, s)
            if score >= s.campaign_close_coverage and (best is None or score > best[0]):
                best = (score, who, via, camp)
    return best


def detect_campaign(
    triage: Triage, inc: Incoming, ctx: Context, s: MatchSettings, own: str | None, pool: Pool | None = None
) -> bool:
    """Start a campaign when recent messages from other senders share this one's template.

    When this message or one of those is close to an existing campaign, they join it instead:
    one campaign in two wordings is still one campaign.
    """
    pool = pool or Pool.of(triage, ctx, s)
    words, forwarded = _words(triage, inc, ctx)
    if len(words) < s.campaign_cut_words:
        return False
    peers, senders = _look_alikes(triage, words, ctx, s, own)
    # A forward of one other person's letter is not yet a campaign: two other senders are.
    if not peers or (forwarded and len(senders) < 2):
        if peers:
            triage.hit(NAME, "campaign_forward_single", f"forwarded copy shared with one earlier sender only "
                       f"(raw #{peers[0][0]})")
        return False
    detail = ", ".join(f"raw #{r} coverage {sc:.0f} ({sh} words)" for r, sc, sh, _ in peers[:10])
    triage.campaign_peer_raw_ids = [p[0] for p in peers]
    close = _closest([("this message", tuple(words)), *((f"raw #{p[0]}", p[3]) for p in peers)], pool, s)
    if close is not None:
        score, who, via, camp = close
        _join(triage, camp)
        triage.hit(NAME, "campaign_close", f"template shared with {len(peers)} earlier message(s): {detail}; "
                   f"{who} is close to campaign #{camp.id} {camp.title!r} (coverage {score:.0f} >= "
                   f"{s.campaign_close_coverage:.0f} with its {via}): joined it rather than starting another")
        return True
    triage.new_campaign_title = _title(inc)
    # The copy with the fewest additions is the closest to the template: a writer's own story
    # in the fingerprint would make later plain copies look short beside it. A copy cut short
    # is no template: the shortest of template size is taken when there is one.
    copies: list[tuple[str, ...]] = [tuple(words), *(p[3] for p in peers)]
    whole = [c for c in copies if len(c) >= s.campaign_template_words] or copies
    shortest: tuple[str, ...] = min(whole, key=len)
    triage.campaign_fingerprint = "\n".join(" ".join(v) for v in _versions(shortest, copies, s, ctx.detector))
    triage.category = "campaign"
    triage.kind = Kind.CAMPAIGN
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


@lru_cache(maxsize=1024)
def template_versions(fingerprint: str) -> tuple[tuple[str, ...], ...]:
    """A campaign's fingerprint as the words of each template version (one a line, see _versions).

    Cached by the fingerprint itself, which changes whenever the template does: every message is
    compared with the same few campaigns, so they are split once, not once per message.
    """
    return tuple(tuple(line.split()) for line in fingerprint.split("\n"))


@lru_cache(maxsize=1024)
def _peer(text: str, places: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """A stored contact's template words and their set. Cached because every message reads the same
    recent window: the campaign copies (campaign_copy_limit, 60) and the look-alike contacts
    (campaign_peer_limit, 300) by default, which the cache holds with room to slide."""
    words = tuple(template_words(text, places))
    return words, frozenset(words)


def _title(inc: Incoming) -> str:
    subject = subject_core(inc.subject)
    if subject:
        return subject[:255]
    words = writer_text(inc.body).split()
    return " ".join(words[:10])[:255] or "Campaign"
