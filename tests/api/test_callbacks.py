"""Staff and supervisors read the callback queue and close callbacks once they have called back."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpline.models import CallbackEvent, CallbackRequest, VoiceMessage

from .conftest import helsinki


def test_the_queue_lists_open_callbacks_oldest_first_with_the_contract_fields(supervisor, make_callback, make_staff,
                                                                             session):
    aino = make_staff("Aino")
    later = make_callback("+358401000002", status="assigned", created_at=helsinki("2027-01-11 08:00"),
                          assignee_id=aino.id, assigned_at=helsinki("2027-01-11 08:01"))
    first = make_callback("+358401000001", created_at=helsinki("2027-01-10 22:00"), language="sv", call_count=2)
    make_callback("+358401000003", status="closed", created_at=helsinki("2027-01-09 12:00"),
                  closed_at=helsinki("2027-01-09 13:00"), outcome="resolved")
    session.add(VoiceMessage(callback_id=first.id, recording_sid="RE1", recording_url="https://api.twilio.com/RE1",
                             recording_status="completed", duration_seconds=31, created_at=helsinki("2027-01-10 22:01")))
    session.commit()

    callbacks = supervisor.get("/api/callbacks").get_json()["callbacks"]
    assert [c["id"] for c in callbacks] == [first.id, later.id]
    assert {key: callbacks[0][key] for key in ("id", "caller", "status", "has_message", "assignee_id", "created_at",
                                               "acknowledged_at", "closed_at", "outcome", "topic")} == {
        "id": first.id, "caller": "+358401000001", "status": "new", "has_message": True, "assignee_id": None,
        "created_at": "2027-01-10T22:00:00+02:00", "acknowledged_at": None, "closed_at": None, "outcome": None,
        "topic": None,
    }
    assert (callbacks[0]["language"], callbacks[0]["call_count"]) == ("sv", 2)
    assert (callbacks[1]["has_message"], callbacks[1]["assignee_id"]) == (False, aino.id)


def test_the_queue_filters_by_status(staff_member, make_callback):
    make_callback("+358401000001", status="acknowledged", created_at=helsinki("2027-01-11 08:00"),
                  acknowledged_at=helsinki("2027-01-11 08:05"))
    make_callback("+358401000002", status="closed", closed_at=helsinki("2027-01-10 12:00"), outcome="referred",
                  created_at=helsinki("2027-01-10 11:00"))
    make_callback("+358401000003", status="closed", closed_at=helsinki("2027-01-11 09:00"), outcome="resolved",
                  created_at=helsinki("2027-01-09 11:00"))

    def callers(query: str) -> list[str]:
        response = staff_member.get(f"/api/callbacks{query}")
        assert response.status_code == 200
        return [c["caller"][-1] for c in response.get_json()["callbacks"]]

    assert callers("") == callers("?status=open") == ["1"]
    assert callers("?status=closed") == ["3", "2"]  # the latest closed first
    assert callers("?status=all") == ["1", "2", "3"]  # newest first
    assert callers("?status=closed&limit=1") == ["3"]


@pytest.mark.parametrize(("query", "words"), [
    ("?status=pending", "query parameter status must be one of open, closed, all, not 'pending'"),
    ("?status=all&limit=0", "query parameter limit must be between 1 and 1000"),
])
def test_a_queue_query_that_cannot_be_read_is_a_bad_request(supervisor, query, words, error_of):
    response = supervisor.get(f"/api/callbacks{query}")
    assert response.status_code == 400
    assert words in error_of(response)


def test_one_callback_shows_its_messages_and_history(supervisor, make_callback, session, clock):
    callback = make_callback()
    session.add(CallbackEvent(callback_id=callback.id, at=clock.now(), kind="created", detail={"call_sid": "CA1"}))
    session.commit()
    body = supervisor.get(f"/api/callbacks/{callback.id}").get_json()
    assert body["messages"] == []
    assert body["events"] == [{"at": "2027-01-11T10:00:00+02:00", "kind": "created", "staff_id": None,
                               "detail": {"call_sid": "CA1"}}]
    assert supervisor.get("/api/callbacks/999").status_code == 404


def test_a_staff_member_closes_a_callback_they_handled(own_staff_token, make_callback, session, clock):
    staff_member = own_staff_token
    callback = make_callback(status="assigned", assignee_id=staff_member.staff_id)
    clock.advance(minutes=25)
    response = staff_member.post(f"/api/callbacks/{callback.id}/close", json={
        "outcome": "resolved", "note": "Talked for 20 minutes; will call the line again if needed.",
        "topic": "loneliness"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["outcome"], body["topic"]) == ("closed", "resolved", "loneliness")
    assert body["closed_at"] == "2027-01-11T10:25:00+02:00"
    assert body["events"][-1]["kind"] == "closed"
    session.expire_all()
    stored = session.get(CallbackRequest, callback.id)
    assert (stored.status, stored.next_action, stored.next_action_at) == ("closed", None, None)
    assert stored.note.startswith("Talked for 20 minutes")
    event = session.scalars(select(CallbackEvent).where(CallbackEvent.callback_id == callback.id)).one()
    assert event.at == clock.now()
    assert event.staff_id == staff_member.staff_id  # the token's owner closed it
    assert event.detail == {"outcome": "resolved", "via": "api", "token": "Aino's phone", "role": "staff",
                            "note": stored.note, "topic": "loneliness"}
    # Closed, it leaves the open queue.
    assert staff_member.get("/api/callbacks").get_json()["callbacks"] == []


def test_closing_a_callback_twice_is_a_conflict_and_changes_nothing(supervisor, make_callback, session, clock,
                                                                    error_of):
    callback = make_callback()
    assert supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "unreachable"}).status_code == 200
    clock.advance(hours=1)
    response = supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "resolved", "topic": "grief"})
    assert response.status_code == 409
    assert error_of(response) == (
        f"callback #{callback.id} is already closed (at 2027-01-11T10:00:00+02:00, unreachable)")
    session.expire_all()
    stored = session.get(CallbackRequest, callback.id)
    assert (stored.outcome, stored.topic) == ("unreachable", None)
    assert len(session.scalars(select(CallbackEvent)).all()) == 1


@pytest.mark.parametrize(("body", "words"), [
    ({"outcome": "done"}, "outcome must be one of resolved, referred, unreachable, not 'done'"),
    ({}, "outcome is required"),
    ({"outcome": "resolved", "topic": "x" * 81}, "topic is too long (81 characters; at most 80)"),
    ({"outcome": "resolved", "note": 5}, "note must be text"),
    ({"outcome": "resolved", "notes": "typo"}, "unknown field 'notes'"),
])
def test_a_close_with_a_mistake_is_refused_and_the_callback_stays_open(own_staff_token, make_callback, session,
                                                                      body, words, error_of):
    callback = make_callback(status="assigned", assignee_id=own_staff_token.staff_id)
    response = own_staff_token.post(f"/api/callbacks/{callback.id}/close", json=body)
    assert response.status_code == 422
    assert words in error_of(response)
    session.expire_all()
    assert session.get(CallbackRequest, callback.id).status == "assigned"


def test_closing_a_callback_that_does_not_exist_is_404(supervisor, error_of):
    response = supervisor.post("/api/callbacks/41/close", json={"outcome": "resolved"})
    assert (response.status_code, error_of(response)) == (404, "there is no callback with id 41")


def test_after_closing_the_same_caller_may_leave_a_new_callback(supervisor, make_callback, clock):
    first = make_callback("+358401234567")
    supervisor.post(f"/api/callbacks/{first.id}/close", json={"outcome": "resolved"})
    second = make_callback("+358401234567", created_at=clock.now() + timedelta(hours=1))
    assert [c["id"] for c in supervisor.get("/api/callbacks").get_json()["callbacks"]] == [second.id]
