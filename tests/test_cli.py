"""The `signpost` command line: help on every command, replay + export on files, clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.cli import build_parser, main

COMMANDS = ["run", "replay", "export", "cases", "eval", "retry-failed", "train", "queue", "digest", "report"]


@pytest.mark.parametrize("command", [*COMMANDS, "user add"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command.split(), "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "--config" in out and "--db" in out


def test_every_command_is_listed() -> None:
    text = build_parser().format_help()
    for c in [*COMMANDS, "user"]:
        assert c in text


def write_eml(folder: Path, name: str, sender: str, subject: str, body: str, when: datetime) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "enquiries@wessexvale-pcc.gov.uk", subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<{name}@example.com>"
    msg.set_content(body)
    (folder / name).write_bytes(bytes(msg))


def write_tg(folder: Path, name: str, update_id: int, user: int, text: str, when: datetime) -> None:
    update = {"update_id": update_id, "message": {
        "message_id": update_id, "from": {"id": user, "is_bot": False, "first_name": "Kit"},
        "chat": {"id": user, "type": "private", "first_name": "Kit"}, "date": int(when.timestamp()), "text": text}}
    (folder / name).write_text(json.dumps(update))


def test_replay_then_export_mixes_email_and_telegram_in_filename_order(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    friday_evening = datetime(2026, 7, 3, 21, 30, tzinfo=UTC)  # 22:30 BST on a Friday
    write_eml(corpus, "0001-a.eml", "Lou Example <lou@example.com>", "Fly-tipping",
              "Someone dumped a sofa and bags of rubbish in the lane behind Ash Grove.", friday_evening)
    write_tg(corpus, "0002-b.tg.json", 9001, 42, "/start", datetime(2026, 7, 4, 9, 0, tzinfo=UTC))
    write_tg(corpus, "0003-c.tg.json", 9002, 42, "Someone smashed my car window last night on Mill Road and "
             "took my bag. Not an emergency, how do I report it?", datetime(2026, 7, 4, 9, 5, tzinfo=UTC))
    (corpus / "notes.txt").write_text("ignored: not a message file")
    db = f"sqlite:///{tmp_path}/s.db"
    assert main(["replay", str(corpus), "--db", db, "--sink", str(tmp_path / "out")]) == 0
    assert "replayed 3 files: 3 stored" in capsys.readouterr().out
    assert main(["replay", str(corpus), "--db", db, "--sink", str(tmp_path / "out")]) == 0
    assert "0 stored, 3 already in the store" in capsys.readouterr().out  # idempotent
    assert main(["export", "--format", "jsonl", "--db", db]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in rows] == ["0001-a.eml", "0002-b.tg.json", "0003-c.tg.json"]
    assert all(r["acknowledged"] for r in rows)
    assert rows[0]["case"] and rows[0]["case"].startswith("MID-2026-")
    assert rows[1]["category"] == "none" and rows[1]["case"] is None  # /start: the greeting, no case
    assert rows[2]["case"] and rows[2]["category"] is not None
    assert len(list((tmp_path / "out").glob("*.eml"))) == 3


def test_replay_deadlines_follow_the_message_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import select

    from bot.app import open_store
    from store.models import Case

    corpus = tmp_path / "c"
    corpus.mkdir()
    write_eml(corpus, "0001.eml", "Max Example <max@example.com>", "Speeding",
              "Cars speed along Long Lane every evening.", datetime(2026, 12, 24, 17, 0, tzinfo=UTC))
    db = f"sqlite:///{tmp_path}/s.db"
    assert main(["replay", str(corpus), "--db", db, "--sink", str(tmp_path / "o")]) == 0
    with open_store(db)[1]() as s:
        case = s.scalar(select(Case))
        # Thursday 24 Dec: Christmas, Boxing Day (substitute Monday 28th) skipped -> Wed 30 Dec.
        assert case.acknowledge_by.isoformat() == "2026-12-30"
        assert case.acknowledged_at is not None and case.acknowledged_at.date().isoformat() == "2026-12-24"


def test_bad_config_and_missing_path_are_clear_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("office: {name: x}\n")
    assert main(["cases", "--config", str(bad)]) == 2
    assert "office.mailbox" in capsys.readouterr().err
    assert main(["replay", str(tmp_path / "nope"), "--db", f"sqlite:///{tmp_path}/s.db"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_cases_lists_urgent_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    t = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    write_eml(corpus, "0001.eml", "Ned Example <ned@example.com>", "Bins", "The bins were not collected.", t)
    write_eml(corpus, "0002.eml", "Ola Example <ola@example.com>", "scared",
              "He has just turned up outside my flat again and is kicking the door in, I am scared he will "
              "hurt me tonight.", t.replace(hour=11))
    db = f"sqlite:///{tmp_path}/s.db"
    main(["replay", str(corpus), "--db", db, "--sink", str(tmp_path / "o")])
    capsys.readouterr()
    assert main(["cases", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "YES" in lines[1] and "scared" in lines[1]


