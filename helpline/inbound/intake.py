"""Messages, call status and callback requests: a caller who was not answered is never lost.

- a recording arrives twice (the <Record> action and the recording status callback, in either
  order); it becomes one VoiceMessage, keyed by its RecordingSid;
- a caller who hangs up unanswered and without a message still gets a callback request when the
  number is known (withheld numbers get none);
- one open callback request per caller number: a new call from that number joins it;
- ``Call.outcome`` only moves forward: in_progress -> answered / voicemail / no_message, and
  no_message -> voicemail when a late recording arrives. Answered and voicemail are final.

The worker's job is queued after the commit, and only when this request changed something.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from helpline.directory.wrap_up import ask_after_call
from helpline.dispatch import after_commit_process_callback
from helpline.inbound import busy
from helpline.inbound.context import TERMINAL_CALL_STATUSES, CallParams, Context, call_for, find_call, refused
from helpline.models import (
    Call, CallbackEvent, CallbackRequest, CallbackStatus, CallOutcome, DialAttemptResult, VoiceMessage,
)

log = logging.getLogger(__name__)

# --- messages, status and callback requests ------------------------------------------------------

def record_message(ctx: Context, params: CallParams, *, recording_sid: str, recording_url: str,
                   duration: int | None, recording_status: str) -> str:
    """A recording (from the Record action or its status callback, in either order).

    Returns the call's language, for the thanks the caller hears."""
    if params.from_value and refused(ctx, params):
        log.warning("recording %s of call %s from a blocked number: not stored", recording_sid, params.call_sid)
        return ctx.default_language
    # The status callback carries no From: without the row it cannot tell whom to call back.
    call = call_for(ctx, params) if params.from_value else find_call(ctx, params.call_sid)
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
    """Twilio's status callback of the caller's leg; on the end, make sure no caller is lost
    (but leave nothing for a blocked one)."""
    if refused(ctx, params):
        return
    call = call_for(ctx, params, started_at=ctx.now - timedelta(seconds=duration or 0))
    if call.ended_at is not None and params.status not in TERMINAL_CALL_STATUSES:
        return  # a late "ringing" after the end changes nothing
    if params.status:
        call.last_status = params.status
    if params.status in TERMINAL_CALL_STATUSES:
        if call.ended_at is None:
            call.ended_at = ctx.now
        if duration is not None:
            call.duration_seconds = duration
        if call.queued_at is not None and call.queue_left_at is None:
            call.queue_left_at = ctx.now  # hung up while waiting (the Enqueue action may not come)
            call.queue_seconds = int((ctx.now - call.queued_at).total_seconds())
            call.queue_result = call.queue_result or "hangup"
        busy.release_call(ctx.session, ctx.jobs, call.id)
        conclude_unanswered(ctx, call)
        ask_after_call(ctx.session, ctx.settings, call, ctx.now)  # once per call: its dedupe key


def conclude_unanswered(ctx: Context, call: Call) -> None:
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
        callback = CallbackRequest(caller=call.caller, language=call.language or ctx.default_language, status=CallbackStatus.NEW.value,
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
    if call.queue_seconds is not None and call.queue_result != "bridged":
        callback.queue_wait_seconds = call.queue_seconds  # how long they waited in the queue
    call.callback_id = callback.id
    return callback, True


def _event(ctx: Context, callback: CallbackRequest, kind: str, **detail: object) -> None:
    ctx.session.add(CallbackEvent(callback_id=callback.id, at=ctx.now, kind=kind, detail=detail))


def _enqueue(ctx: Context, callback: CallbackRequest) -> None:
    ctx.session.flush()
    after_commit_process_callback(ctx.jobs, ctx.session, callback.id)
