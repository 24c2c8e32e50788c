"""Fakes for stage tests: a Context over in-memory lists (cosmicpython's fakes-over-mocks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from lingua import LanguageDetector

from bot.config import Config, load_config
from handlers import model
from handlers.compose import make_environment
from handlers.language import make_detector
from handlers.types import ArrangementRef, CampaignRef, CaseRef, Classifier


@lru_cache(maxsize=1)
def repo_config() -> Config:
    """The test suite's config (tests/config.yaml), read once (Config is frozen, so sharing it is safe)."""
    return load_config()


def config_with(overrides: dict[str, Any]) -> Config:
    """The repository's config.yaml with dotted keys replaced, validated as at start-up."""
    return load_config(None, overrides)


def dotted(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested keys (an area's area.yaml) as the dotted overrides `load_config` takes, leaf by leaf."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(dotted(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


@lru_cache(maxsize=1)
def shipped_model() -> model.TriageModel:
    """The model fitted on the shipped examples, once per test run (a trained file is ignored)."""
    return model.load_model(None)


def per_campaign_newest(
    rows: list[tuple[int, int, str, str | None]], per_campaign: int | None
) -> list[tuple[int, int, str, str | None]]:
    """Of copies newest first, each campaign's first `per_campaign` (all when None), as store/repo.py reads them."""
    if per_campaign is None:
        return rows
    taken: dict[int, int] = {}
    out = []
    for row in rows:
        taken[row[0]] = taken.get(row[0], 0) + 1
        if taken[row[0]] <= per_campaign:
            out.append(row)
    return out

@dataclass
class FakeContext:
    """Implements handlers.types.Context; tests fill the lists they need.

    Timed rows carry their datetime last, and the `*_since` lookups filter on it.
    """

    config: Config = field(default_factory=repo_config)
    model: Classifier = field(default_factory=shipped_model)
    templates: Environment = field(default_factory=make_environment)
    detector: LanguageDetector = field(default_factory=make_detector)
    cases: list[CaseRef] = field(default_factory=list)
    # Message-ID (with angle brackets) -> the case that message belongs to.
    case_message_ids: dict[str, CaseRef] = field(default_factory=dict)
    # (kind, value), e.g. ("email", "a@example.com") or ("telegram", "123") -> person id.
    identities: dict[tuple[str, str], int] = field(default_factory=dict)
    # (person_id, name, phone, postcode)
    persons: list[tuple[int, str, str | None, str | None]] = field(default_factory=list)
    # (person_id, case, text of the last inbound contact, when)
    person_cases: list[tuple[int, CaseRef, str, datetime]] = field(default_factory=list)
    campaign_list: list[CampaignRef] = field(default_factory=list)
    # (raw_id, text, sender, when)
    unmatched: list[tuple[int, str, str | None, datetime]] = field(default_factory=list)
    copies: list[tuple[int, int, str, str | None, datetime]] = field(default_factory=list)  # campaign copies
    # (address, when) of acknowledgements sent
    acks: list[tuple[str, datetime]] = field(default_factory=list)
    # (kind, value, when) of inbound contacts
    contacts: list[tuple[str, str, datetime]] = field(default_factory=list)
    # person id -> their active contact arrangement
    arrangements: dict[int, ArrangementRef] = field(default_factory=dict)

    def case_by_reference(self, reference: str) -> CaseRef | None:
        return next((c for c in self.cases if c.reference.upper() == reference.upper()), None)

    def case_by_message_ids(self, message_ids: list[str]) -> CaseRef | None:
        return next((self.case_message_ids[m] for m in message_ids if m in self.case_message_ids), None)

    def person_for_identity(self, kind: str, value: str) -> int | None:
        return self.identities.get((kind, value))

    def persons_by_name(
        self, name: str, *, phone: str | None = None, postcode: str | None = None
    ) -> list[tuple[int, str, str | None, str | None]]:
        wanted = name.strip().lower()
        rows = [p for p in self.persons if wanted and wanted in p[1].lower()]
        if phone or postcode:  # as the store: only people who also share a phone or postcode
            rows = [p for p in rows if (phone and p[2] == phone) or (postcode and p[3] == postcode)]
        return rows

    def recent_cases_for_person(self, person_id: int, since: datetime) -> list[tuple[CaseRef, str]]:
        rows = self.person_cases
        return [(case, text) for pid, case, text, when in rows if pid == person_id and when >= since]

    def campaigns(self) -> list[CampaignRef]:
        return list(self.campaign_list)

    def recent_unmatched(self, since: datetime, limit: int) -> list[tuple[int, str, str | None]]:
        rows = sorted((r for r in self.unmatched if r[3] >= since), key=lambda r: r[3], reverse=True)
        return [(raw_id, text, sender) for raw_id, text, sender, _ in rows[:limit]]

    def campaign_copies(
        self, since: datetime, limit: int, per_campaign: int | None = None
    ) -> list[tuple[int, int, str, str | None]]:
        rows = sorted((r for r in self.copies if r[4] >= since), key=lambda r: r[4], reverse=True)
        return per_campaign_newest([(cid, raw_id, text, sender) for cid, raw_id, text, sender, _ in rows[:limit]],
                                   per_campaign)

    def acks_to_sender_since(self, address: str, since: datetime) -> int:
        return sum(1 for a, when in self.acks if a == address and when >= since)

    def open_cases_for_person(self, person_id: int) -> list[CaseRef]:
        return [c for c in self.cases if c.person_id == person_id and c.status != "closed"]

    def contacts_from_since(self, kind: str, value: str, since: datetime) -> int:
        return sum(1 for k, v, when in self.contacts if (k, v) == (kind, value) and when >= since)

    def arrangement_for_person(self, person_id: int) -> ArrangementRef | None:
        return self.arrangements.get(person_id)
