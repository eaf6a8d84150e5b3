"""Time to first response, and the target it is measured against. Pure: rows, a calendar, ``now``.

The target is either a number of hours after the request, or (the default) "the same working
day", defined on the line's calendar (helpline.rota.rules):

- a request taken while the line was open is due by the end of that local day's office hours
  (the latest closing time of the day's weekly intervals);
- a request taken while the line was closed (evening, weekend, holiday, closure) is due by the
  end of the office-hours day of the next opening (the next opening's local date, its latest
  closing time).

So a call at 16:30 on a Friday is due by Monday's closing time, one on Tuesday at 10:00 by
Tuesday's, one on Midsummer Eve by the closing time of the first working day after it.
"""
from __future__ import annotations

import math
import statistics
from bisect import bisect_right, insort
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Sequence

from helpline.metrics.rows import CallbackRow
from helpline.rota.rules import LineCalendar, line_status, local_datetime

_FOREVER = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class ResponseTarget:
    """``hours`` 0 means "the same working day"; otherwise within that many hours."""

    hours: int = 0

    def __post_init__(self) -> None:
        if self.hours < 0:
            raise ValueError("a response target cannot be negative hours")

    @property
    def label(self) -> str:
        return "the same working day" if self.hours == 0 else f"within {self.hours} h"


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or
    below it (no interpolation, so it is always a time that really happened)."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


class Deadlines:
    """When each request is due under a target. The answer is constant between openings and
    closings, so one rota lookup serves every request in the same stretch: a year of requests
    costs a few hundred lookups, not one each."""

    def __init__(self, calendar: LineCalendar, target: ResponseTarget) -> None:
        self.calendar = calendar
        self.target = target
        self._starts: list[datetime] = []
        self._segments: dict[datetime, tuple[datetime, datetime | None]] = {}
        self._last: tuple[datetime, datetime, datetime | None] | None = None

    def due_by(self, requested_at: datetime) -> datetime | None:
        """The deadline (UTC) of a request taken at ``requested_at``; None when the line has no
        office hours at all to measure "the same working day" against."""
        if self.target.hours:
            return requested_at.astimezone(timezone.utc) + timedelta(hours=self.target.hours)
        last = self._last
        if last is not None and last[0] <= requested_at < last[1]:
            return last[2]  # requests come mostly in time order: the same stretch as the last one
        index = bisect_right(self._starts, requested_at) - 1
        if index >= 0:
            start = self._starts[index]
            end, deadline = self._segments[start]
            if requested_at < end:
                self._last = (start, end, deadline)
                return deadline
        end, deadline = self._segment_from(requested_at.astimezone(timezone.utc))
        if requested_at not in self._segments:
            insort(self._starts, requested_at)
        self._segments[requested_at] = (end, deadline)
        self._last = (requested_at, end, deadline)
        return deadline

    def _segment_from(self, moment: datetime) -> tuple[datetime, datetime | None]:
        tz = self.calendar.timezone
        status = line_status(moment, self.calendar)
        if status.open:
            day = moment.astimezone(tz).date()
            next_midnight = local_datetime(day + timedelta(days=1), 0, tz).astimezone(timezone.utc)
            closes = status.closes_at.astimezone(timezone.utc) if status.closes_at else _FOREVER
            return min(closes, next_midnight), self._end_of_day(day)
        if status.next_open_at is None:
            return _FOREVER, None
        # Every moment until the next opening shares that opening, and so its deadline.
        opening = status.next_open_at.astimezone(timezone.utc)
        return opening, self._end_of_day(status.next_open_at.astimezone(tz).date())

    def _end_of_day(self, day: date) -> datetime | None:
        intervals = self.calendar.weekly.intervals_on(day.weekday())
        if not intervals:
            return None
        closes = max(interval.closes_minute for interval in intervals)
        return local_datetime(day, closes, self.calendar.timezone).astimezone(timezone.utc)


@dataclass(frozen=True)
class ResponseTimes:
    requests: int  # callback requests taken in the period
    responded: int  # ... that have had a first response (by now)
    waiting: int  # ... still without one
    median_seconds: float | None
    p90_seconds: float | None
    target: str
    measured: int  # responded, or still waiting past the deadline: those the target is judged on
    within_target: int
    share_within_target: float | None  # within_target / measured


@dataclass(frozen=True)
class ResponseTally:
    """What response_times counts, before the median: the tallies of consecutive periods add up
    (``add_tallies``) to the tally of them together, so a year's figures need not look at each
    request twice (once for its week, once for the year)."""

    seconds: tuple[float, ...] = ()  # from request to first response, of those responded to
    requests: int = 0
    measured: int = 0
    within: int = 0


def response_tally(callbacks: Iterable[CallbackRow], deadlines: Deadlines, now: datetime) -> ResponseTally:
    """From each request's creation to its first response (OK, CALL, or closing: see
    CallbackRow.first_response_at). Requests still waiting before their deadline are not
    judged yet; those past it count as missed."""
    seconds: list[float] = []
    requests = measured = within = 0
    due_by = deadlines.due_by
    for callback in callbacks:
        requests += 1
        created = callback.created_at
        responded_at = callback.first_response_at
        deadline = due_by(created)
        if responded_at is not None:
            seconds.append(max(0.0, (responded_at - created).total_seconds()))
        if deadline is None:
            continue
        if responded_at is not None:
            measured += 1
            within += responded_at <= deadline
        elif deadline <= now:
            measured += 1
    return ResponseTally(tuple(seconds), requests, measured, within)


def add_tallies(tallies: Iterable[ResponseTally]) -> ResponseTally:
    tallies = list(tallies)
    return ResponseTally(tuple(value for tally in tallies for value in tally.seconds),
                         sum(tally.requests for tally in tallies), sum(tally.measured for tally in tallies),
                         sum(tally.within for tally in tallies))


def summarise(tally: ResponseTally, target: ResponseTarget) -> ResponseTimes:
    seconds, measured, within = tally.seconds, tally.measured, tally.within
    return ResponseTimes(
        requests=tally.requests,
        responded=len(seconds),
        waiting=tally.requests - len(seconds),
        median_seconds=median(seconds),
        p90_seconds=percentile(seconds, 0.9),
        target=target.label,
        measured=measured,
        within_target=within,
        share_within_target=(within / measured) if measured else None,
    )


def response_times(callbacks: Iterable[CallbackRow], deadlines: Deadlines, now: datetime) -> ResponseTimes:
    """Time to first response of the requests taken in a period (see ``response_tally``)."""
    return summarise(response_tally(callbacks, deadlines, now), deadlines.target)
