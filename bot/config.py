"""Load and validate config.yaml into frozen pydantic models; secrets come from the environment."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CATEGORIES = (
    "correspondence",
    "complaint",
    "foi",
    "campaign",
    "officer_correspondence",
    "consultation",
    "none",
)
AGENCIES = (
    "opcc",
    "emergency_999",
    "police_101",
    "force_psd",
    "opcc_complaints",
    "police_crime_panel",
    "force_foi",
    "opcc_foi",
    "force_data_protection",
    "action_fraud",
    "crimestoppers",
    "local_council",
    "victim_support",
    "none",
)
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"
CONFIG_ENV = "SIGNPOST_CONFIG"  # names the config file used when --config is not given


class ConfigError(Exception):
    """The configuration file is missing or invalid; the message names the bad key."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Office(_Model):
    name: str
    mailbox: str
    addresses: tuple[str, ...] = ()
    reference_prefix: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$")
    timezone: str = "Europe/London"
    holiday_region: Literal["ENG", "WLS", "SCT", "NIR"] = "ENG"
    places: tuple[str, ...] = ()
    commissioner: str = "the Commissioner"
    phone: str = ""
    website: str = ""
    postal_address: str = ""
    signature: str = ""
    # Welsh Language Standards: every reply bilingual, Welsh first (the four Welsh offices).
    welsh: bool = False
    # Welsh forms used in the Welsh half of bilingual replies (empty: the English form is used).
    name_cy: str = ""
    commissioner_cy: str = ""
    postal_address_cy: str = ""
    signature_cy: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {v!r}") from exc
        return v

    @field_validator("mailbox")
    @classmethod
    def _looks_like_address(cls, v: str) -> str:
        if "@" not in v:
            raise ValueError("must be an email address")
        return v.lower()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def all_addresses(self) -> frozenset[str]:
        return frozenset({self.mailbox, *(a.lower() for a in self.addresses)})


class Force(_Model):
    name: str
    name_cy: str = ""
    email_domains: tuple[str, ...] = ()
    website: str = ""
    psd_url: str = ""
    foi_url: str = ""
    data_protection_url: str = ""

    @field_validator("email_domains")
    @classmethod
    def _lower(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.lower().lstrip("@") for d in v)


class Imap(_Model):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(993, ge=1, le=65535)
    ssl: bool = True
    username: str = ""
    password_env: str = "SIGNPOST_IMAP_PASSWORD"
    folder: str = "INBOX"
    processed_folder: str | None = None
    poll_seconds: float = Field(60, gt=0)
    idle: bool = True


class SmtpIntake(_Model):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8025, ge=0, le=65535)
    max_size: int = Field(25 * 1024 * 1024, gt=0)


class SmtpOutbound(_Model):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    starttls: bool = False
    username: str = ""
    password_env: str = "SIGNPOST_SMTP_PASSWORD"
    sink_dir: str = "data/outbound"
    max_attempts: int = Field(8, ge=1)
    backoff_seconds: float = Field(30, gt=0)
    timeout_seconds: float = Field(30, gt=0)


class Telegram(_Model):
    enabled: bool = False
    token_env: str = "SIGNPOST_TELEGRAM_TOKEN"
    mode: Literal["polling", "webhook"] = "polling"
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    poll_timeout: int = Field(30, ge=0)
    webhook_url: str = ""
    webhook_path: str = "/telegram/webhook"
    webhook_secret_env: str = "SIGNPOST_TELEGRAM_WEBHOOK_SECRET"
    flood_messages: int = Field(10, ge=1)
    flood_seconds: float = Field(60, gt=0)


class Channels(_Model):
    imap: Imap = Imap()
    smtp_intake: SmtpIntake = SmtpIntake()
    smtp_outbound: SmtpOutbound = SmtpOutbound()
    telegram: Telegram = Telegram()


class Store(_Model):
    url: str = "sqlite:///data/signpost.db"


class Sla(_Model):
    acknowledge_days: int = Field(2, ge=0)
    respond_days: int = Field(10, ge=1)
    stale_days: int = Field(5, ge=1)
    foi_days: int = Field(20, ge=1)
    closed_within_days: int = Field(20, ge=1)


class Acknowledgements(_Model):
    max_per_sender: int = Field(10, ge=1)
    window_hours: float = Field(24, gt=0)


class Helpline(_Model):
    """A helpline the urgent reply names when it fits the risk (handlers/compose.py helplines_for)."""

    name: str
    phone: str = ""
    web: str = ""
    when: str = ""
    cues: tuple[str, ...] = ()  # urgency harm cue names (handlers/vocab.py URGENCY["harm"])
    words: str = ""  # a case-insensitive regex on the message
    default: bool = False  # named when no helpline fits

    @field_validator("words")
    @classmethod
    def _regex(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return v


class Campaigns(_Model):
    send_per_minute: float = Field(60, gt=0)


class Alerts(_Model):
    duty_addresses: tuple[str, ...] = ()


class Digest(_Model):
    recipients: tuple[str, ...] = ()
    time: dt.time = dt.time(8, 0)


class Web(_Model):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    secret_env: str = "SIGNPOST_WEB_SECRET"
    https_only: bool = False
    password_min_length: int = Field(12, ge=8)
    login_limit_per_account: str = "5 per 15 minutes"
    login_limit_per_address: str = "20 per 15 minutes"

    @field_validator("login_limit_per_account", "login_limit_per_address")
    @classmethod
    def _rate(cls, v: str) -> str:
        from limits import parse

        try:
            parse(v)
        except ValueError as exc:
            raise ValueError(f"not a rate such as '5 per 15 minutes': {v!r}") from exc
        return v


class Agency(_Model):
    name: str
    phone: str = ""
    web: str = ""
    email: str = ""
    when: str = ""
    advice: str = ""
    name_cy: str = ""  # the body's Welsh name, used in Welsh replies
    advice_cy: str = ""


def _refuse_unknown(keys: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what} {unknown}; allowed: {', '.join(allowed)}")


class RetentionRule(_Model):
    """How long cases of one category are kept before anonymisation, in months."""

    closed: int | None = Field(None, ge=0)  # after closure; null: kept
    open: int | None = Field(None, ge=0)  # after the last action, for cases never closed; null: kept


DEFAULT_RETENTION = {
    "correspondence": RetentionRule(closed=24),
    "complaint": RetentionRule(closed=72),
    "foi": RetentionRule(closed=24),
    "campaign": RetentionRule(closed=12, open=12),
    "officer_correspondence": RetentionRule(closed=24),
    "consultation": RetentionRule(closed=24),
    "none": RetentionRule(closed=3, open=3),
}


class Retention(_Model):
    scheduled: bool = True
    time: dt.time = dt.time(2, 0)
    schedule: dict[str, RetentionRule] = Field(default_factory=lambda: dict(DEFAULT_RETENTION))
    unfiled_days: int = Field(90, ge=1)
    access_log_days: int = Field(730, ge=1)

    @field_validator("schedule")
    @classmethod
    def _categories(cls, v: dict[str, RetentionRule]) -> dict[str, RetentionRule]:
        _refuse_unknown(v, CATEGORIES, "categories")
        return v


# Sign-off lines of elected members and their staff (regexes, case-insensitive, searched in the
# signature and the last lines of the message only, never in the body: "I asked my councillor").
DEFAULT_MEMBER_CUES = (
    r"\bMember of Parliament\b",
    r"\bM\.?P\.? for [A-Z]",
    r"\bMember of the Senedd\b",
    r"\bM\.?S\.? for [A-Z]",
    r"\bAelod o'r Senedd\b",
    r"\bA\.?S\.? dros [A-Z]",
    # A sign-off line that starts with the title: "Cllr Jane Doe", "Councillor for Netherby ward".
    r"^\s*(?:Cllr|Councillor|Cynghorydd)\.? (?:for )?[A-Z]",
    r"\b(?:case ?worker|parliamentary assistant|office manager|constituency (?:manager|officer|assistant))"
    r"\b[^\n]{0,40}\b(?:MP|MS|AS)\b",
    r"\b(?:gweithiwr achos|swyddog etholaeth)\b",
    r"\bHouse of Commons\b",
    r"\bSenedd Cymru\b",
)


# At a council's domain, where officers write too, the title anywhere in the sign-off is enough.
DEFAULT_COUNCILLOR_CUES = (r"\bCouncillor\b", r"\bCllr\b", r"\bCynghorydd\b", r"\bward member\b",
                           r"\baelod ward\b")


class Members(_Model):
    domains: tuple[str, ...] = ("parliament.uk", "senedd.wales", "senedd.cymru")
    council_domains: tuple[str, ...] = ()
    signature_cues: tuple[str, ...] = DEFAULT_MEMBER_CUES
    councillor_cues: tuple[str, ...] = DEFAULT_COUNCILLOR_CUES
    respond_days: int = Field(10, ge=1)

    @field_validator("domains", "council_domains")
    @classmethod
    def _lower(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.lower().lstrip("@.") for d in v)


class Triage(_Model):
    # Free-form rule tables read by handlers/; validated there.
    model_config = ConfigDict(extra="allow", frozen=True)


class Config(_Model):
    office: Office
    force: Force
    channels: Channels = Channels()
    store: Store = Store()
    sla: Sla = Sla()
    acknowledgements: Acknowledgements = Acknowledgements()
    alerts: Alerts = Alerts()
    campaigns: Campaigns = Campaigns()
    digest: Digest = Digest()
    web: Web = Web()
    retention: Retention = Retention()
    members: Members = Members()
    agencies: dict[str, Agency]
    helplines: dict[str, Helpline] = Field(default_factory=dict)
    triage: dict[str, Any] = Field(default_factory=dict)

    @field_validator("agencies")
    @classmethod
    def _agency_keys(cls, v: dict[str, Agency]) -> dict[str, Agency]:
        _refuse_unknown(v, AGENCIES, "agency keys")
        missing = sorted(set(AGENCIES) - {"none"} - set(v))
        if missing:
            raise ValueError(f"missing agency keys {missing}")
        return v


def secret(env_name: str) -> str | None:
    """Return a secret from the environment variable the config names, or None."""
    value = os.environ.get(env_name, "")
    return value or None


def _describe(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        lines.append(f"  {key}: {e['msg']}")
    return "invalid configuration:\n" + "\n".join(lines)


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate a config file.

    Args:
        path: the YAML file; when None, the file $SIGNPOST_CONFIG names, else the bundled config.yaml.
        overrides: dotted keys to replace after reading, e.g. {"store.url": "sqlite://"}.

    Raises:
        ConfigError: naming the file and the bad key.
    """
    p = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {p}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a mapping at the top level")
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for k in parents:
            node = node.setdefault(k, {})
        node[leaf] = value
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{p}: {_describe(exc)}") from exc
