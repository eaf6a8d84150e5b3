"""The place_call job: ring the staff member who sent CALL <ref>, from the line's number.

Queued after the CALL's transaction commits, with the fixed id ``callback-<id>-call-<n>``, and
guarded in the database (requested -> placing happens once), so a job queued twice or re-queued
by the sweep rings the staff phone once. Twilio is asked outside any transaction.

A call is placed at most once: if Twilio refuses, cannot be reached, or leaves us unsure
whether it took the request, the attempt ends as not placed and the staff member gets an SMS
asking them to send CALL again. Nothing is retried behind their back: a phone that rings
minutes after one gave up on it is more confusing than a short SMS. (After an ambiguous failure
Twilio may still ring them; the bridge webhook then finds the attempt ended and says so.)
"""
from __future__ import annotations

import logging

from helpline.callbacks.call_back import (
    bridge_url, claim_for_placing, mark_not_placed, mark_placed, staff_status_url,
)
from helpline.services import current_services
from helpline.telephony.errors import TwilioError

log = logging.getLogger(__name__)


def place_call(attempt_id: int) -> str:
    """RQ job: ring the staff member of CallbackCall ``attempt_id`` if it is still requested."""
    line = current_services()
    settings = line.settings
    if not settings.public_base_url:
        with line.db.session() as session:
            mark_not_placed(session, attempt_id, "PUBLIC_BASE_URL is not set: Twilio could not reach the bridge",
                            line.clock.now())
        return "not placed"
    # Before the claim: missing Twilio settings raise here and leave the attempt requested.
    gateway = line.twilio
    gateway.line_number()
    with line.db.session() as session:
        attempt = claim_for_placing(session, attempt_id, line.clock.now())
        if attempt is None:
            log.info("call-back attempt %s is not waiting to be placed; nothing to do", attempt_id)
            return "nothing to do"
        to = attempt.staff_phone
        url = bridge_url(settings, attempt.callback_id, attempt.attempt_number)
        status_url = staff_status_url(settings, attempt.callback_id, attempt.attempt_number)
    try:
        placed = gateway.ring(to=to, url=url, status_callback=status_url)
    except TwilioError as error:
        with line.db.session() as session:
            mark_not_placed(session, attempt_id, error.message, line.clock.now())
        return "not placed"
    with line.db.session() as session:
        mark_placed(session, attempt_id, placed.sid, line.clock.now())
    log.info("call-back attempt %s: ringing the staff member (%s)", attempt_id, placed.sid)
    return "placed"
