"""The board report on a seeded year, every cell of both tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from seeding import Seeder, at, utc
from sqlalchemy import select

from bot.reporting.report import (
    add_report_arguments,
    build_report,
    cmd_report,
    render,
    render_csv,
    render_html,
    render_markdown,
)
from bot.templating import template_env
from store.models import Case, Event

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
ZERO2 = ["0", "0", "0", "0", "0", "0", "n/a", "0"]
EXPECTED_1 = {
    "Apr 2026": ["2", "2", "1", "0", "0", "0", "5"],
    "May 2026": ["1", "0", "0", "1", "0", "1", "3"],
    "Jul 2026": ["1", "0", "0", "0", "1", "0", "2"],
    "Dec 2026": ["0", "1", "0", "0", "0", "0", "1"],
    "Mar 2027": ["0", "0", "1", "0", "0", "0", "1"],
}
# open, in progress, monitoring, closed, total, closed within 20, share of the closed, still open after 20
EXPECTED_2 = {
    "Apr 2026": ["2", "0", "0", "3", "5", "2", "66.7%", "2"],  # R-03 closed in 21 days; open
    "May 2026": ["1", "1", "1", "0", "3", "0", "n/a", "3"],  # none closed: nothing to measure
    "Jul 2026": ["1", "0", "0", "1", "2", "1", "100.0%", "1"],
    "Dec 2026": ["0", "0", "0", "1", "1", "1", "100.0%", "0"],
    "Mar 2027": ["1", "0", "0", "0", "1", "0", "n/a", "0"],  # not yet due on 10 April
}
HEAD1 = ["Month", "Correspondence", "Complaint", "Freedom of Information", "Campaign", "Officer correspondence",
         "Consultation", "Total"]
HEAD2 = ["Month logged", "Open", "In progress", "Monitoring", "Closed", "Total", "Closed within 20 working days",
         "% of closed cases closed within 20 working days", "Still open after 20 working days"]


def expected_tables() -> tuple[list[list[str]], list[list[str]]]:
    t1 = [[m, *EXPECTED_1.get(m, ZERO1)] for m in MONTHS]
    t1 += [["Total", "4", "3", "2", "1", "1", "1", "12"],
           # 3/12 = 0.25 rounds half up to 0.3; 2/12 = 0.17 -> 0.2; 1/12 -> 0.1
           ["Average per month", "0.3", "0.3", "0.2", "0.1", "0.1", "0.1", "1.0"]]
    t2 = [[m, *EXPECTED_2.get(m, ZERO2)] for m in MONTHS]
    # Total: 4 of the 5 closed in time. Average: the mean of the monthly shares (66.7, 100, 100).
    t2 += [["Total", "5", "1", "1", "5", "12", "4", "80.0%", "6"],
           ["Average per month", "0.4", "0.1", "0.1", "0.4", "1.0", "0.3", "88.9%", "0.5"]]
    return t1, t2


def test_both_tables_cell_by_cell(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, TODAY)
    t1, t2 = expected_tables()
    assert list(report.table1().head) == HEAD1 and report.table1().text_rows() == t1
    assert list(report.table2().head) == HEAD2 and report.table2().text_rows() == t2


def seed_office_month(sessions: Any) -> None:
    """March 2027 as in the office's published table: 77 logged, 34 closed, all in time, 43 still within
    their 20 working days; one merged shell that is not a case; April 2027 with nothing closed yet."""
    with sessions() as s:
        sd = Seeder(s)
        for i in range(77):
            opened = at(f"2027-03-{15 + i % 17:02d} 10:00")
            closed = i < 34
            sd.case(f"M-{i:03d}", opened, category=("complaint" if i % 7 == 0 else "correspondence"),
                    status="closed" if closed else ("in_progress" if i % 2 else "open"),
                    closed=at(f"2027-04-0{1 + i % 8} 12:00") if closed else None)
        into = {c.reference: c.id for c in s.scalars(select(Case).where(Case.reference.in_(["M-000", "M-001"])))}
        shell = sd.case("M-SHELL", at("2027-03-16 10:00"), status="closed", closed=at("2027-03-17 10:00"))
        shell.merged_into_id = into["M-000"]  # as store.actions.merge leaves it
        s.add(Event(at=at("2027-03-17 10:00"), case_id=shell.id, actor="asha", kind="merged_into",
                    detail={"into": "M-000"}))
        campaign_shell = sd.case("M-CSHELL", at("2027-03-18 10:00"), status="closed", closed=at("2027-03-18 11:00"))
        campaign_shell.merged_into_id = into["M-001"]  # as bot/place.py leaves a case emptied into a campaign
        s.add(Event(at=at("2027-03-18 11:00"), case_id=campaign_shell.id, actor="signpost", kind="merged",
                    detail={"into": "M-001", "reason": "campaign"}))
        for i in range(5):
            sd.case(f"A-{i}", at(f"2027-04-0{1 + i} 10:00"), category="foi")
        s.commit()


def test_office_definition_34_closed_of_77_all_in_time_is_100_percent(db_sessions: Any, make_cfg: Any) -> None:
    seed_office_month(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), date(2027, 3, 1), date(2027, 4, 30), date(2027, 4, 9))
    rows = {r[0]: r[1:] for r in report.table2().text_rows()}
    # 43 not closed: 22 open (even i >= 34) and 21 in progress; none is past its 20 working days yet.
    assert rows["Mar 2027"] == ["22", "21", "0", "34", "77", "34", "100.0%", "0"]
    assert rows["Apr 2027"] == ["5", "0", "0", "0", "5", "0", "n/a", "0"]
    assert rows["Total"] == ["27", "21", "0", "34", "82", "34", "100.0%", "0"]
    assert rows["Average per month"] == ["13.5", "10.5", "0.0", "17.0", "41.0", "17.0", "100.0%", "0.0"]
    cats = {r[0]: r[1:] for r in report.table1().text_rows()}
    assert cats["Mar 2027"] == ["66", "11", "0", "0", "0", "0", "77"]  # the shells are not counted
    assert cats["Apr 2027"] == ["0", "0", "5", "0", "0", "0", "5"]


def test_months_after_today_are_left_out_of_rows_and_averages(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, date(2026, 5, 31))
    rows = report.table1().text_rows()
    assert [r[0] for r in rows] == ["Apr 2026", "May 2026", "Total", "Average per month"]
    assert rows[-1] == ["Average per month", "1.5", "1.0", "0.5", "0.5", "0.0", "0.5", "4.0"]


def test_markdown_with_a_chart_per_table(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, TODAY)
    md = render_markdown(report)
    assert "| " + " | ".join(HEAD1) + " |" in md
    assert "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" in md
    assert "| Apr 2026 | 2 | 0 | 0 | 3 | 5 | 2 | 66.7% | 2 |" in md
    assert "| Average per month | 0.3 | 0.3 | 0.2 | 0.1 | 0.1 | 0.1 | 1.0 |" in md
    assert md.count("```mermaid\nxychart-beta") == 2
    assert "    bar [5, 3, 0, 2, 0, 0, 0, 0, 1, 0, 0, 1]" in md  # cases logged per month
    assert "line 3: Freedom of Information" in md


def test_csv_has_a_bom_and_months_excel_keeps_as_text(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, TODAY)
    text = render_csv(report)
    assert text.startswith("\ufeffCases logged by category,Correspondence,")
    block1, block2 = text.removeprefix("\ufeff").split("\r\n\r\n")
    rows1 = list(csv.reader(io.StringIO(block1)))
    rows2 = list(csv.reader(io.StringIO(block2)))
    t1, t2 = expected_tables()
    as_text = [[f'="{r[0]}"' if r[0].endswith(("2026", "2027")) else r[0], *r[1:]] for r in t1]
    assert rows1[0][0] == "Cases logged by category" and rows1[1:] == as_text
    assert rows2[0] == ["Status by month logged", *HEAD2[1:]]
    assert rows2[1] == ['="Apr 2026"', *EXPECTED_2["Apr 2026"]] and rows2[-2][0] == "Total"


def test_html_is_escaped_prints_well_and_draws_both_charts(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    cfg = make_cfg(**{"office.name": "Office <of> the PCC & Co"})
    with db_sessions() as s:
        report = build_report(s, cfg, FROM, TO, TODAY)
    html = render_html(report, template_env())
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "Office &lt;of&gt; the PCC &amp; Co" in html and "<of>" not in html
    assert html.count("<table>") == 2 and html.count('<tr class="total">') == 2
    assert html.count("<svg") == 2 and "Apr 2026, Correspondence: 2</title>" in html
    assert "@page { size: A4 landscape" in html and "thead { display: table-header-group; }" in html
    cells = "".join(f'<td class="num">{c}</td>' for c in ["0", "0", "0", "1", "1", "1", "100.0%", "0"])
    assert f'<th scope="row">Dec 2026</th>{cells}' in html


def test_xlsx_opens_in_openpyxl_with_typed_cells_and_a_chart_per_table(db_sessions: Any, make_cfg: Any) -> None:
    from openpyxl import load_workbook

    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, TODAY)
    out = render(report, "xlsx", template_env())
    assert out.filename == "board-report-2026-04-01-2027-03-31.xlsx"
    wb = load_workbook(io.BytesIO(out.body))
    assert wb.sheetnames == ["Cases by category", "Status by month"]
    cats, status = wb["Cases by category"], wb["Status by month"]
    assert [c.value for c in cats[4]] == HEAD1
    assert [c.value for c in cats[5]] == ["Apr 2026", 2, 2, 1, 0, 0, 0, 5]  # the month stays text
    assert cats.cell(row=18, column=1).value == "Average per month" and cats.cell(row=18, column=2).value == 0.3
    apr = [c.value for c in status[5]]
    assert apr[:7] == ["Apr 2026", 2, 0, 0, 3, 5, 2] and abs(apr[7] - 0.667) < 1e-9 and apr[8] == 2
    assert status.cell(row=5, column=8).number_format == "0.0%"
    assert status.cell(row=6, column=8).value == "n/a"  # May: nothing closed
    for ws in (cats, status):
        charts = ws._charts
        assert len(charts) == 1 and charts[0].grouping == "stacked"
    assert len(status._charts[0].series) == 3


def test_pdf_is_printed_from_the_html_page(db_sessions: Any, make_cfg: Any) -> None:
    seed(db_sessions)
    with db_sessions() as s:
        report = build_report(s, make_cfg(), FROM, TO, TODAY)
    out = render(report, "pdf", template_env())
    assert out.media_type == "application/pdf" and out.body.startswith(b"%PDF-") and len(out.body) > 10_000
    from weasyprint import HTML

    pages = HTML(string=render_html(report, template_env())).render().pages
    assert len(pages) == 2  # one table and its chart per page
    assert round(pages[0].width * 0.2646) == 297 and round(pages[0].height * 0.2646) == 210  # A4 landscape, mm


def test_cmd_report_writes_a_file(db_sessions: Any, make_cfg: Any, tmp_path: Path) -> None:
    seed(db_sessions)
    parser = argparse.ArgumentParser()
    add_report_arguments(parser)
    out = tmp_path / "board.csv"
    args = parser.parse_args(["--from", "2026-04-01", "--to", "2027-03-31", "--format", "csv",
                              "--output", str(out)])
    assert cmd_report(args, make_cfg(), db_sessions) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Cases logged by category,Correspondence,")
    book = tmp_path / "board.xlsx"
    args = parser.parse_args(["--from", "2026-04-01", "--to", "2027-03-31", "--format", "xlsx",
                              "--output", str(book)])
    assert cmd_report(args, make_cfg(), db_sessions) == 0 and book.read_bytes()[:2] == b"PK"
    bad = parser.parse_args(["--from", "2027-04-01", "--to", "2026-03-31"])
    assert cmd_report(bad, make_cfg(), db_sessions) == 2
