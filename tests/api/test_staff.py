"""A supervisor keeps the list of staff: names, phones, languages, roles, who is active."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.models import Call, Staff


def test_a_supervisor_adds_staff_with_a_finnish_national_number_stored_as_e164(supervisor, session):
    response = supervisor.post("/api/staff", json={"name": "Aino Virtanen", "phone": "040 123 4567",
                                                   "languages": ["fi", "SV", "fi"], "role": "supervisor"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["phone"] == "+358401234567"
    assert body["languages"] == ["fi", "sv"]
    assert body["role"] == "supervisor" and body["active"] is True
    assert body["created_at"] == "2027-01-11T10:00:00+02:00"
    assert response.headers["Location"].endswith(f"/api/staff/{body['id']}")
    assert supervisor.get(f"/api/staff/{body['id']}").get_json() == body
    stored = session.scalars(select(Staff)).one()
    assert (stored.name, stored.phone, stored.role) == ("Aino Virtanen", "+358401234567", "supervisor")


def test_new_staff_are_staff_who_speak_no_listed_language_until_told(supervisor):
    body = supervisor.post("/api/staff", json={"name": "Bertil", "phone": "+46 70 123 45 67"}).get_json()
    assert (body["role"], body["languages"], body["phone"]) == ("staff", [], "+46701234567")


def test_the_staff_list_shows_everyone_by_name(supervisor, make_staff):
    make_staff("Cecilia", active=False)
    make_staff("Aino")
    names = [(person["name"], person["active"]) for person in supervisor.get("/api/staff").get_json()["staff"]]
    assert names == [("Aino", True), ("Cecilia", False)]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"name": "Aino", "phone": "12"}, "phone: '12' is not a valid phone number"),
        ({"name": "Aino", "phone": "call me maybe"}, "phone: 'call me maybe' is not a phone number"),
        ({"name": "Aino", "phone": 401234567}, "phone must be text"),
        ({"name": "Aino"}, "phone is required"),
        ({"phone": "040 123 4567"}, "name is required"),
        ({"name": "   ", "phone": "040 123 4567"}, "name must not be empty"),
        ({"name": "Aino", "phone": "040 123 4567", "languages": "fi"}, "languages must be a list"),
        ({"name": "Aino", "phone": "040 123 4567", "languages": ["fi", "xx"]},
         "languages: 'xx' is not an ISO 639-1 language code"),
        ({"name": "Aino", "phone": "040 123 4567", "languages": ["fin"]}, "'fin' is not an ISO 639-1"),
        ({"name": "Aino", "phone": "040 123 4567", "role": "boss"}, "role must be one of staff, supervisor"),
        ({"name": "Aino", "phone": "040 123 4567", "active": "yes"}, "active must be true or false"),
        ({"name": "Aino", "phone": "040 123 4567", "email": "a@example.org"}, "unknown field 'email'"),
    ],
)
def test_a_supervisor_s_mistakes_in_a_new_staff_member_are_named_and_nothing_is_stored(
        supervisor, session, body, words, error_of):
    response = supervisor.post("/api/staff", json=body)
    assert response.status_code == 422
    assert words in error_of(response)
    assert session.scalars(select(Staff)).all() == []


def test_the_same_phone_cannot_belong_to_two_people(supervisor, make_staff, error_of):
    make_staff("Aino", "+358401234567")
    response = supervisor.post("/api/staff", json={"name": "Impostor", "phone": "040-123 4567"})
    assert response.status_code == 409
    assert error_of(response) == "040 1234567 is already the phone of Aino (id 1)"


def test_a_supervisor_changes_a_phone_but_not_to_a_colleague_s(supervisor, make_staff, error_of):
    aino = make_staff("Aino", "+358401110001")
    make_staff("Bertil", "+358401110002")
    response = supervisor.patch(f"/api/staff/{aino.id}", json={"phone": "+358401110002"})
    assert response.status_code == 409
    assert "Bertil" in error_of(response)
    response = supervisor.patch(f"/api/staff/{aino.id}", json={"phone": "0401110003", "languages": ["sv"]})
    assert response.status_code == 200
    assert (response.get_json()["phone"], response.get_json()["languages"]) == ("+358401110003", ["sv"])
    # Keeping one's own number is no clash.
    assert supervisor.patch(f"/api/staff/{aino.id}", json={"phone": "+358401110003"}).status_code == 200


def test_a_patch_with_one_bad_field_changes_nothing(supervisor, make_staff, session):
    aino = make_staff("Aino")
    response = supervisor.patch(f"/api/staff/{aino.id}", json={"name": "Aino V.", "role": "admin"})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Staff, aino.id).name == "Aino"


def test_a_supervisor_deactivates_someone_who_left_and_they_leave_the_rota(
        supervisor, make_staff, make_shift, clock):
    aino = make_staff("Aino")
    make_shift(aino, clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=5))
    assert [p["name"] for p in supervisor.get("/api/on-duty").get_json()["staff"]] == ["Aino"]
    response = supervisor.patch(f"/api/staff/{aino.id}", json={"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert supervisor.get("/api/on-duty").get_json()["staff"] == []


def test_a_staff_record_with_no_history_can_be_deleted(supervisor, make_staff, session):
    typo = make_staff("Ainoo")
    response = supervisor.delete(f"/api/staff/{typo.id}")
    assert response.status_code == 204
    assert session.get(Staff, typo.id) is None
    assert supervisor.delete(f"/api/staff/{typo.id}").status_code == 404


def test_deleting_someone_with_history_is_refused_in_favour_of_deactivating(
        supervisor, make_staff, make_shift, clock, session, error_of):
    aino = make_staff("Aino")
    make_shift(aino, clock.now(), clock.now() + timedelta(hours=2))
    session.add(Call(call_sid="CA1", caller="+358409999999", started_at=clock.now(), line_open=True,
                     answered_by_id=aino.id))
    session.commit()
    response = supervisor.delete(f"/api/staff/{aino.id}")
    assert response.status_code == 409
    assert error_of(response) == (
        "Aino has history here (1 shift, 1 answered call), which deleting would lose; to take them off "
        f"the line, set active to false with PATCH /api/staff/{aino.id}"
    )
    session.expire_all()
    assert session.get(Staff, aino.id) is not None
