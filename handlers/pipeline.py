"""The triage pipeline: stage order as data, and the driver that runs it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from types import ModuleType

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
from handlers.types import Context, StopPipeline, Triage

logger = logging.getLogger(__name__)

# Decide what a contact is and where it belongs. The worker then opens or joins the case
# (giving the reference and deadlines) and runs RESPOND in the same unit of work.
DECIDE: tuple[ModuleType, ...] = (
    parse, machine_mail, chat, language, urgency, classify, match, arrangements, members, signpost)
RESPOND: tuple[ModuleType, ...] = (compose,)
STAGES: tuple[ModuleType, ...] = DECIDE + RESPOND


def run(triage: Triage, ctx: Context, stages: Sequence[ModuleType] = DECIDE) -> Triage:
    """Run stages in order until one raises StopPipeline; errors propagate to the worker."""
    for stage in stages:
        try:
            stage.process(triage, ctx)
        except StopPipeline:
            logger.debug("raw #%d: pipeline stopped at %s", triage.raw_id, stage.NAME)
            break
    return triage
