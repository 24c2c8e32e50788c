"""The daily digest on a seeded store, figure by figure, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from seeding import Seeder, at
from sqlalchemy import select

from bot.reporting.digest import add_digest_arguments, build_digest, cmd_digest, queue_digest, render_digest
from bot.templating import template_env
from store.models import DigestRun, Outbox

NOW = at("2026-11-24 09:30")  # Tuesday; November is GMT, so office time = UTC
FOR = date(2026, 11, 24)
NASTY = "<script>alert(1)</script> help now"


def seed(sessions: Any) -> None:
    """Last digest ended Mon 23 Nov 08:05, so this one covers Mon 08:05 to Tue 08:00."""
    with sessions() as s:
        sd = Seeder(s)
        s.add(DigestRun(for_date=date(2026, 11, 23), period_start=at("2026-11-20 08:00"),
                        period_end=at("2026-11-23 08:05"), sent_at=at("2026-11-23 08:05")))
        # -- this period --
        a = sd.case("T-A", at("2026-11-23 09:00"), acknowledged=at("2026-11-23 09:01"))
        sd.contact(a, at("2026-11-23 09:00"))
        b = sd.case("T-B", at("2026-11-23 10:00"), category="complaint", urgent=True, owner="alice",
                    status="in_progress", acknowledged=at("2026-11-23 10:01"))
        cb = sd.contact(b, at("2026-11-23 10:00"), urgent=True)
        sd.outbox(b, cb, "alert", "sent", at("2026-11-23 10:00"))
        sd.outbox(b, cb, "ack", "sent", at("2026-11-23 10:00"))
        c = sd.case("T-C", at("2026-11-23 11:00"), category="foi", acknowledged=at("2026-11-24 07:00"))
        sd.contact(c, at("2026-11-23 11:00"), channel="telegram")
        d = sd.case("T-D", at("2026-11-23 23:00"), category="complaint", urgent=True, subject=NASTY)
        cd = sd.contact(d, at("2026-11-23 23:00"), channel="telegram", urgent=True, subject=NASTY)
        sd.outbox(d, cd, "alert", "pending", at("2026-11-23 23:00"))
        k = sd.case("T-K", at("2026-11-22 09:00"), category="campaign", acknowledge_by="2026-11-23",
                    campaign=sd.campaign("Save the <b>station</b>"))
        sd.contact(k, at("2026-11-22 09:00"), sender="first@example.net")  # previous period
        sd.contact(k, at("2026-11-23 12:00"), sender="second@example.net")
        sd.contact(k, at("2026-11-23 13:00"), sender="third@example.net")
        sd.contact(k, at("2026-11-23 14:00"), sender="FIRST@example.net")  # the same participant again
        sd.contact(None, at("2026-11-23 14:30"), machine=True, category="none")  # a bounce
        start = sd.case("T-S", at("2026-11-23 15:00"), category="none")  # a bare /start
        sd.contact(start, at("2026-11-23 15:00"), channel="telegram")
        sd.contact(a, at("2026-11-23 16:00"), inbound=False)  # our reply is not a new contact
        sd.contact(a, at("2026-11-24 08:00"))  # on the boundary: next digest
        # -- previous period (Sun 08:10 to Mon 08:05) --
        p1 = sd.case("T-P1", at("2026-11-22 20:00"), acknowledged=at("2026-11-22 20:01"))
        sd.contact(p1, at("2026-11-22 20:00"))
        e = sd.case("T-E", at("2026-11-22 21:00"), category="complaint", urgent=True,
                    acknowledge_by="2026-11-23", acknowledged=at("2026-11-24 07:00"))
        sd.contact(e, at("2026-11-22 21:00"), channel="telegram", urgent=True)
        # -- older casework: overdue and stale --
        o1 = sd.case("T-O1", at("2026-10-26 09:00"), owner="bob", last_action=at("2026-11-10 12:00"),
                     acknowledged=at("2026-10-26 09:00"))
        sd.contact(o1, at("2026-11-23 08:00"))  # a follow-up just before the period: previous period
        sd.case("T-O2", at("2026-11-05 09:00"), last_action=at("2026-11-17 12:00"),
                acknowledged=at("2026-11-05 09:00"))
        sd.case("T-O3", at("2026-10-01 09:00"), status="closed", closed=at("2026-10-20 09:00"))
        sd.case("T-O4", at("2026-10-19 09:00"), responded=at("2026-11-02 09:00"), status="monitoring",
                last_action=at("2026-11-02 09:00"), owner="carol")
        sd.case("T-O5", at("2026-11-18 09:00"), last_action=at("2026-11-18 10:00"))  # 4 days idle: not stale
        sd.case("T-L", at("2026-09-01 09:00"), category="campaign", status="closed",
                closed=at("2026-10-01 09:00"), campaign=sd.campaign("Closed petition"))
        m = sd.case("T-M", at("2026-11-02 09:00"), category="campaign", campaign=sd.campaign("Bus lanes"),
                    responded=at("2026-11-03 09:00"), last_action=at("2026-11-20 09:00"))
        sd.contact(m, at("2026-11-02 09:00"))
        s.commit()


def test_digest_figures(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg()
    with db_sessions() as s:
        d = build_digest(s, cfg, FOR, NOW)
    assert (d.period_start, d.period_end) == (at("2026-11-23 08:05"), at("2026-11-24 08:00"))
    assert d.previous_start == at("2026-11-22 08:10")
    assert d.by_category == {"correspondence": 1, "complaint": 2, "foi": 1, "campaign": 3,
                             "officer_correspondence": 0, "consultation": 0}
    assert d.by_channel == {"email": 5, "telegram": 2}
    assert d.new_total == 7
    assert d.previous_by_category == {"correspondence": 2, "complaint": 1, "campaign": 1}
    assert d.previous_by_channel == {"email": 3, "telegram": 1}
    assert (d.cases_opened, d.previous_cases_opened) == (4, 3)
    assert [(u.reference, u.channel, u.alert, u.reply, u.status, u.owner) for u in d.urgent] == [
        ("T-B", "email", "sent", "sent", "in_progress", "alice"),
        ("T-D", "telegram", "pending", "none", "open", None),
    ]
    assert d.previous_urgent == 1
    assert [(b.reference, b.owner, b.deadline, b.days) for b in d.overdue] == [
        ("T-O1", "bob", date(2026, 11, 9), 11),
        ("T-O2", None, date(2026, 11, 19), 3),
    ]
    assert [(b.reference, b.owner, b.days) for b in d.stale] == [
        ("T-O4", "carol", 16), ("T-O1", "bob", 10), ("T-O2", None, 5),
    ]
    assert [(c.title, c.reference, c.size, c.new, c.status) for c in d.campaigns] == [
        ("Save the <b>station</b>", "T-K", 3, 2, "open"),
        ("Bus lanes", "T-M", 1, 0, "open"),
    ]
    # This period: A, B, C acknowledged on time, D not yet due (by Wed 25th).
    assert (d.ack.on_time, d.ack.late, d.ack.missed, d.ack.pending, d.ack.percent) == (3, 0, 0, 1, 100.0)
    # Previous: P1 on time, E late, K (due Mon 23rd) never acknowledged.
    pa = d.previous_ack
    assert (pa.on_time, pa.late, pa.missed, pa.pending, pa.percent) == (1, 1, 1, 0, 33.3)
    trends = {t.label.strip(): (t.current, t.previous, t.delta) for t in d.trends}
    assert trends == {
        "New contacts": (7, 4, 3), "Correspondence": (1, 2, -1), "Complaint": (2, 1, 1),
        "Freedom of Information": (1, 0, 1), "Campaign": (3, 1, 2), "Officer correspondence": (0, 0, 0),
        "Consultation": (0, 0, 0),
        "Urgent contacts": (2, 1, 1), "Cases opened": (4, 3, 1),
        "Acknowledged within 2 working days": (100.0, 33.3, 66.7),
    }
    assert [(b.label, b.current, b.previous, b.current_width, b.previous_width) for b in d.chart] == [
        ("Correspondence", 1, 2, 33, 67), ("Complaint", 2, 1, 67, 33), ("Freedom of Information", 1, 0, 33, 0),
        ("Campaign", 3, 1, 100, 33), ("Officer correspondence", 0, 0, 0, 0), ("Consultation", 0, 0, 0, 0),
    ]


def test_rendered_digest_has_chart_and_escapes_user_text(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg()
    with db_sessions() as s:
        subject, text, html = render_digest(build_digest(s, cfg, FOR, NOW), cfg, template_env())
    assert subject == "Signpost digest Tue 24 Nov 2026: 7 new, 2 urgent, 2 overdue, 3 stale"
    assert NASTY in text  # the plain-text part is not HTML
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; help now" in html
    assert "Save the &lt;b&gt;station&lt;/b&gt;" in html
    assert 'id="chart"' in html and '<td class="bar" width="100%" bgcolor="#1d70b8"' in html
    assert html.count('class="bar"') == 4 and html.count('class="bar-previous"') == 3
    assert "<img" not in html and "<style" not in html and "javascript" not in html.lower()
    assert "ACKNOWLEDGEMENT: 100.0% of 3 case(s)" in text
    assert "T-O1               due 2026-11-09, 11 working day(s) overdue, owner bob" in text
    assert "Acknowledged within 2 working days" in text and "+66.7 pts" in text


def test_queue_digest_writes_one_mail_per_recipient_and_the_run(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg(**{"digest.recipients": ["boss@example.org", "deputy@example.org"]})
    with db_sessions() as s:
        queue_digest(s, cfg, template_env(), FOR, NOW)
        s.commit()
    with db_sessions() as s:
        rows = s.scalars(select(Outbox).where(Outbox.kind == "digest").order_by(Outbox.to_address)).all()
        run = s.scalar(select(DigestRun).where(DigestRun.for_date == FOR))
    assert [(r.to_address, r.channel, r.status.value) for r in rows] == [
        ("boss@example.org", "email", "pending"), ("deputy@example.org", "email", "pending")]
    assert all(r.html and "id=\"chart\"" in r.html and "NEW CONTACTS: 7" in r.text for r in rows)
    assert run is not None
    assert (run.period_start, run.period_end) == (at("2026-11-23 08:05"), at("2026-11-24 08:00"))


def test_cli_print_and_send(db_sessions: Any, make_cfg: Any, capsys: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg(**{"digest.recipients": ["boss@example.org"]})
    parser = argparse.ArgumentParser()
    add_digest_arguments(parser)
    assert cmd_digest(parser.parse_args(["--print", "--date", "2026-11-24"]), cfg, db_sessions) == 0
    assert "Signpost digest Tue 24 Nov 2026" in capsys.readouterr().out
    assert cmd_digest(parser.parse_args(["--print", "--html", "--date", "2026-11-24"]), cfg, db_sessions) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    send = parser.parse_args(["--send", "--date", "2026-11-24"])
    assert cmd_digest(send, cfg, db_sessions) == 0
    assert cmd_digest(send, cfg, db_sessions) == 1  # already queued for that day
    resend = parser.parse_args(["--send", "--resend", "--date", "2026-11-24"])
    assert cmd_digest(resend, cfg, db_sessions) == 0
    with db_sessions() as s:
        assert len(s.scalars(select(Outbox).where(Outbox.kind == "digest")).all()) == 2
        assert len(s.scalars(select(DigestRun)).all()) == 2  # the seeded one and today's
