"""Load what the pure rules in helpline.rota.rules need from the database.

Webhooks, the API and the worker all ask "is the line open?" and "who is on duty?" through
here, so the queries live in one place and the decisions stay in rota.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session

from helpline.config import Settings
from helpline.models import Closure, OfficeHoursInterval, Shift, Staff
from helpline.models.rota import READ_CALENDAR_VERSION
from helpline.rota.rules import ClosurePeriod, DutyShift, LineCalendar, LineStatus, WeeklySchedule, line_status, on_duty


# Built once (Core): every incoming call reads the calendar.
_WEEKLY = select(OfficeHoursInterval.__table__.c.weekday, OfficeHoursInterval.__table__.c.opens_minute,
                 OfficeHoursInterval.__table__.c.closes_minute)
_CLOSURES = (select(Closure.__table__.c.starts_at, Closure.__table__.c.ends_at, Closure.__table__.c.reason)
             .where(Closure.__table__.c.ends_at > bindparam("since"))
             .order_by(Closure.__table__.c.starts_at))


def load_weekly_schedule(session: Session) -> WeeklySchedule:
    rows = session.execute(_WEEKLY).all()
    return WeeklySchedule.from_rows((row[0], row[1], row[2]) for row in rows)


@dataclass(frozen=True)
class _KeptCalendar:
    version: int
    weekly: WeeklySchedule
    closures: tuple[ClosurePeriod, ...]  # every closure that had not ended a day before it was read
    since: datetime


# Per database (engine), so two lines in one process (tests) never share a calendar.
_kept: WeakKeyDictionary[Engine, _KeptCalendar] = WeakKeyDictionary()


def load_calendar(session: Session, settings: Settings, now: datetime) -> LineCalendar:
    """The calendar as seen from ``now``: past closures are left out, future ones kept.

    Every incoming call asks this, so the weekly schedule and the closures are kept per process
    and read again only when the calendar's version (bumped in the transaction of every change
    to them, helpline.models.rota.CalendarVersion) is no longer the one they were read at: one
    small SELECT instead of two and the objects built from them. Holidays come from settings.
    """
    engine = session.get_bind()
    version = session.execute(READ_CALENDAR_VERSION).scalar() or 0
    since = now - timedelta(days=1)
    kept = _kept.get(engine)
    if kept is None or kept.version != version or since < kept.since:
        closures = session.execute(_CLOSURES, {"since": since}).all()
        kept = _KeptCalendar(version, load_weekly_schedule(session),
                             tuple(ClosurePeriod(row[0], row[1], row[2]) for row in closures), since)
        _kept[engine] = kept
    return LineCalendar(
        timezone=settings.timezone,
        weekly=kept.weekly,
        holiday_calendar=settings.holiday_calendar,
        closures=tuple(closure for closure in kept.closures if closure.ends_at > since),
    )


def duty_shift(shift: Shift, staff: Staff) -> DutyShift:
    return DutyShift(
        shift_id=shift.id,
        staff_id=staff.id,
        staff_name=staff.name,
        phone=staff.phone,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        priority=shift.priority,
        languages=tuple(staff.languages or ()),
        role=staff.role,
        active=staff.active,
    )


def load_shifts_between(session: Session, starts: datetime, ends: datetime) -> list[DutyShift]:
    """Every shift that overlaps [starts, ends), with its staff member."""
    rows = session.execute(
        select(Shift, Staff)
        .join(Staff, Shift.staff_id == Staff.id)
        .where(Shift.starts_at < ends, Shift.ends_at > starts)
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    return [duty_shift(shift, staff) for shift, staff in rows]


def staff_on_duty(session: Session, now: datetime) -> list[DutyShift]:
    """Who is on the rota at ``now``, in ringing order (whether or not the line is open)."""
    return on_duty(now, load_shifts_between(session, now, now + timedelta(microseconds=1)))


def status_at(session: Session, settings: Settings, now: datetime) -> LineStatus:
    return line_status(now, load_calendar(session, settings, now))
