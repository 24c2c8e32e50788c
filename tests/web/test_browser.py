"""The dashboard in a real headless Chromium: sign in, urgent queue, reply from a template, close,
and the reply arrives at an aiosmtpd sink through the real outbox sender."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from bot.config import Config
from bot.intake import Intake
from bot.sender import Sender, SmtpTransport
from bot.users import add_user
from bot.web.app import create_app
from bot.worker import Worker
from handlers.compose import make_environment
from store.models import Case, CaseStatus, Role

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
URGENT_MAIL = b"""\
From: Morwenna Stile <morwenna.stile@example.net>
To: enquiries@wessexvale-pcc.gov.uk
Subject: Please help, he is outside my house now
Date: {date}
Message-ID: <urgent-1@example.net>
Content-Type: text/plain; charset=utf-8

My ex-partner is outside my house right now banging on the door and says he will hurt me.
I am scared for my safety and for my children. What should I do?

Morwenna
"""


@dataclass
class Service:
    url: str
    cfg: Config
    sessions: Any


def _serve(cfg: Config, sessions: Any, ready: threading.Event, box: dict[str, Any]) -> None:
    """The dashboard and the outbox sender on one event loop, as `signpost run` has them."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        sender = Sender(cfg, sessions, SmtpTransport(cfg))
        app = create_app(cfg, sessions, secret="browser-test-secret",
                         on_outbox=lambda: loop.call_soon_threadsafe(sender.wake.set))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                               lifespan="off"))
        box["server"] = server
        sending = asyncio.create_task(sender.run(stop, idle_seconds=0.5))
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():
            await asyncio.sleep(0.02)
        if server.started:
            box["port"] = server.servers[0].sockets[0].getsockname()[1]
        ready.set()
        await serving
        stop.set()
        await sending

    asyncio.run(main())


@pytest.fixture
def service(make_cfg: Any, sqlite_sessions: Any, smtp_sink: Any, triage_model: Any) -> Iterator[Service]:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port})
    arrived = datetime.now(UTC) - timedelta(hours=1)  # the sender sends what is due by the real clock
    raw = URGENT_MAIL.replace(b"{date}", format_datetime(arrived).encode())
    Intake(sqlite_sessions).accept("smtp", "urgent-1", raw, arrived)
    Worker(cfg, sqlite_sessions, make_environment(), triage_model).drain()
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse battery")
        s.commit()
    ready, box = threading.Event(), {}
    thread = threading.Thread(target=_serve, args=(cfg, sqlite_sessions, ready, box), daemon=True)
    thread.start()
    assert ready.wait(15) and "port" in box, "uvicorn did not start"
    try:
        yield Service(f"http://127.0.0.1:{box['port']}", cfg, sqlite_sessions)
    finally:
        box["server"].should_exit = True
        thread.join(15)


def _wait_for_text(sink: Any, text: str, timeout: float = 20.0) -> Any:
    """The one message at the sink whose text contains `text` (the ack and duty alert also arrive)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in sink.messages if text in m.get_body(("plain",)).get_content()]
        if found:
            time.sleep(0.3)  # a second copy would arrive by now
            found = [m for m in sink.messages if text in m.get_body(("plain",)).get_content()]
            assert len(found) == 1, f"{len(found)} copies of the reply"
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no reply at the sink; got {[m['Subject'] for m in sink.messages]}")


ARTIFACTS = Path(os.environ.get("SIGNPOST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture
def shots(request: Any) -> Path:
    """Where a test keeps its screenshots: test-artifacts/screenshots/<test name>/ (or $SIGNPOST_ARTIFACTS)."""
    folder = ARTIFACTS / "screenshots" / request.node.name.replace("/", "_")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def _browser(p: Any) -> Any:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(or `make system-deps`)", pytrace=False)
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def test_caseworker_replies_to_an_urgent_case_and_closes_it(service: Service, smtp_sink: Any,
                                                             shots: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with service.sessions() as s:
        case = s.scalars(select(Case).where(Case.urgent.is_(True))).one()
        ref = case.reference
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(service.url + "/")
            expect(page).to_have_url(service.url + "/login?next=/")
            page.get_by_label("User name").fill("asha")
            page.get_by_label("Password").fill("correct horse battery")
            page.get_by_label("Password").press("Enter")  # by keyboard
            expect(page.get_by_role("heading", name="Hello asha", exact=True)).to_be_visible()
            page.keyboard.press("Tab")  # the first stop is the skip link
            expect(page.locator(":focus")).to_have_text("Skip to content")

            page.get_by_role("link", name="Urgent 1").click()
            expect(page.get_by_role("heading", name="Urgent (1)", exact=True)).to_be_visible()
            page.get_by_role("link", name=ref).click()
            expect(page.locator("article pre.body").filter(has_text="banging on the door")).to_be_visible()

            page.get_by_label("Template", exact=True).select_option("casework/response")
            page.get_by_role("button", name="Load template").click()
            text = page.get_by_label("Text (edit before sending)")
            expect(text).to_contain_text("[Write the response here.]")
            draft = text.input_value().replace(
                "[Write the response here.]",
                "We passed your message to the police at once and an officer has visited you.")
            text.fill(draft)
            page.get_by_role("button", name="Send reply by email").click()
            expect(page.get_by_role("status")).to_contain_text("Reply queued")

            page.get_by_label("Status", exact=True).select_option("closed")
            page.get_by_role("button", name="Set status").click()
            expect(page.get_by_role("status")).to_contain_text("Status set to closed")
            page.screenshot(path=str(shots / "urgent-case-closed.png"), full_page=True)
        finally:
            browser.close()

    reply = _wait_for_text(smtp_sink, "an officer has visited you")
    assert reply["To"].addresses[0].addr_spec == "morwenna.stile@example.net"
    assert reply["In-Reply-To"] == "<urgent-1@example.net>"
    assert ref in reply["Subject"] and "Dear Morwenna" in reply.get_body(("plain",)).get_content()
    with service.sessions() as s:
        closed = s.scalars(select(Case).where(Case.reference == ref)).one()
        assert closed.status is CaseStatus.closed and closed.responded_at is not None



def test_the_board_report_is_styled_under_the_dashboards_content_security_policy(service: Service) -> None:
    from playwright.sync_api import sync_playwright

    with service.sessions() as s:
        add_user(s, "mo", Role.manager, "battery staple horse")
        s.commit()
    today = datetime.now(UTC).date()
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page()
            blocked: list[str] = []
            page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(service.url + "/login")
            page.get_by_label("User name").fill("mo")
            page.get_by_label("Password").fill("battery staple horse")
            page.get_by_label("Password").press("Enter")
            page.wait_for_url(service.url + "/")
            page.goto(f"{service.url}/reports/board?from={today.replace(day=1)}&to={today}")
            header = page.locator("th").first
            assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(243, 242, 241)"
            assert blocked == []
        finally:
            browser.close()


def _sign_in(page: Any, url: str, name: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_casework_flows_find_assign_tag_bulk_download_and_report(service: Service, shots: Path) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    from store.models import Contact, StoredAttachment

    with service.sessions() as s:
        add_user(s, "mo", Role.manager, "battery staple")
        case = s.scalars(select(Case).where(Case.urgent.is_(True))).one()
        ref = case.reference
        first = s.scalars(select(Contact).where(Contact.case_id == case.id)).first()
        assert first is not None
        s.add(StoredAttachment(contact_id=first.id, filename="door.jpg", content_type="text/html", size=4,
                               data=b"\xff\xd8\xff\xe0"))
        other = Case(reference="MID-2026-09001", category="correspondence", agency="opcc", channel="email",
                     subject="Speeding on Mill Lane", opened_at=case.opened_at, last_action_at=case.opened_at,
                     acknowledge_by=case.acknowledge_by, respond_by=case.respond_by)
        s.add(other)
        s.commit()
    with sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
            _sign_in(page, service.url, "asha", "correct horse battery")
            expect(page.get_by_role("heading", name="My open cases (0)")).to_be_visible()
            page.screenshot(path=str(shots / "01-home.png"), full_page=True)

            # The header search understands a short reference.
            page.get_by_role("searchbox", name="Search").fill(ref.lower().replace("-0000", "-"))
            page.get_by_role("button", name="Search", exact=True).click()
            expect(page.get_by_role("heading", name="Cases (1)")).to_be_visible()
            page.screenshot(path=str(shots / "02-search.png"), full_page=True)
            page.get_by_role("link", name=ref, exact=True).click()

            page.get_by_role("button", name="Assign to me").click()
            expect(page.get_by_role("status")).to_contain_text("Assigned to you.")
            page.get_by_label("Add a tag").fill("ward:Netherby")
            page.get_by_role("button", name="Add tag").click()
            expect(page.get_by_role("status")).to_contain_text("Tagged ward:Netherby.")
            expect(page.locator(".facts .label.ward")).to_have_text("Ward: Netherby")
            expect(page.locator("ol.events")).to_contain_text("asha took the case.")
            with page.expect_download() as got:
                page.get_by_role("link", name="door.jpg").click()
            download = got.value
            assert download.suggested_filename == "door.jpg"
            assert Path(download.path()).read_bytes() == b"\xff\xd8\xff\xe0"
            page.screenshot(path=str(shots / "03-case.png"), full_page=True)

            # Bulk: tick two open cases in the case list and tag them at once.
            page.goto(service.url + "/cases?status=open&sort=oldest")
            page.get_by_label(f"Select {ref}").check()
            page.get_by_label("Select MID-2026-09001").check()
            page.get_by_label("Action", exact=True).select_option("tag")
            page.get_by_label("Tag to add").fill("theme:speeding")
            page.get_by_role("button", name="Apply to selected").click()
            expect(page.get_by_role("status").first).to_contain_text("Tagged 2 cases")
            page.screenshot(path=str(shots / "04-bulk.png"), full_page=True)

            page.goto(service.url + "/cases?tag=ward:Netherby")
            page.get_by_label("Save this filter as").fill("Netherby")
            page.get_by_role("button", name="Save view").click()
            page.goto(service.url + "/")
            expect(page.get_by_role("link", name="Netherby")).to_be_visible()
            expect(page.get_by_role("heading", name="My open cases (1)")).to_be_visible()

            # A manager downloads the board report as a workbook and reads the trends.
            page.context.clear_cookies()
            _sign_in(page, service.url, "mo", "battery staple")
            page.get_by_role("link", name="Reports", exact=True).click()
            page.screenshot(path=str(shots / "05-reports.png"), full_page=True)
            with page.expect_download() as got:
                page.get_by_role("button", name="Excel workbook").click()
            assert got.value.suggested_filename.endswith(".xlsx")
            book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
            assert book.sheetnames == ["Cases by category", "Status by month"]
            page.get_by_role("link", name="Trends", exact=True).click()
            expect(page.get_by_role("heading", name="Trends", exact=True)).to_be_visible()
            page.screenshot(path=str(shots / "06-trends.png"), full_page=True)
            page.get_by_role("link", name="Saved replies", exact=True).click()
            page.get_by_role("link", name="Write a new saved reply").click()
            page.get_by_label("Name").fill("Patrol plan")
            page.get_by_label("Text (between the greeting and the sign-off)").fill(
                "The neighbourhood team has added your street to its patrol plan ({{ reference }}).")
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("status")).to_contain_text("Saved reply “Patrol plan” saved.")
            page.screenshot(path=str(shots / "07-saved-replies.png"), full_page=True)
        finally:
            browser.close()
    assert sorted(p.name for p in shots.glob("*.png")) == [
        "01-home.png", "02-search.png", "03-case.png", "04-bulk.png", "05-reports.png", "06-trends.png",
        "07-saved-replies.png"]
