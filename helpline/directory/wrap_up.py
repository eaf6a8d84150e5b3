"""The wrap-up of an answered live call: one SMS question to whoever answered, and recording
the answer (by SMS, on the "My calls" page, or through the API).

- :func:`ask_after_call` runs in the webhook's transaction when a live call ends (the dial result
  that bridged it, or the call's final status, whichever comes first): one SMS to the staff
  member who answered, under one dedupe key per call, unless WRAP_UP_SMS is off, they are no
  longer active, said STOP, or the call is wrapped up already.
- :func:`record` is the one way a wrap-up is written: whoever answered, or a supervisor, within
  the window (helpline.directory.rules.wrap_up_refusal); a referral may name a service in use.
  Writing it again within the window corrects it.
- :func:`by_sms` reads ``WRAP <outcome> [<service>] [topic]``: it is about the sender's newest
  call of the last 24 hours not yet wrapped up. With "referred", the words that name a service
  (its code or a start of its name) are the service; the rest is the topic.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.directory.rules import (
    WRAP_UP_OUTCOMES,
    WRAP_UP_WINDOW,
    Resolved,
    WrapUpRefusal,
    resolve,
    wrap_up_deadline,
    wrap_up_refusal,
)
from helpline.directory.store import all_facts, referable
from helpline.models import Call, CallOutcome, CallWrapUp, Service, Staff
from helpline.sms import directory_texts
from helpline.sms.commands import Command
from helpline.sms.outbox import is_opted_out, queue_sms
from helpline.texts import pick_language

log = logging.getLogger(__name__)

PURPOSE = "wrap_up_question"
TOPIC_MAX = 80


class CallNotFound(Exception):
    def __init__(self, call_id: int) -> None:
        super().__init__(f"there is no call with id {call_id}")
        self.message = str(self)


class WrapUpRefused(Exception):
    def __init__(self, call: Call, reason: WrapUpRefusal, deadline: datetime | None) -> None:
        words = {WrapUpRefusal.NOT_ANSWERED: f"call {call.id} was not answered live: there is nothing to wrap up",
                 WrapUpRefusal.NOT_YOURS: f"call {call.id} was answered by someone else; only they or a "
                                          "supervisor may wrap it up",
                 WrapUpRefusal.TOO_LATE: f"call {call.id} can no longer be wrapped up: that is possible for "
                                         f"{int(WRAP_UP_WINDOW.total_seconds() // 3600)} hours after the call"}[reason]
        super().__init__(words)
        self.reason = reason
        self.deadline = deadline
        self.message = words


@dataclass(frozen=True)
class WrapUpActor:
    staff_id: int | None
    is_supervisor: bool = False


def dedupe_key(call_id: int) -> str:
    return f"wrap-up-{call_id}"


def deadline_of(call: Call) -> datetime | None:
    return wrap_up_deadline(call.answered_at, call.ended_at)


# --- asking ----------------------------------------------------------------------------------------

def ask_after_call(session: Session, settings: Settings, call: Call, now: datetime) -> str:
    """Plan the wrap-up question to whoever answered ``call``, which just ended. Returns what it did."""
    if not settings.wrap_up_sms:
        return "not asked: WRAP_UP_SMS is off"
    if call.outcome != CallOutcome.ANSWERED.value or call.answered_by_id is None or call.answered_at is None:
        return "not asked: not answered live"
    staff = session.get(Staff, call.answered_by_id)
    if staff is None or not staff.active:
        return "not asked: the staff member is gone"
    if is_opted_out(session, staff.phone):
        return "not asked: they said STOP"
    if session.scalar(select(CallWrapUp.id).where(CallWrapUp.call_id == call.id)) is not None:
        return "not asked: wrapped up already"
    language = pick_language(*(staff.languages or ()))
    body = directory_texts.wrap_up_question(call.answered_at, settings.timezone, language,
                                            conversation_seconds=call.conversation_seconds)
    queue_sms(session, to=staff.phone, body=body, purpose=PURPOSE, dedupe_key=dedupe_key(call.id), now=now,
              staff_id=staff.id)
    return "asked"


# --- recording -----------------------------------------------------------------------------------

def record(session: Session, call_id: int, *, outcome: str, service_id: int | None, topic: str | None,
           actor: WrapUpActor, via: str, now: datetime) -> CallWrapUp:
    """Write (or correct) the wrap-up of ``call_id``. Raises CallNotFound, WrapUpRefused or
    helpline.directory.store.ServiceRefused; nothing changes then."""
    if outcome not in WRAP_UP_OUTCOMES:
        raise ValueError(f"a wrap-up's outcome is one of {', '.join(WRAP_UP_OUTCOMES)}, not {outcome!r}")
    call = session.scalar(select(Call).where(Call.id == call_id).with_for_update())
    if call is None:
        raise CallNotFound(call_id)
    refusal = wrap_up_refusal(answered_by_id=call.answered_by_id,
                              answered_at=call.answered_at if call.outcome == CallOutcome.ANSWERED.value else None,
                              ended_at=call.ended_at, actor_staff_id=actor.staff_id,
                              actor_is_supervisor=actor.is_supervisor, now=now)
    if refusal is not None:
        raise WrapUpRefused(call, refusal, deadline_of(call))
    service = referable(session, outcome, service_id)
    topic = " ".join((topic or "").split())[:TOPIC_MAX] or None
    wrap_up = session.scalar(select(CallWrapUp).where(CallWrapUp.call_id == call_id))
    if wrap_up is None:
        wrap_up = CallWrapUp(call_id=call_id, outcome=outcome, via=via, at=now)
        session.add(wrap_up)
    wrap_up.outcome, wrap_up.service_id, wrap_up.topic = outcome, service.id if service else None, topic
    wrap_up.staff_id, wrap_up.via, wrap_up.at = actor.staff_id, via, now
    session.flush()
    log.info("call %s wrapped up as %s%s via %s", call_id, outcome, f" to {service.code}" if service else "", via)
    return wrap_up


def calls_to_wrap_up(session: Session, staff_id: int, now: datetime) -> list[Call]:
    """The calls ``staff_id`` answered that may still be wrapped up and are not, newest first."""
    # A call's window ends WRAP_UP_WINDOW after it ended, and no call lasts a day: answers from
    # two windows back find every call whose window is still open.
    rows = session.execute(
        select(Call, CallWrapUp.id)
        .outerjoin(CallWrapUp, CallWrapUp.call_id == Call.id)
        .where(Call.answered_by_id == staff_id, Call.outcome == CallOutcome.ANSWERED.value,
               Call.answered_at > now - 2 * WRAP_UP_WINDOW)
        .order_by(Call.answered_at.desc(), Call.id.desc())
    ).all()
    return [call for call, wrapped in rows if wrapped is None and (deadline_of(call) or now) > now]


def by_sms(session: Session, staff: Staff, command: Command, language: str, settings: Settings, now: datetime) -> str:
    """WRAP from ``staff``: record it for their newest call not yet wrapped up; the reply's words."""
    assert command.outcome is not None
    waiting = calls_to_wrap_up(session, staff.id, now)
    if not waiting:
        return directory_texts.nothing_to_wrap_up(language)
    call = waiting[0]
    service_id, topic = None, command.note
    if command.outcome == "referred" and command.note:
        found = resolve(command.note, all_facts(session))
        if isinstance(found, Resolved):
            service_id, topic = found.service.id, found.rest or None
    actor = WrapUpActor(staff.id, staff.is_supervisor)
    wrap = record(session, call.id, outcome=command.outcome, service_id=service_id, topic=topic, actor=actor,
                  via="sms", now=now)
    service = session.get(Service, wrap.service_id) if wrap.service_id else None
    assert call.answered_at is not None
    return directory_texts.wrapped_up(call.answered_at, settings.timezone, wrap.outcome, language,
                                      service=service.name_in(language) if service else None, topic=wrap.topic,
                                      still_open=len(waiting) - 1)
