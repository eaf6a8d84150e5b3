"""Every setting, read once from the environment and checked at start-up.

Nothing else in the package reads ``os.environ``: the app factory, the worker and the CLI all
build one :class:`Settings` and pass it along.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable and what is wrong."""


def _default_database_url() -> str:
    return f"sqlite:///{Path.cwd() / 'instance' / 'helpline.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = field(default_factory=_default_database_url)
    redis_url: str = "redis://localhost:6379/0"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_phone_number: str = ""
    twilio_api_base_url: str = ""
    public_base_url: str = ""
    timezone_name: str = "Europe/Helsinki"
    holiday_calendar: str = "FI"
    ring_timeout_seconds: int = 20
    # How long a caller waits in the queue while everyone on duty is busy; 0: no queue, a message.
    queue_max_wait_seconds: int = 300
    reminder_interval_seconds: int = 1800
    escalate_after_reminders: int = 3
    sms_max_per_recipient_per_hour: int = 30
    secret_key: str = ""
    # Languages offered to callers, first is the default. Each needs a voice in telephony/prompts.py
    # and its words in helpline/texts/.
    caller_languages: tuple[str, ...] = ("fi", "sv", "en")
    recording_max_seconds: int = 120
    callback_target_hours: int = 0  # 0: "the same working day" (used by metrics)
    # Recordings and caller numbers are kept this many days after a callback closes (or a call
    # without one ended); then helpline.queue.retention deletes and masks them.
    retention_days: int = 90
    # Bearer token for the Prometheus /metrics endpoint; empty: open in development, refused otherwise.
    metrics_token: str = ""
    # prometheus_client's multiprocess directory (gunicorn with several workers); empty: one process.
    prometheus_multiproc_dir: str = ""
    # Development only: a JSON file holding the demo's accelerated clock (helpline.clock).
    simulated_clock_file: str = ""
    # After an answered live call, text whoever answered one question about how it ended (WRAP_UP_SMS).
    wrap_up_sms: bool = True

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    @property
    def is_development(self) -> bool:
        return self.env in ("development", "testing")

    def with_overrides(self, **overrides: object) -> "Settings":
        """A copy with some fields replaced, checked again (tests and the demo use this)."""
        return replace(self, **overrides).checked()

    def checked(self) -> "Settings":
        _raise_if_any(self.problems())
        return self

    def problems(self) -> list[str]:
        """Everything wrong with these settings, each naming its variable."""
        problems: list[str] = []
        try:
            ZoneInfo(self.timezone_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" names a directory of tzdata
            problems.append(f"HELPLINE_TIMEZONE={self.timezone_name!r} is not a known IANA time zone")
        if self.holiday_calendar:
            import holidays

            if self.holiday_calendar.upper() not in holidays.list_supported_countries():
                problems.append(
                    f"HOLIDAY_CALENDAR={self.holiday_calendar!r} is not a country code the "
                    "holidays library knows (use e.g. FI, or leave empty for none)"
                )
        for name in ("reminder_interval_seconds", "sms_max_per_recipient_per_hour"):
            if getattr(self, name) <= 0:
                problems.append(f"{name.upper()} must be a positive number of seconds/messages")
        if self.retention_days < 1:
            problems.append("RETENTION_DAYS must be at least 1 (days after closing)")
        if self.callback_target_hours < 0:
            problems.append("CALLBACK_TARGET_HOURS must be 0 (the same working day) or a number of hours")
        if self.escalate_after_reminders < 0:
            problems.append("ESCALATE_AFTER_REMINDERS must be zero or more")
        if not 0 <= self.queue_max_wait_seconds <= 3600:
            problems.append("QUEUE_MAX_WAIT_SECONDS must be between 0 (no queue) and 3600")
        if not 5 <= self.ring_timeout_seconds <= 600:
            problems.append("RING_TIMEOUT_SECONDS must be between 5 and 600 (Twilio's Dial timeout range)")
        for var, url in (("PUBLIC_BASE_URL", self.public_base_url),
                         ("TWILIO_API_BASE_URL", self.twilio_api_base_url)):
            # Without a scheme and host every webhook signature check would fail.
            if url and not _is_http_url(url):
                problems.append(f"{var}={url!r} must be an absolute http(s) URL like https://helpline.example.org")
        if self.twilio_phone_number and not _is_e164(self.twilio_phone_number):
            problems.append(f"TWILIO_PHONE_NUMBER={self.twilio_phone_number!r} is not a valid E.164 number")
        if not self.caller_languages:
            problems.append("HELPLINE_LANGUAGES needs at least one language")
        if self.simulated_clock_file and not self.is_development:
            problems.append("HELPLINE_SIMULATED_CLOCK_FILE is for the demo only; unset it in production")
        if not self.is_development:
            for var, value in (
                ("TWILIO_ACCOUNT_SID", self.twilio_account_sid),
                ("TWILIO_AUTH_TOKEN", self.twilio_auth_token),
                ("TWILIO_PHONE_NUMBER", self.twilio_phone_number),
                ("SECRET_KEY", self.secret_key),
            ):
                if not value:
                    problems.append(f"{var} is required when HELPLINE_ENV={self.env}")
        return problems


def _raise_if_any(problems: list[str]) -> None:
    if problems:
        raise ConfigError("Helpline configuration is invalid:\n  - " + "\n  - ".join(problems))


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_e164(number: str) -> bool:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return number.startswith("+") and phonenumbers.is_valid_number(parsed)


def _int(environ: Mapping[str, str], name: str, default: int, problems: list[str]) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        problems.append(f"{name}={raw!r} is not a whole number")
        return default


def _bool(environ: Mapping[str, str], name: str, default: bool, problems: list[str]) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    problems.append(f"{name}={raw!r} must be 1 or 0")
    return default


def _database_url(raw: str) -> str:
    # Heroku-style providers still hand out postgres://, which SQLAlchemy 2 no longer accepts;
    # we use psycopg 3.
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw[len("postgres://"):]
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
    return raw


def load_settings(environ: Mapping[str, str] | None = None, *, load_dotenv_file: bool = True) -> Settings:
    """Build the settings from ``environ`` (default: the process environment plus ``.env``)."""
    if environ is None:
        if load_dotenv_file:
            from dotenv import find_dotenv, load_dotenv

            # From the working directory: without usecwd python-dotenv searches upwards from
            # this file, which for an installed package is site-packages, never the app's .env.
            load_dotenv(find_dotenv(usecwd=True), override=False)
        environ = os.environ
    defaults = Settings()
    problems: list[str] = []
    languages = tuple(
        code.strip().lower() for code in environ.get("HELPLINE_LANGUAGES", "fi,sv,en").split(",") if code.strip()
    )
    settings = Settings(
        env=environ.get("HELPLINE_ENV", "development").strip() or "development",
        database_url=_database_url(environ.get("DATABASE_URL", "").strip() or defaults.database_url),
        redis_url=environ.get("REDIS_URL", "").strip() or defaults.redis_url,
        twilio_account_sid=environ.get("TWILIO_ACCOUNT_SID", "").strip(),
        twilio_auth_token=environ.get("TWILIO_AUTH_TOKEN", "").strip(),
        twilio_phone_number=environ.get("TWILIO_PHONE_NUMBER", "").strip(),
        twilio_api_base_url=environ.get("TWILIO_API_BASE_URL", "").strip().rstrip("/"),
        public_base_url=environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/"),
        timezone_name=environ.get("HELPLINE_TIMEZONE", "").strip() or defaults.timezone_name,
        holiday_calendar=environ.get("HOLIDAY_CALENDAR", defaults.holiday_calendar).strip().upper(),
        ring_timeout_seconds=_int(environ, "RING_TIMEOUT_SECONDS", defaults.ring_timeout_seconds, problems),
        queue_max_wait_seconds=_int(environ, "QUEUE_MAX_WAIT_SECONDS", defaults.queue_max_wait_seconds, problems),
        reminder_interval_seconds=_int(environ, "REMINDER_INTERVAL_SECONDS", defaults.reminder_interval_seconds, problems),
        escalate_after_reminders=_int(environ, "ESCALATE_AFTER_REMINDERS", defaults.escalate_after_reminders, problems),
        sms_max_per_recipient_per_hour=_int(
            environ, "SMS_MAX_PER_RECIPIENT_PER_HOUR", defaults.sms_max_per_recipient_per_hour, problems
        ),
        secret_key=environ.get("SECRET_KEY", "").strip(),
        caller_languages=languages,
        recording_max_seconds=_int(environ, "RECORDING_MAX_SECONDS", defaults.recording_max_seconds, problems),
        simulated_clock_file=environ.get("HELPLINE_SIMULATED_CLOCK_FILE", "").strip(),
        callback_target_hours=_int(environ, "CALLBACK_TARGET_HOURS", defaults.callback_target_hours, problems),
        retention_days=_int(environ, "RETENTION_DAYS", defaults.retention_days, problems),
        metrics_token=environ.get("METRICS_TOKEN", "").strip(),
        prometheus_multiproc_dir=environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip(),
        wrap_up_sms=_bool(environ, "WRAP_UP_SMS", defaults.wrap_up_sms, problems),
    )
    _raise_if_any(problems + settings.problems())
    return settings


SETTING_NAMES = tuple(f.name for f in fields(Settings))
