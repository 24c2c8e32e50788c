"""Typed state shared by the pipeline stages: Incoming, Triage, Hit, Context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

# Replies the chat stage chooses instead of an acknowledgement (handlers/chat.py).
CHAT_REPLY_KINDS = frozenset({"greeting", "help", "status", "unsupported", "group", "flood"})
# Outbox kinds that answer the contact itself: an acknowledgement of that very message.
ACK_KINDS = frozenset({"ack", "followup", *CHAT_REPLY_KINDS})


class StopPipeline(Exception):
    """Raised by a stage when no later stage should run (e.g. machine mail)."""


class TriageInputError(Exception):
    """Bad input that we record and move past (empty, undecodable): not a bug."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int
    data: bytes = b""


@dataclass
class Incoming:
    """One contact normalised from any channel."""

    channel: str  # "email" | "telegram"
    message_id: str | None = None
    sender_address: str | None = None  # lower-cased email address
    sender_name: str = ""
    telegram_user_id: int | None = None
    telegram_chat_id: int | None = None
    telegram_chat_type: str | None = None
    telegram_username: str | None = None
    subject: str = ""
    body: str = ""  # the new text only
    quoted: str = ""  # quoted earlier text / forwarded history
    signature: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    date: datetime | None = None
    # Lower-cased header name -> raw value, for machine-mail checks.
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    return_path: str | None = None  # None = header absent; "" = null return path "<>"
    command: str | None = None  # a Telegram bot command such as "/start"
    kind: str = "text"  # telegram: text | photo | document | sticker | voice | other ...
    edited: bool = False  # a Telegram edited_message: update the stored contact, no new case
    problems: list[str] = field(default_factory=list)  # parse defects, recorded as events

    @property
    def full_text(self) -> str:
        """Subject and new text, as the classifiers read it."""
        return f"{self.subject}\n{self.body}".strip()


@dataclass(frozen=True)
class Hit:
    """One rule or model that fired, and why."""

    stage: str
    rule: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "rule": self.rule, "reason": self.reason}


@dataclass
class Reply:
    """A rendered outgoing message."""

    subject: str
    text: str
    html: str | None = None


@dataclass
class CaseRef:
    """What the matcher knows about an existing case."""

    id: int
    reference: str
    status: str
    category: str | None
    person_id: int | None
    campaign_id: int | None = None
    subject: str = ""
    last_contact_at: datetime | None = None  # latest inbound contact, for chat bursts
    agency: str | None = None  # the case's signpost, inherited by non-urgent follow-ups


@dataclass
class Bounce:
    """Whom a returned message was for, and which of our Message-IDs it quotes (handlers/bounces.py)."""

    permanent: list[str] = field(default_factory=list)  # addresses that will never take mail
    delayed: list[str] = field(default_factory=list)  # still being retried by the far end
    mentioned: list[str] = field(default_factory=list)  # other addresses its text names (no detector knew it)
    message_ids: list[str] = field(default_factory=list)  # ours (our domain), with brackets

    @property
    def found(self) -> bool:
        return bool(self.permanent or self.delayed)


@dataclass
class CampaignRef:
    """What the matcher knows about an existing campaign."""

    id: int
    case_id: int
    title: str
    fingerprint: str
    response: str | None = None
    participants: int = 0


@dataclass
class ArrangementRef:
    """A contact arrangement the writer is under (store.arrangements): who handles their messages."""

    id: int
    caseworker: str
    review_on: date


@dataclass
class Triage:
    """The pipeline's working state for one raw message."""

    raw_id: int
    channel: str
    raw: bytes
    received_at: datetime
    incoming: Incoming | None = None
    machine: bool = False
    bounce: Bounce | None = None  # set by machine_mail for a bounce: whom it was for
    ack: bool = True
    category: str | None = None
    urgent: bool = False
    agency: str | None = None
    # Matching results: an existing case, or the fields for a new one.
    case: CaseRef | None = None
    person_id: int | None = None
    person_name: str | None = None
    person_phone: str | None = None
    person_postcode: str | None = None
    campaign: CampaignRef | None = None
    new_campaign_title: str | None = None  # set when this message starts a campaign
    campaign_peer_raw_ids: list[int] = field(default_factory=list)  # earlier messages now in it
    campaign_fingerprint: str | None = None  # normalised template words of a new campaign
    language: str | None = None  # "cy" when written (partly) in Welsh (handlers/language.py)
    member: str | None = None  # why it is member correspondence (handlers/members.py), else None
    arrangement: ArrangementRef | None = None  # the writer's contact arrangement (handlers/arrangements.py)
    followup: bool = False  # joins an existing case
    # Joins a case (by its reference or a thread) from someone who is not the case's person: stored
    # on the case as a separate person's contact, answered without any detail of the case.
    third_party: bool = False
    # ack | followup | campaign | none, or a chat reply: greeting | help | status | unsupported
    # | group | flood | edit (see handlers/chat.py)
    reply_kind: str = "ack"
    template: str | None = None  # reply template name under templates/reply/, without suffix
    open_cases: list[CaseRef] = field(default_factory=list)  # for a Telegram /status
    # Filled by the worker between the decide stages and compose (handlers/pipeline.py).
    reference: str | None = None
    acknowledge_by: date | None = None
    respond_by: date | None = None
    reply: Reply | None = None
    alert: Reply | None = None
    hits: list[Hit] = field(default_factory=list)

    def hit(self, stage: str, rule: str, reason: str) -> None:
        self.hits.append(Hit(stage, rule, reason))


class Context(Protocol):
    """Read-only lookups and settings the stages may use (faked in unit tests)."""

    @property
    def config(self) -> Any: ...

    @property
    def templates(self) -> Any:
        """The Jinja2 Environment built by the composition root (bot/app.py)."""
        ...

    def case_by_reference(self, reference: str) -> CaseRef | None: ...

    def case_by_message_ids(self, message_ids: list[str]) -> CaseRef | None: ...

    def person_for_identity(self, kind: str, value: str) -> int | None: ...

    def persons_by_name(
        self, name: str, *, phone: str | None = None, postcode: str | None = None
    ) -> list[tuple[int, str, str | None, str | None]]:
        """Return (person_id, name, phone, postcode) rows whose name is like `name`.

        With phone and/or postcode, only people who also have that phone or postcode.
        """
        ...

    def recent_cases_for_person(self, person_id: int, since: datetime) -> list[tuple[CaseRef, str]]:
        """Return open-ish cases of a person with the text of their last inbound contact."""
        ...

    def campaigns(self) -> list[CampaignRef]: ...

    def recent_unmatched(self, since: datetime, limit: int) -> list[tuple[int, str, str | None]]:
        """Recent non-campaign inbound contacts as (raw_id, text, sender) for campaign detection."""
        ...

    def acks_to_sender_since(self, address: str, since: datetime) -> int: ...

    def open_cases_for_person(self, person_id: int) -> list[CaseRef]: ...

    def contacts_from_since(self, kind: str, value: str, since: datetime) -> int:
        """Inbound contacts from an identity (email address, Telegram user id) since a time."""
        ...

    def arrangement_for_person(self, person_id: int) -> ArrangementRef | None:
        """The person's active contact arrangement, if a manager has put them under one."""
        ...
