"""Settings: read once from the environment, defaults as in CONTRACT.md section 1, every problem
named at start-up."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpline.config import ConfigError, Settings, load_settings

PRODUCTION_SECRETS = {
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "token",
    "TWILIO_PHONE_NUMBER": "+358931234567",
    "SECRET_KEY": "a long random secret",
}


@pytest.mark.parametrize(("field", "default"), [
    ("env", "development"),
    ("redis_url", "redis://localhost:6379/0"),
    ("twilio_account_sid", ""),
    ("twilio_auth_token", ""),
    ("twilio_phone_number", ""),
    ("twilio_api_base_url", ""),
    ("public_base_url", ""),
    ("timezone_name", "Europe/Helsinki"),
    ("holiday_calendar", "FI"),
    ("ring_timeout_seconds", 20),
    ("reminder_interval_seconds", 1800),
    ("escalate_after_reminders", 3),
    ("sms_max_per_recipient_per_hour", 30),
    ("secret_key", ""),
])
def test_an_operator_who_sets_nothing_gets_the_documented_defaults(field, default):
    assert getattr(load_settings({}), field) == default


def test_the_default_database_is_a_sqlite_file_under_instance(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).database_url == f"sqlite:///{tmp_path / 'instance' / 'helpline.sqlite3'}"


def test_every_variable_is_read(monkeypatch):
    settings = load_settings({
        **PRODUCTION_SECRETS, "HELPLINE_ENV": "production", "DATABASE_URL": "sqlite:///x.db",
        "REDIS_URL": "redis://cache:6380/2", "TWILIO_API_BASE_URL": "http://127.0.0.1:9000/",
        "PUBLIC_BASE_URL": "https://helpline.example.org/", "HELPLINE_TIMEZONE": "Europe/Stockholm",
        "HOLIDAY_CALENDAR": "se", "RING_TIMEOUT_SECONDS": " 25 ", "REMINDER_INTERVAL_SECONDS": "600",
        "ESCALATE_AFTER_REMINDERS": "0", "SMS_MAX_PER_RECIPIENT_PER_HOUR": "10",
    })
    assert (settings.env, settings.database_url, settings.redis_url) == ("production", "sqlite:///x.db",
                                                                          "redis://cache:6380/2")
    # Trailing slashes go, so that URLs are joined the same way everywhere.
    assert (settings.twilio_api_base_url, settings.public_base_url) == ("http://127.0.0.1:9000",
                                                                        "https://helpline.example.org")
    assert (settings.timezone_name, str(settings.timezone), settings.holiday_calendar) == (
        "Europe/Stockholm", "Europe/Stockholm", "SE")
    assert (settings.ring_timeout_seconds, settings.reminder_interval_seconds, settings.escalate_after_reminders,
            settings.sms_max_per_recipient_per_hour) == (25, 600, 0, 10)
    assert settings.twilio_phone_number == "+358931234567" and settings.secret_key == "a long random secret"


def test_the_wait_queue_lasts_five_minutes_unless_told_and_0_turns_it_off():
    assert load_settings({}).queue_max_wait_seconds == 300
    assert load_settings({"QUEUE_MAX_WAIT_SECONDS": "120"}).queue_max_wait_seconds == 120
    assert load_settings({"QUEUE_MAX_WAIT_SECONDS": "0"}).queue_max_wait_seconds == 0


def test_an_empty_holiday_calendar_means_no_holidays():
    assert load_settings({"HOLIDAY_CALENDAR": ""}).holiday_calendar == ""


@pytest.mark.parametrize("missing", sorted(PRODUCTION_SECRETS))
def test_in_production_each_missing_secret_is_named(missing):
    environ = {**PRODUCTION_SECRETS, "HELPLINE_ENV": "production"}
    del environ[missing]
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert f"{missing} is required when HELPLINE_ENV=production" in str(error.value)
    assert [name for name in PRODUCTION_SECRETS if name in str(error.value)] == [missing]


def test_in_production_with_nothing_set_every_missing_secret_is_named_at_once():
    with pytest.raises(ConfigError) as error:
        load_settings({"HELPLINE_ENV": "production"})
    for name in PRODUCTION_SECRETS:
        assert f"{name} is required" in str(error.value)


@pytest.mark.parametrize("env", ["development", "testing"])
def test_development_runs_without_twilio_credentials(env):
    assert load_settings({"HELPLINE_ENV": env}).is_development


def test_production_starts_when_every_secret_is_given():
    settings = load_settings({**PRODUCTION_SECRETS, "HELPLINE_ENV": "production"})
    assert not settings.is_development


@pytest.mark.parametrize(("environ", "words"), [
    ({"HELPLINE_TIMEZONE": "Mars/Olympus"}, "HELPLINE_TIMEZONE='Mars/Olympus' is not a known IANA time zone"),
    ({"HELPLINE_TIMEZONE": "../../etc/passwd"}, "HELPLINE_TIMEZONE='../../etc/passwd' is not a known"),
    ({"HELPLINE_TIMEZONE": "Europe"}, "HELPLINE_TIMEZONE='Europe' is not a known IANA time zone"),
    ({"HOLIDAY_CALENDAR": "XX"}, "HOLIDAY_CALENDAR='XX' is not a country code the holidays library knows"),
    ({"RING_TIMEOUT_SECONDS": "twenty"}, "RING_TIMEOUT_SECONDS='twenty' is not a whole number"),
    ({"RING_TIMEOUT_SECONDS": "2.5"}, "RING_TIMEOUT_SECONDS='2.5' is not a whole number"),
    ({"RING_TIMEOUT_SECONDS": "3"}, "RING_TIMEOUT_SECONDS must be between 5 and 600"),
    ({"RING_TIMEOUT_SECONDS": "601"}, "RING_TIMEOUT_SECONDS must be between 5 and 600"),
    ({"QUEUE_MAX_WAIT_SECONDS": "-1"}, "QUEUE_MAX_WAIT_SECONDS must be between 0 (no queue) and 3600"),
    ({"QUEUE_MAX_WAIT_SECONDS": "five minutes"}, "QUEUE_MAX_WAIT_SECONDS='five minutes' is not a whole number"),
    ({"REMINDER_INTERVAL_SECONDS": "0"}, "REMINDER_INTERVAL_SECONDS must be a positive number"),
    ({"SMS_MAX_PER_RECIPIENT_PER_HOUR": "-1"}, "SMS_MAX_PER_RECIPIENT_PER_HOUR must be a positive number"),
    ({"ESCALATE_AFTER_REMINDERS": "-1"}, "ESCALATE_AFTER_REMINDERS must be zero or more"),
    ({"TWILIO_PHONE_NUMBER": "09 3123 4567"}, "TWILIO_PHONE_NUMBER='09 3123 4567' is not a valid E.164 number"),
    ({"PUBLIC_BASE_URL": "helpline.example.org"}, "PUBLIC_BASE_URL='helpline.example.org' must be an absolute"),
    ({"TWILIO_API_BASE_URL": "localhost:9000"}, "TWILIO_API_BASE_URL='localhost:9000' must be an absolute"),
    ({"HELPLINE_LANGUAGES": " , "}, "HELPLINE_LANGUAGES needs at least one language"),
])
def test_a_malformed_setting_stops_start_up_with_its_name_and_what_is_wrong(environ, words):
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert words in str(error.value)


def test_every_problem_is_reported_at_once_so_the_operator_fixes_them_in_one_go():
    with pytest.raises(ConfigError) as error:
        load_settings({"HELPLINE_ENV": "production", "RING_TIMEOUT_SECONDS": "lots",
                       "REMINDER_INTERVAL_SECONDS": "soon", "HELPLINE_TIMEZONE": "Nowhere/Land"})
    message = str(error.value)
    for name in ("RING_TIMEOUT_SECONDS='lots'", "REMINDER_INTERVAL_SECONDS='soon'", "HELPLINE_TIMEZONE",
                 *PRODUCTION_SECRETS):
        assert name in message
    assert message.count("RING_TIMEOUT_SECONDS") == 1


def test_a_configuration_error_is_a_value_error():
    with pytest.raises(ValueError):
        load_settings({"HOLIDAY_CALENDAR": "XX"})


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u:p@db:5432/helpline", "postgresql+psycopg://u:p@db:5432/helpline"),
    ("postgresql://u:p@db:5432/helpline", "postgresql+psycopg://u:p@db:5432/helpline"),
    ("postgresql+psycopg://u@db/helpline", "postgresql+psycopg://u@db/helpline"),
    ("sqlite:////var/lib/helpline.sqlite3", "sqlite:////var/lib/helpline.sqlite3"),
])
def test_a_heroku_style_postgres_url_is_fixed_for_sqlalchemy_2(given, used):
    assert load_settings({"DATABASE_URL": given}).database_url == used


def test_with_overrides_checks_the_new_values_again():
    settings = load_settings({})
    assert settings.with_overrides(holiday_calendar="").holiday_calendar == ""
    with pytest.raises(ConfigError, match="HELPLINE_TIMEZONE"):
        settings.with_overrides(timezone_name="Nowhere/Land")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings(env="production").checked()


# --- the .env file -------------------------------------------------------------------------------

DOTENV_KEYS = ("HELPLINE_TIMEZONE", "RING_TIMEOUT_SECONDS", "HOLIDAY_CALENDAR")


@pytest.fixture
def app_dir_with_dotenv(tmp_path, monkeypatch) -> Path:
    """A working directory holding a .env; those variables are absent from the real environment
    (and removed again afterwards, whatever load_dotenv put there)."""
    for key in DOTENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    (tmp_path / ".env").write_text("HELPLINE_TIMEZONE=Europe/Stockholm\nRING_TIMEOUT_SECONDS=45\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_dict_environ_never_reads_the_dotenv_file(app_dir_with_dotenv):
    settings = load_settings({})
    assert (settings.timezone_name, settings.ring_timeout_seconds) == ("Europe/Helsinki", 20)
    assert "HELPLINE_TIMEZONE" not in os.environ


def test_the_process_environment_is_completed_from_dotenv_in_the_working_directory(app_dir_with_dotenv, monkeypatch):
    monkeypatch.setenv("RING_TIMEOUT_SECONDS", "30")  # the real environment wins over .env
    settings = load_settings()
    assert (settings.timezone_name, settings.ring_timeout_seconds) == ("Europe/Stockholm", 30)


def test_dotenv_loading_can_be_turned_off(app_dir_with_dotenv):
    assert load_settings(load_dotenv_file=False).timezone_name == "Europe/Helsinki"
