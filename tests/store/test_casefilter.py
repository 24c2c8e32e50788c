"""The case list's combined filter and full-text search, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from casework_seed import T0, add_inbound, make_case, make_person
from sqlalchemy import select

from store import actions
from store.casefilter import NOBODY, CaseFilter, count, page
from store.models import Campaign, CaseStatus, Contact
from store.refs import normalize_reference


def seed(s: Any) -> None:
    ann = make_person(s, "Ann Quarrie", "ann.quarrie@example.org")
    bob = make_person(s, "Bob Tranter", "bob@example.net")
    make_case(s, "MID-2026-00001", person=ann, subject="Speeding on Mill Lane",
              body="Cars race past the school every morning; we need a speed camera.", assigned_to="asha")
    make_case(s, "MID-2026-00002", person=bob, category="complaint", agency="force_psd", urgent=True,
              subject="Officer was rude", body="The officer who came about my burglary was rude.",
              opened_at=T0 + timedelta(days=1))
    c3 = make_case(s, "MID-2026-00003", person=ann, category="foi", agency="opcc_foi", status=CaseStatus.closed,
                   subject="Request for figures", body="How many burglaries were reported in Netherby?",
                   opened_at=T0 + timedelta(days=2), channel="telegram")
    camp = Campaign(title="Keep the station open", fingerprint="keep the station")
    s.add(camp)
    s.flush()
    c4 = make_case(s, "MID-2026-00004", category="campaign", subject="Keep the station open",
                   body="Please keep our police station open.", opened_at=T0 + timedelta(days=3))
    c4.campaign_id = camp.id
    add_inbound(s, c3, subject="Re: figures", body="Also the number of bicycle thefts, please.",
                at=T0 + timedelta(days=4))
    c3.member_correspondence = True  # from a councillor
    actions.add_tag(s, c3, "asha", "ward", "Netherby", now=T0)
    actions.add_tag(s, c3, "asha", "theme", "burglary", now=T0)
    s.commit()


def refs(cases: list[Any]) -> list[str]:
    return [c.reference for c in cases]


def test_every_field_filters_and_they_combine(db_sessions: Any) -> None:
    with db_sessions() as s:
        seed(s)
        assert refs(page(s, CaseFilter(sort="oldest"), limit=10)) == [f"MID-2026-0000{i}" for i in (1, 2, 3, 4)]
        open_ = (CaseStatus.open, CaseStatus.in_progress)
        assert refs(page(s, CaseFilter(statuses=open_, sort="oldest"), limit=10)) == [
            "MID-2026-00001", "MID-2026-00002", "MID-2026-00004"]
        assert refs(page(s, CaseFilter(categories=("complaint", "foi"), sort="oldest"), limit=10)) == [
            "MID-2026-00002", "MID-2026-00003"]
        assert refs(page(s, CaseFilter(agencies=("force_psd",)), limit=10)) == ["MID-2026-00002"]
        assert refs(page(s, CaseFilter(assignee="asha"), limit=10)) == ["MID-2026-00001"]
        assert count(s, CaseFilter(assignee=NOBODY)) == 3
        assert refs(page(s, CaseFilter(channels=("telegram",)), limit=10)) == ["MID-2026-00003"]
        window = CaseFilter(opened_from=T0 + timedelta(days=1), opened_before=T0 + timedelta(days=3), sort="oldest")
        assert refs(page(s, window, limit=10)) == ["MID-2026-00002", "MID-2026-00003"]
        assert refs(page(s, CaseFilter(urgent=True), limit=10)) == ["MID-2026-00002"]
        assert refs(page(s, CaseFilter(campaign=True), limit=10)) == ["MID-2026-00004"]
        assert count(s, CaseFilter(campaign=False)) == 3
        assert refs(page(s, CaseFilter(member=True), limit=10)) == ["MID-2026-00003"]
        assert count(s, CaseFilter(member=False)) == 3
        assert refs(page(s, CaseFilter(tags=("ward:Netherby", "theme:burglary")), limit=10)) == ["MID-2026-00003"]
        assert count(s, CaseFilter(tags=("ward:Netherby", "theme:speeding"))) == 0
        # Combined: words AND status AND category.
        both = CaseFilter(text="burglary", statuses=(CaseStatus.open,), categories=("complaint",))
        assert refs(page(s, both, limit=10)) == ["MID-2026-00002"]
        assert count(s, CaseFilter(text="burglary", statuses=(CaseStatus.closed,))) == 1


def test_full_text_finds_words_stems_names_and_later_messages(db_sessions: Any) -> None:
    with db_sessions() as s:
        seed(s)
        assert refs(page(s, CaseFilter(text="burglaries", sort="oldest"), limit=10)) == [
            "MID-2026-00002", "MID-2026-00003"]  # burglary, burglaries: one stem
        assert refs(page(s, CaseFilter(text="speed camera"), limit=10)) == ["MID-2026-00001"]
        assert refs(page(s, CaseFilter(text="bicycle thefts"), limit=10)) == ["MID-2026-00003"]  # 2nd message
        assert refs(page(s, CaseFilter(text="Tranter"), limit=10)) == ["MID-2026-00002"]  # a name
        assert refs(page(s, CaseFilter(text='"police station"'), limit=10)) == ["MID-2026-00004"]
        assert count(s, CaseFilter(text="helicopter")) == 0
        assert count(s, CaseFilter(text="?!")) == 0  # no words: nothing, not everything
        # An edit reaches the index (the SQLite trigger; the PostgreSQL expression index).
        contact = s.scalars(select(Contact).where(Contact.subject == "Officer was rude")).one()
        contact.body = "Now about a stolen tractor."
        s.commit()
        assert refs(page(s, CaseFilter(text="tractor"), limit=10)) == ["MID-2026-00002"]
        assert count(s, CaseFilter(text="rude burglary")) == 0


def test_references_however_typed_and_email_addresses(db_sessions: Any) -> None:
    with db_sessions() as s:
        seed(s)
        for typed in ("mid-2026-3", "MID-2026-00003", " mid 2026 3 ", "MID/2026/03", "2026-3"):
            assert refs(page(s, CaseFilter(text=typed), limit=10, prefix="MID")) == ["MID-2026-00003"], typed
        assert count(s, CaseFilter(text="MID-2026-0000"), prefix="MID") == 4  # the start of a reference
        assert refs(page(s, CaseFilter(text="ANN.QUARRIE@example.org", sort="oldest"), limit=10)) == [
            "MID-2026-00001", "MID-2026-00003"]
        assert refs(page(s, CaseFilter(text="@example.net"), limit=10)) == ["MID-2026-00002"]


def test_normalize_reference() -> None:
    assert normalize_reference("mid-2026-3") == "MID-2026-00003"
    assert normalize_reference("2026-42", "MID") == "MID-2026-00042"
    assert normalize_reference("2026-42") is None  # no prefix known
    assert normalize_reference("knife 2026 12", "MID") is None  # words, not a reference
    assert normalize_reference("MID-2026-0") is None
    assert normalize_reference("speeding") is None
