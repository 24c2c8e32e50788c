"""Choose the agency to signpost the writer to (and the reply template) from category, urgency and cues."""

from __future__ import annotations

import logging

from handlers import risk, rules
from handlers.settings import Settings, SignpostSettings
from handlers.types import CaseRef, Classifier, Context, Prediction, Triage

NAME = "signpost"
logger = logging.getLogger(__name__)

COMPLAINT_AGENCIES = ("force_psd", "opcc_complaints", "police_crime_panel")
FOI_AGENCIES = ("force_foi", "opcc_foi")
# Signposts that need the writer to be asking where to go (or the model to agree), because the
# same words also turn up in letters about policy.
NEEDS_ASKING = ("action_fraud", "local_council", "police_101")
GENERAL = "opcc"  # the office itself: where a letter goes when no other body is better placed


def _restricted(pred: Prediction, allowed: tuple[str, ...]) -> tuple[str, float]:
    best = max(allowed, key=lambda a: pred.probs.get(a, 0.0))
    return best, pred.probs.get(best, 0.0)


def complaint_agency(text: str, s: SignpostSettings, pred: Prediction) -> tuple[str, str]:
    """Who handles a complaint: the panel (Commissioner), the office (Chief Constable, reviews) or PSD."""
    for cue in s.complaint:  # each cue is named after the agency it signposts to
        found = cue.find(text)
        if found:
            return cue.name, f"complaint rule {cue.name}: {found!r}"
    agency, p = _restricted(pred, COMPLAINT_AGENCIES)
    if agency != "force_psd" and p >= s.min_model_prob:
        return agency, f"model {agency} p={p:.2f}"
    return "force_psd", "complaint about officers, staff or the force's service"


def foi_agency(text: str, s: SignpostSettings, pred: Prediction) -> tuple[str, str]:
    """The office's FOI officer for office-held information, else the force's FOI unit."""
    found = s.opcc_foi.find(text)
    if found:
        return "opcc_foi", f"office-held information: {found!r}"
    found = s.force_foi.find(text)
    if found:
        return "force_foi", f"force-held information: {found!r}"
    agency, p = _restricted(pred, FOI_AGENCIES)
    return agency, f"model {agency} p={p:.2f}"


def correspondence_agency(text: str, s: SignpostSettings, pred: Prediction, *,
                          strict: bool = False) -> tuple[str, str]:
    """Signpost a letter by what the writer needs; policy questions stay with the office.

    `strict` (a chat conversation re-read, `conversation_agency`): only a cue, and a council
    matter too needs the writer asking or the model agreeing, as a fraud or a crime report does.
    """
    trade = rules.pitch(text, s)
    if trade:
        return "opcc", f"a company offering its services ({', '.join(trade)})"
    asking = s.help_seeking.find(text)
    thanks = s.thanks.find(text)
    if thanks and not asking:
        return "opcc", f"thanks for the office to pass on ({thanks!r}), nothing asked"
    policy = s.policy.find(text)
    images = s.image_abuse.find(text)
    if images and not (policy and not asking):
        return "police_101", f"intimate image abuse is a crime to report: {images!r}"
    for cue in s.correspondence:
        found = cue.find(text)
        if not found:
            continue
        agency = cue.name.split("/", 1)[0]  # "police_101/crime": a group of police_101 cues checked early
        agrees = pred.probs.get(agency, 0.0) >= 0.25
        if agency in (*NEEDS_ASKING, "victim_support") and policy and not asking:
            continue
        told = (agency == "action_fraud" and s.reports_loss.find(text)) or (
            agency == "police_101" and s.reports_crime.find(text))
        if agency in NEEDS_ASKING and not (asking or agrees or told or (agency == "local_council" and not strict)):
            continue
        victim = s.victim_context.find(text)
        if agency == "victim_support" and not victim:
            continue
        return agency, f"{agency}: {found!r}" + (f"; asks {asking!r}" if asking else "")
    if pred.label not in ("opcc", "emergency_999") and pred.prob >= s.min_model_prob and not policy and not strict:
        return pred.label, f"model {pred.label} p={pred.prob:.2f}"
    return "opcc", "a matter for the office" + (f" (policy: {policy!r})" if policy else "")


def process(triage: Triage, ctx: Context) -> None:
    inc = triage.incoming
    assert inc is not None, "parse sets incoming"
    case = triage.case
    upgraded = False
    if triage.followup and case is not None and case.category:
        # Follow-ups inherit the case's category and agency (labels spec), unless urgent; a
        # follow-up that itself makes a complaint ("I do, however, want to make a complaint")
        # turns a letter into a complaint.
        upgraded = (case.category == "correspondence" and triage.category == "complaint"
                    and triage.category_rule is not None)
        if upgraded:
            # The case becomes a complaint, so the chasers after this one inherit it.
            triage.settles_case = True
            triage.hit(NAME, "complaint_in_followup", f"{triage.category_rule}: the case {case.reference} "
                       "was correspondence; it is a complaint from now on")
        elif triage.category != case.category:
            why = f"{triage.category} -> {case.category} from {case.reference}"
            triage.hit(NAME, "inherit_category", why)
            triage.category = case.category
    if triage.urgent:
        agency, why = "emergency_999", "someone may be at risk of harm now"
    elif triage.followup and case is not None and (case.agency or case.urgent) and not upgraded and not (
            (case.urgent or case.agency == "emergency_999") and triage.category in ("complaint", "foi")):
        # A calm follow-up of an urgent complaint ("he was arrested; I still want my complaint
        # looked at") goes where complaints go; other follow-ups keep the case's signpost, and
        # that of a case where someone was at risk is 999 (the reply keeps its safety advice).
        agency = "emergency_999" if case.urgent else str(case.agency)
        why = f"follow-up of {case.reference}" + (" (someone was at risk)" if case.urgent else "")
        told = conversation_agency(triage, case, ctx) if agency == GENERAL else None
        if told is not None:
            agency, why = told
            triage.settles_case = True
    elif triage.category == "campaign" or triage.campaign is not None or triage.new_campaign_title:
        agency, why = "opcc", "campaign: the office sends one set response"
    elif triage.member is not None and (triage.category or "correspondence") == "correspondence":
        # An MP, Senedd member or councillor writing for their constituents (members stage): the
        # office answers them itself, though their letter names council matters or crimes.
        agency, why = GENERAL, f"an elected member's letter ({triage.member}): the office answers it"
    else:
        text = rules.without_other_matters(inc.full_text, ctx.config.triage.classify.other_matter)
        agency, why = choose(triage.category or "correspondence", text, ctx.config, ctx.model)
    triage.agency = agency
    campaign = triage.category == "campaign" and not triage.urgent
    triage.template = "campaign" if campaign else agency
    triage.hit(NAME, agency, why)
    logger.debug("raw #%d signpost: %s", triage.raw_id, agency)


def conversation_agency(triage: Triage, case: CaseRef, ctx: Context) -> tuple[str, str] | None:
    """A Telegram fragment read with the earlier fragments of its case, when they showed nowhere to go.

    People write a report in pieces ("got a text saying my parcel couldn't be delivered", then "I
    clicked it and put my card in"): the first piece alone is a matter for the office, the pieces
    together a fraud to report. The case then takes the signpost its later fragments inherit.
    Only a correspondence case with the office's general signpost, within the chat window.
    """
    inc = triage.incoming
    if inc is None or inc.channel != "telegram" or case.category != "correspondence" or case.urgent \
            or triage.category != "correspondence" or case.campaign_id is not None:
        return None
    minutes = ctx.config.triage.urgency.chat_context_minutes
    earlier = risk.chat_conversation(inc, ctx, case.id, triage.received_at, minutes)
    if not earlier:
        return None
    text = rules.without_other_matters(f"{earlier}\n{inc.full_text}", ctx.config.triage.classify.other_matter)
    agency, why = choose("correspondence", text, ctx.config, ctx.model, strict=True)
    if agency == GENERAL:
        return None
    return agency, f"follow-up of {case.reference}, read with its messages of the last {minutes:g} minutes: {why}"


def choose(category: str, text: str, config: Settings, triage_model: Classifier, *,
           strict: bool = False) -> tuple[str, str]:
    """(agency, reason) for a non-urgent contact of a category (`strict`: see correspondence_agency)."""
    s = config.triage.signpost
    if category in ("officer_correspondence", "consultation", "campaign"):
        return "opcc", f"{category} is answered by the office"
    pred = triage_model.predict("agency", text)
    if category == "complaint":
        agency, why = complaint_agency(text, s, pred)
    elif category == "foi":
        agency, why = foi_agency(text, s, pred)
    else:
        agency, why = correspondence_agency(text, s, pred, strict=strict)
    return agency, f"{why} [model: {pred.label} p={pred.prob:.2f}]"
