"""A supervisor plans the duty rota: shifts in local time, impossible ones refused in words."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.models import Shift

from .conftest import helsinki


@pytest.fixture
def aino(make_staff):
    return make_staff("Aino", "+358401110001")


def test_a_supervisor_adds_a_shift_in_local_time_and_reads_it_back_with_an_offset(supervisor, aino, session):
    response = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-12T09:00",
                                                    "ends_at": "2027-01-12T15:00", "priority": 1})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["starts_at"], body["ends_at"]) == ("2027-01-12T09:00:00+02:00", "2027-01-12T15:00:00+02:00")
    assert (body["staff_id"], body["staff_name"], body["priority"]) == (aino.id, "Aino", 1)
    assert supervisor.get(response.headers["Location"]).get_json() == body
    stored = session.scalars(select(Shift)).one()
    assert stored.starts_at.isoformat() == "2027-01-12T07:00:00+00:00"


def test_a_shift_given_in_utc_is_shown_in_summer_time(supervisor, aino):
    body = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-06-01T06:00:00Z",
                                                "ends_at": "2027-06-01T12:00:00Z"}).get_json()
    assert (body["starts_at"], body["priority"]) == ("2027-06-01T09:00:00+03:00", 100)


def test_a_night_shift_across_the_spring_jump_lasts_one_hour_less(supervisor, aino, clock):
    body = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-03-27T22:00",
                                                "ends_at": "2027-03-28T08:00"}).get_json()
    assert (body["starts_at"], body["ends_at"]) == ("2027-03-27T22:00:00+02:00", "2027-03-28T08:00:00+03:00")
    on_duty = supervisor.get("/api/on-duty?at=2027-03-28T04:00").get_json()
    assert [person["name"] for person in on_duty["staff"]] == ["Aino"]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "words"),
    [
        ("2027-01-12T15:00", "2027-01-12T09:00", "a shift must end after it starts: ends_at 2027-01-12T09:00:00+02:00 "
                                                 "is not after starts_at 2027-01-12T15:00:00+02:00"),
        ("2027-01-12T09:00", "2027-01-12T09:00", "a shift must end after it starts"),
        ("2027-01-12T09:00", "2027-01-14T09:00", "a shift may last at most 24 hours"),
        ("2027-03-28T03:30", "2027-03-28T09:00", "starts_at: 2027-03-28T03:30 does not exist in Europe/Helsinki: "
                                                 "the clocks go forward from 03:00 to 04:00"),
        ("2027-10-31T00:00", "2027-10-31T03:30", "ends_at: 2027-10-31T03:30 happens twice in Europe/Helsinki"),
        ("next tuesday", "2027-01-12T09:00", "starts_at: 'next tuesday' is not an ISO 8601 time"),
    ],
)
def test_an_impossible_shift_is_refused_in_words(supervisor, aino, session, starts_at, ends_at, words, error_of):
    response = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": starts_at, "ends_at": ends_at})
    assert response.status_code == 422
    assert words in error_of(response)
    assert session.scalars(select(Shift)).all() == []


def test_a_shift_for_someone_unknown_or_inactive_is_refused(supervisor, make_staff, error_of):
    times = {"starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00"}
    response = supervisor.post("/api/shifts", json={"staff_id": 99, **times})
    assert (response.status_code, error_of(response)) == (422, "staff_id: there is no staff member with id 99")
    gone = make_staff("Cecilia", active=False)
    response = supervisor.post("/api/shifts", json={"staff_id": gone.id, **times})
    assert response.status_code == 422
    assert "Cecilia (id 1) is not active" in error_of(response)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00"}, "staff_id is required"),
        ({"staff_id": "1", "starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00"},
         "staff_id must be a whole number"),
        ({"staff_id": 1, "starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00", "priority": -1},
         "priority must be between 0 and 10000"),
        ({"staff_id": 1, "starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00", "priority": True},
         "priority must be a whole number"),
        ({"staff_id": 1, "start": "2027-01-12T09:00", "ends_at": "2027-01-12T15:00"}, "unknown field 'start'"),
    ],
)
def test_a_malformed_shift_is_refused_in_words(supervisor, aino, body, words, error_of):
    response = supervisor.post("/api/shifts", json=body)
    assert response.status_code == 422
    assert words in error_of(response)


def test_one_person_cannot_be_on_two_overlapping_shifts(supervisor, aino, make_shift, make_staff, error_of):
    existing = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    response = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-12T14:00",
                                                    "ends_at": "2027-01-12T18:00"})
    assert response.status_code == 409
    assert error_of(response) == (
        f"Aino already has shift {existing.id} from 2027-01-12T09:00:00+02:00 to 2027-01-12T15:00:00+02:00, "
        "which overlaps 2027-01-12T14:00:00+02:00 to 2027-01-12T18:00:00+02:00"
    )
    # Back to back is fine, and so is someone else at the same time.
    follow_on = {"starts_at": "2027-01-12T15:00", "ends_at": "2027-01-12T18:00"}
    assert supervisor.post("/api/shifts", json={"staff_id": aino.id, **follow_on}).status_code == 201
    bertil = make_staff("Bertil")
    assert supervisor.post("/api/shifts", json={"staff_id": bertil.id, "starts_at": "2027-01-12T09:00",
                                                "ends_at": "2027-01-12T15:00"}).status_code == 201


def test_a_supervisor_moves_a_shift_and_may_not_move_it_onto_another(supervisor, aino, make_shift, error_of):
    morning = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"))
    make_shift(aino, helsinki("2027-01-12 13:00"), helsinki("2027-01-12 16:00"))
    response = supervisor.patch(f"/api/shifts/{morning.id}", json={"ends_at": "2027-01-12T13:00", "priority": 5})
    assert response.status_code == 200
    assert (response.get_json()["ends_at"], response.get_json()["priority"]) == ("2027-01-12T13:00:00+02:00", 5)
    response = supervisor.patch(f"/api/shifts/{morning.id}", json={"ends_at": "2027-01-12T14:00"})
    assert response.status_code == 409
    response = supervisor.patch(f"/api/shifts/{morning.id}", json={"starts_at": "2027-01-12T13:30"})
    assert response.status_code == 422 and "must end after it starts" in error_of(response)
    assert supervisor.get(f"/api/shifts/{morning.id}").get_json()["ends_at"] == "2027-01-12T13:00:00+02:00"


def test_a_shift_handed_to_a_colleague_shows_their_name(supervisor, aino, make_staff, make_shift):
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"))
    bertil = make_staff("Bertil")
    body = supervisor.patch(f"/api/shifts/{shift.id}", json={"staff_id": bertil.id}).get_json()
    assert (body["staff_id"], body["staff_name"]) == (bertil.id, "Bertil")


def test_the_rota_defaults_to_this_week_and_takes_a_range(supervisor, aino, make_shift):
    make_shift(aino, helsinki("2027-01-10 20:00"), helsinki("2027-01-11 02:00"))  # Sunday night into Monday
    make_shift(aino, helsinki("2027-01-13 09:00"), helsinki("2027-01-13 15:00"))
    make_shift(aino, helsinki("2027-01-18 09:00"), helsinki("2027-01-18 15:00"))  # next week
    week = supervisor.get("/api/shifts").get_json()
    assert (week["from"], week["to"]) == ("2027-01-11T00:00:00+02:00", "2027-01-18T00:00:00+02:00")
    assert [s["starts_at"] for s in week["shifts"]] == ["2027-01-10T20:00:00+02:00", "2027-01-13T09:00:00+02:00"]
    later = supervisor.get("/api/shifts?from=2027-01-13T12:00&to=2027-01-19").get_json()
    assert [s["starts_at"] for s in later["shifts"]] == ["2027-01-13T09:00:00+02:00", "2027-01-18T09:00:00+02:00"]
    only_from = supervisor.get("/api/shifts?from=2027-01-15T00:00%2B02:00").get_json()
    assert only_from["to"] == "2027-01-22T00:00:00+02:00"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("from=2027-01-13&to=2027-01-12", "'to' (2027-01-12T00:00:00+02:00) must be after 'from'"),
        ("from=soon", "query parameter from: 'soon' is not an ISO 8601 time"),
        ("from=2027-03-28T03:15", "query parameter from: 2027-03-28T03:15 does not exist"),
        ("from=2027-01-01&to=2029-01-01", "at most 366 days"),
        ("staff_id=x", "query parameter staff_id must be a whole number"),
    ],
)
def test_a_rota_query_that_cannot_be_read_is_a_bad_request(supervisor, query, words, error_of):
    response = supervisor.get(f"/api/shifts?{query}")
    assert response.status_code == 400
    assert words in error_of(response)


def test_a_supervisor_removes_a_shift(supervisor, aino, make_shift, clock, session):
    shift = make_shift(aino, clock.now(), clock.now() + timedelta(hours=1))
    assert supervisor.delete(f"/api/shifts/{shift.id}").status_code == 204
    assert session.scalars(select(Shift)).all() == []
    assert supervisor.delete(f"/api/shifts/{shift.id}").status_code == 404
