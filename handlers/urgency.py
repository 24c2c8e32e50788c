"""Flag contacts where someone may be at risk of harm now (weighted cues plus the model's urgent head)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from handlers import rules
from handlers.types import Context, Triage

NAME = "urgency"
logger = logging.getLogger(__name__)

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class Score:
    """How urgent a text looks, and the cues behind it."""

    total: float = 0.0
    cues: list[str] = field(default_factory=list)


def _marks(table: tuple[rules.Cue, ...], sentences: list[str], names: list[str] | None = None) -> list[bool]:
    """Per sentence: does any cue of the table (or only of the named cues) match?"""
    chosen = [c for c in table if names is None or c.name in names]
    return [any(c.find(x) for c in chosen) for x in sentences]


def score_text(text: str, ctx_config: object) -> Score:
    """Sum harm cues per sentence, weighted by immediacy nearby, cancelled by historic markers."""
    s = rules.section(ctx_config, "urgency")
    harm = rules.cues(s["harm"], "triage.urgency.harm")
    imm = rules.cues(s["immediacy"], "triage.urgency.immediacy")
    hist = rules.cues(s["historic"], "triage.urgency.historic")
    resolved = rules.cues(s["resolved"], "triage.urgency.resolved")
    contained = rules.cues(s["contained"], "triage.urgency.contained")
    policy = rules.cues(s["policy"], "triage.urgency.policy")
    habitual = rules.cues(s["habitual"], "triage.urgency.habitual")
    sentences = [x.strip() for x in _SENTENCES.split(text) if x and x.strip()]
    beats_habit = _marks(imm, sentences, s["beats_habit"])
    # "Found him safe ... he is home now": an emergency that is over, in this sentence
    # (unless "again tonight": found last time, missing again now).
    over = [r and not b for r, b in zip(_marks(resolved, sentences), beats_habit, strict=True)]
    # "He was remanded on Monday; I'm safe at my sister's": contained, unless a live cue says
    # the danger is back ("arrested last week, but he is outside now").
    live_raw = _marks(imm, sentences, s["live_now"])
    # A hazard closing in ("still inside", "a train is due") also outweighs "nobody was hurt".
    back = [a or b for a, b in zip(live_raw, _marks(imm, sentences, ["hazard"]), strict=True)]
    over = [o or (c and not n) for o, c, n in zip(over, _marks(contained, sentences), back, strict=True)]
    # "Every night ... now" describes a pattern, not this minute: habit cancels immediacy.
    usual = [o or (h and not b) for o, h, b in zip(over, _marks(habitual, sentences), beats_habit, strict=True)]
    now = [n and not u for n, u in zip(_marks(imm, sentences), usual, strict=True)]
    # "Released last month, he has been sat outside for an hour": a live cue outweighs history.
    live = [n and not u for n, u in zip(live_raw, usual, strict=True)]
    past = _marks(hist, sentences)
    asks = _marks(policy, sentences)
    out = Score()
    best: dict[str, tuple[float, str, int]] = {}
    for i, sentence in enumerate(sentences):
        if over[i] or (past[i] and not live[i]):
            continue
        near = any(now[max(0, i - 1) : i + 2]) and not usual[i]
        for cue in harm:
            found = cue.find(sentence)
            always = cue.name in s["always_now"] and not (usual[i] and cue.name in s["habit_bound"])
            factor = s["immediate_factor"] if near or always else s["distant_factor"]
            # Each cue counts once, at its best: repeating a word is not more danger.
            if found and cue.weight * factor > best.get(cue.name, (0.0, "", 0))[0]:
                best[cue.name] = (cue.weight * factor, f"{cue.name}{'+now' if near else ''}: {found!r}", i)
    policy_hits = [c.name for c in policy if c.find(text)]
    # A policy question halves the cues beside it; a plea buried further down keeps its weight.
    halve = len(policy_hits) >= s["policy_min"]
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


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    text = inc.full_text
    sc = score_text(text, ctx.config)
    s = rules.section(ctx.config, "urgency")
    pred = ctx.model.predict("urgent", text)
    p_urgent = pred.probs.get("yes", 0.0)
    if p_urgent >= s["model_min"]:
        # The model hears phrasings the cue tables lack; it adds to them, and alone it decides
        # only when very sure (missing an urgent message is the worst error).
        sc.total += s["model_weight"] * p_urgent
        sc.cues.append(f"model urgent p={p_urgent:.2f}")
    for cue in sc.cues:
        triage.hit(NAME, "cue", cue)
    if sc.total >= s["threshold"] or p_urgent >= s["model_alone"]:
        triage.urgent = True
        why = f"score {sc.total:.1f} >= {s['threshold']}" if sc.total >= s["threshold"] else (
            f"model p={p_urgent:.2f} >= {s['model_alone']}")
        triage.hit(NAME, "at_risk_now", why)
        logger.info("raw #%d urgency: urgent (score %.1f)", triage.raw_id, sc.total)
    elif sc.cues:
        triage.hit(NAME, "below_threshold", f"score {sc.total:.1f} < {s['threshold']}")
