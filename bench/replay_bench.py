"""Replay benchmark: N generated messages through `replay` into a fresh SQLite store.

Prints messages per second, wall and CPU milliseconds per message, SQL statements, ORM flushes and
commits per message, and the process's peak RSS. With --seed-cases N it runs twice, each in a process of its
own (so each peak RSS is its own): into an empty store, then into one already holding N cases
(bench/benchstore.py seeds them by bulk inserts), and prints the ratio of the two rates.

Usage: python bench/replay_bench.py [-n 5000] [--seed-cases 100000] [--batch 200] [--keep DIR]
Targets (issue 10): >= 300 messages/s, peak RSS <= 400 MB, 100,000 cases within 1.5x of empty.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchstore import seed  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bot.app import load_model, open_store  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.replay import DEFAULT_BATCH, replay  # noqa: E402
from bot.sender import FileSinkTransport  # noqa: E402
from handlers.language import make_detector  # noqa: E402

TOPICS = [
    ("Speeding on {street}", "Cars race down {street} every evening and I worry a child will be hurt. "
     "Could the police do speed checks?"),
    ("Complaint about an officer", "On {day} an officer was rude to me at the front desk in {town} and "
     "refused to take my details. I want to complain about his behaviour."),
    ("FOI request", "Under the Freedom of Information Act please tell me how many burglaries were "
     "recorded in {town} in each of the last three years."),
    ("Noise from the flats", "The flat above has loud music until 3am most nights on {street}. "
     "The council has not helped."),
    ("Scam phone call", "Someone pretending to be my bank called and I transferred 900 pounds. "
     "What should I do now?"),
    ("The precept", "I do not agree with the rise in the police precept this year. What am I paying for?"),
]
CAMPAIGN = ("Save our PCSOs", "Dear Commissioner, I am writing as a resident of {town} to ask you to protect "
            "neighbourhood PCSO numbers. PCSOs know our streets and our people, and cutting them would "
            "leave communities less safe. Please commit to keeping every PCSO post in next year's budget.")
TOWNS = ["Ashby Cross", "Millbrook", "Tollgate", "Fenwick Bay", "Upper Harrow"]
STREETS = ["Elm Road", "Mill Lane", "Station Road", "Church Street", "Beacon Way"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee", "Morgan", "Ash"]
LAST = ["Abbot", "Baker", "Carter", "Dale", "Ellis", "Frost", "Grant", "Hale", "Irwin", "Jones"]


def make_messages(n: int, folder: Path, seed: int = 7, step_minutes: float = 7) -> None:
    """`n` fictional messages, one every `step_minutes` from 2 March 2026."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        addr = f"{first.lower()}.{last.lower()}{rng.randint(1, n)}@example.com"
        subject, body = CAMPAIGN if rng.random() < 0.2 else rng.choice(TOPICS)
        fill = {"town": rng.choice(TOWNS), "street": rng.choice(STREETS), "day": "Tuesday"}
        msg = EmailMessage()
        msg["From"] = f"{first} {last} <{addr}>"
        msg["To"] = "enquiries@wessexvale-pcc.gov.uk"
        msg["Subject"] = subject.format(**fill)
        msg["Date"] = format_datetime(start + timedelta(minutes=step_minutes * i))
        msg["Message-ID"] = f"<bench-{i}@example.com>"
        if rng.random() < 0.03:
            msg["Auto-Submitted"] = "auto-replied"
            msg.replace_header("Subject", "Automatic reply: " + msg["Subject"])
        msg.set_content(f"{body.format(**fill)}\n\n{first} {last}\n")
        (folder / f"{i:06d}-bench.eml").write_bytes(bytes(msg))


def run_once(n: int, seed_cases: int, batch: int, folder: Path, trace: bool) -> dict[str, float]:
    """One replay of `n` messages into a fresh store in `folder` (seeded with `seed_cases` first)."""
    msgs = folder / "messages"
    msgs.mkdir(parents=True, exist_ok=True)
    make_messages(n, msgs)
    cfg = load_config(None, {"store.url": f"sqlite:///{folder}/bench.db"})
    engine, sessions = open_store(cfg.store.url)
    seeded = 0.0
    if seed_cases:
        t0 = time.perf_counter()
        seed(sessions, seed_cases, random.Random(7))
        seeded = time.perf_counter() - t0
    # Start-up outside the timing, as a running service has done it once: the model fitted. lingua's
    # models are not loaded: as in the service, only a text with a Welsh word in it loads them (about
    # 280 MB more; these generated messages are English, as most offices' mail is).
    t0 = time.perf_counter()
    model, detector = load_model(cfg), make_detector()
    started = time.perf_counter() - t0
    counts = {"statements": 0, "commits": 0, "flushes": 0}

    def statement(*_: object) -> None:
        counts["statements"] += 1

    def commit(*_: object) -> None:
        counts["commits"] += 1

    def flush(*_: object) -> None:
        counts["flushes"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    event.listen(sessions, "after_flush", flush)
    if trace:  # tracing slows Python down several times: only when asked
        tracemalloc.start()
    cpu0, t0 = time.process_time(), time.perf_counter()
    stats = asyncio.run(replay(cfg, sessions, [msgs], FileSinkTransport(folder / "outbound"), batch=batch,
                               model=model, detector=detector))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    engine.dispose()
    done = max(stats.stored, 1)
    return {"messages": stats.stored, "seed_cases": seed_cases, "seed_seconds": seeded, "start_seconds": started,
            "seconds": elapsed,
            "rate": stats.stored / elapsed, "ms": 1000 * elapsed / done, "cpu_ms": 1000 * cpu / done,
            "statements": counts["statements"] / done, "commits": counts["commits"] / done,
            "flushes": counts["flushes"] / done,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "traced_mb": peak / 2**20}


def show(r: dict[str, float], label: str) -> None:
    print(f"{label}: replayed {r['messages']:.0f} messages in {r['seconds']:.1f} s: {r['rate']:.1f} messages/s, "
          f"{r['ms']:.1f} ms per message ({r['cpu_ms']:.1f} ms CPU; store, triage, reply, send)")
    print(f"  {r['statements']:.1f} SQL statements, {r['flushes']:.2f} ORM flushes and {r['commits']:.2f} commits "
          "per message; "
          f"process peak RSS {r['rss_mb']:.0f} MiB" + (f"; peak traced Python memory {r['traced_mb']:.1f} MiB"
                                                      if r["traced_mb"] else "")
          + (f"; seeding took {r['seed_seconds']:.0f} s" if r["seed_cases"] else "")
          + f"; start-up (model; not timed) {r['start_seconds']:.1f} s")


def child(args: argparse.Namespace, seed_cases: int) -> dict[str, float]:
    """`run_once` in a fresh interpreter: its peak RSS is its own."""
    cmd = [sys.executable, __file__, "-n", str(args.n), "--batch", str(args.batch), "--seed-cases", str(seed_cases),
           "--json"] + (["--trace-memory"] if args.trace_memory else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5000, help="messages (default 5000)")
    ap.add_argument("--seed-cases", type=int, default=0, metavar="N",
                    help="also replay into a store already holding N cases, and print the ratio to the empty store")
    ap.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                    help=f"messages stored per transaction, as `signpost replay --batch` (default {DEFAULT_BATCH})")
    ap.add_argument("--keep", help="keep the store and messages in this folder (one run: no --seed-cases)")
    ap.add_argument("--trace-memory", action="store_true", help="also report tracemalloc's peak (slows the run)")
    ap.add_argument("--json", action="store_true", help="one run only, its figures as one JSON line")
    args = ap.parse_args()
    if args.json or args.keep:
        tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="signpost-bench-"))
        try:
            r = run_once(args.n, args.seed_cases, args.batch, tmp, args.trace_memory)
        finally:
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)
        if args.json:
            print(json.dumps(r))
        else:
            show(r, "store kept")
            print(f"store: {tmp}/bench.db")
        return
    empty = child(args, 0)
    show(empty, "empty store")
    if args.seed_cases:
        full = child(args, args.seed_cases)
        show(full, f"{args.seed_cases} cases")
        print(f"cost with {args.seed_cases} cases: {full['ms'] / empty['ms']:.2f}x the empty store's wall time per "
              f"message, {full['cpu_ms'] / empty['cpu_ms']:.2f}x its CPU time (target: within 1.5x)")


if __name__ == "__main__":
    main()
