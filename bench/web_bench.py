"""Dashboard speed with a large store: seed N fictional cases, then time the pages a caseworker uses.

Usage: .venv/bin/python bench/web_bench.py [--cases 100000] [--db URL]
(default: a temporary SQLite file; PostgreSQL: --db postgresql+psycopg://postgres@127.0.0.1:5432/test,
which runs in a fresh schema dropped afterwards).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchstore import bench_engine  # noqa: E402

from bot.config import CATEGORIES, load_config  # noqa: E402
from bot.users import add_user  # noqa: E402
from bot.web.app import create_app  # noqa: E402
from store.db import make_sessionmaker  # noqa: E402
from store.models import Case, Contact, Identity, Person, Role  # noqa: E402

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
WORDS = ("speeding", "burglary", "neighbour", "parking", "noise", "drugs", "patrols", "lights", "fraud",
         "complaint", "officer", "station", "precept", "village", "bus", "school", "bridge", "scam")


def seed(sessions: Any, n: int) -> None:
    rnd = random.Random(7)
    people = max(1, n // 3)
    with sessions() as s:
        s.execute(insert(Person), [{"id": i, "name": f"Person {i} Example", "name_key": f"person {i} example",
                                    "created_at": NOW} for i in range(1, people + 1)])
        s.execute(insert(Identity), [{"person_id": i, "kind": "email", "value": f"person{i}@example.org",
                                      "unreachable": False, "created_at": NOW} for i in range(1, people + 1)])
        for start in range(1, n + 1, 10000):
            cases, contacts = [], []
            for i in range(start, min(n, start + 9999) + 1):
                opened = NOW - timedelta(minutes=rnd.randint(0, 730 * 24 * 60))
                is_open = (NOW - opened).days < 40 and rnd.random() < 0.6
                status = rnd.choice(("open", "in_progress", "monitoring")) if is_open else "closed"
                words = " ".join(rnd.choice(WORDS) for _ in range(12))
                cases.append({
                    "id": i, "reference": f"MID-{opened.year}-{i:06d}", "person_id": rnd.randint(1, people),
                    "status": status, "category": rnd.choice(CATEGORIES), "agency": "opcc",
                    "urgent": rnd.random() < 0.01, "channel": "email", "subject": f"About {words[:40]}",
                    "assigned_to": rnd.choice((None, "asha", "ben", "cai")), "opened_at": opened,
                    "acknowledge_by": (opened + timedelta(days=2)).date(),
                    "respond_by": (opened + timedelta(days=14)).date(), "last_action_at": opened,
                    "closed_at": None if is_open else opened + timedelta(days=10), "unreachable": False})
                contacts.append({"case_id": i, "person_id": cases[-1]["person_id"], "direction": "inbound",
                                 "channel": "email", "subject": cases[-1]["subject"], "body": words * 4,
                                 "quoted": "", "at": opened, "machine": False,
                                 "message_id": f"<{uuid.uuid4().hex}@example.org>"})
            s.execute(insert(Case), cases)
            s.execute(insert(Contact), contacts)
        add_user(s, "asha", Role.manager, "bench password")
        s.commit()


def timed(client: TestClient, url: str, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(url)
        samples.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return statistics.median(samples) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--db", default="")
    args = ap.parse_args()
    with bench_engine(args.db) as engine:
        sessions = make_sessionmaker(engine)
        t = time.perf_counter()
        seed(sessions, args.cases)
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        print(f"seeded {args.cases} cases in {time.perf_counter() - t:.1f}s ({engine.dialect.name})")
        with sessions() as s:
            ref = s.scalar(select(Case.reference).where(Case.id == max(1, args.cases // 2)))
        client = TestClient(create_app(load_config(), sessions, secret="bench", clock=lambda: NOW))
        tok = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert tok
        client.post("/login", data={"name": "asha", "password": "bench password", "csrf_token": tok.group(1)})
        pages = ["/", "/queue/open", "/queue/open?page=40", "/queue/urgent", "/queue/overdue", "/queue/stale",
                 "/queue/mine", "/queue/complaint", f"/case/{ref}",
                 "/cases?q=person123@example.org", "/cases?q=Person 4567", "/cases?q=bridge scam",
                 "/cases", "/cases?status=open&category=complaint", "/audit", "/reports"]
        for p in pages:
            print(f"{timed(client, p):8.1f} ms  {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
