"""The match stage on harder shapes: campaign copies with long stories or forwarded, greetings
before the real message, and "unrelated to my complaint" from a known sender."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations

import pytest
from test_match import T0, MatchContext, chat, mail, rules, run, triage_of

from handlers import match
from handlers.campaigns import template_score
from handlers.matchtext import content_free, new_matter_opening
from handlers.settings import MatchSettings
from handlers.types import CampaignRef, CaseRef, Incoming, Kind

MARKET = """\
I am asking you to fund working CCTV cameras in the market square. Since the old cameras were
switched off, stallholders have reported more thefts, more damage to their pitches and more
shoppers being harassed after dark. The square is where the buses stop and where families shop
on a Saturday, and it ought to feel safe for everyone who passes through it.

Cameras cost little to run, and their footage lets officers identify offenders quickly and
saves many hours of investigation. Please tell me whether funding has been considered, what it
would cost, and when residents can expect a decision. Please also press the council to mend the
broken street lights around the square at the same time.
"""
STORY = """\
Let me say why this matters to me. I have sold cheese and bread from a stall on the square for
fourteen years. Last winter a gang of lads overturned my trestle twice in a fortnight, and the
second time one of them spat at my nephew, who helps me on Saturdays. He was not hurt, but he has
not wanted to come back since, and I do not blame him. The officer who came was kind but honest:
without pictures there was nothing to go on. I lost two hundred pounds of stock that month. The
woman who sells plants had her takings lifted from under her table while she served a customer,
and the man with the phone-case stall has had his van tyres slashed three times this year. We are
not asking for miracles, only for the same protection that the shopping arcade across the road
already enjoys, because anyone who walks through both after dark can feel the difference.
"""


def letter(body: str, name: str, greeting: str = "Dear Commissioner,") -> str:
    return f"{greeting}\n\n{body}\nYours sincerely,\n{name}\n"


def supporter(n: int, body: str, subject: str = "CCTV for the market square", **kw: object) -> Incoming:
    return mail(f"market{n}@example.net", f"Trader{n} Example", subject, body, **kw)


def forward(n: int, note: str, name: str = "[your name]") -> Incoming:
    quoted = ("---------- Forwarded message ---------\nFrom: Square Traders <traders@example.org>\n"
              "Date: Mon, 2 Mar 2026 at 18:02\nSubject: CCTV for the market square\n"
              f"To: Trader{n} <market{n}@example.net>\n\n" + letter(MARKET, name))
    return supporter(n, note, "Fwd: CCTV for the market square", quoted=quoted)


def top_posted(n: int, note: str) -> Incoming:
    quoted = "On Mon, 2 Mar 2026 at 09:14, Trader1 <market1@example.net> wrote:\n" + letter(MARKET, "Trader1 Example")
    return supporter(n, note, "Re: CCTV for the market square", quoted=quoted)


def replay(ctx: MatchContext, msgs: list[Incoming], start: datetime = T0) -> list[int]:
    """Run each message through match and store it as the worker would; returns each message's case id."""
    for k, inc in enumerate(msgs):
        at = start + timedelta(hours=3 * k)
        t = triage_of(inc, at, raw_id=len(ctx.contacts) + 1)
        match.process(t, ctx)
        row = ctx.add(inc, at)
        if t.new_campaign_title:
            assert t.campaign_fingerprint
            ctx.camps.append(CampaignRef(len(ctx.camps) + 1, row.case_id, t.new_campaign_title,
                                         t.campaign_fingerprint))
            for peer in ctx.contacts:
                if peer.raw_id in t.campaign_peer_raw_ids:
                    peer.case_id = row.case_id
        elif t.campaign is not None:
            row.case_id = t.campaign.case_id
        elif t.case is not None:
            row.case_id = t.case.id
    return [c.case_id for c in ctx.contacts]


def campaign_of_ten(long_first: bool) -> list[Incoming]:
    plain = [supporter(n, letter(MARKET, f"Trader{n} Example")) for n in range(3, 10)]
    plain[1].body += "\n--\nSent via PetitionPost on behalf of a supporter"
    story_mid = supporter(1, letter(MARKET.replace("\n\nCameras", f"\n\n{STORY}\nCameras"), "Trader1 Example"))
    story_end = supporter(2, letter(MARKET + "\n" + STORY.replace("cheese and bread", "flowers"), "Trader2 Example"))
    fwd = forward(10, "I agree with this. Please read below.\n\nTrader10")
    if long_first:
        return [story_mid, fwd, story_end, *plain]
    return [plain[0], story_mid, plain[1], fwd, story_end, *plain[2:]]


@pytest.mark.parametrize("long_first", [True, False])
def test_a_campaign_with_long_stories_and_a_forward_ends_in_one_campaign(long_first: bool) -> None:
    ctx = MatchContext()
    cases = replay(ctx, campaign_of_ten(long_first))
    pairs = list(combinations(cases, 2))
    assert len(cases) == 10 and sum(a == b for a, b in pairs) == len(pairs)  # campaign pairwise recall 1.0
    assert len(ctx.camps) == 1
    # The fingerprint is the shared template, not one writer's story.
    assert "nephew" not in ctx.camps[0].fingerprint and "flowers" not in ctx.camps[0].fingerprint


def test_a_forward_and_a_top_posted_copy_join_an_existing_campaign() -> None:
    ctx = MatchContext()
    replay(ctx, [supporter(1, letter(MARKET, "Trader1 Example")), supporter(2, letter(MARKET, "Trader2 Example"))])
    for inc in (forward(3, "Please read below, I support this"), top_posted(4, "+1")):
        t = run(ctx, inc, T0 + timedelta(days=1))
        assert t.campaign is not None and t.kind is Kind.CAMPAIGN
        assert "the forwarded copy" in next(h.reason for h in t.hits if h.rule == "campaign")


def test_a_forward_of_one_other_letter_alone_does_not_start_a_campaign() -> None:
    ctx = MatchContext()
    ctx.add(supporter(1, letter(MARKET, "Trader1 Example")), T0)
    t = run(ctx, top_posted(2, "See below from my neighbour, I feel the same."), T0 + timedelta(hours=2))
    assert t.new_campaign_title is None and "campaign_forward_single" in rules(t)


def test_a_short_note_quoting_one_sentence_and_an_own_letter_do_not_join() -> None:
    ctx = MatchContext()
    replay(ctx, [supporter(1, letter(MARKET, "Trader1 Example")), supporter(2, letter(MARKET, "Trader2 Example"))])
    note = mail("curious@example.org", "Ada Penn", "Is this true?", """\
        A leaflet says "since the old cameras were switched off, stallholders have reported more thefts,
        more damage to their pitches and more shoppers being harassed after dark". How many thefts were
        recorded in the square in each of the last three years?
    """)
    own = mail("resident@example.org", "Bea Lund", "Cameras in the market square", letter(
        "People keep writing to you about cameras in the market square, so here is another view in my "
        "own words. I live above a shop on the square. The trouble at night comes from young people "
        "with nowhere to go since the youth club shut, and a camera on a pole will not change that. I "
        "would rather the money paid for the youth club and for an officer who walks through the square "
        "in the evening and knows the stallholders by name. Cameras record what happened; they rarely "
        "stop it. " + STORY.replace("I have sold", "My neighbour has sold"), "Bea Lund"))
    for inc in (note, own):
        t = run(ctx, inc, T0 + timedelta(days=1))
        assert t.campaign is None and t.new_campaign_title is None, inc.subject


def test_containment_needs_the_template_whole_not_scattered_words() -> None:
    s = MatchSettings()
    template = MARKET.lower().replace(",", "").replace(".", "").split()
    with_story = template + STORY.lower().split()
    assert template_score(template, with_story, s)[0] >= s.campaign_coverage
    # A copy cut short (its first 30 words, nothing of its own) is a copy; a few words are not,
    # nor a sentence of the template inside a note in the writer's own words.
    assert template_score(template[:30], with_story, s)[0] >= s.campaign_cut_coverage
    assert template_score(template[: s.campaign_cut_words - 1], with_story, s) == (0.0, 0)
    own_words = "i read a leaflet today and i am not sure about it at all".split()
    quoting = own_words + template[:16] + "what do the stallholders themselves think of this idea".split()
    assert template_score(quoting, with_story, s) == (0.0, 0)
    scattered = [w for i, w in enumerate(STORY.lower().split() * 2) if i % 3]
    assert template_score(template, scattered, s)[0] < s.campaign_coverage


def test_a_thank_you_quoting_our_acknowledgement_is_a_followup_not_a_campaign() -> None:
    ctx = MatchContext()
    ack = ("From: Office of the Police and Crime Commissioner <enquiries@wessexvale-pcc.gov.uk>\n"
           "Subject: Your message\n\nThank you for contacting the office. We have received your message and a "
           "member of the team will read it carefully and reply within twenty working days. If you or "
           "someone else is in danger now, call 999.\n")
    for n, topic in ((1, "Loud exhausts on the retail park every Friday night until 2am."),
                     (2, "A man selling fake parking permits door to door in our street.")):
        ctx.add(mail(f"writer{n}@example.org", f"Writer{n} Example", "Hello", topic), T0)
    for n in (1, 2):
        t = run(ctx, mail(f"writer{n}@example.org", f"Writer{n} Example", "RE: Your message",
                          "Thank you, I look forward to hearing from you.", quoted=ack), T0 + timedelta(days=1))
        assert t.campaign is None and t.new_campaign_title is None
        assert t.case is not None and t.case.id == n and "reply_to_office" in rules(t)


# Greetings and "is this the right place?" before the real message.

@pytest.mark.parametrize("fragments", [["hello?", "u the police one"], ["is this the right place"],
                                       ["bore da"], ["can i report something on here", "hiii"]])
def test_telegram_greetings_then_the_report_make_one_case(fragments: list[str]) -> None:
    ctx = MatchContext()
    ctx.add(chat(6100, fragments[0]), T0)
    for k, text in enumerate(fragments[1:], 1):
        t = run(ctx, chat(6100, text), T0 + timedelta(minutes=k))
        assert t.case is not None and t.case.id == 1
        ctx.add(chat(6100, text), T0 + timedelta(minutes=k), case_id=1)
    report = chat(6100, "I want to report a man who keeps following my daughter home from the bus stop")
    t = run(ctx, report, T0 + timedelta(hours=3))
    assert t.case is not None and t.case.id == 1 and "after_fragments" in rules(t)
    # "hello?" decided nothing: the report's own category and signpost stand (nothing to inherit).
    assert t.case.category is None and t.case.agency is None


def test_an_email_test_then_the_complaint_within_hours_is_one_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("kit@example.com", "Kit Dunn", "test", "test"), T0)
    real = mail("kit@example.com", "Kit Dunn", "Officer at the front desk", """\
        I want to complain about the officer at the front desk who swore at me when I handed in a purse.
    """)
    t = run(ctx, real, T0 + timedelta(hours=2))
    assert t.case is not None and t.case.id == 1 and "after_fragments" in rules(t)


def test_a_greeting_days_before_a_report_is_not_its_case() -> None:
    ctx = MatchContext()
    ctx.add(chat(6101, "hi"), T0)
    t = run(ctx, chat(6101, "someone sprayed graffiti all over the bus shelter by the school"),
            T0 + timedelta(days=3))
    assert t.case is None and "after_fragments" not in rules(t)


def test_a_real_case_is_not_taken_as_fragments() -> None:
    ctx = MatchContext()
    ctx.add(chat(6102, "my bike was stolen from outside the library"), T0)
    t = run(ctx, chat(6102, "I want to report a drink driver who parks on our road every night"),
            T0 + timedelta(hours=4))
    assert "after_fragments" not in rules(t) and t.case is None


def test_a_thank_you_email_minutes_after_a_report_joins_it() -> None:
    ctx = MatchContext()
    ctx.add(mail("kit@example.com", "Kit Dunn", "Stolen bike", "My bike was stolen from the library racks."), T0)
    t = run(ctx, mail("kit@example.com", "Kit Dunn", "", "Thanks!\n\nKit"), T0 + timedelta(minutes=20))
    assert t.case is not None and t.case.id == 1 and "fragment" in rules(t)


@pytest.mark.parametrize(("text", "free"), [
    ("hello?", True), ("Is anyone there?", True), ("u the police one", True), ("bore da", True),
    ("test", True), ("my bike was stolen", False), ("fire at 12 mill lane", False),
    ("can I talk to someone about my neighbour", False),
])
def test_content_free(text: str, free: bool) -> None:
    assert content_free(text) is free


# "Same sender, new matter".

EXPENSES = """\
    I wish to complain about the Commissioner's expenses: first class rail travel and London hotels
    every month while the local station is only open two mornings a week.
"""


def _complainant() -> MatchContext:
    ctx = MatchContext()
    ctx.add(mail("bryn@example.net", "Bryn Cole", "Commissioner's expenses", EXPENSES, message_id="<b1@example.net>"),
            T0)
    ctx.cases[1] = CaseRef(1, "MID-2026-00001", "open", "complaint", 1, subject="Commissioner's expenses",
                           agency="police_crime_panel")
    return ctx


@pytest.mark.parametrize("opening", [
    "Unrelated to my complaint, what share of the precept goes to the fire service?",
    "Separate matter: what share of the precept goes to the fire service?",
    "On a different note, what share of the precept goes to the fire service?",
    "This is not about my complaint. What share of the precept goes to the fire service?",
    "Another matter - what share of the precept goes to the fire service?",
])
def test_unrelated_to_my_complaint_opens_a_new_case_without_inheriting(opening: str) -> None:
    ctx = _complainant()
    for extra in ({}, {"in_reply_to": "<b1@example.net>"}):
        t = run(ctx, mail("bryn@example.net", "Bryn Cole", "Re: Commissioner's expenses", opening, **extra),
                T0 + timedelta(days=20))
        assert t.case is None and not t.followup and t.person_id == 1, extra
        assert "new_matter_cue" in rules(t) and "new_case" in rules(t)


def test_the_complainant_following_up_still_joins() -> None:
    ctx = _complainant()
    t = run(ctx, mail("bryn@example.net", "Bryn Cole", "Expenses",
                      "Further to my complaint about the Commissioner's expenses, has the panel looked at it?"),
            T0 + timedelta(days=30))
    assert t.case is not None and t.case.id == 1 and t.followup


@pytest.mark.parametrize(("subject", "body", "fresh"), [
    ("Precept", "Unrelated to my earlier email: how is the precept set?", True),
    ("Different issue", "Who do I ask about a firearms licence?", True),
    ("Re: my complaint", "There is another issue with the officer: he also refused my name.", False),
    ("Re: my complaint", "The officer said the damage was unrelated, which I dispute.", False),
])
def test_new_matter_opening(subject: str, body: str, fresh: bool) -> None:
    assert new_matter_opening(subject, body, MatchSettings()) is fresh
