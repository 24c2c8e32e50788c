"""Apply a contact arrangement: the writer's messages go to the named caseworker, with the restricted reply."""

from __future__ import annotations

from handlers.types import Context, Triage

NAME = "arrangements"


def process(triage: Triage, ctx: Context) -> None:
    if triage.person_id is None:
        return
    arrangement = ctx.arrangement_for_person(triage.person_id)
    if arrangement is None:
        return
    triage.arrangement = arrangement
    # Urgency is never suppressed: compose still sends the 999 reply and the alert.
    why = f"arrangement #{arrangement.id}: to {arrangement.caseworker}, review by {arrangement.review_on}"
    triage.hit(NAME, "contact_arrangement", why + ("; urgent, so the 999 reply and alert" if triage.urgent else
                                                   "; restricted acknowledgement"))
