"""Caller feedback: one question after a callback is closed as resolved or referred, and the reply.

- ``ask_after_close`` runs inside the closing transaction (helpline.callbacks.actions), so the
  close and the promise to ask are one commit. It writes a FeedbackRequest (unique per
  callback: never twice) and queues the SMS through the outbox with ``send_after``: the sweep
  hands it to a worker when its time comes (FEEDBACK_DELAY after closing, in the daytime).
- Nobody is asked whose number is withheld or masked, or is not a mobile number, or said STOP
  (and the outbox checks STOP again when it sends), or is blocked, or was asked in the last
  FEEDBACK_QUIET_PERIOD.
- ``record_reply`` reads an SMS from a number that is not staff: when that number was asked in
  the last FEEDBACK_REPLY_WINDOW and the message begins with a score that the answer lacks (or
  brings the first words after the score), it is the answer to the newest question
  (helpline.feedback.rules.reads_as_answer). The first score counts and the first words are
  kept. No reply is sent: the caller was promised one question, not a conversation with a
  machine. Anything else the caller writes is not feedback: the caller of this function passes
  it on to the line as a conversation by text.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline import texts
from helpline.blocks.store import is_blocked
from helpline.feedback.rules import (
    FEEDBACK_QUIET_PERIOD, FEEDBACK_REPLY_WINDOW, feedback_send_time, read_score_reply, reads_as_answer,
)
from helpline.models import CallbackOutcome, CallbackRequest, FeedbackRequest
from helpline.sms.outbox import insert_ignoring_conflicts, is_opted_out, queue_sms
from helpline.phones import caller_id, is_mobile

log = logging.getLogger(__name__)

ASKED_AFTER = (CallbackOutcome.RESOLVED.value, CallbackOutcome.REFERRED.value)
PURPOSE = "caller_feedback"


def feedback_dedupe_key(callback_id: int) -> str:
    return f"feedback-{callback_id}"


def ask_after_close(session: Session, callback: CallbackRequest, now: datetime) -> str:
    """Plan the feedback question for ``callback``, just closed at ``now``. Returns what it did."""
    if callback.outcome not in ASKED_AFTER:
        return f"not asked: closed as {callback.outcome}"
    number = caller_id(callback.caller)
    if number is None:
        return "not asked: no number to text"
    if not is_mobile(number):
        return "not asked: not a mobile number"
    if is_opted_out(session, number):
        return "not asked: the caller said STOP"
    from helpline.services import current_services

    if is_blocked(session, current_services().settings.secret_key, number, now):
        return "not asked: the number is blocked"  # their answer would be ignored (helpline.inbound.sms)
    recently = session.scalar(
        select(FeedbackRequest.id).where(FeedbackRequest.caller == number,
                                         FeedbackRequest.created_at > now - FEEDBACK_QUIET_PERIOD).limit(1))
    if recently is not None:
        return "not asked: asked lately already"
    send_at = feedback_send_time(now, current_services().settings.timezone)
    # The SMS's dedupe key is the callback's, so queueing it again returns the same row, never a second.
    question = texts.sms("caller_question", callback.language)
    outbound = queue_sms(session, to=number, body=question, purpose=PURPOSE,
                         dedupe_key=feedback_dedupe_key(callback.id), now=now, callback_id=callback.id,
                         send_after=send_at)
    request_id = session.execute(
        insert_ignoring_conflicts(session, FeedbackRequest)
        .values(callback_id=callback.id, caller=number, created_at=now, asked_at=send_at,
                outbound_id=outbound.id if outbound is not None else None)
        .on_conflict_do_nothing(index_elements=["callback_id"])
        .returning(FeedbackRequest.id)
    ).scalar_one_or_none()
    if request_id is None:
        return "not asked: asked already"
    log.info("callback #%s: feedback question planned for %s", callback.id, send_at.isoformat())
    return f"asked at {send_at.isoformat()}"


def record_reply(session: Session, number: str, body: str, now: datetime) -> str | None:
    """An SMS from ``number`` (not staff): the answer to its newest feedback question, if it is one.

    Returns what happened (for the log), or None when the number has no question to answer or
    the message is not read as its answer (see reads_as_answer).
    """
    request = session.scalar(
        select(FeedbackRequest)
        .where(FeedbackRequest.caller == number, FeedbackRequest.asked_at <= now,
               FeedbackRequest.asked_at > now - FEEDBACK_REPLY_WINDOW)
        .order_by(FeedbackRequest.asked_at.desc(), FeedbackRequest.id.desc())
        .limit(1)
        .with_for_update()
    )
    if request is None:
        return None
    reply = read_score_reply(body)
    if not reads_as_answer(reply, request.score is not None, request.comment is not None):
        return None
    changed = []
    if reply.score is not None and request.score is None:
        request.score, request.answered_at = reply.score, now
        changed.append(f"score {reply.score}")
    if reply.comment is not None and request.comment is None:
        request.comment = reply.comment
        changed.append("words")
    if not changed:
        return f"feedback for callback #{request.callback_id}: nothing new (answered already)"
    return f"feedback for callback #{request.callback_id}: {' and '.join(changed)}"
