"""Calls and their wrap-ups through the API: whoever answered (a staff token made for them) or a
supervisor says how an answered live call ended, for 24 hours after it."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from openapi_schema_validator import OAS31Validator

from helpline.models import Call
from helpline.tokens import create_token
from tests.api.conftest import ApiClient, helsinki

_sids = itertools.count(1)


@pytest.fixture
def make_call(line):
    """A call as the voice webhooks leave it: make_call(answered_by=aino) for one answered live."""

    def make(at: str = "2027-01-11 09:30", *, answered_by=None, minutes: int = 10, caller: str | None = "+358501234567",
             outcome: str | None = None) -> Call:
        started = helsinki(at)
        with line.db.session() as session:
            call = Call(call_sid=f"CA{next(_sids):032x}", caller=caller, caller_withheld=caller is None,
                        started_at=started, ended_at=started + timedelta(minutes=minutes), line_open=True,
                        outcome=outcome or ("answered" if answered_by else "voicemail"),
                        answered_by_id=answered_by.id if answered_by else None,
                        answered_at=started + timedelta(seconds=20) if answered_by else None,
                        conversation_seconds=minutes * 60 - 30 if answered_by else None)
            session.add(call)
        return call

    return make


@pytest.fixture
def token_for(client, line, clock):
    """An API client with a staff token made for one person (create-api-token --staff-id)."""

    def make(person) -> ApiClient:
        with line.db.session() as session:
            return ApiClient(client, create_token(session, f"{person.name}'s phone", "staff", clock.now(),
                                                  staff_id=person.id))

    return make


def test_calls_are_listed_with_who_answered_and_the_wrap_up(supervisor, staffed_line, make_call, make_service):
    aino, _ = staffed_line
    answered = make_call("2027-01-11 09:30", answered_by=aino)
    make_call("2027-01-11 09:40")  # a message was left
    make_call("2027-01-01 09:00", answered_by=aino)  # more than a week ago
    kriisi = make_service()
    assert supervisor.post(f"/api/calls/{answered.id}/wrap-up",
                           json={"outcome": "referred", "service_id": kriisi.id, "topic": "ahdistus"}).status_code == 200

    body = supervisor.get("/api/calls").get_json()
    assert (body["from"], body["to"]) == ("2027-01-04T10:00:00+02:00", "2027-01-11T10:00:00+02:00")
    first, second = body["calls"]
    assert (first["id"], first["answered_by_id"], first["outcome"]) == (answered.id, aino.id, "answered")
    assert (first["started_at"], first["answered_at"], first["ended_at"]) == (
        "2027-01-11T09:30:00+02:00", "2027-01-11T09:30:20+02:00", "2027-01-11T09:40:00+02:00")
    assert first["wrap_up"] == {"outcome": "referred", "service_id": kriisi.id, "topic": "ahdistus", "staff_id": None,
                                "via": "api", "at": "2027-01-11T10:00:00+02:00"}
    assert first["wrap_up_until"] == "2027-01-12T09:40:00+02:00"
    assert (second["answered_by_id"], second["wrap_up"], second["wrap_up_until"]) == (None, None, None)
    older = supervisor.get("/api/calls?from=2027-01-01T00:00&to=2027-01-02T00:00").get_json()["calls"]
    assert len(older) == 1
    document = supervisor.get("/api/openapi.json").get_json()
    OAS31Validator({**document, "$ref": "#/components/schemas/CallList"}).validate(body)


def test_the_staff_member_who_answered_wraps_up_their_own_call_and_only_theirs(staffed_line, make_call, token_for,
                                                                               error_of):
    aino, bertil = staffed_line
    call = make_call(answered_by=aino)
    response = token_for(aino).post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "resolved", "topic": "yksinäisyys"})
    assert response.status_code == 200
    assert response.get_json()["wrap_up"]["staff_id"] == aino.id
    refused = token_for(bertil).post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "referred"})
    assert refused.status_code == 403
    assert error_of(refused) == (f"call {call.id} was answered by someone else; only they or a supervisor may wrap "
                                 "it up")


def test_a_staff_token_not_made_for_a_person_cannot_wrap_up_and_is_told_why(staffed_line, make_call, staff_member,
                                                                            error_of):
    aino, _ = staffed_line
    call = make_call(answered_by=aino)
    response = staff_member.post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "resolved"})
    assert response.status_code == 403
    assert "belongs to no staff member, so it may only read" in error_of(response)
    assert "helpline create-api-token NAME --role staff --staff-id ID" in error_of(response)


def test_a_wrap_up_may_be_corrected_within_24_hours_and_not_after(supervisor, staffed_line, make_call, clock,
                                                                  make_service, error_of):
    aino, _ = staffed_line
    call = make_call("2027-01-11 09:30", answered_by=aino)  # ended 09:40
    assert supervisor.post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "resolved"}).status_code == 200
    service = make_service()
    clock.advance(hours=23)
    corrected = supervisor.post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "referred",
                                                                        "service_id": service.id})
    assert corrected.get_json()["wrap_up"]["outcome"] == "referred"
    clock.advance(minutes=40)  # 10:40 the next day: the window closed at 09:40
    late = supervisor.post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "resolved"})
    assert late.status_code == 409
    assert error_of(late) == f"call {call.id} can no longer be wrapped up: that is possible for 24 hours after the call"


def test_what_cannot_be_wrapped_up_is_refused_in_words(supervisor, staffed_line, make_call, make_service, error_of):
    aino, _ = staffed_line
    answered = make_call(answered_by=aino)
    message = make_call()
    retired = make_service("VANHA", "Vanha", active=False)
    kriisi = make_service("KRIISI")
    cases = [
        (message.id, {"outcome": "resolved"}, 409, f"call {message.id} was not answered live"),
        (999, {"outcome": "resolved"}, 404, "there is no call with id 999"),
        (answered.id, {"outcome": "unreachable"}, 422, "outcome must be one of resolved, referred"),
        (answered.id, {"outcome": "resolved", "service_id": kriisi.id}, 422,
         "service_id: a service can only be named when the outcome is referred"),
        (answered.id, {"outcome": "referred", "service_id": retired.id}, 422,
         f"service_id: service {retired.id} is retired"),
        (answered.id, {"outcome": "referred", "service_id": 999}, 422, "service_id: there is no service with id 999"),
        (answered.id, {"topic": "x"}, 422, "outcome is required"),
    ]
    for call_id, body, status, words in cases:
        response = supervisor.post(f"/api/calls/{call_id}/wrap-up", json=body)
        assert response.status_code == status, (body, response.get_json())
        assert words in error_of(response)
    assert supervisor.get(f"/api/calls/{answered.id}").get_json()["wrap_up"] is None


def test_a_staff_token_made_for_a_person_on_the_cli_wraps_up_their_calls(app, with_token, staffed_line, make_call):
    aino, bertil = staffed_line
    call = make_call(answered_by=aino)
    result = app.test_cli_runner().invoke(args=["create-api-token", "Aino's phone", "--role", "staff",
                                                "--staff-id", str(aino.id)])
    assert result.exit_code == 0, result.output
    token = with_token(result.output.strip().splitlines()[-1])
    assert token.post(f"/api/calls/{call.id}/wrap-up", json={"outcome": "resolved"}).status_code == 200
    bertils = app.test_cli_runner().invoke(args=["create-api-token", "Bertil", "--staff-id", str(bertil.id)])
    assert bertils.exit_code == 0
    refused = with_token(bertils.output.strip().splitlines()[-1]).post(f"/api/calls/{call.id}/wrap-up",
                                                                      json={"outcome": "resolved"})
    assert refused.status_code == 403
