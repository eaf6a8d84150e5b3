"""Outbound calls through Twilio's REST API: the line rings a staff member (CALL <ref>).

Like the SMS gateway, every failure comes out as one of our own exceptions. A call is placed at
most once: after an ambiguous failure (the request may have reached Twilio) the caller of
``ring`` must not simply try again, since a phone ringing twice for one request is worse than
asking the staff member to send CALL again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from urllib3.exceptions import NewConnectionError

from helpline.config import Settings
from helpline.telephony.sms import DEFAULT_TIMEOUT_SECONDS, TwilioRest

log = logging.getLogger(__name__)

STAFF_RING_SECONDS = 30  # how long the staff phone rings before Twilio gives up


class CallError(Exception):
    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class CallRejected(CallError):
    """Twilio refused the call (a bad number, a 4xx): trying again would be refused again."""


class CallTemporarilyFailed(CallError):
    """429, 5xx or no connection: nothing was placed; a later try may work."""


class AmbiguousCallFailure(CallError):
    """The request may have reached Twilio (a timeout, a dropped connection): the phone may ring."""


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    status: str


class CallGateway:
    def __init__(self, rest: TwilioRest, from_number: str) -> None:
        if not from_number:
            raise ValueError("TWILIO_PHONE_NUMBER is needed to place calls")
        self.rest = rest
        self.from_number = from_number

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> "CallGateway":
        return cls(TwilioRest.from_settings(settings, timeout=timeout), settings.twilio_phone_number)

    def ring(self, *, to: str, url: str, status_callback: str, timeout: int = STAFF_RING_SECONDS) -> PlacedCall:
        """POST Calls.json: ring ``to`` from the line's number; when answered, Twilio fetches ``url``.
        ``status_callback`` hears how the call ended."""
        try:
            call = self.rest.client.calls.create(
                to=to, from_=self.from_number, url=url, method="POST", timeout=timeout,
                status_callback=status_callback, status_callback_method="POST",
                status_callback_event=["completed"],
            )
        except TwilioRestException as error:
            code = error.code if isinstance(error.code, int) else None
            text = f"Twilio {error.status}" + (f" error {code}" if code else "") + f": {error.msg}"
            if error.status == 429 or error.status >= 500:
                raise CallTemporarilyFailed(text, code=code or error.status) from error
            raise CallRejected(text, code=code or error.status) from error
        except requests.exceptions.ConnectTimeout as error:
            raise CallTemporarilyFailed(f"could not connect to Twilio: {error}") from error
        except requests.exceptions.ConnectionError as error:
            # urllib3's reason tells a connection never made (refused, DNS) from one that broke.
            reason = getattr(error.args[0], "reason", None) if error.args else None
            if isinstance(reason, NewConnectionError):
                raise CallTemporarilyFailed(f"could not connect to Twilio: {error}") from error
            raise AmbiguousCallFailure(f"connection to Twilio failed mid-request: {error}") from error
        except (requests.exceptions.Timeout, TwilioException, requests.exceptions.RequestException) as error:
            raise AmbiguousCallFailure(f"no clear answer from Twilio: {error}") from error
        return PlacedCall(sid=call.sid, status=call.status or "queued")
