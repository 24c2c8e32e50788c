"""Retention benchmark: a replayed year of generated mail, every case closed, then the schedule applied.

Prints the replay time, the dry-run and apply times and counts, and checks that the board report for
the year is the same before and after. Usage: python bench/retention_bench.py [-n 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from replay_bench import make_messages  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.app import open_store  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.privacy.retention import run_retention  # noqa: E402
from bot.replay import replay  # noqa: E402
from bot.reporting.report import build_report, render_csv  # noqa: E402
from bot.sender import FileSinkTransport  # noqa: E402
from store.db import checkpoint  # noqa: E402
from store.models import Case, CaseStatus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="messages over the year (default 2000)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="signpost-retention-"))
    (tmp / "messages").mkdir()
    make_messages(args.n, tmp / "messages", step_minutes=365 * 24 * 60 / args.n)
    cfg = load_config(None, {"store.url": f"sqlite:///{tmp}/bench.db"})
    engine, sessions = open_store(cfg.store.url)
    t0 = time.perf_counter()
    asyncio.run(replay(cfg, sessions, [tmp / "messages"], FileSinkTransport(tmp / "outbound")))
    print(f"replayed {args.n} messages over a year in {time.perf_counter() - t0:.1f} s")
    with sessions() as s:
        for case in s.scalars(select(Case)):
            case.status, case.closed_at = CaseStatus.closed, case.opened_at + timedelta(days=10)
        s.commit()
    first, last, today = date(2026, 3, 1), date(2027, 3, 31), date(2030, 1, 1)
    with sessions() as s:
        before = render_csv(build_report(s, cfg, first, last, today))
    as_of = datetime(2030, 1, 1, 3, 0, tzinfo=UTC)
    for apply in (False, True):
        t0 = time.perf_counter()
        with sessions() as s:
            run = run_retention(s, cfg, as_of, apply=apply)
            s.commit()
        if apply:
            checkpoint(engine)
        print(f"{'apply' if apply else 'dry run'}: {time.perf_counter() - t0:.2f} s, counts {run.counts()}")
    with sessions() as s:
        after = render_csv(build_report(s, cfg, first, last, today))
    print("board report identical before and after:", before == after)
    engine.dispose()


if __name__ == "__main__":
    main()
