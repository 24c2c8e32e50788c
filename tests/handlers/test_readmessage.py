"""ReadMessage memoises header reads, and forgets them whenever the headers change."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from handlers.readmessage import ReadMessage

RAW = (b"From: Ada Example <ada@example.com>\r\nTo: office@example.org\r\nSubject: Noise\r\n"
       b"Content-Type: multipart/mixed; boundary=b1\r\nMIME-Version: 1.0\r\n\r\n--b1\r\n"
       b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe flat above.\r\n--b1\r\n"
       b"Content-Type: message/rfc822\r\n\r\nFrom: x@example.net\r\nSubject: inner\r\n\r\nhi\r\n--b1--\r\n")


def parse(raw: bytes) -> ReadMessage:
    msg = email.message_from_bytes(raw, _class=ReadMessage, policy=email.policy.default)
    assert isinstance(msg, ReadMessage)
    return msg


def test_reads_are_memoised_and_equal_to_the_email_package() -> None:
    msg = parse(RAW)
    first = msg["subject"]
    assert msg.get("Subject") is first  # the same object: not parsed again
    assert msg.get("x-missing", "none") == "none" and msg["x-missing"] is None
    plain = email.message_from_bytes(RAW, policy=email.policy.default)
    assert [p.get_content_type() for p in msg.walk()] == [p.get_content_type() for p in plain.walk()]
    assert all(isinstance(p, ReadMessage) for p in msg.walk())  # sub-parts are memoised too


@pytest.mark.parametrize("change", ["replace", "delete", "set", "param", "add_header", "boundary"])
def test_any_change_to_the_headers_empties_the_memo(change: str) -> None:
    msg = parse(RAW)
    assert msg["subject"] == "Noise" and msg.get_content_type() == "multipart/mixed"
    if change == "replace":
        msg.replace_header("Subject", "Loud music")
    elif change == "delete":
        del msg["subject"]
    elif change == "set":
        del msg["subject"]
        msg["Subject"] = "Loud music"
    elif change == "param":
        msg.set_param("charset", "utf-8")
        assert msg.get_param("charset") == "utf-8"
        return
    elif change == "add_header":
        msg.add_header("X-Case", "MID-2026-00001")
        assert msg["x-case"] == "MID-2026-00001"
        return
    else:
        msg.set_boundary("b2")
        assert msg.get_boundary() == "b2"
        return
    assert msg["subject"] == ("Loud music" if change != "delete" else None)


def test_the_corpus_reads_as_with_the_plain_message() -> None:
    files = sorted(Path(__file__).resolve().parents[1].joinpath("data").rglob("*.eml"))[:200]
    assert files
    for f in files:
        raw = f.read_bytes()
        try:
            plain = email.message_from_bytes(raw, policy=email.policy.default)
            expected = [(p.get_content_type(), str(p.get("subject")), str(p.get("from"))) for p in plain.walk()]
        except Exception:  # noqa: BLE001 - the email package's own failures are not ours to compare
            continue
        memo = parse(raw)
        assert [(p.get_content_type(), str(p.get("subject")), str(p.get("from"))) for p in memo.walk()] == expected, f
