"""Hand-built days for the metrics tests: the line's calendar and small row factories."""
from __future__ import annotations

from datetime import datetime, timezone
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from helpline.metrics.rows import CallbackRow, CallRow
from helpline.rota import LineCalendar, WeeklySchedule

HELSINKI = ZoneInfo("Europe/Helsinki")
_ids = count(1)


def at(text_value: str) -> datetime:
    """'2027-01-11 10:00' local Helsinki wall time as an aware UTC instant (fold 0)."""
    return datetime.fromisoformat(text_value).replace(tzinfo=HELSINKI).astimezone(timezone.utc)


def utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=timezone.utc)


def call(when: str | datetime, outcome: str = "answered", *, caller: str | None = "A", open_: bool | None = None,
         seconds: int | None = None, by: int | None = None) -> CallRow:
    started = at(when) if isinstance(when, str) else when
    local = started.astimezone(HELSINKI)
    if open_ is None:  # Mon-Fri 09-15, holidays aside: good enough for hand-built days
        open_ = local.weekday() < 5 and 9 <= local.hour < 15
    return CallRow(id=next(_ids), started_at=started, outcome=outcome, withheld=caller is None, line_open=open_,
                   caller_key=caller, conversation_seconds=seconds, answered_by=by)


def callback(created: str, *, ack: str | None = None, attempt: str | None = None, closed: str | None = None,
             outcome: str | None = None, topic: str | None = None, message: bool = True) -> CallbackRow:
    return CallbackRow(id=next(_ids), created_at=at(created), status="closed" if closed else "assigned",
                       has_message=message, acknowledged_at=at(ack) if ack else None,
                       first_attempt_at=at(attempt) if attempt else None, closed_at=at(closed) if closed else None,
                       outcome=outcome, topic=topic)


@pytest.fixture
def calendar() -> LineCalendar:
    """Monday to Friday 09:00-15:00 in Helsinki, closed on Finnish public holidays."""
    return LineCalendar(timezone=HELSINKI, weekly=WeeklySchedule.from_rows((day, 540, 900) for day in range(5)),
                        holiday_calendar="FI")
