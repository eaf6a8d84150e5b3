"""What a caller who leaves a callback request is told about when to expect the call (pure).

"Today before 15:00" while the line is open (or opens later today), otherwise "tomorrow after
9:00", "on Monday after 9:00" within the coming week, or a date further away; the words in each
language are ``helpline.texts``'s, put together by ``helpline.sms.texts.promise_text``. Kept apart
from ``callback_rules`` because it changes for a different reason: what we dare to promise a
caller, not how the queue works.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from helpline.rota.rules import LineCalendar, NaiveTimeError, line_status, next_opening

# A caller who leaves a request this close to closing time is promised the next opening instead.
DEFAULT_MIN_LEAD = timedelta(minutes=30)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


class PromiseKind(StrEnum):
    TODAY = "today"  # "today before 15:00"
    TOMORROW = "tomorrow"  # "tomorrow after 9:00"
    WEEKDAY = "weekday"  # "on Monday after 9:00" (2 to 6 days ahead)
    DATE = "date"  # "on 7.1. after 9:00" (a week or more ahead)
    ASAP = "asap"  # no opening hours to name: "as soon as we can"


@dataclass(frozen=True)
class CallbackPromise:
    """When the caller may expect the call back, in the line's time zone: between ``opens_at``
    and ``closes_at`` (TODAY is rendered as "before closes_at", the others "after opens_at")."""

    kind: PromiseKind
    opens_at: datetime | None = None
    closes_at: datetime | None = None


def callback_promise(now: datetime, calendar: LineCalendar,
                     min_lead: timedelta = DEFAULT_MIN_LEAD) -> CallbackPromise:
    """What to promise a caller who leaves a callback request at ``now``.

    While the line is open with at least ``min_lead`` left, "today before <closing time>"; a
    caller at 14:55 is not promised "before 15:00" but the next opening. Otherwise the next
    opening: later today (again "today before <its closing time>"), tomorrow, a weekday within
    the coming week, or a date further away.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveTimeError(f"now must be time-zone aware, got {now!r}")
    tz = calendar.timezone
    status = line_status(now, calendar)
    if status.open:
        if status.closes_at is None:  # open round the clock
            return CallbackPromise(PromiseKind.ASAP, now.astimezone(tz), None)
        if _utc(status.closes_at) - _utc(now) >= min_lead:
            return CallbackPromise(PromiseKind.TODAY, now.astimezone(tz), status.closes_at)
        start = next_opening(status.closes_at, calendar)
    else:
        start = status.next_open_at
    if start is None:
        return CallbackPromise(PromiseKind.ASAP)
    closes = line_status(start, calendar).closes_at
    days = (start.astimezone(tz).date() - now.astimezone(tz).date()).days
    kind = (PromiseKind.TODAY if days == 0 else PromiseKind.TOMORROW if days == 1
            else PromiseKind.WEEKDAY if days < 7 else PromiseKind.DATE)
    return CallbackPromise(kind, start.astimezone(tz), closes)
