"""Odd input on the pages gets a page, never a 500: dates at the ends of the calendar in query
strings and forms, ids past what a database holds, a ?next= with line breaks, a body too large."""
from __future__ import annotations

import pytest

from helpline.ids import MAX_ID
from tests.web.conftest import csrf_token, post_form, sign_in

TOO_BIG_ID = str(MAX_ID + 1)
ENDS = ("0001-01-01", "9999-12-31")


@pytest.fixture(autouse=True)
def served_as_in_production(app):
    app.config["TESTING"] = False


@pytest.mark.parametrize("path", [
    "/rota/?week={day}", "/rota/shifts/new?date={day}", "/callbacks/?from={day}", "/callbacks/?to={day}",
    "/callbacks/?from=0001-01-01&to=9999-12-31", "/figures/?from={day}", "/figures/?to={day}",
    "/figures/?from=0001-01-01&to=9999-12-31", "/figures/export.csv?from={day}&rows=calls",
    "/audit/?from={day}", "/audit/?to={day}", "/audit/?from=0001-01-01&to=9999-12-31",
])
def test_a_supervisor_asking_for_the_ends_of_the_calendar_gets_the_page_with_a_sensible_period(
        as_supervisor, path):
    for day in ENDS:
        response = as_supervisor.get(path.format(day=day))
        assert response.status_code == 200, (path, day)


def test_the_figures_page_says_why_it_ignored_a_date_at_the_end_of_the_calendar(as_supervisor):
    page = as_supervisor.get("/figures/?from=9999-12-31").get_data(as_text=True)
    assert "Anna päivämäärä vuosilta 1900–2999." in page


@pytest.mark.parametrize("path", [
    "/staff/{id}", "/callbacks/{id}", "/callbacks/{id}/messages/1/audio", "/callbacks/1/messages/{id}/audio",
    "/rota/shifts/{id}/edit", "/rota/shifts/{id}/hand-over",
])
def test_an_id_past_what_the_database_holds_in_a_page_address_is_not_found(as_supervisor, path):
    for number in (TOO_BIG_ID, str(2**63)):
        assert as_supervisor.get(path.format(id=number)).status_code == 404


@pytest.mark.parametrize("path", ["/staff/{id}/active", "/callbacks/{id}/close", "/rota/shifts/{id}/delete",
                                  "/rota/shifts/{id}/swap", "/hours/closures/{id}/delete"])
def test_a_form_posted_to_an_id_past_what_the_database_holds_is_not_found(as_supervisor, path):
    response = as_supervisor.post(path.format(id=TOO_BIG_ID), data={"csrf_token": csrf_token(as_supervisor, "/")})
    assert response.status_code == 404


@pytest.mark.parametrize(("action", "field"), [("hand-over", "to"), ("swap", "other")])
def test_handing_a_shift_to_a_person_or_shift_id_past_what_the_database_holds_is_not_found(
        as_supervisor, supervisor, make_shift, action, field):
    from tests.conftest import helsinki

    shift = make_shift(supervisor.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    for number in (TOO_BIG_ID, str(2**63), "²"):
        response = post_form(as_supervisor, f"/rota/shifts/{shift.id}/{action}", {field: number},
                             token_from=f"/rota/shifts/{shift.id}/hand-over")
        assert response.status_code == 404, number


@pytest.mark.parametrize("query", [f"page={TOO_BIG_ID}", f"page={MAX_ID}", f"assignee={TOO_BIG_ID}",
                                   f"assignee={MAX_ID}", "assignee=²", "page=-5"])
def test_the_callbacks_list_takes_any_page_or_assignee_number(as_supervisor, query):
    assert as_supervisor.get(f"/callbacks/?status=all&{query}").status_code == 200


@pytest.mark.parametrize(("day", "starts", "ends"), [("9999-12-31", "20:00", "02:00"), ("0001-01-01", "00:00", "05:00"),
                                                     ("9999-12-31", "09:00", "15:00")])
def test_a_shift_at_the_ends_of_the_calendar_is_refused_on_the_form(as_supervisor, supervisor, day, starts, ends):
    response = post_form(as_supervisor, "/rota/shifts/new",
                         {"staff_id": supervisor.id, "day": day, "starts": starts, "ends": ends, "priority": 1})
    assert response.status_code == 422
    assert "Anna päivämäärä vuosilta 1900–2999." in response.get_data(as_text=True)


@pytest.mark.parametrize("fields", [{"day": "9999-12-31"}, {"day": "0001-01-01"},
                                    {"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T05:00"},
                                    {"starts_at": "9999-12-31T00:00", "ends_at": "9999-12-31T23:00"}])
def test_a_closure_at_the_ends_of_the_calendar_is_refused_on_the_form(as_supervisor, fields):
    data = {f"closure-{name}": value for name, value in {**fields, "reason": "the end of time"}.items()}
    response = post_form(as_supervisor, "/hours/closures", data, token_from="/hours/")
    assert response.status_code == 422
    assert "Anna päivämäärä vuosilta 1900–2999." in response.get_data(as_text=True)


@pytest.mark.parametrize("row", ["9999-12-31,20:00,24:00", "0001-01-01,00:00,05:00", "31.12.9999,09:00,15:00"])
def test_an_imported_rota_row_at_the_ends_of_the_calendar_is_a_problem_of_its_line(as_supervisor, supervisor, row):
    text = f"date,start,end,person,priority\n{row},{supervisor.staff.phone},1\n"
    response = post_form(as_supervisor, "/rota/import", {"text": text})
    assert response.status_code == 422


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: planted=1", "/%0d%0a", "/\n/evil.example", "/\t/evil.example",
                                    "/\x00", "/today\x7f"])
def test_a_next_page_holding_control_characters_sends_the_person_home_instead(client, supervisor, target):
    token = csrf_token(client)
    response = client.post("/sign-in", data={"csrf_token": token, "username": supervisor.username,
                                             "password": supervisor.password, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/%0d%0a")
    response = client.post("/language", data={"csrf_token": csrf_token(client, "/"), "language": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/%0d%0a")
    assert "planted" not in response.headers.get("Set-Cookie", "")


def test_a_sign_in_link_whose_next_holds_a_line_break_still_shows_the_form(client):
    assert client.get("/sign-in?next=/%0d%0aSet-Cookie:x=1").status_code == 200


def test_a_form_over_a_megabyte_is_refused_with_a_page_saying_so(as_supervisor):
    response = as_supervisor.post("/hours/closures", data={"csrf_token": csrf_token(as_supervisor, "/hours/"),
                                                           "closure-reason": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "Lähettämäsi on liian suuri" in response.get_data(as_text=True)


def test_the_rota_import_keeps_its_own_smaller_cap(as_supervisor, supervisor):
    line = f"2027-01-18,09:00,12:00,{supervisor.staff.phone},1\n"
    text = "date,start,end,person,priority\n" + line * (600 * 1024 // len(line))
    response = post_form(as_supervisor, "/rota/import", {"text": text})
    assert response.status_code == 422
    assert "512" in response.get_data(as_text=True)
