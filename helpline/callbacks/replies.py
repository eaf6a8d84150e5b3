"""Staff answer a caller through the line: ``REPLY 12 <text>`` by SMS, the callback's page, or
``POST /api/callbacks/12/reply``. One function, :func:`send_reply`, for all three.

- The text goes to the caller from the line's shared number, through the outbox (durable, rate
  limited, opt-outs honoured); the staff member's own number never reaches the caller. It is
  stored as the line's message in the conversation, with the SMS that carries it.
- The first reply is the first response: a staff member's reply acknowledges the callback as OK
  does (a callback nobody held becomes theirs); a reply through the API, which has no person
  behind it, sets ``acknowledged_at`` when nothing had.
- Refusals are named exceptions (helpline.callbacks.actions.ActionRefused): closed, someone
  else's, an empty or too long text (over REPLY_MAX_SEGMENTS segments, counted the way the SMS
  is sent), a caller who said STOP, a number that cannot get an SMS. Nothing is stored then.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.callbacks.actions import (
    ActionRefused, Actor, acknowledge, check_may_act, open_callback,
)
from helpline.callbacks.assignment import event, guarded_update, lock_callback
from helpline.callbacks.conversation_rules import REPLY_MAX_SEGMENTS, ReplyProblem, check_reply
from helpline.chat_board import bump_after_commit
from helpline.models import CallbackRequest, CallbackStatus, Channel, ChatVisitor, ConversationMessage, Sender
from helpline.phones import caller_id, is_mobile
from helpline.sms.outbox import is_opted_out, queue_sms

log = logging.getLogger(__name__)

REPLY_PURPOSE = "conversation_reply"
REPLIED_EVENT = "replied"


class EmptyReply(ActionRefused):
    def __init__(self, ref: int) -> None:
        super().__init__(ref, "text: the reply is empty")


class ReplyTooLong(ActionRefused):
    def __init__(self, ref: int, parts: int, encoding: str) -> None:
        super().__init__(ref, f"text: the reply would be {parts} SMS segments ({encoding}); at most "
                              f"{REPLY_MAX_SEGMENTS} may be sent (about {REPLY_MAX_SEGMENTS * 153} GSM-7 characters, "
                              f"or {REPLY_MAX_SEGMENTS * 67} when it has emoji or other characters outside GSM-7)")
        self.parts = parts
        self.encoding = encoding


class CallerOptedOut(ActionRefused):
    def __init__(self, ref: int) -> None:
        super().__init__(ref, f"the caller of callback #{ref} has said STOP: the line sends them no SMS")


class CallerCannotGetSms(ActionRefused):
    def __init__(self, ref: int) -> None:
        super().__init__(ref, f"the caller's number of callback #{ref} cannot get an SMS (withheld, removed or "
                              "not a mobile number)")


class ChatEnded(CallerCannotGetSms):
    """A web chat whose visitor has ended it: nobody would read a reply (409 in the API, as a caller
    who cannot get an SMS)."""

    def __init__(self, ref: int) -> None:
        ActionRefused.__init__(self, ref, f"the visitor of web chat #{ref} has ended the chat: a reply would reach no one")


@dataclass(frozen=True)
class Sent:
    message_id: int
    outbound_id: int | None
    body: str


def send_reply(session: Session, callback_id: int, text: str | None, now: datetime, *, actor: Actor | None,
               via: str, inbound_sms_id: int | None = None, detail: Mapping[str, object] | None = None) -> Sent:
    """Text ``text`` to the caller of an open callback from the line's number; see the module doc.

    ``actor`` is the staff member replying (None through the API); ``inbound_sms_id`` the staff
    member's SMS that held the reply (retention empties it with the conversation). Raises CallbackNotFound,
    AlreadyClosed, NotYours, EmptyReply, ReplyTooLong, CallerOptedOut, CallerCannotGetSms or ChatEnded.
    """
    lock_callback(session, callback_id)  # one reply or job at a time per conversation, in order
    callback = open_callback(session, callback_id)
    if actor is not None:
        check_may_act(callback, actor)
    checked = check_reply(text)
    if checked.problem is ReplyProblem.EMPTY:
        raise EmptyReply(callback_id)
    if checked.problem is ReplyProblem.TOO_LONG:
        raise ReplyTooLong(callback_id, checked.size.segments, checked.size.encoding)
    number = _textable(session, callback)

    message = ConversationMessage(callback_id=callback_id, at=now, sender=Sender.LINE.value, text=checked.body,
                                  staff_id=actor.staff_id if actor else None, via=via, inbound_sms_id=inbound_sms_id)
    session.add(message)
    session.flush()
    outbound = None
    if number is not None:
        outbound = queue_sms(session, to=number, body=checked.body, purpose=REPLY_PURPOSE,
                             dedupe_key=f"relay:{callback_id}:{message.id}", now=now, callback_id=callback_id)
        message.outbound_sms_id = outbound.id if outbound is not None else None
    if callback.channel == Channel.CHAT.value:
        bump_after_commit(session, callback_id)  # the visitor's page shows it at its next poll
    _first_response_given(session, callback, actor, now)
    event(session, callback_id, REPLIED_EVENT, now, staff_id=actor.staff_id if actor else None, via=via,
          message_id=message.id, **(detail or {}))
    log.info("callback #%s: reply %s queued (via %s)", callback_id, message.id, via)
    return Sent(message.id, message.outbound_sms_id, checked.body)


def _textable(session: Session, callback: CallbackRequest) -> str | None:
    """The number a reply goes to; None for a web chat (its visitor reads it on the page, never
    by SMS, even when they left a number for a call back)."""
    if callback.channel == Channel.CHAT.value:
        if session.scalar(select(ChatVisitor.ended_at).where(ChatVisitor.callback_id == callback.id)) is not None:
            raise ChatEnded(callback.id)
        return None
    number = caller_id(callback.caller)
    if number is None or (callback.channel == Channel.VOICE.value and not is_mobile(number)):
        raise CallerCannotGetSms(callback.id)
    if is_opted_out(session, number):
        raise CallerOptedOut(callback.id)
    return number


def _first_response_given(session: Session, callback: CallbackRequest, actor: Actor | None, now: datetime) -> None:
    if actor is not None:
        if callback.status != CallbackStatus.ACKNOWLEDGED.value:
            acknowledge(session, callback.id, actor, now, via="reply")
        return
    # Through the API: nobody to make the holder, but the first response is now.
    guarded_update(session, callback.id, [CallbackRequest.acknowledged_at.is_(None)],
                   acknowledged_at=now)
    guarded_update(session, callback.id, [CallbackRequest.status == CallbackStatus.ASSIGNED.value],
                   status=CallbackStatus.ACKNOWLEDGED.value)
