"""Hostile-input census: CPython's own email test messages (test/test_email/data) through intake and triage.

Prints how many are stored, answered (an acknowledgement queued), machine mail (recorded, never
answered), refused (not a message: an input error) and failed as bugs, in a fresh SQLite store.
Usage: python bench/email_data.py [--data DIR] [-v]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bot.app import build  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.log import setup_logging  # noqa: E402
from bot.sender import FileSinkTransport  # noqa: E402
from store.models import Contact, Event, Outbox, RawMessage, RawStatus  # noqa: E402


def stdlib_data() -> Path:
    spec = importlib.util.find_spec("test.test_email")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("no test.test_email in this Python (install python3-test, or pass --data DIR)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="folder of messages (default: the stdlib's test_email/data)")
    ap.add_argument("-v", "--verbose", action="store_true", help="name each file and what became of it")
    args = ap.parse_args()
    setup_logging(quiet=True)
    folder = args.data or stdlib_data()
    files = sorted(p for p in folder.iterdir() if p.is_file())
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(None, {"store.url": f"sqlite:///{tmp}/s.db", "acknowledgements.max_per_sender": 10_000})
        parts = build(cfg, mail=FileSinkTransport(Path(tmp) / "out"))
        sessions, intake, worker = parts.sessions, parts.intake, parts.worker
        t0, start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC), time.perf_counter()
        ids = {p.name: intake.accept("smtp", p.name, p.read_bytes(), t0 + timedelta(minutes=n)).raw_id
               for n, p in enumerate(files)}
        worker.drain()
        seconds = time.perf_counter() - start
        fate: dict[str, str] = {}
        with sessions() as s:
            for name, raw_id in ids.items():
                raw = s.get(RawMessage, raw_id)
                assert raw is not None
                contact = s.scalar(select(Contact).where(Contact.raw_id == raw_id))
                answered = contact is not None and s.scalar(
                    select(Outbox.id).where(Outbox.contact_id == contact.id, Outbox.kind != "alert")) is not None
                fallback = s.scalar(select(Event.id).where(Event.raw_id == raw_id,
                                                           Event.kind == "fallback_acknowledged")) is not None
                if raw.status is RawStatus.failed:
                    fate[name] = "refused" if (raw.error or "").startswith("input:") else \
                        ("failed, plain ack" if fallback else "failed")
                elif contact is not None and contact.machine:
                    fate[name] = "machine"
                else:
                    fate[name] = "answered" if answered else "stored, not answered"
    counts = Counter(fate.values())
    print(f"{len(files)} files from {folder}: {len(ids)} stored in {seconds:.1f} s")
    for what in ("answered", "machine", "stored, not answered", "refused", "failed, plain ack", "failed"):
        print(f"  {what:<22} {counts.get(what, 0)}")
    if args.verbose:
        for name, what in sorted(fate.items()):
            print(f"    {name:<40} {what}")


if __name__ == "__main__":
    main()
