"""`signpost user add` and `signpost queue`: the argument sets and commands in bot/admin.py."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from casework_seed import make_case
from sqlalchemy import select

from bot import admin
from bot.users import authenticate
from store.models import Role, User


def run(add_arguments: Any, command: Any, argv: list[str], cfg: Any, sessions: Any) -> int:
    parser = argparse.ArgumentParser(prog="signpost")
    add_arguments(parser)
    return int(command(parser.parse_args(argv), cfg, sessions))


def user_add(argv: list[str], cfg: Any, sessions: Any) -> int:
    return run(admin.add_user_arguments, admin.cmd_user_add, argv, cfg, sessions)


def queue(argv: list[str], cfg: Any, sessions: Any) -> int:
    return run(admin.add_queue_arguments, admin.cmd_queue, argv, cfg, sessions)


def test_user_add_takes_the_password_from_the_named_variable(make_cfg: Any, sqlite_sessions: Any,
                                                             monkeypatch: Any) -> None:
    monkeypatch.setenv("NEW_PW", "a long pass phrase")
    argv = ["asha", "--role", "manager", "--password-env", "NEW_PW", "--email", "asha@example.org"]
    assert user_add(argv, make_cfg(), sqlite_sessions) == 0
    with sqlite_sessions() as s:
        user = s.scalars(select(User)).one()
        assert (user.name, user.role, user.email) == ("asha", Role.manager, "asha@example.org")
        assert user.password_hash.startswith("$argon2")
        assert authenticate(s, "asha", "a long pass phrase") is not None
        assert authenticate(s, "asha", "a long pass phrase!") is None


def test_user_add_refuses_an_empty_password(make_cfg: Any, sqlite_sessions: Any, monkeypatch: Any,
                                            capsys: Any) -> None:
    monkeypatch.setenv("EMPTY_PW", "")
    assert user_add(["ben", "--role", "caseworker", "--password-env", "EMPTY_PW"], make_cfg(),
                    sqlite_sessions) == 2
    assert "refusing" in capsys.readouterr().err
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "")
    assert user_add(["ben", "--role", "caseworker"], make_cfg(), sqlite_sessions) == 2
    with sqlite_sessions() as s:
        assert s.scalars(select(User)).all() == []


def test_queue_prints_a_table_urgent_first(make_cfg: Any, sqlite_sessions: Any, capsys: Any) -> None:
    cfg = make_cfg()
    with sqlite_sessions() as s:
        make_case(s, "MID-2026-00001", subject="Parking on the green")
        make_case(s, "MID-2026-00002", urgent=True, subject="Threats from a neighbour", assigned_to="asha")
        s.commit()
    assert queue([], cfg, sqlite_sessions) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["REFERENCE", "!", "RESPOND"]
    assert lines[1].startswith("MID-2026-00002  U") and lines[2].startswith("MID-2026-00001")
    assert lines[-1] == "2 of 2 cases"
    assert queue(["--mine", "asha"], cfg, sqlite_sessions) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 of 1 case"
    with pytest.raises(ValueError, match="choose one queue"):
        queue(["--urgent", "--stale"], cfg, sqlite_sessions)
