"""helpline.rota.load against a real database: what it loads gives the same answers as the pure rules."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest import HELSINKI, helsinki
from helpline.rota.rules import ClosurePeriod, LineCalendar, OpeningInterval, WeeklySchedule, line_status
from helpline.rota.load import load_calendar, load_shifts_between, staff_on_duty, status_at

MONDAY_TO_FRIDAY = {weekday: [(9 * 60, 15 * 60)] for weekday in range(5)}


def pure_calendar(days, closures=(), holidays="FI") -> LineCalendar:
    weekly = WeeklySchedule({day: tuple(OpeningInterval(*span) for span in spans) for day, spans in days.items()})
    return LineCalendar(timezone=HELSINKI, weekly=weekly, holiday_calendar=holidays,
                        closures=tuple(ClosurePeriod(*closure) for closure in closures))


@pytest.mark.parametrize("moment", [
    helsinki("2027-01-11 08:59"), helsinki("2027-01-11 09:00"), helsinki("2027-01-11 10:00"),
    helsinki("2027-01-11 11:30"), helsinki("2027-01-11 12:00"), helsinki("2027-01-11 14:59"),
    helsinki("2027-01-11 15:00"), helsinki("2027-01-12 10:00"), helsinki("2027-01-13 10:00"),
    helsinki("2027-01-16 12:00"), helsinki("2027-01-06 10:00"),  # a Saturday; Epiphany
    datetime(2027, 1, 11, 9, 30, tzinfo=timezone.utc),
])
def test_the_line_status_read_from_the_database_matches_the_pure_rules(
    moment, office_hours, make_closure, session, line
):
    office_hours()
    closures = [
        (helsinki("2027-01-11 11:00"), helsinki("2027-01-11 12:00"), "staff training"),
        (helsinki("2027-01-12 13:00"), helsinki("2027-01-13 11:00"), "parish retreat"),
    ]
    for starts, ends, reason in closures:
        make_closure(starts, ends, reason)
    expected = line_status(moment, pure_calendar(MONDAY_TO_FRIDAY, closures))
    assert status_at(session, line.settings, moment) == expected


def test_a_caller_during_a_closure_hears_its_reason_and_when_the_line_reopens(
    office_hours, make_closure, session, line, clock
):
    office_hours()
    make_closure(helsinki("2027-01-11 09:30"), helsinki("2027-01-11 11:00"), "staff meeting")
    status = status_at(session, line.settings, clock.now())
    assert (status.open, status.reason) == (False, "closed: staff meeting")
    assert status.next_open_at == helsinki("2027-01-11 11:00")


def test_a_closure_later_today_shortens_the_opening(office_hours, make_closure, session, line, clock):
    office_hours()
    make_closure(helsinki("2027-01-11 13:00"), helsinki("2027-01-12 00:00"), "concert")
    status = status_at(session, line.settings, clock.now())
    assert status.open
    assert status.closes_at == helsinki("2027-01-11 13:00")


def test_back_to_back_office_hours_in_the_database_are_one_opening(office_hours, session, line, clock):
    office_hours({0: [(9 * 60, 12 * 60), (12 * 60, 15 * 60)]})
    assert status_at(session, line.settings, clock.now()).closes_at == helsinki("2027-01-11 15:00")


def test_a_holiday_closes_the_line_unless_the_holiday_calendar_is_empty(office_hours, session, line):
    office_hours()
    epiphany = helsinki("2027-01-06 10:00")
    status = status_at(session, line.settings, epiphany)
    assert (status.open, status.reason) == (False, "public holiday: Epiphany")
    assert status_at(session, line.settings.with_overrides(holiday_calendar=""), epiphany).open


def test_without_office_hours_in_the_database_the_line_is_never_open(session, line, clock):
    status = status_at(session, line.settings, clock.now())
    assert (status.open, status.reason, status.next_open_at) == (False, "no office hours are set", None)


def test_the_calendar_keeps_future_closures_and_drops_long_past_ones(make_closure, session, line, clock):
    make_closure(helsinki("2027-01-01 09:00"), helsinki("2027-01-02 09:00"), "new year")
    make_closure(helsinki("2027-02-01 09:00"), helsinki("2027-02-02 09:00"), "february")
    calendar = load_calendar(session, line.settings, clock.now())
    assert [closure.reason for closure in calendar.closures] == ["february"]
    assert calendar.closures[0].starts_at == helsinki("2027-02-01 09:00")


# --- who is on duty --------------------------------------------------------------------------

NOW = helsinki("2027-01-11 10:00")


@pytest.mark.parametrize(("starts", "ends", "on"), [
    (NOW - timedelta(hours=2), NOW, False),  # ended exactly now
    (NOW, NOW + timedelta(hours=2), True),  # starts exactly now
    (NOW + timedelta(microseconds=1), NOW + timedelta(hours=2), False),
    (NOW - timedelta(hours=2), NOW + timedelta(microseconds=1), True),
    (NOW - timedelta(microseconds=1), NOW + timedelta(microseconds=1), True),
    (NOW - timedelta(days=1), NOW - timedelta(hours=1), False),
])
def test_a_shift_touching_now_counts_from_its_start_up_to_but_not_including_its_end(
    starts, ends, on, make_staff, make_shift, session
):
    aino = make_staff("Aino")
    make_shift(aino, starts, ends)
    assert [duty.staff_name for duty in staff_on_duty(session, NOW)] == (["Aino"] if on else [])


def test_staff_on_duty_come_in_ringing_order_and_inactive_staff_are_left_out(make_staff, make_shift, session):
    aino, bertil, cecilia, dan = (make_staff(name) for name in ("Aino", "Bertil", "Cecilia", "Dan"))
    inactive = make_staff("Eero", active=False)
    day = (helsinki("2027-01-11 08:00"), helsinki("2027-01-11 16:00"))
    make_shift(cecilia, *day, priority=2)
    make_shift(bertil, helsinki("2027-01-11 09:00"), day[1], priority=1)
    make_shift(aino, *day, priority=1)
    make_shift(dan, *day, priority=5)
    make_shift(dan, helsinki("2027-01-11 09:30"), helsinki("2027-01-11 10:30"), priority=0)
    make_shift(inactive, *day, priority=0)
    duty = staff_on_duty(session, NOW)
    assert [(d.staff_name, d.priority) for d in duty] == [("Dan", 0), ("Aino", 1), ("Bertil", 1), ("Cecilia", 2)]
    assert all(d.starts_at.tzinfo is not None for d in duty)


@pytest.mark.parametrize(("moment", "on"), [
    (datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI, fold=0), True),
    (datetime(2027, 10, 31, 3, 30, tzinfo=HELSINKI, fold=1), True),
    (helsinki("2027-10-31 05:59"), True),
    (helsinki("2027-10-31 06:00"), False),
])
def test_a_night_shift_stored_in_the_database_covers_both_passes_of_the_repeated_hour(
    moment, on, make_staff, make_shift, session
):
    make_shift(make_staff("Night owl"), helsinki("2027-10-30 22:00"), helsinki("2027-10-31 06:00"))
    assert [duty.staff_name for duty in staff_on_duty(session, moment)] == (["Night owl"] if on else [])


def test_shifts_between_two_instants_are_those_that_overlap_them(make_staff, make_shift, session):
    aino = make_staff("Aino")
    make_shift(aino, helsinki("2027-01-11 06:00"), helsinki("2027-01-11 09:00"))  # ends at the window
    make_shift(aino, helsinki("2027-01-11 08:00"), helsinki("2027-01-11 10:00"))
    make_shift(aino, helsinki("2027-01-11 14:00"), helsinki("2027-01-11 18:00"))
    make_shift(aino, helsinki("2027-01-11 15:00"), helsinki("2027-01-11 18:00"))  # starts at its end
    shifts = load_shifts_between(session, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    assert [(s.starts_at, s.ends_at) for s in shifts] == [
        (helsinki("2027-01-11 08:00"), helsinki("2027-01-11 10:00")),
        (helsinki("2027-01-11 14:00"), helsinki("2027-01-11 18:00")),
    ]
