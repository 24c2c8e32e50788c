"""Typed settings the stages read: the `triage` sections over handlers/vocab.py, and a read-only view of the rest.

bot/config.py validates config.yaml into these models at start-up, so a misspelt key, a regex
that does not compile or a dropped cue the code needs stops the service with the key named;
the stages then read typed, compiled settings through `ctx.config` (the `Settings` protocol).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, Self
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from handlers import vocab
from handlers.cues import CueError, Cues, compile_table, edit_names, edit_pattern, edit_table
from handlers.labels import AGENCIES, MODEL_CATEGORIES

# Cue names the code reads by name: a config.yaml that drops one is refused at start-up.
HAZARD = "hazard"  # urgency.py: a hazard closing in ("a train is due") outweighs "nobody was hurt"
STATED_COMPLAINT = ("formal", "want_to")  # classify.py: "I wish to make a formal complaint" outranks a consultation
# signpost.py returns a complaint or correspondence cue's name (before any "/label") as the agency:
# only these may be cue names.
SIGNPOST_AGENCIES = tuple(a for a in AGENCIES if a not in ("none", "emergency_999"))
# Where `signpost train` writes the model and the service looks for it, in the data directory.
DEFAULT_MODEL_PATH = "model.joblib"


class _FromVocab:
    def __repr__(self) -> str:
        return "<the handlers/vocab.py default>"


DEFAULT: Any = _FromVocab()  # a field default: take the value from the section's vocab table


class _Section(BaseModel):
    """A `triage.<name>` section: keys absent from config.yaml take their handlers/vocab.py default.

    A cue table in config.yaml is a set of per-cue edits (handlers/cues.py), laid over the default.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, validate_default=True)

    SECTION: ClassVar[str] = ""
    VOCAB: ClassVar[Mapping[str, Any]] = {}
    # Per table, cue names the code relies on (they cannot be dropped).
    REQUIRED: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    # Lists of cue names, and the table (or tables) whose cues they name.
    NAME_LISTS: ClassVar[Mapping[str, str | tuple[str, ...]]] = {}

    @field_validator("*", mode="before")
    @classmethod
    def _lay_over_vocab(cls, value: Any, info: ValidationInfo) -> Any:
        name = str(info.field_name)
        if name not in cls.VOCAB:
            return value  # its default is in the class
        default = cls.VOCAB[name]
        if cls.model_fields[name].annotation is Cues:
            table = compile_table(default, f"triage.{cls.SECTION}.{name}")
            required = cls.REQUIRED.get(name, ())
            if value is not DEFAULT:
                table = edit_pattern(table, value) if isinstance(default, str) else edit_table(table, value, required)
            missing = [n for n in required if n not in table]
            if missing:  # handlers/vocab.py renamed a cue the code reads by name
                raise CueError(f"the code relies on cue {', '.join(missing)}, which the table lacks")
            return table
        if name in cls.NAME_LISTS:
            return tuple(default) if value is DEFAULT else edit_names(tuple(default), value)
        return default if value is DEFAULT else value

    @field_serializer("*", mode="wrap")
    def _tables(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        """A compiled table dumps as the table config.yaml and handlers/vocab.py write."""
        return value.as_table() if isinstance(value, Cues) else handler(value)

    @model_validator(mode="after")
    def _named_cues_exist(self) -> Self:
        for listed, where in self.NAME_LISTS.items():
            tables = (where,) if isinstance(where, str) else where
            cues = [getattr(self, t) for t in tables]
            missing = [n for n in getattr(self, listed) if not any(n in c for c in cues)]
            if missing:
                raise ValueError(f"{listed} names {', '.join(missing)}, not a cue of {' or '.join(tables)} "
                                 f"(dropped or misspelt?)")
        return self


class UrgencySettings(_Section):
    """`triage.urgency` (handlers/urgency.py): weighted harm cues, tempered by context cues."""

    SECTION = "urgency"
    VOCAB = vocab.URGENCY
    REQUIRED = {"immediacy": (HAZARD,)}
    NAME_LISTS = {"always_now": "harm", "habit_bound": "harm", "live_now": "immediacy", "beats_habit": "immediacy",
                  "settles_letter": ("resolved", "contained"), "historic_unless_future": "historic",
                  "habit_unless_harm": "habitual"}

    threshold: float = Field(DEFAULT, gt=0)
    immediate_factor: float = Field(DEFAULT, ge=0)
    distant_factor: float = Field(DEFAULT, ge=0)
    model_weight: float = Field(DEFAULT, ge=0)
    model_min: float = Field(DEFAULT, ge=0, le=1)
    model_alone: float = Field(DEFAULT, ge=0)
    chat_context_minutes: float = Field(DEFAULT, ge=0)
    policy_min: int = Field(DEFAULT, ge=1)
    always_now: tuple[str, ...] = DEFAULT
    habit_bound: tuple[str, ...] = DEFAULT
    live_now: tuple[str, ...] = DEFAULT
    settles_letter: tuple[str, ...] = DEFAULT
    historic_unless_future: tuple[str, ...] = DEFAULT
    habit_unless_harm: tuple[str, ...] = DEFAULT
    beats_habit: tuple[str, ...] = DEFAULT
    future: Cues = DEFAULT
    present_tense: Cues = DEFAULT
    past_tense: Cues = DEFAULT
    harm: Cues = DEFAULT
    immediacy: Cues = DEFAULT
    historic: Cues = DEFAULT
    resolved: Cues = DEFAULT
    contained: Cues = DEFAULT
    habitual: Cues = DEFAULT
    calm: Cues = DEFAULT
    policy: Cues = DEFAULT


class ClassifySettings(_Section):
    """`triage.classify` (handlers/classify.py): strong-signal rules before the model."""

    SECTION = "classify"
    VOCAB = vocab.CLASSIFY
    REQUIRED = {"complaint": STATED_COMPLAINT}

    min_model_prob: float = Field(DEFAULT, ge=0, le=1)
    fallback: str = DEFAULT
    min_complaint_prob: float = Field(DEFAULT, ge=0, le=1)
    grievance: Cues = DEFAULT
    officer: Cues = DEFAULT
    officer_exclude: Cues = DEFAULT
    foi: Cues = DEFAULT
    sar: Cues = DEFAULT
    consultation: Cues = DEFAULT
    third_party: Cues = DEFAULT
    third_party_complaint: Cues = DEFAULT
    complaint: Cues = DEFAULT
    other_matter: Cues = DEFAULT
    disclaims_complaint: Cues = DEFAULT
    complaint_subject: Cues = DEFAULT

    @field_validator("fallback")
    @classmethod
    def _a_category(cls, v: str) -> str:
        if v not in MODEL_CATEGORIES:
            raise ValueError(f"must be one of {', '.join(MODEL_CATEGORIES)}")
        return v


class SignpostSettings(_Section):
    """`triage.signpost` (handlers/signpost.py): which body is best placed to help."""

    SECTION = "signpost"
    VOCAB = vocab.SIGNPOST

    complaint: Cues = DEFAULT
    force_foi: Cues = DEFAULT
    opcc_foi: Cues = DEFAULT
    image_abuse: Cues = DEFAULT
    correspondence: Cues = DEFAULT
    victim_context: Cues = DEFAULT
    help_seeking: Cues = DEFAULT
    thanks: Cues = DEFAULT
    reports_loss: Cues = DEFAULT
    reports_crime: Cues = DEFAULT
    policy: Cues = DEFAULT
    pitch: Cues = DEFAULT
    pitch_min: int = Field(DEFAULT, ge=1)
    min_model_prob: float = Field(DEFAULT, ge=0, le=1)

    @field_validator("complaint", "correspondence")
    @classmethod
    def _agency_names(cls, v: Cues) -> Cues:
        # "police_101/crime": a further cue of an agency, named agency/label, signposts to the agency.
        wrong = [n for n in v.names if n.split("/", 1)[0] not in SIGNPOST_AGENCIES]
        if wrong:
            raise ValueError(f"cue names here are the agencies they signpost to (or agency/label); "
                             f"{', '.join(wrong)} is not one of {', '.join(SIGNPOST_AGENCIES)} "
                             f"(use extend to add to an agency's cue)")
        return v


class LanguageSettings(_Section):
    """`triage.language` (handlers/language.py): when a contact counts as written in Welsh."""

    SECTION = "language"
    VOCAB = vocab.LANGUAGE

    min_share: float = Field(DEFAULT, ge=0, le=1)
    min_confidence: float = Field(DEFAULT, ge=0, le=1)
    confident_share: float = Field(DEFAULT, ge=0, le=1)
    min_letters: int = Field(DEFAULT, ge=0)
    max_chars: int = Field(DEFAULT, ge=1)
    welsh_words: Cues = DEFAULT  # a text without one of them is not read by lingua


class MatchSettings(_Section):
    """`triage.match` (handlers/match.py, additions.py, campaigns.py, fragments.py, named.py): thresholds and cues."""

    SECTION = "match"
    VOCAB = vocab.MATCH

    case_window_days: int = Field(90, ge=1)  # how far back a person's cases count as "recent"
    subject_threshold: float = 90.0  # rapidfuzz ratio of Re:-stripped subjects
    # Topic words overlap between different matters of one writer (their street, their town),
    # so without a cue only a very close text joins; with a cue the best-scoring case wins.
    topic_threshold: float = 50.0  # % of topic words shared, no cue
    cue_topic_threshold: float = 15.0  # with a cue: enough unless the message is a bare chaser
    chaser_chars: int = 400  # a cue in a message this short needs no topic evidence
    min_shared_topic_words: int = 3
    chat_burst_minutes: int = 120  # Telegram fragments within this join the last case
    chat_thread_days: int = 14  # short Telegram messages within this join an open case
    chat_fragment_chars: int = 300
    chat_terse_chars: int = 100  # a fragment this short, with no new incident in it, needs no other signal
    chat_topic_threshold: float = 30.0  # a longer chat message within chat_thread_days
    # "hello?", "test", "is this the right address?": the sender's next message within this
    # many hours says what the case is about, whatever it says (same address or chat only).
    fragment_case_hours: float = 8.0
    # Weeks later, the same email address or Telegram id adding to their one open matter
    # (handlers/additions.py): cues, a pronoun opening or a few shared topic words suffice.
    addition_window_days: int = 60  # an open case written to within this
    addition_chars: int = 200  # "also", "too" or "it's ..." mean an addition only in a message this short
    addition_topic_words: int = 3
    addition_topic_threshold: float = 25.0  # a message up to chaser_chars
    addition_letter_threshold: float = 35.0  # a longer letter
    addition_short_threshold: float = 25.0  # a short message: one shared word, a quarter of its topic words
    addition_intro_threshold: float = 35.0  # "I'd like to report ..." joins only on this much topic
    addition_margin: float = 15.0  # several open cases: the best must lead the next by this (topic %)
    campaign_window_days: int = 21
    campaign_peer_limit: int = 300
    campaign_min_words: int = 25  # a shared template is long, never a few topic words
    # % of the shorter text found, in order, in the other: copies with names and added
    # sentences score about 90, two people's own letters on one topic well under 60.
    campaign_coverage: float = 70.0
    campaign_length_ratio: float = 0.5  # a text shorter than this share of the other must be contained in it
    # Contained: the shorter is a whole template (this many words at least) whose 4-word runs
    # are mostly (%) in the longer one, as when a writer adds a long story of their own to it.
    campaign_template_words: int = 60
    campaign_containment: float = 60.0
    # A copy cut short (a pasted first paragraph, a truncated send): at least this many words,
    # this % of them in order inside a template-sized text (campaign_template_words) and
    # campaign_containment % of its 4-word runs there too. A shorter text never joins this way.
    campaign_cut_words: int = Field(15, ge=5)
    campaign_cut_coverage: float = 85.0
    # A new copy is compared with the campaign's template and with its recent copies (at most
    # this many of all campaigns', newest first, within campaign_window_days): a campaign in many
    # wordings is matched by whichever copy is closest, not only by the copy that started it.
    # The store reads the window newest first until it has found this many: three campaigns'
    # worth of campaign_copies_per_campaign keeps that read short while copies pour in.
    campaign_copy_limit: int = Field(60, ge=0)
    # Of those, each campaign's newest this many only (handlers/campaigns.Pool): the copies compared
    # and the rows read per message stay few however many copies a campaign has. A wording none
    # of them has is still matched by the template, or read as a look-alike (campaign_close).
    campaign_copies_per_campaign: int = Field(20, ge=1)
    # Two or more look-alike messages that would start a campaign join an existing one instead
    # when one of them has this coverage in order with that campaign's template or copies.
    campaign_close_coverage: float = 55.0
    # A short copy in the writer's own words ("Keep the counter open, not everyone is online"):
    # at most campaign_short_words words, no question and no chaser, at least
    # campaign_short_topic_words topic words of which this % are in one copy of the campaign,
    # and a subject with topic words, all of them in the campaign's title or that copy.
    campaign_short_words: int = Field(40, ge=1)
    campaign_short_topic_words: int = Field(6, ge=3)
    campaign_short_share: float = 80.0
    # A copy in other words with the writer's own story added (campaigns.join_restated): of a
    # recent copy's sentences and list items (at least campaign_restated_min_points), this %
    # made by the message, a point being made when one of its sentences holds
    # campaign_restated_point_share % of the point's topic words (two at least).
    campaign_restated_share: float = 60.0
    campaign_restated_point_share: float = 50.0
    campaign_restated_min_points: int = Field(5, ge=2)
    # A cover note longer than this (words) above a forwarded copy is a letter of its own,
    # unless it says it forwards a letter (cue sends_the_letter): then up to campaign_cover_note_words.
    campaign_forward_note_words: int = Field(60, ge=1)
    campaign_cover_note_words: int = Field(150, ge=1)
    # A copy in the writer's own words ("As a resident I am writing to ask you to halt ..."):
    # the campaign's subject (this share of the title's words) and this % of topic words shared
    # with its template (at least campaign_reworded_words), or a line sending "the letter".
    campaign_subject_share: float = Field(0.6, ge=0, le=1)
    campaign_reworded_topic: float = 40.0
    campaign_reworded_words: int = 6
    # Or, whatever the subject, this coverage in order and this % of topic words.
    campaign_reworded_coverage: float = 50.0
    campaign_reworded_alone: float = 50.0
    # A new address carrying on a known person's case (handlers/named.py): their name must belong
    # to at most this many people, and the message share this % of topic words (or a proper noun).
    named_max_people: int = Field(3, ge=1)
    named_topic_threshold: float = 35.0
    # Cue tables (handlers/vocab.py MATCH).
    addition: Cues = DEFAULT
    short: Cues = DEFAULT
    again: Cues = DEFAULT
    weak: Cues = DEFAULT
    anaphoric_opening: Cues = DEFAULT
    new_topic_intro: Cues = DEFAULT
    back_reference: Cues = DEFAULT
    foi_request: Cues = DEFAULT
    new_incident: Cues = DEFAULT
    followup: Cues = DEFAULT
    new_matter: Cues = DEFAULT
    new_matter_opening: Cues = DEFAULT
    sends_the_letter: Cues = DEFAULT
    they_wrote: Cues = DEFAULT


class MachineMailSettings(_Section):
    """`triage.machine_mail` (handlers/machine_mail.py, bounces.py): what only automatic messages say."""

    SECTION = "machine_mail"
    VOCAB = vocab.MACHINE_MAIL

    subject: Cues = DEFAULT
    receipt_subject: Cues = DEFAULT
    receipt_text: Cues = DEFAULT
    bounce_wording: Cues = DEFAULT
    autoreply_wording: Cues = DEFAULT
    delay_wording: Cues = DEFAULT


class MemberCues(_Section):
    """`triage.members` (handlers/members.py): sign-offs of elected members, their staff and councillors."""

    SECTION = "members"
    VOCAB = vocab.MEMBERS

    signature: Cues = DEFAULT
    councillor: Cues = DEFAULT


class TriageSettings(BaseModel):
    """`triage`: the model file and every stage's thresholds and cue tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model_path: str | None = DEFAULT_MODEL_PATH
    urgency: UrgencySettings = Field(default_factory=UrgencySettings)
    classify: ClassifySettings = Field(default_factory=ClassifySettings)
    signpost: SignpostSettings = Field(default_factory=SignpostSettings)
    language: LanguageSettings = Field(default_factory=LanguageSettings)
    match: MatchSettings = Field(default_factory=MatchSettings)
    machine_mail: MachineMailSettings = Field(default_factory=MachineMailSettings)
    members: MemberCues = Field(default_factory=MemberCues)


# What the stages read of the rest of the configuration (bot/config.py Config provides it).


class OfficeSettings(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def mailbox(self) -> str: ...
    @property
    def addresses(self) -> tuple[str, ...]: ...
    @property
    def reference_prefix(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def places(self) -> tuple[str, ...]: ...
    @property
    def commissioner(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def website(self) -> str: ...
    @property
    def postal_address(self) -> str: ...
    @property
    def signature(self) -> str: ...
    @property
    def welsh(self) -> bool: ...
    @property
    def name_cy(self) -> str: ...
    @property
    def commissioner_cy(self) -> str: ...
    @property
    def postal_address_cy(self) -> str: ...
    @property
    def signature_cy(self) -> str: ...
    @property
    def tz(self) -> ZoneInfo: ...
    @property
    def all_addresses(self) -> frozenset[str]: ...


class ForceSettings(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def name_cy(self) -> str: ...
    @property
    def email_domains(self) -> tuple[str, ...]: ...
    @property
    def website(self) -> str: ...
    @property
    def psd_url(self) -> str: ...
    @property
    def foi_url(self) -> str: ...
    @property
    def data_protection_url(self) -> str: ...


class AgencySettings(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def web(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def when(self) -> str: ...
    @property
    def advice(self) -> str: ...
    @property
    def name_cy(self) -> str: ...
    @property
    def advice_cy(self) -> str: ...


class TelegramSettings(Protocol):
    @property
    def flood_messages(self) -> int: ...
    @property
    def flood_seconds(self) -> float: ...


class ChannelSettings(Protocol):
    @property
    def telegram(self) -> TelegramSettings: ...


class MemberSettings(Protocol):
    @property
    def domains(self) -> tuple[str, ...]: ...
    @property
    def council_domains(self) -> tuple[str, ...]: ...


class WebSettings(Protocol):
    @property
    def public_url(self) -> str: ...
    def case_url(self, reference: str) -> str: ...


class AcknowledgementSettings(Protocol):
    @property
    def max_per_sender(self) -> int: ...
    @property
    def window_hours(self) -> float: ...


class AlertSettings(Protocol):
    @property
    def duty_addresses(self) -> tuple[str, ...]: ...


class HelplineSettings(Protocol):
    """A helpline the urgent reply names when it fits the risk (handlers/compose.py helplines_for)."""

    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def web(self) -> str: ...
    @property
    def when(self) -> str: ...
    @property
    def cues(self) -> tuple[str, ...]: ...
    @property
    def words(self) -> str: ...
    @property
    def default(self) -> bool: ...


class Settings(Protocol):
    """The configuration as the stages see it: read-only, typed, validated at start-up."""

    @property
    def office(self) -> OfficeSettings: ...
    @property
    def force(self) -> ForceSettings: ...
    @property
    def agencies(self) -> Mapping[str, AgencySettings]: ...
    @property
    def channels(self) -> ChannelSettings: ...
    @property
    def members(self) -> MemberSettings: ...
    @property
    def acknowledgements(self) -> AcknowledgementSettings: ...
    @property
    def alerts(self) -> AlertSettings: ...
    @property
    def helplines(self) -> Mapping[str, HelplineSettings]: ...
    @property
    def web(self) -> WebSettings: ...
    @property
    def triage(self) -> TriageSettings: ...
    @property
    def home(self) -> str:
        """The data directory relative paths are resolved against (bot/config.py data_home)."""
        ...
