"""What can go wrong when we ask Twilio for something, in our own words.

Every request to Twilio's REST API (an SMS, a look for one already sent, a call, the list of
recordings, a recording's audio or its deletion) goes through helpline.telephony.client, which
turns Twilio's HTTP errors and error codes, and requests' connection errors, into these with
:func:`translate`; nothing outside telephony/ ever sees a ``TwilioRestException`` or a
``requests`` exception. What matters to the caller is the split:

    TwilioError
        Rejected                refused for good: asking again would be refused again
            RecipientOptedOut   21610: the recipient replied STOP to the line
            InvalidRecipient    21211 / 21614: not a (mobile) phone number
            NotFound            404: Twilio has no such message, call or recording
        TemporarilyFailed       429, 5xx, wrong credentials, no connection: nothing happened
            AmbiguousFailure    a timeout or a dropped connection: it may have happened

A request that changes nothing (a list, a fetch) is never ambiguous: :func:`translate` with
``reading`` makes any failure of it that is not a rejection a plain temporary one.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from urllib3.exceptions import NewConnectionError

log = logging.getLogger(__name__)

OPTED_OUT_CODES = frozenset({21610})
INVALID_RECIPIENT_CODES = frozenset({21211, 21614})
# Delivery errors (reported in status callbacks, not by the REST call) worth a later retry:
# 30003 unreachable handset (switched off, out of coverage), 30008 unknown carrier error.
RETRYABLE_DELIVERY_CODES = frozenset({30003, 30008})
# What a request to Twilio may raise below our translation: twilio's own errors, and requests'
# (every one an OSError), whether the REST client or a plain requests call made it.
REQUEST_FAILURES = (TwilioException, OSError)


class TwilioError(Exception):
    """Base class: ``code`` is Twilio's error code (or the HTTP status when Twilio gave none)."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Rejected(TwilioError):
    """Twilio refused the request for good; asking again would be refused again."""


class RecipientOptedOut(Rejected):
    """21610: the recipient replied STOP to our number; Twilio blocks every SMS to it."""


class InvalidRecipient(Rejected):
    """21211 (not a valid phone number) or 21614 (not a mobile number): the number is bad."""


class NotFound(Rejected):
    """404: Twilio has no such resource (a recording deleted, a call it never had)."""


class TemporarilyFailed(TwilioError):
    """429, 5xx, wrong credentials, a connection that never got through: nothing happened at
    Twilio, and a later try may work."""


class AmbiguousFailure(TemporarilyFailed):
    """The request may have reached Twilio (a read timeout, a dropped connection): the SMS may
    have been sent, the phone may ring. Check at Twilio before asking again, or do not ask again."""


def translate(error: Exception, *, reading: str | None = None) -> TwilioError:
    """Our exception for a request to Twilio that raised ``error`` (one of REQUEST_FAILURES).

    ``reading`` names a request that changes nothing ("list messages"): its failures are a
    rejection or a plain temporary failure, "could not <reading> at Twilio: ...".
    """
    if isinstance(error, TwilioRestException):
        translated = refusal(error.status, error.msg, code=error.code if isinstance(error.code, int) else None)
        if reading and not isinstance(translated, Rejected):
            return TemporarilyFailed(f"could not {reading} at Twilio: {translated.message}")
        return translated
    if reading:
        return TemporarilyFailed(f"could not {reading} at Twilio: {error}")
    if isinstance(error, requests.exceptions.ConnectTimeout) or _never_connected(error):
        # Never connected, so Twilio cannot have it: a plain temporary failure.
        return TemporarilyFailed(f"could not connect to Twilio: {error}")
    if isinstance(error, requests.exceptions.ConnectionError):
        return AmbiguousFailure(f"connection to Twilio failed mid-request: {error}")
    if isinstance(error, requests.exceptions.Timeout):
        return AmbiguousFailure(f"Twilio did not answer in time: {error}")
    return AmbiguousFailure(f"unexpected answer from Twilio: {error}")


def refusal(status: int, message: str, *, code: int | None = None) -> TwilioError:
    """Our exception for Twilio's answering a request with HTTP ``status`` (and its error ``code``)."""
    text = f"Twilio {status}" + (f" error {code}" if code and code != status else "") + f": {message}"
    if code in OPTED_OUT_CODES:
        return RecipientOptedOut(text, code=code)
    if code in INVALID_RECIPIENT_CODES:
        return InvalidRecipient(text, code=code)
    if status == 429 or status >= 500:
        return TemporarilyFailed(text, code=code or status)
    if status == 401:
        # Wrong credentials are a configuration fault an operator can fix: keep the work and
        # retry with backoff instead of failing every piece of it for good.
        log.error("Twilio refused our credentials (check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN): %s", text)
        return TemporarilyFailed(text, code=code or status)
    if status == 404:
        return NotFound(text, code=code or status)
    return Rejected(text, code=code or status)


@contextmanager
def asking_twilio(*, reading: str | None = None) -> Iterator[None]:
    """Run one request to Twilio; whatever it raises comes out translated (see :func:`translate`)."""
    try:
        yield
    except REQUEST_FAILURES as error:
        raise translate(error, reading=reading) from error


def _never_connected(error: Exception) -> bool:
    """True when the TCP connection was never made (refused, DNS), so nothing reached Twilio.

    requests wraps urllib3's MaxRetryError, whose ``reason`` says what happened."""
    if not isinstance(error, requests.exceptions.ConnectionError):
        return False
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)  # NameResolutionError is a subclass
