"""The dashboard through Starlette's TestClient: login, CSRF, roles, pages and case actions."""

from __future__ import annotations

import re
from base64 import b64encode
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

import pytest
from casework_seed import make_case, make_person
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from webclient import TOKEN, login, token

from bot.users import add_user
from bot.web.app import create_app
from store.models import Campaign, Case, CaseStatus, Event, Outbox, RefCounter, Role

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def hook(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hook " + request.method)


@pytest.fixture
def web(make_cfg: Any, sqlite_sessions: Any) -> Iterator[tuple[TestClient, Any]]:
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        add_user(s, "mo", Role.manager, "battery staple")
        idris = make_person(s, "Idris Marlowe", "idris@example.com")
        make_case(s, "MID-2026-00001", person=idris, urgent=True, subject="Frightened at home",
                  body="My neighbour keeps threatening me.", message_id="<u1@example.com>")
        make_case(s, "MID-2026-00002", person=idris, subject="Bins", category="correspondence")
        s.add(Campaign(title="Save the village station", fingerprint="save our station"))
        s.add(RefCounter(prefix="MID", year=2026, last=2))  # as if the worker had numbered both
        s.commit()
    app = create_app(make_cfg(), sqlite_sessions, secret="test-secret",
                     extra_routes=[Route("/hook", hook, methods=["GET", "POST"])], clock=lambda: NOW)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, sqlite_sessions


def test_every_page_needs_login(web: Any) -> None:
    client, _ = web
    for path in ("/", "/queue/urgent", "/case/MID-2026-00001", "/campaigns", "/search?q=x", "/audit"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/hook").text == "hook GET"  # extra routes (the Telegram webhook) are not guarded
    assert client.post("/hook").text == "hook POST"


def test_wrong_password_is_refused_and_right_one_signs_in(web: Any) -> None:
    client, _ = web
    assert login(client, "asha", "wrong").status_code == 401
    assert login(client, "nobody", "correct horse").status_code == 401
    r = login(client, "asha", "correct horse")
    assert r.status_code == 303 and r.headers["location"] == "/"
    home = client.get("/")
    assert "Urgent" in home.text and 'href="/queue/urgent"' in home.text
    assert home.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in home.headers["content-security-policy"]


def test_post_without_or_with_a_bad_csrf_token_is_forbidden(web: Any) -> None:
    client, sessions = web
    assert client.post("/login", data={"name": "asha", "password": "correct horse"}).status_code == 403
    login(client, "asha", "correct horse")
    good = token(client, "/case/MID-2026-00001")
    for data in ({"text": "n"}, {"text": "n", "csrf_token": "forged"}, {"text": "n", "csrf_token": ""}):
        assert client.post("/case/MID-2026-00001/note", data=data).status_code == 403
    r = client.post("/case/MID-2026-00001/note", data={"text": "Called back.", "csrf_token": good},
                    follow_redirects=False)
    assert r.status_code == 303
    with sessions() as s:
        assert list(s.scalars(select(Event.kind).where(Event.actor == "asha").order_by(Event.id))) == [
            "login", "note"]


def test_a_token_from_another_session_is_refused(web: Any, make_cfg: Any) -> None:
    client, sessions = web
    login(client, "asha", "correct horse")
    other = TestClient(client.app, base_url="http://127.0.0.1")
    login(other, "mo", "battery staple")
    stolen = token(other, "/")
    r = client.post("/case/MID-2026-00001/note", data={"text": "x", "csrf_token": stolen})
    assert r.status_code == 403


def test_caseworkers_cannot_see_audit_or_reports_but_managers_can(web: Any) -> None:
    client, _ = web
    login(client, "asha", "correct horse")
    assert client.get("/audit").status_code == 403
    assert client.get("/reports").status_code == 403
    assert client.get("/reports/board?from=2026-04-01&to=2027-03-31").status_code == 403
    assert 'href="/audit"' not in client.get("/").text
    client.post("/logout", data={"csrf_token": token(client, "/")})
    assert client.get("/", follow_redirects=False).status_code == 303
    login(client, "mo", "battery staple")
    assert client.get("/audit").status_code == 200
    reports = client.get("/reports")
    assert reports.status_code == 200 and "Board report" in reports.text
    for fmt in ("html", "pdf", "xlsx", "csv", "md"):
        assert f'name="format" value="{fmt}"' in reports.text  # one download button per format
    board = client.get("/reports/board?from=2026-04-01&to=2027-03-31&format=csv")
    assert board.status_code == 200 and board.content.startswith("\ufeffCases logged by category".encode())
    assert board.headers["content-disposition"] == 'attachment; filename="board-report-2026-04-01-2027-03-31.csv"'
    book = client.get("/reports/board?from=2026-04-01&to=2027-03-31&format=xlsx")
    assert book.headers["content-type"].startswith("application/vnd.openxmlformats") and book.content[:2] == b"PK"
    pdf = client.get("/reports/board?from=2026-04-01&to=2027-03-31&format=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    page = client.get("/reports/board?from=2026-04-01&to=2027-03-31")
    assert "content-disposition" not in page.headers and page.text.count("<svg") == 2
    policy = page.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and policy.startswith("default-src 'none'; style-src 'self' 'sha256-")
    style = re.search(r"<style[^>]*>(.*?)</style>", page.text, re.S)
    assert style and f"'sha256-{b64encode(sha256(style.group(1).encode()).digest()).decode()}'" in policy
    assert client.get("/reports/board?from=2026-04-01&to=2027-03-31&format=docx").status_code == 400


def test_queue_and_case_pages_show_the_thread_and_other_cases(web: Any) -> None:
    client, _ = web
    login(client, "asha", "correct horse")
    urgent = client.get("/queue/urgent")
    assert "MID-2026-00001" in urgent.text and "MID-2026-00002" not in urgent.text
    case = client.get("/case/MID-2026-00001")
    assert "My neighbour keeps threatening me." in case.text
    assert 'href="/case/MID-2026-00002"' in case.text  # the person's other case
    assert "Why Signpost decided this" in case.text and "threat_now" in case.text  # the decision trail
    draft = client.get("/case/MID-2026-00001?template=casework/response")
    assert "[Write the response here.]" in draft.text and "Dear Idris Marlowe" in draft.text
    assert client.get("/case/MID-2026-99999").status_code == 404
    assert client.get("/queue/nonsense").status_code == 404
    found = client.get("/search?q=idris@example.com")
    assert "MID-2026-00001" in found.text and "MID-2026-00002" in found.text


def test_reply_then_close_and_refuse_closing_without_response(web: Any) -> None:
    client, sessions = web
    login(client, "asha", "correct horse")
    tok = token(client, "/case/MID-2026-00002")
    r = client.post("/case/MID-2026-00002/status", data={"status": "closed", "csrf_token": tok})
    assert "final response" in r.text  # flashed on the case page it redirects to
    r = client.post("/case/MID-2026-00001/reply", data={
        "csrf_token": tok, "subject": "Re: Frightened at home",
        "text": "Dear Idris,\nWe have spoken to the police."})
    assert "Reply queued" in r.text
    client.post("/case/MID-2026-00001/status", data={"status": "closed", "csrf_token": tok})
    client.post("/case/MID-2026-00002/assign", data={"user": "asha", "csrf_token": tok})
    with sessions() as s:
        one = s.scalar(select(Case).where(Case.reference == "MID-2026-00001"))
        two = s.scalar(select(Case).where(Case.reference == "MID-2026-00002"))
        row = s.scalars(select(Outbox)).one()
        assert one is not None and two is not None
        assert (one.status, two.status, two.assigned_to) == (CaseStatus.closed, CaseStatus.open, "asha")
        assert (row.to_address, row.actor, row.headers["In-Reply-To"]) == ("idris@example.com", "asha",
                                                                           "<u1@example.com>")
        assert one.closed_at == NOW


def test_an_unedited_response_template_is_not_sent(web: Any) -> None:
    client, sessions = web
    login(client, "asha", "correct horse")
    tok = token(client, "/case/MID-2026-00001")
    r = client.post("/case/MID-2026-00001/reply", data={"csrf_token": tok, "subject": "s",
                                                         "text": "Hello\n[Write the response here.]"})
    assert "replace the bracketed line" in r.text
    with sessions() as s:
        assert s.scalars(select(Outbox)).all() == []


def test_campaign_response_is_stored(web: Any) -> None:
    client, sessions = web
    login(client, "mo", "battery staple")
    with sessions() as s:
        cid = s.scalars(select(Campaign.id)).one()
    assert "Save the village station" in client.get("/campaigns").text
    page = client.get(f"/campaign/{cid}")
    assert "0</strong> messages" in page.text
    client.post(f"/campaign/{cid}/response", data={"response": "The station stays open.",
                                                   "csrf_token": token(client, "/")})
    with sessions() as s:
        assert s.get(Campaign, cid).response == "The station stays open."  # type: ignore[union-attr]


def test_login_next_cannot_redirect_off_site(web: Any) -> None:
    client, _ = web
    r = client.post("/login", data={"name": "asha", "password": "correct horse",
                                    "next": "//evil.example.com/", "csrf_token": token(client)},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_every_case_form_reaches_its_action(web: Any) -> None:
    client, sessions = web
    login(client, "asha", "correct horse")
    page = client.get("/case/MID-2026-00001").text
    tok = TOKEN.search(page).group(1)  # type: ignore[union-attr]
    forms = set(re.findall(r'action="/case/MID-2026-00001/(\w+)"', page))
    assert forms == {"assign", "status", "reclassify", "resignpost", "merge", "note", "record", "reply", "draft",
                     "tag"}
    posts = [
        ("reclassify", {"category": "complaint"}),
        ("resignpost", {"agency": "force_psd"}),
        ("record", {"channel": "phone", "direction": "in", "summary": "Rang to add details."}),
        ("merge", {"other": "mid-2026-00002"}),
    ]
    for action, data in posts:
        r = client.post(f"/case/MID-2026-00001/{action}", data={**data, "csrf_token": tok})
        assert r.status_code == 200 and 'class="flash info"' in r.text, (action, r.text[:500])
    page = client.get("/case/MID-2026-00001").text
    contact_ids = re.findall(r'name="contact_id" value="(\d+)"', page)
    assert len(contact_ids) == 3  # its own email, the merged case's email, the phone call
    r = client.post("/case/MID-2026-00001/split", data={"contact_id": contact_ids[1], "csrf_token": tok})
    assert "moved to the new case MID-2026-00003" in r.text
    bad = client.post("/case/MID-2026-00001/reclassify", data={"category": "nonsense", "csrf_token": tok})
    assert "choose a category" in bad.text
    assert client.post("/case/MID-2026-00001/explode", data={"csrf_token": tok}).status_code == 404
    with sessions() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.actor == "asha").order_by(Event.id)))
        assert kinds == ["login", "reclassified", "resignposted", "phone_inbound", "merged_into", "merged",
                         "split_out", "split_from"]


def test_a_missed_acknowledgement_is_flagged_on_the_case_page(web: Any) -> None:
    from sqlalchemy import select

    from store.models import Case

    client, sessions = web
    with sessions() as s:
        case = s.scalar(select(Case).where(Case.reference == "MID-2026-00002"))
        case.acknowledged_at = None
        case.acknowledge_by = NOW.date() - timedelta(days=3)
        s.commit()
    login(client, "asha", "correct horse")
    assert "MISSED: not acknowledged" in client.get("/case/MID-2026-00002").text


def test_twenty_wrong_passwords_are_throttled_and_in_the_audit_log(web: Any) -> None:
    client, sessions = web
    codes = [login(client, "asha", f"wrong guess {n}").status_code for n in range(20)]
    assert codes == [401] * 5 + [429] * 15
    refused = login(client, "asha", "correct horse")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert login(client, "mo", "battery staple").status_code == 303  # another account from here still may
    with sessions() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.kind.like("login%")).order_by(Event.id)))
        assert kinds == ["login_failed"] * 5 + ["login_throttled", "login"]
        failed = s.scalar(select(Event).where(Event.kind == "login_failed"))
        assert failed.actor == "asha" and failed.detail["address"] == "testclient"


def test_many_accounts_from_one_address_are_throttled_by_address(web: Any) -> None:
    client, _ = web
    codes = [login(client, f"guess{n}", "not a password").status_code for n in range(21)]
    assert codes == [401] * 20 + [429]
    assert login(client, "mo", "battery staple").status_code == 429


def test_the_session_cookie_is_secure_when_https_only(make_cfg: Any, sqlite_sessions: Any) -> None:
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        s.commit()
    app = create_app(make_cfg(), sqlite_sessions, secret="test-secret", https_only=True, clock=lambda: NOW)
    with TestClient(app, base_url="https://127.0.0.1") as client:
        r = login(client, "asha", "correct horse")
        assert r.status_code == 303
        assert "secure" in r.headers["set-cookie"].lower()


def test_a_campaign_response_is_previewed_with_a_count_then_queued_one_per_person(web: Any) -> None:
    from test_campaign_send import campaign_case

    client, sessions = web
    with sessions() as s:
        camp, _ = campaign_case(s, "MID-2026-00003")
        s.commit()
        cid = camp.id
    login(client, "asha", "correct horse")
    tok = token(client, f"/campaign/{cid}")
    preview = client.post(f"/campaign/{cid}/respond", data={
        "csrf_token": tok, "step": "preview", "text": "The station will stay open.", "to_existing": "yes"})
    assert "the copy Fay Able will get" in preview.text and "Dear Fay Able," in preview.text
    assert "Send 3 individual replies" in preview.text and "Gus Bond" not in preview.text
    with sessions() as s:
        assert s.scalars(select(Outbox)).all() == []  # a preview sends nothing
    done = client.post(f"/campaign/{cid}/respond", data={
        "csrf_token": tok, "step": "send", "text": "The station will stay open.", "to_existing": "yes",
        "to_later": "yes"})
    assert "Queued 3 individual replies" in done.text
    case_reply = client.post("/case/MID-2026-00003/reply", data={"csrf_token": tok, "subject": "Re", "text": "Hi"})
    assert "campaign page" in case_reply.text
    with sessions() as s:
        assert sorted(r.to_address for r in s.scalars(select(Outbox))) == [
            "fay@example.com", "gus@example.com", "hal@example.com"]
        assert s.get(Campaign, cid).response == "The station will stay open."  # type: ignore[union-attr]


def test_the_home_page_lists_open_urgent_cases_and_the_case_page_has_a_banner(web: Any) -> None:
    client, _ = web
    login(client, "asha", "correct horse")
    home = client.get("/").text
    urgent = home.split('id="h-urgent"', 1)[1].split("</section>", 1)[0]
    assert 'href="/case/MID-2026-00001"' in urgent and "Frightened at home" in urgent
    assert "MID-2026-00002" not in urgent
    assert 'class="banner urgent" role="alert"' in client.get("/case/MID-2026-00001").text
    assert 'class="banner urgent"' not in client.get("/case/MID-2026-00002").text
