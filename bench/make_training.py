"""Generate handlers/data/training.jsonl: fictional, varied triage examples (never corpus text).

Run: .venv/bin/python bench/make_training.py  (deterministic; seed fixed)
Each example: {"text", "category", "agency", "urgent"}. Areas, towns, forces and people are invented
and deliberately unlike any one real or corpus area, so the model learns the kind of request, not names.
"""

from __future__ import annotations

# ruff: noqa: E501  (example texts are data: one template per line reads best)
import json
import random
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "handlers" / "data" / "training.jsonl"
R = random.Random(20260)

AREAS = [
    ("Northmarch", ["Aldbury", "Coldwell", "Fenstowe", "Ravenby"], "Northmarch Police"),
    ("Lowmoor", ["Brackley Heath", "Dunmere", "Sallowfield", "Tarnside"], "Lowmoor Constabulary"),
    ("East Carrow", ["Carrowby", "Elmhurst", "Greywater", "Pendle Cross"], "East Carrow Police"),
    ("Hallamshire Vale", ["Ashgrove", "Hobbs End", "Millbeck", "Stanwick"], "Hallamshire Vale Police"),
    ("Severnmouth", ["Brynmawr Cross", "Llanfarrow", "Porthcoed", "Tregaron Bay"], "Severnmouth Police"),
    ("Thornshire", ["Bishops Lydd", "Crowmarsh", "Little Havers", "Wendle"], "Thornshire Constabulary"),
]
FIRST = ["Alan", "Priya", "Gareth", "Marta", "Denise", "Tariq", "Hollie", "Oluwaseun", "Gwen", "Stuart",
         "Maureen", "Callum", "Aisha", "Piotr", "Bernadette", "Rhys", "Leanne", "Vikram", "Nadia", "Colin",
         "Ffion", "Dominic", "Yvonne", "Kieran", "Jasmine", "Terry", "Mei", "Hamish", "Rosa", "Ade"]
LAST = ["Whitcombe", "Ogunleye", "Barraclough", "Szymanski", "Heathcote", "Rahman", "McAllister", "Pugh",
        "Featherstone", "Kowalczyk", "Armitage", "Begum", "Lloyd-Evans", "Tranmere", "Okonkwo", "Dempsey",
        "Haworth", "Sandhu", "Penrose", "Garvey"]
STREETS = ["Larkspur Avenue", "Quarry Lane", "Wellington Terrace", "Bridle Way", "Copse Road", "Tannery Walk",
           "Moorgate Street", "Sycamore Close", "Ferry Road", "Kingfisher Drive", "Abbey Row", "Station Approach"]


def pick(xs: list[str]) -> str:
    return R.choice(xs)


def area() -> tuple[str, str, str]:
    name, towns, force = R.choice(AREAS)
    return name, R.choice(towns), force


def person() -> str:
    return f"{pick(FIRST)} {pick(LAST)}"


def wrap(body: str, formal: bool | None = None) -> str:
    """Add a greeting and sign-off in a random register."""
    if formal is None:
        formal = R.random() < 0.55
    who = person()
    if formal:
        greet = pick(["Dear Commissioner,", "Dear Sir or Madam,", "Dear Sir/Madam,", "To whom it may concern,",
                      "Dear Police and Crime Commissioner,", "Dear Ms Commissioner,", "Dear Mr Commissioner,"])
        close = pick(["Yours sincerely", "Yours faithfully", "Kind regards", "Regards"])
        return f"{greet}\n\n{body}\n\n{close},\n{who}"
    greet = pick(["Hi,", "Hello", "Hiya", "Morning,", "", "Hi there", "Good afternoon,"])
    close = pick(["Thanks", "Cheers", "Thanks in advance", "", "Many thanks"])
    return f"{greet}\n{body}\n{close}\n{who.split()[0]}".strip()


def textspeak(s: str) -> str:
    """Lower-case, drop some punctuation and apostrophes: a phone message."""
    s = s.lower().replace("'", "").replace(",", "")
    for a, b in (("you", "u"), ("please", "pls"), (" are ", " r "), ("tonight", "2nite")):
        if R.random() < 0.4:
            s = s.replace(a, b)
    return s


Gen = Callable[[], str]
EX: list[dict[str, object]] = []


def add(cat: str, agency: str, gens: list[Gen], n: int, urgent: bool = False, chat: float = 0.2) -> None:
    for _ in range(n):
        text = R.choice(gens)()
        if R.random() < chat:
            text = textspeak(text.split("\n\n")[1] if "\n\n" in text and text.count("\n\n") >= 2 else text)
        EX.append({"text": text, "category": cat, "agency": agency, "urgent": urgent})


def t(fmt: str) -> Gen:
    """A template with {town}, {force}, {area}, {street}, {name}, {n}, {year} slots."""

    def gen() -> str:
        a, town, force = area()
        return fmt.format(town=town, force=force, area=a, street=pick(STREETS), name=person(),
                          n=R.randint(2, 40), year=R.choice(["2019", "2021", "2022", "2023", "2024"]))

    return gen


def w(fmt: str, formal: bool | None = None) -> Gen:
    g = t(fmt)
    return lambda: wrap(g(), formal)


# --- correspondence -> opcc: views, policy, precept, marketing, thanks, invitations ---------------
OPCC = [
    w("Every year the policing element of my council tax goes up and every year we see fewer officers in {town}. I would like a breakdown of where this year's increase is going before I am asked for more."),
    w("I want to know what the Commissioner thinks about neighbourhood policing in {town}. The beat manager we had for years has moved on and no one has replaced her."),
    w("Our enquiry office in {town} now opens for three hours a week. How does the Commissioner justify the rise in the police precept when services keep shrinking?"),
    w("Please can the Commissioner put more money into the rural crime team? Machinery and livestock thefts around {town} are costing farmers a fortune and the team is stretched thin."),
    w("Parents at our school are worried about young people carrying blades after a fight near the leisure centre. Will the Commissioner invest in more youth diversion and mentoring in {town}?"),
    w("My father died in police custody in {year}. I am not reopening that now, but I would like to know what the Commissioner is doing to make sure custody staff are trained to spot medical emergencies."),
    w("A close friend was killed on the {town} bypass by a speeding driver in {year}. I want to ask whether the Commissioner will fund more average speed cameras on that road."),
    w("We were burgled some years ago and the investigation was excellent. I understand the burglary team is being merged into general CID and I would ask you to keep a specialist unit."),
    w("I want to say thank you to the officers who recovered my stolen work van within a day and returned my tools. Could you pass on my thanks to the {town} team?"),
    w("Please pass on our gratitude to PC {name}, who gave a brilliant talk on online safety at our scout group in {town}. The children loved it."),
    w("I'd like to volunteer as a police support volunteer in {town}. Does the force take volunteers for front desk or admin work, and how do I apply?"),
    w("Is there a volunteer cadet unit near {town}? My son is 14 and keen to learn about policing. Does the Commissioner fund cadets?"),
    w("Our neighbourhood watch would like to invite the Commissioner to speak at our autumn meeting in {town} village hall about policing priorities."),
    w("As a county councillor for {town} I am passing on residents' concerns about vans racing along {street} at night. I'd be grateful if the Commissioner would raise traffic enforcement with the Chief Constable."),
    w("{town} Parish Council discussed policing at its last meeting and asked me, as clerk, to request a meeting with the Commissioner about response times in outlying villages."),
    w("I hear the number of community support officers may be reduced. Ours in {town} checks on the elderly residents in our sheltered housing every week. Please keep them."),
    w("Please fund a dedicated rural crime van for {area}. I am asking you to make rural policing a priority in the next budget and to meet farmers to hear why it matters."),
    w("We urge the Commissioner to keep the mounted section, which is loved by the public and invaluable at big events. Please do not let it be disbanded."),
    w("Please stop the sale of the old police house in {town}. It could be used as a community police base rather than sold off to developers."),
    w("We, the residents of {street}, {town}, ask the Police and Crime Commissioner to fund CCTV at the entrance to our estate. We have signed this letter together."),
    w("What is the Commissioner's plan to reduce violence against women and girls in {area}? I would like to see how much is spent on prevention in schools."),
    w("How can a member of the public ask a question at the Commissioner's next accountability board? I want to ask about how long emergency calls take to answer."),
    w("When is the Commissioner next holding a public surgery near {town}? I'd like to raise the lack of visible policing on the high street."),
    w("What is the Commissioner's view on police using drones to monitor protests in {town}? I think it needs public debate."),
    w("Does the Commissioner support plans to move the custody suite out of {town}? Families worry about travelling to visit detained relatives."),
    w("We are a community interest company running a boxing club for young people in {town}. When does the Commissioner's next funding round open, and are we eligible?", True),
    t("Hi there,\n\nHope you're well. We provide an app that lets residents report non-urgent issues and track progress, used by several councils. Would someone from the Commissioner's team have half an hour for a demo next week?\n\nThanks,\n{name}\nAccount Director, Civiq Apps Ltd\n\nDon't want to hear from us? Reply REMOVE."),
    t("Hello,\n\nWe run penetration tests and cyber security training for public bodies. Recent attacks on councils show how exposed organisations are. Could I send your office a free security health check?\n\nBest regards,\n{name}\nSecureNorth Consulting"),
    t("Dear Commissioner,\n\nWe are a small charity offering restorative justice conferences between victims and offenders. We would love to discuss how we could support victims in {area} and whether this fits your commissioning plans.\n\nWarm wishes,\n{name}\nDirector"),
    t("Good morning,\n\nI'm a journalist with the {area} Gazette writing about police station closures. Would the Commissioner be available for a short interview or a statement by Friday?\n\nThanks,\n{name}"),
    t("Dear Commissioner,\n\nOn behalf of {town} Chamber of Trade I would like to invite you to open our new shop watch radio scheme next month.\n\nYours sincerely,\n{name}\nChair"),
    t("council tax up again for the police and i havent seen a patrol car in {town} since christmas. what am i paying for"),
    t("when is the pcc going to do something about the speeding on {street} in {town}, been asking for months"),
    w("I am passing on an email from a resident about drug litter in the park in {town}, one of many I have had. Could the Commissioner ask the Chief Constable what patrols are planned, and whether a dispersal order is possible?"),
    w("Thank you for your reply but you have not answered what I asked. I wanted to know what the Commissioner himself will do about the closure in {town}, not what the force's reasons were."),
    w("Could you clarify who decides where officers are deployed in {area}: the Commissioner or the Chief Constable? I'm confused about who to write to."),
    w("I am researching police governance for a master's degree. Would someone in the Commissioner's office be willing to answer a short questionnaire about scrutiny of the force?"),
    w("Local businesses wrote to the Commissioner two months ago about retail crime in {town} and have had no reply. What is the Commissioner going to do about shop theft?"),
    w("I am a retired police officer and frankly the precept rise is far too high for what residents get. Please explain it."),
    w("I am appalled that the Commissioner is putting up the police precept yet again. Pensioners in {town} cannot afford it. Justify it."),
    w("Disgraceful. Another increase in the policing part of council tax and still no officers in {town}. I want an explanation of where the money goes."),
    w("I'm fed up of reading about cuts to neighbourhood teams while the Commissioner's office grows. What is going on?"),
    t("absolute joke that the precept has gone up again. where is the money going, never see police in {town}"),
]

# --- correspondence -> police_101: reporting a non-emergency crime or incident -------------------
P101 = [
    w("Young men are selling drugs from a parked car behind the community centre on {street}, {town}, most afternoons. Buyers walk up to the window. How can I report this properly?"),
    w("A car with false plates has been left on {street} in {town} for a week and people come to it late at night. I suspect it's stolen. Who should I tell?"),
    w("My e-bike was taken from the rack outside the station in {town} this morning. I have the serial number and receipts. How do I report the theft?"),
    w("Someone has painted offensive slogans about Muslims on the mosque wall in {town} overnight. We want to report it as a hate incident."),
    w("My daughter has just told me that her former music tutor abused her when she was younger, around {year}. She wants to report it. How do we start?"),
    w("Something happened to me at university in {year} that I now understand was a sexual offence. I'd like to report it in writing if possible. What do I need to do?"),
    w("My ex-boyfriend keeps creating new accounts to message me after I've blocked him, and he waited outside my gym last week. I'm not in immediate danger but I want to report harassment."),
    w("Someone scratched the whole side of my car on {street}, {town}, overnight. My neighbour's camera caught them. Where can I send the footage?"),
    w("My doorbell camera shows someone trying car door handles all along {street} at 3am last night. Nothing was taken from mine. Who should I pass this to?"),
    w("A man on our road regularly drives his children around after drinking all afternoon. I'd like to report it before someone is hurt."),
    w("We run a pharmacy in {town} and the same two people have stolen from us four times this month. We want to report it and get advice."),
    w("My daughter's bag was snatched at the bus stop in {town} yesterday by a lad on a bike. She wasn't hurt. How do we report it?"),
    w("The unit next to our workshop in {town} is full of what look like stolen bikes, with new ones arriving every night. I'm happy to be contacted about it."),
    w("While walking the dog in {town} woods I found a machete and some bags of pills hidden under a hedge. What should I do about it?"),
    w("Youths keep throwing eggs and stones at our windows on {street} and yesterday a pane was cracked. Can this be reported as criminal damage?"),
    t("people selling weed out of a flat on {street} {town}, everyone knows, smell is everywhere. reported online nothing happened. who do i tell"),
    t("someone took the number plates off my car last night in {town}. how do i report that"),
    t("my garage got broken into on {street} {town}, bike and tools gone. need a crime number for the insurance"),
    w("Our allotment shed was forced open at the weekend and the mower stolen. Nobody was hurt. I need a crime reference number for the insurance. How do I report it?"),
    w("A neighbour I fell out with keeps leaving nasty notes on my car. He hasn't done anything else. I'd like the police to know."),
]

# --- correspondence -> action_fraud ----------------------------------------------------------------
FRAUD = [
    w("I booked and paid for a holiday cottage through a website that now doesn't exist. The owner stopped replying and the £900 is gone. Who do I report this to?"),
    w("My grandmother was phoned by someone saying they were from her bank's fraud team. They persuaded her to hand her bank card to a courier. Where should this be reported?"),
    w("I invested £6,000 in a trading app recommended on social media. Now the balance shows a profit but I'm told to pay a 'release fee' to withdraw. I think it's a scam. Who handles this?"),
    w("My online banking was accessed and someone set up a new payee and took £2,000. How do I report cyber crime?"),
    w("I bought a used car online and paid a deposit, but the seller and the advert disappeared. I want to report the fraud."),
    w("I clicked a link in a text about a missed parcel and entered my card details. Since then money has gone from my account. Who do I report it to?"),
    w("My uncle has been sending money to a woman he met on a dating site who keeps having emergencies. We're sure it's a romance fraud. Who can we tell?"),
    w("Someone has taken out a loan in my name using my details. I think my identity has been stolen. How do I report identity fraud?"),
    w("Two men told my neighbour in {town} that her driveway needed urgent resurfacing, took £4,000 in cash and never came back. Who should we report this to?"),
    w("A caller claiming to be from the tax office said I'd be arrested unless I paid in gift cards. I paid before I realised. Who do I tell?"),
    w("I sold a camera online and the buyer sent an email that looked like a payment confirmation but no money arrived. How do I report this?"),
    t("think i got scammed, paid £250 for a ps5 on a selling page and now the seller has blocked me. where do i report this"),
    t("my mum got a text pretending to be from the council saying she was owed a rebate, she put her bank details in and lost money. who do we report to"),
    w("Our charity paid an invoice after a supplier's email account was compromised and the bank details changed. We have lost £8,500. Which organisation handles this?"),
]

# --- correspondence -> crimestoppers: anonymous information ----------------------------------------
ANON = [
    w("I don't want to be named because they would know it was me. The flat above the takeaway on {street}, {town}, has young lads coming and going all hours and I think drugs are being sold. Can I tell someone anonymously?"),
    w("I know who torched the bins at the school last month but I'm too scared to be seen talking to the police. Is there a way to pass it on without my name?"),
    w("I want to give information anonymously. A man in {town} is selling counterfeit cigarettes from his van. It can't come back to me."),
    w("Please don't ask who I am. Children are being used to carry drugs from a house on {street}. I want someone to know but I can't be identified."),
    w("I've heard a man in {town} has a gun hidden at his mum's house but I'm frightened for my family if anyone finds out I said. How can I report it anonymously?"),
    t("not giving my name but i know whos been nicking catalytic converters round {town}. can i say without it coming back to me"),
    w("I think the nail bar in {town} is using trafficked workers who never leave the building. I can't be involved officially. Can I report this without my name?"),
    w("This is anonymous. The man in the end house is cooking up drugs in his garage. I won't be giving my details."),
]

# --- correspondence -> local_council: ASB not a crime, noise, fly-tipping, parking, highways ---------
COUNCIL = [
    w("The tenants upstairs play music at full volume until the early hours every weekend. We've tried talking to them. The police told us it's not a police matter. Who can help with noise?"),
    w("Someone has tipped a load of garden waste and old tyres in the field gateway on {street} outside {town}. Who is responsible for clearing it?"),
    w("Delivery vans park on the grass verge and the pavement along {street}, {town}, every day, churning it up. My husband uses a mobility scooter and can't get past. Who enforces this?"),
    w("There is a deep pothole on {street} in {town} and a cyclist came off last week. Who do I report it to?"),
    w("Half the street lights along {street} have been out for a month and it's pitch black walking home. Who fixes these?"),
    w("Teenagers gather on the benches outside the library in {town} every evening with speakers, leaving cans and wrappers. Nobody is doing anything illegal but it's unpleasant. Who deals with this?"),
    w("My neighbour's dogs bark for hours every day while they're out. It's been going on since spring. Can the police do anything?"),
    w("The path behind the primary school in {town} is covered in dog mess. Who is responsible for enforcement?"),
    w("A car with no number plates and flat tyres has been left outside our house on {street}, {town}, for two months. Who can take it away?"),
    w("The people behind us have bonfires every weekend burning plastic and the smoke pours into our house. Who do I complain to?"),
    w("Every match day people park across dropped kerbs and driveways on our road in {town}. Who enforces the parking?"),
    w("Trees have grown over the road sign at the junction of {street} and you can't see the give way markings. Who should cut them back?"),
    w("The bakery's delivery lorry runs its fridge unit outside my window from 4am. Who can I contact about the noise?"),
    t("someone dumped a fridge and loads of bin bags down the alley behind {street} {town} again. who clears it"),
    t("lads kicking a ball against our wall every night till 10, not criminal just noisy. who sorts this out"),
    t("neighbours dog barks all night every night cant sleep, who do i contact"),
]

# --- correspondence -> victim_support -------------------------------------------------------------
VICTIM = [
    w("Someone broke into our flat in {town} while we were on holiday. The police are investigating, but my partner and I feel unsafe in our own home now. Is there support for people after a burglary?"),
    w("I was robbed at knifepoint at a cash machine last month. The police have the case. I haven't been back to work and I jump at every noise. Who can help me?"),
    w("I was assaulted by a stranger on a night out and the trial is coming up. I'm dreading giving evidence. Is there anyone who can support me through court?"),
    w("Someone vandalised my car and left threatening notes, and the police are dealing with it. I'm anxious all the time and can't concentrate. Is there someone I can talk to?"),
    w("I was the target of racist abuse in {town} a few weeks ago. The police have been good, but I feel shaken. Is there emotional support for victims?"),
    t("was attacked outside a pub 3 weeks ago, police have it in hand but i cant get it out of my head and im not sleeping. is there a service that helps victims"),
    w("My dad was cheated out of his savings by fraudsters. It's been reported, but he is ashamed and withdrawn. Is there a support service for older victims?"),
    w("Since my shop was raided by thieves I have anxiety every time I unlock the door. The police have the case. I need help coping and advice on making the shop safer."),
    w("I was in an abusive relationship which ended last year and I am safe now, but I'd like counselling and someone to help me through the family court. Who can I contact?"),
]

# --- correspondence -> force_data_protection: subject access --------------------------------------
SAR = [
    w("I would like to see all the records {force} holds about me. I was questioned about an incident in {year} and I want to know what is on file before I apply for a visa."),
    w("Please treat this as a subject access request. I want copies of all personal data the police hold about me, including call recordings and custody records."),
    w("Could I have a copy of the information the police keep on me? I am starting a job in a school and want to check what might be disclosed."),
    w("I reported a crime two years ago and would like copies of my own statement and any notes officers made about me. How do I request my personal data?"),
    w("Under data protection law I am requesting access to my personal data held by {force}, including the body-worn video recorded when I was stopped in {town}."),
    t("how do i get my own police file? want to know what {force} has about me"),
    w("After a call-out to my address in {year} I'd like copies of the records made about me. I understand this is a subject access request. Where do I send it?"),
]

# --- complaint -> force_psd ---------------------------------------------------------------------
PSD = [
    w("I want to make a formal complaint about an officer who spoke to my teenage son in a threatening way when he was stopped on {street}, {town}, on Saturday afternoon."),
    w("I rang the non-emergency number about a stolen bike and the operator was sarcastic, said 'what do you expect us to do' and ended the call. I'd like to complain about how I was treated."),
    w("When I went into {town} police station to report lost documents, the member of staff on the desk ignored me for twenty minutes and then was rude. I want to complain."),
    w("Officers came to execute a warrant at the wrong address, my home, and damaged my front door and frightened my elderly mother. I want to complain and I want the damage paid for."),
    w("This morning I saw a police van being driven through a red light on {street} with no lights or siren. I think it should be investigated."),
    w("An officer from {force} has been sharing abusive memes about refugees on his public social media, with photos of himself in uniform. I want this investigated."),
    w("I want to complain about how {force} handled the break-in at our club. Nobody attended, the footage we offered was ignored and the case was closed in days."),
    w("I reported threats from a neighbour six times and each time officers said it was a civil dispute and did nothing. I want to complain about how my reports were dealt with."),
    w("During my arrest an officer knelt on my back long after I'd stopped resisting and I was left with bruised ribs. I'd like to complain about his conduct."),
    w("A PCSO at the summer fair in {town} laughed at me when I tried to tell her about drug dealing near the park. I want to complain about her attitude."),
    w("My brother has been stopped and searched four times in a month in {town} and nothing was ever found. We believe it's racial profiling and want to complain."),
    w("The police seized my laptop as part of an investigation six months ago and nobody will tell me when I'll get it back or reply to my emails. I want to make a formal complaint."),
    w("An officer who came to my house after a domestic incident told my neighbours what had happened. I wish to complain about this breach of confidence."),
    w("Further to my complaint about the officer who stopped me, I've now got video from a witness. Who do I send it to? No one has contacted me."),
    w("I complained a month ago about the officers who searched my house and I've heard nothing at all. Is my complaint being dealt with?"),
    t("want to complain about the cop who came to my house about the break in, he was rude and couldnt be bothered to take details"),
    t("how do i complain about a policeman, he shouted at my nan in the street in {town} for no reason"),
    w("The officer dealing with my road accident in {town} never took the witness's details and then closed the case. I'm unhappy with the service and want to complain."),
    w("We waited seven hours for officers when my vulnerable son went missing, and no one explained why. I want to complain about the force's response."),
    w("Yesterday I watched an officer in a marked car parked on the zigzag lines outside the school in {town} while he bought a coffee. Is that acceptable? I think it should be looked into."),
    w("Two officers in {town} were laughing at a homeless man and filming him on a phone outside the station on Sunday. This needs to be investigated."),
    w("An officer in uniform was smoking while driving a police car down {street} this morning, flicking ash out of the window. Surely that's not allowed."),
    w("The officer who searched me refused to give his name or number and had his camera off. I want an explanation and an apology."),
    w("I saw a policeman shove a teenager against a wall in {town} precinct for no reason I could see. I have a video. I want it looked at."),
    t("police officer swore at my son and called him a scrounger outside the shops in {town} today. not on. want it looked into"),
    w("A PCSO told my disabled father to 'stop wasting police time' when he reported his scooter stolen. I would like an apology and for this to be looked at."),
    w("The way two officers spoke to my teenage daughter outside {town} station on Friday was disgraceful. Is this how police are trained to behave?"),
    w("I'm disgusted by how the officer at the roadside treated my elderly mother after her minor accident on {street}. He shouted at her and made her cry. Not acceptable."),
    w("Officers searched my son's room last week and left it wrecked, and one of them made a joke about his disability. I want answers about their behaviour."),
    w("On Tuesday I watched an officer drive a marked car along the pavement in {town} high street to get round traffic, with pedestrians jumping out of the way. Surely that needs looking into."),
    w("An officer in {town} took my statement about my stolen car and then posted about it on his personal social media, with my registration visible. I'm not happy and I want it dealt with."),
    t("cop that came to my house about the break in was chewing gum, scrolling his phone and called me love the whole time. is that normal? not impressed"),
]

# --- complaint -> opcc_complaints: Chief Constable, review of complaint handling --------------------
OPCC_COMP = [
    w("I have received the force's final response to my complaint and I do not accept it. The investigation did not look at the evidence I gave. I would like the outcome reviewed."),
    w("My complaint letter from the force says I have the right to ask the Commissioner's office for a review if I am unhappy. I am unhappy, and I'm asking for that review now."),
    t("Dear Sir or Madam,\n\nWe are instructed by {name} regarding a complaint about officers' conduct during a search of his home in {town}. The force has found the service acceptable. Our client disputes that finding and applies for a review of the outcome.\n\nYours faithfully,\nSolicitors"),
    w("I wish to complain about the Chief Constable's comments on local radio about homeless people, which were cruel and inaccurate. I understand you deal with complaints about the Chief Constable."),
    w("I am making a formal complaint against the Chief Constable for refusing to meet bereaved families after promising to do so."),
    w("My complaint about officers has been with Professional Standards for nearly a year without a decision. I'm told the Commissioner oversees complaint handling. Please look into this delay."),
    w("I sent my review request a month ago and have had no acknowledgement. Please confirm it has arrived and is being considered."),
    w("I am dissatisfied with how Professional Standards dealt with my complaint. They never interviewed the officer's colleague who was there. I want it looked at again."),
    w("The Chief Constable has ignored repeated requests from our parish to explain the closure of the local base. I would like to complain about the Chief Constable's failure to engage."),
    w("Can the Commissioner review how my complaint against {force} was handled? It was 'resolved' without anyone speaking to me."),
    t("complained to the police about an officer months ago and still no answer, keep getting fobbed off. who checks how they deal with complaints"),
    w("Further to my request for a review, I attach the force's decision letter. Please confirm you have everything you need."),
]

# --- complaint -> police_crime_panel: the Commissioner or Deputy -----------------------------------
PANEL = [
    w("I wish to make a formal complaint about the Police and Crime Commissioner, who shared a video on social media identifying a teenager who had not been charged with anything."),
    w("I want to complain about the Deputy Commissioner, who walked out of a residents' meeting in {town} when questioned about the budget."),
    w("The Commissioner appeared at a party political rally wearing his official badge and using office staff. I believe this is improper and want to complain about the Commissioner."),
    w("Please register a complaint about the Commissioner. She has made statements about crime falling that are contradicted by the force's own figures and refuses to correct them."),
    w("I am complaining about the Deputy Police and Crime Commissioner's comments in a newspaper column, which mocked victims of anti-social behaviour."),
    w("Who do I complain to about the Commissioner personally? His remarks about asylum seekers at a public event were shameful."),
    t("want to complain about the pcc, blocked me online for asking a question about his expenses. is that allowed"),
    w("The Commissioner has still not removed the social media post I complained about. Why is it still online when I have complained about the Commissioner's conduct?"),
    w("I wish to complain about the Commissioner's use of public money for a personal trip abroad reported in the press. Please refer this to whoever handles complaints about the Commissioner."),
]

# --- foi -> force_foi / opcc_foi ---------------------------------------------------------------
FOI_FORCE = [
    w("Under the Freedom of Information Act 2000, please tell me how many vehicle thefts were recorded in {town} each year since 2020, and how many vehicles were recovered."),
    w("Freedom of Information request: how many body-worn cameras does {force} have, and how many complaints in 2025 involved footage not being recorded?"),
    w("Please provide under the FOI Act the amount {force} spent on agency staff and contractors in each of the last three years."),
    w("FOI request. How many {force} officers were investigated for sexual misconduct since 2021 and what were the outcomes?"),
    w("Under FOIA, please provide the number of times police dogs were deployed by {force} last year, by month."),
    w("I'd like to make a freedom of information request for the average time {force} took to attend emergency calls in rural areas in 2025."),
    w("Please disclose under the Freedom of Information Act the number of arrests for shoplifting in {town} in 2024 and 2025."),
    w("FOI: how many people died in {force} custody or shortly after release since 2019?"),
    w("Under the Freedom of Information Act please give the number of marked cars in the {force} fleet and their average age. If your office does not hold this please pass it to the force."),
    w("This is a request under the Freedom of Information Act: how many firearms were surrendered or seized in {area} in each of the last five years?"),
    t("foi request - how many response officers cover {town} on a saturday night and how many cars"),
    w("The force website has no FOI contact, so I'm sending this to you. Please disclose the number of hate crimes recorded by {force} in 2025 by type."),
]
FOI_OFFICE = [
    w("Under the Freedom of Information Act 2000 please provide the travel, accommodation and subsistence claims of the Police and Crime Commissioner for the last financial year."),
    w("FOI request: please provide the Commissioner's engagement diary for the last two months."),
    w("Under the FOI Act, please list every grant the Commissioner has awarded to voluntary groups since 2023, with amounts."),
    w("This is a freedom of information request. How many staff does the Commissioner's office employ, at what grades, and what did it spend on interim managers last year?"),
    w("Please provide under FOIA the cost of catering and events paid for by the Office of the Police and Crime Commissioner in 2025."),
    w("Freedom of Information request: the contracts the Commissioner has awarded for domestic abuse services since 2023, with the provider and value of each."),
    w("Under the Freedom of Information Act I request the agendas and minutes of the Commissioner's performance meetings with the Chief Constable this year."),
    w("FOI: how much has the Commissioner's office spent on marketing and surveys in each of the last two years?"),
    w("I'd like to request under FOI the register of interests of the Commissioner and the Deputy Commissioner."),
    t("foi - how much is the pcc paid, what does the deputy get, and what does the pcc office cost to run each year"),
    w("To narrow my freedom of information request about the Commissioner's grants: I only need awards above £10,000 since 2022."),
    w("Under the Freedom of Information Act, please provide the budget of the Commissioner's office and the number of people it employs."),
]

# --- officer_correspondence -> opcc ---------------------------------------------------------------
RANKS = ["PC", "Sgt", "PCSO", "DC", "Insp", "DS"]


def officer_sig() -> str:
    _a, town, force = area()
    rank = pick(RANKS)
    return (f"\n\n{rank} {R.randint(1000, 9999)} {person()}\n{town} " + pick(["Neighbourhood Policing Team", "Response", "CID", "Roads Policing Unit"]) + f" | {force}\n"
            + pick(["Classification: OFFICIAL", "OFFICIAL", "OFFICIAL-SENSITIVE", ""]) + "\n"
            + pick(["If you are not the intended recipient, please delete this message and notify the sender.",
                    "This communication is intended for the addressee only and may be monitored.", ""]))


def officer(fmt: str) -> Gen:
    g = t(fmt)
    return lambda: g() + (officer_sig() if R.random() < 0.75 else "")


OFFICER = [
    officer("Dear Commissioner,\n\nI've been a roads policing officer for nine years. I'm writing personally about the state of our patrol cars: several have over 200,000 miles and break down on shift. I'd ask you to raise fleet replacement with the Chief Constable."),
    officer("Good afternoon,\n\nOur neighbourhood team in {town} is running a bike marking and crime prevention stall at the carnival next month. Would the Commissioner be able to come along?"),
    officer("Dear Commissioner,\n\nA quick update on the burglary operation in {town} that your fund supported: 31 arrests, stolen property worth £60,000 recovered and burglaries down by a third. The team would value your recognition."),
    officer("Dear Commissioner,\n\nI work in the child protection team and wanted to thank you for funding the new video interview suite. Children now give evidence somewhere calm and it is already making a difference."),
    officer("Dear Commissioner,\n\nI'm a member of police staff in the firearms licensing office. Our backlog is now eight months and we are losing experienced staff to better-paid jobs. I hope you will look at staffing in the next budget."),
    officer("Dear Commissioner,\n\nI am a community support officer in {town}. We keep hearing rumours about restructuring and nobody has told us anything. Some honest information would really help morale."),
    officer("Hi,\n\nAs a serving officer with {force} I'm writing from my personal address because I don't feel able to raise this through my line manager. Our cells are regularly over capacity. My collar number is on request."),
    t("Dear Commissioner,\n\nI am a serving police officer in {area} (warrant number available on request). I'd like to share my concerns about how few officers are trained to drive on blue lights in {town}."),
    officer("Dear Commissioner,\n\nI'm a wildlife crime officer. We'd like to invite you on a patrol with the rural team around {town} to see poaching and hare coursing first hand."),
    officer("Dear Commissioner,\n\nAs the force lead for mini police in primary schools, I'm attaching our plan for a new unit in {town} and would be grateful for your support."),
    t("Hi, I'm a PCSO in {town}, writing from my own email. Just wanted to say the new radios funded by your office have been a huge improvement. Thank you."),
    officer("Dear Commissioner,\n\nFurther to my email last month: we've had three more weekends where {town} had only two officers on nights. Other colleagues would be happy to speak to you."),
    officer("Good morning,\n\nI'm a chief inspector in {town}. Could someone from your office attend our stop and search scrutiny panel next month? Members have asked to meet you."),
    t("Dear Commissioner,\n\nAs a special constable with {force} I give around 25 hours a month. I'd like to suggest that specials' travel costs are reimbursed, as several of us are struggling."),
    t("Dear Commissioner,\n\nI've been a PCSO in {town} for eight years and I'm writing personally, not through the force. Our team has lost three posts this year and nobody has explained why."),
    t("Hello,\n\nI've served in {force} for fifteen years and I'm writing privately. The new crime recording system crashes several times a shift and officers are losing hours re-typing statements."),
    officer("Dear Commissioner,\n\nI'm a detention officer in the {town} custody suite. Since the new contract started we have been short of staff on most nights and detainees wait hours for a medical check."),
    t("Dear Commissioner,\n\nI work in the force control room and I'm writing from home. Call volumes have doubled since the summer and we are losing colleagues every month."),
]

# --- consultation -> opcc ----------------------------------------------------------------------
CONSULT = [
    w("Please take this as my response to your consultation on the new Police and Crime Plan. Priority 1: I agree. Priority 2: more focus on road safety. Missing: support for victims of fraud."),
    w("In response to your budget consultation: I would accept a small rise in the police precept if it funds more neighbourhood officers in {town}."),
    w("Here is my response to the Commissioner's policing priorities survey. Top three for {town}: drug dealing, speeding and shop theft."),
    t("Dear Partner,\n\n{town} Borough Council is consulting on its draft Anti-Social Behaviour Strategy. The partnership would value a formal response from the Commissioner's office before the closing date.\n\nKind regards,\n{name}\nCommunity Safety Officer"),
    t("Dear Consultee,\n\n{town} Council is consulting on proposals for an alcohol-free zone in the town centre and a ban on e-scooters in the park. The Commissioner's office, as a statutory consultee, may wish to comment on the proposals.\n\nYours faithfully,\nPolicy Officer"),
    t("Dear Commissioner,\n\nThe {area} Licensing Authority is consulting responsible authorities on its cumulative impact assessment for the night-time economy. We would welcome your comments on the draft.\n\nLicensing Team"),
    t("Dear Sir or Madam,\n\nThe Ambulance Service is consulting partners on changes to its mental health response. We invite the Office of the Police and Crime Commissioner to respond to the consultation.\n\nStrategy Team"),
    w("My response to your consultation on the police estate: please keep a public front desk in {town}, even if only part-time."),
    w("This is my reply to the Commissioner's 'Your Say' budget survey. 1: Yes. 2: protect victim services. 3: explain what last year's increase paid for."),
    t("Dear colleagues,\n\nThe Youth Justice Board for {area} is consulting partners on its new prevention strategy. We would value a response from the Police and Crime Commissioner before the consultation closes.\n\nKind regards,\n{name}"),
    w("Responding to your consultation on the victims' code of practice locally: victims of stalking need better updates, and court support should be available in {town}."),
    t("Consultation response - Police and Crime Plan\n\nName: {name}\nTown: {town}\n\n1. Agree\n2. Burglary\n3. More visible patrols\n4. No further comments"),
    t("Dear Stakeholder,\n\nThe {area} Canal and River Partnership is seeking views on a draft towpath safety plan, including lighting and CCTV. We invite the Police and Crime Commissioner to submit comments by the end of next month.\n\nPartnership Officer"),
    t("Dear Commissioner,\n\nThe regional Violence Reduction Unit is running an engagement exercise on its draft response strategy and is inviting partners to share their views. The engagement period closes on the 30th.\n\nKind regards,\n{name}"),
    t("Dear colleague,\n\nThe Local Planning Authority is consulting on a new town centre masterplan for {town}, including designing out crime. Comments from the Commissioner's office would be welcome before the deadline.\n\nPlanning Policy Team"),
    w("My views for your survey on the Police and Crime Plan: 1) burglary should be a priority, 2) more officers on foot in {town}, 3) publish results every year."),
    w("Re your questionnaire about next year's police budget: I'd pick the lowest increase. Services in {town} haven't improved since the last rise."),
]

# --- urgent (emergency_999), across categories ---------------------------------------------------
URGENT_CORR = [
    t("please help my ex has just turned up at my flat and is kicking the door in, he keeps saying he'll kill me. there's a court order. cant get through on 101. im hiding in the bedroom with my son. {street} {town}"),
    t("Somebody is in my garden at this moment trying to open the kitchen door. I've locked myself upstairs. {street}, {town}. What should I do?"),
    t("I've saved up my pills and I'm going to take them tonight. I'm sorry. None of this is anyone else's fault."),
    t("my cousin just sent a message saying she's taken a bottle of tablets and goodbye. she won't answer her phone. she lives on {street} in {town}. what do i do"),
    t("My son is 14 and hasn't come home. His phone is off and a friend says he went off with some older lads in a car. Please can someone help me find him tonight."),
    t("I can't go on. I'm on the roof of the multi-storey in {town} and I'm going to jump. I just wanted someone to know."),
    w("I'm scared he will come back tonight. My partner hit me earlier and took my phone, I'm using my neighbour's. He said if I tell anyone he'll kill me. I don't know what to do."),
    t("a man with a knife is outside the takeaway on {street} {town} right now threatening people. please send someone"),
    t("my stepdad is attacking my mum right now, smashing things and she is screaming. im 11 and im hiding. pls help {street} {town}"),
    w("I'm frightened. My ex has just been let out and he's messaged me saying he's on his way to finish what he started. I'm alone at {street} in {town}."),
    t("someone is trying to break in through my back door right now, I can hear them at the lock. {town}. help"),
    t("He has locked me in the house and won't let me leave. I can only message. Please send help to {street}, {town}."),
    w("My elderly neighbour hasn't been seen for two days, her lights are on and there's no answer. I can hear her calling out faintly. I think she's fallen."),
    t("i want to end my life tonight. ive written notes to my kids. i dont see the point anymore"),
    t("two men have just bundled a woman into a van outside the park in {town}. she was screaming. it just happened, white van. please"),
    w("There's a man at my door right now saying he will hurt me if I don't open it. He's been shouting for ten minutes. I'm at {street}, {town}."),
    t("My 15 year old has gone missing this evening and left a note saying she wants to die. Her phone is off. Please help."),
    t("Sorry to message here but my brother just rang saying he's got a rope and he's going to do it tonight. He's at his flat in {town} and not answering now."),
    t("they've set fire to the car outside my house and the flames are spreading to the hedge by our front window. we're still inside. {street} {town}"),
    t("my dad has dementia and walked out of the house an hour ago in his slippers, it's freezing and dark. we've searched the streets. {town}. please help"),
    w("He keeps ringing and texting saying he's coming round later to sort me out. I've put a chair against the door and turned the lights off. I didn't know who else to contact."),
    t("theres a fight outside the club on {street} {town}, someone has been glassed and is lying on the floor bleeding. its still going on"),
    t("my neighbour is screaming for help and I can hear things being thrown. it's been going on for ten minutes. {street}, {town}"),
    w("I'm writing because I can't speak on the phone. My husband is in the next room and has said that if I try to leave tonight he will hurt the children. Please send someone quietly."),
    t("Please help, my ex is driving round and round my street and has just sent me a photo of my front door. I'm terrified. {town}"),
    t("i think my flatmate has taken something, shes not waking up properly and her lips look blue. {street} {town}"),
    t("there's a man standing in the road outside the primary school in {town} shouting that he's got a gun. kids are coming out in 10 mins"),
    t("my mum has dementia and has gone out in the night in her nightie. we can't find her anywhere and it's freezing. {town}"),
    t("My autistic son, 16, ran off after a meltdown two hours ago and isn't answering. He has no coat and it's dark. We are in {town}."),
    w("Sorry for writing here. By the time anyone reads this I'll have gone. Please tell my mum I love her and that it wasn't her fault."),
    t("dont think i'll still be here in the morning. ive had enough. i just want it to stop"),
    t("my brother is on the railway bridge in {town} saying he is going to jump. we are with him but he won't come down"),
    t("someone has just poured petrol through our letterbox and ran off. we can smell it everywhere. {street} {town}. kids asleep upstairs"),
    t("the man from number 8 is smashing our windows with a bat right now and screaming he'll get us. please come"),
    t("two lads just threatened my son with a knife at the bus stop on {street} and said they'll be waiting for him. he's hiding in the chemist"),
    w("I'm 14 and my stepdad said he is going to kill my mum when he gets home from the pub. He has hurt her before. He'll be back soon. I don't know what to do."),
    t("a man has been sitting outside my flat in his car since this afternoon. he's the one i have the restraining order against. he's watching my windows now"),
    t("there's a young girl at the station in {town}, she looks about 12, with two older men who keep grabbing her arm. she looks really scared. it's happening now"),
    t("My dad is threatening to kill himself with the shotgun he keeps for the farm. He's locked himself in the barn. {town}."),
    w("This is going to sound mad but my partner has stopped me leaving the house for three days and has taken my phone and keys. I'm on his laptop while he's asleep. Please help me."),
    t("car just hit a cyclist on {street} and drove off, he's not moving. ambulance not here yet"),
    w("Sorry to bother you. My ex-husband has just texted to say he has the kids and I'll never see them again. He's not allowed contact and he's been drinking. I don't know where he's taken them."),
    t("smell of gas and my neighbour isn't answering, she's 90 and lives alone, her door is locked. {street} {town}"),
    t("im scared he'll be back tonight, he broke the door last night and said next time it'd be me. i have nowhere else to go"),
]
URGENT_COMPLAINT = [
    w("I have complained before about how the police have dealt with my neighbour and nothing ever happens. Right now he is outside my house with a hammer saying he'll smash my head in. He's still there. I'm upstairs with the kids. I have given up on {force}."),
    w("I want to complain about how officers dealt with my reports about my ex. They said it was a civil matter. He is parked outside my house again right now and has sent messages saying tonight is the night. I am really frightened."),
    w("This is a complaint about the lack of response to my calls about the man next door. He has just threatened to burn my car with me in it and he is still in the street shouting. My kids are inside."),
]

# --- hard negatives: alarming words, not urgent -----------------------------------------------------
ALARM_OPCC = [
    w("My nephew was stabbed to death in {year}. Since then our family has campaigned for more knife crime education in schools. What is the Commissioner's knife crime strategy and how much is being spent on it?"),
    w("After the shooting in {town} last year many residents are worried about gun crime. Could the Commissioner set out what is being done to tackle firearms and gangs?"),
    w("My son took his own life in {year}. I'm writing because I believe officers need better training in mental health crises, and I'd like to know whether the Commissioner will fund it."),
    w("Domestic abuse services in {area} are oversubscribed. As a survivor, many years on, I'd urge the Commissioner to fund more refuge places. What is the plan?"),
    w("What is your office doing about the rise in violence in the night-time economy in {town}? There was a serious assault outside a club last month and parents are frightened."),
    w("I was attacked on a train in {year} and nobody helped. I'm writing to support the campaign for more transport police patrols. Will the Commissioner back it?"),
    w("Thank you to the officers who found my grandfather when he wandered off from his nursing home last week. He is safe and well now thanks to them."),
    w("Our garage was set alight by vandals in {year}. I'm writing to ask what the Commissioner is doing about arson and fire-raising in {town}."),
    w("A man was threatened with a knife outside our shop a few months ago. We want to know whether the Commissioner will fund more CCTV and patrols in {town} centre."),
    w("I lost my son to suicide some years ago. I'd like to ask whether officers get training in talking to people in crisis, and whether the Commissioner funds it."),
    w("My brother was murdered in {year}. I'm writing to ask whether the Commissioner will fund a cold case review team."),
    w("I was the victim of a violent robbery years ago and still think about it. I'd like to support the campaign for more victim services funding. Will the Commissioner commit?"),
    w("Thank you to the officers who talked my son down from a bridge last month. He is getting help now. Please keep funding the crisis team."),
    w("Knife crime is rising in {town}. As a youth worker I'd like the Commissioner to fund more mentoring and knife surrender bins."),
    w("There was a shooting in a nearby city last year and people in {town} are worried. What is the force's firearms capability and does the Commissioner think it is enough?"),
    w("I'm a domestic abuse survivor and now volunteer at a refuge. Refuges in {area} turn women away every week. Please fund more places."),
    w("Our daughter went missing overnight last week and your officers found her safe. Thank you so much to everyone involved."),
    w("I'd like to know how many people die on the roads in {area} each year and what the Commissioner is doing about dangerous driving."),
    w("Every weekend there are fights outside the pubs in {town} centre at closing time. Could the Commissioner fund more late-night patrols or street marshals?"),
    w("As a school governor I'm concerned about county lines gangs grooming pupils in {town}. What is the Commissioner funding to protect children?"),
    t("why does it take so long for police to come out? my mate was assaulted last year and waited 3 hours. the pcc should sort response times"),
    w("My mother was scammed out of thousands some years ago and never recovered emotionally. I urge the Commissioner to do more on fraud against older people."),
    w("I'd like to know how many missing children cases the force deals with each year and what the Commissioner is doing about child exploitation in {town}."),
]

# Follow-ups that say little but belong to their case's matter.
FOLLOWUP_OPCC = [t("Any update on my letter about the speeding in {town}? I've had nothing but an automatic reply."),
                 t("hello?? is anyone actually reading these"),
                 t("Just chasing my email from last week about the station closure in {town}. Has it been passed to anyone?")]

# --- urgent: a protective order or bail condition breached now; someone waiting outside -------------
URGENT_BREACH = [
    w("I'm sorry to bother you and I may be making too much of this. My former partner has a non-molestation order against him, but his car pulled up on the corner of {street} a while ago and it has been there since. He's just sitting in it. My son is asleep in his room."),
    w("I didn't want to ring and waste anyone's time. The man I have a restraining order against is stood at the end of my road in {town} and has been there since about nine. He keeps looking up at the bedroom window."),
    t("hes sat outside in his van again. hes on bail and not allowed near me. been there 25 mins. kids in bed. {street} {town}"),
    t("my ex is parked up across the road from my flat, he has a court order saying he cant come near. hes just sitting there with the engine running watching"),
    w("Apologies for emailing rather than phoning. My ex-husband is on bail with a condition not to contact me. He has just turned up and is waiting outside my front gate. I'm on my own with the baby. {street}, {town}."),
    w("I hope this is the right place. There's an injunction stopping my ex coming to my street, but for the last twenty minutes he's been sitting on the wall outside my house. He hasn't knocked. I've locked the door and I'm upstairs."),
    t("probably nothing but the guy with the restraining order is back, parked outside my work in {town} waiting for me to come out. been there an hour"),
    t("Sorry, I know you're not the police. He isn't allowed within 200 metres of me under his bail, and he's standing by the bus shelter opposite my flat right now staring at my windows."),
    w("I have a protection order against my brother-in-law. He has pulled up outside our house on {street} and is just sitting there in the dark. My husband is away and I'm here with the kids. I'm not sure what I should do."),
    w("Sorry to be a nuisance. My ex was released last month on licence and is not supposed to come to {town}. His van has been parked at the bottom of my drive since tea time tonight. I feel silly writing but I'm frightened."),
    t("not sure if im overreacting. my ex breached his order last month and now hes sat in a car down the road from mine. its been 40 mins. im alone"),
    w("This may sound dramatic. The man the court told to stay away from me is parked in the lay-by opposite my cottage outside {town} with his lights off. He's been there for over an hour. I'm by myself."),
    t("my ex isnt meant to contact me but hes outside my house now just sitting there in his car. my son is asleep. {street}"),
    w("I'm writing because I can't speak freely on the phone. My ex-partner, who has bail conditions not to come to my address, is waiting in the car park of my block. He's been walking up and down for about fifteen minutes. I've turned the lights off."),
    t("the lad im meant to be protected from by the injunction just turned up at the door, he didnt knock just stood there then went and sat in his car outside. hes still there"),
    w("Sorry if this is nothing. For the past half hour a man who is under a stalking protection order has been standing across the road from my house on {street}, {town}. He's done this before and then tried the door."),
]

# --- urgent: someone says they are on the way, with a threat or a history; often buried late -------
URGENT_ARRIVING = [
    w("Could you explain how restraining orders work and who applies for them? I'm asking today because my ex phoned a little while ago to say he's on his way and I'll be sorry I reported him. He's smashed his way in before. I'm here with my toddler."),
    w("Can you tell me whether the police can help with changing the locks after a separation? I've just had a text from him saying he's on his way over and I'd better open the door or else. He has hurt me before. It's just me and the baby at home on {street}."),
    t("quick question, can u get an injunction quickly? hes just phoned saying hes coming round tonight to sort it out, he put me in hospital last time. im on my own"),
    w("My query is about how to report domestic abuse that happened a while ago. But my partner has just rung from the pub and says he's coming home to deal with me. He's drunk and he has hit me before."),
    w("I was going to ask about support services. He has just messaged to say he's heading over to mine now and that I'll pay for calling the police. Last time he kicked the door in. I'm alone with my two boys in {town}."),
    t("my ex says hes on his way to mine now and hes going to smash the place up. he broke in last time. {street} {town}. im scared"),
    w("Dear Commissioner, I have a general question about what happens when someone breaks bail conditions. Right now my ex is on his way here, he told me on the phone ten minutes ago, and he is not allowed to come near me. He has attacked me before."),
    t("he just texted saying he'll be here in 10 mins and i know what hes like when hes drunk. he strangled me before. pls"),
    w("Sorry this isn't the proper way to do it. My ex-boyfriend rang minutes ago and says he's coming round now whether I like it or not, and I'll see what happens if I don't let him in. He's been violent before. I'm on my own."),
    w("I am writing about the delays in the family court, which have been awful. I also need to say that my ex has just said on the phone that he is driving over to mine right now and that I'll be sorry for going to the police. He has forced his way in before. My baby and I are alone."),
    t("Hi, how do I get a panic alarm fitted? Asking because my ex has just told me he's coming over tonight to get me, and he's beaten me before. I'm home alone in {town}."),
    t("he says hes coming back round in a bit to finish the argument. he hit me earlier and smashed my phone. im using my neighbours"),
]

# --- urgent: farewell or settled intent, without the stock words ---------------------------------
URGENT_FAREWELL = [
    t("This will be my last email to anyone. I've written to each of my children and the envelopes are by the front door. Tonight I end it. I'm sorry for everything."),
    t("this is goodbye. tell my mum i love her and im sorry. i wont be here in the morning"),
    w("I don't really know why I'm writing to you. I suppose I needed someone to know. I've sorted out my affairs, written to my sisters and I'm going to end it tonight. Please don't try to find me."),
    t("cant do this anymore. everyone will be better off without me. ive made my mind up"),
    t("I've took all my tablets. Sorry for the bother. I just wanted somebody to know."),
    w("By the time you read this it will be over. I've left notes for my family at home in {town}. None of this is their fault."),
    t("i cant go on any longer. ive written my goodbyes. tonight is the night"),
    w("Please pass this on to whoever needs it. This is my final email to anyone. The letters for my wife and son are in the drawer. I can't carry on any more and I've decided tonight I'll end things."),
    t("wont be around tomorrow so it doesnt matter any more. left a note for my brother. sorry"),
    t("goodbye everyone. sorry for being a burden. its better this way"),
    w("I've given away my things and said my goodbyes. There's no point going on. I'm writing from the car park by the reservoir outside {town}."),
    t("ive had enough of everything and i cant cope anymore. going to finish it all tonight when everyone is asleep"),
    w("I just want to say sorry to everyone I've let down. I won't be here much longer. I've left letters for my kids with my neighbour."),
    t("my dad has just sent us all a message saying goodbye and that we'd be better off without him. hes not answering his phone. {town}"),
]

# --- urgent: followed, watched, trapped or hiding now ----------------------------------------------
URGENT_FOLLOWED = [
    t("I might be imagining it but a van has been behind me since the junction outside {town}. I've stopped in a supermarket car park and it has pulled in a few rows back. Nobody has got out. I'm sitting in my car with the doors locked."),
    t("someones been following me since the station and theyre waiting outside the shop im in now. i dont want to go out"),
    t("theres a car that keeps circling my street and its stopped outside my house twice, the man inside keeps looking at my window. im home alone"),
    w("Sorry if this is silly. A man got off the bus at my stop and has followed me all the way along {street}. I've gone into a takeaway and he's standing outside it looking in."),
    t("im hiding in the bathroom, my partner is kicking off downstairs and smashing stuff. he said hed kill me if i called anyone"),
    t("i'm locked in the toilets at {town} station, a man has followed me from the train and is waiting outside. please"),
    w("There's a van that keeps driving past my house slowly, it's gone past six times in the last half hour and now it's parked up at the end of the road. I live alone and I'm frightened."),
    t("a group of lads have followed me off the tram and are waiting by the exit. ive gone into the pharmacy. {town}"),
    w("Not sure if I'm overreacting. A man in a grey car has been tailing me since I left the supermarket. I'm sat in my car in a car park in {town} with the doors locked and he's parked a few rows away, watching."),
    t("someone is walking up and down outside my flat looking in the windows, hes tried the door handle. im hiding upstairs with the lights off"),
    t("a man keeps following me round the shopping centre and now hes stood by the doors. i dont dare go outside. {town}"),
    w("I'm at work on my own in the shop on {street} and the customer who threatened me earlier has come back and is waiting outside. I've locked myself in the back office."),
]

# --- hard negatives: resolved emergencies, historic breaches, policy about orders -------------------
ALARM_RESOLVED = [
    w("We are so grateful to the officers who found my grandfather, who has Alzheimer's, after he wandered off at the weekend. He's safely home. Please pass on our thanks."),
    w("A big thank you to everyone who searched for my son when he went missing on Saturday night. Your officers found him safe and he is back home with us."),
    w("My mother wandered off from her care home a fortnight ago and was found within hours by your team. She is safe and well. Thank you so much."),
    w("Thank you to the officer who talked my brother down from the bridge in {town} last month. He is getting help now and we are so grateful."),
    t("just wanted to say thanks to the police who found my nan on sunday when she got lost. shes home safe now"),
    w("My ex breached his non-molestation order several times in {year}. I'd like to know what the Commissioner is doing to make sure breaches are prosecuted."),
    w("Years ago my ex-husband used to sit outside my house in his car every night and nobody took it seriously. I'd like to support the campaign for stronger stalking laws."),
    w("How long does it normally take to get a non-molestation order? My solicitor suggested one and I'd like to understand the process. I'm safe and staying with family."),
    w("Please fund more independent domestic violence advisers. When I was being stalked in {year}, an adviser helped me get a restraining order and it saved my life."),
    w("I'm writing about suicide prevention funding. Will the Commissioner fund mental health nurses in the control room? Lives will be lost if this is cut."),
    w("If the Commissioner closes the police station in {town}, lives will be lost. Please think again about this decision."),
    w("My daughter was followed home from school last term by a man in a van. He was arrested and she is fine now, but I'd like more patrols near the school."),
    w("When I was a child my stepfather would wait outside the school gates for me. I'm now an adult and I'd like to know what support there is for survivors."),
    w("My son was killed by a drunk driver on the {town} road in {year}. I'm asking the Commissioner to back our road safety campaign."),
]

# --- victim_support: emotional after-effects and asking for someone to talk to ----------------------
VICTIM_EXTRA = [
    w("We were burgled three weeks ago and the police have dealt with it, but I can't sleep and I keep going over it. Is there somebody I could talk to?"),
    t("got mugged last month, police have sorted the report but im on edge every time i go out. is there anyone i can speak to"),
    w("Somebody broke into our house while we slept. The officers were brilliant and it's all been reported, but I haven't slept properly since and jump at every noise. Is there anyone we can talk to about how we're feeling?"),
    w("After the break-in at my flat I feel anxious all the time. The police have the case. I'd like to speak to someone about it."),
    t("had my car stolen off the drive, police have it in hand but my kids are having nightmares. is there someone they can talk to"),
]

# --- police_101: a crime that has happened, not an emergency (often text-speak) --------------------
P101_EXTRA = [
    t("somebody scratched the side of my car in the night on {street}. not urgent just want to report it"),
    t("my van got broken into last night, tools gone. not urgent just need to report it"),
    t("someone smashed my wing mirror overnight in {town}, not an emergency, how do i report"),
    t("tyres slashed on my car last night outside the house. not an emergency but i want it logged"),
    t("my ex is threatening to post my private pics online if i dont pay him, ive got screenshots. hes in a different city. want to report it"),
    w("A man I met online says he will share intimate photos of me with my family unless I send him money. I have kept all the messages. Who do I report this to?"),
    t("ex says hes going to send my nudes to my work. got all the messages saved. can police do anything"),
    w("My former partner has threatened to put explicit videos of me on the internet. I have screenshots of his threats. He lives abroad. I'd like to report it."),
    t("someone egged and keyed my car on {street} {town} overnight. its not an emergency. what do i do"),
]

# --- police_101: someone or a vehicle seen hanging around lately: information, nobody at risk now ----
P101_SUSPICIOUS = [
    w("Over the past week a dark hatchback has parked at the end of our cul-de-sac in {town} most nights, and people walk up to it for a minute or two. I think it may be drug dealing. Who should I tell?"),
    w("Several evenings this month two men have sat in a car near the garages behind {street}, {town}, for an hour or so. A few sheds nearby were broken into in the spring. I just thought the police should know."),
    t("a van with no plates keeps parking up by the park on {street} in the evenings, lads come and go from it. not urgent but think someone should know"),
    w("For the last few days someone has been sleeping in a car parked outside the old pub in {town}. They haven't caused trouble, but neighbours are uneasy. Is this something to report?"),
    w("A man has been seen photographing houses on our estate in {town} on a couple of afternoons this week. It may be innocent, but after the burglaries last year we'd like it noted."),
    t("theres been a car sat outside the school gates a few mornings this week with the same bloke in it, probably nothing but who do we report it to. {town}"),
]

# --- hard negatives: protective orders and bail asked about, or breached in the past ----------------
ALARM_ORDERS = [
    w("How do I apply for a non-molestation order? My ex moved away last year and I haven't seen him since, but I'd like the protection in place before the court hearing."),
    w("In {year} my ex-partner sat outside my house night after night and the police never enforced the order. I'd like to ask the Commissioner what has changed since then."),
    w("What is the Commissioner's view on bail conditions being breached by domestic abusers? My sister's ex broke his conditions repeatedly in {year} and nothing happened."),
    w("Could you explain the difference between a restraining order and an injunction? I'm helping a friend understand her options. She is safe and staying with her parents."),
    w("I'd like to know how many breaches of non-molestation orders were prosecuted in {area} last year, and what the Commissioner is doing to improve that."),
    t("how long does a non mol take to come through? my solicitor is applying, hes not been near me for months just want to know"),
    w("Years ago a man I'd split up with used to wait outside my work every evening. I'm writing to support more funding for stalking advocates in {area}."),
    w("My restraining order runs out next month and I'd like to know whether it can be extended. He hasn't contacted me for a long time but I'd feel safer with it."),
]

# --- text-speak reports of things that have happened: nobody at risk now ---------------------------
FRAUD_TXT = [
    t("got a text off a number saying it was my daughter with a new phone, asked for money for rent. sent £600 then rang her and it wasnt her. what now"),
    t("paid a deposit for a puppy off a facebook ad and the seller blocked me. lost £350. where do i report"),
    t("someone used my card details online, 3 payments i didnt make. bank says report it. who to"),
    t("bought concert tickets off a bloke on insta, never came and hes deleted his account. is that fraud"),
]
P101_TXT = [
    t("lads selling weed outside the shops on {street} every night, cars pull up and off they go. reported online twice nothing happens"),
    t("someone nicked my bike from outside the gym in {town} this arvo. got the frame number. how do i report"),
    t("my shed got done over last night, strimmer and tools gone. not urgent but need a crime ref"),
    t("a bloke in a van parked across my drive for an hour today and swore at me when i asked him to move. want to report him"),
    t("someone threw a brick at my car window while it was parked last night, glass everywhere. nobody hurt. who do i tell"),
    t("our wheelie bins got set alight in the alley last weekend, fire brigade put it out. want it on record"),
]

# --- hard negatives: apologetic, "probably nothing" letters about everyday problems -----------------
UNDERSTATED_COUNCIL = [
    w("Sorry to bother you, it's probably nothing, but the street light outside my house has been flickering for weeks and the path is very dark. Who should I tell?"),
    w("I don't want to waste anyone's time, but there is a pothole outside my house that keeps getting bigger. Who is responsible for fixing it?"),
    t("prob nothing but theres a load of rubbish dumped by the garages on {street} again. who clears it"),
    w("Sorry to trouble you. I may be overreacting, but the bins on our street haven't been collected for three weeks and there are rats. Who do I contact?"),
]
UNDERSTATED_OPCC = [
    w("Sorry to bother you, it's probably nothing, but I haven't seen a police officer in {town} for months. Is the neighbourhood team still running?"),
    w("I didn't want to make a fuss, but I wrote about the closure of the front counter in {town} and never had a reply. Could someone let me know what is happening?"),
    t("sorry to be a pain, probably nothing, but is the pcc still doing the public meeting in {town} next week"),
]

# --- hard negatives: minutes and hours spent waiting on the phone or for officers, now over ---------
WAITING_OPCC = [
    w("Why does the 101 number take so long to answer? I rang tonight about a lost purse and after 45 minutes on hold I gave up."),
    w("I waited over an hour for someone to pick up on 101 this evening to report a stolen bike. Is the Commissioner aware how long people wait?"),
    t("been on hold to 101 for 35 mins tonight and nobody answered. whats the point of it. what is the pcc doing about it"),
    w("It took officers two hours to arrive when our shop was broken into on Saturday. I'd like to know what response times the Commissioner expects."),
]
WAITING_PSD = [
    w("I want to complain that I was kept waiting in the front office of {town} station for an hour and a half this afternoon and then told to come back tomorrow."),
    w("The officer said he was on his way to take my statement and never arrived. I waited in all day. I'd like to complain about being let down again."),
    t("rang about my stolen car, the call handler kept me on hold for 40 mins then cut me off. want to complain"),
]


# --- added after a third blind test (rambling letters, broken English, capitals, fragments, surveys) ---


def shout(g: Gen) -> Gen:
    """Capitals, no punctuation: a message typed in a panic."""
    return lambda: g().upper().replace(".", "").replace(",", "").replace("'", "")


# Urgent: a child or vulnerable adult overdue and unreachable now, with a risk (an older man, someone
# met online, no medication, dementia, dark), often asked as a question about procedure.
URGENT_OVERDUE = [
    w("How long do you have to wait before someone counts as missing? My son is 13 and should have been home from football at five. It's nearly nine, his phone is switched off and he's been chatting to a grown man on a gaming app."),
    w("Can you tell me the procedure for reporting a missing teenager? Our girl is 15, she went to town after school and hasn't come back. Nobody has seen her since half three and she's been seeing an older lad with a car."),
    t("is it too soon to report my daughter missing? shes 14, was meant to be back at 7, phone going straight to voicemail. shes been talking to some bloke on snapchat who says hes 19"),
    t("do we have to wait 24 hours? my brother is 16 and still not back from the park, its dark now and hes not answering. {town}"),
    w("Sorry if this is a silly question. My grandson, who is 12, hasn't come home from school today. His mum can't get hold of him and his friends say he got into a car with a man they didn't know."),
    w("I hope you can advise. My husband has Alzheimer's and went out for a walk after lunch. He is still not back, it's getting dark and he hasn't got his tablets with him. Do I ring someone now or wait?"),
    t("my mum has dementia and left the house this afternoon, still not home, its dark and cold. nobody has seen her since the bus stop on {street}. what do we do"),
    t("when can you report a child missing. my lad is 14 not come home he been meeting a older man from the internet who buys him stuff. phone off now. {town}"),
    w("At what point should we contact the police? My stepdaughter (15) was due back from a friend's at eight and it's gone eleven. Her phone is dead and we've found messages from a man in his thirties."),
    t("how long before police will look for someone. my sister is 17 with learning disabilities, didnt get off the college bus, nobody heard from her since lunch"),
    w("Our son is autistic and 16. He hasn't come home from college and isn't answering his phone. It's dark now and he doesn't know the area well. Is there a waiting period before we can report it?"),
    t("my 13 yr old hasnt come home, she said she was meeting a friend from online. its 10pm and her phone is off. {street} {town}"),
    w("I am writing because I don't know the rules. My niece is 14 and was expected home at six. It is now past ten, she is not answering, and her friends say she went off with some older men in a van."),
    t("meant to be home by 8 hes 12 still not back its pitch dark. friends havent seen him since school. do i just wait"),
]
# Urgent: people in physical danger at a dangerous place now (tracks, railings, water, motorway,
# a car off the road with people inside, fire, gas), whoever they are; capitals and fragments.
URGENT_PLACE = [
    t("There are two boys on the railway tracks by the {town} footbridge right now and a train is due any minute."),
    t("three kids climbing on the outside of the bridge railings over the line, trains going under, {town}"),
    t("a man is standing on the wrong side of the barrier on the motorway bridge looking down at the traffic"),
    t("car has come off the road into a ditch on the lane out of {town}, upside down, people still inside"),
    t("someone is wandering along the hard shoulder of the motorway in the dark, cars swerving round him"),
    t("a child has fallen into the canal by the lock at {town} and is clinging to the side"),
    t("smell of gas everywhere in our block on {street} and the lady at number 4 isn't answering her door"),
    t("the house across the road is on fire and I think the family are still inside {street} {town}"),
    t("group of teenagers on the roof of the old warehouse on {street}, right on the edge, pushing each other about"),
    t("a woman is sitting on the cliff edge at the headland near {town} crying and won't come back from it"),
    t("kids playing on the frozen lake in the park, the ice is cracking"),
    t("a little boy is stuck on the rocks and the tide is coming in fast around him near {town}"),
    t("lads messing about on the level crossing as the barriers come down {town}"),
    t("theres a man in the river by the weir in {town}, hes struggling in the water"),
    t("someone lying in the road on the dual carriageway near {town}, cars are having to brake hard"),
    t("fire in the flat underneath ours on {street}, smoke pouring up the stairs and we can't get out"),
]
URGENT_PLACE_SHOUT = [shout(g) for g in URGENT_PLACE]

# Not urgent: news, television, papers and social media retold in a policy question.
ALARM_MEDIA = [
    w("I saw on the news last night a teenager stabbed outside a school gate in another city, with pupils screaming and blood on the ground. Would the Commissioner back metal detectors in secondary schools here?"),
    t("watched a documentary about county lines where a lad got slashed with a machete. made me think about {town}. what is the pcc doing about knife crime"),
    w("There was a report on the telly about a woman attacked with a hammer in her own kitchen. It shook me. What is the Commissioner's plan for tackling domestic abuse in {area}?"),
    w("I read in the paper about a man who was followed home and beaten senseless by a gang. Could we have more patrols in {town} at night?"),
    t("theres a video going round facebook of a massive fight outside a club with someone lying there bleeding. does the pcc think we need more cctv in {town}"),
    w("A programme on the radio described a girl being dragged into a car by strangers. As a parent I'd like to know what the force does to keep children safe walking to school."),
    w("My wife and I watched a film about a home invasion where the family were held at gunpoint. It got us thinking: what crime prevention advice does the Commissioner fund for older residents?"),
    t("saw on the local news someone set fire to a car with a person in it. shocking. is arson going up in {area}"),
]
# Not urgent: the danger has passed and the writer is safe now; they ask for support.
VICTIM_SAFE = [
    w("My partner was charged on Monday after he attacked me. I'm safe now and staying with my mum. Is there someone who could talk to me about what happens next?"),
    t("ex was remanded in custody on friday for hurting me. im at my friends and safe. is there any support for me, i keep shaking"),
    w("The man who threatened to kill me was arrested last weekend and bailed to an address in another town. I feel safe, but I'd like support. Who can help?"),
    w("Last month my boyfriend strangled me. The police took him away and he is now in prison. I am safe, but I can't sleep and I need someone to talk to."),
    t("my husband got arrested for what he did to me and hes not allowed back. im safe with the kids at my sisters. i need someone to talk to"),
    w("I was spiked at a student night last week. I'm home and safe now, but I keep having flashbacks and the university wellbeing waiting list is two months. Is there anyone else I can talk to?"),
    t("got my drink spiked on saturday, im ok now and at my parents, but im not coping and the gp counselling wait is weeks. who can i speak to"),
    w("I was mugged on my way home on Tuesday. Physically I'm fine but I can't stop crying, and the waiting list for counselling through work is six weeks. Is there a service for victims I can contact sooner?"),
    t("attacked on a night out a fortnight ago, the police have it. im safe but cant stop thinking about it, uni counselling has a huge waiting list. need someone to talk to"),
]
# Consultation: answers sent back to the office's own survey, often as a reply or a numbered list.
CONSULT_ANSWERS = [
    t("Re: Your views on policing priorities\n\n1. Speeding\n2. More neighbourhood officers\n3. Yes\n4. Drugs near the school\n\nThanks\n{name}"),
    t("RE: Have your say on community safety\n\nThe online form kept crashing so here are my answers. Q1 anti-social behaviour. Q2 visible patrols. Q3 I'd pay a bit more for more PCSOs."),
    t("Re: Police and Crime Survey {year}\n\nMy answers to your questionnaire: 1) burglary 2) no 3) the 101 line needs sorting 4) I feel safe in the day, not at night."),
    t("answers to the commissioners priorities survey, the website wouldnt let me submit: 1 county lines 2 road safety 3 yes to a small precept rise"),
    w("I'm sending my answers by email because the survey cut me off halfway. Question 5: better street lighting. Question 6: yes, my shed was broken into. Question 7: more patrols in {town}.", False),
    t("Re: Your views - {area} Police and Crime Plan\n\nHere are my answers.\nPriority one: violence against women.\nPriority two: rural crime.\nOther comments: none."),
    t("Fw: Community safety survey\n\nSorry it's late. My answers: shop theft, speeding on {street}, more officers at weekends. I'd rather the precept stayed the same."),
    t("Re: your survey\n\n1 - drugs\n2 - yes I would\n3 - no\n4 - publish what the money is spent on"),
]
CONSULT_URGENT = [
    t("Re: Your views on policing priorities {year}\n\n1. Burglary\n2. More patrols\n3. Not sure\n4. Also my neighbour's girl, she's 14, hasn't been home since last night and her mum says she goes off with older men in cars. Phone off. I'm really worried."),
    t("Re: Have your say survey\n\nQ1 speeding. Q2 drugs. Q3 I can't answer the rest, my ex is outside my house right now shouting that he'll kill me and the kids are upstairs."),
]
# Correspondence: a caseworker for an MP, Member of the Senedd or councillor writing for a constituent.
CASEWORK_URGENT = [
    w("I am a caseworker for the local MP. A constituent who has had a complaint open with the force for over a year contacted us this morning: her neighbour has threatened to burn her house down tonight and she is too scared to stay. Please make sure this reaches the right people now."),
    w("I write from the constituency office of the Member of the Senedd. Our constituent has an ongoing complaint about how officers handled her son's case, but today she told us he has left a note saying he is going to end his life and she cannot reach him."),
    w("Constituency caseworker here. A constituent who has written to us before about a long-running complaint says her ex-partner is parked outside her house right now and has breached his bail. Could you pass this on urgently?"),
    t("Hi, I work for Councillor {name}. A resident rang us in tears: her 15 year old son hasn't come home, his phone is off and he was seen getting into a car with older men. She also has an old complaint with the force but that isn't why I'm writing."),
]
CASEWORK = [
    w("I am a caseworker in the office of the local MP. A constituent has asked when the Commissioner will publish the new Police and Crime Plan and whether rural crime will be a priority."),
    w("On behalf of our constituent, I would be grateful to know why the front counter at {town} police station now closes at lunchtime."),
    w("I write from the constituency office of the Member of the Senedd. Several constituents have raised speeding on {street}. Could the Commissioner ask the Chief Constable about enforcement?"),
]
# Complaint: an angry line about how the force handled crimes: nobody came.
ANGRY_PSD = [
    t("you lot are a joke, 3 bikes nicked off our street this month and not one copper has been to look"),
    t("police round here are useless. shed broken into twice and nobody even came out"),
    t("what a joke. car broken into, reported it, no one has bothered to come and look at the camera footage"),
    t("absolute disgrace, two burglaries on my road and not a single officer has turned up. you lot are hopeless"),
    t("third time my van has been done and nobody from the police has come. what do we pay you for"),
]
# local_council: nuisance the writer says is not a crime; holiday lets, motorbikes, pavement parking.
COUNCIL_EXTRA = [
    w("The house next door is a holiday let and every weekend a different group has parties in the garden until the small hours, leaving bottles in the road. I know it isn't a crime, but who can deal with it?"),
    t("airbnb next door has loud parties every friday and saturday, music till 3. not a crime i know but who do i go to"),
    w("Hello, I have a small café on {street}. Every evening young men on motorbikes rev very loud and cars park on the pavement so old people cannot pass. Not crime maybe, but very bad for my customers. Who I can contact?"),
    t("man on our road revs his motorbike at 6am every day. not criminal i know but its driving us mad. who do i contact"),
    t("cars parked on the pavement all along {street} every day, prams and wheelchairs cant get past. who enforces this"),
    w("The short-term let above our flat has new guests every few nights who slam doors and play music late. I don't think it's a police matter. Who should I tell?"),
    t("neighbour has a bonfire every sunday burning plastic and the smoke comes in our windows. is there anyone who deals with this"),
    t("please help me understand, in my country police do this. people leave rubbish bags in street by my shop every day. not crime maybe. who is responsible"),
    t("someone keeps dumping bin bags and an old sofa behind the garages on {street}. who clears it"),
]
# force_data_protection: a request to see one's own records, at the end of a long letter.
SAR_BURIED = [
    w("I am 91 and have lived in {town} all my life. When I was a lad the constable knew every family by name and we respected him. These days the young ones race about and you never see an officer.\n\nMy late wife always said I should write. The church and my neighbours have been very good to me since she passed.\n\nOne more thing. In 1982 I was arrested after a row at the works and kept in overnight, though nothing came of it. I would like to see whatever records the police have about me from that time."),
    w("I have written before about the parking outside the surgery and the state of the pavements, which are a danger to people like me with a stick. Nobody seems to care any more.\n\nI was also stopped by officers many years ago and I would like a copy of my file, so I can see what was written about me."),
    t("long story but i had a lot of trouble with the police when i was younger and i want to see what they wrote about me. how do i get a copy of my records"),
    w("My late father always said the police kept a file on him after the miners' strike. That is a separate matter. For myself, I would like to know what records you hold on me, as I was questioned in the nineties."),
    w("Thank you for the newsletter, which I read with interest, especially the piece about the new sergeant. I also have a request: please could I see any notes the police made about me when I was detained in {year}?"),
]
# Not urgent: dangerous places as a pattern, a policy point, a memory or something seen online.
ALARM_PLACE = [
    t("youngsters keep getting onto the railway line through a gap in the fence behind {street}. can someone get the fence mended before there's an accident"),
    w("Every summer teenagers jump off the bridge into the river at {town}. Could the Commissioner fund water safety talks before somebody drowns?"),
    t("saw a video on tiktok of lads hanging off the back of a train. is that going on round {town}? what is being done about it"),
    w("My cousin died when his car went into a river in {year}. Our family supports the campaign for crash barriers on the bends near {town}."),
    w("Thank you to the officers who got some boys off the railway line last week before a train came. They are home safe now and their parents are very grateful."),
    w("Teenagers often climb onto the roof of the closed leisure centre in {town}. It is only a matter of time before one falls. Who is responsible for securing the building?"),
    t("people always park on the hard shoulder by the services to use their phones. seems dangerous. who enforces that"),
    w("I watched a programme about people stranded by the tide on the sands. Does the force work with the coastguard around {area}, and is it funded by the Commissioner?"),
    t("the council still hasn't come back to fix the street light outside number {n} on {street}"),
    w("The officer dealing with my stolen bike hasn't come back to me in three weeks. Is anyone still looking at it?"),
    w("The neighbourhood sergeant still hasn't got back to us about the speeding on {street}. Could the Commissioner chase it?"),
    t("my husband isnt home yet, hes working late, but can i ask when the pcc surgery in {town} is"),
    t("another car ended up in the ditch on the bend outside {town} this morning, nobody hurt, that road needs gritting"),
]

# Short everyday texts: not urgent, whatever the model has learnt about short messages.
SHORT_OPCC = [t("hi"), t("hello"), t("Hello?"), t("thanks"), t("ok thank you"), t("test"), t("hi is this the pcc"),
              t("Thank you for your reply."), t("who is the commissioner"), t("what are your opening hours"),
              t("is the commissioner coming to the {town} fete"), t("how do i contact my local pcso"),
              t("got your email thanks"), t("is anyone there"), t("can i ring you instead"),
              t("can you call me back please"), t("Could someone phone me back about my letter?"),
              t("please ring me when you get a chance"), t("lost my purse in {town} today, has anyone handed it in"),
              t("parking outside the school on {street} is a nightmare"), t("please reply"),
              t("Please find attached my letter."), t("did you get my email"), t("any news?")]
SHORT_COUNCIL = [t("Street lights\nThe lights on {street} are out."), t("street light out on {street}"),
                 t("Bins not collected on {street} again"), t("pothole on {street} {town}"),
                 t("Fly tipping\nMattress dumped on {street}."), t("dog mess all over the path by the school"),
                 t("The lamp post outside number 12 {street} is flickering.")]


# --- added after the fourth and fifth blind tests (issue 13): risk without stock words, buried in
# long letters of any kind, in understatement, text-speak, non-native English and Welsh English;
# and the alarming words that are not a risk now (idiom, news, a past survived, a scam put down).
R2 = random.Random(130013)  # its own seed: the examples above keep their draws


def bury(carriers: list[Gen], passages: list[str]) -> Gen:
    """A letter about something else with one passage put in among its paragraphs (a buried line)."""

    def gen() -> str:
        text = R2.choice(carriers)()
        paras = text.split("\n\n")
        a, town, force = area()
        line = R2.choice(passages).format(town=town, force=force, area=a, street=pick(STREETS), name=person())
        at = R2.randint(1, max(1, len(paras) - 1))
        return "\n\n".join([*paras[:at], line, *paras[at:]])

    return gen


def add2(cat: str, agency: str, gens: list[Gen], n: int, urgent: bool = False) -> None:
    """Like add(), drawing from R2, with no text-speak rewrite (these examples carry their own style)."""
    for _ in range(n):
        EX.append({"text": R2.choice(gens)(), "category": cat, "agency": agency, "urgent": urgent})


# Passages of risk now, to bury in letters about something else: coercive control with a time,
# afraid to go home, a threat with its hour, a farewell, someone vulnerable not where they should be.
RISK_NOW = [
    "I probably shouldn't put this in an email, but my husband goes through my phone every night and he's taken my purse again. He said if I'm not back by six there'll be trouble, and the last time there was trouble I ended up in A&E.",
    "Sorry to add this on the end. My partner keeps my bank card and the car keys and he won't let me go to my sister's. He's due back from the pub about ten and he was in a foul mood this morning.",
    "P.S. I'm writing from the library because he reads everything on my phone. I can't go back there tonight, not after what he said he'd do to me.",
    "On a separate note, I don't feel safe at home at the moment. He's been drinking since lunchtime and keeps saying tonight I'll find out what happens when I show him up.",
    "The real reason I'm writing, if I'm honest, is that my ex is sat outside in his van again as I type. He's not supposed to come within a mile of us.",
    "Our daughter is 15 and was meant to be home from her friend's at eight. It's gone eleven, her phone is off, and her friend says she left with a man in a grey car.",
    "Mum is 84 and has dementia. She let herself out this afternoon while I was on the phone and we still haven't found her. It's getting dark and she's only got a cardigan on.",
    "I know this isn't the right address but my brother has just texted to say he's sorry for everything and he's left his dog with the neighbour. He won't answer and he isn't at his flat.",
    "I doubt I'll be around to read your reply, so please don't worry about answering. I've made my mind up about tonight.",
    "The man across the landing has just been hammering on my door again saying he'll sort me out the minute my husband goes to work. He leaves at five.",
    "I should also say my son's dad has told me he's taking the kids off me tonight and I'll never see them again. He has a car and he knows which school they're at.",
    "I'm writing this sat in my car in the supermarket car park because I daren't go home. He has smashed the bathroom door and he says he hasn't finished.",
    "Please ring rather than write back. I can't talk at home, he listens to my calls, and he's started saying he'll make sure I can never leave.",
    "My grandson is 12, is autistic and ran out of school at lunchtime. The school say he hasn't come back and it's nearly four. He doesn't know the roads.",
    "My husband has vascular dementia and drove off in the car this morning. He hasn't driven for a year and he hasn't got his glasses. Nobody has seen him since nine.",
    "I've just found out my 14 year old has gone to meet a man she's been talking to online, at the station tonight. She's already left the house.",
    "He told me this morning that if I tell anyone about the bruises he'll make sure I don't see Christmas. He's due home at six.",
    "My phone is checked every day, I'm not allowed any money of my own, and tonight he's said I'm not leaving the house again. I'm writing this on my son's laptop while he's in the shower.",
    "My dad has been drinking all day and has just said he's driving round to my mum's to end this. He's got the car keys.",
    "My flatmate has locked herself in the bathroom and says she has a blade. She's stopped answering me through the door.",
    "He's outside the window right now shouting my name. He knows I'm in, and I'm on my own with the baby.",
    "I'm hiding in the staff toilets at work because he's in the car park waiting for me to finish at five. He isn't allowed anywhere near me.",
    "My sister is at his flat now and she's just texted the word help and nothing since. It's the end of {street}, {town}.",
    "The old man from number 4 wandered off in his dressing gown about an hour ago. It's freezing, he's diabetic and we've been round the park twice.",
    "Not that it matters now, but I've written to each of the kids and left the letters on the table. I'm tired of fighting and I won't be bothering anyone after tonight.",
    "i wasnt going to say but hes took my keys n phone charger again n said im not going nowhere till he gets back at 6. last time he had me by the throat",
    "Sorry my English. My husband say if I go to police he kill me tonight when he come from work. He take my passport. I am in bedroom with my baby.",
    "Now then, I'll be straight with you, my ex is stood by the gate now with a bat, tamping he is, and the kids are in the front room. I've locked the door but he's trying it.",
    "My mam's boyfriend is kicking off again, proper losing it, and he's said he'll do her in when she gets back from the shop. She'll be back now in a minute.",
    "It's probably nothing and I don't want to waste anyone's time, but the lady next door is 91 and her curtains haven't been opened for two days, the milk is still on the step and she won't answer.",
    "My friend has just sent me a photo of a pile of tablets with 'sorry' underneath. She lives on her own in {town} and she isn't picking up.",
    "The lad who threatened my son at the weekend has been riding up and down our road on a moped for the last half hour, and my son is due off the bus any minute.",
]

# Passages that sound alarming but are no risk now: idiom and temper, news, a past survived, a
# scam put down, a risk put as a policy point, an emergency that is over, a time with no threat.
ALARM_NOT_NOW = [
    "I could cheerfully throttle whoever keeps dumping mattresses in our lane, but that's by the by.",
    "One of these days somebody is going to get killed on that corner, you mark my words.",
    "My mother lived in a controlling marriage for thirty years, which is why this funding matters so much to me.",
    "I left an abusive relationship in 2016. I'm safe now and I volunteer at the refuge on Saturdays.",
    "Our son went missing for a night last winter and your officers found him safe and well. We will never forget it.",
    "I saw on the news that a woman was stabbed in the city centre at the weekend. It frightened the life out of me.",
    "If one more van parks across my drive I'll go spare, honestly I will.",
    "My nan had one of those calls last week from a man pretending to be a detective about her bank card. She knew it was a scam and put the phone down, and she's fine.",
    "He was arrested and remanded, and we are all safe now, but I wanted you to know how much it meant.",
    "My late husband took his own life in 2018, so mental health training for officers matters to me more than I can say.",
    "Years ago my ex used to check my phone and keep my wages. I got out with help and I'm doing well now.",
    "Last time I rang about the noise they said someone would come out and nobody did.",
    "He'll be back at six to pick up the kids and we'll sort the paperwork out then.",
    "If the PCSOs go, people will die out on these moors. I don't say that lightly.",
    "There was a fight outside the chip shop on Saturday night and a lad got glassed. It was all over Facebook the next day.",
    "We had the police round on Friday when next door's ex turned up drunk. They took him away and it has been quiet ever since.",
    "Knife crime frightens me as a mum of two teenage boys.",
    "I work in a women's refuge and every week we hear from women whose partners check their phones and keep their bank cards.",
    "My daughter was groomed online when she was 14, five years ago now. She's at university and doing really well.",
    "The way the bins are going, the rats will be carrying us off by Christmas.",
    "I nearly had a heart attack when I saw the precept figure on my bill.",
    "I'm not in any danger, please don't worry on that score. I'd just like somebody to listen.",
    "My brother was stabbed in 2011 and survived. He still has the scars and he still won't go into town at night.",
    "Someone will end up dead on that junction if nothing is done about the lorries.",
    "I heard on the radio that a man was found dead in the river at the weekend. Terrible.",
    "I won't be a nuisance to your office again after this letter, I promise, I know how busy you are.",
    "My mum was found wandering in her nightie last spring and it was your officers who brought her home. She's in a care home now and settled.",
    "The lads on the estate say they carry knives because they're scared, not because they're hard.",
    "Honestly, waiting on hold to 101 for an hour nearly finished me off.",
    "I'd string them up if I caught them, the people who let their dogs foul the school field.",
]

# Carriers the passages are buried in (their categories hold; a buried risk makes the letter urgent).
CARRIERS_CORR = [*OPCC[:30], *COUNCIL, *P101[:12]]
CARRIERS_COMPLAINT = PSD
CARRIERS_FOI = [*FOI_FORCE, *FOI_OFFICE]
CARRIERS_CONSULT = CONSULT

# Whole messages at risk now, in other registers than the tables above.
URGENT_STYLES = [
    w("I'm sorry, I don't really know how to put this. I'm fine most of the time, honestly. But he's taken my car keys and my card again and told me I'm not to go out until he's home, and he says when he gets in tonight we'll have a proper talk about what I've been saying to people. The last proper talk I had a split lip. I can't ring, he checks the call list."),
    t("hiya sorry to bother u. my step dad checks mums phone every nite and shes not allowed out. tonight he said when he gets back from the pub shes gonna get it. im 14 and me n my sister r in our room"),
    t("not being dramatic but i dont feel safe going back to mine tonight. he messaged saying hell be waiting when i finish my shift at 10. {town}"),
    w("Forgive the long email. I won't go into all of it, but I left him on Sunday and I'm at my friend's. He's found out where she lives and he's just sent a picture of her front door with 'see you later' under it. I don't know whether to stay or go."),
    w("My English is not so good, sorry. My neighbour lady, she is old and alone, every morning she open the curtains. Today no, and yesterday no. I knock and knock. I hear the TV but she not come. I am worried she is on the floor."),
    w("I hope it's alright writing here. My dad is 79 and has Alzheimer's. He went out of the back gate after tea in his slippers and no coat. It's nearly ten now and properly cold. We've driven round all the places he used to go."),
    t("my boyfriend has had his hands round my neck twice this week and he's just said tonight he'll finish it. he's downstairs. i'm in the bathroom"),
    w("Dear Sir, I am writing on behalf of my friend who cannot write herself. She is not allowed a phone, her husband takes her wages and locks the door when he goes out. Today he told her that if she speaks to anyone she will not see the morning. He comes back at five."),
    t("ok so this is going to sound weird. my mate posted goodbye on her story and then deleted it. she's not answering and her mum says she's not home. she said last week she had a plan"),
    w("Sorry, probably the wrong place. My son is 13 and hasn't come back from the skate park. It's dark, his phone goes straight to voicemail and his friend says an older lad gave him a lift in a car."),
    t("Now then, sorry to be a pain, my cousin's just phoned me crying, her fella's smashed the telly and he's stood at the bottom of the stairs saying she's not going nowhere. She's locked herself in the box room. {street} {town}"),
    t("mam says not to bother the police but i think i have to. dads been drinking since dinner and hes said when mam gets in from work hes going to hurt her. she finishes at 9"),
    w("It feels silly writing this down. There's nothing wrong with me that anyone can see. I've put my things in order, I've left a letter for my daughter with the neighbour, and I've decided tonight is the night. I just wanted someone official to know it wasn't anybody's fault."),
    t("theres a man been following me since i got off the bus, hes still behind me now. i've gone in the shop on {street} {town}"),
    w("I don't want to make a fuss. My ex isn't allowed to contact me under his bail. He has messaged eleven times since lunchtime and the last one says he's on his way and I'd better be in."),
    t("my nan is 88 and shes wandered off from the home in her nightie, staff say she went about 40 mins ago, its raining and theres the river at the bottom of the road"),
]

# Not urgent: a time, a threat in temper or a scare that is over, in everyday messages.
NOT_URGENT_STYLES = [
    (t("my son will be home at 5, can someone ring after that please"), "correspondence", "opcc"),
    (t("he'll be back at six to fetch the kids, it's all amicable, I just need the crime number for the insurance"), "correspondence", "police_101"),
    (w("Can someone call me after 3pm? I'm at work until then. It's about the shed break-in I reported last week."), "correspondence", "police_101"),
    (w("I'll be waiting for your reply before I decide whether to take this further. I think that's fair."), "correspondence", "opcc"),
    (t("got a call this morning off someone saying they were the police and my card was cloned, they wanted to send a courier for it. i knew it was a con and hung up. where do i report it"), "correspondence", "action_fraud"),
    (w("My elderly father had a phone call yesterday from a man claiming to be a detective, asking him to withdraw cash for a courier to collect as evidence. Thankfully he rang me first and we didn't hand anything over. Who should we report this to?"), "correspondence", "action_fraud"),
    (t("a man rang mum saying hes from her bank fraud team and her card had been compromised. she didnt give him anything and put the phone down. shes fine just a bit shaken. who do we tell"), "correspondence", "action_fraud"),
    (w("I honestly could strangle the people who leave their cars on the zigzags outside the school every morning. Someone will get knocked over one of these days. Who actually enforces it?"), "correspondence", "local_council"),
    (w("If I get my hands on whoever's been fly-tipping at the end of our lane I won't be responsible for my actions. Third time this month: a sofa, paint and builders' rubble. Who clears it?"), "correspondence", "local_council"),
    (t("swear down if that car alarm goes off again at 3am ill lose it. its been every night for a week. who deals with that"), "correspondence", "local_council"),
    (w("Last Tuesday my ex turned up drunk and the officers were excellent. He's been charged and there are bail conditions now. I feel much safer. I just wanted to say thank you."), "correspondence", "opcc"),
    (w("My daughter went missing for six hours last month. She was found safe at a friend's. I want to complain about why it took so long for anyone to take us seriously on the phone."), "complaint", "force_psd"),
]

# FOI in plain words: figures asked for, scoped by years or a breakdown, without naming the Act.
FIGURES_FORCE = [
    w("Could you send me the number of burglaries reported in {town} for 2022, 2023 and 2024, broken down by month? I'm putting a case to our residents' association."),
    w("Please can you tell me how many officers were based at {town} station in each year from 2019 to 2024, and how many are there now?"),
    w("I'd like to know how many times the force used Taser in {area} in 2023 and 2024, and how many of those people were under 18."),
    w("Would you be able to provide the figures for reported dog thefts across {area} for the last three years, by area if possible?"),
    t("can u send me the number of 101 calls that went unanswered in 2024 broken down by month. cheers"),
    w("Please could you let me have the total number of stop and searches in {town} in 2024, with a breakdown by ethnicity and outcome."),
    w("I am writing a piece for our parish newsletter. Could you tell me how many rural crimes were recorded in the villages around {town} in 2023 and 2024?"),
]
FIGURES_OFFICE = [
    w("Could you tell me how much the Commissioner's office spent on consultants in the last financial year? I'd like the total and a breakdown by company."),
    w("Please send me the total cost of the Commissioner's official car, including lease, fuel and insurance, for each year since 2021."),
    w("I'd like to know how much the office spent on its rebrand and new website, with a breakdown of design, printing and signage."),
    w("Can you provide the number of staff employed in the Commissioner's office each year from 2020 to 2025, and the total salary bill?"),
    t("how much did the pccs office spend on hospitality and events in 2024? total and itemised please"),
]

# Complaints about an officer put as questions, in text-speak, or voiced on social media.
COMPLAINT_STYLES = [
    t("is it normal for an officer to take your phone for evidence and keep it 4 months when ur not even charged?? pc {name} never answers his emails. how is that allowed"),
    w("Is it acceptable for a PCSO to tell a pensioner she's 'wasting police time' when she reports her shed being broken into? Is that the standard you expect? If not, who do I take it up with?"),
    w("Can somebody explain why the officer dealing with my assault hasn't returned a single call since March? Is that normal? Because if it is, something is badly wrong."),
    t("why does the officer in my case never ring back. been 6 weeks. left 9 messages. is this how it works now"),
    w("Should a police officer be posting videos on TikTok mocking the people he's arrested, filmed in uniform? One of them is my brother. I'd like to know who deals with this."),
    w("An officer from {town} has been sharing posts on Facebook calling people on our estate 'scum'. He uses his own name and his profile photo is him in uniform. I find it disgraceful and want it looked into."),
    t("theres a copper on instagram filming people in the custody suite for likes. saw my mates face on it. thats not right is it. who do i complain to"),
    w("Is it right that a detective told my mum, in front of me, that there was 'no point' investigating because 'she'd only drop it'? I was there. I want to know what happens to him."),
]

# An officer's driving is a complaint to PSD; a member of the public's driving is a report to 101.
DRIVING_OFFICER = [
    w("This morning a marked police van came down {street} in {town} at well over 50 in the 20 zone with no blue lights. The driver was looking at his phone. I'd like this looked into."),
    w("A police car overtook me on the double whites outside {town} and cut straight back in, nearly putting me in the hedge. No lights, no siren. I have the time and the registration. I want to complain about the driver."),
    t("police car parked on the zigzags outside the school again today while the officer went in the bakery. kids having to walk round it into the road. not on"),
    w("I'd like to report the way an officer drove through {town} market this afternoon: far too fast, mounted the pavement by the cafe and didn't stop. Nobody was hurt, but it was close. What will happen to the officer?"),
    t("saw a patrol car go through a red light on {street} at 40 with the driver on his phone, no emergency, no lights. complaint please"),
]
DRIVING_PUBLIC = [
    w("A silver hatchback overtook four cars on the blind bend outside {town} this morning and forced a van onto the verge. I have dashcam footage showing the number plate. Where should I send it?"),
    t("bloke in a black pickup driving like a lunatic on {street} every morning, undertaking on the pavement. i've got his reg. who do i report to"),
    w("A lorry driver was on his phone and drifting across lanes on the bypass near {town} today. I have the company name and the registration. Can I report this?"),
    t("a lad on a motorbike with no plates nearly took out a kid on the crossing on {street}, i got it on my doorbell cam. how do i report it"),
]

# Scam-looking appeals: asking whether a message is genuine is a fraud question.
SCAM_CHECK = [
    w("I've had the email below saying it's from the police and that I'm owed compensation if I pay a £200 processing fee. Is this genuine? It has your logo on it."),
    t("got a text saying its from {force} and i have an unpaid fine, link to pay. is this real or a scam"),
    w("My mother received a letter claiming to be from your office asking her to confirm her bank details for a 'victims' refund'. Is this from you? It doesn't look right."),
    w("Somebody on Facebook is collecting money for the family of an officer who was supposedly injured in {town}. I can't find anything about it in the news. Is this a real appeal or a scam?"),
    t("fwd: recovery unit says they got my money back from the crypto people but want a release fee first. is this you??"),
]

# Answers to the office's own survey or consultation, sent as a letter.
SURVEY_ANSWERS = [
    w("I filled in your precept survey but there was nowhere to say why, so here it is. I'd pay a bit more if it meant our PCSO came back to {town}, but not a penny for more managers."),
    t("did your policing survey online, no box for comments. my answer is no more money till i see a copper in {town}"),
    w("Your questionnaire only gives three options, all of them an increase. My response is that I support none of them."),
    w("Our parish council considered your consultation on the draft plan at its meeting this week and resolved to send the comments below."),
    w("Precept survey - my views. I'm a pensioner on a fixed income. I can't afford another rise and I haven't seen an officer in {town} in two years."),
]

# Questions about the precept that are not answers to a consultation: correspondence.
PRECEPT_QUESTIONS = [
    w("Could you tell me what share of this year's precept rise goes on officers and what share on the office itself?"),
    t("quick one, how much of my council tax goes to the police and how much to the fire service? ta"),
    w("Separate from my earlier letter: why did the policing part of my council tax go up more than inflation this year?"),
    w("I'd like to understand how the precept is set. Who decides the amount, and can residents object before it is fixed?"),
    w("Is the precept increase this year being spent on the new control room, as the paper says, or on neighbourhood officers?"),
    t("why is the police bit of the council tax going up again when {town} station is shut. genuine question"),
]

# Companies selling to the office, whatever crime problem their pitch names: correspondence.
SALES_PITCHES = [
    t("Hi there,\n\nOur AI cameras spot fly-tipping, graffiti and anti-social behaviour in real time and alert your team. We're on the national framework and offer a free 60-day pilot.\n\nWould you have 15 minutes for a demo next week?\n\nBest,\n{name}\nHead of Partnerships, Sentrix Vision Ltd\n\nNot the right person? Just let me know."),
    t("Dear Sir/Madam,\n\nBURGLARY IS RISING! Our smart doorbells have helped partner forces cut repeat burglary by a third. Sponsor a pack for vulnerable residents from just £39.\n\nLimited offer before winter. Reply today to book a call.\n\n{name}\nSales Director, HomeGuard UK Ltd\n\nTo stop receiving these emails reply STOP."),
    t("Hello,\n\nWe run drug and alcohol awareness roadshows for schools, funded by partners like you. Our clients include three police and crime commissioners.\n\nCould we book a call to talk about a pilot in {area}?\n\nKind regards,\n{name}\nFounder, ClearPath Education CIC"),
]

# Tip-offs from people hiding who they are: Crimestoppers.
TIPOFFS = [
    w("I've set up a new email for this because I don't want my name going anywhere. The lock-up behind the garage on {street} is full of stolen tools and vans come at night."),
    t("not putting my name cos round here theyd know it was me. the flat above the barbers on {street} is dealing, all hours"),
    w("Everyone knows everyone in {town} and if I ring 101 they'll know it was me. There's a cannabis grow in the end house on {street}: blacked-out windows, the smell, and a man who only comes at 2am."),
]

# Welsh English (Wenglish): mostly English with Welsh turns of phrase, across kinds of contact.
WENGLISH = [
    (t("Now then, I been ringing 101 since dinner about the boys on the quads up the mountain by {town}, tearing up the common they are. Nobody's come. Who do I tell, is it you or the council?"), "correspondence", "police_101", False),
    (t("Tidy job the officers did finding my bampa's car after it was pinched from outside the chapel in {town}. Pass on our thanks, isn't it."), "correspondence", "opcc", False),
    (t("There's lovely it was to see the PCSO in the school last week, the kids were made up. Will the Commissioner keep paying for them in {town}? Be a shame to lose her."), "correspondence", "opcc", False),
    (t("I'm tamping, I am. The officer who came out about my shed was rude as anything, told me to stop wasting his time, and he never even got out of the car. I want to complain about him."), "complaint", "force_psd", False),
    (t("Where to is the form for asking what the police have got on me? I was lifted in {town} last year and let go, and now I've been knocked back for a job. I want a copy of my records."), "correspondence", "force_data_protection", False),
    (t("Duw, the state of the bins down by the park in {town}, overflowing for weeks and rats everywhere. Who do I ring about it now?"), "correspondence", "local_council", False),
    (t("Sorry to bother you, bach. My mam has got dementia and she's gone out the back door in her slippers about an hour ago. It's dark now and pouring down and we've been up and down the street. {street}, {town}. What do we do?"), "correspondence", "emergency_999", True),
    (t("Look you, my ex is outside the house now, he's not supposed to come near us, the court said. He's banging the door and the kids are crying. {street} {town}. Please send someone."), "correspondence", "emergency_999", True),
    (t("My nan had a phone call off a man saying he was from the bank and to give her card to a courier. She's not twp, she put the phone down on him. Who do we report it to?"), "correspondence", "action_fraud", False),
    (t("I'll do the survey now in a minute but I want to say here, I'll pay more on the precept if we get a bobby back in {town}. That's my answer, like."), "consultation", "opcc", False),
    (t("Could you tell me how many burglaries there was in {town} in 2023 and 2024, by month if you can? We're doing a bit for the community council."), "foi", "force_foi", False),
    (t("I'm not being funny but I don't feel safe going home tonight, cariad. He's been texting all day saying he'll be waiting when I come in from work. I finish at six."), "correspondence", "emergency_999", True),
    (t("Every night there's boys racing their cars round the car park by the leisure centre in {town}, revving and wheelspins till gone midnight. It's not a crime is it but it's doing my head in. Who sorts it?"), "correspondence", "local_council", False),
    (t("My friend's been going through it since the burglary, can't sleep, won't go out. Is there anyone she can talk to, someone kind like?"), "correspondence", "victim_support", False),
    (t("The PCSO by us is lush, honestly, but she's on her own covering three villages. Why is the Commissioner cutting more posts? Somebody's going to get hurt up here."), "correspondence", "opcc", False),
    (t("I want to make a complaint about the Chief Constable, what he said on the radio about valleys people being a lost cause. Disgraceful it was."), "complaint", "opcc_complaints", False),
]

# Short Telegram fragments of a report at risk now (the chat stage reads them with the ones before).
FRAGMENTS_URGENT = [
    t("hes outside now"), t("he's back. banging on the door again"), t("she's just stopped answering"),
    t("hes got a knife"), t("she said earlier she had all her tablets out"), t("pls dont ring her, he checks her phone"),
    t("im in the bathroom with the door locked"), t("he's just sent 'see you soon'"), t("its been 3 hours now and no sign of him"),
    t("she texted goodbye and now her phone is off"),
]
FRAGMENTS_CALM = [
    t("ok thanks, the police came and took him"),
    t("found him, he was at his mates, sorry for the worry"), t("its ok now, hes gone home"), t("thank you, she's safe at her mums"),
]


# Written out in full, not generated (issue 13): complaints put politely or as questions (about
# officers, the service or the Commissioner), victims asking for someone to talk to, anonymous
# tips in text-speak, fraud told in fragments, calm chat messages that say nobody needs to come,
# staff writing as residents, and companies selling survey work. All fictional.
C, F = "correspondence", "complaint"
WRITTEN_ROWS = [
 # Complaints written politely or as questions, about an officer or the service.
 ("Dear Sir or Madam,\n\nI hope you don't mind me asking. When my son was stopped outside the leisure centre in Ashby Cross last Friday, the officer kept calling him 'mate' in a mocking voice and laughed with his colleague while they searched him. Is that how officers are trained to speak to sixteen year olds? I would be grateful if someone could look into it.\n\nKind regards,\nPauline Okafor", F, "force_psd"),
 ("Hello,\n\nI'm sorry to trouble you. A neighbourhood officer has been posting clips on Instagram filmed inside people's homes during calls, faces blurred but the addresses easy to work out. One was my mum's kitchen. I'd like him told to stop and the clips removed, please.\n\nThank you,\nDanny Whitcombe", F, "force_psd"),
 ("Good morning,\n\nPerhaps I have misunderstood, but should a PCSO be swearing at teenagers in the park? Two of them did so in front of my younger children on Sunday afternoon at Millbrook Green. I would like the officers spoken to.\n\nMany thanks,\nRuth Adeyemi", F, "force_psd"),
 ("hiya, not being funny but is it normal for the call handler to hang up on you? i rang about my car being keyed and she got shirty and put the phone down on me. id like someone to check that call", F, "force_psd"),
 ("Dear Commissioner,\n\nMy report of a burglary at our allotment shed was closed within a day without anyone visiting, though I gave the names of two witnesses. I would like a complaint recorded about how the case was handled.\n\nYours sincerely,\nGeorge Mbeki", F, "force_psd"),
 ("Dear Commissioner,\n\nI am the ward councillor for Oakhurst. A resident has asked me to pass on her account below: she reported threats from a neighbour three times and was never called back. She would like this treated as a formal complaint about the response she received.\n\nCllr Naomi Pritchard", F, "force_psd"),
 ("Still no reply to my email about the officer who shouted at my father. It has been a fortnight. Is anyone dealing with my complaint?\n\nBarry Lomax", F, "force_psd"),
 ("Re: complaint about PC who filmed me\n\nJust chasing this up. Three weeks and not a word. Please can someone tell me who is looking at it.\n\nK. Sandhu", F, "force_psd"),
 ("Hi, adding to my earlier email: the sergeant has now blocked me on Facebook after I asked him why he shared that post about my street. Is anyone going to do something?", F, "force_psd"),
 # Complaints about the Commissioner, put politely or as a question.
 ("Dear Sir or Madam,\n\nCould you explain why two of the Commissioner's office staff spent working days leafleting for her party's council candidates? I thought they were paid for out of public money to support policing. Who checks this sort of thing?\n\nYours faithfully,\nDerek Haines", F, "police_crime_panel"),
 ("Good afternoon,\n\nIs it appropriate for the Deputy Commissioner to use the office's social media accounts to promote his own party's candidates before the local elections? I would like somebody independent to look at it.\n\nRegards,\nMaria Constantin", F, "police_crime_panel"),
 ("I may be wrong, but the published expenses show the Police and Crime Commissioner claimed hotel nights in Fenwick that match his daughter's wedding weekend. Is that a proper claim for his own benefit? If not I'd like it looked into.\n\nAlan Brierley", F, "police_crime_panel"),
 ("Dear Panel,\n\nI wonder whether it is within the rules for the Commissioner to hire a close friend's firm for the office's communications without any tender. I would appreciate it being investigated.\n\nJ. Osei", F, "police_crime_panel"),
 # Policy letters about the Commissioner that are not complaints (contrast).
 ("Dear Commissioner,\n\nWill you commit to keeping the rural crime team at its current strength in next year's budget? Farmers around Oakhurst rely on it.\n\nRegards,\nTom Yeardley", C, "opcc"),
 ("Hello, I read that the Commissioner's office has a new community fund. Could a parents' group running a youth club in Millbrook apply, and when does it open?\nThanks\nSandra", C, "opcc"),
 # Victims asking for support.
 ("Hello,\n\nOur house was burgled in the spring and the police have been good, there is a crime number. But my husband hasn't been sleeping and jumps whenever a car pulls up. Is there anybody we could talk to? I wasn't sure if you fund anything like that.\n\nThank you,\nLinh Tran", C, "victim_support"),
 ("hi, i was mugged walking back from the station a few weeks ago. im ok physically but i keep going over it and dont want to go out after dark. is there someone i can speak to about it", C, "victim_support"),
 ("Dear Commissioner's office,\n\nMy elderly father was conned out of his savings by a fake builder last year. The case is with the police. He has become withdrawn and won't answer the door. Is there any support for older victims?\n\nKind regards,\nFiona Ridley", C, "victim_support"),
 ("Thank you for the number for the support service. I have spoken to them. Can they also help me with the court date, or should I ask somebody else?\nAnya", C, "victim_support"),
 # Anonymous information.
 ("wont be giving my name. the garage behind the chip shop on station road is stripping stolen cars every night after ten. everyone round here knows", C, "crimestoppers"),
 ("i aint telling you who i am but theres a lad selling vapes and weed to year 9s outside the school gates at home time. dont want any comeback on my family", C, "crimestoppers"),
 ("Hello. I'd rather not say who I am. A man at the car wash on Quarry Road is keeping the workers' passports and they sleep in the unit. I'm scared it will get back to me.", C, "crimestoppers"),
 # Fraud told in text-speak and fragments.
 ("got a msg saying my package was stuck at the depot and i had to pay a 2.10 fee to release it. paid it and now theres payments i never made on my account. what do i do", C, "action_fraud"),
 ("someone rang pretending to be from my bank and i read out the code they sent me. 600 quid gone out of my account this morning. who do i report this to", C, "action_fraud"),
 ("i tapped the link in an email saying i had a tax refund and typed my card number in. the bank has frozen my card now. do i tell you or someone else", C, "action_fraud"),
 ("my bank wont refund anything until ive logged it with the national fraud line. how is that done", C, "action_fraud"),
 ("bought a puppy off a facebook ad, sent the deposit and now the page is gone and they blocked me. is that something you deal with", C, "action_fraud"),
 # Non-urgent chat messages that mention coming or now, a habit, a disclaimer.
 ("not after anyone coming out tonight, just so you know the skate park crowd have speakers blaring most evenings till late", C, "local_council"),
 ("its not an emergency or anything but the street lights on our road have been out for a week and its pitch black walking the dog", C, "local_council"),
 ("no need for anyone to come round, im not in danger. just wanted it on record that someone keeps dumping bags of rubbish by our gate", C, "local_council"),
 ("Dear Sir/Madam,\n\nA child will end up under a van on Church Lane before long. The nursery run means cars half on the kerb every morning and buggies pushed out into traffic. No prosecutions needed, just a few bollards. Which office do I have to keep ringing until it happens?\n\nMrs E. Harcourt", C, "local_council"),
 # Anonymous in email, crime reports with a name.
 ("Dear Sir/Madam,\n\nI am happy to give my details: Peter Langley, 4 Bridge Row. There have been cars pulling up outside number 9 at all hours for a month and short visits through the side door. I would like the police to know and I am prepared to make a statement.\n\nRegards,\nPeter Langley", C, "police_101"),
 # Officers or staff writing as residents (correspondence, not officer correspondence).
 ("Hello,\n\nI should mention I work for the force as a call handler, but this is nothing to do with my job. The hedge at the corner of Maple Drive has grown right over the pavement and my neighbour in a wheelchair can't get past. Who should I tell?\n\nKaren Doyle", C, "local_council"),
 ("Hi, I'm a special constable but I'm writing purely as a parent. The crossing outside the primary school on Elm Road has no patrol since the summer. Who decides whether a crossing patrol is funded?\nThanks, Imran", C, "local_council"),
 # Policy questions with crime in them (stay with the office).
 ("Dear Commissioner,\n\nOur pharmacy has had stock taken nine times this year and every report is closed online without a visit. Has the force stopped attending thefts from small shops, and did the Commissioner agree to that? Our customers deserve an answer.\n\nRegards,\nHassan Qureshi", C, "opcc"),
 # Marketing about consultations (correspondence, not consultation).
 ("Dear Commissioner,\n\nIs your budget consultation hearing from young people? ClearVoice Surveys runs text-message panels that reach under-25s. Packages start from £4,500 and our clients include three fire services. Book a 20-minute call with our team.\n\nBest,\nLeo Marsh, Director\nClearVoice Surveys Ltd\nReply STOP to opt out.", C, "opcc"),
 ("Hello team, ahead of your police and crime plan consultation we'd love to show you our engagement platform. Free trial for public bodies, 15-minute demo any day this week. Unsubscribe any time.\nPriya, Engage360", C, "opcc"),
]
WRITTEN_URGENT = [
 # Disclaimers that do not settle a real emergency.
 ("i know its not an emergency for you lot but my flatmate has taken a load of pills and wont wake up properly. please help", "emergency_999"),
 ("im not asking u to come for me, its my nan, shes fallen in the garden and cant get up and its freezing. i cant lift her", "emergency_999"),
]


def main() -> None:
    add("correspondence", "opcc", OPCC, 170, chat=0.3)
    add("correspondence", "opcc", ALARM_OPCC, 70, chat=0.3)
    add("correspondence", "opcc", FOLLOWUP_OPCC, 8, chat=0.0)
    add("correspondence", "police_101", P101, 80, chat=0.35)
    add("correspondence", "action_fraud", FRAUD, 50, chat=0.3)
    add("correspondence", "crimestoppers", ANON, 25, chat=0.2)
    add("correspondence", "local_council", COUNCIL, 65, chat=0.35)
    add("correspondence", "victim_support", VICTIM, 35, chat=0.3)
    add("correspondence", "force_data_protection", SAR, 22, chat=0.15)
    add("complaint", "force_psd", PSD, 90, chat=0.25)
    add("complaint", "opcc_complaints", OPCC_COMP, 40, chat=0.1)
    add("complaint", "police_crime_panel", PANEL, 30, chat=0.1)
    add("foi", "force_foi", FOI_FORCE, 40, chat=0.1)
    add("foi", "opcc_foi", FOI_OFFICE, 40, chat=0.1)
    add("officer_correspondence", "opcc", OFFICER, 60, chat=0.0)
    add("consultation", "opcc", CONSULT, 45, chat=0.0)
    add("correspondence", "emergency_999", URGENT_CORR, 90, urgent=True, chat=0.15)
    add("complaint", "emergency_999", URGENT_COMPLAINT, 12, urgent=True, chat=0.0)
    # Added after the blind tests of two other areas: kinds of danger the tables above lacked
    # (added last so the examples above keep their seeded draws).
    add("correspondence", "emergency_999", URGENT_BREACH, 45, urgent=True, chat=0.2)
    add("correspondence", "emergency_999", URGENT_ARRIVING, 35, urgent=True, chat=0.2)
    add("correspondence", "emergency_999", URGENT_FAREWELL, 40, urgent=True, chat=0.2)
    add("correspondence", "emergency_999", URGENT_FOLLOWED, 35, urgent=True, chat=0.2)
    add("correspondence", "opcc", ALARM_RESOLVED, 45, chat=0.2)
    add("correspondence", "victim_support", VICTIM_EXTRA, 15, chat=0.3)
    add("correspondence", "police_101", P101_EXTRA, 25, chat=0.3)
    add("correspondence", "police_101", P101_SUSPICIOUS, 25, chat=0.3)
    add("correspondence", "opcc", ALARM_ORDERS, 30, chat=0.2)
    add("correspondence", "action_fraud", FRAUD_TXT, 10, chat=0.0)
    add("correspondence", "police_101", P101_TXT, 18, chat=0.0)
    add("correspondence", "local_council", UNDERSTATED_COUNCIL, 14, chat=0.2)
    add("correspondence", "opcc", UNDERSTATED_OPCC, 10, chat=0.2)
    add("correspondence", "opcc", WAITING_OPCC, 14, chat=0.2)
    add("complaint", "force_psd", WAITING_PSD, 10, chat=0.2)
    add("correspondence", "emergency_999", URGENT_OVERDUE, 40, urgent=True, chat=0.2)
    add("correspondence", "emergency_999", URGENT_PLACE, 30, urgent=True, chat=0.3)
    add("correspondence", "emergency_999", URGENT_PLACE_SHOUT, 15, urgent=True, chat=0.0)
    add("correspondence", "opcc", ALARM_MEDIA, 30, chat=0.2)
    add("correspondence", "victim_support", VICTIM_SAFE, 30, chat=0.2)
    add("consultation", "opcc", CONSULT_ANSWERS, 25, chat=0.0)
    add("consultation", "emergency_999", CONSULT_URGENT, 4, urgent=True, chat=0.0)
    add("correspondence", "emergency_999", CASEWORK_URGENT, 12, urgent=True, chat=0.0)
    add("correspondence", "opcc", CASEWORK, 8, chat=0.0)
    add("complaint", "force_psd", ANGRY_PSD, 12, chat=0.0)
    add("correspondence", "local_council", COUNCIL_EXTRA, 30, chat=0.2)
    add("correspondence", "force_data_protection", SAR_BURIED, 15, chat=0.0)
    add("correspondence", "opcc", SHORT_OPCC, 30, chat=0.0)
    add("correspondence", "opcc", ALARM_PLACE, 24, chat=0.2)
    add("correspondence", "local_council", SHORT_COUNCIL, 15, chat=0.0)
    # Issue 13: buried risk in any category, other registers, and the alarming words that are not
    # a risk now (R2 draws, so everything above keeps its examples).
    add2("correspondence", "emergency_999", [bury(CARRIERS_CORR, RISK_NOW)], 110, urgent=True)
    add2("complaint", "emergency_999", [bury(CARRIERS_COMPLAINT, RISK_NOW)], 35, urgent=True)
    add2("foi", "emergency_999", [bury(CARRIERS_FOI, RISK_NOW)], 12, urgent=True)
    add2("consultation", "emergency_999", [bury(CARRIERS_CONSULT, RISK_NOW)], 12, urgent=True)
    add2("correspondence", "opcc", [bury(OPCC, ALARM_NOT_NOW)], 80)
    add2("correspondence", "local_council", [bury(COUNCIL, ALARM_NOT_NOW)], 30)
    add2("complaint", "force_psd", [bury(PSD, ALARM_NOT_NOW)], 35)
    add2("foi", "force_foi", [bury(FOI_FORCE, ALARM_NOT_NOW)], 10)
    add2("consultation", "opcc", [bury(CONSULT, ALARM_NOT_NOW)], 15)
    add2("correspondence", "emergency_999", URGENT_STYLES, 50, urgent=True)
    for gen, cat, agency in NOT_URGENT_STYLES:
        add2(cat, agency, [gen], 4)
    add2("foi", "force_foi", FIGURES_FORCE, 25)
    add2("foi", "opcc_foi", FIGURES_OFFICE, 18)
    add2("complaint", "force_psd", COMPLAINT_STYLES, 30)
    add2("complaint", "force_psd", DRIVING_OFFICER, 18)
    add2("correspondence", "police_101", DRIVING_PUBLIC, 14)
    add2("correspondence", "action_fraud", SCAM_CHECK, 18)
    add2("consultation", "opcc", SURVEY_ANSWERS, 18)
    add2("correspondence", "opcc", SALES_PITCHES, 9)
    add2("correspondence", "opcc", PRECEPT_QUESTIONS, 18)
    add2("correspondence", "crimestoppers", TIPOFFS, 10)
    for gen, cat, agency, urgent in WENGLISH:
        add2(cat, agency, [gen], 3, urgent=urgent)
    add2("correspondence", "emergency_999", FRAGMENTS_URGENT, 20, urgent=True)
    add2("correspondence", "opcc", FRAGMENTS_CALM, 10)
    for text, cat, agency in WRITTEN_ROWS:
        EX.append({"text": text, "category": cat, "agency": agency, "urgent": False})
    for text, agency in WRITTEN_URGENT:
        EX.append({"text": text, "category": C, "agency": agency, "urgent": True})
    seen: set[str] = set()
    rows = []
    for ex in EX:
        if ex["text"] not in seen:
            seen.add(str(ex["text"]))
            rows.append(ex)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for ex in rows:
            f.write(json.dumps(ex, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} examples to {OUT}")


if __name__ == "__main__":
    main()
