"""The stored day rollups (MetricsDay): which are fresh, and folding stale or missing days again.

A stored day is read only while it is fresh: folded under today's basis (the rollup layout, the
line's time zone, holidays, response target and calendar version, and the key that hashes
callers) and with no stale mark inside it (helpline.models.metrics: every change to a row the
figures read leaves one, in its own transaction). Anything else is computed from rows by the
reader (helpline.metrics.period) until :func:`refresh` folds it again: the RQ job
``refresh_metrics_days``, which the sweep queues every few minutes.

Only days that ended at least FOLDED_AFTER (48 hours) before the refresh's ``now`` are stored,
so today and yesterday always come from rows, and a change to the present (an incoming call, a
message just sent) needs no mark (helpline.models.metrics.RECENT).

The refresh and a write may run side by side. The refresh reads the marks before the rows and
deletes only the marks it read (by id), so a change committed after it read the marks keeps its
mark. Two refreshes never fold at once: they take turns by a lock (PostgreSQL: an advisory
lock; SQLite: the database's write lock, taken first).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import groupby
from typing import Any, Iterable

from sqlalchemy import and_, delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.metrics import rollup
from helpline.metrics.compute import Period
from helpline.metrics.load import load_calendar_for, load_rows
from helpline.metrics.response import Deadlines, ResponseTarget
from helpline.models import (Call, CallbackRequest, FeedbackRequest, MetricsDay, MetricsStale, OutboundSms,
                             PulseQuestion, ServiceView)
from helpline.models.metrics import FOLDED_AFTER
from helpline.models.rota import READ_CALENDAR_VERSION
from helpline.rota.rules import local_datetime

# pg_advisory_xact_lock key of "folding days" (its own one-key space value; see ASSIGNMENT_LOCK_KEY).
REFRESH_LOCK_KEY = 0x4D455452  # "METR"
# Days folded in one transaction: one load of their rows, a few seconds at most on a busy line.
DAYS_PER_BATCH = 31


def day_period(day: date, settings: Settings) -> Period:
    return days_period(day, day + timedelta(days=1), settings)


def days_period(first: date, end: date, settings: Settings) -> Period:
    """The local days [first, end) as instants."""
    tz = settings.timezone
    return Period(local_datetime(first, 0, tz), local_datetime(end, 0, tz))


def basis(session: Session, settings: Settings) -> str:
    """What a stored day's values depend on besides its rows; a day of another basis is stale."""
    calendar = session.execute(READ_CALENDAR_VERSION).scalar() or 0
    key = hashlib.sha256(settings.secret_key.encode()).hexdigest()[:12]
    return (f"layout {rollup.LAYOUT}; {settings.timezone.key}; holidays {settings.holiday_calendar}; "
            f"target {settings.callback_target_hours} h; calendar {calendar}; callers {key}")


def last_foldable_day(settings: Settings, now: datetime) -> date:
    """The newest day the refresh may store (its end FOLDED_AFTER before ``now`` or earlier)."""
    tz = settings.timezone
    day = (now - FOLDED_AFTER).astimezone(tz).date()
    return day if local_datetime(day + timedelta(days=1), 0, tz) <= now - FOLDED_AFTER else day - timedelta(days=1)


def fold_span(session: Session, settings: Settings, period: Period, *, by_day: bool) -> dict[date, dict[str, Any]]:
    """The values of the local days (or parts of days) of ``period``, from its rows.

    ``by_day`` (for storing; ``period`` is then whole local days): every day of it, those
    without rows too, and the history events and SMS, which come counted, counted per local
    day so that each day's value is exact. Otherwise the days with rows, and those counts per
    local week (anchored on the week's first day in the period), which is all the sums of the
    period and its weeks need, and cheaper."""
    tz = settings.timezone
    days = rollup.days_of(period.start.astimezone(tz).date(), period.end.astimezone(tz).date())
    counted_from = [local_datetime(day, 0, tz).astimezone(timezone.utc) for day in days] if by_day else None
    rows, history = load_rows(session, settings, period, counted_from)
    deadlines = Deadlines(load_calendar_for(session, settings, period), ResponseTarget(settings.callback_target_hours))
    context = rollup.Context(tz, deadlines, tuple(history))
    values = rollup.fold_days(rows, context, period.start, period.end)
    if by_day:
        values = {day: values.get(day) or rollup.empty_day(context) for day in days}
    return values


# --- reading ---------------------------------------------------------------------------------------

def fresh_days(session: Session, settings: Settings, first: date, end: date) -> dict[date, dict[str, Any]]:
    """The stored days of [first, end) that may be read: of today's basis, with no stale mark."""
    if end <= first:
        return {}
    span = days_period(first, end, settings)
    marks = session.scalars(select(MetricsStale.at).where(
        or_(MetricsStale.at.is_(None), and_(MetricsStale.at >= span.start, MetricsStale.at < span.end)))).all()
    if any(mark is None for mark in marks):
        return {}
    stale = {rollup.local_day(mark, settings.timezone) for mark in marks}
    stored = session.execute(select(MetricsDay.day, MetricsDay.parts).where(
        MetricsDay.day >= first, MetricsDay.day < end, MetricsDay.basis == basis(session, settings))).all()
    return {day: parts for day, parts in stored if day not in stale}


# --- folding again -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RefreshReport:
    folded: int  # days folded and stored
    left: int  # days still to fold (the next run takes them)
    cleared: bool = False  # a change to every day: all stored days were dropped


def _take_turn(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(REFRESH_LOCK_KEY)))
    else:  # any write takes SQLite's single write lock until commit, before anything is read
        session.execute(text("DELETE FROM metrics_day WHERE 0 = 1"))


def _first_day(session: Session, settings: Settings) -> date | None:
    """The local day of the oldest row the figures read, or None when there is none (each an
    indexed minimum)."""
    oldest = [session.scalar(select(func.min(column))) for column in (
        Call.started_at, CallbackRequest.created_at, OutboundSms.created_at, FeedbackRequest.asked_at,
        PulseQuestion.asked_at)]
    days = [rollup.local_day(moment, settings.timezone) for moment in oldest if moment is not None]
    days += [day for day in [session.scalar(select(func.min(ServiceView.day)))] if day is not None]
    return min(days) if days else None


def days_to_fold(session: Session, settings: Settings, now: datetime) -> tuple[list[date], list[tuple[int, datetime | None]]]:
    """(the days to fold, newest first; the marks read), for one refresh transaction."""
    marks = session.execute(select(MetricsStale.id, MetricsStale.at)).all()
    last = last_foldable_day(settings, now)
    first = _first_day(session, settings) or last + timedelta(days=1)
    fresh = set(session.scalars(select(MetricsDay.day).where(MetricsDay.basis == basis(session, settings))))
    # A marked day before the oldest row (its rows were deleted) is folded too, to nothing.
    marked = {day for _id, at in marks if at is not None and (day := rollup.local_day(at, settings.timezone)) <= last}
    missing = {day for day in rollup.days_of(first, last + timedelta(days=1)) if day not in fresh}
    return sorted(missing | marked, reverse=True), marks


def refresh(session: Session, settings: Settings, now: datetime, *, days: int = DAYS_PER_BATCH) -> RefreshReport:
    """Fold again up to ``days`` of the days that are stale or missing (newest first), store them
    and delete the marks this made obsolete. Safe to run twice, or beside any write."""
    _take_turn(session)
    wanted, marks = days_to_fold(session, settings, now)
    if any(at is None for _id, at in marks):
        # Every day changed: drop them all, and the marks read; the next batches fold them again.
        session.execute(delete(MetricsDay))
        _delete_marks(session, [id_ for id_, _at in marks])
        return RefreshReport(0, len(days_to_fold(session, settings, now)[0]), cleared=True)
    chosen = wanted[:days]
    refresh_days(session, settings, chosen, now)
    folded = set(chosen)
    _delete_marks(session, [id_ for id_, at in marks if rollup.local_day(at, settings.timezone) in folded])
    return RefreshReport(len(chosen), len(wanted) - len(chosen))


def _delete_marks(session: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):  # a bounded IN list
        session.execute(delete(MetricsStale).where(MetricsStale.id.in_(ids[start:start + 500])))


def _store(session: Session, days: Iterable[tuple[date, dict[str, Any]]], current: str, now: datetime) -> None:
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for day, parts in days:
        statement = insert(MetricsDay).values(day=day, basis=current, parts=parts, refreshed_at=now)
        session.execute(statement.on_conflict_do_update(
            index_elements=["day"],
            set_={"basis": statement.excluded.basis, "parts": statement.excluded.parts,
                  "refreshed_at": statement.excluded.refreshed_at}))


def refresh_days(session: Session, settings: Settings, days: Iterable[date], now: datetime) -> int:
    """Fold exactly ``days`` from their rows and store them, whatever their state (the
    benchmark and the tests; :func:`refresh` chooses the days itself). Returns how many."""
    chosen = sorted(set(days))
    current = basis(session, settings)
    # Consecutive days are folded from one load of their rows.
    for _, run in groupby(enumerate(chosen), key=lambda pair: pair[1] - timedelta(days=pair[0])):
        run_days = [day for _, day in run]
        period = days_period(run_days[0], run_days[-1] + timedelta(days=1), settings)
        _store(session, fold_span(session, settings, period, by_day=True).items(), current, now)
    return len(chosen)
