"""The signpost stage: which agency the reply points to, and the reply template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from fakes import FakeContext

from handlers import classify, members, pipeline, signpost, urgency
from handlers.types import CampaignRef, CaseRef, Incoming, Kind, Triage

FORCE_DOMAIN = FakeContext().config.force.email_domains[0]  # from config.yaml
WHEN = datetime(2026, 10, 7, 9, 15, tzinfo=UTC)


def decided(body: str, subject: str = "", sender: str = "writer@example.com",
            channel: str = "email") -> Triage:
    """Run urgency, classify and signpost, as the pipeline does (match has nothing to add here)."""
    t = Triage(raw_id=1, channel=channel, raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel=channel, sender_address=sender, subject=subject, body=dedent(body).strip())
    ctx = FakeContext()
    for stage in (urgency, classify, signpost):
        stage.process(t, ctx)
    return t


@pytest.mark.parametrize(("body", "agency"), [
    ("I want to complain about the officer who swore at my son during a stop and search yesterday.",
     "force_psd"),
    ("I wish to complain about the Chief Constable's remarks about protesters at the press conference.",
     "opcc_complaints"),
    ("I do not accept the outcome of my complaint about the force and I am asking for a review of "
     "the outcome.",
     "opcc_complaints"),
    ("I wish to make a formal complaint about the Police and Crime Commissioner's conduct on social media.",
     "police_crime_panel"),
    ("I want to complain about the Deputy Commissioner, who was rude and dismissive at the public meeting.",
     "police_crime_panel"),
])
def test_complaints_go_to_whoever_handles_them(body: str, agency: str) -> None:
    t = decided(body)
    assert (t.category, t.agency) == ("complaint", agency)


def test_foi_for_force_information_goes_to_the_force() -> None:
    t = decided("Under the Freedom of Information Act, how many drones does the force own and how often were "
                "they used last year?")
    assert (t.category, t.agency) == ("foi", "force_foi")


def test_foi_for_office_information_stays_with_the_office() -> None:
    t = decided("Under the Freedom of Information Act please send the expenses claimed by the Police "
                "and Crime "
                "Commissioner since April, itemised.")
    assert (t.category, t.agency) == ("foi", "opcc_foi")


@pytest.mark.parametrize(("body", "agency"), [
    ("Please treat this as a subject access request: I want a copy of all the information the police hold "
     "about me.", "force_data_protection"),
    ("I paid £600 for a campervan hire through a website that has vanished. I think it was a scam. "
     "Who do I report it to?", "action_fraud"),
    ("I don't want to give my name, but the house on the corner is being used to grow cannabis. "
     "Can I pass this on anonymously?", "crimestoppers"),
    ("Someone has fly-tipped a sofa and a pile of rubble in our lane again. Who is supposed to clear it?",
     "local_council"),
    ("Cars park on the pavement outside the school every morning and my wheelchair can't get past. "
     "Who enforces parking?", "local_council"),
    ("We were burgled last month and the police are investigating, but my children can't sleep and I can't "
     "stop thinking about it. Is there anyone who helps families after a burglary?", "victim_support"),
    ("Somebody stole my bike from outside the library this afternoon. How do I report it?", "police_101"),
])
def test_correspondence_is_signposted_by_what_the_writer_needs(body: str, agency: str) -> None:
    t = decided(body)
    assert t.agency == agency
    assert t.template == agency


@pytest.mark.parametrize("body", [
    # A fraud from years ago, mentioned in a letter about policy.
    "Our PCSO helped me after I was conned by a fake builder some years ago. Please do not cut PCSOs in "
    "the budget; please reconsider.",
    # Crime words in a question about the Commissioner's priorities.
    "Thefts of quad bikes and tractors are rising. Will the Commissioner increase funding for the rural "
    "crime team?",
    "What is the Commissioner's position on the police precept this year?",
    # Holding the force to account, having rung 101 already: not asking where to report.
    "whats the commissioner actually doing about the dealing on our estate?? rang 101 loads of times and "
    "nothing changes",
    "I asked what the Commissioner is doing about speeding in the villages. Nobody has mentioned the lorry "
    "parked on the pavement either.",
    # A plan for the service: closing a front desk, bringing PCSOs back.
    "I object to the plan to close the front desk at Eastbridge police station. It is the only place "
    "where people can speak to someone about a crime face to face. Please keep it open.",
    "We used to see our PCSO every week. Now the playground has been vandalised twice and the village "
    "feels forgotten. Could you tell me whether the Commissioner intends to bring them back?",
])
def test_policy_questions_stay_with_the_office(body: str) -> None:
    assert decided(body).agency == "opcc"


def test_officer_correspondence_and_consultations_go_to_the_office() -> None:
    visit = decided("Our team would love the Commissioner to visit.", sender=f"sgt@{FORCE_DOMAIN}")
    assert visit.agency == "opcc"
    assert decided("Please accept this as my response to your consultation on the precept.").agency == "opcc"


def test_urgent_always_goes_to_999_even_in_a_complaint() -> None:
    t = decided("""
        I have complained before about how my neighbour's threats were handled. Right now he is
        outside my house with a knife shouting that he will kill me. I am upstairs with the children.
        """, subject="Complaint about the police")
    assert t.urgent and t.agency == "emergency_999" and t.template == "emergency_999"
    assert t.category == "complaint"


def test_a_follow_up_inherits_the_case_category_and_agency() -> None:
    t = Triage(raw_id=2, channel="telegram", raw=b"", received_at=WHEN, kind=Kind.FOLLOWUP)
    t.incoming = Incoming(channel="telegram", body="any news?? still nobody has called me back")
    t.case = CaseRef(id=5, reference="MID-2026-00005", status="open", category="complaint", person_id=1,
                     agency="force_psd")
    ctx = FakeContext()
    for stage in (urgency, classify, signpost):
        stage.process(t, ctx)
    assert (t.category, t.agency, t.template) == ("complaint", "force_psd", "force_psd")
    assert any(h.rule == "inherit_category" for h in t.hits) or t.category == "complaint"


def test_an_urgent_follow_up_keeps_the_category_but_goes_to_999() -> None:
    t = Triage(raw_id=3, channel="telegram", raw=b"", received_at=WHEN, kind=Kind.FOLLOWUP)
    t.incoming = Incoming(channel="telegram",
                          body="he's back outside the door now banging and shouting he'll kill me")
    t.case = CaseRef(id=6, reference="MID-2026-00006", status="open", category="complaint", person_id=1,
                     agency="force_psd")
    ctx = FakeContext()
    for stage in (urgency, classify, signpost):
        stage.process(t, ctx)
    assert (t.category, t.agency, t.urgent) == ("complaint", "emergency_999", True)


def test_campaign_messages_get_the_campaign_template() -> None:
    t = Triage(raw_id=4, channel="email", raw=b"", received_at=WHEN, category="campaign")
    t.incoming = Incoming(channel="email", body="Please keep our police station open.")
    t.campaign = CampaignRef(id=1, case_id=9, title="Keep the station open", fingerprint="x")
    signpost.process(t, FakeContext())
    assert (t.agency, t.template) == ("opcc", "campaign")


def test_machine_mail_is_left_alone() -> None:
    t = Triage(raw_id=5, channel="email", raw=b"", received_at=WHEN, kind=Kind.MACHINE, agency="none")
    t.incoming = Incoming(channel="email", body="Delivery failed")
    pipeline.run(t, FakeContext(), (signpost,))
    assert t.agency == "none" and t.template is None and t.hits == []


@pytest.mark.parametrize(("body", "agency"), [
    # After-effects of a crime the police have dealt with, asking for someone to talk to.
    ("Our flat was burgled a fortnight ago. The police came and it's all been dealt with, but I can't "
     "sleep and keep going over it. Is there somebody I could talk to?", "victim_support"),
    ("got mugged near the station last month, police have sorted the report, but im on edge every time i "
     "go out. is there anyone i can speak to", "victim_support"),
    ("Someone broke into our house while we were asleep. The police have the case, but my wife hasn't "
     "slept properly since. Is there anyone who can talk to her?", "victim_support"),
    # A crime that has happened, reported in text-speak, not an emergency.
    ("sum1 keyed my car in the night outside my flat, scratch all down one side. not rly an emergency",
     "police_101"),
    ("tyres slashed on my van last night outside the house. not urgent, want it logged", "police_101"),
    # Intimate image abuse and sextortion threats are crimes for the police, not Action Fraud.
    ("my ex says hes going to post my private pics online unless i pay him. got screenshots. hes in "
     "another city, not an emergency", "police_101"),
    ("A man I met on a dating app says he will send intimate photos of me to my family unless I send him "
     "money. I have kept every message. Who do I report this to?", "police_101"),
    ("someone is threatening to share my nudes with my college unless i pay. what do i do", "police_101"),
])
def test_after_effects_and_non_emergency_crimes_are_signposted(body: str, agency: str) -> None:
    t = decided(body, channel="telegram")
    assert not t.urgent
    assert t.agency == agency, [h.reason for h in t.hits if h.stage == "signpost"]


def test_a_policy_question_about_image_abuse_stays_with_the_office() -> None:
    t = decided("Will the Commissioner fund support services for victims of revenge porn? "
                "What is the force's strategy on intimate image abuse?")
    assert t.agency == "opcc"


@pytest.mark.parametrize("body", [
    "My ex has a restraining order but he has been stood at my gate for about forty minutes, not "
    "knocking. I'm on my own with the kids.",
    "This will be my final email. I've written to my family and the letters are in the drawer. Tonight "
    "I end it.",
])
def test_understated_danger_goes_to_999(body: str) -> None:
    t = decided(body)
    assert t.urgent and t.agency == "emergency_999"


def test_thanks_for_a_resolved_search_stays_with_the_office() -> None:
    t = decided("Thank you to the officers who found my father, who has dementia, when he went missing "
                "last Tuesday. He is home and safe now.")
    assert not t.urgent and t.agency == "opcc"


@pytest.mark.parametrize(("body", "agency"), [
    # Nuisance the writer says is not a crime, in plain and in broken English.
    ("The cottage next door is a holiday let and every weekend there are parties until 3am with bottles "
     "left in the lane. I know it's not a crime, but who can act?", "local_council"),
    ("Hello. I have shop. Boys on motorbikes revving very loud every evening and cars parked on the "
     "pavement, old people cannot pass. Not crime maybe. Who I ask?", "local_council"),
    ("Airbnb over the road has a new lot of guests every night playing music till late. I don't think "
     "it's a police matter. Who do I tell?", "local_council"),
    # A subject access request at the end of a long letter.
    ("I am 90 and remember when the village had its own constable. The buses are terrible now and the "
     "shops have closed.\n\nIn 1981 I was arrested after an argument at the docks and let go the next day. "
     "I should like to see what the police wrote about me then.", "force_data_protection"),
    ("can i get a copy of my file? i had a lot of run-ins with the police years ago", "force_data_protection"),
    # A victim of a crime that is over, safe, wanting someone to talk to.
    ("Someone spiked my drink at a party on Friday. I'm safe at home, but the college wellbeing waiting "
     "list is five weeks and I need someone to talk to.", "victim_support"),
    ("My partner was charged last week after he hurt me. I'm safe now and staying at my mum's. Is there "
     "support for me?", "victim_support"),
])
def test_harder_styles_are_signposted_by_what_the_writer_needs(body: str, agency: str) -> None:
    t = decided(body)
    assert not t.urgent
    assert (t.category, t.agency) == ("correspondence", agency)


def test_a_stolen_motorbike_is_still_a_crime_to_report() -> None:
    t = decided("my motorbike was nicked from outside the house last night, how do i report it")
    assert t.agency == "police_101"


def test_a_records_request_at_the_end_of_a_long_letter_goes_to_data_protection() -> None:
    body = ("I was a lorry driver for thirty years and I have watched the town change a great deal. When I was "
            "young we knew every bobby by name.\n\nIn 1979 I was held overnight after a fight outside a dance "
            "hall, though nothing came of it.\n\nBefore I get much older I would like to see whatever documents "
            "the police keep about me, if any. How do I ask?")
    t = decided(body)
    assert t.agency == "force_data_protection"


@pytest.mark.parametrize("body", [
    "sent a lad £150 for concert tickets through a selling group and now he's blocked me on everything",
    "I paid a deposit for a caravan holiday by bank transfer and the advert has been taken down and the "
    "owner has stopped answering",
])
def test_paying_a_seller_who_then_vanished_is_fraud(body: str) -> None:
    assert decided(body).agency == "action_fraud"


# --- issue 13: agency at the edges -------------------------------------------------------------


@pytest.mark.parametrize(("body", "agency"), [
    # A member of the public's driving is a report; an officer's is a complaint (test_classify).
    ("A grey pickup overtook four cars on the blind bend this morning and forced a cyclist onto the verge. "
     "I have dashcam footage with the plate. Where should I send it?", "police_101"),
    # A forwarded "recovery unit" email: is it genuine?
    ("Is this email from you? They say they recovered my money from the crypto people but want a £350 "
     "release fee by Friday. Please tell me if this is genuine.", "action_fraud"),
    # The newspaper called the Courier is no courier fraud.
    ("I haven't been sleeping since I read about the school in the Courier. I was abused there as a boy. "
     "Is there anyone you fund who I could talk to?", "victim_support"),
    # Someone hiding who they are.
    ("I don't want my name going anywhere so I've made a new email. There's a cannabis farm in the old "
     "dye works; everybody round here would know it was me if I rang.", "crimestoppers"),
    # Off-road bikes on a park are an offence, not just noise.
    ("lads on scramblers on the rec again, tearing up the football pitch, nearly hit a kid. what is the "
     "point ringing 101", "police_101"),
    # Highways: a crossing and a speed limit.
    ("Someone will be killed at the junction by the school. It needs a proper crossing and a lower speed "
     "limit. Who do I push to get that done?", "local_council"),
    # A crime that outranks a place named in passing.
    ("Dogs off leads beside the footpath have been in with my ewes again; two are dead. I reported it online "
     "and got a crime number and nothing else.", "police_101"),
    # A wish to report outranks a counsellor mentioned in passing.
    ("I was abused as a boy in the 1980s. My counsellor thinks it might help me to report it. Is there "
     "someone I can speak to by appointment?", "police_101"),
])
def test_edges_of_correspondence_signposting(body: str, agency: str) -> None:
    assert decided(body).agency == agency


def test_a_sales_pitch_naming_a_crime_problem_stays_with_the_office() -> None:
    t = decided("Hi there, our drones cover fly-tipping hotspots and missing walkers. We're on the national "
                "framework and offer a fully-funded pilot. Would you have 20 minutes for a demo?\n\n"
                "Not the right person? Just let me know and I won't chase.\nSam Example\nBusiness "
                "Development Manager, Example Aerial Ltd")
    assert t.agency == "opcc"
    assert any("a company offering its services" in h.reason for h in t.hits)


def test_thanks_to_officers_with_nothing_asked_stay_with_the_office() -> None:
    t = decided("Someone tried to force our back door on Tuesday and my husband woke to the noise. Two "
                "officers came in ten minutes and caught him. Please pass on our thanks.")
    assert t.agency == "opcc"


def followup_of(case: CaseRef, body: str, category: str = "correspondence", rule: str | None = None) -> Triage:
    t = Triage(raw_id=2, channel="email", raw=b"", received_at=WHEN, kind=Kind.FOLLOWUP, case=case,
               category=category, category_rule=rule)
    t.incoming = Incoming(channel="email", sender_address="writer@example.com", body=body)
    signpost.process(t, FakeContext())
    return t


def test_a_followup_that_makes_a_complaint_turns_the_case_into_one() -> None:
    case = CaseRef(3, "MID-2026-00003", "open", "correspondence", 1, agency="opcc")
    t = followup_of(case, "Dad was found safe. I do, however, want to make a complaint about how 101 dealt "
                    "with my call.", category="complaint", rule="complaint.formal: 'make a complaint'")
    assert t.category == "complaint" and t.agency == "force_psd"


def test_a_calm_followup_of_an_urgent_complaint_goes_to_psd() -> None:
    case = CaseRef(4, "MID-2026-00004", "open", "complaint", 1, agency="emergency_999", urgent=True)
    t = followup_of(case, "He was arrested. But I still want my complaint about PC Harding looked at.")
    assert t.agency == "force_psd"


def test_a_calm_followup_of_an_urgent_case_keeps_999() -> None:
    case = CaseRef(5, "MID-2026-00005", "open", "correspondence", 1, agency="opcc", urgent=True)
    t = followup_of(case, "the police came and took him. mum says thanks.")
    assert t.agency == "emergency_999"


@pytest.mark.parametrize(("body", "agency"), [
    # Fraud told in text-speak: a fee to release a parcel, card details after a link, money gone.
    ("got a txt saying my package is held and to pay 2.40 redelivery so i did", "action_fraud"),
    ("i tapped the link and typed in my card details, now theres payments ive not made. what do i do",
     "action_fraud"),
    ("just looked at my app, £250 gone to some site i dont know. who do i tell", "action_fraud"),
    # Anonymous information in text-speak.
    ("not saying who i am but the lock-up behind the pub is full of knocked off bikes. dont want no "
     "come back", "crimestoppers"),
    # A victim asking for someone to talk to, though the letter also asks what the office funds.
    ("My flat was burgled in the summer and there is a crime number. I can't sleep and I jump at every "
     "noise. Is there somebody I can talk to? I didn't know whether your office funds anything like that.",
     "victim_support"),
    # A named writer reporting dealing: for the police to know.
    ("I am happy to give my name. Cars pull up outside the flat opposite all night for two minutes at a "
     "time and I saw cash handed through a window. I'd like the police to know and I am willing to give "
     "a statement.", "police_101"),
])
def test_needs_told_in_other_words_are_signposted(body: str, agency: str) -> None:
    t = decided(body, channel="telegram" if body.islower() else "email")
    assert (t.category, t.agency) == ("correspondence", agency), t.hits


def test_a_question_about_the_commissioners_policy_stays_with_the_office() -> None:
    t = decided("Our shop has had goods stolen twelve times since spring and the reports are closed "
                "without a visit. Is it the Commissioner's policy that shop thefts are not attended?")
    assert t.agency == "opcc"


def test_a_complaint_about_the_commissioners_use_of_office_goes_to_the_panel() -> None:
    t = decided("I saw the Commissioner's office car and driver outside a party fundraising dinner on "
                "Saturday. Is it within the rules for the Commissioner to use it for that?")
    assert (t.category, t.agency) == ("complaint", "police_crime_panel")


def chat_followup(body: str, earlier: str, case: CaseRef, minutes: int = 3) -> Triage:
    """A Telegram message joining `case`, whose earlier messages (`earlier`) came `minutes` before."""
    ctx = FakeContext(identities={("telegram", "41"): 7},
                      person_cases=[(7, case, earlier, WHEN - timedelta(minutes=minutes))])
    t = Triage(raw_id=3, channel="telegram", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="telegram", telegram_user_id=41, telegram_chat_id=41, body=body)
    t.case = case
    for stage in (urgency, classify, signpost):
        stage.process(t, ctx)
    return t


def office_case(minutes: int = 3) -> CaseRef:
    return CaseRef(12, "MID-2026-00012", "open", "correspondence", 7, agency="opcc",
                   last_contact_at=WHEN - timedelta(minutes=minutes))


def test_a_chat_fragment_read_with_the_ones_before_it_settles_the_cases_signpost() -> None:
    t = chat_followup("so i pressed it and gave them the long number off my card",
                      "got an odd message earlier saying my bank account was locked and to press a link",
                      office_case())
    assert t.agency == "action_fraud" and t.settles_case
    assert any(h.rule == "action_fraud" and "read with its messages" in h.reason for h in t.hits)


def test_a_fragment_after_the_chat_window_keeps_the_cases_signpost() -> None:
    t = chat_followup("so i pressed it and gave them the long number off my card",
                      "got an odd message earlier saying my bank account was locked and to press a link",
                      office_case(minutes=90), minutes=90)
    assert t.agency == "opcc" and not t.settles_case


def test_a_council_word_in_a_chat_conversation_needs_the_writer_asking() -> None:
    t = chat_followup("we just sit in the bus shelter cos theres nowhere else since the youth club shut. "
                      "why cant we have it back", "is this the commissioner thing", office_case())
    assert t.agency == "opcc" and not t.settles_case


def test_a_chaser_that_makes_a_complaint_settles_the_case_as_a_complaint() -> None:
    t = Triage(raw_id=4, channel="email", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="email", sender_address="writer@example.com", subject="Re: my burglary",
                          body="Still nothing from anyone. I now wish to make a formal complaint about how "
                               "my report was handled.")
    t.case = CaseRef(13, "MID-2026-00013", "open", "correspondence", 7, agency="police_101")
    ctx = FakeContext()
    for stage in (urgency, classify, signpost):
        stage.process(t, ctx)
    assert (t.category, t.agency) == ("complaint", "force_psd") and t.settles_case


def test_an_elected_members_letter_stays_with_the_office() -> None:
    # A councillor's letter naming council matters (litter, fly-tipping): the office answers members.
    body = """Dear Commissioner,

    Traders tell me of litter, fly-tipping and groups intimidating staff in the market square every
    evening, and residents keep being told to ring 101. Could someone from your office attend our ward forum?

    Yours sincerely,
    Cllr Dana Holloway
    Riverside Ward"""
    t = Triage(raw_id=1, channel="email", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="email", sender_address="dana.holloway@example.org", subject="Market square",
                          body=dedent(body).strip())
    for stage in (urgency, classify, members, signpost):
        stage.process(t, FakeContext())
    assert (t.category, t.agency) == ("correspondence", "opcc")
    assert "elected member" in t.hits[-1].reason and "sign-off reads 'Cllr D'" in t.hits[-1].reason
    # Without the members stage the same letter is signposted to the council: the rule is what differs.
    assert decided(body).agency == "local_council"


def test_an_elected_members_complaint_still_goes_to_whoever_handles_it() -> None:
    t = Triage(raw_id=1, channel="email", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="email", sender_address="mp.office@example.org", subject="Complaint",
                          body="I wish to complain about the officer who swore at my constituent during a stop "
                               "and search.\n\nYours sincerely,\nJane Doe\nMember of Parliament for Kingsmere")
    for stage in (urgency, classify, members, signpost):
        stage.process(t, FakeContext())
    assert t.member is not None and (t.category, t.agency) == ("complaint", "force_psd")


def test_asking_whether_it_is_too_late_to_report_an_old_assault_goes_to_101() -> None:
    t = decided("Years ago I was beaten up outside a pub and never told anyone. I've moved on but it still "
                "bothers me. Is it too late to report something like that, and who would I speak to?")
    assert not t.urgent
    assert t.agency == "police_101", [h.reason for h in t.hits]


@pytest.mark.parametrize(("body", "agency"), [
    ("the house next door are blasting music till 2am again, bass thru the walls, who do i complain to",
     "local_council"),
    ("someone keeps taking the parcels off my step, can i report that or is it not worth bothering the police",
     "police_101"),
    ("is this the right place to report a break in? someone cut the lock on my garage last night and took two "
     "bikes. nobody hurt.", "police_101"),
    # Information given without a name; a breach of a police warning.
    ("Dwi'm isio rhoi fy enw, ond ma 'na bobl yn delio cyffuriau o'r tŷ gwag ar y stryd fawr bob nos.",
     "crimestoppers"),
    ("my ex keeps turning up outside my work even though he was told by the police to stay away. what can i do",
     "police_101"),
    ("someone smashed the windows on 3 cars on our road last nite. rang 101 and nobody came. what are we "
     "supposed to do", "police_101"),
    # Footage of oneself, a copy of one's crime report for an insurer: the force's data protection office.
    ("i want a copy of the cctv from the front desk of me getting shoved, how do i get it", "force_data_protection"),
    ("My insurer needs a copy of the crime report for my stolen bike. Who do I ask?", "force_data_protection"),
])
def test_chat_speak_reports_are_signposted(body: str, agency: str) -> None:
    t = decided(body, channel="telegram")
    assert t.agency == agency, [h.reason for h in t.hits]
