"""SQLAlchemy 2 typed models of the case store."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class RawStatus(str, enum.Enum):
    new = "new"
    triaged = "triaged"
    failed = "failed"
    duplicate = "duplicate"


class CaseStatus(str, enum.Enum):
    open = "open"
    in_progress = "in_progress"
    monitoring = "monitoring"
    closed = "closed"


class Direction(str, enum.Enum):
    inbound = "in"
    outbound = "out"


class OutboxStatus(str, enum.Enum):
    pending = "pending"
    sent = "sent"
    dead = "dead"  # delivery refused, or retries exhausted
    failed = "failed"  # could not be built or handed over (bad stored data, a bug): needs a person


class Role(str, enum.Enum):
    caseworker = "caseworker"
    manager = "manager"


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=20, validate_strings=True)


class RawMessage(Base):
    """Bytes exactly as a channel delivered them; committed before anything else happens."""

    __tablename__ = "raw_message"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_raw_channel_external"),
        Index("ix_raw_status", "status"),
        Index("ix_raw_dedupe", "message_id_header", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # imap | smtp | telegram | replay
    external_id: Mapped[str] = mapped_column(String(255))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    message_id_header: Mapped[str | None] = mapped_column(String(998))
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[RawStatus] = mapped_column(_enum(RawStatus), default=RawStatus.new)
    error: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(255))  # replayed file name
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("raw_message.id"))


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255), index=True)
    name_key: Mapped[str | None] = mapped_column(String(255), index=True)  # normalised for blocking
    phone: Mapped[str | None] = mapped_column(String(40), index=True)
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    address: Mapped[str | None] = mapped_column(Text)  # postal address, recorded by staff
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    anonymised_at: Mapped[datetime | None]  # erased (store/privacy.py): no name or contact details left

    identities: Mapped[list[Identity]] = relationship(back_populates="person")
    cases: Mapped[list[Case]] = relationship(back_populates="person")


class Identity(Base):
    """One way of reaching a person: an email address or a Telegram user id."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identity_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # email | telegram
    value: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str | None] = mapped_column(String(255))
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="identities")


class Campaign(Base):
    """A mass-mail campaign: one case, many participants."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(Text)  # normalised template text
    response: Mapped[str | None] = mapped_column(Text)  # the office's set response
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="campaign", uselist=False)


class CampaignSend(Base):
    """A caseworker's response to a campaign, sent to each participant on their own (bot/campaign_send.py)."""

    __tablename__ = "campaign_send"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    text: Mapped[str] = mapped_column(Text)  # the caseworker's words; each copy adds its own greeting
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    also_later: Mapped[bool] = mapped_column(Boolean, default=False)  # set as the response to later writers


class CampaignRecipient(Base):
    """One participant's copy of a campaign response: who, where, and the outbox row that carries it."""

    __tablename__ = "campaign_recipient"
    __table_args__ = (UniqueConstraint("send_id", "channel", "address", name="uq_campaign_recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    send_id: Mapped[int] = mapped_column(ForeignKey("campaign_send.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))  # their latest message
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(320))  # email address or Telegram chat id
    name: Mapped[str] = mapped_column(String(255))  # as greeted
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), unique=True)


class Case(Base):
    __tablename__ = "case"
    __table_args__ = (
        Index("ix_case_status_urgent", "status", "urgent"),
        # Dashboard queues (store/queues.py): filter on status, order urgent, respond_by, opened_at.
        Index("ix_case_queue_order", "status", "urgent", "respond_by", "opened_at"),
        Index("ix_case_category_queue", "category", "status", "urgent", "respond_by"),
        Index("ix_case_assigned_queue", "assigned_to", "status", "urgent", "respond_by"),
        Index("ix_case_status_last_action", "status", "last_action_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), default=CaseStatus.open)
    category: Mapped[str | None] = mapped_column(String(40), index=True)
    agency: Mapped[str | None] = mapped_column(String(40))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")  # email | telegram
    subject: Mapped[str] = mapped_column(String(998), default="")
    assigned_to: Mapped[str | None] = mapped_column(String(80), index=True)
    opened_at: Mapped[datetime]
    acknowledge_by: Mapped[date] = mapped_column(Date)
    respond_by: Mapped[date] = mapped_column(Date, index=True)
    acknowledged_at: Mapped[datetime | None]
    responded_at: Mapped[datetime | None]
    last_action_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    # A merged case is an empty shell pointing at the case it was folded into (store/merged.py).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    # From an MP, a Senedd member, a councillor or their offices (handlers/members.py), whatever
    # the category: own SLA (members.respond_days) and queue.
    member_correspondence: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    language: Mapped[str | None] = mapped_column(String(8))  # "cy" when the writer wrote in Welsh
    # Retention (bot/privacy/retention.py): a legal hold keeps the case whatever the schedule;
    # an urgent case is kept until a manager releases it.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_released_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    person: Mapped[Person | None] = relationship(back_populates="cases")
    campaign: Mapped[Campaign | None] = relationship(back_populates="case")
    merged_into: Mapped[Case | None] = relationship(remote_side="Case.id")
    contacts: Mapped[list[Contact]] = relationship(back_populates="case", order_by="Contact.at")
    events: Mapped[list[Event]] = relationship(back_populates="case", order_by="Event.at")
    tags: Mapped[list[CaseTag]] = relationship(back_populates="case", order_by="(CaseTag.kind, CaseTag.name)")


class Contact(Base):
    """One message of a case, inbound or outbound, on any channel."""

    __tablename__ = "contact"
    # Matching look-ups (store/repo.py): a person's recent contacts, an identity's recent
    # contacts, and the recent window scanned for campaign look-alikes.
    __table_args__ = (
        Index("ix_contact_person_at", "person_id", "at"),
        Index("ix_contact_sender_at", "sender", "at"),
        Index("ix_contact_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    raw_id: Mapped[int | None] = mapped_column(ForeignKey("raw_message.id"), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    channel: Mapped[str] = mapped_column(String(20))  # email | telegram | phone | letter
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    sender: Mapped[str | None] = mapped_column(String(320))
    sender_name: Mapped[str | None] = mapped_column(String(255))
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    subject: Mapped[str] = mapped_column(String(998), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    quoted: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
    machine: Mapped[bool] = mapped_column(Boolean, default=False)
    edited_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship(back_populates="contacts")
    person: Mapped[Person | None] = relationship()
    attachments: Mapped[list[StoredAttachment]] = relationship(back_populates="contact")
    decision: Mapped[Decision | None] = relationship(back_populates="contact", uselist=False)


class StoredAttachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    contact: Mapped[Contact] = relationship(back_populates="attachments")


class Decision(Base):
    """What triage decided about one inbound contact, and why (hits)."""

    __tablename__ = "decision"
    # A campaign's recent copies, newest first (store/repo.py _NEWEST_COPIES): only the decisions
    # that put a contact in a campaign, so the read is as long as the copies wanted, not as long
    # as all the mail in the campaign window.
    __table_args__ = (
        Index("ix_decision_copies_at", "decided_at", "contact_id",
              sqlite_where=text("campaign_id IS NOT NULL"), postgresql_where=text("campaign_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), unique=True)
    category: Mapped[str | None] = mapped_column(String(40))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    agency: Mapped[str | None] = mapped_column(String(40))
    ack: Mapped[bool] = mapped_column(Boolean, default=True)
    machine: Mapped[bool] = mapped_column(Boolean, default=False)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    hits: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The contact's received time (bot/record.py writes triage.received_at, as Contact.at), so the
    # campaign window reads it from ix_decision_copies_at without visiting every contact.
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="decision")


class Event(Base):
    """Append-only log: what happened, when, by whom or what."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    raw_id: Mapped[int | None] = mapped_column(ForeignKey("raw_message.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))  # "signpost" or a user name
    kind: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case | None] = relationship(back_populates="events")


class Outbox(Base):
    """A message waiting to go out; written in the same transaction as its decision."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_to_created", "to_address", "created_at"),  # acks per sender (loop guard)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)  # what it answers
    kind: Mapped[str] = mapped_column(String(20))  # ack | followup | reply | alert | digest | greeting
    channel: Mapped[str] = mapped_column(String(20))  # email | telegram
    to_address: Mapped[str] = mapped_column(String(320))  # email address or Telegram chat id
    to_name: Mapped[str | None] = mapped_column(String(255))  # the recipient's display name
    subject: Mapped[str] = mapped_column(String(998), default="")
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    actor: Mapped[str] = mapped_column(String(80), default="signpost")
    # The outbound Contact this row delivers (a caseworker's reply): its attachments go with it.
    outbound_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    # The sender delivering it now (bot/sender.py) and until when: a sender killed mid-send
    # leaves a lease that expires, and another sender then takes the row (same Message-ID).
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]

    # Its case and what it answers: set as objects, they are written in the same flush as the row.
    case: Mapped[Case | None] = relationship()
    contact: Mapped[Contact | None] = relationship(foreign_keys=[contact_id])


class ChannelState(Base):
    """Small key/value memory of the channels: IMAP UIDVALIDITY and last UID, Telegram offset."""

    __tablename__ = "channel_state"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


class RefCounter(Base):
    """Next case number per reference prefix and year."""

    __tablename__ = "ref_counter"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The user's own choice: an email when a case is assigned to them (escalations always go).
    notify_assigned: Mapped[bool] = mapped_column(Boolean, default=True)


class Feedback(Base):
    """A caseworker's correction of a triage decision: training data for `signpost train`."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # category | agency | urgent
    old: Mapped[str | None] = mapped_column(String(40))
    new: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]


class DigestRun(Base):
    """When each daily digest went out, so the next covers 'since the last digest'."""

    __tablename__ = "digest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    for_date: Mapped[date] = mapped_column(Date, unique=True)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    sent_at: Mapped[datetime]


class CaseTag(Base):
    """A label on a case: a ward, a theme or a partner, set by a caseworker or by a rule in config."""

    __tablename__ = "case_tag"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "name", name="uq_case_tag"),
        Index("ix_case_tag_kind_name", "kind", "name"),
        # A tag's existing spelling, whatever its case of letters (store/actions.py _spelling); with
        # the name itself in it, so SQLite prefers it to ix_case_tag_kind_name for that read too.
        Index("ix_case_tag_kind_lower_name", "kind", text("lower(name)"), "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ward | theme | partner
    name: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20), default="caseworker")  # caseworker | rule
    added_by: Mapped[str] = mapped_column(String(80))  # a user name, or the rule's name
    added_at: Mapped[datetime]

    case: Mapped[Case] = relationship(back_populates="tags")


class SavedView(Base):
    """A user's named filter of the case list, kept as the list's query string."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("user_name", "name", name="uq_saved_view_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class SavedReply(Base):
    """A canned response managers keep on the dashboard: a Jinja2 body with the reply placeholders."""

    __tablename__ = "saved_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text)
    # Where it fits: empty lists mean every category or agency.
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    agencies: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime]


class ContactArrangement(Base):
    """A manager's decision to handle a persistent or vexatious writer in a set way, until reviewed.

    New messages are still stored, checked for urgency and acknowledged (with the restricted
    template), and go to the named caseworker; urgent ones are answered and alerted as ever.
    """

    __tablename__ = "contact_arrangement"
    __table_args__ = (Index("ix_arrangement_person_active", "person_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    caseworker: Mapped[str] = mapped_column(String(80))  # a user name: their queue gets the new contacts
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime]
    review_on: Mapped[date] = mapped_column(Date, index=True)
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(80))


class AccessLog(Base):
    """Who looked: a case page viewed, a search run, an export made, by a user (own retention period)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_case_at", "case_id", "at"),
        Index("ix_access_user_at", "user", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # view | search | export | sar
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
