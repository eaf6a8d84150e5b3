"""A supervisor asks whether the line is open at a moment and who would be rung, in order."""
from __future__ import annotations

import pytest

from .conftest import helsinki


def test_now_the_line_is_open_and_staff_are_listed_in_ringing_order(supervisor, staffed_line):
    aino, bertil = staffed_line
    body = supervisor.get("/api/on-duty").get_json()
    assert body["at"] == "2027-01-11T10:00:00+02:00"
    assert (body["open"], body["reason"], body["next_open_at"]) == (True, "open", None)
    assert body["closes_at"] == "2027-01-11T15:00:00+02:00"
    assert [(p["id"], p["name"], p["phone"], p["priority"]) for p in body["staff"]] == [
        (aino.id, "Aino", "+358401110001", 1),
        (bertil.id, "Bertil", "+358401110002", 2),
    ]


def test_after_hours_the_rota_is_still_listed_with_the_next_opening(supervisor, staffed_line):
    body = supervisor.get("/api/on-duty?at=2027-01-11T18:00").get_json()
    assert (body["open"], body["reason"]) == (False, "outside office hours")
    assert body["next_open_at"] == "2027-01-12T09:00:00+02:00"
    assert [p["name"] for p in body["staff"]] == ["Aino", "Bertil"]


def test_on_a_public_holiday_the_line_is_closed_but_the_rota_is_shown(supervisor, office_hours, make_staff,
                                                                     make_shift):
    office_hours()
    aino = make_staff("Aino")
    make_shift(aino, helsinki("2027-01-06 09:00"), helsinki("2027-01-06 15:00"))
    body = supervisor.get("/api/on-duty?at=2027-01-06T10:00").get_json()  # Epiphany, a Wednesday
    assert body["open"] is False
    assert body["reason"].startswith("public holiday: ")
    assert body["next_open_at"] == "2027-01-07T09:00:00+02:00"
    assert [p["name"] for p in body["staff"]] == ["Aino"]


def test_during_a_closure_the_reason_is_the_supervisor_s(supervisor, staffed_line, make_closure):
    make_closure(helsinki("2027-01-11 09:30"), helsinki("2027-01-11 11:00"), "staff meeting")
    body = supervisor.get("/api/on-duty").get_json()
    assert (body["open"], body["reason"], body["next_open_at"]) == (
        False, "closed: staff meeting", "2027-01-11T11:00:00+02:00")
    assert len(body["staff"]) == 2


@pytest.mark.parametrize(
    ("at", "shown", "open_", "on_duty"),
    [
        # Spring forward, Sunday 2027-03-28: 03:00 local becomes 04:00. It is Easter Sunday too,
        # so the line is closed, yet the rota is listed.
        ("2027-03-28T02:59", "2027-03-28T02:59:00+02:00", False, ["Night"]),
        ("2027-03-28T04:00", "2027-03-28T04:00:00+03:00", False, ["Night"]),
        ("2027-03-28T01:30:00Z", "2027-03-28T04:30:00+03:00", False, ["Night"]),
        ("2027-03-28T05:00", "2027-03-28T05:00:00+03:00", False, []),
        # Fall back, Sunday 2027-10-31: 03:00-04:00 local happens twice.
        ("2027-10-31T03:30+03:00", "2027-10-31T03:30:00+03:00", True, ["Night"]),
        # The second 03:30 is still inside Sunday's 00:00-05:00 wall-clock hours, but the shift is over.
        ("2027-10-31T03:30+02:00", "2027-10-31T03:30:00+02:00", True, []),
    ],
)
def test_at_a_dst_change_the_answer_follows_the_real_instant(supervisor, office_hours, make_staff, make_shift, at,
                                                              shown, open_, on_duty):
    # A night line on Saturdays into Sundays (22:00-24:00, then 00:00-05:00 local wall time),
    # and a night shift covering it by real instants.
    office_hours({5: [(22 * 60, 24 * 60)], 6: [(0, 5 * 60)]})
    night = make_staff("Night")
    make_shift(night, helsinki("2027-03-27 22:00"), helsinki("2027-03-28 05:00"))
    # Ends at the first 03:59 of the repeated hour (fold=0 is summer time, +03:00).
    make_shift(night, helsinki("2027-10-30 22:00"), helsinki("2027-10-31 03:59"))
    body = supervisor.get("/api/on-duty", query_string={"at": at}).get_json()
    assert body["at"] == shown
    assert body["open"] is open_
    assert [p["name"] for p in body["staff"]] == on_duty


def test_a_time_the_clocks_skip_is_a_bad_request_saying_so(supervisor, error_of):
    response = supervisor.get("/api/on-duty?at=2027-03-28T03:30")
    assert response.status_code == 400
    assert error_of(response) == (
        "query parameter at: 2027-03-28T03:30 does not exist in Europe/Helsinki: the clocks go forward from "
        "03:00 to 04:00 that night; give a time outside the gap or one with an offset")


def test_a_time_the_clocks_repeat_asks_for_an_offset(supervisor, error_of):
    response = supervisor.get("/api/on-duty?at=2027-10-31T03:30")
    assert response.status_code == 400
    assert "2027-10-31T03:30+03:00 (the first) or 2027-10-31T03:30+02:00 (the second)" in error_of(response)


def test_inactive_staff_are_never_on_duty(supervisor, office_hours, make_staff, make_shift, clock):
    office_hours()
    gone = make_staff("Gone", active=False)
    make_shift(gone, helsinki("2027-01-11 09:00"), helsinki("2027-01-11 15:00"))
    assert supervisor.get("/api/on-duty").get_json()["staff"] == []


def test_an_offset_whose_plus_the_url_turned_into_a_space_still_means_that_offset(supervisor):
    # curl "…/api/on-duty?at=2027-06-01T10:00+03:00" without escaping the plus.
    body = supervisor.get("/api/on-duty?at=2027-06-01T10:00+03:00").get_json()
    assert body["at"] == "2027-06-01T10:00:00+03:00"
    body = supervisor.get("/api/on-duty?at=2027-06-01T07:00%2B00:00").get_json()
    assert body["at"] == "2027-06-01T10:00:00+03:00"
