"""The queries that turn the tables into plain rows for a period, and the figures of a period.

Each query selects only the columns its rows need and filters on an indexed instant
(``call.started_at``, ``callback_request.created_at`` and ``closed_at``, ``callback_event.at``,
``callback_call.requested_at``, ``outbound_sms.created_at``, ``voice_message.created_at``,
``service_view.day``; a call's wrap-up comes joined by its unique ``call_id``), so
its cost follows the period, not the whole history. The plentiful, featureless rows (SMS, the
common history events) are counted per week in the database; calls, callbacks and calls back
come one by one, as tuples, never ORM objects. No query hands a caller's number beyond this
module: calls carry the keyed hash (helpline.metrics.identity).

A year of a busy line is some 200,000 instants. They are read raw, past the model's UTCDateTime
and its per-value conversion, and turned into aware UTC datetimes here in bulk (``_instant_reader``):
that and executing on the connection (Core rows, not the ORM's) is most of what makes a year
load in a few hundred milliseconds.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from typing import Any, Callable, Iterator

from sqlalchemy import Connection, and_, case, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from helpline.config import Settings
from helpline.metrics.compute import Metrics, Period, compute, week_starts
from helpline.metrics.feedback_rows import load_feedback, load_pulse
from helpline.metrics.identity import CallerKeys
from helpline.metrics.response import ResponseTarget
from helpline.metrics.rows import (
    AttemptRow, CallbackRow, CallRow, ConversationRow, EventRow, MapViewRow, MetricRows, ServiceRow, SmsRow,
    StaffRow,
)
from helpline.models import (
    Call, CallbackCall, CallbackEvent, CallbackRequest, CallWrapUp, Closure, ConversationMessage, OutboundSms, Sender,
    Service, ServiceView, Staff, VoiceMessage,
)
from helpline.rota.rules import ClosurePeriod, LineCalendar, local_datetime
from helpline.rota.load import load_weekly_schedule

# History kinds the figures count (with OKs that took a callback nobody held, as "taken").
COUNTED_KINDS = ("assigned", "handed_over", "reminded", "passed", "closed")
HOLDER_KINDS = ("assigned", "handed_over", "passed")
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


def _raw(column):
    """``column`` selected without its type's result processing (see ``_instant_reader``)."""
    return type_coerce(column, NullType())


def _from_sqlite(value: str | None) -> datetime | None:
    # helpline.models.base stores naive UTC text; fromisoformat takes the offset appended.
    return None if value is None else datetime.fromisoformat(value + "+00:00")


def _from_postgresql(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo is timezone.utc else value.astimezone(timezone.utc)


def _instant_reader(connection: Connection) -> Callable[[Any], datetime | None]:
    """Turns raw instants (``_raw``) into aware UTC datetimes, several times faster than the
    model's UTCDateTime does value by value (its ``replace(tzinfo=...)`` alone costs more than
    parsing the text).

    On PostgreSQL it sets the transaction's time zone to UTC (``SET LOCAL``: only until the
    transaction ends; instants compare the same in any zone): psycopg then hands back datetimes
    already in ``timezone.utc``, and builds them faster than in a named zone.
    """
    if connection.dialect.name == "sqlite":
        return _from_sqlite
    connection.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
    return _from_postgresql


def load_calls(session: Session, period: Period, keys: CallerKeys) -> list[CallRow]:
    connection = session.connection()
    instant = _instant_reader(connection)
    rows = connection.execute(
        select(Call.id, _raw(Call.started_at), Call.outcome, Call.caller_withheld, Call.line_open, Call.caller,
               Call.caller_hash, Call.conversation_seconds, Call.answered_by_id, Call.callback_id,
               CallWrapUp.outcome, CallWrapUp.service_id, CallWrapUp.topic)
        .outerjoin(CallWrapUp, CallWrapUp.call_id == Call.id)
        .where(Call.started_at >= period.start, Call.started_at < period.end).order_by(Call.started_at)
    ).all()  # fetchall in one go: iterating a result fetches row by row
    return [
        CallRow(id_, instant(started), outcome, withheld, line_open, hashed or (keys(caller) if caller else None),
                seconds, answered_by, callback_id, wrapped, service_id, topic)
        for (id_, started, outcome, withheld, line_open, caller, hashed, seconds, answered_by, callback_id, wrapped,
             service_id, topic) in rows
    ]


def load_callbacks(session: Session, period: Period) -> list[CallbackRow]:
    """Requests taken in the period, and those closed in it that were taken before (two indexed
    ranges). Whether a message was left and when the first CALL came are asked only of the
    period's own messages and calls back: both come after their request was taken."""
    connection = session.connection()
    instant = _instant_reader(connection)
    query = select(CallbackRequest.id, _raw(CallbackRequest.created_at), CallbackRequest.status,
                   _raw(CallbackRequest.acknowledged_at), _raw(CallbackRequest.closed_at), CallbackRequest.outcome,
                   CallbackRequest.topic, CallbackRequest.assignee_id, CallbackRequest.reminders_sent,
                   _raw(CallbackRequest.escalated_at), CallbackRequest.service_id, CallbackRequest.channel)
    with_message = set(connection.scalars(
        select(VoiceMessage.callback_id).distinct()
        .where(VoiceMessage.created_at >= period.start, VoiceMessage.recording_status.not_in(UNUSABLE_RECORDINGS))))
    first_attempts = {callback_id: instant(first) for callback_id, first in connection.execute(
        select(CallbackCall.callback_id, _raw(func.min(CallbackCall.requested_at)))
        .where(CallbackCall.requested_at >= period.start).group_by(CallbackCall.callback_id)).all()}
    taken = connection.execute(query.where(CallbackRequest.created_at >= period.start,
                                           CallbackRequest.created_at < period.end)
                               .order_by(CallbackRequest.created_at)).all()
    closed = connection.execute(query.where(CallbackRequest.closed_at >= period.start,
                                            CallbackRequest.closed_at < period.end,
                                            CallbackRequest.created_at < period.start)).all()
    return [CallbackRow(id_, instant(created), status, id_ in with_message, instant(acknowledged),
                        first_attempts.get(id_), instant(closed_at), outcome, topic, assignee, reminders,
                        instant(escalated), service_id, channel)
            for rows in (taken, closed)
            for (id_, created, status, acknowledged, closed_at, outcome, topic, assignee, reminders, escalated,
                 service_id, channel) in rows]


def load_conversations(session: Session, period: Period) -> list[ConversationRow]:
    """The messages of the conversations opened in the period, counted per callback in the
    database (the callbacks by their indexed created_at; their messages by callback)."""
    connection = session.connection()
    instant = _instant_reader(connection)
    message = ConversationMessage
    from_caller = message.sender == Sender.CALLER.value
    by_staff = and_(message.sender == Sender.LINE.value, message.automatic.is_(False))
    rows = connection.execute(
        select(message.callback_id, _raw(CallbackRequest.created_at), CallbackRequest.channel,
               func.sum(case((from_caller, 1), else_=0)), func.sum(case((by_staff, 1), else_=0)),
               func.sum(case((message.automatic.is_(True), 1), else_=0)),
               _raw(func.min(message.at)), _raw(func.max(message.at)),
               _raw(func.min(case((from_caller, message.at)))), _raw(func.min(case((by_staff, message.at)))))
        .join(CallbackRequest, CallbackRequest.id == message.callback_id)
        .where(CallbackRequest.created_at >= period.start, CallbackRequest.created_at < period.end)
        .group_by(message.callback_id, CallbackRequest.created_at, CallbackRequest.channel)
        .order_by(CallbackRequest.created_at)
    ).all()
    return [ConversationRow(callback_id, instant(created), channel, int(caller), int(staff), int(automatic),
                            instant(first), instant(last), instant(first_caller), instant(first_reply))
            for callback_id, created, channel, caller, staff, automatic, first, last, first_caller, first_reply
            in rows]


def load_attempts(session: Session, period: Period) -> list[AttemptRow]:
    connection = session.connection()
    instant = _instant_reader(connection)
    rows = connection.execute(
        select(CallbackCall.id, CallbackCall.callback_id, _raw(CallbackCall.requested_at), CallbackCall.result,
               CallbackCall.staff_id, CallbackCall.conversation_seconds)
        .where(CallbackCall.requested_at >= period.start, CallbackCall.requested_at < period.end)
        .order_by(CallbackCall.requested_at)
    ).all()
    return [AttemptRow(id_, callback_id, instant(requested), result, staff_id, seconds)
            for id_, callback_id, requested, result, staff_id, seconds in rows]


def _per_week(column, bounds: list[datetime], *columns, where=()):
    """``count(*)`` per week and ``columns``, the weeks given by ``bounds`` (their starts, then
    the period's end): one indexed range per week, joined with UNION ALL.

    Putting each row in its week with a CASE of the weeks' bounds cost SQLite more than the
    counting itself (about 3 times as long for a year's history); separate ranges let the
    index (ix_callback_event_kind_at, ix_outbound_sms_created_at) do it, on PostgreSQL too."""
    return union_all(*(
        select(literal(index).label("week"), *columns, func.count())
        .where(column >= start, column < stop, *where).group_by(*columns)
        for index, (start, stop) in enumerate(pairwise(bounds))))


def _taken():
    """An OK on a callback nobody held (detail.taken): it made the sender the holder."""
    return and_(CallbackEvent.kind == "acknowledged", CallbackEvent.detail["taken"].as_boolean().is_(True))


def load_events(session: Session, period: Period, weeks: list[datetime]) -> tuple[list[EventRow], list[EventRow]]:
    """The period's history: the common kinds counted per week, staff member and kind in the
    database; escalations one by one, with the holder changes (at any earlier time) of the
    callbacks escalated, so each escalation is put on whoever held the callback then."""
    in_period = and_(CallbackEvent.at >= period.start, CallbackEvent.at < period.end)
    bounds = [*weeks, period.end]
    counted = session.execute(_per_week(CallbackEvent.at, bounds, CallbackEvent.kind, CallbackEvent.staff_id,
                                        where=(CallbackEvent.kind.in_(COUNTED_KINDS),))).all()
    counted += [(index, "taken", staff_id, count) for index, staff_id, count in session.execute(
        _per_week(CallbackEvent.at, bounds, CallbackEvent.staff_id, where=(_taken(),)))]
    events = [EventRow(0, weeks[index], kind, staff_id, 0, count) for index, kind, staff_id, count in counted]
    events += [EventRow(callback_id, at, "escalated", None, id_) for callback_id, at, id_ in session.execute(
        select(CallbackEvent.callback_id, CallbackEvent.at, CallbackEvent.id)
        .where(in_period, CallbackEvent.kind == "escalated"))]
    escalated = select(CallbackEvent.callback_id).where(in_period, CallbackEvent.kind == "escalated")
    history = [EventRow(callback_id, at, "taken" if kind == "acknowledged" else kind, staff_id, id_)
               for callback_id, at, kind, staff_id, id_ in session.execute(
                   select(CallbackEvent.callback_id, CallbackEvent.at, CallbackEvent.kind, CallbackEvent.staff_id,
                          CallbackEvent.id)
                   .where(CallbackEvent.callback_id.in_(escalated), CallbackEvent.at < period.end,
                          or_(CallbackEvent.kind.in_(HOLDER_KINDS), _taken())))]
    return events, history


def load_sms(session: Session, period: Period, weeks: list[datetime]) -> list[SmsRow]:
    """Outbound SMS counted per week and status in the database."""
    rows = session.execute(_per_week(OutboundSms.created_at, [*weeks, period.end], OutboundSms.status))
    return [SmsRow(weeks[index], status, count) for index, status, count in rows]


def load_staff(session: Session) -> list[StaffRow]:
    return [StaffRow(*row) for row in session.execute(select(Staff.id, Staff.name, Staff.active))]


def load_services(session: Session) -> list[ServiceRow]:
    return [ServiceRow(*row) for row in session.execute(select(Service.id, Service.name, Service.code,
                                                               Service.active))]


def load_map_views(session: Session, period: Period, settings: Settings) -> list[MapViewRow]:
    """The map's per-day view counts of the local days whose midnight lies in the period."""
    tz = settings.timezone
    first, last = period.start.astimezone(tz).date(), period.end.astimezone(tz).date()
    rows = session.execute(select(ServiceView.service_id, ServiceView.day, ServiceView.views)
                           .where(ServiceView.day >= first, ServiceView.day <= last)).all()
    return [MapViewRow(service_id, local_datetime(day, 0, tz).astimezone(timezone.utc), views)
            for service_id, day, views in rows]


def load_rows(session: Session, settings: Settings, period: Period,
              counted_from: list[datetime] | None = None) -> tuple[MetricRows, list[EventRow]]:
    """Every row the period's figures need, and the escalations' earlier holder events.

    The plentiful history events and SMS come counted per span and anchored at its start: the
    spans begin at ``counted_from`` (the period's start first; by default each local week's
    Monday, which is what the week figures need; the day rollups pass each local midnight)."""
    weeks = counted_from or week_starts(period, settings.timezone)
    events, history = load_events(session, period, weeks)
    rows = MetricRows(
        calls=tuple(load_calls(session, period, CallerKeys(settings.secret_key))),
        callbacks=tuple(load_callbacks(session, period)),
        attempts=tuple(load_attempts(session, period)),
        events=tuple(events),
        sms=tuple(load_sms(session, period, weeks)),
        feedback=tuple(load_feedback(session, period)),
        pulse=tuple(load_pulse(session, period)),
        staff=tuple(load_staff(session)),
        services=tuple(load_services(session)),
        map_views=tuple(load_map_views(session, period, settings)),
        conversations=tuple(load_conversations(session, period)),
    )
    return rows, history


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while a period's rows are built and counted.

    A year is half a million new tuples, and every 700 allocations start a collection that
    walks the young ones; the older generations' passes walk everything built so far. That was
    a third of the time of a year's figures. Rows are tuples of plain values and make no
    cycles, so nothing is left for later; whatever else the process made meanwhile is collected
    as soon as collection is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def metrics_from_rows(session: Session, settings: Settings, period: Period, now: datetime) -> Metrics:
    """The figures of ``period`` (and its weeks) as the database has them at ``now``, computed
    from every row of the period: the reference the day rollups are tested against
    (helpline.metrics.period.metrics_for reads the stored days instead)."""
    with collection_paused():
        rows, history = load_rows(session, settings, period)
        return compute(rows, period, calendar=load_calendar_for(session, settings, period), now=now,
                       target=ResponseTarget(settings.callback_target_hours), history=history)
