"""Tags from config rules (tags.rules, tags.places_as_wards), added as each contact is recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import Config, TagRule
from store import actions
from store.models import Case

ACTOR = "signpost"


@dataclass(frozen=True)
class Compiled:
    name: str  # how events name the rule: "tags.rules[2]" or "places"
    kind: str
    tag: str
    pattern: re.Pattern[str] | None
    categories: frozenset[str]
    agencies: frozenset[str]


def _compile(i: int, rule: TagRule) -> Compiled:
    kind, _, name = rule.tag.partition(":")
    return Compiled(f"tags.rules[{i}]", kind, name.strip(), re.compile(rule.pattern, re.I) if rule.pattern else None,
                    frozenset(rule.categories), frozenset(rule.agencies))


def compiled_rules(cfg: Config) -> tuple[Compiled, ...]:
    """The config's rules, and one per place when places count as wards (word-bounded, any case)."""
    rules = [_compile(i, r) for i, r in enumerate(cfg.tags.rules)]
    if cfg.tags.places_as_wards:
        rules += [Compiled("office.places", "ward", p, re.compile(rf"\b{re.escape(p)}\b", re.I),
                           frozenset(), frozenset()) for p in cfg.office.places]
    return tuple(rules)


def matching(cfg: Config, text: str, category: str | None, agency: str | None) -> Iterator[Compiled]:
    for rule in compiled_rules(cfg):
        if rule.categories and category not in rule.categories:
            continue
        if rule.agencies and agency not in rule.agencies:
            continue
        if rule.pattern is not None and not rule.pattern.search(text):
            continue
        if rule.pattern is None and not (rule.categories or rule.agencies):
            continue  # a rule with no condition would tag everything
        yield rule


def apply_rules(session: Session, cfg: Config, case: Case, text: str, now: datetime) -> list[str]:
    """Add the rule tags that `text` (a contact's subject and body) earns the case; returns the new ones.

    They are not flushed here: the caller's unit of work writes them with the contact they come from.
    """
    wanted = [(rule.kind, rule.tag, rule.name) for rule in matching(cfg, text, case.category, case.agency)]
    if not wanted:
        return []
    return [f"{kind}:{tag}" for kind, tag, _ in actions.add_rule_tags(session, case, ACTOR, wanted, now)]
