"""Who is busy on a help-line call, and claiming a free person so that no two callers get them.

A staff member is busy while a ``staff_busy`` row holds them (rung for a caller, talking with
one, rung to take a waiting caller, or resting a moment after letting such an offer go), and
while a call back of theirs (CALL <ref>) is under way. Claiming is one
``INSERT ... ON CONFLICT DO NOTHING`` on the staff member's key, on SQLite and PostgreSQL alike:
the insert that comes second (PostgreSQL waits for the first transaction to finish) inserts
nothing, and its hunt moves on to the next person. Freeing deletes the row by its reference.

When someone is freed and a caller waits in the queue, the job that rings a free person for them
is asked for after commit (:func:`helpline.dispatch.after_commit_connect_waiting`).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from helpline.dispatch import JobDispatcher, after_commit_connect_waiting
from helpline.models import BusyKind, BusyState, Call, CallbackCall, StaffBusy
from helpline.models.callback_calls import ACTIVE_STATUSES

log = logging.getLogger(__name__)

# A call back (CALL <ref>) that has not ended after this long no longer counts (as in call_back).
CALL_BACK_ACTIVE_FOR = timedelta(minutes=15)
# A staff member who let a waiting caller's offer go (no answer, a voicemail box, no 1) is not
# rung again for this long, so that a phone nobody answers is not rung in a loop.
REST_AFTER_OFFER = timedelta(minutes=2)
RESTING = "resting"


def hunt_reference(call_id: int, attempt_number: int) -> str:
    return f"call-{call_id}-{attempt_number}"


def busy_staff_ids(session: Session, now: datetime) -> set[int]:
    """Everyone who may not be rung now."""
    held = session.scalars(select(StaffBusy.staff_id).where(
        or_(StaffBusy.state != RESTING, StaffBusy.since > now - REST_AFTER_OFFER)))
    calling_back = session.scalars(select(CallbackCall.staff_id).where(
        CallbackCall.status.in_(ACTIVE_STATUSES), CallbackCall.requested_at > now - CALL_BACK_ACTIVE_FOR,
        CallbackCall.staff_id.is_not(None)))
    return set(held) | set(calling_back)


def claim(session: Session, staff_id: int, *, kind: BusyKind, reference: str, now: datetime,
          twilio_call_sid: str | None = None) -> bool:
    """Make ``staff_id`` busy under ``reference``; False when someone else holds them already."""
    session.execute(delete(StaffBusy).where(StaffBusy.staff_id == staff_id, StaffBusy.state == RESTING,
                                            StaffBusy.since <= now - REST_AFTER_OFFER)
                    .execution_options(synchronize_session=False))
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    claimed = session.execute(insert(StaffBusy).values(
        staff_id=staff_id, kind=kind.value, state=BusyState.RINGING.value, reference=reference,
        twilio_call_sid=twilio_call_sid, since=now).on_conflict_do_nothing().returning(StaffBusy.staff_id))
    # (psycopg's rowcount of an INSERT is not to be trusted here: ask for the row instead.)
    return claimed.scalar_one_or_none() is not None


def mark_talking(session: Session, reference: str) -> None:
    session.execute(update(StaffBusy).where(StaffBusy.reference == reference)
                    .values(state=BusyState.TALKING.value).execution_options(synchronize_session=False))


def set_call_sid(session: Session, reference: str, call_sid: str) -> None:
    session.execute(update(StaffBusy).where(StaffBusy.reference == reference)
                    .values(twilio_call_sid=call_sid).execution_options(synchronize_session=False))


def holder(session: Session, reference: str) -> StaffBusy | None:
    return session.scalar(select(StaffBusy).where(StaffBusy.reference == reference)
                          .execution_options(populate_existing=True))


def release(session: Session, jobs: JobDispatcher, *references: str, rest: bool = False,
            now: datetime | None = None) -> int:
    """Free whoever these references hold (``rest``: keep them resting from ``now`` a short
    while); when anyone was freed and a caller waits, ask for the job that connects them."""
    if not references:
        return 0
    if rest:
        freed = session.execute(update(StaffBusy).where(StaffBusy.reference.in_(references),
                                                        StaffBusy.state != RESTING)
                                .values(state=RESTING, since=now).execution_options(synchronize_session=False))
    else:
        freed = session.execute(delete(StaffBusy).where(StaffBusy.reference.in_(references))
                                .execution_options(synchronize_session=False))
    if freed.rowcount:
        connect_if_waiting(session, jobs)
    return freed.rowcount


def release_call(session: Session, jobs: JobDispatcher, call_id: int) -> int:
    """The caller's leg ended: free everyone held for this call's hunt."""
    references = session.scalars(select(StaffBusy.reference).where(
        StaffBusy.kind == BusyKind.HUNT.value, StaffBusy.reference.like(f"call-{call_id}-%"))).all()
    return release(session, jobs, *references)


# A caller queued longer ago than this is not waiting any more, whatever our rows say.
# A queued call with no word from Twilio this long past the longest wait is no longer waiting (its
# status callback was lost): it must not hold back new callers or be offered to staff.
LOST_AFTER = timedelta(minutes=2)


def waiting_cutoff(now: datetime, queue_max_wait_seconds: int) -> datetime:
    """Callers queued before this are no longer waiting, whatever their row says."""
    return now - timedelta(seconds=queue_max_wait_seconds) - LOST_AFTER


def _waiting(now: datetime | None, queue_max_wait_seconds: int = 0):
    """Count the callers waiting (``now`` None: whenever they were queued; the job looks closer)."""
    query = select(func.count()).select_from(Call).where(
        Call.queued_at.is_not(None), Call.queue_left_at.is_(None), Call.ended_at.is_(None))
    return query if now is None else query.where(Call.queued_at > waiting_cutoff(now, queue_max_wait_seconds))


def others_waiting(session: Session, call_id: int, now: datetime, queue_max_wait_seconds: int) -> bool:
    """Whether callers other than ``call_id`` wait in the queue now (the same window as the job's)."""
    return bool(session.scalar(_waiting(now, queue_max_wait_seconds).where(Call.id != call_id)))


def connect_if_waiting(session: Session, jobs: JobDispatcher) -> None:
    """Someone was freed: when a caller waits, ask for the job that rings a free person for them."""
    if session.scalar(_waiting(None)):
        after_commit_connect_waiting(jobs, session)


# --- busy state Twilio never closed ---------------------------------------------------------------

STALE_AFTER = timedelta(minutes=5)  # a busy row unchanged this long is checked at Twilio
TWILIO_TERMINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})


def stale_holders(session: Session, now: datetime) -> list[tuple[str, str | None]]:
    """(reference, Twilio call sid) of the busy rows nothing has touched for STALE_AFTER."""
    rows = session.execute(select(StaffBusy.reference, StaffBusy.twilio_call_sid).where(
        StaffBusy.state != RESTING,
        func.coalesce(StaffBusy.checked_at, StaffBusy.since) <= now - STALE_AFTER)).all()
    return [(reference, sid) for reference, sid in rows]


def settle_stale(session: Session, jobs: JobDispatcher, reference: str, twilio_status: str | None,
                 now: datetime) -> bool:
    """Twilio said ``twilio_status`` (None: it does not know the call, or we never had its sid)
    of a stale busy row's call: free the person when that call is over, else look again later."""
    if twilio_status is None or twilio_status in TWILIO_TERMINAL:
        log.warning("busy state %s was never closed (Twilio: %s); freeing", reference, twilio_status)
        return release(session, jobs, reference) == 1
    session.execute(update(StaffBusy).where(StaffBusy.reference == reference).values(checked_at=now)
                    .execution_options(synchronize_session=False))
    return False


def drop_rested(session: Session, now: datetime) -> int:
    return session.execute(delete(StaffBusy).where(StaffBusy.state == RESTING,
                                                   StaffBusy.since <= now - REST_AFTER_OFFER)
                           .execution_options(synchronize_session=False)).rowcount
