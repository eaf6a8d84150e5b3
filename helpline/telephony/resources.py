"""What Twilio hands back, as plain values of our own (helpline.telephony.client makes them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator

import requests

CHUNK_BYTES = 16 * 1024
DEFAULT_CONTENT_TYPE = "audio/mpeg"
# Headers of Twilio's answer that the listener's player needs too.
PASSED_HEADERS = ("Content-Length", "Content-Range", "Accept-Ranges", "Last-Modified", "ETag")


@dataclass(frozen=True)
class TwilioMessage:
    sid: str
    status: str
    to: str
    body: str
    date_created: datetime | None
    error_code: int | None = None

    @classmethod
    def of(cls, instance: Any) -> "TwilioMessage":
        """From twilio-python's MessageInstance."""
        return cls(sid=instance.sid, status=instance.status or "queued", to=instance.to, body=instance.body or "",
                   date_created=instance.date_created, error_code=instance.error_code)


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    status: str


@dataclass(frozen=True)
class TwilioRecording:
    sid: str
    call_sid: str | None
    duration_seconds: int | None
    status: str
    created_at: datetime | None
    media_url: str

    @classmethod
    def of(cls, instance: Any, media_url: str) -> "TwilioRecording":
        """From twilio-python's RecordingInstance."""
        duration = int(instance.duration) if instance.duration not in (None, "") else None
        return cls(sid=instance.sid, call_sid=instance.call_sid, duration_seconds=duration,
                   status=instance.status or "", created_at=instance.date_created, media_url=media_url)


@dataclass
class RecordingStream:
    """An open answer from Twilio: ``status`` is 200, or 206 for a range; iterate ``chunks()``
    and call ``close()`` when done (also when the listener goes away)."""

    status: int
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    _response: requests.Response | None = None

    @classmethod
    def of(cls, response: requests.Response) -> "RecordingStream":
        passed = {name: response.headers[name] for name in PASSED_HEADERS if name in response.headers}
        content_type = response.headers.get("Content-Type") or DEFAULT_CONTENT_TYPE
        return cls(response.status_code, content_type, passed, response)

    def chunks(self) -> Iterator[bytes]:
        assert self._response is not None
        try:
            yield from self._response.iter_content(CHUNK_BYTES)
        finally:
            self.close()

    def close(self) -> None:
        if self._response is not None:
            self._response.close()
