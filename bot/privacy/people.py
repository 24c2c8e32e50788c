"""Find the person a request is about, with the identity matching triage uses (store.repo.StoreContext)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Config
from store.models import Case, Identity, Person, utcnow
from store.repo import StoreContext

_PERSON_ID = re.compile(r"^(?:person:|#)(\d+)$", re.IGNORECASE)
_TELEGRAM = re.compile(r"^(?:telegram:)?(\d{3,15})$", re.IGNORECASE)


class PersonNotFound(ValueError):
    """No one, or more than one person, answers to the request; the message says which."""


@dataclass(frozen=True)
class Found:
    """The person, how they were found, and every identity the store links to them."""

    person: Person
    how: str  # e.g. "email identity ann@example.org"
    identities: list[Identity]

    def described(self) -> list[str]:
        return [f"{i.kind}: {i.value}" for i in self.identities]


def find_person(session: Session, cfg: Config, query: str) -> Found:
    """By email address, Telegram user id, case reference, `person:ID`, or a full name.

    Raises:
        PersonNotFound: nobody matches, a campaign case is named, or a name fits several people.
    """
    q = query.strip()
    ctx = StoreContext(session, cfg, utcnow())
    pid: int | None
    if m := _PERSON_ID.match(q):
        pid, how = int(m.group(1)), f"person #{m.group(1)}"
    elif "@" in q:
        pid, how = ctx.person_for_identity("email", q.lower()), f"email identity {q.lower()}"
    elif m := _TELEGRAM.match(q):
        pid, how = ctx.person_for_identity("telegram", m.group(1)), f"Telegram identity {m.group(1)}"
    elif (ref := ctx.case_by_reference(q)) is not None:
        if ref.person_id is None:
            raise PersonNotFound(f"{ref.reference} has no single person (a campaign?): name the person's "
                                 "email address or Telegram id instead")
        pid, how = ref.person_id, f"the person of case {ref.reference}"
    else:
        rows = ctx.persons_by_name(q)
        if len(rows) > 1:
            listed = ", ".join(f"person:{r[0]} ({r[1]})" for r in rows[:10])
            raise PersonNotFound(f"{len(rows)} people are called {q!r}: {listed}; choose one")
        pid, how = (rows[0][0], f"name {q!r}") if rows else (None, "")
    person = session.get(Person, pid) if pid is not None else None
    if person is None:
        raise PersonNotFound(f"nobody in the store matches {q!r}")
    identities = list(session.scalars(select(Identity).where(Identity.person_id == person.id).order_by(Identity.id)))
    return Found(person, how, identities)


def person_cases(session: Session, person: Person) -> list[Case]:
    return list(session.scalars(select(Case).where(Case.person_id == person.id).order_by(Case.opened_at)))
