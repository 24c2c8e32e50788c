"""A replayed year of fictional contacts (email and Telegram) through the real intake and worker.

Every writer is fictional: names, streets and addresses are made up for these tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from fakes import shipped_model
from sqlalchemy import select, update

from bot.intake import Intake
from bot.worker import Worker
from handlers.compose import make_environment
from store.models import Case, CaseStatus

START = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
OFFICE = "enquiries@wessexvale-pcc.gov.uk"
FIRST = ["Alys", "Bryn", "Carys", "Dafydd", "Efa", "Ffion", "Gethin", "Heledd", "Ianto", "Lowri", "Macsen", "Nia"]
LAST = ["Quillfeather", "Rosmerta", "Sandiford", "Thistlewood", "Umbridgeley", "Vantwistle", "Wetherdown",
        "Yarrowby", "Zeffirelly", "Ashcombe-Vyne"]
STREETS = ["Larkspur Row", "Fenby Lane", "Oriel Passage", "Tamsin Court", "Wrenfield Drive"]
TOPICS = [
    ("Speeding outside the school", "Cars race past the school on {street} every morning and I worry a child "
     "will be hurt. Could the police carry out speed checks? I live at {n} {street}."),
    ("Complaint about an officer", "On Tuesday an officer was rude to me at the front desk and refused to take my "
     "details. I want to complain about his behaviour. My address is {n} {street}."),
    ("Freedom of Information request", "Under the Freedom of Information Act please tell me how much the "
     "Commissioner's office spent on consultants in each of the last three years. Post to {n} {street}."),
    ("The police precept", "I do not agree with the rise in the police precept this year. What is the "
     "Commissioner doing with the extra money? I am at {n} {street}."),
]
CAMPAIGN = ("Save our PCSOs", "Dear Commissioner, I am writing as a resident to ask you to protect neighbourhood "
            "PCSO numbers. PCSOs know our streets and our people, and cutting them would leave communities less "
            "safe. Please commit to keeping every PCSO post in next year's budget and tell us what you will do.")


@dataclass
class Writer:
    name: str
    address: str
    street: str
    raw_ids: list[int] = field(default_factory=list)


@dataclass
class Year:
    sessions: Any
    cfg: Any
    writers: list[Writer] = field(default_factory=list)
    telegram_ids: list[int] = field(default_factory=list)


def _email(w: Writer, subject: str, body: str, at: datetime, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{w.name} <{w.address}>"
    msg["To"] = OFFICE
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = f"<year-{n}@example.org>"
    msg.set_content(f"{body}\n\nYours sincerely,\n{w.name}\n")
    return bytes(msg)


def _telegram(uid: int, first: str, text: str, at: datetime, n: int) -> bytes:
    return json.dumps({"update_id": 90000 + n, "message": {
        "message_id": n, "date": int(at.timestamp()), "text": text,
        "from": {"id": uid, "is_bot": False, "first_name": first},
        "chat": {"id": uid, "type": "private", "first_name": first}}}).encode()


def replay_year(cfg: Any, sessions: Any, months: int = 12, per_month: int = 5) -> Year:
    """Feed `months` months of mail and chat, then close every case opened before the last three months."""
    worker = Worker(cfg, sessions, make_environment(), shipped_model())
    intake = Intake(sessions)
    year = Year(sessions, cfg)
    n = 0

    def feed(channel: str, raw: bytes, at: datetime) -> int:
        nonlocal n
        n += 1
        acc = intake.accept(channel, f"year-{n}", raw, at)
        worker.process_one(acc.raw_id)
        return acc.raw_id

    for month in range(months):
        base = START + timedelta(days=30 * month)
        for i in range(per_month):
            k = month * per_month + i
            # 12 first names and 10 surnames: 60 different people before a name repeats.
            w = Writer(f"{FIRST[k % len(FIRST)]} {LAST[k % len(LAST)]}",
                       f"writer{k}@example.org", f"{k + 2} {STREETS[k % len(STREETS)]}")
            subject, body = TOPICS[k % len(TOPICS)]
            text = body.format(n=k + 2, street=STREETS[k % len(STREETS)])
            w.raw_ids.append(feed("smtp", _email(w, subject, text, base + timedelta(hours=3 * i), n + 1),
                                  base + timedelta(hours=3 * i)))
            year.writers.append(w)
        if month == 2:  # a campaign: near-identical letters from five people in one day
            for j in range(5):
                w = Writer(f"Campaigner{j} Marchbank", f"campaigner{j}@example.net", "")
                at = base + timedelta(days=5, minutes=20 * j)
                w.raw_ids.append(feed("smtp", _email(w, CAMPAIGN[0], CAMPAIGN[1], at, n + 1), at))
                year.writers.append(w)
        uid = 700100 + month
        year.telegram_ids.append(uid)
        at = base + timedelta(days=10)
        text = (f"Hello, the streetlight outside {month + 3} Heronsgate Mews has been out for weeks and people "
                "are scared walking home. Who do I tell?")
        feed("telegram", _telegram(uid, f"Tegwen{chr(65 + month)}wyn", text, at, n + 1), at)
    cutoff = START + timedelta(days=30 * (months - 3))
    with sessions() as s:
        for case in s.scalars(select(Case).where(Case.opened_at < cutoff)):
            case.status, case.closed_at = CaseStatus.closed, case.opened_at + timedelta(days=7)
        s.execute(update(Case).where(Case.opened_at >= cutoff).values(last_action_at=Case.opened_at))
        s.commit()
    return year
