"""Calling a caller back through the line (CALL <ref>): one CallbackCall row per attempt.

The life of an attempt, each step a conditional UPDATE from the status before it, so a webhook
Twilio delivers twice or a job that runs twice moves it once:

    requested --place_call job--> placing --Twilio took it--> ringing_staff
    --staff answered (bridge)--> screening --pressed 1--> dialling_caller --Dial action--> ended

and ``ended`` from any of them (with a ``result``) when something stops it. Only the caller not
picking up (no-answer, busy, failed, or a connection of 0 seconds) counts as a failed attempt:
``CallbackRequest.callback_attempts`` goes up by one, and at the third the callback is closed as
``unreachable`` and the caller gets one last SMS with the opening hours (never to a withheld,
non-mobile or opted-out number). A staff phone that does not answer, a voicemail box that never
presses 1, or a staff member hanging up while the caller's phone rings count for nothing.

A call that connected records the conversation's length and leaves the callback open: only the
staff member knows whether it is handled, and says so with DONE (with a note).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from helpline import texts
from helpline.sms import texts as sms_text
from helpline.callbacks.assignment import event
from helpline.callbacks.actions import (
    ActionRefused, Actor, acknowledge, check_may_act, close_callback, open_callback,
)
from helpline.callbacks.rules import MAX_CALLBACK_ATTEMPTS, after_failed_attempt, caller_can_get_sms
from helpline.config import Settings
from helpline.dispatch import after_commit_place_call
from helpline.inbound.busy import connect_if_waiting
from helpline.services import current_services
from helpline.routes import public_url
from helpline.models import (
    FAILED_ATTEMPT_RESULTS, CallAttemptResult, CallAttemptStatus, CallbackCall, CallbackOutcome, CallbackRequest,
    CallbackStatus,
)
from helpline.models.callback_calls import ACTIVE_STATUSES
from helpline.sms.outbox import is_opted_out, queue_sms
from helpline.rota.load import load_weekly_schedule

log = logging.getLogger(__name__)

ATTEMPT_EVENT = "callback_attempt"
# An attempt that has not ended after this long is presumed lost (a webhook that never came):
# it no longer blocks a new CALL, and the sweep ends it.
ACTIVE_FOR = timedelta(minutes=15)
# A request whose job Redis lost is still placed by the sweep this long after the CALL; later,
# the staff member has moved on, and is told to send CALL again instead of being rung by surprise.
PLACE_WITHIN = timedelta(minutes=2)


class CallInProgress(ActionRefused):
    def __init__(self, ref: int) -> None:
        super().__init__(ref, f"a call for callback #{ref} is already under way")



def bridge_url(settings: Settings, callback_id: int, attempt_number: int) -> str:
    """What Twilio fetches when the staff phone answers (helpline.webhooks.callbacks_out)."""
    return public_url(settings.public_base_url, "callbacks_out.bridge_answered", callback=callback_id,
                      attempt=attempt_number)


def staff_status_url(settings: Settings, callback_id: int, attempt_number: int) -> str:
    """Where Twilio reports how the staff leg ended."""
    return public_url(settings.public_base_url, "callbacks_out.staff_leg_status", callback=callback_id,
                      attempt=attempt_number)


# --- the request ---------------------------------------------------------------------------------

def request_call(session: Session, callback_id: int, actor: Actor, staff_phone: str, language: str,
                 now: datetime) -> CallbackCall:
    """CALL: note the attempt and queue the job that rings ``staff_phone`` (after commit).

    Asking to call is being on it: the callback is acknowledged (and taken, if nobody held it).
    Raises CallbackNotFound, AlreadyClosed, NotYours, or CallInProgress while another attempt
    for it is under way.
    """
    callback = open_callback(session, callback_id)
    check_may_act(callback, actor)
    busy = session.scalar(select(CallbackCall.id).where(
        CallbackCall.callback_id == callback_id, CallbackCall.status.in_(ACTIVE_STATUSES),
        CallbackCall.requested_at > now - ACTIVE_FOR))
    if busy is not None:
        raise CallInProgress(callback_id)
    acknowledge(session, callback_id, actor, now, via="call")
    number = (session.scalar(select(func.max(CallbackCall.attempt_number))
                             .where(CallbackCall.callback_id == callback_id)) or 0) + 1
    attempt = CallbackCall(callback_id=callback_id, attempt_number=number, staff_id=actor.staff_id,
                           staff_phone=staff_phone, caller=callback.caller, language=language, requested_at=now,
                           status=CallAttemptStatus.REQUESTED.value)
    session.add(attempt)
    session.flush()  # (callback, attempt) is unique: a racing CALL fails here and is decided again
    event(session, callback_id, "callback_call_requested", now, staff_id=actor.staff_id, attempt=number)
    _enqueue_place(session, attempt)
    return attempt


def _enqueue_place(session: Session, attempt: CallbackCall) -> None:
    after_commit_place_call(current_services().jobs, session, attempt.id, attempt.callback_id,
                            attempt.attempt_number)


def find_attempt(session: Session, callback_id: int, attempt_number: int) -> CallbackCall | None:
    return session.scalar(select(CallbackCall).where(CallbackCall.callback_id == callback_id,
                                                     CallbackCall.attempt_number == attempt_number)
                          .execution_options(populate_existing=True))


def _move(session: Session, attempt_id: int, from_statuses: tuple[str, ...], **values: object) -> bool:
    result = session.execute(
        update(CallbackCall).where(CallbackCall.id == attempt_id, CallbackCall.status.in_(from_statuses))
        .values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _end(session: Session, attempt: CallbackCall, result: CallAttemptResult, now: datetime, *,
         log_event: bool = True, **values: object) -> bool:
    """Any active status -> ended with ``result``; True for the one caller that ended it, which
    also logs the attempt (unless ``log_event`` is False: the caller logs it once it knows more)."""
    ended = _move(session, attempt.id, ACTIVE_STATUSES, status=CallAttemptStatus.ENDED.value, result=result.value,
                  ended_at=now, **values)
    if ended:
        session.refresh(attempt)
        if log_event:
            _log_attempt(session, attempt, now)
        # The staff member is free again: a caller waiting in the queue may be put through to them.
        connect_if_waiting(session, current_services().jobs)
    return ended


def _log_attempt(session: Session, attempt: CallbackCall, now: datetime, **extra: object) -> None:
    event(session, attempt.callback_id, ATTEMPT_EVENT, now, staff_id=attempt.staff_id,
          attempt=attempt.attempt_number, result=attempt.result, duration=attempt.conversation_seconds,
          dial_call_status=attempt.dial_call_status, counted=attempt.counted_as_failed, **extra)


# --- placing the staff leg (the job) ---------------------------------------------------------------

def claim_for_placing(session: Session, attempt_id: int, now: datetime) -> CallbackCall | None:
    """requested -> placing, once; None when it is not requested any more (or the callback closed)."""
    if not _move(session, attempt_id, (CallAttemptStatus.REQUESTED.value,), status=CallAttemptStatus.PLACING.value):
        return None
    attempt = session.get(CallbackCall, attempt_id, populate_existing=True)
    callback = session.get(CallbackRequest, attempt.callback_id)
    if callback is None or not callback.is_open:
        _end(session, attempt, CallAttemptResult.CLOSED_BEFORE, now)
        return None
    return attempt


def mark_placed(session: Session, attempt_id: int, staff_call_sid: str | None, now: datetime) -> None:
    _move(session, attempt_id, (CallAttemptStatus.PLACING.value,), status=CallAttemptStatus.RINGING_STAFF.value,
          placed_at=now, staff_call_sid=staff_call_sid)


def mark_not_placed(session: Session, attempt_id: int, reason: str, now: datetime) -> None:
    """Twilio would not ring the staff member (or too late): end it and tell them by SMS."""
    attempt = session.get(CallbackCall, attempt_id, populate_existing=True)
    if attempt is None or not _end(session, attempt, CallAttemptResult.NOT_PLACED, now, error_message=reason):
        return
    log.warning("call-back #%s attempt %s not placed: %s", attempt.callback_id, attempt.attempt_number, reason)
    body = texts.sms("call_not_placed", attempt.language, ref=attempt.callback_id)
    queue_sms(session, to=attempt.staff_phone, body=body, purpose="call_back_failed",
              dedupe_key=f"call-not-placed-{attempt.id}", now=now, callback_id=attempt.callback_id,
              staff_id=attempt.staff_id)


def lost_requests(session: Session, now: datetime) -> list[tuple[int, int, int]]:
    """For the sweep: (attempt id, callback id, attempt number) of the requests whose place_call
    job Redis may have lost, to queue again while fresh, after ending the stale ones (too late
    to ring, or never finished)."""
    stale = session.scalars(select(CallbackCall).where(
        CallbackCall.status.in_(ACTIVE_STATUSES),
        ((CallbackCall.status == CallAttemptStatus.REQUESTED.value) & (CallbackCall.requested_at <= now - PLACE_WITHIN))
        | (CallbackCall.requested_at <= now - ACTIVE_FOR))).all()
    for attempt in stale:
        if attempt.status == CallAttemptStatus.REQUESTED.value:
            mark_not_placed(session, attempt.id, "the call could not be placed in time", now)
        else:
            _end(session, attempt, CallAttemptResult.CANCELED, now, error_message="no word from Twilio; presumed over")
    rows = session.execute(select(CallbackCall.id, CallbackCall.callback_id, CallbackCall.attempt_number).where(
        CallbackCall.status == CallAttemptStatus.REQUESTED.value, CallbackCall.requested_at > now - PLACE_WITHIN))
    return [(row[0], row[1], row[2]) for row in rows]


# --- the staff leg's webhooks ------------------------------------------------------------------------

def staff_answered(session: Session, attempt: CallbackCall, now: datetime) -> str:
    """The staff phone picked up. "screen" to ask for 1, or why not: "closed" or "ended"."""
    if not attempt.is_active:
        return "ended"
    if not _callback_open(session, attempt.callback_id):
        _end(session, attempt, CallAttemptResult.CLOSED_BEFORE, now)
        return "closed"
    _move(session, attempt.id, (CallAttemptStatus.REQUESTED.value, CallAttemptStatus.PLACING.value,
                                CallAttemptStatus.RINGING_STAFF.value),
          status=CallAttemptStatus.SCREENING.value, staff_answered_at=now)
    return "screen"


def staff_choice(session: Session, attempt: CallbackCall, digits: str | None, now: datetime) -> str:
    """"dial" when 1 was pressed and the callback is still open; else "closed", "ended" or "no_key"."""
    if not attempt.is_active:
        return "ended"
    if (digits or "").strip() != "1":
        _end(session, attempt, CallAttemptResult.STAFF_DECLINED, now)
        return "no_key"
    if not _callback_open(session, attempt.callback_id):
        _end(session, attempt, CallAttemptResult.CLOSED_BEFORE, now)
        return "closed"
    _move(session, attempt.id, (CallAttemptStatus.SCREENING.value, CallAttemptStatus.RINGING_STAFF.value),
          status=CallAttemptStatus.DIALLING_CALLER.value, caller_dialled_at=now)
    session.refresh(attempt)
    return "dial" if attempt.status == CallAttemptStatus.DIALLING_CALLER.value else "ended"


@dataclass(frozen=True)
class DialOutcome:
    reached: bool
    counted: bool  # a failed attempt to reach the caller
    attempts: int  # failed attempts so far
    closed_unreachable: bool
    caller_texted: bool


def classify(dial_status: str, duration: int | None) -> CallAttemptResult:
    status = (dial_status or "").lower()
    if status in ("completed", "answered"):
        return CallAttemptResult.ANSWERED if (duration or 0) > 0 else CallAttemptResult.NO_ANSWER
    if status in ("busy", "no-answer", "failed", "canceled"):
        return CallAttemptResult(status)
    return CallAttemptResult.FAILED


def dial_result(session: Session, attempt: CallbackCall, settings: Settings, *, dial_status: str,
                dial_call_sid: str | None, duration: int | None, now: datetime) -> DialOutcome:
    """The Dial to the caller ended. Counted once however often Twilio delivers it."""
    result = classify(dial_status, duration)
    reached = result is CallAttemptResult.ANSWERED
    if _end(session, attempt, result, now, log_event=False, dial_call_status=dial_status or None,
            dial_call_sid=dial_call_sid, conversation_seconds=duration if reached else None):
        failed_attempts = _count_failure(session, attempt, now) if result.value in FAILED_ATTEMPT_RESULTS else None
        session.refresh(attempt)
        _log_attempt(session, attempt, now, **({"failed_attempts": failed_attempts} if failed_attempts else {}))
        if failed_attempts and after_failed_attempt(failed_attempts, MAX_CALLBACK_ATTEMPTS) is not None:
            _close_unreachable(session, attempt, failed_attempts, settings, now)
        if reached:
            log.info("call-back #%s reached the caller: %ss", attempt.callback_id, duration)
    session.refresh(attempt)
    callback = session.get(CallbackRequest, attempt.callback_id, populate_existing=True)
    closed_unreachable = attempt.counted_as_failed and callback.outcome == CallbackOutcome.UNREACHABLE.value
    return DialOutcome(reached=attempt.result == CallAttemptResult.ANSWERED.value, counted=attempt.counted_as_failed,
                       attempts=callback.callback_attempts, closed_unreachable=closed_unreachable,
                       caller_texted=closed_unreachable and _caller_may_get_sms(session, callback.caller))


def staff_leg_ended(session: Session, attempt: CallbackCall, call_status: str, duration: int | None,
                    now: datetime) -> None:
    """The staff leg's status callback: its length, and the end of an attempt that got no further."""
    if duration is not None:
        session.execute(update(CallbackCall).where(CallbackCall.id == attempt.id)
                        .values(staff_leg_seconds=duration).execution_options(synchronize_session=False))
    if not attempt.is_active:
        return
    status = attempt.status
    if status in (CallAttemptStatus.REQUESTED.value, CallAttemptStatus.PLACING.value,
                  CallAttemptStatus.RINGING_STAFF.value) and call_status != "completed":
        _end(session, attempt, CallAttemptResult.STAFF_UNREACHABLE, now, error_message=f"staff phone: {call_status}")
    elif status == CallAttemptStatus.DIALLING_CALLER.value:
        # The Dial action always comes first; without one the staff member hung up mid-dial.
        _end(session, attempt, CallAttemptResult.CANCELED, now)
    else:
        _end(session, attempt, CallAttemptResult.STAFF_DECLINED, now)


# --- failed attempts ---------------------------------------------------------------------------------

def _count_failure(session: Session, attempt: CallbackCall, now: datetime) -> int | None:
    """One more failed attempt on the callback (still open); the new count, or None if closed."""
    attempts = session.execute(
        update(CallbackRequest).where(CallbackRequest.id == attempt.callback_id,
                                      CallbackRequest.status != CallbackStatus.CLOSED.value)
        .values(callback_attempts=CallbackRequest.callback_attempts + 1)
        .returning(CallbackRequest.callback_attempts).execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if attempts is None:
        return None  # closed meanwhile (DONE, the API): nothing more to count
    session.execute(update(CallbackCall).where(CallbackCall.id == attempt.id).values(counted_as_failed=True)
                    .execution_options(synchronize_session=False))
    log.info("call-back #%s: the caller did not answer (failed attempt %s)", attempt.callback_id, attempts)
    return attempts


def _close_unreachable(session: Session, attempt: CallbackCall, attempts: int, settings: Settings,
                       now: datetime) -> None:
    """The last failed attempt: close as unreachable, text the caller the opening hours (when
    they can get an SMS) and tell the staff member."""
    callback = close_callback(session, attempt.callback_id, CallbackOutcome.UNREACHABLE.value, None, None,
                              attempt.staff_id, now, via="call-back", detail={"failed_attempts": attempts})
    texted = _caller_may_get_sms(session, callback.caller)
    if texted:
        body = sms_text.caller_unreachable(load_weekly_schedule(session),
                                           callback.language or texts.DEFAULT_LANGUAGE,
                                           settings.twilio_phone_number or None)
        queue_sms(session, to=callback.caller, body=body, purpose="caller_unreachable",
                  dedupe_key=f"unreachable-{callback.id}", now=now, callback_id=callback.id)
    queue_sms(session, to=attempt.staff_phone,
              body=sms_text.unreachable_closed(callback.id, attempts, texted, attempt.language),
              purpose="call_back_result", dedupe_key=f"unreachable-staff-{callback.id}", now=now,
              callback_id=callback.id, staff_id=attempt.staff_id)


def _caller_may_get_sms(session: Session, caller: str) -> bool:
    return caller_can_get_sms(caller) and not is_opted_out(session, caller)


def _callback_open(session: Session, callback_id: int) -> bool:
    return session.scalar(select(CallbackRequest.status).where(CallbackRequest.id == callback_id)) not in (
        None, CallbackStatus.CLOSED.value)
