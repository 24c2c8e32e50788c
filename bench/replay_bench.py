"""Replay benchmark: N generated messages through `replay` into a fresh SQLite store.

Prints messages per second, latency per message and peak memory (tracemalloc for Python objects,
ru_maxrss for the process). Usage: python bench/replay_bench.py [-n 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import open_store  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.replay import replay  # noqa: E402
from bot.sender import FileSinkTransport  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5000, help="messages (default 5000)")
    ap.add_argument("--keep", help="keep the store and messages in this folder")
    args = ap.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="signpost-bench-"))
    msgs = tmp / "messages"
    msgs.mkdir(parents=True, exist_ok=True)
    make_messages(args.n, msgs)
    cfg = load_config(None, {"store.url": f"sqlite:///{tmp}/bench.db"})
    engine, sessions = open_store(cfg.store.url)
    tracemalloc.start()
    t0 = time.perf_counter()
    stats = asyncio.run(replay(cfg, sessions, [msgs], FileSinkTransport(tmp / "outbound")))
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"replayed {stats.stored} messages in {elapsed:.1f} s: {stats.stored / elapsed:.1f} messages/s, "
          f"{1000 * elapsed / max(stats.stored, 1):.1f} ms per message (store, triage, reply, send)")
    print(f"peak traced Python memory {peak / 2**20:.1f} MiB; process max RSS {rss_mb:.0f} MiB")
    print(f"store: {tmp}/bench.db" if args.keep else "(temporary files removed)")
    engine.dispose()
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
