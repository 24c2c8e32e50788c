"""StoreContext against a real store (SQLite file and PostgreSQL): every Context look-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from textwrap import dedent
from typing import Any

import pytest
from plans import pg_rows_read, sqlite_plan_of
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.config import load_config
from handlers import match
from handlers.types import Incoming, Triage
from store.models import (
    Campaign,
    Case,
    CaseStatus,
    Contact,
    Decision,
    Direction,
    Identity,
    Outbox,
    Person,
    RawMessage,
)
from store.repo import StoreContext

T0 = datetime(2026, 4, 6, 10, 0, tzinfo=UTC)
CFG = load_config(None)


class Seed:
    """Writes people, cases and contacts the way the worker does, with small defaults."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.n = 0

    def person(self, name: str, kind: str, value: str, *, phone: str | None = None,
               postcode: str | None = None, key: str | None = None) -> Person:
        p = Person(name=name, name_key=key, phone=phone, postcode=postcode)
        self.s.add(p)
        self.s.flush()
        self.s.add(Identity(person_id=p.id, kind=kind, value=value))
        return p

    def case(self, person: Person | None, subject: str, *, status: CaseStatus = CaseStatus.open,
             campaign: Campaign | None = None, at: datetime = T0) -> Case:
        self.n += 1
        c = Case(reference=f"MID-2026-{self.n:05d}", person_id=person.id if person else None, status=status,
                 category="campaign" if campaign else "correspondence", subject=subject, opened_at=at,
                 acknowledge_by=date(2026, 4, 8), respond_by=date(2026, 4, 20), last_action_at=at,
                 campaign_id=campaign.id if campaign else None)
        self.s.add(c)
        self.s.flush()
        return c

    def contact(self, case: Case | None, person: Person | None, body: str, *, at: datetime = T0,
                sender: str | None = None, message_id: str | None = None,
                direction: Direction = Direction.inbound, machine: bool = False,
                campaign: Campaign | None = None, channel: str = "email") -> Contact:
        self.n += 1
        raw_id = None  # our replies come from no raw message
        if direction == Direction.inbound:
            raw = RawMessage(channel="smtp", external_id=f"x{self.n}", raw=b"", content_hash=f"h{self.n}",
                             received_at=at)
            self.s.add(raw)
            self.s.flush()
            raw_id = raw.id
        c = Contact(case_id=case.id if case else None, raw_id=raw_id, person_id=person.id if person else None,
                    direction=direction, channel=channel, message_id=message_id, sender=sender,
                    subject=case.subject if case else "", body=body, at=at, machine=machine)
        self.s.add(c)
        self.s.flush()
        if direction == Direction.inbound:  # as bot/record.py writes them: of inbound contacts, machine as theirs
            self.s.add(Decision(contact_id=c.id, category="correspondence", machine=machine,
                                campaign_id=campaign.id if campaign else None, decided_at=at))
        return c


@pytest.fixture
def session(db_sessions: Any) -> Iterator[Session]:
    with db_sessions() as s:
        yield s
        s.rollback()


@pytest.fixture
def seed(session: Session) -> Seed:
    return Seed(session)


def ctx_of(s: Session, now: datetime = T0) -> StoreContext:
    return StoreContext(s, CFG, now)


def test_case_by_reference_and_by_message_ids(session: Session, seed: Seed) -> None:
    p = seed.person("Ada Byrne", "email", "ada@example.com")
    case = seed.case(p, "Noise")
    seed.contact(case, p, "loud music", message_id="<m1@example.com>", sender="ada@example.com")
    seed.contact(case, p, "ack", message_id="<ack-9@example.org>", direction=Direction.outbound)
    ctx = ctx_of(session)
    ref = ctx.case_by_reference("mid-2026-00001")
    assert ref is not None and ref.id == case.id and ref.status == "open"
    assert ctx.case_by_reference("MID-2026-09999") is None
    for ids in (["m1@example.com"], ["<nothing@x>", "<ack-9@example.org>"]):
        found = ctx.case_by_message_ids(ids)
        assert found is not None and found.id == case.id
    assert ctx.case_by_message_ids(["<other@example.com>"]) is None


def test_identities_and_people_by_name(session: Session, seed: Seed) -> None:
    a = seed.person("Mrs Ada Byrne", "email", "ada@example.com", phone="07700900001", key="ada byrne")
    seed.person("Ada Byrne", "email", "ada2@example.net", postcode="ZZ1 1AA", key="ada byrne")
    seed.person("Ada Quinn", "telegram", "555", key="ada quinn")
    ctx = ctx_of(session)
    assert ctx.person_for_identity("email", "ADA@example.com") == a.id
    assert ctx.person_for_identity("telegram", "555") is not None
    assert ctx.person_for_identity("email", "nobody@example.com") is None
    rows = ctx.persons_by_name("Dr Ada M. Byrne")
    assert sorted(r[0] for r in rows) == [a.id, a.id + 1]
    assert {r[2] for r in rows} == {"07700900001", None}
    assert [r[0] for r in ctx.persons_by_name("Ada Byrne", phone="07700900001")] == [a.id]
    assert [r[0] for r in ctx.persons_by_name("Ada Byrne", postcode="ZZ1 1AA")] == [a.id + 1]
    assert ctx.persons_by_name("Ada Byrne", phone="07700900999") == []


def test_recent_cases_for_person_with_text_and_last_contact(session: Session, seed: Seed) -> None:
    p = seed.person("Ada Byrne", "email", "ada@example.com")
    old = seed.case(p, "Old matter", at=T0 - timedelta(days=200))
    seed.contact(old, p, "ancient", at=T0 - timedelta(days=200))
    case = seed.case(p, "Noise")
    seed.contact(case, p, "first text", at=T0 - timedelta(days=2))
    seed.contact(case, p, "second text", at=T0 - timedelta(days=1))
    got = ctx_of(session).recent_cases_for_person(p.id, T0 - timedelta(days=30))
    assert [c.id for c, _ in got] == [case.id]
    ref, text = got[0]
    assert "second text" in text and "first text" in text
    assert ref.last_contact_at == T0 - timedelta(days=1)


def test_campaigns_and_recent_unmatched(session: Session, seed: Seed) -> None:
    camp = Campaign(title="Save the unit", fingerprint="a b c")
    session.add(camp)
    session.flush()
    camp_case = seed.case(None, "Save the unit", campaign=camp)
    member = seed.person("Bo Ek", "email", "bo@example.com")
    seed.contact(camp_case, member, "template", campaign=camp, sender="bo@example.com")
    p = seed.person("Cy Dunn", "email", "cy@example.com")
    c = seed.case(p, "Parking")
    free = seed.contact(c, p, "parking on the verge", sender="cy@example.com", at=T0 - timedelta(hours=3))
    seed.contact(c, p, "old", sender="cy@example.com", at=T0 - timedelta(days=60))
    seed.contact(c, p, "auto reply", sender="cy@example.com", machine=True)
    seed.contact(c, p, "our ack", direction=Direction.outbound)
    ctx = ctx_of(session)
    camps = ctx.campaigns()
    assert [(x.id, x.case_id, x.title, x.fingerprint) for x in camps] == [
        (camp.id, camp_case.id, "Save the unit", "a b c")]
    rows = ctx.recent_unmatched(T0 - timedelta(days=7), 50)
    assert rows == [(free.raw_id, "parking on the verge", "cy@example.com")]


def test_campaign_copies_are_the_recent_copies_newest_first_and_bounded(session: Session, seed: Seed) -> None:
    camp = Campaign(title="Save the unit", fingerprint="a b c")
    session.add(camp)
    session.flush()
    camp_case = seed.case(None, "Save the unit", campaign=camp)
    bo = seed.person("Bo Ek", "email", "bo@example.com")
    older = seed.contact(camp_case, bo, "first copy", campaign=camp, sender="bo@example.com",
                         at=T0 - timedelta(days=2))
    newer = seed.contact(camp_case, bo, "second copy", campaign=camp, sender="cy@example.com",
                         at=T0 - timedelta(hours=1))
    seed.contact(camp_case, bo, "a copy long ago", campaign=camp, sender="dee@example.com", at=T0 - timedelta(days=60))
    seed.contact(camp_case, bo, "our reply", campaign=camp, direction=Direction.outbound)
    p = seed.person("Fay Orr", "email", "fay@example.com")
    seed.contact(seed.case(p, "Parking"), p, "parking on the verge", sender="fay@example.com")
    ctx = ctx_of(session)
    since = T0 - timedelta(days=7)
    assert ctx.campaign_copies(since, 50) == [(camp.id, newer.raw_id, "second copy", "cy@example.com"),
                                              (camp.id, older.raw_id, "first copy", "bo@example.com")]
    assert ctx.campaign_copies(since, 1) == [(camp.id, newer.raw_id, "second copy", "cy@example.com")]
    assert ctx.campaign_copies(since, 0) == []



def test_campaign_copies_per_campaign_are_each_campaigns_newest(session: Session, seed: Seed) -> None:
    big, small = Campaign(title="Save the unit", fingerprint="a b c"), Campaign(title="Lights", fingerprint="d e")
    session.add_all([big, small])
    session.flush()
    bo = seed.person("Bo Ek", "email", "bo@example.com")
    big_case, small_case = seed.case(None, "Save the unit", campaign=big), seed.case(None, "Lights", campaign=small)
    lights = seed.contact(small_case, bo, "lights copy", campaign=small, sender="a@example.com",
                          at=T0 - timedelta(days=3))
    units = [seed.contact(big_case, bo, f"unit copy {h}", campaign=big, sender=f"u{h}@example.com",
                          at=T0 - timedelta(hours=h)) for h in (1, 2, 3, 4)]
    ctx = ctx_of(session)
    since = T0 - timedelta(days=7)
    # A campaign flooding the window leaves the other's copies in, each cut to its newest two.
    assert [(c, r) for c, r, _, _ in ctx.campaign_copies(since, 50, 2)] == [
        (big.id, units[0].raw_id), (big.id, units[1].raw_id), (small.id, lights.raw_id)]
    assert [r for _, r, _, _ in ctx.campaign_copies(since, 50)] == [u.raw_id for u in units] + [lights.raw_id]
    # The overall limit still comes first: the newest three copies, then two per campaign.
    assert [r for _, r, _, _ in ctx.campaign_copies(since, 3, 2)] == [units[0].raw_id, units[1].raw_id]
    assert ctx.campaign_copies(since, 50, 0) == []

def test_campaign_copies_walk_only_the_copies_in_their_partial_index(session: Session, seed: Seed) -> None:
    """The window's other mail is never visited: the read starts from ix_decision_copies_at, whose rows
    are only decisions in a campaign (its cost was the whole window's contacts, 3.6 ms at 4,000)."""
    camp = Campaign(title="Save the unit", fingerprint="a b c")
    session.add(camp)
    session.flush()
    bo = seed.person("Bo Ek", "email", "bo@example.com")
    seed.contact(seed.case(None, "Save the unit", campaign=camp), bo, "a copy", campaign=camp, sender="bo@example.com")
    for k in range(5):
        seed.contact(seed.case(bo, f"Parking {k}"), bo, "parking on the verge", sender="bo@example.com")
    ctx = ctx_of(session)
    if session.get_bind().dialect.name == "sqlite":
        plan = sqlite_plan_of(session, lambda: ctx.campaign_copies(T0 - timedelta(days=7), 50, 20))
        assert "SEARCH decision USING INDEX ix_decision_copies_at (decided_at>?)" in plan, plan
    else:  # PostgreSQL plans by its statistics (a tiny table is read whole): the index is there, partial
        definition = session.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_decision_copies_at' "
                                             "AND schemaname = current_schema()"))
        assert "(decided_at, contact_id) WHERE (campaign_id IS NOT NULL)" in definition.scalar_one()
    assert [r[2] for r in ctx.campaign_copies(T0 - timedelta(days=7), 50, 20)] == ["a copy"]


def test_campaign_copies_read_no_more_copies_than_asked_for_on_postgresql(session: Session, seed: Seed) -> None:
    """With its statistics taken, PostgreSQL walks the index too: asked for the newest 60 of 700
    copies in the window (campaign_copy_limit's default), it reads 60 decisions, not all 700. Once
    joined with their contacts to choose them, its planner hashed every copy in the window (2 ms a
    message with 700 copies, measured in a live worker's statement log)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite's plan is checked above")
    camp = Campaign(title="Save the unit", fingerprint="a b c")
    session.add(camp)
    session.flush()
    case = seed.case(None, "Save the unit", campaign=camp)
    bo = seed.person("Bo Ek", "email", "bo@example.com")
    words = "Please keep every PCSO post in next year's budget for our streets. " * 6
    for k in range(700):  # each copy with its reply, and other letters, as the store holds them
        at = T0 - timedelta(minutes=k)
        seed.contact(case, bo, f"copy {k} {words}", campaign=camp, sender=f"w{k}@example.com", at=at)
        seed.contact(case, bo, "our reply", campaign=camp, direction=Direction.outbound, at=at)
        if k % 2:
            other = seed.case(bo, f"Parking {k}")
            seed.contact(other, bo, "parking on the verge", sender="bo@example.com", at=at)
            seed.contact(other, bo, "our reply", direction=Direction.outbound, at=at)
    session.execute(text("ANALYZE decision"))
    session.execute(text("ANALYZE contact"))
    ctx = ctx_of(session)
    since = T0 - timedelta(days=7)
    read = pg_rows_read(session, lambda: ctx.campaign_copies(since, 60, 21), "decision")
    assert read <= 60, f"{read} decision rows read for the newest 60 copies"
    assert [r[2].split()[1] for r in ctx.campaign_copies(since, 60, 21)] == [str(k) for k in range(21)]


def test_recent_unmatched_reads_a_forwarded_copy_under_a_short_note(session: Session, seed: Seed) -> None:
    p = seed.person("Em Gale", "email", "em@example.com")
    c = seed.case(p, "Fwd: Keep the dog section")
    copy = "Dear Commissioner,\n\nPlease keep the dog section open. " * 5
    fwd = seed.contact(c, p, "I support this, see below.", sender="em@example.com")
    fwd.quoted = "---------- Forwarded message ---------\nFrom: Friends <f@example.org>\nSubject: Dogs\n\n" + copy
    thanks = seed.contact(c, p, "Thanks!", sender="em@example.com", at=T0 - timedelta(minutes=5))
    thanks.quoted = f"From: Office <{CFG.office.mailbox}>\n\nYour reference is MID-2026-00001. We will reply."
    long_ = seed.contact(c, p, "My own letter. " * 60, sender="em@example.com", at=T0 - timedelta(minutes=9))
    long_.quoted = copy
    session.flush()
    rows = {raw: text for raw, text, _ in ctx_of(session).recent_unmatched(T0 - timedelta(days=1), 50)}
    assert rows[fwd.raw_id].startswith("Dear Commissioner") and "From:" not in rows[fwd.raw_id]
    assert rows[thanks.raw_id] == "Thanks!"  # our own acknowledgement is no campaign template
    assert rows[long_.raw_id].startswith("My own letter")  # a letter of its own: its own text


def test_acks_open_cases_and_contact_counts(session: Session, seed: Seed) -> None:
    p = seed.person("Di Fox", "telegram", "777")
    open_case = seed.case(p, "Open")
    seed.case(p, "Closed", status=CaseStatus.closed)
    for kind, at in (("ack", T0), ("followup", T0), ("alert", T0), ("ack", T0 - timedelta(days=3))):
        session.add(Outbox(kind=kind, channel="email", to_address="di@example.com", text="x", not_before=at,
                           created_at=at))
    seed.contact(open_case, p, "hi", sender="777", channel="telegram", at=T0 - timedelta(minutes=5))
    seed.contact(open_case, p, "again", sender="777", channel="telegram", at=T0 - timedelta(days=2))
    ctx = ctx_of(session)
    assert ctx.acks_to_sender_since("di@example.com", T0 - timedelta(hours=24)) == 2
    assert [c.id for c in ctx.open_cases_for_person(p.id)] == [open_case.id]
    assert ctx.contacts_from_since("telegram", "777", T0 - timedelta(hours=1)) == 1


def _incoming(sender: str, name: str, subject: str, body: str) -> Incoming:
    return Incoming(channel="email", sender_address=sender, sender_name=name, subject=subject,
                    body=dedent(body).strip())


def test_match_stage_over_the_store_links_a_chaser(session: Session, seed: Seed) -> None:
    p = seed.person("Ed Gale", "email", "ed@example.com")
    case = seed.case(p, "Abandoned car on Wren Close")
    seed.contact(case, p, "A car has been left on Wren Close for weeks.", sender="ed@example.com")
    chaser = _incoming("ed@example.com", "Ed Gale", "Car", "Any update on the car? I have heard nothing.")
    t = Triage(raw_id=0, channel="email", raw=b"", received_at=T0 + timedelta(days=8), incoming=chaser)
    match.process(t, ctx_of(session, t.received_at))
    assert t.case is not None and t.case.id == case.id and t.person_id == p.id
