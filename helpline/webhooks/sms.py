"""SMS webhooks: staff commands (/sms/incoming) and message status callbacks (/sms/status)."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request

from sqlalchemy.exc import IntegrityError

from helpline.ids import parse_id
from helpline.routes import path
from helpline.services import current_services
from helpline.queue.sms_status import record_status_callback
from helpline.inbound.sms import IncomingSms, receive, store
from helpline.webhooks.security import twilio_signed
from helpline.webhooks.twiml_response import to_int

log = logging.getLogger(__name__)

blueprint = Blueprint("sms", __name__)
# Replies are queued SMS of our own (rate limited, retried), never TwiML <Message>s.
EMPTY_MESSAGING_RESPONSE = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
_RACE_ATTEMPTS = 3


@blueprint.post(path("sms.incoming"))
@twilio_signed
def incoming() -> Response:
    """A staff member's command (or anyone's SMS) to the line's number: helpline.inbound.sms.

    Always answers an empty TwiML <Response/>; the reply, if any, is queued in the outbox. When
    handling fails, the message is still stored (unprocessed) so that nothing is lost.
    """
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    if not sid:
        return Response("Bad request: MessageSid is required\n", status=400, mimetype="text/plain")
    sms = IncomingSms(message_sid=sid, from_value=form.get("From", ""), to=form.get("To", ""),
                      body=form.get("Body", ""))
    line = current_services()
    for attempt in range(1, _RACE_ATTEMPTS + 1):
        try:
            with line.db.session() as session:
                outcome = receive(session, sms, line.clock.now())
            log.info("SMS %s: %s", sid, outcome)
            break
        except IntegrityError:
            # A concurrent command wrote the same row first (two CALLs at once): decide again.
            if attempt < _RACE_ATTEMPTS:
                continue
            _keep_unprocessed(sms)
        except Exception:
            _keep_unprocessed(sms)
            break
    return Response(EMPTY_MESSAGING_RESPONSE, status=200, mimetype="text/xml")


def _keep_unprocessed(sms: IncomingSms) -> None:
    log.exception("SMS %s from %s could not be handled; kept unprocessed", sms.message_sid, sms.from_value)
    line = current_services()
    try:
        with line.db.session() as session:
            store(session, sms, line.clock.now())
    except Exception:
        log.exception("SMS %s could not even be stored: %r from %s", sms.message_sid, sms.body, sms.from_value)


@blueprint.post(path("sms.message_status"))
@twilio_signed
def message_status() -> Response:
    """Twilio's report on a message we sent (our StatusCallback URL, ?outbound=<row id>).

    Stored once per (MessageSid, MessageStatus); the row's status only moves forward. Answers
    204 whatever happened: Twilio only needs to know we got it. An ``outbound`` that is not a row
    id at all (not a number, or past 2^31 - 1) is 404, as for any URL naming an id that cannot be.
    """
    line = current_services()
    form = request.form
    raw_outbound = request.args.get("outbound")
    outbound_id = parse_id(raw_outbound)
    if raw_outbound not in (None, "") and outbound_id is None:
        abort(404)
    with line.db.session() as session:
        outcome = record_status_callback(
            session,
            sid=form.get("MessageSid") or form.get("SmsSid") or "",
            status=(form.get("MessageStatus") or form.get("SmsStatus") or "").lower(),
            error_code=to_int(form.get("ErrorCode")),
            outbound_id=outbound_id,
            now=line.clock.now(),
        )
    log.info("message status %s %s: %s", form.get("MessageSid"), form.get("MessageStatus"), outcome)
    return Response(status=204)
