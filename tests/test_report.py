"""The board report on a seeded year, every cell of both tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from seeding import Seeder, at, utc

from bot.reporting.report import (
    add_report_arguments,
    build_report,
    cmd_report,
    render_csv,
    render_html,
    render_markdown,
)
from bot.templating import template_env

FROM, TO, TODAY = date(2026, 4, 1), date(2027, 3, 31), date(2027, 4, 10)
MONTHS = ["Apr 2026", "May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026",
          "Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027"]


def seed(sessions: Any) -> None:
    with sessions() as s:
        sd = Seeder(s)
        # April: 18 working days to close (Easter skipped), 20 exactly (May Day skipped), 21.
        sd.case("R-01", at("2026-04-01 10:00"), status="closed", closed=at("2026-04-29 12:00"))
        sd.case("R-02", at("2026-04-02 10:00"), category="complaint", status="closed",
                closed=at("2026-05-05 16:00"))
        sd.case("R-03", at("2026-04-02 10:00"), category="foi", status="closed",
                closed=at("2026-05-06 09:00"))
        sd.case("R-04", at("2026-04-30 23:30"), category="complaint")  # 22:30 UTC: April
        sd.case("R-05", utc("2026-04-30 23:30"), status="in_progress")  # 00:30 BST on 1 May: May
        sd.case("R-13", utc("2026-03-31 23:30"))  # 00:30 BST on 1 April: in the report
        sd.case("R-00", at("2026-03-31 23:00"))  # March: before the report
        # May
        sd.case("R-06", at("2026-05-12 09:00"), category="campaign", status="monitoring",
                campaign=sd.campaign("Fictional petition"))
        sd.case("R-07", at("2026-05-20 09:00"), category="consultation")
        sd.case("R-X1", at("2026-05-20 09:00"), category="none")  # machine mail: not casework
        sd.case("R-X2", at("2026-05-21 09:00"), category=None)  # never classified: not counted
        # July: closed in 2 working days; a re-opened case keeps its old closed_at but is open.
        sd.case("R-08", at("2026-07-01 09:00"), category="officer_correspondence", status="closed",
                closed=at("2026-07-03 09:00"))
        sd.case("R-09", at("2026-07-06 09:00"), closed=at("2026-07-07 09:00"))
        # December: closed 19 working days later across Christmas, Boxing Day (observed), New Year.
        sd.case("R-10", at("2026-12-24 09:00"), category="complaint", status="closed",
                closed=at("2027-01-25 09:00"))
        # March 2027: 23:30 BST on the last day is in; 00:30 BST on 1 April 2027 is out.
        sd.case("R-11", at("2027-03-31 23:30"), category="foi")
        sd.case("R-12", at("2027-04-01 00:30"), category="foi")
        s.commit()


ZERO1 = ["0"] * 7
ZERO2 = ["0", "0", "0", "0", "0", "0", "-"]
EXPECTED_1 = {
    "Apr 2026": ["2", "2", "1", "0", "0", "0", "5"],
    "May 2026": ["1", "0", "0", "1", "0", "1", "3"],
    "Jul 2026": ["1", "0", "0", "0", "1", "0", "2"],
    "Dec 2026": ["0", "1", "0", "0", "0", "0", "1"],
    "Mar 2027": ["0", "0", "1", "0", "0", "0", "1"],
}
EXPECTED_2 = {  # open, in progress, monitoring, closed, total, closed within 20, share
    "Apr 2026": ["2", "0", "0", "3", "5", "2", "40.0%"],
    "May 2026": ["1", "1", "1", "0", "3", "0", "0.0%"],
    "Jul 2026": ["1", "0", "0", "1", "2", "1", "50.0%"],
    "Dec 2026": ["0", "0", "0", "1", "1", "1", "100.0%"],
    "Mar 2027": ["1", "0", "0", "0", "1", "0", "0.0%"],
}


def expected_tables() -> tuple[list[list[str]], list[list[str]]]:
    t1 = [[m, *EXPECTED_1.get(m, ZERO1)] for m in MONTHS]
    t1 += [["Total", "4", "3", "2", "1", "1", "1", "12"],
           # 3/12 = 0.25 rounds half up to 0.3; 2/12 = 0.17 -> 0.2; 1/12 -> 0.1
           ["Average per month", "0.3", "0.3", "0.2", "0.1", "0.1", "0.1", "1.0"]]
    t2 = [[m, *EXPECTED_2.get(m, ZERO2)] for m in MONTHS]
    t2 += [["Total", "5", "1", "1", "5", "12", "4", "33.3%"],
           ["Average per month", "0.4", "0.1", "0.1", "0.4", "1.0", "0.3", "33.3%"]]
    return t1, t2


def test_both_tables_cell_by_cell(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, TODAY)
    head1, rows1 = report.table1()
    head2, rows2 = report.table2()
    assert head1 == ["Month", "correspondence", "complaint", "foi", "campaign", "officer_correspondence",
                     "consultation", "total"]
    assert head2 == ["Month logged", "open", "in progress", "monitoring", "closed", "total",
                     "closed within 20 working days", "% closed within 20 working days"]
    t1, t2 = expected_tables()
    assert rows1 == t1
    assert rows2 == t2


def test_months_after_today_are_left_out_of_rows_and_averages(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, date(2026, 5, 31))
    _, rows = report.table1()
    assert [r[0] for r in rows] == ["Apr 2026", "May 2026", "Total", "Average per month"]
    assert rows[-1] == ["Average per month", "1.5", "1.0", "0.5", "0.5", "0.0", "0.5", "4.0"]


def test_markdown_csv_and_html(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg(**{"office.name": "Office <of> the PCC & Co"})
    with db_sessions() as s:
        report = build_report(s, cfg, FROM, TO, TODAY)
    t1, t2 = expected_tables()
    md = render_markdown(report)
    assert ("| Month | correspondence | complaint | foi | campaign | officer_correspondence | consultation"
            " | total |") in md
    assert "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" in md
    assert "| Apr 2026 | 2 | 0 | 0 | 3 | 5 | 2 | 40.0% |" in md
    assert "| Average per month | 0.3 | 0.3 | 0.2 | 0.1 | 0.1 | 0.1 | 1.0 |" in md
    block1, block2 = render_csv(report).split("\n\n")
    rows1 = list(csv.reader(io.StringIO(block1)))
    rows2 = list(csv.reader(io.StringIO(block2)))
    assert rows1[0][0] == "Cases logged by category" and rows1[1:] == t1
    assert rows2[0][0] == "Status by month logged" and rows2[1:] == t2
    html = render_html(report, template_env())
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "Office &lt;of&gt; the PCC &amp; Co" in html and "<of>" not in html
    assert html.count("<table>") == 2 and html.count('<tr class="total">') == 2
    cells = "".join(f'<td class="num">{c}</td>' for c in ["0", "0", "0", "1", "1", "1", "100.0%"])
    assert f'<th scope="row">Dec 2026</th>{cells}' in html


def test_cmd_report_writes_a_file(db_sessions: Any, make_cfg: Any, tmp_path: Path) -> None:
    seed(db_sessions)
    parser = argparse.ArgumentParser()
    add_report_arguments(parser)
    out = tmp_path / "board.csv"
    args = parser.parse_args(["--from", "2026-04-01", "--to", "2027-03-31", "--format", "csv",
                              "--output", str(out)])
    assert cmd_report(args, make_cfg(), db_sessions) == 0
    assert out.read_text().startswith("Cases logged by category,correspondence,")
    bad = parser.parse_args(["--from", "2027-04-01", "--to", "2026-03-31"])
    assert cmd_report(bad, make_cfg(), db_sessions) == 2
