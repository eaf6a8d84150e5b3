"""The fake Twilio speaks Twilio's API as Twilio's OpenAPI description defines it, and so do we."""
from __future__ import annotations

import json
from datetime import timedelta, timezone

import pytest
import requests

from helpline.telephony.client import TwilioGateway
from helpline.telephony.errors import InvalidRecipient, TemporarilyFailed

from tests.shared_files import TWILIO_OPENAPI, require

from .conftest import CALLER

MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(require(TWILIO_OPENAPI).read_text())


def _form_properties(operation: dict) -> dict:
    return operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]


@pytest.fixture
def gateway(line) -> TwilioGateway:
    return TwilioGateway.from_settings(line.settings)


def test_the_sms_we_send_uses_only_fields_twilio_defines_for_creating_a_message(spec, gateway, fake_twilio):
    gateway.send_sms(to=CALLER, body="Hei! Soitamme takaisin.", status_callback="https://helpline.example.org/sms/status?outbound=1")
    [create] = fake_twilio.requests_to("POST", "/Messages.json")
    schema = _form_properties(spec["paths"][MESSAGES]["post"])
    assert set(create.form_keys) <= set(schema["properties"])
    assert set(schema.get("required", [])) <= set(create.form_keys)
    assert len(create.form_keys) == len(set(create.form_keys))


def test_the_check_for_an_already_sent_sms_uses_only_filters_twilio_defines(spec, gateway, fake_twilio, clock):
    gateway.find_sent_sms(to=CALLER, body="anything", since=clock.now())
    [listing] = fake_twilio.requests_to("GET", "/Messages.json")
    parameters = {p["name"] for p in spec["paths"][MESSAGES]["get"]["parameters"] if p["in"] == "query"}
    assert set(listing.query) <= parameters
    assert {"To", "From"} <= set(listing.query)


def test_the_fake_answers_with_a_message_shaped_like_twilios(spec, gateway, fake_twilio):
    gateway.send_sms(to=CALLER, body="hello")
    [message] = fake_twilio.messages
    schema = spec["components"]["schemas"]["api.v2010.account.message"]
    assert set(message) == set(schema["properties"])
    assert message["sid"].startswith("SM") and len(message["sid"]) == 34
    assert message["status"] == "queued"
    assert message["date_created"].endswith("+0000")  # RFC 2822, GMT


def test_twilio_uses_basic_auth_and_the_fake_refuses_anything_else(spec, fake_twilio, line):
    assert spec["components"]["securitySchemes"]["accountSid_authToken"] == {"scheme": "basic", "type": "http"}
    sid = line.settings.twilio_account_sid
    url = f"{fake_twilio.base_url}/2010-04-01/Accounts/{sid}/Messages.json"
    form = {"To": CALLER, "From": line.settings.twilio_phone_number, "Body": "x"}

    wrong_token = requests.post(url, data=form, auth=(sid, "wrong"), timeout=5)
    assert wrong_token.status_code == 401
    assert wrong_token.json() == {"code": 20003, "message": "Authenticate", "status": 401,
                                  "more_info": "https://www.twilio.com/docs/errors/20003"}
    assert requests.post(url, data=form, timeout=5).status_code == 401
    other = "AC" + "9" * 32
    wrong_account = requests.post(url.replace(sid, other), data=form, auth=(sid, line.settings.twilio_auth_token),
                                  timeout=5)
    assert wrong_account.status_code == 404 and wrong_account.json()["code"] == 20404
    assert fake_twilio.messages == []


def test_the_fake_refuses_a_message_twilio_would_refuse(gateway, fake_twilio):
    with pytest.raises(InvalidRecipient) as bad_number:
        gateway.send_sms(to="0401234567", body="not E.164")
    assert bad_number.value.code == 21211
    assert fake_twilio.messages == []


def test_failures_can_be_aimed_at_one_recipient(gateway, fake_twilio):
    fake_twilio.fail_next("500", to="+358401110001", times=None)
    with pytest.raises(TemporarilyFailed):
        gateway.send_sms(to="+358401110001", body="x")
    gateway.send_sms(to=CALLER, body="y")
    assert [m["to"] for m in fake_twilio.messages] == [CALLER]


def test_listing_filters_by_recipient_and_date_sent_like_twilio(gateway, fake_twilio, clock):
    gateway.send_sms(to=CALLER, body="yesterday's")
    clock.advance(days=1)
    gateway.send_sms(to=CALLER, body="today's")
    gateway.send_sms(to="+358401110001", body="someone else's")
    client = gateway.client
    today = clock.now().date()
    assert [m.body for m in client.messages.list(to=CALLER)] == ["today's", "yesterday's"]
    assert [m.body for m in client.messages.list(to=CALLER, date_sent=today.isoformat())] == ["today's"]
    an_hour_ago = (clock.now() - timedelta(hours=1)).astimezone(timezone.utc)  # twilio-python wants UTC
    assert [m.body for m in client.messages.list(date_sent_after=an_hour_ago)] == [
        "someone else's", "today's"]
    # Paging: twilio-python follows next_page_uri back to the fake, not to api.twilio.com.
    assert len(client.messages.list(page_size=1)) == 3


def test_the_fake_places_calls_and_serves_and_deletes_recordings(gateway, fake_twilio, line):
    client = gateway.client
    call = client.calls.create(to=CALLER, from_=line.settings.twilio_phone_number,
                               url="https://helpline.example.org/voice/bridge?ref=5",
                               status_callback="https://helpline.example.org/voice/status")
    assert call.sid.startswith("CA") and call.status == "queued"
    assert fake_twilio.calls[0]["request"]["Url"] == "https://helpline.example.org/voice/bridge?ref=5"

    sid = fake_twilio.add_recording(audio=b"RIFF-fake-audio")
    auth = gateway.auth
    media = requests.get(gateway.recording_url(sid, "wav"), auth=auth, timeout=5)
    assert media.status_code == 200 and media.content == b"RIFF-fake-audio"
    assert requests.get(gateway.recording_url(sid, "wav"), timeout=5).status_code == 401
    assert client.recordings(sid).delete() is True
    assert fake_twilio.recording_deleted(sid)
    assert requests.get(gateway.recording_url(sid, "mp3"), auth=auth, timeout=5).status_code == 404
