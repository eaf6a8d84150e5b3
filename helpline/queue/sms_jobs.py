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

from sqlalchemy import Connection, Row, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.routes import public_url
from helpline.models import OutboundSms, OutboundStatus, Staff, mark_row_changed
from helpline.sms.outbox import mark_opted_out, opted_out_clause, queue_sms, sent_within_query
from helpline.phones import readable
from helpline.dispatch import DEFAULT_RETRY
from helpline.services import current_services
from helpline.queue.sms_status import apply_twilio_status, status_from_twilio
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
# pg_advisory_xact_lock(RECIPIENT_LOCK_CLASS, hashtext(number)): "counting this number's SMS".
# The two-key form, so it never meets ASSIGNMENT_LOCK_KEY's one-key (bigint) space.
RECIPIENT_LOCK_CLASS = 0x534D53


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
        claimed = claim(session, outbound_id, now)
        if claimed is None:
            log.info("SMS %s is not queued or not yet due; nothing to do", outbound_id)
            return "not due"
        to, body, check_since, created = claimed
        _figures_changed(session.connection(), outbound_id, created, now)
        reason = _suppression(session, outbound_id, to, line.settings, now)
        if reason:
            session.connection().execute(_SUPPRESS, {"outbound_id": outbound_id, "reason": reason})
            log.warning("SMS %s to %s suppressed: %s", outbound_id, to, reason)
            return "suppressed"

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
    _record_sent(line, outbound_id, message, now, created)
    return "sent"


def claim(session: Session, outbound_id: int, now: datetime) -> Row | None:
    """queued -> sending, only if due; the row's (to_number, body, check_twilio_since) for exactly
    one caller, else None. Commit before calling Twilio.

    One statement (_CLAIM). A row still 'sending' whose lease has expired means a worker died
    mid-send: Twilio may have the message, so that claim also remembers since when to check.
    """
    return session.connection().execute(
        _CLAIM, {"outbound_id": outbound_id, "now": now, "lease_ends": now + SENDING_LEASE}).one_or_none()


def _suppression(session: Session, outbound_id: int, number: str, settings: Settings, now: datetime) -> str | None:
    """Why this claimed SMS must not go out (opted out, over the hourly cap), or None.

    The cap holds under any number of workers: on PostgreSQL a transaction-level advisory lock
    per recipient makes two claims for one number count one after the other (the second, in a
    new statement, sees the first's committed 'sending' row); numbers never wait for each other.
    On SQLite the claim's UPDATE already holds the database's single write lock.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_RECIPIENT, {"number": number})
    opted_out, recent = connection.execute(
        _OPTED_OUT_AND_RECENT, {"number": number, "since": now - RATE_WINDOW, "excluding": outbound_id}).one()
    if opted_out:
        return "the recipient has opted out of SMS (STOP)"
    cap = settings.sms_max_per_recipient_per_hour
    if recent >= cap:
        return f"rate limit: {recent} SMS to this number in the last hour (SMS_MAX_PER_RECIPIENT_PER_HOUR={cap})"
    return None


def _figures_changed(connection: Connection, outbound_id: int, created: datetime, now: datetime) -> None:
    """The SMS figures count statuses on the day an SMS was created (and a feedback question's on
    the day it was asked): a status written by a Core statement below marks that day stale, as
    the Session's events do for ORM changes (helpline.models.metrics; nothing when it is recent)."""
    mark_row_changed(connection, OutboundSms, {"id": outbound_id, "created_at": created}, now=now)


def _record_sent(line: Services, outbound_id: int, message: TwilioMessage, now: datetime, created: datetime) -> None:
    with line.db.session() as session:
        # The usual case in one guarded UPDATE: our row is still 'sending' and Twilio accepted it,
        # which apply_twilio_status would turn into exactly these values.
        if status_from_twilio(message.status) is OutboundStatus.SENT and session.connection().execute(
                _RECORD_SENT, {"outbound_id": outbound_id, "sid": message.sid, "now": now}).rowcount == 1:
            _figures_changed(session.connection(), outbound_id, created, now)
            return
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


# --- the send path's statements, built once: each send only binds its values ------------------
# (Building and cache-keying them per call cost more CPU than running them; scripts/bench_sms.py.)

_outbound = OutboundSms.__table__
_SENDING = OutboundStatus.SENDING.value

_CLAIM = (
    update(_outbound)
    .where(_outbound.c.id == bindparam("outbound_id"),
           or_(and_(_outbound.c.status == OutboundStatus.QUEUED.value,
                    or_(_outbound.c.next_attempt_at.is_(None), _outbound.c.next_attempt_at <= bindparam("now"))),
               and_(_outbound.c.status == _SENDING, _outbound.c.next_attempt_at <= bindparam("now"))))
    # SET expressions read the row as it was before this UPDATE (both databases).
    .values(status=_SENDING, attempts=_outbound.c.attempts + 1,
            last_attempt_at=bindparam("now", type_=_outbound.c.last_attempt_at.type),
            next_attempt_at=bindparam("lease_ends", type_=_outbound.c.next_attempt_at.type),
            check_twilio_since=case(
                (_outbound.c.status == _SENDING,
                 func.coalesce(_outbound.c.check_twilio_since, _outbound.c.last_attempt_at)),
                else_=_outbound.c.check_twilio_since))
    .returning(_outbound.c.to_number, _outbound.c.body, _outbound.c.check_twilio_since, _outbound.c.created_at)
)

_LOCK_RECIPIENT = select(func.pg_advisory_xact_lock(RECIPIENT_LOCK_CLASS, func.hashtext(bindparam("number"))))

_OPTED_OUT_AND_RECENT = select(
    opted_out_clause(bindparam("number")),
    sent_within_query(bindparam("number"), bindparam("since"), excluding=bindparam("excluding")).scalar_subquery(),
)

_SUPPRESS = (
    update(_outbound).where(_outbound.c.id == bindparam("outbound_id"))
    .values(status=OutboundStatus.SUPPRESSED.value, error_message=bindparam("reason"), next_attempt_at=None)
)

# The usual answer, "queued" at Twilio, as apply_twilio_status would store it, guarded like it:
# only a row still 'sending' (no status callback got there first) without another sid.
_RECORD_SENT = (
    update(_outbound)
    .where(_outbound.c.id == bindparam("outbound_id"), _outbound.c.status == _SENDING,
           or_(_outbound.c.twilio_sid.is_(None), _outbound.c.twilio_sid == bindparam("sid")))
    .values(twilio_sid=bindparam("sid"), status=OutboundStatus.SENT.value,
            sent_at=func.coalesce(_outbound.c.sent_at, bindparam("now", type_=_outbound.c.sent_at.type)),
            next_attempt_at=None, check_twilio_since=None, error_code=None, error_message=None)
)
