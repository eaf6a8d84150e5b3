"""The decisions of one call that touch the database; helpline.webhooks.voice parses and renders.

The single place where a call's next step is chosen: ring the next staff member on duty, take
a message, or hang up. Every function is idempotent, because Twilio may deliver a webhook twice
or out of order:

- a call is keyed by its CallSid, a dial attempt by (call, attempt number), a message by its
  RecordingSid; a repeated request finds the row and re-renders from it;
- a concluded dial attempt is never re-decided: the step taken after it is read back (the next
  attempt's row, or "take a message" when there is none);
- ``Call.outcome`` only moves forward: in_progress -> answered / voicemail / no_message, and
  no_message -> voicemail when a late recording arrives. Answered and voicemail are final.

Open callback requests are unique per caller number (a partial unique index); a race between two
webhooks surfaces as an IntegrityError, and :func:`in_transaction` re-runs the whole unit of
work, which then finds and joins the winner's row.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpline import phones, schedule
from helpline.config import Settings
from helpline.models import (
    Call, CallbackEvent, CallbackRequest, CallbackStatus, CallOutcome, DialAttempt, DialAttemptResult,
    VoiceMessage,
)
from helpline.queue.dispatch import JobDispatcher
from helpline.rota import DutyShift
from helpline.services import Services
from helpline.telephony.prompts import language_for_digit

log = logging.getLogger(__name__)
T = TypeVar("T")

TERMINAL_CALL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
PROCESS_CALLBACK_JOB = "helpline.queue.jobs.process_callback"
_LIVE_ATTEMPT = (DialAttemptResult.RINGING.value, DialAttemptResult.ACCEPTED.value)
_FAILED_DIALS = {"busy": DialAttemptResult.BUSY, "no-answer": DialAttemptResult.NO_ANSWER,
                 "failed": DialAttemptResult.FAILED, "canceled": DialAttemptResult.CANCELED}


@dataclass(frozen=True)
class Context:
    session: Session
    settings: Settings
    jobs: JobDispatcher
    now: datetime

    @property
    def default_language(self) -> str:
        return self.settings.caller_languages[0]


# --- what the call does next (rendered by the webhook) -----------------------------------------

@dataclass(frozen=True)
class DialStep:
    call_sid: str
    attempt_number: int
    phone: str
    language: str
    caller_id: str | None


@dataclass(frozen=True)
class MessageStep:
    language: str
    line_open: bool
    reason: str
    next_open_at: datetime | None
    withheld: bool  # a withheld caller is not asked for a message: we could never call back
    now: datetime  # "today"/"tomorrow" in the spoken opening time are relative to it


@dataclass(frozen=True)
class HangupStep:
    language: str


Step = DialStep | MessageStep | HangupStep


@dataclass(frozen=True)
class CallParams:
    """What every voice webhook of the caller's leg tells us about the call."""

    call_sid: str
    from_value: str = ""
    to: str = ""
    status: str = ""


def in_transaction(line: Services, decide: Callable[[Context], T], *, attempts: int = 3) -> T:
    """Run ``decide`` in one committed transaction; re-run it when a unique index lost a race."""
    for attempt in range(1, attempts + 1):
        try:
            with line.db.session() as session:
                return decide(Context(session, line.settings, line.jobs, line.clock.now()))
        except IntegrityError:
            if attempt == attempts:
                raise
            log.info("a concurrent webhook wrote the same row first; re-reading (attempt %d)", attempt)
    raise AssertionError("unreachable")


# --- the caller's leg ----------------------------------------------------------------------------

def answer_incoming(ctx: Context, params: CallParams) -> tuple[str, Step | None]:
    """Record the call; the default language, and the first step unless a language menu comes first."""
    call = _call_for(ctx, params)
    if len(ctx.settings.caller_languages) > 1:
        return ctx.default_language, None
    return ctx.default_language, next_step(ctx, call)


def choose_language(ctx: Context, params: CallParams, digits: str | None) -> Step:
    call = _call_for(ctx, params)
    if call.language is None:
        chosen = language_for_digit(digits, ctx.settings.caller_languages[1:])
        call.language = chosen or ctx.default_language
        call.language_chosen = chosen is not None
    return next_step(ctx, call)


def next_step(ctx: Context, call: Call) -> Step:
    """What the call does now; re-renders the step already taken when one was."""
    language = call.language or ctx.default_language
    if call.outcome == CallOutcome.ANSWERED.value or call.ended_at is not None:
        return HangupStep(language)
    attempts = call.dial_attempts
    if attempts:
        latest = attempts[-1]
        if latest.result in _LIVE_ATTEMPT:
            return _dial_step(ctx, call, latest)
        return _message_step(ctx, call)
    return _decide(ctx, call)


def dial_result(ctx: Context, params: CallParams, attempt_number: int, *, dial_status: str,
                dial_sid: str | None, duration: int | None, bridged: bool) -> Step:
    """A staff leg ended. Answered only when accepted at the screening prompt AND bridged."""
    call = _call_for(ctx, params)
    language = call.language or ctx.default_language
    attempt = _attempt(ctx, call, attempt_number)
    if attempt is None or attempt.result not in _LIVE_ATTEMPT:
        if attempt is None:
            log.warning("dial result for unknown attempt %s of call %s", attempt_number, call.call_sid)
        return next_step(ctx, call)  # a repeated delivery: re-render what was decided then
    attempt.dial_call_sid = dial_sid
    attempt.dial_call_status = dial_status
    attempt.ended_at = ctx.now
    if attempt.accepted_at is not None and bridged:
        attempt.result = DialAttemptResult.CONNECTED.value
        if call.outcome in (CallOutcome.IN_PROGRESS.value, CallOutcome.NO_MESSAGE.value):
            call.outcome = CallOutcome.ANSWERED.value
            call.answered_by_id = attempt.staff_id
            call.answered_at = attempt.accepted_at
            call.conversation_seconds = duration
        return HangupStep(language)
    attempt.result = _FAILED_DIALS.get(dial_status, DialAttemptResult.NOT_ACCEPTED).value
    if dial_status == "canceled" or params.status in TERMINAL_CALL_STATUSES or call.ended_at is not None:
        # The caller hung up while it rang: nobody is left to ring for.
        if call.ended_at is not None:
            _conclude_unanswered(ctx, call)
        return HangupStep(language)
    return _decide(ctx, call)


def _decide(ctx: Context, call: Call) -> Step:
    """A fresh decision: ring the next staff member on duty, or take a message."""
    if call.line_open:
        staff = _next_on_duty(ctx, call)
        if staff is not None:
            attempt = DialAttempt(call=call, attempt_number=len(call.dial_attempts) + 1, staff_id=staff.staff_id,
                                  phone=staff.phone, started_at=ctx.now, result=DialAttemptResult.RINGING.value)
            ctx.session.add(attempt)
            # Stored before the TwiML that dials it is answered; a racing duplicate fails here.
            ctx.session.flush()
            return _dial_step(ctx, call, attempt)
    return _message_step(ctx, call)


def _next_on_duty(ctx: Context, call: Call) -> DutyShift | None:
    """Who is on duty now and not yet rung for this call, in rota order.

    When the caller chose a language at the menu, staff who speak it ring first (still in rota
    order among themselves), then everyone else.
    """
    tried_staff = {attempt.staff_id for attempt in call.dial_attempts}
    tried_phones = {attempt.phone for attempt in call.dial_attempts}
    candidates = [duty for duty in schedule.staff_on_duty(ctx.session, ctx.now)
                  if duty.staff_id not in tried_staff and duty.phone not in tried_phones
                  and duty.phone != call.caller]
    if call.language_chosen and call.language:
        candidates.sort(key=lambda duty: call.language not in duty.languages)
    return candidates[0] if candidates else None


def _dial_step(ctx: Context, call: Call, attempt: DialAttempt) -> DialStep:
    return DialStep(call_sid=call.call_sid, attempt_number=attempt.attempt_number, phone=attempt.phone,
                    language=call.language or ctx.default_language,
                    caller_id=ctx.settings.twilio_phone_number or call.to_number or None)


def _message_step(ctx: Context, call: Call) -> MessageStep:
    next_open_at = None
    if not call.line_open:
        next_open_at = schedule.status_at(ctx.session, ctx.settings, ctx.now).next_open_at
    return MessageStep(language=call.language or ctx.default_language, line_open=call.line_open,
                       reason=call.line_reason, next_open_at=next_open_at, withheld=call.caller is None,
                       now=ctx.now)


# --- the staff leg -------------------------------------------------------------------------------

def screen_choice(ctx: Context, call_sid: str, attempt_number: int, digits: str | None) -> bool:
    """The staff member pressed a key at the screening prompt; True bridges them to the caller."""
    if (digits or "").strip() != "1":
        return False
    call = ctx.session.scalar(select(Call).where(Call.call_sid == call_sid))
    attempt = _attempt(ctx, call, attempt_number) if call is not None else None
    if attempt is None:
        log.error("screening answer for unknown attempt %s of call %s", attempt_number, call_sid)
        return False
    if attempt.accepted_at is None:
        if attempt.result not in _LIVE_ATTEMPT:
            return False
        attempt.accepted_at = ctx.now
        attempt.result = DialAttemptResult.ACCEPTED.value
    return True


# --- messages, status and callback requests ------------------------------------------------------

def record_message(ctx: Context, params: CallParams, *, recording_sid: str, recording_url: str,
                   duration: int | None, recording_status: str) -> str:
    """A recording (from the Record action or its status callback, in either order).

    Returns the call's language, for the thanks the caller hears."""
    call = _call_for(ctx, params, create=bool(params.from_value))
    if call is None:
        log.error("recording %s (%s) of unknown call %s kept only in Twilio", recording_sid, recording_url,
                  params.call_sid)
        return ctx.default_language
    language = call.language or ctx.default_language
    if call.caller is None:
        log.warning("recording %s of withheld caller on call %s: no callback is possible", recording_sid,
                    call.call_sid)
        return language
    message = ctx.session.scalar(select(VoiceMessage).where(VoiceMessage.recording_sid == recording_sid))
    if message is None:
        callback, _ = _ensure_callback(ctx, call)
        message = VoiceMessage(callback=callback, call_id=call.id, recording_sid=recording_sid,
                               recording_url=recording_url, duration_seconds=duration,
                               recording_status=recording_status, created_at=ctx.now)
        ctx.session.add(message)
        ctx.session.flush()  # a racing delivery of the same recording fails here and is re-run
        _event(ctx, callback, "message", call_sid=call.call_sid, recording_sid=recording_sid,
               duration_seconds=duration)
        changed = True
    else:
        # The second of the two deliveries (action, status callback): complete what the first left.
        callback, changed = message.callback, False
        message.recording_url = message.recording_url or recording_url
        if duration is not None:
            message.duration_seconds = duration
        if recording_status:
            was_usable = message.is_usable
            message.recording_status = recording_status
            changed = was_usable != message.is_usable
    if message.is_usable and call.outcome in (CallOutcome.IN_PROGRESS.value, CallOutcome.NO_MESSAGE.value):
        call.outcome = CallOutcome.VOICEMAIL.value
    if changed:
        _enqueue(ctx, callback)
    return language


def call_status(ctx: Context, params: CallParams, duration: int | None) -> None:
    """Twilio's status callback of the caller's leg; on the end, make sure no caller is lost."""
    call = _call_for(ctx, params, started_at=ctx.now - timedelta(seconds=duration or 0))
    if call.ended_at is not None and params.status not in TERMINAL_CALL_STATUSES:
        return  # a late "ringing" after the end changes nothing
    if params.status:
        call.last_status = params.status
    if params.status in TERMINAL_CALL_STATUSES:
        if call.ended_at is None:
            call.ended_at = ctx.now
        if duration is not None:
            call.duration_seconds = duration
        _conclude_unanswered(ctx, call)


def _conclude_unanswered(ctx: Context, call: Call) -> None:
    """The caller is gone without an answer or a message: a callback request when we can call back."""
    if call.outcome != CallOutcome.IN_PROGRESS.value:
        return
    if any(attempt.result == DialAttemptResult.ACCEPTED.value for attempt in call.dial_attempts):
        return  # accepted and presumably talking: the dial result decides
    call.outcome = CallOutcome.NO_MESSAGE.value
    if call.caller is not None:
        callback, changed = _ensure_callback(ctx, call)
        if changed:
            _enqueue(ctx, callback)


def _ensure_callback(ctx: Context, call: Call) -> tuple[CallbackRequest, bool]:
    """The caller's open callback request, joined by this call once. True when anything changed."""
    assert call.caller is not None
    if call.callback_id is not None:
        linked = ctx.session.get(CallbackRequest, call.callback_id)
        if linked is not None and linked.is_open:
            return linked, False
    callback = ctx.session.scalar(
        select(CallbackRequest)
        .where(CallbackRequest.caller == call.caller, CallbackRequest.status != CallbackStatus.CLOSED.value)
        .with_for_update()
    )
    if callback is None:
        callback = CallbackRequest(caller=call.caller, language=call.language, status=CallbackStatus.NEW.value,
                                   created_at=ctx.now, last_call_at=call.started_at, call_count=1,
                                   next_action="assign", next_action_at=ctx.now)
        ctx.session.add(callback)
        ctx.session.flush()  # the partial unique index decides a race here
        _event(ctx, callback, "call", call_sid=call.call_sid, joined=False)
    else:
        callback.call_count += 1
        callback.last_call_at = max(callback.last_call_at, call.started_at)
        if call.language_chosen:
            callback.language = call.language
        _event(ctx, callback, "call", call_sid=call.call_sid, joined=True)
    call.callback_id = callback.id
    return callback, True


def _event(ctx: Context, callback: CallbackRequest, kind: str, **detail: object) -> None:
    ctx.session.add(CallbackEvent(callback_id=callback.id, at=ctx.now, kind=kind, detail=detail))


def _enqueue(ctx: Context, callback: CallbackRequest) -> None:
    ctx.session.flush()
    ctx.jobs.enqueue_after_commit(ctx.session, PROCESS_CALLBACK_JOB, callback.id,
                                  job_id=f"callback-{callback.id}-process")


# --- rows ----------------------------------------------------------------------------------------

def _call_for(ctx: Context, params: CallParams, *, create: bool = True,
              started_at: datetime | None = None) -> Call:
    """The call by CallSid; created from the request when unknown (a lost or early row)."""
    call = ctx.session.scalar(select(Call).where(Call.call_sid == params.call_sid))
    if call is not None or not create:
        return call  # type: ignore[return-value]
    started_at = started_at or ctx.now
    status = schedule.status_at(ctx.session, ctx.settings, started_at)
    caller = phones.caller_id(params.from_value)
    call = Call(call_sid=params.call_sid, caller=caller, caller_withheld=caller is None, to_number=params.to,
                started_at=started_at, line_open=status.open, line_reason=status.reason,
                last_status=params.status, outcome=CallOutcome.IN_PROGRESS.value)
    ctx.session.add(call)
    ctx.session.flush()  # a racing duplicate delivery fails here and is re-run
    return call


def _attempt(ctx: Context, call: Call, number: int) -> DialAttempt | None:
    return ctx.session.scalar(
        select(DialAttempt).where(DialAttempt.call_id == call.id, DialAttempt.attempt_number == number)
    )
