"""Typed state shared by the pipeline stages: Kind, Incoming, Triage, Hit, Context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from handlers.labels import OutboxKind
from handlers.settings import Settings

if TYPE_CHECKING:
    from jinja2 import Environment
    from lingua import LanguageDetector


class Kind(StrEnum):
    """What a message is, decided by the one stage that knows each kind; pipeline.ROUTES maps it to stages.

    parse says email or chat text; machine_mail, chat and match may then narrow it once each.
    """

    RAW = "raw"  # stored bytes, not parsed yet
    EMAIL = "email"  # a person's email (parse): casework
    CHAT_TEXT = "chat_text"  # text, a photo or a document in a Telegram chat (parse): casework
    MACHINE = "machine"  # a bounce, auto-reply, bulk mail or bot (machine_mail): recorded, never answered
    CHAT_COMMAND = "chat_command"  # /start, /help, /status or an unknown command (chat): a chat answer
    CHAT_UNSUPPORTED = "chat_unsupported"  # a sticker, voice note... (chat): the "what I accept" answer
    CHAT_GROUP = "chat_group"  # a group chat (chat): the bot answers only private chats
    CHAT_EDIT = "chat_edit"  # an edited message (chat): the stored contact is updated, no reply
    CHAT_UNANSWERABLE = "chat_unanswerable"  # an update with no chat to answer (chat): recorded only
    CHAT_FLOOD = "chat_flood"  # over the flood limit (chat): urgency still reads it; the latest case
    FOLLOWUP = "followup"  # joins an existing case (match)
    CAMPAIGN = "campaign"  # a copy of a campaign's template (match)


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
    relayed_by: str | None = None  # a campaign platform's From address when sender_address is its Reply-To
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
    template: str = ""  # what rendered it, e.g. "reply/opcc.txt.j2"


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
    urgent: bool = False  # someone was at risk of harm in this case


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
    kind: Kind = Kind.RAW
    incoming: Incoming | None = None
    bounce: Bounce | None = None  # set by machine_mail for a bounce: whom it was for
    ack: bool = True
    category: str | None = None
    category_rule: str | None = None  # the classify rule that decided the category (None: the model)
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
    # match: the case joined held only greetings ("hello?"), so this message decides what it is about.
    after_greetings: bool = False
    new_matter: bool = False  # match: the writer says this is a different matter from their earlier one
    # signpost: this follow-up re-decides its case's category and agency (a complaint made in a
    # chaser; a chat conversation whose later fragments show where to go); bot/place.py applies it.
    settles_case: bool = False
    chat_reply: OutboxKind | None = None  # the chat stage's answer instead of an acknowledgement
    # Joins a case (by its reference or a thread) from someone who is not the case's person: stored
    # on the case as a separate person's contact, answered without any detail of the case.
    third_party: bool = False
    template: str | None = None  # reply template name under templates/reply/, without suffix
    open_cases: list[CaseRef] = field(default_factory=list)  # for a Telegram /status
    # Filled when the worker places the case, between deciding and compose (bot/place.py).
    reference: str | None = None
    acknowledge_by: date | None = None
    respond_by: date | None = None
    reply: Reply | None = None
    alert: Reply | None = None
    hits: list[Hit] = field(default_factory=list)

    def hit(self, stage: str, rule: str, reason: str) -> None:
        self.hits.append(Hit(stage, rule, reason))

    @property
    def machine(self) -> bool:
        return self.kind is Kind.MACHINE

    @property
    def followup(self) -> bool:
        """Joins an existing case (match, or a chat flood into the sender's latest case)."""
        return self.case is not None

    @property
    def outbox_kind(self) -> OutboxKind:
        """The outbox kind of the reply to this contact."""
        if self.chat_reply is not None:
            return self.chat_reply
        return OutboxKind.FOLLOWUP if self.followup else OutboxKind.ACK


@dataclass(frozen=True)
class Prediction:
    """A model head's top label, its probability, and all class probabilities."""

    label: str
    prob: float
    probs: dict[str, float]


class Classifier(Protocol):
    """The statistical triage model (handlers/model.py TriageModel), or a fake in tests."""

    def predict(self, head: str, text: str) -> Prediction: ...


class Context(Protocol):
    """Read-only lookups and settings the stages may use (faked in unit tests)."""

    @property
    def config(self) -> Settings:
        """The validated configuration (bot/config.py Config), read-only."""
        ...

    @property
    def templates(self) -> Environment:
        """The Jinja2 Environment built by the composition root (bot/app.py)."""
        ...

    @property
    def model(self) -> Classifier:
        """The triage model loaded by the composition root (bot/app.py)."""
        ...

    @property
    def detector(self) -> LanguageDetector:
        """The language detector built by the composition root (bot/app.py; handlers/language.py)."""
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

    def campaign_copies(
        self, since: datetime, limit: int, per_campaign: int | None = None
    ) -> list[tuple[int, int, str, str | None]]:
        """Recent inbound copies in a campaign as (campaign_id, raw_id, text, sender), newest first.

        The newest `limit`, and of those each campaign's newest `per_campaign` (None: no such cap).
        """
        ...

    def acks_to_sender_since(self, address: str, since: datetime) -> int: ...

    def open_cases_for_person(self, person_id: int) -> list[CaseRef]: ...

    def contacts_from_since(self, kind: str, value: str, since: datetime) -> int:
        """Inbound contacts from an identity (email address, Telegram user id) since a time."""
        ...

    def arrangement_for_person(self, person_id: int) -> ArrangementRef | None:
        """The person's active contact arrangement, if a manager has put them under one."""
        ...
