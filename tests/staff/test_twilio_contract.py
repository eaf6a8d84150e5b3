"""Our outbound-call request and recording fetch are the ones Twilio's OpenAPI description defines."""
from __future__ import annotations

import json

import pytest

from helpline.telephony.client import TwilioGateway
from helpline.telephony.errors import Rejected, TemporarilyFailed
from tests.shared_files import TWILIO_OPENAPI, require

CALLS = "/2010-04-01/Accounts/{AccountSid}/Calls.json"
RECORDING = "/2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json"


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(require(TWILIO_OPENAPI).read_text())


@pytest.fixture
def gateway(line) -> TwilioGateway:
    return TwilioGateway.from_settings(line.settings)


def test_the_call_we_place_uses_only_fields_twilio_defines_for_creating_a_call(spec, gateway, fake_twilio, line):
    placed = gateway.ring(to="+358401110001", url="https://helpline.example.org/callbacks-out/bridge?callback=1&attempt=1",
                          status_callback="https://helpline.example.org/callbacks-out/status?callback=1&attempt=1")
    [create] = fake_twilio.requests_to("POST", "/Calls.json")
    schema = spec["paths"][CALLS]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert set(create.form_keys) <= set(schema["properties"])
    assert set(schema.get("required", [])) <= set(create.form_keys)
    assert create.form["From"] == line.settings.twilio_phone_number and create.authorized
    assert create.form["StatusCallbackEvent"] == "completed"
    assert placed.sid.startswith("CA")


@pytest.mark.parametrize(("failure", "error"), [("500", TemporarilyFailed), ("429", TemporarilyFailed),
                                                ("21211", Rejected)])
def test_twilios_refusals_to_place_a_call_become_our_own_errors(gateway, fake_twilio, failure, error):
    fake_twilio.fail_next(failure, endpoint="calls")
    with pytest.raises(error):
        gateway.ring(to="+358401110001", url="https://helpline.example.org/x", status_callback="https://h.example/y")


def test_a_recordings_media_lives_beside_the_recording_resource_twilio_defines(spec, gateway, line):
    assert RECORDING in spec["paths"]
    url = gateway.recording_url("RE" + "a" * 32, "mp3")
    assert url.endswith(RECORDING.replace("{AccountSid}", line.settings.twilio_account_sid)
                        .replace("{Sid}", "RE" + "a" * 32).replace(".json", ".mp3"))
