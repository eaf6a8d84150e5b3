"""The pure rules of helpline.rota.rules: when the line is open, why not, and when it next opens.

Office hours are Mon-Fri 09-15 in Europe/Helsinki with Finnish holidays unless a test says
otherwise. 2027 is used throughout: its DST Sundays are 28 March (03:00 -> 04:00; it is also
Easter Sunday, and the Monday after is Easter Monday) and 31 October (04:00 -> 03:00).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import HELSINKI, helsinki
from helpline.rota.rules import (
    ClosurePeriod,
    LineCalendar,
    NaiveTimeError,
    OpeningInterval,
    WeeklySchedule,
    format_minute,
    is_open,
    line_status,
    local_datetime,
    next_opening,
    parse_clock,
)

HOUR = timedelta(hours=1)


def utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).replace(tzinfo=timezone.utc)


def in_utc(moment: datetime | None) -> datetime | None:
    """Compare and step in UTC: an ambiguous Helsinki time is never == an instant in another
    zone (PEP 495), and Helsinki-aware arithmetic is wall-clock arithmetic."""
    return moment.astimezone(timezone.utc) if moment is not None else None


def hours(spec: dict[int, list[str]]) -> WeeklySchedule:
    """hours({0: ["09:00-15:00"]}) -> a weekly schedule (0 is Monday)."""
    return WeeklySchedule({
        weekday: tuple(OpeningInterval(*(parse_clock(part) for part in span.split("-"))) for span in spans)
        for weekday, spans in spec.items()
    })


OFFICE_HOURS = hours({weekday: ["09:00-15:00"] for weekday in range(5)})


def calendar(weekly: WeeklySchedule = OFFICE_HOURS, holidays: str = "FI",
             closures: tuple[ClosurePeriod, ...] = ()) -> LineCalendar:
    return LineCalendar(timezone=HELSINKI, weekly=weekly, holiday_calendar=holidays, closures=closures)


def closure(starts: str, ends: str, reason: str = "staff training") -> ClosurePeriod:
    return ClosurePeriod(helsinki(starts), helsinki(ends), reason)


# --- the DST Sundays -------------------------------------------------------------------------

@pytest.mark.parametrize(("saturday_evening", "holidays", "expected_utc", "offset_hours"), [
    # Easter Monday 29 March is a holiday: the first opening after the spring change is Tuesday.
    ("2027-03-27 18:00", "FI", "2027-03-30 06:00", 3),
    ("2027-03-27 18:00", "", "2027-03-29 06:00", 3),
    ("2027-10-30 18:00", "FI", "2027-11-01 07:00", 2),
    ("2027-10-30 18:00", "", "2027-11-01 07:00", 2),
])
def test_a_caller_on_saturday_evening_hears_the_next_nine_oclock_after_the_clocks_change(
    saturday_evening, holidays, expected_utc, offset_hours
):
    line = calendar(holidays=holidays)
    opening = next_opening(helsinki(saturday_evening), line)
    assert opening == utc(expected_utc)
    assert (opening.hour, opening.minute) == (9, 0)
    assert opening.utcoffset() == offset_hours * HOUR
    assert line_status(helsinki(saturday_evening), line).next_open_at == opening
    # The line is open from exactly that instant, and closed the minute before.
    assert is_open(opening, line)
    assert not is_open(opening - timedelta(minutes=1), line)


SUNDAY_SMALL_HOURS = hours({6: ["02:00-05:00"]})


@pytest.mark.parametrize(("moment", "expected_open", "closes_at"), [
    # 28 March: 02:00+02 is 00:00 UTC, 05:00+03 is 02:00 UTC; the opening lasts two real hours.
    (utc("2027-03-27 23:59"), False, None),
    (utc("2027-03-28 00:00"), True, utc("2027-03-28 02:00")),
    (utc("2027-03-28 00:59"), True, utc("2027-03-28 02:00")),  # 02:59 local, just before the jump
    (utc("2027-03-28 01:00"), True, utc("2027-03-28 02:00")),  # 04:00 local, just after it
    (utc("2027-03-28 02:00"), False, None),
    # 31 October: 02:00+03 is 23:00 UTC the day before, 05:00+02 is 03:00 UTC; four real hours,
    # open through both passes of the repeated hour.
    (utc("2027-10-30 22:59"), False, None),
    (utc("2027-10-30 23:00"), True, utc("2027-10-31 03:00")),
    (utc("2027-10-31 00:30"), True, utc("2027-10-31 03:00")),  # 03:30 the first time
    (utc("2027-10-31 01:30"), True, utc("2027-10-31 03:00")),  # 03:30 the second time
    (utc("2027-10-31 03:00"), False, None),
])
def test_a_sunday_night_opening_spanning_the_clock_change_lasts_its_real_length(moment, expected_open, closes_at):
    status = line_status(moment, calendar(SUNDAY_SMALL_HOURS, holidays=""))
    assert status.open is expected_open
    assert in_utc(status.closes_at) == closes_at


def test_the_sunday_night_opening_is_closed_on_easter_sunday_when_finnish_holidays_apply():
    status = line_status(utc("2027-03-28 01:00"), calendar(SUNDAY_SMALL_HOURS))
    assert not status.open
    assert status.reason == "public holiday: Easter Sunday"


@pytest.mark.parametrize(("saturday_evening", "expected_utc"), [
    (helsinki("2027-03-27 20:00"), utc("2027-03-28 00:00")),
    (helsinki("2027-10-30 20:00"), utc("2027-10-30 23:00")),
])
def test_next_opening_from_saturday_evening_finds_the_sunday_night_opening(saturday_evening, expected_utc):
    assert in_utc(next_opening(saturday_evening, calendar(SUNDAY_SMALL_HOURS, holidays=""))) == expected_utc


@pytest.mark.parametrize(("spans", "opens_utc"), [
    # Opening inside the skipped hour: the line opens when the clocks reach 04:00.
    (["03:30-05:00"], utc("2027-03-28 01:00")),
    (["03:10-05:00"], utc("2027-03-28 01:00")),
    (["03:59-05:00"], utc("2027-03-28 01:00")),
])
def test_an_opening_time_that_the_spring_change_skips_opens_at_exactly_four(spans, opens_utc):
    line = calendar(hours({6: spans}), holidays="")
    assert in_utc(next_opening(helsinki("2027-03-27 20:00"), line)) == opens_utc
    assert is_open(opens_utc, line)
    assert not is_open(opens_utc - timedelta(seconds=1), line)


def test_an_opening_that_lies_wholly_inside_the_skipped_hour_never_opens_that_day():
    line = calendar(hours({6: ["03:15-03:45"]}), holidays="")
    assert next_opening(helsinki("2027-03-27 20:00"), line) == helsinki("2027-04-04 03:15")


def test_an_opening_that_ends_in_the_repeated_hour_closes_the_first_time_the_clock_reaches_its_end():
    line = calendar(hours({6: ["02:00-03:30"]}), holidays="")
    first_0315 = utc("2027-10-31 00:15")
    second_0315 = utc("2027-10-31 01:15")
    assert in_utc(line_status(first_0315, line).closes_at) == utc("2027-10-31 00:30")
    # The same instants written as Helsinki wall times: fold=1 is the second pass.
    assert is_open(datetime(2027, 10, 31, 3, 15, tzinfo=HELSINKI, fold=0), line)
    for second_pass in (second_0315, datetime(2027, 10, 31, 3, 15, tzinfo=HELSINKI, fold=1)):
        status = line_status(second_pass, line)
        assert not status.open
        assert status.next_open_at == helsinki("2027-11-07 02:00")


@pytest.mark.parametrize("spans", [
    ["02:00-05:00"], ["02:00-03:30"], ["03:30-05:00"], ["03:15-03:45"], ["00:00-24:00"], ["03:00-04:00"],
])
@pytest.mark.parametrize("night_start", [utc("2027-03-27 20:00"), utc("2027-10-30 20:00")])
def test_status_next_opening_and_closing_agree_minute_by_minute_through_each_dst_night(spans, night_start):
    line = calendar(hours({6: spans}), holidays="")
    for step in range(0, 12 * 60, 5):
        now = night_start + timedelta(minutes=step)
        status = line_status(now, line)
        closes_at, next_open_at = in_utc(status.closes_at), in_utc(status.next_open_at)
        if status.open:
            assert in_utc(next_opening(now, line)) == now
            if closes_at is not None:
                assert closes_at > now
                assert not is_open(closes_at, line)
                assert is_open(closes_at - timedelta(seconds=1), line)
        else:
            assert next_open_at is not None and next_open_at > now
            assert in_utc(next_opening(now, line)) == next_open_at
            assert is_open(next_open_at, line)
            assert not is_open(next_open_at - timedelta(seconds=1), line)


@pytest.mark.parametrize(("day", "minute", "expected_utc", "offset_hours"), [
    (date(2027, 3, 28), 2 * 60 + 59, utc("2027-03-28 00:59"), 2),
    # Wall-clock times skipped by the spring change become the first real moment after the gap.
    (date(2027, 3, 28), 3 * 60, utc("2027-03-28 01:00"), 3),
    (date(2027, 3, 28), 3 * 60 + 10, utc("2027-03-28 01:00"), 3),
    (date(2027, 3, 28), 3 * 60 + 30, utc("2027-03-28 01:00"), 3),
    (date(2027, 3, 28), 3 * 60 + 59, utc("2027-03-28 01:00"), 3),
    (date(2027, 3, 28), 4 * 60, utc("2027-03-28 01:00"), 3),
    # A repeated wall-clock time takes its first occurrence.
    (date(2027, 10, 31), 3 * 60, utc("2027-10-31 00:00"), 3),
    (date(2027, 10, 31), 3 * 60 + 30, utc("2027-10-31 00:30"), 3),
    (date(2027, 10, 31), 4 * 60, utc("2027-10-31 02:00"), 2),
    # 24:00 is the next midnight.
    (date(2027, 10, 30), 24 * 60, utc("2027-10-30 21:00"), 3),
    (date(2027, 10, 31), 24 * 60, utc("2027-10-31 22:00"), 2),
])
def test_local_datetime_places_a_wall_clock_minute_on_the_right_instant(day, minute, expected_utc, offset_hours):
    moment = local_datetime(day, minute, HELSINKI)
    assert in_utc(moment) == expected_utc
    assert moment.utcoffset() == offset_hours * HOUR
    assert moment.second == 0 and moment.microsecond == 0


# --- holidays --------------------------------------------------------------------------------

@pytest.mark.parametrize(("holiday", "name", "next_open"), [
    ("2027-01-06", "Epiphany", "2027-01-07 09:00"),
    ("2027-03-26", "Good Friday", "2027-03-30 09:00"),  # then Easter Sunday and Easter Monday
    ("2027-05-06", "Ascension Day", "2027-05-07 09:00"),
    ("2027-06-25", "Midsummer Eve", "2027-06-28 09:00"),
    # Finland keeps All Saints' Day on the Saturday between 31 October and 6 November.
    ("2027-11-06", "All Saints' Day", "2027-11-08 09:00"),
    ("2027-12-06", "Independence Day", "2027-12-07 09:00"),
    ("2027-12-24", "Christmas Eve", "2027-12-27 09:00"),  # then Christmas Day, Boxing Day
])
def test_a_caller_on_a_finnish_holiday_hears_it_named_and_the_next_working_day(holiday, name, next_open):
    now = helsinki(f"{holiday} 10:00")
    status = line_status(now, calendar())
    assert not status.open
    assert status.reason == f"public holiday: {name}"
    assert status.next_open_at == helsinki(next_open)
    assert next_opening(now, calendar()) == helsinki(next_open)


def test_all_saints_day_2027_falls_on_saturday_not_on_the_first_of_november():
    line = calendar()
    assert line.holiday_name(date(2027, 11, 6)) == "All Saints' Day"
    assert line.holiday_name(date(2027, 11, 1)) is None
    assert is_open(helsinki("2027-11-01 10:00"), line)


@pytest.mark.parametrize("day", ["2027-01-06", "2027-05-06", "2027-12-06", "2027-12-24"])
def test_without_a_holiday_calendar_the_line_opens_on_weekday_holidays(day):
    line = calendar(holidays="")
    assert line.holiday_name(date.fromisoformat(day)) is None
    status = line_status(helsinki(f"{day} 10:00"), line)
    assert status.open and status.reason == "open"


# --- closures --------------------------------------------------------------------------------

MONDAY = "2027-01-11"


@pytest.mark.parametrize(("closures", "time_of_day", "expected_open", "reason", "next_open", "closes_at"), [
    # A closure inside the day closes the line for exactly its span.
    ([("11:00", "12:00")], "10:59", True, "open", None, "11:00"),
    ([("11:00", "12:00")], "11:00", False, "closed: staff training", "12:00", None),
    ([("11:00", "12:00")], "11:59", False, "closed: staff training", "12:00", None),
    ([("11:00", "12:00")], "12:00", True, "open", None, "15:00"),
    # Adjacent and overlapping closures chain.
    ([("11:00", "12:00"), ("12:00", "13:00")], "11:30", False, "closed: staff training", "13:00", None),
    ([("11:00", "12:30"), ("12:00", "13:30")], "11:30", False, "closed: staff training", "13:30", None),
    ([("12:00", "13:00"), ("11:00", "12:00")], "11:30", False, "closed: staff training", "13:00", None),
    # Starting before the office opens, the closure delays the opening.
    ([("08:00", "10:00")], "07:00", False, "outside office hours", "10:00", None),
    # The earliest closure later today ends the opening early.
    ([("14:00", "14:30"), ("13:00", "13:30")], "10:00", True, "open", None, "13:00"),
])
def test_a_closure_closes_the_line_for_its_span_and_callers_hear_when_it_reopens(
    closures, time_of_day, expected_open, reason, next_open, closes_at
):
    periods = tuple(closure(f"{MONDAY} {start}", f"{MONDAY} {end}") for start, end in closures)
    status = line_status(helsinki(f"{MONDAY} {time_of_day}"), calendar(closures=periods))
    assert status.open is expected_open
    assert status.reason == reason
    assert status.next_open_at == (helsinki(f"{MONDAY} {next_open}") if next_open else None)
    assert status.closes_at == (helsinki(f"{MONDAY} {closes_at}") if closes_at else None)


@pytest.mark.parametrize(("starts", "ends", "now", "next_open"), [
    # Covering the rest of the day: open again tomorrow morning.
    ("2027-01-11 13:00", "2027-01-12 00:00", "2027-01-11 13:30", "2027-01-12 09:00"),
    # Several days: open again when it ends, mid-morning.
    ("2027-01-11 10:00", "2027-01-13 12:00", "2027-01-11 10:30", "2027-01-13 12:00"),
    # Ending after Friday's hours: Monday.
    ("2027-01-15 09:00", "2027-01-15 18:00", "2027-01-15 09:30", "2027-01-18 09:00"),
    # Ending on a holiday (Epiphany, Wednesday): the day after.
    ("2027-01-05 00:00", "2027-01-06 12:00", "2027-01-05 10:00", "2027-01-07 09:00"),
])
def test_next_opening_jumps_past_closures(starts, ends, now, next_open):
    line = calendar(closures=(closure(starts, ends),))
    assert not is_open(helsinki(now), line)
    assert next_opening(helsinki(now), line) == helsinki(next_open)


def test_a_closure_reason_is_what_the_supervisor_wrote():
    line = calendar(closures=(closure("2027-01-11 00:00", "2027-01-12 00:00", "parish retreat"),))
    assert line_status(helsinki("2027-01-11 10:00"), line).reason == "closed: parish retreat"


@pytest.mark.parametrize(("starts", "ends"), [
    (datetime(2027, 1, 11, 11), helsinki("2027-01-11 12:00")),
    (helsinki("2027-01-11 11:00"), datetime(2027, 1, 11, 12)),
])
def test_a_closure_with_a_naive_time_is_refused(starts, ends):
    with pytest.raises(NaiveTimeError):
        ClosurePeriod(starts, ends, "x")


@pytest.mark.parametrize("ends", ["2027-01-11 11:00", "2027-01-11 10:00"])
def test_a_closure_that_does_not_end_after_it_starts_is_refused(ends):
    with pytest.raises(ValueError, match="end after it starts"):
        closure("2027-01-11 11:00", ends)


# --- the weekly schedule ---------------------------------------------------------------------

@pytest.mark.parametrize(("weekly", "now", "closes_at"), [
    # Back-to-back intervals are one opening.
    (hours({0: ["09:00-12:00", "12:00-15:00"]}), "2027-01-11 10:00", "2027-01-11 15:00"),
    (hours({0: ["12:00-15:00", "09:00-12:00"]}), "2027-01-11 10:00", "2027-01-11 15:00"),
    (hours({0: ["09:00-12:00", "13:00-15:00"]}), "2027-01-11 10:00", "2027-01-11 12:00"),
    # A night line across midnight stays open until morning ...
    (hours({4: ["18:00-24:00"], 5: ["00:00-06:00"]}), "2027-01-15 23:00", "2027-01-16 06:00"),
    # ... unless the next day is a holiday (Ascension Day, Thursday 6 May).
    (hours({2: ["18:00-24:00"], 3: ["00:00-06:00"]}), "2027-05-05 23:00", "2027-05-06 00:00"),
])
def test_an_open_line_reports_when_it_really_closes(weekly, now, closes_at):
    status = line_status(helsinki(now), calendar(weekly))
    assert status.open
    assert status.closes_at == helsinki(closes_at)


def test_a_line_that_is_always_open_has_no_closing_time():
    line = calendar(hours({weekday: ["00:00-24:00"] for weekday in range(7)}), holidays="")
    status = line_status(helsinki("2027-01-11 10:00"), line)
    assert status.open and status.closes_at is None


def test_an_opening_that_ends_at_midnight_runs_to_the_last_minute_of_the_day():
    line = calendar(hours({0: ["20:00-24:00"]}))
    status = line_status(helsinki("2027-01-11 23:59"), line)
    assert status.open
    assert status.closes_at == helsinki("2027-01-12 00:00")
    assert not is_open(helsinki("2027-01-12 00:00"), line)


def test_without_office_hours_the_line_never_opens_and_says_why():
    line = calendar(WeeklySchedule())
    status = line_status(helsinki("2027-01-11 10:00"), line)
    assert (status.open, status.reason, status.next_open_at) == (False, "no office hours are set", None)
    assert next_opening(helsinki("2027-01-11 10:00"), line) is None


@pytest.mark.parametrize(("time_of_day", "expected_open", "reason"), [
    ("08:59", False, "outside office hours"),
    ("09:00", True, "open"),
    ("14:59", True, "open"),
    ("15:00", False, "outside office hours"),
])
def test_office_hours_include_their_start_and_exclude_their_end(time_of_day, expected_open, reason):
    status = line_status(helsinki(f"{MONDAY} {time_of_day}"), calendar())
    assert (status.open, status.reason) == (expected_open, reason)


@pytest.mark.parametrize(("opens", "closes"), [(900, 540), (540, 540), (-1, 60), (0, 1441)])
def test_an_opening_interval_must_run_forwards_within_one_day(opens, closes):
    with pytest.raises(ValueError, match="must run forwards"):
        OpeningInterval(opens, closes)


@pytest.mark.parametrize("rule", [is_open, next_opening, line_status])
def test_the_rules_refuse_a_naive_now(rule):
    with pytest.raises(NaiveTimeError):
        rule(datetime(2027, 1, 11, 10), calendar())


@pytest.mark.parametrize(("text_value", "minute"), [
    ("09:00", 540), ("9:30", 570), (" 00:00 ", 0), ("23:59", 1439), ("24:00", 1440),
])
def test_a_supervisor_writes_times_of_day_like_09_00(text_value, minute):
    assert parse_clock(text_value) == minute
    if minute < 1440:
        assert parse_clock(format_minute(minute)) == minute


@pytest.mark.parametrize("text_value", ["24:01", "25:00", "09:60", "9", "09:00:00", "nine", "", "-1:30", "09:+5"])
def test_a_time_of_day_that_is_not_one_is_refused_with_a_readable_error(text_value):
    with pytest.raises(ValueError, match="time of day"):
        parse_clock(text_value)
