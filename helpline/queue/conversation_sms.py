"""The worker's SMS of a conversation by text: the caller's words to the assignee.

- :func:`text_conversation_assignment`: a conversation's assignment (or handover) SMS carries
  the caller's texts so far, and marks them forwarded;
- :func:`forward_step`: later texts go to the assignee when
  helpline.callbacks.conversation_rules.forward_due_at says, bundled in one SMS, under a dedupe
  key naming the texts it carries, in the transaction that marks them forwarded. The callback's
  row lock (helpline.queue.jobs) makes two workers forward each text once.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from helpline.callbacks import conversation as store
from helpline.callbacks.assignment import ASSIGNED_STATUSES, event
from helpline.callbacks.conversation_rules import forward_due_at
from helpline.callbacks.rules import ActionKind, NextAction
from helpline.config import Settings
from helpline.models import CallbackRequest, Staff
from helpline.rota.rules import LineCalendar
from helpline.sms import conversation_texts
from helpline.sms.outbox import queue_sms
from helpline.sms.texts import pick_language

log = logging.getLogger(__name__)

FORWARD_PURPOSE = "forwarded_text"


def _language(staff: Staff) -> str:
    return pick_language(*(staff.languages or ()))


def text_conversation_assignment(session: Session, settings: Settings, callback: CallbackRequest, staff: Staff,
                                 now: datetime, *, previous: str | None, purpose: str, dedupe_key: str) -> None:
    """The assignee's SMS of a conversation: reference, number, when, the caller's words, commands."""
    texts = store.caller_texts(session, callback.id)
    body = conversation_texts.conversation_assignment(store.facts(callback, texts), settings.timezone,
                                                      _language(staff), previous=previous)
    queue_sms(session, to=staff.phone, body=body, purpose=purpose, now=now, callback_id=callback.id,
              staff_id=staff.id, dedupe_key=dedupe_key)
    store.mark_forwarded(session, [text for text in texts if text.forwarded_at is None], now)


def forward_step(session: Session, settings: Settings, callback: CallbackRequest, calendar: LineCalendar,
                 on_duty_ids: set[int], now: datetime) -> tuple[str | None, NextAction | None]:
    """Forward the caller's waiting texts to the assignee if that is due now.

    Returns what it did (None: nothing) and, while texts still wait, when they are due (for the
    callback's stored plan). Texts wait while nobody holds the conversation (its assignment
    carries them) or its holder is off duty (the handover's does)."""
    if callback.status not in ASSIGNED_STATUSES or callback.assignee_id is None:
        return None, None
    waiting = store.caller_texts(session, callback.id, unforwarded_only=True)
    if not waiting:
        return None, None
    due = forward_due_at(waiting[0].at, store.forward_times(session, callback.id, now), calendar)
    if due > now:
        return None, NextAction(ActionKind.FORWARD, due, f"{len(waiting)} text(s) from the caller to forward")
    if callback.assignee_id not in on_duty_ids:
        return "texts wait: the assignee is off duty", None
    staff = session.get(Staff, callback.assignee_id)
    body = conversation_texts.forwarded(store.facts(callback, waiting), settings.timezone, _language(staff))
    queue_sms(session, to=staff.phone, body=body, purpose=FORWARD_PURPOSE, now=now, callback_id=callback.id,
              staff_id=staff.id, dedupe_key=f"forward:{callback.id}:{waiting[0].id}-{waiting[-1].id}")
    ids = store.mark_forwarded(session, waiting, now)
    event(session, callback.id, store.FORWARDED_EVENT, now, staff_id=staff.id, message_ids=ids)
    return f"forwarded {len(ids)} text(s) to staff {staff.id}", None
