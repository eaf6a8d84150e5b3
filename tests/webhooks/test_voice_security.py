"""Only Twilio, signing with our auth token, can drive a call: anything else gets 403 and changes nothing."""
from __future__ import annotations

import pytest

from helpline.devtools.call_client import FlaskTransport, TwilioCallSimulator
from helpline.telephony.signatures import sign

CALLER = "+358501234567"
VOICE_PATHS = ["/voice/incoming", "/voice/language", "/voice/dial-result?attempt=1", "/voice/screen?attempt=1",
               "/voice/screen-choice?attempt=1", "/voice/recorded", "/voice/recording-status", "/voice/status"]


def _params(settings) -> dict[str, str]:
    return {"CallSid": "CA" + "7" * 32, "From": CALLER, "To": settings.twilio_phone_number,
            "CallStatus": "completed", "Digits": "1", "RecordingSid": "RE" + "7" * 32,
            "RecordingUrl": "https://api.twilio.com/x", "RecordingStatus": "completed", "DialCallStatus": "completed",
            "DialBridged": "true"}


@pytest.mark.parametrize("path", VOICE_PATHS)
def test_a_request_signed_with_another_token_is_refused_and_stores_nothing(
        path, simulator, staffed_line, settings, counts):
    params = _params(settings)
    forged = sign("not-our-auth-token", settings.public_base_url + path, params)

    response = simulator.send_raw(path, params, forged)

    assert response.status_code == 403
    assert counts() == type(counts())(0, 0, 0, 0, 0)


@pytest.mark.parametrize("path", VOICE_PATHS)
def test_a_request_without_a_signature_is_refused_and_stores_nothing(
        path, simulator, staffed_line, settings, counts):
    response = simulator.send_raw(path, _params(settings), None)

    assert response.status_code == 403
    assert counts() == type(counts())(0, 0, 0, 0, 0)


def test_a_signature_for_other_parameters_is_refused(simulator, office_hours, settings, counts):
    office_hours()
    params = _params(settings)
    signature = sign(settings.twilio_auth_token, settings.public_base_url + "/voice/incoming", params)

    response = simulator.send_raw("/voice/incoming", {**params, "From": "+358409999999"}, signature)

    assert response.status_code == 403 and counts().calls == 0


def test_a_signature_for_another_url_is_refused(simulator, office_hours, settings, counts):
    office_hours()
    params = _params(settings)
    signature = sign(settings.twilio_auth_token, settings.public_base_url + "/voice/status", params)

    response = simulator.send_raw("/voice/incoming", params, signature)

    assert response.status_code == 403 and counts().calls == 0


@pytest.mark.parametrize("server_gives_raw_uri", [True, False], ids=["raw-uri", "no-raw-uri"])
def test_a_webhook_url_with_an_escaped_query_string_still_validates(
        server_gives_raw_uri, client, settings, office_hours, counts):
    """Werkzeug un-escapes request.url (%2B becomes +); the check must use the URL as Twilio signed it,
    from RAW_URI/REQUEST_URI when the server gives them (gunicorn does) and from the raw query otherwise."""
    office_hours()
    overrides = {} if server_gives_raw_uri else {"RAW_URI": "", "REQUEST_URI": ""}
    simulator = TwilioCallSimulator(FlaskTransport(client, environ_overrides=overrides),
                                    auth_token=settings.twilio_auth_token, public_base_url=settings.public_base_url,
                                    account_sid=settings.twilio_account_sid, line_number=settings.twilio_phone_number)
    params = {"CallSid": "CA" + "8" * 32, "From": CALLER, "To": settings.twilio_phone_number, "CallStatus": "ringing"}
    path = "/voice/incoming?campaign=a%2Bb&place=%C3%A4%20x"

    accepted = simulator.deliver(path, params)
    unescaped = sign(settings.twilio_auth_token, settings.public_base_url + "/voice/incoming?campaign=a+b&place=ä x",
                     params)
    refused = simulator.send_raw(path, params, unescaped)

    assert accepted.status_code == 200 and accepted.content_type.startswith("text/xml")
    assert refused.status_code == 403
    assert counts().calls == 1


def test_the_signature_is_checked_against_the_public_base_url_behind_a_proxy(simulator, settings, office_hours):
    office_hours()
    params = {"CallSid": "CA" + "6" * 32, "From": CALLER, "To": settings.twilio_phone_number, "CallStatus": "ringing"}
    signed_for_internal_host = sign(settings.twilio_auth_token, "http://localhost/voice/incoming", params)

    assert simulator.send_raw("/voice/incoming", params, signed_for_internal_host).status_code == 403
    assert simulator.deliver("/voice/incoming", params).status_code == 200
