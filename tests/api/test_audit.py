"""A supervisor can see who changed the rota, staff, office hours and closures through the API, and
from what to what; staff tokens cannot read the log."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from helpline.models import AuditEntry

from .conftest import helsinki


@pytest.fixture
def aino(make_staff):
    return make_staff("Aino", "+358401110001")


def _entries(supervisor, query: str = "") -> list[dict]:
    response = supervisor.get(f"/api/audit{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["entries"]


def test_adding_changing_and_removing_a_shift_is_logged_with_the_token_s_name_and_before_after(supervisor, aino):
    shift_id = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-12T09:00",
                                                    "ends_at": "2027-01-12T15:00", "priority": 1}).get_json()["id"]
    supervisor.patch(f"/api/shifts/{shift_id}", json={"ends_at": "2027-01-12T16:00"})
    assert supervisor.delete(f"/api/shifts/{shift_id}").status_code == 204

    deleted, changed, added = _entries(supervisor, "?entity=shift")
    assert {entry["actor"] for entry in (deleted, changed, added)} == {"Sari (supervisor)"}
    assert {entry["actor_kind"] for entry in (deleted, changed, added)} == {"api_token"}
    assert {entry["entity_id"] for entry in (deleted, changed, added)} == {shift_id}
    assert (added["action"], added["before"]) == ("create", None)
    assert added["after"] == {"staff_id": aino.id, "staff_name": "Aino", "starts_at": "2027-01-12T09:00:00+02:00",
                              "ends_at": "2027-01-12T15:00:00+02:00", "priority": 1}
    assert changed["action"] == "update"
    assert (changed["before"]["ends_at"], changed["after"]["ends_at"]) == ("2027-01-12T15:00:00+02:00",
                                                                           "2027-01-12T16:00:00+02:00")
    assert (deleted["action"], deleted["before"]["ends_at"], deleted["after"]) == (
        "delete", "2027-01-12T16:00:00+02:00", None)
    assert added["at"] == "2027-01-11T10:00:00+02:00"


def test_a_change_that_changes_nothing_or_is_refused_leaves_no_entry(supervisor, aino, make_shift, session):
    existing = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=5)
    assert supervisor.patch(f"/api/shifts/{existing.id}", json={"priority": 5}).status_code == 200
    refused = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-12T14:00",
                                                   "ends_at": "2027-01-12T18:00"})
    assert refused.status_code == 409
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_staff_changes_are_logged_with_the_phone_before_and_after(supervisor):
    staff_id = supervisor.post("/api/staff", json={"name": "Bertil", "phone": "040 111 0002",
                                                   "languages": ["sv"]}).get_json()["id"]
    supervisor.patch(f"/api/staff/{staff_id}", json={"phone": "040 111 0003", "active": False})
    supervisor.delete(f"/api/staff/{staff_id}")

    deleted, changed, added = _entries(supervisor, "?entity=staff")
    assert added["after"] == {"name": "Bertil", "phone": "+358401110002", "languages": ["sv"], "role": "staff",
                              "active": True}
    assert (changed["before"]["phone"], changed["after"]["phone"]) == ("+358401110002", "+358401110003")
    assert (changed["before"]["active"], changed["after"]["active"]) == (True, False)
    assert (deleted["action"], deleted["entity_id"], deleted["before"]["name"]) == ("delete", staff_id, "Bertil")


def test_office_hours_and_closures_are_logged(supervisor, office_hours):
    office_hours()
    week = {day: [] for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
    week["monday"] = [["10:00", "14:00"]]
    assert supervisor.put("/api/office-hours", json=week).status_code == 200
    closure_id = supervisor.post("/api/closures", json={"date": "2027-01-15", "reason": "training"}).get_json()["id"]
    supervisor.delete(f"/api/closures/{closure_id}")

    hours = _entries(supervisor, "?entity=office_hours")
    assert len(hours) == 1 and hours[0]["entity_id"] is None and hours[0]["action"] == "update"
    assert hours[0]["before"]["tuesday"] == [["09:00", "15:00"]]
    assert hours[0]["after"]["monday"] == [["10:00", "14:00"]] and hours[0]["after"]["tuesday"] == []
    removed, added = _entries(supervisor, "?entity=closure")
    assert added["after"] == {"date": "2027-01-15", "starts_at": "2027-01-15T00:00:00+02:00",
                              "ends_at": "2027-01-16T00:00:00+02:00", "reason": "training"}
    assert (removed["action"], removed["before"]["reason"]) == ("delete", "training")


def test_the_log_is_filtered_by_time_and_record(supervisor, aino, clock):
    first = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-12T09:00",
                                                 "ends_at": "2027-01-12T12:00"}).get_json()["id"]
    clock.advance(days=2)
    second = supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-14T09:00",
                                                  "ends_at": "2027-01-14T12:00"}).get_json()["id"]
    assert [e["entity_id"] for e in _entries(supervisor)] == [second, first]
    assert [e["entity_id"] for e in _entries(supervisor, "?from=2027-01-12T00:00")] == [second]
    assert [e["entity_id"] for e in _entries(supervisor, "?to=2027-01-12T00:00")] == [first]
    assert [e["entity_id"] for e in _entries(supervisor, f"?entity_id={first}")] == [first]
    assert _entries(supervisor, "?entity=closure") == []
    assert [e["entity_id"] for e in _entries(supervisor, "?limit=1")] == [second]


def test_a_staff_token_may_not_read_the_audit_log(staff_member, anonymous, error_of):
    response = staff_member.get("/api/audit")
    assert response.status_code == 403
    assert "only a supervisor may read the audit log" in error_of(response)
    assert anonymous.get("/api/audit").status_code == 401


@pytest.mark.parametrize(("query", "words"), [
    ("?entity=shifts", "entity must be one of all, shift, staff, office_hours, closure"),
    ("?from=2027-01-12T00:00&to=2027-01-11T00:00", "'to' (2027-01-11T00:00:00+02:00) must be after"),
    ("?from=yesterday", "query parameter from"),
])
def test_a_bad_filter_is_refused_in_words(supervisor, query, words, error_of):
    response = supervisor.get(f"/api/audit{query}")
    assert response.status_code == 400
    assert words in error_of(response)
