"""Attachments: a download never shown inline, whatever the sender said it was; files on a reply
within the configured size and types, delivered as MIME parts by the sender."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from casework_seed import make_case, make_person
from sqlalchemy import select
from starlette.testclient import TestClient
from webclient import login, token

from bot.outmail import OutgoingMail
from bot.sender import Sender
from bot.users import add_user
from bot.web.app import create_app
from bot.web.files import content_disposition, safe_filename
from store.models import Contact, Outbox, Role, StoredAttachment

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVIL = b"<html><script>alert('stored XSS')</script></html>" * 30


@pytest.fixture
def web(make_cfg: Any, sqlite_sessions: Any) -> Iterator[tuple[TestClient, Any]]:
    with sqlite_sessions() as s:
        add_user(s, "asha", Role.caseworker, "correct horse")
        idris = make_person(s, "Idris Marlowe", "idris@example.com")
        case = make_case(s, "MID-2026-00001", person=idris, message_id="<u1@example.com>")
        make_case(s, "MID-2026-00002", person=make_person(s, "Tel Egram", telegram=77), channel="telegram",
                  chat_id=77)
        contact = s.scalars(select(Contact).where(Contact.case_id == case.id)).one()
        s.add(StoredAttachment(contact_id=contact.id, filename='../../photo "of" door.html',
                               content_type="text/html", size=len(EVIL), data=EVIL))
        s.commit()
    cfg = make_cfg(**{"attachments.max_bytes": 2000, "attachments.max_files": 2})
    app = create_app(cfg, sqlite_sessions, secret="s", clock=lambda: NOW)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, sqlite_sessions


def test_a_stored_file_downloads_as_an_attachment_never_inline(web: Any) -> None:
    client, sessions = web
    with sessions() as s:
        att_id = s.scalars(select(StoredAttachment.id)).one()
    url = f"/case/MID-2026-00001/attachment/{att_id}"
    assert client.get(url, follow_redirects=False).status_code == 303  # sign in first
    login(client, "asha", "correct horse")
    page = client.get("/case/MID-2026-00001").text
    assert f'href="{url}" download>../../photo &#34;of&#34; door.html</a>' in page  # as sent, escaped
    assert "(1.5 KB; sent as text/html)" in page  # the size, in words people read
    r = client.get(url)
    assert r.status_code == 200 and r.content == EVIL
    assert r.headers["content-type"] == "application/octet-stream"  # not the stored text/html
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"photo _of_ door.html\"; filename*=UTF-8''photo%20_of_%20door.html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/case/MID-2026-00002/attachment/{att_id}").status_code == 404  # not that case's


def test_file_names_are_made_safe() -> None:
    assert safe_filename("C:\\Users\\x\\évidence.pdf") == "évidence.pdf"
    assert safe_filename("\x00\r\n") == "attachment"
    assert content_disposition("café.pdf") == "attachment; filename=\"caf_.pdf\"; filename*=UTF-8''caf%C3%A9.pdf"


def post_reply(client: TestClient, ref: str, files: list[tuple[str, tuple[str, bytes, str]]]) -> Any:
    return client.post(f"/case/{ref}/reply", data={"csrf_token": token(client, f"/case/{ref}"),
                                                   "subject": "Re: your letter", "text": "Dear Idris, see attached."},
                       files=files)


class Mail:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, mail: OutgoingMail) -> None:
        self.sent.append(mail.message)

    async def close(self) -> None:
        pass


async def test_a_reply_carries_files_within_the_limits(web: Any, make_cfg: Any) -> None:
    client, sessions = web
    login(client, "asha", "correct horse")
    page = client.get("/case/MID-2026-00001").text
    assert 'enctype="multipart/form-data"' in page and "Up to 2 files of at most 2.0 KB each" in page
    pdf = b"%PDF-1.4 fictional letter"
    r = post_reply(client, "MID-2026-00001", [("files", ("letter.pdf", pdf, "application/x-whatever"))])
    assert "Reply queued for sending with 1 attachment(s)." in r.text
    too_big = post_reply(client, "MID-2026-00001", [("files", ("big.pdf", b"x" * 2001, "application/pdf"))])
    assert "big.pdf is larger than the limit of 2.0 KB" in too_big.text
    exe = post_reply(client, "MID-2026-00001", [("files", ("run.exe", b"MZ", "application/pdf"))])
    assert "run.exe: this type of file cannot be attached" in exe.text and ".pdf" in exe.text
    many = post_reply(client, "MID-2026-00001", [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(3)])
    assert "attach at most 2 files" in many.text
    chat = post_reply(client, "MID-2026-00002", [("files", ("letter.pdf", pdf, "application/pdf"))])
    assert "email replies only" in chat.text
    with sessions() as s:
        row = s.scalars(select(Outbox)).one()  # only the first reply was queued
        stored = s.scalars(select(StoredAttachment).where(StoredAttachment.contact_id == row.outbound_contact_id))
        assert [(a.filename, a.content_type, a.size) for a in stored] == [("letter.pdf", "application/pdf", len(pdf))]
    mail = Mail()
    await Sender(make_cfg(), sessions, mail, clock=lambda: NOW).send_due()
    (msg,) = mail.sent
    parts = list(msg.iter_attachments())
    assert [(p.get_filename(), p.get_content_type(), p.get_content()) for p in parts] == [
        ("letter.pdf", "application/pdf", pdf)]
    assert "see attached" in msg.get_body(("plain",)).get_content()


def test_a_post_without_the_token_is_refused_even_with_files(web: Any) -> None:
    client, _ = web
    login(client, "asha", "correct horse")
    r = client.post("/case/MID-2026-00001/reply", data={"text": "x", "csrf_token": "forged"},
                    files=[("files", ("a.pdf", b"%PDF", "application/pdf"))])
    assert r.status_code == 403
