"""A store for a benchmark: a temporary SQLite file, or a fresh PostgreSQL schema dropped afterwards;
and `seed`, which fills one with many fictional cases by bulk inserts."""

from __future__ import annotations

import itertools
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
from store.models import (
    Campaign,
    Case,
    CaseTag,
    Contact,
    Decision,
    Event,
    Identity,
    Outbox,
    Person,
    RawMessage,
    RefCounter,
)


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
# Words for the writers' own sentences: every seeded letter is different, as real ones are. VOCAB
# comes first, most often (function words, then the words of a letter to the police); then the
# rest of a letter's everyday words.
VOCAB = (
    "the a of to and in on at for with my our we they it was is were been have has car street house night "
    "morning neighbour road school park shop van bike door window garden lane officers came called week "
    "month "
    "year again twice nobody someone children older people worried scared angry tired waiting reported "
    "online "
    "number phone answer crime damage stolen broken loud late early outside inside behind near town village "
    "estate flats bus station centre market council help support advice please why how when what who"
).split()
EVERYDAY = (
    "about above across after afternoon against ago ahead alarm alley almost alone along already also "
    "although always ambulance among amount another answered anyone anything anyway anywhere "
    "appointment area around arrived asked asking attend attended avenue away awful back bad badly bag "
    "balcony bank barely basement bedroom before began behind believe below bench besides better "
    "between big bin bins birthday bit block blocked board boat book booked both bottle bottom bought "
    "boundary box boy bridge brother brought budget building built bungalow business busy buy cafe "
    "camera cameras cannot card care careful carpark case cat caught cause cctv certain chair chance "
    "change changed chapel charge cheap check checked church city claim clean clear clearly close "
    "closed club coffee cold college come coming common community complained concern concerned constant "
    "contact contacted corner cost could country county couple course court cousin cover crossing crowd "
    "cut cycle daily dark daughter day days dead deal dear decided delivery despite different difficult "
    "dinner direction dog done doorbell down drive driver driving drop during each earlier easily edge "
    "either else email emailed empty end enough entrance even evening event ever every everyone "
    "everything exactly example expected explain eye face fact family far farm fast father fear feel "
    "feeling fence few field finally find fine fire first five floor follow food football form forward "
    "four free friday friend friends from front full further game garage gate gave gets getting girl "
    "give given glass going gone good got grandson grass great green ground group grow guess half hall "
    "hand happen happened happy hard head hear heard heavy hedge held hello here high hill himself hold "
    "holiday home hope hospital hour hours however huge hundred idea important including information "
    "instead insurance interest job join just keep kept key kids kind kitchen knew know known land "
    "large last later lead learn least leave left less letter library life light like likely line list "
    "listen little live lived local locked long look looked looking lost lot love low lunch made main "
    "make making man many march matter maybe mean meant meeting member message met middle might mind "
    "minute minutes miss missing moment monday money more most mother move moved much must name nearly "
    "need needed never new news next nice nine nobody none normal note nothing notice now number office "
    "often old once one only open opposite order other others over own page paid pair parent parents "
    "part party pass past path pay pen pension perhaps person picture piece place plan plate play "
    "plenty point post pound pounds pretty problem problems promised properly pub put quickly quiet "
    "quite rain rather read ready real really reason received recently record red regular remember rent "
    "repair reply report rest return right ring rise road roof room round rubbish rule run running safe "
    "said same saturday saw say saying second see seem seemed seen sell send sent service set seven "
    "several shed shift short should show shut side sign since single sister sit six small so social "
    "soon sorry sort sound south space speak speed spent spoke spot spring staff stairs stand start "
    "started state stay still stop stopped story straight strange strong sunday sure take taken talk "
    "talked tell ten than thank that their them then there these thing things think third this those "
    "though thought three through thursday time times today together told tomorrow took top total "
    "towards track traffic train tree trees tried true try trying tuesday turn turned two under "
    "understand until upset upstairs used usual van very visit wait walk walked walking wall want "
    "wanted ward warm watch water way wednesday weekend well went whole wife will window winter wish "
    "without woke woman wonder word work worked working worse would write writing wrong yard yes "
    "yesterday yet young your"
).split()
WORDS = list(dict.fromkeys(VOCAB + EVERYDAY))
# Drawn by Zipf's law (the word of rank r about 1/r as often as the commonest), as English text is:
# two letters share their common words and few others. Uniform draws from VOCAB alone made every
# letter share 60% of its distinct words with most others (88% of pairs, against 3% of the dev
# corpus's pairs, nearly all of them campaign copies), so each cost the matcher an alignment
# that real letters do not.
_ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(WORDS) + 1)))


def prose(rng: random.Random, n: int) -> str:
    """A made-up paragraph of n words: unlike any other, so it only costs the matcher a comparison."""
    return " ".join(rng.choices(WORDS, cum_weights=_ZIPF, k=n)).capitalize() + "."


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
_CHUNK = 10_000  # cases seeded per round of inserts


def seed(sessions: Any, n_cases: int, rng: random.Random) -> datetime:
    """Bulk insert people, identities, raw rows, cases, contacts and decisions, and what each left behind
    (`_history`), _CHUNK cases at a time so the seed's own rows never fill memory; returns the last time."""
    span = timedelta(days=730) / n_cases
    years: dict[int, int] = {}
    with sessions() as s:
        for start in range(1, n_cases + 1, _CHUNK):
            people, idents, raws, cases, contacts, decisions = [], [], [], [], [], []
            for i in range(start, min(start + _CHUNK, n_cases + 1)):
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
            replies, outbox, events, tags = _history(n_cases, cases, contacts)
            for model, rows in (
                (Person, people),
                (Identity, idents),
                (RawMessage, raws),
                (Case, cases),
                (Contact, contacts + replies),
                (Decision, decisions),
                (Outbox, outbox),
                (Event, events),
                (CaseTag, tags),
            ):
                s.execute(insert(model), rows)
            for c in cases:
                years[c["opened_at"].year] = years.get(c["opened_at"].year, 0) + 1
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
        s.execute(insert(RefCounter), [{"prefix": "MID", "year": y, "last": n} for y, n in years.items()])
        if s.get_bind().dialect.name == "postgresql":  # the ids were given: new rows count on from them
            for model in (Person, Identity, RawMessage, Case, Contact, Decision, Outbox, Event, CaseTag, Campaign):
                table = model.__tablename__
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f'(SELECT max(id) FROM "{table}"))'))
        s.commit()
    return START + span * n_cases


WARDS = ("Ashby Cross", "Millbrook", "Tollgate", "Fenwick Bay", "Upper Harrow", "Netherby", "Kingsmere")


def _history(
    n: int, cases: list[dict[str, Any]], contacts: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], ...]:
    """What each seeded letter left behind in a store that has been running: the acknowledgement
    (an outbox row sent, and its outbound contact), the triaged, reply_queued and sent events, and
    a ward tag on every third case. A look-up that reads one of those tables whole shows its cost."""
    replies, outbox, events, tags = [], [], [], []
    for case, letter in zip(cases, contacts, strict=True):
        i, at = case["id"], case["opened_at"]
        reply_id = n + i
        subject, mid = f"[{case['reference']}] Re: {letter['subject']}", f"<ack{i}@wessexvale-pcc.gov.uk>"
        replies.append({**letter, "id": reply_id, "raw_id": None, "direction": "out", "message_id": mid,
                        "sender": None, "subject": subject,
                        "body": "Thank you for your message. We will reply within 20 working days.", "at": at})
        outbox.append({"id": i, "case_id": i, "contact_id": i, "outbound_contact_id": reply_id, "kind": "ack",
                       "channel": "email", "to_address": letter["sender"], "subject": subject,
                       "text": "Thank you for your message.", "headers": {}, "message_id": mid,
                       "status": "sent", "attempts": 1, "not_before": at, "created_at": at, "sent_at": at})
        for k, kind in enumerate(("triaged", "reply_queued", "sent")):
            events.append({"id": 3 * i - 2 + k, "at": at, "case_id": i, "raw_id": i if k < 2 else None,
                           "actor": "signpost", "kind": kind, "detail": {}})
        if i % 3 == 0:
            tags.append({"id": i // 3, "case_id": i, "kind": "ward", "name": WARDS[i % len(WARDS)],
                         "source": "rule", "added_by": "office.places", "added_at": at})
    return replies, outbox, events, tags


def name_of(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
