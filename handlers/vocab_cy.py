"""Welsh cues laid into the default tables of handlers/vocab.py (urgency, classify, signpost).

Welsh mutates the start of words after many little words ("cyllell", "ei gyllell", "fy
nghyllell", "a chyllell"), so each cue lists the forms a writer would use. North and South
forms both appear ("nawr" / "rŵan", "eisiau" / "isio"). Cue names end in "_cy" in the hits.
"""

from __future__ import annotations

from typing import Any

HARM: dict[str, Any] = {
    "threat_to_life_cy": [r"\b(?:fy|ein|ei|'?m|'?n|eich) (?:lladd|ladd|brifo|anafu|nghuro|curo|guro)\b|"
                          r"\bmynd i (?:fy|ein|ei|'?m|'?n) (?:lladd|ladd|brifo|curo)\b|"
                          r"\b(?:lladd|ladd) (?:fi|ni|hi|fe|e|chi)\b|\bbygwth (?:fy |ein |ei )?(?:lladd|ladd|"
                          r"mrifo|brifo|anafu)\b", 3],
    "weapon_cy": [r"\b(?:c|g|ch|ngh)yllell\b|\b(?:c|g|ch|ngh)yllyll\b|\b(?:d|dd|n)ryll\b|\b(?:m|f)orthwyl\b|"
                  r"\b(?:b|f|m)wyell\b", 2],
    "intruder_cy": [r"\b(?:mae )?rhywun (?:yn|yn y|i mewn yn y|lawr staer yn y) (?:tŷ|ty|fflat)\b|"
                    r"\b(?:torri|dorri) (?:i mewn|mewn)\b", 2.5],
    "at_the_door_cy": [r"\b(?:tu allan i'?r|tu fas i'?r|wrth y) (?:tŷ|ty|drws|ffenest|ffenestr)\b|"
                       r"\b(?:curo|guro|cicio|gicio|bwrw|dyrnu) (?:ar )?(?:y|'r) drws\b", 1.5],
    "violence_now_cy": [r"\b(?:yn|wedi) (?:fy|ein|ei) (?:nharo|taro|tharo|nghuro|churo|nyrnu|dyrnu|thagu|"
                        r"nhagu|ngwthio|gwthio)\b|\bymosod (?:arna i|arnaf|arnon ni|arni|arno)\b", 2.5],
    "fire_cy": [r"\bar (?:d|t|n)ân\b|\b(?:rhoi|roi) (?:y )?(?:tŷ|ty|car) ar dân\b|\bmwg (?:ym|yn) (?:mhobman|y tŷ)\b",
                2],
    "self_harm_cy": [r"\b(?:lladd|ladd) fy hun\b|\b(?:niweidio|anafu) fy hun\b|\b(?:eisiau|isio|am) (?:marw|farw)\b|"
                     r"\b(?:ddim|dim) (?:eisiau|isio) byw\b|\b(?:rhoi|roi) diwedd ar (?:fy mywyd|y cyfan|bopeth)\b|"
                     r"\bcymryd fy mywyd\b", 3],
    # On a bridge, a roof, a cliff edge (as "jump": with a farewell, someone may be about to jump).
    "jump_cy": [r"\b(?:dw i|dwi|rydw i|rwy|mae (?:e|o|hi|fe))'?n? (?:ar|ar ben|ar ymyl) (?:y|'r) (?:bont|to|clogwyn|"
                r"dibyn|rheilffordd)\b|\b(?:neidio|naid) (?:oddi ar|o|dros) (?:y|'r) (?:bont|to|clogwyn|dibyn)\b", 2],
    # "Sorry for everything", "I can't do this any more", saying goodbye.
    "farewell_cy": [r"\bsori am bopeth\b|\bmaddeuwch i mi\b|\b(?:methu|ddim yn gallu|dim yn gallu) (?:gwneud|neud|"
                    r"cario mlaen|cario ymlaen|mynd ymlaen|byw efo|byw gyda) (?:hyn|hwn|fel hyn)(?: (?:rhagor|mwy|"
                    r"ddim mwy))?\b|\b(?:dweud|deud|ffarwelio|ffarwel) (?:hwyl fawr|ffarwel|wrth bawb)\b", 3],
    "overdose_cy": [r"\bwedi (?:cymryd|llyncu) (?:llwyth o |llawer o |yr holl |fy holl )?(?:dabledi|tabledi|"
                    r"bilsen|pils)\b", 3],
    # Not home, missing, searched everywhere ("wedi chwilio'r strydoedd i gyd", "dim sôn amdani").
    "not_home_cy": [r"\b(?:heb|ddim wedi) (?:dod|ddod) (?:adref|adre|nôl|yn ôl)\b|\bar goll\b|"
                    r"\bwedi chwilio(?:'r)? (?:\w+ ){0,4}(?:i gyd|ym mhobman|ymhobman|bobman|pob man)\b|"
                    r"\b(?:does|dim) (?:dim )?(?:sôn|son|golwg) (?:amdani|amdano|amdanyn nhw|ohoni|ohono)\b", 2],
    "vulnerable_cy": [r"\b(?:dd|n)ementia\b|\bdiabetig\b|\binswlin\b|\bawtistig\b|"
                      r"\banabledd(?:au)? dysgu\b|\bbregus\b|\bheb (?:ei|eu) (?:f|m)eddyginiaeth\b|"
                      r"\bheb (?:ei|eu) (?:th|d)abledi\b", 1],
    # In or by the water, on the railway, at an edge ("mae'r afon yn uchel", "ar y rheilffordd").
    "danger_place_cy": [r"\b(?:yn|i mewn i|wrth)'?r (?:afon|môr|mor|gamlas|llyn|dŵr|dwr)\b|\bmae'?r afon yn "
                        r"(?:uchel|llifo)\b|\bar (?:y|'r) (?:rheilffordd|cledrau|trac)\b|\bar ymyl y "
                        r"(?:clogwyn|to|bont|dibyn)\b", 2],
    "fear_cy": [r"\b(?:mae )?(?:gen i|ofn arna i|arna i) ofn\b|\bofn (?:arna i|arnaf)\b|\bwedi dychryn\b|"
                r"\bmewn ofn\b", 1],
    # A court order, alone with a child, a car going round the street, a photo of the front door.
    "order_cy": [r"\bgorchymyn (?:llys|atal|peidio)\b|\bgwaharddeb\b|\b(?:yn ei|yn eu|wedi'?i) (?:w|g)ahardd rhag\b",
                 1.5],
    "alone_cy": [r"\bar (?:fy )?(?:mhen|phen|ben) fy hun\b|\bar ben fy hun\b", 1],
    "circling_cy": [r"\b(?:wedi bod yn |yn )?troi (?:yn|o gwmpas|rownd) y stryd\b|\b(?:mynd|gyrru|pasio) heibio'?r "
                    r"(?:tŷ|ty|drws)\b", 1.5],
    "stalking_cy": [r"\bllun o(?:'r)? (?:dd|d|nh|t)(?:rws|ŷ|y)\b", 2],
    "lost_cy": [r"\b(?:ddim|dim) yn gwybod beth i'?w?\s?wneud\b|\bbeth (?:ddylwn|ddylen|dylwn|dylen|wna|wnawn)"
                r" (?:i|ni) (?:ei )?(?:wneud|neud)\b", 1],
    "plea_cy": [r"\b(?:helpwch|helpa) (?:fi|ni)\b|\b(?:plîs|plis|os gwelwch yn dda),? (?:helpwch|dewch|anfonwch)\b|"
                r"\banfonwch (?:rywun|help|yr heddlu)\b", 1.5],
}
ALWAYS_NOW = ["self_harm_cy", "overdose_cy", "farewell_cy"]
IMMEDIACY: dict[str, str] = {
    "now_cy": r"\b(?:nawr|rŵan|rwan|ar hyn o bryd|y funud hon|ar unwaith|yn syth)\b",
    "tonight_cy": r"\b(?:heno|heddiw|y bore 'ma|y prynhawn 'ma|y noson hon)\b|\bmae hi'?n (?:rhewi|tywyll|dywyll|"
                  r"nosi|oer iawn)\b",
    "still_cy": r"\b(?:dal|yn dal) (?:yma|yno|tu allan|tu fas|i mewn)\b",
    # "ers hanner awr" (for half an hour, till now), "newydd anfon" (has just sent).
    "duration_cy": r"\bers (?:hanner awr|awr|dwy awr|\d+ (?:munud|awr)|oriau)\b",
    "just_cy": r"\bnewydd (?:anfon|ffonio|cyrraedd|tecstio|gyrru|ddod|fygwth)\b",
}
# Extra alternatives for existing classify and signpost patterns, by table and key.
CLASSIFY: dict[str, dict[str, str]] = {
    "foi": {"act": r"\brhyddid gwybodaeth\b"},
    "sar": {"subject_access": r"\bcais gwrthrych am wybodaeth\b|\bgwybodaeth (?:sydd gennych |sydd gan yr "
                              r"heddlu )?amdana(?:i|f)\b"},
    "consultation": {"response": r"\bymateb\b.{0,80}\bymgynghoriad\b|\bymgynghoriad\b.{0,40}\bymateb\b"},
    "complaint": {"formal": r"\bcwyn ffurfiol\b|\b(?:gwneud|cyflwyno|wneud|gyflwyno) cwyn\b|"
                            r"\b(?:hoffwn|eisiau|isio|dymuno) (?:wneud cwyn|gwyno|cwyno)\b|\bcwyno am\b|"
                            r"\bam (?:wneud cwyn|gwyno)\b"},
}
SIGNPOST: dict[str, dict[str, str]] = {
    "correspondence": {
        "action_fraud": r"\b(?:twyll|dwyll|nhwyll|thwyll|sgam|sgamiwr|twyllwr|dwyllwr)\w*\b",
        "local_council": r"\b(?:tipio anghyfreithlon|sbwriel|baw ci|parcio|sŵn|goleuadau stryd|golau stryd)\b",
        # Giving information without one's name ("dwi'm isio rhoi fy enw", "yn ddienw").
        "crimestoppers": r"\b(?:ddim|dim|dwi'?m|dw i ddim|dydw i ddim) (?:eisiau|isio|moyn) (?:rhoi|roi) fy enw\b|"
                         r"\bheb (?:roi|rhoi) fy enw\b|\b(?:yn )?ddienw\b|\bdienw\b",
        "police_101": r"\b(?:riportio|adrodd|rhoi gwybod am) (?:trosedd|y drosedd|hyn|lladrad)\b|"
                      r"\b(?:delio|gwerthu) (?:cyffuriau|drygs|drugs)\b|"
                      r"\b(?:rhif|cyfeirnod) trosedd\b|\bgyrru'?n (?:beryglus|wyllt)\b|\bgoryrru\b|\bwedi dwyn\b|"
                      r"\bdwyn (?:y|fy|ein|ei)\b",
    },
    "complaint": {
        "police_crime_panel": r"\b(?:cwyn|gwyn|cwyno)(?: ffurfiol)? am y (?:dirprwy )?(?:g|c)omisiynydd\b",
        "opcc_complaints": r"\bprif gwnstabl\b|\badolygiad o'?r (?:gŵyn|gwyn|cwyn)\b",
    },
}
# Information the office itself holds ("Swyddfa'r Comisiynydd", "gwariant y Swyddfa").
OPCC_FOI = r"\bswyddfa'?r comisiynydd\b|\b(?:gwariant|staff|cyllideb) y swyddfa\b"
HELP_SEEKING = (r"\bbeth (?:ddylwn|ddylen|dylwn) i (?:ei )?wneud\b|\bble (?:alla|gallaf|galla|ddylwn) i\b|"
                r"\bble (?:dylen|ddylen|dylwn|ddylwn|alla|gallwn|allwn|mae) (?:ni|i)\b|"
                r"\bsut (?:mae|alla i|gallaf|galla i) (?:riportio|rhoi gwybod|adrodd)\b|\bi bwy\b|"
                r"\bpwy (?:ddylwn|dylwn|ddylen) i\b|\bpwy (?:sy'n|all|fedr) helpu\b")


def lay_into(urgency: dict[str, Any], classify: dict[str, Any], signpost: dict[str, Any]) -> None:
    """Add the Welsh cues to the English default tables (called once, by handlers/vocab.py)."""
    urgency["harm"].update(HARM)
    urgency["immediacy"].update(IMMEDIACY)
    urgency["always_now"] = [*urgency["always_now"], *ALWAYS_NOW]
    urgency["live_now"] = [*urgency["live_now"], "now_cy", "still_cy"]
    for defaults, extras in ((classify, CLASSIFY), (signpost, SIGNPOST)):
        for name, alternatives in extras.items():
            for key, pattern in alternatives.items():
                defaults[name][key] = f"{defaults[name][key]}|{pattern}"
    signpost["help_seeking"] = f"{signpost['help_seeking']}|{HELP_SEEKING}"
    signpost["opcc_foi"] = f"{signpost['opcc_foi']}|{OPCC_FOI}"
    urgency["live_now"] = [*urgency["live_now"], "duration_cy", "just_cy"]
