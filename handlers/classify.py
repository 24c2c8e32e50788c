"""Decide the casework category: config rules for strong signals, else the statistical model."""

from __future__ import annotations

import logging

from handlers import rules
from handlers.labels import MODEL_CATEGORIES
from handlers.settings import STATED_COMPLAINT, ClassifySettings, Settings
from handlers.types import Context, Incoming, Prediction, Triage

NAME = "classify"
logger = logging.getLogger(__name__)

CATEGORIES = MODEL_CATEGORIES


def is_force_address(address: str | None, domains: tuple[str, ...]) -> bool:
    """True for an address at a force domain or one of its subdomains."""
    if not address or "@" not in address:
        return False
    host = address.rsplit("@", 1)[1].lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def officer_rule(inc: Incoming, config: Settings, s: ClassifySettings) -> str | None:
    """Why this looks like a force officer or staff member writing, or None."""
    if is_force_address(inc.sender_address, config.force.email_domains):
        return f"sender domain is a force domain ({str(inc.sender_address).rsplit('@', 1)[1]})"
    text = f"{inc.full_text}\n{inc.signature}"
    if s.officer_exclude.find(inc.full_text):
        return None
    hit = s.officer.first(text)
    if hit:
        return f"{hit[0].name}: {hit[1]!r}"
    return None


def rule_category(inc: Incoming, config: Settings) -> tuple[str, str] | None:
    """(category, reason) from the strong-signal rules, first match wins, or None."""
    s = config.triage.classify
    why = officer_rule(inc, config, s)
    if why:
        return "officer_correspondence", why
    text = rules.without_other_matters(inc.full_text, s.other_matter)
    # A request for what is held about the writer is a subject access request, whatever it is
    # called ("a freedom of information request for all the information you have on me").
    for key, category, table in (("sar", "correspondence", s.sar), ("foi", "foi", s.foi),
                                 ("consultation", "consultation", s.consultation),
                                 ("complaint", "complaint", s.complaint)):
        if key == "consultation" and (said := _says_complaint(text, s)):
            # "I wish to make a formal complaint" outranks a mention of a consultation.
            return "complaint", said
        if key == "consultation" and rules.pitch(text, config.triage.signpost):
            continue  # a company selling survey work talks of consultations: correspondence
        if key == "complaint":
            why = third_party_rule(text, s)
            if why:
                return "correspondence", why
        hit = table.first(text)
        if hit:
            return category, f"{key}.{hit[0].name}: {hit[1]!r}"
    return None


def _says_complaint(text: str, s: ClassifySettings) -> str | None:
    """The writer states outright that this is a complaint (complaint cues `formal`, `want_to`)."""
    if third_party_rule(text, s):
        return None
    hit = s.complaint.named(STATED_COMPLAINT).first(text)
    return f"complaint.{hit[0].name}: {hit[1]!r}" if hit else None


def third_party_rule(text: str, s: ClassifySettings) -> str | None:
    """Why this is a caseworker writing for a constituent (correspondence), or None.

    A complaint the constituent has running is background; the third party writes about
    something else (often a welfare risk now) unless they make a complaint themselves.
    """
    found = s.third_party.find(text)
    if not found:
        return None
    if s.third_party_complaint.find(text):
        return None
    return f"third_party: {found!r} writes for someone else and makes no complaint"


def _runner_up(pred: Prediction) -> str:
    return max((c for c in pred.probs if c != pred.label), key=lambda c: pred.probs[c])


def model_category(pred: Prediction, text: str, s: ClassifySettings,
                   selling: list[str] | None = None) -> tuple[str, str | None]:
    """The model's category, checked against what it cannot see: (category, why it was overruled).

    `selling` are the pitch cues found (`pitch`): a company marketing its services to the office
    writes correspondence (labels spec), however much it talks of consultations or complaints.
    """
    if selling and pred.label != "correspondence":
        return "correspondence", f"a company offering its services ({', '.join(selling)})"
    if pred.label == "officer_correspondence":
        # Officer correspondence is about who writes: without a force address or an officer cue
        # (rule_category), words about policing alone mean a member of the public.
        return _runner_up(pred), "no sign the writer serves with the force"
    if pred.label == "complaint" and (said := s.disclaims_complaint.find(text)):
        # "I am not writing to complain about any officer": the model heard the word, not a complaint.
        return _runner_up(pred), f"the writer rules a complaint out ({said!r})"
    if pred.label == "complaint" and not s.complaint_subject.find(text):
        # "Who do I complain to about the music next door?": no police, staff or office named.
        return _runner_up(pred), "a complaint naming no police, staff or office: about someone else"
    unsure = pred.prob < s.min_complaint_prob
    if pred.label == "complaint" and unsure and not s.grievance.first(text):
        # An unsure model and no word of grievance: a question, not a complaint.
        return _runner_up(pred), f"complaint p={pred.prob:.2f} and no grievance"
    return pred.label, None


def process(triage: Triage, ctx: Context) -> None:
    if triage.category is not None:
        return
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    s = ctx.config.triage.classify
    text = rules.without_other_matters(f"{inc.full_text}\n{inc.signature}", s.other_matter)
    pred = ctx.model.predict("category", text)
    top = ", ".join(f"{k}={v:.2f}" for k, v in sorted(pred.probs.items(), key=lambda kv: -kv[1])[:3])
    triage.hit(NAME, "model", f"{pred.label} p={pred.prob:.2f} ({top})")
    ruled = rule_category(inc, ctx.config)
    if ruled is not None:
        triage.category = ruled[0]
        triage.category_rule = ruled[1]
        triage.hit(NAME, f"rule:{ruled[0]}", ruled[1])
    elif pred.label in CATEGORIES and pred.prob >= s.min_model_prob:
        triage.category, overruled = model_category(pred, text, s, rules.pitch(text, ctx.config.triage.signpost))
        if overruled:
            triage.hit(NAME, "overruled", f"{overruled}: {triage.category}")
    else:
        triage.category = s.fallback
        triage.hit(NAME, "fallback", f"model unsure ({pred.label} p={pred.prob:.2f})")
    logger.debug("raw #%d classify: %s", triage.raw_id, triage.category)
