"""The SMS of the callback queue: what the worker texts whom, each under a fixed dedupe key.

Each function composes a text with :mod:`helpline.sms.texts` and queues it with
:func:`helpline.sms.outbox.queue_sms` in the worker's transaction, so the text is written together
with the state change it announces (or not at all). The dedupe keys name the message from the
callback's facts (who, which assignment, which reminder), so a job that runs twice queues
nothing twice.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline import texts
from helpline.sms import texts as sms_text
from helpline.callbacks.assignment import event, mark_caller_notified
from helpline.callbacks.promise import callback_promise
from helpline.callbacks.rules import caller_can_get_sms
from helpline.config import Settings
from helpline.callbacks.listen_links import listen_url
from helpline.models import CallbackEvent, CallbackRequest, Channel, Staff, VoiceMessage
from helpline.queue.conversation_sms import text_conversation_assignment
from helpline.sms.outbox import is_opted_out, queue_sms
from helpline.rota.rules import LineCalendar

log = logging.getLogger(__name__)

# Longest bundle of reminders in one SMS (and what keeps its dedupe key under 200 characters).
MAX_BUNDLE = 6
NOT_TEXTED_EVENT = "caller_not_texted"


def _stamp(moment: datetime) -> int:
    """An assignment's instant as whole microseconds: short, exact, the same on every run."""
    return round(moment.timestamp() * 1_000_000)


def staff_language(staff: Staff) -> str:
    return texts.pick_language(*(staff.languages or ()))


def latest_message(callback: CallbackRequest) -> VoiceMessage | None:
    usable = [message for message in callback.messages if message.is_usable]
    return usable[-1] if usable else None


def listen_link(session: Session, callback: CallbackRequest, staff: Staff, now: datetime,
                settings: Settings) -> str | None:
    """The staff member's link to the caller's latest message: the line's own expiring
    ``/r/<token>`` (never Twilio's recording URL). None when there is no usable message."""
    message = latest_message(callback)
    return listen_url(session, message, staff, now, settings) if message is not None else None


def facts(callback: CallbackRequest, listen_url: str | None = None) -> sms_text.CallbackFacts:
    return sms_text.CallbackFacts(ref=callback.id, caller=callback.caller, called_at=callback.last_call_at,
                                  has_message=callback.has_message, listen_url=listen_url,
                                  call_count=callback.call_count)


# --- the caller ------------------------------------------------------------------------------------

def text_caller_once(session: Session, settings: Settings, callback: CallbackRequest, calendar: LineCalendar,
                     now: datetime) -> str:
    """The caller's one confirmation: when to expect the call back. Never to a withheld or
    non-mobile number, never to one that said STOP; once, whoever else runs this at the same time."""
    if callback.caller_notified_at is not None:
        return "caller already texted"
    if callback.call_count == 0:
        return "no call-back promise: the caller only wrote, and is answered by text"
    reason = None
    if not caller_can_get_sms(callback.caller):
        reason = "not a mobile number"
    elif is_opted_out(session, callback.caller):
        reason = "the caller has opted out of SMS"
    if reason is not None:
        said = session.scalar(select(CallbackEvent.id).where(CallbackEvent.callback_id == callback.id,
                                                             CallbackEvent.kind == NOT_TEXTED_EVENT))
        if said is None:
            event(session, callback.id, NOT_TEXTED_EVENT, now, reason=reason)
        return f"caller not texted: {reason}"
    if not mark_caller_notified(session, callback.id, now):
        return "caller already texted"
    promise = callback_promise(now, calendar)
    body = sms_text.caller_confirmation(promise, callback.language or texts.DEFAULT_LANGUAGE,
                                        line_number=settings.twilio_phone_number or None)
    sms = queue_sms(session, to=callback.caller, body=body, purpose="caller_confirmation",
                    dedupe_key=f"confirm:{callback.id}", now=now, callback_id=callback.id)
    event(session, callback.id, "caller_texted", now, promise=promise.kind.value,
          outbound_id=sms.id if sms is not None else None)
    return "caller texted"


# --- staff --------------------------------------------------------------------------------------------

def text_assignment(session: Session, settings: Settings, callback: CallbackRequest, staff: Staff,
                    now: datetime, *, previous: str | None = None, purpose: str = "assignment") -> None:
    """The assignee's SMS: number (readable and E.164), time, #ref, message link, commands; for
    a conversation by text, the caller's words instead of the message link."""
    dedupe_key = f"assign:{callback.id}:{staff.id}:{_stamp(callback.assigned_at)}"
    if callback.channel != Channel.VOICE.value:
        text_conversation_assignment(session, settings, callback, staff, now, previous=previous, purpose=purpose,
                                     dedupe_key=dedupe_key)
        return
    body = sms_text.assignment(facts(callback, listen_link(session, callback, staff, now, settings)),
                               settings.timezone, staff_language(staff), previous=previous)
    queue_sms(session, to=staff.phone, body=body, purpose=purpose, now=now, callback_id=callback.id,
              staff_id=staff.id, dedupe_key=dedupe_key)


def text_handed_over(session: Session, callback: CallbackRequest, previous: Staff, new: Staff,
                     now: datetime) -> None:
    """To the assignee whose duty ended: who has the callback now."""
    body = sms_text.handed_over(facts(callback), new.name, staff_language(previous))
    queue_sms(session, to=previous.phone, body=body, purpose="handed_over", now=now, callback_id=callback.id,
              staff_id=previous.id,
              dedupe_key=f"handover:{callback.id}:{previous.id}:{_stamp(callback.assigned_at)}")


@dataclass(frozen=True)
class Reminded:
    callback: CallbackRequest
    number: int  # this is the callback's n-th reminder in the current assignment


def text_reminder(session: Session, staff: Staff, reminded: Sequence[Reminded], now: datetime) -> None:
    """One reminder naming every callback in ``reminded`` (the first is the one that fell due)."""
    if not 1 <= len(reminded) <= MAX_BUNDLE:
        raise ValueError(f"a reminder names 1 to {MAX_BUNDLE} callbacks, not {len(reminded)}")
    parts = ",".join(f"{item.callback.id}.{_stamp(item.callback.assigned_at)}.{item.number}" for item in reminded)
    body = sms_text.reminder([facts(item.callback) for item in reminded], staff_language(staff))
    queue_sms(session, to=staff.phone, body=body, purpose="reminder", now=now, callback_id=reminded[0].callback.id,
              staff_id=staff.id, dedupe_key=f"remind:{staff.id}:{parts}")


def text_escalation(session: Session, settings: Settings, callback: CallbackRequest, supervisor: Staff,
                    assignee: Staff | None, now: datetime) -> None:
    body = sms_text.escalation(facts(callback), settings.timezone, staff_language(supervisor),
                               assignee=assignee.name if assignee else None,
                               reminders_sent=callback.reminders_sent,
                               acknowledged=callback.acknowledged_at is not None and callback.status == "acknowledged")
    queue_sms(session, to=supervisor.phone, body=body, purpose="escalation", now=now, callback_id=callback.id,
              staff_id=supervisor.id, dedupe_key=f"escalate:{callback.id}:{supervisor.id}")
