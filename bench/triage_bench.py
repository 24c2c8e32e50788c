"""Triage latency with a large store: seed 100,000 cases in SQLite, then time match and DECIDE.

Usage: python bench/triage_bench.py [--cases 100000] [--messages 300] [--db PATH]
Prints mean / p95 / max latency per message of the match stage alone and of the whole DECIDE
pipeline (parse .. signpost), and the peak Python memory of the timed phase.
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
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot.app import load_model  # noqa: E402
from bot.config import load_config  # noqa: E402
from handlers import match, parse, pipeline  # noqa: E402
from handlers.language import make_detector  # noqa: E402
from handlers.matchtext import name_key, template_words  # noqa: E402
from handlers.types import Triage  # noqa: E402
from store.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from store.models import Campaign, Case, Contact, Decision, Identity, Person, RawMessage  # noqa: E402
from store.repo import StoreContext  # noqa: E402

FIRST = (
    "Alex Sam Jo Chris Robin Kim Lee Pat Morgan Jamie Casey Drew Erin Frankie Glen Hollis Ira Jules".split()
)
LAST = (
    "Abbott Bexley Carden Dunmore Ellery Farleigh Gorton Hallam Ingham Jessop Kettering Lomax Merriman "
    "Norbury Oldroyd Pilling Quarmby Rudd Sowerby Tindall Umpleby Varley Whitworth Yardley"
).split()
TOPICS = [
    "speeding on the main road",
    "a burglary at my house",
    "the council tax precept",
    "drug dealing in the park",
    "parking outside the school",
    "a complaint about an officer",
    "noise from a neighbour",
    "a stolen bicycle",
    "anti-social behaviour on the estate",
    "police station opening hours",
    "fraud against my father",
    "response times to a 999 call",
]
# Words for the writers' own sentences: every seeded letter is different, as real ones are.
VOCAB = (
    "the a of to and in on at for with my our we they it was is were been have has car street house night "
    "morning neighbour road school park shop van bike door window garden lane officers came called week "
    "month "
    "year again twice nobody someone children older people worried scared angry tired waiting reported "
    "online "
    "number phone answer crime damage stolen broken loud late early outside inside behind near town village "
    "estate flats bus station centre market council help support advice please why how when what who"
).split()


def prose(rng: random.Random, n: int) -> str:
    """A made-up paragraph of n words: unlike any other, so it only costs the matcher a comparison."""
    return " ".join(rng.choices(VOCAB, k=n)).capitalize() + "."


TEMPLATE = (
    "I am writing to ask you to protect neighbourhood policing in our town. Local officers know our "
    "streets and our shops, and they stop problems before they become crimes. Cutting them would save "
    "little money and lose years of local knowledge. I ask you to rule out any reduction in this year's "
    "budget, to protect neighbourhood teams when you set the precept, and to meet residents to hear why "
    "this matters to us."
)
TEMPLATE2 = (
    "Street lights in our area are now switched off from midnight to five in the morning to save money. "
    "Residents walking home from late shifts feel unsafe, and burglaries and car crime have risen on unlit "
    "roads since the change. I ask you to press the council to restore all night lighting on main roads "
    "and near bus stops, and to publish the crime figures for the affected streets before and after."
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def seed(sessions: Any, n_cases: int, rng: random.Random) -> datetime:
    """Bulk insert people, identities, raw rows, cases, contacts and decisions; returns the last time."""
    span = timedelta(days=730) / n_cases
    people, idents, raws, cases, contacts, decisions = [], [], [], [], [], []
    for i in range(1, n_cases + 1):
        at = START + span * i
        name = name_of(i)
        topic = rng.choice(TOPICS)
        people.append(
            {
                "id": i,
                "name": name,
                "name_key": name_key(name),
                "phone": f"07700{900000 + i % 99999:06d}",
                "postcode": None,
                "created_at": at,
            }
        )
        idents.append(
            {"id": i, "person_id": i, "kind": "email", "value": f"person{i}@example.com", "created_at": at}
        )
        raws.append(
            {
                "id": i,
                "channel": "smtp",
                "external_id": f"seed{i}",
                "raw": b"",
                "content_hash": f"{i}",
                "received_at": at,
                "stored_at": at,
                "status": "triaged",
            }
        )
        cases.append(
            {
                "id": i,
                "reference": f"MID-{at.year}-{i:06d}",
                "person_id": i,
                "status": "open",
                "category": "correspondence",
                "channel": "email",
                "subject": f"About {topic}",
                "opened_at": at,
                "acknowledge_by": at.date(),
                "respond_by": at.date(),
                "last_action_at": at,
                "urgent": False,
                "unreachable": False,
            }
        )
        contacts.append(
            {
                "id": i,
                "case_id": i,
                "raw_id": i,
                "person_id": i,
                "direction": "in",
                "channel": "email",
                "message_id": f"<seed{i}@example.com>",
                "sender": f"person{i}@example.com",
                "subject": f"About {topic}",
                "body": f"Dear Commissioner,\n\nI am writing about {topic}. "
                f"{prose(rng, rng.randint(40, 160))}\n\nYours sincerely,\n{name}",
                "quoted": "",
                "at": at,
                "machine": False,
            }
        )
        decisions.append(
            {
                "id": i,
                "contact_id": i,
                "category": "correspondence",
                "urgent": False,
                "ack": True,
                "machine": False,
                "hits": [],
                "decided_at": at,
            }
        )
    with sessions() as s:
        for model, rows in (
            (Person, people),
            (Identity, idents),
            (RawMessage, raws),
            (Case, cases),
            (Contact, contacts),
            (Decision, decisions),
        ):
            for k in range(0, len(rows), 20000):
                s.execute(insert(model), rows[k : k + 20000])
        s.execute(
            insert(Campaign),
            [
                {
                    "id": 1,
                    "title": "Protect policing",
                    "fingerprint": " ".join(template_words(TEMPLATE)),
                    "created_at": START,
                }
            ],
        )
        s.execute(
            insert(Case),
            [
                {
                    **cases[-1],
                    "id": n_cases + 1,
                    "reference": "MID-2099-000001",
                    "person_id": None,
                    "campaign_id": 1,
                    "category": "campaign",
                }
            ],
        )
        # The two latest letters share a second template: the next copy starts a campaign.
        for k in (n_cases, n_cases - 1):
            s.execute(update(Contact).where(Contact.id == k).values(body=TEMPLATE2))
        s.commit()
    return START + span * n_cases


def name_of(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"


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
    p95 = statistics.quantiles(times, n=20)[-1]
    print(
        f"{label:<7} n={len(times)}  mean {statistics.mean(times):6.2f} ms  median "
        f"{statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  max {max(times):6.2f} ms  "
        f"peak traced memory {peak / 2**20:5.1f} MiB\n        match decisions: {dict(rules)}"
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
