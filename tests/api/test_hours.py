"""A supervisor sets the weekly office hours and closes the line for a day or a span."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from helpline.models import Closure, OfficeHoursInterval

EMPTY_WEEK = {day: [] for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


def test_with_no_office_hours_set_every_day_is_listed_empty(supervisor):
    assert supervisor.get("/api/office-hours").get_json() == EMPTY_WEEK


def test_a_supervisor_s_week_round_trips_and_opens_the_line(supervisor, session):
    week = {**EMPTY_WEEK, "monday": [["13:00", "16:00"], ["09:00", "12:00"]], "friday": [["09:00", "15:00"]],
            "saturday": [["20:00", "24:00"]]}
    response = supervisor.put("/api/office-hours", json=week)
    assert response.status_code == 200
    expected = {**week, "monday": [["09:00", "12:00"], ["13:00", "16:00"]]}
    assert response.get_json() == expected
    assert supervisor.get("/api/office-hours").get_json() == expected
    assert session.scalars(select(OfficeHoursInterval.closes_minute).where(
        OfficeHoursInterval.weekday == 5)).all() == [1440]
    # The clock says Monday 10:00: open now; Saturday 23:30 is open too.
    assert supervisor.get("/api/on-duty").get_json()["open"] is True
    assert supervisor.get("/api/on-duty?at=2027-01-16T23:30").get_json()["open"] is True


def test_a_new_week_replaces_the_old_one_entirely(supervisor, office_hours):
    office_hours()  # Monday to Friday 09-15
    assert supervisor.put("/api/office-hours", json={**EMPTY_WEEK, "sunday": [["10:00", "12:00"]]}).status_code == 200
    assert supervisor.get("/api/office-hours").get_json() == {**EMPTY_WEEK, "sunday": [["10:00", "12:00"]]}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"funday": []}, "unknown day 'funday'; the days are monday, tuesday"),
        ({"Monday": []}, "unknown day 'Monday'"),
        ({"monday": [["9:00", "15:00"]]}, "monday: '9:00' is not a time of day in HH:MM form"),
        ({"monday": [["09:00", "25:00"]]}, "monday: '25:00' is not a time of day between 00:00 and 24:00"),
        ({"monday": [["24:00", "24:00"]]}, "monday: '24:00' may only end an interval"),
        ({"monday": [["15:00", "09:00"]]}, "monday: 15:00-09:00 must close after it opens"),
        ({"monday": [["09:00", "09:00"]]}, "monday: 09:00-09:00 must close after it opens"),
        ({"monday": [["09:00", "13:00"], ["12:00", "15:00"]]}, "monday: intervals overlap around 12:00-13:00"),
        ({"monday": ["09:00", "15:00"]}, "monday: '09:00' is not an interval"),
        ({"monday": "09:00-15:00"}, "monday must be a list of intervals"),
    ],
)
def test_a_week_with_a_mistake_is_refused_in_words_and_the_old_one_kept(supervisor, office_hours, change, words,
                                                                        error_of):
    office_hours()
    before = supervisor.get("/api/office-hours").get_json()
    response = supervisor.put("/api/office-hours", json={**EMPTY_WEEK, **change})
    assert response.status_code == 422
    assert words in error_of(response)
    assert supervisor.get("/api/office-hours").get_json() == before


def test_a_week_that_forgets_a_day_is_refused_rather_than_closing_it(supervisor, error_of):
    week = dict(EMPTY_WEEK)
    del week["wednesday"]
    response = supervisor.put("/api/office-hours", json=week)
    assert response.status_code == 422
    assert "missing: wednesday" in error_of(response)


def test_touching_intervals_are_fine(supervisor):
    response = supervisor.put("/api/office-hours", json={**EMPTY_WEEK, "monday": [["09:00", "12:00"], ["12:00", "15:00"]]})
    assert response.status_code == 200


def test_a_supervisor_closes_the_line_for_a_whole_local_day(supervisor, office_hours, session):
    office_hours()
    response = supervisor.post("/api/closures", json={"date": "2027-01-12", "reason": "staff retreat"})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["date"], body["starts_at"], body["ends_at"], body["reason"]) == (
        "2027-01-12", "2027-01-12T00:00:00+02:00", "2027-01-13T00:00:00+02:00", "staff retreat")
    assert supervisor.get(response.headers["Location"]).get_json() == body
    status = supervisor.get("/api/on-duty?at=2027-01-12T10:00").get_json()
    assert (status["open"], status["reason"], status["next_open_at"]) == (
        False, "closed: staff retreat", "2027-01-13T09:00:00+02:00")
    assert session.scalars(select(Closure)).one().date.isoformat() == "2027-01-12"


def test_a_closure_on_the_autumn_dst_sunday_lasts_25_hours(supervisor):
    body = supervisor.post("/api/closures", json={"date": "2027-10-31", "reason": "autumn retreat"}).get_json()
    assert (body["starts_at"], body["ends_at"]) == ("2027-10-31T00:00:00+03:00", "2027-11-01T00:00:00+02:00")


def test_a_supervisor_closes_the_line_for_an_afternoon(supervisor, office_hours):
    office_hours()
    response = supervisor.post("/api/closures", json={"starts_at": "2027-01-11T12:00", "ends_at": "2027-01-11T13:30",
                                                      "reason": "funeral of a volunteer"})
    assert response.status_code == 201
    assert response.get_json()["date"] is None
    assert supervisor.get("/api/on-duty?at=2027-01-11T12:30").get_json()["open"] is False
    assert supervisor.get("/api/on-duty?at=2027-01-11T13:30").get_json()["open"] is True


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"date": "2027-01-12"}, "reason is required"),
        ({"date": "2027-01-12", "reason": " "}, "reason must not be empty"),
        ({"reason": "x"}, "a closure needs a date (like 2027-01-07) for a whole day, or both starts_at and ends_at"),
        ({"starts_at": "2027-01-12T09:00", "reason": "x"}, "or both starts_at and ends_at"),
        ({"date": "2027-01-12", "starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T10:00", "reason": "x"},
         "give either date (a whole day) or starts_at and ends_at, not both"),
        ({"date": "12.1.2027", "reason": "x"}, "date: '12.1.2027' is not a date like 2027-01-07"),
        ({"starts_at": "2027-01-12T10:00", "ends_at": "2027-01-12T09:00", "reason": "x"},
         "a closure must end after it starts"),
        ({"starts_at": "2027-03-28T03:10", "ends_at": "2027-03-28T09:00", "reason": "x"},
         "starts_at: 2027-03-28T03:10 does not exist"),
        ({"date": "2027-01-12", "reason": "x", "until": "2027-01-14"}, "unknown field 'until'"),
    ],
)
def test_a_closure_with_a_mistake_is_refused_in_words(supervisor, session, body, words, error_of):
    response = supervisor.post("/api/closures", json=body)
    assert response.status_code == 422
    assert words in error_of(response)
    assert session.scalars(select(Closure)).all() == []


def test_the_closures_list_shows_what_is_not_over_yet_soonest_first(supervisor, make_closure):
    from .conftest import helsinki

    make_closure(helsinki("2027-02-01 00:00"), helsinki("2027-02-02 00:00"), "later")
    make_closure(helsinki("2027-01-11 09:00"), helsinki("2027-01-11 11:00"), "now")
    make_closure(helsinki("2027-01-04 00:00"), helsinki("2027-01-05 00:00"), "past")
    reasons = [c["reason"] for c in supervisor.get("/api/closures").get_json()["closures"]]
    assert reasons == ["now", "later"]
    reasons = [c["reason"] for c in supervisor.get("/api/closures?from=2027-01-01").get_json()["closures"]]
    assert reasons == ["past", "now", "later"]


def test_a_supervisor_reopens_the_line_by_removing_a_closure(supervisor, office_hours):
    office_hours()
    closure = supervisor.post("/api/closures", json={"date": "2027-01-11", "reason": "flu"}).get_json()
    assert supervisor.get("/api/on-duty").get_json()["open"] is False
    assert supervisor.delete(f"/api/closures/{closure['id']}").status_code == 204
    assert supervisor.get("/api/on-duty").get_json()["open"] is True
    assert supervisor.delete(f"/api/closures/{closure['id']}").status_code == 404
