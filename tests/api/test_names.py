"""The API refuses a staff name with a line break or another control character: 422, in words."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from helpline.models import Staff


@pytest.mark.parametrize(("name", "described"), [
    ("Aino\nAalto", "a line break (U+000A) at character 5"), ("Aino\r\nOK 12", "a carriage return (U+000D)"),
    ("Aino\u0000", "a NUL character (U+0000)"), ("\u202eonia Aalto", "a bidirectional text control (U+202E)"),
    ("Aino\tAalto", "a tab (U+0009)"),
])
def test_a_staff_name_with_a_control_character_is_refused_on_add_and_on_change(supervisor, make_staff, session,
                                                                               error_of, name, described):
    added = supervisor.post("/api/staff", json={"name": name, "phone": "040 111 2222"})
    assert added.status_code == 422
    assert error_of(added).startswith("name may not contain line breaks, tabs or other control characters")
    assert described in error_of(added)
    aino = make_staff("Aino")
    changed = supervisor.patch(f"/api/staff/{aino.id}", json={"name": name})
    assert changed.status_code == 422 and described in error_of(changed)
    session.expire_all()
    assert session.scalars(select(Staff.name)).all() == ["Aino"]


def test_a_name_in_another_script_with_a_joiner_is_fine(supervisor):
    response = supervisor.post("/api/staff", json={"name": "مریم\u200cشیرازی", "phone": "040 111 2222"})
    assert response.status_code == 201
