"""Dates and times are typed on the pages as they are printed there (11.1.2027, 09:30), whatever
the browser's own locale, and read leniently because a phone's keyboard picks the separator."""
from __future__ import annotations

from datetime import date, time

import pytest

from helpline.web.dates import DateInputError, input_day, parse_clock, parse_day, show_day
from tests.web.conftest import post_form


@pytest.mark.parametrize(("typed", "day"), [
    ("11.1.2027", date(2027, 1, 11)), ("11.01.2027", date(2027, 1, 11)), (" 11.1.2027 ", date(2027, 1, 11)),
    ("11,1,2027", date(2027, 1, 11)),  # iOS's decimal keypad in Finnish has a comma, not a dot
    ("11/1/2027", date(2027, 1, 11)), ("11.1.27", date(2027, 1, 11)), ("2027-01-11", date(2027, 1, 11)),
    ("29.2.2028", date(2028, 2, 29)),
])
def test_a_typed_date_is_read_day_first(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["", "tomorrow", "31.2.2027", "1.13.2027", "2027-13-01", "11.1.", "11 1 2027"])
def test_a_date_that_is_not_one_is_refused_in_words(app, typed):
    with app.test_request_context(), pytest.raises(DateInputError, match="muodossa 31.1.2027"):
        parse_day(typed)


@pytest.mark.parametrize(("typed", "clock"), [
    ("09:30", time(9, 30)), ("9:30", time(9, 30)), ("9.30", time(9, 30)), ("9,30", time(9, 30)),
    ("0930", time(9, 30)), ("930", time(9, 30)), ("9", time(9, 0)), ("23:59", time(23, 59)), ("00:00", time(0, 0)),
])
def test_a_typed_time_is_read_on_the_24_hour_clock(typed, clock):
    assert parse_clock(typed) == clock


@pytest.mark.parametrize("typed", ["", "9 am", "24:00", "9:60", "12345", "9:3"])
def test_a_time_that_is_not_one_is_refused_in_words(app, typed):
    with app.test_request_context(), pytest.raises(DateInputError, match="muodossa 09:30"):
        parse_clock(typed)


def test_dates_are_shown_back_the_way_they_are_read():
    assert show_day(date(2027, 1, 11)) == "11.1.2027"
    assert input_day("2027-01-11") == "11.1.2027" and input_day("nonsense") == "nonsense" and input_day(None) == ""


def test_a_supervisor_adds_a_shift_typed_in_the_finnish_way(as_supervisor, make_staff, session):
    from sqlalchemy import select

    from helpline.models import Shift
    from tests.conftest import helsinki

    aino = make_staff("Aino Aalto", "+358401110001")
    page = as_supervisor.get("/rota/shifts/new?date=13.1.2027").get_data(as_text=True)
    assert 'value="13.1.2027"' in page and 'type="date"' not in page and 'inputmode="decimal"' in page
    response = post_form(as_supervisor, "/rota/shifts/new", {"staff_id": aino.id, "day": "13,1,2027",
                                                             "starts": "9.00", "ends": "1500", "priority": "1"})
    assert response.status_code == 302
    shift = session.scalar(select(Shift))
    assert (shift.starts_at, shift.ends_at) == (helsinki("2027-01-13 09:00"), helsinki("2027-01-13 15:00"))


def test_no_page_asks_the_browser_for_its_own_date_or_time_widget(as_supervisor):
    for path in ("/figures/", "/audit/", "/callbacks/", "/rota/", "/rota/shifts/new", "/hours/"):
        html = as_supervisor.get(path).get_data(as_text=True)
        assert 'type="date"' not in html and 'type="time"' not in html and "datetime-local" not in html, path
