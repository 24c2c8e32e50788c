"""StoreContext: the pipeline's read-only look-ups (handlers.types.Context) over one Session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from jinja2 import Environment
from lingua import LanguageDetector
from sqlalchemy import Integer, bindparam, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from handlers.campaigns import campaign_text, own_mail
from handlers.labels import SENDER_LIMITED, OutboxKind
from handlers.matchtext import name_key
from handlers.settings import Settings
from handlers.types import ArrangementRef, CampaignRef, CaseRef, Classifier
from store.arrangements import active_arrangement
from store.merged import is_live, surviving
from store.models import Campaign, Case, CaseStatus, Contact, Decision, Direction, Identity, Outbox, Person

_CASE_TEXT_CONTACTS = 3  # the latest inbound contacts whose text describes a case's matter
_CASE_TEXT_CHARS = 4000
# A forwarded campaign copy sits under a short note; only its start is read (quoted histories run long).
_NOTE_CHARS = 1500
_QUOTED_CHARS = 8000


# Statements run for every message, built once (building one costs more than running it on SQLite);
# the values are bound per call.
_QUOTED_START = sql_case((func.length(Contact.body) < _NOTE_CHARS, func.substr(Contact.quoted, 1, _QUOTED_CHARS)),
                         else_="")
_RECENT_UNMATCHED = (
    select(Contact.raw_id, Contact.body, Contact.sender, _QUOTED_START)
    .outerjoin(Decision, Decision.contact_id == Contact.id)
    .outerjoin(Case, Case.id == Contact.case_id)
    .where(Contact.direction == Direction.inbound, Contact.at >= bindparam("since"), Contact.machine.is_(False),
           Contact.raw_id.is_not(None), Decision.campaign_id.is_(None), Case.campaign_id.is_(None))
    .order_by(Contact.at.desc()).limit(bindparam("limit", type_=Integer))
)
# The newest `limit` copies in the window, ids only (no text is read for them), then the newest
# `per_campaign` of each campaign among those, with their text: the rows read stay few however
# many copies a campaign has (handlers/campaigns.Pool). The window is walked in the partial index
# ix_decision_copies_at (Decision.decided_at is the contact's received time), so only copies are
# visited, never the rest of the window's mail. The walk reads decision alone: a decision is only
# ever of an inbound contact from a raw message, and its `machine` is the contact's
# (bot/record.py), so no join is needed to choose the rows. With a join, PostgreSQL's planner
# hashed every copy in the window, a read growing with the campaign, rather than walk the index.
_NEWEST_COPIES = (
    select(Decision.campaign_id.label("campaign_id"), Decision.contact_id.label("contact_id"),
           Decision.decided_at.label("at"))
    .where(Decision.campaign_id.is_not(None), Decision.decided_at >= bindparam("since"), Decision.machine.is_(False))
    .order_by(Decision.decided_at.desc(), Decision.contact_id.desc()).limit(bindparam("limit", type_=Integer))
    .subquery()
)
_RANKED_COPIES = select(
    _NEWEST_COPIES,
    func.row_number().over(partition_by=_NEWEST_COPIES.c.campaign_id,
                           order_by=(_NEWEST_COPIES.c.at.desc(), _NEWEST_COPIES.c.contact_id.desc())).label("n"),
).subquery()
_CAMPAIGN_COPIES = (
    select(_RANKED_COPIES.c.campaign_id, Contact.raw_id, Contact.body, Contact.sender, _QUOTED_START)
    .join(Contact, Contact.id == _RANKED_COPIES.c.contact_id)
    .where(_RANKED_COPIES.c.n <= bindparam("per_campaign", type_=Integer),
           # What the walk took as given, checked on the few rows read: never another kind of contact.
           Contact.direction == Direction.inbound, Contact.machine.is_(False), Contact.raw_id.is_not(None))
    .order_by(_RANKED_COPIES.c.at.desc(), _RANKED_COPIES.c.contact_id.desc())
)
_CASE_BY_REFERENCE = select(Case).where(Case.reference == bindparam("reference"))
# The case of the latest stored contact with one of the Message-IDs, or of our reply that had one.
_CASE_BY_CONTACT_IDS = (select(Case).join(Contact, Contact.case_id == Case.id)
                        .where(Contact.message_id.in_(bindparam("forms", expanding=True)))
                        .order_by(Contact.at.desc()).limit(1))
_CASE_BY_OUTBOX_IDS = (select(Case).join(Outbox, Outbox.case_id == Case.id)
                       .where(Outbox.message_id.in_(bindparam("forms", expanding=True)),
                              Outbox.kind != OutboxKind.ALERT).limit(1))
_OPEN_CASES_OF_PERSON = (select(Case).where(Case.person_id == bindparam("person_id"), Case.status != CaseStatus.closed,
                                            is_live()).order_by(Case.opened_at.desc()).limit(20))
_CONTACTS_FROM_SINCE = (select(func.count()).select_from(Contact)
                        .where(Contact.sender == bindparam("value"), Contact.channel == bindparam("channel"),
                               Contact.direction == Direction.inbound, Contact.at >= bindparam("since")))
# A person's cases with their latest contacts (match's same-matter look-up, for every message
# from a known writer): the cases they wrote to lately, those they own, and each one's texts.
_PERSON_LAST_CONTACTS = (
    select(Contact.case_id, func.max(Contact.at).label("last_at"))
    .where(Contact.person_id == bindparam("person_id"), Contact.direction == Direction.inbound,
           Contact.case_id.is_not(None), Contact.at >= bindparam("since"), Contact.machine.is_(False))
    .group_by(Contact.case_id).order_by(func.max(Contact.at).desc()).limit(20)
)
_PERSON_OWNED_CASES = (select(Case.id).where(Case.person_id == bindparam("person_id"),
                                             Case.last_action_at >= bindparam("since"), is_live()).limit(20))
_LIVE_CASES = select(Case).where(Case.id.in_(bindparam("ids", expanding=True)), is_live())
_RANKED_TEXTS = (
    select(Contact.case_id, Contact.subject, Contact.body,
           func.row_number().over(partition_by=Contact.case_id, order_by=Contact.at.desc()).label("n"))
    .where(Contact.case_id.in_(bindparam("case_ids", expanding=True)), Contact.direction == Direction.inbound,
           Contact.machine.is_(False))
    .subquery()
)
_CASE_TEXTS = (select(_RANKED_TEXTS.c.case_id, _RANKED_TEXTS.c.subject, _RANKED_TEXTS.c.body)
               .where(_RANKED_TEXTS.c.n <= _CASE_TEXT_CONTACTS))
# Campaigns with a case, newest first: a bounded list, campaigns are few.
_CAMPAIGNS = (select(Campaign.id, Case.id, Campaign.title, Campaign.fingerprint, Campaign.response)
              .join(Case, Case.campaign_id == Campaign.id).order_by(Campaign.id.desc()).limit(200))
_IDENTITY = select(Identity).where(Identity.kind == bindparam("kind"), Identity.value == bindparam("value"))
# Session.info key: the identities a unit of work has looked up, (kind, value) -> Identity or None,
# so placing the contact (bot/place.py) does not read again the row match has just read.
_IDENTITIES_SEEN = "signpost.identities_seen"


def identity_row(session: Session, kind: str, value: str) -> Identity | None:
    """The stored identity (kind, value), read once per unit of work (a new one a worker adds
    meanwhile makes the write clash, and the unit of work runs again: bot/worker.py)."""
    seen: dict[tuple[str, str], Identity | None] = session.info.setdefault(_IDENTITIES_SEEN, {})
    if (kind, value) not in seen:
        seen[(kind, value)] = session.scalar(_IDENTITY, {"kind": kind, "value": value})
    return seen[(kind, value)]


_ACKS_TO_SENDER = select(func.count()).select_from(Outbox).where(
    Outbox.to_address == bindparam("address"), Outbox.kind.in_(sorted(SENDER_LIMITED)),
    Outbox.created_at >= bindparam("since"))


def _case_ref(case: Case, last_contact_at: datetime | None = None) -> CaseRef:
    return CaseRef(
        id=case.id, reference=case.reference, status=case.status.value, category=case.category,
        person_id=case.person_id, campaign_id=case.campaign_id, subject=case.subject, agency=case.agency,
        urgent=bool(case.urgent), last_contact_at=last_contact_at,
    )


def _id_forms(message_ids: Iterable[str]) -> list[str]:
    """Each Message-ID with and without its angle brackets: stores and headers differ."""
    forms: dict[str, None] = {}
    for mid in message_ids:
        bare = mid.strip().strip("<>")
        if bare:
            forms.setdefault(f"<{bare}>", None)
            forms.setdefault(bare, None)
    return list(forms)


class StoreContext:
    """Context for one unit of work: reads through `session`, never writes or commits."""

    def __init__(self, session: Session, config: Settings, now: datetime, *, model: Classifier | None = None,
                 templates: Environment | None = None, detector: LanguageDetector | None = None) -> None:
        self.session = session
        self._config = config
        self.now = now
        self._model = model
        self._templates = templates  # the Jinja2 Environment compose renders with
        self._detector = detector
        self._campaigns: list[CampaignRef] | None = None  # read once per unit of work (see campaigns)

    @property
    def config(self) -> Settings:
        return self._config

    @property
    def model(self) -> Classifier:
        if self._model is None:
            raise LookupError("StoreContext: no triage model was given (the worker passes its own)")
        return self._model

    @property
    def templates(self) -> Environment:
        if self._templates is None:
            raise LookupError("StoreContext: no template environment was given (the worker passes its own)")
        return self._templates

    @property
    def detector(self) -> LanguageDetector:
        if self._detector is None:
            raise LookupError("StoreContext: no language detector was given (the worker passes its own)")
        return self._detector

    def case_by_reference(self, reference: str) -> CaseRef | None:
        case = self.session.scalar(_CASE_BY_REFERENCE, {"reference": reference.upper()})
        # A merged case's old reference leads to the case it went into, never to its empty shell.
        return _case_ref(surviving(self.session, case)) if case else None

    def case_by_message_ids(self, message_ids: list[str]) -> CaseRef | None:
        """The case of the latest stored contact (inbound, or our outbound reply) with one of these ids."""
        forms = _id_forms(message_ids)
        if not forms:
            return None
        case = self.session.scalar(_CASE_BY_CONTACT_IDS, {"forms": forms})
        if case is None:
            case = self.session.scalar(_CASE_BY_OUTBOX_IDS, {"forms": forms})
        return _case_ref(surviving(self.session, case)) if case else None

    def person_for_identity(self, kind: str, value: str) -> int | None:
        found = identity_row(self.session, kind, value.lower() if kind == "email" else value)
        return found.person_id if found is not None else None

    def persons_by_name(
        self, name: str, *, phone: str | None = None, postcode: str | None = None
    ) -> list[tuple[int, str, str | None, str | None]]:
        """People whose name has the same key ('first last', titles dropped), by the name_key index.

        With phone and/or postcode, only those who also share one of them: a common name may
        belong to hundreds of people, and only the contact details tell them apart.
        """
        key = name_key(name)
        if key is None:
            return []
        # Keys written by other code may be the full folded name: both forms, checked again below.
        full = " ".join("".join(c if c.isalpha() else " " for c in name.lower()).split())
        query = select(Person.id, Person.name, Person.phone, Person.postcode).where(
            Person.name_key.in_({key, full})
        )
        details = [c for c in (
            Person.phone == phone if phone else None,
            Person.postcode == postcode if postcode else None,
        ) if c is not None]
        if details:
            query = query.where(or_(*details))
        rows = self.session.execute(query.limit(200)).all()
        return [(r[0], r[1] or "", r[2], r[3]) for r in rows if name_key(r[1]) == key]

    def recent_cases_for_person(self, person_id: int, since: datetime) -> list[tuple[CaseRef, str]]:
        """Cases the person wrote to (or owns) since `since`, with their latest inbound text."""
        params = {"person_id": person_id, "since": since}
        latest: dict[int, datetime] = {r[0]: r[1] for r in self.session.execute(_PERSON_LAST_CONTACTS, params)
                                       if r[0] is not None}
        ids = set(latest) | set(self.session.scalars(_PERSON_OWNED_CASES, params))
        if not ids:
            return []
        cases = self.session.scalars(_LIVE_CASES, {"ids": sorted(ids)}).all()
        texts = self._case_texts(ids)
        return [(_case_ref(c, latest.get(c.id)), texts.get(c.id, "")) for c in cases]

    def _case_texts(self, case_ids: set[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        rows = self.session.execute(_CASE_TEXTS, {"case_ids": sorted(case_ids)})
        for case_id, subject, body in rows:
            out[case_id] = (out.get(case_id, "") + f"\n{subject}\n{body}")[:_CASE_TEXT_CHARS]
        return out

    def campaigns(self) -> list[CampaignRef]:
        """Campaigns with a case, newest first (a bounded list: campaigns are few).

        Read once per context: urgency and match both ask, and nothing the pipeline does adds a
        campaign before the worker places the message (a context lives for one unit of work).
        """
        if self._campaigns is None:
            self._campaigns = self._read_campaigns()
        return list(self._campaigns)

    def _read_campaigns(self) -> list[CampaignRef]:
        return [CampaignRef(id=cid, case_id=case_id, title=title, fingerprint=fingerprint, response=response)
                for cid, case_id, title, fingerprint, response in self.session.execute(_CAMPAIGNS)]

    def recent_unmatched(self, since: datetime, limit: int) -> list[tuple[int, str, str | None]]:
        """Recent human inbound contacts not in a campaign, newest first, as (raw_id, text, sender).

        The text is the body, or the forwarded copy under a short note (handlers.campaigns.campaign_text).
        """
        rows = self.session.execute(_RECENT_UNMATCHED, {"since": since, "limit": limit}).all()
        ours = own_mail(self._config)
        return [(r[0], campaign_text(r[1], r[3] or "", ours, self._config.triage.match)[0], r[2])
                for r in rows if r[0] is not None]

    def campaign_copies(
        self, since: datetime, limit: int, per_campaign: int | None = None
    ) -> list[tuple[int, int, str, str | None]]:
        """Recent copies already in a campaign, newest first, as (campaign_id, raw_id, text, sender).

        The newest `limit` copies in the window (ix_contact_at), and of those only each campaign's
        newest `per_campaign` (all of them when None): the text is read for those alone, so it
        costs the same with any number of cases or copies.
        """
        if limit <= 0 or (per_campaign is not None and per_campaign <= 0):
            return []
        params = {"since": since, "limit": limit, "per_campaign": limit if per_campaign is None else per_campaign}
        rows = self.session.execute(_CAMPAIGN_COPIES, params).all()
        ours = own_mail(self._config)
        return [(r[0], r[1], campaign_text(r[2], r[4] or "", ours, self._config.triage.match)[0], r[3])
                for r in rows if r[0] is not None and r[1] is not None]

    def acks_to_sender_since(self, address: str, since: datetime) -> int:
        # Compose asks before record queues this contact's replies: nothing this unit of work has
        # added is an outbox row yet, so the placed rows need no flush for it (they go with record's).
        with self.session.no_autoflush:
            return int(self.session.scalar(_ACKS_TO_SENDER, {"address": address, "since": since}) or 0)

    def open_cases_for_person(self, person_id: int) -> list[CaseRef]:
        cases = self.session.scalars(_OPEN_CASES_OF_PERSON, {"person_id": person_id}).all()
        return [_case_ref(c) for c in cases]

    def contacts_from_since(self, kind: str, value: str, since: datetime) -> int:
        """Inbound contacts from one identity since a time (Contact.sender holds the identity value)."""
        channel = "telegram" if kind == "telegram" else "email"
        value = value.lower() if kind == "email" else value
        return int(self.session.scalar(_CONTACTS_FROM_SINCE, {"value": value, "channel": channel, "since": since})
                   or 0)

    def arrangement_for_person(self, person_id: int) -> ArrangementRef | None:
        row = active_arrangement(self.session, person_id)
        return ArrangementRef(row.id, row.caseworker, row.review_on) if row is not None else None
