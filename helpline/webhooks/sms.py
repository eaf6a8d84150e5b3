"""SMS webhooks: staff commands (/sms/incoming) and message status callbacks (/sms/status)."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from helpline import services
from helpline.queue.sms_status import record_status_callback
from helpline.webhooks.security import twilio_signed

log = logging.getLogger(__name__)

blueprint = Blueprint("sms", __name__, url_prefix="/sms")


@blueprint.post("/status")
@twilio_signed
def message_status() -> Response:
    """Twilio's report on a message we sent (our StatusCallback URL, ?outbound=<row id>).

    Stored once per (MessageSid, MessageStatus); the row's status only moves forward. Answers
    204 whatever happened: Twilio only needs to know we got it.
    """
    line = services()
    form = request.form
    with line.db.session() as session:
        outcome = record_status_callback(
            session,
            sid=form.get("MessageSid") or form.get("SmsSid") or "",
            status=(form.get("MessageStatus") or form.get("SmsStatus") or "").lower(),
            error_code=_int_or_none(form.get("ErrorCode")),
            outbound_id=_int_or_none(request.args.get("outbound")),
            now=line.clock.now(),
        )
    log.info("message status %s %s: %s", form.get("MessageSid"), form.get("MessageStatus"), outcome)
    return Response(status=204)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
