"""Saved replies on the dashboard: managers write them (checked on a sample case first); caseworkers
load them, and Load template keeps what they typed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from casework_seed import make_case, make_person
from sqlalchemy import select
from starlette.testclient import TestClient
from webclient import login, token

from bot.users import add_user
from bot.web.app import create_app
from store.models import Role, SavedReply

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def web(make_cfg: Any, sqlite_sessions: Any) -> Iterator[tuple[TestClient, TestClient, Any]]:
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        add_user(s, "mo", Role.manager, "battery staple")
        make_case(s, "MID-2026-00001", person=make_person(s, "Idris Marlowe", "idris@example.com"),
                  agency="police_101")
        make_case(s, "MID-2026-00002", category="foi", agency="opcc_foi")
        s.commit()
    app = create_app(make_cfg(), sqlite_sessions, secret="s", clock=lambda: NOW)
    with TestClient(app, base_url="http://127.0.0.1") as manager, \
            TestClient(app, base_url="http://127.0.0.1") as caseworker:
        login(manager, "mo", "battery staple")
        login(caseworker, "asha", "correct horse")
        yield manager, caseworker, sqlite_sessions


def options(html: str) -> list[str]:
    select_html = html.split('<select id="template" name="template">', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"', select_html)


def test_managers_keep_saved_replies_and_a_bad_placeholder_is_refused(web: Any) -> None:
    manager, caseworker, sessions = web
    assert caseworker.get("/replies").status_code == 403
    assert "Saved replies" in manager.get("/replies").text
    tok = token(manager, "/replies/new")
    bad = manager.post("/replies", data={"csrf_token": tok, "name": "Patrols", "body": "Dear {{ nmae }}",
                                         "active": "on"})
    assert bad.status_code == 400 and "&#39;nmae&#39; is undefined" in bad.text and "Dear {{ nmae }}" in bad.text
    r = manager.post("/replies", data={
        "csrf_token": tok, "name": "Patrol plan", "active": "on", "agencies": ["police_101"],
        "body": "The neighbourhood team will add {{ office.commissioner }}'s patrol plan to case {{ reference }}."})
    assert "Saved reply “Patrol plan” saved." in r.text
    with sessions() as s:
        saved = s.scalars(select(SavedReply)).one()
        assert (saved.agencies, saved.categories, saved.updated_by) == (["police_101"], [], "mo")
    fits = caseworker.get("/case/MID-2026-00001").text
    assert f"saved/{saved.id}" in options(fits) and "reply/police_101" in options(fits)
    assert f"saved/{saved.id}" not in options(caseworker.get("/case/MID-2026-00002").text)  # not for an FOI
    draft = caseworker.get(f"/case/MID-2026-00001?template=saved/{saved.id}").text
    assert ("The neighbourhood team will add the Police and Crime Commissioner&#39;s patrol plan to case "
            "MID-2026-00001.") in draft and "Dear Idris Marlowe," in draft
    manager.post(f"/replies/{saved.id}/delete", data={"csrf_token": tok})
    assert f"saved/{saved.id}" not in options(caseworker.get("/case/MID-2026-00001").text)


def test_load_template_keeps_typed_text_and_switches_an_untouched_one(web: Any) -> None:
    _, caseworker, _ = web
    tok = token(caseworker, "/case/MID-2026-00001")
    typed = "We have asked the inspector to look at the parking on Mill Lane."
    r = caseworker.post("/case/MID-2026-00001/draft", data={"csrf_token": tok, "template": "casework/response",
                                                            "text": typed, "subject": "My own subject"})
    assert r.status_code == 200 and typed in r.text and "[Write the response here.]" not in r.text
    assert 'value="My own subject"' in r.text
    # Words typed into a loaded letter move with it to the next template.
    again = caseworker.post("/case/MID-2026-00001/draft", data={
        "csrf_token": tok, "template": "casework/no_update_yet", "loaded": "casework/response",
        "text": first_text(r.text)})
    assert typed in again.text and first_text(again.text).count("Dear Idris Marlowe") == 1
    # An untouched letter is swapped whole for the next template.
    blank = caseworker.post("/case/MID-2026-00001/draft", data={"csrf_token": tok, "template": "casework/response",
                                                                "text": ""})
    r = caseworker.post("/case/MID-2026-00001/draft", data={"csrf_token": tok, "template": "casework/no_update_yet",
                                                            "text": first_text(blank.text).replace("\n", "\r\n"),
                                                            "loaded": "casework/response"})
    assert "[Write the response here.]" not in r.text and "not forgotten it" in r.text


def first_text(page: str) -> str:
    found = re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found
    return html.unescape(found.group(1))
