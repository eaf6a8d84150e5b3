"""All figures for a period and for each ISO week in it: pure, from MetricRows.

Each row falls in a period by its anchor: a call (and its wrap-up) by when it started, a
callback request by when it was taken (contacts, response time) and by when it was closed
(outcomes, topics, referrals), a call back by when it was asked for, an event, SMS or feedback
question by its own time, a day's views of the map by that day's local midnight. Weeks are
local ISO weeks (Monday 00:00 in the line's time zone), clipped to the period.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from typing import Iterable
from zoneinfo import ZoneInfo

from helpline.metrics import figures as f
from helpline.metrics import map_figures
from helpline.metrics.response import (Deadlines, ResponseTarget, ResponseTimes, add_tallies, response_tally,
                                       summarise)
from helpline.metrics.rows import EventRow, MetricRows
from helpline.rota.rules import LineCalendar, local_datetime

@dataclass(frozen=True)
class Period:
    """[start, end) as aware instants, kept in UTC: Python subtracts two datetimes of one zone by
    their wall clocks, which is an hour off across a DST change."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            moment = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"a period needs aware instants, got {moment!r}")
            object.__setattr__(self, name, moment.astimezone(timezone.utc))
        if self.end <= self.start:
            raise ValueError("a period must end after it starts")

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


@dataclass(frozen=True)
class Figures:
    start: datetime
    end: datetime
    contacts: f.Contacts
    response: ResponseTimes
    conversations: f.Conversations
    outcomes: f.Outcomes
    topics: f.Topics
    heat_map: f.HeatMap
    staff_load: f.StaffLoad
    sms: f.SmsFigures
    satisfaction: f.Satisfaction
    pulse: tuple[f.PulseRound, ...]
    referrals: map_figures.Referrals
    map_views: map_figures.MapViews


@dataclass(frozen=True)
class Week:
    label: str  # ISO week, e.g. "2027-W02"
    figures: Figures


@dataclass(frozen=True)
class Metrics:
    timezone: str
    computed_at: datetime
    period: Figures
    weeks: tuple[Week, ...]


@dataclass
class _Bucket:
    calls: list = field(default_factory=list)
    created: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    events: list = field(default_factory=list)
    sms: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    pulse: list = field(default_factory=list)
    views: list = field(default_factory=list)
    conversations: list = field(default_factory=list)


# Each list of a bucket and the field of its rows that puts them in a period.
ANCHORS = (("calls", "calls", "started_at"), ("created", "callbacks", "created_at"),
           ("closed", "callbacks", "closed_at"), ("attempts", "attempts", "requested_at"),
           ("events", "events", "at"), ("sms", "sms", "created_at"), ("feedback", "feedback", "asked_at"),
           ("pulse", "pulse", "asked_at"), ("views", "map_views", "day_start"),
           ("conversations", "conversations", "created_at"))


def _split(rows: MetricRows, bounds: list[datetime]) -> list[_Bucket]:
    """Rows into the buckets [bounds[i], bounds[i+1]) by each list's anchor.

    Sorting by the anchor then cutting at the bounds is linear for rows that come sorted (the
    loader orders them), where putting each row in its week by hand costs a lookup per row.
    """
    buckets = [_Bucket() for _ in bounds[:-1]]
    for name, source, anchor in ANCHORS:
        key = attrgetter(anchor)
        ordered = sorted((row for row in getattr(rows, source) if key(row) is not None), key=key)
        cuts = [bisect_left(ordered, bound, key=key) for bound in bounds]
        for bucket, first, last in zip(buckets, cuts, cuts[1:]):
            setattr(bucket, name, ordered[first:last])
    return buckets


def compute(rows: MetricRows, period: Period, *, calendar: LineCalendar, now: datetime,
            target: ResponseTarget = ResponseTarget(), history: Iterable[EventRow] = ()) -> Metrics:
    """The figures of ``period`` and of each local ISO week in it.

    ``history``: holder events from before the period of callbacks escalated in it (so each
    escalation is put on whoever held the callback). ``now`` decides which waiting requests
    are already past their deadline.
    """
    tz = calendar.timezone
    weeks = week_starts(period, tz)
    buckets = _split(rows, [*weeks, period.end])
    whole = _Bucket(**{name: [row for bucket in buckets for row in getattr(bucket, name)]
                       for name, _, _ in ANCHORS})
    history = tuple(history)
    heat_maps = [f.heat_map(bucket.calls, tz) for bucket in buckets]

    deadlines = Deadlines(calendar, target)

    def figures_of(bucket: _Bucket, start: datetime, end: datetime, earlier: tuple[EventRow, ...],
                   heat: f.HeatMap, response: ResponseTimes) -> Figures:
        return Figures(
            start=start, end=end,
            contacts=f.contacts(bucket.calls, bucket.created),
            response=response,
            conversations=f.conversations(bucket.calls, bucket.attempts, bucket.conversations),
            outcomes=f.outcomes(bucket.calls, bucket.closed),
            topics=f.topics(bucket.closed, bucket.calls),
            heat_map=heat,
            staff_load=f.staff_load(bucket.events, bucket.calls, bucket.attempts, rows.staff, earlier),
            sms=f.sms(bucket.sms),
            satisfaction=f.satisfaction(bucket.feedback),
            pulse=f.pulse(bucket.pulse),
            referrals=map_figures.referrals(bucket.calls, bucket.closed, rows.services),
            map_views=map_figures.map_views(bucket.views, rows.services),
        )

    # Holder events by callback, from before the period and in it, for the escalations' holders.
    holder_events: dict[int, list[EventRow]] = {}
    for event in (*history, *whole.events):
        if event.kind in f.HOLDER_EVENTS or event.kind == "passed":
            holder_events.setdefault(event.callback_id, []).append(event)

    def history_of(bucket: _Bucket) -> tuple[EventRow, ...]:
        escalated = {event.callback_id for event in bucket.events if event.kind == "escalated"}
        return tuple(event for callback_id in escalated for event in holder_events.get(callback_id, ()))

    # Response times are tallied per week once; the period's tally is the weeks' added up.
    tallies = [response_tally(bucket.created, deadlines, now) for bucket in buckets]
    weekly = []
    bounds = [*weeks[1:], period.end]
    for bucket, week_start, week_end, heat, tally in zip(buckets, weeks, bounds, heat_maps, tallies):
        weekly.append(Week(week_label(week_start, tz),
                           figures_of(bucket, week_start, week_end, history_of(bucket), heat,
                                      summarise(tally, target))))
    return Metrics(timezone=tz.key, computed_at=now,
                   period=figures_of(whole, period.start, period.end, history_of(whole), f.add_heat_maps(heat_maps),
                                     summarise(add_tallies(tallies), target)),
                   weeks=tuple(weekly))


def week_label(week_start: datetime, tz: ZoneInfo) -> str:
    """The ISO week a week starts in, e.g. "2027-W02"."""
    year, number, _ = week_start.astimezone(tz).isocalendar()
    return f"{year}-W{number:02d}"


def week_starts(period: Period, tz: ZoneInfo) -> list[datetime]:
    """The period's start, then each local Monday 00:00 inside it (UTC), ascending."""
    first = period.start.astimezone(tz).date()
    monday = first - timedelta(days=first.weekday())
    starts = [period.start.astimezone(timezone.utc)]
    while True:
        monday += timedelta(days=7)
        moment = local_datetime(monday, 0, tz).astimezone(timezone.utc)
        if moment >= period.end:
            return starts
        starts.append(moment)
