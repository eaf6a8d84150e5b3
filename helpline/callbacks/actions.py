"""What staff do to a callback, by SMS command or through the API: acknowledge, close, pass.

Each change is one conditional UPDATE naming the state it starts from, so a command racing the
worker (an assignment, a handover) or another command changes the row once; the loser reads the
row again and decides again. Every change that happened leaves a CallbackEvent. Refusals are
named exceptions, so the SMS handler can answer in words and the API with a status code.

Who may do what (the SMS handler's rules; the API's close is open to any staff token):

- the assignee may acknowledge (OK), close (DONE), pass (PASS) and call back (CALL);
- a supervisor may acknowledge, close and call back anyone's callback, but PASS only their own
  (passing means "not me", which says nothing about someone else);
- anyone active may take a callback nobody holds yet: OK or CALL makes them the assignee, DONE
  closes it;
- anything else is refused with :class:`NotYours`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from helpline.callbacks.assignment import event, guarded_update, release_to_queue, schedule_now
from helpline.directory import referrals
from helpline.directory.store import referable
from helpline.feedback.callers import ask_after_close
from helpline.callbacks.listen_links import revoke_links
from helpline.chat_board import bump_after_commit
from helpline.models import CallbackOutcome, CallbackRequest, CallbackStatus, Channel, Staff, UTCDateTime

log = logging.getLogger(__name__)

CLOSED_EVENT = "closed"
ACKNOWLEDGED_EVENT = "acknowledged"
_RACE_ATTEMPTS = 3  # reads and conditional UPDATEs before a racing writer is presumed stuck


class ActionRefused(Exception):
    """A well-formed request about callback ``ref`` that cannot be done; the message says why."""

    def __init__(self, ref: int, message: str) -> None:
        super().__init__(message)
        self.ref = ref
        self.message = message


class CallbackNotFound(ActionRefused):
    def __init__(self, ref: int) -> None:
        super().__init__(ref, f"there is no callback with id {ref}")


class AlreadyClosed(ActionRefused):
    def __init__(self, callback: CallbackRequest) -> None:
        when = callback.closed_at.isoformat() if callback.closed_at else "an unknown time"
        super().__init__(callback.id, f"callback #{callback.id} is already closed (at {when}, "
                                      f"{callback.outcome or 'no outcome'})")
        self.closed_at = callback.closed_at
        self.outcome = callback.outcome


class NotYours(ActionRefused):
    def __init__(self, ref: int, assignee_id: int | None) -> None:
        super().__init__(ref, f"callback #{ref} is assigned to someone else")
        self.assignee_id = assignee_id


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff member (by SMS) with their role."""

    staff_id: int
    is_supervisor: bool = False

    @classmethod
    def of(cls, staff: Staff) -> "Actor":
        return cls(staff.id, staff.is_supervisor)


# --- reading ---------------------------------------------------------------------------------------

def current(session: Session, callback_id: int) -> CallbackRequest:
    """The callback as the database has it now (not a stale copy from earlier in the session)."""
    callback = session.scalar(select(CallbackRequest).where(CallbackRequest.id == callback_id)
                              .execution_options(populate_existing=True))
    if callback is None:
        raise CallbackNotFound(callback_id)
    return callback


def open_refs_of(session: Session, staff_id: int) -> list[int]:
    """The open callbacks ``staff_id`` holds, oldest first (what a command without a reference means)."""
    return list(session.scalars(
        select(CallbackRequest.id)
        .where(CallbackRequest.assignee_id == staff_id,
               CallbackRequest.status.in_((CallbackStatus.ASSIGNED.value, CallbackStatus.ACKNOWLEDGED.value)))
        .order_by(CallbackRequest.id)
    ))


def open_callback(session: Session, callback_id: int) -> CallbackRequest:
    """The callback as it is now; CallbackNotFound or AlreadyClosed unless it is open."""
    callback = current(session, callback_id)
    if not callback.is_open:
        raise AlreadyClosed(callback)
    return callback


def check_may_act(callback: CallbackRequest, actor: Actor) -> None:
    """Raise NotYours unless ``actor`` may acknowledge, close or call back ``callback``."""
    if callback.assignee_id not in (None, actor.staff_id) and not actor.is_supervisor:
        raise NotYours(callback.id, callback.assignee_id)


def _first_response(now: datetime):
    """acknowledged_at as it was, or ``now`` if it was never set (the bind typed, so it is stored in UTC)."""
    return func.coalesce(CallbackRequest.acknowledged_at, literal(now, UTCDateTime()))


# --- the transitions -------------------------------------------------------------------------------

def close_callback(session: Session, callback_id: int, outcome: str, note: str | None, topic: str | None,
                   by_staff_id: int | None, now: datetime, *, via: str = "api",
                   detail: Mapping[str, object] | None = None, service_id: int | None = None) -> CallbackRequest:
    """Close an open callback with ``outcome``: the one close transition (API, DONE, unreachable).

    A ``note`` or ``topic`` left None keeps what was there. A ``service_id`` (outcome referred
    only) names the service the caller was referred to, and the caller is texted its details.
    Raises CallbackNotFound, AlreadyClosed when it was closed already (then nothing changes, not
    even the note), or helpline.directory.store.ServiceRefused.
    """
    outcome = CallbackOutcome(outcome).value
    service = referable(session, outcome, service_id)
    changes: dict[str, Any] = {"outcome": outcome}
    if service is not None:
        changes["service_id"] = service.id
    if note is not None:
        changes["note"] = note
    if topic is not None:
        changes["topic"] = topic
    closed = guarded_update(session, callback_id, [CallbackRequest.status != CallbackStatus.CLOSED.value],
                      status=CallbackStatus.CLOSED.value, closed_at=now, next_action=None, next_action_at=None,
                      **changes)
    callback = current(session, callback_id)
    if not closed:
        raise AlreadyClosed(callback)
    record = {"outcome": outcome, "via": via, **(detail or {})}
    record.update({name: changes[name] for name in ("note", "topic", "service_id") if name in changes})
    event(session, callback_id, CLOSED_EVENT, now, staff_id=by_staff_id, **record)
    if callback.channel == Channel.CHAT.value:
        bump_after_commit(session, callback_id)  # the visitor's page forgets the chat
    if service is not None:
        referrals.text_service_details(session, callback, service, now)
    # In the same transaction: the caller's feedback question is planned exactly when it closes.
    feedback = ask_after_close(session, callback, now)
    log.info("callback #%s closed as %s via %s; feedback %s", callback_id, outcome, via, feedback)
    return callback


def acknowledge(session: Session, callback_id: int, actor: Actor, now: datetime, *, via: str = "sms") -> bool:
    """OK: "I am on it". The first acknowledgement is the first-response time and is kept.

    A callback nobody holds becomes the actor's. True when anything changed (a repeated OK
    changes nothing). Raises CallbackNotFound, AlreadyClosed or NotYours.
    """
    for _ in range(_RACE_ATTEMPTS):
        callback = open_callback(session, callback_id)
        check_may_act(callback, actor)
        if callback.assignee_id is None:
            if guarded_update(session, callback_id,
                        [CallbackRequest.status == CallbackStatus.NEW.value, CallbackRequest.assignee_id.is_(None)],
                        status=CallbackStatus.ACKNOWLEDGED.value, assignee_id=actor.staff_id, assigned_at=now,
                        acknowledged_at=_first_response(now), reminders_sent=0,
                        last_reminder_at=None):
                event(session, callback_id, ACKNOWLEDGED_EVENT, now, staff_id=actor.staff_id, via=via, taken=True)
                schedule_now(session, callback_id, now)  # the worker plans reminders for the new holder
                return True
            continue  # assigned meanwhile: decide again
        if callback.status == CallbackStatus.ACKNOWLEDGED.value:
            return False
        if guarded_update(session, callback_id,
                    [CallbackRequest.status == CallbackStatus.ASSIGNED.value,
                     CallbackRequest.assignee_id == callback.assignee_id],
                    status=CallbackStatus.ACKNOWLEDGED.value,
                    acknowledged_at=_first_response(now)):
            detail: dict[str, object] = {"via": via}
            if callback.assignee_id != actor.staff_id:
                detail["for_staff_id"] = callback.assignee_id  # a supervisor, on the assignee's behalf
            event(session, callback_id, ACKNOWLEDGED_EVENT, now, staff_id=actor.staff_id, **detail)
            return True
    raise RuntimeError(f"callback #{callback_id} kept changing while being acknowledged")


def pass_back(session: Session, callback_id: int, actor: Actor, now: datetime) -> None:
    """PASS: give the callback back, to be assigned to someone else (not the actor again during
    this stretch of duty). Only its holder may. The actor's listen links to its messages stop
    working: the next holder gets their own."""
    for _ in range(_RACE_ATTEMPTS):
        callback = open_callback(session, callback_id)
        if callback.assignee_id != actor.staff_id:
            raise NotYours(callback_id, callback.assignee_id)
        if release_to_queue(session, callback_id, actor.staff_id, now):
            revoke_links(session, now, callback_id=callback_id, staff_id=actor.staff_id)
            return
    raise RuntimeError(f"callback #{callback_id} kept changing while being passed")


def close_by_sms(session: Session, callback_id: int, actor: Actor, note: str | None, now: datetime, *,
                 service_id: int | None = None) -> CallbackRequest:
    """DONE [note]: close as resolved, if the actor may; DONE REF <service>: as referred there."""
    check_may_act(open_callback(session, callback_id), actor)
    outcome = CallbackOutcome.REFERRED if service_id is not None else CallbackOutcome.RESOLVED
    return close_callback(session, callback_id, outcome.value, note, None, actor.staff_id, now, via="sms",
                          service_id=service_id)
