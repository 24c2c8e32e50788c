"""The managers' daily digest: figures since the last one, rendered as text and HTML, queued to the outbox."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.casework import new_message_id
from bot.config import Config
from bot.deadlines import WorkingCalendar
from bot.reporting.digest_figures import (
    AckPerformance,
    CampaignLine,
    MemberFigures,
    UrgentLine,
    ack_performance,
    active_campaigns,
    cases_opened,
    count_contacts,
    member_figures,
    urgent_contacts,
)
from bot.reporting.figures import CASEWORK_CATEGORIES, Breach, respond_breaches, stale_breaches
from bot.reporting.stalls import StalledChannel, case_anchor, stalled_channels
from bot.reporting.trends import Trends, week_and_month
from bot.templating import overlay_env, template_env
from bot.words import add_filters, category_name
from handlers.labels import OutboxKind
from store.arrangements import reviews_due
from store.models import DigestRun, Outbox, utcnow

logger = logging.getLogger(__name__)
LIST_LIMIT = 50  # longest overdue/stale list printed; the totals always count every case


@dataclass(frozen=True)
class Trend:
    label: str
    current: float | None
    previous: float | None
    percent: bool = False

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 1)


@dataclass(frozen=True)
class Bar:
    """One row of the HTML bar chart: this period against the previous one, widths in % of the longest."""

    label: str
    current: int
    previous: int
    current_width: int
    previous_width: int


@dataclass(frozen=True)
class ReviewLine:
    """A contact arrangement whose review date has come."""

    reference: str | None
    caseworker: str
    review_on: date
    decided_by: str


@dataclass(frozen=True)
class Digest:
    for_date: date
    period_start: datetime
    period_end: datetime
    previous_start: datetime
    as_of: date
    by_category: dict[str, int]
    by_channel: dict[str, int]
    previous_by_category: dict[str, int]
    previous_by_channel: dict[str, int]
    cases_opened: int
    previous_cases_opened: int
    urgent: list[UrgentLine]
    previous_urgent: int
    overdue: list[Breach]
    stale: list[Breach]
    campaigns: list[CampaignLine]
    ack: AckPerformance
    previous_ack: AckPerformance
    acknowledge_days: int = 2
    topics: list[Trends] = field(default_factory=list)  # rising this week and this month
    members: MemberFigures = MemberFigures(0, 0, 0)
    reviews: tuple[ReviewLine, ...] = ()
    stalled: list[StalledChannel] = field(default_factory=list)

    @property
    def new_total(self) -> int:
        return sum(self.by_category.values())

    @property
    def previous_total(self) -> int:
        return sum(self.previous_by_category.values())

    @property
    def trends(self) -> list[Trend]:
        rows = [
            Trend("New contacts", self.new_total, self.previous_total),
            *(Trend(f"  {category_name(c)}", n, self.previous_by_category.get(c, 0))
              for c, n in self.by_category.items()),
            Trend("Urgent contacts", len(self.urgent), self.previous_urgent),
            Trend("Cases opened", self.cases_opened, self.previous_cases_opened),
            Trend(f"Acknowledged within {self.acknowledge_days} working days", self.ack.percent,
                  self.previous_ack.percent, True),
        ]
        return rows

    @property
    def chart(self) -> list[Bar]:
        top = max([1, *self.by_category.values(), *self.previous_by_category.values()])
        return [
            Bar(category_name(c), n, self.previous_by_category.get(c, 0), round(100 * n / top),
                round(100 * self.previous_by_category.get(c, 0) / top))
            for c, n in self.by_category.items()
        ]


def fmt_figure(value: float | None, percent: bool = False) -> str:
    """A count as "12", a share as "87.5%", a missing share as "n/a"."""
    if value is None:
        return "n/a"
    return f"{value:.1f}%" if percent else f"{value:g}"


def fmt_delta(trend: Trend) -> str:
    """The change against the previous period with its sign ("+3", "-2", "0", "+12.5 pts")."""
    delta = trend.delta
    if delta is None:
        return "n/a"
    text = "0" if delta == 0 else f"{delta:+g}"
    return f"{text} pts" if trend.percent and delta else text


def _previous_working_day(cal: WorkingCalendar, d: date) -> date:
    d -= timedelta(days=1)
    while not cal.is_working_day(d):
        d -= timedelta(days=1)
    return d


def digest_period(session: Session, cfg: Config, for_date: date, now: datetime) -> tuple[datetime, datetime]:
    """From the end of the last digest before `for_date` (else the digest time on the previous working
    day) to the digest time on `for_date`, or `now` if that is earlier."""
    cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
    end = min(now, datetime.combine(for_date, cfg.digest.time, tzinfo=cal.tz))
    last = session.scalar(
        select(DigestRun.period_end).where(DigestRun.for_date < for_date).order_by(DigestRun.for_date.desc())
    )
    start = last or datetime.combine(_previous_working_day(cal, for_date), cfg.digest.time, tzinfo=cal.tz)
    return min(start, end), end


def build_digest(session: Session, cfg: Config, for_date: date, now: datetime) -> Digest:
    """Compute every figure of the digest for `for_date`; `now` bounds the period and dates the lists."""
    cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
    start, end = digest_period(session, cfg, for_date, now)
    prev = start - (end - start)  # the previous period has the same length
    as_of = cal.local_date(end)
    cats, chans = count_contacts(session, start, end)
    pcats, pchans = count_contacts(session, prev, start)
    for c in CASEWORK_CATEGORIES:
        cats.setdefault(c, 0)
    for c in pcats:
        cats.setdefault(c, 0)  # a category seen only last time still gets a row
    for ch in pchans:
        chans.setdefault(ch, 0)
    order = [*CASEWORK_CATEGORIES, *sorted(set(cats) - set(CASEWORK_CATEGORIES))]
    return Digest(
        for_date=for_date, period_start=start, period_end=end, previous_start=prev, as_of=as_of,
        by_category={c: cats[c] for c in order},
        by_channel=dict(sorted(chans.items(), key=lambda kv: (-kv[1], kv[0]))),
        previous_by_category=pcats, previous_by_channel=pchans,
        cases_opened=cases_opened(session, start, end),
        previous_cases_opened=cases_opened(session, prev, start),
        urgent=urgent_contacts(session, cal, start, end),
        previous_urgent=len(urgent_contacts(session, cal, prev, start)),
        overdue=respond_breaches(session, cal, as_of),
        stale=stale_breaches(session, cal, as_of, cfg.sla.stale_days),
        campaigns=active_campaigns(session, start, end),
        ack=ack_performance(session, cal, start, end, as_of),
        previous_ack=ack_performance(session, cal, prev, start, as_of),
        acknowledge_days=cfg.sla.acknowledge_days,
        topics=week_and_month(session, cfg, end),
        members=member_figures(session, start, end, as_of),
        reviews=tuple(ReviewLine(ref, a.caseworker, a.review_on, a.decided_by)
                      for a, ref in reviews_due(session, as_of)),
        stalled=stalled_channels(session, start, end),
    )


def render_digest(digest: Digest, cfg: Config, env: Environment) -> tuple[str, str, str]:
    """Render (subject, text, html); the HTML is autoescaped whatever `env` says."""
    e = add_filters(overlay_env(env))
    tz = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region).tz
    subject = (
        f"Signpost digest {digest.for_date:%a %d %b %Y}: {digest.new_total} new, "
        f"{len(digest.urgent)} urgent, {len(digest.overdue)} overdue, {len(digest.stale)} stale"
    )
    ctx = {"d": digest, "cfg": cfg, "subject": subject, "limit": LIST_LIMIT, "fmt": fmt_figure,
           "signed": fmt_delta, "local": lambda at: at.astimezone(tz).strftime("%a %d %b %H:%M"),
           "link": cfg.web.case_url, "anchor": lambda ref: case_anchor(cfg, ref)}
    text = e.get_template("digest/digest.txt.j2").render(ctx)
    html = e.get_template("digest/digest.html.j2").render(ctx)
    return subject, text, html


def queue_digest(
    session: Session, cfg: Config, env: Environment, for_date: date, now: datetime, *, record: bool = True
) -> Digest:
    """Add one Outbox row per recipient and (if `record`) the DigestRun; the caller commits."""
    digest = build_digest(session, cfg, for_date, now)
    subject, text, html = render_digest(digest, cfg, env)
    for to in cfg.digest.recipients:
        session.add(Outbox(
            kind=OutboxKind.DIGEST.value, channel="email", to_address=to, subject=subject, text=text, html=html,
            headers={"Auto-Submitted": "auto-generated"}, message_id=new_message_id(cfg, "digest"),
            not_before=now, created_at=now, actor="signpost",
        ))
    if record:
        session.add(DigestRun(for_date=for_date, period_start=digest.period_start,
                              period_end=digest.period_end, sent_at=now))
    logger.info("digest %s: queued for %d recipient(s), %d new contacts",
                for_date, len(cfg.digest.recipients), digest.new_total)
    return digest


def add_digest_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `signpost digest`."""
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--send", action="store_true", help="queue the digest to cfg.digest.recipients")
    mode.add_argument("--print", action="store_true", help="print the plain-text digest")
    parser.add_argument("--html", action="store_true", help="with --print: print the HTML version")
    parser.add_argument("--date", type=date.fromisoformat, help="digest date YYYY-MM-DD (default: today)")
    parser.add_argument("--resend", action="store_true",
                        help="with --send: queue it again even if that day's digest already went")


def cmd_digest(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost digest --send|--print [--html] [--date D] [--resend]`."""
    now = utcnow()
    cal = WorkingCalendar(cfg.office.timezone, cfg.office.holiday_region)
    for_date = args.date or cal.local_date(now)
    env = template_env()
    with sessions() as s:
        if args.print:
            _, text, html = render_digest(build_digest(s, cfg, for_date, now), cfg, env)
            sys.stdout.write(html if args.html else text)
            return 0
        if not cfg.digest.recipients:
            print("digest.recipients is empty in the config: nobody to send to", file=sys.stderr)
            return 1
        done = s.scalar(select(DigestRun.sent_at).where(DigestRun.for_date == for_date))
        if done is not None and not args.resend:
            print(f"the digest for {for_date} was queued at {done:%Y-%m-%d %H:%M} UTC; "
                  "use --resend to send it again", file=sys.stderr)
            return 1
        queue_digest(s, cfg, env, for_date, now, record=done is None)
        s.commit()
    print(f"digest for {for_date} queued to {', '.join(cfg.digest.recipients)}")
    return 0


__all__ = ["Digest", "build_digest", "render_digest", "queue_digest", "add_digest_arguments", "cmd_digest",
           "digest_period"]
