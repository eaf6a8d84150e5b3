"""Twilio's list of recordings: the backstop that lets the line re-find a caller's message.

Twilio keeps every recording whether or not our webhook managed to store it. Listing the recent
ones and comparing with our rows finds any message whose webhook failed (database down, our
server unreachable, a deploy in the middle of a call), so it still becomes a callback request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from twilio.base.exceptions import TwilioException, TwilioRestException

from helpline.telephony.errors import TwilioUnavailable
from helpline.telephony.sms import TwilioRest


@dataclass(frozen=True)
class TwilioRecording:
    sid: str
    call_sid: str | None
    duration_seconds: int | None
    status: str
    created_at: datetime | None
    media_url: str


class RecordingsGateway:
    def __init__(self, rest: TwilioRest) -> None:
        self.rest = rest

    def created_since(self, since: datetime) -> list[TwilioRecording]:
        # twilio-python writes the filter's wall time with a Z: hand it UTC so that it means UTC.
        since_utc = since.astimezone(timezone.utc)
        try:
            found = self.rest.client.recordings.list(date_created_after=since_utc, page_size=1000)
        except (TwilioRestException, TwilioException, OSError) as error:
            raise TwilioUnavailable(f"could not list recordings at Twilio: {error}") from error
        return [
            TwilioRecording(
                sid=item.sid,
                call_sid=item.call_sid,
                duration_seconds=int(item.duration) if item.duration not in (None, "") else None,
                status=item.status or "",
                created_at=item.date_created,
                media_url=self.rest.url(f"/2010-04-01/Accounts/{self.rest.account_sid}/Recordings/{item.sid}"),
            )
            for item in found
        ]

    def caller_of(self, call_sid: str) -> str:
        """Twilio's From of a call ('' when Twilio does not know the call)."""
        try:
            call = self.rest.client.calls(call_sid).fetch()
        except TwilioRestException as error:
            if error.status == 404:
                return ""
            raise TwilioUnavailable(f"could not fetch call {call_sid}: {error}") from error
        except (TwilioException, OSError) as error:
            raise TwilioUnavailable(f"could not fetch call {call_sid}: {error}") from error
        return getattr(call, "_from", "") or ""
