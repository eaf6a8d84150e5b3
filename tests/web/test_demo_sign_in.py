"""The demo line comes with sign-ins for the pages, printed by the main job."""
from __future__ import annotations

from helpline.demo.seed import DEMO_PASSWORD, seed_demo_line
from tests.web.conftest import csrf_token


def _sign_in(client, username: str):
    return client.post("/sign-in", data={"csrf_token": csrf_token(client), "username": username,
                                         "password": DEMO_PASSWORD})


def test_the_demo_supervisor_and_staff_member_can_sign_in_even_after_a_second_seeding(app, line, clock):
    for _ in range(2):
        with line.db.session() as session:
            seed_demo_line(session, line.settings, clock.now())
    supervisor = app.test_client()
    assert _sign_in(supervisor, "leena").status_code == 302
    assert supervisor.get("/staff/").status_code == 200
    staff = app.test_client()
    assert _sign_in(staff, "aino").status_code == 302
    assert staff.get("/staff/").status_code == 403
