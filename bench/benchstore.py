"""A store for a benchmark: a temporary SQLite file, or a fresh PostgreSQL schema dropped afterwards;
and `seed`, which fills one with many fictional cases by bulk inserts."""

from __future__ import annotations

import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text, update

from handlers.matchtext import name_key, template_words
from store.db import make_engine, migrate
from store.models import Campaign, Case, Contact, Decision, Identity, Person, RawMessage, RefCounter


@contextmanager
def bench_engine(url: str = "") -> Iterator[Engine]:
    """A migrated engine on `url` (PostgreSQL: in a schema of its own), or on a temporary SQLite file."""
    schema = None
    if url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with make_engine(url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        # connect_args, not the URL: Alembic's ini parser rejects the "%" of an encoded URL option.
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    else:
        engine = make_engine(url or f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        if schema:
            with make_engine(url).begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


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
                "reference": f"MID-{at.year}-{i:06d}",  # six digits: never one the counters give
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
        # The seeded references are MID-YYYY-NNNNNN: new cases count on from the same counters.
        years: dict[int, int] = {}
        for c in cases:
            years[c["opened_at"].year] = years.get(c["opened_at"].year, 0) + 1
        s.execute(insert(RefCounter), [{"prefix": "MID", "year": y, "last": n} for y, n in years.items()])
        s.commit()
    return START + span * n_cases


def name_of(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
