"""`signpost user add` and `signpost queue`: the command-line side of the caseworkers' tools."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

from sqlalchemy.orm import Session, sessionmaker

from bot.casework import queue_clock
from bot.config import CATEGORIES, Config
from bot.users import UserError, add_user
from store.models import Case, Role, utcnow
from store.queues import list_queue


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost user add NAME --role caseworker|manager [--password-env VAR] [--email ADDR]`."""
    parser.add_argument("name", metavar="NAME", help="login name (no spaces)")
    parser.add_argument("--role", required=True, choices=[r.value for r in Role],
                        help="caseworker (cases) or manager (cases, reports and the audit log)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="read the password from this environment variable (else prompt)")
    parser.add_argument("--email", metavar="ADDR", help="the user's email address")


def _password(args: argparse.Namespace) -> str:
    if args.password_env:
        return os.environ.get(args.password_env, "")
    first = getpass.getpass(f"Password for {args.name}: ")
    if first and getpass.getpass("Again: ") != first:
        raise UserError("the passwords differ")
    return first


def cmd_user_add(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Create the user, or reset the password and role of an existing one."""
    try:
        password = _password(args)
        if not password:
            source = f"${args.password_env} is empty or unset" if args.password_env else "empty password"
            raise UserError(f"{source}: refusing to create a user without a password")
        with sessions() as s:
            add_user(s, args.name, Role(args.role), password, args.email)
            s.commit()
    except UserError as exc:
        print(f"signpost user add: {exc}", file=sys.stderr)
        return 2
    print(f"user {args.name.strip()} ({args.role}) saved")
    return 0


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
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")
    out.write(f"{len(cases)} of {total} case{'s' if total != 1 else ''}\n")


def cmd_queue(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """Print one queue as a table, urgent first, then by respond-by date."""
    name = _queue_name(args)
    clock = queue_clock(cfg, utcnow())
    with sessions() as s:
        page = list_queue(s, name, clock, user=args.mine, limit=args.limit, offset=args.offset)
        print_cases(page.cases, page.total, sys.stdout)
    return 0
