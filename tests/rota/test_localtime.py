"""Table tests for reading and writing times in the line's time zone (DST Sundays included)."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from helpline.rota.localtime import (
    AmbiguousLocalTime,
    NonexistentLocalTime,
    TimeParseError,
    day_bounds,
    format_instant,
    parse_clock_time,
    parse_date,
    parse_instant,
    week_bounds,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("2027-01-11T10:00", "2027-01-11T08:00:00+00:00"),  # winter, local
        ("2027-01-11 10:00", "2027-01-11T08:00:00+00:00"),  # a space instead of T
        ("2027-06-01T10:00", "2027-06-01T07:00:00+00:00"),  # summer, local
        ("2027-01-11T10:00:00+02:00", "2027-01-11T08:00:00+00:00"),
        ("2027-01-11T08:00Z", "2027-01-11T08:00:00+00:00"),
        ("2027-01-11T10:00:00-05:00", "2027-01-11T15:00:00+00:00"),
        ("2027-01-11", "2027-01-10T22:00:00+00:00"),  # a date alone is its local midnight
        ("2027-03-28T02:59", "2027-03-28T00:59:00+00:00"),  # just before the spring jump
        ("2027-03-28T04:00", "2027-03-28T01:00:00+00:00"),  # the first moment after it
        ("2027-10-31T02:59", "2027-10-30T23:59:00+00:00"),  # before the repeated hour
        ("2027-10-31T04:00", "2027-10-31T02:00:00+00:00"),  # after it
        ("2027-10-31T03:30+03:00", "2027-10-31T00:30:00+00:00"),  # repeated hour, first, by offset
        ("2027-10-31T03:30+02:00", "2027-10-31T01:30:00+00:00"),  # repeated hour, second
        ("2027-03-28T03:30Z", "2027-03-28T03:30:00+00:00"),  # an offset makes any wall time fine
    ],
)
def test_a_supervisor_s_time_names_the_instant_they_meant(text, expected_utc):
    parsed = parse_instant(text, HELSINKI)
    assert parsed.astimezone(timezone.utc).isoformat() == expected_utc
    # UTC, so that comparing and subtracting instants is right across DST changes.
    assert parsed.tzinfo is timezone.utc


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("2027-03-28T03:30", NonexistentLocalTime, "go forward from 03:00 to 04:00"),
        ("2027-03-28T03:00", NonexistentLocalTime, "does not exist in Europe/Helsinki"),
        ("2027-10-31T03:30", AmbiguousLocalTime, "2027-10-31T03:30+03:00 (the first) or 2027-10-31T03:30+02:00"),
        ("2027-10-31T03:00", AmbiguousLocalTime, "happens twice"),
        ("tomorrow at nine", TimeParseError, "is not an ISO 8601 time"),
        ("2027-02-30T10:00", TimeParseError, "is not an ISO 8601 time"),
        ("", TimeParseError, "a time is required"),
        (1799999999, TimeParseError, "write it as text"),
        (None, TimeParseError, "write it as text"),
    ],
)
def test_a_time_that_cannot_be_meant_is_refused_with_words(text, error, words):
    with pytest.raises(error) as raised:
        parse_instant(text, HELSINKI)
    assert words in str(raised.value)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 1, 11, 8, 0, tzinfo=timezone.utc), "2027-01-11T10:00:00+02:00"),
        (datetime(2027, 6, 1, 7, 0, 30, 999, tzinfo=timezone.utc), "2027-06-01T10:00:30+03:00"),
        (datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc), "2027-10-31T03:30:00+03:00"),
        (datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc), "2027-10-31T03:30:00+02:00"),
        (None, None),
    ],
)
def test_answers_carry_the_line_s_offset(moment, expected):
    assert format_instant(moment, HELSINKI) == expected


def test_a_naive_time_is_never_formatted_as_if_it_were_an_instant():
    with pytest.raises(ValueError):
        format_instant(datetime(2027, 1, 11, 10, 0), HELSINKI)


@pytest.mark.parametrize(
    ("day", "starts", "ends", "hours"),
    [
        (date(2027, 1, 7), "2027-01-07T00:00:00+02:00", "2027-01-08T00:00:00+02:00", 24),
        (date(2027, 3, 28), "2027-03-28T00:00:00+02:00", "2027-03-29T00:00:00+03:00", 23),
        (date(2027, 10, 31), "2027-10-31T00:00:00+03:00", "2027-11-01T00:00:00+02:00", 25),
    ],
)
def test_a_whole_local_day_runs_midnight_to_midnight_even_on_dst_sundays(day, starts, ends, hours):
    start, end = day_bounds(day, HELSINKI)
    assert (format_instant(start, HELSINKI), format_instant(end, HELSINKI)) == (starts, ends)
    assert (end - start).total_seconds() == hours * 3600


@pytest.mark.parametrize(
    ("moment", "monday"),
    [
        ("2027-01-11T10:00+02:00", "2027-01-11T00:00:00+02:00"),  # a Monday
        ("2027-01-17T23:59+02:00", "2027-01-11T00:00:00+02:00"),  # its Sunday night
        ("2027-01-17T22:30Z", "2027-01-18T00:00:00+02:00"),  # already Monday in Helsinki
        ("2027-03-28T12:00+03:00", "2027-03-22T00:00:00+02:00"),  # the week of the spring jump
    ],
)
def test_this_week_starts_on_the_local_monday(moment, monday):
    start, end = week_bounds(datetime.fromisoformat(moment), HELSINKI)
    assert format_instant(start, HELSINKI) == monday
    assert end.astimezone(HELSINKI).weekday() == 0
    assert (end.astimezone(HELSINKI).date() - start.astimezone(HELSINKI).date()).days == 7


@pytest.mark.parametrize(
    ("text", "end_allowed", "minute"),
    [("00:00", False, 0), ("09:30", False, 570), ("23:59", False, 1439), ("24:00", True, 1440)],
)
def test_office_hours_read_hh_mm(text, end_allowed, minute):
    assert parse_clock_time(text, end_of_day_allowed=end_allowed) == minute


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("9:00", "HH:MM"),
        ("09.00", "HH:MM"),
        (" 09:00", "HH:MM"),
        ("25:00", "between 00:00 and 24:00"),
        ("12:60", "between 00:00 and 24:00"),
        ("24:00", "may only end an interval"),
        ("24:30", "between 00:00 and 24:00"),
        (900, "write it as text"),
    ],
)
def test_office_hours_refuse_anything_but_hh_mm(text, words):
    with pytest.raises(TimeParseError) as raised:
        parse_clock_time(text)
    assert words in str(raised.value)


def test_a_closure_date_is_a_plain_calendar_date():
    assert parse_date("2027-01-07") == date(2027, 1, 7)
    for bad in ("2027-01-07T10:00", "7.1.2027", "", None):
        with pytest.raises(TimeParseError):
            parse_date(bad)


# --- the ends of the calendar ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:00", "9999-12-31T23:59:59+00:00",
                                  "0001-01-01T00:00-14:00", "1899-12-31T23:59", "3000-01-01T00:00"])
def test_a_time_at_the_ends_of_the_calendar_is_refused_in_words_not_overflowed(text):
    with pytest.raises(TimeParseError, match="outside the years 1900-2999"):
        parse_instant(text, HELSINKI)


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_a_date_at_the_ends_of_the_calendar_is_refused(text):
    with pytest.raises(TimeParseError, match="outside the years 1900-2999"):
        parse_date(text)


def test_the_first_and_last_days_of_the_years_the_line_works_with_still_have_bounds_and_weeks():
    first, last = parse_date("1900-01-01"), parse_date("2999-12-31")
    assert day_bounds(first, HELSINKI)[0] < day_bounds(last, HELSINKI)[1]
    assert week_bounds(parse_instant("2999-12-31T23:59", HELSINKI), HELSINKI)[1].year == 3000
    assert parse_instant("1900-01-01T00:00", HELSINKI).year == 1899  # Helsinki was ahead of UTC
