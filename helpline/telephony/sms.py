"""Twilio's REST API behind a small interface: the only module that imports ``twilio.rest``.

- :class:`TwilioRest` is one configured twilio ``Client`` per process. It honours
  TWILIO_API_BASE_URL: twilio-python 9 sends every api.twilio.com request to
  ``client.api.base_url`` (``Domain.absolute_url``), next-page links included, so replacing
  that one attribute points the whole API at a local fake. Other REST users (calls, recordings)
  take the client from here.
- :class:`SmsGateway` sends an SMS, or looks for one Twilio already has, and turns every
  failure into one of the exceptions in :mod:`helpline.telephony.errors`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import requests
from urllib3.exceptions import NewConnectionError
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from helpline.config import Settings
from helpline.telephony.errors import (
    INVALID_RECIPIENT_CODES,
    OPTED_OUT_CODES,
    AmbiguousSmsFailure,
    InvalidRecipient,
    RecipientOptedOut,
    SmsRejected,
    SmsTemporarilyFailed,
)

log = logging.getLogger(__name__)

TWILIO_API_BASE_URL = "https://api.twilio.com"
# Connect and read timeout of every REST request. Long enough for Twilio's slow days, short
# enough that a worker is not stuck; a read timeout is an ambiguous failure (see SmsGateway).
DEFAULT_TIMEOUT_SECONDS = 10.0
# How far Twilio's clock and ours may disagree when matching a message by its creation time.
CLOCK_SKEW = timedelta(minutes=5)


class TwilioRest:
    """A twilio Client bound to our account, at TWILIO_API_BASE_URL when that is set."""

    def __init__(self, account_sid: str, auth_token: str, *, base_url: str = "",
                 timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        if not account_sid or not auth_token:
            raise ValueError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed to use Twilio's REST API")
        self.account_sid = account_sid
        self.auth = (account_sid, auth_token)
        self.base_url = (base_url or TWILIO_API_BASE_URL).rstrip("/")
        # environment={} so that TWILIO_EDGE/TWILIO_REGION in the environment cannot rewrite the host.
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout),
                             environment={})
        self.client.api.base_url = self.base_url

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> "TwilioRest":
        return cls(settings.twilio_account_sid, settings.twilio_auth_token,
                   base_url=settings.twilio_api_base_url, timeout=timeout)

    def url(self, path: str) -> str:
        """An absolute URL on the API, e.g. url("/2010-04-01/Accounts/AC.../Recordings/RE....mp3")."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def recording_media_url(self, recording_sid: str, extension: str = "mp3") -> str:
        return self.url(f"/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}.{extension}")


@dataclass(frozen=True)
class TwilioMessage:
    sid: str
    status: str
    to: str
    body: str
    date_created: datetime | None
    error_code: int | None = None


class SmsGateway:
    """Send SMS from the line's number; every failure comes out as one of our named exceptions."""

    def __init__(self, rest: TwilioRest, from_number: str) -> None:
        if not from_number:
            raise ValueError("TWILIO_PHONE_NUMBER is needed to send SMS")
        self.rest = rest
        self.from_number = from_number

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> "SmsGateway":
        return cls(TwilioRest.from_settings(settings, timeout=timeout), settings.twilio_phone_number)

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> TwilioMessage:
        """POST Messages.json. Raises SmsRejected (and subtypes), SmsTemporarilyFailed or
        AmbiguousSmsFailure (the request may have reached Twilio)."""
        try:
            message = self.rest.client.messages.create(
                to=to, from_=self.from_number, body=body,
                **({"status_callback": status_callback} if status_callback else {}),
            )
        except TwilioRestException as error:
            raise _translate(error) from error
        except requests.exceptions.ConnectTimeout as error:
            # Never connected, so Twilio cannot have the message: a plain temporary failure.
            raise SmsTemporarilyFailed(f"could not connect to Twilio: {error}") from error
        except requests.exceptions.ConnectionError as error:
            if _never_connected(error):
                raise SmsTemporarilyFailed(f"could not connect to Twilio: {error}") from error
            raise AmbiguousSmsFailure(f"connection to Twilio failed mid-request: {error}") from error
        except requests.exceptions.Timeout as error:
            raise AmbiguousSmsFailure(f"Twilio did not answer in time: {error}") from error
        except (TwilioException, requests.exceptions.RequestException) as error:
            raise AmbiguousSmsFailure(f"unexpected answer from Twilio: {error}") from error
        return _message(message)

    def find_sent(self, *, to: str, body: str, since: datetime) -> TwilioMessage | None:
        """A message with this body that Twilio already has for ``to``, created at ``since`` or later.

        Used before retrying an ambiguous failure. Twilio lists by To and From server-side; the
        DateSent filter is coarse (a date), so creation time and body are matched here.
        """
        earliest = since - CLOCK_SKEW
        try:
            # twilio-python formats the datetime's wall time with a "Z": hand it UTC.
            candidates = self.rest.client.messages.list(
                to=to, from_=self.from_number, date_sent_after=earliest.astimezone(timezone.utc),
                limit=100, page_size=100,
            )
        except TwilioRestException as error:
            translated = _translate(error)
            if isinstance(translated, SmsRejected):
                raise translated from error
            raise SmsTemporarilyFailed(f"could not list messages at Twilio: {translated}") from error
        except (TwilioException, requests.exceptions.RequestException) as error:
            # A read-only request: failing it is never ambiguous, only temporary.
            raise SmsTemporarilyFailed(f"could not list messages at Twilio: {error}") from error
        for candidate in candidates:
            created = candidate.date_created
            if candidate.body == body and (created is None or created >= earliest):
                return _message(candidate)
        return None


def _message(instance) -> TwilioMessage:
    return TwilioMessage(
        sid=instance.sid,
        status=instance.status or "queued",
        to=instance.to,
        body=instance.body or "",
        date_created=instance.date_created,
        error_code=instance.error_code,
    )


def _translate(error: TwilioRestException) -> Exception:
    code = error.code if isinstance(error.code, int) else None
    text = f"Twilio {error.status}" + (f" error {code}" if code and code != error.status else "") + f": {error.msg}"
    if code in OPTED_OUT_CODES:
        return RecipientOptedOut(text, code=code)
    if code in INVALID_RECIPIENT_CODES:
        return InvalidRecipient(text, code=code)
    if error.status == 429 or error.status >= 500:
        return SmsTemporarilyFailed(text, code=code or error.status)
    if error.status == 401:
        # Wrong credentials are a configuration fault an operator can fix: keep the messages and
        # retry with backoff instead of failing every one of them for good.
        log.error("Twilio refused our credentials (check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN): %s", text)
        return SmsTemporarilyFailed(text, code=code or error.status)
    return SmsRejected(text, code=code or error.status)


def _never_connected(error: requests.exceptions.ConnectionError) -> bool:
    """True when the TCP connection was never made (refused, DNS), so nothing reached Twilio.

    requests wraps urllib3's MaxRetryError, whose ``reason`` says what happened."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)  # NameResolutionError is a subclass
