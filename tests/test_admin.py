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


def user_cmd(verb: str, argv: list[str], cfg: Any, sessions: Any) -> int:
    arguments = {"passwd": admin.add_password_arguments, "disable": admin.add_name_argument,
                 "remove": admin.add_name_argument, "list": lambda p: None, "add": admin.add_user_arguments}
    command = getattr(admin, f"cmd_user_{verb}")
    return run(arguments[verb], command, argv, cfg, sessions)


def test_user_add_never_overwrites_an_existing_user(make_cfg: Any, sqlite_sessions: Any, monkeypatch: Any,
                                                    capsys: Any) -> None:
    monkeypatch.setenv("PW", "a long pass phrase")
    assert user_add(["asha", "--role", "caseworker", "--password-env", "PW"], make_cfg(), sqlite_sessions) == 0
    monkeypatch.setenv("PW", "another long phrase")
    assert user_add(["asha", "--role", "manager", "--password-env", "PW"], make_cfg(), sqlite_sessions) == 2
    assert "already exists" in capsys.readouterr().err
    with sqlite_sessions() as s:
        assert s.scalars(select(User)).one().role == Role.caseworker
        assert authenticate(s, "asha", "a long pass phrase") is not None


def test_passwords_below_the_policy_are_refused(make_cfg: Any, sqlite_sessions: Any, monkeypatch: Any,
                                                capsys: Any) -> None:
    for weak in ("short", "aaaaaaaaaaaaaaaa", "asha-is-my-password"):
        monkeypatch.setenv("PW", weak)
        assert user_add(["asha", "--role", "caseworker", "--password-env", "PW"], make_cfg(), sqlite_sessions) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    with sqlite_sessions() as s:
        assert s.scalars(select(User)).all() == []


def test_user_list_passwd_disable_and_remove(make_cfg: Any, sqlite_sessions: Any, monkeypatch: Any,
                                             capsys: Any) -> None:
    from store.models import Event

    cfg = make_cfg()
    monkeypatch.setenv("PW", "a long pass phrase")
    user_add(["asha", "--role", "caseworker", "--password-env", "PW"], cfg, sqlite_sessions)
    user_add(["mo", "--role", "manager", "--password-env", "PW", "--email", "mo@example.org"], cfg, sqlite_sessions)
    capsys.readouterr()
    assert user_cmd("list", [], cfg, sqlite_sessions) == 0
    listing = capsys.readouterr().out
    assert "asha" in listing and "mo@example.org" in listing and "2 users" in listing
    monkeypatch.setenv("PW", "short")
    assert user_cmd("passwd", ["asha", "--password-env", "PW"], cfg, sqlite_sessions) == 2
    monkeypatch.setenv("PW", "a brand new pass phrase")
    assert user_cmd("passwd", ["asha", "--password-env", "PW"], cfg, sqlite_sessions) == 0
    assert user_cmd("disable", ["mo"], cfg, sqlite_sessions) == 0
    with sqlite_sessions() as s:
        assert authenticate(s, "asha", "a brand new pass phrase") is not None
        assert authenticate(s, "mo", "a long pass phrase") is None  # disabled
    assert user_cmd("remove", ["mo"], cfg, sqlite_sessions) == 0
    assert user_cmd("remove", ["mo"], cfg, sqlite_sessions) == 2
    with sqlite_sessions() as s:
        assert [u.name for u in s.scalars(select(User))] == ["asha"]
        kinds = list(s.scalars(select(Event.kind).order_by(Event.id)))
        assert kinds == ["user_added", "user_added", "user_password", "user_disabled", "user_removed"]
