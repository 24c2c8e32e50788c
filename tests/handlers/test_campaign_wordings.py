"""One case per campaign when its copies differ: cut short, reworded, short, with a story, forwarded.

Every text here is invented for these tests (a campaign to keep a weekly police van visiting
villages); each rule has a case it must take and cases it must leave to the writer's own matter.
"""

from __future__ import annotations

from datetime import timedelta

from test_match import T0, MatchContext, Stored, mail, rules, run, triage_of

from handlers import campaigns, match
from handlers.campaigns import template_score
from handlers.matchtext import template_words
from handlers.settings import MatchSettings
from handlers.types import CampaignRef, Incoming

TEMPLATE = """\
I am writing to ask you to keep the community police van visiting our villages every week after
March. The van is the only way many of us can talk to an officer without travelling into town.

It parks by the church hall on Thursday mornings, and older people, carers and anyone without a
car rely on it to report problems, ask for advice and hand in things they have found.

I ask you to:
- keep the weekly visits at least until the next budget is set;
- publish the cost of the van and the number of people who use it;
- meet the parish councils before any change is decided.
"""
# The same campaign in another supporter's words: the points in the same order, little of the wording.
REWORDED = """\
I'd like you to think again about ending the weekly visits of the community police van to our villages.
For many of us the van is the one chance to speak to an officer without a trip into town.

Please:
- keep the visits going at least until the next budget;
- publish what the van costs and how many people use it;
- meet the parish councils first.
"""
SUBJECT = "Keep the village police van"


def letter(body: str, name: str) -> str:
    return f"Dear Commissioner,\n\n{body}\nYours sincerely,\n{name}\n"


def supporter(n: int, name: str, body: str = TEMPLATE, subject: str = SUBJECT) -> Incoming:
    return mail(f"villager{n}@example.net", name, subject, letter(body, name))


def with_campaign(*copies: tuple[Incoming, int]) -> tuple[MatchContext, CampaignRef, list[Stored]]:
    """A context with campaign #7 (fingerprint: the template) and these copies filed in its case."""
    ctx = MatchContext()
    first = ctx.add(supporter(1, "Orla Penhale"), T0)
    camp = CampaignRef(7, first.case_id, SUBJECT, " ".join(template_words(first.text, ["Orla Penhale"])))
    ctx.camps.append(camp)
    stored = [ctx.add(inc, T0 + timedelta(hours=h), case_id=first.case_id) for inc, h in copies]
    return ctx, camp, stored


def reason(t: object, rule: str) -> str:
    return next(h.reason for h in t.hits if h.rule == rule)  # type: ignore[attr-defined]


# --- a copy cut short ------------------------------------------------------------------------------


def test_a_copy_cut_short_joins_the_campaign() -> None:
    ctx, camp, _ = with_campaign()
    first_lines = TEMPLATE.split("\n\n")[0]  # pasted in, or cut off by the sending device
    t = run(ctx, mail("ned@example.org", "Ned Tallack", "police van", first_lines + "\n\nNed"), T0 + timedelta(days=1))
    assert t.campaign is camp and "campaign" in rules(t)
    assert "with its template (a copy cut short)" in reason(t, "campaign")


def test_a_few_words_or_a_quoted_sentence_never_join() -> None:
    ctx, _, _ = with_campaign()
    for body in ("Keep the community police van visiting.",
                 "I saw a leaflet today that says 'the van is the only way many of us can talk to an officer "
                 "without travelling into town'. My neighbour says the leaflet is wrong and the van stopped coming "
                 "in the summer. Could you tell me which is true, and who I should ask about a lost bicycle?"):
        t = run(ctx, mail("pip@example.org", "Pip Rowse", "A question", body), T0 + timedelta(days=1))
        assert t.campaign is None and t.new_campaign_title is None, body


def test_cut_score_needs_words_in_order_and_in_runs() -> None:
    s = MatchSettings()
    template = template_words(TEMPLATE)
    assert template_score(template[:20], template, s)[0] >= s.campaign_cut_coverage
    assert template_score(template[: s.campaign_cut_words - 1], template, s) == (0.0, 0)
    shuffled = template[:20][::-1]  # the same words, no sentence of the template left
    assert template_score(shuffled, template, s) == (0.0, 0)



def test_the_word_sets_a_caller_passes_give_the_same_scores_as_those_made_inside() -> None:
    s = MatchSettings()
    template, reworded = template_words(TEMPLATE), template_words(REWORDED)
    pairs = [(template, reworded), (reworded, template), (template[:20], template), (template, template[:30]),
             (template[:20][::-1], template), (template + reworded, template), (template[: s.campaign_cut_words - 1],
                                                                               template)]
    for a, b in pairs:
        assert template_score(a, b, s, (frozenset(a), frozenset(b))) == template_score(a, b, s)

# --- compared with every recent copy, and earlier look-alikes taken in ---------------------------------


def test_a_copy_close_only_to_another_copy_joins_by_that_copy() -> None:
    ctx, camp, stored = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    # Closer to Tam's wording than to the template: only the copy shows it belongs.
    t = run(ctx, supporter(3, "Ula Jory", REWORDED.replace("I'd like you", "I would like you")),
            T0 + timedelta(days=1))
    assert t.campaign is camp
    assert f"copy raw #{stored[0].raw_id}" in reason(t, "campaign")



def test_only_each_campaigns_newest_copies_are_compared_and_a_miss_says_so() -> None:
    cap = MatchSettings().campaign_copies_per_campaign
    plain = [(supporter(10 + n, f"Supporter Number{n}"), 3 + n) for n in range(cap)]
    ctx, camp, stored = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2), *plain)
    # Tam's wording is older than the campaign's newest `cap` copies: not compared with, the
    # template misses, and the reason says only the newest were read; the subject still joins it.
    t = run(ctx, supporter(3, "Ula Jory", REWORDED.replace("I'd like you", "I would like you")),
            T0 + timedelta(days=1))
    assert f"copy raw #{stored[0].raw_id}" not in " ".join(h.reason for h in t.hits)
    assert f"compared with its newest {cap} recent copies only" in reason(t, "campaign_miss")
    assert t.campaign is camp and "campaign_reworded" in rules(t)
    # One copy fewer in the window: Tam's is among the newest and the copy joins by it.
    ctx.contacts.remove(stored[-1])
    t = run(ctx, supporter(3, "Ula Jory", REWORDED.replace("I'd like you", "I would like you")),
            T0 + timedelta(days=1))
    assert t.campaign is camp and f"copy raw #{stored[0].raw_id}" in reason(t, "campaign")

def test_a_copy_joining_brings_an_earlier_look_alike_read_as_a_letter() -> None:
    ctx, camp, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    # Before Tam's copy was known this wording matched nothing: it has its own case.
    earlier = ctx.add(supporter(4, "Wyn Carne", REWORDED.replace("Please:", "So please:")), T0 + timedelta(hours=1))
    t = run(ctx, supporter(3, "Ula Jory", REWORDED.replace("I'd like you", "I would like you")),
            T0 + timedelta(days=1))
    assert t.campaign is camp and t.campaign_peer_raw_ids == [earlier.raw_id]
    assert "campaign_look_alikes" in rules(t)


def test_the_writers_own_earlier_message_is_not_taken_as_a_look_alike() -> None:
    ctx, camp, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    ctx.add(supporter(3, "Ula Jory", REWORDED.replace("Please:", "So please:")), T0 + timedelta(hours=1))
    t = run(ctx, supporter(3, "Ula Jory", REWORDED.replace("I'd like you", "I would like you")),
            T0 + timedelta(days=1))
    assert t.campaign is camp and t.campaign_peer_raw_ids == []


def test_look_alikes_close_to_a_campaign_join_it_rather_than_start_a_second() -> None:
    ctx, camp, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    # Two more supporters share a third wording; it is close to the campaign's copies, not a new campaign.
    third = REWORDED.replace("think again about ending", "stop the ending of").replace("first.", "before deciding.")
    earlier = ctx.add(supporter(4, "Wyn Carne", third), T0 + timedelta(hours=3))
    inc = supporter(5, "Zia Hocking", third.replace("Please:", "So please:"))
    t = triage_of(inc, T0 + timedelta(days=1))
    s = ctx.config.triage.match
    assert campaigns.detect_campaign(t, inc, ctx, s, "villager5@example.net")
    assert t.campaign is camp and t.new_campaign_title is None
    assert t.campaign_peer_raw_ids == [earlier.raw_id] and "campaign_close" in rules(t)


def test_two_look_alikes_far_from_any_campaign_start_their_own() -> None:
    ctx, camp, _ = with_campaign()
    other = letter("""\
        I am writing to ask you to fund a second school crossing patrol on the main road by the primary
        school. The road is used by lorries from the quarry from seven in the morning and children cross
        it in the dark in winter. Please meet the head teacher and the parents' group, publish the number
        of near misses reported, and tell us when a decision will be made before the new school year.
    """.replace("        ", ""), "Ada Vosper")
    ctx.add(mail("ada@example.net", "Ada Vosper", "Crossing patrol", other), T0 + timedelta(hours=1))
    t = run(ctx, mail("ben@example.net", "Ben Vosper", "Crossing patrol", other.replace("Ada", "Ben")),
            T0 + timedelta(days=1))
    assert t.new_campaign_title == "Crossing patrol" and t.campaign is None


# --- short copies in the writer's own words ---------------------------------------------------------------


def test_a_short_copy_in_own_words_joins() -> None:
    ctx, camp, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    t = run(ctx, mail("kit@example.org", "Kit Angove", "police van",
                      "keep the community police van visiting the villages every week. not everyone has a car\n\nKit"),
            T0 + timedelta(days=1))
    assert t.campaign is camp and "campaign_short" in rules(t)


def test_short_messages_of_the_writers_own_stay_out() -> None:
    ctx, _, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    own = [
        ("police van", "Is the community police van still visiting the villages every week after March?"),
        ("police van", "The community police van was parked across my drive by the church hall this morning."),
        ("Stolen quad bike", "Keep the community police van visiting the villages every week, my quad bike was "
                             "stolen last night."),
        ("police van", "Any update on my letter about the police van visiting the villages every week?"),
        ("police van", "hello"),
        ("", "keep the community police van visiting the villages every week. not everyone has a car"),
    ]
    for subject, body in own:
        t = run(ctx, mail("lou@example.org", "Lou Trebilcock", subject, body), T0 + timedelta(days=1))
        assert t.campaign is None, body


def test_an_urgent_short_message_is_never_a_campaign_copy() -> None:
    ctx, _, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    inc = mail("kit@example.org", "Kit Angove", "police van",
               "keep the community police van visiting the villages every week. not everyone has a car")
    t = triage_of(inc, T0 + timedelta(days=1))
    t.urgent = True
    match.process(t, ctx)
    assert t.campaign is None


def test_a_short_note_from_a_writer_with_an_open_case_stays_on_their_case() -> None:
    ctx, _, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    mine = ctx.add(mail("kit@example.org", "Kit Angove", "Police van parking",
                        "The community police van parks on the village green every Thursday and has churned it up."),
                   T0 + timedelta(hours=5))
    t = run(ctx, mail("kit@example.org", "Kit Angove", "Re: Police van parking",
                      "The police van again on the village green every week, the church hall has a car park."),
            T0 + timedelta(days=1))
    assert t.campaign is None and t.case is not None and t.case.id == mine.case_id


# --- a copy in other words with a story of the writer's own ------------------------------------------------


STORY = ("Last winter my father fell on the ice outside his bungalow and lay there for an hour before a "
         "neighbour found him. It was the officer at the van who sorted out a key safe and a check-in "
         "call for him, and I still do not know who else would have done it.")


def test_a_reworded_copy_with_a_story_makes_most_points_and_joins() -> None:
    ctx, camp, stored = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    body = """\
        I am asking you not to end the community police van's weekly visits to the villages after March.

        The van is the only way lots of us can speak to an officer without the trip into town.

        {story}

        So please keep the visits going until at least the next budget, publish the cost of the van and how
        many people use it, and meet the parish councils before you change anything.
    """.replace("        ", "").format(story=STORY)
    inc = mail("mo@example.org", "Mo Pascoe", "Village van", letter(body, "Mo Pascoe"))
    assert run(ctx, inc, T0 + timedelta(days=1)).campaign is camp  # by whichever rule reads it first
    t = triage_of(inc, T0 + timedelta(days=1))
    assert campaigns.join_restated(t, inc, ctx, ctx.config.triage.match)
    assert t.campaign is camp and f"copy raw #{stored[0].raw_id}" in reason(t, "campaign_restated")


def test_a_letter_of_ones_own_on_the_campaign_topic_is_not_a_copy() -> None:
    ctx, _, _ = with_campaign((supporter(2, "Tam Rescorla", REWORDED), 2))
    body = """\
        I have heard that the community police van may stop visiting the villages.

        {story}

        Before anything is decided, could you tell me who my father should call now if he is worried at
        night, and whether the key safe scheme will carry on?
    """.replace("        ", "").format(story=STORY)
    t = run(ctx, mail("mo@example.org", "Mo Pascoe", "My father and the police van", letter(body, "Mo Pascoe")),
            T0 + timedelta(days=1))
    assert t.campaign is None and t.new_campaign_title is None


# --- a forwarded copy under a cover note --------------------------------------------------------------------


COVER = ("I am forwarding, at the request of a number of residents in my ward who do not use email and who "
         "asked me to pass it on, the letter below, which they have all signed. I would be grateful if each of "
         "them could have a reply by post, and my office holds their addresses. I support what they ask for "
         "and I hope you will meet them.")


def _forward(cover: str) -> Incoming:
    quoted = f"-----Original Message-----\nFrom: Residents <residents@example.org>\nSubject: Van\n\n{TEMPLATE}"
    return mail("cllr.hendra@example.gov.uk", "Cllr Jan Hendra", "FW: police van", f"{cover}\n\nJan Hendra",
                quoted=quoted)


def test_a_longer_cover_note_that_forwards_the_letter_sends_the_copy() -> None:
    ctx, camp, _ = with_campaign()
    t = run(ctx, _forward(COVER), T0 + timedelta(days=1))
    assert t.campaign is camp and "the forwarded copy" in reason(t, "campaign")


def test_a_longer_note_of_ones_own_above_a_quote_is_read_as_itself() -> None:
    ctx, _, _ = with_campaign()
    own = COVER.replace("I am forwarding, at the request of", "I have been contacted by").replace(
        "the letter below, which they have all signed", "about the van")
    t = run(ctx, _forward(own), T0 + timedelta(days=1))
    assert t.campaign is None
