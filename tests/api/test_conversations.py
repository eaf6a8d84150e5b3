"""A supervisor's tool reads a conversation by text and replies through the line:
POST /api/callbacks/<id>/reply (contract section 7)."""
from __future__ import annotations

import pytest
from openapi_schema_validator import OAS31Validator
from sqlalchemy import select, update

from helpline.models import CallbackEvent, CallbackRequest, ConversationMessage, OutboundSms, SmsOptOut

from .conftest import helsinki


@pytest.fixture
def conversation(make_callback, session, clock):
    """An SMS conversation: the caller wrote at 09:55, the line has not answered."""
    callback = make_callback("+358401234567", channel="sms", created_at=helsinki("2027-01-11 09:55"), call_count=0)
    session.add(ConversationMessage(callback_id=callback.id, at=helsinki("2027-01-11 09:55"), sender="caller",
                                    text="Hei, onko siellä joku?"))
    session.commit()
    return callback


def test_every_callback_carries_its_channel_and_the_detail_its_conversation_oldest_first(
        supervisor, make_callback, conversation):
    voicemail = make_callback("+358401000009")
    listed = {c["id"]: c["channel"] for c in supervisor.get("/api/callbacks").get_json()["callbacks"]}
    assert listed == {voicemail.id: "voice", conversation.id: "sms"}
    assert supervisor.get(f"/api/callbacks/{voicemail.id}").get_json()["conversation"] == []

    assert supervisor.post(f"/api/callbacks/{conversation.id}/reply", json={"text": "Hei! Täällä ollaan."}).status_code == 201
    detail = supervisor.get(f"/api/callbacks/{conversation.id}").get_json()
    assert [(m["at"], m["from"], m["text"], m["staff_id"]) for m in detail["conversation"]] == [
        ("2027-01-11T09:55:00+02:00", "caller", "Hei, onko siellä joku?", None),
        ("2027-01-11T10:00:00+02:00", "line", "Hei! Täällä ollaan.", None),
    ]
    assert detail["messages"] == []  # recordings, as before


def test_a_reply_is_queued_from_the_line_and_is_the_first_response(own_staff_token, conversation, session):
    session.execute(update(CallbackRequest).where(CallbackRequest.id == conversation.id)
                    .values(assignee_id=own_staff_token.staff_id, status="assigned"))
    session.commit()
    response = own_staff_token.post(f"/api/callbacks/{conversation.id}/reply", json={"text": "  Hei “sinä” :) "})
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/callbacks/{conversation.id}"
    assert response.get_json() == {"at": "2027-01-11T10:00:00+02:00", "from": "line", "text": 'Hei "sinä" :)',
                                   "staff_id": None, "automatic": False}
    sms = session.scalar(select(OutboundSms))
    assert (sms.to_number, sms.body, sms.purpose, sms.callback_id) == (
        "+358401234567", 'Hei "sinä" :)', "conversation_reply", conversation.id)
    detail = own_staff_token.get(f"/api/callbacks/{conversation.id}").get_json()
    assert detail["acknowledged_at"] == "2027-01-11T10:00:00+02:00"
    event = session.scalar(select(CallbackEvent).where(CallbackEvent.kind == "replied"))
    assert event.detail["via"] == "api" and event.detail["token"] == "Aino's phone"


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"text": ""}, 422, "empty"),
    ({"text": "   "}, 422, "empty"),
    ({}, 422, "text is required"),
    ({"text": "a" * 460}, 422, "4 SMS segments"),
    ({"text": "😊" * 100}, 422, "4 SMS segments (UCS-2)"),
    ({"text": "a" * 2001}, 422, "too long"),
    ({"text": 12}, 422, "text must be text"),
    ({"text": "hi", "to": "+358409999999"}, 422, "unknown field 'to'"),
])
def test_an_empty_or_too_long_reply_is_refused_with_422_and_nothing_is_sent(
        supervisor, conversation, session, error_of, body, status, words):
    response = supervisor.post(f"/api/callbacks/{conversation.id}/reply", json=body)
    assert response.status_code == status
    assert words in error_of(response)
    assert session.scalar(select(OutboundSms)) is None


def test_a_reply_to_a_closed_callback_or_a_caller_who_said_stop_is_409(
        supervisor, conversation, make_callback, session, clock, error_of):
    closed = make_callback("+358401000002", channel="sms", status="closed", closed_at=clock.now(), outcome="resolved")
    response = supervisor.post(f"/api/callbacks/{closed.id}/reply", json={"text": "Hei"})
    assert response.status_code == 409 and "closed" in error_of(response)

    session.add(SmsOptOut(number="+358401234567", opted_out_at=clock.now(), source="stop-sms"))
    session.commit()
    response = supervisor.post(f"/api/callbacks/{conversation.id}/reply", json={"text": "Hei"})
    assert response.status_code == 409 and "STOP" in error_of(response)
    assert supervisor.post("/api/callbacks/4711/reply", json={"text": "Hei"}).status_code == 404
    assert session.scalar(select(OutboundSms)) is None


def test_a_voicemail_caller_on_a_fixed_line_cannot_be_texted(supervisor, make_callback, error_of):
    landline = make_callback("+35891234567")
    response = supervisor.post(f"/api/callbacks/{landline.id}/reply", json={"text": "Hei"})
    assert response.status_code == 409 and "cannot get an SMS" in error_of(response)


def test_the_answers_match_the_documented_schemas(supervisor, conversation):
    document = supervisor.get("/api/openapi.json").get_json()

    def check(response, schema: str) -> None:
        assert response.status_code in (200, 201), response.get_json()
        OAS31Validator({**document, "$ref": f"#/components/schemas/{schema}"}).validate(response.get_json())

    check(supervisor.post(f"/api/callbacks/{conversation.id}/reply", json={"text": "Hei"}), "ConversationMessage")
    check(supervisor.get(f"/api/callbacks/{conversation.id}"), "CallbackDetail")
    check(supervisor.get("/api/callbacks"), "CallbackList")
    schemas = document["components"]["schemas"]
    assert "channel" in schemas["Callback"]["required"]
    assert schemas["Callback"]["properties"]["channel"]["enum"] == ["voice", "sms", "chat"]
    assert set(schemas["ConversationMessage"]["required"]) == {"at", "from", "text", "staff_id"}


def test_a_staff_token_answers_only_the_conversations_its_owner_holds(own_staff_token, conversation, session, error_of):
    response = own_staff_token.post(f"/api/callbacks/{conversation.id}/reply", json={"text": "Hei"})
    assert response.status_code == 403
    assert "staff may answer only their own callbacks" in error_of(response)
    assert session.scalar(select(OutboundSms)) is None
