"""The match stage: case linking (reference, thread, same person and matter) and campaigns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from textwrap import dedent
from typing import Any

import pytest
from fakes import per_campaign_newest

from bot.config import ConfigError, load_config
from handlers import campaigns, match, pipeline
from handlers.campaigns import campaign_text, own_mail
from handlers.language import make_detector
from handlers.matchtext import find_phones, find_postcodes, name_key, template_words
from handlers.settings import MatchSettings
from handlers.types import CampaignRef, CaseRef, Incoming, Kind, Triage

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CFG = load_config(None)


@dataclass
class Stored:
    raw_id: int
    case_id: int
    person_id: int
    sender: str
    text: str
    at: datetime
    message_id: str | None = None
    quoted: str = ""


@dataclass
class MatchContext:
    """In-memory Context: people, identities, cases and contacts as the worker would leave them."""

    config: Any = CFG
    cases: dict[int, CaseRef] = field(default_factory=dict)
    identities: dict[tuple[str, str], int] = field(default_factory=dict)
    people: dict[int, tuple[str, str | None, str | None]] = field(default_factory=dict)
    contacts: list[Stored] = field(default_factory=list)
    camps: list[CampaignRef] = field(default_factory=list)
    detector: Any = field(default_factory=make_detector)  # a bilingual campaign keeps its Welsh half

    def case_by_reference(self, reference: str) -> CaseRef | None:
        return next((c for c in self.cases.values() if c.reference == reference), None)

    def case_by_message_ids(self, message_ids: list[str]) -> CaseRef | None:
        hit = [c for c in self.contacts if c.message_id in message_ids]
        return self.cases[hit[-1].case_id] if hit else None

    def person_for_identity(self, kind: str, value: str) -> int | None:
        return self.identities.get((kind, value))

    def persons_by_name(self, name: str, *, phone: str | None = None,
                        postcode: str | None = None) -> list[tuple[int, str, str | None, str | None]]:
        detail = phone or postcode
        return [(pid, n, ph, pc) for pid, (n, ph, pc) in self.people.items()
                if name_key(n) == name_key(name) and (not detail or ph == phone or pc == postcode)]

    def recent_cases_for_person(self, person_id: int, since: datetime) -> list[tuple[CaseRef, str]]:
        out = []
        for case in self.cases.values():
            mine = [c for c in self.contacts
                    if c.case_id == case.id and c.person_id == person_id and c.at >= since]
            if mine:
                case.last_contact_at = mine[-1].at
                out.append((case, mine[-1].text))
        return out

    def campaigns(self) -> list[CampaignRef]:
        return list(self.camps)

    def recent_unmatched(self, since: datetime, limit: int) -> list[tuple[int, str, str | None]]:
        camp_cases = {c.case_id for c in self.camps}
        ours = own_mail(self.config)  # as store/repo.py: a forwarded copy under a short note
        return [(c.raw_id, campaign_text(c.text, c.quoted, ours)[0], c.sender) for c in reversed(self.contacts)
                if c.at >= since and c.case_id not in camp_cases][:limit]

    def campaign_copies(
        self, since: datetime, limit: int, per_campaign: int | None = None
    ) -> list[tuple[int, int, str, str | None]]:
        camp_of = {c.case_id: c.id for c in self.camps}
        ours = own_mail(self.config)
        rows = [(camp_of[c.case_id], c.raw_id, campaign_text(c.text, c.quoted, ours)[0], c.sender)
                for c in reversed(self.contacts) if c.at >= since and c.case_id in camp_of][:limit]
        return per_campaign_newest(rows, per_campaign)

    def acks_to_sender_since(self, address: str, since: datetime) -> int:
        return 0

    def open_cases_for_person(self, person_id: int) -> list[CaseRef]:
        return [c for c in self.cases.values() if c.person_id == person_id]

    def contacts_from_since(self, kind: str, value: str, since: datetime) -> int:
        return sum(1 for c in self.contacts if c.sender == value and c.at >= since)

    def add(self, inc: Incoming, at: datetime, *, person: str | None = None, phone: str | None = None,
            postcode: str | None = None, case_id: int | None = None) -> Stored:
        """Store a contact as the worker would after triage: a new person and case unless given."""
        kind, value = match.sender_identity(inc) or ("email", "?")
        pid = self.identities.get((kind, value)) or len(self.people) + 1
        self.identities[(kind, value)] = pid
        self.people.setdefault(pid, (person or inc.sender_name, phone, postcode))
        if case_id is None:
            case_id = len(self.cases) + 1
            self.cases[case_id] = CaseRef(case_id, f"MID-2026-{case_id:05d}", "open", "correspondence",
                                          pid, subject=inc.subject)
        row = Stored(len(self.contacts) + 1, case_id, pid, value, inc.body, at, inc.message_id, inc.quoted)
        self.contacts.append(row)
        return row


def mail(sender: str, name: str, subject: str, body: str, **kw: Any) -> Incoming:
    return Incoming(channel="email", sender_address=sender, sender_name=name, subject=subject,
                    body=dedent(body).strip(), **kw)


def triage_of(inc: Incoming, at: datetime = T0, raw_id: int = 999) -> Triage:
    return Triage(raw_id=raw_id, channel=inc.channel, raw=b"", received_at=at, incoming=inc,
                  category="correspondence")


def run(ctx: MatchContext, inc: Incoming, at: datetime = T0) -> Triage:
    t = triage_of(inc, at)
    match.process(t, ctx)
    return t


def rules(t: Triage) -> list[str]:
    return [h.rule for h in t.hits if h.stage == "match"]


BURGLARY = """\
    Dear Commissioner,

    Our shed on Orchard Lane was broken into overnight on Tuesday and two bicycles and a
    lawnmower were taken. The officer who came round was kind but said there was little chance
    of anything being recovered. This is the third break-in on our lane this year.

    Yours sincerely,
    Petra Quayle
"""


def test_reference_in_subject_joins_that_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    inc = mail("someone.else@example.org", "Ivo Marsh", "Re: MID-2026-00001 more details",
               "I am writing for my neighbour about the same theft.")
    t = run(ctx, inc, T0 + timedelta(days=3))
    assert t.case is not None and t.case.id == 1 and t.followup
    assert "reference" in rules(t)
    # Not Petra's address: a third party on her case, never taken for Petra.
    assert t.third_party and "third_party" in rules(t) and t.person_id != t.case.person_id


def test_the_case_persons_own_address_quoting_the_reference_is_not_a_third_party() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    t = run(ctx, mail("petra@example.com", "Petra Quayle", "Re: MID-2026-00001", "The frame number is 1234."),
            T0 + timedelta(days=3))
    assert t.case is not None and not t.third_party and t.person_id == t.case.person_id


def test_unknown_reference_is_recorded_and_ignored() -> None:
    t = run(MatchContext(), mail("a@example.com", "Ann Lee", "MID-2026-00777", "Hello, any news?"))
    assert t.case is None and "reference_unknown" in rules(t)


def test_in_reply_to_our_acknowledgement_joins_the_case() -> None:
    ctx = MatchContext()
    first = ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    ack = Stored(50, first.case_id, first.person_id, "office", "ack", T0, "<ack-1@example.org>")
    ctx.contacts.append(ack)
    inc = mail("petra@example.com", "Petra Quayle", "Re: Your contact", "Thanks. The frame number is 1234.",
               in_reply_to="<ack-1@example.org>")
    t = run(ctx, inc, T0 + timedelta(days=1))
    assert t.case is not None and t.case.id == first.case_id and "thread" in rules(t)


def test_chaser_from_same_address_joins_the_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    chaser = mail("petra@example.com", "Petra Quayle", "Still waiting",
                  "I still haven't heard back about the bicycles taken from our shed. Petra")
    t = run(ctx, chaser, T0 + timedelta(days=9))
    assert t.case is not None and t.case.id == 1
    assert t.person_id == 1 and "followup_cue" in rules(t) and t.kind is Kind.FOLLOWUP


def test_same_sender_with_a_new_matter_gets_a_new_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    other = mail("petra@example.com", "Petra Quayle", "Street lights on the ring road", """\
        Dear Commissioner,

        This is about something completely different. The street lights along the ring road near
        the retail park have been off for a month and people feel unsafe walking home from the bus.

        Kind regards,
        Petra Quayle
    """)
    t = run(ctx, other, T0 + timedelta(days=20))
    assert t.case is None and t.person_id == 1
    assert "new_matter_cue" in rules(t) and "new_case" in rules(t)


def test_same_sender_unrelated_text_without_cue_is_a_new_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    other = mail("petra@example.com", "Petra Quayle", "Council tax precept question",
                 "How much of my council tax goes to policing this year, and how is it spent?")
    t = run(ctx, other, T0 + timedelta(days=20))
    assert t.case is None and "different_matter" in rules(t)


def test_same_person_from_another_address_by_name_and_phone() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0,
            person="Petra Quayle", phone="07700900123")
    work = mail("p.quayle@work.example.net", "Quayle, Petra", "Re my shed", """\
        Further to my email last week about our shed, the insurer needs a crime number.

        Regards,
        Petra Quayle
        Mobile: 07700 900123
    """)
    t = run(ctx, work, T0 + timedelta(days=6))
    assert t.person_phone == "07700900123"
    assert "same_person_details" in rules(t)
    assert t.person_id == 1 and t.case is not None and t.case.id == 1


def test_two_people_with_the_same_name_are_not_merged() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0,
            person="Petra Quayle", phone="07700900123", postcode="ZZ1 2AB")
    namesake = mail("pq1970@example.org", "Petra Quayle", "Further to my email", """\
        Further to my email, I am still waiting to hear about the parking on my road.

        Yours faithfully,
        Petra Quayle
        07700 900999
        ZZ9 8XY
    """)
    t = run(ctx, namesake, T0 + timedelta(days=2))
    assert t.person_id is None and t.case is None
    assert t.person_name == "Petra Quayle" and t.person_postcode == "ZZ9 8XY"
    assert "name_only" in rules(t)


TEMPLATE = """\
    Dear {greeting},

    I am writing as a resident of {town} to ask you to oppose the planned reduction of the mounted
    patrol unit. The horses are seen at every large public event and their presence calms crowds
    in a way that no vehicle can. Losing the unit would save little money but would cost the force
    a great deal of public goodwill and experience that cannot be rebuilt.

    {extra}I ask you to raise this with the Chief Constable at your next accountability meeting,
    and to publish the full costings behind the proposal so that residents can judge it for
    themselves.

    Yours sincerely,
    {name}
    {town}
    {footer}
"""
FOOTERS = ["", "--\nThis message was sent via PetitionHub on behalf of a supporter.",
           "Sent from my phone", "Sent using CampaignMail https://campaign.example.org"]


def campaign_mail(n: int, name: str, town: str, extra: str = "", footer: str = "") -> Incoming:
    body = TEMPLATE.format(greeting=["Commissioner", "Mr Example", "Sir or Madam"][n % 3], town=town,
                           extra=extra, name=name, footer=footer)
    return mail(f"supporter{n}@example.net", name, "Save the mounted unit", body)


@pytest.mark.parametrize("footer", FOOTERS)
@pytest.mark.parametrize("cc", ["", "Cc: the Chief Constable\n\n"])
def test_campaign_detected_at_the_second_message(footer: str, cc: str) -> None:
    ctx = MatchContext()
    first = ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    second = campaign_mail(2, "Marta Ilves", "Eastwick", footer=footer,
                           extra="My daughter was helped by a mounted officer at the carnival last year. ")
    second.body = cc + second.body
    t = run(ctx, second, T0 + timedelta(hours=5))
    assert t.new_campaign_title == "Save the mounted unit"
    assert t.campaign_peer_raw_ids == [first.raw_id]
    assert t.category == "campaign" and t.campaign_fingerprint
    assert "new_campaign" in rules(t)


def test_later_campaign_message_joins_the_fingerprint() -> None:
    ctx = MatchContext()
    first = ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    words = template_words(first.text, ["Oswin Hartley", "Brookfield"])
    ctx.camps.append(CampaignRef(7, first.case_id, "Save the mounted unit", " ".join(words)))
    third = campaign_mail(3, "Yusra Benn", "Fallowfield", footer=FOOTERS[1],
                          extra="Please also think of the riders. We rely on them at football. ")
    t = run(ctx, third, T0 + timedelta(days=2))
    assert t.campaign is not None and t.campaign.id == 7 and t.kind is Kind.CAMPAIGN


def test_personal_letter_on_the_campaign_topic_is_not_swallowed() -> None:
    ctx = MatchContext()
    first = ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    ctx.camps.append(CampaignRef(7, first.case_id, "Save the mounted unit",
                                 " ".join(template_words(first.text))))
    own = mail("groom@example.org", "Carys Webb", "The mounted unit", """\
        Dear Commissioner,

        I know you will be getting a lot of emails about the mounted unit, but I wanted to write in
        my own words. I volunteered at the stables for six years. The horses and their riders work
        long hours and the unit costs far less than people think. At public events the crowds
        behave better when the horses are there. Please keep the mounted patrol unit and talk to
        the riders before deciding anything about the reduction.

        Best wishes,
        Carys Webb
    """)
    t = run(ctx, own, T0 + timedelta(days=1))
    assert t.campaign is None and t.new_campaign_title is None
    assert t.category == "correspondence" and "new_case" in rules(t)


def test_same_sender_repeating_a_template_is_not_a_campaign() -> None:
    ctx = MatchContext()
    ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    again = campaign_mail(1, "Oswin Hartley", "Brookfield")
    t = run(ctx, again, T0 + timedelta(days=1))
    assert t.new_campaign_title is None and t.campaign is None


def test_telegram_fragments_within_the_burst_window_join_one_case() -> None:
    ctx = MatchContext()
    tg = Incoming(channel="telegram", telegram_user_id=4242, telegram_chat_id=4242, sender_name="Rhys",
                  body="someone keeps trying car doors on our street at night")
    ctx.add(tg, T0)
    more = Incoming(channel="telegram", telegram_user_id=4242, telegram_chat_id=4242, sender_name="Rhys",
                    body="just saw them again, grey hoodie")
    t = run(ctx, more, T0 + timedelta(minutes=20))
    assert t.case is not None and t.case.id == 1 and "chat_burst" in rules(t)


def test_bare_start_command_is_not_matched() -> None:
    t = triage_of(Incoming(channel="telegram", telegram_user_id=1, body="/start", command="/start"))
    t.kind = Kind.CHAT_COMMAND
    pipeline.run(t, MatchContext(), (match,))
    assert rules(t) == [] and t.case is None


def test_extracts_uk_phone_numbers_and_postcodes_but_not_the_office_number() -> None:
    text = "Call me on +44 (0)7700 900321 or 0117 496 0555, not 01632 960000. I live at ZZ1 1ZZ."
    assert find_phones(text, [CFG.office.phone]) == ["07700900321", "01174960555"]
    assert find_postcodes(text) == ["ZZ1 1ZZ"]
    assert name_key("Mrs Petra J. Quayle") == "petra quayle"
    assert name_key("Petra") is None


def test_unknown_setting_stops_start_up() -> None:
    with pytest.raises(ConfigError, match=r"triage\.match\.no_such_key"):
        load_config(None, {"triage.match": {"no_such_key": 1}})


def test_a_generic_subject_alone_does_not_join_a_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Complaint", BURGLARY), T0)
    other = mail("petra@example.com", "Petra Quayle", "Complaint",
                 "The officer at the front desk was rude to my son when he handed in a lost wallet.")
    t = run(ctx, other, T0 + timedelta(days=4))
    assert t.case is None and "different_matter" in rules(t)


def test_campaign_with_reordered_paragraphs_is_still_detected() -> None:
    ctx = MatchContext()
    first = ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    paragraphs = campaign_mail(2, "Marta Ilves", "Eastwick").body.split("\n\n")
    body = "\n\n".join([paragraphs[0], paragraphs[2], paragraphs[1], paragraphs[3]])
    t = run(ctx, mail("supporter2@example.net", "Marta Ilves", "Mounted unit", body), T0 + timedelta(hours=1))
    assert t.campaign_peer_raw_ids == [first.raw_id]


def test_a_long_new_story_with_a_chaser_phrase_is_not_pulled_into_an_unrelated_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), T0)
    story = mail("petra@example.com", "Petra Quayle", "Potholes and speeding lorries", """\
        Dear Commissioner,

        I have heard nothing from the highways department, so I am writing to you. Heavy lorries now
        use the lane behind the school as a short cut to the quarry. They go far too fast, the verges
        are churned into mud and the potholes are deep enough to damage a pushchair. Parents walking
        their children in the morning have to step into hedges to let them pass. Could the roads
        policing team carry out checks at school times, and could you raise it with the county?

        Yours sincerely,
        Petra Quayle
    """)
    t = run(ctx, story, T0 + timedelta(days=12))
    assert t.case is None and "different_matter" in rules(t)


# Weeks-later additions from the same email address or Telegram id (handlers/additions.py).

def chat(user: int, body: str) -> Incoming:
    return Incoming(channel="telegram", telegram_user_id=user, telegram_chat_id=user, sender_name="Wren",
                    body=body)


SCOOTER = "my e-scooter got nicked from the rack outside the leisure centre on friday evening, it was chained up"
VANDAL = "somebody scratched the paintwork all down the side of my car and kicked the door in while it was parked"
NOISE = "the house behind ours has parties every weekend with music till 4am, the whole street is kept awake"


def _addition(ctx: MatchContext, first: Incoming, then: Incoming, days: float) -> Triage:
    ctx.add(first, T0)
    return run(ctx, then, T0 + timedelta(days=days))


@pytest.mark.parametrize(("days", "text"), [
    (17, "it's grey with a red mudguard and a sticker of a fox on the stem"),
    (29, "its been seen for sale on an online marketplace, same sticker and everything"),
    (36, "they've got cctv at the leisure centre apparently, has anyone asked for it"),
    (24, "Thanks for the number you sent, I rang them and they are looking into it. Will let you know"),
])
def test_weeks_later_telegram_additions_join_the_open_case(days: float, text: str) -> None:
    t = _addition(MatchContext(), chat(5150, SCOOTER), chat(5150, text), days)
    assert t.case is not None and t.case.id == 1 and t.kind is Kind.FOLLOWUP
    assert "open_case_addition" in rules(t)
    assert "days after the last contact" in next(h.reason for h in t.hits if h.rule == "open_case_addition")


def test_a_further_damage_note_with_a_crime_number_request_joins_the_car_case() -> None:
    then = chat(5151, "the wing mirror was snapped off as well, can I get a crime number for my insurer")
    t = _addition(MatchContext(), chat(5151, VANDAL), then, 18)
    assert t.case is not None and t.case.id == 1 and "open_case_addition" in rules(t)


def test_weeks_later_email_addition_without_thread_or_reference_joins() -> None:
    then = mail("petra@example.com", "Petra Quayle", "Orchard Lane", """\
        Hello,

        One more thing I should have said: a neighbour's doorbell camera shows two people with a
        torch going down the lane at about 2am that night.

        Petra
    """)
    t = _addition(MatchContext(), mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), then, 33)
    assert t.case is not None and t.case.id == 1 and "open_case_addition" in rules(t)


def test_weeks_later_email_chaser_joins() -> None:
    then = mail("petra@example.com", "Petra Quayle", "Bicycles", "Is there any news about the bicycles? Petra")
    t = _addition(MatchContext(), mail("petra@example.com", "Petra Quayle", "Shed break-in", BURGLARY), then, 40)
    assert t.case is not None and t.case.id == 1 and t.followup


def test_weeks_later_new_report_with_an_intro_is_a_new_case() -> None:
    then = chat(5152, "I want to report a fraud, someone phoned my nan pretending to be her bank and took 900 pounds")
    t = _addition(MatchContext(), chat(5152, NOISE), then, 24)
    assert t.case is None and t.person_id == 1
    assert "new_topic_intro" in rules(t) and "new_case" in rules(t)


def test_weeks_later_new_incident_without_cues_is_a_new_case() -> None:
    t = _addition(MatchContext(), chat(5153, NOISE), chat(5153, "someone smashed my car window last night"), 21)
    assert t.case is None and "not_an_addition" in rules(t)


def test_an_foi_request_after_a_complaint_is_a_new_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("ola@example.org", "Ola Fenn", "Rude officer at the custody desk", """\
        I was treated with contempt by an officer at the custody desk when I collected my son,
        and I would like this looked into.
    """), T0)
    ctx.cases[1].category = "complaint"
    foi = mail("ola@example.org", "Ola Fenn", "Request for information", """\
        Under the Freedom of Information Act please tell me how many complaints about custody staff
        were recorded in each of the last three years.
    """)
    t = run(ctx, foi, T0 + timedelta(days=26))
    assert t.case is None and "addition_conflict" in rules(t) and "new_case" in rules(t)


def test_two_open_cases_the_addition_joins_the_one_it_is_about() -> None:
    ctx = MatchContext()
    ctx.add(chat(5154, SCOOTER), T0)
    ctx.add(chat(5154, NOISE), T0 + timedelta(days=2))
    found = chat(5154, "the scooter has turned up at a pawn shop near the leisure centre")
    t = run(ctx, found, T0 + timedelta(days=22))
    assert t.case is not None and t.case.id == 1 and "open_case_addition" in rules(t)
    t = run(ctx, chat(5154, "more parties again this weekend, music till 5am this time"), T0 + timedelta(days=23))
    assert t.case is not None and t.case.id == 2


def test_two_open_cases_and_nothing_to_choose_between_them_is_a_new_case() -> None:
    ctx = MatchContext()
    ctx.add(chat(5155, SCOOTER), T0)
    ctx.add(chat(5155, NOISE), T0 + timedelta(days=2))
    t = run(ctx, chat(5155, "it's been three weeks now, I'm not impressed"), T0 + timedelta(days=23))
    assert t.case is None and "addition_ambiguous" in rules(t)


@pytest.mark.parametrize(("status", "days"), [("closed", 20), ("open", 75)])
def test_closed_or_stale_cases_take_no_additions(status: str, days: float) -> None:
    ctx = MatchContext()
    ctx.add(chat(5156, SCOOTER), T0)
    ctx.cases[1].status = status
    t = run(ctx, chat(5156, "it's grey with a red mudguard"), T0 + timedelta(days=days))
    assert t.case is None and "open_case_addition" not in rules(t)


def test_a_new_report_in_chat_within_days_is_not_taken_as_a_fragment() -> None:
    then = chat(5157, "Can I report a drink driver? My neighbour drives home from the pub every night")
    t = _addition(MatchContext(), chat(5157, SCOOTER), then, 4)
    assert t.case is None and "new_topic_intro" in rules(t)


@pytest.mark.parametrize("text", ["an officer came round this morning and took a statement",
                                  "who is dealing with this now?"])
def test_a_terse_chat_remark_within_days_still_joins_the_last_case(text: str) -> None:
    t = _addition(MatchContext(), chat(5158, SCOOTER), chat(5158, text), 5)
    assert t.case is not None and t.case.id == 1 and "chat_thread" in rules(t)


def test_a_terse_general_question_within_days_is_a_new_case() -> None:
    then = chat(5159, "how many officers cover the villages round here at night?")
    t = _addition(MatchContext(), chat(5159, SCOOTER), then, 5)
    assert t.case is None and "not_an_addition" in rules(t)


# --- issue 13: campaign copies in other words, and a case carried on from a new address --------


def test_a_reworded_copy_with_the_campaigns_subject_joins_it() -> None:
    ctx = MatchContext()
    first = ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    ctx.camps.append(CampaignRef(7, first.case_id, "Save the mounted unit", " ".join(template_words(first.text))))
    own = mail("rider@example.org", "Jo Marsh", "Save the mounted unit", """\
        Dear Commissioner,

        Please do not cut the mounted unit. The horses and their riders have a great deal of public
        goodwill and experience that cannot be rebuilt. Raise it with the Chief Constable at your next
        accountability meeting and publish the full costings behind the proposal so residents can judge.

        Jo Marsh
    """)
    t = run(ctx, own, T0 + timedelta(days=1))
    assert t.campaign is not None and "campaign_reworded" in rules(t)


def test_a_short_note_sending_the_letter_joins_the_campaign() -> None:
    ctx = MatchContext()
    first = ctx.add(campaign_mail(1, "Oswin Hartley", "Brookfield"), T0)
    ctx.camps.append(CampaignRef(7, first.case_id, "Save the mounted unit", " ".join(template_words(first.text))))
    note = mail("dee@example.net", "Dee Cole", "save the mounted unit!!",
                "what the letter says. my lad loves the horses at the carnival\n\nDee")
    t = run(ctx, note, T0 + timedelta(days=1))
    assert t.campaign is not None


def test_the_welsh_half_of_a_bilingual_template_is_kept_for_welsh_copies() -> None:
    english = ("please keep our community support officers they know our older people and they are the only "
               "police we see in the valleys please protect their funding in the next precept and say so publicly")
    welsh = ("cadwch ein swyddogion cymorth cymunedol maen nhw yn adnabod ein pobl hyn ac yn siarad cymraeg a nhw "
             "yw'r unig heddlu a welwn yn y cymoedd diogelwch eu cyllid yn y praesept nesaf os gwelwch yn dda")
    s = MatchSettings()
    versions = campaigns._versions(tuple(english.split()), [tuple(english.split()),
                                                             tuple(f"{welsh} {english}".split())], s, make_detector())
    assert len(versions) == 2 and versions[1][0] == "cadwch"


def test_a_sister_writing_for_her_brother_joins_his_case() -> None:
    ctx = MatchContext()
    ctx.add(mail("steven@example.com", "Steven Marr", "Complaint about PC Dobson",
                 "I want to make a complaint about PC Dobson at the town station. He never spoke to my witnesses."),
            T0, person="Steven Marr")
    sister = mail("lisa@example.net", "Lisa Kendall", "Steven Marr - his complaint", """\
        Hello, I'm Steven Marr's sister. He emailed you on Sunday about PC Dobson. He is in hospital
        and wants his complaint to go on. Can I be the contact?
        Lisa Kendall
    """)
    t = run(ctx, sister, T0 + timedelta(days=2))
    assert t.case is not None and "written_for" in rules(t)
    assert t.person_id is None  # her own person, his case


def test_a_common_stranger_naming_someone_is_not_joined_without_shared_matter() -> None:
    ctx = MatchContext()
    ctx.add(mail("steven@example.com", "Steven Marr", "Street lights",
                 "The street lights on our road are out again."), T0, person="Steven Marr")
    other = mail("amy@example.net", "Amy Rowe", "Parking", """\
        I'm Steven Marr's neighbour. He wrote to you about something else. I want to ask who enforces
        parking on the school zigzags.
        Amy Rowe
    """)
    t = run(ctx, other, T0 + timedelta(days=2))
    assert t.case is None


def test_a_chat_from_someone_who_emailed_the_commissioner_joins_their_case() -> None:
    """Email first, then Telegram: the writer's own full name and "I emailed the commissioner"."""
    ctx = MatchContext()
    ctx.add(mail("nia@example.com", "Nia Tregarth", "Broken lights in Pendle Yard",
                 "The lights in Pendle Yard car park have been out for a month and my daughter was followed "
                 "there on Tuesday. Can the Commissioner's Safer Streets money pay for new lighting?"),
            T0, person="Nia Tregarth")
    later = Incoming(channel="telegram", telegram_user_id=4401, telegram_chat_id=4401, sender_name="Nia Tregarth",
                     body="Hi it's Nia Tregarth. I emailed the commissioner last week about the lights in Pendle "
                          "Yard. Just to add, the council say the car park is not theirs.")
    t = run(ctx, later, T0 + timedelta(days=6))
    assert t.case is not None and "own_name" in rules(t), rules(t)


def test_me_again_from_the_same_chat_carries_the_matter_on() -> None:
    ctx = MatchContext()
    first = chat(5150, "my van was nicked off the drive overnight, white transit, reported to 101 and got a crime "
                       "number but nobody has been in touch")
    ctx.add(first, T0, person="Wren")
    t = run(ctx, chat(5150, "Me again. A neighbour's camera caught two lads driving it off at 3am. Who do I send the "
                            "video to?"), T0 + timedelta(hours=12))
    assert t.case is not None, rules(t)
