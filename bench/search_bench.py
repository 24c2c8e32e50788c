"""Case-list filters, full-text search, exports and the board report with a large store.

Seeds N fictional cases (two contacts each, Zipf-distributed words, tags on a fifth), then prints
the median time of each filter (count plus the first page of 50, as the list page runs them), of
the exports and of the board report in every format.

Usage: .venv/bin/python bench/search_bench.py [--cases 100000] [--db URL]
(default: a temporary SQLite file; PostgreSQL: --db postgresql+psycopg://postgres@127.0.0.1:5432/test,
which runs in a fresh schema dropped afterwards).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchstore import bench_engine  # noqa: E402

from bot.config import CATEGORIES, load_config  # noqa: E402
from bot.reporting.report import FORMATS, build_report, render  # noqa: E402
from bot.reporting.trends import build_trends  # noqa: E402
from bot.templating import template_env  # noqa: E402
from store import casefilter  # noqa: E402
from store.casefilter import NOBODY, CaseFilter  # noqa: E402
from store.db import make_sessionmaker  # noqa: E402
from store.models import Case, CaseStatus, CaseTag, Contact, Identity, Person  # noqa: E402

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
COMMON = ("the", "police", "my", "street", "car", "night", "help", "report", "house", "people", "road", "told",
          "officer", "month", "again", "children", "school", "neighbour", "noise", "parking", "week", "area")
TOPICS = ("burglary", "speeding", "scooter", "drugs", "knife", "fraud", "vandalism", "graffiti", "shoplifting",
          "harassment", "dogs", "fireworks", "bikes", "cameras", "lighting", "patrols", "bus", "station", "park",
          "precept", "complaint", "delay", "phone", "answer", "camera", "litter", "racing", "theft", "van", "alley")
RARE = [f"{a}{b}" for a in ("quar", "bel", "tor", "wen", "mar", "hol", "sti", "dun") for b in
        ("ridge", "wick", "ford", "ham", "ley", "combe", "thorpe", "stead", "worth", "by")]  # 80 rare place names
TAGS = [("theme", t) for t in ("speeding", "drugs", "anti-social behaviour", "fraud", "knife crime")] + [
    ("ward", w) for w in ("Netherby", "Kingsmere", "Otterford", "Penbridge", "Harlow Down")]


def _words(rnd: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        r = rnd.random()
        out.append(rnd.choice(COMMON) if r < 0.6 else rnd.choice(TOPICS) if r < 0.97 else rnd.choice(RARE))
    return " ".join(out)


def seed(sessions: Any, n: int) -> None:
    rnd = random.Random(12)
    people = max(1, n // 3)
    with sessions() as s:
        s.execute(insert(Person), [{"id": i, "name": f"Person{i} Example", "name_key": f"person{i} example",
                                    "created_at": NOW} for i in range(1, people + 1)])
        s.execute(insert(Identity), [{"person_id": i, "kind": "email", "value": f"person{i}@example.org",
                                      "unreachable": False, "created_at": NOW} for i in range(1, people + 1)])
        for start in range(1, n + 1, 5000):
            cases, contacts, tags = [], [], []
            for i in range(start, min(n, start + 4999) + 1):
                opened = NOW - timedelta(minutes=rnd.randint(0, 540 * 24 * 60))
                is_open = (NOW - opened).days < 40 and rnd.random() < 0.6
                status = rnd.choice(("open", "in_progress", "monitoring")) if is_open else "closed"
                subject = _words(rnd, 6)
                person = rnd.randint(1, people)
                cases.append({
                    "id": i, "reference": f"MID-{opened.year}-{i:05d}", "person_id": person,
                    "status": status, "category": rnd.choice(CATEGORIES[:-1]), "agency": "opcc",
                    "urgent": rnd.random() < 0.01, "channel": rnd.choice(("email", "email", "email", "telegram")),
                    "subject": subject, "assigned_to": rnd.choice((None, "asha", "ben", "cai")), "opened_at": opened,
                    "acknowledge_by": (opened + timedelta(days=2)).date(),
                    "respond_by": (opened + timedelta(days=14)).date(), "last_action_at": opened,
                    "closed_at": None if is_open else opened + timedelta(days=rnd.randint(1, 40)),
                    "unreachable": False})
                for k in range(2):
                    contacts.append({"case_id": i, "person_id": person, "direction": "inbound" if k == 0 else "out",
                                     "channel": "email", "subject": subject, "body": _words(rnd, 120),
                                     "sender_name": f"Person{person} Example", "quoted": "",
                                     "at": opened + timedelta(days=k), "machine": False,
                                     "message_id": f"<{uuid.uuid4().hex}@example.org>"})
                if rnd.random() < 0.2:
                    kind, name = rnd.choice(TAGS)
                    tags.append({"case_id": i, "kind": kind, "name": name, "source": "rule", "added_by": "bench",
                                 "added_at": opened})
            s.execute(insert(Case), cases)
            s.execute(insert(Contact), contacts)
            if tags:
                s.execute(insert(CaseTag), tags)
        s.commit()


def median_ms(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000, result


FILTERS: list[tuple[str, CaseFilter]] = [
    ("no filter", CaseFilter()),
    ("open statuses", CaseFilter(statuses=(CaseStatus.open, CaseStatus.in_progress, CaseStatus.monitoring))),
    ("complaint + closed + asha", CaseFilter(categories=("complaint",), statuses=(CaseStatus.closed,),
                                             assignee="asha")),
    ("unassigned + telegram", CaseFilter(assignee=NOBODY, channels=("telegram",))),
    ("opened in one month", CaseFilter(opened_from=datetime(2026, 3, 1, tzinfo=UTC),
                                       opened_before=datetime(2026, 4, 1, tzinfo=UTC))),
    ("urgent", CaseFilter(urgent=True)),
    ("tag ward:Netherby", CaseFilter(tags=("ward:Netherby",))),
    ("email address", CaseFilter(text="person123@example.org")),
    ("text, rare word", CaseFilter(text="quarridge")),
    ("text, two rare words", CaseFilter(text="quarridge belwick")),
    ("text, topic word", CaseFilter(text="scooter")),
    ("text, common word", CaseFilter(text="police")),
    ("text + open + category", CaseFilter(text="scooter", statuses=(CaseStatus.open,), categories=("complaint",))),
    ("text, newest first", CaseFilter(text="burglary fireworks", sort="newest")),
]


def run(sessions: Any, n: int) -> None:
    cfg = load_config()
    with sessions() as s:
        ref = s.scalar(select(Case.reference).where(Case.id == n // 2)) or "MID-2026-00001"
        prefix, year, number = ref.split("-")
        short = f"{prefix.lower()}-{year}-{int(number)}"  # as a caseworker types it
        for name, f in [*FILTERS, (f"reference {short}", CaseFilter(text=short))]:
            ms_count, total = median_ms(lambda f=f: casefilter.count(s, f, prefix="MID"))
            ms_page, _ = median_ms(lambda f=f: casefilter.page(s, f, limit=50, prefix="MID"))
            print(f"{ms_count + ms_page:8.1f} ms  {name:<28} ({total} cases; count {ms_count:.1f} ms, "
                  f"page {ms_page:.1f} ms)")
    from bot.reporting.xlsx import rows_workbook
    from bot.web.cases import EXPORT_HEAD, _export_rows

    for name, f in (("export csv, one month", FILTERS[4][1]), ("export xlsx, one month", FILTERS[4][1]),
                    ("export xlsx, every case", CaseFilter())):
        def export(f: CaseFilter = f, name: str = name) -> int:
            with sessions() as s:
                rows = list(_export_rows(s, f, cfg))
                return len(rows_workbook("Cases", EXPORT_HEAD, rows)) if "xlsx" in name else len(rows)
        ms, size = median_ms(export, runs=1)
        print(f"{ms:8.1f} ms  {name} ({size})")
    with sessions() as s:
        ms, report = median_ms(lambda: build_report(s, cfg, date(2025, 4, 1), date(2026, 3, 31), NOW.date()), 3)
    print(f"{ms:8.1f} ms  board report figures, a year of about {n * 365 // 540} cases")
    for fmt in FORMATS:
        ms, out = median_ms(lambda fmt=fmt: render(report, fmt, template_env()), 3)
        print(f"{ms:8.1f} ms  board report as {fmt} ({len(out.body)} bytes)")
    with sessions() as s:
        for days, label in ((7, "week"), (28, "month")):
            ms, tr = median_ms(lambda days=days, label=label: build_trends(s, cfg, NOW, days, label), 1)
            print(f"{ms:8.1f} ms  trends, this {label} ({tr.cases_now} cases against {tr.cases_before}; "
                  f"{len(tr.topics)} topics)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--db", default="")
    args = ap.parse_args()
    with bench_engine(args.db) as engine:
        sessions = make_sessionmaker(engine)
        t = time.perf_counter()
        seed(sessions, args.cases)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        print(f"seeded {args.cases} cases, {2 * args.cases} contacts in {time.perf_counter() - t:.1f}s "
              f"({engine.dialect.name})")
        run(sessions, args.cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
