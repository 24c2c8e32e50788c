"""Several `signpost run` workers on one PostgreSQL store, fed over SMTP: messages per second and
acknowledgement latency (the intake's 250 to the acknowledgement arriving at an aiosmtpd sink).

Each run starts N real worker processes on a fresh schema of the test database (SIGNPOST_TEST_PG,
default postgresql+psycopg://postgres@127.0.0.1:5432/test), offers the messages round robin to
their SMTP intakes at a fixed rate and then as fast as the senders go, and waits for every
acknowledgement. Messages per second is messages / (last acknowledgement - first 250).

Usage: python bench/multiworker_bench.py [--messages 5000] [--workers 1 2 4] [--rate 50] [--modes rate fast]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from smtp_sink import SmtpSink  # noqa: E402
from workers import Deliverer, WorkerProcess, citizen_mail, deliver_in_thread, pg_schema, write_config  # noqa: E402

_HEADERS = BytesHeaderParser()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def one_run(workers: int, messages: int, rate: float | None, threads: int, timeout: float) -> dict[str, float]:
    sink = SmtpSink().start()
    run = f"{workers}w{int(time.time())}"
    mails = [citizen_mail(i, run) for i in range(messages)]
    senders = {m[0] for m in mails}
    try:
        with pg_schema() as (url, _engine), tempfile.TemporaryDirectory() as tmp:
            # No digest: only acknowledgements reach the sink.
            cfg = write_config(Path(tmp) / "config.yaml", url, sink.port, **{"digest.recipients": []})
            procs = [WorkerProcess(cfg, Path(tmp) / f"w{k}", f"w{k}").start() for k in range(workers)]
            try:
                for p in procs:
                    p.wait_ready(300)
                deliverer = Deliverer(procs)
                started = time.monotonic()
                feeders = deliver_in_thread(deliverer, mails, rate=rate, threads=threads)
                for t in feeders:
                    t.join(timeout)
                errors = getattr(feeders[0], "errors", [])
                if errors:
                    raise errors[0]
                offered = time.monotonic() - started
                deadline = time.monotonic() + timeout
                arrived: dict[str, float] = {}
                seen = 0
                while True:
                    with sink.handler.lock:
                        got = sink.handler.received[seen:]
                    seen += len(got)
                    for r in got:  # each arrival read once, headers only: the bench's own CPU stays small
                        head = _HEADERS.parsebytes(r.data)
                        if parseaddr(str(head["To"]))[1] in senders:
                            arrived.setdefault(str(head["In-Reply-To"]).strip(), r.at)
                    if len(arrived) >= messages or time.monotonic() > deadline:
                        break
                    time.sleep(1.0)
            finally:
                for p in procs:
                    p.stop()
    finally:
        sink.stop()
    latencies = [arrived[m] - deliverer.accepted_at[m] for m in arrived if m in deliverer.accepted_at]
    first = min(deliverer.accepted_at.values())
    last = max(arrived.values())
    return {"acked": len(arrived), "rate": len(arrived) / (last - first), "offered_s": offered,
            "p50": statistics.median(latencies), "p99": percentile(latencies, 99), "retries": deliverer.retries}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=5000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--rate", type=float, default=50.0, help="messages a second offered in the 'rate' mode")
    ap.add_argument("--modes", nargs="+", choices=["rate", "fast"], default=["rate", "fast"])
    ap.add_argument("--threads", type=int, default=8, help="SMTP client threads delivering")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds to wait for every acknowledgement")
    args = ap.parse_args()
    print(f"{args.messages} messages over SMTP to N `signpost run` workers on one PostgreSQL store")
    print(f"{'workers':>7} {'offered':>12} {'acked':>6} {'msg/s':>7} {'ack p50 s':>10} {'ack p99 s':>10}")
    for mode in args.modes:
        for n in args.workers:
            rate = args.rate if mode == "rate" else None
            r = one_run(n, args.messages, rate, args.threads, args.timeout)
            label = f"{args.rate:g}/s" if rate else "max"
            print(f"{n:>7} {label:>12} {r['acked']:>6.0f} {r['rate']:>7.1f} {r['p50']:>10.2f} {r['p99']:>10.2f}"
                  f"   (offered in {r['offered_s']:.0f}s, {r['retries']:.0f} SMTP retries)", flush=True)


if __name__ == "__main__":
    main()
