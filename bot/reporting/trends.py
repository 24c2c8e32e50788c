"""Trends for the Commissioner: topics rising in the contacts' own words, this week and this month against
the period before, by place (office.places and ward tags) and by category, with example cases.

Each case is one document (its inbound human messages in the period, so a campaign of a thousand
copies counts once). Words and two-word phrases are weighed by TF-IDF across both periods; a topic
rises when its weight this period beats the period before and enough cases, from more than one
person, use it. Topics whose cases are mostly the same as a higher one's are folded into it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Config
from bot.reporting.figures import is_casework
from bot.words import category_name
from store.models import Case, CaseTag, Contact, Direction

# Words every letter to a police and crime commissioner uses: never a topic by themselves.
_HOUSE_WORDS = frozenset("""
police policing officer officers commissioner pcc opcc office force dear sir madam thank thanks please regards
sincerely kind best hello hi hope wish write writing wrote email emails mail message messages letter reply
contact contacted know like just think want need would could should get got really also still even many much
one two three day days week weeks month months year years time times today yesterday tomorrow now ago
thing things lot lots way people person someone anyone everyone something anything nothing area local
make made say said tell told ask asked see seen look looking go going went come came take taken give given
""".split())
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")


def normalise(word: str) -> str:
    """A light stemmer: possessives and plurals folded ("scooters" and "scooter's" are "scooter")."""
    word = word.replace("’", "'").removesuffix("'s").strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Tokens:
    """Words and adjacent two-word phrases of a text, without stop words; remembers how each was written."""

    def __init__(self, stop: Iterable[str]) -> None:
        self.stop = frozenset(stop)
        self.seen: dict[str, Counter[str]] = defaultdict(Counter)

    def __call__(self, text: str) -> list[str]:
        words = []
        extra = []
        for raw in _WORD.findall(text.lower()):
            raw = raw.strip("'’-")
            term = normalise(raw)
            if len(term) < 3 or term in self.stop or raw in self.stop or term.isdigit():
                words.append("")  # a gap: no phrase spans a stop word
                continue
            self.seen[term][raw] += 1
            words.append(term)
            head = raw.rsplit("-", 1)[-1]
            if head != raw and len(head) >= 3 and normalise(head) not in self.stop:
                extra.append(normalise(head))  # "e-scooters" is about scooters too
                self.seen[normalise(head)][head] += 1
        out = [w for w in words if w] + extra
        out += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a and b and a != b]
        return out

    def shown(self, term: str) -> str:
        """The spelling people used most for a term (or each word of a phrase)."""
        return " ".join(self.seen[w].most_common(1)[0][0] if self.seen.get(w) else w for w in term.split())


@dataclass(frozen=True)
class Example:
    reference: str
    subject: str


@dataclass(frozen=True)
class Topic:
    term: str
    now: int  # cases using it in this period
    before: int  # in the period before
    rise: float  # TF-IDF weight this period minus the period before
    places: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    examples: list[Example]


@dataclass(frozen=True)
class Group:
    """A place or a category: its cases now and before, and the topic rising most within it."""

    name: str
    now: int
    before: int
    top: str | None


@dataclass(frozen=True)
class Trends:
    label: str  # "this week" / "this month"
    start: datetime
    end: datetime
    previous_start: datetime
    cases_now: int
    cases_before: int
    topics: list[Topic] = field(default_factory=list)
    places: list[Group] = field(default_factory=list)
    categories: list[Group] = field(default_factory=list)


@dataclass
class _Doc:
    case_id: int
    reference: str
    subject: str
    category: str | None
    text: list[str] = field(default_factory=list)
    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)


def _documents(session: Session, start: datetime, end: datetime) -> list[_Doc]:
    """One document per case with inbound human messages in [start, end): their subjects and bodies."""
    rows = session.execute(
        select(Case.id, Case.reference, Case.subject, Case.category, Contact.subject, Contact.body,
               Contact.sender, Contact.person_id)
        .join(Contact, Contact.case_id == Case.id)
        .where(Contact.direction == Direction.inbound, Contact.machine.is_(False), Contact.at >= start,
               Contact.at < end, is_casework())
        .order_by(Case.id, Contact.at)
    )
    docs: dict[int, _Doc] = {}
    for case_id, ref, case_subject, category, subject, body, sender, person in rows:
        doc = docs.setdefault(case_id, _Doc(case_id, ref, case_subject, category))
        if len(doc.text) < 5:  # a campaign's thousand copies say the same: a few are enough
            doc.text.append(f"{subject}\n{body[:20000]}")
        doc.people.add(str(person or sender or case_id))
    return list(docs.values())


def _stop_words(cfg: Config) -> set[str]:
    # The office's own names, and its places (shown by place, not as topics).
    # scikit-learn is imported here, not at module level: `signpost digest --help` must start fast.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    names = " ".join([cfg.office.name, cfg.force.name, cfg.office.commissioner, *cfg.office.places,
                      *cfg.trends.ignore_words]).lower()
    return set(ENGLISH_STOP_WORDS) | _HOUSE_WORDS | set(_WORD.findall(names)) | {
        normalise(w) for w in _WORD.findall(names)}


def _mark_places(session: Session, cfg: Config, docs: Sequence[_Doc]) -> None:
    patterns = [(p, re.compile(rf"\b{re.escape(p)}\b", re.I)) for p in cfg.office.places]
    for doc in docs:
        text = "\n".join(doc.text)
        doc.places.update(p for p, rx in patterns if rx.search(text))
    ids = [d.case_id for d in docs]
    wards: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(ids), 500):
        for case_id, name in session.execute(select(CaseTag.case_id, CaseTag.name).where(
                CaseTag.kind == "ward", CaseTag.case_id.in_(ids[start:start + 500]))):
            wards[case_id].add(name)
    for doc in docs:
        doc.places |= wards.get(doc.case_id, set())


def _rising(weights_now: dict[str, float], weights_before: dict[str, float], docs_now: dict[str, list[int]],
            people: dict[str, set[str]], min_cases: int) -> list[tuple[float, str]]:
    ranked = []
    for term, w in weights_now.items():
        rise = w - weights_before.get(term, 0.0)
        if rise > 0 and len(docs_now[term]) >= min_cases and len(people[term]) >= 2 and \
                w >= 1.5 * weights_before.get(term, 0.0):
            ranked.append((rise, term))
    return sorted(ranked, key=lambda rt: (-rt[0], rt[1]))


def build_trends(session: Session, cfg: Config, end: datetime, days: int, label: str) -> Trends:
    """Topics rising in the `days` before `end` against the `days` before those."""
    start, previous = end - timedelta(days=days), end - timedelta(days=2 * days)
    now_docs, before_docs = _documents(session, start, end), _documents(session, previous, start)
    trends = Trends(label, start, end, previous, len(now_docs), len(before_docs))
    if not now_docs:
        return trends
    _mark_places(session, cfg, [*now_docs, *before_docs])
    tokens = Tokens(_stop_words(cfg))
    every = [*now_docs, *before_docs]
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(tokenizer=tokens, lowercase=False, token_pattern=None, sublinear_tf=True)
    matrix = vectorizer.fit_transform(["\n".join(d.text) for d in every]).tocsc()
    terms = vectorizer.get_feature_names_out()
    n = len(now_docs)
    weight_now: dict[str, float] = {}
    weight_before: dict[str, float] = {}
    docs_now: dict[str, list[int]] = {}
    count_before: dict[str, int] = {}
    people: dict[str, set[str]] = {}
    for j, term in enumerate(terms):
        col = matrix.getcol(j)
        rows, vals = col.indices, col.data
        weight_now[term] = float(sum(v for r, v in zip(rows, vals, strict=True) if r < n))
        weight_before[term] = float(sum(v for r, v in zip(rows, vals, strict=True) if r >= n))
        count_before[term] = int(sum(1 for r in rows if r >= n))
        order = sorted(((v, r) for r, v in zip(rows, vals, strict=True) if r < n), reverse=True)
        docs_now[term] = [r for _, r in order]
        people[term] = {p for r in docs_now[term] for p in now_docs[r].people}
    chosen: list[tuple[Topic, set[int]]] = []
    for rise, term in _rising(weight_now, weight_before, docs_now, people, cfg.trends.min_cases):
        mine = set(docs_now[term])
        if any(len(mine & other) >= 0.7 * len(mine) for _, other in chosen):
            continue  # mostly the same cases as a topic already listed
        cases = [now_docs[r] for r in docs_now[term]]  # the cases that use it most first
        chosen.append((Topic(
            tokens.shown(term), len(cases), count_before[term], round(rise, 2),
            Counter(p for d in cases for p in d.places).most_common(),
            Counter(category_name(d.category) for d in cases).most_common(),
            [Example(d.reference, d.subject) for d in cases[:cfg.trends.examples]],
        ), mine))
        if len(chosen) >= cfg.trends.top:
            break
    return _grouped(trends, chosen, now_docs, before_docs, cfg)


def _grouped(trends: Trends, chosen: list[tuple[Topic, set[int]]], now_docs: Sequence[_Doc],
             before_docs: Sequence[_Doc], cfg: Config) -> Trends:
    def top_for(match: set[int]) -> str | None:
        # The listed topic most of these cases use.
        best = max(chosen, key=lambda tc: len(tc[1] & match), default=None)
        return best[0].term if best is not None and best[1] & match else None

    places = []
    for place in sorted({p for d in [*now_docs, *before_docs] for p in d.places} | set(cfg.office.places)):
        here = {i for i, d in enumerate(now_docs) if place in d.places}
        places.append(Group(place, len(here), sum(1 for d in before_docs if place in d.places), top_for(here)))
    categories = []
    for cat in sorted({d.category for d in [*now_docs, *before_docs]}, key=lambda c: category_name(c)):
        here = {i for i, d in enumerate(now_docs) if d.category == cat}
        categories.append(Group(category_name(cat), len(here), sum(1 for d in before_docs if d.category == cat),
                                top_for(here)))
    return Trends(trends.label, trends.start, trends.end, trends.previous_start, trends.cases_now,
                  trends.cases_before, [t for t, _ in chosen], [p for p in places if p.now or p.before],
                  categories)


def week_and_month(session: Session, cfg: Config, end: datetime) -> list[Trends]:
    """The two views the digest and the Trends page show: 7 and 28 days to `end`."""
    return [build_trends(session, cfg, end, 7, "this week"), build_trends(session, cfg, end, 28, "this month")]
