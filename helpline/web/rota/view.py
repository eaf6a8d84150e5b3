"""The Rota page's week, as plain data: one timeline per local day, each shift a block on a grid.

A day is 96 quarter-hour columns (grid lines 1 to 97) by its wall clock, so the CSS places a
block with classes alone (the pages' Content-Security-Policy allows no inline styles). A shift
that crosses midnight shows on both days, marked as continuing. The office hours are a band
behind the blocks, and any part of them with nobody on the rota is marked as a gap.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from helpline.models import Shift
from helpline.rota.rules import MINUTES_PER_DAY, LineCalendar, local_datetime

SLOT_MINUTES = 15
SLOTS = MINUTES_PER_DAY // SLOT_MINUTES


@dataclass(frozen=True)
class Block:
    """The part of one shift that falls on one day."""

    shift_id: int
    staff_id: int
    staff_name: str
    priority: int
    starts_at: datetime  # the whole shift, UTC
    ends_at: datetime
    start_minute: int    # this day's part, local wall-clock minutes 0..1440
    end_minute: int
    continues_before: bool = False  # began the day before
    continues_after: bool = False   # goes on into the next day
    mine: bool = False

    @property
    def column_start(self) -> int:
        return self.start_minute // SLOT_MINUTES + 1

    @property
    def column_end(self) -> int:
        return max(self.column_start + 1, -(-self.end_minute // SLOT_MINUTES) + 1)

    def grid_classes(self) -> str:
        return f"cs-{self.column_start} ce-{self.column_end}"


@dataclass(frozen=True)
class Band:
    """Part of the office hours: ``covered`` when someone is on the rota for all of it."""

    start_minute: int
    end_minute: int
    covered: bool

    def grid_classes(self) -> str:
        start = self.start_minute // SLOT_MINUTES + 1
        return f"cs-{start} ce-{max(start + 1, -(-self.end_minute // SLOT_MINUTES) + 1)}"


@dataclass
class DayView:
    day: date
    is_today: bool
    holiday: str | None = None
    closures: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)

    @property
    def gaps(self) -> list[Band]:
        return [band for band in self.bands if not band.covered]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return _utc(local_datetime(monday, 0, tz)), _utc(local_datetime(monday + timedelta(days=7), 0, tz))


def build_week(monday: date, shifts: Iterable[Shift], calendar: LineCalendar, now: datetime, *,
               me: int | None = None) -> list[DayView]:
    """Seven days from ``monday``: each shift's part of each day, the office hours and their gaps."""
    tz = calendar.timezone
    shifts = list(shifts)
    today = now.astimezone(tz).date()
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        day_start, day_end = _utc(local_datetime(day, 0, tz)), _utc(local_datetime(day, MINUTES_PER_DAY, tz))
        view = DayView(day, is_today=day == today, holiday=calendar.holiday_name(day))
        view.closures = [closure.reason for closure in calendar.closures
                         if closure.starts_at < day_end and closure.ends_at > day_start]
        for shift in shifts:
            if shift.starts_at < day_end and shift.ends_at > day_start:
                start = 0 if shift.starts_at <= day_start else _minute(shift.starts_at.astimezone(tz))
                end = MINUTES_PER_DAY if shift.ends_at >= day_end else _minute(shift.ends_at.astimezone(tz))
                view.blocks.append(Block(shift.id, shift.staff_id, shift.staff.name, shift.priority,
                                         shift.starts_at, shift.ends_at, start, end,
                                         continues_before=shift.starts_at < day_start,
                                         continues_after=shift.ends_at > day_end, mine=shift.staff_id == me))
        view.blocks.sort(key=lambda block: (block.start_minute, block.priority, block.shift_id))
        if view.holiday is None:
            view.bands = _bands(calendar, day, view.blocks, day_start, day_end)
        days.append(view)
    return days


def _bands(calendar: LineCalendar, day: date, blocks: list[Block], day_start: datetime,
           day_end: datetime) -> list[Band]:
    """The day's office hours split where the rota's cover starts or stops (closed spans left out)."""
    covered = [(block.start_minute, block.end_minute) for block in blocks]
    edges = {minute for span in covered for minute in span}
    for closure in calendar.closures:
        if closure.starts_at < day_end and closure.ends_at > day_start:
            edges.add(0 if closure.starts_at <= day_start else _minute(closure.starts_at.astimezone(calendar.timezone)))
            edges.add(MINUTES_PER_DAY if closure.ends_at >= day_end
                      else _minute(closure.ends_at.astimezone(calendar.timezone)))
    bands: list[Band] = []
    for interval in calendar.weekly.intervals_on(day.weekday()):
        cuts = {interval.opens_minute, interval.closes_minute}
        cuts |= {minute for minute in edges if interval.opens_minute < minute < interval.closes_minute}
        points = sorted(cuts)
        for start, end in zip(points, points[1:]):
            if _closed(calendar, day, start, end):
                continue
            is_covered = any(s <= start and end <= e for s, e in covered)
            if bands and bands[-1].end_minute == start and bands[-1].covered == is_covered:
                bands[-1] = Band(bands[-1].start_minute, end, is_covered)
            else:
                bands.append(Band(start, end, is_covered))
    return bands


def _closed(calendar: LineCalendar, day: date, start: int, end: int) -> bool:
    """A closure covers all of [start, end) of ``day`` (minutes)."""
    tz = calendar.timezone
    starts, ends = local_datetime(day, start, tz), local_datetime(day, end, tz)
    return any(closure.starts_at <= starts and ends <= closure.ends_at for closure in calendar.closures)


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
