"""The urgency stage: risk of harm now, however understated; alarming words about the past are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from fakes import FakeContext, config_with

from bot.config import ConfigError, load_config
from handlers import pipeline, urgency
from handlers.matchtext import template_words
from handlers.types import CampaignRef, CaseRef, Incoming, Kind, Prediction, Triage

WHEN = datetime(2026, 10, 5, 21, 40, tzinfo=UTC)


def triage_for(body: str, subject: str = "", channel: str = "email") -> Triage:
    t = Triage(raw_id=1, channel=channel, raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel=channel, sender_address="writer@example.com", subject=subject,
                          body=dedent(body).strip())
    return t


def run(body: str, subject: str = "", channel: str = "email") -> Triage:
    t = triage_for(body, subject, channel)
    urgency.process(t, FakeContext())
    return t


@pytest.mark.parametrize("body", [
    "he's outside my door right now shouting that he'll kill me. there's an injunction. "
    "I'm hiding in the bathroom",
    "Someone is trying the back door handle at this moment and I'm alone in the house "
    "with the lights off.",
    "I've got a month of tablets in front of me and I'm going to take them all tonight. "
    "Tell my sister sorry.",
    "my mate just messaged saying she's swallowed a packet of pills and said goodbye, she won't answer now",
    "My daughter is 13 and hasn't come home, her phone is off and she went off in a car "
    "with a man she met online.",
    "There's a lad with a machete outside the chip shop right now chasing people. Please send someone.",
])
def test_plain_danger_now_is_urgent(body: str) -> None:
    t = run(body, channel="telegram")
    assert t.urgent
    assert any(h.rule == "at_risk_now" for h in t.hits)


def test_understated_danger_buried_in_a_long_complaint_is_urgent() -> None:
    t = run("""
        Dear Sir or Madam,

        I am writing to complain, not for the first time, about the way my reports of harassment by
        my former partner have been handled. Each time I was told it was a civil matter and nobody
        looked at the voicemails I kept.

        I would also like to know why the officer in charge never returned my calls in August.

        For what it is worth he has been ringing all evening saying he is coming round later to sort
        me out, and I have pushed the sofa against the door. I did not know who else to tell.

        I would like a written response to my complaint.
        """, subject="Complaint about the handling of my reports")
    assert t.urgent


def test_scared_he_will_come_back_tonight_is_urgent() -> None:
    t = run("Sorry to bother you. He broke the kitchen door earlier and left. "
            "I'm scared he'll come back tonight.")
    assert t.urgent


@pytest.mark.parametrize("body", [
    # A historic assault, reported now: serious, but nobody is at risk this minute.
    "When I was 15, back in 2006, a teacher assaulted me. I have never told anyone "
    "and would like to report it now.",
    # A policy question with alarming words.
    "After last year's stabbings I want to know the Commissioner's knife crime strategy and how much funding "
    "goes to youth work. My son is 14 and some boys in his class carry a knife.",
    # A bereavement mentioned in a policy letter.
    "My husband took his own life in 2021. I am writing to ask whether the Commissioner will keep funding "
    "the mental health nurses who go out with officers.",
    # Thanks for help that is over.
    "Thank you to the officers who found my mum when she went missing from her care home "
    "last week. She is safe and well.",
    # Everyday nuisance.
    "The neighbours' music is so loud every night that I can't sleep. Who do I contact about noise?",
])
def test_alarming_words_without_present_risk_are_not_urgent(body: str) -> None:
    assert not run(body).urgent


def test_cues_are_recorded_as_hits() -> None:
    t = run("He is outside my flat now with a knife.")
    cues = [h.reason for h in t.hits if h.rule == "cue"]
    assert any(c.startswith("weapon+now") for c in cues)


def test_machine_mail_and_chat_answers_are_skipped() -> None:
    for kind in (Kind.MACHINE, Kind.CHAT_COMMAND, Kind.CHAT_GROUP):
        t = triage_for("he is outside with a knife right now")
        t.kind = kind
        pipeline.run(t, FakeContext(), (urgency,))
        assert not t.urgent and not t.hits


def test_threshold_comes_from_config() -> None:
    strict = config_with({"triage.urgency.threshold": 99.0, "triage.urgency.model_alone": 1.01})
    t = triage_for("he's outside my door right now shouting that he'll kill me")
    urgency.process(t, FakeContext(config=strict))
    assert not t.urgent


def test_bad_config_value_stops_start_up_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"triage\.urgency\.threshold"):
        load_config(None, {"triage.urgency.threshold": "high"})


def rule_score(body: str) -> float:
    """The cue tables' score alone, without the model: the rules must generalise by themselves."""
    return urgency.score_text(dedent(body).strip(), FakeContext().config).total


# A protective order or bail condition being broken right now, told calmly.
ORDER_BREACH = [
    "Sorry to trouble you, it's probably nothing. My ex has a non-molestation order but his car has been "
    "parked across the road from my house for the last half hour. He's just sitting in it. My daughter "
    "is asleep upstairs.",
    "hes sat outside in his van again, hes on bail and not allowed near me. been there about 20 mins. "
    "kids are in bed",
    "I didn't want to waste anybody's time by phoning. The man the court has barred from contacting me "
    "is standing by the post box opposite my flat and has been since just after ten. I'm on my own.",
    "My former husband is not supposed to come within 100 metres of me under his bail conditions. He has "
    "just turned up and is waiting at the end of my road in his car.",
]
# Someone says they are on the way, with a threat or a history, after a question about process.
ARRIVING = [
    "Could you tell me how long an injunction usually takes? I ask because he phoned a few minutes ago "
    "to say he's on his way round now and I'll regret going to a solicitor. He has forced his way in "
    "before. It's just me and the baby.",
    "quick question about getting a non-mol. also he just texted saying hes coming round tonight and ill "
    "see what happens, he strangled me last time. im on my own",
    "I wanted advice about changing my locks. My partner has just rung from the pub and says he's coming "
    "home to deal with me. He has hit me before.",
]
# Farewell or settled intent without the stock words.
FAREWELL = [
    "This is my final message to anyone. The envelopes for my two girls are on the mantelpiece. I've "
    "decided I'm going to end it tonight.",
    "this is goodbye. tell my brother im sorry. i wont be here in the morning",
    "I can't carry on any more. Everyone would be better off if I wasn't around. I've sorted my affairs.",
    "ive took all my tablets. just wanted someone to know",
    "dont think ill still be here tomorrow. ive said my goodbyes",
]
# Followed, watched, trapped or hiding now; often doubting oneself.
FOLLOWED = [
    "I may be being paranoid. A dark estate car has been behind me since the motorway. I've pulled into a "
    "garage forecourt and it has stopped by the air pump with its lights off. I've locked the doors.",
    "someones been following me since the bus station and now hes stood outside the cafe im in. i dont "
    "want to go out",
    "There's a van that keeps circling our close and it has stopped outside my house twice. The driver "
    "keeps looking up at my window. I'm home alone.",
    "I'm hiding in the bathroom, my partner is kicking off downstairs and smashing things.",
    "i'm in the toilets at the restaurant, the man i met tonight grabbed my wrist and is waiting by the "
    "door. i don't know how to get out",
]


@pytest.mark.parametrize("body", ORDER_BREACH + ARRIVING + FAREWELL + FOLLOWED)
def test_understated_danger_now_is_urgent_by_rules_alone(body: str) -> None:
    assert run(body, channel="telegram").urgent
    assert rule_score(body) >= 3.0, urgency.score_text(body, FakeContext().config).cues


def test_a_breach_buried_at_the_end_of_a_policy_letter_is_urgent() -> None:
    t = run("""
        Dear Commissioner,

        I wrote to you in the spring about funding for domestic abuse services and I am grateful for
        your reply. I would still like to know what the strategy is for refuge places next year.

        I hate to mention it, but my ex-husband, who was released last month, is sat outside in his car
        again tonight and has been for an hour. I am on my own with the children.

        Yours sincerely
        """)
    assert t.urgent


@pytest.mark.parametrize("body", [
    # Resolved emergencies, with thanks.
    "We want to thank the officers who found my grandmother, who has dementia, after she went missing "
    "last Thursday. She is home now and safe.",
    "A huge thank you to the search team who found our son safe on Saturday night. He is back home.",
    # Historic breaches and behaviour.
    "In 2020 my ex breached his restraining order again and again. What is the Commissioner doing to "
    "make sure breaches are prosecuted?",
    "When I was a teenager a man followed me home from school for weeks. I'd like to know what the force "
    "does about stalking now.",
    # Process questions about orders, with nobody at risk now.
    "How do I apply for a non-molestation order? My ex has moved abroad but I'd like protection in case "
    "he comes back.",
    # Policy and campaigns with alarming words.
    "Please keep funding suicide prevention work in our town. Lives will be lost if it is cut.",
    "If the Commissioner closes our police station, lives will be lost. Please think again.",
    "What is the Commissioner's domestic abuse strategy, and how much funding goes to advisers?",
    # A bereaved parent on road safety.
    "Our son was killed by a speeding driver on the ring road in 2018. Please back our campaign for "
    "average speed cameras.",
    # A complaint about a past assault by an officer.
    "I want to complain about an officer who pushed me against a wall and grabbed my arm during my "
    "arrest in March.",
    # Suspicious vehicles over recent evenings: information, not an emergency.
    "For the last three evenings two men have sat in a car at the end of our road for an hour or so. "
    "Probably nothing, but who should I tell?",
])
def test_resolved_historic_and_policy_letters_are_not_urgent(body: str) -> None:
    assert not run(body).urgent


@pytest.mark.parametrize("body", [
    # Found safe last time does not make tonight's disappearance safe.
    "Your officers found my son safe when he went missing in the spring. He has gone missing again "
    "tonight, his phone is off and he left his medication behind.",
    # An intruder heard in the house.
    "I think someone is in my house. I heard the back door go and there are footsteps downstairs. "
    "I'm upstairs in the bedroom.",
    # Despair with a farewell text and no way to reach her.
    "My sister has just texted 'love you all, sorry' and now her phone is off. She lives on her own.",
])
def test_other_kinds_of_present_danger_are_urgent(body: str) -> None:
    assert run(body).urgent
    assert rule_score(body) >= 3.0


@pytest.mark.parametrize("body", [
    # Words of farewell and frustration that are not about ending a life.
    "This is my last message on the subject: I have written three times about the potholes and had no reply.",
    "We'd like to say goodbye and thank you to our PCSO, who retires this month after 20 years.",
    "I've had enough of the dealing on our estate and I can't take it any more. What is the Commissioner "
    "going to do?",
    # An officer who was expected and never came.
    "The officer said he was on his way over to take my statement and never turned up. I waited in all day.",
])
def test_farewell_and_arrival_words_in_everyday_letters_are_not_urgent(body: str) -> None:
    assert not run(body).urgent


# A young or vulnerable person overdue and out of reach now, with a risk, asked as a question of procedure.
OVERDUE = [
    "How long do I have to leave it before I can report my son missing? He's 13, he should have been back "
    "from the rec at six, it's dark now and his phone is switched off. He's been messaging an older man "
    "on a game.",
    "is it too early to ring about my daughter, shes 15 and still not back, nobody has seen her since she "
    "got into a car with some older lads. phone dead",
    "Do we have to wait 24 hours? Dad has dementia and walked out of the house two hours ago without his "
    "tablets. It's getting dark and we've searched the streets.",
    "my sister is 16 she was meant to be home by 9 its gone 11 and she wont answer, been talking to a man "
    "she met on snapchat",
]
# Someone in physical danger at a dangerous place now, often in capitals or without punctuation.
PERIL = [
    "FOUR LADS CLIMBING ON THE OUTSIDE OF THE FOOTBRIDGE RAILINGS OVER THE TRACKS AND A TRAIN IS DUE",
    "theres two kids sitting on the railway line by the allotments and a train is coming",
    "a car has gone off the road into the ditch by the farm, its on its roof and people are still inside",
    "little girl fell in the canal by the lock shes clinging to the side",
    "STRONG SMELL OF GAS IN THE STAIRWELL AND THE OLD LADY ON THE GROUND FLOOR WONT ANSWER HER DOOR",
    "someone walking down the middle of the motorway in the dark, cars are swerving",
    "fire in the house next door, smoke is filling our landing and the kids can't get out",
]


@pytest.mark.parametrize("body", OVERDUE + PERIL)
def test_overdue_children_and_people_in_peril_are_urgent_by_rules_alone(body: str) -> None:
    assert run(body, channel="telegram").urgent
    assert rule_score(body) >= 3.0, urgency.score_text(body, FakeContext().config).cues


@pytest.mark.parametrize("body", [
    # News and television retold inside a policy question.
    "I saw on the news last night a boy stabbed outside his school, with children screaming. Would the "
    "Commissioner support metal detectors at school gates?",
    "watched a documentary where a woman was attacked with a hammer in her kitchen. what is the pcc doing "
    "about domestic abuse here",
    "There's a clip going round on Facebook of a man lying in the road bleeding after a fight. Do we need "
    "more CCTV in the town centre?",
    # The danger has passed: arrested, remanded, safe now, asking for support.
    "The man who said he would kill me was arrested on Sunday and bailed to an address in another county. "
    "I'm safe now. Who can I talk to?",
    "my ex was remanded on tuesday for hurting me. im safe and staying at my sisters. is there support",
    # Dangerous places as a pattern, a memory or a request about a fence.
    "Kids keep getting onto the railway line through a broken fence behind the park. Who mends it?",
    "Every summer teenagers jump off the harbour wall into the sea. Will the Commissioner fund safety talks?",
    "A van slid into the ditch by the school this morning. Nobody was hurt, but who grits that hill?",
    # Someone expected back who is not missing, and a reply that has not come.
    "The council still hasn't come back to me about the broken street light.",
    "My husband isn't home yet, he's working late, but when is the Commissioner's next surgery?",
])
def test_retellings_contained_danger_and_patterns_are_not_urgent(body: str) -> None:
    assert not run(body).urgent


def test_an_arrest_does_not_contain_danger_that_is_back_now() -> None:
    t = run("He was arrested last month but they let him out and he is outside my flat right now "
            "kicking the door.")
    assert t.urgent


def test_nobody_hurt_does_not_contain_someone_still_inside() -> None:
    assert rule_score("Nobody was hurt in the crash but my dad is still inside the car and it's smoking, "
                      "it's on its roof in the ditch.") >= 3.0


@pytest.mark.parametrize("body", ["hi", "hello", "ok thanks", "can you call me back please",
                                  "The lights on Mill Road are out.", "Bins not collected again."])
def test_short_everyday_messages_are_not_urgent(body: str) -> None:
    assert not run(body, channel="telegram").urgent


@pytest.mark.parametrize("body", [
    "TWO KIDS ARE ON THE WRONG SIDE OF THE MOTORWAY BRIDGE SAFETY RAILINGS AND CARS ARE FLYING PAST UNDERNEATH",
    "a man is stood on the outside of the old canal viaduct parapet and keeps leaning out, please come",
    "there are teenagers walking over the tracks by the level crossing and the barriers are coming down",
])
def test_people_at_a_dangerous_place_with_words_in_between_are_urgent_by_rules(body: str) -> None:
    assert rule_score(body) >= 3.0


def test_a_dangerous_place_in_an_everyday_sentence_is_not_urgent() -> None:
    assert not run("I cross the footbridge over the railway every day and the railings are rusty.").urgent


# --- issue 13: risk read like a person reads it ------------------------------------------------


@pytest.mark.parametrize("body", [
    # Coercive control with a time and a history, buried in a question about something else.
    "Can you tell me how to apply to be a special constable? Please only reply by email. My husband "
    "reads my messages and has taken my bank card and the car keys again, and he says I'm not to go "
    "out until he's home tonight. Last time I argued he had his hands round my throat.",
    # Afraid to go back, said plainly.
    "I'm asking about refuge places for a friend. Well, it's me really. I don't feel safe going home "
    "tonight after what he said this morning.",
    # A threat with its hour.
    "He's texted to say he'll be waiting when I get in from my shift, and that I know what's coming.",
])
def test_risk_without_stock_words_is_urgent(body: str) -> None:
    assert run(body).urgent


def test_a_vulnerable_person_gone_out_and_not_back_is_urgent() -> None:
    t = run("""
        My mother is 86 and has Alzheimer's. She let herself out of the front door after breakfast in
        her nightdress and slippers. It's now nearly one and we've been round all the usual places.
        """)
    assert t.urgent


def test_a_story_told_about_a_past_date_is_not_live() -> None:
    # The immediacy of "all evening" belongs to the dated story, not to tonight.
    t = run("""
        On the evening of 3rd March two officers came to my house because lads had been throwing
        stones at a bus. My son had been in all evening with me and I told them so. I would like
        this treated as a complaint about how the sergeant spoke to him.
        """)
    assert not t.urgent


def test_a_letter_that_says_the_person_was_found_is_settled() -> None:
    t = run("""
        Just to let you know my father was found last night by a dog walker near the level crossing.
        He was cold and confused but is home with us now. I do want to complain about how long
        the call took to be answered, given he has dementia.
        """)
    assert not t.urgent


def test_saying_one_is_not_frightened_is_no_alarm() -> None:
    t = run("My neighbour shouts at me over the fence when I'm in the garden. I'm not frightened of "
            "him exactly, but I'm sick of it. What can I actually do?")
    assert not t.urgent


def test_a_past_threat_is_a_risk_again_when_something_is_live() -> None:
    t = run("""
        In March the man I am a witness against said he would burn my house down with me in it.
        I understood he was on remand, but he was released today and his car has been past my house
        twice since four o'clock. I live alone. I am sure I am making too much of it.
        """)
    assert t.urgent


def test_a_farewell_in_everyday_words_is_urgent() -> None:
    t = run("""
        I wanted to thank the lady who rang me back in the summer. I've sorted everything out now.
        The dog is going to my brother, and the letters for everyone are on the kitchen table with
        the keys. There's nothing else anyone needs to do. I won't be writing again.
        """)
    assert t.urgent


def test_a_campaign_copy_is_read_without_its_template() -> None:
    template = ("I am writing to ask you to stop the planned closure of the public front counter at the "
                "station. The counter is the only place on this coast where people can speak to someone "
                "face to face. Please keep the front counter open at least five days a week.")
    ctx = FakeContext()
    ctx.campaign_list.append(CampaignRef(1, 1, "Keep the counter open", " ".join(template_words(template))))
    t = triage_for(f"{template}\nThe lads who deal on our street put my window in last night. Tonight they "
                   "put a note through the door saying they know my girls sleep in the front bedroom and "
                   "they're coming back at 2.")
    urgency.process(t, ctx)
    assert t.urgent
    assert any(h.rule == "own_words" for h in t.hits)


def test_a_telegram_fragment_is_read_with_the_chat_before_it() -> None:
    earlier = CaseRef(5, "MID-2026-00005", "open", "correspondence", 9,
                      last_contact_at=WHEN - timedelta(minutes=2))
    ctx = FakeContext(identities={("telegram", "77"): 9},
                      person_cases=[(9, earlier, "my friend just sent me a goodbye message and now she's not "
                                     "answering her phone", WHEN - timedelta(minutes=2))])
    t = Triage(raw_id=2, channel="telegram", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="telegram", telegram_user_id=77, telegram_chat_id=77,
                          body="shes at number 14 on the high street i think. im too far away to get there")
    urgency.process(t, ctx)
    assert t.urgent
    assert any(h.rule == "chat_context" for h in t.hits)


def test_a_calm_fragment_after_an_urgent_one_is_not_urgent_by_context() -> None:
    earlier = CaseRef(5, "MID-2026-00005", "open", "correspondence", 9,
                      last_contact_at=WHEN - timedelta(minutes=5))
    ctx = FakeContext(identities={("telegram", "77"): 9},
                      person_cases=[(9, earlier, "he's outside my door right now shouting he'll kill me",
                                     WHEN - timedelta(minutes=5))])
    t = Triage(raw_id=2, channel="telegram", raw=b"", received_at=WHEN)
    t.incoming = Incoming(channel="telegram", telegram_user_id=77, telegram_chat_id=77,
                          body="the police came and he was arrested. we're safe now, thank you")
    urgency.process(t, ctx)
    assert not t.urgent


class _SureModel:
    """A model sure that every text is urgent (p=0.95), to see what the rules around it do."""

    def predict(self, head: str, text: str) -> Prediction:
        probs = {"yes": 0.95, "no": 0.05} if head == "urgent" else {"opcc": 1.0}
        label = max(probs, key=lambda k: probs[k])
        return Prediction(label, probs[label], probs)


@pytest.mark.parametrize("body", [
    "not askin for anyone to come out now, just saying its like this every wkend",
    "I'm not in danger, I just wanted it on record that the van is back on the verge.",
    "It's not an emergency, but the lights on the footbridge are out again.",
])
def test_the_model_alone_does_not_overrule_a_writer_who_says_nobody_is_needed_now(body: str) -> None:
    v = urgency.assess(body, FakeContext().config, _SureModel())
    assert not v.urgent
    assert "not urgent now" in v.why


def test_a_calm_word_does_not_hide_a_harm_cue() -> None:
    v = urgency.assess("It's not an emergency for you but my flatmate has taken a whole box of pills and "
                       "won't wake up", FakeContext().config, _SureModel())
    assert v.urgent


@pytest.mark.parametrize("body", [
    "Who do I need to be shouting at to get a crossing painted outside the school?",
    "not saying who i am, theres stolen quad bikes in the barn at the back. dont want no come back on me",
])
def test_idioms_of_shouting_and_come_back_are_no_harm_cue(body: str) -> None:
    cues = urgency.score_text(body, FakeContext().config).cues
    assert not [c for c in cues if c.startswith(("screaming", "coming_back"))], cues


def test_a_farewell_in_everyday_words_with_no_stock_phrase_is_urgent_by_rules() -> None:
    body = ("Thank you to the officers who were kind after my wife died. I have paid the gas bill and the "
            "back door keys are under the flower pot. I won't be needing the appointment next week. This is "
            "the last you'll hear from me.")
    assert rule_score(body) >= 3.0, urgency.score_text(body, FakeContext().config).cues


# Alarming words with no danger now: each case names the reading that settles it.
NOT_NOW = [
    # A lull told in the present: "at the moment" is not danger at the moment.
    ("Last Bonfire Night there was a brawl outside our door and a lad was bleeding on the step; my wife "
     "was terrified. Nothing is happening at the moment, it's all quiet now, but will there be more "
     "officers on the estate this year?", "email"),
    # A past story whose writer "thought I was going to die" then, told years later.
    ("Back in 2014 two men jumped me behind the bus station and kicked me until I passed out. I really "
     "thought I was going to die there. I never went to the police because I was scared of their family. "
     "I'm 41 now and my therapist says I should finally report it. How would I go about that?", "email"),
    # "Fifteen years ago" dates a story as "15 years ago" does.
    ("Fifteen years ago my former partner beat me and held a knife to my throat. I have been safe "
     "for a long time and now help at a women's centre. Will the Commissioner keep funding the "
     "advocates who helped me?", "email"),
    # Someone who keeps turning up, three times this week: a pattern.
    ("hiya my ex keeps turning up at my flat even tho ive told him, 3 times this wk now. should i report that",
     "telegram"),
    ("He keeps turning up at my work since we split. Three times a week now. What can I do?", "telegram"),
    # The "right now" of "I'm not worried about my safety right now" is part of the calm, and the
    # leaflet "I've lost it" is no temper lost.
    ("Last month a man I didn't know hit me and kicked me outside the station. He was charged and has "
     "bail conditions to stay away, so I'm not worried about my safety right now. But I can't sleep and "
     "the leaflet the officer gave me, I've lost it. Who can I talk to?", "email"),
    # Petrol tools, a Quarry Lane and a thief who comes back every few months.
    ("Our allotment shed was broken into again last night and they took two petrol strimmers. There are "
     "tyre marks on the Quarry Lane side of the fence right now. Somebody is coming back every few months. "
     "How do we report it so that someone looks at it?", "email"),
    # A night this week told in the past, "was going to" and all, and the writer safe now.
    ("Just to say thanks. Friday night my ex turned up drunk, kicking the door and shouting he was going to "
     "batter me. Officers came in ten minutes and he was remanded in custody. We are safe now.", "email"),
    # A complaint about a slow response: "said he was still there" is what the caller said then.
    ("I want to complain about the response to my 999 call last Wednesday. A man was banging on my neighbour's "
     "door shouting he was going to kill her. I rang and said he was still there. Nobody came for an hour. "
     "She got out the back and is fine.", "email"),
    # Policy words: "knife crime" names no knife.
    ("I wish to complain about the Chief Constable's remarks on knife crime in the town last week.", "email"),
    # A thank-you that names dementia once (no second, Welsh, count of it) and "at the home".
    ("Thank you to the officer who found my father, who has dementia, last Tuesday and took him back to "
     "the home. He is settled now.", "email"),
    # A policy question ("whether the Commissioner will fund") halves the hypothetical shotgun beside it.
    ("Quad bikes keep being stolen from farms round here. I would like to know whether the Commissioner will "
     "fund a rural crime team, and what is being done now about the thefts, because people are starting to "
     "talk about sitting up at night with a shotgun and I don't want it to come to that.", "email"),
    # Hate graffiti found on coming back from work; "nobody is here now"; a promise someone would come round.
    ("Tonight when I come back from work I find words sprayed on my garage. Nobody is here now, it is quiet. "
     "My wife is scared. 101 said someone would come round.", "email"),
]


@pytest.mark.parametrize(("body", "channel"), NOT_NOW)
def test_alarming_words_with_no_danger_now_are_not_urgent(body: str, channel: str) -> None:
    t = run(body, channel=channel)
    assert not t.urgent, [h.reason for h in t.hits]


def test_a_lull_beside_a_harm_cue_is_no_lull() -> None:
    """"It's quiet now" does not take back a threat in the same sentence."""
    t = run("It's all quiet now but he's texted that he's going to kill me when he gets back tonight. "
            "I'm on my own with the baby.")
    assert t.urgent


@pytest.mark.parametrize(("body", "cues", "channel"), [
    # Vulnerability, a search everywhere, water nearby and "what should I do": the Welsh forms.
    ("Mae Dad wedi mynd ar goll. Mae o'n 84 ac mae ganddo Alzheimer's. Gadawodd y tŷ ar ôl swper "
     "heno heb ei feddyginiaeth. Rydyn ni wedi chwilio'r pentref i gyd a does dim golwg ohono. "
     "Mae'r afon yn uchel. Beth ddylwn i wneud?", {"vulnerable_cy", "not_home_cy"}, "telegram"),
    # A farewell from a bridge, in Welsh.
    ("Mae fy mrawd newydd anfon neges: 'sori am bopeth, dw i ar y bont, methu gwneud hyn rhagor'. "
     "Dydy e ddim yn ateb ei ffôn. Plis anfonwch rywun.", {"farewell_cy", "jump_cy"}, "telegram"),
    # A drunk driver all over the road ahead, now.
    ("the car in front is all over the road, crossed the middle line twice, the driver could barely "
     "stand at the garage 5 mins ago. we're behind him on the A61 now", {"drink_drive"}, "telegram"),
])
def test_danger_now_in_words_the_tables_did_not_hold_is_urgent(body: str, cues: set[str], channel: str) -> None:
    t = run(body, channel=channel)
    assert t.urgent, [h.reason for h in t.hits]
    assert cues <= urgency.fired_cues(t)
