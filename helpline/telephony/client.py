"""Twilio's REST API behind one small class: the only module that imports ``twilio.rest``.

:class:`TwilioGateway` is the process's one configured twilio ``Client`` (``Services.twilio``),
and every request the line makes of Twilio is one of its methods: send an SMS, look for one
Twilio already has, ring a staff phone, list recent recordings and ask who made a call, stream
a recording's audio, delete a recording. Every failure comes out as one of the exceptions of
:mod:`helpline.telephony.errors`; the answers come back as the plain values of
:mod:`helpline.telephony.resources`.

It honours TWILIO_API_BASE_URL: twilio-python 9 sends every api.twilio.com request to
``client.api.base_url`` (``Domain.absolute_url``), next-page links included, so replacing that
one attribute points the whole API at a local fake; the audio and deletion requests, made with
plain requests, use the same base.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from helpline.config import Settings
from helpline.telephony.errors import NotFound, asking_twilio, refusal
from helpline.telephony.resources import PlacedCall, RecordingStream, TwilioMessage, TwilioRecording

TWILIO_API_BASE_URL = "https://api.twilio.com"
# Connect and read timeout of every REST request. Long enough for Twilio's slow days, short
# enough that a worker is not stuck; a read timeout is an ambiguous failure.
DEFAULT_TIMEOUT_SECONDS = 10.0
# (connect, read) of a recording's audio and its deletion: a listener waits at most this long.
MEDIA_TIMEOUT = (5.0, 30.0)
# How far Twilio's clock and ours may disagree when matching a message by its creation time.
CLOCK_SKEW = timedelta(minutes=5)
STAFF_RING_SECONDS = 30  # how long the staff phone rings before Twilio gives up


def _http_client(base_url: str, timeout: float) -> TwilioHttpClient:
    """twilio's pooled client, with the environment's proxy and CA bundle read once, here.

    Left to itself, requests re-reads them (and scans no_proxy) on every request: measured, about a
    third of the client's CPU for one SMS (scripts/bench_sms.py, docs/benchmarks.md).
    """
    http = TwilioHttpClient(timeout=timeout)
    http.session.trust_env = False
    http.proxy = requests.utils.get_environ_proxies(base_url)
    http.session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return http


class TwilioGateway:
    """Our account at Twilio (at TWILIO_API_BASE_URL when that is set), speaking from the line's number."""

    def __init__(self, account_sid: str, auth_token: str, line_number: str = "", *, base_url: str = "",
                 timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        if not account_sid or not auth_token:
            raise ValueError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed to use Twilio's REST API")
        self.account_sid = account_sid
        self.auth = (account_sid, auth_token)
        self.base_url = (base_url or TWILIO_API_BASE_URL).rstrip("/")
        self._line_number = line_number
        # environment={} so that TWILIO_EDGE/TWILIO_REGION in the environment cannot rewrite the host.
        self.client = Client(account_sid, auth_token, http_client=_http_client(self.base_url, timeout),
                             environment={})
        self.client.api.base_url = self.base_url

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> "TwilioGateway":
        return cls(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_phone_number,
                   base_url=settings.twilio_api_base_url, timeout=timeout)

    def line_number(self) -> str:
        """The From of every SMS and call; raises ValueError when TWILIO_PHONE_NUMBER is not set
        (a job calls it before it claims its row, so that the row is not left half-done)."""
        if not self._line_number:
            raise ValueError("TWILIO_PHONE_NUMBER is needed to send SMS and place calls")
        return self._line_number

    def url(self, path: str) -> str:
        """An absolute URL on the API, e.g. url("/2010-04-01/Accounts/AC.../Recordings/RE....mp3")."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def recording_url(self, recording_sid: str, extension: str = "") -> str:
        """The recording resource (``extension`` "mp3" or "wav": its audio; "json": the resource)."""
        suffix = f".{extension}" if extension else ""
        return self.url(f"/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}{suffix}")

    # --- messages --------------------------------------------------------------------------------

    def send_sms(self, *, to: str, body: str, status_callback: str | None = None) -> TwilioMessage:
        """POST Messages.json. Raises Rejected (and subtypes), TemporarilyFailed or
        AmbiguousFailure (the request may have reached Twilio)."""
        with asking_twilio():
            message = self.client.messages.create(
                to=to, from_=self.line_number(), body=body,
                **({"status_callback": status_callback} if status_callback else {}),
            )
        return TwilioMessage.of(message)

    def find_sent_sms(self, *, to: str, body: str, since: datetime) -> TwilioMessage | None:
        """A message with this body that Twilio already has for ``to``, created at ``since`` or later.

        Used before retrying an ambiguous failure. Twilio lists by To and From server-side; the
        DateSent filter is coarse (a date), so creation time and body are matched here.
        """
        earliest = since - CLOCK_SKEW
        with asking_twilio(reading="list messages"):
            # twilio-python formats the datetime's wall time with a "Z": hand it UTC.
            candidates = self.client.messages.list(
                to=to, from_=self.line_number(), date_sent_after=earliest.astimezone(timezone.utc),
                limit=100, page_size=100,
            )
        for candidate in candidates:
            created = candidate.date_created
            if candidate.body == body and (created is None or created >= earliest):
                return TwilioMessage.of(candidate)
        return None

    # --- calls -----------------------------------------------------------------------------------

    def ring(self, *, to: str, url: str, status_callback: str, timeout: int = STAFF_RING_SECONDS) -> PlacedCall:
        """POST Calls.json: ring ``to`` from the line's number; when answered, Twilio fetches ``url``.
        ``status_callback`` hears how the call ended.

        A call is placed at most once: after an AmbiguousFailure the phone may ring, so the caller
        of ``ring`` must not simply try again.
        """
        with asking_twilio():
            call = self.client.calls.create(
                to=to, from_=self.line_number(), url=url, method="POST", timeout=timeout,
                status_callback=status_callback, status_callback_method="POST",
                status_callback_event=["completed"],
            )
        return PlacedCall(sid=call.sid, status=call.status or "queued")

    def caller_of(self, call_sid: str) -> str:
        """Twilio's From of a call ('' when Twilio does not know the call)."""
        try:
            with asking_twilio(reading=f"fetch call {call_sid}"):
                call = self.client.calls(call_sid).fetch()
        except NotFound:
            return ""
        return getattr(call, "_from", "") or ""

    def call_status(self, call_sid: str) -> str | None:
        """Twilio's status of a call ("in-progress", "completed", ...); None when Twilio does not
        know it. Asked before freeing a staff member whose busy state no webhook closed."""
        try:
            with asking_twilio(reading=f"fetch call {call_sid}"):
                call = self.client.calls(call_sid).fetch()
        except NotFound:
            return None
        return call.status or None

    # --- recordings ------------------------------------------------------------------------------

    def recordings_since(self, since: datetime) -> list[TwilioRecording]:
        """Every recording Twilio made since ``since`` (the backstop of helpline.queue.reconcile)."""
        with asking_twilio(reading="list recordings"):
            # twilio-python writes the filter's wall time with a Z: hand it UTC so that it means UTC.
            found = self.client.recordings.list(date_created_after=since.astimezone(timezone.utc), page_size=1000)
        return [TwilioRecording.of(item, self.recording_url(item.sid)) for item in found]

    def open_recording(self, recording_sid: str, *, range_header: str | None = None,
                       extension: str = "mp3") -> RecordingStream:
        """Start streaming a recording's audio, with our credentials, without holding the whole file.

        A Range header is passed on (phones' audio players ask for ranges), and Twilio's redirect
        to its media storage is followed; requests drops our Authorization header when the
        redirect leaves the API's host, as it should. Raises NotFound, or another TwilioError.
        """
        headers = {"Range": range_header} if range_header else {}
        with asking_twilio(reading=f"fetch recording {recording_sid}"):
            response = requests.get(self.recording_url(recording_sid, extension), auth=self.auth, headers=headers,
                                    stream=True, timeout=MEDIA_TIMEOUT)
        if response.status_code not in (200, 206):
            response.close()
            raise refusal(response.status_code, f"recording {recording_sid} could not be fetched")
        return RecordingStream.of(response)

    def delete_recording(self, recording_sid: str) -> bool:
        """DELETE the recording at Twilio (the retention job). True when Twilio deleted it, False
        when it was gone already (404); raises a TwilioError otherwise, to try again later."""
        with asking_twilio():
            response = requests.delete(self.recording_url(recording_sid, "json"), auth=self.auth,
                                       timeout=MEDIA_TIMEOUT)
        if response.status_code == 404:
            return False
        if response.status_code not in (200, 204):
            raise refusal(response.status_code, f"recording {recording_sid} could not be deleted")
        return True
