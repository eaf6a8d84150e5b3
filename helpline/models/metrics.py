"""Per-local-day rollups of the figures (helpline.metrics.rollup), kept so that a period's figures
read days, not rows; and the marks that say which stored days a later change made stale.

A stored day is only as good as the rows it was folded from, and rows of past days change
(a callback closed days after it was taken, an SMS status, a feedback answer, a retention
masking). So every change to a row the figures read leaves a mark in ``metrics_stale``, in the
change's own transaction, holding the instant the change counts on (the row's anchor: a call's
start, a callback's creation and closing, its parent's for a call back or a message, ...). A
stored day with a mark inside it is not read (the figures come from rows for it) until the
refresh folds it again (helpline.metrics.rollup_store).

Nobody has to remember this: the Session events below see every ORM flush and every ORM bulk
UPDATE or DELETE of those tables. Core statements pass no Session event; the two that write
such rows (the incoming call's row, the SMS send path's status) call :func:`mark_stale`
themselves or touch only the present (see ``RECENT``).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable

from sqlalchemy import JSON, Connection, Date, event, func, insert, inspect, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, UOWTransaction, mapped_column

from helpline.models.base import Base
from helpline.models.callback_calls import CallbackCall
from helpline.models.callbacks import CallbackEvent, CallbackRequest, VoiceMessage
from helpline.models.calls import Call
from helpline.models.conversations import ConversationMessage
from helpline.models.directory import CallWrapUp, Service, ServiceView
from helpline.models.feedback import FeedbackRequest, PulseAnswer, PulseQuestion
from helpline.models.messages import OutboundSms
from helpline.models.staff import Staff

# A change that counts on an instant later than this before the writer's ``now`` needs no mark:
# the refresh folds only days that ended at least FOLDED_AFTER before its own ``now``
# (helpline.metrics.rollup_store), so no stored day, nor one being folded, can hold that instant.
# The gap between the two is the clock skew between processes it tolerates.
RECENT = timedelta(hours=24)
FOLDED_AFTER = timedelta(hours=48)


class MetricsDay(Base):
    """One local day of the line's time zone: each figure family's folded value (``parts``,
    by Part name) and what it was folded under (``basis``: the rollup layout, the time zone,
    the holidays, the response target and the calendar version; a day of another basis is stale)."""

    __tablename__ = "metrics_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    basis: Mapped[str]
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    refreshed_at: Mapped[datetime]


class MetricsStale(Base):
    """A change to rows the figures read, by the instant it counts on (None: every day, for a
    change such as a deleted staff member whose rows the database rewrites by itself).

    Plain inserts, never an upsert of a shared row: writers never wait for each other here. The
    refresh deletes only the marks it read before it read the rows, by id, so a change committed
    while it folds keeps its mark for the next refresh."""

    __tablename__ = "metrics_stale"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime | None] = mapped_column(index=True)


def mark_stale(connection: Connection, instants: Iterable[datetime | None], *,
               now: datetime | None = None) -> int:
    """Mark the days of ``instants`` stale (None: every day), skipping those within RECENT before
    ``now`` when it is given. Returns how many marks were written."""
    wanted = {_quarter(moment) for moment in instants if moment is None or now is None or moment < now - RECENT}
    if wanted:
        connection.execute(insert(MetricsStale), [{"at": moment} for moment in wanted])
    return len(wanted)


def _quarter(moment: datetime | None) -> datetime | None:
    # Several changes in one quarter of an hour need one mark; a quarter never straddles a
    # local midnight (every time zone's offset is a whole number of quarter hours).
    if moment is None:
        return None
    moment = moment.astimezone(timezone.utc)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def date_instant(day: date) -> datetime:
    """The instant a per-date row (ServiceView.day) is marked at: noon UTC, which lies in that
    local date for every time zone from UTC-11 to UTC+11 (Helpline's zones are European)."""
    return datetime.combine(day, time(12), timezone.utc)


# --- what each table's rows count on -------------------------------------------------------------
#
# Own anchors are the row's instant columns its figures are anchored on; a parent anchor is the
# instant of the row it belongs to (a call back gives its callback a first response; a wrap-up
# changes its call's outcome), found by the parent's id.

_OWN: dict[type, tuple[str, ...]] = {
    Call: ("started_at",),
    CallbackRequest: ("created_at", "closed_at"),
    CallbackEvent: ("at",),
    CallbackCall: ("requested_at",),
    OutboundSms: ("created_at",),
    FeedbackRequest: ("asked_at",),
    PulseQuestion: ("asked_at",),
    ServiceView: ("day",),
}
# (the row's column holding the parent's key, the kind of parent)
_PARENTS: dict[type, tuple[tuple[str, str], ...]] = {
    CallWrapUp: (("call_id", "call"),),
    CallbackCall: (("callback_id", "callback"),),
    VoiceMessage: (("callback_id", "callback"),),
    ConversationMessage: (("callback_id", "callback"),),
    OutboundSms: (("id", "feedback_sms"),),  # a feedback question's SMS counts on its question's day
    PulseQuestion: (("survey", "round"),),  # a pulse round counts on its first question
    PulseAnswer: (("survey", "round"),),
    Call: (),
    CallbackRequest: (),
}
# Deleting one of these lets the database rewrite or remove rows of any day (ON DELETE CASCADE
# or SET NULL), which no event reports: every day is marked.
_REWRITES_HISTORY = (Call, CallbackRequest, Staff, Service)
SOURCES = tuple({*_OWN, *_PARENTS, *_REWRITES_HISTORY})

_PARENT_INSTANTS: dict[str, Callable[[Iterable[Any]], Any]] = {
    "callback": lambda keys: select(CallbackRequest.created_at).where(CallbackRequest.id.in_(keys)),
    "call": lambda keys: select(Call.started_at).where(Call.id.in_(keys)),
    "feedback_sms": lambda keys: select(FeedbackRequest.asked_at).where(FeedbackRequest.outbound_id.in_(keys)),
    "round": lambda keys: select(func.min(PulseQuestion.asked_at)).where(PulseQuestion.survey.in_(keys))
                          .group_by(PulseQuestion.survey),
}


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return date_instant(value)
    return None


class _Touched:
    """The instants and parent keys one flush or statement touched."""

    def __init__(self, now: datetime | None) -> None:
        self.now = now
        self.instants: set[datetime | None] = set()
        self.parents: dict[str, set[Any]] = defaultdict(set)

    def add_values(self, model: type, values: Callable[[str], Iterable[Any]],
                   known: Callable[[str, Any], datetime | None] = lambda _kind, _key: None) -> None:
        own = {moment for moment in map(_instant, (value for column in _OWN.get(model, ()) for value in values(column)))
               if moment is not None}
        self.instants |= own
        for column, kind in _PARENTS.get(model, ()):
            if kind in _NOT_EARLIER and not any(self._old(moment) for moment in own):
                continue
            for key in values(column):
                if key is None:
                    continue
                moment = known(kind, key)
                if moment is None:
                    self.parents[kind].add(key)
                else:
                    self.instants.add(moment)

    def _old(self, moment: datetime) -> bool:
        return self.now is None or moment < self.now - RECENT

    def write(self, connection: Connection) -> None:
        for kind, keys in self.parents.items():
            if keys:
                self.instants.update(connection.scalars(_PARENT_INSTANTS[kind](sorted(keys))))
        mark_stale(connection, self.instants, now=self.now)


# Parents whose instant is never earlier than the row's own (a feedback question is asked when
# its SMS is created or later): looked up only when the row's own instant is old enough to mark.
_NOT_EARLIER = ("feedback_sms",)
_LOADED_PARENTS = {"callback": (CallbackRequest, "created_at"), "call": (Call, "started_at")}


def _loaded_parent(session: Session) -> Callable[[str, Any], datetime | None]:
    """A parent's instant when the session holds the parent already (no query)."""
    def known(kind: str, key: Any) -> datetime | None:
        if kind not in _LOADED_PARENTS:
            return None
        model, column = _LOADED_PARENTS[kind]
        parent = session.identity_map.get(session.identity_key(model, key))
        return None if parent is None else inspect(parent).dict.get(column)
    return known


def mark_row_changed(connection: Connection, model: type, values: dict[str, Any], *, now: datetime | None) -> None:
    """For a Core statement, which no Session event sees: mark the days that a change to one row
    of ``model`` (its anchor columns and parent keys in ``values``) touches."""
    touched = _Touched(now)
    touched.add_values(model, lambda column: [values[column]])
    touched.write(connection)


def _session_now(session: Session) -> datetime | None:
    now = session.info.get("now")
    return now() if now is not None else None


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush: UOWTransaction) -> None:
    """Rows flushed: their anchors, old and new (the lists still hold what was flushed)."""
    touched, known = _Touched(_session_now(session)), _loaded_parent(session)
    for instance in (*session.new, *session.dirty, *session.deleted):
        model = type(instance)
        if model not in SOURCES:
            continue
        if instance in session.deleted and model in _REWRITES_HISTORY:
            touched.instants.add(None)
            continue
        state = inspect(instance)
        if instance in session.dirty and not session.is_modified(instance):
            continue

        def values(column: str, state=state, instance=instance) -> list[Any]:
            history = state.attrs[column].history
            found = [*history.added, *history.unchanged, *history.deleted]
            if not found and not state.deleted and not state.was_deleted and state.key is not None:
                found = [getattr(instance, column)]  # expired or never loaded: ask the row
            return found

        touched.add_values(model, values, known)
    if touched.instants or touched.parents:
        touched.write(session.connection())


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state: ORMExecuteState) -> None:
    """A statement run through the Session (``update(Call).where(...)``, an upsert) flushes no
    row: an UPDATE's or DELETE's rows' anchors are read with its own criteria before it runs, an
    INSERT's come from its values."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    model = state.bind_mapper.class_ if state.bind_mapper is not None else None
    if model not in SOURCES:
        return
    touched = _Touched(_session_now(state.session))
    if state.is_insert:
        # insert(PulseQuestion).values(...): the rows' values are the statement's and the
        # execution's parameters (a question asked late in a round changes the round's day).
        given = state.statement.compile(dialect=state.session.get_bind().dialect).params
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        for row in rows:
            values = {**given, **row}
            touched.add_values(model, lambda column, values=values: [values.get(column)])
        touched.write(state.session.connection())
        return
    where = state.statement.whereclause
    if state.is_delete and model in _REWRITES_HISTORY:
        touched.instants.add(None)
    elif model in _OWN or model in _PARENTS:
        columns = [*_OWN.get(model, ()), *(column for column, _kind in _PARENTS.get(model, ()))]
        table = model.__table__
        rows = state.session.connection().execute(
            select(*(table.c[column] for column in columns)).where(*(() if where is None else (where,)))).all()
        touched.add_values(model, lambda column: [row[columns.index(column)] for row in rows])
    touched.write(state.session.connection())
