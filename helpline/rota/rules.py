"""Pure rules: when the line is open, who is on duty, and when it next opens.

Everything here is a function of plain data and an aware ``now``; nothing reads the clock, the
database, Flask or Twilio. The single place where "is the line open?" and "who gets rung, in
which order?" are decided.

Instants are compared in UTC. Python compares two datetimes that share a tzinfo by their wall
clocks and ignores ``fold``, so inside the repeated autumn hour 03:15 (second pass) would sort
before 03:30 (first pass); and an ambiguous local time never ``==`` an instant in another zone.
Results are handed back in the line's time zone, with the right offset.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Sequence
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


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


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
        if _utc(self.ends_at) <= _utc(self.starts_at):
            raise ValueError("a closure must end after it starts")

    def covers(self, moment: datetime) -> bool:
        return _utc(self.starts_at) <= _utc(moment) < _utc(self.ends_at)


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
    # When an open line next closes (back-to-back openings count as one); None while closed, or
    # when it stays open beyond NEXT_OPENING_HORIZON_DAYS.
    closes_at: datetime | None


def local_datetime(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The instant of a local wall-clock minute on a day.

    Minute 1440 is the next midnight. A wall-clock time skipped by a DST jump is moved forward
    past the gap; a repeated one takes its first occurrence.
    """
    if minute == MINUTES_PER_DAY:
        day, minute = day + timedelta(days=1), 0
    naive = datetime.combine(day, time(minute // 60, minute % 60))
    first = _utc(naive.replace(tzinfo=tz, fold=0))
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        # Converting back from UTC also sets ``fold`` right for a repeated wall time.
        return first.astimezone(tz)
    # Inside the spring-forward gap. fold=1 reads the wall time with the post-jump offset (an
    # instant before the jump), fold=0 with the pre-jump one (after it); the jump itself, the
    # first real moment at or after the wall time, lies between, on a whole minute.
    before = _utc(naive.replace(tzinfo=tz, fold=1))
    after_offset = first.astimezone(tz).utcoffset()
    gap_minutes = int((first - before) / timedelta(minutes=1))
    jumped = bisect_left(
        range(gap_minutes + 1), True,
        key=lambda step: (before + timedelta(minutes=step)).astimezone(tz).utcoffset() == after_offset,
    )
    return (before + timedelta(minutes=jumped)).astimezone(tz)


def _openings(calendar: LineCalendar, first_day: date) -> Iterator[tuple[datetime, datetime]]:
    """Each opening from ``first_day`` on, as UTC instants [opens, closes), in time order.

    Holidays are skipped; an opening that lies wholly in a skipped hour is empty and left out.
    """
    if calendar.weekly.is_empty:
        return
    tz = calendar.timezone
    for offset in range(NEXT_OPENING_HORIZON_DAYS):
        day = first_day + timedelta(days=offset)
        if calendar.holiday_name(day):
            continue
        for interval in calendar.weekly.intervals_on(day.weekday()):
            opens = _utc(local_datetime(day, interval.opens_minute, tz))
            closes = _utc(local_datetime(day, interval.closes_minute, tz))
            if opens < closes:
                yield opens, closes


def _open_span(now: datetime, calendar: LineCalendar, day: date) -> tuple[bool, datetime | None]:
    """Whether the weekly schedule has the line open at UTC ``now`` (holidays aside), and until
    when: back-to-back and overlapping openings, across midnight too, run on as one."""
    end: datetime | None = None
    for opens, closes in _openings(calendar, day):
        if end is None:
            if closes <= now:
                continue
            if opens > now:
                return False, None
            end = closes
        elif opens <= end:
            end = max(end, closes)
        else:
            return True, end
    return end is not None, None


def _closure_at(moment: datetime, closures: Sequence[ClosurePeriod]) -> ClosurePeriod | None:
    for closure in closures:
        if closure.covers(moment):
            return closure
    return None


def line_status(now: datetime, calendar: LineCalendar) -> LineStatus:
    """Whether the line is open at ``now``, why, and when it next opens or closes."""
    _require_aware(now)
    tz = calendar.timezone
    instant = _utc(now)
    day = now.astimezone(tz).date()
    holiday = calendar.holiday_name(day)
    closure = _closure_at(instant, calendar.closures)
    scheduled, closes_at = (False, None) if holiday else _open_span(instant, calendar, day)

    if holiday:
        reason = f"public holiday: {holiday}"
    elif closure:
        reason = f"closed: {closure.reason}"
    elif not scheduled:
        reason = "no office hours are set" if calendar.weekly.is_empty else "outside office hours"
    else:
        # A closure that starts before the opening ends closes the line earlier.
        for period in calendar.closures:
            starts = _utc(period.starts_at)
            if instant < starts and (closes_at is None or starts < closes_at):
                closes_at = starts
        return LineStatus(at=now, open=True, reason="open", next_open_at=None,
                          closes_at=closes_at.astimezone(tz) if closes_at else None)
    next_open = next_opening(now, calendar)
    return LineStatus(at=now, open=False, reason=reason, next_open_at=next_open, closes_at=None)


def is_open(now: datetime, calendar: LineCalendar) -> bool:
    return line_status(now, calendar).open


def next_opening(now: datetime, calendar: LineCalendar) -> datetime | None:
    """The first instant at or after ``now`` when the line is open, in the line's time zone."""
    _require_aware(now)
    tz = calendar.timezone
    instant = _utc(now)
    for opens, closes in _openings(calendar, now.astimezone(tz).date()):
        candidate = max(opens, instant)
        # Step past any closures that cover the candidate; closures may chain.
        while candidate < closes:
            closure = _closure_at(candidate, calendar.closures)
            if closure is None:
                return candidate.astimezone(tz)
            candidate = _utc(closure.ends_at)
        # The candidate may have run into a later day, whose holiday check we must not skip;
        # the openings of that day come next on their own.
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

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "a shift's start")
        _require_aware(self.ends_at, "a shift's end")

    def covers(self, moment: datetime) -> bool:
        return _utc(self.starts_at) <= _utc(moment) < _utc(self.ends_at)


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
    return (shift.priority, _utc(shift.starts_at), shift.staff_id)


_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_clock(text: str) -> int:
    """'09:30' -> 570. '24:00' is allowed as the end of a day."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time of day like 09:00")
    hours, minutes = int(match[1]), int(match[2])
    if not (0 <= minutes < 60 and (0 <= hours < 24 or (hours == 24 and minutes == 0))):
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 24:00")
    return hours * 60 + minutes
