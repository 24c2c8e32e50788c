"""A small seeding helper for the digest, report and scheduler tests: rows at known local times."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.deadlines import WorkingCalendar
from store.models import Campaign, Case, CaseStatus, Contact, Decision, Direction, Outbox, OutboxStatus

LONDON = ZoneInfo("Europe/London")


def at(local: str) -> datetime:
    """'2026-11-23 09:00' (office time, Europe/London) as an aware UTC datetime."""
    return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=LONDON).astimezone(UTC)


def utc(text: str) -> datetime:
    """'2026-11-23 09:00' read as UTC."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


class Clock:
    """A clock the test moves: set("2026-11-23 09:00") in office time."""

    def __init__(self, local: str) -> None:
        self.now = at(local)

    def set(self, local: str) -> None:
        self.now = at(local)

    def __call__(self) -> datetime:
        return self.now


class Seeder:
    """Adds rows to one session and flushes; the test commits. Deadlines come from the calendar."""

    def __init__(self, session: Session, cal: WorkingCalendar | None = None) -> None:
        self.s = session
        self.cal = cal or WorkingCalendar()
        self._n = 0

    def campaign(self, title: str) -> Campaign:
        camp = Campaign(title=title, fingerprint=title.lower(), created_at=utc("2026-01-01 00:00"))
        self.s.add(camp)
        self.s.flush()
        return camp

    def case(
        self, ref: str, opened: datetime, *, category: str | None = "correspondence", status: str = "open",
        urgent: bool = False, owner: str | None = None, acknowledged: datetime | None = None,
        responded: datetime | None = None, closed: datetime | None = None,
        last_action: datetime | None = None, campaign: Campaign | None = None,
        acknowledge_by: str | None = None, respond_by: str | None = None, subject: str = "A local matter",
    ) -> Case:
        case = Case(
            reference=ref, status=CaseStatus(status), category=category, urgent=urgent, assigned_to=owner,
            subject=subject, opened_at=opened, campaign_id=campaign.id if campaign else None,
            acknowledge_by=date.fromisoformat(acknowledge_by) if acknowledge_by
            else self.cal.due_date(opened, 2),
            respond_by=date.fromisoformat(respond_by) if respond_by else self.cal.due_date(opened, 10),
            acknowledged_at=acknowledged, responded_at=responded, closed_at=closed,
            last_action_at=last_action or opened,
        )
        self.s.add(case)
        self.s.flush()
        return case

    def contact(
        self, case: Case | None, when: datetime, *, channel: str = "email", sender: str | None = None,
        urgent: bool = False, category: str | None = None, machine: bool = False, inbound: bool = True,
        subject: str = "About my street", body: str = "Fictional text.",
    ) -> Contact:
        self._n += 1
        contact = Contact(
            case_id=case.id if case else None, direction=Direction.inbound if inbound else Direction.outbound,
            channel=channel, sender=sender or f"writer{self._n}@example.org", subject=subject,
            body=body, at=when, machine=machine,
        )
        self.s.add(contact)
        self.s.flush()
        if inbound:
            cat = category if category is not None else (case.category if case else None)
            self.s.add(Decision(contact_id=contact.id, category=cat, urgent=urgent, machine=machine,
                                ack=not machine, campaign_id=case.campaign_id if case else None,
                                decided_at=when))
            self.s.flush()
        return contact

    def outbox(
        self, case: Case | None, contact: Contact | None, kind: str, status: str, when: datetime
    ) -> Outbox:
        row = Outbox(
            case_id=case.id if case else None, contact_id=contact.id if contact else None, kind=kind,
            channel="email", to_address="someone@example.org", subject=kind, text=kind,
            status=OutboxStatus(status), not_before=when, created_at=when,
            sent_at=when if status == "sent" else None,
        )
        self.s.add(row)
        self.s.flush()
        return row
