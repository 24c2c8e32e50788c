"""`signpost access`: who looked at a case, or what a user looked at (the access log)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from store.access import access_by_user, access_for_case
from store.models import Case


def add_access_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--case", metavar="REF", help="every view and export of this case")
    who.add_argument("--user", metavar="NAME", help="everything this user viewed, searched and exported")
    parser.add_argument("--limit", type=int, default=200, help="newest N rows (default 200)")


def cmd_access(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    tz = cfg.office.tz
    with sessions() as s:
        if args.case:
            case = s.scalar(select(Case).where(Case.reference == args.case.upper()))
            if case is None:
                print(f"no case {args.case}", file=sys.stderr)
                return 2
            for row in access_for_case(s, case.id, limit=args.limit):
                print(f"{row.at.astimezone(tz):%Y-%m-%d %H:%M}  {row.user:20} {row.action}")
        else:
            for row, ref in access_by_user(s, args.user, limit=args.limit):
                what = ref or row.detail.get("query", "")
                print(f"{row.at.astimezone(tz):%Y-%m-%d %H:%M}  {row.action:8} {what}")
    return 0
