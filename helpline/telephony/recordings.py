"""Fetch a recording's audio from Twilio with our credentials, as a stream.

The listen links (helpline.callbacks.listen_links) hand staff the line's own URL; behind it, this module
asks Twilio for ``/Recordings/<sid>.mp3`` at TWILIO_API_BASE_URL with basic auth, and passes the
bytes through without holding the whole file. A Range header is passed on (phones' audio players
ask for ranges), and Twilio's redirect to its media storage is followed; requests drops our
Authorization header when the redirect leaves the API's host, as it should.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterator

import requests

from helpline.telephony.sms import TwilioRest

log = logging.getLogger(__name__)

# (connect, read): a listener waits at most this long for the first bytes.
TIMEOUT = (5.0, 30.0)
CHUNK_BYTES = 16 * 1024
DEFAULT_CONTENT_TYPE = "audio/mpeg"
# Headers of Twilio's answer that the listener's player needs too.
PASSED_HEADERS = ("Content-Length", "Content-Range", "Accept-Ranges", "Last-Modified", "ETag")


class RecordingError(Exception):
    """The recording could not be fetched; ``message`` says why in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RecordingGone(RecordingError):
    """Twilio has no such recording (deleted, or never stored)."""


class RecordingFetchFailed(RecordingError):
    """Twilio could not be reached or answered an error; trying again later may work."""


@dataclass
class RecordingStream:
    """An open answer from Twilio: ``status`` is 200, or 206 for a range; iterate ``chunks()``
    and call ``close()`` when done (also when the listener goes away)."""

    status: int
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    _response: requests.Response | None = None

    def chunks(self) -> Iterator[bytes]:
        assert self._response is not None
        try:
            yield from self._response.iter_content(CHUNK_BYTES)
        finally:
            self.close()

    def close(self) -> None:
        if self._response is not None:
            self._response.close()


def open_recording(rest: TwilioRest, recording_sid: str, *, range_header: str | None = None,
                   extension: str = "mp3") -> RecordingStream:
    """Start streaming ``recording_sid``. Raises RecordingGone or RecordingFetchFailed."""
    url = rest.recording_media_url(recording_sid, extension)
    headers = {"Range": range_header} if range_header else {}
    try:
        response = requests.get(url, auth=rest.auth, headers=headers, stream=True, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise RecordingFetchFailed(f"could not reach Twilio for recording {recording_sid}: {error}") from error
    if response.status_code == 404:
        response.close()
        raise RecordingGone(f"Twilio has no recording {recording_sid}")
    if response.status_code not in (200, 206):
        response.close()
        if response.status_code == 401:
            log.error("Twilio refused our credentials fetching a recording (check TWILIO_ACCOUNT_SID/AUTH_TOKEN)")
        raise RecordingFetchFailed(f"Twilio answered {response.status_code} for recording {recording_sid}")
    passed = {name: response.headers[name] for name in PASSED_HEADERS if name in response.headers}
    content_type = response.headers.get("Content-Type") or DEFAULT_CONTENT_TYPE
    return RecordingStream(response.status_code, content_type, passed, response)


class RecordingDeleteFailed(RecordingError):
    """Twilio could not be reached or refused to delete; the recording may still be there."""


def delete_recording(rest: TwilioRest, recording_sid: str) -> bool:
    """DELETE the recording at Twilio (the retention job). True when Twilio deleted it, False
    when it was gone already (404); raises RecordingDeleteFailed otherwise, to try again later."""
    url = rest.url(f"/2010-04-01/Accounts/{rest.account_sid}/Recordings/{recording_sid}.json")
    try:
        response = requests.delete(url, auth=rest.auth, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise RecordingDeleteFailed(f"could not reach Twilio to delete recording {recording_sid}: {error}") from error
    if response.status_code == 404:
        return False
    if response.status_code not in (200, 204):
        raise RecordingDeleteFailed(f"Twilio answered {response.status_code} deleting recording {recording_sid}")
    return True
