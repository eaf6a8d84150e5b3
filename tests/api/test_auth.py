"""Who may use the API: bearer tokens, staff read, supervisors change things, errors in JSON."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.models import ApiToken, Staff
from helpline.tokens import digest


def _api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            yield rule, re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)


def test_a_tool_without_a_token_is_refused_with_words_on_how_to_get_one(anonymous, error_of):
    response = anonymous.get("/api/staff")
    assert response.status_code == 401
    assert "Authorization: Bearer" in error_of(response)
    assert "helpline create-api-token" in error_of(response)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer", "hl_abc"])
def test_a_tool_with_a_wrong_token_is_refused(client, header, error_of):
    response = client.get("/api/on-duty", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_of(response)


def test_a_revoked_token_no_longer_opens_the_api(supervisor, session, clock, error_of):
    assert supervisor.get("/api/staff").status_code == 200
    row = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == digest(supervisor.token))).one()
    row.revoked_at = clock.now()
    session.commit()
    response = supervisor.get("/api/staff")
    assert response.status_code == 401
    assert "revoked" in error_of(response)


def test_every_api_route_but_the_api_s_description_and_reading_the_directory_needs_a_token(app, anonymous):
    readable = {"/api/openapi.json": 200, "/api/docs": 200, "/api/services": 200, "/api/services/1": 404}
    for rule, path in _api_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = anonymous.request(method, path, json={})
            expected = readable.get(path, 401) if method == "GET" else 401
            assert response.status_code == expected, (method, path)


def test_staff_may_read_everything(staff_member, make_staff, make_callback):
    person = make_staff("Aino")
    callback = make_callback()
    for path in ("/api/staff", f"/api/staff/{person.id}", "/api/shifts", "/api/office-hours", "/api/closures",
                 "/api/on-duty", "/api/callbacks", f"/api/callbacks/{callback.id}"):
        assert staff_member.get(path).status_code == 200, path


def test_staff_get_403_on_every_write_except_closing_and_replying_to_a_callback_and_wrapping_up_a_call(
        app, own_staff_token, error_of):
    writes = [(method, rule, path) for rule, path in _api_rules(app)
              for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})]
    assert len(writes) >= 9
    for method, rule, path in writes:
        body = {"text": "Hei"} if rule.endpoint.endswith("callbacks.reply") else {"outcome": "resolved"}
        response = own_staff_token.request(method, path, json=body)
        if rule.endpoint.endswith(("close_callback", "callbacks.reply", "wrap_up_call")):
            # Staff do the calling back, the answering and the calls, so they may close, reply and wrap
            # up on their own; these ones do not exist.
            assert response.status_code == 404, path
            continue
        assert response.status_code == 403, (method, path)
        assert "only a supervisor" in error_of(response)


def test_a_staff_token_that_belongs_to_nobody_may_only_read(app, staff_member, make_callback, error_of):
    callback = make_callback(status="assigned")
    assert staff_member.get(f"/api/callbacks/{callback.id}").status_code == 200
    for method, rule, path in [(method, rule, path) for rule, path in _api_rules(app)
                               for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})]:
        response = staff_member.request(method, path, json={"outcome": "resolved"})
        assert response.status_code == 403, (method, path)
    response = staff_member.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved"})
    assert response.status_code == 403
    assert "belongs to no staff member, so it may only read" in error_of(response)
    assert "--staff-id" in error_of(response)


def test_a_staff_token_cannot_add_staff_or_shifts_and_nothing_is_stored(staff_member, make_staff, session):
    aino = make_staff("Aino")
    start = "2027-01-12T09:00"
    assert staff_member.post("/api/staff", json={"name": "Eve", "phone": "040 999 8888"}).status_code == 403
    assert staff_member.post("/api/shifts", json={"staff_id": aino.id, "starts_at": start,
                                                  "ends_at": "2027-01-12T15:00"}).status_code == 403
    assert staff_member.put("/api/office-hours", json={}).status_code == 403
    assert session.scalars(select(Staff.name)).all() == ["Aino"]
    assert staff_member.get("/api/shifts?from=2027-01-12").get_json()["shifts"] == []


def test_an_unknown_api_path_answers_json_404(supervisor, error_of):
    response = supervisor.get("/api/no-such-thing")
    assert response.status_code == 404
    assert "/api/openapi.json" in error_of(response)


def test_a_wrong_method_answers_json_405_naming_the_allowed_ones(supervisor, error_of):
    response = supervisor.delete("/api/on-duty")
    assert response.status_code == 405
    assert "use GET" in error_of(response)
    assert "GET" in response.headers["Allow"]


def test_a_missing_record_answers_json_404(supervisor, error_of):
    response = supervisor.get("/api/staff/999")
    assert response.status_code == 404
    assert error_of(response) == "there is no staff member with id 999"


def test_pages_outside_the_api_keep_flask_s_own_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not response.is_json


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_a_bad_request(supervisor, body, error_of):
    response = supervisor.post("/api/staff", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "JSON" in error_of(response)


def test_a_supervisor_s_token_from_the_cli_is_its_last_line_and_opens_the_api(app, with_token):
    result = app.test_cli_runner().invoke(args=["create-api-token", "Sari", "--role", "supervisor"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("hl_")
    sari = with_token(token)
    response = sari.post("/api/closures", json={"date": "2027-01-07", "reason": "Epiphany service"})
    assert response.status_code == 201


def test_a_staff_token_from_the_cli_reads_but_does_not_write(app, with_token):
    result = app.test_cli_runner().invoke(args=["create-api-token", "Aino's phone", "--role", "staff"])
    assert result.exit_code == 0, result.output
    aino = with_token(result.output.strip().splitlines()[-1])
    assert aino.get("/api/closures").status_code == 200
    assert aino.post("/api/closures", json={"date": "2027-01-07", "reason": "x"}).status_code == 403


def test_tokens_are_stored_only_as_digests(supervisor, session, clock):
    rows = session.scalars(select(ApiToken)).all()
    assert [row.token_sha256 for row in rows] == [digest(supervisor.token)]
    assert supervisor.token not in {row.token_sha256 for row in rows}
    assert rows[0].created_at == clock.now()
    assert rows[0].revoked_at is None
    assert clock.now() - rows[0].created_at < timedelta(seconds=1)
