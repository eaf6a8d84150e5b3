"""The wait queue: a caller waits while everyone on duty is busy, and the first person to be
free takes the caller who has waited longest.

The caller's side (Twilio's <Enqueue>): every ~30 s the wait URL asks what they hear (their place
in line, and "press 1 to leave a message instead"); pressing 1, or waiting past
QUEUE_MAX_WAIT_SECONDS, makes them <Leave> the queue; the Enqueue action then says how it ended
and a caller who left is asked for a message. A callback request made from such a call records
how long they waited.

The staff side: when someone on duty is free and callers wait, the connect job claims them
(:mod:`helpline.inbound.busy`) under an offer reference and rings them from the line's number;
they hear that a caller waits and press 1, and ``<Dial><Queue>`` bridges them to the front of
the queue, which is the caller who has waited longest (Twilio's queues are first in, first out).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from helpline.inbound import busy
from helpline.inbound.context import CallParams, Context, call_for
from helpline.inbound.hunt import HangupStep, Step, message_step
from helpline.models import BusyKind, BusyState, Call, CallOutcome, StaffBusy
from helpline.rota import load as schedule

log = logging.getLogger(__name__)

QUEUE_NAME = "helpline"  # the line's one Twilio queue


class QueueResult:
    BRIDGED = "bridged"
    LEFT = "left"  # pressed 1 to leave a message
    TIMED_OUT = "timed_out"  # waited QUEUE_MAX_WAIT_SECONDS
    HANGUP = "hangup"


@dataclass(frozen=True)
class WaitRound:
    """What a waiting caller hears now: their place, or (``leave``) that the wait is over."""

    language: str
    position: int
    leave: bool


def waiting_calls(ctx: Context) -> list[Call]:
    """The callers waiting now, longest-waiting first."""
    oldest = busy.waiting_cutoff(ctx.now, ctx.settings.queue_max_wait_seconds)
    return list(ctx.session.scalars(select(Call).where(
        Call.queued_at.is_not(None), Call.queued_at > oldest, Call.queue_left_at.is_(None),
        Call.ended_at.is_(None)).order_by(Call.queued_at, Call.id)))


def _seconds(value: int | None, fallback: datetime | None, now: datetime) -> int:
    if value is not None:
        return max(value, 0)
    return int((now - fallback).total_seconds()) if fallback is not None else 0


def wait_round(ctx: Context, params: CallParams, *, position: int | None, queue_time: int | None) -> WaitRound:
    """The wait URL: the caller's place, or leave once they have waited QUEUE_MAX_WAIT_SECONDS."""
    call = call_for(ctx, params)
    language = call.language or ctx.default_language
    if call.queued_at is None:
        call.queued_at = ctx.now  # our row missed the queueing (lost): it waits from now
    waited = _seconds(queue_time, call.queued_at, ctx.now)
    if call.queue_result in (QueueResult.LEFT, QueueResult.TIMED_OUT):
        return WaitRound(language, position or 1, leave=True)  # a repeated request
    if waited >= ctx.settings.queue_max_wait_seconds:
        call.queue_result = QueueResult.TIMED_OUT
        return WaitRound(language, position or 1, leave=True)
    return WaitRound(language, max(position or 1, 1), leave=False)


def pressed_in_queue(ctx: Context, params: CallParams, digits: str | None) -> bool:
    """A key at the wait prompt; True (leave the queue for a message) for 1."""
    if (digits or "").strip() != "1":
        return False
    call = call_for(ctx, params)
    if call.queue_result is None:
        call.queue_result = QueueResult.LEFT
    return True


def left_queue(ctx: Context, params: CallParams, *, queue_result: str, queue_time: int | None) -> Call:
    """The Enqueue action: the caller left the queue (bridged, pressed 1, timed out, hung up...)."""
    call = call_for(ctx, params)
    if call.queue_left_at is None:
        call.queue_left_at = ctx.now
        call.queue_seconds = _seconds(queue_time, call.queued_at, ctx.now)
        if call.queue_result is None:
            call.queue_result = {"leave": QueueResult.LEFT, "bridged": QueueResult.BRIDGED,
                                 "hangup": QueueResult.HANGUP}.get(queue_result, queue_result[:20] or "error")
    return call


def after_queue(ctx: Context, params: CallParams, *, queue_result: str, queue_time: int | None) -> Step:
    """The Enqueue action: hang up after a conversation (or a hang-up), else take a message."""
    call = left_queue(ctx, params, queue_result=queue_result, queue_time=queue_time)
    if call.queue_result in (QueueResult.BRIDGED, QueueResult.HANGUP) or call.ended_at is not None:
        return HangupStep(call.language or ctx.default_language)
    return message_step(ctx, call)


# --- the staff side: offers -----------------------------------------------------------------------

@dataclass(frozen=True)
class Offer:
    reference: str
    staff_id: int
    phone: str


def plan_offers(ctx: Context) -> list[Offer]:
    """Claim free staff on duty for the callers waiting who nobody is being rung for yet."""
    if ctx.settings.queue_max_wait_seconds <= 0:
        return []
    waiting = len(waiting_calls(ctx))
    ringing = ctx.session.scalar(select(func.count()).select_from(StaffBusy).where(
        StaffBusy.kind == BusyKind.OFFER.value, StaffBusy.state == BusyState.RINGING.value)) or 0
    wanted = waiting - ringing
    if wanted <= 0:
        return []
    taken = busy.busy_staff_ids(ctx.session, ctx.now)
    offers: list[Offer] = []
    for duty in schedule.staff_on_duty(ctx.session, ctx.now):
        if len(offers) >= wanted:
            break
        if duty.staff_id in taken:
            continue
        reference = f"offer-{uuid.uuid4().hex}"
        if busy.claim(ctx.session, duty.staff_id, kind=BusyKind.OFFER, reference=reference, now=ctx.now):
            offers.append(Offer(reference, duty.staff_id, duty.phone))
            taken.add(duty.staff_id)
    return offers


def offer_still_wanted(ctx: Context, reference: str) -> bool:
    """The staff leg of an offer answered: is it still ours, and does anyone still wait? When
    nobody waits any more, the staff member is free at once (they did pick up)."""
    if busy.holder(ctx.session, reference) is None:
        return False
    if waiting_calls(ctx):
        return True
    busy.release(ctx.session, ctx.jobs, reference)
    return False


def offer_bridged(ctx: Context, params: CallParams, reference: str, *, queue_time: int | None) -> str:
    """The caller at the front of the queue is being bridged to the offer's staff member
    (``<Queue url>``, requested on the caller's leg). Returns the caller's language."""
    call = call_for(ctx, params)
    holder = busy.holder(ctx.session, reference)
    if call.queue_left_at is None:
        call.queue_left_at = ctx.now
        call.queue_seconds = _seconds(queue_time, call.queued_at, ctx.now)
    call.queue_result = QueueResult.BRIDGED
    if call.outcome in (CallOutcome.IN_PROGRESS.value, CallOutcome.NO_MESSAGE.value):
        call.outcome = CallOutcome.ANSWERED.value
        call.answered_at = ctx.now
        call.answered_by_id = holder.staff_id if holder is not None else None
    busy.mark_talking(ctx.session, reference)
    return call.language or ctx.default_language


def offer_ended(ctx: Context, reference: str, *, talked: bool) -> None:
    """The offer's staff leg is over: free them (a short rest when they let the caller go)."""
    holder = busy.holder(ctx.session, reference)
    if holder is None:
        return
    if talked or holder.state == BusyState.TALKING.value:
        busy.release(ctx.session, ctx.jobs, reference)
    else:
        busy.release(ctx.session, ctx.jobs, reference, rest=True, now=ctx.now)
