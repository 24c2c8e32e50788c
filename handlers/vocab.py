"""Default cue tables for urgency, classify and signpost (regexes, case-insensitive).

Every table can be replaced under the same key in config.yaml (`triage.urgency.harm`, ...).
Patterns describe kinds of request and risk, never any one area's places or people: those
come from config (`office.places`, `force.*`).
"""

from __future__ import annotations

from typing import Any

_ME = r"(?:me|us|her|him|them|my \w+|the kids|the children)"

URGENCY: dict[str, Any] = {
    # Score at or above which a message is urgent. A harm cue scores its weight times
    # `immediate_factor` when an immediacy cue is in the same or a neighbouring sentence.
    "threshold": 3.0,
    "immediate_factor": 1.5,
    "distant_factor": 0.5,
    # The model's urgent probability, times model_weight, is added when it is at least model_min;
    # at model_alone or more the model decides on its own.
    "model_weight": 2.5,
    "model_min": 0.4,
    "model_alone": 0.8,
    # Policy-question cues halve the score when at least this many appear.
    "policy_min": 2,
    # Harm cues that need no immediacy cue: stated intent to end one's life is always now.
    "always_now": ["self_harm", "overdose", "jump"],
    "harm": {
        "threat_to_life": [rf"\b(?:going to|gonna|will|'ll|wants? to|threaten\w*(?: to)?|"
                           rf"says? he'?ll|said he'?d) "
                           rf"(?:kill|stab|shoot|hurt|burn|finish|batter|get|sort|do|deal with|drive|crash|"
                           rf"drown|"
                           rf"strangle|throw|cut|hit|beat|attack|smash|knock) {_ME}", 3],
        "menace": [r"\b(?:sort (?:me|her|us) out|do (?:me|her) in|teach (?:me|her) a lesson|make (?:me|"
                   r"her) pay|"
                   r"(?:i'?ll|you'?ll|she'?ll) be sorry|finish what (?:he|she|they) started|"
                   r"you'?re dead)\b", 2],
        "attack_home": [r"\b(?:thrown|threw|throwing|chucked) (?:a |an )?(?:brick|stone|rock|bottle|firework|"
                        r"petrol bomb)s? (?:through|at|into)\b|\bsmashed (?:my|our|the) (?:front |back )?"
                        r"(?:window|door)", 2.5],
        "coming_for_me": [r"\bcoming (?:in |round |over |back )?(?:to|for) (?:get|hurt|kill|sort|do) "
                          r"(?:me|us|her|him)\b|\bcoming (?:in |round |over )?for (?:me|us)\b", 3],
        "barricade": [r"\b(?:barricad\w+|pushed (?:the )?\w+ (?:against|behind|in front of) the door|"
                      r"locked myself in)\b", 2],
        "kill_me": [r"\bkill (?:me|us|her|him|myself)\b", 3],
        "arson": [r"\b(?:burn|set fire to|torch) (?:my|the|our|her|his) (?:house|home|flat|place|car)", 3],
        "accelerant": [r"\b(?:petrol|accelerant|lighter fluid)\b", 2],
        "fire": [r"\b(?:setting fire|set fire|on fire|alight|flames|smoke is)\b", 2],
        "weapon": [r"\b(?:knife|knives|machete|gun|firearm|shotgun|hammer|axe|crossbow|"
                   r"baseball bat|blade)\b", 2],
        "at_the_door": [r"\b(?:outside|at|across the road from|opposite|watching) (?:my|the|our) "
                        r"(?:house|home|flat|"
                        r"front door|back door|door|window)", 1.5],
        "stalking": [r"\b(?:following me|followed me|stalk\w*|photos of (?:me|my (?:kids|children)))\b", 2],
        "fight": [r"\b(?:fight|fighting|brawl|bottles? (?:being )?thrown|glassed|stabbed|stabbing)\b", 1.5],
        "injured": [r"\b(?:not moving|unconscious|not breathing|bleeding|blood everywhere|collapsed|"
                    r"lying in the road)\b", 2],
        "banging": [r"\b(?:banging|kicking|hammering|pounding|smashing) (?:on |at |in )?(?:the |my |our )?"
                    r"(?:door|window|windows|things)", 2],
        "getting_in": [r"\b(?:trying (?:to get in|to break in|the (?:back |front |patio )?door|the handle|"
                       r"the lock)"
                       r"|break(?:ing)? in(?:to)?|at the lock|forcing the door)", 3],
        "in_garden": [r"\bin (?:my|our|the) (?:back )?garden\b", 1],
        "violence_now": [r"\b(?:hit|hitting|punch\w*|strangl\w*|chok\w*|beat\w*|attacking|kicking) "
                         r"(?:me|her|my mum|my mom|my sister|us|him)\b", 3],
        "held": [r"\b(?:locked me in|won'?t let me (?:leave|out)|not safe (?:at home|here)|"
                 r"i'?m not safe)\b", 3],
        "coming_back": [r"\b(?:come|coming) (?:back|round|over)\b|\bon (?:his|her|their) way\b", 1],
        "fear": [r"\b(?:scared|afraid|frightened|terrified|petrified)\b", 1],
        "self_harm": [r"\b(?:kill myself|end it all|end my life|take my (?:own )?life|suicid\w*|"
                      r"don'?t want to "
                      r"(?:live|be here)|better off without me|(?:everyone|they)(?:'ll| will) be better off|"
                      r"can'?t (?:go on|do this any ?more)|won'?t be (?:around|here) (?:tomorrow|much longer|"
                      r"for long)|"
                      r"no reason to (?:live|go on)|had enough of (?:everything|life|it all)|"
                      r"by the time (?:you|anyone|someone|somebody) reads? this|won'?t matter any ?more|"
                      r"i'?m sorry i (?:couldn'?t|could not|can'?t) (?:make it work|go on|cope|carry "
                      r"on))", 3],
        "farewell": [r"\bjust (?:wanted|want(?:ed)?) (?:someone|somebody|you) to know\b|\btell (?:my \w+|"
                     r"them) (?:i'?m )?sorry\b", 1.5],
        "overdose": [r"\b(?:take (?:them|it) all|take (?:all|every) (?:of )?(?:it|them|my \w+|the \w+)|"
                     r"sav(?:ing|ed) up (?:my )?(?:medication|tablets|pills)|(?:taken|took|"
                     r"swallowed) (?:a load of|all (?:of )?(?:my|his|her|the)|"
                     r"a (?:whole )?(?:packet|bottle|box) of|too many)|overdos\w*)", 3],
        "pills": [r"\b(?:tablets|pills|paracetamol|medication)\b", 1],
        "goodbye": [r"\b(?:said|saying|say|says) (?:good ?bye|bye)\b|\bwritten (?:letters|notes?) to\b", 2],
        "jump": [r"\b(?:going to jump|jump (?:off|from)|(?:standing|stood|sat|sitting|i'?m) on (?:the |"
                 r"a )?(?:bridge|roof|ledge|"
                 r"cliff)|(?:a|the|got a) (?:rope|noose))\b", 2],
        "not_home": [r"\b(?:hasn'?t|has not|didn'?t|did not|never) (?:come|came|got|arrived|returned) back\b|"
                     r"\b(?:hasn'?t|has not|not|never|didn'?t) (?:come|came|got|arrived|"
                     r"returned) (?:back )?home\b|"
                     r"\b(?:gone|went|is|has gone) missing\b|\b(?:supposed|meant|due) to be (?:home|back)\b|"
                     r"should (?:have been|be) "
                     r"(?:home|back) (?:by|at|hours)|\b(?:no ?one|nobody|none of (?:his|her|"
                     r"their) friends) (?:has|have) "
                     r"seen (?:him|her|them)\b|\bwandered off\b", 2],
        "child": [r"\b(?:daughter|son|child|boy|girl)\b.{0,30}\b(?:[1-9]|1[0-7])\b|\b(?:[1-9]|"
                  r"1[0-7]) ?(?:years? old|yo)\b"
                  r"|\bi'?m (?:[1-9]|1[0-7])\b", 1],
        "taken_away": [r"\b(?:got into|went off in|gone off (?:in|with)|dragged \w+ into) a (?:car|van)\b|"
                       r"\bdragged\b|\bmet online\b|\btalking to online\b", 2],
        "plea": [r"\b(?:please|pls|plz) (?:help|send|hurry|come)|\bsend (?:someone|help|police)\b|"
                 r"\bhelp (?:me|us) find\b|\bcan someone help\b", 1.5],
        "lost": [r"\bwhat (?:do|should) i do\b|\bdon'?t know what to do\b", 1],
        "screaming": [r"\b(?:screaming|shouting|crying for help)\b", 1],
        "cry_for_help": [r"\b(?:screaming|crying|calling|shouting|yelling) (?:out )?for help\b", 2.5],
        "vulnerable": [r"\b(?:dementia|diabetic|insulin|alzheimer'?s|vulnerable|autis\w+|learning "
                       r"disabilit\w+|"
                       r"without (?:his|her|their) (?:medication|tablets))\b", 1],
        "sexual_now": [r"\b(?:exposing (?:himself|herself)|flashing|indecent(?:ly)? expos\w*|touching (?:the "
                       r")?"
                       r"(?:kids|children|girls|boys)|grooming)\b", 2],
        "drink_drive": [r"\bdrunk\b.{0,60}\b(?:driv\w+|car|wheel)\b|\bdriv\w+\b.{0,60}\bdrunk\b", 1.5],
    },
    # Cues that the danger is happening now (same or a neighbouring sentence).
    "immediacy": {
        # "I now volunteer", "now that": not this minute.
        "now": (r"\b(?:right now|at the moment|currently|as we speak)\b|(?<!\bi )(?<!\bwe )(?<!\bthey )"
                r"(?<!\bby )(?<!\buntil )(?<!\bup to )\bnow\b(?! that)"),
        "tonight": r"\b(?:tonight|2nite|this (?:evening|morning|afternoon)|today|all (?:evening|night|day)|"
                   r"getting dark|it'?s dark|been going on|going on for|"
                   r"later|"
                   r"when (?:the pub|it) (?:shuts|closes)|once (?:the pub|the kids|everyone) )",
        "just": (r"\bjust (?:now|happened|texted|messaged|called|rang|sent|told|said|poured|"
                 r"threatened|left)\b"),
        "still": r"\bstill (?:out there|outside|here|there|in the|at the|shouting|banging|going on|"
                 r"happening)\b|"
                 r"\b(?:happening|going on) (?:now|right now)\b|\bagain now\b",
        "present": r"\b(?:is|are|he'?s|she'?s|they'?re|hes|theyre) (?:outside|at the door|banging|kicking|"
                   r"trying|"
                   r"shouting|screaming|smashing|waving|pouring|parked|in my|in the house)\b",
        "hiding": r"\b(?:hiding|i'?m (?:upstairs|in the (?:bathroom|bedroom|loft))|lights off)\b",
        "unreachable": r"\b(?:(?:not|isn'?t|is not|aren'?t) answering|won'?t (?:pick up|answer)|phone(?:'s| "
                       r"is) off|"
                       r"straight to voicemail|"
                       r"(?:it'?s|it is) now (?:nearly|almost|gone|past|after)?)",
        "intent": r"\b(?:i'?m|i am|im|he'?s|he is|she'?s|she is) (?:going to|gonna|coming)\b|\bhe (?:said|"
                  r"says) he'?ll\b",
    },
    # Cues that the harm is in the past: they cancel harm cues in their sentence.
    "historic": {
        "year": r"\b(?:in|back in|since|during) (?:19|20)\d\d\b",
        "ago": r"\b(?:\d+|a|two|three|four|five|six|several|many|a few|some) (?:years?|months?|weeks?) ago\b",
        "last": r"\blast (?:year|month|summer|winter|christmas)\b",
        "young": r"\bwhen i was (?:a |\d+|young|little|at school|a teenager|a child)",
        "recent_past": r"\b(?:last (?:week|weekend)|the other (?:day|night|week)|a (?:week|fortnight) ago)\b",
        "long_ago": r"\b(?:a long time ago|non-?recent|historic(?:al)?|years later|at the time)\b",
        "died": r"\b(?:took (?:his|her|their) own life|died|passed away|was killed|funeral|bereave\w*)\b",
    },
    # Cues of a pattern of behaviour rather than this moment: they cancel immediacy in their sentence.
    "habitual": {
        "every": r"\b(?:every (?:night|day|evening|weekend|week|morning)|most (?:nights|days|evenings|"
                 r"weekends)|"
                 r"for (?:weeks|months|years)|all the time|constantly|always)\b",
    },
    # Cues of a policy question rather than a live incident.
    "policy": {
        "strategy": (r"\b(?:strategy|policy|funding|fund|budget|precept|scheme|programme|"
                     r"statistics|figures)\b"),
        "ask_commissioner": r"\bwhat (?:is|are) (?:the commissioner|your office|you|the force) doing\b",
        "position": (r"\b(?:position on|view on|urge (?:you|the commissioner)|"
                     r"will you (?:fund|commit|back))\b"),
        "foi": r"\b(?:freedom of information|foi)\b",
        "thanks": r"\b(?:thank you|thanks) (?:to|for)\b|\bsafe and well\b|\bwas found\b",
    },
}

CLASSIFY: dict[str, Any] = {
    # Below this model probability, with no rule, the category falls back to `fallback`.
    "min_model_prob": 0.0,
    "fallback": "correspondence",
    # A model "complaint" below this probability needs a grievance cue, else the next class wins.
    "min_complaint_prob": 0.6,
    "grievance": r"\b(?:complain\w*|rude|unhappy|not happy|disgust\w*|disgrace\w*|appalled|unacceptable|"
                 r"not acceptable|out of order|apolog\w*|behaviou?r|conduct|treated|attitude|failed|failure|"
                 r"ignored|useless|incompetent|looked into|investigated|not impressed)\b|\bno ?(?:one|body) "
                 r"(?:has )?(?:called|contacted|come|bothered)\b",
    # First match wins, in this order. Each pattern is searched in subject + new text (+ signature
    # for officer cues). Values are regexes.
    "officer": {
        "serving": r"\bas a (?:serving|current) (?:police )?(?:officer|pcso|special|detective|"
                   r"member of (?:police )?staff)",
        "personal_capacity": r"\b(?:writing|i write) (?:personally|privately|in a personal capacity),? "
                             r"(?:and )?not (?:through|via|on behalf of) (?:the force|my force|the "
                             r"federation)\b",
        "i_am_officer": r"\bi(?:'m| am|'ve been| have been) (?:a|an) (?:serving )?(?:police officer|pcso|"
                        r"special constable|"
                        r"police constable|"
                        r"response officer|neighbourhood officer|detective|sergeant|inspector|"
                        r"member of police staff)\b",
        "number": r"\bmy (?:warrant|collar|shoulder) number\b|\bwarrant number (?:is|available)\b",
        "role": r"\bi(?:'m| am|'ve been| have been) (?:a|an|the) (?:\w+ ){0,2}(?:call handler|dispatcher|"
                r"detention officer|"
                r"custody "
                r"officer|police staff|police investigator|pcso|special constable|detective \w+|"
                r"(?:response|neighbourhood|police) (?:officer|sergeant|inspector))\b",
        "work_as": r"\bi(?:'ve| have)? (?:worked|served|work) as (?:a|an) (?:\w+ ){0,2}(?:pcso|police "
                   r"officer|"
                   r"special constable|detective|sergeant|call handler|detention officer|constable|"
                   r"inspector)\b",
        "work_in": r"\bi (?:work|serve) (?:in|for|with|at) (?:the )?(?:\w+ ){0,3}(?:police|constabulary|"
                   r"force|custody|"
                   r"control room|contact centre|public protection unit)\b",
        "rank_signature": r"(?-i:^(?:PC|PCSO|Sgt|PS|DC|DS|DI|Insp|Inspector|Sergeant|Ch Insp|"
                          r"Supt) ?\d{3,5}\b)",
    },
    "officer_exclude": r"\b(?:retired|former|ex-|used to be|was a) ?(?:police )?(?:officer|pcso|detective)",
    "foi": {
        "act": r"\bfreedom of information\b|\bFOIA?\b|\bF\.O\.I\b",
        "under_act": r"\bunder the act,? (?:i|we) (?:request|ask)",
    },
    "sar": {
        "subject_access": r"\bsubject access\b",
        "own_data": r"\b(?:copy of|see|access to) (?:all |everything |any )?(?:the )?(?:my )?(?:personal )?"
                    r"(?:data|information|records?|files?)\b.{0,40}\b(?:hold|holds|have|has) (?:on|"
                    r"about) me\b",
    },
    "consultation": {
        "response": r"\b(?:response|responding|reply|replying|submission) to (?:your|the|"
                    r"this) (?:[\w'\"-]+ ){0,6}"
                    r"(?:consultation|survey)\b|\bconsultation response\b|\bmy (?:response|answers) to\b",
        "consulting": r"\b(?:is|are|we are|currently) consulting (?:on|partners|with|about)\b",
        "seeking_views": r"\b(?:seeking (?:your |the )?views|views are sought|invited to (?:submit|comment|"
                         r"respond|"
                         r"make)|invite (?:your )?(?:comments|views|responses))\b",
        "views_on_plan": r"\b(?:my|our) (?:views|comments|answers|feedback|thoughts) (?:for|on|to) (?:the|"
                         r"your) (?:draft |new )?"
                         r"(?:police and crime plan|plan|budget|precept|survey|strategy|questionnaire)",
        "inviting": r"\b(?:inviting|invites|invite) (?:partners|stakeholders|organisations|you|the \w+) to "
                    r"(?:give|share|submit|comment|respond)|\bengagement (?:period|exercise) (?:runs|closes|"
                    r"ends)\b|"
                    r"\bwelcome (?:the |your )?(?:[\w'’]+ ){0,6}(?:formal response|response to (?:the|this|"
                    r"our) "
                    r"(?:consultation|engagement|proposals?|draft))\b|\bwelcome the (?:police and crime )?"
                    r"commissioner'?s (?:formal )?(?:response|views|comments)\b",
        "consultee": r"\b(?:dear consultee|statutory consultee|invited to respond|consultation closes|"
                     r"welcome (?:the|your) (?:\w+ ){0,6}formal response)\b",
    },
    "complaint": {
        "formal": r"\bformal complaint\b|\b(?:lodge|make|raise|submit|register) (?:a |this |my )?complaint\b",
        "want_to": r"\b(?:wish|want|like|writing|would like) to complain\b|\bi(?:'m| am) complaining\b",
        "about": r"\bcomplain(?:t|ts|ing)? (?:about|against|regarding) (?:the |a |an |my |two |one |2 )?"
                 r"(?:police|officers?|pcsos?|chief constable|commissioner|deputy|force|constabulary|"
                 r"call handler|"
                 r"sergeant|inspector|detective|copper|conduct|behaviour|way)",
        "review": r"\breview of (?:the )?(?:outcome|my complaint|how my complaint)|"
                  r"\bapply(?:ing)? for a review\b|"
                  r"\bschedule 3\b|\breview application\b",
        "subject": r"\A\s*(?:(?:re|fw|fwd)\s*:\s*)*(?:formal )?complaint\b",
        "conduct": r"\b(?:officers?|coppers?|cops?|pcsos?|policem[ae]n|policewom[ae]n|police (?:officers?|"
                   r"driver|van|car)|"
                   r"call handler|sergeant|detective|detention officer)\b.{0,160}?\b(?:swore|sworn|rude|"
                   r"laughed at|"
                   r"smirked|pushed past|without (?:asking|permission|consent|a warrant)|out of order|"
                   r"sarcastic|"
                   r"aggressive|dismissive|racist|sexist|homophobic|pushed me|grabbed me|mocked|shoved|"
                   r"kicked|punched|"
                   r"manhandled|slammed|assaulted|tasered|threw (?:me|him|her)|"
                   r"bodycam\w* (?:was )?off|"
                   r"body (?:worn )?camera (?:was )?(?:switched )?off|camera switched off)",
        "officer_behaviour": r"\b(?:this|the|that) officer'?s (?:behaviour|conduct|attitude|actions)\b",
        "apology": r"\b(?:i want|i'?d like|i would like|i expect|and) (?:an |a (?:formal |written |public |"
                   r"proper )?)apology\b",
        "report_officer": (r"\b(?:report|complain about) (?:the|that|this|an|a) "
                           r"(?:officer|copper|cop|pcso|policem[ae]n)\b"),
    },
}

SIGNPOST: dict[str, Any] = {
    # Complaint targets, first match wins; otherwise force_psd.
    "complaint": {
        "police_crime_panel": r"\bcomplain\w* (?:about|against|"
                              r"regarding) (?:the )?(?:deputy )?(?:police and crime )?"
                              r"commissioner\b|\bcomplain\w* (?:about|against|regarding) (?-i:(?:Mr |Mrs |"
                              r"Ms |Miss |Dr )?"
                              r"[A-Z][\w'-]+ [A-Z][\w'-]+),? (?:the )?(?:deputy )?"
                              r"(?:police and crime )?commissioner\b|"
                              r""
                              r"\b(?:deputy )?commissioner'?s (?:conduct|behaviour|expenses)|"
                              r"\bconduct of the (?:deputy )?(?:police and crime )?commissioner|"
                              r"\bdeputy (?:police and crime )?"
                              r"commissioner\b.{0,80}\b(?:rude|conduct|behaviour|dismissive)|"
                              r"\bcomplain\w* about the pcc\b|"
                              r"\bcommissioner himself\b|\bcommissioner herself\b",
        "opcc_complaints": r"\bchief constable\b.{0,120}\bcomplain|\bcomplain\w* (?:about|against|regarding) "
                           r"(?:[\w'-]+ ){0,4}(?:by |of |from )?the chief constable|\bcomplain\w* (?:about|"
                           r"against|regarding) the chief constable|"
                           r"\breview of (?:the )?(?:outcome|my complaint)|\bapply(?:ing)? for a review\b|"
                           r"\bschedule 3\b|"
                           r"\breview application\b|\blocal policing body\b|\b(?:disagree|not happy|unhappy|"
                           r"dissatisfied|don'?t accept|"
                           r"do not accept) with (?:the|this|that) (?:outcome|decision|result|finding)|"
                           r"\blooked at again\b|"
                           r"\b(?:appeal|challenge) (?:the|this|that) (?:outcome|decision)|"
                           r"\boutcome (?:letter|of my complaint)\b|"
                           r"\b(?:how|the way) my complaint (?:is|was|has been) "
                           r"(?:being )?(?:handled|dealt with)|\boversee\w* how\b|\bwho checks how\b|"
                           r"\bsat on my complaint\b",
    },
    # FOI for information the force holds, checked after opcc_foi; then the model decides.
    "force_foi": r"\b(?:force|constabulary|police) (?:may|might|will|probably|would) hold\b|\bpass (?:it|"
                 r"this) "
                 r"(?:on )?to the (?:force|police)\b|\b(?:please )?(?:pass|forward) (?:it|this) on\b|"
                 r"\b(?:number|"
                 r"numbers|how many) (?:of )?(?:\w+ ){0,3}(?:crimes?|offences?|arrests?|officers|incidents|"
                 r"reports|"
                 r"deployments)\b|\brecorded (?:by|in)\b",
    # FOI for information the office holds (else force_foi).
    "opcc_foi": r"\b(?:commissioner'?s|pcc'?s|deputy'?s|office'?s) (?:expenses|diary|salary|grants?|staff|"
                r"budget|"
                r"spending|hospitality|gifts|contracts|meetings)|\b(?:expenses|diary|salar\w+|grants?|"
                r"hospitality|"
                r"contracts?|budget|gifts) (?:\w+ ){0,6}(?:by|of|for|"
                r"from) the (?:deputy )?(?:police and crime )?commissioner|"
                r"\b(?:work|works|working|employed|staff|spent|spend|budget) (?:\w+ ){0,3}(?:in|by|of|"
                r"at) the "
                r"(?:police and crime commissioner'?s?|pcc'?s?|commissioner'?s) office\b|"
                r"\bcommissioner'?s (?:community|\w+) (?:safety )?fund\b|\bcommissioner has awarded\b|"
                r"\baccountability meetings?\b|\bpcc office\b",
    # Correspondence signposts, first match wins (after urgency). {name: regex}
    "correspondence": {
        "force_data_protection": r"\bsubject access\b|\b(?:copy of|see) (?:all |everything |"
                                 r"any )?(?:the )?(?:my )?(?:own )?"
                                 r"(?:personal )?(?:data|information|records?|files?|"
                                 r"statement)\b.{0,60}\b(?:me|mine)\b|"
                                 r"\beverything (?:[\w'-]+ ){0,4}(?:have|has|hold|holds) (?:on|about) me\b|"
                                 r"\bwhat (?:the police|they|you) (?:hold|have) (?:about|on) me\b|"
                                 r"\bmy (?:own )?police records\b|"
                                 r"\bmy personal data\b",
        "crimestoppers": r"\banonymous\w*\b|\b(?:won'?t|not|don'?t|do not|will not) (?:be )?(?:leav(?:e|ing)|"
                         r"tell(?:ing)? you) my (?:name|details)\b|\b(?:not going to|won'?t|don'?t want to|"
                         r"will not) "
                         r"be a witness\b|\b(?:not|don'?t|won'?t|do not|without) (?:want to )?(?:giv(?:e|"
                         r"ing)|"
                         r"put(?:ting)?|shar(?:e|ing)) my (?:name|details|identity)\b|\b(?:linked|traced|"
                         r"connected) "
                         r"(?:back )?to me\b|\b(?:don'?t|do not|won'?t) (?:want to )?(?:give|put|"
                         r"be giving) my name\b|"
                         r"\bwithout (?:it coming back to me|giving my name|my name)\b|"
                         r"\bcan'?t be identified\b|"
                         r"\bnot (?:be )?putting my name\b|\bcan'?t (?:say|tell you|give) (?:who i am|"
                         r"my name)\b|\btraced back to me\b|"
                         r"\bcoming back (?:to|on) me\b|\bkeep my (?:name|identity) out\b|\bwithout (?:being|"
                         r"me being) identified\b",
        "action_fraud": r"\bcrypto\w*\b|\b(?:trading|investment) (?:site|app|platform|scheme)\b|\bbefore i "
                        r"can "
                        r"withdraw\b|\bbeen had\b|\b(?:a con|con artist|conm[ae]n|lottery|prize draw|release "
                        r"fee|advance fee|scam\w*|"
                        r"fraud\w*|conned|phishing|hacked|fake (?:invoice|payment|website|"
                        r"tickets?)|"
                        r"identity (?:theft|stolen)|romance scam|courier)\b|\b(?:paid|transferred|"
                        r"sent) (?:a deposit |£|\$)?"
                        r"[\d,.]*\b.{0,120}\b(?:never|nobody|no one|didn'?t) (?:turned up|arrived|came|"
                        r"delivered|showed)|"
                        r"\bbank (?:won'?t|can'?t|cant|says they can'?t|will not|refused to) (?:refund|"
                        r"do anything)|"
                        r"\b(?:payments?|transactions?|purchases?) (?:on|from) my (?:\w+ )?(?:card|"
                        r"account)\b|"
                        r"\b(?:unauthori[sz]ed|cloned|copied (?:the|my) (?:card )?details)\b|"
                        r"\b(?:pretending|claiming|saying|said) (?:to be|it was|he was|she was|"
                        r"they were) (?:my|from)\b|"
                        r"\bmoney (?:has )?(?:gone|been taken) from my\b|\bfake (?:\w+ )?(?:profile|account|"
                        r"page)\b|"
                        r"\basking (?:my friends|people|them) for money\b|\bsend(?:ing)? (?:them )?money\b",
        "victim_support": r"\bis there an organisation\b|\bgive (?:him|her|them|me|us) (?:some )?support\b|"
                          r"\bbarely (?:eat\w*|sleep\w*|slept)\b|\bwon'?t go (?:to bed|out)\b|"
                          r"\b(?:can'?t|cannot|don'?t) (?:stop thinking|sleep|cope|coping)|\bnot coping\b|"
                          r"\b(?:afraid|scared|frightened) to (?:go out|leave (?:the house|home|the flat|my "
                          r"\w+))|\bpanic attacks?\b|"
                          r"\bsomeone to talk to\b|"
                          r"\bwho (?:can|could) (?:i|we) talk to\b|\b(?:emotional|practical) support\b|"
                          r"\b(?:need|want|get|find|with) (?:some )?counselling\b|"
                          r"\bhelp(?:s)? (?:people|families|victims) after\b|\bsupport (?:service|"
                          r"for victims)\b|"
                          r"\bhelp me (?:with|through) (?:this|these|the) (?:feelings|court)|"
                          r"\bhelp me through\b|"
                          r"\bsupports? (?:for )?(?:victims|families)\b|\bhardly (?:leaves|goes out|"
                          r"sleeps)\b|\bwithdrawn\b|"
                          r"\bstruggling (?:to cope|since)\b|\bdon'?t know how to help (?:him|her|them)\b|"
                          r"\bi(?:'m| am) struggling\b|"
                          r"\bsupport for (?:adult )?survivors\b|\bis there (?:any )?(?:support|"
                          r"counselling)\b",
        "local_council": r"\brev(?:s|ving)? (?:his|her|their|the)? ?(?:car|engine|motorbike)s?\b|\b(?:bins? "
                         r"(?:have |has |had )?(?:not|haven'?t|hasn'?t|weren'?t) (?:been )?"
                         r"(?:emptied|collected)|overflowing bins?|bins? (?:are )?overflowing|loud music|"
                         r"noise|noisy|parties|fly[- ]?tip\w*|dumped|rubbish|litter|"
                         r"pot ?holes?|street ?lights?|"
                         r"dog fouling|parked (?:fully )?on the pavement|parking|parked across|abandoned car|"
                         r"overgrown|"
                         r"hedge|bonfire|barks|barking|extractor|public toilets|benches|bus shelters?|"
                         r"footpaths?|"
                         r"drains?|flooding|fallen trees?)\b|\bwho is responsible for (?:repairing|fixing|"
                         r"clearing|"
                         r"cleaning|maintaining|reopening|removing)\b|\bwho (?:cleans|clears|removes|"
                         r"fixes|repairs|empties|collects)\b|\b(?:teenagers|kids|youths|young people|lads|"
                         r"groups?) (?:\w+ ){0,3}"
                         r"hang(?:ing|s)? (?:around|round)\b|\bnot (?:really )?criminal\b",
        "police_101": r"\b(?:dealing|drug dealing|dealers?|suspicious|stolen|nicked|broken into|broke into|"
                      r"break-?ins?|"
                      r"graffiti|hate crime|harass\w*|assault\w*|criminal damage|drink driv\w*|drunk|"
                      r"shoplift\w*|"
                      r"snatched|watching the houses|stolen goods|doorbell (?:video|footage)|cctv footage|"
                      r"dashcam)\b|"
                      r"\b(?:taken|stolen|nicked|pinched) from\b|\breported properly\b|\btheft\b|\bthie(?:f|"
                      r"ves)\b|\bst[oe]le\b|"
                      r"\b(?:cctv|camera|footage)\b.{0,60}\b(?:caught|shows?|recorded|filmed)\b|\b(?:report|"
                      r"reporting) (?:it|this|a crime|him|them)\b|"
                      r"\bcrime (?:reference )?number\b|\bwho (?:do i|should i|to) tell\b|"
                      r"\bhow do i (?:go about )?report",
    },
    # A victim_support signpost also needs the writer to have been a victim of crime.
    "victim_context": r"\b(?:burgl\w+|attacked|assault\w*|mugged|robbed|robbery|victim|broken into|break-in|"
                      r"stabbed|"
                      r"crime|abuse\w*|scam\w*|defrauded|hate|harass\w*|stalk\w*|set (?:on )?fire|"
                      r"vandalis\w+|"
                      r"blackmail\w*|extort\w*|sextortion|exploit\w*|groom\w*)\b|\bpolice (?:are|have been) "
                      r"(?:dealing|investigating)|\bthe police have (?:it|the case)\b",
    # Cues that the writer asks the office where to go (needed for 101/council/fraud signposts
    # when the letter is also a policy question to the Commissioner).
    "help_seeking": r"\b(?:i'?ve|i have|we'?ve|we have) (?:already )?reported (?:it|this|them)\b|\bwho (?:do|"
                    r"should|can|could) (?:i|we)\b|\bwhere (?:i|we) (?:should|can|could|"
                    r"need to)\b|"
                    r"\btell (?:me|us) (?:where|who)\b|\bwho (?:to|do i|should i) (?:give|send)\b|"
                    r"\bwho should this\b|\bwho should be\b|\bwhere should (?:this|it|i|we)\b|\bwho (?:is|"
                    r"'s) (?:supposed|responsible)\b|\bwhere (?:do|should|can) "
                    r"(?:i|we)\b|\bhow (?:do|can) (?:i|we)\b|\bwho deals with\b|\bwho sorts\b|\bwho (?:fixes|"
                    r"clears|enforces)\b|"
                    r"\bwhat (?:do|should) (?:i|we) do\b|\bis there (?:anyone|someone|some \w+|"
                    r"an organisation)\b|"
                    r"\bwhich organisation\b|\bwho (?:can|could) help\b|\bnot sure who to\b|\bwhere to\b|"
                    r"\bcan (?:i|this) be reported\b|"
                    r"\bis this something\b|\bwant to report\b|\bi want it to stop\b|\bshould know\b|"
                    r"\bwould like the police to know\b",
    # Cues of a question to the Commissioner about policy, which keeps a letter with the office.
    "policy": r"\bask the chief constable\b|\braise (?:this|it|the matter) with\b|\bwhether (?:the "
              r"commissioner|you|your office) (?:will )?(?:funds?|commits?|supports?|"
              r"invests?)\b|"
              r"\bwhat resources\b|\b(?:could|would|can|will) (?:you|the commissioner|the pcc) (?:please "
              r")?(?:fund|commit|back|"
              r"support|increase|invest)\b|\bwhat (?:is|are) (?:the commissioner|your office|you|the force) "
              r"doing\b|\b(?:raise|"
              r"take) (?:this|it) "
              r"(?:up )?with the chief constable\b|\bcommissioner'?s (?:position|view)\b|\bwill (?:you|"
              r"the commissioner) "
              r"(?:fund|commit|back|support|increase)\b|\bprecept\b|\b(?:budget|funding|resourcing)\b|"
              r"\bcampaign\b|\bpetition\b|\bplease (?:think again|reconsider)\b",
    # Model agency probability above which the model's agency head is trusted for correspondence
    # when no rule matched (otherwise opcc).
    "min_model_prob": 0.6,
}
