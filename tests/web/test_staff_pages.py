"""The Staff pages: a supervisor adds, edits and deactivates people; staff cannot reach them."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import AuditEntry, Staff, WebLogin
from tests.web.conftest import Person, post_form, sign_in


def _staff(line, phone: str) -> Staff | None:
    with line.db.session() as session:
        staff = session.scalar(select(Staff).where(Staff.phone == phone))
        session.expunge_all()
        return staff


def test_a_supervisor_adds_a_person_with_a_finnish_phone_number(as_supervisor, line):
    response = post_form(as_supervisor, "/staff/new", {"name": "Aino Aaltonen", "phone": "040 111 0001",
                                                       "languages": ["fi", "sv"], "role": "staff"})
    assert response.status_code == 302
    aino = _staff(line, "+358401110001")
    assert (aino.name, aino.languages, aino.role, aino.active) == ("Aino Aaltonen", ["fi", "sv"], "staff", True)
    assert "Aino Aaltonen" in as_supervisor.get("/staff/").get_data(as_text=True)


def test_a_bad_phone_number_gets_a_clear_message_and_nothing_is_saved(as_supervisor, line):
    response = post_form(as_supervisor, "/staff/new", {"name": "Aino", "phone": "040 11", "role": "staff"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "”040 11” ei ole puhelinnumero, johon voimme soittaa." in page
    assert 'value="Aino"' in page  # what was typed is kept
    with line.db.session() as session:
        assert session.scalar(select(Staff).where(Staff.name == "Aino")) is None


def test_a_phone_number_already_in_use_is_named(as_supervisor, make_staff):
    make_staff("Bertil", "+358401110002")
    response = post_form(as_supervisor, "/staff/new", {"name": "Aino", "phone": "+358 40 111 0002", "role": "staff"})
    assert response.status_code == 422
    assert "on jo henkilön Bertil puhelinnumero" in response.get_data(as_text=True)


def test_a_name_is_required(as_supervisor):
    response = post_form(as_supervisor, "/staff/new", {"name": " ", "phone": "0401110001", "role": "staff"})
    assert response.status_code == 422
    assert "Nimi tarvitaan." in response.get_data(as_text=True)


def test_editing_changes_role_and_languages_keeps_other_codes_and_is_audited(as_supervisor, line, make_staff):
    aino = make_staff("Aino", "+358401110001", languages=("fi", "de"))
    response = post_form(as_supervisor, f"/staff/{aino.id}", {"name": "Aino A.", "phone": "0401110001",
                                                              "languages": ["sv"], "role": "supervisor"})
    assert response.status_code == 302
    changed = _staff(line, "+358401110001")
    assert (changed.name, changed.role, changed.languages) == ("Aino A.", "supervisor", ["sv", "de"])
    with line.db.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "staff"))
        assert entry.actor == "Sari (sari)" and entry.action == "update"
        assert entry.before["role"] == "staff" and entry.after["role"] == "supervisor"


def test_a_supervisor_gives_someone_a_sign_in_and_they_can_use_it(as_supervisor, app, line, make_staff):
    aino = make_staff("Aino", "+358401110001")
    no_password = post_form(as_supervisor, f"/staff/{aino.id}", {"name": "Aino", "phone": "0401110001",
                                                                 "role": "staff", "username": "aino"})
    assert no_password.status_code == 422
    response = post_form(as_supervisor, f"/staff/{aino.id}", {"name": "Aino", "phone": "0401110001", "role": "staff",
                                                              "username": "Aino", "password": "a good long one"})
    assert response.status_code == 302
    assert sign_in(app.test_client(), Person(aino, "aino", "a good long one")).status_code == 302


def test_a_taken_username_is_refused(as_supervisor, make_staff):
    aino = make_staff("Aino", "+358401110001")
    response = post_form(as_supervisor, f"/staff/{aino.id}", {"name": "Aino", "phone": "0401110001", "role": "staff",
                                                              "username": "sari", "password": "a good long one"})
    assert response.status_code == 422
    assert "Käyttäjätunnus on jo käytössä." in response.get_data(as_text=True)


def test_deactivating_takes_someone_off_and_ends_their_sign_in(as_supervisor, app, line, worker):
    other_device = app.test_client()
    sign_in(other_device, worker)
    response = post_form(as_supervisor, f"/staff/{worker.id}/active", {"active": "0"}, token_from=f"/staff/{worker.id}")
    assert response.status_code == 302
    assert _staff(line, worker.staff.phone).active is False
    assert other_device.get("/").status_code == 302
    post_form(as_supervisor, f"/staff/{worker.id}/active", {"active": "1"}, token_from=f"/staff/{worker.id}")
    assert _staff(line, worker.staff.phone).active is True
    with line.db.session() as session:
        assert [e.after["active"] for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [False, True]


def test_a_supervisor_cannot_deactivate_or_demote_themselves(as_supervisor, supervisor, line):
    post_form(as_supervisor, f"/staff/{supervisor.id}/active", {"active": "0"}, token_from=f"/staff/{supervisor.id}")
    demote = post_form(as_supervisor, f"/staff/{supervisor.id}", {"name": "Sari", "phone": supervisor.staff.phone,
                                                                  "role": "staff", "username": "sari"})
    assert demote.status_code == 422
    me = _staff(line, supervisor.staff.phone)
    assert me.active is True and me.role == "supervisor"


def test_staff_cannot_open_or_post_to_the_staff_pages(as_worker, worker, line):
    assert as_worker.get("/staff/").status_code == 403
    assert as_worker.get("/staff/new").status_code == 403
    response = post_form(as_worker, f"/staff/{worker.id}", {"name": "Boss", "phone": worker.staff.phone,
                                                            "role": "supervisor"}, token_from="/")
    assert response.status_code == 403
    assert _staff(line, worker.staff.phone).role == "staff"


def test_the_staff_forms_refuse_a_post_without_the_csrf_token(as_supervisor, line, worker):
    assert as_supervisor.post("/staff/new", data={"name": "X", "phone": "0401110009", "role": "staff"}).status_code == 400
    assert as_supervisor.post(f"/staff/{worker.id}/active", data={"active": "0"}).status_code == 400
    assert _staff(line, worker.staff.phone).active is True


def test_removing_the_username_takes_the_sign_in_away(as_supervisor, line, worker):
    post_form(as_supervisor, f"/staff/{worker.id}", {"name": "Pekka", "phone": worker.staff.phone, "role": "staff",
                                                     "username": ""})
    with line.db.session() as session:
        assert session.scalar(select(WebLogin).where(WebLogin.staff_id == worker.id)) is None
