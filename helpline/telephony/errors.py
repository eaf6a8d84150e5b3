"""What can go wrong when we ask Twilio to send an SMS, in our own words.

telephony/sms.py turns Twilio's HTTP errors and error codes into these; nothing outside
telephony/ ever sees a ``TwilioRestException`` or a ``requests`` exception. The split that
matters to the sender is permanent (never retry) versus temporary (retry with backoff) versus
ambiguous (the request may have reached Twilio: check before retrying).
"""
from __future__ import annotations


class SmsError(Exception):
    """Base class: ``code`` is Twilio's error code (or the HTTP status when Twilio gave none)."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class SmsRejected(SmsError):
    """Twilio refused the message for good; sending it again would be refused again."""


class RecipientOptedOut(SmsRejected):
    """21610: the recipient replied STOP to our number; Twilio blocks every SMS to it."""


class InvalidRecipient(SmsRejected):
    """21211 (not a valid phone number) or 21614 (not a mobile number): the number is bad."""


class SmsTemporarilyFailed(SmsError):
    """429, 5xx, a connection that never got through, or 30003/30008 on delivery: try again later."""


class AmbiguousSmsFailure(SmsTemporarilyFailed):
    """The request may have reached Twilio (a read timeout, a dropped connection): it may have
    been sent. Check at Twilio before sending it again."""


OPTED_OUT_CODES = frozenset({21610})
INVALID_RECIPIENT_CODES = frozenset({21211, 21614})
# Delivery errors (reported in status callbacks, not by the REST call) worth a later retry:
# 30003 unreachable handset (switched off, out of coverage), 30008 unknown carrier error.
RETRYABLE_DELIVERY_CODES = frozenset({30003, 30008})


class TwilioUnavailable(Exception):
    """Twilio's REST API could not be asked right now (down, timing out, refusing us); a periodic
    caller simply tries again at its next run."""
