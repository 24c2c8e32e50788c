"""Text helpers for matching: names, UK phone numbers and postcodes, template words, cues."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from handlers.settings import MatchSettings

# Titles and ranks dropped from a name key, so "Mrs Jo Bloggs" and "Jo Bloggs" block together.
_TITLES = frozenset(
    "mr mrs ms miss mx dr prof rev revd sir dame lady lord cllr councillor pc ps dc ds di dci "
    "insp inspector sgt sergeant supt ch chief constable pcso officer the reverend fr father rt hon mp "
    "mbe obe cbe jp kc qc esq jr jnr sr snr bsc ba ma phd".split()
)
_SIGN_OFF = re.compile(
    r"^\s*(yours(\s+(sincerely|faithfully|truly|ever))?|kind(est)?\s+regards|best\s+regards|warm\s+regards"
    r"|regards|many\s+thanks|thanks(\s+again)?|thank\s+you|best\s+wishes|best|with\s+thanks|cheers"
    r"|all\s+the\s+best|respectfully|sincerely)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(dear|hi|hello|hey|to\s+whom|good\s+(morning|afternoon|evening)|f\.?a\.?o\.?)\b.{0,60}$",
    re.IGNORECASE,
)
# Lines that end the writer's own text: signature separator, mobile and platform footers.
_FOOTER = re.compile(
    r"^\s*(--\s*$|__+\s*$|sent\s+(from|via|using|with)\b|this\s+(e-?mail|message)\s+was\s+sent\b"
    r"|get\s+outlook\s+for|you\s+are\s+receiving\s+this|unsubscribe\b|powered\s+by\b)",
    re.IGNORECASE,
)
_CC_LINE = re.compile(r"^\s*(cc|bcc|copied\s+to)\s*[:.-]", re.IGNORECASE)
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
# UK postcodes (BS 7666 shape); upper case as people write them on letters.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s?([0-9][A-Z]{2})\b")
# UK phone numbers: 0 or +44 then 9-10 more digits, spaces/dashes/brackets allowed between.
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?|\(?0)(?:[\s\-)]{0,2}\d){9,10}(?!\d)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NAME_WORD = re.compile(r"^[A-Z][A-Za-z'\-]+\.?$")

STOPWORDS = frozenset(
    "a about above after again all also am an and any are as at be been being but by can could did do "
    "does doing dont for from had has have having he her here hers him his how i im ive if in into is it "
    "its just me more most my no not now of off on once only or other our out over own please re same "
    "she should so some such than that the their them then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with would you your "
    "dear sir madam yours sincerely faithfully regards thanks thank kind hello fwd".split()
) | frozenset(  # words of nearly every letter to a commissioner's office: no topic in them
    "commissioner commissioners deputy police policing pcc opcc office officer officers email emails "
    "letter letters writing write wrote written reply replied response contact contacted would like "
    "know let also many much still just get got told tell said ask asked received".split()
)

_OPENING_CHARS = 300
# Words of a message that says nothing yet ("hello?", "is this the right place", "test", "bore da").
_FILLER = frozenset(
    "hello hi hey hiya heya howdy yo oi hallo helo greetings morning afternoon evening night good day gd "
    "bore da prynhawn noswaith dda shwmae sumae bonjour hola salaam salam ciao anyone anybody someone "
    "somebody there here test testing tested check checking working work works receive receiving reach "
    "reached get getting through going right correct place address number account channel bot chat "
    "message messages msg real person human speak talk talking report reporting something thing question "
    "quick quickly query enquiry can could may might yes yeah yep ok okay cheers please plz pls sorry "
    "excuse me u ur r ya one start need want wanted anything help service page way".split()
)
_REPEATS = re.compile(r"(\w)\1{2,}")  # "hellooo", "hiii"


def new_matter_opening(subject: str, body: str, s: MatchSettings) -> bool:
    """The writer opens by saying this is a new matter ("Unrelated to my complaint, ..."): cues `new_matter*`."""
    opening = f"{subject_core(subject)}\n{writer_text(body)}"[:_OPENING_CHARS]
    return bool(s.new_matter.search(opening) or s.new_matter_opening.search(opening))


def content_free(text: str, names: str = "", max_words: int = 15) -> bool:
    """Greetings, "test" or a question about the channel only: nothing yet about any matter."""
    drop = set(_WORD.findall(fold(names)))
    words = _WORD.findall(_REPEATS.sub(r"\1", fold(text)))
    return len(words) <= max_words and all(w in _FILLER or w in STOPWORDS or w in drop for w in words)


def fold(text: str) -> str:
    """Lower-case and strip accents, so names compare across spellings with and without them."""
    if text.isascii():  # the common case, and far cheaper than decomposing
        return text.lower()
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


def name_key(name: str | None) -> str | None:
    """Blocking key of a person's name: 'first last', titles and middle names dropped."""
    if not name:
        return None
    words = [w for w in re.findall(r"[a-z]+(?:['-][a-z]+)*", fold(name)) if w not in _TITLES]
    if len(words) < 2:
        return None
    return f"{words[0]} {words[-1]}"


def normalise_phone(text: str) -> str | None:
    """A UK number as national digits (01632960377), or None if it is not one."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("44"):
        digits = "0" + digits[2:].removeprefix("0")
    if not digits.startswith("0") or not 10 <= len(digits) <= 11:
        return None
    return digits


def find_phones(text: str, exclude: Iterable[str] = ()) -> list[str]:
    """UK phone numbers in text, normalised, without the excluded (office, agency) numbers."""
    skip = {p for p in (normalise_phone(x) for x in exclude) if p}
    found: list[str] = []
    for m in _PHONE.finditer(text):
        p = normalise_phone(m.group(0))
        if p and p not in skip and p not in found:
            found.append(p)
    return found


def find_postcodes(text: str) -> list[str]:
    """UK postcodes in text as 'OUT IN'."""
    out: list[str] = []
    for m in _POSTCODE.finditer(text):
        pc = f"{m.group(1)} {m.group(2)}"
        if pc not in out:
            out.append(pc)
    return out


def _is_name_line(line: str) -> bool:
    words = line.strip().rstrip(",.").split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)


def sign_off_name(text: str) -> str | None:
    """The name under a sign-off ("Yours sincerely,\\nJo Bloggs"), or None."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not _SIGN_OFF.match(line):
            continue
        for nxt in lines[i + 1 : i + 4]:
            if nxt.strip():
                return nxt.strip().rstrip(",.") if _is_name_line(nxt) else None
    return None


def clean_display_name(name: str) -> str | None:
    """A From display name that looks like a person's name ("Jo Bloggs via Platform" -> "Jo Bloggs")."""
    name = re.sub(r"\s+(via|on\s+behalf\s+of)\s+.*$", "", name.strip().strip("'\""), flags=re.IGNORECASE)
    if "," in name:  # "Bloggs, Jo"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    return name if name and _is_name_line(name) else None


def writer_text(body: str) -> str:
    """The writer's own words: greeting, sign-off block, footers and Cc lines removed."""
    lines = body.splitlines()
    start = 0
    for i, line in enumerate(lines):
        if line.strip():
            start = i + 1 if _GREETING.match(line) else i
            break
    kept: list[str] = []
    for line in lines[start:]:
        if _SIGN_OFF.match(line) or _FOOTER.match(line):
            break
        if not _CC_LINE.match(line):
            kept.append(line)
    return "\n".join(kept)


def template_words(body: str, drop: Iterable[str] = ()) -> list[str]:
    """Normalised words of a message for campaign comparison (names, places, numbers removed)."""
    text = writer_text(body)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _POSTCODE.sub(" ", text)
    text = _PHONE.sub(" ", text)
    dropped = {w for d in drop for w in _WORD.findall(fold(d)) if len(w) > 1}
    return [w for w in _WORD.findall(fold(text)) if w not in dropped]


def content_words(text: str) -> list[str]:
    """Distinct topic words (no stop words, no short words) in order of first use."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(fold(text)):
        if len(w) > 2 and w not in STOPWORDS and not w.isdigit():
            seen.setdefault(w, None)
    return list(seen)


@lru_cache(maxsize=8192)
def content_set(text: str) -> frozenset[str]:
    """`content_words` as a set, memoised: campaign matching compares each message with the same
    recent copies and templates, so their word sets are computed once, not once per message."""
    return frozenset(content_words(text))


def subject_core(subject: str) -> str:
    """Subject without Re:/Fwd:/[tag] prefixes, case kept."""
    s = subject.strip()
    while True:
        t = re.sub(r"^(\s*(re|fwd?|aw|sv|antw)\s*(\[\d+\])?\s*:\s*|\s*\[[^\]]*\]\s*)", "", s, flags=re.I)
        if t == s:
            return s
        s = t


def strip_subject(subject: str) -> str:
    """Subject without prefixes, folded for comparison."""
    return fold(subject_core(subject)).strip()
