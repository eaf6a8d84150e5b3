"""Figures of callers at the same time (pure): time in the wait queue (median, 90th percentile),
callers who hung up while waiting, and the share of callers who reached a person within 60 s.

Rows come from :mod:`helpline.metrics.queue_load`; these functions only count. Kept apart from
``figures.py`` so that the queue's figures change in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from helpline.metrics.response import median, percentile

REACHED_WITHIN_SECONDS = 60
HUNG_UP = "hangup"


@dataclass(frozen=True)
class QueueRow:
    """One call made while the line was open."""

    started_at: datetime
    answered_at: datetime | None  # a person took the call (live, or from the queue)
    queue_seconds: int | None  # seconds in the queue; None when the caller never waited
    queue_result: str | None  # bridged, left, timed_out, hangup


@dataclass(frozen=True)
class QueueFigures:
    calls: int  # calls while the line was open
    queued: int  # of them, callers who waited in the queue
    wait_median_seconds: float | None
    wait_p90_seconds: float | None
    hung_up_waiting: int
    reached_within_60s: int
    share_reached_within_60s: float | None  # of the calls while the line was open


def queue_figures(rows: Iterable[QueueRow]) -> QueueFigures:
    rows = list(rows)
    waits = sorted(float(row.queue_seconds) for row in rows if row.queue_seconds is not None)
    reached = sum(1 for row in rows if row.answered_at is not None
                  and (row.answered_at - row.started_at).total_seconds() <= REACHED_WITHIN_SECONDS)
    return QueueFigures(
        calls=len(rows), queued=len(waits), wait_median_seconds=median(waits), wait_p90_seconds=percentile(waits, 0.9),
        hung_up_waiting=sum(1 for row in rows if row.queue_result == HUNG_UP), reached_within_60s=reached,
        share_reached_within_60s=reached / len(rows) if rows else None)


@dataclass(frozen=True)
class LiveLine:
    """The line right now, for the Today page."""

    on_calls: list[tuple[str, str]]  # (staff name, "talking" / "ringing" / "calling back"), by name
    waiting: int
    longest_wait_seconds: int | None


def longest_wait(queued_since: Iterable[datetime], now: datetime) -> int | None:
    oldest = min(queued_since, default=None)
    return None if oldest is None else max(int((now - oldest).total_seconds()), 0)
