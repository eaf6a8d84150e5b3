"""A supervisor's tool imports a rota CSV through the API: checked first, stored all or nothing,
every problem named by its line."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from helpline.models import AuditEntry, Shift

EXAMPLE = (Path(__file__).parent.parent / "data" / "rota_example.csv").read_bytes()


def _people(make_staff):
    return [make_staff(name, phone) for name, phone in (("Aino Aalto", "+358401110001"),
                                                        ("Bertil Berg", "+358401110002"),
                                                        ("Cecilia Carlsson", "+358401110003"))]


def _post(client, body: bytes, query: str = "", content_type: str = "text/csv"):
    return client.post(f"/api/shifts/import{query}", data=body, headers={"Content-Type": content_type})


def _count(session, model=Shift) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_answers_with_the_shifts_it_would_add_and_stores_nothing(supervisor, make_staff, session):
    _people(make_staff)
    response = _post(supervisor, EXAMPLE)
    assert response.status_code == 200
    body = response.get_json()
    assert body["dry_run"] is True and len(body["shifts"]) == 6
    assert body["shifts"][3] == {"line": 6, "id": None, "staff_id": 1, "staff_name": "Aino Aalto",
                                 "starts_at": "2027-01-18T18:00:00+02:00", "ends_at": "2027-01-19T00:00:00+02:00",
                                 "priority": 1}
    assert _count(session) == 0


def test_storing_adds_every_row_with_an_audit_entry_naming_the_token(supervisor, make_staff, session):
    _people(make_staff)
    response = _post(supervisor, EXAMPLE, "?dry_run=false")
    assert response.status_code == 201
    ids = [shift["id"] for shift in response.get_json()["shifts"]]
    assert len(ids) == 6 and None not in ids
    assert _count(session) == 6
    assert {entry.actor for entry in session.scalars(select(AuditEntry))} == {"Sari (supervisor)"}


def test_a_file_with_any_problem_stores_nothing_and_names_every_bad_line(supervisor, make_staff, session, error_of):
    _people(make_staff)
    body = b"date,start,end,person\n2027-01-18,09:00,12:00,Aino Aalto\n2027-01-18,11:00,13:00,Aino Aalto\n" \
           b"2027-01-19,9am,12:00,Nobody\n"
    response = _post(supervisor, body, "?dry_run=false")
    assert response.status_code == 422
    assert error_of(response).splitlines() == [
        "line 3: Aino Aalto's shift 18.1.2027 11:00-13:00 overlaps their shift on line 2",
        "line 4: start '9am' is not a time like 09:00",
        "line 4: nobody on the staff list has the phone number or name 'Nobody'",
    ]
    assert _count(session) == 0


def test_the_body_must_be_csv_and_only_a_supervisor_may_import(supervisor, staff_member, error_of):
    wrong = _post(supervisor, b'{"rows": []}', content_type="application/json")
    assert wrong.status_code == 400 and "Content-Type: text/csv" in error_of(wrong)
    assert _post(staff_member, EXAMPLE).status_code == 403
    assert _post(supervisor, EXAMPLE, "?dry_run=maybe").status_code == 400
