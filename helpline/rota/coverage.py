"""Pure: the coming gaps in the rota, when the line is open and nobody is on duty to answer.

A gap is a stretch of office hours (the weekly schedule, less public holidays and closures, as
:mod:`helpline.rota.rules` decides them) that no active staff member's shift covers. A caller then
hears the voicemail prompt although the line is "open", so the Today page warns of each one.

Instants are compared in UTC (see rota.py); the office hours are wall-clock minutes turned into
instants day by day with :func:`helpline.rota.rules.local_datetime`, so on the DST Sundays an opening
is as long as the clock on the wall says, not 24 hours per day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from helpline.rota.rules import DutyShift, LineCalendar, local_datetime

Span = tuple[datetime, datetime]  # [start, end) in UTC


@dataclass(frozen=True)
class Gap:
    """Office hours with nobody on the rota, in the line's time zone."""

    starts_at: datetime
    ends_at: datetime

    @property
    def duration(self) -> timedelta:
        # In UTC: Python subtracts two datetimes of one zone by their wall clocks, DST or not.
        return _utc(self.ends_at) - _utc(self.starts_at)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"coverage needs time-zone aware datetimes, got {moment!r}")
    return moment.astimezone(timezone.utc)


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping and touching spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """``spans`` less every ``hole`` (both merged and sorted)."""
    result: list[Span] = []
    for start, end in spans:
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end <= cursor or hole_start >= end:
                continue
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def office_hours_between(calendar: LineCalendar, starts: datetime, ends: datetime) -> list[Span]:
    """When the line is open in [starts, ends), as merged UTC spans (holidays and closures left out)."""
    window = (_utc(starts), _utc(ends))
    tz = calendar.timezone
    first: date = starts.astimezone(tz).date() - timedelta(days=1)
    last: date = ends.astimezone(tz).date()
    openings: list[Span] = []
    day = first
    while day <= last:
        if not calendar.holiday_name(day):
            for interval in calendar.weekly.intervals_on(day.weekday()):
                opens = _utc(local_datetime(day, interval.opens_minute, tz))
                closes = _utc(local_datetime(day, interval.closes_minute, tz))
                opens, closes = max(opens, window[0]), min(closes, window[1])
                if opens < closes:
                    openings.append((opens, closes))
        day += timedelta(days=1)
    closures = _merge((_utc(c.starts_at), _utc(c.ends_at)) for c in calendar.closures)
    return _subtract(_merge(openings), closures)


def rota_gaps(calendar: LineCalendar, shifts: Iterable[DutyShift], starts: datetime, ends: datetime) -> list[Gap]:
    """Every stretch of office hours in [starts, ends) that no active staff member's shift covers."""
    covered = _merge((_utc(s.starts_at), _utc(s.ends_at)) for s in shifts if s.active)
    tz = calendar.timezone
    return [Gap(start.astimezone(tz), end.astimezone(tz))
            for start, end in _subtract(office_hours_between(calendar, starts, ends), covered)]


def coming_weeks(now: datetime, calendar: LineCalendar, weeks: int = 2) -> tuple[datetime, datetime]:
    """From ``now`` to the end of the ``weeks``-th week (Monday to Sunday), local midnight."""
    tz = calendar.timezone
    today = now.astimezone(tz).date()
    monday_after = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
    return now, local_datetime(monday_after, 0, tz)
