"""Micro-benchmark of building an outgoing reply: µs per message, direct wire (bot.mailwire) and email package.

Usage: python bench/outmail_bench.py [-n 2000]
Rows are shaped like the replay's acknowledgements: a ~1.5 KB text, with and without an HTML
alternative, threading headers, and a Welsh (8-bit) body. Each is also checked to come out the
same both ways (same boundary), so the two timings are of the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import load_config  # noqa: E402
from bot.outmail import assembled_mail, build_email, clean_address, direct_wire  # noqa: E402

AT = datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
TEXT = ("Dear Alex Baker,\n\nThank you for contacting the Office of the Police and Crime Commissioner.\n"
        "Your reference is MID-2026-00042. Please quote it if you write to us again.\n\n"
        + "We have passed your message to the right team, who will reply within 20 working days.\n" * 10
        + "\nIf you or someone else is in danger now, call 999.\n\nThe Public Contact Team\n")
THREAD = {"Auto-Submitted": "auto-replied", "In-Reply-To": "<CAF1234567890abcdef@mail.gmail.com>",
          "References": "<a1b2c3d4e5@example.com> <CAF1234567890abcdef@mail.gmail.com>"}


def row(**values: Any) -> Any:
    base: dict[str, Any] = dict(to_address="alex.baker@example.com", to_name="Alex Baker",
                                subject="[MID-2026-00042] Re: Speeding on Elm Road", text=TEXT, html=None,
                                headers={"Auto-Submitted": "auto-replied"},
                                message_id="<177641.12345.998877@wessexvale-pcc.gov.uk>", kind="ack")
    base.update(values)
    return SimpleNamespace(**base)


ROWS = {
    "text": row(),
    "text+html": row(html="<p>" + TEXT.replace("\n\n", "</p>\n<p>") + "</p>"),
    "threaded": row(headers=THREAD),
    "welsh 8bit": row(text=TEXT.replace("Thank you", "Diolch yn fawr, Siân")),
}


def per_message(fn: Callable[[], object], n: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2000, help="messages per measurement (the slow path runs n/10)")
    n = ap.parse_args().n
    cfg = load_config()
    print(f"{'row':12s} {'direct µs':>10s} {'email pkg µs':>13s} {'build_email µs':>15s} {'ratio':>6s}")
    for name, r in ROWS.items():
        to = clean_address(r.to_address)
        slow = assembled_mail(cfg, r, to, AT).wire
        found = re.search(rb'boundary="([^"]+)"', slow)
        assert direct_wire(cfg, r, to, AT, boundary=found.group(1).decode() if found else None) == slow, name
        fast_us = per_message(lambda r=r, to=to: direct_wire(cfg, r, to, AT), n)
        slow_us = per_message(lambda r=r, to=to: assembled_mail(cfg, r, to, AT), max(1, n // 10))
        build_us = per_message(lambda r=r: build_email(cfg, r, AT), n)
        print(f"{name:12s} {fast_us:10.1f} {slow_us:13.1f} {build_us:15.1f} {slow_us / fast_us:6.1f}")


if __name__ == "__main__":
    main()
