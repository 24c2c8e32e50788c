"""`signpost export` and `signpost cases`: one JSON object per inbound message, and a readable case list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from handlers.labels import ACKNOWLEDGEMENTS
from store.merged import is_live
from store.models import Campaign, Case, Contact, Decision, Direction, Outbox, OutboxStatus, RawMessage


def export_rows(s: Session) -> Iterator[dict[str, Any]]:
    """Every raw inbound message in arrival order with its triage decision and case."""
    acked = (
        select(Outbox.contact_id)
        .where(Outbox.kind.in_(sorted(ACKNOWLEDGEMENTS)), Outbox.contact_id.is_not(None),
               Outbox.status.not_in((OutboxStatus.dead, OutboxStatus.failed)))
        .distinct()
    )
    acked_ids = set(s.scalars(acked))
    camp = aliased(Campaign)
    q = (
        select(RawMessage, Contact, Decision, Case, camp)
        .outerjoin(Contact, (Contact.raw_id == RawMessage.id) & (Contact.direction == Direction.inbound))
        .outerjoin(Decision, Decision.contact_id == Contact.id)
        .outerjoin(Case, Case.id == Contact.case_id)
        .outerjoin(camp, camp.id == Decision.campaign_id)
        .order_by(RawMessage.received_at, RawMessage.id)
    )
    for raw, contact, decision, case, campaign in s.execute(q):
        yield {
            "file": raw.source_file,
            "message_id": raw.message_id_header or (contact.message_id if contact else None),
            "channel": raw.channel,
            "received_at": raw.received_at.isoformat(),
            "case": case.reference if case else None,
            "category": decision.category if decision else None,
            "urgent": bool(decision.urgent) if decision else False,
            "agency": decision.agency if decision else None,
            "campaign": f"campaign-{campaign.id}" if campaign else None,
            "acknowledged": bool(contact and contact.id in acked_ids),
            "status": case.status.value if case else raw.status.value,
            "processing": raw.status.value,
            "error": raw.error,
        }


def case_lines(s: Session, limit: int = 50, status: str | None = None) -> list[str]:
    q = select(Case).where(is_live()).order_by(Case.urgent.desc(), Case.respond_by, Case.id).limit(limit)
    if status:
        q = q.where(Case.status == status)
    lines = [f"{'reference':<16} {'status':<11} {'urgent':<6} {'category':<22} {'agency':<22} "
             f"{'respond by':<10}  subject"]
    for c in s.scalars(q):
        lines.append(f"{c.reference:<16} {c.status.value:<11} {'YES' if c.urgent else '':<6} "
                     f"{(c.category or '-'):<22} {(c.agency or '-'):<22} {c.respond_by.isoformat():<10}  "
                     f"{c.subject[:60]}")
    return lines
