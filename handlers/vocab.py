"""Default cue tables for urgency, classify and signpost (regexes, case-insensitive).

Every table can be replaced under the same key in config.yaml (`triage.urgency.harm`, ...).
Patterns describe kinds of request and risk, never any one area's places or people: those
come from config (`office.places`, `force.*`).
"""

from __future__ import annotations

from typing import Any

_ME = r"(?:me|us|her|him|them|my \w+|the kids|the children)"
# A stretch of minutes or hours: "20 mins", "half an hour", "a couple of hours".
_SPAN = (r"(?:about |around |nearly |over |almost )?(?:\d+|a few|ten|five|fifteen|twenty|thirty|forty|half an?|"
         r"an|a couple of) ?(?:minutes|mins|hours?|hrs?|half hour)\b")

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
    "model_alone": 0.9,
    # A Telegram message is also read with the same chat's messages of this many minutes before
    # it (fragments of one report); 0 reads each message alone.
    "chat_context_minutes": 30.0,
    # Policy-question cues halve the score when at least this many appear.
    "policy_min": 2,
    # Harm cues that need no immediacy cue: stated intent to end one's life is always now.
    "always_now": ["self_harm", "overdose", "jump", "farewell_intent", "held", "unsafe_home", "timed_threat"],
    # Always-now cues that a habit in their sentence takes back to distant: "every summer teenagers
    # jump off the bridge" is a pattern, not someone on a bridge now.
    "habit_bound": ["jump"],
    # Immediacy cues that outweigh a historic marker in the same sentence: "released last month,
    # he has been sat outside for an hour" is about now.
    "live_now": ["present", "duration", "arrived", "still", "hiding", "this_minute", "just"],
    # Resolved or contained cues that settle the whole letter when no live cue is anywhere in it:
    # "Dad was found last night", "I'm 27 now, I'm safe": the rest is a story of what is over.
    "settles_letter": ["found_safe", "safe_now"],
    # Historic cues that a sentence looking ahead (`future`) does not make historic.
    "historic_unless_future": ["date", "weekday"],
    # Habitual cues that hold only in a sentence with no harm cue: "nothing is happening at the
    # moment" is a lull, but "it's quiet now but he says he'll be back with a knife" is not.
    "habit_unless_harm": ["lull"],
    "future": r"\b(?:will|won'?t|'ll|(?<!was )(?<!were )going to|(?<!was )(?<!were )gonna|tomorrow|tonight|"
              r"next (?:week|month))\b|\b(?:he|she|they)ll\b",
    # A story told in the past goes on while its sentences are in the past tense (handlers/risk.py):
    # a past verb (`past_tense`) with no verb or word of the present, the future or the last few
    # hours (`present_tense`: "he's", "I am", "has been", "will", "tonight", "an hour ago"; text-speak
    # drops the apostrophes, "hes").
    "present_tense": r"\b(?:am|is|are|isn'?t|aren'?t|has|have|hasn'?t|haven'?t|do|does|don'?t|doesn'?t|dont|doesnt|"
                     r"can|can'?t|cannot|cant|will|won'?t|wont|shall|might|must|would|could|should|keeps?|now|"
                     r"(?<!was )(?<!were )still|today|tonight|(?<!was )(?<!were )going to|(?<!was )(?<!were )gonna|"
                     r"want|wants|need|needs|know|think|feel|feels|please|pls|"
                     r"just|earlier|this (?:morning|afternoon|evening)|(?:minutes|mins|hours?|hrs|an hour) ago)\b|"
                     r"\b(?:i|he|she|it|there|they|we|you|that|who|what)'(?:m|s|re|ve|ll)\b|"
                     r"\b(?:im|hes|shes|theyre|youre|ive|theres|thats|whats)\b",
    "past_tense": r"\b(?:was|were|wasn'?t|weren'?t|had|hadn'?t|did|didn'?t|came|went|said|told|took|got|saw|left|"
                  r"gave|brought|sent|rang|found|thought|knew|felt|kept|made|put|ran|sat|stood|\w{3,}ed)\b",
    # Immediacy cues that outweigh a habit in the same sentence ("every night, and again now").
    "beats_habit": ["this_minute", "arrived", "still"],
    "harm": {
        "threat_to_life": [rf"\b(?:going to|gonna|will|'ll|wants? to|threaten\w*(?: to)?|"
                           rf"says? he'?ll|said he'?d) "
                           rf"(?:kill|stab|shoot|hurt|burn|finish|batter|get|sort|do|deal with|drive|crash|"
                           rf"drown|"
                           rf"strangle|throw|cut|hit|beat|attack|smash|knock) {_ME}", 3],
        "menace": [r"\b(?:never see (?:them|the kids|the children|your kids|her|him|the baby) again|"
                   r"sort (?:me|her|us) out|do (?:me|her) in|teach (?:me|her) a lesson|make (?:me|"
                   r"her) pay|"
                   r"(?:i'?ll|you'?ll|she'?ll) be sorry|finish what (?:he|she|they) started|"
                   r"you'?re dead|(?:they|he|she) (?:know|knows) (?:where (?:i|we|my \w+|the kids|you) (?:live|sleep|"
                   r"work)|(?:my|our|the|your) (?:kids|girls|boys|children|daughters?|sons?|baby) sleeps?))\b", 2],
        "attack_home": [r"\b(?:thrown|threw|throwing|chucked) (?:a |an |some )?(?:brick|stone|rock|bottle|firework|"
                        r"petrol bomb|egg)s? (?:through|at|into|over) (?:my|our|the|her|his|their|me|us|her|him)\b"
                        r"(?! (?:bus|buses|train|trains|trams?|police|cars? on the)\b)|\bsmashed (?:my|our|the) "
                        r"(?:front |back )?(?:window|door)(?!s? (?:on|of|in) (?:\w+ )?(?:cars?|vans?|vehicles?)\b)|"
                        r"\bput (?:my|our|the) (?:front |back )?(?:window|"
                        r"windows|door) "
                        r"in\b", 2.5],
        "coming_for_me": [r"\bcoming (?:in |round |over |back |home |here )?(?:to|for) (?:get|hurt|kill|sort|do|"
                          r"deal with|batter|finish|teach) "
                          r"(?:me|us|her|him)\b|\bcoming (?:in |round |over )?for (?:me|us)\b|"
                          r"\bcoming (?:round |over )?"
                          r"for (?:what'?s owed|whats owed|the money|his money|their money|what (?:i|we) owe)\b", 3],
        "intruder": [r"\b(?:someone|somebody|a man|men|people|there'?s someone|there'?s somebody) (?:is |has got |'s |"
                     r"got |has broken )?(?:in|inside|into|downstairs in) (?:my|our|the) (?:house|flat|home)\b|"
                     r"\bfootsteps (?:downstairs|in the (?:house|hall|kitchen))|\bheard (?:the|a) (?:back |front |"
                     r"patio )?(?:door|window|glass) (?:go|open|smash|break)|\b(?:someone|somebody) (?:is |'s )?"
                     r"downstairs\b", 2.5],
        "barricade": [r"\b(?:barricad\w+|pushed (?:the )?\w+ (?:against|behind|in front of) the door|"
                      r"locked myself in|(?:door|handle) (?:is )?(?:wedged|jammed)|wedged the door|chair (?:against|"
                      r"under) the (?:door|handle))\b", 2],
        "kill_me": [r"\bkill (?:me|us|her|him|myself)\b", 3],
        "arson": [r"\b(?:burn|set fire to|torch) (?:my|the|our|her|his) (?:house|home|flat|place|car)", 3],
        # Not a petrol strimmer, mower or station: the fuel itself.
        "accelerant": [r"\bpetrol\b(?! (?:strimmers?|mowers?|lawn ?mowers?|hedge ?trimmers?|chainsaws?|generators?|"
                       r"engines?|cars?|vans?|stations?|prices?|pumps?|tools?|leaf blowers?|rotavators?|"
                       r"brush ?cutters?))|"
                       r"\b(?:accelerant|lighter fluid)\b", 2],
        "fire": [r"\b(?:setting fire|set fire|on fire|alight|flames|smoke is)\b|\bfire (?:in|at) (?:the|our|my|a|"
                 r"his|her|their|next door'?s?) (?:\w+ )?(?:flat|house|home|building|block|kitchen|stairwell|"
                 r"hallway|shop|car|garage)\b|"
                 r"\bsmoke (?:is |'s )?(?:coming|pouring|everywhere|filling|billowing)\b", 2],
        # Not "knife crime", "knife amnesty", "gun crime": the policy words.
        "weapon": [r"\b(?:knife|knives|machete|gun|firearm|shotgun|hammer|axe|crossbow|"
                   r"baseball bat|blade)\b(?! (?:crime|amnest(?:y|ies)|arch(?:es)?|bins?|surrender|strategy|"
                   r"licen[cs]\w*|control|violence reduction))", 2],
        "at_the_door": [r"\b(?:outside|at|across the road from|opposite|watching) (?:my|the|our) "
                        r"(?:house|home|flat|"
                        r"front door|back door|door|window)", 1.5],
        "stalking": [r"\b(?:following me|followed me|stalk(?:s|ed|ing)? (?:me|us|her|my \w+)|(?:being|been|is) "
                     r"stalk\w+|(?:my|her|a|the) stalker|photos of (?:me|my (?:kids|children))|"
                     r"(?:picture|photo|pic) of my "
                     r"(?:front door|house|flat|car|window|kids|children))\b", 2],
        "fight": [r"\b(?:fight|fighting|brawl|bottles? (?:being )?thrown|glassed|stabbed|stabbing)\b", 1.5],
        "injured": [r"\b(?:not moving|unconscious|not breathing|bleeding|blood everywhere|collapsed|"
                    r"not waking up|won'?t wake up|can'?t wake (?:him|her|them)|unresponsive|(?:lips|face) "
                    r"(?:look |looks |are |is |going |turning )?blue|(?:think|fear) (?:she'?s|he'?s|shes|hes) "
                    r"(?:fallen|collapsed)|calling out (?:faintly|for help)|"
                    r"lying in the road)\b", 2],
        "banging": [r"\b(?:banging|kicking|hammering|pounding|smashing) (?:on |at |in )?(?:the |my |our )?"
                    r"(?:door|window|windows|things)", 2],
        "getting_in": [r"\b(?:(?:tried|tries) (?:the |my |our )?(?:back |front |patio |side )?(?:door|"
                       r"gate|handle|lock|windows?)|trying (?:to get in|to break in|the (?:back |front |"
                       r"patio )?door|the handle|"
                       r"the lock)"
                       r"|break(?:ing)? in(?:to)?|at the lock|forcing the door|"
                       r"(?:we'?ll|they'?ll|he'?ll|we will|they will|he will) (?:go|get|come|break|kick) in (?:anyway|"
                       r"regardless)|kick (?:the|your|my|our) (?:front |back )?door in)", 3],
        "in_garden": [r"\bin (?:my|our|the) (?:back )?garden\b", 1],
        "violence_now": [r"\b(?:hit|hitting|punch\w*|strangl\w*|chok\w*|beat\w*|attacking|kicking) "
                         r"(?:me|her|my mum|my mom|my sister|us|him)\b", 3],
        "assault_me": [r"\b(?:(?:slammed|smashed|banged) my head|grabbed (?:me|my (?:wrist|arm|throat|neck|"
                       r"hair))|grabb\w* (?:her|him|my|his|the|a) (?:\w+ )?(?:arm|wrist|hair|throat|neck)|pinned me|"
                       r"(?:pushed|shoved|threw) me (?:down|over|into|against|across|on)|"
                       r"dragged me|strangl\w* me|chok\w* me|headbutt\w* me)\b", 1.5],
        # "He's lost it", not "I've lost it" (the leaflet).
        "kicking_off": [r"\b(?:kicking off|going mental|going mad|raging|kicked off)\b|\b(?:he|she|they|hes|shes|"
                        r"he'?s|she'?s|they'?ve|he has|she has|dad|mum|mam)(?: just| totally| completely)? lost it\b",
                        1.5],
        "held": [r"\b(?:locked me in(?! (?:a |the )?(?:cell|custody|police|van|back of))|won'?t let me (?:leave|"
                 r"out)|not safe (?:at home|here)|stopp(?:ed|ing) me (?:from )?(?:leaving|going out)|"
                 r"i'?m not safe)\b", 3],
        # Not "no come back (on me)": text-speak for no repercussions.
        # Not the officer "someone would come round" that the police promised.
        "coming_back": [r"(?<!\bno )(?<!\bany )(?<!\bi )(?<!\bwe )(?<!someone would )(?<!somebody would )"
                        r"(?<!officer would )(?<!officers would )(?<!someone will )(?<!officer will )"
                        r"\b(?:come|coming) (?:back|round|over)\b"
                        r"(?! on me\b| from (?:work|school|holiday|the shops|shopping))|"
                        r"\bon (?:his|her|their) way\b", 1],
        # Coercive control (Serious Crime Act 2015 s76) in the writer's own words: watched, kept
        # short of money or keys, kept in. Each is a risk factor; with a time ("till he's back
        # tonight") or a history of violence it is a risk now.
        "monitored": [r"\b(?:checks|checking|goes through|going through|reads|reading|monitors|monitoring|"
                      r"tracks|tracking|listens to) (?:all )?(?:my|her|mum'?s|mam'?s) (?:phone|mobile|messages|texts|"
                      r"emails|e-mails|post|bank|statements|location|calls)\b|\bopens (?:my|her) (?:post|mail|"
                      r"letters)\b|\b(?:tracker|tracking app|find my) (?:on|in) (?:my|her) (?:car|phone)\b|"
                      r"\bhe (?:checks|watches) (?:who|where|what) (?:i|she) (?:text|message|talk|go|spend)", 1.5],
        "money_kept": [r"\b(?:took|taken|takes|has|keeps|kept|hidden|hid|hides) (?:away )?(?:my|her) "
                       r"(?:car keys|keys|bank ?cards?|cards|passport|phone|money|wages|benefits|purse|"
                       r"documents)\b(?! (?:and \w+ )?(?:for|as) evidence)|\b(?:isn'?t|not|never) allowed (?:my|her) "
                       r"own (?:money|phone|bank account|keys)\b", 1.5],
        "kept_in": [r"\b(?:i'?m|i am|im|she'?s|she is|we'?re|we are) not (?:allowed|to) (?:to )?(?:leave|go out|go "
                    r"anywhere|see (?:my|her|anyone))\b|\btold (?:me|her|us) (?:i'?m|i am|she'?s|she is|we'?re|"
                    r"we are|im)? ?not (?:to|allowed to) (?:leave|go out|go anywhere)\b|\bnot allowed out\b|"
                    r"\b(?:won'?t|doesn'?t|does not|will not) (?:let|allow) (?:me|her|us) (?:to )?(?:go out|see|leave|"
                    r"out)\b", 2],
        # Non-fatal strangulation, even in the past, is among the strongest signs of danger to come.
        "strangled": [r"\b(?:put|had|got) (?:his|her|their|both) (?:hands?|arm) (?:round|around|on) (?:my|her) "
                      r"(?:throat|neck)\b|\b(?:strangl\w+|chok\w+|throttl\w+) (?:me|her)\b|\bhands? round my "
                      r"(?:throat|neck)\b", 2],
        # Afraid of the place the writer must go back to: "not safe going home tonight".
        "unsafe_home": [r"\b(?:don'?t|do not|dont|no longer|never) feel safe (?:going |to go )?(?:back )?(?:home|at "
                        r"home|in (?:my|the|our) (?:own )?(?:house|home|flat))|\b(?:not|isn'?t|aren'?t|never) safe "
                        r"(?:going|to go) (?:back )?home\b|\b(?:scared|afraid|frightened|terrified|petrified|too "
                        r"scared) (?:to go|of going) (?:back )?home\b|\b(?:can'?t|cannot|cant|daren'?t|dare not) go "
                        r"(?:back )?home (?:tonight|today|now)\b", 3],
        # A threat with its time: "he'll be waiting when I get home", "he'll be back at six".
        "timed_threat": [r"\b(?:he'?ll|he will|she'?ll|she will|they'?ll|they will|hell|he'?d|he would|he'?s going "
                         r"to|hes going to|they'?re going to|said he'?d|says he'?ll) (?:be (?:waiting|outside|sat "
                         r"outside|there waiting)|(?:get|sort|do|deal with|finish|have|hurt|kill|batter|smash|teach|"
                         r"come for|come after)\b)[^.!?\n]{0,60}?\b(?:when|once|as soon as|the minute|the moment) "
                         r"(?:i|we|she|he|they|you|my \w+|the kids|her \w+|his \w+) (?:get|gets|come|comes|finish|"
                         r"finishes|leave|leaves|go|goes|walk|walks|is|am|are)\b|\b(?:he'?ll|he will|she'?ll|they'?ll|"
                         r"hell|said he'?d|says he'?ll) be waiting\b", 2.5],
        # An elderly or unwell person who has gone out and not come back, now.
        "wandered": [r"\b(?:he|she|dad|mum|mam|nan|gran|grandad|grandma|my (?:\w+ )?(?:father|mother|dad|mum|mam|son|"
                     r"daughter|nan|gran|grandad|grandma|grandmother|grandfather|husband|wife|brother|sister|uncle|"
                     r"aunt|neighbour|nephew|niece))\b(?: \w+){0,2} (?:went|wandered|walked|slipped|got|has gone|"
                     r"has wandered|has walked|left|let himself|let herself) (?:out|off)\b(?! (?:with friends|to "
                     r"work|for (?:a|the) (?:drink|meal|day)))|\b(?:been|gone|driven|looked|walked) round all the "
                     r"(?:usual )?(?:places|streets)\b|\b(?:in|wearing) (?:only )?(?:his|her|their) "
                     r"(?:pyjamas|pyjama|nightie|nightdress|dressing gown|slippers)\b", 2],

        # A protective order or bail condition: alone it is history; with someone outside now, a breach.
        "order": [r"\b(?:non[- ]?molestation|restraining|protective|protection|occupation|exclusion|"
                  r"stalking protection|court) orders?\b|\binjunctions?\b|\bbail (?:conditions?|says)\b|"
                  r"\b(?:on|out on|released on) bail\b|(?:\bnot|n'?t) (?:allowed|supposed|meant|permitted) to "
                  r"(?:(?:come|be|go) (?:near|within|anywhere|to|here|round)|contact|approach|see)|"
                  r"\b(?:dvpo|dvpn|non-?mol)\b|(?:\bnot|n'?t) allowed (?:any )?contact\b|\bbarred (?:by (?:the|"
                  r"a) court )?from (?:approaching|contacting|coming)|"
                  r"\bcan'?t (?:come|go) (?:to|near|within) (?:the house|me|my|our)|\b(?:breach\w*|break\w*|broke|"
                  r"broken) (?:his|her|their|the|my) "
                  r"(?:order|bail|injunction|conditions)|\bunder the order\b", 1.5],
        # Someone sat, parked or waiting outside, watching: the understated sign of a breach.
        "lurking": [r"\bwaiting for (?:me|us|her)\b|"
                    # A car "parked outside" is a person waiting, not "my car, it's parked outside".
                    r"\b(?:sat|sitting|(?<!it's )(?<!its )(?<!it is )(?<!car is )(?<!van is )(?<!was )"
                    r"parked(?: up)?(?! (?:his|her|their|my|a|an|the|on the pavement))|pulled up|"
                    r"waiting|stood|standing|lurking|loitering|"
                    r"hanging (?:around|about|round)|watching|staring|idling|just turned up|turned up|"
                    r"keeps? (?:driving|walking|going|coming) (?:past|by|round)|walking up and down|pacing|"
                    r"(?:has|have|'s) been(?= (?:outside|opposite|across|over the road|up the road|down the road|"
                    r"at the (?:end|bottom|top)))|looking (?:in|through|into))\b.{0,30}?"
                    r"\b(?:outside|opposite|across (?:the|from)|over the road|down the road|up the road|"
                    r"at the (?:end|bottom|top) of\b|in it\b|(?:near|by|at) (?:my|the|our) "
                    r"(?:house|flat|home|door|gate|drive|window|car)|in (?:his|her|their|a|the) (?:car|van)|"
                    r"up at (?:my|our|the) windows?|my (?:house|flat|home|window|door|drive|street|road)|"
                    r"(?:the|our|my) (?:street|road|close|estate|block)|(?:on|in) (?:my|the|our) (?:drive|driveway|"
                    r"doorstep|front step|garden))|\b(?:he|she|they|he'?s|she'?s|they'?re|hes|shes) (?:won'?t|"
                    r"refus\w+ to|will not) (?:go away|leave|go home|move)\b", 1.5],
        "circling": [r"\b(?:keeps?|kept|been|is|are) (?:circling|driving (?:past|round|up and down)|"
                     r"going past|coming past|walking past)\b|\bcircling (?:my|the|our) (?:street|road|"
                     r"house|block|estate)|\b(?:driven|drove|gone|went|walked|come|came) (?:past|by|round)\b.{0,30}?"
                     r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|a few|loads of) times\b|"
                     r"\b(?:been|gone|driven|come|walked) (?:past|by) (?:my|our|the) (?:house|flat|home|door|gate)"
                     r"(?: \w+){0,2} (?:twice|three times|again|\d+ times|several times)\b", 1.5],
        "followed": [r"\b(?:followed|following|tailing|tailed|chasing|chased) (?:me|us|her|my \w+) "
                     r"(?:since|from|for|all the way|home|round|around|along|into|through|off)|"
                     r"\b(?:has|have|'s|is|are|keeps?) (?:been )?(?:followed|following|tailing) (?:me|us)\b|"
                     r"\b(?:keeps?|kept) (?:following|watching) (?:me|us)\b|\b(?:been|is|was|stayed|still|"
                     r"right) behind "
                     r"me\b|\b(?:walked|walking|walks|followed|follows) (?:right |close )?behind (?:her|him|me|us|"
                     r"my \w+)\b|\bpulled up (?:beside|next to|alongside) (?:her|him|me|us|my \w+)\b", 1.5],
        # Trapped or hiding from someone right now.
        "trapped": [r"\b(?:locked|shut|hiding|hid|barricaded) (?:myself |ourselves |us |me )?in (?:the|my|a|"
                    r"our) (?:car|toilet|toilets|bathroom|loo|bedroom|shop|cubicle|room|cupboard|loft|"
                    r"shed|office)|\b(?:doors?|car) (?:is |are )?(?:all )?locked\b|\b(?:don'?t|do not|"
                    r"daren'?t|dare not) (?:dare (?:to )?)?(?:get out|go outside|get out of (?:the|my) car)\b|"
                    r"\btoo (?:scared|afraid|frightened) to (?:get out of|leave) (?:the|my) (?:car|toilet|"
                    r"bathroom|room|shop)\b|\bcan'?t get (?:out|away)\b|\b(?:how|way) to get (?:out|away)\b|"
                    r"\b(?:i'?m|im|i am) (?:stuck |hiding )?in (?:the|a) (?:loo|toilets?|ladies|gents|"
                    r"cubicle)\b", 2],
        # Someone says they are on the way: danger arriving, with a threat or history it is urgent.
        "arriving": [r"\bon (?:his|her|their) way (?:over|round|here|back|home|to (?:mine|me|my|ours|the "
                     r"house|get))|\b(?:coming|come) (?:round|over|here|home|back|to (?:mine|my|ours|the "
                     r"house))(?: (?:now|tonight|later|in|at \d|at (?:one|two|three|four|five|six|seven|eight|nine|"
                     r"ten|eleven|twelve|midnight)\b))|\bsays? (?:he'?s|she'?s|they'?re|hes) (?:coming|"
                     r"on (?:his|her|their) way)|\b(?:heading|driving) (?:over|round|here|to (?:mine|my|ours))|"
                     r"\b(?:be|is) (?:here|round|over) in (?:\d+|ten|five|twenty|half an|an) ", 2],
        "warned": [r"\b(?:i'?ll|you'?ll|she'?ll|we'?ll|i will|you will) (?:regret|live to regret|pay for)|"
                   r"\bor else\b|\bwatch (?:your|my) back\b|\byou'?ve been warned\b|\bwait and see\b|"
                   r"\bsee what happens\b|\bwhat'?s coming to (?:you|me|her)\b", 2],
        "violent_history": [r"\b(?:hurt|hit|attacked|strangled|beat(?:en)?|broke in|broken in|kicked the "
                            r"door in|smashed the door|put (?:me|her) in hospital|assaulted)\b(?: \w+){0,2} "
                            r"(?:before|last time|previously)|\blast time (?:he|she|they)\b", 1.5],
        "alone": [r"\b(?:i'?m|i am|im|we'?re|we are|i live|i'?m home) (?:home |here )?(?:on (?:my|our) own|"
                  r"alone|by myself)|"
                  r"\bjust me and (?:the|my) (?:baby|kids|children|son|daughter|little ones?|boys?|girls?)|"
                  r"\b(?:kids|children|baby|little ones?|boys|girls) (?:are |is )?(?:asleep|in bed|upstairs)",
                  1],
        "understated": [r"\b(?:being paranoid|overreacting|over-?reacting|(?:probably|might be|may be) "
                        r"nothing|waste (?:anyone'?s|your|police) time|(?:don'?t|didn'?t) want to (?:make a "
                        r"fuss|bother|waste))\b", 1],
        # "I'm afraid I didn't get her name" is politeness, not fear.
        "fear": [r"(?<!not )(?<!n't )(?<!never )\b(?:scared|(?<!i'm )(?<!i am )(?<!im )afraid|frightened|terrified|"
                 r"petrified)\b|\b(?:i'?m|i am|im) "
                 r"afraid (?:of|to|for|that he|that she|he|she|they)\b", 1],
        "self_harm": [r"\b(?:kill myself|end it all|end my life|take my (?:own )?life|"
                      r"don'?t want to "
                      r"(?:live|be here)|better off without me|(?:everyone|they)(?:'ll| will) be better off|"
                      r"can'?t (?:go on|do this any ?more)|won'?t be (?:around|here) (?:tomorrow|much longer|"
                      r"for long)|"
                      r"no reason to (?:live|go on)|had enough of (?:everything|life|it all)|"
                      r"by the time (?:you|anyone|someone|somebody) reads? this|won'?t matter any ?more|"
                      r"i'?m sorry i (?:couldn'?t|could not|can'?t) (?:make it work|go on|cope|carry "
                      r"on))", 3],
        "suicidal": [r"\bsuicid\w*\b(?! (?:prevention|awareness|rates?|statistics|figures|training|"
                     r"strateg\w+|charit\w+|helplines?|funding|services?|team|bereavement))", 2.5],
        # Farewell or settled intent without the stock words: a last message, letters left for
        # family, "finish it tonight", "won't be here".
        "farewell_intent": [r"\b(?:this (?:is|will be) (?:my )?(?:last|final) (?:message|email|letter|"
                            r"words?)(?! (?:on|about|regarding|concerning|re|before|to you (?:on|about)|in "
                            r"this|for now))|my (?:last|final) (?:message|words?) to (?:anyone|anybody|everyone|"
                            r"you all|the world)|this is (?:good ?bye|goodbye|farewell)|goodbye (?:everyone|"
                            r"all|world|to (?:all|everyone))|"
                            r"(?:letters?|notes?|cards?) (?:for|to|addressed to) (?:my|the|each of my) "
                            r"(?:kids|children|family|wife|husband|partner|mum|mam|mom|dad|sister|brother|"
                            r"son|daughter|parents|boys|girls|grandchildren|little ones)|"
                            r"(?<!he )(?<!she )(?<!they )(?<!someone )(?<!somebody )(?:left|written|wrote|writing) "
                            r"(?:a |some |the )?(?:letters?|notes?|goodbye)"
                            r"(?! to (?:the|my) (?:mp|council|commissioner|newspaper|editor))"
                            r"(?! (?:under|on|through|in|at|by|behind) (?:my|the|our|his|her))|"
                            r"(?:going to|gonna|i'?ll|will|decided to|plan(?:ning)? to|want to) "
                            r"(?:end|finish) (?:it|it all|things|everything|myself)(?! with| off)|"
                            r"(?:end|finish) (?:it|it all|things|everything) (?:tonight|today|now|this "
                            r"(?:evening|time))|(?:last thing (?:i'?ll|i will|ill|i'?m going to) (?:ever )?(?:write|"
                            r"say|send|do))|"
                            r"won'?t (?:bother|trouble|burden) (?:anyone|anybody|you|them) (?:again|any ?more)|"
                            r"(?:can'?t|cant) any ?more\b|love (?:you|u) all\b.{0,20}\bsorry|"
                            r"last time (?:he'?ll|she'?ll|i'?ll|you'?ll|they'?ll) (?:ever )?(?:talk|speak|hear|see)|"
                            r"(?:not going to|not gonna|will not|don'?t think i'?ll|"
                            r"dont think ill) (?:still )?be (?:here|around|"
                            r"alive)|(?:going|threatening|threatened|wants?|says? (?:he|she)(?:'s| is) going) to "
                            r"(?:kill|hang|hurt|harm|shoot|drown) (?:himself|herself|themselves)|"
                            r"won'?t be (?:here|around|alive) (?:tomorrow|in the "
                            r"morning|by (?:the )?morning|any ?more|for much longer|to see)|"
                            r"not be (?:here|around) (?:tomorrow|in the morning|any ?more)|"
                            r"(?:tonight|today) is the (?:night|day)(?! (?:of|for) )|(?:sorted|put) (?:out )?"
                            r"my affairs|given away my (?:things|stuff|belongings)|"
                            r"(?:don'?t|do not|please don'?t) (?:try to |come and )?(?:stop|find|look for) me|"
                            r"(?:it'?ll|it will) (?:all )?be over (?:soon|tonight|by)|no point (?:in )?"
                            r"(?:going on|living|carrying on|being here)|(?:can'?t|cannot|cant) "
                            r"(?:go on|carry on|do this) any ?(?:more|longer)|"
                            r"better off (?:without me|if i (?:was|were|wasn'?t|weren'?t|am|was not) (?:gone|"
                            r"here|around|dead))|i'?m (?:so )?sorry for (?:everything|all the trouble|"
                            r"being a burden)|(?:say|said|saying) my goodbyes?|"
                            # "This is the last you'll hear from me."
                            r"(?:this is|that'?s|this will be|it'?ll be) the last (?:you'?ll|you will|anyone'?ll|"
                            r"anyone will|anybody will|you) (?:ever )?(?:hear|see) (?:from|of) me)", 3],
        # A farewell in everyday words: letters for everyone on the table, a pet found a home,
        # "I won't be writing again". Each is weak; together, or with the model, they are urgent.
        "farewell_letters": [r"\b(?:letters?|notes?|cards?) for (?:everyone|everybody|you all|all of you|the family|"
                             r"each of them)\b|\b(?:letters?|notes?|keys|will) (?:is |are )?(?:on|"
                             r"under) the (?:kitchen |"
                             r"dining |front room )?table\b|\b(?:house |door |front door )?keys (?:are |is )?(?:under|"
                             r"behind|in) the (?:\w+ ){0,2}"
                             r"(?:pot|plant ?pot|flower ?pot|mat|doormat|stone|plant)\b", 2],
        "last_words": [r"\b(?:won'?t|will not|shan'?t) be (?:writing|in touch|contacting you|bothering (?:you|anyone)|"
                       r"emailing) again\b|\bnothing (?:else )?(?:anyone|anybody|you) (?:needs?|has|have) to do\b|"
                       r"\bthank you for everything\b|\bdiolch am bopeth\b|\bwon'?t be needing (?:the|my|it|them|"
                       r"any|that)\b|\bsorry for (?:the|all the) (?:bother|trouble)\b", 1.5],
        "rehomed": [r"\b(?:the |my )?(?:dog|cat|dogs|cats|pets?|budgie|rabbit)\b[^.!?\n]{0,40}\b(?:is|are) going "
                    r"to (?:my|a|her|his) \w+|(?-i:\b[A-Z][a-z]+) is going to (?:my|live with my) (?:sister|brother|"
                    r"mum|mam|friend|neighbour|daughter|son)\b|\blook after (?:my|the) (?:dog|cat|"
                    r"pets?) for me\b|\b(?:left|leaving|taken|dropped off) (?:the |my )?(?:dog|cat|dogs|cats|pets?)\b"
                    r"[^.!?\n]{0,60}\bwith (?:enough|plenty of) food\b", 1.5],
        # Despair without a stated intent: counts with other cues or "tonight".
        "despair": [r"\b(?:can'?t|cannot|cant) (?:cope|take (?:it|this)|face (?:it|anything)) any ?(?:more|longer)\b|"
                    r"\bcouldn'?t face it any ?(?:more|longer)\b|\bat the end of my tether\b", 1.5],
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
                 r"cliff|multi-?stor(?:e)?y|top (?:floor|level) of the car park)|(?:a|the|got a) (?:rope|noose))\b", 2],
        "not_home": [r"\b(?:hasn'?t|has not|didn'?t|did not|never) (?:come|came|got|arrived|returned) back\b"
                     r"(?! (?:to|in touch|with|about|on|regarding|yet about))|"
                     r"\b(?:haven'?t|havent|hasn'?t|hasnt) (?:seen|heard from) (?:him|her|them) since\b|"
                     r"\b(?:walked|wandered|went|gone|slipped) (?:out|off)\b(?: (?:of|from) (?:the|his|her|their) "
                     r"(?:\w+ )?(?:house|home|flat|care home|day centre|ward))?(?: \w+){0,4} (?:an hour|half an hour|"
                     r"hours|\d+ (?:mins|minutes|hours|hrs)|a couple of hours|this (?:morning|afternoon|evening)) "
                     r"ago\b|\b(?:searched|looked) (?:the streets|everywhere|all over|the whole)\b|"
                     r"\b(?:hasn'?t|has not|not|never|didn'?t) (?:come|came|got|arrived|"
                     r"returned) (?:back )?home\b|"
                     r"\b(?:gone|went|is|has gone) missing\b|\b(?:supposed|meant|due|expected) (?:to be )?"
                     r"(?:home|back)\b(?! (?:in touch|to (?:me|us)))|"
                     r"\bshould(?:'?ve| have)? (?:been|be) (?:home|back)\b(?! (?:in touch|to (?:me|us)))|"
                     r"\bstill (?:not|isn'?t|hasn'?t|has not|aren'?t) (?:\w+ )?(?:back|home|turned up|been seen)\b"
                     r"(?! (?:to|in touch|with) )|"
                     r"\bnot (?:back|home) yet\b|\bcan'?t find (?:him|her|them)\b|"
                     r"\b(?:didn'?t|did not|never) (?:get off|arrive at|turn up (?:at|to|for)|make it (?:to|home))\b|"
                     r"\b(?:he|she|they|who) (?:has not|hasn'?t|have not|haven'?t) been (?:seen|heard from)\b|"
                     r"\b(?:he'?s|she'?s|they'?ve|hes|shes) not been (?:seen|heard from)\b|"
                     r"\b(?:hasn'?t|has not|haven'?t|have not) been (?:seen|heard from) (?:for|since|in)\b|"
                     r"\b(?:hasn'?t|has not|haven'?t|have not) (?:been )?(?:found|located|traced)\b|"
                     r"\bleft (?:the|his|her|their) (?:day centre|care home|nursing home|ward|hospital|home|house|"
                     r"school) (?:on (?:his|her|their) own|alone|by (?:himself|herself)|without)\b|"
                     r"\b(?:no ?one|nobody) (?:has |have )?(?:seen|heard from) (?:him|her|them) since\b|"
                     r"should (?:have been|be) "
                     r"(?:home|back) (?:by|at|hours)|\b(?:no ?one|nobody|none of (?:his|her|"
                     r"their) friends) (?:has|have) "
                     r"seen (?:him|her|them)\b|\bwandered off\b", 2],
        "child": [r"\b(?:daughter|son|child|boy|girl|lad|teenager|kid|grandson|granddaughter|niece|nephew|"
                  r"sister|brother|stepson|stepdaughter)\b.{0,30}\b(?:[1-9]|1[0-7])\b|\baged (?:[1-9]|1[0-7])\b|"
                  r"\b(?:[1-9]|"
                  r"1[0-7]) ?(?:years? old|yo)\b"
                  r"|\bi'?m (?:[1-9]|1[0-7])\b|\b(?:he'?s|she'?s|hes|shes|he is|she is) (?:only |just )?(?:[1-9]|"
                  r"1[0-7])\b(?! ?(?:mins?|minutes|hours?|hrs|miles|days|weeks|months|pounds|quid|%|am|pm|"
                  r"o'?clock|:))", 1],
        "taken_away": [r"\bbundl\w+ (?:\w+ ){0,2}into\b|\b(?:got into|went off in|gone off (?:in|with)|"
                       r"dragged \w+ into) a (?:car|van)\b|"
                       r"\bdragged\b|\bmet online\b|\btalking to online\b", 2],
        "plea": [r"\b(?:please|pls|plz) (?:help|send|hurry|come)|\bsend (?:someone|help|police)\b|"
                 r"\bhelp (?:me|us) find\b|\bcan someone help\b", 1.5],
        "lost": [r"\bwhat (?:do|should) i do\b|\bdon'?t know what to do\b", 1],
        # Not the writer's own "who do I need to be shouting at?" (whom to complain to).
        "screaming": [r"(?<!to be )(?<!i'll be )(?<!ill be )\b(?:screaming|shouting|crying for help)\b", 1],
        "cry_for_help": [r"\b(?:screaming|crying|calling|shouting|yelling) (?:out )?for help\b", 2.5],
        "vulnerable": [r"\b(?:(?:without|not got|hasn'?t got|has not got|left) (?:his|her|their) (?:meds|"
                       r"medication|tablets|inhaler|insulin|epipen)|"
                       r"dementia|diabetic|insulin|alzheimer'?s|vulnerable|autis\w+|learning "
                       r"disabilit\w+|"
                       r"without (?:his|her|their) (?:medication|tablets))\b", 1],
        "sexual_now": [r"\b(?:exposing (?:himself|herself)|flashing|indecent(?:ly)? expos\w*|touching (?:the "
                       r")?"
                       r"(?:kids|children|girls|boys)|grooming)\b", 2],
        # A driver unfit to drive, on the road now: drunk at the wheel, all over the road.
        "drink_drive": [r"\bdrunk\b.{0,60}\b(?:driv\w+|car|wheel)\b|\bdriv\w+\b.{0,60}\bdrunk\b|"
                        r"\b(?:is |was |it'?s |he'?s |she'?s )?(?:all over the road|swerving (?:all over|across|"
                        r"between)|weaving (?:all over|across|in and out))\b|\bcrossed the (?:middle|centre|center|"
                        r"white) line\b|\bcould (?:barely|hardly) (?:stand|walk)(?: up)?\b", 1.5],
        # Risk factors around a young person who is overdue: an older man, someone met online, a car.
        "groomed": [r"\bolder (?:man|men|bloke|blokes|guy|guys|lads?|boys?|boyfriend|fella|male)\b|"
                    r"\b(?:man|men|bloke|guy) in (?:his|their) (?:twenties|thirties|forties|20s|30s|40s)\b|"
                    r"\b(?:met|talking to|chatting to|chatting with|messaging|speaking to|talks to) (?:\w+ ){0,4}"
                    r"(?:online|on (?:snapchat|snap|instagram|insta|tiktok|facebook|discord|whatsapp|a game|an app|"
                    r"the internet|the computer|gaming))\b|\b(?:got|getting|went off|gone off) in(?:to)? (?:a|the|"
                    r"his|their) (?:car|van) with\b|\b(?:buys|bought|buying|sen(?:t|ds|ding)|giv(?:es|ing)|gave) "
                    r"(?:him|her|them) (?:\w+ )?(?:presents|gifts|money|a phone|vapes)\b|\b(?:offered (?:her|him|"
                    r"them|my \w+) a lift|asked (?:her|him|them) if (?:she|he|they) wanted a lift|asked if (?:she|he|"
                    r"they) wanted a lift)\b", 1.5],
        # A question about when someone can be reported missing: someone is overdue now.
        "wait_to_report": [r"\b(?:how long|at what point|when) (?:do|should|can|must|before|until|till) (?:\w+ ){0,3}"
                           r"(?:wait|report)\b|\bwait (?:24|twenty[- ]four|48|forty[- ]eight) (?:hours|hrs)\b|"
                           r"\btoo (?:soon|early) to (?:report|call|ring)\b|\breport (?:him|her|them|someone|"
                           r"somebody|a (?:child|teenager|person)|my \w+|our \w+) (?:as )?missing\b|"
                           r"\bdo (?:i|we) (?:just )?wait\b|\b(?:procedure|process) for reporting\b|"
                           r"\bhow long before (?:\w+ ){0,3}"
                           r"(?:look|search|do anything|take (?:it|this) seriously|act)\b|\breporting (?:a|an|"
                           r"someone|somebody) (?:\w+ )?missing\b", 1],
        # Someone at a dangerous place: on the tracks, over railings, in the water, on the motorway,
        # a car off the road. With a sign it is happening now (a train due, climbing, still inside).
        "danger_place": [r"\b(?:on|onto|along|across|near|by|over) (?:the )?(?:railway|train|tram) ?(?:lines?|"
                         r"tracks?)\b|\b(?:on|onto|along|over|above|across|near) the (?:tracks|rails|railway)\b|"
                         r"\b(?:wrong|other|"
                         r"outside|far) side of the (?:\w+ ){0,3}(?:railings?|barriers?|fence|parapet|safety rail)\b|"
                         r"\boutside of the (?:\w+ ){0,3}(?:railings?|barriers?|parapet)\b|\bon the level crossing\b|"
                         r"\b(?:outside|over|on|along|hanging (?:off|from)|climbing) (?:the )?(?:bridge )?"
                         r"(?:railings|parapet)\b|\b(?:edge of|on) (?:the|a) (?:roof|ledge|cliff|quarry|"
                         r"parapet)\b(?! (?:road|lane|street|close|way|drive|estate|side|car park|industrial))|"
                         r"\bcliff ?(?:edge|top)\b|\b(?:right )?on the edge\b|"
                         r"\b(?:in|into|fell in(?:to)?|fallen in(?:to)?|under) (?:the|a) (?:river|sea|canal|water|"
                         r"lake|reservoir|quarry|weir|harbour|dock|pond|estuary|floodwater)\b|\b(?:on|along|across|"
                         r"walking (?:down|along|in)|middle of) the (?:motorway|dual carriageway|hard shoulder|"
                         r"carriageway|bypass|slip road)\b|\b(?:gone|went|come|came|crashed|skidded) (?:off the "
                         r"road )?into (?:a|the) (?:ditch|river|canal|water|dyke)\b|\b(?:tide|water) (?:is |'s )?"
                         r"(?:coming in|rising)\b|\bon the ice\b|\bcut off by the tide\b|\b(?:overturned|"
                         r"upside down|on its roof)\b|"
                         r"\bon (?:the|a) frozen (?:pond|lake|river|canal|reservoir|water)\b|"
                         r"\b(?:ice|it) (?:is |'s )?(?:cracking|breaking|giving way)\b", 2],
        # Signs that someone living alone cannot come to the door: a welfare check needed now.
        "no_sign_of_life": [r"\b(?:post|mail|letters|milk|parcels) (?:is |are |has |have )?(?:been )?(?:piling "
                            r"up|piled up|still on the (?:step|mat|doorstep))\b|\bcurtains (?:are |have been )?"
                            r"(?:still )?(?:closed|drawn|shut)\b|\b(?:a |an )?(?:awful |bad |strange |funny )?"
                            r"smell (?:from|coming from|in) (?:the|his|her|their) (?:flat|house|home|door|"
                            r"letterbox)\b|\blights? (?:have been |has been |are |is )?(?:on|off) (?:for|since) "
                            r"(?:days|two|three|\d)\b", 1.5],
        "gas": [r"\b(?:smell(?:s|ing)? (?:of )?gas|gas (?:leak|smell)|smells? like gas|reeks? of gas)\b", 2],
    },
    # Cues that the danger is happening now (same or a neighbouring sentence).
    "immediacy": {
        # "I now volunteer", "now that": not this minute.
        "now": (r"\b(?:right now|at the moment|currently|as we speak)\b|(?<!\bi )(?<!\bwe )(?<!\bthey )"
                r"(?<!\bby )(?<!\buntil )(?<!\bup to )"
                r"(?<!'m \d )(?<!'m \d\d )(?<!\bam \d )(?<!\bam \d\d )"  # "I'm 34 now": an age
                r"\bnow\b(?! that| (?:an?|grown|retired|adult|older|aged|in my) )"),
        "tonight": r"\b(?:tonight|2nite|this (?:evening|morning|afternoon)|today|all (?:evening|night|day)|"
                   r"getting dark|it'?s dark|dark now|getting late|been going on|going on for|"
                   r"(?:it is|it'?s|its) (?:now |already )?(?:dark|getting dark|night|late|freezing)|"
                   r"later|"
                   r"when (?:the pub|it) (?:shuts|closes)|once (?:the pub|the kids|everyone) )",
        "just": (r"\bjust (?:now|happened|texted|messaged|called|rang|sent|told|said|poured|"
                 r"threatened|left|bundled|grabbed|dragged|snatched|attacked|stabbed|pushed|fallen|fell)\b"),
        # A person overdue right now: "hasn't come home", "still not back", "nobody has seen her since".
        "overdue_now": r"\b(?:he|she|they|son|daughter|boy|girl|lad|child|kid|teenager|brother|sister|mum|mam|"
                       r"mom|mother|dad|father|husband|wife|partner|nan|gran|grandad|grandma|grandson|"
                       r"granddaughter|niece|nephew|hes|shes|he'?s|she'?s|they'?re)\b(?: [\w,]+){0,3} (?:still )?"
                       r"(?:hasn'?t|has not|hasnt|haven'?t|have not|isn'?t|is not|not|never) (?:yet )?(?:come|got|"
                       r"arrived|returned|been|made it)? ?(?:back|home)\b(?! (?:to|in touch|with|about|on|regarding))|"
                       r"\b(?:no ?one|nobody|none of (?:his|her|their) friends) (?:has |have )?(?:seen|heard from) "
                       r"(?:him|her|them) since\b|\b(?:haven'?t|havent|hasn'?t|hasnt) (?:seen|heard from) (?:him|"
                       r"her|them) since\b|\b(?:he|she|they) (?:hasn'?t|has not|haven'?t) been (?:seen|heard from) "
                       r"since\b|\bpitch (?:dark|black)\b",
        "still": r"(?<!was )(?<!were )(?<!had been )\bstill (?:out there|outside|here|there|in the|at the|shouting|"
                 r"banging|going on|"
                 r"happening)\b|"
                 r"\b(?:happening|going on) (?:now|right now)\b|\bagain now\b",
        "present": r"\bthere'?s (?:a|an|some|two|three) (?:\w+ )?(?:man|woman|lad|lads|kid|kids|boy|girl|men|"
                   r"people|person|group) (?:standing|sitting|waiting|shouting|screaming|lying|climbing|walking|"
                   r"hanging|running)\b|"
                   r"\b(?:is|are|he'?s|she'?s|they'?re|hes|shes|theyre) (?:just |still |now )?(?:outside|at the "
                   r"door|banging|kicking|not (?:waking|breathing|moving|responding)|"
                   r"trying|"
                   r"shouting|screaming|smashing|waving|pouring|parked|in my|in the house|sat|sitting|waiting|stood|"
                   r"standing|watching|following|circling|kicking off|here|back|on (?:his|her|their) way|"
                   r"hanging (?:around|about|round))\b|"
                   r"\bkeeps? (?:looking|watching|staring|circling|driving|walking|following|coming|grabbing)\b|"
                   r"\b(?:can|could) hear (?:her|him|them|someone|somebody) (?:calling|shouting|screaming|"
                   r"crying|moaning)\b",
        "this_minute": r"\b(?:right now|at the moment|as we speak|at this (?:moment|minute)|again (?:now|"
                       r"tonight))\b",
        # How long it has been going on, up to now: "for the last 20 minutes", "since about nine".
        # How long it has been going on, up to now ("for the last 20 minutes", "been there since nine");
        # "was outside for an hour last night" is over.
        "duration": (rf"\bfor the (?:last|past) {_SPAN}|\bbeen\b.{{0,60}}?\bfor {_SPAN}|\bfor {_SPAN} now\b|"
                     r"\bbeen (?:there|here|out there|outside|sat there|parked there|parked up) (?:for )?(?:ages|"
                     r"a while|an? |\d|about|over)|\bbeen (?:there|here|outside|behind me) since\b|"
                     r"\bsince (?:about |around )?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|midnight|tea ?time|(?:just )?(?:after|before) |half past|quarter (?:past|to)|"
                     r"i (?:got|left|came)|we left|the (?:station|junction|motorway|shop|pub|bus|train|park|"
                     r"supermarket|roundabout|town centre|club))|\b(?:minutes|mins|an hour|half an hour) ago\b"),
        "arrived": r"\b(?:has |have |'s |is |he |she |they )?just (?:turned up|arrived|pulled up|appeared|"
                   r"shown up|showed up|got here|come back|phoned|rung|rang|called|messaged|texted|rung off)\b|"
                   r"\bagain (?:tonight|now|today)\b",
        "hiding": r"\b(?:hiding|i'?m (?:upstairs|in the (?:bathroom|bedroom|loft))|lights off)\b",
        "unreachable": r"\b(?:(?:not|isn'?t|is not|aren'?t) answering|won'?t (?:pick up|answer)|phone(?:'s| "
                       r"is) off|"
                       r"straight to voicemail|"
                       r"(?:it'?s|it is) now (?:nearly|almost|gone|past|after)?)|\b(?:phone|mobile)(?:'s| is)? "
                       r"(?:off|dead|switched off|turned off|going (?:straight )?to voicemail)\b|\bgoes (?:straight )?"
                       r"to voicemail\b|\bnot picking up\b|\bno answer\b|\bcan'?t (?:get hold of|reach|get through to) "
                       r"(?:him|her|them)\b|\b(?:it'?s|its|it is) (?:now )?(?:gone|past|after) (?:\d|ten|eleven|"
                       r"twelve|nine|eight|seven|midnight)|\b(?:post|mail|milk) (?:is |are )?(?:piling|piled) up\b|"
                       r"\bcurtains (?:are )?still (?:closed|drawn)\b|\bno answer at the door\b",
        # A hazard closing in, or someone in peril doing it now: "a train is due", "climbing over",
        # "still inside", "the tide is coming in".
        "hazard": r"\btrains? (?:is |are |'s )?(?:due|coming|approaching|on (?:its|the) way|going (?:past|under)|"
                  r"about to)|\bbarriers? (?:are |is )?(?:coming|come|going) down\b|"
                  r"\bwith a train (?:due|coming)\b|\b(?:tide|water) (?:is |'s )?(?:coming in|rising)|"
                  r"\bcars? (?:are |is )?(?:swerving|braking|having to (?:swerve|brake)|flying past)|"
                  r"\b(?:people|someone|somebody|kids?|children|a (?:man|woman|child|baby|boy|girl)|they(?:'re| "
                  r"are)?|he'?s|she'?s) (?:still |stuck |trapped )?(?:inside|in it|in there|trapped)\b|"
                  r"\b(?:still|stuck|trapped) inside\b|\b(?:we|they|he|she|kids|children) (?:can'?t|cannot|cant) "
                  r"get out\b|\bholding on\b|\bclinging\b|\bstruggling in the water\b|"
                  r"\bgoing under\b|\bice (?:is |'s )?(?:cracking|breaking)\b|"
                  r"\b(?:climbing|dangling|balancing|hanging off|hanging over|messing (?:about|"
                  r"around)|pushing each other|leaning over|walking along|sitting on|standing on)\b",
        "intent": r"\b(?:i'?m|i am|im|he'?s|he is|she'?s|she is) (?:going to|gonna|coming)\b|\bhe (?:said|"
                  r"says) he'?ll\b",
    },
    # Cues that the harm is in the past: they cancel harm cues in their sentence.
    "historic": {
        "year": r"\b(?:in|back in|since|during) (?:19|20)\d\d\b|\b(?:summer|winter|spring|autumn|christmas|easter|"
                r"january|february|march|april|june|july|august|september|october|november|december) (?:of )?"
                r"(?:19|20)\d\d\b",
        "media": r"\b(?:on|in) the (?:news|telly|tv|radio|paper|papers|local paper|headlines)\b|"
                 r"\b(?:news (?:report|story|item|bulletin)|documentary|newspaper|article)\b|\b(?:saw|seen|watched|"
                 r"read|heard) (?:\w+ ){0,3}(?:news|telly|tv|programme|film|video|clip|post|footage|coverage|report|"
                 r"broadcast|bulletin|story|interview) "
                 r"(?:of|about|where|on|showing)\b|\b(?:video|clip|footage|post) (?:going round|going viral|"
                 r"on (?:facebook|tiktok|twitter|x|instagram|youtube|social media))\b|\bin (?:a|the) "
                 r"(?:film|book|novel|drama|series|soap|programme)\b",
        "ago": r"\b(?:\d+|a|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
               r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|several|many|a few|some|a couple of|"
               r"a dozen|dozens of)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))? (?:years?|months?|weeks?) "
               r"ago\b",
        "last": r"\blast (?:year|month|summer|winter|spring|autumn|christmas|easter|new year'?s(?: eve| day)?|"
                r"bonfire night|halloween|bank holiday)\b",
        "young": r"\bwhen i was (?:a |\d+|young|little|at school|a teenager|a child)",
        # "Saturday night my ex turned up": a night this week, told in the past (unless it looks ahead).
        "weekday": r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday) (?:night|evening|morning|"
                   r"afternoon|just gone)\b",
        "recent_past": r"\b(?:last (?:week|weekend|monday|tuesday|wednesday|thursday|friday|saturday|"
                       r"sunday)|the other (?:day|night|week)|a (?:week|fortnight) ago)\b",
        "no_show": r"\b(?:never|didn'?t|did not) (?:turned? up|came|come|arrived?|showed? up)\b",
        "long_ago": r"\b(?:a long time ago|non-?recent|historic(?:al)?|years later|at the time)\b",
        "died": r"\b(?:took (?:his|her|their) own life|died|passed away|was killed|funeral|bereave\w*)\b",
        # A calendar date ("on the evening of 3rd September", "in May"): a story being told, unless
        # the sentence looks ahead ("he says he'll come on 5th October": see `future`).
        "date": r"\b(?:on|from) (?:the )?(?:(?:morning|afternoon|evening|night) of (?:the )?)?(?:\d{1,2}(?:st|nd|rd|"
                r"th)?|first|second|third|fourth|fifth) (?:of )?(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|"
                r"dec|(?-i:May))[a-z]*\b|\b(?:on|from) (?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
                r"(?-i:May))[a-z]* \d{1,2}(?:st|nd|rd|th)?\b|\b(?:in|back in|during|over) (?:january|february|"
                r"march|april|june|july|august|september|october|november|december|(?-i:May))\b",
    },
    # Cues that an emergency is over and the person safe: they cancel harm cues and immediacy in
    # their sentence ("he is home now and safe" is not "now").
    "resolved": {
        "found_safe": r"\bfound (?:him|her|them|my \w+|our \w+)(?: \w+){0,3} (?:safe|alive|unharmed|well|"
                      r"quickly|within)|\b(?:safe and (?:well|sound)|home safe|safely home|safe at home)\b|"
                      r"\b(?:was|were|has been|have been|had been|got) found\b(?! (?:out|that|guilty|not|"
                      r"unconscious|collapsed|"
                      r"unresponsive|bleeding|injured|hurt|hanging|lying|in (?:the|a) (?:water|river|canal)))|"
                      r"\b(?:home|back) with (?:us|me|them|her|him) (?:now|again|safe)\b|"
                      r"\b(?:she'?s|he'?s|shes|hes|she is|he is|they'?re|they are) (?:fine|ok|okay|alright|all right)"
                      r"\b(?!,? but)|"
                      r"\b(?:is|are|was|were|got) (?:now )?(?:back )?home (?:now |safely |safe )?(?:and "
                      r"(?:safe|well)|safe|now|safely)\b|\b(?:thank(?:s| you)|grateful|gratitude)\b.{0,80}"
                      r"\b(?:found|brought (?:him|her|them) (?:home|back)|talked (?:him|her|them) down)",
    },
    # Cues that the danger is contained: the person was arrested or remanded, the writer is safe now
    # or staying elsewhere. They cancel harm in their sentence unless a live cue is there too
    # ("he was arrested last week but he is outside now").
    "contained": {
        "arrested": r"\b(?:was|were|been|got|is now|are now|is|are|now) (?:\w+ )?(?:arrested|charged|remanded|"
                    r"jailed|convicted|sentenced|locked up|in custody|in prison|behind bars)\b|"
                    r"\bbailed to (?:an?|another|his|her|their) (?:\w+ ){0,2}(?:address|town|area|city)\b",
        "safe_now": r"(?<!think )(?<!sure )(?<!if )(?<!whether )(?<!hope )(?<!pray )(?<!know )(?<!not )"
                    r"\b(?:i'?m|i am|im|we'?re|we are|we'?re all|i feel|i now feel)"
                    r" (?:now |totally |completely |quite )?safe\b(?! (?:to|enough|from|here))|"
                    r"(?<!hope )(?<!pray )(?<!if )(?<!sure )\b(?:she'?s|she is|he'?s|he is|they'?re|they are|"
                    r"the (?:kids|children) are) (?:now )?safe now\b|\bstaying (?:with|at) "
                    r"(?:my|a|her|his|our) (?:\w+ )?(?:sister'?s?|brother'?s?|mum'?s?|mam'?s?|mom'?s?|dad'?s?|"
                    r"parents'?|friends?'?s?|family|nan'?s?|gran'?s?|aunt'?s?|auntie'?s?|mate'?s?|refuge)\b|"
                    r"\bin a refuge\b|"
                    # "I'm not worried about my safety right now", "not scared he'll come back".
                    r"\b(?:i'?m|i am|im|we'?re|we are) not (?:worried|scared|afraid|frightened|concerned) (?:about|"
                    r"for) (?:my|our) (?:own )?safety(?: (?:right now|at the moment|now|any more|anymore))?\b|"
                    r"\b(?:i'?m|i am|im) not (?:worried|scared|afraid|frightened) (?:that )?(?:he|she|they)"
                    r"(?:'ll| will|'d| would) (?:come|do|hurt|try)\b",
        # An overdue adult with a plain reason: not a disappearance.
        "unhurt": r"\b(?:nobody|no ?one|no-one) (?:was |got |is |were )?(?:hurt|injured)\b",
        "accounted_for": r"\b(?:working late|running late|stuck in traffic|on a late shift|on nights)\b",
    },
    # Cues of a pattern of behaviour rather than this moment: they cancel immediacy in their sentence.
    "habitual": {
        "every": r"\b(?:every (?:night|nite|day|evening|weekend|wkend|wknd|week|morning|summer|winter|year|time)|"
                 r"every (?:few|couple of|other|two|three|six) (?:nights|days|weeks|weekends|months|years)|"
                 r"most (?:nights|days|evenings|"
                 r"weekends)|"
                 r"for (?:weeks|months|years)|all the time|constantly|always)\b|"
                 r"\b(?:for|over) the (?:last|past) (?:\w+ )?(?:evenings|nights|days|weeks|mornings|"
                 r"weekends)\b|\b(?:\w+ )(?:evenings|nights|days) (?:running|in a row)\b|"
                 r"\b(?:keeps?|kept) (?:on )?(?:turn(?:ing|in')?|com(?:ing|in')?|show(?:ing|in')?|hang(?:ing|in')?) "
                 r"(?:up|round|around|over)\b|\b(?:\d+|two|three|four|five|several|a few) times (?:this|a|last|"
                 r"in a) (?:week|wk|month|fortnight)\b|"
                 r"\b(?:keep|keeps|kept|often|regularly|always) (?:\w+ )?(?:climbing|getting (?:on|onto|into|over)|"
                 r"going (?:on|onto)|playing (?:on|in|near)|swimming|jumping|messing)\b",
        # A lull, like a habit, is not this minute: "nothing is happening at the moment", "it's quiet
        # now" (only in a sentence with no harm cue: `habit_unless_harm`).
        "lull": r"\bnot (?:about )?anything (?:that'?s |that is )?(?:happening|going on) (?:now|at the "
                r"moment|right now)\b|\b(?:nothing|nobody|no one|no-one) (?:is |'s )?(?:happening|going on|"
                r"(?:out )?there|here|about|"
                r"around) (?:at the moment|right now|now|currently|tonight)\b|\b(?:it'?s|it is|its|all'?s|all is|"
                r"everything'?s|everything is) (?:\w+ )?(?:quiet|calm|peaceful) (?:\w+ ){0,3}(?:now|at the moment|"
                r"right now|tonight|today)\b",
    },
    # The writer says nobody needs to come now ("not asking anyone to come now, it's every
    # weekend", "I'm not in danger"): with no harm cue found, the model alone does not make it
    # urgent (it still adds to the cues' score).
    "calm": {
        "no_one_needed": r"\bnot (?:asking|askin|wanting|after) (?:for |4 )?(?:anyone|anybody|any1|someone|somebody|"
                         r"you|u|an officer|officers|the police|police) (?:to |2 )?(?:come|attend|send|turn up)\b|"
                         r"\b(?:don'?t|dont|do not) need (?:anyone|anybody|any1|someone|somebody|an officer|officers|"
                         r"the police|police|you|u) (?:to |2 )?(?:come|attend|turn up)\b|\bno (?:need|rush) "
                         r"(?:for (?:anyone|anybody|someone|an officer) )?(?:to |2 )?(?:come|attend|send)\b",
        "not_in_danger": r"\b(?:i'?m|i am|im|we'?re|we are) not in (?:any )?(?:immediate )?danger\b|"
                         r"\b(?:nobody|no one|no-one) (?:is|'s) in (?:any )?(?:immediate )?danger\b",
        "not_emergency": r"\b(?:not|isn'?t|isnt) (?:really |rly |actually )?(?:an? )?(?:emergency|urgent)\b",
    },
    # Cues of a policy question rather than a live incident.
    "policy": {
        "strategy": (r"\b(?:strategy|policy|funding|fund|budget|precept|scheme|programme|"
                     r"statistics|figures)\b"),
        "ask_commissioner": (r"\bwhat (?:is|are) (?:the commissioner|your office|you|the force) doing\b|"
                             r"\bwhat (?:the commissioner|your office|the force|the police) (?:does|do|is doing|"
                             r"are doing|has done)\b"),
        "position": (r"\b(?:position on|view on|urge (?:you|the commissioner)|"
                     r"will (?:you|the commissioner|the pcc) (?:fund|commit|back|invest|support)|"
                     r"(?:whether|if) (?:you|the commissioner|the pcc) (?:will|would|intends? to|plans? to) "
                     r"(?:fund|commit|back|invest|support))\b"),
        "campaign": r"\b(?:campaign\w*|petition|lobby\w*|legislation|laws?|lives will be lost|"
                    r"prevention|awareness)\b",
        "foi": r"\b(?:freedom of information|foi)\b",
        "thanks": r"\b(?:thank you|thanks) (?:to|for)\b|\bsafe and well\b|\bwas found\b",
        "media": r"\b(?:on|in) the (?:news|telly|tv|radio|paper|papers|local paper)\b|\bdocumentary\b|"
                 r"\bnews (?:report|story|item)\b",
    },
}

# "He would like it treated as a complaint", "I want a complaint recorded against whoever ...":
# a complaint stated in other words than "I wish to complain" (not "I don't want it treated as one").
# Said to rule a complaint out just before its words: "I am not writing to make a complaint",
# "I'm not here to complain about that officer" (lookbehinds, put before a complaint cue).
_NOT_HERE_TO = r"(?<!not writing to )(?<!n't writing to )(?<!not here to )(?<!not trying to )(?<!not want to )"
_TREATED_AS_COMPLAINT = (
    r"(?<!not )(?<!n't )(?<!n't want it )(?<!n't want this )(?<!not want it )(?<!not want this )"
    r"\b(?:treat(?:ed)?|log(?:ged)?|record(?:ed)?|register(?:ed)?|handled?|dealt with|deal with|take(?:n)?) "
    r"(?:it |this |that |my (?:email|letter|message) |this (?:email|letter|message) )?as an? (?:formal |official )?"
    r"complaint\b|(?<!not )(?<!n't )\b(?:want|like|wish|ask(?:ing)? for|expect) (?:a|my|this|an official) "
    r"(?:formal )?complaint (?:to be )?(?:recorded|logged|registered|raised|lodged|opened|taken)\b"
)
# The office's own holder of office, the Commissioner or their deputy (not "the Information Commissioner").
_COMMISSIONER = (r"(?<!information )(?<!children's )(?<!victims' )"
                 r"\b(?:deputy )?(?:police and crime )?commissioner\b|\bd?pcc\b")
# A complaint about the Commissioner put as a question: the office's resources (a car, a driver,
# staff, money) used for party politics or private ends, and whether that is proper. All three
# must be in the letter, in any order.
_COMMISSIONER_MISUSE = (
    rf"(?s:\A(?=.*?({_COMMISSIONER}))"
    r"(?=.*?\b(party[- ]political|political (?:party|parties|events?|dinners?|fundrais\w+|campaign\w*|rall(?:y|ies))|"
    r"(?:party|campaign) (?:fundrais\w+|dinners?|events?|conferences?|meetings?|rall(?:y|ies))|"
    r"(?:personal|private) (?:use|business|errands|trips|holidays?|gain|engagements|benefit)|"
    r"(?:his|her|their) own (?:use|benefit|business|gain|pocket)|(?:his|her|their) (?:own )?(?:political )?party'?s?|"
    r"friends and family|family members?)\b)"
    r"(?=.*?\b(proper|improper(?:ly)?|within the rules|against the rules|break\w* the rules|allowed|permitted|"
    r"appropriate|inappropriate|misus\w+|abus\w+ (?:of )?(?:the |his |her |their )?(?:office|position|role|"
    r"power)|public (?:money|expense|purse|funds)|taxpayers?'? ?(?:money|expense)|(?:hold|holds|held) (?:him|her|"
    r"them) (?:to )?account|looked into|investigat\w+)\b))"
)
# A complaint about an officer's or PCSO's posts or videos online: the officer, the platform and
# the writer asking for it to be dealt with, in any order ("I want it taken down and her spoken to").
_OFFICER_ONLINE = (
    r"(?s:\A(?=.*?\b(officers?|pcsos?|constables?|sergeants?|inspectors?|detectives?|policem[ae]n|"
    r"policewom[ae]n|coppers?|police staff|(?:in|his|her|their) (?:police )?uniform)\b)"
    r"(?=.*?\b(facebook|tiktok|tik tok|twitter|instagram|insta|snapchat|youtube|whatsapp group|social media|"
    r"online|posted|reposted|tweeted)\b)"
    r"(?=.*?\b((?:i|we) (?:want|would like|expect|demand|ask that|insist) (?:this|it|that|the (?:post|video|"
    r"comments?|clip)s?|them|him|her) (?:to be )?(?:investigated|looked into|taken down|removed|deleted|"
    r"spoken to|disciplined|dealt with|reported))\b))"
)

CLASSIFY: dict[str, Any] = {
    # Below this model probability, with no rule, the category falls back to `fallback`.
    "min_model_prob": 0.0,
    "fallback": "correspondence",
    # A model "complaint" below this probability needs a grievance cue, else the next class wins.
    "min_complaint_prob": 0.6,
    # Words that rule a complaint out: "I am not writing to complain", "we hear a lot of complaints".
    # With no complaint rule fired, they overrule a model that heard "complain" in them.
    "disclaims_complaint": r"\b(?:not|n't|never) (?:writing to |here to |trying to |wanting to |meaning to |"
                           r"wishing to )?complain(?:ing)?\b|\bthis is(?: not|n't) a (?:formal )?complaint\b|"
                           r"\bnot (?:making|lodging|raising) a complaint\b|\b(?:hear|heard|read|see) (?:a lot of|"
                           r"lots of|so many|many|plenty of) complaints\b",
    "grievance": r"\b(?:complain\w*|rude|unhappy|not happy|disgust\w*|disgrace\w*|appalled|unacceptable|"
                 r"not acceptable|out of order|apolog\w*|behaviou?r|conduct|treated|attitude|failed|failure|"
                 r"ignored|useless|incompetent|looked into|investigated|not impressed)\b|\bhow (?:is|can) (?:this|"
                 r"that|it) (?:be )?(?:allowed|right|acceptable|legal|fair)\b|\bno ?(?:one|body) "
                 r"(?:has )?(?:called|contacted|come|bothered)\b",
    # Who a complaint (labels spec) can be about: the police, its staff and services, the Chief
    # Constable, the Commissioner and the office. A model "complaint" naming none of them ("who do
    # I complain to about the music next door") is about someone else: the model's next choice.
    "complaint_subject": r"\b(?:police|policing|polic(?:e|ing) (?:men|women)|policem[ae]n|policewom[ae]n|"
                         r"officers?|pcs?|pcsos?|dcs?|sgt|sergeants?|inspectors?|detectives?|constables?|"
                         r"constabulary|force|coppers?|cops?|bobb(?:y|ies)|plod|call handlers?|control room|"
                         r"custody|cells?|station|front (?:counter|desk)|999|101|commissioner|pcc|deputy|"
                         r"office|staff|caseworkers?|chief|arrest\w*|warrant|stop and search|stopped|searched|"
                         r"investigat\w*|crime (?:number|reference)|response|attended|you|your|ur|u)\b",
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
                r"(?:response|neighbourhood|police|traffic|roads policing|custody|firearms|community) (?:officer|"
                r"sergeant|inspector|pc|constable|pcso|copper))\b",
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
    # Words that the writer is not writing as an officer: retired, or writing as a resident about
    # a private matter ("I work for the force, but I'm writing purely as a resident").
    "officer_exclude": r"\b(?:retired|former|ex-|used to be|was a) ?(?:police )?(?:officer|pcso|detective)|"
                       r"\b(?:purely|solely|simply|only|just) as an? (?:local )?(?:resident|member of the public|"
                       r"parent|neighbour|householder|private (?:individual|citizen|person))\b|\bnothing to do with "
                       r"(?:my )?(?:work|job|role|employment)\b|"
                       r"\b(?:a|this is a|it'?s a) (?:private|personal) matter\b",
    "foi": {
        "act": r"\bfreedom of information\b|\bFOIA?\b|\bF\.O\.I\b",
        "under_act": r"\bunder the act,? (?:i|we) (?:request|ask)",
        # A request for figures, even without naming the Act: asked for (send me, could you tell
        # me), counted (the number of, how many, how much was spent) and scoped (years, a breakdown).
        "figures": r"(?s:\b(?:could|can|would|will) you (?:please |also )?(?:send|provide|give|tell|supply|let me "
                   r"(?:have|know)|confirm|share)\b|\bplease (?:could you |can you )?(?:send|provide|give|supply|"
                   r"let me (?:have|know)|tell me)\b|\bi(?:'d| would) like (?:to (?:know|request|receive) )?)"
                   r"(?s:.{0,80}?)\b(?:the (?:number|numbers|total|amount|figures?|cost|costs|breakdown|statistics)"
                   r"|how (?:many|much))\b(?s:.{0,300}?)(?:\b(?:broken down|breakdown|itemised|by (?:month|year|"
                   r"ward|area|category)|financial years?|calendar years?|per (?:year|month)|(?:for )?each (?:year|"
                   r"month)|the total|in total)\b|\b(?:for|in|during|between) (?:the years? )?(?:19|20)\d\d(?:/\d\d)?"
                   r"(?: (?:and|to|-|–) (?:19|20)?\d\d)?\b)",
    },
    "sar": {
        "subject_access": r"\bsubject access\b",
        "own_data": r"\b(?:copy of|see|access to) (?:all |everything |any |whatever |what )?(?:the )?(?:my )?"
                    r"(?:personal )?(?:data|information|records?|files?|papers?|documents?)\b.{0,40}"
                    r"\b(?:hold|holds|have|has|keep|keeps) (?:on|about) me\b|"
                    r"\b(?:all|any|every|whatever|what) (?:of )?(?:the )?(?:personal )?(?:information|data|records?|"
                    r"files?|intelligence)\b.{0,40}\b(?:hold|holds|have|has|keep|keeps|got) (?:on|about) me\b",
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
        # Answers sent back to the office's own survey: a reply to it, "here are my answers", a form
        # that would not submit.
        "survey_reply": r"\A\s*(?:(?:re|fw|fwd|aw|sv)\s*:\s*)+[^\n]{0,80}\b(?:survey|questionnaire|"
                        r"consultation|your views|have your say|priorities)\b|\A[^\n]{0,60}\b(?:survey|"
                        r"questionnaire|consultation) (?:answers|response|responses|reply)\b",
        "survey_answers": r"\b(?:here are|these are|below are|please find|sending|emailing|sent) (?:you )?my "
                          r"answers\b|\bmy answers (?:to|for|on)\b|\banswers? (?:to|for) (?:your|the|the "
                          r"commissioner'?s?|the pcc'?s?|this) (?:[\w'-]+ ){0,4}(?:survey|questionnaire|"
                          r"consultation)\b|\b(?:survey|questionnaire|consultation)\b.{0,60}?\b(?:cut (?:me )?off|"
                          r"crashed|kept crashing|timed out|froze|closed|wouldn'?t (?:let me )?(?:submit|load|work|"
                          r"send|save)|didn'?t (?:let me )?(?:submit|work|save|send)|would not (?:submit|work))|"
                          r"\b(?:your|the) (?:\w+ )?priorities (?:survey|questionnaire|consultation)\b|"
                          r"\bhave your say\b",
        # Someone answering the office's own survey or consultation in a letter: "I did your precept
        # survey online", "your survey only lets you pick", "considered your consultation".
        # Not the office running one ("when the Commissioner did the survey in January").
        "survey_done": r"(?<!commissioner )(?<!pcc )(?<!office )(?<!they )(?<!force )"
                       r"\b(?:did|done|filled in|filled out|completed|answered|took|responded to) (?:your|the) "
                       r"(?:online )?(?:[\w'-]+ ){0,2}(?:survey|consultation|questionnaire)\b|\bconsidered (?:your|"
                       r"the) (?:[\w'-]+ ){0,3}consultation\b|\b(?:your|the) (?:online )?(?:[\w'-]+ )?(?:survey|"
                       r"questionnaire|consultation) (?:only|doesn'?t|does not|didn'?t|did not) (?:lets?|"
                       r"allows?|gives?|"
                       r"let|allow|give|have)\b|\b(?:survey|questionnaire|consultation)\s*[-:–]\s*my (?:comments|"
                       r"views|answers|response|reply)\b|\bresolved to (?:submit|respond|make) (?:the following|a|"
                       r"its|this)\b",
        "consultee": r"\b(?:dear consultee|statutory consultee|invited to respond|consultation closes|"
                     r"welcome (?:the|your) (?:\w+ ){0,6}formal response)\b",
    },
    "third_party": r"\b(?:my|our|the|this|one of our) constituents?\b|\bconstituent'?s\b|(?<!i am )(?<!i'm )(?<!as )"
                   r"(?<!im )\ba constituent\b(?! of yours)|\b(?:i am|i'?m|as|i work as) (?:a |the )?(?:senior )?"
                   r"case ?worker\b|\bcase ?worker (?:for|to|in|at|with) (?:the |a )?(?:\w+ ){0,2}(?:mp|m\.p\.|"
                   r"member|councillor|cllr|constituency|office)\b|\bconstituency case ?worker\b|"
                   r"\b(?:mp|m\.p\.|councillor|cllr|msp|mla|senedd member)(?: [\w'-]+)?'s (?:office|caseworker|"
                   r"team)\b|\bconstituency (?:office|team|surgery)\b|"
                   r"\b(?:office of|on behalf of|writing for|work for|working for) (?:\w+ ){0,3}(?:mp|m\.p\.|"
                   r"member of (?:parliament|the senedd|the scottish parliament)|msp|mla|cllr|councillor)\b",
    "third_party_complaint": r"\b(?:wish(?:es)?|want(?:s)?|would like|writing) to (?:make a |lodge a |raise a "
                             r"|register a )?(?:formal )?complain|\b(?:make|lodge|raise|submit|register) "
                             r"(?:a |this |their |her |his )?formal complaint\b|\bcomplain(?:t|ing)? about the "
                             r"(?:conduct|behaviour|attitude) of\b|" + _TREATED_AS_COMPLAINT,
    "complaint": {
        # "I am not writing to complain", "this is not a formal complaint": said to rule one out.
        "formal": r"(?<!not a )(?<!n't a )(?<!no )\bformal complaint\b|(?<!not )(?<!n't )(?<!don't want to )"
                  r"(?<!do not want to )" + _NOT_HERE_TO + r"(?<!not looking to )"
                  r"\b(?:lodge|make|raise|submit|register) (?:a |this |my )?complaint\b",
        "want_to": r"(?<!not )(?<!n't )(?<!never )\b(?:wish|want|like|writing|would like) to complain\b|"
                   r"\bi(?:'m| am) complaining\b|" + _TREATED_AS_COMPLAINT,
        "about": r"(?<!lot of )(?<!lots of )(?<!many )(?<!hear )(?<!heard )(?<!all the )(?<!plenty of )"
                 r"\bcomplain(?:t|ts|ing)? (?:about|against|regarding) (?-i:(?:PC|PCSO|PS|Sgt|DC|DS|DI|Insp) "
                 r"?[A-Z0-9][\w'-]+)|"
                 r"(?<!lot of )(?<!lots of )(?<!many )(?<!hear )(?<!heard )(?<!all the )(?<!plenty of )"
                 r"\bcomplain(?:t|ts|ing)? (?:about|against|regarding) (?:the |a |an |my |two |one |2 )?"
                 r"(?:police|officers?|pcsos?|chief constable|commissioner|deputy|force|constabulary|"
                 r"call handler|"
                 r"sergeant|inspector|detective|copper|conduct|behaviour|way)",
        # "I want this formally investigated": asking for the police's handling to be investigated.
        "investigated": r"(?<!not )(?<!n't )\b(?:want|wish|would like|expect|demand|ask for|asking for) (?:this|it|"
                        r"the matter|the way (?:it|my call|the call) was handled) (?:to be )?(?:formally|officially) "
                        r"(?:investigated|looked into|reviewed)\b|\b(?:a |an )?(?:formal|official) investigation "
                        r"(?:into|of) (?:how|why|the (?:way|handling|response|delay))\b",
        "review": r"\breview of (?:the )?(?:outcome|my complaint|how my complaint)|"
                  r"\bapply(?:ing)? for a review\b|"
                  r"\bschedule 3\b|\breview application\b",
        "subject": r"\A\s*(?:(?:re|fw|fwd)\s*:\s*)*(?:formal )?complaint\b",
        "conduct": r"\b(?:officers?|coppers?|cops?|pcsos?|policem[ae]n|policewom[ae]n|police (?:officers?|"
                   r"drivers?|vans?|cars?|vehicles?|bmw|estate|4x4|motorbikes?|bikes?|land ?rover|volvo|transit)|"
                   r"marked (?:police )?(?:car|van|vehicle|bmw|estate)|patrol cars?|panda cars?|response cars?|"
                   r"call handler|sergeant|detective|detention officer)\b.{0,160}?\b(?:swore|sworn|rude|"
                   r"laughed at|"
                   r"smirked|pushed past|without (?:asking|permission|consent|a warrant)|out of order|"
                   r"sarcastic|"
                   r"aggressive|dismissive|racist|sexist|homophobic|pushed me|grabbed me|mocked|shoved|"
                   r"kicked|punched|"
                   r"manhandled|slammed|assaulted|tasered|threw (?:me|him|her)|scrolling|texting|"
                   r"(?:using|on|holding) (?:his|her|their|a) (?:mobile )?phone (?:while|whilst|at the wheel|"
                   r"driving)|through a red light|ran a red light|"
                   # An officer's driving: speed, a phone at the wheel, no lights on a call.
                   r"phone (?:to|at|against) (?:his|her|their) ear|(?:\d\d|fifty|sixty|seventy)(?: to \d\d)?"
                   r"(?: ?mph| miles an hour)? in (?:the|a) (?:20|30|40|twenty|thirty|forty)(?: mph)? (?:limit|zone)|"
                   r"no (?:blue )?lights (?:and|or|,) no sirens?|without (?:any )?(?:blue )?lights|(?:was|were|went) "
                   r"speeding|speeding (?:through|past|down|along)|"
                   r"undert(?:ook|aking)|tailgat\w+|overt(?:ook|aking) on|mounted the pavement|cut (?:me|us) up|"
                   r"bodycam\w* (?:was )?off|"
                   r"body (?:worn )?camera (?:was )?(?:switched )?off|camera switched off)",
        "officer_behaviour": r"\b(?:this|the|that) officer'?s (?:behaviour|conduct|attitude|actions)\b",
        "apology": r"\b(?:i want|i'?d like|i would like|i expect|and) (?:an |a (?:formal |written |public |"
                   r"proper )?)apology\b",
        # An angry line about the service: the police are a joke, and nobody came.
        "nobody_came": r"\b(?:you lot|police|coppers|cops|you)(?: are|'re| r| is)? (?:a joke|a disgrace|useless|"
                       r"pathetic|hopeless|a waste of (?:space|time|money))\b.{0,200}?\b(?:not (?:one|a single|"
                       r"even one)(?: \w+)?|nobody|no ?one|never|none of you)(?:'s)? (?:\w+ ){0,2}"
                       r"(?:come|came|turned up|bothered|attended|looked)\b|\b(?:not (?:one|a single) "
                       r"(?:copper|officer|cop|policeman)|nobody|no ?one)(?:'s)? (?:from the police )?(?:\w+ ){0,2}"
                       r"(?:come|came|turned up|bothered|attended)\b.{0,200}?\b(?:you lot|police|"
                       r"coppers|cops|you)(?: are|'re| r| is)? (?:a joke|a disgrace|useless|pathetic|hopeless)\b",
        # "Is it normal for officers to ...?": a complaint put as a question.
        "as_question": r"\bis it (?:normal|acceptable|right|okay|ok|usual|standard|appropriate|allowed|legal|fair) "
                       r"(?:for|that) (?:an? |the |two |these )?(?:officers?|police(?: officers?)?|pcsos?|detectives?|"
                       r"sergeants?|the force|custody|call handlers?|pc|dc)\b",
        # Asking for the handling of one's reports to be looked at: a complaint about the service.
        "handling": r"\b(?:look (?:at|into)|review|investigate|explain|check) (?:how|the way) (?:my|our|these|the|"
                    r"his|her) (?:reports?|calls?|case|concerns?|matter|complaints?) (?:have|has|were|was|are|is) "
                    r"(?:been |being )?(?:handled|dealt with|treated)\b",
        # The named officer on a case who never answers: a complaint about the service, in any words.
        "unanswered": r"\b(?:(?:the )?officer(?: in (?:the|my|charge of (?:the|my)) case| in charge)?|oic|"
                      r"(?:pc|pcso|dc|ds|sgt|ps|"
                      r"detective) ?[a-z0-9'-]+)(?:,? (?:is|was|called) (?:pc|dc|sgt|ps|"
                      r"pcso) ?[a-z0-9'-]+)?(?: (?:pc|dc|"
                      r"sgt|ps|pcso) ?\d{3,5})?,? (?:and )?(?:he |she |they )?(?:has |have |had |is |"
                      r"still )?(?:never|not "
                      r"once|hasn'?t|has not|won'?t|doesn'?t|does not|didn'?t|did not) (?:once |even |"
                      r"ever )?(?:answers?|"
                      r"answered|returned|rung|rings|rang|calls|called|replied|replies|responded|got back|gets back|"
                      r"bothered)\b",
        "report_officer": (_NOT_HERE_TO + r"(?<!n't want to )(?<!not wanting to )"
                           r"\b(?:report|complain about) (?:the|that|this|an|a) "
                           r"(?:officer|copper|cop|pcso|policem[ae]n)\b"),
        # Asking for an officer to be disciplined: "I want her spoken to", "I expect that officer to
        # be disciplined" (an officer named somewhere in the letter).
        "action_against": (r"(?s:\A(?=.*?\b(officers?|pcsos?|constables?|sergeants?|inspectors?|"
                           r"detectives?|policem[ae]n|policewom[ae]n|coppers?|call handlers?|police staff)\b)"
                           r"(?=.*?\b((?:i|we) (?:want|would like|expect|demand|insist|ask that) (?:him|her|them|"
                           r"(?:the|that|this|these|those) (?:officers?|pcsos?|constables?|sergeants?|"
                           r"call handlers?|coppers?)) (?:to be |be )?(?:spoken to|disciplined|sacked|dismissed|"
                           r"suspended|reprimanded|retrained|held (?:to )?account(?:able)?|struck off))\b))"),
        "officer_online": _OFFICER_ONLINE,
        "commissioner_misuse": _COMMISSIONER_MISUSE,
    },
    # "Unrelated to my complaint about the Commissioner, ..." names another matter, not this one:
    # the clause is dropped before the category and signpost rules read the text.
    "other_matter": (
        r"\b(?:unrelated\s+to|separate\s+from|apart\s+from|not\s+about|nothing\s+to\s+do\s+with|"
        r"not\s+(?:related|connected)\s+to)\s+my\s+(?:\w+\s+){0,2}"
        r"(?:complaint|e-?mail|letter|message|request|case|report)\b[^.,;:!?\n]*"
    ),
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
                              r"\b(?:deputy )?commissioner'?s (?:conduct|behaviour|expenses|social media|tweets?|"
                              r"posts|remarks|comments on|official account)|"
                              r"(?s:\bcommissioner\b.{0,600}?\bcomplain\w* (?:about|against) (?:him|her)\b)|"
                              r"\bconduct of the (?:deputy )?(?:police and crime )?commissioner|"
                              r"\bdeputy (?:police and crime )?"
                              r"commissioner\b.{0,80}\b(?:rude|conduct|behaviour|dismissive)|"
                              r"\bcomplain\w* about the pcc\b|"
                              r"\bcommissioner himself\b|\bcommissioner herself\b|"
                              # "Is it within the rules for the Commissioner to ...", "who holds her to account".
                              r"\bis (?:it|that|this) (?:\w+ ){0,2}(?:within the rules|against the rules|allowed|"
                              r"permitted|proper|appropriate|acceptable|right|legal|lawful) for (?:the |our )?"
                              r"(?:deputy )?(?:police and crime )?commissioner\b|" + _COMMISSIONER_MISUSE,
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
    "force_foi": r"\b(?:force|constabulary|police) (?:has |have |had )?(?:spent|spends|paid|pays)\b|"
                 r"\b(?:force|constabulary|police) (?:may|might|will|probably|would) hold\b|\bpass (?:it|"
                 r"this) "
                 r"(?:on )?to the (?:force|police)\b|\b(?:please )?(?:pass|forward) (?:it|this) on\b|"
                 r"\b(?:number|"
                 r"numbers|how many) (?:of )?(?:\w+ ){0,3}(?:crimes?|offences?|arrests?|officers|incidents|"
                 r"reports|"
                 r"deployments)\b|\brecorded (?:by|in)\b",
    # FOI for information the office holds (else force_foi).
    "opcc_foi": r"\b(?:commissioner'?s office|pcc'?s office|office of the (?:police and crime )?commissioner|your "
                r"office) (?:has |have |had )?(?:spent|spends|paid|pays|spend)\b|"
                r"\b(?:commissioner'?s|pcc'?s|deputy'?s|office'?s) (?:expenses|diary|salary|grants?|staff|"
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
    # A company selling its services to the office ("a 20 minute demo?"): words of the trade, at
    # least `pitch_min` of them, keep a letter with the office whatever problem it names.
    "pitch": {
        "demo": r"\b(?:demo|demonstration|free trial|(?:free|funded|fully[- ]funded) pilot|\d+-day pilot|webinar)\b",
        "buying": r"\b(?:procurement|framework|tender|pricing|quote|from just £|sponsor (?:a|our))\b|"
                  r"\b(?:packages?|prices?|plans?|licen[cs]es?|subscriptions?) "
                  r"(?:start|starting|are available) (?:from|at)\b",
        "clients": r"\bour (?:clients|customers|partner forces|partners|platform|solution|product|services|"
                   r"roadshows?|drones|software|app)\b",
        "booking": r"\b(?:book (?:a|your) (?:call|slot|date|place|demo)|secure your (?:date|place)|limited (?:dates|"
                   r"places|offer)|(?:20|15|30|10|45)[- ]minutes? (?:for a|call|chat|demo|video call|conversation))\b",
        "seller": r"\b(?:business development|account (?:director|manager|executive)|sales (?:director|manager|"
                  r"team)|head of (?:sales|partnerships)|founder)\b|\b(?:ltd|limited|cic|plc)\s*$",
        "opt_out": r"\b(?:reply (?:stop|remove|unsubscribe)|to stop receiving|not the right person|unsubscribe|"
                   r"won'?t chase)\b",
    },
    "pitch_min": 2,
    # Thanks to officers, with nothing asked: a letter for the office to pass on, whatever it tells.
    "thanks": r"\b(?:please )?pass (?:on )?(?:our|my) (?:thanks|gratitude)\b|\bthank you to (?:the|your|all the) "
              r"(?:officers?|pcsos?|team|staff|call handlers?)\b|\bwanted (?:someone|you) to hear (?:this|the other) "
              r"side\b",
    # Intimate image abuse and sextortion threats are crimes to report to the police (101), even when
    # money is demanded (not a fraud for Action Fraud); checked before the correspondence table.
    "image_abuse": r"\b(?:revenge porn|sextortion|sextort\w*)\b|\b(?:post|share|send|leak|put|upload|"
                   r"publish|spread|show)\w* (?:\w+ ){0,3}(?:intimate|private|nude|naked|explicit|sexual|"
                   r"sexy|personal|x-rated|dirty) (?:\w+ )?(?:pics?|photos?|pictures?|images?|videos?|vids?|"
                   r"selfies|films?)\b|\b(?:my |our )?(?:nudes|naked (?:pics?|photos?|pictures?|images?))\b",
    # Correspondence signposts, first match wins (after urgency). {name: regex}
    "correspondence": {
        # CCTV or body-worn footage of the writer, a copy of their crime report for an insurer.
        "force_data_protection": r"\bsubject access\b|\b(?:copy of|see|get) (?:the )?(?:cctv|footage|body ?cam\w*|"
                                 r"body[- ]worn (?:camera )?footage)\b.{0,60}\bof me\b|\bfootage of me\b|"
                                 r"\bcopy of (?:the |my )?(?:police )?crime report\b|"
                                 r"\b(?:copy of|see) (?:all |everything |"
                                 r"any |whatever |what )?(?:the )?(?:my )?(?:own )?(?:police )?"
                                 r"(?:personal )?(?:data|information|records?|files?|papers?|documents?|"
                                 r"statement)\b.{0,60}\b(?:me|mine)\b|"
                                 r"\beverything (?:[\w'-]+ ){0,4}(?:have|has|hold|holds) (?:on|about) me\b|"
                                 r"\bwhat (?:the police|they|you) (?:hold|have) (?:about|on) me\b|"
                                 r"\bmy (?:own )?police records\b|"
                                 r"\b(?:copy|copies) of (?:my|me) (?:own )?(?:police |custody |arrest |"
                                 r"interview )?(?:file|records?|"
                                 r"notes|data)\b|\bmy own data\b|"
                                 r"\bwhat (?:the police|they|you|officers|the force) (?:\w+ )?(?:wrote|have written|"
                                 r"had written|recorded|put down|noted|wrote down|put on file|keep|kept) (?:down )?"
                                 r"(?:about|on) me\b|\bwhat records (?:\w+ ){0,3}(?:hold|have|keep|kept) (?:on|"
                                 r"about) me\b|\b(?:see|read|have|get) (?:any|the|my|all) (?:police )?(?:records?|"
                                 r"files?|notes) (?:\w+ ){0,3}(?:about|on|of|concerning|relating to) (?:me|my "
                                 r"(?:arrest|case|conviction|caution|detention))\b|"
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
                         r"me being) identified\b|\b(?:don'?t|do not|dont) want my name (?:going|on|mentioned|used|"
                         r"known|passed|given|anywhere)\b|\b(?:they'?d|they would|he'?d|she'?d|people would|"
                         r"everyone would|everybody would) know (?:it was|it were) me\b|"
                         # "not saying who i am", "dont want no come back": text-speak of the same wish.
                         r"\b(?:not|won'?t|wont|never|i'?m not|im not) (?:be )?(?:saying|telling (?:you|u)|giving|"
                         r"revealing|sharing) (?:you |u )?(?:who i am|my name|my identity|my details)\b|"
                         r"\b(?:don'?t|dont|do not) want (?:no|any) (?:come ?back|comeback)\b|"
                         r"\b(?:no|any) (?:come ?back|comeback) (?:on|to) me\b|\bmade (?:a|this) new "
                         r"(?:email|e-mail|account)\b",
        "action_fraud": r"\bcrypto\w*\b|\b(?:trading|investment) (?:site|app|platform|scheme)\b|\bbefore i "
                        r"can "
                        r"withdraw\b|\bbeen had\b|\b(?:a con|con artist|conm[ae]n|lottery|prize draw|release "
                        r"fee|advance fee|scam\w*|"
                        r"fraud\w*|conned|phishing|hacked|fake (?:invoice|payment|website|"
                        r"tickets?)|"
                        r"identity (?:theft|stolen)|romance scam)\b|\bcourier (?:fraud|scam|to (?:collect|"
                        r"pick up|come)|would (?:come|"
                        r"collect|call)|came|was sent|round)\b|\b(?:send|sent|sending|send round|get) a courier\b|"
                        r"\ba courier (?:to|would|came|collected|picked|was coming)\b|\b(?:paid|transferred|"
                        r"sent) (?:a deposit |£|\$)?"
                        r"[\d,.]*\b.{0,120}\b(?:never|nobody|no one|didn'?t) (?:turned up|arrived|came|"
                        r"delivered|showed)|"
                        # Paid a seller who then vanished: blocked, the advert gone, no more replies.
                        r"\b(?:paid|transferred|sent)\b.{0,160}\b(?:(?:has |have )?blocked me|(?:listing|advert|ad|"
                        r"page|profile|account|number) (?:is |has |has been |was )?(?:gone|disappeared|deleted|"
                        r"taken down|dead)|stopped (?:replying|answering|responding))\b|"
                        r"\bbank (?:won'?t|can'?t|cant|says they can'?t|will not|refused to) (?:refund|"
                        r"do anything)|"
                        r"\b(?:payments?|transactions?|purchases?) (?:on|from) my (?:\w+ )?(?:card|"
                        r"account)\b|"
                        r"\b(?:unauthori[sz]ed|cloned|copied (?:the|my) (?:card )?details)\b|"
                        # Payments the writer never made; card details typed in after a link; a text
                        # asking for a small fee to redeliver a parcel; the bank stopping the card.
                        r"\b(?:payments?|transactions?|charges?|withdrawals?) (?:that )?"
                        r"(?:i'?ve|i have|ive|i|we|we'?ve) "
                        r"(?:not|never|didn'?t|did not|dont|don'?t) (?:made|make|authori[sz]e\w*|recogni[sz]e\w*)\b|"
                        r"\b(?:clicked|pressed|tapped|opened)\b.{0,60}?\b(?:put|typed|entered|gave|filled in|input)\b"
                        r"(?: in)? (?:all )?(?:my|our|me) (?:bank |debit |credit )?(?:card|bank|account|payment|login|"
                        r"pin|details)\b|\b(?:pay|paying|paid)\b.{0,40}?\bre-?deliver\w*|\bre-?deliver\w* "
                        r"(?:fee|charge|payment)\b|\b(?:bank|they) (?:has |have |had )?(?:stopped|blocked|frozen|froze|"
                        r"cancelled|canceled) (?:my |the |our )?(?:card|account)\b|"
                        # The lure itself: a message saying an account is locked, to press a link.
                        r"\b(?:text|txt|message|msg|email|e-mail|call)\b.{0,80}?\b(?:account|card) (?:was |is |has "
                        r"been |had been |'s )?(?:locked|suspended|frozen|blocked|compromised|on hold)\b|"
                        r"(?:£ ?\d[\d,.]*|\b\d[\d,.]* ?(?:quid|pounds))\s+(?:has |have )?(?:gone|been taken|"
                        r"vanished|disappeared) (?:out of|from|to|off)\b|(?:£ ?\d[\d,.]*|\b\d[\d,.]* ?(?:quid|pounds))"
                        r"\s+gone\b(?! (?:on|into|in) )|"
                        r"\b(?:pretending|claiming|saying|said) (?:to be|it was|he was|she was|"
                        r"they were) (?:my|from)\b|\b(?:pretending|claiming|saying|said) (?:to be|he was|she was|"
                        r"they were|he'?s|she'?s) (?:a |an )?(?:detective|police ?(?:officer|man|woman)|officer|"
                        r"from the (?:bank|police|met|fraud|council|tax|hmrc))\b|"
                        r"\bmoney (?:has )?(?:gone|been taken) from my\b|\bfake (?:\w+ )?(?:profile|account|"
                        r"page)\b|"
                        r"\basking (?:my friends|people|them) for money\b|\bsend(?:ing)? (?:them )?money\b",
        "police_101/harassment": r"\b(?:shouts?|shouting|swears?|swearing) (?:abuse|things|names|obscenities) at "
                                 r"(?:me|us|my \w+)\b|\b(?:shouts?|shouting) (?:things|abuse)\b|\b(?:threw|"
                                 r"throws|thrown|"
                                 r"chucked) (?:a bag of )?(?:dog (?:mess|poo|muck|dirt)|rubbish|eggs|"
                                 r"stones) (?:over|at|onto|"
                                 r"into)\b|\bcameras? (?:\w+ ){0,4}pointing (?:straight )?(?:into|at) (?:my|our)\b",
        "police_101/report": r"\b(?:want|like|need|going|ready|decided|help me|might help me|"
                             r"would like) to report (?:it|this|"
                             r"him|her|them|what happened|the abuse|an? (?:\w+ )?(?:assault|abuse|crime|"
                             r"offence|attack))\b|"
                             r"\breport (?:it|this) (?:properly|formally|to the police)\b",
        "victim_support": r"\bis there an organisation\b|\bgive (?:him|her|them|me|us) (?:some )?support\b|"
                          r"\bbarely (?:eat\w*|sleep\w*|slept)\b|\bwon'?t go (?:to bed|out)\b|"
                          r"\b(?:can'?t|cannot|don'?t) (?:stop thinking|sleep|cope|coping)|\bnot coping\b|"
                          r"\b(?:afraid|scared|frightened) to (?:go out|leave (?:the house|home|the flat|my "
                          r"\w+))|\bpanic attacks?\b|"
                          r"\b(?:someone|somebody|anyone|anybody) to (?:talk|speak) to\b|"
                          r"\b(?:anyone|anybody|someone|somebody) (?:i|we) (?:can|could) (?:talk|speak) to\b|"
                          r"\b(?:talk|speak|chat) to (?:someone|somebody|anyone|anybody) about (?:it|this|"
                          r"what)\b|\b(?:haven'?t|have not|hasn'?t|has not|hardly|not) (?:been )?(?:slept|sleeping)\b|"
                          r"\b(?:anyone|anybody|someone|somebody) (?:who|that) (?:can|could) (?:talk|speak) "
                          r"(?:to|with)\b|"
                          r"\b(?:can'?t|cannot|cant) (?:get to )?sleep\b|\bnightmares\b|\b(?:on edge|"
                          r"shaken up|jumpy)\b|\bkeep (?:going over|reliving|replaying|thinking about) (?:it|"
                          r"what)\b|"
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
                          r"counselling)\b|\bwaiting list\b|\bflashbacks?\b|\b(?:a|see a|to a) counsell?or\b|"
                          r"\b(?:like|some|any|for|start|waiting for) counsell?ing\b|"
                          r"\b(?:can'?t|cannot|cant) stop (?:crying|shaking|thinking)\b|\bkeep (?:shaking|crying)\b|"
                          r"\b(?:need|want|like|looking for) (?:some )?support\b|\bsupport for me\b|"
                          r"\b(?:talk|speak) to (?:someone|somebody)\b",
        # Crimes that outrank a nuisance or a place named in passing (keys "agency/label": checked in
        # this order, signposting to the agency before the slash).
        "police_101/crime": r"\b(?:(?:sheep|livestock) worrying|worr(?:y|ying|ied) (?:the |my |our )?(?:sheep|"
                            r"ewes|lambs|"
                            r"livestock|cattle)|dogs? (?:\w+ ){0,7}(?:killed|savaged|attacked|in with) (?:my |"
                            r"our |the )?"
                            r"(?:sheep|ewes|lambs|livestock)|lamp(?:ing|ers)|poach(?:ing|ers)|hare cours\w*|coursing|"
                            r"(?:racing|race) each other|street racing|car meets?|doughnuts|(?:at|"
                            r"doing) (?:\d\d|seventy|"
                            r"eighty|ninety)(?: or \d\d)? ?mph|dangerous(?:ly)? driv\w*|driving dangerously|drove "
                            r"(?:straight )?at (?:him|her|me|us)|(?:has|had) (?:had )?(?:my|her|"
                            r"his) (?:bank )?card and "
                            r"(?:my|her|his|the) (?:pin|number)|never as much (?:money )?left|"
                            r"money (?:keeps )?(?:going|"
                            r"gone) missing from)\b|\b(?:can|could|will|would) (?:the police|an officer|"
                            r"a police officer|"
                            r"someone from the police) (?:come|be there|attend) with me\b",
        "local_council": r"\brev(?:s|ving)? (?:his|her|their|the)? ?(?:car|engine|motorbike)s?\b|\b(?:bins? "
                         r"(?:have |has |had )?(?:not|haven'?t|hasn'?t|weren'?t) (?:been )?"
                         r"(?:emptied|collected)|overflowing bins?|bins? (?:are )?overflowing|loud music|"
                         r"(?:blasting|blaring|pumping|booming) (?:out )?(?:music|bass)|music (?:blasting|blaring|"
                         r"booming|pumping)|bass (?:thr(?:ough|u)|coming through|vibrating)|"
                         r"noise|noisy|parties|fly[- ]?tip\w*|dumped|rubbish|litter|"
                         r"pot ?holes?|street ?lights?|"
                         r"dog fouling|parked (?:fully )?on the pavement|parking|parked across|abandoned car|"
                         r"overgrown|"
                         r"hedge|bonfire|barks|barking|extractor|public toilets|benches|bus shelters?|"
                         r"footpaths?|"
                         r"drains?|flooding|fallen trees?|gritt\w*|grit bins?|icy (?:roads?|hills?|pavements?))\b|"
                         r"\bwho is responsible for (?:repairing|fixing|"
                         r"clearing|"
                         r"cleaning|maintaining|reopening|removing)\b|\bwho (?:cleans|clears|removes|"
                         r"fixes|repairs|empties|collects)\b|\b(?:teenagers|kids|youths|young people|lads|"
                         r"groups?) (?:\w+ ){0,3}"
                         r"hang(?:ing|s)? (?:around|round)\b|\bnot (?:really )?criminal\b|"
                         r"\b(?:not|isn'?t|is not|no) (?:really |actually )?(?:a |an )?(?:crime|police matter|"
                         r"criminal matter|matter for the police)\b(?! (?:number|reference|ref))|"
                         r"\b(?:vans?|cars?|lorr(?:y|ies)|vehicles?|trucks?)\b(?: \w+){0,3} (?:right )?across (?:the "
                         r"(?:bottom|end|front) of )?(?:my|our|the) (?:drive|driveway|dropped kerb|garage|gateway)\b|"
                         r"\b(?:(?:a |the )?lower speed limit|(?:proper|pedestrian|zebra|pelican|toucan|safe|school) "
                         r"crossing|traffic (?:lights|calming|island)|speed (?:bumps|humps|cushions)|sight ?lines?|"
                         r"road layout|double yellow lines|yellow lines|road markings|dangerous junction)\b|"
                         # A holiday let as a nuisance, not as where the old police house went.
                         r"\b(?:holiday (?:let|lets|home|rental|cottage)|air ?b ?n ?b|short[- ]term (?:let|rental)s?)\b"
                         r"(?=.{0,80}?\b(?:noise|noisy|music|part(?:y|ies)|stag|hen|guests|bins|rubbish|parking|till "
                         r"\d|all night|every weekend|screaming|shouting|bottles)\b)|\b(?:party house|"
                         r"pavement parking)\b|\b(?:motorbikes?|motor bikes?|scramblers?|quad bikes?|"
                         r"mopeds?) (?:\w+ ){0,3}(?:revving|racing|roaring|noise|noisy|loud|up and down|round and "
                         r"round|wheelies)\b|\b(?:cars?|vans?|lorries|lorry|vehicles?) (?:\w+ ){0,3}on the "
                         r"pavements?\b",
        "police_101": r"\b(?:dealing|drug dealing|dealers?|suspicious|stolen|stealing|nicked|broken into|broke into|"
                      r"break[- ]?ins?|"
                      r"graffiti|hate crime|harass\w*|assault\w*|criminal damage|drink driv\w*|drunk|"
                      r"shoplift\w*|"
                      r"snatched|watching the houses|stolen goods|doorbell (?:video|footage)|cctv footage|"
                      r"dashcam)\b|"
                      r"\b(?:taken|stolen|nicked|pinched) from\b|\breported properly\b|\btheft\b|\bthie(?:f|"
                      r"ves)\b|\bst[oe]le\b|"
                      r"\b(?:cctv|camera|footage)\b.{0,60}\b(?:caught|shows?|recorded|filmed)\b|\b(?:report|"
                      r"reporting) (?:it|this|that|a crime|him|her|them)\b|\b(?:ex|he|she|they|partner) keeps? "
                      r"(?:turning|turnin|showing|coming) (?:up|round)\b|\b(?:told|warned|ordered) by (?:the )?police "
                      r"to (?:stay|keep) away\b|\bworth (?:bothering|troubling|ringing|"
                      r"calling) the police\b|"
                      r"\bcrime (?:reference )?number\b|\bwho (?:do i|should i|to) tell\b|"
                      r"\bsmashed (?:the |my |our )?(?:windows?|windscreens?) (?:on|of|in) (?:\w+ )?(?:cars?|vans?)\b|"
                      r"\b(?:keyed|scratched|slashed|egged|vandalis\w+|smashed (?:my|the|our) (?:car|van|"
                      r"windscreen|wing mirror|side window))\b|"
                      r"\bnot (?:really |rly |rlly |an? )?(?:an? )?(?:emergency|urgent)\b|"
                      r"\bnon[- ]?(?:emergency|urgent)\b|"
                      # Off-road bikes on parks and footpaths: an offence (Police Reform Act 2002 s59).
                      r"\b(?:scramblers?|off[- ]road bikes?|dirt ?bikes?|quad ?bikes?|quads|motorbikes?|mini ?motos?|"
                      r"pit ?bikes?) (?:\w+ ){0,4}(?:on|across|over|round|through|in|up and down) (?:the |our )?"
                      r"(?:rec|recreation ground|park|fields?|pitch|playing fields?|footpaths?|moor|common|green|"
                      r"woods|bridleways?)\b|"
                      r"\bhow do i (?:go about )?report|"
                      # Asking whether or how to report an old crime: "is it too late to report it?"
                      r"\btoo late to (?:report|go to the police|tell the police)\b|\b(?:report|reporting) "
                      r"(?:something|what happened|an? (?:assault|attack|crime|incident)) (?:like (?:this|that) |"
                      r"(?:that|which) happened |from )|"
                      # Dealing described, not named: callers at all hours, something handed through a
                      # car window, the smell of cannabis.
                      r"\b(?:constant |steady |endless )?stream of (?:visitors|callers|cars)\b|\b(?:cash|money|"
                      r"something|a (?:small )?(?:package|packet|bag)|packages|packets|bags) (?:being )?(?:handed|"
                      r"passed|swapped|exchanged) (?:over )?(?:through|into|in at|out of) (?:a|the) (?:car |van )?"
                      r"window\b|\b(?:hand(?:ed|ing|s)?|pass(?:ed|ing|es)?) (?:something|a (?:small )?(?:package|"
                      r"packet|bag)|packages|packets|bags|cash) (?:over )?(?:through|into|in at) (?:a|the) (?:car |"
                      r"van )?window\b|\b(?:smell|stink|stench|reek) of (?:cannabis|weed|skunk)\b",
    },
    # A victim_support signpost also needs the writer to have been a victim of crime.
    "victim_context": r"\b(?:burglar\w*|break-?ins?|broke in|intruders?|burgl\w+|attacked|assault\w*|mugged|robbed|"
                      r"robbery|victim|broken into|break-in|spik\w+|drugged|raped|rape|"
                      r"arrested|charged|remanded|in custody|convicted|"
                      r"(?:hit|hurt|hurting|beat|beating|strangled|choked|threatened) me|"
                      r"stabbed|"
                      r"(?<!not )(?<!not a )(?<!no )crime|abuse\w*|scam\w*|defrauded|hate|harass\w*|stalk\w*|"
                      r"set (?:on )?fire|"
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
                    r"\bwhat (?:do|should) (?:i|we) do\b|\bwhat (?:can|could) (?:i|we) (?:actually |even )?do\b|"
                    r"\bwhat (?:are|am) (?:we|i) (?:supposed|meant) to do\b|"
                    r"\bis there (?:anyone|anybody|someone|somebody|some \w+|"
                    r"an organisation)\b|"
                    r"\bwhich organisation\b|\bwho (?:can|could) help\b|\bnot sure who to\b|\bwhere to\b|"
                    r"\bcan (?:i|this) be reported\b|\b(?:the )?right place to (?:report|ask|come|send)\b|"
                    r"\b(?:can|should|could) (?:i|we) (?:even )?report\b|\b(?:is it|it'?s not|is it not) too late to\b|"
                    r"\bwho (?:would|should|do|can) (?:i|we) (?:speak|talk) to\b|"
                    r"\bis this something\b|\bwant to report\b|\bi want it to stop\b|\bshould know\b|"
                    r"\b(?:would|'d|want|wanted) (?:like )?the police to know\b|"
                    r"\b(?:willing|happy|prepared) to (?:give|make) "
                    r"(?:a |them a |the police a )?statement\b|\bnot (?:really |rly |rlly )?(?:an? )?"
                    r"(?:emergency|urgent)\b|\b(?:want|need|like|wanna) to (?:report|log|let (?:u|you) know)\b|"
                    r"\bis (?:this|it|that) (?:\w+ )?(?:genuine|real|legit|legitimate|a scam|from you|"
                    r"from the police)\b|"
                    r"\b(?:tell|let) me (?:know )?(?:if|whether) (?:this|it) is (?:genuine|real|from you)\b|"
                    r"\b(?:ring|ringing|ringin|call|calling|phoning) 101\b|"
                    r"\b(?:can|could|would|will) (?:the police|an officer|a police officer) (?:come|attend|be there|"
                    r"help)\b|"
                    r"\b(?:best|right|quickest) way to (?:get|send|report|pass|give)\b|\bget (?:this|"
                    r"it) to the police\b",
    # A money loss told in the first person ("sent a lad £150 ... he's blocked me"): a report of a
    # fraud as much as a question is, though not over a policy question.
    "reports_loss": r"\b(?:i'?ve|i have|we'?ve|we have|i|we) (?:been|got|was|were) (?:scammed|conned|had|ripped off)\b|"
                    r"(?:\A\s*|\b(?:i|we|i'?ve|we'?ve|just) )(?:paid|sent|transferred|lost|handed over) (?:a |an |the |"
                    r"him |her |them |some |my |our )?(?:£|\$|\d|lad|man|woman|bloke|deposit|money|cash)",
    # A crime the writer has suffered or already reported ("our engines were stolen", "we reported
    # it and got a crime number"): a report for 101 as much as a question is.
    "reports_crime": r"\b(?:my|our|the club'?s|members'?) (?:\w+ ){0,3}(?:was|were|has been|have been|got|keep "
                     r"getting) (?:stolen|nicked|taken|broken into|damaged|vandalised|smashed|killed|savaged)\b|"
                     r"\b(?:has|have|had) been (?:stolen|reported)\b|\bstolen from (?:my|our|us|me)\b|"
                     r"\bnever as much (?:money )?left\b|\b(?:i|we) (?:have |'ve )?(?:already )?reported (?:it|this|"
                     r"them|each)\b|\bhelp me to report\b",
    # Cues of a question to the Commissioner about policy, which keeps a letter with the office.
    "policy": r"\bwhat (?:the commissioner|the pcc|you) (?:thinks?|think) (?:about|of)\b|"
              r"\bask the chief constable\b|\braise (?:this|it|the matter) with\b|\bwhether (?:the "
              r"commissioner|you|your office) (?:will )?(?:funds?|commits?|supports?|"
              r"invests?)\b|"
              r"\bwhat resources\b|\b(?:could|would|can|will) (?:you|the commissioner|the pcc) (?:please "
              r")?(?:fund|commit|back|"
              r"support|increase|invest)\b|\bwhat(?:'?s| is| are)? (?:the commissioner|the pcc|your office|you|"
              r"the force) (?:is |are )?(?:actually |really |even )?doing\b|\b(?:raise|"
              r"take) (?:this|it) "
              r"(?:up )?with the chief constable\b|\bcommissioner'?s (?:position|view|policy|policies)\b|"
              r"\bis (?:it|this|that) (?:now )?(?:the )?(?:commissioner'?s|force'?s|your|police|official) policy\b|"
              r"\bwill (?:you|"
              r"the commissioner) "
              r"(?:fund|commit|back|support|increase)\b|\bprecept\b|\b(?:budget|funding|resourcing)\b|"
              r"\bcampaign\b|\bpetition\b|\bplease (?:think again|reconsider)\b|"
              # A plan for the service: closing a station, what the Commissioner intends.
              r"\b(?:proposals?|plans?|decision) to (?:close|shut|cut|reduce|merge|withdraw|axe|scrap|sell)\b|"
              r"\b(?:closure|closing|shutting) (?:of )?(?:the |our |its )?(?:\w+ )?(?:front (?:counter|desk|office)|"
              r"police station|station)\b|\bwhether (?:the commissioner|the pcc|you|your office) (?:still )?"
              r"(?:intends?|plans?|is planning|means) to\b|\b(?:intends?|plans?|going) to (?:put (?:them|it|"
              r"\w+) back|restore|reinstate|bring (?:them|it|\w+) back)\b|\bstill (?:has|have|gets?) (?:its |our |"
              r"any )?(?:pcsos?|neighbourhood officers?|a neighbourhood team|community support officers?)\b",
    # Model agency probability above which the model's agency head is trusted for correspondence
    # when no rule matched (otherwise opcc).
    "min_model_prob": 0.6,
}



# Cue tables of the match, machine_mail and members stages. {name: regex}

# An opening greeting before words that point back ("Hi, it's a blue one").
_OPENING_GREETING = r"^\W*((hi|hello|hey|morning|evening|sorry|ok|okay|dear\s+[\w.]+)\b[\s,!.:-]*)*"
# A new-topic introduction ("I'd like to report a ...", "I want to complain about ...");
# not when what follows points back ("report that it's been seen", "ask about my report").
_POINTS_BACK = (r"(?!\s+(that\s+(it|they|he|she|the\s+same)|it\s*('s|\s+has|\s+is|\s+was|\s+had)\b|back\b|"
                r"(an?\s+)?(update|progress)|on\s+my|about\s+(my|the\s+(progress|same))|my\s+(earlier|previous|original|last)))")

# The match stage: weeks-later additions (handlers/additions.py), follow-ups and new matters
# (handlers/matchtext.py). A table is searched as one: the leftmost match of any cue wins (at the
# same place, the earlier cue), as if the cues were alternatives of one regex.
MATCH: dict[str, Any] = {
    # Phrases that continue a matter already reported, wherever they stand in a message.
    "addition": {
        # "another thing", "forgot to mention", "I should have said", "just to add"
        "more_to_say": (
            r"\b(?:another\s+thing|one\s+(more|last|other)\s+thing|forgot\s+to\s+(mention|say|add|tell|"
            r"include)|(should|meant\s+to)\s+(have\s+|'ve\s+)?(mention|say|add|said)|(just|also|like|"
            r"wanted)\s+to\s+add)"
        ),
        # "a quick update", "Update: ..."
        "update": r"\b(?:(a|an|quick|further|small|latest)\s+update\b|^\W*update\b)",
        # "any news?", "still waiting", "heard anything?"
        "any_news": r"\b(?:any\s+(news|update|progress)|still\s+waiting|heard\s+(anything|nothing))",
        "happened_again": r"\bhappened\s+again",
        # "it's been seen", "my bike was found", "they turned up"
        "seen_since": (
            r"\b(?:(it|its|they|he|she|the\s+\w+|my\s+\w+)(('s|\s+has|\s+have|'ve|\s+had)?\s+been|\s+(was|"
            r"were|got|is|are)(\s+being)?)\s+(seen|spotted|found|recovered|returned|sold|listed|advertised|"
            r"caught)\b|(it|they|he|she|the\s+\w+)\s+(has\s+|have\s+)?turned\s+up)"
        ),
        # "since my last message", "since I reported it"
        "since_i_wrote": (
            r"\bsince\s+(my\s+(last|previous|earlier)|i\s+(last\s+)?(wrote|messaged|reported|emailed|"
            r"contacted))"
        ),
        # "more details about my ..."
        "more_details": (
            r"\b(more|further)\s+(details?|information|info)\s+(about|on|for|regarding)\s+(my|the|it|this|"
            r"what)"
        ),
        "remembered": r"\b(just\s+)?remembered",
        # "the car I reported", "the man I told you about"
        "what_i_reported": (
            r"\b(the|my)\s+(\w+\s+){0,2}i\s+(reported|told\s+you\s+about|mentioned|wrote\s+about)"
        ),
        # "I've now found", "I have since heard"
        "found_since": r"\bi('ve|\s+have)\s+(now|since)\s+(found|got|received|heard|spoken)",
        # Answering the office's own reply: "thanks for the number", "rang them as you said".
        "answering_us": (
            r"\b(?:thanks?(\s+you)?\s+for\s+(the|your)\s+(\w+\s+)?(number|reply|response|advice|info|"
            r"information|details|help|link|email|message|letter)|as\s+you\s+(suggested|advised|said)|(rang|"
            r"called|phoned|contacted|emailed)\s+them\b|will\s+(let\s+you\s+know|keep\s+you\s+(posted|"
            r"updated)))"
        ),
    },
    # In a short message these mean "in addition to what I told you"; in a letter they mean little.
    "short": (
        r"\b(also|too|as\s+well|as\s+promised)\b"
    ),
    # "Again" starts many first reports of a recurring nuisance: with a shared topic word only.
    "again": (
        r"\b(again|once\s+more)\b"
    ),
    # Asked for after a reported crime; new reports ask for them too, so they need a shared topic word.
    "weak": (
        r"\b((crime|incident|log|reference)\s+(number|ref|reference|no)|insurance|insurer)\b"
    ),
    # An opening that points back at something already told: "It's a blue one", "They've done it again".
    "anaphoric_opening": (
        _OPENING_GREETING + r"(it|it's|its|they|they're|theyre|they've|theyve|them|he|he's|she|she's|also|and|plus|ps|"
        r"p\.s\.|still|this\s+(is\s+)?(still|now|again|the\s+same)|the\s+same)\b"
    ),
    # A new-topic introduction ("I'd like to report a ...", "I want to complain about ..."); \A, not
    # ^: every cue is compiled multi-line, and a line start inside the text is no sentence start.
    "new_topic_intro": {
        # "I'd like to report", "I want to complain", "... and want to make a complaint"
        "want_to_report": (
            r"(\bi\s*('d|\s+would|\s+wish|\s+want|\s+need|\s+am\s+writing|'m\s+writing|"
            r"\s+am\s+contacting\s+you|'m\s+contacting\s+you|\s+am\s+emailing|'m\s+emailing)|(\A|[.!?,;]|"
            r"\b(and|but|so))\s*(want|wanna|wish|need|would))(\s+like)?\s+to\s+(you\s+)?(report|complain|"
            r"make\s+(a|an)\s+(formal\s+|new\s+)?(complaint|report|request|enquiry|inquiry|freedom)|"
            r"raise\s+(a|an)\b|lodge|ask\s+about|enquire|inquire|request\s+(a|an|the|information|copies|"
            r"details|data))\b"
        ) + _POINTS_BACK,
        # "can I report", "how do I make a complaint"
        "can_i_report": (
            r"\b(can|could|may|how\s+(do|can|should))\s+i\s+(report|complain|make\s+a\s+complaint)\b"
        ) + _POINTS_BACK,
        # "I have a question", "I've got a new complaint"
        "i_have_a_question": (
            r"\bi\s+(have|'ve\s+got|have\s+got)\s+(a|an)\s+(new\s+)?(complaint|question|query|request|"
            r"concern)\b"
        ),
        # "how do I apply", "how can I become", "how would I find out about"
        "how_do_i_apply": (
            r"\bhow\s+(do|can|would|should)\s+i\s+(apply|become|join|get\s+(a|an)|find\s+out\s+(about|how))\b"
        ),
        # "I wanted to ask how ..." (not "to ask for an update")
        "want_to_ask": (
            r"\b(want|wanted|like|need)\s+to\s+ask\s+(you\s+)?(how|about|for|whether|if)\b(?!\s+(my|"
            r"the\s+progress|(there('s|\s+is|\s+has\s+been|\s+are)\s+)?(any|an)\s+(news|update|progress)))"
        ),
        "i_am_reporting": (
            r"\bi('m|\s+am)\s+(reporting|complaining)\b"
        ) + _POINTS_BACK,
        # Someone writing for the first time asks where to go ...
        "where_to_go": (
            r"\b(who|where)\s+(do|should|can|would|could)\s+i\s+(report|contact|speak|talk|go|turn|complain|"
            r"ask)\b|\bwhat\s+(do|should|can)\s+i\s+do\b|\b(do|should)\s+i\s+(report|complain)\b|"
            r"\bwho\s+(sorts|deals\s+with|handles|is\s+responsible|can\s+help)\b|"
            r"\bis\s+this\s+the\s+right\s+(place|address|person|department)|\bis\s+there\s+(some|an|"
            r"any)\s+(organisation|organization|charity|service|group|support)\b"
        ),
        # ... or says who they are.
        "who_i_am": r"\bmy\s+name\s+is\b|\bi('m|\s+am)\s+(a|an)\s+\d+|\bi('m|\s+am)\s+\d+\b",
        # "I am writing about ..." (not "about my earlier email")
        "writing_about": (
            r"\b(writing|contacting\s+you|emailing)\s+(to\s+you\s+)?(about|regarding|concerning)\b(?!\s+(my|"
            r"the)\s+(earlier|previous|original|last|same|report|complaint|case|request|e-?mail|message))"
        ),
    },
    # A question about the matter already open ("who is dealing with this?", "anything else I need to do?").
    "back_reference": {
        "this_or_that": r"\b(?:this|that)\b",
        "anything_else": r"\b(?:anything\s+else|any(thing)?\s+(more|further))\b",
        "my_case": r"\bmy\s+(case|report|complaint|crime|reference)\b",
        "the_case": r"\bthe\s+(officer|case|report|investigation)\b",
    },
    # An FOI or subject access request: a new request, not an addition to another matter.
    "foi_request": {
        "freedom_of_information": r"freedom\s+of\s+information|\bfoi\b",
        "subject_access": r"subject\s+access\s+request",
    },
    # Someone new doing something: the start of another incident, not more about the last one.
    "new_incident": {
        # "someone has smashed", "a man came", "some kids were"
        "someone_did": (
            r"\b(someone|somebody|a\s+(man|woman|guy|lad|group|gang|van|car)|some\s+(kids|lads|youths|men|"
            r"people))\s+(has\s+|had\s+|just\s+)?(\w+ed|stole|broke|took|threw|hit|came|tried|smashed|set|ran|"
            r"drove|kept|went|was|were|is|are)\b"
        ),
        # "there was a ..."
        "there_was": r"\bthere\s+(was|were|is|are|has\s+been)\s+an?\b",
        # "my car was stolen", "our shed has been broken"
        "my_thing_was": (
            r"\b(my|our)\s+(\w+\s+){0,2}(was|were|got|has\s+been|have\s+been)\s+(stolen|broken|smashed|"
            r"damaged|vandali[sz]ed|keyed|taken|nicked|burgled|hacked|attacked|assaulted|scammed)\b"
        ),
    },
    # "Further to my email", chasers: the writer says this continues an earlier contact.
    "followup": {
        # "further to my email", "following up on my letter"
        "further_to": (
            r"\b(?:further\s+to\s+my|following\s+(up\s+)?(on\s+)?my|follow(ing)?[\s-]up\s+(on|to))"
        ),
        # "I wrote to you last week", "my earlier email"
        "i_wrote": (
            r"\b(?:i\s+(wrote|emailed|e-mailed|contacted|messaged|sent)\s+(to\s+)?(you|your\s+office|in|on|last|"
            r"the\s+(commissioner|pcc|office|commissioner'?s\s+office))|"
            r"my\s+(earlier|previous|last|original)\s+(e-?mail|message|letter|complaint|request))"
        ),
        # "still not heard", "haven't had a reply"
        "not_heard": (
            r"\b(?:still\s+(not\s+)?(haven'?t\s+)?(heard|had|received|waiting)|(haven'?t|have\s+not|"
            r"not)\s+(yet\s+)?(heard|had\s+a\s+reply|received\s+a\s+reply))"
        ),
        # "any update?", "chasing"
        "any_update": r"\b(?:any\s+(update|news|progress)|chasing)",
        # "Me again about the Focus", "it's me again": the same writer carrying on.
        "me_again": r"(?:^|[.!?]\s+|\b(?:hi|hello|hiya|hey)[,!.]?\s+)(?:it'?s\s+|its\s+)?me\s+again\b",
        # "to clarify my ...", "in addition to my ...", "just to add", "regarding my email of ..."
        "adding_to": (
            r"\b(?:to\s+clarify\s+my|in\s+addition\s+to\s+my|just\s+to\s+add\b|re(garding)?\s+my\s+(e-?mail|"
            r"message|complaint|"
            r"request|letter)\s+of)"
        ),
        # "is anyone actually reading these?"
        "anyone_there": r"\bis\s+any(one|body)\s+(actually\s+)?(reading|dealing|there|looking)",
        "as_i_said": r"\bas\s+(i\s+)?(mentioned|said)\s+(before|earlier|previously)",
        # "heard nothing", "no reply yet"
        "no_reply": r"\b(?:(heard|had)\s+nothing|no\s+(reply|response|answer)\s+(yet|so\s+far))",
        "thanks_for_reply": r"\bthank(s|\s+you)\s+for\s+(the|your)\s+(reply|response|answer|acknowledge?ment)",
        "hello_again": r"\b^\s*(hello|hi|dear\s+\w+)\s+again\b",
        "update_on_my": r"\b(update|news)\s+on\s+my",
        "you_asked_for": r"\byou\s+(asked|requested)\s+(me\s+)?for",
    },
    # The writer says this is a separate matter from anything they wrote before.
    "new_matter": {
        # "something completely different", "a separate matter"
        "something_different": (
            r"\b(?:(something|a\s+matter|an\s+issue)\s+(completely\s+|entirely\s+|totally\s+)?(different|"
            r"unrelated|separate)|(completely|entirely|totally)\s+(different|unrelated|separate)|(a|another|"
            r"an?\s+entirely)\s+(separate|different|new|unrelated)\s+(matter|issue|complaint|subject|request|"
            r"problem|query))"
        ),
        # "not related to my ...", "nothing to do with my ..."
        "not_related_to_my": (
            r"\b(?:not\s+(related|connected)\s+to\s+my|nothing\s+to\s+do\s+with\s+my|unrelated\s+to\s+my)"
        ),
        # "unrelated to the earlier email"
        "unrelated_to_the": (
            r"\b(unrelated|not\s+related|not\s+connected|nothing\s+to\s+do)\s+(to|with)\s+(the|that|this|your|"
            r"our)\s+((earlier|previous|last|original|other|first)\s+)?(e-?mail|message|letter|complaint|"
            r"request|case|query|report)"
        ),
        "on_another_matter": (
            r"\bon\s+(a\s+(separate|different|unrelated)|another)\s+(matter|note|subject|topic)"
        ),
        # "this is not about my complaint"
        "not_about_my": (
            r"\bthis\s+(is\s+not|isn'?t|is\s+nothing)\s+(about|to\s+do\s+with)\s+my\s+((earlier|previous|last|"
            r"original)\s+)?(e-?mail|message|letter|complaint|request|case|report)"
        ),
    },
    # In the opening (subject and first lines) a bare "Separate matter:" or "Unrelated, but" says the same.
    "new_matter_opening": {
        "separate_matter": (
            r"\b(separate|unrelated)\s+(matter|issue|question|query|subject|topic|request|thing|point|"
            r"problem)\b"
        ),
        "separate_from_my": (
            r"\b(separate|apart)\s+from\s+my\s+((earlier|previous|last|other|first)\s+)?\w*\s*(e-?mail|"
            r"message|letter|complaint|request|case|query|report)\b"
        ),
        "different_matter": (
            r"\bdifferent\s+(matter|issue|subject|topic)\b|\banother\s+(matter|subject|topic)\b"
        ),
        # "Unrelated, but ...", "Also, quickly, unrelated: ..."
        "unrelated": r"^\W*(also\W+)?(quick(ly)?\W+)?unrelated\b",
        # "to change the subject", "off-topic"
        "change_of_subject": r"\bchang(e|ing)\s+(the\s+)?subject\b|\boff[\s-]topic\b",
    },
    # A writer sending the campaign's letter on in a line of their own (handlers/campaigns.py): with
    # the campaign's subject, a copy in other words or cut short is still a copy.
    "sends_the_letter": {
        # "what the letter says", "as the email says"
        "what_the_letter_says": r"\b(?:what the (?:letter|email|petition) says|as the (?:letter|email) says)\b",
        "add_my_name": r"\b(?:add|put) my name\b",
        "agree_with_it": r"\bi agree with (?:every word|(?:this|the|that) (?:letter|email|campaign|petition))\b",
        "support_it": r"\bi (?:support|back) (?:this|the) (?:campaign|petition|letter)\b",
        "same_as_everyone": r"\bsame as (?:everyone|everybody|the others)\b",
        "signing_it": r"\bsign(?:ing)? (?:this|the) (?:letter|petition)\b",
        "handing_in": r"\b(?:enclose|hand(?:ing)? in|present(?:ing)?|submit(?:ting)?) (?:our|the) petition\b",
        "for_the_campaign": r"\bon behalf of the (?:[\w'-]+ ){0,4}campaign\b",
        # "I am forwarding, as they asked, the letter below": a cover note above a forwarded copy
        "forwarding_it": r"\bforward(?:ing|ed)?\b[^.\n]{0,160}\b(?:the|this|their|our) (?:letter|petition)\b",
    },
    # Someone written for from a new address has been in touch themselves (handlers/named.py):
    # "he emailed you on Sunday about PC Dobson", "her complaint".
    "they_wrote": {
        "wrote_to_you": r"\b(?:he|she|they)(?: has| have|'s)? (?:wrote|written|emailed|e-mailed|contacted|messaged|"
                        r"complained|rang|phoned|sent)\b",
        "their_letter": r"\b(?:his|her|their) (?:complaint|email|e-mail|letter|message|case|report)\b",
    },
}

# Machine mail (handlers/machine_mail.py): subjects of automatic messages and read receipts. The
# subject cues match at the start of the subject only.
MACHINE_MAIL: dict[str, Any] = {
    # Subjects that only auto-responders and mail servers write, at the very start of the subject.
    "subject": {
        "auto_reply": (
            r"^\s*(?:automatic reply|auto[- ]?reply|auto[- ]?response|autosvar|abwesenheitsnotiz|"
            r"réponse automatique)\b\s*(:|\(|-|$)"
        ),
        "out_of_office": (
            r"^\s*out of (the )?office( (auto[- ]?)?reply| notification| message)?\b\s*(:|\(|-|$)"
        ),
        # A DMARC aggregate report (RFC 7489 12.2.4): "Report domain: X Submitter: Y Report-ID: Z".
        "dmarc_report": r"^\s*report domain:\s*\S+\s+submitter:",
        "bounce": (
            r"^\s*(?:undeliverable( mail)?|undelivered mail|delivery (status notification|failure( notification)?|"
            r"has failed|delayed|notification)|mail delivery (failed|failure|subsystem|warning)|returned mail|"
            r"failure notice|message not delivered|non[- ]?delivery report|mail could not be delivered|"
            r"delivery status notification \((failure|delay)\)|warning: could not send message( for past \d+ "
            r"hours)?)\b\s*(:|\(|-|$)"
        ),
    },
    # "Read:" is also how a person might start a subject ("Read: my complaint"), so it needs a
    # receipt phrase in the text as well.
    "receipt_subject": (
        r"^\s*(read|not read|read receipt|return receipt)\s*:"
    ),
    "receipt_text": (
        r"\b(was read on|has been read|was deleted without being read|read receipt|return receipt)\b"
    ),
    # Wording only mail servers write, in the opening lines of a message (handlers/bounces.py):
    # a bounce even without its standard headers. Searched as one: the leftmost phrase is recorded.
    "bounce_wording": {
        "delivery_software": r"\bthis message was created automatically by mail delivery software\b",
        "mail_system": r"\b(?:this is the mail system at host|this is the (?:qmail-send|postfix) program)\b",
        "wasnt_able": r"\bi'm afraid i wasn't able to deliver your message\b",
        "failed_to_reach": (
            r"\b(?:delivery has failed to these recipients or groups|"
            r"your message did not reach some or all of the intended recipients)\b"
        ),
        "had_errors": r"\bthe following (?:addresses|recipients?) had (?:permanent fatal|delivery) errors\b",
        "not_delivered": (
            r"\b(?:your message|the message)(?: with subject:? [\s\S]{0,200}?)? (?:could not|cannot|was not) be "
            r"delivered to (?:the following|one or more) recipients?\b"
        ),
        "delivery_failed": r"\bdelivery to the following recipients? (?:failed|has been delayed)\b",
        "advisory": r"\b(?:this is an advisory-only email|has been postponed due to a full mailbox)\b",
        "unable_to_deliver": r"\bunable to deliver (?:your )?message to the following\b",
        "original_received": r"\bthe original message was received at [\s\S]{0,80} from\b",
        "unknown_user": (
            r"\b(?:user|recipient) (?:unknown|not found|not listed in (?:the )?(?:domino|public name and address) "
            r"(?:directory|book))\b"
        ),
        "remote_error": r"\b(?:remote host said: [45]\d\d|smtp error from remote (?:mail server|server))\b",
        "addresses_failed": r"\bpermanent error\. the following address\(es\) failed\b",
    },
    # Wording only auto-responders write, in the opening lines of a message: an automatic reply
    # sent without Auto-Submitted or any other header that says so. Searched as one.
    "autoreply_wording": {
        "generated": r"\bthis (?:is an?|e-?mail|message|response|reply) (?:is |was |has been )?(?:an? )?"
                     r"(?:automatically[- ]generated|auto[- ]?generated|automated|automatic|computer[- ]generated|"
                     r"system[- ]generated) (?:e-?mail|message|response|reply|acknowledge?ment|notification)\b|"
                     r"\bthis (?:e-?mail|message|response|reply) (?:is|was|has been) (?:sent|generated) "
                     r"automatically\b",
        "unmonitored": r"\b(?:this|the) (?:e-?mail )?(?:mailbox|inbox|e-?mail address|address) is not monitored\b|"
                       r"\bplease do not reply (?:to )?(?:this|to this) (?:e-?mail|message|address|mailbox)\b"
                       r"[^.\n]{0,40}\b(?:automat\w+|not monitored|unmonitored|cannot be answered|will not be read)",
        "out_of_office": r"^\s*(?:(?:hello|hi|dear \w+|thank you for your (?:e-?mail|message))[,.!]?\s+)?"
                         r"i(?:'m| am) (?:currently )?(?:out of (?:the )?office|on (?:annual )?leave|away from "
                         r"(?:the|my) (?:office|desk)) (?:until|till|from|and will (?:be|have|return)|with (?:limited|"
                         r"no) access|returning)\b",
    },
    # A warning that the far end is still trying: nobody is unreachable yet (a bounce's addresses
    # are then not recorded as failed).
    "delay_wording": r"\b(?:delayed|postponed|will (?:continue to |keep )?(?:re)?try|warning|temporar)",
}


# Member correspondence (handlers/members.py): sign-off cues, searched in the signature and the
# last lines of the message only, never in the body ("I asked my councillor").
MEMBERS: dict[str, Any] = {
    # Sign-off lines of elected members and their staff, first match wins. {name: regex}
    "signature": {
        "member_of_parliament": r"\bMember of Parliament\b",
        "mp_for": r"\bM\.?P\.? for [A-Z]",
        "member_of_the_senedd": r"\bMember of the Senedd\b",
        "ms_for": r"\bM\.?S\.? for [A-Z]",
        "aelod_or_senedd": r"\bAelod o'r Senedd\b",
        "as_dros": r"\bA\.?S\.? dros [A-Z]",
        # A sign-off line that starts with the title: "Cllr Jane Doe", "Councillor for Netherby ward".
        "councillor_line": r"^\s*(?:Cllr|Councillor|Cynghorydd)\.? (?:for )?[A-Z]",
        "member_staff": r"\b(?:case ?worker|parliamentary assistant|office manager|constituency (?:manager|officer|"
                        r"assistant))\b[^\n]{0,40}\b(?:MP|MS|AS)\b",
        "member_staff_cy": r"\b(?:gweithiwr achos|swyddog etholaeth)\b",
        "house_of_commons": r"\bHouse of Commons\b",
        "senedd_cymru": r"\bSenedd Cymru\b",
    },
    # At a council's domain, where officers write too, the title anywhere in the sign-off is enough.
    "councillor": {
        "councillor": r"\bCouncillor\b",
        "cllr": r"\bCllr\b",
        "cynghorydd": r"\bCynghorydd\b",
        "ward_member": r"\bward member\b",
        "aelod_ward": r"\baelod ward\b",
    },
}


LANGUAGE: dict[str, Any] = {
    # Welsh when at least this share of the letters is in passages lingua reads as Welsh...
    "min_share": 0.5,
    # ... or when its confidence that the whole text is Welsh reaches min_confidence (0..1) and
    # the Welsh passages hold at least confident_share (bilingual mail, Welsh half first).
    "min_confidence": 0.95,
    "confident_share": 0.3,
    # Texts with fewer letters are not judged ("Diolch" alone says little); longer ones are cut.
    "min_letters": 12,
    "max_chars": 4000,
    # Lingua reads only a text holding at least one of these: words of everyday Welsh that English
    # mail hardly uses, and the letters only Welsh writes. A text with none of them cannot be a
    # third Welsh, so the detector (its models take about 280 MB and 4-5 ms a letter) is never
    # asked, nor loaded, for it.
    "welsh_words": (r"(?i)(?:[ŵŷ]|\b(?:yn|yng|ym|mae|maen|wedi|gyda|efo|hefyd|ddim|dim ond|roedd|oedd|sydd|sy|"
                    r"eich|chi|chdi|ti|fi|ni|nhw|fe|fo|rwy|rydw|rydyn|dw|dwi|dach|ydw|ydy|ydych|yw|hwn|hon|"
                    r"rhaid|heddlu|diolch|iawn|cael|gwneud|mynd|fy|dy|hyn|hynny|yma|yna|oes|nid|nad|bydd|"
                    r"byddai|gallwch|gennych|gennym|gen|helo|shwmae|sut|beth|pam|pryd|ble|pwy|angen|eisiau|"
                    r"isio|moyn|plis|bore|nos|heno|heddiw|ddoe|yfory|cymorth|mewn|allan|dros|drwy|trwy|wrth|"
                    r"rhwng|i'r|a'r|o'r|â|ôl)\b)"),
}

# Welsh cues (handlers/vocab_cy.py) join the same tables: urgency and signposting work on Welsh mail.
from handlers import vocab_cy  # noqa: E402

vocab_cy.lay_into(URGENCY, CLASSIFY, SIGNPOST)
