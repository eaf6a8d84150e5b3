"""Who gets rung: the caller's leg and the staff legs of one call, and the step that comes next.

The single place where a call's next step is chosen: ring the next free staff member on duty
(claimed first, :mod:`helpline.inbound.busy`, so that no two callers get the same person), wait
in the queue when everyone on duty not yet rung is busy (or callers wait already), take a
message, or hang up. A concluded dial attempt is never re-decided: a repeated or late webhook
reads back the step taken after it (the next attempt's row, or "take a message" when there is
none) and renders it again.

A call counts as answered only when the staff member pressed 1 at the screening prompt (stored
here, server side) AND Twilio bridged the two legs; a voicemail box that picks up never does.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from helpline.directory.wrap_up import ask_after_call
from helpline.rota import load as schedule
from helpline.blocks.rules import notice_languages
from helpline.dispatch import after_commit_connect_waiting
from helpline.inbound import busy
from helpline.inbound.context import (TERMINAL_CALL_STATUSES, CallParams, Context, call_for, find_call, refused,
                                      refused_caller, store_call)
from helpline.inbound.intake import conclude_unanswered
from helpline.models import BusyKind, Call, CallOutcome, DialAttempt, DialAttemptResult
from helpline.rota.rules import DutyShift
from helpline.telephony.prompts import language_for_digit

log = logging.getLogger(__name__)

_LIVE_ATTEMPT = (DialAttemptResult.RINGING.value, DialAttemptResult.ACCEPTED.value)
_FAILED_DIALS = {"busy": DialAttemptResult.BUSY, "no-answer": DialAttemptResult.NO_ANSWER,
                 "failed": DialAttemptResult.FAILED, "canceled": DialAttemptResult.CANCELED}


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


@dataclass(frozen=True)
class QueueStep:
    """Everyone on duty is busy: wait in the line's queue (<Enqueue>)."""

    language: str


@dataclass(frozen=True)
class BlockedStep:
    """A blocked caller: one short notice (in these languages), then the line hangs up."""

    languages: tuple[str, ...]


Step = DialStep | MessageStep | HangupStep | QueueStep | BlockedStep


# --- the caller's leg ----------------------------------------------------------------------------

def answer_incoming(ctx: Context, params: CallParams) -> tuple[str, Step | None]:
    """Record the call; the default language, and the first step unless a language menu comes first.
    A blocked caller is not recorded: their step is the notice.

    With a language menu (the default configuration) the answer needs nothing of the row but
    that it is stored: one INSERT, no ORM load (the line's hot path, scripts/bench_incoming.py)."""
    if refused_caller(ctx, params):
        log.info("call %s from a blocked number: notice and hang up", params.call_sid)
        return ctx.default_language, BlockedStep(notice_languages(ctx.settings.caller_languages))
    if len(ctx.settings.caller_languages) > 1:
        store_call(ctx, params)
        return ctx.default_language, None
    call = call_for(ctx, params)
    if call.language is None:
        call.language = ctx.default_language
    return ctx.default_language, next_step(ctx, call)


def choose_language(ctx: Context, params: CallParams, digits: str | None) -> Step:
    if refused(ctx, params):
        return BlockedStep(notice_languages(ctx.settings.caller_languages))
    call = call_for(ctx, params)
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
    if call.queued_at is not None:
        return QueueStep(language) if call.queue_left_at is None else _message_step(ctx, call)
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
    if refused(ctx, params):
        return HangupStep(ctx.default_language)
    call = call_for(ctx, params)
    language = call.language or ctx.default_language
    attempt = _attempt(ctx, call, attempt_number)
    if attempt is None and not call.dial_attempts and call.ended_at is None:
        # The end of a staff leg we have no record of (our row was lost). A new hunt would number
        # its first leg like this one, and Twilio's repeat of this very report would end it; so
        # take a message, which a repeat re-renders unchanged.
        log.warning("dial result for attempt %s of call %s, which rang nobody we know of", attempt_number,
                    call.call_sid)
        return _message_step(ctx, call)
    if attempt is None or attempt.result not in _LIVE_ATTEMPT:
        if attempt is None:
            log.warning("dial result for unknown attempt %s of call %s", attempt_number, call.call_sid)
        return next_step(ctx, call)  # a repeated delivery: re-render what was decided then
    attempt.dial_call_sid = dial_sid
    attempt.dial_call_status = dial_status
    attempt.ended_at = ctx.now
    # Their leg is over (rung out, declined, or the conversation ended): free for the next caller.
    busy.release(ctx.session, ctx.jobs, busy.hunt_reference(call.id, attempt.attempt_number))
    if attempt.accepted_at is not None and bridged:
        attempt.result = DialAttemptResult.CONNECTED.value
        if call.outcome in (CallOutcome.IN_PROGRESS.value, CallOutcome.NO_MESSAGE.value):
            call.outcome = CallOutcome.ANSWERED.value
            call.answered_by_id = attempt.staff_id
            call.answered_at = attempt.accepted_at
            call.conversation_seconds = duration
            ask_after_call(ctx.session, ctx.settings, call, ctx.now)  # the conversation is over
        return HangupStep(language)
    attempt.result = _FAILED_DIALS.get(dial_status, DialAttemptResult.NOT_ACCEPTED).value
    if dial_status == "canceled" or params.status in TERMINAL_CALL_STATUSES or call.ended_at is not None:
        # The caller hung up while it rang: nobody is left to ring for.
        if call.ended_at is not None:
            conclude_unanswered(ctx, call)
        return HangupStep(language)
    return _decide(ctx, call)


def _decide(ctx: Context, call: Call) -> Step:
    """A fresh decision: ring the next free staff member on duty, wait in the queue when everyone
    on duty not yet rung is busy, or take a message."""
    if not call.line_open:
        return _message_step(ctx, call)
    candidates = _not_yet_rung(ctx, call)
    queue_on = ctx.settings.queue_max_wait_seconds > 0
    if candidates and queue_on and call.queued_at is None and busy.others_waiting(ctx.session, call.id, ctx.now,
                                                                         ctx.settings.queue_max_wait_seconds):
        # Callers wait already: a new caller never goes ahead of them, even to someone just freed
        # (the connect job gives that person to the caller who has waited longest).
        call.queued_at = ctx.now
        after_commit_connect_waiting(ctx.jobs, ctx.session)
        return QueueStep(call.language or ctx.default_language)
    taken = busy.busy_staff_ids(ctx.session, ctx.now)
    number = len(call.dial_attempts) + 1
    for staff in candidates:
        if staff.staff_id in taken:
            continue
        # The claim is the lock: a hunt racing this one for the same person claims nobody here.
        if not busy.claim(ctx.session, staff.staff_id, kind=BusyKind.HUNT, reference=busy.hunt_reference(call.id, number),
                          now=ctx.now, twilio_call_sid=call.call_sid):
            continue
        attempt = DialAttempt(call=call, attempt_number=number, staff_id=staff.staff_id,
                              phone=staff.phone, started_at=ctx.now, result=DialAttemptResult.RINGING.value)
        ctx.session.add(attempt)
        # Stored before the TwiML that dials it is answered; a racing duplicate fails here.
        ctx.session.flush()
        return _dial_step(ctx, call, attempt)
    if candidates and queue_on and call.queued_at is None:
        call.queued_at = ctx.now
        return QueueStep(call.language or ctx.default_language)
    return _message_step(ctx, call)


def _not_yet_rung(ctx: Context, call: Call) -> list[DutyShift]:
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
    return candidates


def _dial_step(ctx: Context, call: Call, attempt: DialAttempt) -> DialStep:
    return DialStep(call_sid=call.call_sid, attempt_number=attempt.attempt_number, phone=attempt.phone,
                    language=call.language or ctx.default_language,
                    caller_id=ctx.settings.twilio_phone_number or call.to_number or None)


def message_step(ctx: Context, call: Call) -> MessageStep:
    """Take a message: why nobody answers (or when the line opens) and the Record."""
    return _message_step(ctx, call)


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
    call = find_call(ctx, call_sid)
    attempt = _attempt(ctx, call, attempt_number) if call is not None else None
    if attempt is None:
        log.error("screening answer for unknown attempt %s of call %s", attempt_number, call_sid)
        return False
    if attempt.accepted_at is None:
        if attempt.result not in _LIVE_ATTEMPT:
            return False
        attempt.accepted_at = ctx.now
        attempt.result = DialAttemptResult.ACCEPTED.value
        busy.mark_talking(ctx.session, busy.hunt_reference(call.id, attempt_number))
    return True


def _attempt(ctx: Context, call: Call, number: int) -> DialAttempt | None:
    return ctx.session.scalar(
        select(DialAttempt).where(DialAttempt.call_id == call.id, DialAttempt.attempt_number == number)
    )
