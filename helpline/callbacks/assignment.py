"""The callback queue's state changes in the database: who holds a callback, and what is due next.

Every change is a conditional UPDATE that names the state it starts from (``WHERE status = ...
AND assignee_id = ...``), so it happens once however many workers, retries or SMS commands race
for it: the loser's UPDATE matches no row and it does nothing. The worker also takes the row
lock first (:func:`lock_callback`), so one callback's job runs one at a time.

The decisions themselves (who, when) are :mod:`helpline.callbacks.rules`'; the texts are
:mod:`helpline.queue.callback_sms`'. This module only reads and writes rows.

For the other parts of Helpline:

- :func:`release_to_queue` is what PASS does: the callback goes back to be assigned to someone
  else (it records the ``passed`` event the rules read; do not add another);
- :func:`schedule_now` asks the worker to look at a callback at once (after anything that may
  change its next step).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session

from helpline.dispatch import after_commit_process_callback
from helpline.services import current_services
from helpline.callbacks.rules import CallbackState, NextAction
from helpline.models import OPEN_STATUSES, CallbackEvent, CallbackRequest, CallbackStatus

ASSIGNED_STATUSES = (CallbackStatus.ASSIGNED.value, CallbackStatus.ACKNOWLEDGED.value)
PASSED_EVENT = "passed"
# pg_advisory_xact_lock key of "choosing an assignee" (any fixed 64-bit number of our own).
ASSIGNMENT_LOCK_KEY = 0x48454C50_4C494E45  # "HELPLINE"


def enqueue_process_after_commit(session: Session, callback_id: int) -> None:
    after_commit_process_callback(current_services().jobs, session, callback_id)


# --- reading ------------------------------------------------------------------------------------

def lock_callback(session: Session, callback_id: int) -> CallbackRequest | None:
    """The callback, locked until ``session`` commits: call this first in the transaction.

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the row. SQLite has no row locks; a write as the
    transaction's first statement takes its database write lock instead (waiting for it, up to
    the busy timeout), and everything read after it is current.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(CallbackRequest).where(CallbackRequest.id == callback_id)
                        .values(id=CallbackRequest.id).execution_options(synchronize_session=False))
    return session.scalar(select(CallbackRequest).where(CallbackRequest.id == callback_id)
                          .with_for_update().execution_options(populate_existing=True))


def custom_plans(session: Session) -> None:
    """PostgreSQL: plan this transaction's queries for the values they run with.

    psycopg prepares a statement after a few runs, and PostgreSQL may then switch to a generic
    plan, which cannot know that open callbacks or queued SMS are a sliver of their tables.
    Measured with 100,000 closed callbacks (scripts/bench_sweep.py), those plans scanned the
    whole history (the primary key of callback_request, a parallel seq scan of outbound_sms),
    so the sweep grew with it. Custom plans use the indexes on the open rows."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def passes_of(session: Session, callback_id: int) -> tuple[tuple[int, datetime], ...]:
    rows = session.execute(
        select(CallbackEvent.staff_id, CallbackEvent.at)
        .where(CallbackEvent.callback_id == callback_id, CallbackEvent.kind == PASSED_EVENT,
               CallbackEvent.staff_id.is_not(None))
        .order_by(CallbackEvent.id)
    ).all()
    return tuple((staff_id, at) for staff_id, at in rows)


def callback_state(callback: CallbackRequest, passes: tuple[tuple[int, datetime], ...] = ()) -> CallbackState:
    """What the rules need to know of ``callback`` (reload it first if it may have changed)."""
    return CallbackState(
        status=callback.status,
        created_at=callback.created_at,
        assignee_id=callback.assignee_id,
        assigned_at=callback.assigned_at,
        acknowledged_at=callback.acknowledged_at,
        reminders_sent=callback.reminders_sent,
        last_reminder_at=callback.last_reminder_at,
        escalated=callback.escalated_at is not None,
        passes=passes,
    )


def lock_assignments(session: Session) -> None:
    """Take turns at choosing assignees, until commit: two workers assigning at once would both
    count the same open callbacks and pick the same "least busy" person. PostgreSQL: a
    transaction-level advisory lock (assignments are few, so the wait is short); SQLite: the
    transaction already holds the database's write lock (:func:`lock_callback`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ASSIGNMENT_LOCK_KEY)))


def open_counts(session: Session) -> dict[int, int]:
    """Open callbacks held by each staff member (for "fewest open first"; see lock_assignments)."""
    rows = session.execute(
        select(CallbackRequest.assignee_id, func.count())
        .where(CallbackRequest.status.in_(ASSIGNED_STATUSES), CallbackRequest.assignee_id.is_not(None))
        .group_by(CallbackRequest.assignee_id)
    ).all()
    return {staff_id: count for staff_id, count in rows}


def due_callback_ids(session: Session, now: datetime, *, limit: int = 5000) -> list[int]:
    """Open callbacks whose next action is due, oldest due first; and open ones that were never
    planned (no next_action_at: written while the worker could not be told).

    Only open statuses are read, through ix_callback_request_due (status, next_action_at), so
    the cost follows the open callbacks, never the closed history.
    """
    due = session.scalars(
        select(CallbackRequest.id)
        .where(CallbackRequest.status.in_(OPEN_STATUSES), CallbackRequest.next_action_at <= now)
        .order_by(CallbackRequest.next_action_at, CallbackRequest.id).limit(limit)
    ).all()
    unplanned = session.scalars(
        select(CallbackRequest.id)
        .where(CallbackRequest.status.in_(OPEN_STATUSES), CallbackRequest.next_action_at.is_(None))
        .order_by(CallbackRequest.id).limit(limit)
    ).all()
    return list(unplanned) + list(due)


# --- guarded transitions ---------------------------------------------------------------------------

def guarded_update(session: Session, callback_id: int, conditions: list, **values: Any) -> bool:
    """UPDATE the callback only while ``conditions`` hold; True when it did (the race's winner)."""
    result = session.execute(
        update(CallbackRequest).where(CallbackRequest.id == callback_id, *conditions).values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def event(session: Session, callback_id: int, kind: str, now: datetime, staff_id: int | None = None,
          **detail: object) -> None:
    session.add(CallbackEvent(callback_id=callback_id, at=now, kind=kind, staff_id=staff_id, detail=detail))


def assign(session: Session, callback_id: int, staff_id: int, now: datetime) -> bool:
    """Unassigned (new, or its assignee's row was deleted) -> assigned to ``staff_id``; False
    when it is closed or someone holds it."""
    return guarded_update(session, callback_id,
                    [CallbackRequest.status.in_(OPEN_STATUSES), CallbackRequest.assignee_id.is_(None)],
                    status=CallbackStatus.ASSIGNED.value, assignee_id=staff_id, assigned_at=now,
                    reminders_sent=0, last_reminder_at=None)


def hand_over(session: Session, callback_id: int, from_staff_id: int, to_staff_id: int, now: datetime) -> bool:
    """From an assignee whose duty ended to ``to_staff_id``, who has not acknowledged it yet
    (acknowledged_at, the first response, stays); False when ``from_staff_id`` no longer holds it."""
    return guarded_update(session, callback_id,
                    [CallbackRequest.status.in_(ASSIGNED_STATUSES), CallbackRequest.assignee_id == from_staff_id],
                    status=CallbackStatus.ASSIGNED.value, assignee_id=to_staff_id, assigned_at=now,
                    reminders_sent=0, last_reminder_at=None)


def count_reminder(session: Session, callback_id: int, staff_id: int, reminders_sent: int, now: datetime) -> bool:
    """One more reminder to ``staff_id``, counted from ``reminders_sent``; False if anything moved."""
    return guarded_update(session, callback_id,
                    [CallbackRequest.status.in_(ASSIGNED_STATUSES), CallbackRequest.assignee_id == staff_id,
                     CallbackRequest.reminders_sent == reminders_sent],
                    reminders_sent=reminders_sent + 1, last_reminder_at=now)


def mark_escalated(session: Session, callback_id: int, now: datetime) -> bool:
    return guarded_update(session, callback_id,
                    [CallbackRequest.status.in_(OPEN_STATUSES), CallbackRequest.escalated_at.is_(None)],
                    escalated_at=now)


def mark_caller_notified(session: Session, callback_id: int, now: datetime) -> bool:
    """True exactly once per callback: whoever gets True sends the caller's one SMS."""
    return guarded_update(session, callback_id, [CallbackRequest.caller_notified_at.is_(None)], caller_notified_at=now)


def store_plan(session: Session, callback_id: int, plan: NextAction) -> None:
    """Remember what is due next and when (the sweep's question). A closed callback keeps none."""
    session.execute(
        update(CallbackRequest).where(CallbackRequest.id == callback_id)
        .values(next_action=None if plan.due_at is None else plan.kind.value, next_action_at=plan.due_at)
        .execution_options(synchronize_session=False)
    )


# --- for the SMS commands and the API ----------------------------------------------------------------

def release_to_queue(session: Session, callback_id: int, passed_by_staff_id: int, now: datetime) -> bool:
    """PASS: ``passed_by_staff_id`` gives the callback back, to be assigned to someone else.

    Guarded: True only when that person held it open. Records the ``passed`` event (the rules
    keep it from them for the rest of their duty) and asks the worker to reassign it after
    commit. Reminders start again for the next assignee; an escalation already sent stays sent.
    """
    released = guarded_update(
        session, callback_id,
        [CallbackRequest.status.in_(ASSIGNED_STATUSES), CallbackRequest.assignee_id == passed_by_staff_id],
        status=CallbackStatus.NEW.value, assignee_id=None, assigned_at=None, reminders_sent=0,
        last_reminder_at=None, next_action="assign", next_action_at=now,
    )
    if released:
        event(session, callback_id, PASSED_EVENT, now, staff_id=passed_by_staff_id)
        enqueue_process_after_commit(session, callback_id)
    return released


def schedule_now(session: Session, callback_id: int, now: datetime) -> bool:
    """Ask the worker to look at an open callback now (its job is queued after commit, and the
    sweep finds it too if Redis is down). False when the callback is closed or unknown."""
    is_open = session.scalar(select(CallbackRequest.id).where(
        CallbackRequest.id == callback_id, CallbackRequest.status.in_(OPEN_STATUSES))) is not None
    if not is_open:
        return False
    guarded_update(session, callback_id,
             [or_(CallbackRequest.next_action_at.is_(None), CallbackRequest.next_action_at > now)],
             next_action_at=now)
    enqueue_process_after_commit(session, callback_id)
    return True
