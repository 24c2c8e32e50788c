"""Flag contacts where someone may be at risk of harm now (weighted cues plus the model's urgent head)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field

from handlers import risk
from handlers.cues import Cues
from handlers.settings import HAZARD, Settings, UrgencySettings
from handlers.types import Classifier, Context, Triage

NAME = "urgency"
logger = logging.getLogger(__name__)


@dataclass
class Score:
    """How urgent a text looks, and the cues behind it."""

    total: float = 0.0
    cues: list[str] = field(default_factory=list)


def _found(table: Cues, sentences: list[str]) -> list[set[str]]:
    """Per sentence: the names of the table's cues that find something in it (each searched once)."""
    table = table.within(sentences)
    return [{c.name for c in table.candidates(x) if c.found(x)} for x in sentences]


def _marks(found: list[set[str]], names: Collection[str] | None = None) -> list[bool]:
    """Per sentence: did any cue of the table (or only of the named cues) find something?"""
    return [bool(f) if names is None else not f.isdisjoint(names) for f in found]


def _historic(sentences: list[str], s: UrgencySettings) -> list[bool]:
    """Per sentence: a historic marker, a date counting only when the sentence does not look ahead."""
    hist, dated = s.historic, s.historic_unless_future
    found = _found(hist, sentences)
    always = _marks(found, tuple(n for n in hist.names if n not in dated))
    when = _marks(found, dated)
    return [a or (w and not s.future.search(x)) for a, w, x in zip(always, when, sentences, strict=True)]


@dataclass
class Reading:
    """Per sentence: is it over, historic, live now, a habit, near "now"; and is the letter settled."""

    sentences: list[str]
    over: list[bool]
    past: list[bool]
    live: list[bool]
    usual: list[bool]
    now: list[bool]
    settled: bool

    def counts(self, i: int) -> bool:
        """Sentence i can carry risk now: not over, and not history unless something is live in it."""
        return not self.over[i] and not (self.past[i] and not self.live[i])

    def live_text(self) -> str:
        """The sentences that can carry risk now, for the model to read without the history."""
        return " ".join(x for i, x in enumerate(self.sentences) if self.counts(i))


def read(text: str, s: UrgencySettings) -> Reading:
    """Mark each sentence: over (resolved, contained), historic, live, habitual, and near "now"."""
    sentences = risk.sentences(text)
    resolved, contained = _found(s.resolved, sentences), _found(s.contained, sentences)
    is_resolved, is_contained = _marks(resolved), _marks(contained)
    # A "now" inside the words saying it is over or contained is part of them ("I'm not worried
    # about my safety right now", "home with us now"): immediacy is read with those words left out.
    imm = _found(s.immediacy, [s.contained.sub(" ", s.resolved.sub(" ", x)) if r or c else x
                               for x, r, c in zip(sentences, is_resolved, is_contained, strict=True)])
    beats_habit = _marks(imm, s.beats_habit)
    # "Found him safe ... he is home now": an emergency that is over, in this sentence
    # (unless "again tonight": found last time, missing again now).
    over = [r and not b for r, b in zip(is_resolved, beats_habit, strict=True)]
    # "Dad was found last night", "I'm 27 now, I'm safe": with nothing live anywhere, the whole
    # letter tells of what is over, and none of its sentences is "now".
    settles = _marks([r | c for r, c in zip(resolved, contained, strict=True)], s.settles_letter)
    settled = any(r and not b for r, b in zip(settles, beats_habit, strict=True))
    # "He was remanded on Monday; I'm safe at my sister's": contained, unless a live cue says
    # the danger is back ("arrested last week, but he is outside now").
    live_raw = _marks(imm, s.live_now)
    # A hazard closing in ("still inside", "a train is due") also outweighs "nobody was hurt".
    back = [a or b for a, b in zip(live_raw, _marks(imm, (HAZARD,)), strict=True)]
    over = [o or (c and not n) for o, c, n in zip(over, is_contained, back, strict=True)]
    # "Every night ... now" describes a pattern, not this minute: habit cancels immediacy.
    # A lull ("nothing is happening at the moment") is no "now" either, "at the moment" and all,
    # but only in a sentence with no harm cue.
    lulls = set(s.habit_unless_harm)
    habits = _found(s.habitual, sentences)
    lull = [bool(f & lulls) and s.harm.search(x) is None for f, x in zip(habits, sentences, strict=True)]
    usual = [o or q or (bool(f - lulls) and not b)
             for o, q, f, b in zip(over, lull, habits, beats_habit, strict=True)]
    # "Released last month, he has been sat outside for an hour": a live cue outweighs history.
    live = [n and not u for n, u in zip(live_raw, usual, strict=True)]
    past = risk.story_marks(_historic(sentences, s), sentences, s.past_tense, s.present_tense)
    settled = settled and not any(live)
    # A story told about a past date supplies no "now" ("Jordan had been in all evening").
    now = [n and not u and not (p and not v) and not settled
           for n, u, p, v in zip(_marks(imm), usual, past, live, strict=True)]
    return Reading(sentences, over, past, live, usual, now, settled)


def score_text(text: str, config: Settings) -> Score:
    """Sum harm cues per sentence, weighted by immediacy nearby, cancelled by historic markers."""
    s = config.triage.urgency
    return _score(read(text, s), text, s)


def _score(rd: Reading, text: str, s: UrgencySettings) -> Score:
    harm, policy = s.harm.within(rd.sentences), s.policy
    asks = _marks(_found(policy, rd.sentences))
    best: dict[str, tuple[float, str, int]] = {}
    # "In March he said he'd burn my house down ... he was released today and has driven past
    # twice": with something live now, a past threat is a risk again (at the distant weight).
    revived = any(rd.live) and not rd.settled
    for i, sentence in enumerate(rd.sentences):
        story = revived and not rd.counts(i) and rd.past[i] and not rd.over[i]
        if not rd.counts(i) and not story:
            continue
        near = any(rd.now[max(0, i - 1) : i + 2]) and not rd.usual[i] and not story
        for cue in harm.candidates(sentence):
            found = cue.found(sentence)
            if not found:
                continue
            always = (cue.name in s.always_now and not (rd.usual[i] and cue.name in s.habit_bound)
                      and not rd.settled and not story)
            factor = s.immediate_factor if near or always else s.distant_factor
            # Each cue counts once, at its best: repeating a word is not more danger.
            if cue.weight * factor > best.get(cue.name, (0.0, "", 0))[0]:
                best[cue.name] = (cue.weight * factor, f"{cue.name}{'+now' if near else ''}: {found!r}", i)
    policy_hits = [c.name for c in policy if c.find(text)]
    # A policy question halves the cues beside it; a plea buried further down keeps its weight.
    halve = len(policy_hits) >= s.policy_min
    out = Score()
    for value, why, i in best.values():
        beside = halve and any(asks[max(0, i - 1) : i + 2])
        out.total += value / 2 if beside else value
        out.cues.append(why + (" (policy: halved)" if beside else ""))
    if halve:
        out.cues.append(f"policy question ({', '.join(policy_hits)})")
    return out


def fired_cues(triage: Triage) -> set[str]:
    """The names of the harm cues this stage found in the contact (from the hits it recorded)."""
    return {h.reason.split(":", 1)[0].split("+", 1)[0] for h in triage.hits if h.stage == NAME and h.rule == "cue"}


@dataclass
class Verdict:
    """The cue score plus the model, and whether together they make a text urgent."""

    score: Score
    p_urgent: float
    urgent: bool
    why: str


def assess(text: str, config: Settings, classifier: Classifier) -> Verdict:
    """Cues and model together: urgent at the threshold, or when the model alone is very sure.

    The model reads the whole text and the sentences that can carry risk now (a letter's
    history and an emergency it says is over left out); the lower reading counts.
    """
    s = config.triage.urgency
    rd = read(text, s)
    sc = _score(rd, text, s)
    harm_found = bool(sc.cues)
    p_urgent = classifier.predict("urgent", text).probs.get("yes", 0.0)
    heard = rd.live_text()
    if heard != " ".join(rd.sentences):
        # Without its history the letter may sound calmer; out of context a fragment may sound
        # worse ("He is back home."), so the lower reading counts.
        p_urgent = min(p_urgent, classifier.predict("urgent", heard).probs.get("yes", 0.0) if heard.strip() else 0.0)
    if p_urgent >= s.model_min and not rd.settled:
        # The model hears phrasings the cue tables lack; it adds to them, and alone it decides
        # only when very sure (missing an urgent message is the worst error). A letter that says
        # it is over, with nothing live in it ("we are safe now"), is scored by its cues: the
        # model hears the story's danger words, not the writer's safety.
        sc.total += s.model_weight * p_urgent
        sc.cues.append(f"model urgent p={p_urgent:.2f}")
    if sc.total >= s.threshold:
        return Verdict(sc, p_urgent, True, f"score {sc.total:.1f} >= {s.threshold}")
    if p_urgent >= s.model_alone:
        calm = s.calm.find(text) if not harm_found else None
        if calm is None:
            return Verdict(sc, p_urgent, True, f"model p={p_urgent:.2f} >= {s.model_alone}")
        # "Not asking anyone to come now, it's every weekend": the writer says nobody needs help
        # now and no harm cue says otherwise, so the model alone does not decide.
        return Verdict(sc, p_urgent, False, f"score {sc.total:.1f} < {s.threshold}; model p={p_urgent:.2f} "
                       f"alone, but the writer says it is not urgent now ({calm!r}) and no harm cue fired")
    return Verdict(sc, p_urgent, False, f"score {sc.total:.1f} < {s.threshold}")


def settles(text: str, config: Settings) -> bool:
    """The message says the danger is over or contained ("she's safe now", "he was arrested")."""
    s = config.triage.urgency
    tables = s.resolved.cues + s.contained.cues
    return any(c.find(x) for c in tables for x in risk.sentences(text))


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    s = ctx.config.triage.urgency
    text, dropped = risk.without_templates(inc.full_text, ctx.campaigns())
    if dropped:
        # A campaign copy: the shared template says nothing about this writer; their own lines do.
        triage.hit(NAME, "own_words", f"{dropped} sentence(s) of a campaign template left out")
    verdict = assess(text, ctx.config, ctx.model)
    for cue in verdict.score.cues:
        triage.hit(NAME, "cue", cue)
    if not verdict.urgent and inc.channel == "telegram" and not settles(text, ctx.config):
        earlier = risk.chat_history(inc, ctx, triage.received_at, s.chat_context_minutes)
        joined = assess(f"{earlier}\n{text}", ctx.config, ctx.model) if earlier else None
        if joined is not None and joined.urgent:
            # A fragment of a burst: "she said earlier she'd got her tablets out" after "my friend
            # sent me a goodbye" is as urgent as the message before it.
            triage.hit(NAME, "chat_context", f"with this chat's messages of the last "
                       f"{s.chat_context_minutes:g} minutes: {joined.why}")
            verdict = joined
    if verdict.urgent:
        triage.urgent = True
        triage.hit(NAME, "at_risk_now", verdict.why)
        logger.info("raw #%d urgency: urgent (score %.1f)", triage.raw_id, verdict.score.total)
    elif verdict.score.cues:
        triage.hit(NAME, "below_threshold", verdict.why)
