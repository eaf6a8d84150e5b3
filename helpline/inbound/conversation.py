"""A caller's text to the line: a message in their one open conversation (contract section 7).

- The text joins the number's open callback request, whatever its channel (a caller with an
  open voicemail callback joins it), or opens one with ``channel = "sms"``. The partial unique
  index on open callbacks per number decides a race between two texts (the webhook runs the
  whole message again and joins the winner's).
- It is stored as a ConversationMessage (unique per inbound SMS), and the worker is asked to look
  at the callback after commit: it assigns a new conversation (the assignment SMS carries the
  words; at the next opening when the line is closed), or forwards the text to the assignee
  (bundled, capped: helpline.callbacks.conversation_rules).
- While the line is closed the caller gets one automatic answer per closed period, in the same
  transaction: closed now, when it opens, 112. Its outbox dedupe key names the number and the
  period, so however many texts (an auto-responder's included) come in one night, one answer
  goes out; it is a message of the conversation too (``automatic``), and never counts as a reply.
- STOP and START from a caller are noted in their open conversation, and the assignee is told of
  a STOP: no reply can reach the caller by SMS after it (the outbox holds every SMS to them).
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.callbacks.assignment import enqueue_process_after_commit, event
from helpline.callbacks.conversation_rules import CALLER_TEXT_MAX, closed_period, guess_language
from helpline.config import Settings
from helpline.models import CallbackRequest, CallbackStatus, Channel, ConversationMessage, OutboundSms, Sender, Staff
from helpline.rota.load import load_calendar
from helpline.sms import conversation_texts
from helpline.sms.outbox import is_opted_out, queue_sms
from helpline.sms.texts import pick_language

log = logging.getLogger(__name__)

TEXTED_EVENT = "texted"
CLOSED_ANSWER_PURPOSE = "closed_answer"
STOP_NOTICE_PURPOSE = "caller_stopped"


def open_callback_of(session: Session, number: str) -> CallbackRequest | None:
    """The number's open callback request, locked until commit."""
    return session.scalar(
        select(CallbackRequest)
        .where(CallbackRequest.caller == number, CallbackRequest.status != CallbackStatus.CLOSED.value)
        .with_for_update())


def receive_caller_text(session: Session, settings: Settings, *, number: str, inbound_id: int, body: str,
                        now: datetime) -> str:
    """Store a caller's text in their conversation, answer it when the line is closed, and ask
    the worker to assign or forward it. Returns what happened, for the log."""
    callback = open_callback_of(session, number)
    joined = callback is not None
    if callback is None:
        callback = CallbackRequest(caller=number, channel=Channel.SMS.value, language=guess_language(body),
                                   status=CallbackStatus.NEW.value, created_at=now, last_call_at=now, call_count=0,
                                   next_action="assign", next_action_at=now)
        session.add(callback)
        session.flush()  # the partial unique index decides a race with another text or a call here
    first_text = joined and not session.scalar(select(ConversationMessage.id).where(
        ConversationMessage.callback_id == callback.id, ConversationMessage.sender == Sender.CALLER.value).limit(1))
    message = ConversationMessage(callback_id=callback.id, at=now, sender=Sender.CALLER.value,
                                  text=(body or "")[:CALLER_TEXT_MAX], inbound_sms_id=inbound_id)
    session.add(message)
    session.flush()
    if not joined or first_text:
        event(session, callback.id, TEXTED_EVENT, now, joined=joined, message_id=message.id)
    answered = _answer_if_closed(session, settings, callback, now)
    enqueue_process_after_commit(session, callback.id)
    what = f"text in callback #{callback.id} ({'joined' if joined else 'new conversation'})"
    return what + ("; answered: the line is closed" if answered else "")


def _answer_if_closed(session: Session, settings: Settings, callback: CallbackRequest, now: datetime) -> bool:
    """The one automatic answer of this closed period to this number; True when it was queued now."""
    period = closed_period(now, load_calendar(session, settings, now))
    if period is None or is_opted_out(session, callback.caller):
        return False
    dedupe_key = f"closed-answer:{callback.caller}:{period.key}"
    if session.scalar(select(OutboundSms.id).where(OutboundSms.dedupe_key == dedupe_key)) is not None:
        return False  # answered already in this closed period (in this conversation or an earlier one)
    language = pick_language(callback.language, *settings.caller_languages)
    body = conversation_texts.closed_answer(period.opens_at, now, settings.timezone, language)
    sms = queue_sms(session, to=callback.caller, body=body, purpose=CLOSED_ANSWER_PURPOSE, dedupe_key=dedupe_key,
                    now=now, callback_id=callback.id)
    if sms is None:
        return False
    # Unique on the SMS: a racing text that queued the same answer fails here and is run again.
    session.add(ConversationMessage(callback_id=callback.id, at=now, sender=Sender.LINE.value, text=body,
                                    automatic=True, via="auto", outbound_sms_id=sms.id))
    session.flush()
    return True


def caller_stopped(session: Session, number: str, now: datetime, message_sid: str) -> str:
    """A caller said STOP: note it in their open conversation and tell its assignee."""
    callback = open_callback_of(session, number)
    if callback is None:
        return "opted out"
    event(session, callback.id, "caller_opted_out", now)
    assignee = session.get(Staff, callback.assignee_id) if callback.assignee_id else None
    if assignee is not None and assignee.active:
        language = pick_language(*(assignee.languages or ()))
        queue_sms(session, to=assignee.phone, body=conversation_texts.caller_stopped(callback.id, number, language),
                  purpose=STOP_NOTICE_PURPOSE, dedupe_key=f"caller-stop:{message_sid}", now=now,
                  callback_id=callback.id, staff_id=assignee.id)
    return f"opted out; noted in callback #{callback.id}"


def caller_started(session: Session, number: str, now: datetime) -> str:
    """START: SMS may reach the caller again; noted in their open conversation."""
    callback = open_callback_of(session, number)
    if callback is None:
        return "opted in (not staff: no reply)"
    event(session, callback.id, "caller_opted_in", now)
    return f"opted in; noted in callback #{callback.id}"
