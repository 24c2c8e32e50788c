"""The case list's combined filter: every field ANDed, free text through the full-text index."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from store.fulltext import has_words, matching_cases
from store.models import Case, CaseStatus, CaseTag, Identity, Person
from store.refs import normalize_reference

SORTS = {
    "queue": (Case.urgent.desc(), Case.respond_by, Case.opened_at, Case.id),
    "newest": (Case.opened_at.desc(), Case.id.desc()),
    "oldest": (Case.opened_at, Case.id),
    "respond_by": (Case.respond_by, Case.id),
    "last_action": (Case.last_action_at, Case.id),
}
NOBODY = "-"  # assignee value meaning "unassigned"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PARTIAL_REF = re.compile(r"^[A-Z][A-Z0-9]{1,9}-\d{1,4}(-\d*)?$")


@dataclass(frozen=True)
class CaseFilter:
    """What the caseworker asked for; empty fields do not filter.

    assignee: a user name, or NOBODY for unassigned cases.
    opened_from / opened_before: bounds on opened_at (the caller turns local dates into instants).
    urgent / campaign / member: True or False to filter, None for either.
    tags: "kind:name" strings; a case must carry every one.
    text: a case reference (any spelling: "mid-2026-3"), an email address, or words for the
        full-text index of the contacts.
    """

    statuses: tuple[CaseStatus, ...] = ()
    categories: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    assignee: str | None = None
    channels: tuple[str, ...] = ()
    opened_from: datetime | None = None
    opened_before: datetime | None = None
    urgent: bool | None = None
    campaign: bool | None = None
    member: bool | None = None  # member correspondence (MPs, MSs, councillors)
    tags: tuple[str, ...] = ()
    text: str = ""
    sort: str = "queue"

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in ((), None, "") for f in fields(self) if f.name != "sort")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_clause(session: Session, text: str, prefix: str | None = None) -> ColumnElement[bool]:
    """A reference however typed (or the start of one), an email address (or part of one), or words.

    Words are looked up in the full-text index of the contacts (subject, sender name, body), and
    a person's whole name also matches by its normalised key (an indexed equality).
    """
    text = text.strip()
    ref = normalize_reference(text, prefix)
    if ref is not None:
        return Case.reference == ref
    start = text.upper()
    if _PARTIAL_REF.match(start):
        # References starting so: a range on the unique index (a LIKE would scan on SQLite).
        return and_(Case.reference >= start, Case.reference < start[:-1] + chr(ord(start[-1]) + 1))
    if "@" in text and " " not in text:
        q = text.lower()
        hit = Identity.value == q if _EMAIL.match(q) else func.lower(Identity.value).like(_like(q), escape="\\")
        return Case.person_id.in_(select(Identity.person_id).where(Identity.kind == "email", hit))
    if not has_words(text):
        return false()
    named = Case.person_id.in_(select(Person.id).where(Person.name_key == " ".join(text.lower().split())))
    return or_(Case.id.in_(matching_cases(session, text)), named)


def _tag_clause(tag: str) -> ColumnElement[bool]:
    kind, _, name = tag.partition(":")
    return Case.id.in_(select(CaseTag.case_id).where(CaseTag.kind == kind, CaseTag.name == name))


def where(session: Session, f: CaseFilter, *, prefix: str | None = None) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter (one per field given); `prefix` lets "2026-3" name a case."""
    clauses: list[ColumnElement[bool]] = []
    if f.statuses:
        clauses.append(Case.status.in_(f.statuses))
    if f.categories:
        clauses.append(Case.category.in_(f.categories))
    if f.agencies:
        clauses.append(Case.agency.in_(f.agencies))
    if f.assignee == NOBODY:
        clauses.append(Case.assigned_to.is_(None))
    elif f.assignee:
        clauses.append(Case.assigned_to == f.assignee)
    if f.channels:
        clauses.append(Case.channel.in_(f.channels))
    if f.opened_from is not None:
        clauses.append(Case.opened_at >= f.opened_from)
    if f.opened_before is not None:
        clauses.append(Case.opened_at < f.opened_before)
    if f.urgent is not None:
        clauses.append(Case.urgent.is_(f.urgent))
    if f.campaign is not None:
        clauses.append(Case.campaign_id.is_not(None) if f.campaign else Case.campaign_id.is_(None))
    if f.member is not None:
        clauses.append(Case.member_correspondence.is_(f.member))
    clauses += [_tag_clause(t) for t in f.tags]
    if f.text.strip():
        clauses.append(text_clause(session, f.text, prefix))
    return clauses


def filtered(session: Session, f: CaseFilter, *, prefix: str | None = None) -> Select[Case]:
    """Cases of the filter in its sort order (no limit: the caller pages or streams)."""
    order = SORTS.get(f.sort, SORTS["queue"])
    return select(Case).where(and_(true(), *where(session, f, prefix=prefix))).order_by(*order)


def count(session: Session, f: CaseFilter, *, prefix: str | None = None) -> int:
    stmt = select(func.count(Case.id)).where(and_(true(), *where(session, f, prefix=prefix)))
    return session.scalar(stmt) or 0


def page(session: Session, f: CaseFilter, *, limit: int, offset: int = 0,
         prefix: str | None = None) -> list[Case]:
    """One page of the filter with each case's person and tags loaded."""
    stmt = filtered(session, f, prefix=prefix).options(selectinload(Case.person), selectinload(Case.tags))
    return list(session.scalars(stmt.limit(limit).offset(max(0, offset))))


__all__ = ["NOBODY", "SORTS", "CaseFilter", "count", "filtered", "page", "text_clause", "where"]
