"""A supervisor adds, edits and deletes shifts from the Rota page; impossible or clashing ones are
refused in words naming the clash; every change is audited; staff and forged forms change nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from helpline.models import AuditEntry, Shift

from .conftest import helsinki, post_form


def _shifts(session):
    session.expire_all()
    return session.scalars(select(Shift).order_by(Shift.starts_at)).all()


def _shift_form(staff, day="2027-01-12", starts="09:00", ends="15:00", priority="1"):
    return {"staff_id": str(staff.id), "day": day, "starts": starts, "ends": ends, "priority": priority}


def test_a_supervisor_adds_a_shift_in_local_time_and_it_is_audited_with_their_name(boss, aino, session):
    response = post_form(boss, "/rota/shifts/new", _shift_form(aino))
    assert response.status_code == 302
    assert response.headers["Location"] == "/rota/?week=2027-01-12#day-2027-01-12"
    [shift] = _shifts(session)
    assert (shift.staff_id, shift.starts_at, shift.ends_at, shift.priority) == (
        aino.id, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), 1)
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.actor, entry.actor_kind, entry.action, entry.entity_id) == ("Sari (sari)", "user", "create", shift.id)
    assert "Added Aino Aalto&#39;s shift Tue 12.1. 09:00–15:00." in boss.get(response.headers["Location"]).get_data(
        as_text=True)


def test_an_end_at_or_before_the_start_means_a_night_shift_into_the_next_day(boss, aino, session):
    assert post_form(boss, "/rota/shifts/new", _shift_form(aino, starts="22:00", ends="06:00")).status_code == 302
    [shift] = _shifts(session)
    assert (shift.starts_at, shift.ends_at) == (helsinki("2027-01-12 22:00"), helsinki("2027-01-13 06:00"))


def test_an_overlapping_shift_for_the_same_person_is_refused_naming_the_clash(boss, aino, make_shift, session):
    make_shift(aino, helsinki("2027-01-12 08:00"), helsinki("2027-01-12 12:00"))
    response = post_form(boss, "/rota/shifts/new", _shift_form(aino, starts="11:00", ends="15:00"),
                         token_from="/rota/shifts/new")
    assert response.status_code == 409
    assert ("Aino Aalto already has a shift Tue 12.1. 08:00–12:00, which overlaps Tue 12.1. 11:00–15:00."
            in response.get_data(as_text=True))
    assert len(_shifts(session)) == 1
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


@pytest.mark.parametrize(("fields", "words"), [
    ({"day": "2027-03-28", "starts": "03:30", "ends": "09:00"}, "This time does not exist that night"),
    ({"day": "2027-10-31", "starts": "03:30", "ends": "09:00"}, "This time happens twice that night"),
    ({"starts": "9 am"}, "“9 am” is not a time; write it like 09:30."),
    ({"day": "tomorrow"}, "“tomorrow” is not a date; write it like 31.1.2027."),
    ({"priority": "-1"}, "Number must be between 0 and 10000"),
    ({"staff_id": "9999"}, "Not a valid choice"),
])
def test_an_impossible_shift_is_refused_on_its_field(boss, aino, session, fields, words):
    response = post_form(boss, "/rota/shifts/new", {**_shift_form(aino), **fields})
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert _shifts(session) == []


def test_a_form_without_its_csrf_token_changes_nothing(boss, aino, session):
    response = boss.post("/rota/shifts/new", data=_shift_form(aino))
    assert response.status_code == 400
    assert "The form could not be sent" in response.get_data(as_text=True)
    assert _shifts(session) == []


def test_a_supervisor_edits_a_shift_and_the_audit_log_keeps_before_and_after(boss, aino, bertil, make_shift, session):
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=1)
    form = boss.get(f"/rota/shifts/{shift.id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in form and 'value="12.1.2027"' in form
    response = post_form(boss, f"/rota/shifts/{shift.id}/edit",
                         _shift_form(bertil, starts="10:00", ends="16:00", priority="2"))
    assert response.status_code == 302
    [changed] = _shifts(session)
    assert (changed.staff_id, changed.starts_at, changed.priority) == (bertil.id, helsinki("2027-01-12 10:00"), 2)
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.before["staff_name"], entry.after["staff_name"]) == ("Aino Aalto", "Bertil Berg")
    assert (entry.before["starts_at"], entry.after["starts_at"]) == ("2027-01-12T09:00:00+02:00",
                                                                     "2027-01-12T10:00:00+02:00")


def test_editing_a_shift_into_a_clash_with_the_same_person_s_other_shift_is_refused(boss, aino, make_shift, session):
    first = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"))
    make_shift(aino, helsinki("2027-01-12 13:00"), helsinki("2027-01-12 15:00"))
    response = post_form(boss, f"/rota/shifts/{first.id}/edit", _shift_form(aino, starts="09:00", ends="14:00"))
    assert response.status_code == 409
    assert "already has a shift Tue 12.1. 13:00–15:00" in response.get_data(as_text=True)
    assert _shifts(session)[0].ends_at == helsinki("2027-01-12 12:00")


def test_a_supervisor_deletes_a_shift(boss, aino, make_shift, session):
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    response = post_form(boss, f"/rota/shifts/{shift.id}/delete", {}, token_from=f"/rota/shifts/{shift.id}/edit")
    assert response.status_code == 302
    assert _shifts(session) == []
    assert session.scalars(select(AuditEntry)).one().action == "delete"
    assert boss.get("/rota/shifts/999/edit").status_code == 404


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/rota/shifts/new"), ("post", "/rota/shifts/new"), ("get", "/rota/shifts/{id}/edit"),
    ("post", "/rota/shifts/{id}/delete"), ("get", "/rota/shifts/{id}/hand-over"),
    ("post", "/rota/shifts/{id}/hand-over"), ("post", "/rota/shifts/{id}/swap"), ("post", "/rota/copy-week"),
    ("get", "/rota/import"), ("post", "/rota/import/confirm"), ("get", "/audit/"),
])
def test_a_staff_member_cannot_change_the_rota(pekka, worker, aino, make_shift, session, method, path):
    shift = make_shift(worker.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    path = path.format(id=shift.id)
    if method == "get":
        response = pekka.get(path)
    else:
        response = post_form(pekka, path, {"to": str(aino.id), "week": "2027-01-18", "text": "x"}, token_from="/rota/")
    assert response.status_code == 403
    assert [s.staff_id for s in _shifts(session)] == [worker.staff.id]
