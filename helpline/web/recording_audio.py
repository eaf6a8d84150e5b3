"""A recorded message's audio, proxied from Twilio to the browser: the callback page's player
(helpline.web.callbacks) and the listen links in staff SMS (helpline.webhooks.listen).

The bytes come through this app with our credentials (Services.twilio), so the listener needs
no Twilio account and never sees a Twilio URL; they are passed on as they arrive, never held
whole. A Range header is passed on, for phones' audio players.
"""
from __future__ import annotations

from typing import Mapping

from flask import Response, request

from helpline.services import current_services


def recording_response(recording_sid: str, headers: Mapping[str, str] | None = None) -> Response:
    """Stream ``recording_sid``'s audio, with ``headers`` added to Twilio's own (Content-Length,
    Content-Range, ...). A private recording: never cached.

    Raises helpline.telephony.errors.NotFound when Twilio no longer has it, and another
    TwilioError when Twilio could not be asked just now.
    """
    stream = current_services().twilio.open_recording(recording_sid, range_header=request.headers.get("Range"))
    response = Response(stream.chunks(), status=stream.status, mimetype=stream.content_type, direct_passthrough=True)
    response.headers.update(stream.headers)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.update(headers or {})
    response.call_on_close(stream.close)
    return response
