"""Triage latency with a large store: seed 100,000 cases in SQLite, then time match and DECIDE.

Usage: python bench/triage_bench.py [--cases 100000] [--messages 300] [--db PATH]
Prints mean / p50 / p95 / p99 / max latency per message of the match stage alone and of the
whole DECIDE pipeline (parse .. signpost), and the peak Python memory of the timed phase.
Target (issue 10): DECIDE p99 <= 10 ms at 100,000 cases.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchstore import FIRST, LAST, TEMPLATE, TEMPLATE2, TOPICS, name_of, prose, seed  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.app import load_model  # noqa: E402
from bot.config import load_config  # noqa: E402
from handlers import match, parse, pipeline  # noqa: E402
from handlers.language import make_detector  # noqa: E402
from handlers.types import Triage  # noqa: E402
from store.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from store.repo import StoreContext  # noqa: E402


def new_message(k: int, at: datetime, n_cases: int, rng: random.Random) -> bytes:
    """A mix: chasers, new writers, known and new campaigns, known people on new addresses."""
    m = EmailMessage()
    kind = k % 5
    pid = rng.randint(max(1, n_cases - 3000), n_cases)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if kind == 0:
        sender, subject = f"person{pid}@example.com", "Still waiting"
        body = "Dear Sir,\n\nI still haven't heard back about my email. Could someone reply?\n\nThanks"
    elif kind == 1:
        sender, subject = f"new{k}@example.org", f"About {rng.choice(TOPICS)}"
        body = f"Hello,\n\nI want to report {rng.choice(TOPICS)}. {prose(rng, 80)}\n\nKind regards,\n{name}"
    elif kind == 2:
        sender, subject = f"supporter{k}@example.net", "Protect neighbourhood policing"
        body = f"Dear Commissioner,\n\n{TEMPLATE}\n\nYours sincerely,\n{name}\n\n--\nSent via a campaign site"
    elif kind == 4:
        sender, subject = f"copier{k}@example.org", "Street lighting"
        body = f"Dear Commissioner,\n\n{TEMPLATE2}\n\nRegards,\n{name}"
    else:
        name = name_of(pid)
        sender, subject = f"other{k}@example.net", "Further to my email"
        phone = f"07700 {900000 + pid % 99999:06d}"
        body = f"Hi,\n\nFurther to my email, {prose(rng, 60)}\n\nRegards,\n{name}\n{phone}"
    m["From"] = f"{name} <{sender}>"
    m["To"] = "enquiries@wessexvale-pcc.gov.uk"
    m["Subject"] = subject
    m["Date"] = format_datetime(at)
    m["Message-ID"] = make_msgid("bench", domain="example.com")
    m.set_content(body)
    return m.as_bytes()


MODEL: list[Any] = []  # the triage model and language detector, made once in main() as the composition root does


def time_stage(
    sessions: Any,
    cfg: Any,
    msgs: list[tuple[bytes, datetime]],
    run: Callable[[Triage, StoreContext], None],
    trace: bool = False,
    show: bool = False,
) -> tuple[list[float], int, Counter[str]]:
    """Milliseconds per message for `run` (parse runs first, untimed), tracemalloc peak, match rules."""
    times: list[float] = []
    rules: Counter[str] = Counter()
    by_rule: dict[str, list[float]] = {}
    if trace:  # tracing slows Python down several times: memory is measured in a pass of its own
        tracemalloc.start()
    for i, (raw, at) in enumerate(msgs):
        with sessions() as s:
            assert isinstance(s, Session)
            ctx = StoreContext(s, cfg, at, model=MODEL[0], detector=MODEL[1])
            t = Triage(raw_id=10_000_000 + i, channel="smtp", raw=raw, received_at=at)
            parse.process(t, ctx)
            t0 = time.perf_counter()
            run(t, ctx)
            times.append((time.perf_counter() - t0) * 1000)
            decided = [h.rule for h in t.hits if h.stage == "match"]
            rule = decided[-1] if decided else "-"
            rules[rule] += 1
            by_rule.setdefault(rule, []).append(times[-1])
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    if show:
        for rule, ms in sorted(by_rule.items()):
            print(
                f"        {rule:<14} n={len(ms):<4} mean {statistics.mean(ms):6.2f} ms  max {max(ms):6.2f} ms"
            )
    return times, peak, rules


def report(
    label: str,
    sessions: Any,
    cfg: Any,
    msgs: list[tuple[bytes, datetime]],
    run: Callable[[Triage, StoreContext], None],
) -> None:
    time_stage(sessions, cfg, msgs[:3], run)  # warm-up: lazy model loads, template compiles
    times, _, rules = time_stage(sessions, cfg, msgs, run, show=True)
    _, peak, _ = time_stage(sessions, cfg, msgs[:50], run, trace=True)
    cuts = statistics.quantiles(times, n=100)
    print(
        f"{label:<7} n={len(times)}  mean {statistics.mean(times):6.2f} ms  p50 "
        f"{statistics.median(times):6.2f} ms  p95 {cuts[94]:6.2f} ms  p99 {cuts[98]:6.2f} ms  "
        f"max {max(times):6.2f} ms  peak traced memory {peak / 2**20:5.1f} MiB\n        match decisions: {dict(rules)}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--db", default=None, help="SQLite file (default: a fresh temporary one)")
    args = ap.parse_args()
    rng = random.Random(7)
    if args.db and Path(args.db).exists():
        sys.exit(f"{args.db} exists: the bench seeds a fresh store, give a new path")
    db = args.db or str(Path(tempfile.mkdtemp(prefix="signpost-bench-")) / "bench.db")
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    sessions = make_sessionmaker(engine)
    cfg = load_config(None, {"store.url": f"sqlite:///{db}"})
    t0 = time.perf_counter()
    last = seed(sessions, args.cases, rng)
    print(f"seeded {args.cases} cases in {time.perf_counter() - t0:.1f} s ({db})")
    msgs = [
        (new_message(k, last + timedelta(minutes=k + 1), args.cases, rng), last + timedelta(minutes=k + 1))
        for k in range(args.messages)
    ]
    MODEL.extend((load_model(cfg), make_detector()))
    report("match", sessions, cfg, msgs, match.process)
    report("DECIDE", sessions, cfg, msgs, pipeline.decide)  # parse has run: the rest of the email route
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    engine.dispose()
    if args.db is None:
        shutil.rmtree(Path(db).parent, ignore_errors=True)


if __name__ == "__main__":
    main()
