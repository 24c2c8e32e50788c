"""Dashboard duties: the access log, legal hold, subject access download, erasure, corrections, arrangements."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from casework_seed import make_case, make_person
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.users import add_user
from bot.web.app import create_app
from store.models import AccessLog, Case, ContactArrangement, Event, Person, Role

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web(make_cfg: Any, sqlite_sessions: Any) -> Iterator[tuple[Any, Any]]:
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        add_user(s, "mo", Role.manager, "battery staple")
        idris = make_person(s, "Idris Marlowe", "idris@example.com")
        make_case(s, "MID-2026-00001", person=idris, subject="Noise at night",
                  body="The pub on my street plays music until 2am.")
        s.commit()
    app = create_app(make_cfg(), sqlite_sessions, secret="test-secret", clock=lambda: NOW)

    def client_for(name: str, password: str) -> TestClient:
        c = TestClient(app, base_url="http://127.0.0.1")
        tok = TOKEN.search(c.get("/login").text).group(1)
        c.post("/login", data={"name": name, "password": password, "next": "/", "csrf_token": tok})
        return c

    yield client_for, sqlite_sessions


def _post(client: TestClient, path: str, **data: str) -> Any:
    tok = TOKEN.search(client.get("/case/MID-2026-00001").text).group(1)
    return client.post(path, data={**data, "csrf_token": tok}, follow_redirects=False)


def test_views_and_searches_are_logged_and_shown_to_managers_only(web: Any) -> None:
    client_for, sessions = web
    asha = client_for("asha", "correct horse")
    assert asha.get("/case/MID-2026-00001").status_code == 200
    asha.get("/search?q=Marlowe")
    assert asha.get("/access?case=MID-2026-00001").status_code == 403
    mo = client_for("mo", "battery staple")
    page = mo.get("/access?case=MID-2026-00001").text
    assert "asha" in page and "view" in page
    by_user = mo.get("/access?user=asha").text
    assert "search" in by_user and "Marlowe" in by_user and "MID-2026-00001" in by_user
    with sessions() as s:
        rows = s.scalars(select(AccessLog).order_by(AccessLog.id)).all()
        assert [(r.user, r.action) for r in rows][:2] == [("asha", "view"), ("asha", "search")]


def test_legal_hold_is_for_managers_and_recorded(web: Any) -> None:
    client_for, sessions = web
    asha = client_for("asha", "correct horse")
    assert _post(asha, "/case/MID-2026-00001/privacy/hold", hold="on", reason="claim").status_code == 403
    mo = client_for("mo", "battery staple")
    assert "Place a legal hold" in mo.get("/case/MID-2026-00001").text
    assert _post(mo, "/case/MID-2026-00001/privacy/hold", hold="on", reason="civil claim").status_code == 303
    with sessions() as s:
        assert s.scalar(select(Case.legal_hold))
        ev = s.scalar(select(Event).where(Event.kind == "legal_hold"))
        assert ev.actor == "mo" and ev.detail == {"held": True, "reason": "civil claim"}


def test_manager_downloads_the_subject_access_zip(web: Any) -> None:
    client_for, sessions = web
    mo = client_for("mo", "battery staple")
    r = _post(mo, "/case/MID-2026-00001/sar/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["identities_used"] == ["email: idris@example.com"] and manifest["generated_by"] == "mo"
    assert "pub on my street" in z.read("summary.html").decode()
    with sessions() as s:
        assert s.scalar(select(AccessLog.action).where(AccessLog.action == "sar")) == "sar"


def test_erasure_needs_a_reason_and_the_reference(web: Any) -> None:
    client_for, sessions = web
    mo = client_for("mo", "battery staple")
    _post(mo, "/case/MID-2026-00001/privacy/erase", reason="request of 20 Nov", confirm="wrong")
    with sessions() as s:
        assert s.scalar(select(Person.name)) == "Idris Marlowe"
    _post(mo, "/case/MID-2026-00001/privacy/erase", reason="request of 20 Nov", confirm="MID-2026-00001")
    with sessions() as s:
        assert s.scalar(select(Person.name)) is None
        assert s.scalar(select(Case.anonymised_at)) is not None
        assert s.scalar(select(Event.detail).where(Event.kind == "person_erased"))["reason"] == "request of 20 Nov"
    page = mo.get("/case/MID-2026-00001").text
    assert "pub on my street" not in page and "Anonymised" in page


def test_a_caseworker_corrects_a_name_and_a_manager_sets_an_arrangement(web: Any) -> None:
    client_for, sessions = web
    asha = client_for("asha", "correct horse")
    _post(asha, "/case/MID-2026-00001/privacy/rectify", name="Idris Marlow", address="1 Fictional Row",
          reason="spelling, per his letter")
    assert _post(asha, "/case/MID-2026-00001/privacy/arrange", caseworker="asha", review_on="2027-05-01",
                 reason="x").status_code == 403
    mo = client_for("mo", "battery staple")
    r = _post(mo, "/case/MID-2026-00001/privacy/arrange", caseworker="asha", review_on="2027-05-01",
              reason="Daily emails on the same closed matter; one named contact.")
    assert r.status_code == 303
    page = mo.get("/case/MID-2026-00001").text
    assert "handled by asha" in page
    with sessions() as s:
        p = s.scalar(select(Person))
        assert (p.name, p.name_key, p.address) == ("Idris Marlow", "idris marlow", "1 Fictional Row")
        ev = s.scalar(select(Event).where(Event.kind == "rectified"))
        assert ev.actor == "asha" and ev.detail["fields"] == ["name", "address"]
        arr = s.scalar(select(ContactArrangement))
        assert arr.caseworker == "asha" and arr.decided_by == "mo" and str(arr.review_on) == "2027-05-01"
