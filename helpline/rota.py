"""Pure rules: when the line is open, who is on duty, and when it next opens.

Everything here is a function of plain data and an aware ``now``; nothing reads the clock, the
database, Flask or Twilio. The single place where "is the line open?" and "who gets rung, in
which order?" are decided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

import holidays as holidays_lib

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MINUTES_PER_DAY = 24 * 60
# How far ahead next_opening() looks before it gives up (a line with no hours at all).
NEXT_OPENING_HORIZON_DAYS = 400


class NaiveTimeError(ValueError):
    """A rule was given a naive datetime; every instant must carry its time zone."""


def _require_aware(moment: datetime, what: str = "now") -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTimeError(f"{what} must be time-zone aware, got {moment!r}")


@dataclass(frozen=True, order=True)
class OpeningInterval:
    """Open from ``opens_minute`` to ``closes_minute`` (exclusive) local wall-clock minutes."""

    opens_minute: int
    closes_minute: int

    def __post_init__(self) -> None:
        if not (0 <= self.opens_minute < self.closes_minute <= MINUTES_PER_DAY):
            raise ValueError(
                f"an opening interval must run forwards within one day, got "
                f"{format_minute(self.opens_minute)}-{format_minute(self.closes_minute)}"
            )

    def contains(self, minute: int) -> bool:
        return self.opens_minute <= minute < self.closes_minute


@dataclass(frozen=True)
class WeeklySchedule:
    """Opening intervals per weekday (0 is Monday)."""

    days: Mapping[int, tuple[OpeningInterval, ...]] = field(default_factory=dict)

    def intervals_on(self, weekday: int) -> tuple[OpeningInterval, ...]:
        return tuple(sorted(self.days.get(weekday, ())))

    @property
    def is_empty(self) -> bool:
        return not any(self.days.values())

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, int]]) -> "WeeklySchedule":
        days: dict[int, list[OpeningInterval]] = {}
        for weekday, opens, closes in rows:
            days.setdefault(weekday, []).append(OpeningInterval(opens, closes))
        return cls({day: tuple(sorted(intervals)) for day, intervals in days.items()})


@dataclass(frozen=True)
class ClosurePeriod:
    starts_at: datetime
    ends_at: datetime
    reason: str

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "a closure's start")
        _require_aware(self.ends_at, "a closure's end")
        if self.ends_at <= self.starts_at:
            raise ValueError("a closure must end after it starts")

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


@dataclass(frozen=True)
class LineCalendar:
    """Everything that decides whether the line is open: time zone, week, holidays, closures."""

    timezone: ZoneInfo
    weekly: WeeklySchedule
    holiday_calendar: str = "FI"
    closures: tuple[ClosurePeriod, ...] = ()

    def holiday_name(self, day: date) -> str | None:
        if not self.holiday_calendar:
            return None
        return _holidays_for(self.holiday_calendar, day.year).get(day)


@lru_cache(maxsize=64)
def _holidays_for(country: str, year: int) -> Mapping[date, str]:
    # English names keep logs and the API readable whatever the line's language.
    return dict(holidays_lib.country_holidays(country, years=year, language="en_US").items())


@dataclass(frozen=True)
class LineStatus:
    at: datetime
    open: bool
    reason: str
    next_open_at: datetime | None  # None while open, or when no opening is scheduled at all
    closes_at: datetime | None  # when an open line next closes


def local_datetime(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The instant of a local wall-clock minute on a day.

    Minute 1440 is the next midnight. A wall-clock time skipped by a DST jump is moved forward
    past the gap; a repeated one takes its first occurrence.
    """
    if minute == MINUTES_PER_DAY:
        day, minute = day + timedelta(days=1), 0
    naive = datetime.combine(day, time(minute // 60, minute % 60))
    candidate = naive.replace(tzinfo=tz, fold=0)
    round_trip = candidate.astimezone(timezone.utc).astimezone(tz)
    if round_trip.replace(tzinfo=None) == naive:
        return candidate
    # Inside the spring-forward gap. fold=1 reads the wall time with the post-jump offset (an
    # instant before the jump), fold=0 with the pre-jump one (after it); the jump itself, the
    # first real moment at or after the wall time, lies between. Find it to the minute.
    low = naive.replace(tzinfo=tz, fold=1).astimezone(timezone.utc)
    high = candidate.astimezone(timezone.utc)
    after_offset = high.astimezone(tz).utcoffset()
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return high.astimezone(tz)


def _closure_at(moment: datetime, closures: Sequence[ClosurePeriod]) -> ClosurePeriod | None:
    for closure in closures:
        if closure.covers(moment):
            return closure
    return None


def line_status(now: datetime, calendar: LineCalendar) -> LineStatus:
    """Whether the line is open at ``now``, why, and when it next opens or closes."""
    _require_aware(now)
    local = now.astimezone(calendar.timezone)
    holiday = calendar.holiday_name(local.date())
    closure = _closure_at(now, calendar.closures)
    minute = local.hour * 60 + local.minute
    interval = next((i for i in calendar.weekly.intervals_on(local.weekday()) if i.contains(minute)), None)

    if holiday:
        reason = f"public holiday: {holiday}"
    elif closure:
        reason = f"closed: {closure.reason}"
    elif interval is None:
        reason = "no office hours are set" if calendar.weekly.is_empty else "outside office hours"
    else:
        closes_at = local_datetime(local.date(), interval.closes_minute, calendar.timezone)
        # A closure that starts before the interval ends closes the line earlier.
        for period in calendar.closures:
            if now < period.starts_at < closes_at:
                closes_at = period.starts_at
        return LineStatus(at=now, open=True, reason="open", next_open_at=None,
                          closes_at=closes_at.astimezone(calendar.timezone))
    next_open = next_opening(now, calendar)
    return LineStatus(at=now, open=False, reason=reason, next_open_at=next_open, closes_at=None)


def is_open(now: datetime, calendar: LineCalendar) -> bool:
    return line_status(now, calendar).open


def next_opening(now: datetime, calendar: LineCalendar) -> datetime | None:
    """The first instant at or after ``now`` when the line is open, in the line's time zone."""
    _require_aware(now)
    tz = calendar.timezone
    start_local = now.astimezone(tz)
    for offset in range(NEXT_OPENING_HORIZON_DAYS):
        day = start_local.date() + timedelta(days=offset)
        if calendar.holiday_name(day):
            continue
        for interval in calendar.weekly.intervals_on(day.weekday()):
            opens = local_datetime(day, interval.opens_minute, tz)
            closes = local_datetime(day, interval.closes_minute, tz)
            candidate = max(opens, now)
            # Step past any closures that cover the candidate; closures may chain.
            while candidate < closes:
                closure = _closure_at(candidate, calendar.closures)
                if closure is None:
                    return candidate.astimezone(tz)
                candidate = closure.ends_at
            # The candidate may have run into the next day, whose holiday check we must not skip;
            # the outer loop reaches that day on its own.
    return None


@dataclass(frozen=True)
class DutyShift:
    """A shift joined with what the rules need to know of its staff member."""

    shift_id: int
    staff_id: int
    staff_name: str
    phone: str
    starts_at: datetime
    ends_at: datetime
    priority: int = 100
    languages: tuple[str, ...] = ()
    role: str = "staff"
    active: bool = True

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def on_duty(now: datetime, shifts: Iterable[DutyShift]) -> list[DutyShift]:
    """Who is on the rota at ``now``, in ringing order: priority, then earliest start, then id.

    A person with overlapping shifts is listed once, at their best priority. Inactive staff are
    never on duty.
    """
    _require_aware(now)
    best: dict[int, DutyShift] = {}
    for shift in shifts:
        if not shift.active or not shift.covers(now):
            continue
        current = best.get(shift.staff_id)
        if current is None or _ring_key(shift) < _ring_key(current):
            best[shift.staff_id] = shift
    return sorted(best.values(), key=_ring_key)


def _ring_key(shift: DutyShift) -> tuple[int, datetime, int]:
    return (shift.priority, shift.starts_at, shift.staff_id)


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_clock(text: str) -> int:
    """'09:30' -> 570. '24:00' is allowed as the end of a day."""
    try:
        hours_text, minutes_text = text.strip().split(":")
        hours, minutes = int(hours_text), int(minutes_text)
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day like 09:00") from None
    if not (0 <= minutes < 60 and (0 <= hours < 24 or (hours == 24 and minutes == 0))):
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 24:00")
    return hours * 60 + minutes
