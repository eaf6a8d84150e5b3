"""Whatever Twilio or the network answers becomes one of our own errors, the same for SMS, calls
and recordings: refused for good, worth another try, or perhaps already done."""
from __future__ import annotations

import logging

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from urllib3.exceptions import MaxRetryError, NewConnectionError

from helpline.telephony.errors import (
    AmbiguousFailure,
    InvalidRecipient,
    NotFound,
    RecipientOptedOut,
    Rejected,
    TemporarilyFailed,
    translate,
)

URI = "/2010-04-01/Accounts/AC/Messages.json"


def _twilio(status: int, code: int | None = None) -> TwilioRestException:
    return TwilioRestException(status, URI, msg="refused", code=code, method="POST")


def _refused_connection() -> requests.exceptions.ConnectionError:
    reason = NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.exceptions.ConnectionError(MaxRetryError(None, URI, reason=reason))  # type: ignore[arg-type]


@pytest.mark.parametrize(("error", "ours", "code"), [
    (_twilio(400, 21610), RecipientOptedOut, 21610),
    (_twilio(400, 21211), InvalidRecipient, 21211),
    (_twilio(400, 21614), InvalidRecipient, 21614),
    (_twilio(400, 21606), Rejected, 21606),
    (_twilio(404, 20404), NotFound, 20404),
    (_twilio(429, 20429), TemporarilyFailed, 20429),
    (_twilio(500), TemporarilyFailed, 500),
    (_twilio(503), TemporarilyFailed, 503),
    (requests.exceptions.ConnectTimeout("timed out connecting"), TemporarilyFailed, None),
    (_refused_connection(), TemporarilyFailed, None),
    (requests.exceptions.ConnectionError("Connection aborted mid-request"), AmbiguousFailure, None),
    (requests.exceptions.ReadTimeout("read timed out"), AmbiguousFailure, None),
    (requests.exceptions.TooManyRedirects("loop"), AmbiguousFailure, None),
], ids=["opted-out", "invalid-number", "not-mobile", "other-4xx", "not-found", "429", "500", "503",
        "connect-timeout", "connection-refused", "dropped-connection", "read-timeout", "other"])
def test_twilios_answer_to_a_request_that_changes_something_becomes_our_own_error(error, ours, code):
    translated = translate(error)
    assert type(translated) is ours
    assert translated.code == code


@pytest.mark.parametrize("error", [requests.exceptions.ReadTimeout("read timed out"), _twilio(503),
                                   requests.exceptions.ConnectionError("Connection aborted"), _twilio(401, 20003)],
                         ids=["read-timeout", "503", "dropped-connection", "401"])
def test_a_lookup_that_fails_is_never_ambiguous_only_temporary(error):
    translated = translate(error, reading="list messages")
    assert type(translated) is TemporarilyFailed
    assert translated.message.startswith("could not list messages at Twilio: ")


def test_a_lookup_twilio_refuses_for_good_stays_refused():
    assert type(translate(_twilio(404, 20404), reading="fetch call CA1")) is NotFound
    assert type(translate(_twilio(400, 21211), reading="list messages")) is InvalidRecipient


def test_wrong_credentials_are_retried_later_and_told_to_the_operator(caplog):
    caplog.set_level(logging.ERROR, logger="helpline.telephony.errors")
    translated = translate(_twilio(401, 20003))
    assert type(translated) is TemporarilyFailed and translated.code == 20003
    assert "check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN" in caplog.text
