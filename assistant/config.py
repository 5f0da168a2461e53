"""Settings read from the environment (and a `.env` file, if present).

Every value is checked at start-up; a missing or malformed one raises `ConfigError` whose message
is a single line naming the variable and what is wrong with it.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line fit to print."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    rasa_url: str
    action_server_url: str
    public_base_url: str
    secret_key: str
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_phone_number: str | None = None
    twilio_messaging_service_sid: str | None = None
    twilio_api_base_url: str | None = None
    rasa_timeout_seconds: float = 3.0
    # The longest the web app waits on PostgreSQL for any answer before it treats the database
    # as down (a hung server would otherwise hold a webhook past Twilio's 15 s); 0: no limit.
    database_timeout_seconds: float = 4.0
    sms_session_minutes: int = 30
    voice_en: str = "Polly.Joanna-Neural"
    voice_es: str = "Polly.Lupe-Neural"
    low_confidence: float = 0.4
    # Reminders: a Redis URL runs them on Celery (worker + beat); None: the embedded worker.
    reminder_broker_url: str | None = field(default=None, repr=False)  # may hold a password
    reminder_send_rate: float = 1.0  # messages per second over all workers; 0: no limit
    reminder_interval_seconds: float = 30.0  # planning / dispatch period
    # (name, token) pairs; empty: the FHIR API is off (metadata only). Kept out of repr().
    fhir_api_tokens: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    var_dir: Path = field(default=DEFAULT_VAR_DIR)
    # Where Twilio requests that arrived while the database was down wait to be replayed
    # (assistant/spool). Holds patients' words: persistent, private storage. None: var_dir/spool.
    spool_dir_setting: Path | None = None
    # Portal cookies: None follows PUBLIC_BASE_URL (Secure on https); PORTAL_SECURE_COOKIES sets it
    portal_secure_cookies: bool | None = None
    # Reverse proxies in front of the app that append to X-Forwarded-For (portal rate limits)
    trusted_proxies: int = 0
    # Horizontal scaling (Rasa's documented setup): every Rasa server in RASA_URL shares a SQL
    # tracker store and a Redis lock store. None: with one Rasa server, a SQLite tracker store in
    # var_dir (conversations survive a Rasa restart); with several, Rasa's in-memory default.
    rasa_tracker_store_url: str | None = field(default=None, repr=False)  # may hold a password
    rasa_lock_store_url: str | None = field(default=None, repr=False)
    # Rasa's lock on a conversation (TICKET_LOCK_LIFETIME): a server that dies mid-turn holds
    # that conversation this long. Longer than RASA_TIMEOUT_SECONDS: the app gives up on a turn
    # (and Rasa drops it) by then, so two servers never run the same conversation at once.
    rasa_lock_lifetime_seconds: int = 10
    # A signed portal link in reminder texts (off by default: it makes each text two segments)
    portal_link_in_reminders: bool | None = None

    def voice_for(self, language: str) -> str:
        """The text-to-speech voice of a language (VOICE_EN, VOICE_ES); English's otherwise."""
        return {"en": self.voice_en, "es": self.voice_es}.get(language, self.voice_en)

    @property
    def spool_dir(self) -> Path:
        return self.spool_dir_setting or self.var_dir / "spool"

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """The Rasa servers behind the app (RASA_URL may list several, comma-separated)."""
        return tuple(self.rasa_url.split(","))

    @property
    def portal_cookie_secure(self) -> bool:
        if self.portal_secure_cookies is not None:
            return self.portal_secure_cookies
        return self.public_base_url.startswith("https://")

    @property
    def reminder_portal_links(self) -> bool:
        return bool(self.portal_link_in_reminders) and self.public_base_url.startswith("https://")

    @property
    def twilio_enabled(self) -> bool:
        """True when outbound messages really go to Twilio (otherwise they are only recorded)."""
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def webhook_auth_token(self) -> str:
        """Token that signs/validates webhooks. Locally (no Twilio account) a dev token is used
        so that `assistant text` / `assistant call` can sign exactly as Twilio would."""
        return self.twilio_auth_token or _dev_token(self.secret_key)


def _dev_token(secret_key: str) -> str:
    import hashlib

    return hashlib.sha256(f"local-twilio:{secret_key}".encode()).hexdigest()[:32]


_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_MESSAGING_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_DEV_SECRET = "dev-only-secret-change-me"


def load_dotenv_once(path: Path | None = None) -> None:
    """Read `.env` (project root, or the given path) without overriding real environment values."""
    from dotenv import load_dotenv

    load_dotenv(path or PROJECT_ROOT / ".env", override=False)


def _url(env: dict[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = env.get(name, "").strip() or default
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
        raise ConfigError(
            f"{name}={value!r} is not a valid URL (expected a scheme among {', '.join(schemes)})"
        )
    return value.rstrip("/")


def _url_list(env: dict[str, str], name: str, default: str) -> str:
    """One http(s) URL or several, comma-separated; normalised to 'a,b' without trailing '/'."""
    parts = [p.strip() for p in (env.get(name, "").strip() or default).split(",") if p.strip()]
    if not parts:
        raise ConfigError(f"{name} lists no URL")
    return ",".join(_url({name: part}, name, default, ("http", "https")) for part in parts)


def _optional_url(env: dict[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    return _url(env, name, "", schemes) if env.get(name, "").strip() else None


def _database_url(env: dict[str, str], var_dir: Path) -> str:
    value = env.get("DATABASE_URL", "").strip()
    if not value:
        return f"sqlite:///{var_dir / 'assistant.sqlite3'}"
    if value.startswith("postgres://"):  # Heroku-style alias SQLAlchemy 1.4 no longer accepts
        value = "postgresql://" + value[len("postgres://") :]
    scheme = value.split(":", 1)[0]
    if not (scheme.startswith("sqlite") or scheme.startswith("postgresql")):
        raise ConfigError(
            f"DATABASE_URL must start with sqlite:// or postgresql:// (got scheme {scheme!r})"
        )
    return value


def _float(env: dict[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={raw!r} must be between {low} and {high}")
    return value


_FHIR_TOKEN = re.compile(r"^([A-Za-z0-9_.-]{1,40}):(\S{16,200})$")


def _fhir_tokens(env: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """FHIR_API_TOKENS: comma-separated `name:token` pairs (the token is never echoed)."""
    pairs = [p.strip() for p in env.get("FHIR_API_TOKENS", "").split(",") if p.strip()]
    found = [_FHIR_TOKEN.match(pair) for pair in pairs]
    if not all(found) or len({m[1] for m in found if m}) != len(found):
        raise ConfigError(
            "FHIR_API_TOKENS must be comma-separated name:token pairs"
            " (unique names, tokens of 16+ characters)"
        )
    return tuple((m[1], m[2]) for m in found if m)


def _flag(env: dict[str, str], name: str) -> bool | None:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} must be true or false")


def _lock_lifetime(env: dict[str, str], rasa_timeout: float) -> int:
    """RASA_LOCK_LIFETIME_SECONDS (whole seconds, as Rasa reads it): by default twice the turn
    timeout, at least 10 s; never as short as one turn may legitimately last."""
    default = max(10, math.ceil(2 * rasa_timeout))
    value = _float(env, "RASA_LOCK_LIFETIME_SECONDS", default, 1, 3600)
    if value != int(value) or value <= rasa_timeout:
        raise ConfigError(
            f"RASA_LOCK_LIFETIME_SECONDS={value:g} must be whole seconds, more than"
            f" RASA_TIMEOUT_SECONDS ({rasa_timeout:g})"
        )
    return int(value)


def _twilio(env: dict[str, str]) -> tuple[str | None, str | None, str | None, str | None]:
    """Account SID, auth token, phone number and messaging service SID: all or none of the
    credentials, and a sender with them."""
    sid = env.get("TWILIO_ACCOUNT_SID", "").strip() or None
    token = env.get("TWILIO_AUTH_TOKEN", "").strip() or None
    if sid and not _ACCOUNT_SID.match(sid):
        raise ConfigError("TWILIO_ACCOUNT_SID must be 'AC' followed by 32 hexadecimal characters")
    if token and not re.fullmatch(r"[0-9a-zA-Z]{16,64}", token):
        raise ConfigError("TWILIO_AUTH_TOKEN must be 16-64 letters or digits")
    if bool(sid) != bool(token):
        missing = "TWILIO_AUTH_TOKEN" if sid else "TWILIO_ACCOUNT_SID"
        raise ConfigError(f"{missing} is missing (Twilio needs both account SID and auth token)")
    phone = env.get("TWILIO_PHONE_NUMBER", "").strip() or None
    if phone and not _E164.match(phone):
        raise ConfigError(f"TWILIO_PHONE_NUMBER={phone!r} is not in E.164 form, e.g. +15551234567")
    msid = env.get("TWILIO_MESSAGING_SERVICE_SID", "").strip() or None
    if msid and not _MESSAGING_SID.match(msid):
        raise ConfigError("TWILIO_MESSAGING_SERVICE_SID must be 'MG' followed by 32 hex characters")
    if sid and not (phone or msid):
        raise ConfigError(
            "TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID is required with Twilio"
            " credentials"
        )
    return sid, token, phone, msid


def _secret_key(env: dict[str, str], *, twilio: bool) -> str:
    """SECRET_KEY; the development one only where nothing real (Twilio) is configured."""
    secret = env.get("SECRET_KEY", "").strip()
    if not secret:
        if twilio:  # a real deployment must not run on the development secret
            raise ConfigError("SECRET_KEY is missing (required when Twilio credentials are set)")
        secret = _DEV_SECRET
    elif len(secret) < 16:
        raise ConfigError("SECRET_KEY is too short (use at least 16 characters)")
    return secret


def load_settings(env: dict[str, str] | None = None, *, read_dotenv: bool = True) -> Settings:
    """Build and validate settings. Raises `ConfigError` with a one-line message."""
    if env is None:
        if read_dotenv:
            load_dotenv_once()
        env = dict(os.environ)
    var_dir = Path(env.get("ASSISTANT_VAR_DIR", "").strip() or DEFAULT_VAR_DIR)

    sid, token, phone, msid = _twilio(env)
    secret = _secret_key(env, twilio=bool(sid))
    rasa_timeout = _float(env, "RASA_TIMEOUT_SECONDS", 3.0, 0.1, 14.0)
    return Settings(
        database_url=_database_url(env, var_dir),
        rasa_url=_url_list(env, "RASA_URL", "http://127.0.0.1:5005"),
        action_server_url=_url(
            env, "ACTION_SERVER_URL", "http://127.0.0.1:5055", ("http", "https")
        ),
        public_base_url=_url(env, "PUBLIC_BASE_URL", "http://127.0.0.1:8000", ("http", "https")),
        secret_key=secret,
        twilio_account_sid=sid,
        twilio_auth_token=token,
        twilio_phone_number=phone,
        twilio_messaging_service_sid=msid,
        twilio_api_base_url=(
            _url(env, "TWILIO_API_BASE_URL", "", ("http", "https"))
            if env.get("TWILIO_API_BASE_URL", "").strip()
            else None
        ),
        rasa_timeout_seconds=rasa_timeout,
        database_timeout_seconds=_float(env, "DATABASE_TIMEOUT_SECONDS", 4.0, 0.0, 6.0),
        sms_session_minutes=int(_float(env, "SMS_SESSION_MINUTES", 30, 1, 24 * 60)),
        voice_en=env.get("VOICE_EN", "").strip() or "Polly.Joanna-Neural",
        voice_es=env.get("VOICE_ES", "").strip() or "Polly.Lupe-Neural",
        low_confidence=_float(env, "ASR_LOW_CONFIDENCE", 0.4, 0.0, 1.0),
        reminder_broker_url=(
            _url(env, "REMINDER_BROKER_URL", "", ("redis", "rediss"))
            if env.get("REMINDER_BROKER_URL", "").strip()
            else None
        ),
        reminder_send_rate=_float(env, "REMINDER_SEND_RATE", 1.0, 0.0, 1000.0),
        reminder_interval_seconds=_float(env, "REMINDER_INTERVAL_SECONDS", 30.0, 1.0, 3600.0),
        fhir_api_tokens=_fhir_tokens(env),
        var_dir=var_dir,
        spool_dir_setting=Path(spool) if (spool := env.get("SPOOL_DIR", "").strip()) else None,
        portal_secure_cookies=_flag(env, "PORTAL_SECURE_COOKIES"),
        portal_link_in_reminders=_flag(env, "PORTAL_LINK_IN_REMINDERS"),
        trusted_proxies=int(_float(env, "TRUSTED_PROXIES", 0, 0, 5)),
        rasa_tracker_store_url=_optional_url(
            env, "RASA_TRACKER_STORE_URL", ("postgresql", "sqlite")
        ),
        rasa_lock_store_url=_optional_url(env, "RASA_LOCK_STORE_URL", ("redis",)),
        rasa_lock_lifetime_seconds=_lock_lifetime(env, rasa_timeout),
    )
