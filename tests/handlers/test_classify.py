"""The classify stage: rules first (officer, FOI, SAR, consultation, complaint), then a model."""

from __future__ import annotations

from datetime import UTC, datetime
from textwrap import dedent

import pytest
from fakes import FakeContext

from handlers import classify
from handlers.types import Incoming, Triage

FORCE_DOMAIN = FakeContext().config.force.email_domains[0]  # from config.yaml
WHEN = datetime(2026, 10, 6, 11, 0, tzinfo=UTC)


def classified(body: str, subject: str = "", sender: str = "writer@example.com", signature: str = "",
               ctx: FakeContext | None = None) -> Triage:
    t = Triage(raw_id=1, channel="email", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="email", sender_address=sender, subject=subject,
                          body=dedent(body).strip(), signature=signature)
    classify.process(t, ctx or FakeContext())
    return t


def rules_fired(t: Triage) -> list[str]:
    return [h.rule for h in t.hits if h.rule.startswith("rule:")]


def test_mail_from_a_force_domain_is_officer_correspondence() -> None:
    t = classified("Would the Commissioner join our team at the summer fete in the park?",
                   sender=f"jo.bright@{FORCE_DOMAIN}")
    assert t.category == "officer_correspondence"
    assert rules_fired(t) == ["rule:officer_correspondence"]


def test_mail_from_a_force_subdomain_is_officer_correspondence() -> None:
    t = classified("Quick note about the cadets' awards evening.", sender=f"a.khan@mail.{FORCE_DOMAIN}")
    assert t.category == "officer_correspondence"


def test_force_domain_comes_from_config() -> None:
    base = FakeContext().config
    force = base.force.model_copy(update={"email_domains": ("dale.police.uk",)})
    other = base.model_copy(update={"force": force})
    ctx = FakeContext(config=other)
    here = classified("Shift rota query.", sender="pc@dale.police.uk", ctx=ctx)
    elsewhere = classified("Shift rota query.", sender=f"pc@{FORCE_DOMAIN}", ctx=ctx)
    assert here.category == "officer_correspondence"
    assert elsewhere.category != "officer_correspondence"


def test_officer_writing_from_a_personal_address_is_officer_correspondence() -> None:
    t = classified("""
        Dear Commissioner,
        As a serving officer I'd rather not use my work email for this. Our night shifts are so
        short-staffed that we are single-crewed in the rural sector most weekends.
        """, sender="tired.constable@example.net")
    assert t.category == "officer_correspondence"


def test_a_retired_officer_is_a_member_of_the_public() -> None:
    t = classified("As a former detective I think the plan to merge the two CID offices is a mistake. "
                   "What is the Commissioner's view?")
    assert t.category == "correspondence"


def test_policing_words_alone_do_not_make_officer_correspondence() -> None:
    t = classified("We sell lightweight stab vests and radio holsters to police forces. "
                   "Can we arrange a demo?",
                   sender="sales@kitco.example.com")
    assert t.category != "officer_correspondence"


@pytest.mark.parametrize("body", [
    "Under the Freedom of Information Act please tell me how many burglaries were recorded in 2025.",
    "FOI request: please send me the Commissioner's diary for September.",
    "Under the Act I request the number of stop and search records for last year.",
])
def test_freedom_of_information_requests_are_foi(body: str) -> None:
    assert classified(body).category == "foi"


def test_a_subject_access_request_is_correspondence_not_foi() -> None:
    t = classified("Please treat this as a subject access request for all data the police hold about me.")
    assert t.category == "correspondence"


@pytest.mark.parametrize("body", [
    "Please accept this as my response to your consultation on the draft Police and Crime Plan. Q1: agree.",
    "Dear Consultee, the district council is consulting on a new licensing policy. "
    "As a statutory consultee you are invited to respond by 30 November.",
])
def test_consultation_responses_and_consultations_are_consultation(body: str) -> None:
    assert classified(body).category == "consultation"


@pytest.mark.parametrize("body", [
    "I wish to make a formal complaint about the officer who stopped me on Friday night.",
    "The PCSO at the fair laughed at me and was rude when I asked for help. Not acceptable.",
    "I would like a review of the outcome of my complaint, which I received last week.",
    "I want to complain about the Chief Constable's comments on the radio this morning.",
])
def test_complaints_are_complaint(body: str) -> None:
    assert classified(body).category == "complaint"


@pytest.mark.parametrize("body", [
    "Why has the police part of my council tax gone up again? I never see an officer in my village.",
    "Our company offers cyber security audits for public bodies. Could we book a call with your team?",
    "Someone keeps dumping rubbish in the lane behind our house. Who clears this up?",
])
def test_other_letters_are_correspondence(body: str) -> None:
    assert classified(body).category == "correspondence"


def test_the_model_is_recorded_with_its_probability() -> None:
    t = classified("What is the Commissioner doing about rural crime?")
    model_hit = next(h for h in t.hits if h.rule == "model")
    assert model_hit.reason.startswith("correspondence p=")


def test_a_category_set_earlier_is_kept() -> None:
    t = Triage(raw_id=1, channel="telegram", raw=b"", received_at=WHEN, category="none")
    t.incoming = Incoming(channel="telegram", body="/start")
    classify.process(t, FakeContext())
    assert t.category == "none"


@pytest.mark.parametrize(("subject", "body"), [
    ("Re: Your views on community safety",
     "1. Shop theft\n2. More officers on foot\n3. Yes\n4. Speeding past the school"),
    ("RE: Have your say",
     "The web form kept timing out so here are my answers. Q1 drugs. Q2 more PCSOs. Q3 no rise please."),
    ("", "My answers to your policing priorities questionnaire: burglary first, then road safety."),
    ("", "I started your survey online but it crashed halfway, so: top concern is dealing by the station."),
])
def test_answers_to_the_offices_own_survey_are_consultation(subject: str, body: str) -> None:
    assert classified(body, subject=subject).category == "consultation"


def test_survey_answers_stay_consultation_when_something_urgent_is_buried_in_them() -> None:
    t = classified("1. Burglary\n2. Lighting\n3. Also my neighbour's boy, he's 14, hasn't come home since "
                   "last night and his phone is off.", subject="Re: Your views on policing priorities")
    assert t.category == "consultation"


@pytest.mark.parametrize("body", [
    "I work in the constituency office of the local MP. A constituent with a long-running complaint "
    "against the force has told us today that her son has left a note saying he will end his life.",
    "I am a caseworker for Councillor Hart. One of our constituents has an ongoing complaint about "
    "officers, but she rang today because her ex is parked outside her house.",
])
def test_caseworkers_writing_for_constituents_are_correspondence(body: str) -> None:
    t = classified(body)
    assert t.category == "correspondence"
    assert rules_fired(t) == ["rule:correspondence"]


def test_a_caseworker_making_a_complaint_is_a_complaint() -> None:
    t = classified("I am a caseworker for the MP. Our constituent wishes to make a formal complaint about "
                   "the conduct of two officers who searched his home.")
    assert t.category == "complaint"


def test_a_member_of_the_public_calling_themselves_a_constituent_can_complain() -> None:
    t = classified("As a constituent I want to complain about the officer who was rude to me at the counter.")
    assert t.category == "complaint"


def test_an_angry_line_that_nobody_came_is_a_complaint() -> None:
    t = classified("you lot are a joke, two sheds broken into on our road and not one copper has come to look")
    assert t.category == "complaint"


@pytest.mark.parametrize("body", [
    "Separate from my complaint about the Deputy Commissioner, will the Commissioner hold a surgery in Eastbrook?",
    "Unrelated to my earlier complaint about the officer at the station: when is the next public meeting?",
])
def test_a_question_that_names_an_earlier_complaint_is_not_a_complaint(body: str) -> None:
    t = classified(body)
    assert t.category == "correspondence"
    assert not any(r.startswith("rule:complaint") for r in rules_fired(t))


def test_an_outright_complaint_that_mentions_a_consultation_is_a_complaint() -> None:
    t = classified("I want to make a formal complaint about the Chief Constable. He told the residents' meeting "
                   "that the station closure was settled before the public consultation had finished.")
    assert t.category == "complaint"


def test_a_consultation_response_that_criticises_is_still_a_consultation() -> None:
    t = classified("This is our response to the Commissioner's consultation on the police and crime plan. We "
                   "are disappointed that rural crime gets so little attention in the draft.")
    assert t.category == "consultation"


# --- issue 13: categories at the edges ---------------------------------------------------------


def test_a_complaint_ruled_out_in_words_is_not_one() -> None:
    t = classified("I am not writing to complain about any officer; the ones I have met were decent. I "
                   "would like to know what our village gets for the precept.")
    assert t.category == "correspondence"


@pytest.mark.parametrize("body", [
    "Please could you send me the number of burglaries reported in our ward for 2024 and 2025, broken "
    "down by month.",
    "Could you tell me how much the Commissioner's office spent on its new signage last year? I'd like "
    "the total and a breakdown by supplier.",
])
def test_figures_asked_for_without_naming_the_act_are_foi(body: str) -> None:
    t = classified(body)
    assert t.category == "foi" and t.category_rule is not None and "figures" in t.category_rule


def test_a_dissertation_question_with_a_year_in_it_is_not_foi() -> None:
    t = classified("I am a student writing a dissertation. Could you tell me how much of the budget goes on "
                   "youth work, whether knife arches have been used since 2024, and whether someone would "
                   "do a short interview?")
    assert t.category != "foi"


@pytest.mark.parametrize("body", [
    "I did your precept survey online but there was nowhere to put comments. That's my answer: no rise.",
    "Precept survey - my comments. Your online survey only lets you pick between three rises.",
    "The parish council considered your consultation on the policing precept and resolved to submit the "
    "following response.",
])
def test_survey_answers_in_a_letter_of_their_own_are_consultation(body: str) -> None:
    assert classified(body).category == "consultation"


def test_a_survey_the_commissioner_ran_is_not_an_answer_to_it() -> None:
    # "did the survey" said of the Commissioner: a letter about the precept, months after the survey.
    t = classified("The police part of my council tax has gone up again. When the Commissioner did the survey "
                   "in January I said no, so what did the Commissioner make of that, and why did it go up anyway?")
    assert t.category == "correspondence"


@pytest.mark.parametrize("body", [
    # An officer's driving.
    "A marked police car came through the village at 60 in the 30 limit this morning with no blue lights "
    "and the driver had a phone to his ear. I would like this looked into.",
    # Put as questions.
    "Is it normal for officers to arrest a 17 year old at work in front of customers? And who do I ask, "
    "because the officer in charge doesn't return calls?",
    # In text-speak, about the officer in the case.
    "they took my phone 3 month ago and the officer is pc dawlish and he never answers his emails. how is "
    "this allowed",
    # The handling of reports.
    "I have reported my neighbour five times. I would like someone senior to look at how my reports have "
    "been handled.",
])
def test_complaints_in_other_words_are_complaints(body: str) -> None:
    assert classified(body).category == "complaint"


def test_hearing_complaints_about_the_police_is_not_making_one() -> None:
    t = classified("The officers who came on Tuesday were brilliant. We hear a lot of complaints about the "
                   "police and wanted you to hear this side. Please pass on our thanks.")
    assert t.category == "correspondence"


def test_a_response_pc_writing_from_home_is_officer_correspondence() -> None:
    t = classified("I'm a response PC based at the town station, eight years in, writing from my own email. "
                   "The PCSOs are the ones who know which door to knock on.")
    assert t.category == "officer_correspondence"


@pytest.mark.parametrize(("body", "cue"), [
    # Stated in other words than "I wish to complain".
    ("My shed was broken into and nobody came for a week. I want a complaint recorded against whoever "
     "decided it could wait.", "want_to"),
    # Asking for an officer to be dealt with, politely.
    ("Two PCSOs were short with my mother when she asked them for directions in the market. I would like "
     "them spoken to, please.", "action_against"),
    # An officer's posts online.
    ("A man whose profile says he is a sergeant at our local station has been sharing jokes about "
     "asylum seekers on his Facebook page. I want this looked into.", "officer_online"),
    # The Commissioner's office used for party politics, put as a question.
    ("Is it proper for the Commissioner's staff to spend office hours delivering leaflets for her "
     "party's candidates? Who holds her to account?", "commissioner_misuse"),
])
def test_complaints_put_politely_or_as_questions_are_complaints(body: str, cue: str) -> None:
    t = classified(body)
    assert t.category == "complaint"
    assert f"complaint.{cue}:" in (t.category_rule or "")


def test_a_lookahead_cue_records_what_each_part_found() -> None:
    t = classified("Our PCSO has posted a video on TikTok mocking a drunk man outside the chip shop. "
                   "I want it taken down.")
    assert t.category_rule is not None and "PCSO ... " in t.category_rule
    assert t.category_rule.endswith("... I want it taken down'")


@pytest.mark.parametrize("body", [
    "Could the Commissioner tell us whether the party political broadcast on the radio about police "
    "funding was accurate? I support more officers.",
    "I want this investigated: my bike was stolen from outside the station and an officer took the "
    "details, but I have heard nothing since about the thief.",
    "Our PCSO posts on Facebook every week about the lost dogs she finds. Could the Commissioner thank her?",
])
def test_letters_near_those_complaints_are_not_complaint_rules(body: str) -> None:
    t = classified(body)
    assert not [h for h in t.hits if h.rule == "rule:complaint"]


def test_a_constituent_wanting_it_treated_as_a_complaint_is_a_complaint() -> None:
    t = classified("I am writing on behalf of my constituent, Mrs Obi, who reported racist graffiti on her "
                   "door in May and has heard nothing. She would like this treated as a complaint.")
    assert t.category == "complaint"


def test_a_force_employee_writing_as_a_resident_is_not_officer_correspondence() -> None:
    t = classified("I work for the constabulary in the payroll team, but I'm writing purely as a resident. "
                   "Delivery lorries block our lane every morning. Who do I report this to?")
    assert t.category == "correspondence"
    assert not [h for h in t.hits if h.rule == "rule:officer_correspondence"]


def test_a_company_selling_survey_work_is_correspondence_whatever_the_model_says() -> None:
    t = classified("Is your budget consultation reaching young people? Our text panels reach under-25s. "
                   "Packages start from £3,000. Book a 15-minute call. Unsubscribe: reply STOP.",
                   subject="Your consultation response rates")
    assert t.category == "correspondence"


def test_asking_for_the_handling_of_a_999_call_to_be_formally_investigated_is_a_complaint() -> None:
    t = classified("In September I rang 999 about a fight in the street and waited twenty minutes to get "
                   "through, then nobody came for an hour. I want the way my call was handled formally "
                   "investigated, and to know what will change.")
    assert t.category == "complaint", [h.reason for h in t.hits]
    assert "rule:complaint" in rules_fired(t)


def test_not_writing_to_make_a_complaint_is_no_complaint() -> None:
    t = classified("My father died in custody years ago. I am not writing to make a complaint; the officers were "
                   "kind. I am writing to ask you to keep funding the mental health nurses who ride with patrols.")
    assert t.category != "complaint", [h.reason for h in t.hits]


def test_not_writing_to_complain_about_that_officer_is_no_complaint() -> None:
    t = classified("Our house was burgled years ago. I am not writing to complain about that officer, who was "
                   "polite. I am writing because there is no neighbourhood officer in our village any more and I "
                   "want to know whether the Commissioner's budget will fund one.")
    assert t.category != "complaint", [h.reason for h in t.hits]


def test_a_request_called_foi_for_what_the_police_hold_on_the_writer_is_a_subject_access_request() -> None:
    t = classified("I'd like to make a freedom of information request for all the information the police have "
                   "on me, including any intelligence records and notes from when I was stopped.")
    assert t.category == "correspondence" and "rule:correspondence" in rules_fired(t), [h.reason for h in t.hits]
