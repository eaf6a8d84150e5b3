"""helpline.telephony.signatures.SignatureChecker: one HMAC for a genuine request, and Twilio's
own validator for everything else (the URL with or without its port), failing closed."""
from __future__ import annotations

from hypothesis import given, strategies as st

from helpline.telephony.signatures import SignatureChecker, sign

TOKEN = "checker-token-0123456789"
PARAMS = {"CallSid": "CA" + "1" * 32, "From": "+358401234567", "To": "+358931234567"}
URL = "https://helpline.example.org/voice/incoming"


def test_a_genuine_signature_is_valid():
    assert SignatureChecker(TOKEN).is_valid(URL, PARAMS, sign(TOKEN, URL, PARAMS))


def test_a_signature_twilio_made_over_the_url_with_its_port_is_valid_too():
    signature = sign(TOKEN, "https://helpline.example.org:443/voice/incoming", PARAMS)
    assert SignatureChecker(TOKEN).is_valid(URL, PARAMS, signature)


def test_another_tokens_signature_other_parameters_or_no_token_are_refused():
    checker = SignatureChecker(TOKEN)
    assert not checker.is_valid(URL, PARAMS, sign("another-token", URL, PARAMS))
    assert not checker.is_valid(URL, {**PARAMS, "From": "+358409999999"}, sign(TOKEN, URL, PARAMS))
    assert not checker.is_valid(URL, PARAMS, None)
    assert not SignatureChecker("").is_valid(URL, PARAMS, sign(TOKEN, URL, PARAMS))


@given(st.text())
def test_any_text_as_a_signature_is_an_answer_not_an_error(signature):
    assert SignatureChecker(TOKEN).is_valid(URL, PARAMS, signature) is (signature == sign(TOKEN, URL, PARAMS))
