"""The Staff pages and the command line refuse names and usernames with control characters."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from helpline.models import Staff, WebLogin
from tests.web.conftest import post_form

MESSAGE = "Rivinvaihdot, sarkaimet ja muut ohjausmerkit eivät käy tähän."


@pytest.mark.parametrize("name", ["Aino\nAalto", "Aino\x00", "\u202eonia", "Aino\tAalto"])
def test_a_supervisor_cannot_add_a_person_whose_name_has_a_control_character(as_supervisor, session, name):
    response = post_form(as_supervisor, "/staff/new", {"name": name, "phone": "040 555 1234", "languages": "fi",
                                                       "role": "staff"})
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    assert session.scalars(select(Staff).where(Staff.phone == "+358405551234")).all() == []


def test_a_supervisor_cannot_rename_someone_or_give_them_a_username_with_a_control_character(as_supervisor, worker,
                                                                                            session):
    page = f"/staff/{worker.id}"
    fields = {"name": "Pekka", "phone": worker.staff.phone, "languages": "fi", "role": "staff"}
    renamed = post_form(as_supervisor, page, {**fields, "name": "Pekka\r\nOK 12", "username": worker.username})
    assert renamed.status_code == 422 and MESSAGE in renamed.get_data(as_text=True)
    username = post_form(as_supervisor, page, {**fields, "username": "pekka\u202e"})
    assert username.status_code == 422
    assert username.get_data(as_text=True).count(MESSAGE) == 1  # one message, not two
    session.expire_all()
    assert session.get(Staff, worker.id).name == "Pekka"
    assert session.scalar(select(WebLogin.username).where(WebLogin.staff_id == worker.id)) == worker.username


@pytest.mark.parametrize(("args", "words"), [
    (["create-user", "sari", "--phone", "040 999 0001", "--name", "Sari\nS.", "--password-stdin"],
     "a line break (U+000A)"),
    (["create-user", "sari\x00", "--phone", "040 999 0001", "--name", "Sari", "--password-stdin"],
     "a NUL character (U+0000)"),
    (["create-api-token", "Sari\u202e", "--role", "supervisor"], "a bidirectional text control (U+202E)"),
])
def test_the_command_line_refuses_names_with_control_characters(app, session, args, words):
    result = app.test_cli_runner().invoke(args=args, input="a long enough password\n")
    assert result.exit_code != 0
    assert words in result.output
    assert session.scalars(select(Staff)).all() == []
