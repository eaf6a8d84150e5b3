"""A supervisor writes a service's hours the way people do ("ma-pe 9-15"); the map and the SMS
write them back the same way, and the API keeps the office-hours JSON."""
from __future__ import annotations

import pytest

from helpline.directory.hours import HoursError, format_hours, parse_hours, schedule_from_json, week_json


@pytest.mark.parametrize(
    ("written", "fi", "sv", "en"),
    [
        ("ma-pe 9-15", "ma-pe 9-15", "mån-fre 9-15", "Mon-Fri 9-15"),
        ("ma-pe 9-15, la 10-14", "ma-pe 9-15, la 10-14", "mån-fre 9-15, lör 10-14", "Mon-Fri 9-15, Sat 10-14"),
        ("mån-fre 9-12 och 13-16", "ma-pe 9-12 ja 13-16", "mån-fre 9-12 och 13-16", "Mon-Fri 9-12 and 13-16"),
        ("Mon-Fri 9:30-17", "ma-pe 9.30-17", "mån-fre 9.30-17", "Mon-Fri 9:30-17"),
        ("maanantai 08.30-16.00", "ma 8.30-16", "mån 8.30-16", "Mon 8:30-16"),
        ("ma, ke 9-12", "ma 9-12, ke 9-12", "mån 9-12, ons 9-12", "Mon 9-12, Wed 9-12"),
        ("ti 9-12, 13-15", "ti 9-12 ja 13-15", "tis 9-12 och 13-15", "Tue 9-12 and 13-15"),
        ("la-ma 18-24", "ma 18-24, la-su 18-24", "mån 18-24, lör-sön 18-24", "Mon 18-24, Sat-Sun 18-24"),
        ("to 10–14", "to 10-14", "tors 10-14", "Thu 10-14"),
        ("24/7", "24/7", "24/7", "24/7"),
        ("Dygnet runt", "24/7", "24/7", "24/7"),
    ],
)
def test_hours_written_in_any_of_the_three_languages_read_back_the_same_way(written, fi, sv, en):
    weekly = parse_hours(written)
    assert (format_hours(weekly, "fi"), format_hours(weekly, "sv"), format_hours(weekly, "en")) == (fi, sv, en)
    assert parse_hours(format_hours(weekly, "sv")) == weekly


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("xx 9-15", "day"),
        ("ma 25-26", "time"),
        ("ma 15-9", "order"),
        ("ma 9-12, ma 11-14", "overlap"),
        ("ma", "no_hours"),
        ("9-15", "day"),
        ("ma 9-15 sometimes", "time"),
        ("t 9-15", "day"),
    ],
)
def test_hours_that_cannot_be_read_say_what_is_wrong(written, code):
    with pytest.raises(HoursError) as raised:
        parse_hours(written)
    assert raised.value.code == code


def test_no_hours_written_means_the_hours_are_not_known():
    assert parse_hours("") is None and parse_hours("   ") is None
    assert format_hours(None) == "" and week_json(None) is None


def test_the_api_s_office_hours_json_names_all_seven_days_and_reads_back():
    weekly = parse_hours("ma-pe 9-15, la 10-14")
    week = week_json(weekly)
    assert week == {"monday": [["09:00", "15:00"]], "tuesday": [["09:00", "15:00"]],
                    "wednesday": [["09:00", "15:00"]], "thursday": [["09:00", "15:00"]],
                    "friday": [["09:00", "15:00"]], "saturday": [["10:00", "14:00"]], "sunday": []}
    assert schedule_from_json(week) == weekly
    assert schedule_from_json({"sunday": [["18:00", "24:00"]]}) == parse_hours("su 18-24")  # days left out: closed


@pytest.mark.parametrize(
    "value",
    [[], {"funday": []}, {"monday": "09-15"}, {"monday": [["9", "15"]]}, {"monday": [["15:00", "09:00"]]},
     {"monday": [["09:00", "12:00"], ["11:00", "14:00"]]}],
)
def test_json_hours_that_make_no_sense_are_refused(value):
    with pytest.raises(HoursError):
        schedule_from_json(value)
