"""The triage pipeline: stage order and each kind's route as data, and the driver that runs them."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from types import MappingProxyType, ModuleType

from handlers import (
    arrangements,
    chat,
    classify,
    compose,
    language,
    machine_mail,
    match,
    members,
    parse,
    signpost,
    urgency,
)
from handlers.types import Context, Kind, Triage

logger = logging.getLogger(__name__)

# Decide what a contact is and where it belongs. The worker then places the case (giving the
# reference and deadlines) and runs RESPOND in the same unit of work (bot/worker.py).
DECIDE: tuple[ModuleType, ...] = (
    parse, machine_mail, chat, language, urgency, classify, match, arrangements, members, signpost)
RESPOND: tuple[ModuleType, ...] = (compose,)
STAGES: tuple[ModuleType, ...] = DECIDE + RESPOND

_CASEWORK = (language, urgency, classify, match, arrangements, members, signpost, compose)
# Which stages a message of each kind goes through. The stage that knows a kind sets it (parse,
# machine_mail, chat, match), and the stages after it follow the new kind's route, in STAGES order.
ROUTES: Mapping[Kind, tuple[ModuleType, ...]] = MappingProxyType({
    Kind.RAW: (parse,),
    Kind.EMAIL: (machine_mail, *_CASEWORK),
    Kind.CHAT_TEXT: (machine_mail, chat, *_CASEWORK),
    Kind.MACHINE: (),  # recorded, never answered (house rule 11)
    Kind.CHAT_COMMAND: (compose,),
    Kind.CHAT_UNSUPPORTED: (compose,),
    Kind.CHAT_GROUP: (compose,),
    Kind.CHAT_EDIT: (),
    Kind.CHAT_UNANSWERABLE: (),
    # Someone at risk may send many messages: urgency still reads a flood, match does not.
    Kind.CHAT_FLOOD: (language, urgency, classify, arrangements, members, compose),
    Kind.FOLLOWUP: (arrangements, members, signpost, compose),
    # One set response for every copy: no arrangement or member handling of its own.
    Kind.CAMPAIGN: (signpost, compose),
})


def run(triage: Triage, ctx: Context, stages: Sequence[ModuleType] = DECIDE) -> Triage:
    """Run those of `stages` that the message's route holds, in order; errors propagate to the worker."""
    for stage in stages:
        if stage in ROUTES[triage.kind]:
            stage.process(triage, ctx)
        else:
            logger.debug("raw #%d: %s not on the %s route", triage.raw_id, stage.NAME, triage.kind)
    return triage


def decide(triage: Triage, ctx: Context) -> Triage:
    """What the contact is, how urgent, which category, which case or campaign, which agency."""
    return run(triage, ctx, DECIDE)


def respond(triage: Triage, ctx: Context) -> Triage:
    """Compose the reply and any staff alert, once the worker has placed the case."""
    return run(triage, ctx, RESPOND)
