"""The JSON (and audio) the fake Twilio answers with, shaped like api.twilio.com 2010-04-01.

Field names and formats follow Twilio's OpenAPI description (shared/twilio/openapi, beside the repository):
SIDs are two letters and 32 hex digits, dates are RFC 2822 in GMT, errors are
``{"code", "message", "more_info", "status"}``, which twilio-python turns into a
TwilioRestException carrying ``code``.
"""
from __future__ import annotations

import io
import re
import secrets
import wave
from datetime import date, datetime, timezone
from email.utils import format_datetime

from helpline.sms.gsm7 import segments

API_VERSION = "2010-04-01"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")

# Twilio's error codes and messages for the failures the fake can be told to produce.
ERRORS: dict[int, tuple[int, str]] = {
    20003: (401, "Authenticate"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
    21201: (400, "No 'To' number is specified"),
    21211: (400, "Invalid 'To' Phone Number"),
    21213: (400, "No 'From' number is specified"),
    21205: (400, "Url parameter is required."),
    21602: (400, "Message body is required."),
    21603: (400, "A 'From' phone number is required."),
    21604: (400, "A 'To' phone number is required."),
    21606: (400, "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit."),
}


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def rfc2822(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return format_datetime(moment.astimezone(timezone.utc))


def error_body(code: int, detail: str | None = None) -> tuple[int, dict[str, object]]:
    status, message = ERRORS[code]
    return status, {
        "code": code,
        "message": detail or message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def message_json(account_sid: str, sid: str, *, to: str, from_: str, body: str, status: str,
                 created: datetime, updated: datetime, sent: datetime | None,
                 error_code: int | None = None, error_message: str | None = None) -> dict[str, object]:
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}.json"
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": body,
        "date_created": rfc2822(created),
        "date_sent": rfc2822(sent),
        "date_updated": rfc2822(updated),
        "direction": "outbound-api",
        "error_code": error_code,
        "error_message": error_message,
        "from": from_,
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": str(segments(body)),
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": status,
        "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        "to": to,
        "uri": uri,
    }


def call_json(account_sid: str, sid: str, *, to: str, from_: str, status: str, created: datetime) -> dict[str, object]:
    return {
        "account_sid": account_sid,
        "annotation": None,
        "answered_by": None,
        "api_version": API_VERSION,
        "caller_name": None,
        "date_created": rfc2822(created),
        "date_updated": rfc2822(created),
        "direction": "outbound-api",
        "duration": None,
        "end_time": None,
        "forwarded_from": None,
        "from": from_,
        "from_formatted": from_,
        "group_sid": None,
        "parent_call_sid": None,
        "phone_number_sid": None,
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "start_time": None,
        "status": status,
        "subresource_uris": {},
        "to": to,
        "to_formatted": to,
        "trunk_sid": None,
        "uri": f"/{API_VERSION}/Accounts/{account_sid}/Calls/{sid}.json",
        "queue_time": "0",
    }


def recording_json(account_sid: str, sid: str, *, call_sid: str | None, duration: int,
                   created: datetime) -> dict[str, object]:
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "call_sid": call_sid,
        "channels": 1,
        "conference_sid": None,
        "date_created": rfc2822(created),
        "date_updated": rfc2822(created),
        "duration": str(duration),
        "sid": sid,
        "source": "RecordVerb",
        "start_time": rfc2822(created),
        "status": "completed",
        "uri": f"/{API_VERSION}/Accounts/{account_sid}/Recordings/{sid}.json",
        "media_url": f"https://api.twilio.com/{API_VERSION}/Accounts/{account_sid}/Recordings/{sid}",
    }


def silent_wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A valid WAV file of silence (Twilio serves recordings as 8 kHz mono)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def silent_mp3(frames: int = 38) -> bytes:
    """About a second of silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each)."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return frame * frames


def parse_date_filter(value: str) -> tuple[date | None, datetime | None]:
    """Twilio's DateSent filters take YYYY-MM-DD (a day) or a full timestamp (an instant)."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value), None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return None, moment


def matches_date(sent: datetime | None, value: str, comparison: str) -> bool:
    """``comparison`` is "=", "<" (on or before) or ">" (on or after), as Twilio reads them."""
    if sent is None:
        return False
    day, moment = parse_date_filter(value)
    if day is not None:
        left, right = sent.astimezone(timezone.utc).date(), day
    else:
        left, right = sent, moment
    return {"=": left == right, "<": left <= right, ">": left >= right}[comparison]
