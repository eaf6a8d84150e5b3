"""The send_sms job: one OutboundSms row, sent through Twilio at most once per successful try.

- The row is claimed with a conditional UPDATE (queued -> sending, only when due), so two
  workers, or a job queued twice, never both send it.
- Opted-out numbers and numbers over SMS_MAX_PER_RECIPIENT_PER_HOUR are suppressed, not sent:
  a bug can never become an SMS storm.
- Twilio is called outside any database transaction, so no lock waits on the network.
- Temporary failures (429, 5xx, no connection) put the row back to queued with next_attempt_at
  and re-raise, so RQ's Retry (helpline.dispatch.DEFAULT_RETRY) tries again; the backoff
  is the same list of intervals, and the sweep (helpline.sms.outbox.due_outbound) re-finds the row
  if Redis loses the retry. After MAX_ATTEMPTS the row is failed.
- Ambiguous failures (a read timeout: Twilio may have it) are checked retries: the row
  remembers since when Twilio may hold the message, and the next try first lists the messages
  Twilio has for that recipient and adopts a match instead of sending again. Every message
  also carries our StatusCallback URL with the row's id, so a status callback for it is
  recognised even when the create request's answer was lost.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.routes import public_url
from helpline.models import OutboundSms, OutboundStatus, Staff
from helpline.sms.outbox import is_opted_out, mark_opted_out, queue_sms, sent_within
from helpline.phones import readable
from helpline.dispatch import DEFAULT_RETRY
from helpline.services import current_services
from helpline.queue.sms_status import apply_twilio_status
from helpline.rota.load import staff_on_duty
from helpline.services import Services
from helpline.telephony.errors import AmbiguousFailure, RecipientOptedOut, Rejected, TemporarilyFailed, TwilioError
from helpline.telephony.resources import TwilioMessage

log = logging.getLogger(__name__)

BACKOFF_SECONDS: tuple[int, ...] = tuple(DEFAULT_RETRY.intervals)
MAX_ATTEMPTS = 1 + DEFAULT_RETRY.max
# While a worker holds a row in 'sending'; after this it is presumed dead (well above the
# REST timeout) and the row is retried as ambiguous.
SENDING_LEASE = timedelta(minutes=5)
RATE_WINDOW = timedelta(hours=1)


def status_callback_url(settings: Settings, outbound_id: int) -> str | None:
    """Our message status webhook, naming the row (helpline.webhooks.sms.message_status)."""
    if not settings.public_base_url:
        return None  # Twilio needs an absolute URL it can reach; without one, no callbacks.
    return public_url(settings.public_base_url, "sms.message_status", outbound=outbound_id)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` tries (the same intervals as RQ's Retry)."""
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


def send_sms(outbound_id: int) -> str:
    """RQ job: send OutboundSms ``outbound_id`` if it is still queued and due. Returns the outcome."""
    line = current_services()
    # Before the claim: missing Twilio settings raise here and leave the row queued, not stuck.
    gateway = line.twilio
    gateway.line_number()
    now = line.clock.now()
    with line.db.session() as session:
        if not claim(session, outbound_id, now):
            log.info("SMS %s is not queued or not yet due; nothing to do", outbound_id)
            return "not due"
        sms = session.get(OutboundSms, outbound_id)
        reason = _suppression(session, sms, line.settings, now)
        if reason:
            sms.status, sms.error_message, sms.next_attempt_at = OutboundStatus.SUPPRESSED.value, reason, None
            log.warning("SMS %s to %s suppressed: %s", sms.id, sms.to_number, reason)
            return "suppressed"
        to, body, check_since = sms.to_number, sms.body, sms.check_twilio_since

    try:
        message = gateway.find_sent_sms(to=to, body=body, since=check_since) if check_since else None
        if message is not None:
            log.info("SMS %s: Twilio already had it as %s; not sending again", outbound_id, message.sid)
        else:
            message = gateway.send_sms(to=to, body=body, status_callback=status_callback_url(line.settings, outbound_id))
    except RecipientOptedOut as error:
        _recipient_opted_out(line, outbound_id, error, now)
        return "opted out"
    except Rejected as error:
        _finish(line, outbound_id, OutboundStatus.FAILED, error)
        log.warning("SMS %s to %s rejected by Twilio: %s", outbound_id, to, error.message)
        return "failed"
    except TemporarilyFailed as error:
        outcome = _retry_later(line, outbound_id, error, now)
        if outcome == "retry":
            raise  # RQ's Retry tries again after the same backoff
        return outcome
    _record_sent(line, outbound_id, message, now)
    return "sent"


def claim(session: Session, outbound_id: int, now: datetime) -> bool:
    """queued -> sending, only if due; True for exactly one caller. Commit before calling Twilio."""
    # A claim that expired means a worker died mid-send: Twilio may have the message.
    session.execute(
        update(OutboundSms)
        .where(OutboundSms.id == outbound_id, OutboundSms.status == OutboundStatus.SENDING.value,
               OutboundSms.next_attempt_at <= now)
        .values(status=OutboundStatus.QUEUED.value,
                check_twilio_since=func.coalesce(OutboundSms.check_twilio_since, OutboundSms.last_attempt_at))
    )
    claimed = session.execute(
        update(OutboundSms)
        .where(OutboundSms.id == outbound_id, OutboundSms.status == OutboundStatus.QUEUED.value,
               or_(OutboundSms.next_attempt_at.is_(None), OutboundSms.next_attempt_at <= now))
        .values(status=OutboundStatus.SENDING.value, attempts=OutboundSms.attempts + 1,
                last_attempt_at=now, next_attempt_at=now + SENDING_LEASE)
    )
    return claimed.rowcount == 1


def _suppression(session: Session, sms: OutboundSms, settings: Settings, now: datetime) -> str | None:
    if is_opted_out(session, sms.to_number):
        return "the recipient has opted out of SMS (STOP)"
    cap = settings.sms_max_per_recipient_per_hour
    recent = sent_within(session, sms.to_number, now, RATE_WINDOW, excluding=sms.id)
    if recent >= cap:
        return f"rate limit: {recent} SMS to this number in the last hour (SMS_MAX_PER_RECIPIENT_PER_HOUR={cap})"
    return None


def _record_sent(line: Services, outbound_id: int, message: TwilioMessage, now: datetime) -> None:
    with line.db.session() as session:
        sms = session.scalar(select(OutboundSms).where(OutboundSms.id == outbound_id).with_for_update())
        # Twilio's answer to a create is "queued" (accepted); a status callback may be ahead of us.
        apply_twilio_status(sms, message.sid, message.status, message.error_code, now)


def _finish(line: Services, outbound_id: int, status: OutboundStatus, error: TwilioError) -> None:
    with line.db.session() as session:
        sms = session.get(OutboundSms, outbound_id)
        sms.status, sms.error_code, sms.error_message = status.value, error.code, error.message
        sms.next_attempt_at = None


def _retry_later(line: Services, outbound_id: int, error: TemporarilyFailed, now: datetime) -> str:
    """Back to queued with backoff ("retry"), or failed for good after MAX_ATTEMPTS ("gave up")."""
    with line.db.session() as session:
        sms = session.scalar(select(OutboundSms).where(OutboundSms.id == outbound_id).with_for_update())
        if sms.status != OutboundStatus.SENDING.value:
            return "reported by twilio"  # a status callback got there first: Twilio has it
        sms.error_code, sms.error_message = error.code, error.message
        if isinstance(error, AmbiguousFailure):
            sms.check_twilio_since = sms.check_twilio_since or sms.last_attempt_at
        if sms.attempts >= MAX_ATTEMPTS:
            sms.status, sms.next_attempt_at = OutboundStatus.FAILED.value, None
            sms.error_message = f"gave up after {sms.attempts} attempts: {error.message}"
            log.error("SMS %s to %s: %s", sms.id, sms.to_number, sms.error_message)
            return "gave up"
        sms.status = OutboundStatus.QUEUED.value
        sms.next_attempt_at = now + backoff(sms.attempts)
        log.warning("SMS %s attempt %d failed (%s); next try at %s", sms.id, sms.attempts, error.message,
                    sms.next_attempt_at.isoformat())
        return "retry"


def _recipient_opted_out(line: Services, outbound_id: int, error: RecipientOptedOut, now: datetime) -> None:
    """21610: the number said STOP. Remember it, and tell the supervisors on duty once."""
    with line.db.session() as session:
        sms = session.get(OutboundSms, outbound_id)
        sms.status, sms.error_code, sms.error_message = OutboundStatus.FAILED.value, error.code, error.message
        sms.next_attempt_at = None
        if not mark_opted_out(session, sms.to_number, now, source="twilio-21610"):
            return
        staff = session.scalar(select(Staff).where(Staff.phone == sms.to_number))
        who = f"{staff.name} ({readable(sms.to_number)})" if staff else readable(sms.to_number)
        line_number = readable(line.settings.twilio_phone_number) if line.settings.twilio_phone_number else "the line"
        body = (f"Helpline: {who} has blocked SMS from the line (replied STOP), so they get no texts "
                f"from it now. To undo, they text START to {line_number}.")
        supervisors = [duty for duty in staff_on_duty(session, now)
                       if duty.role == "supervisor" and duty.active and duty.phone != sms.to_number]
        if not supervisors:
            log.warning("%s opted out of SMS and no supervisor is on duty to tell", who)
        for duty in supervisors:
            queue_sms(session, to=duty.phone, body=body, purpose="opt_out_alert",
                      dedupe_key=f"opt-out-alert-{outbound_id}-{duty.staff_id}", now=now, staff_id=duty.staff_id)
