"""The retention schedule: which cases are due for anonymisation, and a run that applies it.

A case is due when its category's rule (config `retention.schedule`) says so: `closed` months
after closure, or `open` months after the last action of a case never closed. Cases under legal
hold, urgent cases not yet released by a manager, and cases already anonymised are never due.
"""

from __future__ import annotations

import argparse
import calendar
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from store.db import checkpoint
from store.models import AccessLog, Case, CaseStatus, Event, Person, utcnow
from store.privacy import Scrubbed, anonymise_case, anonymise_person, is_unused, scrub_unfiled

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """A case the schedule says must go, and which rule says so."""

    case_id: int
    reference: str
    category: str
    status: str
    rule: str
    since: date


@dataclass
class Run:
    """What a run found (dry) or did (applied)."""

    as_of: datetime
    applied: bool
    due: list[Due] = field(default_factory=list)
    scrubbed: Scrubbed = field(default_factory=Scrubbed)
    access_rows: int = 0

    def counts(self) -> dict[str, int]:
        return {"due": len(self.due), **self.scrubbed.counts(), "access_log": self.access_rows}


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier (31 March less one month is 28/29 February)."""
    y, m = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(y, m + 1)[1])
    return moment.replace(year=y, month=m + 1, day=day)


def _exempt() -> ColumnElement[bool]:
    return or_(Case.legal_hold.is_(True), and_(Case.urgent.is_(True), Case.retention_released_at.is_(None)))


def due_cases(session: Session, cfg: Config, now: datetime) -> list[Due]:
    """Cases the schedule makes due at `now`, oldest first."""
    out: list[Due] = []
    for category, rule in cfg.retention.schedule.items():
        cat = Case.category.is_(None) | (Case.category == "none") if category == "none" else Case.category == category
        for status_rule, months in (("closed", rule.closed), ("open", rule.open)):
            if months is None:
                continue
            cutoff = months_before(now, months)
            if status_rule == "closed":
                when = and_(Case.status == CaseStatus.closed, Case.closed_at < cutoff)
                moment = Case.closed_at
            else:
                when = and_(Case.status != CaseStatus.closed, Case.last_action_at < cutoff)
                moment = Case.last_action_at
            stmt = select(Case.id, Case.reference, Case.category, Case.status, moment).where(
                cat, when, Case.anonymised_at.is_(None), ~_exempt())
            for cid, ref, c, status, at in session.execute(stmt):
                out.append(Due(cid, ref, c or "none", status.value, f"{category}: {status_rule} {months} months",
                               at.date() if at else now.date()))
    return sorted(out, key=lambda d: (d.since, d.case_id))


def run_retention(session: Session, cfg: Config, now: datetime, *, apply: bool, actor: str = "signpost") -> Run:
    """Find what is due and, with `apply`, anonymise it and record a `retention_run` event.

    The caller commits. People left with no case or contact lose their details as well; contacts on
    no case and raw mail older than `unfiled_days`, and access-log rows older than
    `access_log_days`, go in the same run.
    """
    run = Run(now, apply, due_cases(session, cfg, now))
    if not apply:
        return run
    for due in run.due:
        case = session.get(Case, due.case_id)
        if case is not None:
            run.scrubbed.add(anonymise_case(session, case, now))
    session.flush()
    run.scrubbed.add(scrub_unfiled(session, now - timedelta(days=cfg.retention.unfiled_days)))
    session.flush()
    for pid in sorted(run.scrubbed.person_ids):
        person = session.get(Person, pid)
        if person is not None and person.anonymised_at is None and is_unused(session, person):
            run.scrubbed.add(anonymise_person(session, person, now))
    cutoff = now - timedelta(days=cfg.retention.access_log_days)
    result = session.execute(delete(AccessLog).where(AccessLog.at < cutoff))
    run.access_rows = int(getattr(result, "rowcount", 0) or 0)
    session.add(Event(at=now, actor=actor, kind="retention_run", detail={"counts": run.counts()}))
    logger.info("retention: %d case(s) anonymised, %d contact(s), %d raw message(s), %d access-log row(s)",
                run.scrubbed.cases, run.scrubbed.contacts, run.scrubbed.raw, run.access_rows)
    return run


def ran_today(session: Session, start_of_day: datetime) -> bool:
    return session.scalar(select(Event.id).where(Event.kind == "retention_run", Event.at >= start_of_day)
                          .limit(1)) is not None


def add_retention_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost retention`."""
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list the cases the schedule makes due; change nothing")
    mode.add_argument("--apply", action="store_true", help="anonymise them now and record the run as an event")
    parser.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="judge the schedule as on this day (default: now)")


def cmd_retention(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost retention --dry-run|--apply [--as-of D]`."""
    now = utcnow()
    if args.as_of:
        now = datetime.combine(args.as_of, time(23, 59), tzinfo=cfg.office.tz)
    with sessions() as s:
        run = run_retention(s, cfg, now, apply=args.apply, actor="cli")
        s.commit()
        if run.applied:
            checkpoint(s.get_bind().engine)
    for d in run.due:
        print(f"{d.reference:18} {d.category:24} {d.status:12} since {d.since}  ({d.rule})")
    verb = "anonymised" if run.applied else "would be anonymised"
    print(f"{len(run.due)} case(s) {verb}" + (
        f"; {run.scrubbed.contacts} contact(s), {run.scrubbed.raw} raw message(s), {run.scrubbed.persons} "
        f"person(s), {run.access_rows} access-log row(s)" if run.applied else ""))
    return 0
