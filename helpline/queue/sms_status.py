"""What Twilio tells us about a message we sent, folded into its OutboundSms row.

Used by the send job (Twilio's answer to the create request) and by the /sms/status webhook
(message status callbacks). Statuses only move forward: a late or repeated "sent" never undoes
"delivered". Each (MessageSid, MessageStatus) callback is stored once; a repeat changes nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.models import MessageStatusEvent, OutboundSms, OutboundStatus
from helpline.sms.outbox import insert_ignoring_conflicts, queue_sms
from helpline.telephony.errors import RETRYABLE_DELIVERY_CODES

log = logging.getLogger(__name__)

# Our status for each of Twilio's message statuses.
_FROM_TWILIO = {
    "accepted": OutboundStatus.SENT, "scheduled": OutboundStatus.SENT, "queued": OutboundStatus.SENT,
    "sending": OutboundStatus.SENT, "sent": OutboundStatus.SENT,
    "delivered": OutboundStatus.DELIVERED, "read": OutboundStatus.DELIVERED,
    "undelivered": OutboundStatus.UNDELIVERED,
    "failed": OutboundStatus.FAILED, "canceled": OutboundStatus.FAILED,
}
# How far along a message is; a status only replaces one of lower rank. Delivered outranks
# undelivered/failed because a handset's receipt is the strongest evidence there is.
_RANK = {
    OutboundStatus.QUEUED: 0, OutboundStatus.SENDING: 1, OutboundStatus.SENT: 2,
    OutboundStatus.UNDELIVERED: 3, OutboundStatus.FAILED: 3, OutboundStatus.DELIVERED: 4,
    OutboundStatus.SUPPRESSED: 5,
}
# 30003/30008: the handset was off or the carrier hiccuped. Try once or twice more, later.
REDELIVERY_DELAY = timedelta(minutes=15)
MAX_REDELIVERIES = 2
_REDELIVERY_SUFFIX = "/redeliver-"


def status_from_twilio(twilio_status: str) -> OutboundStatus | None:
    """Our status for one of Twilio's message statuses (None: one we ignore)."""
    return _FROM_TWILIO.get(twilio_status)


def apply_twilio_status(sms: OutboundSms, sid: str, twilio_status: str, error_code: int | None,
                        now: datetime) -> bool:
    """Move ``sms`` forward to what Twilio reports for message ``sid``. True when it changed.

    A row without a sid adopts this one: that is how a message whose create request timed out
    is recognised when its status callback (our URL carries the row's id) arrives.
    """
    new = _FROM_TWILIO.get(twilio_status)
    if new is None:
        log.info("ignoring Twilio message status %r for %s", twilio_status, sid)
        return False
    if sms.twilio_sid is None:
        sms.twilio_sid = sid
    elif sms.twilio_sid != sid:
        # Twilio has two messages for one row: an ambiguous failure whose check missed the first.
        log.warning("Twilio message %s reports on outbound SMS %s, which went out as %s: sent twice",
                    sid, sms.id, sms.twilio_sid)
        return False
    if _RANK[OutboundStatus(sms.status)] >= _RANK[new]:
        return False
    sms.status = new.value
    sms.sent_at = sms.sent_at or now
    sms.next_attempt_at = None
    sms.check_twilio_since = None
    if new in (OutboundStatus.UNDELIVERED, OutboundStatus.FAILED):
        sms.error_code = error_code
        sms.error_message = f"Twilio reported {twilio_status}" + (f" (error {error_code})" if error_code else "")
    elif new is OutboundStatus.SENT:
        sms.error_code = None
        sms.error_message = None
    return True


def record_status_callback(session: Session, *, sid: str, status: str, error_code: int | None,
                           outbound_id: int | None, now: datetime) -> str:
    """Store one message status callback and apply it. Returns what happened, for the log."""
    if not sid or not status:
        return "incomplete"
    stored = session.execute(
        insert_ignoring_conflicts(session, MessageStatusEvent)
        .values(message_sid=sid, status=status, error_code=error_code, received_at=now)
        .on_conflict_do_nothing(index_elements=["message_sid", "status"])
        .returning(MessageStatusEvent.id)
    ).scalar_one_or_none()
    if stored is None:
        return "duplicate"
    sms = session.scalar(select(OutboundSms).where(OutboundSms.twilio_sid == sid).with_for_update())
    if sms is None and outbound_id is not None:
        candidate = session.scalar(select(OutboundSms).where(OutboundSms.id == outbound_id).with_for_update())
        if candidate is not None and candidate.twilio_sid is None:
            sms = candidate
    if sms is None:
        return "unknown message"
    session.get(MessageStatusEvent, stored).outbound_id = sms.id
    if not apply_twilio_status(sms, sid, status, error_code, now):
        return "no change"
    if sms.status == OutboundStatus.UNDELIVERED.value and error_code in RETRYABLE_DELIVERY_CODES:
        return "redelivery queued" if queue_redelivery(session, sms, now) else "undelivered"
    return sms.status


def queue_redelivery(session: Session, sms: OutboundSms, now: datetime) -> OutboundSms | None:
    """A new row for the same text, due after REDELIVERY_DELAY (the sweep sends it).

    A new row, not the old one reopened, so the first attempt's record and late callbacks for
    its sid stay with it. The dedupe key counts the redeliveries, which caps them.
    """
    base, _, count = sms.dedupe_key.partition(_REDELIVERY_SUFFIX)
    done = int(count) if count.isdigit() else 0
    if done >= MAX_REDELIVERIES:
        log.warning("SMS %s undelivered after %d redeliveries; giving up", sms.id, done)
        return None
    return queue_sms(
        session, to=sms.to_number, body=sms.body, purpose=sms.purpose,
        dedupe_key=f"{base}{_REDELIVERY_SUFFIX}{done + 1}", now=now, callback_id=sms.callback_id,
        staff_id=sms.staff_id, send_after=now + REDELIVERY_DELAY,
    )
