"""The metrics' settings: retention, the response target, the scrape token."""
from __future__ import annotations

import pytest

from helpline.config import ConfigError, load_settings


def test_the_metrics_settings_are_read_from_the_environment_with_their_defaults():
    defaults = load_settings({}, load_dotenv_file=False)
    assert (defaults.retention_days, defaults.callback_target_hours, defaults.metrics_token) == (90, 0, "")
    settings = load_settings({"RETENTION_DAYS": "30", "CALLBACK_TARGET_HOURS": "8", "METRICS_TOKEN": " tok ",
                              "PROMETHEUS_MULTIPROC_DIR": "/run/prom"}, load_dotenv_file=False)
    assert (settings.retention_days, settings.callback_target_hours, settings.metrics_token,
            settings.prometheus_multiproc_dir) == (30, 8, "tok", "/run/prom")


@pytest.mark.parametrize("environ, words", [
    ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS must be at least 1"),
    ({"RETENTION_DAYS": "ninety"}, "RETENTION_DAYS='ninety' is not a whole number"),
    ({"CALLBACK_TARGET_HOURS": "-2"}, "CALLBACK_TARGET_HOURS must be 0"),
])
def test_a_bad_metrics_setting_stops_start_up_by_name(environ, words):
    with pytest.raises(ConfigError, match=words):
        load_settings(environ, load_dotenv_file=False)
