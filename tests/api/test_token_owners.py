"""Staff API tokens belong to a person: they close only that person's callbacks, as the pages do.

Supervisors' tokens close any. A staff token made before tokens had owners (or without
--staff-id) may only read. A token stops working when its owner is deactivated.
"""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import ApiToken, CallbackRequest, Staff


def test_a_staff_token_cannot_close_a_callback_assigned_to_someone_else(own_staff_token, make_staff, make_callback,
                                                                        session, error_of):
    bertil = make_staff("Bertil")
    callback = make_callback(status="assigned", assignee_id=bertil.id)
    response = own_staff_token.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved"})
    assert response.status_code == 403
    assert error_of(response) == (f"callback #{callback.id} is not assigned to the owner of the token "
                                  "'Aino's phone'; staff may close only their own callbacks")
    session.expire_all()
    assert session.get(CallbackRequest, callback.id).status == "assigned"


def test_a_staff_token_cannot_close_a_callback_nobody_holds(own_staff_token, make_callback):
    callback = make_callback(status="new")
    assert own_staff_token.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved"}).status_code == 403


def test_a_supervisor_closes_anyones_callback(supervisor, make_staff, make_callback):
    bertil = make_staff("Bertil")
    for callback in (make_callback("+358401000001", status="assigned", assignee_id=bertil.id),
                     make_callback("+358401000002", status="new")):
        assert supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved"}).status_code == 200


def test_a_token_stops_working_when_its_owner_is_deactivated(own_staff_token, session, error_of):
    assert own_staff_token.get("/api/callbacks").status_code == 200
    session.get(Staff, own_staff_token.staff_id).active = False
    session.commit()
    response = own_staff_token.get("/api/callbacks")
    assert response.status_code == 401
    assert "no longer active" in error_of(response)


def test_deleting_a_staff_member_without_history_deletes_their_tokens(supervisor, own_staff_token, session):
    assert supervisor.delete(f"/api/staff/{own_staff_token.staff_id}").status_code == 204
    assert session.scalars(select(ApiToken.name).where(ApiToken.role == "staff")).all() == []
    assert own_staff_token.get("/api/callbacks").status_code == 401


def _token_from_cli(app, *args):
    result = app.test_cli_runner().invoke(args=["create-api-token", *args])
    return result, (result.stdout.strip().splitlines() or [""])[-1]


def test_a_staff_token_from_the_cli_with_staff_id_closes_that_persons_callbacks(app, with_token, make_staff,
                                                                               make_callback):
    aino, bertil = make_staff("Aino"), make_staff("Bertil")
    result, token = _token_from_cli(app, "Aino's phone", "--role", "staff", "--staff-id", str(aino.id))
    assert result.exit_code == 0, result.output
    assert f"(staff member #{aino.id})" in result.stdout
    hers = make_callback("+358401000001", status="assigned", assignee_id=aino.id)
    his = make_callback("+358401000002", status="assigned", assignee_id=bertil.id)
    assert with_token(token).post(f"/api/callbacks/{hers.id}/close", json={"outcome": "resolved"}).status_code == 200
    assert with_token(token).post(f"/api/callbacks/{his.id}/close", json={"outcome": "resolved"}).status_code == 403


def test_the_cli_says_a_staff_token_without_an_owner_only_reads(app, with_token, make_callback):
    result, token = _token_from_cli(app, "Old phone", "--role", "staff")
    assert result.exit_code == 0
    assert "may only read" in result.stderr
    callback = make_callback(status="assigned")
    assert with_token(token).post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved"}).status_code == 403


def test_the_cli_refuses_a_token_for_nobody_a_deactivated_person_or_a_supervisor_token_for_staff(app, make_staff,
                                                                                                session):
    aino = make_staff("Aino")
    gone = make_staff("Gone", active=False)
    for args, words in [(("--staff-id", "999"), "there is no staff member with id 999"),
                        (("--staff-id", str(gone.id)), "is not active"),
                        (("--role", "supervisor", "--staff-id", str(aino.id)), "is not a supervisor")]:
        result, _token = _token_from_cli(app, "Someone", *args)
        assert result.exit_code != 0 and words in result.stderr, (args, result.stderr)
    assert session.scalars(select(ApiToken)).all() == []
