"""Subject access (UK GDPR Art. 15): one zip of everything the store holds about a person.

The zip holds summary.html (readable), messages/ (each message to and from the person, email as
.eml and Telegram as .txt, rebuilt from the stored text), attachments/, cases.json, events.json,
decisions.json and manifest.json (files with sizes and SHA-256, the identities used, redactions).
Details of third parties who appear in the same cases (other writers' names, addresses, phone
numbers, postcodes and Telegram ids) are replaced by "[third party]" everywhere in it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.config import Config
from bot.privacy.people import Found, find_person
from bot.templating import template_env
from store.access import record_access
from store.models import Case, Contact, Direction, Event, Person, utcnow

REDACTED = "[third party]"
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Redactor:
    """Replaces third parties' known details, and any email address not the person's or the office's."""

    terms: set[str] = field(default_factory=set)
    allowed_addresses: set[str] = field(default_factory=set)
    count: int = 0
    _pattern: re.Pattern[str] | None = None

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.terms:
            words = sorted({t for t in self.terms if len(t) >= 3}, key=len, reverse=True)
            if words:
                self._pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)
        return self._pattern

    def __call__(self, text: str | None) -> str:
        if not text:
            return text or ""
        pattern = self._compiled()
        if pattern is not None:
            text, n = pattern.subn(REDACTED, text)
            self.count += n

        def address(m: re.Match[str]) -> str:
            if m.group(0).lower() in self.allowed_addresses:
                return m.group(0)
            self.count += 1
            return REDACTED

        return _EMAIL.sub(address, text)

    def data(self, value: Any) -> Any:
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        return value


@dataclass
class Export:
    """A built export: the zip bytes, its manifest, and the cases it covers."""

    data: bytes
    manifest: dict[str, Any]
    case_ids: list[int]


def _person_contacts(session: Session, found: Found) -> list[Contact]:
    values = [i.value for i in found.identities]
    cond = Contact.person_id == found.person.id
    if values:
        cond = or_(cond, (Contact.direction == Direction.inbound) & Contact.sender.in_(values))
    return list(session.scalars(
        select(Contact).where(cond).options(selectinload(Contact.attachments), selectinload(Contact.decision))
        .order_by(Contact.at, Contact.id)
    ))


def _third_parties(session: Session, person: Person, case_ids: set[int], own: set[str]) -> set[str]:
    """Names, addresses, phones, postcodes and ids of everyone else on these cases."""
    terms: set[str] = set()
    others: set[int] = set()
    for pid, sender, name, chat in session.execute(
        select(Contact.person_id, Contact.sender, Contact.sender_name, Contact.telegram_chat_id)
        .where(Contact.case_id.in_(case_ids), Contact.direction == Direction.inbound)
    ):
        if pid == person.id or (sender and sender.lower() in own):
            continue
        if pid:
            others.add(pid)
        terms.update(x for x in (sender, name, str(chat) if chat else None) if x)
    others.update(p for p in session.scalars(select(Case.person_id).where(Case.id.in_(case_ids))) if p)
    others.discard(person.id)
    if others:
        for p in session.scalars(select(Person).where(Person.id.in_(others)).options(selectinload(Person.identities))):
            terms.update(x for x in (p.name, p.phone, p.postcode, p.address) if x)
            terms.update(i.value for i in p.identities)
            terms.update(i.display_name for i in p.identities if i.display_name)
    mine = {x.lower() for x in (person.name, person.phone, person.postcode) if x} | own
    return {t for t in terms if t.lower() not in mine}


def _eml(c: Contact, cfg: Config, person_address: str | None, red: Redactor) -> bytes:
    msg = EmailMessage()
    office = cfg.office.mailbox
    if c.direction is Direction.inbound:
        msg["From"] = formataddr((red(c.sender_name or ""), c.sender or ""))
        msg["To"] = office
    else:
        msg["From"] = formataddr((cfg.office.name, office))
        msg["To"] = person_address or ""
    msg["Date"] = format_datetime(c.at)
    msg["Subject"] = red(c.subject).replace("\n", " ")
    if c.message_id:
        msg["Message-ID"] = c.message_id
    msg["X-Signpost-Note"] = "rebuilt from the text Signpost stored; third parties redacted"
    msg.set_content(red(c.body) or "(no text)")
    return bytes(msg)


def _chat_text(c: Contact, red: Redactor) -> bytes:
    who = "you" if c.direction is Direction.inbound else "the office"
    return f"Telegram message from {who}\nDate: {c.at.isoformat()}\n\n{red(c.body)}\n".encode()


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")[:80] or "file"


def _case_row(c: Case) -> dict[str, Any]:
    return {"reference": c.reference, "category": c.category, "status": c.status.value, "agency": c.agency,
            "urgent": c.urgent, "subject": c.subject, "opened_at": c.opened_at.isoformat(),
            "closed_at": c.closed_at.isoformat() if c.closed_at else None,
            "respond_by": c.respond_by.isoformat(), "member_correspondence": c.member_correspondence}


def _events(session: Session, person: Person, cases: list[Case], contacts: list[Contact]) -> list[Event]:
    """All events of the person's own cases; in shared cases only those about the person's messages."""
    own = [c.id for c in cases if c.person_id == person.id]
    shared = [c.id for c in cases if c.person_id != person.id]
    raw_ids = [c.raw_id for c in contacts if c.raw_id]
    cond: ColumnElement[bool] = Event.case_id.in_(own)
    if shared and raw_ids:
        cond = or_(cond, Event.case_id.in_(shared) & Event.raw_id.in_(raw_ids))
    return list(session.scalars(select(Event).where(cond).order_by(Event.at, Event.id)))


def build_export(session: Session, cfg: Config, found: Found, env: Environment, *, by: str,
                 now: datetime | None = None) -> Export:
    """Build the zip for `found`; records nothing (see `export_person`)."""
    now = now or utcnow()
    person = found.person
    contacts = _person_contacts(session, found)
    case_ids = {c.case_id for c in contacts if c.case_id} | {
        c for c in session.scalars(select(Case.id).where(Case.person_id == person.id))}
    cases = list(session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.opened_at)))
    own = {i.value.lower() for i in found.identities}
    red = Redactor(_third_parties(session, person, case_ids, own),
                   own | {a.lower() for a in cfg.office.all_addresses})
    email_addr = next((i.value for i in found.identities if i.kind == "email"), None)
    files: dict[str, bytes] = {}
    listed: list[dict[str, Any]] = []
    refs = {c.id: c.reference for c in cases}
    for n, c in enumerate(contacts, 1):
        stem = f"messages/{n:04d}-{c.at:%Y-%m-%d}-{'in' if c.direction is Direction.inbound else 'out'}-{c.channel}"
        name = f"{stem}.eml" if c.channel == "email" else f"{stem}.txt"
        if c.channel == "email":
            files[name] = _eml(c, cfg, email_addr, red)
        elif c.channel == "telegram":
            files[name] = _chat_text(c, red)
        else:
            files[name] = f"{c.channel} ({c.direction.name}), {c.at.isoformat()}\n{red(c.subject)}\n\n" \
                          f"{red(c.body)}\n".encode()
        for a in c.attachments:
            files[f"attachments/{n:04d}-{_safe_name(a.filename)}"] = a.data
        listed.append({"file": name, "at": c.at, "direction": c.direction.name, "channel": c.channel,
                       "case": refs.get(c.case_id or 0), "subject": red(c.subject), "body": red(c.body),
                       "attachments": [a.filename for a in c.attachments]})
    decisions = [{"case": refs.get(c.case_id or 0), "at": c.at.isoformat(), "category": d.category,
                  "urgent": d.urgent, "agency": d.agency, "why": red.data(d.hits)}
                 for c in contacts if (d := c.decision) is not None]
    events = [{"case": refs.get(e.case_id or 0), "at": e.at.isoformat(), "kind": e.kind, "by": e.actor,
               "detail": red.data(e.detail)} for e in _events(session, person, cases, contacts)]
    files["cases.json"] = _json([red.data(_case_row(c)) for c in cases])
    files["events.json"] = _json(events)
    files["decisions.json"] = _json(decisions)
    summary = {"name": person.name, "phone": person.phone, "postcode": person.postcode, "address": person.address}
    files["summary.html"] = env.get_template("privacy/sar_summary.html.j2").render(
        cfg=cfg, person=summary, found=found, cases=cases, messages=listed, now=now, by=by,
        events=events, redactions=red.count).encode()
    manifest = {
        "generated_at": now.isoformat(), "generated_by": by, "office": cfg.office.name,
        "person_id": person.id, "found_by": found.how, "identities_used": found.described(),
        "cases": [c.reference for c in cases], "messages": len(contacts), "redactions": red.count,
        "files": [{"name": k, "bytes": len(v), "sha256": hashlib.sha256(v).hexdigest()} for k, v in files.items()],
    }
    files["manifest.json"] = _json(manifest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in files.items():
            z.writestr(k, v)
    return Export(buf.getvalue(), manifest, sorted(case_ids))


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).encode()


def export_person(session: Session, cfg: Config, query: str, *, by: str, env: Environment | None = None,
                  now: datetime | None = None) -> Export:
    """Find the person, build the zip, and record the export (access log per case and an event)."""
    now = now or utcnow()
    found = find_person(session, cfg, query)
    export = build_export(session, cfg, found, env or template_env(), by=by, now=now)
    for cid in export.case_ids:
        record_access(session, by, "sar", now, case_id=cid, person_id=found.person.id)
    if not export.case_ids:
        record_access(session, by, "sar", now, person_id=found.person.id)
    session.add(Event(at=now, actor=by, kind="sar_export", detail={
        "person_id": found.person.id, "cases": len(export.case_ids), "messages": export.manifest["messages"],
        "identities": len(found.identities)}))
    return export


def add_sar_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Options of `signpost sar export`; returns the `export` sub-parser."""
    sub = parser.add_subparsers(dest="sar_command", required=True, metavar="ACTION")
    p = sub.add_parser("export", help="write one zip of everything held about a person")
    p.add_argument("person", metavar="PERSON", help="email address, Telegram user id, case reference, "
                   "person:ID or full name")
    p.add_argument("--out", type=Path, help="zip file to write (default sar-person-ID-DATE.zip)")
    p.add_argument("--by", default="cli", help="who makes the export, for the access log (default cli)")
    return p


def cmd_sar(args: argparse.Namespace, cfg: Config, sessions: sessionmaker[Session]) -> int:
    """`signpost sar export PERSON [--out FILE]`."""
    with sessions() as s:
        export = export_person(s, cfg, args.person, by=args.by)
        s.commit()
    m = export.manifest
    out = args.out or Path(f"sar-person-{m['person_id']}-{m['generated_at'][:10]}.zip")
    out.write_bytes(export.data)
    print(f"{out}: {m['messages']} message(s) in {len(m['cases'])} case(s), {len(m['files'])} file(s), "
          f"{m['redactions']} third-party detail(s) redacted")
    print("identities used: " + (", ".join(m["identities_used"]) or "(none)") + f" (found by {m['found_by']})")
    return 0
