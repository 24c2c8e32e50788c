"""Lint of every reply template, rendered for every agency in text and HTML: no doubled blank lines, no
unfilled placeholders, no broken sentences, links in HTML, no 999 line for officers in routine replies.

Templates are found by globbing, so any added later (other languages too) are linted as well.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from casework_seed import T0

from bot.config import AGENCIES, load_config
from bot.drafts import SAVED, choices_for, render_choice, render_saved, reply_templates, template_variables
from bot.shipped import templates_dir
from handlers.compose import make_environment, office_variables, render_reply, welsh_variables
from store.models import Case, CaseStatus, SavedReply

CFG = load_config()
ENV = make_environment()
REPLY_DIR = templates_dir() / "reply"
# Sentences that end a line without a full stop on purpose: the greeting, sign-off and address block.
FRAME = re.compile(r"^(Dear .+,|Yours sincerely,|Telephone: .+|https?://\S+|Please quote .+|IF YOU .+|"
                   r"Commands: .+|/\w+ .+|Annwyl .+,|Yn gywir,|Ffôn: .+|OS YDYCH .+|-{10,})$")
CASEWORK_PLACEHOLDER = "[Write the response here.]"


def reply_names() -> list[str]:
    """Every whole reply template (not the partials, which start with "_")."""
    return sorted(p.name.removesuffix(".txt.j2") for p in REPLY_DIR.glob("*.txt.j2") if not p.name.startswith("_"))


def languages_of(name: str) -> list[tuple[str, ...]]:
    """English alone, and both orders of a bilingual reply for every language twin (reply/cy/<name>)."""
    twins = sorted(d.name for d in REPLY_DIR.iterdir() if d.is_dir() and (d / f"{name}.txt.j2").exists())
    return [("en",), *((t, "en") for t in twins), *(("en", t) for t in twins)]


def variables(agency: str, *, category: str, urgent: bool, campaign_response: str | None = None,
              respond_by: str | None = "Monday 7 December 2026") -> dict[str, Any]:
    return {
        **office_variables(CFG, agency),
        **welsh_variables(CFG, agency if agency != "none" else "opcc", "Ann Quarrie", category,
                          date(2026, 12, 7) if respond_by else None, date(2026, 11, 25)),
        "category": category, "urgent": urgent, "reference": "MID-2026-00042",
        "case": None, "case_reopened": False, "campaign_response": campaign_response, "open_cases": [],
        "noun": {"foi": "request for information", "complaint": "complaint"}.get(category, "message"),
        "greeting_name": "Ann Quarrie", "acknowledge_by": "Wednesday 25 November 2026", "respond_by": respond_by,
        "triage": _Triage(urgent), "incoming": None, "message": "",
        # Compose's helplines for an urgent reply; a campaign response's own words and title.
        "helplines": [h for h in CFG.helplines.values() if h.default] if urgent else [],
        "campaign_title": "Keep Riverside station open", "response": "The station will stay open.",
    }


class _Triage:
    """The few triage fields the chat templates read."""

    def __init__(self, urgent: bool) -> None:
        self.urgent = urgent
        self.case = None


def problems(text: str) -> list[str]:
    """What a reader would trip over in a rendered plain-text reply."""
    found = []
    if "\n\n\n" in text:
        found.append("a doubled blank line")
    if re.search(r"\{\{|\}\}|\{%|%\}|\{#", text):
        found.append("an unrendered template tag")
    if re.search(r"\bNone\b|\bundefined\b|\[\]|\{\}", text):
        found.append("an unfilled placeholder (None, undefined, [] or {})")
    if re.search(r"[ \t]+$", text, re.M):
        found.append("trailing spaces")
    for para in (p.strip() for p in text.split("\n\n") if p.strip()):
        lines = para.splitlines()
        for i, line in enumerate(lines):
            line = line.strip()
            if re.search(r"\s[.,;:!?]|\.\.(?!\.)|,,|  +\S|[a-z][.!?][A-Z]", line):
                found.append(f"broken punctuation or spacing: {line[:80]!r}")
            if re.search(r"[.!?]\s+[a-z]", line) and not re.search(r"\b(e\.g|i\.e|etc)\.\s", line):
                found.append(f"a sentence starting in lower case: {line[:80]!r}")
            if re.search(r"\b(\w+) \1\b", line, re.I) and not re.search(r"\b(\d+) \1\b", line):
                found.append(f"a doubled word: {line[:80]!r}")
            last = i == len(lines) - 1
            ends_with_url = re.search(r"https?://\S+$", line)
            if last and not FRAME.match(line) and not ends_with_url and not re.search(r"[.!?:)”\"]$", line):
                found.append(f"a paragraph that does not end a sentence: {line[-80:]!r}")
        joined = " ".join(lines)
        if re.search(r"call 999\.\s*Yours sincerely", joined):
            found.append("the 999 line runs into the sign-off")
    return found


def html_problems(html: str, text: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    paras = [p.get_text() for p in soup.find_all("p")]
    if any(not p.strip() for p in paras):
        found.append("an empty paragraph")
    for url in re.findall(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)]", text):
        if not soup.find("a", href=url):
            found.append(f"{url} is not a link")
    body = soup.get_text()
    if re.search(r"\{\{|\}\}|\{%|&lt;|&gt;|&amp;", body):
        found.append("template tags or double-escaped text in the HTML")
    return found


CASES = [
    (name, agency, category, urgent, langs)
    for name in reply_names()
    for langs in languages_of(name)
    for agency, category, urgent in itertools.chain(
        ((a, "correspondence", False) for a in AGENCIES),
        ((a, c, False) for a in ("opcc", "force_foi", "opcc_foi") for c in ("foi", "officer_correspondence",
                                                                            "complaint", "consultation")),
        ((a, "correspondence", True) for a in ("opcc", "emergency_999")),
    )
]


@pytest.mark.parametrize(("name", "agency", "category", "urgent", "langs"), CASES,
                         ids=[f"{n}-{a}-{c}{'-urgent' if u else ''}-{'+'.join(lg)}" for n, a, c, u, lg in CASES])
def test_every_reply_template_reads_well(name: str, agency: str, category: str, urgent: bool,
                                         langs: tuple[str, ...]) -> None:
    v = variables(agency, category=category, urgent=urgent)
    reply = render_reply(ENV, name, "[MID-2026-00042] Re: a question", v, langs)
    assert problems(reply.text) == [], reply.text
    assert html_problems(reply.html or "", reply.text) == [], reply.html


@pytest.mark.parametrize("name", ["opcc", "campaign", "followup", "force_psd"])
def test_routine_replies_to_officers_do_not_tell_them_to_ring_999(name: str) -> None:
    officer = render_reply(ENV, name, "s", variables("opcc", category="officer_correspondence", urgent=False))
    public = render_reply(ENV, name, "s", variables("opcc", category="correspondence", urgent=False))
    assert "call 999" not in officer.text
    assert "If you or anyone else is ever in immediate danger, call 999.\n\nYours sincerely," in public.text


def test_the_commissioner_keeps_its_capitals_and_campaign_wording() -> None:
    text = render_reply(ENV, "campaign", "s", variables("opcc", category="campaign", urgent=False)).text
    assert "The Police and Crime Commissioner will consider the points you raise" in text
    response = render_reply(ENV, "campaign", "s", variables("opcc", category="campaign", urgent=False,
                                                             campaign_response="The station stays open.")).text
    assert "The station stays open." in response and problems(response) == []


def test_foi_replies_say_who_answers_and_by_when() -> None:
    ours = render_reply(ENV, "opcc_foi", "s", variables("opcc_foi", category="foi", urgent=False)).text
    assert "we will answer it ourselves under the Freedom of Information Act 2000" in ours
    assert "will reply to you by Monday 7 December 2026, within the 20 working days the Act allows." in ours
    assert "The best place for this" not in ours
    force = render_reply(ENV, "force_foi", "s", variables("force_foi", category="foi", urgent=False)).text
    assert "We aim to give you a full response" not in force  # the force answers, not the office
    assert "The force will reply to you directly" in force and "FOI unit" not in force


def test_urls_and_addresses_are_links_in_html_and_full_stops_stay_outside() -> None:
    html = render_reply(ENV, "police_101", "s", variables("police_101", category="correspondence",
                                                           urgent=False)).html or ""
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert "https://www.wessexvale.police.example.org/report" in hrefs
    assert "https://www.wessexvale-pcc.example.org" in hrefs


def stored_case(**kw: Any) -> Case:
    base: dict[str, Any] = {"id": 1, "reference": "MID-2026-00042", "status": CaseStatus.open,
                            "category": "correspondence", "agency": "opcc", "urgent": False, "channel": "email",
                            "subject": "A question", "opened_at": T0, "last_action_at": T0,
                            "acknowledge_by": T0.date(), "respond_by": T0.date()}
    return Case(**{**base, **kw})


@pytest.mark.parametrize("agency", [a for a in AGENCIES if a != "none"])
def test_every_template_a_caseworker_can_load_reads_well(agency: str) -> None:
    for urgent, category in ((False, "correspondence"), (True, "complaint"), (False, "foi")):
        case = stored_case(agency=agency, urgent=urgent, category=category)
        for choice in reply_templates():
            text = render_choice(ENV, CFG, case, [], choice.key)
            assert problems(text.replace(CASEWORK_PLACEHOLDER, "We have looked into this.")) == [], (choice, text)


def test_the_list_shows_only_what_fits_the_case() -> None:
    keys = {c.key for c in choices_for(stored_case(agency="force_psd"), [])}
    assert "reply/force_psd" in keys and "reply/police_101" not in keys and "reply/emergency_999" not in keys
    assert "casework/signpost_onward" in keys and "reply/campaign" not in keys
    urgent = {c.key for c in choices_for(stored_case(urgent=True, agency="opcc"), [])}
    assert {"reply/emergency_999", "reply/opcc"} <= urgent and "casework/signpost_onward" not in urgent
    closed = {c.key for c in choices_for(stored_case(status=CaseStatus.closed), [])}
    assert "casework/no_update_yet" not in closed and "reply/followup" not in closed
    foi_only = SavedReply(id=7, name="FOI refusal", body="x", categories=["foi"], agencies=[], active=True)
    assert f"{SAVED}/7" not in {c.key for c in choices_for(stored_case(), [foi_only])}
    assert f"{SAVED}/7" in {c.key for c in choices_for(stored_case(category="foi"), [foi_only])}


def test_a_saved_reply_renders_with_the_same_placeholders_in_the_frame() -> None:
    case = stored_case(agency="police_101")
    body = ("We have passed your concern to the neighbourhood team for {{ agency.name }}.\n\n"
            "{% if urgent %}Please call 999 now.{% endif %}\n\n\nQuote {{ reference }} if you call "
            "{{ agencies.police_101.phone }}.")
    text = render_saved(ENV, body, template_variables(CFG, case, []))
    assert text.startswith("Dear Sir or Madam,\n\nWe have passed your concern to the neighbourhood team for the "
                           "police non-emergency line.\n\nQuote MID-2026-00042 if you call 101.\n\n")
    assert problems(text) == []


def test_load_template_keeps_what_was_typed(tmp_path: Path) -> None:
    case = stored_case()
    typed = "We spoke to the inspector, who will review the patrol plan in January."
    text = render_choice(ENV, CFG, case, [], "casework/response", typed=typed)
    assert CASEWORK_PLACEHOLDER not in text and f"\n\n{typed}\n\n" in text
    # A letter typed from another template: only the caseworker's words move to the new one.
    letter = render_choice(ENV, CFG, case, [], "casework/no_update_yet", typed=typed)
    assert letter.count("Dear ") == 1 and typed in letter
    again = render_choice(ENV, CFG, case, [], "casework/response", typed=letter)
    assert again.count("Dear ") == 1 and again.count("Yours sincerely") == 1 and typed in again


def test_the_lint_catches_what_it_looks_for() -> None:
    bad = ("Dear A,\n\n\nThank you .we got it\n\nIf you or anyone else is ever in immediate danger, call 999.\n"
           "Yours sincerely,\n\nOur reference is None")
    found = problems(bad)
    assert "a doubled blank line" in found and "the 999 line runs into the sign-off" in found
    assert any(f.startswith("broken punctuation") for f in found)
    assert "an unfilled placeholder (None, undefined, [] or {})" in found
    assert problems("Dear A,\n\nIt is is done\n\nYours sincerely,") == ["a doubled word: 'It is is done'",
                                                                       "a paragraph that does not end a sentence: "
                                                                       "'It is is done'"]
    assert html_problems("<p>See https://x.org/a.</p><p> </p>", "See https://x.org/a.") == [
        "an empty paragraph", "https://x.org/a is not a link"]
