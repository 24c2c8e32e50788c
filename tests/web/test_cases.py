"""The case list on the dashboard: combined filters, saved views per user, exports and bulk actions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from casework_seed import T0, make_case, make_person
from sqlalchemy import select
from starlette.testclient import TestClient
from webclient import login, token

from bot.users import add_user
from bot.web.app import create_app
from store.models import AccessLog, Case, CaseStatus, CaseTag, Event, Role, SavedView

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def client(make_cfg: Any, sqlite_sessions: Any) -> Iterator[tuple[TestClient, Any]]:
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        add_user(s, "ben", Role.caseworker, "battery staple")
        ann = make_person(s, "Ann Quarrie", "ann@example.org")
        make_case(s, "MID-2026-00001", person=ann, subject="Speeding on Mill Lane",
                  body="Cars speed past the school; we need a speed camera.", assigned_to="asha")
        make_case(s, "MID-2026-00002", category="complaint", agency="force_psd", urgent=True,
                  subject="=HYPERLINK(\"http://evil.example\")", body="The officer was rude about my burglary.",
                  opened_at=T0 + timedelta(days=1))
        make_case(s, "MID-2026-00003", category="foi", agency="opcc_foi", subject="Burglary figures",
                  body="How many burglaries in Netherby?", opened_at=T0 + timedelta(days=2))
        make_case(s, "MID-2026-00004", subject="Closed long ago", status=CaseStatus.closed,
                  body="Thanks for the burglary advice.", opened_at=T0 - timedelta(days=60))
        s.commit()
    app = create_app(make_cfg(), sqlite_sessions, secret="test-secret", clock=lambda: NOW)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        login(c, "asha", "correct horse")
        yield c, sqlite_sessions


def listed(html: str) -> list[str]:
    import re

    return re.findall(r'<td><a href="/case/(MID-[\d-]+)">', html)


def test_filters_combine_and_search_understands_short_references(client: Any) -> None:
    c, _ = client
    assert listed(c.get("/cases?sort=oldest").text) == ["MID-2026-00004", "MID-2026-00001", "MID-2026-00002",
                                                       "MID-2026-00003"]
    page = c.get("/cases?q=burglary&status=open&sort=oldest").text
    assert listed(page) == ["MID-2026-00002", "MID-2026-00003"] and "Cases <span class=\"n\">(2)</span>" in page
    assert listed(c.get("/cases?q=burglary&status=open&category=foi").text) == ["MID-2026-00003"]
    assert listed(c.get("/cases?assigned=me").text) == ["MID-2026-00001"]
    assert listed(c.get("/cases?urgent=yes").text) == ["MID-2026-00002"]
    assert listed(c.get(f"/cases?from={(T0 + timedelta(days=1)).date()}&to={(T0 + timedelta(days=1)).date()}").text) \
        == ["MID-2026-00002"]
    assert listed(c.get("/cases?q=mid-2026-3").text) == ["MID-2026-00003"]
    assert listed(c.get("/cases?q=2026-3").text) == ["MID-2026-00003"]  # the office's prefix is assumed
    # The header search and the old /search address land on the same list.
    assert listed(c.get("/search?q=Ann Quarrie").text) == ["MID-2026-00001"]
    assert c.get("/cases?status=nonsense").status_code == 400
    assert c.get("/cases?from=yesterday").status_code == 400


def test_saved_views_belong_to_their_user(client: Any, make_cfg: Any) -> None:
    c, sessions = client
    tok = token(c, "/cases")
    r = c.post("/cases/views", data={"csrf_token": tok, "name": "My burglaries",
                                     "query": "q=burglary&status=open"})
    assert "View “My burglaries” saved." in r.text
    home = c.get("/cases").text
    assert '<a href="/cases?q=burglary&amp;status=open">My burglaries</a>' in home
    with sessions() as s:
        view = s.scalars(select(SavedView)).one()
        assert (view.user_name, view.query) == ("asha", "q=burglary&status=open")
    other = TestClient(create_app(make_cfg(), sessions, secret="test-secret", clock=lambda: NOW),
                       base_url="http://127.0.0.1")
    login(other, "ben", "battery staple")
    assert "My burglaries" not in other.get("/cases").text
    assert other.post(f"/cases/views/{view.id}/delete", data={"csrf_token": token(other, "/cases")}).status_code \
        == 404  # not ben's to delete
    c.post(f"/cases/views/{view.id}/delete", data={"csrf_token": tok})
    with sessions() as s:
        assert s.scalars(select(SavedView)).all() == []


def test_the_filtered_list_exports_to_csv_and_excel(client: Any) -> None:
    from openpyxl import load_workbook

    c, _ = client
    r = c.get("/cases/export/csv?q=burglary&status=open&sort=oldest")
    assert r.headers["content-disposition"] == 'attachment; filename="cases-2026-12-01.csv"'
    assert r.content.startswith(b"\xef\xbb\xbfReference,Opened,Status,Category")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["MID-2026-00002", "MID-2026-00003"]
    assert rows[1][2:6] == ["Open", "Complaint", "Force Professional Standards", "yes"]
    assert rows[1][9] == "'=HYPERLINK(\"http://evil.example\")"  # never run as a formula
    assert rows[2][3] == "Freedom of Information"
    book = c.get("/cases/export/xlsx?q=burglary&status=open&sort=oldest")
    ws = load_workbook(io.BytesIO(book.content)).active
    assert [cell.value for cell in ws[1]][:3] == ["Reference", "Opened", "Status"]
    assert [ws.cell(row=i, column=1).value for i in (2, 3)] == ["MID-2026-00002", "MID-2026-00003"]
    assert ws.max_row == 3
    with client[1]() as s:
        logged = s.scalars(select(AccessLog).where(AccessLog.action == "export")).all()
        assert [(a.user, a.detail["format"]) for a in logged] == [("asha", "csv"), ("asha", "xlsx")]
        assert logged[0].detail["query"] == "q=burglary&status=open&sort=oldest"


def test_bulk_assign_tag_status_and_close_with_a_reason(client: Any) -> None:
    c, sessions = client
    tok = token(c, "/queue/open")
    picked = ["MID-2026-00002", "MID-2026-00003"]
    r = c.post("/cases/bulk", data={"csrf_token": tok, "ref": picked, "action": "assign", "user": "me",
                                    "back": "/queue/open"})
    assert "Assigned 2 cases: MID-2026-00002, MID-2026-00003." in r.text
    r = c.post("/cases/bulk", data={"csrf_token": tok, "ref": [*picked, "MID-2026-00001"], "action": "tag",
                                    "tag": "ward:Netherby", "back": "/cases"})
    assert "Tagged 3 cases" in r.text
    r = c.post("/cases/bulk", data={"csrf_token": tok, "ref": picked, "action": "status", "status": "in_progress",
                                    "back": "/cases"})
    assert "Status set for 2 cases" in r.text
    r = c.post("/cases/bulk", data={"csrf_token": tok, "ref": picked, "action": "close", "back": "/cases"})
    assert "Nothing changed: give the reason for closing." in r.text
    r = c.post("/cases/bulk", data={"csrf_token": tok, "ref": picked, "action": "close",
                                    "reason": "Answered by phone", "back": "/cases"})
    assert "Closed 2 cases" in r.text
    r = c.post("/cases/bulk", data={"csrf_token": tok, "ref": picked, "action": "close",
                                    "reason": "again", "back": "/cases"})
    assert "Left as they were: MID-2026-00002 (already closed)" in r.text
    with sessions() as s:
        cases = {x.reference: x for x in s.scalars(select(Case))}
        assert {cases[r].assigned_to for r in picked} == {"asha"}
        assert {cases[r].status for r in picked} == {CaseStatus.closed}
        assert s.scalars(select(CaseTag.name).where(CaseTag.kind == "ward")).all() == ["Netherby"] * 3
        closes = s.scalars(select(Event).where(Event.kind == "closed")).all()
        assert [e.detail["reason"] for e in closes] == ["Answered by phone"] * 2
    assert "Netherby" in c.get("/cases?tag=ward:Netherby").text
    assert c.post("/cases/bulk", data={"csrf_token": tok, "action": "assign"}).status_code == 200  # none picked
