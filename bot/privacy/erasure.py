"""Erasure (UK GDPR Art. 17) and rectification (Art. 16) of a person's data, each recorded as an event."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config
from bot.privacy.people import find_person, person_cases
from handlers.matchtext import name_key
from store.db import checkpoint
from store.models import Case, Contact, Event, Person, utcnow
from store.privacy import Scrubbed, anonymise_case, anonymise_contacts, anonymise_person

RECTIFIABLE = ("name", "phone", "postcode", "address")


class ErasureRefused(ValueError):
    """The request cannot be carried out as asked (no reason given, nothing to change)."""


@dataclass
class Erased:
    person_id: int
    scrubbed: Scrubbed
    held: list[str] = field(default_factory=list)  # references kept under legal hold

    @property
    def complete(self) -> bool:
        return not self.held


def erase_person(session: Session, person: Person, actor: str, reason: str, now: datetime | None = None) -> Erased:
    """Anonymise the person's cases and messages at once, as retention would; the caller commits.

    Cases under legal hold are kept whole, and so are the person's details while any is; the
    event says which. Their messages inside other cases (a campaign) are anonymised one by one.
    """
    reason = reason.strip()
    if not reason:
        raise ErasureRefused("give the reason for the erasure (e.g. the request's date and how it came)")
    now = now or utcnow()
    done = Erased(person.id, Scrubbed())
    for case in person_cases(session, person):
        if case.legal_hold:
            done.held.append(case.reference)
            continue
        done.scrubbed.add(anonymise_case(session, case, now))
        session.add(Event(at=now, case_id=case.id, actor=actor, kind="erased", detail={"reason": reason}))
    held_ids = set(session.scalars(select(Case.id).where(Case.reference.in_(done.held)))) if done.held else set()
    loose = [c for c in session.scalars(select(Contact).where(Contact.person_id == person.id))
             if c.case_id not in held_ids]
    done.scrubbed.add(anonymise_contacts(session, loose))
    if not done.held:
        done.scrubbed.add(anonymise_person(session, person, now))
    session.add(Event(at=now, actor=actor, kind="person_erased", detail={
        "person_id": person.id, "reason": reason, "counts": done.scrubbed.counts(), "held": done.held}))
    return done


def rectify_person(session: Session, person: Person, actor: str, reason: str, now: datetime | None = None,
                   **changes: str | None) -> list[str]:
    """Correct the person's name, phone, postcode or address; one event on each of their cases.

    Returns the fields changed. Raises ErasureRefused when nothing would change.
    """
    now = now or utcnow()
    unknown = sorted(set(changes) - set(RECTIFIABLE))
    if unknown:
        raise ValueError(f"cannot correct {unknown}; only {', '.join(RECTIFIABLE)}")
    changed = []
    for key, value in changes.items():
        if value is None:
            continue
        new = value.strip() or None
        if getattr(person, key) != new:
            setattr(person, key, new)
            changed.append(key)
    if not changed:
        raise ErasureRefused("nothing to correct: the new details are the ones held")
    if "name" in changed:
        person.name_key = name_key(person.name)
    detail = {"fields": changed, "reason": reason.strip(), "person_id": person.id}
    cases = person_cases(session, person)
    for case in cases:
        session.add(Event(at=now, case_id=case.id, actor=actor, kind="rectified", detail=detail))
    if not cases:
        session.add(Event(at=now, actor=actor, kind="rectified", detail=detail))
    return changed


def add_erase_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help="email address, Telegram user id, case reference, "
                        "person:ID or full name")
    parser.add_argument("--reason", required=True, help="why (e.g. 'erasure request by email of 3 May 2027')")
    parser.add_argument("--yes", action="store_true", help="do it; without this only say what would go")
    parser.add_argument("--by", default="cli", help="who erases, for the event (default cli)")


def cmd_erase(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost erase PERSON --reason TEXT [--yes]`."""
    with sessions() as s:
        found = find_person(s, cfg, args.person)
        cases = person_cases(s, found.person)
        print(f"person #{found.person.id} (found by {found.how}); identities: "
              f"{', '.join(found.described()) or '(none)'}; {len(cases)} case(s): "
              f"{', '.join(c.reference for c in cases) or '(none)'}")
        if not args.yes:
            print("nothing changed: add --yes to erase")
            return 1
        done = erase_person(s, found.person, args.by, args.reason)
        s.commit()
        checkpoint(s.get_bind().engine)
    print(f"erased: {done.scrubbed.cases} case(s), {done.scrubbed.contacts} message(s), "
          f"{done.scrubbed.identities} identit(y/ies)" + (f"; kept under legal hold: {', '.join(done.held)}"
                                                          if done.held else ""))
    return 0


def add_rectify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help="email address, Telegram user id, case reference, "
                        "person:ID or full name")
    for key in RECTIFIABLE:
        parser.add_argument(f"--{key}", help=f"the corrected {key}")
    parser.add_argument("--reason", default="", help="why (recorded with the event)")
    parser.add_argument("--by", default="cli", help="who corrects, for the event (default cli)")


def cmd_rectify(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost rectify PERSON [--name N] [--phone P] [--postcode C] [--address A] [--reason R]`."""
    with sessions() as s:
        found = find_person(s, cfg, args.person)
        changed = rectify_person(s, found.person, args.by, args.reason,
                                 **{k: getattr(args, k) for k in RECTIFIABLE})
        s.commit()
    print(f"person #{found.person.id}: corrected {', '.join(changed)}")
    return 0
