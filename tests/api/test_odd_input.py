"""Odd input gets an answer in words, never a 500: the contract allows 400, 401, 403, 404, 409, 413
and 422. Dates at the ends of the calendar, ids past what a database holds, JSON nested deeper
than the parser goes, text that is not text, and bodies too large to read."""
from __future__ import annotations

import pytest

from helpline.ids import MAX_ID

TOO_BIG_ID = str(MAX_ID + 1)


@pytest.fixture(autouse=True)
def served_as_in_production(app):
    """Errors become responses (500 included) instead of exceptions raised into the test."""
    app.config["TESTING"] = False


@pytest.mark.parametrize("path", [
    "/api/on-duty?at=9999-12-31T23:00", "/api/on-duty?at=0001-01-01T00:00",
    "/api/shifts?from=0001-01-01T00:00&to=9999-12-31T23:00", "/api/shifts?from=9999-12-31T23:59",
    "/api/closures?from=0001-01-01T00:00", "/api/audit?from=0001-01-01&to=9999-12-31",
    "/api/metrics?from=0001-01-01&to=9999-12-31", "/api/metrics.csv?to=9999-12-31",
])
def test_a_query_time_at_the_ends_of_the_calendar_is_a_400_in_words(supervisor, error_of, path):
    response = supervisor.get(path)
    assert response.status_code == 400
    assert "outside the years 1900-2999" in error_of(response)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/shifts", {"staff_id": 1, "starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T05:00"}, "starts_at"),
    ("/api/shifts", {"staff_id": 1, "starts_at": "9999-12-31T20:00", "ends_at": "9999-12-31T23:59"}, "starts_at"),
    ("/api/closures", {"date": "9999-12-31", "reason": "the end of time"}, "date"),
    ("/api/closures", {"date": "0001-01-01", "reason": "the start of time"}, "date"),
    ("/api/closures", {"starts_at": "9999-12-31T00:00", "ends_at": "9999-12-31T23:00", "reason": "x"}, "starts_at"),
])
def test_a_body_time_at_the_ends_of_the_calendar_is_a_422_naming_the_field(supervisor, make_staff, error_of, path,
                                                                           body, field):
    make_staff("Aino")
    response = supervisor.post(path, json=body)
    assert response.status_code == 422
    assert error_of(response).startswith(f"{field}: ") and "1900-2999" in error_of(response)


ID_ROUTES = [
    ("GET", "/api/staff/{id}"), ("PATCH", "/api/staff/{id}"), ("DELETE", "/api/staff/{id}"),
    ("GET", "/api/shifts/{id}"), ("PATCH", "/api/shifts/{id}"), ("DELETE", "/api/shifts/{id}"),
    ("GET", "/api/callbacks/{id}"), ("POST", "/api/callbacks/{id}/close"),
    ("GET", "/api/closures/{id}"), ("DELETE", "/api/closures/{id}"),
]


@pytest.mark.parametrize("number", [TOO_BIG_ID, str(2**63), "18446744073709551616", "9" * 40])
def test_an_id_past_what_the_database_holds_is_not_found_whatever_the_method(supervisor, error_of, number):
    for method, path in ID_ROUTES:
        response = supervisor.request(method, path.format(id=number), json={"outcome": "resolved"})
        assert response.status_code == 404, (method, path)
        error_of(response)


def test_the_largest_id_a_database_holds_is_still_an_id_that_is_simply_not_there(supervisor, error_of):
    response = supervisor.get(f"/api/staff/{MAX_ID}")
    assert response.status_code == 404
    assert f"there is no staff member with id {MAX_ID}" in error_of(response)


def test_json_nested_a_hundred_thousand_levels_deep_is_a_400(supervisor, error_of):
    deep = "[" * 100_000 + "]" * 100_000
    response = supervisor.client.post("/api/staff", data=deep, headers={"Authorization": f"Bearer {supervisor.token}"})
    assert response.status_code == 400
    assert "nested too deeply" in error_of(response)


@pytest.mark.parametrize(("path", "raw", "where"), [
    ("/api/staff", '{"name": "Aino \\ud800", "phone": "040 111 2222"}', "name"),
    ("/api/staff", '{"name": "Aino", "phone": "040 111 2222", "languages": ["fi", "\\udfff"]}', "languages[1]"),
    ("/api/closures", '{"date": "2027-01-07", "reason": "\\udc00 training"}', "reason"),
    ("/api/closures", '{"\\ud800": 1}', "a field name"),
])
def test_a_lone_surrogate_in_a_json_string_is_a_400_naming_where(supervisor, error_of, path, raw, where):
    response = supervisor.client.post(path, data=raw, headers={"Authorization": f"Bearer {supervisor.token}"})
    assert response.status_code == 400
    assert error_of(response).startswith(f"{where} holds a lone")


def test_a_proper_surrogate_pair_is_just_an_emoji(supervisor):
    response = supervisor.client.post("/api/closures", data='{"date": "2027-01-07", "reason": "training \\ud83d\\ude00"}',
                                      headers={"Authorization": f"Bearer {supervisor.token}"})
    assert response.status_code == 201
    assert response.get_json()["reason"] == "training \U0001F600"


def test_a_body_over_a_megabyte_is_413_in_the_api_s_words(supervisor, error_of):
    body = '{"name": "' + "a" * (1024 * 1024) + '", "phone": "040 111 2222"}'
    response = supervisor.client.post("/api/staff", data=body, headers={"Authorization": f"Bearer {supervisor.token}"})
    assert response.status_code == 413
    assert error_of(response) == "the request body is too large; at most 1024 KiB"


def test_a_body_just_under_a_megabyte_is_read(supervisor, error_of):
    body = '{"name": "' + "a" * (1000 * 1024) + '", "phone": "040 111 2222"}'
    response = supervisor.client.post("/api/staff", data=body, headers={"Authorization": f"Bearer {supervisor.token}"})
    assert response.status_code == 422
    assert error_of(response).startswith("name is too long")
