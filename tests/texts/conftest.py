"""Times and weekly schedules for the texts' tests (also imported by tests/sms/test_texts.py)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from helpline.rota.rules import OpeningInterval, WeeklySchedule

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(text: str) -> datetime:
    """'2027-01-11 10:05' as an aware Helsinki instant."""
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def weekly(days: dict[int, list[tuple[int, int]]]) -> WeeklySchedule:
    """weekly({0: [(540, 900)]}): Monday 9-15, in minutes of the day."""
    return WeeklySchedule({day: tuple(OpeningInterval(*span) for span in spans) for day, spans in days.items()})


OFFICE = weekly({day: [(540, 900)] for day in range(5)})
