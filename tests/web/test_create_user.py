"""`helpline create-user`: how the first supervisor gets in."""
from __future__ import annotations

from sqlalchemy import func, select

from helpline.models import Staff, WebLogin
from tests.web.conftest import Person, sign_in


def test_the_first_supervisor_is_created_from_the_command_line_and_can_sign_in(app, line):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "Sari", "--phone", "040 999 0001", "--name", "Sari Supervisor",
                                 "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "supervisor account 'sari'" in result.output
    with line.db.session() as session:
        staff = session.scalar(select(Staff).where(Staff.phone == "+358409990001"))
        assert staff.role == "supervisor" and staff.name == "Sari Supervisor"
        assert session.scalar(select(WebLogin).where(WebLogin.staff_id == staff.id)).username == "sari"
    assert sign_in(app.test_client(), Person(staff, "sari", "a long enough password")).status_code == 302


def test_an_account_for_an_existing_staff_member_is_linked_to_them_by_phone(app, line, make_staff):
    pekka = make_staff("Pekka", "+358409990002")
    result = app.test_cli_runner().invoke(args=["create-user", "pekka", "--phone", "+358 40 999 0002", "--role",
                                                "staff", "--password-stdin"], input="another long password\n")
    assert result.exit_code == 0, result.output
    with line.db.session() as session:
        assert session.scalar(select(WebLogin.staff_id).where(WebLogin.username == "pekka")) == pekka.id
        assert session.scalar(select(func.count(Staff.id))) == 1


def test_create_user_refuses_a_short_password_a_bad_phone_and_a_taken_username(app, line):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-user", "sari", "--phone", "0409990001", "--name", "Sari",
                                "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    bad_phone = runner.invoke(args=["create-user", "sari", "--phone", "12", "--name", "Sari", "--password-stdin"],
                              input="a long enough password\n")
    assert bad_phone.exit_code != 0 and "not a valid phone number" in bad_phone.output
    first = runner.invoke(args=["create-user", "sari", "--phone", "0409990001", "--name", "Sari",
                                "--password-stdin"], input="a long enough password\n")
    assert first.exit_code == 0
    taken = runner.invoke(args=["create-user", "SARI", "--phone", "0409990003", "--name", "Other",
                                "--password-stdin"], input="a long enough password\n")
    assert taken.exit_code != 0 and "taken" in taken.output
    with line.db.session() as session:
        assert session.scalar(select(func.count(Staff.id))) == 1
