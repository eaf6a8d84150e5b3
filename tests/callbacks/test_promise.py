"""What a caller is promised about when the call back comes: within real opening hours,
across holidays, DST and closures."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from helpline.callbacks.promise import CallbackPromise, PromiseKind, callback_promise
from helpline.rota.rules import ClosurePeriod, LineCalendar, NaiveTimeError, OpeningInterval, WeeklySchedule

HELSINKI = ZoneInfo("Europe/Helsinki")
OFFICE = LineCalendar(HELSINKI, WeeklySchedule({day: (OpeningInterval(540, 900),) for day in range(5)}), "FI")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)

SPLIT_DAY = LineCalendar(HELSINKI, WeeklySchedule({day: (OpeningInterval(540, 720), OpeningInterval(780, 900))
                                                   for day in range(5)}), "FI")
SUMMER_BREAK = LineCalendar(HELSINKI, OFFICE.weekly, "FI",
                            (ClosurePeriod(at("2027-07-01 00:00"), at("2027-08-01 00:00"), "summer break"),))


@pytest.mark.parametrize(
    ("calendar", "now", "kind", "opens", "closes"),
    [
        (OFFICE, "2027-01-11 10:00", PromiseKind.TODAY, "2027-01-11 10:00", "2027-01-11 15:00"),
        (OFFICE, "2027-01-11 14:29", PromiseKind.TODAY, "2027-01-11 14:29", "2027-01-11 15:00"),
        (OFFICE, "2027-01-11 14:45", PromiseKind.TOMORROW, "2027-01-12 09:00", "2027-01-12 15:00"),
        (OFFICE, "2027-01-11 07:00", PromiseKind.TODAY, "2027-01-11 09:00", "2027-01-11 15:00"),
        (OFFICE, "2027-01-11 22:00", PromiseKind.TOMORROW, "2027-01-12 09:00", "2027-01-12 15:00"),
        (OFFICE, "2027-01-15 16:00", PromiseKind.WEEKDAY, "2027-01-18 09:00", "2027-01-18 15:00"),
        (OFFICE, "2027-01-16 12:00", PromiseKind.WEEKDAY, "2027-01-18 09:00", "2027-01-18 15:00"),
        (OFFICE, "2027-01-17 12:00", PromiseKind.TOMORROW, "2027-01-18 09:00", "2027-01-18 15:00"),
        (OFFICE, "2026-12-23 16:00", PromiseKind.WEEKDAY, "2026-12-28 09:00", "2026-12-28 15:00"),
        (OFFICE, "2027-03-25 16:00", PromiseKind.WEEKDAY, "2027-03-30 09:00", "2027-03-30 15:00"),
        (SPLIT_DAY, "2027-01-11 12:30", PromiseKind.TODAY, "2027-01-11 13:00", "2027-01-11 15:00"),
        (SPLIT_DAY, "2027-01-11 11:45", PromiseKind.TODAY, "2027-01-11 13:00", "2027-01-11 15:00"),
        (SPLIT_DAY, "2027-01-11 10:00", PromiseKind.TODAY, "2027-01-11 10:00", "2027-01-11 12:00"),
        (SUMMER_BREAK, "2027-06-30 16:00", PromiseKind.DATE, "2027-08-02 09:00", "2027-08-02 15:00"),
    ],
)
def test_a_caller_is_promised_a_call_back_within_real_opening_hours(calendar, now, kind, opens, closes):
    promise = callback_promise(at(now), calendar)
    assert promise == CallbackPromise(kind, at(opens), at(closes))
    assert promise.opens_at.utcoffset() == at(opens).utcoffset()


def test_a_line_without_office_hours_promises_a_call_back_as_soon_as_it_can():
    no_hours = LineCalendar(HELSINKI, WeeklySchedule({}), "FI")
    assert callback_promise(at("2027-01-11 10:00"), no_hours).kind is PromiseKind.ASAP


def test_a_promise_needs_an_aware_now():
    with pytest.raises(NaiveTimeError):
        callback_promise(datetime(2027, 1, 11, 10, 0), OFFICE)
