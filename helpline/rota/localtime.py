"""Pure ISO 8601 parsing and formatting for the line's time zone.

People type local times; the database keeps instants. A local time without an offset means the
wall clock in the line's time zone, so the two DST Sundays need care: a wall time skipped by the
spring jump does not exist, and one repeated in the autumn happens twice. Both are refused with
words that say what to write instead, rather than silently guessed.

Instants come back in UTC: Python compares and subtracts two datetimes that share one tzinfo
by their wall clocks, which is wrong across a DST change, while UTC arithmetic is always right.
Answers are formatted back in the line's zone.

Every date and time that comes from outside (the API, the pages' query strings and forms) is
read here, and must fall in the years :data:`EARLIEST_YEAR` to :data:`LATEST_YEAR`. That is far
wider than any rota, closure or period of figures, and far enough from datetime's own ends
(years 1 and 9999) that the week, the next day or the year-long search for the next opening
computed from it never overflows: "0001-01-01T00:00" in Helsinki is before year 1 in UTC, and
the day after 9999-12-31 does not exist.

Nothing here reads the clock, Flask or the database.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from helpline.rota.rules import MINUTES_PER_DAY, local_datetime

_HHMM = re.compile(r"(\d\d):(\d\d)")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999


class TimeParseError(ValueError):
    """Text that is not a usable time; the message says what is wrong, in words."""


class NonexistentLocalTime(TimeParseError):
    """A wall-clock time that the spring DST jump skips."""


class AmbiguousLocalTime(TimeParseError):
    """A wall-clock time that the autumn DST change repeats."""


def parse_instant(text: object, tz: ZoneInfo) -> datetime:
    """ISO 8601 text -> an aware instant (in UTC).

    With an offset or ``Z`` the text names that instant; without one it is a wall-clock time in
    ``tz``. A date alone means its local midnight.
    """
    if not isinstance(text, str):
        raise TimeParseError(f"{text!r} is not a time: write it as text like 2027-01-11T09:00")
    raw = text.strip()
    if not raw:
        raise TimeParseError("a time is required, like 2027-01-11T09:00")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise TimeParseError(
            f"{raw!r} is not an ISO 8601 time like 2027-01-11T09:00 or 2027-01-11T09:00+02:00"
        ) from None
    check_year(parsed.date())
    if parsed.tzinfo is not None:
        return parsed.astimezone(timezone.utc)
    return localise(parsed, tz).astimezone(timezone.utc)


def check_year(day: date) -> date:
    """``day`` itself when it lies in the years the line works with; else TimeParseError."""
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise TimeParseError(
            f"{day.isoformat()} is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}; give a date in them"
        )
    return day


def localise(naive: datetime, tz: ZoneInfo) -> datetime:
    """The instant a wall-clock time in ``tz`` names (in ``tz``); refuses skipped and repeated times."""
    if naive.tzinfo is not None:
        raise ValueError("localise() takes a naive wall-clock time")
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    shown = _wall(naive)
    round_trip = first.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        # Inside the spring gap: the first real moment after it is where the clocks jumped to.
        jumped_to = local_datetime(naive.date(), naive.hour * 60 + naive.minute, tz)
        jumped_from = jumped_to.astimezone(timezone.utc) + (first.utcoffset() or timedelta(0))
        raise NonexistentLocalTime(
            f"{shown} does not exist in {tz.key}: the clocks go forward from "
            f"{jumped_from:%H:%M} to {jumped_to:%H:%M} that night; give a time outside the gap "
            f"or one with an offset"
        )
    raise AmbiguousLocalTime(
        f"{shown} happens twice in {tz.key} because the clocks go back that night; add an offset "
        f"to say which: {first.isoformat(timespec='minutes')} (the first) or "
        f"{second.isoformat(timespec='minutes')} (the second)"
    )


def _wall(naive: datetime) -> str:
    return naive.isoformat(timespec="seconds" if naive.second or naive.microsecond else "minutes")


def format_instant(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """An aware instant as ISO 8601 in ``tz`` with its offset, to the second; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"format_instant() needs an aware datetime, got {moment!r}")
    return moment.astimezone(tz).isoformat(timespec="seconds")


def parse_date(text: object) -> date:
    """'2027-01-07' -> a date (ISO 8601 calendar date, nothing else)."""
    if not isinstance(text, str) or not text.strip():
        raise TimeParseError(f"{text!r} is not a date: write it like 2027-01-07")
    raw = text.strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise TimeParseError(f"{raw!r} is not a date like 2027-01-07") from None
    return check_year(day)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A whole local day as [its midnight, the next midnight), in UTC."""
    return _utc(local_datetime(day, 0, tz)), _utc(local_datetime(day, MINUTES_PER_DAY, tz))


def week_bounds(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local week (Monday 00:00 to the next Monday 00:00) that contains ``moment``, in UTC."""
    local_day = moment.astimezone(tz).date()
    monday = local_day - timedelta(days=local_day.weekday())
    return _utc(local_datetime(monday, 0, tz)), _utc(local_datetime(monday + timedelta(days=7), 0, tz))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def parse_clock_time(text: object, *, end_of_day_allowed: bool = False) -> int:
    """'09:30' -> 570, strictly HH:MM. '24:00' (1440) only where an interval may end at midnight."""
    if not isinstance(text, str):
        raise TimeParseError(f"{text!r} is not a time of day: write it as text like \"09:00\"")
    match = _HHMM.fullmatch(text)
    if match is None:
        raise TimeParseError(f"{text!r} is not a time of day in HH:MM form, like 09:00")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes == 0:
        if end_of_day_allowed:
            return MINUTES_PER_DAY
        raise TimeParseError(f"{text!r} may only end an interval; write 00:00 for midnight at the start")
    if hours > 23 or minutes > 59:
        raise TimeParseError(f"{text!r} is not a time of day between 00:00 and 24:00")
    return hours * 60 + minutes
