"""The outbox: how the rest of Helpline sends an SMS, and the opt-out list it honours.

``queue_sms`` writes an OutboundSms row in the caller's transaction and asks for the send job
only after that transaction commits. The row, not Redis, is the promise: if Redis is down the
job is never queued, and ``due_outbound`` (called by the periodic sweep) finds the row again.
The ``dedupe_key`` makes queueing idempotent: a job that runs twice queues one SMS, not two.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from helpline.clock import wall_time
from helpline.dispatch import after_commit_send_sms
from helpline.services import current_services
from helpline.models import OutboundSms, OutboundStatus, SmsOptOut, Staff
from helpline.phones import caller_id

log = logging.getLogger(__name__)

# Twilio refuses longer bodies (error 21617); better a clear error at the caller's line.
MAX_BODY_CHARACTERS = 1600



def queue_sms(session: Session, *, to: str, body: str, purpose: str, dedupe_key: str, now: datetime,
              callback_id: int | None = None, staff_id: int | None = None,
              send_after: datetime | None = None) -> OutboundSms | None:
    """Queue one SMS from the line's number; it is sent after ``session`` commits.

    With ``send_after`` later than ``now`` the send job is scheduled for that moment (RQ's
    scheduler, at the real time the line's clock reaches it); the sweep (``due_outbound``) hands
    it to a worker too if Redis lost that job.

    Returns the row, or the row already queued under ``dedupe_key`` (which is never sent twice).
    Returns None, and queues nothing, when ``to`` is not a number one can text (withheld, empty,
    invalid). An empty or over-long body or a missing dedupe_key is a programming error: ValueError.
    """
    if not dedupe_key:
        raise ValueError("queue_sms needs a dedupe_key naming this message (e.g. 'assign-42-7')")
    if len(dedupe_key) > 200:
        raise ValueError(f"dedupe_key is longer than 200 characters: {dedupe_key[:40]!r}...")
    if not body or not body.strip():
        raise ValueError(f"SMS {dedupe_key!r} has an empty body")
    if len(body) > MAX_BODY_CHARACTERS:
        raise ValueError(f"SMS {dedupe_key!r} is {len(body)} characters; Twilio takes at most {MAX_BODY_CHARACTERS}")
    if now.tzinfo is None:
        raise ValueError("queue_sms needs an aware `now`")
    number = caller_id(to)
    if number is None:
        log.warning("not queueing SMS %r: %r is not a number we can text", dedupe_key, to)
        return None

    existing = _by_dedupe_key(session, dedupe_key)
    if existing is not None:
        return existing
    values = dict(to_number=number, body=body, purpose=purpose, dedupe_key=dedupe_key, created_at=now,
                  next_attempt_at=max(now, send_after) if send_after else now, callback_id=callback_id, staff_id=staff_id,
                  status=OutboundStatus.QUEUED.value, attempts=0)
    # INSERT ... ON CONFLICT DO NOTHING: when two processes queue the same key at once, one row
    # wins and the other process gets that row back, without an IntegrityError or a savepoint.
    new_id = session.execute(
        insert_ignoring_conflicts(session, OutboundSms).values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboundSms.id)
    ).scalar_one_or_none()
    if new_id is None:
        return _by_dedupe_key(session, dedupe_key)

    line = current_services()
    if send_after is not None and send_after > now:
        after_commit_send_sms(line.jobs, session, new_id, at=wall_time(line.clock, send_after))
    else:
        after_commit_send_sms(line.jobs, session, new_id)
    return session.get(OutboundSms, new_id)


def due_outbound(session: Session, now: datetime, *, limit: int = 1000) -> list[int]:
    """Ids of SMS the sweep should hand to ``send_sms`` again.

    - queued rows whose next_attempt_at has come (first tries whose job Redis lost, retries);
    - rows stuck in 'sending' whose claim has expired (the worker died mid-send); the job
      treats those as ambiguous and checks Twilio before sending.
    Enqueueing one that is already queued in Redis is harmless: the send is guarded in the DB.
    """
    rows = session.execute(
        select(OutboundSms.id)
        .where(
            or_(
                and_(OutboundSms.status == OutboundStatus.QUEUED.value,
                     or_(OutboundSms.next_attempt_at.is_(None), OutboundSms.next_attempt_at <= now)),
                and_(OutboundSms.status == OutboundStatus.SENDING.value, OutboundSms.next_attempt_at <= now),
            )
        )
        .order_by(OutboundSms.next_attempt_at, OutboundSms.id)
        .limit(limit)
    )
    return list(rows.scalars())


def sent_within(session: Session, number: str, now: datetime, window: timedelta = timedelta(hours=1),
                *, excluding: int | None = None) -> int:
    """How many SMS went (or are going out right now) to ``number`` in the ``window`` before ``now``."""
    return session.scalar(sent_within_query(number, now - window, excluding=excluding)) or 0


def sent_within_query(number, since, *, excluding=None) -> Select:
    """SELECT count(*) of sent_within: SMS to ``number`` sent at ``since`` or later, or going out
    now (read by ix_outbound_sms_recipient_sent). Values or bindparam()s."""
    query = select(func.count()).select_from(OutboundSms).where(
        OutboundSms.to_number == number,
        or_(OutboundSms.sent_at >= since, OutboundSms.status == OutboundStatus.SENDING.value),
    )
    if excluding is not None:
        query = query.where(OutboundSms.id != excluding)
    return query


# --- opt-outs -----------------------------------------------------------------------------------

def is_opted_out(session: Session, number: str) -> bool:
    return bool(session.scalar(select(opted_out_clause(number))))


def opted_out_clause(number) -> ColumnElement[bool]:
    """True when ``number`` (a value or a bindparam()) said STOP, as a caller or as a staff member."""
    return or_(
        exists().where(SmsOptOut.number == number),
        exists().where(Staff.phone == number, Staff.sms_opted_out_at.is_not(None)),
    )


def mark_opted_out(session: Session, number: str, now: datetime, *, source: str) -> bool:
    """Record that ``number`` said STOP. True when it is new (so the caller alerts once)."""
    inserted = session.execute(
        insert_ignoring_conflicts(session, SmsOptOut).values(number=number, opted_out_at=now, source=source)
        .on_conflict_do_nothing(index_elements=["number"])
        .returning(SmsOptOut.id)
    ).scalar_one_or_none()
    session.execute(
        update(Staff).where(Staff.phone == number, Staff.sms_opted_out_at.is_(None)).values(sms_opted_out_at=now)
    )
    return inserted is not None


def clear_opt_out(session: Session, number: str) -> bool:
    """The number said START: text it again. True when it had been opted out."""
    removed = session.execute(delete(SmsOptOut).where(SmsOptOut.number == number)).rowcount
    staff = session.execute(
        update(Staff).where(Staff.phone == number, Staff.sms_opted_out_at.is_not(None)).values(sms_opted_out_at=None)
    ).rowcount
    return bool(removed or staff)


def _by_dedupe_key(session: Session, dedupe_key: str) -> OutboundSms | None:
    return session.scalar(select(OutboundSms).where(OutboundSms.dedupe_key == dedupe_key))


def insert_ignoring_conflicts(session: Session, table):
    """The dialect's INSERT that supports .on_conflict_do_nothing() (SQLite and PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql_insert(table)
    if dialect == "sqlite":
        return sqlite_insert(table)
    raise RuntimeError(f"Helpline supports SQLite and PostgreSQL, not {dialect}")
