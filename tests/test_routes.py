"""Every URL we hand to Twilio or put in an SMS is written from one table, the one the webhooks
are served at, whether a webhook or a worker (no app, no request) writes it."""
from __future__ import annotations

import pytest
from flask import url_for

from helpline.routes import PUBLIC_PATHS, public_url

BASE = "https://helpline.example.org"


def test_every_public_url_is_served_by_its_webhook(app):
    served = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    assert {endpoint: served.get(endpoint) for endpoint in PUBLIC_PATHS} == PUBLIC_PATHS


@pytest.mark.parametrize(("endpoint", "values"), [
    ("callbacks_out.bridge_answered", {"callback": 12, "attempt": 2}),
    ("callbacks_out.staff_leg_status", {"callback": 12, "attempt": 2}),
    ("sms.message_status", {"outbound": 7}),
    ("listen.listen", {"token": "Zq3v9XkP2mLw8RtY4bNc6H"}),
    ("voice.screen", {"call": "CA" + "1" * 32, "attempt": 1, "lang": "sv"}),
    ("voice.screen_choice", {"call": "CA" + "1" * 32, "attempt": ""}),
])
def test_a_worker_writes_the_very_url_the_app_would(app, endpoint, values):
    with app.test_request_context(base_url=BASE):
        expected = url_for(endpoint, _external=True, **values)
    assert public_url(BASE, endpoint, **values) == expected


def test_the_urls_jobs_hand_to_twilio_read_as_before():
    assert public_url(BASE + "/", "callbacks_out.bridge_answered", callback=3, attempt=1) == (
        f"{BASE}/callbacks-out/bridge?callback=3&attempt=1")
    assert public_url(BASE, "sms.message_status", outbound=7) == f"{BASE}/sms/status?outbound=7"
    assert public_url(BASE, "listen.listen", token="ab_-9") == f"{BASE}/r/ab_-9"


def test_without_a_public_base_url_there_is_no_public_url():
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        public_url("", "sms.message_status", outbound=7)
