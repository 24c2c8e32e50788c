"""Load and validate config.yaml into frozen pydantic models; secrets come from the environment."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

# The vocabulary is handlers/labels.py's; re-exported for the code that reads it with the config.
from handlers.labels import AGENCIES as AGENCIES
from handlers.labels import CATEGORIES as CATEGORIES
from handlers.settings import TriageSettings

DEFAULT_HOME = "data"  # the data directory when neither --home nor SIGNPOST_HOME says
REPLAY_BATCH = 200  # `signpost replay --batch`: messages stored per transaction (bot/replay.py)
Tls = Literal["implicit", "starttls", "none"]


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


class OAuth2(_Model):
    """How to get an access token for XOAUTH2 (bot/oauth.py)."""

    provider: Literal["microsoft", "google", "generic"]
    # microsoft: client_credentials | refresh_token; google: service_account | refresh_token;
    # generic: client_credentials | refresh_token.
    flow: Literal["client_credentials", "refresh_token", "service_account"] = "client_credentials"
    tenant: str = ""
    authority: str = "https://login.microsoftonline.com"
    client_id: str = ""
    client_secret_env: str = "SIGNPOST_OAUTH2_CLIENT_SECRET"
    refresh_token_env: str = "SIGNPOST_OAUTH2_REFRESH_TOKEN"
    service_account_file: str = ""
    token_url: str = ""
    scopes: tuple[str, ...] = ()
    user: str = ""
    ca_file: str = ""

    @model_validator(mode="after")
    def _flow_fits_provider(self) -> OAuth2:
        allowed = {"microsoft": ("client_credentials", "refresh_token"),
                   "google": ("service_account", "refresh_token"),
                   "generic": ("client_credentials", "refresh_token")}[self.provider]
        if self.flow not in allowed:
            raise ValueError(f"flow {self.flow!r} is not one of {', '.join(allowed)} for {self.provider}")
        if self.provider == "microsoft" and not self.tenant:
            raise ValueError("microsoft needs tenant (the directory (tenant) ID of the app registration)")
        if self.provider == "generic" and not self.token_url:
            raise ValueError("generic needs token_url")
        if self.flow == "service_account" and not self.service_account_file:
            raise ValueError("service_account needs service_account_file (the JSON key)")
        if self.flow != "service_account" and not self.client_id:
            raise ValueError("client_id is required")
        return self


class _Login(_Model):
    """What the IMAP and outbound SMTP channels share: TLS and how they log in."""

    tls: Tls = "implicit"
    ca_file: str = ""
    username: str = ""
    auth: Literal["password", "oauth2"] = "password"
    password_env: str = "SIGNPOST_PASSWORD"
    oauth2: OAuth2 | None = None

    @model_validator(mode="after")
    def _oauth2_given(self) -> _Login:
        if self.auth == "oauth2" and self.oauth2 is None:
            raise ValueError("auth: oauth2 needs an oauth2 section (provider, client_id, ...)")
        if self.auth == "oauth2" and not self.username:
            raise ValueError("auth: oauth2 needs username (the mailbox to log in as)")
        return self


class Imap(_Login):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(993, ge=1, le=65535)
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
    tls_cert_file: str = ""
    tls_key_file: str = ""
    require_starttls: bool = False

    @model_validator(mode="after")
    def _cert_and_key(self) -> SmtpIntake:
        if bool(self.tls_cert_file) != bool(self.tls_key_file):
            raise ValueError("STARTTLS needs both tls_cert_file and tls_key_file")
        if self.require_starttls and not self.tls_cert_file:
            raise ValueError("require_starttls needs tls_cert_file and tls_key_file")
        return self


class SmtpOutbound(_Login):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    tls: Tls = "none"
    password_env: str = "SIGNPOST_SMTP_PASSWORD"
    sink_dir: str = "outbound"
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
    url: str = "sqlite:///signpost.db"
    url_env: str = ""
    outbox_lease_seconds: float = Field(300, gt=0)
    takeover_seconds: float = Field(5, gt=0)


class Sla(_Model):
    acknowledge_days: int = Field(2, ge=0)
    respond_days: int = Field(10, ge=1)
    stale_days: int = Field(5, ge=1)
    foi_days: int = Field(20, ge=1)
    closed_within_days: int = Field(20, ge=1)


class Acknowledgements(_Model):
    max_per_sender: int = Field(10, ge=1)
    window_hours: float = Field(24, gt=0)


def _compiles(v: str) -> str:
    """A config regex, refused at start-up with re's reason if it does not compile."""
    try:
        re.compile(v)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from exc
    return v


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
        return _compiles(v)


class Campaigns(_Model):
    send_per_minute: float = Field(60, gt=0)


class Alerts(_Model):
    duty_addresses: tuple[str, ...] = ()
    stalled_minutes: float = Field(30, ge=0)


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
    public_url: str = ""

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if v and not v.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return v.rstrip("/")

    def case_url(self, reference: str) -> str:
        """A link to the case page, or the bare reference when no public_url is set."""
        return f"{self.public_url}/case/{reference}" if self.public_url else reference

    @property
    def base_url(self) -> str:
        """The dashboard's address for links in staff mail: public_url, else http://host:port."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class Logging(_Model):
    format: Literal["text", "json"] = "text"


class Warnings(_Model):
    """Working days before each deadline to warn; 0 turns that warning off."""

    acknowledge: int = Field(1, ge=0, le=20)
    respond: int = Field(1, ge=0, le=20)
    stale: int = Field(1, ge=0, le=20)


class Escalation(_Model):
    enabled: bool = True
    time: dt.time = dt.time(8, 0)
    warn_before: Warnings = Warnings()
    breach_mail: bool = True
    managers: tuple[str, ...] = ()
    assignment_mail: bool = True


class Attachments(_Model):
    """Files on a caseworker's reply; allowed_types are matched against the type of the file's extension."""

    max_bytes: int = Field(10 * 1024 * 1024, gt=0)
    max_files: int = Field(5, ge=0)
    allowed_types: tuple[str, ...] = (
        "application/pdf", "image/jpeg", "image/png", "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


class TagRule(_Model):
    tag: str = Field(pattern=r"^(ward|theme|partner):\S.{0,78}$")
    pattern: str = ""
    categories: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, v: str) -> str:
        return _compiles(v)


class Tags(_Model):
    places_as_wards: bool = True
    rules: tuple[TagRule, ...] = ()


class Trends(_Model):
    top: int = Field(8, ge=1, le=50)
    min_cases: int = Field(3, ge=1)
    examples: int = Field(3, ge=0, le=10)
    ignore_words: tuple[str, ...] = ()


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


class Members(_Model):
    domains: tuple[str, ...] = ("parliament.uk", "senedd.wales", "senedd.cymru")
    council_domains: tuple[str, ...] = ()
    respond_days: int = Field(10, ge=1)

    @field_validator("domains", "council_domains")
    @classmethod
    def _lower(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.lower().lstrip("@.") for d in v)


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
    logging: Logging = Logging()
    escalation: Escalation = Escalation()
    attachments: Attachments = Attachments()
    tags: Tags = Tags()
    trends: Trends = Trends()
    retention: Retention = Retention()
    members: Members = Members()
    agencies: dict[str, Agency]
    helplines: dict[str, Helpline] = Field(default_factory=dict)
    # Thresholds and cue tables of the stages (handlers/settings.py), over handlers/vocab.py.
    triage: TriageSettings = Field(default_factory=TriageSettings)
    # The data directory relative paths are resolved against (not a YAML key: --home, SIGNPOST_HOME).
    home: str = ""

    @field_validator("agencies")
    @classmethod
    def _agency_keys(cls, v: dict[str, Agency]) -> dict[str, Agency]:
        _refuse_unknown(v, AGENCIES, "agency keys")
        missing = sorted(set(AGENCIES) - {"none"} - set(v))
        if missing:
            raise ValueError(f"missing agency keys {missing}")
        return v

    @model_validator(mode="after")
    def _lease_outlasts_a_send(self) -> Config:
        timeout = self.channels.smtp_outbound.timeout_seconds
        if self.store.outbox_lease_seconds < 2 * timeout:
            raise ValueError(f"store.outbox_lease_seconds ({self.store.outbox_lease_seconds:g}) must be at least "
                             f"twice channels.smtp_outbound.timeout_seconds ({timeout:g}): a lease that runs out "
                             "while a send is still under way lets a second sender send the same row")
        return self

    @model_validator(mode="after")
    def _helpline_cues_are_harm_cues(self) -> Config:
        harm = self.triage.urgency.harm
        for key, helpline in self.helplines.items():
            wrong = [c for c in helpline.cues if c not in harm]
            if wrong:
                raise ValueError(f"helplines.{key}.cues names {', '.join(wrong)}, not a cue of triage.urgency.harm "
                                 "(dropped or misspelt?)")
        return self


def secret(env_name: str) -> str | None:
    """Return a secret from the environment variable the config names, or None."""
    value = os.environ.get(env_name, "")
    return value or None


def _describe(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        lines.append(f"  {key}: {e['msg'].removeprefix('Value error, ')}")
    return "invalid configuration:\n" + "\n".join(lines)


def data_home(home: str | Path | None = None) -> Path:
    """The data directory: `home`, else $SIGNPOST_HOME, else ./data; absolute."""
    chosen = home or os.environ.get("SIGNPOST_HOME") or DEFAULT_HOME
    return Path(chosen).expanduser().resolve()


def config_path(path: str | Path | None = None) -> Path:
    """The config file: `path`, else $SIGNPOST_CONFIG, else the bundled default."""
    chosen = path or os.environ.get("SIGNPOST_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    from bot.shipped import default_config

    return default_config()


def _in_home(home: Path, value: str) -> str:
    return str(home / Path(value).expanduser()) if value else value


def _store_url(url: str, home: Path) -> str:
    """A relative SQLite file is inside the data directory; other URLs are left alone."""
    scheme, sep, rest = url.partition(":///")
    if scheme.split("+")[0] != "sqlite" or not sep or not rest or rest.startswith("/") or rest == ":memory:":
        return url
    path, q, query = rest.partition("?")
    return f"{scheme}:///{home / path}{q}{query}"


def _resolve(data: dict[str, Any], home: Path) -> None:
    """Relative paths of the config, against the data directory (before validation)."""
    ch = data.get("channels") or {}
    for section, keys in (("imap", ("ca_file",)), ("smtp_outbound", ("ca_file", "sink_dir")),
                          ("smtp_intake", ("tls_cert_file", "tls_key_file"))):
        node = ch.get(section) or {}
        for key in keys:
            if isinstance(node.get(key), str):
                node[key] = _in_home(home, node[key])
        oauth = node.get("oauth2") if section != "smtp_intake" else None
        if isinstance(oauth, dict):
            for key in ("service_account_file", "ca_file"):
                if isinstance(oauth.get(key), str):
                    oauth[key] = _in_home(home, oauth[key])
    store = data.get("store") or {}
    env_name = store.get("url_env")
    if env_name:
        url = os.environ.get(str(env_name), "")
        if not url:
            raise ConfigError(f"store.url_env names {env_name}, which is not set: set it to the store URL")
        store["url"] = url
    if isinstance(store.get("url"), str):
        store["url"] = _store_url(store["url"], home)
    triage = data.get("triage") or {}
    if isinstance(triage.get("model_path"), str):
        triage["model_path"] = _in_home(home, triage["model_path"])
    data["home"] = str(home)


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None,
                *, home: str | Path | None = None) -> Config:
    """Read and validate a config file.

    Args:
        path: the YAML file; $SIGNPOST_CONFIG, then the bundled config.yaml, when None.
        overrides: dotted keys to replace after reading, e.g. {"store.url": "sqlite://"}.
        home: the data directory relative paths are resolved against; $SIGNPOST_HOME, then
            ./data, when None.

    Raises:
        ConfigError: naming the file and the bad key.
    """
    p = config_path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {p}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a mapping at the top level")
    if "home" in data:
        raise ConfigError(f"{p}: home is not a config key: use --home or SIGNPOST_HOME")
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for k in parents:
            node = node.setdefault(k, {})
        node[leaf] = value
    try:
        _resolve(data, data_home(home))
    except ConfigError as exc:
        raise ConfigError(f"{p}: {exc}") from exc
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{p}: {_describe(exc)}") from exc
