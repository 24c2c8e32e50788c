"""The shared vocabulary, defined once: categories and agency keys (shared/spec/triage-labels.md), outbox kinds."""

from __future__ import annotations

from enum import StrEnum

CATEGORIES: tuple[str, ...] = (
    "correspondence",
    "complaint",
    "foi",
    "campaign",
    "officer_correspondence",
    "consultation",
    "none",
)
# Every category but `none`, which marks what is not casework (machine mail, a bare /start).
CASEWORK_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != "none")
# What the classify stage and its model decide; `campaign` is match's, `none` machine_mail's and chat's.
MODEL_CATEGORIES: tuple[str, ...] = tuple(c for c in CASEWORK_CATEGORIES if c != "campaign")

AGENCIES: tuple[str, ...] = (
    "opcc",
    "emergency_999",
    "police_101",
    "force_psd",
    "opcc_complaints",
    "police_crime_panel",
    "force_foi",
    "opcc_foi",
    "force_data_protection",
    "action_fraud",
    "crimestoppers",
    "local_council",
    "victim_support",
    "none",
)


class OutboxKind(StrEnum):
    """What an outbox row is (store.models.Outbox.kind)."""

    ACK = "ack"  # the acknowledgement of a new contact (a campaign copy's individual reply too)
    FOLLOWUP = "followup"  # the acknowledgement of a contact added to an existing case
    # Chat answers the chat stage chooses instead of an acknowledgement (handlers/chat.py).
    GREETING = "greeting"
    HELP = "help"
    STATUS = "status"
    UNSUPPORTED = "unsupported"
    GROUP = "group"
    FLOOD = "flood"
    REPLY = "reply"  # a caseworker's reply from the dashboard (store/replies.py)
    ALERT = "alert"  # to the duty staff about an urgent contact or a dead outbox row
    DIGEST = "digest"  # the managers' daily digest
    STAFF = "staff"  # a deadline warning, a breach or an assignment, to a caseworker or the managers


CHAT_REPLIES = frozenset({OutboxKind.GREETING, OutboxKind.HELP, OutboxKind.STATUS, OutboxKind.UNSUPPORTED,
                          OutboxKind.GROUP, OutboxKind.FLOOD})
# Rows that acknowledge the very contact they answer (`signpost export`'s "acknowledged").
ACKNOWLEDGEMENTS = frozenset({OutboxKind.ACK, OutboxKind.FOLLOWUP, *CHAT_REPLIES})
# Acknowledgements counted against the per-sender limit (handlers/compose.py).
SENDER_LIMITED = frozenset({OutboxKind.ACK, OutboxKind.FOLLOWUP})
# Rows whose delivery means the office has answered the case (Case.acknowledged_at).
CASE_ANSWERS = frozenset({OutboxKind.ACK, OutboxKind.FOLLOWUP, OutboxKind.GREETING, OutboxKind.REPLY})
