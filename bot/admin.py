"""`signpost user add|list|disable|remove|passwd` and `signpost queue`: the command-line side of the dashboard."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.casework import queue_clock
from bot.config import CATEGORIES, Config
from bot.users import UserError, add_user, get_user, set_password
from store.models import Case, Event, Role, User, utcnow
from store.queues import list_queue


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost user add NAME --role caseworker|manager [--password-env VAR] [--email ADDR]`."""
    parser.add_argument("name", metavar="NAME", help="login name (no spaces)")
    parser.add_argument("--role", required=True, choices=[r.value for r in Role],
                        help="caseworker (cases) or manager (cases, reports and the audit log)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="read the password from this environment variable (else prompt)")
    parser.add_argument("--email", metavar="ADDR", help="the user's email address")


def add_password_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost user passwd NAME [--password-env VAR]`."""
    parser.add_argument("name", metavar="NAME", help="login name")
    parser.add_argument("--password-env", metavar="VAR",
                        help="read the new password from this environment variable (else prompt)")


def add_name_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="login name")


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        password = os.environ.get(args.password_env, "")
    else:
        password = getpass.getpass(f"Password for {args.name}: ")
        if password and getpass.getpass("Again: ") != password:
            raise UserError("the passwords differ")
    if not password:
        source = f"${args.password_env} is empty or unset" if args.password_env else "empty password"
        raise UserError(f"{source}: refusing to set no password")
    return password


def _audit(s: Session, kind: str, **detail: str) -> None:
    """User administration is in the audit log, as the command line's doing."""
    s.add(Event(at=utcnow(), actor="command line", kind=kind, detail=detail))


def _user_command(verb: str, args: argparse.Namespace, work: Callable[[Session], str],
                  sessions: sessionmaker[Session]) -> int:
    try:
        with sessions() as s:
            message = work(s)
            s.commit()
    except UserError as exc:
        print(f"signpost user {verb}: {exc}", file=sys.stderr)
        return 2
    print(message)
    return 0


def cmd_user_add(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Create a user; an existing name is refused (use `user passwd`)."""

    def work(s: Session) -> str:
        if s.scalar(select(User.id).where(User.name == args.name.strip())) is not None:
            raise UserError(f"user {args.name.strip()} already exists (use `signpost user passwd`)")
        user = add_user(s, args.name, Role(args.role), _password(args), args.email,
                        min_length=cfg.web.password_min_length)
        _audit(s, "user_added", user=user.name, role=user.role.value)
        return f"user {user.name} ({user.role.value}) added"

    return _user_command("add", args, work, sessions)


def cmd_user_passwd(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Set a new password (and re-enable the account)."""

    def work(s: Session) -> str:
        get_user(s, args.name)
        user = set_password(s, args.name, _password(args), min_length=cfg.web.password_min_length)
        _audit(s, "user_password", user=user.name)
        return f"password of {user.name} changed"

    return _user_command("passwd", args, work, sessions)


def _change_user(verb: str, done: str, change: Callable[[Session, User], None], args: argparse.Namespace,
                 sessions: sessionmaker[Session]) -> int:
    def work(s: Session) -> str:
        user = get_user(s, args.name)
        change(s, user)
        _audit(s, f"user_{done}", user=user.name)
        return f"user {user.name} {done}"

    return _user_command(verb, args, work, sessions)


def cmd_user_disable(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Stop a user signing in; their open sessions end at their next request."""
    return _change_user("disable", "disabled", lambda s, u: setattr(u, "active", False), args, sessions)


def cmd_user_remove(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Delete a user; what they did stays in the audit log under their name."""
    return _change_user("remove", "removed", lambda s, u: s.delete(u), args, sessions)


def cmd_user_list(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Print every user: name, role, active or disabled, email, created."""
    with sessions() as s:
        users = list(s.scalars(select(User).order_by(User.name)))
    head = ("NAME", "ROLE", "STATE", "EMAIL", "CREATED")
    rows = [(u.name, u.role.value, "active" if u.active else "disabled", u.email or "-",
             u.created_at.strftime("%Y-%m-%d")) for u in users]
    _table(head, rows, sys.stdout)
    print(f"{len(users)} user{'s' if len(users) != 1 else ''}")
    return 0


def _table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")


def add_queue_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost queue`; with none, all open cases."""
    parser.add_argument("--category", choices=CATEGORIES, help="open cases of this category")
    parser.add_argument("--overdue", action="store_true", help="past their respond-by date")
    parser.add_argument("--stale", action="store_true", help="no action for sla.stale_days working days")
    parser.add_argument("--urgent", action="store_true", help="urgent cases")
    parser.add_argument("--unassigned", action="store_true", help="cases nobody is assigned to")
    parser.add_argument("--members", action="store_true", help="member correspondence (MPs, MSs, councillors)")
    parser.add_argument("--mine", metavar="USER", help="cases assigned to USER")
    parser.add_argument("--limit", type=int, default=50, help="how many rows (default 50)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many rows first (default 0)")


def _queue_name(args: argparse.Namespace) -> str:
    chosen = [n for n in ("overdue", "stale", "urgent", "unassigned", "members") if getattr(args, n, False)]
    if args.category:
        chosen.append(f"category:{args.category}")
    if args.mine:
        chosen.append("mine")
    if len(chosen) > 1:
        raise ValueError(f"choose one queue, not {len(chosen)}: {', '.join(chosen)}")
    return chosen[0] if chosen else "open"


def print_cases(cases: list[Case], total: int, out: TextIO) -> None:
    head = ("REFERENCE", "!", "RESPOND BY", "STATUS", "CATEGORY", "ASSIGNED", "PERSON", "SUBJECT")
    rows = [(c.reference, "U" if c.urgent else "", c.respond_by.isoformat(), c.status.value,
             c.category or "-", c.assigned_to or "-", (c.person.name if c.person else None) or "-",
             c.subject[:50]) for c in cases]
    _table(head, rows, out)
    out.write(f"{len(cases)} of {total} case{'s' if total != 1 else ''}\n")


def cmd_queue(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Print one queue as a table, urgent first, then by respond-by date."""
    name = _queue_name(args)
    clock = queue_clock(cfg, utcnow())
    with sessions() as s:
        page = list_queue(s, name, clock, user=args.mine, limit=args.limit, offset=args.offset)
        print_cases(page.cases, page.total, sys.stdout)
    return 0
