"""The one log line per message that says which case it went to and what Signpost did."""

from __future__ import annotations

from handlers.labels import SENDER_LIMITED
from handlers.types import Triage


def outcome_line(raw_id: int, triage: Triage) -> str:
    """'MID-2026-00042 new case (email): complaint -> force_psd, acknowledgement queued (raw #12)'."""
    if triage.machine:
        reason = next((h.reason for h in triage.hits if h.stage == "machine_mail"), "machine mail")
        return f"raw #{raw_id}: machine mail, logged and not answered ({reason})"
    ref = triage.reference or "(no case)"
    if triage.campaign is not None:
        where = "joined campaign"
    elif triage.new_campaign_title:
        where = "new campaign"
    elif triage.followup:
        where = "follow-up to the case"
    else:
        where = "new case"
    done = []
    if triage.reply is not None:
        kind = triage.outbox_kind
        done.append("acknowledgement queued" if kind in SENDER_LIMITED else f"{kind.value} reply queued")
    else:
        done.append("no reply")
    if triage.alert is not None:
        done.append("URGENT: duty alerted")
    return (f"{ref} {where} ({triage.channel}): {triage.category or 'none'} -> {triage.agency or 'none'}, "
            f"{', '.join(done)} (raw #{raw_id})")
