"""Mail to staff: a warning some working days before a deadline, the breach when it passes, and a
note when a case is assigned to them; each once, with a link to the case.

Who: the case's owner at their stored address; the managers (escalation.managers, else the
active manager users with an address, else digest.recipients) when the case is unassigned or
its owner has no address. Once: each mail is recorded as an Event naming the deadline, and a
deadline already mailed for is left out of the next pass (a moved deadline is a new one).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.casework import new_message_id
from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.reporting.figures import Breach, CaseDeadline, is_casework
from bot.templating import overlay_env
from handlers.labels import OutboxKind
from store.models import Case, CaseStatus, Event, Outbox, Role, User

logger = logging.getLogger(__name__)
WARNING, BREACH_MAILED, ASSIGNMENT_MAILED = "warning", "breach_mailed", "assignment_mailed"
_BREACH_KINDS = {"breach_acknowledge": "acknowledge", "breach_respond": "respond", "stale": "stale"}
_WHAT = {"acknowledge": "Acknowledge-by", "respond": "Respond-by", "stale": "No action"}


@dataclass(frozen=True)
class Due(CaseDeadline):
    """A deadline coming up (`kind` acknowledge, respond or stale)."""

    days_left: int  # working days from today to the deadline (0: the deadline is today)


def recipients(session: Session, cfg: Config, owner: str | None) -> tuple[list[str], str]:
    """(addresses, why they get it): the owner's stored address, else the managers'."""
    if owner:
        email = session.scalar(select(User.email).where(User.name == owner, User.active.is_(True)))
        if email:
            return [email], "you own this case"
    managers = list(cfg.escalation.managers) or [
        e for e in session.scalars(select(User.email).where(User.role == Role.manager, User.active.is_(True),
                                                            User.email.is_not(None)).order_by(User.name)) if e
    ] or list(cfg.digest.recipients)
    why = (f"its owner, {owner}, has no email address in Signpost, and you manage the team" if owner
           else "the case is unassigned and you manage the team")
    return managers, why


def coming_due(session: Session, cal: WorkingCalendar, cfg: Config, today: date) -> list[Due]:
    """Open cases whose deadline is within its warning's working days of `today`, not yet warned."""
    warn = cfg.escalation.warn_before
    found: list[Due] = []
    base = select(Case).where(Case.status != CaseStatus.closed, is_casework())
    for kind, days, column, done in (("acknowledge", warn.acknowledge, Case.acknowledge_by, Case.acknowledged_at),
                                     ("respond", warn.respond, Case.respond_by, Case.responded_at)):
        if not days:
            continue
        horizon = today + timedelta(days=2 * days + 10)  # n working days never span more calendar days
        stmt = base.where(done.is_(None), column >= today, column <= horizon)
        for case in session.scalars(stmt):
            deadline: date = getattr(case, column.key)
            left = cal.count_working_days(today, deadline)
            if left <= days and not _mailed(session, case.id, WARNING, kind, deadline):
                found.append(Due(kind, case.id, case.reference, case.subject, case.assigned_to, case.urgent,
                                 deadline, left))
    if warn.stale:
        stale = cfg.sla.stale_days
        cutoff = cal.start_of_day(today - timedelta(days=stale - warn.stale - 1))
        recent = cal.start_of_day(today - timedelta(days=2 * stale + 10))
        for case in session.scalars(base.where(Case.last_action_at < cutoff, Case.last_action_at >= recent)):
            deadline = cal.add_working_days(cal.local_date(case.last_action_at), stale)
            left = cal.count_working_days(today, deadline)
            if deadline > today and left <= warn.stale and not _mailed(session, case.id, WARNING, "stale", deadline):
                found.append(Due("stale", case.id, case.reference, case.subject, case.assigned_to, case.urgent,
                                 deadline, left))
    return sorted(found, key=lambda d: (d.deadline, d.reference, d.kind))


def _mailed(session: Session, case_id: int, kind: str, deadline_kind: str, deadline: date) -> bool:
    rows = session.scalars(select(Event.detail).where(Event.case_id == case_id, Event.kind == kind))
    return any(d.get("deadline_kind") == deadline_kind and d.get("deadline") == deadline.isoformat() for d in rows)


def _queue(session: Session, cfg: Config, case_id: int, to: Sequence[str], subject: str, text: str,
           now: datetime) -> None:
    for address in to:
        session.add(Outbox(case_id=case_id, kind=OutboxKind.STAFF.value, channel="email", to_address=address,
                           subject=subject, text=text, headers={"Auto-Submitted": "auto-generated"},
                           message_id=new_message_id(cfg, "staff"), not_before=now, created_at=now))


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


class Escalation:
    """Queues the warning and breach mails; the scheduler calls it on each tick (sync, in a thread)."""

    def __init__(self, cfg: Config, env: Environment) -> None:
        self.cfg = cfg
        self.env = overlay_env(env)
        self.cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)

    def _render(self, name: str, **ctx: object) -> str:
        return self.env.get_template(f"staff/{name}.txt.j2").render(cfg=self.cfg, **ctx)

    def is_time(self, now: datetime) -> bool:
        """Mail goes out on working days from escalation.time (staff are not mailed at midnight)."""
        local = now.astimezone(self.cal.tz)
        return self.cal.is_working_day(local.date()) and local.time() >= self.cfg.escalation.time

    def warn(self, session: Session, now: datetime) -> list[Due]:
        """Queue one warning per deadline coming up; the caller commits."""
        if not self.cfg.escalation.enabled or not self.is_time(now):
            return []
        due = coming_due(session, self.cal, self.cfg, self.cal.local_date(now))
        for d in due:
            to, who = recipients(session, self.cfg, d.owner)
            when = "today" if d.days_left == 0 else ("tomorrow" if d.days_left == 1 else
                                                   f"in {d.days_left} working days")
            subject = f"[{d.reference}] {_WHAT[d.kind]} date {when} ({_day(d.deadline)})"
            text = self._render("warning", d=d, when=when, who=who, link=self.link(d.reference),
                                deadline=_day(d.deadline))
            _queue(session, self.cfg, d.case_id, to, subject, text, now)
            session.add(Event(at=now, case_id=d.case_id, actor="signpost", kind=WARNING,
                              detail={"deadline_kind": d.kind, "deadline": d.deadline.isoformat(), "to": to}))
            logger.info("%s warning: %s date %s, mailed to %d address(es)", d.reference, d.kind, d.deadline, len(to))
        return due

    def _unmailed_breaches(self, session: Session, now: datetime) -> list[Breach]:
        """Breaches flagged this past week and not mailed yet, on cases still in that breach."""
        rows = session.execute(
            select(Event.case_id, Event.kind, Event.detail, Event.at, Case)
            .join(Case, Event.case_id == Case.id)
            .where(Event.kind.in_(_BREACH_KINDS), Event.at >= now - timedelta(days=7), Case.status != CaseStatus.closed)
            .order_by(Event.at, Event.id)
        ).all()
        ids = {r.case_id for r in rows}
        mailed = {(e.case_id, e.detail.get("deadline_kind"), e.detail.get("deadline")) for e in session.scalars(
            select(Event).where(Event.case_id.in_(ids), Event.kind == BREACH_MAILED))} if ids else set()
        found = []
        for case_id, kind, detail, at, case in rows:
            deadline_kind = _BREACH_KINDS[kind]
            if (case_id, deadline_kind, detail.get("deadline")) in mailed:
                continue
            done = {"acknowledge": case.acknowledged_at, "respond": case.responded_at}.get(deadline_kind)
            if done is not None or (deadline_kind == "stale" and case.last_action_at > at):
                continue  # put right since it was flagged
            found.append(Breach(kind, case.id, case.reference, case.subject, case.assigned_to, case.urgent,
                                date.fromisoformat(detail["deadline"]), int(detail.get("days", 0))))
        return found

    def mail_breaches(self, session: Session, now: datetime) -> list[Breach]:
        """Queue one mail per breach the scheduler flagged and nobody was mailed about; the caller commits."""
        if not self.cfg.escalation.enabled or not self.cfg.escalation.breach_mail or not self.is_time(now):
            return []
        breaches = self._unmailed_breaches(session, now)
        for b in breaches:
            kind = _BREACH_KINDS[b.kind]
            to, who = recipients(session, self.cfg, b.owner)
            subject = f"[{b.reference}] {_WHAT[kind]} date passed ({_day(b.deadline)})"
            text = self._render("breach", b=b, kind=kind, who=who, link=self.link(b.reference),
                                deadline=_day(b.deadline))
            _queue(session, self.cfg, b.case_id, to, subject, text, now)
            session.add(Event(at=now, case_id=b.case_id, actor="signpost", kind=BREACH_MAILED,
                              detail={"deadline_kind": kind, "deadline": b.deadline.isoformat(), "to": to}))
        return breaches

    def link(self, reference: str) -> str:
        return f"{self.cfg.web.base_url}/case/{reference}"


def notify_assignment(session: Session, cfg: Config, env: Environment, case: Case, actor: str,
                      assignee: str | None, now: datetime) -> bool:
    """Mail `assignee` that `actor` gave them the case, unless they assigned it themselves, opted
    out, or have no stored address; True when a mail was queued."""
    if not assignee or assignee == actor or not (cfg.escalation.enabled and cfg.escalation.assignment_mail):
        return False
    user = session.scalar(select(User).where(User.name == assignee, User.active.is_(True)))
    if user is None or not user.email or not user.notify_assigned:
        return False
    text = overlay_env(env).get_template("staff/assigned.txt.j2").render(
        cfg=cfg, case=case, actor=actor, user=user, link=f"{cfg.web.base_url}/case/{case.reference}",
        respond_by=_day(case.respond_by))
    _queue(session, cfg, case.id, [user.email], f"[{case.reference}] Assigned to you: {case.subject[:80]}", text,
           now)
    session.add(Event(at=now, case_id=case.id, actor=actor, kind=ASSIGNMENT_MAILED, detail={"to": user.email}))
    return True
