"""Jobs of the wait queue: ring free staff for the callers waiting, and free staff whose busy
state no webhook ever closed.

``connect_waiting`` (fixed id ``queue-connect-waiting``) is asked for after commit whenever
someone is freed while callers wait, and by every sweep while anyone waits (a shift that starts
frees nobody, yet brings someone to take them). It claims free staff on duty in the database
(the claim is the lock: a job run twice claims nobody twice), then rings each from the line's
number, outside any transaction, at most ``CALLS_PER_SECOND`` (Twilio's default limit of new
calls per second on an account). A call Twilio refused frees its staff member again.

``check_stale_busy`` asks Twilio for the real status of the call behind each busy state that
nothing touched for a while, and frees the staff member when that call is over.
"""
from __future__ import annotations

import logging
import time

from helpline.inbound import busy, waiting
from helpline.inbound.context import in_transaction
from helpline.routes import public_url
from helpline.services import current_services
from helpline.telephony.errors import TwilioError

log = logging.getLogger(__name__)

CALLS_PER_SECOND = 1.0


def connect_waiting() -> str:
    """RQ job: ring free staff on duty for the callers waiting in the queue, once each."""
    line = current_services()
    settings = line.settings
    if not settings.public_base_url:
        log.error("callers wait in the queue, but PUBLIC_BASE_URL is not set: nobody can be rung for them")
        return "no public URL"
    gateway = line.twilio
    gateway.line_number()  # raises before anyone is claimed when Twilio is not configured
    offers = in_transaction(line, waiting.plan_offers)
    for index, offer in enumerate(offers):
        if index:
            time.sleep(1 / CALLS_PER_SECOND)
        try:
            placed = gateway.ring(
                to=offer.phone, url=public_url(settings.public_base_url, "voice_queue.offer", offer=offer.reference),
                status_callback=public_url(settings.public_base_url, "voice_queue.offer_status",
                                           offer=offer.reference),
                timeout=settings.ring_timeout_seconds)
        except TwilioError as error:
            log.warning("could not ring staff %s for a waiting caller: %s", offer.staff_id, error.message)
            in_transaction(line, lambda ctx, ref=offer.reference: busy.release(ctx.session, ctx.jobs, ref))
            continue
        in_transaction(line, lambda ctx, ref=offer.reference, sid=placed.sid: busy.set_call_sid(ctx.session, ref, sid))
        log.info("ringing staff %s for a caller waiting in the queue (%s)", offer.staff_id, placed.sid)
    return f"rang {len(offers)}"


def check_stale_busy() -> str:
    """RQ job: free the staff whose busy state Twilio never closed (a lost status callback)."""
    line = current_services()
    now = line.clock.now()
    stale = in_transaction(line, lambda ctx: (busy.drop_rested(ctx.session, ctx.now),
                                              busy.stale_holders(ctx.session, ctx.now))[1])
    freed = 0
    for reference, call_sid in stale:
        status = line.twilio.call_status(call_sid) if call_sid else None
        if in_transaction(line, lambda ctx, ref=reference, st=status: busy.settle_stale(ctx.session, ctx.jobs, ref, st,
                                                                                          ctx.now)):
            freed += 1
    if stale:
        log.info("stale busy states at %s: %d checked, %d freed", now.isoformat(), len(stale), freed)
    return f"freed {freed}"
