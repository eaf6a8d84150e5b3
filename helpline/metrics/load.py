"""The queries that turn the tables into plain rows for a period, and the figures of a period.

Each query selects only the columns its rows need and filters on an indexed instant
(``call.started_at``, ``callback_request.created_at`` and ``closed_at``, ``callback_event.at``,
``callback_call.requested_at``, ``outbound_sms.created_at``), so its cost follows the period,
not the whole history. Rows come back as tuples, never ORM objects. No query hands a caller's
number beyond this module: calls carry the keyed hash (helpline.metrics.identity).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.metrics.compute import Metrics, Period, compute
from helpline.metrics.identity import CallerKeys
from helpline.metrics.response import ResponseTarget
from helpline.metrics.rows import AttemptRow, CallbackRow, CallRow, EventRow, MetricRows, SmsRow, StaffRow
from helpline.models import (
    Call, CallbackCall, CallbackEvent, CallbackRequest, Closure, OutboundSms, Staff, VoiceMessage,
)
from helpline.rota import ClosurePeriod, LineCalendar
from helpline.schedule import load_weekly_schedule

# The history kinds the figures use; "acknowledged" with detail.taken becomes "taken".
EVENT_KINDS = ("assigned", "handed_over", "acknowledged", "reminded", "escalated", "passed", "closed")
HOLDER_KINDS = ("assigned", "handed_over", "acknowledged", "passed")
UNUSABLE_RECORDINGS = ("absent", "failed")
# Response deadlines after the period can lie this far ahead (a long closure, a holiday week).
CLOSURE_LOOKAHEAD = timedelta(days=60)


def load_calendar_for(session: Session, settings: Settings, period: Period) -> LineCalendar:
    """The calendar over the period: today's weekly hours (their history is not kept), the
    holidays, and every closure that touches the period or the weeks after it."""
    closures = session.execute(
        select(Closure.starts_at, Closure.ends_at, Closure.reason)
        .where(Closure.ends_at > period.start, Closure.starts_at < period.end + CLOSURE_LOOKAHEAD)
        .order_by(Closure.starts_at)
    ).all()
    return LineCalendar(timezone=settings.timezone, weekly=load_weekly_schedule(session),
                        holiday_calendar=settings.holiday_calendar,
                        closures=tuple(ClosurePeriod(*row) for row in closures))


def load_calls(session: Session, period: Period, keys: CallerKeys) -> list[CallRow]:
    rows = session.execute(
        select(Call.id, Call.started_at, Call.outcome, Call.caller_withheld, Call.line_open, Call.caller,
               Call.caller_hash, Call.conversation_seconds, Call.answered_by_id, Call.callback_id)
        .where(Call.started_at >= period.start, Call.started_at < period.end)
    )
    return [
        CallRow(id=id_, started_at=started, outcome=outcome, withheld=withheld, line_open=line_open,
                caller_key=hashed or (keys(caller) if caller else None), conversation_seconds=seconds,
                answered_by=answered_by, callback_id=callback_id)
        for id_, started, outcome, withheld, line_open, caller, hashed, seconds, answered_by, callback_id in rows
    ]


def load_callbacks(session: Session, period: Period) -> list[CallbackRow]:
    """Requests taken in the period and requests closed in it (two indexed ranges, merged)."""
    has_message = exists().where(VoiceMessage.callback_id == CallbackRequest.id,
                                 VoiceMessage.recording_status.not_in(UNUSABLE_RECORDINGS))
    first_attempt = (select(func.min(CallbackCall.requested_at))
                     .where(CallbackCall.callback_id == CallbackRequest.id).scalar_subquery())
    columns = (CallbackRequest.id, CallbackRequest.created_at, CallbackRequest.status, has_message,
               CallbackRequest.acknowledged_at, first_attempt, CallbackRequest.closed_at, CallbackRequest.outcome,
               CallbackRequest.topic, CallbackRequest.assignee_id, CallbackRequest.reminders_sent,
               CallbackRequest.escalated_at)
    found: dict[int, CallbackRow] = {}
    for condition in (
        and_(CallbackRequest.created_at >= period.start, CallbackRequest.created_at < period.end),
        and_(CallbackRequest.closed_at >= period.start, CallbackRequest.closed_at < period.end),
    ):
        for row in session.execute(select(*columns).where(condition)):
            found[row[0]] = CallbackRow(*row[:3], has_message=bool(row[3]), acknowledged_at=row[4],
                                        first_attempt_at=row[5], closed_at=row[6], outcome=row[7], topic=row[8],
                                        assignee_id=row[9], reminders_sent=row[10], escalated_at=row[11])
    return list(found.values())


def load_attempts(session: Session, period: Period) -> list[AttemptRow]:
    rows = session.execute(
        select(CallbackCall.id, CallbackCall.callback_id, CallbackCall.requested_at, CallbackCall.result,
               CallbackCall.staff_id, CallbackCall.conversation_seconds)
        .where(CallbackCall.requested_at >= period.start, CallbackCall.requested_at < period.end)
    )
    return [AttemptRow(*row) for row in rows]


def _event_rows(rows: Iterable) -> list[EventRow]:
    return [EventRow(callback_id, at, "taken" if kind == "acknowledged" and taken else kind, staff_id, id_)
            for id_, callback_id, at, kind, staff_id, taken in rows]


def _event_columns():
    return (CallbackEvent.id, CallbackEvent.callback_id, CallbackEvent.at, CallbackEvent.kind,
            CallbackEvent.staff_id, CallbackEvent.detail["taken"].as_boolean())


def load_events(session: Session, period: Period) -> tuple[list[EventRow], list[EventRow]]:
    """The period's history events, and the holder events from before it of the callbacks
    escalated in it (whose escalations belong to whoever held them then)."""
    in_period = and_(CallbackEvent.at >= period.start, CallbackEvent.at < period.end)
    events = _event_rows(session.execute(
        select(*_event_columns()).where(in_period, CallbackEvent.kind.in_(EVENT_KINDS))))
    escalated = select(CallbackEvent.callback_id).where(in_period, CallbackEvent.kind == "escalated")
    history = _event_rows(session.execute(
        select(*_event_columns()).where(CallbackEvent.callback_id.in_(escalated), CallbackEvent.at < period.start,
                                        CallbackEvent.kind.in_(HOLDER_KINDS))))
    return events, history


def load_sms(session: Session, period: Period) -> list[SmsRow]:
    rows = session.execute(
        select(OutboundSms.id, OutboundSms.created_at, OutboundSms.purpose, OutboundSms.status, OutboundSms.sent_at)
        .where(OutboundSms.created_at >= period.start, OutboundSms.created_at < period.end)
    )
    return [SmsRow(*row) for row in rows]


def load_staff(session: Session) -> list[StaffRow]:
    return [StaffRow(*row) for row in session.execute(select(Staff.id, Staff.name, Staff.active))]


def load_rows(session: Session, settings: Settings, period: Period) -> tuple[MetricRows, list[EventRow]]:
    """Every row the period's figures need, and the escalations' earlier holder events.

    Feedback and pulse rows come from their own tables once those exist (the feedback step adds
    its query here); until then they are empty and the figures say nobody was asked.
    """
    events, history = load_events(session, period)
    rows = MetricRows(
        calls=tuple(load_calls(session, period, CallerKeys(settings.secret_key))),
        callbacks=tuple(load_callbacks(session, period)),
        attempts=tuple(load_attempts(session, period)),
        events=tuple(events),
        sms=tuple(load_sms(session, period)),
        staff=tuple(load_staff(session)),
    )
    return rows, history


def metrics_for(session: Session, settings: Settings, period: Period, now: datetime) -> Metrics:
    """The figures of ``period`` (and its weeks) as the database has them at ``now``."""
    rows, history = load_rows(session, settings, period)
    return compute(rows, period, calendar=load_calendar_for(session, settings, period), now=now,
                   target=ResponseTarget(settings.callback_target_hours), history=history)

