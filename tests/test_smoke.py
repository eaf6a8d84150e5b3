def test_the_app_answers_health_checks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_fixed_schedule_is_stored_with_aware_instants(staffed_line, session):
    from helpline.models import Shift

    shifts = session.query(Shift).order_by(Shift.priority).all()
    assert [shift.staff.name for shift in shifts] == ["Aino", "Bertil"]
    assert all(shift.starts_at.tzinfo is not None for shift in shifts)
